"""The clinic's own calendar: which day it is there, and a local hour as a UTC moment."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from planner.models import Clinic


def clinic_zone(session: Session, clinic_id: int) -> ZoneInfo:
    clinic = session.get(Clinic, clinic_id)
    return ZoneInfo(clinic.timezone if clinic else "UTC")


def local_today(zone: ZoneInfo, now: datetime) -> date:
    """The date on the clinic's wall calendar at the moment `now` (an aware UTC time)."""
    return now.astimezone(zone).date()


def local_moment(zone: ZoneInfo, day: date, hour: int) -> datetime:
    """The given hour of the given local day, as an aware datetime (stored in UTC by the model)."""
    return datetime.combine(day, time(hour), zone)
