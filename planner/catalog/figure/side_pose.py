"""The side view's posing: a pose's angles -> joint positions, by forward kinematics.

The figure faces to the right of the picture. Model units are about centimetres (body.py), y
points up. Joints are named as the body's landmarks: hip (the hip joint, the origin before the
figure is placed), neck_base, neck_top, shoulder, chest, spine_mid (the middle of the back), head
(its centre), head_top, face, eye, mouth, and per side (`_r` the patient's right, near the viewer;
`_l` the left, far): elbow, wrist, hand (fingertips), knee, ankle, toe, heel.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from .body import (
    FOOT_PROFILE,
    FOREARM,
    HAND_PROFILE,
    HEAD_RADIUS_PROFILE,
    HEEL,
    NECK,
    SEAT_HEIGHT,
    SHIN,
    THIGH,
    TRUNK,
    UPPER_ARM,
)
from .shapes import Point, add, dot, ik2, lerp, limb, mul, perp, sub, unit
from .spec import Pose

Joints = dict[str, Point]  # joint name (see the module docstring) -> position, model units, y up
SIDES = ("r", "l")  # the patient's right and left, as the pose keys end

LIMB_RADIUS, TRUNK_RADIUS = 3.8, 8.5  # half the drawn thickness of a limb and of the trunk
SPINE_BOW = 9.0  # how far the middle of the back moves out at spine_curve = 1
BRIDGE_LIFT = 26.0  # how far the hips rise at pelvis_lift = 1 (the feet stay put)
BELLY_RISE = 5.0  # how far the belly rises at belly = 1 (a breath in, down into the belly)
BELLY_AT = 0.34  # the belly's height up the trunk, where a hand rests on it
# What the head lies on (its height over the mat, pressed under the head): "Rest your head on a
# thin pillow" / "on a folded towel" on the back, "your forehead on a folded towel" face down.
# Drawn by props (scene_props on the back, hand_prop face down).
HEAD_RESTS = {"pillow": 7.0, "folded_towel": 6.0}

# base -> (trunk tilt forward in degrees, how the body lies, natural joint angles on both sides)
BASES: dict[str, tuple[float, str | None, dict[str, float]]] = {
    "standing": (0, None, {}),
    "sitting": (0, None, {"hip": 90, "knee": 90}),
    "lying": (0, "back", {}),
    "prone": (0, "front", {"ankle": -75}),  # the feet's tops toward the mat, the toes resting on it
    "side_lying": (0, "back", {"hip": 35, "knee": 50, "shoulder": 35, "elbow": 40}),
    "hands_knees": (90, None, {"hip": 90, "knee": 90, "shoulder": 90, "ankle": -90}),
    "kneeling": (0, None, {"knee": 90, "ankle": -90}),
}
LYING = ("lying", "prone", "side_lying")
# Every number of the view (docs/catalog-format.md, view = "side"): joint angles in degrees
# (shoulder, hip: flexion; elbow, knee: flexion; wrist: + the hand bends back; ankle: + toes up;
# head_nod: + chin down; trunk_lean: + forward; leg_lift: hip abduction of the top leg;
# knee_open: the top knee turns out, the clamshell) and slides as fractions (head_forward,
# shrug, pelvis_lift: the bridge, spine_curve: + the back rounds out).
NUMERIC = (
    "head_nod", "head_forward", "trunk_lean", "shrug", "pelvis_lift", "spine_curve", "belly",
    "leg_lift", "knee_open",
    "shoulder_r", "shoulder_l", "elbow_r", "elbow_l", "wrist_r", "wrist_l",
    "hip_r", "hip_l", "knee_r", "knee_l", "ankle_r", "ankle_l",
)  # fmt: skip


@dataclass(frozen=True)
class SidePose:
    """A side-view pose with every number filled in.

    base: the starting position (standing, sitting, lying, prone, side_lying, hands_knees,
    kneeling); angles: every key of NUMERIC (degrees, or a fraction for a slide).
    """

    base: str
    angles: dict[str, float]


def values(pose: Pose) -> SidePose:
    """The base and every angle of a catalog pose, the base's natural angles filled in."""
    base = str(pose.get("base", "standing"))
    angles = {key: 0.0 for key in NUMERIC}
    for joint, angle in BASES[base][2].items():
        angles[f"{joint}_r"] = angles[f"{joint}_l"] = float(angle)
    for key in NUMERIC:
        if key in pose:
            angles[key] = float(pose[key])
    if base in LYING:
        for side in SIDES:  # a bent knee puts the foot flat on the floor
            knee, hip = angles[f"knee_{side}"], angles[f"hip_{side}"]
            if f"ankle_{side}" not in pose and knee >= 45 and hip <= 80:
                angles[f"ankle_{side}"] = max(-45.0, min(0.0, knee - hip - 90))
    return SidePose(base, angles)


