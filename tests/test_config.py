"""Configuration: defaults from config.toml, PLANNER_CONFIG overrides, secrets from the environment."""

from __future__ import annotations

import stat

from planner import create_app
from planner.config import database_url, read_settings, secret_key


def test_every_default_is_in_config_toml():
    settings = read_settings()
    assert settings["database"]["url"] == ""
    assert settings["server"]["port"] == 5000 and settings["server"]["debug"] is False


def test_planner_config_overrides_only_what_it_names(tmp_path, monkeypatch):
    override = tmp_path / "site.toml"
    override.write_text("[server]\nport = 8080\n[patients]\npage_size = 10\n")
    monkeypatch.setenv("PLANNER_CONFIG", str(override))
    settings = read_settings()
    assert settings["server"]["port"] == 8080 and settings["patients"]["page_size"] == 10
    assert settings["server"]["host"] == "127.0.0.1"  # the rest keeps its default


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("PLANNER_SECRET_KEY", raising=False)
    settings = read_settings()
    first = secret_key(settings, str(tmp_path))
    assert len(first) >= 64 and secret_key(settings, str(tmp_path)) == first
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    monkeypatch.setenv("PLANNER_SECRET_KEY", "from-the-environment")
    assert secret_key(settings, str(tmp_path)) == "from-the-environment"


def test_sessions_survive_a_restart_without_a_configured_key(tmp_path, monkeypatch):
    monkeypatch.delenv("PLANNER_SECRET_KEY", raising=False)
    one = create_app(instance_path=str(tmp_path))
    two = create_app(instance_path=str(tmp_path))
    assert one.secret_key == two.secret_key


def test_database_password_comes_from_the_environment(tmp_path, monkeypatch):
    settings = read_settings()
    assert database_url(settings, str(tmp_path)).endswith("planner.sqlite3")
    settings["database"]["url"] = "postgresql+psycopg://planner@db.example/planner"
    monkeypatch.setenv("PLANNER_DATABASE_PASSWORD", "s3cret")
    assert database_url(settings, str(tmp_path)) == "postgresql+psycopg://planner:s3cret@db.example/planner"
