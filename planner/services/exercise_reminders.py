"""Daily exercise reminders to the patient: consent, the time of day, the stop link, and the day's rows.

Never on by default. The therapist records the patient's consent, or the patient turns them on
from the phone page; either can turn them off, and so can the stop link in every email.
`create_due` makes the day's outbox row (kind "exercise") once the chosen local time has come,
with a unique key per patient, program and day, so several dispatchers never make two; sending is
planner/services/outbox.py's job, and the email is planner/services/exercise_emails.py's.
"""

from __future__ import annotations

import random
import re
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from planner.bidi import isolate
from planner.models import Clinic, ExerciseReminder, OutboxMessage, Patient, Program, ProgramVersion, User
from planner.models.portal import PatientLink
from planner.scoping import scoped
from planner.services import DomainError, NotFound, given, portal
from planner.services.clinic_time import clinic_zone, local_moment, local_today
from planner.services.exercise_days import due_on
from planner.services.given import GivenItem
from planner.services.outbox import Skip

KIND = "exercise"
DEFAULT_TIME = time(9, 0)
# The widest offset from UTC of any time zone (Kiribati, UTC+14): no clinic's today is later.
_WIDEST_OFFSET = timedelta(hours=14)
_CHUNK = 500  # ids per IN (...) list: well under SQLite's and PostgreSQL's parameter limits


def reminder_of(session: Session, patient: Patient) -> ExerciseReminder | None:
    """The patient's reminder setting, read inside the patient's clinic; None when nobody has
    chosen yet (reminders are off)."""
    found = scoped(ExerciseReminder, patient.clinic_id).where(ExerciseReminder.patient_id == patient.id)
    return session.scalars(found).first()


def parse_time(text: str) -> time:
    """A time of day typed as "07:30" (or "7:30"), in whole minutes.

    :raise DomainError: on the field "send_time" for anything else.
    """
    match = re.fullmatch(r"([01]?[0-9]|2[0-3]):([0-5][0-9])", (text or "").strip())
    if match:
        return time(int(match.group(1)), int(match.group(2)))
    raise DomainError("Enter a time of day such as 07:30.", "send_time")


def turn_on(
    session: Session,
    patient: Patient,
    send_time: time,
    by: str,
    now: datetime,
    secret_key: str,
    user: User | None = None,
) -> ExerciseReminder:
    """Turn the patient's reminders on at `send_time` (clinic's local time), or move the time.

    by: "therapist" (user: who recorded the consent) or "patient"; secret_key: the app's, for the
    stop link (changing the key ends the stop links of emails already sent, as it ends patient
    links). When today's time has already passed, the first email comes on the next due day, never
    at once (waits_for_next_day says so). A time moved later today, still ahead, gets today's email
    at that time unless one was made today already. Consent is recorded when reminders go from off
    to on. :raise DomainError: when the patient has no email address or is archived.
    """
    if not patient.email:
        raise DomainError(f"{isolate(patient.name)} has no email address. Add one first.", "email")
    if patient.archived:
        raise DomainError("This patient is archived.")
    reminder = reminder_of(session, patient) or _new(session, patient, send_time, by, now, secret_key)
    if not reminder.enabled:
        reminder.consent_at, reminder.consent_by = now, by
        reminder.consent_user_id = user.id if user else None
    reminder.enabled = True
    reminder.send_time = time(send_time.hour, send_time.minute)
    _changed(reminder, by, now, user)
    zone = clinic_zone(session, patient.clinic_id)
    today = local_today(zone, now)
    moment = local_moment(zone, today, send_time.hour, send_time.minute)
    if moment is not None and moment <= now:
        if reminder.handled_on is None or reminder.handled_on < today:
            reminder.handled_on = today  # today's time is past: begin with the next due day
    elif reminder.handled_on == today and not _made_on(session, patient.clinic_id, patient.id, today):
        # Today was passed over only because the old time had gone by (trial 11: turned on at
        # 10:41 for 09:00, then moved to 10:46): the new time is ahead, so today is decided again then.
        reminder.handled_on = today - timedelta(days=1)
    session.flush()
    return reminder


def waits_for_next_day(session: Session, reminder: ExerciseReminder, now: datetime) -> bool:
    """Whether reminders that are on send nothing today though none was made today: the time had
    passed when they were turned on or moved, so the first comes on the next exercise day (what
    the pages tell whoever saved the time)."""
    if not reminder.enabled:
        return False
    today = local_today(clinic_zone(session, reminder.clinic_id), now)
    return (
        reminder.handled_on is not None
        and reminder.handled_on >= today
        and not _made_on(session, reminder.clinic_id, reminder.patient_id, today)
    )


def _made_on(session: Session, clinic_id: int, patient_id: int, day: date) -> bool:
    """Whether a daily email of `day` was made for the patient of the clinic (sent, waiting or failed)."""
    found = (
        scoped(OutboxMessage, clinic_id)
        .with_only_columns(OutboxMessage.id)
        .where(OutboxMessage.kind == KIND, OutboxMessage.patient_id == patient_id, OutboxMessage.due_on == day)
    )
    return session.scalar(found.limit(1)) is not None


def turn_off(session: Session, patient: Patient, by: str, now: datetime, user: User | None = None) -> None:
    """Stop the patient's reminders (by "therapist", "patient" or "stop_link"). A day's email
    already waiting is not sent: the composer checks again just before sending."""
    reminder = reminder_of(session, patient)
    if reminder is not None and reminder.enabled:
        reminder.enabled = False
        _changed(reminder, by, now, user)
        session.flush()


def _new(
    session: Session, patient: Patient, send_time: time, by: str, now: datetime, secret_key: str
) -> ExerciseReminder:
    reminder = ExerciseReminder(
        clinic_id=patient.clinic_id,
        patient_id=patient.id,
        enabled=False,
        send_time=send_time,
        changed_by=by,
        changed_at=now,
        consent_by="",
        nonce=secrets.token_hex(32),
    )
    reminder.token_hash = portal.hash_token(stop_token(reminder, secret_key))
    session.add(reminder)
    return reminder


def _changed(reminder: ExerciseReminder, by: str, now: datetime, user: User | None) -> None:
    reminder.changed_by, reminder.changed_at = by, now
    reminder.changed_by_user_id = user.id if user else None


# ---- the stop link ----------------------------------------------------------------------


def stop_token(reminder: ExerciseReminder, secret_key: str) -> str:
    """The secret of the reminder's stop link: an HMAC of its nonce, like the patient's link."""
    return portal.derive_token(secret_key, f"stop:{reminder.nonce}")


def by_stop_token(session: Session, token: str) -> ExerciseReminder:
    """The reminder a stop link belongs to. It keeps working after reminders are off (it says so).

    :raise NotFound: for a wrong token, or a patient erased since.
    """
    if not token or len(token) > 100:
        raise NotFound()
    reminder = session.scalars(
        select(ExerciseReminder).where(ExerciseReminder.token_hash == portal.hash_token(token))
    ).first()
    if reminder is None:
        raise NotFound()
    return reminder


def stop(session: Session, token: str, now: datetime) -> ExerciseReminder:
    """Turn reminders off through the stop link (the email's link, or one-click unsubscribe).

    Doing it twice changes nothing. :raise NotFound: for a wrong token.
    """
    reminder = by_stop_token(session, token)
    turn_off(session, reminder.patient, "stop_link", now)
    return reminder


# ---- the day's rows ---------------------------------------------------------------------


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
    linked = set(portal.current_links(session, ids, now))
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
