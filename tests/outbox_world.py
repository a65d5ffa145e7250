"""Helpers for the outbox tests and the benchmark: many due rows, a real SMTP sink, simple composers."""

from __future__ import annotations

import email
import re
import shutil
import socket
import ssl
import subprocess
import threading
from collections import Counter
from datetime import date, datetime, timedelta
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any

import pytest
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


def shown(header: str) -> str:
    """A header as a mail client shows it: encoded words decoded, folds joined."""
    return str(make_header(decode_header(header)))


# What a strict server refuses: a CR or LF that is not part of a CRLF pair, a line over 998 octets.
_BARE_LINE_END = re.compile(rb"\r(?!\n)|(?<!\r)\n")


# Per script: a person, a clinic, a program title (each long enough that a header must fold), an
# address with a domain in that script, and that address as it goes out (IDNA).
SCRIPTS = {
    "Spanish": (
        "María José Fernández-Gutiérrez de la Peña",
        "Clínica de Fisioterapia y Rehabilitación Neurológica San José",
        "Ejercicios de José para el cuello, los hombros y la postura",
        "maria@peña.example",
        "maria@xn--pea-8ma.example",
    ),
    "German": (
        "Jürgen Müller-Lüdenscheidt",
        "Praxis für Physiotherapie und Bewegungsstörungen Großhadern-Süd",
        "Übungen für Schultergürtel, Halswirbelsäule und Körperhaltung",
        "juergen@bücher.example",
        "juergen@xn--bcher-kva.example",
    ),
    "Greek": (
        "Γεώργιος Παπαδόπουλος-Χατζηδάκης",
        "Κέντρο Φυσικοθεραπείας και Αποκατάστασης Κινητικών Διαταραχών",
        "Ασκήσεις για την αυχενική δυστονία και τη στάση του σώματος",
        "georgios@ελληνικά.example",
        "georgios@xn--hxargifdar.example",
    ),
    "Chinese": (
        "欧阳娜娜",
        "北京协和医院康复医学科运动障碍门诊与家庭康复指导中心",
        "颈部肌张力障碍家庭康复训练计划第二版拉伸强化姿势控制与放松呼吸",
        "nana@例子.example",
        "nana@xn--fsqu00a.example",
    ),
}


class SMTPSink:
    """A real SMTP server on localhost that keeps every message; it can refuse them on request.

    `strict`: refuse, as strict servers do, a message with a bare LF or CR, a line over 998
    octets, or 8-bit bytes that the client did not announce (BODY=8BITMIME or SMTPUTF8).
    """

    def __init__(self, strict: bool = False, **server: Any) -> None:
        """`server`: aiosmtpd options, such as tls_context and require_starttls, ssl_context, or
        enable_SMTPUTF8: off unless asked for, as on many servers (aiosmtpd's Controller offers it)."""
        server.setdefault("enable_SMTPUTF8", False)
        self.port = free_port()
        self.messages: list[email.message.Message] = []
        self.raw: list[bytes] = []  # each message as it came over the wire
        self.envelopes: list[tuple[str, list[str], list[str]]] = []  # (MAIL FROM, RCPT TO, MAIL options)
        self.refused: list[str] = []  # why the strict server refused what it refused
        self.secure: list[bool] = []  # per message: did it come over TLS?
        self.refusing = False
        self.strict = strict
        self.lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, **server)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802  (aiosmtpd's hook name)
        if self.refusing:
            return "451 4.3.0 Mailbox temporarily unavailable"
        raw = envelope.original_content
        if self.strict:
            problem = self._problem(raw, envelope.mail_options)
            if problem:
                with self.lock:
                    self.refused.append(problem)
                return f"550 5.6.0 {problem}"
        message = email.message_from_bytes(raw)
        message["X-Envelope-To"] = ",".join(envelope.rcpt_tos)
        with self.lock:
            self.messages.append(message)
            self.raw.append(raw)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos), list(envelope.mail_options)))
            self.secure.append(session.ssl is not None)
        return "250 OK"

    @staticmethod
    def _problem(raw: bytes, options: list[str]) -> str:
        if _BARE_LINE_END.search(raw):
            return "Bare LF or CR: lines must end in CRLF"
        if any(len(line) > 998 for line in raw.split(b"\r\n")):
            return "Line longer than 998 octets"
        announced = {o.upper().split("=")[0] for o in options}
        if not raw.isascii() and not announced & {"BODY", "SMTPUTF8"}:
            return "8-bit data without BODY=8BITMIME or SMTPUTF8"
        return ""

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


class RefusesRecipient(SMTPSink):
    """A server that does not know the address it is asked to deliver to, and says which."""

    async def handle_RCPT(self, server, session, envelope, address, options) -> str:  # noqa: ANN001, N802
        return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"


def self_signed(folder: Path) -> tuple[Path, ssl.SSLContext]:
    """A self-signed certificate for 127.0.0.1 made with openssl in `folder`, and a server context
    holding it: (certificate file, context). Skips the test where openssl is not installed."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: no test certificate for TLS")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return cert, context


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


class Kept:
    """A mailer that keeps each Email it is handed, whole (for reading the emails back)."""

    def __init__(self) -> None:
        self.sent: list[Email] = []

    def send(self, email: Email) -> None:
        self.sent.append(email)

    def close(self) -> None:
        pass
