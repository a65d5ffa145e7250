"""Backups: a consistent copy of the database while the app serves and writes, and bringing one back.

SQLite is copied with its online backup API (one step, one read transaction: a snapshot even while
other processes write; a file copy of a database in WAL mode can miss or tear pages). PostgreSQL is
copied with `pg_dump` in its custom format, which reads in one snapshot too, and restored with
`pg_restore` through `psql` in one transaction, so a restore that fails leaves the database as it was.

A backup carries its schema revision (the alembic_version table): a restore refuses a backup made
by newer code and migrates an older one. No Flask here: the commands and the scheduler call it.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import URL, make_url

from planner.counted import counted
from planner.migrate import current_revision, known_revisions, upgrade

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
# Nightly copies are named by the UTC time they were taken: planner-20261130T020000Z.sqlite3
NIGHTLY_NAME = re.compile(r"^planner-(\d{8}T\d{6}Z)\.(sqlite3|dump)$")


class BackupError(Exception):
    """A backup or restore could not be done; the message says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Restored:
    """What a restore did: the backup's schema revision and the database's revision after it."""

    backup_revision: str
    revision: str | None


def kind_of(url: str | URL) -> str:
    """ "sqlite" or "postgresql" for a database URL.

    :raise BackupError: for any other database.
    """
    backend = make_url(url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {backend}.")
    return backend


def suffix_for(url: str | URL) -> str:
    """The file name ending of a backup of this database: ".sqlite3" or ".dump" (pg_dump's custom format)."""
    return ".sqlite3" if kind_of(url) == "sqlite" else ".dump"


def write_backup(url: str | URL, path: Path, pg_bin: Path | None = None) -> str:
    """Write a consistent copy of the database at `url` to `path`; returns its schema revision.

    The file is written beside `path` under another name and renamed when complete, with
    owner-only permissions (it holds patient data).

    :raise BackupError: when `path` exists, the database is missing, or pg_dump fails.
    """
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} already exists; choose another name or delete it first.")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        if kind_of(url) == "sqlite":
            with _sqlite_errors():
                _sqlite_backup(_sqlite_path(url), partial)
        else:
            _run([_pg_tool("pg_dump", pg_bin), "--format=custom", f"--file={partial}", _libpq_url(url)], url)
        revision = backup_revision(partial, pg_bin)
        if revision is None:
            raise BackupError("The database has no schema revision; run `flask --app planner init-db` first.")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return revision


