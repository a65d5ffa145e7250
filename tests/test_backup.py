"""Backup and restore: a consistent copy taken while another process writes comes back row for row
into a fresh instance; a restore never overwrites data unasked, never takes a backup from newer
code, and migrates one from older code; nightly copies keep exactly the configured number."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from planner.backup import BackupError, nightly_due, restore_backup, write_backup
from planner.db import make_engine
from planner.migrate import current_revision, head_revision, upgrade
from planner.models import AuditEntry, Clinic, Patient
from planner.scheduler import make_scheduler, nightly_backup_once
from planner.services import patients
from planner.services.patients import PatientData
from tests import every_table
from tests.conftest import MIGRATED, build_app, migrated_copy
from tests.factories import make_clinic
from tests.writer_process import NAME

ROOT = Path(__file__).resolve().parent.parent
FLASK = Path(sys.executable).parent / "flask"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def new_database(request, tmp_path) -> Iterator[Callable[[], Engine]]:  # noqa: ANN001
    """Makes databases of one kind: a SQLite file, or a database on the test PostgreSQL; empty, or
    `migrated` (every migration applied, as `upgrade` leaves it: a copy of the migrated template
    the session made once, where a test does not watch the migrations run)."""
    engines: list[Engine] = []

    def make(migrated: bool = False) -> Engine:
        name = f"b_{uuid.uuid4().hex[:12]}"
        if request.param == "sqlite":
            if migrated:
                migrated_copy(tmp_path / f"{name}.sqlite3")
            url = f"sqlite:///{tmp_path / name}.sqlite3"
        else:
            url = request.getfixturevalue("postgres").create_database(name, template=MIGRATED if migrated else None)
        engines.append(make_engine(url))
        return engines[-1]

    make.kind = request.param  # type: ignore[attr-defined]
    make.pg_bin = request.getfixturevalue("postgres").bin if request.param == "postgresql" else None  # type: ignore[attr-defined]
    yield make
    for engine in engines:
        engine.dispose()


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def flask(config: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PLANNER_CONFIG": str(config), "PLANNER_SECRET_KEY": "backup-test"}
    return subprocess.run(
        [str(FLASK), "--app", "planner", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


def site(path: Path, engine: Engine, pg_bin: Path | None) -> Path:
    path.write_text(f'[database]\nurl = "{url_of(engine)}"\n[backup]\npg_bin = "{pg_bin or ""}"\n')
    return path


def count(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(model))


def wait_until(condition: Callable[[], bool], seconds: float = 600) -> None:
    """Until `condition` holds; the time is a guard against a hang only (a loaded machine is slow)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_backup_taken_while_another_process_writes_comes_back_row_for_row(new_database, tmp_path):
    source = new_database(migrated=True)
    every_table.fill(source)
    before = count(source, Patient)
    # The writer writes until stopped below (its own limit only ends a writer this test left behind):
    # one that stopped itself after a minute could stop before a backup slowed by a loaded machine.
    writer = subprocess.Popen([sys.executable, "-m", "tests.writer_process", url_of(source), "1800"], cwd=ROOT)
    try:
        wait_until(lambda: count(source, Patient) >= before + 30)
        backup = tmp_path / f"planner{'.sqlite3' if new_database.kind == 'sqlite' else '.dump'}"
        taken = flask(site(tmp_path / "source.toml", source, new_database.pg_bin), "backup", str(backup))
        assert taken.returncode == 0, taken.stderr
        assert writer.poll() is None, "the writer stopped before the backup was done"
        at_backup_end = count(source, Patient)
        wait_until(lambda: count(source, Patient) >= at_backup_end + 30)  # and it goes on writing after
    finally:
        writer.terminate()
        writer.wait(30)
    assert f"schema {head_revision()}" in taken.stdout
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600  # it holds patient data

    fresh = new_database()  # a new instance: nothing in it, not even tables
    restored = flask(site(tmp_path / "fresh.toml", fresh, new_database.pg_bin), "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.strip() == f"Restored {backup} (schema {head_revision()})."

    original, copy = every_table.snapshot(source), every_table.snapshot(fresh)
    assert set(copy) == set(original)
    for table, rows in copy.items():
        for key, row in rows.items():
            assert original[table].get(key) == row, f"{table} {key} differs from the original"
    # One moment of the database: whole transactions only, and every one before that moment.
    written = {key: row for key, row in copy["patients"].items() if row["name"].startswith("Writer ")}
    assert before + 30 <= before + len(written) < count(source, Patient)
    assert sorted(row["name"] for row in written.values()) == sorted(NAME.format(n) for n in range(len(written)))
    audited = {row["patient_id"] for row in copy["audit_entries"].values() if row["detail"].startswith("writer ")}
    assert audited == {key[0] for key in written}
    # Each patient's name comes with the keys the search reads (patient_name_keys): both or neither.
    keyed = {row["patient_id"] for row in copy["patient_name_keys"].values()}
    assert {key[0] for key in written} <= keyed <= {key[0] for key in copy["patients"]}
    untouched = set(original) - {"patients", "audit_entries", "patient_name_keys"}
    assert all(copy[table] == original[table] for table in untouched)
    # The restored planner goes on: new rows get new ids (PostgreSQL's sequences came back too).
    with Session(fresh) as session:
        patient = patients.create_patient(session, 1, PatientData(name="After the restore"))
        session.commit()
        assert (patient.id,) not in copy["patients"]


def test_a_restore_never_replaces_data_unless_forced(new_database, tmp_path):
    source, target = new_database(migrated=True), new_database(migrated=True)
    for engine, name in ((source, "Clinic in the backup"), (target, "Clinic already here")):
        with Session(engine) as session:
            make_clinic(session, name)
    backup = tmp_path / "backup"
    assert write_backup(url_of(source), backup, new_database.pg_bin) == head_revision()
    with pytest.raises(BackupError, match="already exists"):
        write_backup(url_of(source), backup, new_database.pg_bin)

    with pytest.raises(BackupError) as refused:
        restore_backup(target, backup, pg_bin=new_database.pg_bin)
    assert refused.value.message == (
        "The database already holds data (1 clinic). Restoring replaces all of it: add --force to do that."
    )
    with Session(target) as session:
        assert session.scalars(select(Clinic.name)).all() == ["Clinic already here"]

    restore_backup(target, backup, force=True, pg_bin=new_database.pg_bin)
    with Session(target) as session:
        assert session.scalars(select(Clinic.name)).all() == ["Clinic in the backup"]


def test_a_damaged_backup_is_refused_and_changes_nothing(new_database, tmp_path):
    source, target = new_database(migrated=True), new_database(migrated=True)
    every_table.fill(source)
    with Session(target) as session:
        make_clinic(session, "Clinic already here")
    whole, damaged = tmp_path / "whole", tmp_path / "damaged"
    write_backup(url_of(source), whole, new_database.pg_bin)
    damaged.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])  # a copy cut off halfway

    with pytest.raises(BackupError) as refused:
        restore_backup(target, damaged, force=True, pg_bin=new_database.pg_bin)
    # SQLite checks the file itself; pg_restore finds the end missing.
    assert "is damaged" in refused.value.message or "end of file" in refused.value.message, refused.value.message

    with Session(target) as session:
        assert session.scalars(select(Clinic.name)).all() == ["Clinic already here"]
    assert current_revision(target) == head_revision()


