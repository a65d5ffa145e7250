"""Each day's exercise reminder: its outbox row, made once the patient's chosen local time has
come, and the check just before it is sent.

`create_due` makes the day's outbox row (kind "exercise") with a unique key per patient, program
and day, so several dispatchers never make two; `still_wanted` checks again at send time that
the reminder is on, the link works and an exercise of the version given is due. The setting
itself (consent, the time, the stop link) is exercise_reminders.py's; the email is
exercise_emails.py's.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from planner.models import Clinic, ExerciseReminder, OutboxMessage, Patient, Program, ProgramVersion
from planner.models.portal import PatientLink
from planner.services import given, patient_links, portal
from planner.services.clinic_time import local_moment, local_today
from planner.services.exercise_days import due_on
from planner.services.exercise_reminders import KIND
from planner.services.given import GivenItem
from planner.services.outbox import Skip

# The widest offset from UTC of any time zone (Kiribati, UTC+14): no clinic's today is later.
_WIDEST_OFFSET = timedelta(hours=14)
_CHUNK = 500  # ids per IN (...) list: well under SQLite's and PostgreSQL's parameter limits


@dataclass(frozen=True)
class _Due:
    reminder_id: int
    patient_id: int
    clinic_id: int
    therapist_id: int | None
    day: date
    moment: datetime


def unique_key(patient_id: int, program_id: int, day: date) -> str:
    return f"{KIND}:{patient_id}:{program_id}:{day.isoformat()}"


def create_due(session: Session, now: datetime) -> int:
    """Make the outbox rows of every reminder whose local time has come today; returns rows made.

    Each reminder's day is decided once (`handled_on`): a row when the patient still has an
    email, an active program with an exercise due that day, and a working link; nothing on a
    rest day. The row's unique key (patient, program, day) makes the insert a no-op for a row
    another dispatcher made first, so any number of dispatchers may call this at once.
    A day missed entirely (no dispatcher ran) is not made up the next day. Commits.
    """
    latest_today = (now + _WIDEST_OFFSET).date()
    candidates = session.execute(
        select(
            ExerciseReminder.id,
            ExerciseReminder.patient_id,
            ExerciseReminder.clinic_id,
            ExerciseReminder.send_time,
            ExerciseReminder.handled_on,
            Patient.primary_therapist_id,
        )
        .join(Patient, Patient.id == ExerciseReminder.patient_id)
        .where(
            ExerciseReminder.enabled.is_(True),
            Patient.archived_at.is_(None),
            Patient.email != "",
            or_(ExerciseReminder.handled_on.is_(None), ExerciseReminder.handled_on < latest_today),
        )
    ).all()
    clinics = {c for _, _, c, *_ in candidates}
    zones = {
        clinic: ZoneInfo(name)
        for clinic, name in session.execute(select(Clinic.id, Clinic.timezone).where(Clinic.id.in_(clinics)))
    }
    come: dict[int, _Due] = {}
    for rid, patient_id, clinic_id, send_time, handled_on, therapist_id in candidates:
        zone = zones[clinic_id]
        today = local_today(zone, now)
        if handled_on is not None and handled_on >= today:
            continue
        moment = local_moment(zone, today, send_time.hour, send_time.minute)
        if moment is not None and moment <= now:
            come[patient_id] = _Due(rid, patient_id, clinic_id, therapist_id, today, moment)
    if not come:
        session.commit()  # ends the read, as every path here does
        return 0
    dues = list(come.values())
    # Dispatchers starting together read the same reminders: in random chunks, each claimed
    # before it is made, they share the day's work instead of each doing all of it.
    random.shuffle(dues)
    return sum(_make_rows(session, dues[start : start + _CHUNK], now) for start in range(0, len(dues), _CHUNK))


def _make_rows(session: Session, dues: list[_Due], now: datetime) -> int:
    """Decide these reminders' day and make their rows, in one transaction; returns rows made.

    The day is claimed first (handled_on set by one conditional UPDATE): only the reminders this
    dispatcher got are made here. The row's unique key still makes a second insert a no-op.
    """
    mine: list[_Due] = []
    by_day: dict[date, list[_Due]] = defaultdict(list)
    for due in dues:
        by_day[due.day].append(due)
    for day, group in by_day.items():
        got = set(
            session.connection()
            .execute(
                update(ExerciseReminder)
                .where(
                    ExerciseReminder.id.in_([d.reminder_id for d in group]),
                    or_(ExerciseReminder.handled_on.is_(None), ExerciseReminder.handled_on < day),
                )
                .values(handled_on=day)
                .returning(ExerciseReminder.id)
            )
            .scalars()
        )
        mine += [d for d in group if d.reminder_id in got]
    if not mine:
        session.commit()
        return 0
    ids = [d.patient_id for d in mine]
    programs_ = _active_programs(session, ids)
    linked = set(patient_links.current_links(session, ids, now))
    rows = []
    for due in mine:
        program = programs_.get(due.patient_id)
        if program is None or due.patient_id not in linked or not program.due(due.day):
            continue
        rows.append(
            {
                "clinic_id": due.clinic_id,
                "kind": KIND,
                "program_id": program.id,
                "patient_id": due.patient_id,
                "user_id": program.therapist_id or due.therapist_id,
                "recipient": "patient",
                "due_on": due.day,
                "status": "pending",
                "send_at": due.moment,
                "next_attempt_at": due.moment,
                "attempts": 0,
                "claimed_by": "",
                "to_address": "",
                "last_error": "",
                "created_at": now,
                "unique_key": unique_key(due.patient_id, program.id, due.day),
            }
        )
    made = 0
    if rows:
        insert = (postgresql if session.get_bind().dialect.name == "postgresql" else sqlite).insert
        # RETURNING lists only the rows inserted (a key another dispatcher holds is skipped);
        # rowcount of a many-row insert is not reliable across drivers.
        statement = (
            insert(OutboxMessage).on_conflict_do_nothing(index_elements=["unique_key"]).returning(OutboxMessage.id)
        )
        made = len(session.execute(statement, rows).all())
    session.commit()
    return made


@dataclass(frozen=True)
class _ProgramDays:
    """What making the day's row needs of a program: read as plain columns, thousands at a time."""

    id: int
    therapist_id: int | None
    start_date: date
    dosages: tuple[dict | None, ...]

    def due(self, day: date) -> bool:
        """Whether any exercise is due on `day` (exercise_days.due_on, the rule the email lists by)."""
        return any(due_on(dosage, self.start_date, day) for dosage in self.dosages)


