"""From a patient's pattern and an exercise, the direction to prescribe, the picture, and warnings.

The rules, and where they come from (general principles of physiotherapy for cervical dystonia,
as taught for example in J.-P. Bleton's approach and summarised in the reviews of exercise for
cervical dystonia; the wording here is ours):

1. Train away from the pull: a direction-specific exercise moves the head to the side opposite
   the one the dystonia pulls it to ("away"). For Maria, whose head turns to the left, a turning
   exercise turns to the right.
2. Do not strengthen the muscles that pull: an exercise that works toward the pull, or that
   strengthens the pulling muscles (a neck-flexor press in anterocollis), is flagged; the
   catalog lists the patterns an exercise must not be used for (`avoid`), with the reason.
3. A shoulder that is pulled up is worked on its own side: it is kept low or stretched, so the
   side of a shoulder exercise is the side that lifts.
4. Flexion and extension have one way only: an exercise away from one is toward the other.
5. An item's side is the one the therapist set on it (an override: adding an exercise never
   stores the pattern's side, so a re-evaluation moves every item that follows the pattern), else the side the patient's current pattern gives (`resolve`): an exercise added before its
   movement was recorded follows the pattern once it is. Without either it has no side: it is
   "unset", no sentence names a way to move, the builder warns that the pattern is needed, and
   no handout can be printed, emailed or shared until a side is set (services/patterns.py).
6. A side saved by a release before migration 0019 may be the pattern's of its day stored as if chosen
   (migrations/versions/0019_review_stored_sides.py). Until the therapist confirms it, the
   builder shows it beside the pattern's side; where the two differ (it may train toward the
   pull) the item is held back, unset as in rule 5. Where they agree the patient reads that
   side as before, and a later re-evaluation that makes them differ holds it back then.

7. Every movement the steps make counts, not only the main one: a shoulder stretch that also
   turns the head and tips the chin down (`[pattern] also`) has each of those movements checked,
   at the side it goes for the item's side, and warns when one goes toward a recorded pull.

8. A symmetric exercise that brings the head back to the middle shows its start off the middle,
   where a pull puts it (`[pattern] start`, the side it is drawn off to). The picture is mirrored
   so the start shows the patient's own pull: a head pulled to the right is never drawn off to the
   left. Rotation decides, then tilt, then a lateral shift; for a picture of the jaw
   (`start_part = "jaw"`) a lateral deviation of the jaw; without a recorded side, the item's
   side, else as drawn. A recorded pattern with none of these sided pulls never shows the start
   turned: it starts in the pattern's own posture (a head pulled forward: the chin down; pulled
   back: tipped back; a jaw pulled open: the mouth a little open) or in the middle (`start_posture`,
   planner/catalog/figure/pattern_start.py). A head start shows only the sided pulls recorded: a
   head pulled only to tip starts tipped, not turned too ("tipped"), one only turned starts turned
   ("turned"), and one turned to one side and tipped to the other starts each to its own side
   ("crossed"; the picture is mirrored to the turn, so its tilt is drawn to the other side of it).
   Without a recorded pattern it is drawn as above.

9. A one-sided limb exercise (`relation = "limb"`) for a hand, an arm or a leg takes its side from a
   one-sided focal dystonia the pattern records there, as a direction does (rule 5): writer's
   cramp of the right hand gives "right", of both hands "both". The therapist may set another.
   A cheek touch (`wording = "cheek"`) takes the cheek of the sensory trick the pattern records
   (its place and side, dated with the pattern; recorded_trick_side). A limb exercise's
   steps use one side ("Hold a light weight in one hand", "the cheek named above"), so without a
   side it is unset as in rule 5: the builder warns and no handout leaves until one is set.
   Where two limbs do different things (`wording`: stand on one leg and lift the other foot), the
   side is the limb the exercise trains (SIDE_MEANS: the standing leg), and the recorded limb
   gives it where training that limb is the usual choice (LIMB_AREAS: balance on the affected leg
   with the chair held); where it depends on the patient (LIMB_ASKS: which foot leads up a step)
   the pattern gives none and the builder asks, saying why.
   Set for both, a one-sided exercise is done with each limb in turn ("Do this with each hand in
   turn.", sentences.IN_TURN), the picture showing one; a symmetric exercise that names its part
   works both at once ("Use both hands.") and its picture draws both (`[picture] both_hands`).
   Mirror work (`part = "easy_hand"`) is done by the other hand, whose reflection stands in for
   the hidden cramped one: writer's cramp of the right hand gives "left", and the patient reads
   "Move your left hand, the easy one."; both hands recorded give none (no easy hand), and it
   takes no "both" (ExerciseSpec.sides: "Move the easy hand." named none; one stored before is
   unset, so the builder asks for the hand). The rule is
   mirror therapy's (Ramachandran and Rogers-Ramachandran 1996, the mirror box; used for focal
   hand dystonia among sensory and motor retraining): the mirror stands at the midline, its glass
   facing the moving, easy hand, while the affected hand rests hidden behind it. So the side, the
   sentence and the picture all name the hand that moves, and the picture stands the mirror on
   that hand's thumb side, the midline (catalog/figure/hand.py).

10. A symmetric exercise (`relation = "symmetric"` written in its table) works both sides the same way:
   it takes no left or right side (ExerciseSpec.sides), only "both". So does one whose picture
   draws both hands at once (`[picture] both_hands`: hand-shake-out), which named one hand ("Do
   this with your left hand.") beside two, and one that names its part and uses both (shoulder
   rolls, buttoning: one hand holds, the other works), which read "Do this with your left
   shoulder." above "Lift both shoulders" (session 18). A left or right side stored on one before
   this rule prints no side sentence; the picture still follows it (mirrored for the left, and a
   start off the middle where no pull is recorded, rule 8). One that names no part is offered no
   side at all (ExerciseSpec.offered_sides): "Do this with both sides." beside a doorway stretch
   that uses both forearms at once read as doing it twice; a "both" stored before stays its side
   (a paper given with it still agrees) but is not said (Direction.says_side).

11. An exercise that uses the patient's own sensory trick at one place (`[pattern] trick`: the
   chin, the back of the head, the temple) names the side of that place the recorded trick gives
   ("Touch your chin on the left side, where your touch helps."), read from the pattern only
   (recorded_trick_side): a re-evaluation that moves the trick moves the sentence. The middle, or
   no side, needs no sentence where the steps say where to touch (the chin); a forehead-or-temple
   trick recorded in the middle is the forehead, which the temple's steps do not name: it has one.
   The picture shows the hand on that same side (TRICK_DRAWN: it is mirrored for a left trick),
   whatever side the pull puts the start on: a start off the middle (rule 8) that the trick's
   mirroring would put on the other side of the pull is drawn off to the other side instead
   (start posture OPPOSITE: "opposite turned"), so the head still starts where the pull puts it.
   Session 12: the chin touch had the hand on the side of the turn, not of the trick.
   Where the recorded side names a place the picture does not draw (the forehead of a trick
   recorded in the middle, beside a temple drawn), the exercise's `[pattern] trick_touch` says
   where the hand goes instead, read from that same recorded side (start posture "touch
   forehead", pattern_start.TOUCH). Session 13: "Use the middle of your forehead" had a picture of
   a hand at the right temple.

Rules 9 and 11's sides (limb_side, recorded_trick_side, side_means, needs_side_message) are in
planner/dystonia/limbs.py.

Pictures are drawn once, moving to the side named by `drawn`; a picture is mirrored when the
prescribed side is the other one. A limb (or symmetric) exercise is drawn for the right side
and mirrored for the left, as before (rule 8 for a symmetric start off the middle).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

from planner.catalog.figure.pattern_start import OPPOSITE, TOUCH
from planner.dystonia.limbs import (
    HAND_AREAS,
    LIMB_BASIS,
    LIMB_DRAWN,
    LIMB_PART,
    TRICK_DRAWN,
    limb_side,
    needs_side_message,
    recorded_trick_side,
    trick_at,
)
from planner.dystonia.movement import (
    AREA_AVOIDS,
    MOVEMENTS,
    SAME_SIDE,
    START_PARTS,
    Also,
    Avoid,
    ExerciseSpec,
    avoid_label,
    avoid_words,
)
from planner.dystonia.pattern import COMPONENTS, PatternData
from planner.dystonia.sentences import (
    NO_ONE_SIDE_LINE,
    NOT_SET,
    SIDE_NOT_SET,
    direction_sentence,
    limb_sentence,
    trick_sentence,
)

OTHER_SIDE = {"left": "right", "right": "left"}

# The kinds of warning the builder shows at an exercise.
CONTRAINDICATED = "contraindicated"
TOWARD_PULL = "toward_pull"
NEEDS_PATTERN = "needs_pattern"
NEEDS_SIDE = "needs_side"
CONFIRM_SIDE = "confirm_side"
OTHER_HAND = "other_hand"
# Not a warning: why an exercise that moves both ways in turn is kept for the recorded pull (a
# note, which holds nothing back).
KEPT = "kept"
# The kinds that flag an exercise for the therapist's check: until it is confirmed, printing,
# emailing and sharing ask first and the patient is told to wait (services/patterns.py). The one
# place this is decided: Warning.flagging, Direction.flagged and Direction.flags read it.
FLAGGING = frozenset({CONTRAINDICATED, TOWARD_PULL})
WARNING_KINDS = (CONTRAINDICATED, TOWARD_PULL, NEEDS_PATTERN, NEEDS_SIDE, CONFIRM_SIDE, OTHER_HAND, KEPT)


@dataclass(frozen=True)
class Warning:
    kind: str  # one of WARNING_KINDS
    message: str  # for the therapist

    @property
    def flagging(self) -> bool:
        """Whether it flags the exercise for the therapist's check (a kind in FLAGGING)."""
        return self.kind in FLAGGING


