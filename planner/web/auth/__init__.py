"""Signing in and out, the first-run set-up, and the user of each request."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask, current_app, redirect, request, session, url_for
from flask_login import LoginManager, login_user
from sqlalchemy.orm import Session

from planner.db import get_session
from planner.models import User
from planner.services import accounts

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to open that page."
login_manager.login_message_category = "info"

OPEN_WITHOUT_ACCOUNT = {"auth.setup", "static", "api.openapi"}
# The patient's pages need no account: the private link is the key.
OPEN_BLUEPRINTS = {"portal"}


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    app.before_request(_first_run_guard)


def sign_in_throttle() -> accounts.Throttle:
    """The limits on failed sign-ins (passwords and second-factor codes alike), from [security]."""
    security = current_app.config["PLANNER"]["security"]
    return accounts.Throttle(
        security["max_failures_per_account"],
        security["max_failures_per_address"],
        timedelta(minutes=security["failure_window_minutes"]),
    )


def sign_in(user: User) -> None:
    """Start a fresh session for the user: nothing kept from before (no fixation), a half-done
    two-factor sign-in included."""
    session.clear()
    login_user(user)
    session.permanent = True


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
