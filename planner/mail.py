"""One Mailer interface, two backends: SMTP, and .eml files in the instance folder (the default).

The mailer only delivers; what to send and when is the outbox's business (planner/services/outbox.py).
Every message is built by the standard library's email package under its SMTP policy: encoded
words for names and subjects in any script, RFC 2231 file names, CRLF line ends and folding
everywhere. Hand-built headers broke on the first accented file name, and one such message
stopped the whole dispatcher.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import smtplib
import socket
import ssl
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.charset import QP, Charset
from email.header import Header
from email.headerregistry import Address
from email.message import Message, MIMEPart
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import SMTP, SMTPUTF8
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Any, Protocol

import idna

from planner.bidi import isolate


class MailError(Exception):
    """The message could not be handed over; the outbox retries it later."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime: str = "application/pdf"


@dataclass(frozen=True)
class Email:
    """One message. `to` and `reply_to` are bare addresses; `to_name` and `reply_to_name` are
    shown beside them. `sender` is the configured From: an address, or "Name <address>";
    `sender_name`, when given, is shown in From in place of that name (the address stays)."""

    to: str
    subject: str
    text: str
    html: str
    message_id: str
    date: datetime
    sender: str
    reply_to: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    to_name: str = ""
    reply_to_name: str = ""
    # More header fields as (name, value), such as List-Unsubscribe; values in ASCII on one line.
    headers: tuple[tuple[str, str], ...] = ()
    # The language the reader reads it in (Content-Language, RFC 3282): the patient's for a patient,
    # English for a therapist; a mail program may pick a voice or offer a translation by it.
    language: str = "en"
    sender_name: str = ""


def message_id(kind: str, outbox_id: int, domain: str) -> str:
    """The Message-ID of an outbox row: the same on every attempt, so a resend after a crash is recognisable."""
    return f"<{kind}-{outbox_id}@{domain}>"


def default_domain(configured: str = "") -> str:
    """The right-hand side of Message-IDs: the configured one (in its ASCII form), else "planner." and the host name."""
    domain = configured or f"planner.{socket.gethostname() or 'localhost'}"
    with contextlib.suppress(idna.IDNAError, UnicodeError):
        domain = ascii_domain(domain)
    return domain


def ascii_domain(domain: str) -> str:
    """The domain in ASCII as it goes out (IDNA 2008 with UTS 46 mapping): xn--bcher-kva.example for
    bücher.example; an ASCII domain unchanged. The one conversion for email domains and for the
    host of every link (settings.ascii_url, exercise_emails.ascii_url).

    :raise idna.IDNAError: (or UnicodeError) when it is not a valid internationalised domain name.
    """
    return domain if domain.isascii() else idna.encode(domain, uts46=True).decode("ascii")


def shown_address(address: str) -> str:
    """An address as a person reads it: its domain in Unicode, mariajose@clínica-ejemplo.es for
    mariajose@xn--clnica-ejemplo-1lb.es (the ASCII form a browser's email field sends and an
    account keeps); the part before the @ as it is. Every page, message and command output that
    shows an address shows this form; what goes out is _mailbox's (IDNA, SMTPUTF8). Unchanged
    when the domain is not valid IDNA."""
    local, at, domain = address.rpartition("@")
    return f"{local}{at}{_unicode_domain(domain)}" if at else address


def shown_in(text: str) -> str:
    """`text` (a mail server's reply, an error kept on an outbox row) with each domain written in
    ASCII (a label starting xn--) in its Unicode form, for a person to read."""
    return _ASCII_DOMAIN.sub(lambda m: _unicode_domain(m.group(0)), text) if "xn--" in text.lower() else text


# A domain name with at least one label in ASCII form (RFC 5890's A-label: "xn--" and more).
_ASCII_DOMAIN = re.compile(r"(?<![\w.-])(?:[a-z0-9-]+\.)*xn--[a-z0-9-]+(?:\.[a-z0-9-]+)*", re.IGNORECASE)


def _unicode_domain(domain: str) -> str:
    """The domain in Unicode (bücher.example for xn--bcher-kva.example); unchanged when it is
    Unicode already or not valid IDNA."""
    if "xn--" not in domain.lower():
        return domain
    try:
        return idna.decode(domain)
    except (idna.IDNAError, UnicodeError):
        return domain


INVALID_ADDRESS = "Enter a valid email address."


