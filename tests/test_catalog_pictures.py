"""Every catalog picture shows what its steps say: hands on the chair, heels on the floor,
and the safety rules that follow from what an exercise moves."""

from __future__ import annotations

import re
import tomllib

import pytest

from planner.catalog.figure import front, front_pose, side_pose
from planner.catalog.figure.props import CHAIR, WOOD
from planner.catalog.figure.props import scene_props as side_scene
from planner.catalog.figure.shapes import round_shape
from planner.catalog.figure.spec import normalize
from planner.catalog.safety import bare_dizziness_rule, has_dizziness_rule, moves_the_head
from planner.config import ROOT
from planner.dystonia.pattern import PatternData, Pull

EXERCISES = {p.stem: tomllib.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "exercises").glob("*.toml"))}
STEPS = {slug: " ".join(e["steps"]) for slug, e in EXERCISES.items()}

# Standing work whose steps hold on to a chair, a counter or a stair's hand rail, and with how many hands.
HOLDING = {
    slug: 2 if "both hands" in STEPS[slug] else 1
    for slug, e in EXERCISES.items()
    if e["position"] == "standing"
    and re.search(r"\b(both hands|one hand|Hold on|Hold it|Hold the hand rail)\b", STEPS[slug])
    and re.search(r"\b(chair|counter|rail)\b", STEPS[slug])
}
HEEL_DOWN = [slug for slug, steps in STEPS.items() if re.search(r"heels? (on the floor|down)", steps)]
TOUCHING = 6.0  # model units (about cm): a hand this close to the rail rests on it


def _posed(pic: dict) -> tuple[list[dict], list]:
    """The placed joints of both poses and the scene's prop shapes (model units, y up)."""
    pic = normalize(pic)
    end = {**pic.end, "base": pic.end.get("base", pic.start.get("base", "standing"))}
    if pic.view == "front":
        s0, s1 = front_pose.place(pic.start), front_pose.place(end)
        scene = front.scene_props(pic.props, [s0, s1])
        return [s0.joints, s1.joints], [s for part in scene.values() for s in part]
    p0, p1 = side_pose.place(pic.start, False, 0.0), side_pose.place(end, False, 0.0)
    scene = side_scene(pic.props, p0, p1, 0.0)
    return [p0.joints, p1.joints], [s for part in scene.values() for s in part]


def _rail(shapes: list) -> tuple[float, float, float]:
    """The top of what the hands hold: (left x, right x, height) of the chair back or counter."""
    held = [s for s in shapes if s.stroke == CHAIR or s.fill == WOOD]
    top = max(p[1] for s in held for p in s.points)
    xs = [p[0] for s in held for p in s.points if abs(p[1] - top) < 1.0]
    return min(xs), max(xs), top


def test_the_catalog_has_the_chair_exercises_this_checks():
    assert len(HOLDING) >= 11 and sum(n == 2 for n in HOLDING.values()) >= 6
    assert "step-up" in HOLDING  # up a stair holding the hand rail (the picture: a rail beside, held)


@pytest.mark.parametrize("slug", sorted(HOLDING))
def test_hands_rest_on_the_chair_or_counter_the_steps_hold(slug):
    joints, shapes = _posed(EXERCISES[slug]["picture"])
    x0, x1, top = _rail(shapes)
    for pose, j in zip(("start", "end"), joints, strict=True):
        resting = [s for s in "rl" if x0 - 3 <= j[f"hand_{s}"][0] <= x1 + 3 and abs(j[f"hand_{s}"][1] - top) < TOUCHING]
        assert len(resting) >= HOLDING[slug], f"{pose}: hands {j['hand_r']}, {j['hand_l']}; rail {x0}..{x1} at {top}"


def test_heel_down_exercises_are_found():
    assert {"hamstring-stretch-seated", "calf-stretch-wall", "mini-squat-counter"} <= set(HEEL_DOWN)


@pytest.mark.parametrize("slug", HEEL_DOWN)
def test_heels_the_steps_put_on_the_floor_are_on_the_floor(slug):
    pic = EXERCISES[slug]["picture"]
    assert pic["view"] == "side"
    joints, _ = _posed(pic)
    for pose, j in zip(("start", "end"), joints, strict=True):
        lowest = min(j["heel_r"][1], j["heel_l"][1])
        on_floor = [s for s in "rl" if j[f"heel_{s}"][1] < 6.0]
        # the stretched leg's heel, or both heels when both feet stand
        assert on_floor, f"{pose}: heels at {j['heel_r']}, {j['heel_l']} (lowest {lowest})"
        if slug != "hamstring-stretch-seated":
            assert len(on_floor) == 2, f"{pose}: a heel is off the floor"


def test_the_seated_hamstring_stretch_rests_the_straight_leg_heel_on_the_floor():
    joints, _ = _posed(EXERCISES["hamstring-stretch-seated"]["picture"])
    for j in joints:
        assert j["heel_r"][1] < 6.0 and j["heel_r"][0] > j["knee_r"][0]  # out in front, down


def test_the_catalog_has_at_least_180_exercises():
    assert len(EXERCISES) >= 180


HEAD_MOVING = sorted(slug for slug, e in EXERCISES.items() if moves_the_head(e))
SPANISH = {
    p.stem: tomllib.loads(p.read_text(encoding="utf-8"))
    for p in sorted((ROOT / "exercises" / "translations" / "es").glob("*.toml"))
}

# Every catalog exercise that moves the head on the neck, read beside its steps and picture: they
# carry the dizziness stop rule, and no other exercise carries it bare. Standing balance, breath
# holding and voice work keep their own dizziness cautions, each with its reason ("dizzy or
# unsteady"; "dizzy. Breathe normally"). The isometric presses (neck-press-*) hold the head still.
MOVE_THE_HEAD = [
    # neck range of motion, stretches and strengthening that move the head
    *("cat-camel", "eyes-lead-head-turn", "head-nod-lying", "head-nod-sitting", "head-turns-standing"),
    *("look-up-stretch-sitting", "neck-back-stretch-sitting", "neck-shoulder-blade-stretch"),
    *("neck-side-stretch", "neck-side-stretch-lying", "neck-side-tilt-lying", "neck-side-tilt-sitting"),
    *("neck-tilt-against-hand", "neck-tilt-lying-hold", "neck-turn-against-hand", "neck-turn-lying-hold"),
    *("neck-turn-lying", "neck-turn-sitting", "neck-turn-stretch-hold"),
    *("chin-nod-head-lift", "head-curl-lying", "head-lift-face-down", "head-lift-hands-knees"),
    *("chin-tuck-hands-knees", "chin-tuck-lying", "chin-tuck-sitting", "chin-tuck-wall"),
    # the head brought to the middle, or held there after a move
    *("calm-position-head-rest", "head-balance-light-object", "head-midline-away-from-pull"),
    *("head-midline-eyes-closed", "head-midline-mirror", "reading-midline-hold", "neck-towel-roll-rest"),
    # sensory tricks: the head settles toward the middle; the high chair: forward off the chair back
    *("sensory-trick-back-of-head", "sensory-trick-cheek-touch", "sensory-trick-chin-touch"),
    "head-rest-high-chair",
    # posture and trunk work that carries the head with it (slumped to tall; turning the trunk)
    *("pelvic-tilt-neutral-sitting", "prone-y-lift", "screen-posture-check", "shoulder-blades-back-down"),
    *("shoulder-drop-hang-weights", "sitting-tall-firm-chair", "standing-tall-wall", "table-posture-check"),
    *("trunk-midline-mirror-sitting", "walking-tall", "writing-stable-shoulders", "upper-back-hug-stretch"),
    *("trunk-turn-reach-sitting", "trunk-turn-sitting", "trunk-turn-standing", "trunk-turn-stretch-chair"),
]
# The Spanish stop rule, bare: "Pare si se marea.", "Pare y siéntese si se marea." …
BARE_SPANISH = re.compile(r"Pare(?: y (?:siéntese|no se mueva))? si se marea\.(?: Levántese despacio\.)?")


def test_head_moving_exercises_are_found_by_what_they_move():
    assert {"neck-turn-sitting", "chin-tuck-sitting", "cat-camel", "trunk-turn-sitting"} <= set(HEAD_MOVING)
    assert "neck-press-forward" not in HEAD_MOVING  # an isometric hold: the head stays still
    assert "heel-raise" not in HEAD_MOVING


def test_the_exercises_that_move_the_head_are_these():
    """By picture, by neck range of motion or stretching, or by `moves_head = true` in the file
    where only the steps say it (head-rest-high-chair, sensory-trick-cheek-touch)."""
    assert sorted(MOVE_THE_HEAD) == HEAD_MOVING


@pytest.mark.parametrize("slug", sorted(EXERCISES))
def test_the_dizziness_stop_rule_is_on_every_exercise_that_moves_the_head_and_bare_on_no_other(slug):
    english, spanish = EXERCISES[slug]["cautions"], SPANISH[slug]["cautions"]
    if slug in MOVE_THE_HEAD:
        assert has_dizziness_rule(EXERCISES[slug]), english
        assert any(c.startswith("Pare") and "mare" in c for c in spanish), spanish
    else:
        assert not any(bare_dizziness_rule(c) for c in english), english
        assert not any(BARE_SPANISH.fullmatch(c) for c in spanish), spanish


def test_band_pull_apart_starts_with_the_arms_out_in_front_at_chest_height_and_ends_out_to_the_sides():
    """The steps: arms straight out in front at chest height holding the band, then the hands
    pull apart, out to the sides. The picture had started with the arms down and swept up like a
    side raise."""
    pic = EXERCISES["band-pull-apart"]["picture"]
    (start, end), _ = _posed(pic)
    for s in "rl":
        shoulder, hand = start[f"shoulder_{s}"], start[f"hand_{s}"]
        assert start["chest"][1] - 2 <= hand[1] <= shoulder[1], (s, hand, shoulder)  # chest height
        assert abs(shoulder[0]) < abs(hand[0]) < abs(shoulder[0]) + 10  # a little wider than the shoulders
        out = end[f"hand_{s}"]
        assert abs(out[1] - end[f"shoulder_{s}"][1]) < 8 and abs(out[0]) > abs(shoulder[0]) + 45  # out to the side
    assert front.build(normalize(pic)).arrow == []  # no arc about the shoulder sweeping up from below


