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

from .front import FOOT as _FRONT_FOOT
from .front import FORE, HAND, HEAD, HIP_W, NECK, SH_W, SHIN, THIGH, TRUNK, UPPER, W_LIMB, WAIST, draw_head
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

V3 = tuple[float, float, float]
FOOT = _FRONT_FOOT + 3.0
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


def _out(v: V3, deg: float, sg: float) -> V3:
    """v swung out to the side (about the front-back axis) by deg, toward sg * right."""
    t = math.radians(-sg * deg)
    u, r, f = v
    return (u * math.cos(t) - r * math.sin(t), u * math.sin(t) + r * math.cos(t), f)


def skeleton(p: dict) -> dict[str, V3]:
    """Joint positions in body coordinates from the numbers of one pose (see params())."""
    j: dict[str, V3] = {"pelvis": (0.0, 0.0, 0.0)}
    j["neck_base"] = (TRUNK + 2, 0.0, 0.0)
    j["neck_top"] = (TRUNK + 2 + NECK, 0.0, 0.0)
    j["head"] = (TRUNK + 2 + NECK + HEAD * 0.9, 0.0, 0.0)
    j["head_top"] = _v(j["head"], (HEAD, 0.0, 0.0))
    t = math.radians(p["head_turn"])
    j["nose"] = _v(j["head"], (0.0, -math.sin(t) * HEAD, math.cos(t) * HEAD))
    for s, sg in (("r", 1.0), ("l", -1.0)):
        sh = (TRUNK - 3, sg * SH_W, 0.0)
        j[f"shoulder_{s}"] = sh
        if p["arm_plane"] == "side":  # lifted forward and bent forward, as in the side view
            upper = _sag(p[f"shoulder_{s}"])
            fore = _sag(p[f"shoulder_{s}"] + p[f"elbow_{s}"])
        else:  # lifted out to the side, as in the front view
            a = p[f"shoulder_{s}"]
            upper = _out((-1.0, 0.0, 0.0), a, sg)
            e = p[f"elbow_{s}"]
            fore = _out((-1.0, 0.0, 0.0), a - e if a < 40 else a + e, sg)
        j[f"elbow_{s}"] = _v(sh, upper, UPPER)
        j[f"wrist_{s}"] = _v(j[f"elbow_{s}"], fore, FORE)
        j[f"hand_{s}"] = _v(j[f"wrist_{s}"], fore, HAND)

        hip = (0.0, sg * HIP_W + p[f"hip_shift_{s}"], 0.0)
        flex, knee = p[f"hip_{s}"], p[f"knee_{s}"]
        out = p[f"hip_out_{s}"]
        thigh = _out(_sag(flex), out, sg)
        shin = _out(_sag(flex - knee), out, sg)
        if p["feet_flat"] and knee >= 45:  # the sole flat on the bed, toes toward the foot end
            foot = (-1.0, 0.0, 0.12)
        else:
            psi = math.radians(flex - knee)
            foot = _out((math.sin(psi), 0.0, math.cos(psi)), out, sg)
        kn = _v(hip, thigh, THIGH)
        an = _v(kn, shin, SHIN)
        turn = p[f"open_{s}"]
        if abs(turn) > 1e-6:  # the knee swings about the hip-ankle line, the foot stays put
            axis = _norm(_v(an, hip, -1.0))
            rel = _v(kn, hip, -1.0)
            want = 1.0 if turn > 0 else -1.0
            trial = _rot_axis(rel, axis, 5.0)
            sign = 1.0 if (trial[1] - rel[1]) * want >= 0 else -1.0
            kn = _v(hip, _rot_axis(rel, axis, sign * abs(turn)))
            foot = _rot_axis(foot, axis, sign * abs(turn) * 0.5)
        j[f"hip_{s}"], j[f"knee_{s}"], j[f"ankle_{s}"] = hip, kn, an
        j[f"toe_{s}"] = _v(an, foot, FOOT)
    return j


