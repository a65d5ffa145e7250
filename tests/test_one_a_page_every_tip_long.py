"""One exercise a page, large print, every tip and the therapist's long advice over a tick sheet
that takes a page of its own: the tips start under the last exercise where that takes a page
less, never "(continued)" and two lines alone on a page (trial 37, F1: nine exercises, 12 tips
and 1,000 characters, A4: exercise 9's page half empty, the tips a page, page 12 their heading
again and 2 lines, page 13 the sheet)."""

from __future__ import annotations

import dataclasses

import pytest

from planner.handouts import words
from planner.handouts.content import handout_content
from planner.handouts.styles import HandoutOptions
from planner.i18n import translations
from planner.services import advice
from tests.factories import catalog_session
from tests.handout_world import NOW, made_in_the_app, page_lines, pages_text, rendered
from tests.test_handout_front_slack import URL
from tests.test_one_a_page_long_advice import OTHER

NINE = [
    "sitting-tall-firm-chair",
    "knee-rolls-lying",
    "belly-breathing-lying",
    "slow-eye-closing",
    "chin-tuck-sitting",
    "tendon-glides",
    "wrist-bends-and-circles",
    "big-loops-and-lines",
    "hand-shake-out",
]
# The running head and the footer's two lines.
DECOR = 3


@pytest.fixture(scope="module")
def programs(catalog_file, tmp_path_factory):  # noqa: ANN001, ANN201
    with catalog_session(catalog_file, tmp_path_factory.mktemp("every-tip-long")) as db:
        program = made_in_the_app(db, "Sam Lee", "Hands and neck", NINE, "right", "", True)
        return {language: handout_content(db, program, NOW, URL, language) for language in ("en", "es")}


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize(("count", "length"), [(12, 1000), (0, 2000), (3, 1000), (12, 2000)])
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_tips_go_on_with_more_than_two_lines(programs, language, count, length, paper):  # noqa: ANN001
    tips = [translations(language).gettext(line) for line in advice.BUILT_IN]
    other = OTHER[:length].rsplit(" ", 1)[0]
    told = dataclasses.replace(
        programs[language], layout="page", paper_size=paper, advice=tips[:count], advice_text=other
    )
    printed = rendered(told, HandoutOptions(languages=("en", "es")))
    said = words.of(language)
    for lines in page_lines(printed):
        if lines and lines[0].startswith(said.headings["day_continued"]):
            page = " ".join(" ".join(lines).split())
            assert said.headings["tick_sheet"] in page or len(lines) - 1 - DECOR > 3, lines
    if (language, count, length, paper) == ("en", 12, 1000, "a4"):
        assert len(page_lines(printed)) == 12  # the pages trial 37 counted, less the one alone
    assert " ".join(other.split()[-6:]) in " ".join(" ".join(pages_text(printed)).split())


# Trial 37, F3: a 120-character name, eight exercises, a 1,000-character note on the fourth, every
# tip and 2,000 characters: page 10 of 13 ended with the tips' heading and one one-line tip, the
# rest "(continued)" on the next. Under their heading, two lines of tips at least.
EIGHT = [
    "shoulder-rolls",
    "heel-raise",
    "cat-camel",
    "chin-tuck-lying",
    "ankle-pumps",
    "sit-to-stand",
    "body-scan-lying",
    "chest-stretch-doorway",
]
NAME = ("María José Fernández-Muñoz de la Peña Ibáñez Núñez Güemes Ávila Ortúzar Carreño " * 3)[:120]
OTHER_ES = "Pida a su familia que le ayude a ordenar la mesa de trabajo. Descanse la vista cada hora. "
NOTE = ("Haga este ejercicio despacio y sin dolor. Pare si nota un tirón fuerte. " * 20)[:1000]
# The footer's lines as read: the question line, the stop rule, the running head, the page number.
FOOTER = 4


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("count", [1, 3, 12])
def test_the_tips_heading_never_ends_a_page_over_one_line(catalog_file, tmp_path, count, paper):  # noqa: ANN001
    with catalog_session(catalog_file, tmp_path) as db:
        program = made_in_the_app(db, NAME, "Su programa en casa", EIGHT, "right", "", True)
        content = handout_content(db, program, NOW, URL, "es")
    noted = [*content.exercises[:3], dataclasses.replace(content.exercises[3], note=NOTE), *content.exercises[4:]]
    tips = [translations("es").gettext(line) for line in advice.BUILT_IN]
    other = (OTHER_ES * 20)[:2000].rsplit(" ", 1)[0]
    told = dataclasses.replace(
        content, exercises=noted, layout="page", paper_size=paper, advice=tips[:count], advice_text=other
    )
    printed = rendered(told, HandoutOptions(languages=("en", "es")))
    heading = words.of("es").headings["day"]
    for lines in page_lines(printed):
        body = lines[:-FOOTER]
        starts = [n for n, line in enumerate(body) if line == heading]
        if starts:
            assert len(body) - starts[0] >= 3, body[starts[0] :]
    assert " ".join(other.split()[-6:]) in " ".join(" ".join(pages_text(printed)).split())