def test_a_backup_from_newer_code_is_refused_and_changes_nothing(new_database, tmp_path):
    source, target = new_database(migrated=True), new_database(migrated=True)
    with source.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9000_from_the_future'"))
    backup = tmp_path / "future"
    write_backup(url_of(source), backup, new_database.pg_bin)
    with pytest.raises(BackupError) as refused:
        restore_backup(target, backup, pg_bin=new_database.pg_bin)
    assert "made by a newer version of the planner (schema 9000_from_the_future)" in refused.value.message
    assert "Update the planner" in refused.value.message
    assert current_revision(target) == head_revision()


def test_a_backup_of_the_previous_release_is_migrated_with_every_row(new_database, tmp_path):
    old, target = new_database(), new_database(migrated=True)  # a fresh instance of the newer code,
    upgrade(old, "0001")  # with tables the backup lacks
    every_table.fill(old)
    backup = tmp_path / "old-release"
    assert write_backup(url_of(old), backup, new_database.pg_bin) == "0001"

    restored = restore_backup(target, backup, pg_bin=new_database.pg_bin)

    assert (restored.backup_revision, restored.revision) == ("0001", head_revision())
    original, copy = every_table.snapshot(old, carried_only=True), every_table.snapshot(target, carried_only=True)
    del original["alembic_version"]
    for table, rows in original.items():
        assert copy[table].keys() == rows.keys(), table
        for key, row in rows.items():
            assert {c: copy[table][key][c] for c in row} == row, f"{table} {key}"
    assert count(target, AuditEntry) == every_table.ROWS_PER_TABLE


