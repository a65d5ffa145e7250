"""A patient's daily exercise reminder: opt-in, at a local time of day, with its own stop link."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Boolean, Date, ForeignKey, String, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.models.base import Base, UTCDateTime, utcnow
from planner.models.clinic import User
from planner.models.patient import Patient

# Who turned reminders on or off: the therapist (with the patient's consent), the patient on the
# phone page, or the patient with the stop link of an email (or the mail program's unsubscribe).
CHANGED_BY = ("therapist", "patient", "stop_link")


class ExerciseReminder(Base):
    """One per patient. Never on by default: a row exists once someone chose.

    The stop link's token is an HMAC of `nonce` under the secret key (as the patient's link);
    only its hash is stored, so the database alone cannot stop anyone's reminders.
    """

    __tablename__ = "exercise_reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), unique=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # Local time of day in the clinic's time zone.
    send_time: Mapped[time] = mapped_column(Time)
    changed_by: Mapped[str] = mapped_column(String(20))
    # The therapist who recorded the change; None when the patient made it.
    changed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When reminders were last turned on, and by whom: the consent on record.
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    consent_by: Mapped[str] = mapped_column(String(20), default="")
    consent_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    # The last local day whose reminder was decided (created, or not due): never decided twice.
    handled_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    nonce: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)

    patient: Mapped[Patient] = relationship()
    changed_by_user: Mapped[User | None] = relationship(foreign_keys=[changed_by_user_id])
    consent_user: Mapped[User | None] = relationship(foreign_keys=[consent_user_id])
