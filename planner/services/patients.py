"""Patients: list, search, create, edit, archive and restore, each within one clinic."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, delete, false, func, insert, select, tuple_
from sqlalchemy.orm import Session, aliased, joinedload

from planner.counted import counted
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
        return counted(self.total, "patient", "patients")


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
    the cost of a page does not grow with the clinic. A search reads at most COUNT_LIMIT + 1 keys
    of a word and, for a word more than COUNT_LIMIT names hold, stops at a page (_search, WALK_FROM).
    """
    typed = words(search)
    if not typed and after is None and before is None:  # the list as it opens (or its last page)
        count, first = _unsearched(status, last)
        values = {"clinic_id": clinic_id, "limit": page_size + 1}
        found = list(session.scalars(first, values))
        return _paged(found, page_size, session.scalar(count, values) or 0, last, False)
    query = _of_status(scoped(Patient, clinic_id), status)
    # Each word anywhere in the stored key without its spaces, so a word typed across them
    # ("maryann") is found too: through the index of where a word can start (PatientNameKey).
    keys = [word[:NAME_KEY_LENGTH] for word in typed]
    for word in typed:
        if len(word) > NAME_KEY_LENGTH:  # found by its start: the whole word checked on those only
            query = query.where(func.replace(Patient.name_search, " ", "").like(f"%{word}%"))
    through_range: list[ColumnElement[bool]] = []
    if keys:
        total, through_range = _search(session, clinic_id, query, keys)
    else:
        total = _count(session, query)
    order = ORDER
    cursor = _cursor(session, clinic_id, before if before is not None else after)
    backwards = (cursor is not None and before is not None) or (last and after is None and before is None)
    if cursor is not None:
        query = query.where(tuple_(*order) < cursor if backwards else tuple_(*order) > cursor)
    sort = [c.desc() for c in order] if backwards else list(order)

    def page(narrowed: Select[Any]) -> list[Patient]:
        return list(session.scalars(_with_therapist(narrowed).order_by(*sort).limit(page_size + 1)))

    if keys and total > WALK_FROM:
        # Walk the names in order, asking each its keys, up to WALK_LIMIT names: enough when the
        # names found are spread through the list; when they gather past it ("maria", a first
        # name), read them through the range as below.
        bound = session.execute(query.with_only_columns(*order).order_by(*sort).offset(WALK_LIMIT).limit(1)).first()
        within = (
            []
            if bound is None
            else [tuple_(*order) >= tuple_(*bound) if backwards else tuple_(*order) <= tuple_(*bound)]
        )
        rows = page(query.where(*(_has_key(word) for word in keys), *within))
        if bound is not None and len(rows) <= page_size:
            rows = page(query.where(*through_range))
    else:
        rows = page(query.where(*through_range))
    return _paged(rows, page_size, total, backwards, cursor is not None)


ORDER = (Patient.name_search, Patient.id)  # the list's order: by name, then id


def _of_status(query: Select[Any], status: str) -> Select[Any]:
    if status == "active":
        return query.where(Patient.archived_at.is_(None))
    if status == "archived":
        return query.where(Patient.archived_at.is_not(None))
    return query


def _with_therapist(query: Select[Any]) -> Select[Any]:
    # The list names each one's therapist: joined in the page's own statement (a many-to-one, so
    # no row repeats), not a selectinload, which builds and sends an IN statement of its own.
    return query.options(joinedload(Patient.primary_therapist))


@functools.cache
def _unsearched(status: str, last: bool) -> tuple[Select[Any], Select[Any]]:
    """The count and the first page (the last, with `last`) of the clinic's patients of a status,
    searched for nothing: the list as it opens, built once per status (values bound: "clinic_id",
    "limit" = page size + 1). Building them cost more than reading the page."""
    query = _of_status(scoped(Patient, bindparam("clinic_id")), status)
    sort = [c.desc() for c in ORDER] if last else list(ORDER)
    return _counting(query), _with_therapist(query).order_by(*sort).limit(bindparam("limit"))


