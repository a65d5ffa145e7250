"""An exercise whose steps use both hands together, beside a picture of both hands, takes no left
or right side: set to one hand, the handout had printed "Do this with your left hand." beside two
hands shaking out (hand-shake-out, hand-tense-and-release).

The builder offers no side or both; a left or right side saved by an earlier release stays on the
item (nothing is lost) but prints no side sentence (direction rule 10), and a paper given with the
one-hand sentence reads as differing, so the therapist gives the new one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from planner.handouts import build_handout
from planner.services import DomainError, patterns, program_items, programs
from planner.services.catalog import get_exercise
from planner.services.paper_differs import paper_differs
from tests.conftest import login
from tests.factories import make_clinic, make_patient, make_user
from tests.handout_world import pages_text

NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)
BOTH_AT_ONCE = ["hand-shake-out", "hand-tense-and-release"]


@pytest.fixture
def clinic(catalog_db):
    return make_clinic(catalog_db, "Hands Clinic")


def _program(db, clinic, slug):
    patient = make_patient(db, clinic, "Ana Ruiz")
    program = programs.create_program(db, patient, programs.ProgramDetails("Hands", date(2026, 11, 1)), None, NOW)
    item = program_items.add_item(db, program, get_exercise(db, clinic.id, slug), None, NOW)
    db.commit()
    return program, item


@pytest.mark.parametrize("slug", BOTH_AT_ONCE)
def test_the_builder_takes_no_one_hand_for_an_exercise_of_both_hands(catalog_app, catalog_db, clinic, slug):
    program, item = _program(catalog_db, clinic, slug)
    with pytest.raises(DomainError, match="works both sides the same way"):
        program_items.update_item(catalog_db, program, item.id, dict(item.dosage), "left", "", None, NOW)
    catalog_db.rollback()
    client = catalog_app.test_client()
    login(client, make_user(catalog_db, clinic).email)
    catalog_db.commit()
    page = client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert "Works both sides the same way: no left or right side." in page
    program_items.update_item(catalog_db, program, item.id, dict(item.dosage), "both", "", None, NOW)
    catalog_db.commit()
    assert "Use both hands." in " ".join(pages_text(build_handout(catalog_db, program, NOW)))


@pytest.mark.parametrize("slug", BOTH_AT_ONCE)
def test_a_hand_saved_before_prints_no_one_hand_and_the_old_paper_differs(catalog_db, clinic, slug):
    program, item = _program(catalog_db, clinic, slug)
    item.side = "left"  # as an earlier release saved it
    catalog_db.commit()
    words = patterns.prescribed(program, "en")[item.id].words
    assert "left" not in words, words
    text = " ".join(pages_text(build_handout(catalog_db, program, NOW)))
    assert "left hand" not in text
    assert item.side == "left"  # kept on the item: nothing lost
    # The paper an earlier release gave said "Do this with your left hand.": it differs now.
    old_paper = {"side": "left", "direction": "Do this with your left hand.", "mirrored": True, "start_posture": ""}
    assert paper_differs(old_paper, patterns.item_direction(item, None))
