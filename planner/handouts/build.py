"""The handout PDF: a platypus story built from the program, one kept-together block per exercise.

Public API:
- build_handout(session, program, now, online_url=None, options=None) -> bytes
- build_given_handout(session, given, now, online_url=None, options=None) -> bytes, a version given
- build_preview(session, program, now, options=None, language=None, online_url=None) -> bytes, marked "Preview only" (not given)
- render(content, options) -> bytes, for content already read (the bench and the export use it)
"""

from __future__ import annotations

import dataclasses
import functools
import io
from collections.abc import Callable
from datetime import datetime

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate, Spacer
from sqlalchemy.orm import Session

from planner.handouts import pdf_cache, words
from planner.handouts.block import exercise_block, least_picture_share
from planner.handouts.closing import (
    headed_sheet,
    names_whole,
    one_page_sheet,
    room_for_tips,
    sheet_under_last,
    tips_join_sheet,
    tips_list,
    tips_over_two,
    tips_panel,
)
from planner.handouts.compact import fewer_pages
from planner.handouts.content import HandoutContent, given_content, handout_content
from planner.handouts.filling import Setting, ends_front, headings_kept, pages_filled
from planner.handouts.front import first_pushed_off, front_top, front_whole, lead_pushed_off
from planner.handouts.online import online_below_for
from planner.handouts.page_ends import Early, Late, LeadApart
from planner.handouts.pages import PageDecor, canvas_maker
from planner.handouts.para import Para as Paragraph
from planner.handouts.stacking import FLOW_SHARE, Column, Headed, Kept, Listed, frame_height, last_page_of
from planner.handouts.styles import REGULAR, HandoutOptions, Styles, exercises_heading, styles_for
from planner.handouts.text import bold, para_text, plain_text
from planner.handouts.ticks_under import ticks_under_exercises, under_story
from planner.i18n import N_, translator
from planner.languages import handout_language
from planner.models import Program
from planner.models.program import ONE_PER_PAGE
from planner.services.faults import making_handout
from planner.services.given import Given
from planner.services.issuing import paper_changed
from planner.services.patterns import refuse_unset_directions

MARGIN = 0.5 * inch


def build_handout(
    session: Session,
    program: Program,
    now: datetime,
    online_url: str | None = None,
    options: HandoutOptions = HandoutOptions(),
    language: str | None = None,
    reuse: bool = False,
) -> bytes:
    """The program's handout as PDF bytes; the same program gives the same bytes.

    `online_url`, when given, adds a QR code and the short address of the patient's online copy.
    `language` (a code such as "es") sets the language the words, dates, exercises and the
    PDF's /Lang follow; by default the patient's handout language (their preferred language
    when it is one of `options.languages`, else English: planner.languages.handout_language).
    `options` are the app's [handouts] settings (planner.settings; the default is config.toml's
    as shipped: letter, English only).
    Does not issue the version: callers that print, email or export call issuing.issue.
    `reuse` (for pages asked for again and again): a handout made before in this process from
    equal content and options is not laid out again (handouts/pdf_cache.py: kept by a digest of
    all it shows, so never stale).
    :raise DirectionsNotSet: (a DomainError naming the exercises) while a direction-specific
        exercise has no side: no handout ever tells a patient to move without saying which way.
    :raise HandoutNotMade: (a DomainError naming the program, the patient and a reference) for
        any other fault while it is made, a bad [handouts] setting too; the fault is logged once,
        with its traceback, under that reference (services/faults.making_handout).
    """
    with making_handout(program.id, program.title, program.patient.name):
        refuse_unset_directions(program)
        language = language or handout_language(program.patient.language, options.languages)
        content = handout_content(session, program, now, online_url, language)
        if not reuse:
            return render(content, options)
        return pdf_cache.made(content, options, lambda: render(content, options))


