"""Two panels, start and end: fit the view's shapes, mirror for the left side, add labels."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from planner.i18n import N_, translator

from . import face, front, hand, profile, side
from .shapes import (
    ARROW,
    FRAME,
    SYMBOL,
    Figure,
    Point,
    Shape,
    add,
    angle_of,
    arc,
    arrow_along,
    circle,
    ellipse_pts,
    haloed,
    line,
    map_shape,
    mul,
    perp,
    poly,
    quad,
    rect,
    round_shape,
    shape_points,
    straight_arrow,
    text,
)
from .spec import KEYS, Picture, normalize
from .view import Anchors, ViewDrawing

WIDTH, HEIGHT = 400.0, 200.0
MIRROR_GLASS, MIRROR_FRAME = "#d0e2f2", "#495057"
PANELS = ((3.0, 3.0, 181.0, 176.0), (219.0, 3.0, 397.0, 176.0))
UNLABELLED_HEIGHT = 179.0  # the panels without the words under them
LABEL_ROOM = HEIGHT - PANELS[0][3]  # the words under the panels: their baseline 18 below them
PAD = 7.0
MAX_SCALE = 1.2  # figure units per model unit at most: a small view is not blown up
# A scene much wider than tall (a figure lying down) filled a square panel's width and left most
# of its height empty: its panels are cut to the scene's height instead (a wide picture, which a
# page can draw wider), unless that would save less than this share of the height.
CROP_WHEN_UNDER = 0.75
# The room a corner mark takes down from a panel's top (figure units): what the scene must stay
# under near the panel's side edges (corner_symbol, mirror_mark).
CORNER_ROOM = {"hold": 32.0, "count": 32.0, "eyes_closed": 32.0, "sway": 53.0, "mirror": 41.0}
CORNER_WIDTH = 34.0  # how far in from a panel's side edge a corner mark reaches
CORNER_CLEAR = 8.0  # the room a corner mark moved to the top left keeps from the scene
CORNER_TOUCH = 3.0  # the scene this near the top right corner mark touches it
BUILDERS: dict[str, Callable[[Picture], ViewDrawing]] = {
    "side": side.build,
    "front": front.build,
    "face": face.build,
    "profile": profile.build,
    "hand": hand.build,
}


def build_shapes(picture: Any, side: str = "right", with_labels: bool = True) -> Figure:
    """The picture as a neutral list of primitives in a 400 x 200 box (y down).

    with_labels=False leaves out the "Start" and "End" words under the panels, for a page that
    captions them in its own type. `picture` is the catalog's `[picture]` table (read forgivingly:
    spec.normalize); side="left" mirrors both panels.
    """
    pic = normalize(picture)
    res, fit = fitted(pic)
    start = res.start
    end = res.end + figure_symbol(pic.symbol, res.anchors) + motion_arrows(pic, res)

    bottom = fit.bottom
    fig = Figure(WIDTH, bottom + LABEL_ROOM if with_labels else bottom + PANELS[0][1])
    out = fig.shapes
    mirror = side == "left"
    panels = [fit.panel(index) for index in (0, 1)]
    for index, shapes in enumerate((start, end)):
        (px0, py0, px1, py1) = panels[index]
        out.append(rect((px0, py0), (px1, py1), fill="#ffffff", stroke=FRAME, width=1.5, r=6))
        if fit.floor is not None and res.floor_line:
            fy = fit.to_panel(index, mirror)((0.0, fit.floor))[1]
            out.append(line([(px0 + 5, fy), (px1 - 5, fy)], stroke="#adb5bd", width=2.5))
        if _mirror_marked(pic):  # the whole exercise faces a mirror
            out += mirror_mark(panels[index])
        out += fit.place(shapes, index, mirror)
    # a press is held: it shows the clock even when no symbol is given
    left = corner_on_the_left(pic, res, fit, mirror)
    out += corner_symbol(_end_symbol(pic), panels[1], left)
    if pic.symbol == "eyes_closed":  # closed from the start, not only at the end
        out += corner_symbol(pic.symbol, panels[0], left)
    out += _between_arrow(panels[0], panels[1])
    if with_labels:
        for index, word in ((0, START), (1, END)):
            out.append(text(((panels[index][0] + panels[index][2]) / 2, bottom + 18), word, 15))
    fig.shapes = [round_shape(s) for s in haloed(out)]
    return fig


@dataclass(frozen=True)
class Layout:
    """How a view's shapes (model units, y up) are fitted into a panel: one scale and centre for
    both poses, so the start and end panels (and every frame of the motion) share them."""

    scale: float  # figure units per model unit
    centre_x: float  # the model point drawn at the panel's centre
    centre_y: float
    lowest: float  # the lowest model y drawn
    floor: float | None  # what the figure stands or lies on, in model units
    bottom: float = PANELS[0][3]  # the panels' lower edge (figure units): higher for a wide scene

    def panel(self, index: int) -> tuple[float, float, float, float]:
        """Panel `index` (0 start, 1 end) as (x0, y0, x1, y1) in figure units, y down."""
        px0, py0, px1, _ = PANELS[index]
        return (px0, py0, px1, self.bottom)

    def to_panel(self, index: int, mirror: bool) -> Callable[[Point], Point]:
        """Model point -> figure point in panel `index` (0 start, 1 end); mirror flips it in the panel."""
        px0, py0, px1, py1 = self.panel(index)
        cx, cy = (px0 + px1) / 2, (py0 + py1) / 2
        cut = self.bottom < PANELS[0][3]  # a cut panel holds the scene at its foot, the corners free
        if cut or (self.floor is not None and self.lowest >= self.floor - 6):  # stand it on the panel floor
            cy = py1 - PAD - (self.centre_y - self.lowest) * self.scale

        def f(p: Point) -> Point:
            x = cx + (p[0] - self.centre_x) * self.scale
            if mirror:
                x = px0 + px1 - x
            return (x, cy - (p[1] - self.centre_y) * self.scale)

        return f

    def place(self, shapes: list[Shape], index: int, mirror: bool) -> list[Shape]:
        """A view's shapes drawn in panel `index`."""
        f = self.to_panel(index, mirror)
        out = []
        for s in shapes:
            m = map_shape(s, f, self.scale)
            if mirror and m.kind == "text":
                m = replace(m, anchor={"start": "end", "end": "start"}.get(m.anchor, m.anchor))
            out.append(m)
        return out


