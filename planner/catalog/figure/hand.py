"""The hand view: a right hand from the palm side, fingers up (or from the thumb side)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

from .props import WOOD
from .shapes import (
    INK,
    PROP,
    PROP_EDGE,
    SKIN,
    Point,
    Shape,
    add,
    arc,
    arc_arrow,
    arrow_along,
    bow_arrow,
    circle,
    dist,
    ellipse_pts,
    ik2,
    lerp,
    line,
    map_shape,
    mul,
    poly,
    rect,
    rot,
    sub,
    unit,
)
from .spec import WRIST_BACK, Picture, Pose
from .view import ViewDrawing

BOX = (-88.0, -88.0, 88.0, 86.0)
W_OUT, W_IN = 17.0, 11.0  # finger outline and fill widths
DEFAULTS = {"hand": "open", "thumb_touch": 1, "wrist": 0.0, "forearm_turn": "palm_up",
            "object": "none"}  # fmt: skip
FINGERS = ("index", "middle", "ring", "little")
BASE = {"index": (20.0, 2.0), "middle": (6.5, 4.0), "ring": (-7.0, 3.0), "little": (-20.0, 0.0)}
LEN = {"index": (26.0, 20.0), "middle": (29.0, 22.0), "ring": (27.0, 20.0), "little": (21, 16.0)}
THUMB_BASE, T1, T2 = (22.0, -38.0), 22.0, 19.0
PEN = "#343a40"
WRIST = (-12.0, -8.0)  # in the thumb-side view
FOREARM_HALF = 15.0  # half the drawn width of the forearm seen from the thumb side

# hand shape -> finger -> (degrees from vertical, + toward the little finger; curl at the
# knuckle and at the middle joint, 0 straight .. 1 fully bent)
POSES: dict[str, dict[str, tuple[float, float, float]]] = {
    "open": {"index": (-7, 0, 0), "middle": (-2, 0, 0), "ring": (3, 0, 0), "little": (8, 0, 0)},
    "flat": {"index": (-1, 0, 0), "middle": (0, 0, 0), "ring": (1, 0, 0), "little": (2, 0, 0)},
    "spread": {"index": (-20, 0, 0), "middle": (-6, 0, 0), "ring": (8, 0, 0), "little": (22, 0, 0)},  # fmt: skip
    "fist": {f: (0, 0.8, 1.0) for f in FINGERS},
    "hook": {f: (0, 0.0, 1.0) for f in FINGERS},
    "cup_grip": {f: (0, 0.3, 0.55) for f in FINGERS},
    "pinch": {
        "index": (-10, 0.3, 0.3),
        "middle": (-2, 0.1, 0.15),
        "ring": (3, 0.1, 0.15),
        "little": (8, 0.1, 0.15),
    },  # fmt: skip
    "thumb_touch": {
        "index": (-7, 0, 0.1),
        "middle": (-2, 0, 0.1),
        "ring": (3, 0, 0.1),
        "little": (8, 0, 0.1),
    },  # fmt: skip
    "pen_grip": {
        "index": (-8, 0.2, 0.2),
        "middle": (-4, 0.3, 0.3),
        "ring": (0, 0.8, 1.0),
        "little": (0, 0.8, 1.0),
    },  # fmt: skip
    "pen_between": {  # the pen lies in the gap between the first and middle fingers
        "index": (-12, 0.1, 0.15),
        "middle": (3, 0.1, 0.15),
        "ring": (2, 0.6, 0.8),
        "little": (2, 0.6, 0.8),
    },  # fmt: skip
    "key_pinch": {f: (0, 0.7, 0.85) for f in FINGERS},  # a loose fist; the thumb on the first finger's side
}
POSES["thumb_across"] = POSES["open"]  # fingers still and loose, the thumb over the palm
THUMB = {"open": -45, "flat": -12, "spread": -72, "hook": -35, "cup_grip": -38}
BAND_COLOR = "#e8590c"
LETTER = "#0a58ca"  # the path a letter drawn on the palm takes
GLASS, LID = "#e3eef7", "#adb5bd"
FROM_THUMB_SIDE = ("thumb_up", "hanging")  # the forearm turns drawn from the thumb side
FOAM, FOAM_EDGE = "#ffd8a8", "#d9480f"  # a foam tube slid over a pen
LYING_TURNS = ("palm_up", "palm_down")  # named in a pose: the forearm lies on the table, seen from above
TABLE_TOP, TABLE_GRAIN = "#e9dcc6", "#cdb99a"  # the table top seen from above: paler than WOOD edge-on
TABLE_SHADOW, SHADOW_AT = "#c2ad8a", (5.0, -5.0)  # a hand lying on the table top: its shadow, offset
PAPER_TOP = WRIST[1] - 18.0  # the paper's top under a hand seen from the thumb side (its side rests on it)
# With a pen, held or put down, a hand seen from the thumb side at a table rests the side of the hand
# on the paper there, as in writing (the table under the whole hand, not only under the forearm).
WRITING_PENS = ("pen", "pen_thick")
# A cup standing on a table, seen from the thumb side with the wrist straight: the table's top at the
# foot of the cup as the hand holds it, and how far the held cup is lifted ("Lift the cup a little").
CUP_TABLE, CUP_LIFT = WRIST[1] - 4.0 - 26.0, 8.0


@dataclass(frozen=True)
class HandPose:
    """A hand pose, every key filled in (docs/catalog-format.md, view = "hand").

    shape: the catalog's `hand` (open, fist, spread, pinch, thumb_touch, pen_grip, flat, hook,
    cup_grip, thumb_across); thumb_touch: the finger the thumb tip meets in opposition, 1 index
    to 4 little; wrist: degrees of wrist extension (+) or flexion (-), at most WRIST_BACK but over a
    hand flat on the table (past 90 the forearm leans over the fingers); forearm_turn: palm_up
    (supination), palm_down (pronation), thumb_up or hanging (the arm by the side); held: the catalog's `object` in the hand;
    lying: the pose names the turn palm_up or palm_down (not left at the default), so the forearm
    lies on what is under it: with a table, the hand is seen from above on the table top.
    """

    shape: str
    thumb_touch: float
    wrist: float
    forearm_turn: str
    held: str
    lying: bool = False


def filled(pose: Pose) -> Pose:
    """The pose with every key it leaves out at its default."""
    return {**DEFAULTS, **pose}


def values(pose: Pose) -> HandPose:
    """The hand pose of a catalog pose."""
    v = filled(pose)
    lying = pose.get("forearm_turn") in LYING_TURNS
    wrist = v["wrist"] if v["object"] == "flat_on_table" else min(v["wrist"], WRIST_BACK)
    return HandPose(v["hand"], v["thumb_touch"], wrist, v["forearm_turn"], v["object"], lying)


def _capsule(pts: list[Point]) -> list[Shape]:
    return [line(pts, stroke=INK, width=W_OUT), line(pts, stroke=SKIN, width=W_IN)]


def _palm_view(v: HandPose) -> tuple[list[Shape], dict[str, Point]]:
    """Shapes and fingertips of the palm-side hand."""
    shape = v.shape
    out: list[Shape] = []
    tips: dict[str, Point] = {}
    held = v.held
    out.append(poly([(-22, -87), (-21, -50), (21, -50), (22, -87)], fill=SKIN, stroke=INK,
                    width=4))  # fmt: skip
    palm = [(-25, -56), (-29, 0), (-22, 6), (22, 6), (29, 0), (30, -30), (24, -58)]
    out.append(poly(palm, fill=SKIN, stroke=INK, width=4))
    if v.forearm_turn == "palm_up":
        out.append(line([(-18, -20), (0, -12), (18, -8)], stroke="#adb5bd", width=2))
        out.append(line([(4, -50), (8, -28), (20, -18)], stroke="#adb5bd", width=2))
    if held == "ball":
        out.append(circle((0, -8), 24, fill="#e7f5ff", stroke="#5c7f99", width=3))
    if held == "towel":
        out.append(rect((-40, -22), (40, 4), fill="#f1e3c8", stroke="#a08c6a", width=2.5, r=12))
    if held == "putty" and shape != "pinch":
        out.append(poly(ellipse_pts((0, -12), 22, 16, 10, 20), fill="#f3b562", stroke="#b7791f",
                        width=2.5))  # fmt: skip
    meet: Point | None = None
    spec = POSES.get(shape, POSES["open"])
    targets: dict[str, Point] = {}
    if shape == "thumb_touch":
        n = FINGERS[int(v.thumb_touch) - 1]
        bx, by = BASE[n]
        meet = (bx * 0.45 + 8, 24.0)
        targets[n] = meet
    elif shape == "pinch":
        meet = (22.0, 30.0)
        targets["index"] = meet
        tips["pinch"] = meet
    elif shape == "pen_grip":
        meet = (18.0, 26.0)
        targets["index"] = (meet[0] + 1, meet[1] + 5)
        targets["middle"] = (meet[0] - 6, meet[1] + 1)
    elif shape == "pen_between":
        meet = (12.0, 4.0)  # the thumb rests lightly on the pen, low in the gap
    elif shape == "key_pinch":
        meet = (28.0, 12.0)  # the thumb pad on the side of the bent first finger
    folded: list[list[Point]] = []
    for f in reversed(FINGERS):
        base = BASE[f]
        l1, l2 = LEN[f]
        if f == "index" and shape == "pen_between" and held == "pen":  # over the middle finger, under the first
            out.append(line([(18.0, 80.0), (11.0, -4.0)], stroke=PEN, width=6))
            out.append(line([(11.0, -4.0), (10.3, -12.0)], stroke="#868e96", width=3))
        if f in targets:
            t = targets[f]
            s = min(1.0, (dist(base, t) + 1) / (l1 + l2))
            mid = ik2(base, t, l1 * s, l2 * s, 1.0 if t[0] > base[0] else -1.0)
            pts = [base, mid, t]
            out += _capsule(pts)
            tips[f] = t
            continue
        ang, c1, c2 = spec[f]
        d = rot((0.0, 1.0), ang)
        mid = add(base, mul(d, l1 * (1 - 0.72 * c1)))
        tip = add(mid, mul(d, l2 * math.cos(math.pi * c2)))
        tips[f] = tip
        if c2 > 0.5:
            out += _capsule([base, mid])
            folded.append([mid, tip])
        else:
            out += _capsule([base, mid, tip])
            if c2 > 0.25:
                out.append(circle(tip, 5.5, fill=SKIN, stroke=INK, width=2.5))
    for seg in folded:
        out += _capsule(seg)
    if held == "pen_ball":  # a small ball in the palm, held against it by the last two fingers
        out.append(circle((-12, -10), 12, fill="#e7f5ff", stroke="#5c7f99", width=3))
    if held == "cup" or shape == "cup_grip" and held == "cup":
        cup = [(-26, -30), (26, -30), (22, 30), (-22, 30)]
        out.append(poly(cup, fill=PROP, stroke=PROP_EDGE, width=3))
        out.append(line([(-26, 26), (26, 26)], stroke=PROP_EDGE, width=2))
    # thumb
    tb = THUMB_BASE
    if meet is not None:
        tt = (meet[0] + 3, meet[1] - 4)
        s = max(1.0, (dist(tb, tt) + 2) / (T1 + T2))
        tm = ik2(tb, tt, T1 * s, T2 * s, -1.0)
        out += _capsule([tb, tm, tt])
        tips["thumb"] = tt
    elif shape == "thumb_across":  # the thumb sweeps over the palm toward the little finger
        tm = add(tb, (-8, 18))
        tt = (-14.0, -8.0)
        out += _capsule([tb, tm, tt])
        tips["thumb"] = tt
    elif shape == "fist":
        tm = add(tb, (-6, 20))
        tt = add(tm, (-26, 4))
        out += _capsule([tb, tm, tt])
        tips["thumb"] = tt
    else:
        a = THUMB.get(shape, -40)
        tm = add(tb, rot((0, T1), a))
        tt = add(tm, rot((0, T2), a * 0.8))
        out += _capsule([tb, tm, tt])
        tips["thumb"] = tt
    if held == "thumb_hold":  # the other hand holds the thumb low down, near the wrist
        c = lerp(tb, tm, 0.4)
        out.append(line([add(c, (14.0, -6.0)), (78.0, -78.0)], stroke=INK, width=28))
        out.append(line([add(c, (14.0, -6.0)), (78.0, -78.0)], stroke=SKIN, width=21))
        out.append(rect(add(c, (-12.0, -14.0)), add(c, (18.0, 14.0)), fill=SKIN, stroke=INK, width=4, r=9))
        out += [line([add(c, (-11.0, y)), add(c, (-2.0, y))], stroke=INK, width=2) for y in (-6.0, 1.0, 8.0)]
    if held == "key":  # held flat between the thumb pad and the side of the first finger
        m = meet or tips["index"]
        out.append(circle(add(m, (-4, 2)), 8, fill="#ced4da", stroke="#495057", width=2.5))
        blade = [add(m, (2, 3)), add(m, (34, 15))]
        out.append(line(blade, stroke="#495057", width=7))
        out.append(line(blade, stroke="#ced4da", width=3.5))
        out += [line([add(m, (x, 3 + x * 0.375)), add(m, (x + 2, x * 0.375 - 3))], stroke="#495057", width=2.5)
                for x in (22.0, 28.0)]  # fmt: skip
    if held in TRACING:  # seen from above: the tip just past the fingertips, the pen back over the hand
        m = meet or (12.0, 20.0)
        out.append(line([add(m, (1, 2)), add(m, (-22, -50))], stroke=PEN, width=6))
        out.append(line([add(m, (1, 2)), add(m, (-3, 10))], stroke="#868e96", width=3))
        tips["pen"] = add(m, (-3, 10))
    elif (held in ("pen", "pen_ball") or shape == "pen_grip" and held == "pen") and shape != "pen_between":
        m = meet or (12.0, 20.0)
        # its top end a little short of the panel's top edge (it had poked through the frame)
        out.append(line([add(m, (-24, 61)), add(m, (8, -22))], stroke=PEN, width=6))
        out.append(line([add(m, (8, -22)), add(m, (11, -30))], stroke="#868e96", width=3))
    if held == "jar":  # a wide jar held in the curled fingers, its lid on top
        out.append(poly([(-30, -34), (30, -34), (30, 30), (-30, 30)], fill=GLASS, stroke=PROP_EDGE, width=3))
        out.append(rect((-34, 30), (34, 46), fill=LID, stroke="#495057", width=3, r=3))
        out += [line([(x, 32), (x, 44)], stroke="#495057", width=1.5) for x in (-22, -11, 0, 11, 22)]
        out += _lid_hand()
    if held == "rubber_band":  # a loop around the fingers and thumb, near their middles
        mids = [lerp(BASE[f], tips[f], 0.55) for f in FINGERS] + [lerp(tb, tips["thumb"], 0.6)]
        x0, x1 = min(p[0] for p in mids) - 7, max(p[0] for p in mids) + 7
        y0, y1 = min(p[1] for p in mids) - 5, max(p[1] for p in mids) + 5
        out.append(rect((x0, y0), (x1, y1), fill=None, stroke=BAND_COLOR, width=3.5, r=8))
    if held == "letter":  # someone else's fingertip draws a letter (an S) on the palm
        s_path = [(14.0, -14.0), (4.0, -8.0), (-8.0, -12.0), (-10.0, -22.0), (2.0, -28.0), (10.0, -36.0),
                  (4.0, -45.0), (-12.0, -42.0)]  # fmt: skip
        out.append(line(s_path, stroke=LETTER, width=3.5, dash=(5.0, 4.0)))
        out += _helper_finger(s_path[0])
    if held in ("one_point", "two_points"):  # a helper touches a fingertip pad with toothpick ends
        finger = max((f for f in FINGERS), key=lambda f: tips[f][0])  # the one nearest the helper
        pad = add(tips[finger], (0.0, -7.0))
        out += _toothpicks([pad] if held == "one_point" else [add(pad, (0.0, 5.0)), add(pad, (0.0, -5.0))])
    if held == "coin":
        m = meet or tips["index"]
        out.append(circle(add(m, (2, 2)), 7.5, fill="#d9b650", stroke="#8a6d1f", width=2))
    if held == "putty" and shape == "pinch" and meet is not None:  # between thumb and finger
        out.append(poly(ellipse_pts(add(meet, (1, 0)), 9, 6, 20, 16), fill="#f3b562",
                        stroke="#b7791f", width=2))  # fmt: skip
    return out, tips


def _helper_finger(tip: Point) -> list[Shape]:
    """Another person's pointing finger, coming in from the top right to `tip`."""
    base = add(tip, (46.0, 24.0))
    fist = rect(add(base, (-4.0, -12.0)), add(base, (26.0, 22.0)), fill=SKIN, stroke=INK, width=4, r=10)
    curled = [line([add(base, (x, 22.0)), add(base, (x, 6.0))], stroke=INK, width=2) for x in (6.0, 13.0, 20.0)]
    return [
        line([base, tip], stroke=INK, width=16),
        line([base, add(tip, (0.4, 0.2))], stroke=SKIN, width=10.5),
        fist,
        *curled,
    ]


