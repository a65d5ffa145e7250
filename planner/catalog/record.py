"""An exercise's fields copied onto its row, with the derived text the search reads.

The loader (files) and the custom-exercise service (forms) both fill rows here, so a custom
exercise is found by the same words and filters as a catalog one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from planner.catalog.vocabulary import CATEGORIES, POSITIONS, TAG_LISTS, label
from planner.models import Exercise
from planner.models.exercise import ExerciseWord

# The words the search index keeps: letters and digits, at most the column's length.
WORD = re.compile(r"[a-z0-9]+")
WORD_MAX = 60

# The fields an exercise file and the custom form share, copied to the row as they are.
FIELDS = (
    "name",
    "category",
    "regions",
    "position",
    "equipment",
    "difficulty",
    "conditions",
    "approaches",
    "summary",
    "steps",
    "tips",
    "cautions",
    "progression",
    "regression",
    "dosage",
    "picture",
)
_LIST_DEFAULTS = ("approaches", "tips", "progression", "regression")


def fill(exercise: Exercise, data: Mapping[str, Any]) -> None:
    """Copy a validated exercise onto the row and recompute its search text and facets."""
    for key in FIELDS:
        value = data.get(key, [] if key in _LIST_DEFAULTS else {} if key == "picture" else None)
        setattr(exercise, key, value)
    exercise.search_text = search_text(data)
    exercise.facets = facets(data)
    wanted = words(exercise.search_text)
    if {w.word for w in exercise.words} != wanted:
        exercise.words = [ExerciseWord(word=w) for w in sorted(wanted)]
    # Its relation to a dystonia pattern and its retraining stage (a custom exercise gives neither).
    exercise.pattern = dict(data.get("pattern") or {})
    exercise.stage = int((data.get("retraining") or {}).get("stage") or 1)


def search_text(data: Mapping[str, Any]) -> str:
    """Name, summary, steps and tags as one lower-case text, words separated by single spaces.

    Tags are written as their labels too ("range of motion"), so a therapist's words find them.
    """
    parts: list[str] = [data.get("name", ""), data.get("summary", ""), *data.get("steps", [])]
    parts += [data.get("category", ""), label(CATEGORIES, data.get("category", ""))]
    parts += [data.get("position", ""), label(POSITIONS, data.get("position", ""))]
    for key, values in TAG_LISTS.items():
        for value in data.get(key, []):
            if value != "none":
                parts += [value, label(values, value)]
    return " ".join(" ".join(str(p).lower().replace("_", " ").split()) for p in parts if p)


def words(text: str) -> set[str]:
    """The distinct words of a search text, as the search looks them up."""
    return {w[:WORD_MAX] for w in WORD.findall(text)}


def facets(data: Mapping[str, Any]) -> str:
    """The list tags as " regions:neck equipment:chair … ", one token each, for exact filtering.

    The surrounding spaces let a filter match a whole token with LIKE '% regions:neck %'
    on SQLite and PostgreSQL alike, without JSON operators that differ between them.
    """
    tokens = [f"{key}:{value}" for key in TAG_LISTS for value in data.get(key, [])]
    return " " + " ".join(tokens) + " "


def as_data(exercise: Exercise) -> dict[str, Any]:
    """The row's fields as an exercise dict, the inverse of `fill` (for editing a custom exercise)."""
    return {key: getattr(exercise, key) for key in FIELDS}
