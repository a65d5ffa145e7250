"""One Mailer interface, two backends: SMTP, and .eml files in the instance folder (the default).

The mailer only delivers; what to send and when is the outbox's business (planner/services/outbox.py).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import smtplib
import socket
import ssl
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes
from email.header import Header
from email.message import Message
from email.policy import default as default_policy
from email.utils import format_datetime, formataddr, parseaddr
from pathlib import Path
from typing import Any, Protocol


class MailError(Exception):
    """The message could not be handed over; the outbox retries it later."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime: str = "application/pdf"


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    text: str
    html: str
    message_id: str
    date: datetime
    sender: str
    reply_to: str = ""
    attachments: list[Attachment] = field(default_factory=list)


def message_id(kind: str, outbox_id: int, domain: str) -> str:
    """The Message-ID of an outbox row: the same on every attempt, so a resend after a crash is recognisable."""
    return f"<{kind}-{outbox_id}@{domain}>"


def default_domain(configured: str = "") -> str:
    return configured or f"planner.{socket.gethostname() or 'localhost'}"


def as_bytes(email: Email, linesep: str = "\n") -> bytes:
    """The message as bytes: multipart/alternative (plain text, HTML) inside multipart/mixed when
    there are attachments; every part base64, so any text or PDF is safe on any server.

    Written out directly: the email package's generator cost more than the rest of a send, and a
    dispatcher sends thousands. tests/test_mail.py reads the result back with that package.
    SMTP wants CRLF line ends (smtplib sends bytes unchanged).
    """
    tag = hashlib.sha1(email.message_id.encode()).hexdigest()[:24]  # noqa: S324  (a boundary, not security)
    # "_" is not in the base64 alphabet, so a boundary can never occur inside a part.
    alternative, mixed = f"=_alt_{tag}", f"=_mix_{tag}"
    lines = [f"From: {_address(email.sender)}", f"To: {_address(email.to)}"]
    if email.reply_to:
        lines.append(f"Reply-To: {_address(email.reply_to)}")
    lines += [
        f"Subject: {_text_header(email.subject)}",
        f"Date: {format_datetime(email.date)}",
        f"Message-ID: {email.message_id}",
        "MIME-Version: 1.0",
    ]
    body = [
        f'Content-Type: multipart/alternative; boundary="{alternative}"',
        "",
        f"--{alternative}",
        *_part("text/plain; charset=utf-8", email.text.encode()),
        f"--{alternative}",
        *_part("text/html; charset=utf-8", email.html.encode()),
        f"--{alternative}--",
    ]
    if email.attachments:
        lines += [f'Content-Type: multipart/mixed; boundary="{mixed}"', "", f"--{mixed}", *body]
        for attachment in email.attachments:
            name = attachment.filename.replace('"', "")
            lines += [
                f"--{mixed}",
                *_part(
                    f'{attachment.mime}; name="{name}"',
                    attachment.content,
                    f'Content-Disposition: attachment; filename="{name}"',
                ),
            ]
        lines.append(f"--{mixed}--")
    else:
        lines += body
    return (linesep.join(lines) + linesep).encode("ascii")


def _part(content_type: str, data: bytes, *extra: str) -> list[str]:
    encoded = base64.encodebytes(data).decode("ascii").rstrip("\n")
    return [f"Content-Type: {content_type}", "Content-Transfer-Encoding: base64", *extra, "", *encoded.split("\n")]


def _text_header(value: str) -> str:
    """Header text; non-ASCII (a subject naming "Jürgen Müller") encoded per RFC 2047."""
    value = " ".join(value.split())  # no line breaks can reach a header
    return value if value.isascii() else Header(value, "utf-8").encode()


def _address(value: str) -> str:
    name, address = parseaddr(value)
    return formataddr((" ".join(name.split()), address), charset="utf-8")


def build_message(email: Email) -> Message:
    """The message parsed back into the email package's object (for tests and tools)."""
    return message_from_bytes(as_bytes(email), policy=default_policy)


class Mailer(Protocol):
    def send(self, email: Email) -> None:
        """Hand the message over. :raise MailError: when that failed (it may be retried)."""

    def close(self) -> None: ...


class FileMailer:
    """Writes each message as an .eml file; the default, so `make run` needs no mail server."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)

    def send(self, email: Email) -> None:
        """:raise MailError: when the folder cannot be written."""
        local = email.message_id.strip("<>").split("@")[0]
        name = f"{email.date.strftime('%Y%m%dT%H%M%S')}-{local}-{uuid.uuid4().hex[:8]}.eml"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = self.folder / (name + ".part")
            partial.write_bytes(as_bytes(email))
            partial.replace(self.folder / name)  # whole files only: a reader never sees half a message
        except OSError as e:
            raise MailError(f"Could not write the email file: {e}") from e

    def close(self) -> None:
        pass


class SMTPMailer:
    """Sends through an SMTP server, keeping one connection open across a dispatch run."""

    def __init__(
        self,
        host: str,
        port: int,
        security: str = "starttls",
        user: str = "",
        password: str = "",
        timeout: float = 20,
        local_hostname: str | None = None,
        ca_file: str | None = None,
    ) -> None:
        """`ca_file`: certificates (PEM) to trust for the server besides the system's, for a
        clinic's own mail server with a certificate from its own authority."""
        if security not in ("starttls", "tls", "none"):
            raise ValueError(f"smtp_security must be starttls, tls or none, not {security!r}")
        if ca_file and not Path(ca_file).is_file():
            raise ValueError(f"smtp_ca_file names no file: {ca_file}")
        self.host, self.port, self.security = host, port, security
        self.user, self.password, self.timeout = user, password, timeout
        self.local_hostname, self.ca_file = local_hostname, ca_file
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        # The server's certificate and name are always checked; ca_file only adds whom to trust.
        context = ssl.create_default_context()
        if self.ca_file:
            context.load_verify_locations(cafile=self.ca_file)
        if self.security == "tls":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=context, local_hostname=self.local_hostname
            )
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout, local_hostname=self.local_hostname)
            if self.security == "starttls":
                smtp.starttls(context=context)
        if self.user:
            smtp.login(self.user, self.password)
        return smtp

    def send(self, email: Email) -> None:
        """:raise MailError: for a refused message, a refused sign-in or an unreachable server."""
        data = as_bytes(email, linesep="\r\n")
        sender = parseaddr(email.sender)[1]
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            self._smtp.sendmail(sender, [email.to], data)
        except (smtplib.SMTPException, OSError) as e:
            self.close()  # the next send starts on a fresh connection
            raise MailError(f"{type(e).__name__}: {e}") from e

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()
            self._smtp = None


def mailer_from_settings(settings: dict[str, Any], instance_path: str) -> Mailer:
    """The configured backend ([mail] in config.toml); the SMTP password comes from the environment."""
    mail = settings["mail"]
    if mail.get("backend", "file") == "smtp":
        return SMTPMailer(
            mail["smtp_host"],
            int(mail["smtp_port"]),
            mail.get("smtp_security", "starttls"),
            mail.get("smtp_user", ""),
            os.environ.get(mail.get("smtp_password_env", ""), ""),
            float(mail.get("smtp_timeout_seconds", 20)),
            ca_file=mail.get("smtp_ca_file") or None,
        )
    return FileMailer(Path(instance_path) / mail.get("outbox_folder", "outbox"))
