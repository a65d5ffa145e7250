"""One exercise a page, large print, a long note on every exercise: a tip or two go under the
last exercise's note where its last page has room, never on a page of their own (trial 34, F1:
nine exercises with 1,000-character notes, one tip ticked, Letter: the last note's end took 60 % of
page 19, and "Consejos para su día y su casa" with its one line alone on page 20, 21 pages for
20 with no tip). The last exercise goes on over two pages, and its last page was measured as
the whole exercise (taller than a page), so the tips seemed to fit under it nowhere."""

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
from tests.test_large_print_no_tips import NAME

# The reviewer's program, in its order.
NINE = [
    "head-midline-mirror",
    "bridge",
    "shoulder-blades-back-down",
    "ankle-pumps",
    "standing-tall-wall",
    "chin-nod-head-lift",
    "neck-turn-sitting",
    "sit-to-stand",
    "neck-turn-lying",
]
# A therapist's note at the form's 1,000 characters, in plain Spanish.
NOTE = ("Haga este ejercicio despacio y sin dolor. Pare si nota un tirón fuerte. " * 15)[:999].strip()


@pytest.fixture(scope="module")
def content(catalog_file, tmp_path_factory):  # noqa: ANN001, ANN201
    with catalog_session(catalog_file, tmp_path_factory.mktemp("long-notes")) as db:
        program = make_world(
            db, slugs=NINE, patient_name=NAME, large_print=True, notes=dict.fromkeys(range(len(NINE)), NOTE)
        )
        made = handout_content(db, program, NOW, URL, "es")
    return dataclasses.replace(made, layout="page", advice_text="")


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_a_tip_or_two_go_under_the_last_note(content, paper):  # noqa: ANN001
    said = words.of("es")
    tips = [translations("es").gettext(line) for line in advice.BUILT_IN]
    pages = {}
    for count in (0, 1, 2, 3):
        printed = rendered(
            dataclasses.replace(content, advice=tips[:count], paper_size=paper), HandoutOptions(languages=("en", "es"))
        )
        pages[count] = [" ".join(page.split()).split(said.questions)[0] for page in pages_text(printed)]
        if count:
            [held] = [page for page in pages[count] if said.headings["day"] in page]
            # The tips share their page: with the last note's end, or the front page's facts.
            assert "tirón fuerte" in held or held is pages[count][0], held[:200]
    assert len(pages[1]) == len(pages[2]) == len(pages[3]) == len(pages[0]), {k: len(v) for k, v in pages.items()}
