"""The weekly tick sheet: one row per exercise, one big box per day, for a shaky hand."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

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


def tick_sheet(exercises: list[ExerciseBlock], styles: Styles, width: float) -> list[Flowable]:
    """The heading, a line to write the week's date, and the exercise × day table."""
    widest_day = max(stringWidth(day, BOLD, styles.size) for day in words.DAYS)
    box = max(MIN_BOX, widest_day + 2 * PADDING + 2)
    name_width = width - 7 * box
    header = [Paragraph(bold(words.HEADINGS["exercise"]), styles.cell)]
    header += [Paragraph(bold(day), styles.day) for day in words.DAYS]
    heights: list[float | None] = [None]
    rows: list[list[Any]] = [header]
    for block in exercises:
        label = f"{block.number}. {para_text(block.name)}"
        often = words.times_a_day(block.times_per_day)
        if often:
            label += f"<br/>({often})"
        cell = Paragraph(label, styles.cell)
        # Square boxes, unless a long name needs a taller row.
        heights.append(max(box, cell.wrap(name_width - 2 * PADDING, 10_000)[1] + 2 * PADDING))
        rows.append([cell, *[""] * 7])
    return [
        Paragraph(para_text(words.HEADINGS["tick_sheet"]), styles.heading),
        Paragraph(f"{bold(para_text(words.HEADINGS['week_of']))} ______________________", styles.body),
        Spacer(1, styles.size * 0.4),
        Grid(rows, [name_width] + [box] * 7, heights),
    ]


class Grid(Flowable):
    """The tick sheet's table drawn straight on the canvas: a tinted header, a paragraph per
    labelled cell, centred in its row, and one grid of lines.

    A platypus Table does the same with a style lookup and a drawing call per cell (most of
    them empty); it is still used when the sheet must break across pages (header repeated).
    """

    def __init__(self, rows: list[list[Any]], widths: list[float], heights: list[float | None]) -> None:
        super().__init__()
        self.rows, self.widths, self.heights = rows, widths, list(heights)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        for i, row in enumerate(self.rows):
            if self.heights[i] is None:  # as a Table sizes a row: its tallest cell and the padding
                self.heights[i] = (
                    max(cell.wrap(w - 2 * PADDING, 10_000)[1] for cell, w in zip(row, self.widths, strict=True) if cell)
                    + 2 * PADDING
                )
        self.width, self.height = sum(self.widths), sum(self.heights)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return _table(self.rows, self.widths, self.heights).split(availWidth, availHeight)

    def draw(self) -> None:
        # The same exercises give the same sheet: drawn once per process, then replayed.
        cells = tuple((c.text, c.style.name, c.style.fontSize) if c else "" for row in self.rows for c in row)
        key = ("tick sheet", tuple(self.widths), tuple(self.heights), cells)
        draw_recorded(self.canv, key, self._draw)

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


def _table(rows: list[list[Any]], widths: list[float], heights: list[float | None]) -> Table:
    table = Table(rows, colWidths=widths, rowHeights=heights, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), BOLD),
                ("GRID", (0, 0), (-1, -1), LINE, INK),
                ("BACKGROUND", (0, 0), (-1, 0), TINT),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
                ("TOPPADDING", (0, 0), (-1, -1), PADDING),
                ("BOTTOMPADDING", (0, 0), (-1, -1), PADDING),
            ]
        )
    )
    return table
