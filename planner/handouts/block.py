"""One exercise on the handout: a block kept on one page, unless no page could hold it.

Number and name, the picture (start → end, mirrored for the side) with the dosage in words
beside it, the numbered steps, the tips (one exercise a page only: the compact layout keeps
to its page counts, and the phone page shows them), the cautions ("Be careful: ..." in the
steps' flow, marked by a bar), and the therapist's note.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Hashable
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Spacer
from reportlab.platypus.flowables import HRFlowable

from planner.catalog.figure.compose import HEIGHT, WIDTH
from planner.handouts import words
from planner.handouts.boxes import Beside, Box, Marked
from planner.handouts.content import ExerciseBlock
from planner.handouts.page_ends import LeadApart
from planner.handouts.para import Para as Paragraph
from planner.handouts.para import line_by_line
from planner.handouts.pictures import picture
from planner.handouts.shaping import is_rtl
from planner.handouts.stacking import Column, Flowing, Kept, Live, frame_height, stack_height
from planner.handouts.styles import CAUTION_EDGE, INK, TINT, Styles
from planner.handouts.text import bold, para_text
from planner.handouts.ticksheet import week_row

# The share of the line the picture takes at body size, the dosage beside it: as wide as on a
# page of its own before the compact layout (issue #14: "no smaller than today at 14 pt"). It
# took 0.34 or 0.27 where only that kept a tall block on one page; such a block now goes on over
# two (_flowing), its picture never smaller (trial 31, F1).
PICTURE_SHARE = 0.42
# An exercise's forms: PAGE as on a page of its own (steps under the picture); the compact
# ones, AROUND (text set around the picture) and COLUMNS (picture and cautions | steps); ABOVE,
# the picture as wide as the line allows above the dosage and the steps (large print, an
# exercise alone on its page).
PAGE, AROUND, COLUMNS, ABOVE = "page", "around", "columns", "above"
# A compact form with the therapist's note inside it instead of full width under the block,
# (NOTED: the note's way for each form): COLUMNS_NOTE_LEFT, the note under the cautions, in the
# picture's column; PAIRED, as AROUND with the cautions and the note side by side under the
# steps, each half the line (with no cautions, the note goes on in the steps' flow). Taken only
# where the block is lower so (a noted block was just over half a page: compact printed one
# exercise a page, trial 16). Both are tried, not only the shorter form's: a Spanish noted block
# is often lower with its note in the other form's way (the trial's 12, 34 pt lower in all), and
# two such blocks then share a Letter page; a form whose exercise alone is as tall as the lowest
# way found is not tried with the note.
COLUMNS_NOTE_LEFT, PAIRED = "columns, note left", "cautions and note paired"
NOTED = {COLUMNS: COLUMNS_NOTE_LEFT, AROUND: PAIRED}
# A large-print exercise alone on its page left 35-45 % of it empty under a picture 1.35 times
# the 14 pt one (therapist trial 12). There it tries, largest first: the picture the line's width
# above the dosage, then 0.7 or 0.64 of it with the dosage beside (PAGE; the steps under both:
# 1.67 or 1.52 times the 14 pt picture's 0.42, the dosage 8 type sizes wide or more); where
# none fits its page, the usual forms.
ALONE_WAYS = ((1.0, ABOVE), (0.7, PAGE), (0.64, PAGE))
# Beside the picture, the space between the dosage and the first step, in type sizes, over the
# dosage's own space after (0.3): 5.95 pt at 14 pt, a little more than between two steps. It was
# 0.25 (7.7 pt): an English 12-exercise program took a page more than the goal, three exercises
# missing a page by a point or two (trial 16 F4).
DOSAGE_GAP = 0.125
# Inside the tinted box of a therapist's note, the room around its text, in type sizes (it was
# 0.45, then 0.3: a noted block was a few points too tall to share a page with another, trial 16
# F3), and the space over the box (it was 6 pt at every size).
NOTE_PADDING = 0.25
NOTE_SPACE = 0.25
# The space between a block's parts (the picture's row and the steps under it, the cautions and
# the note beside them), in type sizes: 2.8 pt at 14 pt (it was 0.25). With the space under the
# name (styles: 0.2), over the cautions (CAUTION_SPACE), around the note (above) and the gutter
# beside the picture (GUTTER), a Spanish block with a note is 10-30 pt lower: two share a Letter
# page (trial 17 F3: the program of six with notes on five took a page more than the goal). The
# steps keep their indent: under 1.57 type sizes reportlab moves a step's first line off it.
PART_GAP = 0.2
CAUTION_SPACE = 0.2
# Between the picture and the dosage and steps beside it, in type sizes: 10.5 pt at 14 pt (it
# was 1.0): the steps' column a little wider, so a line fewer in some of them.
GUTTER = 0.75
BODY_PT = 14.0  # the type size the shares are made for: larger print takes a larger picture
LABEL_PT = 12.0  # the "Start" and "End" labels are never smaller than this
# The largest label the room under the panels holds, as a share of the picture's width: capitals
# of 21 of the figure's 400 units stand clear of the panels (planner/catalog/figure/compose.py).
LABEL_ROOM = 0.0525


# How much larger the picture is in larger print: the type's growth to this power. At 18 pt a
# picture 1.35 times the 14 pt one's width (a therapist trial found 1.13 times, the square root,
# too little to see better: large print is for a patient who sees poorly). Where that would cost
# a page (large print: the first or the last exercise, with the front page's or the tips' room),
# the picture may take the square root's growth instead (picture_shares(size)[1]), and only a
# block no page holds so the body size's (picture_shares), never less.
GROW = 1.2
GROW_AT_LEAST = 0.5


def picture_shares(size: float) -> tuple[float, ...]:
    """The shares of the line the picture may take at this type size (points), largest first.

    Larger print takes larger pictures: the largest grows with the type (GROW), the next as it
    grew before (GROW_AT_LEAST), and the body size's (PICTURE_SHARE) is the last resort, so no
    picture is smaller than at 14 pt (trial 31, F1: a middle exercise with a long note took 2.30
    in at 18 pt, 3.15 in at 14). A block no page holds so goes on over two (_flowing).
    """
    ratio = max(1.0, size / BODY_PT)
    larger = {min(0.6, PICTURE_SHARE * ratio**grow) for grow in (GROW, GROW_AT_LEAST)}
    return tuple(sorted(larger | {PICTURE_SHARE}, reverse=True))


def least_picture_share(size: float) -> float:
    """The smallest share of the line the picture takes at this type size (points) to save a
    page (GROW_AT_LEAST): as large as large print's picture was before it grew more."""
    return min(0.6, PICTURE_SHARE * max(1.0, size / BODY_PT) ** GROW_AT_LEAST)


