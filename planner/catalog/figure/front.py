"""The front view: the figure faces the viewer; the patient's right is on the picture's left."""

from __future__ import annotations

import math

from .props import CHAIR, TAPE, TAPE_EDGE, chair_side, cup_side, hatched_band, mirror_shape, table_top
from .shapes import (
    BAND,
    INK,
    PROP,
    PROP_EDGE,
    SKIN,
    Point,
    Shape,
    add,
    angle_of,
    arc,
    arc_arrow,
    arrow_along,
    bow_arrow,
    circle,
    dist,
    ellipse,
    ik2,
    lerp,
    line,
    mul,
    poly,
    press_arrow,
    press_turn_arrow,
    rect,
    rot,
    straight_arrow,
    sub,
    unit,
)

TRUNK, NECK, HEAD = 52.0, 6.0, 14.0
SH_W, HIP_W, WAIST = 17.0, 8.5, 12.0
UPPER, FORE, HAND = 29.0, 25.0, 8.0
THIGH, SHIN, FOOT = 43.0, 42.0, 8.0
SEAT = 47.0
W_LIMB = 7.5
LYING = ("lying", "lying_from_feet")
FORESHORTEN = 0.4  # a forearm pointing at the viewer is drawn this short, tipped down
NUMERIC = (
    "head_tilt", "head_turn", "trunk_bend", "trunk_turn", "shrug",
    "shoulder_r", "shoulder_l", "elbow_r", "elbow_l", "hip_r", "hip_l", "knee_r", "knee_l",
    "knee_roll", "reach_r", "reach_l",
)  # fmt: skip


def values(pose: dict) -> tuple[str, dict]:
    base = pose.get("base", "standing")
    bent = 90.0 if base == "sitting" else 0.0
    v = {k: float(pose.get(k, bent if k[:4] == "knee" else 0.0)) for k in NUMERIC}
    v["touch"] = pose.get("touch", "none")
    for s in "rl":  # None: the elbow bends in the picture plane; a number: the forearm points
        t = pose.get(f"arm_turn_{s}")  # forward and turns out by that much
        v[f"arm_turn_{s}"] = None if t is None else float(t)
    return pose.get("base", "standing"), v


def _head_point(j: dict, local: Point) -> Point:
    return add(j["head"], rot(local, j["head_angle"]))


TOUCH = {
    "chin_r": (-3.0, -HEAD - 2.0),
    "cheek_r": (-HEAD * 0.85, -3.0),
    "temple_r": (-HEAD * 1.02, 5.0),
    "forehead": (-3.0, HEAD * 0.62),
    "back_of_head": (-HEAD * 0.55, HEAD * 0.45),
}


