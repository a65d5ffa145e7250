"""The seated turn with a reach: the arm reads as held out in front, then reaching across the body.

trunk-turn-reach-sitting: "Lift one arm forward to shoulder height. Reach it across your body
toward the other side. Let your chest turn. Follow your hand with your eyes." Seen from the
front, the arm held out at the viewer was a small fist by the shoulder (a hand resting there), and
the reach across ended at the far shoulder, which reads as hugging it (a different stretch).
Read on the placed front-view poses and the drawn, mirrored picture (model units, about cm).
"""

from __future__ import annotations

import tomllib

import pytest

from planner.catalog.figure import build_shapes, front, front_pose
from planner.catalog.figure.body import FOREARM, UPPER_ARM
from planner.catalog.figure.shapes import INK
from planner.catalog.figure.spec import normalize
from planner.config import ROOT

SLUG = "trunk-turn-reach-sitting"


def _exercise() -> dict:
    return tomllib.loads((ROOT / "exercises" / f"{SLUG}.toml").read_text(encoding="utf-8"))


def _placed() -> tuple[front_pose.Placed, front_pose.Placed]:
    pic = normalize(_exercise()["picture"])
    return front_pose.place(pic.start), front_pose.place({**pic.start, **pic.end})


def test_the_steps_are_those_the_picture_is_read_against():
    steps = " ".join(_exercise()["steps"])
    assert "Lift one arm forward to shoulder height." in steps
    assert "Reach it across your body toward the other side." in steps
    assert "Follow your hand with your eyes." in steps


def test_the_arm_held_out_in_front_ends_in_a_fist_drawn_nearer_the_reader():
    """A fist at the end of an arm pointing at the viewer is drawn larger than one held by the body."""
    start, _ = _placed()
    assert front_pose.toward_viewer(start.pose.angles, "r") > 0.9
    fists = [s for s in front.draw(start, [], {"back": [], "mid": [], "over": [], "front": []}) if s.kind == "circle"]
    fist = next(s for s in fists if s.fill == INK and s.points[0] == start.joints["wrist_r"])
    assert fist.rx >= 1.4 * front.FIST
    shoulder = start.joints["shoulder_r"]
    assert abs(start.joints["wrist_r"][1] - shoulder[1]) < 15  # at about shoulder height


def test_the_reach_across_ends_past_the_far_shoulder_at_shoulder_height():
    """The right hand goes over to the left side, well past the left shoulder (the patient's right
    is the picture's left), level with the shoulders, the arm drawn long, not foreshortened."""
    _, end = _placed()
    j = end.joints
    hand, far, near = j["wrist_r"], j["shoulder_l"], j["shoulder_r"]
    assert hand[0] > far[0] + 12, (hand, far)
    assert abs(hand[1] - near[1]) < 12
    drawn = ((hand[0] - near[0]) ** 2 + (hand[1] - near[1]) ** 2) ** 0.5
    assert drawn > 0.6 * (UPPER_ARM + FOREARM)


@pytest.mark.parametrize(("side", "way"), [("right", 1), ("left", -1)])
def test_the_mirrored_picture_reaches_to_the_other_side(side, way):
    """Set to the left, the picture is mirrored: the hand reaches across to the picture's other side."""
    fig = build_shapes(_exercise()["picture"], side, with_labels=False)
    mid = fig.width / 2
    end = [s for s in fig.shapes if s.kind == "circle" and s.fill == INK and s.points[0][0] > mid]
    heads = [s for s in fig.shapes if s.kind == "circle" and s.fill != INK and s.points[0][0] > mid and s.rx > 15]
    fist, head = end[0].points[0], max(heads, key=lambda s: s.rx).points[0]
    assert (fist[0] - head[0]) * way > 20, (fist, head)
