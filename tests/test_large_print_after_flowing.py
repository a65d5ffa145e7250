"""Large print, compact: after an exercise that goes on over two pages, the next starts on its
last page where it fits there with its picture at its least (still wider than at 14 pt), not on
a page of its own (trial 36, F5; trial 35, F3: a 300-character note took the chin touch a little
over a page; "1. … (continuación)" and its row of boxes stood alone on page 3, 90 % empty, and
the ankle pumps, their picture the page's width, took page 4: 5 pages for 3 exercises)."""

from __future__ import annotations

import dataclasses

import pytest

from planner.handouts import words
from planner.handouts.content import handout_content
from planner.handouts.styles import HandoutOptions
from tests.factories import catalog_session
from tests.handout_world import NOW, made_in_the_app, page_lines, picture_widths, rendered
from tests.test_handout_front_slack import URL

THREE = ["sensory-trick-chin-touch", "ankle-pumps", "belly-breathing-lying"]
NOTE = {
    "es": "Haga este ejercicio despacio y sin dolor. Pare si nota un tirón fuerte. ",
    "en": "Do this one slowly and without pain. Stop if you feel a strong pull. ",
}


@pytest.fixture(scope="module")
def programs(catalog_file, tmp_path_factory):  # noqa: ANN001, ANN201
    with catalog_session(catalog_file, tmp_path_factory.mktemp("after-flowing")) as db:
        program = made_in_the_app(
            db, "Ana Ruiz", "Su programa en casa para controlar el cuello", THREE, "right", "", True
        )
        return {language: handout_content(db, program, NOW, URL, language) for language in ("en", "es")}


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("length", [300, 500])
@pytest.mark.parametrize("language", ["es", "en"])
def test_the_next_exercise_shares_the_last_page(programs, language, length, paper):  # noqa: ANN001
    content = programs[language]
    note = (NOTE[language] * 10)[:length].strip()
    exercises = [dataclasses.replace(content.exercises[0], note=note), *content.exercises[1:]]
    told = dataclasses.replace(content, exercises=exercises, layout="compact", paper_size=paper, advice=[])
    printed = rendered(told, HandoutOptions(languages=("en", "es")))
    pages = page_lines(printed)
    assert len(pages) <= len(THREE) + 1, [page[:2] for page in pages]  # the goal at 18 pt, n + 1
    continued = words.of(language).continued(1, told.exercises[0].name)
    for lines in pages:
        # A page the first exercise goes on to holds more than its "(continued)" line and boxes.
        if lines and " ".join(lines[0].split()) == continued:
            assert len(lines) > 12, lines
    # Exercise by exercise, each picture at 18 pt at least as wide as at 14 pt.
    small = rendered(dataclasses.replace(told, large_print=False), HandoutOptions(languages=("en", "es")))
    at_14, at_18 = picture_widths(small), picture_widths(printed)
    assert len(at_14) == len(at_18) == len(THREE)
    assert all(large >= body - 0.5 for body, large in zip(at_14, at_18, strict=True)), (at_14, at_18)
