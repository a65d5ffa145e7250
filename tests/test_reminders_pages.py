"""The dashboard, "Send again", "Email handout", consent on the patient form, the iCal feed, the dispatcher commands."""

from __future__ import annotations

import email
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from planner.models import OutboxMessage
from planner.scheduler import embedded_wanted, make_scheduler
from planner.services import calendar_feed
from tests.conftest import login
from tests.factories import make_clinic, make_patient, make_user, with_exercise
from tests.reminder_factories import make_program


def signed_in(app, db):  # noqa: ANN001, ANN201
    clinic = make_clinic(db, "Dash Clinic", timezone="UTC")
    me = make_user(db, clinic, email="me@dash.org", name="Dr. Me")
    other = make_user(db, clinic, email="other@dash.org")
    client = app.test_client()
    login(client, "me@dash.org")
    return client, clinic, me, other


@pytest.fixture
def setup(app, db, now):  # `now` first: the clock travels before the sign-in
    return signed_in(app, db)


@pytest.fixture
def setup_both(now, app_both, db_both):  # noqa: ANN001, ANN201
    """setup on SQLite, then on PostgreSQL."""
    return signed_in(app_both, db_both)


def program_due(db, clinic, therapist, name, due: date, now: datetime, **patient_fields):  # noqa: ANN003
    """A program made 60 days before `now` and due on `due`."""
    patient = make_patient(db, clinic, name, primary_therapist_id=therapist.id, **patient_fields)
    return make_program(
        db,
        patient,
        therapist.id,
        now - timedelta(days=60),
        start=now.date() - timedelta(days=60),
        on=due,
        title=f"{name}'s plan",
    )


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_home_is_the_dashboard_with_a_nav_link(setup):
    client, *_ = setup
    response = client.get("/")
    assert response.status_code == 302 and response.location.endswith("/dashboard")
    html = client.get("/dashboard").get_data(as_text=True)
    assert '<a href="/dashboard" aria-current="page">Dashboard</a>' in html


def test_dashboard_groups_overdue_this_week_and_later_for_this_therapist_only(setup, db, now, today):
    client, clinic, me, other = setup
    program_due(db, clinic, me, "Olga Overdue", today - timedelta(days=3), now)
    program_due(db, clinic, me, "Tara Today", today, now)
    program_due(db, clinic, me, "Wim Weekend", today + timedelta(days=6), now)
    # Due in 7 days: its first reminder ("in 7 days", a week's notice) goes out today, so it is due this week.
    program_due(db, clinic, me, "Sven Seven", today + timedelta(days=7), now)
    program_due(db, clinic, me, "Lars Later", today + timedelta(days=8), now)
    program_due(db, clinic, other, "Nina NotMine", today, now)
    archived = program_due(db, clinic, me, "Arne Archived", today, now)
    archived.archived_at = now
    db.commit()
    html = client.get("/dashboard").get_data(as_text=True)
    assert "Olga Overdue" in section(html, "overdue-h") and "3 days ago" in section(html, "overdue-h")
    week = section(html, "week-h")
    assert "Tara Today" in week and "Wim Weekend" in week and "(today)" in week and "Lars Later" not in week
    assert "Sven Seven" in week and "(in 7 days)" in week and "Due this week (3)" in week
    assert "Lars Later" in section(html, "later-h") and "Sven Seven" not in section(html, "later-h")
    # The week's reminder of the one due in 7 days is on its way today: the dashboard's week is the reminders'.
    sven = db.scalars(
        select(OutboxMessage).where(OutboxMessage.lead_days == 7, OutboxMessage.due_on == today + timedelta(days=7))
    ).all()
    assert sven and all(row.send_at.date() == today for row in sven)
    assert "Nina NotMine" not in html and "Arne Archived" not in html
    assert "Record re-evaluation" in week


