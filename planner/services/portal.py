"""Patient access: the link's address, the program the patient follows, ticks and day reports (the
link itself, its token made, revoked and resolved: services/patient_links.py; pain alerts:
services/alerts.py; what the therapist reads of it all: services/home_reports.py).

No Flask here: the portal pages, the therapist's pages and the tests call these functions.
"""

from __future__ import annotations

import functools
from collections.abc import Set
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    bindparam,
    or_,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from planner.i18n import ENGLISH, N_, Translator, translator
from planner.models import Patient, Program, ProgramItem
from planner.models.portal import DayReport, ExerciseLog, PainAlert
from planner.scoping import scoped
from planner.services import UNREAD, DomainError, NotFound, Unread, alerts, day_counts
from planner.services.clinic_time import clinic_zone
from planner.services.coverage import due_days, times_a_day
from planner.services.day_counts import PlannedExercise
from planner.services.given import Given, given_version, tickable
from planner.services.patient_links import current_links, link_token
from planner.services.patterns import TickKey
from planner.services.program_items import load_items

# How hard the exercises felt, as the patient picks it; the phone page says them in the patient's language.
DIFFICULTIES = {"easy": N_("Easy"), "right": N_("About right"), "hard": N_("Hard")}
PATH = "/p"  # where the patient's pages live; the portal blueprint is mounted here
BACKFILL_DAYS = 7  # a patient may add what they did up to a week back
# With a tremor a tap often lands twice: a second tap this soon after the first changes nothing
# (see a_moment_ago), and the phone page says so.
REPEAT_SECONDS = 5
# What the undo page then says (in the patient's language: the page translates it).
TICKED_A_MOMENT_AGO = N_("You ticked this a moment ago, so the tick stays. To take it away, tap the button again.")


def a_moment_ago(then: datetime, now: datetime) -> bool:
    """Whether `then` (a tick, or the undo question shown) is under REPEAT_SECONDS before `now`:
    a tap that soon after is the same shaky tap again, never a choice. The one rule for the next
    time's box, taking a tick back and the undo page's "Yes". A `then` after `now` (clocks of the
    app and the database) counts as a moment ago, so the tick stays."""
    return now - then < timedelta(seconds=REPEAT_SECONDS)


COMMENT_MAX = 500


# ---- the link's address (the link itself: services/patient_links.py) ----------------------


def link_url(session: Session, patient_id: int, secret_key: str, public_url: str, now: datetime) -> str | None:
    """The full address of the patient's working link, for QR codes and emails; None without one."""
    return link_urls(session, [patient_id], secret_key, public_url, now).get(patient_id)


def link_urls(
    session: Session, patient_ids: list[int], secret_key: str, public_url: str, now: datetime
) -> dict[int, str]:
    """link_url for many patients in one query (the export); patients without a working link are left out."""
    if not public_url or not patient_ids:
        return {}
    return {
        patient_id: f"{public_url.rstrip('/')}{PATH}/{link_token(link, secret_key)}"
        for patient_id, link in current_links(session, patient_ids, now).items()
    }


def given() -> ColumnElement[bool]:
    """Where a program has been given to the patient: a version of it printed, emailed or exported
    (issuing.issue), now or before a later change (which starts a version not yet given). A
    program the therapist is still making, never issued, is not the patient's yet."""
    return or_(Program.issued.is_(True), Program.version > 1)


def has_exercises() -> ColumnElement[bool]:
    """Where a program has at least one exercise: one given empty (before issuing.refuse_empty)
    never takes the phone page from the program the patient holds."""
    return select(ProgramItem.id).where(ProgramItem.program_id == Program.id).exists()


@functools.cache
def _active() -> Select[Any]:
    """active_program's statement, built once."""
    return (
        scoped(Program, bindparam("clinic_id"))
        .where(Program.patient_id == bindparam("patient_id"), Program.archived_at.is_(None), given(), has_exercises())
        .order_by(Program.start_date.desc(), Program.id.desc())
    )


def active_program(session: Session, patient: Patient, items: bool = False) -> Program | None:
    """The program the patient follows now: the newest one given to them (`given`) and not
    archived, with an exercise; None when none was given. The phone page, its reminders email and the therapist's
    adherence read this one, so a program the therapist is still making (a draft, never printed,
    emailed, exported or downloaded) never reaches the patient, and a new one started from a
    template stays off the phone, behind the one on paper, until it is given. `items`: its items
    and their exercises read with it, in one more statement (the phone page shows them)."""
    found = session.scalars(_active(), {"clinic_id": patient.clinic_id, "patient_id": patient.id}).first()
    return load_items(session, found) if items and found is not None else found


