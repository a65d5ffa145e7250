"""Compact: the tick sheet cuts a name short only where its page has no room for it whole.

Trial 31, F5: where the way that saves a page cuts the sheet's names to a line each (compact.
fewer_pages), the names stayed cut with room left under the sheet (six names on the front page,
94 pt free under it). The sheet is now made again with as many names whole, in order, as that
room holds, on the same page (closing.names_whole). Session 25's sweep of 576 handouts: names cut
in compact handouts 67 -> 56, pages 3,434 = 3,434.
"""

from __future__ import annotations

import dataclasses
import math

import pytest

from planner.handouts import words
from planner.handouts.styles import HandoutOptions
from planner.i18n import translations
from planner.services import advice
from tests.handout_world import pages_text, rendered
from tests.test_handout_everyday_programs import _made, started  # noqa: F401  (the fixture)

# (template, language, paper, notes, tips ticked, names cut before, a name now whole on the sheet)
CASES = [
    ("cervical", "es", "letter", True, 0, 3, "3. Mantener la cabeza girada, boca arriba"),
    ("writer's cramp", "en", "a4", False, 12, 2, None),
    ("oromandibular", "es", "a4", True, 12, 2, None),
    ("generalized", "en", "a4", False, 12, 1, None),
]


@pytest.mark.parametrize(("template", "language", "paper", "notes", "tips", "before", "whole"), CASES)
def test_a_cut_name_is_whole_where_the_sheets_page_has_room(
    started,  # noqa: F811
    template,
    language,
    paper,
    notes,
    tips,
    before,
    whole,
):
    content, _ = _made(started, template, language, paper, notes, True, "short")
    lines = [translations(language).gettext(line) for line in advice.BUILT_IN[:tips]]
    content = dataclasses.replace(content, advice=lines)
    read = pages_text(rendered(content, HandoutOptions(languages=("en", "es"))))
    said = words.of(language)
    [sheet] = [page for page in read if said.headings["tick_sheet"] in page]
    # (the page's running header and foot are drawn after its body: cut off at the safety line)
    rows = sheet[sheet.index(said.headings["tick_sheet"]) : sheet.index(said.safety)]
    assert rows.count("\u2026") < before, rows
    if whole is not None:
        assert whole in " ".join(rows.split()), rows
    assert len(read) <= math.ceil((len(content.exercises) + 2) / 2)
