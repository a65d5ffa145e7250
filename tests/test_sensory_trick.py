"""The sensory trick (geste antagoniste) is part of the recorded pattern: where the touch goes and
on which side, dated with the rest, changed at a re-evaluation with its history kept, shown with
the pattern each evaluation saw; an exercise that uses the trick takes its side from it, never
from the free-text note."""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, date, datetime

import pytest

from planner.config import ROOT
from planner.dystonia.direction import resolve
from planner.dystonia.movement import spec_of
from planner.dystonia.pattern import PatternEntry, checked
from planner.services import DomainError, patient_links, patterns, recorded_patterns
from tests.factories import make_clinic, make_patient
from tests.reminder_factories import make_program
from tests.test_dystonia_pattern import error_at, text_of

NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)
CHEEK_TOUCH = spec_of(tomllib.loads((ROOT / "exercises/sensory-trick-cheek-touch.toml").read_text())["pattern"])
TURN = {"rotation": "left"}, {"rotation": 2}


@pytest.mark.parametrize(
    ("trick", "side", "field", "message"),
    [
        ("cheek", "", "trick_side", "Sensory trick: choose the side of the cheek."),
        ("", "left", "trick", "Sensory trick: choose where it touches, or no side."),
        (
            "top_of_head",
            "right",
            "trick_side",
            "Sensory trick: no side for “Top of the head”. Choose “Middle, or no side”.",
        ),
        ("chin", "both", "trick_side", "Sensory trick: the chin is touched in the middle or on one side, not both."),
        ("elbow", "", "trick", "Sensory trick: choose where it touches from the list."),
        ("cheek", "up", "trick_side", "Sensory trick: choose a side from the list."),
    ],
)
def test_a_trick_placed_or_sided_wrongly_is_refused_at_its_field(service_db, trick, side, field, message):
    patient = make_patient(service_db, make_clinic(service_db))
    with pytest.raises(DomainError) as refused:
        recorded_patterns.record_pattern(
            service_db, patient, PatternEntry(*TURN, trick=trick, trick_side=side), NOW.date(), None, NOW
        )
    assert [(e.field, e.message) for e in refused.value.errors] == [(field, message)]
    service_db.rollback()
    assert recorded_patterns.current_pattern(patient) is None


