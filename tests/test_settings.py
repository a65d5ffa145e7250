"""Settings are read one way: config.toml becomes typed settings once, stored on the app.

Every path (pages, phone page, emailed handouts, reminders, sign-in) sees the values the app
was built with, and two apps in one process keep their own. Nothing reads config.toml again.
"""

from __future__ import annotations

import email
import io
import re
import shutil
import subprocess
from datetime import UTC, date, timedelta
from pathlib import Path

import pytest
from argon2 import extract_parameters
from pypdf import PdfReader
from sqlalchemy import select

from planner import scheduler
from planner.config import read_settings
from planner.dystonia.pattern import PatternEntry
from planner.handouts import HandoutOptions
from planner.models import OutboxMessage, ProgramTemplate, User
from planner.passwords import PasswordCost
from planner.services import program_templates, programs, recorded_patterns
from planner.services.calendar_window import Window
from planner.services.reminders import Schedule
from planner.settings import build
from tests.conftest import build_app, login
from tests.factories import PASSWORD, make_clinic, make_patient, make_user

A4 = (595, 842)


def page_size(pdf: bytes) -> tuple[int, int]:
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def test_the_shipped_defaults_are_the_services_defaults():
    """A service called without the app's settings (a test, a script) behaves as config.toml ships."""
    shipped = build(read_settings())
    assert shipped.window == Window()
    assert shipped.schedule == Schedule()
    assert shipped.password_cost == PasswordCost()
    assert shipped.handouts == HandoutOptions(languages=shipped.handouts.languages)
    assert shipped.max_exercises == programs.MAX_EXERCISES


@pytest.mark.parametrize(
    ("section", "value", "named"),
    [
        ("handouts", {"page_size": "folio"}, r"\[handouts\] page_size"),
        ("patients", {"page_size": "many"}, r"\[patients\]"),
        ("server", {"port": "web"}, r"\[server\]"),
        ("reminders", {"interval_seconds": "often"}, r"\[reminders\]"),
        ("backup", {"keep": "all"}, r"\[backup\]"),
        ("programs", {"max_exercises": None}, r"\[programs\]"),
        ("security", {"argon2_memory_kib": "lots"}, r"\[security\]"),
        ("security", {"failure_window_minutes": "soon"}, r"\[security\]"),
        # A word is not a boolean: "no" had been read as true (bool("no")), showing full names.
        ("calendar", {"patient_names": "no"}, r"\[calendar\] patient_names must be true or false"),
    ],
)
def test_a_bad_setting_stops_the_app_at_start_up(tmp_path, section, value, named):
    with pytest.raises(ValueError, match=named):
        build_app(tmp_path, **{section: value})


@pytest.fixture
def a4_app(tmp_path, catalog_file):
    """An app with A4 handouts, a 16:00 reminder two days ahead, its own hashing cost and a public address."""
    copy = tmp_path / "planner.sqlite3"
    shutil.copyfile(catalog_file, copy)
    app = build_app(
        tmp_path,
        url=f"sqlite:///{copy}",
        handouts={"page_size": "a4"},
        reminders={"lead_days": [2], "send_hour": 16},
        security={"argon2_memory_kib": 2048, "argon2_time_cost": 1},
        server={"public_url": "https://planner.example"},
    )
    yield app
    app.extensions["db_engine"].dispose()


def _program_with_an_email(app, now):  # noqa: ANN001, ANN202
    db = app.extensions["db_sessionmaker"]()
    clinic = make_clinic(db, timezone="UTC")
    therapist = make_user(db, clinic, email="s@settings.example")
    patient = make_patient(db, clinic, "Zoë Ångström", email="zoe@example.org", reminder_consent=True)
    # Her pattern gives the template's turning exercises their side, so the handout can be made.
    recorded_patterns.record_pattern(
        db, patient, PatternEntry({"rotation": "left"}, {"rotation": 2}), now.date(), None, now
    )
    template = db.scalars(select(ProgramTemplate).where(ProgramTemplate.slug == "shipped-cervical-dystonia")).one()
    program = program_templates.start_from_template(db, template, patient, therapist.id, now.date(), now).program
    db.commit()
    return db, patient, program


def test_printed_phone_and_emailed_handouts_follow_the_apps_page_size(a4_app, tmp_path, now):
    db, patient, program = _program_with_an_email(a4_app, now)
    client = a4_app.test_client()
    login(client, "s@settings.example")
    assert page_size(client.post(f"/programs/{program.id}/handout.pdf").data) == A4
    client.post(f"/patients/{patient.id}/link")
    html = client.get(f"/patients/{patient.id}/link").get_data(as_text=True)
    token = re.search(r"/p/([^\"<\s]+)", html).group(1)
    assert page_size(a4_app.test_client().get(f"/p/{token}/handout.pdf").data) == A4

    client.post(f"/programs/{program.id}/email-handout")
    with a4_app.app_context():
        assert scheduler.dispatch_once(a4_app).sent == 1
    [eml] = (tmp_path / "instance" / "outbox").glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes())
    [pdf] = [part.get_payload(decode=True) for part in message.walk() if part.get_content_type() == "application/pdf"]
    assert page_size(pdf) == A4
    db.close()