def _active_programs(session: Session, patient_ids: list[int]) -> dict[int, _ProgramDays]:
    """portal.active_program for many patients (the newest program given to each; a draft never),
    with its dosages."""
    newest: dict[int, tuple[int, int | None, date]] = {}
    for start in range(0, len(patient_ids), _CHUNK):
        for program_id, patient_id, therapist_id, start_date in session.execute(
            select(Program.id, Program.patient_id, Program.therapist_id, Program.start_date)
            .where(
                Program.patient_id.in_(patient_ids[start : start + _CHUNK]),
                Program.archived_at.is_(None),
                portal.given(),
                portal.has_exercises(),
            )
            .order_by(Program.start_date, Program.id)
        ):
            newest[patient_id] = (program_id, therapist_id, start_date)  # the newest wins
    # The days come from the version given (given.py), never from an edit not given yet: its
    # start date and dosages, as frozen.
    dosages: dict[int, list[dict | None]] = defaultdict(list)
    starts: dict[int, date] = {}
    program_ids = [program_id for program_id, _, _ in newest.values()]
    for start in range(0, len(program_ids), _CHUNK):
        chunk = program_ids[start : start + _CHUNK]
        last = (
            select(ProgramVersion.program_id, func.max(ProgramVersion.number).label("number"))
            .where(ProgramVersion.program_id.in_(chunk))
            .group_by(ProgramVersion.program_id)
            .subquery()
        )
        for program_id, frozen in session.execute(
            select(ProgramVersion.program_id, ProgramVersion.snapshot).join(
                last, (ProgramVersion.program_id == last.c.program_id) & (ProgramVersion.number == last.c.number)
            )
        ):
            starts[program_id] = date.fromisoformat(frozen["start_date"])
            dosages[program_id] = [item.get("dosage") for item in frozen.get("items", [])]
    return {
        patient_id: _ProgramDays(
            program_id, therapist_id, starts.get(program_id, start_date), tuple(dosages[program_id])
        )
        for patient_id, (program_id, therapist_id, start_date) in newest.items()
    }


