"""The Home Exercise Planner: a Flask app built by create_app()."""

from __future__ import annotations

from typing import Any

from flask import Flask

from planner.config import ROOT


def create_app(test_config: dict[str, Any] | None = None, instance_path: str | None = None) -> Flask:
    """Build the app: configuration, database, sign-in, CSRF, security, languages, pages, CLI, error pages."""
    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
    )
    from planner import cli, db, security, settings
    from planner.web import auth, errors, languages, register_blueprints

    settings.init_app(app, test_config)
    db.init_app(app)
    auth.init_login(app)
    security.init_app(app)
    languages.init_app(app)
    register_blueprints(app)
    cli.init_app(app)
    errors.init_app(app)
    return app
