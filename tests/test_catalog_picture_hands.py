"""Hand pictures read beside their steps: a hand the steps lay on a table lies on it.

A therapist reads "Rest your hand flat on it, palm down" beside the picture. The hand view draws
the hand from the palm side (or its back), fingers up; with the table drawn edge-on under the
wrist, a hand meant to lie flat read as a hand standing up on the table's edge. Seen from above,
the table top lies behind the whole hand and the forearm, with no edge for the hand to stand on."""

from __future__ import annotations

import re

import pytest

from planner.catalog.figure import hand
from planner.catalog.figure.props import WOOD
from planner.catalog.figure.shapes import INK, shape_points
from planner.catalog.figure.spec import normalize
from tests.test_catalog_pictures import EXERCISES

# The start position puts the palm, or the back of the hand, on the table (the first three steps
# set the start; "Rest your hand flat on the table before the next one" at the end is a rest).
ON_THE_TABLE = r"\b(?:palm (?:down|up)|palm facing (?:down|up) on the table|with the palm up|flat on it)\b"
LYING_HANDS = sorted(
    slug
    for slug, e in EXERCISES.items()
    if e.get("picture", {}).get("view") == "hand"
    and "table" in e["picture"].get("props", [])
    and not e["picture"]["start"].get("wrist")  # a bent wrist is drawn from the thumb side (its own test)
    and re.search(ON_THE_TABLE, " ".join(e["steps"][:3]))
)


def _table_and_hand(pose: dict, props: list[str]) -> tuple[list, list]:
    """What is drawn under the hand that is the table, and the hand's outlined shapes."""
    under, shapes, _ = hand._draw_parts(hand.values(pose), False, props)
    tables = [s for s in under if s.kind == "rect" and s.fill in (WOOD, hand.TABLE_TOP)]
    return tables, [s for s in shapes if s.stroke == INK]


def test_the_hands_laid_on_a_table_are_found():
    assert {"finger-spread", "forearm-turns", "letters-on-palm", "one-or-two-points", "thumb-forearm-stretch"} <= set(
        LYING_HANDS
    )


@pytest.mark.parametrize("slug", LYING_HANDS)
def test_a_hand_the_steps_lay_on_the_table_lies_on_it_seen_from_above(slug):
    """finger-spread ("Rest your hand flat on it, palm down"), forearm-turns ("Start with your palm
    facing down on the table") and the palm-up rests (letters-on-palm, one-or-two-points,
    thumb-forearm-stretch) drew the hand fingers up over a strip of table under the wrist: a hand
    standing on the table's edge. In both panels the table top now lies under the whole hand and
    forearm, and nothing is drawn below the wrist for the hand to stand on."""
    e = EXERCISES[slug]
    steps = " ".join(e["steps"][:3])
    pic = normalize(e["picture"])
    said = "palm_down" if re.search(r"\bpalm (?:facing )?down\b", steps) else "palm_up"
    assert pic.start["forearm_turn"] == said, (slug, pic.start)  # the picture turns the hand as the steps do
    for pose in (pic.start, pic.end):
        tables, outline = _table_and_hand(pose, pic.props)
        assert tables, slug
        hand_pts = [p for s in outline for p in shape_points(s)]
        lowest = min(p[1] for p in hand_pts)
        for table in tables:
            (x0, y0), (x1, y1) = table.points
            assert min(y0, y1) <= lowest and max(y0, y1) >= max(p[1] for p in hand_pts), (slug, table.points)
            assert min(x0, x1) <= min(p[0] for p in hand_pts) and max(x0, x1) >= max(p[0] for p in hand_pts)