@dataclass(frozen=True)
class Direction:
    """What a program item prescribes about direction, and what the builder should say about it."""

    side: str  # as printed and drawn: "", left, right or both
    sentence: str  # the whole sentence naming it for the patient; "" when there is nothing to name
    mirrored: bool  # draw the picture mirrored
    source: str  # "pattern" (as the pattern gives), "therapist" (set otherwise), "" (no side)
    pattern_side: str  # the side the recorded pattern gives ("" when it gives none)
    warnings: tuple[Warning, ...] = ()
    sided: bool = False  # a direction-specific exercise whose side the pattern sets
    to_confirm: str = ""  # a side saved by an earlier release, not confirmed yet (rule 6)
    # rule 8: the posture a symmetric picture's start is drawn in instead of off to one side, when
    # the recorded pattern has no sided pull there ("" as drawn; pattern_start.POSTURES), and
    # rule 11's picture forms: OPPOSITE before it, "touch <place>" after it (pattern_start.start_in)
    start_posture: str = ""
    one_sided: bool = False  # a limb exercise: its steps use one side, which must be named (rule 9)
    # rule 9: what in the pattern a limb exercise's side comes from, for the builder to say so:
    # "trick" (the recorded sensory trick's cheek), "easy_hand" (the hand the pattern does not
    # record), "area" (the recorded focal dystonia of that limb); "" for any other exercise
    basis: str = ""
    # rule 11: the side of the recorded sensory trick an exercise using the trick at its place
    # names ("left", "right", "both"; "" for the middle, no side, or a trick elsewhere)
    trick_side: str = ""
    # rule 10: a side stored on a symmetric exercise that names no part ("both", no longer offered)
    # prints no side sentence: its steps already work both sides
    says_side: bool = True

    @property
    def flags(self) -> tuple[str, ...]:
        """The messages of the warnings that flag it for the therapist's check (Warning.flagging), in
        order: what the check page names and what a given version keeps ("flags")."""
        return tuple(w.message for w in self.warnings if w.flagging)

    @property
    def flagged(self) -> bool:
        """Whether the recorded pattern flags it (contraindicated, or toward the pull): the
        builder says it is held back, printing, emailing and sharing ask the therapist to confirm
        it, and until then the patient is told to wait."""
        return bool(self.flags)

    @property
    def held(self) -> bool:
        """A saved side to confirm that differs from the pattern's: held back until confirmed (rule 6)."""
        return bool(self.to_confirm) and not self.side

    @property
    def unset(self) -> bool:
        """A direction-specific or one-sided exercise with no side: what the patient would read
        names no way to move, or no hand, arm, leg or cheek to use (rules 5 and 9)."""
        return (self.sided or self.one_sided) and not self.side

    @property
    def waiting_words(self) -> str:
        """What the patient reads instead of an unset exercise (an English gettext message): the
        side to use for a one-sided exercise (SIDE_NOT_SET), else the way to move (NOT_SET)."""
        return SIDE_NOT_SET if self.one_sided else NOT_SET

    @property
    def one_side_drawn(self) -> bool:
        """Set for both sides while its picture draws one (sentences.ONE_SIDE_DRAWN): a shoulder
        exercise for both shoulders, whose words ask for both at once. A one-sided limb exercise
        set for both says "in turn" (sentences.IN_TURN): one limb at a time, as drawn; a trick
        tried on each side says it in its own sentence (sentences.NO_ONE_SIDE_LINE)."""
        return self.side == "both" and self.sided and self.sentence not in NO_ONE_SIDE_LINE

    @property
    def limb_side(self) -> str | None:
        """The side for the dosage's own side sentence (planner.dosage), None when this one names
        it or there is none to name (says_side)."""
        return None if self.sentence or not self.says_side else self.side


