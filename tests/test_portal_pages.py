"""The patient's phone page behind the private link, and the therapist's view of it."""

from __future__ import annotations

import logging
import re
import urllib.request
from datetime import UTC, date, datetime, timedelta

import pytest
from markupsafe import escape
from sqlalchemy import select, update

from planner.dystonia.pattern import PatternEntry
from planner.models import Clinic, OutboxMessage, ProgramTemplate
from planner.models.portal import DayReport, ExerciseLog, PainAlert
from planner.services import (
    DomainError,
    home_reports,
    issuing,
    patient_links,
    portal,
    program_items,
    program_templates,
    programs,
    recorded_patterns,
)
from tests.browser import served
from tests.conftest import build_app, login
from tests.factories import give, make_clinic, make_patient, make_user


@pytest.fixture
def world(catalog_app, catalog_db, now):
    clinic = make_clinic(catalog_db, "Portal Clinic", timezone="UTC")
    therapist = make_user(catalog_db, clinic, email="t@portal.org", name="Terry Therapist")
    patient = make_patient(
        catalog_db,
        clinic,
        "Margarethe Quist-Olsen",
        preferred_name="Margarethe",
        email="mq@example.org",
        notes="Private clinical note",
        condition="Secret condition text",
        date_of_birth=date(1950, 5, 17),
        primary_therapist_id=therapist.id,
    )
    template = catalog_db.scalars(
        select(ProgramTemplate).where(ProgramTemplate.slug == "shipped-cervical-dystonia")
    ).one()
    # Her head turns to the left: the template's turning exercises turn right (none is left unset).
    recorded_patterns.record_pattern(
        catalog_db, patient, PatternEntry({"rotation": "left"}, {"rotation": 2}), now.date(), therapist.id, now
    )
    program = program_templates.start_from_template(
        catalog_db, template, patient, therapist.id, now.date() - timedelta(days=10), now
    ).program
    give(catalog_db, program, now)  # printed: only a program given reaches her phone
    client = catalog_app.test_client()
    login(client, "t@portal.org")
    client.post(f"/patients/{patient.id}/link")
    html = client.get(f"/patients/{patient.id}/link").get_data(as_text=True)
    url = re.search(r'id="link-url" type="text" readonly value="([^"]+)"', html).group(1)
    token = url.rsplit("/p/", 1)[1]
    return {
        "client": client,
        "patient": patient,
        "program": program,
        "token": token,
        "html": html,
        "app": catalog_app,
        "db": catalog_db,
    }


@pytest.mark.parametrize("started_days_ago", [0, 2, 7])
def test_no_day_before_the_program_started_is_offered_or_taken(world, now, started_days_ago):
    """Trial 8: the phone page offered "Tue 24 Nov" for a program that started on 1 Dec."""
    db, token, program = world["db"], world["token"], world["program"]
    today = now.date()
    start = today - timedelta(days=started_days_ago)
    db.execute(update(type(program)).where(type(program).id == program.id).values(start_date=start))
    db.commit()
    patient = world["app"].test_client()
    page = patient.get(f"/p/{token}").get_data(as_text=True)
    nav = page.split('<nav class="days"')[1].split("</nav>")[0]
    offered = re.findall(r"day=(\d{4}-\d{2}-\d{2})", nav)
    # Trial 10: on the first day no "another day" is offered, so none is spoken of.
    assert ("Add what you did on another day:" in nav) is (started_days_ago > 0)
    assert offered == [(today - timedelta(days=n)).isoformat() for n in range(started_days_ago + 1)]
    before = (start - timedelta(days=1)).isoformat()
    asked = patient.get(f"/p/{token}?day={before}").get_data(as_text=True)
    assert 'aria-current="date">Today<' in asked  # a day before the start opens today instead
    exercise_id = program.items[0].exercise_id
    patient.post(f"/p/{token}/tick", data={"exercise": exercise_id, "day": before})
    patient.post(f"/p/{token}/day", data={"day": before, "pain": "2"})
    db.expire_all()
    assert db.scalars(select(ExerciseLog.day)).all() == [] and db.scalars(select(DayReport)).all() == []


def test_therapist_creates_and_sees_the_link_with_a_qr_code(world):
    # A new link's token can be typed from the handout: 26 signs, none of them l, 1, o or 0.
    assert "<svg" in world["html"] and len(world["token"]) == patient_links.TYPABLE_CHARS
    assert set(world["token"]) <= set(patient_links.TYPABLE) and not set(world["token"]) & set("l1o0")
    assert "Replace the link" in world["html"]
    confirm = world["client"].get(f"/patients/{world['patient'].id}/link?replace=1").get_data(as_text=True)
    assert "Yes, replace the link" in confirm  # asked before the old link stops working


