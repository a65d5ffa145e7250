"""Safety rules that follow from what an exercise does, not from its wording."""

from __future__ import annotations

import re
from typing import Any

from planner.catalog.figure.spec import normalize

# Pose keys that move the head on the neck, in every view that has them.
HEAD_KEYS = ("head_nod", "head_forward", "head_turn", "head_tilt")
# Exercise kinds that move the neck through its range, even when the picture cannot show it.
NECK_MOTION = ("range_of_motion", "stretching")
DIZZINESS_WORD = "dizz"  # dizzy, dizziness
# The stop rule an exercise that moves the head carries, as it is written (the Spanish: "Pare si
# se marea."), alone or with where to stop: it gives no reason other than moving the head.
DIZZINESS_RULE = "Stop if you feel dizzy."
_BARE_RULE = re.compile(r"Stop(?: and (?:sit down|lie still))? if you feel dizzy\.(?: Get up slowly\.)?")


def moves_the_head(exercise: dict[str, Any]) -> bool:
    """True when the exercise moves the head: its picture turns, tilts, nods or slides the head
    between start and end, it is neck range-of-motion or stretching work, or its file says
    `moves_head = true` (steps that move the head where the picture does not show it: the head
    brought forward off a chair back while the picture leans the trunk).

    `exercise` is a catalog entry as read from its TOML file (regions, category, picture,
    moves_head). Such an exercise must carry the dizziness stop rule among its cautions (see
    `has_dizziness_rule`); `safety_problems` says so.
    """
    if exercise.get("moves_head") is True:
        return True
    if "neck" in exercise.get("regions", []) and exercise.get("category") in NECK_MOTION:
        return True
    pic = normalize(exercise.get("picture"))
    return any(pic.start.get(k, 0) != pic.end.get(k, 0) for k in HEAD_KEYS)


def has_dizziness_rule(exercise: dict[str, Any]) -> bool:
    """True when a caution tells the patient to stop if they feel dizzy."""
    return any(c.startswith("Stop") and DIZZINESS_WORD in c for c in exercise.get("cautions", []))


def bare_dizziness_rule(caution: str) -> bool:
    """True when the caution is the head's dizziness stop rule and nothing else ("Stop if you feel
    dizzy.", "Stop and sit down if you feel dizzy.", "Stop and lie still if you feel dizzy. Get up
    slowly."): a dizziness caution with another reason names it ("dizzy or unsteady", "dizzy or
    tingly. Breathe normally …")."""
    return _BARE_RULE.fullmatch(caution.strip()) is not None


def safety_problems(exercise: dict[str, Any]) -> list[tuple[str, str]]:
    """The problems of a catalog file's safety rules, as (field, message) pairs: `moves_head`
    given as anything but true; an exercise that moves the head (moves_the_head) without the
    dizziness stop rule; one that does not move it carrying the bare rule (bare_dizziness_rule).

    Call it with a picture the drawing code accepts (schema.picture_problems found nothing)."""
    found = []
    if "moves_head" in exercise and exercise["moves_head"] is not True:
        found.append(
            (
                "moves_head",
                "give moves_head = true when the steps move the head and the picture does not show it; "
                "otherwise leave it out",
            )
        )
    cautions = [c for c in exercise.get("cautions", []) if isinstance(c, str)]
    if moves_the_head(exercise):
        if not has_dizziness_rule(exercise):
            found.append(("cautions", f"the exercise moves the head: add the caution “{DIZZINESS_RULE}”"))
    else:
        for n, caution in enumerate(cautions, start=1):
            if bare_dizziness_rule(caution):
                found.append(
                    (
                        f"cautions[{n}]",
                        f"“{caution}” is the stop rule for an exercise that moves the head, and nothing here "
                        "moves it: name the reason (the breath, the balance), leave it out, or give "
                        "moves_head = true if the steps move the head",
                    )
                )
    return found
