"""The large-print story: each exercise with its week of tick boxes under it instead of a tick
sheet at the end, the front page holding what fits of how to do them, the tips and the QR code,
and pictures at their least only where that saves a page (under_story).
"""

from __future__ import annotations

import bisect
import functools
import itertools
from collections.abc import Callable

from reportlab.platypus import Flowable

from planner.handouts.block import least_picture_share, picture_shares
from planner.handouts.closing import (
    closest_tips,
    rest_over_feet,
    tips_over_feet,
    tips_over_two,
    tips_panel,
    tips_part,
    tips_parts,
    tips_parts_in,
)
from planner.handouts.content import HandoutContent
from planner.handouts.filling import (
    Filled,
    Setting,
    at_page_feet,
    ends_front,
    headings_kept,
    pages_filled,
    pages_taken,
)
from planner.handouts.online import online_below_for
from planner.handouts.page_ends import LeadApart
from planner.handouts.para import Para as Paragraph
from planner.handouts.stacking import LINE_STEP, Flowing, Kept, Listed, frame_height, last_page_of
from planner.handouts.styles import close_bullet, exercises_heading
from planner.handouts.text import bold, para_text
from planner.handouts.ticksheet import WEEK_BLANK
from planner.models.program import ONE_PER_PAGE


def ticks_under_exercises(content: HandoutContent) -> bool:
    """Whether each exercise has its week of tick boxes under it instead of a tick sheet at the
    end: in large print, compact layout. There an exercise takes 310-620 pt of a 650 pt page, no
    two share one, and a sheet of 5 to 12 rows (each 30-145 pt) took one or two pages of its own
    more; the boxes under each exercise fit the room its page leaves (50-110 pt)."""
    return content.large_print and content.layout != ONE_PER_PAGE and bool(content.exercises)