TOOTHPICK, TOOTHPICK_EDGE = "#e9cf9a", "#8d7a5f"


def _toothpicks(ends: list[Point]) -> list[Shape]:
    """Another person's hand, from the right, holding one or two toothpicks whose ends touch
    `ends` (two held side by side: two points a little apart)."""
    grip = add(ends[0], (28.0, -5.0))
    out: list[Shape] = []
    for k, end in enumerate(ends):
        start = add(grip, (-4.0, 3.0 - 6.0 * k))
        out.append(line([start, end], stroke=TOOTHPICK_EDGE, width=4.5))
        out.append(line([start, add(end, (0.3, 0.0))], stroke=TOOTHPICK, width=2.2))
    arm = [add(grip, (10.0, 0.0)), (75.0, grip[1] - 3.0)]  # the helper's wrist, to the picture's edge
    out += [line(arm, stroke=INK, width=22), line(arm, stroke=SKIN, width=15)]
    out.append(rect(add(grip, (-6.0, -11.0)), add(grip, (20.0, 13.0)), fill=SKIN, stroke=INK, width=4, r=9))
    out += [line([add(grip, (-5.0, y)), add(grip, (5.0, y))], stroke=INK, width=2) for y in (-4.0, 2.0, 8.0)]
    return out


def _lid_hand() -> list[Shape]:
    """The other hand on the jar's lid, seen from its back: the forearm from the top left, the
    fingers curled down over the lid's front edge, the thumb on its far side."""
    out: list[Shape] = [line([(-73.0, 74.0), (-12.0, 60.0)], stroke=INK, width=30),
                        line([(-73.0, 74.0), (-12.0, 60.0)], stroke=SKIN, width=23)]  # fmt: skip
    out.append(poly(ellipse_pts((2.0, 56.0), 31, 13, -4, 24), fill=SKIN, stroke=INK, width=4))
    for x in (-21.0, -7.0, 7.0, 21.0):
        out += _capsule([(x, 58.0 - abs(x) * 0.1), (x + 1, 37.0)])
    out += _capsule([(30.0, 52.0), (38.0, 40.0)])
    return out


