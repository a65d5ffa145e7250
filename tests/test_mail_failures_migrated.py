"""A failed email kept by the previous release reads in plain words after the upgrade, as a new one
does (migration 0031_mail_failures_in_words).

Until session 14 an outbox row kept the exception as Python wrote it ("SMTPRecipientsRefused:
{'…': (550, b'…')}", "ConnectionRefusedError: [Errno 111] Connection refused") and the dashboard,
the failed list and the patient's page showed it until "Send again". Each old text here is made as
that release made it, from a real failure: a real SMTP server (aiosmtpd) that refuses the address,
is busy, refuses the sign-in or shows a certificate nobody trusts, a server that hangs up, nothing
listening, an email folder that is a file, a fault while an email was prepared. What the upgrade
leaves on each row is compared with what this release's own code stores for the same failure.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from aiosmtpd.smtp import AuthResult
from sqlalchemy import Engine

from planner.mail import Email, FileMailer, MailError, SMTPMailer, shown_in
from planner.migrate import current_revision, upgrade
from planner.services import faults
from planner.services.faults import scrubbed
from planner.services.patterns import DirectionsNotSet
from tests import every_table
from tests.outbox_world import RefusesRecipient, SMTPSink, free_port, self_signed

BEFORE = "0030_audit_change_as_update"
MIGRATION = "0031_mail_failures_in_words"
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
# A clinic's address with its domain in ASCII form, as an account keeps it; rows show it in Unicode.
PATIENT = "maria@xn--clnica-ejemplo-1lb.es"
# What a person must not read: an exception's name, a Python repr, an error number.
PYTHON = ("Error", "Exception", "SMTP", "Refused", "b'", "Errno", "{", "gaierror", "_ssl.c")
# Rows in words already, which the upgrade keeps as they are.
KEPT = [
    "“maria@clínica-ejemplo.es” is not an email address.",
    "Sending stopped part-way: the dispatcher crashed or was stopped. "
    "If this keeps happening, something in this email may cause it.",
    "The program was archived, so the email is no longer wanted.",
]


def email_to(address: str) -> Email:
    return Email(
        to=address,
        subject="Your home exercises",
        text="Your program is attached.\n",
        html="<p>Your program is attached.</p>",
        message_id="<handout-1@planner.test>",
        date=NOW,
        sender="planner@clinic.example",
    )


def stored(send: object) -> tuple[str, str]:
    """(the previous release's row text, this release's) for the MailError `send()` raises.

    The previous release wrote the exception's class and text (mail.SMTPMailer.send:
    `MailError(shown_in(f"{type(e).__name__}: {e}"))`), as it does the file backend's
    ("Could not write the email file: {e}"); the outbox kept `str(error)` with its domains in
    Unicode. This release keeps the MailError's words (outbox._failed)."""
    with pytest.raises(MailError) as raised:
        send()  # type: ignore[operator]
    error, cause = raised.value, raised.value.__cause__
    assert cause is not None
    if isinstance(error.args[0], str) and error.args[0].startswith("Could not write the email file"):
        old = f"Could not write the email file: {cause}"
    else:
        old = f"{type(cause).__name__}: {cause}"
    return scrubbed(shown_in(old)), scrubbed(shown_in(str(error)))


