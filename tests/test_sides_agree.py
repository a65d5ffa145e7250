"""What reaches the patient about sides agrees with itself and with the picture, for every exercise
of the catalog and every side the builder offers it, in English and Spanish.

Trial 22 (N1) and the pictures' review: a both-shoulders exercise said "Work on both shoulders."
above a step "with the hand on the side named above" (both hands at once?); a doorway chest
stretch set for both sides read "Do this with both sides." though both forearms work at once (done
twice?); "Do this with your left shoulder." above "Lift both shoulders", or "with your left hand"
above buttoning with one hand and the other; shrug arrows on one shoulder where both move; mirror
work set for both read "Move the easy hand." with no easy hand. The side is worked out once (planner/dystonia:
ExerciseSpec.sides and offered_sides, Direction) and said once (patterns.prescription_words).
"""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, datetime
from io import BytesIO

import pytest
from pypdf import PdfReader

from planner.catalog.figure import build_shapes
from planner.config import ROOT
from planner.dystonia.direction import NEEDS_SIDE, resolve
from planner.dystonia.pattern import PatternEntry, checked
from planner.services import patient_links, program_items, programs, recorded_patterns
from planner.services.catalog import get_exercise
from planner.services.patterns import prescription_words, tables_spec
from planner.web.programs.forms import side_shape
from tests.conftest import login
from tests.factories import give, make_clinic, make_patient, make_user

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
DOSAGE = {"repetitions": 5, "times_per_day": 1, "days_per_week": 7}


def _catalog() -> list[tuple[str, dict, dict]]:
    found = []
    for path in sorted((ROOT / "exercises").glob("*.toml")):
        english = tomllib.loads(path.read_text(encoding="utf-8"))
        spanish = tomllib.loads((ROOT / "exercises/translations/es" / path.name).read_text(encoding="utf-8"))
        found.append((english["id"], english, spanish))
    return found


CATALOG = _catalog()
BY_ID = {slug: (en, es) for slug, en, es in CATALOG}


def _spec(slug: str):
    english = BY_ID[slug][0]
    return tables_spec(english.get("pattern"), english.get("picture"))


def _offered(slug: str) -> list[str]:
    """The sides the builder's side field offers this exercise ("" is none set)."""
    return [choice.value for choice in side_shape(_spec(slug), "").choices]


# Steps that lean on the side named above the steps to say which hand holds.
SIDE_NAMED_ABOVE = re.compile(r"side named above|lado indicado arriba", re.IGNORECASE)
# What the words say where the picture shows one side of two.
ONE_DRAWN = {"en": "The picture shows one side.", "es": "El dibujo muestra un solo lado."}


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(("slug", "english", "spanish"), CATALOG, ids=[c[0] for c in CATALOG])
def test_every_side_the_builder_offers_reads_the_same_in_the_words_the_steps_and_the_picture(
    slug, english, spanish, language
):
    spec = _spec(slug)
    text = english if language == "en" else spanish
    steps = " ".join(text["steps"])
    for side in _offered(slug):
        direction = resolve(spec, side, None)
        words = prescription_words(direction, DOSAGE, language)
        case = (slug, side, language, words)
        # "Both sides" is said only where it names something the steps do not: never beside
        # steps that already work both sides (a doorway stretch read as doing it twice).
        assert "Do this with both sides." not in words and "Hágalo de los dos lados." not in words, case
        if spec.relation == "symmetric":
            # Its steps use both sides, or both hands at once: no left or right to tell them apart.
            assert side in ("", "both"), case
            assert not re.search(r"\b(left|right|izquierd[oa]|derech[oa])\b", words), case
        if spec.wording == "easy_hand":
            # Mirror work moves the easy hand: "both" would name none.
            assert side != "both", case
        if side == "both":
            # A step that takes its hand from "the side named above" names no hand when both are.
            assert not SIDE_NAMED_ABOVE.search(steps), case
        # Both shoulders worked beside a picture of one: said once (a cheek tried on each side says
        # it in its own sentence).
        assert words.count(ONE_DRAWN[language]) <= 1, case
        if direction.one_side_drawn:
            assert ONE_DRAWN[language] in words, case


def test_the_kinds_the_sweep_found_are_each_in_the_catalog():
    """The cases above are not empty: each kind has its exercises (trial 22 and the pictures' review)."""
    assert _offered("chest-stretch-doorway") == [""]
    assert _offered("shoulder-rolls") == ["", "both"]
    assert _offered("buttoning-practice") == ["", "both"]
    assert "both" not in _offered("mirror-hand-open-close")
    assert {"both", "left", "right"} <= set(_offered("shoulder-push-down-one-side"))


