"""A one-sided limb exercise whose two limbs do different things says what its side means.

A trial found "Stand on one leg with a chair" for a left foot dystonia print "Do this with your
left leg." above "Shift your weight onto one leg … Then switch legs.", with the picture lifting
the left leg: the patient could not tell whether to stand on the foot or lift it, and "switch
legs" undid the side. Such an exercise names its meaning in the catalog (`[pattern] wording`:
the limb that moves, as the picture shows it), one whole sentence per side
(sentences.LIMB_SENTENCES), and its steps never change sides on their own.
"""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, date, datetime, time, timedelta

import pytest

from planner.dystonia.movement import spec_of
from planner.dystonia.pattern import PatternEntry
from planner.services import patterns, programs
from planner.services.catalog import get_exercise
from tests.conftest import CATALOG
from tests.factories import make_clinic, make_patient, make_user

NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)
EXERCISES = {p.stem: tomllib.loads(p.read_text(encoding="utf-8")) for p in sorted(CATALOG.glob("*.toml"))}
SPANISH = {
    p.stem: tomllib.loads(p.read_text(encoding="utf-8"))
    for p in sorted((CATALOG / "translations" / "es").glob("*.toml"))
}

# exercise: what the patient reads first for left, right, both (English)
MEANING = {
    "single-leg-stand-chair": (
        "Lift your left foot. Stand on your right leg.",
        "Lift your right foot. Stand on your left leg.",
        "Stand on each leg in turn. Lift the other foot.",
    ),
    "step-up": (
        "Step up with your left foot first, every time.",
        "Step up with your right foot first, every time.",
        "Lead with one foot for all your turns. Then lead with the other.",
    ),
    "straight-leg-raise": (
        "Lift your left leg. Keep your right knee bent.",
        "Lift your right leg. Keep your left knee bent.",
        "Lift each leg in turn. Keep the other knee bent.",
    ),
    "hip-front-stretch-bed-edge": (
        "Lie near the left edge of the bed. Let your left leg hang.",
        "Lie near the right edge of the bed. Let your right leg hang.",
        "Stretch each leg in turn. Lie near that edge of the bed.",
    ),
    "calf-stretch-wall": (
        "Step your left foot back. This stretches your left calf.",
        "Step your right foot back. This stretches your right calf.",
        "Stretch each calf in turn. Step that foot back.",
    ),
    "pendulum-swing": (
        "Let your left arm swing. Lean on your right hand.",
        "Let your right arm swing. Lean on your left hand.",
        "Let each arm swing in turn. Lean on the other hand.",
    ),
    "mirror-hand-open-close": (
        "Move your left hand, the easy one. Watch it in the mirror.",
        "Move your right hand, the easy one. Watch it in the mirror.",
        "Move the easy hand. Watch it in the mirror.",
    ),
}
SIDES = ("left", "right", "both")
# A step that changes sides on its own, whatever side is set (en, es).
SWITCH = re.compile(
    r"\b(switch|swap|change) (legs|feet|arms|hands|sides)\b|\bthe other side\b|\bthen the other (leg|arm|hand|foot)\b"
    r"|\bcambie de (pierna|pie|brazo|mano|lado)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("exercise_id", sorted(i for i, e in EXERCISES.items() if e["pattern"]["relation"] == "limb"))
def test_no_one_sided_exercise_changes_sides_in_its_steps(exercise_id):
    """The side sentence says which side, or "each in turn" for both: a step that switches would undo it."""
    for text in (EXERCISES[exercise_id], SPANISH.get(exercise_id, {})):
        said = [step for step in text.get("steps", []) if SWITCH.search(step)]
        assert said == [], (exercise_id, said)


@pytest.mark.parametrize("exercise_id", sorted(i for i, e in EXERCISES.items() if e["pattern"]["relation"] == "limb"))
def test_an_exercise_whose_limbs_do_different_things_says_what_its_side_means(exercise_id):
    """Steps that give one limb a job and "the other" another (stand on one leg, lift the other
    foot) need a sentence that says which is which, not "Do this with your left leg."."""
    steps = " ".join(EXERCISES[exercise_id]["steps"]).lower()
    two_roles = re.search(r"\bone (leg|foot|arm)\b", steps) and re.search(r"\bother (leg|foot|arm)\b", steps)
    if two_roles:
        assert spec_of(EXERCISES[exercise_id]["pattern"]).wording not in ("leg", "arm", "hand", "limb"), exercise_id


@pytest.mark.parametrize("side", SIDES)
def test_every_output_says_what_the_side_means_and_the_steps_keep_it(catalog_app, catalog_db, side):
    """Handout (blocks and PDF), phone page and the daily email say each exercise's side with its
    meaning; no step in them switches sides; the picture is mirrored for the left only."""
    from planner.handouts import build_handout
    from planner.handouts.content import handout_content
    from planner.services import exercise_reminders, portal
    from tests.handout_world import pages_text
    from tests.test_exercise_reminders import SECRET, _utc, run

    db = catalog_db
    clinic = make_clinic(db, "Side Clinic")
    user = make_user(db, clinic)
    patient = make_patient(db, clinic, "Hugo Fernández", email="hugo@example.org")
    program = programs.create_program(db, patient, programs.ProgramDetails("Legs", date(2026, 11, 1)), None, NOW)
    for slug in MEANING:
        programs.add_item(db, program, get_exercise(db, clinic.id, slug), None, NOW, side=side)
    programs.issue(db, program, None, "print", NOW)
    _, link = portal.create_link(db, patient, SECRET, NOW)
    exercise_reminders.turn_on(db, patient, time(7, 30), "therapist", NOW, SECRET, user)
    db.commit()
    expected = [MEANING[slug][SIDES.index(side)] for slug in MEANING]

    blocks = handout_content(db, program, NOW).exercises
    assert [b.dosage[: len(e)] for b, e in zip(blocks, expected, strict=True)] == expected
    assert [b.side == "left" for b in blocks] == [side == "left"] * len(MEANING)
    assert not [s for b in blocks for s in b.steps if SWITCH.search(s)]
    pdf = " ".join(pages_text(build_handout(db, program, NOW)))
    phone = catalog_app.test_client().get(f"/p/{link}").get_data(as_text=True)
    for where, said in (("handout PDF", " ".join(pdf.split())), ("phone page", phone)):
        assert [e for e in expected if e not in said] == [], where
        assert not SWITCH.search(said), where
    [email] = run(db, _utc(NOW.date() + timedelta(days=1), 8)).sent
    names = {item.exercise.name: e for item, e in zip(program.items, expected, strict=True)}
    listed = [line[2:] for line in email.text.splitlines() if line.startswith("- ")]
    assert listed and all(any(line.startswith(f"{n}: {e}") for n, e in names.items()) for line in listed), listed


@pytest.mark.parametrize(
    ("language", "side", "said"),
    [
        ("es", "left", "Levante el pie izquierdo. Apóyese en la pierna derecha."),
        ("es", "right", "Levante el pie derecho. Apóyese en la pierna izquierda."),
        ("es", "both", "Apóyese en cada pierna por turno. Levante el otro pie."),
    ],
)
def test_the_side_meaning_is_said_in_spanish(catalog_db, language, side, said):
    clinic = make_clinic(catalog_db, "Clínica")
    patient = make_patient(catalog_db, clinic, "Hugo Fernández", language=language)
    program = programs.create_program(catalog_db, patient, programs.ProgramDetails("P", date(2026, 11, 1)), None, NOW)
    item = programs.add_item(
        catalog_db, program, get_exercise(catalog_db, clinic.id, "single-leg-stand-chair"), None, NOW, side=side
    )
    catalog_db.commit()
    assert patterns.prescribed(program, language)[item.id].words.startswith(said)


def test_hugos_left_foot_gives_the_side_and_the_sentence_says_what_to_do_with_it(catalog_db):
    """The trial's patient: a left foot dystonia recorded, Stand on one leg added with no side."""
    clinic = make_clinic(catalog_db, "Foot Clinic")
    patient = make_patient(catalog_db, clinic, "Hugo Fernández")
    patterns.record_pattern(catalog_db, patient, PatternEntry(areas=["leg_left"]), date(2026, 11, 1), None, NOW)
    program = programs.create_program(catalog_db, patient, programs.ProgramDetails("P", date(2026, 11, 1)), None, NOW)
    item = programs.add_item(
        catalog_db, program, get_exercise(catalog_db, clinic.id, "single-leg-stand-chair"), None, NOW
    )
    catalog_db.commit()
    shown = patterns.prescribed(program)[item.id]
    assert shown.words.startswith("Lift your left foot. Stand on your right leg.")
    assert shown.direction.source == "pattern" and shown.direction.mirrored


@pytest.mark.parametrize(
    ("text", "said"),
    [(EXERCISES["step-up"], "leading foot"), (SPANISH["step-up"], "el pie que sube primero")],
)
def test_the_step_up_puts_the_leading_foot_on_the_step(text, said):
    """The side sentence names the foot that steps up first; the step that puts a foot on the stair
    had said "one whole foot", and a patient could lead with either."""
    assert said in text["steps"][1]
    assert not re.search(r"\b(one whole foot|todo un pie)\b", " ".join(text["steps"]))
