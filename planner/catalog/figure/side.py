"""The side view: a profile figure facing right, posed by forward kinematics."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .props import HOLDS, hand_prop, hold_point, scene_props
from .shapes import (
    FAR,
    INK,
    SKIN,
    Point,
    Shape,
    add,
    angle_of,
    arc,
    arc_arrow,
    bow_arrow,
    circle,
    dist,
    ik2,
    limb,
    line,
    mul,
    perp,
    poly,
    press_arrow,
    quad,
    straight_arrow,
    sub,
    unit,
)
from .spec import TRANSLATIONS

# Segment lengths in model units (about centimetres of a 170 cm adult).
TRUNK, NECK, HEAD = 52.0, 6.0, 12.5
UPPER, FORE, HAND = 29.0, 25.0, 9.0
THIGH, SHIN, FOOT, HEEL = 43.0, 42.0, 14.0, 4.0
SEAT = 47.0  # hip height on a chair
STEP = 16.0
LIMB_R, TRUNK_R = 3.8, 8.5
SPINE_BOW = 9.0  # how far the middle of the back moves out at spine_curve = 1
W_LIMB, W_TRUNK, W_NECK = 7.0, 17.0, 8.0

# base -> (trunk tilt, body transform, natural angles for both sides)
BASES: dict[str, tuple[float, str | None, dict[str, float]]] = {
    "standing": (0, None, {}),
    "sitting": (0, None, {"hip": 90, "knee": 90}),
    "lying": (0, "back", {}),
    "prone": (0, "front", {}),
    "side_lying": (0, "back", {"hip": 35, "knee": 50, "shoulder": 35, "elbow": 40}),
    "hands_knees": (90, None, {"hip": 90, "knee": 90, "shoulder": 90, "ankle": -90}),
    "kneeling": (0, None, {"knee": 90, "ankle": -90}),
}
LYING = ("lying", "prone", "side_lying")
NUMERIC = (
    "head_nod", "head_forward", "trunk_lean", "shrug", "pelvis_lift", "spine_curve",
    "leg_lift", "knee_open",
    "shoulder_r", "shoulder_l", "elbow_r", "elbow_l", "wrist_r", "wrist_l",
    "hip_r", "hip_l", "knee_r", "knee_l", "ankle_r", "ankle_l",
)  # fmt: skip


def values(pose: dict) -> tuple[str, dict[str, float]]:
    """The base and every angle of a pose, natural angles of the base filled in."""
    base = pose.get("base", "standing")
    v = {k: 0.0 for k in NUMERIC}
    for k, x in BASES[base][2].items():
        v[f"{k}_r"] = v[f"{k}_l"] = float(x)
    for k in NUMERIC:
        if k in pose:
            v[k] = float(pose[k])
    if base in LYING:
        for s in "rl":  # a bent knee puts the foot flat on the floor
            if f"ankle_{s}" not in pose and v[f"knee_{s}"] >= 45 and v[f"hip_{s}"] <= 80:
                v[f"ankle_{s}"] = max(-45.0, min(0.0, v[f"knee_{s}"] - v[f"hip_{s}"] - 90))
    return base, v


def _xf(kind: str | None):
    if kind == "back":  # lying on the back, head to the left, front up
        return lambda p: (-p[1], p[0])
    if kind == "front":  # on the stomach, head to the left, front down
        return lambda p: (-p[1], -p[0])
    return lambda p: p


def kinematics(base: str, v: dict[str, float], touch: str = "none") -> dict[str, Point]:
    """Joint positions (hip at the origin, floor not yet applied)."""
    tilt, kind, _ = BASES[base]
    lean = tilt + v["trunk_lean"]
    lift = v["pelvis_lift"] if base in LYING else 0.0
    beta = math.degrees(math.asin(min(0.9, lift * 26 / TRUNK)))
    lean -= beta
    j: dict[str, Point] = {"hip": (0.0, 0.0)}
    up = limb(180 - lean)
    fwd = limb(90 - lean)
    j["neck_base"] = mul(up, TRUNK + 2)
    j["shoulder"] = add(mul(up, TRUNK - 3), mul(up, v["shrug"] * 7))
    j["chest"] = add(mul(up, TRUNK * 0.62), mul(fwd, TRUNK_R))
    # the middle of the back: + rounds it out behind (cat, slump), - hollows it (sag)
    j["spine_mid"] = add(mul(j["shoulder"], 0.5), mul(fwd, -SPINE_BOW * v["spine_curve"]))
    nod = v["head_nod"]
    hf = v["head_forward"]
    neck_dir = limb(180 - lean - nod * 0.45 - hf * 30)
    j["neck_top"] = add(add(j["neck_base"], mul(neck_dir, NECK)), mul(fwd, hf * 8))
    head_axis = limb(180 - lean - nod)
    j["head"] = add(j["neck_top"], mul(head_axis, HEAD * 0.85))
    j["head_top"] = add(j["head"], mul(head_axis, HEAD))
    j["face"] = add(j["head"], mul(limb(90 - lean - nod), HEAD))
    j["eye"] = add(add(j["head"], mul(limb(90 - lean - nod), HEAD * 0.55)), mul(head_axis, 2.5))
    j["mouth"] = add(j["face"], mul(head_axis, -HEAD * 0.45))
    for s in "rl":
        a = -lean + v[f"shoulder_{s}"] - beta
        j[f"elbow_{s}"] = add(j["shoulder"], limb(a, UPPER))
        a += v[f"elbow_{s}"]
        j[f"wrist_{s}"] = add(j[f"elbow_{s}"], limb(a, FORE))
        a += v[f"wrist_{s}"]
        j[f"hand_{s}"] = add(j[f"wrist_{s}"], limb(a, HAND))
        t = -tilt + v[f"hip_{s}"]
        j[f"knee_{s}"] = limb(t, THIGH)
        sh = t - v[f"knee_{s}"]
        j[f"ankle_{s}"] = add(j[f"knee_{s}"], limb(sh, SHIN))
        ft = sh + 90 + v[f"ankle_{s}"]
        if lift:  # bridging: the feet stay where they were, the knees follow
            target = sub(j[f"ankle_{s}"], (lift * 26, 0.0))
            j[f"knee_{s}"] = ik2(j["hip"], target, THIGH, SHIN, 1.0)
            j[f"ankle_{s}"] = target
        j[f"toe_{s}"] = add(j[f"ankle_{s}"], limb(ft, FOOT))
        j[f"heel_{s}"] = add(j[f"ankle_{s}"], limb(ft, -HEEL))
    if touch in ("forehead", "back_of_head"):
        _touch_head(j, touch)
    f = _xf(kind)
    return {k: f(p) for k, p in j.items()}


def _touch_head(j: dict[str, Point], touch: str) -> None:
    """Put the right palm flat on the forehead, or both hands on the back of the head."""
    c = j["head"]
    axis, face = unit(sub(j["head_top"], c)), unit(sub(j["face"], c))
    side = 1.0 if touch == "forehead" else -1.0
    out = mul(face, side * (HEAD + 3.0))
    tip = add(add(c, out), mul(axis, HEAD * 0.65))
    wrist = add(add(c, out), mul(axis, HEAD * 0.65 - HAND))
    cands = [ik2(j["shoulder"], wrist, UPPER, FORE, b) for b in (1.0, -1.0)]
    # the elbow hangs down in front for the forehead and points back for the back of the head,
    # so the arm never crosses the face
    elbow = min(cands, key=lambda e: e[1]) if touch == "forehead" else min(cands, key=lambda e: e[0])
    for s in ("r", "l") if touch == "back_of_head" else ("r",):
        j[f"elbow_{s}"], j[f"wrist_{s}"], j[f"hand_{s}"] = elbow, wrist, tip


@dataclass
class Placed:
    base: str
    v: dict[str, float]
    j: dict[str, Point] = field(default_factory=dict)
    touch: str = "none"
    floor: float = 0.0  # what the figure lies or stands on (a bed top when on a bed)


def _contact(base: str, j: dict[str, Point]) -> list[tuple[Point, float]]:
    feet = [(j[f"{k}_{s}"], LIMB_R * 0.8) for k in ("toe", "heel", "ankle") for s in "rl"]
    if base == "standing":
        return feet
    if base in ("hands_knees", "kneeling"):
        hands = [(j[f"{k}_{s}"], LIMB_R) for k in ("hand", "wrist") for s in "rl"]
        knees = [(j[f"knee_{s}"], LIMB_R) for s in "rl"]
        return feet + knees + (hands if base == "hands_knees" else [])
    pts = [(p, LIMB_R) for k, p in j.items() if k not in ("head", "chest", "hip")]
    return pts + [(j["head"], HEAD), (j["hip"], TRUNK_R), (j["shoulder"], TRUNK_R * 0.8)]


def place(pose: dict, feet_mode: bool, floor: float, on_bed: bool = False) -> Placed:
    base, v = values(pose)
    touch = pose.get("touch", "none")
    j = kinematics(base, v, touch)
    if base == "sitting" and not feet_mode:
        dx, dy = 0.0, SEAT + floor
    else:
        contact = _contact(base, j)
        if on_bed:  # the trunk and head lie on the bed; a leg may hang over its edge
            contact = [(j[k], r) for k, r in (("head", HEAD), ("hip", TRUNK_R), ("shoulder", TRUNK_R))]
        low = min(p[1] - r for p, r in contact)
        dy = floor - low
        if base == "sitting":
            dy = SEAT + floor
        if base in ("standing", "sitting", "kneeling") or feet_mode:
            if base in ("hands_knees", "kneeling"):
                ref = j["knee_r"]
            else:  # the foot that moves least stays put
                s = min("lr", key=lambda s: abs(v[f"hip_{s}"]) + abs(v[f"knee_{s}"]) * 0.5)
                ref = j[f"ankle_{s}"]
                if base == "sitting":
                    ref = add(j["hip"], (THIGH, 0.0))
            dx = -ref[0]
        else:
            dx = -j["knee_r"][0] if base == "hands_knees" else 0.0
    j = {k: (p[0] + dx, p[1] + dy) for k, p in j.items()}
    if touch in HOLDS and base == "standing":
        _hold_chair(j, touch, floor)
    return Placed(base, v, j, touch, floor)


def _hold_chair(j: dict[str, Point], touch: str, floor: float) -> None:
    """Rest the hands on the chair's top rail; the arms reach it whatever the legs do."""
    x, top = hold_point(j, touch, floor)
    for s in "rl" if touch == "chair_back" else "l":
        tip = (x + 3.0, top + LIMB_R)
        wrist = (tip[0] - HAND * 0.9, tip[1] + HAND * 0.45)
        cands = [ik2(j["shoulder"], wrist, UPPER, FORE, b) for b in (1.0, -1.0)]
        j[f"elbow_{s}"] = min(cands, key=lambda e: e[0])  # the elbow bends back, never forward
        j[f"wrist_{s}"], j[f"hand_{s}"] = wrist, tip


