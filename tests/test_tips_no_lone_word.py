"""No built-in tip in Spanish ends on a line of one word, at 14 or 18 pt, on Letter or A4.

A tip that runs one word over its line ("brazos.", "tirantes.", "hombros.") costs a line of the
handout for a word: the cervical template's tips set closest were 3.4 pt too tall for any
page's foot, and the Spanish cervical Letter handouts took a page over the 14 pt goal. Each such
tip is said in fewer words (translations/es). Read back from the PDF: every tip ticked, the
posture template as started, in Spanish.

English is left: a program keeps the English line of each tip it was given (gettext's key), so
rewording one would need its stored copies moved too; the English widows at these widths
("morning.", "pulled.", "shoulders.", "close.", and at 18 pt "calmest.", "side.") are known.
"""

from __future__ import annotations

import dataclasses

import pytest

from planner.handouts import words
from planner.handouts.styles import HandoutOptions
from planner.i18n import translations
from planner.services import advice
from tests.handout_world import page_lines, rendered
from tests.test_handout_everyday_programs import _made, started  # noqa: F401


@pytest.mark.parametrize("large_print", [False, True], ids=["14pt", "18pt"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_no_spanish_tip_ends_on_a_line_of_one_word(started, paper, large_print):  # noqa: F811
    content, _ = _made(started, "posture", "es", paper, False, False, "short")
    tips = [translations("es").gettext(line) for line in advice.BUILT_IN]
    content = dataclasses.replace(content, advice=tips, large_print=large_print)
    lines = page_lines(rendered(content, HandoutOptions(languages=("en", "es"))))
    heading = words.of("es").headings["day"]
    under = [page[page.index(heading) + 1 :] for page in lines if heading in page]
    assert under, "no page holds the tips"
    read = [line for page in under for line in page]
    # Each tip's lines, from its bullet on as far as its words go; a last line of one word is a lone word.
    alone = []
    for tip in tips:
        whole = "".join(tip.split())
        [start] = [n for n, line in enumerate(read) if line.startswith("•") and whole.startswith(_packed(line[1:]))]
        taken, at = _packed(read[start][1:]), start
        while taken != whole and at + 1 < len(read) and whole.startswith(taken + _packed(read[at + 1])):
            at += 1
            taken += _packed(read[at])
        assert taken == whole, (tip, read[start : at + 2])
        if at > start and len(read[at].split()) == 1:
            alone.append((tip[:40], read[at]))
    assert not alone, alone


def _packed(text: str) -> str:
    return "".join(text.split())
