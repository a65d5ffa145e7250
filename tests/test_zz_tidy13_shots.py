"""Temporary (not committed): phone page screenshots for a moved sheet, en + es."""

import os
from datetime import timedelta

import pytest

from planner.services import pattern_recording, portal, programs
from planner.services.catalog import get_exercise
from tests.factories import give, make_patient
from tests.test_phone_after_reevaluation import AFTER, BEFORE, DAILY, place  # noqa: F401


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("scenario", ["all", "mixed"])
def test_shot(place, now, today, language, scenario):  # noqa: F811
    from tests.browser import browser_page, served

    db = place.db
    weeks_ago = now - timedelta(days=30)
    patient = make_patient(db, place.clinic, f"Ana {scenario} {language}", language=language)
    pattern_recording.record(db, patient, BEFORE, weeks_ago.date(), place.therapist.id, weeks_ago)
    program = programs.create_program(db, patient, programs.ProgramDetails("Cuello", weeks_ago.date()), None, weeks_ago)
    slugs = ["sensory-trick-cheek-touch", "neck-tilt-lying-hold"] + (["ankle-pumps"] if scenario == "mixed" else [])
    ids = [
        programs.add_item(
            db, program, get_exercise(db, place.clinic.id, s), None, weeks_ago, {**DAILY, "times_per_day": 3}
        ).exercise_id
        for s in slugs
    ]
    give(db, program, weeks_ago)
    _, token = portal.create_link(db, patient, place.app.secret_key, weeks_ago)
    portal.tick(db, program, ids[0], today, today, now=now - timedelta(hours=5), time=1)
    pattern_recording.record(db, patient, AFTER, today, place.therapist.id, now - timedelta(hours=2))
    db.commit()
    with served(place.app) as base, browser_page({"width": 390, "height": 844}) as page:
        page.goto(f"{base}/p/{token}")
        page.locator("#count").scroll_into_view_if_needed()
        page.evaluate("window.scrollTo(0, document.getElementById('count').offsetTop - 20)")
        tag = os.environ.get("SHOT_TAG", "x")
        page.screenshot(path=f"/tmp/tidy13/{tag}-{scenario}-{language}.png")