def motion_arrows(pic: Picture, res: ViewDrawing) -> list[Shape]:
    """The end panel's motion arrow; with `both_sides` (the steps go one way, then the other) its
    mirror image about the body's middle too, so the arrow points to each side; with `both_ways`
    (side view: chin down, then look up) the arrow of the same way past the start, the other way."""
    if pic.both_ways and pic.arrow:
        lo, hi = KEYS[pic.view][pic.arrow]
        was, to = pic.start.get(pic.arrow, 0), pic.end[pic.arrow]
        back = {**pic.end, pic.arrow: min(hi, max(lo, 2 * was - to))}
        return res.arrow + BUILDERS[pic.view](replace(pic, end=back, both_ways=False)).arrow
    if not pic.both_sides:
        return res.arrow
    return res.arrow + [map_shape(s, lambda p: (-p[0], p[1])) for s in res.arrow]


def fitted(pic: Picture) -> tuple[ViewDrawing, Layout]:
    """A normalized picture drawn by its view, and the fit of both panels."""
    res = BUILDERS[pic.view](pic)
    marks = figure_symbol(pic.symbol, res.anchors) + motion_arrows(pic, res)
    corners = [pic.symbol or "", _end_symbol(pic) or "", "mirror" if _mirror_marked(pic) else ""]
    return res, layout(res, res.start + res.end + marks, max(CORNER_ROOM.get(c, 0.0) for c in corners))


def _end_symbol(pic: Picture) -> str | None:
    return pic.symbol or ("hold" if pic.press else None)


