"""The exercise picture drawing (planner.catalog.figure): no Flask app needed."""

from __future__ import annotations

import copy
import itertools
import math
import re
import tomllib
from pathlib import Path

import pytest
from reportlab.graphics.shapes import Drawing

from planner.catalog.figure import build_shapes, render_drawing, render_svg, validate_picture
from planner.catalog.figure.compose import PANELS
from planner.catalog.figure.spec import BASE_ONLY, FRONT_BASES, KEYS, PROPS, SIDE_BASES

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


def _every_key_moved() -> list[dict]:
    """A picture per view, base (and pair of bases, for a key one base draws), pose key and end
    value (each word, or the top of the range), the arrow naming the key; a key one base draws
    also without an arrow (the drawing picks the biggest change)."""
    bases = {"side": SIDE_BASES, "front": FRONT_BASES}
    out = []
    for view, keys in KEYS.items():
        for b0, b1 in itertools.product(bases.get(view, [None]), repeat=2):
            for key, allowed in keys.items():
                base_only = key in BASE_ONLY.get(view, {})
                if key == "base" or (b0 != b1 and not base_only):
                    continue
                for value in allowed if isinstance(allowed[0], str) else allowed[1:]:
                    start, end = ({}, {key: value}) if b0 is None else ({"base": b0}, {"base": b1, key: value})
                    out.append({"view": view, "arrow": key, "start": start, "end": end})
                    if base_only:
                        out.append({"view": view, "start": start, "end": end})
    return out


def test_every_pose_key_and_arrow_is_drawn_even_where_the_check_refuses_it():
    """Drawing never fails: a leg lift given a standing base, or a gaze arrow where the eyes look
    nowhere, once raised KeyError; now they are drawn without what cannot be shown (and
    `catalog check` names them: test_catalog_check)."""
    pictures = _every_key_moved()
    assert len(pictures) > 500
    for picture in pictures:
        assert build_shapes(picture).shapes, picture


# ---- new keys and fixes ---------------------------------------------------------------------

ARROW = "#0a58ca"


def _arrow_lines(pic):
    return [s for s in build_shapes(pic).shapes if s.stroke == ARROW and s.kind == "line"]


def _travel(shape):
    """Direction an arrow line points, in picture units (y down)."""
    (x0, y0), (x1, y1) = shape.points[0], shape.points[-1]
    return x1 - x0, y1 - y0


def test_samples_cover_every_front_base_and_press_view():
    pics = [load(p) for p in SAMPLES]
    fronts = {pose.get("base") for p in pics if p["view"] == "front" for pose in (p["start"], p["end"])}
    assert set(KEYS["front"]["base"]) <= fronts
    assert {p["view"] for p in pics if p.get("press")} >= {"side", "front"}


def test_eye_stays_inside_the_face_when_the_head_tilts():
    from planner.catalog.figure import face

    def inside(pt, poly):
        x, y = pt
        hit = False
        for (ax, ay), (bx, by) in zip(poly, poly[1:] + poly[:1], strict=True):
            if (ay > y) != (by > y) and x < ax + (y - ay) * (bx - ax) / (by - ay):
                hit = not hit
        return hit

    for tilt in (-45, -25, 25, 45):
        for eyes in ("open", "wide"):
            v = face.values({"eyes": eyes, "head_tilt": tilt})
            outline = face.Face(v).outline()
            whites = [s for s in face.draw(v, []) if s.kind == "poly" and s.fill == "#ffffff" and s.width == 2.5]
            assert len(whites) == 2
            for s in whites:
                assert all(inside(p, outline) for p in s.points), (tilt, eyes)


@pytest.mark.parametrize("view", ["side", "front"])
def test_shrug_arrow_points_the_way_the_shoulders_move(view):
    base = {"base": "sitting"}
    up = {"view": view, "props": ["chair"], "arrow": "shrug",
          "start": {**base, "shrug": 0}, "end": {**base, "shrug": 1}}  # fmt: skip
    down = copy.deepcopy(up)
    down["start"]["shrug"], down["end"]["shrug"] = 1, 0
    ups, downs = _arrow_lines(up), _arrow_lines(down)
    # Seen from the front both shoulders show: an arrow over each, as both move; from the side, one.
    assert len(ups) == len(downs) == (2 if view == "front" else 1)
    assert all(_travel(a)[1] < -5 for a in ups)  # up the picture
    assert all(_travel(a)[1] > 5 for a in downs)  # down the picture
    if view == "front":  # one over each shoulder: a shoulders' width apart
        xs = sorted(a.points[0][0] for a in ups)
        assert xs[1] - xs[0] > 30, xs