def kinematics(base: str, v: dict) -> dict:
    j: dict = {}
    bend, turn = v["trunk_bend"], v["trunk_turn"]
    up = rot((0.0, 1.0), bend)
    right = rot((-1.0, 0.0), bend)  # toward the patient's right (picture left)
    sw = SH_W * (0.62 + 0.38 * math.cos(math.radians(turn)))
    pelvis = (0.0, 0.0)
    j["pelvis"] = pelvis
    lift = v["shrug"] * 7
    top = add(pelvis, mul(up, TRUNK - 3 + lift))
    j["shoulder_r"] = add(top, mul(right, sw))
    j["shoulder_l"] = add(top, mul(right, -sw))
    j["torso"] = [
        add(pelvis, mul(right, WAIST)),
        add(add(pelvis, mul(up, TRUNK * 0.45)), mul(right, WAIST + 0.5)),
        add(add(top, mul(up, 3)), mul(right, sw + 1)),
        add(add(top, mul(up, 3)), mul(right, -sw - 1)),
        add(add(pelvis, mul(up, TRUNK * 0.45)), mul(right, -WAIST - 0.5)),
        add(pelvis, mul(right, -WAIST)),
    ]
    j["midline"] = [
        add(add(pelvis, mul(up, 6)), mul(right, -math.sin(math.radians(turn)) * 9)),
        add(add(top, mul(up, -4)), mul(right, -math.sin(math.radians(turn)) * 11)),
    ]
    j["chest"] = add(pelvis, mul(up, TRUNK * 0.72))
    neck_base = add(pelvis, mul(up, TRUNK + 2))
    ha = bend + v["head_tilt"]
    j["head_angle"] = ha
    j["neck_base"] = neck_base
    j["neck_top"] = add(neck_base, rot((0.0, NECK), bend + v["head_tilt"] * 0.5))
    j["head"] = add(j["neck_top"], rot((0.0, HEAD * 0.9), ha))
    j["head_top"] = _head_point(j, (0.0, HEAD))
    j["look"] = v["head_turn"] + turn * 0.6
    for s, sg in (("r", -1.0), ("l", 1.0)):
        a = math.radians(v[f"shoulder_{s}"])
        arm = rot((sg * math.sin(a), -math.cos(a)), bend)
        j[f"elbow_{s}"] = add(j[f"shoulder_{s}"], mul(arm, UPPER))
        e = v[f"elbow_{s}"]
        fore = rot(arm, (e if v[f"shoulder_{s}"] < 40 else -e) * -sg)
        if v[f"arm_turn_{s}"] is not None:  # forearm forward, turned out about the upper arm
            fwd, t = math.sin(math.radians(e)), math.radians(v[f"arm_turn_{s}"])
            fore = add(mul(arm, math.cos(math.radians(e))), (sg * fwd * math.sin(t), -FORESHORTEN * fwd * math.cos(t)))
        reach = math.radians(v[f"reach_{s}"])
        if reach:  # the straight arm lifts forward, toward the viewer: drawn short, tipped down
            arm = add(mul(arm, math.cos(reach)), (0.0, -FORESHORTEN * math.sin(reach)))
            j[f"elbow_{s}"] = add(j[f"shoulder_{s}"], mul(arm, UPPER))
            fore = arm
        j[f"wrist_{s}"] = add(j[f"elbow_{s}"], mul(fore, FORE))
        j[f"hand_{s}"] = add(j[f"wrist_{s}"], mul(fore, HAND))
        hip = (sg * HIP_W, 0.0)
        j[f"hip_{s}"] = hip
        h = math.radians(v[f"hip_{s}"])
        leg = (sg * math.sin(h), -math.cos(h))
        k = v[f"knee_{s}"]
        if base == "sitting":
            knee = add(hip, (sg * (2 + 12 * math.sin(h)), -7.0))
            shin = max(8.0, SHIN * math.sin(math.radians(max(k, 1e-3))) if k < 80 else SHIN)
            j[f"knee_{s}"] = knee
            j[f"ankle_{s}"] = add(knee, (sg * 3 * math.sin(h), -shin))
        else:
            f = math.cos(math.radians(k) / 2)
            j[f"knee_{s}"] = add(hip, mul(leg, THIGH * f))
            j[f"ankle_{s}"] = add(j[f"knee_{s}"], mul(leg, SHIN * f))
        j[f"toe_{s}"] = add(j[f"ankle_{s}"], (sg * FOOT, -1.5))
    target = TOUCH.get(v["touch"])
    if target is not None or v["touch"] == "chest":
        tip = _head_point(j, target) if target else add(j["chest"], mul(right, 3))
        sh = j["shoulder_r"]
        wrist = add(tip, mul(unit(sub(tip, sh)), -HAND))
        if v["touch"] == "temple_r":  # the palm flat on the side of the head, fingers up
            wrist = _head_point(j, (-HEAD * 1.12, 5.0 - HAND * 1.1))
        if v["touch"] == "back_of_head":
            wrist = add(tip, (-HAND * 0.7, -HAND * 0.7))
        cands = [ik2(sh, wrist, UPPER, FORE, b) for b in (1.0, -1.0)]
        high = v["touch"] == "back_of_head"
        j["elbow_r"] = max(cands, key=lambda p: p[1] if high else -p[1])
        if v["touch"] == "temple_r":  # the elbow out to the side, below the hand
            j["elbow_r"] = min(cands, key=lambda p: p[0])
        j["wrist_r"], j["hand_r"] = wrist, tip
    return j


def place(pose: dict) -> tuple[str, dict, dict]:
    base, v = values(pose)
    j = kinematics(base, v)
    feet = [p[1] for k, p in j.items() if k[:4] in ("ankl", "toe_")]
    dy = SEAT if base == "sitting" else 3.5 - min(feet)
    out = {}
    for k, p in j.items():
        if k in ("torso", "midline"):
            out[k] = [(q[0], q[1] + dy) for q in p]
        elif isinstance(p, tuple):
            out[k] = (p[0], p[1] + dy)
        else:
            out[k] = p
    if v["touch"] == "chair_back" and base == "standing":
        _hold_chair(out)
    return base, v, out


