"""The tick sheet where it is taller than a page (one exercise a page, large print): it breaks as
evenly as its pages allow, never leaving two or three rows alone on a last page (trial 18, F2)."""

from __future__ import annotations

import dataclasses
import re

import pytest

from planner.handouts.build import MARGIN, render
from planner.handouts.content import handout_content
from planner.handouts.styles import HandoutOptions
from planner.handouts.words import of as words_of
from tests.handout_world import NOW, flowing_words, make_world, pages_text
from tests.test_handout_pictures import BALANCE

URL = "https://exercises.example.org/p/a-long-private-token"
HEADINGS = ("Tick", "Marque")  # "Tick a box each time…", "Marque una casilla…"


def sheet_rows(pdf: bytes) -> tuple[int, list[tuple[int, list[int]]]]:
    """The handout's pages, and per page with the tick sheet (its number, from 1) the exercise
    numbers of its rows, read at the table's left edge under the sheet's heading."""
    parts = []
    pages = flowing_words(pdf)
    for number, on_page in enumerate(pages, 1):
        heads = [w for w in on_page if w["text"] in HEADINGS and w["x0"] < MARGIN + 2]
        if not heads:
            continue
        top = min(w["top"] for w in heads)
        rows = [
            int(w["text"][:-1])
            for w in on_page
            if w["top"] > top and w["x0"] < MARGIN + 8 and re.fullmatch(r"\d+\.", w["text"])
        ]
        parts.append((number, sorted(rows)))
    return len(pages), parts


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize(
    ("slugs", "notes"),
    [(BALANCE[:9], {}), (BALANCE[:11], {}), (BALANCE, {5: "Pida a alguien que esté a su lado."})],
    ids=["9", "11", "12"],
)
def test_a_sheet_taller_than_a_page_breaks_evenly_in_one_a_page_large_print(catalog_db, paper, slugs, notes):
    program = make_world(catalog_db, slugs=slugs, notes=notes, clinic_name=f"Sheet {len(slugs)} {paper}")
    content = dataclasses.replace(
        handout_content(catalog_db, program, NOW, URL, "es"), layout="page", large_print=True, paper_size=paper
    )
    pages, parts = sheet_rows(render(content, HandoutOptions(page_size=paper)))
    assert [n for _, rows in parts for n in rows] == list(range(1, len(slugs) + 1)), parts
    sizes = [len(rows) for _, rows in parts]
    # 10 + 2, 7 + 2, 6 + 2 rows before: the last page almost blank. Now no part holds fewer than
    # half the rows of the largest, and the parts on pages of their own differ by a row at most.
    assert min(sizes) * 2 >= max(sizes), parts
    own = [len(rows) for page, rows in parts if page > len(slugs) + 1]
    assert max(own) - min(own) <= 1, parts
    # No page more than before: the front page, a page an exercise, the sheet's two.
    assert pages <= len(slugs) + 3 and [page for page, _ in parts][-1] == pages


# Trial 18's programs of one and two exercises (its patient of one had a long Greek name).
SHORT = {
    1: (["relaxed-pen-grip-check"], "Ευαγγελία-Χριστίνα Παπαγεωργοπούλου-Οικονομίδου Τσακαλώτου"),
    2: (["jaw-rest-position", "jaw-opening-against-hand"], "Ramón Gil"),
}


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("count", [1, 2])
def test_a_short_sheet_never_takes_a_page_alone_in_one_a_page_large_print(catalog_db, paper, count):
    """Trial 18, F2: one or two exercises at 18 pt, one a page: the sheet fits under no exercise
    (each fills its page), so it took a last page of its own, a heading and a row or two, the
    rest blank. The tips go there with it, above it; no page more."""
    slugs, name = SHORT[count]
    program = make_world(catalog_db, patient_name=name, slugs=slugs, notes={}, clinic_name=f"Short {count} {paper}")
    content = dataclasses.replace(
        handout_content(catalog_db, program, NOW, URL, "es"), layout="page", large_print=True, paper_size=paper
    )
    pdf = render(content, HandoutOptions(page_size=paper))
    pages, parts = sheet_rows(pdf)
    assert [number for number, _ in parts] == [pages] and parts[0][1] == list(range(1, count + 1)), parts
    texts = pages_text(pdf)
    tips = words_of("es").headings["day"]
    assert sum(tips in text for text in texts) == 1
    # Above the sheet on its page: the tips, or the last exercise (its name in a row is the sheet's).
    above = texts[pages - 1].split(words_of("es").headings["tick_sheet"])[0]
    assert tips in above or f"{count}. {content.exercises[-1].name}" in above, texts[pages - 1][:200]
    assert pages <= count + 2


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_a_sheet_whole_on_a_page_with_names_cut_short_saves_a_page_in_one_a_page_large_print(catalog_db, paper):
    """Eleven exercises at 18 pt, one a page: the sheet with whole names is taller than a page
    (771 pt), broken 6 + 5 over two pages of its own. With the names that need more lines than
    their row's boxes cut short to one, it fits one page whole (645 pt): a page less. A row with
    two lines of boxes (done twice a day) keeps a name of two lines whole: no row gets taller."""
    slugs = BALANCE[:11]
    program = make_world(catalog_db, slugs=slugs, notes={}, clinic_name=f"Whole sheet {paper}")
    content = dataclasses.replace(
        handout_content(catalog_db, program, NOW, URL, "es"), layout="page", large_print=True, paper_size=paper
    )
    pdf = render(content, HandoutOptions(page_size=paper))
    pages, parts = sheet_rows(pdf)
    assert parts == [(pages, list(range(1, 12)))] and pages == len(slugs) + 2, parts
    sheet = pages_text(pdf)[-1]
    # Exercises 3 to 6, twice a day, names of two lines: whole beside their two lines of boxes.
    for block in content.exercises[2:6]:
        assert (block.times_per_day or 1) >= 2
        assert f"{block.number}. {' '.join(block.name.split())}" in sheet, sheet
    assert "…" in sheet  # some names (a row of one line of boxes) cut short