def test_weight_shifts_keep_both_feet_on_the_floor_and_the_hands_on_the_chair():
    """Weight over one foot, then the other: the hips and trunk move over each foot in turn while
    both feet stay flat where they stand (no leg lifted out to the side). The end had looked the
    same as the start at handout size: the shift was in the legs only, behind the chair."""
    pic = EXERCISES["weight-shift-standing"]["picture"]
    joints, shapes = _posed(pic)
    over = []
    for j in joints:
        feet = [j[f"ankle_{s}"][1] for s in "rl"]
        assert max(feet) - min(feet) < 1.0, feet  # both feet down
        over.append([s for s in "rl" if abs(j[f"ankle_{s}"][0] - j["pelvis"][0]) < 2.0])
    assert over == [["l"], ["r"]]  # over the left foot, then over the right
    start, end = joints
    assert all(start[k] == end[k] for k in ("ankle_r", "ankle_l", "toe_r", "toe_l"))  # the feet stay put
    assert abs(start["head"][0] - end["head"][0]) > 14  # the whole body moves, visibly
    (arrow,) = [s for s in front.build(normalize(pic)).arrow if s.kind == "line" and s.stroke != "#ffffff"]
    assert {p[1] for p in arrow.points} == {arrow.points[0][1]}  # straight across: no arc of a leg lift
    assert arrow.points[0][1] < start["chest"][1]  # at the hips, not over the head
    test_hands_rest_on_the_chair_or_counter_the_steps_hold("weight-shift-standing")


CROSSED = sorted(s for s, e in EXERCISES.items() if "Cross your arms" in STEPS[s] and e["picture"]["view"] == "front")


@pytest.mark.parametrize("slug", CROSSED)
def test_arms_the_steps_cross_over_the_chest_are_both_on_it(slug):
    """ "Cross your arms over your chest": both hands on the chest in both poses (the trunk turns
    had shown one hand there, the other arm hanging)."""
    assert {"trunk-turn-standing", "trunk-turn-sitting"} <= set(CROSSED)
    joints, _ = _posed(EXERCISES[slug]["picture"])
    for pose, j in zip(("start", "end"), joints, strict=True):
        for s in "rl":
            hand, chest = j[f"hand_{s}"], j["chest"]
            assert abs(hand[0] - chest[0]) < 17 and abs(hand[1] - chest[1]) < 14, (pose, s, hand, chest)


# The eleven pictures a therapist found weak beside their steps (session 5's trial), and the
# drawing rules their fixes added for every picture of the same kind.

HAND_TO_FACE = sorted(
    s
    for s, e in EXERCISES.items()
    if e["picture"]["view"] == "front"
    and {e["picture"]["start"].get("touch"), e["picture"]["end"].get("touch")} & {"chin_r", "cheek_r"}
)


@pytest.mark.parametrize("slug", HAND_TO_FACE)
def test_a_hand_on_its_own_cheek_or_chin_does_not_cross_the_body(slug):
    """The right palm on the right cheek (neck-turn-against-hand): the elbow had swung across the
    chest, so the arm read as the other arm crossing over. The elbow stays on its own side, below."""
    assert {"neck-turn-against-hand", "sensory-trick-chin-touch"} <= set(HAND_TO_FACE)
    pic = normalize(EXERCISES[slug]["picture"])
    joints, _ = _posed(EXERCISES[slug]["picture"])
    for part, pose, j in zip(("start", "end"), (pic.start, pic.end), joints, strict=True):
        if pose.get("touch") in ("chin_r", "cheek_r"):
            elbow, wrist = j["elbow_r"], j["wrist_r"]
            assert elbow[0] < j["chest"][0] - 4, (part, elbow)  # the right side is the picture's left
            assert elbow[1] < wrist[1] - 15, (part, elbow, wrist)  # the forearm stands up to the face


def test_level_shoulders_starts_with_one_shoulder_high_and_ends_level():
    """ "Check if one is higher than the other ... let the high shoulder drop": the picture had
    both shoulders lifted together."""
    pic = EXERCISES["shoulders-level-mirror"]["picture"]
    (start, end), _ = _posed(pic)
    assert start["shoulder_r"][1] - start["shoulder_l"][1] > 8
    assert abs(end["shoulder_r"][1] - end["shoulder_l"][1]) < 0.5
    (line,) = [s for s in front.build(normalize(pic)).arrow if s.kind == "line"]
    xs = [p[0] for p in line.points]
    assert line.points[-1][1] < line.points[0][1] and max(xs) < start["chest"][0]  # down, over the right shoulder


def test_finding_the_middle_starts_visibly_turned_and_tipped():
    """Eyes not level, ears not even: the start head is tipped enough to see (it was 10 degrees)."""
    pic = normalize(EXERCISES["head-midline-mirror"]["picture"])
    start, end = front_pose.place(pic.start).body, front_pose.place({**pic.end}).body
    assert abs(start.head_angle) >= 15 and abs(start.look) >= 25
    assert end.head_angle == 0 and end.look == 0


SEAT_HOLD = sorted(
    s for s in EXERCISES if "side of the seat" in STEPS[s] and EXERCISES[s]["picture"]["view"] == "front"
)


@pytest.mark.parametrize("slug", SEAT_HOLD)
def test_the_hands_the_steps_put_on_the_side_of_the_seat_hold_it(slug):
    """ "Hold the side of the seat" (with the hand named above, or both hands): each holding hand
    is out at the seat's edge in both poses; with one hand (the right as drawn: the head moves
    left, away from it) the other arm hangs by the side. The arms had hung alike, inside."""
    assert {"neck-side-stretch", "neck-shoulder-blade-stretch", "neck-turn-stretch-hold"} <= set(SEAT_HOLD)
    pic = EXERCISES[slug]["picture"]
    both = "both hands" in STEPS[slug]
    if not both:
        end = pic["end"]
        assert end.get("head_tilt", 0) < 0 or end.get("head_turn", 0) < 0  # away from the right hand
    joints, _ = _posed(pic)
    seat_y = front_pose.SEAT_HEIGHT - 9  # the seat's edge line (front.scene_props)
    for j in joints:
        for s, sign in (("r", -1), ("l", 1)):
            hand = j[f"hand_{s}"]
            if s == "r" or both:
                assert sign * hand[0] > 25 and abs(hand[1] - seat_y) < 6, (s, hand)
            else:
                assert sign * hand[0] < 22, hand


def test_heel_raise_arrow_points_up_behind_the_heel():
    """The arrow had been a small arc at the ankle; on tiptoe the heel lifts, so it points up."""
    pic = normalize(EXERCISES["heel-raise"]["picture"])
    from planner.catalog.figure import side

    (line,) = [s for s in side.build(pic).arrow if s.kind == "line"]
    (x0, y0), (x1, y1) = line.points[0], line.points[-1]
    heel = side_pose.place(pic.start, False, 0.0).joints["heel_r"]
    assert abs(x1 - x0) < 0.5 and y1 - y0 >= 10 and x0 < heel[0]  # up (the head adds more), behind


def test_jaw_shift_moves_the_chin_off_the_middle_visibly():
    """The jaw in the middle in a mirror: the start chin sits well off the line under the nose."""
    from planner.catalog.figure import face

    pic = normalize(EXERCISES["jaw-midline-mirror"]["picture"])
    chins = [min(face.Face(face.values(p)).outline(), key=lambda q: q[1])[0] for p in (pic.start, pic.end)]
    assert abs(chins[0] - chins[1]) >= 18 and abs(chins[1]) < 1  # it had moved 16, barely seen


def test_turning_a_lid_and_a_key_shows_both_hands_on_the_jar_then_the_key():
    from planner.catalog.figure import hand
    from planner.catalog.figure.shapes import SKIN

    pic = normalize(EXERCISES["turn-key-and-lid"]["picture"])
    drawn = hand.build(pic)
    lid_top = 46
    assert any(s.stroke == SKIN and min(p[1] for p in s.points) > lid_top for s in drawn.start)  # a hand on the lid
    assert pic.end["object"] == "key" and pic.end["hand"] == "key_pinch"
    keys = [s for s in drawn.end if s.stroke == "#495057" and s.kind == "line"]
    assert keys and drawn.arrow  # the key's blade, and the twist


def test_two_finger_pen_grip_lays_the_pen_between_the_first_and_middle_fingers():
    from planner.catalog.figure import hand

    pic = normalize(EXERCISES["pen-grip-two-finger"]["picture"])
    shapes, tips = hand.draw(hand.values(pic.end), False, pic.props)
    (pen,) = [s for s in shapes if s.stroke == hand.PEN]
    x_at = pen.points[0][0] + (pen.points[-1][0] - pen.points[0][0]) * (pen.points[0][1] - tips["middle"][1]) / (
        pen.points[0][1] - pen.points[-1][1]
    )
    assert tips["middle"][0] < x_at < tips["index"][0]
    (ax, ay), (bx, by) = pen.points[0], pen.points[-1]
    tx, ty = tips["thumb"]
    off_the_pen = abs((by - ay) * tx - (bx - ax) * ty + bx * ay - by * ax) / ((by - ay) ** 2 + (bx - ax) ** 2) ** 0.5
    assert off_the_pen < 8  # the thumb rests on the pen
    assert max(tips["ring"][1], tips["little"][1]) < tips["middle"][1] - 15  # the other fingers curl softly


MIRROR_HANDS = sorted(
    s for s, e in EXERCISES.items() if e["picture"]["view"] == "hand" and "mirror" in e["picture"]["props"]
)


@pytest.mark.parametrize("slug", MIRROR_HANDS)
def test_mirror_work_shows_the_hand_and_its_reflection_in_the_mirror(slug):
    """ "Look at the easy hand in the mirror. It looks like your other hand": the mirror had stood
    beside the hand, empty. Now the glass shows the hand's mirror image, in both panels."""
    from planner.catalog.figure import hand
    from planner.catalog.figure.shapes import INK

    assert {"mirror-hand-open-close", "mirror-finger-taps", "mirror-writing-shapes"} <= set(MIRROR_HANDS)
    drawn = hand.build(normalize(EXERCISES[slug]["picture"]))
    for shapes in (drawn.start, drawn.end):
        (glass,) = [s for s in shapes if s.kind == "rect" and s.fill == hand.GLASS]
        left, right = sorted(p[0] for p in glass.points)
        real = [s for s in shapes if s.stroke == INK]
        seen = [s for s in shapes if s.stroke == hand._pale(INK)]
        xs = [p[0] for s in real for p in s.points]
        # the hand in front of the glass, beside it on its thumb side (test_limb_wording says which)
        assert real and (max(xs) < left + 3 or min(xs) > right - 3)
        images = [p[0] for s in seen for p in s.points]
        assert len(seen) == len(real) and left - 3 < min(images) and max(images) < right + 3  # its image, in it


