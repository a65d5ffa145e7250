"""One-sided exercises and the patient's own sensory trick: which side the recorded pattern gives
a hand, arm or leg exercise, a cheek touch or mirror work (rule 9 of planner/dystonia/direction.py),
which side of a trick's place it names (rule 11), what that side means for the builder, and what
the builder says when none is set. The rules themselves are told in direction.py's docstring.
"""

from __future__ import annotations

from planner.dystonia.movement import ExerciseSpec
from planner.dystonia.pattern import TRICK_PLACES, PatternData

# A hand or arm exercise set for one side while the pattern records the other hand's dystonia.
HAND_AREAS = {"left": "hand_arm_left", "right": "hand_arm_right"}


# The focal areas that give a one-sided limb exercise its side (rule 9), by the part it works:
# (the left one, the right one).
HAND_ARM = ("hand_arm_left", "hand_arm_right")
LEG = ("leg_left", "leg_right")
LIMB_AREAS = {
    "hand": HAND_ARM,
    "arm": HAND_ARM,
    "leg": LEG,
    # Two limbs with different jobs (sentences.LIMB_SENTENCES): the side is the limb trained
    # (SIDE_MEANS), and the recorded one is trained where that is the usual clinical choice:
    # balance on the affected leg with the chair held (lift_foot: the standing leg), the affected
    # calf stretched, the affected arm relaxed in a swing or helped along by the other, the
    # affected hand's thumb and forearm stretched, the affected leg on top worked lying down.
    "lift_foot": LEG,
    "back_leg": LEG,
    "top_leg": LEG,
    "swing_arm": HAND_ARM,
    "helped_arm": HAND_ARM,
    "stretch_thumb": HAND_ARM,
}

# Two-limb exercises whose side the catalog does not pick from a recorded leg dystonia: the
# therapist chooses (the builder asks, saying why), as the usual choice depends on the patient.
LIMB_ASKS = {
    # Stairs are led up with the easier leg for safety, yet leading with the affected one trains it.
    "lead_foot": (LEG, "Many lead up with the easier leg for safety; leading with the affected leg trains it."),
    # Strengthening may work the very muscles that pull: only the therapist's exam says.
    "lift_leg": (LEG, "Lifting strengthens the hip and thigh, which may be the muscles that pull."),
    # Stretch the hip front only where it is tight or overactive.
    "hang_leg": (LEG, "Stretch the hip front of the leg where it is tight, which the pattern does not say."),
}

# What a one-sided exercise's side means, for the builder's side field ("Side: the standing leg"):
# the limb the exercise trains, which the patient's sentence names first.
SIDE_MEANS = {
    "hand": "the hand that works",
    "arm": "the arm that works",
    "leg": "the leg that works",
    "limb": "the side that works",
    "shoulder": "the shoulder that works",
    "easy_hand": "the hand that moves (the easy one)",
    "cheek": "the cheek touched",
    "lift_foot": "the standing leg",
    "lead_foot": "the foot that steps up first",
    "lift_leg": "the leg that lifts",
    "hang_leg": "the leg that hangs (stretched)",
    "back_leg": "the back leg (its calf is stretched)",
    "top_leg": "the top leg (the patient lies on the other side)",
    "swing_arm": "the arm that swings",
    "helped_arm": "the arm that is helped",
    "stretch_thumb": "the hand that is stretched",
}

# The side the picture shows for a two-limb exercise drawn otherwise than the right limb working:
# the one-leg stand lifts the right foot, so it stands on the left leg.
LIMB_DRAWN = {"lift_foot": "left"}

# The plain part a two-limb wording works, for the other-hand note (_other_hand).
LIMB_PART = {"stretch_thumb": "hand", "helped_arm": "arm", "swing_arm": "arm"}


def side_means(spec: ExerciseSpec) -> str:
    """What a one-sided limb exercise's side names, in the therapist's words ("the standing leg");
    "" for any other exercise."""
    if spec.relation != "limb":
        return ""
    return SIDE_MEANS.get(spec.wording or "limb", SIDE_MEANS["limb"])