BED_MIN = 46.0  # the height of a bed top


def _bed_top(poses: list[dict]) -> float:
    """A bed high enough for a hanging leg to stay off the floor."""
    low = min(p[1] - LIMB_R for pose in poses for p in place(pose, False, 0.0, True).j.values())
    return max(BED_MIN, -low + 3.0)


# ---- drawing ----------------------------------------------------------------------------------


def _head(j: dict[str, Point]) -> list[Shape]:
    c = j["head"]
    axis = unit(sub(j["head_top"], c))
    face = unit(sub(j["face"], c))
    a = angle_of(axis)
    # hair: a cap over the top and back of the head
    sgn = -1 if (face[0] * axis[1] - face[1] * axis[0]) < 0 else 1  # back of head side
    hair = arc(c, HEAD + 0.5, a - 40 * sgn, a + 115 * sgn, 20)
    nose_top = add(c, add(mul(face, HEAD - 0.5), mul(axis, 1.0)))
    nose_tip = add(c, add(mul(face, HEAD + 3.5), mul(axis, -2.5)))
    nose_bot = add(c, add(mul(face, HEAD - 0.8), mul(axis, -4.5)))
    return [
        circle(c, HEAD, fill=SKIN, stroke=INK, width=3.5),
        poly(hair, fill=INK),
        line([nose_top, nose_tip, nose_bot], stroke=INK, width=2.5),
        circle(j["eye"], 1.7, fill=INK, stroke=None, width=0),
    ]


