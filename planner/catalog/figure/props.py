"""Props of the side view, placed once for both panels (or held in a hand), and the props'
shapes the other views share (a chair, a wall edge-on, a mirror, a table, a cup)."""

from __future__ import annotations

from .body import HEAD_RADIUS_PROFILE
from .shapes import (
    BAND,
    PROP,
    PROP_EDGE,
    Point,
    Shape,
    add,
    circle,
    dist,
    line,
    mul,
    perp,
    poly,
    rect,
    sub,
    unit,
)
from .side_pose import HEAD_RESTS, HOLDS, LIMB_RADIUS, LYING, TRUNK_RADIUS, Placed, hold_point

CHAIR = "#a3acb5"
GLASS = "#e3eef7"
SCREEN = "#495057"  # a computer screen seen edge-on
KEYBOARD = "#dee2e6"  # a keyboard on the table, seen from its end
WOOD = "#c9b79c"
CHAIR_W = 6.0
TAPE, TAPE_EDGE = "#ffd43b", "#b08900"


def hatched_band(x0: float, x1: float, y0: float, y1: float) -> list[Shape]:
    """A wall seen edge-on: a light vertical band with diagonal hatching."""
    out: list[Shape] = [rect((x0, y0), (x1, y1), fill=PROP, stroke=None, width=0)]
    w = x1 - x0
    y = y0
    while y < y1 - 1:
        top = min(y + w, y1)
        out.append(line([(x0, y), (x0 + (top - y), top)], stroke=PROP_EDGE, width=1.5))
        y += 9
    out.append(line([(x1, y0), (x1, y1)], stroke=PROP_EDGE, width=2.5))
    out.append(line([(x0, y0), (x0, y1)], stroke=PROP_EDGE, width=1.5))
    return out


def chair_side(x_back: float, seat: float, depth: float, facing: int = 1) -> list[Shape]:
    """A chair in profile: back post, seat and two legs (facing +1 = seat toward +x)."""
    xf = x_back + depth * facing
    return [
        line([(x_back, 0), (x_back, seat + 44)], stroke=CHAIR, width=CHAIR_W),
        line([(x_back, seat), (xf, seat)], stroke=CHAIR, width=CHAIR_W + 1),
        line([(xf, seat), (xf, 0)], stroke=CHAIR, width=CHAIR_W),
    ]


def chair_front(x: float, top: float) -> list[Shape]:
    """A chair seen from the front or back: two back posts, the top rail and the seat rail."""
    seat = top - 44
    return [
        rect((x - 20, seat + 14), (x + 20, top), fill=PROP, stroke=None, width=0),
        line([(x - 20, 0), (x - 20, top)], stroke=CHAIR, width=CHAIR_W),
        line([(x + 20, 0), (x + 20, top)], stroke=CHAIR, width=CHAIR_W),
        line([(x - 23, top), (x + 23, top)], stroke=CHAIR, width=CHAIR_W + 1),
        line([(x - 23, seat), (x + 23, seat)], stroke=CHAIR, width=CHAIR_W + 1),
    ]


def mirror_shape(x0: float, x1: float, y0: float, y1: float) -> list[Shape]:
    """A framed mirror with a glint, on a small stand when it does not reach the floor."""
    out: list[Shape] = []
    mx = (x0 + x1) / 2
    if y0 > 2:
        out.append(line([(mx, 0), (mx, y0)], stroke=PROP_EDGE, width=3))
        out.append(line([(mx - 8, 0), (mx + 8, 0)], stroke=PROP_EDGE, width=3))
    out.append(rect((x0, y0), (x1, y1), fill=GLASS, stroke="#495057", width=3.0, r=2))
    w, h = x1 - x0, y1 - y0
    out.append(
        line(
            [(x0 + w * 0.25, y0 + h * 0.55), (x0 + w * 0.7, y0 + h * 0.85)],
            stroke="#ffffff",
            width=2.5,
        )
    )
    return out


def table_top(x0: float, x1: float, top: float) -> tuple[list[Shape], list[Shape]]:
    """Legs (drawn behind the figure) and the top (drawn in front of the legs)."""
    legs = [
        line([(x0 + 6, top), (x0 + 6, 0)], stroke=CHAIR, width=4),
        line([(x1 - 6, top), (x1 - 6, 0)], stroke=CHAIR, width=4),
    ]
    return legs, [rect((x0, top - 5), (x1, top), fill=WOOD, stroke="#8d7a5f", width=2, r=1.5)]


