"""Clinic scoping: the one place that decides which patient data a clinic may see.

Every query on patient data starts here, so no view can forget the clinic filter.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from planner.models import (
    CalendarFeed,
    CarePlan,
    ClinicMeasure,
    DystoniaPattern,
    Evaluation,
    Exercise,
    OutboxMessage,
    Patient,
    Program,
    User,
    Visit,
)
from planner.models.base import MAX_ID
from planner.services import NotFound

T = TypeVar("T")

# Models that carry clinic_id directly. Later models (programs, evaluations…) are added here.
CLINIC_SCOPED: dict[type, str] = {
    Patient: "A patient",
    User: "A user",
    Program: "A program",
    Evaluation: "An evaluation",
    Visit: "A visit",
    ClinicMeasure: "A measure",
    CarePlan: "A plan of care",
    OutboxMessage: "An email",
    CalendarFeed: "A calendar link",
    DystoniaPattern: "A dystonia pattern",
}


def scoped(model: type[T], clinic_id: int) -> Select[tuple[T]]:
    """SELECT of the model limited to one clinic."""
    if model not in CLINIC_SCOPED:
        raise TypeError(f"{model.__name__} is not clinic-scoped")
    return select(model).where(model.clinic_id == clinic_id)  # type: ignore[attr-defined]


def get_scoped(session: Session, model: type[T], clinic_id: int, obj_id: int) -> T:
    """The row with that id in that clinic.

    :raise NotFound: when it does not exist or belongs to another clinic (same answer), or when
        no row can have that id (below 1 or past MAX_ID, which SQLite's driver cannot even send).
    """
    if not 1 <= obj_id <= MAX_ID:
        raise NotFound(CLINIC_SCOPED[model])
    row = session.scalars(
        scoped(model, clinic_id).where(model.id == obj_id)  # type: ignore[attr-defined]
    ).first()
    if row is None:
        raise NotFound(CLINIC_SCOPED[model])
    return row


def visible_exercises(clinic_id: int) -> Select[tuple[Exercise]]:
    """SELECT of the exercises a clinic may see: the shared catalog and its own custom ones.

    Another clinic's custom exercises never appear, retired or not.
    """
    return select(Exercise).where(or_(Exercise.clinic_id.is_(None), Exercise.clinic_id == clinic_id))