def _side_view(v: HandPose) -> tuple[list[Shape], dict[str, Point]]:
    """The hand from the thumb side: forearm from the left, hand bent by the wrist angle."""
    shape, held = v.shape, v.held

    def L(x: float, y: float) -> Point:  # a point of the hand, turned with the wrist
        return add(WRIST, rot((x, y), v.wrist))

    # the forearm from the left, its rounded end (half its width) at the box's edge: from -86 it
    # had run out of the panel and under the arrow between the panels
    elbow = (BOX[0] + FOREARM_HALF, WRIST[1])
    out: list[Shape] = [line([elbow, WRIST], stroke=INK, width=2 * FOREARM_HALF),
                        line([elbow, WRIST], stroke=SKIN, width=23)]  # fmt: skip
    curled = shape not in ("open", "flat", "spread")
    if held == "pen_thick" and shape != "pen_grip":  # put down: lying on the paper in front of the hand
        out.append(line([(44.0, PAPER_TOP + 3.0), (86.0, PAPER_TOP + 3.0)], stroke=PEN, width=5))
        out.append(line([(48.0, PAPER_TOP + 5.5), (72.0, PAPER_TOP + 5.5)], stroke=FOAM_EDGE, width=11))
        out.append(line([(48.0, PAPER_TOP + 5.5), (72.0, PAPER_TOP + 5.5)], stroke=FOAM, width=7))
    pen_down = held == "pen" and not curled  # a pen beside a relaxed hand: lying on the paper before it
    if pen_down:
        out.append(line([(44.0, PAPER_TOP + 3.0), (86.0, PAPER_TOP + 3.0)], stroke=PEN, width=5))
    if held == "cup" or (shape == "cup_grip" and held != "none"):
        c = L(48, -4)
        cup = [add(c, p) for p in ((-17, -26), (17, -26), (15, 26), (-15, 26))]
        out.append(line([add(c, (15, 12)), add(c, (24, 8)), add(c, (15, -8))],
                        stroke=PROP_EDGE, width=4))  # fmt: skip
        out.append(poly(cup, fill=PROP, stroke=PROP_EDGE, width=3))
    if held == "ball":
        out.append(circle(L(48, -6), 18, fill="#e7f5ff", stroke="#5c7f99", width=3))
    palm = [L(-2, -12), L(32, -12), L(36, 0), L(32, 13), L(-2, 12)]
    out.append(poly(palm, fill=SKIN, stroke=INK, width=4))
    if not curled:
        tip = L(76, 2)
        out += _capsule([L(34, 2), tip])
        out.append(line([L(38, -2.5), L(70, -2.5)], stroke="#adb5bd", width=1.5))
        thumb = [L(8, 9), L(26, 17), L(42, 19)] if shape != "spread" else [L(8, 9), L(28, 26)]
    else:
        tip = L(42, -12) if shape != "hook" else L(58, -6)
        if shape == "hook":
            out += _capsule([L(34, 2), L(60, 2), L(58, -8)])
        elif shape == "cup_grip" and held != "none":
            out += _capsule([L(34, 2), L(56, -2), L(62, -16)])
        else:
            out += _capsule([L(32, 3), L(44, 0), L(42, -12), L(32, -12)])
        thumb = [L(8, 9), L(26, 14), L(42, 6)]
    out += _capsule(thumb)
    if held == "pen_thick" and shape == "pen_grip":  # a foam tube round the pen, held far from the tip
        out.append(line([L(30, 36), L(58, -30)], stroke=PEN, width=5))
        out.append(line([L(33, 28), L(50, -12)], stroke=FOAM_EDGE, width=15))
        out.append(line([L(33, 28), L(50, -12)], stroke=FOAM, width=11))
    elif (held == "pen" or shape == "pen_grip") and not pen_down:
        out.append(line([L(34, 26), L(54, -24)], stroke=PEN, width=5))
    return out, {"fingers": tip, "thumb": thumb[-1]}


