"""The front view's marks of a movement: the motion arrow, and the push of an isometric press."""

from __future__ import annotations

from .body import HEAD_RADIUS_FRONT, SHOULDER_HALF_WIDTH, turning
from .front_pose import NUMERIC, SIDES, FrontBody, FrontPose, Placed, place
from .shapes import (
    Point,
    Shape,
    add,
    arc,
    arc_arrow,
    arrow_along,
    bow_arrow,
    dist,
    lerp,
    mul,
    press_arrow,
    press_turn_arrow,
    rot,
    straight_arrow,
    sub,
    turn_sweep,
)
from .spec import Pose

# angle key -> (the joint it turns at, the point that moves, how far out the arc runs)
ARCS = {
    "head_tilt": ("neck_top", "head_top", 8.0),
    "trunk_bend": ("pelvis", "head_top", 9.0),
    "shoulder": ("shoulder", "wrist", 10.0),
    "elbow": ("elbow", "wrist", 9.0),
    "hip": ("hip", "knee", 8.0),
    "arm_turn": ("elbow", "hand", 0.0),
}


def _turn_arrow(center: Point, rx: float, ry: float, sign: float) -> list[Shape]:
    """A curved arrow on the near side of a flat ring around `center`: a turn about the body's long axis."""
    a0, a1 = (-25.0, -155.0) if sign > 0 else (-155.0, -25.0)
    return arrow_along(arc(center, rx, a0, a1, 20, ry))


def arrow(key: str, s0: Placed, s1: Placed) -> list[Shape]:
    """The arrow of the movement `key` (a pose key, or "touch") from pose s0 to s1."""
    v0, v1 = s0.pose, s1.pose
    j0, j1 = s0.joints, s1.joints
    if key == "head_turn":
        d = v1.angles["head_turn"] - v0.angles["head_turn"]
        return _turn_arrow(add(j1["head"], (0, HEAD_RADIUS_FRONT + 9)), HEAD_RADIUS_FRONT + 4, 5, d)
    if key == "head_nod":  # beside the face: up as the chin comes up, down as it tips down
        x = j1["head"][0] + HEAD_RADIUS_FRONT + 9
        down = v1.angles["head_nod"] > v0.angles["head_nod"]
        a, b = (x, j1["head"][1] + 9), (x, j1["head"][1] - 9)
        return straight_arrow(a, b) if down else straight_arrow(b, a)
    if key == "trunk_turn":
        d = v1.angles["trunk_turn"] - v0.angles["trunk_turn"]
        return _turn_arrow(j1["chest"], SHOULDER_HALF_WIDTH + 9, 6, d)
    if key == "weight_shift":  # straight across just below the hips (the hips move, not the head),
        # edged in white so it reads over the dark legs
        a, b = add(j0["pelvis"], (0, -8)), add(j1["pelvis"], (0, -8))
        return straight_arrow(a, b, color="#ffffff", width=8.0, head=14.0) + straight_arrow(a, b)
    if key == "touch":
        return bow_arrow(add(j0["hand_r"], (-6, 0)), add(j1["hand_r"], (-9, -4)), -0.2)
    if key in ("shrug", "shrug_r", "shrug_l"):  # over the shoulder that moves, or both that do
        # A shrug lifts (or drops) both shoulders: an arrow over each, so a patient who copies the
        # picture moves both, as the steps say ("Lift both shoulders"), not the one marked.
        sides = {"shrug": ("r", "l"), "shrug_r": ("r",), "shrug_l": ("l",)}[key]
        drop = v1.angles[key] < v0.angles[key]  # the shoulders drop: press down onto the shoulder
        marks: list[Shape] = []
        for side in sides:
            aside = 9.0 if side == "l" else -9.0
            shoulder = j0[f"shoulder_{side}"]
            n = max(18.0, dist(shoulder, j1[f"shoulder_{side}"]))
            a = add(shoulder, (aside, 6 + n)) if drop else add(shoulder, (aside, 6))
            marks += straight_arrow(a, add(a, (0, -n if drop else n)))
        return marks
    if key.startswith("knee_"):
        side = key[-1]
        if abs((v1.angles["knee_r"] - v0.angles["knee_r"]) - (v1.angles["knee_l"] - v0.angles["knee_l"])) < 10:
            x = j1["shoulder_l"][0] + 16
            return straight_arrow((x, j0["pelvis"][1] + 10), (x, j1["pelvis"][1] + 10))
        off = (-12.0 if side == "r" else 12.0, 0.0)
        return straight_arrow(add(j0[f"ankle_{side}"], off), add(j1[f"ankle_{side}"], off))
    turn = turning(ARCS, key)
    if turn is None or (turn[0] == "arm_turn" and (v0.number(key) is None or v1.number(key) is None)):
        return []
    name, pivot, moving, extra = turn
    steps = [place(_between(v0.base, v0, v1, i / 16)).joints for i in range(17)]
    if name == "arm_turn":  # the hand swings out: follow it, a little below
        sfx = key[-2:]  # "_r" or "_l": an arm turn is of one arm
        path = [add(q[f"hand{sfx}"], (0.0, -7.0)) for q in steps]
        out = arrow_along(path)
        other = "l" if sfx == "_r" else "r"
        d0, d1 = v0.arm_turn[other], v1.arm_turn[other]
        turned0, turned1 = v0.arm_turn[sfx[-1]], v1.arm_turn[sfx[-1]]
        assert turned0 is not None and turned1 is not None  # checked above
        if d0 is not None and d1 is not None and abs((d1 - d0) - (turned1 - turned0)) < 5:
            out += arrow_along([add(q[f"hand_{other}"], (0.0, -7.0)) for q in steps])  # both arms
        return out
    angles, reach = turn_sweep([q[pivot] for q in steps], [q[moving] for q in steps])
    return arc_arrow(j1[pivot], reach + extra, angles[0], angles[-1])


