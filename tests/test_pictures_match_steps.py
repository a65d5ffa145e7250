"""A picture moves as far as its steps say, puts the hands where the steps put them, and shows
the thing the exercise is named for (a keyboard to type on, a page to trace, a button).

"Lift one foot a few inches", "lift both arms a little", "just off the floor": a therapist
reads the end picture as the size of the movement, so a foot lifted to a table top teaches a
bigger lift than the steps ask. Measured on the placed joints (model units, about cm, y up).
"""

from __future__ import annotations

import math
import re
import tomllib

import pytest

from planner.catalog.figure import side_pose
from planner.catalog.figure.props import KEYBOARD, WOOD, scene_props
from planner.catalog.figure.spec import normalize
from planner.config import ROOT


def _placed(slug: str) -> tuple[side_pose.Placed, side_pose.Placed, list[str]]:
    """The placed start and end poses of a side-view picture, and its props."""
    data = tomllib.loads((ROOT / "exercises" / f"{slug}.toml").read_text(encoding="utf-8"))
    pic = normalize(data["picture"])
    assert pic.view == "side"
    end = {**pic.end, "base": pic.end.get("base", pic.start.get("base", "standing"))}
    start, last = (side_pose.place(pose, False, 0.0) for pose in (pic.start, end))
    return start, last, pic.props


def _joints(slug: str) -> tuple[dict, dict]:
    """The placed joints of the start and end poses of a side-view picture."""
    start, end, _ = _placed(slug)
    return start.joints, end.joints


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


def test_typing_rests_the_forearm_on_the_table_and_the_fingers_on_a_keyboard():
    """ "Rest your forearms on the table. Keep your wrists straight and level. Type …": the picture
    had a bare table and the forearm held up above it. Now a keyboard lies on the table under the
    fingers, the forearm lies along the table top with the wrist level, and at the break the arm
    hangs down to shake out."""
    start, end, props = _placed("typing-with-relaxed-hands")
    scene = scene_props(props, start, end, 0.0)
    shapes = [s for part in scene.values() for s in part]
    top = max(p[1] for s in shapes if s.fill == WOOD for p in s.points)
    (board,) = [s for s in shapes if s.fill == KEYBOARD]
    xs, ys = [p[0] for p in board.points], [p[1] for p in board.points]
    assert abs(min(ys) - top) < 0.5  # lying on the table top
    j = start.joints
    assert min(xs) <= j["hand_r"][0] <= max(xs) and 0 <= j["hand_r"][1] - max(ys) < 6  # the fingers on it
    for joint in ("elbow_r", "wrist_r"):
        assert 0 <= j[joint][1] - top < 8, (joint, j[joint], top)  # the forearm lies on the table
    assert end.joints["hand_r"][1] < top - 20  # the break: the hand down off the table


def test_tracing_shows_the_page_and_the_pen_moving_along_its_line():
    """ "Put a page of shapes in front of you … Trace a wavy line very slowly": the picture had a
    hand and a pen, no page. Now the page lies under the hand with its shapes printed; the pen tip
    sits on the wavy line at its start, then further along with the line inked up to the tip."""
    from planner.catalog.figure import hand

    data = tomllib.loads((ROOT / "exercises" / "tracing-patterns-slowly.toml").read_text(encoding="utf-8"))
    pic = normalize(data["picture"])
    tips, inked = [], []
    for pose in (pic.start, pic.end):
        under, shapes, tip = hand._draw_parts(hand.values(pose), False, pic.props)
        drawn = under + shapes
        page = [s for s in drawn if s.kind == "rect" and s.fill == "#ffffff"]
        printed = [s for s in drawn if s.stroke == hand.PRINTED]
        ink = [s for s in drawn if s.stroke == hand.TRACED]
        assert page and len(printed) >= 3  # a page with a wavy line, a zigzag and circles
        x0, x1 = sorted(p[0] for p in page[0].points)
        assert x0 < tip["pen"][0] < x1
        wave_y = hand._wave_at(tip["pen"][0])[1]
        assert abs(tip["pen"][1] - wave_y) < 1.0  # the pen tip on the line
        tips.append(tip["pen"])
        inked.append(ink)
    assert tips[1][0] - tips[0][0] > 40  # moved along the line
    assert inked[0] == [] and max(p[0] for p in inked[1][0].points) == pytest.approx(tips[1][0], abs=1.0)
    assert hand.build(pic).arrow  # the arrow along the line


def test_buttoning_shows_both_hands_a_button_and_the_button_through_its_hole():
    """ "Hold the edge of the buttonhole with one hand. Pinch the button with … your other hand.
    Push the button through the hole": the picture had shown a towel and one hand, then a coin.
    Now, seen from above, the shirt's edges lie on the table, two hands hold them, the pinched
    button is beside its buttonhole at the start and on top of it at the end."""
    from planner.catalog.figure import hand
    from planner.catalog.figure.shapes import SKIN

    data = tomllib.loads((ROOT / "exercises" / "buttoning-practice.toml").read_text(encoding="utf-8"))
    pic = normalize(data["picture"])
    gaps = []
    for pose in (pic.start, pic.end):
        under, shapes, tips = hand._draw_parts(hand.values(pose), False, pic.props)
        drawn = under + shapes
        palms = [s for s in drawn if s.kind == "poly" and s.fill == SKIN and len(s.points) == 7]
        assert len(palms) == 2  # both hands
        held = [s.points[0] for s in shapes if s.kind == "circle" and s.fill == hand.BUTTON_FILL]
        assert len(held) == 1 and abs(held[0][0] - tips["pinch"][0]) < 4 and abs(held[0][1] - tips["pinch"][1]) < 4
        (bx, by) = held[0]
        slits = [s.points for s in under if s.stroke == hand.HOLE]
        gaps.append(min(abs(a[0] - bx) for a, b in slits if min(a[1], b[1]) <= by <= max(a[1], b[1])))
    assert gaps[0] > 12 and gaps[1] < 1  # beside the hole, then through it
    assert hand.build(pic).arrow


