"""The side view: a profile figure facing right, posed by side_pose and drawn here.

The near side (the patient's right) is drawn in ink, the far side in grey. Side lying is drawn
from the patient's front instead (lying.py), so a top leg that lifts shows.
"""

from __future__ import annotations

from . import lying
from .body import HEAD_RADIUS_PROFILE
from .props import hand_prop, scene_props
from .shapes import (
    FAR,
    INK,
    SKIN,
    Point,
    Shape,
    add,
    angle_of,
    arc,
    arrow_along,
    circle,
    dist,
    lerp,
    line,
    mul,
    poly,
    quad,
    sub,
    unit,
)
from .side_arrow import W_TRUNK, arrow, biggest_change, press
from .side_pose import LYING, Joints, Placed, bed_top, head_rest_height, place, values
from .spec import Picture
from .view import Anchors, ViewDrawing

STEP = 16.0  # the height of a step the figure stands on
W_LIMB, W_NECK = 7.0, 8.0  # drawn widths of a limb and the neck


def _head(joints: Joints) -> list[Shape]:
    """The head in profile: the skull, hair over the top and back, the nose and an eye."""
    centre = joints["head"]
    axis = unit(sub(joints["head_top"], centre))
    face = unit(sub(joints["face"], centre))
    a = angle_of(axis)
    radius = HEAD_RADIUS_PROFILE
    # hair: a cap over the top and back of the head
    back = -1 if (face[0] * axis[1] - face[1] * axis[0]) < 0 else 1  # which way the back of the head is
    hair = arc(centre, radius + 0.5, a - 40 * back, a + 115 * back, 20)
    nose_top = add(centre, add(mul(face, radius - 0.5), mul(axis, 1.0)))
    nose_tip = add(centre, add(mul(face, radius + 3.5), mul(axis, -2.5)))
    nose_bottom = add(centre, add(mul(face, radius - 0.8), mul(axis, -4.5)))
    return [
        circle(centre, radius, fill=SKIN, stroke=INK, width=3.5),
        poly(hair, fill=INK),
        line([nose_top, nose_tip, nose_bottom], stroke=INK, width=2.5),
        circle(joints["eye"], 1.7, fill=INK, stroke=None, width=0),
    ]


def _arm(joints: Joints, side: str, color: str) -> list[Shape]:
    shoulder, elbow, wrist, hand = (
        joints[name] for name in ("shoulder", f"elbow_{side}", f"wrist_{side}", f"hand_{side}")
    )
    halo = []
    if color == INK:  # a white edge keeps the near arm visible against the trunk
        halo = [line([lerp(shoulder, elbow, 0.35), elbow, wrist, hand], stroke="#ffffff", width=W_LIMB + 4)]
    return halo + [
        line([shoulder, elbow, wrist], stroke=color, width=W_LIMB),
        line([wrist, hand], stroke=color, width=W_LIMB + 1),
    ]


def _leg(joints: Joints, side: str, color: str) -> list[Shape]:
    return [
        line([joints["hip"], joints[f"knee_{side}"], joints[f"ankle_{side}"]], stroke=color, width=W_LIMB + 1),
        line([joints[f"heel_{side}"], joints[f"toe_{side}"]], stroke=color, width=W_LIMB - 1),
    ]


def _spine(joints: Joints) -> list[Point]:
    """The trunk from hip to shoulder: straight, or bowed through the middle of the back."""
    hip, shoulder, mid = joints["hip"], joints["shoulder"], joints["spine_mid"]
    if dist(mid, lerp(hip, shoulder, 0.5)) < 0.5:
        return [hip, shoulder]
    ctrl = sub(mul(mid, 2), lerp(hip, shoulder, 0.5))  # the curve passes through mid
    return quad(hip, ctrl, shoulder, 10)


def draw(p: Placed, scene: dict[str, list[Shape]], props: list[str]) -> list[Shape]:
    """One pose with the scene's props, far side first (model units, y up)."""
    joints = p.joints
    out: list[Shape] = list(scene["back"])
    out += hand_prop(props, p, "far")
    out += _arm(joints, "l", FAR) + _leg(joints, "l", FAR)
    if "ball" in props and p.base in LYING:
        out.append(circle(joints["knee_r"], 9, fill="#e7f5ff", stroke="#5c7f99", width=2.5))
    out.append(line(_spine(joints), stroke=INK, width=W_TRUNK))
    if p.angles["belly"] > 0:  # the belly risen with a breath in: a curve out over the front of the trunk
        low, top, high = joints["belly_low"], joints["belly"], joints["belly_high"]
        ctrl = sub(mul(top, 2), lerp(low, high, 0.5))
        out.append(poly(quad(low, ctrl, high, 12), fill=INK, stroke=INK, width=2))
    out.append(line([joints["neck_base"], joints["neck_top"]], stroke=INK, width=W_NECK))
    out += _head(joints)
    out += _leg(joints, "r", INK)
    out += scene["mid"]
    out += _arm(joints, "r", INK)
    out += hand_prop(props, p, "near")
    out += scene["front"]
    return out


def build(pic: Picture) -> ViewDrawing:
    """Both poses of a side-view picture drawn, with the arrow, the floor and the face's anchors."""
    props = pic.props
    s_base = str(pic.start.get("base", "standing"))
    e_base = str(pic.end.get("base", s_base))
    if s_base == e_base == "side_lying":  # seen from the front, so a top leg lifting shows
        end = {**pic.end, "base": s_base}
        q0, q1 = Placed(s_base, values(pic.start).angles), Placed(s_base, values(end).angles)
        key = pic.arrow or biggest_change(q0, q1)
        return lying.build("front", "side", pic, q0.angles, q1.angles, s_base, key)
    upright = ("standing", "sitting", "kneeling")
    feet_mode = s_base != e_base and s_base in upright and e_base in upright
    floor = STEP if "step" in props and s_base == "standing" else 0.0
    end = dict(pic.end)
    end.setdefault("base", s_base)
    on_bed = "bed" in props and s_base in LYING and e_base in LYING
    if on_bed:
        floor = bed_top([pic.start, end])
    rest = head_rest_height(props, s_base)
    p0 = place(pic.start, feet_mode, floor, on_bed, rest)
    p1 = place(end, feet_mode, floor, on_bed, rest)
    scene = scene_props(props, p0, p1, floor)
    key = pic.arrow or biggest_change(p0, p1)
    arrows = arrow(key, p0, p1) if key else []
    if key and key.startswith("ankle") and pic.symbol == "count":  # circles: a loop round the toes
        toe = p1.joints[f"toe{key[5:]}"]
        arrows = arrow_along(arc(add(toe, (3.0, 4.0)), 11.0, 200, 480, 24, 7.0), width=3.5, head=8)
    if pic.press:  # an isometric hold: a push against the hand instead of a motion
        arrows = press(pic.press, p1)
    j1 = p1.joints
    return ViewDrawing(
        start=draw(p0, scene, props),
        end=draw(p1, scene, props),
        arrow=arrows,
        floor=0.0,
        floor_line=p0.base not in LYING or "mat" not in props,
        anchors=Anchors(
            mouth=j1["mouth"],
            face_dir=unit(sub(j1["face"], j1["head"])),
            throat=lerp(j1["neck_base"], j1["neck_top"], 0.5),
            throat_dir=unit(sub(j1["face"], j1["head"])),
            down=unit(sub(j1["neck_base"], j1["neck_top"])),
        ),
    )
