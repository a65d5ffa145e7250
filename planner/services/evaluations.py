"""Re-evaluations: record what was found and measured, move the program's next date, show trends."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planner import scoping
from planner.models import Evaluation, MeasureValue, Program
from planner.scoping import scoped
from planner.services import DomainError, reminders
from planner.services.calendar_window import Window, check_in_window
from planner.services.clinic_time import clinic_zone, local_today
from planner.services.measures import Measure, check_value, measures_for
from planner.services.reminders import Schedule

TEXT_MAX = 5000


@dataclass
class EvaluationData:
    evaluated_on: date
    findings: str = ""
    plan_changes: str = ""
    values: dict[str, float] = field(default_factory=dict)  # measure key → value; absent: not measured


def record_evaluation(
    session: Session,
    program: Program,
    data: EvaluationData,
    therapist_id: int | None,
    now: datetime,
    *,
    window: Window = Window(),
    schedule: Schedule = Schedule(),
) -> Evaluation:
    """Record a re-evaluation, move the program's next date (interval from this evaluation) and
    cancel the reminders for the old date; `window` ([dates]) and `schedule` ([reminders]) are
    the app's settings.

    :raise DomainError: naming the field: a date after today, before the window
        (calendar_window) or before the program started, an unknown measure, a value outside its
        measure's range, text too long.
    """
    today = local_today(clinic_zone(session, program.clinic_id), now)
    check_in_window(data.evaluated_on, today, "evaluated_on", "re-evaluation date", up_to_today=True, window=window)
    if data.evaluated_on < program.start_date:
        raise DomainError(
            f"The program started on {program.start_date}; the evaluation is before that.", "evaluated_on"
        )
    for name in ("findings", "plan_changes"):
        if len(getattr(data, name)) > TEXT_MAX:
            raise DomainError(f"Too long: at most {TEXT_MAX} characters.", name)
    known = {m.key: m for m in measures_for(session, program.clinic_id)}
    for key, value in data.values.items():
        if key not in known:
            raise DomainError("That measure is not known to this clinic.", key)
        check_value(known[key], value)
    evaluation = Evaluation(
        clinic_id=program.clinic_id,
        patient_id=program.patient_id,
        program=program,
        therapist_id=therapist_id,
        evaluated_on=data.evaluated_on,
        findings=data.findings.strip(),
        plan_changes=data.plan_changes.strip(),
        created_at=now,
        values=[MeasureValue(measure=k, value=v) for k, v in data.values.items()],
    )
    session.add(evaluation)
    # A date set by hand was this re-evaluation's date; from now on the interval counts from
    # the evaluation (reevaluation.next_reevaluation), or the therapist sets the next date.
    program.reeval_date = None
    session.flush()
    reminders.sync_program(session, program, now, schedule)
    return evaluation


def evaluations_of_patient(session: Session, clinic_id: int, patient_id: int) -> list[Evaluation]:
    """The patient's evaluations, newest first, with their values."""
    return list(
        session.scalars(
            scoped(Evaluation, clinic_id)
            .where(Evaluation.patient_id == patient_id)
            .options(selectinload(Evaluation.values))
            .order_by(Evaluation.evaluated_on.desc(), Evaluation.id.desc())
        )
    )


@dataclass(frozen=True)
class Trend:
    measure: Measure
    points: list[tuple[date, float]]  # oldest first

    @property
    def change(self) -> float | None:
        return self.points[-1][1] - self.points[0][1] if len(self.points) > 1 else None


def trends(session: Session, clinic_id: int, patient_id: int) -> list[Trend]:
    """Each measured outcome's values over time, in the order of the measure list."""
    rows = session.execute(
        select(MeasureValue.measure, Evaluation.evaluated_on, MeasureValue.value)
        .join(Evaluation, MeasureValue.evaluation_id == Evaluation.id)
        .where(scoping.is_own(Evaluation, clinic_id), Evaluation.patient_id == patient_id)
        .order_by(Evaluation.evaluated_on, Evaluation.id)
    )
    points: dict[str, list[tuple[date, float]]] = {}
    for key, on, value in rows:
        points.setdefault(key, []).append((on, value))
    return [Trend(m, points[m.key]) for m in measures_for(session, clinic_id) if m.key in points]
