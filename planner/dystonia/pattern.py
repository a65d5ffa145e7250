"""The patient's dystonia pattern: what pulls, to which side, and how strongly.

The cervical components are the standard ones of the clinical scales and of the Col-Cap
description of cervical dystonia (rotation, tilt, flexion, extension, lateral and sagittal shift,
shoulder elevation); the Toronto Western Spasmodic Torticollis Rating Scale (TWSTRS, Consky and
Lang 1994) grades the same components. Here each is graded 1 mild, 2 moderate, 3 severe: enough
to plan exercises, not a replacement for the scale (the scale's total is a measure of its own).
Other focal dystonias are recorded as the area they affect. Oromandibular (jaw) dystonia is
recorded by its types as well, as the neck's components are (jaw opening, jaw closing, lateral
deviation with its side, protrusion: the types of the oromandibular dystonia literature, such as
Tan and Jankovic 1999), each graded the same way, so an exercise can name one it must not be used
for. Grading a jaw type records the "Jaw and mouth" area with it. A sensory trick (geste
antagoniste) is recorded where it touches and on which side, dated with the rest.

Each component has a clinical term and a plain label; pages show both, side by side.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Component:
    """One component: its movement name, clinical term, plain label and possible sides."""

    name: str  # the movement: "Rotation"
    term: str  # the clinical term: "torticollis"
    plain: str  # what a patient would say: "The head turns to one side."
    sides: dict[str, str]  # side value -> words ("to the left"); empty when it has no side
    region: str = "neck"  # "neck" (cervical dystonia) or "jaw" (oromandibular dystonia)

    @property
    def label(self) -> str:
        """ "Rotation (torticollis)": the movement with its clinical term (once when they are the same)."""
        return self.name if self.term.lower() == self.name.lower() else f"{self.name} ({self.term})"


# The side of a pull is the way the head goes: for rotation the side the chin turns to, for
# tilt the shoulder the ear comes down to, for a shoulder the one that lifts.
LEFT_RIGHT = {"left": "to the left", "right": "to the right"}
COMPONENTS: dict[str, Component] = {
    "rotation": Component("Rotation", "torticollis", "The head turns to one side.", LEFT_RIGHT),
    "tilt": Component("Tilt", "laterocollis", "The ear is pulled down toward the shoulder.", LEFT_RIGHT),
    "flexion": Component("Flexion", "anterocollis", "The head is pulled forward and down.", {}),
    "extension": Component("Extension", "retrocollis", "The head is pulled back.", {}),
    "lateral_shift": Component(
        "Lateral shift", "lateral shift", "The head slides sideways over the trunk.", LEFT_RIGHT
    ),
    "sagittal_shift": Component(
        "Sagittal shift", "sagittal shift", "The head slides forward or back.", {"forward": "forward", "back": "back"}
    ),
    "shoulder": Component(
        "Shoulder elevation",
        "shoulder elevation",
        "A shoulder is pulled up toward the ear.",
        {"left": "on the left", "right": "on the right", "both": "on both sides"},
    ),
    # Oromandibular dystonia: the side of a deviation is the way the chin goes.
    "jaw_opening": Component("Jaw opening", "jaw-opening dystonia", "The mouth is pulled open.", {}, region="jaw"),
    "jaw_closing": Component(
        "Jaw closing", "jaw-closing dystonia", "The jaw clenches shut, or the teeth grind.", {}, region="jaw"
    ),
    "jaw_deviation": Component(
        "Jaw to one side", "lateral deviation", "The jaw is pulled to one side.", LEFT_RIGHT, region="jaw"
    ),
    "jaw_protrusion": Component("Jaw forward", "jaw protrusion", "The jaw is pushed forward.", {}, region="jaw"),
}
# The components by region, in the form's order.
NECK = {key: part for key, part in COMPONENTS.items() if part.region == "neck"}
JAW = {key: part for key, part in COMPONENTS.items() if part.region == "jaw"}

SEVERITIES = {1: "mild", 2: "moderate", 3: "severe"}

TREMORS = {
    "no_no": "Head tremor side to side (“no-no”)",
    "yes_yes": "Head tremor up and down (“yes-yes”)",
    "irregular": "Irregular or jerky head tremor",
}

# Other focal dystonias, by the area they affect (the clinical name in brackets).
AREAS = {
    "eyes_face": "Eyes and face (blepharospasm, Meige)",
    "jaw_mouth": "Jaw and mouth (oromandibular dystonia)",
    "voice": "Voice (laryngeal dystonia, spasmodic dysphonia)",
    "hand_arm_right": "Right hand and arm (writer's cramp, focal hand dystonia)",
    "hand_arm_left": "Left hand and arm (writer's cramp, focal hand dystonia)",
    "trunk": "Trunk (axial dystonia)",
    "leg_right": "Right leg (lower limb dystonia)",
    "leg_left": "Left leg (lower limb dystonia)",
    "legs": "Legs (lower limb dystonia)",
}

JAW_AREA = "jaw_mouth"  # the area the jaw's types detail


@dataclass(frozen=True)
class TrickPlace:
    """Where a sensory trick touches, and the sides it may be on ("" is the middle, or no side)."""

    label: str  # plain words: "Cheek"
    sides: tuple[str, ...]


# A sensory trick (geste antagoniste): a light touch, or something held in the mouth, that eases
# the pull for a while. Recorded where it touches and on which side of the patient's own body
# (their left cheek is "left"), so an exercise that uses it names that place (direction.py, rule 9).
TRICK_PLACES = {
    "chin": TrickPlace("Chin", ("", "left", "right")),
    "cheek": TrickPlace("Cheek", ("left", "right", "both")),
    "back_of_head": TrickPlace("Back of the head", ("", "left", "right")),
    "top_of_head": TrickPlace("Top of the head", ("",)),
    "forehead_temple": TrickPlace("Forehead or temple", ("", "left", "right", "both")),
    "mouth": TrickPlace("Something held in the mouth, like gum or a toothpick", ("",)),
    "other": TrickPlace("Another place, named in the note", ("", "left", "right", "both")),
}
TRICK_SIDES = {"": "Middle, or no side", "left": "Left side", "right": "Right side", "both": "Both sides"}
TRICK_TERM = "Sensory trick (geste antagoniste)"

NOTE_MAX = 1000


@dataclass(frozen=True)
class Pull:
    """One component of the pattern: where it pulls the head, and how strongly (1..3)."""

    component: str
    side: str
    severity: int

    def describe(self) -> str:
        """ "Rotation (torticollis) to the left, moderate"."""
        part = COMPONENTS[self.component]
        where = f" {part.sides[self.side]}" if self.side in part.sides else ""
        return f"{part.label}{where}, {SEVERITIES.get(self.severity, '')}"


@dataclass(frozen=True)
class PatternData:
    """A patient's pattern as recorded on one date (the row keeps the date and who recorded it)."""

    pulls: tuple[Pull, ...] = ()
    tremor: str = ""
    tremor_severity: int = 0
    areas: tuple[str, ...] = ()
    note: str = ""
    trick: str = ""  # where a sensory trick touches (TRICK_PLACES), "" when none is recorded
    trick_side: str = ""  # its side (TRICK_SIDES), "" for the middle or no side

    def pull(self, component: str) -> Pull | None:
        """The recorded pull of a component, or None when it is not part of the pattern."""
        return next((p for p in self.pulls if p.component == component), None)

    @property
    def empty(self) -> bool:
        return not (self.pulls or self.tremor or self.areas or self.note.strip() or self.trick)

    def trick_words(self) -> str:
        """ "Sensory trick (geste antagoniste): Cheek, left side"; "" when no trick is recorded."""
        if not self.trick:
            return ""
        side = f", {TRICK_SIDES[self.trick_side].lower()}" if self.trick_side else ""
        return f"{TRICK_TERM}: {TRICK_PLACES[self.trick].label}{side}"

    def describe(self) -> list[str]:
        """One line per recorded part, clinical term first with its side and grade: the neck's
        components, the tremor, then the other areas, the jaw's types right after "Jaw and mouth",
        then the sensory trick."""
        lines = [p.describe() for p in self.pulls if p.component in NECK]
        if self.tremor:
            lines.append(f"{TREMORS[self.tremor]}, {SEVERITIES.get(self.tremor_severity, '')}")
        jaw = [p.describe() for p in self.pulls if p.component in JAW]
        for area in self.areas:
            lines += [AREAS[area], *jaw] if area == JAW_AREA else [AREAS[area]]
        if JAW_AREA not in self.areas:
            lines += jaw
        return [*lines, self.trick_words()] if self.trick else lines

    def components_json(self) -> dict[str, dict[str, Any]]:
        """The pulls as stored: {"rotation": {"side": "left", "severity": 2}}."""
        return {p.component: {"side": p.side, "severity": p.severity} for p in self.pulls}