def build_given_handout(
    session: Session,
    handed: Given,
    now: datetime,
    online_url: str | None = None,
    options: HandoutOptions = HandoutOptions(),
    language: str | None = None,
) -> bytes:
    """The handout of a version given to the patient (given.Given), as that version's paper said
    it: the phone page's PDF, which never shows an edit not given yet. Made once per process for
    equal content (pdf_cache, as `reuse` in build_handout). Arguments as for build_handout.

    :raise HandoutNotMade: as build_handout, naming the title that version printed.
    """
    with making_handout(handed.program.id, handed.title, handed.program.patient.name):
        language = language or handout_language(handed.program.patient.language, options.languages)
        content = given_content(session, handed, now, online_url, language)
        return pdf_cache.made(content, options, lambda: render(content, options))


# What every page of a preview says (build_preview), in the handout's language and, when that is
# another, in English too: the therapist who reads the preview reads English (the app's pages).
PREVIEW = N_("Preview only. Not given to the patient yet.")


PREVIEW_ENGLISH = "Preview only. Not given yet."  # beside another language's mark: short, so both fit one line


def build_preview(
    session: Session,
    program: Program,
    now: datetime,
    options: HandoutOptions = HandoutOptions(),
    language: str | None = None,
    online_url: str | None = None,
) -> bytes:
    """The program's handout as it is now, for the therapist to look at before giving it: the
    paper build_handout makes, every page marked "Preview only" (PREVIEW), its date line the
    paper's, with the version number a print now gives, and, for a patient with a phone link
    (`online_url`, as a print passes it), a framed box saying the QR code prints there
    (QR_ON_PAPER) in the code's room: no QR code goes out, and the preview pages as the paper.
    Nothing is given: the caller issues no version, so the phone page never shows it.

    :raise DirectionsNotSet: as build_handout.
    :raise HandoutNotMade: as build_handout, saying that nothing was given (`preview` set).
    """
    with making_handout(program.id, program.title, program.patient.name, preview=True):
        refuse_unset_directions(program)
        language = language or handout_language(program.patient.language, options.languages)
        # Numbered as the version a print now gives: the next one when the paper changed since given.
        content = handout_content(
            session, program, now, online_url, language, next_version=paper_changed(session, program)
        )
        return render(dataclasses.replace(content, preview=True), options)


def render(content: HandoutContent, options: HandoutOptions) -> bytes:
    """Lay out and write the PDF on the clinic's paper (content.paper_size), else the site's
    (options.page_size). :raise KeyError: for an unknown page size."""
    styles = styles_for(options.size_for(content.large_print))
    page_width, page_height = options.page_for(content.paper_size)
    width = page_width - 2 * MARGIN
    owner = " · ".join(v for v in (content.patient_name, content.title) if v)
    decor = PageDecor(
        styles=styles,
        left=MARGIN,
        width=width,
        bottom=MARGIN * 0.75,
        top=page_height - MARGIN * 0.6,
        owner=owner,
        phone=content.clinic_phone,
        moment=content.version_moment,
        words=words.of(content.language),
        mark=translator(content.language).gettext(PREVIEW) if content.preview else "",
        mark_english=PREVIEW_ENGLISH
        if content.preview and translator(content.language).gettext(PREVIEW) != PREVIEW
        else "",
    )
    # 0.35 of the type size between the body and the footer's rule (was 0.5): the stop rule
    # under it is at body size (pages.PageDecor._safety), and this gap gives back the height
    # that took (no handout of the layout tests takes a page more).
    bottom = decor.footer_height() + styles.size * 0.35
    top = MARGIN * 0.6 + decor.header_height()
    room = page_height - top - bottom
    # The front page has no running header (its clinic lines head it): its frame starts higher.
    first_room = room + decor.header_height()
    lay = functools.partial(_laid, content, styles, (page_width, page_height), (top, bottom), (room, first_room), decor)
    laid = lay(FLOW_SHARE)
    share = _long_tip_share(content, styles, width, room)
    if share is not None:
        # A long tip (the therapist's own, 300-1,500 characters) kept whole, or broken at a line
        # as a tip taller than half a page is: the way with fewer pages (trial 36, F6: 1,500
        # characters took a page more than 2,000, which broke at a line).
        broken = lay(share)
        if broken[1] < laid[1]:
            return broken[0]
    return laid[0]


LONG_TIP_LINES = 5  # a tip of this many lines or more may break at a line where that saves a page