def test_weight_shifts_show_the_shift_forward_and_back_too():
    """Steps: side to side, then toward the toes and the heels. The front view shows the first;
    the sway mark (both feet from above, an arrow each way) shows all four."""
    from planner.catalog.figure import build_shapes
    from planner.catalog.figure.compose import PANELS, corner_symbol
    from planner.catalog.figure.shapes import round_shape

    assert "toward your toes" in STEPS["weight-shift-standing"]
    mark = corner_symbol("sway", PANELS[1])
    heads = [s for s in mark if s.kind == "poly" and len(s.points) == 3]
    assert len(heads) == 4  # right, left, forward, back
    shapes = build_shapes(EXERCISES["weight-shift-standing"]["picture"]).shapes
    assert all(round_shape(m) in shapes for m in mark)


def test_reach_across_the_body_ends_with_the_hand_past_the_middle():
    """ "Lift one arm forward to shoulder height. Reach it across your body toward the other side":
    the fist had stayed on its own side, at the waist, while the chest turned."""
    (start, end), _ = _posed(EXERCISES["trunk-turn-reach-sitting"]["picture"])
    assert start["hand_r"][1] > start["chest"][1] - 3  # out in front at chest height or more, not the waist
    assert start["hand_r"][0] < start["chest"][0] < end["hand_r"][0]  # from its own side across the middle


HAND_ON_TRUNK = {"belly-breathing-lying": ("r", "l"), "tummy-tightening-lying": ("r",)}


@pytest.mark.parametrize("slug", sorted(HAND_ON_TRUNK))
def test_hands_the_steps_rest_on_the_belly_or_chest_lie_on_the_trunk(slug):
    """ "Put one hand on your belly and the other on your chest" / "Rest one hand on your lower
    tummy": each hand lies on the front of the trunk (it had been held up in the air)."""
    from planner.catalog.figure.side_pose import TRUNK_RADIUS

    assert "hand on your" in STEPS[slug]
    joints, _ = _posed(EXERCISES[slug]["picture"])
    for j in joints:
        hip, shoulder = j["hip"], j["shoulder"]
        for s in HAND_ON_TRUNK[slug]:
            hand = j[f"hand_{s}"]
            assert min(hip[0], shoulder[0]) < hand[0] < max(hip[0], shoulder[0]), (s, hand)
            assert 0 < hand[1] - hip[1] < TRUNK_RADIUS + 10, (s, hand, hip)  # on top, not up in the air


def test_letters_on_the_palm_keep_the_hand_still_while_a_helper_draws():
    """ "Your helper draws a big letter on your palm": the patient's hand does not move (it had
    moved its fingers); the end adds another hand's fingertip on the palm and the letter's path."""
    from planner.catalog.figure import hand

    pic = normalize(EXERCISES["letters-on-palm"]["picture"])
    (_, t0), (shapes, t1) = (hand.draw(hand.values(p), False, pic.props) for p in (pic.start, pic.end))
    assert t0 == t1
    assert any(s.dash and s.stroke == hand.LETTER for s in shapes)


def test_the_ball_stays_in_the_palm_while_the_pen_is_held():
    from planner.catalog.figure import hand

    pic = normalize(EXERCISES["pen-grip-ball-in-palm"]["picture"])
    shapes, _ = hand.draw(hand.values(pic.end), False, pic.props)
    assert [s for s in shapes if s.stroke == hand.PEN] and [s for s in shapes if s.kind == "circle" and s.rx > 8]


def test_the_jaw_opens_against_a_fist_under_the_chin():
    """ "Put your fist under your chin": a fist (a wide block with knuckles), not one fingertip,
    sits right under the chin in both poses."""
    from planner.catalog.figure import face

    pic = normalize(EXERCISES["jaw-opening-against-hand"]["picture"])
    for pose in (pic.start, pic.end):
        f = face.Face(face.values(pose))
        chin = min(f.outline(), key=lambda q: q[1])
        drawn = face.draw(face.values(pose), pic.props)
        (fist,) = [s for s in drawn if s.kind == "rect" and s.fill == face.SKIN]
        (x0, y0), (x1, y1) = fist.points
        assert x1 - x0 >= 35 and x0 < chin[0] < x1 and abs(max(y0, y1) - chin[1]) < 3


def test_the_other_hand_holds_the_thumb_low_down_for_the_thumb_stretch():
    """ "With your other hand, hold your thumb low down, near the wrist": the thumb had seemed to
    move out by itself. A second hand grips it near its base in both poses."""
    from planner.catalog.figure import hand
    from planner.catalog.figure.shapes import SKIN, dist

    pic = normalize(EXERCISES["thumb-forearm-stretch"]["picture"])
    for pose in (pic.start, pic.end):
        shapes, _ = hand.draw(hand.values(pose), False, pic.props)
        grips = [s for s in shapes if s.kind == "rect" and s.fill == SKIN]
        assert any(
            dist(((s.points[0][0] + s.points[1][0]) / 2, (s.points[0][1] + s.points[1][1]) / 2), hand.THUMB_BASE) < 20
            for s in grips
        )


def test_resting_the_eyes_cups_both_palms_over_them():
    """ "Cup your palms over your eyes": the picture had shown no hands."""
    from planner.catalog.figure import face

    pic = normalize(EXERCISES["resting-the-eyes"]["picture"])
    drawn = face.draw(face.values(pic.end), pic.props)
    palms = [s for s in drawn if s.kind == "poly" and s.fill == face.SKIN and len(s.points) == 24]
    for eye_x in (-19.0, 19.0):
        eye = (eye_x, face.CY + 10)
        assert any(min(p[0] for p in s.points) < eye[0] < max(p[0] for p in s.points)
                   and min(p[1] for p in s.points) < eye[1] < max(p[1] for p in s.points) for s in palms)  # fmt: skip


def test_the_head_rests_on_a_high_chair_back_then_moves_just_off_it():
    """ "Let the back of your head touch the chair lightly ... move your head forward, just off the
    chair": the chair's back had stopped at the shoulders, so the head leaned on nothing."""
    from planner.catalog.figure.shapes import dist

    (start, end), shapes = _posed(EXERCISES["head-rest-high-chair"]["picture"])
    rest = [p for s in shapes if s.kind == "line" for p in s.points]
    near = min(dist(p, start["head"]) for p in rest)
    assert near < 20 and min(dist(p, end["head"]) for p in rest) > near + 4


def test_the_look_up_stretch_holds_both_hands_on_the_upper_chest_and_looks_up():
    """ "Cross your hands on your upper chest, just below your collarbones ... look up": the hands
    had been up in front of the chin, and the look up was small."""
    from planner.catalog.figure.side_pose import TRUNK_RADIUS

    (start, end), _ = _posed(EXERCISES["look-up-stretch-sitting"]["picture"])
    for j in (start, end):
        for s in "rl":
            hand, chest, shoulder = j[f"hand_{s}"], j["chest"], j["shoulder"]
            assert chest[1] - 2 < hand[1] < shoulder[1] + 2, (s, hand)  # below the collarbones, on the chest
            assert 0 < hand[0] - shoulder[0] < TRUNK_RADIUS + 5, (s, hand)  # flat on its front, not out in the air
    rise = [j["face"][1] - j["head"][1] for j in (start, end)]
    assert rise[1] - rise[0] > 8  # the face tips up toward the ceiling


def test_texture_matching_shows_pieces_on_the_table_and_the_fingertips_moving_to_the_match():
    """Forearm on the table, eyes closed, the pads of the fingers on one piece, then on the piece
    that feels the same: the picture had shown an upright hand doing thumb-to-finger opposition."""
    from planner.catalog.figure import build_shapes, hand
    from planner.catalog.figure.compose import PANELS, corner_symbol
    from planner.catalog.figure.shapes import round_shape

    pic = normalize(EXERCISES["texture-match-fingertips"]["picture"])
    sand = [s for s in hand._textures() if s.kind == "rect" and s.fill == hand.SAND]
    assert len(sand) == 2  # a matching pair
    for pose, piece in ((pic.start, sand[0]), (pic.end, sand[1])):
        assert pose["forearm_turn"] == "palm_down" and pose["hand"] == "flat"
        _, _, tips = hand._draw_parts(hand.values(pose), False, pic.props)
        xs, ys = [p[0] for p in piece.points], [p[1] for p in piece.points]
        for finger in hand.FINGERS:
            x, y = tips[finger]
            assert min(xs) < x < max(xs) and min(ys) < y < max(ys), (finger, tips[finger])
    shapes = build_shapes(EXERCISES["texture-match-fingertips"]["picture"]).shapes
    for panel in PANELS:  # eyes closed throughout
        assert all(round_shape(m) in shapes for m in corner_symbol("eyes_closed", panel))


def test_even_weight_rests_a_hand_on_the_counter_and_moves_the_hips_not_the_head():
    """ "Next to a counter you can hold": a hand rests on the counter in both poses; the weight
    evens out over both feet; the arrow is straight across the hips. The end panel had a curved
    arrow over the head, which read as turning the head, and no counter."""
    pic = EXERCISES["standing-even-weight"]["picture"]
    (start, end), shapes = _posed(pic)
    counter = [s for s in shapes if s.fill == WOOD]
    assert counter
    top = max(p[1] for s in counter for p in s.points)
    x0, x1 = min(p[0] for s in counter for p in s.points), max(p[0] for s in counter for p in s.points)
    for j in (start, end):
        assert x0 < j["hand_r"][0] < x1 and abs(j["hand_r"][1] - top) < TOUCHING, (j["hand_r"], x0, x1, top)
    middle = (start["ankle_r"][0] + start["ankle_l"][0]) / 2
    assert abs(start["pelvis"][0] - middle) > 4 and abs(end["pelvis"][0] - middle) < 0.5  # uneven, then even
    arrow = [s for s in front.build(normalize(pic)).arrow if s.kind == "line"]
    assert arrow and max(p[1] for s in arrow for p in s.points) < start["chest"][1]  # nothing over the head


