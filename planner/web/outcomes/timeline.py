"""One timeline of the toxin cycle: injections, the clinician's measures, the patient's answers and
adherence on a shared date axis, as a server-side SVG (no JavaScript).

Each row has its own scale (a measure's whole valid range, 0–10 for answers, 0–100 % for
adherence), so a change is seen against the injections above it. Every text is escaped here.
The drawing depends only on the plain values in `Timeline`, so it is cached per process.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from datetime import date
from html import escape

from markupsafe import Markup

from planner.counted import counted
from planner.services.calendar_window import shift
from planner.web.charts import ACCENT, GRID, INK

WIDTH = 860
LABEL_W = 240  # the row names, left of the plot
RIGHT = 16
AXIS_H = 34
ROW_H = 58
INJECTION = "#8a1c7c"
CHECK = "#b35900"
ADHERENCE = "#1b6e2f"


@dataclass(frozen=True)
class Row:
    """One row: a name, its scale and its dated values (oldest first); `bars` draws weekly bars."""

    name: str
    low: float
    high: float
    points: tuple[tuple[date, float], ...]
    bars: bool = False


@dataclass(frozen=True)
class Timeline:
    injections: tuple[tuple[date, str], ...]  # (date, short label such as "120 U")
    checks: tuple[date, ...]  # the cycle's re-evaluation checks
    rows: tuple[Row, ...]
    today: date

    @property
    def empty(self) -> bool:
        return not self.injections and not any(r.points for r in self.rows)


def span(timeline: Timeline) -> tuple[date, date]:
    """The dates shown: from the first thing drawn to today (or the last check), a few days' margin."""
    days = [d for d, _ in timeline.injections] + list(timeline.checks) + [d for r in timeline.rows for d, _ in r.points]
    first, last = min(days, default=timeline.today), max([*days, timeline.today])
    # A date saved at an end of the calendar (year 1, 9999) has no margin beyond it.
    return shift(first, -3) or first, shift(last, 3) or last


@functools.lru_cache(maxsize=256)
def draw(timeline: Timeline, element_id: str = "timeline") -> Markup:
    """The timeline as an SVG element with a title for screen readers."""
    first, last = span(timeline)
    total = max(1, (last - first).days)
    plot_w = WIDTH - LABEL_W - RIGHT
    height = AXIS_H + ROW_H * (len(timeline.rows) + 1) + 24  # the last 16 px: the word "today"

    def x(day: date) -> float:
        return LABEL_W + plot_w * (day - first).days / total

    injections, rows = len(timeline.injections), len(timeline.rows)
    title = (
        f"Timeline from {first} to {last}: {counted(injections, 'injection', 'injections')}, "
        f"{counted(rows, 'row', 'rows')} of values."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="{element_id}-title">',
        f'<title id="{element_id}-title">{escape(title)}</title>',
        f'<rect x="{LABEL_W}" y="{AXIS_H}" width="{plot_w}" height="{height - AXIS_H - 24}" fill="#fff" stroke="#c8c8c8"/>',
    ]
    # Month marks along the top: at most about a dozen, however long the span.
    for month in _marks(first, last):
        if x(month) < WIDTH - RIGHT - 60:  # a label cut at the edge helps no one
            parts.append(
                f'<line x1="{x(month):.1f}" x2="{x(month):.1f}" y1="{AXIS_H}" y2="{height - 24}" stroke="{GRID}"/>'
                f'<text x="{x(month) + 3:.1f}" y="{AXIS_H - 8}" font-size="12" fill="{INK}">{month:%b %Y}</text>'
            )
    # Injections: a line down through every row, so each value is read against the cycle.
    top = AXIS_H
    parts.append(
        f'<text x="8" y="{top + ROW_H / 2 + 5:.1f}" font-size="13" font-weight="bold" fill="{INK}">Injections</text>'
    )
    for day, label in timeline.injections:
        parts.append(
            f'<line x1="{x(day):.1f}" x2="{x(day):.1f}" y1="{top + 6}" y2="{height - 24}" stroke="{INJECTION}" '
            f'stroke-width="2" stroke-dasharray="6 3"/>'
            f'<circle cx="{x(day):.1f}" cy="{top + ROW_H / 2 - 6:.1f}" r="7" fill="{INJECTION}">'
            f"<title>{escape(f'Injection {day}: {label}')}</title></circle>"
            f'<text x="{x(day) + 10:.1f}" y="{top + ROW_H / 2 - 1:.1f}" font-size="12" fill="{INK}">{escape(label)}</text>'
        )
    for day in timeline.checks:
        cx, cy = x(day), top + ROW_H - 14
        parts.append(
            f'<path d="M{cx:.1f},{cy - 7:.1f} l7,7 l-7,7 l-7,-7 z" fill="{CHECK}">'
            f"<title>{escape(f'Re-evaluation check {day}')}</title></path>"
        )
    today_x = x(timeline.today)
    parts.append(
        f'<line x1="{today_x:.1f}" x2="{today_x:.1f}" y1="{AXIS_H}" y2="{height - 16}" stroke="{INK}" stroke-width="1"/>'
        f'<text x="{today_x:.1f}" y="{height - 3}" text-anchor="middle" font-size="12" fill="{INK}">today</text>'
    )
    for n, row in enumerate(timeline.rows, start=1):
        top = AXIS_H + ROW_H * n
        parts.append(f'<line x1="0" x2="{WIDTH - RIGHT}" y1="{top}" y2="{top}" stroke="{GRID}"/>')
        parts.append(_label(row, top))
        parts.append(_values(row, top, x))
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every text in it is escaped above)


