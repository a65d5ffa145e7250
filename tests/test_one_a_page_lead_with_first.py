"""One exercise a page, large print: the heading "Your exercises" never ends a page apart from the
exercise it heads.

trial 26, fault 6: Spanish, 18 pt, one a page, a note on every exercise: "Sus ejercicios" and how
to tick ended page 1 under the front page's facts, exercise 1 on page 2. Where no page holds the
first exercise with them (its picture at its least), how to tick alone ends the page before,
without the heading: exercise 1's own name heads its page, its picture as large as before.
"""

from __future__ import annotations

import dataclasses

import pytest

from planner.handouts import words
from planner.handouts.content import HandoutContent, handout_content
from planner.handouts.styles import HandoutOptions
from tests.factories import catalog_session
from tests.handout_world import NOW, pages_text, rendered
from tests.test_handout_front_slack import URL, san_rafael
from tests.test_handout_one_a_page_large import start
from tests.test_week_line_with_how_to_tick import NOTES

TEMPLATES = ["cervical", "oromandibular", "posture", "blepharospasm"]


@pytest.fixture(scope="module")
def started(catalog_file, tmp_path_factory) -> dict[tuple[str, str], HandoutContent]:  # noqa: ANN001
    """{(template, language): the template as started for a large-print patient with its pattern,
    one exercise a page, trial 24's note on every exercise}."""
    read = {}
    with catalog_session(catalog_file, tmp_path_factory.mktemp("lead-with-first")) as db:
        clinic, therapist_id, _ = san_rafael(db)
        for number, name in enumerate(TEMPLATES):
            program = start(db, clinic, therapist_id, name, f"Paciente {number}")
            db.commit()
            for language in ("es", "en"):
                for item in program.items:
                    item.note = NOTES[language]
                db.flush()
                content = handout_content(db, program, NOW, URL, language)
                read[name, language] = dataclasses.replace(content, layout="page")
    return read


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("template", TEMPLATES)
def test_the_exercises_heading_is_on_exercise_ones_page(started, template, language, paper):
    content = started[template, language]
    assert content.large_print and content.layout == "page"
    pages = pages_text(rendered(content, HandoutOptions(page_size=paper)))
    said = words.of(language)
    heading = " ".join(said.headings["exercises"].split())
    first = f"1. {content.exercises[0].name}"
    at = next(number for number, page in enumerate(pages) if first in page)  # (the tick sheet names it too)
    assert at > 0
    assert [number for number, page in enumerate(pages) if heading in page] in ([at], []), pages[at - 1][-200:]
    # How to tick is printed once, on exercise 1's page or at the foot of the page before.
    how = " ".join(said.how_to_use.split())
    assert [number for number, page in enumerate(pages) if how in page] in ([at], [at - 1])