def program_for_alerts(session: Session, patient: Patient) -> Program | None:
    """The program a pain alert from the patient's answers is sent with (its therapist is told):
    the one given (active_program), else the newest not archived. A patient's pain reaches the
    therapist whether or not a program has been given yet; None when there is no program at all."""
    return (
        active_program(session, patient)
        or session.scalars(
            scoped(Program, patient.clinic_id)
            .where(Program.patient_id == patient.id, Program.archived_at.is_(None))
            .order_by(Program.start_date.desc(), Program.id.desc())
        ).first()
    )


# ---- ticks and day reports --------------------------------------------------------------


def log_days(today: date, start: date | None) -> list[date]:
    """The days a patient may add what they did for, today first: up to BACKFILL_DAYS back, never
    before the program's start date (`start`; None: no program). Today always, so a program
    starting later still shows today's page."""
    first = today - timedelta(days=BACKFILL_DAYS)
    if start is not None and start > first:
        first = min(start, today)
    return [today - timedelta(days=n) for n in range((today - first).days + 1)]


def check_day(day: date, today: date, start: date | None = None) -> date:
    """:raise DomainError: for a day in the future, more than a week back, or before the
    program's start date (`start`) when that is not today."""
    if day > today:
        raise DomainError("That day has not come yet.", "day")
    if day < today - timedelta(days=BACKFILL_DAYS):
        raise DomainError(f"You can add days up to {BACKFILL_DAYS} days back.", "day")
    if start is not None and day < start and day != today:
        raise DomainError(BEFORE_START, "day")
    return day


# A day before the program started: nothing of it was to be done.
BEFORE_START = N_("That day is before your program started.")


def ticked(session: Session, program: Program, day: date) -> set[TickKey]:
    """(exercise id, copy) of each exercise ticked on that day (each copy of a twin on its own)."""
    return {
        (exercise_id, copy)
        for exercise_id, copy in session.execute(
            select(ExerciseLog.exercise_id, ExerciseLog.copy).where(
                ExerciseLog.program_id == program.id, ExerciseLog.day == day
            )
        )
    }


def tick(
    session: Session,
    program: Program,
    exercise_id: int,
    day: date,
    today: date,
    done: bool = True,
    now: datetime | None = None,
    time: int = 1,
    copy: int = 0,
) -> bool:
    """Mark one exercise done (or not done) on a day; ticking twice counts once. False when the
    tap was a moment after the last tick (a_moment_ago) and so did not count; else True.

    `time`: which time of the day this tick is for (2: the second of 2 times a day); the day
    then holds at least that many, never more than the exercise's times a day, so a second tap
    on the same box changes nothing, nor does a tap on the next box within REPEAT_SECONDS of
    the last tick (with `now`). Not done takes back every time of that day.
    now: when the tick is made (stored, so that `untick` can tell a stray second tap; a later
    time of the day moves it); the database clock when None.
    The exercises and their times a day are the last given version's (given.tickable): what the
    patient's paper and phone page show, whatever the therapist has changed since.
    copy: which copy of the exercise (0 the first or only; 1 the second of an exercise given for
    each side: patterns.copies); each copy keeps its own ticks.
    :raise DomainError: for a day outside the last week or before the start; :raise NotFound: for an exercise not in
        the version given (nor, for a program never given, in the program).
    """
    check_day(day, today, program.start_date)
    key = (exercise_id, copy)
    items = tickable(session, program)
    if key not in {found for found, _ in items}:
        raise NotFound("That exercise")
    existing = _log(session, program, key, day)
    times = min(max(1, time), _times_a_day(items, key))
    if existing is not None:  # the new paper's times come after those ticked for the paper before it
        times += day_counts.earlier_today(session, program, key, day)
    if done and existing is None:
        try:
            with session.begin_nested():  # two taps racing: the unique key keeps one row
                session.add(
                    ExerciseLog(
                        clinic_id=program.clinic_id,
                        patient_id=program.patient_id,
                        program_id=program.id,
                        exercise_id=exercise_id,
                        copy=copy,
                        day=day,
                        times=times,
                        **({"created_at": now} if now is not None else {}),
                    )
                )
        except IntegrityError:
            pass
    elif done and existing is not None and times > existing.times:
        if now is not None and existing.created_at is not None and a_moment_ago(existing.created_at, now):
            # The next time's box, tapped within seconds of the last tick: a shaky repeat, not
            # another time of the day done (the times of a day are hours apart).
            return False
        existing.times = times
        if now is not None:  # the latest tick's time, for the rule above and `untick`'s
            existing.created_at = now
    elif not done and existing is not None:
        session.delete(existing)
    session.flush()
    return True


