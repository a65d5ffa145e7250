"""One exercise a page, large print: a tick sheet taller than a page starts under the tips on
their page where that saves a page, with a third at least of the rows each page after it holds
(3 + 8 of 11), never fewer (2 + 9). Trial 39, F4: eleven exercises, every tip, a 120-character
name, Letter: with 60 characters of the therapist's advice the tips took page 13 alone and the
sheet pages 14 and 15; with 300 characters, broken at a line, the tips and the sheet shared a
page: 14. A longer text took fewer pages."""

from __future__ import annotations

import dataclasses

import pytest

from planner.handouts import words
from planner.handouts.content import handout_content
from planner.handouts.styles import HandoutOptions
from planner.i18n import translations
from planner.services import advice
from tests.factories import catalog_session
from tests.handout_world import NOW, made_in_the_app, page_count, pages_text, rendered
from tests.test_handout_front_slack import URL

ELEVEN = [
    "reach-trunk-straight",
    "step-over-line",
    "shoulder-low-sip-cup",
    "band-outward-rotation",
    "hip-front-stretch-bed-edge",
    "jaw-rest-position",
    "turn-key-and-lid",
    "trunk-midline-mirror-sitting",
    "head-midline-away-from-pull",
    "elbow-bend",
    "neck-back-stretch-sitting",
]
NAME = ("María José Fernández-Muñoz de la Peña Ibáñez Núñez Güemes Ávila Ortúzar Carreño Echevarría " * 2)[:120]
OTHER = "Ask your family to help you set up your desk. Rest your eyes every hour. Use a firm pillow at night. " * 5


@pytest.fixture(scope="module")
def content(catalog_file, tmp_path_factory):  # noqa: ANN001, ANN201
    with catalog_session(catalog_file, tmp_path_factory.mktemp("sheet-under-tips")) as db:
        program = made_in_the_app(db, NAME, "Neck and posture program", ELEVEN, "both", "", True)
        return dataclasses.replace(handout_content(db, program, NOW, URL, "en"), layout="page")


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_longer_advice_never_takes_fewer_pages(content, paper):  # noqa: ANN001
    tips = [translations("en").gettext(line) for line in advice.BUILT_IN]
    options = HandoutOptions(languages=("en", "es"))
    pages = [
        page_count(
            rendered(
                dataclasses.replace(content, advice=tips, advice_text=OTHER[:size].rsplit(" ", 1)[0], paper_size=paper),
                options,
            )
        )
        for size in (60, 300)
    ]
    assert pages[0] <= pages[1], pages


def test_the_sheet_starts_under_the_tips_where_that_saves_a_page(content):  # noqa: ANN001
    tips = [translations("en").gettext(line) for line in advice.BUILT_IN]
    told = dataclasses.replace(content, advice=tips, advice_text=OTHER[:60].rsplit(" ", 1)[0], paper_size="letter")
    text = pages_text(rendered(told, HandoutOptions(languages=("en", "es"))))
    said = words.of("en")
    tips_page = next(n for n, page in enumerate(text) if said.headings["day"] in page)
    # The sheet's heading under the tips on their page, its first rows there, the rest after.
    assert said.headings["tick_sheet"] in text[tips_page]
    assert "1. Reach forward" in text[tips_page]
    assert len(text) == tips_page + 2
