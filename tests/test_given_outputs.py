"""What leaves the planner says which version the patient was given.

After the therapist changes a program they gave (a dosage, an exercise added), the patient's paper
still says the old version. The FHIR export's active CarePlan and the patient's data export (its
handout, its README, patient.json's "given") describe that version, the change a draft beside it;
the therapist's API shows the program as it is now and says which version was given last and
that the program differs. Printing again makes them agree. Told on test_given_words' clinic.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date

import pytest
from fhir.resources.bundle import Bundle
from sqlalchemy import select

from planner.dosage import in_words
from planner.handouts.styles import HandoutOptions
from planner.models import Program
from planner.models.program import ONE_PER_PAGE
from planner.services import custom_exercises, fhir, patient_export, program_items
from tests import test_given_words
from tests.conftest import login
from tests.factories import make_clinic, make_user
from tests.handout_world import pages_text
from tests.reminder_factories import make_program
from tests.test_given_words import GIVEN_NAME, edit, print_handout, words

clinic = test_given_words.clinic  # the same world: a clinic's own exercise in a program printed for Rosa Diaz

ADDED = "Shoulder blade squeeze"
GIVEN_DOSAGE = {"repetitions": 5, "times_per_day": 1}
NEW_DOSAGE = {"repetitions": 12, "times_per_day": 1}


def change_program(world) -> None:
    """The therapist's edit after giving: 12 repetitions instead of 5, and one more exercise."""
    db, program, now = world.db, world.program, world.now
    item = program.items[0]
    program_items.update_item(db, program, item.id, NEW_DOSAGE, "", item.note, None, now)
    added = custom_exercises.create_custom_exercise(db, world.place.id, words(ADDED, ["Squeeze them together."]), now)
    program_items.add_item(db, program, added, None, now)
    db.commit()


def api(world) -> dict:
    return world.client.get(f"/api/v1/programs/{world.program.id}").get_json()


def test_the_api_shows_the_program_as_it_is_and_the_version_given_last(clinic):
    before = api(clinic)
    given = before["last_given"]
    assert (before["version"], before["issued"]) == (1, True)
    assert given["version"] == 1 and given["program_differs"] is False

    change_program(clinic)
    body = api(clinic)
    assert (body["version"], body["issued"]) == (2, False)  # the draft, as before
    assert [i["exercise"]["name"] for i in body["items"]] == [GIVEN_NAME, ADDED]
    assert body["items"][0]["dosage"] == NEW_DOSAGE
    assert body["last_given"] == {**given, "program_differs": True}  # version 1, given when it was

    print_handout(clinic)
    assert api(clinic)["last_given"]["version"] == 2 and api(clinic)["last_given"]["program_differs"] is False
    patient = clinic.client.get(f"/api/v1/patients/{clinic.program.patient_id}/programs").get_json()
    assert [p["last_given"]["version"] for p in patient] == [2]


def test_the_api_says_the_program_differs_after_the_clinic_edits_its_exercise(clinic):
    """No edit of the program: its exercise's words changed, so the next handout differs."""
    edit(clinic, "Wall glide", ["Slide your head up the wall, slowly."])
    assert api(clinic)["last_given"]["program_differs"] is True


def test_another_clinic_sees_neither_the_program_nor_what_was_given(clinic):
    make_user(clinic.db, make_clinic(clinic.db, "Elsewhere"), email="pt@elsewhere.org")
    other = clinic.app.test_client()
    login(other, "pt@elsewhere.org")
    assert other.get(f"/api/v1/programs/{clinic.program.id}").status_code == 404
    assert other.get(f"/api/v1/patients/{clinic.program.patient_id}/programs").status_code == 404


def resources(bundle: dict, kind: str) -> dict[str, dict]:
    return {e["fullUrl"]: e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind}


def plans(world) -> dict[str, tuple[dict, list[dict]]]:
    """The bundle's CarePlans by status, each with its ServiceRequests in order."""
    bundle = fhir.bundle(world.db, world.program.patient, world.now)
    Bundle.parse_obj(bundle)  # valid R4
    requests = resources(bundle, "ServiceRequest")
    return {
        plan["status"]: (plan, [requests[a["reference"]["reference"]] for a in plan.get("activity", [])])
        for plan in resources(bundle, "CarePlan").values()
    }


