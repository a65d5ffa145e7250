"""The front view's posing: a pose's angles -> the body's landmarks, seen from the front.

The figure faces the viewer, so the patient's right (`_r`) is on the picture's left. Model units
are about centimetres (body.py), y up, the pelvis at the origin until the figure is placed.
Joints: pelvis, chest, neck_base, neck_top, head (its centre), head_top, and per side: shoulder,
elbow, wrist, hand (fingertips), hip, knee, ankle, toe.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .body import (
    FOOT_FRONT,
    FOREARM,
    HAND_FRONT,
    HEAD_RADIUS_FRONT,
    HIP_HALF_WIDTH,
    NECK,
    SEAT_HEIGHT,
    SHIN,
    SHOULDER_HALF_WIDTH,
    THIGH,
    TRUNK,
    UPPER_ARM,
    WAIST_HALF_WIDTH,
)
from .shapes import Point, add, ik2, lerp, mul, rot, sub, unit
from .spec import Pose

Joints = dict[str, Point]  # joint name (see the module docstring) -> position, model units, y up
# The patient's sides as the pose keys end, with the way each lies on the picture (right: -x).
SIDES = (("r", -1.0), ("l", 1.0))

LYING = ("lying", "lying_from_feet")
FORESHORTEN = 0.4  # a forearm pointing at the viewer is drawn this short, tipped down
# Every number of the view (docs/catalog-format.md, view = "front"), in degrees but shrug (0..1):
# head_tilt (side bend of the neck), head_turn (rotation), trunk_bend (side bend), trunk_turn
# (rotation), shoulder (abduction), elbow (flexion), hip (abduction), knee (flexion), knee_roll
# (both bent knees tip to one side, lying), reach (the straight arm lifts toward the viewer),
# across (that forward arm swings across the chest toward the other side);
# shrug lifts both shoulders, shrug_r or shrug_l one (one shoulder higher than the other);
# weight_shift (-1..1, + onto the right foot) moves the standing body over one foot, feet still;
# head_nod (0..45, chin down) drops the face and lowers the head a little toward the chest.
NUMERIC = (
    "head_tilt", "head_turn", "trunk_bend", "trunk_turn", "shrug", "shrug_r", "shrug_l",
    "shoulder_r", "shoulder_l", "elbow_r", "elbow_l", "hip_r", "hip_l", "knee_r", "knee_l",
    "knee_roll", "reach_r", "reach_l", "across_r", "across_l", "weight_shift", "head_nod",
)  # fmt: skip
WEIGHT_SHIFT = 9.0  # how far the pelvis moves over one foot at weight_shift 1 (about cm)


@dataclass(frozen=True)
class FrontPose:
    """A front-view pose with every number filled in.

    base: standing, sitting, lying or lying_from_feet; angles: every key of NUMERIC (a sitting
    knee is bent 90 degrees unless given); arm_turn: per side ("r", "l"), None when the elbow
    bends in the picture plane, else the forearm points forward and the shoulder turns it out by
    that many degrees; touch: where the right hand rests (none, chin_r, cheek_r, temple_r,
    forehead, back_of_head, chest, chair_back).
    """

    base: str
    angles: dict[str, float]
    arm_turn: dict[str, float | None]
    touch: str

    def number(self, key: str) -> float | None:
        """The value of any numeric pose key, arm_turn_r and arm_turn_l included (None: not turned)."""
        if key.startswith("arm_turn_"):
            return self.arm_turn[key[-1]]
        return self.angles[key]

    def filled(self) -> dict[str, float | str | None]:
        """Every key of the pose as the catalog names it (what a pose that leaves it out means)."""
        out: dict[str, float | str | None] = {**self.angles, "touch": self.touch}
        for side, _ in SIDES:
            out[f"arm_turn_{side}"] = self.arm_turn[side]
        return out


def reach_turn(angles: dict[str, float], side: str) -> float:
    """Degrees a forward-reaching arm points away from the viewer's line, + toward the picture's
    left: the chest's turn, and `across` on past it toward the other side."""
    sign = dict(SIDES)[side]
    return angles["trunk_turn"] + sign * angles[f"across_{side}"]


def toward_viewer(angles: dict[str, float], side: str) -> float:
    """How much of a straight arm points at the viewer (0..1): sin(reach) x cos(reach_turn). A fist
    nearer the viewer is drawn larger, so an arm straight out in front reads as coming toward the
    reader, not as a hand resting by the shoulder."""
    reach = math.radians(angles[f"reach_{side}"])
    return math.sin(reach) * max(0.0, math.cos(math.radians(reach_turn(angles, side))))


