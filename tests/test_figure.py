"""The exercise picture drawing (planner.catalog.figure): no Flask app needed."""

from __future__ import annotations

import copy
import re
import tomllib
from pathlib import Path

import pytest
from reportlab.graphics.shapes import Drawing

from planner.catalog.figure import build_shapes, render_drawing, render_svg, validate_picture
from planner.catalog.figure.compose import PANELS
from planner.catalog.figure.spec import KEYS, PROPS

SAMPLES = sorted((Path(__file__).parent / "figure_samples").glob("*.toml"))


def load(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))["picture"]


SIDE_ARM = {
    "view": "side",
    "props": ["chair"],
    "start": {"base": "sitting"},
    "end": {"base": "sitting", "shoulder_r": 150},
}


def test_samples_cover_every_view_base_and_prop():
    pics = [load(p) for p in SAMPLES]
    assert {p["view"] for p in pics} == set(KEYS)
    bases = {pose.get("base") for p in pics for pose in (p["start"], p["end"])}
    assert set(KEYS["side"]["base"]) <= bases
    assert {x for p in pics for x in p.get("props", [])} == set(PROPS)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_sample_is_valid_and_renders_both_ways(path):
    pic = load(path)
    assert validate_picture(pic) == []
    for side in ("right", "left", "both"):
        svg = render_svg(pic, side=side)
        assert svg.startswith("<svg") and svg.endswith("</svg>")
        assert "<script" not in svg and "href" not in svg
        drawing = render_drawing(pic, side=side, width=300)
        assert isinstance(drawing, Drawing) and drawing.contents
        assert drawing.width == 300


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_output_is_deterministic_and_rounded(path):
    pic = load(path)
    assert render_svg(pic) == render_svg(copy.deepcopy(pic))
    for s in build_shapes(pic).shapes:
        for x, y in s.points:
            assert round(x, 1) == x and round(y, 1) == y


def test_same_primitives_in_both_renderers():
    fig = build_shapes(SIDE_ARM)
    svg = render_svg(SIDE_ARM)
    drawing = render_drawing(SIDE_ARM)
    n_svg = len(re.findall(r"<(polyline|polygon|circle|ellipse|rect|text)\b", svg))
    assert n_svg == len(fig.shapes) == len(drawing.contents)


def _panel_of(x: float) -> int:
    return 0 if x < (PANELS[0][2] + PANELS[1][0]) / 2 else 1


def _reflect(x: float) -> float:
    for x0, _, x1, _ in PANELS:
        if x0 <= x <= x1:
            return x0 + x1 - x
    return x  # between the panels: the big arrow stays as it is


def test_left_mirrors_right_within_each_panel():
    right = build_shapes(SIDE_ARM, "right").shapes
    left = build_shapes(SIDE_ARM, "left").shapes
    assert len(right) == len(left)
    for a, b in zip(right, left, strict=True):
        assert a.kind == b.kind
        if a.kind == "text":  # the labels are not mirrored
            assert a.text == b.text and a.points == b.points
            continue
        want = sorted((round(_reflect(x), 1), y) for x, y in a.points)
        got = sorted(b.points)
        if a.kind == "rect":  # compare the box, not the corner order
            want = [(min(x for x, _ in want), min(y for _, y in want)),
                    (max(x for x, _ in want), max(y for _, y in want))]  # fmt: skip
            got = [(min(x for x, _ in got), min(y for _, y in got)),
                   (max(x for x, _ in got), max(y for _, y in got))]  # fmt: skip
        assert [x for x, _ in got] == pytest.approx([x for x, _ in want], abs=0.11)
        assert [y for _, y in got] == [y for _, y in want]
    xs_right = [p[0] for s in right if s.kind == "circle" for p in s.points]
    assert xs_right != [p[0] for s in left if s.kind == "circle" for p in s.points]
    assert build_shapes(SIDE_ARM, "both").shapes == right


def test_left_keeps_text_readable():
    svg = render_svg(SIDE_ARM, side="left")
    assert "scale(-1" not in svg and "transform" not in svg
    assert ">Start</text>" in svg and ">End</text>" in svg


def test_validate_catches_unknown_key_range_view_and_enum():
    pic = copy.deepcopy(SIDE_ARM)
    pic["end"]["head_turn"] = 20  # a front-view key
    pic["end"]["elbow_r"] = 200
    pic["props"] = ["chair", "trampoline"]
    pic["symbol"] = "bell"
    paths = {p for p, _ in validate_picture(pic)}
    assert {"picture.end.head_turn", "picture.end.elbow_r", "picture.props[1]",
            "picture.symbol"} <= paths  # fmt: skip
    problems = validate_picture({"view": "top", "start": {}, "end": {}})
    assert [p for p, _ in problems] == ["picture.view"]
    problems = validate_picture({"view": "face", "start": {"mouth": "grin"}})
    assert {p for p, _ in problems} == {"picture.start.mouth", "picture.end"}
    assert validate_picture({"view": "hand", "start": {"thumb_touch": 5}, "end": {}})


def test_svg_escapes_title():
    svg = render_svg(SIDE_ARM, title='Lift <b>& hold "up"')
    assert "<b>" not in svg
    assert "<title>Lift &lt;b&gt;&amp; hold" in svg
    assert 'aria-label="Lift &lt;b&gt;&amp; hold &quot;up&quot;"' in svg
    assert 'role="img"' in svg and "viewBox=" in svg


def _arrow_shapes(pic):
    return [s for s in build_shapes(pic).shapes if s.stroke == "#0a58ca" and s.kind == "line"]


def _centre_of(shape):
    xs = [p[0] for p in shape.points]
    ys = [p[1] for p in shape.points]
    return sum(xs) / len(xs), sum(ys) / len(ys)


def test_motion_arrow_follows_the_changed_key():
    arm = _arrow_shapes(SIDE_ARM)
    assert arm and all(_panel_of(p[0]) == 1 for s in arm for p in s.points)
    knee = copy.deepcopy(SIDE_ARM)
    knee["end"] = {"base": "sitting", "knee_r": 0}
    leg = _arrow_shapes(knee)
    assert leg
    # the arm arrow is up by the shoulder, the knee arrow low down by the shin
    assert _centre_of(arm[0])[1] < _centre_of(leg[0])[1] - 20
    # an explicit arrow key wins over the biggest change
    both = copy.deepcopy(SIDE_ARM)
    both["end"]["knee_r"] = 10
    both["arrow"] = "knee_r"
    assert _centre_of(_arrow_shapes(both)[0]) == pytest.approx(_centre_of(leg[0]), abs=8)


def test_no_arrow_when_nothing_moves():
    still = {"view": "side", "start": {"base": "standing"}, "end": {"base": "standing"}}
    assert _arrow_shapes(still) == []


def test_bad_input_still_draws():
    assert render_svg({"view": "nope", "start": {"elbow_r": "x"}, "end": None})
    assert render_drawing({})