def _xs(*placed: Placed, keys: tuple[str, ...] | None = None) -> list[float]:
    """The x of the named joints (all joints when None) of placed poses."""
    out = []
    for p in placed:
        for k, q in p.joints.items():
            if keys is None or k in keys:
                out.append(q[0])
    return out


def scene_props(props: list[str], p0: Placed, p1: Placed, floor: float) -> dict[str, list[Shape]]:
    """Props fixed in the scene for the side view: back, mid (over the near leg), front."""
    back: list[Shape] = []
    mid: list[Shape] = []
    front: list[Shape] = []
    xs = _xs(p0, p1)
    head_rest = _head_rest(props, p0) if p0.base == "lying" else []
    xmin, xmax = min(xs + [q[0] for s in head_rest for q in s.points]), max(xs)  # the pillow on the mat
    sitting = p0 if p0.base == "sitting" else p1 if p1.base == "sitting" else None
    lying = p0.base in LYING
    on_bed = lying and "bed" in props
    if on_bed:
        back += bed_side(_xs(p0, keys=("head", "hip", "toe_r", "toe_l", "ankle_r", "knee_r")), floor)
    elif "mat" in props or (lying and "pillow" in props):
        back.append(rect((xmin - 2, floor - 5), (xmax + 1, floor), fill="#c5ccd3", r=2))
    back += head_rest
    if "step" in props:
        back += _step(p0, p1)
    if "tape" in props:  # a strip of tape on the floor, just in front of the standing feet
        x = max(_xs(p0, keys=("toe_r", "toe_l"))) + 10
        front.append(rect((x - 5, floor - 1), (x + 5, floor + 2.5), fill=TAPE, stroke=TAPE_EDGE, width=1.5))
    if "doorway" in props:  # the frame's far side seen edge-on, the forearms upright on its face
        x = min(p.joints[f"wrist_{s}"][0] for p in (p0, p1) for s in "rl") + LIMB_RADIUS
        back += hatched_band(x, x + DOOR_FRAME_DEPTH, 0, max(p.joints["head_top"][1] for p in (p0, p1)) + 4)
    if "wall" in props and not (_reaches_forward(p0) or _reaches_forward(p1)):
        x = xmin - 6 - (TRUNK_PAD if not lying else 0)
        back += hatched_band(x - 12, x, 0, 160)
    held = next((p.touch for p in (p0, p1) if p.touch in HOLDS), None)
    if "chair" in props and held == "chair_side":  # beside the figure, seen from its front
        x, top = hold_point(p0.joints, held, floor)
        back += chair_front(x - 4.0, top)
    elif "chair" in props and held == "chair_back":  # in front, the figure stands behind it
        x, top = hold_point(p0.joints, held, floor)
        back += chair_side(x, top - 44, 34)
    elif "chair" in props:
        if sitting is not None:
            hx, hy = sitting.joints["hip"]
            post = hx - 15 if "headrest" in props else _chair_back_clear(hx - 15, hy - 8.5 + 44, p0, p1)
            back += chair_side(post, hy - 8.5, 36)
            if "headrest" in props:  # a high back, reclined to meet the back of the head leaning on it
                head = p0.joints["head"]
                rest = (head[0] - HEAD_RADIUS_PROFILE - 4.0, head[1] + 2.0)
                back.append(
                    line([(hx - 15, hy + 30), rest, (rest[0] + 1.5, rest[1] + 14)], stroke=CHAIR, width=CHAIR_W)
                )
        else:
            # in front of the toes, and past a hand swung forward, so no arm seems to rest on it
            x = max(
                max(_xs(p0, p1, keys=("toe_r", "toe_l", "knee_r"))) + 18,
                max(_xs(p0, p1, keys=("hand_r", "hand_l"))) + 16,
            )
            back += chair_side(x, 46, 34)
    if "table" in props and held is not None:  # a long counter beside or in front, held on to
        x, top = hold_point(p0.joints, held, floor)
        x0, x1 = (xmin - 10, xmax + 10) if held == "chair_side" else (x - 10, x + 52)
        legs, top_s = table_top(x0, x1, top)
        back += legs + (top_s if held == "chair_side" else [])
        mid += [] if held == "chair_side" else top_s
    elif "table" in props:
        top, x0 = _table_place(p0, p1, sitting)
        legs, top_s = table_top(x0, x0 + 62, top)
        if "weight" in props:  # "Rest your forearm on the table with your hand over the edge": a table
            edge = min(p.joints["wrist_r"][0] for p in (p0, p1))  # beside the patient, ending at the wrist
            legs, top_s = table_top(edge - 62, edge, top)
            back += top_s
        back += legs
        mid += [] if "weight" in props else top_s
        if "slant_board" in props:  # a wedge (or a binder), its thick edge away, the paper on its slope
            low, high = (x0 + 4, top), (x0 + 44, top + SLANT_RISE)
            mid.append(poly([low, (high[0], top), high], fill=WOOD, stroke="#8d7a5f", width=1.5))
            if "pen_paper" in props:
                mid.append(line([add(low, (4, 1.6)), add(high, (-3, 1.2))], stroke="#ffffff", width=2.2))
        elif "pen_paper" in props:
            mid.append(rect((x0 + 6, top - 0.5), (x0 + 40, top + 1.5), fill="#ffffff",
                            stroke="#868e96", width=1.2))  # fmt: skip
    if "mirror" in props:
        hy = max(p0.joints["head"][1], p1.joints["head"][1])
        x = xmax + 22
        front += mirror_shape(x, x + 14, max(0.0, hy - 45), hy + 28)
    if "screen" in props and "table" in props and held is None:  # a computer screen on the far side of the table
        top, x0 = _table_place(p0, p1, sitting)
        eye = max(p0.joints["eye"][1], p1.joints["eye"][1])
        x = x0 + 54
        mid += [
            line([(x + 4, top), (x + 4, eye - 34)], stroke=PROP_EDGE, width=3),  # its stand
            line([(x - 6, top + 1), (x + 12, top + 1)], stroke=PROP_EDGE, width=3),
            rect((x, eye - 36), (x + 7, eye + 2), fill=SCREEN, stroke="#212529", width=2, r=1.5),
        ]
    if "keyboard" in props and "table" in props and held is None:  # flat on the table, under the fingers
        top, x0 = _table_place(p0, p1, sitting)
        mid += keyboard_side(max(p0.joints["hand_r"][0], x0 + 12), top)
    if "band" in props:
        anchor, door = _band_anchor(p0, p1)
        p0.band_anchor = p1.band_anchor = anchor
        if door:
            back += [rect((anchor[0], 0), (anchor[0] + 6, 150), fill=PROP, stroke=PROP_EDGE)]
    if "towel" in props and _holds_a_towel(p0) and _holds_a_towel(p1):  # "Hold a rolled towel in both hands"
        p0.towel_in_hands = p1.towel_in_hands = True
    if "cup" in props and "table" in props and _to_the_mouth(p0, p1):  # "bring your cup up to your mouth"
        p0.cup_in_hand = p1.cup_in_hand = True
    elif "cup" in props and "table" in props:
        top, _ = _table_place(p0, p1, sitting)
        x = max(p0.joints["hand_r"][0], p1.joints["hand_r"][0]) + 2
        mid += cup_side((x, top + 6.5))
    return {"back": back, "mid": mid, "front": front}