def _cup_on_table(shapes: list[Shape], tips: dict[str, Point], held: bool) -> tuple[list[Shape], dict[str, Point]]:
    """The thumb-side hand at a cup standing on the table (CUP_TABLE: its top at the cup's foot):
    the forearm rests on the table at the elbow and rises to the wrist, the open hand beside the
    cup; a hand that holds the cup lifts it (and itself) CUP_LIFT off the table."""
    rise = CUP_LIFT if held else 0.0

    def up(p: Point) -> Point:
        return (p[0], p[1] + rise)

    elbow = (BOX[0] + FOREARM_HALF, CUP_TABLE + FOREARM_HALF)
    wrist = up(WRIST)
    arm = [line([elbow, wrist], stroke=INK, width=2 * FOREARM_HALF), line([elbow, wrist], stroke=SKIN, width=23)]
    return arm + [map_shape(s, up) for s in shapes[2:]], {k: up(p) for k, p in tips.items()}


def _side_needed(v0: HandPose, v1: HandPose) -> bool:
    return v0.wrist != 0 or v1.wrist != 0


def draw(v: HandPose, side: bool, props: list[str]) -> tuple[list[Shape], dict[str, Point]]:
    """One hand pose with its table and object (model units, y up) and its fingertips."""
    under, shapes, tips = _draw_parts(v, side, props)
    return under + shapes, tips