def test_the_seat_held_neck_stretch_shows_the_gripping_hand_and_the_chin_down():
    """ "Hold the seat with one hand, turn your head halfway away, tip your chin down toward the
    other armpit": at handout size only a head turn had read. The holding fist sits on the seat's
    edge, the other hand is up in the lap, and the face drops as the chin goes down."""
    from planner.catalog.figure import front_pose
    from planner.catalog.figure.head import draw_head

    pic = normalize(EXERCISES["neck-shoulder-blade-stretch"]["picture"])
    (start, end), _ = _posed(EXERCISES["neck-shoulder-blade-stretch"]["picture"])
    seat_y = front_pose.SEAT_HEIGHT - 9
    for j in (start, end):
        assert (
            abs(j["wrist_r"][1] - seat_y) < 6 and j["wrist_l"][1] > seat_y + 10
        )  # one fist at the seat, one in the lap
    placed = [front_pose.place(p) for p in (pic.start, {**pic.end})]
    bodies = [p.body for p in placed]
    assert bodies[1].look < -30 and bodies[1].head_angle < 0  # turned and tipped away from the right hand

    def mouth_drop(p: front_pose.Placed) -> float:
        head = p.joints["head"]
        mouth = draw_head(head, 0.0, 0.0, nod=p.pose.angles["head_nod"])[-1]
        return head[1] - sum(q[1] for q in mouth.points) / len(mouth.points)

    assert mouth_drop(placed[1]) - mouth_drop(placed[0]) > 2.5  # the chin tips down
    assert bodies[0].joints["head"][1] - bodies[1].joints["head"][1] > 2  # the head sinks toward the chest


STANDING_BY_A_CHAIR = sorted(
    s
    for s, e in EXERCISES.items()
    if e["picture"]["view"] == "side"
    and "chair" in e["picture"]["props"]
    and {e["picture"]["start"].get("base"), e["picture"]["end"].get("base", "standing")} == {"standing"}
    and not {e["picture"]["start"].get("touch"), e["picture"]["end"].get("touch")} - {None, "none"}
)


@pytest.mark.parametrize("slug", STANDING_BY_A_CHAIR)
def test_a_chair_beside_free_standing_work_is_clear_of_the_hands(slug):
    """A chair drawn "in case you need it" must not look held: no hand reaches its back post or
    seat in either pose (arm swings had seemed to rest on it)."""
    assert "arm-swing-standing" in STANDING_BY_A_CHAIR
    joints, shapes = _posed(EXERCISES[slug]["picture"])
    chair_x = min(p[0] for s in shapes if s.stroke == CHAIR for p in s.points)
    for j in joints:
        for s in "rl":
            assert j[f"hand_{s}"][0] < chair_x - 5, (s, j[f"hand_{s}"], chair_x)


FACING_A_MIRROR = sorted(
    s for s, e in EXERCISES.items() if re.search(r"\bmirror\b", STEPS[s]) and e["picture"]["view"] != "hand"
)


@pytest.mark.parametrize("slug", FACING_A_MIRROR)
def test_a_mirror_picture_shows_the_person_facing_the_reader_not_the_reflection(slug):
    """ "Sit tall on a firm chair in front of a mirror": every front and face picture shows the
    person facing the reader, their left on the picture's right (docs/catalog-format.md). The
    mirror pictures had been drawn as the reflection (glass behind the whole figure, its frame
    over the body), and a reflection puts the patient's left on the left: "your left shoulder"
    read as the picture's other shoulder. Now no glass stands behind the person; a small mirror
    on a stand sits in the top left corner of both panels, clear of the person. The side view
    stands the glass in front of the face (no left or right to confuse there)."""
    from planner.catalog.figure import build_shapes, side
    from planner.catalog.figure.compose import MIRROR_GLASS, PANELS
    from planner.catalog.figure.props import GLASS
    from planner.catalog.figure.shapes import INK

    assert {"head-midline-mirror", "shoulders-level-mirror", "jaw-midline-mirror"} <= set(FACING_A_MIRROR)
    e = EXERCISES[slug]
    assert "mirror" in e["picture"]["props"]
    pic = normalize(e["picture"])
    if pic.view == "side":
        glass = [s for s in side.build(pic).start if s.kind == "rect" and s.fill == GLASS]
        face_x = max(p[0] for p in side_pose.place(pic.start, False, 0.0).joints.values())
        assert glass and glass[0].points[0][0] > face_x  # beyond the face, facing it
        return
    for mirrored in (False, True):
        shapes = build_shapes(e["picture"], "left" if mirrored else "right").shapes
        glass = [s for s in shapes if s.fill in (GLASS, MIRROR_GLASS)]
        assert all(abs(s.points[1][0] - s.points[0][0]) < 30 for s in glass), "glass behind the person"
        ink = [p for s in shapes if INK in (s.fill, s.stroke) for p in s.points]
        for x0, y0, _, _ in PANELS:  # a small mirror in the top left corner of each panel
            mark = [s for s in glass if x0 < s.points[0][0] < x0 + 20 and y0 < s.points[0][1] < y0 + 20]
            assert len(mark) == 1, (x0, glass)
            (ax, ay), (bx, by) = mark[0].points
            assert not [p for p in ink if ax - 3 <= p[0] <= bx + 3 and ay - 3 <= p[1] <= by + 10], "on the person"


def _shoulder_pull(side: str) -> PatternData:
    return PatternData(pulls=(Pull("shoulder", side, 2),))


@pytest.mark.parametrize("pull", ["left", "right"])
def test_level_shoulders_points_at_the_lifted_shoulder_on_the_persons_own_side(pull):
    """A left shoulder pulled up: the handout says "Work on your left shoulder" and the picture,
    the person facing the reader, puts the lifted shoulder and its arrow on the picture's right
    (the person's left); a right one on the picture's left. Read from the drawing as the handout
    draws it for that pattern (the side the direction rules give)."""
    from planner.catalog.figure import build_shapes
    from planner.catalog.figure.compose import PANELS
    from planner.catalog.figure.shapes import ARROW
    from planner.dystonia.direction import resolve
    from planner.dystonia.movement import spec_of

    e = EXERCISES["shoulders-level-mirror"]
    direction = resolve(spec_of(e["pattern"]), "", _shoulder_pull(pull))
    assert direction.side == pull and f"your {pull} shoulder" in direction.sentence
    shapes = build_shapes(e["picture"], "left" if direction.mirrored else "right").shapes
    x0, _, x1, _ = PANELS[1]
    heads = [s for s in shapes if s.kind == "poly" and s.fill == ARROW and x0 < s.points[0][0] < x1]
    assert heads
    tip_x = sum(p[0] for p in heads[0].points) / 3
    persons_left_is_on_the_right = tip_x > (x0 + x1) / 2
    assert persons_left_is_on_the_right == (pull == "left"), (pull, tip_x)


SIDED = sorted(
    s
    for s, e in EXERCISES.items()
    if e["pattern"]["relation"] == "limb"
    or e["pattern"]["relation"] in ("away", "toward")
    and e["pattern"]["movement"] in ("rotation", "tilt", "shoulder")
)
HEAD_SIDES = {"rotation": "head_turn", "tilt": "head_tilt"}


@pytest.mark.parametrize("slug", SIDED)
def test_a_sided_picture_puts_the_head_off_the_middle_only_in_the_movements_its_side_decides(slug):
    """The pattern decides one side: the way the main movement goes (or the lifted shoulder), and
    the picture is mirrored to it. A head drawn tipped or turned in any other movement names a side
    nothing decided: "Level shoulders" started with the head tipped toward the high shoulder, so a
    patient whose head tilts right, with the left shoulder high, saw the head tipped left. A limb
    (or cheek) side decides no head movement: the cheek touch had the head turned to that cheek."""
    assert {"shoulders-level-mirror", "head-midline-away-from-pull", "sensory-trick-cheek-touch"} <= set(SIDED)
    pattern, pic = EXERCISES[slug]["pattern"], EXERCISES[slug]["picture"]
    decided = {pattern.get("movement")} | {a["movement"] for a in pattern.get("also", [])}
    for movement, key in HEAD_SIDES.items():
        if movement not in decided:
            assert pic["start"].get(key, 0) == 0 and pic["end"].get(key, pic["start"].get(key, 0)) == 0, key


def test_level_shoulders_keeps_the_head_in_the_middle_while_the_high_shoulder_drops():
    """ "Keep your head in the middle as you do this": upright in both poses."""
    pic = normalize(EXERCISES["shoulders-level-mirror"]["picture"])
    for pose in (pic.start, {**pic.end}):
        body = front_pose.place(pose).body
        assert body.head_angle == 0 and body.look == 0


ONE_SIDE_THEN_THE_OTHER = sorted(
    s
    for s, e in EXERCISES.items()
    if e["picture"]["view"] in ("front", "face")
    and re.search(r"\b(Now|Then|Do the same)\b[^.]*\bother (side|shoulder|arm)\b", STEPS[s])
)


@pytest.mark.parametrize("slug", ONE_SIDE_THEN_THE_OTHER)
def test_steps_that_go_to_each_side_in_turn_show_the_arrow_to_each_side(slug):
    """ "Roll your head to one side ... Now roll to the other side": the end panel had shown one
    side only ("Neck turn lying down" turned right, nothing said left). The end pose shows one
    side; the motion arrow points to that side and, mirrored about the body's middle, to the other."""
    from planner.catalog.figure.compose import fitted, motion_arrows
    from planner.catalog.figure.shapes import ARROW

    assert {"neck-turn-lying", "neck-turn-sitting", "trunk-turn-sitting", "jaw-side-glide"} <= set(
        ONE_SIDE_THEN_THE_OTHER
    )
    assert EXERCISES[slug]["pattern"]["relation"] == "symmetric"  # both sides: no side to prescribe
    pic = normalize(EXERCISES[slug]["picture"])
    res, _ = fitted(pic)
    heads = [s for s in motion_arrows(pic, res) if s.kind == "poly" and s.fill == ARROW and len(s.points) == 3]
    tips = [sum(p[0] for p in s.points) / 3 for s in heads]
    assert min(tips) < -2 and max(tips) > 2, tips  # an arrow head on the patient's right and on the left