def test_reminders_made_from_a_page_follow_the_apps_schedule(a4_app, now):
    db, patient, program = _program_with_an_email(a4_app, now)
    client = a4_app.test_client()
    login(client, "s@settings.example")
    due = now.date() + timedelta(days=30)
    data = {"title": program.title, "start_date": program.start_date.isoformat(), "reeval_date": due.isoformat()}
    data["lock_version"] = str(program.lock_version)
    assert client.post(f"/programs/{program.id}/details", data=data).status_code == 302
    db.expire_all()
    pending = (OutboxMessage.kind == "reevaluation", OutboxMessage.status == "pending")
    rows = db.scalars(select(OutboxMessage).where(*pending)).all()
    assert rows and {(r.due_on, r.lead_days) for r in rows} == {(due, 2)}
    assert {r.send_at.astimezone(UTC).hour for r in rows} == {16}
    db.close()


def test_passwords_set_through_pages_are_hashed_at_the_apps_cost(a4_app):
    client = a4_app.test_client()
    data = {
        "clinic_name": "Κλινική",
        "timezone": "UTC",
        "admin_name": "Ana",
        "admin_email": "ana@settings.example",
        "password": PASSWORD,
        "confirm": PASSWORD,
    }
    assert client.post("/setup", data=data).status_code == 302
    db = a4_app.extensions["db_sessionmaker"]()
    stored = db.scalars(select(User.password_hash).where(User.email == "ana@settings.example")).one()
    assert (extract_parameters(stored).memory_cost, extract_parameters(stored).time_cost) == (2048, 1)
    db.close()


def test_two_apps_in_one_process_keep_their_own_date_window(tmp_path, now):
    """The window was once a module global: building a second app changed the first one's."""
    narrow = build_app(tmp_path / "narrow", dates={"future_years": 1})
    build_app(tmp_path / "wide", dates={"future_years": 10})
    db = narrow.extensions["db_sessionmaker"]()
    clinic = make_clinic(db, timezone="UTC")
    patient = make_patient(db, clinic)
    make_user(db, clinic, email="n@settings.example")
    client = narrow.test_client()
    login(client, "n@settings.example")
    later = date(now.year + 3, 1, 15).isoformat()
    data = {"title": "Neck", "start_date": later, "lock_version": "0"}
    html = client.post(f"/patients/{patient.id}/programs/new", data=data).get_data(as_text=True)
    assert "Enter a start date between" in html
    db.close()
    narrow.extensions["db_engine"].dispose()


PLANNER_PACKAGE = Path(__file__).resolve().parent.parent / "planner"
UNTYPED = re.compile(r"""config(\[|\.get\()["']PLANNER["']|\.raw\b""")


def test_pages_commands_and_the_scheduler_read_the_typed_settings_only():
    """One settings path, typed: every reader asks Settings' fields (`settings.current()`, or
    `settings.of(app)`), never the merged file Flask also keeps in app.config, nor Settings.raw
    but for the mail backend's own [mail] options."""
    readers = [
        f"{path.relative_to(PLANNER_PACKAGE.parent)}:{number}"
        for path in sorted(PLANNER_PACKAGE.rglob("*.py"))
        if path.name != "settings.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if UNTYPED.search(line) and "mailer_from_settings(" not in line
    ]
    assert readers == [], "give planner.settings.Settings a typed field and read that instead"


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("zbarimg") is None,
    reason="poppler-utils (pdftoppm) or zbar-tools (zbarimg) is not installed: cannot scan the QR code",
)
@pytest.mark.parametrize(
    ("public_url", "ascii_url"),
    [
        ("https://clínica-ejemplo.es/planificador", "https://xn--clnica-ejemplo-1lb.es/planificador"),
        ("https://κλινική.example/φυσιο", "https://xn--jxavaccdp.example/%CF%86%CF%85%CF%83%CE%B9%CE%BF"),
        ("https://诊所.example:8443", "https://xn--8oup83g.example:8443"),
    ],
)
def test_a_public_address_in_any_script_reaches_the_qr_code_and_the_email_as_a_phone_opens_it(
    tmp_path, catalog_file, now, public_url, ascii_url
):
    """A clinic whose address is written in its own script: the handout's QR code held the address's
    Unicode letters with no character set named, and phones read them as another (zbarimg: Shift-JIS),
    so the link led nowhere. Every link the app makes (the QR code, the link page) carries the
    address in ASCII form (IDNA host, percent-encoded path), which phones and mail clients open."""
    copy = tmp_path / "planner.sqlite3"
    shutil.copyfile(catalog_file, copy)
    app = build_app(tmp_path, url=f"sqlite:///{copy}", server={"public_url": public_url})
    db, patient, program = _program_with_an_email(app, now)
    client = app.test_client()
    login(client, "s@settings.example")
    client.post(f"/patients/{patient.id}/link")  # her phone link, which the handout's QR code holds
    pdf = tmp_path / "h.pdf"
    pdf.write_bytes(client.post(f"/programs/{program.id}/handout.pdf").data)
    subprocess.run(["pdftoppm", "-png", "-r", "100", str(pdf), str(tmp_path / "page")], check=True)
    scans = [
        subprocess.run(
            ["zbarimg", "-q", "--raw", str(page)], capture_output=True, text=True, check=False
        ).stdout.strip()
        for page in sorted(tmp_path.glob("page-*.png"))
    ]
    [scanned] = [scan for scan in scans if scan]
    assert re.fullmatch(re.escape(ascii_url) + r"/p/[A-Za-z0-9_-]+", scanned), scanned

    # The link the therapist copies or sends from the patient's link page: the same ASCII form.
    html = client.get(f"/patients/{patient.id}/link").get_data(as_text=True)
    assert f"{ascii_url}/p/" in html and f"{public_url}/p/" not in html
    db.close()
    app.extensions["db_engine"].dispose()
