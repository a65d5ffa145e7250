"""A signed-in browser: the server's record that a session cookie is still good."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.models.base import Base, UTCDateTime
from planner.models.clinic import User


class SignIn(Base):
    """One sign-in of a user in one browser; deleted at sign-out, so a copy of its cookie stops working.

    The cookie carries a random key; the row keeps only the key's SHA-256, like the patient links.
    """

    __tablename__ = "sign_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Moved forward now and then while the browser is used; a sign-in idle past the session's
    # lifetime is over (planner/services/sign_ins.py).
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)

    user: Mapped[User] = relationship()