def _marks(first: date, last: date, most: int = 12) -> list[date]:
    """First days of months from `first` to `last`, every so many months so at most `most` show."""
    start = first.year * 12 + first.month  # the month after first's (index of month - 1 is first's)
    end = last.year * 12 + last.month - 1
    step = max(1, -(-(end - start + 1) // most))
    return [date(n // 12, n % 12 + 1, 1) for n in range(start, end + 1, step) if 1 <= n // 12 <= 9999]


def _fit(name: str, columns: int = 34) -> str:
    """`name` cut to about `columns` Latin letters' width (a Chinese or Japanese character, or an
    emoji, counts two), ending in "…" when cut, so it stays inside the row names' column."""
    used = 0
    for i, char in enumerate(name):
        used += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        if used > columns - 1 and i < len(name) - 1:
            return name[:i] + "…"
    return name


def direction(text: str) -> str:
    """ "rtl" or "ltr": the direction Unicode's bidi rule gives a paragraph (P2, P3), from its first
    strong letter. SVG has no dir="auto", so a name a person typed gets it said outright."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def _label(row: Row, top: float) -> str:
    name = _fit(row.name)
    scale = f"{row.low:g}–{row.high:g}"
    # A right-to-left name reads from the right, so its "…" (cut at its logical end) is on its left;
    # its left edge stays at the column's, as every other name's ("end" is the left in rtl).
    where = 'direction="rtl" text-anchor="end"' if direction(row.name) == "rtl" else 'direction="ltr"'
    return (
        f'<text x="8" y="{top + 22}" font-size="13" fill="{INK}" {where}><title>{escape(row.name)}</title>{escape(name)}</text>'
        f'<text x="8" y="{top + 40}" font-size="11" fill="#555">{escape(scale)}</text>'
    )


def _values(row: Row, top: float, x) -> str:  # noqa: ANN001
    low, high = row.low, row.high if row.high > row.low else row.low + 1

    def y(value: float) -> float:
        return top + ROW_H - 8 - (ROW_H - 16) * (min(max(value, low), high) - low) / (high - low)

    if row.bars:
        out = []
        for day, value in row.points:
            width = max(2.0, x(shift(day, 6) or day) - x(day) - 2)
            out.append(
                f'<rect x="{x(day):.1f}" y="{y(value):.1f}" width="{width:.1f}" height="{top + ROW_H - 8 - y(value):.1f}" '
                f'fill="{ADHERENCE}" opacity="0.8"><title>{escape(f"Week of {day}: {value:g} %")}</title></rect>'
            )
        return "".join(out)
    out = []
    if len(row.points) > 1:
        coords = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in row.points)
        out.append(f'<polyline points="{coords}" fill="none" stroke="{ACCENT}" stroke-width="2.5"/>')
    for d, v in row.points:
        out.append(
            f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="4" fill="{ACCENT}" stroke="#fff" stroke-width="1.5">'
            f"<title>{escape(f'{row.name}, {d}: {v:g}')}</title></circle>"
        )
    return "".join(out)
