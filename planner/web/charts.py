"""Small server-side SVG charts, readable without JavaScript; the numbers also go in a table beside.

Every text put into the SVG is escaped here.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from datetime import date
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 420, 200
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 36
INK, GRID, ACCENT = "#1a1a1a", "#e3e3e3", "#0a58ca"


def figure_rows(rows: Iterable[tuple[date | int | str, ...]]) -> Markup:
    """The table beside a chart, its body: a <tr> of <td>s per row, as the template's loop wrote
    them. Dates (ISO), whole numbers and fixed marks of our own (a dash) only, whose text holds nothing to escape; about 10 Python
    calls a cell in a template, none here (the progress panel has some 80 cells)."""
    return Markup("".join(f"<tr>{''.join(map(_CELL.format, row))}</tr>" for row in rows))  # noqa: S704


_CELL = "<td>{}</td>"


def _frame(element_id: str, title: str, low: float, high: float) -> list[str]:
    """The chart's frame, its title and its three grid lines, as a list to add the marks to."""
    return list(_framed(element_id, title, low, high))


@functools.lru_cache(maxsize=64)
def _framed(element_id: str, title: str, low: float, high: float) -> tuple[str, ...]:
    """_frame's parts, kept per process: the pages draw the same few frames on every view."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trend" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="{element_id}-title">',
        f'<title id="{element_id}-title">{escape(title)}</title>',
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fff" stroke="#c8c8c8"/>',
    ]
    for value in (low, (low + high) / 2, high):
        y = TOP + plot_h * (1 - (value - low) / (high - low))
        label = f"{value:g}"
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 5:.1f}" text-anchor="end" font-size="13" fill="{INK}">{escape(label)}</text>'
        )
    return tuple(parts)


def line_chart(points: Sequence[tuple[date, float]], low: float, high: float, title: str, element_id: str) -> Markup:
    """Values over time on a fixed scale (the whole valid range, so a change looks as big as it is)."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = _frame(element_id, title, low, high)
    first_day, last_day = points[0][0], points[-1][0]
    span = (last_day - first_day).days

    def x(day: date) -> float:
        return LEFT + (plot_w / 2 if span == 0 else plot_w * (day - first_day).days / span)

    def y(value: float) -> float:
        return TOP + plot_h * (1 - (value - low) / (high - low))

    parts.append(f'<text x="{LEFT}" y="{HEIGHT - 10}" font-size="13" fill="{INK}">{first_day}</text>')
    if span:
        parts.append(
            f'<text x="{LEFT + plot_w}" y="{HEIGHT - 10}" text-anchor="end" font-size="13" '
            f'fill="{INK}">{last_day}</text>'
        )
    if len(points) > 1:
        coords = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in points)
        parts.append(f'<polyline points="{coords}" fill="none" stroke="{ACCENT}" stroke-width="3"/>')
    for d, v in points:
        parts.append(
            f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="5" fill="{ACCENT}" stroke="#fff" '
            f'stroke-width="2"><title>{d}: {escape(f"{v:g}")}</title></circle>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every text in it is escaped above)


def bar_chart(bars: Sequence[tuple[str, float | None]], high: float, title: str, element_id: str) -> Markup:
    """One bar per label (e.g. a week's adherence in percent), from 0 to high; a value None (a
    week with nothing planned) keeps its label and draws no bar."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = _frame(element_id, title, 0, high)
    slot = plot_w / max(1, len(bars))
    for n, (label, value) in enumerate(bars):
        x = LEFT + n * slot + slot * 0.15
        if value is not None:
            h = plot_h * min(value, high) / high
            parts.append(
                f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" '
                f'fill="{ACCENT}"><title>{escape(label)}: {value:g}</title></rect>'
            )
        if len(bars) <= 8:
            parts.append(
                f'<text x="{x + slot * 0.35:.1f}" y="{HEIGHT - 10}" text-anchor="middle" font-size="12" '
                f'fill="{INK}">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every text in it is escaped above)
