"""The handout's closing parts and their place: the tips (a list, or a framed panel) and the tick
sheet, and, one exercise a page, where they go so that nothing is alone on a page.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Callable, Iterator, Sequence

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, PageBreak, Spacer

from planner.handouts import words
from planner.handouts.block import least_picture_share
from planner.handouts.boxes import Box
from planner.handouts.content import HandoutContent, tip_lines
from planner.handouts.filling import Filled, Setting, at_page_feet, pages_filled, pages_taken
from planner.handouts.page_ends import LeadApart
from planner.handouts.para import Para as Paragraph
from planner.handouts.stacking import FLOW_SHARE, Headed, Kept, Listed, frame_height
from planner.handouts.styles import RULE, Styles, close_bullet
from planner.handouts.text import para_text
from planner.handouts.ticksheet import tick_sheet


def room_for_tips(
    setting: Setting,
    flow: list[Flowable],
    blocks: list[Flowable],
    block_of: Callable[..., Flowable],
    lead: list[Flowable],
    tips: Flowable,
    sheet: Headed,
    below: Flowable | None,
) -> tuple[str, Headed, Flowable] | None:
    """One a page, where the tips fit neither the front page, nor under the last exercise, nor
    above the tick sheet, nor at the foot of an exercise's page as set, so they would take a page
    alone (trial 20, F1: three tips, a fifth of a page): room made for them, in this order (the
    first that fits): above the sheet with its names cut short to a line each ("sheet"); on the
    front page with its longer facts full width (front_top `tight`: "front"); under the last exercise
    with its picture at its least ("last"); in a panel at the foot of the last exercise's page
    that holds it with its picture at its least ("panel"). Pictures never below their least
    (least_picture_share: still larger than at 14 pt). Returns (where, the sheet), `flow` and
    `blocks` changed so; None where nothing makes room (`flow` unchanged)."""
    content, styles, width, page_room = setting.content, setting.styles, setting.width, setting.page_room
    short = headed_sheet(content, styles, width, page_room, setting.said, below, short=True)
    if frame_height([tips, short], width) <= page_room + 1e-6:
        return "sheet", roomier(setting, below, [tips], short), tips
    lead_apart = [blocks[0].lead] if isinstance(blocks[0], LeadApart) else []
    front = setting.front_page(below is None and content.online_url is not None, True)
    if front is not flow[0] and frame_height([front, tips, *lead_apart], width) <= setting.first_room + 1e-6:
        flow[0] = front
        flow.insert(1, tips)
        return "front", sheet, tips
    least = least_picture_share(styles.size)
    last = len(blocks) - 1
    panel = tips_panel(content, styles, page_room)
    for index, under in [(last, tips), *((i, panel) for i in range(last, -1, -1))]:
        block = blocks[index]
        if isinstance(block, LeadApart):
            continue
        smaller = block_of(index, lead, least, index < last)
        if not isinstance(smaller, Kept) or smaller.wrap(width, 1e6)[1] >= block.wrap(width, 1e6)[1] - 0.01:
            continue
        if frame_height([smaller, under], width) <= page_room + 1e-6:
            flow[flow.index(block)] = smaller
            blocks[index] = smaller
            if under is tips:
                return "last", sheet, tips
            flow.insert(flow.index(smaller) + 1, panel)
            return "panel", sheet, tips
    # Last: the tips go on from the foot of the last exercise's page to the top of the sheet's,
    # between two tips (the most that fit under the exercise), two at least on each side, the
    # sheet's page headed "… (continued)": the pages they would take alone.
    block = blocks[last]
    if not isinstance(tips, Listed) or isinstance(block, LeadApart):
        return None
    smaller = block_of(last, lead, least, False)
    # The part on the sheet's page set closer (no space between two tips) only where nothing else
    # fits; always under its heading again (trial 38, F2: bare bullets over the sheet).
    for close, exercise, tried in itertools.product((False, True), (block, smaller), (sheet, short)):
        for cut in tips.cuts(width):
            head, rest = Kept(tips.parts[:cut], page_room), tips.rest(cut, close)
            if frame_height([exercise, head], width) <= page_room + 1e-6 >= frame_height([rest, tried], width):
                flow[flow.index(block)] = exercise
                blocks[last] = exercise
                flow.insert(flow.index(exercise) + 1, head)
                return "split", tried, rest
    return None


def roomier(setting: Setting, below: Flowable | None, others: list[Flowable], short: Headed) -> Headed:
    """The `short` sheet with the names it cut whole again as far as its page has room for them
    under `others` (the flowables that share the page with it): the same page, fewer "…" (trial 24:
    one a page at 18 pt, names cut with 42 pt free under the sheet). `short` where none fits."""
    width, page_room = setting.width, setting.page_room
    room = page_room - frame_height([*others, short], width)
    if room < 1:
        return short
    fuller = headed_sheet(setting.content, setting.styles, width, page_room, setting.said, below, True, room)
    return fuller if frame_height([*others, fuller], width) <= page_room + 1e-6 else short


def tips_over_two(
    tips: Flowable, sheet: Flowable, width: float, page_room: float, under: Sequence[Flowable] = ()
) -> list[Flowable] | None:
    """One a page: tips above the tick sheet that do not fit its page with it (taller than a
    page, or a page of their own before the sheet alone): broken where the rest of them and the
    whole sheet fit the next page (Listed.cuts: two tips at least on each side, the
    second part headed "… (continued)", set closer only where only that fits), as the two
    parts; None where no break does (the frame breaks them where the page ends). With `under`
    (what the page they start on holds above them: the last exercise's end), the first part
    fits that page under it."""
    if not isinstance(tips, Listed) or frame_height([tips, sheet], width) <= page_room + 1e-6:
        return None
    # The second part always under the heading again (trial 38, F2: bare bullets over the sheet).
    for close in (False, True):
        for cut in tips.cuts(width):
            head, rest = Kept(tips.parts[:cut], page_room), tips.rest(cut, close)
            if frame_height([*under, head], width) <= page_room + 1e-6 >= frame_height([rest, sheet], width):
                # The rest starts the sheet's page, also where it would fit under the first part.
                fits = frame_height([*under, head, rest], width) <= page_room + 1e-6
                return [head, PageBreak(), rest] if fits else [head, rest]
    return None


def one_page_sheet(setting: Setting, below: Flowable | None) -> Headed:
    """One a page: the tick sheet with its names whole, or cut short to a line each where only
    then it fits one page (whole, not broken over two: a page less)."""
    content, styles, width, page_room = setting.content, setting.styles, setting.width, setting.page_room
    sheet = headed_sheet(content, styles, width, page_room, setting.said, below)
    if frame_height([sheet], width) <= page_room + 1e-6:
        return sheet
    short = headed_sheet(content, styles, width, page_room, setting.said, below, short=True)
    if frame_height([short], width) > page_room + 1e-6:
        return sheet
    # On its page alone, as many names whole as the room under it holds (trial 32, F4: four cut,
    # "4. Mantener…", with 79 pt free under the sheet).
    return roomier(setting, below, [], short)


def tips_join_sheet(tips: Flowable, sheet: Flowable, width: float, page_room: float) -> bool:
    """Whether the tips go above a tick sheet that takes a page of its own, one a page: where
    the two fit that page (the sheet alone on the last page, nothing to read on it, while the
    tips sat on the front page or under the last exercise: the same pages)."""
    return frame_height([tips, sheet], width) <= page_room + 1e-6


def sheet_under_last(
    setting: Setting,
    flow: list[Flowable],
    blocks: list[Flowable],
    block_of: Callable[[int, list[Flowable], float | None], Flowable],
    lead: list[Flowable],
    sheet: Headed,
    below: Flowable | None,
) -> tuple[Flowable, Headed]:
    """One a page: the last exercise and the tick sheet where the sheet does not fit under the
    exercise as set: the sheet a row a line (names cut short), or the exercise's picture at its
    least (still larger than at 14 pt in large print: least_picture_share), or both, where that
    puts the whole sheet under it (`flow`, `blocks` changed so); else as they were. A sheet of
    one or two rows took a page of its own at 18 pt (trial 18, F2)."""
    content, styles, width, page_room = setting.content, setting.styles, setting.width, setting.page_room
    last = blocks[-1]
    if isinstance(last, LeadApart):
        return last.block, sheet
    after = flow[flow.index(last) + 1 :]
    index = len(content.exercises) - 1
    short = headed_sheet(content, styles, width, page_room, setting.said, below, short=True)
    least = least_picture_share(styles.size)
    for picture_at_least, short_names in ((False, True), (True, False), (True, True)):
        block = last
        if picture_at_least:
            # Not below its least: in large print, larger than the same block's at 14 pt.
            block = block_of(index, lead, least)
            if not isinstance(block, Kept) or block.wrap(width, 1e6)[1] >= last.wrap(width, 1e6)[1] - 0.01:
                continue
        tried = short if short_names else sheet
        if frame_height([block, *after, tried], width) <= page_room + 1e-6:
            flow[flow.index(last)] = block
            blocks[-1] = block
            return block, roomier(setting, below, [block, *after], tried) if short_names else tried
    return last, sheet


def headed_sheet(
    content: HandoutContent,
    styles: Styles,
    width: float,
    page_room: float,
    said: words.Words,
    below: Flowable | None,
    short: bool = False,
    room: float = 0.0,
    closer: bool = False,
) -> Headed:
    """The tick sheet whole on one page, with its heading and lines and the QR code `below` it
    (on the page before it where it fits there). Only a sheet taller than a page breaks: its
    heading with its first rows, the QR code with its last, the heading and the header row
    repeated on the next page. `short`: a row a line, the names cut short (ticksheet.tick_sheet),
    except as far as `room` pt more hold them whole. `closer`: its heading closer under what is
    above it (ticksheet.CLOSER_SPACE)."""
    sheet = tick_sheet(content.exercises, styles, width, said, page_room, short, room, closer)
    headed = Headed(
        sheet[:-1],
        sheet[-1],
        [below] if below is not None else [],
        page_room,
        lambda: Paragraph(para_text(said.headings["tick_sheet_continued"]), _continued_heading(styles)),
    )
    if short and not room:
        # The same sheet with the names it cuts whole as far as `more` pt hold them (names_whole).
        headed.fuller = lambda more: headed_sheet(content, styles, width, page_room, said, below, True, more, closer)
    return headed


def _fuller_of(part: Flowable) -> Callable[[float], Flowable] | None:
    """How to make `part` again with the names its tick sheet cut whole as far as `more` pt hold
    them: a sheet with names cut short (Headed.fuller), or the tips kept together above one
    (compact's joined way, trial 32 F3: six of ten names cut, 54 pt free under the sheet)."""
    if isinstance(part, Headed):
        return part.fuller
    if type(part) is not Kept:
        return None
    found = [(at, sheet.fuller) for at, sheet in enumerate(part.parts) if isinstance(sheet, Headed) and sheet.fuller]
    return functools.partial(_kept_fuller, part, *found[0]) if found else None


def _kept_fuller(kept: Kept, at: int, fuller: Callable[[float], Flowable], more: float) -> Flowable:
    """`kept` with its part `at` (a tick sheet) made again by `fuller` with `more` pt of room."""
    return Kept([*kept.parts[:at], fuller(more), *kept.parts[at + 1 :]], kept.page_room)


def names_whole(flow: list[Flowable], width: float, first_room: float, page_room: float) -> list[Flowable]:
    """The compact `flow` with each tick sheet whose names are cut short (the way that saves a
    page, or fits the sheet on the front page) made again with as many names whole, in order, as
    the room left at its page's foot holds (headed_sheet's `room`): the same pages, fewer "…"
    (trial 31, F5: on the front page six names cut, 94 pt free under the sheet). Pages as
    pages_filled places the flow; unchanged where it cannot measure them."""
    for index, part in enumerate(flow):
        fuller = _fuller_of(part)
        filled = pages_filled(flow, width, first_room, page_room) if fuller is not None else None
        if fuller is None or filled is None:
            continue
        page = [page for page in filled if page.start <= index][-1]
        if page.room - page.used < 1:
            continue
        tried = [*flow[:index], fuller(page.room - page.used), *flow[index + 1 :]]
        if [page.start for page in pages_filled(tried, width, first_room, page_room) or []] == [
            page.start for page in filled
        ]:
            flow = tried
    return flow


def tips_panel(content: HandoutContent, styles: Styles, page_room: float) -> Kept:
    """The tips in a framed panel, for the foot of a page between two exercises: the frame
    sets them apart from the exercise above, so they read as a note, not as its steps."""
    parts = tips_parts(content, styles, _panel_heading(styles), close_bullet(styles))
    box = Box(parts, colors.white, edge=RULE, edge_width=1, padding=styles.size * 0.3, space_before=styles.size * 0.25)
    return Kept([box], page_room)


def tips_under_sheet(content: HandoutContent, styles: Styles, page_room: float, closer: bool = False) -> Kept:
    """The tips right under the tick sheet at the front page's foot: set as in their panel,
    without its frame (the sheet's grid above sets them apart; no exercise is above them).
    `closer`: no space over their heading, right under the grid's last line (for where only
    that puts them on the front page: compact._tips_under_front_sheet)."""
    return _set_close(content, styles, page_room, _under_sheet_heading(styles, closer))


@functools.cache
def _under_sheet_heading(styles: Styles, closer: bool = False) -> ParagraphStyle:
    """The tips' heading under the tick sheet: as in their panel, with a little space above it
    (none, `closer`: the heading's own leading still keeps its letters off the grid's line)."""
    return styles.strong.clone(
        f"under-sheet-heading-{styles.size:g}{'-closer' if closer else ''}",
        spaceBefore=0 if closer else styles.size * 0.15,
        spaceAfter=styles.size * 0.15,
    )


def closest_tips(content: HandoutContent, styles: Styles, page_room: float) -> Kept:
    """The tips set as close as they go under the last exercise (large print, ticks under each
    exercise): their heading at the type's size, bold, as in their panel (tips_panel), no space
    between two tips; a bullet still marks each. Only where nothing looser fits there."""
    return _set_close(content, styles, page_room, _closest_heading(styles))


def _set_close(content: HandoutContent, styles: Styles, page_room: float, heading: ParagraphStyle) -> Kept:
    """The tips with no space between two, a bullet marking each, under `heading`: kept together."""
    return Kept(tips_parts(content, styles, heading, close_bullet(styles)), page_room)


@functools.cache
def _closest_heading(styles: Styles) -> ParagraphStyle:
    """The tips' heading as in their panel, a quarter line under the exercise's tick boxes."""
    return _panel_heading(styles).clone(f"closest-heading-{styles.size:g}", spaceBefore=styles.size * 0.25)


@functools.cache
def _continued_heading(styles: Styles) -> ParagraphStyle:
    """The tick sheet's heading again at the top of its next page: no space above it there."""
    return styles.heading.clone(f"continued-heading-{styles.size:g}", spaceBefore=0)


def tips_list(
    content: HandoutContent, styles: Styles, page_room: float, flow_share: float = FLOW_SHARE
) -> Listed | None:
    """The tips under their heading, kept whole on one page; tips taller than a page (every tip
    ticked and the therapist's own, in large print) break between two whole tips, two at least
    on each side, the next page headed "… (continued)" (stacking.Listed); a tip taller than
    `flow_share` of a page at a line. None: no tips."""
    parts = tips_parts(content, styles)
    if not parts:
        return None
    said = words.of(content.language)
    return Listed(
        parts[0],
        parts[1:],
        page_room,
        lambda: Paragraph(para_text(said.headings["day_continued"]), _panel_heading(styles)),
        close=tips_parts(content, styles, bullet=close_bullet(styles))[1:],
        flow_share=flow_share,
    )


def tips_parts(
    content: HandoutContent, styles: Styles, heading: ParagraphStyle | None = None, bullet: ParagraphStyle | None = None
) -> list[Flowable]:
    """The tips under their heading, a bullet each (`heading`, `bullet`: styles other than the
    usual, closer set)."""
    said = words.of(content.language)
    flow: list[Flowable] = []
    lines = tip_lines(content.advice, content.advice_text)
    if lines:
        flow.append(Paragraph(para_text(said.headings["day"]), heading or styles.heading))
        # The therapist's own advice a tip a line too, bulleted as the list's (a paragraph
        # without a bullet under them read as something else).
        flow += [Paragraph(para_text(line), bullet or styles.bullet, bulletText="•") for line in lines]
    return flow


@functools.cache
def _panel_heading(styles: Styles) -> ParagraphStyle:
    """The tips' heading at the top of their panel: the panel's edge sets it apart from above."""
    return styles.strong.clone(f"panel-heading-{styles.size:g}", spaceAfter=styles.size * 0.15)


def tips_over_feet(
    setting: Setting, flow: list[Flowable], tips: Listed, after: list[Flowable], sheets: set[int]
) -> tuple[list[Flowable], int] | None:
    """`flow` (a story without the tips) with the tips at the feet of its pages, in order: in as
    few parts as the pages' room allows (_fewest_parts: the fewest pages, then the nearest
    together, then the earliest; trial 30, F3: four parts read as scattered), each part as many
    whole tips as fit, `least` at least (or all that are left), the first part under the tips'
    heading, each further part under "(continued)" (Listed.again), a line's space under the
    exercise above; above a tick sheet that ends a page, not under it (the sheet ends what it
    heads). Set closer (no space between two tips) only where the usual spacing fits nowhere.
    Then `after` (the QR code) at a page's foot (at_page_feet). Returns the story and its pages
    (as many as `flow` takes, each part on its page: measured again), or None where the tips do
    not all fit so. The last way where the tips fit no one place (every tip ticked, #14): the
    compact story's (compact.fewer_pages), and large print's where the front page holds too few
    for a part of their own there (ticks_under, after _tips_split)."""
    ways = [list(tips.close if close and tips.close else tips.items) for close in (False, True)]
    return _over_feet(setting, flow, tips, ways, after, sheets, headed=True)


def rest_over_feet(
    setting: Setting, flow: list[Flowable], tips: Listed, cut: int, close: bool, after: list[Flowable]
) -> tuple[list[Flowable], int] | None:
    """`flow` (the front page holding the first `cut` tips under their heading, then the
    exercises) with the rest at the feet of the pages after the front page, as tips_over_feet
    places them (as few parts as the room allows, each under "(continued)"), set `close` as the
    front page's part is; then `after` (the QR code) at a page's foot. None where they do not
    all fit so (large print: ticks_under._tips_split)."""
    items = list((tips.close or tips.items)[cut:] if close else tips.items[cut:])
    return _over_feet(setting, flow, tips, [items], after, set(), headed=False)


def _over_feet(
    setting: Setting,
    flow: list[Flowable],
    tips: Listed,
    ways: list[list[Flowable]],
    after: list[Flowable],
    sheets: set[int],
    headed: bool,
) -> tuple[list[Flowable], int] | None:
    """tips_over_feet and rest_over_feet: the tips `ways` (each the whole list, set one way; the
    first that fits wins) over the feet of `flow`'s pages, the first part under the tips'
    heading where `headed` (else every part under "(continued)", and none on the front page)."""
    width, page_room = setting.width, setting.page_room
    bare = pages_filled(flow, width, setting.first_room, page_room)
    if bare is None:
        return None
    for items in ways:
        for chosen in _fewest_parts(setting, bare, tips, items, headed):
            pages = [dataclasses.replace(page) for page in bare]
            placed = _placed(setting, pages, tips, items, chosen, headed)
            if placed is None:
                continue
            out: list[Flowable] = []
            for number, page in enumerate(pages):
                end = pages[number + 1].start if number + 1 < len(pages) else len(flow)
                here = flow[page.start : end]
                if number in placed:
                    at = len(here) - 1 if id(here[-1]) in sheets else len(here)
                    here = [*here[:at], placed[number], *here[at:]]
                out += here
            if pages_taken(out, width, setting.first_room, page_room) != len(pages):
                continue  # a part moved on: the measure above was not the frame's
            return at_page_feet(out, after, width, setting.first_room, page_room) if after else (out, len(pages))
    return None


def _tips_part(setting: Setting, tips: Listed, first: bool, items: list[Flowable]) -> Flowable:
    """A part of the tips at a page's foot: under their heading (`first`) or under "(continued)",
    set a line's space apart from the exercise above, whose last step it read as the end of."""
    piece: Flowable = Listed(
        tips.heading if first else tips.again(),
        items,
        setting.page_room,
        tips.again,
        tips.least,
        flow_share=tips.flow_share,
    )
    if not first:
        piece = Kept([Spacer(setting.width, setting.styles.size * 0.6), piece], setting.page_room)
    return tips_part(piece)


def tips_part(part: Flowable) -> Flowable:
    """`part`, marked as a part of the tips broken over several places (tips_parts_in counts them)."""
    part._tips_part = True
    return part


def tips_parts_in(story: list[Flowable]) -> int:
    """How many parts of the tips, broken over several places (tips_part), `story` holds."""
    return sum(bool(getattr(part, "_tips_part", False)) for part in story)


def _placed(
    setting: Setting,
    pages: list[Filled],
    tips: Listed,
    items: list[Flowable],
    chosen: tuple[int, ...],
    headed: bool,
) -> dict[int, Flowable] | None:
    """{page number: its part} with the tips placed on the `chosen` pages in order, each as many
    as fit (`least` at least, never leaving fewer than `least` for the next), the first under
    the tips' heading where `headed`; `pages` take up the room. None where they do not all fit
    so."""
    width, left = setting.width, list(items)
    placed: dict[int, Flowable] = {}
    for number in chosen:
        if not left:
            break
        page = pages[number]
        counts = [
            count
            for count in range(len(left), 0, -1)
            if (count >= tips.least or count == len(left)) and len(left) - count not in range(1, tips.least)
        ]
        for count in counts:
            piece = _tips_part(setting, tips, headed and not placed, left[:count])
            if page.holds(piece, width):
                page.used += (max(page.after, piece.getSpaceBefore()) if page.used else 0.0) + piece.wrap(width, 1e6)[1]
                page.after = piece.getSpaceAfter()
                placed[number], left = piece, left[count:]
                break
    return None if left else placed


def _fewest_parts(
    setting: Setting, pages: list[Filled], tips: Listed, items: list[Flowable], headed: bool
) -> Iterator[tuple[int, ...]]:
    """The sets of pages (numbers, in order) to try the tips' parts on: the fewest pages first
    whose room (as many tips as a part there holds, the heading's or "(continued)"'s, the
    smaller) adds up to them all, among those the nearest together, then the earliest (of the
    fewest and one more); last, every page (each filled in turn, as before trial 30)."""
    width, total = setting.width, len(items)

    def room_for(page: Filled) -> int:
        """How many of the first tips a part at this page's foot holds (binary search: taller with more)."""
        low, high = 0, total
        while low < high:
            middle = (low + high + 1) // 2
            part = [
                _tips_part(setting, tips, first, items[:middle]) for first in ((True, False) if headed else (False,))
            ]
            if all(page.holds(one, width) for one in part):
                low = middle
            else:
                high = middle - 1
        return low

    rooms = [room_for(page) for page in pages]
    # (not headed: a part is on the front page already, under the heading)
    candidates = [number for number, room in enumerate(rooms) if room >= min(tips.least, total) and (headed or number)]
    seen: set[tuple[int, ...]] = set()
    largest = sorted((rooms[number] for number in candidates), reverse=True)
    fewest = next((count for count in range(1, len(candidates) + 1) if sum(largest[:count]) >= total), None)
    # (the fewest parts and one more: past those, every page in turn)
    for count in range(fewest, fewest + 2) if fewest is not None else ():
        windows = [
            candidates[first : first + span]
            for span in range(count, len(candidates) + 1)
            for first in range(len(candidates) - span + 1)
        ]
        windows.sort(key=lambda window: (window[-1] - window[0], window[0]))
        for window in windows:
            chosen = tuple(sorted(sorted(window, key=lambda number: -rooms[number])[:count]))
            if chosen not in seen and sum(rooms[number] for number in chosen) >= total:
                seen.add(chosen)
                yield chosen
    every = tuple(number for number in range(0 if headed else 1, len(pages)))
    if every not in seen:
        yield every
