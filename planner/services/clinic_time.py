"""The clinic's own calendar: which day it is there, and a local hour as a UTC moment."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from planner.models import Clinic


def clinic_zone(session: Session, clinic_id: int) -> ZoneInfo:
    clinic = session.get(Clinic, clinic_id)
    return ZoneInfo(clinic.timezone if clinic else "UTC")


def local_today(zone: ZoneInfo, now: datetime) -> date:
    """The date on the clinic's wall calendar at the moment `now` (an aware UTC time)."""
    return now.astimezone(zone).date()


def local_moment(zone: ZoneInfo, day: date, hour: int) -> datetime | None:
    """The given hour of the given local day, as an aware UTC datetime.

    None when that moment lies outside what a datetime holds (local 9999-12-31 evening west of
    UTC, 0001-01-01 morning east of it): only a date saved before dates were checked gets there.
    """
    try:
        return datetime.combine(day, time(hour), zone).astimezone(UTC)
    except OverflowError:
        return None
