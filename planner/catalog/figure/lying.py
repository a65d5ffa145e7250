"""Lying figures posed in 3D and drawn at a slant, so sideways leg moves show.

Two cameras, both in the style of the front view (round head with a face, filled trunk):

- "front": side_lying of the side view. The patient lies on the left side, faces the viewer and
  has the head on the picture's right, so the right (top) leg lifts up the picture. The camera is
  a little above, so a bent hip or knee still shows.
- "above": base lying of the front view. The patient lies on the back, head on the picture's
  left, seen from above and a little from the right side: a leg that slides out moves down the
  picture, bent knees stand up like a tent and tip sideways when they roll.

Body coordinates are (u, r, f): u toward the head, r toward the patient's right, f toward the
front; the pelvis is the origin.
"""

from __future__ import annotations

import math
from typing import Any

from .body import (
    FOOT_FRONT,
    FOREARM,
    HAND_FRONT,
    HEAD_RADIUS_FRONT,
    HIP_HALF_WIDTH,
    NECK,
    SHIN,
    SHOULDER_HALF_WIDTH,
    THIGH,
    TRUNK,
    UPPER_ARM,
    WAIST_HALF_WIDTH,
    turning,
)
from .head import draw_head
from .shapes import (
    FAR,
    INK,
    PROP_EDGE,
    Point,
    Shape,
    add,
    arrow_along,
    bow_arrow,
    circle,
    dist,
    line,
    mul,
    poly,
    rect,
    straight_arrow,
    sub,
    unit,
)
from .spec import Picture
from .view import Anchors, ViewDrawing

V3 = tuple[float, float, float]  # a point or direction in body coordinates (u, r, f)
Joints3 = dict[str, V3]  # joint name -> body coordinates, model units
Joints = dict[str, Point]  # joint name -> on the picture, model units, y up
# The numbers skeleton() needs (see params()): angles in degrees by joint and side, and a few
# words ("arm_plane": "side" or "front") and flags ("feet_flat").
Params = dict[str, Any]
FOOT = FOOT_FRONT + 3.0
HEAD = HEAD_RADIUS_FRONT
W_LIMB = 7.5
W_LEG = 8.5
# camera -> (scale of height, scale of depth): how much a point lifted off the bed or toward the
# viewer moves up or down the picture
CAMERAS = {"front": (0.9, 0.45), "above": (0.6, 0.8), "feet": (0.87, 0.5)}
MAT = "#dde2e7"
BED = "#eef1f4"
PILLOW = "#e3e8ee"


def _v(a: V3, b: V3, k: float = 1.0) -> V3:
    return (a[0] + b[0] * k, a[1] + b[1] * k, a[2] + b[2] * k)


def _norm(a: V3) -> V3:
    n = math.sqrt(a[0] ** 2 + a[1] ** 2 + a[2] ** 2)
    return (a[0] / n, a[1] / n, a[2] / n) if n > 1e-9 else (0.0, 0.0, 0.0)


def _rot_axis(v: V3, k: V3, deg: float) -> V3:
    """v turned by deg about the unit axis k (Rodrigues)."""
    a = math.radians(deg)
    c, s = math.cos(a), math.sin(a)
    kxv = (k[1] * v[2] - k[2] * v[1], k[2] * v[0] - k[0] * v[2], k[0] * v[1] - k[1] * v[0])
    kv = k[0] * v[0] + k[1] * v[1] + k[2] * v[2]
    return tuple(v[i] * c + kxv[i] * s + k[i] * kv * (1 - c) for i in range(3))  # type: ignore[return-value]


def _sag(angle: float) -> V3:
    """A limb direction in the body's side plane: 0 straight down the body, 90 to the front."""
    a = math.radians(angle)
    return (-math.cos(a), 0.0, math.sin(a))


def _out(v: V3, deg: float, toward: float) -> V3:
    """v swung out to the side (about the front-back axis) by deg, toward the right (1) or left (-1)."""
    t = math.radians(-toward * deg)
    u, r, f = v
    return (u * math.cos(t) - r * math.sin(t), u * math.sin(t) + r * math.cos(t), f)


