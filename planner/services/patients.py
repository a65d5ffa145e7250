"""Patients: list, search, create, edit, archive and restore, each within one clinic."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.mail import address_problem
from planner.models import Patient, User
from planner.scoping import get_scoped, scoped
from planner.search_key import name_key, words
from planner.services import DomainError
from planner.services.calendar_window import check_birth_date
from planner.services.clinic_time import clinic_zone, local_today

NAME_MAX = 120
NAME_KEY_MAX = 120  # the name_search column; a folded name rarely grows ("ß" is "ss")


@dataclass
class PatientData:
    """What a therapist enters about a patient (validated by the form, checked again here)."""

    name: str
    date_of_birth: date | None = None
    email: str = ""
    phone: str = ""
    language: str = "en"
    large_print: bool = False
    reminder_consent: bool = False
    condition: str = ""
    condition_tags: list[str] = field(default_factory=list)
    primary_therapist_id: int | None = None
    notes: str = ""


@dataclass(frozen=True)
class PatientPage:
    patients: list[Patient]
    total: int
    page: int
    pages: int


def list_patients(
    session: Session,
    clinic_id: int,
    *,
    search: str = "",
    status: str = "active",
    page: int = 1,
    page_size: int = 25,
) -> PatientPage:
    """A page of the clinic's patients by name; status is active, archived or all.

    Every word of the search must appear in the name, ignoring case, accents, punctuation and
    the spaces between the name's words (planner/search_key.py): "obrien" finds "O'Brien",
    "mary ann" and "maryann" find "Mary-Ann", "muller" finds "Müller".
    """
    query = scoped(Patient, clinic_id)
    if status == "active":
        query = query.where(Patient.archived_at.is_(None))
    elif status == "archived":
        query = query.where(Patient.archived_at.is_not(None))
    # The stored key without its spaces, so a word typed across them ("maryann") is found too.
    joined = func.replace(Patient.name_search, " ", "")
    for word in words(search):
        query = query.where(joined.like(f"%{word}%"))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    rows = session.scalars(
        query.order_by(Patient.name_search, Patient.id).limit(page_size).offset((page - 1) * page_size)
    )
    return PatientPage(list(rows), total, page, pages)


def get_patient(session: Session, clinic_id: int, patient_id: int) -> Patient:
    """:raise NotFound: when the patient is not in this clinic."""
    return get_scoped(session, Patient, clinic_id, patient_id)


def _apply(session: Session, clinic_id: int, patient: Patient, data: PatientData, now: datetime | None) -> None:
    name = " ".join(data.name.split())
    if not name:
        raise DomainError("Enter the patient's name.", "name")
    if len(name) > NAME_MAX:
        raise DomainError(f"The name is too long: at most {NAME_MAX} characters.", "name")
    check_birth_date(data.date_of_birth, local_today(clinic_zone(session, clinic_id), now or datetime.now(UTC)))
    problem = address_problem(data.email) if data.email.strip() else ""
    if problem:
        raise DomainError(problem, "email")
    if data.primary_therapist_id is not None:
        therapist = session.get(User, data.primary_therapist_id)
        if therapist is None or therapist.clinic_id != clinic_id:
            raise DomainError("Choose a therapist of this clinic.", "primary_therapist_id")
    patient.name = name
    patient.name_search = name_key(name, NAME_KEY_MAX)
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
    return patient


def update_patient(session: Session, patient: Patient, data: PatientData, now: datetime | None = None) -> list[str]:
    """Save the changes; returns the names of the fields that changed (for the audit log).

    `now` as for create_patient. A date of birth saved before dates were checked is asked again.
    :raise DomainError: naming the field that is wrong.
    """
    before = {f: getattr(patient, f) for f in PatientData.__dataclass_fields__}
    _apply(session, patient.clinic_id, patient, data, now)
    session.flush()
    return [f for f, value in before.items() if getattr(patient, f) != value]


def archive_patient(session: Session, patient: Patient, now: datetime) -> None:
    if patient.archived_at is None:
        patient.archived_at = now
    session.flush()


def restore_patient(session: Session, patient: Patient) -> None:
    patient.archived_at = None
    session.flush()
