"""Sending what the outbox holds: claim, send, mark; retry with backoff; failed ones re-sent by hand.

Each row is claimed with one conditional UPDATE (pending → sending, with this dispatcher's id and
the claim time), so any number of dispatchers — web workers, `flask reminders run`, cron — send
it once. A row stuck in "sending" (its dispatcher crashed) is claimed again after a timeout and
re-sent with the same Message-ID. The table is the truth; APScheduler is only the clock.
"""

from __future__ import annotations

import functools
import logging
import os
import random
import socket
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple, cast

from sqlalchemy import CursorResult, Engine, Select, and_, bindparam, case, func, or_, select, update
from sqlalchemy.orm import Session, joinedload, selectinload

from planner.bidi import isolate
from planner.mail import Email, Mailer, MailError, shown_in
from planner.models import OutboxMessage, Patient, Program, ProgramItem, User
from planner.scoping import get_scoped, scoped
from planner.services import DomainError, faults, issuing
from planner.services.faults import scrubbed

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DispatchSettings:
    """[reminders] in config.toml."""

    batch_size: int = 500
    max_attempts: int = 5
    retry_base_seconds: int = 60
    retry_max_seconds: int = 21600
    claim_timeout_seconds: int = 600

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> DispatchSettings:
        section = settings.get("reminders", {})
        return cls(**{name: int(section[name]) for name in cls.__dataclass_fields__ if name in section})

    def retry_delay(self, attempts: int) -> timedelta:
        """Exponential backoff: base, 2×base, 4×base … up to the maximum."""
        return timedelta(seconds=min(self.retry_base_seconds * 2 ** max(attempts - 1, 0), self.retry_max_seconds))


@dataclass
class DispatchReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0
    lost_claims: int = 0  # rows another dispatcher claimed first

    def add(self, other: DispatchReport) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


class Skip(Exception):  # noqa: N818  (not an error: the email is no longer wanted)
    """Raised by a composer: the email is no longer wanted (program archived, consent withdrawn…)."""


Composer = Callable[[Session, OutboxMessage, datetime], Email]


@contextmanager
def dispatcher_session(engine: Engine) -> Iterator[Session]:
    """A session on one connection held for the whole run. A dispatcher commits twice per email;
    handing the connection back to the pool each time (with its liveness ping) doubled the cost.
    On SQLite the connection writes with synchronous=NORMAL for the run (see below)."""
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Two commits per email, each an fsync under synchronous=FULL (4 ms on a busy disk):
            # 10,000 emails could not go out within a minute. In WAL mode NORMAL never corrupts
            # the file and a crashed process loses nothing; only a power cut can undo the last
            # commits, and then an email sent just before it may go out again with the same
            # Message-ID, as after a dispatcher crash. For this connection only, reset after.
            connection.exec_driver_sql("PRAGMA synchronous=NORMAL")
            connection.commit()  # else the session would join this transaction and never commit
        session = Session(bind=connection, expire_on_commit=False)
        try:
            yield session
        finally:
            session.close()
            if sqlite:
                connection.exec_driver_sql("PRAGMA synchronous=FULL")
                connection.commit()


