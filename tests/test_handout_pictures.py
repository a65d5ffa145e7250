"""The exercise pictures on the printed handout: big enough to read, and bigger in large print."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from planner.catalog.figure.compose import PANELS, WIDTH
from planner.handouts import HandoutOptions, build_handout
from tests.handout_world import NOW, TWELVE, make_world

INCH = 72.0
PANEL_GAP = (PANELS[1][0] + PANELS[1][2]) / 2 - (PANELS[0][0] + PANELS[0][2]) / 2  # in figure units


def pictures(pdf: bytes) -> list[tuple[float, float]]:
    """(width in points, label size) of every picture: found by its "Start" and "End" labels,
    whose distance is a fixed share of the picture's width."""
    found = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            words = page.extract_words(extra_attrs=["size"])
            starts = [w for w in words if w["text"] == "Start"]
            ends = [w for w in words if w["text"] == "End"]
            for s in starts:
                e = min(ends, key=lambda e: abs(e["top"] - s["top"]) + abs(e["x0"] - s["x1"]))
                gap = (e["x0"] + e["x1"]) / 2 - (s["x0"] + s["x1"]) / 2
                found.append((gap * WIDTH / PANEL_GAP, min(s["size"], e["size"])))
    return found


@pytest.mark.parametrize("page_size", ["letter", "a4"])
def test_pictures_grow_with_large_print_and_labels_are_12_pt(catalog_db, page_size):
    options = HandoutOptions(page_size=page_size)
    sizes = {}
    for large in (False, True):
        program = make_world(
            catalog_db,
            large_print=large,
            slugs=TWELVE[:4],
            patient_name=f"Pic {large}",
            clinic_name=f"Pictures {large}",
        )
        found = pictures(build_handout(catalog_db, program, NOW, options=options))
        assert len(found) == 4
        assert min(size for _, size in found) >= 12, found
        sizes[large] = sorted(w for w, _ in found)
    # A block too tall for a page takes a smaller picture before it would break, so the smallest
    # picture has a floor and the usual one grows with the type.
    assert sizes[False][0] >= 1.9 * INCH and sizes[True][0] >= 1.9 * INCH, sizes
    assert sizes[True][-1] > sizes[False][-1] * 1.1, sizes