TRUNK_PAD = 2.0
DOOR_FRAME_DEPTH = 5.0  # a door frame seen from the side, behind the body: its facing board
SLANT_RISE = 12.0  # how much higher the far edge of a slant board is than its near edge


def keyboard_side(x: float, top: float) -> list[Shape]:
    """A keyboard lying on a table top, seen from its end: a low slab whose far edge stands a
    little higher, its keys a row of bumps on the slope; `x` is where the fingers rest."""
    near, far = x - 12.0, x + 10.0
    slab = [(near, top), (far, top), (far, top + 3.6), (near, top + 2.0)]
    keys = [rect((k, top + 2.0 + 1.6 * (k - near) / (far - near)), (k + 3.2, top + 3.6 + 1.6 * (k - near) / (far - near)),
                 fill="#868e96", stroke=None) for k in (near + 2.0, near + 7.0, near + 12.0, near + 17.0)]  # fmt: skip
    return [poly(slab, fill=KEYBOARD, stroke="#495057", width=1.2), *keys]


def _holds_a_towel(p: Placed) -> bool:
    """Whether a pose lying on the back lifts both arms alike off the bed (holding something
    between the hands), as against a towel rolled under the neck or along the spine."""
    a = p.angles
    return p.base == "lying" and a["shoulder_r"] == a["shoulder_l"] >= 10 and a["elbow_r"] == a["elbow_l"]