def _long_tip_share(content: HandoutContent, styles: Styles, width: float, room: float) -> float | None:
    """The share of a page (`room`, pt) under the tallest tip, where it is LONG_TIP_LINES lines
    or more but no taller than half a page: kept whole or broken at a line, the two may take
    different pages. None where there is no such tip."""
    tips = tips_list(content, styles, room)
    tallest = max((item.wrap(width, 1e6)[1] for item in tips.items), default=0.0) if tips is not None else 0.0
    if LONG_TIP_LINES * styles.bullet.leading - 1e-6 <= tallest <= room * FLOW_SHARE:
        return (tallest - 1e-3) / room
    return None


def _laid(
    content: HandoutContent,
    styles: Styles,
    page: tuple[float, float],
    margins: tuple[float, float],
    rooms: tuple[float, float],
    decor: PageDecor,
    flow_share: float,
) -> tuple[bytes, int]:
    """The PDF laid out on `page` (width, height, pt), the body between the `margins` (top,
    bottom), a page holding `rooms` (others, the front page's), and its page count."""
    (page_width, page_height), (top, bottom), (room, first_room) = page, margins, rooms
    width = page_width - 2 * MARGIN
    out = io.BytesIO()
    doc = BaseDocTemplate(
        out,
        pagesize=(page_width, page_height),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=top,
        bottomMargin=bottom,
        title=plain_text(content.title),
        author=plain_text(content.clinic_name),
        subject=translator(content.language).gettext("Home exercise program"),
        creator="Home Exercise Planner",
        invariant=1,
        pageCompression=1,
        # The document's language only: reportlab writes no tagged PDF (no structure tree, no marked
        # content with its own /Lang), so a part in another language (ExerciseBlock.text_language)
        # cannot say so inside the PDF; the phone page marks it (lang) instead.
        lang=content.language,
        initialFontName=REGULAR,
        initialFontSize=styles.size,
    )
    doc.addPageTemplates(
        [
            PageTemplate(id="first", frames=[_frame(bottom, width, first_room)], autoNextPageTemplate="page"),
            PageTemplate(id="page", frames=[_frame(bottom, width, room)]),
        ]
    )
    doc.build(story(content, styles, width, room, first_room, flow_share), canvasmaker=canvas_maker(decor))
    return out.getvalue(), doc.page