def test_picking_up_coins_shows_the_cup_and_the_coin_going_into_it():
    """ "Spread ten coins … Set a cup nearby. Pick up one coin with your thumb and first finger. Drop
    it into the cup. Let your fingers open fully": the picture had an open hand, then a coin pinched
    in the air, and no cup. Now, seen from above, coins lie on the table beside a cup; the pinch
    holds one away from the cup, then the open hand is over the cup and the coin lies in it."""
    from planner.catalog.figure import hand
    from planner.catalog.figure.shapes import PROP, dist, lerp

    data = tomllib.loads((ROOT / "exercises" / "pick-up-coins-or-beans.toml").read_text(encoding="utf-8"))
    assert "Set a cup nearby" in data["steps"][0] and "Drop it into the cup" in data["steps"][3]
    pic = normalize(data["picture"])
    drawn = []
    for pose in (pic.start, pic.end):
        under, shapes, tips = hand._draw_parts(hand.values(pose), False, pic.props)
        (cup,) = [s for s in under if s.kind == "circle" and s.fill == PROP]
        centre, rim = cup.points[0], cup.rx
        coins = [s.points[0] for s in under + shapes if s.kind == "circle" and s.fill == hand.COIN_FILL]
        drawn.append((centre, rim, coins, tips))
    (centre, rim, coins, tips) = drawn[0]
    held = [c for c in coins if dist(c, tips["pinch"]) < 4]
    assert len(held) == 1 and dist(held[0], centre) > rim + 20  # one coin in the pinch, over by the others
    assert not [c for c in coins if dist(c, centre) < rim]  # the cup empty
    (centre, rim, coins, tips) = drawn[1]
    assert len([c for c in coins if dist(c, centre) < rim - 6]) == 1  # the coin in the cup
    assert len(drawn[1][2]) == len(drawn[0][2])  # the same coins: the held one now in the cup
    assert dist(lerp(tips["thumb"], tips["index"], 0.5), centre) < rim  # letting go over it
    assert hand.values(pic.end).shape == "open"
    assert hand.build(pic).arrow


def test_the_doorway_stretch_shows_the_step_and_the_lean_from_the_side():
    """ "Rest your forearms on each side of the door frame. Keep your elbows a little lower than your
    shoulders. Take a small step forward with one foot. Slowly lean your chest forward": seen from
    the front (the picture before) the step and the lean went toward the reader and could not be
    seen; the end showed only raised arms. Seen from the side, the forearms stand upright on the
    frame in both panels, and the end steps one foot forward and brings the chest forward past
    the frame, the arms staying on it."""
    from planner.catalog.figure import side
    from planner.catalog.figure.shapes import PROP

    data = tomllib.loads((ROOT / "exercises" / "chest-stretch-doorway.toml").read_text(encoding="utf-8"))
    assert data["picture"]["view"] == "side"
    start, end = _joints("chest-stretch-doorway")
    frame = []
    for j in (start, end):
        for s in "rl":
            assert j[f"wrist_{s}"][1] > j[f"elbow_{s}"][1] + 20  # the forearm upright
            assert abs(j[f"wrist_{s}"][0] - j[f"elbow_{s}"][0]) < 1
            assert j["shoulder"][1] - 10 < j[f"elbow_{s}"][1] < j["shoulder"][1]  # a little lower
            frame.append(j[f"wrist_{s}"][0])
        assert j["head"][0] - j["wrist_r"][0] > 12  # beside the head, not over the face
    assert max(frame) - min(frame) < 1  # the arms stay on the frame
    assert end["ankle_r"][0] - end["ankle_l"][0] > 15  # a small step forward with one foot
    assert end["shoulder"][0] - start["shoulder"][0] > 8  # the chest leans forward
    assert end["chest"][0] > start["chest"][0] + 8
    placed = side.build(normalize(data["picture"]))
    posts = [s for s in placed.start if s.kind == "rect" and s.fill == PROP]  # the frame, edge-on
    assert len(posts) == 1
    back_face = min(p[0] for p in posts[0].points)
    assert abs(back_face - (frame[0] + 3.8)) < 1  # the forearms rest on its face


def test_sit_to_stand_leans_forward_then_rises_from_the_seat():
    """ "Lean forward until your nose is over your toes. Push through your feet and stand up tall":
    the start had sat upright and the arrow swung round the hip like a leg moving down. Now the
    start leans forward and the arrow runs from the seat up to the standing hips."""
    from planner.catalog.figure import side
    from planner.catalog.figure.shapes import shape_points

    start, end = _joints("sit-to-stand")
    assert start["head"][0] - start["hip"][0] > 25  # leaning forward over the feet
    assert abs(end["head"][0] - end["hip"][0]) < 5  # standing tall
    data = tomllib.loads((ROOT / "exercises" / "sit-to-stand.toml").read_text(encoding="utf-8"))
    pts = [p for s in side.build(normalize(data["picture"])).arrow for p in shape_points(s)]
    low, high = min(pts, key=lambda p: p[1]), max(pts, key=lambda p: p[1])
    assert abs(low[1] - start["hip"][1]) < 12 and abs(high[1] - end["hip"][1]) < 12  # seat to standing hips


def test_the_wall_push_up_arrow_shows_the_body_moving_toward_the_wall():
    """ "Bend your elbows and lean your chest in toward the wall": the arrow had been drawn about the
    elbow, over the wall, like a hand swinging up. Now it is straight, behind the back at shoulder
    height, and runs toward the wall as far as the shoulders move."""
    from planner.catalog.figure import side
    from planner.catalog.figure.shapes import shape_points

    start, end, props = _placed("wall-push-up")
    assert "wall" in props
    data = tomllib.loads((ROOT / "exercises" / "wall-push-up.toml").read_text(encoding="utf-8"))
    arrow = side.build(normalize(data["picture"])).arrow
    pts = [p for s in arrow for p in shape_points(s)]
    toward = 1.0 if end.joints["face"][0] > end.joints["head"][0] else -1.0  # the wall is ahead
    xs = sorted(p[0] * toward for p in pts)
    travel = (end.joints["shoulder"][0] - start.joints["shoulder"][0]) * toward
    assert travel > 15 and abs((xs[-1] - xs[0]) - travel) < 4  # as far as the shoulders move
    assert xs[-1] < end.joints["shoulder"][0] * toward  # behind the back, not over the wall
    assert all(abs(p[1] - end.joints["shoulder"][1]) < 20 for p in pts)  # level, at the shoulders
    (head,) = [s for s in arrow if s.kind == "poly"]
    assert max(p[0] * toward for p in head.points) == xs[-1]  # the head points toward the wall


def test_mirror_drawing_shows_the_page_under_the_easy_hand_and_in_the_mirror():
    """ "Put paper and a pen in front of the easy hand. Draw big circles and lines … Watch the
    mirror": the picture had shown a pen hand from the side and no paper. Now the page lies under
    the hand beside the mirror, and the glass shows both, the line drawn at the end in each."""
    from planner.catalog.figure import hand

    data = tomllib.loads((ROOT / "exercises" / "mirror-writing-shapes.toml").read_text(encoding="utf-8"))
    drawn = hand.build(normalize(data["picture"]))
    (glass,) = {s.points for s in drawn.start if s.kind == "rect" and s.fill == hand.GLASS}
    glass_from, glass_to = sorted(p[0] for p in glass)
    for shapes, inked in ((drawn.start, 0), (drawn.end, 2)):
        pages = [s for s in shapes if s.kind == "rect" and s.fill in ("#ffffff", hand._pale("#ffffff"))]
        centres = [(s.points[0][0] + s.points[1][0]) / 2 for s in pages]
        in_glass = [glass_from < x < glass_to for x in centres]
        assert sorted(in_glass) == [False, True]  # the page beside the glass, and its reflection in it
        ink = [s for s in shapes if s.stroke in (hand.TRACED, hand._pale(hand.TRACED))]
        assert len(ink) == inked