def test_fhirs_active_care_plan_is_what_the_patient_was_given_and_the_edit_a_draft(clinic):
    change_program(clinic)
    found = plans(clinic)
    assert set(found) == {"active", "draft"}
    active, given = found["active"]
    draft, drafted = found["draft"]
    assert [r["code"]["text"] for r in given] == [GIVEN_NAME]
    assert given[0]["patientInstruction"] == in_words(GIVEN_DOSAGE, None) and given[0]["status"] == "active"
    assert {"text": "Version: 1, given to the patient on " + clinic.now.date().isoformat()} in active["note"]
    assert [r["code"]["text"] for r in drafted] == [GIVEN_NAME, ADDED]
    assert drafted[0]["patientInstruction"] == in_words(NEW_DOSAGE, None)
    assert {r["status"] for r in drafted} == {"draft"}
    assert draft["replaces"] == [{"reference": f"urn:uuid:{active['id']}"}]

    print_handout(clinic)
    found = plans(clinic)
    assert set(found) == {"active"}
    assert [r["patientInstruction"] for r in found["active"][1]][0] == in_words(NEW_DOSAGE, None)


def test_a_program_never_given_is_a_draft_in_fhir_and_has_no_handout_in_the_export(clinic):
    db, now = clinic.db, clinic.now
    patient = clinic.program.patient
    later = make_program(db, patient, None, now, start=date(2026, 1, 5), title="Hand program")
    program_items.add_item(db, later, clinic.own, None, now)
    db.commit()
    statuses = {plan["title"]: plan["status"] for plan in resources(fhir.bundle(db, patient, now), "CarePlan").values()}
    assert statuses == {"Neck program": "active", "Hand program": "draft"}
    files = unzip(clinic)
    assert sorted(n for n in files if n.endswith(".pdf")) == ["neck-program.pdf"]
    assert "No handout yet for “Hand program”: your therapist has not given it to you yet." in files["README.txt"]


def unzip(world) -> dict[str, str | bytes]:
    data = patient_export.export_zip(world.db, world.program.patient, world.now, HandoutOptions())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            n: archive.read(n).decode() if n.endswith((".txt", ".json")) else archive.read(n)
            for n in archive.namelist()
        }


def test_the_data_export_holds_the_handout_the_patient_was_given_and_says_the_program_differs(clinic):
    change_program(clinic)
    files = unzip(clinic)
    [pdf] = [data for name, data in files.items() if name.endswith(".pdf")]
    text = " ".join(" ".join(pages_text(pdf)).split())
    assert in_words(GIVEN_DOSAGE, None) in text and in_words(NEW_DOSAGE, None) not in text and ADDED not in text
    data = json.loads(files["patient.json"])
    assert data["given"] == [
        {
            "program_id": clinic.program.id,
            "given_version": 1,
            "given_at": data["tables"]["program_versions"][0]["created_at"],
            "program_differs": True,
        }
    ]
    fhir_plans = resources(json.loads(files["fhir-bundle.json"]), "CarePlan")
    assert sorted(p["status"] for p in fhir_plans.values()) == ["active", "draft"]

    print_handout(clinic)
    files = unzip(clinic)
    [pdf] = [data for name, data in files.items() if name.endswith(".pdf")]
    text = " ".join(" ".join(pages_text(pdf)).split())
    assert in_words(NEW_DOSAGE, None) in text and ADDED in text
    assert json.loads(files["patient.json"])["given"][0]["program_differs"] is False


