"""A patient's data, exported whole (access and portability under data-protection law).

The JSON holds every column of every row about the patient, found by the foreign keys alone;
the FHIR bundle is valid R4 and says the same care; the handout is the current one; only an
administrator exports, from the patient's page or the command line.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections import Counter
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

import fhir.resources as fhir_resources
import pytest
from fhir.resources.bundle import Bundle
from fhir.resources.medicationadministration import MedicationAdministration
from fhir.resources.questionnaireresponse import QuestionnaireResponse
from fhir.resources.timing import Timing
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from planner.db import make_engine
from planner.dosage import in_words
from planner.dystonia.pattern import PatternEntry
from planner.handouts.styles import HandoutOptions
from planner.migrate import upgrade
from planner.models import AuditEntry
from planner.services import fhir, issuing, patient_export, program_items, programs, recorded_patterns, toxin_cycle
from planner.services.fhir import care_plans
from tests.conftest import csrf_token
from tests.factories import make_patient, make_user
from tests.patient_world import (
    NOW,
    TODAY,
    give_everything,
    make_clinic_world,
    rows_about,
    sign_in,
    tables_about_patients,
)

PUBLIC_URL = "https://exercises.example.org/"
# The keys of the patient's private link stay home (planner/services/patient_export.py says why).
# The keys of secret links: the patient's page, and the stop link of exercise reminder emails.
WITHHELD = {
    ("patient_links", "nonce"),
    ("patient_links", "token_hash"),
    ("exercise_reminders", "nonce"),
    ("exercise_reminders", "token_hash"),
}


@pytest.fixture
def world(service_db):
    clinic = make_clinic_world(service_db)
    eleni = give_everything(service_db, clinic, "Ελένη Παπαδάκη", "eleni@example.org")
    jose = give_everything(service_db, clinic, "José Núñez", "jose@example.org")
    return clinic, eleni, jose


def as_json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return value


def test_the_json_holds_every_column_of_every_row_about_the_patient(service_db, world):
    _, eleni, _ = world
    data = json.loads(json.dumps(patient_export.patient_data(service_db, eleni.patient, NOW)))
    found = rows_about(service_db, eleni.patient.id)
    unseen = tables_about_patients() - set(found)
    assert not unseen, f"give the patient in tests/patient_world.py a row in {sorted(unseen)}"
    for table, rows in found.items():
        assert table in data["tables"], f"{table} is about patients: add it to planner/services/patient_rows.py"
        expected = [{k: None if (table, k) in WITHHELD else as_json(v) for k, v in row.items()} for row in rows]
        exported = data["tables"][table]
        assert sorted(map(json.dumps, exported)) == sorted(map(json.dumps, expected)), table
    assert data["withheld"] == sorted(f"{t}.{c}" for t, c in WITHHELD)
    text = json.dumps(data, ensure_ascii=False)
    assert "Ελένη Παπαδάκη" in text and "eleni@example.org" in text
    assert "José" not in text and "jose@example.org" not in text  # the other patient's rows stay out
    assert found["patient_links"][0]["nonce"] not in text


def test_the_references_name_everyone_a_row_names(service_db, world):
    """Each person an exported row points to is named in its references: a second therapist who
    only recorded the pattern and gave the same version again is not a bare id."""
    clinic, eleni, _ = world
    second = make_user(service_db, clinic.clinic, name="Ώρα Δεύτερη")
    recorded_patterns.record_pattern(
        service_db, eleni.patient, PatternEntry({"tilt": "left"}, {"tilt": 1}), TODAY, second.id, NOW
    )
    issuing.issue(service_db, eleni.program, second.id, "email", NOW)
    service_db.commit()
    data = json.loads(json.dumps(patient_export.patient_data(service_db, eleni.patient, NOW)))
    named = {user["id"]: user["name"] for user in data["references"]["users"]}
    assert named[second.id] == "Ώρα Δεύτερη"
    pointed = {
        row[column]
        for table, column in (("dystonia_patterns", "recorded_by_id"), ("version_givings", "given_by_id"))
        for row in data["tables"][table]
    }
    assert second.id in pointed and pointed - {None} <= named.keys()


# Required bindings of FHIR R4 for the codes we write; fhir.resources checks types, not these.
R4_CODES = {
    ("Bundle", "type"): {"collection"},
    ("CarePlan", "status"): {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"},
    ("CarePlan", "intent"): {"proposal", "plan", "order", "option"},
    ("ServiceRequest", "status"): {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"},
    ("ServiceRequest", "intent"): {"proposal", "plan", "directive", "order", "original-order", "reflex-order"},
    ("Goal", "lifecycleStatus"): {
        "proposed",
        "planned",
        "accepted",
        "active",
        "on-hold",
        "completed",
        "cancelled",
        "entered-in-error",
        "rejected",
    },
    ("Observation", "status"): {"registered", "preliminary", "final", "amended"},
    ("Encounter", "status"): {"planned", "arrived", "triaged", "in-progress", "onleave", "finished", "cancelled"},
}


def references(value: Any) -> list[str]:
    if isinstance(value, dict):
        found = [value["reference"]] if isinstance(value.get("reference"), str) else []
        return found + [r for v in value.values() for r in references(v)]
    if isinstance(value, list):
        return [r for v in value for r in references(v)]
    return []


def test_the_fhir_bundle_is_valid_r4_and_holds_the_patients_care(service_db, world):
    _, eleni, _ = world
    bundle = fhir.bundle(service_db, eleni.patient, NOW, PUBLIC_URL)
    assert fhir_resources.__fhir_version__ == "4.0.1"
    Bundle.parse_obj(bundle)  # raises on any element R4 does not have, a wrong type or a missing required one
    resources = [e["resource"] for e in bundle["entry"]]
    by_type = Counter(r["resourceType"] for r in resources)
    program = eleni.program
    evaluation_values = sum(len(e.values) for e in program.evaluations)
    assert by_type == {
        "Patient": 1,
        "Condition": 1,
        "CarePlan": 2,  # the current program and the archived one
        "Goal": 1 + 3 + 1,  # the therapist's goals; the three goals the program covers; the archived one's posture
        "ServiceRequest": len(program.items) + len(eleni.archived_program.items),
        "Encounter": 2,  # the visit and the re-evaluation
        "Observation": evaluation_values + 1,  # plus the pain the patient rated on the phone page
        "QuestionnaireResponse": 1,  # PSFS and pain, answered on the phone page
        "MedicationAdministration": 2,  # one injection: splenius capitis left and right
    }
    full_urls = {e["fullUrl"] for e in bundle["entry"]}
    assert set(references(resources)) <= full_urls, "every reference points into the bundle"
    for resource in [bundle, *resources]:
        for (kind, element), allowed in R4_CODES.items():
            if resource["resourceType"] == kind:
                assert resource[element] in allowed, (kind, element, resource[element])

    patient = next(r for r in resources if r["resourceType"] == "Patient")
    assert patient["name"] == [{"text": "Ελένη Παπαδάκη"}] and patient["birthDate"] == "1956-03-21"
    assert {"system": "email", "value": "eleni@example.org"} in patient["telecom"]

    plan = next(r for r in resources if r["resourceType"] == "CarePlan" and r["status"] == "active")
    assert plan["title"] == "Neck program" and plan["period"] == {"start": "2026-02-02"}
    requests = [r for r in resources if r["resourceType"] == "ServiceRequest" and r["status"] == "active"]
    assert [{"reference": f"urn:uuid:{r['id']}"} for r in requests] == [a["reference"] for a in plan["activity"]]
    goals = {f"urn:uuid:{r['id']}": r for r in resources if r["resourceType"] == "Goal"}
    assert sorted(goals[g["reference"]]["description"]["text"] for g in plan["goal"]) == [
        "Posture",
        "Range of motion",
        "Strengthening",
        "Turn the head to check traffic when driving.",
    ]
    for request, item in zip(requests, program.items, strict=True):
        assert request["code"]["text"] == item.exercise.name
        # The one wording of a dosage (planner/dosage.py), and its numbers for a machine.
        assert request["patientInstruction"] == in_words(item.dosage, item.side)
        numbers = {e["url"]: e["valueInteger"] for e in request["extension"][0]["extension"]}
        assert numbers == item.dosage
    assert requests[0]["occurrenceTiming"] == {"repeat": {"frequency": 2, "period": 1, "periodUnit": "d"}}

    observations = {o["code"]["text"]: o for o in resources if o["resourceType"] == "Observation"}
    severity = observations["TWSTRS severity"]
    assert severity["code"]["coding"] == [
        {
            "system": "https://exercises.example.org/fhir/CodeSystem/outcome-measures",
            "code": "twstrs_severity",
            "display": "TWSTRS severity",
        }
    ]  # no LOINC code we are sure of: our own code system only
    assert severity["valueQuantity"] == {
        "value": 18,
        "unit": "points",
        "system": "http://unitsofmeasure.org",
        "code": "{score}",
    }
    pain = [o for o in resources if o["resourceType"] == "Observation" and o["code"]["text"] == "Pain, numeric rating"]
    assert [(o["effectiveDateTime"], o["valueQuantity"]["value"]) for o in pain] == [
        ("2026-03-01", 4),
        ("2026-03-02", 8),
    ]
    for o in pain:
        assert {"system": "http://loinc.org", "code": "72514-3"}.items() <= o["code"]["coding"][0].items()
    rotation = observations["Cervical rotation, left"]
    assert rotation["valueQuantity"]["code"] == "deg" and rotation["category"][0]["coding"][0]["code"] == "exam"
    own = observations["Head tremor minutes"]
    assert own["valueQuantity"] == {"value": 30, "unit": "minutes"} and "category" not in own


def test_the_patients_answers_and_injections_read_back_as_fhir_questionnaire_response_and_medication_administration(
    service_db, world
):
    """The phone page's questionnaires and the toxin injections, in the bundle as in the ZIP's JSON;
    only this patient's (José, in the same clinic, has his own)."""
    _, eleni, jose = world
    bundle = Bundle.parse_obj(fhir.bundle(service_db, eleni.patient, NOW, PUBLIC_URL))
    patient = next(e.resource for e in bundle.entry if e.resource.resource_type == "Patient")
    me = f"urn:uuid:{patient.id}"
    [answers] = [
        QuestionnaireResponse.parse_obj(e.resource.dict())
        for e in bundle.entry
        if e.resource.resource_type == "QuestionnaireResponse"
    ]
    # Stopped half way (worst pain this week not answered yet): what was answered is there.
    assert answers.status == "in-progress" and answers.subject.reference == me == answers.source.reference
    groups = {
        g.linkId: {i.linkId: (i.text, i.answer[0].dict() if i.answer else None) for i in g.item} for g in answers.item
    }
    assert set(groups) == {"psfs", "pain"}
    psfs = groups["psfs"]
    assert psfs["activity_1"] == ("Name activity 1", {"valueString": "Οδήγηση"})
    assert psfs["activity_2"] == ("Name activity 2", None)  # left empty: asked, not answered
    [(text, rating)] = [v for k, v in psfs.items() if k.startswith("psfs_")]
    assert (text, rating) == ("Οδήγηση (0 to 10)", {"valueInteger": 4})
    assert groups["pain"] == {"pain_now": ("Pain now (0 to 10)", {"valueInteger": 3})}
    given = [
        MedicationAdministration.parse_obj(e.resource.dict())
        for e in bundle.entry
        if e.resource.resource_type == "MedicationAdministration"
    ]
    assert sorted((m.dosage.site.text, float(m.dosage.dose.value), m.dosage.dose.unit) for m in given) == [
        ("Splenius capitis, left", 50.0, "U"),
        ("Splenius capitis, right", 25.0, "U"),
    ]
    for m in given:
        assert m.status == "completed" and m.subject.reference == me and str(m.effectiveDateTime) == "2026-02-09"
        assert m.medicationCodeableConcept.text == "onabotulinumtoxinA" and m.dosage.route.text == "Intramuscular"
        assert m.performer[0].actor.display == "Dr. Νικολάου"
    assert len({m.identifier[0].value for m in given}) == 1  # one injection, two sides
    his = fhir.bundle(service_db, jose.patient, NOW, PUBLIC_URL)
    ids = {e["resource"]["id"] for e in his["entry"]}
    assert not ids & {e.resource.id for e in bundle.entry if e.resource.resource_type != "Patient"} - {None}


