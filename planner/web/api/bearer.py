"""`Authorization: Bearer <personal token>` for /api/v1: scripts call the API without a browser.

The token answers for its owner through Flask-Login's request loader, so the API's views see the
same `current_user` as with a session and scope by the same clinic. It is asked only on the API's
own routes: a token never opens a page. Nothing here writes to the session, so a call with a token
gets no cookie, and needs no CSRF token (the API only reads; CSRF guards cookie-carried forms).
The token is never logged: it travels in a header, and request logs show only the path.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Request

from planner.db import get_session
from planner.models import User
from planner.services import api_tokens
from planner.web.auth import login_manager


def bearer_token(header: str | None) -> str | None:
    """The token of an "Authorization: Bearer <token>" header (scheme in any case); None otherwise."""
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


@login_manager.request_loader
def _user_of_token(request: Request) -> User | None:
    """The token's user on an API route with no signed-in session; None anywhere else."""
    if request.blueprint != "api":
        return None
    token = bearer_token(request.headers.get("Authorization"))
    if token is None:
        return None
    db = get_session()
    user = api_tokens.user_for_token(db, token, datetime.now(UTC))
    db.commit()  # last_used_at, before the view has changed anything
    return user
