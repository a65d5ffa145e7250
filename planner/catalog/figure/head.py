"""The round head seen from the front, with a face: the front view's and the lying views'."""

from __future__ import annotations

import math

from .body import HEAD_RADIUS_FRONT
from .shapes import INK, SKIN, Point, Shape, add, arc, circle, ellipse, line, poly, rot


def draw_head(
    centre: Point, tilt: float, turn: float, radius: float = HEAD_RADIUS_FRONT, nod: float = 0.0
) -> list[Shape]:
    """Round head with hair, ears, eyes, nose and mouth (model units, y up).

    tilt: degrees the head leans in the picture (+ counter-clockwise); turn: degrees the face
    turns (+ toward the picture's left, the ears and features follow); nod: degrees the chin
    tips down (the features slide down the ball of the head and more hair shows on top).
    """
    t = math.radians(turn)
    n = math.radians(nod)

    def at(x: float, y: float) -> Point:
        if n:  # a feature at height y on the ball of the head, turned down by the nod
            y = radius * math.sin(max(-math.pi / 2, math.asin(max(-1.0, min(1.0, y / radius))) - n))
        return add(centre, rot((x, y), tilt))

    back: list[Shape] = []
    over: list[Shape] = []
    for b in (-math.pi / 2, math.pi / 2):
        x = radius * math.sin(b - t)
        ear = ellipse(at(x, 0), 3.0, 4.5, fill=SKIN, stroke=INK, width=2.5)
        (over if math.cos(b - t) > 0.55 else back).append(ear)
    hair_rot = tilt - turn * 0.45
    spread = 75 + nod * 0.9  # the crown shows as the chin goes down, less of it as the head tips back
    hair = arc(centre, radius + 0.5, 90 + hair_rot - spread, 90 + hair_rot + spread, 20)
    out = back + [circle(centre, radius, fill=SKIN, stroke=INK, width=3.5), poly(hair, fill=INK)] + over
    for b in (-0.5, 0.5):
        if math.cos(b - t) > 0.2:
            out.append(circle(at(radius * 0.92 * math.sin(b - t), 1.5), 1.9, fill=INK, stroke=None))
    s = math.sin(-t)
    nose_x = radius * 0.95 * s
    tip = nose_x + (3.0 * s if abs(s) > 0.3 else 1.6)
    out.append(line([at(nose_x, 0.5), at(tip, -4.0), at(nose_x, -5.0)], stroke=INK, width=2.2))
    mouth_x = radius * 0.85 * s
    half = 1.5 + 3.5 * math.cos(t)
    out.append(line([at(mouth_x - half, -8.3), at(mouth_x, -9.2), at(mouth_x + half, -8.3)], stroke=INK, width=2.2))
    return out