def _draw_parts(v: HandPose, side: bool, props: list[str]) -> tuple[list[Shape], list[Shape], dict[str, Point]]:
    """The table under the hand (palm side only), and the hand with what it holds."""
    out: list[Shape] = []
    if side and v.held == "flat_on_table":  # the palm stays flat on the table; the forearm moves over it
        if "table" in props:
            out.append(rect((WRIST[0] - 6, WRIST[1] - 31), (88, WRIST[1] - 13), fill=WOOD, stroke="#8d7a5f", width=2))

        def flat(p: Point, w: float = v.wrist) -> Point:  # turned back about the wrist: the hand lies flat
            return add(WRIST, rot(sub(p, WRIST), -w))

        shapes, tips = _side_view(v)
        shapes = [map_shape(s, flat) for s in shapes]
        tips = {k: flat(p) for k, p in tips.items()}
        # the forearm rises from the wrist to the top of the picture (the arm the patient leans on)
        up = math.radians(180 - v.wrist)
        reach = (76 - WRIST[1]) / max(math.sin(up), 0.3)
        elbow = add(WRIST, (reach * math.cos(up), reach * math.sin(up)))
        shapes[:2] = [line([elbow, WRIST], stroke=INK, width=30), line([elbow, WRIST], stroke=SKIN, width=23)]
    elif side or v.forearm_turn in FROM_THUMB_SIDE:
        if "table" in props and v.held in WRITING_PENS:  # the side of the hand rests on the paper
            out.append(rect((-88, WRIST[1] - 34), (88, PAPER_TOP - 2), fill=WOOD, stroke="#8d7a5f", width=2))
            out.append(rect((-30, PAPER_TOP - 2), (86, PAPER_TOP), fill="#ffffff", stroke="#868e96", width=1.5))
        elif "table" in props and v.held == "cup" and not side:
            out.append(rect((-88, CUP_TABLE - 18), (88, CUP_TABLE), fill=WOOD, stroke="#8d7a5f", width=2))
        elif "table" in props:
            out.append(rect((-88, WRIST[1] - 34), (WRIST[0] - 2, WRIST[1] - 16), fill=WOOD, stroke="#8d7a5f", width=2))
        shapes, tips = _side_view(v)
        if "table" in props and v.held == "cup" and not side:
            shapes, tips = _cup_on_table(shapes, tips, v.shape == "cup_grip")
    else:
        if "table" in props and v.lying:  # the forearm and hand lie on it: its top seen from above
            out += table_from_above()
        elif "table" in props:  # the hand held up, the forearm on the table: its edge under the wrist
            out.append(rect((-88, -88), (88, -70), fill=WOOD, stroke="#8d7a5f", width=2))
        shapes, tips = _palm_view(v)
        if v.forearm_turn == "palm_down":  # the back of the hand: mirrored, with nails

            def flip(p: Point) -> Point:
                return (-p[0], p[1])

            shapes = [map_shape(s, flip) for s in shapes]
            tips = {k: flip(p) for k, p in tips.items()}
            for k, p in tips.items():
                if k != "thumb" and p[1] > 20:
                    shapes.append(poly(ellipse_pts(add(p, (0, -3)), 3.5, 4.5, 0, 12),
                                       fill="#f1f3f5", stroke="#868e96", width=1.5))  # fmt: skip
        if "table" in props and v.lying:  # its shadow on the table top, close round it: it lies there
            shapes = _shadow(shapes) + shapes
    if v.held == "paper":
        out.insert(0, rect((-70, -60), (70, 75), fill="#ffffff", stroke="#868e96", width=2))
    if v.held in TRACING and not side and v.forearm_turn not in FROM_THUMB_SIDE:
        # seen from above, smaller: the pen tip on the page's printed wavy line, at its start or
        # further along with the traced part inked behind it
        shapes, tips = _set_down(shapes, tips, tips["pen"], _wave_at(TRACE_X[v.held == "trace_done"]), TRACE_K)
        shapes = _page(v.held == "trace_done") + shapes  # with the hand: a mirror shows the page too
    if v.held in BUTTONING and not side and v.forearm_turn not in FROM_THUMB_SIDE:
        # seen from above, smaller: a shirt's two edges; the other hand holds the buttonhole's edge,
        # this hand pinches the button beside the hole, then on top of it, pushed through
        through = v.held == "button_through"
        edge = BUTTONHOLE_EDGE[through]
        shapes, tips = _set_down(shapes, tips, tips.get("pinch", (0.0, 0.0)), BUTTON, BUTTON_K)
        shapes += _button(BUTTON)  # held between the thumb and the first finger
        out += _shirt(edge, through)
        out += _holding_hand((edge - 5.0, BUTTON[1] - 24.0))
    if v.held in COINS and not side and v.forearm_turn not in FROM_THUMB_SIDE:
        # seen from above, smaller: coins spread on the table and a cup beside them; the pinch lifts
        # one coin, then the hand opens over the cup and the coin lies in it
        dropped = v.held == "coins_in_cup"
        at = tips["pinch"] if "pinch" in tips else lerp(tips["thumb"], tips["index"], 0.5)
        shapes, tips = _set_down(shapes, tips, at, COIN_DROP if dropped else COIN_PICK, COIN_K)
        shapes += [] if dropped else _coin(COIN_PICK)  # held between the thumb and the first finger
        out += _coins_and_cup(dropped)
    if v.held in ("textures", "textures_match") and not side and v.forearm_turn not in FROM_THUMB_SIDE:
        # seen from above: the hand moves from one piece of sandpaper to its match
        dx = TEXTURE_REACH if v.held == "textures_match" else -TEXTURE_REACH

        def move(p: Point) -> Point:
            return (p[0] + dx, p[1])

        shapes = [map_shape(s, move) for s in shapes]
        tips = {k: move(p) for k, p in tips.items()}
        out += _textures()
    if side or v.forearm_turn in FROM_THUMB_SIDE:  # the table goes with the forearm (and into the mirror)
        return [], out + shapes, tips
    return out, shapes, tips


def table_from_above() -> list[Shape]:
    """The table top seen from above, filling the panel with no edge to stand on, a few lines of
    grain running away from the patient: the hand and forearm drawn over it lie on it (a hand held
    up stands over a strip, the table seen edge-on)."""
    x0, y0, x1, y1 = BOX
    out = [rect((x0, y0), (x1, y1), fill=TABLE_TOP, stroke=None, width=0)]
    out += [line([(x, y0), (x + 3, y0 + 60), (x - 3, y1 - 60), (x, y1)], stroke=TABLE_GRAIN, width=1.5)
            for x in (-62.0, -40.0, 44.0, 66.0)]  # fmt: skip
    return out