def test_the_thick_pen_is_thick_and_the_hand_rests_on_the_paper():
    """ "Slide a foam tube over your pen … Hold it loosely, far from the tip. Rest the side of your
    hand on the paper": the picture had drawn a thin pen over a table that ended at the wrist. Now a
    foam tube wraps the pen, its tip touches the paper under the hand, and at the end the pen lies
    on the paper while the hand opens."""
    from planner.catalog.figure import hand
    from planner.catalog.figure.shapes import shape_points

    data = tomllib.loads((ROOT / "exercises" / "pen-grip-thick-and-loose.toml").read_text(encoding="utf-8"))
    pic = normalize(data["picture"])
    start, end = (hand._draw_parts(hand.values(pose), True, pic.props) for pose in (pic.start, pic.end))
    for under, shapes, _ in (start, end):
        (paper,) = [s for s in under + shapes if s.kind == "rect" and s.fill == "#ffffff"]
        top = max(p[1] for p in paper.points)
        foam = [s for s in shapes if s.stroke == hand.FOAM_EDGE]
        assert len(foam) == 1 and foam[0].width >= 2 * 5  # twice as thick as the pen (5) at least
    pen = [s for s in start[1] if s.stroke == hand.PEN]
    assert abs(min(p[1] for s in pen for p in s.points) - top) < 2  # the tip on the paper
    skin = [p for s in start[1] if s.stroke == hand.INK for p in shape_points(s)]
    assert min(p[1] for p in skin) - top < 8  # the side of the hand on the paper
    lying = [p[1] for s in end[1] if s.stroke == hand.FOAM for p in s.points]
    assert all(top < y < top + 8 for y in lying)  # put down on the paper


def test_writing_with_a_thick_pen_shows_the_thick_pen_close_up_and_lifts_it_after_the_word():
    """ "Hold a thick pen lightly … Write one short word slowly … Lift the pen and let your hand go
    soft": the picture had shown the whole patient at a table, where a pen is a few pixels and its
    thickness cannot be seen. Now the hand is drawn close up with the foam-covered pen, its tip on
    the paper, then lifted off it."""
    from planner.catalog.figure import hand

    data = tomllib.loads((ROOT / "exercises" / "writing-with-thick-pen.toml").read_text(encoding="utf-8"))
    assert "Hold a thick pen lightly" in data["steps"][1] and "Lift the pen" in data["steps"][4]
    pic = normalize(data["picture"])
    assert pic.view == "hand" and hand._side_needed(hand.values(pic.start), hand.values(pic.end))
    lows = []
    for pose in (pic.start, pic.end):
        under, shapes, _ = hand._draw_parts(hand.values(pose), True, pic.props)
        (paper,) = [s for s in under + shapes if s.kind == "rect" and s.fill == "#ffffff"]
        top = max(p[1] for p in paper.points)
        foam = [s for s in shapes if s.stroke == hand.FOAM_EDGE]
        assert len(foam) == 1 and foam[0].width >= 2 * 5  # the foam tube, twice the pen at least
        lows.append(min(p[1] for s in shapes if s.stroke == hand.PEN for p in s.points) - top)
    assert abs(lows[0]) < 2 and lows[1] > 6  # the tip on the paper, then lifted off it
    assert hand.build(pic).arrow


def _mouth_opening(pose: dict) -> float:
    """How far the lips are apart in a face pose: the height of the dark of the mouth (0 closed)."""
    from planner.catalog.figure import face

    dark = [s for s in face._mouth(face.Face(face.values(pose))) if s.fill == face.MOUTH_IN]
    return max((max(p[1] for p in s.points) - min(p[1] for p in s.points) for s in dark), default=0.0)


# (exercise, the pose, the posture a recorded pattern starts it in, what the steps say, the opening
# allowed). A trial (jaw-opening dystonia) saw Lip press and the gum trick start with a wide-open
# mouth (16 high) where the words say the lips part a little.
OPENINGS = [
    ("lip-press", "start", "", "Let your lips part a little", (3, 8)),
    ("jaw-side-glide", "start", "", "Keep your mouth only a little open", (3, 8)),
    ("jaw-side-glide", "end", "", "Keep your mouth only a little open", (3, 8)),
    ("mouth-object-trick", "start", "", "hold the object lightly between your lips", (3, 8)),
    ("mouth-object-trick", "start", "jaw_open", "hold the object lightly between your lips", (3, 8)),
    ("lip-pops-p-p-p", "end", "", "as your lips pop apart", (3, 8)),
    ("tongue-to-roof-hold", "start", "", "Open your mouth a little", (3, 8)),
    ("jaw-opening", "end", "", "Slowly open your mouth", (12, 20)),
    ("jaw-open-stretch", "end", "", "Slowly open your mouth as far as is easy", (25, 40)),
]


@pytest.mark.parametrize(("slug", "pose", "posture", "said", "allowed"), OPENINGS)
def test_the_mouth_opens_as_far_as_the_steps_say(slug, pose, posture, said, allowed):
    from planner.catalog.figure.pattern_start import start_in

    data = tomllib.loads((ROOT / "exercises" / f"{slug}.toml").read_text(encoding="utf-8"))
    assert said in " ".join(data["steps"])
    pic = start_in(data["picture"], posture)
    drawn = pic["start"] if pose == "start" else {**pic["start"], **pic["end"]}
    low, high = allowed
    assert low <= _mouth_opening(drawn) <= high, _mouth_opening(drawn)


def test_the_tongue_tip_lifts_to_the_teeth_in_a_mouth_only_a_little_open():
    """ "Open your mouth a little. Lift the tip of your tongue to the bump just behind your top
    teeth": the start had shown a fully open mouth (16 high) and the end a wider one (22). Now the
    lips part a little, then open just enough to see the tongue (less than the mouth "open"), its
    tip up at the top teeth with the dark of the mouth below it."""
    from planner.catalog.figure import face

    data = tomllib.loads((ROOT / "exercises" / "tongue-to-roof-hold.toml").read_text(encoding="utf-8"))
    pic = normalize(data["picture"])
    assert "Open your mouth a little" in data["steps"][1]
    assert 8 <= _mouth_opening(pic.end) < _mouth_opening({"mouth": "open"}) - 2, _mouth_opening(pic.end)
    shapes = face._mouth(face.Face(face.values(pic.end)))
    (dark,) = [s for s in shapes if s.fill == face.MOUTH_IN]
    (tongue,) = [s for s in shapes if s.fill == face.TONGUE]
    top, bottom = max(p[1] for p in dark.points), min(p[1] for p in dark.points)
    assert top - max(p[1] for p in tongue.points) < 2.5  # the tip at the top teeth
    assert min(p[1] for p in tongue.points) - bottom > 2  # lifted off the floor of the mouth
    assert face.build(pic).arrow  # the lift


