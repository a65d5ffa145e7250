"""One exercise a page, large print: tips that break between whole tips, the rest going with the
tick sheet, start under the last exercise where its last page has room for the first part, not
on a page of their own (trial 36, F3: a 1,000-character note ended page 5, 40 % of it empty; page
6 held only the tips' heading and two one-line tips; page 7 the rest with the sheet)."""

from __future__ import annotations

import dataclasses

import pytest

from planner.handouts import words
from planner.handouts.content import handout_content
from planner.handouts.styles import HandoutOptions
from planner.i18n import translations
from planner.services import advice
from tests.factories import catalog_session
from tests.handout_world import NOW, made_in_the_app, page_lines, rendered
from tests.test_handout_front_slack import URL

THREE = ["band-row", "belly-breathing-lying", "trunk-turn-sitting"]
NOTE = "Do this one slowly and without pain. Stop if you feel a strong pull. " * 20
OTHER = "Ask your family to help you set up your desk. Rest your eyes every hour. Use a firm pillow at night. " * 12


@pytest.fixture(scope="module")
def programs(catalog_file, tmp_path_factory):  # noqa: ANN001, ANN201
    made = {}
    with catalog_session(catalog_file, tmp_path_factory.mktemp("tips-under-note")) as db:
        program = made_in_the_app(
            db, "Ana Ruiz", "Your home program for neck control", THREE, "right", large_print=True
        )
        for language in ("en", "es"):
            content = handout_content(db, program, NOW, URL, language)
            noted = [*content.exercises[:2], dataclasses.replace(content.exercises[2], note=NOTE[:1000].strip())]
            made[language] = dataclasses.replace(content, exercises=noted, layout="page")
    return made


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("count", [1, 2, 3, 4])
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_tips_first_part_goes_under_the_note_end(programs, language, count, paper):  # noqa: ANN001
    tips = [translations(language).gettext(line) for line in advice.BUILT_IN]
    told = dataclasses.replace(
        programs[language], advice=tips[:count], advice_text=OTHER[:1000].rsplit(" ", 1)[0], paper_size=paper
    )
    printed = rendered(told, HandoutOptions(languages=("en", "es")))
    heading, sheet = words.of(language).headings["day"], words.of(language).headings["tick_sheet"]
    pages = [" ".join(" ".join(lines).split()) for lines in page_lines(printed)]
    first = next(n for n, page in enumerate(pages) if heading in page)
    # The page the tips start on holds more than their heading and a few short tips: the end of
    # the last exercise above them, or the tick sheet under them (the running head is drawn after
    # the page's body: nothing is read above a heading that starts a page).
    above = pages[first].split(heading)[0]
    assert len(above.split()) > 10 or sheet in pages[first], [page[:120] for page in pages]
    # Nothing lost: the therapist's advice to its last words, then the sheet.
    assert pages[-1].index(OTHER[:1000].rsplit(" ", 1)[0].split()[-1]) < pages[-1].index(sheet)
