"""A handout that cannot be made (any fault while its PDF is laid out) says so in plain words to
whoever asked: which program, which patient, what to do, and a reference; the fault itself goes to
the log only, under that reference. Never a Python error on a page, an email row or a command.

Session 13's reviewer (trial17 F1): a long note at 18 pt stopped the layout; the therapist read
"Could not prepare the email: IndexError: list index out of range" on the dashboard, and print and
preview answered a bare error page. Here the layout's one drawing function (handouts.build.render)
raises as that crash did; everything else is real: a SQLite file, aiosmtpd, the pages, the commands.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from planner.handouts import build
from planner.mail import SMTPMailer
from planner.models import Program, ProgramVersion
from planner.services import outbox, patient_links
from planner.services.emails import MailSettings, make_composer
from planner.services.outbox import DispatchSettings, dispatch_due
from planner.services.patient_export import README_FILE, export_zip
from tests.conftest import login
from tests.factories import give, make_clinic, make_patient, make_user, with_exercise
from tests.outbox_world import SMTPSink

TITLE = "Cuello y hombros"
PATIENT = "María José Fernández"
# What a person must never read: the exception, its words, its traceback.
PYTHON = ("IndexError", "list index", "Traceback", "build.py", "Exception")
REFERENCE = re.compile(r"reference ([0-9a-f]{8})")


@pytest.fixture
def broken(monkeypatch):  # noqa: ANN001, ANN201
    """Every handout, given paper and preview fails while it is laid out, as trial17's did."""

    def render(content, options):  # noqa: ANN001, ANN202, ARG001
        return [][0]  # IndexError: list index out of range, raised where the layout raised it

    monkeypatch.setattr(build, "render", render)


@pytest.fixture
def world(db, now):  # noqa: ANN001, ANN201
    clinic = make_clinic(db, "Clínica Norte", timezone="UTC")
    therapist = make_user(db, clinic, email="ana@clinica.example", name="Ana Ruiz")
    patient = make_patient(
        db, clinic, PATIENT, language="es", email="maria@example.org", primary_therapist_id=therapist.id
    )
    program = Program(clinic_id=clinic.id, patient_id=patient.id, title=TITLE, start_date=now.date())
    db.add(program)
    db.flush()
    give(db, with_exercise(db, program, now), now)  # given once, before anything broke
    return therapist, patient, program


def plain(text: str) -> None:
    """What a person reads names no Python error."""
    found = [word for word in PYTHON if word in text]
    assert not found, f"{found} shown: {text[:3000]}"


def logged_under(caplog: pytest.LogCaptureFixture, reference: str) -> None:
    """The log keeps the fault under the reference a person was given."""
    entries = [r.getMessage() for r in caplog.records if reference in r.getMessage()]
    assert entries and "IndexError: list index out of range" in entries[0], caplog.text[-2000:]


def says_what_for_whom(text: str) -> str:
    """The words name the program and the patient; returns the reference they give."""
    assert f"“{TITLE}”" in text and PATIENT in text and "could not be made" in text, text[:3000]
    assert "contact support" in text.lower()
    match = REFERENCE.search(text)
    assert match, text[:3000]
    return match.group(1)


def test_print_preview_and_the_given_paper_show_a_page_that_says_what_to_do(app, client, db, world, broken, caplog):  # noqa: ANN001
    therapist, _patient, program = world
    versions = db.scalar(select(func.count()).select_from(ProgramVersion))
    login(client, therapist.email)
    with caplog.at_level(logging.ERROR):
        printed = client.post(f"/programs/{program.id}/handout.pdf")
        preview = client.get(f"/programs/{program.id}/handout-preview.pdf")
        given = client.get(f"/programs/{program.id}/handout.pdf")
    for answer, heading in ((printed, "The handout"), (preview, "The preview"), (given, "The handout")):
        html = answer.get_data(as_text=True)
        assert answer.status_code == 500 and answer.mimetype == "text/html"
        assert f"<h1>{heading} could not be made</h1>" in html
        plain(html)
        logged_under(caplog, says_what_for_whom(html))
        assert f'href="/programs/{program.id}"' in html  # back to the program
    # Print and the given paper send to the preview; the preview itself says nothing was given.
    assert "Open the program&#39;s preview" in printed.get_data(as_text=True)
    assert f'href="/programs/{program.id}/handout-preview.pdf"' in printed.get_data(as_text=True)
    assert "Nothing was given to the patient" in preview.get_data(as_text=True)
    # A print that made no paper gave nothing: no new version.
    assert db.scalar(select(func.count()).select_from(ProgramVersion)) == versions


