"""Exercises: the shared catalog (loaded from exercises/) and each clinic's custom ones."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.models.base import Base, UTCDateTime, utcnow

NAME_KEY_MAX = 200  # name_key: a folded name may be a little longer than the name (120)


class Exercise(Base):
    __tablename__ = "exercises"
    # Covers every column the list filters and sorts on, so a search reads this narrow index
    # instead of the wide rows (steps, picture, photo); see bench/catalog_search.py.
    __table_args__ = (
        Index(
            "ix_exercises_listing",
            "retired_at",
            "clinic_id",
            "category",
            "position",
            "difficulty",
            "name_key",
            "facets",
            "updated_at",
        ),
    )

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
    # Other names clinicians use for it ("shrug", "chin retraction"): searched, and shown on its page.
    synonyms: Mapped[list[str]] = mapped_column(JSON, default=list)
    dosage: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The patient's text in other languages: {"es": {"name": …, "steps": […], …}}, from
    # exercises/translations/ (planner/catalog/translations.py).
    translations: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    picture: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # A clinic's own photo instead of a drawing; deferred so lists never read the bytes.
    photo: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    photo_mime: Mapped[str] = mapped_column(String(40), default="")
    # The name folded as planner/search_key.py says: the list's order, and "named first" in a search.
    name_key: Mapped[str] = mapped_column(String(NAME_KEY_MAX), default="")
    # Folded name, other names, summary, steps and tags, searched as one text (planner/catalog/record.py).
    search_text: Mapped[str] = mapped_column(Text, default="")
    # The list tags as " regions:neck equipment:chair ", so filters are one LIKE on any database.
    facets: Mapped[str] = mapped_column(Text, default="")
    # Hash of the source file, so `catalog load` updates only what changed.
    source_hash: Mapped[str] = mapped_column(String(64), default="")
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # How it relates to a dystonia pattern (the file's [pattern] table, planner/dystonia/movement.py):
    # symmetric, away from or toward the pull of a movement, or a one-sided limb; what it must not
    # be used for. And its retraining stage (1 calm position, 2 upright without aids, 3 daily tasks).
    pattern: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    stage: Mapped[int] = mapped_column(Integer, default=1)

    # The words of search_text, looked up through an index (planner/catalog/record.py writes them).
    words: Mapped[list[ExerciseWord]] = relationship(cascade="all, delete-orphan", passive_deletes=True)

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


class ExerciseWord(Base):
    """One distinct word of an exercise's search text.

    A word index rather than LIKE '%word%' over every text: the scan cost 20-30 ms at 10,000
    exercises, the index lookup well under 1 ms, on SQLite and PostgreSQL alike.
    """

    __tablename__ = "exercise_words"
    __table_args__ = (Index("ix_exercise_words_word", "word", "exercise_id"),)

    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id", ondelete="CASCADE"), primary_key=True)
    # Compared by code point on both databases (SQLite's default; "C" on PostgreSQL), so the search's
    # prefix range (word >= "jos" and < "jot") holds in every script whatever the server's locale.
    word: Mapped[str] = mapped_column(
        String(60).with_variant(String(60, collation="C"), "postgresql"), primary_key=True
    )
