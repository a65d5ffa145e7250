"""The profile view: a large head and neck seen from the side, facing the picture's right.

The face view cannot show a jaw or a tongue moving forward or back: from the front, a jaw slid
back looks the same. Here the lower jaw slides forward and back (`jaw_forward`) and opens by a
turn about the jaw joint in front of the ear, so "slide your jaw back, away from your fingertip"
shows the chin leaving the fingertip, and a tongue pushed forward into a spoon shows the push.
"""

from __future__ import annotations

from dataclasses import dataclass

from .face import holding_fist, pointing_hand
from .shapes import (
    INK,
    SKIN,
    Point,
    Shape,
    add,
    arc,
    bow_arrow,
    circle,
    ellipse_pts,
    lerp,
    line,
    mul,
    poly,
    press_arrow,
    quad,
    rot,
    straight_arrow,
    sub,
    unit,
)
from .spec import Picture, Pose
from .view import Anchors, ViewDrawing

MOUTH_IN, TONGUE, SPOON, SPOON_EDGE = "#4a1f24", "#e58f9e", "#dee2e6", "#6c757d"
JAW_SLIDE = 12.0  # how far the chin moves at jaw_forward = 1 (model units; exaggerated, to be seen)
JAW_PIVOT = (-14.0, -4.0)  # the jaw joint, in front of the ear: the jaw opens about it
OPENING = {"closed": 0.0, "part": 4.0, "open": 14.0, "wide": 20.0, "tongue_out": 8.0}  # degrees
BOX = (-80.0, -104.0, 100.0, 78.0)
DEFAULTS = {"eyes": "open", "mouth": "closed", "jaw_forward": 0.0, "touch": "none"}

# The head's outline, upright, the jaw at rest: the fixed part from the nape over the skull to
# the corner of the lips, then the lower jaw from the lower lip round the chin to its angle.
CRANIUM_C, CRANIUM_R = (-12.0, 16.0), 53.0
UPPER_FACE: list[Point] = [
    (44.0, 30.0), (46.5, 22.0), (44.0, 14.0), (52.0, 4.0), (59.0, -4.0), (55.0, -9.0),
    (46.0, -10.0), (45.0, -13.0), (49.0, -19.0), (48.0, -23.0),
]  # fmt: skip
LIPS_MEET = (43.0, -24.5)  # where the lips meet, a little in from their front
LOWER_JAW: list[Point] = [
    (48.0, -26.0), (48.5, -30.0), (44.0, -35.0), (46.0, -41.0), (48.0, -47.0), (44.0, -54.0),
    (34.0, -58.0), (20.0, -56.0), (0.0, -48.0), (-14.0, -38.0),
]  # fmt: skip
CHIN_FRONT = LOWER_JAW[4]  # where a fingertip rests on the chin
TONGUE_TIP = (63.0, -27.0)  # the tip of a tongue put out, at rest


@dataclass(frozen=True)
class Profile:
    """A profile pose, every key filled in (docs/catalog-format.md, view = "profile").

    eyes: open or closed; mouth: closed, part, open, wide or tongue_out; jaw_forward: −1..1, the
    lower jaw slides forward (+) or back (−); touch: none, chin (a fingertip rests where the chin
    is at rest: a jaw slid back leaves it), chin_top (a fingertip from in front rests on the front
    of the chin, to press down on it), spoon (a spoon held upright in front of the lips, the
    back of its bowl at the tip of a tongue put out).
    """

    eyes: str
    mouth: str
    jaw_forward: float
    touch: str


def filled(pose: Pose) -> Pose:
    """The pose with every key it leaves out at its default."""
    return {**DEFAULTS, **pose}


def values(pose: Pose) -> Profile:
    """The profile pose of a catalog pose (only the profile view's keys)."""
    return Profile(**filled(pose))


def jaw(v: Profile, p: Point) -> Point:
    """A point of the lower jaw (given at rest) where the pose puts it: opened, then slid."""
    return add(rot(p, -OPENING.get(v.mouth, 0.0), JAW_PIVOT), (v.jaw_forward * JAW_SLIDE, 0.0))


def chin(v: Profile) -> Point:
    """The front of the chin in this pose."""
    return jaw(v, CHIN_FRONT)


