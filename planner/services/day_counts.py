"""How one day of exercises counts: the phone page's "3 of 8 times done today" and the therapist's
adherence are the same numbers, worked out here once (PlannedExercise.counted).

Ticks are kept by program, exercise and day (models.portal.ExerciseLog), so they outlive the
versions of a program. Two moments split a day's ticks of one exercise (trial 13, F4):
- a re-evaluation that changes the way to move of an exercise on the patient's sheet (given.py,
  moved_since): from the day it was recorded the patient stops that exercise until the new sheet
  (`Schedule.stopped_on`). What they ticked before stays shown and counted: as done, and as planned
  (they did what their sheet said), with nothing more planned for it;
- the new sheet given the same day: the times already ticked that day for an exercise whose way to
  move changed with it were for the paper before. They are written into the new version's snapshot
  row as "ticked_before" when it is given (`note_ticked_before`), so the new paper's count of that
  day starts from 0 while the earlier ticks still count as done and planned, as above.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.models import Program
from planner.models.portal import ExerciseLog
from planner.services.clinic_time import clinic_zone
from planner.services.coverage import due_days, times_a_day
from planner.services.given import Frozen, GivenItem, last_frozen
from planner.services.patterns import TickKey, copies
from planner.services.recorded_patterns import current_pattern


class ProgramKey(Protocol):
    """What note_ticked_before reads of a program: a Program, or the ids of one (issuing.Printed)."""

    @property
    def id(self) -> int: ...

    @property
    def clinic_id(self) -> int: ...


class Schedule(NamedTuple):
    """One exercise of a version, as its days count."""

    exercise_id: int
    days: tuple[int, ...]  # its weekdays, 0 Monday (coverage.due_days)
    times: int  # times a day
    # From this day on the patient does not do it (date.min: never, as it waited from the start:
    # no side, or the therapist's check; None: they do it).
    stopped_on: date | None = None
    given_on: date | None = None  # the day its version was given (for ticked_before)
    ticked_before: int = 0  # times ticked on given_on for the paper before (GivenItem.ticked_before)
    copy: int = 0  # which copy of its exercise (GivenItem.copy): each copy is ticked on its own

    @property
    def key(self) -> TickKey:
        """What its ticks are kept by: (exercise id, copy)."""
        return (self.exercise_id, self.copy)


@dataclass(frozen=True)
class PlannedExercise:
    """One exercise of the program on one day, as the phone page shows it."""

    due: bool  # the day is one of its days (coverage.due_days)
    times: int  # how many times a day it is done
    done: int  # how many of them the patient ticked, for the paper as it is
    days: tuple[int, ...]  # its weekdays, 0 Monday
    earlier: int = 0  # times ticked that day for the way to move before the change (kept, counted)
    waiting: bool = False  # the patient waits (or stops it) that day: none of its times is planned
    stopped: bool = False  # waiting because a re-evaluation moved it: stopped until the new sheet

    @property
    def complete(self) -> bool:
        return self.done >= self.times

    @property
    def counted(self) -> tuple[int, int]:
        """(times done, times planned) of this exercise that day: the one rule of the phone page's
        count and of adherence. A time ticked for the way to move before a change counts as done
        and as planned; an exercise the patient waits for or stops plans nothing more; a tick on
        a rest day counts in neither; never more ticked than prescribed."""
        return _counted(self.due, self.waiting, self.done, self.times, self.earlier)


def _counted(due: bool, waiting: bool, done: int, times: int, earlier: int) -> tuple[int, int]:
    """PlannedExercise.counted of these values (day_totals counts by it without a PlannedExercise)."""
    if due and not waiting:
        return done + earlier, times + earlier
    return earlier, earlier


def schedules(items: Iterable[GivenItem], given_on: date | None, moved_since: date | None) -> list[Schedule]:
    """The Schedules of a version's items. `given_on`: the clinic's day it was given; `moved_since`:
    the day from which an item a re-evaluation moved (GivenItem.moved) is stopped, None where the
    version is not the newest (its next version replaced it: it counts in full)."""
    found = []
    for item in items:
        if item.moved:
            stopped = moved_since
        elif item.waiting:
            stopped = date.min
        else:
            stopped = None
        dosage = item.dosage
        found.append(
            Schedule(
                item.exercise_id,
                due_days(dosage.get("days_per_week")),
                times_a_day(dosage),
                stopped,
                given_on,
                item.ticked_before,
                item.copy,
            )
        )
    return found


def one_day(schedule: Schedule, day: date, ticked: int) -> PlannedExercise:
    """The PlannedExercise of `schedule` on `day`, with `ticked` the times its log row holds."""
    done, earlier, waiting, stopped = _of_day(schedule, day, ticked)
    return PlannedExercise(
        day.weekday() in schedule.days, schedule.times, done, schedule.days, earlier, waiting, stopped
    )


def _of_day(schedule: Schedule, day: date, ticked: int) -> tuple[int, int, bool, bool]:
    """one_day's (done, earlier, waiting, stopped) of `schedule` on `day`, `ticked` times ticked."""
    earlier = min(schedule.ticked_before, ticked) if schedule.given_on == day else 0
    if schedule.stopped_on is not None and day >= schedule.stopped_on:
        # Stopped by a re-evaluation: every time ticked that day was for the paper before the
        # change. Waiting from the start (no side, not checked): it was never to be done.
        stopped = schedule.stopped_on != date.min
        if stopped:
            earlier = min(ticked, schedule.times + earlier)
        return 0, earlier, True, stopped
    return min(max(ticked - earlier, 0), schedule.times), earlier, False, False  # never more than prescribed now