@pytest.mark.parametrize(
    "dosage, expected",
    [
        ({"repetitions": 10}, None),
        ({"times_per_day": 2}, {"frequency": 2, "period": 1, "periodUnit": "d"}),
        ({"days_per_week": 3}, {"frequency": 3, "period": 1, "periodUnit": "wk"}),
        (
            {"days_per_week": 7},
            {
                "frequency": 1,
                "period": 1,
                "periodUnit": "d",
                "dayOfWeek": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
            },
        ),
        # How many days, not which: 2 a day on 3 days is 6 a week, and no weekday is made up.
        ({"times_per_day": 2, "days_per_week": 3}, {"frequency": 6, "period": 1, "periodUnit": "wk"}),
        ({"minutes": 10}, {"duration": 10, "durationUnit": "min"}),
        (
            {"minutes": 5, "times_per_day": 3, "days_per_week": 5},
            {"frequency": 15, "period": 1, "periodUnit": "wk", "duration": 5, "durationUnit": "min"},
        ),
    ],
)
def test_how_often_becomes_a_fhir_timing(dosage, expected):
    timing = care_plans.timing(dosage)
    assert timing == (None if expected is None else {"repeat": expected})
    if timing:
        Timing.parse_obj(timing)


def test_the_zip_holds_the_json_the_bundle_and_the_current_handout_and_changes_nothing(db):
    clinic = make_clinic_world(db)
    eleni = give_everything(db, clinic, "Ελένη Παπαδάκη", "eleni@example.org")
    before = rows_about(db, eleni.patient.id)
    data = patient_export.export_zip(db, eleni.patient, NOW, HandoutOptions(), PUBLIC_URL)
    archive = zipfile.ZipFile(io.BytesIO(data))
    handout = "neck-program.pdf"  # the title it prints (the therapist's own: the same in each language)
    assert archive.namelist() == ["README.txt", "patient.json", "fhir-bundle.json", handout]
    assert handout in archive.read("README.txt").decode()
    assert json.loads(archive.read("patient.json"))["patient_id"] == eleni.patient.id
    assert "Ελένη Παπαδάκη".encode() in archive.read("patient.json")  # readable, not \u escapes
    Bundle.parse_raw(archive.read("fhir-bundle.json"))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(archive.read(handout))).pages)
    for shown in ["Ελένη Παπαδάκη", "Neck program", "Chin tuck", "Neck turn", "Shoulder press"]:
        assert shown in " ".join(text.split()), shown
    assert "Old program" not in text  # the archived program has no current handout
    db.expire_all()
    assert rows_about(db, eleni.patient.id) == before  # reading only: no version is marked as given
    assert patient_export.export_zip(db, eleni.patient, NOW, HandoutOptions(), PUBLIC_URL) == data


