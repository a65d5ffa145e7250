"""Re-evaluations with their outcome measures, a clinic's own measures, and visits."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship, validates

from planner.models.base import Base, UTCDateTime, as_float, utcnow
from planner.models.clinic import User
from planner.models.program import Program


class Evaluation(Base):
    """One re-evaluation of a program: what was found, measured and changed."""

    __tablename__ = "evaluations"
    __table_args__ = (Index("ix_evaluations_patient_on", "patient_id", "evaluated_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    therapist_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    evaluated_on: Mapped[date] = mapped_column(Date)
    findings: Mapped[str] = mapped_column(Text, default="")
    plan_changes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    # The backref gives Program.evaluations, which reevaluation.next_reevaluation reads: the next
    # date counts from the latest re-evaluation, so it lives with the program, not in a copy.
    program: Mapped[Program] = relationship(backref=backref("evaluations", order_by="Evaluation.evaluated_on"))
    therapist: Mapped[User | None] = relationship()
    values: Mapped[list[MeasureValue]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan", order_by="MeasureValue.id"
    )


class MeasureValue(Base):
    """One outcome measure's value at one evaluation; `measure` is a built-in key or "clinic_<id>"."""

    __tablename__ = "measure_values"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"), index=True)
    measure: Mapped[str] = mapped_column(String(60))
    value: Mapped[float] = mapped_column(Float)

    evaluation: Mapped[Evaluation] = relationship(back_populates="values")

    @validates("value")
    def _as_float(self, _key: str, value: float) -> float | None:
        return as_float(value)


class ClinicMeasure(Base):
    """An outcome measure a clinic added to the built-in list, with its valid range."""

    __tablename__ = "clinic_measures"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(30), default="points")
    low: Mapped[float] = mapped_column(Float)
    high: Mapped[float] = mapped_column(Float)
    # "lower" when a lower value is better (most symptom scales), "higher" otherwise.
    better: Mapped[str] = mapped_column(String(10), default="lower")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @validates("low", "high")
    def _as_float(self, _key: str, value: float) -> float | None:
        return as_float(value)


class Visit(Base):
    """A visit of the patient for a program; visits count toward the plan-of-care rules."""

    __tablename__ = "visits"
    __table_args__ = (Index("ix_visits_program_on", "program_id", "visited_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"))
    visited_on: Mapped[date] = mapped_column(Date)
    # treatment, progress_report or recertification (planner/services/care.py says what each resets).
    kind: Mapped[str] = mapped_column(String(20), default="treatment")
    note: Mapped[str] = mapped_column(String(300), default="")
    therapist_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CarePlan(Base):
    """The payer profile whose plan-of-care rules apply to a program (config.toml [plan_of_care])."""

    __tablename__ = "care_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), unique=True)
    profile: Mapped[str] = mapped_column(String(40), default="")
