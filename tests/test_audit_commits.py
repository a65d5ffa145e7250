"""Every view of patient data is still recorded, but a commit that records views alone does not wait
for the disk (services/audit.py says why that is safe); a commit that changes anything does."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, select

from planner.models import AuditEntry, Patient, Program, ProgramVersion, VersionGiving
from planner.services import audit
from tests.conftest import login
from tests.factories import make_clinic, make_patient, make_user, with_exercise

RELAXING = ("PRAGMA synchronous=NORMAL", "SET LOCAL synchronous_commit TO OFF")


@pytest.fixture
def traced(service_db):  # noqa: ANN201
    """The session, and every statement its connections run from now on (SQLite's own PRAGMAs too)."""
    engine = service_db.get_bind()
    seen: list[str] = []
    service_db.close()
    engine.dispose()  # new connections, which carry the trace
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", lambda raw, _record: _full_and_traced(raw, seen))
    else:
        event.listen(engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    return service_db, seen


def _full_and_traced(raw, seen: list[str]) -> None:  # noqa: ANN001
    # The product's level (SQLite's default, FULL): the other tests' files never wait (conftest).
    raw.execute("PRAGMA synchronous=FULL")
    raw.set_trace_callback(seen.append)


@pytest.fixture
def within_a_second(monkeypatch):
    """A view commit right after a full sync (one per second per process syncs in full)."""
    monkeypatch.setattr(audit, "_last_full_sync", time.monotonic())


def relaxed(seen: list[str]) -> bool:
    return any(s.startswith(RELAXING) for s in seen)


def test_a_commit_of_views_alone_skips_the_disk_wait(traced, within_a_second):
    db, seen = traced
    clinic = make_clinic(db)
    user = make_user(db, clinic)
    patient = make_patient(db, clinic, "Ива Ćosić")
    seen.clear()
    audit.record(db, user, "view", "patient", patient.id, patient_id=patient.id)
    audit.record(db, user, "list", "patients", None, detail="search=''")
    db.commit()
    assert relaxed(seen)
    assert [e.action for e in db.scalars(select(AuditEntry).order_by(AuditEntry.id))] == ["view", "list"]
    if db.get_bind().dialect.name == "sqlite":  # the connection's own level is back for the next commit
        assert db.connection().exec_driver_sql("PRAGMA synchronous").scalar() == 2


@pytest.mark.parametrize("action", ["update", "view"])
def test_a_commit_that_changes_anything_waits_for_the_disk(traced, within_a_second, action):
    db, seen = traced
    clinic = make_clinic(db)
    user = make_user(db, clinic)
    patient = make_patient(db, clinic, "Ива Ćosić")
    seen.clear()
    db.get(Patient, patient.id).phone = "555-0199"  # a change, with its view or its update recorded
    audit.record(db, user, action, "patient", patient.id, patient_id=patient.id)
    db.commit()
    assert not relaxed(seen)
    assert db.scalars(select(AuditEntry.action)).all() == [action]


def test_one_view_commit_a_second_syncs_in_full(traced, monkeypatch):
    db, seen = traced
    clinic = make_clinic(db)
    user = make_user(db, clinic)
    monkeypatch.setattr(audit, "_last_full_sync", time.monotonic() - audit.SYNC_EVERY_SECONDS)
    seen.clear()
    audit.record(db, user, "list", "dashboard", None)
    db.commit()
    assert not relaxed(seen)
    audit.record(db, user, "list", "dashboard", None)
    db.commit()
    assert relaxed(seen)  # the next one, within the second, does not wait


def test_a_view_recorded_and_rolled_back_is_not_written(service_db):
    db = service_db
    clinic = make_clinic(db)
    user = make_user(db, clinic)
    audit.record(db, user, "view", "patient", None)
    db.rollback()
    db.commit()
    assert db.scalars(select(AuditEntry)).all() == []


CRASH = """
import os, sys
from sqlalchemy.orm import Session
from planner.db import make_engine
from planner.models import User
from planner.services import audit
audit._last_full_sync = float("inf")  # every view commit in this process skips the disk wait
with Session(make_engine(sys.argv[1])) as db:
    user = db.get(User, int(sys.argv[2]))
    audit.record(db, user, "view", "patient", None, detail="seen just before the crash")
    db.commit()
    os._exit(9)  # the worker dies: no clean-up, no checkpoint
"""


def test_a_view_survives_a_crash_of_the_worker_right_after_its_commit(app, db):
    clinic = make_clinic(db)
    user = make_user(db, clinic)
    url = app.config["DATABASE_URL"]
    died = subprocess.run([sys.executable, "-c", CRASH, url, str(user.id)], capture_output=True, text=True)
    assert died.returncode == 9, died.stderr
    assert db.scalars(select(AuditEntry.detail)).all() == ["seen just before the crash"]


def made_on_its_page(app, db, patient_name: str) -> tuple:  # noqa: ANN001
    """(client, patient, program id): a therapist signed in, who made the program "Neck" for a new
    patient `patient_name` with the new-program form."""
    clinic = make_clinic(db)
    make_user(db, clinic, email="pt@views.org")
    patient = make_patient(db, clinic, patient_name)
    client = app.test_client()
    login(client, "pt@views.org")
    made = client.post(
        f"/patients/{patient.id}/programs/new", data={"title": "Neck", "start_date": "2026-11-23", "lock_version": "0"}
    )
    return client, patient, int(made.location.rsplit("/", 1)[1])


def test_the_pages_record_each_view(catalog_app, catalog_db):
    db = catalog_db
    client, patient, program_id = made_on_its_page(catalog_app, db, "Zofia Wąsowska")
    for path in ["/patients", f"/patients/{patient.id}", f"/programs/{program_id}", "/dashboard"]:
        assert client.get(path).status_code == 200
    rows = db.scalars(select(AuditEntry).where(AuditEntry.action.in_(audit.VIEWS)).order_by(AuditEntry.id)).all()
    assert [(r.action, r.subject_type) for r in rows] == [
        ("list", "patients"),
        ("view", "patient"),
        ("view", "program"),
        ("list", "dashboard"),
    ]


def test_printing_an_issued_handout_again_records_its_giving_durably(catalog_app, catalog_db, monkeypatch):
    """Printing version 1 again gives the same paper, and the Versions page lists each giving
    (VersionGiving, trial 13 F7): a row written, so its commit is a full one, like the first."""
    db = catalog_db
    client, _patient, program_id = made_on_its_page(catalog_app, db, "Ólöf Þórsdóttir")
    with_exercise(db, db.get(Program, program_id), datetime.now(UTC))  # an empty program is never given
    db.commit()
    seen: list[str] = []
    engine = catalog_app.extensions["db_engine"]
    engine.dispose()
    event.listen(engine, "connect", lambda raw, _record: raw.set_trace_callback(seen.append))
    assert client.post(f"/programs/{program_id}/handout.pdf").status_code == 200  # issues version 1
    assert not relaxed(seen)
    seen.clear()
    # Within a second of the last full sync (a look would be relaxed now), however long the first
    # print took on a busy machine.
    monkeypatch.setattr(audit, "_last_full_sync", time.monotonic())
    assert client.post(f"/programs/{program_id}/handout.pdf").status_code == 200  # version 1 again
    assert not relaxed(seen)
    givings = db.scalars(select(VersionGiving.how).join(ProgramVersion).where(ProgramVersion.program_id == program_id))
    assert list(givings) == ["print", "print"]
    prints = db.scalars(select(AuditEntry.detail).where(AuditEntry.action == "print")).all()
    assert prints == ["handout, version 1", "handout, version 1"]