def _to_the_mouth(p0: Placed, p1: Placed) -> bool:
    """Whether a pose brings the near hand up to the mouth (a cup held to drink from)."""
    return any(dist(p.joints["hand_r"], p.joints["mouth"]) < 22 for p in (p0, p1))


def _reaches_forward(p: Placed) -> bool:
    return p.base == "standing" and p.angles["shoulder_r"] >= 55 and p.angles["elbow_r"] <= 110


def bed_side(xs: list[float], top: float) -> list[Shape]:
    """A bed seen from its long side: legs, a frame and a mattress, its top at height top."""
    x0, x1 = min(xs) - 16, max(xs) + 14
    frame = top - 13
    return [
        line([(x0 + 5, 0), (x0 + 5, frame)], stroke=CHAIR, width=CHAIR_W),
        line([(x1 - 5, 0), (x1 - 5, frame)], stroke=CHAIR, width=CHAIR_W),
        line([(x0 + 5, frame + 1), (x0 + 5, top + 10)], stroke=CHAIR, width=CHAIR_W),  # headboard
        rect((x0, frame - 4), (x1, frame + 1), fill=WOOD, stroke="#8d7a5f", width=2, r=1.5),
        rect((x0 + 1, frame + 1), (x1 - 1, top), fill="#eef1f4", stroke=PROP_EDGE, width=2, r=4),
    ]


def _table_place(p0: Placed, p1: Placed, sitting: Placed | None) -> tuple[float, float]:
    """The height of the table top and its near edge x, for the hands that use it."""
    ref = sitting or p0
    hip = ref.joints["hip"]
    rest = _resting_far_hand(p0, p1)
    if rest is not None:  # the far hand leans on the table while the near arm swings
        hand, swing = rest
        return hand[1] - LIMB_R_TABLE, max(hand[0] - 30, swing + 9)
    for p in (p0, p1):
        w = p.joints["wrist_r"]
        if p.base in ("standing", "sitting") and w[0] > hip[0] + 14 and 50 < w[1] < 100:
            return w[1] - 5.5, max(hip[0] + 22, w[0] - 34)
        w = p.joints["hand_l"]
        if p.base == "standing" and w[0] > hip[0] + 10 and w[1] < 100:
            return w[1] - 5.0, w[0] - 30
    if sitting is None:
        toes = _xs(p0, p1, keys=("toe_r", "toe_l", "knee_r", "knee_l"))
        return 92.0, max(toes) + 12
    return hip[1] + 26, hip[0] + 24


LIMB_R_TABLE = 4.5  # half the thickness of a hand resting on a table top


def _resting_far_hand(p0: Placed, p1: Placed) -> tuple[Point, float] | None:
    """The far hand, when it stays put in front of the hips while the near hand moves."""
    if p0.base != "standing" or p1.base != "standing":
        return None
    far0, far1 = p0.joints["hand_l"], p1.joints["hand_l"]
    near0, near1 = p0.joints["hand_r"], p1.joints["hand_r"]
    if dist(far0, far1) > 1.0 or dist(near0, near1) < 6.0:
        return None
    if far0[0] < p0.joints["hip"][0] + 10 or not 40 < far0[1] < 100:
        return None
    swing = max(p.joints[k][0] for p in (p0, p1) for k in ("hand_r", "wrist_r", "elbow_r"))
    return far0, swing


