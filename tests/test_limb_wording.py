"""A one-sided exercise names the body part the catalog gives it ("Do this with your left hand."),
in the patient's language, one whole sentence per part and side; and a hand exercise set for the
hand the pattern does not record is noted in the builder."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from datetime import UTC, date, datetime
from html import unescape

import pytest

from planner.catalog.loader import check_directory
from planner.dystonia.direction import OTHER_HAND
from planner.dystonia.movement import PARTS, spec_of
from planner.dystonia.pattern import PatternEntry
from planner.dystonia.sentences import LIMB_SENTENCES
from planner.services import issuing, patient_links, patterns, program_items, programs, recorded_patterns
from planner.services.catalog import get_exercise
from tests import exercise_files as ef
from tests.conftest import CATALOG, login
from tests.factories import make_clinic, make_patient, make_user, shipped_template

NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)

# exercise (its part), side, language, what the patient reads first
CASES = [
    ("wrist-bends-and-circles", "left", "en", "Do this with your left hand."),
    ("wrist-bends-and-circles", "right", "es", "Hágalo con la mano derecha."),
    ("shoulder-tense-and-release", "both", "en", "Use both shoulders."),
    ("shoulder-tense-and-release", "both", "es", "Use los dos hombros."),
    ("hand-shake-out", "both", "en", "Use both hands."),
    (
        "mirror-hand-open-close",
        "left",
        "es",
        "Mueva la mano izquierda, la que no tiene calambres. Mírela en el espejo.",
    ),
    ("elbow-bend", "right", "en", "Do this with your right arm."),
    ("elbow-bend", "both", "es", "Hágalo con cada brazo por turno."),
    ("seated-knee-straightening", "left", "es", "Hágalo con la pierna izquierda."),
    ("heel-slides", "both", "en", "Do this with each leg in turn."),
    ("shoulder-rolls", "both", "en", "Use both shoulders."),
    # A symmetric exercise naming no part takes no side, and one naming its part no left or right:
    # tests/test_sides_agree.py.
]


@pytest.fixture
def clinic(catalog_db):
    return make_clinic(catalog_db, "Limb Clinic")


def program_with(db, clinic, slug, side, pattern=None, language="en"):
    patient = make_patient(db, clinic, "Ζωή Παπαδοπούλου", language=language)
    if pattern is not None:
        recorded_patterns.record_pattern(db, patient, pattern, date(2026, 11, 1), None, NOW)
    program = programs.create_program(db, patient, programs.ProgramDetails("Hands", date(2026, 11, 1)), None, NOW)
    item = program_items.add_item(db, program, get_exercise(db, clinic.id, slug), None, NOW)
    program_items.update_item(db, program, item.id, dict(item.dosage), side, "", None, NOW)
    db.commit()
    return program


@pytest.mark.parametrize("slug, side, language, said", CASES)
def test_the_side_sentence_names_the_body_part(catalog_db, clinic, slug, side, language, said):
    from planner.handouts.content import handout_content

    program = program_with(catalog_db, clinic, slug, side)
    assert patterns.prescribed(program, language)[program.items[0].id].words.startswith(said)
    block = handout_content(catalog_db, program, NOW, language=language).exercises[0]
    assert block.dosage.startswith(said)
    assert (block.side == "left") is (side == "left")  # the picture is mirrored for the left only


def test_every_limb_exercise_names_its_part():
    """A one-sided exercise says what to use: a hand, arm, leg or shoulder (or, for the trick, a cheek)."""
    missing = []
    for path in sorted(CATALOG.glob("*.toml")):
        spec = spec_of(tomllib.loads(path.read_text(encoding="utf-8"))["pattern"])
        if spec.relation == "limb" and spec.wording not in LIMB_SENTENCES:
            missing.append(path.stem)
    assert missing == []
    assert set(PARTS) <= set(LIMB_SENTENCES)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ({"relation": "limb", "part": "finger"}, "bad.toml: pattern.part: unknown value 'finger'"),
        ({"relation": "limb", "part": "hand", "wording": "cheek"}, "bad.toml: pattern.part: give the part or"),
        (
            {"relation": "away", "movement": "flexion", "part": "arm"},
            "bad.toml: pattern.part: only for a limb or symmetric exercise",
        ),
    ],
)
def test_catalog_check_names_a_wrong_part(tmp_path, pattern, expected):
    ef.write(tmp_path, "bad", pattern=pattern)
    ef.write(tmp_path, "good", pattern={"relation": "symmetric", "part": "shoulder"})
    found = [str(p) for p in check_directory(tmp_path)]
    assert any(p.startswith(expected) for p in found), found
    assert not any(p.startswith("good.toml") for p in found)


RIGHT_HAND = PatternEntry(areas=["hand_arm_right"])
NOTE = "The recorded pattern has the right hand and arm (writer's cramp); this is set for the left hand."


@pytest.mark.parametrize(
    ("slug", "side", "pattern", "notes"),
    [
        ("wrist-bends-and-circles", "left", RIGHT_HAND, [NOTE]),
        ("wrist-bends-and-circles", "right", RIGHT_HAND, []),
        ("wrist-bends-and-circles", "both", RIGHT_HAND, []),
        ("wrist-bends-and-circles", "left", PatternEntry(areas=["hand_arm_right", "hand_arm_left"]), []),
        ("elbow-bend", "left", RIGHT_HAND, [NOTE.replace("left hand.", "left arm.")]),
        ("straight-leg-raise", "left", RIGHT_HAND, []),  # a leg: not about the hand
        ("mirror-finger-taps", "left", RIGHT_HAND, []),  # mirror work: the easy hand moves
        (
            "mirror-finger-taps",
            "right",
            RIGHT_HAND,
            [
                "The recorded pattern has the right hand and arm (writer's cramp); mirror work moves the easy "
                "hand, and this is set for the right hand."
            ],
        ),
    ],
)
def test_a_hand_exercise_set_for_the_other_hand_is_noted(catalog_db, clinic, slug, side, pattern, notes):
    direction = patterns.program_directions(program_with(catalog_db, clinic, slug, side, pattern))[0]
    assert [w.message for w in direction.warnings if w.kind == OTHER_HAND] == notes


def test_the_builder_shows_the_other_hand_note_at_the_exercise(catalog_app, catalog_db, clinic):
    make_user(catalog_db, clinic, email="hand@clinic.org")
    program = program_with(catalog_db, clinic, "wrist-bends-and-circles", "left", RIGHT_HAND)
    client = catalog_app.test_client()
    login(client, "hand@clinic.org")
    html = client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert NOTE.replace("'", "&#39;") in html
    assert "Do this with your left hand." in html


# ---- the side from a recorded one-sided focal dystonia (writer's cramp) ------------------------

BOTH_HANDS = PatternEntry(areas=["hand_arm_right", "hand_arm_left"])

# recorded areas, exercise, side the therapist set ("" none), then: side, what the patient reads
# first, who chose ("pattern", "therapist" or "")
FROM_PATTERN = [
    (RIGHT_HAND, "wrist-bends-and-circles", "", "right", "Do this with your right hand.", "pattern"),
    (PatternEntry(areas=["hand_arm_left"]), "tendon-glides", "", "left", "Do this with your left hand.", "pattern"),
    (BOTH_HANDS, "wrist-bends-and-circles", "", "both", "Do this with each hand in turn.", "pattern"),
    (RIGHT_HAND, "elbow-bend", "", "right", "Do this with your right arm.", "pattern"),
    (RIGHT_HAND, "wrist-bends-and-circles", "left", "left", "Do this with your left hand.", "therapist"),
    # Lifting strengthens what may be the pulling muscles: the catalog does not pick the leg, the
    # therapist does (limbs.LIMB_ASKS; the builder says why).
    (PatternEntry(areas=["leg_left"]), "straight-leg-raise", "", "", "", ""),
    (
        PatternEntry(areas=["leg_left"]),
        "straight-leg-raise",
        "left",
        "left",
        "Lift your left leg. Keep your right knee bent.",
        "therapist",
    ),
    # (A one-leg stand trains the leg it stands on: test_limb_side_meaning.SIDE_TABLE.)
    (PatternEntry(areas=["legs"]), "straight-leg-raise", "", "", "", ""),  # legs, side not recorded
    (RIGHT_HAND, "straight-leg-raise", "", "", "", ""),  # a leg: the hand's side is not its own
    (RIGHT_HAND, "hand-shake-out", "", "", "", ""),  # symmetric: the same for any side
    # Writing tasks are done with the pen hand: the trial found "Big slow loops" and "Steady
    # shoulders while writing" named no hand for a right-handed writer's cramp.
    (RIGHT_HAND, "big-loops-and-lines", "", "right", "Do this with your right hand.", "pattern"),
    (RIGHT_HAND, "writing-stable-shoulders", "", "right", "Do this with your right hand.", "pattern"),
    (
        PatternEntry(areas=["hand_arm_left"]),
        "writing-with-thick-pen",
        "",
        "left",
        "Do this with your left hand.",
        "pattern",
    ),
    (BOTH_HANDS, "tracing-patterns-slowly", "", "both", "Do this with each hand in turn.", "pattern"),
    # Mirror work moves the easy hand, the cramped one hidden behind the mirror: the trial read
    # "Do this with your right hand." for a right-hand cramp above steps that move the left.
    (
        RIGHT_HAND,
        "mirror-finger-taps",
        "",
        "left",
        "Move your left hand, the easy one. Watch it in the mirror.",
        "pattern",
    ),
    (
        PatternEntry(areas=["hand_arm_left"]),
        "mirror-writing-shapes",
        "",
        "right",
        "Move your right hand, the easy one. Watch it in the mirror.",
        "pattern",
    ),
    (BOTH_HANDS, "mirror-hand-open-close", "", "", "", ""),  # no easy hand: the therapist decides
    (None, "wrist-bends-and-circles", "", "", "", ""),
]


@pytest.mark.parametrize(("pattern", "slug", "chosen", "side", "said", "source"), FROM_PATTERN)
def test_a_limb_exercise_takes_its_side_from_the_recorded_focal_dystonia(
    catalog_db, clinic, pattern, slug, chosen, side, said, source
):
    """The trial: writer's cramp of the right hand, and every hand exercise read "No side"."""
    program = program_with(catalog_db, clinic, slug, chosen, pattern)
    item = program.items[0]
    shown = patterns.prescribed(program)[item.id]
    assert item.side == chosen  # the pattern's side is never stored: a re-evaluation moves it
    assert (shown.direction.side, shown.direction.source) == (side, source)
    assert shown.words.startswith(said)
    assert shown.direction.mirrored is (side == "left")


