"""A figure sitting on a chair is drawn in front of its back, never through it.

sit-back: "Sit near the front of a firm chair with a back rest ... Slowly lean back, keeping your
back straight. Stop before your back touches the chair." The chair's back post stood 15 units
behind the hip joint whatever the pose, so the figure sat against it and leaned back through it;
a slumped back (pelvic-tilt-neutral-sitting, "Sit near the front of a firm chair") bowed through it
too. Read on the drawn panels (model units, about cm, y up): the chair's back post and the trunk.
"""

from __future__ import annotations

import tomllib

import pytest

from planner.catalog.figure import side
from planner.catalog.figure.props import CHAIR
from planner.catalog.figure.shapes import INK, Shape
from planner.catalog.figure.side_arrow import W_TRUNK
from planner.catalog.figure.spec import normalize
from planner.config import ROOT


def _sitting_on_a_chair() -> list[str]:
    """Every side-view exercise sitting on a chair in both panels (a headrest leaned on excepted)."""
    out = []
    for path in sorted((ROOT / "exercises").glob("*.toml")):
        pic = normalize(tomllib.loads(path.read_text(encoding="utf-8"))["picture"])
        bases = {pic.start.get("base"), pic.end.get("base", pic.start.get("base"))}
        if pic.view == "side" and bases == {"sitting"} and "chair" in pic.props and "headrest" not in pic.props:
            out.append(path.stem)
    return out


SITTING = _sitting_on_a_chair()


def _gap(shapes: list[Shape]) -> float:
    """How far the back of the trunk is in front of the chair's back post, below the post's top."""
    posts = [s for s in shapes if s.kind == "line" and s.stroke == CHAIR and len(s.points) == 2]
    post = max(
        (s for s in posts if s.points[0][0] == s.points[1][0]), key=lambda s: abs(s.points[1][1] - s.points[0][1])
    )
    x, top = post.points[0][0], max(q[1] for q in post.points)
    trunk = next(s for s in shapes if s.kind == "line" and s.stroke == INK and s.width == W_TRUNK).points
    along = [  # points every tenth of each drawn segment of the spine
        (a[0] + (b[0] - a[0]) * i / 10, a[1] + (b[1] - a[1]) * i / 10)
        for a, b in zip(trunk, trunk[1:], strict=False)
        for i in range(11)
    ]
    return min(q[0] - W_TRUNK / 2 for q in along if q[1] <= top) - x


def _drawn(slug: str) -> tuple[list[Shape], list[Shape]]:
    data = tomllib.loads((ROOT / "exercises" / f"{slug}.toml").read_text(encoding="utf-8"))
    drawing = side.build(normalize(data["picture"]))
    return drawing.start, drawing.end


def test_the_sitting_exercises_are_found():
    assert {"sit-back", "pelvic-tilt-neutral-sitting", "chin-tuck-sitting", "slow-breathing-counting"} <= set(SITTING)


@pytest.mark.parametrize("slug", SITTING)
def test_the_back_is_in_front_of_the_chair_back(slug):
    for shapes in _drawn(slug):
        assert _gap(shapes) >= 0.0, f"the back goes {-_gap(shapes):.1f} into the chair's back"


def test_leaning_back_stops_before_the_back_touches_the_chair():
    data = tomllib.loads((ROOT / "exercises" / "sit-back.toml").read_text(encoding="utf-8"))
    steps = " ".join(data["steps"])
    assert "Sit near the front of a firm chair" in steps and "Stop before your back touches the chair." in steps
    start, end = _drawn("sit-back")
    assert _gap(end) >= 3.0  # leaned back, still off it
    assert _gap(start) > 15.0  # near the front of the seat, well off the back
