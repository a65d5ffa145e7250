"""Direction-specific exercises follow the patient's recorded pattern: the side, the sentence the
patient reads, the mirrored picture, and the therapist's warnings (pattern × exercise kind × override)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from planner.dystonia.direction import CONTRAINDICATED, NEEDS_PATTERN, TOWARD_PULL
from planner.dystonia.pattern import PatternEntry
from planner.services import DomainError, paper_state, patient_links, patterns, programs, recorded_patterns
from planner.services.catalog import get_exercise
from tests.factories import make_clinic, make_patient

NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)
# What the patient reads for an exercise whose direction has no side: wait, never a way without its side.
WAIT = "Please wait before you start this exercise. The way to move is not set yet."

PATTERNS = {
    "none": None,
    "left torticollis": PatternEntry({"rotation": "left"}, {"rotation": 2}),
    "right torticollis": PatternEntry({"rotation": "right"}, {"rotation": 2}),
    "left laterocollis": PatternEntry({"tilt": "left"}, {"tilt": 2}),
    "right laterocollis": PatternEntry({"tilt": "right"}, {"tilt": 2}),
    "anterocollis": PatternEntry(severities={"flexion": 2}),
    "retrocollis": PatternEntry(severities={"extension": 1}),
    "left shoulder": PatternEntry({"shoulder": "left"}, {"shoulder": 2}),
    "tremor": PatternEntry(tremor="no_no", tremor_severity=1),
}

# pattern, exercise, side set by the therapist (None: as added), then what follows:
# side, the sentence the patient reads first, picture mirrored, source, warnings.
CASES = [
    # rotation, away from the pull (the picture turns to the right)
    (
        "left torticollis",
        "head-midline-away-from-pull",
        None,
        "right",
        "Turn your head to the right, away from the pull.",
        False,
        "pattern",
        [],
    ),
    (
        "right torticollis",
        "head-midline-away-from-pull",
        None,
        "left",
        "Turn your head to the left, away from the pull.",
        True,
        "pattern",
        [],
    ),
    (
        "left torticollis",
        "head-midline-away-from-pull",
        "left",
        "left",
        "Turn your head to the left, toward the pull.",
        True,
        "therapist",
        [TOWARD_PULL],
    ),
    # chosen by the therapist, the same side the pattern gives: still the therapist's choice
    (
        "left torticollis",
        "head-midline-away-from-pull",
        "right",
        "right",
        "Turn your head to the right, away from the pull.",
        False,
        "therapist",
        [],
    ),
    # no side of its own and none from the pattern: nothing tells a way to move; the patient waits
    ("none", "head-midline-away-from-pull", None, "", WAIT, False, "", [NEEDS_PATTERN]),
    ("none", "head-midline-away-from-pull", "right", "right", "Turn your head to the right.", False, "therapist", []),
    (
        "left laterocollis",
        "head-midline-away-from-pull",
        None,
        "",
        WAIT,
        False,
        "",
        [NEEDS_PATTERN],
    ),
    (
        "left torticollis",
        "neck-press-turn",
        None,
        "right",
        "Put your right hand on your right cheek. Press to turn right, away from the pull.",
        False,
        "pattern",
        [],
    ),
    # tilt: a stretch drawn tipping to the left
    (
        "left laterocollis",
        "neck-side-stretch",
        None,
        "right",
        "Hold the seat with your left hand. Tip your head toward your right shoulder, away from the pull.",
        True,
        "pattern",
        [],
    ),
    (
        "left laterocollis",
        "neck-side-stretch",
        "left",
        "left",
        "Hold the seat with your right hand. Tip your head toward your left shoulder, toward the pull.",
        False,
        "therapist",
        [TOWARD_PULL],
    ),
    (
        "left torticollis",
        "neck-side-stretch",
        None,
        "",
        WAIT,
        False,
        "",
        [NEEDS_PATTERN],
    ),
    (
        "left laterocollis",
        "neck-press-side",
        None,
        "right",
        "Put your right hand above your right ear. Press to tip right, away from the pull.",
        False,
        "pattern",
        [],
    ),
    # a shoulder that lifts is worked on its own side
    (
        "left shoulder",
        "neck-shoulder-blade-stretch",
        None,
        "left",
        "Hold the seat with your left hand. This stretches the left shoulder, the one that lifts.",
        True,
        "pattern",
        [],
    ),
    # flexion and extension go one way: the pattern decides whether that is toward the pull
    ("anterocollis", "neck-press-forward", None, "", "", False, "", [CONTRAINDICATED, TOWARD_PULL]),
    ("retrocollis", "neck-press-forward", None, "", "", False, "", []),
    ("retrocollis", "neck-press-back", None, "", "", False, "", [CONTRAINDICATED, TOWARD_PULL]),
    ("anterocollis", "chin-nod-head-lift", None, "", "", False, "", [CONTRAINDICATED, TOWARD_PULL]),
    ("left torticollis", "neck-press-back", None, "", "", False, "", []),
    # limbs keep left, right or both; symmetric work has no side
    (
        "left torticollis",
        "arm-lift-side-sitting",
        "left",
        "left",
        "Do this with your left arm.",
        True,
        "therapist",
        [],
    ),
    (
        "left torticollis",
        "arm-lift-side-sitting",
        "right",
        "right",
        "Do this with your right arm.",
        False,
        "therapist",
        [],
    ),
    (
        "left torticollis",
        "arm-lift-side-sitting",
        "both",
        "both",
        "Do this with each arm in turn.",
        False,
        "therapist",
        [],
    ),
    ("left torticollis", "chin-tuck-sitting", None, "", "Hold for 5 seconds.", False, "", []),
    ("left torticollis", "sensory-trick-cheek-touch", "left", "left", "Touch your left cheek.", True, "therapist", []),
    # what an exercise must not be used for
    ("tremor", "head-balance-light-object", None, "", "Hold for", False, "", [CONTRAINDICATED]),
    ("left shoulder", "shoulder-tense-and-release", None, "", "Hold for", False, "", [CONTRAINDICATED]),
]


@pytest.fixture
def clinic(catalog_db):
    return make_clinic(catalog_db, "Direction Clinic")


def patient_with(db, clinic, pattern_name):
    patient = make_patient(db, clinic, "Maria Lopez")
    entry = PATTERNS[pattern_name]
    if entry is not None:
        recorded_patterns.record_pattern(db, patient, entry, date(2026, 11, 1), None, NOW)
    db.commit()
    return patient


def program_for(db, patient, slug, side=None):
    program = programs.create_program(db, patient, programs.ProgramDetails("Neck", date(2026, 11, 1)), None, NOW)
    item = programs.add_item(db, program, get_exercise(db, patient.clinic_id, slug), None, NOW)
    if side is not None:
        programs.update_item(db, program, item.id, dict(item.dosage), side, "", None, NOW)
    db.commit()
    return program


@pytest.mark.parametrize(
    "pattern_name, slug, chosen, side, sentence, mirrored, source, warnings",
    CASES,
    ids=[f"{c[0]}-{c[1]}-{c[2] or 'as added'}" for c in CASES],
)
def test_direction_wording_picture_and_warnings(
    catalog_db, clinic, pattern_name, slug, chosen, side, sentence, mirrored, source, warnings
):
    db = catalog_db
    program = program_for(db, patient_with(db, clinic, pattern_name), slug, chosen)
    item = program.items[0]
    shown = patterns.prescribed(program)[item.id]
    direction = shown.direction

    assert item.side == (chosen or "")  # only a side the therapist chose is stored on the item
    assert direction.side == side
    assert shown.words.startswith(sentence)
    assert direction.mirrored is mirrored
    assert direction.source == source
    assert [w.kind for w in direction.warnings] == warnings
    # No sentence a patient reads leaves the side to the therapist.
    assert "therapist" not in shown.words


def test_maria_reads_turn_right_away_from_the_pull(catalog_db, clinic):
    """The issue's example: a head that turns to the left, "Slow head turn and hold"."""
    program = program_for(
        catalog_db, patient_with(catalog_db, clinic, "left torticollis"), "head-midline-away-from-pull"
    )
    words = patterns.prescribed(program)[program.items[0].id].words
    assert words == (
        "Turn your head to the right, away from the pull. Hold for 10 seconds. Repeat 5 times. "
        "Do this 3 times a day, every day."
    )
    assert "Do this with your right side." not in words  # the old wording, which named no direction