def exercise_block(
    block: ExerciseBlock,
    styles: Styles,
    width: float,
    page_room: float,
    lead: list[Flowable] | None = None,
    compact: bool = True,
    ticks: bool = False,
    largest: float | None = None,
    alone: bool = False,
) -> Flowable:
    """The exercise kept together, so a patient never turns the page in the middle of one.

    `lead` (the section heading) travels with the first block. `compact`: the steps that fit
    beside the picture go there, under the dosage, and the rest run the full width under it
    (so a page holds two exercises or more); else the steps all go under the picture, as on a
    page of its own. `ticks`: the exercise's week of tick boxes under it, in the block (large
    print: ticksheet.week_row). `largest`: the largest share of the line the picture may
    take (by default picture_shares' first). `alone`: the block has a page of its own (the
    caller knows it shares it with nothing, so a taller block costs no page); in large print
    its picture then takes the line's width above the dosage, or 0.7 or 0.64 of it with the
    dosage beside, the largest the page holds with the block (ALONE_WAYS), else as usual. A block taller than a whole
    page even with the smallest picture (a very long note, or many long steps or cautions)
    goes on over the next pages (see `_flowing`), once a wide picture set above its dosage has
    been tried beside it (`_apart`).

    The block is two drawings: the exercise with its dosage and cautions (the same for every
    patient given this exercise at this dosage), and the therapist's note. The first is
    measured and drawn once per process, then replayed (see replay.py); a block seen before,
    note and all, is not even laid out again.
    """
    lead = lead or []
    # A wide picture above the dosage and the steps is the tallest way to set it: not where the
    # picture is held smaller (`largest`) to save room.
    wide_above = largest is None
    key = _key(block, styles, lead, compact, ticks)
    layout = None if key is None else (key, block.note, tuple(block.cautions), width, page_room, largest, alone)
    known = _LAYOUTS.get(layout) if layout is not None else None
    shaped = None if layout is None or not block.note.strip() else (key, *layout[2:])
    if known is None and shaped is not None:
        # A note of the same shape as one laid out before (as many lines at every width it was
        # measured at) sets the block the same way: the ways are not tried again.
        note = _note(block, styles)
        for widths, heights, result in _SHAPED.get(shaped, ()):
            if tuple(round(note.height_at(w), 2) for w in widths) == heights:
                # Kept for this note too: the story asks the same block again and again (the
                # ways compact.fewer_pages and ticks_under.under_story weigh), each time the same answer.
                known = result
                _remember(_LAYOUTS, layout, known)
                break
    if known == _TALL:
        return _apart(block, styles, width, page_room, lead, compact, ticks, largest, alone)
    if isinstance(known, tuple):  # not None, and not _TALL (the one str) after the test above
        share, form, size = known
        return Kept(
            lambda: _drawings(block, styles, width, page_room, share, lead, key, form, ticks, wide_above, not compact),
            page_room,
            known=size,
        )
    if (para_text(block.note).count("<br/>") + 1) * styles.body.leading > page_room:
        return _flowing(block, styles, width, page_room, lead, compact, ticks)  # more lines than a page
    forms: tuple[str, ...] = (
        (AROUND, COLUMNS) if compact and block.picture and not block.photo else (AROUND,) if compact else (PAGE,)
    )
    # The note inside the block, where that makes it lower than with the note apart (NOTED).
    noted = compact and bool(block.note.strip()) and bool(block.picture or block.photo)
    ways = [(share, forms) for share in picture_shares(styles.size) if largest is None or share <= largest]
    ways_all = list(ways)
    if not compact and (block.picture or block.photo):
        # One a page: the steps beside the picture (AROUND) before a picture smaller than its
        # least (least_picture_share: in large print, larger than at 14 pt); the first exercise
        # never takes a smaller one under the exercises' lead, which then ends the page before
        # where it fits there (_apart). Under its lead it took 2.03 in at 18 pt, 3.15 in at 14
        # (trial 18, F3).
        least = least_picture_share(styles.size)
        large = [(share, f) for share, f in ways if share >= least - 1e-9]
        ways = [*large, *((share, (AROUND,)) for share, _ in large)]
        # Smaller only where asked for (_apart), or for a block no page holds so (not the first).
        small = largest < least - 1e-9 if largest is not None else not lead
        ways += [way for way in ways_all if way[0] < least - 1e-9] if small else []
    elif lead and styles.size > BODY_PT and (block.picture or block.photo) and not _asked_smaller(largest, styles):
        # Large print, compact: as one a page, the first exercise's picture not smaller than its
        # least under the exercises' lead (with a long note its picture took 0.31 of the line,
        # 0.73 times the 14 pt one's); the lead then ends the page before, where it fits there,
        # and only where it would start a page does the block take a smaller picture (_apart).
        ways = [way for way in ways if way[0] >= least_picture_share(styles.size) - 1e-9]
    if alone and largest is None and styles.size > BODY_PT and (block.picture or block.photo):
        ways = [(share, (form,)) for share, form in ALONE_WAYS] + ways
    asked: set[float] = set()  # the widths the note is measured at
    for share, forms in ways:
        # The shorter of the compact forms: more exercises a page.
        tries = [
            _drawings(block, styles, width, page_room, share, lead, key, form, ticks, wide_above, not compact, asked)
            for form in forms
        ]
        form, parts = min(zip(forms, tries, strict=True), key=lambda t: stack_height(t[1], width))
        if noted:
            # The note inside either form's way, where that is lower (NOTED); at equal heights
            # the note stays apart, and the exercise is replayed. Not where the form's exercise
            # alone is as tall as the lowest found: its note would only add to it.
            lowest = stack_height(parts, width)
            for plain, tried in sorted(zip(forms, tries, strict=True), key=lambda t: t[0] != form):
                if plain not in NOTED:
                    continue
                head = stack_height(tried[:1], width)
                floor = _inside_floor(block, styles, width, share, plain, wide_above, head) if plain != form else head
                if floor >= lowest - 0.01:
                    continue
                inside = NOTED[plain]
                drawn = _drawings(
                    block, styles, width, page_room, share, lead, key, inside, ticks, wide_above, False, asked
                )
                if stack_height(drawn, width) < lowest - 0.01:
                    form, parts, lowest = inside, drawn, stack_height(drawn, width)
        if stack_height(parts[1:], width) > page_room:
            break  # the note and the cautions alone are taller than a page: no picture helps
        # The last try may pass only as a frame places the drawings, one by one (Kept.split).
        fits = stack_height if share != ways[-1][0] else frame_height
        if fits(parts, width) <= page_room:
            kept = Kept(parts, page_room)
            if layout is not None:
                _remember(_LAYOUTS, layout, (share, form, kept.size(width)))
            if shaped is not None:
                note, widths = _note(block, styles), tuple(sorted(asked))
                heights = tuple(round(note.wrap(w, 1e6)[1], 2) for w in widths)
                _remember(_SHAPED, shaped, [*_SHAPED.get(shaped, [])[-7:], (widths, heights, _LAYOUTS[layout])])
            return kept
    if layout is not None:
        _remember(_LAYOUTS, layout, _TALL)
    return _apart(block, styles, width, page_room, lead, compact, ticks, largest, alone)


