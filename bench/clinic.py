"""The clinics bench/pages.py serves: the demo, and a hospital department made with bulk inserts.

    .venv/bin/python bench/clinic.py [--patients 20000]   # build (or find) the big clinic, print its file

The big clinic: one clinic of `patients` patients (40,000 programs, 300,000 exercise logs,
100,000 audit rows and 60,000 outbox rows at 20,000), one therapist with a quarter of them
(5,000 at 20,000), the rest shared by 15 therapists. Rows go in through executemany of Core
inserts (never ORM objects one by one), about 20 s for 20,000 patients. The file is kept in the
temporary folder, named by the code's migration head and a hash of the migrations and of this
file, so the next run copies it instead of building it again.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Table, event, select  # noqa: E402
from sqlalchemy.engine import Connection  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

from planner.catalog.loader import load_directory  # noqa: E402
from planner.config import ROOT  # noqa: E402
from planner.db import make_engine  # noqa: E402
from planner.demo import load_demo  # noqa: E402
from planner.migrate import head_revision, upgrade  # noqa: E402
from planner.models import Base, Exercise, ProgramTemplate, User  # noqa: E402
from planner.search_key import name_key  # noqa: E402
from planner.services import accounts, calendar_feed, patient_links  # noqa: E402
from planner.services.patients import NAME_KEY_MAX, name_keys  # noqa: E402
from planner.services.program_templates import load_shipped  # noqa: E402
from planner.services.reevaluation import store_due_dates  # noqa: E402

SECRET = "bench secret key, not a real one"
PASSWORD = "bench password, not a real one"
HEAVY_EMAIL = "heavy@hospital.example"
CHUNK = 20_000

FIRST = [
    "Maria",
    "Jonas",
    "Aiko",
    "Dimitris",
    "Olga",
    "Zoë",
    "Renée",
    "Łukasz",
    "Γιώργος",
    "Наталья",
    "明",
    "Yael",
    "Omar",
    "Ana",
    "Kwame",
    "Søren",
    "Ingrid",
    "Chloé",
    "Mehmet",
    "Priya",
]
LAST = [
    "Lopez",
    "Berg",
    "Tanaka",
    "Papadopoulos",
    "Ivanova",
    "Müller",
    "O'Brien",
    "Nowak",
    "Παπαδάκης",
    "Смирнов",
    "王",
    "Cohen",
    "Haddad",
    "Silva",
    "Mensah",
    "Jørgensen",
    "Lindqvist",
    "Dubois",
    "Yılmaz",
    "Sharma",
]
TAGS = ["cervical_dystonia", "blepharospasm", "writers_cramp", "generalized_dystonia", "parkinsonism"]
INTERVALS = [28, 42, 56, 84, 90]


@dataclass
class Clinic:
    """A generated database file and what the bench needs to reach it."""

    path: str
    email: str  # the therapist whose pages are loaded
    password: str
    feed_token: str  # that therapist's calendar feed
    link_token: str  # a patient's private link (the phone page)
    program_id: int  # a program the builder and the handout open
    patients: int


def cache_folder() -> Path:
    folder = Path(tempfile.gettempdir()) / "planner-bench-pages"
    folder.mkdir(exist_ok=True)
    return folder


def cache_key(name: str) -> str:
    """`name`, the migration head, and a hash of the migrations and of this generator: a changed
    schema or generator never reuses an old file."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "migrations" / "versions").glob("*.py")) + [Path(__file__)]:
        digest.update(path.read_bytes())
    return f"{name}-{head_revision()}-{digest.hexdigest()[:10]}"