def test_the_cup_grip_starts_with_the_open_hand_at_the_cup_and_ends_wrapped_round_it():
    """ "Open your hand and wrap it around the cup": the start had shown an open hand and no cup.
    Now the cup is there in both panels, seen from the thumb side: the open fingers reach past its
    far side, then curl round it (the fingertips over the cup)."""
    from planner.catalog.figure import hand
    from planner.catalog.figure.shapes import PROP

    data = tomllib.loads((ROOT / "exercises" / "cup-grip-and-release.toml").read_text(encoding="utf-8"))
    pic = normalize(data["picture"])
    past = []
    for pose in (pic.start, pic.end):
        _, shapes, tips = hand._draw_parts(hand.values(pose), False, pic.props)
        (cup,) = [s for s in shapes if s.kind == "poly" and s.fill == PROP]
        far = max(p[0] for p in cup.points)
        past.append(tips["fingers"][0] - far)
    assert past[0] > 5  # open: the fingertips past the cup's far side
    assert past[1] < 0  # wrapped: the fingers curled round it


LYING_ON_A_MAT = sorted(
    p.stem
    for p in (ROOT / "exercises").glob("*.toml")
    if (pic := tomllib.loads(p.read_text(encoding="utf-8"))["picture"])["view"] == "side"
    and pic["start"].get("base") in ("lying", "prone")
    and "mat" in pic.get("props", [])
)


@pytest.mark.parametrize("slug", LYING_ON_A_MAT)
def test_a_lying_figure_is_as_large_as_the_panel_width_allows(slug):
    """A lying figure is as long as the panel is wide, so it looked small: the mat ran 12 cm past
    the head and the feet and set the fit. Now the mat ends at the body, and the figure is drawn
    within 3 percent of the size the body alone would give (it was 13 percent smaller)."""
    from planner.catalog.figure.compose import fitted, layout

    data = tomllib.loads((ROOT / "exercises" / f"{slug}.toml").read_text(encoding="utf-8"))
    pic = normalize(data["picture"])
    res, fit = fitted(pic)
    mat = [s for s in res.start if s.kind == "rect" and s.fill == "#c5ccd3"]
    assert len(mat) == 1
    body_only = layout(res, [s for s in res.start + res.end + res.arrow if s not in mat])
    assert fit.scale >= 0.97 * body_only.scale, (fit.scale, body_only.scale)


@pytest.mark.parametrize(("slug", "where"), [("towel-arm-lift-lying", "hands"), ("neck-towel-roll-rest", "neck")])
def test_a_rolled_towel_is_where_the_steps_put_it(slug, where):
    """ "Hold a rolled towel in both hands … Lift the towel up toward the ceiling": the towel had
    been drawn rolled under the neck, as for the towel-roll rest, and the hands lifted nothing."""
    from planner.catalog.figure.props import hand_prop
    from planner.catalog.figure.shapes import shape_points

    start, end, props = _placed(slug)
    scene_props(props, start, end, 0.0)
    for p in (start, end):
        rolls = [s for layer in ("far", "near") for s in hand_prop(props, p, layer) if s.fill == "#f1e3c8"]
        assert len(rolls) == 1
        centre = shape_points(rolls[0])[0]
        at = p.joints["hand_r"] if where == "hands" else p.joints["neck_base"]
        assert abs(centre[0] - at[0]) < 8, (centre, at)


def test_the_wrist_lift_rests_the_forearm_on_the_table_with_the_hand_over_its_edge():
    """ "Rest your forearm on the table with your hand over the edge … Lift the back of your hand up
    toward the ceiling": the forearm had been held up at a slant with the hand over the table top.
    Now the forearm lies along a table beside the patient that ends at the wrist; the hand with the
    weight drops over its edge, then lifts."""
    start, end, props = _placed("wrist-lift-weight")
    shapes = [s for part in scene_props(props, start, end, 0.0).values() for s in part]
    wood = [p for s in shapes if s.fill == WOOD for p in s.points]
    top, edge = max(p[1] for p in wood), max(p[0] for p in wood)
    for p in (start, end):
        j = p.joints
        for joint in ("elbow_r", "wrist_r"):
            assert 0 <= j[joint][1] - top < 8, (joint, j[joint], top)  # the forearm on the table
        assert abs(j["wrist_r"][0] - edge) < 3  # the hand over its edge
    drop, lift = (p.joints["hand_r"][1] - p.joints["wrist_r"][1] for p in (start, end))
    assert drop < -3 and lift > 3  # the hand drops over the edge, then lifts


def test_shaking_out_the_hands_lets_the_arms_hang():
    """ "Sit or stand with your arms hanging loose by your sides. Gently shake your hands": the hand
    had been drawn with the forearm level, as if resting on a table. Now the forearm comes down
    from the top, the hand hangs below the wrist and flops one way, then the other: both hands,
    each on its own side of the picture."""
    from planner.catalog.figure import hand

    data = tomllib.loads((ROOT / "exercises" / "hand-shake-out.toml").read_text(encoding="utf-8"))
    drawn = hand.build(normalize(data["picture"]))
    tips: dict[int, list] = {0: [], 1: []}
    for shapes in (drawn.start, drawn.end):
        widest = max(s.width for s in shapes if s.kind == "line")
        forearms = sorted((s for s in shapes if s.kind == "line" and s.width == widest), key=lambda s: s.points[0][0])
        assert len(forearms) == 2 and forearms[0].points[0][0] < 0 < forearms[1].points[0][0]  # both hands
        for k, forearm in enumerate(forearms):
            (x0, y0), (x1, y1) = forearm.points
            assert abs(x1 - x0) < 1 and y0 - y1 > 40  # straight down to the wrist
            hand_pts = [p for s in shapes if s.points != forearm.points for p in s.points if abs(p[0] - x1) < 30]
            assert max(p[1] for p in hand_pts) < y0 and min(p[1] for p in hand_pts) < y1 - 20  # hanging below
            tips[k].append((min(hand_pts, key=lambda p: p[1]), x1))
    for (t0, x1), (t1, _) in tips.values():
        assert (t0[0] - x1) * (t1[0] - x1) < 0 or abs(t0[0] - t1[0]) > 10  # flops across
    assert drawn.arrow


def _heel_to_toe(joints: dict) -> float:
    """How far the front foot's heel is ahead of the back foot's toes (cm; below 0 they overlap)."""
    front = max("rl", key=lambda s: joints[f"heel_{s}"][0])
    back = "l" if front == "r" else "r"
    return joints[f"heel_{front}"][0] - joints[f"toe_{back}"][0]


@pytest.mark.parametrize(
    ("slug", "poses"), [("heel-toe-walk-counter", (0, 1)), ("tandem-stance-counter", (1,))], ids=str
)
def test_heel_to_toe_puts_the_front_heel_just_in_front_of_the_back_toes(slug, poses):
    """ "Step forward so your heel lands just in front of your other toes"; "so its heel is near the
    toes of your other foot": the feet had stood 9 cm apart, a short step."""
    joints = _joints(slug)
    for index in poses:
        assert 0 <= _heel_to_toe(joints[index]) <= 5, (index, _heel_to_toe(joints[index]))


