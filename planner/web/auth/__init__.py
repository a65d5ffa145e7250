"""Signing in and out, the first-run set-up, and the user of each request."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, redirect, request, url_for
from flask_login import LoginManager
from sqlalchemy.orm import Session

from planner.db import get_session
from planner.models import User
from planner.services import accounts

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to open that page."
login_manager.login_message_category = "info"

OPEN_WITHOUT_ACCOUNT = {"auth.setup", "static", "api.openapi", "health.healthz"}
# The patient's pages need no account: the private link is the key.
OPEN_BLUEPRINTS = {"portal"}


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    app.before_request(_first_run_guard)


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    """The user of a session id "<user id>:<session version>"; None signs the session out.

    A deactivated account or a bumped session version (password change) ends old sessions.
    """
    try:
        user_id, version = (int(part) for part in session_id.split(":"))
    except ValueError:
        return None
    user = get_session().get(User, user_id)
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def users_exist(session: Session) -> bool:
    # Once an account exists it stays so: remember it to spare a query per request.
    if current_app.extensions.get("planner_has_users"):
        return True
    exists = accounts.any_user_exists(session)
    if exists:
        current_app.extensions["planner_has_users"] = True
    return exists


def _first_run_guard() -> Any:
    """With no account yet, every page leads to the first-run set-up."""
    if request.endpoint in OPEN_WITHOUT_ACCOUNT or request.blueprint in OPEN_BLUEPRINTS:
        return None
    if not users_exist(get_session()):
        return redirect(url_for("auth.setup"))
    return None
