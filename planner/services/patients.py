"""Patients: list, search, create, edit, archive and restore, each within one clinic."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, func, insert, select, tuple_
from sqlalchemy.orm import Session, selectinload

from planner.mail import address_problem
from planner.models import Patient, PatientNameKey, User
from planner.models.patient import NAME_KEY_LENGTH
from planner.scoping import get_scoped, scoped
from planner.search_key import following, name_key, words
from planner.services import DomainError, NotFound
from planner.services.calendar_window import check_birth_date
from planner.services.clinic_time import clinic_zone, local_today

NAME_MAX = 120
NAME_KEY_MAX = 120  # the name_search column; a folded name rarely grows ("ß" is "ss")


@dataclass
class PatientData:
    """What a therapist enters about a patient (validated by the form, checked again here)."""

    name: str
    date_of_birth: date | None = None
    # What to call the patient ("María José"); "" for none (Patient.called_name).
    preferred_name: str = ""
    email: str = ""
    phone: str = ""
    language: str = "en"
    large_print: bool = False
    reminder_consent: bool = False
    condition: str = ""
    condition_tags: list[str] = field(default_factory=list)
    primary_therapist_id: int | None = None
    notes: str = ""


COUNT_LIMIT = 1000  # the list counts this many at most ("more than 1000 patients")


@dataclass(frozen=True)
class PatientPage:
    """One page of the list by name: `total` counted up to COUNT_LIMIT + 1; whether patients come
    before and after it (pages follow a patient's id, never an offset into the whole list)."""

    patients: list[Patient]
    total: int
    more_before: bool
    more_after: bool

    @property
    def total_text(self) -> str:
        """E.g. "1 patient", "25 patients", "more than 1000 patients"."""
        if self.total > COUNT_LIMIT:
            return f"more than {COUNT_LIMIT} patients"
        return f"{self.total} patient{'' if self.total == 1 else 's'}"


def list_patients(
    session: Session,
    clinic_id: int,
    *,
    search: str = "",
    status: str = "active",
    after: int | None = None,
    before: int | None = None,
    page_size: int = 25,
    last: bool = False,
) -> PatientPage:
    """A page of the clinic's patients by name; status is active, archived or all.

    Every word of the search must appear in the name, ignoring case, accents, punctuation and
    the spaces between the name's words (planner/search_key.py): "obrien" finds "O'Brien",
    "mary ann" and "maryann" find "Mary-Ann", "muller" finds "Müller".

    The page starts after the patient `after`, or ends before the patient `before` (ids from the
    page shown before; a patient of another clinic or gone: the first page); with `last` (and
    neither), it is the last page. Read through the index on (clinic, name) one way or the other:
    the cost of a page does not grow with the clinic.
    """
    query = scoped(Patient, clinic_id)
    if status == "active":
        query = query.where(Patient.archived_at.is_(None))
    elif status == "archived":
        query = query.where(Patient.archived_at.is_not(None))
    # Each word anywhere in the stored key without its spaces, so a word typed across them
    # ("maryann") is found too: through the index of where a word can start (PatientNameKey).
    for word in words(search):
        query = query.where(Patient.id.in_(_starting_with(clinic_id, word[:NAME_KEY_LENGTH])))
        if len(word) > NAME_KEY_LENGTH:  # found by its start: the whole word checked on those only
            query = query.where(func.replace(Patient.name_search, " ", "").like(f"%{word}%"))
    total = (
        session.scalar(
            select(func.count()).select_from(query.with_only_columns(Patient.id).limit(COUNT_LIMIT + 1).subquery())
        )
        or 0
    )
    order = (Patient.name_search, Patient.id)
    query = query.options(selectinload(Patient.primary_therapist))  # the list names each one's therapist
    cursor = _cursor(session, clinic_id, before if before is not None else after)
    if (cursor is not None and before is not None) or (last and after is None and before is None):
        backwards = query.where(tuple_(*order) < cursor) if cursor is not None else query
        rows = list(session.scalars(backwards.order_by(*(c.desc() for c in order)).limit(page_size + 1)))
        return PatientPage(rows[:page_size][::-1], total, len(rows) > page_size, cursor is not None)
    if cursor is not None:
        query = query.where(tuple_(*order) > cursor)
    rows = list(session.scalars(query.order_by(*order).limit(page_size + 1)))
    return PatientPage(rows[:page_size], total, cursor is not None, len(rows) > page_size)


def _starting_with(clinic_id: int, word: str) -> Any:
    """Ids of the clinic's patients with a name key that starts with `word`: a range on the index."""
    query = (
        scoped(PatientNameKey, clinic_id).with_only_columns(PatientNameKey.patient_id).where(PatientNameKey.key >= word)
    )
    after = following(word)
    return query.where(PatientNameKey.key < after) if after else query


def name_keys(name_search: str) -> list[str]:
    """Where a search word can start in a name's stored key (name_search): the key without its
    spaces from each character on, NAME_KEY_LENGTH characters at most. "mary ann" gives
    ["maryann", "aryann", "ryann", "yann", "ann", "nn", "n"]."""
    joined = name_search.replace(" ", "")
    return [joined[i : i + NAME_KEY_LENGTH] for i in range(len(joined))]


def index_name(session: Session, patient: Patient) -> None:
    """Write the patient's name keys again (after its name_search is set and the row has an id)."""
    session.execute(delete(PatientNameKey).where(PatientNameKey.patient_id == patient.id))
    rows = [
        {"patient_id": patient.id, "clinic_id": patient.clinic_id, "key": key} for key in name_keys(patient.name_search)
    ]
    if rows:
        session.execute(insert(PatientNameKey), rows)


def _cursor(session: Session, clinic_id: int, patient_id: int | None) -> ColumnElement[Any] | None:
    if patient_id is None:
        return None
    row = session.execute(
        scoped(Patient, clinic_id).with_only_columns(Patient.name_search, Patient.id).where(Patient.id == patient_id)
    ).first()
    return tuple_(*row) if row is not None else None


def get_patient(session: Session, clinic_id: int, patient_id: int) -> Patient:
    """:raise NotFound: when the patient is not in this clinic."""
    return get_scoped(session, Patient, clinic_id, patient_id)


def _apply(session: Session, clinic_id: int, patient: Patient, data: PatientData, now: datetime | None) -> None:
    name = " ".join(data.name.split())
    if not name:
        raise DomainError("Enter the patient's name.", "name")
    if len(name) > NAME_MAX:
        raise DomainError(f"The name is too long: at most {NAME_MAX} characters.", "name")
    preferred = " ".join(data.preferred_name.split())
    if len(preferred) > NAME_MAX:
        raise DomainError(f"The preferred name is too long: at most {NAME_MAX} characters.", "preferred_name")
    check_birth_date(data.date_of_birth, local_today(clinic_zone(session, clinic_id), now or datetime.now(UTC)))
    problem = address_problem(data.email) if data.email.strip() else ""
    if problem:
        raise DomainError(problem, "email")
    if data.primary_therapist_id is not None:
        try:
            get_scoped(session, User, clinic_id, data.primary_therapist_id)
        except NotFound:
            raise DomainError("Choose a therapist of this clinic.", "primary_therapist_id") from None
    patient.name = name
    patient.name_search = name_key(name, NAME_KEY_MAX)
    patient.preferred_name = preferred
    patient.date_of_birth = data.date_of_birth
    patient.email = data.email.strip()
    patient.phone = data.phone.strip()
    patient.language = data.language
    patient.large_print = data.large_print
    patient.reminder_consent = data.reminder_consent
    patient.condition = data.condition.strip()
    patient.condition_tags = sorted(set(data.condition_tags))
    patient.primary_therapist_id = data.primary_therapist_id
    patient.notes = data.notes.strip()


def create_patient(session: Session, clinic_id: int, data: PatientData, now: datetime | None = None) -> Patient:
    """`now` (aware; default: the current time) decides the clinic's today, the latest date of birth.

    :raise DomainError: naming the field that is wrong.
    """
    patient = Patient(clinic_id=clinic_id)
    _apply(session, clinic_id, patient, data, now)
    session.add(patient)
    session.flush()
    index_name(session, patient)
    return patient


def update_patient(session: Session, patient: Patient, data: PatientData, now: datetime | None = None) -> list[str]:
    """Save the changes; returns the names of the fields that changed (for the audit log).

    `now` as for create_patient. A date of birth saved before dates were checked is asked again.
    :raise DomainError: naming the field that is wrong.
    """
    before = {f: getattr(patient, f) for f in PatientData.__dataclass_fields__}
    _apply(session, patient.clinic_id, patient, data, now)
    session.flush()
    if patient.name != before["name"]:
        index_name(session, patient)
    return [f for f, value in before.items() if getattr(patient, f) != value]


def archive_patient(session: Session, patient: Patient, now: datetime) -> None:
    if patient.archived_at is None:
        patient.archived_at = now
    session.flush()


def restore_patient(session: Session, patient: Patient) -> None:
    patient.archived_at = None
    session.flush()
