"""The body's measurements: one adult of about 170 cm, in model units (about centimetres).

Every view poses the same body. A few parts are drawn a little differently per view: the head
seen from the front is larger, to carry a face, and a foot seen from the front is short because
it points toward the viewer.
"""

from __future__ import annotations

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
