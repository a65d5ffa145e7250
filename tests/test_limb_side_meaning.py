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
from planner.services import issuing, patient_links, patterns, program_items, programs, recorded_patterns
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
MEANING: dict[str, tuple[str, str, str | None]] = {
    "single-leg-stand-chair": (
        "Stand on your left leg. Lift your right foot.",
        "Stand on your right leg. Lift your left foot.",
        "Stand on each leg in turn. Lift the other foot.",
    ),
    "side-lying-leg-lift": (
        "Lie on your right side. Your left leg is on top and does the work.",
        "Lie on your left side. Your right leg is on top and does the work.",
        "Work each leg in turn. Lie with that leg on top.",
    ),
    "clamshell": (
        "Lie on your right side. Your left leg is on top and does the work.",
        "Lie on your left side. Your right leg is on top and does the work.",
        "Work each leg in turn. Lie with that leg on top.",
    ),
    "thumb-forearm-stretch": (
        "Stretch your left thumb and forearm. Hold the thumb with your right hand.",
        "Stretch your right thumb and forearm. Hold the thumb with your left hand.",
        "Stretch each thumb in turn. Hold it with the other hand.",
    ),
    "towel-arm-lift-lying": (
        "Your left arm is the one to help. Let your right arm lead.",
        "Your right arm is the one to help. Let your left arm lead.",
        "Let both arms share the work.",
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
        None,  # mirror work moves one hand, the easy one: not offered for both (tests/test_sides_agree.py)
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
    from planner.services import exercise_reminders
    from tests.handout_world import pages_text
    from tests.test_exercise_reminders import SECRET, _utc, run

    db = catalog_db
    clinic = make_clinic(db, "Side Clinic")
    user = make_user(db, clinic)
    patient = make_patient(db, clinic, "Hugo Fernández", email="hugo@example.org")
    program = programs.create_program(db, patient, programs.ProgramDetails("Legs", date(2026, 11, 1)), None, NOW)
    slugs = [slug for slug in MEANING if MEANING[slug][SIDES.index(side)] is not None]
    for slug in slugs:
        program_items.add_item(db, program, get_exercise(db, clinic.id, slug), None, NOW, side=side)
    issuing.issue(db, program, None, "print", NOW)
    _, link = patient_links.create_link(db, patient, SECRET, NOW)
    exercise_reminders.turn_on(db, patient, time(7, 30), "therapist", NOW, SECRET, user)
    db.commit()
    expected = [str(MEANING[slug][SIDES.index(side)]) for slug in slugs]

    blocks = handout_content(db, program, NOW).exercises
    assert [b.dosage[: len(e)] for b, e in zip(blocks, expected, strict=True)] == expected
    # The picture shows the limb trained: mirrored where the catalog draws the other one (the
    # one-leg stand is drawn standing on the left leg, every other one working the right limb).
    drawn = {slug: "left" if slug == "single-leg-stand-chair" else "right" for slug in slugs}
    mirrored = [side in ("left", "right") and side != drawn[slug] for slug in slugs]
    assert [b.side == "left" for b in blocks] == mirrored  # a block's side "left": its picture mirrored
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
        ("es", "left", "Apóyese en la pierna izquierda. Levante el pie derecho."),
        ("es", "right", "Apóyese en la pierna derecha. Levante el pie izquierdo."),
        ("es", "both", "Apóyese en cada pierna por turno. Levante el otro pie."),
        ("en", "left", "Stand on your left leg. Lift your right foot."),
        ("en", "right", "Stand on your right leg. Lift your left foot."),
        ("en", "both", "Stand on each leg in turn. Lift the other foot."),
    ],
)
def test_the_side_meaning_is_said_in_spanish(catalog_db, language, side, said):
    clinic = make_clinic(catalog_db, "Clínica")
    patient = make_patient(catalog_db, clinic, "Hugo Fernández", language=language)
    program = programs.create_program(catalog_db, patient, programs.ProgramDetails("P", date(2026, 11, 1)), None, NOW)
    item = program_items.add_item(
        catalog_db, program, get_exercise(catalog_db, clinic.id, "single-leg-stand-chair"), None, NOW, side=side
    )
    catalog_db.commit()
    assert patterns.prescribed(program, language)[item.id].words.startswith(said)


def test_hugos_left_foot_gives_the_side_and_the_sentence_says_what_to_do_with_it(catalog_db):
    """The trial's patient: a left foot dystonia recorded, Stand on one leg added with no side."""
    clinic = make_clinic(catalog_db, "Foot Clinic")
    patient = make_patient(catalog_db, clinic, "Hugo Fernández")
    recorded_patterns.record_pattern(
        catalog_db, patient, PatternEntry(areas=["leg_left"]), date(2026, 11, 1), None, NOW
    )
    program = programs.create_program(catalog_db, patient, programs.ProgramDetails("P", date(2026, 11, 1)), None, NOW)
    item = program_items.add_item(
        catalog_db, program, get_exercise(catalog_db, clinic.id, "single-leg-stand-chair"), None, NOW
    )
    catalog_db.commit()
    shown = patterns.prescribed(program)[item.id]
    # Balance is trained on the affected leg, the chair held: the trial's paper had her lift the
    # left foot, so the unaffected right leg did the work.
    assert shown.words.startswith("Stand on your left leg. Lift your right foot.")
    assert shown.direction.source == "pattern" and not shown.direction.mirrored  # drawn standing on the left


