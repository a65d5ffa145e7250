"""The mailer: one interface; messages built by the email package (any script, CRLF, folded); the file
backend writes whole .eml files with both parts and a stable Message-ID."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import UTC, datetime

import pytest

from planner.mail import Attachment, Email, FileMailer, MailError, SMTPMailer, as_bytes, compose, mailer_from_settings
from planner.mail import message_id as make_message_id
from planner.services.file_names import file_name
from tests.outbox_world import SCRIPTS, shown

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


def lines_of(raw: bytes) -> list[bytes]:
    """The message's lines; every one must end in CRLF (a strict server refuses a bare LF or CR)."""
    assert raw.endswith(b"\r\n") and not re.search(rb"\r(?!\n)|(?<!\r)\n", raw)
    return raw.split(b"\r\n")[:-1]


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
    assert raw.isascii() and max(len(line) for line in lines_of(raw)) <= 78
    assert not msg.defects and all(not part.defects for part in msg.walk())
    assert msg["Message-ID"] == "<reminder-123@planner.local-host>"
    assert msg["Date"] == "Mon, 02 Mar 2026 07:00:00 +0000"
    body = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert body.get_content().replace("\r\n", "\n") == "Grüße\n" + "long line " * 40 + "\n"
    assert "<p>Plain words</p>" in html.get_content()
    [pdf] = list(msg.iter_attachments())
    assert pdf.get_filename() == "program.pdf" and pdf.get_content() == b"%PDF-1.4 test"


@pytest.mark.parametrize("script", SCRIPTS)
def test_names_subjects_and_file_names_in_any_script_fold_into_plain_ascii_lines(script):
    person, clinic, title, address, ascii_address = SCRIPTS[script]
    subject = f"Your home exercise program from {clinic}"
    raw = as_bytes(
        sample(
            to=address,
            to_name=person,
            sender=f"{clinic} <planner@{address.split('@')[1]}>",
            reply_to=f"desk@{address.split('@')[1]}",
            reply_to_name=clinic,
            subject=subject,
            text=f"Dear {person},\n\n{title}\n",
            html=f"<p>Dear {person},</p>",
            attachments=[Attachment(file_name(title), b"%PDF-1.4 test")],
        )
    )
    lines = lines_of(raw)
    assert raw.isascii() and max(len(line) for line in lines) <= 78
    head = lines[: lines.index(b"")]
    assert any(line.startswith(b" ") for line in head), "long headers are folded, not cut"
    headers = email.message_from_bytes(raw)  # the raw, still encoded headers
    domain = ascii_address.split("@")[1]
    assert shown(headers["To"]) == f"{person} <{ascii_address}>"
    assert shown(headers["From"]) == f"{clinic} <planner@{domain}>"
    assert shown(headers["Reply-To"]) == f"{clinic} <desk@{domain}>"
    assert shown(headers["Subject"]) == subject
    assert b"filename*" in raw  # RFC 2231, not an encoded word, for the file name
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    [pdf] = list(msg.iter_attachments())
    assert pdf.get_filename() == file_name(title) and pdf.get_content() == b"%PDF-1.4 test"
    assert title in msg.get_body(("plain",)).get_content()
    composed = compose(sample(to=address, to_name=person))
    assert (composed.recipient, composed.smtputf8) == (ascii_address, ())


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_space_in_a_name_or_subject_survives_folding(script):
    """Python's own folder drops the space between two encoded words (CPython gh-144156)."""
    words = " ".join(SCRIPTS[script][:3]).split()
    for count in range(1, len(words) + 1):
        text = " ".join(words[:count])
        raw = as_bytes(sample(to_name=text, subject=f"Re-evaluation due in 7 days: {text}"))
        headers = email.message_from_bytes(raw)
        assert shown(headers["To"]) == f"{text} <ana@example.org>"
        assert shown(headers["Subject"]) == f"Re-evaluation due in 7 days: {text}"
        assert max(len(line) for line in lines_of(raw)) <= 78


@pytest.mark.parametrize(
    "title, name",
    [
        ("Ejercicios de José", "ejercicios-de-josé.pdf"),
        ("Neck & shoulder: week 1/2", "neck-shoulder-week-1-2.pdf"),
        ("Übungen für Jürgen", "übungen-für-jürgen.pdf"),
        ("Ασκήσεις αυχένα", "ασκήσεις-αυχένα.pdf"),
        ("颈部 康复", "颈部-康复.pdf"),
        ("תרגילים לצוואר", "תרגילים-לצוואר.pdf"),
        ("???", "my-exercises.pdf"),
        ("长" * 120, "长" * 60 + ".pdf"),  # under the 255 bytes a file name may have
    ],
)
def test_the_handout_file_name_keeps_the_titles_letters(title, name):
    assert file_name(title) == name and len(name.encode()) < 255


@pytest.mark.parametrize(
    "site",
    ["https://planner.example", "https://ejercicios.clinica-de-fisioterapia-y-rehabilitacion-san-jose.example"],
)
def test_the_unsubscribe_link_goes_out_whole_on_its_line_however_long_the_sites_address(site):
    """RFC 2369: the link in angle brackets, never folded or encoded: a mail program's one-click
    "Unsubscribe" reads it from there (a link longer than a line had gone out as encoded words)."""
    link = f"<{site}/p/stop/Zm9vYmFyYmF6cXV1eC1hLXNlY3JldA>"
    raw = as_bytes(
        sample(headers=(("List-Unsubscribe", link), ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")))
    )
    assert f"\r\nList-Unsubscribe: {link}\r\n".encode() in raw
    assert b"\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in raw
    assert max(len(line) for line in lines_of(raw)) <= 998


def test_line_breaks_typed_into_a_name_or_subject_never_reach_a_header():
    raw = as_bytes(sample(subject="Line one\r\nBcc: someone@example.org", to_name="Ana\nBcc: x@example.org"))
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["Bcc"] is None and msg["Subject"] == "Line one Bcc: someone@example.org"
    assert msg["To"].addresses[0].addr_spec == "ana@example.org"


def test_an_address_with_letters_outside_ascii_before_the_at_needs_smtputf8():
    composed = compose(sample(to="josé@café.example", to_name="José Pérez"))
    assert composed.smtputf8 == ("josé@xn--caf-dma.example",) and composed.recipient == "josé@xn--caf-dma.example"
    headers = email.message_from_bytes(composed.data, policy=email.policy.SMTPUTF8)
    assert shown(str(headers["To"])) == "José Pérez <josé@xn--caf-dma.example>"
    assert "<josé@xn--caf-dma.example>".encode() in composed.data  # the address itself in UTF-8
    lines_of(composed.data)


@pytest.mark.parametrize("address", ["maria-at-example", "@example.org", "ana@"])
def test_what_is_not_an_address_is_a_mail_error_of_that_message(address):
    with pytest.raises(MailError, match="is not an email address"):
        as_bytes(sample(to=address))


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
