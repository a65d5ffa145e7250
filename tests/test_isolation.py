"""Clinic isolation: nobody of clinic B reaches clinic A's data through any URL that takes an id.

And no id from outside, however wrong (in a URL, a query string or a form field), breaks a page:
it is a 404 (JSON under /api/) or an error at the field, never a 500.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from planner.models import Exercise, OutboxMessage, PainAlert, Patient, Program
from planner.scoping import get_scoped
from planner.services import (
    NotFound,
    advice,
    api_tokens,
    issuing,
    program_items,
    program_templates,
    programs,
    toxin_cycle,
)
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
    "choice": lambda a: "keep",
    "template_id": lambda a: a["template"].id,
    "outbox_id": lambda a: a["email"].id,
    "token": lambda a: "not-anyones-calendar-token",  # the feed is found by its secret, never by an id
    "advice_id": lambda a: a["advice"].id,
    "alert_id": lambda a: a["alert"].id,
    "token_id": lambda a: a["api_token"].id,
    "injection_id": lambda a: a["injection"].id,
}
PUBLIC = {"static"}
NOW = datetime(2026, 1, 5, tzinfo=UTC)
# Ids no row can have: one and two past a signed 64-bit integer, negative, 30 digits.
IMPOSSIBLE_IDS = [2**63, 2**64, -1, 10**29]


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
    program_items.add_item(db, program, get_exercise(db, clinic.id, "chin-tuck-sitting"), None, NOW)
    program_items.add_item(db, program, exercise, None, NOW)
    issuing.issue(db, program, None, "print", NOW)
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
    injection = toxin_cycle.record_injection(
        db,
        patient,
        toxin_cycle.InjectionData(
            date(2026, 1, 5), [toxin_cycle.Dose("Alice Private muscle", 10)], "", "Alice Private"
        ),
        NOW.date(),
        NOW,
    )
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
        "injection": injection,
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


@pytest.fixture
def owner(catalog_app, catalog_db, clinic_a):
    """Clinic A's administrator: every id of clinic A is theirs to open."""
    make_user(catalog_db, clinic_a["clinic"], role="admin", email="boss@a.org")
    client = catalog_app.test_client()
    login(client, "boss@a.org")
    return client


def url_of(rule, values: dict) -> str:  # noqa: ANN001
    path = rule.rule
    for name, value in values.items():
        path = path.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
    return path


def test_other_clinic_gets_404_on_every_route_with_an_id(catalog_app, clinic_a, intruder):
    app = catalog_app
    checked = 0
    for rule in routes_with_ids(app):
        path = url_of(rule, {a: ARGUMENTS[a](clinic_a) for a in rule.arguments})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = intruder.open(path, method=method)
            assert response.status_code == 404, f"{method} {path} gave {response.status_code}"
            assert "Alice Private" not in response.get_data(as_text=True)
            checked += 1
    assert checked >= 30


def test_an_id_no_row_can_have_is_404_on_every_route(catalog_app, clinic_a, owner):
    """Each id of each route in turn is 2**63, 2**64, -1 or 30 digits; the others are the owner's own."""
    checked, routes = 0, set()
    for rule in routes_with_ids(catalog_app):
        ids = [a for a in rule.arguments if f"<int:{a}>" in rule.rule]
        own = {a: ARGUMENTS[a](clinic_a) for a in rule.arguments}
        if ids and "GET" in rule.methods:  # the owner opens the real URL: the 404 below is the id's doing
            assert owner.get(url_of(rule, own)).status_code != 404, rule.rule
        for name in ids:
            for bad in IMPOSSIBLE_IDS:
                path = url_of(rule, {**own, name: bad})
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    response = owner.open(path, method=method)
                    assert response.status_code == 404, f"{method} {path} gave {response.status_code}"
                    if path.startswith("/api/"):
                        assert response.is_json and response.json["error"], f"{method} {path} is not JSON"
                    routes.add(rule.rule)
                    checked += 1
    assert len(routes) >= 28 and checked >= 4 * len(routes)


def test_patient_list_shows_only_own_clinic(clinic_a, intruder):
    html = intruder.get("/patients?status=all&q=alice").get_data(as_text=True)
    assert "Alice Private" not in html


# Numbers typed into a query string or sent in a form field that no row can have, or no number at all.
BAD_NUMBERS = [str(2**63), str(2**64), "-1", str(10**29), "abc", "1e3", "١٢"]
LOCK = "lock_version"


