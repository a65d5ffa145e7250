"""An exercise's fields copied onto its row, with the derived text the search reads.

The loader (files) and the custom-exercise service (forms) both fill rows here, so a custom
exercise is found by the same words and filters as a catalog one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from planner import search_key
from planner.catalog import schema
from planner.catalog.schema import OPTIONAL_LISTS
from planner.catalog.vocabulary import CATEGORIES, POSITIONS, TAG_LISTS, label
from planner.models import Exercise
from planner.models.exercise import NAME_KEY_MAX, ExerciseWord

# The words the search index keeps (folded as planner/search_key.py says), at most the column's length.
WORD_MAX = 60
# Chinese and Japanese write no spaces between words: each character is a word of its own, so
# "肩膀" finds "放松肩膀" (both characters, in any order, as words typed in any order do).
_UNSPACED = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f])")

# The fields an exercise file and the custom form share (catalog/schema.py names them),
# copied to the row as they are; the id is the row's slug instead.
FIELDS = tuple(key for key in schema.FIELDS if key != "id")


def fill(exercise: Exercise, data: Mapping[str, Any]) -> None:
    """Copy a validated exercise onto the row and recompute its search text and facets."""
    for key in FIELDS:
        value = data.get(key, [] if key in OPTIONAL_LISTS else {} if key == "picture" else None)
        setattr(exercise, key, value)
    # The patient's text in other languages, by language (catalog/translations.py); a clinic's
    # own exercise has none and prints as written.
    exercise.translations = dict(data.get("translations") or {})
    exercise.name_key = search_key.name_key(data.get("name", ""), NAME_KEY_MAX)
    exercise.search_text = search_text(data)
    exercise.facets = facets(data)
    wanted = set(words(exercise.search_text))
    if {w.word for w in exercise.words} != wanted:
        exercise.words = [ExerciseWord(word=w) for w in sorted(wanted)]
    # Its relation to a dystonia pattern and its retraining stage (a custom exercise gives neither).
    exercise.pattern = dict(data.get("pattern") or {})
    exercise.stage = int((data.get("retraining") or {}).get("stage") or 1)


def search_text(data: Mapping[str, Any]) -> str:
    """Name, other names, summary, steps and tags as one text of folded words, one space apart.

    Tags are written as their labels too ("range of motion"), so a therapist's words find them;
    the other names (synonyms) are the words clinicians use that the exercise does not ("shrug").
    """
    parts: list[str] = [data.get("name", ""), *data.get("synonyms", []), data.get("summary", "")]
    parts += data.get("steps", [])
    parts += [data.get("category", ""), label(CATEGORIES, data.get("category", ""))]
    parts += [data.get("position", ""), label(POSITIONS, data.get("position", ""))]
    for key, values in TAG_LISTS.items():
        for value in data.get(key, []):
            if value != "none":
                parts += [value, label(values, value)]
    return " ".join(" ".join(search_key.words(str(p), apostrophe_parts=True)) for p in parts if p)


def words(text: str) -> list[str]:
    """The words of a text as the word index holds them and the search looks them up, in order.

    Folded (case, accents and punctuation ignored), Chinese and Japanese split into characters,
    each cut to the column's length.
    """
    split = (_UNSPACED.sub(r" \1 ", w).split() for w in search_key.words(text))
    return [w[:WORD_MAX] for pieces in split for w in pieces]


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