def press(direction: str, body: FrontBody) -> list[Shape]:
    """The push of the head into the still right hand (on the picture's left): right, left,
    turn_right, turn_left, up or down."""
    joints = body.joints
    hand = lerp(joints["wrist_r"], joints["hand_r"], 0.8)
    if direction in ("turn_right", "turn_left"):
        sign = 1.0 if direction == "turn_right" else -1.0
        return press_turn_arrow(add(joints["head"], (0, HEAD_RADIUS_FRONT + 9)), HEAD_RADIUS_FRONT + 5, 6, sign)
    d = {"right": (-1.0, 0.0), "left": (1.0, 0.0), "up": (0.0, 1.0), "down": (0.0, -1.0)}[direction]
    d = rot(d, body.head_angle)
    return press_arrow(sub(hand, mul(d, 6.5)), d)


def _between(base: str, v0: FrontPose, v1: FrontPose, t: float) -> Pose:
    """A pose part way from v0 to v1 (for the arrow path)."""
    pose: Pose = {"base": base, **{k: v0.angles[k] + (v1.angles[k] - v0.angles[k]) * t for k in NUMERIC}}
    for side, _ in SIDES:
        a, b = v0.arm_turn[side], v1.arm_turn[side]
        if a is not None and b is not None:
            pose[f"arm_turn_{side}"] = a + (b - a) * t
    return pose


def biggest_change(v0: FrontPose, v1: FrontPose) -> str | None:
    """The key the arrow shows when the picture names none: a change of touch, else the biggest
    change of angle (shrug weighted as 60 degrees per unit; the near side wins a tie)."""
    if v0.touch != v1.touch:
        return "touch"
    best, score = None, 4.0
    for side, _ in SIDES:
        a, b = v0.arm_turn[side], v1.arm_turn[side]
        if a is not None and b is not None and abs(b - a) > score:
            best, score = f"arm_turn_{side}", abs(b - a) * (1.0 if side == "r" else 0.9)
    for key in NUMERIC:
        d = abs(v1.angles[key] - v0.angles[key]) * (60 if key.startswith("shrug") else 1)
        if key.endswith("_l"):
            d *= 0.9
        if d > score:
            best, score = key, d
    return best
