"""First run: with no account, every page leads to the set-up page; afterwards it is gone."""

from __future__ import annotations

from sqlalchemy import select

from planner.models import Clinic, User

SETUP = {
    "clinic_name": "Sunrise Physio",
    "address": "1 Main Street",
    "phone": "555-0100",
    "clinic_email": "",
    "timezone": "Europe/Paris",
    "admin_name": "Ann Admin",
    "admin_email": "Ann@Example.org",
    "password": "correct horse battery",
    "confirm": "correct horse battery",
}


def test_every_page_leads_to_setup_when_no_account(client):
    for path in ["/", "/patients", "/login", "/admin/users", "/patients/1"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.location.endswith("/setup"), path
    assert client.get("/setup").status_code == 200


def test_setup_creates_clinic_and_admin_then_disappears(client, db):
    response = client.post("/setup", data=SETUP)
    assert response.status_code == 302
    assert response.location.endswith("/patients")
    clinic = db.scalars(select(Clinic)).one()
    assert (clinic.name, clinic.timezone, clinic.phone) == ("Sunrise Physio", "Europe/Paris", "555-0100")
    admin = db.scalars(select(User)).one()
    assert (admin.email, admin.role, admin.clinic_id) == ("ann@example.org", "admin", clinic.id)
    # Signed in straight away.
    assert client.get("/patients").status_code == 200
    assert client.get("/setup").status_code == 404
    client.post("/logout")
    assert client.get("/setup").status_code == 404
    assert client.post("/setup", data=SETUP).status_code == 404


def test_setup_errors_show_next_to_fields_and_keep_input(client, db):
    bad = {**SETUP, "timezone": "Mars/Olympus", "confirm": "something else", "admin_email": "not-an-email"}
    response = client.post("/setup", data=bad)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Unknown time zone “Mars/Olympus”" in html
    assert "The two passwords differ." in html
    assert "Enter a valid email address." in html
    assert 'value="Sunrise Physio"' in html  # what was typed is kept
    assert db.scalars(select(User)).first() is None


def test_setup_refuses_too_long_clinic_name(client):
    html = client.post("/setup", data={**SETUP, "clinic_name": "x" * 121}).get_data(as_text=True)
    assert "Clinic name is too long: at most 120 characters. It has" in html