def pattern_side(spec: ExerciseSpec, pattern: PatternData | None) -> str:
    """The side the recorded pattern gives a sided exercise (rules 1, 3 and 5) or a one-sided limb
    exercise (rule 9); "" when none."""
    if spec.relation == "limb":
        return limb_side(spec, pattern)
    if not spec.sided or pattern is None:
        return ""
    pull = pattern.pull(MOVEMENTS[spec.movement].component)
    if pull is None:
        return ""
    if spec.movement == "shoulder":
        return pull.side  # rule 3: the shoulder that lifts is the one worked
    return OTHER_SIDE[pull.side] if spec.relation == "away" else pull.side


# Kept per process: a Direction depends on nothing but these values, all of them unchangeable (the
# builder resolves each item several times a view, each page afresh).
@functools.lru_cache(maxsize=4096)
def resolve(spec: ExerciseSpec, side: str, pattern: PatternData | None, to_confirm: bool = False) -> Direction:
    """The Direction of a program item: its exercise's spec, the side stored on the item, the pattern.

    `side` is the item's own (what the therapist chose); "" takes the side the pattern gives now
    (rule 5). Otherwise the pattern only checks it (warnings). `to_confirm`: the side was saved
    by an earlier release and is not confirmed yet (rule 6); it matters for sided movements only.
    The warnings include the other movements the steps make (rule 7).
    """
    direction = _resolve(spec, side, pattern, to_confirm)
    also = _also_toward(spec.also, direction.side, pattern)
    return replace(direction, warnings=direction.warnings + also) if also else direction