def _frame(bottom: float, width: float, height: float) -> Frame:
    return Frame(MARGIN, bottom, width, height, id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


def story(
    content: HandoutContent,
    styles: Styles,
    width: float,
    page_room: float,
    first_room: float | None = None,
    flow_share: float = FLOW_SHARE,
) -> list[Flowable]:
    """The handout from top to bottom; `page_room` is the height a page holds, `first_room` the
    front page's (taller: it has no running header; by default `page_room`), in points; a tip
    taller than `flow_share` of a page breaks at a line (closing.tips_list).

    Compact (the default layout): a short front page (who, whom to call, how often and how
    long, the safety rule), the exercises right under it and on, two or more a page, the tips
    at the foot of the first page an exercise leaves room on and the next does not fit (else
    after the last exercise), then the tick sheet, whole on one page (only a sheet taller than
    a page breaks, between rows, its heading and header repeated); where another way saves a
    page, that one (fewer_pages: the tips, in a framed panel, and the QR code may then go at the
    foot of a later page the exercises leave room on, at_page_feet). In large print an exercise
    fills most of a page: each has its own week of tick boxes under it instead of a sheet at the
    end, so the front page and a page an exercise are all the paper (ticks_under_exercises).
    One exercise a page (content.layout "page"): each exercise starts a page, the tips follow
    the last (or the front page, where it has room; never alone on a page where an exercise's
    page has room for them in a panel), and the tick sheet under the last where it fits there,
    else on a page of its own.
    """
    one_per_page = content.layout == ONE_PER_PAGE
    under = ticks_under_exercises(content)
    said = words.of(content.language)
    first_room = first_room or page_room

    @functools.cache
    def front_page(qr: bool, tight: int = 0) -> Column:
        # The front page is a column: it breaks like text when it is longer than a page.
        return Column(headings_kept(front_top(content, styles, width, qr, tight), page_room))

    front = front_page(content.online_url is not None)
    flow: list[Flowable] = [front]
    # The tips whole, where they fit: never one tip alone.
    tips = tips_list(content, styles, page_room, flow_share)
    went = [False]
    below: Flowable | None = None
    if content.exercises:
        # The section heading and how to do the exercises travel inside the first block, so they
        # are never left alone at a page end.
        count = len(content.exercises)
        heading, how_to_use = said.lead(count)
        lead: list[Flowable] = [
            Paragraph(para_text(heading), exercises_heading(styles)),
            Paragraph(bold(para_text(how_to_use)), styles.body),
        ]
        if under:
            # Large print: how to use them, without the heading (the first exercise's own rule
            # and name start the exercises), so it fits a page with the first one or the front;

            lead = [Paragraph(bold(para_text(said.lead(count, "below")[1])), _lead_first(styles))]
            if any(len(block.due_days) < 7 for block in content.exercises):
                lead.append(Paragraph(para_text(said.rest_day), styles.body))

        setting = Setting(content, styles, width, page_room, first_room, front_page, tips, said)

        def block_of(index: int, lead: list[Flowable], largest: float | None = None, alone: bool = False) -> Flowable:
            """The block of content.exercises[index], led by `lead` if it is the first, its picture
            at most `largest` of the line, `alone` on its page (exercise_block)."""
            block = content.exercises[index]
            first = lead if block.number == 1 else []
            return exercise_block(block, styles, width, page_room, first, not one_per_page, under, largest, alone)

        def blocks_for(lead: list[Flowable], count: int | None = None) -> list[Flowable]:
            """The first `count` exercises' blocks (all by default), the first with `lead`. One
            exercise a page: each but the last (which the tips may follow) alone on its page."""
            count = len(content.exercises[:count])
            return [block_of(index, lead, None, one_per_page and index < count - 1) for index in range(count)]

        if under:
            return under_story(setting, block_of, lead)
        blocks = blocks_for(lead)
        if not one_per_page:

            def first_of(plain: bool, sheet_first: bool) -> Flowable:
                """The first exercise led by how to do them, where the tick sheet is (at the end,
                or on the front page with `sheet_first`), with the heading "Your exercises" or
                without it (`plain`, as in large print): ways to weigh where they save a page."""
                how = bold(para_text(said.lead(count, "front" if sheet_first else "end")[1]))
                if plain:
                    return block_of(0, [Paragraph(how, _lead_first(styles))])
                return block_of(0, [lead[0], Paragraph(how, styles.body)])

            fewer = fewer_pages(setting, blocks, first_of)
            if fewer is not None:
                return names_whole(fewer, width, first_room, page_room)
        if content.online_url and (
            lead_pushed_off(front, front_page(False), blocks[0], width, first_room, page_room)
            if isinstance(blocks[0], LeadApart)
            else not one_per_page and first_pushed_off(front, front_page(False), blocks[0], width, first_room)
        ):
            # The QR code would push the first exercise (or the lead it needs at the front page's
            # foot) off the front page it fits on without it (or the front page onto a second):
            # it goes under the tick sheet instead.
            flow[0] = front_page(False)
            below = online_below_for(content, styles, said, width)
        if tips is not None and not one_per_page:
            # Compact: the tips at the foot of the front page where the first exercise leaves it
            # for the next page anyway. Never between two exercises: the patient does them in
            # order. Else after the last one.
            flow.append(Early(tips, blocks[0], went))
        for block in blocks:
            if one_per_page and not isinstance(block, LeadApart):  # LeadApart: after its lead
                flow.append(PageBreak())
            flow.append(block)
    if one_per_page and content.exercises:
        # The front page whole on page 1 (trial 20, F3: a long name and the QR code pushed "How
        # long" and the stop rule to page 2, above the tips: a page more, the facts read apart).
        below = front_whole(setting, flow, below)
    # One exercise a page: the tips in the room the front page leaves empty anyway where they fit
    # there, else under the last exercise where they fit, else at the top of the tick sheet's page
    # where they fit a page with it, else in a panel at the foot of an exercise's page; else made
    # room for (room_for_tips). Never alone on a page (trial 20, F1).
    tips_with_sheet = False
    sheet: Headed | None = None
    on_front: Flowable | None = None  # the tips, where they went on the front page
    if one_per_page and tips is not None and content.exercises:
        # Not where they take the room the first exercise's lead needs there (LeadApart). A
        # front page longer than a page (a long name in large print) ends on page 2: there, under
        # its last rows (page 2 held only them and the lead, its lower half empty).
        lead_apart = [blocks[0].lead] if isinstance(blocks[0], LeadApart) else []
        if frame_height([flow[0], tips, *lead_apart], width) <= first_room or (
            flow[0].wrap(width, 1e6)[1] > first_room + 1e-6 and ends_front([flow[0], tips, *lead_apart], setting)
        ):
            flow.insert(1, tips)
            on_front, tips = tips, None
        else:
            # (an exercise that goes on over pages: its last page, where the tips may go under it;
            # trial 34, F1: a note's last lines 40 % of page 19, one tip alone on page 20)
            tips_with_sheet = frame_height([last_page_of(blocks[-1], width, page_room), tips], width) > page_room
            sheet = one_page_sheet(setting, below)
            if (joined := _tips_on_with_sheet(setting, flow, blocks, block_of, lead, tips, sheet)) is not None:
                return [*flow, *joined]
            if tips_with_sheet and frame_height([sheet], width) <= page_room < frame_height([tips, sheet], width):
                # Over a sheet they do not fit a page with, the tips took a page of their own:
                # in a framed panel at the foot of the last exercise's page with room for them.
                panel = tips_panel(content, styles, page_room)
                roomy = [
                    block
                    for block in blocks
                    if not isinstance(block, LeadApart)
                    and frame_height([last_page_of(block, width, page_room), panel], width) <= page_room
                ]
                if roomy:
                    flow.insert(flow.index(roomy[-1]) + 1, panel)
                    tips = None
                else:
                    made = room_for_tips(setting, flow, blocks, block_of, lead, tips, sheet, below)
                    if made is not None:
                        where, sheet, tips = made
                        tips_with_sheet = where in ("sheet", "split")
                        if where == "front":
                            on_front, tips = tips, None
                        elif where == "panel":
                            tips = None
            if (
                tips is not None
                and tips_with_sheet
                and below is not None
                and frame_height([tips, sheet], width) > page_room + 1e-6
                and frame_height([tips, below], width) <= page_room + 1e-6
            ):
                # No room made: the QR code goes from under the sheet to the tips' page, so that
                # page holds both, never the tips alone (a sheet with the QR code that fills
                # its page, or breaks over two for it). Only where the two fit that page: tips
                # that fill a page of their own (all twelve and the therapist's own) are not
                # alone there, and the QR code after them took a page alone (trial 21, F3).
                bare = one_page_sheet(setting, None)
                if frame_height([bare], width) <= page_room + 1e-6:
                    tips, sheet = Kept([tips, below], page_room), bare
    late: Late | None = None  # the tips after the last exercise
    if tips is not None and not tips_with_sheet:
        late = Late(tips, went)
        flow.append(late)
    if content.exercises:
        sheet = sheet or (one_page_sheet(setting, below) if one_per_page else None)
        sheet = sheet or headed_sheet(content, styles, width, page_room, said, below)
        if one_per_page:
            # The tick sheet starts a page, unless it fits under the last exercise (and what
            # follows it there: the tips, their panel): a one-row sheet took a page of its own,
            # 15 % of it (trial 17, F4).
            # A sheet taller than a page starts there only where that takes a page less (its
            # rows then break as evenly as their pages allow: Headed, Grid.split).
            last = blocks[-1].block if isinstance(blocks[-1], LeadApart) else blocks[-1]
            after = flow[flow.index(blocks[-1]) + 1 :]
            ending = [last_page_of(last, width, page_room), *after, sheet]
            if not tips_with_sheet and frame_height(ending, width) > page_room + 1e-6:
                last, sheet = sheet_under_last(setting, flow, blocks, block_of, lead, sheet, below)
                ending = [last_page_of(last, width, page_room), *after, sheet]
            if (tips is not None and tips_with_sheet) or (
                frame_height(ending, width) > page_room + 1e-6 and frame_height([sheet], width) <= page_room + 1e-6
            ):
                flow.append(PageBreak())
                # The sheet alone on the last page, most of it empty (trial 18, F2: one or two
                # exercises at 18 pt fit under no exercise; note 17: 6, 7, 10, 12 exercises): the
                # tips go there, above it, from the front page, which then keeps its facts
                # alone, or from under the last exercise, where the two fit that page.
                place, moved = (late, tips) if late is not None else (on_front, on_front)
                if place is not None and moved is not None and tips_join_sheet(moved, sheet, width, page_room):
                    flow.remove(place)
                    tips, tips_with_sheet = moved, True
                elif not tips_with_sheet and (
                    sheet_first := _sheet_on_front(setting, flow, blocks, block_of, lead, sheet)
                ):
                    # Nothing to go above it: the sheet on the front page where it fits there
                    # (trial 35 of the grid: one exercise at 18 pt, a one-row sheet alone on page 3).
                    return sheet_first
        if tips is not None and tips_with_sheet:
            # Tips taller than a page: broken where the rest fit the sheet's page (trial 22, N2:
            # the frame broke them where the page ended, the last tip alone over the sheet);
            # the first part under the last exercise where its last page holds it (trial 36, F3:
            # the tips' heading and two tips a page of their own, the page before 40 % empty).
            split = (
                one_per_page
                and isinstance(flow[-1], PageBreak)
                and _tips_under_last(flow, blocks, tips, sheet, setting)
            )
            if split:
                flow[-1:] = split
            elif one_per_page and (over := tips_over_two(tips, sheet, width, page_room)):
                flow += over
            elif (
                one_per_page
                and isinstance(flow[-1], PageBreak)
                and _tips_on_from_last(flow, blocks, tips, sheet, setting)
            ):
                # Tips that break anyway, over a sheet that takes a page of its own: from under
                # the last exercise, where that takes a page less (trial 37, F1: every tip and
                # 1,000 characters filled a page after exercise 9's, half empty, and left
                # "(continued)" and 2 lines alone on the next).
                flow[-1:] = [tips]
            else:
                flow.append(tips)
        flow.append(sheet)
    return flow


def _tips_on_from_last(
    flow: list[Flowable], blocks: list[Flowable], tips: Flowable, sheet: Flowable, setting: Setting
) -> bool:
    """One a page: whether the tips then the tick sheet take fewer pages starting under the last
    exercise, on its last page, than from the top of the next (the page break `flow` ends
    with), as the frame breaks them (filling.pages_filled; False where a piece fits no page)."""
    width, page_room = setting.width, setting.page_room
    below = pages_filled([*_under_last(flow, blocks, setting), tips, sheet], width, page_room, page_room)
    apart = pages_filled([Spacer(1, 0), tips, sheet], width, page_room, page_room)
    return below is not None and apart is not None and len(below) - 1 < len(apart)


def _tips_under_last(
    flow: list[Flowable], blocks: list[Flowable], tips: Flowable, sheet: Flowable, setting: Setting
) -> list[Flowable] | None:
    """One a page: tips broken between whole tips (tips_over_two), the first part under the last
    exercise, on its last page, the rest starting the tick sheet's page, for the page break
    `flow` ends with; None where that page does not hold the first part."""
    split = tips_over_two(tips, sheet, setting.width, setting.page_room, _under_last(flow, blocks, setting))
    return None if split is None else [split[0], PageBreak(), split[-1]]


def _under_last(flow: list[Flowable], blocks: list[Flowable], setting: Setting) -> list[Flowable]:
    """What the last exercise's last page holds before the page break `flow` ends with: that
    page's piece of the exercise (last_page_of) and what follows it there."""
    last = blocks[-1].block if isinstance(blocks[-1], LeadApart) else blocks[-1]
    return [last_page_of(last, setting.width, setting.page_room), *flow[flow.index(blocks[-1]) + 1 : -1]]


def _tips_on_with_sheet(
    setting: Setting,
    flow: list[Flowable],
    blocks: list[Flowable],
    block_of: Callable[..., Flowable],
    lead: list[Flowable],
    tips: Flowable,
    sheet: Flowable,
) -> list[Flowable] | None:
    """One a page: the tips and the tick sheet as one Flowing that starts under the last
    exercise, the tips broken at a line and going on with the sheet, where the tips hold a tip
    taller than half a page (the therapist's own, 1,000-2,000 characters) and no break between
    whole tips puts the rest with the sheet (trial 35, F2: the tips a page of their own after the
    last exercise's page 30 % empty, the sheet alone on the next, 80 % empty): what goes after
    `flow`. Measured as the frame would break it: None where a piece is taller than a page
    (trial 36, F1: the sheet, its "(continued)" and the lines kept with it taller than a page, a
    LayoutError). The last exercise's picture at its least where that takes fewer pages (`flow`
    and `blocks` changed so: trial 36, F6, one tip and 1,000 characters took a page more than
    two tips, whose first part went under it so), and the two from the top of the next page
    where that does (the last exercise leaves too little room for the tips' start)."""
    width, page_room = setting.width, setting.page_room
    if not (isinstance(tips, Listed) and tips.flows(width)):
        return None
    if frame_height([sheet], width) > page_room + 1e-6 or tips_over_two(tips, sheet, width, page_room) is not None:
        return None
    joined = tips.flowing_with(sheet)
    last = blocks[-1]
    ways = [last]
    if not isinstance(last, LeadApart):
        smaller = block_of(len(blocks) - 1, lead, least_picture_share(setting.styles.size), False)
        if isinstance(smaller, Kept) and smaller.wrap(width, 1e6)[1] < last.wrap(width, 1e6)[1] - 0.01:
            ways.append(smaller)
    best: tuple[int, Flowable, list[Flowable]] | None = None
    for block in ways:
        end = last_page_of(block.block if isinstance(block, LeadApart) else block, width, page_room)
        filled = pages_filled([end, joined], width, page_room, page_room)
        if filled is None:
            continue
        fresh = 1 + joined.pages(width)
        taken, after = (fresh, [PageBreak(), joined]) if fresh < len(filled) else (len(filled), [joined])
        if best is None or taken < best[0]:  # the larger picture at equal pages
            best = (taken, block, after)
    if best is None:
        return None
    if best[1] is not last:
        flow[flow.index(last)] = blocks[-1] = best[1]
    return best[2]


@functools.cache
def _lead_first(styles: Styles) -> ParagraphStyle:
    """How to use the exercises, opening their part: as far under the front page's last line as
    the exercises' heading would be."""
    return styles.body.clone(f"lead-first-{styles.size:g}", spaceBefore=styles.size * 0.6)


def _sheet_on_front(
    setting: Setting,
    flow: list[Flowable],
    blocks: list[Flowable],
    block_of: Callable[..., Flowable],
    lead: list[Flowable],
    sheet: Flowable,
) -> list[Flowable] | None:
    """One a page: `flow` (ending with the page break before the tick sheet) with the sheet at
    the foot of the front page instead, how to tick saying so (words.lead "front"), where the
    front page holds it and the first exercise still fits its page: the sheet alone on the
    last page, most of it empty, was a page more (one exercise at 18 pt, its one row 80 %
    empty). None where it does not fit there."""
    said, styles, width = setting.said, setting.styles, setting.width
    how = Paragraph(bold(para_text(said.lead(len(setting.content.exercises), "front")[1])), styles.body)
    if isinstance(blocks[0], LeadApart):
        # How to do the exercises ends the front page, the first exercise starts the next: the
        # sheet goes under how to do them (trial 36, F2: one exercise at 18 pt, its lead on the
        # front page, the one-row sheet alone on page 3).
        apart = flow.index(blocks[0])
        told = Kept([how], setting.page_room)
        if frame_height([*flow[:apart], told, sheet], width) > setting.first_room + 1e-6:
            return None
        return [*flow[:apart], told, sheet, PageBreak(), blocks[0].block, *flow[apart + 1 : -1]]
    front_end = next((n for n, part in enumerate(flow) if isinstance(part, PageBreak)), None)
    if front_end is None or not lead:
        return None
    if frame_height([*flow[:front_end], sheet], width) > setting.first_room + 1e-6:
        return None
    first = block_of(0, [lead[0], how])
    if not isinstance(first, Kept):
        return None
    story = [*flow[:front_end], sheet, *flow[front_end:-1]]
    story[story.index(blocks[0])] = first
    return story
