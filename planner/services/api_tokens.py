"""Personal API tokens: a therapist's scripts read /api/v1 with `Authorization: Bearer <token>`.

A token is "hep_" and 43 random URL-safe characters (256 bits). It is shown once, when made;
the database keeps only its SHA-256 (a fast hash is enough for 256 random bits) and its first
eight characters, so the owner can tell tokens apart and a leaked one is recognised by its "hep_".
A token answers for its owner, inside the owner's clinic, while the owner's account is active
(and, where the clinic requires it, has two-factor sign-in set up); revoking it ends it at once.

No Flask here: the token pages, the API, the CLI and the tests call these functions.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.bidi import isolate
from planner.models import ApiToken, User
from planner.services import DomainError, NotFound
from planner.services import two_factor as two_factor_service

PREFIX = "hep_"
SHOWN_CHARACTERS = 8  # "hep_" and four more, kept to tell tokens apart
NAME_MAX = 80
# last_used_at moves at most once a minute per token: a script calling in a loop costs no write per call.
USE_RECORDED_EVERY = timedelta(minutes=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_name(name: str) -> str:
    """The name with spaces at the ends removed.

    :raise DomainError: (field "name") when empty, longer than NAME_MAX, or holding line breaks
        or other control characters.
    """
    name = name.strip()
    if not name:
        raise DomainError("Give the token a name, such as the script that will use it.", "name")
    if len(name) > NAME_MAX:
        raise DomainError(f"The name is too long: at most {NAME_MAX} characters.", "name")
    if any(not ch.isprintable() for ch in name):
        raise DomainError("The name cannot hold line breaks or tabs.", "name")
    return name


def create_token(session: Session, user: User, name: str, now: datetime) -> tuple[ApiToken, str]:
    """A new token for the user: the row, and the token itself (shown once, never stored).

    :raise DomainError: for a bad name (field "name"), or a deactivated account.
    """
    name = check_name(name)
    if not user.active:
        raise DomainError(f"The account {isolate(user.email)} is deactivated.")
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, prefix=token[:SHOWN_CHARACTERS], token_hash=_hash(token), created_at=now)
    session.add(row)
    session.flush()
    return row, token


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    """The user's tokens not revoked, newest first."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_token(session: Session, user: User, token_id: int, now: datetime) -> ApiToken:
    """Stop one of the user's tokens from working.

    :raise NotFound: for a token of someone else, or one already revoked.
    """
    row = session.scalars(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ).first()
    if row is None:
        raise NotFound("A token")
    row.revoked_at = now
    session.flush()
    return row


def user_for_token(session: Session, token: str, now: datetime) -> User | None:
    """The user a token answers for, or None: unknown or revoked token, deactivated account, or a
    clinic that requires two-factor sign-in from an account without it.

    Moves the token's last_used_at to `now` when it is older than USE_RECORDED_EVERY (the caller commits).
    """
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    found = session.execute(
        select(ApiToken, User)
        .join(User, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == _hash(token), ApiToken.revoked_at.is_(None))
    ).first()
    if found is None:
        return None
    row, user = found
    if not user.active or two_factor_service.needs_enrolment(session, user):
        return None
    if row.last_used_at is None or row.last_used_at < now - USE_RECORDED_EVERY:
        row.last_used_at = now
        session.flush()
    return user