def test_an_export_is_the_same_whether_the_rows_are_still_in_memory_or_read_back(db):
    """A dose typed as 50 (a form's Decimal) is 50.0 once read back: the export must not depend on which.

    The ZIP test above once failed under load: the second export said "value": 50.0 where the
    first said 50, because the injection had been freed from the session's memory in between.
    """
    clinic = make_clinic_world(db)
    eleni = give_everything(db, clinic, "Ελένη Παπαδάκη", "eleni@example.org")
    typed = toxin_cycle.InjectionData(
        date(2026, 2, 23), [toxin_cycle.Dose("Trapezius", Decimal("40"), 12)], "onabotulinumtoxinA", "Dr. Νικολάου"
    )
    held = toxin_cycle.record_injection(db, eleni.patient, typed, TODAY, NOW)  # kept in memory as typed
    db.commit()
    in_memory = patient_export.export_zip(db, eleni.patient, NOW, HandoutOptions(), PUBLIC_URL)
    db.expire_all()
    assert patient_export.export_zip(db, eleni.patient, NOW, HandoutOptions(), PUBLIC_URL) == in_memory
    assert [(d.left_units, d.right_units) for d in held.doses] == [(40.0, 12.0)]
    assert '"value": 40.0' in fhir_text(db, eleni.patient) and '"value": 40,' not in fhir_text(db, eleni.patient)