# How the builder says each other movement that goes toward a recorded pull (rule 7).
ALSO_SIDED = {
    "rotation": "Its steps also turn the head to the {side}: toward the pull of the {term}.",
    "tilt": "Its steps also tip the head to the {side}: toward the pull of the {term}.",
}
ALSO_ONE_WAY = {
    "flexion": "Its steps also bring the chin down: toward the pull of the {term}.",
    "extension": "Its steps also tip the head back: toward the pull of the {term}.",
}


def _also_toward(also: tuple[Also, ...], side: str, pattern: PatternData | None) -> tuple[Warning, ...]:
    """A TOWARD_PULL warning for each other movement (rule 7) that goes the way a recorded pull goes.

    `side` is the item's side as prescribed ("" when none: the sided movements cannot be placed).
    For "both" (both shoulders, one then the other) a sided movement goes both ways in turn.
    """
    if pattern is None:
        return ()
    found = []
    for move in also:
        pull = pattern.pull(move.movement)
        if pull is None:
            continue
        term = COMPONENTS[move.movement].label.lower()
        if move.movement in ALSO_ONE_WAY:
            found.append(Warning(TOWARD_PULL, ALSO_ONE_WAY[move.movement].format(term=term)))
            continue
        if side == "both":
            goes: tuple[str, ...] = ("left", "right")
        elif side in OTHER_SIDE:
            goes = (side if move.to == "same" else OTHER_SIDE[side],)
        else:
            goes = ()
        if pull.side in goes:
            found.append(Warning(TOWARD_PULL, ALSO_SIDED[move.movement].format(side=pull.side, term=term)))
    return tuple(found)