def under_story(setting: Setting, block_of: Callable[..., Flowable], lead: list[Flowable]) -> list[Flowable]:
    """The story where each exercise has its week of boxes under it (ticks_under_exercises).

    The line for the week's date goes with how to do the exercises, next to the boxes it dates
    (or under the front page's facts, where it ends page 1 with them and that saves a page). The front page holds, under its
    facts, what fits of: how to do the exercises (with the
    first exercise where the two fit a page with its picture, else here), the tips (else after
    the last exercise), the QR code (beside the facts; under the last exercise where it would
    push the tips off the front page and fits there). Never a tip between two exercises.

    Each exercise has a page of its own, so only the first and the last share theirs (with how
    to do them, the tips, the QR code): each of those two keeps large print's largest picture
    unless a smaller one (block.GROW_AT_LEAST, never smaller) saves a page. `block_of(index,
    lead, largest)` makes an exercise's block (exercise_block).
    """
    size, count = setting.styles.size, len(setting.content.exercises)
    largest, at_least = picture_shares(size)[0], least_picture_share(size)
    shares = [largest] if at_least >= largest else [largest, at_least]
    # (the first's share, the last's): the larger pictures first, so at equal pages they win
    ways = [(first, last) for first in shares for last in shares] if count > 1 else [(one, one) for one in shares]
    best: tuple[float, list[Flowable]] | None = None
    middle = plain = [block_of(index, [], None) for index in range(1, count - 1)]
    if middle:
        # An exercise between two it shares no page with has a page of its own: there its picture
        # may take the page (exercise_block's `alone`), and the pages stay as many.
        # (the first and the last as small as under_story may set them)
        beside = [block_of(0, [], min(shares)), *middle, block_of(count - 1, [], min(shares))]
        middle = [
            block_of(index, [], None, True) if _alone(beside, index, setting) else middle[index - 1]
            for index in range(1, count - 1)
        ]
    below_least = [share for share in picture_shares(size) if share < at_least - 1e-9]
    least_of = functools.cache(lambda index: block_of(index, [], at_least))
    for index in range(1, count - 1):
        # After an exercise that goes on over pages, one that fits its last page with its picture
        # at its least starts there (trial 36, F5: "1. … (continued)" and a row of boxes alone on
        # a page 90 % empty, exercise 2 on the next: a page over the goal).
        before = beside[0] if index == 1 else middle[index - 2]
        if isinstance(before, Flowing) and before.wrap(setting.width, 1e6)[1] > setting.page_room + 1e-6:
            end = last_page_of(before, setting.width, setting.page_room)
            if frame_height([end, least_of(index)], setting.width) <= setting.page_room + 1e-6:
                middle[index - 1] = least_of(index)

    def smaller(index: int) -> list[Flowable]:
        """The middle block `index` set lower: with large print's usual picture where it has a
        larger one alone on its page, then with its picture at its least (never smaller)."""
        lower = [] if middle[index - 1] is plain[index - 1] else [plain[index - 1]]
        return [*lower, least_of(index)] if at_least < largest else lower

    # As on the tick sheet, a line for the week's date: with how to tick, over the first exercise
    # and its boxes (first: at equal pages it wins; on the front page among the facts it read as
    # one of them, therapist trial 13), or under the front page's facts where that saves a page.
    week = Paragraph(f"{bold(para_text(setting.said.headings['week_of']))} {WEEK_BLANK}", setting.styles.body)
    for (first_share, last_share), week_first in itertools.product(ways, (False, True)):
        bare = list(middle)
        bare.insert(0, block_of(0, [], None if first_share == largest else first_share))
        if count > 1:
            bare.append(block_of(count - 1, [], None if last_share == largest else last_share))
        led = lead if week_first else [*lead, week]
        first = None if first_share == largest else first_share
        # Under how to do them, the first exercise keeps its picture at its least or larger: the
        # lead then ends the page before (block.exercise_block). Where that costs a page, a
        # smaller picture (the block's last resort) may keep the lead with it, never at equal pages.
        firsts = [first]
        if below_least and not isinstance(block_of(0, led, first), Kept):
            firsts.append(below_least[0])
        for first_try in firsts:
            cost, flow = _under_set(
                setting,
                bare,
                functools.partial(block_of, 0, led, first_try),
                led,
                week if week_first else None,
                smaller,
                tips_given_up=first_try is first,
            )
            cost += SMALL_FIRST_COST * (first_try is not first)
            pages = pages_taken(flow, setting.width, setting.first_room, setting.page_room)
            weighed = (pages if pages is not None else float("inf")) + cost / 10
            if best is None or weighed < best[0]:
                best = (weighed, flow)
    assert best is not None
    return best[1]


def _alone(blocks: list[Flowable], index: int, setting: Setting) -> bool:
    """Whether blocks[index] shares a page with neither block beside it (each of which starts or
    ends a page at most as tall as this): it is then alone on its page, whatever its height up
    to a page."""
    room, width = setting.page_room, setting.width
    # The block before, where it goes on over pages, by its last page (trial 36, F5: exercise 2
    # took a page of its own, its picture the page's width, the page before holding only "1. …
    # (continued)" and a row of boxes, 90 % empty).
    before = last_page_of(blocks[index - 1], width, room)
    return all(
        frame_height([a, b], width) > room for a, b in ((before, blocks[index]), (blocks[index], blocks[index + 1]))
    )