def _lay_down(kind: str | None) -> Callable[[Point], Point]:
    """The turn from an upright body to one lying down (None: not lying)."""
    if kind == "back":  # lying on the back, head to the left, front up
        return lambda p: (-p[1], p[0])
    if kind == "front":  # on the stomach, head to the left, front down
        return lambda p: (-p[1], -p[0])
    return lambda p: p


def kinematics(base: str, angles: dict[str, float], touch: str = "none", head_rest: float = 0.0) -> Joints:
    """Joint positions (hip at the origin, floor not yet applied); head_rest: the height of what
    the head lies on over the mat lying on the back or face down (head_rest_height)."""
    tilt, lies, _ = BASES[base]
    lean = tilt + angles["trunk_lean"]
    lift = angles["pelvis_lift"] if base in LYING else 0.0
    bridge_tilt = math.degrees(math.asin(min(0.9, lift * BRIDGE_LIFT / TRUNK)))
    lean -= bridge_tilt
    joints: Joints = {"hip": (0.0, 0.0)}
    up = limb(180 - lean)
    forward = limb(90 - lean)
    joints["neck_base"] = mul(up, TRUNK + 2)
    joints["shoulder"] = add(mul(up, TRUNK - 3), mul(up, angles["shrug"] * 7))
    joints["chest"] = add(mul(up, TRUNK * 0.62), mul(forward, TRUNK_RADIUS))
    # the belly rises with a breath in (belly): its front, and the trunk's front below and above it
    front = TRUNK_RADIUS - 1.0
    joints["belly"] = add(mul(up, TRUNK * BELLY_AT), mul(forward, front + angles["belly"] * BELLY_RISE))
    joints["belly_low"] = add(mul(up, TRUNK * 0.14), mul(forward, front))
    joints["belly_high"] = add(mul(up, TRUNK * 0.56), mul(forward, front))
    # the middle of the back: + rounds it out behind (cat, slump), - hollows it (sag)
    joints["spine_mid"] = add(mul(joints["shoulder"], 0.5), mul(forward, -SPINE_BOW * angles["spine_curve"]))
    nod = angles["head_nod"]
    poke = angles["head_forward"]
    neck_dir = limb(180 - lean - nod * 0.45 - poke * 30)
    joints["neck_top"] = add(add(joints["neck_base"], mul(neck_dir, NECK)), mul(forward, poke * 8))
    head_axis = limb(180 - lean - nod)
    head_r = HEAD_RADIUS_PROFILE
    joints["head"] = add(joints["neck_top"], mul(head_axis, head_r * 0.85))
    joints["head_top"] = add(joints["head"], mul(head_axis, head_r))
    joints["face"] = add(joints["head"], mul(limb(90 - lean - nod), head_r))
    joints["eye"] = add(add(joints["head"], mul(limb(90 - lean - nod), head_r * 0.55)), mul(head_axis, 2.5))
    joints["mouth"] = add(joints["face"], mul(head_axis, -head_r * 0.45))
    if base == "lying":
        _head_on_the_mat(joints, forward, head_rest)
    if base == "prone":
        _face_down_on_the_mat(joints, forward, head_rest)
    for side in SIDES:
        arm = -lean + angles[f"shoulder_{side}"] - bridge_tilt  # degrees from straight down
        joints[f"elbow_{side}"] = add(joints["shoulder"], limb(arm, UPPER_ARM))
        arm += angles[f"elbow_{side}"]
        joints[f"wrist_{side}"] = add(joints[f"elbow_{side}"], limb(arm, FOREARM))
        arm += angles[f"wrist_{side}"]
        joints[f"hand_{side}"] = add(joints[f"wrist_{side}"], limb(arm, HAND_PROFILE))
        thigh = -tilt + angles[f"hip_{side}"]
        joints[f"knee_{side}"] = limb(thigh, THIGH)
        shin = thigh - angles[f"knee_{side}"]
        joints[f"ankle_{side}"] = add(joints[f"knee_{side}"], limb(shin, SHIN))
        foot = shin + 90 + angles[f"ankle_{side}"]
        if lift:  # bridging: the feet stay where they were, the knees follow
            target = sub(joints[f"ankle_{side}"], (lift * BRIDGE_LIFT, 0.0))
            joints[f"knee_{side}"] = ik2(joints["hip"], target, THIGH, SHIN, 1.0)
            joints[f"ankle_{side}"] = target
        joints[f"toe_{side}"] = add(joints[f"ankle_{side}"], limb(foot, FOOT_PROFILE))
        joints[f"heel_{side}"] = add(joints[f"ankle_{side}"], limb(foot, -HEEL))
    if base == "lying":
        _feet_on_the_mat(joints, angles)
    if touch in ("forehead", "back_of_head"):
        _touch_head(joints, touch)
    if touch in ("belly", "belly_chest", "upper_chest"):
        _rest_on_trunk(joints, up, forward, touch, angles["belly"] * BELLY_RISE)
    lay_down = _lay_down(lies)
    return {name: lay_down(p) for name, p in joints.items()}


