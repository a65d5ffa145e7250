"""The side view's marks of a movement: the motion arrow, and the push of an isometric press."""

from __future__ import annotations

from .body import HEAD_RADIUS_PROFILE
from .shapes import (
    Shape,
    add,
    arc_arrow,
    bow_arrow,
    dist,
    dot,
    lerp,
    mul,
    press_arrow,
    straight_arrow,
    sub,
    turn_sweep,
    unit,
)
from .side_pose import LIMB_RADIUS, NUMERIC, TRUNK_RADIUS, Placed, back_direction, kinematics
from .spec import TRANSLATIONS

W_TRUNK = 17.0  # the trunk's drawn width

# angle key -> (the joint it turns at, the point that moves, how far out the arc runs)
ARCS = {
    "head_nod": ("neck_top", "face", 10.0),
    "trunk_lean": ("hip", "head", HEAD_RADIUS_PROFILE + 9),
    "shoulder": ("shoulder", "wrist", 11.0),
    "elbow": ("elbow", "hand", 9.0),
    "wrist": ("wrist", "hand", 9.0),
    "hip": ("hip", "knee", 10.0),
    "knee": ("knee", "ankle", -12.0),
    "ankle": ("ankle", "toe", 7.0),
}


def _between(start: dict[str, float], end: dict[str, float], t: float) -> dict[str, float]:
    return {key: start[key] + (end[key] - start[key]) * t for key in start}


def arrow(key: str, p0: Placed, p1: Placed) -> list[Shape]:
    """The arrow of the movement `key` (a pose key, "base" or "touch") from pose p0 to p1."""
    j0, j1 = p0.joints, p1.joints
    if key == "base":
        return bow_arrow(j0["hip"], j1["hip"], -0.35)
    if key == "touch":
        return bow_arrow(add(j0["hand_r"], (8, -4)), add(j1["hand_r"], (8, -4)), 0.25)
    if key == "head_forward":
        off = mul(unit(sub(j1["head_top"], j1["head"])), HEAD_RADIUS_PROFILE + 9)
        return straight_arrow(add(j0["head"], off), add(j1["head"], off))
    if key == "shrug":
        back = back_direction(j1)
        a, b = add(j0["shoulder"], mul(back, 17)), add(j1["shoulder"], mul(back, 17))
        up = unit(sub(j1["neck_base"], j1["hip"]))
        n = max(dist(a, b), 18)
        if p1.angles["shrug"] < p0.angles["shrug"]:  # the shoulders drop: the arrow points down
            return straight_arrow(a, add(a, mul(up, -n)))
        return straight_arrow(a, add(a, mul(up, n)))
    if key == "spine_curve":
        mid0, mid1 = j0["spine_mid"], j1["spine_mid"]
        straight = lerp(j1["hip"], j1["shoulder"], 0.5)
        out_dir = back_direction(j1)
        out_by = max(dot(sub(m, straight), out_dir) for m in (mid0, mid1)) + W_TRUNK / 2 + 6
        base = add(straight, mul(out_dir, out_by))
        if p1.angles["spine_curve"] >= p0.angles["spine_curve"]:
            return straight_arrow(base, add(base, mul(out_dir, 18)))
        return straight_arrow(add(base, mul(out_dir, 18)), base)
    if key == "belly":  # the belly rises (or falls): a short arrow out from it, past the hand on it
        # "out" read where the belly is risen: a flat belly (the end of a falling one) has no out
        jo = j1 if p1.angles["belly"] >= p0.angles["belly"] else j0
        out_dir = unit(sub(jo["belly"], lerp(jo["belly_low"], jo["belly_high"], 0.5)))
        base = add(j1["belly"], mul(out_dir, 10))
        if p1.angles["belly"] >= p0.angles["belly"]:
            return straight_arrow(base, add(base, mul(out_dir, 16)))
        return straight_arrow(add(base, mul(out_dir, 16)), base)
    if key == "trunk_lean" and p0.base == p1.base == "standing" and _leans_from_the_feet(j0, j1):
        # the whole body tips over the feet, straight as a board (toward a wall and back): a straight
        # arrow behind the back, from where the shoulders were to where they are
        back = mul(back_direction(j1), W_TRUNK / 2 + 12)
        return straight_arrow(add(j0["shoulder"], back), add(j1["shoulder"], back))
    if key == "pelvis_lift":
        off = (0.0, TRUNK_RADIUS + 10)
        return straight_arrow(add(j0["hip"], off), add(j1["hip"], off))
    name, side = (key[:-2], key[-1]) if key[-2:] in ("_r", "_l") else (key, "")
    if name == "ankle" and side:  # up on the toes: the heel lifts off the floor, straight up
        heel0, heel1 = j0[f"heel_{side}"], j1[f"heel_{side}"]
        toe0, toe1 = j0[f"toe_{side}"], j1[f"toe_{side}"]
        rise = (heel1[1] - heel0[1]) - abs(toe1[1] - toe0[1])
        on_floor = max(toe0[1], toe1[1]) < 6.0
        if on_floor and abs(rise) > 3:  # the heel moves, the toes stay on the floor: a heel raise (or lowering)
            x = min(heel0[0], heel1[0]) - 7
            n = max(18.0, abs(heel1[1] - heel0[1]))
            low = min(heel0[1], heel1[1]) + 1
            return straight_arrow((x, low), (x, low + n)) if rise > 0 else straight_arrow((x, low + n), (x, low))
    pivot, moving, extra = ARCS[name]
    sfx = f"_{side}" if side else ""
    pivot = pivot if pivot in ("hip", "shoulder", "neck_top") else pivot + sfx
    moving = moving + sfx if moving not in ("face", "head", "knee") or side else moving
    if name == "hip":
        moving = f"knee{sfx}"
    if name == "shoulder" and _elbow_pulled_back(p0.angles, p1.angles, sfx):
        moving = f"elbow{sfx}"
    centre = j1[pivot]
    if p0.base == p1.base:
        poses = [
            kinematics(p0.base, _between(p0.angles, p1.angles, i / 16), p1.touch) for i in range(17)
        ]  # directions do not depend on where the figure stands
    else:
        poses = [j0, j1]
    angles, reach = turn_sweep([q[pivot] for q in poses], [q[moving] for q in poses])
    return arc_arrow(centre, max(reach + extra, 14.0), angles[0], angles[-1])