def test_the_form_shows_a_wrong_trick_at_its_field_and_keeps_what_was_chosen(dystonia_patient, db):
    client, patient = dystonia_patient
    form = client.get(f"/patients/{patient.id}/pattern").get_data(as_text=True)
    assert "Sensory trick (geste antagoniste)" in form
    assert '<label for="pattern-trick">Where the trick touches</label>' in form
    assert '<label for="pattern-trick_side">Side of the trick</label>' in form
    sent = {"recorded_on": "2026-11-01", "pattern-rotation_side": "left", "pattern-rotation_severity": "2"}
    response = client.post(f"/patients/{patient.id}/pattern", data={**sent, "pattern-trick": "cheek"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_at(html, "pattern-trick_side") == "Sensory trick: choose the side of the cheek."
    assert '<option selected value="cheek">Cheek</option>' in html
    assert recorded_patterns.pattern_history(db, patient.clinic_id, patient.id) == []


def test_the_trick_is_dated_with_the_pattern_and_each_evaluation_shows_its_own(dystonia_patient, db):
    """Maria's trick is a touch on the left cheek; at the November re-evaluation the right cheek
    helps more. Both stay in the history; each evaluation shows the trick of its date; the
    cheek-touch exercise names the cheek recorded now, whatever the note says."""
    client, patient = dystonia_patient
    program = make_program(db, patient, None, NOW, start=date(2026, 9, 1), title="Neck")
    first = {
        "recorded_on": "2026-09-01",
        "pattern-rotation_side": "left",
        "pattern-rotation_severity": "2",
        "pattern-trick": "cheek",
        "pattern-trick_side": "left",
    }
    assert client.post(f"/patients/{patient.id}/pattern", data=first).status_code == 302
    same = {**{k: v for k, v in first.items() if k != "recorded_on"}, "evaluated_on": "2026-10-01"}
    assert client.post(f"/programs/{program.id}/evaluations/new", data=same).status_code == 302
    moved = {
        **same,
        "evaluated_on": "2026-11-02",
        "pattern-trick_side": "right",
        "pattern-note": "Left cheek no longer helps.",
    }
    assert client.post(f"/programs/{program.id}/evaluations/new", data=moved).status_code == 302

    db.expire_all()
    history = recorded_patterns.pattern_history(db, patient.clinic_id, patient.id)
    assert [(r.recorded_on, r.trick, r.trick_side) for r in history] == [
        (date(2026, 11, 2), "cheek", "right"),
        (date(2026, 9, 1), "cheek", "left"),
    ]  # the unchanged trick at the October re-evaluation added nothing
    html = client.get(f"/patients/{patient.id}").get_data(as_text=True)
    listed = text_of(html, "Recorded re-evaluations", 3000)
    assert (
        "(saved with it) : Rotation (torticollis) to the left, moderate; Sensory trick (geste antagoniste): Cheek, right side"
        in listed
    )
    assert "(recorded 2026-09-01, saved" in listed and "Sensory trick (geste antagoniste): Cheek, left side" in listed
    section = text_of(html, 'id="pattern-h"', 4000)
    assert "Sensory trick (geste antagoniste): Cheek, right side" in section and "Earlier patterns (1)" in section

    # The note names the left cheek; the exercise takes the recorded one.
    direction = resolve(CHEEK_TOUCH, "", history[0].data)
    assert (direction.side, direction.sentence, direction.source) == ("right", "Touch your right cheek.", "pattern")
    assert resolve(CHEEK_TOUCH, "", history[1].data).side == "left"
    # The next form starts from the recorded trick.
    again = client.get(f"/patients/{patient.id}/pattern").get_data(as_text=True)
    assert (
        '<option selected value="right">Right side</option>'
        in again.split('id="pattern-trick_side"')[1].split("</select>")[0]
    )


@pytest.mark.parametrize(
    ("trick", "side", "cheek"),
    [
        ("cheek", "left", "left"),
        ("cheek", "both", "both"),
        ("chin", "left", ""),
        ("back_of_head", "", ""),
        ("", "", ""),
    ],
)
def test_only_a_trick_on_the_cheek_gives_the_cheek_touch_its_side(service_db, trick, side, cheek):
    patient = make_patient(service_db, make_clinic(service_db))
    row = recorded_patterns.record_pattern(
        service_db, patient, PatternEntry(*TURN, trick=trick, trick_side=side), NOW.date(), None, NOW
    )
    direction = resolve(CHEEK_TOUCH, "", row.data)
    assert direction.side == cheek and direction.unset == (not cheek)


@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize("place", ["chin", "back_of_head", "forehead_temple", "cheek"])
def test_a_cheek_touch_and_a_trick_at_its_own_place_say_the_recorded_side_in_the_same_words(place, side):
    """The trick's side is read in one place and worded from one table: a cheek touch (a one-sided
    exercise) says the recorded cheek as an exercise using the trick at its own place says its side,
    and a re-evaluation that moves the trick to the other side moves the sentence of both."""
    other = {"left": "right", "right": "left"}[side]
    own_place = spec_of({"relation": "symmetric", "trick": place})
    said = []
    for recorded in (side, other):
        pattern = checked(PatternEntry(*TURN, trick=place, trick_side=recorded))
        at_place = resolve(own_place, "", pattern)
        assert at_place.trick_side == recorded and f" {recorded} " in f" {at_place.sentence} "
        if place == "cheek":
            cheek = resolve(CHEEK_TOUCH, "", pattern)
            assert (cheek.side, cheek.sentence) == (recorded, at_place.sentence)
        said.append(at_place.sentence)
    assert said[0] != said[1]


def test_a_trick_alone_is_a_finding_saved_without_the_blank_form_question(dystonia_patient, db):
    client, patient = dystonia_patient
    sent = {"recorded_on": "2026-11-01", "pattern-trick": "back_of_head"}
    response = client.post(f"/patients/{patient.id}/pattern", data=sent, follow_redirects=True)
    assert "The pattern is recorded." in response.get_data(as_text=True)
    (row,) = recorded_patterns.pattern_history(db, patient.clinic_id, patient.id)
    assert row.data.describe() == ["Sensory trick (geste antagoniste): Back of the head"]
    assert re.search(r"<li>Sensory trick \(geste antagoniste\): Back of the head</li>", response.get_data(as_text=True))


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        (None, ""),
        (PatternEntry(*TURN), " No sensory trick is recorded in the pattern: record its cheek there, or choose here."),
        (
            PatternEntry(*TURN, trick="back_of_head"),
            " The recorded sensory trick is not on a cheek (back of the head): is this the right trick?",
        ),
    ],
    ids=["no pattern", "no trick recorded", "trick elsewhere"],
)
def test_a_cheek_touch_with_no_cheek_says_what_the_pattern_records_of_the_trick(service_db, entry, said):
    pattern = None
    if entry is not None:
        patient = make_patient(service_db, make_clinic(service_db))
        pattern = recorded_patterns.record_pattern(service_db, patient, entry, NOW.date(), None, NOW).data
    direction = resolve(CHEEK_TOUCH, "", pattern)
    assert direction.unset
    assert [w.message for w in direction.warnings] == [
        "Its steps use one side, and none is set: choose left, right or both." + said
    ]


