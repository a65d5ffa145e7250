"""Every movement an exercise's steps make is checked against the pattern, not only its main one.

"Back of neck and shoulder blade stretch" takes its side from the lifted shoulder, then turns
the head away from that hand and tips the chin down (`[pattern] also`). The builder warns at the
exercise when one of those movements goes the way a recorded pull goes.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from planner.dystonia.direction import TOWARD_PULL
from planner.dystonia.pattern import PatternEntry
from planner.services import patterns, program_items, programs, recorded_patterns
from planner.services.catalog import get_exercise
from tests.conftest import login
from tests.factories import make_clinic, make_patient, make_user

NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)
STRETCH = "neck-shoulder-blade-stretch"
TURN_RIGHT = "Its steps also turn the head to the right: toward the pull of the rotation (torticollis)."
TURN_LEFT = "Its steps also turn the head to the left: toward the pull of the rotation (torticollis)."
TIP_RIGHT = "Its steps also tip the head to the right: toward the pull of the tilt (laterocollis)."
CHIN_DOWN = "Its steps also bring the chin down: toward the pull of the flexion (anterocollis)."


def entry(**pulls: tuple[str, int]) -> PatternEntry:
    """A pattern from component=(side, severity) pairs."""
    return PatternEntry({k: s for k, (s, _) in pulls.items()}, {k: g for k, (_, g) in pulls.items()})


# pattern, side the therapist chose (None: from the pattern), the side prescribed, the warnings.
CASES = [
    # The trial's patient: right torticollis, left shoulder. The left hand holds the seat, the head
    # turns right: into the pull.
    (entry(rotation=("right", 2), shoulder=("left", 2)), None, "left", [TURN_RIGHT]),
    # ... and with an anterocollis, the chin down goes into that pull too.
    (entry(rotation=("right", 2), shoulder=("left", 2), flexion=("", 1)), None, "left", [TURN_RIGHT, CHIN_DOWN]),
    # A left torticollis: turning right is away from it; nothing to say.
    (entry(rotation=("left", 2), shoulder=("left", 2)), None, "left", []),
    # The head also tips toward the other armpit: toward a right laterocollis.
    (entry(tilt=("right", 1), shoulder=("left", 2)), None, "left", [TIP_RIGHT]),
    (entry(tilt=("left", 1), shoulder=("left", 2)), None, "left", []),
    # The therapist sets the right shoulder: the head now turns left, into a left torticollis.
    (entry(rotation=("left", 2)), "right", "right", [TURN_LEFT]),
    # Both shoulders, one after the other: the head turns both ways, so one of them is toward the pull.
    (entry(rotation=("right", 2), shoulder=("both", 2)), None, "both", [TURN_RIGHT]),
    # Only the anterocollis recorded: no side (the patient waits), but the chin still goes down.
    (entry(flexion=("", 2)), None, "", [CHIN_DOWN]),
]


@pytest.fixture
def clinic(catalog_db):
    return make_clinic(catalog_db, "Also Clinic")


def program_with(db, clinic, pattern, slug, side=None):
    patient = make_patient(db, clinic, "Ана Ðорђевић")
    recorded_patterns.record_pattern(db, patient, pattern, date(2026, 11, 1), None, NOW)
    program = programs.create_program(db, patient, programs.ProgramDetails("Neck", date(2026, 11, 1)), None, NOW)
    item = program_items.add_item(db, program, get_exercise(db, clinic.id, slug), None, NOW)
    if side is not None:
        program_items.update_item(db, program, item.id, dict(item.dosage), side, "", None, NOW)
    db.commit()
    return program


@pytest.mark.parametrize("pattern, chosen, side, expected", CASES)
def test_the_stretch_warns_for_each_movement_toward_a_pull(catalog_db, clinic, pattern, chosen, side, expected):
    direction = patterns.program_directions(program_with(catalog_db, clinic, pattern, STRETCH, chosen))[0]
    assert direction.side == side
    also = [w.message for w in direction.warnings if w.message.startswith("Its steps also")]
    assert also == expected
    assert all(w.kind == TOWARD_PULL for w in direction.warnings if w.message in expected)


def test_a_symmetric_stretch_that_drops_the_chin_warns_with_anterocollis(catalog_db, clinic):
    forward = program_with(catalog_db, clinic, entry(flexion=("", 2)), "upper-back-hug-stretch")
    back = program_with(catalog_db, clinic, entry(extension=("", 2)), "upper-back-hug-stretch")
    assert [w.message for w in patterns.program_directions(forward)[0].warnings] == [CHIN_DOWN]
    assert patterns.program_directions(back)[0].warnings == ()


def test_the_builder_shows_the_warning_at_the_exercise(catalog_app, catalog_db, clinic):
    make_user(catalog_db, clinic, email="also@clinic.org")
    program = program_with(
        catalog_db, clinic, entry(rotation=("right", 2), shoulder=("left", 2), flexion=("", 1)), STRETCH
    )
    client = catalog_app.test_client()
    login(client, "also@clinic.org")
    html = client.get(f"/programs/{program.id}").get_data(as_text=True)
    warnings = html.split('aria-label="Warnings about Back of neck and shoulder blade stretch"')[1].split("</ul>")[0]
    said = [re.sub(r"\s+", " ", w).strip() for w in re.findall(r"<li[^>]*>(.*?)</li>", warnings, re.S)]
    assert said == [TURN_RIGHT, CHIN_DOWN]


# ---- one direction, said once ---------------------------------------------------------------

TILT_RIGHT_TOWARD = "Tip your head toward your right shoulder, toward the pull."


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_side_set_against_the_pattern_is_not_contradicted_by_the_steps(catalog_db, clinic, language):
    """The trial: "Side tilt hold lying down" set to the right for a right laterocollis. The line
    above the steps says toward the pull; no step may say "away from the pull" under it."""
    from planner.handouts.content import handout_content
    from planner.i18n import translator

    program = program_with(catalog_db, clinic, entry(tilt=("right", 2)), "neck-tilt-lying-hold", "right")
    block = handout_content(catalog_db, program, NOW, language=language).exercises[0]
    assert block.dosage.startswith(translator(language).gettext(TILT_RIGHT_TOWARD))
    told = " ".join([*block.steps, *block.cautions, block.note])
    assert not re.search(r"(away from|toward) the pull|(contrario|en contra) (al|del) tirón", told), told
    assert ("the way shown above" if language == "en" else "del lado indicado arriba") in told


@pytest.mark.parametrize(
    ("shoulder", "said", "language"),
    [
        ("left", "Work on your left shoulder. Keep it down toward your hip, away from the pull.", "en"),
        ("both", "Work on both shoulders. Keep them down toward your hips, away from the pull.", "en"),
        ("both", "Trabaje los dos hombros. Manténgalos abajo, hacia las caderas, en sentido contrario al tirón.", "es"),
    ],
)
def test_level_shoulders_reads_right_for_one_shoulder_or_both(catalog_db, clinic, shoulder, said, language):
    """The direction line names one shoulder or both; the steps fit either, never "the high one" alone."""
    from planner.handouts.content import handout_content

    program = program_with(catalog_db, clinic, entry(shoulder=(shoulder, 2)), "shoulders-level-mirror")
    block = handout_content(catalog_db, program, NOW, language=language).exercises[0]
    assert block.dosage.startswith(said)
    steps = " ".join(block.steps)
    assert ("or both" if language == "en" else "o los dos") in steps
    assert "higher than the other" not in steps and "más alto que el otro" not in steps


def test_the_catalog_page_lists_the_other_movements(catalog_app, catalog_db, clinic):
    make_user(catalog_db, clinic, email="page@clinic.org")
    client = catalog_app.test_client()
    login(client, "page@clinic.org")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get(f"/exercises/{STRETCH}").get_data(as_text=True)))
    assert (
        "Its steps also turn the head to the other side, tip the head to the other side and bring the chin "
        "down; each is checked against the pattern." in text
    )