def _elbow_pulled_back(a0: dict[str, float], a1: dict[str, float], sfx: str) -> bool:
    """The bent elbow goes back behind the trunk with the forearm kept level ("pull your elbows
    back"): the elbow is what moves, while the hand would dip round the shoulder."""
    shoulder, elbow = f"shoulder{sfx}", f"elbow{sfx}"
    level = abs((a1[shoulder] + a1[elbow]) - (a0[shoulder] + a0[elbow])) < 15
    return level and min(a0[elbow], a1[elbow]) >= 60 and a1[shoulder] < min(0.0, a0[shoulder])


def _leans_from_the_feet(j0: dict, j1: dict) -> bool:
    """The body leans forward from the ankles: the shoulders move more than 8 cm the way the face
    looks, and the hips with them, more than a third as far (a bend at the hips leaves them nearly
    still; a lean back, toward a wall behind, leaves no room for an arrow behind the back)."""
    hip, shoulder = j1["hip"][0] - j0["hip"][0], j1["shoulder"][0] - j0["shoulder"][0]
    ahead = 1.0 if j1["face"][0] > j1["head"][0] else -1.0
    return hip * shoulder > 0 and abs(hip) > abs(shoulder) / 3 and shoulder * ahead > 8


def press(direction: str, p: Placed) -> list[Shape]:
    """The push of the head (or body) into the still right hand: forward, back, up or down."""
    joints = p.joints
    axis, face = unit(sub(joints["head_top"], joints["head"])), unit(sub(joints["face"], joints["head"]))
    d = {"forward": face, "back": mul(face, -1), "up": axis, "down": mul(axis, -1)}[direction]
    palm = lerp(joints["wrist_r"], joints["hand_r"], 0.5)
    if p.touch == "none" and direction in ("up", "down"):  # a push up or down into the hand
        return press_arrow(sub(joints["hand_r"], mul(d, 4)), d)
    return press_arrow(sub(palm, mul(d, LIMB_RADIUS + 2)), d)


def biggest_change(p0: Placed, p1: Placed) -> str | None:
    """The key the arrow shows when the picture names none: the change of base or touch, else
    the biggest change of angle (slides weighted as 60 degrees per unit; the near side wins a tie)."""
    if p0.base != p1.base:
        return "base"
    if p0.touch != p1.touch:
        return "touch"
    best, score = None, 4.0
    for key in NUMERIC:
        d = abs(p1.angles[key] - p0.angles[key]) * (60 if key in TRANSLATIONS else 1)
        if key.endswith("_l"):
            d *= 0.9  # prefer the near side on a tie
        if d > score:
            best, score = key, d
    return best
