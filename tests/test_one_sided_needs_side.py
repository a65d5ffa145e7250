"""An exercise whose steps use one side never reaches the patient without that side named.

"Hold a light weight in one hand" with no arm named, or "the cheek named above" with no cheek:
a one-sided (`limb`) exercise with no side is held as an unset direction is (the builder says
why at the exercise and in its header; print, email and the phone link wait). Where the
patient's record gives the side (a one-sided focal dystonia, the cheek of a recorded sensory
trick), the exercise takes it, and the builder says so; the therapist may set another.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from planner.dystonia.pattern import PatternEntry
from planner.models import OutboxMessage, PatientLink
from planner.services import patient_links, patterns, program_items, programs, recorded_patterns
from planner.services.catalog import get_exercise
from tests.conftest import login
from tests.factories import make_clinic, make_patient, make_user
from tests.handout_world import pages_text

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
TITLE = "Rücken und Schultern · Ελληνικά · 手臂"


@pytest.fixture
def world(catalog_app, catalog_db):
    """Ana's program: the cheek touch and the arm raise, added with no side, and a chin tuck."""
    db = catalog_db
    clinic = make_clinic(db, "Clínica São João")
    user = make_user(db, clinic)
    patient = make_patient(db, clinic, "Ана Ривера", email="ana@example.org")
    program = programs.create_program(db, patient, programs.ProgramDetails(TITLE, date(2026, 12, 1)), user.id, NOW)
    for slug in ("sensory-trick-cheek-touch", "arm-raise-weight", "chin-tuck-sitting"):
        program_items.add_item(db, program, get_exercise(db, clinic.id, slug), None, NOW)
    patient_links.create_link(db, patient, catalog_app.secret_key, NOW)
    db.commit()
    client = catalog_app.test_client()
    login(client, user.email)
    return SimpleNamespace(db=db, app=catalog_app, user=user, patient=patient, program=program, client=client)


def test_with_no_side_the_builder_warns_at_each_and_nothing_leaves(world):
    db, client, program = world.db, world.client, world.program
    builder = client.get(f"/programs/{program.id}").get_data(as_text=True)
    note = builder.split('id="directions-not-set"')[1].split("</div>")[0]
    assert (
        "“Light touch on the cheek” and “Arm raise with a light weight” use one side in their steps, "
        "and none is set. Choose left, right or both at each exercise below."
    ) in note
    assert "Chin tuck" not in note
    cheek, arm, _ = program.items
    for item in (cheek, arm):
        part = builder.split(f'id="item-{item.id}"')[1].split('id="item-')[0]
        assert "Its steps use one side, and none is set: choose left, right or both." in part
        assert '<option selected value="">Not set</option>' in part

    printed = client.post(f"/programs/{program.id}/handout.pdf")
    assert printed.status_code == 302 and printed.location.endswith("#directions-not-set")
    emailed = client.post(f"/programs/{program.id}/email-handout", follow_redirects=True)
    assert "No email was sent: see why just below." in emailed.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    # Sides set: the handout names the arm and the cheek.
    for item, side in ((cheek, "right"), (arm, "left")):
        program_items.update_item(db, program, item.id, dict(item.dosage), side, "", None, NOW)
    db.commit()
    pdf = client.post(f"/programs/{program.id}/handout.pdf")
    assert pdf.status_code == 200
    text = " ".join(" ".join(pages_text(pdf.data)).split())
    assert "Touch your right cheek." in text and "Do this with your left arm." in text

    # Given; then the arm's side is cleared: no new phone link while it has none.
    program_items.update_item(db, program, arm.id, dict(arm.dosage), "", "", None, NOW)
    db.commit()
    links = db.scalar(select(func.count()).select_from(PatientLink))
    made = client.post(f"/patients/{world.patient.id}/link")
    assert made.status_code == 302 and made.location.endswith("#directions-not-set")
    assert db.scalar(select(func.count()).select_from(PatientLink)) == links


