"""The page's foot takes one line at 14 pt (issue #14: half the paper): the stop rule at the left,
"Page 2 of 4" at the right, on one baseline; the contact ("Questions? Call us: …") at the right of
the running header of pages 2 and on, the front page giving it among the clinic's lines. It was two
lines (the stop rule, then the contact beside the page number): 18 pt more a page for the
exercises, which took the twelve-tip programs below a page under the goal.

Where the two do not fit one line (18 pt, or a phone number too long for half the header), the
foot keeps its two lines, the contact at the foot of every page, whole.
"""

from __future__ import annotations

import ctypes
import dataclasses
import math

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from planner.handouts import words
from planner.handouts.content import HandoutContent
from planner.handouts.styles import HandoutOptions
from planner.i18n import translator
from planner.services.advice import BUILT_IN
from tests.handout_world import page_count, rendered
from tests.test_handout_everyday_programs import started  # noqa: F401  (the fixture)
from tests.test_handout_front_slack import LIMIT

OPTIONS = HandoutOptions(languages=("en", "es"))
PHONE = "+34 912 345 678"
# The clinic form's longest phone (planner/web/admin/forms.py: 40 characters).
LONG_PHONE = "+34 912 345 678 ext. 4455, de 9 a 14 h"
NAMES = {
    "chinese": ("王小明李华张伟刘洋陈静杨帆赵磊黄敏周杰吴芳徐丽孙强马超胡军朱" * 4)[:LIMIT],
    "spanish": ("María de los Ángeles Fernández-Núñez de la Concepción " * 3)[:LIMIT],
    "arabic": ("فاطمة الزهراء بنت عبد الرحمن " * 5)[:LIMIT],
}


def _made(started, template, language, paper, size=14, tips=0, phone=PHONE, name=None) -> tuple[HandoutContent, bytes]:  # noqa: ANN001, F811, PLR0913
    base = started[template, language]
    content = dataclasses.replace(
        base,
        paper_size=paper,
        large_print=size == 18,
        clinic_phone=phone,
        advice=[translator(language).gettext(line) for line in BUILT_IN[:tips]] if tips else base.advice,
        patient_name=name or base.patient_name,
    )
    return content, rendered(content, OPTIONS)


def _packed(text: str) -> str:
    return "".join(text.split())


def page_lines(pdf: bytes) -> list[list[str]]:
    """Each page's lines top to bottom, as placed (not as drawn: the header and foot are drawn
    last), each line's characters left to right, white space left out: the characters whose
    origins stand on one baseline (to 1 pt, in whatever font) are one line (PDFium)."""
    x, y = ctypes.c_double(), ctypes.c_double()
    doc = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for page in doc:
            text_page = page.get_textpage()
            rows: list[tuple[float, list[tuple[float, str]]]] = []
            for index in range(pdfium_c.FPDFText_CountChars(text_page.raw)):
                char = chr(pdfium_c.FPDFText_GetUnicode(text_page.raw, index))
                if char.isspace() or pdfium_c.FPDFText_IsGenerated(text_page.raw, index):
                    continue
                pdfium_c.FPDFText_GetCharOrigin(text_page.raw, index, x, y)
                row = next((r for r in rows if abs(r[0] - y.value) < 1), None)
                if row is None:
                    rows.append((y.value, [(x.value, char)]))
                else:
                    row[1].append((x.value, char))
            text_page.close()
            page.close()
            pages.append(["".join(c for _, c in sorted(chars)) for _, chars in sorted(rows, key=lambda r: -r[0])])
        return pages
    finally:
        doc.close()


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_stop_rule_and_the_page_number_share_the_foots_one_line(started, language, paper):  # noqa: ANN001, F811  (started: the fixture)
    """Every page ends with one line: the stop rule, then "Page k of N" (PDFium reads what shares a
    baseline as one line); no contact line under it; the contact heads pages 2 and on."""
    said = words.of(language)
    _, pdf = _made(started, "cervical", language, paper)
    lines = page_lines(pdf)
    total = len(lines)
    contact = _packed(f"{said.questions}: {PHONE}")
    for number, page in enumerate(lines, start=1):
        assert _packed(page[-1]) == _packed(f"{said.safety} {said.page_of(number, total)}"), page[-2:]
        assert contact not in _packed(page[-2]), page[-2:]
        if number > 1:
            assert _packed(page[0]).endswith(contact), page[0]
    # The front page says whom to call among the clinic's lines, as before.
    assert _packed(PHONE) in _packed(" ".join(lines[0][:4]))


# Twelve tips ticked, 14 pt, A4: a page over the goal with the foot's two lines (5 pages for 6
# exercises; measured on bd7b12ea, the cervical and generalized programs in English).
@pytest.mark.parametrize("template", ["cervical", "generalized"])
def test_twelve_tips_on_a4_keep_the_goal_with_the_foot_on_one_line(started, template):  # noqa: ANN001, F811  (started: the fixture)
    content, pdf = _made(started, template, "en", "a4", tips=12)
    n = len(content.exercises)
    assert page_count(pdf) <= math.ceil((n + 2) / 2), (page_count(pdf), n)


@pytest.mark.parametrize("language", ["en", "es"])
def test_large_print_keeps_two_lines_with_the_contact_at_the_foot(started, language):  # noqa: ANN001, F811  (started: the fixture)
    """At 18 pt the stop rule and the page number do not fit one line: the contact stays at the
    foot of every page, beside the page number, and the header holds only whose handout it is."""
    said = words.of(language)
    _, pdf = _made(started, "cervical", language, "letter", size=18)
    lines = page_lines(pdf)
    contact = _packed(f"{said.questions}: {PHONE}")
    for number, page in enumerate(lines, start=1):
        assert _packed(page[-1]) == contact + _packed(said.page_of(number, len(lines))), page[-2:]
        assert _packed(said.safety) in _packed(page[-2]), page[-2:]
        if number > 1:
            assert contact not in _packed(page[0]), page[0]


def test_a_phone_too_long_for_the_header_keeps_the_contact_at_the_foot(started):  # noqa: ANN001, F811  (started: the fixture)
    """The form's longest phone number does not fit half the header: the foot keeps it, whole,
    on every page (a loose page still says whom to call)."""
    said = words.of("es")
    _, pdf = _made(started, "cervical", "es", "a4", phone=LONG_PHONE)
    for page in page_lines(pdf):
        foot = _packed(" ".join(page[-3:]))
        assert _packed(f"{said.questions}: {LONG_PHONE}") in foot, page[-3:]
        assert _packed(said.safety) in foot


@pytest.mark.parametrize("script", sorted(NAMES))
def test_a_name_at_the_forms_limit_gives_way_to_the_contact_in_the_header(started, script):  # noqa: ANN001, F811  (started: the fixture)
    """The header of pages 2 and on: the name and title shortened with "…" where they would run
    into the contact, the contact whole at the right, in any script a name is written in."""
    said = words.of("es")
    _, pdf = _made(started, "cervical", "es", "letter", name=NAMES[script])
    contact = _packed(f"{said.questions}: {PHONE}")
    for page in page_lines(pdf)[1:]:
        header = _packed(page[0])
        assert header.endswith(contact), page[0]
        # "…" (PDFium reads it as "..." from the Arabic fallback font)
        assert "…" in header or "..." in header, page[0]
