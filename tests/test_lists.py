"""Long lists stay readable and cheap: the dashboard, the calendar feed and the patient list show a
bounded page, say how much more there is, and read the same number of rows at any caseload."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
import time_machine
from sqlalchemy import event, select

from planner.models import AuditEntry, OutboxMessage, PainAlert
from planner.models.portal import DayReport
from planner.services import calendar_feed, dashboard, patients
from tests.conftest import login
from tests.factories import make_clinic, make_patient, make_user
from tests.reminder_factories import make_program


def signed_in(app, db):  # noqa: ANN001, ANN201
    clinic = make_clinic(db, "List Clinic", timezone="UTC")
    me = make_user(db, clinic, email="me@lists.org", name="Dr. Me")
    client = app.test_client()
    login(client, "me@lists.org")
    return client, clinic, me


@pytest.fixture
def world(app, db, now):  # `now` first: the clock travels before the sign-in
    return signed_in(app, db)


@pytest.fixture
def world_both(now, app_both, db_both):  # noqa: ANN001, ANN201
    """world on SQLite, then on PostgreSQL."""
    return signed_in(app_both, db_both)


def due(db, clinic, therapist, name: str, days: int, now: datetime, title: str = "Neck program"):  # noqa: ANN201
    """A patient of the therapist whose program is due `days` from today (the date of `now`, on UTC)."""
    patient = make_patient(db, clinic, name, primary_therapist_id=therapist.id, phone="555-0101")
    today = now.date()
    return make_program(
        db, patient, therapist.id, now, start=today - timedelta(days=400), on=today + timedelta(days=days), title=title
    )


def listed(html: str) -> list[str]:
    """The patients' names linked in the page, in order (each name isolated in its own <bdi>)."""
    return re.findall(r'<a href="/patients/\d+"><bdi>([^<]+)</bdi></a>', html)


def follow(client, html: str, rel: str) -> str:  # noqa: ANN001
    href = re.search(rf'href="([^"]+)" rel="{rel}"', html) or re.search(r'href="(/dashboard/due\?[^"]*)"', html)
    return client.get(href.group(1).replace("&amp;", "&")).get_data(as_text=True)


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.find("</section>", start)]


def test_a_long_overdue_list_shows_a_page_and_pages_through_the_rest(world, db, monkeypatch, now):
    client, clinic, me = world
    monkeypatch.setattr(dashboard, "PAGE", 2)
    monkeypatch.setattr(dashboard, "LIST_PAGE", 2)
    monkeypatch.setattr(dashboard, "COUNT_LIMIT", 3)
    for n, name in enumerate(["Ana Über", "Βασίλης Όρος", "Дарья Юрьева", "王小明", "Şule Çınar"]):
        due(db, clinic, me, name, days=-10 + n, now=now)  # Ana is the most overdue
    due(db, clinic, me, "Nora Later", days=30, now=now)
    html = client.get("/dashboard").get_data(as_text=True)
    overdue = section(html, "overdue-h")
    assert "Overdue (more than 2)" in overdue
    assert listed(overdue) == ["Ana Über", "Βασίλης Όρος"]
    assert "See all overdue re-evaluations" in overdue
    assert listed(section(html, "later-h")) == ["Nora Later"] and "See all" not in section(html, "later-h")

    first = follow(client, overdue, "next")
    assert "Overdue re-evaluations (more than 3)" in first
    assert listed(first) == ["Ana Über", "Βασίλης Όρος"]
    second = follow(client, first, "next")
    assert listed(second) == ["Дарья Юрьева", "王小明"]
    third = follow(client, second, "next")
    assert listed(third) == ["Şule Çınar"] and "Next page" not in third
    views = db.scalars(select(AuditEntry.detail).where(AuditEntry.subject_type == "dashboard")).all()
    assert views == ["", "overdue", "overdue", "overdue"]  # every page of the list is a recorded view


def test_a_list_page_after_another_clinics_program_is_not_found(world, db, app, now):
    client, clinic, me = world
    other = make_clinic(db, "Other Clinic")
    stranger = make_user(db, other, email="x@other.org")
    theirs = due(db, other, stranger, "Their Patient", days=-3, now=now)
    assert client.get(f"/dashboard/due?group=overdue&after={theirs.id}").status_code == 404
    assert client.get("/dashboard/due?group=everything").status_code == 404


