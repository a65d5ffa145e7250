"""One exercise a page, large print: tips that go on over a page start it under their heading
again, "… (continued)", never with bare bullets (trial 38, F2: every tip, a 120-character name,
nine exercises, Letter: the last page opened with "• Keep things you use often…" over the tick
sheet, no heading to say what the lines were; a heading costs a page where nothing else fits)."""

from __future__ import annotations

import dataclasses

import pytest

from planner.handouts import words
from planner.handouts.content import handout_content
from planner.handouts.styles import HandoutOptions
from planner.i18n import translations
from planner.services import advice
from tests.factories import catalog_session
from tests.handout_world import NOW, made_in_the_app, page_lines, rendered
from tests.test_handout_front_slack import URL

NINE = [
    "sit-to-stand",
    "chin-tuck-sitting",
    "wrist-bends-and-circles",
    "slow-eye-closing",
    "wall-angels",
    "belly-breathing-lying",
    "tendon-glides",
    "neck-turn-lying-hold",
    "knee-rolls-lying",
]
NAME = ("María José Fernández-Muñoz de la Peña Ibáñez Núñez Güemes Ávila Ortúzar Carreño " * 2)[:120]
OTHER = "Ask your family to help you set up your desk. Rest your eyes every hour. "


@pytest.fixture(scope="module")
def programs(catalog_file, tmp_path_factory):  # noqa: ANN001, ANN201
    made = {}
    for count in (2, 6, 9):
        with catalog_session(catalog_file, tmp_path_factory.mktemp("tips-headed")) as db:
            program = made_in_the_app(db, NAME, "Your home program for neck control", NINE[:count], "right", "", True)
            for language in ("en", "es"):
                made[count, language] = dataclasses.replace(
                    handout_content(db, program, NOW, URL, language), layout="page"
                )
    return made


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("count", [2, 6, 9])
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("other", [0, 500])
def test_tips_on_a_new_page_start_under_their_heading(programs, language, count, paper, other):  # noqa: ANN001
    tips = [translations(language).gettext(line) for line in advice.BUILT_IN]
    told = dataclasses.replace(
        programs[count, language], advice=tips, advice_text=(OTHER * 8)[:other].strip(), paper_size=paper
    )
    pages = page_lines(rendered(told, HandoutOptions(languages=("en", "es"))))
    heading = words.of(language).headings["day"]
    # The body is drawn before the running head: a page's first line read is its body's first.
    bare = [number for number, lines in enumerate(pages[1:], 2) if lines[0].lstrip().startswith("•")]
    assert not bare, [(number, pages[number - 1][:2]) for number in bare]
    assert any(heading in " ".join(lines) for lines in pages)
