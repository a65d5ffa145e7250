"""The rules one exercise must follow (docs/catalog-format.md), for files and custom exercises alike.

Each rule gives its problems as (field, message) pairs, so the checker, the loader and the
custom-exercise form can show them next to the right file or field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from planner import search_key
from planner.bidi import isolate
from planner.catalog.readability import long_sentences, too_long
from planner.catalog.vocabulary import CATEGORIES, CONDITIONS, POSITIONS, TAG_LISTS
from planner.dosage import LIMITS as DOSAGE_LIMITS  # re-exported: the builder checks the same limits
from planner.dosage import dosage_problems

__all__ = ["DOSAGE_LIMITS", "SLUG", "FieldProblem", "validate_exercise"]

FieldProblem = tuple[str, str]

# Lowercase words of letters and digits joined by single hyphens: safe in file names and URLs.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 80
NAME_MAX = 120
SUMMARY_MAX = 300
TEXT_MAX = 500  # one step, tip or caution
SYNONYM_MAX = 60  # one other name: a few words
LIST_MAX = 20
# Custom exercises are stored as "custom-<clinic>-<slug>": a file may not take that space.
CUSTOM_PREFIX = "custom-"

# Every field of an exercise, in the format's order (docs/catalog-format.md); the one list,
# which catalog/record.py copies to the row. The lists in OPTIONAL_LISTS may be left out.
FIELDS = (
    "id",
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
    "synonyms",
    "dosage",
    "picture",
)
OPTIONAL_LISTS = ("approaches", "tips", "progression", "regression", "synonyms")
REQUIRED = tuple(key for key in FIELDS if key not in OPTIONAL_LISTS)
KNOWN = frozenset(FIELDS)

# Read by `catalog check` only, never copied to the row: `moves_head = true`, for steps that move
# the head where the picture does not show it (planner/catalog/safety.py).
CHECKED_ONLY = ("moves_head",)

# How the exercise relates to a dystonia pattern, and its retraining stage (planner/dystonia/movement.py):
# every catalog file gives both; a clinic's own exercise may leave them out (symmetric, stage 1).
DYSTONIA_TABLES = ("pattern", "retraining")


def validate_exercise(
    data: Mapping[str, Any], *, file_stem: str | None = None, picture_required: bool = True
) -> list[FieldProblem]:
    """Every problem of one parsed exercise; empty when it follows the format.

    file_stem: the file name without .toml, which the id must equal. picture_required is
    False for a clinic's custom exercise, which may carry a photo instead.
    """
    problems: list[FieldProblem] = []
    known = KNOWN | frozenset(DYSTONIA_TABLES) | frozenset(CHECKED_ONLY)
    for key in sorted(set(data) - known):
        problems.append((key, f"unknown field; the fields are {', '.join(sorted(known))}"))
    for key in REQUIRED:
        if key not in data and (key != "picture" or picture_required):
            problems.append((key, "is missing"))

    if "id" in data:
        problems += _slug_problems("id", data["id"])
        if file_stem is not None and data["id"] != file_stem:
            problems.append(("id", f"“{data['id']}” must equal the file name “{file_stem}”"))
        if isinstance(data["id"], str) and file_stem is not None and data["id"].startswith(CUSTOM_PREFIX):
            problems.append(("id", f"ids starting with “{CUSTOM_PREFIX}” are kept for clinics' own exercises"))
    if "name" in data:
        problems += _text_problems("name", data["name"], NAME_MAX)
    if "summary" in data:
        problems += _text_problems("summary", data["summary"], SUMMARY_MAX)
    if "category" in data:
        problems += _choice_problems("category", data["category"], CATEGORIES)
    if "position" in data:
        problems += _choice_problems("position", data["position"], POSITIONS)
    if "difficulty" in data:
        d = data["difficulty"]
        if isinstance(d, bool) or not isinstance(d, int) or not 1 <= d <= 3:
            problems.append(("difficulty", f"must be 1 (easy), 2 (moderate) or 3 (hard), not {d!r}"))

    for key, allowed in TAG_LISTS.items():
        if key in data:
            # Approaches may be empty; every other tag list needs one value (["none"] for equipment).
            problems += _tag_list_problems(key, data[key], allowed, may_be_empty=key == "approaches")
    equipment = data.get("equipment")
    if isinstance(equipment, list) and "none" in equipment and len(equipment) > 1:
        problems.append(("equipment", "“none” cannot be listed with other equipment"))
    if "conditions" in data and isinstance(data["conditions"], list) and not data["conditions"]:
        problems.append(("conditions", f"list at least one; use “general” when none fits ({', '.join(CONDITIONS)})"))

    for key, may_be_empty in (("steps", False), ("cautions", False), ("tips", True)):
        if key in data:
            problems += _text_list_problems(key, data[key], may_be_empty)
    for key in ("progression", "regression"):
        if key in data:
            problems += _reference_problems(key, data[key], data.get("id"))
    if "synonyms" in data:
        problems += _synonym_problems(data["synonyms"])

    if "dosage" in data:
        problems += dosage_problems(data["dosage"])
    drawn = picture_problems(data["picture"]) if "picture" in data else []
    problems += drawn
    problems += dystonia_problems(data, required=file_stem is not None)
    if file_stem is not None:  # a catalog file: plain language, as its translations are held to
        problems += _sentence_problems(data)
    if file_stem is not None and "picture" in data and not drawn:  # a catalog file, its picture drawable
        from planner.catalog.safety import safety_problems

        problems += safety_problems(dict(data))
    return problems


def dystonia_problems(data: Mapping[str, Any], required: bool) -> list[FieldProblem]:
    """The `[pattern]` and `[retraining]` tables: required in a catalog file, checked when given."""
    from planner.dystonia.movement import pattern_problems, retraining_problems

    problems: list[FieldProblem] = []
    for key, check in (("pattern", pattern_problems), ("retraining", retraining_problems)):
        if key in data:
            problems += check(data[key])
        elif required:
            problems.append((key, f"is missing: every catalog file gives [{key}] (docs/catalog-format.md)"))
    if not problems:
        problems += _trick_touch_drawn(data)
    return problems


def _trick_touch_drawn(data: Mapping[str, Any]) -> list[FieldProblem]:
    """`[pattern] trick_touch` names places the picture's view can touch, in a picture whose hand
    touches somewhere (pattern_start.TOUCH moves that hand; a picture with none would show nothing)."""
    from planner.catalog.figure.spec import KEYS

    touches = data.get("pattern", {}).get("trick_touch")
    picture = data.get("picture")
    if not touches or not isinstance(picture, Mapping):
        return []
    allowed = KEYS.get(picture.get("view", ""), {}).get("touch", ())
    panels = [picture.get(panel) for panel in ("start", "end")]
    if not any(isinstance(pose, Mapping) and pose.get("touch", "none") != "none" for pose in panels):
        return [("pattern.trick_touch", "the picture has no hand touching: set `touch` in its start or end")]
    return [
        (
            f"pattern.trick_touch.{side}",
            f"the {picture.get('view')} view cannot touch {touch!r}; use one of {', '.join(allowed)}",
        )
        for side, touch in touches.items()
        if touch not in allowed
    ]


def picture_problems(picture: Any) -> list[FieldProblem]:
    """The drawing code's own check of a [picture] table, with fields named from the file's top."""
    from planner.catalog import figure

    if not isinstance(picture, Mapping):
        return [("picture", "must be a table: [picture] with view, start and end")]
    found = []
    for path, message in figure.validate_picture(picture):
        found.append((path if path.startswith("picture") else f"picture.{path}", message))
    return found


def _slug_problems(field: str, value: Any) -> list[FieldProblem]:
    if not isinstance(value, str) or not SLUG.match(value):
        return [(field, f"{value!r} is not a valid id: use lowercase letters, digits and single hyphens")]
    if len(value) > SLUG_MAX:
        return [(field, f"is too long: at most {SLUG_MAX} characters")]
    return []


def _text_problems(field: str, value: Any, limit: int) -> list[FieldProblem]:
    if not isinstance(value, str) or not value.strip():
        return [(field, "must be some text")]
    if len(value) > limit:
        return [(field, f"is too long: at most {limit} characters")]
    return []


def _sentence_problems(data: Mapping[str, Any]) -> list[FieldProblem]:
    """A sentence over 15 words in any text a patient reads (STYLE.md), by field."""
    found: list[FieldProblem] = []
    for key in ("name", "summary", "steps", "tips", "cautions"):
        value = data.get(key)
        items = [(key, value)] if isinstance(value, str) else []
        if isinstance(value, list):
            items = [(f"{key}[{i}]", v) for i, v in enumerate(value, start=1) if isinstance(v, str)]
        found += [(field, too_long(n, s)) for field, text in items for n, s in long_sentences(text)]
    return found


def _choice_problems(field: str, value: Any, allowed: Mapping[str, str]) -> list[FieldProblem]:
    if value not in allowed:
        return [(field, f"unknown value {value!r}; use one of {', '.join(allowed)}")]
    return []


def _tag_list_problems(field: str, value: Any, allowed: Mapping[str, str], may_be_empty: bool) -> list[FieldProblem]:
    if not isinstance(value, list):
        return [(field, 'must be a list, such as ["' + next(iter(allowed)) + '"]')]
    problems = []
    if not value and not may_be_empty and field != "conditions":
        problems.append((field, "list at least one"))
    for item in value:
        if item not in allowed:
            problems.append((field, f"unknown value {item!r}; use one of {', '.join(allowed)}"))
    if len(set(map(str, value))) != len(value):
        problems.append((field, "lists a value twice"))
    return problems


def _text_list_problems(field: str, value: Any, may_be_empty: bool) -> list[FieldProblem]:
    if not isinstance(value, list):
        return [(field, "must be a list of sentences in quotes")]
    if not value and not may_be_empty:
        return [(field, "list at least one")]
    if len(value) > LIST_MAX:
        return [(field, f"has {len(value)} entries: at most {LIST_MAX}")]
    problems = []
    for i, item in enumerate(value, start=1):
        problems += _text_problems(f"{field}[{i}]", item, TEXT_MAX)
    return problems


def _synonym_problems(value: Any) -> list[FieldProblem]:
    if not isinstance(value, list):
        return [("synonyms", 'must be a list of other names in quotes, such as ["shrug"]')]
    if len(value) > LIST_MAX:
        return [("synonyms", f"has {len(value)} entries: at most {LIST_MAX}")]
    problems = []
    seen: set[str] = set()
    for i, item in enumerate(value, start=1):
        found = _text_problems(f"synonyms[{i}]", item, SYNONYM_MAX)
        if not found:
            # Told apart as the search tells words apart: "Shrug" and "shrug" are one name.
            key = " ".join(search_key.words(item))
            if not key:
                found = [(f"synonyms[{i}]", "needs a letter or a digit")]
            elif key in seen:
                found = [(f"synonyms[{i}]", f"“{isolate(item)}” is listed twice")]
            seen.add(key)
        problems += found
    return problems


def _reference_problems(field: str, value: Any, own_id: Any) -> list[FieldProblem]:
    if not isinstance(value, list):
        return [(field, "must be a list of exercise ids")]
    problems = []
    for item in value:
        problems += _slug_problems(field, item)
        if item == own_id:
            problems.append((field, "an exercise cannot point to itself"))
    return problems
