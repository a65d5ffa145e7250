"""An arrow keeps a white edge against the dark figure it crosses.

At a handout's printed size a blue arrow over the figure's near-black (calf-stretch-wall's arrow
across the back leg, the eyebrow lift's over the hair) all but vanished: each part of an arrow is
drawn over a white copy HALO wider on each side, in the still picture and the moving one.
"""

from __future__ import annotations

import tomllib

import pytest

from planner.catalog.figure import build_shapes, render_svg
from planner.catalog.figure.motion import Pace, render_motion_svg
from planner.catalog.figure.shapes import ARROW, HALO, HALO_COLOR
from planner.config import ROOT


def _picture(slug: str) -> dict:
    return tomllib.loads((ROOT / "exercises" / f"{slug}.toml").read_text(encoding="utf-8"))["picture"]


@pytest.mark.parametrize(("slug", "side"), [("calf-stretch-wall", "right"), ("eyebrow-lift", "left")])
def test_every_part_of_an_arrow_has_a_white_edge_under_it(slug: str, side: str) -> None:
    shapes = build_shapes(_picture(slug), side=side).shapes
    parts = [n for n, s in enumerate(shapes) if s.stroke == ARROW or s.fill == ARROW]
    assert parts
    for n in parts:
        s, under = shapes[n], shapes[n - 1]
        assert under.points == s.points and under.stroke == HALO_COLOR
        assert under.width == pytest.approx((s.width if s.kind == "line" else 0) + 2 * HALO)
        assert under.kind == s.kind and (s.kind == "line" or under.fill == HALO_COLOR)


def test_the_arrow_crossing_the_back_leg_is_edged_in_the_svg() -> None:
    """calf-stretch-wall: the page's SVG draws the white edge before (under) the blue arrow."""
    shapes = build_shapes(_picture("calf-stretch-wall")).shapes
    line = next(s for s in shapes if s.kind == "line" and s.stroke == ARROW)
    svg = render_svg(_picture("calf-stretch-wall"))
    white = svg.index(f'stroke="{HALO_COLOR}" stroke-width="{line.width + 2 * HALO:g}"')
    assert white < svg.index(f'stroke="{ARROW}"')


def test_a_press_arrow_is_edged_in_the_moving_picture() -> None:
    """A press (nothing moves) keeps its arrow in the moving picture: edged there too."""
    slug = next(
        p.stem for p in sorted((ROOT / "exercises").glob("*.toml")) if _picture(p.stem).get("press") is not None
    )
    svg = render_motion_svg(_picture(slug), "right", pace=Pace.of(5))
    assert f'stroke="{HALO_COLOR}"' in svg and f'fill="{ARROW}"' in svg