# (what, method, path, form data): {bad} is where the bad number goes.
NUMBERS_FROM_OUTSIDE = [
    ("audit log: patient filter", "GET", "/admin/audit?patient={bad}", None),
    ("audit log: older", "GET", "/admin/audit?older={bad}", None),
    ("audit log: newer", "GET", "/admin/audit?newer={bad}", None),
    ("audit log: who", "GET", "/admin/audit?user={bad}", None),
    ("patient list: after", "GET", "/patients?after={bad}", None),
    ("patient list: before", "GET", "/patients?before={bad}", None),
    ("dashboard list: after", "GET", "/dashboard/due?group=overdue&after={bad}", None),
    ("catalog: page", "GET", "/catalog?page={bad}", None),
    ("catalog: difficulty", "GET", "/catalog?difficulty={bad}", None),
    ("API catalog: page", "GET", "/api/v1/exercises?page={bad}", None),
    ("versions: from", "GET", "/programs/{program}/versions?from={bad}", None),
    ("builder: add, exercise", "POST", "/programs/{program}/items", {"exercise": "{bad}", LOCK: "{lock}"}),
    ("builder: add, lock", "POST", "/programs/{program}/items", {"exercise": "chin-tuck-sitting", LOCK: "{bad}"}),
    ("builder: details, lock", "POST", "/programs/{program}/details", {"title": "T", "start_date": "2026-01-05", LOCK: "{bad}"}),
    ("builder: dosage, lock", "POST", "/programs/{program}/items/{item}", {"item{item}-sets": "2", "item{item}-side": "", "item{item}-lock_version": "{bad}"}),
    ("builder: move, lock", "POST", "/programs/{program}/items/{item}/move/down", {LOCK: "{bad}"}),
    ("builder: remove, lock", "POST", "/programs/{program}/items/{item}/remove", {LOCK: "{bad}"}),
    ("new program: template", "POST", "/patients/{patient}/programs/from-template", {"template": "{bad}", "start_date": "2026-01-05"}),
    ("copy: patient", "POST", "/programs/{program}/copy", {"patient": "{bad}"}),
    ("new patient: therapist", "POST", "/patients/new", {"name": "Bea Bad", "primary_therapist_id": "{bad}"}),
]  # fmt: skip


@pytest.mark.parametrize("what, method, path, data", NUMBERS_FROM_OUTSIDE, ids=[c[0] for c in NUMBERS_FROM_OUTSIDE])
def test_a_bad_number_from_outside_is_a_field_error_or_404_and_saves_nothing(
    catalog_db, clinic_a, owner, what, method, path, data
):
    program = clinic_a["program"]
    places = {"program": program.id, "item": program.items[0].id, "patient": clinic_a["patient"].id}

    def saved():  # noqa: ANN202
        catalog_db.expire_all()
        return program.lock_version, [i.exercise_id for i in program.items], catalog_db.query(Program).count()

    before = saved()
    for bad in BAD_NUMBERS:
        fill = {**places, "bad": bad, "lock": program.lock_version}
        form = {k.format(**fill): v.format(**fill) for k, v in data.items()} if data else None
        response = owner.open(path.format(**fill), method=method, data=form)
        assert response.status_code in (200, 302, 404, 422), f"{what} = {bad!r} gave {response.status_code}"
        assert saved() == before, f"{what} = {bad!r} changed the program"


def test_a_bad_patient_number_in_the_audit_filter_is_told_at_the_field(owner):
    html = owner.get(f"/admin/audit?patient={2**63}").get_data(as_text=True)
    assert "Enter the patient&#39;s number as digits, for example 12." in html


@pytest.mark.parametrize("bad", [str(2**63), "-1", "abc"])
def test_a_stale_or_forged_lock_version_says_to_reload(clinic_a, owner, bad):
    program = clinic_a["program"]
    response = owner.post(
        f"/programs/{program.id}/details", data={"title": "Changed", "start_date": "2026-01-05", LOCK: bad}
    )
    assert response.status_code == 422
    assert "This page was out of date. Reload it, then make your change again." in response.get_data(as_text=True)


def test_a_program_id_past_the_limit_on_the_command_line_is_a_usage_error(catalog_app):
    result = catalog_app.test_cli_runner().invoke(args=["handout", str(2**63), "-o", "-"])
    assert result.exit_code == 2 and "is not in the range 1<=x<=9223372036854775807" in result.output


@pytest.mark.parametrize("bad", [0, -1, 2**63, 10**29])
def test_the_scoped_lookup_finds_no_row_for_an_id_no_row_can_have(catalog_db, clinic_a, bad):
    with pytest.raises(NotFound):
        get_scoped(catalog_db, Patient, clinic_a["clinic"].id, bad)