# ---- the cervical template starts with the patient's own trick ------------------------------

TRICK_EXERCISES = {
    "sensory-trick-chin-touch": "Light touch on the chin",
    "sensory-trick-cheek-touch": "Light touch on the cheek",
    "sensory-trick-back-of-head": "Hand resting on the back of the head",
}


@pytest.mark.parametrize(
    ("trick", "side", "given", "added", "left_out"),
    [
        # Trial 11: the chin touch went to every patient with no trick recorded. A trick is the
        # patient's own: with none recorded, none is taught, and the start says so.
        (
            "",
            "",
            None,
            None,
            "No sensory trick is recorded: a trick is the patient's own, and one they do not use helps little. "
            "If the patient has one, record it on the pattern and add its exercise.",
        ),
        ("chin", "", "sensory-trick-chin-touch", "For the recorded sensory trick (geste antagoniste): chin.", None),
        (
            "cheek",
            "left",
            "sensory-trick-cheek-touch",
            "For the recorded sensory trick (geste antagoniste): cheek, left side.",
            None,
        ),
        (
            "back_of_head",
            "",
            "sensory-trick-back-of-head",
            "For the recorded sensory trick (geste antagoniste): back of the head.",
            None,
        ),
        (
            "top_of_head",
            "",
            None,
            None,
            "The recorded sensory trick is another one (top of the head): add your own exercise for it if needed.",
        ),
        # The place is said in brackets, so its own label has none (no "(gum (…))").
        (
            "mouth",
            "",
            None,
            None,
            "The recorded sensory trick is another one (something held in the mouth, like gum or a "
            "toothpick): add your own exercise for it if needed.",
        ),
        (
            "other",
            "left",
            None,
            None,
            "The recorded sensory trick is another one (another place, named in the note): add your own "
            "exercise for it if needed.",
        ),
    ],
    ids=["none recorded", "chin", "left cheek", "back of the head", "top of the head", "mouth", "another place"],
)
def test_the_cervical_template_starts_with_the_recorded_trick(catalog_db, trick, side, given, added, left_out):
    from planner.services.program_templates import start_from_template
    from tests.factories import shipped_template

    patient = make_patient(catalog_db, make_clinic(catalog_db, "Trick Clinic"), "Maria Lopez")
    entry = PatternEntry(*TURN, trick=trick, trick_side=side)
    recorded_patterns.record_pattern(catalog_db, patient, entry, NOW.date(), None, NOW)
    report = start_from_template(
        catalog_db, shipped_template(catalog_db, "cervical-dystonia"), patient, None, NOW.date(), NOW
    )
    tricks = [i.exercise.slug for i in report.program.items if i.exercise.slug in TRICK_EXERCISES]
    assert tricks == ([given] if given else [])
    said = dict(report.added)
    assert said.get(TRICK_EXERCISES.get(given or "", "")) == added
    assert [why for name, why in report.left_out if name in TRICK_EXERCISES.values()] == (
        [left_out] if left_out else []
    )
    if trick == "cheek":  # its cheek from the pattern, said at the start as every direction is
        assert ("Light touch on the cheek", "Touch your left cheek.") in report.directed