def _apart(
    block: ExerciseBlock,
    styles: Styles,
    width: float,
    page_room: float,
    lead: list[Flowable],
    compact: bool,
    ticks: bool,
    largest: float | None,
    alone: bool,
) -> Flowable:
    """A block no page holds as exercise_block tried it. Where its wide picture went above the
    dosage and the steps (large print, `largest` None: _wider), first the picture beside them
    as large as it grows, where a page holds the block so: one page whole, not a page more
    holding "(continued)" and a few lines (trial 40's hunt, run again in session 29: a lying
    exercise with a 300-character note, 18 pt, A4, 804 pt with its picture above, 690 beside).

    Else, with its `lead`: where a page holds it without, the lead may end the page before and
    the block start the next whole (LeadApart); else it flows (_flowing). A block that broke for
    its lead left a page with a line of its note and its tick boxes. One a page, and in large
    print compact, the block with its lead and a picture smaller than its least (the one way a
    page holds them together) goes where the lead does not fit the page before, before flowing."""
    if largest is None and styles.size > BODY_PT and (block.picture or block.photo):
        beside = exercise_block(
            block, styles, width, page_room, lead, compact, ticks, picture_shares(styles.size)[0], alone
        )
        if isinstance(beside, Kept):
            return beside
    flowing = _flowing(block, styles, width, page_room, lead, compact, ticks)
    if not lead:
        return flowing
    whole = exercise_block(block, styles, width, page_room, None, compact, ticks, largest, alone)
    if not isinstance(whole, Kept):
        return flowing
    fallback = flowing
    smaller = [share for share in picture_shares(styles.size) if share < least_picture_share(styles.size) - 1e-9]
    held = largest is None if not compact else styles.size > BODY_PT and not _asked_smaller(largest, styles)
    if held and smaller:
        small = exercise_block(block, styles, width, page_room, lead, compact, ticks, smaller[0], alone)
        fallback = small if isinstance(small, Kept) else flowing
    # One a page: a lead apart ends the page before without its heading (lead[0]).
    untitled = Kept(lead[1:], page_room) if not compact and len(lead) > 1 else None
    return LeadApart(Kept(lead, page_room), whole, fallback, page_room, not compact, untitled)


