"""Configuration: config.toml (or the file PLANNER_CONFIG names), secrets from the environment."""

from __future__ import annotations

import os
import secrets
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = ROOT / "config.toml"


def read_settings(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Read the defaults from config.toml, overlaid with the file PLANNER_CONFIG names.

    :raise FileNotFoundError: when PLANNER_CONFIG names a file that does not exist.
    """
    with open(DEFAULT_CONFIG, "rb") as f:
        settings = tomllib.load(f)
    override = path or os.environ.get("PLANNER_CONFIG")
    if override:
        with open(override, "rb") as f:
            _merge(settings, tomllib.load(f))
    return settings


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value


def secret_key(settings: dict[str, Any], instance_path: str) -> str:
    """The session signing key: from the environment, else generated once into the instance folder."""
    from_env = os.environ.get(settings["server"]["secret_key_env"])
    if from_env:
        return from_env
    key_file = Path(instance_path) / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Created with owner-only permissions: the key signs every session.
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key


def database_url(settings: dict[str, Any], instance_path: str) -> str:
    """The SQLAlchemy URL: the configured one (password from the environment) or SQLite in the instance folder."""
    from sqlalchemy.engine import make_url

    url = settings["database"].get("url") or ""
    if not url:
        return f"sqlite:///{Path(instance_path) / 'planner.sqlite3'}"
    password = os.environ.get(settings["database"]["password_env"])
    parsed = make_url(url)
    if password and not parsed.password:
        parsed = parsed.set(password=password)
    return parsed.render_as_string(hide_password=False)