@pytest.mark.parametrize(
    ("language", "said"), [("en", "Do this with your right hand."), ("es", "Hágalo con la mano derecha.")]
)
def test_the_writers_cramp_template_sets_the_recorded_hand_and_the_handout_names_it(
    catalog_app, catalog_db, clinic, language, said
):

    from planner.handouts.content import handout_content
    from planner.services.program_templates import start_from_template

    patient = make_patient(catalog_db, clinic, "Ζωή Παπαδοπούλου", language=language)
    recorded_patterns.record_pattern(catalog_db, patient, RIGHT_HAND, date(2026, 11, 1), None, NOW)
    template = shipped_template(catalog_db, "writers-cramp")
    report = start_from_template(catalog_db, template, patient, None, date(2026, 11, 23), NOW)
    catalog_db.commit()
    hand_items = [i for i in report.program.items if patterns.exercise_spec(i.exercise).relation == "limb"]
    # Every exercise of the hand or pen: the writing tasks too ("Big slow loops", "Steady shoulders").
    assert {i.exercise.slug for i in report.program.items} - {i.exercise.slug for i in hand_items} == {"hand-shake-out"}
    assert {name for name, _ in report.directed} == {i.exercise.name for i in hand_items}
    blocks = {b.slug: b for b in handout_content(catalog_db, report.program, NOW, language=language).exercises}
    for item in hand_items:
        assert blocks[item.exercise.slug].dosage.startswith(said), item.exercise.slug


