"""When a program is next re-evaluated: the one rule, read by pages, reminders, handouts and the API.

A module of its own so that programs.py (which moves the date) and reminders.py (which follows
it) both import it and never each other in a circle.
"""

from __future__ import annotations

from datetime import date

from planner.models import Program
from planner.services.calendar_window import shift


def next_reevaluation(program: Program) -> date | None:
    """The date set by hand, else the latest re-evaluation (or the start date) plus the interval.

    None without either, or when the sum falls past 9999-12-31 (a start date saved before dates
    were checked): pages then show no date, and no reminder is made.
    """
    # Program.evaluations comes from planner/models/evaluation.py (a backref).
    latest = max((e.evaluated_on for e in program.evaluations), default=None)  # type: ignore[attr-defined]
    return reevaluation_due(program.reeval_date, program.reeval_interval_days, program.start_date, latest)


def reevaluation_due(
    set_on: date | None, interval_days: int | None, start: date | None, latest_evaluation: date | None
) -> date | None:
    """next_reevaluation's rule on plain values: `set_on` (by hand) wins; else the later of the
    start and the latest evaluation, plus `interval_days`; else None (also past 9999-12-31, or
    without a start date). programs.py keeps it in programs.reeval_due_on with it."""
    if set_on:
        return set_on
    if interval_days and start is not None:
        return shift(max(latest_evaluation or start, start), interval_days)
    return None
