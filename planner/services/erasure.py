"""Erasing a patient (the right to erasure), and the archived records due for review.

An erasure deletes every row about the patient (planner/services/patient_rows.py): programs,
versions, logs, evaluations, reminders, links, alerts, emails waiting in the outbox. The audit
log keeps its entries, so the clinic can still show who did what, but they lose the patient's id
and any text that named the patient; a new entry records who erased a patient and when.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email.parser import BytesHeaderParser
from pathlib import Path

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.orm import Session

from planner.models import (
    AuditEntry,
    DayReport,
    Evaluation,
    ExerciseLog,
    OutboxMessage,
    PainAlert,
    Patient,
    PatientLink,
    Program,
    User,
    Visit,
)
from planner.scoping import scoped
from planner.services import DomainError, audit
from planner.services.emails import MESSAGE_ID_KIND
from planner.services.patient_rows import AUDIT, PATIENT_TABLES, table_of


def _same_text(text: str) -> str:
    # One form for letters that can be typed two ways (é as one character or e + accent),
    # and single spaces: what the eye sees as the same name is the same name.
    return " ".join(unicodedata.normalize("NFC", text).split())


def name_matches(patient: Patient, typed: str) -> bool:
    """True when the typed name is the patient's full name, letter for letter (case counts)."""
    return bool(typed.strip()) and _same_text(typed) == _same_text(patient.name)


@dataclass(frozen=True)
class Erased:
    """What an erasure removed: rows deleted per table, and the Message-IDs' local parts
    ("handout-12") of the emails that were for or about the patient, to remove copies on disk."""

    deleted: dict[str, int]
    email_ids: frozenset[str]


def erase_patient(
    session: Session, patient: Patient, typed_name: str, by: User, now: datetime, address: str = ""
) -> Erased:
    """Delete every row about the patient and strip the audit log of them; the caller commits.

    :raise DomainError: on field "name" when `typed_name` is not the patient's full name
        (then nothing is changed).
    """
    if not name_matches(patient, typed_name):
        raise DomainError(
            "The name you typed is not this patient's full name. Nothing was erased. "
            "Type the name exactly as it is shown above.",
            "name",
        )
    patient_id, clinic_id = patient.id, patient.clinic_id
    outbox = select(OutboxMessage.id, OutboxMessage.kind).where(table_of(OutboxMessage).rows(patient_id))
    email_ids = frozenset(f"{MESSAGE_ID_KIND.get(kind, kind)}-{row_id}" for row_id, kind in session.execute(outbox))
    _strip_audit(session, patient, clinic_id)
    deleted = {}
    for table in reversed(PATIENT_TABLES):  # children first, so no foreign key is left dangling
        # "fetch": the deleted rows leave the session too, so no later flush or load touches them.
        result = session.execute(
            delete(table.model).where(table.rows(patient_id)).execution_options(synchronize_session="fetch")
        )
        deleted[table.name] = result.rowcount  # type: ignore[attr-defined]
    counts = ", ".join(f"{name} {n}" for name, n in deleted.items() if n)
    audit.record(session, by, "erase", "patient", None, detail=f"rows deleted: {counts}", address=address)
    session.flush()
    return Erased(deleted, email_ids)


def _strip_audit(session: Session, patient: Patient, clinic_id: int) -> None:
    """Keep the entries about the patient, without the patient's id, the subject's id or the detail;
    blank the detail of any other entry that holds the patient's name or email (searches)."""
    session.execute(
        update(AuditEntry)
        .where(AUDIT.rows(patient.id))
        .values(patient_id=None, subject_id=None, detail="")
        .execution_options(synchronize_session="fetch")
    )
    # Compared in Python: SQLite's lower() knows only ASCII, and a search may be typed in any case.
    needles = [_same_text(t).casefold() for t in (patient.name, patient.email) if t.strip()]
    naming = [
        entry_id
        for entry_id, detail in session.execute(
            scoped(AuditEntry, clinic_id)
            .with_only_columns(AuditEntry.id, AuditEntry.detail)
            .where(AuditEntry.detail != "")
        )
        if any(n in _same_text(detail).casefold() for n in needles)
    ]
    for chunk in _chunks(naming, 500):
        session.execute(
            update(AuditEntry)
            .where(AuditEntry.id.in_(chunk))
            .values(detail="")
            .execution_options(synchronize_session="fetch")
        )


def _chunks(ids: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


HEADER_BYTES = 16 * 1024


def remove_email_files(folder: Path, email_ids: Iterable[str]) -> int:
    """Delete the .eml copies that the file mail backend wrote for these emails; returns how many.

    A file is matched by its Message-ID header (<handout-12@domain>), whatever its name.
    """
    wanted = set(email_ids)
    if not wanted or not folder.is_dir():
        return 0
    removed = 0
    parser = BytesHeaderParser()
    for path in folder.glob("*.eml"):
        with path.open("rb") as f:
            head = f.read(HEADER_BYTES)  # the headers come first; the attached handout can be large
        message_id = str(parser.parsebytes(head).get("Message-ID", ""))
        if message_id.strip().strip("<>").split("@")[0] in wanted:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


# ---- archived records due for review ---------------------------------------------------------


@dataclass(frozen=True)
class ForReview:
    patient: Patient
    last_activity: datetime


def years_before(moment: datetime, years: int) -> datetime:
    """The same day and time `years` earlier (28 February for a 29 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def _activity(candidates: Select[int]) -> list[Select[int, datetime | None]]:
    """(patient id, latest moment) per kind of activity: care given, data changed, emails sent.
    Views are not activity: looking up an old record must not keep it forever."""
    sources = [
        (Program.patient_id, Program.updated_at, None),
        (Evaluation.patient_id, Evaluation.created_at, None),
        (Program.patient_id, Visit.created_at, Visit.program_id == Program.id),
        (DayReport.patient_id, DayReport.updated_at, None),
        (ExerciseLog.patient_id, ExerciseLog.created_at, None),
        (PainAlert.patient_id, PainAlert.created_at, None),
        (PatientLink.patient_id, PatientLink.created_at, None),
        (OutboxMessage.patient_id, OutboxMessage.sent_at, None),
    ]
    queries = []
    for patient_column, moment, join in sources:
        query = select(patient_column, func.max(moment)).where(patient_column.in_(candidates))
        if join is not None:
            query = query.join_from(Visit, Program, join)
        queries.append(query.group_by(patient_column))
    return queries


def archived_for_review(session: Session, clinic_id: int, years: int, now: datetime) -> list[ForReview]:
    """The clinic's archived patients with no activity for `years` years, longest quiet first.

    Activity is the latest of: archiving or changing the patient, a program change, an
    evaluation, a visit, a tick or day report, a pain alert, a new link, an email sent.
    """
    cutoff = years_before(now, years)
    candidates = (
        scoped(Patient, clinic_id)
        .where(Patient.archived_at.is_not(None), Patient.archived_at < cutoff, Patient.updated_at < cutoff)
        .with_only_columns(Patient.id)
    )
    latest: dict[int, datetime] = {}
    for query in _activity(candidates):
        for patient_id, moment in session.execute(query):
            if moment is not None and (patient_id not in latest or moment > latest[patient_id]):
                latest[patient_id] = moment
    found = []
    for patient in session.scalars(scoped(Patient, clinic_id).where(Patient.id.in_(candidates))):
        moments = [patient.updated_at, patient.archived_at, latest.get(patient.id)]
        last = max(m for m in moments if m is not None)
        if last < cutoff:
            found.append(ForReview(patient, last))
    return sorted(found, key=lambda r: (r.last_activity, r.patient.name_search, r.patient.id))
