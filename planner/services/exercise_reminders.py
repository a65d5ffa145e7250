"""Daily exercise reminders to the patient: consent, the time of day, the stop link.

Never on by default. The therapist records the patient's consent, or the patient turns them on
from the phone page; either can turn them off, and so can the stop link in every email.
Each day's row and its check before sending are exercise_reminder_days.py's; sending is
planner/services/outbox.py's job, and the email is planner/services/exercise_emails.py's.
"""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.bidi import isolate
from planner.models import ExerciseReminder, OutboxMessage, Patient, User
from planner.scoping import scoped
from planner.services import DomainError, NotFound, patient_links
from planner.services.clinic_time import clinic_zone, local_moment, local_today

KIND = "exercise"
DEFAULT_TIME = time(9, 0)


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
    reminder.token_hash = patient_links.hash_token(stop_token(reminder, secret_key))
    session.add(reminder)
    return reminder


def _changed(reminder: ExerciseReminder, by: str, now: datetime, user: User | None) -> None:
    reminder.changed_by, reminder.changed_at = by, now
    reminder.changed_by_user_id = user.id if user else None


# ---- the stop link ----------------------------------------------------------------------


def stop_token(reminder: ExerciseReminder, secret_key: str) -> str:
    """The secret of the reminder's stop link: an HMAC of its nonce, like the patient's link."""
    return patient_links.derive_token(secret_key, f"stop:{reminder.nonce}")


def by_stop_token(session: Session, token: str) -> ExerciseReminder:
    """The reminder a stop link belongs to. It keeps working after reminders are off (it says so).

    :raise NotFound: for a wrong token, or a patient erased since.
    """
    if not token or len(token) > 100:
        raise NotFound()
    reminder = session.scalars(
        select(ExerciseReminder).where(ExerciseReminder.token_hash == patient_links.hash_token(token))
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
