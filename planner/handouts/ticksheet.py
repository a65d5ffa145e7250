"""The weekly tick sheet: one row per exercise, one big box per day, for a shaky hand."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer

from planner.handouts import words
from planner.handouts.content import ExerciseBlock
from planner.handouts.flowables import Para as Paragraph
from planner.handouts.replay import draw_recorded
from planner.handouts.styles import BOLD, INK, TINT, Styles
from planner.handouts.text import bold, para_text

# A box at least 0.55 inch each way: room for a tick made with a tremor.
MIN_BOX = 0.55 * inch
LINE = 1.5
PADDING = 4


def tick_sheet(exercises: list[ExerciseBlock], styles: Styles, width: float, said: words.Words) -> list[Flowable]:
    """The heading, a line to write the week's date, and the exercise × day table, in `said`'s language."""
    widest_day = max(stringWidth(day, BOLD, styles.size) for day in said.days)
    box = max(MIN_BOX, widest_day + 2 * PADDING + 2)
    widths = [width - 7 * box] + [box] * 7
    # The same exercises give the same sheet: measured and drawn once per process, then replayed.
    key = (
        "tick sheet",
        said.language,
        styles.size,
        tuple(widths),
        tuple((b.number, b.name, b.times_per_day) for b in exercises),
    )
    known = _HEIGHTS.get(key)
    if known is not None:
        grid = Grid(lambda: _rows(exercises, styles, said), widths, known, key)
    else:
        rows = _rows(exercises, styles, said)
        # Square boxes, unless a long name needs a taller row (the header row: as a Table sizes it).
        heights = [None] + [max(box, row[0].wrap(widths[0] - 2 * PADDING, 10_000)[1] + 2 * PADDING) for row in rows[1:]]
        grid = Grid(rows, widths, heights, key)
        grid.wrap(width, 10_000)
        if len(_HEIGHTS) >= 1024:
            _HEIGHTS.clear()
        _HEIGHTS[key] = list(grid.heights)
    return [
        Paragraph(para_text(said.headings["tick_sheet"]), styles.heading),
        Paragraph(f"{bold(para_text(said.headings['week_of']))} ______________________", styles.body),
        Spacer(1, styles.size * 0.4),
        grid,
    ]


_HEIGHTS: dict[Hashable, list[float]] = {}


def _rows(exercises: list[ExerciseBlock], styles: Styles, said: words.Words) -> list[list[Any]]:
    header = [Paragraph(bold(para_text(said.headings["exercise"])), styles.cell)]
    header += [Paragraph(bold(para_text(day)), styles.day) for day in said.days]
    rows: list[list[Any]] = [header]
    for block in exercises:
        label = f"{block.number}. {para_text(block.name)}"
        often = said.times_a_day(block.times_per_day)
        if often:
            label += f"<br/>({often})"
        rows.append([Paragraph(label, styles.cell), *[""] * 7])
    return rows


class Grid(Flowable):
    """The tick sheet's table drawn straight on the canvas: a tinted header, a paragraph per
    labelled cell, centred in its row, and one grid of lines.

    A platypus Table does the same with a style lookup and a drawing call per cell (most of
    them empty). A sheet taller than the rest of a page breaks between rows, the header row
    repeated on the next page (`split`).
    `rows` may be a function that makes them: then they are made only if they must be drawn.
    """

    def __init__(
        self,
        rows: list[list[Any]] | Callable[[], list[list[Any]]],
        widths: list[float],
        heights: list[float | None],
        key: Hashable,
    ) -> None:
        super().__init__()
        self._rows, self.widths, self.heights, self.key = rows, widths, list(heights), key

    @property
    def rows(self) -> list[list[Any]]:
        if callable(self._rows):
            self._rows = self._rows()
        return self._rows

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        for i, height in enumerate(self.heights):
            if height is None:  # as a Table sizes a row: its tallest cell and the padding
                row = self.rows[i]
                self.heights[i] = (
                    max(cell.wrap(w - 2 * PADDING, 10_000)[1] for cell, w in zip(row, self.widths, strict=True) if cell)
                    + 2 * PADDING
                )
        self.width, self.height = sum(self.widths), sum(self.heights)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        """The rows that fit, and the rest under the header row again (a Grid each, so each
        part splits the same way). One exercise's row never goes on alone: two go."""
        self.wrap(availWidth, availHeight)
        fit, used = 0, 0.0
        while fit < len(self.heights) and used + self.heights[fit] <= availHeight:
            used += self.heights[fit]
            fit += 1
        if fit == len(self.heights) - 1 and fit > 2:
            fit -= 1
        if fit < 2 or fit == len(self.heights):
            return []
        rows, heights = self.rows, self.heights
        return [
            Grid(rows[:fit], self.widths, heights[:fit], (self.key, 0, fit)),
            Grid([rows[0], *rows[fit:]], self.widths, [heights[0], *heights[fit:]], (self.key, fit, len(rows))),
        ]

    def draw(self) -> None:
        draw_recorded(self.canv, (self.key, tuple(self.heights)), self._draw)

    def _draw(self) -> None:
        canvas = self.canv
        xs = [0.0]
        for w in self.widths:
            xs.append(xs[-1] + w)
        ys = [self.height]
        for h in self.heights:
            ys.append(ys[-1] - h)
        canvas.setFillColor(TINT)
        canvas.rect(0, ys[1], self.width, self.heights[0], stroke=0, fill=1)
        for row, top, height in zip(self.rows, ys, self.heights, strict=False):
            for cell, x, w in zip(row, xs, self.widths, strict=False):
                if cell:
                    h = cell.wrap(w - 2 * PADDING, 10_000)[1]
                    cell.drawOn(canvas, x + PADDING, top - height + (height - h) / 2)
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(LINE)
        canvas.grid(xs, ys)