def test_the_tongue_pushes_forward_into_a_spoon_seen_from_the_side():
    """ "Hold the back of the spoon against the tip of your tongue. Push your tongue into the
    spoon": first a fingertip at the corner of the lips stood for the spoon; then, from the front,
    the spoon hid under the tongue and the push pointed down. Now, from the side, the tongue tip is
    out with the back of the spoon's bowl against it in both panels (the start had the mouth open,
    the spoon apart), and at the end the push runs forward into it at the tongue's height."""
    from planner.catalog.figure import profile
    from planner.catalog.figure.shapes import INK, SKIN, shape_points

    data = tomllib.loads((ROOT / "exercises" / "tongue-push-spoon.toml").read_text(encoding="utf-8"))
    assert "Push your tongue into the spoon" in data["steps"][3]
    pic = normalize(data["picture"])
    assert pic.view == "profile"
    for pose in (pic.start, pic.end):  # the tongue out against the spoon from the start (steps 2-3)
        v = profile.values(pose)
        (bowl,) = [s for s in profile.draw(v) if s.kind == "poly" and s.fill == profile.SPOON]
        tip = profile.tongue_tip(v)
        back = min(p[0] for p in bowl.points)
        assert v.mouth == "tongue_out" and 0 <= back - tip[0] < 4  # the bowl's back at the tongue tip
        assert min(p[1] for p in bowl.points) < tip[1] < max(p[1] for p in bowl.points)
    drawn = profile.draw(profile.values(pic.start))
    handle = max((s for s in drawn if s.kind == "line" and s.stroke == profile.SPOON), key=lambda s: len(s.points))
    low_end = min(handle.points, key=lambda p: p[1])
    fists = [s for s in drawn if s.kind == "poly" and s.fill == SKIN and len(s.points) == 20 and s.stroke == INK]
    assert any(math.dist(_centre(f), low_end) < 12 for f in fists)  # "Hold a clean metal spoon": a hand holds it
    push = [p for s in profile.build(pic).arrow for p in shape_points(s)]
    assert pic.press == "forward" and push
    head = max(push)  # the arrow's point: the furthest forward
    assert tip[0] - 4 < head[0] <= back + 2 and abs(head[1] - tip[1]) < 12  # into the bowl, by the tongue


def _centre(shape) -> tuple[float, float]:  # noqa: ANN001
    """The mean of a shape's points."""
    return (sum(x for x, _ in shape.points) / len(shape.points), sum(y for _, y in shape.points) / len(shape.points))


def _gap_to_fingertip(pose: dict) -> float:
    """Model units between the front of the chin's outline and the round end of the fingertip
    resting on it (0 or less: touching)."""
    from planner.catalog.figure import profile
    from planner.catalog.figure.shapes import dist

    finger_radius, outline = 11 / 2, 4 / 2  # the finger's and the face outline's drawn half widths
    return dist(profile.chin(profile.values(pose)), profile.FINGER_TIP) - finger_radius - outline


def test_the_jaw_slides_back_away_from_the_fingertip_seen_from_the_side():
    """ "Rest one fingertip lightly on your chin. Gently slide your lower jaw back, away from your
    fingertip": drawn from the front, the fingertip only came to the chin and nothing showed the
    jaw going back. Now, from the side, the fingertip touches the chin at the start and stays
    where it was while the chin slides back from it; the arrow under the chin points back."""
    from planner.catalog.figure import profile
    from planner.catalog.figure.shapes import shape_points

    data = tomllib.loads((ROOT / "exercises" / "jaw-back-chin-touch.toml").read_text(encoding="utf-8"))
    assert "slide your lower jaw back, away from your fingertip" in data["steps"][3]
    pic = normalize(data["picture"])
    assert pic.view == "profile" and pic.start.get("touch") == pic.end.get("touch") == "chin"
    assert _gap_to_fingertip(pic.start) <= 0.5  # resting on the chin
    assert _gap_to_fingertip(pic.end) >= 6  # a gap a reader sees: the jaw has left the fingertip
    back = profile.chin(profile.values(pic.end))[0] - profile.chin(profile.values(pic.start))[0]
    assert back <= -6
    arrow = profile.build(pic).arrow
    (head,) = [s for s in arrow if s.kind == "poly"]
    tail = [p for s in arrow if s.kind == "line" for p in shape_points(s)]
    assert min(p[0] for p in head.points) < min(p[0] for p in tail)  # it points back, toward the ear
    assert (
        max(p[1] for s in arrow for p in shape_points(s)) < profile.chin(profile.values(pic.end))[1]
    )  # under the chin


# The steps slide the jaw or the chin forward or back: only a side view shows that way.
SLIDES_FORWARD_OR_BACK = re.compile(r"slide (your )?(lower )?(jaw|chin)\b[^.]*\b(back|forward)", re.IGNORECASE)
SLIDING_THE_JAW_OR_CHIN = sorted(
    p.stem
    for p in (ROOT / "exercises").glob("*.toml")
    if SLIDES_FORWARD_OR_BACK.search(" ".join(tomllib.loads(p.read_text(encoding="utf-8"))["steps"]))
)


@pytest.mark.parametrize("slug", SLIDING_THE_JAW_OR_CHIN)
def test_a_jaw_or_chin_slid_back_is_drawn_from_the_side_moving_back(slug):
    """The face view cannot show a slide forward or back (jaw-back-chin-touch was drawn from the
    front): every exercise whose steps slide the jaw or the chin back is drawn from the side, its
    arrow on that slide, and the end pose is further back than the start. Face down (on hands and
    knees) the slide goes toward the ceiling and its arrow reads as "look up": the arrow is the
    tuck's nod there (test_a_chin_tuck_that_says_do_not_look_up_has_no_arrow_pointing_up)."""
    data = tomllib.loads((ROOT / "exercises" / f"{slug}.toml").read_text(encoding="utf-8"))
    pic = normalize(data["picture"])
    slide = {"profile": "jaw_forward", "side": "head_forward"}.get(pic.view)
    assert slide, f"{slug} is drawn in the {pic.view} view"
    assert pic.arrow == slide or (pic.start.get("base") == "hands_knees" and pic.arrow == "head_nod")
    assert pic.end.get(slide, 0) < pic.start.get(slide, 0)


def test_the_slides_found_include_the_jaw_and_the_chin_tucks():
    assert {"jaw-back-chin-touch", "chin-tuck-sitting", "chin-tuck-wall", "chin-tuck-hands-knees"} <= set(
        SLIDING_THE_JAW_OR_CHIN
    )


def test_every_hand_object_draws_with_every_forearm_turn():
    """A clinic may write its own exercise with any allowed values: a hanging forearm with the
    page of shapes failed to draw (the page is laid out only in the view from above)."""
    from planner.catalog.figure import render_svg
    from planner.catalog.figure.spec import KEYS

    keys = KEYS["hand"]
    for held in keys["object"]:
        for turn in keys["forearm_turn"]:
            for wrist, props in ((0, ["table"]), (20, ["mirror"])):
                start = {"hand": "pen_grip", "object": held, "forearm_turn": turn, "wrist": wrist}
                pic = {"view": "hand", "props": props, "start": start, "end": {**start, "hand": "pinch"}}
                assert render_svg(pic, side="left").startswith("<svg"), pic


