"""A therapist's program with a re-evaluation date, in one line."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.models import OutboxMessage, Program
from planner.services import programs


def make_program(
    db: Session,
    patient,
    therapist_id: int | None,
    now: datetime,
    *,
    start: date,  # noqa: ANN001
    interval: int | None = None,
    on: date | None = None,
    title: str = "Neck program",
) -> Program:
    program = programs.create_program(
        db,
        patient,
        programs.ProgramDetails(title, start, reeval_interval_days=interval, reeval_date=on),
        therapist_id,
        now,
    )
    db.commit()
    return program


def pending(db: Session, program: Program) -> list[tuple]:
    """The program's pending reminders as (due date, lead days, recipient, send time), soonest first."""
    db.expire_all()
    rows = db.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.program_id == program.id, OutboxMessage.status == "pending")
        .order_by(OutboxMessage.send_at, OutboxMessage.recipient)
    )
    return [(r.due_on, r.lead_days, r.recipient, r.send_at) for r in rows]
