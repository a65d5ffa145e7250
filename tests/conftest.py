"""Fixtures: a fresh app on a real SQLite file per test, a real PostgreSQL per session."""

from __future__ import annotations

import atexit
import functools
import re
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from jinja2.bccache import Bucket, BytecodeCache
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import Pool
from werkzeug.routing.rules import Rule

from planner import create_app
from planner.db import make_engine
from planner.migrate import upgrade
from planner.models import Patient
from tests.factories import PASSWORD, make_clinic, make_patient, make_user
from tests.pg import PostgresServer, find_binaries

# Cheap hashing in tests; the production cost comes from config.toml.
FAST = {"security": {"argon2_memory_kib": 1024, "argon2_time_cost": 1}}


def migrated_copy(path: Path) -> None:
    """An empty database with every migration applied at `path`, unless a file is there already.

    Migrating takes ~0.5 s of CPU a database and most tests want a fresh one: a file migrated once
    per test process is copied instead (the app's own upgrade then finds nothing to do).
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_migrated_template(), path)


@functools.cache
def _migrated_template() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="planner-migrated-"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / "migrated.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # all in the one file that is copied
    engine.dispose()
    return path


class _TemplatesCompiledOnce(BytecodeCache):
    """Jinja's own bytecode cache, in memory, shared by every app a test process makes.

    Each test makes a new app, and each app's Jinja environment compiled every page's template
    again (a fifth of a page test's time). All these apps are made by the same create_app, so a
    template compiles to the same code in each; a bucket is checked against its template's
    source (Jinja's checksum), so an edited template is compiled afresh.
    """

    def __init__(self) -> None:
        self._kept: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._kept:
            bucket.bytecode_from_string(self._kept[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._kept[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = _TemplatesCompiledOnce()


def _url_builders_compiled_once() -> None:
    """Werkzeug compiles two URL-building functions for each route of each new app (with `ast`
    and `compile`): two thirds of making an app, which each test does. A builder is made from
    the rule's text, its parts and defaults alone and reaches its rule through its first argument
    (werkzeug binds it to each rule), so the apps of one test process share it: the first app
    compiles each, the next ones get the same function. The routes and their URLs are werkzeug's.
    """
    # Tied to werkzeug's private method (werkzeug 3.1): a release that renames it fails here, loudly,
    # rather than leaving the tests on a memo nothing calls. Its key is everything the builder reads.
    assert callable(getattr(Rule, "_compile_builder", None)), "werkzeug changed: drop this memo"
    original = Rule._compile_builder
    kept: dict[tuple, Callable] = {}

    def compile_builder(self: Rule, append_unknown: bool = True) -> Callable:
        key = (
            self.rule,
            self.subdomain,
            self.host,
            tuple(self._trace),
            repr(sorted((self.defaults or {}).items())),
            append_unknown,
        )
        if key not in kept:
            kept[key] = original(self, append_unknown)
        return kept[key]

    Rule._compile_builder = compile_builder  # type: ignore[method-assign]


_url_builders_compiled_once()


@event.listens_for(Pool, "connect")
def _no_disk_wait(dbapi_connection, _record) -> None:  # noqa: ANN001
    """The tests' SQLite files never wait for the disk (PRAGMA synchronous=OFF), as the tests'
    PostgreSQL runs with fsync=off (tests/pg.py).

    A commit on SQLite (WAL, synchronous=FULL) waits for an fdatasync of the WAL file: 5-6 ms on
    this machine's disk, more while the other worker writes, against a few hundredths of a ms
    without. The suite commits some tens of thousands of times (a page test signs in, makes its
    rows and records its views), and a throwaway database outlives no power cut: what a commit
    writes and what the next statement reads are the same with or without the wait. Every engine
    the tests' own process makes (the app's, a service session's, a migration test's); the
    servers, CLI and writer processes a test starts keep the product's level. The audit's tests
    of that level set it back on their own connections (tests/test_audit_commits.py).
    """
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous=OFF")


def build_app(tmp_path, url: str | None = None, csrf: bool = False, **planner) -> Flask:  # noqa: ANN001, ANN003
    """An app on a migrated SQLite file in tmp_path/instance (kept if there), or on the database `url`."""
    settings = {**FAST, **planner}
    if url:
        settings["database"] = {"url": url}
    elif "database" not in planner:
        migrated_copy(tmp_path / "instance" / "planner.sqlite3")  # where the app looks by default
    app = create_app(
        {"TESTING": True, "WTF_CSRF_ENABLED": csrf, "SECRET_KEY": "test", "PLANNER": settings},
        instance_path=str(tmp_path / "instance"),
    )
    app.jinja_env.bytecode_cache = TEMPLATES
    upgrade(app.extensions["db_engine"])
    return app


@pytest.fixture
def app(tmp_path) -> Iterator[Flask]:  # noqa: ANN001
    app = build_app(tmp_path)
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def csrf_app(tmp_path) -> Iterator[Flask]:  # noqa: ANN001
    """An app that asks every form for its CSRF token, as in production."""
    app = build_app(tmp_path, csrf=True)
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    session = app.extensions["db_sessionmaker"]()
    yield session
    session.close()


@contextmanager
def clinic_clock() -> Iterator[datetime]:
    """The clock the test and the app both read, from noon UTC of the real today, ticking.

    The pages, services and CLI read `datetime.now`; a test that took its own "now" earlier (at
    import, say) named another day than the app once a run crossed midnight. Inside this block the
    clock travels to noon and ticks on from there (time-machine patches it for every thread), so
    a test's rows and the app's "today" agree however long the run takes. At noon UTC every zone
    the tests use is hours from its midnight (Kiritimati, UTC+14: 02:00). Yields that noon.
    Not for browser tests: chromium keeps the real clock, while the session cookie's expiry comes
    from the app's.
    """
    noon = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    with time_machine.travel(noon, tick=True):
        yield noon


@pytest.fixture
def now() -> Iterator[datetime]:
    """The clinic's clock for one test (clinic_clock): ask for it before any sign-in."""
    with clinic_clock() as noon:
        yield noon


@pytest.fixture
def today(now: datetime) -> date:
    """The clinic's today for a clinic on UTC (the date of `now`)."""
    return now.date()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    binaries = find_binaries()
    if binaries is None:
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) not found; install postgresql to run these tests")
    server = PostgresServer(binaries)
    server.start()
    engine = make_engine(server.create_database(MIGRATED))
    upgrade(engine)
    engine.dispose()  # a template database takes no connections while it is copied
    yield server
    server.stop()