def test_the_warning_names_the_pattern_and_the_reason(catalog_db, clinic):
    program = program_for(catalog_db, patient_with(catalog_db, clinic, "anterocollis"), "neck-press-forward")
    messages = [w.message for w in patterns.program_directions(program)[0].warnings]
    assert messages[0].startswith("Not for flexion (anterocollis): It strengthens the muscles that bend the head")
    assert messages[1] == "Trains toward the pull: it works the way of the flexion (anterocollis)."


@pytest.mark.parametrize(
    "slug, side, message",
    [
        ("head-midline-away-from-pull", "both", "Choose the side the head goes: left or right."),
        ("neck-press-forward", "left", "goes one way only"),
    ],
)
def test_a_side_the_exercise_cannot_take_is_refused_at_the_field(catalog_db, clinic, slug, side, message):
    db = catalog_db
    program = program_for(db, patient_with(db, clinic, "left torticollis"), slug)
    item = program.items[0]
    with pytest.raises(DomainError) as refused:
        programs.update_item(db, program, item.id, dict(item.dosage), side, "", None, NOW)
    assert refused.value.field == "side" and message in refused.value.message


def test_a_re_evaluation_moves_every_direction_the_therapist_did_not_choose(catalog_db, clinic):
    """Added after the pattern was recorded, an exercise stores no side: when a re-evaluation
    changes the pattern, it follows, and the builder is told the paper handout now differs. A side
    the therapist chose stays, with its warning, until they make it follow the pattern again."""
    db = catalog_db
    patient = patient_with(db, clinic, "left torticollis")
    program = program_for(db, patient, "head-midline-away-from-pull")
    press = programs.add_item(db, program, get_exercise(db, clinic.id, "neck-press-turn"), None, NOW, side="right")
    programs.add_item(db, program, get_exercise(db, clinic.id, "arm-lift-side-sitting"), None, NOW, side="left")
    programs.issue(db, program, None, "print", NOW)
    assert [i.side for i in program.items] == ["", "right", "left"]  # issuing stores no side either
    assert paper_state.changed_directions(db, program) == []
    # Re-evaluated: the head now turns to the right.
    recorded_patterns.record_pattern(db, patient, PATTERNS["right torticollis"], date(2026, 11, 20), None, NOW)
    db.commit()
    mirror, pressed, arm = patterns.program_directions(program)
    assert (mirror.side, mirror.source, mirror.warnings) == ("left", "pattern", ())
    assert (pressed.side, pressed.source, [w.kind for w in pressed.warnings]) == ("right", "therapist", [TOWARD_PULL])
    assert arm.side == "left"
    assert paper_state.changed_directions(db, program) == [("Slow head turn and hold", "right", "left", False, False)]

    changed = programs.set_directions_from_pattern(db, program, None, NOW)
    db.commit()
    assert changed == [press]  # the mirror already follows; the arm is a limb
    assert (program.version, [i.side for i in program.items]) == (2, ["", "", "left"])
    assert patterns.program_directions(program)[1].side == "left"
    assert programs.set_directions_from_pattern(db, program, None, NOW) == []