def skeleton(p: Params) -> Joints3:
    """Joint positions in body coordinates from the numbers of one pose (see params())."""
    joints: Joints3 = {"pelvis": (0.0, 0.0, 0.0)}
    joints["neck_base"] = (TRUNK + 2, 0.0, 0.0)
    joints["neck_top"] = (TRUNK + 2 + NECK, 0.0, 0.0)
    joints["head"] = (TRUNK + 2 + NECK + HEAD * 0.9, 0.0, 0.0)
    joints["head_top"] = _v(joints["head"], (HEAD, 0.0, 0.0))
    t = math.radians(p["head_turn"])
    joints["nose"] = _v(joints["head"], (0.0, -math.sin(t) * HEAD, math.cos(t) * HEAD))
    for side, sign in (("r", 1.0), ("l", -1.0)):
        shoulder = (TRUNK - 3, sign * SHOULDER_HALF_WIDTH, 0.0)
        joints[f"shoulder_{side}"] = shoulder
        if p["arm_plane"] == "side":  # lifted forward and bent forward, as in the side view
            upper = _sag(p[f"shoulder_{side}"])
            fore = _sag(p[f"shoulder_{side}"] + p[f"elbow_{side}"])
        else:  # lifted out to the side, as in the front view
            a = p[f"shoulder_{side}"]
            upper = _out((-1.0, 0.0, 0.0), a, sign)
            e = p[f"elbow_{side}"]
            fore = _out((-1.0, 0.0, 0.0), a - e if a < 40 else a + e, sign)
        joints[f"elbow_{side}"] = _v(shoulder, upper, UPPER_ARM)
        joints[f"wrist_{side}"] = _v(joints[f"elbow_{side}"], fore, FOREARM)
        joints[f"hand_{side}"] = _v(joints[f"wrist_{side}"], fore, HAND_FRONT)

        hip = (0.0, sign * HIP_HALF_WIDTH + p[f"hip_shift_{side}"], 0.0)
        flex, knee_bend = p[f"hip_{side}"], p[f"knee_{side}"]
        out = p[f"hip_out_{side}"]
        thigh = _out(_sag(flex), out, sign)
        shin = _out(_sag(flex - knee_bend), out, sign)
        if p["feet_flat"] and knee_bend >= 45:  # the sole flat on the bed, toes toward the foot end
            foot = (-1.0, 0.0, 0.12)
        else:
            psi = math.radians(flex - knee_bend)
            foot = _out((math.sin(psi), 0.0, math.cos(psi)), out, sign)
        knee = _v(hip, thigh, THIGH)
        ankle = _v(knee, shin, SHIN)
        turn = p[f"open_{side}"]
        if abs(turn) > 1e-6:  # the knee swings about the hip-ankle line, the foot stays put
            axis = _norm(_v(ankle, hip, -1.0))
            rel = _v(knee, hip, -1.0)
            want = 1.0 if turn > 0 else -1.0
            trial = _rot_axis(rel, axis, 5.0)
            way = 1.0 if (trial[1] - rel[1]) * want >= 0 else -1.0
            knee = _v(hip, _rot_axis(rel, axis, way * abs(turn)))
            foot = _rot_axis(foot, axis, way * abs(turn) * 0.5)
        joints[f"hip_{side}"], joints[f"knee_{side}"], joints[f"ankle_{side}"] = hip, knee, ankle
        joints[f"toe_{side}"] = _v(ankle, foot, FOOT)
    return joints


