"""How a catalog exercise relates to a dystonia pattern (`[pattern]`) and its stage (`[retraining]`).

docs/catalog-format.md describes both tables; `catalog check` runs `pattern_problems` and
`retraining_problems` on every file.

A `[pattern]` table says one of:
- relation = "symmetric": the same for any pattern (breathing, the middle, both sides in turn);
- relation = "away" or "toward" with a `movement`: the exercise moves away from (or toward) the
  pull of that movement, so the side comes from the patient's pattern;
- relation = "limb": a one-sided arm, hand or leg exercise; the therapist picks left, right or both.
`avoid` lists the pattern components it must not be used for, each with the reason; an entry may
name one side of the pull only (`side`): a chin tuck is not for a head shifted back, yet is the
work for one shifted forward; an arm raise is not for a shoulder pulled up on the side it works.
`also` lists the other movements of the head the steps make on the way (a stretch that turns
the head and tips the chin down), relative to the exercise's side, so that each one is checked
against the pattern as the main movement is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from planner.dystonia.pattern import COMPONENTS, TRICK_PLACES
from planner.dystonia.sentences import DIRECTION_SENTENCES, LIMB_SENTENCES, TRICK_SENTENCES

# The body part a limb (or symmetric) exercise works (`[pattern] part`): the side sentence names it
# ("Do this with your left hand."); without it the sentence says "side".
# "easy_hand": mirror work for a hand dystonia, done with the other hand (direction.py, rule 9).
PARTS = ("hand", "arm", "leg", "shoulder", "easy_hand")

RELATIONS = {
    "symmetric": "The same for every pattern",
    "away": "Moves away from the pull",
    "toward": "Moves toward the pull",
    "limb": "One arm, hand or leg: left, right or both",
}


@dataclass(frozen=True)
class Movement:
    """A movement a direction-specific exercise is about.

    Sided movements (rotation, tilt, shoulder) take their side from the pattern; flexion and
    extension have one way only, so away from one is toward the other (`opposite`).
    """

    component: str
    sides: tuple[str, ...] = ()
    wordings: tuple[str, ...] = ()
    opposite: str = ""

    @property
    def sided(self) -> bool:
        return bool(self.sides)


MOVEMENTS: dict[str, Movement] = {
    "rotation": Movement("rotation", ("left", "right"), ("turn", "press_turn")),
    "tilt": Movement("tilt", ("left", "right"), ("tip", "press_tip", "stretch_tip")),
    "shoulder": Movement(
        "shoulder", ("left", "right", "both"), ("shoulder_down", "shoulder_down_in_turn", "stretch_shoulder")
    ),
    "flexion": Movement("flexion", opposite="extension"),
    "extension": Movement("extension", opposite="flexion"),
}

# The other focal areas an exercise may rule itself out for (`avoid`), as the pattern records them
# (pattern.AREAS): the name `avoid` uses, how the builder says it, and the recorded areas it
# matches. One hand or one leg matches as both do: an exercise that works the calf is not for a
# foot that pulls down, whichever foot it is.
AREA_AVOIDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "eyes_face": ("Eyes and face (blepharospasm)", ("eyes_face",)),
    "jaw_mouth": ("Jaw and mouth (oromandibular dystonia)", ("jaw_mouth",)),
    "voice": ("Voice (laryngeal dystonia)", ("voice",)),
    "hand_arm": ("Hand and arm (writer's cramp, focal hand dystonia)", ("hand_arm_left", "hand_arm_right")),
    "trunk": ("Trunk (axial dystonia)", ("trunk",)),
    "leg": ("Leg and foot (lower limb dystonia)", ("leg_left", "leg_right", "legs")),
}

# What `avoid` may name: a cervical or jaw component, a head tremor of any kind, or a focal area.
AVOIDABLE = (*COMPONENTS, "tremor", *AREA_AVOIDS)


# `side = "same"` on an `avoid` entry of a limb exercise, or of a direction-specific one whose
# movement has sides (rotation, tilt, shoulder): the pull on the side the item is set for, that is
# the side the limb works or the head turns or tips to (a tilt worked against the hand to the
# left works the muscles that lift the left shoulder).
SAME_SIDE = "same"


def avoid_words(avoid: Avoid) -> str:
    """What an `avoid` entry names, with its side when it has one: "Sagittal shift back",
    "Shoulder elevation on the side it works", "Head tremor"."""
    label = avoid_label(avoid.component)
    if avoid.side == SAME_SIDE:
        return f"{label} on the side it works"
    part = COMPONENTS.get(avoid.component)
    return f"{label} {part.sides[avoid.side]}" if part is not None and avoid.side in part.sides else label


def avoid_label(component: str) -> str:
    """What an `avoid` entry names, with its clinical term: "Rotation (torticollis)", "Head tremor",
    "Voice (laryngeal dystonia)"; the name itself when unknown."""
    if component == "tremor":
        return "Head tremor"
    if component in AREA_AVOIDS:
        return AREA_AVOIDS[component][0]
    return COMPONENTS[component].label if component in COMPONENTS else component


# Retraining in stages, as dystonia physiotherapy teaches it (J.-P. Bleton's progression, among
# others): control first where the pull is calmest, then upright without the help of a mirror or
# a sensory trick, then in the tasks of the day.
STAGES = {
    1: "Stage 1: control in a calm position (lying or supported; a mirror or a trick may help)",
    2: "Stage 2: sitting and standing, without the mirror or the trick",
    3: "Stage 3: daily tasks",
}
STAGE_SHORT = {1: "Calm position", 2: "Upright without aids", 3: "Daily tasks"}

REASON_MAX = 200

# What a symmetric picture's start may show off the middle (`[pattern] start_part`), and the
# recorded pulls that decide its side, in the order they decide (direction.py, rule 8).
START_PARTS = {"head": ("rotation", "tilt", "lateral_shift"), "jaw": ("jaw_deviation",)}

# The head movements `also` may name, and the ways a sided one goes relative to the item's side:
# "same" goes to the side set on the item (the way the head goes, or the shoulder worked),
# "other" to the opposite side. Flexion and extension go one way and take no `to`.
ALSO_MOVEMENTS = ("rotation", "tilt", "flexion", "extension")
ALSO_TO = ("same", "other")


@dataclass(frozen=True)
class Also:
    """Another head movement the steps make besides the main one (`[pattern] also`).

    `to` is "same" or "other" (relative to the item's side) for rotation and tilt, "" for
    flexion and extension, which go one way (flexion: chin down; extension: head back).
    """

    movement: str
    to: str = ""


@dataclass(frozen=True)
class Avoid:
    """A pattern component the exercise must not be used for, and why (for the therapist).

    `side`: "" for a pull of any side; one of the component's sides ("back" for a sagittal shift)
    for that side's pull only; SAME_SIDE (a limb exercise) for a pull on the side the item is set for.
    """

    component: str
    reason: str
    side: str = ""


@dataclass(frozen=True)
class ExerciseSpec:
    """An exercise's `[pattern]` table, read (an empty or missing table reads as symmetric)."""

    relation: str = "symmetric"
    movement: str = ""
    drawn: str = ""  # sided movements: the side the picture's motion goes to
    wording: str = ""  # which sentences of sentences.py name the side (sided movements; a limb's part or cheek)
    avoid: tuple[Avoid, ...] = ()
    also: tuple[Also, ...] = ()
    # symmetric: the side the picture's start is off the middle to (where a pull puts the head
    # before the patient brings it back); the picture is mirrored to the patient's own pull
    start: str = ""
    # what that start shows off the middle: "head" (the neck's pulls decide) or "jaw" (a recorded
    # lateral deviation of the jaw decides)
    start_part: str = "head"
    # the relation was written in the table: a custom exercise without one (read as symmetric)
    # keeps left / right / both, since nothing says both sides work the same way
    stated: bool = True
    # symmetric, moving the head both ways in turn on purpose (`[pattern] both_ways`): why it is
    # kept for any pattern, though half of each round goes toward a pull ("" when not marked)
    both_ways: str = ""
    # symmetric, using the patient's own sensory trick at this place (`[pattern] trick`, a key of
    # TRICK_SENTENCES: "chin"): the patient reads the side of it the recorded pattern gives
    trick: str = ""
    # with `trick`: where the picture's hand touches for a side of it the catalog does not draw
    # (`[pattern] trick_touch`: ("", "forehead"), the middle of a forehead-or-temple trick is the
    # forehead its sentence names, not the temple drawn); "" for the middle, in the file "middle"
    trick_touch: tuple[tuple[str, str], ...] = ()
    # symmetric, the steps use both hands together and the picture draws both (`[picture]
    # both_hands`, read from there: figure.spec.both_hands): no left or right side (direction rule 10)
    at_once: bool = False

    @property
    def directional(self) -> bool:
        return self.relation in ("away", "toward")

    @property
    def sided(self) -> bool:
        """A direction the builder must set: left or right (or both shoulders)."""
        return self.directional and MOVEMENTS[self.movement].sided

    @property
    def sides(self) -> tuple[str, ...]:
        """The sides a program item of this exercise may take ("" always allowed: none set)."""
        if self.sided:
            return MOVEMENTS[self.movement].sides
        if self.directional:
            return ()
        if self.relation == "symmetric" and self.stated:
            # Both sides work the same way (the steps turn one way, then the other), or the part it
            # names works with both at once ("Lift both shoulders", one hand holds while the other
            # buttons): a left or right side would tell the patient to use one side only
            # (direction rule 10).
            return ("both",)
        if self.wording == "easy_hand":
            # Mirror work moves one hand, the easy one: "both" names no hand to move (rule 9).
            return ("left", "right")
        return ("left", "right", "both")

    @property
    def says_side(self) -> bool:
        """Whether a side set on it is said to the patient: not on a symmetric exercise naming no
        part, whose steps work both sides (a "both" stored before offered_sides left it out)."""
        return not (self.relation == "symmetric" and self.stated and not self.wording)

    @property
    def offered_sides(self) -> tuple[str, ...]:
        """The sides the builder offers ("" always: none set): `sides`, but "both" on a symmetric
        exercise that names no part, where it says nothing its steps do not ("Do this with both
        sides." beside a doorway stretch that uses both forearms at once read as doing it twice).
        A side stored before is still read (`sides`), and prints nothing (Direction.says_side)."""
        return self.sides if self.says_side else ()


# The other movements (`also`) as the catalog page says them, for the therapist.
ALSO_WORDS = {
    ("rotation", "same"): "turn the head to the same side",
    ("rotation", "other"): "turn the head to the other side",
    ("tilt", "same"): "tip the head to the same side",
    ("tilt", "other"): "tip the head to the other side",
    ("flexion", ""): "bring the chin down",
    ("extension", ""): "tip the head back",
}


def describe(spec: ExerciseSpec) -> str:
    """How the exercise relates to a pattern, for the therapist's catalog page: its relation, then
    the other movements its steps make (each checked against the pattern too)."""
    if spec.directional:
        term = COMPONENTS[MOVEMENTS[spec.movement].component].label.lower()
        way = "away from" if spec.relation == "away" else "toward"
        if spec.sided:
            said = f"Moves {way} the pull of {term}: the side comes from the patient's pattern."
        else:
            said = f"Moves {way} the pull of {term}, one way only."
    else:
        said = RELATIONS[spec.relation] + "."
    if spec.both_ways:
        said += f" It moves both ways in turn, kept for every pattern: {spec.both_ways}"
    also = [ALSO_WORDS[(a.movement, a.to)] for a in spec.also if (a.movement, a.to) in ALSO_WORDS]
    if also:
        listed = also[0] if len(also) == 1 else ", ".join(also[:-1]) + " and " + also[-1]
        said += f" Its steps also {listed}; each is checked against the pattern."
    return said


def spec_of(table: Mapping[str, Any] | None, at_once: bool = False) -> ExerciseSpec:
    """The ExerciseSpec of a stored or parsed `[pattern]` table (assumed valid; see pattern_problems).

    at_once: the exercise's picture draws both hands (figure.spec.both_hands of its `[picture]`).
    """
    # Kept per process by the table written out (a spec holds nothing but the table's values and
    # cannot be changed): each page reads its exercises' specs afresh from newly loaded rows.
    key = repr((table, at_once))
    spec = _SPECS.get(key)
    if spec is None:
        spec = _read_spec(table or {}, at_once)
        if len(_SPECS) < _SPECS_MAX:
            _SPECS[key] = spec
    return spec


_SPECS: dict[str, ExerciseSpec] = {}
_SPECS_MAX = 4096  # a catalog has a few hundred tables, each a few hundred bytes


def _read_spec(table: Mapping[str, Any], at_once: bool = False) -> ExerciseSpec:
    relation = table.get("relation", "symmetric")
    movement = table.get("movement", "") if relation in ("away", "toward") else ""
    wording = table.get("wording", "")
    if movement in MOVEMENTS and MOVEMENTS[movement].sided and not wording:
        wording = MOVEMENTS[movement].wordings[0]
    part = table.get("part", "")
    if relation in ("limb", "symmetric") and part in PARTS and not wording:
        wording = part
    if relation == "limb" and not wording:
        wording = "limb"
    avoid = tuple(
        Avoid(a.get("with", ""), a.get("reason", ""), a.get("side", ""))
        for a in table.get("avoid", [])
        if isinstance(a, Mapping)
    )
    also = tuple(Also(a.get("movement", ""), a.get("to", "")) for a in table.get("also", []) if isinstance(a, Mapping))
    start = table.get("start", "") if relation == "symmetric" else ""
    start_part = table.get("start_part", "head") if start else "head"
    stated = "relation" in table
    both_ways = table.get("both_ways", "") if relation == "symmetric" else ""
    trick = table.get("trick", "") if relation == "symmetric" else ""
    touches = table.get("trick_touch", {}) if trick else {}
    trick_touch = tuple((TRICK_MIDDLE.get(side, side), touch) for side, touch in sorted(touches.items()))
    return ExerciseSpec(
        relation,
        movement,
        table.get("drawn", ""),
        wording,
        avoid,
        also,
        start,
        start_part,
        stated,
        both_ways,
        trick,
        trick_touch,
        at_once and relation == "symmetric",
    )


# `[pattern] trick_touch` names the middle (a trick side of "") "middle".
TRICK_MIDDLE = {"middle": ""}


def pattern_problems(table: Any) -> list[tuple[str, str]]:
    """Every problem of a `[pattern]` table, as (field, message) pairs; empty when it is right."""
    if not isinstance(table, Mapping):
        return [("pattern", 'must be a table: [pattern] with relation = "symmetric", "away", "toward" or "limb"')]
    known = {
        "relation",
        "movement",
        "drawn",
        "wording",
        "avoid",
        "also",
        "part",
        "start",
        "start_part",
        "both_ways",
        "trick",
        "trick_touch",
    }
    problems = [
        (f"pattern.{key}", f"unknown key; use {', '.join(sorted(known))}") for key in sorted(set(table) - known)
    ]
    relation = table.get("relation")
    if relation not in RELATIONS:
        return [*problems, ("pattern.relation", f"unknown value {relation!r}; use one of {', '.join(RELATIONS)}")]
    movement = table.get("movement")
    if relation in ("away", "toward"):
        if movement not in MOVEMENTS:
            problems.append(("pattern.movement", f"unknown value {movement!r}; use one of {', '.join(MOVEMENTS)}"))
        elif MOVEMENTS[movement].sided:
            problems += _sided_problems(table, MOVEMENTS[movement])
        else:
            for key in ("drawn", "wording"):
                if key in table:
                    problems.append((f"pattern.{key}", f"{movement} has one way only: leave out {key}"))
    else:
        for key in ("movement", "drawn"):
            if key in table:
                problems.append((f"pattern.{key}", f"only for relation “away” or “toward”, not “{relation}”"))
        if "wording" in table and (relation != "limb" or table["wording"] not in LIMB_SENTENCES):
            problems.append(("pattern.wording", f"a {relation} exercise takes no wording here"))
        if "part" in table and table["part"] not in PARTS:
            problems.append(("pattern.part", f"unknown value {table['part']!r}; use one of {', '.join(PARTS)}"))
        elif "part" in table and "wording" in table:
            problems.append(("pattern.part", "give the part or the wording, not both"))
    if "start" in table and relation != "symmetric":
        problems.append(("pattern.start", "only for a symmetric exercise whose picture starts off the middle"))
    elif "start" in table and table["start"] not in ("left", "right"):
        problems.append(("pattern.start", "say which side the picture's start is off to: “left” or “right”"))
    if "start_part" in table and "start" not in table:
        problems.append(("pattern.start_part", "only with `start`: what the picture's start shows off the middle"))
    elif "start_part" in table and table["start_part"] not in START_PARTS:
        problems.append(("pattern.start_part", f"use one of {', '.join(START_PARTS)}"))
    if "part" in table and relation in ("away", "toward"):
        problems.append(("pattern.part", "only for a limb or symmetric exercise: its direction line names the side"))
    sided = relation == "limb" or (
        relation in ("away", "toward") and movement in MOVEMENTS and MOVEMENTS[movement].sided
    )
    problems += _avoid_problems(table.get("avoid", []), relation, sided)
    if "both_ways" in table:
        problems += _both_ways_problems(table["both_ways"], relation)
    if "trick" in table and relation != "symmetric":
        problems.append(("pattern.trick", "only for a symmetric exercise that uses the patient's sensory trick"))
    elif "trick" in table and table["trick"] not in TRICK_SENTENCES:
        places = ", ".join(TRICK_SENTENCES)
        problems.append(("pattern.trick", f"unknown value {table['trick']!r}; use one of {places}"))
    if "trick_touch" in table:
        problems += _trick_touch_problems(table["trick_touch"], table.get("trick", ""))
    sided = relation in ("away", "toward") and movement in MOVEMENTS and MOVEMENTS[movement].sided
    problems += _also_problems(table.get("also", []), movement if relation in ("away", "toward") else "", sided)
    return problems


def _trick_touch_problems(touches: Any, trick: Any) -> list[tuple[str, str]]:
    """`[pattern] trick_touch`: with a known `trick`, a table from sides of its place ("middle" for
    none) to a place the picture's hand touches (schema.dystonia_problems checks it is one of the
    picture view's `touch` values)."""
    field = "pattern.trick_touch"
    if trick not in TRICK_SENTENCES or trick not in TRICK_PLACES:
        return [(field, "only with `trick`: where the hand touches for a side of the recorded trick")]
    if not isinstance(touches, Mapping) or not touches:
        return [(field, 'must be a table from a side to a touch, such as { middle = "forehead" }')]
    sides = {side or "middle" for side in TRICK_PLACES[trick].sides}
    problems = []
    for side, touch in touches.items():
        if side not in sides:
            problems.append(
                (f"{field}.{side}", f"not a side of this trick's place; use one of {', '.join(sorted(sides))}")
            )
        elif not isinstance(touch, str) or not touch:
            problems.append((f"{field}.{side}", "must name a `touch` of the picture's view, such as “forehead”"))
    return problems


def _also_problems(also: Any, main: Any, sided: bool) -> list[tuple[str, str]]:
    """Problems of `also`: each entry a head movement other than the main one; rotation and tilt
    say `to` ("same" or "other" side than the item's), which only a sided exercise has."""
    if not isinstance(also, list):
        return [("pattern.also", 'must be a list, such as [{ movement = "rotation", to = "other" }]')]
    problems = []
    seen = set()
    for n, entry in enumerate(also, start=1):
        where = f"pattern.also[{n}]"
        if not isinstance(entry, Mapping) or "movement" not in entry or set(entry) - {"movement", "to"}:
            problems.append((where, "give `movement`, and `to` for rotation or tilt"))
            continue
        what = entry["movement"]
        if what not in ALSO_MOVEMENTS:
            problems.append((f"{where}.movement", f"unknown value {what!r}; use one of {', '.join(ALSO_MOVEMENTS)}"))
            continue
        if what == main:
            problems.append((f"{where}.movement", f"“{what}” is the main movement: list only the others"))
        elif what in seen:
            problems.append((f"{where}.movement", f"“{what}” is listed twice"))
        seen.add(what)
        if what in ("flexion", "extension"):
            if "to" in entry:
                problems.append((f"{where}.to", f"{what} has one way only: leave out `to`"))
        elif not sided:
            problems.append(
                (f"{where}.movement", f"{what} needs a side: only a left/right exercise (rotation, tilt, shoulder)")
            )
        elif entry.get("to") not in ALSO_TO:
            problems.append(
                (f"{where}.to", "say which side it goes: “same” as the exercise's side or the “other” side")
            )
    return problems


def _sided_problems(table: Mapping[str, Any], movement: Movement) -> list[tuple[str, str]]:
    problems = []
    drawn = table.get("drawn")
    if drawn not in ("left", "right"):
        problems.append(("pattern.drawn", "say which way the picture's motion goes: “left” or “right”"))
    wording = table.get("wording", movement.wordings[0])
    if wording not in movement.wordings:
        problems.append(
            (
                "pattern.wording",
                f"unknown value {wording!r}; for {movement.component} use {', '.join(movement.wordings)}",
            )
        )
    elif wording not in DIRECTION_SENTENCES:
        problems.append(("pattern.wording", f"sentences.py has no sentences for {wording!r}"))
    return problems


def _both_ways_problems(reason: Any, relation: str) -> list[tuple[str, str]]:
    """`both_ways`: a symmetric exercise that moves the head both ways in turn on purpose says why."""
    if relation != "symmetric":
        return [("pattern.both_ways", "only for a symmetric exercise that moves both ways in turn")]
    if not isinstance(reason, str) or not reason.strip():
        return [("pattern.both_ways", "say why it is kept for every pattern, in a sentence")]
    if len(reason) > REASON_MAX:
        return [("pattern.both_ways", f"is too long: at most {REASON_MAX} characters")]
    return []


def _avoid_problems(avoid: Any, relation: Any, sided: bool) -> list[tuple[str, str]]:
    """`avoid`: its entries; `sided`: the exercise has a side of its own (a limb, or a movement
    with sides), which `side = "same"` refers to."""
    if not isinstance(avoid, list):
        return [("pattern.avoid", 'must be a list, such as [{ with = "flexion", reason = "…" }]')]
    problems = []
    seen = set()
    for n, entry in enumerate(avoid, start=1):
        where = f"pattern.avoid[{n}]"
        if not isinstance(entry, Mapping) or not {"with", "reason"} <= set(entry) <= {"with", "reason", "side"}:
            problems.append((where, "give `with` (a pattern component) and `reason`, and `side` if one side only"))
            continue
        if entry["with"] not in AVOIDABLE:
            problems.append((f"{where}.with", f"unknown value {entry['with']!r}; use one of {', '.join(AVOIDABLE)}"))
        elif entry["with"] in seen:
            problems.append((f"{where}.with", f"“{entry['with']}” is listed twice"))
        elif "side" in entry:
            problems += _avoid_side_problems(where, entry["with"], entry["side"], sided)
        seen.add(entry["with"])
        reason = entry["reason"]
        if not isinstance(reason, str) or not reason.strip():
            problems.append((f"{where}.reason", "say why, in a sentence"))
        elif len(reason) > REASON_MAX:
            problems.append((f"{where}.reason", f"is too long: at most {REASON_MAX} characters"))
    return problems


def _avoid_side_problems(where: str, component: str, side: Any, sided: bool) -> list[tuple[str, str]]:
    """`side` of an avoid entry: one of its component's sides, or "same" on an exercise with a side
    of its own (`sided`: a limb, or a rotation, tilt or shoulder exercise) for a component pulled
    to the left or right (the pull on the side the item is set for)."""
    sides = COMPONENTS[component].sides if component in COMPONENTS else {}
    if not sides:
        return [(f"{where}.side", f"“{component}” has no side: leave out `side`")]
    if side == SAME_SIDE:
        if not sided or not {"left", "right"} <= set(sides):
            return [(f"{where}.side", f"“same” is for {SAME_SIDE_FOR} and a pull to the left or right")]
        return []
    if side not in sides:
        return [(f"{where}.side", f"use one of {', '.join(sides)}, or “same” on {SAME_SIDE_FOR}")]
    return []


SAME_SIDE_FOR = "a limb exercise or a turn, tilt or shoulder exercise"


def retraining_problems(table: Any) -> list[tuple[str, str]]:
    """Every problem of a `[retraining]` table (one key, `stage`, 1..3)."""
    if not isinstance(table, Mapping):
        return [("retraining", "must be a table: [retraining] with stage = 1, 2 or 3")]
    problems = [(f"retraining.{key}", "unknown key; use stage") for key in sorted(set(table) - {"stage"})]
    stage = table.get("stage")
    if isinstance(stage, bool) or stage not in STAGES:
        problems.append(("retraining.stage", f"must be 1, 2 or 3 ({'; '.join(STAGE_SHORT.values())}), not {stage!r}"))
    return problems