def test_the_demos_maria_turns_right_away_from_her_left_torticollis(catalog_app, catalog_db):
    """The issue's demo: Maria Lopez's head turns to the left; her handout and her phone page say,
    in her Spanish, to turn right, away from the pull, and the picture shows the head turning to
    her right."""
    from planner.demo import load_demo
    from planner.handouts import build_handout
    from planner.handouts.content import handout_content
    from planner.handouts.styles import HandoutOptions
    from planner.models import Patient
    from tests.conftest import CATALOG
    from tests.handout_world import pages_text

    load_demo(catalog_db, date(2026, 11, 21), NOW, CATALOG)
    maria = catalog_db.query(Patient).filter_by(name="Maria Lopez").one()
    assert maria.language == "es"
    # her recorded chin trick adds its exercise to the program; the turn follows the rotation alone
    assert recorded_patterns.current_pattern(maria).data.describe() == [
        "Rotation (torticollis) to the left, moderate",
        "Sensory trick (geste antagoniste): Chin",
    ]
    program = programs.programs_of_patient(catalog_db, maria.clinic_id, maria.id)[0]
    turn_right = "Gire la cabeza a la derecha, en sentido contrario al tirón."
    content = handout_content(catalog_db, program, NOW, language="es")
    block = next(b for b in content.exercises if b.slug == "neck-turn-lying-hold")
    assert block.dosage.startswith(turn_right)
    assert block.side == "right"  # drawn turning to the right: not mirrored
    # The picture turns the head to her right from start to end.
    assert block.picture["end"]["head_turn"] > block.picture["start"].get("head_turn", 0)
    # The same item for a therapist reading English says the same direction.
    english = next(b for b in handout_content(catalog_db, program, NOW).exercises if b.slug == block.slug)
    assert english.dosage.startswith("Turn your head to the right, away from the pull.")
    # A site that offers Spanish handouts prints hers in Spanish.
    text = " ".join(pages_text(build_handout(catalog_db, program, NOW, options=HandoutOptions(languages=("en", "es")))))
    assert turn_right in text and "Turn your head" not in text

    _, token = patient_links.create_link(catalog_db, maria, catalog_app.secret_key, NOW)
    catalog_db.commit()
    page = catalog_app.test_client().get(f"/p/{token}").get_data(as_text=True)
    item = next(i for i in program.items if i.exercise.slug == "neck-turn-lying-hold")
    part = page.split(f'id="exercise-{item.exercise_id}"')[1].split('<li id="exercise-')[0]
    assert f'<p class="dosage">{turn_right} ' in part
    from planner.web.catalog.movement import exercise_motion, exercise_stills

    with catalog_app.test_request_context():
        drawn, mirrored = (str(exercise_stills(item.exercise, side, 340, "es")) for side in ("right", "left"))
        moving, moving_mirrored = (
            str(exercise_motion(item.exercise, side, item.dosage, 340, "es")) for side in ("right", "left")
        )
    assert drawn != mirrored and drawn in part and mirrored not in part  # as drawn: turning right
    assert moving != moving_mirrored and moving in part and moving_mirrored not in part  # and so does it move