def from_stored(
    components: Mapping[str, Any] | None,
    tremor: str,
    tremor_severity: int | None,
    areas: Any,
    note: str,
    trick: str = "",
    trick_side: str = "",
) -> PatternData:
    """A PatternData from a stored row's columns; unknown keys (a future component, a place of a
    sensory trick this release does not know, a side its place does not take) are skipped."""
    place = TRICK_PLACES.get(trick or "")
    pulls = []
    for key in COMPONENTS:
        value = (components or {}).get(key)
        if isinstance(value, Mapping) and value.get("severity"):
            pulls.append(Pull(key, str(value.get("side") or ""), int(value["severity"])))
    return PatternData(
        pulls=tuple(pulls),
        tremor=tremor if tremor in TREMORS else "",
        tremor_severity=int(tremor_severity or 0),
        areas=tuple(
            a for a in AREAS if a in (areas or []) or (a == JAW_AREA and any(p.component in JAW for p in pulls))
        ),
        note=note or "",
        trick=trick if place is not None else "",
        trick_side=trick_side if place is not None and trick_side in place.sides else "",
    )


@dataclass
class PatternEntry:
    """What the form gives: per component a side and a grade (0 = not part of the pattern)."""

    sides: dict[str, str] = field(default_factory=dict)
    severities: dict[str, int] = field(default_factory=dict)
    tremor: str = ""
    tremor_severity: int = 0
    areas: list[str] = field(default_factory=list)
    note: str = ""
    trick: str = ""  # where a sensory trick touches (TRICK_PLACES); "" for none recorded
    trick_side: str = ""