def _resolve(spec: ExerciseSpec, side: str, pattern: PatternData | None, to_confirm: bool) -> Direction:
    if not spec.directional:
        wording = spec.wording or "limb"
        proposed = limb_side(spec, pattern)  # rule 9
        stored = side
        own = side if side in spec.sides else ""  # rule 10: a symmetric exercise keeps no left or right
        side = own or proposed
        warnings = [
            *_contraindications(spec, pattern, side),
            *_other_hand(LIMB_PART.get(wording, wording), side, pattern),
        ]
        if not any(w.kind == CONTRAINDICATED for w in warnings):  # ruled out: not "kept" as well
            warnings += _kept_both_ways(spec, pattern)
        one_sided = spec.relation == "limb"
        if one_sided and not side:
            warnings.append(Warning(NEEDS_SIDE, needs_side_message(spec, pattern)))
        trick = recorded_trick_side(spec.trick, pattern)
        start_mirrored = _start_side(spec, stored, pattern) != spec.start if spec.start else False
        if trick in OTHER_SIDE:  # rule 11: the hand on the trick's side, the start still to the pull
            mirrored = trick != TRICK_DRAWN
        elif spec.start:
            mirrored = start_mirrored
        else:
            mirrored = (side or stored) == OTHER_SIDE[LIMB_DRAWN.get(wording, "right")]
        posture = _start_posture(spec, pattern)
        if spec.start and mirrored != start_mirrored and posture in SIDED_STARTS:
            posture = f"{OPPOSITE} {posture}".strip()
        touch = dict(spec.trick_touch).get(trick) if trick_at(spec.trick, pattern) else None
        if touch:  # rule 11: the hand where the sentence says, from the same recorded side
            posture = f"{posture} {TOUCH} {touch}".strip()
        return Direction(
            side=side,
            # The recorded trick at this exercise's place: its side, or the middle where that needs saying.
            sentence=(trick_sentence(spec.trick, trick) if trick_at(spec.trick, pattern) else "")
            or limb_sentence(wording, side, one_sided),
            mirrored=mirrored,
            source="therapist" if own else ("pattern" if side else ""),
            pattern_side=proposed,
            warnings=tuple(warnings),
            start_posture=posture,
            one_sided=one_sided,
            basis=LIMB_BASIS.get(spec.wording, "area") if one_sided else "",
            trick_side=trick,
            says_side=spec.says_side,
        )
    movement = MOVEMENTS[spec.movement]
    if not movement.sided:
        return _one_way(spec, pattern, list(_contraindications(spec, pattern, "")))

    proposed = pattern_side(spec, pattern)
    own = side if side in movement.sides else ""  # the therapist's choice, "" when none
    if own and to_confirm and own != proposed:
        return _held(own, proposed, list(_contraindications(spec, pattern, "")))
    side = own or proposed
    # An entry for the side it works (`side = "same"`) meets the pull on the side the head turns
    # or tips to, or the shoulder worked.
    warnings = list(_contraindications(spec, pattern, side))
    pull = pattern.pull(movement.component) if pattern is not None else None
    relation = _relation(spec, side, pull.side if pull else "")
    if pull is None and not side:
        term = COMPONENTS[movement.component].label.lower()
        warnings.append(
            Warning(
                NEEDS_PATTERN,
                f"Needs the {term} of the pattern, which is not recorded: record the pattern or choose the side.",
            )
            if pattern is None
            # Recorded without this pull: recording it again would not give a side, and a side
            # chosen here (left or right for a head pulled forward) has no pull to work against.
            else Warning(NEEDS_PATTERN, not_in_pattern(movement.component))
        )
    if relation == "toward" and spec.relation == "away":
        warnings.append(Warning(TOWARD_PULL, f"Trains toward the pull: the pattern gives {proposed}."))
    elif relation == "toward":
        warnings.append(Warning(TOWARD_PULL, "Trains toward the pull, as this exercise is meant to."))
    saved = own if own and to_confirm else ""  # rule 6: agrees with the pattern, still to confirm
    if saved:
        warnings.append(
            Warning(
                CONFIRM_SIDE,
                f"Side to confirm: saved as {saved} before this release, which stored the pattern's side as "
                f"if you chose it. The recorded pattern gives {saved} now too, so the patient reads {saved}. "
                f"Keep {saved}, or let the pattern decide.",
            )
        )
    return Direction(
        side=side,
        # No side: no sentence at all, never "away from the pull" without the side (rule 5).
        sentence=direction_sentence(spec.wording, side, relation) if side else "",
        mirrored=side in OTHER_SIDE and side != spec.drawn,
        # Who chose the side, not whether the values agree: a chosen side equal to the pattern's
        # is still the therapist's, and stays when the pattern changes.
        source="therapist" if own else ("pattern" if side else ""),
        pattern_side=proposed,
        warnings=tuple(warnings),
        sided=True,
        to_confirm=saved,
    )