def fhir_text(db, patient) -> str:
    return json.dumps(fhir.bundle(db, patient, NOW, PUBLIC_URL), indent=2)


@pytest.mark.parametrize(
    "language, said",
    [
        ("en", ["This is your data from the Home Exercise Planner of Export Clinic.", "What is in this folder:"]),
        (
            "es",
            [
                "Estos son sus datos del Planificador de Ejercicios en Casa de Export Clinic.",
                "Qué hay en esta carpeta:",
            ],
        ),
        ("el", ["This is your data from the Home Exercise Planner of Export Clinic."]),  # no Greek handouts here
    ],
)
def test_the_readme_speaks_the_patients_language_like_the_handout_beside_it(db, language, said):
    """Issue #14: what a patient reads follows their language, where the site offers it (else English)."""
    clinic = make_clinic_world(db)
    eleni = give_everything(db, clinic, "Ελένη Παπαδάκη", "eleni@example.org")
    eleni.patient.language = language
    db.commit()
    data = patient_export.export_zip(db, eleni.patient, NOW, HandoutOptions(languages=("en", "es")), PUBLIC_URL)
    archive = zipfile.ZipFile(io.BytesIO(data))
    readme = archive.read("README.txt").decode()
    handout = "neck-program.pdf"  # the title it prints (the therapist's own: the same in each language)
    for sentence in said:
        assert sentence in readme
    day = "lunes, 2 de marzo de 2026" if language == "es" else "Monday, 2 March 2026"
    assert NOW.date() == date(2026, 3, 2) and day in readme
    mine = {"es": f"- {handout}: la hoja de ejercicios que tiene ahora.", "en": f"- {handout}: the exercise handout"}
    assert mine.get(language, mine["en"]) in readme
    pdf = PdfReader(io.BytesIO(archive.read(handout)))
    assert pdf.trailer["/Root"]["/Lang"] == ("es" if language == "es" else "en")  # the handout beside it