def _asked_smaller(largest: float | None, styles: Styles) -> bool:
    """Whether `largest` (exercise_block's) asks for a picture smaller than its least."""
    return largest is not None and largest < least_picture_share(styles.size) - 1e-9


def _flowing(
    block: ExerciseBlock,
    styles: Styles,
    width: float,
    page_room: float,
    lead: list[Flowable],
    compact: bool,
    ticks: bool = False,
) -> Flowable:
    """A block no page can hold, as it flows over pages: the name, the picture (full size, since
    the block breaks anyway: in large print its least, larger than at 14 pt) and the dosage
    together at its start, then the steps, the note and the cautions, broken at a line. Each next
    page starts with a "continued" line. Drawn each time, never replayed: such blocks are rare.
    One a page in large print, the picture as large as it grows (picture_shares) where the block
    takes no more pages so: it starts a page and the next exercise the page after its end (trial
    30, F5: with a long note it kept 253 pt, its pages a quarter empty, going on to a second).
    """
    least = least_picture_share(styles.size)
    flowing = _flowing_at(block, styles, width, page_room, lead, compact, ticks, least)
    if compact or styles.size <= BODY_PT or not (block.picture or block.photo):
        return flowing
    pages = flowing.pages(width)
    for share in picture_shares(styles.size):
        if share <= least + 1e-9:
            break
        larger = _flowing_at(block, styles, width, page_room, lead, compact, ticks, share)
        if larger.pages(width) <= pages:
            return larger
    return flowing


