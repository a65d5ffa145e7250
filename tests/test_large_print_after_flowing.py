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


# Trial 37, F2: twelve exercises, each with a 300-character note: where the next exercise does not
# fit the last page of one that goes on over two, that page held only "N. … (continuación)" and
# the row of boxes (pages 7 and 12 of 15, Letter). Lines of the note go with the row.
TWELVE_NOTED = [
    "cheek-puff",
    "neck-turn-lying",
    "eyebrow-lift",
    "hand-shake-out",
    "band-row",
    "chin-tuck-sitting",
    "wrist-bends-and-circles",
    "shoulder-rolls",
    "sensory-trick-chin-touch",
    "trunk-turn-sitting",
    "chin-nod-head-lift",
    "resting-the-eyes",
]


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("language", ["es", "en"])
def test_a_row_of_boxes_never_goes_on_alone(catalog_file, tmp_path, language, paper):  # noqa: ANN001
    note = (NOTE[language] * 10)[:300].strip()
    with catalog_session(catalog_file, tmp_path) as db:
        program = made_in_the_app(db, "Ana Ruiz", "Cuello y manos", TWELVE_NOTED, "right", note, True)
        content = handout_content(db, program, NOW, URL, language)
    told = dataclasses.replace(content, layout="compact", paper_size=paper, advice=[], advice_text="")
    printed = rendered(told, HandoutOptions(languages=("en", "es")))
    said = words.of(language)
    for lines in page_lines(printed):
        head = " ".join(lines[0].split()) if lines else ""
        going_on = any(head == said.continued(block.number, block.name) for block in told.exercises)
        if going_on:
            # More than the "continued" line, the row's day names and its boxes (the running head
            # and the footer's two lines): some of the note goes on with them.
            assert " ".join(note.split()[-3:]) in " ".join(" ".join(lines).split()), lines
            assert len(lines) > 6, lines