HEAD_POINTS = ("neck_top", "head", "head_top", "face", "eye", "mouth")
FLAT_FOOT = 10.0  # degrees: a sole within this of level stands flat


def _back(joints: Joints) -> float:
    """How high the back lies (before the body is laid down, a joint's x is its height)."""
    return min(joints["hip"][0] - TRUNK_RADIUS, joints["shoulder"][0] - TRUNK_RADIUS * 0.8)


def _head_on_the_mat(joints: Joints, forward: Point, rest: float = 0.0) -> None:
    """On the back, the head rests on the mat level with the back, never below it, or on top of
    the pillow or folded towel under it (`rest` units thick), never sunk into it.

    The head is drawn round the trunk's middle line and is wider than the trunk, so it hung 4
    units below the back and held the back off the mat. It moves forward (up) by the difference;
    a head tipped or slid back (a nod up, a chin tuck) rests on the mat too, the neck bending.
    A pillow had been drawn behind the head, the head on the mat in front of it: the head now
    lies on it, the neck rising a little from the shoulders as it does on a pillow.
    """
    lift = HEAD_RADIUS_PROFILE - TRUNK_RADIUS
    lift += max(0.0, _back(joints) + rest - (joints["head"][0] + lift * forward[0] - HEAD_RADIUS_PROFILE))
    for name in HEAD_POINTS:
        joints[name] = add(joints[name], mul(forward, lift))


def _face_down_on_the_mat(joints: Joints, forward: Point, rest: float = 0.0) -> None:
    """On the stomach, the head rests on the mat (or the folded towel under the forehead, `rest`
    units thick) with the chest and belly on the mat, never below them.

    The head is wider than the trunk and drawn round its middle line, so it hung 4 units below
    the chest; with the feet standing on their toes it held the trunk 9 units over the mat. Before
    the body is laid down, forward (the front) is down: the head moves back (up) by what it hangs
    below the chest's front, and the towel's thickness, as the back of the head does on its back
    (_head_on_the_mat); a head slid back or lifted ("lift your head just off the towel") keeps its
    lift over that, a head tipped down rests on the towel too.
    """
    front = max(joints["hip"][0] + TRUNK_RADIUS, joints["shoulder"][0] + TRUNK_RADIUS * 0.8)
    lift = HEAD_RADIUS_PROFILE - TRUNK_RADIUS + rest
    lift += max(0.0, joints["head"][0] - lift * forward[0] + HEAD_RADIUS_PROFILE - (front - rest))
    for name in HEAD_POINTS:
        joints[name] = add(joints[name], mul(forward, -lift))