def test_the_patient_s_phone_page_handout_says_so_in_their_language(app, client, db, now, world, broken, caplog):  # noqa: ANN001
    _therapist, patient, _program = world
    _, token = patient_links.create_link(db, patient, app.secret_key, now)
    db.commit()
    with caplog.at_level(logging.ERROR):
        answer = client.get(f"/p/{token}/handout.pdf")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 500 and 'lang="es"' in html
    assert "No se pudo abrir su hoja de ejercicios" in html and "avise a su clínica" in html
    assert f'href="/p/{token}"' in html  # back to the exercises, which still work
    plain(html)
    assert "IndexError: list index out of range" in caplog.text


def test_an_emailed_handout_that_cannot_be_made_fails_in_plain_words_wherever_it_is_listed(
    app,
    client,
    db,
    now,
    world,
    broken,
    caplog,  # noqa: ANN001
):
    """Through a real SMTP server: nothing arrives; the row, the dashboard, the list of failed
    emails and the patient's page say which handout could not be made and what to do."""
    therapist, patient, program = world
    row = outbox.queue_handout_email(db, program, therapist, now)
    db.commit()
    mail = MailSettings("Clinic <planner@clinic.example>", "planner.local", "https://planner.example")
    settings = DispatchSettings(max_attempts=1, retry_base_seconds=60, retry_max_seconds=60)
    with SMTPSink() as sink, caplog.at_level(logging.WARNING):
        mailer = SMTPMailer("127.0.0.1", sink.port, security="none")
        assert dispatch_due(db, mailer, make_composer(mail), now + timedelta(seconds=1), settings).failed == 1
        mailer.close()
    assert sink.messages == []
    db.refresh(row)
    assert row.status == "failed"
    plain(row.last_error)
    reference = says_what_for_whom(row.last_error)
    logged_under(caplog, reference)
    login(client, therapist.email)
    for path in ("/dashboard", "/dashboard/failed", f"/patients/{patient.id}"):
        html = client.get(path).get_data(as_text=True)
        assert f"reference {reference}" in html, path
        assert says_what_for_whom(html) == reference
        plain(html)


def test_the_commands_say_which_handout_and_exit_1(app, db, world, broken, tmp_path, caplog):  # noqa: ANN001
    _therapist, _patient, program = world
    runner = app.test_cli_runner()
    out = tmp_path / "handout.pdf"
    with caplog.at_level(logging.ERROR):
        written = runner.invoke(args=["handout", str(program.id), "-o", str(out)])
        previewed = runner.invoke(args=["handout", str(program.id), "-o", str(out), "--preview"])
    assert written.exit_code == 1 and "No handout written. The handout of" in written.output
    assert previewed.exit_code == 1 and "No preview written. The preview of" in previewed.output
    for result in (written, previewed):
        plain(result.output)
        logged_under(caplog, says_what_for_whom(result.output))
    assert not out.exists()


def test_the_export_command_stops_in_plain_words(app, db, world, broken, tmp_path, caplog):  # noqa: ANN001
    """`flask handouts export` (planner/handouts/export.py) still stops at a handout that cannot be
    made; the command says so in words, with the reference the log keeps the fault under."""
    with caplog.at_level(logging.ERROR):
        result = app.test_cli_runner().invoke(args=["handouts", "export", str(tmp_path / "out"), "--workers", "1"])
    assert result.exit_code == 1 and "The export stopped: a handout could not be made" in result.output
    plain(result.output)
    logged_under(caplog, REFERENCE.search(result.output).group(1))


def test_a_patient_s_export_keeps_everything_else_and_its_readme_says_why(app, db, now, world, broken, caplog):  # noqa: ANN001
    _therapist, patient, _program = world
    with caplog.at_level(logging.ERROR):
        data = export_zip(db, patient, now, app.extensions["settings"].handouts)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert not [n for n in archive.namelist() if n.endswith(".pdf")]
    assert {"patient.json", "fhir-bundle.json"} <= set(archive.namelist())
    readme = archive.read(README_FILE).decode()
    assert f"No hay hoja para «{TITLE}». No se pudo preparar. Pida una copia impresa a su clínica." in readme
    plain(readme)
    assert "IndexError: list index out of range" in caplog.text


def test_without_a_fault_the_same_pages_give_their_pdfs(app, client, db, world):  # noqa: ANN001
    """The guard changes nothing for a handout that can be made."""
    therapist, _patient, program = world
    login(client, therapist.email)
    for answer in (
        client.post(f"/programs/{program.id}/handout.pdf"),
        client.get(f"/programs/{program.id}/handout-preview.pdf"),
        client.get(f"/programs/{program.id}/handout.pdf"),
    ):
        assert answer.status_code == 200 and answer.get_data().startswith(b"%PDF")
