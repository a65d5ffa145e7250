"""What the patient did and reported at home, as the therapist reads it (the progress panel of the
builder and the patient's page): adherence week by week, the pain rated day by day, the newest
comments and the unseen pain alerts. What the patient ticks and reports: services/portal.py."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

from sqlalchemy import (
    Row,
    Select,
    bindparam,
    literal,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from planner.dystonia.direction import Direction
from planner.models import Program
from planner.models.portal import DayReport, ExerciseLog, PainAlert
from planner.scoping import scoped
from planner.services import UNREAD, Unread, day_counts
from planner.services.given import Frozen, GivenItem, in_force


@dataclass(frozen=True)
class WeekAdherence:
    """One week of `adherence`: times ticked and times planned (each time of a day counts once)."""

    start: date  # its Monday
    done: int
    planned: int

    @property
    def percent(self) -> int | None:
        """Times done as a percent of times planned, at most 100; None when nothing was planned
        (rest days only, as a program begun on a Saturday with Monday-Wednesday-Friday work, or
        every exercise due held back for a new sheet): no figure, never a 0 % the patient did not earn."""
        return min(100, round(100 * self.done / self.planned)) if self.planned else None


def adherence(
    session: Session,
    program: Program,
    today: date,
    weeks: int = 8,
    directions: list[Direction] | None = None,
    newest: Frozen | None | Unread = UNREAD,
    newest_items: list[GivenItem] | None = None,
) -> list[WeekAdherence]:
    """Per week (Monday first, oldest first, from the program's start to `today`): the times the
    exercises were ticked against the times planned, each time of a day counted, as the phone
    page counts them (day_plan and day_count, day by day): an exercise done 2 times a day on
    3 days a week plans 6 a week; a tick on a rest day, or of an exercise waiting for its way to
    move or the therapist's check, counts in neither. Each day plans what the version given by
    then says (given.in_force), so an edit not given yet changes nothing, and a week before a
    change keeps what was planned then. `directions`: program_directions(program), when the caller
    has them (read only for a program never given); `newest`: given.last_frozen's answer, when the
    caller has read it, and `newest_items` its items (given.in_force)."""
    this_monday = today - timedelta(days=today.weekday())
    # Safe for any stored start date: 0001-01-01 was a Monday, and the weeks stop at today.
    first = max(
        program.start_date - timedelta(days=program.start_date.weekday()), this_monday - timedelta(weeks=weeks - 1)
    )
    ticks: dict[date, dict[tuple[int, int], int]] = {}  # each copy of a twin on its own (ExerciseLog.copy)
    for day, exercise_id, copy, times in session.execute(
        _TIMES_BY_DAY, {"program_id": program.id, "first": first, "today": today}
    ):
        ticks.setdefault(day, {})[(exercise_id, copy)] = times
    # Each day counts what the version given by then planned (given.in_force), read once for the
    # weeks; the newest one's exercises a re-evaluation moved are stopped from the day it was recorded.
    forced = in_force(session, program, first, directions, newest, newest_items)
    # Each key once (day_counts.unique), as plan_of counts it: made so here, not once a day.
    versions = [
        (
            since,
            day_counts.unique(
                day_counts.schedules(items, since, day_counts.moved_since(program) if n == len(forced) - 1 else None)
            ),
        )
        for n, (since, items) in enumerate(forced)
    ]
    # The days from which exercises of each version stop: which of them are stopped on a day is
    # told by how many of these have come.
    stops = [sorted({s.stopped_on for s in found if s.stopped_on is not None}) for _, found in versions]
    # A day without ticks counts as every other such day of its weekday under the same version,
    # where the same exercises are stopped: counted once per such key.
    unticked: dict[tuple[int, int, int], tuple[int, int]] = {}
    result = []
    at = 0  # the version in force on the day counted: the last given on or before it (days go forward)
    monday = first
    while monday <= this_monday:
        day = max(monday, program.start_date)
        end = min(monday + _SIX_DAYS, today)
        if day <= end:
            done = planned = 0
            while day <= end:
                while at + 1 < len(versions) and versions[at + 1][0] <= day:
                    at += 1
                found = versions[at][1]
                if day in ticks:
                    ticked, times = day_counts.unique_day_totals(found, day, ticks[day])
                else:
                    key = (at, day.weekday(), bisect_right(stops[at], day))
                    if key not in unticked:
                        unticked[key] = day_counts.unique_day_totals(found, day, {})
                    ticked, times = unticked[key]
                done += ticked
                planned += times
                day += _ONE_DAY
            result.append(WeekAdherence(monday, done, planned))
        monday += _WEEK
    return result


_ONE_DAY, _SIX_DAYS, _WEEK = timedelta(days=1), timedelta(days=6), timedelta(weeks=1)


class DayNote(NamedTuple):
    """A day's report as the progress panel lists it: a row, not a loaded DayReport."""

    day: date
    pain: int | None  # 0-10
    difficulty: str  # a DIFFICULTIES key or ""
    comment: str


class AlertNote(NamedTuple):
    """An unseen pain alert as the progress panel lists it: a row, not a loaded PainAlert."""

    day: date
    reason: str
    comment: str  # the patient's comment on the day that raised it ("" when none)


@dataclass(frozen=True)
class HomeReports:
    """What the patient reported at home, for the progress panel (home_reports)."""

    pains: list[tuple[date, int]]  # (day, pain 0-10) of each day since the first day asked, oldest first
    comments: list[DayNote]  # the newest days with a comment, newest first
    alerts: list[AlertNote]  # the unseen pain alerts, newest first


def home_reports(session: Session, clinic_id: int, patient_id: int, since: date, comments: int = 10) -> HomeReports:
    """The pain the patient rated on each day from `since` on, their `comments` newest comments
    and their unseen pain alerts (as open_alerts gives them), in one statement of plain rows: the
    builder and the patient's page show them on every view."""
    found: dict[int, list[Row[Any]]] = {PAINS: [], COMMENTS: [], ALERTS: []}
    values = {"clinic_id": clinic_id, "patient_id": patient_id, "since": since, "limit": comments}
    for row in session.execute(_HOME_REPORTS, values):
        found[row.part].append(row)
    alerts = sorted(found[ALERTS], key=lambda r: (r.created_at, r.id), reverse=True)
    return HomeReports(
        pains=[(r.day, r.pain) for r in sorted(found[PAINS], key=lambda r: r.day)],
        comments=[
            DayNote(r.day, r.pain, r.difficulty, r.words)
            for r in sorted(found[COMMENTS], key=lambda r: r.day, reverse=True)
        ],
        alerts=[AlertNote(r.day, r.words, r.comment or "") for r in alerts],
    )


def pain_history(session: Session, clinic_id: int, patient_id: int, since: date) -> list[DayReport]:
    """The patient's day reports (pain 0-10 or None, difficulty, comment) of the clinic
    `clinic_id` from the day `since` on, oldest first; [] when none. A patient id of another
    clinic reads nothing."""
    values = {"clinic_id": clinic_id, "patient_id": patient_id, "since": since}
    return list(session.scalars(_REPORTS_SINCE, values))


# The statements of the progress panel (the builder and the patient page read it on every view),
# built once: building one costs more than running it on a patient's few rows.
_TIMES_BY_DAY = select(ExerciseLog.day, ExerciseLog.exercise_id, ExerciseLog.copy, ExerciseLog.times).where(
    ExerciseLog.program_id == bindparam("program_id"),
    ExerciseLog.day >= bindparam("first"),
    ExerciseLog.day <= bindparam("today"),
)
_REPORTS_SINCE = (
    scoped(DayReport, bindparam("clinic_id"))
    .where(DayReport.patient_id == bindparam("patient_id"), DayReport.day >= bindparam("since"))
    .order_by(DayReport.day)
)


# home_reports' statement, built once: its three parts, told apart by `part`, in one round trip.
# Each part is ordered (and the comments limited) in its own subquery; a UNION ALL keeps no order,
# so home_reports sorts each part again.
PAINS, COMMENTS, ALERTS = 0, 1, 2


def _home_part(part: int, query: Select[*tuple[Any, ...]]) -> Select[Any]:
    found = query.subquery()
    return select(literal_column(str(part)).label("part"), *found.c)


def _report_columns() -> tuple[Any, ...]:
    return (
        DayReport.day,
        DayReport.pain,
        DayReport.difficulty,
        DayReport.comment.label("words"),
        null().label("comment"),
        DayReport.updated_at.label("created_at"),
        DayReport.id,
    )


_HOME_REPORTS = union_all(
    _home_part(
        PAINS,
        scoped(DayReport, bindparam("clinic_id"))
        .with_only_columns(*_report_columns())
        .where(
            DayReport.patient_id == bindparam("patient_id"),
            DayReport.day >= bindparam("since"),
            DayReport.pain.is_not(None),
        ),
    ),
    _home_part(
        COMMENTS,
        scoped(DayReport, bindparam("clinic_id"))
        .with_only_columns(*_report_columns())
        .where(DayReport.patient_id == bindparam("patient_id"), DayReport.comment != "")
        .order_by(DayReport.day.desc())
        .limit(bindparam("limit")),
    ),
    _home_part(
        ALERTS,
        scoped(PainAlert, bindparam("clinic_id"))
        .with_only_columns(
            PainAlert.day,
            PainAlert.pain,
            literal("").label("difficulty"),
            PainAlert.reason.label("words"),
            DayReport.comment,
            PainAlert.created_at,
            PainAlert.id,
        )
        .outerjoin(DayReport, DayReport.id == PainAlert.day_report_id)
        .where(PainAlert.patient_id == bindparam("patient_id"), PainAlert.seen.is_(False)),
    ),
)