def _times_a_day(items: list[tuple[TickKey, dict[str, Any]]], key: TickKey) -> int:
    return max((times_a_day(dosage) for found, dosage in items if found == key), default=1)


def day_plan(
    session: Session, program: Program, day: date, handed: Given | None | Unread = UNREAD
) -> dict[TickKey, PlannedExercise]:
    """For each exercise of the program (by (exercise id, copy): each copy of an exercise given for
    each side apart, GivenItem.key): due that day or not, its times a day, and
    how many of them were ticked, from the dosages (the same rule as the tick sheet) of the last
    given version (`handed`: given.given_version's answer when the caller has read it), with the
    times ticked for a way to move before a change apart (day_counts: `earlier`, `waiting`)."""
    if handed is UNREAD:
        handed = given_version(session, program)
    if handed is None:  # never given: the program's own items, as the services read them
        pairs = tickable(session, program)
        found = [
            day_counts.Schedule(i, due_days(d.get("days_per_week")), times_a_day(d), copy=c) for (i, c), d in pairs
        ]
    else:
        zone = clinic_zone(session, program.clinic_id)
        given_on = handed.given_at.astimezone(zone).date() if handed.given_at is not None else None
        moved = day_counts.moved_since(program) if any(i.moved for i in handed.items) else None
        found = day_counts.schedules(handed.items, given_on, moved)
    done = {
        (exercise_id, copy): times
        for exercise_id, copy, times in session.execute(
            select(ExerciseLog.exercise_id, ExerciseLog.copy, ExerciseLog.times).where(
                ExerciseLog.program_id == program.id, ExerciseLog.day == day
            )
        )
    }
    return day_counts.plan_of(found, day, done)


@dataclass(frozen=True)
class DayCount:
    """The phone page's count for one day (`day_count`): exercises and times, partial ticks included."""

    exercises: int  # due that day with their way to move set
    times: int  # how many times those are done that day, in all
    done: int  # how many of those times were ticked (time 1 of 2 counts as 1)
    waiting: int  # due that day, but waiting for their way to move (direction.py, rule 5)
    stopped: int = 0  # of those, stopped by a re-evaluation until the new sheet (given.moved_since)


def day_count(plan: dict[TickKey, PlannedExercise], waiting: Set[TickKey] = frozenset()) -> DayCount:
    """Count a day_plan (PlannedExercise.counted, the rule adherence counts by): times done and
    planned, the times ticked for a way to move before a change among both. `waiting`: the keys
    (exercise id, copy) of exercises the patient waits for beyond the plan's own (PlannedExercise.waiting)."""
    waits = {exercise_id for exercise_id, p in plan.items() if p.waiting or exercise_id in waiting}
    ready = [p for exercise_id, p in plan.items() if p.due and exercise_id not in waits]
    done, times = day_counts.totals({i: p for i, p in plan.items() if i not in waiting or p.waiting})
    return DayCount(
        exercises=len(ready),
        times=times,
        done=done,
        waiting=sum(1 for exercise_id, p in plan.items() if p.due and exercise_id in waits),
        stopped=sum(1 for p in plan.values() if p.due and p.stopped),
    )


def count_sentence(count: DayCount, is_today: bool, language: str = ENGLISH) -> str:
    """The count in words for the patient: "2 of 3 done today." when each exercise is done once a
    day, else the times, so a first tick of two counts ("1 of 5 times done today."). Never
    "0 of 0": a day with nothing to do says why (a rest day, or exercises waiting for their way).
    When every exercise due is stopped for a new sheet (a re-evaluation moved them), it says the
    times done before the change, if any, and that the therapist gives a new sheet."""
    t = translator(language)
    if not count.exercises and count.stopped:
        return _stopped_sentence(count.done, is_today, t)
    if not count.exercises and count.waiting:
        return t.ngettext(
            "Nothing to do yet: %(num)s exercise waits for your therapist to set the way to move.",
            "Nothing to do yet: %(num)s exercises wait for your therapist to set the way to move.",
            count.waiting,
        )
    if not count.exercises:
        return (
            t.gettext("Today is a rest day. Nothing is due.") if is_today else t.gettext("A rest day: nothing was due.")
        )
    numbers = {"done": t.number(count.done), "total": t.number(count.times)}
    if count.times == count.exercises:  # once a day each: exercises and times are the same count
        return (
            t.gettext("%(done)s of %(total)s done today.", **numbers)
            if is_today
            else t.gettext("%(done)s of %(total)s done.", **numbers)
        )
    if is_today:
        return t.gettext("%(done)s of %(total)s times done today.", **numbers)
    return t.gettext("%(done)s of %(total)s times done.", **numbers)


