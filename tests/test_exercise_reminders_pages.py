"""Daily exercise reminders on the pages: the therapist records consent, the patient chooses on the
phone page, and the email's stop link asks on GET and stops on POST (one-click, no session, no CSRF)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest

from planner.services import exercise_reminder_days, exercise_reminders, patient_links, program_items, programs
from planner.services.catalog import get_exercise
from planner.services.emails import MailSettings, make_composer
from planner.services.outbox import DispatchSettings, dispatch_all
from planner.web.secret_urls import secret_pattern
from tests.conftest import build_app, login
from tests.factories import give, make_clinic, make_patient, make_user


@pytest.fixture
def world(catalog_app, catalog_db, now):
    db = catalog_db
    clinic = make_clinic(db, "Reminder Clinic", timezone="UTC")
    therapist = make_user(db, clinic, email="t@remind.org", name="Terry Therapist")
    patient = make_patient(db, clinic, "Zoë Ångström", email="zoe@example.org", primary_therapist_id=therapist.id)
    program = programs.create_program(
        db, patient, programs.ProgramDetails("Neck", now.date() - timedelta(days=3)), therapist.id, now
    )
    program_items.add_item(db, program, get_exercise(db, clinic.id, "chin-tuck-sitting"), None, now)
    give(db, program, now)
    client = catalog_app.test_client()
    login(client, "t@remind.org")
    client.post(f"/patients/{patient.id}/link")
    html = client.get(f"/patients/{patient.id}/link").get_data(as_text=True)
    token = re.search(r'id="link-url" type="text" readonly value="[^"]+/p/([^"]+)"', html).group(1)
    return {"client": client, "db": db, "patient": patient, "token": token, "app": catalog_app}


def test_the_therapist_turns_reminders_on_only_with_the_patients_consent_and_can_turn_them_off(world):
    client, db, patient = world["client"], world["db"], world["patient"]
    path = f"/patients/{patient.id}/exercise-reminders"
    assert "Daily exercise email: <strong>off</strong>. The patient has not agreed" in client.get(
        f"/patients/{patient.id}"
    ).get_data(as_text=True)

    refused = client.post(path, data={"send_time": "07:30", "turn_on": "1"})
    assert refused.status_code == 200 and "Tick this only when the patient agreed." in refused.get_data(as_text=True)
    wrong = client.post(path, data={"consent": "y", "send_time": "25:00", "turn_on": "1"}).get_data(as_text=True)
    assert 'id="send_time-error">Enter a time of day such as 07:30.' in wrong
    assert exercise_reminders.reminder_of(db, patient) is None

    assert client.post(path, data={"consent": "y", "send_time": "07:30", "turn_on": "1"}).status_code == 302
    page = client.get(f"/patients/{patient.id}").get_data(as_text=True)
    assert (
        "Daily exercise email: <strong>on</strong>, at 07:30" in page
        and "Consent recorded by <bdi>Terry Therapist</bdi>" in page
    )

    assert "has no working private link" not in page
    # Without a working link the email cannot go (it carries the link): the page says so.
    patient_links.revoke_link(db, patient, datetime.now(UTC))
    db.commit()
    page = client.get(f"/patients/{patient.id}").get_data(as_text=True)
    assert (
        "<bdi>Zoë Ångström</bdi> has no working private link, so none is sent. Create a link on the patient's page."
        in page
    )

    assert client.post(path, data={"turn_off": "1"}).status_code == 302
    page = client.get(f"/patients/{patient.id}").get_data(as_text=True)
    assert "Daily exercise email: <strong>off</strong>. Turned off by <bdi>Terry Therapist</bdi>" in page
    db.expire_all()
    assert exercise_reminders.reminder_of(db, patient).enabled is False


def test_the_patient_turns_the_daily_email_on_at_a_chosen_time_and_off_from_the_phone_page(world):
    client, db, patient, token = world["client"], world["db"], world["patient"], world["token"]
    phone = world["app"].test_client()  # the patient's phone: no session
    path = f"/p/{token}/reminders"
    assert f'href="{path}"' in phone.get(f"/p/{token}").get_data(as_text=True)
    assert "The daily email is off." in phone.get(path).get_data(as_text=True)

    wrong = phone.post(path, data={"send_time": "7h", "turn_on": "1"}).get_data(as_text=True)
    assert 'id="send_time-error">Enter a time such as 07:30.' in wrong
    on = phone.post(path, data={"send_time": "18:45", "turn_on": "1"}, follow_redirects=True).get_data(as_text=True)
    assert "Saved. You will get an email each exercise day at 18:45." in on
    db.expire_all()
    reminder = exercise_reminders.reminder_of(db, patient)
    assert (reminder.enabled, reminder.send_time, reminder.consent_by) == (True, time(18, 45), "patient")
    assert "Turned on by the patient on their phone page" in client.get(f"/patients/{patient.id}").get_data(
        as_text=True
    )

    off = phone.post(path, data={"turn_off": "1"}, follow_redirects=True).get_data(as_text=True)
    assert "Saved. We will not send you these emails." in off
    db.expire_all()
    assert exercise_reminders.reminder_of(db, patient).enabled is False


def test_the_phone_page_speaks_the_patients_language(world):
    db, patient, token = world["db"], world["patient"], world["token"]
    patient.language, patient.email = "es", ""
    db.commit()
    phone = world["app"].test_client()
    html = phone.post(f"/p/{token}/reminders", data={"send_time": "08:00", "turn_on": "1"}).get_data(as_text=True)
    assert 'lang="es"' in html and "El correo diario está desactivado." in html
    assert "No tenemos su correo electrónico. Pida a su terapeuta que lo añada." in html


def test_the_stop_link_asks_on_get_and_stops_on_a_one_click_post_with_no_session_or_csrf(world, tmp_path, now):
    db, patient = world["db"], world["patient"]
    reminder = exercise_reminders.turn_on(db, patient, time(7, 30), "patient", now, "test")
    db.commit()
    token = exercise_reminders.stop_token(reminder, "test")
    # A second app on the same database with CSRF on, as in production; no cookie, no form token.
    strict = build_app(tmp_path, url=str(world["app"].extensions["db_engine"].url), csrf=True)
    mail_program = strict.test_client()

    asked = mail_program.get(f"/p/stop/{token}")
    assert asked.status_code == 200 and f'action="/p/stop/{token}"' in asked.get_data(as_text=True)
    db.expire_all()
    assert exercise_reminders.reminder_of(db, patient).enabled is True  # a link scanner's GET changes nothing

    for _ in range(2):  # RFC 8058's POST; a second one is as harmless
        stopped = mail_program.post(
            f"/p/stop/{token}",
            data="List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        assert stopped.status_code == 200 and "We will not send you these emails." in stopped.get_data(as_text=True)
    db.expire_all()
    assert exercise_reminders.reminder_of(db, patient).changed_by == "stop_link"
    assert "These emails are already off." in mail_program.get(f"/p/stop/{token}").get_data(as_text=True)
    for wrong in (token[:-1] + ("y" if token.endswith("x") else "x"), "short"):  # one character off, or cut
        assert mail_program.post(f"/p/stop/{wrong}").status_code == 404
        assert mail_program.get(f"/p/stop/{wrong}").status_code == 404
    # No log line shows the token (the request loggers' filter is built from the routes).
    assert token not in secret_pattern(strict.url_map).sub(r"\1[token]", f'"POST /p/stop/{token} HTTP/1.1" 200')
    strict.extensions["db_engine"].dispose()


def test_a_reminder_that_cannot_be_sent_is_shown_failed_to_the_therapist(world, now):
    client, db, patient = world["client"], world["db"], world["patient"]
    exercise_reminders.turn_on(db, patient, time(0, 0), "patient", now - timedelta(days=1), "test")
    db.commit()
    exercise_reminder_days.create_due(db, now)
    # No [server] public_url: the email could carry neither link, so it fails instead of going out.
    compose = make_composer(MailSettings(public_url="", secret_key="test"))
    settings = DispatchSettings(max_attempts=1)
    assert dispatch_all(db, None, compose, lambda: now, settings).failed == 1  # type: ignore[arg-type]
    page = client.get("/dashboard").get_data(as_text=True)
    failed = page[page.index('id="failed-h"') :]
    assert (
        f'Daily exercise email to <bdi>Zoë Ångström</bdi> (<span class="date">{now.date()}</span>)' in failed
        and "Set [server] public_url" in failed
    )


def test_a_time_already_past_today_is_said_to_begin_on_the_next_exercise_day(world):
    client, patient = world["client"], world["patient"]
    path = f"/patients/{patient.id}/exercise-reminders"
    # 00:00 of the clinic's today has always passed: the first email comes on the next due day.
    done = client.post(path, data={"consent": "y", "send_time": "00:00", "turn_on": "1"}, follow_redirects=True)
    assert "Zoë Ångström gets a daily exercise email at 00:00 from the next exercise day." in done.get_data(
        as_text=True
    )


PASSED_TODAY = {
    "en": "That time has passed today. Your emails start on your next exercise day.",
    "es": "Hoy esa hora ya pasó. Los correos empiezan en su próximo día de ejercicios.",
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_time_moved_later_today_still_gets_todays_email_and_a_past_time_says_so(world, now, language):
    """Trial 11: turned on at 10:41 for 09:00 (past), then moved to 10:46 at 10:44: no email that
    day and nothing said why. A time already past says plainly that the emails start on the next
    exercise day; moved to a time still ahead, today's email comes then; once today's email is
    made, moving the time gives no second one."""
    db, patient, token = world["db"], world["patient"], world["token"]
    patient.language = language
    db.commit()
    phone, path = world["app"].test_client(), f"/p/{token}/reminders"

    def save(at: str) -> str:
        return phone.post(path, data={"send_time": at, "turn_on": "1"}, follow_redirects=True).get_data(as_text=True)

    def made_by(moment: datetime) -> int:
        return exercise_reminder_days.create_due(db, moment)

    assert PASSED_TODAY[language] in save("11:00")  # an hour ago (the clinic's clock is noon UTC)
    assert made_by(now + timedelta(minutes=5)) == 0
    assert PASSED_TODAY[language] not in save("12:30")  # still ahead today
    assert made_by(now + timedelta(minutes=31)) == 1  # today's email, at the new time
    again = save("18:00")
    assert PASSED_TODAY[language] not in again and PASSED_TODAY[language] not in save("11:30")
    assert made_by(now + timedelta(hours=7)) == 0  # one email a day
    assert made_by(now + timedelta(days=1)) == 1  # and tomorrow's, at 11:30
