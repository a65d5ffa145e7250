"""How each retraining stage is said for the focal area a program works on.

The stages are the same everywhere (planner/dystonia/movement.py STAGES: 1 control where the
dystonia is calmest, 2 without the aids, 3 the tasks of the day), but what they mean differs by
area: a hand program's stage 2 is not "sitting and standing"; it is hand and finger movement
without the mirror or a pen. The builder and the catalog page say the stage in the words of the
area (therapist-facing, English), and in words that fit any area when the program spans several.

The area of a program: the patient's recorded pattern when it is of one area, else the patient's
condition tags when they name one; of a catalog exercise: its conditions when they name one.
"""

from __future__ import annotations

from collections.abc import Iterable

from planner.dystonia.movement import STAGES
from planner.dystonia.pattern import JAW, NECK, PatternData

# Per focal area, the label of each stage. "" is for a program of several areas or none known.
AREA_STAGES: dict[str, dict[int, str]] = {
    "neck": STAGES,
    "hand": {
        1: "Stage 1: feeling and control with the hand at rest (a mirror may help)",
        2: "Stage 2: hand and finger movement, without the mirror or a pen",
        3: "Stage 3: writing and daily hand tasks",
    },
    "eyes_face": {
        1: "Stage 1: a calm face, resting (a mirror or a trick may help)",
        2: "Stage 2: eye and face control, without the mirror or the trick",
        3: "Stage 3: daily tasks (reading, screens, going out)",
    },
    "jaw": {
        1: "Stage 1: jaw control at rest (a mirror or a trick may help)",
        2: "Stage 2: lips, tongue and jaw control, without the mirror or the trick",
        3: "Stage 3: daily tasks (speaking, eating and drinking)",
    },
    "voice": {
        1: "Stage 1: calm breathing and a relaxed throat",
        2: "Stage 2: an easy voice, in single sounds",
        3: "Stage 3: speaking in words, phrases and daily talk",
    },
    "trunk": {
        1: "Stage 1: trunk control lying or supported (a mirror may help)",
        2: "Stage 2: sitting and standing, without the mirror",
        3: "Stage 3: daily tasks (walking, reaching, bending)",
    },
    "leg": {
        1: "Stage 1: leg control lying or sitting",
        2: "Stage 2: standing and balance, without the mirror",
        3: "Stage 3: walking and daily tasks",
    },
    "": {
        1: "Stage 1: control where the dystonia is calmest (a mirror or a trick may help)",
        2: "Stage 2: control without the mirror or the trick",
        3: "Stage 3: daily tasks",
    },
}

# The recorded focal areas (pattern.AREAS) and the condition tags (vocabulary.CONDITIONS) of one area.
RECORDED_AREAS = {
    "eyes_face": "eyes_face",
    "jaw_mouth": "jaw",
    "voice": "voice",
    "hand_arm_left": "hand",
    "hand_arm_right": "hand",
    "trunk": "trunk",
    "leg_left": "leg",
    "leg_right": "leg",
    "legs": "leg",
}
CONDITION_AREAS = {
    "cervical_dystonia": "neck",
    "writers_cramp": "hand",
    "blepharospasm": "eyes_face",
    "oromandibular_dystonia": "jaw",
    "spasmodic_dysphonia": "voice",
}


def stage_label(stage: int, area: str) -> str:
    """The stage's label in the words of the focal area (AREA_STAGES' keys; "" for several or
    none known): "Stage 2: hand and finger movement, without the mirror or a pen"; "" for a
    stage that is not 1, 2 or 3."""
    return AREA_STAGES.get(area, AREA_STAGES[""]).get(stage, "")


def pattern_area(pattern: PatternData | None) -> str | None:
    """The one focal area the recorded pattern is of ("neck", "hand", …); "" when it is of
    several; None when none is recorded."""
    if pattern is None:
        return None
    found = {RECORDED_AREAS[a] for a in pattern.areas if a in RECORDED_AREAS}
    for pull in pattern.pulls:
        found.add("neck" if pull.component in NECK else "jaw" if pull.component in JAW else "")
    if pattern.tremor:
        found.add("neck")
    found.discard("")
    return _one(found)


def condition_area(conditions: Iterable[str]) -> str | None:
    """The one focal area the condition tags name; "" when they name several; None when none."""
    return _one({CONDITION_AREAS[c] for c in conditions if c in CONDITION_AREAS})


def _one(areas: set[str]) -> str | None:
    return None if not areas else next(iter(areas)) if len(areas) == 1 else ""