def test_failed_email_shows_its_error_and_can_be_sent_again(setup_both, db_both, today, now):
    client, clinic, me, _other = setup_both
    db = db_both
    program = program_due(db, clinic, me, "Fay Failed", today + timedelta(days=20), now)
    row = db.scalars(select(OutboxMessage).where(OutboxMessage.program_id == program.id)).first()
    row.status, row.attempts, row.last_error = "failed", 5, "SMTPRecipientsRefused: mailbox unknown"
    db.commit()
    html = client.get("/dashboard").get_data(as_text=True)
    failed = section(html, "failed-h")
    assert "Fay Failed" in failed and "mailbox unknown" in failed and "Send again" in failed
    response = client.post(f"/outbox/{row.id}/resend")
    assert response.status_code == 302
    db.refresh(row)
    assert (row.status, row.attempts) == ("pending", 0)
    assert "failed-h" not in client.get("/dashboard").get_data(as_text=True)
    client.post(f"/outbox/{row.id}/resend")  # not failed any more: refused with a message, nothing changes
    assert "already sent or on its way" in client.get("/dashboard").get_data(as_text=True)


def test_send_again_on_the_failed_list_returns_to_that_page_and_never_to_another_site(setup_both, db_both, today, now):
    client, clinic, me, _other = setup_both
    db = db_both
    rows = []
    for n in range(3):
        program = program_due(db, clinic, me, f"Fay Failed {n}", today + timedelta(days=20), now)
        row = db.scalars(select(OutboxMessage).where(OutboxMessage.program_id == program.id)).first()
        row.status, row.attempts, row.last_error = "failed", 5, "SMTPRecipientsRefused: mailbox unknown"
        rows.append(row)
    db.commit()
    listed = f"/dashboard/failed?after={rows[-1].id}"
    assert client.get(listed).status_code == 200
    # The list the therapist works through, as the browser names it (Referrer-Policy: same-origin).
    back = client.post(f"/outbox/{rows[0].id}/resend", headers={"Referer": f"http://localhost{listed}"})
    assert back.status_code == 302 and back.location == listed
    assert "will be sent again" in client.get(listed).get_data(as_text=True)
    # Another site, or a path a browser would read as one, never: the dashboard instead.
    for elsewhere in (
        "http://evil.example/dashboard/failed",
        "http://localhost.evil.example/",
        "http://localhost//evil.example/x",
    ):
        answer = client.post(f"/outbox/{rows[1].id}/resend", headers={"Referer": elsewhere})
        assert answer.location == "/dashboard", elsewhere
    assert client.post(f"/outbox/{rows[2].id}/resend").location == "/dashboard"  # no Referer sent


def test_email_handout_is_refused_without_an_email_and_queued_and_sent_with_the_pdf(
    app, setup, db, tmp_path, today, now
):
    client, clinic, me, _other = setup
    program = program_due(db, clinic, me, "Hugo Handout", today + timedelta(days=30), now)
    with_exercise(db, program, now)  # an empty program is never given (issuing.refuse_empty)
    db.commit()
    html = client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert f'action="/programs/{program.id}/email-handout"' in html and "Email and give to patient" in html
    response = client.post(f"/programs/{program.id}/email-handout", follow_redirects=True)
    assert "Hugo Handout has no email address" in response.get_data(as_text=True)
    program.patient.email = "hugo@example.org"
    db.commit()
    response = client.post(f"/programs/{program.id}/email-handout", follow_redirects=True)
    assert "on its way to hugo@example.org" in response.get_data(as_text=True)
    row = db.scalars(select(OutboxMessage).where(OutboxMessage.kind == "handout")).one()
    assert (row.status, row.recipient, row.user_id) == ("pending", "patient", me.id)

    from planner.scheduler import dispatch_once

    report = dispatch_once(app)
    assert report.sent == 1 and report.failed == report.retried == 0
    [eml] = (tmp_path / "instance" / "outbox").glob("*handout*.eml")
    message = email.message_from_bytes(eml.read_bytes())
    assert message["To"] == "Hugo Handout <hugo@example.org>" and message["Message-ID"].startswith(
        f"<handout-{row.id}@"
    )
    [pdf] = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
    assert pdf.get_payload(decode=True).startswith(b"%PDF")