def _under_set(
    setting: Setting,
    bare: list[Flowable],
    led_first: Callable[[], Flowable],
    lead: list[Flowable],
    week: Flowable | None = None,
    smaller: Callable[[int], list[Flowable]] | None = None,
    tips_given_up: bool = True,
) -> tuple[float, list[Flowable]]:
    """under_story's story with these blocks (`bare`: without the lead; `led_first()`: the first
    with it), the line for the week's date `week` under the front page's facts (None: it is in
    the lead), and its cost: a page more where the last exercise leaves too little room, half
    a page where the QR code is not on the front page; infinite (and no story) where `week`
    would not end page 1 in any way. `smaller(i)`: the middle block i set
    lower, to give room at its page's foot (_given_up)."""
    content, width, tips = setting.content, setting.width, setting.tips
    page_room, first_room, front_page = setting.page_room, setting.first_room, setting.front_page
    if "under" not in setting.made:
        setting.made["under"] = _under_closing(setting)
    front_tips, close_tips, closest_tips, panel, low, below = setting.made["under"]
    lead_kept = Kept(lead, page_room)
    # With the first exercise where the two fit a page (the block keeps its largest picture).
    lead_first = frame_height([lead_kept, bare[0]], width) <= page_room
    # Else on the front page, before the tips take its room (the picture must keep its size).
    needed = [] if lead_first else [lead_kept]
    led: list[Flowable] = []

    def blocks_of(on_front: list[Flowable]) -> list[Flowable]:
        """The blocks, the first led by how to do them unless that is on the front page."""
        if any(part is lead_kept for part in on_front):
            return bare
        if not led:
            led.append(led_first())
        return [led[0], *bare[1:]]

    ways = [
        (qr, tips_first) for qr in ([True, False] if content.online_url else [False]) for tips_first in (True, False)
    ]

    def way_of(qr: bool, tips_first: bool, tight: int = 0) -> tuple[float, list[Flowable]]:
        """The story with the QR code on the front page or not (`qr`), the tips there where they
        fit (`tips_first`), its facts `tight` (front_top: 1 the longer facts full width, 2 a
        long name too) or not, and its cost."""
        front = front_page(qr, tight)
        on_front: list[Flowable] = [front, week] if week is not None else [front]
        # (with the week's line under the facts, where it goes there: never alone on page 2)
        spilled = frame_height(on_front, width) > first_room + 1e-6
        # The tips on the front page as usual, or set closer where only that lets them fit it.
        fitting = [
            kept
            for kept in (front_tips, close_tips)
            if tips_first and kept is not None and ends_front([*on_front, kept, *needed], setting)
        ]
        if fitting:
            on_front += [fitting[0], *needed]
        elif needed and ends_front([*on_front, *needed], setting):
            on_front += needed
        end: list[Flowable] = [tips] if tips is not None and not fitting else []
        if below is not None and not qr:
            end.append(below)
        # The pages it takes: the front page, a page an exercise, one more where what goes after
        # the last exercise does not fit under it. At equal pages, the QR code on the front page,
        # and never a last page holding the tips alone or the QR code alone: where the tips fit
        # nowhere else, the QR code goes with them (Maria's Spanish large print had a page of
        # three tips). The tips set closer (no space between two, the heading as close as on the
        # front page) where only that lets them share the last exercise's page: a page of tips
        # (and the QR code) alone was the rest of Maria's A4 large print (therapist trial 13).
        # (the last exercise as it prints: with one, the first, led by how to do them where that
        # is not on the front page; trial 32, F1: measured without it, the QR code "fit" under
        # it and went on to page 3 alone)
        last = blocks_of(on_front)[-1]
        more = frame_height([last, *end], width) > page_room
        closest_used = own_page = False
        if more and close_tips is not None and end and end[0] is tips:
            # Closer still, as in their panel: the heading at the type's size, bold (trial 21,
            # F1: Spanish cervical on Letter, three tips 164.7 pt, the last exercise's page
            # leaving 158.6 at most, so a page of tips alone).
            for nearer in (close_tips, closest_tips):
                closer = [nearer, *end[1:]]
                if nearer is not None and frame_height([last, *closer], width) <= page_room:
                    end, more, closest_used = closer, False, nearer is closest_tips
                    break
        # A page more holding one thing alone: the tips (three: Maria's) cost a page again, the QR
        # code after tips that fill a page of their own (every tip ticked, trial 21 F3) more still.
        tips_alone = more and len(end) == 1
        qr_alone = more and len(end) > 1 and frame_height(end, width) > page_room
        if not more and end and any(not isinstance(block, Kept) for block in blocks_of(on_front)):
            # An exercise that goes on over two pages shares its last with the next (trial 33,
            # F3: with no tip, the QR code under the last exercise moved it to a page of its own,
            # 13 pages for 12): a page more here too, where what goes after the last adds one.
            story = [*on_front, *blocks_of(on_front)]
            taken = pages_taken(story, width, first_room, page_room)
            more = taken is not None and (pages_taken([*story, *end], width, first_room, page_room) or 0) > taken
        cost = more + (0 if qr else 0.5) + tips_alone + 3 * qr_alone + CLOSEST_COST * closest_used
        # How to do the exercises fits neither with the first one on a page nor under the front
        # page: the first exercise would break over two pages, its lead before it (a page holding
        # one line of its note and its tick boxes, therapist trial 16, F1). Any way that keeps it
        # whole wins, even with the QR code at the end.
        broken = bool(needed) and all(part is not lead_kept for part in on_front)
        first_block = blocks_of(on_front)[0]
        # (the lead apart from its first block, block.exercise_block: whole with a smaller picture)
        broken = broken and not isinstance(
            first_block.fallback if isinstance(first_block, LeadApart) else first_block, Kept
        )
        flow: list[Flowable] | None = None
        if more:
            # The tips (in a panel) and the QR code at the foot of an exercise's page with room
            # for them (the last such page), where after the last exercise they take a page more.
            # An exercise alone on its page may give up its larger picture (block.ALONE_WAYS) for
            # them, and a middle one its picture down to its least (block.least_picture_share,
            # still larger than at 14 pt): the fewest, only where that frees the room needed.
            floating = [panel if part is tips and panel is not None else low or part for part in end]
            blocks = blocks_of(on_front)
            pages = pages_filled([*on_front, *blocks], width, first_room, page_room)
            floated = at_page_feet([*on_front, *blocks], floating, width, first_room, page_room, pages)
            if floated is None and pages is not None and smaller is not None and len(blocks) > 2:
                floated = _given_up(on_front, blocks, smaller, floating, pages, setting)
            if floated is None and len(end) > 1 and end[0] is tips:
                # The tips under the last exercise, set as close as that needs, and only the QR
                # code at a page's foot (trial 21, F1: with a long name the QR code left the front
                # page, and the tips in their panel fit no page's foot).
                nearer = [
                    kept
                    for kept in (tips, close_tips, closest_tips)
                    if kept is not None and frame_height([blocks[-1], kept], width) <= page_room
                ]
                # Else after it, on a page they fill (every tip ticked, trial 21 F3: the QR code
                # after them took a page alone).
                closed = [*blocks[:-1], Kept([blocks[-1], nearer[0]], page_room)] if nearer else [*blocks, tips]
                pages = pages_filled([*on_front, *closed], width, first_room, page_room)
                floated = at_page_feet([*on_front, *closed], floating[1:], width, first_room, page_room, pages)
                if floated is None and nearer and pages is not None and smaller is not None and len(closed) > 2:
                    floated = _given_up(on_front, closed, smaller, floating[1:], pages, setting)
                closest_used = bool(nearer) and nearer[0] is closest_tips
                own_page = not nearer
            flow = floated[0] if floated is not None else None
            if flow is not None:
                # only where it saves a page: else at the end (the tips on a page of their own:
                # as the QR code on the front page and the tips after the last exercise cost, more)
                cost = 0.75 + (0 if qr else 0.5) + CLOSEST_COST * closest_used + 1.75 * own_page
        if more and (flow is None or own_page) and tips_first and isinstance(tips, Listed) and end and end[0] is tips:
            # Too many to fit the front page whole, under the last exercise or at a page's foot:
            # the most that fit under the front page's facts, the rest headed "(continued)" after
            # the last exercise, not a page of tips alone (trial 26: every tip ticked, 18 pt).
            # (how to do them under the tips' first part, once: trial 35, F1 printed it twice)
            facts = [part for part in on_front if part is not lead_kept]
            split = _tips_split(setting, tips, facts, needed, blocks_of([*facts, *needed]), end[1:])
            if split is None or tips_parts_in(split) > 2:
                # Too few on the front page for a part of their own there, or the rest broken
                # again: over the pages' feet from the front page on, two at least a part (every
                # tip ticked, #14), middle exercises giving up their larger pictures where only
                # that frees the room; the way in fewer parts wins (trial 30, F3: five parts).
                spread = _over_feet_given_up(
                    setting, on_front, blocks_of(on_front), tips, end[1:], smaller if tips_given_up else None
                )
                if spread is not None and (split is None or tips_parts_in(spread[0]) < tips_parts_in(split)):
                    split = spread[0]
            if split is not None:
                flow, cost = split, 0.75 + (0 if qr else 0.5)
        if flow is None and qr_alone and len(end) == 2 and end[0] is tips:
            # Nowhere at a page's foot either: the tips go on over the page to the QR code's,
            # two tips at least on each side, the rest headed "(continued)" (closing.tips_over_two,
            # as one a page does above the sheet), so the QR code is not alone on the last page
            # (trial 24: Spanish cervical, notes of 350 characters, every tip ticked).
            split = tips_over_two(tips, end[1], width, page_room)
            if split is not None:
                end, cost = [*split, end[1]], cost - 3
        if broken and end and frame_height([*end, lead_kept], width) <= page_room:
            # The first exercise with how to do them over it fits no page with a picture as large
            # as at 14 pt (a long name and notes, trial 31 F1: 2.30 in, 0.73 times), and the
            # front page is full: the tips and the QR code then how to do them fill page 2, and
            # the first exercise starts page 3 whole, a page more than the goal.
            flow, cost, broken = [*on_front, Kept([*end, lead_kept], page_room), *bare], 1 + (0 if qr else 0.5), False
        if (
            flow is None
            and tips_alone
            and all(part is not lead_kept for part in on_front)
            and frame_height([*end, lead_kept], width) <= page_room
        ):
            # The tips (or the QR code) would hold the last page alone, fitting no page's foot
            # (trial 34: one exercise, a 120-character Chinese name filling the front page, three
            # tips a fifth of page 3): they go on page 2, and the first exercise starts page 3
            # whole, as when it breaks above. As many pages. How to do the exercises stays over
            # the first where a page holds the two (trial 41, F2: it ended page 2 under the tips,
            # "tick a box under the exercise" with the exercise and its boxes on page 3), else it
            # goes under the tips on page 2.
            if lead_first:
                flow = [*on_front, Kept(end, page_room), *blocks_of(on_front)]
            else:
                flow = [*on_front, Kept([*end, lead_kept], page_room), *bare]
            cost = 1 + (0 if qr else 0.5)
        cost += 3 * broken
        # A front page that goes on to page 2 (a long name, the QR code beside the facts): its
        # last facts and stop rule read apart from the rest, over the tips or the first exercise
        # (trial 21, F1). Any way that keeps it on page 1 wins at equal pages, never at a page more.
        cost += SPILL_COST * spilled
        return cost, flow or [*on_front, *blocks_of(on_front), *end]

    # A front page longer than a page (a long name in large print) goes on to a second page,
    # which the QR code may cost: then every way is weighed by the pages it takes, and its cost.
    spills = front_page(content.online_url is not None).wrap(width, 1e6)[1] > first_room + 1e-6

    def week_apart(qr: bool, tight: int = 0) -> bool:
        """Whether the week's line, under the front page's facts, would not end page 1 with them:
        on page 2 it read apart from how to tick, over the tips, what it dates atop page 3 (trial
        24: Spanish cervical, a 120-character name, every tip ticked). Then it goes with how to
        tick (the story without `week`), even where this way took a page less."""
        return week is not None and frame_height([front_page(qr, tight), week], width) > first_room + 1e-6

    best: tuple[float, float, list[Flowable]] | None = None
    for qr, tips_first in ways:
        if week_apart(qr):
            continue
        cost, flow = way_of(qr, tips_first)
        weighed = cost
        if spills:
            taken = pages_taken(flow, width, first_room, page_room)
            weighed = (taken if taken is not None else float("inf")) + cost / 10
        if best is None or weighed < best[0]:
            best = (weighed, cost, flow)
        if cost == 0 and not spills:
            break  # the QR code on the front page and no page more: nothing to weigh it against
    if best is None or best[1] >= 1 or spills:
        # Something still costs a page (or leaves the QR code off the front page) or the front
        # page goes on to a second: its facts set tighter (the longer ones full width, led by
        # their labels) where that takes fewer pages, or as many with less given up. A third
        # goal, a 2-line clinic address and a long name took Spanish large print a page over the
        # goal (trial 19, F1).
        # Where the front page still goes on to page 2, a long name full width too (tight 2).
        taken = pages_taken(best[2], width, first_room, page_room) if best is not None else None
        least = (taken if taken is not None else float("inf"), best[1] if best is not None else float("inf"))
        for tight, (qr, tips_first) in itertools.product((1, 2) if spills else (1,), ways):
            if week_apart(qr, tight):
                continue
            cost, flow = way_of(qr, tips_first, tight=tight)
            tight_taken = pages_taken(flow, width, first_room, page_room)
            tried = (tight_taken if tight_taken is not None else float("inf"), cost + TIGHT_COST * tight)
            if tried < least:
                least, best = tried, (0.0, tried[1], flow)
    if best is None:
        return float("inf"), []  # the week's line ends page 1 in no way: under_story weighs it out
    return best[1], best[2]