def test_page_shows_todays_exercises_and_only_the_first_name(world):
    patient = world["app"].test_client()
    response = patient.get(f"/p/{world['token']}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Hello, Margarethe" in html
    for private in [
        "Quist-Olsen",
        "1950",
        "Private clinical note",
        "Secret condition",
        "mq@example.org",
        "Terry Therapist",
    ]:
        assert private not in html
    for item in world["program"].items:
        assert item.exercise.name in html
    assert html.count("<svg") >= len(world["program"].items)
    assert "Stop and call us if your pain or symptoms get worse." in html  # the handout's safety rule
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing from other sites


@pytest.mark.parametrize(
    "preferred, greeting",
    [("Grete", "Hello, Grete"), ("Margarethe Anna", "Hello, Margarethe Anna"), ("", "Hello")],
)
def test_the_phone_page_greets_by_the_preferred_name_and_no_more(world, preferred, greeting):
    """Trials 9 and 10: "María José" and "José Luis" were greeted "Hola, María" and "Hola, José";
    the therapist records the name the patient goes by. Unset, no name is guessed: only "Hello"."""
    client, patient = world["client"], world["patient"]
    data = {"name": patient.name, "preferred_name": preferred, "language": "en", "primary_therapist_id": ""}
    assert client.post(f"/patients/{patient.id}/edit", data=data).status_code == 302
    html = world["app"].test_client().get(f"/p/{world['token']}").get_data(as_text=True)
    assert f"<h1>{greeting}</h1>" in html.replace("\u2068", "").replace("\u2069", "")
    assert "Quist-Olsen" not in html


def test_ticks_count_once_and_past_days_are_allowed_a_week_back(world, now):
    patient = world["app"].test_client()
    token, program = world["token"], world["program"]
    exercise_id = program.items[0].exercise_id
    today = now.date()
    for _ in range(2):
        assert (
            patient.post(
                f"/p/{token}/tick", data={"exercise": exercise_id, "day": today.isoformat(), "done": "1"}
            ).status_code
            == 302
        )
    patient.post(f"/p/{token}/tick", data={"exercise": exercise_id, "day": (today - timedelta(days=3)).isoformat()})
    patient.post(f"/p/{token}/tick", data={"exercise": exercise_id, "day": (today - timedelta(days=9)).isoformat()})
    days = sorted(world["db"].scalars(select(ExerciseLog.day)).all())
    assert days == [today - timedelta(days=3), today]
    # The first exercise is done 2 times a day: both taps were for its first time, which counts once.
    assert program.items[0].dosage["times_per_day"] == 2
    page = patient.get(f"/p/{token}").get_data(as_text=True)
    assert "Done 1 of 2 times today." in page and "I did it: time 2 of 2" in page
    for page in (f"/patients/{world['patient'].id}", f"/programs/{program.id}"):  # the therapist sees it
        html = world["client"].get(page).get_data(as_text=True)
        assert "Exercise times done, per week" in html and 'aria-labelledby="adherence-title"' in html


def phone_count(page: str) -> tuple[int, int]:
    """The phone page's count of the day, "3 of 20 times done today.", as (done, planned); a rest day 0 of 0."""
    if "rest day: nothing was due" in page or "Today is a rest day" in page:
        return 0, 0
    found = re.search(r"(\d+) of (\d+) (?:times )?done(?: today)?\.", page)
    assert found, "no count on the phone page"
    return int(found.group(1)), int(found.group(2))


def test_the_weekly_chart_counts_the_times_the_phone_page_counts(world, now):
    """The trial: 3 ticks showed "3 of 20 times done today" on the phone and Done 2 / Planned 10
    in the therapist's chart. Both count each time of a day now."""
    patient, db, program = world["app"].test_client(), world["db"], world["program"]
    token, today = world["token"], now.date()
    plan = portal.day_plan(db, program, today)
    due = [i.exercise_id for i in program.items if plan[i.exercise_id, 0].due]
    twice = next(e for e in due if plan[e, 0].times >= 2)
    once_more = next(e for e in due if e != twice)

    def tap(exercise_id: int, time: int) -> None:
        patient.post(f"/p/{token}/tick", data={"exercise": exercise_id, "day": today.isoformat(), "time": time})
        db.query(ExerciseLog).filter_by(exercise_id=exercise_id).update({"created_at": now - timedelta(hours=2)})
        db.commit()

    tap(twice, 1)
    tap(twice, 2)  # hours later, its second time of the day
    tap(once_more, 1)
    done, planned_today = phone_count(patient.get(f"/p/{token}").get_data(as_text=True))
    assert (done, planned_today) == (3, portal.day_count(plan, set()).times)  # no exercise here waits
    # The week so far, as the phone page counts each day of it.
    monday = today - timedelta(days=today.weekday())
    week = [
        phone_count(patient.get(f"/p/{token}?day={monday + timedelta(days=n)}").get_data(as_text=True))
        for n in range((today - monday).days + 1)
    ]
    html = world["client"].get(f"/patients/{world['patient'].id}").get_data(as_text=True)
    caption = html.split("Times done against planned")[1]
    last_row = re.findall(r"<tr><td>([\d-]+)</td><td>(\d+)</td><td>(\d+)</td>", caption)[-1]
    assert last_row == (monday.isoformat(), "3", str(sum(p for _, p in week)))


def test_a_draft_never_reaches_the_patient(world, now):
    """A patient given no program yet: the phone page shows none of the one still being made (not
    its exercises, nor its handout), and the reminder email and adherence have nothing to read;
    sharing the link says so. Once it is printed, it is hers."""
    db, client, phone = world["db"], world["client"], world["app"].test_client()
    clinic = db.get(Clinic, world["patient"].clinic_id)
    patient = make_patient(db, clinic, "Ольга Петрова")
    draft = programs.create_program(db, patient, programs.ProgramDetails("Neck", now.date()), None, now)
    program_items.add_item(db, draft, world["program"].items[0].exercise, None, now)
    db.commit()
    made = client.post(f"/patients/{patient.id}/link", follow_redirects=True).get_data(as_text=True)
    assert "The phone page shows no exercises yet: no program has been given to this patient." in made
    token = re.search(r'id="link-url" type="text" readonly value="[^"]+/p/([^"]+)"', made).group(1)
    name = draft.items[0].exercise.name
    page = phone.get(f"/p/{token}").get_data(as_text=True)
    assert "Your therapist has not set up your exercises yet." in page and name not in page
    assert "handout.pdf" not in page and phone.get(f"/p/{token}/handout.pdf").status_code == 404
    assert portal.active_program(db, patient) is None  # the reminder email and adherence read this
    give(db, draft, now)
    assert name in phone.get(f"/p/{token}").get_data(as_text=True)


def test_an_empty_program_is_never_given_and_never_takes_the_phone_page(world, now, tmp_path):
    """The trial: a program with no exercises, printed, took the phone page ("Today is a rest
    day") from the one she holds. Print, email, the command line and the service refuse it, with
    the reason; one given empty before this rule is passed over."""
    db, client, phone = world["db"], world["client"], world["app"].test_client()
    empty = programs.create_program(db, world["patient"], programs.ProgramDetails("Empty", now.date()), None, now)
    db.commit()
    printed = client.post(f"/programs/{empty.id}/handout.pdf", follow_redirects=True)
    said = "This program has no exercises yet. Add at least one before you print, email or share it."
    assert printed.mimetype == "text/html" and f"No handout was printed. {said}" in printed.get_data(as_text=True)
    emailed = client.post(f"/programs/{empty.id}/email-handout", follow_redirects=True)
    assert said in emailed.get_data(as_text=True)
    written = world["app"].test_cli_runner().invoke(args=["handout", str(empty.id), "-o", str(tmp_path / "e.pdf")])
    assert written.exit_code != 0 and said in written.output
    with pytest.raises(DomainError, match="no exercises yet"):
        issuing.issue(db, empty, None, "print", now)
    db.rollback()
    db.expire_all()
    assert not db.get(type(empty), empty.id).issued
    assert db.scalars(select(OutboxMessage).where(OutboxMessage.program_id == empty.id)).all() == []
    # Given empty by an earlier release: the phone page still shows the program she holds.
    db.execute(update(type(empty)).where(type(empty).id == empty.id).values(issued=True))
    db.commit()
    assert portal.active_program(db, world["patient"]).id == world["program"].id
    page = phone.get(f"/p/{world['token']}").get_data(as_text=True)
    assert world["program"].items[0].exercise.name in page


def test_a_new_program_not_yet_given_stays_off_the_phone_behind_the_one_on_paper(world, now):
    """The trial: Olga's private link showed a program just started from a template, with
    "Please wait" items, instead of the printed one she holds."""
    db, program, phone = world["db"], world["program"], world["app"].test_client()
    issuing.issue(db, program, None, "print", now)  # printed: the one she holds
    template = db.scalars(select(ProgramTemplate).where(ProgramTemplate.slug == "shipped-writers-cramp")).one()
    # Her writer's cramp is in the right hand: the one-sided exercises take that side.
    recorded_patterns.record_pattern(
        db, world["patient"], PatternEntry(areas=["hand_arm_right"]), now.date(), None, now
    )
    started = program_templates.start_from_template(db, template, world["patient"], None, now.date(), now).program
    db.commit()
    held = {i.exercise.name for i in program.items}
    new_only = {i.exercise.name for i in started.items} - held
    assert new_only

    def shown() -> str:
        db.expire_all()
        return phone.get(f"/p/{world['token']}").get_data(as_text=True)

    page = shown()
    assert all(name in page for name in held) and not any(name in page for name in new_only)
    assert portal.active_program(db, world["patient"]).id == program.id  # the reminders email and adherence too
    issuing.issue(db, started, None, "print", now)  # given at the next visit: now it is hers
    db.commit()
    page = shown()
    assert all(name in page for name in new_only)


def test_pain_report_alerts_the_therapist_once_a_day(world, now):
    patient = world["app"].test_client()
    token = world["token"]
    day = now.date().isoformat()
    patient.post(
        f"/p/{token}/day", data={"day": day, "pain": "8", "difficulty": "hard", "comment": "Neck hurt <b>a lot</b>"}
    )
    patient.post(f"/p/{token}/day", data={"day": day, "pain": "9", "difficulty": "hard", "comment": "Worse"})
    db = world["db"]
    assert len(db.scalars(select(PainAlert)).all()) == 1
    row = db.scalars(select(OutboxMessage).where(OutboxMessage.kind == "pain_alert")).one()
    assert row.user_id == world["patient"].primary_therapist_id
    html = world["client"].get(f"/patients/{world['patient'].id}").get_data(as_text=True)
    assert "Pain alert on" in html and "Worse" in html and "<b>a lot" not in html
    assert 'aria-labelledby="pain-title"' in html


@pytest.mark.parametrize("page", ["patient", "builder"])
def test_the_at_home_panel_shows_the_last_eight_weeks_of_pain_the_ten_newest_comments_and_open_alerts(world, now, page):
    """Pain from 56 days back, oldest first; the ten newest comments, newest first; the unseen
    alerts, newest first, with the patient's words of that day; nothing of another patient."""
    db, patient, program = world["db"], world["patient"], world["program"]
    today = now.date()
    other = make_patient(db, db.get(Clinic, patient.clinic_id), "Other Patient")
    reports = {}
    for back in range(70):
        day = today - timedelta(days=back)
        reports[back] = DayReport(
            clinic_id=patient.clinic_id,
            patient_id=patient.id,
            program_id=program.id,
            day=day,
            pain=back % 11 if back % 3 else None,
            difficulty="hard" if back % 2 else "",
            comment=f"Wrote on day {back}." if back % 5 == 0 else "",
        )
    db.add_all(reports.values())
    db.add(
        DayReport(
            clinic_id=other.clinic_id,
            patient_id=other.id,
            program_id=program.id,
            day=today,
            pain=9,
            comment="Not hers.",
        )
    )
    db.flush()
    alerts = [
        PainAlert(
            clinic_id=patient.clinic_id,
            patient_id=patient.id,
            day=today - timedelta(days=back),
            pain=8,
            reason=f"Alert {back}.",
            day_report_id=report,
            created_at=now - timedelta(days=back),
            seen=seen,
        )
        for back, report, seen in [(40, None, False), (10, reports[10].id, False), (20, reports[20].id, True)]
    ]
    db.add_all(alerts)
    db.add(
        PainAlert(clinic_id=other.clinic_id, patient_id=other.id, day=today, pain=9, reason="Not hers.", created_at=now)
    )
    db.commit()
    path = f"/patients/{patient.id}" if page == "patient" else f"/programs/{program.id}"
    html = world["client"].get(path).get_data(as_text=True)
    panel = html.split('id="progress-h"')[1].split("</section>")[0]

    pains = re.findall(r"<tr><td>(\d{4}-\d{2}-\d{2})</td><td>(\d+)</td></tr>", panel)
    assert pains == [
        ((today - timedelta(days=back)).isoformat(), str(back % 11)) for back in range(56, -1, -1) if back % 3
    ]
    comments = re.findall(r"<li><strong>(\S+)</strong>(?: \((\w+)\))?: <bdi>([^<]*)</bdi></li>", panel)
    assert comments == [
        ((today - timedelta(days=back)).isoformat(), "hard" if back % 2 else "", f"Wrote on day {back}.")
        for back in range(0, 50, 5)
    ]
    assert re.findall(r"Pain alert on (\S+): ([^<]*)</p>", panel) == [
        ((today - timedelta(days=10)).isoformat(), "Alert 10."),
        ((today - timedelta(days=40)).isoformat(), "Alert 40."),
    ]
    assert panel.count("They wrote:") == 1 and "Wrote on day 10.</q>" in panel and "Not hers." not in panel


def test_bad_pain_value_is_refused(world, now):
    patient = world["app"].test_client()
    response = patient.post(f"/p/{world['token']}/day", data={"day": now.date().isoformat(), "pain": "12"})
    assert response.status_code == 422
    assert world["db"].scalars(select(PainAlert)).first() is None


def test_wrong_revoked_and_expired_links_get_the_same_plain_404(world, catalog_db):
    patient = world["app"].test_client()
    wrong = patient.get("/p/" + "x" * 43)
    world["client"].post(f"/patients/{world['patient'].id}/link/revoke")
    revoked = patient.get(f"/p/{world['token']}")
    assert wrong.status_code == revoked.status_code == 404
    assert wrong.get_data() == revoked.get_data()
    assert "Margarethe" not in revoked.get_data(as_text=True)


def test_replacing_the_link_stops_the_old_one(world):
    world["client"].post(f"/patients/{world['patient'].id}/link")
    assert world["app"].test_client().get(f"/p/{world['token']}").status_code == 404


def test_a_link_never_reaches_another_patients_program(world, now):
    db = world["db"]
    other = make_patient(db, db.get(Clinic, world["patient"].clinic_id), "Other Person")
    template = db.scalars(select(ProgramTemplate).where(ProgramTemplate.slug == "shipped-writers-cramp")).one()
    foreign = program_templates.start_from_template(db, template, other, None, now.date(), now).program
    db.commit()
    foreign_exercise = next(
        i.exercise_id for i in foreign.items if i.exercise_id not in {j.exercise_id for j in world["program"].items}
    )
    response = (
        world["app"]
        .test_client()
        .post(f"/p/{world['token']}/tick", data={"exercise": foreign_exercise, "day": now.date().isoformat()})
    )
    assert response.status_code == 404
    assert db.scalars(select(ExerciseLog)).first() is None


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize("bad", [str(2**63), str(2**64), "-1", "1" + "0" * 29, "abc", "in the program, other digits"])
def test_a_tick_for_an_exercise_number_no_row_can_have_ticks_nothing(world, bad, now):
    if bad == "in the program, other digits":  # int() reads "١٢" as 12: a number only in ASCII digits
        bad = str(world["program"].items[0].exercise_id).translate(ARABIC_INDIC)
    day = now.date().isoformat()
    response = world["app"].test_client().post(f"/p/{world['token']}/tick", data={"exercise": bad, "day": day})
    assert response.status_code == 404
    assert world["db"].scalars(select(ExerciseLog)).first() is None


def test_token_requests_are_rate_limited(tmp_path):
    app = build_app(
        tmp_path,
        portal={"requests_per_minute": 5, "link_expiry_days": 0, "pain_alert_threshold": 7, "pain_alert_rise": 3},
    )
    client = app.test_client()
    codes = [client.get("/p/" + "y" * 43).status_code for _ in range(7)]
    assert codes[:5] == [404] * 5 and codes[5:] == [429, 429]
    app.extensions["db_engine"].dispose()


def test_tokens_never_reach_the_request_log(world, caplog):
    caplog.set_level(logging.INFO, logger="werkzeug")
    with served(world["app"]) as base, urllib.request.urlopen(f"{base}/p/{world['token']}") as response:  # noqa: S310
        assert response.status == 200
    assert world["token"] not in caplog.text
    assert "/p/[token]" in caplog.text


def test_pain_alert_email_reaches_the_therapist_through_the_outbox(world, tmp_path, now):
    from planner.mail import FileMailer
    from planner.services.emails import MailSettings, make_composer
    from planner.services.outbox import DispatchSettings, dispatch_due

    patient = world["app"].test_client()
    patient.post(f"/p/{world['token']}/day", data={"day": now.date().isoformat(), "pain": "8"})
    db = world["db"]
    report = dispatch_due(
        db,
        FileMailer(tmp_path),
        make_composer(MailSettings(domain="planner.test")),
        datetime.now(UTC),
        DispatchSettings(),
    )
    assert report.sent == 1
    [eml] = list(tmp_path.glob("*.eml"))
    text = eml.read_text()
    assert "To: Terry Therapist <t@portal.org>" in text and "Subject: Pain alert: Margarethe Quist-Olsen" in text
    assert "<pain-alert-" in text  # a Message-ID of its own kind, the same on every attempt


def test_handout_carries_the_link_and_the_patient_can_download_it(world):
    import io

    from pypdf import PdfReader

    printed = world["client"].post(f"/programs/{world['program'].id}/handout.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(printed.data)).pages)
    assert world["token"][:20] in text.replace("\n", "")  # the short address beside the QR code
    downloaded = world["app"].test_client().get(f"/p/{world['token']}/handout.pdf")
    assert downloaded.status_code == 200 and downloaded.mimetype == "application/pdf"
    assert "Quist-Olsen" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(downloaded.data)).pages)