def test_consent_on_the_patient_form_adds_patient_reminders(setup, db, today, now):
    client, clinic, me, _other = setup
    program = program_due(db, clinic, me, "Cora Consent", today + timedelta(days=30), now)
    patient = program.patient
    form = client.get(f"/patients/{patient.id}/edit").get_data(as_text=True)
    assert "Agrees to email reminders when a re-evaluation is due" in form
    client.post(
        f"/patients/{patient.id}/edit",
        data={
            "name": "Cora Consent",
            "email": "cora@example.org",
            "language": "en",
            "reminder_consent": "y",
            "primary_therapist_id": str(me.id),
        },
    )
    db.expire_all()
    recipients = {r.recipient for r in db.scalars(select(OutboxMessage).where(OutboxMessage.status == "pending"))}
    assert recipients == {"therapist", "patient"}
    html = client.get(f"/patients/{patient.id}").get_data(as_text=True)
    reminders = section(html, "reminders-h")
    assert "<bdi>Cora Consent</bdi> is emailed too" in reminders and reminders.count("Waiting") == 6


def test_ical_feed_is_private_valid_escaped_and_revocable(setup, db, today, now):
    client, clinic, me, _other = setup
    program_due(db, clinic, me, "Rosa Díaz, Jr.; née Ruiz", today + timedelta(days=3), now)
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    html = client.post("/calendar/new").get_data(as_text=True)
    url = re.search(r'value="(http://localhost/calendar/[^"]+\.ics)"', html).group(1)
    token = url.rsplit("/", 1)[1][:-4]
    assert calendar_feed.feed_of(db, me).token_hash != token and len(token) >= 40  # only a hash is stored
    anonymous = client.application.test_client()
    response = anonymous.get(url)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    unfolded = body.replace("\r\n ", "")
    assert "SUMMARY:Re-evaluation: Rosa Díaz\\, Jr.\\; née Ruiz" in unfolded
    assert f"DTSTART;VALUE=DATE:{today + timedelta(days=3):%Y%m%d}" in unfolded
    assert unfolded.count("BEGIN:VEVENT") == unfolded.count("END:VEVENT") == 1
    client.post("/calendar/new")  # a new link: the old one stops working
    assert anonymous.get(url).status_code == 404
    client.post("/calendar/revoke")
    assert calendar_feed.feed_of(db, me) is None


@pytest.mark.parametrize(
    "text, escaped",
    [
        ("plain", "plain"),
        ("a,b", "a\\,b"),
        ("a;b", "a\\;b"),
        ("back\\slash", "back\\\\slash"),
        ("two\nlines", "two\\nlines"),
        ("crlf\r\nline", "crlf\\nline"),
    ],
)
def test_ical_text_is_escaped_per_rfc_5545(text, escaped):
    assert calendar_feed.escape_text(text) == escaped


def test_long_ical_lines_fold_without_splitting_a_character():
    line = "SUMMARY:" + "é" * 60
    folded = calendar_feed.fold(line)
    parts = folded.split("\r\n ")
    assert "".join(parts) == line and all(len(p.encode()) <= 75 for p in parts)


# Names and titles long enough to fold, in several scripts, with every character iCal escapes.
CALENDAR_CASES = [
    ("欧阳娜娜·司马相如·诸葛孔明·上官婉儿·东方不败·令狐冲", "颈部肌张力障碍家庭康复训练计划，第二版；拉伸\\强化"),
    ("Γεώργιος Παπαδόπουλος-Χατζηδάκης, Jr.; Θεσσαλονίκη", "Ασκήσεις για την αυχενική δυστονία\nκαι τη στάση"),
    ("Дмитрий Александрович Соколов-Микитов", "Упражнения для шеи, плеч; осанка \\ дыхание"),
    ("דוד בן־גוריון אברמוביץ׳ מירושלים, תל אביב", "תרגילים לצוואר; שלב שני"),
    ("María José Fernández-Gutiérrez de la Peña, Jr.", "Ejercicios de José;\r\nsemana 1\x07"),
]


