"""The front view: the figure faces the viewer; the patient's right is on the picture's left.

front_pose places the body, front_arrow marks the movement; this module draws the figure and
its props. Lying on the back is drawn by lying.py, from above or from the feet.
"""

from __future__ import annotations

import math

from . import lying
from .body import HEAD_RADIUS_FRONT, SEAT_HEIGHT
from .front_arrow import arrow, biggest_change, press
from .front_pose import (
    BEHIND_HEAD,
    CHAIR_HALF,
    CHAIR_TOP,
    COUNTER_FAR,
    COUNTER_NEAR,
    COUNTER_TOP,
    LYING,
    SIDES,
    Joints,
    Placed,
    place,
    toward_viewer,
    values,
)
from .head import draw_head
from .props import CHAIR, TAPE, TAPE_EDGE, chair_side, cup_side, hatched_band, table_top
from .shapes import (
    BAND,
    INK,
    PROP,
    PROP_EDGE,
    Point,
    Shape,
    add,
    circle,
    dist,
    ellipse,
    lerp,
    line,
    poly,
    rect,
    rot,
    unit,
)
from .spec import Picture
from .view import Anchors, ViewDrawing

W_LIMB = 7.5  # the drawn width of an arm
# Touches whose right arm is drawn before the head: none, or a hand on the chair, counter or seat.
HOLDING_LOW = ("none", "chair_back", "counter_r", "seat_r", "chair_back_r")


FIST = 5.2  # the radius of a fist at the end of a forearm pointing at the viewer
NEARER = 0.5  # how much larger a fist at the end of an arm held straight out at the viewer is


def _arm(joints: Joints, side: str, fist: bool = False, near: float = 0.0) -> list[Shape]:
    """An arm; with fist, a forearm pointing at the viewer, ending in a round fist drawn larger by
    `near` (front_pose.toward_viewer: 1 for an arm straight out at the viewer)."""
    shoulder, elbow, wrist, hand = (joints[f"{name}_{side}"] for name in ("shoulder", "elbow", "wrist", "hand"))
    if fist:
        return [
            line([lerp(shoulder, elbow, 0.4), elbow, wrist], stroke="#ffffff", width=W_LIMB + 4),
            line([shoulder, elbow, wrist], stroke=INK, width=W_LIMB),
            circle(wrist, FIST * (1.0 + NEARER * near), fill=INK, stroke="#ffffff", width=2),
        ]
    return [
        line([lerp(shoulder, elbow, 0.4), elbow, wrist, hand], stroke="#ffffff", width=W_LIMB + 4),
        line([shoulder, elbow, wrist], stroke=INK, width=W_LIMB),
        line([wrist, hand], stroke=INK, width=W_LIMB + 1.5),
    ]


def draw(placed: Placed, props: list[str], scene: dict[str, list[Shape]]) -> list[Shape]:
    """One pose with the scene's props, legs first (model units, y up)."""
    pose, body, joints = placed.pose, placed.body, placed.joints
    out: list[Shape] = list(scene["back"])
    for side, _ in SIDES:
        out.append(
            line([joints[f"hip_{side}"], joints[f"knee_{side}"], joints[f"ankle_{side}"]], stroke=INK, width=8.5)
        )
        out.append(line([joints[f"ankle_{side}"], joints[f"toe_{side}"]], stroke=INK, width=6.5))
    out += scene["mid"]
    out.append(poly(body.torso, fill=INK, stroke=INK, width=5))
    if abs(pose.angles["trunk_turn"]) > 1:
        out.append(line(body.midline, stroke="#6c757d", width=2))
    out += scene["over"]
    out.append(line([joints["neck_base"], joints["neck_top"]], stroke=INK, width=9))
    touch_back = pose.touch in BEHIND_HEAD
    fist = {side: pose.arm_turn[side] is not None or pose.angles[f"reach_{side}"] > 45 for side, _ in SIDES}
    fist["r"] = fist["r"] or pose.touch in ("seat_r", "chair_back_r")  # gripping the seat's or the back's edge
    near = {side: toward_viewer(pose.angles, side) for side, _ in SIDES}
    if touch_back:
        out += _arm(joints, "r")
    out += _arm(joints, "l", fist["l"], near["l"])
    if not touch_back and pose.touch in HOLDING_LOW:
        out += _arm(joints, "r", fist["r"], near["r"])
    out += draw_head(joints["head"], body.head_angle, body.look, nod=pose.angles["head_nod"])
    if not touch_back and pose.touch not in HOLDING_LOW:
        out += _arm(joints, "r")
    out += _hand_props(props, placed)
    out += scene["front"]
    return out