WRITING = sorted(
    p.stem
    for p in CATALOG.glob("*.toml")
    if "writers_cramp" in (e := tomllib.loads(p.read_text(encoding="utf-8")))["conditions"]
    and ("pen_paper" in e["equipment"] or any(re.search(r"\bpen\b", step, re.I) for step in e["steps"]))
)


@pytest.mark.parametrize("slug", WRITING)
def test_every_writing_task_names_the_pen_hand(slug):
    """A pen is held in one hand: every writing or pen exercise is a hand exercise, so a recorded
    one-sided writer's cramp sets its side and the patient reads which hand."""
    assert {"big-loops-and-lines", "writing-stable-shoulders", "relaxed-pen-grip-check"} <= set(WRITING)
    spec = spec_of(tomllib.loads((CATALOG / f"{slug}.toml").read_text(encoding="utf-8"))["pattern"])
    assert spec.relation == "limb" and spec.wording in ("hand", "easy_hand")  # the pen hand, or mirror work


MIRROR_WORK = sorted(
    p.stem
    for p in CATALOG.glob("*.toml")
    if any("behind the mirror" in step for step in tomllib.loads(p.read_text(encoding="utf-8"))["steps"])
)


@pytest.mark.parametrize("slug", MIRROR_WORK)
def test_mirror_work_names_the_hand_that_moves(slug):
    """Steps that hide the cramped hand behind the mirror move the other one: the side sentence
    and the picture are the moving hand's ("easy_hand"), so sentence, picture and steps agree."""
    assert {"mirror-finger-taps", "mirror-hand-open-close", "mirror-writing-shapes"} <= set(MIRROR_WORK)
    spec = spec_of(tomllib.loads((CATALOG / f"{slug}.toml").read_text(encoding="utf-8"))["pattern"])
    assert (spec.relation, spec.wording) == ("limb", "easy_hand")


