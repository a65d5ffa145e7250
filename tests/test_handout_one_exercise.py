"""A program of one exercise reads in the singular: "Your exercise. Do it slowly…", not "Do them in
order" (trial 30, F7: a Spanish large-print program of one printed "Hágalos en orden… cada vez que
haga uno"). Two exercises or more keep the plural. Read back from the PDF in English and Spanish,
at 14 pt (the tick sheet at the end or on page 1) and 18 pt (each exercise's boxes under it)."""

from __future__ import annotations

import dataclasses

import pytest

from planner.handouts import words
from planner.handouts.content import handout_content
from planner.handouts.styles import HandoutOptions
from tests.factories import catalog_session
from tests.handout_world import NOW, make_world, pages_text, rendered
from tests.test_handout_front_slack import URL

SINGULAR = {
    "en": ("Your exercise", "Do it slowly."),
    "es": ("Su ejercicio", "Hágalo despacio."),
}
PLURAL = {"en": "Do them in order", "es": "Hágalos en orden"}


@pytest.fixture(scope="module")
def read(catalog_file, tmp_path_factory):  # noqa: ANN001, ANN201
    """{(language, count): the handout content of a program of `count` exercises}."""
    found = {}
    with catalog_session(catalog_file, tmp_path_factory.mktemp("one")) as db:
        for count in (1, 2):
            program = make_world(
                db, slugs=["shoulder-rolls", "chin-tuck-sitting"][:count], clinic_name=f"Clinic {count}"
            )
            for language in ("en", "es"):
                found[language, count] = handout_content(db, program, NOW, URL, language)
    return found


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("large_print", [False, True], ids=["14pt", "18pt"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_one_exercise_is_told_in_the_singular(read, language, large_print, paper):
    options = HandoutOptions(languages=("en", "es"))
    one = dataclasses.replace(read[language, 1], large_print=large_print, paper_size=paper)
    pages = pages_text(rendered(one, options))
    text = " ".join(" ".join(pages).split())
    heading, how = SINGULAR[language]
    assert how in text and PLURAL[language] not in text
    # The heading, where the story keeps it (large print and a one-page handout leave it out).
    assert words.of(language).headings["exercises"] not in text
    assert heading in text or large_print or len(pages) == 1
    two = dataclasses.replace(read[language, 2], large_print=large_print, paper_size=paper)
    text = " ".join(" ".join(pages_text(rendered(two, options))).split())
    assert PLURAL[language] in text and how not in text
