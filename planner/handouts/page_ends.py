"""Flowables that decide at a page's end where a part goes: the tips at the foot of an earlier page
where that page leaves room anyway (Early, Late), and the first exercise's lead ending a page
apart from its block (LeadApart).
"""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak

from planner.handouts.stacking import Kept, draw_stack, stack_height


class Early(Flowable):
    """A part (the tips) that may go at the foot of an earlier page, in room that page leaves
    empty anyway: where the part fits and the `following` block (a Kept) does not, so that
    block moves on to the next page with or without it. `went` is shared by
    every Early of one part and its Late, which draws the part where it stands unless it went."""

    def __init__(self, part: Flowable, following: Flowable, went: list[bool]) -> None:
        super().__init__()
        self.part, self.following, self.went = part, following, went
        self.spaceBefore = self.spaceAfter = 0
        self._here = False

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        height = 0.0
        if not self.went[0]:
            need = self.part.wrap(availWidth, 1e6)[1] + self.part.getSpaceBefore()
            # The block's space before overlaps the space after the part above it (the frame's
            # _prevASpace), as where no Early stands between them (stacking.frame_height).
            above = getattr(getattr(self, "_frame", None), "_prevASpace", 0.0)
            following = self.following.wrap(availWidth, 1e6)[1] + max(self.following.getSpaceBefore() - above, 0.0)
            # Only before a block that moves on whole (a Kept a page holds): a block that breaks
            # across pages would start in that room.
            moves_on = isinstance(self.following, Kept) and self.following.height <= self.following.page_room + 1e-6
            if moves_on and need <= availHeight < following:
                height = need
        self._here = height > 0
        # Where it stays empty, the space after the part above passes on to the block under it
        # (reportlab's frame: _SPACETRANSFER), so the two stand as far apart as without it.
        self._SPACETRANSFER = not self._here
        self.width, self.height = availWidth, height
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return []  # it takes only room it has: there is nothing to split

    def draw(self) -> None:
        if self._here:
            self.part.wrap(self.width, 1e6)
            self.part.drawOn(self.canv, 0, 0)
            self.went[0] = True


class Late(Flowable):
    """The part of some Early flowables where it stands in the story, unless it went earlier."""

    def __init__(self, part: Flowable, went: list[bool]) -> None:
        super().__init__()
        self.part, self.went = part, went

    def getSpaceBefore(self) -> float:  # noqa: N802
        return 0.0 if self.went[0] else self.part.getSpaceBefore()

    def getSpaceAfter(self) -> float:  # noqa: N802
        return 0.0 if self.went[0] else self.part.getSpaceAfter()

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if self.went[0]:
            self.width, self.height = availWidth, 0.0
        else:
            self.width, self.height = self.part.wrap(availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return [] if self.went[0] else self.part.split(availWidth, availHeight)

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        if not self.went[0]:
            self.part.drawOn(canvas, x, y, _sW)


class LeadApart(Flowable):
    """A first exercise block that a page holds, but not with the `lead` that heads the exercises
    (the heading and how to use them): the lead ends the page it fits on, the block then starts
    the next whole (on a page of its own with `new_page`: one exercise a page). Where the lead
    would start a page, no page holds the two: `fallback` (the block flowing with its lead, over
    two pages) then goes there instead, so the lead is never alone on a page. One a page,
    `untitled` (the lead without its heading) ends the page before.
    """

    def __init__(
        self,
        lead: Flowable,
        block: Flowable,
        fallback: Flowable,
        page_room: float,
        new_page: bool,
        untitled: Flowable | None = None,
    ) -> None:
        super().__init__()
        self.lead, self.block, self.fallback, self.untitled = lead, block, fallback, untitled
        self.page_room, self.new_page = page_room, new_page
        self.spaceBefore, self.spaceAfter = lead.getSpaceBefore(), block.getSpaceAfter()

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width, self.height = availWidth, stack_height([self.lead, self.block], availWidth)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        if availHeight >= self.page_room - 1e-6:
            # A page top: the fallback, whole where it fits (the block with a smaller picture),
            # else flowing over pages.
            if self.fallback.wrap(availWidth, availHeight)[1] <= availHeight + 1e-6:
                return [self.fallback]
            return self.fallback.split(availWidth, availHeight)
        if self.lead.wrap(availWidth, availHeight)[1] <= availHeight + 1e-6:
            if not self.new_page:
                return [self.lead, self.block]
            # One a page: how to tick alone ends the page before, without the heading "Your
            # exercises" that read parted from the exercise it heads (trial 26, F6: "Sus
            # ejercicios" ended page 1, exercise 1 on page 2). Not the block with its lead and a
            # picture smaller than its least: at 18 pt that was smaller than at 14 pt.
            return [self.untitled or self.lead, PageBreak(), self.block]
        return []  # on the next page

    def draw(self) -> None:
        draw_stack(self.canv, [self.lead, self.block], 0, self.height, self.width)
