"""Both sides asked for, one side drawn: the words say the picture shows one side.

Trial 21 (F2): a cervical pattern with "Shoulder elevation: on both sides" printed "Work on both
shoulders." beside one shoulder pressed down, and nothing said the other side is not shown, as the
both-cheeks trick says: a patient who copies the picture works one shoulder. Every exercise set for
both sides whose words ask for both while its picture draws one now says so, once, right after
those words (sentences.ONE_SIDE_DRAWN): on the handout at 14 and 18 pt, the preview, the phone page
and its PDF.
"""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, datetime
from io import BytesIO

import pytest
from pypdf import PdfReader

from planner.catalog.figure.spec import both_hands
from planner.config import ROOT
from planner.dosage import in_words
from planner.dystonia.direction import resolve
from planner.dystonia.movement import spec_of
from planner.dystonia.pattern import PatternEntry, checked
from planner.dystonia.sentences import DIRECTION_SENTENCES
from planner.i18n import translator
from planner.services import patient_links, program_items, programs, recorded_patterns
from planner.services.catalog import get_exercise
from planner.services.patterns import prescription_words
from tests.factories import give, make_clinic, make_patient

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
ONE_SIDE = {"en": "The picture shows one side.", "es": "El dibujo muestra un solo lado."}
DOSAGE = {"repetitions": 5, "times_per_day": 1, "days_per_week": 7}


def _catalog() -> list[tuple[str, dict]]:
    """Every catalog exercise whose words for both sides ask for both at once, drawn for one side:
    a shoulder exercise (both shoulders), a place of the sensory trick tried on each side. A
    one-sided limb set for both says "in turn" instead, one limb at a time as drawn
    (tests/test_limb_wording.py); a symmetric exercise works both sides the same way."""
    found = []
    for path in sorted((ROOT / "exercises").glob("*.toml")):
        table = tomllib.loads(path.read_text(encoding="utf-8"))
        spec = spec_of(table.get("pattern"), both_hands(table.get("picture")))
        if "both" in spec.sides and (spec.sided or spec.wording == "cheek"):
            found.append((table["id"], table))
    return found


CATALOG = _catalog()


def test_the_catalog_has_shoulder_exercises_and_the_cheek_touch_for_both_sides():
    assert {i for i, _ in CATALOG} == {
        "shoulders-level-mirror",
        "shoulder-push-down-one-side",
        "shoulder-low-sip-cup",
        "neck-shoulder-blade-stretch",
        "sensory-trick-cheek-touch",
    }


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(("slug", "table"), CATALOG, ids=[i for i, _ in CATALOG])
def test_each_exercise_set_for_both_sides_says_once_that_its_picture_shows_one(slug, table, language):
    spec = spec_of(table.get("pattern"), both_hands(table.get("picture")))
    for pattern in (None, checked(PatternEntry({"shoulder": "both"}, {"shoulder": 2}))):
        direction = resolve(spec, "both", pattern)
        assert direction.side == "both"
        words = prescription_words(direction, DOSAGE, language)
        assert words.count(ONE_SIDE[language]) == 1, words
        # right after what names both sides, before the dosage
        before, after = words.split(ONE_SIDE[language])
        assert after.strip() == in_words(DOSAGE, None, language)
        assert before.strip() and not any(str(n) in before for n in range(10))


def test_one_side_set_says_nothing_of_the_picture():
    """The right shoulder alone is what the picture shows: no line."""
    table = dict(CATALOG)["shoulders-level-mirror"]
    for side in ("right", "left"):
        words = prescription_words(resolve(spec_of(table["pattern"]), side, None), DOSAGE, "en")
        assert ONE_SIDE["en"] not in words and "shoulder" in words


def _text(pdf: bytes) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(BytesIO(pdf)).pages)


def _page(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


# The trial's pattern: shoulders lifted on both sides, as the cervical exercises for shoulders take it.
SHOULDERS = ["shoulders-level-mirror", "shoulder-push-down-one-side", "neck-shoulder-blade-stretch"]
BOTH_WORDS = [
    DIRECTION_SENTENCES["shoulder_down"][("both", "away")],  # "Work on both shoulders. Keep them down…"
    DIRECTION_SENTENCES["stretch_shoulder"][("both", "away")],  # "…one hand, then the other…"
]


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_handout_preview_and_phone_page_say_the_shoulder_picture_shows_one_side(catalog_app, catalog_db, language):
    from planner.handouts.build import build_given_handout, build_handout, build_preview
    from planner.handouts.styles import HandoutOptions
    from planner.services import given

    db = catalog_db
    clinic = make_clinic(db, "Sides Clinic")
    out = {}
    options = HandoutOptions(languages=("en", "es"))
    for large_print in (False, True):
        patient = make_patient(db, clinic, "Lucía Gómez", language=language, large_print=large_print)
        entry = PatternEntry({"shoulder": "both"}, {"shoulder": 2})
        recorded_patterns.record_pattern(db, patient, entry, NOW.date(), None, NOW)
        program = programs.create_program(db, patient, programs.ProgramDetails("Cuello", NOW.date()), None, NOW)
        for slug in SHOULDERS:
            program_items.add_item(db, program, get_exercise(db, clinic.id, slug), None, NOW)
        db.commit()
        size = "18" if large_print else "14"
        out[f"preview {size}"] = _text(build_preview(db, program, NOW, options=options))
        out[f"handout {size}"] = _text(
            build_handout(db, program, NOW, online_url="https://x.test/p/t", options=options)
        )
        give(db, program, NOW)
        out[f"given {size}"] = _text(build_given_handout(db, given.given_version(db, program), NOW, options=options))
        _, token = patient_links.create_link(db, patient, catalog_app.secret_key, NOW)
        db.commit()
        phone = catalog_app.test_client()
        out[f"phone page {size}"] = _page(phone.get(f"/p/{token}").get_data(as_text=True))
        answer = phone.get(f"/p/{token}/handout.pdf")
        assert answer.mimetype == "application/pdf", answer.get_data(as_text=True)[:3000]
        out[f"phone PDF {size}"] = _text(answer.data)
    said = ONE_SIDE[language]
    for where, text in out.items():
        # One line for each of the three exercises, each right after its words for both shoulders.
        assert text.count(said) == len(SHOULDERS), where
        for words in BOTH_WORDS:
            words = translator(language).gettext(words)
            assert f"{words} {said}" in text, (where, words)
