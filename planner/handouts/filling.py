"""How a story fills pages, measured without laying it out: the pages a flow takes where each
part moves on whole (pages_taken, page_starts), the parts that float to a page's foot
(at_page_feet), and the Setting every way of setting a story is weighed with.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from reportlab.platypus import Flowable

from planner.handouts import words
from planner.handouts.content import HandoutContent
from planner.handouts.stacking import Column, Flowing, Headed, Kept, Listed, fit, stack_height
from planner.handouts.styles import Styles


@dataclasses.dataclass(frozen=True)
class Setting:
    """What every way of setting a story is weighed with (fewer_pages, under_story): the content, its
    styles, the line's `width`, the heights a page and the front page hold (`page_room`,
    `first_room`, pt), the front page with or without the QR code (`front_page(qr, tight)`;
    `tight`: its facts longer than a line full width, led by their labels: front_top), the tips
    kept whole (None: no tips) and the words in the handout's language."""

    content: HandoutContent
    styles: Styles
    width: float
    page_room: float
    first_room: float
    front_page: Callable[..., Column]
    tips: Kept | None
    said: words.Words
    # Parts every way weighs alike, made once a story (_under_closing), by what they are for.
    made: dict[str, Any] = dataclasses.field(default_factory=dict, compare=False)


def pages_taken(flow: list[Flowable], width: float, first_room: float, page_room: float) -> int | None:
    """The pages `flow` takes when each part moves on whole to the next page where it does not
    fit (as Kept blocks do), the first page `first_room` high and the others `page_room`, pt;
    None where a part is taller than a page (it would break: not measured here)."""
    starts = page_starts(flow, width, first_room, page_room)
    return None if starts is None else len(starts)


def page_starts(flow: list[Flowable], width: float, first_room: float, page_room: float) -> list[int] | None:
    """Where in `flow` each page starts (the index of its first part), placed as pages_taken
    places it; None where a part is taller than a page."""
    filled = pages_filled(flow, width, first_room, page_room)
    return None if filled is None else [page.start for page in filled]


@dataclasses.dataclass
class Filled:
    """A page as pages_taken fills it: the index of its first part in the flow, the height its
    parts take and the room it has (pt), and the space its last part wants after it."""

    start: int
    used: float
    room: float
    after: float

    def holds(self, part: Flowable, width: float) -> bool:
        """Whether `part` fits at this page's foot, under its last part."""
        gap = max(self.after, part.getSpaceBefore()) if self.used else 0.0
        return self.used + gap + part.wrap(width, 1e6)[1] <= self.room + 1e-6


def pages_filled(flow: list[Flowable], width: float, first_room: float, page_room: float) -> list[Filled] | None:
    """The pages `flow` fills, placed as pages_taken places it; None where a part is taller
    than a page."""
    pages = [Filled(0, 0.0, first_room, 0.0)]
    for index, part in enumerate(flow):
        height = part.wrap(width, 1e6)[1]
        if index == 0 and height > first_room + 1e-6 and isinstance(part, Column):
            # A front page longer than the first page (a long name in large print) breaks as the
            # frame breaks it, between its parts or its fact rows: what is left starts page 2.
            fitted, rest = fit(part.parts, width, first_room)
            rest_height = stack_height(rest, width)
            if not fitted or rest_height > page_room + 1e-6:
                return None
            pages[0].used = first_room
            pages.append(Filled(0, rest_height, page_room, rest[-1].getSpaceAfter() if rest else 0.0))
            continue
        if index and (
            (height > page_room + 1e-6 and isinstance(part, (Listed, Flowing, Headed)))
            or (isinstance(part, Listed) and part.flows(width))
            or (isinstance(part, Flowing) and not part.turns)
        ):
            # An exercise taller than a page (a very long note) breaks where pages end, tips taller
            # than a page between whole tips or at a line, a tip taller than half a page at a line
            # wherever it is (Listed.flows), as the frame breaks them (their split):
            # the pages they fill are full (no part goes at their foot, between their pieces);
            # the last holds their end, and the parts after it.
            if not _broken(pages, index, part, width, page_room):
                return None
            continue
        # The front page (the first part) has the front page's room, taller than the others'.
        if height > (first_room if index == 0 else page_room) + 1e-6:
            return None
        page = pages[-1]
        gap = max(page.after, part.getSpaceBefore()) if page.used else 0.0
        if page.used and page.used + gap + height > page.room + 1e-6:
            page = Filled(index, 0.0, page_room, 0.0)
            pages.append(page)
            gap = 0.0
        page.used += gap + height
        page.after = part.getSpaceAfter()
    return pages


