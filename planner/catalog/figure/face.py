"""The face view: a large oval face, from the front (patient's right on the picture's left)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .shapes import (
    INK,
    SKIN,
    Point,
    Shape,
    add,
    angle_of,
    arc,
    arc_arrow,
    arrow_along,
    bow_arrow,
    circle,
    ellipse_pts,
    line,
    mul,
    perp,
    poly,
    quad,
    rect,
    rot,
    straight_arrow,
    sub,
    unit,
)
from .spec import Picture, Pose
from .view import Anchors, ViewDrawing

RX, RY = 48.0, 60.0
CY = 8.0  # face centre height
NECK = (0.0, -78.0)  # the head tilts about this point
MOUTH_IN = "#4a1f24"
PART_HALF = 3.2  # half the height of lips parted a little ("part"); "open" is 8
TONGUE_UP_HALF = 6.0  # the mouth a little open, just room to see the tongue tip lifted behind the teeth
TONGUE = "#e58f9e"
BOX = (-88.0, -88.0, 88.0, 86.0)
DEFAULTS = {
    "eyes": "open",
    "brows": "neutral",
    "mouth": "closed",
    "jaw_shift": 0.0,
    "gaze": "center",
    "head_tilt": 0.0,
    "head_turn": 0.0,
    "touch": "none",
}
TOUCH = {  # fingertip point and the direction the hand comes from (up from below, the arm bent)
    "chin_r": ((-14.0, CY - RY - 3), (-0.55, -1.0)),
    "cheek_r": ((-RX * 0.72, CY - 16), (-0.8, -1.0)),
    "forehead": ((-2.0, CY + 40), (-0.95, -0.3)),  # the fingertip mid-forehead, the hand from the side, off the eye
    "temple_r": ((-RX * 0.9, CY + 20), (-0.75, -1.0)),
    "lip_r": ((-17.0, CY - 33), (-0.8, -1.0)),
}


@dataclass(frozen=True)
class Expression:
    """A face pose, every key filled in (docs/catalog-format.md, view = "face").

    eyes: open, closed, squeeze or wide; brows: neutral, raised or frown; mouth: a mouth shape
    (closed, open, wide, smile, pucker, tongue_out, puff, ee, oo, tongue_left/right/up);
    jaw_shift: -1..1, the jaw slides sideways, + toward the patient's right; gaze: where the eyes
    look; head_tilt, head_turn: degrees of side bend and rotation of the head; touch: where a
    fingertip rests (none, chin_r, cheek_r, forehead, temple_r, lip_r).
    """

    eyes: str
    brows: str
    mouth: str
    jaw_shift: float
    gaze: str
    head_tilt: float
    head_turn: float
    touch: str


def filled(pose: Pose) -> Pose:
    """The pose with every key it leaves out at its default."""
    return {**DEFAULTS, **pose}


def values(pose: Pose) -> Expression:
    """The face pose of a catalog pose (only the face view's keys)."""
    return Expression(**filled(pose))


class Face:
    """Geometry of one face pose; P() places a point given in upright face coordinates."""

    def __init__(self, v: Expression):
        self.v = v
        t = math.radians(v.head_turn)
        self.fx = -math.sin(t) * RX * 0.5  # features slide toward the way the head turns
        self.sx = math.cos(t) * 0.35 + 0.65  # and crowd together
        m = v.mouth
        self.drop = {"part": 2.5, "open": 7.0, "wide": 14.0, "oo": 4.0, "ee": 3.0}.get(m, 0.0)
        if m.startswith("tongue_"):
            self.drop = 4.0 if m == "tongue_up" else 7.0  # the tip up behind the teeth: a little open
        self.jaw = -v.jaw_shift * 26.0  # + to the patient's right = picture left

    def P(self, p: Point) -> Point:
        return rot(p, self.v.head_tilt, NECK)

    def outline(self) -> list[Point]:
        pts = []
        puff = self.v.mouth == "puff"
        for i in range(72):
            a = 2 * math.pi * i / 72
            x, y = RX * math.cos(a), RY * math.sin(a)
            if y < 0:
                x *= 1 - 0.16 * (-y / RY) ** 2
                low = (-y / RY) ** 1.2  # the lower face follows the jaw, the chin most
                y -= self.drop * low
                x += self.jaw * low
            if puff:
                x *= 1 + 0.14 * math.exp(-(((y + 18) / 15) ** 2))
            pts.append(self.P((x, y + CY)))
        return pts

    def upright(self, x: float, y: float, jaw: float = 0.0) -> Point:
        """A feature point before the head tilt (P() then tilts it)."""
        return (self.fx + x * self.sx + self.jaw * jaw, y + CY)

    def feat(self, x: float, y: float, jaw: float = 0.0) -> Point:
        return self.P(self.upright(x, y, jaw))


def _eye(f: Face, side: float) -> list[Shape]:
    v = f.v
    cx = side * 19
    eye = v.eyes
    out: list[Shape] = []
    if eye in ("open", "wide"):
        ry = 8.0 if eye == "wide" else 5.5
        rx = 10.0 if eye == "wide" else 9.0
        c = f.feat(cx, 10)
        # the outline is built upright around the eye and then tilted with the head, once
        outline = ellipse_pts(f.upright(cx, 10), rx * f.sx, ry, 0, 24)
        out.append(poly([f.P(p) for p in outline], fill="#ffffff", stroke=INK, width=2.5))
        g = {"left": (4, 0), "right": (-4, 0), "up": (0, 2.5), "down": (0, -2.5)}.get(v.gaze, (0, 0))
        out.append(circle(add(c, rot(g, v.head_tilt)), 3.4, fill=INK, stroke=None))
    elif eye == "closed":
        out.append(line(quad(f.feat(cx - 9, 10), f.feat(cx, 5), f.feat(cx + 9, 10)), width=3.2))
        for k in (-5, 0, 5):
            out.append(line([f.feat(cx + k, 7.6), f.feat(cx + k * 1.3, 4.5)], width=1.8))
    else:  # squeeze
        out.append(line(quad(f.feat(cx - 9, 8), f.feat(cx, 13), f.feat(cx + 9, 8)), width=3.5))
        out.append(line(quad(f.feat(cx - 9, 8), f.feat(cx, 5), f.feat(cx + 9, 8)), width=3.5))
        o = side * 12
        for dy in (-4, 0, 4):
            out.append(line([f.feat(cx + o, 8 + dy * 0.4), f.feat(cx + o + side * 5, 8 + dy)],
                            width=2))  # fmt: skip
    return out


def _brow(f: Face, side: float) -> list[Shape]:
    b = f.v.brows
    cx = side * 19
    if b == "raised":
        pts = quad(f.feat(cx - 11, 27), f.feat(cx, 36), f.feat(cx + 11, 27))
    elif b == "frown":
        inner, outer = cx - side * 10, cx + side * 10
        pts = [f.feat(inner, 15), f.feat(outer, 22)]
        return [line(pts, width=4.5)]
    else:
        pts = quad(f.feat(cx - 10, 20), f.feat(cx, 24), f.feat(cx + 10, 20))
    return [line(pts, width=4)]


def _mouth(f: Face) -> list[Shape]:
    m = f.v.mouth
    y = -31.0
    jaw = 0.8  # how much the mouth moves with the jaw

    def M(x: float, yy: float) -> Point:
        return f.feat(x, y + yy, jaw)

    if m == "closed":
        return [line(quad(M(-14, 0), M(0, -1.5), M(14, 0)), width=3.5)]
    if m == "part":  # the lips apart a little, the teeth apart: a narrow opening, not an open mouth
        return [poly(ellipse_pts(M(0, -1.5), 12 * f.sx, PART_HALF, 0, 24), fill=MOUTH_IN, stroke=INK, width=3)]
    if m == "smile":
        return [line(quad(M(-19, 4), M(0, -12), M(19, 4)), width=3.8)]
    if m == "puff":
        out = [line(quad(M(-7, 0), M(0, -1), M(7, 0)), width=3.5)]
        for s in (-1, 1):
            out.append(line(quad(f.feat(s * 30, -10), f.feat(s * 35, -18), f.feat(s * 30, -26)),
                            stroke="#868e96", width=2.2))  # fmt: skip
        return out
    if m == "pucker":
        c = M(0, 0)
        out = [poly(ellipse_pts(c, 7 * f.sx, 6.5, 0, 20), fill="#c06d78", stroke=INK, width=3)]
        for a in (20, 160, 200, 340):
            out.append(line([add(c, rot((10, 0), a)), add(c, rot((14, 0), a))], width=1.8))
        return out
    if m == "oo":
        c = M(0, -2)
        return [poly(ellipse_pts(c, 6.5 * f.sx, 8, 0, 20), fill=MOUTH_IN, stroke=INK, width=3.5)]
    if m == "ee":
        pts = [M(-19, 2), M(19, 2), M(15, -7), M(-15, -7)]
        return [
            poly(pts, fill=MOUTH_IN, stroke=INK, width=3),
            poly([M(-16, 1), M(16, 1), M(15, -2), M(-15, -2)], fill="#ffffff"),
        ]
    ry = {"wide": 15.0, "tongue_up": TONGUE_UP_HALF}.get(m, 8.0)
    rx = {"wide": 15.0}.get(m, 12.0)
    cy = -ry + 4 - f.drop * 0.3
    c = M(0, cy)
    out = [poly(ellipse_pts(c, rx * f.sx, ry, 0, 28), fill=MOUTH_IN, stroke=INK, width=3.2)]
    if m in ("tongue_left", "tongue_right"):  # the tip pokes into one corner of the mouth
        toward = 1.0 if m == "tongue_left" else -1.0  # the patient's left is the picture's right
        # only the tip, in that corner and just past it, the rest of the mouth dark: a tongue as
        # wide as the mouth read the same in both corners
        path = [M(toward * (rx - 8), cy - 1.5), M(toward * (rx + 5), cy)]
        out.append(line(path, stroke=INK, width=12))
        out.append(line(path, stroke=TONGUE, width=7.5))
    elif m == "tongue_up":  # the tip lifted to the roof of the mouth, behind the top teeth
        # seen from the front: the underside of the tongue, narrowing up to its tip at the teeth
        tip, low = cy + ry - 1.8, cy - ry * 0.55  # dark below it: the floor of the mouth
        tongue = [M(-8, low), M(-6.5, cy), M(-3, tip), M(3, tip), M(6.5, cy), M(8, low)]
        out.append(poly(tongue, fill=TONGUE, stroke=INK, width=2.0))
        out.append(line([M(0, low + 1), M(0, tip - 3)], stroke="#b5606e", width=1.6))
        out.append(line([M(-10, cy + ry - 1.2), M(10, cy + ry - 1.2)], stroke="#ffffff", width=2.2))
    if m == "tongue_out":
        t0 = add(c, (0, 2))
        tongue = [add(t0, (-7, 0)), add(t0, (7, 0)), add(t0, (7, -14)), add(t0, (4, -19)),
                  add(t0, (-4, -19)), add(t0, (-7, -14))]  # fmt: skip
        out.append(poly(tongue, fill=TONGUE, stroke=INK, width=2.5))
        out.append(line([add(t0, (0, -3)), add(t0, (0, -12))], stroke="#b5606e", width=1.8))
    return out


def pointing_hand(tip: Point, d: Point, box: tuple[float, float, float, float]) -> list[Shape]:
    """A hand whose index fingertip rests at `tip`: the finger, the loose fist behind it and the
    forearm, all along `d` (the direction the hand comes from), the forearm open-ended at the edge
    of `box` (x0, y0, x1, y1), never past it, so it reads as coming in from outside the picture.
    A bare finger drawn as a long rounded bar had read as a pen or a stylus."""
    u = unit(d)
    knuckle = add(tip, mul(u, 19))
    out = holding_fist(add(tip, mul(u, 30)), u, box)
    out += [line([knuckle, tip], stroke=INK, width=11), line([knuckle, add(tip, mul(u, 0.3))], stroke=SKIN, width=6.5)]
    return out


CHIN_FRONT_FROM = (-1.0, -0.85)  # the right hand comes up from below, a little from its own side


def chin_front_tips(f: Face) -> tuple[Point, Point]:
    """Where two fingertips rest on the front of the chin, in its middle, just below the lower
    lip (mouth closed or open): they go down with the jaw as the mouth opens, to add a push down."""
    m = f.v.mouth
    if m in ("open", "wide", "tongue_out", "tongue_left", "tongue_right", "tongue_up"):
        ry = {"wide": 15.0, "tongue_up": TONGUE_UP_HALF}.get(m, 8.0)
        lip = -31.0 + (-ry + 4 - f.drop * 0.3) - ry - 3.0
    else:
        lip = -31.0 - f.drop * 0.3 - 5.0
    chin = -RY - f.drop
    y = lip + (chin - lip) * 0.4
    return f.feat(-6.0, y, 0.8), f.feat(6.0, y, 0.8)


def two_fingertips_hand(tips: tuple[Point, Point], d: Point, box: tuple[float, float, float, float]) -> list[Shape]:
    """A hand whose first two fingertips rest side by side at `tips`, the fingers along `d` (the
    direction the hand comes from) to one loose fist and the forearm (as pointing_hand draws one)."""
    u = unit(d)
    middle = mul(add(tips[0], tips[1]), 0.5)
    out = holding_fist(add(middle, mul(u, 27)), u, box)
    for tip in tips:
        knuckle = add(tip, mul(u, 17))
        out += [
            line([knuckle, tip], stroke=INK, width=11),
            line([knuckle, add(tip, mul(u, 0.3))], stroke=SKIN, width=6.5),
        ]
    return out


def holding_fist(fist: Point, d: Point, box: tuple[float, float, float, float]) -> list[Shape]:
    """A loose fist centred at `fist` and its forearm going away along `d` to the edge of `box`,
    open-ended there (a hand holding a spoon's handle, or behind a pointing finger)."""
    u = unit(d)
    n = perp(u)
    edges = ((box[0], box[2]), (box[1], box[3]))  # x, then y: low and high
    room = [((hi - 1 if c > 0 else lo + 1) - t) / c for t, c, (lo, hi) in zip(fist, u, edges, strict=True) if c]
    reach = min([90.0, *room])
    out: list[Shape] = []
    if reach > 10:  # the forearm from the fist to the edge: its sides drawn, its far end left open
        near, far = add(fist, mul(u, 4)), add(fist, mul(u, reach))
        sides = [(add(near, mul(n, k)), add(far, mul(n, k))) for k in (-9.0, 9.0)]
        out.append(poly([sides[0][0], sides[0][1], sides[1][1], sides[1][0]], fill=SKIN))
        out += [line(pair, stroke=INK, width=3) for pair in sides]
    out.append(poly(ellipse_pts(fist, 13.0, 11.0, angle_of(u), 20), fill=SKIN, stroke=INK, width=3))
    out += [
        line([add(fist, mul(n, k)), add(add(fist, mul(n, k)), mul(u, 8))], stroke=INK, width=1.6) for k in (-4.0, 3.0)
    ]
    return out


def draw(v: Expression, props: list[str]) -> list[Shape]:
    """The face, neck and shoulders in one pose (model units, y up)."""
    f = Face(v)
    out: list[Shape] = []
    if "pillow" in props:
        out.append(rect((-84, -40), (84, 70), fill="#e6eaef", r=18))
    # neck and shoulders
    out.append(poly([(-88, -92), (-26, -72), (26, -72), (88, -92)], fill=INK))
    neck = [f.P(p) for p in ((-19, -30), (19, -30))]
    out.append(poly([(-21, -75), *neck, (21, -75)], fill=SKIN, stroke=INK, width=3.5))
    t = math.radians(v.head_turn)
    for s in (-1, 1):  # ears
        x = s * RX * math.cos(t) * 0.98 + f.fx * 0.8
        if math.cos(t) * 1 > 0.2 or s * math.sin(t) > 0:
            out.append(poly([f.P(p) for p in ellipse_pts((x, CY + 2), 7, 12, 0, 20)],
                            fill=SKIN, stroke=INK, width=3))  # fmt: skip
    face = f.outline()
    out.append(poly(face, fill=SKIN, stroke=INK, width=4))
    # hair: the outline over the top, closed by a soft fringe
    top = [p for i, p in enumerate(face) if 4 <= i <= 32]
    fringe = quad(f.P((-RX * 0.9, CY + 30)), f.P((f.fx, CY + 42)), f.P((RX * 0.9, CY + 30)), 10)
    out.append(poly(top + fringe, fill=INK, stroke=INK, width=2))
    for side in (-1.0, 1.0):
        out += _eye(f, side)
        out += _brow(f, side)
    nose = [f.feat(-1, 4), f.feat(-5, -12), f.feat(1, -15)]
    out.append(line(nose, width=3))
    out += _mouth(f)
    if v.touch in TOUCH:
        tip, d = TOUCH[v.touch]
        out += pointing_hand(f.P(tip), rot(d, v.head_tilt), BOX)
    if v.touch == "chin_front":
        out += two_fingertips_hand(chin_front_tips(f), CHIN_FRONT_FROM, BOX)
    if v.touch == "fist_chin":
        out += _fist_under_chin(f)
    if v.touch == "palms_eyes":
        out += _palms_over_eyes(f)
    if v.touch == "lip_object":
        out += _object_between_lips(f)
    if v.touch == "spoon":
        out += _spoon(tongue_tip(f))
    if "book" in props:
        out += _page_held()
    return out


SPOON, SPOON_EDGE = "#dee2e6", "#6c757d"


def tongue_tip(f: Face) -> Point:
    """Where the tip of a tongue put out (mouth = tongue_out) is, below the lower lip."""
    ry = 8.0
    c = f.feat(0, -31.0 + (-ry + 4 - f.drop * 0.3), 0.8)
    return add(c, (0.0, 2.0 - 19.0))


def _spoon(tip: Point) -> list[Shape]:
    """A metal spoon held from the patient's right (the picture's left, low down), the back of its
    bowl against the tongue tip at `tip` (or just below the mouth, ready)."""
    bowl = add(tip, (0.0, -12.0))
    handle = [add(bowl, (-8.0, -6.0)), add(bowl, (-62.0, -38.0))]
    return [
        line(handle, stroke=SPOON_EDGE, width=8),
        line(handle, stroke=SPOON, width=4.5),
        poly(ellipse_pts(bowl, 9.5, 11, 30, 24), fill=SPOON, stroke=SPOON_EDGE, width=2.5),
    ]


def _page_held() -> list[Shape]:
    """A page held up in both hands at chest height, just below the chin, seen from behind: its
    back, the print showing through faintly, the fingers over its side edges."""
    out: list[Shape] = [
        poly([(-50, -89), (-46, -62), (46, -62), (50, -89)], fill="#ffffff", stroke="#868e96", width=2.5)
    ]
    out += [
        line([(-36 + k, y), (36 - k, y)], stroke="#e9ecef", width=3)
        for k, y in ((1.0, -69.0), (2.0, -76.0), (3.0, -83.0))
    ]
    for side in (-1.0, 1.0):
        for y in (-67.0, -74.0, -81.0):
            out += [line([(side * 58, y - 2), (side * 44, y)], stroke=INK, width=8.5),
                    line([(side * 58, y - 2), (side * 44.6, y)], stroke=SKIN, width=5)]  # fmt: skip
    return out


OBJECT = "#f3d9a4"  # a small thing held between the lips (a piece of gum, a short stick)


def _object_between_lips(f: Face) -> list[Shape]:
    """A small object held lightly between the lips, sticking out a little from the middle."""
    c = f.feat(0, -31.0, 0.8)
    return [rect(add(c, (-7 * f.sx, -3.5)), add(c, (7 * f.sx, 3.5)), fill=OBJECT, stroke=INK, width=2.2, r=3)]


def _palms_over_eyes(f: Face) -> list[Shape]:
    """Both palms cupped over the closed eyes, fingers up on the forehead, wrists down and out."""
    out: list[Shape] = []
    for side in (-1.0, 1.0):
        cx = side * 21
        wrist = f.feat(cx + side * 18, -34)
        out.append(line([add(wrist, (side * 14, -54)), wrist], stroke=INK, width=25))
        out.append(line([add(wrist, (side * 14, -54)), wrist], stroke=SKIN, width=18))
        out.append(poly([f.P(p) for p in ellipse_pts(f.upright(cx + side * 3, 4), 20, 24, side * 12, 24)],
                        fill=SKIN, stroke=INK, width=3.5))  # fmt: skip
        for k in (-9.0, 0.0, 9.0):
            base = f.feat(cx + k - side * 2, 22)
            tip = f.feat(cx + k - side * 5, 40)
            out += [line([base, tip], stroke=INK, width=11), line([base, tip], stroke=SKIN, width=6.5)]
    return out


def _fist_under_chin(f: Face) -> list[Shape]:
    """A fist under the chin, knuckles up, its forearm going down out of the picture."""
    top = CY - RY - f.drop - 1.0
    x = f.jaw * 1.0
    out = [
        line([(x, top - 20), (x, -80.0)], stroke=INK, width=26),
        line([(x, top - 20), (x, -80.0)], stroke=SKIN, width=19),
        rect((x - 20, top - 24), (x + 20, top), fill=SKIN, stroke=INK, width=3.5, r=8),
    ]
    out += [line([(x + k, top - 1.5), (x + k, top - 9)], stroke=INK, width=2) for k in (-10.0, 0.0, 10.0)]
    return out


def _changed(v0: Expression, v1: Expression) -> str | None:
    score = {
        "head_turn": abs(v1.head_turn - v0.head_turn),
        "head_tilt": abs(v1.head_tilt - v0.head_tilt),
        "jaw_shift": abs(v1.jaw_shift - v0.jaw_shift) * 60,
    }
    for k, w in (("touch", 40), ("mouth", 35), ("gaze", 30), ("brows", 25), ("eyes", 20)):
        score[k] = w if getattr(v0, k) != getattr(v1, k) else 0
    best = max(score, key=lambda k: score[k])
    return best if score[best] > 3 else None


def arrow(key: str, v0: Expression, v1: Expression) -> list[Shape]:
    """The marks of the movement `key` from v0 to v1."""
    f = Face(v1)
    if key == "head_turn":
        sign = 1 if v1.head_turn > v0.head_turn else -1
        a0, a1 = (-30.0, -150.0) if sign > 0 else (-150.0, -30.0)
        return arrow_along(arc(f.P((0, CY + RY + 12)), 44, a0, a1, 24, 8))
    if key == "head_tilt":
        return arc_arrow(NECK, RY * 2 + 14, 90 + v0.head_tilt, 90 + v1.head_tilt)
    if key == "jaw_shift":
        y = CY - RY - f.drop - 12
        return straight_arrow(f.P((-v0.jaw_shift * 26, y)), f.P((-v1.jaw_shift * 26, y)))
    if key == "touch":
        if v1.touch not in TOUCH:
            return []
        tip, d = TOUCH[v1.touch]
        tip = f.P(tip)
        u = unit(rot(d, v1.head_tilt))
        side = rot(u, 90)
        a = add(add(tip, mul(u, 40)), mul(side, 16))
        return bow_arrow(a, add(add(tip, mul(u, 12)), mul(side, 12)), 0.25)
    if key == "gaze":
        g = {"left": (1, 0), "right": (-1, 0), "up": (0, 1), "down": (0, -1)}.get(v1.gaze)
        if g is None:
            g = {"left": (-1, 0), "right": (1, 0), "up": (0, -1), "down": (0, 1)}[v0.gaze]
        if g[1] == 0:
            return straight_arrow(f.feat(-g[0] * 10, 46), f.feat(g[0] * 14, 46))
        return straight_arrow(f.feat(RX + 14, 10 - g[1] * 10), f.feat(RX + 14, 10 + g[1] * 12))
    if key == "brows" and v1.brows == "neutral" and v0.brows == "frown":
        return []  # letting a frown go is relaxation, not a movement to copy: no arrow
    if key in ("brows", "eyes"):
        what = getattr(v1, key)
        up = what in ("raised", "wide", "open") and not (key == "eyes" and v0.eyes == "wide")
        out: list[Shape] = []
        for brow_side in (-1, 1):
            brow_x = brow_side * 19
            y0 = 30 if key == "brows" else 18
            if what == "frown":
                a, b = f.feat(brow_x + brow_side * 6, 34), f.feat(brow_x - brow_side * 2, 26)
            elif up:
                a, b = f.feat(brow_x, y0 + 4), f.feat(brow_x, y0 + 16)
            else:
                a, b = f.feat(brow_x, y0 + 16), f.feat(brow_x, y0 + 4)
            out += straight_arrow(a, b, min_len=14, width=3.5, head=8.5)
        return out
    if key == "mouth":
        m = v1.mouth
        if m in ("tongue_left", "tongue_right"):  # under the mouth, toward the tongue tip
            toward = 1.0 if m == "tongue_left" else -1.0
            y = -31 - 25.0
            return straight_arrow(f.feat(-toward * 12, y, 0.7), f.feat(toward * 17, y, 0.7), width=3.5, head=8)
        if m == "tongue_up":
            x = 12 * f.sx + 9
            return straight_arrow(f.feat(x, -44, 0.7), f.feat(x, -27, 0.7), width=3.5, head=8)
        if m in ("part", "open", "wide", "tongue_out"):
            x = RX * 0.75
            y = CY - RY * 0.55
            return straight_arrow(f.feat(x, y - CY), f.feat(x, y - CY - 20))
        out = []
        inward = m in ("pucker", "oo", "closed")
        for s in (-1, 1):
            x = s * (24 if m != "puff" else 44)
            a, b = f.feat(x + s * 12, -31), f.feat(x, -31)
            out += straight_arrow(a, b, min_len=14, width=3.5, head=8.5) if inward else \
                straight_arrow(b, a, min_len=14, width=3.5, head=8.5)  # fmt: skip
        return out
    return []


def _press(direction: str, v: Expression) -> list[Shape]:
    """The push of the face or jaw into the still fingertip (or under the chin)."""
    f = Face(v)
    d = rot({"up": (0, 1), "down": (0, -1), "right": (-1, 0), "left": (1, 0)}[direction],
            v.head_tilt)  # fmt: skip
    under_chin = (0.0, CY - RY - f.drop - 4)
    tip = f.P(TOUCH[v.touch][0] if v.touch in TOUCH else under_chin)
    if v.touch == "spoon":  # the tongue pushes into the spoon's bowl: beside the tongue, not over it
        tip = add(tongue_tip(f), (17.0, -4.0))
    tip = sub(tip, mul(d, 3))
    return arrow_along([sub(tip, mul(d, 24)), tip], width=8, head=15)


def build(pic: Picture) -> ViewDrawing:
    """Both face poses drawn, with the arrow (or the push of a press) and the mouth's anchors."""
    v0 = values(pic.start)
    v1 = values(pic.end)
    key = pic.arrow or _changed(v0, v1)
    f = Face(v1)
    arrows = arrow(key, v0, v1) if key else []
    if pic.press:  # pushing against the hand: a press arrow instead of a motion arrow
        arrows = _press(pic.press, v1)
    return ViewDrawing(
        start=draw(v0, pic.props),
        end=draw(v1, pic.props),
        arrow=arrows,
        floor=None,
        box=BOX,
        anchors=Anchors(
            mouth=f.feat(22, -31, 0.7),
            face_dir=(1.0, -0.15),
            throat=f.P((0, -50)),
            throat_dir=(1.0, 0.0),
            down=(0.0, -1.0),
            scale=1.5,
        ),
    )