def test_finding_the_middle_shows_a_head_pulled_right_off_to_the_right(catalog_app, catalog_db, clinic):
    """The picture of a symmetric exercise that starts off the middle follows the patient's own
    pull, on the handout and on the phone page: pulled right, the start is off to the right."""
    from planner.handouts.content import handout_content
    from planner.web.catalog.movement import exercise_stills

    db = catalog_db
    patient = patient_with(db, clinic, "right torticollis")
    program = program_for(db, patient, "head-midline-mirror")
    programs.issue(db, program, None, "print", NOW)
    block = handout_content(db, program, NOW).exercises[0]
    assert block.picture["start"]["head_turn"] < 0  # drawn off to the left ...
    assert block.side == "left"  # ... so it is mirrored: off to the right, the way her pull goes
    assert block.picture["start"]["head_tilt"] == 0  # turned only: no tilt is recorded
    _, token = patient_links.create_link(db, patient, catalog_app.secret_key, NOW)
    db.commit()
    page = catalog_app.test_client().get(f"/p/{token}").get_data(as_text=True)
    item = program.items[0]
    with catalog_app.test_request_context():
        drawn, mirrored = (str(exercise_stills(item.exercise, side, 340, "en", "turned")) for side in ("right", "left"))
    assert mirrored in page and drawn not in page