def _arm(j, s, color) -> list[Shape]:
    halo = []
    if color == INK:  # a white edge keeps the near arm visible against the trunk
        pts = [lerp_pt(j["shoulder"], j[f"elbow_{s}"], 0.35), j[f"elbow_{s}"], j[f"wrist_{s}"]]
        halo = [line([*pts, j[f"hand_{s}"]], stroke="#ffffff", width=W_LIMB + 4)]
    return halo + [
        line([j["shoulder"], j[f"elbow_{s}"], j[f"wrist_{s}"]], stroke=color, width=W_LIMB),
        line([j[f"wrist_{s}"], j[f"hand_{s}"]], stroke=color, width=W_LIMB + 1),
    ]


def _leg(j, s, color) -> list[Shape]:
    return [
        line([j["hip"], j[f"knee_{s}"], j[f"ankle_{s}"]], stroke=color, width=W_LIMB + 1),
        line([j[f"heel_{s}"], j[f"toe_{s}"]], stroke=color, width=W_LIMB - 1),
    ]


def draw(p: Placed, scene: dict, props: list[str]) -> list[Shape]:
    j = p.j
    out: list[Shape] = list(scene["back"])
    out += hand_prop(props, p, "far")
    out += _arm(j, "l", FAR) + _leg(j, "l", FAR)
    out += [s for s in scene.get("between", [])]
    if "ball" in props and p.base in LYING:
        out.append(circle(j["knee_r"], 9, fill="#e7f5ff", stroke="#5c7f99", width=2.5))
    out.append(line(_spine(j), stroke=INK, width=W_TRUNK))
    out.append(line([j["neck_base"], j["neck_top"]], stroke=INK, width=W_NECK))
    out += _head(j)
    out += _leg(j, "r", INK)
    out += scene["mid"]
    out += _arm(j, "r", INK)
    out += hand_prop(props, p, "near")
    out += scene["front"]
    return out