def _step(p0: Placed, p1: Placed) -> list[Shape]:
    """A step under a foot that lifts onto it, or under both feet."""
    for p in (p1, p0):  # a foot lifted onto the step
        for s in "rl":
            low = min(p.joints[f"heel_{s}"][1], p.joints[f"toe_{s}"][1])
            if low > 10:
                x = p.joints[f"heel_{s}"][0]
                top = low - 3.0
                return [rect((x - 8, 0), (x + 34, top), r=1.5)]
    xs = _xs(p0, keys=("heel_r", "heel_l", "toe_r", "toe_l"))
    top = min(p0.joints["heel_r"][1], p0.joints["toe_r"][1]) - 3.0
    return [rect((min(xs) - 4, 0), (max(xs) + 16, top), r=1.5)]


TOWEL, TOWEL_EDGE = "#f1e3c8", "#a08c6a"


def _folded_towel(low: Point, high: Point) -> list[Shape]:
    """A towel folded flat into a low pad (seen from its side: its folds as lines along it)."""
    (x0, y0), (x1, y1) = low, high
    out = [rect(low, high, fill=TOWEL, stroke=TOWEL_EDGE, r=1.2)]
    out.append(line([(x0 + 1.5, (y0 + y1) / 2), (x1 - 1.5, (y0 + y1) / 2)], stroke=TOWEL_EDGE, width=1))
    return out


CHAIR_CLEAR = 4.0  # how far a back leaning or slumping toward the chair's back stays off it


def _chair_back_clear(post: float, top: float, *placed: Placed) -> float:
    """The x of a chair's back post (up to height `top`) behind every sitting pose's back.

    "Sit near the front of a firm chair ... Slowly lean back ... Stop before your back touches the
    chair": the post stood 15 units behind the hip joint, so a back leaning 25 degrees (or rounded
    in a slump) was drawn through it. It moves back to leave CHAIR_CLEAR behind the back's furthest
    point below its top; an upright back keeps the usual seat. (A headrest the head leans on is
    drawn against the back on purpose: not here.)"""
    behind = post
    for p in placed:
        if p.base != "sitting":
            continue
        hip, mid, shoulder = p.joints["hip"], p.joints["spine_mid"], p.joints["shoulder"]
        for i in range(11):
            t = i / 10  # along the drawn spine: hip, the middle of the back, the shoulders
            a, b, u = (hip, mid, t * 2) if t <= 0.5 else (mid, shoulder, t * 2 - 1)
            x, y = a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u
            if y <= top:
                behind = min(behind, x - TRUNK_RADIUS - CHAIR_CLEAR)
    return behind


def _head_rest(props: list[str], p: Placed) -> list[Shape]:
    """The pillow or folded towel under the head of a figure lying on the back, where the start
    pose's head lies (it stays put while the head nods or lifts), as thick as the pose placed the
    head on it (side_pose.HEAD_RESTS); wider than the head, so it shows either side of it."""
    head, base = p.joints["head"], p.floor
    if "pillow" in props:
        top = base + HEAD_RESTS["pillow"]
        return [rect((head[0] - 13.0, base), (head[0] + 17.0, top), fill="#e6eaef", stroke=PROP_EDGE, width=1.5, r=3)]
    if "folded_towel" in props:
        return _folded_towel((head[0] - 13.0, base), (head[0] + 13.0, base + HEAD_RESTS["folded_towel"]))
    return []


def _band_anchor(p0: Placed, p1: Placed) -> tuple[Point, bool]:
    """Where the band is tied (a door for an arm pull, else under the foot) and whether to draw the door."""
    if p0.base in ("standing", "sitting", "kneeling") and p0.angles["shoulder_r"] >= 45:
        x = max(_xs(p0, p1, keys=("hand_r", "toe_r", "hand_l"))) + 22
        return (x, p0.joints["hand_r"][1]), True
    ft = p0.joints["toe_r"]
    return (ft[0] - 6, ft[1] - 1), False


