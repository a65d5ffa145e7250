"""A tick sheet's row shows as much of its exercise's name as its lines hold (#14).

Cut short to one line with "…" where the sheet must be low, a name stayed so on a row two lines
of boxes high (two times a day at 18 pt): "2. Caminar poniendo…" over an empty second line. It
now shows more of the name there ("2. Caminar poniendo el talón delante…"), whole where it
fits, "…" only where the name is longer than the row's lines.
"""

from __future__ import annotations

import io

import pdfplumber
import pytest
from reportlab.lib.pagesizes import letter
from reportlab.platypus import SimpleDocTemplate

from planner.catalog.loader import read_directory
from planner.handouts import words
from planner.handouts.content import ExerciseBlock
from planner.handouts.styles import register_fonts, styles_for
from planner.handouts.ticksheet import ELLIPSIS, tick_sheet
from tests.conftest import CATALOG


def longest_spanish_names(count: int) -> list[str]:
    found, problems = read_directory(CATALOG)
    assert not problems
    names = [e["translations"]["es"]["name"] for e in found.values()]
    return sorted(names, key=len, reverse=True)[:count]


def rows_read_back(pdf: bytes, count: int) -> list[tuple[str, int]]:
    """(text, lines) of each row's name cell, read from the PDF (the sheet breaks over pages): a
    row starts with its number ("3. ") at the names column's left edge."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        lines = [line for page in doc.pages for line in page.extract_text_lines()]
    left = min(line["x0"] for line in lines if line["text"].startswith("1. "))
    rows: list[list[str]] = []
    for line in lines:
        if abs(line["x0"] - left) > 1:
            continue
        text = line["text"].split("  ")[0]
        if text.startswith(f"{len(rows) + 1}. ") and len(rows) < count:
            rows.append([text])
        elif rows and not text.startswith(("Ejercicio", "Marque")):
            rows[-1].append(text)
    return [(" ".join(parts), len(parts)) for parts in rows]


@pytest.mark.parametrize("times", [2, 3])
def test_a_cut_name_fills_the_lines_its_row_has(times):
    """The twelve longest Spanish names, 18 pt, a low sheet (names cut short), each row two or
    three lines of boxes high: every name whole, or its first words on as many lines as the row
    has, then "…" (never one line of words and an empty line under it)."""
    register_fonts()
    names = longest_spanish_names(12)
    blocks = [
        ExerciseBlock(n, f"e{n}", name, "", {}, None, "", [], "", [], times, language="es")
        for n, name in enumerate(names, 1)
    ]
    width = 7.5 * 72
    flow = tick_sheet(blocks, styles_for(18), width, words.of("es"), short=True)
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=letter, leftMargin=36, rightMargin=36, topMargin=36, bottomMargin=36).build(flow)
    rows = rows_read_back(out.getvalue(), len(names))
    assert len(rows) == len(names), rows
    for n, ((text, lines), name) in enumerate(zip(rows, names, strict=True), 1):
        whole = f"{n}. {name}"
        if text == whole:
            continue
        assert text.endswith(ELLIPSIS) and whole.startswith(text.removesuffix(ELLIPSIS).rstrip(",;:.")), text
        assert lines >= times, f"cut to {lines} line(s) on a row of {times} lines of boxes: {text}"