def corner_on_the_left(pic: Picture, res: ViewDrawing, fit: Layout, mirror: bool) -> bool:
    """Whether the corner mark (the hold clock, the count, ...) goes in the panels' top left
    corner: the end pose's scene (the start's too for eyes_closed, marked on both panels) fills
    the top right one and leaves the top left free. The moving picture shows the mark while the
    end pose is held, so it takes the same corner.

    A wall seen edge-on in front of a figure facing right reached the top right corner, and the
    clock was drawn over it (calf-stretch-wall); mirrored for the left side the wall is on the
    left and the clock stays on the right. A mirror mark keeps the top left for itself.
    """
    symbol = _end_symbol(pic)
    if symbol is None or _mirror_marked(pic):
        return False
    room = CORNER_ROOM.get(symbol, 0.0)
    scene = res.end + figure_symbol(pic.symbol, res.anchors) + motion_arrows(pic, res)
    placed = fit.place(scene + (res.start if symbol == "eyes_closed" else []), 1, mirror)
    px0, py0, px1, _ = fit.panel(1)

    def filled(x0: float, x1: float, clear: float = 0.0) -> bool:  # clear: the room kept round the mark
        for s in placed:
            pts = shape_points(s)
            if not pts:
                continue
            pad = s.width / 2 + clear
            if (
                min(p[0] for p in pts) - pad < x1
                and max(p[0] for p in pts) + pad > x0
                and min(p[1] for p in pts) - pad < py0 + room
            ):
                return True
        return False

    return filled(px1 - CORNER_WIDTH, px1, CORNER_TOUCH) and not filled(px0, px0 + CORNER_WIDTH, CORNER_CLEAR)


def _mirror_marked(pic: Picture) -> bool:
    return "mirror" in pic.props and pic.view in MIRROR_MARKED


def layout(res: ViewDrawing, shapes: list[Shape], corner_room: float = 0.0) -> Layout:
    """The fit of a view's drawing, covering `shapes` (both poses with their marks).

    A scene that fills a panel's width but not its height (a figure lying down) gets panels cut
    to its height (`Layout.bottom`), keeping clear of a corner mark `corner_room` figure units
    tall near the panels' side edges.
    """
    pts = [p for s in shapes for p in shape_points(s)]
    floor = res.floor
    if floor is not None:
        pts.append((pts[0][0], floor - 5))
    x0, x1 = min(p[0] for p in pts), max(p[0] for p in pts)
    y0, y1 = min(p[1] for p in pts), max(p[1] for p in pts)
    if res.box:
        x0, y0, x1, y1 = res.box
    pw = PANELS[0][2] - PANELS[0][0] - 2 * PAD
    ph = PANELS[0][3] - PANELS[0][1] - 2 * PAD
    scale = min(pw / max(x1 - x0, 1), ph / max(y1 - y0, 1), MAX_SCALE)
    fit = Layout(scale, (x0 + x1) / 2, (y0 + y1) / 2, y0, floor)
    if res.box:
        return fit
    height = (y1 - y0) * scale + 2 * PAD
    if corner_room:  # the scene near a side edge stays under the corner marks
        edge = (pw + 2 * PAD) / 2 - CORNER_WIDTH  # from the panel's middle (figure units)
        near = [p[1] for p in pts if abs(p[0] - fit.centre_x) * scale > edge]
        if near:
            height = max(height, (max(near) - y0) * scale + PAD + corner_room)
    if height >= CROP_WHEN_UNDER * (ph + 2 * PAD):
        return fit
    return replace(fit, bottom=PANELS[0][1] + math.ceil(height))


# The panels' labels; a patient reads them in their language (`labels_in`).
START, END = N_("Start"), N_("End")


def labels_in(language: str) -> dict[str, str]:
    """The picture's labels in `language`, keyed by the English the figure draws."""
    t = translator(language)
    return {START: t.gettext(START), END: t.gettext(END)}


def _between_arrow(first: tuple[float, ...], second: tuple[float, ...]) -> list[Shape]:
    y = (first[1] + first[3]) / 2
    xa, xb = first[2] + 5, second[0] - 4
    xm = xb - 12
    pts = [(xa, y - 5), (xm, y - 5), (xm, y - 12), (xb, y), (xm, y + 12), (xm, y + 5), (xa, y + 5)]
    return [poly(pts, fill="#495057")]