CHAIR_TOP, CHAIR_HALF = 90.0, 24.0  # the top rail of a chair the figure stands behind


def _hold_chair(j: dict) -> None:
    """Both hands resting on the top rail of the chair in front. The arms reach forward, toward
    the viewer, so they are drawn short and nearly straight."""
    for s, sg in (("r", -1.0), ("l", 1.0)):
        tip = (sg * (CHAIR_HALF - 3.0), CHAIR_TOP + 3.0)
        wrist = add(tip, (0.0, HAND))
        j[f"elbow_{s}"] = add(lerp(j[f"shoulder_{s}"], wrist, 0.5), (sg * 2.0, 0.0))
        j[f"wrist_{s}"], j[f"hand_{s}"] = wrist, tip


# ---- drawing ------------------------------------------------------------------------------------


def draw_head(j: dict, face_r: float = HEAD) -> list[Shape]:
    """Round head with hair, ears, eyes, nose and mouth; turned by j['look'] degrees."""
    c, ha, t = j["head"], j["head_angle"], math.radians(j["look"])
    R = face_r

    def P(x: float, y: float) -> Point:
        return add(c, rot((x, y), ha))

    back, over = [], []
    for b in (-math.pi / 2, math.pi / 2):
        x = R * math.sin(b - t)
        ear = ellipse(P(x, 0), 3.0, 4.5, fill=SKIN, stroke=INK, width=2.5)
        (over if math.cos(b - t) > 0.55 else back).append(ear)
    hair_rot = ha - j["look"] * 0.45
    hair = arc(c, R + 0.5, 90 + hair_rot - 75, 90 + hair_rot + 75, 20)
    out = back + [circle(c, R, fill=SKIN, stroke=INK, width=3.5), poly(hair, fill=INK)] + over
    for b in (-0.5, 0.5):
        if math.cos(b - t) > 0.2:
            out.append(circle(P(R * 0.92 * math.sin(b - t), 1.5), 1.9, fill=INK, stroke=None))
    s = math.sin(-t)
    xn = R * 0.95 * s
    tip = xn + (3.0 * s if abs(s) > 0.3 else 1.6)
    out.append(line([P(xn, 0.5), P(tip, -4.0), P(xn, -5.0)], stroke=INK, width=2.2))
    xm = R * 0.85 * s
    hw = 1.5 + 3.5 * math.cos(t)
    out.append(line([P(xm - hw, -8.3), P(xm, -9.2), P(xm + hw, -8.3)], stroke=INK, width=2.2))
    return out


def _arm(j: dict, s: str, fist: bool = False) -> list[Shape]:
    pts = [j[f"shoulder_{s}"], j[f"elbow_{s}"], j[f"wrist_{s}"], j[f"hand_{s}"]]
    if fist:  # a forearm pointing at the viewer ends in a round fist
        return [
            line([lerp(pts[0], pts[1], 0.4), *pts[1:3]], stroke="#ffffff", width=W_LIMB + 4),
            line(pts[:3], stroke=INK, width=W_LIMB),
            circle(pts[2], 5.2, fill=INK, stroke="#ffffff", width=2),
        ]
    return [
        line([lerp(pts[0], pts[1], 0.4), *pts[1:]], stroke="#ffffff", width=W_LIMB + 4),
        line([j[f"shoulder_{s}"], j[f"elbow_{s}"], j[f"wrist_{s}"]], stroke=INK, width=W_LIMB),
        line([j[f"wrist_{s}"], j[f"hand_{s}"]], stroke=INK, width=W_LIMB + 1.5),
    ]


