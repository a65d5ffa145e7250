"""Large print, compact: a program with no tips never takes a page more than the same with one
(trial 33, F3: Spanish, 11 exercises, notes of 80 and 300 characters, a 120-character Chinese
name, Letter: 13 pages with no tip, 12 with one). Exercise 10 goes on over two pages and shares
its last with exercise 11; with no tip the QR code under the last exercise moved it to a page of
its own, where with a tip the QR code went with the tip at an earlier page's foot."""

from __future__ import annotations

import dataclasses

import pytest

from planner.handouts.content import handout_content
from tests.factories import catalog_session
from tests.handout_world import NOW, make_world, pages_by_tips

# The reviewer's program, in its order.
ELEVEN = [
    "sensory-trick-chin-touch",
    "belly-breathing-lying",
    "chin-nod-head-lift",
    "neck-side-stretch",
    "head-midline-mirror",
    "body-scan-lying",
    "wall-push-up",
    "chin-tuck-lying",
    "neck-turn-lying-hold",
    "sit-to-stand",
    "neck-turn-sitting",
]
LINE = "Haga este ejercicio despacio y sin dolor. Pare si nota un tirón fuerte. "
# Chinese given names and surnames, cut at the form's 120 characters.
NAME = ("王秀英李静张丽刘敏陈静杨洋赵艳黄勇周杰吴磊徐芳孙伟马超朱红胡军郭娜何强林霞罗平高鹏郑雪梁辉谢琳宋涛" * 4)[:120]


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_no_tips_take_no_page_more_than_one(catalog_file, tmp_path, paper):  # noqa: ANN001
    notes = {index: (LINE * 5)[:length].strip() for index, length in ((0, 80), (2, 300), (5, 80), (9, 300))}
    with catalog_session(catalog_file, tmp_path) as db:
        program = make_world(
            db, slugs=ELEVEN, patient_name=NAME, large_print=True, clinic_name="Demo Physio Clinic", notes=notes
        )
        content = handout_content(db, program, NOW, "https://exercises.example.org/p/xyz", "es")
    content = dataclasses.replace(
        content,
        clinic_contact=["12 Harbour Road, Springfield", "555-0142", "front-desk@demo-physio.example"],
        title="Su programa en casa para controlar el cuello",
        advice_text="",
        paper_size=paper,
    )
    pages = pages_by_tips(content, "es")
    assert pages[0] <= min(pages[1], pages[3]), pages
    if paper == "letter":
        # The goal at 18 pt, n + 1. (On A4 exercise 3, its two-line name and its note, fits no page
        # with its picture at 14 pt's share: it goes on over two, 13 pages whatever the tips.)
        assert pages[0] <= len(ELEVEN) + 1, pages