def _paged(rows: list[Patient], page_size: int, total: int, backwards: bool, from_cursor: bool) -> PatientPage:
    """The page of the page_size + 1 `rows` read (backwards: read from the end, so turned round)."""
    if backwards:
        return PatientPage(rows[:page_size][::-1], total, len(rows) > page_size, from_cursor)
    return PatientPage(rows[:page_size], total, from_cursor, len(rows) > page_size)


# A search that finds more patients than WALK_FROM reads its page by walking the clinic's names in
# order, one probe of the index (patient, key) each, until the page is full: about page size x
# clinic / found names when they are spread out, at most WALK_LIMIT names. Otherwise (or when the
# walk falls short) the page reads the names found through the word's range and sorts them: a
# cost that follows the names found, so it is kept for few of them.
WALK_FROM = COUNT_LIMIT
WALK_LIMIT = 1500


def _search(
    session: Session, clinic_id: int, query: Select[Any], keys: list[str]
) -> tuple[int, list[ColumnElement[bool]]]:
    """The count of the patients of `query` whose name holds every key (up to COUNT_LIMIT + 1),
    and the conditions that pick them through the range of the rarest key."""
    # How many keys start with each word, up to COUNT_LIMIT + 1: the rarest word leads; a word with
    # no more keys than that is read whole (a list of ids), one with more is asked of each patient
    # found (a probe of (patient, key)). Nothing reads more than COUNT_LIMIT + 1 keys of a word.
    sizes = session.execute(
        select(
            *(
                select(func.count())
                .select_from(_ids_starting(clinic_id, word).limit(COUNT_LIMIT + 1).subquery())
                .scalar_subquery()
                for word in keys
            )
        )
    ).one()
    if 0 in sizes:
        return 0, [false()]
    lead = min(range(len(keys)), key=lambda n: sizes[n])
    driver = keys[lead]
    others = [
        Patient.id.in_(_ids_starting(clinic_id, word)) if size <= COUNT_LIMIT else _has_key(word)
        for n, (size, word) in enumerate(zip(sizes, keys, strict=True))
        if n != lead
    ]
    through_range = [Patient.id.in_(_ids_starting(clinic_id, driver)), *others]
    if min(sizes) <= COUNT_LIMIT:
        found = query.with_only_columns(Patient.id).where(*through_range)
    else:
        # Each patient once, from the range of the rarest word, the others asked of each: the
        # count stops at COUNT_LIMIT + 1 patients however many names hold the words.
        found = (
            _ids_starting(clinic_id, driver)
            .join(Patient, Patient.id == PatientNameKey.patient_id)
            .where(query.whereclause, *others)  # type: ignore[arg-type]
            .distinct()
        )
    total = session.scalar(select(func.count()).select_from(found.limit(COUNT_LIMIT + 1).subquery())) or 0
    return total, through_range


def _ids_starting(clinic_id: int, word: str) -> Select[Any]:
    """Ids of the clinic's patients with a name key that starts with `word`: a range on the index
    (clinic, key)."""
    return (
        scoped(PatientNameKey, clinic_id)
        .with_only_columns(PatientNameKey.patient_id)
        .where(*_starts(PatientNameKey.key, word))
    )


def _starts(key: Any, word: str) -> list[ColumnElement[bool]]:
    """The range of keys that start with `word` (by code point)."""
    after = following(word)
    return [key >= word, key < after] if after else [key >= word]


def _has_key(word: str) -> ColumnElement[bool]:
    """The patient's name has a key starting with `word`: one probe of the index (patient, key)."""
    # Selecting a column of the index (not *) keeps the probe inside it on SQLite; the alias (made
    # once: building one costs more than the probe) lets the count join the keys outside it.
    return (
        select(_PROBED.patient_id)
        .where(_PROBED.patient_id == Patient.id, *_starts(_PROBED.key, word))
        .correlate(Patient)
        .exists()
    )


_PROBED = aliased(PatientNameKey, name="probed_keys")


def _count(session: Session, query: Select[Any]) -> int:
    return session.scalar(_counting(query)) or 0


def _counting(query: Select[Any]) -> Select[Any]:
    """How many rows `query` reads, counted up to COUNT_LIMIT + 1."""
    limited = query.with_only_columns(Patient.id).limit(COUNT_LIMIT + 1).subquery()
    return select(func.count()).select_from(limited)


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
