"""On a phone-sized screen: the patient ticks two exercises and rates pain."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from planner.dystonia.pattern import PatternEntry
from planner.models import ProgramItem, ProgramTemplate
from planner.models.portal import DayReport, ExerciseLog
from planner.services import patient_links, program_templates, recorded_patterns
from tests.browser import page_on, screenshot, served, sign_in
from tests.factories import give, make_clinic, make_patient, make_user

pytestmark = pytest.mark.browser


def in_view(locator) -> None:  # noqa: ANN001
    """The element is wholly inside the phone's screen, where the patient is looking: waited for,
    as the browser scrolls to the page's anchor once it has laid the page out (read at once, it
    failed under load)."""
    expect(locator).to_be_in_viewport(ratio=1)


@pytest.fixture
def phone_patient(catalog_app, catalog_db):
    """A patient with the writer's cramp program and a private link; the token."""
    now = datetime.now(UTC)
    clinic = make_clinic(catalog_db, "Phone Clinic", timezone="UTC")
    therapist = make_user(catalog_db, clinic, email="t@phone.org")
    patient = make_patient(
        catalog_db, clinic, "Elena Petrova", preferred_name="Elena", primary_therapist_id=therapist.id
    )
    # Writer's cramp of the right hand recorded: its hand exercises take that side (unset they wait).
    recorded_patterns.record_pattern(
        catalog_db, patient, PatternEntry(areas=["hand_arm_right"]), now.date() - timedelta(days=3), therapist.id, now
    )
    template = catalog_db.scalars(select(ProgramTemplate).where(ProgramTemplate.slug == "shipped-writers-cramp")).one()
    program = program_templates.start_from_template(
        catalog_db, template, patient, therapist.id, now.date() - timedelta(days=3), now
    ).program
    # Every exercise every day, so the counts do not depend on the weekday the test runs on
    # (rest days have their own test in test_frequency.py).
    for item in program.items:
        item.dosage = {**item.dosage, "days_per_week": 7}
    give(catalog_db, program, now)
    _, token = patient_links.create_link(catalog_db, patient, catalog_app.secret_key, now)
    catalog_db.commit()
    catalog_app.config["WTF_CSRF_ENABLED"] = True
    return token


