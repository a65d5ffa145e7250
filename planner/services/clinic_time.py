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


def local_moment(zone: ZoneInfo, day: date, hour: int, minute: int = 0) -> datetime | None:
    """The given hour (and minute) of the given local day, as an aware UTC datetime.

    Across a daylight-saving change the wall clock wins: 07:30 stays 07:30 local. A time the
    spring change skips (02:30 when clocks jump from 02:00 to 03:00) comes out an hour later on
    the wall (03:30); a time the autumn change shows twice is its first occurrence (fold 0).

    None when that moment lies outside what a datetime holds (local 9999-12-31 evening west of
    UTC, 0001-01-01 morning east of it): only a date saved before dates were checked gets there.
    """
    try:
        return datetime.combine(day, time(hour, minute), zone).astimezone(UTC)
    except OverflowError:
        return None