def test_finding_the_middle_for_a_head_pulled_forward_starts_chin_down_everywhere(catalog_app, catalog_db, clinic):
    """No sided pull recorded (anterocollis only): the handout, the phone page and the builder
    draw the start with the chin down, never turned to a side (direction.py, rule 8)."""
    from planner.catalog.figure.pattern_start import start_in
    from planner.handouts.content import handout_content
    from planner.web.catalog.movement import exercise_stills
    from tests.conftest import login
    from tests.factories import make_user

    db = catalog_db
    patient = patient_with(db, clinic, "anterocollis")
    program = program_for(db, patient, "head-midline-mirror")
    programs.issue(db, program, None, "print", NOW)
    block = handout_content(db, program, NOW).exercises[0]
    assert block.picture["start"]["head_nod"] > 0 and block.picture["start"]["head_turn"] == 0
    assert block.picture["end"]["head_nod"] == 0 and block.side == "right"
    item = program.items[0]
    assert start_in(item.exercise.picture, "flexion") == block.picture
    _, token = patient_links.create_link(db, patient, catalog_app.secret_key, NOW)
    db.commit()
    client = catalog_app.test_client()
    page = client.get(f"/p/{token}").get_data(as_text=True)
    with catalog_app.test_request_context():
        chin_down, turned = (str(exercise_stills(item.exercise, "right", 340, "en", s)) for s in ("flexion", ""))
        in_builder = [str(exercise_stills(item.exercise, "right", 240, "en", s)) for s in ("flexion", "")]
    assert chin_down in page and turned not in page
    user = make_user(db, clinic)
    db.commit()
    login(client, user.email)
    builder = client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert in_builder[0] in builder and in_builder[1] not in builder


def test_the_phone_pages_pdf_after_a_re_evaluation_gives_nothing_new_and_waits_for_the_therapist(
    catalog_app, catalog_db, clinic
):
    """The patient's own download is the paper they were given, never a new version: after a
    re-evaluation turns the pull around, version 1's "to the right" trains toward it, so the phone
    waits for the therapist (409); once the therapist prints version 2, the download is version 2."""
    from io import BytesIO

    from pypdf import PdfReader

    from planner.models import ProgramVersion
    from tests.conftest import login
    from tests.factories import make_user

    db = catalog_db
    patient = patient_with(db, clinic, "left torticollis")
    program = program_for(db, patient, "head-midline-away-from-pull")
    programs.issue(db, program, None, "print", NOW)
    _, token = patient_links.create_link(db, patient, catalog_app.secret_key, NOW)
    db.commit()
    phone = catalog_app.test_client()

    def text_of(pdf):
        assert pdf.mimetype == "application/pdf"
        return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf.data)).pages)

    assert "Turn your head to the right, away from the pull." in text_of(phone.get(f"/p/{token}/handout.pdf"))
    recorded_patterns.record_pattern(db, patient, PATTERNS["right torticollis"], date(2026, 11, 20), None, NOW)
    db.commit()
    refused = phone.get(f"/p/{token}/handout.pdf")
    assert refused.status_code == 409 and "Your handout is not ready yet" in refused.get_data(as_text=True)
    db.expire_all()
    given = db.scalars(select(ProgramVersion).where(ProgramVersion.program_id == program.id)).all()
    assert [(v.number, v.how) for v in given] == [(1, "print")]  # the phone gave nothing
    # The therapist opening the print address (a GET) sees the paper given, and gives nothing either.
    therapist = catalog_app.test_client()
    user = make_user(db, clinic, email="t@directions.example")
    db.commit()
    login(therapist, user.email)
    assert "Turn your head to the right, away from the pull." in text_of(
        therapist.get(f"/programs/{program.id}/handout.pdf")
    )
    db.expire_all()
    assert len(db.scalars(select(ProgramVersion).where(ProgramVersion.program_id == program.id)).all()) == 1

    programs.issue(db, program, None, "print", NOW)  # the therapist prints the new paper
    db.commit()
    text = text_of(phone.get(f"/p/{token}/handout.pdf"))
    assert "(version 2)" in text and "(version 1)" not in text
    assert "Turn your head to the left, away from the pull." in text
    assert paper_state.changed_directions(db, program) == []  # the builder has nothing to warn of