@pytest.mark.postgres
def test_a_backup_of_the_other_kind_of_database_is_refused(postgres, tmp_path):
    migrated_copy(tmp_path / "planner.sqlite3")
    sqlite = make_engine(f"sqlite:///{tmp_path / 'planner.sqlite3'}")
    pg = make_engine(postgres.create_database(f"b_{uuid.uuid4().hex[:12]}", template=MIGRATED))
    write_backup(url_of(sqlite), tmp_path / "lite.sqlite3")
    write_backup(url_of(pg), tmp_path / "pg.dump", postgres.bin)
    with pytest.raises(BackupError, match="is a backup of a SQLite database; the configured database is postgresql"):
        restore_backup(pg, tmp_path / "lite.sqlite3", pg_bin=postgres.bin)
    with pytest.raises(BackupError, match="is a backup of a PostgreSQL database; the configured database is sqlite"):
        restore_backup(sqlite, tmp_path / "pg.dump", pg_bin=postgres.bin)
    sqlite.dispose()
    pg.dispose()


BERLIN = ZoneInfo("Europe/Berlin")


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


@pytest.mark.parametrize(
    "newest, now, due",
    [
        (None, berlin(2026, 11, 30, 0, 5), True),  # never backed up
        (berlin(2026, 11, 29, 2, 30), berlin(2026, 11, 30, 1, 59), False),  # tonight's hour not yet here
        (berlin(2026, 11, 29, 2, 30), berlin(2026, 11, 30, 2, 0), True),
        (berlin(2026, 11, 30, 2, 0, 5), berlin(2026, 11, 30, 23, 59), False),  # once a night
        (berlin(2026, 11, 26, 2, 0), berlin(2026, 11, 30, 0, 30), True),  # nights missed while off: one copy
        (berlin(2026, 3, 28, 2, 10), berlin(2026, 3, 29, 3, 30), True),  # 02:00 does not exist that night
    ],
)
def test_a_nightly_backup_is_due_once_the_hour_has_passed_since_the_last(newest, now, due):
    assert nightly_due(newest, now, hour=2, zone=BERLIN) is due


def test_nightly_backups_keep_exactly_the_configured_number(tmp_path):
    app = build_app(tmp_path, backup={"nightly": True, "keep": 3, "hour": 2, "folder": "backups"})
    scheduler = make_scheduler(app)
    scheduler.start(paused=True)
    try:
        assert {job.id for job in scheduler.get_jobs()} == {"dispatch-outbox", "backup-nightly"}
    finally:
        scheduler.shutdown(wait=False)
    folder = Path(app.instance_path) / "backups"
    (folder / "notes.txt").parent.mkdir(parents=True)
    (folder / "notes.txt").write_text("not a backup: never deleted")
    start = berlin(2026, 3, 26, 0, 0).astimezone(UTC)  # steps of real time, across the change to summer time
    written = []
    for quarter in range(4 * 24 * 6):  # six days, checked every quarter hour as the scheduler does
        now = start + timedelta(minutes=15 * quarter)
        path = nightly_backup_once(app, now, zone=BERLIN)
        if path is not None:
            written.append(now)
            assert len([p for p in folder.iterdir() if p.suffix == ".sqlite3"]) == min(len(written), 3)
    # The first check takes one at once (nightly was just switched on), then one a night after 02:00.
    assert [moment.astimezone(BERLIN).strftime("%d %H:%M") for moment in written] == [
        "26 00:00", "26 02:00", "27 02:00", "28 02:00", "29 03:00", "30 02:00", "31 02:00",
    ]  # fmt: skip
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "notes.txt",
        "planner-20260329T010000Z.sqlite3",
        "planner-20260330T000000Z.sqlite3",
        "planner-20260331T000000Z.sqlite3",
    ]
    # The machine was off for two nights: one copy at the first check after, still three kept.
    assert nightly_backup_once(app, berlin(2026, 4, 3, 9, 0), zone=BERLIN) is not None
    assert len(list(folder.glob("planner-*.sqlite3"))) == 3
    assert nightly_backup_once(app, berlin(2026, 4, 3, 9, 15), zone=BERLIN) is None
    app.extensions["db_engine"].dispose()


def test_nightly_backups_need_at_least_one_copy_kept(tmp_path):
    app = build_app(tmp_path, backup={"nightly": True, "keep": 0, "hour": 2, "folder": "backups"})
    with pytest.raises(BackupError, match=r"\[backup\] keep must be at least 1"):
        nightly_backup_once(app, datetime.now(UTC))
    app.extensions["db_engine"].dispose()