MIGRATED = "migrated_template"  # on the test PostgreSQL: every migration applied, copied per test


BOTH_DATABASES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _migrated_session(request, folder: Path) -> Iterator[Session]:  # noqa: ANN001
    server, name = None, f"t_{uuid.uuid4().hex[:12]}"
    if request.param == "sqlite":
        migrated_copy(folder / "service.sqlite3")
        url = f"sqlite:///{folder / 'service.sqlite3'}"
    else:
        server = request.getfixturevalue("postgres")
        url = server.create_database(name, template=MIGRATED)
    engine = make_engine(url)
    upgrade(engine)
    session = sessionmaker(bind=engine, expire_on_commit=False)()
    yield session
    session.close()
    engine.dispose()
    if server is not None:
        server.drop_database(name)


@pytest.fixture(params=BOTH_DATABASES)
def service_db(request, tmp_path) -> Iterator[Session]:  # noqa: ANN001
    """A migrated database session on SQLite and on PostgreSQL, for service-layer tests."""
    yield from _migrated_session(request, tmp_path)


@pytest.fixture(scope="module", params=BOTH_DATABASES)
def module_db(request, tmp_path_factory) -> Iterator[Session]:  # noqa: ANN001
    """service_db shared by a module's tests: for tables of cases that read the same rows."""
    yield from _migrated_session(request, tmp_path_factory.mktemp("module_db"))


@pytest.fixture(params=BOTH_DATABASES)
def empty_database(request, tmp_path) -> Iterator[Engine]:  # noqa: ANN001
    """An engine on an empty database (no tables yet), on SQLite and on the test PostgreSQL: for
    the migration tests, which build the schema of an older release on it."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres").create_database(f"m_{uuid.uuid4().hex[:12]}")
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture(params=BOTH_DATABASES)
def app_both(request, tmp_path) -> Iterator[Flask]:  # noqa: ANN001
    """The app on SQLite, then on a database of the test PostgreSQL (copied from the migrated
    template): for pages whose statements the two databases may read differently (row values,
    keyset paging, DISTINCT, the outbox's and alerts' updates)."""
    server, name = None, f"w_{uuid.uuid4().hex[:12]}"
    if request.param == "sqlite":
        app = build_app(tmp_path)
    else:
        server = request.getfixturevalue("postgres")
        app = build_app(tmp_path, url=server.create_database(name, template=MIGRATED))
    yield app
    app.extensions["db_engine"].dispose()
    if server is not None:
        server.drop_database(name)


@pytest.fixture
def db_both(app_both: Flask) -> Iterator[Session]:
    """A session on app_both's database."""
    session = app_both.extensions["db_sessionmaker"]()
    yield session
    session.close()


def login(client: FlaskClient, email: str, password: str = PASSWORD):  # noqa: ANN201
    return client.post("/login", data={"email": email, "password": password})