def values(pose: Pose) -> FrontPose:
    """A catalog pose with every number filled in."""
    base = str(pose.get("base", "standing"))
    bent = 90.0 if base == "sitting" else 0.0
    angles = {key: float(pose.get(key, bent if key[:4] == "knee" else 0.0)) for key in NUMERIC}
    arm_turn: dict[str, float | None] = {}
    for side, _ in SIDES:
        turn = pose.get(f"arm_turn_{side}")
        arm_turn[side] = None if turn is None else float(turn)
    return FrontPose(base, angles, arm_turn, str(pose.get("touch", "none")))


@dataclass
class FrontBody:
    """The landmarks of one front-view pose (model units, y up).

    torso: the trunk's outline; midline: a line down the front of a turned trunk; head_angle:
    degrees the head leans (trunk side bend plus neck side bend, + toward the picture's left);
    look: degrees the face turns (+ toward the picture's left).
    """

    joints: Joints = field(default_factory=dict)
    torso: list[Point] = field(default_factory=list)
    midline: list[Point] = field(default_factory=list)
    head_angle: float = 0.0
    look: float = 0.0

    def head_point(self, local: Point) -> Point:
        """A point given in the head's own upright frame (from its centre), in the picture."""
        return add(self.joints["head"], rot(local, self.head_angle))


# where the fingertips of the right hand go, in the head's frame (see FrontBody.head_point)
TOUCH = {
    "chin_r": (-3.0, -HEAD_RADIUS_FRONT - 2.0),
    "cheek_r": (-HEAD_RADIUS_FRONT * 0.85, -3.0),
    "temple_r": (-HEAD_RADIUS_FRONT * 1.02, 5.0),
    "forehead": (-3.0, HEAD_RADIUS_FRONT * 0.62),
    "back_of_head": (-HEAD_RADIUS_FRONT * 0.55, HEAD_RADIUS_FRONT * 0.45),
    # the middle of the back of the head (a sensory trick recorded there): the hand behind it
    "back_of_head_mid": (-HEAD_RADIUS_FRONT * 0.05, HEAD_RADIUS_FRONT * 0.35),
}
BEHIND_HEAD = ("back_of_head", "back_of_head_mid")  # the hand is drawn behind the head


