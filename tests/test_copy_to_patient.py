"""Copy a program to any patient of the clinic (trial 15 F3: the page offered the first 1,000
patients by name and refused every other): the therapist finds the patient by name, with a
plain form that needs no script; a patient of another clinic is refused with a clear message.
On SQLite and on PostgreSQL."""

from __future__ import annotations

import re

from sqlalchemy import select

from planner.models import Program
from planner.services import patients
from planner.services.patients import PatientData
from tests.conftest import login
from tests.factories import make_clinic, make_patient, make_user, with_exercise


def a_program(db, now):  # noqa: ANN001, ANN201
    clinic = make_clinic(db, "Big Clinic")
    make_user(db, clinic, email="pt@copy.org")
    own = make_patient(db, clinic, "Aaron Abel")
    program = Program(clinic_id=clinic.id, patient_id=own.id, title="Neck", start_date=now.date())
    db.add(program)
    db.flush()
    with_exercise(db, program, now)
    db.commit()
    return clinic, program


def offered(html: str) -> list[str]:
    return re.findall(r'<label for="patient-\d+"><bdi>([^<]+)</bdi>', html)


def test_any_patient_of_a_big_clinic_can_be_found_and_copied_to(now, app_both, db_both):
    app, db = app_both, db_both
    clinic, program = a_program(db, now)
    for n in range(1005):  # more than the 1,000 the page used to offer, all before her by name
        patients.create_patient(db, clinic.id, PatientData(name=f"Berg {n:04d}"))
    zoe = make_patient(db, clinic, "Zoë Zimmermann")
    client = app.test_client()
    login(client, "pt@copy.org")

    page = client.get(f"/programs/{program.id}/copy").get_data(as_text=True)
    assert 'name="q"' in page and offered(page) == []  # a search field, nothing listed yet
    found = client.get(f"/programs/{program.id}/copy?q=zimmer").get_data(as_text=True)
    assert offered(found) == ["Zoë Zimmermann"]
    many = client.get(f"/programs/{program.id}/copy?q=berg").get_data(as_text=True)
    assert len(offered(many)) == 20 and "More patients match" in many

    copied = client.post(f"/programs/{program.id}/copy?q=zimmer", data={"patient": zoe.id})
    assert copied.status_code == 302
    assert db.scalars(select(Program.title).where(Program.patient_id == zoe.id)).all() == ["Neck"]


def test_a_patient_of_another_clinic_is_refused_with_a_clear_message(now, app_both, db_both):
    app, db = app_both, db_both
    _clinic, program = a_program(db, now)
    stranger = make_patient(db, make_clinic(db, "Other Clinic"), "Sam Stranger")
    client = app.test_client()
    login(client, "pt@copy.org")
    refused = client.post(f"/programs/{program.id}/copy?q=sam", data={"patient": stranger.id})
    assert refused.status_code == 200
    html = refused.get_data(as_text=True)
    assert "That patient is not one of your clinic&#39;s patients. Find the patient by name." in html
    assert "Sam Stranger" not in html and offered(html) == []
    assert db.scalars(select(Program).where(Program.patient_id == stranger.id)).all() == []
    own = client.post(f"/programs/{program.id}/copy", data={"patient": program.patient_id})
    assert "The program is already this patient&#39;s. Choose another patient." in own.get_data(as_text=True)
