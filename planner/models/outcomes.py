"""Between visits: questionnaires the patient answers through the private link, and the
botulinum toxin injections whose cycle the re-evaluations may follow."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship, validates

from planner.models.base import Base, UTCDateTime, as_float, utcnow
from planner.models.patient import Patient


class OutcomePlan(Base):
    """A patient's between-visit settings: which questionnaires come how often, and whether the
    re-evaluations follow the toxin cycle. One row per patient; none means neither."""

    __tablename__ = "outcome_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), unique=True)
    # The questionnaire's parts ("psfs", "pain", "diary"), every `every_days` days from `starts_on`;
    # no parts or no interval: no questionnaire is due.
    parts: Mapped[list[str]] = mapped_column(JSON, default=list)
    every_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    starts_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Re-evaluate at the expected peak and before the next injection, in weeks after the latest one.
    follow_cycle: Mapped[bool] = mapped_column(Boolean, default=False)
    peak_weeks: Mapped[int] = mapped_column(Integer, default=5)
    before_weeks: Mapped[int] = mapped_column(Integer, default=11)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    # Loaded when read (reevaluation.next_reevaluation, the outcome pages), not with every patient:
    # the dashboard and the calendar feed read the stored next date, and most pages that load a
    # patient never look at the plan, so an eager load was one statement more on each of them.
    patient: Mapped[Patient] = relationship(backref=backref("outcome_plan", uselist=False))


class Questionnaire(Base):
    """One questionnaire due on one day; its answers come one at a time and never change."""

    __tablename__ = "questionnaires"
    __table_args__ = (UniqueConstraint("patient_id", "due_on", name="uq_questionnaires_due"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    parts: Mapped[list[str]] = mapped_column(JSON, default=list)  # as planned when it came due
    # The day the answers are about: the day it was begun, or the day the patient names when late.
    answered_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    answers: Mapped[list[QuestionnaireAnswer]] = relationship(
        back_populates="questionnaire", order_by="QuestionnaireAnswer.id", cascade="all, delete-orphan"
    )


class OutcomeItem(Base):
    """An activity the patient finds hard (PSFS) or one of their top symptoms (diary), in their words.

    Named once, in the first questionnaire that asks; later questionnaires ask for a rating only.
    """

    __tablename__ = "outcome_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # "activity" or "symptom"
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120))
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class QuestionnaireAnswer(Base):
    """One answer, saved as the patient gave it; the unique key makes a second save impossible."""

    __tablename__ = "questionnaire_answers"
    __table_args__ = (UniqueConstraint("questionnaire_id", "question", name="uq_questionnaire_answers_question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(String(40))
    rating: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 0–10 for a rating question
    text: Mapped[str] = mapped_column(Text, default="")
    item_id: Mapped[int | None] = mapped_column(ForeignKey("outcome_items.id", ondelete="CASCADE"), nullable=True)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="answers")
    item: Mapped[OutcomeItem | None] = relationship()


class Injection(Base):
    """A botulinum toxin injection session: when, what product, who injected, and the doses."""

    __tablename__ = "injections"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    injected_on: Mapped[date] = mapped_column(Date)
    product: Mapped[str] = mapped_column(String(80), default="")
    injected_by: Mapped[str] = mapped_column(String(120), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    # Patient.injections is read by reevaluation.next_reevaluation when the re-evaluations follow the cycle.
    patient: Mapped[Patient] = relationship(backref=backref("injections", order_by="Injection.injected_on"))
    doses: Mapped[list[InjectionDose]] = relationship(
        back_populates="injection", order_by="InjectionDose.position", cascade="all, delete-orphan"
    )


class InjectionDose(Base):
    """Units into one muscle, per side (either side may be empty)."""

    __tablename__ = "injection_doses"

    id: Mapped[int] = mapped_column(primary_key=True)
    injection_id: Mapped[int] = mapped_column(ForeignKey("injections.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    muscle: Mapped[str] = mapped_column(String(120))
    left_units: Mapped[float | None] = mapped_column(Float, nullable=True)
    right_units: Mapped[float | None] = mapped_column(Float, nullable=True)

    injection: Mapped[Injection] = relationship(back_populates="doses")

    @validates("left_units", "right_units")
    def _as_float(self, _key: str, value: float | None) -> float | None:
        return as_float(value)