def params(view: str, base: str, angles: dict[str, float]) -> Params:
    """The numbers skeleton() needs, from the side view's angles (side_lying) or the front
    view's (lying): shoulder and elbow (degrees, lifted forward in the side view, out to the side
    in the front view), hip flexion and hip_out (abduction), knee flexion, open (the knee's turn
    out about the hip-ankle line), hip_shift (model units), head_turn and head_tilt."""
    p: Params = {"head_turn": 0.0, "head_tilt": 0.0}
    if view == "side":
        p.update(arm_plane="side", feet_flat=False)
        for side in "rl":
            p[f"shoulder_{side}"], p[f"elbow_{side}"] = angles[f"shoulder_{side}"], angles[f"elbow_{side}"]
            p[f"hip_{side}"], p[f"knee_{side}"] = angles[f"hip_{side}"], angles[f"knee_{side}"]
        p["hip_out_r"], p["hip_out_l"] = angles.get("leg_lift", 0.0), 0.0
        p["open_r"], p["open_l"] = angles.get("knee_open", 0.0), 0.0
        # the under leg rests on the mat, a little lower than the hip joint
        p["hip_shift_r"], p["hip_shift_l"] = 0.0, -3.5
    else:
        p.update(arm_plane="front", feet_flat=True)
        p["head_turn"], p["head_tilt"] = angles["head_turn"], angles["head_tilt"]
        for side in "rl":
            p[f"shoulder_{side}"], p[f"elbow_{side}"] = angles[f"shoulder_{side}"], angles[f"elbow_{side}"]
            p[f"knee_{side}"] = angles[f"knee_{side}"]
            p[f"hip_{side}"] = angles[f"knee_{side}"] / 2  # a bent knee keeps the foot flat on the bed
            p[f"hip_out_{side}"] = angles[f"hip_{side}"]
            p[f"open_{side}"] = angles.get("knee_roll", 0.0)
            p[f"hip_shift_{side}"] = 0.0
    return p


def interp(a: Params, b: Params, t: float) -> Params:
    """The numbers a fraction t of the way from a to b (words and flags kept from a)."""
    return {k: (a[k] + (b[k] - a[k]) * t if isinstance(a[k], float) else a[k]) for k in a}


def project(camera: str, q: V3) -> Point:
    """A body point on the picture (y up)."""
    u, r, f = q
    ky, kd = CAMERAS[camera]
    if camera == "front":  # lying on the left side facing the viewer, head to the right
        return (u, r * ky - f * kd)
    if camera == "feet":  # on the back, seen from the foot end and a little above
        return (-r, f * ky + u * kd)
    return (-u, f * ky - r * kd)  # on the back, head to the left, the right side nearest


def pose2d(camera: str, p: Params) -> Joints:
    """The joints of one pose on the picture (model units, y up)."""
    return {name: project(camera, q) for name, q in skeleton(p).items()}


# ---- drawing ------------------------------------------------------------------------------------


def _torso(camera: str) -> list[Point]:
    waist, shoulder = WAIST_HALF_WIDTH, SHOULDER_HALF_WIDTH
    pts = [(0.0, waist), (TRUNK * 0.45, waist + 0.5), (TRUNK, shoulder + 1), (TRUNK, -shoulder - 1),
           (TRUNK * 0.45, -waist - 0.5), (0.0, -waist)]  # fmt: skip
    return [project(camera, (u, r, 0.0)) for u, r in pts]


def _arm(joints: Joints, side: str, color: str) -> list[Shape]:
    pts = [joints[f"shoulder_{side}"], joints[f"elbow_{side}"], joints[f"wrist_{side}"]]
    halo = []
    if color == INK:
        mid = (pts[0][0] * 0.6 + pts[1][0] * 0.4, pts[0][1] * 0.6 + pts[1][1] * 0.4)
        halo = [line([mid, *pts[1:], joints[f"hand_{side}"]], stroke="#ffffff", width=W_LIMB + 4)]
    return halo + [
        line(pts, stroke=color, width=W_LIMB),
        line([joints[f"wrist_{side}"], joints[f"hand_{side}"]], stroke=color, width=W_LIMB + 1.5),
    ]


def _leg(joints: Joints, side: str, color: str) -> list[Shape]:
    pts = [joints[f"hip_{side}"], joints[f"knee_{side}"], joints[f"ankle_{side}"]]
    halo = []
    if color == INK:
        halo = [line([*pts, joints[f"toe_{side}"]], stroke="#ffffff", width=W_LEG + 4)]
    return halo + [
        line(pts, stroke=color, width=W_LEG),
        line([joints[f"ankle_{side}"], joints[f"toe_{side}"]], stroke=color, width=W_LEG - 2),
    ]


