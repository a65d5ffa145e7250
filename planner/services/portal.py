"""Patient access: the link's address, ticks and day reports, adherence, and pain alerts (the link
itself, its token made, revoked and resolved: services/patient_links.py).

No Flask here: the portal pages, the therapist's pages and the tests call these functions.
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from collections.abc import Set
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    and_,
    bindparam,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from planner.dystonia.direction import Direction
from planner.i18n import ENGLISH, N_, Translator, translator
from planner.models import Patient, Program, ProgramItem
from planner.models.outcomes import Questionnaire, QuestionnaireAnswer
from planner.models.portal import DayReport, ExerciseLog, PainAlert
from planner.scoping import get_scoped, scoped
from planner.services import UNREAD, DomainError, NotFound, Unread, day_counts
from planner.services.clinic_time import clinic_zone
from planner.services.coverage import due_days, times_a_day
from planner.services.day_counts import PlannedExercise
from planner.services.given import Frozen, Given, GivenItem, given_version, in_force, tickable
from planner.services.patient_links import current_links, link_token

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
# A patient's comment in a pain alert on the dashboard or in the email; the patient's page shows it whole.
ALERT_COMMENT_PREVIEW = 160


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
    (programs.issue), now or before a later change (which starts a version not yet given). A
    program the therapist is still making, never issued, is not the patient's yet."""
    return or_(Program.issued.is_(True), Program.version > 1)


def has_exercises() -> ColumnElement[bool]:
    """Where a program has at least one exercise: one given empty (before programs.refuse_empty)
    never takes the phone page from the program the patient holds."""
    return select(ProgramItem.id).where(ProgramItem.program_id == Program.id).exists()


@functools.cache
def _active(items: bool) -> Select[Any]:
    """active_program's statement, built once (`items`: with the items and their exercises)."""
    statement = (
        scoped(Program, bindparam("clinic_id"))
        .where(Program.patient_id == bindparam("patient_id"), Program.archived_at.is_(None), given(), has_exercises())
        .order_by(Program.start_date.desc(), Program.id.desc())
    )
    return statement.options(selectinload(Program.items).joinedload(ProgramItem.exercise)) if items else statement


def active_program(session: Session, patient: Patient, items: bool = False) -> Program | None:
    """The program the patient follows now: the newest one given to them (`given`) and not
    archived, with an exercise; None when none was given. The phone page, its reminders email and the therapist's
    adherence read this one, so a program the therapist is still making (a draft, never printed,
    emailed, exported or downloaded) never reaches the patient, and a new one started from a
    template stays off the phone, behind the one on paper, until it is given. `items`: its items
    and their exercises read with it, in one more statement (the phone page shows them)."""
    return session.scalars(_active(items), {"clinic_id": patient.clinic_id, "patient_id": patient.id}).first()


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


def ticked(session: Session, program: Program, day: date) -> set[int]:
    """Ids of the exercises ticked on that day."""
    return set(
        session.scalars(
            select(ExerciseLog.exercise_id).where(ExerciseLog.program_id == program.id, ExerciseLog.day == day)
        )
    )