def _shadow(shapes: list[Shape]) -> list[Shape]:
    """The shadow a hand lying on the table casts, just down and right of its outline (kept on the
    table top: a stroke that reaches the table's edge casts no shadow past it)."""

    def cast(s: Shape) -> Shape:
        half = s.width / 2

        def move(p: Point) -> Point:
            x = min(p[0] + SHADOW_AT[0], max(p[0], BOX[2] - half))
            return (x, max(p[1] + SHADOW_AT[1], min(p[1], BOX[1] + half)))

        return replace(map_shape(s, move), stroke=TABLE_SHADOW, fill=TABLE_SHADOW if s.fill else None)

    return [cast(s) for s in shapes if s.stroke == INK]


def _set_down(
    shapes: list[Shape], tips: dict[str, Point], at: Point, to: Point, k: float, turn: float = 0.0
) -> tuple[list[Shape], dict[str, Point]]:
    """A hand seen from above drawn smaller (k), turned `turn` degrees, its point `at` moved to `to`."""

    def place(p: Point) -> Point:
        q = rot((p[0] - at[0], p[1] - at[1]), turn)
        return (to[0] + q[0] * k, to[1] + q[1] * k)

    moved = [replace(map_shape(s, place, k), width=s.width * k) for s in shapes]
    return moved, {key: place(p) for key, p in tips.items()}


# Buttoning, seen from above: the button's side of the shirt under, the buttonhole's side over it.
BUTTONING = ("button", "button_through")
BUTTON = (8.0, 12.0)  # the button being done up, on the shirt's button side (the right)
BUTTONHOLE_EDGE = (-12.0, 18.0)  # the buttonhole side's edge (the left): apart, then over the button side
BUTTON_K = 0.45  # the hands' size over the shirt
CLOTH, CLOTH_EDGE, HOLE, BUTTON_FILL = "#d0ebff", "#4a7fa7", "#1864ab", "#fff9db"


def _button(c: Point) -> list[Shape]:
    return [circle(c, 7.5, fill=BUTTON_FILL, stroke="#8a6d1f", width=2),
            circle(add(c, (-2.2, 0)), 1.1, fill="#8a6d1f", stroke=None),
            circle(add(c, (2.2, 0)), 1.1, fill="#8a6d1f", stroke=None)]  # fmt: skip


def _shirt(edge: float, through: bool) -> list[Shape]:
    """The shirt's two front edges lying on the table: buttons down the under side (the right),
    buttonholes down the side on top (the left), whose edge is at x = edge. The held button is
    drawn with the hand; the others: the one above done up when through, the one below not yet."""
    out: list[Shape] = [rect((-4, -66), (84, 78), fill=CLOTH, stroke=CLOTH_EDGE, width=2)]
    slit = edge - 10.0  # the buttonholes, 10 in from the edge: over the button when done up
    out += _button((BUTTON[0], -38.0))
    out.append(rect((-84, -66), (edge, 78), fill=CLOTH, stroke=CLOTH_EDGE, width=2.5))
    for y in (56.0, BUTTON[1], -38.0):
        out.append(line([(slit, y - 9), (slit, y + 9)], stroke=HOLE, width=2.5))
    out += _button((slit, 56.0)) if through else []
    return out


def _holding_hand(at: Point) -> list[Shape]:
    """The other hand from above (a left hand: the right hand's palm side has its outline), coming
    in from the lower left, its pinch holding the cloth at `at`."""
    shapes, tips = _palm_view(HandPose("pinch", 1, 0.0, "palm_down", "none"))
    shapes += [poly(ellipse_pts(add(p, (0, -3)), 3.5, 4.5, 0, 12), fill="#f1f3f5", stroke="#868e96", width=1.5)
               for k, p in tips.items() if k in FINGERS and p[1] > 20]  # fmt: skip
    return _set_down(shapes, tips, tips["pinch"], at, BUTTON_K, -15.0)[0]


# Picking up coins, seen from above: coins spread on the table at the left, a cup at the right.
COINS = ("coins", "coins_in_cup")
COIN_K = 0.58  # the hand's size over the table
CUP_AT, CUP_R = (46.0, 18.0), 26.0  # the cup's middle and the outer edge of its rim, from above
COIN_PICK = (-44.0, 10.0)  # the coin the pinch lifts
COIN_DROP = (CUP_AT[0] - 8.0, CUP_AT[1] - 12.0)  # where the hand lets go, over the cup's near rim
COIN_R = 6.5
SPREAD = ((-74.0, -6.0), (-62.0, 30.0), (-36.0, 42.0), (-12.0, 24.0), (-70.0, -40.0), (-14.0, -10.0))
COIN_FILL, COIN_EDGE, CUP_INSIDE = "#d9b650", "#8a6d1f", "#c9d3dc"


def _coin(c: Point) -> list[Shape]:
    return [circle(c, COIN_R, fill=COIN_FILL, stroke=COIN_EDGE, width=2)]


def _coins_and_cup(dropped: bool) -> list[Shape]:
    """The table from above: the coins still to pick up, and the cup (its rim round the inside),
    with the dropped coin lying in it."""
    out: list[Shape] = [s for c in SPREAD for s in _coin(c)]
    out.append(circle(CUP_AT, CUP_R, fill=PROP, stroke=PROP_EDGE, width=3))
    out.append(circle(CUP_AT, CUP_R - 6.0, fill=CUP_INSIDE, stroke=PROP_EDGE, width=2))
    return out + (_coin(add(CUP_AT, (-9.0, 7.0))) if dropped else [])


# A page of shapes to trace, seen from above: the hand drawn smaller so the page shows round it.
TRACING = ("trace", "trace_done")
TRACE_K = 0.6  # the hand's size on the page
TRACE_X = (-62.0, 8.0)  # where the pen tip is on the wavy line: at its start, then further along
TRACE_Y = -6.0  # the wavy line's height on the page
PRINTED, TRACED = "#adb5bd", "#212529"


def _wave_at(x: float) -> Point:
    return (x, TRACE_Y + 8.0 * math.sin((x + 62.0) / 14.0))


