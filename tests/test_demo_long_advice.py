"""Compact, 14 pt: the demo's programs with every tip ticked and the therapist's "Other advice" at
its 2,000-character limit never end on a page of the tick sheet alone (trial 34, F2: "Your home
program for writing" on Letter took 6 pages, exercise 6 alone on page 4 and 60 % empty, the tips
on page 5, the one-page sheet alone on page 6; in 20 of 72 such programs). A tip taller than half
a page used to start the next page whole to spare a page turn; it now starts where it is, so the
pages after it keep the room it leaves."""

from __future__ import annotations

import dataclasses

import pytest

from planner.handouts.styles import HandoutOptions
from planner.i18n import translations
from planner.services import advice
from tests.handout_world import ends_with_the_sheet_alone, rendered
from tests.test_handout_layout import LANGUAGES, demo_read  # noqa: F401 (a fixture)

OTHER = {
    "en": "Ask your family to help you set up your desk. Rest your eyes every hour. Use a firm pillow at night. ",
    "es": "Pida a su familia que le ayude a ordenar la mesa de trabajo. Descanse la vista cada hora. "
    "Use una almohada firme por la noche. ",
}


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_tip_and_the_longest_advice_never_leave_the_sheet_alone(demo_read, language, paper):  # noqa: F811
    tips = [translations(language).gettext(line) for line in advice.BUILT_IN]
    other = (OTHER[language] * 30)[:2000].rsplit(" ", 1)[0]
    alone = []
    for (patient, lang), content in demo_read.items():
        if lang != language:
            continue
        told = dataclasses.replace(content, advice=tips, advice_text=other, large_print=False, layout="compact")
        if ends_with_the_sheet_alone(rendered(told, HandoutOptions(page_size=paper)), language):
            alone.append(patient)
    assert not alone
