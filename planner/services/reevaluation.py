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
    if program.reeval_date:
        return program.reeval_date
    if program.reeval_interval_days:
        # Program.evaluations comes from planner/models/evaluation.py (a backref).
        latest = max((e.evaluated_on for e in program.evaluations), default=program.start_date)  # type: ignore[attr-defined]
        return shift(max(latest, program.start_date), program.reeval_interval_days)
    return None