def _flowing_at(
    block: ExerciseBlock,
    styles: Styles,
    width: float,
    page_room: float,
    lead: list[Flowable],
    compact: bool,
    ticks: bool,
    share: float,
) -> Flowing:
    """_flowing's block with its picture `share` of the line."""
    tips = bool(block.tips) and not compact
    # (at 18 pt the 14 pt share was 0.76 times a page's picture: trial 23, F2)
    head = _head(block, styles, width, share, tips=tips)
    start = len(head) - len(block.steps) - tips - bool(block.cautions)
    parts: list[Flowable] = [Kept([*lead, *head[:start]], page_room), *head[start:]]
    if block.note.strip():
        note: Flowable = _note(block, styles, by_line=True)
        if not compact:
            # One a page: the note whole on the page the exercise goes on to, where it fits there
            # under its "continued" line, not its first lines under the steps and the rest over
            # the page (a 454-character note read torn mid-sentence, trial 24). The next
            # exercise starts a page of its own either way: the pages are as many.
            again = Paragraph(para_text(words.of(block.language).continued(block.number, block.name)), styles.strong)
            room = page_room - again.wrap(width, page_room)[1] - again.getSpaceAfter()
            if note.wrap(width, page_room)[1] <= room:
                note = Kept([note], page_room)
        parts.append(note)
    if ticks:
        parts.append(week_row(block, styles, width, words.of(block.language)))
    continued = para_text(words.of(block.language).continued(block.number, block.name))
    # Its week of boxes never goes on to a page alone, under only the "continued" line: lines of
    # the note or the cautions go with it (trial 37, F2: pages 7 and 12 of 15 held only a row).
    return Flowing(parts, page_room, lambda: Paragraph(continued, styles.strong), last_with=ticks)


# Per layout: the picture's share, the form and the block's size, or _TALL for a block no page can hold.
_TALL = "taller than a page"
_LAYOUTS: dict[Hashable, tuple[float, str, tuple[float, float, float, float]] | str] = {}
_SIZES: dict[Hashable, tuple[float, float, float, float]] = {}
# Per key and width of parts around a live note (_live_drawing): for the last few shapes of note,
# the widths the parts asked it at with its heights there, in the order asked, and their size.
_LIVE_SIZES: dict[Hashable, list[tuple[tuple[tuple[float, float], ...], tuple[float, float, float, float]]]] = {}
# Per layout without its note (a noted block's): the widths its note was measured at, its
# heights there and the layout, for the last few notes laid out (a clinic's notes are a line or
# three: most come again in shape, if not in words).
_SHAPED: dict[Hashable, list[tuple[tuple[float, ...], tuple[float, ...], Any]]] = {}
_CACHE_MAX = 4096


def _remember(cache: dict[Hashable, Any], key: Hashable, value: Any) -> None:
    if len(cache) >= _CACHE_MAX:
        del cache[next(iter(cache))]  # the oldest goes
    cache[key] = value


def _key(
    block: ExerciseBlock, styles: Styles, lead: list[Flowable], compact: bool, ticks: bool = False
) -> tuple[Any, ...] | None:
    """All the exercise drawing shows (not the note or the cautions), for replaying it (None: a
    photo, drawn each time)."""
    if block.photo or not all(isinstance(p, Paragraph) for p in lead):
        return None
    return (
        "exercise",
        block.language,
        compact,
        styles.size,
        tuple(p.text for p in lead),
        block.number,
        block.slug,
        block.name,
        block.side,
        json.dumps(block.picture, sort_keys=True),
        block.dosage,
        tuple(block.steps),
        tuple(block.tips),
        (block.times_per_day, tuple(block.due_days)) if ticks else None,
    )


def _drawings(
    block: ExerciseBlock,
    styles: Styles,
    width: float,
    page_room: float,
    share: float,
    lead: list[Flowable],
    key: tuple[Any, ...] | None,
    form: str,
    ticks: bool = False,
    wide_above: bool = True,
    tips: bool = False,
    asked: set[float] | None = None,
) -> list[Flowable]:
    # The cautions are drawn with the steps they follow (or under the picture, COLUMNS).
    noted = form in NOTED.values()
    head_key = None if key is None else (*key, share, form, tuple(block.cautions), wide_above)
    parts: list[Flowable]
    if noted:
        # A note is the patient's own: drawn each time, never kept (it would crowd out the
        # rest). The exercise around it is kept, per shape of note (stacking.Live).
        note = Live(_note(block, styles, asked=asked))
        parts = [
            _live_drawing(
                head_key,
                width,
                page_room,
                lambda: [*lead, *_head(block, styles, width, share, form, tips, wide_above, note)],
                note,
            )
        ]
    else:
        parts = [
            _drawing(
                head_key,
                width,
                page_room,
                lambda: [*lead, *_head(block, styles, width, share, form, tips, wide_above)],
            )
        ]
    if block.note.strip() and not noted:
        # A note is the patient's own: drawn each time, never kept (it would crowd out the rest).
        parts.append(_drawing(None, width, page_room, lambda: [_note(block, styles, asked=asked)]))
    if ticks:
        # Under the note too: the boxes close the exercise, as the patient's last step.
        parts.append(week_row(block, styles, width, words.of(block.language)))
    return parts