def dispatcher_id() -> str:
    """Unique per dispatcher: host, process and a random part (threads of one process differ too)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:80]


def _claimable(now: datetime, settings: DispatchSettings) -> Any:
    stale = now - timedelta(seconds=settings.claim_timeout_seconds)
    return or_(
        and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == "sending", OutboxMessage.claimed_at < stale),
    )


def due_ids(session: Session, now: datetime, settings: DispatchSettings) -> list[int]:
    """Ids of rows that may be claimed now, oldest first; only a hint: the claim decides."""
    ids = list(
        session.scalars(
            select(OutboxMessage.id)
            .where(_claimable(now, settings))
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(settings.batch_size)
        )
    )
    session.rollback()  # end the read, so each claim starts its own write transaction (SQLite)
    # Dispatchers that read the same batch would race for the same rows in the same order;
    # shuffled, they mostly claim different ones. All of a batch is due, so order hardly matters.
    random.shuffle(ids)
    return ids


STOPPED = (
    "Sending stopped part-way: the dispatcher crashed or was stopped. "
    "If this keeps happening, something in this email may cause it."
)

# The two statements run for every email, built once (Core, bound parameters): building them per
# row cost more than the database work itself.
_CLAIM = (
    update(OutboxMessage)
    .where(
        OutboxMessage.id == bindparam("oid"),
        or_(
            and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= bindparam("now")),
            and_(OutboxMessage.status == "sending", OutboxMessage.claimed_at < bindparam("stale")),
        ),
    )
    .values(
        status="sending",
        claimed_by=bindparam("me"),
        claimed_at=bindparam("claimed_at"),
        attempts=OutboxMessage.attempts + 1,
        # A stale claim is an attempt that stopped part-way: say so on the row (SET sees the old status).
        last_error=case((OutboxMessage.status == "sending", STOPPED), else_=OutboxMessage.last_error),
    )
)
_CLAIM_RETURNING = _CLAIM.returning(OutboxMessage.attempts)
_MINE = (
    OutboxMessage.id == bindparam("oid"),
    OutboxMessage.claimed_by == bindparam("me"),
    OutboxMessage.status == "sending",
)
_MARK_SENT = (
    update(OutboxMessage)
    .where(*_MINE)
    .values(status="sent", sent_at=bindparam("sent_at"), to_address=bindparam("to"), last_error="")
)


def claim(session: Session, outbox_id: int, me: str, now: datetime, settings: DispatchSettings) -> bool:
    """Claim one row with one atomic conditional UPDATE; True when this dispatcher got it."""
    return _claim(session, outbox_id, me, now, settings) is not None


def _claim(session: Session, outbox_id: int, me: str, now: datetime, settings: DispatchSettings) -> int | None:
    """claim(), returning the row's attempts counting this one (None when another dispatcher has it):
    read in the same statement, so the row need not be read again (SQLite 3.35+ and PostgreSQL)."""
    stale = now - timedelta(seconds=settings.claim_timeout_seconds)
    attempts = (
        session.connection()
        .execute(_CLAIM_RETURNING, {"oid": outbox_id, "now": now, "stale": stale, "me": me, "claimed_at": now})
        .scalar()
    )
    session.commit()
    return attempts


def _finish(session: Session, outbox_id: int, me: str, **values: Any) -> None:
    """Record the outcome, only if this dispatcher still holds the claim."""
    session.connection().execute(update(OutboxMessage).where(*_MINE).values(**values), {"oid": outbox_id, "me": me})
    session.commit()


def send_claimed(
    session: Session,
    row: OutboxMessage,
    attempts: int,
    mailer: Mailer,
    compose: Composer,
    me: str,
    now: datetime,
    settings: DispatchSettings,
) -> str:
    """Compose and send a row this dispatcher claimed (`attempts`: as the claim counted them),
    then record how it went.

    Returns "sent", "retried", "failed" or "cancelled". Never raises for this row's email: any
    exception while composing or sending it is a failed attempt, kept on the row, so one bad
    message never stops the others.
    """
    outbox_id = row.id
    if attempts > settings.max_attempts:
        # A stale claim gets here once every attempt allowed stopped its dispatcher part-way (each
        # claim counted one). Sent again, a poison message would crash a dispatcher forever.
        log.warning("outbox %s: %s attempts stopped part-way; marked failed", outbox_id, settings.max_attempts)
        _finish(session, outbox_id, me, status="failed", attempts=settings.max_attempts)
        return "failed"
    try:
        email = compose(session, row, now)
    except Skip as e:
        _finish(session, outbox_id, me, status="cancelled", last_error=str(e))
        return "cancelled"
    except Exception as e:  # a bug, or data the email cannot carry: this row's failure alone
        session.rollback()  # a failed query leaves PostgreSQL's transaction unusable
        return _failed(session, outbox_id, attempts, me, now, settings, "Could not prepare the email", e)
    try:
        mailer.send(email)
    except Exception as e:  # MailError, or a bug in building or handing over the bytes
        session.rollback()
        return _failed(session, outbox_id, attempts, me, now, settings, "Could not send the email", e)
    session.connection().execute(_MARK_SENT, {"oid": outbox_id, "me": me, "sent_at": now, "to": email.to[:254]})
    session.commit()
    return "sent"


# Rows read together before they are claimed one by one: one query for a few emails instead of
# several for each. Few, so what a composer checks (consent, the link) is still fresh when sent.
READ_AHEAD = 25


def read_ahead(session: Session, ids: list[int], compose: Composer, now: datetime) -> dict[int, OutboxMessage]:
    """The rows with what composing them reads (program with its exercises and therapist, patient),
    and the composer's own look-ahead (`compose.prepare(session, rows, now)`, when it has one).

    Ends the read (a claim must start its own write transaction on SQLite); the rows stay loaded
    on a session that does not expire on commit (the dispatcher's).
    """
    rows = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.id.in_(ids))
        .options(
            joinedload(OutboxMessage.program).options(
                joinedload(Program.therapist), selectinload(Program.items).selectinload(ProgramItem.exercise)
            ),
            joinedload(OutboxMessage.patient).joinedload(Patient.primary_therapist),
        )
        .execution_options(populate_existing=True)
    ).all()
    prepare = getattr(compose, "prepare", None)
    if prepare is not None:
        prepare(session, rows, now)
    session.commit()
    return {row.id: row for row in rows}


def _failed(
    session: Session,
    outbox_id: int,
    attempts: int,
    me: str,
    now: datetime,
    settings: DispatchSettings,
    what: str,
    error: Exception,
) -> str:
    """Record a failed attempt: retried after the backoff, or failed for good after the last one."""
    # Read by the therapist (dashboard, patient page, the outbox's lists): any address in it with
    # its domain in Unicode, and never a Python error.
    if isinstance(error, MailError):
        text = scrubbed(shown_in(str(error)))
    elif isinstance(error, DomainError):  # worded for the therapist (a handout not made names its program)
        text = scrubbed(shown_in(error.message))
    else:  # unexpected: the row says what and gives a reference; the log keeps the exception under it
        reference = faults.new_reference()
        text = scrubbed(faults.unexpected(what, reference))
        log.warning("outbox %s: %s (reference %s): %s", outbox_id, what, reference, faults.traceback_text(error))
    # The log also keeps what the mail library raised (the row says it in words: mail.SMTPMailer.failure).
    cause = error.__cause__ if isinstance(error, MailError) else None
    logged = text + (scrubbed(f" [{type(cause).__name__}: {cause}]") if cause is not None else "")
    if attempts >= settings.max_attempts:
        log.warning(
            "outbox %s: attempt %s of %s failed; marked failed: %s", outbox_id, attempts, settings.max_attempts, logged
        )
        _finish(session, outbox_id, me, status="failed", last_error=text)
        return "failed"
    delay = settings.retry_delay(attempts)
    log.warning(
        "outbox %s: attempt %s of %s failed; retry in %s s: %s",
        outbox_id,
        attempts,
        settings.max_attempts,
        int(delay.total_seconds()),
        logged,
    )
    _finish(session, outbox_id, me, status="pending", last_error=text, next_attempt_at=now + delay)
    return "retried"


def dispatch_due(
    session: Session,
    mailer: Mailer,
    compose: Composer,
    now: datetime,
    settings: DispatchSettings,
    me: str | None = None,
) -> DispatchReport:
    """Send one batch of what is due at `now`; returns what happened."""
    me = me or dispatcher_id()
    report = DispatchReport()
    ids = due_ids(session, now, settings)
    for start in range(0, len(ids), READ_AHEAD):
        chunk = ids[start : start + READ_AHEAD]
        rows = read_ahead(session, chunk, compose, now)
        for outbox_id in chunk:
            attempts = _claim(session, outbox_id, me, now, settings)
            if attempts is None:
                report.lost_claims += 1
                continue
            # The read-ahead's row (reloaded by itself if a failed row's rollback expired it since).
            row = rows.get(outbox_id) or session.get(OutboxMessage, outbox_id)
            assert row is not None
            outcome = send_claimed(session, row, attempts, mailer, compose, me, now, settings)
            setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def dispatch_all(
    session: Session,
    mailer: Mailer,
    compose: Composer,
    clock: Callable[[], datetime],
    settings: DispatchSettings,
    me: str | None = None,
) -> DispatchReport:
    """Send batches until nothing is due (each batch reads the clock again)."""
    me = me or dispatcher_id()
    total = DispatchReport()
    while True:
        report = dispatch_due(session, mailer, compose, clock(), settings, me)
        total.add(report)
        if report.sent + report.retried + report.failed + report.cancelled + report.lost_claims == 0:
            return total


def resend(session: Session, clinic_id: int, outbox_id: int, now: datetime) -> OutboxMessage:
    """Put a failed email back in the queue, to go out at the next dispatch.

    :raise NotFound: for another clinic's email. :raise DomainError: when it has not failed.
    """
    row = get_scoped(session, OutboxMessage, clinic_id, outbox_id)
    # An UPDATE gives a CursorResult, which counts the rows it changed.
    result = cast(
        CursorResult[Any],
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row.id, OutboxMessage.status == "failed")
            .values(status="pending", attempts=0, next_attempt_at=now, claimed_by="")
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != 1:
        raise DomainError("This email has not failed; it is already sent or on its way.")
    session.refresh(row)
    return row


def _failed_of(clinic_id: Any, user_id: Any) -> Any:
    # Through the index on (user, status). Values or bound parameters.
    return scoped(OutboxMessage, clinic_id).where(OutboxMessage.status == "failed", OutboxMessage.user_id == user_id)


class FailedEmail(NamedTuple):
    """A failed email as the therapist's lists show it: plain values, the patient's name read with it."""

    id: int
    kind: str
    patient_id: int
    patient_name: str
    recipient: str
    due_on: date | None
    attempts: int
    last_error: str


def failed_for(session: Session, user: User, limit: int = 50, before_id: int | None = None) -> list[FailedEmail]:
    """Failed emails the therapist is responsible for (their reminders and handouts they sent),
    newest first; at most `limit`; with ids below `before_id` when given (the page after it).
    One statement, built once, with the patient's name."""
    values = {"clinic_id": user.clinic_id, "user_id": user.id, "limit": limit, "before_id": before_id}
    return [FailedEmail(*row) for row in session.execute(_failed_statement(before_id is not None), values)]


@functools.cache
def _failed_statement(paged: bool) -> Select[*tuple[Any, ...]]:
    # Through the index on (user, status), newest first; the patient by its key.
    query = (
        _failed_of(bindparam("clinic_id"), bindparam("user_id"))
        .join(Patient, Patient.id == OutboxMessage.patient_id)
        .with_only_columns(
            OutboxMessage.id,
            OutboxMessage.kind,
            OutboxMessage.patient_id,
            Patient.name,
            OutboxMessage.recipient,
            OutboxMessage.due_on,
            OutboxMessage.attempts,
            OutboxMessage.last_error,
        )
    )
    if paged:
        query = query.where(OutboxMessage.id < bindparam("before_id"))
    return query.order_by(OutboxMessage.id.desc()).limit(bindparam("limit"))


def count_failed(session: Session, user: User, limit: int) -> int:
    """How many failed emails failed_for would list, counted up to `limit` only."""
    limited = _failed_of(user.clinic_id, user.id).with_only_columns(OutboxMessage.id).limit(limit).subquery()
    return session.scalar(select(func.count()).select_from(limited)) or 0


def queue_handout_email(session: Session, program: Program, user: User, now: datetime) -> OutboxMessage:
    """Queue the program's handout to the patient's email; the PDF is built when it is sent.

    The current version is marked as issued by email, so what the patient holds stays readable.
    :raise DomainError: when the patient has no email address, or the program is archived.
    """
    patient = program.patient
    if not patient.email:
        raise DomainError(
            f"{isolate(patient.name)} has no email address. Add one on the patient's page, then try again."
        )
    if program.archived:
        raise DomainError("This program is archived; restore it before sending it.")
    issuing.issue(session, program, user.id, "email", now)
    row = OutboxMessage(
        clinic_id=program.clinic_id,
        kind="handout",
        program_id=program.id,
        patient_id=program.patient_id,
        user_id=user.id,
        recipient="patient",
        send_at=now,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row