# The neck's components no catalog movement works against (MOVEMENTS): a recorded one gets no
# exercise from the pattern, so the therapist is told plainly, with no promise.
UNTARGETED = tuple(
    c for c, part in COMPONENTS.items() if part.region == "neck" and c not in {m.component for m in MOVEMENTS.values()}
)


def untargeted(pattern: PatternData | None) -> list[str]:
    """What the builder and the template start say of each recorded pull no catalog exercise is
    made for (a lateral or sagittal shift); [] when there is none."""
    if pattern is None:
        return []
    return [
        f"No exercise in the catalog targets the recorded {COMPONENTS[c].label.lower()}: "
        "add your own exercise for it if the patient needs one."
        for c in UNTARGETED
        if pattern.pull(c) is not None
    ]


def uncovered(pattern: PatternData | None, items: list[tuple[ExerciseSpec, Direction]]) -> list[str]:
    """What the builder and the template start say of each recorded neck pull (rotation, tilt,
    flexion, extension, shoulder elevation) that no exercise of the program works against, as
    prescribed: `items` are (spec, direction) pairs. An exercise works against a pull when it moves
    away from it (a side set toward the pull does not count) and the pattern does not rule it out.
    [] when every recorded pull has one, or no pattern is recorded. Trial 11: a retrocollis whose
    head curl was left out for a backward shift had to be said, never left silent."""
    if pattern is None:
        return []
    against = set()
    for spec, direction in items:
        if not spec.directional or any(w.kind in FLAGGING for w in direction.warnings):
            continue
        movement = MOVEMENTS[spec.movement]
        against.add(movement.component if spec.relation == "away" else movement.opposite)
    return [
        f"Nothing in the program works against the recorded {COMPONENTS[c].label.lower()}: "
        "add an exercise for it, or note why not."
        for c in dict.fromkeys(m.component for m in MOVEMENTS.values())
        if pattern.pull(c) is not None and c not in against
    ]


def not_in_pattern(component: str) -> str:
    """What the builder says of a direction-specific exercise whose movement the recorded pattern
    does not have (an exercise against a turning pull, for a head pulled forward)."""
    term = COMPONENTS[component].label.lower()
    return f"Made for a pull of {term}, which the recorded pattern does not have. Remove it, or record that pull."


def _start_side(spec: ExerciseSpec, side: str, pattern: PatternData | None) -> str:
    """Rule 8: the side a symmetric picture's start is off the middle to: where the patient's own
    pull puts the head (rotation, else tilt, else a lateral shift) or, for a picture of the jaw, a
    lateral deviation puts the jaw; else the item's side, else as drawn."""
    for component in START_PARTS[spec.start_part]:
        pull = pattern.pull(component) if pattern is not None else None
        if pull is not None and pull.side in OTHER_SIDE:
            return pull.side
    return side if side in OTHER_SIDE else spec.start


