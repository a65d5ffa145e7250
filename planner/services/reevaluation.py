"""When a program is next re-evaluated: the one rule, read by pages, reminders, handouts and the API.

A module of its own so that programs.py (which moves the date) and reminders.py (which follows
it) both import it and never each other in a circle. The date is also stored on the program
(`programs.reeval_due_on`, kept by a flush hook below) so lists find due programs by an index.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ScalarSelect, Table, bindparam, event, func, select, update
from sqlalchemy.orm import Session, object_session

from planner.models import Evaluation, Patient, Program
from planner.models.outcomes import Injection, OutcomePlan
from planner.services import UNREAD, Unread
from planner.services.calendar_window import shift

PROGRAMS: Table = Program.__table__  # type: ignore[assignment]  # a declarative class's Table


def next_reevaluation(program: Program, latest: date | None | Unread = UNREAD) -> date | None:
    """The date set by hand; else the next check of the toxin cycle when the patient's
    re-evaluations follow it (`cycle_check`); else the latest re-evaluation (or the start date)
    plus the interval. `latest`: the day of the program's latest re-evaluation (None: none), when
    the caller has read it with the program (the builder: latest_evaluation), else read here.

    None without any, or when the sum falls past 9999-12-31 (a start date saved before dates
    were checked): pages then show no date, and no reminder is made.
    """
    if latest is UNREAD:
        # Program.evaluations comes from planner/models/evaluation.py (a backref).
        latest = max((e.evaluated_on for e in program.evaluations), default=None)  # type: ignore[attr-defined]
    return reevaluation_due(
        program.reeval_date,
        program.reeval_interval_days,
        program.start_date,
        latest,
        cycle_check(program.patient, latest) if program.patient is not None else None,
    )


def kept_next_reevaluation(program: Program) -> date | None:
    """next_reevaluation(program) as the program's row keeps it (programs.reeval_due_on: stored by
    the flush hook below on every change of the program or an evaluation, and by refresh_patient
    after injections), so a page that only shows the date reads no evaluations. While the
    program's session holds changes not flushed yet, the rule itself (the row may be behind)."""
    session = object_session(program)
    if session is None or session.new or session.dirty or session.deleted:
        return next_reevaluation(program)
    return program.reeval_due_on


def latest_evaluation(program_id: Any) -> ScalarSelect[Any]:
    """The day of a program's latest re-evaluation (NULL: none) as a column, for a statement that
    reads the program anyway (`program_id`: its column there); next_reevaluation's `latest`."""
    return select(func.max(Evaluation.evaluated_on)).where(Evaluation.program_id == program_id).scalar_subquery()


def reevaluation_due(
    set_on: date | None,
    interval_days: int | None,
    start: date | None,
    latest_evaluation: date | None,
    cycle_due: date | None = None,
) -> date | None:
    """next_reevaluation's rule on plain values: `set_on` (by hand) wins; else `cycle_due` (the
    toxin cycle's next check, `cycle_check`); else the later of the start and the latest
    evaluation, plus `interval_days`; else None (also past 9999-12-31)."""
    if set_on:
        return set_on
    if cycle_due:
        return cycle_due
    if interval_days and start is not None:
        return shift(max(latest_evaluation or start, start), interval_days)
    return None


# A re-evaluation up to a week before a cycle check counts as that check.
CHECK_EARLY_DAYS = 7


def cycle_checks(injected_on: date, plan: OutcomePlan) -> list[date]:
    """The checks after one injection: the expected peak, then before the next injection."""
    weeks = sorted({plan.peak_weeks, plan.before_weeks})
    return [day for w in weeks if (day := shift(injected_on, 7 * w)) is not None]


def cycle_check(patient: Patient, last_evaluated: date | None) -> date | None:
    """The first check of the latest injection's cycle not yet done by a re-evaluation
    (services/toxin_cycle.py records the injections and the patient's choice).

    None when the patient's re-evaluations do not follow the cycle, there is no injection, or both
    checks are done (then the program's own interval applies). A re-evaluation on a check's date,
    after it, or up to CHECK_EARLY_DAYS before it (and after the injection), counts as that check.
    """
    plan: OutcomePlan | None = patient.outcome_plan  # type: ignore[attr-defined]
    if plan is None or not plan.follow_cycle:
        return None
    injections: list[Injection] = patient.injections  # type: ignore[attr-defined]
    if not injections:
        return None
    latest = max(i.injected_on for i in injections)
    for check in cycle_checks(latest, plan):
        if last_evaluated is None or last_evaluated < max(latest, check - timedelta(days=CHECK_EARLY_DAYS)):
            return check
    return None


