"""In a real browser: a number typed with a comma reaches the server as typed (saved, or refused at the field)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from planner.models import MeasureValue
from tests.browser import browser_page, screenshot, served, sign_in
from tests.conftest import build_app
from tests.factories import make_clinic, make_patient, make_user
from tests.reminder_factories import make_program
from tests.test_evaluations_pages import DECIMALS

pytestmark = pytest.mark.browser


def test_typing_12_comma_5_in_twstrs_saves_12_5(tmp_path):
    app = build_app(tmp_path, csrf=True)
    db = app.extensions["db_sessionmaker"]()
    clinic = make_clinic(db, "Comma Clinic")
    therapist = make_user(db, clinic, email="t@comma.org")
    patient = make_patient(db, clinic, "Lena Brandt", primary_therapist_id=therapist.id)
    program = make_program(db, patient, therapist.id, datetime.now(UTC), start=date(2026, 1, 5))
    with served(app) as base, browser_page({"width": 1000, "height": 900}) as page:
        sign_in(page, base, "t@comma.org")
        page.goto(f"{base}/programs/{program.id}/evaluations/new")
        field = page.get_by_label("TWSTRS severity (points)")
        # The browser's own check of the field agrees with the server on every case.
        for typed, saved in DECIMALS:
            field.fill(typed)
            assert field.evaluate("el => el.validity.valid") == (saved is not None), typed
        page.get_by_label("Date of the re-evaluation").fill("2026-02-10")
        field.fill("")
        field.press_sequentially("12,5")
        assert field.input_value() == "12,5"  # a number box would have dropped it
        screenshot(page, "evaluation-decimal-comma.png")
        page.get_by_role("button", name="Save", exact=True).click()
        page.wait_for_url(re.compile(rf"/patients/{patient.id}\b"))
        # A whole-number field keeps a comma too, so the server can refuse it: a number box made "4,5" into 45.
        page.goto(f"{base}/programs/{program.id}")
        days = page.get_by_label("Re-evaluate every (days)")
        days.fill("")
        days.press_sequentially("4,5")
        assert days.input_value() == "4,5" and not days.evaluate("el => el.validity.valid")
    db.expire_all()
    assert db.scalars(select(MeasureValue.value).where(MeasureValue.measure == "twstrs_severity")).one() == 12.5
    db.close()
    app.extensions["db_engine"].dispose()
