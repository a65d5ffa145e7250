"""In a real browser: first-run set-up, sign in, create a patient, find it in the list."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import page_on, screenshot, served, sign_in
from tests.conftest import build_app

pytestmark = pytest.mark.browser


def test_first_run_to_patient_list(chromium, tmp_path):
    app = build_app(tmp_path, csrf=True)  # a file-backed SQLite database, CSRF on as in production
    with served(app) as base, page_on(chromium) as page:
        page.goto(base + "/")
        assert page.url.endswith("/setup")
        page.get_by_label("Clinic name").fill("Lakeside Physio")
        page.get_by_label("Phone").fill("555-0123")
        page.get_by_label("Time zone").fill("Europe/Dublin")
        page.get_by_label("Your name").fill("Dana Admin")
        page.get_by_label("Your email").fill("dana@lakeside.org")
        page.get_by_label("Password", exact=True).fill("lakeside password")
        page.get_by_label("Password again").fill("lakeside password")
        page.get_by_role("button", name="Create the clinic").click()
        assert page.url.endswith("/patients")

        page.get_by_role("button", name="Sign out").click()
        page.goto(base + "/setup")
        assert "Page not found" in page.content()  # the first-run page is gone
        sign_in(page, base, "dana@lakeside.org", "lakeside password")
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()  # waits for the page

        page.get_by_role("link", name="Patients").click()
        page.get_by_role("link", name="Add a patient").click()
        page.get_by_label("Name", exact=True).fill("Miriam O’Hara")
        page.get_by_label("Date of birth (optional)").fill("1949-07-02")
        page.get_by_label("Large print on handouts").check()
        page.get_by_label("Cervical dystonia").check()
        page.get_by_label("Condition", exact=True).fill("Head turns to the right; worse when tired.")
        page.get_by_role("button", name="Add patient").click()
        expect(page.get_by_role("heading", name="Miriam O’Hara")).to_be_visible()

        page.get_by_role("link", name="Patients").click()
        page.get_by_label("Search by name").fill("miriam")
        page.get_by_role("button", name="Search").click()
        row = page.get_by_role("row").filter(has_text="Miriam O’Hara")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("Cervical dystonia")
        screenshot(page, "foundation-patient-list.png")
    app.extensions["db_engine"].dispose()


def test_pages_fit_at_200_percent_zoom(chromium, tmp_path):
    """At 200 % zoom a 1280-pixel window is 640 CSS pixels wide: nothing may need sideways scrolling."""
    from tests.factories import make_clinic, make_patient, make_user

    app = build_app(tmp_path)
    db = app.extensions["db_sessionmaker"]()
    clinic = make_clinic(db, "Zoom Clinic")
    make_user(db, clinic, role="admin", email="z@zoom.org")
    patient = make_patient(db, clinic, "Wilhelmina Zoomer-Featherstonehaugh", notes="A long note " * 40)
    with served(app) as base, page_on(chromium, {"width": 640, "height": 800}) as page:
        sign_in(page, base, "z@zoom.org")
        for path in [
            "/patients",
            "/patients/new",
            f"/patients/{patient.id}",
            f"/patients/{patient.id}/edit",
            "/admin/users",
            "/admin/audit",
            "/account/password",
            "/account/two-factor",
            "/account/two-factor/enrol",
            "/account/tokens",
            "/admin/two-factor",
        ]:
            page.goto(base + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 640, f"{path} is {width} px wide at 200 % zoom"
        page.goto(base + f"/patients/{patient.id}")
        screenshot(page, "foundation-patient-200-zoom.png")
    db.close()
    app.extensions["db_engine"].dispose()