def params(view: str, base: str, v: dict) -> dict:
    """The numbers skeleton() needs, from the side view (side_lying) or front view (lying)."""
    p: dict = {"head_turn": 0.0, "head_tilt": 0.0}
    if view == "side":
        p.update(arm_plane="side", feet_flat=False)
        for s in "rl":
            p[f"shoulder_{s}"], p[f"elbow_{s}"] = v[f"shoulder_{s}"], v[f"elbow_{s}"]
            p[f"hip_{s}"], p[f"knee_{s}"] = v[f"hip_{s}"], v[f"knee_{s}"]
        p["hip_out_r"], p["hip_out_l"] = v.get("leg_lift", 0.0), 0.0
        p["open_r"], p["open_l"] = v.get("knee_open", 0.0), 0.0
        # the under leg rests on the mat, a little lower than the hip joint
        p["hip_shift_r"], p["hip_shift_l"] = 0.0, -3.5
    else:
        p.update(arm_plane="front", feet_flat=True)
        p["head_turn"], p["head_tilt"] = v["head_turn"], v["head_tilt"]
        for s in "rl":
            p[f"shoulder_{s}"], p[f"elbow_{s}"] = v[f"shoulder_{s}"], v[f"elbow_{s}"]
            p[f"knee_{s}"] = v[f"knee_{s}"]
            p[f"hip_{s}"] = v[f"knee_{s}"] / 2  # a bent knee keeps the foot flat on the bed
            p[f"hip_out_{s}"] = v[f"hip_{s}"]
            p[f"open_{s}"] = v.get("knee_roll", 0.0)
            p[f"hip_shift_{s}"] = 0.0
    return p


def interp(a: dict, b: dict, t: float) -> dict:
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


def pose2d(camera: str, p: dict) -> dict[str, Point]:
    return {k: project(camera, q) for k, q in skeleton(p).items()}


# ---- drawing ------------------------------------------------------------------------------------


def _torso(camera: str) -> list[Point]:
    pts = [(0.0, WAIST), (TRUNK * 0.45, WAIST + 0.5), (TRUNK, SH_W + 1), (TRUNK, -SH_W - 1),
           (TRUNK * 0.45, -WAIST - 0.5), (0.0, -WAIST)]  # fmt: skip
    return [project(camera, (u, r, 0.0)) for u, r in pts]


def _arm(j: dict, s: str, color: str) -> list[Shape]:
    pts = [j[f"shoulder_{s}"], j[f"elbow_{s}"], j[f"wrist_{s}"]]
    halo = []
    if color == INK:
        mid = (pts[0][0] * 0.6 + pts[1][0] * 0.4, pts[0][1] * 0.6 + pts[1][1] * 0.4)
        halo = [line([mid, *pts[1:], j[f"hand_{s}"]], stroke="#ffffff", width=W_LIMB + 4)]
    return halo + [
        line(pts, stroke=color, width=W_LIMB),
        line([j[f"wrist_{s}"], j[f"hand_{s}"]], stroke=color, width=W_LIMB + 1.5),
    ]


def _leg(j: dict, s: str, color: str) -> list[Shape]:
    pts = [j[f"hip_{s}"], j[f"knee_{s}"], j[f"ankle_{s}"]]
    halo = []
    if color == INK:
        halo = [line([*pts, j[f"toe_{s}"]], stroke="#ffffff", width=W_LEG + 4)]
    return halo + [
        line(pts, stroke=color, width=W_LEG),
        line([j[f"ankle_{s}"], j[f"toe_{s}"]], stroke=color, width=W_LEG - 2),
    ]


def draw(camera: str, p: dict, scene: list[Shape], props: list[str]) -> list[Shape]:
    j = pose2d(camera, p)
    ha = {"front": -90.0, "above": 90.0, "feet": 0.0}[camera] + p["head_tilt"]
    head = {"head": j["head"], "head_angle": ha, "look": p["head_turn"]}
    out = list(scene)
    if camera == "feet":  # the body lies away from the viewer, the legs are nearest
        out.append(poly(_torso(camera), fill=INK, stroke=INK, width=5))
        out += draw_head(head)
        out += _arm(j, "l", INK) + _arm(j, "r", INK)
        out += _leg(j, "l", FAR) + _leg(j, "r", INK)
        return out
    out += _arm(j, "l", FAR) + _leg(j, "l", FAR)
    out.append(poly(_torso(camera), fill=INK, stroke=INK, width=5))
    out.append(line([j["neck_base"], j["neck_top"]], stroke=INK, width=9))
    out += draw_head(head)
    if "ball" in props:  # squeezed between the knees
        k = mul(add(j["knee_r"], j["knee_l"]), 0.5)
        out.append(circle(k, 7.5, fill="#e7f5ff", stroke="#5c7f99", width=2.5))
    out += _leg(j, "r", INK) + _arm(j, "r", INK)
    return out