def tick(
    session: Session,
    program: Program,
    exercise_id: int,
    day: date,
    today: date,
    done: bool = True,
    now: datetime | None = None,
    time: int = 1,
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
    :raise DomainError: for a day outside the last week or before the start; :raise NotFound: for an exercise not in
        the version given (nor, for a program never given, in the program).
    """
    check_day(day, today, program.start_date)
    items = tickable(session, program)
    if exercise_id not in {exercise for exercise, _ in items}:
        raise NotFound("That exercise")
    existing = _log(session, program, exercise_id, day)
    times = min(max(1, time), _times_a_day(items, exercise_id))
    if existing is not None:  # the new paper's times come after those ticked for the paper before it
        times += day_counts.earlier_today(session, program, exercise_id, day)
    if done and existing is None:
        try:
            with session.begin_nested():  # two taps racing: the unique key keeps one row
                session.add(
                    ExerciseLog(
                        clinic_id=program.clinic_id,
                        patient_id=program.patient_id,
                        program_id=program.id,
                        exercise_id=exercise_id,
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


def _times_a_day(items: list[tuple[int, dict[str, Any]]], exercise_id: int) -> int:
    return max((times_a_day(dosage) for exercise, dosage in items if exercise == exercise_id), default=1)


def day_plan(
    session: Session, program: Program, day: date, handed: Given | None | Unread = UNREAD
) -> dict[int, PlannedExercise]:
    """For each exercise of the program (by exercise id): due that day or not, its times a day, and
    how many of them were ticked, from the dosages (the same rule as the tick sheet) of the last
    given version (`handed`: given.given_version's answer when the caller has read it), with the
    times ticked for a way to move before a change apart (day_counts: `earlier`, `waiting`)."""
    if handed is UNREAD:
        handed = given_version(session, program)
    if handed is None:  # never given: the program's own items, as the services read them
        pairs = tickable(session, program)
        found = [day_counts.Schedule(i, due_days(d.get("days_per_week")), times_a_day(d)) for i, d in pairs]
    else:
        zone = clinic_zone(session, program.clinic_id)
        given_on = handed.given_at.astimezone(zone).date() if handed.given_at is not None else None
        moved = day_counts.moved_since(program) if any(i.moved for i in handed.items) else None
        found = day_counts.schedules(handed.items, given_on, moved)
    done = dict(
        session.execute(
            select(ExerciseLog.exercise_id, ExerciseLog.times).where(
                ExerciseLog.program_id == program.id, ExerciseLog.day == day
            )
        ).all()
    )
    return day_counts.plan_of(found, day, done)


@dataclass(frozen=True)
class DayCount:
    """The phone page's count for one day (`day_count`): exercises and times, partial ticks included."""

    exercises: int  # due that day with their way to move set
    times: int  # how many times those are done that day, in all
    done: int  # how many of those times were ticked (time 1 of 2 counts as 1)
    waiting: int  # due that day, but waiting for their way to move (direction.py, rule 5)
    stopped: int = 0  # of those, stopped by a re-evaluation until the new sheet (given.moved_since)


def day_count(plan: dict[int, PlannedExercise], waiting: Set[int] = frozenset()) -> DayCount:
    """Count a day_plan (PlannedExercise.counted, the rule adherence counts by): times done and
    planned, the times ticked for a way to move before a change among both. `waiting`: exercise ids
    the patient waits for beyond the plan's own (PlannedExercise.waiting)."""
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
) -> bool:
    """Take back a tick the patient asked to take back: the latest time of that day (time 2 of 3
    leaves 1 of 3; the last one leaves none). True when one was there and is gone.

    time: the time the patient was asked about (2 of 3); when given and no longer the latest,
    nothing changes (a second tap of "Yes" must not take back time 1 too).

    :raise DomainError: when the tick is under REPEAT_SECONDS old (a shaky second tap, not a choice);
    :raise NotFound: for an exercise not in the version given (as for `tick`).
    """
    check_day(day, today, program.start_date)
    items = tickable(session, program)
    if exercise_id not in {exercise for exercise, _ in items}:
        raise NotFound("That exercise")
    existing = _log(session, program, exercise_id, day)
    if existing is None:
        return False
    if existing.created_at is not None and a_moment_ago(existing.created_at, now):
        raise DomainError(TICKED_A_MOMENT_AGO)
    # The times ticked for the paper before the version given that day stay (day_counts).
    earlier = day_counts.earlier_today(session, program, exercise_id, day)
    latest = min(existing.times - earlier, _times_a_day(items, exercise_id))
    if latest <= 0 or (time is not None and time != latest):
        return False
    left = earlier + latest - 1
    if left > 0:
        existing.times = left
    else:
        session.delete(existing)
    session.flush()
    return True


def _log(session: Session, program: Program, exercise_id: int, day: date) -> ExerciseLog | None:
    return session.scalars(
        select(ExerciseLog).where(
            ExerciseLog.program_id == program.id, ExerciseLog.exercise_id == exercise_id, ExerciseLog.day == day
        )
    ).first()


@dataclass(frozen=True)
class AlertRules:
    threshold: int = 7  # a rating at or above this alerts
    rise: int = 3  # or a rise of this much over the average of the week before


def report_day(
    session: Session,
    program: Program,
    day: date,
    today: date,
    pain: int | None,
    difficulty: str,
    comment: str,
    now: datetime,
    rules: AlertRules = AlertRules(),
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
    return raise_pain_alert(session, program.clinic_id, program.patient_id, day, pain, today, now, rules, report.id)


def raise_pain_alert(
    session: Session,
    clinic_id: int,
    patient_id: int,
    day: date,
    pain: int,
    today: date,
    now: datetime,
    rules: AlertRules = AlertRules(),
    day_report_id: int | None = None,
) -> PainAlert | None:
    """A new pain alert when a pain rating (0–10) about `day` calls for one; None otherwise.

    The one rule for every pain rating a patient gives: the day report's and the questionnaire's.
    At most one alert per patient and (clinic) day.
    """
    reason = alert_reason(session, patient_id, day, pain, rules)
    if reason is None:
        return None
    if session.scalars(select(PainAlert).where(PainAlert.patient_id == patient_id, PainAlert.day == today)).first():
        return None  # once a day at most
    alert = PainAlert(
        clinic_id=clinic_id,
        patient_id=patient_id,
        day=today,
        pain=pain,
        reason=reason,
        day_report_id=day_report_id,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(alert)
    except IntegrityError:
        return None
    return alert


def alert_reason(session: Session, patient_id: int, day: date, pain: int, rules: AlertRules) -> str | None:
    """Why this pain rating should alert the therapist, or None.

    The week before counts the day reports' pain and the questionnaires' "pain now" alike.
    """
    if pain >= rules.threshold:
        return f"Pain {pain}/10 is at or above {rules.threshold}."
    week_before = (day - timedelta(days=7), day)
    before = [
        *session.scalars(
            select(DayReport.pain).where(
                DayReport.patient_id == patient_id,
                DayReport.pain.is_not(None),
                DayReport.day >= week_before[0],
                DayReport.day < week_before[1],
            )
        ),
        # The pain the patient rated "now" in a questionnaire counts as that day's pain too.
        *session.scalars(
            select(QuestionnaireAnswer.rating)
            .join(Questionnaire, Questionnaire.id == QuestionnaireAnswer.questionnaire_id)
            .where(
                QuestionnaireAnswer.patient_id == patient_id,
                QuestionnaireAnswer.question == "pain_now",
                Questionnaire.answered_on >= week_before[0],
                Questionnaire.answered_on < week_before[1],
            )
        ),
    ]
    if before:
        average = sum(before) / len(before)
        if pain - average >= rules.rise:
            return f"Pain rose to {pain}/10 from an average of {average:.1f} over the week before."
    return None


# ---- what the therapist sees ------------------------------------------------------------


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
    ticks: dict[date, dict[int, int]] = {}
    for day, exercise_id, times in session.execute(
        _TIMES_BY_DAY, {"program_id": program.id, "first": first, "today": today}
    ):
        ticks.setdefault(day, {})[exercise_id] = times
    # Each day counts what the version given by then planned (given.in_force), read once for the
    # weeks; the newest one's exercises a re-evaluation moved are stopped from the day it was recorded.
    forced = in_force(session, program, first, directions, newest, newest_items)
    versions = [
        (since, day_counts.schedules(items, since, day_counts.moved_since(program) if n == len(forced) - 1 else None))
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
                    ticked, times = day_counts.totals(day_counts.plan_of(found, day, ticks[day]))
                else:
                    key = (at, day.weekday(), bisect_right(stops[at], day))
                    if key not in unticked:
                        unticked[key] = day_counts.totals(day_counts.plan_of(found, day, {}))
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
_TIMES_BY_DAY = select(ExerciseLog.day, ExerciseLog.exercise_id, ExerciseLog.times).where(
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


def comment_preview(comment: str, limit: int = ALERT_COMMENT_PREVIEW) -> tuple[str, bool]:
    """A comment on one line, cut at a word boundary to at most `limit` characters with "…" at the end.

    Returns (text, shortened); shortened is True when something was left out, so the reader is
    told where the whole comment is.
    """
    text = " ".join(comment.split())
    if len(text) <= limit:
        return text, False
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:  # a long word (or a script without spaces) is cut where it stands
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…", True


def open_alerts(
    session: Session,
    clinic_id: int,
    therapist_id: int | None = None,
    *,
    patient_id: int | None = None,
    limit: int | None = None,
    before: tuple[datetime, int] | None = None,
) -> list[PainAlert]:
    """Unseen pain alerts of the clinic, newest first: of one therapist's patients, or of one
    patient, when given; at most `limit` of them when given; older than the alert whose
    (created_at, id) is `before` when given (a page after the page that ended with it)."""
    statement = _alerts_statement(
        therapist_id is not None, patient_id is not None, limit is not None, before is not None
    )
    values: dict[str, Any] = {"clinic_id": clinic_id, "therapist_id": therapist_id, "patient_id": patient_id}
    values["limit"] = limit
    if before is not None:
        values["before_at"], values["before_id"] = before
    return list(session.scalars(statement, {k: v for k, v in values.items() if v is not None}))


def count_open_alerts(session: Session, clinic_id: int, therapist_id: int, limit: int) -> int:
    """How many unseen pain alerts the therapist's patients have, counted up to `limit` only."""
    statement = _alerts_statement(True, False, True, False)
    counted = select(func.count()).select_from(statement.with_only_columns(PainAlert.id).subquery())
    return session.scalar(counted, {"clinic_id": clinic_id, "therapist_id": therapist_id, "limit": limit}) or 0


@functools.cache
def _alerts_statement(by_therapist: bool, by_patient: bool, limited: bool, paged: bool = False) -> Select[PainAlert]:
    """open_alerts' statement for each way it is asked, built once (the values bound at each call)."""
    query = (
        scoped(PainAlert, bindparam("clinic_id"))
        .join(Patient, Patient.id == PainAlert.patient_id)
        .where(PainAlert.seen.is_(False))
    )
    if by_therapist:
        query = query.where(Patient.primary_therapist_id == bindparam("therapist_id"))
    if by_patient:
        query = query.where(PainAlert.patient_id == bindparam("patient_id"))
    if paged:  # along the index (clinic, seen, created_at, id), from where the page before ended
        at = bindparam("before_at", type_=PainAlert.created_at.type)
        before_id = bindparam("before_id", type_=PainAlert.id.type)
        query = query.where(or_(PainAlert.created_at < at, and_(PainAlert.created_at == at, PainAlert.id < before_id)))
    query = query.order_by(PainAlert.created_at.desc(), PainAlert.id.desc())
    return query.limit(bindparam("limit")) if limited else query


def mark_alert_seen(session: Session, clinic_id: int, alert_id: int) -> PainAlert:
    """:raise NotFound: for an alert of another clinic."""
    alert = get_scoped(session, PainAlert, clinic_id, alert_id)
    alert.seen = True
    session.flush()
    return alert
