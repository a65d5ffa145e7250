"""Sign-ins the server remembers, so that signing out ends the session for good.

The session cookie is signed, not stored: on its own, a copy of it would keep working after
sign-out until it expired. So each sign-in gets a random key, kept in the cookie, and a row
here holding the key's hash. Signing out deletes that row: that browser's cookie, and every
copy of it, stops working; the user's other browsers carry on. (The user's session version
still ends every sign-in at once, on a password change or deactivation.)
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session, contains_eager

from planner.models import SignIn, User

# How stale last_seen_at may get before a request moves it: one write per browser every few
# minutes, not one per page.
SEEN_EVERY = timedelta(minutes=5)
# Set in the session's info when signed_in_user moved last_seen_at: only then has the caller a
# change to commit (a request that wrote nothing needs no commit of its own).
SEEN_MOVED = "sign_in_seen_moved"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def open_sign_in(session: Session, user: User, now: datetime, idle_limit: timedelta) -> str:
    """Record a new sign-in of the user and return its key (43 URL-safe characters) for the cookie.

    Sign-ins of anyone idle past `idle_limit` (the session lifetime) are deleted on the way.
    """
    session.execute(delete(SignIn).where(SignIn.last_seen_at < now - idle_limit - SEEN_EVERY))
    key = secrets.token_urlsafe(32)
    session.add(SignIn(user_id=user.id, key_hash=_hash(key), created_at=now, last_seen_at=now))
    session.flush()
    return key


def signed_in_user(
    session: Session, user_id: int, version: int, key: str | None, now: datetime, idle_limit: timedelta
) -> User | None:
    """The active user whose sign-in this is, or None: no key, a key signed out, another user's
    key, an older session version, a deactivated account, or idle past `idle_limit`.

    Moves the sign-in's last_seen_at forward when it is older than SEEN_EVERY, and then sets
    `session.info[SEEN_MOVED]` (the caller commits). The user comes with `user.clinic` loaded in
    the same statement: most pages read the clinic (its time zone), and then need no query of it.
    """
    if not key:
        return None
    found = session.execute(_SIGNED_IN, {"key_hash": _hash(key)}).first()
    if found is None:
        return None
    sign_in_id, last_seen_at, user = found
    if user.id != user_id or user.session_version != version or not user.active:
        return None
    if last_seen_at < now - idle_limit - SEEN_EVERY:
        return None
    if last_seen_at < now - SEEN_EVERY:
        session.execute(update(SignIn).where(SignIn.id == sign_in_id).values(last_seen_at=now))
        session.info[SEEN_MOVED] = True
    return user


# signed_in_user's statement, built once: the sign-in of a key (the two columns it reads: no
# SignIn object is made on every request), its user and the user's clinic.
_SIGNED_IN = (
    select(SignIn.id, SignIn.last_seen_at, User)
    .join(User, SignIn.user_id == User.id)
    .join(User.clinic)
    .options(contains_eager(User.clinic))
    .where(SignIn.key_hash == bindparam("key_hash"))
)


def end_sign_in(session: Session, key: str | None) -> None:
    """Sign-out: the sign-in with this key is over, in every copy of its cookie."""
    if key:
        session.execute(delete(SignIn).where(SignIn.key_hash == _hash(key)))
