"""Between visits, the pages: the phone questionnaire (plain forms, one question a screen, resumed,
never changed, in the patient's language), the therapist's schedule, injections and timeline."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from planner.models import OutboxMessage, PainAlert, QuestionnaireAnswer
from planner.services import patient_links, reevaluation
from planner.services import questionnaires as q
from tests.conftest import login
from tests.factories import make_clinic, make_patient, make_user
from tests.reminder_factories import make_program


@pytest.fixture
def world(app, db, now, today):
    clinic = make_clinic(db, "Outcome Clinic", timezone="UTC")
    therapist = make_user(db, clinic, email="t@outcomes.org")
    patient = make_patient(db, clinic, "Ελένη Παπαδοπούλου", primary_therapist_id=therapist.id)
    program = make_program(db, patient, therapist.id, now, start=today - timedelta(days=20), interval=42)
    _link, token = patient_links.create_link(db, patient, app.secret_key, now)
    db.commit()
    staff = app.test_client()
    login(staff, "t@outcomes.org")
    return {"app": app, "db": db, "patient": patient, "program": program, "token": token, "staff": staff, "now": now}


def schedule(world, parts=("psfs", "pain", "diary"), start=None, every=14):
    now = world["now"]
    q.schedule(world["db"], world["patient"], list(parts), every, start or now.date(), now.date(), now)
    world["db"].commit()


def screen(client, token):
    html = client.get(f"/p/{token}/questions").get_data(as_text=True)
    key = re.search(r'name="question" value="([^"]+)"', html)
    return html, key.group(1) if key else None


def send(client, token, question, value):
    return client.post(f"/p/{token}/questions", data={"question": question, "value": value})


def test_the_phone_questionnaire_goes_one_question_a_screen_and_echoes_each_answer(world):
    schedule(world, parts=("psfs", "pain"))
    phone, token = world["app"].test_client(), world["token"]
    assert "Your therapist has questions for you" in phone.get(f"/p/{token}").get_data(as_text=True)

    html, key = screen(phone, token)
    # While activities are named the count is unknown (each adds its rating): no "of" that would grow.
    assert key == "activity_1" and ">Question 1</p>" in html and "Question 1 of" not in html
    assert "<script" not in html and 'type="range"' not in html  # plain forms; no slider
    response = send(phone, token, "activity_1", "Οδήγηση  στην πόλη")
    assert response.status_code == 302
    html = phone.get(response.location).get_data(as_text=True)
    assert "Saved: “Οδήγηση στην πόλη”." in html
    send(phone, token, "activity_2", "")  # no more activities

    html, key = screen(phone, token)
    assert key.startswith("psfs_") and "How well can you do this activity now: Οδήγηση στην πόλη?" in html
    assert "Question 3 of 5" in html  # named: the day's five questions are known, and stay five
    assert html.count('name="value" value=') == 11  # 0 to 10, each a button
    response = send(phone, token, key, "6")
    assert "Saved: 6 out of 10." in phone.get(response.location).get_data(as_text=True)

    # The patient stops here and comes back later: the next question, the earlier answers kept.
    html, key = screen(world["app"].test_client(), token)
    assert key == "pain_now" and "Go on with your questions" in phone.get(f"/p/{token}").get_data(as_text=True)
    send(phone, token, "pain_now", "3")
    send(phone, token, "pain_week", "5")
    html, key = screen(phone, token)
    assert key is None and "Thank you. All your answers are saved." in html
    assert "Your therapist has questions" not in phone.get(f"/p/{token}").get_data(as_text=True)


def test_a_saved_answer_is_not_changed_by_a_second_tap(world):
    schedule(world, parts=("pain",))
    phone, token = world["app"].test_client(), world["token"]
    send(phone, token, "pain_now", "4")
    response = send(phone, token, "pain_now", "9")  # the back button and another tap
    assert "Saved: 4 out of 10." in phone.get(response.location).get_data(as_text=True)
    ratings = world["db"].scalars(select(QuestionnaireAnswer.rating)).all()
    assert ratings == [4]


@pytest.mark.parametrize(
    "value, message", [("11", "Choose a number from 0 to 10."), ("", "Choose a number from 0 to 10.")]
)
def test_a_bad_rating_is_told_on_the_same_question(world, value, message):
    schedule(world, parts=("pain",))
    phone, token = world["app"].test_client(), world["token"]
    response = send(phone, token, "pain_now", value)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html and 'value="pain_now"' in html


def test_a_late_questionnaire_asks_the_day_in_the_patients_language(world, today):
    world["patient"].language = "es"
    world["db"].commit()
    schedule(world, parts=("pain",), start=today - timedelta(days=4))
    phone, token = world["app"].test_client(), world["token"]
    html, key = screen(phone, token)
    assert key == "day" and 'lang="es"' in html
    # The days it may be about are big buttons, newest first: a tap, no date picker.
    offered = re.findall(r'<button type="submit" name="value" value="(\d{4}-\d\d-\d\d)">', html)
    assert offered == [(today - timedelta(days=n)).isoformat() for n in range(5)]
    assert 'type="date"' not in html
    too_early = send(phone, token, "day", (today - timedelta(days=5)).isoformat())
    assert too_early.status_code == 422 and "Elija el día en que llegaron las preguntas" in too_early.get_data(
        as_text=True
    )
    said = today - timedelta(days=2)
    response = send(phone, token, "day", said.isoformat())
    html = phone.get(response.location).get_data(as_text=True)
    assert "Guardado" in html and "¿Qué tan fuerte es su dolor ahora mismo?" in html
    send(phone, token, "pain_now", "2")
    assert q.series(world["db"], world["patient"].clinic_id, world["patient"].id)[0].points == [(said, 2.0)]


def test_a_long_late_questionnaire_offers_two_weeks_of_days_and_a_field_for_an_earlier_one(world, today):
    schedule(world, parts=("pain",), start=today - timedelta(days=20), every=28)
    phone, token = world["app"].test_client(), world["token"]
    html, key = screen(phone, token)
    offered = re.findall(r'<button type="submit" name="value" value="(\d{4}-\d\d-\d\d)">', html)
    assert key == "day" and len(offered) == 14 and offered[0] == today.isoformat()
    assert f'type="date" id="value" name="value" value="{offered[-1]}"' in html
    assert f'min="{(today - timedelta(days=20)).isoformat()}"' in html and f'max="{today.isoformat()}"' in html
    earlier = today - timedelta(days=18)
    response = send(phone, token, "day", earlier.isoformat())
    assert response.status_code == 302
    assert "Saved" in phone.get(response.location).get_data(as_text=True)


def test_a_high_pain_answer_alerts_the_therapist(world):
    schedule(world, parts=("pain",))
    phone, token = world["app"].test_client(), world["token"]
    send(phone, token, "pain_now", "8")
    alert = world["db"].scalars(select(PainAlert)).one()
    assert alert.pain == 8
    assert world["db"].scalars(select(OutboxMessage).where(OutboxMessage.kind == "pain_alert")).one()
    html = world["staff"].get(f"/patients/{world['patient'].id}").get_data(as_text=True)
    assert "Pain alert on" in html and "Pain now (patient&#39;s rating)" in html


def test_no_questionnaire_means_a_calm_page_and_a_404_for_answers(world):
    phone, token = world["app"].test_client(), world["token"]
    html, key = screen(phone, token)
    assert key is None and "There are no questions for you now." in html
    assert send(phone, token, "pain_now", "3").status_code == 404
    assert phone.get("/p/not-a-real-token-at-all/questions").status_code == 404


def test_the_therapist_schedules_questions_and_follows_the_cycle(world, today):
    staff, patient = world["staff"], world["patient"]
    page = f"/patients/{patient.id}/between-visits"
    assert staff.get(page).status_code == 200
    bad = staff.post(f"{page}/questions", data={"parts": ["pain"], "every_days": "0", "starts_on": today.isoformat()})
    assert bad.status_code == 422 and "Enter 1 to 365 days." in bad.get_data(as_text=True)
    ok = staff.post(
        f"{page}/questions", data={"parts": ["pain", "diary"], "every_days": "7", "starts_on": today.isoformat()}
    )
    assert ok.status_code == 302
    bad = staff.post(f"{page}/cycle", data={"follow_cycle": "y", "peak_weeks": "8", "before_weeks": "6"})
    assert bad.status_code == 422 and "comes after the peak" in bad.get_data(as_text=True)
    assert (
        staff.post(f"{page}/cycle", data={"follow_cycle": "y", "peak_weeks": "4", "before_weeks": "11"}).status_code
        == 302
    )
    html = staff.get(f"/patients/{patient.id}").get_data(as_text=True)
    assert "Questions (Pain now and worst this week, Symptom diary) every 7 days" in html
    assert "Re-evaluations follow the injection cycle: 4 and 11 weeks" in html
    daily = {"parts": ["pain"], "every_days": "1", "starts_on": today.isoformat()}
    assert staff.post(f"{page}/questions", data=daily).status_code == 302
    html = staff.get(f"/patients/{patient.id}").get_data(as_text=True)
    assert "Questions (Pain now and worst this week) every day" in html and "every 1 days" not in html


def dose_rows(*rows):
    data = {}
    for n, (muscle, other, left, right) in enumerate(rows):
        data |= {
            f"doses-{n}-muscle": muscle,
            f"doses-{n}-other": other,
            f"doses-{n}-left_units": left,
            f"doses-{n}-right_units": right,
        }
    return data


def test_injections_recorded_corrected_and_drawn_on_the_timeline(world, today):
    staff, patient, program = world["staff"], world["patient"], world["program"]
    staff.post(
        f"/patients/{patient.id}/between-visits/cycle",
        data={"follow_cycle": "y", "peak_weeks": "4", "before_weeks": "11"},
    )
    new = f"/patients/{patient.id}/injections/new"
    on = today - timedelta(days=10)
    bad = staff.post(new, data={"injected_on": on.isoformat(), **dose_rows(("Masseter", "", "", ""))})
    assert bad.status_code == 200 and "Enter the units on the left, the right or both." in bad.get_data(as_text=True)
    future = staff.post(
        new, data={"injected_on": (today + timedelta(days=1)).isoformat(), **dose_rows(("Masseter", "", "10", ""))}
    )
    assert "between" in future.get_data(as_text=True)  # not after today
    ok = staff.post(
        new,
        data={
            "injected_on": on.isoformat(),
            "product": "abobotulinumtoxinA",
            "injected_by": "Д-р Иванова",
            **dose_rows(("Sternocleidomastoid", "", "", "120,5"), ("other", "Μασητήρας", "20", "20")),
        },
    )
    assert ok.status_code == 302
    world["db"].expire_all()
    assert reevaluation.next_reevaluation(program) == on + timedelta(weeks=4)
    html = staff.get(f"/patients/{patient.id}").get_data(as_text=True)
    assert (
        "<bdi>Sternocleidomastoid</bdi>: right 120.5 U" in html
        and "<bdi>Μασητήρας</bdi>: left 20 U, right 20 U" in html
    )
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="timeline"' in html and "160.5 U" in html
    assert f"{on + timedelta(weeks=4)}" in html  # the next re-evaluation in the programs table

    injection_id = int(re.search(r"/injections/(\d+)/edit", html).group(1))
    edit = staff.get(f"/injections/{injection_id}/edit").get_data(as_text=True)
    assert 'value="Μασητήρας"' in edit and "selected" in edit
    moved = on - timedelta(days=3)
    form = {"injected_on": moved.isoformat(), **dose_rows(("Sternocleidomastoid", "", "", "100"))}
    assert staff.post(f"/injections/{injection_id}/edit", data=form).status_code == 302
    world["db"].expire_all()
    assert reevaluation.next_reevaluation(program) == moved + timedelta(weeks=4)
    assert staff.post(f"/injections/{injection_id}/delete").status_code == 302
    world["db"].expire_all()
    assert reevaluation.next_reevaluation(program) == today - timedelta(days=20) + timedelta(days=42)


def test_another_clinics_therapist_sees_none_of_it(world, app, db, today):
    other = make_clinic(db, "Other Clinic")
    make_user(db, other, email="o@other.org")
    stranger = app.test_client()
    login(stranger, "o@other.org")
    world["staff"].post(
        f"/patients/{world['patient'].id}/injections/new",
        data={"injected_on": today.isoformat(), **dose_rows(("Procerus", "", "2,5", "2,5"))},
    )
    injection_id = int(
        re.search(
            r"/injections/(\d+)/edit", world["staff"].get(f"/patients/{world['patient'].id}").get_data(as_text=True)
        ).group(1)
    )
    for path in [
        f"/patients/{world['patient'].id}/between-visits",
        f"/injections/{injection_id}/edit",
        f"/patients/{world['patient'].id}/injections/new",
    ]:
        assert stranger.get(path).status_code == 404, path
    assert stranger.post(f"/injections/{injection_id}/delete").status_code == 404
    assert (
        stranger.post(
            f"/patients/{world['patient'].id}/between-visits/cycle", data={"peak_weeks": "4", "before_weeks": "11"}
        ).status_code
        == 404
    )
    assert world["staff"].get(f"/injections/{injection_id}/edit").status_code == 200


@pytest.mark.parametrize(
    "name",
    ["<script>alert(1)</script> & café", "רעד בראש", "الرأس يميل إلى اليسار", "头向左转", "Ζάλη & «σφίξιμο»"],
)
def test_what_the_patient_names_is_shown_as_typed_and_never_as_markup(world, name):
    schedule(world, parts=("diary",))
    phone, token = world["app"].test_client(), world["token"]
    send(phone, token, "symptom_1", name)
    send(phone, token, "symptom_2", "")
    html, key = screen(phone, token)
    assert key.startswith("severity_") and "<script>alert" not in html
    escaped = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert f"How strong is this symptom now: {escaped}?" in html
    send(phone, token, key, "5")
    page = world["staff"].get(f"/patients/{world['patient'].id}").get_data(as_text=True)
    assert "<script>alert" not in page
    assert f"Symptom: {escaped}" in page  # the trend's caption
    timeline = page[page.index('class="timeline"') : page.index("</svg>", page.index('class="timeline"'))]
    assert escaped[:20] in timeline or f"Symptom: {escaped}"[:33] in timeline


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Neck pain", "Neck pain"),
        ("A" * 34, "A" * 34),
        ("Cervical rotation, left (clinician)", "Cervical rotation, left (clinicia…"),
        ("サングラスをかける、眉を指で押す、ビタミン", "サングラスをかける、眉を指で押す…"),  # wide: two each
        ("眼睑痉挛" * 10, "眼睑痉挛" * 4 + "…"),
    ],
)
def test_a_long_row_name_on_the_timeline_is_cut_to_the_names_column(name, shown):
    from planner.web.outcomes.timeline import _fit

    assert _fit(name) == shown