def count_queries(app, client, path: str) -> int:  # noqa: ANN001
    return len(statements_of(app, client, path))


def grow(db, clinic, me, start: int, end: int, now: datetime) -> None:
    """Patients start..end-1, each due, with an open pain alert and a failed email."""
    for n in range(start, end):
        program = due(db, clinic, me, f"Patient {n:03d}", n % 40 - 20, now)
        db.add(PainAlert(clinic_id=clinic.id, patient_id=program.patient_id, day=now.date(), pain=8, reason="Pain 8."))
        db.add(
            OutboxMessage(
                clinic_id=clinic.id, kind="handout", program_id=program.id, patient_id=program.patient_id,
                user_id=me.id, recipient="patient", status="failed", send_at=now, next_attempt_at=now,
                last_error="550 mailbox unknown",
            )
        )  # fmt: skip
    db.commit()


def test_the_dashboard_reads_as_many_rows_for_3_patients_as_for_45(world, db, app, now):
    client, clinic, me = world
    grow(db, clinic, me, 0, 3, now=now)
    few = count_queries(app, client, "/dashboard")
    html = client.get("/dashboard").get_data(as_text=True)
    assert "Pain alerts from home (3)" in html and "Emails that could not be sent (3)" in html
    grow(db, clinic, me, 3, 45, now=now)
    many = count_queries(app, client, "/dashboard")
    assert few == many
    html = client.get("/dashboard").get_data(as_text=True)
    # Counted as far as the page reads, as the re-evaluations are ("Overdue (more than 10)"):
    # the See all pages count them all (45, below).
    assert "Pain alerts from home (more than 10; the 10 newest here)" in html
    assert "Emails that could not be sent (more than 10; the 10 newest here)" in html
    assert "Overdue (more than 10)" in html
    alerts, failed = html.split('id="alerts-h"')[1].split('id="failed-h"')
    # Each alert and each failed email names its own patient, newest first.
    assert alerts.count("<bdi>Patient 044</bdi>") == 2  # the link, and the button's label for a screen reader
    assert "<bdi>Patient 035</bdi>" in alerts and "<bdi>Patient 034</bdi>" not in alerts
    assert "<bdi>Patient 044</bdi>" in failed and "<bdi>Patient 035</bdi>" in failed


def commented(db, clinic, me, start: int, end: int, now: datetime) -> None:
    """Patients start..end-1, each with a pain alert raised by a day report that has a comment."""
    for n in range(start, end):
        program = due(db, clinic, me, f"Patient {n:03d}", 3, now)
        report = DayReport(
            clinic_id=clinic.id, patient_id=program.patient_id, program_id=program.id, day=now.date(), pain=8,
            comment=f"Neck pulled hard on day {n}.",
        )  # fmt: skip
        db.add(report)
        db.flush()
        db.add(
            PainAlert(
                clinic_id=clinic.id, patient_id=program.patient_id, day=now.date(), pain=8, reason="Pain 8.",
                day_report_id=report.id,
            )
        )  # fmt: skip
    db.commit()


def statements_of(app, client, path: str) -> list[str]:  # noqa: ANN001
    statements: list[str] = []
    engine = app.extensions["db_engine"]
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return statements


@pytest.mark.parametrize("path", ["/dashboard", "/dashboard/alerts"])
def test_alerts_with_the_patients_comments_cost_no_statement_each(world_both, db_both, app_both, now, path):
    """Each alert shows the words of the day that raised it; the page reads them with the alerts,
    not one statement per alert, on SQLite and PostgreSQL."""
    client, clinic, me = world_both
    commented(db_both, clinic, me, 0, 12, now=now)
    # The statements that read the day reports (a sign-in's own upkeep may come and go beside them).
    reads = [s for s in statements_of(app_both, client, path) if "day_reports" in s]
    assert len(reads) == 1, reads
    html = client.get(path).get_data(as_text=True)
    shown = 10 if path == "/dashboard" else 12
    said = re.findall(r'<q dir="auto" class="patient-comment">Neck pulled hard on day (\d+)\.</q>', html)
    assert len(said) == shown
    # Each comment under its own patient's name.
    for n in said:
        assert re.search(
            rf"<bdi>Patient {int(n):03d}</bdi></a>, [^<]*: Pain 8\.\s*<br>They wrote: <q[^>]*>Neck pulled hard on day {n}\.",
            html,
        )