# Trial 12 F2: the jaw template gave "Gum or a small object in the mouth" (with its choking
# caution) to a patient with no trick recorded. Every template follows the cervical rule: its trick
# exercise only for the trick recorded at its place. (template, pattern, trick place, the trick
# exercise, is it given, why it is left out: None when given.)
NONE_RECORDED = (
    "No sensory trick is recorded: a trick is the patient's own, and one they do not use helps little. "
    "If the patient has one, record it on the pattern and add its exercise."
)
GUM, TEMPLE = "Gum or a small object in the mouth", "Fingertip at the temple for eye closing"
JAW_OPENING, EYES = {"severities": {"jaw_opening": 2}}, {"areas": ["eyes_face"]}
TEMPLATE_TRICKS = {
    "jaw, none recorded": ("oromandibular-dystonia", JAW_OPENING, "", GUM, False, NONE_RECORDED),
    "jaw, no pattern": ("oromandibular-dystonia", None, "", GUM, False, NONE_RECORDED),
    "jaw, in the mouth": ("oromandibular-dystonia", JAW_OPENING, "mouth", GUM, True, None),
    "jaw, on the chin": (
        "oromandibular-dystonia",
        JAW_OPENING,
        "chin",
        GUM,
        False,
        "The recorded sensory trick is another one (chin): add your own exercise for it if needed.",
    ),
    # A trick in the mouth is recorded, but chewing works the muscles that clench the jaw shut.
    "jaw closing, in the mouth": (
        "oromandibular-dystonia",
        {"severities": {"jaw_closing": 2}},
        "mouth",
        GUM,
        False,
        "Not for jaw closing (jaw-closing dystonia): Chewing works the muscles that clench the jaw shut.",
    ),
    "eyes, none recorded": ("blepharospasm-face", EYES, "", TEMPLE, False, NONE_RECORDED),
    "eyes, no pattern": ("blepharospasm-face", None, "", TEMPLE, False, NONE_RECORDED),
    "eyes, at the temple": ("blepharospasm-face", EYES, "forehead_temple", TEMPLE, True, None),
    "eyes, on the chin": (
        "blepharospasm-face",
        EYES,
        "chin",
        TEMPLE,
        False,
        "The recorded sensory trick is another one (chin): add your own exercise for it if needed.",
    ),
}


@pytest.mark.parametrize(
    ("template", "pattern", "trick", "name", "given", "left_out"), TEMPLATE_TRICKS.values(), ids=TEMPLATE_TRICKS.keys()
)
def test_the_jaw_and_eye_templates_teach_a_trick_only_when_it_is_recorded(
    catalog_db, template, pattern, trick, name, given, left_out
):
    from planner.services.program_templates import start_from_template
    from tests.factories import shipped_template

    patient = make_patient(catalog_db, make_clinic(catalog_db, "Trick Clinic"), "Ελένη Οδοντή")
    if pattern is not None:
        recorded_patterns.record_pattern(
            catalog_db, patient, PatternEntry(**pattern, trick=trick), NOW.date(), None, NOW
        )
    report = start_from_template(catalog_db, shipped_template(catalog_db, template), patient, None, NOW.date(), NOW)
    assert (name in [i.exercise.name for i in report.program.items]) is given
    assert [why for left, why in report.left_out if left == name] == ([left_out] if left_out else [])
    if given:
        assert (name, f"For the recorded {patterns.patient_pattern(patient).trick_words().lower()}.") in report.added


@pytest.mark.parametrize("trick", ['["elbow"]', '"cheek"'])
def test_a_template_file_with_a_wrong_trick_is_refused_naming_it(tmp_path, trick):
    from planner.services.program_templates import read_template_file

    path = tmp_path / "neck.toml"
    path.write_text(
        f'name = "Neck"\ntitle = "Neck"\n[[items]]\nexercise = "sensory-trick-chin-touch"\ntrick = {trick}\n'
    )
    with pytest.raises(DomainError) as refused:
        read_template_file(path)
    assert refused.value.message.startswith("neck.toml: items[1]: trick: a list of where a sensory trick touches")