@pytest.mark.parametrize("name", ["side-press-forehead", "front-press-temple"])
def test_press_draws_a_thick_arrow_and_a_clock_without_motion(name):
    from planner.catalog.figure.compose import BUILDERS
    from planner.catalog.figure.shapes import PRESS_W
    from planner.catalog.figure.spec import normalize

    pic = load(Path(__file__).parent / "figure_samples" / f"{name}.toml")
    res = BUILDERS[pic["view"]](normalize(pic))
    assert res.start == res.end  # the figure does not move
    lines = [s for s in res.arrow if s.kind == "line"]
    assert len(lines) == 1 and lines[0].width == PRESS_W
    clock = [s for s in build_shapes(pic).shapes if s.kind == "circle" and s.stroke == "#343a40"]
    assert clock and clock[0].points[0][0] > PANELS[1][0]  # the hold clock, end panel


def test_press_with_a_movement_replaces_the_motion_arrow():
    pic = load(Path(__file__).parent / "figure_samples" / "face-jaw.toml")
    pic = {**pic, "press": "down", "start": {"mouth": "closed", "touch": "chin_r"},
           "end": {"mouth": "open", "touch": "chin_r"}}  # fmt: skip
    (press,) = _arrow_lines(pic)
    assert _travel(press)[1] > 5 and press.width >= 8


def test_validate_press_and_base_only_keys():
    ok = {"view": "side", "press": "forward", "start": {"base": "sitting", "touch": "forehead"}, "end": {}}
    assert validate_picture(ok) == []
    bad = {"view": "front", "press": "forward", "start": {"base": "lying"},
           "end": {"base": "standing", "knee_roll": 20}}  # fmt: skip
    paths = {p for p, _ in validate_picture(bad)}
    assert paths == {"picture.press", "picture.end.knee_roll", "picture.end.base"}
    side = {"view": "side", "start": {"base": "standing", "leg_lift": 20}, "end": {"spine_curve": 2}}
    paths = {p for p, _ in validate_picture(side)}
    assert paths == {"picture.start.leg_lift", "picture.end.spine_curve"}
    face = {"view": "face", "start": {"mouth": "tongue_left"}, "end": {"mouth": "tongue_up"}}
    assert validate_picture(face) == []
    assert validate_picture({"view": "side", "props": ["bed"], "start": {"base": "lying"}, "end": {}}) == []


def test_frown_let_go_has_no_brow_arrow_but_raising_does():
    relax = {"view": "face", "start": {"brows": "frown"}, "end": {"brows": "neutral"}}
    assert _arrow_lines(relax) == []
    raise_ = {"view": "face", "start": {"brows": "neutral"}, "end": {"brows": "raised"}}
    arrows = _arrow_lines(raise_)
    assert len(arrows) == 2 and all(_travel(a)[1] < 0 for a in arrows)


def test_tongue_arrow_points_toward_the_tip():
    pic = load(Path(__file__).parent / "figure_samples" / "face-tongue.toml")
    (a,) = _arrow_lines(pic)
    assert _travel(a)[0] > 10  # the patient's left is the picture's right
    pic["start"], pic["end"] = pic["end"], pic["start"]
    assert _travel(_arrow_lines(pic)[0])[0] < -10


def _joint_views(pic):
    from planner.catalog.figure import front_pose, lying, side_pose
    from planner.catalog.figure.spec import normalize

    pic = normalize(pic)
    if pic.view == "side":
        v0 = side_pose.values(pic.start).angles
        v1 = side_pose.values({**pic.end, "base": pic.start["base"]}).angles
        return lying.pose2d("front", lying.params("side", "side_lying", v0)), \
            lying.pose2d("front", lying.params("side", "side_lying", v1))  # fmt: skip
    v0, v1 = front_pose.values(pic.start).angles, front_pose.values(pic.end).angles
    cam = "feet" if pic.start["base"] == "lying_from_feet" else "above"
    return lying.pose2d(cam, lying.params("front", "lying", v0)), \
        lying.pose2d(cam, lying.params("front", "lying", v1))  # fmt: skip


def test_side_lying_top_leg_lifts_and_knee_opens_up_the_picture():
    lift = {"view": "side", "start": {"base": "side_lying", "hip_r": 0, "knee_r": 0},
            "end": {"leg_lift": 35}}  # fmt: skip
    j0, j1 = _joint_views(lift)
    assert j1["ankle_r"][1] - j0["ankle_r"][1] > 20  # model units, y up
    clam = load(Path(__file__).parent / "figure_samples" / "side-clamshell.toml")
    j0, j1 = _joint_views(clam)
    assert j1["knee_r"][1] - j0["knee_r"][1] > 12
    assert math.dist(j0["ankle_r"], j1["ankle_r"]) < 0.01  # the feet stay together
    assert _arrow_lines(clam)