def walk(client, path: str) -> tuple[str, list[str]]:  # noqa: ANN001
    """The first page's heading and every patient named by the rows of every page, Next after Next."""
    html = client.get(path).get_data(as_text=True)
    heading = re.search(r"<h1>(.*?)</h1>", html).group(1)
    names = []
    while True:
        body = html.split("</h1>")[1].split('<nav class="pager"')[0]
        names += re.findall(r'<a href="/patients/\d+"><bdi>([^<]+)</bdi></a>', body)
        found = re.search(r'<a href="([^"]+)" rel="next">', html)
        if not found:
            return heading, names
        html = client.get(found.group(1).replace("&amp;", "&")).get_data(as_text=True)


@pytest.mark.parametrize(
    "kind, title", [("alerts", "Pain alerts from home"), ("failed", "Emails that could not be sent")]
)
def test_every_pain_alert_and_failed_email_is_counted_and_listed_a_page_at_a_time(
    world_both, db_both, now, kind, title
):
    """Trial 15 F5: the dashboard showed the 10 newest, no count, and the rest could not be reached.
    On SQLite and PostgreSQL: the pages follow (time, id) keys, compared as row values."""
    client, clinic, me = world_both
    db = db_both
    grow(db, clinic, me, 0, 45, now=now)
    other_clinic = make_clinic(db, "Elsewhere")
    stranger = make_patient(db, other_clinic, "Sam Stranger")
    db.add(PainAlert(clinic_id=other_clinic.id, patient_id=stranger.id, day=now.date(), pain=9, reason="Pain 9."))
    colleague = make_user(db, clinic, email="you@lists.org")
    theirs = make_patient(db, clinic, "Theo Theirs", primary_therapist_id=colleague.id)
    db.add(PainAlert(clinic_id=clinic.id, patient_id=theirs.id, day=now.date(), pain=9, reason="Pain 9."))
    db.commit()
    dashboard_html = client.get("/dashboard").get_data(as_text=True)
    assert f'href="/dashboard/{kind}">See all' in dashboard_html

    heading, names = walk(client, f"/dashboard/{kind}")
    assert heading == f"{title} (45)"
    # Newest first, each patient once, every one of the 45 reached; nobody else's.
    assert names == [f"Patient {n:03d}" for n in range(44, -1, -1)]
    views = db.scalars(select(AuditEntry.detail).where(AuditEntry.detail == kind)).all()
    assert views == [kind, kind]  # two pages, each a recorded view
    other_alert = db.scalars(select(PainAlert.id).where(PainAlert.clinic_id == other_clinic.id)).one()
    if kind == "alerts":
        assert client.get(f"/dashboard/alerts?after={other_alert}").status_code == 404
    assert client.get(f"/dashboard/{kind}?after=x").status_code == 404


def test_mark_as_seen_on_the_alerts_list_returns_to_that_page_without_the_alert(world_both, db_both, now):
    """Mark as seen, posted from the second page of the alerts, takes that alert off the lists and
    comes back to the same page; another site's address or another clinic's alert, never. On
    SQLite and PostgreSQL."""
    client, clinic, me = world_both
    db = db_both
    grow(db, clinic, me, 0, 30, now=now)
    other_clinic = make_clinic(db, "Elsewhere")
    stranger = make_patient(db, other_clinic, "Sam Stranger")
    theirs = PainAlert(clinic_id=other_clinic.id, patient_id=stranger.id, day=now.date(), pain=9, reason="Pain 9.")
    db.add(theirs)
    db.commit()
    first = client.get("/dashboard/alerts").get_data(as_text=True)
    second_page = re.search(r'<a href="([^"]+)" rel="next">', first).group(1).replace("&amp;", "&")
    html = client.get(second_page).get_data(as_text=True)
    alert_id, another = (int(n) for n in re.findall(r'action="/alerts/(\d+)/seen"', html)[:2])
    seen_name = db.get(PainAlert, alert_id).patient.name

    back = client.post(f"/alerts/{alert_id}/seen", headers={"Referer": f"http://localhost{second_page}"})

    assert back.status_code == 302 and back.location == second_page
    db.expire_all()
    assert db.get(PainAlert, alert_id).seen
    heading, names = walk(client, "/dashboard/alerts")
    assert heading == "Pain alerts from home (29)" and seen_name not in names and len(names) == 29
    elsewhere = client.post(f"/alerts/{another}/seen", headers={"Referer": "http://evil.example/dashboard/alerts"})
    assert elsewhere.location == "/dashboard"
    assert client.post(f"/alerts/{theirs.id}/seen").status_code == 404
    db.expire_all()
    assert not db.get(PainAlert, theirs.id).seen


