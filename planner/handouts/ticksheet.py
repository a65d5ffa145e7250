"""The weekly tick sheet: one row per exercise, a big box for each time it is done on a day it is due.

An exercise done 2 times a day has two boxes, one above the other, in each of its days; a day
it is not due (an exercise done 3 days a week rests on Tuesday) is shaded with no box. Which
days are due is decided once, in planner.services.coverage.due_days.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, cast

from reportlab.lib.colors import HexColor
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer

from planner.handouts import words
from planner.handouts.content import ExerciseBlock
from planner.handouts.flowables import Para as Paragraph
from planner.handouts.flowables import stack_height
from planner.handouts.replay import draw_recorded
from planner.handouts.styles import BOLD, INK, TINT, Styles
from planner.handouts.text import bold, para_text

# A box at least 0.55 inch each way: room for a tick made with a tremor.
MIN_BOX = 0.55 * inch
LINE = 1.5
PADDING = 4
# A day the exercise is not due: shaded darker than the header, so it reads as "nothing here".
REST = HexColor("#C9C9C9")

# Per exercise row: how many boxes a day (times a day), and the weekdays (0 Monday) it is due.
Boxes = tuple[int, tuple[int, ...]]


def tick_sheet(
    exercises: list[ExerciseBlock], styles: Styles, width: float, said: words.Words, page_room: float = 0.0
) -> list[Flowable]:
    """The heading, a line to write the week's date, the key to shaded days, and the exercise × day
    table, in `said`'s language. `page_room`: the height a page holds (pt), so the table never
    leaves one row alone at the end of a page that a whole page could have held with more."""
    widest_day = max(stringWidth(day, BOLD, styles.size) for day in said.days)
    box = max(MIN_BOX, widest_day + 2 * PADDING + 2)
    widths = [width - 7 * box] + [box] * 7
    boxes: list[Boxes] = [(max(1, b.times_per_day or 1), tuple(b.due_days)) for b in exercises]
    # The same exercises give the same sheet: measured and drawn once per process, then replayed.
    key = (
        "tick sheet",
        said.language,
        styles.size,
        tuple(widths),
        tuple((b.number, b.name, b.times_per_day) for b in exercises),
        tuple(boxes),
    )
    known = _HEIGHTS.get(key)
    if known is not None:
        grid = Grid(lambda: _rows(exercises, styles, said), widths, known, key, boxes, box)
    else:
        rows = _rows(exercises, styles, said)
        # A box's height per time a day, unless a long name needs a taller row (the header: as a Table sizes it).
        heights = [None] + [
            max(box * times, row[0].wrap(widths[0] - 2 * PADDING, 10_000)[1] + 2 * PADDING)
            for row, (times, _) in zip(rows[1:], boxes, strict=True)
        ]
        grid = Grid(rows, widths, heights, key, boxes, box)
        grid.wrap(width, 10_000)
        if len(_HEIGHTS) >= 1024:
            _HEIGHTS.clear()
        _HEIGHTS[key] = list(grid.measured)
    flow: list[Flowable] = [
        Paragraph(para_text(said.headings["tick_sheet"]), styles.heading),
        Paragraph(f"{bold(para_text(said.headings['week_of']))} ______________________", styles.body),
    ]
    if any(len(days) < 7 for _, days in boxes):
        flow.append(Paragraph(para_text(said.rest_day), styles.body))
    flow.append(Spacer(1, styles.size * 0.4))
    # The most room the table can have under its heading lines: with less (the end of a page
    # after an exercise), it leaves no row alone there, but moves on (Grid.split).
    grid.room = page_room - stack_height(flow, width) - flow[-1].getSpaceAfter() - grid.getSpaceBefore()
    return [*flow, grid]


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
    labelled cell, centred in its row, and per day the exercise's boxes or a shaded rest day.

    A platypus Table would draw a style lookup and a call per cell (most of them empty) and
    knows no stacked boxes. `rows` may be a function that makes them: then they are made only
    if they must be drawn. Too tall for the frame, it splits between exercises, the header
    repeated at the top of the next part.
    """

    def __init__(
        self,
        rows: list[list[Any]] | Callable[[], list[list[Any]]],
        widths: list[float],
        heights: Sequence[float | None],
        key: Hashable,
        boxes: list[Boxes],
        box: float,
        room: float = 0.0,
    ) -> None:
        """room: the most height a split of this sheet (or the part it came from) was offered, pt."""
        super().__init__()
        self._rows, self.widths, self.heights, self.key = rows, widths, list(heights), key
        self.boxes, self.box, self.room = boxes, box, room

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
        self.width, self.height = sum(self.widths), sum(self.measured)
        return self.width, self.height

    @property
    def measured(self) -> list[float]:
        """`heights` (the same list) once `wrap` has measured each row it was given None for."""
        return cast(list[float], self.heights)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        """The exercises that fit, then the rest under the header again; [] when fewer than two fit.
        One exercise's row never goes on alone, before a break or after it: two go."""
        self.wrap(availWidth, availHeight)
        header = self.measured[0]
        fit, used = 0, header
        for height in self.measured[1:]:
            if used + height > availHeight:
                break
            fit, used = fit + 1, used + height
        if fit == len(self.boxes):
            return [self]
        if fit == len(self.boxes) - 1 and fit > 1:
            fit -= 1  # the last row would go on alone
        # One row alone under the header only where no more room ever came (rows too tall for two
        # a page); where more room came before (a page's top), the part moves on to the next page.
        self.room = max(self.room, availHeight)
        if fit == 0 or (fit == 1 and len(self.boxes) > 1 and availHeight < self.room - 1e-6):
            return []
        rows = self.rows
        parts = []
        for first, last in ((0, fit), (fit, len(self.boxes))):
            part_rows = [rows[0], *rows[1 + first : 1 + last]]
            part_heights = [header, *self.measured[1 + first : 1 + last]]
            part_key = (self.key, first, last)
            parts.append(
                Grid(part_rows, self.widths, part_heights, part_key, self.boxes[first:last], self.box, self.room)
            )
        return parts

    def draw(self) -> None:
        draw_recorded(self.canv, (self.key, tuple(self.heights)), self._draw)

    def _draw(self) -> None:
        canvas = self.canv
        heights = self.measured  # draw comes after wrap
        xs = [0.0]
        for w in self.widths:
            xs.append(xs[-1] + w)
        ys = [self.height]
        for h in heights:
            ys.append(ys[-1] - h)
        canvas.setFillColor(TINT)
        canvas.rect(0, ys[1], self.width, heights[0], stroke=0, fill=1)
        # Rest days first, so the lines are drawn over their edges.
        canvas.setFillColor(REST)
        for (_times, days), top, height in zip(self.boxes, ys[1:], heights[1:], strict=False):
            for day in range(7):
                if day not in days:
                    canvas.rect(xs[day + 1], top - height, self.widths[day + 1], height, stroke=0, fill=1)
        for row, top, height in zip(self.rows, ys, heights, strict=False):
            for cell, x, w in zip(row, xs, self.widths, strict=False):
                if cell:
                    h = cell.wrap(w - 2 * PADDING, 10_000)[1]
                    cell.drawOn(canvas, x + PADDING, top - height + (height - h) / 2)
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(LINE)
        canvas.grid(xs, ys)
        # Inside each due day, a line between the boxes of one time a day and the next.
        for (times, days), top, height in zip(self.boxes, ys[1:], heights[1:], strict=False):
            for n in range(1, times):
                y = top - height * n / times
                for day in days:
                    canvas.line(xs[day + 1], y, xs[day + 2], y)
