"""A clinic's own exercises: same fields and rules as the catalog files, a photo instead of a drawing.

Stored as "custom-<clinic id>-<slug>" so the id never collides with a catalog file or another
clinic's exercise, and never changes once made: programs refer to it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.bidi import isolate
from planner.catalog import record
from planner.catalog.photo import prepare_photo
from planner.catalog.schema import SLUG_MAX, validate_exercise
from planner.models import Exercise
from planner.scoping import is_shared_row, scoped, visible_exercises
from planner.services import DomainError, NotFound


@dataclass
class CustomExerciseData:
    """What a therapist enters for a custom exercise; the fields of an exercise file."""

    name: str
    category: str
    regions: list[str]
    position: str
    equipment: list[str]
    difficulty: int
    conditions: list[str]
    summary: str
    steps: list[str]
    cautions: list[str]
    dosage: dict[str, int]
    approaches: list[str] = field(default_factory=list)
    tips: list[str] = field(default_factory=list)
    progression: list[str] = field(default_factory=list)
    regression: list[str] = field(default_factory=list)
    synonyms: list[str] = field(default_factory=list)  # other names colleagues search for

    @classmethod
    def from_exercise(cls, exercise: Exercise) -> CustomExerciseData:
        data = record.as_data(exercise)
        return cls(**{k: data[k] for k in cls.__dataclass_fields__})


class InvalidExercise(DomainError):
    """The exercise breaks the format's rules; `problems` holds every (field, message)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        field_name, message = problems[0]
        super().__init__(_sentence(field_name, message), field_name)
        self.problems = problems


def _sentence(field_name: str, message: str) -> str:
    return f"{field_name.replace('_', ' ').capitalize()}: {message}."


def slugify(name: str) -> str:
    """Lowercase words of the name joined by hyphens, accents dropped ("Épaule lift" → "epaule-lift")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:50].strip("-") or "exercise"


def get_custom_exercise(session: Session, clinic_id: int, slug: str) -> Exercise:
    """The clinic's own custom exercise, for editing.

    :raise NotFound: for a catalog exercise, another clinic's, or none (the same answer).
    """
    exercise = session.scalars(scoped(Exercise, clinic_id).where(Exercise.slug == slug)).first()
    if exercise is None:
        raise NotFound("That exercise")
    return exercise


def create_custom_exercise(
    session: Session, clinic_id: int, data: CustomExerciseData, now: datetime, photo: bytes | None = None
) -> Exercise:
    """Add a custom exercise for the clinic, with an optional photo (JPEG or PNG, up to 5 MB).

    :raise InvalidExercise: naming every field that breaks the rules; nothing is stored.
    :raise PhotoRejected: when the photo is not a whole JPEG or PNG within the limits.
    """
    base = slugify(data.name)
    fields = _checked(session, clinic_id, data, own_slug=None, base=base)
    prepared = prepare_photo(photo) if photo is not None else None
    exercise = Exercise(clinic_id=clinic_id, slug=_free_slug(session, clinic_id, base), updated_at=now)
    record.fill(exercise, fields)
    exercise.source_hash = ""
    if prepared:
        exercise.photo, exercise.photo_mime = prepared
    session.add(exercise)
    session.flush()
    return exercise


def update_custom_exercise(
    session: Session,
    exercise: Exercise,
    data: CustomExerciseData,
    now: datetime,
    photo: bytes | None = None,
    remove_photo: bool = False,
) -> list[str]:
    """Save the changes (the id stays); returns the names of the fields that changed.

    :raise InvalidExercise: naming every field that breaks the rules; nothing is changed.
    :raise PhotoRejected: when a new photo is not a whole JPEG or PNG within the limits.
    """
    assert not is_shared_row(exercise), "only custom exercises are edited here"
    fields = _checked(session, cast(int, exercise.clinic_id), data, own_slug=exercise.slug, base=slugify(data.name))
    prepared = prepare_photo(photo) if photo is not None else None
    before = record.as_data(exercise)
    record.fill(exercise, fields)
    changed = [k for k, v in before.items() if record.as_data(exercise)[k] != v]
    if prepared:
        exercise.photo, exercise.photo_mime = prepared
        changed.append("photo")
    elif remove_photo and exercise.photo_mime:
        exercise.photo, exercise.photo_mime = None, ""
        changed.append("photo")
    if changed:
        exercise.updated_at = now
    session.flush()
    return changed


def retire_custom_exercise(session: Session, exercise: Exercise, now: datetime) -> None:
    """Hide it from the list; programs that use it keep it, and it can be restored."""
    if exercise.retired_at is None:
        exercise.retired_at = now
        exercise.updated_at = now
    session.flush()


def restore_custom_exercise(session: Session, exercise: Exercise, now: datetime) -> None:
    exercise.retired_at = None
    exercise.updated_at = now
    session.flush()


def _checked(
    session: Session, clinic_id: int, data: CustomExerciseData, own_slug: str | None, base: str
) -> dict[str, Any]:
    fields = asdict(data)
    fields["name"] = " ".join(data.name.split())
    fields["summary"] = " ".join(data.summary.split())
    for key in ("steps", "tips", "cautions"):
        fields[key] = [" ".join(s.split()) for s in fields[key] if s.strip()]
    fields["dosage"] = {k: v for k, v in data.dosage.items() if v is not None}
    # The schema checks a slug-shaped id; the real id is made after, with the clinic prefix.
    problems = validate_exercise({"id": base, **fields}, picture_required=False)
    linked = set(fields["progression"]) | set(fields["regression"])
    if linked:
        known = set(
            session.scalars(
                visible_exercises(clinic_id).with_only_columns(Exercise.slug).where(Exercise.slug.in_(linked))
            )
        )
        for key in ("progression", "regression"):
            for slug in fields[key]:
                if slug not in known:
                    problems.append((key, f"no exercise has the id “{isolate(slug)}”"))
                if slug == own_slug:
                    problems.append((key, "an exercise cannot point to itself"))
    if problems:
        raise InvalidExercise(problems)
    return fields


def _free_slug(session: Session, clinic_id: int, base: str) -> str:
    stem = f"custom-{clinic_id}-{base}"[:SLUG_MAX]
    taken = set(session.scalars(select(Exercise.slug).where(Exercise.slug.like(f"{stem}%"))))
    slug, n = stem, 2
    while slug in taken:
        slug, n = f"{stem}-{n}", n + 1
    return slug