# Trial 11 F5: José's trick is on the chin, left side; his handout and phone page said "the middle
# of the chin". Each exercise that uses the trick at its place names the recorded side of it:
# place, exercise, side, language, what the patient reads (None: no side sentence, the steps'
# own place stands), and what the steps must not say beside it.
TRICK_TABLE = [
    ("chin", "sensory-trick-chin-touch", "left", "es", "Tóquese la barbilla por el lado izquierdo", "el centro de la"),
    ("chin", "sensory-trick-chin-touch", "right", "en", "Touch your chin on the right side", "the middle of your"),
    ("chin", "sensory-trick-chin-touch", "", "en", None, "the middle of your"),
    ("chin", "sensory-trick-chin-touch", "", "es", None, "el centro de la"),
    ("back_of_head", "sensory-trick-back-of-head", "left", "en", "Rest your hand on the left side of the back", None),
    ("back_of_head", "sensory-trick-back-of-head", "right", "es", "Apoye la mano en el lado derecho de la parte", None),
    ("forehead_temple", "sensory-trick-temple-touch", "left", "es", "Use la sien izquierda", None),
    ("forehead_temple", "sensory-trick-temple-touch", "both", "en", "Try each temple, and use the one", None),
    # In the middle: the forehead, which the temple's steps do not name (trial 12: no sentence at all).
    ("forehead_temple", "sensory-trick-temple-touch", "", "en", "Use the middle of your forehead", "Use your left"),
    ("forehead_temple", "sensory-trick-temple-touch", "", "es", "Use el centro de la frente", "sien izquierda"),
    ("cheek", "sensory-trick-chin-touch", "left", "en", None, "Touch your chin on the"),  # a trick elsewhere
]
SIDE_WORDS = (
    "Touch your chin on the",
    "Tóquese la barbilla por",
    "Rest your hand on the left",
    "Rest your hand on the right",
    "Apoye la mano en el lado",
    "temple, where",
    "Try each temple",
    "sien izquierda",
    "sien derecha",
)


@pytest.mark.parametrize(
    ("trick", "slug", "side", "language", "said", "not_said"),
    TRICK_TABLE,
    ids=[f"{t[0]}-{t[2] or 'middle'}-{t[3]}-{t[1].removeprefix('sensory-trick-')}" for t in TRICK_TABLE],
)
def test_the_handout_and_phone_page_name_the_recorded_side_of_the_trick(
    catalog_app, catalog_db, trick, slug, side, language, said, not_said
):
    from io import BytesIO

    from pypdf import PdfReader

    from planner.services import program_items, programs
    from planner.services.catalog import get_exercise
    from tests.factories import give

    db = catalog_db
    clinic = make_clinic(db, "Trick Clinic")
    patient = make_patient(db, clinic, "José Ñúñez García", language=language)
    entry = PatternEntry(*TURN, areas=["eyes_face"], trick=trick, trick_side=side)
    recorded_patterns.record_pattern(db, patient, entry, NOW.date(), None, NOW)
    program = programs.create_program(db, patient, programs.ProgramDetails("Neck", NOW.date()), None, NOW)
    program_items.add_item(db, program, get_exercise(db, clinic.id, slug), None, NOW)
    give(db, program, NOW)
    _, token = patient_links.create_link(db, patient, catalog_app.secret_key, NOW)
    db.commit()
    phone = catalog_app.test_client()
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", phone.get(f"/p/{token}").get_data(as_text=True)))
    pdf = PdfReader(BytesIO(phone.get(f"/p/{token}/handout.pdf").data))
    paper = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    for text in (page, paper):
        if said is None:
            assert not [w for w in SIDE_WORDS if w in text]
        else:
            assert said in text
        if not_said is not None:
            assert not_said not in text


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        ({"relation": "symmetric", "trick": "chin"}, None),
        ({"relation": "symmetric", "trick": "elbow"}, "unknown value 'elbow'; use one of chin, back_of_head"),
        ({"relation": "limb", "part": "hand", "trick": "chin"}, "only for a symmetric exercise"),
    ],
)
def test_catalog_check_takes_a_trick_place_only_with_its_sentences_on_a_symmetric_exercise(table, problem):
    from planner.dystonia.movement import pattern_problems

    found = [(f, m) for f, m in pattern_problems(table) if f == "pattern.trick"]
    assert [m for _, m in found if problem in m] if problem else found == []
    assert len(found) == (1 if problem else 0)


def test_the_builder_says_the_chin_side_comes_from_the_recorded_trick(catalog_app, catalog_db):
    from planner.services import program_items, programs
    from planner.services.catalog import get_exercise
    from tests.conftest import login
    from tests.factories import make_user

    db = catalog_db
    clinic = make_clinic(db, "Trick Clinic")
    make_user(db, clinic, email="pt@trick.org")
    patient = make_patient(db, clinic, "José Ñúñez García")
    recorded_patterns.record_pattern(
        db, patient, PatternEntry(*TURN, trick="chin", trick_side="left"), NOW.date(), None, NOW
    )
    program = programs.create_program(db, patient, programs.ProgramDetails("Neck", NOW.date()), None, NOW)
    program_items.add_item(db, program, get_exercise(db, clinic.id, "sensory-trick-chin-touch"), None, NOW)
    db.commit()
    client = catalog_app.test_client()
    login(client, "pt@trick.org")
    html = client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert "Side from the recorded sensory trick: left. Change it on the patient's pattern page." in html


