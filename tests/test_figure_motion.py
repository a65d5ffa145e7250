"""The moving picture: made from the pose data, its key frames are the still start and end panels.

The SVG is read back as a browser would play it: at each key time, which shapes show and where.
"""

from __future__ import annotations

import math
import re
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from planner.catalog.figure import render_svg
from planner.catalog.figure.compose import PANELS
from planner.catalog.figure.motion import MAX_HOLD, MIN_HOLD, MOVE_SECONDS, REST_SECONDS, Pace, render_motion_svg

CATALOG = Path(__file__).resolve().parent.parent / "exercises"
SVG = "{http://www.w3.org/2000/svg}"
SHAPES = ("polyline", "polygon", "circle", "ellipse", "rect", "text")
GEOMETRY = ("points", "cx", "cy", "r", "rx", "ry", "x", "y", "width", "height")
SHIFT = PANELS[1][0] - PANELS[0][0]  # the end panel lies this far right of the start panel


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314  (our own drawing, not untrusted data)


def picture(slug: str) -> dict:
    return tomllib.loads((CATALOG / f"{slug}.toml").read_text())["picture"]


def numbers(value: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", value)]


def shift_x(name: str, value: str, dx: float) -> list[float]:
    """A geometry attribute moved dx to the right (x coordinates only)."""
    n = numbers(value)
    if name == "points":
        return [v + dx if i % 2 == 0 else v for i, v in enumerate(n)]
    return [n[0] + dx] if name in ("x", "cx") else n


def play(svg: str, time: float, marks: bool = False) -> list[tuple[str, dict[str, str]]]:
    """The shapes showing at `time` (a fraction of the loop, a key time) and their geometry then,
    in drawing order; the hold clock and other marks only when asked for."""
    root = parse(svg)
    shown = []

    def value_at(element: ET.Element, name: str, base: str) -> str:
        for animate in element.findall(f"{SVG}animate"):
            if animate.get("attributeName") == name:
                times = [float(t) for t in animate.get("keyTimes").split(";")]
                values = animate.get("values").split(";")
                i = max(k for k, t in enumerate(times) if t <= time + 5e-5)  # key times have 4 decimals
                return values[i]  # the tests read at key times only
        return base

    def walk(element: ET.Element, visible: bool) -> None:
        for child in element:
            tag = child.tag.removeprefix(SVG)
            if tag == "g" and child.get("class") == "marks" and not marks:
                continue
            if tag == "g":
                walk(child, visible and float(value_at(child, "opacity", child.get("opacity", "1"))) > 0.5)
            elif tag in SHAPES and visible:
                shown.append((tag, {a: value_at(child, a, child.get(a)) for a in GEOMETRY if child.get(a) is not None}))

    walk(root, True)
    return shown


def panels(still: str) -> tuple[list, list]:
    """The still picture's start panel and end panel shapes (each from its frame on), in drawing order."""
    shapes = play(still, 0)
    frames = [
        i for i, (tag, g) in enumerate(shapes) if tag == "rect" and g.get("width") == f"{PANELS[0][2] - PANELS[0][0]:g}"
    ]
    return shapes[frames[0] : frames[1]], shapes[frames[1] :]


def key_times(svg: str) -> list[float]:
    animate = parse(svg).find(f".//{SVG}animate")
    return [float(t) for t in animate.get("keyTimes").split(";")]


# One exercise per view and per way of moving: turns of joints (side, lying), a head turn that
# hides an eye part-way (front), eyes that close (face: a fade), a hand that spreads (a morph),
# and a chair rise (the base changes).
MOVES = [
    ("arm-lift-forward-sitting", "right"),
    ("arm-lift-forward-sitting", "left"),
    ("bridge", "right"),
    ("neck-turn-sitting", "left"),
    ("slow-eye-closing", "right"),
    ("finger-spread", "left"),
    ("sit-to-stand", "right"),
]


@pytest.mark.parametrize("slug, side", MOVES)
def test_the_key_frames_are_the_start_and_end_poses(slug, side):
    pace = Pace.of(5)
    motion = render_motion_svg(picture(slug), side, 360, pace)
    start, end = panels(render_svg(picture(slug), side, 360))
    times = key_times(motion)
    reach = (pace.rest + pace.move) / pace.total  # the end pose is reached, and held
    leave = (pace.rest + pace.move + pace.hold) / pace.total
    assert times[0] == 0 and times[-1] == 1
    for moment in (0, 1):  # first and last values: the still start panel, shape for shape
        assert play(motion, moment) == start, f"{slug}: not the start pose at {moment}"
    for moment in (reach, leave):  # the middle of the loop: the still end panel, moved onto the start panel
        shown = play(motion, moment)
        expected = end[: len(shown)]  # after these the still adds its motion arrow and symbols
        assert [tag for tag, _ in shown] == [tag for tag, _ in expected]
        for (_, got), (_, want) in zip(shown, expected, strict=True):
            for name, value in want.items():
                assert numbers(got[name]) == pytest.approx(shift_x(name, value, -SHIFT), abs=0.11), (slug, name)


@pytest.mark.parametrize(
    "hold_seconds, hold",
    [(None, MIN_HOLD), (0, MIN_HOLD), (2, 2.0), (5, 5.0), (10, 10.0), (30, MAX_HOLD), (120, MAX_HOLD)],
)
def test_the_pause_at_the_end_pose_is_the_dosages_hold(hold_seconds, hold):
    pace = Pace.of(hold_seconds)
    assert pace.hold == hold and pace.total == REST_SECONDS + 2 * MOVE_SECONDS + hold
    motion = render_motion_svg(picture("neck-side-stretch"), "right", 360, pace)
    assert f'dur="{pace.total:g}s"' in motion and f'data-seconds="{pace.total:g}"' in motion
    times = key_times(motion)
    reach = (pace.rest + pace.move) / pace.total
    leave = (pace.rest + pace.move + pace.hold) / pace.total
    assert round(reach, 4) in times and round(leave, 4) in times
    assert play(motion, reach) == play(motion, leave)  # still for the whole hold


def test_a_five_second_hold_is_a_slower_loop_than_no_hold():
    quick = render_motion_svg(picture("chin-tuck-sitting"), pace=Pace.of(None))
    held = render_motion_svg(picture("chin-tuck-sitting"), pace=Pace.of(5))
    seconds = [float(re.search(r'data-seconds="([\d.]+)"', svg).group(1)) for svg in (quick, held)]
    assert seconds[1] - seconds[0] == pytest.approx(5 - MIN_HOLD)


def limb_lengths(points: str) -> list[float]:
    n = numbers(points)
    pts = list(zip(n[::2], n[1::2], strict=True))
    return [math.dist(a, b) for a, b in zip(pts, pts[1:], strict=False)]


@pytest.mark.parametrize("slug", ["arm-lift-forward-sitting", "arm-lift-side-sitting", "knee-to-chest", "heel-raise"])
def test_limbs_turn_round_their_joints_and_keep_their_length(slug):
    """The frames are poses in between, not a straight slide of the end points: a slide would
    shorten an arm that swings through 90 degrees or more."""
    motion = render_motion_svg(picture(slug))
    root = parse(motion)
    moving = [e for e in root.iter(f"{SVG}polyline") if e.find(f"{SVG}animate") is not None]
    assert moving, "nothing moves"
    for element in moving:
        frames = element.find(f"{SVG}animate").get("values").split(";")
        first = limb_lengths(frames[0])
        for frame in frames:
            assert limb_lengths(frame) == pytest.approx(first, abs=1.0)


@pytest.mark.parametrize("slug", ["neck-press-forward", "tummy-tightening-lying", "belly-breathing-lying"])
def test_a_held_press_or_a_breath_shows_its_marks_only_while_held(slug):
    """Nothing moves in a press: the push (and the hold clock) come in for the hold and go after."""
    pace = Pace.of(5)
    motion = render_motion_svg(picture(slug), pace=pace)
    reach = (pace.rest + pace.move) / pace.total
    assert len(play(motion, reach, marks=True)) > len(play(motion, reach))
    assert play(motion, 0, marks=True) == play(motion, 0)  # not at rest


def test_every_exercise_in_the_catalog_is_animated_and_needs_no_script():
    for path in sorted(CATALOG.glob("*.toml")):
        motion = render_motion_svg(tomllib.loads(path.read_text())["picture"], "left", 340, Pace.of(3))
        assert "<animate " in motion, path.name
        assert not re.search(r"<script|\bhref=|\bstyle=|url\(", motion), path.name  # allowed by the CSP
        parse(motion)  # well-formed
