"""Exercise files for the catalog tests: a valid one in a line, with any field changed."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

VALID: dict[str, Any] = {
    "name": "Chin tuck",
    "category": "posture",
    "regions": ["neck", "head"],
    "position": "sitting",
    "equipment": ["chair"],
    "difficulty": 1,
    "conditions": ["cervical_dystonia"],
    "approaches": ["midline_holding"],
    "summary": "Pull your chin straight back to line up your head over your shoulders.",
    "steps": ["Sit tall on a firm chair with your feet flat.", "Slide your chin straight back.", "Hold, then relax."],
    "tips": ["Think of making a double chin."],
    "cautions": ["Stop if you feel dizzy."],
    "progression": [],
    "regression": [],
    "dosage": {"sets": 2, "repetitions": 10, "hold_seconds": 5, "times_per_day": 2},
    "picture": {
        "view": "side",
        "props": ["chair"],
        "start": {"base": "sitting"},
        "end": {"base": "sitting", "head_forward": -0.6},
    },
}
# A catalog file also says how it relates to a dystonia pattern, and its stage (a clinic's own
# exercise, made from VALID's fields, need not).
FILE_TABLES: dict[str, Any] = {"pattern": {"relation": "symmetric"}, "retraining": {"stage": 2}}

_DROP = object()


def exercise(exercise_id: str, **changes: Any) -> dict[str, Any]:
    """A valid exercise with that id; a change to `DROP` removes the field."""
    data = {"id": exercise_id, **copy.deepcopy(VALID)}
    for key, value in changes.items():
        if value is _DROP:
            data.pop(key, None)
        else:
            data[key] = value
    return data


DROP = _DROP


def _value(value: Any) -> str:
    """A TOML value: JSON spells strings, numbers and lists the same, except tables in a list."""
    if isinstance(value, list) and any(isinstance(v, dict) for v in value):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(value)


def to_toml(data: dict[str, Any]) -> str:
    """Enough TOML for an exercise: scalars and lists at the top, then the tables."""
    lines, tables = [], []
    for key, value in data.items():
        if isinstance(value, dict):
            tables.append((key, value))
        else:
            lines.append(f"{key} = {_value(value)}")
    while tables:
        name, table = tables.pop(0)
        lines.append(f"\n[{name}]")
        for key, value in table.items():
            if isinstance(value, dict):
                tables.append((f"{name}.{key}", value))
            else:
                lines.append(f"{key} = {_value(value)}")
    return "\n".join(lines) + "\n"


def write(folder: Path, exercise_id: str, file_stem: str | None = None, **changes: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{file_stem or exercise_id}.toml"
    path.write_text(to_toml(exercise(exercise_id, **{**FILE_TABLES, **changes})), encoding="utf-8")
    return path