@pytest.mark.parametrize(("side", "drawn", "hand_at"), [("", "touch forehead", "forehead"), ("left", "", "temple_r")])
def test_the_phone_page_builder_and_handout_draw_the_temple_trick_where_its_sentence_says(
    catalog_app, catalog_db, side, drawn, hand_at
):
    """Session 13: a forehead-or-temple trick recorded in the middle read "Use the middle of your
    forehead" beside a fingertip at the temple. The phone page, the builder and the handout draw
    the picture from the same recorded side the sentence is read from: the fingertip on the
    forehead (the exercise's `trick_touch`), while a side still shows that temple."""
    from planner.handouts.content import handout_content
    from planner.services import program_items, programs
    from planner.services.catalog import get_exercise
    from planner.web.catalog.movement import exercise_stills
    from tests.conftest import login
    from tests.factories import give, make_user

    db = catalog_db
    clinic = make_clinic(db, "Trick Clinic")
    make_user(db, clinic, email="pt@trick.org")
    patient = make_patient(db, clinic, "José Ñúñez García")
    entry = PatternEntry(*TURN, areas=["eyes_face"], trick="forehead_temple", trick_side=side)
    recorded_patterns.record_pattern(db, patient, entry, NOW.date(), None, NOW)
    program = programs.create_program(db, patient, programs.ProgramDetails("Eyes", NOW.date()), None, NOW)
    exercise = get_exercise(db, clinic.id, "sensory-trick-temple-touch")
    program_items.add_item(db, program, exercise, None, NOW)
    give(db, program, NOW)
    _, token = patient_links.create_link(db, patient, catalog_app.secret_key, NOW)
    db.commit()
    mirror = "left" if side == "left" else "right"
    with catalog_app.test_request_context():
        on_phone, in_builder = (exercise_stills(exercise, mirror, w, "en", drawn) for w in (340, 240))
        as_drawn = exercise_stills(exercise, "right", 340, "en", "")
    phone = catalog_app.test_client().get(f"/p/{token}").get_data(as_text=True)
    assert on_phone is not None and str(on_phone) in phone
    assert (str(as_drawn) in phone) is (not drawn and mirror == "right")
    client = catalog_app.test_client()
    login(client, "pt@trick.org")
    assert str(in_builder) in client.get(f"/programs/{program.id}").get_data(as_text=True)
    (block,) = [b for b in handout_content(db, program, NOW).exercises if b.slug == exercise.slug]
    assert (block.picture["end"]["touch"], block.side) == (hand_at, mirror)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({}, None),
        ({"trick_touch": {"middle": "cheek_r"}}, None),
        ({"trick_touch": {"middle": "elbow"}}, ("pattern.trick_touch.middle", "the face view cannot touch 'elbow'")),
        ({"trick_touch": {"top": "forehead"}}, ("pattern.trick_touch.top", "not a side of this trick's place")),
        ({"trick_touch": "forehead"}, ("pattern.trick_touch", "must be a table from a side to a touch")),
        ({"trick": None, "trick_touch": {"middle": "forehead"}}, ("pattern.trick_touch", "only with `trick`")),
        ({"end": {"touch": "none"}}, ("pattern.trick_touch", "the picture has no hand touching")),
    ],
)
def test_catalog_check_takes_a_trick_touch_only_for_a_side_of_its_place_that_the_picture_can_draw(data, problem):
    """`[pattern] trick_touch` moves the hand for one recorded side of the trick: the side must be
    one the pattern form allows for that place, the touch one the picture's view draws, and the
    picture must have a hand touching to move."""
    from planner.catalog.schema import validate_exercise

    temple = tomllib.loads((ROOT / "exercises/sensory-trick-temple-touch.toml").read_text(encoding="utf-8"))
    pattern = {**temple["pattern"], **{k: v for k, v in data.items() if k.startswith("trick")}}
    pattern = {k: v for k, v in pattern.items() if v is not None}
    if "end" in data:
        temple["picture"] = {**temple["picture"], "end": {**temple["picture"]["end"], **data["end"]}}
    found = [
        (f, m)
        for f, m in validate_exercise({**temple, "pattern": pattern}, file_stem="sensory-trick-temple-touch")
        if "trick" in f
    ]
    assert [(f, m[: len(problem[1])]) for f, m in found] == ([problem] if problem else [])