@contextmanager
def hangs_up() -> Iterator[int]:
    """A server that takes the connection and closes it without a word; yields its port."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        connection, _ = listener.accept()
        connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        thread.join(5)
        listener.close()


def refuses_sign_in(server, session, envelope, mechanism, auth_data) -> AuthResult:  # noqa: ANN001, ARG001
    return AuthResult(success=False, handled=False)


def mail_failures(folder: Path) -> dict[str, tuple[str, str]]:
    """Each real failure: what the previous release kept on its row, and what this release keeps."""
    found = {}
    with RefusesRecipient() as sink:
        found["address refused"] = stored(lambda: SMTPMailer("127.0.0.1", sink.port, "none").send(email_to(PATIENT)))
    with SMTPSink() as sink:
        sink.refusing = True
        found["busy"] = stored(lambda: SMTPMailer("127.0.0.1", sink.port, "none").send(email_to(PATIENT)))
    with SMTPSink(authenticator=refuses_sign_in, auth_require_tls=False) as sink:
        mailer = SMTPMailer("127.0.0.1", sink.port, "none", user="planner", password="wrong")
        found["sign-in refused"] = stored(lambda: mailer.send(email_to(PATIENT)))
    _cert, context = self_signed(folder)
    with SMTPSink(tls_context=context, require_starttls=True) as sink:
        found["untrusted"] = stored(lambda: SMTPMailer("127.0.0.1", sink.port, "starttls").send(email_to(PATIENT)))
    with hangs_up() as port:
        found["hung up"] = stored(lambda: SMTPMailer("127.0.0.1", port, "none", timeout=5).send(email_to(PATIENT)))
    port = free_port()
    old, new = stored(lambda: SMTPMailer("127.0.0.1", port, "none", timeout=5).send(email_to(PATIENT)))
    # The row never kept the server's address: the upgraded words cannot name it.
    found["nothing there"] = (old, new.replace(f" 127.0.0.1:{port}", ""))
    (folder / "instance").write_text("a file where the email folder should be")
    found["email folder"] = stored(lambda: FileMailer(folder / "instance" / "outbox").send(email_to(PATIENT)))
    return found


def faults_while_preparing() -> dict[str, tuple[str, str | None]]:
    """The previous release's rows for an exception while an email was prepared (outbox._failed:
    "Could not prepare the email: {class}: {text}"), and this release's words (None: a reference,
    made when the row is upgraded)."""
    found: dict[str, tuple[str, str | None]] = {}
    try:
        [][0]  # noqa: B018  (trial17's crash: the handout's layout ran out of a list)
    except IndexError as e:
        found["fault"] = (f"Could not prepare the email: {type(e).__name__}: {e}", None)
    unset = DirectionsNotSet("Choose the side of “Head turns” before giving the handout.", ["Head turns"])
    found["no side"] = (f"Could not prepare the email: {type(unset).__name__}: {unset}", unset.message)
    return found


def test_failed_emails_of_the_previous_release_read_in_plain_words_and_every_row_is_carried(
    empty_database: Engine, tmp_path: Path
):
    """On SQLite and PostgreSQL: a database at the previous release's revision with rows in every
    table and failed emails as that release kept them; after the upgrade each failed email reads
    as this release words the same failure, and every other row and column is as it was."""
    engine = empty_database
    upgrade(engine, BEFORE)
    every_table.fill(engine)
    failures = mail_failures(tmp_path)
    preparing = faults_while_preparing()
    old_texts = [old for old, _ in failures.values()] + [old for old, _ in preparing.values()] + KEPT
    assert any("SMTPRecipientsRefused: {" in t for t in old_texts)  # as the dashboard showed them
    outbox = sa.Table("outbox", sa.MetaData(), autoload_with=engine)
    with engine.begin() as db:
        model = dict(db.execute(outbox.select().order_by(outbox.c.id)).mappings().first())
        del model["id"]
        ids = [
            db.execute(
                outbox.insert()
                .values({**model, "last_error": text, "status": "failed", "unique_key": None})
                .returning(outbox.c.id)
            ).scalar_one()
            for text in old_texts
        ]
    row_of = dict(zip(old_texts, ids, strict=True))
    before = every_table.snapshot(engine, carried_only=True)

    upgrade(engine, MIGRATION)  # (0032 adds a column to the ticks: its own test carries them)

    assert current_revision(engine) == MIGRATION
    after = every_table.snapshot(engine, carried_only=True)
    for table, rows in before.items():
        if table not in ("alembic_version", "outbox"):
            assert after[table] == rows, table
    assert after["outbox"].keys() == before["outbox"].keys()
    words = {}
    for key, row in before["outbox"].items():
        kept = after["outbox"][key]
        assert {c: v for c, v in kept.items() if c != "last_error"} == {
            c: v for c, v in row.items() if c != "last_error"
        }
        words[key[0]] = kept["last_error"]
    # Every failure reads as this release words the same failure.
    for what, (old, new) in failures.items():
        assert words[row_of[old]] == new, what
        assert not [w for w in PYTHON if w in new], (what, new)
    assert (
        "maria@clínica-ejemplo.es: 550 5.1.1 <maria@clínica-ejemplo.es>"
        in words[row_of[failures["address refused"][0]]]
    )
    fault, _ = preparing["fault"]
    assert words[row_of[fault]] == faults.unexpected("Could not prepare the email", f"outbox {row_of[fault]}")
    no_side, message = preparing["no side"]
    assert words[row_of[no_side]] == message
    # Rows in words already (and every_table's own rows) are kept as they were.
    for text in KEPT:
        assert words[row_of[text]] == text
    for key, row in before["outbox"].items():
        if key[0] not in ids:
            assert words[key[0]] == row["last_error"]