def test_ical_feed_folds_long_names_in_any_script_without_splitting_a_character(setup, db, now, today):
    client, clinic, me, _other = setup
    programs = []
    for number, (name, title) in enumerate(CALENDAR_CASES, start=1):
        patient = make_patient(db, clinic, name, primary_therapist_id=me.id)
        due = today + timedelta(days=number)
        programs.append(make_program(db, patient, me.id, now, start=today - timedelta(days=60), on=due, title=title))
    html = client.post("/calendar/new").get_data(as_text=True)
    url = re.search(r'value="(http://localhost/calendar/[^"]+\.ics)"', html).group(1)
    body = client.application.test_client().get(url).data
    lines = body.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in body.replace(b"\r\n", b"")  # CRLF only
    for line in lines:
        assert len(line) <= 75
        line.decode("utf-8")  # each physical line is whole UTF-8: no character split by a fold
    assert any(line.startswith(b" ") for line in lines), "long lines are folded"
    unfolded = body.decode().replace("\r\n ", "")
    for program in programs:
        name = program.patient.name
        assert "SUMMARY:" + calendar_feed.escape_text(f"Re-evaluation: {name}") + "\r\n" in unfolded
        description = calendar_feed.escape_text(f"{name}, program “{program.title}”.")
        assert "DESCRIPTION:" + description + "\r\n" in unfolded
    assert unfolded.count("BEGIN:VEVENT") == len(CALENDAR_CASES)
    assert "\x07" not in unfolded and "\\, Jr.\\; " in unfolded and "\\\\" in unfolded


@pytest.mark.parametrize(
    "text, escaped",
    [
        ("颈部，康复", "颈部，康复"),  # a full-width comma is not iCal's comma
        ("tab\there", "tab\there"),
        ("bell\x07and\x00nul", "bell and nul"),
    ],
)
def test_ical_text_keeps_other_scripts_and_drops_control_characters(text, escaped):
    assert calendar_feed.escape_text(text) == escaped


@pytest.mark.parametrize(
    "embedded, reloader, run_main, wanted",
    [
        (True, False, None, True),  # flask serve without the reloader: this process dispatches
        (True, True, None, False),  # the reloader's watching parent: never
        (True, True, "true", True),  # the reloader's child that serves: once
        (False, False, None, False),  # a separate `flask reminders run` process does it
    ],
)
def test_the_web_process_dispatches_once_and_only_when_embedded(embedded, reloader, run_main, wanted):
    environ = {"WERKZEUG_RUN_MAIN": run_main} if run_main else {}
    assert embedded_wanted(embedded, reloader, environ) is wanted


def test_scheduler_is_the_clock_only_and_not_started_by_the_app(app):
    assert not any("apscheduler" in type(v).__module__ for v in app.extensions.values())
    scheduler = make_scheduler(app)
    assert not scheduler.running
    scheduler.start(paused=True)  # jobs get their settings when the scheduler starts
    try:
        [job] = scheduler.get_jobs()
        assert job.trigger.interval == timedelta(seconds=60)
        assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, None)
        assert job.next_run_time <= datetime.now(UTC)  # the first run is at start: overdue emails go out
    finally:
        scheduler.shutdown(wait=False)


def test_dispatch_command_sends_what_is_due_into_the_outbox_folder(app, db, tmp_path, now, today):
    clinic = make_clinic(db, "Cli Clinic", timezone="UTC")
    therapist = make_user(db, clinic, email="cli@clinic.org")
    patient = make_patient(db, clinic, "Cli Patient", primary_therapist_id=therapist.id)
    make_program(
        db,
        patient,
        therapist.id,
        now - timedelta(days=10),
        start=today - timedelta(days=10),
        on=today + timedelta(days=1),
    )
    db.execute(OutboxMessage.__table__.update().values(next_attempt_at=now - timedelta(minutes=1)))
    db.commit()
    result = app.test_cli_runner().invoke(args=["reminders", "dispatch"])
    assert result.exit_code == 0, result.output
    assert "Sent 3," in result.output  # 7 days, 1 day and on the day: all made due above
    files = list((tmp_path / "instance" / "outbox").glob("*.eml"))
    assert len(files) == 3
    assert app.test_cli_runner().invoke(args=["reminders", "dispatch"]).output.startswith("Sent 0,")
