"""Safety rules that follow from what an exercise does, not from its wording."""

from __future__ import annotations

from typing import Any

from planner.catalog.figure.spec import normalize

# Pose keys that move the head on the neck, in every view that has them.
HEAD_KEYS = ("head_nod", "head_forward", "head_turn", "head_tilt")
# Exercise kinds that move the neck through its range, even when the picture cannot show it.
NECK_MOTION = ("range_of_motion", "stretching")
DIZZINESS_WORD = "dizz"  # dizzy, dizziness


def moves_the_head(exercise: dict[str, Any]) -> bool:
    """True when the exercise moves the head: its picture turns, tilts, nods or slides the head
    between start and end, or it is neck range-of-motion or stretching work.

    `exercise` is a catalog entry as read from its TOML file (regions, category, picture).
    Such an exercise must carry the dizziness stop rule among its cautions (see
    `has_dizziness_rule`).
    """
    if "neck" in exercise.get("regions", []) and exercise.get("category") in NECK_MOTION:
        return True
    pic = normalize(exercise.get("picture"))
    return any(pic.start.get(k, 0) != pic.end.get(k, 0) for k in HEAD_KEYS)


def has_dizziness_rule(exercise: dict[str, Any]) -> bool:
    """True when a caution tells the patient to stop if they feel dizzy."""
    return any(c.startswith("Stop") and DIZZINESS_WORD in c for c in exercise.get("cautions", []))