def draw(base: str, v: dict, j: dict, props: list[str], scene: dict) -> list[Shape]:
    out: list[Shape] = list(scene["back"])
    for s in "rl":
        out.append(line([j[f"hip_{s}"], j[f"knee_{s}"], j[f"ankle_{s}"]], stroke=INK, width=8.5))
        out.append(line([j[f"ankle_{s}"], j[f"toe_{s}"]], stroke=INK, width=6.5))
    out += scene["mid"]
    out.append(poly(j["torso"], fill=INK, stroke=INK, width=5))
    if abs(v["trunk_turn"]) > 1:
        out.append(line(j["midline"], stroke="#6c757d", width=2))
    out += scene.get("over", [])
    out.append(line([j["neck_base"], j["neck_top"]], stroke=INK, width=9))
    touch_back = v["touch"] == "back_of_head"
    fist = {s: v[f"arm_turn_{s}"] is not None or v[f"reach_{s}"] > 45 for s in "rl"}
    if touch_back:
        out += _arm(j, "r")
    out += _arm(j, "l", fist["l"])
    if not touch_back and v["touch"] in ("none", "chair_back"):
        out += _arm(j, "r", fist["r"])
    out += draw_head(j)
    if not touch_back and v["touch"] not in ("none", "chair_back"):
        out += _arm(j, "r")
    out += _hand_props(props, j, v)
    return out


def _hand_props(props: list[str], j: dict, v: dict) -> list[Shape]:
    out: list[Shape] = []
    hr, hl = j["hand_r"], j["hand_l"]
    turned = v["arm_turn_r"] is not None and v["arm_turn_l"] is not None
    if "band" in props:
        if turned or abs(v["shoulder_r"] - v["shoulder_l"]) < 15 and v["shoulder_r"] > 5:
            out.append(line([hr, hl], stroke=BAND, width=3.5))
        else:
            out.append(line([hr, add(j["toe_r"], (2, 1))], stroke=BAND, width=3.5))
    if "weight" in props:
        out.append(line([add(hr, (-7, 0)), add(hr, (7, 0))], stroke="#495057", width=3))
        out += [line([add(hr, (x, -4)), add(hr, (x, 4))], stroke="#495057", width=6)
                for x in (-7, 7)]  # fmt: skip
    if "ball" in props:
        out.append(circle(add(hr, (0, 5)), 7.5, fill="#e7f5ff", stroke="#5c7f99", width=2.5))
    if "cup" in props and "table" not in props:
        out += cup_side(add(hr, (0, 5)))
    if "towel" in props and not turned:  # a folded cloth balanced on top of the head
        top, ha = j["head_top"], j["head_angle"]
        cloth = [add(top, rot(p, ha)) for p in ((-13, -2), (13, -2), (11, 4), (-11, 4))]
        out.append(poly(cloth, fill="#f1e3c8", stroke="#a08c6a", width=2))
    elif "towel" in props:  # rolled between the elbow and the side (both sides when both turn)
        for s, sg in (("r", 1.0), ("l", -1.0)) if turned else (("r", 1.0),):
            e = j[f"elbow_{s}"]
            out.append(ellipse(add(e, (sg * 4.5, 3)), 3.5, 6, fill="#f1e3c8", stroke="#a08c6a", width=2))
    return out


def scene_props(props: list[str], poses: list[tuple[str, dict, dict]]) -> dict:
    back: list[Shape] = []
    mid: list[Shape] = []
    over: list[Shape] = []  # in front of the trunk, behind the arms
    sitting = any(b == "sitting" for b, _, _ in poses)
    if "wall" in props:
        back.append(rect((-62, 0), (62, 170), fill="#f1f3f5", stroke=None, width=0))
        back += hatched_band(-74, -62, 0, 170) + hatched_band(62, 74, 0, 170)
    if "mat" in props:
        back.append(rect((-45, -5), (45, 0), fill="#c5ccd3", r=2))
    if "step" in props:
        back.append(rect((-30, -16), (30, 0), r=1.5))
    if "tape" in props:  # a strip of tape across the floor, in front of the feet
        mid.append(rect((-34, -3), (34, 1), fill=TAPE, stroke=TAPE_EDGE, width=1.5))
    if "chair" in props:
        if sitting:
            back.append(rect((-23, SEAT - 6), (23, SEAT + 46), fill=PROP, stroke=PROP_EDGE, r=3))
            for x in (-24.0, 24.0):
                back.append(line([(x, SEAT - 10), (x, 0)], stroke=CHAIR, width=6))
            back.append(line([(-28, SEAT - 9), (28, SEAT - 9)], stroke=CHAIR, width=7))
        elif any(v["touch"] == "chair_back" for _, v, _ in poses):  # in front, seen from behind
            over += _chair_back()
        else:
            back += chair_side(70, 46, -30)
    if "table" in props:
        top = SEAT + 27 if sitting else 92
        legs, top_s = table_top(-48, 48, top)
        mid += legs[:0] + [line([(x, top), (x, 0)], stroke=CHAIR, width=4) for x in (-42, 42)]
        mid += top_s
        if "pen_paper" in props:
            mid.append(rect((-4, top - 0.5), (26, top + 1.5), fill="#fff", stroke="#868e96"))
        if "cup" in props:
            mid += cup_side((22, top + 6.5))
    if "mirror" in props:
        back += mirror_shape(48, 66, 40, 140)
    return {"back": back, "mid": mid, "over": over}


