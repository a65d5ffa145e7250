"""The audit log: who saw or changed which patient's data, when, and from where."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import Table, event, func, insert, select, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import Pool

from planner.models import AuditEntry, User, utcnow
from planner.scoping import scoped
from planner.services.calendar_window import shift
from planner.services.clinic_time import local_moment

# What an entry can say was done; features add theirs here so the log's filter offers them
# (record() refuses any other: an entry the filter cannot find is as good as lost to a reviewer).
ACTIONS = (
    "list",
    "view",
    "create",
    "update",
    "delete",
    "archive",
    "restore",
    "print",
    "email",
    "share",
    "revoke",
    "retire",
    "export",
    "erase",
)
# Entries that record a look at data, not a change: a transaction of these alone commits without
# waiting for the disk (see _commit_views). A print that issues a version writes that version in
# the same transaction, which then commits with a full sync like any change.
VIEWS = ("list", "view", "print")
# A view's entry is made power-safe (a full sync of the database) at least this often per process.
SYNC_EVERY_SECONDS = 1.0


def record(
    session: Session,
    user: User,
    action: str,
    subject_type: str,
    subject_id: int | None,
    *,
    patient_id: int | None = None,
    detail: str = "",
    address: str = "",
) -> None:
    """Add one entry; it is committed with the change it describes, or alone for a view.

    :raise ValueError: for an action not in ACTIONS.
    """
    _known(action)
    values = {
        "clinic_id": user.clinic_id,
        "user_id": user.id,
        "at": utcnow(),
        "action": action,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "patient_id": patient_id,
        "detail": detail[:2000],
        "address": address[:64],
    }
    if action in VIEWS:
        # Kept aside until the commit, which then knows whether the transaction changed anything;
        # in a transaction, so that a rollback drops it as it would drop any entry.
        if not session.in_transaction():
            session.begin()
        session.info.setdefault("audit_views", []).append(values)
    else:
        session.add(AuditEntry(**values))


# ---- committing views -------------------------------------------------------------------------
#
# Every page that shows patient data records a view, and its commit used to wait for a full sync
# of the disk (about 3.4 ms), one page view after another. A transaction that holds only views
# now commits without that wait: on SQLite (WAL) with synchronous=NORMAL for that commit, on
# PostgreSQL with synchronous_commit off for that transaction. The entry is written and committed
# before the page is sent, so it survives any crash of the app or its worker (the write is in the
# operating system's hands); only a power cut or a crash of the machine can lose it, and then only
# views of the last moments: the next commit of a change syncs the whole WAL file (SQLite) or
# flushes the WAL (PostgreSQL, at most 3 x wal_writer_delay later), and every SYNC_EVERY_SECONDS
# one view commit per process syncs in full. A commit that changes anything syncs in full, as
# before. The database stays consistent in every case; nothing else is relaxed.

_last_full_sync = 0.0


def _known(action: str) -> None:
    if action not in ACTIONS:
        raise ValueError(f"audit action {action!r} is not in audit.ACTIONS, so the log's filter could not find it")


@event.listens_for(Session, "before_commit")
def _commit_views(session: Session) -> None:
    global _last_full_sync
    views = session.info.pop("audit_views", None)
    if not views:
        return
    session.flush()  # so that "nothing written yet" below sees every change of the transaction
    moment = time.monotonic()
    if moment - _last_full_sync >= SYNC_EVERY_SECONDS:
        _last_full_sync = moment
    else:
        _relax(session)
    # One INSERT of the rows, not ORM objects: nothing reads them back in this request, and the
    # unit of work's flush costs a page view more than the statement does.
    session.execute(_INSERT_ENTRIES, views)


# Core's INSERT of the table, not the ORM's bulk insert of the class: the same row, at half the cost.
_ENTRIES: Table = AuditEntry.__table__  # type: ignore[assignment]  # a declarative class's Table
_INSERT_ENTRIES = insert(_ENTRIES)


def _relax(session: Session) -> None:
    """Let this commit skip the disk sync, when the transaction has written nothing yet."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        raw = connection.connection.dbapi_connection
        if raw is None or raw.in_transaction:  # a change was written: it commits with a full sync
            return
        # SQLite refuses to change the level inside a transaction; none is open yet. The pool
        # puts the connection's own level back when the session hands it back (_restore).
        level = raw.execute("PRAGMA synchronous").fetchone()[0]
        if level > 1:  # FULL or EXTRA; NORMAL (1) and OFF (0) never wait for the disk anyway
            raw.execute("PRAGMA synchronous=NORMAL")
            connection.connection.info["audit_sync_level"] = level
    elif connection.dialect.name == "postgresql" and (
        session.execute(text("SELECT txid_current_if_assigned()")).scalar() is None
    ):
        session.execute(text("SET LOCAL synchronous_commit TO OFF"))  # this transaction only


@event.listens_for(Pool, "checkin")
def _restore(dbapi_connection, record) -> None:  # noqa: ANN001
    level = record.info.pop("audit_sync_level", None)
    if level is not None and dbapi_connection is not None:
        dbapi_connection.execute(f"PRAGMA synchronous={int(level)}")


@event.listens_for(Session, "after_soft_rollback")
def _forget_views(session: Session, _previous) -> None:  # noqa: ANN001
    """Views recorded in a transaction that is rolled back go with it, like any entry would."""
    session.info.pop("audit_views", None)


def record_command(
    session: Session,
    clinic_id: int,
    action: str,
    subject_type: str,
    subject_id: int | None,
    *,
    patient_id: int | None,
    detail: str = "command line",
) -> None:
    """Add one entry for something done on the server's command line: no user, no address.

    :raise ValueError: for an action not in ACTIONS.
    """
    _known(action)
    session.add(
        AuditEntry(
            clinic_id=clinic_id,
            user_id=None,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            patient_id=patient_id,
            detail=detail[:2000],
        )
    )


@dataclass(frozen=True)
class AuditFilter:
    user_id: int | None = None
    patient_id: int | None = None
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None


def entries(
    session: Session, clinic_id: int, flt: AuditFilter, timezone: str, page: int, page_size: int
) -> tuple[list[AuditEntry], int]:
    """One page of the clinic's entries, newest first, and the total count.

    A page number past the last (however large) gives the last page, one below 1 the first.
    """
    query = scoped(AuditEntry, clinic_id)
    zone = ZoneInfo(timezone)
    if flt.user_id:
        query = query.where(AuditEntry.user_id == flt.user_id)
    if flt.patient_id:
        query = query.where(AuditEntry.patient_id == flt.patient_id)
    if flt.action:
        query = query.where(AuditEntry.action == flt.action)
    # A bound past either end of the calendar (year 1, 9999) leaves that side open.
    start = local_moment(zone, flt.date_from, 0) if flt.date_from else None
    if start is not None:
        query = query.where(AuditEntry.at >= start)
    after = shift(flt.date_to, 1) if flt.date_to else None
    end = local_moment(zone, after, 0) if after else None
    if end is not None:
        query = query.where(AuditEntry.at < end)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = min(max(1, page), max(1, -(-total // page_size)))
    rows = session.scalars(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(page_size).offset((page - 1) * page_size)
    )
    return list(rows), total
