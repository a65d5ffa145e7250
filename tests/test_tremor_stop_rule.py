"""A recorded head tremor: the patient reads, once, to stop any exercise that makes the shaking worse.

Trial 11, fault 8: the builder told the therapist to say it, but neither the handout nor the phone
page did. Now the handout's front page says it (marked as the cautions are), once, and the
phone page beside its own safety rule, in the patient's language; a pattern without a tremor adds
nothing (services/patterns.stop_rules, which both read).
"""

from __future__ import annotations

import re
import tomllib
from datetime import timedelta

import pytest

from planner.config import ROOT
from planner.dystonia.pattern import PatternEntry
from planner.services import patient_links, program_items, programs, recorded_patterns
from planner.services.catalog import get_exercise
from tests.conftest import login
from tests.factories import give, make_clinic, make_patient, make_user
from tests.handout_world import pages_text

STOP = {
    "en": "Stop any exercise that makes the shaking worse.",
    "es": "Pare cualquier ejercicio que le aumente el temblor.",
}
SAFETY = {
    "en": "Stop and call us if your pain or symptoms get worse.",
    "es": "Pare y llámenos si el dolor o los síntomas empeoran.",
}
ROTATION = {"sides": {"rotation": "right"}, "severities": {"rotation": 2}}
# Trial 12 F6: "Pare si el tirón o el temblor aumentan" read to a patient with no tremor as if she
# had one. A caution may say to stop when shaking starts or grows, never that it is already there.
PRESUMED = {
    "en": re.compile(r"\b(pull|spasm) or (the )?shaking\b|\bshaking (in your \w+ )?(gets|get) (stronger|worse)", re.I),
    "es": re.compile(r"\btirón o (el )?temblor\b|\bel temblor( del \w+)? (aumenta|empeora)", re.I),
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_handout_and_the_phone_page_say_to_stop_what_makes_a_recorded_tremor_worse(
    catalog_app, catalog_db, now, language
):
    db = catalog_db
    clinic = make_clinic(db, "Tremor Clinic", timezone="UTC")
    make_user(db, clinic, email="pt@tremor.org")
    client = catalog_app.test_client()
    login(client, "pt@tremor.org")
    read = {}
    for tremor in ("no_no", ""):
        patient = make_patient(db, clinic, f"Νίκος {tremor or 'none'}", language=language)
        entry = PatternEntry(**ROTATION, tremor=tremor, tremor_severity=1 if tremor else 0)
        recorded_patterns.record_pattern(db, patient, entry, now.date() - timedelta(days=1), None, now)
        program = programs.create_program(db, patient, programs.ProgramDetails("Neck", now.date()), None, now)
        for slug in ("neck-turn-lying-hold", "head-rest-high-chair"):
            program_items.add_item(db, program, get_exercise(db, clinic.id, slug), None, now)
        give(db, program, now)
        _, token = patient_links.create_link(db, patient, catalog_app.secret_key, now)
        db.commit()
        printed = pages_text(client.post(f"/programs/{program.id}/handout.pdf").data)
        phone = " ".join(catalog_app.test_client().get(f"/p/{token}").get_data(as_text=True).split())
        given_pdf = pages_text(catalog_app.test_client().get(f"/p/{token}/handout.pdf").data)
        read[tremor] = printed, phone, given_pdf

    printed, phone, given_pdf = read["no_no"]
    for pages in (printed, given_pdf):
        assert " ".join(pages).count(STOP[language]) == 1  # once, on the front page, with the safety rule
        assert STOP[language] in pages[0] and SAFETY[language] in pages[0]
    assert phone.count(STOP[language]) == 1 and 'class="safety"' in phone.split(STOP[language])[0][-200:]
    # One safety rule, in the same words on the paper and the phone (it had its own on the phone).
    for said in (phone, read[""][1]):
        top = said.split('class="safety" role="note">')[1].split("</p>")[0]
        assert top.startswith(SAFETY[language]) and said.count(SAFETY[language]) == 1
    for said in (" ".join(read[""][0]), read[""][1], " ".join(read[""][2])):  # no tremor recorded
        assert STOP[language] not in said
        assert not PRESUMED[language].search(" ".join(said.split()))  # nor a caution that presumes one


@pytest.mark.parametrize(("language", "folder"), [("en", "exercises"), ("es", "exercises/translations/es")])
def test_no_catalog_caution_speaks_of_a_tremor_as_if_the_patient_had_one(language, folder):
    """Every exercise's cautions, in each language: shaking is named as something that may start."""
    presumed = {
        path.stem: caution
        for path in sorted((ROOT / folder).glob("*.toml"))
        for caution in tomllib.loads(path.read_text(encoding="utf-8")).get("cautions", [])
        if PRESUMED[language].search(caution)
    }
    assert presumed == {}