@pytest.mark.parametrize(
    ("answers", "says"),
    [
        ({"pain": "4"}, "Saved: pain 4 out of 10."),
        ({"pain": "0", "difficulty": "easy"}, "Saved: pain 0 out of 10 and exercises easy."),
        (
            {"pain": "4", "difficulty": "right", "comment": "Better"},
            "Saved: pain 4 out of 10, exercises about right and your note.",
        ),
        ({"comment": "Tired"}, "Saved: your note."),
        ({}, "Saved. You left every answer empty."),
    ],
)
def test_the_day_report_is_confirmed_in_words_beside_the_save_button(world, answers, says, now):
    patient = world["app"].test_client()
    response = patient.post(f"/p/{world['token']}/day", data={"day": now.date().isoformat(), **answers})
    assert response.headers["Location"].endswith("saved=how#how-saved")
    html = patient.get(response.headers["Location"]).get_data(as_text=True)
    how = html[html.index('id="how"') :]
    assert f'<p class="saved" id="how-saved" role="status">{says}</p>' in how
    assert how.index(says) < how.index(">Save</button>")  # right above the button used
    assert html.count('class="saved"') == 1


def test_a_tick_goes_back_to_its_exercise_with_the_confirmation_inside(world, now):
    patient = world["app"].test_client()
    exercise_id = world["program"].items[1].exercise_id
    yesterday = now.date() - timedelta(days=1)
    response = patient.post(f"/p/{world['token']}/tick", data={"exercise": exercise_id, "day": yesterday.isoformat()})
    assert response.headers["Location"].endswith(f"saved=exercise-{exercise_id}#exercise-{exercise_id}-tick")
    html = patient.get(response.headers["Location"]).get_data(as_text=True)
    section = html[html.index(f'id="exercise-{exercise_id}"') :]
    section = section[: section.index("</form>")]  # the exercise, up to its button
    # Done 3 times a day: the tick is the first of three, and the confirmation says so.
    assert f"Saved: 1 of 3 times done on {yesterday:%A} {yesterday.day} {yesterday:%B}." in section