def corner_symbol(symbol: str | None, panel: tuple[float, float, float, float], left: bool = False) -> list[Shape]:
    """hold (a clock), count (a repeat mark), sway (both feet from above, with an arrow to each
    side, forward and back) and eyes_closed (a closed eye), in the top right corner of a panel
    (figure units), or its top left one with `left` (corner_on_the_left)."""
    c = (panel[0] + 18 if left else panel[2] - 18, panel[1] + 18)
    if symbol == "hold":
        return [
            circle(c, 12, fill="#ffffff", stroke=SYMBOL, width=2.5),
            line([(c[0], c[1]), (c[0], c[1] - 8)], stroke=SYMBOL, width=2.5),
            line([(c[0], c[1]), (c[0] + 6, c[1])], stroke=SYMBOL, width=2.5),
        ]
    if symbol == "count":
        pts = [(c[0] + x, c[1] - y) for x, y in arc((0, 0), 11, 110, 420)]
        return arrow_along(pts, color=SYMBOL, width=2.5, head=7)
    if symbol == "eyes_closed":  # a closed eye: the lid's curve with lashes hanging from it
        c = (c[0], c[1] - 6)  # the panel's y runs down: the lid curves down, the lashes below it
        lid = [(c[0] + x, c[1] - y) for x, y in arc((0, 0), 12, 200, 340, 12)]
        out = [line(lid, stroke=SYMBOL, width=2.8)]
        for deg in (230.0, 255.0, 285.0, 310.0):
            lash = (math.cos(math.radians(deg)), -math.sin(math.radians(deg)))
            out.append(line([add(c, mul(lash, 12)), add(c, mul(lash, 17))], stroke=SYMBOL, width=2.2))
        return out
    if symbol == "sway":  # both feet from above, the weight moving to every side and forward and back
        c = (panel[0] + 27 if left else panel[2] - 27, panel[1] + 27)
        out = [
            poly(ellipse_pts(add(c, (dx, 0)), 4.4, 8.5, 0, 16), fill=SYMBOL, stroke=None, width=0) for dx in (-6.5, 6.5)
        ]
        for d in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            a, b = add(c, mul(d, 13 if d[0] else 12)), add(c, mul(d, 24))
            out += arrow_along([a, b], color=SYMBOL, width=2.5, head=7)
        return out
    return []


# The views whose figure faces the reader. A mirror drawn around that figure made it the
# reflection, and a reflection shows the patient's left on the left: "your left shoulder" then
# read as the picture's right shoulder, against every other front picture. So the figure stays
# the person facing the reader (their left on the picture's right) and the mirror is a mark.
MIRROR_MARKED = ("front", "face")


def mirror_mark(panel: tuple[float, float, float, float]) -> list[Shape]:
    """A small framed mirror on a stand, in the top left corner of a panel (figure units)."""
    x0, y0 = panel[0] + 7, panel[1] + 6
    glass = (x0, y0), (x0 + 20, y0 + 26)
    mx, foot = x0 + 10, y0 + 33
    return [
        line([(mx, y0 + 26), (mx, foot)], stroke=MIRROR_FRAME, width=2.5),
        line([(mx - 7, foot), (mx + 7, foot)], stroke=MIRROR_FRAME, width=2.5),
        rect(*glass, fill=MIRROR_GLASS, stroke=MIRROR_FRAME, width=2.5, r=2),
        line([(x0 + 5, y0 + 11), (x0 + 11, y0 + 5)], stroke="#ffffff", width=2.2),
        line([(x0 + 6, y0 + 18), (x0 + 15, y0 + 9)], stroke="#ffffff", width=2.2),
    ]


def figure_symbol(symbol: str | None, anchors: Anchors | None) -> list[Shape]:
    """breathe, voice and swallow, drawn at the mouth or throat (model units, y up)."""
    if symbol is None or symbol in ("hold", "count", "sway", "eyes_closed") or anchors is None:
        return []
    out: list[Shape] = []
    m, fd = anchors.mouth, anchors.face_dir
    n = perp(fd)
    sc = anchors.scale
    if symbol == "breathe":
        for off in (-5.0, 0.0, 5.0):
            a = add(add(m, mul(fd, 6 * sc)), mul(n, off * sc))
            b = add(a, mul(fd, 16 * sc))
            c = add(add(a, mul(fd, 8 * sc)), mul(n, 3 * sc))
            out.append(line(quad(a, c, b, 8), stroke=SYMBOL, width=2.2))
    elif symbol == "voice":
        for r in (8.0, 13.0, 18.0):
            a0 = angle_of(fd)
            pts = arc(m, r * sc, a0 - 35, a0 + 35, 10)
            out.append(line(pts, stroke=SYMBOL, width=2.4))
    elif symbol == "swallow":
        t, down = anchors.throat, anchors.down
        a = add(add(t, mul(anchors.throat_dir, 9 * sc)), mul(down, -8 * sc))
        out += straight_arrow(a, add(a, mul(down, 18 * sc)), color=ARROW, width=3, head=8)
    return out