def scene_props(camera: str, poses: list[dict], props: list[str]) -> tuple[list[Shape], float | None]:
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
            h = project(camera, skeleton(poses[0])["head"])
            out.append(rect((h[0] - 16, low - 4), (h[0] + 16, h[1] - HEAD * 0.55), fill=PILLOW,
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
            h = project(camera, skeleton(poses[0])["head"])
            out.append(rect((h[0] - HEAD - 9, h[1] - 4), (h[0] + HEAD + 9, h[1] + HEAD + 4),
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
        h = project(camera, skeleton(poses[0])["head"])
        out.append(rect((h[0] - HEAD - 8, h[1] - HEAD - 9), (h[0] + HEAD + 4, h[1] + HEAD + 9),
                        fill=PILLOW, stroke=PROP_EDGE, width=1.5, r=7))  # fmt: skip
    return out, None


# ---- motion arrow -------------------------------------------------------------------------------

# key -> (pivot, moving point, extra distance out from the pivot)
PATHS = {
    "leg_lift": ("hip_r", "ankle_r", 9.0),
    "knee_open": ("hip_r", "knee_r", 9.0),
    "knee_roll": ("hip_l", "knee_l", 9.0),
    "hip": ("hip", "ankle", 9.0),
    "knee": ("hip", "ankle", 9.0),
    "shoulder": ("shoulder", "wrist", 9.0),
    "elbow": ("elbow", "wrist", 8.0),
    "head_turn": ("head", "nose", 8.0),
    "head_tilt": ("neck_top", "head_top", 8.0),
}


def arrow(camera: str, key: str, p0: dict, p1: dict) -> list[Shape]:
    name, sfx = (key[:-2], key[-2:]) if key[-2:] in ("_r", "_l") else (key, "")
    if name not in PATHS:
        return []
    pivot, moving, extra = PATHS[name]
    pivot = pivot + sfx if pivot in ("hip", "shoulder", "elbow") else pivot
    moving = moving + sfx if moving in ("ankle", "wrist") else moving
    if name == "knee_roll":  # a curve from where the knees were to where they tip, past them
        a, b = pose2d(camera, p0), pose2d(camera, p1)
        off = (0.0, 13.0) if camera == "feet" else (16.0, 0.0)
        k0 = add(mul(add(a["knee_r"], a["knee_l"]), 0.5), off)
        k1 = add(mul(add(b["knee_r"], b["knee_l"]), 0.5), off)
        if dist(k0, k1) < 26:  # a small tip still gets an arrow that can be seen
            m, d = mul(add(k0, k1), 0.5), unit(sub(k1, k0))
            k0, k1 = sub(m, mul(d, 13)), add(m, mul(d, 13))
        return bow_arrow(k0, k1, 0.3 if (k1[0] - k0[0]) < 0 else -0.3)
    steps = [pose2d(camera, interp(p0, p1, i / 16)) for i in range(17)]
    if name == "knee":  # a knee bending: follow the knee itself, out from the hip-ankle line
        pivot, moving = "ankle" + sfx, "knee" + sfx
    path = []
    for q in steps:
        c, m = q[pivot], q[moving]
        d = dist(c, m)
        path.append(add(c, mul(unit(sub(m, c)), d + extra)) if d > 1e-6 else m)
    length = sum(dist(a, b) for a, b in zip(path, path[1:], strict=False))
    if length < 16:
        return straight_arrow(path[0], path[-1])
    return arrow_along(path)


def changed(p0: dict, p1: dict, keys: list[str]) -> str | None:
    best, score = None, 4.0
    for k in keys:
        d = abs(p1[k] - p0[k])
        if k.endswith("_l"):
            d *= 0.9
        if d > score:
            best, score = k, d
    return best


# ---- the two views ------------------------------------------------------------------------------


def build(camera: str, view: str, pic: dict, v0: dict, v1: dict, base: str,
          key: str | None) -> dict:  # fmt: skip
    """Start and end of a lying picture; v0/v1 are the view's values, key its arrow key."""
    props = pic["props"]
    p0, p1 = params(view, base, v0), params(view, base, v1)
    scene, floor = scene_props(camera, [p0, p1], props)
    arrows: list[Shape] = arrow(camera, key, p0, p1) if key else []
    j1 = pose2d(camera, p1)
    return {
        "start": draw(camera, p0, scene, props),
        "end": draw(camera, p1, scene, props),
        "arrow": arrows,
        "floor": floor,
        "floor_line": floor is not None and "mat" not in props,
        "anchors": {
            "mouth": j1["nose"],
            "face_dir": unit(sub(j1["nose"], j1["head"])) if camera == "front" else (0.0, 1.0),
            "throat": j1["neck_top"],
            "throat_dir": (0.0, 1.0),
            "down": unit(sub(j1["neck_base"], j1["neck_top"])),
        },
    }
