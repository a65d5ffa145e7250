"""A dosage: its limits, its checks, and THE one place it is written in words.

Pages, handouts and the API all call `in_words`, so a patient reads the same sentence on
paper and on screen. Numbers stay digits: they are easier to find again mid-exercise.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Inclusive limits of each dosage key, as in docs/catalog-format.md. The program builder
# checks a therapist's changes against the same table.
LIMITS: dict[str, tuple[int, int]] = {
    "sets": (1, 10),
    "repetitions": (1, 50),
    "hold_seconds": (1, 120),
    "rest_seconds": (0, 300),
    "times_per_day": (1, 6),
    "days_per_week": (1, 7),
    "minutes": (1, 60),
}

# A dosage needs at least one of these to say how much to do.
AMOUNT_KEYS = ("repetitions", "hold_seconds", "minutes")

SIDES = ("left", "right", "both")

_SIDE_WORDS = {
    "left": "Do this with your left side.",
    "right": "Do this with your right side.",
    "both": "Do this with both sides.",
}


def dosage_problems(dosage: Any, field: str = "dosage") -> list[tuple[str, str]]:
    """What is wrong with a dosage table, as (field, message) pairs; empty when it is fine."""
    if not isinstance(dosage, Mapping):
        return [(field, "must be a table of numbers, such as sets and repetitions")]
    problems = []
    for key, value in dosage.items():
        if key not in LIMITS:
            problems.append((f"{field}.{key}", f"unknown key; use {', '.join(LIMITS)}"))
            continue
        low, high = LIMITS[key]
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append((f"{field}.{key}", f"must be a whole number from {low} to {high}"))
        elif not low <= value <= high:
            problems.append((f"{field}.{key}", f"{value} is out of range: use {low} to {high}"))
    if not any(k in dosage for k in AMOUNT_KEYS):
        problems.append((field, "give at least one of repetitions, hold_seconds or minutes"))
    return problems


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _duration(seconds: int) -> str:
    # Whole minutes read better as minutes ("Hold for 2 minutes"); anything else stays seconds.
    if seconds >= 60 and seconds % 60 == 0:
        return _count(seconds // 60, "minute", "minutes")
    return _count(seconds, "second", "seconds")


def _how_often(dosage: Mapping[str, Any]) -> str:
    parts = []
    sets = dosage.get("sets")
    if sets:
        parts.append("Do " + _count(sets, "set", "sets"))
    per_day = dosage.get("times_per_day")
    if per_day:
        parts.append("once a day" if per_day == 1 else f"{per_day} times a day")
    per_week = dosage.get("days_per_week")
    if per_week:
        parts.append("every day" if per_week == 7 else _count(per_week, "day", "days") + " a week")
    if not parts:
        return ""
    if not sets:
        parts[0] = "Do this " + parts[0]
    return ", ".join(parts) + "."


def sentences(dosage: Mapping[str, Any] | None, side: str | None = None) -> list[str]:
    """The dosage as short sentences, in the order a patient does them."""
    dosage = dosage or {}
    said = []
    if side in _SIDE_WORDS:
        said.append(_SIDE_WORDS[side])
    if dosage.get("hold_seconds"):
        said.append(f"Hold for {_duration(dosage['hold_seconds'])}.")
    reps = dosage.get("repetitions")
    if reps:
        said.append("Do it once." if reps == 1 else f"Repeat {reps} times.")
    if dosage.get("minutes"):
        said.append(f"Keep going for {_count(dosage['minutes'], 'minute', 'minutes')}.")
    how_often = _how_often(dosage)
    if how_often:
        said.append(how_often)
    # The rest is between sets (as the session time counts it): with one set there is none to say.
    if dosage.get("rest_seconds") and int(dosage.get("sets") or 1) > 1:
        said.append(f"Rest for {_duration(dosage['rest_seconds'])} between sets.")
    return said


def in_words(dosage: Mapping[str, Any] | None, side: str | None = None) -> str:
    """The dosage in plain words, e.g. "Hold for 5 seconds. Repeat 10 times. Do 2 sets, 2 times a day."

    An empty dosage gives an empty string; an unknown side is left out rather than guessed.
    """
    return " ".join(sentences(dosage, side))