def _tips_split(
    setting: Setting,
    tips: Listed,
    on_front: list[Flowable],
    needed: list[Flowable],
    blocks: list[Flowable],
    after: list[Flowable],
) -> list[Flowable] | None:
    """The story with the tips broken between two whole tips (Listed.cuts): the most that fit
    under the front page's parts (`on_front`, then `needed` under them: how to do the exercises,
    where it goes there), the rest headed "(continued)" under the last
    exercise or, where they fit there, at the foot of an exercise's page (at_page_feet), with
    `after` (the QR code) after them, or broken again over several pages' feet (closing.rest_over_feet);
    None where no break fits so."""
    width, page_room = setting.width, setting.page_room
    # On the front page, the tips' heading as the exercises' heading is set (as front_tips).
    # Set closer (no space between two tips) only where the looser way fits nowhere.
    content, styles, heading = setting.content, setting.styles, exercises_heading(setting.styles)
    for close in (False, True):
        parts = tips_parts(content, styles, heading, close_bullet(styles) if close else None)
        # Broken again over several pages' feet: the break whose rest takes the fewest parts
        # (trial 30, F3), the most on the front page at equal parts.
        spread: tuple[int, list[Flowable]] | None = None
        for cut in tips.cuts(width):
            head = tips_part(Kept([Kept(parts[:2], page_room), *parts[2 : cut + 1]], page_room))
            front = [*on_front, head, *needed]
            if not ends_front(front, setting):
                continue
            closing = [tips_part(tips.rest(cut, close)), *after]
            if frame_height([blocks[-1], *closing], width) <= page_room + 1e-6:
                return [*front, *blocks, *closing]
            floated = at_page_feet([*front, *blocks], closing, width, setting.first_room, page_room)
            if floated is not None:
                return floated[0]
            rest = rest_over_feet(setting, [*front, *blocks], tips, cut, close, after)
            if rest is not None:
                count = tips_parts_in(rest[0])
                if spread is None or count < spread[0]:
                    spread = (count, rest[0])
        if spread is not None:
            return spread[1]
    return _tips_split_at_line(setting, tips, on_front, needed, blocks, after) if tips.flows(width) else None