@pytest.mark.parametrize("slug", MIRROR_WORK)
def test_mirror_work_stands_the_mirror_on_the_thumb_side_of_the_moving_hand(slug):
    """Session 11: "Draw shapes in a mirror" drew a right hand seen from above (its thumb on the
    left) with the mirror on its right, outside the hand, so the picture for "Move your right hand"
    read as the left hand moving. The mirror stands at the body's midline (mirror therapy: the glass
    faces the moving hand, the other hides behind it), which is the moving hand's thumb side both
    ways a hand is drawn: the palm facing the reader, and the back of a hand flat on the table.
    Read from the drawing: the glass and the real (not reflected) hand, in both panels."""
    from planner.catalog.figure import hand
    from planner.catalog.figure.spec import normalize

    pic = normalize(tomllib.loads((CATALOG / f"{slug}.toml").read_text(encoding="utf-8"))["picture"])
    assert pic.view == "hand" and "mirror" in pic.props
    drawing = hand.build(pic)
    v0, v1 = hand.values(pic.start), hand.values(pic.end)
    from_side = hand._side_needed(v0, v1)
    for v, shapes in ((v0, drawing.start), (v1, drawing.end)):
        # where the thumb is on this hand, read from it opened (a fist tucks the thumb across)
        opened = dataclasses.replace(v, shape="open", held="")
        tips = hand._draw_parts(opened, from_side or v.forearm_turn in hand.FROM_THUMB_SIDE, pic.props)[2]
        fingers = [p[0] for k, p in tips.items() if k in hand.FINGERS]
        thumb = "right" if tips["thumb"][0] > sum(fingers) / len(fingers) else "left"
        (glass,) = [s for s in shapes if s.kind == "rect" and s.fill == hand.GLASS]
        skin = [p[0] for s in shapes if s.fill == hand.SKIN for p in s.points]  # the real hand, not its reflection
        glass_x, hand_x = sum(p[0] for p in glass.points) / 2, sum(skin) / len(skin)
        assert ("right" if glass_x > hand_x else "left") == thumb, (slug, v.forearm_turn)


