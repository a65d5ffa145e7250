"""A picture moves as far as its steps say, and puts the hands where the steps put them.

"Lift one foot a few inches", "lift both arms a little", "just off the floor": a therapist
reads the end picture as the size of the movement, so a foot lifted to a table top teaches a
bigger lift than the steps ask. Measured on the placed joints (model units, about cm, y up).
"""

from __future__ import annotations

import tomllib

import pytest

from planner.catalog.figure import side_pose
from planner.catalog.figure.spec import normalize
from planner.config import ROOT


def _joints(slug: str) -> tuple[dict, dict]:
    """The placed joints of the start and end poses of a side-view picture."""
    data = tomllib.loads((ROOT / "exercises" / f"{slug}.toml").read_text(encoding="utf-8"))
    pic = normalize(data["picture"])
    assert pic.view == "side"
    end = {**pic.end, "base": pic.end.get("base", pic.start.get("base", "standing"))}
    start, last = (side_pose.place(pose, False, 0.0).joints for pose in (pic.start, end))
    return start, last


def _lowest_of_foot(joints: dict, side: str) -> float:
    return min(joints[f"{part}_{side}"][1] for part in ("heel", "ankle", "toe"))


# (exercise, the limb that lifts, what the steps say, the rise allowed in cm). Before: the march and
# the dead bug lifted the foot 38 cm (the thigh straight up, a table top); the arms lying on the
# stomach rose 31 cm (30 degrees).
SMALL_LIFTS = [
    ("bent-knee-march-lying", "foot_r", "lift one foot a few inches off the bed", (5, 13)),
    ("dead-bug-easy", "foot_l", "lift the other foot a few inches", (5, 13)),
    ("prone-arm-lift-sides", "hand_r", "Lift both arms a little toward the ceiling", (5, 16)),
    ("prone-y-lift", "hand_r", "Lift both arms a little off the bed", (5, 18)),
    ("single-leg-stand-chair", "foot_r", "lift the other foot just off the floor", (3, 10)),
]


@pytest.mark.parametrize(("slug", "limb", "said", "allowed"), SMALL_LIFTS)
def test_a_small_lift_in_the_steps_is_a_small_lift_in_the_picture(slug, limb, said, allowed):
    data = tomllib.loads((ROOT / "exercises" / f"{slug}.toml").read_text(encoding="utf-8"))
    assert said in " ".join(data["steps"])  # the table reads the steps as they are
    start, end = _joints(slug)
    part, side = limb.split("_")
    if part == "foot":
        before, after = _lowest_of_foot(start, side), _lowest_of_foot(end, side)
    else:
        before, after = start[limb][1], end[limb][1]
    low, high = allowed
    assert low <= after - before <= high, f"{limb} rises {after - before:.1f} cm"


def test_the_sitting_pelvic_tilt_keeps_the_hands_on_the_hips():
    """ "Put your hands on your hips", then roll the hips back and forward: the hands had lain on
    the thighs, 22 cm in front of the hip. Now each hand rests at the waist, just in front of the
    hip, with the elbow back, in the slump and in the middle."""
    for joints in _joints("pelvic-tilt-neutral-sitting"):
        hip = joints["hip"]
        for side in "rl":
            hand, elbow = joints[f"hand_{side}"], joints[f"elbow_{side}"]
            assert abs(hand[0] - hip[0]) <= 16 and 10 <= hand[1] - hip[1] <= 25, hand
            assert elbow[0] < hip[0] - 10, elbow  # the elbow back, not forward over the lap
