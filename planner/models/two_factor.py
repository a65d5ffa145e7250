"""Two-factor sign-in: each user's authenticator key and single-use recovery codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.models.base import Base, UTCDateTime, utcnow
from planner.models.clinic import User


class TwoFactor(Base):
    """A user's authenticator key (RFC 6238). Unconfirmed while the user has not yet typed a code
    from it; only a confirmed key is asked for at sign-in.

    The key is stored encrypted under the server's secret key (planner/services/two_factor.py).
    """

    __tablename__ = "two_factor"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    secret_encrypted: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The 30-second step of the last code accepted: that code, and any older one, is refused after.
    last_step: Mapped[int | None] = mapped_column(Integer, nullable=True)

    user: Mapped[User] = relationship()


class RecoveryCode(Base):
    """One single-use code for a user who has lost their phone; only its SHA-256 is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