def backup_revision(path: Path, pg_bin: Path | None = None) -> str | None:
    """The schema revision a backup file holds, or None when it has none.

    :raise BackupError: when the file is neither a SQLite database nor a pg_dump custom archive,
        or is damaged.
    """
    kind = _file_kind(path)
    if kind == "sqlite":
        with _closing(sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)) as connection:
            try:
                intact = connection.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            except sqlite3.DatabaseError:
                intact = False
            if not intact:
                raise BackupError(f"{path} is damaged (cut off or changed since it was written).")
            try:
                row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            except sqlite3.OperationalError:  # no such table
                return None
        return row[0] if row else None
    script = subprocess.run(
        [_pg_tool("pg_restore", pg_bin), "--data-only", "--table=alembic_version", "--file=-", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if script.returncode != 0:
        raise BackupError(f"pg_restore could not read {path}: {script.stderr.strip()}")
    # The data comes as "COPY public.alembic_version (version_num) FROM stdin;", rows, then "\.".
    match = re.search(r"^COPY \S*alembic_version \(version_num\) FROM stdin;\n([^\n\\]+)\n", script.stdout, re.M)
    return match.group(1) if match else None


def restore_backup(engine: Engine, path: Path, force: bool = False, pg_bin: Path | None = None) -> Restored:
    """Bring the backup at `path` back into the database of `engine`, then migrate it to the newest schema.

    :raise BackupError: when the backup is of the other kind of database, made by newer code, or
        not a planner backup; or when the database holds a clinic and `force` is False. The
        database is unchanged then.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    kind = kind_of(engine.url)
    if _file_kind(path) != kind:
        other = {"sqlite": "a PostgreSQL", "postgresql": "a SQLite"}[kind]
        raise BackupError(f"{path} is a backup of {other} database; the configured database is {kind}.")
    revision = backup_revision(path, pg_bin)
    if revision is None:
        raise BackupError(f"{path} holds no schema revision: it is not a backup of the planner.")
    if revision not in known_revisions():
        raise BackupError(
            f"{path} was made by a newer version of the planner (schema {revision}). "
            "Update the planner, then restore it."
        )
    clinics = _clinic_count(engine)
    if clinics and not force:
        raise BackupError(
            f"The database already holds data ({counted(clinics, 'clinic', 'clinics')}). "
            "Restoring replaces all of it: add --force to do that."
        )
    engine.dispose()  # no pooled connection keeps a view of the old data
    if kind == "sqlite":
        with _sqlite_errors():
            _sqlite_restore(path, _sqlite_path(engine.url))
    else:
        _pg_restore(engine, path, pg_bin)
    engine.dispose()
    upgrade(engine)
    return Restored(revision, current_revision(engine))


def nightly_due(newest: datetime | None, now: datetime, hour: int, zone: tzinfo | None = None) -> bool:
    """Whether a nightly backup is owed at `now`: none was taken since the last time the clock
    passed `hour` o'clock in `zone` (the server's time zone when None). A night missed while the
    machine was off is caught up at the next check."""
    local = now.astimezone(zone)
    mark = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if mark > local:
        mark -= timedelta(days=1)
    return newest is None or newest < mark


def nightly_copies(folder: Path) -> list[tuple[datetime, Path]]:
    """The nightly backups in `folder`, oldest first, with the UTC time each was taken."""
    copies = []
    if Path(folder).is_dir():
        for path in Path(folder).iterdir():
            match = NIGHTLY_NAME.match(path.name)
            if match:
                taken = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S%z")
                copies.append((taken, path))
    return sorted(copies)


def nightly_backup(
    url: str | URL,
    folder: Path,
    keep: int,
    hour: int,
    now: datetime,
    zone: tzinfo | None = None,
    pg_bin: Path | None = None,
) -> Path | None:
    """Take the night's backup into `folder` when one is due (see nightly_due), then delete the
    oldest copies so exactly `keep` remain. Returns the new file, or None when none was due.

    :raise BackupError: when `keep` is below 1, or the backup fails (the old copies stay).
    """
    if keep < 1:
        raise BackupError("[backup] keep must be at least 1.")
    copies = nightly_copies(folder)
    if not nightly_due(copies[-1][0] if copies else None, now, hour, zone):
        return None
    Path(folder).mkdir(mode=0o700, parents=True, exist_ok=True)
    path = Path(folder) / f"planner-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}{suffix_for(url)}"
    write_backup(url, path, pg_bin)
    for _taken, old in nightly_copies(folder)[:-keep]:
        old.unlink(missing_ok=True)
    return path


def find_pg_tools(configured: str = "") -> Path | None:
    """The folder holding pg_dump, pg_restore and psql: the configured one, else the PATH's, else
    the newest /usr/lib/postgresql/*/bin (Debian). None when none is found."""
    candidates = [configured] if configured else []
    on_path = shutil.which("pg_dump")
    if on_path:
        candidates.append(str(Path(on_path).parent))
    candidates += [str(p) for p in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)]
    for folder in candidates:
        if all((Path(folder) / tool).exists() for tool in ("pg_dump", "pg_restore", "psql")):
            return Path(folder)
    return None


# -- SQLite ---------------------------------------------------------------------------------------


@contextmanager
def _closing(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    try:
        yield connection
    finally:
        connection.close()


@contextmanager
def _sqlite_errors() -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as e:
        raise BackupError(f"SQLite: {e}.") from None


def _sqlite_path(url: str | URL) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(database)


def _sqlite_backup(source_path: Path, target: Path) -> None:
    if not source_path.exists():
        raise BackupError(f"No database at {source_path}; nothing to back up.")
    with _closing(sqlite3.connect(source_path, timeout=30)) as source, _closing(sqlite3.connect(target)) as copy:
        # pages=-1: every page in one step, inside one read transaction, so the copy is one moment
        # of the database; in WAL mode writers go on meanwhile.
        source.backup(copy, pages=-1)
        # A single self-contained file (no -wal beside it); backup_revision checks it afterwards.
        copy.execute("PRAGMA journal_mode=DELETE")


def _sqlite_restore(backup: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{backup.resolve()}?mode=ro", uri=True)  # checked by backup_revision
    with _closing(source), _closing(sqlite3.connect(target, timeout=30)) as database:
        # Through the backup API, not a file copy: it replaces every page under SQLite's own
        # locks, so the database and its -wal file stay one consistent whole.
        source.backup(database, pages=-1)


def _file_kind(path: Path) -> str:
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except OSError as e:
        raise BackupError(f"Cannot read {path}: {e.strerror}.") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_CUSTOM_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is neither a SQLite database nor a pg_dump custom-format file.")


def _clinic_count(engine: Engine) -> int:
    with engine.connect() as connection:
        if not inspect(connection).has_table("clinics"):
            return 0
        return int(connection.execute(text("SELECT COUNT(*) FROM clinics")).scalar_one())


# -- PostgreSQL -----------------------------------------------------------------------------------


def _libpq_url(url: str | URL) -> str:
    """The URL for pg_dump and psql: the driver name dropped, the password left out (it goes in
    PGPASSWORD, never on a command line that `ps` shows)."""
    return make_url(url).set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _environment(url: str | URL) -> dict[str, str]:
    password = make_url(url).password
    return {**os.environ, **({"PGPASSWORD": str(password)} if password else {})}


def _pg_tool(name: str, pg_bin: Path | None) -> str:
    folder = pg_bin or find_pg_tools()
    if folder is None or not (Path(folder) / name).exists():
        raise BackupError(f"{name} was not found; install the PostgreSQL client or set [backup] pg_bin.")
    return str(Path(folder) / name)


def _run(command: list[str], url: str | URL) -> None:
    done = subprocess.run(command, env=_environment(url), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")


def _pg_restore(engine: Engine, path: Path, pg_bin: Path | None) -> None:
    with engine.connect() as connection:
        tables = inspect(connection).get_table_names()
        schema = connection.execute(text("SELECT current_schema()")).scalar_one()
    with tempfile.TemporaryDirectory(prefix="planner-restore-") as private:  # mode 700: it holds patient data
        # The whole script is written out and checked before psql sees any of it: a damaged
        # archive read halfway would otherwise be committed halfway.
        script = Path(private) / "restore.sql"
        _run(
            [_pg_tool("pg_restore", pg_bin), "--no-owner", "--no-privileges", f"--file={script}", str(path)], engine.url
        )
        # Tables the database has and the backup may lack (a newer schema) are dropped first, in
        # the same transaction as the restore: if anything fails, nothing is dropped.
        drop = ["-c", "DROP TABLE IF EXISTS " + ", ".join(f'"{schema}"."{t}"' for t in tables) + " CASCADE"]
        _run(
            [
                _pg_tool("psql", pg_bin),
                "--no-psqlrc",
                "--quiet",
                "--single-transaction",
                "--set=ON_ERROR_STOP=1",
                f"--dbname={_libpq_url(engine.url)}",
                *(drop if tables else []),
                f"--file={script}",
            ],
            engine.url,
        )