def _flat_feet(angles: dict[str, float]) -> list[str]:
    """The sides whose foot stands flat (a bent knee, the sole level) in a pose lying on the back."""
    flat = []
    for side in SIDES:
        sole = angles[f"hip_{side}"] - angles[f"knee_{side}"] + 90 + angles[f"ankle_{side}"]
        if angles[f"knee_{side}"] >= 45 and abs((sole + 180) % 360 - 180) <= FLAT_FOOT:
            flat.append(side)
    return flat


def _feet_on_the_mat(joints: Joints, angles: dict[str, float]) -> None:
    """Stand the flat feet of a pose lying on the back on what the back and head lie on.

    Before the body is laid down, a joint's x is its height. The legs hang from the hip joint on
    the trunk's middle line, so bent knees held up the flat feet about 10 units over the mat. The
    lowest flat foot is brought down (or up) to the mat; every flat foot moves by as much, so a
    foot lifted "a few inches" (the march, the dead bug) stays that high over the mat. The knee
    follows (it still bends up), the sole stays level.
    """
    flat = _flat_feet(angles)
    if not flat:
        return
    mat = min(_back(joints), joints["head"][0] - HEAD_RADIUS_PROFILE)

    def sole(side: str) -> float:
        return min(
            joints[f"ankle_{side}"][0] - LIMB_RADIUS,
            *(joints[f"{part}_{side}"][0] - LIMB_RADIUS * 0.8 for part in ("heel", "toe")),
        )

    drop = min(sole(side) for side in flat) - mat
    for side in flat:
        ankle = sub(joints[f"ankle_{side}"], (drop, 0.0))
        knees = [ik2(joints["hip"], ankle, THIGH, SHIN, bend) for bend in (1.0, -1.0)]
        joints[f"knee_{side}"] = max(knees, key=lambda k: k[0])  # the knee up, toward the ceiling
        for part in ("ankle", "toe", "heel"):
            joints[f"{part}_{side}"] = sub(joints[f"{part}_{side}"], (drop, 0.0))


def _touch_head(joints: Joints, touch: str) -> None:
    """Put the right palm flat on the forehead, or both hands on the back of the head."""
    centre = joints["head"]
    axis, face = unit(sub(joints["head_top"], centre)), unit(sub(joints["face"], centre))
    toward = 1.0 if touch == "forehead" else -1.0
    out = mul(face, toward * (HEAD_RADIUS_PROFILE + 3.0))
    tip = add(add(centre, out), mul(axis, HEAD_RADIUS_PROFILE * 0.65))
    wrist = add(add(centre, out), mul(axis, HEAD_RADIUS_PROFILE * 0.65 - HAND_PROFILE))
    elbows = [ik2(joints["shoulder"], wrist, UPPER_ARM, FOREARM, bend) for bend in (1.0, -1.0)]
    # the elbow hangs down in front for the forehead and points back for the back of the head,
    # so the arm never crosses the face
    elbow = min(elbows, key=lambda e: e[1]) if touch == "forehead" else min(elbows, key=lambda e: e[0])
    for side in SIDES if touch == "back_of_head" else ("r",):
        joints[f"elbow_{side}"], joints[f"wrist_{side}"], joints[f"hand_{side}"] = elbow, wrist, tip


def _rest_on_trunk(joints: Joints, up: Point, forward: Point, touch: str, rise: float = 0.0) -> None:
    """The right palm flat on the belly (and with belly_chest the left on the chest; with
    upper_chest both hands crossed below the collarbones): the elbow
    rests beside the waist, the forearm comes over the front of the trunk (seen short). The hand
    on the belly rises with it by `rise` (a breath in)."""
    places = {
        "belly": (("r", BELLY_AT, 0.12),),
        "belly_chest": (("r", BELLY_AT, 0.12), ("l", 0.68, 0.5)),
        # both hands crossed just below the collarbones, holding the chest down (a look-up stretch)
        "upper_chest": (("r", 0.86, 0.5), ("l", 0.82, 0.46)),
    }[touch]
    for side, height, elbow_height in places:
        surface = add(mul(up, TRUNK * height), mul(forward, TRUNK_RADIUS + 1.5 + (rise if height == BELLY_AT else 0.0)))
        wrist = add(surface, mul(up, -HAND_PROFILE * 0.5))
        joints[f"elbow_{side}"] = add(mul(up, TRUNK * elbow_height), mul(forward, TRUNK_RADIUS * 0.2))
        joints[f"wrist_{side}"], joints[f"hand_{side}"] = wrist, add(wrist, mul(up, HAND_PROFILE))