def test_belly_breathing_shows_the_belly_rise_under_its_hand_and_the_chest_hand_still():
    """ "Let your belly rise under your hand. Keep the hand on your chest almost still": both panels
    had been the same picture. Breathing in, the belly and the hand on it rise; the chest hand does
    not move; the arrow shows the rise."""
    from planner.catalog.figure import side

    start, end = _joints("belly-breathing-lying")
    assert end["hand_r"][1] - start["hand_r"][1] >= 4  # the belly hand rises (lying on the back: up)
    assert abs(end["hand_l"][1] - start["hand_l"][1]) < 0.5  # the chest hand stays
    data = tomllib.loads((ROOT / "exercises" / "belly-breathing-lying.toml").read_text(encoding="utf-8"))
    assert side.build(normalize(data["picture"])).arrow


SETTLING_TRICKS = sorted(
    p.stem
    for p in (ROOT / "exercises").glob("*.toml")
    if "sensory_trick" in (data := tomllib.loads(p.read_text(encoding="utf-8"))).get("approaches", [])
    and any("head settle toward the middle" in step for step in data["steps"])
)


@pytest.mark.parametrize("slug", SETTLING_TRICKS)
def test_a_sensory_trick_ends_with_the_head_settled_in_the_middle(slug):
    """ "Rest one or two fingertips on the middle of your chin … Let your head settle toward the
    middle": the chin touch and the hand on the back of the head kept the start's turn and tilt
    in the end, as if the trick changed nothing. Now the end has the head in the middle, and the
    exercise, which moves the head, says to stop if dizzy (en and es)."""
    from planner.catalog.safety import has_dizziness_rule

    data = tomllib.loads((ROOT / "exercises" / f"{slug}.toml").read_text(encoding="utf-8"))
    pic = normalize(data["picture"])
    assert pic.end.get("touch", "none") != "none"  # the hand on the trick's spot
    for key in ("head_turn", "head_tilt", "head_nod"):
        assert pic.end.get(key, 0) == 0, (key, pic.end)
    assert has_dizziness_rule(data), data["cautions"]
    es = tomllib.loads((ROOT / "exercises" / "translations" / "es" / f"{slug}.toml").read_text(encoding="utf-8"))
    assert any(c.startswith("Pare si") and "mare" in c for c in es["cautions"]), es["cautions"]


def test_the_tricks_that_start_off_the_middle_are_among_those_checked():
    """The table above finds the tricks by their steps; the two drawn starting off the middle (and
    whose end had kept that start) must be in it, and the cheek touch, drawn in the middle."""
    assert {"sensory-trick-chin-touch", "sensory-trick-back-of-head", "sensory-trick-cheek-touch"} <= set(
        SETTLING_TRICKS
    )


LYING_DOWN = sorted(
    p.stem
    for p in (ROOT / "exercises").glob("*.toml")
    if (pic := normalize(tomllib.loads(p.read_text(encoding="utf-8"))["picture"])).start.get("base")
    in {"side": ("lying", "prone", "side_lying"), "front": ("lying",)}.get(pic.view, ())
)


def _picture(slug: str) -> dict:
    return tomllib.loads((ROOT / "exercises" / f"{slug}.toml").read_text(encoding="utf-8"))["picture"]


@pytest.mark.parametrize("slug", LYING_DOWN)
def test_a_lying_picture_is_cut_to_the_figure_so_its_head_is_larger_on_the_page(slug):
    """A lying figure filled a square panel's width and left most of its height empty: on the
    handout its head was a few mm tall. Now the panels are cut to the figure's height, so a page
    that gives the picture the height of a 2:1 picture draws it wider: the head takes at least
    14.5 percent of the picture's height (13.2 at most before; 18 to 28 for most now)."""
    from planner.catalog.figure import build_shapes
    from planner.catalog.figure.shapes import INK, SKIN

    fig = build_shapes(_picture(slug))
    head = max(2 * s.rx for s in fig.shapes if s.kind == "circle" and s.fill == SKIN and s.stroke == INK)
    least_head, least_width = RAISED_UNDER_THE_CLOCK.get(slug, (0.145, 2.6))
    assert head / fig.height >= least_head, (head, fig.height)
    assert fig.width / fig.height >= least_width


# On a bed with a hold clock, the head lying on its pillow (7 cm up) comes under the corner mark's
# room, so the panels are 5 percent taller: 14.7 percent and 2.7 : 1 before the pillow was under it.
RAISED_UNDER_THE_CLOCK = {"hip-front-stretch-bed-edge": (0.14, 2.55)}


@pytest.mark.parametrize("side", ["right", "left"])
@pytest.mark.parametrize(
    "slug", [s for s in LYING_DOWN if _picture(s).get("symbol") in ("hold", "count") or "press" in _picture(s)]
)
def test_the_clock_in_a_cut_panel_stays_clear_of_the_figure(slug, side):
    """Cut to the figure's height, a panel's top corner could fall on a raised knee or foot: the
    hold clock keeps clear of every point drawn in the end panel, mirrored too."""
    from planner.catalog.figure import build_shapes
    from planner.catalog.figure.compose import PANELS
    from planner.catalog.figure.shapes import FRAME, SYMBOL, shape_points

    fig = build_shapes(_picture(slug), side)
    (clock,) = [s for s in fig.shapes if s.kind == "circle" and s.stroke == SYMBOL]
    (cx, cy), r = clock.points[0], clock.rx + 2
    x0, x1 = PANELS[1][0], PANELS[1][2]
    drawn = [
        p
        for s in fig.shapes
        if s.stroke not in (SYMBOL, FRAME, "#adb5bd") and s.kind != "text"
        for p in shape_points(s)
        if x0 < p[0] < x1
    ]
    assert all(not (abs(x - cx) < r and abs(y - cy) < r) for x, y in drawn)


def test_a_cut_lying_picture_is_mirrored_within_its_panels():
    """side = "left" mirrors each cut panel in itself, as it does a square one."""
    from planner.catalog.figure import build_shapes
    from planner.catalog.figure.compose import PANELS

    right, left = (build_shapes(_picture("bridge"), side) for side in ("right", "left"))
    assert right.height == left.height < 150
    for a, b in zip(right.shapes, left.shapes, strict=True):
        if a.kind in ("text", "rect") or not PANELS[0][0] <= a.points[0][0] <= PANELS[1][2]:
            continue
        panel = PANELS[0] if a.points[0][0] < 200 else PANELS[1]
        if not panel[0] <= a.points[0][0] <= panel[2]:
            continue  # the arrow between the panels stays as it is
        assert [round(panel[0] + panel[2] - x, 1) for x, _ in a.points] == pytest.approx(
            [x for x, _ in b.points], abs=0.11
        )
        assert [y for _, y in a.points] == [y for _, y in b.points]