def _broken(pages: list[Filled], index: int, part: Flowable, width: float, page_room: float) -> bool:
    """Place `part` (flow[index], a Flowing, or a Listed taller than a page or that flows) on `pages` as the
    frame breaks it: from the foot of the last page, or the next page where it starts there (its
    split); each page it goes on from is full. False where it does not break (a piece taller
    than a page)."""
    page, rest = pages[-1], part
    while True:
        gap = max(page.after, rest.getSpaceBefore()) if page.used else 0.0
        room = page.room - page.used - gap
        height = rest.wrap(width, 1e6)[1]
        pieces = [rest] if height <= room + 1e-6 else rest.split(width, room) if room > 0 else []
        if not pieces:
            if not page.used:
                return False
            page = Filled(index, 0.0, page_room, 0.0)
            pages.append(page)
            continue
        if len(pieces) > 2:
            return False
        page.used += gap + pieces[0].wrap(width, 1e6)[1]
        page.after = pieces[0].getSpaceAfter()
        if len(pieces) == 1:
            return True
        page.room = page.used  # full: nothing at its foot, between two of its pieces
        rest, page = pieces[1], Filled(index, 0.0, page_room, 0.0)
        pages.append(page)


def at_page_feet(
    flow: list[Flowable],
    floating: list[Flowable],
    width: float,
    first_room: float,
    page_room: float,
    pages: list[Filled] | None = None,
) -> tuple[list[Flowable], int] | None:
    """`flow` with each of `floating` (the tips panel, the QR code) at the foot of the last page
    that has room for it under its last part, so it takes no page of its own and moves no
    part of `flow` to another page, and the pages it takes; None where one fits on no page, or
    the flow is not one a frame places whole (pages_taken). `pages`: flow's, if measured."""
    pages = pages or pages_filled(flow, width, first_room, page_room)
    if pages is None:
        return None
    placed: dict[int, list[Flowable]] = {}
    for part in floating:
        for number in reversed(range(len(pages))):
            page = pages[number]
            if page.holds(part, width):
                page.used += (max(page.after, part.getSpaceBefore()) if page.used else 0.0) + part.wrap(width, 1e6)[1]
                page.after = part.getSpaceAfter()
                placed.setdefault(number, []).append(part)
                break
        else:
            return None
    out: list[Flowable] = []
    for number, page in enumerate(pages):
        end = pages[number + 1].start if number + 1 < len(pages) else len(flow)
        out += [*flow[page.start : end], *placed.get(number, [])]
    return out, len(pages)


def ends_front(parts: list[Flowable], setting: Setting) -> bool:
    """Whether parts[1:] fit under the front page (parts[0]) on the page it ends on: the front
    page's own, or the next where a long front page goes on to it (pages_filled)."""
    alone = pages_filled(parts[:1], setting.width, setting.first_room, setting.page_room)
    together = pages_filled(parts, setting.width, setting.first_room, setting.page_room)
    return alone is not None and together is not None and len(together) == len(alone)


def headings_kept(flow: list[Flowable], page_room: float) -> list[Flowable]:
    """Each heading kept with what follows it, so a heading never ends a page alone.

    platypus' keepWithNext does this too, but copies its frame at every try; a Kept pair is
    measured once.
    """
    kept: list[Flowable] = []
    i = 0
    while i < len(flow):
        part = flow[i]
        if i + 1 < len(flow) and getattr(getattr(part, "style", None), "keepWithNext", False):
            kept.append(Kept([part, flow[i + 1]], page_room))
            i += 2
        else:
            kept.append(part)
            i += 1
    return kept