def _back_dir(j: dict[str, Point]) -> Point:
    """Unit vector square to the trunk, out of the back (away from the chest)."""
    n = perp(unit(sub(j["shoulder"], j["hip"])))
    mid = lerp_pt(j["hip"], j["shoulder"], 0.5)
    return mul(n, -1) if dot(n, sub(j["chest"], mid)) > 0 else n


def _spine(j: dict[str, Point]) -> list[Point]:
    """The trunk from hip to shoulder: straight, or bowed through the middle of the back."""
    hip, sh, mid = j["hip"], j["shoulder"], j["spine_mid"]
    if dist(mid, lerp_pt(hip, sh, 0.5)) < 0.5:
        return [hip, sh]
    ctrl = sub(mul(mid, 2), lerp_pt(hip, sh, 0.5))  # the curve passes through mid
    return quad(hip, ctrl, sh, 10)


# ---- motion arrow -------------------------------------------------------------------------

# key -> (joint, moving point, extra radius)
ARCS = {
    "head_nod": ("neck_top", "face", 10.0),
    "trunk_lean": ("hip", "head", HEAD + 9),
    "shoulder": ("shoulder", "wrist", 11.0),
    "elbow": ("elbow", "hand", 9.0),
    "wrist": ("wrist", "hand", 9.0),
    "hip": ("hip", "knee", 10.0),
    "knee": ("knee", "ankle", -12.0),
    "ankle": ("ankle", "toe", 7.0),
}


def _interp(a: dict, b: dict, t: float) -> dict:
    return {k: a[k] + (b[k] - a[k]) * t for k in a}


def arrow(key: str, p0: Placed, p1: Placed, feet_mode: bool, floor: float) -> list[Shape]:
    if key == "base":
        return bow_arrow(p0.j["hip"], p1.j["hip"], -0.35)
    if key == "touch":
        return bow_arrow(add(p0.j["hand_r"], (8, -4)), add(p1.j["hand_r"], (8, -4)), 0.25)
    if key == "head_forward":
        off = mul(unit(sub(p1.j["head_top"], p1.j["head"])), HEAD + 9)
        return straight_arrow(add(p0.j["head"], off), add(p1.j["head"], off))
    if key == "shrug":
        back = _back_dir(p1.j)
        a, b = add(p0.j["shoulder"], mul(back, 17)), add(p1.j["shoulder"], mul(back, 17))
        d = unit(sub(p1.j["neck_base"], p1.j["hip"]))
        n = max(dist(a, b), 18)
        if p1.v["shrug"] < p0.v["shrug"]:  # the shoulders drop: the arrow points down
            return straight_arrow(a, add(a, mul(d, -n)))
        return straight_arrow(a, add(a, mul(d, n)))
    if key == "spine_curve":
        mid0, mid1 = p0.j["spine_mid"], p1.j["spine_mid"]
        straight = lerp_pt(p1.j["hip"], p1.j["shoulder"], 0.5)
        out_dir = _back_dir(p1.j)
        off = max(dot(sub(m, straight), out_dir) for m in (mid0, mid1)) + W_TRUNK / 2 + 6
        base = add(straight, mul(out_dir, off))
        if p1.v["spine_curve"] >= p0.v["spine_curve"]:
            return straight_arrow(base, add(base, mul(out_dir, 18)))
        return straight_arrow(add(base, mul(out_dir, 18)), base)
    if key == "pelvis_lift":
        off = (0.0, TRUNK_R + 10)
        return straight_arrow(add(p0.j["hip"], off), add(p1.j["hip"], off))
    name, side = (key[:-2], key[-1]) if key[-2:] in ("_r", "_l") else (key, "")
    joint, moving, extra = ARCS[name]
    sfx = f"_{side}" if side else ""
    joint = joint if joint in ("hip", "shoulder", "neck_top") else joint + sfx
    moving = moving + sfx if moving not in ("face", "head", "knee") or side else moving
    if name == "hip":
        moving = f"knee{sfx}"
    c = p1.j[joint]
    if p0.base == p1.base:
        poses = [
            kinematics(p0.base, _interp(p0.v, p1.v, i / 16), p1.touch) for i in range(17)
        ]  # directions do not depend on where the figure stands
        dirs = [sub(q[moving], q[joint]) for q in poses]
        r = max(dist(q[moving], q[joint]) for q in poses) + extra
    else:
        dirs = [sub(p0.j[moving], p0.j[joint]), sub(p1.j[moving], p1.j[joint])]
        r = max(dist(p0.j[moving], p0.j[joint]), dist(p1.j[moving], p1.j[joint])) + extra
    angles = [angle_of(dirs[0])]
    for d in dirs[1:]:
        a = angle_of(d)
        while a - angles[-1] > 180:
            a -= 360
        while a - angles[-1] < -180:
            a += 360
        angles.append(a)
    return arc_arrow(c, max(r, 14.0), angles[0], angles[-1])


