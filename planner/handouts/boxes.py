"""Flowables that set parts apart or side by side: label-and-value rows (Rows), a tinted box
(Box), a paragraph marked by a bar down its left (Marked), and a fixed-width part beside a stack
of paragraphs (Beside). Each wraps its paragraphs once, where a Table wraps every cell several
times.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable, Paragraph

from planner.handouts.para import Para
from planner.handouts.stacking import draw_stack, fit, stack_height, stacked


class Rows(Flowable):
    """Paragraphs in two columns, a label and its value on each row, top aligned: laid out
    as a Table with no padding but 6 pt on the right of each cell would, measured once. Where
    they do not fit the rest of a page they break between two rows (the front page's facts, under
    a long name: the front page held only its title and QR code, the facts all on page 2)."""

    PAD = 6.0

    def __init__(self, rows: Sequence[tuple[Flowable, Flowable]], label_width: float) -> None:
        super().__init__()
        self.rows, self.label_width = list(rows), label_width
        # Per width: the rows' heights (the front page's ways ask one table its height often).
        self._measured: dict[float, list[float]] = {}

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        heights = self._measured.get(availWidth)
        if heights is None:
            heights = self._measured[availWidth] = [
                max(
                    label.wrap(self.label_width - self.PAD, 1e6)[1],
                    value.wrap(availWidth - self.label_width - self.PAD, 1e6)[1],
                )
                for label, value in self.rows
            ]
        self._heights = heights
        self.height = sum(heights)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        # Between rows, never inside one: a label stays beside all of its value (a long name on
        # the front page's "For:" row is read whole). No row fits: all of them on the next page.
        self.wrap(availWidth, availHeight)
        used, count = 0.0, 0
        for height in self._heights:
            if used + height > availHeight + 1e-6:
                break
            used, count = used + height, count + 1
        if count == 0 or count == len(self.rows):
            return [] if count == 0 else [self]
        return [Rows(self.rows[:count], self.label_width), Rows(self.rows[count:], self.label_width)]

    def draw(self) -> None:
        top = self.height
        for (label, value), height in zip(self.rows, self._heights, strict=True):
            # Wrapped again at this table's widths: another table of the same cells, weighed
            # and not drawn, may have wrapped them at another.
            label.wrap(self.label_width - self.PAD, 1e6)
            value.wrap(self.width - self.label_width - self.PAD, 1e6)
            label.drawOn(self.canv, 0, top - label.height)
            value.drawOn(self.canv, self.label_width, top - value.height)
            top -= height


class Box(Flowable):
    """Paragraphs in a tinted box, with an optional border.

    Inside a kept block it is never split. A box taller than the rest of a page (a long note
    in a block too tall for any page) splits at a line into two boxes; its first line (the
    label, or the warning) never ends a page alone.
    """

    def __init__(
        self,
        parts: Sequence[Flowable],
        tint: Color,
        edge: Color | None = None,
        edge_width: float = 2.5,
        padding: float = 8,
        space_before: float = 6,
    ) -> None:
        super().__init__()
        self.parts, self.tint, self.edge, self.edge_width, self.padding = list(parts), tint, edge, edge_width, padding
        self.spaceBefore = space_before
        self._measured: tuple[float, float] | None = None
        # The widths it was measured at, where a caller wants to know (block: a note's shape).
        self.asked: set[float] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if self.asked is not None:
            self.asked.add(availWidth)
        if self._measured is None or self._measured[0] != availWidth:
            self._measured = (availWidth, stack_height(self.parts, availWidth - 2 * self.padding) + 2 * self.padding)
        self.width, self.height = self._measured
        return self.width, self.height

    def height_at(self, availWidth: float) -> float:  # noqa: N803
        """The height wrap(availWidth, …) gives, its paragraphs measured by Para.height_at."""
        inside = availWidth - 2 * self.padding
        heights = [
            part.height_at(inside) if isinstance(part, Para) else part.wrap(inside, 1e6)[1] for part in self.parts
        ]
        return stacked(self.parts, heights) + 2 * self.padding

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        inside = 2 * self.padding
        fitted, rest = fit(self.parts, availWidth - inside, availHeight - inside)
        if not rest:
            return [self]
        if len(fitted) < min(2, len(self.parts)):
            return []
        halves = [copy.copy(self), copy.copy(self)]
        for half, parts in zip(halves, (fitted, rest), strict=True):
            half.parts, half._measured = parts, None
        halves[1].spaceBefore = 0
        return halves

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(self.tint)
        if self.edge is not None:
            canvas.setStrokeColor(self.edge)
            canvas.setLineWidth(self.edge_width)
        inset = self.edge_width / 2 if self.edge is not None else 0
        canvas.rect(
            inset,
            inset,
            self.width - 2 * inset,
            self.height - 2 * inset,
            fill=1,
            stroke=1 if self.edge is not None else 0,
        )
        canvas.restoreState()
        draw_stack(canvas, self.parts, self.padding, self.height - self.padding, self.width - 2 * self.padding)


class Marked(Flowable):
    """A paragraph with a coloured bar down its left, `inset` from the edge and `bar` wide, in
    the room the paragraph's own left indent leaves (a caution in the steps' flow).

    Split at a line like its paragraph (only in a block too tall for any page), each part marked.
    """

    def __init__(self, paragraph: Paragraph, colour: Color, bar: float, inset: float, space_before: float = 4) -> None:
        super().__init__()
        self.paragraph, self.colour, self.bar, self.inset = paragraph, colour, bar, inset
        self.spaceBefore, self.spaceAfter = space_before, paragraph.getSpaceAfter()

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width, self.height = availWidth, self.paragraph.wrap(availWidth, availHeight)[1]
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        halves = self.paragraph.split(availWidth, availHeight)
        if len(halves) < 2:
            return []
        marked = [Marked(half, self.colour, self.bar, self.inset, self.spaceBefore) for half in halves]
        marked[1].spaceBefore = 0
        return marked

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(self.colour)
        canvas.rect(self.inset, 0, self.bar, self.height, stroke=0, fill=1)
        canvas.restoreState()
        self.paragraph.drawOn(canvas, 0, 0)


class Beside(Flowable):
    """A fixed-width flowable on the left and a stack of paragraphs beside it, centred on each
    other, or (`top`) both from the top, as text set around a picture reads. `flipped`: the
    fixed-width flowable on the right (the front page's QR code beside its title and facts)."""

    def __init__(
        self,
        left: Flowable,
        right: Sequence[Flowable],
        left_width: float,
        gap: float,
        top: bool = False,
        flipped: bool = False,
    ) -> None:
        super().__init__()
        self.left, self.right, self.left_width, self.gap, self.top = left, list(right), left_width, gap, top
        self.flipped = flipped

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self._left_height = self.left.wrap(self.left_width, availHeight)[1]
        self._right_height = stack_height(self.right, self._right_width())
        self.height = max(self._left_height, self._right_height)
        return self.width, self.height

    def _right_width(self) -> float:
        return self.width - self.left_width - self.gap

    def draw(self) -> None:
        fixed_x, stack_x = (self._right_width() + self.gap, 0.0) if self.flipped else (0.0, self.left_width + self.gap)
        if self.top:
            self.left.drawOn(self.canv, fixed_x, self.height - self._left_height)
            top = self.height
        else:
            self.left.drawOn(self.canv, fixed_x, (self.height - self._left_height) / 2)
            top = self.height - (self.height - self._right_height) / 2
        draw_stack(self.canv, self.right, stack_x, top, self._right_width())
