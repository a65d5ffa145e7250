"""What a program covers: the three goals, the body regions, how often and about how long it takes.

The one place these are computed; the builder panel, the handout, the tick sheet, the phone
page and the API all call it. How often and how long come from the items' dosages only: a
program's or template's free text about frequency is a note beside them, never a number here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from planner.catalog.vocabulary import CATEGORIES, REGIONS

# The three goals every home program serves, in the order they are shown.
GOALS = {key: CATEGORIES[key] for key in ("range_of_motion", "strengthening", "posture")}

# Seconds one repetition takes to move into and out of the position, besides any hold.
SECONDS_PER_REPETITION = 4
# Seconds to get into the starting position and read the steps once per exercise.
SETUP_SECONDS = 20


# The weekdays (0 Monday … 6 Sunday) an exercise done n days a week is due. Rest days are spread
# between the working days, so muscles that were strengthened get a day off (3 days: Monday,
# Wednesday, Friday); with 5 or 6 days the rest falls at the weekend.
DUE_DAYS: dict[int, tuple[int, ...]] = {
    1: (0,),
    2: (0, 3),
    3: (0, 2, 4),
    4: (0, 1, 3, 5),
    5: (0, 1, 2, 3, 4),
    6: (0, 1, 2, 3, 4, 5),
    7: (0, 1, 2, 3, 4, 5, 6),
}


def due_days(days_per_week: int | None) -> tuple[int, ...]:
    """The weekdays (0 Monday … 6 Sunday) on which an exercise done `days_per_week` days is due.

    None (not said) means every day; a number outside 1..7 is held to that range. The tick
    sheet, the phone page and the words "Monday, Wednesday and Friday" all read this one choice.
    """
    days = 7 if days_per_week is None else min(7, max(1, int(days_per_week)))
    return DUE_DAYS[days]


def times_a_day(dosage: Mapping[str, Any]) -> int:
    """How many times a day the exercise is done (1 when the dosage does not say)."""
    return max(1, int(dosage.get("times_per_day") or 1))


@dataclass(frozen=True)
class Frequency:
    """Exercises done equally often: how many times a day, on which weekdays, and which ones."""

    times_per_day: int
    days: tuple[int, ...]  # weekdays, 0 Monday … 6 Sunday
    items: tuple[int, ...]  # the exercises' numbers in the program, from 1


def frequencies(dosages: Iterable[Mapping[str, Any]]) -> list[Frequency]:
    """The program's items grouped by how often they are done, in the order they first appear."""
    groups: dict[tuple[int, tuple[int, ...]], list[int]] = {}
    for number, dosage in enumerate(dosages, start=1):
        key = (times_a_day(dosage), due_days(dosage.get("days_per_week")))
        groups.setdefault(key, []).append(number)
    return [Frequency(times, days, tuple(numbers)) for (times, days), numbers in groups.items()]


@dataclass(frozen=True)
class Coverage:
    goals_covered: list[str]
    goals_missing: list[str]
    regions: list[str]
    # The longest round of every exercise due on one day, once each.
    session_minutes: int
    # The busiest day: each exercise due that day, as many times as it is done a day.
    day_minutes: int
    exercise_count: int
    over_limit: bool
    limit: int
    frequencies: list[Frequency] = field(default_factory=list)
    # Minutes on each weekday, Monday first (0 on a day nothing is due).
    minutes_by_day: tuple[int, ...] = (0,) * 7
    # The shortest round on any day: the k-th time of a day holds only the exercises done at
    # least k times a day, so with 1 and 4 times a day the later rounds are short (0: none).
    shortest_session_minutes: int = 0
    # The goals checked (GOALS' keys): none for a pattern of the voice, eyes and face or jaw
    # alone, whose work is not the neck's and limbs' range, strength and posture (goals_for).
    goals_checked: tuple[str, ...] = tuple(GOALS)
    # With no goal checked: what the recorded pattern is of, in words ("the eyes and face").
    goals_not_checked_for: str = ""


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


# Focal areas whose home work is not range of motion, strengthening and posture of the neck
# and limbs: a pattern of these alone is not asked for the three goals.
OWN_WORK_AREAS = frozenset({"voice", "eyes_face", "jaw_mouth"})


# How the builder names each of them, in this order.
OWN_WORK_WORDS = {"voice": "the voice", "eyes_face": "the eyes and face", "jaw_mouth": "the jaw and mouth"}


def own_work_words(areas: Iterable[str]) -> str:
    """The recorded areas of OWN_WORK_AREAS in words, only those recorded: "the eyes and face",
    "the voice and the jaw and mouth", "the voice, the eyes and face and the jaw and mouth"; ""
    when none is recorded."""
    said = [words for area, words in OWN_WORK_WORDS.items() if area in set(areas)]
    return " and ".join(said) if len(said) < 3 else f"{', '.join(said[:-1])} and {said[-1]}"


def goals_for(neck_pulls: bool, tremor: bool, areas: Iterable[str]) -> tuple[str, ...]:
    """The goals the balance check asks of a program for a recorded pattern: all three, or none
    when the pattern is only of the voice, eyes and face or jaw (no neck pull, no head tremor)."""
    areas = set(areas)
    if areas and areas <= OWN_WORK_AREAS and not neck_pulls and not tremor:
        return ()
    return tuple(GOALS)


def coverage(
    items: Iterable[tuple[str, list[str], Mapping[str, Any]]], limit: int = 6, goals: tuple[str, ...] = tuple(GOALS)
) -> Coverage:
    """Coverage of (category, regions, dosage) triples, one per program item; `goals`: the goals
    checked (goals_for the patient's pattern)."""
    items = list(items)
    categories = {category for category, _, _ in items}
    regions = {r for _, item_regions, _ in items for r in item_regions}
    dosages = [d for _, _, d in items]
    session_by_day = [0] * 7
    day_seconds = [0] * 7
    # rounds[day][k]: seconds of the (k+1)-th time that day, of the exercises done that often.
    rounds: list[list[int]] = [[] for _ in range(7)]
    for dosage in dosages:
        seconds = exercise_seconds(dosage)
        times = times_a_day(dosage)
        for day in due_days(dosage.get("days_per_week")):
            session_by_day[day] += seconds
            day_seconds[day] += seconds * times
            rounds[day].extend([0] * (times - len(rounds[day])))
            for k in range(times):
                rounds[day][k] += seconds
    every_round = [seconds for day in rounds for seconds in day if seconds]
    # A day's minutes add up its rounds as each is said ("About 6 minutes each time" twice is 12
    # minutes a day, never 13 from the seconds summed first): the patient can check the sum.
    minutes_by_day = tuple(sum(_minutes(seconds) for seconds in rounds[day]) for day in range(7))
    return Coverage(
        goals_covered=[g for g in goals if g in categories],
        goals_missing=[g for g in goals if g not in categories],
        regions=[r for r in REGIONS if r in regions],
        session_minutes=_minutes(max(session_by_day)),
        day_minutes=max(minutes_by_day),
        exercise_count=len(items),
        over_limit=len(items) > limit,
        limit=limit,
        frequencies=frequencies(dosages),
        minutes_by_day=minutes_by_day,
        shortest_session_minutes=_minutes(min(every_round)) if every_round else 0,
        goals_checked=goals,
    )
