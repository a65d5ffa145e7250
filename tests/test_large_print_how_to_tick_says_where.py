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
