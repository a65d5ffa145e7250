"""A handout that cannot be made (any fault while its PDF is laid out) says so in plain words to
whoever asked: which program, which patient, what to do, and a reference; the fault itself goes to
the log only, under that reference. Never a Python error on a page, an email row or a command.

Session 13's reviewer (trial17 F1): a long note at 18 pt stopped the layout; the therapist read
"Could not prepare the email: IndexError: list index out of range" on the dashboard, and print and
preview answered a bare error page. Here the layout's one drawing function (handouts.build.render)
raises as that crash did for one program's handout; everything else is real: a SQLite file,
aiosmtpd, the pages, the commands, the export's worker processes.
"""

from __future__ import annotations

import io
import logging
import os
import re
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from planner.handouts import build
from planner.handouts.export import export_all
from planner.handouts.styles import HandoutOptions
from planner.mail import SMTPMailer
from planner.models import Clinic, Program, ProgramVersion
from planner.services import outbox, patient_links
from planner.services.emails import MailSettings, make_composer
from planner.services.outbox import DispatchSettings, dispatch_due
from planner.services.patient_export import README_FILE, export_zip
from tests.conftest import login
from tests.factories import give, make_clinic, make_patient, make_user, with_exercise
from tests.handout_world import pages_text
from tests.outbox_world import SMTPSink

TITLE = "Cuello y hombros"
PATIENT = "María José Fernández"
# What a person must never read: the exception, its words, its traceback.
PYTHON = ("IndexError", "list index", "Traceback", "build.py", "Exception")
REFERENCE = re.compile(r"reference ([0-9a-f]{8})")


@pytest.fixture
def broken(monkeypatch):  # noqa: ANN001, ANN201
    """Every handout, given paper and preview of TITLE fails while it is laid out, as trial17's
    did; any other program's is laid out and written as always."""
    real = build.render

    def render(content, options):  # noqa: ANN001, ANN202
        if content.title == TITLE:
            return [][0]  # IndexError: list index out of range, raised where the layout raised it
        return real(content, options)

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


def others(db, now, patient) -> list[Program]:  # noqa: ANN001
    """Two more programs whose handouts can be made: another of the patient's, and Tomás's."""
    tomas = make_patient(db, db.get(Clinic, patient.clinic_id), "Tomás Ibarra", language="es")
    made = []
    for owner, title in ((patient, "Manos y muñecas"), (tomas, "Equilibrio")):
        program = Program(clinic_id=patient.clinic_id, patient_id=owner.id, title=title, start_date=now.date())
        db.add(program)
        db.flush()
        made.append(with_exercise(db, program, now))
    db.commit()
    return made


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
    # Told what to try from the command line, not the pages' "Open the program's preview".
    assert "Open the program's preview" not in written.output
    assert told_to_try_its_preview(written.output, program.id)
    assert "Nothing was given to the patient. Contact support" in previewed.output


def told_to_try_its_preview(text: str, program_id: int) -> bool:
    """The words for the command line: the command that makes that one program's preview (which
    gives nothing and shows the fault), then support with the reference if that fails too."""
    command = f"flask handout {program_id} -o program-{program_id}-preview.pdf --preview"
    return f"Try its preview alone, which gives nothing: {command}. If that fails too, contact support" in text


def test_the_export_writes_every_other_handout_names_the_one_left_out_and_exits_1(
    app,
    db,
    now,
    world,
    broken,
    tmp_path,
    caplog,  # noqa: ANN001
):
    """`flask handouts export`, as a batch tool does it: the one handout that cannot be made is left
    out, every other is written and given, and the output ends naming it (title, patient) with the
    reference its one log entry is kept under; status 1, so a script sees that something is missing."""
    _therapist, patient, program = world
    made = others(db, now, patient)
    versions = db.scalar(select(func.count()).where(ProgramVersion.program_id == program.id))
    out = tmp_path / "out"
    with caplog.at_level(logging.ERROR):
        result = app.test_cli_runner().invoke(args=["handouts", "export", str(out), "--workers", "1"])
    assert result.exit_code == 1, result.output
    plain(result.output)
    for other in made:
        db.refresh(other)
        assert f"Gave version 1 of program {other.id} to the patient" in result.output
        assert other.title in " ".join(pages_text((out / f"program-{other.id}-v1.pdf").read_bytes()))
    assert sorted(p.name for p in out.iterdir()) == sorted(f"program-{other.id}-v1.pdf" for other in made)
    # The end of the output: which one is missing, for whom, its reference; nothing else lost.
    *_, named, summary = result.output.strip().splitlines()
    assert named.startswith(f"Program {program.id}: no handout written. The handout of “{TITLE}”")
    reference = says_what_for_whom(named)
    assert "Open the program's preview" not in result.output and told_to_try_its_preview(named, program.id)
    assert summary == (
        "Error: 1 handout could not be made because of a fault on our side, "
        "listed above with a reference each. The others were written."
    )
    entries = [r for r in caplog.records if "could not be made" in r.getMessage()]
    assert len(entries) == 1  # logged once, where it was made
    logged_under(caplog, reference)
    # The program left out gave nothing new: its patient's phone page keeps the paper given before.
    assert db.scalar(select(func.count()).where(ProgramVersion.program_id == program.id)) == versions


def test_the_reference_made_in_an_export_worker_reaches_the_parent_s_report(app, db, now, world, broken, tmp_path):  # noqa: ANN001
    """Worker processes (two, a program each) make the handouts: the one that fails is logged once,
    in its worker, and the parent's report carries its reference and names; the others are written."""
    _therapist, patient, program = world
    made = others(db, now, patient)
    log_file = tmp_path / "planner.log"
    handler = logging.FileHandler(log_file)  # forked workers inherit it and write their entries there
    handler.setFormatter(logging.Formatter("%(process)d %(message)s"))
    faults_log = logging.getLogger("planner.services.faults")
    faults_log.addHandler(handler)
    try:
        exported = export_all(app.config["DATABASE_URL"], tmp_path / "out", HandoutOptions(), now, workers=2, chunk=1)
    finally:
        faults_log.removeHandler(handler)
        handler.close()
    assert exported.written == len(made)
    [fault] = exported.not_made
    assert (fault.program_id, fault.title, fault.patient) == (program.id, TITLE, PATIENT)
    assert says_what_for_whom(fault.message) == fault.reference
    for other in made:
        assert (tmp_path / "out" / f"program-{other.id}-v1.pdf").read_bytes().startswith(b"%PDF")
    [entry] = [line for line in log_file.read_text().splitlines() if "could not be made" in line]
    pid, _ = entry.split(" ", 1)
    assert int(pid) != os.getpid() and f"(reference {fault.reference})" in entry  # logged in the worker
    assert "IndexError: list index out of range" in log_file.read_text()


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