def _cup_to_the_mouth(joints: dict[str, Point]) -> bool:
    """Whether the right hand is up by the mouth: a cup at the table is held there to sip from
    ("Bring the cup to your mouth"), not left standing on the table."""
    return dist(joints["hand_r"], joints["head"]) < CUP_AT_MOUTH


def _hand_props(props: list[str], placed: Placed) -> list[Shape]:
    """What the hands hold or what rests on the body: band, weight, ball, cup, towel."""
    pose, joints = placed.pose, placed.joints
    out: list[Shape] = []
    hand_r, hand_l = joints["hand_r"], joints["hand_l"]
    turned = pose.arm_turn["r"] is not None and pose.arm_turn["l"] is not None
    shoulder_r, shoulder_l = pose.angles["shoulder_r"], pose.angles["shoulder_l"]
    if "band" in props:
        if turned or abs(shoulder_r - shoulder_l) < 15 and shoulder_r > 5:
            out.append(line([hand_r, hand_l], stroke=BAND, width=3.5))
        else:
            out.append(line([hand_r, add(joints["toe_r"], (2, 1))], stroke=BAND, width=3.5))
    if "weight" in props:  # in both hands when the arms do the same (a weight in each hand)
        alike = all(pose.angles[f"{k}_r"] == pose.angles[f"{k}_l"] for k in ("shoulder", "elbow"))
        for hand in (hand_r, hand_l) if alike else (hand_r,):
            out += _dumbbell(hand)
    if "ball" in props:
        out.append(circle(add(hand_r, (0, 5)), 7.5, fill="#e7f5ff", stroke="#5c7f99", width=2.5))
    if "cup" in props and ("table" not in props or _cup_to_the_mouth(joints)):
        out += cup_side(add(hand_r, (0, 5)))
    if "towel" in props and not turned:  # a folded cloth balanced on top of the head
        top, tilt = joints["head_top"], placed.body.head_angle
        cloth = [add(top, rot(p, tilt)) for p in ((-13, -2), (13, -2), (11, 4), (-11, 4))]
        out.append(poly(cloth, fill="#f1e3c8", stroke="#a08c6a", width=2))
    elif "towel" in props:  # rolled between the elbow and the side (both sides when both turn)
        for side, out_x in (("r", 1.0), ("l", -1.0)) if turned else (("r", 1.0),):
            elbow = joints[f"elbow_{side}"]
            out.append(ellipse(add(elbow, (out_x * 4.5, 3)), 3.5, 6, fill="#f1e3c8", stroke="#a08c6a", width=2))
    return out


WEIGHT = "#495057"


def _dumbbell(hand: Point) -> list[Shape]:
    """A small hand weight across the fist, dark with a white edge so it shows over a leg or the chair."""
    bar = [line([add(hand, (-9, 0)), add(hand, (9, 0))], stroke="#ffffff", width=7),
           line([add(hand, (-9, 0)), add(hand, (9, 0))], stroke=WEIGHT, width=4)]  # fmt: skip
    for x in (-9, 9):
        bar.append(
            rect(add(hand, (x - 3.5, -6.5)), add(hand, (x + 3.5, 6.5)), fill=WEIGHT, stroke="#ffffff", width=1.5, r=1)
        )
    return bar


BOOK = "#a5443a"


def _book(top: float) -> list[Shape]:
    """A book propped open on a table, seen from behind: its cover stands up from the table top
    to the chest, its pages fanned white along its top edge."""
    return [
        poly([(-20, top), (-17, top + 30), (17, top + 30), (20, top)], fill=BOOK, stroke="#ffffff", width=2),
        line([(-17, top + 31.5), (0, top + 29), (17, top + 31.5)], stroke="#ffffff", width=3),  # the pages
        line([(-17, top + 31.5), (0, top + 29), (17, top + 31.5)], stroke="#868e96", width=1),
        line([(0, top + 1), (0, top + 29)], stroke="#7a2f28", width=2),  # the spine between the halves
    ]


CUP_AT_MOUTH = 2.2 * HEAD_RADIUS_FRONT  # a hand this near the head's middle holds a cup up to sip


