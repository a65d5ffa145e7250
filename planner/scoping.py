"""Clinic scoping: the one place that decides which clinic-owned rows a clinic may see.

Every query that picks clinic-owned rows by clinic starts here (`scoped`, `get_scoped`,
`visible`, `shared`), and every check of a row's clinic is `owned_by`; no other module compares
a `clinic_id`. `tests/test_scoping.py` fails for a model with a `clinic_id` column missing from
`CLINIC_SCOPED`, for a model reached through one (a foreign key to it) missing from `REACHED_FROM`,
and for a `clinic_id` comparison written anywhere else under `planner/`.
"""

from __future__ import annotations

import functools
from typing import Any, TypeVar, cast

from sqlalchemy import BindParameter, Select, bindparam, or_, select
from sqlalchemy.orm import Session

from planner.models import (
    ApiToken,
    AuditEntry,
    CalendarFeed,
    CarePlan,
    ClinicAdvice,
    ClinicMeasure,
    DayReport,
    DystoniaPattern,
    Evaluation,
    Exercise,
    ExerciseLog,
    ExerciseReminder,
    Injection,
    InjectionDose,
    MeasureValue,
    OutboxMessage,
    OutcomeItem,
    OutcomePlan,
    PainAlert,
    Patient,
    PatientLink,
    PatientNameKey,
    Program,
    ProgramItem,
    ProgramTemplate,
    ProgramVersion,
    Questionnaire,
    QuestionnaireAnswer,
    RecoveryCode,
    SignIn,
    TwoFactor,
    User,
    VersionGiving,
    Visit,
)
from planner.models.base import MAX_ID
from planner.models.exercise import ExerciseWord
from planner.services import NotFound

T = TypeVar("T")

# Models that carry clinic_id, with the words of their NotFound message ("… was not found.").
CLINIC_SCOPED: dict[type, str] = {
    Patient: "A patient",
    PatientNameKey: "A patient",
    User: "A user",
    Program: "A program",
    Evaluation: "An evaluation",
    Visit: "A visit",
    ClinicMeasure: "A measure",
    CarePlan: "A plan of care",
    OutboxMessage: "An email",
    CalendarFeed: "A calendar link",
    OutcomePlan: "A questionnaire plan",
    Questionnaire: "A questionnaire",
    OutcomeItem: "A named activity or symptom",
    QuestionnaireAnswer: "An answer",
    Injection: "An injection",
    AuditEntry: "That entry",
    ClinicAdvice: "That advice",
    PainAlert: "That alert",
    DayReport: "That day's report",
    PatientLink: "That link",
    ExerciseLog: "That tick",
    ExerciseReminder: "That reminder setting",
    # Shared rows have clinic_id NULL: `scoped` gives a clinic's own, `visible` adds the shared.
    Exercise: "That exercise",
    ProgramTemplate: "That template",
    DystoniaPattern: "A dystonia pattern",
}

# Models without clinic_id, only ever read through the scoped parent named here (by its
# relationship or its id), so they need no clinic filter of their own.
REACHED_FROM: dict[type, type] = {
    ProgramItem: Program,
    ProgramVersion: Program,
    VersionGiving: ProgramVersion,  # a version's givings, read with the version
    MeasureValue: Evaluation,
    ExerciseWord: Exercise,
    ApiToken: User,
    SignIn: User,
    TwoFactor: User,
    RecoveryCode: User,
    InjectionDose: Injection,
}

# Clinic-owned models that also have rows every clinic shares (clinic_id NULL).
SHARED_ROWS: frozenset[type] = frozenset({Exercise, ProgramTemplate})


def _clinic_column(model: type) -> Any:
    if model not in CLINIC_SCOPED:
        raise TypeError(f"{model.__name__} is not clinic-scoped")
    return model.clinic_id  # type: ignore[attr-defined]


