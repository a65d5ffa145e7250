"""A throwaway PostgreSQL server for the test session, started with initdb and pg_ctl."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def find_binaries() -> Path | None:
    for folder in [os.environ.get("PG_BIN", ""), *sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)]:
        if folder and (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).parent
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """initdb into a temporary folder, pg_ctl start on a free port; as root, through runuser."""

    def __init__(self, binaries: Path) -> None:
        self.bin = binaries
        self.folder = Path(tempfile.mkdtemp(prefix="planner-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        self.user = "postgres" if self.as_root else None

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=600)  # a hang guard only

    def start(self) -> str:
        if self.as_root:
            shutil.chown(self.folder, "postgres")
        # --no-sync: initdb's ~1,000 fsyncs of the new cluster (5-10 s of waiting on this disk) kept
        # nothing a throwaway server needs, which runs with fsync=off anyway.
        self._run(
            "initdb", "-D", str(self.data), "-A", "trust", "-U", "planner", "-E", "UTF8", "--no-locale", "--no-sync"
        )
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start")
        return f"postgresql+psycopg://planner@127.0.0.1:{self.port}/postgres"

    def create_database(self, name: str, template: str | None = None) -> str:
        """An empty database (or a copy of the database `template`, which nobody may be connected to)."""
        import psycopg

        copy = f' TEMPLATE "{template}"' if template else ""
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=planner dbname=postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"{copy}')
        return f"postgresql+psycopg://planner@127.0.0.1:{self.port}/{name}"

    def drop_database(self, name: str) -> None:
        """Drop a test's database when it is done: hundreds of them left on disk took minutes to delete."""
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=planner dbname=postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
