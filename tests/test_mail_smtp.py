"""Email through a real SMTP server (aiosmtpd): arrival at a strict server in any script, refusal and
retry, a server that comes back, SMTPUTF8, TLS."""

from __future__ import annotations

import email
import email.policy
import smtplib
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from planner.mail import SMTPMailer
from planner.models import OutboxMessage
from planner.services import outbox, programs
from planner.services.emails import MailSettings, make_composer
from planner.services.file_names import file_name
from planner.services.outbox import DispatchSettings, dispatch_due
from planner.services.reminders import Schedule, sync_program
from tests.factories import make_clinic, make_patient, make_user, with_exercise
from tests.outbox_world import SCRIPTS, RefusesRecipient, SMTPSink, free_port, self_signed, shown

NOW = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # 07:00 in Berlin: before the 08:00 send hour
MAIL = MailSettings("Clinic Planner <planner@clinic.example>", "planner.local-host", "https://planner.clinic.example")
COMPOSE = make_composer(MAIL)
SETTINGS = DispatchSettings(max_attempts=3, retry_base_seconds=60, retry_max_seconds=3600)


@pytest.fixture
def reminder(db):
    """One therapist reminder due at 08:00 Berlin time on 2026-03-09, 7 days before the re-evaluation."""
    clinic = make_clinic(db, "Smtp Clinic", timezone="Europe/Berlin")
    therapist = make_user(db, clinic, email="dr.weber@clinic.example", name="Dr. Weber")
    patient = make_patient(db, clinic, "Greta Lind", primary_therapist_id=therapist.id, phone="555-0199")
    program = programs.create_program(
        db, patient, programs.ProgramDetails("Neck", date(2026, 2, 1), reeval_date=date(2026, 3, 16)), therapist.id, NOW
    )
    sync_program(db, program, NOW, Schedule(lead_days=(7,), send_hour=8))
    db.commit()
    return db.scalars(select(OutboxMessage).where(OutboxMessage.status == "pending")).one()


def send_at(reminder) -> datetime:
    return reminder.send_at


def test_reminder_arrives_with_recipient_subject_date_and_message_id(db, reminder):
    assert reminder.send_at == datetime(2026, 3, 9, 7, 0, tzinfo=UTC)  # 08:00 in Berlin (CET)
    with SMTPSink(strict=True) as sink:
        mailer = SMTPMailer("127.0.0.1", sink.port, security="none")
        assert dispatch_due(db, mailer, COMPOSE, reminder.send_at - timedelta(minutes=1), SETTINGS).sent == 0
        moment = reminder.send_at + timedelta(seconds=30)
        assert dispatch_due(db, mailer, COMPOSE, moment, SETTINGS).sent == 1
        mailer.close()
    [message] = sink.messages
    assert message["X-Envelope-To"] == "dr.weber@clinic.example"
    assert message["To"] == '"Dr. Weber" <dr.weber@clinic.example>'
    assert message["Subject"] == "Re-evaluation due in 7 days: Greta Lind"
    assert message["Date"] == "Mon, 09 Mar 2026 07:00:30 +0000"
    assert message["Message-ID"] == f"<reminder-{reminder.id}@planner.local-host>"
    assert message.is_multipart() and message.get_content_type() == "multipart/alternative"
    text = message.get_payload()[0].get_payload(decode=True).decode().replace("\r\n", "\n")
    assert "Monday 16 March 2026" in text and "https://planner.clinic.example/patients/" in text
    db.refresh(reminder)
    assert (reminder.status, reminder.to_address, reminder.attempts) == ("sent", "dr.weber@clinic.example", 1)


def test_refusing_server_is_retried_then_marked_failed(db, reminder):
    with SMTPSink() as sink:
        sink.refusing = True
        mailer = SMTPMailer("127.0.0.1", sink.port, security="none")
        moment = reminder.send_at
        outcomes = []
        for _ in range(3):
            report = dispatch_due(db, mailer, COMPOSE, moment, SETTINGS)
            outcomes.append((report.retried, report.failed))
            db.refresh(reminder)
            moment = reminder.next_attempt_at
        mailer.close()
    assert outcomes == [(1, 0), (1, 0), (0, 1)]
    assert reminder.status == "failed" and "451" in reminder.last_error and not sink.messages


