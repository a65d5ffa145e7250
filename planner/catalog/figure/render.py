"""The two renderers: thin walkers over the one list of primitives."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Circle, Drawing, Ellipse, Polygon, PolyLine, Rect, String
from reportlab.lib.colors import HexColor

from .compose import build_shapes
from .shapes import Figure, Point, Shape

DEFAULT_TITLE = "Exercise picture: start position and end position"
FONT = "Helvetica, Arial, sans-serif"


def _n(v: float) -> str:
    v = round(v, 1) + 0.0
    return f"{v:g}"


def _attr(s: str) -> str:
    return escape(s, {'"': "&quot;"})


def render_svg(
    picture: Any,
    side: str = "right",
    width: float = 360,
    title: str | None = None,
    labels: dict[str, str] | None = None,
    with_labels: bool = True,
) -> str:
    """The picture as an inline <svg> element (no scripts, no external references).

    `labels` replaces the panels' labels ("Start", "End": compose.labels_in(language));
    with_labels=False leaves them out (the page captions the panels itself).
    """
    fig = build_shapes(picture, side, with_labels)
    title = title or DEFAULT_TITLE
    h = width * fig.height / fig.width
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(fig.width)} {_n(fig.height)}"'
        f' width="{_n(width)}" height="{_n(h)}" role="img" aria-label="{_attr(title)}">',
        f"<title>{escape(title)}</title>",
        '<g stroke-linecap="round" stroke-linejoin="round">',
    ]
    words = labels or {}
    out += [svg_element(replace(s, text=words.get(s.text, s.text)) if s.text else s) for s in fig.shapes]
    out.append("</g></svg>")
    return "\n".join(out)


def svg_element(s: Shape, inside: str = "") -> str:
    """One primitive as an SVG element; `inside` is markup put within it (an <animate>)."""

    def close(tag: str) -> str:
        return f">{inside}</{tag}>" if inside else "/>"

    paint = f' fill="{_attr(s.fill) if s.fill else "none"}" stroke="{_attr(s.stroke) if s.stroke else "none"}"'
    if s.stroke:
        paint += f' stroke-width="{_n(s.width)}"'
    if s.dash:
        paint += f' stroke-dasharray="{" ".join(_n(d) for d in s.dash)}"'
    if s.kind in ("line", "poly"):
        tag = "polyline" if s.kind == "line" else "polygon"
        return f'<{tag} points="{svg_points(s.points)}"{paint}{close(tag)}'
    if s.kind == "circle":
        (x, y) = s.points[0]
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(s.rx)}"{paint}{close("circle")}'
    if s.kind == "ellipse":
        (x, y) = s.points[0]
        return f'<ellipse cx="{_n(x)}" cy="{_n(y)}" rx="{_n(s.rx)}" ry="{_n(s.ry)}"{paint}{close("ellipse")}'
    if s.kind == "rect":
        (ax, ay), (bx, by) = s.points
        x, y, w, hh = min(ax, bx), min(ay, by), abs(bx - ax), abs(by - ay)
        r = f' rx="{_n(s.rx)}"' if s.rx else ""
        return f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(hh)}"{r}{paint}{close("rect")}'
    (x, y) = s.points[0]  # text
    weight = ' font-weight="bold"' if s.bold else ""
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-family="{FONT}" font-size="{_n(s.size)}"'
        f'{weight} text-anchor="{_attr(s.anchor)}" fill="{_attr(s.fill or "#000")}">'
        f"{inside}{escape(s.text)}</text>"
    )


def svg_points(points: Iterable[Point]) -> str:
    """Points as an SVG points list: "x,y x,y"."""
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in points)


def _c(v: str | None) -> HexColor | None:
    return HexColor(v) if v else None


def render_drawing(picture: Any, side: str = "right", width: float = 300, figure: Figure | None = None) -> Drawing:
    """The same primitives as reportlab vector graphics (for the PDF handouts).

    `figure`: build_shapes(picture, side) made before (a handout draws one picture at several
    widths); by default made here.
    """
    fig = figure if figure is not None else build_shapes(picture, side)
    k = width / fig.width
    d = Drawing(round(width, 2), round(fig.height * k, 2))

    def X(x: float) -> float:
        return round(x * k, 2)

    def Y(y: float) -> float:
        return round((fig.height - y) * k, 2)

    for s in fig.shapes:
        sw = round(s.width * k, 2)
        common = {
            "strokeColor": _c(s.stroke),
            "strokeWidth": sw if s.stroke else 0,
            "strokeLineCap": 1,
            "strokeLineJoin": 1,
        }
        if s.dash:
            common["strokeDashArray"] = [round(v * k, 2) for v in s.dash]
        if s.kind in ("line", "poly"):
            flat = [v for x, y in s.points for v in (X(x), Y(y))]
            if s.kind == "line":
                d.add(PolyLine(flat, **common))
            else:
                d.add(Polygon(flat, fillColor=_c(s.fill), **common))
        elif s.kind == "circle":
            (x, y) = s.points[0]
            d.add(Circle(X(x), Y(y), round(s.rx * k, 2), fillColor=_c(s.fill), **common))
        elif s.kind == "ellipse":
            (x, y) = s.points[0]
            rx, ry = round(s.rx * k, 2), round(s.ry * k, 2)
            d.add(Ellipse(X(x), Y(y), rx, ry, fillColor=_c(s.fill), **common))
        elif s.kind == "rect":
            (ax, ay), (bx, by) = s.points
            x, y, w, h = min(ax, bx), max(ay, by), abs(bx - ax), abs(by - ay)
            r = round(s.rx * k, 2)
            d.add(Rect(X(x), Y(y), round(w * k, 2), round(h * k, 2), rx=r, ry=r,
                       fillColor=_c(s.fill), **common))  # fmt: skip
        elif s.kind == "text":
            (x, y) = s.points[0]
            d.add(
                String(
                    X(x),
                    Y(y),
                    s.text,
                    fontName="Helvetica-Bold" if s.bold else "Helvetica",
                    fontSize=round(s.size * k, 2),
                    textAnchor=s.anchor,
                    fillColor=_c(s.fill or "#000000"),
                )
            )
    return d