# ---- the calendar feed ---------------------------------------------------------------------------


def feed_url(client) -> str:  # noqa: ANN001
    html = client.post("/calendar/new").get_data(as_text=True)
    return re.search(r'value="http://localhost(/calendar/[^"]+\.ics)"', html).group(1)


def test_the_feed_covers_the_weeks_around_today(world, db, now):
    client, clinic, me = world
    for name, days in [
        ("Past Window", -(calendar_feed.PAST_DAYS + 1)),
        ("Last Week", -calendar_feed.PAST_DAYS),
        ("Today Person", 0),
        ("Last Ahead", calendar_feed.AHEAD_DAYS),
        ("Too Far", calendar_feed.AHEAD_DAYS + 1),
    ]:
        due(db, clinic, me, name, days, now=now)
    body = client.get(feed_url(client)).get_data(as_text=True)
    assert [n for n in ("Past Window", "Last Week", "Today Person", "Last Ahead", "Too Far") if n in body] == [
        "Last Week",
        "Today Person",
        "Last Ahead",
    ]
    assert "Past Window" in client.get("/dashboard").get_data(as_text=True)  # the dashboard still lists it


def test_a_full_feed_keeps_today_and_the_days_ahead_first(world, db, monkeypatch, now):
    client, clinic, me = world
    monkeypatch.setattr(calendar_feed, "MAX_EVENTS", 3)
    for name, days in [("Yesterday One", -1), ("Today One", 0), ("Tomorrow One", 1), ("Later One", 9), ("Far One", 30)]:
        due(db, clinic, me, name, days, now=now)
    body = client.get(feed_url(client)).get_data(as_text=True)
    assert [n for n in ("Yesterday One", "Today One", "Tomorrow One", "Later One", "Far One") if n in body] == [
        "Today One",
        "Tomorrow One",
        "Later One",
    ]


def events_of(ics: str) -> list[tuple[str, str, str]]:
    """(DTSTART date, SUMMARY, DESCRIPTION) of each event of a feed's text, unfolded."""
    text = ics.replace("\r\n ", "")
    found = []
    for block in text.split("BEGIN:VEVENT")[1:]:
        fields = dict(line.split(":", 1) for line in block.split("\r\n") if ":" in line)
        found.append((fields["DTSTART;VALUE=DATE"], fields["SUMMARY"], fields.get("DESCRIPTION", "")))
    return found


def test_a_full_feed_lists_whole_days_and_says_what_it_leaves_out(world, db, monkeypatch, now):
    """Trial 15 F1: at a hospital caseload the feed held 17 of a day's 53 re-evaluations, nothing
    after, no overdue ones, and said nothing. Now a day is listed whole or not at all, and all-day
    notes say how many are overdue and from which day the dashboard has the rest."""
    client, clinic, me = world
    monkeypatch.setattr(calendar_feed, "MAX_EVENTS", 5)
    days = {0: ["Ada Today", "Bo Today"], 1: ["Cy Next", "Di Next"], 2: ["Ed Third", "Flo Third", "Gus Third"]}
    for offset, names in days.items():
        for name in names:
            due(db, clinic, me, name, offset, now=now)
    for name, offset in [("Old One", -2), ("Old Two", -10), ("Old Three", -20)]:
        due(db, clinic, me, name, offset, now=now)
    url = feed_url(client)
    listed = events_of(client.get(url).get_data(as_text=True))
    today = now.date()

    def on(offset: int) -> str:
        return (today + timedelta(days=offset)).strftime("%Y%m%d")

    for offset, names in days.items():  # each day whole, or none of it
        shown = [s for d, s, _ in listed if d == on(offset) and s.startswith("Re-evaluation: ")]
        assert len(shown) in (0, len(names)), (offset, shown)
    assert [s for _, s, _ in listed if s.startswith("Re-evaluation: ")] == [
        "Re-evaluation: Ada Today",
        "Re-evaluation: Bo Today",
        "Re-evaluation: Cy Next",
        "Re-evaluation: Di Next",
    ]
    notes = [(d, s, desc) for d, s, desc in listed if not s.startswith("Re-evaluation: ")]
    last = today + timedelta(days=1)
    assert notes == [
        (
            on(0),
            "3 re-evaluations overdue: see your dashboard",
            "Your dashboard lists every overdue re-evaluation\\, the oldest first.",
        ),
        (
            on(2),
            "More re-evaluations: see your dashboard",
            f"There are too many to list here. This calendar lists them up to {last:%A} {last.day} {last:%B %Y}. "
            "Your dashboard lists them all.",
        ),
    ]
    page = client.get("/calendar").get_data(as_text=True)
    assert "from 7 days ago to 8 weeks ahead, whole days only, up to 5 of them" in page
    assert "When some are overdue, a note on today says how many." in page


