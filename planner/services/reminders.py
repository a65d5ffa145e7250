"""Re-evaluation reminders as outbox rows, derived from each program's next re-evaluation date.

`sync_program` is called wherever that date can change (programs.create_program, update_details,
set_archived, evaluations.record_evaluation): it keeps the pending rows that still fit, cancels
those for an old date, and adds the missing ones. Sending is planner/services/outbox.py's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from planner.models import OutboxMessage, Patient, Program, User
from planner.scoping import scoped
from planner.services.calendar_window import shift
from planner.services.clinic_time import clinic_zone, local_moment, local_today
from planner.services.reevaluation import next_reevaluation

KIND = "reevaluation"
# A week's notice, in days: the first reminder ("due in 7 days", so the patient can plan the visit)
# and how far ahead the dashboard's "Due this week" reaches (dashboard.group_range: today and the
# next 7 days), so a re-evaluation reminded of as "in 7 days" is never listed under "Later".
WEEK_NOTICE = 7


@dataclass(frozen=True)
class Schedule:
    """When reminders go out: days before the date, at a local hour of the clinic ([reminders])."""

    lead_days: tuple[int, ...] = (WEEK_NOTICE, 1, 0)
    send_hour: int = 8

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> Schedule:
        section = settings.get("reminders", {})
        hour = int(section.get("send_hour", 8))
        if not 0 <= hour <= 23:
            raise ValueError(f"[reminders] send_hour must be 0 to 23, not {hour}")
        leads = tuple(sorted({int(d) for d in section.get("lead_days", cls.lead_days)}, reverse=True))
        if any(d < 0 for d in leads):
            raise ValueError("[reminders] lead_days must not be negative")
        return cls(leads, hour)


def responsible_therapist(program: Program) -> User | None:
    """Who is reminded: the program's therapist, else the patient's primary therapist."""
    therapist = program.therapist or program.patient.primary_therapist
    return therapist if therapist is not None and therapist.active else None


def patient_wants_reminders(patient: Patient) -> bool:
    return bool(patient.email and patient.reminder_consent and not patient.archived)


def _wanted(session: Session, program: Program, schedule: Schedule) -> dict[tuple[Any, ...], datetime]:
    """(due date, lead days, recipient) → when it goes out, for the program as it is now."""
    due = next_reevaluation(program)
    if due is None or program.archived or program.patient.archived:
        return {}
    recipients = []
    therapist = responsible_therapist(program)
    if therapist is not None:
        recipients.append("therapist")
    if patient_wants_reminders(program.patient):
        recipients.append("patient")
    zone = clinic_zone(session, program.clinic_id)
    # A send time before year 1 or past 9999 (a date saved before dates were checked) is left out.
    send_at = {}
    for lead in schedule.lead_days:
        day = shift(due, -lead)
        moment = local_moment(zone, day, schedule.send_hour) if day is not None else None
        if moment is not None:
            send_at[lead] = moment
    return {(due, lead, who): moment for lead, moment in send_at.items() for who in recipients}


def sync_program(session: Session, program: Program, now: datetime, schedule: Schedule = Schedule()) -> None:
    """Make the program's reminders match its next re-evaluation date.

    Pending rows for another date or recipient are cancelled (one conditional UPDATE, so a row a
    dispatcher has just claimed is left to it). Missing rows are added. One whose send time has
    passed goes out at once when that time was earlier today (in the clinic's time zone), and is
    left out when it was on an earlier day. A pending row whose time passed during downtime is
    kept: it goes out once. `now` is an aware time (UTC or any zone).
    """
    wanted = _wanted(session, program, schedule)
    existing = session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.program_id == program.id, OutboxMessage.kind == KIND, OutboxMessage.status != "cancelled"
        )
    ).all()
    unwanted = [
        row.id
        for row in existing
        if row.status == "pending" and ((row.due_on, row.lead_days, row.recipient) not in wanted)
    ]
    if unwanted:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(unwanted), OutboxMessage.status == "pending")
            .values(status="cancelled", last_error="")
            .execution_options(synchronize_session=False)
        )
        for row in existing:
            if row.id in unwanted:
                session.refresh(row)
    have = {(row.due_on, row.lead_days, row.recipient) for row in existing if row.status != "cancelled"}
    therapist = responsible_therapist(program)
    today = local_today(clinic_zone(session, program.clinic_id), now)
    for key, send_at in wanted.items():
        due, lead, who = key
        if key in have:
            continue
        if send_at < now:
            # The date was set after that reminder's hour. As the therapist sees it, the day is
            # what counts, not the hour: "due today" set at 10:00 must still come, and "due in 7
            # days" is still true all day and is the patient's week of notice to plan the visit,
            # so it goes out now, as it would had the date been saved before the hour. From an
            # earlier day its words would be wrong ("in 7 days" 5 days before): the next one comes.
            if shift(due, -lead) != today:
                continue
            send_at = now
        session.add(
            OutboxMessage(
                clinic_id=program.clinic_id,
                kind=KIND,
                program_id=program.id,
                patient_id=program.patient_id,
                user_id=therapist.id if therapist else None,
                recipient=who,
                due_on=due,
                lead_days=lead,
                send_at=send_at,
                next_attempt_at=send_at,
                created_at=now,
            )
        )
    session.flush()


def sync_patient(session: Session, patient: Patient, now: datetime, schedule: Schedule = Schedule()) -> None:
    """Re-derive the reminders of every program of the patient (after their email or consent changed)."""
    for program in session.scalars(scoped(Program, patient.clinic_id).where(Program.patient_id == patient.id)):
        sync_program(session, program, now, schedule)


def reminders_of_patient(session: Session, clinic_id: int, patient_id: int, limit: int = 20) -> list[OutboxMessage]:
    """The patient's reminders and emails still to go out, then the latest ones sent or failed."""
    query = scoped(OutboxMessage, clinic_id).where(OutboxMessage.patient_id == patient_id)
    waiting = session.scalars(
        query.where(OutboxMessage.status.in_(("pending", "sending"))).order_by(
            OutboxMessage.next_attempt_at, OutboxMessage.id
        )
    ).all()
    done = session.scalars(
        query.where(OutboxMessage.status.in_(("sent", "failed"))).order_by(OutboxMessage.id.desc()).limit(limit)
    ).all()
    return [*waiting, *done]


def due_this_far(due: date, today: date) -> str:
    """How a due date reads next to today: "today", "tomorrow", "in 7 days", "3 days ago"."""
    days = (due - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"
