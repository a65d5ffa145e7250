"""A figure the steps lay on its back lies on the mat: the back on it, the feet standing on it.

"Lie on your back. Bend your knees and keep your feet flat": the side view had hung the head
below the back (the back 4 units over the mat) and held the flat feet 9-13 units in the air, so a
reader saw feet lifted before the exercise began. Measured on the placed joints the way the picture
places them (model units, about cm, y up), with the drawn thickness of the trunk and the foot.
"""

from __future__ import annotations

import tomllib

import pytest

from planner.catalog.figure import side_pose
from planner.catalog.figure.spec import normalize
from planner.config import ROOT

GAP = 2.5  # how far over the mat a part the steps lay on it may be drawn (units, about cm)
HELD_UP = 80  # degrees of hip bend from which a thigh is held up (toward the chest), not resting


def _on_the_back() -> list[str]:
    """Every side-view exercise whose steps lay the patient on the back."""
    out = []
    for path in sorted((ROOT / "exercises").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        pic = normalize(data["picture"])
        steps = " ".join(data["steps"]).lower()
        if pic.view == "side" and pic.start.get("base") == "lying" and "on your back" in steps:
            out.append(path.stem)
    return out


ON_THE_BACK = _on_the_back()


def _start(slug: str) -> side_pose.Placed:
    """The start pose placed as the picture places it (on a bed top when the picture has a bed)."""
    data = tomllib.loads((ROOT / "exercises" / f"{slug}.toml").read_text(encoding="utf-8"))
    pic = normalize(data["picture"])
    end = {**pic.end, "base": pic.end.get("base", pic.start.get("base"))}
    on_bed = "bed" in pic.props
    floor = side_pose.bed_top([pic.start, end]) if on_bed else 0.0
    return side_pose.place(pic.start, False, floor, on_bed)


def _sole(joints: dict, side: str) -> float:
    """The lowest drawn point of a foot: the heel or toes, or the round end of the shin."""
    return min(
        joints[f"ankle_{side}"][1] - side_pose.LIMB_RADIUS,
        *(joints[f"{part}_{side}"][1] - side_pose.LIMB_RADIUS * 0.8 for part in ("heel", "toe")),
    )


def test_the_exercises_on_the_back_are_found():
    assert {"bridge", "bent-knee-march-lying", "dead-bug-easy", "chin-tuck-lying", "heel-slides"} <= set(ON_THE_BACK)
    assert len(ON_THE_BACK) >= 15


@pytest.mark.parametrize("slug", ON_THE_BACK)
def test_the_back_and_the_resting_feet_lie_on_the_mat(slug):
    placed = _start(slug)
    joints, mat = placed.joints, placed.floor
    back = joints["hip"][1] - side_pose.TRUNK_RADIUS
    assert abs(back - mat) <= 1.0, f"the back lies {back - mat:.1f} over the mat"
    for side in "rl":
        if placed.angles[f"hip_{side}"] >= HELD_UP:
            continue  # a knee held to the chest, or a leg over the bed's edge
        over = _sole(joints, side) - mat
        assert -1.0 <= over <= GAP, f"the {side} foot is drawn {over:.1f} over the mat"


@pytest.mark.parametrize(("slug", "side"), [("bridge", "r"), ("bridge", "l"), ("bent-knee-march-lying", "l")])
def test_a_foot_that_stays_put_stays_on_the_mat_at_the_end(slug, side):
    """The bridge lifts the hips, not the feet; the march lifts one foot, the other stays down."""
    data = tomllib.loads((ROOT / "exercises" / f"{slug}.toml").read_text(encoding="utf-8"))
    pic = normalize(data["picture"])
    end = side_pose.place({**pic.end, "base": "lying"}, False, 0.0)
    assert 0.0 - 1.0 <= _sole(end.joints, side) <= GAP
    shoulder = end.joints["shoulder"][1] - side_pose.TRUNK_RADIUS * 0.8
    assert shoulder <= GAP, f"the shoulders are {shoulder:.1f} over the mat"


def _on_the_stomach() -> list[str]:
    """Every side-view exercise whose steps lay the patient face down."""
    out = []
    for path in sorted((ROOT / "exercises").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        pic = normalize(data["picture"])
        if pic.view == "side" and pic.start.get("base") == "prone" and "on your stomach" in data["steps"][0]:
            out.append(path.stem)
    return out


ON_THE_STOMACH = _on_the_stomach()


def _drawn_start(slug: str) -> tuple[float, float, float, float]:
    """Read on the drawn start panel: the mat's top, the trunk's lowest edge, the head's lowest
    point and the top of the folded towel under the forehead."""
    from planner.catalog.figure import side
    from planner.catalog.figure.props import TOWEL
    from planner.catalog.figure.shapes import INK, SKIN
    from planner.catalog.figure.side_arrow import W_TRUNK

    data = tomllib.loads((ROOT / "exercises" / f"{slug}.toml").read_text(encoding="utf-8"))
    shapes = side.build(normalize(data["picture"])).start
    mat = max(q[1] for s in shapes if s.kind == "rect" and s.fill == "#c5ccd3" for q in s.points)
    trunk = min(q[1] for s in shapes if s.kind == "line" and s.stroke == INK and s.width == W_TRUNK for q in s.points)
    ((x, y),) = next(s.points for s in shapes if s.kind == "circle" and s.fill == SKIN and s.rx > 10)
    towel = max(q[1] for s in shapes if s.kind == "rect" and s.fill == TOWEL for q in s.points)
    return mat, trunk - W_TRUNK / 2, y - side_pose.HEAD_RADIUS_PROFILE, towel


def test_the_exercises_on_the_stomach_are_found():
    assert {"head-lift-face-down", "prone-arm-lift-sides", "prone-y-lift"} <= set(ON_THE_STOMACH)


@pytest.mark.parametrize("slug", ON_THE_STOMACH)
def test_face_down_the_trunk_lies_on_the_mat_and_the_forehead_on_its_towel(slug):
    """The steps: "Lie on your stomach ... Rest your forehead on a folded towel". The feet had stood on their
    toes, straight down, and the head hung below the chest, so the trunk floated 9 units over the
    mat. Now the feet's tops face the mat and the head rests on the towel."""
    mat, trunk, head, towel = _drawn_start(slug)
    assert abs(trunk - mat) <= 1.0, f"the trunk lies {trunk - mat:.1f} over the mat"
    assert abs(head - towel) <= 1.0, f"the head's lowest point is {head - towel:.1f} from the towel's top"
    placed = side_pose.place(
        normalize(tomllib.loads((ROOT / "exercises" / f"{slug}.toml").read_text(encoding="utf-8"))["picture"]).start,
        False,
        0.0,
    )
    for side in "rl":  # the feet lie along the mat, not standing on their toes
        ankle, toe = placed.joints[f"ankle_{side}"], placed.joints[f"toe_{side}"]
        assert ankle[1] - toe[1] < 0.5 * abs(toe[0] - ankle[0]), "the foot stands on its toes"


def test_arms_reaching_past_the_head_rest_on_the_bed_before_they_lift():
    """prone-y-lift: "Reach your arms up past your head, like the letter Y ... Lift both arms a
    little off the bed": at the start the hands lie on the bed (they had been held 5 units up
    along the shoulders' line), at the end a little off it."""
    data = tomllib.loads((ROOT / "exercises" / "prone-y-lift.toml").read_text(encoding="utf-8"))
    assert "Lift both arms a little off the bed." in " ".join(data["steps"])
    pic = normalize(data["picture"])
    start = side_pose.place(pic.start, False, 0.0).joints
    end = side_pose.place({**pic.end, "base": "prone"}, False, 0.0).joints
    for side in "rl":
        assert start[f"hand_{side}"][1] - side_pose.LIMB_RADIUS <= 1.0
        assert start[f"hand_{side}"][0] < start["head"][0]  # past the head
        assert 5.0 <= end[f"hand_{side}"][1] - side_pose.LIMB_RADIUS <= 18.0
