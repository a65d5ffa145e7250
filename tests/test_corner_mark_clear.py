"""The hold clock sits in a free top corner of the end panel, not on the wall or the figure.

calf-stretch-wall: "Stand facing a wall ... Put both hands flat on the wall": the wall seen edge-on
stands in front of the figure, at the panel's right edge, and the clock was drawn over its top. A
figure facing left (the left side's mirror, a head lifted at the right end) had the clock on its
head. The clock moves to the top left corner when that one is free; a wall on the left (the left
side's mirror) keeps it on the right. Read on the drawn picture (figure units, y down).
"""

from __future__ import annotations

import tomllib

import pytest

from planner.catalog.figure import build_shapes
from planner.catalog.figure.compose import PANELS
from planner.catalog.figure.shapes import FRAME, SYMBOL, Shape, is_halo, shape_points
from planner.config import ROOT

R = 12 + 3.0  # the clock's radius and the room it keeps from the scene (figure units)


def _picture(slug: str) -> dict:
    return tomllib.loads((ROOT / "exercises" / f"{slug}.toml").read_text(encoding="utf-8"))["picture"]


def _box(s: Shape) -> tuple[float, float, float, float]:
    pts = shape_points(s)
    pad = s.width / 2
    return (
        min(p[0] for p in pts) - pad,
        min(p[1] for p in pts) - pad,
        max(p[0] for p in pts) + pad,
        max(p[1] for p in pts) + pad,
    )


def _under_the_clock(slug: str, side: str) -> tuple[tuple[float, float], list[Shape]]:
    """The clock's centre and what of the end panel's scene lies under it or touches it."""
    shapes = build_shapes(_picture(slug), side=side).shapes
    clock = next(s for s in shapes if s.kind == "circle" and s.stroke == SYMBOL and s.rx == 12)
    (cx, cy) = clock.points[0]
    x0, x1 = PANELS[1][0], PANELS[1][2]
    under = []
    for s in shapes:
        if s is clock or s.kind == "text" or s.stroke == FRAME or not shape_points(s) or is_halo(s):
            continue
        if (
            s.stroke == SYMBOL
            and s.kind == "line"
            and all(abs(x - cx) <= 12 and abs(y - cy) <= 12 for x, y in s.points)
        ):
            continue  # the clock's hands
        bx0, by0, bx1, by1 = _box(s)
        if bx1 < x0 or bx0 > x1 or (s.kind == "line" and s.stroke == "#adb5bd"):  # the start panel, the floor
            continue
        if bx0 < cx + R and bx1 > cx - R and by0 < cy + R and by1 > cy - R:
            under.append(s)
    return (cx, cy), under


@pytest.mark.parametrize("side", ["right", "left"])
def test_the_clock_is_not_drawn_on_the_wall(side: str) -> None:
    (cx, _), under = _under_the_clock("calf-stretch-wall", side)
    assert under == []
    middle = (PANELS[1][0] + PANELS[1][2]) / 2
    # the wall the figure faces is on the right (right side) or on the left (its mirror)
    assert (cx < middle) == (side == "right")


@pytest.mark.parametrize(
    "slug",
    ["sit-back", "seated-knee-straightening", "head-lift-face-down", "jaw-back-chin-touch"],
)
def test_the_clock_is_not_drawn_on_a_figure_facing_left(slug: str) -> None:
    """The left side's mirror: the head (or the lifted leg) at the panel's top right."""
    _, under = _under_the_clock(slug, "left")
    assert under == []
    assert _under_the_clock(slug, "right")[1] == []  # facing right, the top right corner was free