def build(pic: dict) -> dict:
    props = pic["props"]
    s_base = pic["start"].get("base", "standing")
    e_base = pic["end"].get("base", s_base)
    if s_base == e_base == "side_lying":  # seen from the front, so a top leg lifting shows
        from . import lying

        end = {**pic["end"], "base": s_base}
        q0, q1 = Placed(s_base, values(pic["start"])[1]), Placed(s_base, values(end)[1])
        q0.touch, q1.touch = "none", "none"
        key = pic["arrow"] or _biggest(q0, q1)
        return lying.build("front", "side", pic, q0.v, q1.v, s_base, key)
    upright = ("standing", "sitting", "kneeling")
    feet_mode = s_base != e_base and s_base in upright and e_base in upright
    floor = STEP if "step" in props and s_base == "standing" else 0.0
    end = dict(pic["end"])
    end.setdefault("base", s_base)
    on_bed = "bed" in props and s_base in LYING and e_base in LYING
    if on_bed:
        floor = _bed_top([pic["start"], end])
    p0 = place(pic["start"], feet_mode, floor, on_bed)
    p1 = place(end, feet_mode, floor, on_bed)
    scene = scene_props(props, p0, p1, floor)
    key = pic["arrow"] or _biggest(p0, p1)
    arrows = arrow(key, p0, p1, feet_mode, floor) if key else []
    if pic.get("press"):  # an isometric hold: a push against the hand instead of a motion
        arrows = _press(pic["press"], p1)
    return {
        "start": draw(p0, scene, props),
        "end": draw(p1, scene, props),
        "arrow": arrows,
        "floor": 0.0,
        "floor_line": p0.base not in LYING or "mat" not in props,
        "anchors": {
            "mouth": p1.j["mouth"],
            "face_dir": unit(sub(p1.j["face"], p1.j["head"])),
            "throat": lerp_pt(p1.j["neck_base"], p1.j["neck_top"], 0.5),
            "throat_dir": unit(sub(p1.j["face"], p1.j["head"])),
            "down": unit(sub(p1.j["neck_base"], p1.j["neck_top"])),
        },
    }


def _press(direction: str, p: Placed) -> list[Shape]:
    """The push of the head (or body) into the still right hand, in the side view."""
    j = p.j
    axis, face = unit(sub(j["head_top"], j["head"])), unit(sub(j["face"], j["head"]))
    d = {"forward": face, "back": mul(face, -1), "up": axis, "down": mul(axis, -1)}[direction]
    palm = lerp_pt(j["wrist_r"], j["hand_r"], 0.5)
    if p.touch == "none" and direction in ("up", "down"):  # a push up or down into the hand
        return press_arrow(sub(j["hand_r"], mul(d, 4)), d)
    return press_arrow(sub(palm, mul(d, LIMB_R + 2)), d)


def dot(a: Point, b: Point) -> float:
    return a[0] * b[0] + a[1] * b[1]


def lerp_pt(a: Point, b: Point, t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def _biggest(p0: Placed, p1: Placed) -> str | None:
    if p0.base != p1.base:
        return "base"
    if p0.touch != p1.touch:
        return "touch"
    best, score = None, 4.0
    for k in NUMERIC:
        d = abs(p1.v[k] - p0.v[k]) * (60 if k in TRANSLATIONS else 1)
        if k.endswith("_l"):
            d *= 0.9  # prefer the near side on a tie
        if d > score:
            best, score = k, d
    return best
