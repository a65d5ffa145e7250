"""The handout PDF: a platypus story built from the program, one kept-together block per exercise.

Public API:
- build_handout(session, program, now, online_url=None, options=None) -> bytes
- build_given_handout(session, given, now, online_url=None, options=None) -> bytes, a version given
- build_preview(session, program, now, options=None, language=None, online_url=None) -> bytes, marked "Preview only" (not given)
- render(content, options) -> bytes, for content already read (the bench and the export use it)
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import io
import itertools
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Spacer,
)
from reportlab.platypus.flowables import HRFlowable
from sqlalchemy.orm import Session

from planner.bidi import right_to_left_in
from planner.handouts import pdf_cache, words
from planner.handouts.block import exercise_block, least_picture_share, picture_shares
from planner.handouts.content import HandoutContent, given_content, handout_content
from planner.handouts.flowables import (
    Beside,
    Box,
    Column,
    Early,
    Flowing,
    Headed,
    Kept,
    Late,
    LeadApart,
    Marked,
    Rows,
    fit,
    frame_height,
    line_by_line,
    stack_height,
)
from planner.handouts.flowables import Para as Paragraph
from planner.handouts.pages import PageDecor, canvas_maker
from planner.handouts.qr import Captioned, QrSquare
from planner.handouts.styles import (
    BOLD,
    CAUTION_EDGE,
    REGULAR,
    RULE,
    TYPED,
    HandoutOptions,
    Styles,
    styles_for,
)
from planner.handouts.text import bold, para_text, plain_text
from planner.handouts.ticksheet import WEEK_BLANK, tick_sheet
from planner.i18n import N_, translator
from planner.languages import handout_language
from planner.models import Program
from planner.models.program import ONE_PER_PAGE
from planner.services.faults import making_handout
from planner.services.given import Given
from planner.services.issuing import paper_changed
from planner.services.patterns import refuse_unset_directions

MARGIN = 0.5 * inch
QR_SIZE = 1.3 * inch


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
# In a preview, in the QR code's room (same size, same place), so the preview pages as the paper.
QR_ON_PAPER = N_("The QR code prints here on the paper you are given.")


def _stand_in(content: HandoutContent) -> str:
    """What a preview draws in the QR code's room (QR_ON_PAPER, in the handout's language); ""
    for a paper, which draws the code."""
    return translator(content.language).gettext(QR_ON_PAPER) if content.preview else ""


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
    room = page_height - top - bottom
    # The front page has no running header (its clinic lines head it): its frame starts higher.
    first_room = room + decor.header_height()
    doc.addPageTemplates(
        [
            PageTemplate(id="first", frames=[_frame(bottom, width, first_room)], autoNextPageTemplate="page"),
            PageTemplate(id="page", frames=[_frame(bottom, width, room)]),
        ]
    )
    doc.build(story(content, styles, width, room, first_room), canvasmaker=canvas_maker(decor))
    return out.getvalue()


def _frame(bottom: float, width: float, height: float) -> Frame:
    return Frame(MARGIN, bottom, width, height, id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


def story(
    content: HandoutContent, styles: Styles, width: float, page_room: float, first_room: float | None = None
) -> list[Flowable]:
    """The handout from top to bottom; `page_room` is the height a page holds, `first_room` the
    front page's (taller: it has no running header; by default `page_room`), in points.

    Compact (the default layout): a short front page (who, whom to call, how often and how
    long, the safety rule), the exercises right under it and on, two or more a page, the tips
    at the foot of the first page an exercise leaves room on and the next does not fit (else
    after the last exercise), then the tick sheet, whole on one page (only a sheet taller than
    a page breaks, between rows, its heading and header repeated); where another way saves a
    page, that one (_fewer_pages: the tips, in a framed panel, and the QR code may then go at the
    foot of a later page the exercises leave room on, _at_page_feet). In large print an exercise
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
        return Column(_headings_kept(_front(content, styles, width, qr, tight), page_room))

    front = front_page(content.online_url is not None)
    flow: list[Flowable] = [front]
    closing = _headings_kept(_tips(content, styles), page_room)
    # The tips whole, where they fit: never one tip alone.
    tips = Kept(closing, page_room) if closing else None
    went = [False]
    below: Flowable | None = None
    if content.exercises:
        # The section heading and how to do the exercises travel inside the first block, so they
        # are never left alone at a page end.
        lead: list[Flowable] = [
            Paragraph(para_text(said.headings["exercises"]), _exercises_heading(styles)),
            Paragraph(bold(para_text(said.how_to_use)), styles.body),
        ]
        if under:
            # Large print: how to use them, without the heading (the first exercise's own rule
            # and name start the exercises), so it fits a page with the first one or the front;

            lead = [Paragraph(bold(para_text(said.how_to_use_below)), _lead_first(styles))]
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
            return _under(setting, block_of, lead)
        blocks = blocks_for(lead)
        if not one_per_page:

            def first_of(plain: bool, sheet_first: bool) -> Flowable:
                """The first exercise led by how to do them, where the tick sheet is (at the end,
                or on the front page with `sheet_first`), with the heading "Your exercises" or
                without it (`plain`, as in large print): ways to weigh where they save a page."""
                how = bold(para_text(said.how_to_use_sheet_first if sheet_first else said.how_to_use))
                if plain:
                    return block_of(0, [Paragraph(how, _lead_first(styles))])
                return block_of(0, [lead[0], Paragraph(how, styles.body)])

            fewer = _fewer_pages(setting, blocks, first_of)
            if fewer is not None:
                return fewer
        if content.online_url and (
            _lead_pushed_off(front, front_page(False), blocks[0], width, first_room, page_room)
            if isinstance(blocks[0], LeadApart)
            else not one_per_page and _first_pushed_off(front, front_page(False), blocks[0], width, first_room)
        ):
            # The QR code would push the first exercise (or the lead it needs at the front page's
            # foot) off the front page it fits on without it (or the front page onto a second):
            # it goes under the tick sheet instead.
            flow[0] = front_page(False)
            below = _online_below(content.online_url, styles, said, width, stand_in=_stand_in(content))
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
        below = _front_whole(setting, flow, below)
    # One exercise a page: the tips in the room the front page leaves empty anyway where they fit
    # there, else under the last exercise where they fit, else at the top of the tick sheet's page
    # where they fit a page with it, else in a panel at the foot of an exercise's page; else made
    # room for (_room_for_tips). Never alone on a page (trial 20, F1).
    tips_with_sheet = False
    sheet: Headed | None = None
    on_front: Flowable | None = None  # the tips, where they went on the front page
    if one_per_page and tips is not None and content.exercises:
        # Not where they take the room the first exercise's lead needs there (LeadApart). A
        # front page longer than a page (a long name in large print) ends on page 2: there, under
        # its last rows (page 2 held only them and the lead, its lower half empty).
        lead_apart = [blocks[0].lead] if isinstance(blocks[0], LeadApart) else []
        if frame_height([flow[0], tips, *lead_apart], width) <= first_room or (
            flow[0].wrap(width, 1e6)[1] > first_room + 1e-6 and _ends_front([flow[0], tips, *lead_apart], setting)
        ):
            flow.insert(1, tips)
            on_front, tips = tips, None
        else:
            tips_with_sheet = frame_height([blocks[-1], tips], width) > page_room
            sheet = _one_page_sheet(setting, below)
            if tips_with_sheet and frame_height([sheet], width) <= page_room < frame_height([tips, sheet], width):
                # Over a sheet they do not fit a page with, the tips took a page of their own:
                # in a framed panel at the foot of the last exercise's page with room for them.
                panel = _tips_panel(content, styles, page_room)
                roomy = [
                    block
                    for block in blocks
                    if not isinstance(block, LeadApart) and frame_height([block, panel], width) <= page_room
                ]
                if roomy:
                    flow.insert(flow.index(roomy[-1]) + 1, panel)
                    tips = None
                else:
                    made = _room_for_tips(setting, flow, blocks, block_of, lead, tips, sheet, below)
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
            ):
                # No room made: the QR code goes from under the sheet to the tips' page, so that
                # page holds both, never the tips alone (a sheet with the QR code that fills
                # its page, or breaks over two for it).
                bare = _one_page_sheet(setting, None)
                if frame_height([bare], width) <= page_room + 1e-6:
                    tips, sheet = Kept([tips, below], page_room), bare
    if tips is not None and not tips_with_sheet:
        flow.append(Late(tips, went))
    if content.exercises:
        sheet = sheet or (_one_page_sheet(setting, below) if one_per_page else None)
        sheet = sheet or _sheet(content, styles, width, page_room, said, below)
        if one_per_page:
            # The tick sheet starts a page, unless it fits under the last exercise (and what
            # follows it there: the tips, their panel): a one-row sheet took a page of its own,
            # 15 % of it (trial 17, F4).
            # A sheet taller than a page starts there only where that takes a page less (its
            # rows then break as evenly as their pages allow: Headed, Grid.split).
            last = blocks[-1].block if isinstance(blocks[-1], LeadApart) else blocks[-1]
            after = flow[flow.index(blocks[-1]) + 1 :]
            ending = [last, *after, sheet]
            if not tips_with_sheet and frame_height(ending, width) > page_room + 1e-6:
                last, sheet = _sheet_under_last(setting, flow, blocks, block_of, lead, sheet, below)
                ending = [last, *after, sheet]
            if (tips is not None and tips_with_sheet) or (
                frame_height(ending, width) > page_room + 1e-6 and frame_height([sheet], width) <= page_room + 1e-6
            ):
                flow.append(PageBreak())
                if on_front is not None and _tips_join_sheet(on_front, sheet, width, page_room):
                    # A sheet of a few rows alone on the last page, most of it empty (trial 18, F2:
                    # one or two exercises at 18 pt fit under no exercise): the tips go there,
                    # above it, from the front page, which then keeps its facts alone.
                    flow.remove(on_front)
                    tips, tips_with_sheet = on_front, True
        if tips is not None and tips_with_sheet:
            flow.append(tips)
        flow.append(sheet)
    return flow