def cached(name: str, build) -> Clinic:  # noqa: ANN001
    """The clinic `name` from the cache, built first when the code's migration head has no copy yet."""
    key = cache_key(name)
    path, meta = cache_folder() / f"{key}.sqlite3", cache_folder() / f"{key}.json"
    if not (path.exists() and meta.exists()):
        # Each process builds under a name of its own and moves it into place whole: two benches
        # started together once built into the same file, one unlinking it under the other, and
        # left a cached clinic without tables.
        partial = path.with_name(f"{key}.{os.getpid()}.partial")
        partial.unlink(missing_ok=True)
        clinic = build(partial)
        engine = make_engine(f"sqlite:///{partial}")
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.exec_driver_sql("ANALYZE")
        engine.dispose()
        clinic.path = str(path)
        written = meta.with_name(f"{meta.name}.{os.getpid()}")
        written.write_text(json.dumps(asdict(clinic)))
        os.replace(partial, path)
        os.replace(written, meta)
    return Clinic(**json.loads(meta.read_text()))


def working_copy(clinic: Clinic, folder: Path) -> Clinic:
    """A copy to serve, so the cached file never grows with a run's audit rows."""
    target = folder / Path(clinic.path).name
    shutil.copyfile(clinic.path, target)
    return Clinic(**{**asdict(clinic), "path": str(target)})


def _catalog(path: Path) -> sessionmaker:
    engine = make_engine(f"sqlite:///{path}")
    # A file the bench can always build again: no fsync while it is made.
    event.listen(engine, "connect", lambda dbapi, _record: dbapi.execute("PRAGMA synchronous=OFF"))
    upgrade(engine)
    make = sessionmaker(bind=engine, expire_on_commit=False)
    with make() as db:
        load_directory(db, ROOT / "exercises", datetime.now(UTC))
        load_shipped(db)
        db.commit()
    return make


def build_demo(path: Path) -> Clinic:
    """`flask demo`'s clinic (5 patients), with a calendar feed and a patient link."""
    make = _catalog(path)
    now = datetime.now(UTC)
    with make() as db:
        login = load_demo(db, now.date(), now, ROOT / "exercises")
        user = db.scalars(select(User).where(User.email == login.email)).one()
        user.password_hash = _password_hash()
        feed = calendar_feed.create_feed(db, user, now)
        link_token, program_id = _link_and_program(db, user)
        db.commit()
    make.kw["bind"].dispose()
    return Clinic(str(path), login.email, PASSWORD, feed, link_token, program_id, 5)


def _password_hash() -> str:
    from planner import passwords
    from planner.config import read_settings

    security = read_settings()["security"]
    cost = passwords.PasswordCost(int(security["argon2_memory_kib"]), int(security["argon2_time_cost"]))
    return passwords.hash_password(PASSWORD, cost)


def _link_and_program(db: Session, user: User) -> tuple[str, int]:
    """A link for the first patient of the user who follows a program, and that program's id.

    The program is given (its version frozen, as sharing the link does), so the phone page shows
    it from the first request: every tool measures the real page, not the "not prepared yet" one
    (before, only a run that printed the handout first did).
    """
    from planner.models import Patient, Program
    from planner.services import issuing

    program = db.scalars(
        select(Program)
        .join(Patient, Patient.id == Program.patient_id)
        .where(Program.therapist_id == user.id, Program.archived_at.is_(None), Patient.archived_at.is_(None))
        .order_by(Program.id)
    ).first()
    now = datetime.now(UTC)
    _link, token = patient_links.create_link(db, program.patient, SECRET, now)
    issuing.issue(db, program, user.id, "share", now)
    return token, program.id


