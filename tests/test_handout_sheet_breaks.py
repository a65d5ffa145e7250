"""The tick sheet where it is taller than a page (one exercise a page, large print): it breaks as
evenly as its pages allow, never leaving two or three rows alone on a last page (trial 18, F2)."""

from __future__ import annotations

import dataclasses
import io
import re

import pdfplumber
import pytest

from planner.handouts.build import MARGIN, render
from planner.handouts.content import handout_content
from planner.handouts.styles import HandoutOptions
from tests.handout_world import NOW, make_world
from tests.test_handout_pictures import BALANCE

URL = "https://exercises.example.org/p/a-long-private-token"
HEADINGS = ("Tick", "Marque")  # "Tick a box each time…", "Marque una casilla…"


def sheet_rows(pdf: bytes) -> tuple[int, list[tuple[int, list[int]]]]:
    """The handout's pages, and per page with the tick sheet (its number, from 1) the exercise
    numbers of its rows, read at the table's left edge under the sheet's heading."""
    parts = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages, 1):
            words = page.extract_words()
            heads = [w for w in words if w["text"] in HEADINGS and w["x0"] < MARGIN + 2]
            if not heads:
                continue
            top = min(w["top"] for w in heads)
            rows = [
                int(w["text"][:-1])
                for w in words
                if w["top"] > top and w["x0"] < MARGIN + 8 and re.fullmatch(r"\d+\.", w["text"])
            ]
            parts.append((number, sorted(rows)))
        return len(doc.pages), parts


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
