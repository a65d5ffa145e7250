"""The OpenAPI document cannot drift from the API: every route is documented, and every documented
answer (each operation, each status) is produced here with real data and checked against its schema.

The document is OpenAPI 3.1, whose schemas are JSON Schema 2020-12 (null as `"type": [..., "null"]`),
so jsonschema's Draft202012Validator checks them, formats (dates) included.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from planner.models import Exercise
from planner.services import api_tokens, issuing, program_items, programs
from planner.services.catalog import get_exercise
from planner.web.api.openapi import DOCUMENT
from tests.factories import make_clinic, make_patient, make_user

NOW = datetime(2026, 11, 21, tzinfo=UTC)
METHODS = {"get", "put", "post", "delete", "patch"}


def operations():
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def validator(schema: dict) -> Draft202012Validator:
    """A validator for one schema of the document; its "#/components/..." references resolve in the document."""
    return Draft202012Validator({**schema, "components": DOCUMENT["components"]}, format_checker=FormatChecker())


def response_schema(path: str, method: str, status: int) -> dict:
    response = DOCUMENT["paths"][path][method]["responses"][str(status)]
    return response["content"]["application/json"]["schema"]


# ---- the document on its own ---------------------------------------------------------------


def test_every_api_route_is_documented_with_its_methods_and_parameters(app):
    routes = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            routes[path] = {m.lower() for m in rule.methods} & METHODS
    documented = {path: set(item) & METHODS for path, item in DOCUMENT["paths"].items()}
    assert routes == documented
    for path, _method, operation in operations():
        in_path = set(re.findall(r"{(\w+)}", path))
        declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
        assert in_path == declared, path


def test_the_document_is_well_formed(app):
    served = app.test_client().get("/api/v1/openapi.json")
    assert served.status_code == 200 and served.get_json() == DOCUMENT  # open without signing in
    assert DOCUMENT["openapi"] == "3.1.0"
    assert DOCUMENT["components"]["securitySchemes"]["bearerToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal API token, starting with hep_",
    }
    ids = [operation["operationId"] for _path, _method, operation in operations()]
    assert len(ids) == len(set(ids))
    for path, method, operation in operations():
        assert operation["responses"], (path, method)
        for status, response in operation["responses"].items():
            assert response["description"], (path, method, status)
            for media in response.get("content", {}).values():
                Draft202012Validator.check_schema(media["schema"])
                validator(media["schema"])  # builds; references checked when used below
    for schema in DOCUMENT["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


# ---- every documented answer, with real data -----------------------------------------------


@pytest.fixture
def world(catalog_app, catalog_db):
    """A clinic with a token, a patient with two programs (one with a next re-evaluation, one
    without) using shared and custom exercises; another clinic with its own patient."""
    db = catalog_db
    clinic = make_clinic(db, "Contract Clinic")
    user = make_user(db, clinic)
    _, token = api_tokens.create_token(db, user, "Contract test", NOW)
    own = Exercise(
        slug=f"custom-{clinic.id}-towel-neck-glide",
        clinic_id=clinic.id,
        name="Towel neck glide",
        category="stretching",
        regions=["neck"],
        position="sitting",
        equipment=["towel", "chair"],
        difficulty=2,
        dosage={"sets": 2, "repetitions": 8, "hold_seconds": 5, "rest_seconds": 30, "times_per_day": 2},
    )
    db.add(own)
    patient = make_patient(db, clinic, "Contract Patient")
    details = programs.ProgramDetails(
        "Neck and posture",
        date(2026, 11, 2),
        goals="Turn the head further",
        frequency="After breakfast",
        visit_plan="Weekly",
        reeval_interval_days=28,
        advice=["Take short breaks"],
        advice_text="Rest when tired.",
    )
    first = programs.create_program(db, patient, details, None, NOW)
    program_items.add_item(
        db, first, get_exercise(db, clinic.id, "chin-tuck-sitting"), None, NOW, side="both", note="Slowly"
    )
    program_items.add_item(db, first, own, None, NOW, side="left")
    issuing.issue(db, first, None, "print", NOW)
    second = programs.create_program(db, patient, programs.ProgramDetails("Plain", date(2026, 11, 20)), None, NOW)
    program_items.add_item(db, second, get_exercise(db, clinic.id, "shoulder-rolls"), None, NOW, dosage={"minutes": 5})
    other = make_patient(db, make_clinic(db), "Someone Else")
    db.commit()
    return {"token": token, "patient": patient, "program": first, "other_patient": other}


def cases(world):
    """(documented path, method, status, URL, headers) for every answer to check."""
    auth = {"Authorization": f"Bearer {world['token']}"}
    program, patient, other = world["program"].id, world["patient"].id, world["other_patient"].id
    return [
        ("/api/v1/programs/{program_id}", "get", 200, f"/api/v1/programs/{program}", auth),
        ("/api/v1/programs/{program_id}", "get", 401, f"/api/v1/programs/{program}", {}),
        ("/api/v1/programs/{program_id}", "get", 401, f"/api/v1/programs/{program}", {"Authorization": "Bearer x"}),
        ("/api/v1/programs/{program_id}", "get", 404, f"/api/v1/programs/{program + 1000}", auth),
        ("/api/v1/patients/{patient_id}/programs", "get", 200, f"/api/v1/patients/{patient}/programs", auth),
        ("/api/v1/patients/{patient_id}/programs", "get", 401, f"/api/v1/patients/{patient}/programs", {}),
        ("/api/v1/patients/{patient_id}/programs", "get", 404, f"/api/v1/patients/{other}/programs", auth),
        ("/api/v1/exercises", "get", 200, "/api/v1/exercises", auth),
        ("/api/v1/exercises", "get", 200, "/api/v1/exercises?q=towel+neck", auth),  # a custom exercise
        ("/api/v1/exercises", "get", 200, "/api/v1/exercises?q=sholder+rols", auth),  # corrected: a string
        ("/api/v1/exercises", "get", 200, "/api/v1/exercises?q=xylophone", auth),  # nothing found
        ("/api/v1/exercises", "get", 200, "/api/v1/exercises?category=balance&page=2", auth),
        ("/api/v1/exercises", "get", 401, "/api/v1/exercises", {}),
        ("/api/v1/openapi.json", "get", 200, "/api/v1/openapi.json", {}),
    ]


def test_every_documented_answer_matches_its_schema(catalog_app, world):
    client = catalog_app.test_client()
    seen = set()
    for path, method, status, url, headers in cases(world):
        response = client.open(url, method=method.upper(), headers=headers)
        assert response.status_code == status, url
        assert response.mimetype == "application/json", url
        errors = sorted(validator(response_schema(path, method, status)).iter_errors(response.get_json()), key=str)
        assert not errors, f"{method.upper()} {url} ({status}): " + "; ".join(
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5]
        )
        seen.add((path, method, str(status)))
    documented = {(path, method, status) for path, method, op in operations() for status in op["responses"]}
    assert seen == documented, f"answers documented but never checked: {sorted(documented - seen)}"


def test_the_answers_hold_what_the_schema_must_allow(catalog_app, world):
    """The cases above reach the schema's harder corners: a null and a set date, a corrected search."""
    client = catalog_app.test_client()
    auth = {"Authorization": f"Bearer {world['token']}"}
    both = client.get(f"/api/v1/patients/{world['patient'].id}/programs", headers=auth).get_json()
    assert sorted(p["next_reevaluation"] is None for p in both) == [False, True]
    assert sorted(p["last_given"] is None for p in both) == [False, True]  # one given, one never
    assert client.get("/api/v1/exercises?q=sholder+rols", headers=auth).get_json()["corrected"] == "shoulder rolls"
    assert client.get("/api/v1/exercises?q=chin", headers=auth).get_json()["corrected"] is None


@pytest.mark.parametrize(
    ("change", "found"),
    [
        (lambda body: body.update(extra=1), "Additional properties are not allowed"),
        (lambda body: body.pop("title"), "'title' is a required property"),
        (lambda body: body.update(start_date="21/11/2026"), "is not a 'date'"),
        (lambda body: body["items"][0]["dosage"].update(sets=11), "is greater than the maximum"),
        (lambda body: body["items"][0]["exercise"].update(category="dancing"), "is not one of"),
    ],
)
def test_the_schema_refuses_an_answer_that_drifted(catalog_app, world, change, found):
    """The check above would notice: a field added, one dropped, a date or a word out of shape."""
    auth = {"Authorization": f"Bearer {world['token']}"}
    body = catalog_app.test_client().get(f"/api/v1/programs/{world['program'].id}", headers=auth).get_json()
    change(body)
    schema = response_schema("/api/v1/programs/{program_id}", "get", 200)
    assert any(found in error.message for error in validator(schema).iter_errors(body))