def csrf_token(client: FlaskClient, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


@pytest.fixture
def dystonia_patient(app: Flask, db: Session) -> tuple[FlaskClient, Patient]:
    """(client, patient): a therapist, Dana Ortiz, signed in; her clinic's patient Maria Lopez,
    who has cervical dystonia and no pattern recorded yet."""
    clinic = make_clinic(db, "Pattern Clinic")
    make_user(db, clinic, email="pt@pattern.org", name="Dana Ortiz")
    patient = make_patient(db, clinic, "Maria Lopez", condition_tags=["cervical_dystonia"])
    client = app.test_client()
    login(client, "pt@pattern.org")
    return client, patient


CATALOG = Path(__file__).resolve().parent.parent / "exercises"


def load_catalog(session: Session) -> None:
    """The real catalog and the shipped templates, as `make run` loads them."""
    from planner.catalog.loader import load_directory
    from planner.services.program_templates import load_shipped

    load_directory(session, CATALOG, datetime.now(UTC))
    load_shipped(session)
    session.commit()


@pytest.fixture(scope="session")
def catalog_file(tmp_path_factory) -> Path:  # noqa: ANN001
    """A migrated SQLite file with the catalog loaded once per test session; tests copy it."""
    path = tmp_path_factory.mktemp("catalog") / "catalog.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    session = sessionmaker(bind=engine)()
    load_catalog(session)
    session.close()
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture
def catalog_app(tmp_path, catalog_file) -> Iterator[Flask]:  # noqa: ANN001
    """An app whose database already holds the catalog and the shipped templates."""
    copy = tmp_path / "planner.sqlite3"
    shutil.copyfile(catalog_file, copy)
    app = build_app(tmp_path, url=f"sqlite:///{copy}")
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def catalog_db(catalog_app) -> Iterator[Session]:  # noqa: ANN001
    session = catalog_app.extensions["db_sessionmaker"]()
    yield session
    session.close()


@pytest.fixture(scope="module")
def chromium():  # noqa: ANN201
    """One chromium for a module's browser tests that open many pages (each test opens its own contexts).

    Per module, not per session: while Playwright's sync API runs, asyncio sees a running loop in
    this thread, and every later sync_playwright() (tests/browser.py's browser_page) would refuse.
    """
    from tests.browser import launched

    with launched() as browser:
        yield browser


# The files that take longest, longest first: each file run alone (-n0), its CPU time with the
# processes it starts (sessions 16-18; the serving and backup files wait on servers besides, so
# they stand higher than their CPU alone; since the tests' SQLite commits stopped waiting for the
# disk (_no_disk_wait), a file's wall time is close to its CPU time). A browser file's time
# counts chromium's own processes, read from /proc while it runs (session 18): Playwright's
# chromium is not waited for by the test process, so /usr/bin/time leaves it out, half of such
# a file's CPU (test_accessibility: 22 s by time, 50 s in all).
# `make test` hands whole files to two workers (--dist loadfile) in collection order
# (--no-loadscope-reorder: xdist would otherwise start with the files of most tests, which are
# quick); a long file handed out last left one worker running it alone while the other had
# nothing to do. Longest first, the short files fill in at the end. A file not named keeps its
# place after these (each under ~12 s); a name here that no longer exists is ignored. Refresh
# from a `--durations` run now and then.
LONGEST_FILES = (
    "test_accessibility.py",  # 50 s with chromium (axe-core over 60 pages)
    "test_handout_layout.py",  # 46 s (243 tests, none long: a --durations top list missed it)
    "test_handout_limits.py",  # ~50 s (its four longest-fields handouts 34-36 s of it)
    "test_phone_page.py",  # 40 s with chromium
    "test_handout_front_page.py",  # 31 s
    "test_browser_directions.py",  # 31 s with chromium
    "test_backup.py",  # 29 s, a writer process and PostgreSQL besides
    "test_serving.py",  # 23 s, waits for gunicorn and waitress
    "test_handout_pictures.py",  # 25 s
    "test_browser_builder.py",  # 20 s with chromium
    "test_migrations.py",  # 19 s
    "test_portal_services.py",  # 18 s
    "test_sensory_trick.py",  # 18 s
    "test_cli.py",  # 18 s
    "test_handouts.py",  # 17 s
    "test_browser_portal.py",  # 16 s with chromium
    "test_handout_pages.py",  # 16 s
    "test_phone_given_version.py",  # 16 s
    "test_programs.py",  # 16 s
    "test_twice_named_by_side.py",  # 15 s with chromium
    "test_handout_noted.py",  # 15 s
    "test_isolation.py",  # 15 s
    "test_browser_foundation.py",  # 14 s with chromium
    "test_auth.py",  # 14 s
    "test_reminders_dispatch.py",  # 14 s
    "test_handout_sheet_breaks.py",  # 14 s
    "test_handout_scripts.py",  # 14 s
    "test_handout_front_slack.py",  # 13 s
    "test_patient_search_pages.py",  # 13 s
    "test_api_tokens.py",  # 12 s
    "test_browser_outcomes.py",  # 12 s with chromium
    "test_reevaluation_date_moved.py",  # 11 s
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Longest files first (LONGEST_FILES), each file's tests in their own order."""
    rank = {name: n for n, name in enumerate(LONGEST_FILES)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))
