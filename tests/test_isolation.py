"""Clinic isolation: nobody of clinic B reaches clinic A's data through any URL that takes an id."""

from __future__ import annotations

import pytest

from tests.conftest import login
from tests.factories import make_clinic, make_patient, make_user

# How to fill each kind of URL argument with an object of clinic A. A new route with an
# argument not listed here fails the test below: add it, so no route escapes this check.
ARGUMENTS = {
    "patient_id": lambda a: a["patient"].id,
    "user_id": lambda a: a["user"].id,
}
PUBLIC = {"static"}


@pytest.fixture
def clinic_a(db):
    clinic = make_clinic(db, "Clinic A")
    return {"clinic": clinic, "user": make_user(db, clinic, email="a@a.org"),
            "patient": make_patient(db, clinic, "Alice Private", notes="A's secret note")}


@pytest.fixture
def intruder(app, db):
    clinic = make_clinic(db, "Clinic B")
    make_user(db, clinic, role="admin", email="boss@b.org")  # an admin passes every role check
    client = app.test_client()
    login(client, "boss@b.org")
    return client


def routes_with_ids(app):
    for rule in app.url_map.iter_rules():
        if rule.arguments and rule.endpoint not in PUBLIC:
            yield rule


def test_every_route_with_an_id_is_covered(app):
    unknown = {(r.rule, a) for r in routes_with_ids(app) for a in r.arguments if a not in ARGUMENTS}
    assert not unknown, f"add these URL arguments to ARGUMENTS in {__file__}: {sorted(unknown)}"


def test_other_clinic_gets_404_on_every_route_with_an_id(app, clinic_a, intruder):
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
    assert checked >= 8


def test_patient_list_shows_only_own_clinic(clinic_a, intruder):
    html = intruder.get("/patients?status=all&q=alice").get_data(as_text=True)
    assert "Alice Private" not in html