def test_yes_tapped_a_moment_after_the_question_opened_is_the_opening_tap_again(world, now):
    """The undo page's Yes lies where the link that opened it was: a tap on it within
    portal.REPEAT_SECONDS of the question is the same shaky tap, and the tick stays."""
    patient = world["app"].test_client()
    token, exercise = world["token"], world["program"].items[0].exercise
    today = now.date().isoformat()
    patient.post(f"/p/{token}/tick", data={"exercise": exercise.id, "day": today})
    world["db"].execute(update(ExerciseLog).values(created_at=now - timedelta(minutes=5)))  # an old tick
    world["db"].commit()
    html = patient.get(f"/p/{token}/undo?exercise={exercise.id}&day={today}").get_data(as_text=True)
    asked_at = re.search(r'name="asked_at" type="hidden" value="([^"]+)"', html).group(1)
    form = {"exercise": exercise.id, "day": today, "asked_at": asked_at}
    answer = patient.post(f"/p/{token}/undo", data=form)
    assert answer.status_code == 422 and "You opened this a moment ago, so the tick stays." in answer.get_data(
        as_text=True
    )
    assert len(world["db"].scalars(select(ExerciseLog)).all()) == 1
    earlier = (datetime.fromisoformat(asked_at) - timedelta(seconds=portal.REPEAT_SECONDS)).isoformat()
    for unknown in ("", "not a time", "2026-11-30T10:00:00"):  # an old page's form, a time without its zone
        assert patient.post(f"/p/{token}/undo", data={**form, "asked_at": unknown}).status_code == 302
        world["db"].expire_all()
        assert world["db"].scalars(select(ExerciseLog)).all() == []  # the question was asked: it is undone
        patient.post(f"/p/{token}/tick", data={"exercise": exercise.id, "day": today})
        world["db"].execute(update(ExerciseLog).values(created_at=now - timedelta(minutes=5)))
        world["db"].commit()
    answer = patient.post(f"/p/{token}/undo", data={**form, "asked_at": earlier})  # a deliberate tap, later
    assert answer.status_code == 302
    world["db"].expire_all()
    assert world["db"].scalars(select(ExerciseLog)).all() == []