def _chair_back() -> list[Shape]:
    """The back of a chair between the viewer and the legs: posts, the back panel, the top rail."""
    x, top, seat = CHAIR_HALF, CHAIR_TOP, SEAT
    return [
        rect((-x, seat + 12), (x, top - 8), fill=PROP, stroke=None, width=0),
        line([(-x, 0), (-x, top)], stroke=CHAIR, width=6),
        line([(x, 0), (x, top)], stroke=CHAIR, width=6),
        line([(-x - 3, seat), (x + 3, seat)], stroke=CHAIR, width=6),
        line([(-x - 3, top), (x + 3, top)], stroke=CHAIR, width=7),
    ]


# ---- motion arrow -------------------------------------------------------------------------------

ARCS = {
    "head_tilt": ("neck_top", "head_top", 8.0),
    "trunk_bend": ("pelvis", "head_top", 9.0),
    "shoulder": ("shoulder", "wrist", 10.0),
    "elbow": ("elbow", "wrist", 9.0),
    "hip": ("hip", "knee", 8.0),
    "arm_turn": ("elbow", "hand", 0.0),
}


def _turn_arrow(center: Point, rx: float, ry: float, sign: float) -> list[Shape]:
    a0, a1 = (-25.0, -155.0) if sign > 0 else (-155.0, -25.0)
    return arrow_along(arc(center, rx, a0, a1, 20, ry))


def arrow(key: str, s0, s1) -> list[Shape]:
    (b0, v0, j0), (_, v1, j1) = s0, s1
    if key == "head_turn":
        d = v1["head_turn"] - v0["head_turn"]
        return _turn_arrow(add(j1["head"], (0, HEAD + 9)), HEAD + 4, 5, d)
    if key == "trunk_turn":
        d = v1["trunk_turn"] - v0["trunk_turn"]
        return _turn_arrow(j1["chest"], SH_W + 9, 6, d)
    if key == "touch":
        return bow_arrow(add(j0["hand_r"], (-6, 0)), add(j1["hand_r"], (-9, -4)), -0.2)
    if key == "shrug":
        n = max(18.0, dist(j0["shoulder_r"], j1["shoulder_r"]))
        if v1["shrug"] < v0["shrug"]:  # the shoulders drop: press down onto the shoulder
            a = add(j0["shoulder_r"], (-9, 6 + n))
            return straight_arrow(a, add(a, (0, -n)))
        a = add(j0["shoulder_r"], (-9, 6))
        return straight_arrow(a, add(a, (0, n)))
    if key.startswith("knee_"):
        s = key[-1]
        if abs((v1["knee_r"] - v0["knee_r"]) - (v1["knee_l"] - v0["knee_l"])) < 10:
            x = j1["shoulder_l"][0] + 16
            return straight_arrow((x, j0["pelvis"][1] + 10), (x, j1["pelvis"][1] + 10))
        off = (-12.0 if s == "r" else 12.0, 0.0)
        return straight_arrow(add(j0[f"ankle_{s}"], off), add(j1[f"ankle_{s}"], off))
    name, sfx = (key[:-2], key[-2:]) if key[-2:] in ("_r", "_l") else (key, "")
    if name not in ARCS or (name == "arm_turn" and (v0[key] is None or v1[key] is None)):
        return []
    joint, moving, extra = ARCS[name]
    joint = joint + sfx if name in ("shoulder", "elbow", "hip") else joint
    moving = moving + sfx if moving in ("wrist", "knee") else moving
    steps = [place(_between(b0, v0, v1, i / 16))[2] for i in range(17)]
    if name == "arm_turn":  # the hand swings out: follow it, a little below
        path = [add(q[f"hand{sfx}"], (0.0, -7.0)) for q in steps]
        out = arrow_along(path)
        other = "_l" if sfx == "_r" else "_r"
        d0, d1 = v0[f"arm_turn{other}"], v1[f"arm_turn{other}"]
        if d0 is not None and d1 is not None and abs((d1 - d0) - (v1[key] - v0[key])) < 5:
            out += arrow_along([add(q[f"hand{other}"], (0.0, -7.0)) for q in steps])  # both arms
        return out
    angles = [angle_of(sub(q[moving], q[joint])) for q in steps]
    for i in range(1, len(angles)):
        while angles[i] - angles[i - 1] > 180:
            angles[i] -= 360
        while angles[i] - angles[i - 1] < -180:
            angles[i] += 360
    r = max(dist(q[moving], q[joint]) for q in steps) + extra
    return arc_arrow(j1[joint], r, angles[0], angles[-1])


