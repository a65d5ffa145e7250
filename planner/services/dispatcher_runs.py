"""Each dispatcher records when its last run finished; /healthz reads the newest.

Rows are per process ("host:pid"), so several dispatchers never write the same row, and a row
left by a process that is gone is deleted a month later.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, insert, select, update
from sqlalchemy.orm import Session

from planner.models import DispatcherRun

KEPT = timedelta(days=30)


def this_process() -> str:
    """The name of this dispatching process: "host:pid" (at most 120 characters)."""
    return f"{socket.gethostname()}:{os.getpid()}"[-120:]


def record(
    session: Session, dispatcher: str, started_at: datetime, finished_at: datetime, sent: int, failed: int
) -> None:
    """Note that `dispatcher` finished a run (UTC times; counts of emails sent and failed); commits."""
    values = {"started_at": started_at, "finished_at": finished_at, "sent": sent, "failed": failed}
    # An UPDATE gives a CursorResult, which counts the rows it changed.
    changed = cast(
        CursorResult[Any],
        session.execute(update(DispatcherRun).where(DispatcherRun.dispatcher == dispatcher).values(**values)),
    ).rowcount
    if not changed:
        session.execute(insert(DispatcherRun).values(dispatcher=dispatcher, **values))
    session.execute(delete(DispatcherRun).where(DispatcherRun.finished_at < finished_at - KEPT))
    session.commit()


def last_finished(session: Session) -> datetime | None:
    """When the newest run of any dispatcher finished (aware UTC), or None when none has run."""
    return session.scalar(select(func.max(DispatcherRun.finished_at)))