def _drawing(key: Hashable | None, width: float, page_room: float, make: Callable[[], list[Flowable]]) -> Kept:
    """Parts drawn as one recording under `key`, measured once per key and width."""
    known = _SIZES.get((key, width)) if key is not None else None
    if known is not None:
        return Kept(make, page_room, key, known)
    kept = Kept(make(), page_room, key)
    if key is not None:
        _remember(_SIZES, (key, width), kept.size(width))
    return kept


def _live_drawing(
    key: Hashable | None, width: float, page_room: float, make: Callable[[], list[Flowable]], live: Live
) -> Kept:
    """As _drawing, for parts around a `live` note: measured once per key, width and shape of
    note. The parts ask the note its height at the widths they lay it out at, the same widths
    for notes of the same heights there: a note that answers as one measured before (asked in
    the same order) takes that one's size, and its parts are made only if they must be drawn
    (a drawing replayed draws the note alone: replay.draw_recorded)."""
    if key is None:
        return Kept(make(), page_room, key, live=[live])
    known = _LIVE_SIZES.get((key, width), [])
    for answers, size in known:
        if all(live.wrap(asked, 1e6)[1] == height for asked, height in answers):
            return Kept(make, page_room, key, size, live=[live])
    live.forget()
    kept = Kept(make(), page_room, key, live=[live])
    size = kept.size(width)
    _remember(_LIVE_SIZES, (key, width), [*known[-7:], (tuple(live.answers()), size)])
    return kept


def _head(
    block: ExerciseBlock,
    styles: Styles,
    width: float,
    share: float,
    form: str = PAGE,
    tips: bool = False,
    wide_above: bool = True,
    note: Flowable | None = None,
) -> list[Flowable]:
    """The rule, number and name, the picture with the dosage beside it, the numbered steps, the
    tips (with `tips`, when the exercise has any) and the cautions.

    `form` PAGE: the steps and the cautions under the picture, full width. AROUND: the dosage
    and the first steps beside the picture, the rest and the cautions under it (or beside it
    too, when the steps are few). COLUMNS: the picture with the cautions under it on the left,
    the dosage and the first steps on the right, the rest under both (for long steps, this is
    the shorter). In both compact forms the steps beside are as many as make the block shortest,
    each step whole in its column: one that cannot end beside the picture starts under it (see
    _steps_beside). The NOTED forms: as AROUND or COLUMNS, with `note` (the therapist's note)
    where NOTED's comment says.
    """
    size = styles.size
    form, note_at = {inside: plain for plain, inside in NOTED.items()}.get(form, form), form
    parts: list[Flowable] = [
        HRFlowable(width="100%", thickness=2, color=INK, spaceBefore=size * 0.25, spaceAfter=size * 0.25),
        Paragraph(f"{block.number}. {para_text(block.name)}", styles.exercise),
    ]
    dosage = [Paragraph(para_text(block.dosage), styles.body)] if block.dosage else []
    image, left_width, above = _picture_at(block, styles, width, share, form, wide_above)
    steps = [Paragraph(para_text(step), styles.step, bulletText=f"{n}.") for n, step in enumerate(block.steps, 1)]
    steps += [_tips(block, styles)] if tips and block.tips else []
    cautions = [_cautions(block, styles)] if block.cautions else []
    last = [note] if note is not None else []  # where no column has it: under all, as apart
    if image is None:
        return [*parts, *dosage, Spacer(1, size * PART_GAP), *steps, *cautions, *last]
    if above:
        return [*parts, image, Spacer(1, size * PART_GAP), *dosage, *steps, *cautions, *last]
    if form == PAGE:
        beside = Beside(image, dosage, left_width=left_width, gap=size * GUTTER)
        return [*parts, beside, Spacer(1, size * PART_GAP), *steps, *cautions, *last]
    pair = None
    if note is not None and note_at == PAIRED and cautions:
        # The cautions on the left, as they are read first; the note beside them.
        half = (width - size * GUTTER) / 2
        pair, note, cautions = Beside(cautions[0], [note], left_width=half, gap=size * GUTTER, top=True), None, []
    if form == AROUND:
        steps, cautions = steps + cautions, []  # the cautions go on in the steps' flow
    if note is not None and note_at != COLUMNS_NOTE_LEFT:
        steps = [*steps, note]  # after the cautions (AROUND) or the steps (COLUMNS), in their flow
    # The compact forms: the picture (AROUND), or the picture with the cautions under it
    # (COLUMNS), on the left; the dosage and the first steps beside it, as many as make the
    # block shortest; the rest of the steps full width under both. The eye goes from the
    # picture to the dosage and the steps, then on down, a step never cut between the widths.
    left = image if form == AROUND or not block.cautions else Column([image, _cautions(block, styles)])
    if note is not None and note_at == COLUMNS_NOTE_LEFT:
        left = Column([image, *cautions, note])
    n_beside = _steps_beside(
        left.wrap(left_width, 1e6)[1], dosage, steps, width - left_width - size * GUTTER, width, size
    )
    by_picture, below = steps[:n_beside], steps[n_beside:]
    right = [*dosage, Spacer(1, size * DOSAGE_GAP), *by_picture] if by_picture else dosage
    parts.append(Beside(left, right, left_width=left_width, gap=size * GUTTER, top=True))
    tail = [Spacer(1, size * PART_GAP), pair] if pair is not None else []
    return [*parts, Spacer(1, size * PART_GAP), *below, *tail] if below else [*parts, *tail]


