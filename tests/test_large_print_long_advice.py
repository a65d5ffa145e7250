"""Large print, compact: with the therapist's long "Other advice", one tip never takes more pages
than three (trial 35, F4/F5: one exercise with a 1,000-character note, 1,000 characters of advice
on Letter: one tip 4 pages, its last 2 lines alone on page 4; three tips 3, two of them on the
front page). With one tip no break between whole tips fits the front page: the tips now break
at a line there, the rest under "(continued)" after the last exercise."""

from __future__ import annotations

import dataclasses

import pytest

from planner.handouts.content import handout_content
from planner.handouts.styles import HandoutOptions
from planner.i18n import translations
from planner.services import advice
from tests.factories import catalog_session
from tests.handout_world import NOW, make_world, page_count, pages_text, rendered
from tests.test_handout_front_slack import URL

NOTE = ("Do this one slowly and without pain. Stop if you feel a strong pull. " * 20)[:999].strip()
OTHER = "Ask your family to help you set up your desk. Rest your eyes every hour. Use a firm pillow at night. " * 25


@pytest.fixture(scope="module")
def content(catalog_file, tmp_path_factory):  # noqa: ANN001, ANN201
    with catalog_session(catalog_file, tmp_path_factory.mktemp("long-advice-large")) as db:
        program = make_world(db, slugs=["knee-rolls-lying"], large_print=True, notes={0: NOTE})
        made = handout_content(db, program, NOW, URL, "en")
    # The demo's front page (Jonas Berg's goals and visits): page 1 has room for two tips.
    return dataclasses.replace(
        made,
        clinic_contact=["12 Harbour Road, Springfield", "555-0142", "front-desk@demo-physio.example"],
        title="Your home program for the eyes and face",
        goals_text="Keep my eyes open longer when I read. Relax my face when I feel the eyes start to close.",
        visit_plan="Visits every 2 weeks for 8 weeks",
    )


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("length", [500, 1000])
def test_one_tip_takes_no_more_pages_than_three(content, length, paper):  # noqa: ANN001
    tips = [translations("en").gettext(line) for line in advice.BUILT_IN]
    other = OTHER[:length].rsplit(" ", 1)[0]
    pages, texts = {}, {}
    for count in (1, 2, 3):
        told = dataclasses.replace(content, advice=tips[:count], advice_text=other, paper_size=paper)
        printed = rendered(told, HandoutOptions(languages=("en", "es")))
        pages[count], texts[count] = page_count(printed), " ".join(" ".join(pages_text(printed)).split())
        # Nothing lost: the therapist's line from its first words to its last.
        assert " ".join(other.split()[:10]) in texts[count]
        assert " ".join(other.split()[-6:]) in texts[count]
    assert pages[1] <= pages[3] and pages[2] <= pages[3], pages
