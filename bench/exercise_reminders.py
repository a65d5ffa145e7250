"""Benchmark: one day's exercise reminders for 10,000 patients, made and sent by several
`flask --app planner reminders dispatch` processes to a local SMTP server (aiosmtpd).

    .venv/bin/python bench/exercise_reminders.py [--patients 10000] [--dispatchers 4] [--url postgresql+psycopg://…]

Each patient has a program of two exercises, a working private link and reminders on at a time
that has just come. The dispatch processes start together: each makes the day's rows (the unique
key lets one win) and sends what is due. Ends with one line: `sent=N duplicates=D seconds=S`
(goals: N = the patients, D = 0, S at most 60; S counts from the processes' start to the last exit).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402
from sqlalchemy.orm import sessionmaker  # noqa: E402

from planner.db import make_engine  # noqa: E402
from planner.migrate import upgrade  # noqa: E402
from planner.models import Exercise, ExerciseReminder, OutboxMessage, Patient, Program, ProgramItem  # noqa: E402
from planner.models.portal import PatientLink  # noqa: E402
from planner.services import accounts, patient_links  # noqa: E402
from planner.services.exercise_reminders import stop_token  # noqa: E402
from tests.outbox_world import free_port  # noqa: E402

SECRET = "bench secret key"
ZONE = "Europe/Madrid"
MESSAGE_ID = re.compile(rb"^Message-ID: (\S+)", re.MULTILINE | re.IGNORECASE)
CHUNK = 2000


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


def _bulk(db, model, rows: list[dict]) -> list[int]:  # noqa: ANN001
    """Insert rows in chunks; returns their ids in order."""
    ids: list[int] = []
    for start in range(0, len(rows), CHUNK):
        ids += list(db.scalars(insert(model).returning(model.id), rows[start : start + CHUNK]))
    return ids


def prepare(url: str, count: int, now: datetime) -> None:
    """A clinic with `count` patients whose reminder time came a minute ago (local time)."""
    engine = make_engine(url)
    upgrade(engine)
    db = sessionmaker(bind=engine, expire_on_commit=False)()
    clinic = accounts.create_clinic(db, name=f"Bench clinic {now:%H%M%S%f}", phone="555-0100", timezone=ZONE)
    therapist = accounts.create_user(
        db, clinic, email=f"bench{now:%H%M%S%f}@clinic.example", name="Dr. Bench", password="a long bench password"
    )
    exercises = [
        Exercise(
            slug=f"bench-{clinic.id}-{n}",
            clinic_id=clinic.id,
            name=name,
            category="posture",
            position="sitting",
            dosage={"repetitions": 10},
        )
        for n, name in enumerate(["Chin tuck", "Shoulder roll"])
    ]
    db.add_all(exercises)
    db.commit()
    local = now.astimezone(ZoneInfo(ZONE)) - timedelta(minutes=1)
    today = local.date()
    patient_ids = _bulk(
        db,
        Patient,
        [
            {
                "clinic_id": clinic.id,
                "name": f"Patient {n}",
                "name_search": f"patient {n}",
                "email": f"patient{n}@example.org",
                "primary_therapist_id": therapist.id,
            }
            for n in range(count)
        ],
    )
    program_ids = _bulk(
        db,
        Program,
        [
            {
                "clinic_id": clinic.id,
                "patient_id": p,
                "therapist_id": therapist.id,
                "title": "Neck",
                "start_date": today,
            }
            for p in patient_ids
        ],
    )
    _bulk(
        db,
        ProgramItem,
        [
            {"program_id": program, "position": i, "exercise_id": exercise.id, "dosage": {"repetitions": 10}}
            for program in program_ids
            for i, exercise in enumerate(exercises)
        ],
    )
    links, reminders = [], []
    for p in patient_ids:
        nonce = secrets.token_hex(32)
        links.append(
            {
                "clinic_id": clinic.id,
                "patient_id": p,
                "nonce": nonce,
                "token_hash": patient_links.hash_token(patient_links.derive_token(SECRET, nonce)),
                "created_at": now,
            }
        )
        reminder = ExerciseReminder(nonce=secrets.token_hex(32))
        reminders.append(
            {
                "clinic_id": clinic.id,
                "patient_id": p,
                "enabled": True,
                "send_time": local.time().replace(second=0, microsecond=0),
                "changed_by": "patient",
                "changed_at": now,
                "consent_at": now,
                "consent_by": "patient",
                "nonce": reminder.nonce,
                "token_hash": patient_links.hash_token(stop_token(reminder, SECRET)),
            }
        )
    _bulk(db, PatientLink, links)
    _bulk(db, ExerciseReminder, reminders)
    db.commit()
    db.close()
    engine.dispose()


def write_config(folder: Path, url: str, port: int) -> Path:
    path = folder / "bench.toml"
    path.write_text(
        f"""[server]
public_url = "https://exercises.example.org"
[database]
url = "{url}"
[mail]
backend = "smtp"
sender = "Bench Clinic <planner@clinic.example>"
message_id_domain = "planner.bench"
smtp_host = "127.0.0.1"
smtp_port = {port}
smtp_security = "none"
[reminders]
embedded = false
batch_size = 500
"""
    )
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--dispatchers", type=int, default=4)
    parser.add_argument("--url", default="", help="database URL; default: a fresh SQLite file")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="planner-bench-"))
    url = args.url or f"sqlite:///{folder}/bench.sqlite3"
    prepare(url, args.patients, datetime.now(UTC))

    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    env = {**os.environ, "PLANNER_CONFIG": str(write_config(folder, url, port)), "PLANNER_SECRET_KEY": SECRET}
    flask = str(Path(sys.executable).with_name("flask"))
    began = time.monotonic()
    processes = [
        subprocess.Popen(
            [flask, "--app", "planner", "reminders", "dispatch"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(args.dispatchers)
    ]
    outputs = [p.communicate()[0].strip() for p in processes]
    seconds = time.monotonic() - began
    time.sleep(0.2)
    controller.stop()

    engine = make_engine(url)
    with engine.connect() as conn:
        rows = dict(
            conn.execute(
                select(OutboxMessage.status, func.count())
                .where(OutboxMessage.kind == "exercise")
                .group_by(OutboxMessage.status)
            ).all()
        )
    engine.dispose()
    counts = Counter(sink.ids)
    print(f"database: {url.split(':')[0]}, {args.dispatchers} dispatch processes, {args.patients} patients")
    for n, output in enumerate(outputs):
        print(f"process {n}: {output}")
    print(f"outbox rows: {rows}")
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = resource.getrusage(resource.RUSAGE_SELF)
    print(
        f"cpu: dispatch processes {children.ru_utime + children.ru_stime:.1f} s, "
        f"this process (set-up and the SMTP server) {own.ru_utime + own.ru_stime:.1f} s; "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores"
    )
    duplicates = len(sink.ids) - len(counts)
    print(f"sent={len(counts)} duplicates={duplicates} seconds={seconds:.1f}")


if __name__ == "__main__":
    main()
