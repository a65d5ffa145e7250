"""Turn config.toml into Flask settings, once per app."""

from __future__ import annotations

import copy
import os
from datetime import timedelta
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from planner import passwords
from planner.config import _merge, database_url, read_settings, secret_key
from planner.services import calendar_window


def init_app(app: Flask, test_config: dict[str, Any] | None) -> None:
    test_config = dict(test_config or {})
    os.makedirs(app.instance_path, exist_ok=True)
    settings = read_settings(test_config.pop("PLANNER_CONFIG_FILE", None))
    _merge(settings, copy.deepcopy(test_config.pop("PLANNER", {})))
    app.config["PLANNER"] = settings
    server = settings["server"]
    app.config.update(
        SECRET_KEY=secret_key(settings, app.instance_path),
        DATABASE_URL=database_url(settings, app.instance_path),
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
    security = settings["security"]
    passwords.configure(security["argon2_memory_kib"], security["argon2_time_cost"])
    calendar_window.configure(settings)
    proxies = int(server.get("proxy_count", 0))
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]
