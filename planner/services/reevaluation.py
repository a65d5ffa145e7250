"""When a program is next re-evaluated: the one rule, read by pages, reminders, handouts and the API.

A module of its own so that programs.py (which moves the date) and reminders.py (which follows
it) both import it and never each other in a circle. The date is also stored on the program
(`programs.reeval_due_on`, kept by a flush hook below) so lists find due programs by an index.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import Table, bindparam, event, func, select, update
from sqlalchemy.orm import Session

from planner.models import Evaluation, Program
from planner.services.calendar_window import shift

PROGRAMS: Table = Program.__table__  # type: ignore[assignment]  # a declarative class's Table


def next_reevaluation(program: Program) -> date | None:
    """The date set by hand, else the latest re-evaluation (or the start date) plus the interval.

    None without either, or when the sum falls past 9999-12-31 (a start date saved before dates
    were checked): pages then show no date, and no reminder is made.
    """
    # Program.evaluations comes from planner/models/evaluation.py (a backref).
    latest = max((e.evaluated_on for e in program.evaluations), default=None)  # type: ignore[attr-defined]
    return reevaluation_due(program.reeval_date, program.reeval_interval_days, program.start_date, latest)


def reevaluation_due(
    set_on: date | None, interval_days: int | None, start: date, latest_evaluation: date | None
) -> date | None:
    """next_reevaluation's rule on plain values: `set_on` (by hand) wins; else the later of the
    start and the latest evaluation, plus `interval_days`; else None (also past 9999-12-31)."""
    if set_on:
        return set_on
    if interval_days and start is not None:
        return shift(max(latest_evaluation or start, start), interval_days)
    return None


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
        due = reevaluation_due(
            program.reeval_date, program.reeval_interval_days, program.start_date, max(kept, default=None)
        )
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
    changes = []
    for program_id, set_on, interval, start, last, stored in session.execute(query):
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
