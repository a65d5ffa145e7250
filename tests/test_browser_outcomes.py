"""On a phone (390 × 844, no JavaScript needed): the patient answers a questionnaire one question a
screen with big buttons, stops half way and goes on; the therapist sees the timeline."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from planner.services import patient_links, toxin_cycle
from planner.services import questionnaires as q
from tests.browser import page_on, screenshot, served, sign_in
from tests.factories import make_clinic, make_patient, make_user
from tests.reminder_factories import make_program

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
MIN_TARGET = 44  # CSS pixels, WCAG 2.5.5


def test_the_phone_questionnaire_with_shaky_hands_and_the_therapists_timeline(chromium, app, db):
    now = datetime.now(UTC)
    today = now.date()
    clinic = make_clinic(db, "Phone Clinic", timezone="UTC")
    therapist = make_user(db, clinic, email="t@phone.org")
    patient = make_patient(db, clinic, "Zoë Ångström", primary_therapist_id=therapist.id)
    make_program(db, patient, therapist.id, now, start=today - timedelta(days=60), interval=42)
    q.schedule(db, patient, ["psfs", "pain"], 14, today, today, now)
    toxin_cycle.follow_cycle(db, patient, True, 5, 11, now)
    for days in (100, 10):
        data = toxin_cycle.InjectionData(today - timedelta(days=days), [toxin_cycle.Dose("Splenius capitis", 60, 40)])
        toxin_cycle.record_injection(db, patient, data, today, now)
    _, token = patient_links.create_link(db, patient, app.secret_key, now)
    db.commit()
    app.config["WTF_CSRF_ENABLED"] = True

    with served(app) as base, page_on(chromium, PHONE, javascript=False) as page:
        page.goto(f"{base}/p/{token}")
        page.get_by_role("link", name=re.compile("questions for you")).click()
        expect(page.get_by_text("Question 1", exact=True)).to_be_visible()
        page.get_by_role("textbox", name=re.compile("Name an activity")).fill("Lire le journal")
        page.get_by_role("button", name="Save and go on").click()
        expect(page.get_by_text("Saved: “Lire le journal”.")).to_be_visible()
        page.get_by_role("button", name="I have no more to add").click()

        expect(page.get_by_text("How well can you do this activity now: Lire le journal?")).to_be_visible()
        buttons = page.locator(".rating button")
        expect(buttons).to_have_count(11)
        for n in range(11):
            box = buttons.nth(n).bounding_box()
            assert box["width"] >= MIN_TARGET and box["height"] >= MIN_TARGET, (n, box)
            assert (
                box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
            )  # all on the screen, no scrolling sideways
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert page.locator("input[type=range]").count() == 0
        screenshot(page, "outcomes-phone-rating.png")
        buttons.nth(6).click()
        expect(page.get_by_text("Saved: 6 out of 10.")).to_be_visible()
        expect(page.get_by_text("How strong is your pain right now?")).to_be_visible()

        # The patient puts the phone down and opens the link again later: on from where they stopped.
        page.goto(f"{base}/p/{token}")
        page.get_by_role("link", name="Go on with your questions").click()
        expect(page.get_by_text("How strong is your pain right now?")).to_be_visible()
        page.locator(".rating button").nth(3).click()
        page.locator(".rating button").nth(5).click()
        expect(page.get_by_text("Thank you. All your answers are saved.")).to_be_visible()
        screenshot(page, "outcomes-phone-done.png")

    with served(app) as base, page_on(chromium, {"width": 1280, "height": 900}, javascript=False) as page:
        sign_in(page, base, "t@phone.org")
        page.goto(f"{base}/patients/{patient.id}")
        timeline = page.locator("svg.timeline")
        expect(timeline).to_be_visible()
        assert timeline.locator("circle title").filter(has_text="Injection").count() == 2
        assert timeline.locator("path title").count() == 4  # peak and before-next checks of each cycle
        expect(page.get_by_role("cell", name="Splenius capitis: left 60 U, right 40 U").first).to_be_visible()
        page.locator("#between-h").scroll_into_view_if_needed()
        timeline.screenshot(path=str(screenshot(page, "outcomes-patient-page.png").with_name("outcomes-timeline.png")))