def _tips_split_at_line(
    setting: Setting,
    tips: Listed,
    on_front: list[Flowable],
    needed: list[Flowable],
    blocks: list[Flowable],
    after: list[Flowable],
) -> list[Flowable] | None:
    """_tips_split's story for tips with one taller than half a page (Listed.flows) and no break
    between whole tips: broken at a line, as much as fits under the front page's parts, the rest
    under "(continued)" from under the last exercise on, `after` after it (trial 35, F4: one
    tip and 1,000 characters after the last exercise left their last 2 lines alone on page 4; with
    three tips, two on the front page, 3 pages). None where no line fits there."""
    width, page_room = setting.width, setting.page_room
    parts = tips_parts(setting.content, setting.styles, exercises_heading(setting.styles))
    room = setting.first_room - frame_height([*on_front, *needed], width)
    while room > LINE_STEP:
        pieces = Flowing(parts, page_room, tips.again, turns=False).split(width, room)
        if len(pieces) == 2:
            head = tips_part(pieces[0])
            if ends_front([*on_front, head, *needed], setting):
                # Nothing after them: their end on the last page a sixth of a page at least.
                tail = 0.0 if after else page_room / 6
                rest = tips_part(Flowing(pieces[1].parts, page_room, tips.again, turns=False, tail=tail))
                return [*on_front, head, *needed, *blocks, rest, *after]
        room -= LINE_STEP
    return None