def _arrow_of(slug: str) -> tuple[list, list]:
    """The side-view arrow of a picture: its head's points and its line's points."""
    from planner.catalog.figure import side
    from planner.catalog.figure.shapes import shape_points

    arrow = side.build(normalize(_picture(slug))).arrow
    head = [p for s in arrow if s.kind == "poly" for p in shape_points(s)]
    tail = [p for s in arrow if s.kind == "line" for p in shape_points(s)]
    return head, tail


def test_the_shoulder_blade_squeeze_pulls_the_elbows_back_with_the_forearms_level():
    """ "Bend your elbows and keep them close to your sides. Gently pull your elbows back": the end
    had the whole arm swung back, the hands dropped into the lap, and the arrow pointed down at
    them. Now the elbow goes behind the trunk with the forearm level, and the arrow at the elbow
    points back."""
    start, end = _joints("shoulder-blade-squeeze")
    for j in (start, end):
        assert abs(j["wrist_r"][1] - j["elbow_r"][1]) < 3  # the forearm level
    assert end["elbow_r"][0] < end["shoulder"][0] - 8  # the elbow back behind the trunk
    head, tail = _arrow_of("shoulder-blade-squeeze")
    assert min(p[0] for p in head) < min(p[0] for p in tail)  # it points back (the face looks +x)
    assert all(0 < end["elbow_r"][1] - p[1] < 20 for p in head + tail)  # just under the elbow


def test_shoulders_back_and_down_shows_the_shoulders_going_down_behind_the_back():
    """ "Draw your shoulder blades back … Then slide them down, away from your ears": the arrow
    had been drawn at the hands by the seat, pointing back, as if the hands pushed. Now it runs
    down behind the back, at the shoulders."""
    _, end = _joints("shoulder-blades-back-down")
    head, tail = _arrow_of("shoulder-blades-back-down")
    assert all(p[0] < end["shoulder"][0] for p in head + tail)  # behind the back
    assert min(p[1] for p in head) < min(p[1] for p in tail)  # pointing down
    assert max(p[1] for p in head + tail) > end["shoulder"][1] - 10  # from the shoulders' height


def test_the_tongue_tip_is_in_one_corner_of_the_mouth_then_the_other():
    """ "Put the tip of your tongue in the right corner of your mouth. Slide it slowly to the left
    corner": the tongue had filled the mouth from its middle to past one corner, so both panels
    showed the same pink bar. Now only the tip shows, in the patient's right corner (the picture's
    left), then in the left corner, the rest of the mouth dark."""
    from planner.catalog.figure import face

    data = tomllib.loads((ROOT / "exercises" / "tongue-side-to-side.toml").read_text(encoding="utf-8"))
    assert "right corner" in data["steps"][1] and "left corner" in data["steps"][2]
    pic = normalize(data["picture"])
    middle = 0.0  # the face's middle (the head is not turned)
    sides = []
    for pose in (pic.start, pic.end):
        tongue = [p for s in face.draw(face.values(pose), pic.props) if s.stroke == face.TONGUE for p in s.points]
        xs = [x - middle for x, _ in tongue]
        assert tongue and (max(xs) < -2 or min(xs) > 2)  # all of it in one half of the mouth
        sides.append(1 if min(xs) > 0 else -1)
    assert sides == [-1, 1]  # the patient's right corner, then the left


ALL_PICTURES = sorted(p.stem for p in (ROOT / "exercises").glob("*.toml"))


@pytest.mark.parametrize("side", ["right", "left"])
@pytest.mark.parametrize("slug", ALL_PICTURES)
def test_a_picture_stays_inside_its_panels(slug, side):
    """Seen from the thumb side, the forearm had run 5 units out of the panel's frame on the
    left, and in the end panel under the arrow between the panels (writing with a thick pen, the
    wrist bends, the thick pen); a pen's top and the fingertip on a chin dropped by a wide-open
    mouth poked through the frame too. Every stroke now stays inside the panel it is drawn in."""
    from planner.catalog.figure import build_shapes
    from planner.catalog.figure.compose import PANELS, fitted
    from planner.catalog.figure.shapes import FRAME

    fig = build_shapes(_picture(slug), side)
    bottom = fitted(normalize(_picture(slug)))[1].bottom
    for s in fig.shapes:
        if s.kind == "text" or s.stroke == FRAME or s.fill == "#495057":  # labels, frames, the arrow between
            continue
        half = s.width / 2 if s.stroke else 0.0
        points = s.points
        if s.kind in ("circle", "ellipse"):
            (x, y) = s.points[0]
            points = ((x - s.rx, y), (x + s.rx, y), (x, y - s.ry), (x, y + s.ry))
        panel = PANELS[0] if points[0][0] < 200 else PANELS[1]
        for x, y in points:
            assert panel[0] <= x - half + 0.5 and x + half - 0.5 <= panel[2], (s, panel)
            assert panel[1] <= y - half + 0.5 and y + half - 0.5 <= bottom, (s, panel)