@pytest.mark.parametrize(
    "language, said",
    [
        ("en", "We did not count that tap. It came within 5 seconds of the last one."),
        ("es", "No contamos ese toque. Llegó menos de 5 segundos después del anterior."),
    ],
)
def test_the_next_times_box_tapped_a_moment_after_the_last_tick_does_not_count_and_the_page_says_why(
    world, now, language, said
):
    """With a tremor a tap lands twice: the second, within portal.REPEAT_SECONDS, is no second time
    done, and the page says so in the patient's language beside the box (before, nothing changed
    and nothing was said)."""
    world["program"].patient.language = language
    world["db"].commit()
    patient = world["app"].test_client()
    token, exercise = world["token"], world["program"].items[0].exercise  # done 2 times a day
    today = now.date().isoformat()
    patient.post(f"/p/{token}/tick", data={"exercise": exercise.id, "day": today, "time": "1"})
    answer = patient.post(f"/p/{token}/tick", data={"exercise": exercise.id, "day": today, "time": "2"})
    assert answer.headers["Location"].endswith(f"saved=too-soon-{exercise.id}#exercise-{exercise.id}-tick")
    world["db"].expire_all()
    assert [log.times for log in world["db"].scalars(select(ExerciseLog))] == [1]
    html = patient.get(answer.headers["Location"]).get_data(as_text=True)
    tick_area = html[html.index(f'id="exercise-{exercise.id}-tick"') :]  # said where the patient tapped
    assert tick_area[: tick_area.index("</form>")].count(f'<p class="saved" role="status">{said}') == 1
    world["db"].execute(update(ExerciseLog).values(created_at=now - timedelta(seconds=portal.REPEAT_SECONDS)))
    world["db"].commit()  # the second time, done later: it counts
    answer = patient.post(f"/p/{token}/tick", data={"exercise": exercise.id, "day": today, "time": "2"})
    assert answer.headers["Location"].endswith(f"saved=exercise-{exercise.id}#exercise-{exercise.id}-tick")
    world["db"].expire_all()
    assert [log.times for log in world["db"].scalars(select(ExerciseLog))] == [2]


