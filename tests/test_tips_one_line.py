"""Each built-in tip takes one line of the handout, in English and Spanish, at 14 and 18 pt, on
Letter and A4 (issue #14: half the paper).

The twelve lines were 11 to 17 words, most of them two lines of a handout, five over the 15 words
a sentence the house allows; all twelve ticked took most of a page, and such programs a page over
the goal (61 of 576 compact handouts of the sweep, every one with the twelve tips). Each is now one
short sentence (planner/services/advice.py). A program keeps the English line of each tip it was
given (gettext's key): migration 0033_shorter_advice moved the stored copies, and a version given
before keeps its words and prints them in the patient's language still (advice.RETIRED).

Read back from the PDF: every tip ticked, the posture template as started.
"""

from __future__ import annotations

import dataclasses

import pytest

from planner.catalog.readability import SPANISH_EASE_6TH_GRADE, measure, measure_spanish
from planner.handouts import words
from planner.handouts.content import handout_content
from planner.handouts.styles import HandoutOptions
from planner.i18n import translations
from planner.services import advice, versions
from tests.handout_world import NOW, make_world, page_lines, rendered
from tests.test_handout_everyday_programs import _made, started  # noqa: F401


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("large_print", [False, True], ids=["14pt", "18pt"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_each_tip_takes_one_line(started, paper, large_print, language):  # noqa: F811
    content, _ = _made(started, "posture", language, paper, False, False, "short")
    tips = [translations(language).gettext(line) for line in advice.BUILT_IN]
    content = dataclasses.replace(content, advice=tips, large_print=large_print)
    lines = page_lines(rendered(content, HandoutOptions(languages=("en", "es"))))
    heading = words.of(language).headings["day"]
    read = [_packed(line) for page in lines if heading in page for line in page[page.index(heading) + 1 :]]
    assert read, "no page holds the tips"
    # The tips' panel may break between two whole tips (18 pt): each still a line of its own.
    read += [_packed(line) for page in lines if heading not in page for line in page]
    assert [tip for tip in tips if "•" + _packed(tip) not in read] == []


def test_each_tip_is_one_short_plain_sentence():
    """At most 15 words (the house's limit), English at about 6th grade (Flesch-Kincaid), Spanish
    at Fernández-Huerta 70 or more."""
    english = list(advice.BUILT_IN)
    spanish = [translations("es").gettext(line) for line in english]
    assert all(spanish[n] != line for n, line in enumerate(english)), "a tip with no Spanish"
    for texts in (english, spanish):
        assert all(text.count(".") == 1 and text.endswith(".") for text in texts), texts
    assert measure(english).longest_sentence_words <= 15
    assert measure(english).grade <= 6.5, measure(english)
    assert measure_spanish(spanish).longest_sentence_words <= 15
    assert measure_spanish(spanish).ease >= SPANISH_EASE_6TH_GRADE, measure_spanish(spanish)


def test_a_version_given_with_the_old_tips_prints_them_in_the_patients_language(catalog_db):
    """A program that holds the lines as they were before 0033 (a given version's snapshot keeps
    them) prints each in Spanish, none named as printed as written."""
    program = make_world(catalog_db, slugs=["chin-tuck-sitting"], notes={})
    program.advice = list(advice.RETIRED)
    catalog_db.commit()
    content = handout_content(catalog_db, program, NOW, None, "es")
    spanish = translations("es")
    assert content.advice == [spanish.gettext(line) for line in advice.RETIRED]
    assert all(said != line for said, line in zip(content.advice, advice.RETIRED, strict=True))
    assert not [label for label in content.as_written if label.startswith("Advice")]


def _packed(text: str) -> str:
    return "".join(text.split())


def test_the_versions_page_says_a_tip_was_reworded_not_removed_and_added():
    """After 0033 a program given with the old lines lists each as reworded (the Versions page's
    changes, versions.diff); a line ticked or unticked since is still added or removed."""
    old, new = list(advice.RETIRED), list(advice.BUILT_IN)
    changes = versions.diff(
        {"advice": [old[0], "Use the blue pen.", old[3]]}, {"advice": [new[0], new[5], "Use the blue pen."]}
    )
    assert changes == [
        f"Advice added: “{new[5]}”",
        f"Advice reworded, shorter: “{old[0]}” is now “{new[0]}”",
        f"Advice removed: “{old[3]}”",
    ]