def test_the_builder_says_the_side_comes_from_the_pattern_and_offers_another(catalog_app, catalog_db, clinic):
    make_user(catalog_db, clinic, email="side@clinic.org")
    program = program_with(catalog_db, clinic, "wrist-bends-and-circles", "", RIGHT_HAND)
    client = catalog_app.test_client()
    login(client, "side@clinic.org")
    html = client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert (
        "Side (the hand that works) from the recorded pattern: right, the side with dystonia. "
        "Choose another side below to change it."
    ) in html
    assert '<option selected value="">Pattern: Right side</option>' in html


CHEEK_LEFT = PatternEntry({"rotation": "right"}, {"rotation": 2}, trick="cheek", trick_side="left")
LEFT_HAND = PatternEntry(areas=["hand_arm_left"])


@pytest.mark.parametrize(
    ("slug", "pattern", "side", "said"),
    [
        # trial 9: Deirdre's cheek touch and Fiona's mirror work both read "Side from the recorded
        # pattern", though one comes from the trick and the other is the hand the pattern does not name
        (
            "sensory-trick-cheek-touch",
            CHEEK_LEFT,
            "",
            "Cheek from the recorded sensory trick: left. Choose another side below to change it.",
        ),
        (
            "sensory-trick-cheek-touch",
            CHEEK_LEFT,
            "right",
            "Cheek set by you: right. The recorded sensory trick is on the left cheek.",
        ),
        (
            "mirror-hand-open-close",
            LEFT_HAND,
            "",
            "The easy hand: the pattern records the left hand, so the right hand moves. "
            "Choose another side below to change it.",
        ),
        (
            "mirror-hand-open-close",
            LEFT_HAND,
            "right",
            "Hand set by you: right, the easy one, as the pattern records the left hand now.",
        ),
        # nothing recorded to take the side from: the builder asks, and names no side
        (
            "mirror-hand-open-close",
            PatternEntry(areas=["hand_arm_left", "hand_arm_right"]),
            "",
            "Mirror work moves the easy hand, and the recorded pattern has both hands: choose the hand that moves.",
        ),
        (
            "mirror-hand-open-close",
            PatternEntry({"rotation": "right"}, {"rotation": 2}),
            "",
            "Mirror work moves the easy hand, and the recorded pattern has no hand dystonia: "
            "choose the hand that moves.",
        ),
        (
            "sensory-trick-cheek-touch",
            PatternEntry({"rotation": "right"}, {"rotation": 2}),
            "",
            "No sensory trick is recorded in the pattern: record its cheek there, or choose here.",
        ),
    ],
    ids=["trick", "trick, other cheek set", "easy hand", "easy hand set", "both hands", "no hand", "no trick"],
)
def test_the_builder_says_where_a_limb_side_comes_from(catalog_app, catalog_db, clinic, slug, pattern, side, said):
    make_user(catalog_db, clinic, email="where@clinic.org")
    program = program_with(catalog_db, clinic, slug, side, pattern)
    client = catalog_app.test_client()
    login(client, "where@clinic.org")
    html = client.get(f"/programs/{program.id}").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert said in text
    assert "Side from the recorded pattern" not in text and "Pattern: " not in text
    # The side field's choice that follows the pattern, and its hint, say the same.
    follows = {
        "Cheek from": ("Sensory trick: Left side", "The recorded sensory trick gives “left”."),
        "The easy hand": ("Easy hand: Right side", "The pattern records the left hand, so the easy hand is “right”."),
    }
    for start, shown in follows.items():
        if said.startswith(start):
            assert f'<option selected value="">{shown[0]}</option>' in html
            assert shown[1] in unescape(html)


# ---- one sentence, every output -------------------------------------------------------------