def _picture_at(
    block: ExerciseBlock, styles: Styles, width: float, share: float, form: str, wide_above: bool
) -> tuple[Flowable | None, float, bool]:
    """The exercise's picture at `share` of the line, its width (pt) and whether it goes above the
    dosage and the steps (_wider)."""
    size = styles.size
    # Bigger "Start" and "End" labels than the figure draws, as far as the room under the panels
    # leaves (LABEL_ROOM of the picture's width: 12 pt at 14 pt's picture), so larger print and
    # its larger picture have larger labels (13.5 pt at 18 pt).
    label = max(LABEL_PT, round(min(size * 0.75, width * share * LABEL_ROOM), 1))
    left_width = width * share
    image = picture(
        block.slug, block.picture, block.side, left_width, block.photo, label_size=label, language=block.language
    )
    wider, above = _wider(image, left_width, width, size, wide_above) if form != ABOVE else (left_width, True)
    if wider > left_width + 0.5:
        left_width = wider
        image = picture(
            block.slug, block.picture, block.side, left_width, block.photo, label_size=label, language=block.language
        )
    return image, left_width, above


def _inside_floor(
    block: ExerciseBlock, styles: Styles, width: float, share: float, form: str, wide_above: bool, head: float
) -> float:
    """How low, at least, the exercise with its note inside `form`'s way (NOTED) can be (pt),
    measured without laying it out: `head` is the exercise's height in `form` without its note.
    COLUMNS_NOTE_LEFT: the rule, the name and the picture's column with the note under the
    cautions. PAIRED: without its cautions (they lowered it by their height beside the picture
    at most), then the cautions and the note side by side under it."""
    size = styles.size
    note = _note(block, styles)
    if form == COLUMNS:
        image, left_width, above = _picture_at(block, styles, width, share, form, wide_above)
        if image is None or above:
            return head
        top = HRFlowable(width="100%", thickness=2, spaceBefore=size * 0.25, spaceAfter=size * 0.25)
        name = Paragraph(f"{block.number}. {para_text(block.name)}", styles.exercise)
        left = Column([image, *([_cautions(block, styles)] if block.cautions else []), note])
        return max(head, stack_height([top, name], width) + name.getSpaceAfter() + left.wrap(left_width, 1e6)[1])
    if not block.cautions:
        return head
    cautions = _cautions(block, styles)
    image, left_width, _ = _picture_at(block, styles, width, share, form, wide_above)
    narrow = width - left_width - size * GUTTER if image is not None else width
    half = (width - size * GUTTER) / 2
    taken = cautions.wrap(narrow, 1e6)[1] + cautions.getSpaceBefore() + styles.step.spaceAfter
    paired = max(cautions.wrap(half, 1e6)[1], note.wrap(half, 1e6)[1])
    return max(head - taken, 0.0) + size * PART_GAP + paired


# The shape the shares are made for: the figure's start and end panels side by side, twice as
# wide as high (planner/catalog/figure/compose.py WIDTH, HEIGHT).
ASPECT = WIDTH / HEIGHT
BESIDE_EM = 12  # a wider picture leaves the dosage and the steps beside it this many type sizes
WIDE_AT_BODY = 1.18  # at body size a wide picture is at most this much wider than its share


