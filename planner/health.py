"""What GET /healthz reports: the database answers, its schema is the newest, reminders still go out.

No Flask here; no patient data and no host names in the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from planner.migrate import current_revision, head_revision
from planner.services import dispatcher_runs


@dataclass(frozen=True)
class Health:
    """The three checks. Ages are in seconds; None when unknown (database down, no run yet)."""

    database_ok: bool
    revision: str | None
    newest_revision: str | None
    last_dispatch_age: float | None
    max_dispatch_age: float

    @property
    def schema_ok(self) -> bool:
        return self.database_ok and self.revision == self.newest_revision

    @property
    def dispatcher_ok(self) -> bool:
        return self.last_dispatch_age is not None and self.last_dispatch_age <= self.max_dispatch_age

    @property
    def ok(self) -> bool:
        return self.database_ok and self.schema_ok and self.dispatcher_ok

    def as_json(self) -> dict[str, Any]:
        """The body of /healthz: {"status": "ok" | "failing", "database": {...}, "schema": {...}, "dispatcher": {...}}."""
        age = None if self.last_dispatch_age is None else round(self.last_dispatch_age, 1)
        return {
            "status": "ok" if self.ok else "failing",
            "database": {"ok": self.database_ok},
            "schema": {"ok": self.schema_ok, "revision": self.revision, "newest": self.newest_revision},
            "dispatcher": {
                "ok": self.dispatcher_ok,
                "last_run_age_seconds": age,
                "max_age_seconds": int(self.max_dispatch_age),
            },
        }


def check(engine: Engine, now: datetime, max_dispatch_age: timedelta) -> Health:
    """Ask the database; never raises for a database that is down or behind (that is the answer)."""
    newest = head_revision()
    unknown = Health(False, None, newest, None, max_dispatch_age.total_seconds())
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        revision = current_revision(engine)
    except SQLAlchemyError:
        return unknown
    try:
        with Session(engine) as session:
            last = dispatcher_runs.last_finished(session)
    except SQLAlchemyError:  # an older schema without the table: no run can be known
        last = None
    age = None if last is None else max((now - last).total_seconds(), 0.0)
    return Health(True, revision, newest, age, max_dispatch_age.total_seconds())
