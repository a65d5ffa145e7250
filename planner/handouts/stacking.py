"""Flowables stacked one under another and handed to the frame as one: a kept block (Kept) and
its live parts (Live), a column (Column), a part kept with its heading and tail (Headed), a
column too tall for any page (Flowing); their heights, and where a frame would break them (fit).

Tables and KeepTogether would do this too, but measure their parts again and again; these
measure each part once per width.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from planner.handouts.replay import draw_recorded, drawn_live


def stack_height(parts: Sequence[Flowable], width: float) -> float:
    """The height of flowables stacked in a column, with the spaces between them."""
    height = 0.0
    for i, part in enumerate(parts):
        height += part.wrap(width, 1e6)[1]
        if i:
            height += part.getSpaceBefore()
        if i < len(parts) - 1:
            height += part.getSpaceAfter()
    return height


def stacked(parts: Sequence[Flowable], heights: Sequence[float]) -> float:
    """stack_height of `parts` of these heights (the same sums in the same order)."""
    height = 0.0
    for i, part in enumerate(parts):
        height += heights[i]
        if i:
            height += part.getSpaceBefore()
        if i < len(parts) - 1:
            height += part.getSpaceAfter()
    return height


def frame_height(parts: Sequence[Flowable], width: float) -> float:
    """The height of flowables a frame places one by one from the top of a page: between two,
    the larger of the one's space after and the next's space before (stack_height adds both)."""
    height = 0.0
    for i, part in enumerate(parts):
        height += part.wrap(width, 1e6)[1]
        if i:
            height += max(parts[i - 1].getSpaceAfter(), part.getSpaceBefore())
    return height


def draw_stack(canvas: Canvas, parts: Sequence[Flowable], x: float, top: float, width: float) -> None:
    y = top
    for i, part in enumerate(parts):
        if i:
            y -= part.getSpaceBefore()
        _, height = part.wrap(width, 1e6)
        y -= height
        part.drawOn(canvas, x, y)
        y -= part.getSpaceAfter()


class Kept(Flowable):
    """Flowables that stay together on one page, drawn as one (and replayed, given a `key`).

    Like platypus' KeepTogether: a block that does not fit the rest of the page moves to the
    next. Only a block taller than a whole page (`page_room`: a heading and the longest goals)
    breaks where the page ends, its first part never alone there (a heading stays with the
    start of what it heads). One flowable instead of a dozen is also less work for the frame.
    `parts` may be a function that makes them, with `known` = size(width) of the same parts
    measured before: then they are made only if they must be drawn.
    `key` names everything the parts show (see replay.draw_recorded); None: never replayed.
    `live`: the Live parts among them, drawn afresh each time (not named by `key`).
    """

    def __init__(
        self,
        parts: Sequence[Flowable] | Callable[[], list[Flowable]],
        page_room: float,
        key: Hashable | None = None,
        known: tuple[float, float, float, float] | None = None,
        live: Sequence[Live] = (),
    ) -> None:
        super().__init__()
        self._parts = parts if callable(parts) else list(parts)
        self.page_room, self.key, self._known, self.live = page_room, key, known, list(live)
        if known is None:
            self.spaceBefore = self.parts[0].getSpaceBefore() if self.parts else 0
            self.spaceAfter = self.parts[-1].getSpaceAfter() if self.parts else 0
        else:
            self.spaceBefore, self.spaceAfter = known[2], known[3]

    @property
    def parts(self) -> list[Flowable]:
        if callable(self._parts):
            self._parts = self._parts()
        return self._parts

    def size(self, width: float) -> tuple[float, float, float, float]:
        """(width, height, space before, space after): what `known` takes."""
        return width, self.wrap(width, 1e6)[1], self.spaceBefore, self.spaceAfter

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if self._known is None or self._known[0] != availWidth:
            # The parts never change: measured once per width (the ways of setting a story
            # that build weighs ask the same tips and QR code their height again and again).
            self._known = (availWidth, stack_height(self.parts, availWidth), self.spaceBefore, self.spaceAfter)
        self.width, self.height = availWidth, self._known[1]
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        # Nothing here: the whole block goes to the next page, unless no page could hold it.
        if self.height <= self.page_room + 1e-6:
            return []
        if availHeight >= self.page_room - 1e-6:
            return self.parts  # at a page top, the frame places the parts one by one (closer: frame_height)
        if frame_height(self.parts, availWidth) <= self.page_room + 1e-6:
            return []  # a page holds it that way: it moves on whole
        fitted, rest = fit(self.parts, availWidth, availHeight)
        if len(fitted) < min(2, len(self.parts)):
            return []
        return [Column(fitted), Column(rest)] if rest else [Column(fitted)]

    def draw(self) -> None:
        canvas, key = self.canv, (self.key, self.width, self.height) if self.key is not None else None
        draw_recorded(canvas, key, lambda: draw_stack(canvas, self.parts, 0, self.height, self.width), self.live)


# A list's item taller than this share of a page breaks at a line (Listed.flows).
FLOW_SHARE = 0.5


class Listed(Kept):
    """A heading and a list's items (the tips), kept together on one page as Kept keeps them.
    Only a list taller than a page breaks, and only between two whole items, never fewer than
    `least` on either side: the heading with the first items, and on the next page `again()`
    (the heading with "(continued)") over the rest. A lone item at a page's top, away from its
    heading, read as part of the tick sheet under it (trial 22, N2). A list with an item taller
    than a page, or that no whole-item break fits at a page's top, breaks at a line as Flowing
    does, `again()` atop each page it goes on to."""

    def __init__(
        self,
        heading: Flowable,
        items: Sequence[Flowable],
        page_room: float,
        again: Callable[[], Flowable],
        least: int = 2,
        close: Sequence[Flowable] = (),
        turns: bool = False,
        flow_share: float = FLOW_SHARE,
    ) -> None:
        items = list(items)
        # The heading with the first item, as headings_kept keeps it: the same drawing as the tips' Kept.
        super().__init__([Kept([heading, items[0]], page_room), *items[1:]] if items else [heading], page_room)
        self.heading, self.items, self.again, self.least = heading, items, again, least
        self.close = list(close)  # the same items set closer (no space between two), or none
        # A rest (rest()) goes on over the page its caller broke the list at, as Flowing does.
        self.turns = turns
        # An item taller than this share of a page breaks at a line (flows).
        self.flow_share = flow_share

    def cuts(self, width: float) -> list[int]:
        """Where the list may break, as the number of items before the break, the most first:
        `least` whole items at least on either side, else two lines at least on either side
        (a tip of two lines, where two whole ones take a page more)."""
        counts = range(len(self.items) - 1, 0, -1)
        whole = [count for count in counts if min(count, len(self.items) - count) >= self.least]
        lines = [self._lines(item, width) for item in self.items]
        least_lines = [count for count in counts if min(sum(lines[:count]), sum(lines[count:])) >= 2]
        return whole + [count for count in least_lines if count not in whole]

    def rest(self, count: int, close: bool = False) -> Listed:
        """The items after the first `count`, under the heading again (a Listed); `close`: set
        closer."""
        items = self.close[count:] if close and self.close else self.items[count:]
        return Listed(
            self.again(),
            items,
            self.page_room,
            self.again,
            self.least,
            self.close[count:],
            turns=True,
            flow_share=self.flow_share,
        )

    def flows(self, width: float) -> bool:
        """Whether an item is taller than `flow_share` of a page (by default half, FLOW_SHARE):
        the list then breaks as `flowing()` does,
        at a line wherever a page ends (trial 33, F1: a 1,500-character tip, kept whole, left
        the page before it half empty and the tick sheet alone on the last page, where 2,000
        characters, broken so, took a page less)."""
        return any(item.wrap(width, 1e6)[1] > self.page_room * self.flow_share for item in self.items)

    def flowing_with(self, last: Flowable) -> Flowing:
        """The list and `last` (the tick sheet) under it as one Flowing, broken at a line where
        pages end, from where it is, and never `last` alone on the page it goes on to: the sheet
        alone on the last page, with the tips before it ending a page (trial 34, F2)."""
        return Flowing(
            [self.heading, *self.items, last],
            self.page_room,
            self.again,
            turns=False,
            last_with=True,
            start=self._two(),
        )

    def flowing(self) -> Flowing:
        """The list as a Flowing: broken at a line where pages end, `again()` atop each next,
        starting where it is (trial 33, F1: 1,700 characters started page 2 to spare a page turn,
        and the tick sheet after them went on to page 3 alone); a rest (rest()) where that spares
        a page turn on the next page, where its caller broke the list to go on."""
        return Flowing([self.heading, *self.items], self.page_room, self.again, turns=self.turns, start=self._two())

    def _two(self) -> float:
        """Two lines of the items (pt): the least of them under the heading where the list breaks
        at a line (two at least on each side, else two lines: never one tip of one line)."""
        return 2 * self._leading(self.items[0]) if self.items else 0.0

    @staticmethod
    def _lines(item: Flowable, width: float) -> int:
        return round(item.wrap(width, 1e6)[1] / (Listed._leading(item) or 1))

    @staticmethod
    def _leading(item: Flowable) -> float:
        """An item's line height (pt): its paragraph style's leading, 0 where it has none."""
        return getattr(getattr(item, "style", None), "leading", 0)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        if self.flows(availWidth):
            # An item taller than half a page breaks at a line wherever it is: from here, as the
            # frame places them, each page they go on to headed again (trial 30, F2: a 2,000-character
            # tip started a page of its own, the page before a fifth empty, its last 7 lines alone
            # on the last page under no heading). Also where the whole list fits a page (trial 33,
            # F1: 1,700 characters moved whole to page 2 and the tick sheet to page 3 alone).
            return self.flowing().split(availWidth, availHeight)
        if self.wrap(availWidth, availHeight)[1] <= self.page_room + 1e-6:
            return []  # whole, on the next page
        for count in self.cuts(availWidth):
            here = self.parts[:count]
            if stack_height(here, availWidth) <= availHeight + 1e-6:
                return [Kept(here, self.page_room), self.rest(count)]
        if availHeight >= self.page_room - 1e-6:
            # At a page's top, no break between whole items fits: the heading and the items as a
            # frame places them, each page they go on to headed again.
            return self.flowing().split(availWidth, availHeight)
        return []  # on the next page, where more of it fits


class Live(Flowable):
    """A part drawn afresh every time inside a drawing that is replayed (Kept's `live`): a
    patient's note inside an exercise block. Its `shape`, its heights at the widths it was
    asked, is all the layout around it depends on: the exercise around a note is drawn once per
    shape of note (replay.draw_recorded), and only the note is drawn for each patient."""

    def __init__(self, part: Flowable) -> None:
        super().__init__()
        self.part = part
        self._answers: dict[float, float] = {}

    @property
    def shape(self) -> tuple[tuple[float, float], ...]:
        return tuple(sorted(self._answers.items()))

    def answers(self) -> list[tuple[float, float]]:
        """The widths it was asked at and its heights there, in the order first asked."""
        return list(self._answers.items())

    def forget(self) -> None:
        """Forget the widths it was asked at (asked before its parts lay it out)."""
        self._answers.clear()

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width, self.height = self.part.wrap(availWidth, availHeight)
        self._answers[availWidth] = self.height
        return self.width, self.height

    def getSpaceBefore(self) -> float:  # noqa: N802
        return self.part.getSpaceBefore()

    def getSpaceAfter(self) -> float:  # noqa: N802
        return self.part.getSpaceAfter()

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return []  # inside a kept block: never split

    def draw(self) -> None:
        drawn_live(self.canv, self.part, self.width)


class Column(Flowable):
    """Flowables one under another, handed to the frame as one.

    A frame places each flowable with a good deal of bookkeeping; a handout's front page and
    closing advice are a dozen short paragraphs. At a page end the column splits as the frame
    would: between parts, inside a paragraph, or before a Kept block (which moves on whole).
    """

    def __init__(self, parts: Sequence[Flowable]) -> None:
        super().__init__()
        self.parts = list(parts)
        self.spaceBefore = self.parts[0].getSpaceBefore() if self.parts else 0
        self.spaceAfter = self.parts[-1].getSpaceAfter() if self.parts else 0
        self._measured: tuple[float, float] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        # The parts never change: measured once per width (a frame asks again and again, and a
        # note of hundreds of lines is hundreds of parts).
        if self._measured is None or self._measured[0] != availWidth:
            self._measured = (availWidth, stack_height(self.parts, availWidth))
        self.width, self.height = self._measured
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        fitted, rest = fit(self.parts, availWidth, availHeight)
        if not fitted:
            return []
        return [Column(fitted), Column(rest)] if rest else [Column(fitted)]

    def draw(self) -> None:
        draw_stack(self.canv, self.parts, 0, self.height, self.width)


class Headed(Column):
    """A part (a tick sheet's grid) with `lead` flowables that go with its start (a heading and
    its lines) and `tail` ones that go with its end (the QR code), kept whole on one page: it
    moves on to the next page when it does not fit the rest of this one. Only when it is taller
    than `page_room` (the height a page holds, pt) it breaks where a page ends: the lead never
    ends a page without some of the part, the tail never starts a page alone. The part itself
    must split as it likes (Grid: between rows, the header repeated). `again` makes the heading
    that starts each next page ("... (continued)").
    """

    def __init__(
        self,
        lead: Sequence[Flowable],
        part: Flowable,
        tail: Sequence[Flowable] = (),
        page_room: float = 0.0,
        again: Callable[[], Flowable] | None = None,
    ) -> None:
        super().__init__([*lead, part, *tail])
        self.lead, self.tail, self.page_room, self.again = len(lead), list(tail), page_room, again
        # A tick sheet with names cut short: the same with more of them whole (closing.names_whole).
        self.fuller: Callable[[float], Headed] | None = None

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        if self.wrap(availWidth, availHeight)[1] <= self.page_room + 1e-6:
            return []  # whole, on the next page
        part = self.parts[self.lead]
        if availHeight < self.page_room - 1e-6 and hasattr(part, "pages_from"):
            # Under something else on this page: it starts here only where that takes a page
            # less than starting the next page (a few rows here, the rest on as many pages, is
            # a sheet in more parts for nothing).
            room = availHeight - stack_height(self.parts[: self.lead], availWidth) - part.getSpaceBefore()
            rows = part.rows_in(room)
            if rows < 2 or part.pages_from(rows) >= part.pages_from(0):
                return []
            # Nor where the rows here would be fewer than a third of each page's after (2 + 9;
            # 3 + 8 saves the page: trial 39's 11 exercises at 18 pt, every tip, Letter, took 15
            # pages with 60 characters of advice, 14 with 300, the tips a page of their own).
            if rows * 3 < math.ceil((len(part.boxes) - rows) / part.pages_from(rows)):
                return []
        fitted, rest = fit(self.parts, availWidth, availHeight)
        if rest and all(any(r is t for t in self.tail) for r in rest):
            # Only the tail left over: break the part earlier, so some of it goes on with the tail.
            tail = stack_height(self.tail, availWidth) + self.tail[0].getSpaceBefore()
            fitted, rest = fit(self.parts, availWidth, availHeight - tail)
        if len(fitted) <= self.lead:
            return []  # none of the part here: all of it on the next page
        if not rest:
            return [Column(fitted)]
        heading = [self.again()] if self.again is not None else []
        if getattr(rest[0], "moves_on", False):
            rest[0].moves_on = False  # on the next page, under its heading again
        return [Column(fitted), Headed(heading, rest[0], rest[1:], self.page_room, self.again)]


# How far the break moves up each time, pt: about a line of the tips at 14 pt.
LINE_STEP = 8.0


class Flowing(Column):
    """A column too tall for any page (an exercise with a very long note), broken where pages
    end. It starts where it is, unless starting on the next page would spare a page turn. Its
    first part (the exercise's name, picture and dosage) never ends a page alone; each page it
    goes on to starts with `again()`, a "continued" line, and more than that line. `turns`
    False: it starts where it is even where the next page would spare a page turn (tips: what
    follows them, the tick sheet, then has the room they leave). `last_with`: its last part (a
    tick sheet under the tips) never goes on to a page alone: the break moves up a line at a
    time until some of what is before it goes on with it. `tail` (pt): where what goes on to the
    last page is shorter than that, the break moves up a line at a time until it is not (the
    end of the handout: its last page held "(continued)" and two lines, trial 36, F4). `start`
    (pt): where it breaks, what stands under its first part on the page it starts is at least
    that tall, else it starts the next page (tips: two lines under their heading, trial 37, F3).
    """

    def __init__(
        self,
        parts: Sequence[Flowable],
        page_room: float,
        again: Callable[[], Flowable],
        going_on: bool = False,
        turns: bool = True,
        last_with: bool = False,
        tail: float = 0.0,
        start: float = 0.0,
    ) -> None:
        super().__init__(parts)
        self.page_room, self.again, self.going_on, self.turns = page_room, again, going_on, turns
        self.last_with, self.tail, self.start = last_with, tail, start

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        if availHeight < self.page_room - 1e-6 and (
            self.going_on
            or (self.turns and self._pages(availWidth, availHeight) > self._pages(availWidth, self.page_room))
        ):
            return []  # on the next page: what goes on (under its "continued" line), or all of it
        fitted, rest = fit(self.parts, availWidth, availHeight)
        height = availHeight
        while self.last_with and rest == self.parts[-1:] and height > LINE_STEP:
            # Only the last part would go on: the break a line higher, so a line or more goes with it.
            height -= LINE_STEP
            fitted, rest = fit(self.parts, availWidth, height)
        if len(fitted) < 2:
            return []  # the start alone: it goes on the next page, with what follows it
        if rest and availHeight < self.page_room - 1e-6 and stack_height(fitted[1:], availWidth) < self.start - 1e-6:
            return []  # under its start too little (one line of one tip): on the next page
        if not rest:
            return [Column(fitted)]
        if self.tail and stack_height(rest, availWidth) < self.tail:
            # A short end on the last page: more of it goes there, the page before keeping its
            # start and a line or more (never more than the last page holds).
            again = self.again().wrap(availWidth, self.page_room)[1]
            while height > LINE_STEP and stack_height(rest, availWidth) < self.tail:
                moved = fit(self.parts, availWidth, height - LINE_STEP)
                if len(moved[0]) < 2 or again + stack_height(moved[1], availWidth) > self.page_room - LINE_STEP:
                    break
                height -= LINE_STEP
                fitted, rest = moved
        going = Flowing(
            [self.again(), *rest], self.page_room, self.again, going_on=True, last_with=self.last_with, tail=self.tail
        )
        return [Column(fitted), going]

    def pages(self, width: float) -> int:
        """The pages it takes from the top of a page, broken as the frame breaks it (split); a
        million where a piece fits no page."""
        count, rest = 1, self
        while rest.wrap(width, self.page_room)[1] > self.page_room + 1e-6:
            pieces = rest.split(width, self.page_room)
            if len(pieces) < 2:
                return 1_000_000
            count, rest = count + 1, pieces[1]
        return count

    def _pages(self, width: float, first: float) -> int:
        """About how many pages it takes from a page with `first` points left: that page as
        laid out, the pages after it by the height of what is left."""
        fitted, rest = fit(self.parts, width, first)
        if len(fitted) < 2:  # its start does not fit here: all of it on the next page
            return 1 + self._pages(width, self.page_room) if first < self.page_room - 1e-6 else 1_000_000
        if not rest:
            return 1
        again = self.again()
        each = self.page_room - again.wrap(width, self.page_room)[1] - again.getSpaceAfter()
        return 1 + math.ceil(stack_height(rest, width) / each)


def last_page_of(block: Flowable, width: float, page_room: float) -> Flowable:
    """What of an exercise block its last page holds: all of it, or, for one taller than a page
    (a Flowing, broken where pages end), its last piece, which the tick sheet may share a page
    with (trial 23, F2: a note's last lines alone on a page, the sheet alone on the next)."""
    while isinstance(block, Flowing) and block.wrap(width, 1e6)[1] > page_room + 1e-6:
        pieces = block.split(width, page_room)
        if len(pieces) < 2:
            break
        block = pieces[-1]
    return block


def fit(parts: Sequence[Flowable], width: float, height: float) -> tuple[list[Flowable], list[Flowable]]:
    """The parts that fit `height` and the rest, broken as a frame would: between parts, inside a
    paragraph or a box (at a line), or before a Kept block (which moves on whole)."""
    fitted: list[Flowable] = []
    rest = list(parts)
    used = 0.0
    while rest:
        part = rest[0]
        gap = part.getSpaceBefore() if fitted else 0.0
        room = height - used - gap
        part_height = part.wrap(width, room)[1]
        if part_height <= room + 1e-6:
            fitted.append(rest.pop(0))
            used += gap + part_height + part.getSpaceAfter()
            continue
        pieces = part.split(width, room) if room > 0 else []
        if not pieces or pieces == [part]:
            break  # the part starts the next page
        rest[0:1] = pieces  # the lines that fit, then the rest (or a too-tall block's parts)
    return fitted, rest