def draw(camera: str, p: Params, scene: list[Shape], props: list[str]) -> list[Shape]:
    """One lying pose on its mat or bed (model units, y up)."""
    joints = pose2d(camera, p)
    tilt = {"front": -90.0, "above": 90.0, "feet": 0.0}[camera] + p["head_tilt"]
    out = list(scene)
    if camera == "feet":  # the body lies away from the viewer, the legs are nearest
        out.append(poly(_torso(camera), fill=INK, stroke=INK, width=5))
        out += draw_head(joints["head"], tilt, p["head_turn"])
        out += _arm(joints, "l", INK) + _arm(joints, "r", INK)
        out += _leg(joints, "l", FAR) + _leg(joints, "r", INK)
        return out
    out += _arm(joints, "l", FAR) + _leg(joints, "l", FAR)
    out.append(poly(_torso(camera), fill=INK, stroke=INK, width=5))
    out.append(line([joints["neck_base"], joints["neck_top"]], stroke=INK, width=9))
    out += draw_head(joints["head"], tilt, p["head_turn"])
    if "ball" in props:  # squeezed between the knees
        knees = mul(add(joints["knee_r"], joints["knee_l"]), 0.5)
        out.append(circle(knees, 7.5, fill="#e7f5ff", stroke="#5c7f99", width=2.5))
    out += _leg(joints, "r", INK) + _arm(joints, "r", INK)
    return out


def scene_props(camera: str, poses: list[Params], props: list[str]) -> tuple[list[Shape], float | None]:
    """Mat, bed and pillow under the figure, the same in both panels; and the floor height."""
    pts = [q for p in poses for q in skeleton(p).values()]
    out: list[Shape] = []
    if camera == "front":  # a mat (or bed) top seen a little from above, its near edge below
        low = min(project(camera, q)[1] for q in pts if q[1] <= 0) - 2.5
        xs = [project(camera, q)[0] for q in pts]
        x0, x1 = min(xs) - 10, max(xs) + 10
        near, far = low - 13.0, low + 11.0
        edge = 16.0 if "bed" in props else 5.0
        out.append(poly([(x0, near), (x1, near), (x1 - 6, far), (x0 + 6, far)], fill=MAT))
        out.append(rect((x0, near - edge), (x1, near), fill="#c5ccd3", stroke=PROP_EDGE, width=1.5, r=2))
        floor = near - edge
        if "bed" in props:
            out += [line([(x, floor - 22), (x, floor)], stroke="#a3acb5", width=6) for x in (x0 + 6, x1 - 6)]
            floor -= 22
        if "pillow" in props:
            head = project(camera, skeleton(poses[0])["head"])
            out.append(rect((head[0] - 16, low - 4), (head[0] + 16, head[1] - HEAD * 0.55), fill=PILLOW,
                            stroke=PROP_EDGE, width=1.5, r=5))  # fmt: skip
        return out, floor
    if camera == "feet":  # the bed top recedes up the picture, its foot end faces the viewer
        ground = [project(camera, (q[0], q[1], 0.0)) for q in pts]
        xs, ys = [g[0] for g in ground], [g[1] for g in ground]
        x0, x1, y0, y1 = min(xs) - 16, max(xs) + 16, min(ys) - 8, max(ys) + 10
        out.append(rect((x0, y0), (x1, y1), fill=BED if "bed" in props else MAT, stroke=PROP_EDGE, width=1.5, r=3))
        if "bed" in props:
            out.append(rect((x0, y0 - 14), (x1, y0), fill="#c9b79c", stroke="#8d7a5f", width=2, r=2))
        if "pillow" in props:
            head = project(camera, skeleton(poses[0])["head"])
            out.append(rect((head[0] - HEAD - 9, head[1] - 4), (head[0] + HEAD + 9, head[1] + HEAD + 4),
                            fill=PILLOW, stroke=PROP_EDGE, width=1.5, r=6))  # fmt: skip
        return out, None
    # from above: a mat or a bed top under the whole figure, a pillow under the head
    ground = [project(camera, (q[0], q[1], 0.0)) for q in pts]
    xs, ys = [g[0] for g in ground], [g[1] for g in ground]
    x0, x1, y0, y1 = min(xs) - 14, max(xs) + 14, min(ys) - 14, max(ys) + 14
    if "bed" in props:
        out.append(rect((x0 - 4, y0 - 4), (x1 + 4, y1 + 4), fill="#c9b79c", stroke="#8d7a5f", width=2, r=5))
        out.append(rect((x0, y0), (x1, y1), fill=BED, stroke=PROP_EDGE, width=1.5, r=4))
    elif "mat" in props:
        out.append(rect((x0, y0), (x1, y1), fill=MAT, stroke=PROP_EDGE, width=1.5, r=3))
    if "pillow" in props:
        head = project(camera, skeleton(poses[0])["head"])
        out.append(rect((head[0] - HEAD - 8, head[1] - HEAD - 9), (head[0] + HEAD + 4, head[1] + HEAD + 9),
                        fill=PILLOW, stroke=PROP_EDGE, width=1.5, r=7))  # fmt: skip
    return out, None


