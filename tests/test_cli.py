"""Commands: init-db (create, migrate, safe to repeat) and users create (password from stdin)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from planner.models import Clinic, User
from tests.conftest import build_app, migrated_copy

ROOT = Path(__file__).resolve().parent.parent


def flask(instance: Path, *args: str, stdin: str = "", env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `flask --app planner ...` as a user would, against the instance folder given."""
    config = instance / "config.toml"
    if not config.exists():
        instance.mkdir(parents=True, exist_ok=True)
        config.write_text(
            f'[database]\nurl = "sqlite:///{instance / "cli.sqlite3"}"\n'
            "[security]\nargon2_memory_kib = 1024\nargon2_time_cost = 1\n"
        )
    environment = {**os.environ, "PLANNER_CONFIG": str(config), "PLANNER_SECRET_KEY": "cli-test", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "planner", *args],
        input=stdin,
        text=True,
        capture_output=True,
        cwd=ROOT,
        env=environment,
        # A guard against a hang only: `demo` took over 120 s on a machine loaded to 24 (session 18).
        timeout=600,
    )


def test_init_db_creates_then_is_safe_to_repeat(tmp_path):
    first = flask(tmp_path, "init-db")
    assert first.returncode == 0, first.stderr
    assert "created" in first.stdout
    engine = create_engine(f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO clinics (name, address, phone, email, timezone, created_at) "
                "VALUES ('Kept', '', '', '', 'UTC', '2026-01-01 00:00:00')"
            )
        )
    again = flask(tmp_path, "init-db")
    assert again.returncode == 0 and "up to date" in again.stdout
    with engine.connect() as conn:  # never recreated: the row is still there
        assert conn.execute(text("SELECT name FROM clinics")).scalar_one() == "Kept"


def test_init_db_migrates_an_older_database(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    with engine.begin() as conn:  # a database from before the migrations: no version table, a stray table kept
        conn.execute(text("CREATE TABLE notes_from_before (id INTEGER PRIMARY KEY, body TEXT)"))
        conn.execute(text("INSERT INTO notes_from_before (body) VALUES ('keep me')"))
    result = flask(tmp_path, "init-db")
    assert result.returncode == 0, result.stderr
    with engine.connect() as conn:
        assert conn.execute(text("SELECT body FROM notes_from_before")).scalar_one() == "keep me"
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()


def test_users_create_reads_password_from_stdin_and_creates_the_clinic(tmp_path):
    migrated_copy(tmp_path / "cli.sqlite3")  # as init-db leaves it (the tests above run init-db)
    result = flask(
        tmp_path,
        "users",
        "create",
        "Boss@Second.org",
        "--name",
        "Second Boss",
        "--role",
        "admin",
        "--clinic",
        "Second Clinic",
        stdin="a secret from stdin\n",
    )
    assert result.returncode == 0, result.stderr
    assert "Created clinic “Second Clinic”" in result.stdout

    # The same command again, through Flask's runner (standard input, output and error its
    # own), without a process each: the clinic found whatever its case, a taken address and a
    # short password refused.
    app = build_app(tmp_path / "unused", url=f"sqlite:///{tmp_path / 'cli.sqlite3'}")

    def create(email: str, name: str, password: str):  # noqa: ANN202
        args = ["users", "create", email, "--name", name, "--clinic", "second clinic"]
        with app.app_context():  # as `flask` gives every command
            return app.test_cli_runner().invoke(args=args, input=password + "\n")

    again = create("t@second.org", "T", "another secret!!")
    assert again.exit_code == 0 and "Created clinic" not in again.stdout
    duplicate = create("boss@second.org", "X", "another secret!!")
    assert duplicate.exit_code != 0
    assert "already exists" in duplicate.stderr
    weak = create("w@second.org", "W", "short")
    assert weak.exit_code != 0 and "at least 10 characters" in weak.stderr

    db = app.extensions["db_sessionmaker"]()
    clinic = db.scalars(select(Clinic)).one()
    users = db.scalars(select(User).order_by(User.email)).all()
    assert [(u.email, u.role, u.clinic_id) for u in users] == [
        ("boss@second.org", "admin", clinic.id),
        ("t@second.org", "therapist", clinic.id),
    ]
    client = app.test_client()
    assert (
        client.post("/login", data={"email": "boss@second.org", "password": "a secret from stdin"}).status_code == 302
    )
    db.close()
    app.extensions["db_engine"].dispose()


def test_demo_right_after_init_db_loads_what_it_needs_and_names_the_configured_address(tmp_path):
    from planner.models import Exercise, ExerciseReminder, Patient, Program, ProgramTemplate

    app = build_app(tmp_path, server={"host": "127.0.0.1", "port": 5077})
    runner = app.test_cli_runner()
    context = app.app_context()  # as `flask` gives every command
    context.push()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "Run `flask" not in result.output
    shipped = len(list((ROOT / "exercises").glob("*.toml")))
    assert f"Loaded the exercise catalog ({shipped} added" in result.output
    assert "Sign in at http://127.0.0.1:5077/login with demo@demo-physio.example" in result.output
    assert ":5000" not in result.output
    with app.extensions["db_sessionmaker"]() as db:
        assert db.scalar(select(func.count(Exercise.id))) >= 120
        assert db.scalar(select(func.count(ProgramTemplate.id))) >= 5
        assert db.scalar(select(func.count(Patient.id))) == db.scalar(select(func.count(Program.id))) == 5
        # The between-visits patient gets her daily exercise emails, with the consent on record.
        reminder = db.scalars(select(ExerciseReminder)).one()
        assert reminder.patient.name == "Maria Lopez" and reminder.enabled
        assert reminder.send_time.strftime("%H:%M") == "07:30" and reminder.consent_by == "therapist"
    again = runner.invoke(args=["demo"])  # a second run refuses, and says why
    assert again.exit_code != 0 and "already holds clinic data" in again.output
    context.pop()
    app.extensions["db_engine"].dispose()


def test_demo_on_a_fresh_clone_without_init_db_creates_the_database_first(tmp_path):
    """The trial: `flask --app planner demo` before `init-db` printed `no such table: clinics`."""
    from planner.migrate import current_revision, head_revision
    from planner.models import Patient

    fresh = tmp_path / "cli.sqlite3"  # the instance's database (flask above), not made yet
    result = flask(tmp_path, "demo")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert f"Database sqlite:///{fresh} created (revision {head_revision()})." in result.stdout
    assert "Sign in at " in result.stdout
    app = build_app(tmp_path / "unused", url=f"sqlite:///{fresh}")
    assert current_revision(app.extensions["db_engine"]) == head_revision()
    with app.extensions["db_sessionmaker"]() as db:
        assert db.scalar(select(func.count(Patient.id))) == 5
    app.extensions["db_engine"].dispose()


@pytest.mark.parametrize(
    ("server", "address"),
    [
        ({"host": "127.0.0.1", "port": 8080}, "http://127.0.0.1:8080"),
        ({"host": "0.0.0.0", "port": 5000}, "http://127.0.0.1:5000"),  # noqa: S104
        ({"host": "::", "port": 5001}, "http://[::1]:5001"),
        (
            {"host": "planner.local", "port": 80, "public_url": "https://exercises.example.org/"},
            "https://exercises.example.org",
        ),
    ],
)
def test_the_demo_names_the_address_really_served(server, address):
    from planner.cli.server import served_address
    from planner.settings import ServerSettings

    assert served_address(ServerSettings.from_section(server)) == address