@dataclass
class Placed:
    """A pose placed in the scene: its base, angles and joints, where the hands rest, the floor."""

    base: str
    angles: dict[str, float]
    joints: Joints = field(default_factory=dict)
    touch: str = "none"
    floor: float = 0.0  # what the figure lies or stands on (a bed top when on a bed)
    band_anchor: Point | None = None  # where an exercise band is tied, once the scene has placed it
    cup_in_hand: bool = False  # the cup is held (brought up to the mouth), not standing on the table
    towel_in_hands: bool = False  # a rolled towel held in both hands (lying, both arms lifted alike)


def _contact(base: str, joints: Joints) -> list[tuple[Point, float]]:
    """The points (with their radius) that rest on the floor in a base."""
    feet = [(joints[f"{name}_{side}"], LIMB_RADIUS * 0.8) for name in ("toe", "heel", "ankle") for side in SIDES]
    if base == "standing":
        return feet
    if base in ("hands_knees", "kneeling"):
        hands = [(joints[f"{name}_{side}"], LIMB_RADIUS) for name in ("hand", "wrist") for side in SIDES]
        knees = [(joints[f"knee_{side}"], LIMB_RADIUS) for side in SIDES]
        return feet + knees + (hands if base == "hands_knees" else [])
    # the head and the trunk lie on their round outlines: the face's and the belly's points (face
    # down) are marks inside them, not limbs under them
    inside = ("chest", "hip", "belly", "belly_low", "belly_high", *HEAD_POINTS)
    points = [(p, LIMB_RADIUS) for name, p in joints.items() if name not in inside]
    return points + [
        (joints["head"], HEAD_RADIUS_PROFILE),
        (joints["hip"], TRUNK_RADIUS),
        (joints["shoulder"], TRUNK_RADIUS * 0.8),
    ]


def head_rest_height(props: list[str], base: str) -> float:
    """How high what the head lies on stands over the mat (units): a pillow or a folded towel
    under the head lying on the back, a folded towel under the forehead face down; 0.0 else."""
    if base == "prone":
        return HEAD_RESTS["folded_towel"] if "folded_towel" in props else 0.0
    if base != "lying":
        return 0.0
    return max((HEAD_RESTS[prop] for prop in props if prop in HEAD_RESTS), default=0.0)


def place(pose: Pose, feet_mode: bool, floor: float, on_bed: bool = False, head_rest: float = 0.0) -> Placed:
    """A catalog pose stood, sat or laid on the floor (y = floor).

    feet_mode: the feet stay put (a rise from a chair is drawn on the feet); on_bed: the trunk
    and head lie on a bed top at `floor`; head_rest: lying down, the head lies on a pillow
    or towel this high (head_rest_height).
    """
    posed = values(pose)
    base, angles = posed.base, posed.angles
    touch = str(pose.get("touch", "none"))
    joints = kinematics(base, angles, touch, head_rest)
    if base == "sitting" and not feet_mode:
        dx, dy = 0.0, SEAT_HEIGHT + floor
    else:
        contact = _contact(base, joints)
        if on_bed:  # the trunk and head lie on the bed; a leg may hang over its edge
            contact = [
                (joints[name], radius)
                for name, radius in (("head", HEAD_RADIUS_PROFILE), ("hip", TRUNK_RADIUS), ("shoulder", TRUNK_RADIUS))
            ]
        low = min(p[1] - radius for p, radius in contact)
        dy = floor - low
        if base == "sitting":
            dy = SEAT_HEIGHT + floor
        if base in ("standing", "sitting", "kneeling") or feet_mode:
            if base in ("hands_knees", "kneeling"):
                ref = joints["knee_r"]
            else:  # the foot that moves least stays put
                still = min("lr", key=lambda s: abs(angles[f"hip_{s}"]) + abs(angles[f"knee_{s}"]) * 0.5)
                ref = joints[f"ankle_{still}"]
                if base == "sitting":
                    ref = add(joints["hip"], (THIGH, 0.0))
            dx = -ref[0]
        else:
            dx = -joints["knee_r"][0] if base == "hands_knees" else 0.0
    joints = {name: (p[0] + dx, p[1] + dy) for name, p in joints.items()}
    if touch in HOLDS and base == "standing":
        _hold_chair(joints, touch, floor)
    if touch == "door_frame" and base == "standing":
        _on_the_door_frame(joints)
    return Placed(base, angles, joints, touch, floor)