def problems(entry: PatternEntry) -> list[PatternProblem]:
    """Every wrong field of the entry, in the form's order ([] when it is right): each names its
    field ("<component>_side", "<component>_severity", "tremor", "tremor_severity", "areas",
    "trick", "trick_side" or "note"), at most one a field, so the form can show them all at once."""
    found = []
    for key, part in COMPONENTS.items():
        grade = entry.severities.get(key) or 0
        side = entry.sides.get(key) or ""
        if grade not in (0, *SEVERITIES):
            found.append(PatternProblem(f"{part.label}: choose mild, moderate or severe.", f"{key}_severity"))
        elif not grade:
            if side:
                found.append(PatternProblem(f"{part.label}: choose how strong it is, or no side.", f"{key}_severity"))
        elif part.sides and side not in part.sides:
            found.append(PatternProblem(f"{part.label}: choose the side it pulls to.", f"{key}_side"))
        elif not part.sides and side:
            found.append(PatternProblem(f"{part.label} has no side.", f"{key}_side"))
    if entry.tremor and entry.tremor not in TREMORS:
        found.append(PatternProblem("Choose a kind of tremor from the list.", "tremor"))
    if entry.tremor and entry.tremor_severity not in SEVERITIES:
        found.append(PatternProblem("Tremor: choose mild, moderate or severe.", "tremor_severity"))
    if not entry.tremor and entry.tremor_severity:
        found.append(PatternProblem("Tremor: choose its kind, or no grade.", "tremor"))
    unknown = [a for a in entry.areas if a not in AREAS]
    if unknown:
        found.append(PatternProblem(f"Unknown area: {', '.join(unknown)}.", "areas"))
    found += _trick_problems(entry.trick, entry.trick_side)
    if len(entry.note) > NOTE_MAX:
        found.append(PatternProblem(f"The note is too long: at most {NOTE_MAX} characters.", "note"))
    return found


def _trick_problems(trick: str, side: str) -> list[PatternProblem]:
    """The sensory trick's field that is wrong: a place not in the list, a side without a place,
    or a side its place does not take (a cheek needs one; the top of the head has none)."""
    if side not in TRICK_SIDES:
        return [PatternProblem("Sensory trick: choose a side from the list.", "trick_side")]
    if not trick:
        return [PatternProblem("Sensory trick: choose where it touches, or no side.", "trick")] if side else []
    place = TRICK_PLACES.get(trick)
    if place is None:
        return [PatternProblem("Sensory trick: choose where it touches from the list.", "trick")]
    if side in place.sides:
        return []
    where = place.label.lower()
    if "" not in place.sides:
        said = f"Sensory trick: choose the side of the {where}."
    elif len(place.sides) == 1:
        said = f"Sensory trick: no side for “{place.label}”. Choose “{TRICK_SIDES['']}”."
    else:
        said = f"Sensory trick: the {where} is touched in the middle or on one side, not both."
    return [PatternProblem(said, "trick_side")]


def checked(entry: PatternEntry) -> PatternData:
    """The entry as a PatternData.

    :raise PatternProblem: for the first wrong field; its `problems` lists them all (`problems`).
    """
    found = problems(entry)
    if found:
        first = found[0]
        raise PatternProblem(first.message, first.field, found)
    pulls = [
        Pull(key, entry.sides.get(key) or "", entry.severities[key]) for key in COMPONENTS if entry.severities.get(key)
    ]
    return PatternData(
        pulls=tuple(pulls),
        tremor=entry.tremor,
        tremor_severity=entry.tremor_severity if entry.tremor else 0,
        # A graded jaw type is oromandibular dystonia: the area is recorded with it.
        areas=tuple(a for a in AREAS if a in entry.areas or (a == JAW_AREA and any(p.component in JAW for p in pulls))),
        note=entry.note.strip(),
        trick=entry.trick,
        trick_side=entry.trick_side if entry.trick else "",
    )


class PatternProblem(ValueError):
    """A field of the pattern is wrong; `field` names it for the form."""

    def __init__(self, message: str, field: str, problems: list[PatternProblem] | None = None) -> None:
        super().__init__(message)
        self.message, self.field = message, field
        self.problems = problems or [self]  # every wrong field of the entry, this one first
