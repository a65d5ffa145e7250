"""The last run of each reminder dispatcher, so /healthz can tell whether reminders still go out."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from planner.models.base import Base, UTCDateTime


class DispatcherRun(Base):
    """One row per dispatching process ("host:pid"), updated at the end of each of its runs."""

    __tablename__ = "dispatcher_runs"

    dispatcher: Mapped[str] = mapped_column(String(120), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # What the last run did; counts only, never who or what was sent.
    sent: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