# Standing in a doorway, the forearms on the frame on each side, the elbows a little lower than
# the shoulders: the frame's face where they rest (x, the standing foot at 0) is just behind the
# upright head, so the near forearm stands beside it, not over the face.
DOOR_FRAME_X, ELBOW_UNDER_SHOULDER = -(HEAD_RADIUS_PROFILE + LIMB_RADIUS), 5.0


def _on_the_door_frame(joints: Joints) -> None:
    """Both forearms upright on the door frame, the elbows a little lower than the shoulders.

    Seen from the side the arms go out to the sides, toward the viewer and away: standing in the
    doorway the upper arm is seen end-on (the elbow just under the shoulder); once the chest leans
    forward through the doorway it reaches back from the shoulder to the frame, seen as long as it
    comes back (never longer than it is), the forearm and hand upright on the frame.
    """
    for side in SIDES:
        sx, sy = joints["shoulder"]
        back = min(max(sx - DOOR_FRAME_X, 0.0), UPPER_ARM * 0.95)
        elbow = (sx - back, sy - ELBOW_UNDER_SHOULDER)
        joints[f"elbow_{side}"] = elbow
        joints[f"wrist_{side}"] = add(elbow, (0.0, FOREARM))
        joints[f"hand_{side}"] = add(elbow, (0.0, FOREARM + HAND_PROFILE))


# Holding on while standing: both hands on the top of a chair back in front (or a counter top),
# or the far hand on a chair beside. Model units, the standing foot at x 0, y up.
HOLDS = ("chair_back", "chair_side")
CHAIR_BACK_X, CHAIR_TOP = 32.0, 90.0


def hold_point(joints: Joints, touch: str, floor: float = 0.0) -> Point:
    """Where the held chair's top rail is for a placed pose: (x, y) in model units, y up."""
    if touch == "chair_side":
        return (joints["hip"][0] + 4.0, CHAIR_TOP + floor)
    return (CHAIR_BACK_X, CHAIR_TOP + floor)


def _hold_chair(joints: Joints, touch: str, floor: float) -> None:
    """Rest the hands on the chair's top rail; the arms reach it whatever the legs do."""
    x, top = hold_point(joints, touch, floor)
    for side in SIDES if touch == "chair_back" else ("l",):
        tip = (x + 3.0, top + LIMB_RADIUS)
        wrist = (tip[0] - HAND_PROFILE * 0.9, tip[1] + HAND_PROFILE * 0.45)
        elbows = [ik2(joints["shoulder"], wrist, UPPER_ARM, FOREARM, bend) for bend in (1.0, -1.0)]
        joints[f"elbow_{side}"] = min(elbows, key=lambda e: e[0])  # the elbow bends back, never forward
        joints[f"wrist_{side}"], joints[f"hand_{side}"] = wrist, tip


BED_MIN = 46.0  # the height of a bed top


def bed_top(poses: list[Pose]) -> float:
    """A bed high enough for a hanging leg to stay off the floor (model units)."""
    low = min(p[1] - LIMB_RADIUS for pose in poses for p in place(pose, False, 0.0, True).joints.values())
    return max(BED_MIN, -low + 3.0)


def back_direction(joints: Joints) -> Point:
    """Unit vector square to the trunk, out of the back (away from the chest)."""
    normal = perp(unit(sub(joints["shoulder"], joints["hip"])))
    mid = lerp(joints["hip"], joints["shoulder"], 0.5)
    return mul(normal, -1) if dot(normal, sub(joints["chest"], mid)) > 0 else normal
