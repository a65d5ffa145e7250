"""Benchmark: 10,000 due reminders sent by several dispatcher processes to a local SMTP server (aiosmtpd).

    .venv/bin/python bench/reminders.py [--reminders 10000] [--dispatchers 4] [--url postgresql+psycopg://…]

Uses the real outbox, composer and SMTP mailer over a fresh SQLite file (or the given database).
Prints the throughput and the number of duplicates. Goal: all sent within 60 s, 0 duplicates.
"""

from __future__ import annotations

import argparse
import multiprocessing
import re
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiosmtpd.controller import Controller  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402
from sqlalchemy.orm import sessionmaker  # noqa: E402

from planner.db import make_engine  # noqa: E402
from planner.mail import SMTPMailer  # noqa: E402
from planner.migrate import upgrade  # noqa: E402
from planner.models import OutboxMessage  # noqa: E402
from planner.services import accounts, patients, programs  # noqa: E402
from planner.services.emails import MailSettings, make_composer  # noqa: E402
from planner.services.outbox import DispatchSettings, dispatch_all, dispatcher_session  # noqa: E402
from planner.services.patients import PatientData  # noqa: E402
from tests.outbox_world import free_port  # noqa: E402

DUE = date(2026, 5, 4)
MESSAGE_ID = re.compile(rb"^Message-ID: (\S+)", re.MULTILINE | re.IGNORECASE)


class Sink:
    """Counts Message-IDs; parsing whole messages would make the server the bottleneck."""

    def __init__(self) -> None:
        self.ids: list[bytes] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802
        match = MESSAGE_ID.search(envelope.content)
        with self.lock:
            self.ids.append(match.group(1) if match else b"?")
        return "250 OK"


def prepare(url: str, count: int, now: datetime) -> None:
    engine = make_engine(url)
    upgrade(engine)
    db = sessionmaker(bind=engine, expire_on_commit=False)()
    clinic = accounts.create_clinic(db, name=f"Bench clinic {now:%H%M%S%f}", phone="555-0100", timezone="UTC")
    therapist = accounts.create_user(
        db, clinic, email=f"bench{now:%H%M%S%f}@clinic.example", name="Dr. Bench", password="a long bench password"
    )
    patient = patients.create_patient(
        db, clinic.id, PatientData(name="Bench Patient", primary_therapist_id=therapist.id)
    )
    program = programs.create_program(
        db, patient, programs.ProgramDetails("Neck", DUE - timedelta(days=60), reeval_date=DUE), therapist.id, now
    )
    db.commit()
    rows = [
        {
            "clinic_id": clinic.id,
            "kind": "reevaluation",
            "program_id": program.id,
            "patient_id": patient.id,
            "user_id": therapist.id,
            "recipient": "therapist",
            "due_on": DUE,
            "lead_days": 0,
            "status": "pending",
            "send_at": now,
            "next_attempt_at": now,
            "attempts": 0,
            "claimed_by": "",
            "to_address": "",
            "last_error": "",
            "created_at": now,
        }
        for _ in range(count)
    ]
    for start in range(0, count, 2000):
        db.execute(insert(OutboxMessage), rows[start : start + 2000])
    db.commit()
    db.close()
    engine.dispose()


def dispatcher(url: str, port: int, now: datetime) -> None:
    mailer = SMTPMailer("127.0.0.1", port, security="none")
    compose = make_composer(MailSettings(domain="planner.bench"))
    with dispatcher_session(make_engine(url)) as session:
        dispatch_all(session, mailer, compose, lambda: now, DispatchSettings(batch_size=500))
    mailer.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--dispatchers", type=int, default=4)
    parser.add_argument("--url", default="", help="database URL; default: a fresh SQLite file")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="planner-bench-")
    url = args.url or f"sqlite:///{folder}/bench.sqlite3"
    now = datetime(2026, 5, 4, 6, tzinfo=UTC)
    prepare(url, args.reminders, now)

    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=dispatcher, args=(url, port, now)) for _ in range(args.dispatchers)]
    began = time.monotonic()
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    elapsed = time.monotonic() - began
    time.sleep(0.2)
    controller.stop()

    engine = make_engine(url)
    with engine.connect() as conn:
        statuses = dict(conn.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    engine.dispose()
    counts = Counter(sink.ids)
    duplicates = sum(n - 1 for n in counts.values() if n > 1)
    print(f"database:     {url.split(':')[0]}, {args.dispatchers} dispatcher processes")
    print(f"reminders:    {args.reminders}")
    print(f"received:     {len(sink.ids)} messages, {len(counts)} distinct Message-IDs")
    print(f"duplicates:   {duplicates}")
    print(f"rows:         {statuses}")
    print(f"elapsed:      {elapsed:.1f} s")
    print(f"throughput:   {len(sink.ids) / elapsed:.0f} emails/s")
    ok = duplicates == 0 and len(counts) == args.reminders and elapsed <= 60
    print("goal (<= 60 s, 0 duplicates, none lost):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()
