"""Which exercises of a program are due on a day: the one rule the reminders and their email use.

A program's "How often" is free text for the patient to read, so the days come from each
exercise's dosage, on the weekdays the tick sheet and the phone page show for it
(`coverage.due_days`: 3 days a week is Monday, Wednesday and Friday), never before the start.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from planner.services.coverage import due_days


def due_on(dosage: Mapping[str, Any] | None, start: date, day: date) -> bool:
    """Whether an exercise with this dosage is done on `day` of a program begun on `start`.

    Never before the start; then on the weekdays `coverage.due_days` gives its `days_per_week`
    (none said: every day), so the email never names an exercise the tick sheet shades as a rest day.
    """
    if day < start:
        return False
    return day.weekday() in due_days((dosage or {}).get("days_per_week"))
