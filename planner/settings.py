"""config.toml as typed settings, built once per app; and the Flask settings that follow from it.

`build` turns the merged configuration into frozen values, each checked once:
a bad value stops the app at start-up, never a request later. `init_app` stores them on the
app (`app.extensions["settings"]`, `current()` inside a request or command); views, commands
and the scheduler hand each service the part it needs as an argument. Nothing reads
config.toml again after start-up, so `create_app(test_config)` decides what every path sees.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from datetime import timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from werkzeug.middleware.proxy_fix import ProxyFix

from planner.config import _merge, database_url, read_settings, secret_key
from planner.handouts.styles import HandoutOptions
from planner.languages import offered_in
from planner.passwords import PasswordCost
from planner.services.accounts import Throttle
from planner.services.calendar_window import Window
from planner.services.emails import MailSettings
from planner.services.outbox import DispatchSettings
from planner.services.reminders import Schedule

if TYPE_CHECKING:
    from flask import Flask


@dataclass(frozen=True)
class Settings:
    """What the services need from config.toml, typed. `raw` is the merged file, read-only, for
    the plain values pages read themselves (page sizes, lists offered on forms)."""

    raw: MappingProxyType[str, Any]
    password_cost: PasswordCost
    throttle: Throttle
    window: Window
    schedule: Schedule
    dispatch: DispatchSettings
    mail: MailSettings
    handouts: HandoutOptions
    public_url: str


def build(raw: dict[str, Any], secret: str = "") -> Settings:
    """Typed settings from the merged configuration; `secret` is the app's secret key (patient links).

    :raise ValueError: naming the section and value that is wrong.
    """
    security = raw["security"]
    languages = offered_in(raw)
    handouts = HandoutOptions.from_settings(raw.get("handouts"), languages)
    return Settings(
        raw=MappingProxyType(copy.deepcopy(raw)),
        password_cost=PasswordCost(int(security["argon2_memory_kib"]), int(security["argon2_time_cost"])),
        throttle=Throttle(
            int(security["max_failures_per_account"]),
            int(security["max_failures_per_address"]),
            timedelta(minutes=security["failure_window_minutes"]),
        ),
        window=Window.from_settings(raw),
        schedule=Schedule.from_settings(raw),
        dispatch=DispatchSettings.from_settings(raw),
        mail=MailSettings.from_settings(raw, secret, handouts),
        handouts=handouts,
        public_url=str(raw.get("server", {}).get("public_url", "")).rstrip("/"),
    )


def current() -> Settings:
    """The settings of the app serving this request or command (Flask's current app)."""
    from flask import current_app

    return current_app.extensions["settings"]


def init_app(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Read config.toml (and PLANNER_CONFIG, or test_config's PLANNER_CONFIG_FILE) once, overlay
    test_config's PLANNER, and set the Flask settings that follow; test_config's other keys win.

    :raise ValueError: for a bad setting.
    """
    test_config = dict(test_config or {})
    os.makedirs(app.instance_path, exist_ok=True)
    raw = read_settings(test_config.pop("PLANNER_CONFIG_FILE", None))
    _merge(raw, copy.deepcopy(test_config.pop("PLANNER", {})))
    app.config["PLANNER"] = raw  # for Flask's own view of the app only: code reads Settings.raw
    server = raw["server"]
    app.config.update(
        SECRET_KEY=secret_key(raw, app.instance_path),
        DATABASE_URL=database_url(raw, app.instance_path),
        DEBUG=bool(server.get("debug", False)),
        SESSION_COOKIE_SECURE=bool(server.get("secure_cookies", True)),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="planner_session",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=server.get("session_hours", 12)),
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SECURE=bool(server.get("secure_cookies", True)),
        WTF_CSRF_TIME_LIMIT=None,  # tied to the session instead, so a long form is not lost
        MAX_CONTENT_LENGTH=6 * 1024 * 1024,
    )
    app.config.update(test_config)
    app.extensions["settings"] = build(raw, app.config["SECRET_KEY"])
    proxies = int(server.get("proxy_count", 0))
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]