def _under_closing(
    setting: Setting,
) -> tuple[Kept | None, Kept | None, Kept | None, Kept | None, Flowable | None, Flowable | None]:
    """What _under_set sets after the exercises or under the front page, the same in every way
    it weighs (made once a story): the tips as on the front page, set closer, closer still with
    their panel's heading (closing.closest_tips), and in a panel (None: no tips); the QR code for
    an exercise's page foot, and under the last exercise (None: no QR code)."""
    content, styles, width, said, page_room = (
        setting.content,
        setting.styles,
        setting.width,
        setting.said,
        setting.page_room,
    )
    # On the front page, under its last line, the tips' heading as the exercises' heading is set.
    closing = headings_kept(tips_parts(content, styles, exercises_heading(styles)), page_room)
    front_tips = Kept(closing, page_room) if closing else None
    close_tips = (
        Kept(
            headings_kept(tips_parts(content, styles, exercises_heading(styles), close_bullet(styles)), page_room),
            page_room,
        )
        if closing
        else None
    )
    closest = closest_tips(content, styles, page_room) if closing else None
    panel = tips_panel(content, styles, page_room) if closing else None
    low = online_below_for(content, styles, said, width, low=True)
    below = online_below_for(content, styles, said, width)
    return front_tips, close_tips, closest, panel, low, below


