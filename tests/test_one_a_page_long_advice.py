"""One exercise a page, large print: the therapist's long "Other advice" (a tip taller than half a
page) starts under the last exercise, broken at a line, and goes on with the tick sheet, never
the sheet alone on the last page (trial 35, F2: three exercises, one tip and 1,500 characters:
the tips a page of their own after the last exercise's page 30 % empty, the sheet alone on the
next, 80 % empty)."""

from __future__ import annotations

import dataclasses

import pytest

from planner.handouts.content import handout_content
from planner.handouts.styles import HandoutOptions
from planner.i18n import translations
from planner.services import advice
from tests.factories import catalog_session
from tests.handout_world import NOW, ends_with_the_sheet_alone, make_world, pages_text, rendered
from tests.test_handout_front_slack import URL

THREE = ["chest-stretch-doorway", "chin-tuck-sitting", "finger-spread-band"]
OTHER = "Ask your family to help you set up your desk. Rest your eyes every hour. Use a firm pillow at night. " * 25


@pytest.fixture(scope="module")
def content(catalog_file, tmp_path_factory):  # noqa: ANN001, ANN201
    with catalog_session(catalog_file, tmp_path_factory.mktemp("long-advice")) as db:
        program = make_world(db, slugs=THREE, large_print=True, notes={})
        made = handout_content(db, program, NOW, URL, "en")
    return dataclasses.replace(made, layout="page")


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("length", [1000, 1500, 2000])
@pytest.mark.parametrize("count", [1, 3])
def test_long_advice_goes_on_with_the_sheet(content, count, length, paper):  # noqa: ANN001
    tips = [translations("en").gettext(line) for line in advice.BUILT_IN]
    other = OTHER[:length].rsplit(" ", 1)[0]
    told = dataclasses.replace(content, advice=tips[:count], advice_text=other, paper_size=paper)
    printed = rendered(told, HandoutOptions(languages=("en", "es")))
    assert not ends_with_the_sheet_alone(printed, "en")
    text = " ".join(" ".join(pages_text(printed)).split())
    # Nothing lost: the therapist's line from its first words to its last.
    assert " ".join(other.split()[:12]) in text
    assert " ".join(other.split()[-6:]) in text


# Trial 36, F1: six or nine exercises, a 1,000-character note on the last, 1,000-2,000
# characters of advice: the tips going on with the sheet made a last piece (the sheet, its
# "(continued)" and the lines kept with it) taller than a page: LayoutError, HTTP 500.
SIX = [
    "slow-eye-closing",
    "resting-the-eyes",
    "trunk-turn-sitting",
    "finger-spread-band",
    "hand-shake-out",
    "chin-tuck-sitting",
]
NINE = [*SIX, "bridge", "band-row", "heel-raise"]
NOTE = "Keep your shoulders low and soft. Breathe out slowly as you move. Stop if you feel sharp pain. " * 11


@pytest.fixture(scope="module")
def long_programs(catalog_file, tmp_path_factory):  # noqa: ANN001, ANN201
    made = {}
    with catalog_session(catalog_file, tmp_path_factory.mktemp("long-advice-many")) as db:
        for slugs in (SIX, NINE):
            for language in ("en", "es"):
                program = make_world(
                    db,
                    slugs=slugs,
                    large_print=True,
                    notes={len(slugs) - 1: NOTE[:1000]},
                    clinic_name=f"Clinic {len(slugs)} {language}",
                )
                content = handout_content(db, program, NOW, URL, language)
                made[len(slugs), language] = dataclasses.replace(content, layout="page")
    return made


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("length", [1000, 2000])
@pytest.mark.parametrize("count", [0, 1, 3, 12])
@pytest.mark.parametrize(("exercises", "language"), [(6, "es"), (6, "en"), (9, "en")])
def test_many_exercises_long_advice_prints(long_programs, exercises, language, count, length, paper):  # noqa: ANN001, PLR0913
    tips = [translations(language).gettext(line) for line in advice.BUILT_IN]
    other = OTHER[:length].rsplit(" ", 1)[0]
    told = dataclasses.replace(
        long_programs[exercises, language], advice=tips[:count], advice_text=other, paper_size=paper
    )
    printed = rendered(told, HandoutOptions(languages=("en", "es")))
    text = " ".join(" ".join(pages_text(printed)).split())
    assert " ".join(other.split()[-6:]) in text
    assert " ".join(NOTE[:1000].split()[-4:]) in text
