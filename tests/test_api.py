"""The read-only JSON API: the same facts as the pages, limited to the signed-in clinic."""

from __future__ import annotations

from datetime import UTC, date, datetime

from planner.dosage import in_words
from planner.services import program_items, programs
from planner.services.catalog import get_exercise
from tests.conftest import login
from tests.factories import make_clinic, make_patient, make_user

NOW = datetime(2026, 11, 21, tzinfo=UTC)


def test_program_json_carries_dosage_in_words_and_coverage(catalog_app, catalog_db):
    clinic = make_clinic(catalog_db)
    make_user(catalog_db, clinic, email="api@x.org")
    patient = make_patient(catalog_db, clinic)
    program = programs.create_program(
        catalog_db, patient, programs.ProgramDetails("API plan", date(2026, 11, 21)), None, NOW
    )
    item = program_items.add_item(
        catalog_db, program, get_exercise(catalog_db, clinic.id, "chin-tuck-sitting"), None, NOW, side="both"
    )
    catalog_db.commit()
    client = catalog_app.test_client()
    assert client.get(f"/api/v1/programs/{program.id}").status_code == 401
    login(client, "api@x.org")
    body = client.get(f"/api/v1/programs/{program.id}").get_json()
    assert body["title"] == "API plan"
    # The chin tuck's steps work both sides: a "both" set through the API is kept, not said.
    assert body["items"][0]["dosage_words"] == in_words(item.dosage, None)
    assert body["items"][0]["side"] == "both"
    assert body["coverage"]["goals_missing"] == ["range_of_motion", "strengthening"]
    assert client.get(f"/api/v1/patients/{patient.id}/programs").get_json()[0]["id"] == program.id
    found = client.get("/api/v1/exercises?q=chin+tuck").get_json()
    assert any(e["id"] == "chin-tuck-sitting" for e in found["exercises"])

    make_user(catalog_db, make_clinic(catalog_db), email="other@y.org")
    other = catalog_app.test_client()
    login(other, "other@y.org")
    assert other.get(f"/api/v1/programs/{program.id}").status_code == 404
    assert other.get(f"/api/v1/patients/{patient.id}/programs").status_code == 404