def kinematics(pose: FrontPose) -> FrontBody:
    """The landmarks of a pose, the pelvis at the origin."""
    angles = pose.angles
    body = FrontBody()
    joints = body.joints
    bend, turn = angles["trunk_bend"], angles["trunk_turn"]
    up = rot((0.0, 1.0), bend)
    right = rot((-1.0, 0.0), bend)  # toward the patient's right (picture left)
    shoulder_w = SHOULDER_HALF_WIDTH * (0.62 + 0.38 * math.cos(math.radians(turn)))
    pelvis = (0.0, 0.0)
    joints["pelvis"] = pelvis
    lift = {side: max(angles["shrug"] * 7, angles[f"shrug_{side}"] * 10) for side, _ in SIDES}  # one side shows more
    top = add(pelvis, mul(up, TRUNK - 3 + angles["shrug"] * 7))
    top_r, top_l = (add(pelvis, mul(up, TRUNK - 3 + lift[side])) for side in ("r", "l"))
    joints["shoulder_r"] = add(top_r, mul(right, shoulder_w))
    joints["shoulder_l"] = add(top_l, mul(right, -shoulder_w))
    waist = WAIST_HALF_WIDTH
    body.torso = [
        add(pelvis, mul(right, waist)),
        add(add(pelvis, mul(up, TRUNK * 0.45)), mul(right, waist + 0.5)),
        add(add(top_r, mul(up, 3)), mul(right, shoulder_w + 1)),
        add(add(top_l, mul(up, 3)), mul(right, -shoulder_w - 1)),
        add(add(pelvis, mul(up, TRUNK * 0.45)), mul(right, -waist - 0.5)),
        add(pelvis, mul(right, -waist)),
    ]
    body.midline = [
        add(add(pelvis, mul(up, 6)), mul(right, -math.sin(math.radians(turn)) * 9)),
        add(add(top, mul(up, -4)), mul(right, -math.sin(math.radians(turn)) * 11)),
    ]
    joints["chest"] = add(pelvis, mul(up, TRUNK * 0.72))
    neck_base = add(pelvis, mul(up, TRUNK + 2))
    body.head_angle = bend + angles["head_tilt"]
    joints["neck_base"] = neck_base
    joints["neck_top"] = add(neck_base, rot((0.0, NECK), bend + angles["head_tilt"] * 0.5))
    drop = HEAD_RADIUS_FRONT * 0.9 - 5.0 * math.sin(math.radians(angles["head_nod"]))
    joints["head"] = add(joints["neck_top"], rot((0.0, drop), body.head_angle))
    joints["head_top"] = body.head_point((0.0, HEAD_RADIUS_FRONT))
    body.look = angles["head_turn"] + turn * 0.6
    for side, sign in SIDES:
        shoulder = angles[f"shoulder_{side}"]
        a = math.radians(shoulder)
        arm = rot((sign * math.sin(a), -math.cos(a)), bend)
        joints[f"elbow_{side}"] = add(joints[f"shoulder_{side}"], mul(arm, UPPER_ARM))
        elbow = angles[f"elbow_{side}"]
        fore = rot(arm, (elbow if shoulder < 40 else -elbow) * -sign)
        arm_turn = pose.arm_turn[side]
        if arm_turn is not None:  # forearm forward, turned out about the upper arm
            fwd, t = math.sin(math.radians(elbow)), math.radians(arm_turn)
            fore = add(
                mul(arm, math.cos(math.radians(elbow))), (sign * fwd * math.sin(t), -FORESHORTEN * fwd * math.cos(t))
            )
        reach = math.radians(angles[f"reach_{side}"])
        if reach:  # the straight arm lifts forward, toward the viewer: drawn short, tipped down;
            # on a turned trunk "forward" turns with the chest, and `across` swings it on past the
            # chest's forward toward the other side ("reach it across your body"): the more across,
            # the longer and more level the arm is drawn, its hand past the far shoulder
            t = math.radians(reach_turn(angles, side))
            across = (-math.sin(t) * math.sin(reach), -FORESHORTEN * math.sin(reach) * math.cos(t))
            arm = add(mul(arm, math.cos(reach)), across)
            joints[f"elbow_{side}"] = add(joints[f"shoulder_{side}"], mul(arm, UPPER_ARM))
            fore = arm
        joints[f"wrist_{side}"] = add(joints[f"elbow_{side}"], mul(fore, FOREARM))
        joints[f"hand_{side}"] = add(joints[f"wrist_{side}"], mul(fore, HAND_FRONT))
        hip = (sign * HIP_HALF_WIDTH, 0.0)
        joints[f"hip_{side}"] = hip
        abduction = math.radians(angles[f"hip_{side}"])
        leg = (sign * math.sin(abduction), -math.cos(abduction))
        knee_bend = angles[f"knee_{side}"]
        if pose.base == "sitting":
            knee = add(hip, (sign * (2 + 12 * math.sin(abduction)), -7.0))
            shin = max(8.0, SHIN * math.sin(math.radians(max(knee_bend, 1e-3))) if knee_bend < 80 else SHIN)
            joints[f"knee_{side}"] = knee
            joints[f"ankle_{side}"] = add(knee, (sign * 3 * math.sin(abduction), -shin))
        else:
            f = math.cos(math.radians(knee_bend) / 2)
            joints[f"knee_{side}"] = add(hip, mul(leg, THIGH * f))
            joints[f"ankle_{side}"] = add(joints[f"knee_{side}"], mul(leg, SHIN * f))
        joints[f"toe_{side}"] = add(joints[f"ankle_{side}"], (sign * FOOT_FRONT, -1.5))
    if pose.touch == "seat_r" and pose.base == "sitting":  # the right fist grips the seat's edge
        wrist, tip = (-27.0, -4.5), (-27.0, -9.0)  # on the seat rail by the thigh, the arm long
        elbows = [ik2(joints["shoulder_r"], wrist, UPPER_ARM, FOREARM, bend) for bend in (1.0, -1.0)]
        joints["elbow_r"] = min(elbows, key=lambda p: p[0])
        joints["wrist_r"], joints["hand_r"] = wrist, tip
    if pose.touch == "chair_back_r" and pose.base == "sitting":  # the right fist holds the chair back's edge
        wrist, tip = (-27.0, 24.0), (-27.0, 20.0)  # beside the back, at the height of the lower ribs
        elbows = [ik2(joints["shoulder_r"], wrist, UPPER_ARM, FOREARM, bend) for bend in (1.0, -1.0)]
        joints["elbow_r"] = min(elbows, key=lambda p: p[0])
        joints["wrist_r"], joints["hand_r"] = wrist, tip
    if pose.base == "standing" and angles["weight_shift"]:
        _shift_weight(body, angles["weight_shift"])
    target = TOUCH.get(pose.touch)
    if target is not None or pose.touch == "chest":
        tip = body.head_point(target) if target else add(joints["chest"], mul(right, 3))
        shoulder_r = joints["shoulder_r"]
        wrist = add(tip, mul(unit(sub(tip, shoulder_r)), -HAND_FRONT))
        if pose.touch == "temple_r":  # the palm flat on the side of the head, fingers up
            wrist = body.head_point((-HEAD_RADIUS_FRONT * 1.12, 5.0 - HAND_FRONT * 1.1))
        if pose.touch == "back_of_head":
            wrist = add(tip, (-HAND_FRONT * 0.7, -HAND_FRONT * 0.7))
        if pose.touch == "back_of_head_mid":  # the forearm up beside the head to the ear, the hand
            # in behind it to its middle, hidden: from the front no side of the back of the head shows
            wrist = body.head_point((-HEAD_RADIUS_FRONT * 1.15, 0.0))
        elbows = [ik2(shoulder_r, wrist, UPPER_ARM, FOREARM, bend_side) for bend_side in (1.0, -1.0)]
        high = pose.touch in BEHIND_HEAD
        joints["elbow_r"] = max(elbows, key=lambda p: p[1] if high else -p[1])
        if pose.touch == "temple_r":  # the elbow out to the side, below the hand
            joints["elbow_r"] = min(elbows, key=lambda p: p[0])
        if pose.touch in BEHIND_HEAD:  # "keep your elbow low and loose": the elbow down in front of
            # the shoulder, the forearm up beside the head to the hand behind it (it had stuck out high)
            joints["elbow_r"] = add(wrist, (-5.0, -FOREARM))
        if pose.touch in ("chin_r", "cheek_r"):  # the elbow down in front of the chest, on its own side:
            # the forearm stands up to the face, the upper arm reaches forward (drawn short), so
            # the arm never crosses the body to reach its own cheek
            joints["elbow_r"] = add(wrist, (-2.0, -FOREARM))
        joints["wrist_r"], joints["hand_r"] = wrist, tip
    return body