def test_lying_front_view_leg_slides_out_and_knees_roll():
    j0, j1 = _joint_views(load(Path(__file__).parent / "figure_samples" / "front-lying-slide.toml"))
    assert j0["ankle_r"][1] - j1["ankle_r"][1] > 25  # down the picture, away from the other leg
    assert j1["ankle_l"] == j0["ankle_l"]
    j0, j1 = _joint_views(load(Path(__file__).parent / "figure_samples" / "front-knee-roll.toml"))
    assert j1["knee_r"][0] - j0["knee_r"][0] < -15  # to the patient's right: the picture's left
    assert math.dist(j0["ankle_r"], j1["ankle_r"]) < 0.01


def test_spine_curve_bows_the_back():
    pic = load(Path(__file__).parent / "figure_samples" / "side-cat-spine.toml")
    trunks = [s for s in build_shapes(pic).shapes if s.kind == "line" and s.width == 17]
    assert len(trunks) == 2 and all(len(t.points) > 3 for t in trunks)
    sag, cat = trunks  # start and end panel, y down: the cat's middle is above its ends
    mid = cat.points[len(cat.points) // 2][1]
    assert mid < min(cat.points[0][1], cat.points[-1][1]) - 5
    mid = sag.points[len(sag.points) // 2][1]
    assert mid > max(sag.points[0][1], sag.points[-1][1])
    (a,) = _arrow_lines(pic)
    assert _travel(a)[1] < -5


def test_arm_turn_swings_the_hands_apart_with_elbows_still():
    from planner.catalog.figure import front_pose

    pic = load(Path(__file__).parent / "figure_samples" / "front-arm-turn-band.toml")
    end = {**pic["start"], **pic["end"]}
    j0 = front_pose.place(pic["start"]).joints
    j1 = front_pose.place(end).joints
    assert j1["hand_r"][0] - j0["hand_r"][0] < -15 and j1["hand_l"][0] - j0["hand_l"][0] > 15
    assert j0["elbow_r"] == j1["elbow_r"]
    assert len(_arrow_lines(pic)) == 2  # both arms turn: an arrow for each


def test_table_stands_under_the_resting_far_hand():
    from planner.catalog.figure import side_pose
    from planner.catalog.figure.props import scene_props

    pose = {"base": "standing", "trunk_lean": 50, "shoulder_l": 80, "elbow_l": 10}
    p0 = side_pose.place({**pose, "shoulder_r": 32}, False, 0.0)
    p1 = side_pose.place({**pose, "shoulder_r": 72}, False, 0.0)
    tops = [s for s in scene_props(["table"], p0, p1, 0.0)["mid"] if s.kind == "rect"]
    (x0, y0), (x1, y1) = tops[0].points
    hand = p0.joints["hand_l"]
    assert min(x0, x1) < hand[0] < max(x0, x1) and abs(max(y0, y1) - hand[1]) < 6
    assert min(x0, x1) > max(p0.joints["hand_r"][0], p1.joints["hand_r"][0])  # clear of the swing


def test_bed_holds_a_hanging_leg_off_the_floor():
    from planner.catalog.figure import side
    from planner.catalog.figure.spec import normalize

    pic = normalize(load(Path(__file__).parent / "figure_samples" / "side-bed-hang.toml"))
    res = side.build(pic)
    lowest = min(p[1] for s in res.end for p in s.points if s.kind == "line" and s.stroke == "#1f2328")
    assert lowest > 0  # model units, y up: the hanging foot stays above the floor line


PILLOW = "#e6eaef"


@pytest.mark.parametrize(
    "legs, on_a_pillow",
    [
        ({"hip_r": 30, "hip_l": 30, "knee_r": 40, "knee_l": 40}, True),  # a supported rest: feet off the floor
        ({"hip_r": 45, "hip_l": 45, "knee_r": 90, "knee_l": 90}, False),  # knees up, feet flat: no pillow
        ({"hip_r": 20, "knee_r": 10}, False),  # nearly straight
    ],
)
def test_a_pillow_holds_up_knees_resting_bent_never_feet_standing_flat(legs, on_a_pillow):
    def pillows(pose: dict) -> list:
        pic = {"view": "side", "props": ["pillow", "mat"], "start": pose, "end": pose}
        return [s for s in build_shapes(pic).shapes if s.kind == "rect" and s.fill == PILLOW]

    straight, bent = pillows({"base": "lying"}), pillows({"base": "lying", **legs})
    assert len(bent) > len(straight) if on_a_pillow else len(bent) == len(straight)


def test_a_slant_board_rises_away_from_the_writer():
    pic = load(Path(__file__).parent / "figure_samples" / "side-slant-board.toml")
    flat = build_shapes({**pic, "props": ["chair", "table", "pen_paper"]}).shapes
    boards = [s for s in build_shapes(pic).shapes if s.kind == "poly" and s not in flat]
    assert len(boards) == 2  # one in each panel
    for board in boards:
        (near_x, near_y), (_, _), (far_x, far_y) = board.points
        # Its thick edge away from the patient, who faces +x; the drawing's y grows downward.
        assert far_x > near_x and far_y < near_y
