"""Pain alerts reach the therapist by email through the outbox (retried, visible when they fail)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from planner.models import OutboxMessage, Program
from planner.models.portal import PainAlert


def queue_pain_alert(session: Session, alert: PainAlert, program: Program, now: datetime) -> OutboxMessage | None:
    """Queue the alert email to the patient's primary therapist (or the program's author).

    None when the patient has no therapist to tell; the alert still shows on the pages.
    """
    patient = program.patient
    therapist_id = patient.primary_therapist_id or program.therapist_id
    if therapist_id is None:
        return None
    row = OutboxMessage(
        clinic_id=program.clinic_id,
        kind="pain_alert",
        program_id=program.id,
        patient_id=patient.id,
        user_id=therapist_id,
        recipient="therapist",
        due_on=alert.day,
        send_at=now,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row