def _front_whole(setting: Setting, flow: list[Flowable], below: Flowable | None) -> Flowable | None:
    """One a page: the front page (flow[0]) whole on page 1 where as set it goes on to page 2:
    its longer facts full width led by their labels (`tight`, _front), else the QR code under the
    tick sheet where the two fit a page (returned: the new `below`), else both, else with a long
    name full width too (`tight` 2); as it was where none fits. `flow` changed."""
    content, width, room = setting.content, setting.width, setting.first_room
    if flow[0].wrap(width, 1e6)[1] <= room + 1e-6:
        return below
    qr = below is None and content.online_url is not None
    moved = below
    lead = [flow[1].lead] if len(flow) > 1 and isinstance(flow[1], LeadApart) else []
    if qr and content.online_url:
        said, styles = setting.said, setting.styles
        moved = _online_below(content.online_url, styles, said, width, stand_in=_stand_in(content))
        if frame_height([_one_page_sheet(setting, moved)], width) > setting.page_room + 1e-6:
            moved = None  # the sheet with the QR code under it would break over two pages
    for on_front, tight in [*([(True, 1)] if qr else []), (False, 0), (False, 1), (False, 2)]:
        front = setting.front_page(on_front, tight)
        # With the first exercise's lead (LeadApart) under it: else the lead would start page 2
        # and the exercise break over pages (the front page then ends on page 2 with the lead).
        if (on_front or not qr or moved is not None) and frame_height([front, *lead], width) <= room + 1e-6:
            flow[0] = front
            return below if on_front or not qr else moved
    return below


def _room_for_tips(
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
    front page with its longer facts full width (_front `tight`: "front"); under the last exercise
    with its picture at its least ("last"); in a panel at the foot of the last exercise's page
    that holds it with its picture at its least ("panel"). Pictures never below their least
    (least_picture_share: still larger than at 14 pt). Returns (where, the sheet), `flow` and
    `blocks` changed so; None where nothing makes room (`flow` unchanged)."""
    content, styles, width, page_room = setting.content, setting.styles, setting.width, setting.page_room
    short = _sheet(content, styles, width, page_room, setting.said, below, short=True)
    if frame_height([tips, short], width) <= page_room + 1e-6:
        return "sheet", short, tips
    lead_apart = [blocks[0].lead] if isinstance(blocks[0], LeadApart) else []
    front = setting.front_page(below is None and content.online_url is not None, True)
    if front is not flow[0] and frame_height([front, tips, *lead_apart], width) <= setting.first_room + 1e-6:
        flow[0] = front
        flow.insert(1, tips)
        return "front", sheet, tips
    least = least_picture_share(styles.size)
    last = len(blocks) - 1
    panel = _tips_panel(content, styles, page_room)
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
    # between two tips (the most that fit under the exercise): the pages they would take alone.
    parts = tips.parts if isinstance(tips, Kept) else []
    block = blocks[last]
    if isinstance(block, LeadApart):
        return None
    smaller = block_of(last, lead, least, False)
    for exercise, tried, cut in itertools.product((block, smaller), (sheet, short), range(len(parts) - 1, 0, -1)):
        head, rest = Kept(parts[:cut], page_room), Kept(parts[cut:], page_room)
        if frame_height([exercise, head], width) <= page_room + 1e-6 >= frame_height([rest, tried], width):
            flow[flow.index(block)] = exercise
            blocks[last] = exercise
            flow.insert(flow.index(exercise) + 1, head)
            return "split", tried, rest
    return None


def _one_page_sheet(setting: Setting, below: Flowable | None) -> Headed:
    """One a page: the tick sheet with its names whole, or cut short to a line each where only
    then it fits one page (whole, not broken over two: a page less)."""
    content, styles, width, page_room = setting.content, setting.styles, setting.width, setting.page_room
    sheet = _sheet(content, styles, width, page_room, setting.said, below)
    if frame_height([sheet], width) <= page_room + 1e-6:
        return sheet
    short = _sheet(content, styles, width, page_room, setting.said, below, short=True)
    return short if frame_height([short], width) <= page_room + 1e-6 else sheet


def _tips_join_sheet(tips: Flowable, sheet: Flowable, width: float, page_room: float) -> bool:
    """Whether the tips go above a tick sheet that takes a page of its own, one a page: where
    the sheet fills less than half that page (a page all but empty: a few rows) and the two fit
    it together. A sheet that fills a page keeps it; the tips stay on the front page."""
    return frame_height([sheet], width) < page_room / 2 and frame_height([tips, sheet], width) <= page_room + 1e-6


def _sheet_under_last(
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
    short = _sheet(content, styles, width, page_room, setting.said, below, short=True)
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
            return block, tried
    return last, sheet


def _sheet(
    content: HandoutContent,
    styles: Styles,
    width: float,
    page_room: float,
    said: words.Words,
    below: Flowable | None,
    short: bool = False,
) -> Headed:
    """The tick sheet whole on one page, with its heading and lines and the QR code `below` it
    (on the page before it where it fits there). Only a sheet taller than a page breaks: its
    heading with its first rows, the QR code with its last, the heading and the header row
    repeated on the next page. `short`: a row a line, the names cut short (ticksheet.tick_sheet)."""
    sheet = tick_sheet(content.exercises, styles, width, said, page_room, short)
    return Headed(
        sheet[:-1],
        sheet[-1],
        [below] if below is not None else [],
        page_room,
        lambda: Paragraph(para_text(said.headings["tick_sheet_continued"]), _continued_heading(styles)),
    )


@dataclasses.dataclass(frozen=True)
class Setting:
    """What every way of setting a story is weighed with (_fewer_pages, _under): the content, its
    styles, the line's `width`, the heights a page and the front page hold (`page_room`,
    `first_room`, pt), the front page with or without the QR code (`front_page(qr, tight)`;
    `tight`: its facts longer than a line full width, led by their labels: _front), the tips
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