def _page(done: bool) -> list[Shape]:
    """The page on the table: a wavy line, a zigzag and a row of circles printed in pale grey
    dashes; with done, the wavy line inked over from its start to the pen."""
    wave = [_wave_at(-62.0 + 4.0 * i) for i in range(33)]
    zigzag = [(-62.0 + 16.0 * i, 28.0 + (7.0 if i % 2 else -7.0)) for i in range(9)]
    out: list[Shape] = [rect((-80, -66), (80, 74), fill="#ffffff", stroke="#868e96", width=2)]
    out.append(line(wave, stroke=PRINTED, width=2.5, dash=(5.0, 4.0)))
    out.append(line(zigzag, stroke=PRINTED, width=2.5, dash=(5.0, 4.0)))
    out += [poly(ellipse_pts((-54.0 + 27.0 * i, 56.0), 8, 8, 0, 20), fill=None, stroke=PRINTED, width=2.5)
            for i in range(5)]  # fmt: skip
    if done:
        out.append(line([p for p in wave if p[0] <= TRACE_X[1]] + [_wave_at(TRACE_X[1])], stroke=TRACED, width=3.5))
    return out


TEXTURE_REACH = 34.0  # how far the hand sits left (start) or right (end) of the middle, over each piece
SAND, SAND_EDGE = "#e0c489", "#9c7a3c"


def _textures() -> list[Shape]:
    """Small pieces laid out on the table, seen from above: two of sandpaper side by side at the
    fingertips (a matching pair), cloth and foil at the left, felt and paper at the right."""
    out: list[Shape] = []
    for x0 in (-62.0, 6.0):  # the pair of sandpaper pieces, grit drawn as dots
        out.append(rect((x0, 26), (x0 + 56, 60), fill=SAND, stroke=SAND_EDGE, width=2))
        out += [circle((x0 + 5 + (i * 7.3) % 48, 30 + (i * 5.1) % 27), 1.3, fill=SAND_EDGE, stroke=None)
                for i in range(28)]  # fmt: skip
    out.append(rect((-87, -6), (-68, 28), fill="#a5d8ff", stroke="#4a7fa7", width=2))  # cloth: a weave
    out += [line([(-87, y), (-68, y)], stroke="#4a7fa7", width=1) for y in (2.0, 10.0, 18.0)]
    out += [line([(x, -6), (x, 28)], stroke="#4a7fa7", width=1) for x in (-81.0, -74.0)]
    out.append(rect((-87, -50), (-68, -16), fill="#dee2e6", stroke="#868e96", width=2))  # foil: shine
    out += [line([(-84, y), (-72, y + 10)], stroke="#ffffff", width=2) for y in (-46.0, -34.0)]
    out.append(rect((68, -6), (87, 28), fill="#e599a6", stroke="#b5606f", width=2, r=3))  # felt: soft
    out.append(rect((68, -50), (87, -16), fill="#ffffff", stroke="#868e96", width=2))  # paper
    return out


# Mirror work: the hand drawn smaller on one side, the mirror's glass on the other showing the
# hand's reflection (paler), where the hidden hand would be. (k, dx, dy) place the hand on the left.
# The glass stands at the body's midline, so on the hand's thumb side both ways the hand is seen:
# the palm facing the reader (fingers up, the thumb toward the middle) and the back of a hand flat
# on the table seen from above (pen_grip, palm_down: the thumb toward the middle too). As in
# mirror therapy since Ramachandran and Rogers-Ramachandran (1996, the mirror box): the mirror
# stands in the midline, its glass facing the moving hand, the other hand hidden behind it.
MIRROR_X = 4.0  # the mirror's edge, between the hand and its reflection
IN_MIRROR = {"palm": (0.6, -40.0, -36.0), "side": (0.56, -38.0, -10.0)}


def _pale(color: str | None) -> str | None:
    """A colour seen in the mirror's glass: 55 percent of the way to the glass's own colour."""
    if color is None or not color.startswith("#") or len(color) != 7:
        return color
    mix = [round(int(color[i : i + 2], 16) * 0.45 + int(GLASS[i : i + 2], 16) * 0.55) for i in (1, 3, 5)]
    return "#" + "".join(f"{c:02x}" for c in mix)


def _in_mirror(
    under: list[Shape], shapes: list[Shape], marks: list[Shape], side: bool, thumb_left: bool = False
) -> tuple[list[Shape], list[Shape]]:
    """A pose beside a mirror: (the pose's shapes with the glass and the reflection, the marks moved
    with the hand). The glass goes on the thumb side: on the right of the hand, or on its left for
    a hand whose thumb is on the left (`thumb_left`: the back of a right hand seen from above),
    which is drawn as the same picture turned over left to right with the hand itself kept."""
    if thumb_left:
        under, shapes, marks = ([map_shape(s, _flip_x) for s in part] for part in (under, shapes, marks))
        drawn, moved = _in_mirror(under, shapes, marks, side)
        return [map_shape(s, _flip_x) for s in drawn], [map_shape(s, _flip_x) for s in moved]
    k, dx, dy = IN_MIRROR["side" if side else "palm"]

    def place(p: Point) -> Point:
        return (p[0] * k + dx, p[1] * k + dy)

    def reflect(p: Point) -> Point:  # what the glass shows ends at its frame (a forearm runs out of it)
        q = place(p)
        return (min(2 * MIRROR_X - q[0], 84.0), min(max(q[1], -68.0), 78.0))

    def scaled(s: Shape, f: Callable[[Point], Point]) -> Shape:
        return replace(map_shape(s, f, k), width=s.width * k)

    glass = [rect((MIRROR_X, -70), (86, 80), fill=GLASS, stroke="#495057", width=3, r=2),
             line([(74, 50), (82, 66)], stroke="#ffffff", width=2.5)]  # fmt: skip
    pale = [replace(scaled(s, reflect), stroke=_pale(s.stroke), fill=_pale(s.fill)) for s in shapes]
    real = [scaled(s, place) for s in shapes]
    return under + glass + pale + real, [scaled(s, place) for s in marks]


BOTH_K, BOTH_DX = 0.66, 46.0  # two hands side by side: each drawn smaller, this far from the middle
CORNER_CLEAR = 30.0  # how far below the panel's top two hanging arms start (a corner mark is there)


