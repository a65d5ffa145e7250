"""Make a clinic, a therapist, a patient in one line each; give a program to its patient."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from planner.db import make_engine
from planner.models import Clinic, Exercise, Patient, Program, ProgramTemplate, User
from planner.passwords import PasswordCost
from planner.services import accounts, issuing, patients, program_items
from planner.services.patients import PatientData

PASSWORD = "a long test password"
_seq = itertools.count(1)
# The cheap hashing of every test app (tests/conftest.py FAST), also for services called without one.
FAST_COST = PasswordCost(memory_kib=1024, time_cost=1)


def make_clinic(db: Session, name: str | None = None, timezone: str = "Europe/Berlin") -> Clinic:
    clinic = accounts.create_clinic(
        db, name=name or f"Clinic {next(_seq)}", phone="555-0100", address="1 Test Street", timezone=timezone
    )
    db.commit()
    return clinic


def make_user(
    db: Session, clinic: Clinic, role: str = "therapist", email: str | None = None, name: str | None = None
) -> User:
    n = next(_seq)
    user = accounts.create_user(
        db,
        clinic,
        email=email or f"user{n}@example.org",
        name=name or f"Therapist {n}",
        password=PASSWORD,
        role=role,
        cost=FAST_COST,
    )
    db.commit()
    return user


def make_patient(db: Session, clinic: Clinic, name: str | None = None, **fields) -> Patient:  # noqa: ANN003
    patient = patients.create_patient(db, clinic.id, PatientData(name=name or f"Patient {next(_seq)}", **fields))
    db.commit()
    return patient


def give(db: Session, program: Program, now: datetime, how: str = "print") -> Program:
    """Give the program to its patient, as printing it does (issuing.issue), and commit: only a
    program given reaches the phone page, its reminder emails and the adherence charts."""
    issuing.issue(db, program, None, how, now)
    db.commit()
    return program


def with_exercise(db: Session, program: Program, now: datetime) -> Program:
    """Add one exercise of the clinic's own (no catalog needed) to the program: an empty program
    is never given (issuing.refuse_empty), so a handout to email or print needs one."""
    exercise = Exercise(
        slug=f"own-{program.clinic_id}-{next(_seq)}",
        clinic_id=program.clinic_id,
        name="Chin tuck",
        category="posture",
        position="sitting",
        dosage={"repetitions": 5},
    )
    db.add(exercise)
    program_items.add_item(db, program, exercise, None, now)
    return program


def shipped_template(db: Session, name: str) -> ProgramTemplate:
    """The template shipped as exercises/templates/NAME.toml ("cervical-dystonia", "writers-cramp"),
    in a database the catalog was loaded into (conftest's catalog_db)."""
    return db.scalars(select(ProgramTemplate).where(ProgramTemplate.slug == f"shipped-{name}")).one()


@contextmanager
def catalog_session(catalog_file: Path, folder: Path) -> Iterator[Session]:
    """A session on a copy, in `folder`, of the loaded catalog (conftest's `catalog_file`), its
    objects usable after commit; the engine is disposed on leaving, a return or an error too."""
    copy = folder / "planner.sqlite3"
    shutil.copyfile(catalog_file, copy)
    engine = make_engine(f"sqlite:///{copy}")
    try:
        with sessionmaker(bind=engine, expire_on_commit=False)() as session:
            yield session
    finally:
        engine.dispose()