def tongue_tip(v: Profile) -> Point:
    """The tip of the tongue put out (it comes forward with the jaw)."""
    return add(jaw(v, (48.0, -27.0)), sub(TONGUE_TIP, (48.0, -27.0)))


def _outline(v: Profile) -> list[Point]:
    skull = arc(CRANIUM_C, CRANIUM_R, 250, 40, 24)  # from the nape, over the back and top
    return skull + UPPER_FACE + [LIPS_MEET] + [jaw(v, p) for p in LOWER_JAW]


def _hair() -> Shape:
    outer = arc(CRANIUM_C, CRANIUM_R + 0.5, 212, 52, 22)
    inner = quad((20.0, 58.0), (8.0, 42.0), (-16.0, 34.0), 8) + quad((-16.0, 30.0), (-40.0, 26.0), (-56.0, -12.0), 6)
    return poly(outer + inner, fill=INK)


def _eye(v: Profile) -> list[Shape]:
    if v.eyes == "closed":
        lid = quad((24.0, 12.0), (30.0, 8.0), (36.0, 11.0), 6)
        return [line(lid, width=3.0)] + [line([(x, y), (x - 1.0, y - 3.5)], width=1.6) for x, y in lid[1:-1:2]]
    white = [(25.0, 12.5), (31.0, 16.0), (36.5, 12.0), (31.0, 9.5)]
    return [
        poly(white, fill="#ffffff", stroke=INK, width=2.5),
        circle((33.0, 12.5), 2.6, fill=INK, stroke=None),
        line([(24.0, 21.0), (31.0, 23.5), (39.0, 21.5)], width=3.5),  # the brow
    ]


def _mouth(v: Profile) -> list[Shape]:
    """The inside of an open mouth, seen in the gap between the lips (drawn under the head)."""
    if OPENING.get(v.mouth, 0.0) == 0.0:
        return []
    lower = jaw(v, LOWER_JAW[0])
    return [poly([(49.0, -20.0), (48.0, -23.0), (36.0, -25.0), sub(lower, (12.0, 0.0)), lower], fill=MOUTH_IN)]


def _tongue(v: Profile) -> list[Shape]:
    if v.mouth != "tongue_out":
        return []
    tip = tongue_tip(v)
    root = jaw(v, (38.0, -27.0))
    top, under = add(root, (0.0, 3.0)), add(root, (0.0, -3.5))
    shape = quad(top, add(tip, (-6.0, 5.0)), add(tip, (0.0, 1.0)), 6) + quad(
        add(tip, (0.0, -2.0)), add(tip, (-8.0, -6.0)), under, 6
    )
    return [poly(shape, fill=TONGUE, stroke=INK, width=2.2)]


FINGER_FROM = (0.7, -1.0)  # the hand comes up from below, in front of the neck
FINGER_TIP = add(CHIN_FRONT, mul(unit(FINGER_FROM), 7.0))  # its round end on the chin at rest
# touch = "chin_top": the hand comes from in front and a little above, its fingertip on the front of
# the chin, to press down on it (a hand from below reads as pushing the chin up).
FINGER_ABOVE_FROM = (1.0, 0.6)
FINGER_ABOVE_TIP = add(CHIN_FRONT, mul(unit(FINGER_ABOVE_FROM), 6.0))


def _spoon(v: Profile) -> list[Shape]:
    """A spoon held upright in front of the mouth, the back of its bowl toward the lips, at the
    tongue tip's height; the handle goes down and forward into the fist that holds it."""
    at = add(tongue_tip(values({"mouth": "tongue_out"})), (2.5, 0.0))  # held still: where the tip reaches
    bowl_c = add(at, (4.5, -1.0))
    handle = [add(bowl_c, (3.0, -10.0)), add(bowl_c, (17.0, -44.0))]
    return [
        line(handle, stroke=SPOON_EDGE, width=8),
        line(handle, stroke=SPOON, width=4.5),
        poly(ellipse_pts(bowl_c, 5.0, 11.5, -8, 20), fill=SPOON, stroke=SPOON_EDGE, width=2.5),
        *holding_fist(add(bowl_c, (20.0, -50.0)), (0.45, -1.0), BOX),  # the hand holding its handle
    ]