def count_tells_new_sheet(count: DayCount, is_today: bool) -> bool:
    """Whether count_sentence tells the patient the therapist gives a new sheet: today, when every
    exercise due is stopped for one. The cards below it then do not say it again (given.prescribed_once)."""
    return is_today and not count.exercises and bool(count.stopped)


def _stopped_sentence(done: int, is_today: bool, t: Translator) -> str:
    """count_sentence for a day whose every due exercise waits for a new sheet: the times done
    before the change (`done`: they count as done) and what comes next, in plain words (today's,
    count_tells_new_sheet, says the therapist gives a new sheet)."""
    if not done:
        if is_today:
            return t.gettext("Nothing to do for now. Your therapist will give you a new sheet.")
        return t.gettext("Nothing was due that day. Your exercises waited for a new sheet.")
    if is_today:
        return t.ngettext(
            "Done today before the change: %(num)s time. Your therapist will give you a new sheet.",
            "Done today before the change: %(num)s times. Your therapist will give you a new sheet.",
            done,
        )
    return t.ngettext(
        "Done that day before the change: %(num)s time.", "Done that day before the change: %(num)s times.", done
    )


def untick(
    session: Session,
    program: Program,
    exercise_id: int,
    day: date,
    today: date,
    now: datetime,
    time: int | None = None,
    copy: int = 0,
) -> bool:
    """Take back a tick the patient asked to take back: the latest time of that day (time 2 of 3
    leaves 1 of 3; the last one leaves none). True when one was there and is gone.

    time: the time the patient was asked about (2 of 3); when given and no longer the latest,
    nothing changes (a second tap of "Yes" must not take back time 1 too).

    :raise DomainError: when the tick is under REPEAT_SECONDS old (a shaky second tap, not a choice);
    copy: which copy of the exercise, as for `tick`.
    :raise NotFound: for an exercise not in the version given (as for `tick`).
    """
    check_day(day, today, program.start_date)
    key = (exercise_id, copy)
    items = tickable(session, program)
    if key not in {found for found, _ in items}:
        raise NotFound("That exercise")
    existing = _log(session, program, key, day)
    if existing is None:
        return False
    if existing.created_at is not None and a_moment_ago(existing.created_at, now):
        raise DomainError(TICKED_A_MOMENT_AGO)
    # The times ticked for the paper before the version given that day stay (day_counts).
    earlier = day_counts.earlier_today(session, program, key, day)
    latest = min(existing.times - earlier, _times_a_day(items, key))
    if latest <= 0 or (time is not None and time != latest):
        return False
    left = earlier + latest - 1
    if left > 0:
        existing.times = left
    else:
        session.delete(existing)
    session.flush()
    return True


def _log(session: Session, program: Program, key: TickKey, day: date) -> ExerciseLog | None:
    exercise_id, copy = key
    return session.scalars(
        select(ExerciseLog).where(
            ExerciseLog.program_id == program.id,
            ExerciseLog.exercise_id == exercise_id,
            ExerciseLog.copy == copy,
            ExerciseLog.day == day,
        )
    ).first()


def report_day(
    session: Session,
    program: Program,
    day: date,
    today: date,
    pain: int | None,
    difficulty: str,
    comment: str,
    now: datetime,
    rules: alerts.AlertRules = alerts.AlertRules(),
) -> PainAlert | None:
    """Save how the day went; returns a new pain alert when the rules call for one (once a day at most).

    :raise DomainError: naming the field that is wrong.
    """
    check_day(day, today, program.start_date)
    if pain is not None and not 0 <= pain <= 10:
        raise DomainError("Pain is a number from 0 (none) to 10 (worst).", "pain")
    if difficulty and difficulty not in DIFFICULTIES:
        raise DomainError("Choose easy, about right or hard.", "difficulty")
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        raise DomainError(f"The comment is too long: at most {COMMENT_MAX} characters.", "comment")
    report = session.scalars(
        select(DayReport).where(DayReport.patient_id == program.patient_id, DayReport.day == day)
    ).first()
    if report is None:
        report = DayReport(clinic_id=program.clinic_id, patient_id=program.patient_id, program_id=program.id, day=day)
        session.add(report)
    report.program_id, report.pain, report.difficulty, report.comment = program.id, pain, difficulty, comment
    report.updated_at = now
    session.flush()
    if pain is None:
        return None
    # The patient's comment is read from the report, as it is now.
    return alerts.raise_pain_alert(
        session, program.clinic_id, program.patient_id, day, pain, today, now, rules, report.id
    )
