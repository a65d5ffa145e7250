"""The handout's front page: the clinic, the title, the facts a row each (beside the QR code where
there is one), the longer ones full width, the patient's stop rules; and whether the QR code
costs the first exercise (or its lead) the front page, or the front page page 1.
"""

from __future__ import annotations

import functools
import itertools
import re

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable
from reportlab.platypus.flowables import HRFlowable

from planner.bidi import right_to_left_in
from planner.handouts import words
from planner.handouts.boxes import Beside, Marked, Rows
from planner.handouts.closing import one_page_sheet
from planner.handouts.content import HandoutContent
from planner.handouts.filling import Setting, pages_filled
from planner.handouts.online import QR_SIZE, led, online_below_for, sentence, stand_in, typed_address, typed_fits
from planner.handouts.page_ends import LeadApart
from planner.handouts.para import Para as Paragraph
from planner.handouts.para import line_by_line
from planner.handouts.qr import QrSquare
from planner.handouts.stacking import frame_height, stack_height
from planner.handouts.styles import BOLD, CAUTION_EDGE, RULE, Styles
from planner.handouts.text import bold, para_text


def front_whole(setting: Setting, flow: list[Flowable], below: Flowable | None) -> Flowable | None:
    """One a page: the front page (flow[0]) whole on page 1 where as set it goes on to page 2:
    its longer facts full width led by their labels (`tight`, front_top), else the QR code under the
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
        moved = online_below_for(content, styles, said, width)
        if frame_height([one_page_sheet(setting, moved)], width) > setting.page_room + 1e-6:
            moved = None  # the sheet with the QR code under it would break over two pages
    for on_front, tight in [*([(True, 1)] if qr else []), (False, 0), (False, 1), (False, 2)]:
        front = setting.front_page(on_front, tight)
        # With the first exercise's lead (LeadApart) under it: else the lead would start page 2
        # and the exercise break over pages (the front page then ends on page 2 with the lead).
        if (on_front or not qr or moved is not None) and frame_height([front, *lead], width) <= room + 1e-6:
            flow[0] = front
            return below if on_front or not qr else moved
    return below


def lead_pushed_off(
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
        pages = pages_filled([front, first.lead], width, first_room, page_room)
        return (True, 0) if pages is None else (pages[-1].start == 1, len(pages))

    return weighed(without) < weighed(with_qr)


def first_pushed_off(with_qr: Flowable, without: Flowable, first: Flowable, width: float, room: float) -> bool:
    """Whether the QR code would cost the front page room it needs: the first exercise's block
    (`first`) fits under the front page without the QR code but not with it, or the front page
    with it is taller than a page. `room` is the height a page holds, in points."""
    block = first.wrap(width, 1e6)[1] + first.getSpaceBefore()
    front = with_qr.wrap(width, 1e6)[1]
    if front > room + 1e-6:
        return True  # the front page itself would go on to a second page
    return without.wrap(width, 1e6)[1] + block <= room + 1e-6 < front + block


def front_top(content: HandoutContent, styles: Styles, width: float, qr: bool = True, tight: int = 0) -> list[Flowable]:
    """The front page's top: the clinic and how to reach it, the title, the facts (who, when,
    the goals, how often and how long) a row each, and the patient's own stop rules. `tight`:
    the goals, visits, how often and how long full width under the rows, each led by its bold
    label, where longer than a line in the value column (else longer than FACT_LINES): shorter,
    for a front page that would otherwise push the tips or the QR code onto a page of their own
    (ticks_under.under_story). `tight` 2, without the QR code: the patient's name too, where longer than two
    lines of the value column (one a page: front_whole)."""
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
    facts, longer, value_width = _fact_texts(content, styles, width)
    # Each a row of facts, no heading of its own, so the front page is short and the first
    # exercises follow on it. Only a text longer than FACT_LINES goes full width under the rows,
    # led by its label (and can break across pages).
    sections = []
    headed = _full_width(longer, styles, value_width, tight)
    for key, text in longer:
        if not text.strip():
            continue
        if key not in headed:
            facts.append((said.headings[key], text))
        else:
            # The full width under the rows, its label in bold at its start as a row's (a
            # heading of its own took two lines more: Maria's large print needed them).
            sections.append(_run_in(said.headings[key], text, styles))
    rows = [(label, value) for label, value in facts if value]
    title = Paragraph(para_text(content.title), styles.title)
    if content.online_url and qr:
        flow += _beside_online(content.online_url, title, rows, styles, width, said, stand_in(content))
    elif tight >= 2 and _lines(content.patient_name, styles, value_width) > 2:
        # Tightest (one a page, a front page that fits page 1 no other way: front_whole): a name
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


def tightens(content: HandoutContent, styles: Styles, width: float, qr: bool, tight: int) -> bool:
    """Whether front_top sets the front page otherwise with `tight` (1 or 2) than with one less:
    a longer fact goes full width (1), the patient's name does (2, without the QR code beside
    the facts). Cheaper than setting both."""
    if tight == 2 and content.online_url and qr:
        return False  # the name stays in its row beside the QR code
    _, longer, value_width = _fact_texts(content, styles, width)
    if tight == 1:
        return _full_width(longer, styles, value_width, 1) != _full_width(longer, styles, value_width, 0)
    return _lines(content.patient_name, styles, value_width) > 2


def rows_height(front: Flowable, width: float) -> float:
    """The height of the facts' rows of a front page (a Column of front_top's parts), pt: the
    most that setting it tight can save (its longer facts, or the name, leave the rows for a
    line or more full width under them). Cheaper than tightens: the page is set already."""
    return sum(part.wrap(width, 1e6)[1] for part in getattr(front, "parts", []) if isinstance(part, Rows))


def _fact_texts(
    content: HandoutContent, styles: Styles, width: float
) -> tuple[list[tuple[str, str]], list[tuple[str, str]], float]:
    """The front page's facts (label, text) that are always a row (who, therapist, date,
    check-up), the longer ones (key, text: goals, visits, how often, how long) that may go full
    width, and the width of the rows' value column, pt."""
    said = words.of(content.language)
    facts = [
        (said.headings["for"], content.patient_name),
        (said.headings["therapist"], content.therapist_name),
        (said.headings["date"], said.dated_version(content.version_date, content.version)),
        (said.headings["check_up"], content.check_up),
    ]
    # Only goals someone wrote: the program's Goals field (a template's, once put there and shown
    # in the builder). None written, no "Your goals" row: the handout never makes goals up.
    longer = [
        ("goals", content.goals_text),
        ("visits", content.visit_plan),
        ("how_often", content.how_often),
        ("how_long", content.how_long),
    ]
    return facts, longer, width - _label_width([*facts, *longer], styles)