def test_both_shoulders_one_at_a_time_say_so_above_a_step_for_the_hand_you_work():
    """Trial 22 N1: «Trabaje los dos hombros» then «con la mano del lado indicado arriba»."""
    for slug in ("shoulder-push-down-one-side", "shoulder-low-sip-cup"):
        english, spanish = BY_ID[slug]
        for language, text in (("en", english), ("es", spanish)):
            words = prescription_words(resolve(_spec(slug), "both", None), DOSAGE, language)
            said = {"en": "Work on both shoulders, one at a time.", "es": "Trabaje los dos hombros, uno cada vez."}
            assert words.startswith(said[language]), words
            assert not [s for s in text["steps"] if SIDE_NAMED_ABOVE.search(s)], (slug, language)
            you_work = {"en": "the side you work", "es": "del lado que trabaja"}[language]
            assert any(you_work in s for s in text["steps"]), (slug, language)


def test_a_side_stored_before_prints_nothing_the_steps_contradict():
    """A doorway stretch saved with "both", shoulder rolls saved with "left" (both offered before):
    the patient reads no side, and the picture is still drawn as before for the left."""
    doorway = resolve(_spec("chest-stretch-doorway"), "both", None)
    assert prescription_words(doorway, DOSAGE, "es").startswith("Repítalo 5 veces.")
    assert doorway.side == "both"  # kept: a paper given with it still agrees (paper_differs)
    rolls = resolve(_spec("shoulder-rolls"), "left", None)
    assert prescription_words(rolls, DOSAGE, "en").startswith("Repeat 5 times.")


def test_mirror_work_takes_one_hand_and_a_both_saved_before_waits_for_it():
    spec = _spec("mirror-hand-open-close")
    both_hands = checked(PatternEntry(areas=["hand_arm_left", "hand_arm_right"]))
    direction = resolve(spec, "both", both_hands)
    assert direction.unset
    assert [w.message for w in direction.warnings if w.kind == NEEDS_SIDE] == [
        "Mirror work moves the easy hand, and the recorded pattern has both hands: choose the hand that moves."
    ]
    assert prescription_words(direction, DOSAGE, "en").startswith("Please wait before you start this exercise.")


def test_both_shoulders_lifting_are_marked_on_both_shoulders():
    """Shoulder rolls, the seated push-down, hanging weights, tense and release: both shoulders
    move, so the end panel has an arrow over each (was one, over the right)."""
    arrow = "#0a58ca"
    for slug in ("shoulder-rolls", "seated-shoulder-push-down", "shoulder-drop-hang-weights"):
        shapes = build_shapes(BY_ID[slug][0]["picture"]).shapes
        lines = [s for s in shapes if s.stroke == arrow and s.kind == "line"]
        assert len(lines) == 2, slug
        xs = sorted(line.points[0][0] for line in lines)
        assert xs[1] - xs[0] > 30, (slug, xs)  # a shoulders' width apart


def _text(pdf: bytes) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(BytesIO(pdf)).pages)


def _page(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_handout_phone_page_and_builder_agree_for_the_sides_that_were_wrong(catalog_app, catalog_db, language):
    from planner.handouts.build import build_handout
    from planner.handouts.styles import HandoutOptions

    db = catalog_db
    clinic = make_clinic(db, "Sides Clinic")
    user = make_user(db, clinic)
    patient = make_patient(db, clinic, "Lucía Gómez", language=language)
    entry = PatternEntry({"shoulder": "both"}, {"shoulder": 2})
    recorded_patterns.record_pattern(db, patient, entry, NOW.date(), None, NOW)
    program = programs.create_program(db, patient, programs.ProgramDetails("Hombros", NOW.date()), None, NOW)
    items = {}
    for slug, side in (
        ("shoulder-push-down-one-side", ""),  # both shoulders, from the pattern
        ("chest-stretch-doorway", "both"),  # saved before the builder stopped offering it
        ("buttoning-practice", "both"),
        ("shoulder-rolls", "both"),
    ):
        items[slug] = program_items.add_item(db, program, get_exercise(db, clinic.id, slug), None, NOW, side=side)
    give(db, program, NOW)
    _, token = patient_links.create_link(db, patient, catalog_app.secret_key, NOW)
    db.commit()
    client = catalog_app.test_client()
    options = HandoutOptions(languages=("en", "es"))
    outputs = {
        "handout": _text(build_handout(db, program, NOW, online_url="https://x.test/p/t", options=options)),
        "phone page": _page(client.get(f"/p/{token}").get_data(as_text=True)),
    }
    said = {
        "es": ["Trabaje los dos hombros, uno cada vez.", "del lado que trabaja", "Use las dos manos. Repítalo"],
        "en": ["Work on both shoulders, one at a time.", "the side you work", "Use both hands. Repeat"],
    }[language]
    for where, text in outputs.items():
        for words in said:
            assert words in text, (where, words)
        for wrong in ("Hágalo de los dos lados", "Do this with both sides", "indicado arriba", "named above"):
            assert wrong not in text, (where, wrong)
    login(client, user.email)
    builder = client.get(f"/programs/{program.id}").get_data(as_text=True)

    def options(slug: str) -> list[str]:
        found = re.search(rf'<select[^>]*name="item{items[slug].id}-side">(.*?)</select>', builder, re.S)
        assert found, slug
        return re.findall(r'value="([^"]*)"', found.group(1))

    assert options("chest-stretch-doorway") == [""]
    assert options("shoulder-rolls") == options("buttoning-practice") == ["", "both"]
