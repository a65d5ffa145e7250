"""The outbox: every email the planner owes someone, as a row that survives restarts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.models.base import Base, UTCDateTime, utcnow
from planner.models.clinic import User
from planner.models.patient import Patient
from planner.models.program import Program


class OutboxMessage(Base):
    """A re-evaluation reminder or a handout email. The dispatcher claims it with one
    conditional UPDATE, so any number of dispatchers send it once."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_next", "status", "next_attempt_at"),
        Index("ix_outbox_program_kind", "program_id", "kind"),
        # A therapist's failed emails on the dashboard (services/outbox.failed_for).
        Index("ix_outbox_user_status", "user_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # reevaluation, handout or pain_alert
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    # The therapist the reminder is for (or who asked for the handout email).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    recipient: Mapped[str] = mapped_column(String(20))  # therapist or patient
    # The re-evaluation date a reminder is about, and how many days before it it goes out.
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    lead_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # pending → sending → sent; a failed send goes back to pending with a later next_attempt_at,
    # and ends as failed after the configured number of attempts. cancelled: no longer wanted.
    status: Mapped[str] = mapped_column(String(20), default="pending")
    send_at: Mapped[datetime] = mapped_column(UTCDateTime())
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str] = mapped_column(String(80), default="")
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    to_address: Mapped[str] = mapped_column(String(254), default="")
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    program: Mapped[Program] = relationship()
    patient: Mapped[Patient] = relationship()
    user: Mapped[User | None] = relationship()


class CalendarFeed(Base):
    """A therapist's private iCal link. Only a hash of the token is kept; deleting the row revokes it."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # What the feed last held (a hash of its events) and since when: its ETag and Last-Modified,
    # so a calendar app that asks "changed since?" gets 304 Not Modified.
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    user: Mapped[User] = relationship()
