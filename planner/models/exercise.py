"""Exercises: the shared catalog (loaded from exercises/) and each clinic's custom ones."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from planner.models.base import Base, UTCDateTime, utcnow


class Exercise(Base):
    __tablename__ = "exercises"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The stable id: the catalog file's name, or "custom-<clinic>-<slug>" for a clinic's own.
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    # None for the shared catalog; a clinic's id for its custom exercises.
    clinic_id: Mapped[int | None] = mapped_column(ForeignKey("clinics.id"), nullable=True, index=True)
    name: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(40), index=True)
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[str] = mapped_column(String(40))
    equipment: Mapped[list[str]] = mapped_column(JSON, default=list)
    difficulty: Mapped[int] = mapped_column(Integer, default=1)
    conditions: Mapped[list[str]] = mapped_column(JSON, default=list)
    approaches: Mapped[list[str]] = mapped_column(JSON, default=list)
    summary: Mapped[str] = mapped_column(Text, default="")
    steps: Mapped[list[str]] = mapped_column(JSON, default=list)
    tips: Mapped[list[str]] = mapped_column(JSON, default=list)
    cautions: Mapped[list[str]] = mapped_column(JSON, default=list)
    progression: Mapped[list[str]] = mapped_column(JSON, default=list)
    regression: Mapped[list[str]] = mapped_column(JSON, default=list)
    dosage: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    picture: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # A clinic's own photo instead of a drawing; deferred so lists never read the bytes.
    photo: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    photo_mime: Mapped[str] = mapped_column(String(40), default="")
    # Lower-cased name, summary, steps and tags, searched as one text (planner/catalog/record.py).
    search_text: Mapped[str] = mapped_column(Text, default="")
    # The list tags as " regions:neck equipment:chair ", so filters are one LIKE on any database.
    facets: Mapped[str] = mapped_column(Text, default="")
    # Hash of the source file, so `catalog load` updates only what changed.
    source_hash: Mapped[str] = mapped_column(String(64), default="")
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    @property
    def retired(self) -> bool:
        return self.retired_at is not None