def _full_width(longer: list[tuple[str, str]], styles: Styles, value_width: float, tight: int) -> list[str]:
    """The keys of the longer facts (_fact_texts) set full width under the rows: longer than
    FACT_LINES in the value column `value_width` wide (with `tight`, longer than a line)."""
    headed: list[str] = []
    for key, text in longer:
        if not text.strip():
            continue
        # How long is read after how often (as the builder says them): under its heading when
        # how often has one, never a row above it (therapist trial 13, large print).
        follows = key == "how_long" and "how_often" in headed
        if follows or _lines(text, styles, value_width) > (1 if tight >= 1 else FACT_LINES):
            headed.append(key)
    return headed


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
    """The title, the QR code with the sentence on how to use it (led by its caption), and the facts
    a row each, their labels in line: the first rows beside the QR code, the others under both.

    The sentence (with the address in text for typing) is read with the QR code: beside it, at
    the top of the rows (where the address fits that column; else the address right under the
    QR code, full width, and every row under it), or right above the QR code, full width. It is
    never between two rows: the facts stay one table (a therapist trial found "Point your
    phone's camera…" between "Your goals" and "Your visits"). The patient opens the program on
    the phone from the first page; beside the short facts (who, therapist, date) the QR code
    takes little height of its own. Of the ways to set it (any number of rows beside it) the one
    that makes the front page shortest is taken. The caption ("See this on your phone") leads
    the sentence, in bold: under the square, as wide as itself, it narrowed the rows beside it.
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
    online = QrSquare(url, QR_SIZE, stand_in)
    text_width = width - online.width - styles.size
    # A row beside the QR code whose word is wider than the value column there would be cut
    # inside that word ("Margaret O'Sulliv / an-Whitfield" in large print, therapist trial
    # 18): such a row goes under the QR code, full width, where its words fit (a word wider
    # than even that is cut at the column's edge, in whichever way).
    room = text_width - label_width - Rows.PAD
    # The address beside the QR code where its lines fit there, broken only where a reader
    # types on (after a slash, a dot, a hyphen).
    near = typed_fits(url, styles, text_width)
    # Above the QR code the title's space after sets it apart: none of its own before it.
    above = sentence(url, styles, said, width, styles.body)
    # (above the QR code, beside it before the rows, under it before the rows, the most rows beside)
    ways: list[tuple[list[Flowable], list[Flowable], list[Flowable], int]] = [([above], [], [], len(rows))]
    if near:
        ways.append(([], [sentence(url, styles, said, text_width, _online_line(styles))], [], len(rows)))
    else:
        hint = Paragraph(led(said), _online_line(styles))
        ways.append(([], [hint], [typed_address(url, styles, width)], 0))
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
    assert best is not None  # the sentence above the QR code is one way at the least
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


def _qr_beside(online: QrSquare, right: list[Flowable], styles: Styles) -> Beside:
    """The QR code on the right, `right` (the sentence led by its caption, rows) beside it from the top."""
    return Beside(online, right, left_width=online.width, gap=styles.size, top=True, flipped=True)


@functools.cache
def _tight(styles: Styles) -> ParagraphStyle:
    return styles.body.clone(f"tight-{styles.size:g}", spaceAfter=0)


@functools.cache
def _online_line(styles: Styles) -> ParagraphStyle:
    return styles.body.clone(f"online-line-{styles.size:g}", spaceBefore=styles.size * 0.3)