def limb_side(spec: ExerciseSpec, pattern: PatternData | None) -> str:
    """Rule 9: the side a one-sided limb exercise takes from the recorded focal areas: "left",
    "right", "both" (both recorded), or "" (none recorded for its part, or not a limb exercise).
    A cheek touch takes the cheek of the recorded sensory trick."""
    if pattern is None or spec.relation != "limb":
        return ""
    if spec.wording == "cheek":
        return recorded_trick_side("cheek", pattern)  # the cheek of the recorded sensory trick
    if spec.wording not in (*LIMB_AREAS, "easy_hand"):
        return ""
    if spec.wording == "easy_hand":
        # Mirror work moves the easy hand while the cramped one hides behind the mirror: the other
        # side of a one-sided hand dystonia; none when both hands are recorded (no easy hand).
        left, right = HAND_AREAS["left"] in pattern.areas, HAND_AREAS["right"] in pattern.areas
        return "" if left == right else "right" if left else "left"
    left_area, right_area = LIMB_AREAS[spec.wording]
    left, right = left_area in pattern.areas, right_area in pattern.areas
    return "both" if left and right else "left" if left else "right" if right else ""


def trick_at(place: str, pattern: PatternData | None) -> bool:
    """The recorded sensory trick touches at `place` ("chin", "cheek"); False for no place, or a
    trick recorded elsewhere or none."""
    return pattern is not None and bool(place) and pattern.trick == place


def recorded_trick_side(place: str, pattern: PatternData | None) -> str:
    """The side of the recorded sensory trick at `place` ("chin", "cheek"): "left", "right" or
    "both"; "" for the middle or no side, a trick recorded elsewhere or none (trick_at), and no
    place. The one reader of the trick's side: a cheek touch's cheek (rule 9) and the side an
    exercise using the trick at its own place names (rule 11) both come from here, and from the
    pattern only (the item stores no copy), so a re-evaluation that moves the trick moves them."""
    if pattern is None or not trick_at(place, pattern):
        return ""
    return pattern.trick_side


# Rule 11: the side the catalog draws a sensory trick's touch on (the right hand: `chin_r`,
# `temple_r`, the right side of the back of the head); the picture is mirrored for a left trick.
TRICK_DRAWN = "right"

# What a one-sided exercise's side comes from in the pattern (Direction.basis), by its wording.
LIMB_BASIS = {"cheek": "trick", "easy_hand": "easy_hand"}

# What the builder says at a one-sided exercise with no side (rule 9).
NEEDS_SIDE_MESSAGE = "Its steps use one side, and none is set: choose left, right or both."


def needs_side_message(spec: ExerciseSpec, pattern: PatternData | None) -> str:
    """What the builder says at a one-sided exercise with no side: NEEDS_SIDE_MESSAGE; for a cheek
    touch under a recorded pattern, also where the recorded sensory trick is (or that none is), so
    the therapist knows to record the cheek or that the patient's trick is another one."""
    if spec.wording == "easy_hand" and pattern is not None:
        # Mirror work moves the easy hand: with no one hand recorded there is none to name.
        both = all(area in pattern.areas for area in HAND_AREAS.values())
        recorded = "both hands" if both else "no hand dystonia"
        return f"Mirror work moves the easy hand, and the recorded pattern has {recorded}: choose the hand that moves."
    if spec.wording in LIMB_ASKS and pattern is not None:
        (left_area, right_area), why = LIMB_ASKS[spec.wording]
        legs = [side for side, area in (("left", left_area), ("right", right_area)) if area in pattern.areas]
        if legs:
            limb = " and ".join(legs)
            return (
                f"{NEEDS_SIDE_MESSAGE} The pattern records the {limb} leg; the catalog does not choose "
                f"{SIDE_MEANS[spec.wording]} from it. {why}"
            )
    if spec.wording != "cheek" or pattern is None:
        return NEEDS_SIDE_MESSAGE
    if not pattern.trick:
        return (
            f"{NEEDS_SIDE_MESSAGE} No sensory trick is recorded in the pattern: record its cheek there, or choose here."
        )
    place = TRICK_PLACES[pattern.trick].label.lower()
    return f"{NEEDS_SIDE_MESSAGE} The recorded sensory trick is not on a cheek ({place}): is this the right trick?"
