"""Signing in and out, the first-run set-up, and the user of each request."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, g, redirect, request, session, url_for
from flask_login import LoginManager, current_user, login_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy.orm import Session

from planner.db import get_session
from planner.models import User
from planner.services import accounts, sign_ins
from planner.settings import current as app_settings

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to open that page."
login_manager.login_message_category = "info"

OPEN_WITHOUT_ACCOUNT = {"auth.setup", "static", "api.openapi", "health.healthz"}
# The patient's pages need no account: the private link is the key.
OPEN_BLUEPRINTS = {"portal"}
# The cookie's key to its row in sign_ins (planner/services/sign_ins.py).
SIGN_IN_KEY = "sign_in"


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    app.before_request(_first_run_guard)
    app.before_request(_load_user_first)


def sign_in(user: User) -> None:
    """Start a fresh session for the user (nothing kept from before, a half-done two-factor sign-in
    included: no fixation), recorded on the server."""
    session.clear()
    login_user(user)
    session.permanent = True
    db = get_session()
    moment = datetime.now(UTC)
    session[SIGN_IN_KEY] = sign_ins.open_sign_in(db, user, moment, current_app.config["PERMANENT_SESSION_LIFETIME"])
    # The new cookie carries what the next pages would otherwise add and sign again at once: the
    # moment it was made (renewed from SEEN_EVERY on) and this session's own CSRF secret.
    session[RENEWED_KEY] = int(moment.timestamp())
    g.pop("csrf_token", None)  # the signed token of the session cleared above
    generate_csrf()
    db.commit()


def sign_out() -> None:
    """End this browser's session on the server too: a copy of its cookie no longer signs anyone in."""
    db = get_session()
    sign_ins.end_sign_in(db, session.get(SIGN_IN_KEY))
    db.commit()
    session.clear()


def sign_in_throttle() -> accounts.Throttle:
    """The limits on failed sign-ins (passwords and second-factor codes alike), from [security]."""
    return app_settings().throttle


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    """The user of a session id "<user id>:<session version>"; None signs the session out.

    The session must also carry the key of a sign-in the server still has (sign-out deletes it).
    A deactivated account or a bumped session version (password change) ends every sign-in.
    """
    try:
        user_id, version = (int(part) for part in session_id.split(":"))
    except ValueError:
        return None
    db = get_session()
    user = sign_ins.signed_in_user(
        db,
        user_id,
        version,
        session.get(SIGN_IN_KEY),
        datetime.now(UTC),
        current_app.config["PERMANENT_SESSION_LIFETIME"],
    )
    if db.info.pop(sign_ins.SEEN_MOVED, False):
        # Keeps last_seen_at even when the view saves nothing; safe, as _load_user_first runs this
        # before any view's change. Most requests moved nothing and need no commit of their own.
        db.commit()
    return user


def _load_user_first() -> None:
    """Load the signed-in user before the view runs, so the loader's commit holds nothing of the view's."""
    if request.endpoint != "static" and current_user.is_authenticated and "_user_id" in session:
        _renew_cookie()


# The session cookie is sent again only when the session changes (SESSION_REFRESH_EACH_REQUEST
# is off: signing it and sending it cost every response). A session in use is renewed, with a
# new expiry, once every SEEN_EVERY, as its sign-in row is. So a session idle for session_hours
# ends (the signed cookie's age is checked on every request, planner/settings.py), at most
# SEEN_EVERY early, and never late; one in use goes on. A bearer-token request has no
# session to renew.
RENEWED_KEY = "renewed"


def _renew_cookie() -> None:
    moment = int(datetime.now(UTC).timestamp())
    if moment - session.get(RENEWED_KEY, 0) >= sign_ins.SEEN_EVERY.total_seconds():
        session[RENEWED_KEY] = moment


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
