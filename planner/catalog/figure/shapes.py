"""Drawing primitives shared by both renderers, and small geometry helpers.

Every view builds its picture as a list of `Shape`s. The views work in model units with y
pointing up; `compose` fits them into the fixed 400 x 200 figure box (y pointing down, as in
SVG) and the renderers only walk the final list.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

Point = tuple[float, float]

# The one palette of the drawing.
INK = "#1f2328"  # the figure, near-side limbs
FAR = "#8f979f"  # far-side limbs in the side view
SKIN = "#ffffff"  # head, face and hand fill
PROP = "#dfe3e8"  # prop fill
PROP_EDGE = "#8a939c"  # prop outline
ARROW = "#0a58ca"  # the motion arrow
BAND = "#e8590c"  # exercise band
SYMBOL = "#343a40"
LABEL = "#1f2328"
FRAME = "#ced4da"


@dataclass(frozen=True)
class Shape:
    """One primitive.

    kind: "line" (open polyline), "poly" (closed polygon), "circle", "ellipse" (points[0] is the
    centre, rx/ry the radii), "rect" (points are two opposite corners, rx the corner radius) or
    "text" (points[0] is the anchor point on the baseline).
    """

    kind: str
    points: tuple[Point, ...]
    stroke: str | None = None
    fill: str | None = None
    width: float = 0.0
    rx: float = 0.0
    ry: float = 0.0
    dash: tuple[float, ...] | None = None
    text: str = ""
    size: float = 0.0
    anchor: str = "middle"  # start | middle | end
    bold: bool = False


@dataclass
class Figure:
    """The neutral picture: a box and its shapes in drawing order."""

    width: float = 400.0
    height: float = 200.0
    shapes: list[Shape] = field(default_factory=list)


# ---- constructors -------------------------------------------------------------------------


def line(
    points: Iterable[Point], stroke: str | None = INK, width: float = 7.0, dash: tuple[float, ...] | None = None
) -> Shape:
    return Shape("line", tuple(points), stroke=stroke, width=width, dash=dash)


def poly(points: Iterable[Point], fill: str | None = INK, stroke: str | None = None, width: float = 0.0) -> Shape:
    return Shape("poly", tuple(points), stroke=stroke, fill=fill, width=width)


def circle(c: Point, r: float, fill: str | None = None, stroke: str | None = INK, width: float = 3.0) -> Shape:
    return Shape("circle", (c,), stroke=stroke, fill=fill, width=width, rx=r, ry=r)


def ellipse(
    c: Point, rx: float, ry: float, fill: str | None = None, stroke: str | None = INK, width: float = 3.0
) -> Shape:
    return Shape("ellipse", (c,), stroke=stroke, fill=fill, width=width, rx=rx, ry=ry)


def rect(
    p0: Point, p1: Point, fill: str | None = PROP, stroke: str | None = PROP_EDGE, width: float = 2.0, r: float = 0.0
) -> Shape:
    return Shape("rect", (p0, p1), stroke=stroke, fill=fill, width=width, rx=r)


def text(p: Point, s: str, size: float = 14.0, anchor: str = "middle", bold: bool = True, fill: str = LABEL) -> Shape:
    return Shape("text", (p,), fill=fill, text=s, size=size, anchor=anchor, bold=bold)


# ---- geometry -------------------------------------------------------------------------------


def add(a: Point, b: Point) -> Point:
    return (a[0] + b[0], a[1] + b[1])


def sub(a: Point, b: Point) -> Point:
    return (a[0] - b[0], a[1] - b[1])


def mul(a: Point, k: float) -> Point:
    return (a[0] * k, a[1] * k)


def lerp(a: Point, b: Point, t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def length(a: Point) -> float:
    return math.hypot(a[0], a[1])


def dist(a: Point, b: Point) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def unit(a: Point) -> Point:
    n = length(a)
    return (a[0] / n, a[1] / n) if n > 1e-9 else (0.0, 0.0)


def dot(a: Point, b: Point) -> float:
    return a[0] * b[0] + a[1] * b[1]


def perp(a: Point) -> Point:
    """a turned 90 degrees counter-clockwise (y up)."""
    return (-a[1], a[0])


def limb(phi: float, r: float = 1.0) -> Point:
    """Direction of a body segment: phi degrees from straight down, + toward the front (+x)."""
    a = math.radians(phi)
    return (r * math.sin(a), -r * math.cos(a))


def rot(p: Point, deg: float, c: Point = (0.0, 0.0)) -> Point:
    """p rotated counter-clockwise (y up) by deg around c."""
    a = math.radians(deg)
    x, y = p[0] - c[0], p[1] - c[1]
    return (c[0] + x * math.cos(a) - y * math.sin(a), c[1] + x * math.sin(a) + y * math.cos(a))


def angle_of(v: Point) -> float:
    return math.degrees(math.atan2(v[1], v[0]))


def arc(c: Point, r: float, a0: float, a1: float, n: int | None = None, ry: float | None = None) -> list[Point]:
    """Points on a circular (or, with ry, elliptical) arc from math angle a0 to a1."""
    ry = r if ry is None else ry
    n = n or max(6, int(abs(a1 - a0) / 6) + 2)
    out = []
    for i in range(n + 1):
        a = math.radians(a0 + (a1 - a0) * i / n)
        out.append((c[0] + r * math.cos(a), c[1] + ry * math.sin(a)))
    return out


def ellipse_pts(c: Point, rx: float, ry: float, turn: float = 0.0, n: int = 36) -> list[Point]:
    """A closed ellipse outline, rotated by turn degrees."""
    pts = arc((0.0, 0.0), rx, 0, 360, n, ry)[:-1]
    return [add(rot(p, turn), c) for p in pts]


def quad(p0: Point, ctrl: Point, p1: Point, n: int = 12) -> list[Point]:
    """Quadratic Bezier curve sampled into points."""
    out = []
    for i in range(n + 1):
        t = i / n
        a, b = lerp(p0, ctrl, t), lerp(ctrl, p1, t)
        out.append(lerp(a, b, t))
    return out


def ik2(root: Point, target: Point, l1: float, l2: float, bend: float) -> Point:
    """Middle joint of a two-segment limb reaching from root toward target.

    bend +1 or -1 picks the side the joint bends to (left or right of root->target).
    """
    d = min(dist(root, target), l1 + l2 - 1e-6)
    d = max(d, abs(l1 - l2) + 1e-6)
    u = unit(sub(target, root))
    a = (l1 * l1 - l2 * l2 + d * d) / (2 * d)
    h = math.sqrt(max(0.0, l1 * l1 - a * a))
    return add(add(root, mul(u, a)), mul(perp(u), h * bend))


def map_shape(s: Shape, f: Callable[[Point], Point], scale: float = 1.0) -> Shape:
    """Apply a point transform (and a radius scale) to one shape."""
    pts = tuple(f(p) for p in s.points)
    if s.kind in ("circle", "ellipse"):
        return replace(s, points=pts, rx=s.rx * scale, ry=s.ry * scale)
    if s.kind == "rect":
        return replace(s, points=pts, rx=s.rx * scale)
    return replace(s, points=pts)


def shape_points(s: Shape) -> list[Point]:
    """Points that bound a shape (for fitting)."""
    if s.kind in ("circle", "ellipse"):
        (x, y) = s.points[0]
        return [(x - s.rx, y - s.ry), (x + s.rx, y + s.ry)]
    if s.kind == "text":
        return []
    return list(s.points)


def r1(v: float) -> float:
    """Round to one decimal, never -0.0."""
    return round(v, 1) + 0.0


def round_shape(s: Shape) -> Shape:
    return replace(
        s,
        points=tuple((r1(x), r1(y)) for x, y in s.points),
        width=r1(s.width),
        rx=r1(s.rx),
        ry=r1(s.ry),
        size=r1(s.size),
    )


# ---- arrows -----------------------------------------------------------------------------------


def arrow_head(tip: Point, direction: Point, size: float = 9.0, color: str = ARROW) -> Shape:
    u = unit(direction)
    back = sub(tip, mul(u, size))
    side = mul(perp(u), size * 0.6)
    return poly([add(tip, mul(u, 2.0)), add(back, side), sub(back, side)], fill=color)


def arrow_along(
    pts: Iterable[Point], color: str = ARROW, width: float = 4.0, head: float = 10.0, both: bool = False
) -> list[Shape]:
    """A stroked path with an arrow head at its end (and start, with both)."""
    pts = list(pts)
    out = []
    tip = pts[-1]
    # stop the line short of the tip so the head stays sharp
    k = len(pts) - 1
    while k > 0 and dist(pts[k], tip) < head * 0.8:
        k -= 1
    body = pts[: k + 1]
    d = sub(tip, pts[k]) if k < len(pts) - 1 else sub(tip, pts[-2])
    end = sub(tip, mul(unit(d), head * 0.7))
    body = body + [end]
    if both:
        t0 = pts[0]
        j = 0
        while j < len(pts) - 1 and dist(pts[j], t0) < head * 0.8:
            j += 1
        d0 = sub(t0, pts[j])
        body = [sub(t0, mul(unit(d0), head * 0.7))] + body[j:]
        out.append(arrow_head(t0, d0, head, color))
    out.insert(0, line(body, stroke=color, width=width))
    out.append(arrow_head(tip, d, head, color))
    return out


HALO, HALO_COLOR = 1.5, "#ffffff"  # the white edge round an arrow, each side (figure units)


def haloed(shapes: list[Shape]) -> list[Shape]:
    """The shapes with a white edge under each part of an arrow (ARROW blue), HALO wide each side.

    Blue on the figure's near-black (an arrow over a limb, the hair, a dark prop) had all but
    vanished at a handout's printed size; the white edge keeps the arrow apart from what it
    crosses. Drawn on the finished picture, so a view's arrow shapes stay as they are.
    """
    out: list[Shape] = []
    for s in shapes:
        if s.kind == "line" and s.stroke == ARROW:
            out.append(replace(s, stroke=HALO_COLOR, width=s.width + 2 * HALO))
        elif s.kind == "poly" and s.fill == ARROW:
            out.append(replace(s, fill=HALO_COLOR, stroke=HALO_COLOR, width=2 * HALO))
        out.append(s)
    return out


def is_halo(s: Shape) -> bool:
    """Whether a shape is the white edge under an arrow (haloed), not something drawn."""
    return s.stroke == HALO_COLOR and (s.kind == "line" or (s.kind == "poly" and s.fill == HALO_COLOR))


def arc_arrow(c: Point, r: float, a0: float, a1: float, min_sweep: float = 28.0, **kw: Any) -> list[Shape]:
    """Curved arrow around c from math angle a0 to a1 (widened when the move is small)."""
    if abs(a1 - a0) < min_sweep:
        mid, half = (a0 + a1) / 2, min_sweep / 2
        sgn = 1 if a1 >= a0 else -1
        a0, a1 = mid - sgn * half, mid + sgn * half
    return arrow_along(arc(c, r, a0, a1), **kw)


def turn_sweep(pivots: Sequence[Point], movers: Sequence[Point]) -> tuple[list[float], float]:
    """A point turning about a pivot, pose after pose (the two lists in step): its angle about the
    pivot in each (math degrees, each within 180 of the one before, so a turn through ±180 stays
    one arc) and its furthest distance from the pivot; for `arc_arrow`'s angles and radius."""
    angles: list[float] = []
    for c, m in zip(pivots, movers, strict=True):
        angle = angle_of(sub(m, c))
        while angles and angle - angles[-1] > 180:
            angle -= 360
        while angles and angle - angles[-1] < -180:
            angle += 360
        angles.append(angle)
    return angles, max(dist(m, c) for c, m in zip(pivots, movers, strict=True))


