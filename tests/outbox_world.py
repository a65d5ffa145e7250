"""Helpers for the outbox tests and the benchmark: many due rows, a real SMTP sink, simple composers."""

from __future__ import annotations

import email
import socket
import threading
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import insert
from sqlalchemy.orm import Session

from planner.mail import Email, message_id
from planner.models import OutboxMessage
from planner.services import accounts, patients, programs
from planner.services.patients import PatientData


def free_port() -> int:
    """aiosmtpd's Controller does not accept port 0: ask the system for a free port first."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SMTPSink:
    """A real SMTP server on localhost that keeps every message; it can refuse them on request."""

    def __init__(self, **server: Any) -> None:
        """`server`: aiosmtpd options, such as tls_context and require_starttls, or ssl_context."""
        self.port = free_port()
        self.messages: list[email.message.Message] = []
        self.secure: list[bool] = []  # per message: did it come over TLS?
        self.refusing = False
        self.lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, **server)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802  (aiosmtpd's hook name)
        if self.refusing:
            return "451 4.3.0 Mailbox temporarily unavailable"
        message = email.message_from_bytes(envelope.content)
        message["X-Envelope-To"] = ",".join(envelope.rcpt_tos)
        with self.lock:
            self.messages.append(message)
            self.secure.append(session.ssl is not None)
        return "250 OK"

    def __enter__(self) -> SMTPSink:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()

    def message_ids(self) -> list[str]:
        with self.lock:
            return [m["Message-ID"] for m in self.messages]

    def duplicates(self) -> dict[str, int]:
        return {mid: n for mid, n in Counter(self.message_ids()).items() if n > 1}


def make_due_rows(session: Session, count: int, due_at: datetime) -> list[int]:
    """`count` reminder rows due at `due_at`, for one clinic, patient and program; returns their ids."""
    clinic = accounts.create_clinic(session, name=f"Outbox clinic {count} {due_at:%H%M%S%f}", timezone="UTC")
    patient = patients.create_patient(session, clinic.id, PatientData(name="Outbox Patient"))
    program = programs.create_program(session, patient, programs.ProgramDetails("Plan", date(2026, 1, 1)), None, due_at)
    session.commit()
    rows = [
        {
            "clinic_id": clinic.id,
            "kind": "reevaluation",
            "program_id": program.id,
            "patient_id": patient.id,
            "recipient": "therapist",
            "due_on": date(2026, 1, 1) + timedelta(days=i % 300),
            "lead_days": 0,
            "status": "pending",
            "send_at": due_at,
            "next_attempt_at": due_at,
            "attempts": 0,
            "claimed_by": "",
            "to_address": "",
            "last_error": "",
            "created_at": due_at,
        }
        for i in range(count)
    ]
    for start in range(0, count, 2000):
        session.execute(insert(OutboxMessage), rows[start : start + 2000])
    session.commit()
    return sorted(
        session.scalars(
            OutboxMessage.__table__.select()
            .with_only_columns(OutboxMessage.id)
            .where(OutboxMessage.program_id == program.id)
        )
    )


def plain_compose(session: Session, row: OutboxMessage, now: datetime) -> Email:
    """A composer that reads nothing but the row: for tests of claiming and sending, not wording."""
    return Email(
        to="therapist@example.org",
        subject=f"Reminder {row.id}",
        text=f"Reminder {row.id}\n",
        html=f"<p>Reminder {row.id}</p>",
        message_id=message_id("reminder", row.id, "planner.test"),
        date=now,
        sender="planner@example.org",
    )


class RecordingMailer:
    """Keeps the Message-ID of every email handed to it (thread-safe)."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.lock = threading.Lock()

    def send(self, email: Email) -> None:
        with self.lock:
            self.sent.append(email.message_id)

    def close(self) -> None:
        pass