def test_the_feed_answers_304_until_its_events_change(world, db, now):
    client, clinic, me = world
    program = due(db, clinic, me, "Rosa Díaz", 3, now=now)
    url = feed_url(client)
    app_client = client.application.test_client()  # a calendar app: no session, the token is the key
    first = app_client.get(url)
    assert first.status_code == 200 and first.headers["ETag"] and first.headers["Last-Modified"]
    assert first.headers["Cache-Control"] == "private, no-cache"
    stamp = datetime.strptime(first.headers["Last-Modified"], "%a, %d %b %Y %H:%M:%S GMT").strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTAMP:{stamp}" in first.get_data(as_text=True)

    again = app_client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    app_client.get(url)  # (the date-only case: test_a_date_only_app_never_misses_a_change)
    assert app_client.get(url).get_data() == first.get_data()  # the same events, the same text

    program.title = "Neck and shoulders"
    db.commit()
    changed = app_client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and "Neck and shoulders" in changed.get_data(as_text=True).replace("\r\n ", "")
    assert changed.headers["ETag"] != first.headers["ETag"]
    feeds = db.scalars(select(AuditEntry).where(AuditEntry.subject_type == "calendar_feed")).all()
    assert len(feeds) == 5 and all(e.user_id == me.id for e in feeds)  # a 304 is a recorded view too


def test_a_date_only_app_never_misses_a_change(world, db, now):
    """A calendar app that sends only If-Modified-Since (trial 15 F6): Last-Modified has whole
    seconds, and a second change within the second of the first was answered 304. Now a date
    answers 304 only when the events changed strictly before it."""
    client, clinic, me = world
    first_program = due(db, clinic, me, "Rosa Díaz", 3, now=now)
    due(db, clinic, me, "Ana Ruiz", 4, now=now)
    url = feed_url(client)
    app_client = client.application.test_client()
    second = now.replace(microsecond=0) + timedelta(seconds=10)

    def ask(at: datetime, since: str | None = None):  # noqa: ANN202
        with time_machine.travel(at, tick=False):
            return app_client.get(url, headers={"If-Modified-Since": since} if since else {})

    seen = ask(second + timedelta(milliseconds=200))
    assert seen.status_code == 200
    first_program.archived_at = now  # Rosa's re-evaluation leaves the feed in the same second
    db.commit()
    changed = ask(second + timedelta(milliseconds=600), since=seen.headers["Last-Modified"])
    assert changed.status_code == 200 and "Rosa Díaz" not in changed.get_data(as_text=True)
    held = changed.headers["Last-Modified"]
    assert ask(second + timedelta(milliseconds=900), since=held).status_code == 200  # its second is not over
    later = ask(second + timedelta(seconds=2), since=held)
    assert later.status_code == 200 and later.get_data() == changed.get_data()
    assert ask(second + timedelta(seconds=3), since=later.headers["Last-Modified"]).status_code == 304
    assert parsedate_to_datetime(later.headers["Last-Modified"]) <= second + timedelta(seconds=2)