def _fewer_pages(
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
    framed panel (_tips_panel), and the QR code where it is not on the front page, at the foot of
    the last page with room for them (_at_page_feet): between two pages' exercises, not two of
    one page's. Never a last page with the tips alone or the QR code alone; where the sheet
    would be alone on the last page (an odd number of exercises, two a page after the front
    page's: most of that page empty), the tips above it there (`join`), else another way of as
    many pages. Measured as a frame places whole blocks (pages_taken), so only where every part
    is one a page holds.
    """
    content, styles, width, said, tips = setting.content, setting.styles, setting.width, setting.said, setting.tips
    page_room, first_room, front_page = setting.page_room, setting.first_room, setting.front_page
    online = content.online_url
    qrs = [True, False] if online else [False]
    fronts = {qr: front_page(qr) for qr in qrs}
    below = _online_below(online, styles, said, width, stand_in=_stand_in(content)) if online else None
    # (qr, short): the QR code on the front page or under the sheet, the names whole or cut short
    sheets = {
        (qr, short): _sheet(content, styles, width, page_room, said, None if qr else below, short)
        for qr in qrs
        for short in (False, True)
    }
    bare_sheets = {short: sheets[bool(online), short] for short in (False, True)}  # no QR code under them
    firsts: dict[tuple[bool, bool], Flowable] = {(False, False): blocks[0]}
    # On the front page, under its last line, the tips' heading as the exercises' heading is set.
    front_tips = Kept(_headings_kept(_tips(content, styles, _exercises_heading(styles)), page_room), page_room)

    joined: dict[tuple[bool, bool], Kept] = {}  # (qr, short): the tips above the sheet, kept together

    def story_of(
        qr: bool, early: bool, plain: bool, sheet_first: bool, short: bool = False, join: bool = False
    ) -> list[Flowable]:
        if (plain, sheet_first) not in firsts:
            firsts[plain, sheet_first] = first_of(plain, sheet_first)
        exercises = [firsts[plain, sheet_first], *blocks[1:]]
        front: list[Flowable] = [fronts[qr]]
        end: list[Flowable] = []
        if tips is not None and not join:
            (front if early else end).append(front_tips if early else tips)
        if sheet_first:
            front.append(bare_sheets[short])
            end += [below] if below is not None and not qr else []
        elif join and tips is not None:
            # The tips above the sheet, on its page: kept together, never a page between them.
            if (qr, short) not in joined:
                joined[qr, short] = Kept([tips, sheets[qr, short]], page_room)
            end.append(joined[qr, short])
        else:
            end.append(sheets[qr, short])
        return [*front, *exercises, *end]

    def alone_at_end(flow: list[Flowable]) -> bool:
        """Whether the last page would hold the tips alone or the QR code alone."""
        starts = page_starts(flow, width, first_room, page_room)
        return starts is not None and flow[starts[-1] :] in ([tips], [below])

    ends_on_sheet = {id(sheet) for sheet in sheets.values()}

    def sheet_alone(flow: list[Flowable], starts: list[int] | None = None) -> bool:
        """Whether the last page would hold the tick sheet alone (and the QR code under it)."""
        starts = starts or page_starts(flow, width, first_room, page_room)
        return starts is not None and starts[-1] == len(flow) - 1 and id(flow[-1]) in ends_on_sheet

    # The usual way, as story() sets it (Early puts the tips on the front page only where the
    # first exercise does not fit under it).
    qr = online is not None and not _first_pushed_off(fronts[True], fronts[False], blocks[0], width, first_room)
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
    panel = _tips_panel(content, styles, page_room) if tips is not None else None
    best: tuple[tuple[int, bool, bool], list[Flowable]] | None = None

    def weigh(pages: int | None, flow: list[Flowable], alone: bool, join: bool = False) -> None:
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
        flow = story_of(*way)
        starts = page_starts(flow, width, first_room, page_room)
        if starts is not None and not alone_at_end(flow):
            weigh(len(starts), flow, sheet_alone(flow, starts))
    # The tips in a panel of their own, and the QR code where it is not on the front page, at
    # the foot of a page the exercises leave room on (the last such page), where they fit
    # nowhere else without a page more: the exercises stay in order, two a page.
    for qr, plain, sheet_first, short in itertools.product(qrs, (False, True), (False, True), (False, True)):
        floating = [panel] if panel is not None else []
        floating += [below] if below is not None and not qr else []
        if not floating:
            break
        bare = [part for part in story_of(qr, False, plain, sheet_first, short) if part not in (tips, below)]
        if not sheet_first and not qr and online:
            bare[-1] = sheets[True, short]  # the sheet without the QR code under it
        floated = _at_page_feet(bare, floating, width, first_room, page_room)
        if floated is not None:
            weigh(floated[1], floated[0], sheet_alone(floated[0]))
    if tips is not None and (usual_alone or (best is not None and best[0][1])):
        # A last page of the sheet alone: the tips above it there, from the front page or the
        # foot of the last exercise's page (as one exercise a page does: _tips_join_sheet), where
        # that takes no page more; before the other ways of as many pages (the sheet on the
        # front page): the exercises stay on their pages, read in the usual order.
        for qr, plain, short in sorted(
            itertools.product(qrs, (False, True), (False, True)), key=lambda w: (w[2], w[1])
        ):
            flow = story_of(qr, False, plain, False, short, join=True)
            weigh(pages_taken(flow, width, first_room, page_room), flow, False, join=True)
    return best[1] if best else None


def _tips_panel(content: HandoutContent, styles: Styles, page_room: float) -> Kept:
    """The tips in a framed panel, for the foot of a page between two exercises: the frame
    sets them apart from the exercise above, so they read as a note, not as its steps."""
    parts = _tips(content, styles, _panel_heading(styles), _close_bullet(styles))
    box = Box(parts, colors.white, edge=RULE, edge_width=1, padding=styles.size * 0.3, space_before=styles.size * 0.25)
    return Kept([box], page_room)


def pages_taken(flow: list[Flowable], width: float, first_room: float, page_room: float) -> int | None:
    """The pages `flow` takes when each part moves on whole to the next page where it does not
    fit (as Kept blocks do), the first page `first_room` high and the others `page_room`, pt;
    None where a part is taller than a page (it would break: not measured here)."""
    starts = page_starts(flow, width, first_room, page_room)
    return None if starts is None else len(starts)


def page_starts(flow: list[Flowable], width: float, first_room: float, page_room: float) -> list[int] | None:
    """Where in `flow` each page starts (the index of its first part), placed as pages_taken
    places it; None where a part is taller than a page."""
    filled = _pages_filled(flow, width, first_room, page_room)
    return None if filled is None else [page.start for page in filled]


@dataclasses.dataclass
class _Filled:
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


def _pages_filled(flow: list[Flowable], width: float, first_room: float, page_room: float) -> list[_Filled] | None:
    """The pages `flow` fills, placed as pages_taken places it; None where a part is taller
    than a page."""
    pages = [_Filled(0, 0.0, first_room, 0.0)]
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
            pages.append(_Filled(0, rest_height, page_room, rest[-1].getSpaceAfter() if rest else 0.0))
            continue
        if index and height > page_room + 1e-6 and isinstance(part, Flowing):
            # An exercise taller than a page (a very long note) breaks where pages end, as the
            # frame breaks it (Flowing.split): the pages it fills are full (no part goes at their
            # foot, between its pieces); the last holds its end, and the parts after it.
            if not _flowed(pages, index, part, width, page_room):
                return None
            continue
        # The front page (the first part) has the front page's room, taller than the others'.
        if height > (first_room if index == 0 else page_room) + 1e-6:
            return None
        page = pages[-1]
        gap = max(page.after, part.getSpaceBefore()) if page.used else 0.0
        if page.used and page.used + gap + height > page.room + 1e-6:
            page = _Filled(index, 0.0, page_room, 0.0)
            pages.append(page)
            gap = 0.0
        page.used += gap + height
        page.after = part.getSpaceAfter()
    return pages


def _flowed(pages: list[_Filled], index: int, part: Flowing, width: float, page_room: float) -> bool:
    """Place `part` (flow[index], a Flowing) on `pages` as the frame breaks it: from the foot of
    the last page, or the next page where it starts there (Flowing.split); False where it does
    not break (a piece taller than a page)."""
    page, rest = pages[-1], part
    while True:
        gap = max(page.after, rest.getSpaceBefore()) if page.used else 0.0
        pieces = rest.split(width, page.room - page.used - gap) if page.room - page.used - gap > 0 else []
        if not pieces:
            if not page.used:
                return False
            page = _Filled(index, 0.0, page_room, 0.0)
            pages.append(page)
            continue
        page.used += gap + pieces[0].wrap(width, 1e6)[1]
        page.after = pieces[0].getSpaceAfter()
        if len(pieces) == 1:
            return True
        page.room = page.used  # full: nothing at its foot, between two pieces of the exercise
        rest, page = pieces[1], _Filled(index, 0.0, page_room, 0.0)
        pages.append(page)


def _at_page_feet(
    flow: list[Flowable],
    floating: list[Flowable],
    width: float,
    first_room: float,
    page_room: float,
    pages: list[_Filled] | None = None,
) -> tuple[list[Flowable], int] | None:
    """`flow` with each of `floating` (the tips panel, the QR code) at the foot of the last page
    that has room for it under its last part, so it takes no page of its own and moves no
    part of `flow` to another page, and the pages it takes; None where one fits on no page, or
    the flow is not one a frame places whole (pages_taken). `pages`: flow's, if measured."""
    pages = pages or _pages_filled(flow, width, first_room, page_room)
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


def ticks_under_exercises(content: HandoutContent) -> bool:
    """Whether each exercise has its week of tick boxes under it instead of a tick sheet at the
    end: in large print, compact layout. There an exercise takes 310-620 pt of a 650 pt page, no
    two share one, and a sheet of 5 to 12 rows (each 30-145 pt) took one or two pages of its own
    more; the boxes under each exercise fit the room its page leaves (50-110 pt)."""
    return content.large_print and content.layout != ONE_PER_PAGE and bool(content.exercises)


def _under(setting: Setting, block_of: Callable[..., Flowable], lead: list[Flowable]) -> list[Flowable]:
    """The story where each exercise has its week of boxes under it (ticks_under_exercises).

    The line for the week's date goes with how to do the exercises, next to the boxes it dates
    (or under the front page's facts, where that saves a page). The front page holds, under its
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
        # (the first and the last as small as _under may set them)
        beside = [block_of(0, [], min(shares)), *middle, block_of(count - 1, [], min(shares))]
        middle = [
            block_of(index, [], None, True) if _alone(beside, index, setting) else middle[index - 1]
            for index in range(1, count - 1)
        ]
    least_of = functools.cache(lambda index: block_of(index, [], at_least))

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
        cost, flow = _under_set(
            setting, bare, functools.partial(block_of, 0, led, first), led, week if week_first else None, smaller
        )
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
    room = setting.page_room
    return all(
        frame_height([a, b], setting.width) > room
        for a, b in ((blocks[index - 1], blocks[index]), (blocks[index], blocks[index + 1]))
    )


def _under_set(
    setting: Setting,
    bare: list[Flowable],
    led_first: Callable[[], Flowable],
    lead: list[Flowable],
    week: Flowable | None = None,
    smaller: Callable[[int], list[Flowable]] | None = None,
) -> tuple[float, list[Flowable]]:
    """_under's story with these blocks (`bare`: without the lead; `led_first()`: the first
    with it), the line for the week's date `week` under the front page's facts (None: it is in
    the lead), and its cost: a page more where the last exercise leaves too little room, half
    a page where the QR code is not on the front page. `smaller(i)`: the middle block i set
    lower, to give room at its page's foot (_given_up)."""
    content, width, tips = setting.content, setting.width, setting.tips
    page_room, first_room, front_page = setting.page_room, setting.first_room, setting.front_page
    if "under" not in setting.made:
        setting.made["under"] = _under_closing(setting)
    front_tips, close_tips, panel, low, below = setting.made["under"]
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

    def way_of(qr: bool, tips_first: bool, tight: bool = False) -> tuple[float, list[Flowable]]:
        """The story with the QR code on the front page or not (`qr`), the tips there where they
        fit (`tips_first`), its facts `tight` (_front) or not, and its cost."""
        front = front_page(qr, tight)
        on_front: list[Flowable] = [front, week] if week is not None else [front]
        # The tips on the front page as usual, or set closer where only that lets them fit it.
        fitting = [
            kept
            for kept in (front_tips, close_tips)
            if tips_first and kept is not None and _ends_front([*on_front, kept, *needed], setting)
        ]
        if fitting:
            on_front += [fitting[0], *needed]
        elif needed and _ends_front([*on_front, *needed], setting):
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
        more = frame_height([bare[-1], *end], width) > page_room
        if more and close_tips is not None and end and end[0] is tips:
            closer = [close_tips, *end[1:]]
            if frame_height([bare[-1], *closer], width) <= page_room:
                end, more = closer, False
        cost = more + (0 if qr else 0.5) + (more and len(end) == 1)
        # How to do the exercises fits neither with the first one on a page nor under the front
        # page: the first exercise would break over two pages, its lead before it (a page holding
        # one line of its note and its tick boxes, therapist trial 16, F1). Any way that keeps it
        # whole wins, even with the QR code at the end.
        broken = bool(needed) and all(part is not lead_kept for part in on_front)
        broken = broken and not isinstance(blocks_of(on_front)[0], Kept)
        flow: list[Flowable] | None = None
        if more:
            # The tips (in a panel) and the QR code at the foot of an exercise's page with room
            # for them (the last such page), where after the last exercise they take a page more.
            # An exercise alone on its page may give up its larger picture (block.ALONE_WAYS) for
            # them, and a middle one its picture down to its least (block.least_picture_share,
            # still larger than at 14 pt): the fewest, only where that frees the room needed.
            floating = [panel if part is tips and panel is not None else low or part for part in end]
            blocks = blocks_of(on_front)
            pages = _pages_filled([*on_front, *blocks], width, first_room, page_room)
            floated = _at_page_feet([*on_front, *blocks], floating, width, first_room, page_room, pages)
            if floated is None and pages is not None and smaller is not None and len(blocks) > 2:
                floated = _given_up(on_front, blocks, smaller, floating, pages, setting)
            flow = floated[0] if floated is not None else None
            if flow is not None:
                cost = 0.75 + (0 if qr else 0.5)  # only where it saves a page: else at the end
        cost += 3 * broken
        return cost, flow or [*on_front, *blocks_of(on_front), *end]

    # A front page longer than a page (a long name in large print) goes on to a second page,
    # which the QR code may cost: then every way is weighed by the pages it takes, and its cost.
    spills = front_page(content.online_url is not None).wrap(width, 1e6)[1] > first_room + 1e-6
    best: tuple[float, float, list[Flowable]] | None = None
    for qr, tips_first in ways:
        cost, flow = way_of(qr, tips_first)
        weighed = cost
        if spills:
            taken = pages_taken(flow, width, first_room, page_room)
            weighed = (taken if taken is not None else float("inf")) + cost / 10
        if best is None or weighed < best[0]:
            best = (weighed, cost, flow)
        if cost == 0 and not spills:
            break  # the QR code on the front page and no page more: nothing to weigh it against
    assert best is not None
    if best[1] >= 1 or spills:
        # Something still costs a page (or leaves the QR code off the front page) or the front
        # page goes on to a second: its facts set tighter (the longer ones full width, led by
        # their labels) where that takes fewer pages, or as many with less given up. A third
        # goal, a 2-line clinic address and a long name took Spanish large print a page over the
        # goal (trial 19, F1).
        taken = pages_taken(best[2], width, first_room, page_room)
        least = (taken if taken is not None else float("inf"), best[1])
        for qr, tips_first in ways:
            cost, flow = way_of(qr, tips_first, tight=True)
            tight_taken = pages_taken(flow, width, first_room, page_room)
            tried = (tight_taken if tight_taken is not None else float("inf"), cost + TIGHT_COST)
            if tried < least:
                least, best = tried, (0.0, tried[1], flow)
    return best[1], best[2]


def _under_closing(
    setting: Setting,
) -> tuple[Kept | None, Kept | None, Kept | None, Flowable | None, Flowable | None]:
    """What _under_set sets after the exercises or under the front page, the same in every way
    it weighs (made once a story): the tips as on the front page, set closer, and in a panel
    (None: no tips); the QR code for an exercise's page foot, and under the last exercise
    (None: no QR code)."""
    content, styles, width, said, page_room = (
        setting.content,
        setting.styles,
        setting.width,
        setting.said,
        setting.page_room,
    )
    # On the front page, under its last line, the tips' heading as the exercises' heading is set.
    closing = _headings_kept(_tips(content, styles, _exercises_heading(styles)), page_room)
    front_tips = Kept(closing, page_room) if closing else None
    close_tips = (
        Kept(
            _headings_kept(_tips(content, styles, _exercises_heading(styles), _close_bullet(styles)), page_room),
            page_room,
        )
        if closing
        else None
    )
    panel = _tips_panel(content, styles, page_room) if closing else None
    online = content.online_url
    low = _online_below(online, styles, said, width, low=True, stand_in=_stand_in(content)) if online else None
    below = _online_below(online, styles, said, width, stand_in=_stand_in(content)) if online else None
    return front_tips, close_tips, panel, low, below


# What setting the front page's facts tight (_front) costs, weighed with _under_set's costs: less
# than the QR code off the front page (0.5), so at equal pages it wins over that, never a page.
TIGHT_COST = 0.3


def _given_up(
    on_front: list[Flowable],
    blocks: list[Flowable],
    smaller: Callable[[int], list[Flowable]],
    floating: list[Flowable],
    pages: list[_Filled],
    setting: Setting,
) -> tuple[list[Flowable], int] | None:
    """`on_front` and `blocks` with `floating` (the tips panel, the QR code) at page feet
    (_at_page_feet), where middle exercises give up room for them: `smaller(i)` is blocks[i]
    set smaller, lower first (the alone one's larger picture given up for large print's usual
    one, then the picture at its least: block.least_picture_share). The fewest exercises (one
    per floating part at most), the last ones first, the least given up, and only on a page
    where that frees the room a floating part needs. None where no such choice places them all.
    `pages`: the pages of `on_front` and `blocks` (_pages_filled)."""
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
            floated = _at_page_feet([*on_front, *given_blocks], floating, width, setting.first_room, setting.page_room)
            if floated is not None:
                return floated
    return None


def _ends_front(parts: list[Flowable], setting: Setting) -> bool:
    """Whether parts[1:] fit under the front page (parts[0]) on the page it ends on: the front
    page's own, or the next where a long front page goes on to it (_pages_filled)."""
    alone = _pages_filled(parts[:1], setting.width, setting.first_room, setting.page_room)
    together = _pages_filled(parts, setting.width, setting.first_room, setting.page_room)
    return alone is not None and together is not None and len(together) == len(alone)


def _lead_pushed_off(
    with_qr: Flowable, without: Flowable, first: LeadApart, width: float, first_room: float, page_room: float
) -> bool:
    """Whether the QR code takes the room the first exercise's lead needs under the front page
    (a LeadApart: where the lead would start a page, the block breaks, its lead before it):
    without the QR code the lead ends a page where with it it would not, or ends the front page
    itself rather than a second one the front page goes on to. Where the lead fits under
    neither, the QR code stays: the front page then goes on to page 2, and the lead ends that
    page. Heights in points."""

    def weighed(front: Flowable) -> tuple[bool, int]:
        """(whether the lead would start a page, the pages the front page and the lead take)"""
        pages = _pages_filled([front, first.lead], width, first_room, page_room)
        return (True, 0) if pages is None else (pages[-1].start == 1, len(pages))

    return weighed(without) < weighed(with_qr)


def _headings_kept(flow: list[Flowable], page_room: float) -> list[Flowable]:
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


def _first_pushed_off(with_qr: Flowable, without: Flowable, first: Flowable, width: float, room: float) -> bool:
    """Whether the QR code would cost the front page room it needs: the first exercise's block
    (`first`) fits under the front page without the QR code but not with it, or the front page
    with it is taller than a page. `room` is the height a page holds, in points."""
    block = first.wrap(width, 1e6)[1] + first.getSpaceBefore()
    front = with_qr.wrap(width, 1e6)[1]
    if front > room + 1e-6:
        return True  # the front page itself would go on to a second page
    return without.wrap(width, 1e6)[1] + block <= room + 1e-6 < front + block


def _front(content: HandoutContent, styles: Styles, width: float, qr: bool = True, tight: int = 0) -> list[Flowable]:
    """The front page's top: the clinic and how to reach it, the title, the facts (who, when,
    the goals, how often and how long) a row each, and the patient's own stop rules. `tight`:
    the goals, visits, how often and how long full width under the rows, each led by its bold
    label, where longer than a line in the value column (else longer than FACT_LINES): shorter,
    for a front page that would otherwise push the tips or the QR code onto a page of their own
    (build._under). `tight` 2, without the QR code: the patient's name too, where longer than two
    lines of the value column (one a page: _front_whole)."""
    said = words.of(content.language)
    # The clinic and how to reach it on one line, the name in bold; where they are longer, the
    # name on a line of its own above how to reach it, unless that takes a line more (the
    # address wraps anyway, in large print): then they run on together.
    # (A no-break space before each "·": a line never starts with one.)
    contact = "&nbsp;· ".join(para_text(v) for v in _in_line(content.clinic_contact))
    name = bold(para_text(content.clinic_name))
    flow: list[Flowable] = [Paragraph(f"{name}&nbsp;· {contact}" if contact else name, styles.body)]
    together = flow[0].wrap(width, 1e6)[1]
    if contact and together > styles.body.leading * 1.5:
        # The two lines of one letterhead: no paragraph space between them.
        apart: list[Flowable] = [Paragraph(name, _tight(styles)), Paragraph(contact, styles.body)]
        if sum(part.wrap(width, 1e6)[1] for part in apart) <= together + 0.01:
            flow = apart
    flow.append(HRFlowable(width="100%", thickness=1.5, color=RULE, spaceBefore=0, spaceAfter=styles.size * 0.4))
    facts = [
        (said.headings["for"], content.patient_name),
        (said.headings["therapist"], content.therapist_name),
        (said.headings["date"], said.dated_version(content.version_date, content.version)),
        (said.headings["check_up"], content.check_up),
    ]
    # Only goals someone wrote: the program's Goals field (a template's, once put there and shown
    # in the builder). None written, no "Your goals" row: the handout never makes goals up.
    goals = content.goals_text
    # Each a row of facts, no heading of its own, so the front page is short and the first
    # exercises follow on it. Only a text longer than FACT_LINES goes full width under the rows,
    # led by its label (and can break across pages).
    sections = []
    headed: set[str] = set()
    longer = (
        ("goals", goals),
        ("visits", content.visit_plan),
        ("how_often", content.how_often),
        ("how_long", content.how_long),
    )
    value_width = width - _label_width([*facts, *longer], styles)
    for key, text in longer:
        if not text.strip():
            continue
        # How long is read after how often (as the builder says them): under its heading when
        # how often has one, never a row above it (therapist trial 13, large print).
        follows = key == "how_long" and "how_often" in headed
        if _lines(text, styles, value_width) <= (1 if tight >= 1 else FACT_LINES) and not follows:
            facts.append((said.headings[key], text))
        else:
            # The full width under the rows, its label in bold at its start as a row's (a
            # heading of its own took two lines more: Maria's large print needed them).
            headed.add(key)
            sections.append(_run_in(said.headings[key], text, styles))
    rows = [(label, value) for label, value in facts if value]
    title = Paragraph(para_text(content.title), styles.title)
    if content.online_url and qr:
        flow += _beside_online(content.online_url, title, rows, styles, width, said, _stand_in(content))
    elif tight >= 2 and _lines(content.patient_name, styles, value_width) > 2:
        # Tightest (one a page, a front page that fits page 1 no other way: _front_whole): a name
        # longer than two lines of the value column full width, led by its label, as the facts are.
        flow += [title, _run_in(said.headings["for"], content.patient_name, styles), _facts(rows[1:], styles)]
    else:
        flow += [title, _facts(rows, styles)]
    flow += sections
    # The one rule for every exercise is not said here again: every page's foot says it, in bold
    # (a therapist trial found page 1 saying it twice). The patient's own stop rules (a recorded
    # tremor's: content.stop_rules) are said here, a line each, marked as the cautions are.
    if content.stop_rules:
        safety = Paragraph("<br/>".join(bold(para_text(rule)) for rule in content.stop_rules), styles.step)
        flow.append(
            Marked(
                safety, CAUTION_EDGE, bar=styles.size * 0.3, inset=styles.size * 0.35, space_before=styles.size * 0.4
            )
        )
    return flow


# A left-to-right mark (U+200E): after a part in Hebrew or Arabic, so what follows it reads on
# left to right, and at the line's start, so the line does.
_LTR_MARK = "\u200e"


def _in_line(parts: list[str]) -> list[str]:
    """The clinic's contact parts (address, telephone, email) as read left to right on one line,
    each in its own direction: a part in a right-to-left script marked off from the next (an
    address in Arabic first turned the line right to left, and the telephone number after it
    into "1234 555 6 962+": the bidi algorithm read its digits as Arabic numbers). Other
    parts as they are. Typed isolates (U+2068) would do it, but shaping.py's bidi has none."""
    if all(not right_to_left_in(part) for part in parts):
        return parts
    marked = [part + _LTR_MARK if right_to_left_in(part) else part for part in parts]
    return [_LTR_MARK + marked[0], *marked[1:]]


FACT_LINES = 6  # a fact row's value at most this many lines; a longer one goes full width under the rows


def _run_in(label: str, text: str, styles: Styles) -> Flowable:
    """A fact full width, its bold label leading its first line (a paragraph a line: it breaks
    across pages cheaply)."""
    return line_by_line(f"{bold(para_text(label + ':'))} {para_text(text)}", styles.body)


def _lines(text: str, styles: Styles, width: float) -> int:
    """How many lines `text` takes in a fact row's value column `width` wide."""
    if text.count("\n") >= FACT_LINES:
        return FACT_LINES + 1
    return round(Paragraph(para_text(text), styles.body).wrap(width, 1e6)[1] / styles.body.leading)


def _label_width(rows: list[tuple[str, str]], styles: Styles) -> float:
    return max(stringWidth(label + ":", BOLD, styles.size) for label, value in rows if value) + styles.size


def _facts(rows: list[tuple[str, str]], styles: Styles, label_width: float | None = None) -> Flowable:
    return Rows(_fact_cells(rows, styles), label_width or _label_width(rows, styles))


def _fact_cells(rows: list[tuple[str, str]], styles: Styles) -> list[tuple[Flowable, Flowable]]:
    """Each fact's label and value as paragraphs, a row of Rows."""
    return [
        (Paragraph(bold(para_text(label + ":")), styles.body), Paragraph(para_text(value), styles.body))
        for label, value in rows
    ]


def _beside_online(
    url: str,
    title: Paragraph,
    rows: list[tuple[str, str]],
    styles: Styles,
    width: float,
    said: words.Words,
    stand_in: str = "",
) -> list[Flowable]:
    """The title, the QR code and its caption with the sentence on how to use it, and the facts
    a row each, their labels in line: the first rows beside the QR code, the others under both.

    The sentence (with the address in text for typing) is read with the QR code: beside it, at
    the top of the rows (where the address fits that column; else the address right under the
    QR code, full width, and every row under it), or right above the QR code, full width. It is
    never between two rows: the facts stay one table (a therapist trial found "Point your
    phone's camera…" between "Your goals" and "Your visits"). The patient opens the program on
    the phone from the first page; beside the short facts (who, therapist, date) the QR code
    takes little height of its own. Of the ways to set it (the caption on one line, or on two
    under the square, which leaves the rows more width; any number of rows beside it) the one
    that makes the front page shortest is taken.
    """
    label_width = _label_width(rows, styles)
    # The rows' paragraphs made once, shared by every way weighed: a way uses each row once, and
    # Rows wraps its paragraphs again before it draws them. (Making them for each of the ways,
    # some 38 tables a handout, cost more than the QR code itself.)
    cells = _fact_cells(rows, styles)
    # The first rows (beside the QR code) and the others (under it), a table each, made once:
    # the ways weighed ask them their heights (Rows keeps them per width).
    firsts = [Rows(cells[:beside], label_width) for beside in range(len(rows) + 1)]
    others = [Rows(cells[beside:], label_width) for beside in range(len(rows) + 1)]
    widest = [_widest_word(value, styles) for _, value in rows]
    best: tuple[tuple[int, float], list[Flowable]] | None = None
    for online in _onlines(url, styles, said, stand_in):
        text_width = width - online.width - styles.size
        # A row beside the QR code whose word is wider than the value column there would be cut
        # inside that word ("Margaret O'Sulliv / an-Whitfield" in large print, therapist trial
        # 18): such a row goes under the QR code, full width, where its words fit (a word wider
        # than even that is cut at the column's edge, in whichever way).
        room = text_width - label_width - Rows.PAD
        # The address beside the QR code where its lines fit there, broken only where a reader
        # types on (after a slash, a dot, a hyphen).
        near = _typed_fits(url, styles, text_width)
        # Above the QR code the title's space after sets it apart: none of its own before it.
        above = _sentence(url, styles, said, width, styles.body)
        # (above the QR code, beside it before the rows, under it before the rows, the most rows beside)
        ways: list[tuple[list[Flowable], list[Flowable], list[Flowable], int]] = [([above], [], [], len(rows))]
        if near:
            ways.append(([], [_sentence(url, styles, said, text_width, _online_line(styles))], [], len(rows)))
        else:
            hint = Paragraph(para_text(said.online), _online_line(styles))
            ways.append(([], [hint], [_address(url, styles, width)], 0))
        flows: list[tuple[int, list[Flowable]]] = []  # (rows cut inside a word, the flow)
        for (over, first, after, most), beside in itertools.product(ways, range(len(rows) + 1)):
            if beside > most or not (first or beside):
                continue
            left = [*first, firsts[beside]] if beside else list(first)
            under = [*after, others[beside]] if beside < len(rows) else list(after)
            cut = sum(word > room + 0.01 for word in widest[:beside])
            flows.append((cut, [title, *over, _qr_beside(online, left, styles), *under]))
        # Or the whole table first and the QR code under it, set apart, with the sentence beside it.
        last = ways[-1]
        if rows:
            after_table = _qr_beside(online, last[1], styles)
            after_table.spaceBefore = styles.size * 0.6
            flows.append((0, [title, others[0], after_table, *last[2]]))
        for cut, flow in flows:
            # The fewest rows cut inside a word, then the shortest front page.
            key = (cut, stack_height(flow, width))  # as the front page's Column stacks them
            if best is None or key[0] < best[0][0] or (key[0] == best[0][0] and key[1] < best[0][1] - 0.01):
                best = (key, flow)
    assert best is not None  # _onlines gives one way at the least
    return best[1]


# Where a line may break inside a run of letters: between two Chinese, Japanese or Korean
# characters (CJK radicals to ideographs, Hangul syllables, compatibility ideographs, full-width
# forms, the supplementary ideographs), as those scripts are set.
_CJK = re.compile("([\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff])")


@functools.lru_cache(maxsize=4096)  # a fact's value repeats from handout to handout (therapist, date)
def _widest_word(text: str, styles: Styles) -> float:
    """The width (pt) of `text`'s widest word in the facts' body type: a fact's value is cut
    inside a word in a column narrower than this. Words end at spaces; a Chinese, Japanese or
    Korean character is a word of its own (a line breaks between any two of them)."""
    return Paragraph(para_text(_CJK.sub(r" \1 ", text)), styles.body).minWidth()


def _qr_beside(online: Captioned, right: list[Flowable], styles: Styles) -> Beside:
    """The QR code and its caption on the right, `right` (the sentence, rows) beside it from the top."""
    return Beside(online, right, left_width=online.width, gap=styles.size, top=True, flipped=True)


def _onlines(url: str, styles: Styles, said: words.Words, stand_in: str = "") -> list[Captioned]:
    """The QR code with its caption on one line and, where the caption breaks into two lines
    under the square, also so (a narrower column). `stand_in`: a preview's words in the QR
    code's room (_stand_in)."""
    one_line = _online(url, styles, said, stand_in)
    caption = Paragraph(bold(para_text(said.headings["online"])), _caption(styles))
    if caption.wrap(QR_SIZE, 1e6)[1] > 2 * caption.style.leading + 0.01 or one_line.width <= QR_SIZE:
        return [one_line]
    square = QrSquare(url, QR_SIZE, stand_in)
    return [one_line, Captioned(square, caption, QR_SIZE, gap=styles.size * 0.2)]


def _online(url: str, styles: Styles, said: words.Words, stand_in: str = "") -> Captioned:
    """The QR code to the patient's online copy over its one-line caption ("See this on your
    phone"), as wide as the caption (the QR code's own width at the least)."""
    caption = Paragraph(bold(para_text(said.headings["online"])), _caption(styles))
    width = max(QR_SIZE, stringWidth(said.headings["online"], BOLD, styles.size) + 1)
    return Captioned(QrSquare(url, QR_SIZE, stand_in), caption, width, gap=styles.size * 0.2)


def _sentence(url: str, styles: Styles, said: words.Words, width: float, style: ParagraphStyle) -> Paragraph:
    """How to use the QR code, then the address to type (in a column `width` pt wide): on the
    sentence's last line where the whole address fits a line, else from a line of its own, a
    line where a reader types on (_typed_lines)."""
    lines = _typed_lines(url, styles, width)
    if len(lines) == 1:
        return Paragraph(f"{para_text(said.online)} {_typed(lines[0])}", style)
    return Paragraph("<br/>".join([para_text(said.online), *(_typed(line) for line in lines)]), style)


def _short(url: str) -> str:
    """The address as a patient types it: without "https://" and a last slash."""
    return url.split("://", 1)[-1].rstrip("/")


def _address(url: str, styles: Styles, width: float) -> Paragraph:
    """The address alone on its line(s), in TYPED, broken where a reader can type it on
    (_typed_lines) in a column `width` pt wide."""
    return Paragraph("<br/>".join(_typed(line) for line in _typed_lines(url, styles, width)), styles.body)


def _typed(text: str) -> str:
    """`text` (an address, or a line of it) as markup in TYPED (DejaVu Sans Mono Bold), where no
    two letters or digits look alike: a patient who reads "l" for "I" would type a link that does
    not work."""
    return f'<font name="{TYPED}">{para_text(text)}</font>'


# Where an address may break: after a slash, else after a dot or a hyphen. A line that ends
# there reads as the address going on; one cut inside a word ("…bcr8d / nf3gpj6a") was read as
# two words, or as a word that ends early (large print, ~50 characters and more).
_ADDRESS_BREAKS = ("/", ".-")


@functools.lru_cache(maxsize=256)
def _typed_lines(url: str, styles: Styles, width: float) -> tuple[str, ...]:
    """The short address (_short) as lines of at most `width` pt in TYPED at the body's size:
    each line as long as it can be up to a slash, else up to a dot or a hyphen. A part with no
    such place that is wider than `width` (no address the app makes has one: a token is 26
    letters, an older one 43) stays whole on its own line, where reportlab cuts it."""
    rest, lines = _short(url), []
    fits = width / stringWidth("0", TYPED, styles.size)  # a monospaced face: characters a line
    while len(rest) > fits + 1e-6:
        at = 0
        for marks in _ADDRESS_BREAKS:
            at = max((i + 1 for i, c in enumerate(rest[: int(fits + 1e-6)]) if c in marks), default=0)
            if at:
                break
        if not at:  # no place to break in the line's width: the part on to its next place
            at = next((i + 1 for i, c in enumerate(rest) if c in "/.-"), len(rest))
        lines.append(rest[:at])
        rest = rest[at:]
    return (*lines, rest) if rest else tuple(lines)


def _typed_fits(url: str, styles: Styles, width: float) -> bool:
    """Whether the address's lines (_typed_lines) each fit `width` pt: no line cut inside a word."""
    return all(stringWidth(line, TYPED, styles.size) <= width + 0.01 for line in _typed_lines(url, styles, width))


def _online_below(
    url: str, styles: Styles, said: words.Words, width: float, low: bool = False, stand_in: str = ""
) -> Flowable:
    """A QR code to the patient's online copy under the tick sheet, with the address in text for
    typing (where the front page has no room for it): beside the QR code, or under it and the
    text beside it where the address's lines (_typed_lines) are wider than that column
    (`width`: the page's, pt).
    `low`: its heading in bold body type, so the text beside the QR code is about as high as the
    square (for the foot of an exercise's page: _at_page_feet). `stand_in`: as _onlines."""
    text = [
        Paragraph(para_text(said.headings["online"]), _tight_strong(styles) if low else _online_heading(styles)),
        Paragraph(para_text(said.online), styles.body),
    ]
    column = width - QR_SIZE - styles.size
    fits = _typed_fits(url, styles, column)
    address = _address(url, styles, column if fits else width)
    beside = Beside(
        QrSquare(url, QR_SIZE, stand_in), [*text, address] if fits else text, left_width=QR_SIZE, gap=styles.size
    )
    parts = [Spacer(1, styles.size * 0.6), beside] if fits else [Spacer(1, styles.size * 0.6), beside, address]
    return Kept(parts, page_room=float("inf"))  # a few lines: always fits a page


@functools.cache
def _tight_strong(styles: Styles) -> ParagraphStyle:
    return styles.strong.clone(f"tight-strong-{styles.size:g}", spaceAfter=0)


@functools.cache
def _tight(styles: Styles) -> ParagraphStyle:
    return styles.body.clone(f"tight-{styles.size:g}", spaceAfter=0)


@functools.cache
def _exercises_heading(styles: Styles) -> ParagraphStyle:
    """The exercises' heading, under the front page's last line: the heading's own size and
    weight set it apart, with less space above than a heading after a block."""
    return styles.heading.clone(f"exercises-heading-{styles.size:g}", spaceBefore=styles.size * 0.5)


@functools.cache
def _lead_first(styles: Styles) -> ParagraphStyle:
    """How to use the exercises, opening their part: as far under the front page's last line as
    the exercises' heading would be."""
    return styles.body.clone(f"lead-first-{styles.size:g}", spaceBefore=styles.size * 0.6)


@functools.cache
def _continued_heading(styles: Styles) -> ParagraphStyle:
    """The tick sheet's heading again at the top of its next page: no space above it there."""
    return styles.heading.clone(f"continued-heading-{styles.size:g}", spaceBefore=0)


@functools.cache
def _online_heading(styles: Styles) -> ParagraphStyle:
    return styles.heading.clone(f"online-heading-{styles.size:g}", spaceBefore=0)


@functools.cache
def _caption(styles: Styles) -> ParagraphStyle:
    return styles.body.clone(f"qr-caption-{styles.size:g}", alignment=TA_CENTER)


@functools.cache
def _online_line(styles: Styles) -> ParagraphStyle:
    return styles.body.clone(f"online-line-{styles.size:g}", spaceBefore=styles.size * 0.3)


def _tips(
    content: HandoutContent, styles: Styles, heading: ParagraphStyle | None = None, bullet: ParagraphStyle | None = None
) -> list[Flowable]:
    """The tips under their heading, a bullet each (`heading`, `bullet`: styles other than the
    usual, closer set)."""
    said = words.of(content.language)
    flow: list[Flowable] = []
    if content.advice or content.advice_text.strip():
        flow.append(Paragraph(para_text(said.headings["day"]), heading or styles.heading))
        flow += [Paragraph(para_text(line), bullet or styles.bullet, bulletText="•") for line in content.advice]
        # The therapist's own advice a tip a line, bulleted as the list's (a paragraph without
        # a bullet under them read as something else).
        flow += [
            Paragraph(para_text(line), bullet or styles.bullet, bulletText="•")
            for line in content.advice_text.splitlines()
            if line.strip()
        ]
    return flow


@functools.cache
def _panel_heading(styles: Styles) -> ParagraphStyle:
    """The tips' heading at the top of their panel: the panel's edge sets it apart from above."""
    return styles.strong.clone(f"panel-heading-{styles.size:g}", spaceAfter=styles.size * 0.15)


@functools.cache
def _close_bullet(styles: Styles) -> ParagraphStyle:
    """A tip with no space under it but the line's own: the bullets still mark each tip."""
    return styles.bullet.clone(f"close-bullet-{styles.size:g}", spaceAfter=0)