def test_server_that_comes_back_gets_the_message_once(db, reminder):
    port = free_port()
    mailer = SMTPMailer("127.0.0.1", port, security="none", timeout=5)
    assert dispatch_due(db, mailer, COMPOSE, reminder.send_at, SETTINGS).retried == 1  # nothing listens yet
    db.refresh(reminder)
    assert reminder.status == "pending" and reminder.last_error
    sink = SMTPSink()
    sink.port = port
    sink.controller.port = port
    with sink:
        later = reminder.next_attempt_at
        assert dispatch_due(db, mailer, COMPOSE, later, SETTINGS).sent == 1
        assert dispatch_due(db, mailer, COMPOSE, later + timedelta(days=1), SETTINGS).sent == 0
        mailer.close()
    assert sink.message_ids() == [f"<reminder-{reminder.id}@planner.local-host>"]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1, made with openssl for these tests."""
    return self_signed(tmp_path_factory.mktemp("tls"))


def test_mail_goes_over_starttls_and_implicit_tls_to_a_server_the_clinic_trusts(db, reminder, certificate):
    cert, context = certificate
    moment = reminder.send_at + timedelta(seconds=30)
    with SMTPSink(tls_context=context, require_starttls=True) as sink:
        mailer = SMTPMailer("127.0.0.1", sink.port, security="starttls", ca_file=str(cert))
        assert dispatch_due(db, mailer, COMPOSE, moment, SETTINGS).sent == 1
        mailer.close()
    assert [m["Subject"] for m in sink.messages] == ["Re-evaluation due in 7 days: Greta Lind"]
    assert sink.secure == [True]  # the message came after STARTTLS, encrypted
    with SMTPSink(ssl_context=context) as sink:
        mailer = SMTPMailer("127.0.0.1", sink.port, security="tls", ca_file=str(cert))
        mailer.send(COMPOSE(db, reminder, moment))
        mailer.close()
    assert [m["Subject"] for m in sink.messages] == ["Re-evaluation due in 7 days: Greta Lind"]


def test_a_server_certificate_nobody_trusts_is_refused_and_the_mail_stays_queued(db, reminder, certificate):
    _, context = certificate
    moment = reminder.send_at + timedelta(seconds=30)
    with SMTPSink(tls_context=context, require_starttls=True) as sink:
        mailer = SMTPMailer("127.0.0.1", sink.port, security="starttls")  # the system's authorities only
        result = dispatch_due(db, mailer, COMPOSE, moment, SETTINGS)
        mailer.close()
    assert (result.sent, sink.messages) == (0, [])
    db.refresh(reminder)
    assert reminder.status == "pending" and "CERTIFICATE_VERIFY_FAILED" in reminder.last_error
    assert reminder.last_error.startswith("The mail server's certificate is not trusted (CERTIFICATE_VERIFY_FAILED: ")
    assert "SSL" not in reminder.last_error and "Error" not in reminder.last_error
    with pytest.raises(ValueError, match="smtp_ca_file names no file"):
        SMTPMailer("127.0.0.1", sink.port, ca_file="/nonexistent/ca.pem")


def test_the_strict_server_refuses_a_bare_line_feed():
    """The strict server below is as strict as the servers that refused our mail: a bare LF is refused."""
    with SMTPSink(strict=True) as sink, smtplib.SMTP("127.0.0.1", sink.port) as client:
        with pytest.raises(smtplib.SMTPDataError, match="Bare LF"):
            client.sendmail("a@example.org", ["b@example.org"], b"Subject: folded\r\n badly\n\r\nBody\r\n")
        client.sendmail("a@example.org", ["b@example.org"], b"Subject: folded\r\n well\r\n\r\nBody\r\n")
    assert len(sink.messages) == 1 and sink.refused == ["Bare LF or CR: lines must end in CRLF"]


def test_handouts_in_four_scripts_reach_a_strict_server_with_names_subjects_and_file_names_intact(db):
    """A handout per script: names, clinic, title and address domain in Spanish, German, Greek, Chinese."""
    expected = {}
    for script, (person, clinic_name, title, address, ascii_address) in SCRIPTS.items():
        clinic = make_clinic(db, clinic_name, timezone="UTC")
        clinic.email = "desk@" + address.split("@")[1]
        therapist = make_user(db, clinic, email=f"pt-{script.lower()}@clinic.example", name=person)
        patient = make_patient(db, clinic, person, email=address, primary_therapist_id=therapist.id)
        program = programs.create_program(db, patient, programs.ProgramDetails(title, date(2026, 3, 1)), None, NOW)
        row = outbox.queue_handout_email(db, with_exercise(db, program, NOW), therapist, NOW)
        db.commit()
        expected[f"<handout-{row.id}@planner.local-host>"] = (person, clinic_name, title, ascii_address)
    with SMTPSink(strict=True) as sink:
        mailer = SMTPMailer("127.0.0.1", sink.port, security="none")
        assert dispatch_due(db, mailer, make_composer(MAIL), NOW, SETTINGS).sent == 4
        mailer.close()
    assert sink.refused == [] and len(sink.messages) == 4
    for message, (_from, rcpt, _options) in zip(sink.messages, sink.envelopes, strict=True):
        person, clinic_name, title, ascii_address = expected[message["Message-ID"]]
        domain = ascii_address.split("@")[1]
        assert rcpt == [ascii_address]
        assert shown(message["To"]) == f"{person} <{ascii_address}>"
        assert shown(message["Reply-To"]) == f"{clinic_name} <desk@{domain}>"
        assert shown(message["Subject"]) == f"Your home exercise program from {clinic_name}"
        parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
        [pdf] = list(parsed.iter_attachments())
        assert pdf.get_filename() == file_name(title) and pdf.get_content().startswith(b"%PDF")
        assert f"Dear {person}," in parsed.get_body(("plain",)).get_content()


@pytest.mark.parametrize("offered", [True, False])
def test_an_address_with_letters_outside_ascii_before_the_at_goes_out_only_where_smtputf8_is_offered(db, offered):
    """Forms refuse such an address now, but one saved earlier still gets its email, or a clear error."""
    clinic = make_clinic(db, "Clínica José", timezone="UTC")
    therapist = make_user(db, clinic)
    patient = make_patient(db, clinic, "José Pérez", primary_therapist_id=therapist.id)
    patient.email = "josé@café.example"  # as an older version of the form let it be saved
    program = programs.create_program(db, patient, programs.ProgramDetails("Cuello", date(2026, 3, 1)), None, NOW)
    row = outbox.queue_handout_email(db, with_exercise(db, program, NOW), therapist, NOW)
    db.commit()
    with SMTPSink(strict=True, enable_SMTPUTF8=offered) as sink:
        mailer = SMTPMailer("127.0.0.1", sink.port, security="none")
        report = dispatch_due(db, mailer, make_composer(MAIL), NOW, SETTINGS)
        mailer.close()
    db.refresh(row)
    if offered:
        assert report.sent == 1 and row.status == "sent"
        [(_sender, rcpt, options)] = sink.envelopes
        assert rcpt == ["josé@xn--caf-dma.example"] and "SMTPUTF8" in options
        headers = email.message_from_string(sink.raw[0].decode())  # UTF-8 headers, as SMTPUTF8 allows
        name, address = headers["To"].rsplit(" ", 1)
        assert (shown(name), address) == ("José Pérez", "<josé@xn--caf-dma.example>")
    else:
        assert report.retried == 1 and row.status == "pending" and not sink.messages
        assert "does not offer SMTPUTF8" in row.last_error and "josé@café.example" in row.last_error  # as typed


# A Python exception's name or repr, as the dashboard once showed "SMTPRecipientsRefused: {...: (550, b'...')}".
PYTHON_WORDS = ("Error", "Exception", "SMTP", "Refused:", "b'", "Errno", "{")


@pytest.mark.parametrize(
    "server, said",
    [
        ("refuses the recipient", "The mail server refused the address (dr.weber@clinic.example: 550 5.1.1"),
        ("busy", "The mail server could not take the email just now (451 4.3.0 Mailbox temporarily unavailable)."),
        ("not there", "Nothing answered at the mail server's address 127.0.0.1:"),
    ],
)
def test_a_send_that_fails_says_why_in_plain_words_with_the_server_s_reply(db, reminder, server, said):
    """What the therapist reads beside a failed email (dashboard, failed list, patient page) is a
    sentence and the server's own reply, never a Python exception (real aiosmtpd server)."""
    moment = reminder.send_at + timedelta(seconds=30)
    if server == "not there":
        mailer = SMTPMailer("127.0.0.1", free_port(), security="none", timeout=5)
        dispatch_due(db, mailer, COMPOSE, moment, SETTINGS)
    else:
        with RefusesRecipient() if server == "refuses the recipient" else SMTPSink() as sink:
            sink.refusing = server == "busy"
            mailer = SMTPMailer("127.0.0.1", sink.port, security="none")
            dispatch_due(db, mailer, COMPOSE, moment, SETTINGS)
            mailer.close()
        assert sink.messages == []
    db.refresh(reminder)
    assert reminder.status == "pending" and said in reminder.last_error, reminder.last_error
    assert not [w for w in PYTHON_WORDS if w in reminder.last_error], reminder.last_error
    if server == "refuses the recipient":
        assert reminder.last_error.endswith("Check the email address.")
    else:
        assert reminder.last_error.endswith(
            "If this keeps happening, ask whoever runs the planner to check its mail settings."
        )
