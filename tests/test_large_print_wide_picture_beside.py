"""Large print: a lying-down exercise (its picture wide) that no page holds with its picture
above the dosage and the steps takes the picture beside them, as large as it grows, where a
page then holds it whole: trial 40's hunt, run again in session 29, found body-scan-lying with a
300-character note at 18 pt on A4 804 pt high with its picture above, so it went on over two
pages, the second holding "(continuación)", three lines of the note and its boxes (85 % empty),
a page over the goal. Beside the dosage it is 690 pt: one page, and the handout meets n + 1."""

from __future__ import annotations

import dataclasses

import pytest

from planner.handouts import words
from planner.handouts.content import handout_content
from planner.handouts.styles import HandoutOptions
from tests.factories import catalog_session
from tests.handout_world import NOW, made_in_the_app, page_lines, picture_widths, rendered
from tests.test_handout_front_slack import URL
from tests.test_handout_layout import TODAY_14PT

NOTES = {
    "es": ("Haga este ejercicio despacio y sin dolor. Pare si nota un tirón fuerte. " * 5)[:300].strip(),
    "en": ("Do this one slowly and without pain. Stop if you feel a strong pull. " * 5)[:300].strip(),
}
SIX = [
    "knee-rolls-lying",
    "belly-breathing-lying",
    "shoulder-blade-squeeze",
    "body-scan-lying",
    "resting-the-eyes",
    "chin-nod-head-lift",
]


@pytest.mark.parametrize("language", ["es", "en"])
def test_a_wide_picture_goes_beside_where_that_keeps_the_exercise_on_one_page(catalog_file, tmp_path, language):  # noqa: ANN001
    with catalog_session(catalog_file, tmp_path) as db:
        program = made_in_the_app(db, "Ana Ruiz", "Neck", SIX, "right", large_print=True)
        for item in program.items:
            if item.exercise.slug in ("knee-rolls-lying", "body-scan-lying", "resting-the-eyes"):
                item.note = NOTES[language]
        db.commit()
        content = dataclasses.replace(handout_content(db, program, NOW, URL, language), paper_size="a4")
    pdf = rendered(content, HandoutOptions(languages=("en", "es")))
    pages = page_lines(pdf)
    text = [" ".join(" ".join(page).split()) for page in pages]
    # Exercise 4 on one page: its heading on one page only, no page headed "4. … (continued)".
    name = content.exercises[3].name
    assert not [page[:2] for page in text if words.of(language).continued(4, name) in page]
    assert sum(f"4. {name}" in page for page in text) == 1, [page[:80] for page in text]
    assert len(pages) <= 6 + 1, len(pages)  # n + 1 at 18 pt
    # Its picture no smaller than at 14 pt (its width: a lying figure is wide, not tall).
    assert min(picture_widths(pdf)) >= TODAY_14PT["a4"] - 0.5