@pytest.mark.parametrize(
    ("text", "said"),
    [(EXERCISES["step-up"], "leading foot"), (SPANISH["step-up"], "el pie que sube primero")],
)
def test_the_step_up_puts_the_leading_foot_on_the_step(text, said):
    """The side sentence names the foot that steps up first; the step that puts a foot on the stair
    had said "one whole foot", and a patient could lead with either."""
    assert said in text["steps"][1]
    assert not re.search(r"\b(one whole foot|todo un pie)\b", " ".join(text["steps"]))


# ---- what the side means, and who picks it, for a recorded leg dystonia (trial 13, F5) ---------

LEFT_LEG = PatternEntry(areas=["leg_left"])

# exercise, side set ("" follows the pattern), language: what the patient reads first, whether the
# picture is mirrored; ("", False) where nothing is set and the builder asks.
SIDE_TABLE = [
    ("single-leg-stand-chair", "", "en", "Stand on your left leg. Lift your right foot.", False),
    ("single-leg-stand-chair", "", "es", "Apóyese en la pierna izquierda. Levante el pie derecho.", False),
    ("single-leg-stand-chair", "right", "en", "Stand on your right leg. Lift your left foot.", True),
    ("single-leg-stand-chair", "right", "es", "Apóyese en la pierna derecha. Levante el pie izquierdo.", True),
    ("calf-stretch-wall", "", "en", "Step your left foot back. This stretches your left calf.", True),
    ("side-lying-leg-lift", "", "en", "Lie on your right side. Your left leg is on top and does the work.", True),
    (
        "clamshell",
        "",
        "es",
        "Acuéstese sobre el lado derecho. La pierna izquierda queda arriba y hace el trabajo.",
        True,
    ),
    ("step-up", "", "en", "", False),  # which foot leads up is the therapist's choice: asked
    ("step-up", "right", "en", "Step up with your right foot first, every time.", False),
    ("straight-leg-raise", "", "es", "", False),
    ("hip-front-stretch-bed-edge", "", "en", "", False),
    ("hip-front-stretch-bed-edge", "left", "es", "Acuéstese cerca del borde izquierdo de la cama.", True),
]


@pytest.mark.parametrize(("slug", "chosen", "language", "said", "mirrored"), SIDE_TABLE)
def test_a_left_leg_dystonia_trains_the_left_leg_or_the_builder_asks(
    catalog_db, slug, chosen, language, said, mirrored
):
    clinic = make_clinic(catalog_db, "Leg Clinic")
    patient = make_patient(catalog_db, clinic, "Maximiliano Pérez", language=language)
    recorded_patterns.record_pattern(catalog_db, patient, LEFT_LEG, date(2026, 11, 1), None, NOW)
    program = programs.create_program(catalog_db, patient, programs.ProgramDetails("P", date(2026, 11, 1)), None, NOW)
    item = program_items.add_item(
        catalog_db, program, get_exercise(catalog_db, clinic.id, slug), None, NOW, side=chosen
    )
    catalog_db.commit()
    shown = patterns.prescribed(program, language)[item.id]
    if said:
        assert shown.words.startswith(said) and not shown.waiting
        assert shown.direction.mirrored == mirrored
    else:
        # No side: the patient waits, and the builder says the pattern's leg and why it does not pick.
        assert shown.waiting and shown.direction.side == ""
        [needs] = [w.message for w in shown.direction.warnings if w.kind == "needs_side"]
        assert "The pattern records the left leg; the catalog does not choose" in needs


@pytest.mark.parametrize(
    ("slug", "label"),
    [
        ("single-leg-stand-chair", "Side: the standing leg"),
        ("step-up", "Side: the foot that steps up first"),
        ("towel-arm-lift-lying", "Side: the arm that is helped"),
        ("wrist-bends-and-circles", "Side: the hand that works"),
    ],
)
def test_the_builder_names_what_the_side_means(catalog_app, catalog_db, slug, label):
    from tests.conftest import login

    clinic = make_clinic(catalog_db, "Builder Clinic")
    make_user(catalog_db, clinic, email="legs@clinic.org")
    patient = make_patient(catalog_db, clinic, "Maximiliano Pérez")
    recorded_patterns.record_pattern(catalog_db, patient, LEFT_LEG, date(2026, 11, 1), None, NOW)
    program = programs.create_program(catalog_db, patient, programs.ProgramDetails("P", date(2026, 11, 1)), None, NOW)
    program_items.add_item(catalog_db, program, get_exercise(catalog_db, clinic.id, slug), None, NOW)
    catalog_db.commit()
    client = catalog_app.test_client()
    login(client, "legs@clinic.org")
    html = client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert f">{label}</label>" in html
    if slug == "single-leg-stand-chair":
        assert "Side (the standing leg) from the recorded pattern: left, the side with dystonia." in html
