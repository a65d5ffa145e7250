"""The audit log: who saw or changed which patient's data, when, and from where."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.models import AuditEntry, User
from planner.services.calendar_window import shift
from planner.services.clinic_time import local_moment

# What an entry can say was done; features add theirs here so the log's filter offers them.
ACTIONS = (
    "list",
    "view",
    "create",
    "update",
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
    """Add one entry; it is committed with the change it describes."""
    session.add(
        AuditEntry(
            clinic_id=user.clinic_id,
            user_id=user.id,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            patient_id=patient_id,
            detail=detail[:2000],
            address=address[:64],
        )
    )


def record_command(
    session: Session, clinic_id: int, action: str, subject_type: str, subject_id: int | None, *, patient_id: int | None
) -> None:
    """Add one entry for something done on the server's command line: no user, no address."""
    session.add(
        AuditEntry(
            clinic_id=clinic_id,
            user_id=None,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            patient_id=patient_id,
            detail="command line",
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
    query = select(AuditEntry).where(AuditEntry.clinic_id == clinic_id)
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
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    page = min(max(1, page), max(1, -(-total // page_size)))
    rows = session.scalars(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(page_size).offset((page - 1) * page_size)
    )
    return list(rows), total