def build_hospital(path: Path, patients: int = 20_000, seed: int = 15) -> Clinic:
    """One clinic of `patients` patients, generated with bulk inserts (see the module docstring)."""
    started = time.perf_counter()
    make = _catalog(path)
    rng = random.Random(seed)
    now = datetime.now(UTC)
    today = now.date()
    tables = Base.metadata.tables
    with make() as db:
        clinic = accounts.create_clinic(db, name="Bench Hospital", phone="555-0100", timezone="Europe/Berlin")
        hashed = _password_hash()
        users = [User(clinic=clinic, email="admin@hospital.example", name="Admin", role="admin", password_hash=hashed)]
        users.append(User(clinic=clinic, email=HEAVY_EMAIL, name="Dana Ortiz", password_hash=hashed))
        users += [
            User(clinic=clinic, email=f"pt{n}@hospital.example", name=f"Therapist {n}", password_hash=hashed)
            for n in range(15)
        ]
        db.add_all(users)
        db.flush()
        heavy, others = users[1], users[2:]
        exercises = {
            slug: (id_, dosage) for slug, id_, dosage in db.execute(select(Exercise.slug, Exercise.id, Exercise.dosage))
        }
        templates = [t.content for t in db.scalars(select(ProgramTemplate).order_by(ProgramTemplate.id))]
        clinic_id = clinic.id
        db.commit()
        conn = db.connection()
        therapist_of = [heavy.id if n % 4 == 0 else others[n % len(others)].id for n in range(patients)]
        patient_ids = _patients(conn, tables["patients"], clinic_id, therapist_of, rng, now)
        programs = _programs(conn, tables, clinic_id, patient_ids, therapist_of, templates, exercises, rng, today, now)
        _logs(conn, tables["exercise_logs"], clinic_id, programs, rng, today, now, total=patients * 15)
        _day_reports(conn, tables, clinic_id, programs, rng, today, now)
        _audit(
            conn, tables["audit_entries"], clinic_id, patient_ids, [u.id for u in users], rng, now, total=patients * 5
        )
        _outbox(conn, tables["outbox"], clinic_id, programs, rng, now, total=patients * 3)
        store_due_dates(db)  # the rows went in past the ORM
        db.commit()
        heavy = db.get(User, heavy.id)
        feed = calendar_feed.create_feed(db, heavy, now)
        link_token, program_id = _link_and_program(db, heavy)
        db.commit()
    make.kw["bind"].dispose()
    print(f"generated {patients} patients in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return Clinic(str(path), HEAVY_EMAIL, PASSWORD, feed, link_token, program_id, patients)


def _insert(conn: Connection, table: Table, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        conn.execute(table.insert(), rows[start : start + CHUNK])


def _ids(conn: Connection, table: Table, first: int, count: int) -> list[int]:
    """The ids of the `count` rows inserted after id `first` (SQLite hands them out in order)."""
    return list(conn.scalars(select(table.c.id).where(table.c.id > first).order_by(table.c.id).limit(count)))


def _max_id(conn: Connection, table: Table) -> int:
    from sqlalchemy import func

    return conn.scalar(select(func.coalesce(func.max(table.c.id), 0)))


def _patients(conn, table, clinic_id, therapist_of, rng, now) -> list[int]:  # noqa: ANN001
    first = _max_id(conn, table)
    rows = []
    for n, therapist in enumerate(therapist_of):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}-{n}"
        rows.append(
            {
                "clinic_id": clinic_id,
                "name": name,
                "name_search": name_key(name, NAME_KEY_MAX),
                "date_of_birth": date(1930, 1, 1) + timedelta(days=rng.randrange(0, 80 * 365)),
                "email": f"patient{n}@mail.example" if n % 3 else "",
                "phone": f"555-{n:05d}",
                "language": "es" if n % 5 == 0 else "en",  # the languages offered today
                "reminder_consent": n % 3 != 0,
                "condition": "Head turns to the left, worse when tired." if n % 2 else "",
                "condition_tags": [rng.choice(TAGS)],
                "primary_therapist_id": therapist,
                # One patient in twenty has left the clinic.
                "archived_at": now - timedelta(days=rng.randrange(1, 300)) if n % 20 == 19 else None,
                "created_at": now - timedelta(days=rng.randrange(400, 900)),
                "updated_at": now,
            }
        )
    _insert(conn, table, rows)
    ids = _ids(conn, table, first, len(rows))
    # Where a search word can start in each name, as the app keeps it (services/patients.index_name).
    keys = Base.metadata.tables["patient_name_keys"]
    _insert(
        conn,
        keys,
        [
            {"patient_id": patient_id, "clinic_id": clinic_id, "key": key}
            for patient_id, row in zip(ids, rows, strict=True)
            for key in name_keys(row["name_search"])
        ],
    )
    return ids


@dataclass
class _Program:
    id: int
    patient_id: int
    therapist_id: int
    active: bool
    exercise_ids: list[int]


def _programs(conn, tables, clinic_id, patient_ids, therapist_of, templates, exercises, rng, today, now):  # noqa: ANN001, ANN202
    """Two programs per patient: an older one, archived, and the current one with its re-evaluations.

    The current program's last re-evaluation is one interval or less ago for five in six of
    them (the next date lies ahead), further back for the rest (overdue); one in ten has its
    next date set by hand.
    """
    table = tables["programs"]
    first = _max_id(conn, table)
    rows, shapes, evaluations = [], [], []
    for patient_id, therapist in zip(patient_ids, therapist_of, strict=True):
        for current in (False, True):
            content = rng.choice(templates)
            interval = rng.choice(INTERVALS)
            if current:
                start = today - timedelta(days=rng.randrange(7, 400))
            else:
                start = today - timedelta(days=rng.randrange(400, 800))
            reeval_date = today + timedelta(days=rng.randrange(-20, 60)) if current and rng.random() < 0.1 else None
            if reeval_date is not None and reeval_date < start:
                reeval_date = None
            rows.append(
                {
                    "clinic_id": clinic_id,
                    "patient_id": patient_id,
                    "therapist_id": therapist,
                    "title": content["title"],
                    "goals": content["goals"],
                    "start_date": start,
                    "frequency": content["frequency"],
                    "visit_plan": content["visit_plan"],
                    "reeval_interval_days": interval,
                    "reeval_date": reeval_date,
                    "advice": content["advice"],
                    "advice_text": "",
                    "version": 1,
                    "issued": True,
                    "version_date": now,
                    "lock_version": 1,
                    "archived_at": None if current else now - timedelta(days=rng.randrange(1, 300)),
                    "created_at": now,
                    "updated_at": now,
                }
            )
            shapes.append((patient_id, therapist, current, content, interval, start))
    _insert(conn, table, rows)
    ids = _ids(conn, table, first, len(rows))
    programs, items = [], []
    for program_id, (patient_id, therapist, current, content, interval, start) in zip(ids, shapes, strict=True):
        slugs = [i["exercise"] for i in content["items"] if i["exercise"] in exercises]
        for position, slug in enumerate(slugs, start=1):
            exercise_id, dosage = exercises[slug]
            items.append(
                {
                    "program_id": program_id,
                    "position": position,
                    "exercise_id": exercise_id,
                    "dosage": dosage,
                    "side": "both",
                    "note": "",
                }
            )
        programs.append(_Program(program_id, patient_id, therapist, current, [exercises[s][0] for s in slugs]))
        # Re-evaluations every interval (give or take a few days) from the start.
        behind = rng.random() < 1 / 6
        on = start + timedelta(days=interval)
        if not current:  # archived after a year or less
            last_allowed = start + timedelta(days=rng.randrange(60, 360))
        elif behind:
            last_allowed = today - timedelta(days=interval + rng.randrange(1, 60))
        else:
            last_allowed = today
        while on <= last_allowed and on <= today:
            evaluations.append(
                {
                    "clinic_id": clinic_id,
                    "patient_id": patient_id,
                    "program_id": program_id,
                    "therapist_id": therapist,
                    "evaluated_on": on,
                    "findings": "Better control.",
                    "plan_changes": "",
                    "created_at": now,
                }
            )
            on += timedelta(days=interval + rng.randrange(-3, 4))
    _insert(conn, tables["program_items"], items)
    _insert(conn, tables["evaluations"], evaluations)
    return programs


def _logs(conn, table, clinic_id, programs, rng, today, now, total) -> None:  # noqa: ANN001
    """Ticks of the last 60 days on the current programs, `total` of them, no (program, exercise, day) twice."""
    active = [p for p in programs if p.active]
    rows, seen = [], set()
    while len(rows) < total:
        program = rng.choice(active)
        exercise_id = rng.choice(program.exercise_ids)
        day = today - timedelta(days=rng.randrange(0, 60))
        if (program.id, exercise_id, day) in seen:
            continue
        seen.add((program.id, exercise_id, day))
        rows.append(
            {
                "clinic_id": clinic_id,
                "patient_id": program.patient_id,
                "program_id": program.id,
                "exercise_id": exercise_id,
                "day": day,
                "created_at": now,
            }
        )
    _insert(conn, table, rows)


def _day_reports(conn, tables, clinic_id, programs, rng, today, now) -> None:  # noqa: ANN001
    """A few pain ratings per patient over the last 8 weeks, and an open pain alert for one patient in 20."""
    reports, alerts = [], []
    for n, program in enumerate(p for p in programs if p.active):
        for day in sorted({today - timedelta(days=rng.randrange(0, 56)) for _ in range(3)}):
            reports.append(
                {
                    "clinic_id": clinic_id,
                    "patient_id": program.patient_id,
                    "program_id": program.id,
                    "day": day,
                    "pain": rng.randrange(0, 8),
                    "difficulty": "right",
                    "comment": "Went well." if rng.random() < 0.3 else "",
                    "updated_at": now,
                }
            )
        if n % 20 == 0:
            alerts.append(
                {
                    "clinic_id": clinic_id,
                    "patient_id": program.patient_id,
                    "day": today,
                    "pain": 8,
                    "reason": "Pain 8 of 10.",
                    "created_at": now,
                    "seen": n % 40 == 0,
                }
            )
    _insert(conn, tables["day_reports"], reports)
    _insert(conn, tables["pain_alerts"], alerts)


def _audit(conn, table, clinic_id, patient_ids, user_ids, rng, now, total) -> None:  # noqa: ANN001
    rows = []
    for n in range(total):
        patient = rng.choice(patient_ids)
        rows.append(
            {
                "clinic_id": clinic_id,
                "user_id": rng.choice(user_ids),
                "at": now - timedelta(minutes=total - n),
                "action": rng.choice(["view", "view", "list", "update"]),
                "subject_type": "patient",
                "subject_id": patient,
                "patient_id": patient,
                "detail": "",
                "address": "10.0.0.7",
            }
        )
    _insert(conn, table, rows)


def _outbox(conn, table, clinic_id, programs, rng, now, total) -> None:  # noqa: ANN001
    """Reminders: mostly sent, some pending, cancelled, and a few hundred failed."""
    rows = []
    for n in range(total):
        program = rng.choice(programs)
        status = rng.choices(["sent", "pending", "cancelled", "failed"], [80, 12, 7, 1])[0]
        at = now + timedelta(days=rng.randrange(-300, 60))
        rows.append(
            {
                "clinic_id": clinic_id,
                "kind": "reevaluation",
                "program_id": program.id,
                "patient_id": program.patient_id,
                "user_id": program.therapist_id,
                "recipient": "therapist" if n % 2 else "patient",
                "due_on": at.date(),
                "lead_days": 7,
                "status": status,
                "send_at": at,
                "next_attempt_at": at,
                "attempts": 5 if status == "failed" else 1,
                "claimed_by": "",
                "sent_at": at if status == "sent" else None,
                "to_address": f"patient{n}@mail.example",
                "last_error": "550 mailbox unavailable" if status == "failed" else "",
                "created_at": now,
            }
        )
    _insert(conn, table, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description="Build or find the bench's big clinic.")
    parser.add_argument("--patients", type=int, default=20_000)
    args = parser.parse_args()
    clinic = cached(f"hospital{args.patients}", lambda p: build_hospital(p, args.patients))
    print(clinic.path)


if __name__ == "__main__":
    main()
