"""Large print (18 pt), compact: every tip ticked does not take a page of its own (issue #14: n
exercises on at most n + 1 pages).

trial 26, faults 1 and 2: a Spanish program of 1 to 5 exercises with all 12 tips and a short
note of the therapist's own took n + 2 pages on Letter and A4, the tips alone on the last page
while page 1 was half empty. Tips too many for one place now break between two whole tips: the
most that fit under the front page's facts, the rest headed "(continued)" under the last exercise
or at the feet of the exercises' pages, each tip whole and printed once.
"""

from __future__ import annotations

import pytest

from planner.handouts import words
from planner.handouts.content import HandoutContent, handout_content
from planner.handouts.styles import HandoutOptions
from planner.services import advice, program_items
from planner.services.catalog import get_exercise
from tests.factories import catalog_session
from tests.handout_world import NOW, made_in_the_app, page_count, pages_text, rendered
from tests.test_handout_front_slack import URL

SLUGS = ["chin-tuck-sitting", "shoulder-rolls", "wall-angels", "neck-turn-sitting", "heel-raise"]
OWN = "Camine un poco cada día, aunque sea por el pasillo de casa. Si hace frío, abríguese bien el cuello."


@pytest.fixture(scope="module")
def programs(catalog_file, tmp_path_factory) -> dict[int, HandoutContent]:  # noqa: ANN001
    """{n: trial 26's program of the first n of SLUGS for a Spanish large-print patient, every tip
    ticked and OWN as the therapist's own advice}."""
    read = {}
    with catalog_session(catalog_file, tmp_path_factory.mktemp("tips-split")) as db:
        program = made_in_the_app(db, "Rocío Martín Sáez", "Cuello y hombros", SLUGS[:1], "both", large_print=True)
        program.advice, program.advice_text = list(advice.BUILT_IN), OWN
        db.commit()
        for n, slug in enumerate(SLUGS, 1):
            if n > 1:
                exercise = get_exercise(db, program.patient.clinic_id, slug)
                program_items.add_item(db, program, exercise, None, NOW)
                db.commit()
            read[n] = handout_content(db, program, NOW, URL, "es")
    return read


# (n, paper). Until the built-in tips took a line each (0033), 5 exercises on Letter left room for
# 11 of the 13 tips on page 1 and the exercises' page feet, and the rest took a page of its own.
CASES = [(n, paper) for n in (2, 3, 4, 5) for paper in ("letter", "a4")]


@pytest.mark.parametrize(("n", "paper"), CASES)
def test_every_tip_ticked_fits_n_plus_one_pages(programs, n, paper):
    content = programs[n]
    assert content.large_print and content.layout == "compact" and len(content.exercises) == n
    pdf = rendered(content, HandoutOptions(page_size=paper))
    pages = pages_text(pdf)
    assert page_count(pdf) <= n + 1, [page[:80] for page in pages]
    # Each tip whole and printed once; where they break, the rest is headed "(continued)".
    text = " ".join(pages)
    for tip in advice_lines(content):
        assert text.count(" ".join(tip.split())) == 1, tip
    # The heading once as it is, and "(continued)" over each further part.
    said = words.of("es")
    heading, again = said.headings["day"], said.headings["day_continued"]
    assert again.startswith(heading) and text.count(heading) - text.count(again) == 1


def advice_lines(content: HandoutContent) -> list[str]:
    """The tips as printed: the ticked ones and the therapist's own, a line each."""
    return [*content.advice, *(line for line in content.advice_text.splitlines() if line.strip())]