def refresh_patient(session: Session, patient: Patient) -> list[Program]:
    """Store the next date of each of the patient's programs again after their injections or
    cycle choice changed (the flush hook below sees program and evaluation changes only).
    Returns the programs, for the caller to re-derive their reminders."""
    session.flush()
    session.expire(patient, ["injections", "outcome_plan"])
    found = list(session.scalars(select(Program).where(Program.patient_id == patient.id)))
    for program in found:
        program.reeval_due_on = next_reevaluation(program)
    session.flush()
    return found


# The next date is kept in programs.reeval_due_on, so the dashboard and the calendar feed find
# the due programs of a therapist through an index instead of loading every program with its
# evaluations. It is set here, on every flush that adds or changes a program or an evaluation,
# so no service has to remember it; rows written by plain SQL (a migration, the bench) call
# store_due_dates.


@event.listens_for(Session, "before_flush")
def _keep_due_dates(session: Session, _context, _instances) -> None:  # noqa: ANN001
    touched = {o for o in (*session.new, *session.dirty) if isinstance(o, Program)}
    for evaluation in (*session.new, *session.dirty, *session.deleted):
        if isinstance(evaluation, Evaluation) and evaluation.program is not None:
            touched.add(evaluation.program)
    for program in touched:
        if program in session.deleted:
            continue
        kept = [e.evaluated_on for e in program.evaluations if e not in session.deleted]  # type: ignore[attr-defined]
        latest = max(kept, default=None)
        with session.no_autoflush:
            cycle_due = cycle_check(program.patient, latest) if program.patient is not None else None
        due = reevaluation_due(program.reeval_date, program.reeval_interval_days, program.start_date, latest, cycle_due)
        if program.reeval_due_on != due:
            program.reeval_due_on = due


def store_due_dates(session: Session, program_ids: Iterable[int] | None = None) -> int:
    """Set reeval_due_on of the given programs (all when None) from their rows; returns how many changed.

    For rows written without the ORM (bulk inserts, plain UPDATEs). Flushes; the caller commits.
    """
    session.flush()
    latest = (
        select(Evaluation.program_id, func.max(Evaluation.evaluated_on).label("latest"))
        .group_by(Evaluation.program_id)
        .subquery()
    )
    query = select(
        Program.id,
        Program.reeval_date,
        Program.reeval_interval_days,
        Program.start_date,
        latest.c.latest,
        Program.reeval_due_on,
    ).outerjoin(latest, latest.c.program_id == Program.id)
    if program_ids is not None:
        query = query.where(Program.id.in_(list(program_ids)))
    # Patients whose re-evaluations follow an injection cycle: their programs take the whole rule.
    cycling = set(
        session.scalars(
            select(OutcomePlan.patient_id).where(
                OutcomePlan.follow_cycle.is_(True),
                select(Injection.id).where(Injection.patient_id == OutcomePlan.patient_id).exists(),
            )
        )
    )
    query = query.add_columns(Program.patient_id)
    changes = []
    for program_id, set_on, interval, start, last, stored, patient_id in session.execute(query):
        if patient_id in cycling:
            due = next_reevaluation(session.get_one(Program, program_id))
        else:
            due = reevaluation_due(set_on, interval, start, _as_date(last))
        if due != stored:
            changes.append({"pid": program_id, "due": due})
    if changes:
        session.connection().execute(
            update(PROGRAMS).where(PROGRAMS.c.id == bindparam("pid")).values(reeval_due_on=bindparam("due")),
            changes,
        )
        session.expire_all()
    return len(changes)


def _as_date(value: date | str | None) -> date | None:
    """max() of a date column comes back as text on SQLite."""
    return date.fromisoformat(value) if isinstance(value, str) else value