def test_both_sides_is_refused_where_the_view_cannot_show_left_and_right():
    from planner.catalog.figure import validate_picture

    side_view = {**EXERCISES["bridge"]["picture"], "both_sides": True}
    assert [p for p, _ in validate_picture(side_view)] == ["picture.both_sides"]
    assert validate_picture({**EXERCISES["neck-turn-lying"]["picture"], "both_sides": "yes"})


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"view": "front"}, "only in the side view"),  # left and right there: both_sides
        ({"arrow": "touch"}, "an `arrow` that names an angle"),
        ({"arrow": None}, "an `arrow` that names an angle"),
        ({"both_ways": "yes"}, "must be true or false"),
    ],
)
def test_both_ways_needs_the_side_view_and_an_angle_to_draw_each_way(changes, problem):
    from planner.catalog.figure import validate_picture

    pic = {k: v for k, v in {**EXERCISES["head-nod-sitting"]["picture"], **changes}.items() if v is not None}
    assert validate_picture(EXERCISES["head-nod-sitting"]["picture"]) == []
    assert [m for p, m in validate_picture(pic) if p == "picture.both_ways" and problem in m]


KNEE_HELD = {"knee-to-chest": "r", "hip-front-stretch-bed-edge": "l"}


@pytest.mark.parametrize("slug", sorted(KNEE_HELD))
def test_both_hands_hold_the_knee_the_steps_hold(slug):
    """ "Hold behind one knee with both hands" / "Hold it to your chest with both hands": the hands
    had rested up by the head, a forearm's length from the knee they pull. Both hands lie on the
    thigh near the knee in both poses."""
    from planner.catalog.figure.shapes import dist, lerp

    assert "both hands" in STEPS[slug]
    joints, _ = _posed(EXERCISES[slug]["picture"])
    leg = KNEE_HELD[slug]
    for j in joints:
        near_knee = [lerp(j["hip"], j[f"knee_{leg}"], t / 10) for t in range(5, 11)]
        for s in "rl":
            assert min(dist(j[f"hand_{s}"], q) for q in near_knee) < 6, (s, j[f"hand_{s}"], j[f"knee_{leg}"])


def test_a_weight_in_each_hand_is_drawn_in_each_hand():
    """ "Hold a light weight in each hand": the picture had one weight, in the right hand, drawn
    dark on the dark thigh, so none showed. Each hanging hand holds one, with a white edge."""
    from planner.catalog.figure.shapes import dist

    slug = "shoulder-drop-hang-weights"
    assert "weight in each hand" in STEPS[slug]
    pic = normalize(EXERCISES[slug]["picture"])
    drawn = front.build(pic)
    for shapes, pose in ((drawn.start, pic.start), (drawn.end, {**pic.end})):
        joints = front_pose.place(pose).joints
        plates = [s for s in shapes if s.kind == "rect" and s.fill == front.WEIGHT and s.stroke == "#ffffff"]
        for s in "rl":
            near = [p for p in plates if dist(p.points[0], joints[f"hand_{s}"]) < 16]
            assert len(near) == 2, (s, joints[f"hand_{s}"])  # a plate each side of the fist


EYES_SHUT = sorted(
    s
    for s, e in EXERCISES.items()
    if e["picture"]["view"] == "hand" and re.search(r"Close your eyes(\.| and)", STEPS[s])
)


@pytest.mark.parametrize("slug", EYES_SHUT)
def test_feeling_work_done_with_the_eyes_closed_shows_the_closed_eye_in_both_panels(slug):
    """ "Close your eyes. Your helper draws a big letter on your palm": a hand picture cannot show
    the eyes, and three of these had no mark, so they read as done looking at the hand."""
    from planner.catalog.figure import build_shapes
    from planner.catalog.figure.compose import PANELS, corner_symbol

    assert {"letters-on-palm", "one-or-two-points", "shape-in-hand-eyes-closed"} <= set(EYES_SHUT)
    shapes = build_shapes(EXERCISES[slug]["picture"]).shapes
    for panel in PANELS:
        assert all(m in shapes for m in (round_shape(s) for s in corner_symbol("eyes_closed", panel)))


def test_reading_props_the_book_up_in_front_below_the_face():
    """ "Prop your book up in front of your face, not off to one side": the picture had a table
    and no book. The book stands on the table in front of the body, on its middle line, below the
    chin so the face still shows the head's position."""
    from planner.catalog.figure.body import HEAD_RADIUS_FRONT

    slug = "reading-midline-hold"
    assert "book" in STEPS[slug] and "book" in EXERCISES[slug]["picture"]["props"]
    pic = normalize(EXERCISES[slug]["picture"])
    drawn = front.build(pic)
    for shapes, pose in ((drawn.start, pic.start), (drawn.end, {**pic.end})):
        joints = front_pose.place(pose).joints
        (book,) = [i for i, s in enumerate(shapes) if s.fill == front.BOOK]
        table = [s for s in shapes if s.fill == WOOD]
        top = max(p[1] for s in table for p in s.points)
        xs, ys = [p[0] for p in shapes[book].points], [p[1] for p in shapes[book].points]
        assert min(xs) < joints["chest"][0] < max(xs)  # in front, not off to one side
        assert (
            abs(min(ys) - top) < 1 and max(ys) < joints["head"][1] - HEAD_RADIUS_FRONT
        )  # on the table, below the chin
        assert book > max(i for i, s in enumerate(shapes) if s.fill == "#1f2328")  # in front of the body


SIDE_SEAT_HOLD = sorted(
    s
    for s, e in EXERCISES.items()
    if e["picture"]["view"] == "side" and re.search(r"\bHold the (sides of the )?seat with your hands\b", STEPS[s])
)


@pytest.mark.parametrize("slug", SIDE_SEAT_HOLD)
def test_hands_the_steps_put_on_the_seat_hold_its_edge_in_the_side_view(slug):
    """ "Hold the seat with your hands": the arms had hung straight down past the seat, holding
    nothing. Each hand is at the seat's height, on its edge beside the thigh, in both poses."""
    assert {"ankle-circles", "seated-knee-straightening"} <= set(SIDE_SEAT_HOLD)
    joints, shapes = _posed(EXERCISES[slug]["picture"])
    (seat,) = [s for s in shapes if s.stroke == CHAIR and len({p[1] for p in s.points}) == 1]
    (x0, y), (x1, _) = sorted(seat.points)
    for j in joints:
        for s in "rl":
            hand = j[f"hand_{s}"]
            assert x0 < hand[0] <= x1 + 2 and abs(hand[1] - y) < 3, (s, hand, seat.points)


def test_the_trunk_turn_stretch_holds_the_chair_back():
    """ "Turn your chest to one side. Reach back and hold the chair back": the arms had hung (one a
    little out), holding nothing. Turned to the right, the right fist holds the back's edge."""
    pic = normalize(EXERCISES["trunk-turn-stretch-chair"]["picture"])
    joints = front_pose.place({**pic.end}).joints
    shapes = front.scene_props(pic.props, [front_pose.place(pic.start), front_pose.place({**pic.end})])["back"]
    (back,) = [s for s in shapes if s.kind == "rect" and s.fill == "#dfe3e8"]
    (x0, y0), (x1, y1) = back.points
    hand = joints["hand_r"]
    assert pic.end["trunk_turn"] > 0 and abs(hand[0] - x0) < 5 and y0 < hand[1] < y1, (hand, back.points)


def test_the_mouth_trick_shows_the_object_held_between_the_lips():
    """ "Gum or a small object in the mouth ... hold the object lightly between your lips": the
    picture had only a mouth closing, no object. The end holds it at the middle of the lips."""
    from planner.catalog.figure import face

    pic = normalize(EXERCISES["mouth-object-trick"]["picture"])
    start, end = (face.draw(face.values(p), pic.props) for p in (pic.start, pic.end))
    assert not [s for s in start if s.fill == face.OBJECT]
    (held,) = [s for s in end if s.fill == face.OBJECT]
    mouth = face.Face(face.values(pic.end)).feat(0, -31.0, 0.8)
    (x0, y0), (x1, y1) = held.points
    assert x0 < mouth[0] < x1 and y0 < mouth[1] < y1


STARTS_OFF_THE_MIDDLE = sorted(s for s, e in EXERCISES.items() if "start" in e["pattern"])
# A recorded pattern with no sided pull -> the posture the start shows: "chin down" (a head
# pulled forward, in the front view), "head back" (pulled back), "mouth open" (a jaw pulled
# open, in the face view), else "middle". (The face view draws no nod.)
NO_SIDED_PULL = {
    "anterocollis": (PatternData(pulls=(Pull("flexion", "", 2),)), {"front": "chin down"}),
    "retrocollis": (PatternData(pulls=(Pull("extension", "", 1),)), {"front": "head back"}),
    "anterocollis and a left shoulder": (
        PatternData(pulls=(Pull("flexion", "", 2), Pull("shoulder", "left", 1))),
        {"front": "chin down"},
    ),
    "tremor only": (PatternData(tremor="no_no", tremor_severity=1), {}),
    "no dystonia seen": (PatternData(), {}),
    "writer's cramp": (PatternData(areas=("hand_arm_right",)), {}),
    "jaw opening": (PatternData(pulls=(Pull("jaw_opening", "", 2),)), {"jaw face": "mouth open"}),
}


def _start_seen(pic: dict) -> tuple[str, str]:
    """(what the start panel shows, what the end panel shows), read from the placed poses: "turned"
    (the head turned or tipped, or the jaw off to a side), "chin down", "head back", "mouth open" or
    "middle"."""
    from planner.catalog.figure import face

    pic = normalize(pic)
    seen = []
    for pose in (pic.start, {**pic.start, **pic.end}):
        if pic.view == "face":
            v = face.values(pose)
            off = v.head_turn or v.head_tilt or abs(v.jaw_shift) > 0.05
            seen.append("turned" if off else "mouth open" if v.mouth in ("part", "open", "wide") else "middle")
        else:
            placed = front_pose.place({**pose, "base": pic.start.get("base", "sitting")})
            off = placed.body.head_angle or placed.body.look or placed.pose.angles["trunk_bend"]
            nod = placed.pose.angles["head_nod"]
            seen.append("turned" if off else "chin down" if nod > 15 else "head back" if nod < -15 else "middle")
    return seen[0], seen[1]


