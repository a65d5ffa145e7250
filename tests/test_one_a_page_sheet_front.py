"""One exercise a page: where nothing goes above the tick sheet and it fits no exercise's page,
it goes at the foot of the front page, how to tick saying "on page 1", not on a last page of its
own (the grid of trial 34: one exercise at 18 pt, its one-row sheet alone on page 3, 80 % empty)."""

from __future__ import annotations

import dataclasses

import pytest

from planner.handouts import words
from planner.handouts.content import handout_content
from planner.handouts.styles import HandoutOptions
from tests.factories import catalog_session
from tests.handout_world import NOW, ends_with_the_sheet_alone, make_world, pages_text, rendered
from tests.test_handout_front_slack import URL


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("language", ["en", "es"])
# The first three fit a page with how to do them; the last three do not, at 18 pt in Spanish: how to
# do them ends the front page, the sheet under it (trial 36, F2: the sheet alone on page 3).
@pytest.mark.parametrize(
    "slug", ["jaw-rest-position", "neck-turn-sitting", "chin-tuck-lying", "bridge", "sit-to-stand", "hand-shake-out"]
)
def test_the_sheet_goes_on_the_front_page_rather_than_alone(catalog_file, tmp_path, slug, language, paper):  # noqa: ANN001
    with catalog_session(catalog_file, tmp_path) as db:
        program = make_world(db, slugs=[slug], large_print=True, notes={})
        content = handout_content(db, program, NOW, URL, language)
    content = dataclasses.replace(content, layout="page", advice=[], advice_text="", paper_size=paper)
    printed = rendered(content, HandoutOptions(languages=("en", "es")))
    said = words.of(language)
    pages = [" ".join(page.split()) for page in pages_text(printed)]
    assert not ends_with_the_sheet_alone(printed, language), pages[-1][:200]
    [sheet_page] = [n for n, page in enumerate(pages) if said.headings["tick_sheet"] in page]
    assert len(pages) == 2  # the front page and the exercise's
    if sheet_page == 0:
        # How to tick says where the boxes are, once.
        text = " ".join(pages)
        assert text.count(" ".join(said.lead(1, "front")[1].split())) == 1, pages[0][-300:]
        assert " ".join(said.lead(1, "end")[1].split()) not in text