# A start part's pulls that have no side, in order, with the posture the picture starts in.
OWN_POSTURES = {"head": (("flexion", "flexion"), ("extension", "extension")), "jaw": (("jaw_opening", "jaw_open"),)}


# The start postures that draw the start off to one side (pattern_start), which OPPOSITE may put on
# the other side of the picture when it is mirrored to the trick's hand, not to the pull.
SIDED_STARTS = ("", "turned", "tipped", "crossed")


# A head start whose recorded sided pulls are only these: the start shows only that part of it.
ONLY_SIDED = {frozenset({"rotation"}): "turned", frozenset({"tilt"}): "tipped"}


def _start_posture(spec: ExerciseSpec, pattern: PatternData | None) -> str:
    """Rule 8: the posture a picture that starts off the middle starts in ("" to draw it as drawn,
    mirrored as rule 8 says). With sided pulls recorded, only the ones recorded show: a head
    pulled only to tip starts tipped, not turned too ("tipped"; only turned: "turned"); one turned
    to one side and tipped to the other starts so ("crossed": turned right, the left ear down),
    never tipped to the side of the turn. Without one, the pattern's own posture (a pull forward: the chin down), else the middle."""
    if not spec.start or pattern is None:
        return ""
    sided = {
        c for c in START_PARTS[spec.start_part] if (pull := pattern.pull(c)) is not None and pull.side in OTHER_SIDE
    }
    if sided and spec.start_part == "head" and {"rotation", "tilt"} <= sided:
        # Turned and tipped: to one side (as drawn, mirrored to the turn), or each to its own side.
        turn, tilt = pattern.pull("rotation"), pattern.pull("tilt")
        return "crossed" if turn and tilt and turn.side != tilt.side else ""
    if sided:
        return ONLY_SIDED.get(frozenset(sided & {"rotation", "tilt"}), "") if spec.start_part == "head" else ""
    return next((posture for c, posture in OWN_POSTURES[spec.start_part] if pattern.pull(c)), "middle")


def _held(saved: str, proposed: str, warnings: list[Warning]) -> Direction:
    """Rule 6: a saved side no one has confirmed. Unset for the patient; the builder names both sides."""
    gives = f"the recorded pattern gives {proposed} now" if proposed else "the recorded pattern gives no side now"
    warnings.append(
        Warning(
            CONFIRM_SIDE,
            f"Side to confirm: saved as {saved} before this release, which stored the pattern's side as if "
            f"you chose it; {gives}. Keep {saved}, or let the pattern decide.",
        )
    )
    return Direction(
        side="",
        sentence="",
        mirrored=False,
        source="",
        pattern_side=proposed,
        warnings=tuple(warnings),
        sided=True,
        to_confirm=saved,
    )


def _relation(spec: ExerciseSpec, side: str, pull_side: str) -> str:
    """ "away" or "toward" the recorded pull for the side set; "" without a pull or a side."""
    if not side or not pull_side:
        return ""
    if spec.movement == "shoulder":
        # The lifted shoulder worked low is away from the pull; the other shoulder is not about it.
        return spec.relation if side in (pull_side, "both") or pull_side == "both" else ""
    return "toward" if side == pull_side else "away"


def _one_way(spec: ExerciseSpec, pattern: PatternData | None, warnings: list[Warning]) -> Direction:
    """Flexion and extension (rule 4): no side; toward the pull when the pattern pulls the way it works."""
    movement = MOVEMENTS[spec.movement]
    works = movement.component if spec.relation == "toward" else movement.opposite
    if pattern is not None and pattern.pull(works) is not None:
        term = COMPONENTS[works].label.lower()
        warnings.append(Warning(TOWARD_PULL, f"Trains toward the pull: it works the way of the {term}."))
    return Direction(side="", sentence="", mirrored=False, source="", pattern_side="", warnings=tuple(warnings))


