"""Patient access: the private link, the exercise log a patient keeps, and pain alerts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.models.base import Base, UTCDateTime, utcnow
from planner.models.patient import Patient


class PatientLink(Base):
    """A patient's private link. Only a hash of the token is stored; the token is derived from the
    server's secret key and the nonce, so the app can print it again but the database alone cannot."""

    __tablename__ = "patient_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    nonce: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    patient: Mapped[Patient] = relationship()


class ExerciseLog(Base):
    """One exercise done on one day, as the patient ticked it (a second tick changes nothing)."""

    __tablename__ = "exercise_logs"
    __table_args__ = (UniqueConstraint("program_id", "exercise_id", "copy", "day", name="uq_exercise_logs_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id"))
    # Which copy of the exercise: 0 for the first (or only) item of it in the given program's
    # order, 1 for the second (an exercise given once for each side; services/given.copies).
    copy: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    day: Mapped[date] = mapped_column(Date)
    # When it was ticked; a later time of the same day (time 2 of 3) moves it, so the undo page
    # can tell a shaky second tap from a choice (services/portal.untick).
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # How many times it was done that day, up to the times a day prescribed (the phone page's boxes).
    times: Mapped[int] = mapped_column(Integer, default=1)


class DayReport(Base):
    """How a day went: pain 0–10, difficulty, and a short comment; one per patient and day."""

    __tablename__ = "day_reports"
    __table_args__ = (UniqueConstraint("patient_id", "day", name="uq_day_reports_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    pain: Mapped[int | None] = mapped_column(Integer, nullable=True)
    difficulty: Mapped[str] = mapped_column(String(10), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class PainAlert(Base):
    """A pain alert raised for the therapist; at most one per patient and day."""

    __tablename__ = "pain_alerts"
    __table_args__ = (
        UniqueConstraint("patient_id", "day", name="uq_pain_alerts_day"),
        # The unseen alerts of a clinic, newest first (the dashboard reads the first page).
        Index("ix_pain_alerts_open", "clinic_id", "seen", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    pain: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200))
    # The day report that raised it: its comment is the patient's own words about the pain.
    day_report_id: Mapped[int | None] = mapped_column(
        ForeignKey("day_reports.id", ondelete="SET NULL"), nullable=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    seen: Mapped[bool] = mapped_column(Boolean, default=False)

    patient: Mapped[Patient] = relationship()
    day_report: Mapped[DayReport | None] = relationship()

    @property
    def comment(self) -> str:
        """The patient's comment on the day that raised the alert ("" when none)."""
        return self.day_report.comment if self.day_report is not None else ""