def _shift_weight(body: FrontBody, shift: float) -> None:
    """Move the standing body sideways over one foot (+ the right, on the picture's left): the
    pelvis and all above it move, the feet stay where they stand, so both legs slant toward the
    foot that takes the weight."""
    dx = -shift * WEIGHT_SHIFT
    feet = ("ankle_r", "ankle_l", "toe_r", "toe_l")
    for name, p in body.joints.items():
        if name not in feet:
            body.joints[name] = (p[0] + (dx * 0.5 if name.startswith("knee") else dx), p[1])
    body.torso = [(q[0] + dx, q[1]) for q in body.torso]
    body.midline = [(q[0] + dx, q[1]) for q in body.midline]


@dataclass
class Placed:
    """A pose stood or sat in the scene: the pose and its landmarks."""

    pose: FrontPose
    body: FrontBody

    @property
    def joints(self) -> Joints:
        return self.body.joints


def place(pose: Pose) -> Placed:
    """A catalog pose stood on the floor (y = 0) or sat on a chair."""
    posed = values(pose)
    body = kinematics(posed)
    feet = [p[1] for name, p in body.joints.items() if name[:4] in ("ankl", "toe_")]
    dy = SEAT_HEIGHT if posed.base == "sitting" else 3.5 - min(feet)
    body.joints = {name: (p[0], p[1] + dy) for name, p in body.joints.items()}
    body.torso = [(q[0], q[1] + dy) for q in body.torso]
    body.midline = [(q[0], q[1] + dy) for q in body.midline]
    if posed.touch == "chair_back" and posed.base == "standing":
        _hold_chair(body.joints)
    if posed.touch == "counter_r" and posed.base == "standing":
        _hold_counter(body.joints)
    return Placed(posed, body)


CHAIR_TOP, CHAIR_HALF = 90.0, 24.0  # the top rail of a chair the figure stands behind
COUNTER_TOP, COUNTER_NEAR, COUNTER_FAR = 92.0, 30.0, 78.0  # a counter beside, on the picture's left


def _hold_chair(joints: Joints) -> None:
    """Both hands resting on the top rail of the chair in front. The arms reach forward, toward
    the viewer, so they are drawn short and nearly straight."""
    for side, sign in SIDES:
        tip = (sign * (CHAIR_HALF - 3.0), CHAIR_TOP + 3.0)
        wrist = add(tip, (0.0, HAND_FRONT))
        joints[f"elbow_{side}"] = add(lerp(joints[f"shoulder_{side}"], wrist, 0.5), (sign * 2.0, 0.0))
        joints[f"wrist_{side}"], joints[f"hand_{side}"] = wrist, tip


def _hold_counter(joints: Joints) -> None:
    """The right hand resting on a counter top beside the figure (on the picture's left), the
    elbow a little bent and out to the side; the left arm hangs as posed."""
    tip = (-COUNTER_NEAR - 6.0, COUNTER_TOP + 1.5)
    wrist = add(tip, (2.0, HAND_FRONT))
    elbows = [ik2(joints["shoulder_r"], wrist, UPPER_ARM, FOREARM, bend) for bend in (1.0, -1.0)]
    joints["elbow_r"] = min(elbows, key=lambda p: p[0])
    joints["wrist_r"], joints["hand_r"] = wrist, tip