@pytest.mark.parametrize(
    "entry, cheek, arm",
    [
        (PatternEntry({"rotation": "right"}, {"rotation": 2}, trick="cheek", trick_side="left"), "left", ""),
        (PatternEntry({"rotation": "left"}, {"rotation": 2}, trick="cheek", trick_side="both"), "both", ""),
        # The note is free text: a cheek it names is not the recorded trick.
        (PatternEntry({"rotation": "left"}, {"rotation": 2}, note="Sensory trick: hand on left cheek"), "", ""),
        (PatternEntry({"rotation": "left"}, {"rotation": 2}, trick="back_of_head", trick_side="left"), "", ""),
        (PatternEntry(areas=("hand_arm_right",)), "", "right"),
        (PatternEntry(areas=("hand_arm_left", "hand_arm_right")), "", "both"),
    ],
    ids=[
        "trick on the left cheek",
        "trick on both cheeks",
        "a cheek in the note only",
        "trick at the back of the head",
        "right writer's cramp",
        "both hands",
    ],
)
def test_the_patients_record_gives_the_side_said_and_overridable(world, entry, cheek, arm):
    db, program = world.db, world.program
    recorded_patterns.record_pattern(db, world.patient, entry, date(2026, 11, 30), world.user.id, NOW)
    db.commit()
    directions = patterns.program_directions(program)
    assert [(d.side, d.source) for d in directions[:2]] == [
        (cheek, "pattern" if cheek else ""),
        (arm, "pattern" if arm else ""),
    ]
    builder = world.client.get(f"/programs/{program.id}").get_data(as_text=True)
    words = {"left": "Left side", "right": "Right side", "both": "Both sides"}
    # The choice that follows the record names it: the sensory trick for the cheek, else the pattern.
    for item, side, source in zip(program.items[:2], (cheek, arm), ("Sensory trick", "Pattern"), strict=True):
        part = builder.split(f'id="item-{item.id}"')[1].split('id="item-')[0]
        if side:
            assert f'<option selected value="">{source}: {words[side]}</option>' in part
    # The therapist's choice wins over the record.
    item = program.items[0]
    program_items.update_item(db, program, item.id, dict(item.dosage), "both", "", None, NOW)
    db.commit()
    assert patterns.program_directions(program)[0].side == "both"


WAITS = {
    # a one-sided exercise names no way to move: it waits for the side to use
    ("limb", "en"): "Please wait before you start this exercise. The side to use is not set yet.",
    ("limb", "es"): "Espere antes de empezar este ejercicio. Aún no está indicado qué lado usar.",
    ("sided", "en"): "Please wait before you start this exercise. The way to move is not set yet.",
    ("sided", "es"): "Espere antes de empezar este ejercicio. Aún no está indicado hacia qué lado moverse.",
}


@pytest.mark.parametrize(
    ("slug", "kind"),
    [
        ("sensory-trick-cheek-touch", "limb"),
        ("arm-raise-weight", "limb"),
        ("single-leg-stand-chair", "limb"),
        ("head-midline-away-from-pull", "sided"),
        ("neck-side-stretch", "sided"),
    ],
)
@pytest.mark.parametrize("language", ["en", "es"])
def test_an_exercise_with_no_side_says_what_is_not_set(catalog_db, slug, kind, language):
    exercise = get_exercise(catalog_db, None, slug)
    direction = patterns.resolve_for(exercise, None)
    assert direction.unset
    assert patterns.prescription_words(direction, dict(exercise.dosage), language) == WAITS[(kind, language)]


def test_the_builder_shows_the_side_wait_for_a_one_sided_exercise(world):
    builder = world.client.get(f"/programs/{world.program.id}").get_data(as_text=True)
    for item in world.program.items[:2]:
        part = builder.split(f'id="item-{item.id}"')[1].split('id="item-')[0]
        assert WAITS[("limb", "en")] in part and "The way to move" not in part