# ---- sentences that read the same lying down -------------------------------------------------

# Words whose meaning turns with the body: lying on the back, "your right ear goes down" may mean
# toward the pillow, and "keep it low" toward the bed. A direction names a body part instead.
GRAVITY_WORDS = r"\b(goes down|go down|low|lower|up|baja|bajo|bajos|arriba)\b"


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_direction_sentence_depends_on_which_way_is_down(language):
    """Every sentence naming a way to move reads the same sitting, standing or lying down."""
    import re

    from planner.dystonia.sentences import DIRECTION_SENTENCES
    from planner.i18n import translator

    said = [translator(language).gettext(s) for table in DIRECTION_SENTENCES.values() for s in table.values()]
    assert [s for s in said if re.search(GRAVITY_WORDS, s, re.IGNORECASE)] == []


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "Tip your head toward your right shoulder, away from the pull."),
        ("es", "Incline la cabeza hacia el hombro derecho, en sentido contrario al tirón."),
    ],
)
def test_a_tilt_lying_down_names_the_shoulder_the_head_tips_toward(catalog_db, clinic, language, said):
    """The trial: "Side tilt hold lying down" for a left laterocollis said "Your right ear goes down",
    which lying on the back may mean toward the pillow. It names the right shoulder now."""
    from planner.handouts.content import handout_content

    program = program_for(catalog_db, patient_with(catalog_db, clinic, "left laterocollis"), "neck-tilt-lying-hold")
    block = handout_content(catalog_db, program, NOW, language=language).exercises[0]
    assert block.dosage.startswith(said)


@pytest.mark.parametrize(
    "after, said, not_said",
    [
        (
            "override",
            "“Side tilt hold lying down”: the paper says left; you set right, toward the pull.",
            "the pattern now gives",
        ),
        (
            "re-evaluation",
            "“Side tilt hold lying down”: the paper says left; the pattern now gives right.",
            "you set",
        ),
    ],
)
def test_the_paper_differs_banner_says_what_changed(catalog_app, catalog_db, clinic, after, said, not_said):
    """After the handout is given, the builder says why the paper differs: the therapist's own
    side (an override) is never worded as if the pattern gave it."""
    from tests.conftest import login
    from tests.factories import make_user

    db = catalog_db
    patient = patient_with(db, clinic, "right laterocollis")
    program = program_for(db, patient, "neck-tilt-lying-hold")
    programs.issue(db, program, None, "print", NOW)
    if after == "override":
        item = program.items[0]
        programs.update_item(db, program, item.id, dict(item.dosage), "right", "", None, NOW)
    else:
        recorded_patterns.record_pattern(db, patient, PATTERNS["left laterocollis"], date(2026, 11, 20), None, NOW)
    user = make_user(db, clinic)
    db.commit()
    client = catalog_app.test_client()
    login(client, user.email)
    builder = client.get(f"/programs/{program.id}").get_data(as_text=True)
    banner = " ".join(builder.split('id="paper-differs"')[1].split("</div>")[0].split())
    assert said in banner and not_said not in banner
    header = "this program" if after == "override" else "the recorded pattern"
    assert f"The patient's paper handout now differs from {header}:" in banner