def plan_of(found: list[Schedule], day: date, done: Mapping[TickKey, int]) -> dict[TickKey, PlannedExercise]:
    """Each exercise of `found` on `day` by (exercise id, copy); `done`: the times ticked that day by the same key."""
    return {s.key: one_day(s, day, int(done.get(s.key, 0))) for s in found}


def day_totals(found: list[Schedule], day: date, ticks: Mapping[TickKey, int]) -> tuple[int, int]:
    """totals(plan_of(found, day, ticks)), worked out without a PlannedExercise per exercise: the
    builder's adherence counts every day of 8 weeks on each view. As plan_of, a key (exercise id,
    copy) counts once (its last schedule in `found`)."""
    return unique_day_totals(unique(found), day, ticks)


def unique(found: list[Schedule]) -> list[Schedule]:
    """`found` with each key (exercise id, copy) once: its last schedule, as plan_of counts it."""
    return list({s.key: s for s in found}.values())


def unique_day_totals(found: list[Schedule], day: date, ticks: Mapping[TickKey, int]) -> tuple[int, int]:
    """day_totals of schedules already `unique`: adherence makes them so once per version, not
    once a day."""
    weekday = day.weekday()
    done_all = planned = 0
    for schedule in found:
        done, earlier, waiting, _ = _of_day(schedule, day, int(ticks.get(schedule.key, 0)))
        day_done, day_planned = _counted(weekday in schedule.days, waiting, done, schedule.times, earlier)
        done_all += day_done
        planned += day_planned
    return done_all, planned


def totals(plan: Mapping[TickKey, PlannedExercise]) -> tuple[int, int]:
    """(times done, times planned) of a day: PlannedExercise.counted, summed."""
    done = planned = 0
    for p in plan.values():
        d, t = p.counted
        done += d
        planned += t
    return done, planned


def moved_since(program: Program) -> date:
    """The day from which the patient stops the exercises a re-evaluation moved on their sheet:
    the program's mark of a moved paper (Program.paper_moved_on), else the current pattern's day."""
    if program.paper_moved_on is not None:
        return program.paper_moved_on
    row = current_pattern(program.patient)
    return row.recorded_on if row is not None else date.min


def note_ticked_before(
    session: Session, program: ProgramKey, frozen: dict[str, Any], before: Frozen | None, now: datetime
) -> None:
    """When a version is given (`frozen`: its snapshot, before it is stored): for each item whose
    way to move differs from the version given before (`before`: another side, sentence, picture or
    start), the times already ticked today (the clinic's day of `now`) were for the paper before.
    They go into its row as "ticked_before", so the new paper's count of today starts from 0.

    Every way a version is frozen calls it (issuing.issue: print, email, link; issue_printed: the
    handouts export), so the stored snapshot, and the patient export that copies it, count alike.
    `program`: the Program, or any object with its `id` and `clinic_id` (ProgramKey)."""
    if before is None:
        return
    paper = dict(zip(_row_keys(before.snapshot.get("items", [])), before.snapshot.get("items", []), strict=True))
    keys = ("side", "direction", "mirrored", "start_posture")
    rows = list(zip(_row_keys(frozen.get("items", [])), frozen.get("items", []), strict=True))
    changed = {key for key, row in rows if key in paper and any(row.get(k) != paper[key].get(k) for k in keys)}
    if not changed:
        return
    today = now.astimezone(clinic_zone(session, program.clinic_id)).date()
    ticked = {
        (exercise_id, copy): times
        for exercise_id, copy, times in session.execute(
            select(ExerciseLog.exercise_id, ExerciseLog.copy, ExerciseLog.times).where(
                ExerciseLog.program_id == program.id,
                ExerciseLog.day == today,
                ExerciseLog.exercise_id.in_({exercise_id for exercise_id, _ in changed}),
            )
        )
    }
    for key, row in rows:
        if key in changed and ticked.get(key):
            row["ticked_before"] = int(ticked[key])


def _row_keys(rows: list[dict[str, Any]]) -> list[tuple[Any, int]]:
    """Each snapshot row's (exercise id, copy) (patterns.copies; a row without its id: None)."""
    ids = [row.get("exercise_id") for row in rows]
    return list(zip(ids, copies(ids), strict=True))


def earlier_today(session: Session, program: Program, key: TickKey, day: date) -> int:
    """The times of `day` ticked for the paper before the last version was given (its
    "ticked_before"), 0 unless that version was given on `day`: tick and untick start the new
    paper's times after them."""
    newest = last_frozen(session, program.id)
    if newest is None:
        return 0
    items = newest.snapshot.get("items", [])
    rows = [r for k, r in zip(_row_keys(items), items, strict=True) if k == key]
    before = max((int(r.get("ticked_before", 0)) for r in rows), default=0)
    if not before or newest.created_at.astimezone(clinic_zone(session, program.clinic_id)).date() != day:
        return 0
    return before
