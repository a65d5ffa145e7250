"""A therapist's dashboard: re-evaluations overdue, due this week, later; emails that failed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import or_
from sqlalchemy.orm import Session, selectinload

from planner.models import OutboxMessage, Patient, Program, User
from planner.scoping import scoped
from planner.services import programs
from planner.services.outbox import failed_for


@dataclass(frozen=True)
class Due:
    program: Program
    due_on: date
    days: int  # from today; negative when overdue

    @property
    def patient(self) -> Patient:
        return self.program.patient


@dataclass
class Dashboard:
    overdue: list[Due] = field(default_factory=list)
    this_week: list[Due] = field(default_factory=list)
    later: list[Due] = field(default_factory=list)
    failed: list[OutboxMessage] = field(default_factory=list)


def due_reevaluations(session: Session, user: User, today: date) -> list[Due]:
    """The active programs the therapist is responsible for that have a next date, soonest first.

    Responsible: the program's therapist, or the patient's primary therapist when it has none.
    """
    query = (
        scoped(Program, user.clinic_id)
        .join(Patient, Program.patient_id == Patient.id)
        .where(
            Program.archived_at.is_(None),
            Patient.archived_at.is_(None),
            or_(
                Program.therapist_id == user.id,
                Program.therapist_id.is_(None) & (Patient.primary_therapist_id == user.id),
            ),
        )
        .options(selectinload(Program.evaluations), selectinload(Program.patient))
    )  # type: ignore[attr-defined]
    dues = []
    for program in session.scalars(query):
        due = programs.next_reevaluation(program)
        if due is not None:
            dues.append(Due(program, due, (due - today).days))
    return sorted(dues, key=lambda d: (d.due_on, d.patient.name_search, d.program.id))


def therapist_dashboard(session: Session, user: User, today: date) -> Dashboard:
    """Overdue (before today), this week (today and the next 6 days), later; and failed emails."""
    board = Dashboard(failed=failed_for(session, user))
    week_end = today + timedelta(days=6)
    for due in due_reevaluations(session, user, today):
        group = board.overdue if due.due_on < today else board.this_week if due.due_on <= week_end else board.later
        group.append(due)
    return board