def _press(direction: str, j: dict) -> list[Shape]:
    """The push of the head into the still right hand (on the picture's left)."""
    hand = lerp(j["wrist_r"], j["hand_r"], 0.8)
    if direction in ("turn_right", "turn_left"):
        sign = 1.0 if direction == "turn_right" else -1.0
        return press_turn_arrow(add(j["head"], (0, HEAD + 9)), HEAD + 5, 6, sign)
    d = {"right": (-1.0, 0.0), "left": (1.0, 0.0), "up": (0.0, 1.0), "down": (0.0, -1.0)}[direction]
    d = rot(d, j["head_angle"])
    return press_arrow(sub(hand, mul(d, 6.5)), d)


def _between(base: str, v0: dict, v1: dict, t: float) -> dict:
    """A pose part way from v0 to v1 (for the arrow path)."""
    pose = {"base": base, **{k: v0[k] + (v1[k] - v0[k]) * t for k in NUMERIC}}
    for k in ("arm_turn_r", "arm_turn_l"):
        if v0[k] is not None and v1[k] is not None:
            pose[k] = v0[k] + (v1[k] - v0[k]) * t
    return pose


def _biggest(v0: dict, v1: dict) -> str | None:
    if v0["touch"] != v1["touch"]:
        return "touch"
    best, score = None, 4.0
    for k in ("arm_turn_r", "arm_turn_l"):
        if v0[k] is not None and v1[k] is not None and abs(v1[k] - v0[k]) > score:
            best, score = k, abs(v1[k] - v0[k]) * (1.0 if k.endswith("_r") else 0.9)
    for k in NUMERIC:
        d = abs(v1[k] - v0[k]) * (60 if k == "shrug" else 1)
        if k.endswith("_l"):
            d *= 0.9
        if d > score:
            best, score = k, d
    return best


def build(pic: dict) -> dict:
    props = pic["props"]
    start = pic["start"]
    end = {**pic["end"]}
    end.setdefault("base", start.get("base", "standing"))
    if start.get("base") in LYING or end["base"] in LYING:  # from above or from the feet
        from . import lying

        v0, v1 = values(start)[1], values(end)[1]
        camera = "feet" if "lying_from_feet" in (start.get("base"), end["base"]) else "above"
        return lying.build(camera, "front", pic, v0, v1, "lying", pic["arrow"] or _biggest(v0, v1))
    s0, s1 = place(start), place(end)
    scene = scene_props(props, [s0, s1])
    key = pic["arrow"] or _biggest(s0[1], s1[1])
    if key == "touch" and s0[1]["touch"] == s1[1]["touch"]:
        key = None
    arrows = arrow(key, s0, s1) if key else []
    if pic.get("press"):  # an isometric hold: a push against the hand instead of a motion
        arrows = _press(pic["press"], s1[2])
    j1 = s1[2]
    t = math.radians(j1["look"])
    return {
        "start": draw(*s0, props, scene),
        "end": draw(*s1, props, scene),
        "arrow": arrows,
        "floor": 0.0,
        "anchors": {
            "mouth": _head_point(j1, (HEAD * 0.85 * math.sin(-t), -8.5)),
            "face_dir": unit(rot((1.0 if math.sin(-t) >= -0.2 else -1.0, -0.5), j1["head_angle"])),
            "throat": j1["neck_base"],
            "throat_dir": (1.0, 0.0),
            "down": (0.0, -1.0),
        },
    }