@pytest.mark.parametrize("pattern_name", NO_SIDED_PULL)
def test_a_start_with_no_sided_pull_shows_the_patients_own_posture_never_turned(pattern_name):
    """ "Find the middle in a mirror" for a head pulled forward only still started turned to one
    side: a side no pull of the patient's gives. With no sided pull recorded, every picture that
    starts off the middle starts in the pattern's own posture (the chin down, the mouth open) or
    in the middle, and ends in the middle; the arrow, if any, is not a turn. Read from the drawing
    the handout and phone page draw (the direction rules' start_posture)."""
    from planner.catalog.figure import build_shapes
    from planner.catalog.figure.pattern_start import start_in
    from planner.dystonia.direction import resolve
    from planner.dystonia.movement import spec_of

    assert {"head-midline-mirror", "sensory-trick-chin-touch", "jaw-midline-mirror"} <= set(STARTS_OFF_THE_MIDDLE)
    pattern, postures = NO_SIDED_PULL[pattern_name]
    for slug in STARTS_OFF_THE_MIDDLE:
        e = EXERCISES[slug]
        spec = spec_of(e["pattern"])
        assert _start_seen(e["picture"])[0] == "turned"  # as drawn for the catalog, and for a sided pull
        direction = resolve(spec, "", pattern)
        pic = start_in(e["picture"], direction.start_posture)
        view = "jaw face" if spec.start_part == "jaw" else e["picture"]["view"]
        start, end = _start_seen(pic)
        assert start != "turned" and end == "middle", slug
        if view in postures:
            assert start == postures[view], slug
        elif start != "middle":  # a trick drawn with the mouth a little open keeps it, never a side
            assert start == "mouth open" and e["picture"]["start"]["mouth"] in ("part", "open"), slug
        assert pic.get("arrow") not in ("head_turn", "head_tilt", "jaw_shift"), slug
        build_shapes(pic, "left" if direction.mirrored else "right")  # it draws


def test_without_a_recorded_pattern_the_start_is_drawn_off_the_middle_as_before():
    from planner.dystonia.direction import resolve
    from planner.dystonia.movement import spec_of

    for slug in STARTS_OFF_THE_MIDDLE:
        assert resolve(spec_of(EXERCISES[slug]["pattern"]), "", None).start_posture == "", slug
    turned_and_tipped = PatternData(pulls=(Pull("rotation", "left", 2), Pull("tilt", "left", 2)))
    assert resolve(spec_of(EXERCISES["head-midline-mirror"]["pattern"]), "", turned_and_tipped).start_posture == ""


@pytest.mark.parametrize(
    ("pulls", "posture", "shown"),
    [
        ((Pull("tilt", "left", 2),), "tipped", {"head_tilt"}),
        ((Pull("tilt", "right", 1), Pull("flexion", "", 2)), "tipped", {"head_tilt"}),
        ((Pull("rotation", "left", 2),), "turned", {"head_turn"}),
        ((Pull("rotation", "left", 2), Pull("flexion", "", 2)), "turned", {"head_turn"}),
        ((Pull("rotation", "left", 2), Pull("tilt", "left", 1)), "", {"head_turn", "head_tilt"}),
    ],
    ids=["tilt", "tilt and flexion", "turn", "turn and flexion", "turn and tilt"],
)
def test_a_head_start_off_the_middle_shows_only_the_pulls_recorded(pulls, posture, shown):
    """Trial 12: "Find the middle" started turned and tipped for a patient whose head only tips.
    Each head picture that starts off the middle shows only the sided pulls recorded, the arrow
    along the way back; a patient copies a picture, and a turn they do not have is not theirs."""
    from planner.catalog.figure import build_shapes
    from planner.catalog.figure.pattern_start import start_in
    from planner.dystonia.direction import resolve
    from planner.dystonia.movement import spec_of

    pattern = PatternData(pulls=pulls)
    for slug in STARTS_OFF_THE_MIDDLE:
        e = EXERCISES[slug]
        spec = spec_of(e["pattern"])
        if spec.start_part != "head":
            continue
        direction = resolve(spec, "", pattern)
        assert direction.start_posture == posture, slug
        pic = start_in(e["picture"], direction.start_posture)
        off = {key for key in ("head_turn", "head_tilt") if pic["start"].get(key)}
        assert off == shown, slug
        assert all(not pic["end"].get(key) for key in ("head_turn", "head_tilt")), slug  # back to the middle
        if e["picture"].get("arrow") in ("head_turn", "head_tilt"):
            assert pic["arrow"] in shown, slug
        build_shapes(pic, "left" if direction.mirrored else "right")  # it draws


def test_the_wrist_stretch_on_a_table_keeps_the_palm_flat_on_the_table():
    """ "Put one palm flat on the table ... lean back": the end had lifted the hand off the table
    (the wrist bent the fingers up into the air). The palm and fingers lie along the table top in
    both panels; the forearm moves over the still hand, the wrist bending further back."""
    from planner.catalog.figure import hand
    from planner.catalog.figure.props import WOOD

    pic = normalize(EXERCISES["wrist-finger-stretch-table"]["picture"])
    forearm = []
    for pose in (pic.start, pic.end):
        v = hand.values(pose)
        under, shapes, tips = hand._draw_parts(v, True, pic.props)
        table = [s for s in under + shapes if s.fill == WOOD]
        top = max(p[1] for s in table for p in s.points)
        assert abs(tips["fingers"][1] - hand.WRIST[1]) < 8  # the fingers level with the wrist
        assert tips["fingers"][0] > hand.WRIST[0] + 60 and abs(tips["fingers"][1] - top) < 20  # out along the top
        elbow = next(s for s in shapes if s.kind == "line" and s.width == 30).points[0]  # the forearm's far end
        assert elbow[1] > top + 50  # the forearm rises from the table to the elbow
        forearm.append(elbow)
    assert forearm[1][0] - forearm[0][0] > 15  # it moves over the hand as the patient leans


def test_the_wrist_stretch_on_a_table_leans_the_arm_back_over_the_fingers():
    """ "Turn it so your fingers point toward you. Straighten your elbow. Slowly lean back": the
    patient stands on the fingers' side, so the straight arm rises from the wrist toward them and
    leaning back tips it further over the fingers. The forearm had leaned away from the fingers in
    both panels (55 and 80 degrees): the arm came from the far side of the table, and the picture
    read as fingers pointing away from the patient and a lean forward over the hand."""
    from planner.catalog.figure import hand, validate_picture

    pic = normalize(EXERCISES["wrist-finger-stretch-table"]["picture"])
    elbows = []
    for pose in (pic.start, pic.end):
        _, shapes, tips = hand._draw_parts(hand.values(pose), True, pic.props)
        elbow = next(s for s in shapes if s.kind == "line" and s.width == 30).points[0]
        assert tips["fingers"][0] > hand.WRIST[0]  # the fingers point one way (toward the patient) ...
        assert elbow[0] >= hand.WRIST[0] - 1  # ... and the arm rises upright or over them, never away
        elbows.append(elbow)
    assert elbows[1][0] > hand.WRIST[0] + 10  # leaning back: past upright, over the fingers
    assert validate_picture(EXERCISES["wrist-finger-stretch-table"]["picture"]) == []


def test_a_wrist_past_upright_needs_a_hand_flat_on_the_table():
    """Only a forearm over a hand flat on the table leans past 80 degrees: a held hand cannot bend
    back that far (checked, and drawn at 80)."""
    from planner.catalog.figure import hand, validate_picture

    bent = {"view": "hand", "start": {"hand": "open"}, "end": {"hand": "open", "wrist": 100}}
    assert [p for p, _ in validate_picture(bent)] == ["picture.end.wrist"]
    assert hand.values(normalize(bent).end).wrist == 80


def test_head_nod_shows_chin_down_and_look_up():
    """The steps nod the chin down, back to the middle, then look up a little: the end panel had
    shown the chin going down only. The arrow is drawn each way: down in front of the face and up."""
    from planner.catalog.figure.compose import fitted, motion_arrows
    from planner.catalog.figure.shapes import ARROW

    pic = normalize(EXERCISES["head-nod-sitting"]["picture"])
    res, _ = fitted(pic)
    heads = [s for s in motion_arrows(pic, res) if s.kind == "poly" and s.fill == ARROW and len(s.points) == 3]
    assert len(heads) == 2
    (x0, y0), (x1, y1) = sorted(tuple(sum(c) / 3 for c in zip(*s.points, strict=True)) for s in heads)
    assert x1 - x0 > 8 and y0 - y1 > 6  # one above, behind the crown (looking up); one lower, in front


def test_reading_aloud_holds_a_page_below_the_chin():
    """ "Hold a page with large print at chest height": the face had read from nothing."""
    from planner.catalog.figure import face

    pic = normalize(EXERCISES["reading-aloud-short-phrases"]["picture"])
    for pose in (pic.start, pic.end):
        v = face.values(pose)
        chin = min(p[1] for p in face.Face(v).outline())
        shapes = face.draw(v, pic.props)
        page = [s for s in shapes if s.fill == "#ffffff" and s.kind == "poly"]
        assert page and max(p[1] for p in page[-1].points) < chin  # below the chin
        assert max(p[0] for p in page[-1].points) - min(p[0] for p in page[-1].points) > 80  # a page's width
        assert shapes[-1] not in page  # the hands hold it, drawn over its edges


def test_one_or_two_points_shows_a_helper_touching_a_fingertip_with_one_then_two_points():
    """ "Your helper touches one fingertip with one or two toothpick ends": the picture had shown a
    coin on a fingertip and no helper."""
    from planner.catalog.figure import hand

    pic = normalize(EXERCISES["one-or-two-points"]["picture"])
    touching = []
    for pose in (pic.start, pic.end):
        shapes, tips = hand._palm_view(hand.values(pose))
        picks = [s for s in shapes if s.stroke == hand.TOOTHPICK]
        ends = [s.points[-1] for s in picks]
        pads = [t for f, t in tips.items() if f != "thumb"]
        assert all(min(abs(e[0] - p[0]) + abs(e[1] - p[1]) for p in pads) < 14 for e in ends)  # on a fingertip
        touching.append(len(picks))
    assert touching == [1, 2]