def _both_hands(shapes: list[Shape], hanging: bool) -> list[Shape]:
    """A pose's shapes for both hands, the person facing the reader: the right hand (as drawn) on
    the picture's left, the left hand, its mirror, on the right; both thumbs toward the middle.
    Each keeps its forearm at the panel's bottom edge; arms hanging down come from the top,
    low enough to leave a corner mark clear."""
    edge = BOX[3] - CORNER_CLEAR if hanging else BOX[1]

    def right(p: Point) -> Point:
        return (p[0] * BOTH_K - BOTH_DX, edge + (p[1] - edge) * BOTH_K)

    def left(p: Point) -> Point:
        return (BOTH_DX - p[0] * BOTH_K, edge + (p[1] - edge) * BOTH_K)

    return [replace(map_shape(s, f, BOTH_K), width=s.width * BOTH_K) for f in (right, left) for s in shapes]


def _flip_x(p: Point) -> Point:
    return (-p[0], p[1])


def thumb_left(v: HandPose, side: bool) -> bool:
    """Whether the hand of pose `v` is drawn with its thumb on the picture's left: the back of the
    hand (palm_down) in the palm view, mirrored from the palm side (_draw_parts)."""
    return not side and v.forearm_turn == "palm_down"


def arrow(key: str, v0: HandPose, v1: HandPose, t0: dict[str, Point], t1: dict[str, Point], side: bool) -> list[Shape]:
    """The arrow of the movement `key` from v0 to v1; t0, t1: the fingertips of each pose."""
    if key == "wrist" and v1.held == "flat_on_table":  # the forearm moves over the still hand
        return arc_arrow(WRIST, 62, 180 - v0.wrist, 180 - v1.wrist)
    if key == "wrist":
        return arc_arrow(WRIST, 66, v0.wrist, v1.wrist)
    if v1.held == "key" and v0.held != "key" or key == "forearm_turn" and v1.held == "key":
        tip = t1.get("thumb", (28.0, 12.0))  # a twist about the key's blade
        return arrow_along(arc(add(tip, (26, 8)), 7, 120, -120, 20, 20))
    if key == "forearm_turn":
        if side or v1.forearm_turn in FROM_THUMB_SIDE:
            return arrow_along(arc((WRIST[0] - 40, WRIST[1]), 9, 120, -120, 20, 24))
        return arrow_along(arc((0, -78), 30, -20, -160, 20, 7))
    common = [k for k in t1 if k in t0]
    if not common:
        return []
    k = max(common, key=lambda k: dist(t0[k], t1[k]))
    a, b = t0[k], t1[k]
    if dist(a, b) < 5:
        return []
    centre = (0.0, -10.0)
    out_a = add(a, mul(unit(sub(a, centre)), 12))
    out_b = add(b, mul(unit(sub(b, centre)), 12))
    bulge = 0.35 if (out_b[0] - out_a[0]) * (out_a[1] - centre[1]) >= 0 else -0.35
    return bow_arrow(out_a, lerp(out_a, out_b, 0.92), bulge)


def _changed(v0: HandPose, v1: HandPose) -> str | None:
    score = {
        "wrist": abs(v1.wrist - v0.wrist),
        "forearm_turn": 45 if v0.forearm_turn != v1.forearm_turn else 0,
        "hand": 40 if v0.shape != v1.shape else 0,
        "thumb_touch": 30 if v0.thumb_touch != v1.thumb_touch else 0,
    }
    best = max(score, key=lambda k: score[k])
    return best if score[best] > 3 else None


def _hang(p: Point) -> Point:
    """The thumb-side view turned a quarter turn: the forearm from the top, the hand down."""
    return (p[1], -p[0] - 12.0)  # lowered, so the forearm's end stays inside the panel


def build(pic: Picture) -> ViewDrawing:
    """Both hand poses drawn (from the thumb side when the wrist bends), with the arrow."""
    v0, v1 = values(pic.start), values(pic.end)
    side = _side_needed(v0, v1)
    under0, s0, t0 = _draw_parts(v0, side, pic.props)
    under1, s1, t1 = _draw_parts(v1, side, pic.props)
    key = pic.arrow or _changed(v0, v1)
    if key in ("object",):
        key = None
    marks = arrow(key, v0, v1, t0, t1, side) if key else []
    if not key and v0.held in TRACING and v1.held != v0.held and v1.held in TRACING:  # along the line, under it
        marks = arrow_along([add(_wave_at(TRACE_X[0] + 5.0 * i), (0.0, -16.0)) for i in range(15)])
    if (v0.held, v1.held) == COINS:  # from the coins over to the cup, above the hand
        marks = bow_arrow((COIN_PICK[0], COIN_PICK[1] + 52.0), (CUP_AT[0] - 8.0, CUP_AT[1] + CUP_R + 10.0), 0.3)
    if not key and (v0.held, v1.held) == BUTTONING:  # the buttonhole's side comes over the button
        marks = arrow_along([(BUTTONHOLE_EDGE[0] - 22.0, 34.0), (BUTTONHOLE_EDGE[1] - 14.0, 34.0)])
    if v0.forearm_turn == v1.forearm_turn == "hanging":  # the arm hangs: the forearm comes down from the top
        s0, s1, marks = ([map_shape(s, _hang) for s in shapes] for shapes in (s0, s1, marks))
        under0, under1 = [map_shape(s, _hang) for s in under0], [map_shape(s, _hang) for s in under1]
    if "mirror" in pic.props:  # the hand beside a mirror that shows it
        from_side0, from_side1 = (side or v.forearm_turn in FROM_THUMB_SIDE for v in (v0, v1))
        s0, _ = _in_mirror(under0, s0, [], from_side0, thumb_left(v0, from_side0))
        s1, marks = _in_mirror(under1, s1, marks, from_side1, thumb_left(v1, from_side1))
    else:
        s0, s1 = under0 + s0, under1 + s1
    if pic.both_hands:  # both hands at once: the right on the picture's left, the left its mirror
        hanging = v0.forearm_turn == v1.forearm_turn == "hanging"
        s0, s1, marks = (_both_hands(shapes, hanging) for shapes in (s0, s1, marks))
    return ViewDrawing(
        start=s0,
        end=s1,
        arrow=marks,
        floor=None,
        box=BOX,
        anchors=None,
    )
