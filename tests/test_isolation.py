"""Clinic isolation: nobody of clinic B reaches clinic A's data through any URL that takes an id."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from planner.models import Exercise, OutboxMessage, PainAlert
from planner.services import advice, api_tokens, program_templates, programs
from planner.services.catalog import get_exercise
from tests.conftest import login
from tests.factories import make_clinic, make_patient, make_user

# How to fill each kind of URL argument with an object of clinic A. A new route with an
# argument not listed here fails the test below: add it, so no route escapes this check.
ARGUMENTS = {
    "patient_id": lambda a: a["patient"].id,
    "user_id": lambda a: a["user"].id,
    "slug": lambda a: a["exercise"].slug,
    "program_id": lambda a: a["program"].id,
    "item_id": lambda a: a["program"].items[0].id,
    "number": lambda a: 1,
    "direction": lambda a: "down",
    "which": lambda a: "progression",
    "template_id": lambda a: a["template"].id,
    "outbox_id": lambda a: a["email"].id,
    "token": lambda a: "not-anyones-calendar-token",  # the feed is found by its secret, never by an id
    "advice_id": lambda a: a["advice"].id,
    "alert_id": lambda a: a["alert"].id,
    "token_id": lambda a: a["api_token"].id,
}
PUBLIC = {"static"}
NOW = datetime(2026, 1, 5, tzinfo=UTC)


@pytest.fixture
def clinic_a(catalog_db):
    db = catalog_db
    clinic = make_clinic(db, "Clinic A")
    patient = make_patient(db, clinic, "Alice Private", notes="A's secret note")
    exercise = Exercise(
        slug=f"custom-{clinic.id}-alice-only",
        clinic_id=clinic.id,
        name="Alice Private drill",
        category="posture",
        position="sitting",
        dosage={"repetitions": 5},
    )
    db.add(exercise)
    program = programs.create_program(
        db, patient, programs.ProgramDetails("Alice Private plan", date(2026, 1, 5)), None, NOW
    )
    programs.add_item(db, program, get_exercise(db, clinic.id, "chin-tuck-sitting"), None, NOW)
    programs.add_item(db, program, exercise, None, NOW)
    programs.issue(db, program, None, "print", NOW)
    template = program_templates.save_as_template(db, program, "Alice Private template", "", NOW)
    email = OutboxMessage(
        clinic_id=clinic.id,
        kind="handout",
        program_id=program.id,
        patient_id=patient.id,
        recipient="patient",
        status="failed",
        send_at=NOW,
        next_attempt_at=NOW,
    )
    db.add(email)
    line = advice.add(db, clinic.id, "Alice Private advice line")
    alert = PainAlert(clinic_id=clinic.id, patient_id=patient.id, day=NOW.date(), pain=9, reason="Alice Private pain")
    db.add(alert)
    user = make_user(db, clinic, email="a@a.org")
    api_token, _ = api_tokens.create_token(db, user, "Alice Private script", NOW)
    db.commit()
    return {
        "clinic": clinic,
        "user": user,
        "api_token": api_token,
        "patient": patient,
        "exercise": exercise,
        "program": program,
        "template": template,
        "email": email,
        "advice": line,
        "alert": alert,
    }


@pytest.fixture
def intruder(catalog_app, catalog_db):
    app, db = catalog_app, catalog_db
    clinic = make_clinic(db, "Clinic B")
    make_user(db, clinic, role="admin", email="boss@b.org")  # an admin passes every role check
    client = app.test_client()
    login(client, "boss@b.org")
    return client


def routes_with_ids(app):
    for rule in app.url_map.iter_rules():
        # The patient's pages take a private token, not an id: the token is the key (test_portal_pages.py).
        if rule.arguments and rule.endpoint not in PUBLIC and not rule.endpoint.startswith("portal."):
            yield rule


def test_every_route_with_an_id_is_covered(catalog_app):
    app = catalog_app
    unknown = {(r.rule, a) for r in routes_with_ids(app) for a in r.arguments if a not in ARGUMENTS}
    assert not unknown, f"add these URL arguments to ARGUMENTS in {__file__}: {sorted(unknown)}"


def test_other_clinic_gets_404_on_every_route_with_an_id(catalog_app, clinic_a, intruder):
    app = catalog_app
    checked = 0
    for rule in routes_with_ids(app):
        values = {a: ARGUMENTS[a](clinic_a) for a in rule.arguments}
        path = rule.rule
        for name, value in values.items():
            path = path.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = intruder.open(path, method=method)
            assert response.status_code == 404, f"{method} {path} gave {response.status_code}"
            assert "Alice Private" not in response.get_data(as_text=True)
            checked += 1
    assert checked >= 30


def test_patient_list_shows_only_own_clinic(clinic_a, intruder):
    html = intruder.get("/patients?status=all&q=alice").get_data(as_text=True)
    assert "Alice Private" not in html