def test_side_lying_leg_lift_lifts_the_top_leg_just_above_the_hip():
    """ "Lift your top leg slowly, just a little higher than your hip": 35 degrees had read as a high
    kick, and 18 (the ankle 26 cm up) still as a big one. Measured on the drawn leg: it rises 10 to
    15 degrees above the line through the hip, the ankle 12 to 22 cm (about a hand's width); the
    leg stays straight and in line with the body, and the toes point forward (toward the viewer,
    a short stub), not up to the ceiling."""
    import math

    from planner.catalog.figure import lying

    data = EXERCISES["side-lying-leg-lift"]
    said = " ".join(data["steps"])
    assert "just a little higher than your hip" in said and "Point your top toes forward" in said
    pic = normalize(data["picture"])
    rises, lifts = [], []
    for pose in (pic.start, pic.end):
        j = lying.pose2d("front", lying.params("side", "side_lying", side_pose.values(pose).angles))
        hip, knee, ankle, toe = j["hip_r"], j["knee_r"], j["ankle_r"], j["toe_r"]
        rises.append(math.degrees(math.atan2(ankle[1] - hip[1], abs(ankle[0] - hip[0]))))
        lifts.append(ankle[1] - hip[1])
        thigh, shin = (math.degrees(math.atan2(b[1] - a[1], b[0] - a[0])) for a, b in ((hip, knee), (knee, ankle)))
        assert abs(thigh - shin) < 2  # the knee straight
        assert ankle[0] < hip[0] < j["shoulder_r"][0]  # the leg goes on from the trunk, not forward
        foot = (toe[0] - ankle[0], toe[1] - ankle[1])
        assert math.hypot(*foot) < 0.5 * lying.FOOT and foot[1] <= 0  # toes toward the viewer, not up
    assert abs(rises[0]) < 2 and 10 <= rises[1] <= 15, rises
    assert 12 <= lifts[1] - lifts[0] <= 22, lifts


def test_the_screen_posture_check_shows_the_screen_at_eye_level():
    """ "Sit tall at your computer ... Set the top of the screen at about eye level": the picture
    had a table and no screen. A screen stands on the far side of the table, its top at the eyes."""
    from planner.catalog.figure.props import SCREEN

    pic = EXERCISES["screen-posture-check"]["picture"]
    joints, shapes = _posed(pic)
    screen = [s for s in shapes if s.fill == SCREEN]
    table_top = max(p[1] for s in shapes if s.fill == WOOD for p in s.points)
    assert len(screen) == 1
    (x0, y0), (x1, y1) = screen[0].points
    eyes = max(j["eye"][1] for j in joints)
    assert abs(max(y0, y1) - eyes) < 6 and min(y0, y1) > table_top + 10  # at eye level, above the table
    assert min(x0, x1) > max(j["hand_r"][0] for j in joints)  # beyond the hands, in front of the face


def _tight(pic: dict, pose: dict) -> bool:
    """Whether a pose is the tightened one: a fist, a frown, shoulders lifted toward the ears."""
    from planner.catalog.figure import face, hand

    view = pic["view"]
    if view == "hand":
        return hand.values(pose).shape == "fist"
    if view == "face":
        return face.values(pose).brows == "frown" or face.values(pose).eyes == "squeeze"
    placed = front_pose.place({**pose, "base": pic["start"]["base"]})
    return placed.joints["shoulder_r"][1] > front_pose.place({"base": pic["start"]["base"]}).joints["shoulder_r"][1] + 3


TENSE_AND_RELEASE = sorted(s for s in EXERCISES if s.endswith("tense-and-release"))


@pytest.mark.parametrize("slug", TENSE_AND_RELEASE)
def test_tighten_and_let_go_starts_tight_and_ends_let_go(slug):
    """ "Tighten and let go": the hand and face pictures start tight and end soft, and the shoulders
    had shown only the tightening (start relaxed, end lifted), the opposite of the point."""
    assert {"shoulder-tense-and-release", "hand-tense-and-release", "face-jaw-tense-and-release"} <= set(
        TENSE_AND_RELEASE
    )
    pic = normalize(EXERCISES[slug]["picture"])
    raw = EXERCISES[slug]["picture"]
    assert _tight(raw, pic.start) and not _tight(raw, pic.end)
    assert pic.symbol == "breathe"  # let go on the breath out


def test_the_back_of_head_trick_keeps_the_elbow_low():
    """ "Rest one hand lightly on the back of your head. Keep your elbow low and loose": the elbow
    had stuck out above the shoulder."""
    pic = normalize(EXERCISES["sensory-trick-back-of-head"]["picture"])
    j = front_pose.place({**pic.end, "base": "sitting"}).joints
    assert j["elbow_r"][1] < j["shoulder_r"][1] and j["hand_r"][1] > j["neck_top"][1]  # below the shoulder


SIDED_FRONT = sorted(
    s
    for s in SIDED
    if EXERCISES[s]["picture"]["view"] == "front" and EXERCISES[s]["pattern"]["relation"] in ("away", "toward")
)
# The hand a direction sentence names, by its wording: the side's own hand, or the other one.
OTHER_HAND = {"stretch_tip"}


@pytest.mark.parametrize("slug", SIDED_FRONT)
@pytest.mark.parametrize("pull", ["left", "right"])
def test_the_hand_and_the_head_go_to_the_persons_named_side_for_either_pull(slug, pull):
    """The person faces the reader, so their right is on the picture's left. For a pull to either
    side, as the handout draws it (mirrored by the direction rules): the hand the sentence names
    ("Put your right hand on your right cheek", "Hold the seat with your left hand") is on that
    side of the picture, and the head turns or tips to the side the sentence names (the press
    arrow of a press is checked by test_catalog_direction)."""
    from planner.dystonia.direction import resolve
    from planner.dystonia.movement import MOVEMENTS, spec_of

    e = EXERCISES[slug]
    spec = spec_of(e["pattern"])
    pattern = PatternData(pulls=(Pull(MOVEMENTS[spec.movement].component, pull, 2),))
    direction = resolve(spec, "", pattern)
    assert direction.side in ("left", "right") and f" {direction.side}" in direction.sentence
    flip = -1.0 if direction.mirrored else 1.0  # as the picture is drawn: x < 0 is the picture's left
    pic = normalize(e["picture"])
    start, end = (front_pose.place({**pose, "base": pic.start["base"]}) for pose in (pic.start, pic.end))
    on_picture_left = {"right": True, "left": False}
    if spec.wording not in (
        "turn",
        "shoulder_down",
        "shoulder_down_in_turn",
    ):  # a hand on the face, the head or the seat
        hand = "left" if (spec.wording in OTHER_HAND) == (direction.side == "right") else "right"
        assert (flip * end.joints["hand_r"][0] < 0) == on_picture_left[hand], (hand, end.joints["hand_r"])
    if spec.movement in ("rotation", "tilt") and not pic.press:  # a press holds the head still
        key = "head_turn" if spec.movement == "rotation" else "head_tilt"
        moved = flip * (end.pose.angles[key] - start.pose.angles[key])
        assert (moved > 0) == (direction.side == "right"), (key, moved)  # + is to the person's right


def _cups(pic: dict) -> list[list[tuple[float, float]]]:
    """The centre of each cup drawn in the start and the end panel (side view, model units)."""
    from planner.catalog.figure import side
    from planner.catalog.figure.props import cup_side

    look = cup_side((0.0, 0.0))[0]
    drawn = side.build(normalize(pic))
    return [
        [
            tuple(sum(c) / 4 for c in zip(*s.points, strict=True))
            for s in shapes
            if (s.kind, s.fill, s.stroke) == (look.kind, look.fill, look.stroke) and len(s.points) == 4
        ]
        for shapes in (drawn.start, drawn.end)
    ]


def test_the_table_posture_check_brings_the_cup_up_to_the_mouth():
    """ "Bring your cup or spoon up to your mouth. Do not lean down to it": the hand had come up to
    the mouth holding nothing. The cup is in the hand: low at the table as the patient leans down
    to it, at the mouth sitting tall. A cup the steps leave on the table stays there."""
    pic = EXERCISES["table-posture-check"]["picture"]
    joints, _ = _posed(pic)
    for j, cups in zip(joints, _cups(pic), strict=True):
        assert len(cups) == 1 and abs(cups[0][0] - j["hand_r"][0]) < 8 and abs(cups[0][1] - j["hand_r"][1]) < 10
    end_cup, mouth = _cups(pic)[1][0], joints[1]["mouth"]
    assert abs(end_cup[0] - mouth[0]) < 25 and abs(end_cup[1] - mouth[1]) < 25
    reach = EXERCISES["reach-trunk-straight"]["picture"]
    assert [len(c) for c in _cups(reach)] == [1, 1] and _cups(reach)[0] == _cups(reach)[1]  # on the table


def _head_sides(pic: dict, mirrored: bool) -> tuple[str, str]:
    """(the side the start's head is turned to, the side it is tipped to), in the patient's own
    left and right as the picture shows them: read from the placed start pose (+ is the patient's
    right, docs/catalog-format.md), then mirrored when the picture is. "" for none."""
    from planner.catalog.figure import face

    pic = normalize(pic)
    if pic.view == "face":
        v = face.values(pic.start)
        turn, tilt = v.head_turn, v.head_tilt
    else:
        placed = front_pose.place({**pic.start, "base": pic.start.get("base", "sitting")})
        turn, tilt = placed.body.look, placed.body.head_angle
    flip = -1 if mirrored else 1
    return tuple("" if not x else "right" if x * flip > 0 else "left" for x in (turn, tilt))  # type: ignore[return-value]


@pytest.mark.parametrize(("turn", "tilt"), [(t, s) for t in ("left", "right") for s in ("left", "right")])
def test_a_head_start_shows_the_turn_and_the_tilt_each_on_its_own_side(turn, tilt):
    """Session 11: a head turned right and tipped left started drawn turned and tipped to the right
    (the picture was mirrored by the turn, and the tilt went with it), so the patient saw the tilt on
    the wrong side. Every head picture that starts off the middle, as the handout, phone page and
    builder draw it (start_in of the direction's start_posture, mirrored as it says), shows the head
    turned to the side of the recorded turn and tipped to the side of the recorded tilt."""
    from planner.catalog.figure import build_shapes
    from planner.catalog.figure.pattern_start import start_in
    from planner.dystonia.direction import resolve
    from planner.dystonia.movement import spec_of

    pattern = PatternData(pulls=(Pull("rotation", turn, 2), Pull("tilt", tilt, 2)))
    heads = [slug for slug in STARTS_OFF_THE_MIDDLE if spec_of(EXERCISES[slug]["pattern"]).start_part == "head"]
    assert {"head-midline-mirror", "head-midline-eyes-closed", "sensory-trick-chin-touch"} <= set(heads)
    for slug in heads:
        e = EXERCISES[slug]
        direction = resolve(spec_of(e["pattern"]), "", pattern)
        pic = start_in(e["picture"], direction.start_posture)
        assert _head_sides(pic, direction.mirrored) == (turn, tilt), slug
        assert all(not pic["end"].get(key) for key in ("head_turn", "head_tilt")), slug  # back to the middle
        build_shapes(pic, "left" if direction.mirrored else "right")  # it draws