# ---- motion arrow -------------------------------------------------------------------------------

# key -> (pivot, moving point, extra distance out from the pivot)
PATHS = {
    "leg_lift": ("hip_r", "ankle_r", 9.0),
    "knee_open": ("hip_r", "knee_r", 9.0),
    "knee_roll": ("hip_l", "knee_l", 9.0),
    "hip": ("hip", "ankle", 9.0),
    "knee": ("ankle", "knee", 9.0),  # a knee bending: follow the knee itself, out from the hip-ankle line
    "shoulder": ("shoulder", "wrist", 9.0),
    "elbow": ("elbow", "wrist", 8.0),
    "head_turn": ("head", "nose", 8.0),
    "head_tilt": ("neck_top", "head_top", 8.0),
}


def arrow(camera: str, key: str, p0: Params, p1: Params) -> list[Shape]:
    """The arrow of the movement `key` (a pose key) from p0 to p1, on the picture."""
    turn = turning(PATHS, key)
    if turn is None:
        return []
    name, pivot, moving, extra = turn
    if name == "knee_roll":  # a curve from where the knees were to where they tip, past them
        j0, j1 = pose2d(camera, p0), pose2d(camera, p1)
        off = (0.0, 13.0) if camera == "feet" else (16.0, 0.0)
        k0 = add(mul(add(j0["knee_r"], j0["knee_l"]), 0.5), off)
        k1 = add(mul(add(j1["knee_r"], j1["knee_l"]), 0.5), off)
        if dist(k0, k1) < 26:  # a small tip still gets an arrow that can be seen
            mid, along = mul(add(k0, k1), 0.5), unit(sub(k1, k0))
            k0, k1 = sub(mid, mul(along, 13)), add(mid, mul(along, 13))
        return bow_arrow(k0, k1, 0.3 if (k1[0] - k0[0]) < 0 else -0.3)
    steps = [pose2d(camera, interp(p0, p1, i / 16)) for i in range(17)]
    path = []
    for q in steps:
        c, m = q[pivot], q[moving]
        d = dist(c, m)
        path.append(add(c, mul(unit(sub(m, c)), d + extra)) if d > 1e-6 else m)
    length = sum(dist(a, b) for a, b in zip(path, path[1:], strict=False))
    if length < 16:
        return straight_arrow(path[0], path[-1])
    return arrow_along(path)


# ---- the two views ------------------------------------------------------------------------------


def build(
    camera: str, view: str, pic: Picture, v0: dict[str, float], v1: dict[str, float], base: str, key: str | None
) -> ViewDrawing:
    """Start and end of a lying picture seen by `camera` ("front", "above" or "feet").

    view: the picture's view ("side" for side lying, "front" for lying on the back); v0, v1: the
    view's angles of both poses (side_pose.values or front_pose.values); key: the arrow's key.
    """
    props = pic.props
    p0, p1 = params(view, base, v0), params(view, base, v1)
    scene, floor = scene_props(camera, [p0, p1], props)
    arrows: list[Shape] = arrow(camera, key, p0, p1) if key else []
    j1 = pose2d(camera, p1)
    return ViewDrawing(
        start=draw(camera, p0, scene, props),
        end=draw(camera, p1, scene, props),
        arrow=arrows,
        floor=floor,
        floor_line=floor is not None and "mat" not in props,
        anchors=Anchors(
            mouth=j1["nose"],
            face_dir=unit(sub(j1["nose"], j1["head"])) if camera == "front" else (0.0, 1.0),
            throat=j1["neck_top"],
            throat_dir=(0.0, 1.0),
            down=unit(sub(j1["neck_base"], j1["neck_top"])),
        ),
    )
