"""In a real browser: the dashboard and a patient's trend charts, readable without JavaScript."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from planner.services import evaluations
from planner.services.evaluations import EvaluationData
from tests.browser import browser_page, screenshot, served, sign_in
from tests.conftest import build_app
from tests.factories import make_clinic, make_patient, make_user
from tests.reminder_factories import make_program

pytestmark = pytest.mark.browser


def test_dashboard_and_trend_chart(tmp_path):
    app = build_app(tmp_path, csrf=True)
    db = app.extensions["db_sessionmaker"]()
    now = datetime.now(UTC)
    today = now.date()
    clinic = make_clinic(db, "Harbour Physio", timezone="UTC")
    me = make_user(db, clinic, email="sam@harbour.org", name="Sam Rivera")
    rows = [
        ("Maria Lopez", -4, "Cervical dystonia home program"),
        ("Jonas Berg", 2, "Blepharospasm and face"),
        ("Aiko Tanaka", 5, "Writer's cramp"),
        ("Olga Ivanova", 24, "Posture at work"),
    ]
    for name, days, title in rows:
        patient = make_patient(db, clinic, name, primary_therapist_id=me.id, phone="555-0142")
        program = make_program(
            db,
            patient,
            me.id,
            now - timedelta(days=120),
            start=today - timedelta(days=120),
            on=today + timedelta(days=days),
            title=title,
        )
        if name == "Maria Lopez":
            maria, maria_program = patient, program
    for weeks, severity, disability, rotation in [
        (16, 27, 19, 35),
        (12, 24, 17, 44),
        (8, 22, 14, 52),
        (4, 19, 12, 58),
        (1, 17.5, 10, 63),
    ]:
        evaluations.record_evaluation(
            db,
            maria_program,
            EvaluationData(
                today - timedelta(weeks=weeks),
                "Head turns less to the left.",
                values={
                    "twstrs_severity": severity,
                    "twstrs_disability": disability,
                    "arom_cervical_rotation_left": rotation,
                },
            ),
            me.id,
            now,
        )
    maria_program.reeval_date = today - timedelta(days=4)
    db.commit()
    with served(app) as base, browser_page() as page:
        sign_in(page, base, "sam@harbour.org", "a long test password")
        assert page.url.endswith("/dashboard")
        expect(page.get_by_role("heading", name="Overdue (1)")).to_be_visible()
        expect(page.get_by_role("heading", name="Due this week (2)")).to_be_visible()
        screenshot(page, "reminders-dashboard.png")
        page.get_by_role("link", name="Maria Lopez").first.click()
        chart = page.get_by_role("img", name="TWSTRS severity: from 27")
        expect(chart).to_be_visible()
        page.get_by_role("heading", name="Evaluations", exact=True).scroll_into_view_if_needed()
        screenshot(page, "patient-trends.png")
        page.get_by_role("link", name="Record a re-evaluation").click()
        page.get_by_label("TWSTRS severity (points)").fill("40")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_text("TWSTRS severity: enter a value from 0 to 35 points.")).to_be_visible()
        assert page.get_by_label("TWSTRS severity (points)").input_value() == "40"
        screenshot(page, "evaluation-out-of-range.png")
    db.close()
    app.extensions["db_engine"].dispose()
    del maria
