"""mail failures in words: a failed email kept by an earlier release reads as a new one does

Until session 14 (5461da9, 9c74864) an email that could not be sent kept the exception on its
outbox row as Python wrote it: "SMTPRecipientsRefused: {'a@b.example': (550, b'5.1.1 …')}",
"ConnectionRefusedError: [Errno 111] Connection refused", "Could not prepare the email:
IndexError: list index out of range". The dashboard, the failed list and the patient's page
showed that text until the therapist pressed "Send again". A row written since says what happened
in plain words, with the server's own reply, and who can fix it (mail.SMTPMailer.failure,
mail.FileMailer.send, outbox._failed). This rewrites each old row's text into those words. The
words are restated here: a migration must not change when the code does.

Rewritten once here, rather than reworded each time a page shows a row: the row is what every
reader gets (three pages today, a command or an export tomorrow), so no reader needs a second
rule for text that stopped being written, and a new row's words are never run through it.
Nothing a person needs is lost: the new words keep the server's code and reply; the exception's
name was for programmers, and the log of that time keeps it.

What the old text cannot tell is left out: the mail server's address (the row never kept it), and
a fault's log reference (none was given then; that log named the row, "outbox 42", so that is the
reference). Text in any other form (already in words, or cut short past reading) is kept as it
is. Every row is carried; only outbox.last_error changes. Downgrading keeps the words: the
earlier release shows them as they are.

Revision ID: 0031_mail_failures_in_words
Revises: 0030_audit_change_as_update
"""

import ast
import re
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0031_mail_failures_in_words"
down_revision = "0030_audit_change_as_update"
branch_labels = None
depends_on = None

CHECK = "Ask whoever runs the planner to check its mail settings."
AGAIN = "If this keeps happening, ask whoever runs the planner to check its mail settings."

# The exceptions a send could fail with (smtplib's, ssl's, socket's and OSError's), as stored:
# "Name: what str() said".
_SAID = re.compile(r"(?P<name>SMTP\w*|SSL\w*|\w+Error|gaierror|herror|timeout): ?(?P<text>.*)", re.S)
# Anything else that went wrong while an email was made or handed over.
_FAULT = re.compile(r"(?P<what>Could not (?:prepare|send) the email): (?P<name>\w+): ?(?P<text>.*)", re.S)
_FILE = re.compile(r"Could not write the email file: (?P<text>.*)", re.S)
_ERRNO = re.compile(r"\[Errno -?\d+\] (?P<strerror>.*?)(?:: '.*')?", re.S)
_SSL = re.compile(r"\[SSL: (?P<reason>\w+)\] (?P<text>.*?)(?: \(_ssl\.c:\d+\))?", re.S)
_VERIFY = re.compile(r"\[SSL: (?P<reason>\w+)\] certificate verify failed: (?P<message>.*?)(?: \(_ssl\.c:\d+\))?", re.S)
_BYTES = re.compile(r"""b(?P<q>['"])(?:\\.|(?!(?P=q)).)*(?P=q)""", re.S)
# The planner's own errors worded for the therapist (services.DomainError and its kinds, as of
# this release): a new row keeps their message alone.
_WORDED = {
    "AlreadyAnswered",
    "CatalogInvalid",
    "Conflict",
    "DirectionsNotSet",
    "DomainError",
    "DomainErrors",
    "InvalidExercise",
    "KeyUnreadable",
    "NotFound",
    "PhotoRejected",
    "SignInRefused",
}
_REPLY_CODES = {"SMTPResponseException", "SMTPDataError", "SMTPConnectError", "SMTPHeloError"}


def upgrade() -> None:
    bind = op.get_bind()
    outbox = sa.table("outbox", sa.column("id", sa.Integer), sa.column("last_error", sa.Text))
    rows = bind.execute(sa.select(outbox.c.id, outbox.c.last_error).where(outbox.c.last_error != "")).all()
    changed = [
        {"row": row_id, "words": words} for row_id, text in rows if (words := in_words(text, row_id)) is not None
    ]
    if changed:
        bind.execute(
            outbox.update().where(outbox.c.id == sa.bindparam("row")).values(last_error=sa.bindparam("words")),
            changed,
        )