# ---- just before sending ------------------------------------------------------------------


@dataclass(frozen=True)
class Wanted:
    """What the day's email needs, found still true just before it is sent."""

    reminder: ExerciseReminder
    link: PatientLink
    items: list[GivenItem]  # the exercises due that day, of the version given (given.py)


# A patient's reminder setting and newest unrevoked link (None without one).
Found = tuple[ExerciseReminder, PatientLink | None]


def settings_and_links(session: Session, patient_ids: list[int]) -> dict[int, Found]:
    """What still_wanted reads, for many patients in two queries (the dispatcher's read-ahead);
    a patient without a reminder setting is left out."""
    found: dict[int, Found] = {}
    for start in range(0, len(patient_ids), _CHUNK):
        chunk = patient_ids[start : start + _CHUNK]
        links = {
            link.patient_id: link  # the newest wins
            for link in session.scalars(
                select(PatientLink)
                .where(PatientLink.patient_id.in_(chunk), PatientLink.revoked_at.is_(None))
                .order_by(PatientLink.id)
            )
        }
        for reminder in session.scalars(select(ExerciseReminder).where(ExerciseReminder.patient_id.in_(chunk))):
            found[reminder.patient_id] = (reminder, links.get(reminder.patient_id))
    return found


def still_wanted(session: Session, row: OutboxMessage, now: datetime, found: Found | None = None) -> Wanted:
    """Check again, at send time, that the day's reminder should go out; `found`: the patient's
    setting and link as settings_and_links read them a moment ago (else read here).

    :raise Skip: when reminders were turned off, the patient archived or left without an email,
    the program archived or emptied of that day's exercises, or the patient's link stopped.
    """
    patient, program = row.patient, row.program
    if found is None:  # the setting and the newest unrevoked link in one query
        found = session.execute(
            select(ExerciseReminder, PatientLink)
            .outerjoin(
                PatientLink, (PatientLink.patient_id == ExerciseReminder.patient_id) & PatientLink.revoked_at.is_(None)
            )
            .where(ExerciseReminder.patient_id == patient.id)
            .order_by(PatientLink.id.desc())
            .limit(1)
        ).first()
    reminder, link = found if found is not None else (None, None)
    if reminder is None or not reminder.enabled:
        raise Skip("Exercise reminders were turned off.")
    if patient.archived or not patient.email:
        raise Skip("The patient is archived or has no email address.")
    if program.archived:
        raise Skip("The program is archived.")
    if link is None or (link.expires_at is not None and link.expires_at <= now):
        raise Skip("The patient's private link was stopped.")
    assert row.due_on is not None
    # The version the patient was given, never an edit since (given.py): the email lists what the paper says.
    handed = given.given_version(session, program)
    if handed is None:
        raise Skip("The program was never given to the patient.")
    day = row.due_on
    items = [item for item in handed.items if due_on(item.dosage, handed.start_date, day)]
    if not items:
        raise Skip("No exercise is due that day any more.")
    # Every exercise due held back (a re-evaluation moved it, or it waits for its side or the
    # therapist's check): nothing to do, so no "Here are your exercises" listing only "stop" or
    # "wait" (the phone page's count says so that day: portal.count_sentence).
    if all(item.waiting for item in items):
        raise Skip("Every exercise due that day waits for the therapist: nothing to do.")
    return Wanted(reminder, link, items)
