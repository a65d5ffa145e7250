"""The patient search pages through a word that more than a thousand names hold: the same pages as
reading every match and sorting it, on SQLite and PostgreSQL, whether the names found are spread
through the list or gathered at its end; and on SQLite a page costs about the same work when the
clinic, and the names found, are twice as many (0028: the index (patient, key) lets the page stop
once it is full; before it, "a" read every key that starts with an "a": 21 ms at 20,000 patients)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert
from sqlalchemy.orm import Session

from planner.models import Patient, PatientNameKey
from planner.search_key import name_key, words
from planner.services import patients
from planner.services.patients import NAME_KEY_MAX
from tests.factories import make_clinic


def names(size: int) -> list[str]:
    """`size` Adams then `size * 11 // 16` Zoras: "berg" at the end of every other name (spread
    through the list), "zora" in the last ones only (gathered past the first 1,500 names)."""
    adams = [f"Adam Nowak {n:05d}" + (" Berg" if n % 2 else "") for n in range(size)]
    zoras = [f"Zora Lind {n:05d}" + (" Berg" if n % 2 else "") for n in range(size * 11 // 16)]
    return adams + zoras


def add_patients(db: Session, clinic_id: int, all_names: list[str]) -> None:
    """The patients and their name keys, written in bulk as the app writes them one by one."""
    now = datetime.now(UTC)
    rows = [
        {
            "clinic_id": clinic_id,
            "name": name,
            "name_search": name_key(name, NAME_KEY_MAX),
            "archived_at": now if n % 7 == 0 else None,
        }
        for n, name in enumerate(all_names)
    ]
    db.execute(insert(Patient), rows)
    stored = db.query(Patient.id, Patient.name_search).filter(Patient.clinic_id == clinic_id).all()
    keys = [
        {"patient_id": pid, "clinic_id": clinic_id, "key": key}
        for pid, name_search in stored
        for key in patients.name_keys(name_search)
    ]
    db.execute(insert(PatientNameKey), keys)
    db.commit()


@pytest.fixture(scope="module")
def clinics(module_db):
    """Two clinics: 1,600 + 1,100 patients, and another clinic with the same names (never found)."""
    one, other = make_clinic(module_db), make_clinic(module_db)
    add_patients(module_db, one.id, names(1600))
    add_patients(module_db, other.id, names(1600)[:500])
    return module_db, one.id, other.id


def expected(db: Session, clinic_id: int, typed: str, status: str) -> list[int]:
    """Every match, read whole and sorted: what a page of the search must show a part of."""
    found = []
    for patient in db.query(Patient).filter(Patient.clinic_id == clinic_id).all():
        joined = patient.name_search.replace(" ", "")
        if status == "active" and patient.archived_at is not None:
            continue
        if all(word in joined for word in words(typed)):
            found.append((patient.name_search, patient.id))
    return [pid for _, pid in sorted(found)]


@pytest.mark.parametrize(
    "typed",
    [
        "berg",  # 1,350 names, every other one through the list
        "zora",  # 1,100 names, all after the first 1,600
        "a",  # every name
        "zora berg",  # two words, 550 names
        "berg 0001",  # a common word and a rare one
        "nowak 00",  # two words, 1,000 names
        "nobody",
    ],
)
@pytest.mark.parametrize("status", ["active", "all"])
def test_every_page_of_a_common_word_is_the_sorted_matches(clinics, typed, status):
    db, clinic_id, _ = clinics
    every = expected(db, clinic_id, typed, status)
    search: Callable[..., patients.PatientPage] = lambda **kw: patients.list_patients(  # noqa: E731
        db, clinic_id, search=typed, status=status, page_size=25, **kw
    )
    first = search()
    assert first.total == min(len(every), patients.COUNT_LIMIT + 1)
    assert [p.id for p in first.patients] == every[:25]
    assert (first.more_before, first.more_after) == (False, len(every) > 25)
    last = search(last=True)
    assert [p.id for p in last.patients] == every[-25:]
    if len(every) > 60:
        middle = every.index(every[len(every) // 2])
        after = search(after=every[middle])
        assert [p.id for p in after.patients] == every[middle + 1 : middle + 26]
        before = search(before=every[middle])
        assert [p.id for p in before.patients] == every[middle - 25 : middle]
        assert before.more_before and after.more_after


def test_another_clinics_names_are_never_found(clinics):
    db, clinic_id, other_id = clinics
    page = patients.list_patients(db, other_id, search="berg", status="all", last=True)
    assert page.total == 250
    assert {p.clinic_id for p in page.patients} == {other_id}


@pytest.fixture
def sqlite_only(service_db):
    if service_db.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite's virtual-machine steps measure the work")
    return service_db


def steps(db: Session, clinic_id: int, typed: str, **kw) -> tuple[list[int], int]:  # noqa: ANN003
    """The page's patients and SQLite's virtual-machine steps (rows read and more) to make it."""
    counted = [0]

    def step() -> int:
        counted[0] += 1
        return 0

    raw = db.connection().connection.dbapi_connection
    raw.set_progress_handler(step, 1)  # type: ignore[union-attr]
    try:
        page = patients.list_patients(db, clinic_id, search=typed, status="all", **kw)
    finally:
        raw.set_progress_handler(None, 1)  # type: ignore[union-attr]
    return [p.id for p in page.patients], counted[0]


@pytest.mark.parametrize("typed", ["berg", "a", "nowak 00"])
def test_a_page_of_a_common_word_costs_the_same_in_a_clinic_twice_the_size(sqlite_only, typed):
    db = sqlite_only
    measured = []
    for size in (1600, 3200):
        clinic = make_clinic(db)
        add_patients(db, clinic.id, names(size))
        first, work = steps(db, clinic.id, typed)
        last, work_last = steps(db, clinic.id, typed, last=True)
        assert first and last and first != last
        measured.append(work + work_last)
    small, big = measured
    assert big < small * 1.3, measured  # twice the names found: not twice the work
