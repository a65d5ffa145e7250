"""Which exercises of a program are due on a day: the one rule the reminders and their email use.

A program's "How often" is free text for the patient to read, so the days come from each
exercise's dosage: no days a week, or 7, is every day; 3 days a week is 3 days in every 7,
spread evenly from the program's start (days 1, 4 and 6 of each week counted from the start day).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from planner.models import Program, ProgramItem


def due_on(dosage: Mapping[str, Any] | None, start: date, day: date) -> bool:
    """Whether an exercise with this dosage is done on `day` of a program begun on `start`.

    Never before the start. `days_per_week` d (1–6) picks d days of each 7, evenly spaced and
    the start day first: day n of the program (0 = start) is one when n·d mod 7 < d.
    """
    n = (day - start).days
    if n < 0:
        return False
    per_week = (dosage or {}).get("days_per_week")
    if not per_week or per_week >= 7:
        return True
    return n * per_week % 7 < per_week


def due_items(program: Program, day: date) -> list[ProgramItem]:
    """The program's exercises due on `day`, in the program's order; empty on a rest day."""
    return [item for item in program.items if due_on(item.dosage, program.start_date, day)]