def scene_props(props: list[str], poses: list[Placed]) -> dict[str, list[Shape]]:
    """Props fixed in the scene, the same in both panels: back (behind the figure), mid (over
    the legs), over (in front of the trunk, behind the arms)."""
    back: list[Shape] = []
    mid: list[Shape] = []
    over: list[Shape] = []
    seat = SEAT_HEIGHT
    sitting = any(p.pose.base == "sitting" for p in poses)
    if "wall" in props:
        back.append(rect((-62, 0), (62, 170), fill="#f1f3f5", stroke=None, width=0))
        back += hatched_band(-74, -62, 0, 170) + hatched_band(62, 74, 0, 170)
    if "doorway" in props:  # the frame's sides where the raised forearms rest on them
        x = max(abs(p.joints[k][0]) for p in poses for k in ("elbow_r", "elbow_l", "wrist_r", "wrist_l"))
        x = max(x + W_LIMB / 2, 36.0)
        back.append(rect((-x, 0), (x, 186), fill="#f1f3f5", stroke=None, width=0))
        back += hatched_band(-x - 12, -x, 0, 186) + hatched_band(x, x + 12, 0, 186)
    if "mat" in props:
        back.append(rect((-45, -5), (45, 0), fill="#c5ccd3", r=2))
    if "step" in props:
        back.append(rect((-30, -16), (30, 0), r=1.5))
    if "tape" in props:  # a strip of tape across the floor, in front of the feet
        mid.append(rect((-34, -3), (34, 1), fill=TAPE, stroke=TAPE_EDGE, width=1.5))
    if "chair" in props:
        if sitting:
            back.append(rect((-23, seat - 6), (23, seat + 46), fill=PROP, stroke=PROP_EDGE, r=3))
            for x in (-24.0, 24.0):
                back.append(line([(x, seat - 10), (x, 0)], stroke=CHAIR, width=6))
            back.append(line([(-28, seat - 9), (28, seat - 9)], stroke=CHAIR, width=7))
        elif any(p.pose.touch == "chair_back" for p in poses):  # in front, seen from behind
            over += _chair_back()
        else:
            back += chair_side(70, 46, -30)
    if "table" in props and any(p.pose.touch == "counter_r" for p in poses):  # beside, one hand on it
        legs, table = table_top(-COUNTER_FAR, -COUNTER_NEAR, COUNTER_TOP)
        back += legs + table
    front: list[Shape] = []
    if "table" in props and not any(p.pose.touch == "counter_r" for p in poses):  # in front of the body
        top = seat + 27 if sitting else 92
        _, table = table_top(-48, 48, top)
        mid += [line([(x, top), (x, 0)], stroke=CHAIR, width=4) for x in (-42, 42)]
        if "book" in props:  # the table between the viewer and the patient, the book propped up on it
            front += table + _book(top)
        else:
            mid += table
        if "pen_paper" in props:
            mid.append(rect((-4, top - 0.5), (26, top + 1.5), fill="#fff", stroke="#868e96"))
        if "cup" in props and not any(_cup_to_the_mouth(p.joints) for p in poses):
            mid += cup_side((22, top + 6.5))
    return {"back": back, "mid": mid, "over": over, "front": front}


def _chair_back() -> list[Shape]:
    """The back of a chair between the viewer and the legs: posts, the back panel, the top rail."""
    x, top, seat = CHAIR_HALF, CHAIR_TOP, SEAT_HEIGHT
    return [
        rect((-x, seat + 12), (x, top - 8), fill=PROP, stroke=None, width=0),
        line([(-x, 0), (-x, top)], stroke=CHAIR, width=6),
        line([(x, 0), (x, top)], stroke=CHAIR, width=6),
        line([(-x - 3, seat), (x + 3, seat)], stroke=CHAIR, width=6),
        line([(-x - 3, top), (x + 3, top)], stroke=CHAIR, width=7),
    ]


def build(pic: Picture) -> ViewDrawing:
    """Both poses of a front-view picture drawn, with the arrow, the floor and the face's anchors."""
    props = pic.props
    start = pic.start
    end = {**pic.end}
    end.setdefault("base", start.get("base", "standing"))
    if start.get("base") in LYING or end["base"] in LYING:  # from above or from the feet
        v0, v1 = values(start), values(end)
        camera = "feet" if "lying_from_feet" in (start.get("base"), end["base"]) else "above"
        key = pic.arrow or biggest_change(v0, v1)
        return lying.build(camera, "front", pic, v0.angles, v1.angles, "lying", key)
    s0, s1 = place(start), place(end)
    scene = scene_props(props, [s0, s1])
    key = pic.arrow or biggest_change(s0.pose, s1.pose)
    if key == "touch" and s0.pose.touch == s1.pose.touch:
        key = None
    arrows = arrow(key, s0, s1) if key else []
    if pic.press:  # an isometric hold: a push against the hand instead of a motion
        arrows = press(pic.press, s1.body)
    body = s1.body
    t = math.radians(body.look)
    return ViewDrawing(
        start=draw(s0, props, scene),
        end=draw(s1, props, scene),
        arrow=arrows,
        floor=0.0,
        anchors=Anchors(
            mouth=body.head_point((HEAD_RADIUS_FRONT * 0.85 * math.sin(-t), -8.5)),
            face_dir=unit(rot((1.0 if math.sin(-t) >= -0.2 else -1.0, -0.5), body.head_angle)),
            throat=body.joints["neck_base"],
            throat_dir=(1.0, 0.0),
            down=(0.0, -1.0),
        ),
    )
