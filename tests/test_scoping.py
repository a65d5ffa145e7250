"""Clinic scoping lives in one place: planner/scoping.py.

A new clinic-owned model fails here until scoping knows it, and a `clinic_id` comparison written
outside scoping.py fails here until it goes through scoping. Each known model answers a row of
another clinic with NotFound, like a missing row.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select
from sqlalchemy.orm import Session

from planner import scoping
from planner.migrate import upgrade
from planner.models import Base, Clinic
from planner.services import NotFound
from tests import every_table

PLANNER = Path(scoping.__file__).parent
UNSCOPED_ROOTS = {"clinics"}  # the clinic itself; everything else hangs from it


def _models() -> list[type]:
    return sorted((m.class_ for m in Base.registry.mappers), key=lambda m: m.__name__)


def _parents(model: type) -> set[str]:
    return {fk.column.table.name for fk in model.__table__.foreign_keys}  # type: ignore[attr-defined]


def test_every_model_with_a_clinic_column_is_scoped():
    owned = [m.__name__ for m in _models() if "clinic_id" in m.__table__.columns]  # type: ignore[attr-defined]
    missing = [name for name in owned if name not in {m.__name__ for m in scoping.CLINIC_SCOPED}]
    assert not missing, f"add to scoping.CLINIC_SCOPED: {missing}"


def test_every_model_reached_through_a_clinic_owned_row_names_its_parent():
    """A model without clinic_id whose foreign key leads to a clinic-owned row (a patient,
    a program, a user, …) is only ever read through that parent: REACHED_FROM says which."""
    owned_tables = {m.__table__.name for m in [*scoping.CLINIC_SCOPED, *scoping.REACHED_FROM]}  # type: ignore[attr-defined]
    missing = [
        m.__name__
        for m in _models()
        if m not in scoping.CLINIC_SCOPED
        and m not in scoping.REACHED_FROM
        and _parents(m) & owned_tables
        and m.__tablename__ not in UNSCOPED_ROOTS  # type: ignore[attr-defined]
    ]
    assert not missing, f"add to scoping.REACHED_FROM (or CLINIC_SCOPED with a clinic_id): {missing}"
    for child, parent in scoping.REACHED_FROM.items():
        # the parent is clinic-owned, or itself reached through one (a version's givings)
        assert parent in scoping.CLINIC_SCOPED or scoping.REACHED_FROM.get(parent) in scoping.CLINIC_SCOPED
        assert parent.__tablename__ in _parents(child), f"{child.__name__} has no foreign key to {parent.__name__}"  # type: ignore[attr-defined]


_SQL_TESTS = {"is_", "is_not", "isnot", "in_", "not_in", "notin_", "between"}


def _clinic_column(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "clinic_id"


def direct_clinic_filters(source: str) -> list[int]:
    """Lines that compare or test a `clinic_id` (in Python or SQL) or filter_by it."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare) and any(_clinic_column(n) for n in [node.left, *node.comparators]):
            lines.append(node.lineno)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            sql_test = node.func.attr in _SQL_TESTS and _clinic_column(node.func.value)
            by_keyword = node.func.attr == "filter_by" and any(k.arg == "clinic_id" for k in node.keywords)
            if sql_test or by_keyword:
                lines.append(node.lineno)
    return lines


@pytest.mark.parametrize(
    "source",
    [
        "q = select(Patient).where(Patient.clinic_id == clinic_id)",
        "if row is None or row.clinic_id != clinic_id: raise NotFound()",
        "q = select(Exercise).where(Exercise.clinic_id.is_(None))",
        "if template.clinic_id is None: abort(404)",
        "q = session.query(Patient).filter_by(clinic_id=1)",
        "own = exercise.clinic_id == current_user.clinic_id",
    ],
)
def test_the_direct_filter_finder_sees_each_shape(source):
    assert direct_clinic_filters(source) == [1]


def test_no_clinic_filter_outside_scoping():
    found = [
        f"{path.relative_to(PLANNER.parent)}:{line}"
        for path in sorted(PLANNER.rglob("*.py"))
        if path != PLANNER / "scoping.py" and PLANNER / "models" not in path.parents
        for line in direct_clinic_filters(path.read_text(encoding="utf-8"))
    ]
    assert not found, f"go through planner/scoping.py instead: {found}"


@pytest.fixture(scope="module")
def every_row(tmp_path_factory) -> Session:
    """A migrated SQLite database with rows of two clinics in every table."""
    engine = create_engine(f"sqlite:///{tmp_path_factory.mktemp('scoping') / 'rows.sqlite3'}")
    upgrade(engine)
    every_table.fill(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()


@pytest.mark.parametrize("model", list(scoping.CLINIC_SCOPED), ids=lambda m: m.__name__)
def test_another_clinics_row_is_not_found(every_row, model):
    clinics = every_row.scalars(select(Clinic.id)).all()
    rows = [r for r in every_row.scalars(select(model)) if r.clinic_id is not None]
    assert rows, f"every_table made no {model.__name__} of a clinic"
    for row in rows:
        assert scoping.get_scoped(every_row, model, row.clinic_id, row.id) is row
        assert scoping.belongs_to(row, row.clinic_id)
        for other in set(clinics) - {row.clinic_id}:
            with pytest.raises(NotFound, match=scoping.CLINIC_SCOPED[model]):
                scoping.get_scoped(every_row, model, other, row.id)
            assert row not in every_row.scalars(scoping.scoped(model, other)).all()
            assert not scoping.belongs_to(row, other)


@pytest.mark.parametrize("model", sorted(scoping.SHARED_ROWS, key=lambda m: m.__name__), ids=lambda m: m.__name__)
def test_shared_rows_are_visible_to_every_clinic_and_never_own(every_row, model):
    clinics = every_row.scalars(select(Clinic.id)).all()
    every_row.add(model(**_shared_values(every_row, model)))
    every_row.flush()
    shared = every_row.scalars(scoping.shared(model)).all()
    assert shared and all(scoping.is_shared_row(r) for r in shared)
    for clinic_id in clinics:
        seen = every_row.scalars(scoping.visible(model, clinic_id)).all()
        assert set(shared) <= set(seen)
        assert {r.clinic_id for r in seen} <= {None, clinic_id}
        assert not any(r in every_row.scalars(scoping.scoped(model, clinic_id)).all() for r in shared)
    every_row.rollback()


def _shared_values(session: Session, model: type) -> dict:
    """A copy of an existing row's columns with no clinic: a shared row of the same shape."""
    template = session.scalars(select(model)).first()
    columns = inspect(model).columns
    values = {c.key: getattr(template, c.key) for c in columns if not c.primary_key}
    values["clinic_id"] = None
    values["slug"] = "shared-" + values["slug"][:40]
    return values


def test_scoping_refuses_a_model_it_does_not_know():
    with pytest.raises(TypeError):
        scoping.scoped(Clinic, 1)
    with pytest.raises(TypeError):
        scoping.visible(scoping.Patient, 1)
