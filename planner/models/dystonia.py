"""A patient's dystonia pattern as recorded on a date; every recording is kept, so history stays."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from planner.dystonia.pattern import PatternData, from_stored
from planner.models.base import Base, UTCDateTime, utcnow
from planner.models.clinic import User
from planner.models.patient import Patient


class DystoniaPattern(Base):
    """The pattern on one date: the neck's pulls, a head tremor, other focal areas, a sensory trick.

    A change is a new row (at a re-evaluation or on the patient's page), never an edit, so the
    pattern at any earlier date can be read back. The newest row by date is the current pattern.
    """

    __tablename__ = "dystonia_patterns"
    __table_args__ = (Index("ix_dystonia_patterns_patient_on", "patient_id", "recorded_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    # The re-evaluation it was recorded at, if any.
    evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("evaluations.id"), nullable=True)
    recorded_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    # {"rotation": {"side": "left", "severity": 2}, ...}: planner/dystonia/pattern.py's components.
    components: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    tremor: Mapped[str] = mapped_column(String(20), default="")
    tremor_severity: Mapped[int] = mapped_column(Integer, default=0)
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    # A sensory trick: where it touches (planner/dystonia/pattern.py's TRICK_PLACES, "" for none
    # recorded) and its side ("" for the middle or no side).
    trick: Mapped[str] = mapped_column(String(20), default="", server_default="")
    trick_side: Mapped[str] = mapped_column(String(10), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    # Patient.dystonia_patterns, oldest first: the last one is the current pattern.
    patient: Mapped[Patient] = relationship(
        backref=backref(
            "dystonia_patterns", order_by=lambda: (DystoniaPattern.recorded_on, DystoniaPattern.id), viewonly=True
        )
    )
    recorded_by: Mapped[User | None] = relationship()

    @property
    def data(self) -> PatternData:
        return from_stored(
            self.components, self.tremor, self.tremor_severity, self.areas, self.note, self.trick, self.trick_side
        )