def address_problem(address: str) -> str:
    """Why mail cannot be sent to a typed address, in words for the person typing it; "" when it can.

    A domain in any script is fine (it goes out in its ASCII form). Letters outside ASCII before
    the @ are refused: they need a server that offers SMTPUTF8, and many do not.
    """
    local, at, domain = address.strip().rpartition("@")
    if not at or not local or not domain or any(c.isspace() or c in '<>()[],;:"\\' for c in address.strip()):
        return INVALID_ADDRESS
    odd = [c for c in local if not c.isascii()]
    if odd:
        return (
            f"Use only plain letters, digits and . - _ + before the @, not “{isolate(odd[0])}”. "
            "Many mail servers cannot deliver to such an address."
        )
    try:
        if "" in domain.split("."):
            raise idna.IDNAError("an empty label")
        ascii_domain(domain)
    except (idna.IDNAError, UnicodeError):
        return f"“{isolate(domain)}” after the @ is not a valid domain name."
    return ""


def with_ascii_domain(address: str) -> str:
    """The address with its domain in ASCII: ana@xn--bcher-kva.example for ana@bücher.example.

    The form it goes out in, and the form browsers send from an email field. Unchanged when the
    domain cannot be converted (address_problem says why).
    """
    local, at, domain = address.rpartition("@")
    try:
        return f"{local}{at}{ascii_domain(domain)}" if at else address
    except (idna.IDNAError, UnicodeError):
        return address


def _mailbox(address: str, name: str = "") -> Address:
    """The address as it goes out: the domain in ASCII (IDNA), a non-ASCII local part kept (SMTPUTF8).

    :raise MailError: when it is not an address.
    """
    local, at, domain = address.strip().rpartition("@")
    if not at or not local or not domain:
        raise MailError(f"“{isolate(shown_address(address))}” is not an email address.")
    try:
        domain = ascii_domain(domain)
    except (idna.IDNAError, UnicodeError) as e:
        raise MailError(f"“{isolate(address)}” has a domain that cannot be written in ASCII: {e}") from None
    try:
        return Address(display_name=" ".join(name.split()), username=local, domain=domain)
    except (ValueError, IndexError) as e:  # the email package's parser finds it malformed
        raise MailError(f"“{isolate(shown_address(address))}” is not an email address: {e}") from None


@functools.lru_cache(maxsize=16)  # the configured From, the same for every email
def sender_mailbox(value: str) -> Address:
    """The configured From ([mail] sender), "Name <address>" or an address. :raise MailError: when it is neither."""
    name, address = parseaddr(value)
    if not address:
        raise MailError(f"[mail] sender “{value}” is not an address or “Name <address>”.")
    return _mailbox(address, name)


@dataclass(frozen=True)
class Composed:
    """A message ready for SMTP: its bytes, the envelope's sender and recipient, and the addresses
    that need the server's SMTPUTF8 extension (letters outside ASCII before the @); usually none."""

    data: bytes
    sender: str
    recipient: str
    smtputf8: tuple[str, ...] = ()


def compose(email: Email) -> Composed:
    """The message as the standard library's MIME classes build it and its generator writes it
    under the SMTP policy (CRLF line ends).

    multipart/alternative (plain text, HTML; quoted-printable UTF-8), inside multipart/mixed when
    there are attachments. :raise MailError: when an address is not one.
    """
    sender = sender_mailbox(email.sender)
    if email.sender_name:
        sender = _mailbox(sender.addr_spec, email.sender_name)
    to = _mailbox(email.to, email.to_name)
    reply_to = _mailbox(email.reply_to, email.reply_to_name) if email.reply_to else None
    # The legacy MIME classes (policy compat32) keep each header as the text given, where
    # EmailMessage parsed every header it set and folded it back: most of a reminder's CPU.
    message: Message = MIMEMultipart(
        "alternative",
        # typeshed gives MIMEText's _charset as str only; the standard library takes a Charset too.
        _subparts=[MIMEText(_lines(email.text), "plain", _UTF8), MIMEText(_lines(email.html), "html", _UTF8)],  # type: ignore[arg-type]
    )
    if email.attachments:
        body = message
        message = MIMEMultipart("mixed")
        message.attach(body)
        for attachment in email.attachments:
            # Rare (an emailed handout): the modern API, whose folder writes a long file name
            # outside ASCII as RFC 2231 continuations (filename*0*=utf-8''…).
            part = MIMEPart(policy=SMTP)
            maintype, _, subtype = attachment.mime.partition("/")
            part.set_content(
                attachment.content,
                maintype=maintype,
                subtype=subtype,
                disposition="attachment",
                filename=attachment.filename,
            )
            message.attach(part)
    headers = [
        ("From", _mailbox_text("From", sender)),
        ("To", _mailbox_text("To", to)),
        *([("Reply-To", _mailbox_text("Reply-To", reply_to))] if reply_to is not None else []),
        ("Subject", _text("Subject", email.subject)),
        ("Date", format_datetime(email.date)),
        ("Message-ID", _one_line("Message-ID", email.message_id)),
        ("Content-Language", _one_line("Content-Language", email.language)),
        # Written as they are: the policy's folder would break a long URL in angle brackets.
        *((name, _one_line(name, value)) for name, value in email.headers),
    ]
    # Ours first, as mail programs list them; the MIME headers after.
    mime = message.items()
    for name in [n for n, _ in mime]:
        del message[name]
    for name, value in [*headers, *mime]:
        message[name] = value
    smtputf8 = tuple(a.addr_spec for a in (sender, to, reply_to) if a is not None and not a.username.isascii())
    data = message.as_bytes(policy=_WRITE_SMTPUTF8 if smtputf8 else _WRITE)
    return Composed(data, sender.addr_spec, to.addr_spec, smtputf8)