def straight_arrow(p0: Point, p1: Point, min_len: float = 18.0, **kw: Any) -> list[Shape]:
    """Straight arrow p0 -> p1 (lengthened about its middle when short)."""
    d = dist(p0, p1)
    if d < min_len:
        u = unit(sub(p1, p0)) if d > 1e-6 else (0.0, 1.0)
        m = lerp(p0, p1, 0.5)
        p0, p1 = sub(m, mul(u, min_len / 2)), add(m, mul(u, min_len / 2))
    return arrow_along([p0, p1], **kw)


def bow_arrow(p0: Point, p1: Point, bulge: float = 0.3, min_len: float = 18.0, **kw: Any) -> list[Shape]:
    """A gently curved arrow from p0 to p1 (bulging to the left of the travel direction)."""
    d = dist(p0, p1)
    if d < min_len:
        return straight_arrow(p0, p1, min_len, **kw)
    m = lerp(p0, p1, 0.5)
    ctrl = add(m, mul(perp(unit(sub(p1, p0))), d * bulge))
    return arrow_along(quad(p0, ctrl, p1, 16), **kw)


PRESS_W, PRESS_HEAD, PRESS_LEN = 6.5, 12.0, 15.0


def press_arrow(tip: Point, direction: Point, length: float = PRESS_LEN) -> list[Shape]:
    """A short thick arrow ending at tip: the body pushes this way against a still hand."""
    u = unit(direction)
    return arrow_along([sub(tip, mul(u, length)), tip], width=PRESS_W, head=PRESS_HEAD)


def press_turn_arrow(c: Point, rx: float, ry: float, sign: float) -> list[Shape]:
    """A short thick curved arrow on the near side of a flat ring around c (a turn pressed)."""
    a0, a1 = (-35.0, -150.0) if sign > 0 else (-145.0, -30.0)
    return arrow_along(arc(c, rx, a0, a1, 16, ry), width=PRESS_W - 1, head=PRESS_HEAD - 1)