# A limb exercise of each part (and one with no part), as the patient reads its side.
PART_EXERCISES = {
    "hand": "wrist-bends-and-circles",
    "arm": "elbow-bend",
    "leg": "seated-knee-straightening",
    "shoulder": "shoulder-rolls",
    "": "chin-tuck-sitting",
}
SIDE_WORDS = {
    ("hand", "left"): "Do this with your left hand.",
    ("hand", "right"): "Do this with your right hand.",
    ("hand", "both"): "Do this with each hand in turn.",
    ("arm", "left"): "Do this with your left arm.",
    ("arm", "right"): "Do this with your right arm.",
    ("arm", "both"): "Do this with each arm in turn.",
    ("leg", "left"): "Do this with your left leg.",
    ("leg", "right"): "Do this with your right leg.",
    ("leg", "both"): "Do this with each leg in turn.",
    ("shoulder", "both"): "Use both shoulders.",
    ("", "left"): "Do this with your left side.",
    ("", "right"): "Do this with your right side.",
    # A symmetric exercise naming no part prints no side: its steps work both (the dosage first).
    ("", "both"): "",
}
LIMB_PARTS = ("hand", "arm", "leg")


@pytest.mark.parametrize("side", ["left", "right", "both"])
def test_every_output_says_the_side_with_the_same_sentence(catalog_app, catalog_db, clinic, side):
    """The handout, the phone page, the builder, the version page, the API, the FHIR export and
    the reminder email all say a limb's side with one sentence (patterns.prescription_words), the
    part named: never "both sides" on one and "Use both shoulders." on another."""
    from datetime import time, timedelta

    from planner.handouts import build_handout
    from planner.handouts.content import handout_content
    from planner.services import api_tokens, exercise_reminders, fhir
    from tests.handout_world import pages_text
    from tests.test_exercise_reminders import SECRET, _utc, run

    db = catalog_db
    user = make_user(db, clinic)
    patient = make_patient(db, clinic, "Ζωή Παπαδοπούλου", email="zoe@example.org")
    program = programs.create_program(db, patient, programs.ProgramDetails("Limbs", date(2026, 11, 1)), None, NOW)
    for part, slug in PART_EXERCISES.items():
        # the symmetric ones (shoulder rolls, the chin tuck) take both sides or none, never left or right
        taken = side if part in LIMB_PARTS else "both"
        program_items.add_item(db, program, get_exercise(db, clinic.id, slug), None, NOW, side=taken)
    issuing.issue(db, program, None, "print", NOW)
    _, link = patient_links.create_link(db, patient, SECRET, NOW)
    _, token = api_tokens.create_token(db, user, "Limbs", NOW)
    db.commit()
    client = catalog_app.test_client()
    login(client, user.email)
    expected = [SIDE_WORDS[(part, side if part in LIMB_PARTS else "both")] for part in PART_EXERCISES]

    outputs = {
        "handout": [b.dosage for b in handout_content(db, program, NOW).exercises],
        "handout PDF": " ".join(pages_text(build_handout(db, program, NOW))),
        "phone page": client.get(f"/p/{link}").get_data(as_text=True),
        "builder": client.get(f"/programs/{program.id}").get_data(as_text=True),
        "version page": client.get(f"/programs/{program.id}/versions/1").get_data(as_text=True),
        "API": [
            i["dosage_words"]
            for i in client.get(
                f"/api/v1/programs/{program.id}", headers={"Authorization": f"Bearer {token}"}
            ).get_json()["items"]
        ],
        "FHIR": [
            e["resource"].get("patientInstruction", "")
            for e in fhir.bundle(db, patient, NOW)["entry"]
            if e["resource"]["resourceType"] == "ServiceRequest"
        ],
    }
    exercise_reminders.turn_on(db, patient, time(7, 30), "therapist", NOW, SECRET, user)
    db.commit()
    [email] = run(db, _utc(NOW.date() + timedelta(days=1), 8)).sent
    # The email lists the day's exercises only: each line it has, as the handout says it.
    names = {item.exercise.name: words for item, words in zip(program.items, expected, strict=True)}
    listed = [line[2:].split(": ", 1) for line in email.text.splitlines() if line.startswith("- ")]
    assert listed and all(said.startswith(names[name]) for name, said in listed), listed

    for where, said in outputs.items():
        if isinstance(said, list):
            assert len(said) == len(expected), where
            for words, sentence in zip(said, expected, strict=True):
                assert words.startswith(sentence), (where, words)
        else:
            for sentence in expected:
                assert sentence in said, (where, sentence)
            # "both sides" never: the chin tuck's steps work both sides, and a limb names its part.
            assert "Do this with both sides." not in said, where