_UTF8 = Charset("utf-8")
# Quoted-printable, not 8bit: a server without 8BITMIME gets 7-bit lines all the same.
_UTF8.body_encoding = QP
# Every header is folded already (email.header.Header) or must not be folded: under the default
# refold_source the policy would turn a List-Unsubscribe longer than a line into encoded
# words, which no mail program reads as a link.
_WRITE = SMTP.clone(refold_source="none")
_WRITE_SMTPUTF8 = SMTPUTF8.clone(refold_source="none")


def _lines(text: str) -> str:
    """Text with LF line ends (the generator writes CRLF) ending in one, as the email package writes a body."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text if text.endswith("\n") else text + "\n"


def _one_line(name: str, value: str) -> str:
    """:raise MailError: when a header value of ours is not ASCII on one line."""
    if not value.isascii() or "\r" in value or "\n" in value:
        raise MailError(f"The {name} header must be ASCII on one line.")
    return value


# Python's email package (3.11 here) drops the space between two encoded words when it folds a
# header (CPython gh-144156): "Clínica Rehabilitación" arrived as "ClínicaRehabilitación". Its
# older encoder, email.header.Header, folds them intact, and folds ASCII text at its spaces.
_LINE = 78  # RFC 5322's recommended limit, which both folders keep


def _text(name: str, value: str) -> str:
    """Unstructured header text (a subject), folded; line breaks typed by a user become spaces."""
    value = " ".join(value.split())
    charset = "us-ascii" if value.isascii() and "=?" not in value else "utf-8"
    return Header(value, charset, header_name=name).encode(linesep="\r\n")


def _mailbox_text(name: str, mailbox: Address) -> str:
    """An address header; a name outside ASCII as encoded words, the address itself never encoded."""
    if mailbox.display_name.isascii():
        written = str(mailbox)  # the name quoted where it must be
        if len(name) + 2 + len(written) <= _LINE:
            return written
        return Header(written, "us-ascii", header_name=name).encode(linesep="\r\n")
    lines = Header(mailbox.display_name, "utf-8", header_name=name).encode(linesep="\r\n").split("\r\n")
    address = f"<{mailbox.addr_spec}>"
    used = len(lines[-1]) + (len(name) + 2 if len(lines) == 1 else 0)
    if used + 1 + len(address) <= _LINE:
        lines[-1] += " " + address
    else:
        lines.append(" " + address)
    return "\r\n".join(lines)


def as_bytes(email: Email) -> bytes:
    """The whole message as it is sent (and as the file backend writes it). :raise MailError:"""
    return compose(email).data


class Mailer(Protocol):
    def send(self, email: Email) -> None:
        """Hand the message over. :raise MailError: when that failed (it may be retried)."""

    def close(self) -> None: ...


class FileMailer:
    """Writes each message as an .eml file; the default, so `make run` needs no mail server."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)

    def send(self, email: Email) -> None:
        """:raise MailError: when the folder cannot be written, or an address is not one."""
        data = as_bytes(email)
        local = email.message_id.strip("<>").split("@")[0]
        name = f"{email.date.strftime('%Y%m%dT%H%M%S')}-{local}-{uuid.uuid4().hex[:8]}.eml"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = self.folder / (name + ".part")
            partial.write_bytes(data)
            partial.replace(self.folder / name)  # whole files only: a reader never sees half a message
        except OSError as e:
            raise MailError(
                f"Could not write the email file ({e.strerror or e}). Ask whoever runs the planner to check its folder."
            ) from e

    def close(self) -> None:
        pass