def test_the_tick_only_ticks_and_taking_it_back_asks_first(world, now):
    """A second submit of the tick, even one still saying done=0 from an old page, undoes nothing.
    Done 2 times a day, taking back asks first, names the time, and takes back that time only."""
    patient = world["app"].test_client()
    token, exercise = world["token"], world["program"].items[0].exercise
    today = now.date().isoformat()
    for done in ("1", "0", "1"):
        patient.post(f"/p/{token}/tick", data={"exercise": exercise.id, "day": today, "done": done, "time": "1"})
    assert [log.times for log in world["db"].scalars(select(ExerciseLog))] == [1]
    world["db"].execute(update(ExerciseLog).values(created_at=now - timedelta(hours=4)))  # the next time, later on
    world["db"].commit()
    patient.post(f"/p/{token}/tick", data={"exercise": exercise.id, "day": today, "time": "2"})
    world["db"].expire_all()
    assert [log.times for log in world["db"].scalars(select(ExerciseLog))] == [2]
    page = patient.get(f"/p/{token}/undo?exercise={exercise.id}&day={today}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Take back the tick?" in html
    assert (
        f"You ticked time 2 of 2 of <strong><bdi>{exercise.name}</bdi></strong> as done today." in html
    )  # what is undone
    asked = {"exercise": exercise.id, "day": today, "time": "2"}
    answer = patient.post(f"/p/{token}/undo", data=asked)
    assert answer.status_code == 422 and "the tick stays" in answer.get_data(as_text=True)  # a moment after the tick
    world["db"].execute(update(ExerciseLog).values(created_at=now - timedelta(minutes=5)))
    world["db"].commit()
    for _ in range(2):  # "Yes" tapped twice: the second finds time 2 gone and leaves time 1
        answer = patient.post(f"/p/{token}/undo", data=asked)
        assert answer.headers["Location"].endswith(f"saved=exercise-{exercise.id}#exercise-{exercise.id}-tick")
    world["db"].expire_all()
    assert [log.times for log in world["db"].scalars(select(ExerciseLog))] == [1]
    back = patient.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Saved: 1 of 2 times done today." in back
    # The count at the top counts that first time too (it had said none until both were done).
    count = portal.day_count(portal.day_plan(world["db"], world["program"], now.date()), set())
    assert count.done == 1 and f'id="count" role="status">1 of {count.times} times done today.</p>' in back
    patient.post(f"/p/{token}/undo", data={**asked, "time": "1"})
    world["db"].expire_all()
    assert world["db"].scalars(select(ExerciseLog)).all() == []
    again = patient.post(f"/p/{token}/undo", data={"exercise": exercise.id, "day": today})
    assert again.status_code == 302  # nothing left to take back: no error, nothing changed
    assert patient.get(f"/p/{token}/undo?exercise=999999&day={today}").status_code == 404
    patient.post(f"/p/{token}/tick", data={"exercise": exercise.id, "day": today})
    world["db"].execute(update(ExerciseLog).values(created_at=now - timedelta(minutes=5)))
    world["db"].commit()
    for day in ("", "not-a-day", (now.date() - timedelta(days=30)).isoformat()):  # never falls back to today
        assert patient.post(f"/p/{token}/undo", data={"exercise": exercise.id, "day": day}).status_code == 404
    assert len(world["db"].scalars(select(ExerciseLog)).all()) == 1


LONG_GREEK = "Ο πόνος στον αυχένα ξεκίνησε το πρωί και χειροτέρεψε μετά τις ασκήσεις. " * 6
LONG_CHINESE = "脖子很疼" * 120


@pytest.mark.parametrize(
    ("comment", "preview", "shortened"),
    [
        ("Neck hurt <b>a lot</b> & I stopped", "Neck hurt <b>a lot</b> & I stopped", False),
        ("הצוואר כואב מאוד / الرقبة تؤلمني", "הצוואר כואב מאוד / الرقبة تؤلمني", False),
        (LONG_GREEK, LONG_GREEK[:150].rsplit(" ", 1)[0], True),  # cut between words
        (LONG_CHINESE, LONG_CHINESE[:159], True),  # no spaces: cut where it stands
    ],
)
def test_the_pain_alert_carries_the_patients_comment(world, tmp_path, comment, preview, shortened, now):
    from email import message_from_bytes, policy
    from html import escape

    from planner.mail import FileMailer
    from planner.services.emails import MailSettings, make_composer
    from planner.services.outbox import DispatchSettings, dispatch_due

    patient = world["app"].test_client()
    patient.post(f"/p/{world['token']}/day", data={"day": now.date().isoformat(), "pain": "9", "comment": comment})
    stored = world["db"].scalars(select(PainAlert)).one().comment
    assert stored == comment.strip()

    dashboard = world["client"].get("/dashboard").get_data(as_text=True)
    assert f'They wrote: <q dir="auto" class="patient-comment">{escape(preview, quote=True)}' in dashboard
    assert ("…</q>" in dashboard) == shortened and ("Read the whole comment" in dashboard) == shortened
    assert "<b>a lot" not in dashboard
    page = world["client"].get(f"/patients/{world['patient'].id}").get_data(as_text=True)
    assert escape(stored, quote=True) in page  # the whole comment, on the patient's page

    dispatch_due(
        world["db"],
        FileMailer(tmp_path),
        make_composer(MailSettings(domain="planner.test", public_url="https://planner.example")),
        datetime.now(UTC),
        DispatchSettings(),
    )
    [eml] = list(tmp_path.glob("*.eml"))
    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")  # SMTP line ends
    html = message.get_body(("html",)).get_content()
    assert f"They wrote:\n\n“{preview}" in text
    assert f'<blockquote dir="auto">{escape(preview)}' in html and "<b>a lot" not in html
    assert ("The whole comment is on the patient's page." in text) == shortened
    assert "https://planner.example/patients/" in text


def chosen(html: str) -> tuple[list[str], list[str]]:
    """The pain and the difficulty the phone page shows as chosen, and the difficulty's words."""
    picked = re.findall(r'<input checked id="(?:pain|difficulty)-\d+" name="\w+" type="radio" value="(\w+)">', html)
    words = re.findall(r'name="difficulty" type="radio" value="\w+"> ([^<]+)</label>', html)
    return picked, words


def test_the_days_answers_show_as_chosen_at_once_in_the_patients_language(world, now):
    """The radio buttons are kept per process (by value and language): each save, day and
    language still shows its own choice and words."""
    patient, token, today = world["app"].test_client(), world["token"], now.date()
    assert chosen(patient.get(f"/p/{token}").get_data(as_text=True)) == ([], ["Easy", "About right", "Hard"])
    for pain, difficulty in (("4", "hard"), ("6", "easy")):
        patient.post(f"/p/{token}/day", data={"day": today.isoformat(), "pain": pain, "difficulty": difficulty})
        assert chosen(patient.get(f"/p/{token}").get_data(as_text=True))[0] == [pain, difficulty]
    yesterday = (today - timedelta(days=1)).isoformat()
    assert chosen(patient.get(f"/p/{token}?day={yesterday}").get_data(as_text=True))[0] == []
    world["patient"].language = "es"
    world["db"].commit()
    assert chosen(patient.get(f"/p/{token}").get_data(as_text=True)) == (
        ["6", "easy"],
        ["Fáciles", "Normales", "Difíciles"],
    )
    refused = patient.post(f"/p/{token}/day", data={"day": today.isoformat(), "pain": "12"}).get_data(as_text=True)
    assert '<p class="error">' in refused[refused.index('class="pain"') : refused.index('class="difficulty"')]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(
    "answers",
    [None, {"pain": "7", "difficulty": "hard", "comment": 'It hurt <a lot> & "then"\nless'}, {"comment": "Tired"}],
)
def test_the_days_fields_as_saved_are_the_html_the_day_form_writes(world, now, language, answers):
    """The how-did-it-go fields of a day as saved are written without a DayForm
    (portal/forms.day_fields): the very HTML the form writes, with and without a report, the
    patient's words escaped, in the patient's language; and a change shows on the next view."""
    from planner.web.portal.forms import DayForm
    from planner.web.portal.routes import open_link, render_page

    world["program"].patient.language = language
    world["db"].commit()
    patient, token, today = world["app"].test_client(), world["token"], now.date()
    if answers is not None:
        patient.post(f"/p/{token}/day", data={"day": today.isoformat(), **answers})
    page = patient.get(f"/p/{token}").get_data(as_text=True)
    with world["app"].test_request_context(f"/p/{token}"):
        link, program, opened_today = open_link(token)
        report = next(
            (
                r
                for r in home_reports.pain_history(world["db"], link.clinic_id, link.patient_id, today)
                if r.day == today
            ),
            None,
        )
        form = DayForm(
            formdata=None,
            day=today.isoformat(),
            pain=report.pain if report else None,
            difficulty=report.difficulty if report else None,
            comment=report.comment if report else "",
        )
        by_form = render_page(token, link, program, opened_today, today, form, report=report)

    def how(html: str) -> str:
        return html[html.index('<section id="how"') : html.index("</section>", html.index('<section id="how"'))]

    written = how(page)
    assert written == how(by_form)
    if answers is None:
        assert "checked" not in written
        assert 'rows="3">\r\n</textarea>' in written
    else:
        assert f'rows="3">\r\n{escape(answers["comment"])}</textarea>' in written
        assert ('<input checked id="pain-7"' in written) == ("pain" in answers)
        assert ('<input checked id="difficulty-2"' in written) == ("difficulty" in answers)
    assert ("¿Algo que contarle a su terapeuta?" in written) == (language == "es")