def scoped(model: type[T], clinic_id: int | BindParameter[Any]) -> Select[T]:
    """SELECT of the model's rows of one clinic (never the shared ones); `clinic_id` may be a bound
    parameter, for a statement built once and run for any clinic.

    :raise TypeError: for a model not in `CLINIC_SCOPED`.
    """
    return select(model).where(_clinic_column(model) == clinic_id)


def get_scoped(session: Session, model: type[T], clinic_id: int, obj_id: int, options: tuple[Any, ...] = ()) -> T:
    """The row with that id in that clinic; `options`: loader options for the query (what to
    load with the row, e.g. `(joinedload(Program.patient),)`: pass the same tuple each time).

    :raise NotFound: when it does not exist or belongs to another clinic (same answer), or when
        no row can have that id (below 1 or past MAX_ID, which SQLite's driver cannot even send).
    """
    if not 1 <= obj_id <= MAX_ID:
        raise NotFound(CLINIC_SCOPED[model])
    statement = _by_id(cast(Any, model), options)
    row: T | None = session.scalars(statement, {"clinic_id": clinic_id, "obj_id": obj_id}).first()
    if row is None:
        raise NotFound(CLINIC_SCOPED[model])
    return row


@functools.lru_cache(maxsize=256)
def _by_id(model: Any, options: tuple[Any, ...]) -> Select[Any]:
    """get_scoped's statement, built once per model and options with the clinic and the id bound
    at each call: building a statement costs several times what running it costs."""
    return scoped(model, bindparam("clinic_id")).where(model.id == bindparam("obj_id")).options(*options)


def visible(model: type[T], clinic_id: int | BindParameter[Any]) -> Select[T]:
    """SELECT of the shared rows and the clinic's own (exercises, program templates); `clinic_id`
    may be a bound parameter, as for `scoped`.

    Another clinic's own rows never appear.
    :raise TypeError: for a model without shared rows.
    """
    if model not in SHARED_ROWS:
        raise TypeError(f"{model.__name__} has no shared rows")
    column = _clinic_column(model)
    return select(model).where(or_(column.is_(None), column == clinic_id))


def shared(model: type[T]) -> Select[T]:
    """SELECT of the rows every clinic shares (the catalog's exercises, the shipped templates).

    :raise TypeError: for a model without shared rows.
    """
    if model not in SHARED_ROWS:
        raise TypeError(f"{model.__name__} has no shared rows")
    return select(model).where(_clinic_column(model).is_(None))


def is_shared(model: type) -> Any:
    """SQL condition: the row is shared (clinic_id NULL); for filters and ORDER BY."""
    if model not in SHARED_ROWS:
        raise TypeError(f"{model.__name__} has no shared rows")
    return _clinic_column(model).is_(None)


def is_own(model: type, clinic_id: int) -> Any:
    """SQL condition: the row is the clinic's own; to narrow a `visible` query."""
    return _clinic_column(model) == clinic_id


def is_shared_row(row: object) -> bool:
    """Whether a loaded row is one every clinic shares (a catalog exercise, a shipped template)."""
    if type(row) not in SHARED_ROWS:
        raise TypeError(f"{type(row).__name__} has no shared rows")
    return row.clinic_id is None  # type: ignore[attr-defined]


def visible_to(row: object, clinic_id: int) -> bool:
    """Whether a loaded row is one the clinic may use: shared, or its own."""
    return is_shared_row(row) or belongs_to(row, clinic_id)


def visible_exercises(clinic_id: int | BindParameter[Any]) -> Select[Exercise]:
    """SELECT of the exercises a clinic may see: the shared catalog and its own custom ones."""
    return visible(Exercise, clinic_id)


def belongs_to(row: object, clinic_id: int) -> bool:
    """Whether a loaded row is the clinic's own (False for a shared row or another clinic's).

    :raise TypeError: for a row of a model not in `CLINIC_SCOPED`.
    """
    _clinic_column(type(row))
    return row.clinic_id == clinic_id  # type: ignore[attr-defined]