def _reply(code: int, message: bytes | str) -> str:
    """A server's reply as a person reads it: "550 5.1.1 unknown user" (its bytes decoded)."""
    words = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{code} {' '.join(words.split())}"


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
        try:
            if self.security == "starttls":
                smtp.starttls(context=context)
            if self.user:
                smtp.login(self.user, self.password)
        except BaseException:
            # An untrusted certificate or a refused sign-in: the connection is not kept (send's
            # close() never sees it), so it is closed here, not left open until collected.
            smtp.close()
            raise
        return smtp

    def send(self, email: Email) -> None:
        """:raise MailError: for a refused message, a refused sign-in, an unreachable server, or an
        address with letters outside ASCII before the @ when the server does not offer SMTPUTF8."""
        message = compose(email)
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            options: list[str] = []
            if message.smtputf8:
                self._smtp.ehlo_or_helo_if_needed()
                if not self._smtp.has_extn("smtputf8"):
                    raise MailError(
                        "The mail server does not offer SMTPUTF8, so it cannot take "
                        f"{', '.join(map(shown_address, message.smtputf8))}: "
                        "letters outside ASCII come before the @. Use another address."
                    )
                options = ["SMTPUTF8", "BODY=8BITMIME"]
            self._smtp.sendmail(message.sender, [message.recipient], message.data, mail_options=options)
        except (smtplib.SMTPException, OSError) as e:
            self.close()  # the next send starts on a fresh connection
            raise MailError(shown_in(self.failure(e))) from e
        except MailError:
            raise
        except Exception:
            self.close()  # stopped part-way: the connection's state is unknown
            raise

    def failure(self, error: smtplib.SMTPException | OSError) -> str:
        """What went wrong, in plain words, for the therapist who reads it beside the email: what
        happened, the server's own reply (its code and words, which support can look up), and
        who can fix it. Never a Python class name; the exception itself is the MailError's cause."""
        check = "Ask whoever runs the planner to check its mail settings."
        again = "If this keeps happening, a" + check[1:]
        if isinstance(error, smtplib.SMTPRecipientsRefused):
            refused = "; ".join(f"{shown_address(a)}: {_reply(c, m)}" for a, (c, m) in error.recipients.items())
            return f"The mail server refused the address ({refused}). Check the email address."
        if isinstance(error, smtplib.SMTPSenderRefused):
            return f"The mail server refused the sender address ({_reply(error.smtp_code, error.smtp_error)}). {check}"
        if isinstance(error, smtplib.SMTPAuthenticationError):
            return f"The mail server refused the sign-in ({_reply(error.smtp_code, error.smtp_error)}). {check}"
        if isinstance(error, smtplib.SMTPResponseException):
            said = _reply(error.smtp_code, error.smtp_error)
            if 400 <= error.smtp_code < 500:
                return f"The mail server could not take the email just now ({said}). {again}"
            return f"The mail server refused the email ({said})."
        if isinstance(error, ssl.SSLCertVerificationError):
            return f"The mail server's certificate is not trusted ({error.reason}: {error.verify_message}). {check}"
        if isinstance(error, ssl.SSLError):
            return f"A secure connection to the mail server failed ({error.reason or error}). {check}"
        if isinstance(error, smtplib.SMTPNotSupportedError):
            return f"The mail server does not offer what the mail settings ask for ({error}). {check}"
        if isinstance(error, smtplib.SMTPServerDisconnected):
            return f"The mail server closed the connection ({error or 'no reason given'}). {again}"
        if isinstance(error, socket.gaierror):
            return f"The mail server's name {self.host} could not be found. {check}"
        if isinstance(error, TimeoutError):
            return f"The mail server at {self.host} did not answer in time. {again}"
        if isinstance(error, ConnectionRefusedError):
            return f"Nothing answered at the mail server's address {self.host}:{self.port}. {again}"
        if isinstance(error, smtplib.SMTPException):
            return f"The mail server did not take the email ({error}). {again}"
        return f"The mail server could not be reached ({error.strerror or error}). {again}"

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()
            self._smtp = None


def mailer_from_settings(settings: Mapping[str, Any], instance_path: str) -> Mailer:
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