def draw(v: Profile) -> list[Shape]:
    """The head, neck and shoulders in profile in one pose (model units, y up)."""
    out: list[Shape] = [
        poly([(-58, -100), (-50, -80), (-26, -72), (20, -74), (46, -86), (56, -100)], fill=INK),  # shoulders
        poly([(-34, -20), (-32, -78), (26, -80), (24, -50), (4, -40)], fill=SKIN, stroke=INK, width=3.5),  # neck
    ]
    out += _mouth(v)
    out.append(poly(_outline(v), fill=SKIN, stroke=INK, width=4))
    out.append(_hair())
    out.append(poly(ellipse_pts((-16.0, 2.0), 7.0, 12.0, -8, 20), fill=SKIN, stroke=INK, width=3))  # the ear
    out += _eye(v)
    if OPENING.get(v.mouth, 0.0) == 0.0:  # the lips meet: the line between them
        out.append(line([(48.5, -24.0), LIPS_MEET], width=3.0))
    out += _tongue(v)
    if v.touch == "chin":
        out += pointing_hand(FINGER_TIP, FINGER_FROM, BOX)
    if v.touch == "chin_top":
        out += pointing_hand(FINGER_ABOVE_TIP, FINGER_ABOVE_FROM, BOX)
    if v.touch == "spoon":
        out += _spoon(v)
    return out


def _changed(v0: Profile, v1: Profile) -> str | None:
    score = {"jaw_forward": abs(v1.jaw_forward - v0.jaw_forward) * 60}
    for k, w in (("touch", 40), ("mouth", 35), ("eyes", 20)):
        score[k] = w if getattr(v0, k) != getattr(v1, k) else 0
    best = max(score, key=lambda k: score[k])
    return best if score[best] > 3 else None


def arrow(key: str, v0: Profile, v1: Profile) -> list[Shape]:
    """The marks of the movement `key` from v0 to v1."""
    if key == "jaw_forward":  # under the chin, from where it was to where it is
        below = (-8.0, -19.0)
        return straight_arrow(add(chin(v0), below), add(chin(v1), below), width=3.5, head=8)
    if key == "mouth":
        if OPENING.get(v1.mouth, 0.0) >= OPENING.get(v0.mouth, 0.0):  # the jaw swings open: down in front of the chin
            return bow_arrow(add(chin(v0), (12.0, 10.0)), add(chin(v1), (12.0, -8.0)), -0.25)
        return bow_arrow(add(chin(v0), (12.0, -8.0)), add(chin(v1), (12.0, 10.0)), 0.25)
    if key == "touch" and v1.touch == "chin":
        return bow_arrow(add(FINGER_TIP, (40.0, -6.0)), add(FINGER_TIP, (14.0, -2.0)), 0.25)
    return []


def _press(direction: str, v: Profile) -> list[Shape]:
    """The push of the jaw or tongue into what holds still: the fingertip or the spoon."""
    d = {"forward": (1.0, 0.0), "back": (-1.0, 0.0), "up": (0.0, 1.0), "down": (0.0, -1.0)}[direction]
    # under the tongue, in front of the chin, toward the spoon's bowl; from under the chin up into a
    # fingertip on top of it (the jaw holds shut against it); or from the chin to the fingertip
    if v.touch == "spoon":
        at = add(tongue_tip(v), (1.0, -9.0))
    elif v.touch == "chin_top":
        at = add(chin(v), (0.0, -3.0))
    else:
        at = lerp(chin(v), FINGER_TIP, 0.3)
    return press_arrow(at, d, 16.0)


def build(pic: Picture) -> ViewDrawing:
    """Both profile poses drawn, with the arrow (or the push of a press) and the mouth's anchors."""
    v0, v1 = values(pic.start), values(pic.end)
    key = pic.arrow or _changed(v0, v1)
    arrows = arrow(key, v0, v1) if key else []
    if pic.press:
        arrows = _press(pic.press, v1)
    return ViewDrawing(
        start=draw(v0),
        end=draw(v1),
        arrow=arrows,
        floor=None,
        box=BOX,
        anchors=Anchors(
            mouth=(52.0, -24.0),
            face_dir=(1.0, -0.1),
            throat=(26.0, -64.0),
            throat_dir=(1.0, 0.0),
            down=(0.0, -1.0),
            scale=1.5,
        ),
    )