def test_a_preview_gives_nothing_and_every_page_says_so(clinic):
    """The trial's fault: printing to look gave the draft to the phone. The preview shows the
    draft, marked on every page in the patient's language, and gives nothing; the builder says
    which step gives."""
    change_program(clinic)
    builder = clinic.client.get(f"/programs/{clinic.program.id}").get_data(as_text=True)
    assert f'href="/programs/{clinic.program.id}/handout-preview.pdf"' in builder
    assert "Print and give to patient" in builder and "A preview only shows it to you." in builder
    phone_before = test_given_words.phone(clinic)
    spanish, english = (
        "Solo vista previa. Aún no se ha dado al paciente.",
        "Preview only. Not given to the patient yet.",
    )
    # In the patient's language, and shortly in English too when that is another: the therapist reads it.
    for language, marks, not_there in [
        ("es", [spanish, "Preview only. Not given yet."], []),
        ("en", [english], [spanish, "Not given yet."]),
    ]:
        clinic.program.patient.language = language
        clinic.db.commit()
        answer = clinic.client.get(f"/programs/{clinic.program.id}/handout-preview.pdf")
        assert answer.mimetype == "application/pdf" and "preview.pdf" in answer.headers["Content-Disposition"]
        pages = [" ".join(page.split()) for page in pages_text(answer.data)]
        assert all(mark in page for page in pages for mark in marks)
        assert not any(mark in page for page in pages for mark in not_there)
        assert ADDED in " ".join(pages)  # the draft, as it is now
    clinic.db.expire_all()
    assert [v.number for v in clinic.program.versions] == [1] and not clinic.program.issued
    assert test_given_words.phone(clinic) == phone_before
    assert "Preview only" not in " ".join(
        pages_text(clinic.client.post(f"/programs/{clinic.program.id}/handout.pdf").data)
    )


# How a handout's date line names its version, per language (a preview's reads the same: its
# every page is marked "Preview only" instead, so it pages as the paper does).
DATE_LINES = {
    "en": r"(\d+ \w+ \d{4}) \(version (\d+)\)",
    "es": r"(\d+ de \w+ de \d{4}) \(versión (\d+)\)",
}
PREVIEW_MARKS = {"en": "Preview only. Not given to the patient yet.", "es": "Solo vista previa."}


def dated(pdf: bytes, pattern: str) -> tuple[str, int]:
    """The (date, version number) a handout's front page prints."""
    found = re.search(pattern, " ".join(pages_text(pdf)[0].split()))
    assert found, pattern
    return found[1], int(found[2])


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(
    ("since_given", "number"),
    [("nothing", 1), ("the therapist's edit", 2), ("the clinic's own exercise edited", 2)],
)
def test_a_preview_names_the_version_a_print_would_give_not_one_given(clinic, language, since_given, number):
    """A preview is no version given: every page of it says so, in the patient's language; its
    date line is the paper's, with the version N "Print and give" then gives and that paper's
    date: the one given when nothing changed, the therapist's draft after an edit, and the next
    one when only the clinic's own exercise changed since (print starts it:
    issuing.renew_if_paper_changed). The same line as the paper's: "(preview of version 1)"
    took a line more at 18 pt and a page more than the paper (trial 19, F4)."""
    clinic.program.patient.language = language
    clinic.db.commit()
    if since_given == "the therapist's edit":
        change_program(clinic)
    elif since_given == "the clinic's own exercise edited":
        edit(clinic, "Wall glide", ["Slide your head up the wall, slowly."])
    line = DATE_LINES[language]
    url = f"/programs/{clinic.program.id}"
    preview = clinic.client.get(f"{url}/handout-preview.pdf").data
    assert all(PREVIEW_MARKS[language] in " ".join(page.split()) for page in pages_text(preview))
    day, previewed = dated(preview, line)
    clinic.db.expire_all()
    assert [v.number for v in clinic.program.versions] == [1]  # the preview gave nothing
    assert dated(clinic.client.post(f"{url}/handout.pdf").data, line) == (day, previewed) == (day, number)


def test_the_builder_says_beside_print_that_the_compact_handout_leaves_out_the_exercises_tips(
    catalog_app, catalog_db, now
):
    """Trial 30, F4: the compact handout prints no exercise's own tips (the phone page and one
    exercise a page do); the therapist read it only under the layout choice. Now beside Print
    too (the paragraph the button names as its description), and not for one a page."""
    from planner.demo import load_demo
    from tests.conftest import CATALOG

    signed = load_demo(catalog_db, now.date(), now, CATALOG, secret_key=catalog_app.secret_key)
    client = catalog_app.test_client()
    login(client, signed.email, signed.password)
    program = catalog_db.scalars(select(Program).where(Program.archived_at.is_(None))).first()
    said = "The compact handout leaves out each exercise's own tips"
    builder = client.get(f"/programs/{program.id}").get_data(as_text=True)
    giving = re.search(r'<p class="muted" id="giving">(.*?)</p>', builder, re.S)[1]
    assert said in giving and 'aria-describedby="giving' in builder
    program.handout_layout = ONE_PER_PAGE
    catalog_db.commit()
    assert said not in client.get(f"/programs/{program.id}").get_data(as_text=True)
