"""Every action the app records in the audit log is one the log's filter offers, so an
administrator who filters by it finds the entry (the exercise-reminders form once recorded
"change", which the filter did not list: migration 0030 files those entries under "update")."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from markupsafe import escape
from sqlalchemy import select

from planner.models import AuditEntry
from planner.services import audit, program_items, programs, toxin_cycle
from planner.services.catalog import get_exercise
from planner.services.toxin_cycle import Dose, InjectionData
from tests.conftest import login
from tests.factories import give, make_clinic, make_patient, make_user


def offered(html: str) -> set[str]:
    select_ = re.search(r'<select[^>]*name="action".*?</select>', html, re.S)
    assert select_ is not None
    return set(re.findall(r'<option[^>]*value="([^"]*)"', select_.group(0))) - {""}


def test_every_action_recorded_by_the_pages_and_forms_is_one_the_filter_finds(catalog_app, catalog_db, now):
    app: Flask = catalog_app
    db = catalog_db
    clinic = make_clinic(db, "Audit Clinic", timezone="UTC")
    make_user(db, clinic, email="t@audit.org")
    make_user(db, clinic, role="admin", email="boss@audit.org")
    patient = make_patient(db, clinic, "Zoë Ångström", email="zoe@example.org")
    program = programs.create_program(
        db, patient, programs.ProgramDetails("Neck", now.date() - timedelta(days=3)), None, now
    )
    program_items.add_item(db, program, get_exercise(db, clinic.id, "chin-tuck-sitting"), None, now)
    give(db, program, now)
    injection = toxin_cycle.record_injection(
        db, patient, InjectionData(now.date(), [Dose("sternocleidomastoid", 50, None)]), now.date(), now
    )
    db.commit()
    staff = app.test_client()
    login(staff, "t@audit.org")
    # The pages a therapist reads, then the forms that change a patient's record.
    for path in ("/dashboard", "/patients", f"/patients/{patient.id}", f"/programs/{program.id}"):
        assert staff.get(path).status_code == 200, path
    reminders = f"/patients/{patient.id}/exercise-reminders"
    assert staff.post(f"/patients/{patient.id}/link").status_code == 302
    on = {"consent": "y", "send_time": "07:30", "turn_on": "1"}
    assert staff.post(reminders, data=on).status_code == 302
    assert staff.post(reminders, data={"turn_off": "1"}).status_code == 302
    assert staff.post(f"/injections/{injection.id}/delete").status_code == 302
    assert staff.post(f"/programs/{program.id}/archive", data={}).status_code in (200, 302)

    db.expire_all()
    recorded = {e.action: e for e in db.scalars(select(AuditEntry).where(AuditEntry.clinic_id == clinic.id))}
    # The walk reached the forms whose entries the filter missed before.
    assert {"list", "view", "update", "delete", "share"} <= set(recorded)
    admin = app.test_client()
    login(admin, "boss@audit.org")
    choices = offered(admin.get("/admin/audit").get_data(as_text=True))
    assert set(recorded) <= choices, f"recorded but not offered: {set(recorded) - choices}"
    for action, entry in recorded.items():
        html = admin.get("/admin/audit", query_string={"action": action}).get_data(as_text=True)
        assert "No entries match." not in html, action
        assert f"<td>{escape(entry.detail)}</td>" in html, action
    reminder_rows = admin.get("/admin/audit", query_string={"action": "update"}).get_data(as_text=True)
    assert "exercise reminders on at 07:30" in reminder_rows and "exercise reminders off" in reminder_rows


def test_an_action_the_filter_does_not_offer_is_refused(db, now):  # noqa: ANN001
    clinic = make_clinic(db)
    user = make_user(db, clinic)
    with pytest.raises(ValueError, match="change"):
        audit.record(db, user, "change", "patient", 1, patient_id=1)
    with pytest.raises(ValueError, match="change"):
        audit.record_command(db, clinic.id, "change", "patient", 1, patient_id=1)