@pytest.fixture(scope="module")
def scripts_db(tmp_path_factory):
    """One SQLite database for the cases below; each case makes its own clinic in it."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('scripts') / 'scripts.sqlite3'}")
    upgrade(engine)
    session = sessionmaker(bind=engine, expire_on_commit=False)()
    yield session
    session.close()
    engine.dispose()


@pytest.mark.parametrize(
    "name",
    ["Zoë Łukasiewicz-Núñez", "Ελένη Παπαδάκη", "Анна Кузнецова", "王秀英", "דוד לוי", "محمد علي"],
)
def test_names_and_notes_in_any_script_leave_intact(scripts_db, name):
    db = scripts_db
    clinic = make_clinic_world(db, f"Clinic of {name}")
    patient = make_patient(db, clinic.clinic, name, email="x@example.org", notes=f"{name}: prefers mornings.")
    details = programs.ProgramDetails(f"Plan for {name}", date(2026, 2, 2))
    program = programs.create_program(db, patient, details, None, NOW)
    program_items.add_item(db, program, clinic.exercises[0], None, NOW, note=f"{name}, go slowly.")
    db.commit()
    data = patient_export.patient_data(db, patient, NOW)
    assert data["tables"]["patients"][0]["notes"] == f"{name}: prefers mornings."
    assert data["tables"]["programs"][0]["title"] == f"Plan for {name}"
    bundle = fhir.bundle(db, patient, NOW)
    Bundle.parse_obj(bundle)
    resources = {e["resource"]["resourceType"]: e["resource"] for e in bundle["entry"]}
    assert resources["Patient"]["name"] == [{"text": name}]
    assert resources["CarePlan"]["title"] == f"Plan for {name}"
    assert resources["ServiceRequest"]["note"] == [{"text": f"{name}, go slowly."}]


# ---- the administrator's button and the command ---------------------------------------------


def test_an_administrator_exports_from_the_patient_page_and_it_is_logged(csrf_app):
    db = csrf_app.extensions["db_sessionmaker"]()
    clinic = make_clinic_world(db)
    eleni = give_everything(db, clinic, "Ελένη Παπαδάκη", "eleni@example.org")
    client = csrf_app.test_client()
    page = f"/patients/{eleni.patient.id}"
    sign_in(client, clinic.therapist.email)
    html = client.get(page).get_data(as_text=True)
    assert "Export data" not in html and "Erase" not in html
    assert client.post(f"{page}/export", data={"csrf_token": csrf_token(client, page)}).status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, page)})

    sign_in(client, clinic.admin.email)
    assert "Export data" in client.get(page).get_data(as_text=True)
    assert client.post(f"{page}/export").status_code == 400  # no CSRF token: refused, nothing leaves
    response = client.post(f"{page}/export", data={"csrf_token": csrf_token(client, page)})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith(f'attachment; filename="patient-{eleni.patient.id}-')
    assert response.headers["Cache-Control"] == "no-store"
    assert "patient.json" in zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    exports = db.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()
    assert [(e.user_id, e.patient_id) for e in exports] == [(clinic.admin.id, eleni.patient.id)]
    db.close()


def test_the_command_writes_the_zip_and_logs_it(app, db, tmp_path):
    clinic = make_clinic_world(db)
    eleni = give_everything(db, clinic, "Ελένη Παπαδάκη", "eleni@example.org")
    out = tmp_path / "eleni.zip"
    result = app.test_cli_runner().invoke(args=["patients", "export", str(eleni.patient.id), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Wrote the data of patient {eleni.patient.id} to {out}" in result.output
    assert "fhir-bundle.json" in zipfile.ZipFile(out).namelist()
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert (entry.user_id, entry.patient_id, entry.detail) == (None, eleni.patient.id, "command line")
    missing = app.test_cli_runner().invoke(args=["patients", "export", "999999", "-o", str(tmp_path / "none.zip")])
    assert missing.exit_code != 0 and "There is no patient with the id 999999." in missing.output
    assert not (tmp_path / "none.zip").exists()