def _wider(
    image: Flowable | None, share_width: float, width: float, size: float, above_ok: bool = True
) -> tuple[float, bool]:
    """Where to place a picture wider than ASPECT (a lying figure drawn wide, a wide photo): its
    width (pt), and whether it goes above the dosage and the steps, the line's width at most.
    It is placed as high as a picture of ASPECT `share_width` wide, so the figure is larger,
    not padded: beside the dosage and the steps as far as their column keeps BESIDE_EM type
    sizes, or above them where that column would leave it less than 3/4 of that width (large
    print, whose shares are larger), unless not `above_ok`; at body size WIDE_AT_BODY at most. `share_width`, beside, for any other
    picture."""
    if image is None:
        return share_width, False
    w, h = image.wrap(share_width, 1e6)
    if h <= 0 or w / h <= ASPECT + 0.01:
        return share_width, False
    wanted = share_width * (w / h) / ASPECT
    beside = max(share_width, min(wanted, width - size * (1 + BESIDE_EM)))
    if size <= BODY_PT:
        # At body size a little wider only, so large print's picture, even at its last resort
        # (the body size's share, picture_shares), stays at least as wide.
        return min(beside, share_width * WIDE_AT_BODY), False
    if beside >= 0.75 * wanted or not above_ok:
        return beside, False
    return min(wanted, width), True


def _steps_beside(
    left_height: float, dosage: list[Flowable], steps: list[Flowable], beside_width: float, width: float, size: float
) -> int:
    """How many steps go beside the left column (the picture, or the picture and the cautions),
    under the dosage: the number that gives the shortest block (the most of them when two give
    the same). Each step is whole on one side: a step that cannot end beside the column goes
    under it, full width, or stays whole beside it, never its first lines beside and the rest
    under the picture at the margin, where the eye would have to jump back mid-sentence (a
    patient with low vision or a head tremor loses the line; trial 18 F4). Each step is
    measured once at each width."""
    gap, beside_gap = size * PART_GAP, size * DOSAGE_GAP
    narrow = [step.wrap(beside_width, 1e6)[1] + step.getSpaceAfter() for step in steps]
    wide = [step.wrap(width, 1e6)[1] + step.getSpaceAfter() for step in steps]
    top = stack_height(dosage, beside_width) + (dosage[-1].getSpaceAfter() if dosage else 0)
    best, best_height = 0, None
    for k in range(len(steps) + 1):
        right = top + (beside_gap + sum(narrow[:k]) if k else 0)
        below = gap + sum(wide[k:]) if k < len(steps) else 0
        height = max(left_height, right) + below
        if best_height is None or height <= best_height + 0.01:
            best, best_height = k, height
    return best


def _note(block: ExerciseBlock, styles: Styles, by_line: bool = False, asked: set[float] | None = None) -> Box:
    """The therapist's note in a tinted box, its bold label leading its first line. A note that
    reads right to left (Hebrew, Arabic) has the label on a line of its own: led by the label,
    its line would read left to right. A note that breaks across pages (`by_line`): the label on
    a line of its own, then a paragraph a line, quick to break, as roomy as it was (it takes its
    pages either way). `asked`: a set the box adds each width it is measured at."""
    label = para_text(words.of(block.language).headings["note"] + ":")
    if by_line:
        note = line_by_line(para_text(block.note), styles.body)
        return Box([Paragraph(label, styles.strong), note], TINT, padding=styles.size * 0.45)
    padding = styles.size * NOTE_PADDING
    if is_rtl(block.note):
        parts = [Paragraph(label, styles.strong), Paragraph(para_text(block.note), styles.body)]
    else:
        parts = [Paragraph(f"{bold(label)} {para_text(block.note)}", styles.body)]
    box = Box(parts, TINT, padding=padding, space_before=styles.size * NOTE_SPACE)
    box.asked = asked
    return box


def _tips(block: ExerciseBlock, styles: Styles) -> Flowable:
    """The tips as one paragraph after a bold "Tips:", in the steps' column without a number."""
    lead = bold(para_text(words.of(block.language).headings["tips"] + ":"))
    # Indented as the steps' text is: it reads as part of the steps' column, not a new section.
    return Paragraph(" ".join([lead, *(para_text(line) for line in block.tips)]), _tips_style(styles))


@functools.cache
def _tips_style(styles: Styles) -> ParagraphStyle:
    return styles.body.clone(f"exercise-tips-{styles.size:g}", leftIndent=styles.step.leftIndent)


def _cautions(block: ExerciseBlock, styles: Styles) -> Flowable:
    """The cautions as one paragraph after a bold "Be careful:", marked by a bar where a step's
    number would be: as plain to see as a box, without the box's heading line and padding."""
    lead = bold(para_text(words.of(block.language).caution + ":"))
    text = " ".join([lead, *(para_text(line) for line in block.cautions)])
    size = styles.size
    return Marked(
        Paragraph(text, styles.step), CAUTION_EDGE, bar=size * 0.3, inset=size * 0.35, space_before=size * CAUTION_SPACE
    )
