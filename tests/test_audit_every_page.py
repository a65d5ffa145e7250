"""Every page that shows a patient's data records one view in the audit log (issue #15: "every view
of patient data recorded"). The test walks every GET route of the app (app.url_map), so a page
added later is walked too, with a real patient, program, version, exercise, injection and feed."""

from __future__ import annotations

from flask import Flask, url_for
from sqlalchemy import func, select

from planner.models import AuditEntry, Program
from planner.services import audit, calendar_feed, toxin_cycle
from planner.services.toxin_cycle import Dose, InjectionData
from tests.conftest import login
from tests.factories import give, make_clinic, make_patient, make_user, with_exercise

# Pages opened by the patient's link holder (no staff user to record) or with no patient data.
NOT_STAFF = ("/p/", "/static/", "/login", "/setup", "/healthz")
# The ids a route's URL can carry: each names a record of the patient walked, or of the clinic.
KNOWN = {"patient_id", "program_id", "item_id", "number", "injection_id", "user_id", "slug", "template_id", "token"}
# Routes whose ids all name a patient's records: each page answered must record one view.
PATIENT_IDS = {"patient_id", "program_id", "item_id", "number", "injection_id"}


def views(db) -> int:  # noqa: ANN001
    db.expire_all()
    return db.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action.in_(audit.VIEWS)))


def test_every_page_with_patient_data_records_one_view(app: Flask, db, now):  # noqa: ANN001
    clinic = make_clinic(db)
    therapist = make_user(db, clinic, email="pt@walk.org")
    make_user(db, clinic, role="admin", email="admin@walk.org")
    patient = make_patient(db, clinic, "Zofia Wąsowska")
    other = make_patient(db, clinic, "Ümit Okonkwo")  # the copy page offers her
    program = Program(clinic_id=clinic.id, patient_id=patient.id, title="Neck", start_date=now.date())
    db.add(program)
    db.flush()
    with_exercise(db, program, now)
    give(db, program, now)
    item_id = program.items[0].id
    injection = toxin_cycle.record_injection(
        db,
        patient,
        InjectionData(injected_on=now.date(), doses=[Dose("sternocleidomastoid", 50, None)]),
        now.date(),
        now,
    )
    feed_token = calendar_feed.create_feed(db, therapist, now)
    db.commit()
    ids = {
        "patient_id": patient.id,
        "program_id": program.id,
        "item_id": item_id,
        "number": 1,
        "injection_id": injection.id,
        "user_id": therapist.id,
        "template_id": 0,
        "slug": "no-such-exercise",
        "token": feed_token,
    }
    staff = app.test_client()
    login(staff, "pt@walk.org")
    administrator = app.test_client()
    login(administrator, "admin@walk.org")
    names = (patient.name, other.name)

    unrecorded, recorded_twice, walked = [], [], []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.rule.startswith(NOT_STAFF):
            continue
        assert set(rule.arguments) <= KNOWN, f"{rule.rule}: a new kind of id; say whose data it names"
        client = administrator if rule.rule.startswith("/admin") else staff
        with app.test_request_context():
            url = url_for(rule.endpoint, **{a: ids[a] for a in rule.arguments})
        before = views(db)
        answer = client.get(url)
        if answer.status_code != 200:
            continue
        body = answer.get_data()
        shows_patient = any(n.encode() in body for n in names) or bool(set(rule.arguments) & PATIENT_IDS)
        if not shows_patient:
            continue
        walked.append(rule.rule)
        made = views(db) - before
        if made == 0:
            unrecorded.append(rule.rule)
        elif made > 1:
            recorded_twice.append(rule.rule)
    assert not unrecorded, "pages that record no view: " + ", ".join(unrecorded)
    assert not recorded_twice, "pages that record more than one: " + ", ".join(recorded_twice)
    # The walk reached the patient's pages (a broken fixture would pass it empty).
    assert {"/patients/<int:patient_id>", "/programs/<int:program_id>/copy", "/patients"} <= set(walked)
