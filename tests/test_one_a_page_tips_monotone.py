"""One exercise a page, large print: one tip and the therapist's long advice never take more pages
than two tips and the same advice (trial 36, F6: Spanish, 1,000 characters: one tip 5 pages, two
tips 4; the two short tips went under the last exercise, its picture at its least, where one
short tip and the long one started a page of their own, their end with the tick sheet on the
next). The last exercise's picture gives way for the long tips too, where that takes fewer pages."""

from __future__ import annotations

import dataclasses

import pytest

from planner.handouts.content import handout_content
from planner.handouts.styles import HandoutOptions
from planner.i18n import translations
from planner.services import advice
from tests.factories import catalog_session
from tests.handout_world import NOW, TWELVE, make_world, page_count, pages_text, rendered
from tests.test_one_a_page_long_advice import OTHER

ADVICE = {
    "en": OTHER,
    "es": "Pida a su familia que le ayude a ordenar la mesa de trabajo. Descanse la vista cada hora. " * 20,
}


@pytest.fixture(scope="module")
def programs(catalog_file, tmp_path_factory):  # noqa: ANN001, ANN201
    made = {}
    with catalog_session(catalog_file, tmp_path_factory.mktemp("tips-monotone")) as db:
        for start, count in ((2, 2), (1, 3)):
            program = make_world(db, slugs=TWELVE[start : start + count], notes={}, clinic_name=f"C {start} {count}")
            for language in ("en", "es"):
                made[count, language] = handout_content(db, program, NOW, "https://exercises.example.org/p/x", language)
    return made


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("count", [2, 3])
@pytest.mark.parametrize("language", ["es", "en"])
def test_one_tip_takes_no_page_more_than_two(programs, language, count, paper):  # noqa: ANN001
    tips = [translations(language).gettext(line) for line in advice.BUILT_IN]
    other = ADVICE[language][:1000].rsplit(" ", 1)[0]
    pages = {}
    for ticked in (0, 1, 2, 3):
        told = dataclasses.replace(
            programs[count, language],
            layout="page",
            large_print=True,
            paper_size=paper,
            advice=tips[:ticked],
            advice_text=other,
        )
        printed = rendered(told, HandoutOptions(languages=("en", "es")))
        pages[ticked] = page_count(printed)
        text = " ".join(pages_text(printed))
        assert " ".join(other.split()[-6:]) in text
    assert pages[0] <= pages[1] <= pages[2] <= pages[3], pages
