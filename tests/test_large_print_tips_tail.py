"""Large print, compact: the therapist's long advice broken at a line, its start under the front
page and its rest after the last exercise, ends the handout with more than a line or two: a last
page that held only "Tips for your day and your home (continued)" and two lines read as a page
printed by mistake (trial 36, F4: nine exercises, 1,000 characters of advice, A4, page 11 of 11).
The break moves up a line at a time, the pages as many."""

from __future__ import annotations

import dataclasses

import pytest

from planner.handouts import words
from planner.handouts.content import handout_content
from planner.handouts.styles import HandoutOptions
from planner.i18n import translations
from planner.services import advice
from tests.factories import catalog_session
from tests.handout_world import NOW, make_world, page_lines, pages_text, rendered
from tests.test_handout_front_slack import URL

NINE = [
    "belly-breathing-lying",
    "sit-to-stand",
    "trunk-turn-sitting",
    "resting-the-eyes",
    "bridge",
    "wall-angels",
    "neck-turn-lying-hold",
    "writing-stable-shoulders",
    "sensory-trick-chin-touch",
]
OTHER = "Ask your family to help you set up your desk. Rest your eyes every hour. Use a firm pillow at night. " * 20
# The last page's lines other than the running head and the footer's two.
DECOR = 3


@pytest.fixture(scope="module")
def programs(catalog_file, tmp_path_factory):  # noqa: ANN001, ANN201
    with catalog_session(catalog_file, tmp_path_factory.mktemp("tips-tail")) as db:
        program = make_world(db, slugs=NINE, large_print=True, notes={})
        return {language: handout_content(db, program, NOW, URL, language) for language in ("en", "es")}


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("count", [0, 1, 3])
@pytest.mark.parametrize("language", ["en", "es"])
def test_long_advice_ends_with_more_than_two_lines(programs, language, count, paper):  # noqa: ANN001
    tips = [translations(language).gettext(line) for line in advice.BUILT_IN]
    other = OTHER[:1000].rsplit(" ", 1)[0]
    told = dataclasses.replace(
        programs[language], layout="compact", advice=tips[:count], advice_text=other, paper_size=paper
    )
    printed = rendered(told, HandoutOptions(languages=("en", "es")))
    last = page_lines(printed)[-1]
    if last and last[0].startswith(words.of(language).headings["day_continued"]):
        # The advice's end, under its heading again: five lines at least.
        assert len(last) - 1 - DECOR >= 5, last
    text = " ".join(" ".join(pages_text(printed)).split())
    assert " ".join(other.split()[-8:]) in text