# What setting the front page's facts tight (front_top) costs, weighed with _under_set's costs: less
# than the QR code off the front page (0.5), so at equal pages it wins over that, never a page.
TIGHT_COST = 0.3
# The tips under the last exercise with their panel's heading (closest_tips): less than the front
# page's facts set tight or the QR code off the front page, so those keep their order.
CLOSEST_COST = 0.2
# The first exercise's picture smaller than its least, under how to do them (under_story): more
# than the tips and the QR code at page feet and the QR code off the front page together (1.75),
# less than a front page gone on to page 2, so at equal pages the larger picture wins.
SMALL_FIRST_COST = 2.0
# A front page that goes on to page 2 (_under_set): more than all of those together (the tips
# and the QR code at page feet, 1.25), so at equal pages any way that keeps the front page on
# page 1 wins; weighed as a tenth (pages + cost / 10), still less than a page.
SPILL_COST = 5.0


def _over_feet_given_up(
    setting: Setting,
    on_front: list[Flowable],
    blocks: list[Flowable],
    tips: Listed,
    after: list[Flowable],
    smaller: Callable[[int], list[Flowable]] | None,
) -> tuple[list[Flowable], int] | None:
    """The tips over the pages' feet (closing.tips_over_feet) under `on_front` and `blocks`, and
    where they do not all fit so, the same with middle exercises giving up room for them, as
    _given_up does for the tips' panel and the QR code: `smaller(i)` is blocks[i] set lower, the
    less given up first (its larger picture alone on its page given up, then its picture at its
    least, still larger than at 14 pt). Every middle exercise set at its lowest first; where the
    tips fit then, each gets back what they do not need, the first exercises first (so the
    last ones give up), each as much as it can while the tips keep as few parts. Returns the
    story and its pages, or None where the tips do not fit even so (every tip ticked, Spanish,
    large print with notes: 9 of 576 handouts were a page over n + 1, #14). Tries at most 2 +
    the lower ways in all: a program at the form's limit of exercises costs no more than its
    length."""
    spread = tips_over_feet(setting, [*on_front, *blocks], tips, after, set())
    if smaller is None or len(blocks) < 3 or (spread is not None and tips_parts_in(spread[0]) <= 2):
        return spread
    lower = {index: ways for index in range(1, len(blocks) - 1) if (ways := smaller(index))}

    def spread_with(given: dict[int, Flowable]) -> tuple[tuple[list[Flowable], int] | None, int]:
        """The story with the blocks `given` set lower, and the parts the tips take in it."""
        story = [*on_front, *(given.get(index, block) for index, block in enumerate(blocks))]
        spread = tips_over_feet(setting, story, tips, after, set())
        return spread, tips_parts_in(spread[0]) if spread is not None else 0

    first = spread
    if first is not None:
        # The tips fit in three parts or more: the exercises alone on their pages give up their
        # larger pictures (large print's usual one, never its least) where that puts the tips in
        # fewer parts (trial 31, F3: Spanish, 12 exercises, Letter: four parts, 7.5 in pictures kept).
        lower = {index: ways[:-1] for index, ways in lower.items() if len(ways) > 1}
    given = {index: ways[-1] for index, ways in lower.items()}
    spread, parts = spread_with(given) if given else (None, 0)
    if spread is None or (first is not None and parts >= tips_parts_in(first[0])):
        return first
    for index, ways in lower.items():
        for back in [blocks[index], *ways[:-1]]:
            tried = {**given, index: back}
            again, more = spread_with(tried)
            # Given back only where the tips keep as few parts: a list read in two places, not in
            # four over four pages (trial 30, F3).
            if again is not None and more <= parts:
                given, spread = tried, again
                break
    return spread


