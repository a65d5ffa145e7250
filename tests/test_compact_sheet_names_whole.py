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
from planner.handouts.content import handout_content
from planner.handouts.styles import HandoutOptions
from planner.i18n import translations
from planner.services import advice
from tests.factories import catalog_session
from tests.handout_world import NOW, make_world, pages_text, rendered
from tests.test_handout_everyday_programs import _made, started  # noqa: F401  (the fixture)
from tests.test_handout_front_slack import NAMES, URL

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


# Trial 32's programs: F (compact, 14 pt, the tips kept together above the sheet on its page) and
# H (one a page, 18 pt, the sheet alone on its page): (slugs, name, large print, layout, names cut before).
TRIAL_32 = {
    "F": (
        [
            "shoulder-tense-and-release",
            "chin-tuck-sitting",
            "shoulder-rolls",
            "sensory-trick-chin-touch",
            "chin-nod-head-lift",
            "neck-shoulder-blade-stretch",
            "chin-tuck-lying",
            "neck-turn-lying",
            "heel-raise",
            "standing-tall-wall",
        ],
        "Ana Ruiz",
        False,
        "compact",
        6,
    ),
    "H": (
        [
            "sit-to-stand",
            "slow-breathing-counting",
            "trunk-turn-sitting",
            "neck-turn-lying-hold",
            "chin-nod-head-lift",
            "chin-tuck-lying",
            "wall-angels",
            "sensory-trick-chin-touch",
            "head-midline-mirror",
        ],
        NAMES["spanish"],
        True,
        "page",
        4,
    ),
}


@pytest.mark.parametrize("case", ["F", "H"])
def test_trial_32s_sheets_keep_names_whole_in_the_room_under_them(catalog_file, tmp_path, case):  # noqa: ANN001
    """F3: compact, the tips above the sheet on its page (kept together), six of ten names cut
    with 54 pt free under it; F4: one a page, the sheet alone on its page, four cut with 79 pt
    free (closing.one_page_sheet never made it roomier). A4, tips 1, 4 and 5; the pages as many."""
    slugs, name, large, layout, before = TRIAL_32[case]
    with catalog_session(catalog_file, tmp_path) as db:
        program = make_world(db, slugs=slugs, patient_name=name, large_print=large, notes={})
        content = handout_content(db, program, NOW, URL, "es")
    tips = [translations("es").gettext(advice.BUILT_IN[index]) for index in (0, 3, 4)]
    content = dataclasses.replace(content, advice=tips, paper_size="a4", layout=layout)
    read = pages_text(rendered(content, HandoutOptions(languages=("en", "es"))))
    said = words.of("es")
    [sheet] = [" ".join(page.split()) for page in read if said.headings["tick_sheet"] in page]
    rows = sheet[sheet.index(said.headings["tick_sheet"]) : sheet.index(said.questions)]
    assert rows.count("\u2026") < before, rows
    assert len(read) == (6 if case == "F" else 11)