def downgrade() -> None:
    pass  # the earlier release shows the words as they are


def in_words(text: str, row_id: int) -> str | None:
    """The words a row written now would hold for the old `text` of row `row_id`, or None to keep it."""
    if found := _FILE.fullmatch(text):
        return f"Could not write the email file ({_strerror(found['text'])}). Ask whoever runs the planner to check its folder."
    if found := _FAULT.fullmatch(text):
        if found["name"] in _WORDED:
            return found["text"]
        return (
            f"{found['what']} because of a fault on our side. "
            f"If this keeps happening, contact support and give them reference outbox {row_id}."
        )
    if found := _SAID.fullmatch(text):
        return _failure(found["name"], found["text"])
    return None


def _failure(name: str, text: str) -> str:
    """mail.SMTPMailer.failure's words for the exception `name` that said `text`."""
    if name == "SMTPRecipientsRefused":
        refused = _literal(text)
        if isinstance(refused, dict) and refused and all(_is_reply(r) for r in refused.values()):
            said = "; ".join(f"{address}: {_reply(*reply[:2])}" for address, reply in refused.items())
            return f"The mail server refused the address ({said}). Check the email address."
        return "The mail server refused the address. Check the email address."
    if name in {"SMTPSenderRefused", "SMTPAuthenticationError"} | _REPLY_CODES:
        reply = _literal(text)
        said = f" ({_reply(*reply[:2])})" if _is_reply(reply) else ""
        if name == "SMTPSenderRefused":
            return f"The mail server refused the sender address{said}. {CHECK}"
        if name == "SMTPAuthenticationError":
            return f"The mail server refused the sign-in{said}. {CHECK}"
        if not said:
            return f"The mail server did not take the email. {AGAIN}"
        if 400 <= reply[0] < 500:
            return f"The mail server could not take the email just now{said}. {AGAIN}"
        return f"The mail server refused the email{said}."
    if name == "SSLCertVerificationError":
        if found := _VERIFY.fullmatch(text):
            return f"The mail server's certificate is not trusted ({found['reason']}: {found['message']}). {CHECK}"
        return f"The mail server's certificate is not trusted. {CHECK}"
    if name.startswith("SSL"):
        found = _SSL.fullmatch(text)
        return f"A secure connection to the mail server failed ({found['reason'] if found else text}). {CHECK}"
    if name == "SMTPNotSupportedError":
        return f"The mail server does not offer what the mail settings ask for ({text}). {CHECK}"
    if name == "SMTPServerDisconnected":
        return f"The mail server closed the connection ({text or 'no reason given'}). {AGAIN}"
    if name == "gaierror":
        return f"The mail server's name could not be found. {CHECK}"
    if name in ("TimeoutError", "timeout"):
        return f"The mail server did not answer in time. {AGAIN}"
    if name == "ConnectionRefusedError":
        return f"Nothing answered at the mail server's address. {AGAIN}"
    if name.startswith("SMTP"):
        return f"The mail server did not take the email ({text}). {AGAIN}"
    return f"The mail server could not be reached ({_strerror(text)}). {AGAIN}"


def _strerror(text: str) -> str:
    """An OSError's own words without its number and file name ("[Errno 111] Connection refused")."""
    found = _ERRNO.fullmatch(text)
    return found["strerror"] if found else text


def _is_reply(value: Any) -> bool:
    """(code, message, …) as smtplib keeps a server's reply."""
    return isinstance(value, tuple) and len(value) >= 2 and isinstance(value[0], int)


def _reply(code: int, message: bytes | str) -> str:
    """A server's reply as a person reads it: "550 5.1.1 unknown user" (its bytes decoded)."""
    words = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{code} {' '.join(words.split())}"


def _literal(text: str) -> Any:
    """The Python value `text` wrote (a dict or tuple of numbers, text and bytes), or None when it
    is none (cut short, say). Letters outside ASCII in bytes (a domain the row showed in Unicode)
    go back to their UTF-8 escapes first."""

    def escaped(found: re.Match[str]) -> str:
        return "".join(c if c.isascii() else "".join(f"\\x{b:02x}" for b in c.encode()) for c in found.group())

    try:
        return ast.literal_eval(_BYTES.sub(escaped, text))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