# The recorded pulls an exercise kept both ways (`both_ways`) may move toward: the head's, the trunk.
BOTH_WAYS_PULLS = ("rotation", "tilt", "flexion", "extension")


def _kept_both_ways(spec: ExerciseSpec, pattern: PatternData | None) -> list[Warning]:
    """A KEPT note for an exercise that moves both ways in turn on purpose (`both_ways`), when the
    pattern records a pull of the head or the trunk: one way may go with it, so the therapist
    reads why it is kept (the catalog's reason), as an exercise left out says why it is."""
    if pattern is None or not spec.both_ways:
        return []
    if not any(pattern.pull(c) is not None for c in BOTH_WAYS_PULLS) and "trunk" not in pattern.areas:
        return []
    return [Warning(KEPT, f"Moves both ways in turn; kept for every pattern: {spec.both_ways}")]


def _other_hand(part: str, side: str, pattern: PatternData | None) -> list[Warning]:
    """A note when a hand or arm exercise is set for one side and the pattern records only the other
    hand (writer's cramp): the therapist may mean it (mirror work), so it is said, not refused."""
    if pattern is None or part not in ("hand", "arm", "easy_hand") or side not in HAND_AREAS:
        return []
    # The hand the pattern records alone: mirror work set for it (that hand would move, not hide),
    # or another hand or arm exercise set for the other one.
    cramped = side if part == "easy_hand" else OTHER_SIDE[side]
    if HAND_AREAS[cramped] not in pattern.areas or HAND_AREAS[OTHER_SIDE[cramped]] in pattern.areas:
        return []
    said = (
        f"mirror work moves the easy hand, and this is set for the {side} hand."
        if part == "easy_hand"
        else f"this is set for the {side} {part}."
    )
    return [Warning(OTHER_HAND, f"The recorded pattern has the {cramped} hand and arm (writer's cramp); {said}")]


# How the builder names the side a direction-specific exercise works, for an `avoid` entry on it
# (`side = "same"`): "Not for shoulder elevation on the left, the side it tips the head to: …".
SAME_SIDE_WORDS = {
    "rotation": "the side it turns the head to",
    "tilt": "the side it tips the head to",
    "shoulder": "the shoulder it works",
}


def _contraindications(spec: ExerciseSpec, pattern: PatternData | None, side: str) -> list[Warning]:
    """Rule 2: the catalog's `avoid` entries that the recorded pattern has: a neck or jaw
    component (of the side the entry names, if it names one), a head tremor, or a focal area
    (eyes and face, voice, a hand, the trunk, a leg). `side` is the item's, for an entry on the
    side the exercise works (`side = "same"`): "" matches none (the item waits for its side)."""
    if pattern is None:
        return []
    found = []
    for avoid in spec.avoid:
        if not _recorded(avoid, pattern, side):
            continue
        said = avoid_label(avoid.component).lower()
        if avoid.side == SAME_SIDE:  # where the pull and the item's side meet
            pull = pattern.pull(avoid.component)
            meet = side if pull is None or pull.side == "both" else pull.side
            where = SAME_SIDE_WORDS.get(spec.movement, "where it works") if spec.directional else "where it works"
            said = f"{said} {COMPONENTS[avoid.component].sides.get(meet, '')}, {where}"
        elif avoid.side:
            said = avoid_words(avoid).lower()
        found.append(Warning(CONTRAINDICATED, f"Not for {said}: {avoid.reason}"))
    return found


def _recorded(avoid: Avoid, pattern: PatternData, side: str) -> bool:
    """Whether the pattern has what an `avoid` entry names (on the item's `side`, for SAME_SIDE)."""
    if avoid.component == "tremor":
        return bool(pattern.tremor)
    if avoid.component in AREA_AVOIDS:
        return any(area in pattern.areas for area in AREA_AVOIDS[avoid.component][1])
    pull = pattern.pull(avoid.component)
    if pull is None:
        return False
    if avoid.side == SAME_SIDE:
        return bool(side) and (pull.side == side or "both" in (pull.side, side))
    return not avoid.side or pull.side == avoid.side
