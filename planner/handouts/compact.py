"""The compact story set another way where that takes a page less: the QR code, the tips and the
tick sheet moved, the first exercise's heading left out, the sheet's names cut short, the tips
in a panel at a page's foot, the front page's facts full width, the tips set closest, the
sheet's heading closer under the front page or the last exercise (fewer_pages).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable

from reportlab.platypus import Flowable, Spacer

from planner.handouts.closing import (
    closest_tips,
    headed_sheet,
    tips_over_feet,
    tips_panel,
    tips_parts,
    tips_under_sheet,
)
from planner.handouts.filling import (
    Filled,
    Setting,
    at_page_feet,
    headings_kept,
    page_starts,
    pages_filled,
    pages_taken,
)
from planner.handouts.front import first_pushed_off, rows_height, tightens
from planner.handouts.online import online_below_for
from planner.handouts.stacking import Kept, Listed, frame_height
from planner.handouts.styles import exercises_heading


def fewer_pages(
    setting: Setting, blocks: list[Flowable], first_of: Callable[[bool, bool], Flowable]
) -> list[Flowable] | None:
    """The compact story set another way where that takes a page less than the usual one (the
    QR code on the front page unless it pushes the first exercise off it, the tips after the
    last exercise unless the first leaves the front page's foot empty anyway, the tick sheet
    after them), or as many where the usual one ends on a page of the tick sheet alone and this
    one does not; else None.

    The ways weighed: the QR code on the front page or at the end (under the tick sheet, or
    with the tips), the tips after the last exercise or on the front page above the first
    (never between two exercises of one page), the tick sheet after the last exercise or on the front page
    (its lines say so: `first_of(plain, sheet_first)` makes the first exercise's block), the
    first exercise with the heading "Your exercises" or without it (`plain`), the tick sheet's
    names whole or cut short to a line each (`short`: its rows as low as their boxes). With an even
    number of exercises, two a page, the last one shares its page with the tick sheet: the tips
    on the front page can leave room for it there, or the sheet on the front page leaves the
    pages after it to the exercises, two a page. Then, each of those ways with the tips in a
    framed panel (tips_panel), and the QR code where it is not on the front page, at the foot of
    the last page with room for them (at_page_feet): between two pages' exercises, not two of
    one page's. Never a last page with the tips alone or the QR code alone; where the sheet
    would be alone on the last page (an odd number of exercises, two a page after the front
    page's: most of that page empty), the tips above it there (`join`), else another way of as
    many pages. Where no way saves a page: the sheet on the front page with the tips right under
    it (_tips_under_front_sheet); then every way with the front page's facts full width (front_top
    `tight`); then the tips set closest (closest_tips) at a page's foot, in a way where their
    panel fits none; last, every way with the sheet's heading closer under the front page's
    last line or the last exercise's (ticksheet.CLOSER_SPACE); then, tips that fit no one place in any
    way (every tip ticked), broken between whole tips over the pages' feet (closing.tips_over_feet).
    Measured as a frame places whole blocks (pages_taken), so only where every part is one a
    page holds.
    """
    content, styles, width, said, tips = setting.content, setting.styles, setting.width, setting.said, setting.tips
    page_room, first_room, front_page = setting.page_room, setting.first_room, setting.front_page
    online = content.online_url
    qrs = [True, False] if online else [False]
    fronts = {qr: front_page(qr) for qr in qrs}
    below = online_below_for(content, styles, said, width)
    # (qr, short): the QR code on the front page or under the sheet, the names whole or cut short
    sheets = {
        (qr, short): headed_sheet(content, styles, width, page_room, said, None if qr else below, short)
        for qr in qrs
        for short in (False, True)
    }
    bare_sheets = {short: sheets[bool(online), short] for short in (False, True)}  # no QR code under them
    # The same on the front page, their heading closer under its last line: made where tried.
    closer_sheets: dict[bool, Flowable] = {}
    # (qr, short): the sheet after the last exercise, its heading closer under it: made where tried.
    closer_ends: dict[tuple[bool, bool], Flowable] = {}

    def end_sheet(qr: bool, short: bool, closer: bool) -> Flowable:
        """The sheet after the last exercise (the QR code under it unless `qr`: on the front
        page), its names cut `short`, its heading `closer` under the exercise's last line."""
        if not closer:
            return sheets[qr, short]
        if (qr, short) not in closer_ends:
            under = None if qr else below
            closer_ends[qr, short] = headed_sheet(content, styles, width, page_room, said, under, short, closer=True)
            ends_on_sheet.add(id(closer_ends[qr, short]))
        return closer_ends[qr, short]

    def on_front_sheet(short: bool, closer: bool) -> Flowable:
        """The sheet for the front page: no QR code under it, its names cut `short`, `closer`."""
        if not closer:
            return bare_sheets[short]
        if short not in closer_sheets:
            closer_sheets[short] = headed_sheet(content, styles, width, page_room, said, None, short, closer=True)
            on_front.add(id(closer_sheets[short]))
        return closer_sheets[short]

    firsts: dict[tuple[bool, bool], Flowable] = {(False, False): blocks[0]}
    # On the front page, under its last line, the tips' heading as the exercises' heading is set.
    front_tips = Kept(headings_kept(tips_parts(content, styles, exercises_heading(styles)), page_room), page_room)

    joined: dict[tuple[bool, bool], Flowable] = {}  # (qr, short): the tips above the sheet, kept together

    tightened: dict[tuple[bool, int], bool] = {}

    def level_of(qr: bool, tight: int) -> int:
        """The tight level at most `tight` that last sets the front page (with the QR code or
        not) otherwise than the level before (tightens): 0 where none does."""
        for level in range(tight, 0, -1):
            if (qr, level) not in tightened:
                tightened[qr, level] = tightens(content, styles, width, qr, level)
            if tightened[qr, level]:
                return level
        return 0

    def front_at(qr: bool, tight: int) -> Flowable:
        """The front page with the QR code or not, its facts `tight`: not set twice the same."""
        level = level_of(qr, tight) if tight else 0
        return front_page(qr, level) if level else fronts[qr]

    def story_of(
        qr: bool,
        early: bool,
        plain: bool,
        sheet_first: bool,
        short: bool = False,
        join: bool = False,
        tight: int = 0,
        closer: bool = False,
    ) -> list[Flowable]:
        if (plain, sheet_first) not in firsts:
            firsts[plain, sheet_first] = first_of(plain, sheet_first)
        exercises = [firsts[plain, sheet_first], *blocks[1:]]
        front: list[Flowable] = [front_at(qr, tight)]
        end: list[Flowable] = []
        if tips is not None and not join:
            (front if early else end).append(front_tips if early else tips)
        if sheet_first:
            front.append(on_front_sheet(short, closer))
            end += [below] if below is not None and not qr else []
        elif join and tips is not None:
            # The tips above the sheet, on its page: kept together, never a page between them.
            if (qr, short) not in joined:
                # A tip taller than half a page: the two broken at a line, some tips with the sheet.
                joined[qr, short] = (
                    tips.flowing_with(sheets[qr, short])
                    if isinstance(tips, Listed) and tips.flows(width)
                    else Kept([tips, sheets[qr, short]], page_room)
                )
            end.append(joined[qr, short])
        else:
            end.append(end_sheet(qr, short, closer))
        return [*front, *exercises, *end]

    def alone_at_end(flow: list[Flowable], starts: list[int]) -> bool:
        """Whether the last page would hold the tips alone or the QR code alone (`starts`: its
        pages' first parts, page_starts)."""
        return flow[starts[-1] :] in ([tips], [below])

    ends_on_sheet = {id(sheet) for sheet in sheets.values()}

    def sheet_alone(flow: list[Flowable], starts: list[int]) -> bool:
        """Whether the last page would hold the tick sheet alone (and the QR code under it),
        `starts`: where its pages start (page_starts; the last one's is enough)."""
        return starts[-1] == len(flow) - 1 and id(flow[-1]) in ends_on_sheet

    on_front = {id(sheet) for sheet in bare_sheets.values()}

    def sheet_off_front(flow: list[Flowable], starts: list[int]) -> bool:
        """Whether a tick sheet set on the front page (its how-to line says "on page 1") would
        start past page 1: a front page that goes on to page 2 (a long name, Letter: trial 23
        F1, "tick its box on page 1" with the boxes on page 2). `starts`: page_starts."""
        at = next((n for n, part in enumerate(flow[:-1]) if id(part) in on_front), None)
        return at is not None and len(starts) > 1 and starts[1] <= at

    def by_frame(flow: list[Flowable]) -> Placed:
        """`flow` as a frame places whole parts: its pages (None where a part is taller than a
        page, or the last page holds the tips or the QR code alone, or a sheet set on the front
        page starts past it), itself, whether it ends on the sheet alone."""
        starts = page_starts(flow, width, first_room, page_room)
        if starts is None or alone_at_end(flow, starts) or sheet_off_front(flow, starts):
            return None, flow, False
        return len(starts), flow, sheet_alone(flow, starts)

    # The usual way, as story() sets it (Early puts the tips on the front page only where the
    # first exercise does not fit under it).
    qr = online is not None and not first_pushed_off(fronts[True], fronts[False], blocks[0], width, first_room)
    early = tips is not None and frame_height([fronts[qr], tips], width) <= first_room < frame_height(
        [fronts[qr], blocks[0]], width
    )
    usual_flow = story_of(qr, early, False, False)
    usual_starts = page_starts(usual_flow, width, first_room, page_room)
    if usual_starts is None:
        return None
    usual = len(usual_starts)
    # A way is taken where it takes fewer pages than the usual one, or as many where the usual
    # one ends on a page of the tick sheet alone and this one does not (nothing alone on a page:
    # most of that page empty); of ways that take as many pages, one that ends on more than the
    # sheet first, then the first in the order weighed.
    usual_alone = sheet_alone(usual_flow, usual_starts)
    panel = tips_panel(content, styles, page_room) if tips is not None else None
    best: tuple[tuple[int, bool, bool], list[Flowable]] | None = None

    def weigh(pages: int | None, flow: list[Flowable], alone: bool, join: bool = False) -> None:
        """Keep `flow` (its `pages`, `alone`: ending on the sheet alone) where it is the best so far."""
        nonlocal best
        if pages is None or pages > usual or (pages == usual and (alone or not usual_alone)):
            return
        if best is None or (pages, alone, not join) < best[0]:
            best = ((pages, alone, not join), flow)

    # The names whole, the sheet at the end, and the first exercise with its heading, where
    # another way saves no more: a name is cut short on the sheet only where that saves a page.
    ways = sorted(
        itertools.product(qrs, (False, True), (False, True), (False, True), (False, True)),
        key=lambda way: (way[4], way[3], way[2]),
    )
    for way in ways:
        if way == (qr, early, False, False, False) or (way[1] and tips is None):
            continue
        weigh(*by_frame(story_of(*way)))

    # The tips in a panel of their own, and the QR code where it is not on the front page, at
    # the foot of a page the exercises leave room on (the last such page), where they fit
    # nowhere else without a page more: the exercises stay in order, two a page.
    bared: dict[tuple[tuple[bool, bool, bool, bool], int, bool], tuple[list[Flowable], list[Filled] | None]] = {}

    def at_feet(
        way: tuple[bool, bool, bool, bool],
        set_tips: Flowable | None,
        tight: int = 0,
        fewer_than: int | None = None,
        closer: bool = False,
    ) -> Placed:
        """The way (qr, plain, sheet_first, short) with `set_tips` (the tips' panel, or set
        closest) and the QR code where it is not on the front page at page feet (at_page_feet);
        not weighed where it takes `fewer_than` pages or more (what floats never adds one).
        `closer`: the sheet on the front page with its heading closer (on_front_sheet)."""
        qr, plain, sheet_first, short = way
        floating = [set_tips] if set_tips is not None else []
        floating += [below] if below is not None and not qr else []
        if not floating:
            return None, [], False
        if (way, tight, closer) not in bared:
            bare = [
                part
                for part in story_of(qr, False, plain, sheet_first, short, tight=tight, closer=closer)
                if part not in (tips, below)
            ]
            if not sheet_first and not qr and online:
                bare[-1] = end_sheet(True, short, closer)  # the sheet without the QR code under it
            bared[way, tight, closer] = (bare, pages_filled(bare, width, first_room, page_room))
        bare, filled = bared[way, tight, closer]
        if not filled or (fewer_than is not None and len(filled) >= fewer_than):
            return None, [], False
        if sheet_off_front(bare, [page.start for page in filled]):
            return None, [], False
        pages = [dataclasses.replace(page) for page in filled]  # at_page_feet fills them
        floated = at_page_feet(bare, floating, width, first_room, page_room, pages)
        if floated is None:
            return None, [], False
        # Placed at page feet, no part moves: the sheet is alone where it was in `bare` and
        # nothing went under it.
        return floated[1], floated[0], sheet_alone(bare, [pages[-1].start]) and floated[0][-1] is bare[-1]

    feet = list(itertools.product(qrs, (False, True), (False, True), (False, True)))
    for foot in feet:
        weigh(*at_feet(foot, panel, 0, usual + 1))
    if tips is not None and (usual_alone or (best is not None and best[0][1])):
        # A last page of the sheet alone: the tips above it there, from the front page or the
        # foot of the last exercise's page (as one exercise a page does: tips_join_sheet), where
        # that takes no page more; before the other ways of as many pages (the sheet on the
        # front page): the exercises stay on their pages, read in the usual order.
        for qr, plain, short in sorted(
            itertools.product(qrs, (False, True), (False, True)), key=lambda w: (w[2], w[1])
        ):
            flow = story_of(qr, False, plain, False, short, join=True)
            weigh(pages_taken(flow, width, first_room, page_room), flow, False, join=True)
    if best is None or best[0][0] >= usual:
        # No way saves a page: the sheet on the front page with the tips right under it; then
        # the front page's facts full width (front_top `tight`, 2: a long name too), in every
        # way above; last the tips set closest at a page's foot where their panel fits none.
        # Each only where it takes a page less (#14: Spanish programs of six 3-12 pt over).
        # With no tips too (trial 32, F2: the tight front page was tried only with them, and a
        # program with none took a page more than with one).
        for plain in (False, True):
            if (plain, True) not in firsts:
                firsts[plain, True] = first_of(plain, True)
        led = {plain: firsts[plain, True] for plain in (False, True)}
        # The least sheet on the front page: its heading closer (on_front_sheet).
        least_sheets = [*bare_sheets.values(), *(on_front_sheet(short, True) for short in (False, True))]
        # Where not even the least of each part saves a page, no way below is set (front_top
        # costs): the front page as tight as it goes, without the QR code (with it, it is higher).
        reachable = not _fewer_pages_unreachable(
            setting,
            frame_height([fronts[False]], width) - rows_height(fronts[False], width),
            list(firsts.values()),
            blocks[1:],
            least_sheets,
            usual,
        )
        # The front page's tight levels that set it otherwise than the one before (tightens).
        levels = [0, *(t for t in (1, 2) if reachable and any(level_of(qr, t) == t for qr in qrs))]
        # A level whose front page without the QR code (cheaper to set than with it) fills as
        # many pages with the least of the other parts is not tried.
        levels = [
            tight
            for tight in levels
            if not tight
            or not _fewer_pages_unreachable(
                setting,
                frame_height([front_at(False, tight)], width),
                list(firsts.values()),
                blocks[1:],
                least_sheets,
                usual,
            )
        ]
        for tight in levels:
            tried = {qr: front_at(qr, tight) for qr in qrs}
            under = _tips_under_front_sheet(setting, blocks, tried, bare_sheets, below, led, usual) if tips else None
            if under is not None:
                return under
            if not tight:
                continue
            tighter = [by_frame(story_of(*way, tight=tight)) for way in ways if not way[1] or tips is not None]
            tighter += [at_feet(foot, panel, tight, usual) for foot in feet]
            taken = _fewest(tighter, usual)
            if taken is not None:
                return taken
        if panel is not None and reachable:
            closest = closest_tips(content, styles, page_room)
            for tight in levels:
                # Only where the panel fits no page's foot this way: the framed panel stays
                # wherever it fits.
                taken = _fewest(
                    [
                        at_feet(foot, closest, tight, usual)
                        for foot in feet
                        if at_feet(foot, panel, tight, usual)[0] is None
                    ],
                    usual,
                )
                if taken is not None:
                    return taken
        if reachable:
            # Last of all: each way again with the sheet's heading closer under the front page's
            # last line (trial 17's Spanish program of 12 with short notes on Letter: 2.3 pt
            # over with the QR code beside the facts, the tips' panel at the foot of page 4) or
            # under the last exercise's (trial 40's U6: twelve others in Spanish, two goals, a
            # visit plan, a 120-character name, Letter: the twelfth's page and the sheet 0.5 pt
            # over).
            every_way = [way for way in ways if not way[1] or tips is not None]
            for tight in levels:
                closer = [by_frame(story_of(*way, tight=tight, closer=True)) for way in every_way]
                closer += [at_feet(foot, panel, tight, usual, closer=True) for foot in feet]
                taken = _fewest(closer, usual)
                if taken is not None:
                    return taken
        if isinstance(tips, Listed) and reachable:
            # Last: the tips broken between whole tips over the pages' feet, from the front
            # page on, where they fit no one place in any way above (every tip ticked: #14's
            # programs of six a page over at 14 pt), as large print breaks them
            # (closing.rest_over_feet). The exercises stay on their pages, two a page.
            sheet_ids = ends_on_sheet | on_front
            for tight in levels:
                spread: list[Placed] = []
                for qr, plain, sheet_first, short in feet:
                    bare = [
                        part
                        for part in story_of(qr, False, plain, sheet_first, short, tight=tight)
                        if part not in (tips, below)
                    ]
                    if not sheet_first and not qr and online:
                        bare[-1] = sheets[True, short]  # the sheet without the QR code under it
                    after = [below] if below is not None and not qr else []
                    floated = tips_over_feet(setting, bare, tips, after, sheet_ids)
                    if floated is None or floated[1] >= usual:
                        continue
                    starts = page_starts(floated[0], width, first_room, page_room)
                    if starts is None or sheet_off_front(floated[0], starts):
                        continue
                    # Ending on the sheet alone (the QR code under it or not): weighed out.
                    alone = all(id(part) in sheet_ids or part is below for part in floated[0][starts[-1] :])
                    spread.append((floated[1], floated[0], alone))
                taken = _fewest(spread, usual)
                if taken is not None:
                    return taken
    return best[1] if best else None


def _fewer_pages_unreachable(
    setting: Setting, front: float, firsts: list[Flowable], blocks: list[Flowable], sheets: list[Flowable], usual: int
) -> bool:
    """Whether no way can take fewer than `usual` pages: not even the least of each part, in
    order, with the tips and the QR code left out (they may go at a page's foot): a front page
    `front` pt high, the lowest of `firsts` (the first exercise's blocks), `blocks` (the others),
    the lowest of `sheets`, the sheet after the front page or after the last exercise. So the
    ways that cost most to weigh (a front page set tight, the QR code beside its facts: front_top)
    are set only where they might save a page."""
    width = setting.width
    first = min(firsts, key=lambda block: block.wrap(width, 1e6)[1])
    sheet = min(sheets, key=lambda part: part.wrap(width, 1e6)[1])
    least = Spacer(width, max(front - 0.01, 0.0))
    for flow in ([least, sheet, first, *blocks], [least, first, *blocks, sheet]):
        pages = pages_filled(flow, width, setting.first_room, setting.page_room)
        if pages is None or len(pages) < usual:
            return False
    return True


# A way weighed: the pages it takes (None: not measured, or not taken: a page of one part alone),
# its flow, and whether it ends on the tick sheet alone.
Placed = tuple[int | None, list[Flowable], bool]


def _fewest(placed: list[Placed], usual: int) -> list[Flowable] | None:
    """The flow of the way of `placed` that takes the fewest pages, fewer than `usual`, and does
    not end on the tick sheet alone (the first of those); None where none does."""
    kept = [
        (pages, n) for n, (pages, _, alone) in enumerate(placed) if pages is not None and pages < usual and not alone
    ]
    return placed[min(kept)[1]][1] if kept else None


def _tips_under_front_sheet(
    setting: Setting,
    blocks: list[Flowable],
    fronts: dict[bool, Flowable],
    sheets: dict[bool, Flowable],
    below: Flowable | None,
    firsts: dict[bool, Flowable],
    usual: int,
) -> list[Flowable] | None:
    """Where no other way takes a page less: the tick sheet on the front page (`fronts` with the
    QR code or not, `sheets` with the names cut short or not) and
    the tips right under it, as their panel sets them without its frame (the frame's padding
    was the last 10 pt: trial 17's program of 10 with short notes, Spanish, Letter), the QR code
    where it is not on the front page at the foot of the last page with room for it, the
    exercises two a page after the front page (`firsts`: the first one's block led by how to
    tick on page 1, by whether it has the heading "Your exercises"). The tips' heading right
    under the sheet's last line (`closer`) only where no way with its space above does so (trial
    21's cervical program in Spanish, Letter: that space was the 2.1 pt over the front page). The
    story where that takes fewer than `usual` pages, else None."""
    width, first_room, page_room = setting.width, setting.first_room, setting.page_room
    for closer in (False, True):
        tips = tips_under_sheet(setting.content, setting.styles, page_room, closer)
        best: tuple[int, list[Flowable]] | None = None
        for (qr, front), plain, short in itertools.product(fronts.items(), (False, True), (False, True)):
            if frame_height([front, sheets[short], tips], width) > first_room + 1e-6:
                continue
            flow = [front, sheets[short], tips, firsts[plain], *blocks[1:]]
            if below is not None and not qr:
                placed = at_page_feet(flow, [below], width, first_room, page_room)
                flow, pages = placed if placed is not None else (flow, None)
            else:
                pages = pages_taken(flow, width, first_room, page_room)
            if pages is not None and pages < usual and (best is None or pages < best[0]):
                best = (pages, flow)
        if best is not None:
            return best[1]
    return None