def hand_prop(props: list[str], p: Placed, layer: str) -> list[Shape]:
    """Objects that move with the pose: in the near hand, under the neck, behind the back."""
    joints = p.joints
    out: list[Shape] = []
    lying = p.base in LYING
    if layer == "far":
        base = p.floor
        if "towel" in props and lying and not p.towel_in_hands:  # rolled under the curve of the neck
            neck = joints["neck_base"]
            out.append(circle((neck[0], base + 5.0), 5.5, fill="#f1e3c8", stroke="#a08c6a", width=2))
        if "folded_towel" in props and p.base == "prone":  # a flat pad under the forehead
            head = joints["head"]
            out += _folded_towel((head[0] - 13.0, base), (head[0] + 7.0, base + HEAD_RESTS["folded_towel"]))
        if "towel_spine" in props and lying:  # a bath towel rolled the long way, under the spine
            head, hip = joints["head"], joints["hip"]
            out.append(rect((head[0] - 2.0, base), (hip[0] + 4.0, base + 5.0), fill=TOWEL, stroke=TOWEL_EDGE, r=2.5))
        if "pillow" in props and lying and p.base != "lying":
            head = joints["head"]
            out.append(rect((head[0] - 19, base), (head[0] + 17, base + 15), fill="#e6eaef", r=6))
        if "pillow" in props and p.base == "lying" and 15 <= p.angles["knee_r"] < 45:
            # Knees a little bent, their feet off the floor: they rest on a pillow (a supported rest),
            # not held up by the patient. (From 45 degrees the feet stand flat: side.values.)
            knee = joints["knee_r"]
            out.append(rect((knee[0] - 22, base), (knee[0] + 12, max(base + 8, knee[1] - 4)), fill="#e6eaef", r=6))
        if "pillow" in props and p.base == "sitting":
            c = add(joints["hip"], (-9, 18))
            out.append(rect((c[0] - 5, c[1] - 10), (c[0] + 4, c[1] + 10), fill="#eef1f4", r=3))
        if "towel" in props and p.base == "sitting" and "band" not in props:
            c = add(joints["hip"], (-9, 14))
            out.append(circle(c, 5.0, fill="#f1e3c8", stroke="#a08c6a", width=2))
        if "towel" in props and p.base == "hands_knees":
            knee = joints["knee_r"]
            out.append(rect((knee[0] - 12, 0), (knee[0] + 12, 4), fill="#f1e3c8", stroke="#a08c6a"))
        if "ball" in props and "wall" in props:
            c = add(joints["chest"], (-18, -12))
            out.append(circle(c, 9, fill="#e7f5ff", stroke="#5c7f99", width=2.5))
        return out
    hand, wrist = joints["hand_r"], joints["wrist_r"]
    d = unit(sub(hand, wrist))  # along the hand
    n = perp(d)  # across the palm
    if "band" in props:
        anchor = p.band_anchor or (joints["toe_r"][0] - 6, 0.0)
        out.append(line([anchor, hand], stroke=BAND, width=3.5))
    if "wall" in props and _reaches_forward(p):
        x = max(joints["hand_r"][0], joints["hand_l"][0]) + 2
        out += hatched_band(x, x + 12, 0, 165)
    if "weight" in props:
        a, b = add(hand, mul(n, 7)), add(hand, mul(n, -7))
        out.append(line([a, b], stroke="#495057", width=3))
        for q in (a, b):
            out.append(line([add(q, mul(d, -4)), add(q, mul(d, 4))], stroke="#495057", width=6))
    if "cup" in props and ("table" not in props or p.cup_in_hand):
        out += cup_side(add(hand, (3, -6)))
    if "pen_paper" in props:
        out.append(line([add(hand, mul(d, -3)), add(hand, (6, -9))], stroke="#343a40", width=2.5))
    if "ball" in props and not lying and "wall" not in props:
        out.append(circle(add(hand, mul(d, 4)), 7.5, fill="#e7f5ff", stroke="#5c7f99", width=2.5))
    if p.towel_in_hands:  # the roll across both hands, seen end-on
        out.append(circle(add(hand, mul(d, 2)), 6.0, fill="#f1e3c8", stroke="#a08c6a", width=2))
    if "towel" in props and p.base == "standing":
        out.append(rect(add(hand, (-3, -22)), add(hand, (3, 2)), fill="#f1e3c8",
                        stroke="#a08c6a", width=1.5))  # fmt: skip
    return out


def cup_side(c: Point) -> list[Shape]:
    x, y = c
    return [
        poly(
            [(x - 5, y + 7), (x + 5, y + 7), (x + 4, y - 6), (x - 4, y - 6)], fill=PROP, stroke=PROP_EDGE, width=2
        ),  # fmt: skip
    ]