TRICKS = sorted(s for s, e in EXERCISES.items() if e["pattern"].get("trick"))


def _hand_side(pic: dict, mirrored: bool) -> str:
    """The side of the patient's body whose hand touches the face or head in the end panel, as the
    picture shows it: read from the placed pose (the raised hand's wrist beside the chest; the face
    view's fingertip beside the face's middle), the patient's right on the picture's left, then
    mirrored when the picture is. "" when no hand touches."""
    from planner.catalog.figure import face

    pic = normalize(pic)
    end = {**pic.start, **pic.end}
    if pic.view == "face":
        touch = face.values(end).touch
        if touch not in face.TOUCH:
            return ""
        x = face.TOUCH[touch][0][0]
    else:
        j = front_pose.place({**end, "base": pic.start.get("base", "sitting")}).joints
        raised = [s for s in "rl" if j[f"hand_{s}"][1] > j["chest"][1]]
        if len(raised) != 1:
            return ""
        x = j[f"wrist_{raised[0]}"][0] - j["chest"][0]
    right = (x < 0) != mirrored
    return "right" if right else "left"


@pytest.mark.parametrize("trick_side", ["left", "right"])
@pytest.mark.parametrize("turn", ["left", "right"])
def test_a_sensory_trick_picture_shows_the_hand_on_the_side_its_text_names(trick_side, turn):
    """Session 12: "Touch your chin on the left side, where your touch helps." beside a picture of
    the right hand at the chin, for a head turned to the right: the picture was mirrored to the
    turn, and the hand went with it. Every exercise that names the side of the recorded sensory
    trick shows the touching hand on that side, as the handout, phone page and builder draw it
    (start_in of the direction's start_posture, mirrored as it says); a start off the middle still
    shows the head turned (and tipped) to the patient's own pull."""
    from planner.catalog.figure import build_shapes
    from planner.catalog.figure.pattern_start import start_in
    from planner.dystonia.direction import resolve
    from planner.dystonia.movement import spec_of

    assert {"sensory-trick-chin-touch", "sensory-trick-back-of-head", "sensory-trick-temple-touch"} <= set(TRICKS)
    for slug in TRICKS:
        e = EXERCISES[slug]
        spec = spec_of(e["pattern"])
        for tilt in (turn, OTHER[turn]):
            pattern = PatternData(
                pulls=(Pull("rotation", turn, 2), Pull("tilt", tilt, 1)), trick=spec.trick, trick_side=trick_side
            )
            direction = resolve(spec, "", pattern)
            assert f" {trick_side} " in direction.sentence, (slug, direction.sentence)
            pic = start_in(e["picture"], direction.start_posture)
            assert _hand_side(pic, direction.mirrored) == trick_side, (slug, turn, tilt, direction)
            if spec.start:
                assert _head_sides(pic, direction.mirrored) == (turn, tilt), (slug, direction)
            build_shapes(pic, "left" if direction.mirrored else "right")  # it draws


OTHER = {"left": "right", "right": "left"}


def test_every_exercise_whose_text_names_a_side_from_the_pattern_draws_that_side():
    """The same kind, over the whole catalog: for patterns pulling and touching each way, every
    exercise whose sentence names a side the pattern gives (a turn, a tilt, a shoulder, a limb,
    a cheek, the easy hand, a trick) is drawn for that side (mirrored exactly when the side is
    the other one from the side it is drawn for), never for the side of a pull the text does not
    name."""
    from planner.dystonia.direction import resolve
    from planner.dystonia.limbs import LIMB_DRAWN, TRICK_DRAWN
    from planner.dystonia.movement import spec_of

    patterns = [
        PatternData(
            pulls=(Pull("rotation", turn, 2), Pull("tilt", turn, 1), Pull("shoulder", turn, 1)),
            areas=(f"hand_arm_{limb}", f"leg_{limb}"),
            trick=trick,
            trick_side=limb,
        )
        for turn in ("left", "right")
        for limb in ("left", "right")
        for trick in ("chin", "cheek", "back_of_head", "forehead_temple")
    ]
    checked = set()
    for slug, e in EXERCISES.items():
        spec = spec_of(e.get("pattern", {}))
        for pattern in patterns:
            direction = resolve(spec, "", pattern)
            if direction.side not in OTHER and not direction.trick_side:
                continue
            named = direction.trick_side or direction.side
            if not re.search(rf"\b{named}\b", direction.sentence):
                continue  # a side the dosage says, or none
            if direction.trick_side:
                drawn = TRICK_DRAWN
            else:
                drawn = spec.drawn if spec.directional else LIMB_DRAWN.get(spec.wording, "right")
            assert direction.mirrored == (named != drawn), (slug, pattern, direction)
            checked.add(slug)
    assert {
        "sensory-trick-chin-touch",
        "sensory-trick-cheek-touch",
        "head-midline-away-from-pull",
        "mirror-hand-open-close",
    } <= checked


# Where the hand of a sensory trick touches, by the picture's `touch`, in the words its text uses.
TOUCH_PLACES = {
    "chin_r": "chin",
    "cheek_r": "cheek",
    "temple_r": "temple",
    "forehead": "forehead",
    "back_of_head": "back of your head",
    "back_of_head_mid": "back of your head",
}
MIDDLE_ROOM = 0.3  # a fingertip within this many head radii of the face's middle is in the middle


def _touch_shown(pic: dict, mirrored: bool) -> tuple[str, str, float]:
    """(the place the hand touches, in the text's words; the side of the patient's body whose hand
    it is; where the fingertip is across the head, in head radii, + the patient's left), read from
    the end panel's placed pose as the picture shows it (mirrored when it is)."""
    from planner.catalog.figure import face
    from planner.catalog.figure.body import HEAD_RADIUS_FRONT

    pic = normalize(pic)
    end = {**pic.start, **pic.end}
    if pic.view == "face":
        touch = face.values(end).touch
        (tip_x, _), (from_x, _) = face.TOUCH[touch]
        across, hand = tip_x / face.RX, "right" if from_x < 0 else "left"
    else:
        touch = front_pose.values({**end, "base": pic.start.get("base", "sitting")}).touch
        j = front_pose.place({**end, "base": pic.start.get("base", "sitting")}).joints
        raised = [s for s in "rl" if j[f"hand_{s}"][1] > j["chest"][1]]
        assert len(raised) == 1, (pic, raised)
        hand = "right" if raised[0] == "r" else "left"
        across = (j[f"hand_{raised[0]}"][0] - j["head"][0]) / HEAD_RADIUS_FRONT
    if mirrored:
        across, hand = -across, OTHER[hand]
    return TOUCH_PLACES[touch], hand, across


def _touch_said(sentence: str, steps: list[str]) -> tuple[str, str]:
    """(the place the text says to touch, the side it says: "left", "right", "middle" or "any"),
    read from the sentence the patient reads above the steps, else from the steps."""
    said = sentence or " ".join(steps)
    place = min(
        (m.start(), name) for name in TOUCH_PLACES.values() if (m := re.search(rf"\b{name}\b", said)) is not None
    )[1]
    if side := re.search(r"\b(left|right)\b", sentence):
        return place, side.group(1)
    if re.search(r"\bmiddle of your\b", sentence) or (not sentence and "Use the middle" in said):
        return place, "middle"
    return place, "any"  # "Try each temple": a hand at either is the text's


def _draws_a_trick(e: dict) -> bool:
    return bool(e["pattern"].get("trick")) or e["pattern"].get("wording") == "cheek"


TRICK_PICTURES = sorted(s for s, e in EXERCISES.items() if _draws_a_trick(e))


@pytest.mark.parametrize("slug", TRICK_PICTURES)
def test_a_sensory_trick_picture_touches_where_its_text_says_for_every_recorded_place(slug):
    """Session 13: a forehead-or-temple trick recorded "in the middle" gave "Use the middle of your
    forehead, where your touch helps." beside a fingertip at the right temple. For every exercise
    that draws a sensory trick, every place and side the pattern form allows for its trick (and
    none, or one recorded elsewhere), a head turned and tipped either way: the picture as the
    handout, phone page and builder draw it (start_in of the direction's start_posture, mirrored as
    it says) has the hand at the place the text names, on the side it names (that hand, the
    fingertip on that side of the face), or in the face's middle where the text says the middle."""
    from planner.catalog.figure import build_shapes
    from planner.catalog.figure.pattern_start import start_in
    from planner.dystonia.direction import resolve
    from planner.dystonia.movement import spec_of
    from planner.dystonia.pattern import TRICK_PLACES

    e = EXERCISES[slug]
    spec = spec_of(e["pattern"])
    place = spec.trick or "cheek"
    recorded = [(place, side) for side in TRICK_PLACES[place].sides] + [("", ""), ("mouth", "")]
    checked = set()
    for trick, trick_side in recorded:
        for turn in ("left", "right"):
            for tilt in (turn, OTHER[turn]):
                pulls = (Pull("rotation", turn, 2), Pull("tilt", tilt, 1))
                direction = resolve(spec, "", PatternData(pulls=pulls, trick=trick, trick_side=trick_side))
                pic = start_in(e["picture"], direction.start_posture)
                shown, hand, across = _touch_shown(pic, direction.mirrored)
                said, side = _touch_said(direction.sentence, e["steps"])
                case = (slug, trick, trick_side, turn, tilt, direction.sentence, direction.start_posture)
                assert shown == said, case
                if side in OTHER:
                    assert hand == side and (across > 0) == (side == "left") and across, (case, hand, across)
                elif side == "middle":
                    assert abs(across) <= MIDDLE_ROOM, (case, across)
                build_shapes(pic, "left" if direction.mirrored else "right")  # it draws
                checked.add((said, side))
    assert len(checked) >= 2, checked  # the text named more than one place or side
