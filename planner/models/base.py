"""The declarative base shared by every model."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import DateTime, MetaData, TypeDecorator
from sqlalchemy.orm import DeclarativeBase

# Named constraints so Alembic migrations stay the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# The largest id (or other whole number) a row can hold: a signed 64-bit integer, as PostgreSQL's
# BIGINT and SQLite's INTEGER store it. A larger Python int sent in a query makes SQLite's driver
# raise OverflowError, so numbers from outside are held to this first (planner/web/ids.py).
MAX_ID = 2**63 - 1


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime
    cache_ok = True

    def __init__(self, timezone: bool = True) -> None:
        super().__init__(timezone=True)

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:  # noqa: ANN001
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware UTC time")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:  # noqa: ANN001
        if value is None:
            return None
        return value if value.tzinfo else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_float(value: float | int | Decimal | None) -> float | None:
    """A number for a Float column, held in memory as the float the database gives back.

    An int or a Decimal (a form's number) left as assigned would be written out as 50 where the
    same row read back gives 50.0, so an export or a FHIR bundle would depend on whether the row
    was still in the session's memory (tests/test_patient_export.py found it).
    """
    return None if value is None else float(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