def _given_up(
    on_front: list[Flowable],
    blocks: list[Flowable],
    smaller: Callable[[int], list[Flowable]],
    floating: list[Flowable],
    pages: list[Filled],
    setting: Setting,
) -> tuple[list[Flowable], int] | None:
    """`on_front` and `blocks` with `floating` (the tips panel, the QR code) at page feet
    (at_page_feet), where middle exercises give up room for them: `smaller(i)` is blocks[i]
    set smaller, lower first (the alone one's larger picture given up for large print's usual
    one, then the picture at its least: block.least_picture_share). The fewest exercises (one
    per floating part at most), the last ones first, the least given up, and only on a page
    where that frees the room a floating part needs. None where no such choice places them all.
    `pages`: the pages of `on_front` and `blocks` (pages_filled)."""
    width = setting.width
    starts = [page.start for page in pages]
    least = min(part.wrap(width, 1e6)[1] for part in floating)
    helping: list[tuple[int, Flowable]] = []
    for index in reversed(range(1, len(blocks) - 1)):
        page = pages[bisect.bisect_right(starts, len(on_front) + index) - 1]
        height = blocks[index].wrap(width, 1e6)[1]
        for lower in smaller(index):
            freed = height - lower.wrap(width, 1e6)[1]
            if freed > 0.01 and page.room - page.used + freed >= least:
                helping.append((index, lower))
    for count in range(1, len(floating) + 1):
        for chosen in itertools.combinations(helping, count):
            if len({index for index, _ in chosen}) < count:
                continue
            given = dict(chosen)
            given_blocks = [given.get(index, block) for index, block in enumerate(blocks)]
            floated = at_page_feet([*on_front, *given_blocks], floating, width, setting.first_room, setting.page_room)
            if floated is not None:
                return floated
    return None
