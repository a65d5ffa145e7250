"""Compact: the therapist's longer advice never takes fewer pages than shorter advice (trial 36 and
37, F6/F4: six exercises, every tip, A4: 1,500 characters took 5 pages, 2,000 took 4). A tip
taller than half a page breaks at a line; a shorter long tip (five lines or more) was kept whole.
It is now laid out both ways and the one with fewer pages printed."""

from __future__ import annotations

import dataclasses

import pytest

from planner.handouts.content import handout_content
from planner.handouts.styles import HandoutOptions
from planner.i18n import translations
from planner.services import advice
from tests.factories import catalog_session
from tests.handout_world import NOW, TWELVE, make_world, page_count, pages_text, rendered
from tests.test_handout_front_slack import URL

OTHER = {
    "en": "Ask your family to help you set up your desk. Rest your eyes every hour. Use a firm pillow at night. ",
    "es": "Pida a su familia que le ayude a ordenar la mesa de trabajo. Descanse la vista cada hora. ",
}


@pytest.fixture(scope="module")
def programs(catalog_file, tmp_path_factory):  # noqa: ANN001, ANN201
    with catalog_session(catalog_file, tmp_path_factory.mktemp("compact-long-tip")) as db:
        program = make_world(db, slugs=TWELVE[:6], notes={})
        return {language: handout_content(db, program, NOW, URL, language) for language in ("en", "es")}


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_longer_advice_never_fewer_pages(programs, language, paper):  # noqa: ANN001
    tips = [translations(language).gettext(line) for line in advice.BUILT_IN]
    pages = {}
    for length in (500, 1000, 1250, 1500, 1750, 2000):
        other = (OTHER[language] * 30)[:length].rsplit(" ", 1)[0]
        told = dataclasses.replace(
            programs[language], layout="compact", paper_size=paper, advice=tips, advice_text=other
        )
        printed = rendered(told, HandoutOptions(languages=("en", "es")))
        pages[length] = page_count(printed)
        assert " ".join(other.split()[-6:]) in " ".join(" ".join(pages_text(printed)).split())
    counts = list(pages.values())
    assert counts == sorted(counts), pages
