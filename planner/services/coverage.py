"""What a program covers: the three goals, the body regions, and about how long it takes.

The one place these are computed; the builder panel, the handout and the API all call it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from planner.catalog.vocabulary import CATEGORIES, REGIONS

# The three goals every home program serves, in the order they are shown.
GOALS = {key: CATEGORIES[key] for key in ("range_of_motion", "strengthening", "posture")}

# Seconds one repetition takes to move into and out of the position, besides any hold.
SECONDS_PER_REPETITION = 4
# Seconds to get into the starting position and read the steps once per exercise.
SETUP_SECONDS = 20


@dataclass(frozen=True)
class Coverage:
    goals_covered: list[str]
    goals_missing: list[str]
    regions: list[str]
    session_minutes: int
    day_minutes: int
    exercise_count: int
    over_limit: bool
    limit: int


def exercise_seconds(dosage: Mapping[str, Any]) -> int:
    """Seconds one session of one exercise takes, from its dosage."""
    if dosage.get("minutes"):
        return int(dosage["minutes"]) * 60 + SETUP_SECONDS
    sets = int(dosage.get("sets") or 1)
    reps = int(dosage.get("repetitions") or 1)
    hold = int(dosage.get("hold_seconds") or 0)
    rest = int(dosage.get("rest_seconds") or 0)
    per_set = reps * (SECONDS_PER_REPETITION + hold)
    return sets * per_set + (sets - 1) * rest + SETUP_SECONDS


def _minutes(seconds: float) -> int:
    return max(1, round(seconds / 60)) if seconds else 0


def coverage(items: Iterable[tuple[str, list[str], Mapping[str, Any]]], limit: int = 6) -> Coverage:
    """Coverage of (category, regions, dosage) triples, one per program item."""
    items = list(items)
    categories = {category for category, _, _ in items}
    regions = {r for _, item_regions, _ in items for r in item_regions}
    session_seconds = sum(exercise_seconds(d) for _, _, d in items)
    day_seconds = sum(exercise_seconds(d) * int(d.get("times_per_day") or 1) for _, _, d in items)
    return Coverage(
        goals_covered=[g for g in GOALS if g in categories],
        goals_missing=[g for g in GOALS if g not in categories],
        regions=[r for r in REGIONS if r in regions],
        session_minutes=_minutes(session_seconds),
        day_minutes=_minutes(day_seconds),
        exercise_count=len(items),
        over_limit=len(items) > limit,
        limit=limit,
    )