def test_ankle_circles_draw_a_loop_round_the_toes():
    """ "Slowly draw a circle in the air with your big toe": the arrow had been a short arc with the
    toes pointing down, a therapist read it as "point your toes". Now the arrow goes round the toes
    (most of a circle), with the circle mark in the corner."""
    _, end = _joints("ankle-circles")
    toe = end["toe_r"]
    head, tail = _arrow_of("ankle-circles")
    angles = [math.degrees(math.atan2(y - toe[1], x - toe[0])) % 360 for x, y in tail]
    assert len({int(a // 45) for a in angles}) >= 7  # round the toe: seven of the eight directions
    assert all(math.dist(p, toe) < 20 for p in tail)  # close round it
    assert _picture("ankle-circles")["symbol"] == "count"


def test_the_head_comes_off_the_high_chair_back_while_the_body_stays_leaning_on_it():
    """ "Lean back. Let the back of your head touch the chair lightly … Now move your head forward,
    just off the chair": the end had sat the whole trunk up from the chair back, as if leaning
    forward. Now the body stays leaning back, the shoulders where they were, and only the head
    comes forward, a little."""
    data = tomllib.loads((ROOT / "exercises" / "head-rest-high-chair.toml").read_text(encoding="utf-8"))
    assert "move your head forward, just off the chair" in data["steps"][3]
    start, end = _joints("head-rest-high-chair")
    assert math.dist(start["shoulder"], end["shoulder"]) < 0.5 and math.dist(start["hip"], end["hip"]) < 0.5
    forward = end["head"][0] - start["head"][0]  # the face looks to +x
    assert 3 <= forward <= 10, forward  # just off the chair back


@pytest.mark.parametrize(
    ("slug", "view"),
    [
        ("jaw-back-chin-touch", "profile"),
        ("jaw-closing-hold", "profile"),
        ("sensory-trick-temple-touch", "face"),
        ("jaw-open-stretch", "face"),
    ],
)
def test_a_fingertip_on_the_face_belongs_to_a_hand(slug, view):
    """A fingertip on the chin or the temple had been a lone rounded bar, 42 units long, which a
    therapist read as a pen or a stylus. Now a loose fist sits just behind the finger, wider than
    the finger, as a hand's would."""
    from planner.catalog.figure import face, profile
    from planner.catalog.figure.shapes import SKIN

    pic = normalize(_picture(slug))
    assert pic.view == view
    drawn = profile.draw(profile.values(pic.end)) if view == "profile" else face.draw(face.values(pic.end), pic.props)
    fingers = [s for s in drawn if s.kind == "line" and s.width == 11]  # the fingers' outlines
    assert 1 <= len(fingers) <= 2  # one fingertip, or two (jaw-open-stretch: two fingertips mid-chin)

    def centre(shape):  # noqa: ANN001, ANN202
        return (
            sum(x for x, _ in shape.points) / len(shape.points),
            sum(y for _, y in shape.points) / len(shape.points),
        )

    ovals = [s for s in drawn if s.kind == "poly" and s.fill == SKIN and len(s.points) == 20]  # ears, a fist
    for finger in fingers:
        (knuckle, _tip) = finger.points
        fist = min(ovals, key=lambda s: math.dist(centre(s), knuckle))
        assert max(math.dist(a, b) for a in fist.points for b in fist.points) >= 2 * 11  # twice the finger's width
        # the finger comes out of it (a second finger beside the first, a little further from the middle)
        assert math.dist(centre(fist), knuckle) < (15 if len(fingers) == 1 else 18)


def test_the_jaw_closing_hold_reads_as_the_finger_pressing_down_and_the_jaw_holding_up():
    """Trial 12: the fingertip came up from under the chin, with the press arrow pointing up at the
    chin beside it: it read as the finger pushing the chin up. The steps press down on the front
    of the chin and hold the mouth shut against it. The hand now comes from in front and above the
    chin, and the arrow pushes up from under the chin into it (the jaw's work), below the finger."""
    from planner.catalog.figure import profile

    pic = normalize(_picture("jaw-closing-hold"))
    end = profile.values(pic.end)
    assert profile.values(pic.start).mouth == end.mouth == "closed"
    (finger,) = [s for s in profile.draw(end) if s.kind == "line" and s.width == 11]
    knuckle, tip = finger.points
    assert knuckle[1] > tip[1] and knuckle[0] > tip[0]  # from in front, above the fingertip
    chin = profile.chin(end)
    assert math.dist(tip, chin) < 8  # on the front of the chin
    drawing = profile.build(pic)
    points = [p for s in drawing.arrow for p in s.points]
    assert max(y for _, y in points) < tip[1]  # the press arrow is under the finger, not beside it
    assert all(abs(x - chin[0]) < 12 for x, _ in points)  # under the chin


HEAD_SLIDES = sorted(
    p.stem
    for p in (ROOT / "exercises").glob("*.toml")
    if (pic := normalize(tomllib.loads(p.read_text(encoding="utf-8"))["picture"])).view == "side"
    and pic.arrow == "head_forward"
)


@pytest.mark.parametrize("slug", HEAD_SLIDES)
def test_an_arrow_that_slides_the_head_is_drawn_where_the_head_slides(slug):
    """chin-tuck-lying ("Gently tuck your chin in … Keep the back of your head on the pillow";
    "You should feel the back of your neck get long") drew the slide arrow at the crown pointing
    toward the feet: lying on the pillow the head barely moves (0.3 units), so the arrow showed a
    leftover of the drawing, the wrong way. A head-slide arrow stands only where the head moves
    at least 3 units; the lying chin tuck shows the small nod (chin toward the chest) instead."""
    from planner.catalog.figure.shapes import dist

    assert {"chin-tuck-sitting", "chin-tuck-wall"} <= set(HEAD_SLIDES)
    start, end = _joints(slug)
    assert dist(start["head"], end["head"]) >= 3, (slug, start["head"], end["head"])


DO_NOT_LOOK_UP = sorted(
    p.stem
    for p in (ROOT / "exercises").glob("*.toml")
    if "Do not look up." in " ".join(tomllib.loads(p.read_text(encoding="utf-8"))["steps"])
)


@pytest.mark.parametrize("slug", DO_NOT_LOOK_UP)
def test_a_chin_tuck_that_says_do_not_look_up_has_no_arrow_pointing_up(slug):
    """chin-tuck-hands-knees ("Slide your chin back toward your throat. Keep your eyes on the floor.
    Do not look up."): face down, the head's slide back goes toward the ceiling, so its arrow stood
    straight up in front of the face, where a patient reads "look up". The arrow is the tuck's small
    nod: its point goes back toward the body and down, toward the throat."""
    assert "chin-tuck-hands-knees" in DO_NOT_LOOK_UP
    start, end = _joints(slug)
    ahead = 1.0 if end["head"][0] > end["hip"][0] else -1.0  # the way the figure faces
    head, _ = _arrow_of(slug)
    tip, corners = head[0], head[1:]
    back = ((corners[0][0] + corners[1][0]) / 2, (corners[0][1] + corners[1][1]) / 2)
    dx, dy = tip[0] - back[0], tip[1] - back[1]
    assert dy < 0 and dx * ahead < 0, (slug, dx, dy)  # down and back toward the throat, never up
    assert math.dist(start["head"], end["head"]) < 3  # the head stays in line with the back, not raised


KNEES_ON_A_PILLOW = sorted(
    p.stem
    for p in (ROOT / "exercises").glob("*.toml")
    if (pic := tomllib.loads(p.read_text(encoding="utf-8"))["picture"])["view"] == "side"
    and pic["start"].get("base") == "lying"
    and "pillow" in pic.get("props", [])
    and 15 <= pic["start"].get("knee_r", 0) < 45  # the knees a little bent: a pillow is drawn under them
)


@pytest.mark.parametrize("slug", KNEES_ON_A_PILLOW)
def test_knees_resting_on_a_pillow_leave_the_heels_on_the_bed(slug):
    """belly-breathing-lying ("Put a pillow under your head and one under your knees"),
    supported-rest-pillows ("Add pillows under your knees") and body-scan-lying ("Use pillows for
    support") drew the thighs raised 30 degrees over the pillow and the heels 23 units up in the
    air: legs held up, not resting. The heels now rest on the bed, no higher than a straight leg's
    heel lying there (8.5 units above the floor, heel-slides' start) and 3 more, in both panels."""
    assert {"belly-breathing-lying", "supported-rest-pillows", "body-scan-lying"} <= set(KNEES_ON_A_PILLOW)
    straight, _ = _joints("heel-slides")
    resting = _lowest_of_foot(straight, "r")
    for joints in _joints(slug):
        for side in "rl":
            assert _lowest_of_foot(joints, side) <= resting + 3, (slug, side, _lowest_of_foot(joints, side))
        assert joints["knee_r"][1] > joints["hip"][1] + 10  # the knees still up on the pillow