# ---- both sides: the words say what the picture draws ------------------------------------------


def _part_exercises(relation: str) -> list[str]:
    from tests.test_catalog_pictures import EXERCISES

    return sorted(
        slug
        for slug, e in EXERCISES.items()
        if e["pattern"].get("relation") == relation and e["pattern"].get("part") in ("hand", "arm", "leg")
    )


@pytest.mark.parametrize("slug", _part_exercises("limb"))
def test_a_one_sided_exercise_set_for_both_reads_each_limb_in_turn_beside_one_limb(slug):
    """A one-sided hand exercise set for both sides (relaxed-pen-grip-check, a writer's cramp of
    both hands) printed "Use both hands." beside a picture of one hand holding a pen: both at once,
    or a hand left out of the picture. Every one-sided exercise of a hand, an arm or a leg set for
    both now reads "Do this with each hand in turn." (each arm, each leg), never "both"; its
    picture draws the one limb (the right, unmirrored), and in a hand view one hand."""
    from planner.catalog.figure import hand
    from planner.catalog.figure.spec import normalize
    from planner.dystonia.direction import resolve
    from tests.test_catalog_picture_hands import _palms
    from tests.test_catalog_pictures import EXERCISES

    assert {"relaxed-pen-grip-check", "finger-spread", "elbow-bend", "heel-slides"} <= set(_part_exercises("limb"))
    e = EXERCISES[slug]
    direction = resolve(spec_of(e["pattern"]), "both", None)
    part = e["pattern"]["part"]
    assert direction.sentence == f"Do this with each {part} in turn.", (slug, direction.sentence)
    assert not direction.mirrored
    pic = normalize(e["picture"])
    if pic.view == "hand":
        drawn = hand.build(pic)
        assert [len(_palms(shapes)) for shapes in (drawn.start, drawn.end)] == [1, 1], slug


def _both_hands_drawn() -> list[str]:
    from tests.test_catalog_pictures import EXERCISES

    return sorted(slug for slug, e in EXERCISES.items() if e["picture"].get("both_hands"))


@pytest.mark.parametrize("slug", _both_hands_drawn())
def test_an_exercise_that_draws_both_hands_works_both_at_once_and_says_so(slug):
    """hand-tense-and-release ("Rest your forearms on your thighs … palms up … Let your hands go
    heavy") drew both hands but was one-sided, so set for both it would read "each hand in turn"
    beside two hands. Every picture of both hands at once is of a symmetric exercise, as
    hand-shake-out is: set for both, it reads "Use both hands."."""
    from planner.dystonia.direction import resolve
    from tests.test_catalog_pictures import EXERCISES

    assert {"hand-tense-and-release", "hand-shake-out"} <= set(_both_hands_drawn())
    e = EXERCISES[slug]
    assert e["pattern"]["relation"] == "symmetric", slug
    assert resolve(spec_of(e["pattern"]), "both", None).sentence == "Use both hands."


@pytest.mark.parametrize("part", ["hand", "arm", "leg"])
def test_a_paper_given_with_use_both_still_agrees(part):
    """A one-sided exercise's sheet given with "Use both hands." reads as it does now ("Do this with
    each hand in turn."): the phone page does not hold it back. A symmetric one's "Use both hands."
    still agrees with itself, and another side's words still differ."""
    from planner.services.paper_differs import differences

    old, now = f"Use both {part}s.", f"Do this with each {part} in turn."
    row = {"side": "both", "direction": old, "mirrored": False, "start_posture": "", "flags": []}
    assert differences(row, {**row, "direction": now}) == []
    assert differences(row, row) == []
    assert differences({**row, "direction": f"Do this with your left {part}."}, {**row, "direction": now}) == ["words"]
