"""The mailer: one interface; the file backend writes whole .eml files with both parts and a stable Message-ID."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime

import pytest

from planner.mail import Attachment, Email, FileMailer, MailError, SMTPMailer, as_bytes, mailer_from_settings
from planner.mail import message_id as make_message_id

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def sample(**changes) -> Email:  # noqa: ANN003
    fields = {
        "to": "ana@example.org",
        "subject": "Your re-evaluation",
        "text": "Plain words\n",
        "html": "<p>Plain words</p>",
        "message_id": make_message_id("reminder", 123, "planner.local-host"),
        "date": NOW,
        "sender": "Clinic <planner@example.org>",
    }
    return Email(**(fields | changes))


def test_message_has_text_and_html_parts_and_the_derived_message_id():
    raw = as_bytes(
        sample(
            subject="Re-evaluation: Jürgen Müller",
            sender="Praxis Müller <p@example.org>",
            text="Grüße\n" + "long line " * 40,
            attachments=[Attachment("program.pdf", b"%PDF-1.4 test")],
        )
    )
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["Subject"] == "Re-evaluation: Jürgen Müller" and msg["From"] == "Praxis Müller <p@example.org>"
    assert raw.isascii() and max(len(line) for line in raw.splitlines()) <= 998
    assert not msg.defects and all(not part.defects for part in msg.walk())
    assert msg["Message-ID"] == "<reminder-123@planner.local-host>"
    assert msg["Date"] == "Mon, 02 Mar 2026 07:00:00 +0000"
    body = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert body.get_content() == "Grüße\n" + "long line " * 40 and "<p>Plain words</p>" in html.get_content()
    [pdf] = list(msg.iter_attachments())
    assert pdf.get_filename() == "program.pdf" and pdf.get_content() == b"%PDF-1.4 test"


def test_file_backend_writes_one_eml_per_message_into_the_outbox_folder(tmp_path):
    mailer = FileMailer(tmp_path / "instance" / "outbox")
    mailer.send(sample())
    mailer.send(sample())  # a resend: a second file, recognisable by the same Message-ID
    files = sorted((tmp_path / "instance" / "outbox").glob("*.eml"))
    assert len(files) == 2 and not list((tmp_path / "instance" / "outbox").glob("*.part"))
    parsed = [email.message_from_bytes(f.read_bytes()) for f in files]
    assert {m["Message-ID"] for m in parsed} == {"<reminder-123@planner.local-host>"}
    assert "reminder-123" in files[0].name


def test_file_backend_failure_is_a_mail_error(tmp_path):
    blocker = tmp_path / "outbox"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(MailError, match="Could not write"):
        FileMailer(blocker).send(sample())


def test_default_backend_is_the_file_outbox_and_smtp_password_comes_from_the_environment(monkeypatch, tmp_path):
    from planner.config import read_settings

    settings = read_settings()
    mailer = mailer_from_settings(settings, str(tmp_path))
    assert isinstance(mailer, FileMailer) and mailer.folder == tmp_path / "outbox"
    settings["mail"] |= {
        "backend": "smtp",
        "smtp_host": "mail.example.org",
        "smtp_port": 465,
        "smtp_security": "tls",
        "smtp_user": "clinic",
    }
    monkeypatch.setenv("PLANNER_SMTP_PASSWORD", "from-the-environment")
    smtp = mailer_from_settings(settings, str(tmp_path))
    assert isinstance(smtp, SMTPMailer)
    assert (smtp.host, smtp.port, smtp.security, smtp.user, smtp.password) == (
        "mail.example.org",
        465,
        "tls",
        "clinic",
        "from-the-environment",
    )


def test_every_mail_and_reminders_setting_has_a_comment():
    from planner.config import DEFAULT_CONFIG

    lines = DEFAULT_CONFIG.read_text().splitlines()
    section = ""
    for number, line in enumerate(lines):
        if line.startswith("["):
            section = line
        elif (
            section in ("[mail]", "[reminders]", "[calendar]", "[plan_of_care]")
            and "=" in line
            and not line.startswith("#")
        ):
            previous = lines[number - 1]
            assert previous.startswith("#") or "=" in previous, f"no comment above {section} {line}"
