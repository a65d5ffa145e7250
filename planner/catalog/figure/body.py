"""The body's measurements: one adult of about 170 cm, in model units (about centimetres).

Every view poses the same body. A few parts are drawn a little differently per view: the head
seen from the front is larger, to carry a face, and a foot seen from the front is short because
it points toward the viewer.
"""

from __future__ import annotations

from collections.abc import Mapping

TRUNK = 52.0  # hip joint to the top of the shoulders
NECK = 6.0  # base of the neck to the skull
UPPER_ARM = 29.0  # shoulder to elbow
FOREARM = 25.0  # elbow to wrist
THIGH = 43.0  # hip to knee
SHIN = 42.0  # knee to ankle
SEAT_HEIGHT = 47.0  # hip joint above the floor when sitting on a chair

# Seen from the side (the side view)
HEAD_RADIUS_PROFILE = 12.5
HAND_PROFILE = 9.0  # wrist to fingertips
FOOT_PROFILE = 14.0  # ankle to toes
HEEL = 4.0  # ankle to the back of the heel

# Seen from the front (the front view and the lying views)
HEAD_RADIUS_FRONT = 14.0
HAND_FRONT = 8.0  # wrist to fingertips
FOOT_FRONT = 8.0  # ankle to toes, the foot turned a little out
SHOULDER_HALF_WIDTH = 17.0  # the body's midline to each shoulder
HIP_HALF_WIDTH = 8.5  # the midline to each hip joint
WAIST_HALF_WIDTH = 12.0  # the midline to the side of the waist

# The joints the body has one of on each side ("elbow_r", "elbow_l"); the others are single
# ("pelvis", "neck_top", "head").
PAIRED_JOINTS = ("shoulder", "elbow", "wrist", "hip", "knee", "ankle")


def turning(joints: Mapping[str, tuple[str, str, float]], key: str) -> tuple[str, str, str, float] | None:
    """What the arrow of the pose key `key` follows, from a view's table (name -> the joint it
    turns at, the point that moves, how far out the arrow runs): (the key's name without its
    side, that joint, that point, that distance), a paired joint taken on the key's side
    ("elbow_r" -> ("elbow", "elbow_r", "wrist_r", 8.0)); None for a name the table lacks."""
    name, side = (key[:-2], key[-2:]) if key[-2:] in ("_r", "_l") else (key, "")
    if name not in joints:
        return None
    pivot, moving, extra = joints[name]
    pivot, moving = (j + side if j in PAIRED_JOINTS else j for j in (pivot, moving))
    return name, pivot, moving, extra