def test_a_feed_asked_for_again_shows_each_edit_at_once_and_never_another_clinics(world, db, now):
    """A calendar app that asks without If-None-Match gets the text kept for the feed's ETag
    (calendar_feed.feed_text): a renamed patient, a new title or date shows in the next answer."""
    client, clinic, me = world
    program = due(db, clinic, me, "Rosa Díaz", 3, now=now)
    url = feed_url(client)
    elsewhere = make_clinic(db, "Elsewhere", timezone="UTC")
    due(db, elsewhere, make_user(db, elsewhere, email="other@lists.org"), "Олег Петров", 3, now=now)
    other = client.application.test_client()
    login(other, "other@lists.org")
    other_url = feed_url(other)
    app = client.application.test_client()  # a calendar app: no session, the token is the key

    def text(feed: str) -> str:
        return app.get(feed).get_data(as_text=True).replace("\r\n ", "")  # lines unfolded

    assert "Rosa Díaz" in text(url) and "Олег Петров" in text(other_url)
    program.patient.name = "Rosa María Díaz"
    program.title = "Neck and shoulders"
    program.reeval_date = now.date() + timedelta(days=5)  # the therapist sets the next date
    db.commit()
    mine, theirs = text(url), text(other_url)
    assert "Rosa María Díaz" in mine and "Neck and shoulders" in mine
    assert f"DTSTART;VALUE=DATE:{(now.date() + timedelta(days=5)).strftime('%Y%m%d')}" in mine
    assert "Олег" not in mine
    assert "Олег Петров" in theirs and "Rosa" not in theirs


# ---- the patient list ----------------------------------------------------------------------------


def test_the_patient_list_counts_up_to_a_limit_and_pages_by_name(world, db, monkeypatch):
    client, clinic, _me = world
    monkeypatch.setattr(patients, "COUNT_LIMIT", 4)
    for name in ["Émile Zola", "Ólafur Arnalds", "Çağla Şen", "Ингрид Бергман", "Ανδρέας Ζήσης", "Zoë Adams"]:
        make_patient(db, clinic, name)
    page = patients.list_patients(db, clinic.id, page_size=4)
    assert page.total_text == "more than 4 patients" and not page.more_before and page.more_after
    rest = patients.list_patients(db, clinic.id, page_size=4, after=page.patients[-1].id)
    assert len(page.patients) + len(rest.patients) == 6 and rest.more_before and not rest.more_after
    names = [p.name for p in page.patients + rest.patients]
    # By the folded name (accents and case set aside), each script after the Latin one.
    assert names == ["Çağla Şen", "Émile Zola", "Ólafur Arnalds", "Zoë Adams", "Ανδρέας Ζήσης", "Ингрид Бергман"]
    back = patients.list_patients(db, clinic.id, page_size=4, before=rest.patients[0].id)
    assert back.patients == page.patients and not back.more_before
    html = client.get("/patients").get_data(as_text=True)
    assert "more than 4 patients" in html


def test_the_patient_list_links_its_last_page_read_as_cheaply_as_the_first(world, db, app):
    """Trial 15 F7: reaching the end of 19,000 patients took 760 clicks on Next."""
    client, clinic, _me = world
    for n in range(30):
        make_patient(db, clinic, f"Patient {n:03d}")
    first = client.get("/patients").get_data(as_text=True)
    last_url = re.search(r'<a href="([^"]+)" rel="last">Last</a>', first).group(1).replace("&amp;", "&")
    assert 'rel="first"' not in first
    last = client.get(last_url).get_data(as_text=True)
    shown = re.findall(r"Patient \d{3}", last.split("<tbody>")[1].split("</tbody>")[0])
    assert shown[-1] == "Patient 029" and len(set(shown)) == 25
    assert 'rel="first"' in last and 'rel="prev"' in last and 'rel="next"' not in last and 'rel="last"' not in last
    assert count_queries(app, client, last_url) == count_queries(app, client, "/patients")


def test_a_page_after_another_clinics_patient_is_the_first_page(world, db):
    client, clinic, _me = world
    make_patient(db, clinic, "Mine Only")
    other = make_clinic(db, "Elsewhere")
    stranger = make_patient(db, other, "Not Mine")
    html = client.get(f"/patients?after={stranger.id}").get_data(as_text=True)
    assert listed(html) == ["Mine Only"] and "Not Mine" not in html