def test_patient_ticks_two_exercises_and_rates_pain_on_a_phone(chromium, catalog_app, catalog_db, phone_patient):
    token = phone_patient
    # every time of every exercise today (all are due every day here), for the page's count
    times = sum(max(1, int(i.dosage.get("times_per_day") or 1)) for i in catalog_db.scalars(select(ProgramItem)))
    with served(catalog_app) as base, page_on(chromium, {"width": 390, "height": 844}) as page:
        page.goto(f"{base}/p/{token}")
        expect(page.get_by_role("heading", name="Hello, Elena")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
        buttons = page.get_by_role("button", name=re.compile("^I did"))
        box = buttons.first.bounding_box()
        assert box["height"] >= 48 and box["width"] >= 300  # big enough for a shaky hand
        # Tendon glides are done 2 times a day: a box for each, and the exercise is done after the second.
        second = page.locator("li.exercise").nth(1)
        second.get_by_role("button", name="I did it: time 1 of 2").scroll_into_view_if_needed()
        y = page.evaluate("window.scrollY")
        second.get_by_role("button", name="I did it: time 1 of 2").click()
        saved = second.locator(".saved")
        expect(saved).to_have_text("Saved: 1 of 2 times done today.")  # inside the exercise tapped, not at the top
        in_view(saved)
        assert abs(page.evaluate("window.scrollY") - y) < 200  # no jump
        expect(second.locator(".times")).to_have_text("Done 1 of 2 times today.")
        expect(page.get_by_text(f"1 of {times} times done today.")).to_be_attached()  # the first of two counts
        # Later that day (a tap on the next time within seconds is a shaky repeat and counts for nothing).
        catalog_db.execute(update(ExerciseLog).values(created_at=datetime.now(UTC) - timedelta(hours=4)))
        catalog_db.commit()
        second.get_by_role("button", name="I did it: time 2 of 2").click()
        expect(second.locator(".done-mark").nth(1)).to_have_text("✓ Time 2 of 2: done")
        expect(page.get_by_text(f"2 of {times} times done today.")).to_be_attached()
        page.locator("li.exercise").nth(0).get_by_role("button", name="I did it: time 1 of 2").click()
        expect(page.locator("li.exercise").nth(0).locator(".saved")).to_have_text("Saved: 1 of 2 times done today.")
        expect(page.locator(".saved")).to_have_count(1)  # the older confirmation is gone
        expect(page.get_by_text(f"3 of {times} times done today.")).to_be_attached()
        page.locator(".scale label").filter(has_text=re.compile("^4$")).click()
        page.get_by_label("About right").check()
        page.get_by_label("Anything to tell your therapist? (optional)").fill("Writing felt easier today.")
        page.get_by_role("button", name="Save").click()
        saved = page.locator("#how .saved")
        expect(saved).to_have_text("Saved: pain 4 out of 10, exercises about right and your note.")
        in_view(saved)
        in_view(page.get_by_role("button", name="Save"))
        expect(page.locator("#portal-status")).to_have_text(re.compile("^Saved: pain 4 out of 10"))
        screenshot(page, "portal-phone-saved.png")
        page.goto(f"{base}/p/{token}")
        screenshot(page, "portal-phone.png")
    assert sorted(log.times for log in catalog_db.scalars(select(ExerciseLog))) == [1, 2]
    report = catalog_db.scalars(select(DayReport)).one()
    assert (report.pain, report.difficulty, report.comment) == (4, "right", "Writing felt easier today.")


def test_without_javascript_the_confirmation_is_inside_the_section_used(
    chromium, catalog_app, catalog_db, phone_patient
):
    token = phone_patient
    with served(catalog_app) as base, page_on(chromium, {"width": 390, "height": 844}, javascript=False) as page:
        page.goto(f"{base}/p/{token}")
        third = page.locator("li.exercise").nth(2)
        exercise_id = third.get_attribute("id")
        third.get_by_role("button", name=re.compile("^I did this")).click()
        assert page.url.endswith(f"#{exercise_id}-tick")  # back at the exercise's tick, not the top of the page
        saved = page.locator(f"#{exercise_id} .saved")
        expect(saved).to_have_text("Saved: done today.")
        in_view(saved)
        expect(page.locator(".saved")).to_have_count(1)
        page.locator(".scale label").filter(has_text=re.compile("^7$")).click()
        page.get_by_role("button", name="Save").click()
        assert page.url.endswith("#how-saved")
        saved = page.locator("#how .saved")
        expect(saved).to_have_text("Saved: pain 7 out of 10.")
        in_view(saved)
        in_view(page.get_by_role("button", name="Save"))
        page.screenshot(path=str(screenshot(page, "portal-phone-saved-no-js.png")))  # what the patient sees


def test_therapist_sees_the_link_and_a_scannable_qr_code(chromium, catalog_app, catalog_db):
    """The QR code is drawn without inline styles, so the Content-Security-Policy leaves it intact."""

    clinic = make_clinic(catalog_db, "QR Clinic")
    make_user(catalog_db, clinic, email="qr@clinic.org")
    patient = make_patient(catalog_db, clinic, "Jonas Berg")
    catalog_app.config["WTF_CSRF_ENABLED"] = True
    with served(catalog_app) as base, page_on(chromium, {"width": 1000, "height": 800}) as page:
        errors = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        sign_in(page, base, "qr@clinic.org")
        page.goto(f"{base}/patients/{patient.id}")
        page.get_by_role("link", name="Private link and QR code").click()
        page.get_by_role("button", name="Create the link").click()
        qr = page.get_by_role("img", name="QR code of the patient's link")
        box = qr.bounding_box()
        assert box["width"] >= 200 and box["height"] >= 200
        url = page.get_by_label("The link").input_value()
        assert url.startswith(base + "/p/")
        screenshot(page, "portal-link.png")
        assert not [e for e in errors if "Content Security Policy" in e], errors
