"""Large print: how to tick says under what the boxes are ("under it": the exercise), in
Spanish too (trial 40, F2: "marque una casilla debajo" ended page 2 over the tips' foot, the
exercise and its boxes on page 3: "debajo", "below", read as under this line, where nothing was)."""

from __future__ import annotations

import dataclasses

import pytest

from planner.handouts.content import handout_content
from planner.handouts.styles import HandoutOptions
from planner.i18n import translations
from planner.services import advice
from tests.factories import catalog_session
from tests.handout_world import NOW, made_in_the_app, pages_text, rendered
from tests.test_handout_front_slack import URL

WHERE = {1: "marque una casilla debajo del ejercicio.", 3: "marque una casilla debajo de ese ejercicio."}


@pytest.mark.parametrize("count", [1, 3])
def test_spanish_how_to_tick_names_the_exercise_its_boxes_are_under(catalog_file, tmp_path, count):  # noqa: ANN001
    with catalog_session(catalog_file, tmp_path) as db:
        slugs = ["bridge", "heel-raise", "cat-camel"][:count]
        program = made_in_the_app(db, "Ana Ruiz", "Su programa en casa", slugs, "", "", True)
        content = handout_content(db, program, NOW, URL, "es")
    tips = [translations("es").gettext(line) for line in advice.BUILT_IN]
    for told in (content, dataclasses.replace(content, advice=tips[:9])):
        text = " ".join(pages_text(rendered(told, HandoutOptions(languages=("en", "es")))))
        assert WHERE[count] in text


def test_how_to_tick_stays_over_the_exercise_where_a_page_holds_the_two(catalog_file, tmp_path):  # noqa: ANN001
    """Trial 41, F2: one exercise with a 300-character note, five tips, a long front page, 18 pt,
    A4: how to tick ended page 2 under the tips, the exercise and its boxes on page 3, which had
    room for it (70 pt free, 54 needed). Now the tips have page 2 and how to tick heads page 3."""
    from tests.test_handout_content_bound import _content  # the program that test rebuilds

    with catalog_session(catalog_file, tmp_path) as db:
        content = _content(db, [("hand-shake-out", 300)], True, list(advice.BUILT_IN[:5]))
    content = dataclasses.replace(content, paper_size="a4")
    pages = pages_text(rendered(content, HandoutOptions(languages=("en", "es"))))
    how = "Cada vez que lo haga, " + WHERE[1]
    where = [n for n, page in enumerate(pages) if how in page]
    assert len(where) == 1, pages
    assert f"1. {content.exercises[0].name}" in pages[where[0]], pages[where[0]][:300]
    assert len(pages) == 3  # as many pages as before: the tips on page 2
