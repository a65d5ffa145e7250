"""A head the steps rest on a pillow or a folded towel lies on it, not on the mat in front of it.

"Lie on your back. Rest your head on a thin pillow": the side view had drawn the pillow as a
block behind the head, the head on the mat with the pillow's top level with the ear, so a reader
saw a pillow beside the head and none under it. Read on the drawn start panel (model units, about
cm, y up): the head's circle, and the pillow or towel drawn under it.
"""

from __future__ import annotations

import tomllib

import pytest

from planner.catalog.figure import side
from planner.catalog.figure.body import HEAD_RADIUS_PROFILE
from planner.catalog.figure.props import TOWEL
from planner.catalog.figure.shapes import SKIN, Shape
from planner.catalog.figure.spec import normalize
from planner.config import ROOT

PILLOW = "#e6eaef"  # the side view's pillow fill
RESTS = {"pillow": PILLOW, "folded_towel": TOWEL}
SAID = ("head on a", "pillow under your head", "pillows to hold up your head", "use pillows")


def _head_rested() -> dict[str, str]:
    """Every side-view exercise lying on the back whose steps rest the head on a pillow or towel,
    with the prop it lies on."""
    out = {}
    for path in sorted((ROOT / "exercises").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        pic = normalize(data["picture"])
        steps = " ".join(data["steps"]).lower()
        if pic.view == "side" and pic.start.get("base") == "lying" and any(s in steps for s in SAID):
            out[path.stem] = next(prop for prop in RESTS if prop in pic.props)
    return out


HEAD_RESTED = _head_rested()


def _drawn(slug: str) -> tuple[list[Shape], list[Shape]]:
    data = tomllib.loads((ROOT / "exercises" / f"{slug}.toml").read_text(encoding="utf-8"))
    drawing = side.build(normalize(data["picture"]))
    return drawing.start, drawing.end


def _head(shapes: list[Shape]) -> tuple[float, float]:
    """The head's centre x and its lowest point."""
    ((x, y),) = next(s.points for s in shapes if s.kind == "circle" and s.fill == SKIN and s.rx == HEAD_RADIUS_PROFILE)
    return x, y - HEAD_RADIUS_PROFILE


def _rest(shapes: list[Shape], prop: str) -> tuple[float, float, float]:
    """The x range and the top of the pillow or towel (the first of its fill: the pad, not a fold)."""
    (x0, y0), (x1, y1) = next(s.points for s in shapes if s.kind == "rect" and s.fill == RESTS[prop])
    return min(x0, x1), max(x0, x1), max(y0, y1)


def test_the_exercises_resting_the_head_are_found():
    assert {"chin-tuck-lying", "head-nod-lying", "head-curl-lying", "belly-breathing-lying"} <= set(HEAD_RESTED)
    assert HEAD_RESTED["chin-nod-head-lift"] == "folded_towel"
    assert len(HEAD_RESTED) >= 9


@pytest.mark.parametrize("slug", sorted(HEAD_RESTED))
def test_the_head_lies_on_the_pillow_at_the_start(slug):
    start, _ = _drawn(slug)
    x, low = _head(start)
    x0, x1, top = _rest(start, HEAD_RESTED[slug])
    assert x0 < x < x1, "the pillow is not under the head"
    assert abs(low - top) <= 1.0, f"the head's lowest point is {low - top:.1f} from the pillow's top"


@pytest.mark.parametrize("slug", ["chin-tuck-lying", "head-nod-lying"])
def test_the_head_stays_on_the_pillow_when_the_steps_keep_it_there(slug):
    """The steps say "Keep the back of your head on the pillow": the end head neither lifts nor sinks."""
    data = tomllib.loads((ROOT / "exercises" / f"{slug}.toml").read_text(encoding="utf-8"))
    assert "Keep the back of your head on the pillow." in " ".join(data["steps"])
    _, end = _drawn(slug)
    x, low = _head(end)
    x0, x1, top = _rest(end, "pillow")
    assert x0 < x < x1 and abs(low - top) <= 1.0


@pytest.mark.parametrize(("slug", "said"), [("head-curl-lying", "lift your head"), ("chin-nod-head-lift", "lift")])
def test_a_head_the_steps_lift_leaves_the_pillow_where_it_was(slug, said):
    """The pad stays put under where the head lay, and the lifted head is over it, off it."""
    data = tomllib.loads((ROOT / "exercises" / f"{slug}.toml").read_text(encoding="utf-8"))
    assert said in " ".join(data["steps"]).lower()
    start, end = _drawn(slug)
    prop = HEAD_RESTED[slug]
    assert _rest(start, prop) == _rest(end, prop)
    assert _head(end)[1] > _rest(end, prop)[2] + 2.0
