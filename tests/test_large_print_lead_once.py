"""Large print, compact: how to tick and the week's line print once (trial 35, F1: one exercise
with a 1,000-character note, three tips and 1,000 characters of advice: page 1 read how to tick,
the week's blank, two tips, then how to tick and the week's blank again). The tips broken under
the front page's facts were set above how to do them, which was already among those facts."""

from __future__ import annotations

import dataclasses

import pytest

from planner.handouts import words
from planner.handouts.content import handout_content
from planner.handouts.styles import HandoutOptions
from planner.i18n import translations
from planner.services import advice
from tests.factories import catalog_session
from tests.handout_world import NOW, make_world, pages_text, rendered
from tests.test_handout_front_slack import URL

NOTE = ("Keep your knees together and move slowly. Stop if your back hurts. " * 20)[:999].strip()
OTHER = ("Ask your family to help you set up your desk. Rest your eyes every hour. " * 20)[:1000].rsplit(" ", 1)[0]


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("count", [1, 2, 3, 12])
@pytest.mark.parametrize("language", ["en", "es"])
def test_how_to_tick_prints_once(catalog_file, tmp_path, language, count, paper):  # noqa: ANN001
    with catalog_session(catalog_file, tmp_path) as db:
        program = make_world(db, slugs=["knee-rolls-lying"], large_print=True, notes={0: NOTE})
        content = handout_content(db, program, NOW, URL, language)
    tips = [translations(language).gettext(line) for line in advice.BUILT_IN]
    content = dataclasses.replace(content, advice=tips[:count], advice_text=OTHER, paper_size=paper)
    text = " ".join(" ".join(pages_text(rendered(content, HandoutOptions(languages=("en", "es"))))).split())
    said = words.of(language)
    assert text.count(said.headings["week_of"]) == 1
    assert text.count(" ".join(said.lead(1, "below")[1].split())) == 1
