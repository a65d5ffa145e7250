"""Rows in every table of a database at any schema revision, made from the schema it has.

The values come from each column's reflected type, not from today's models, so a database built
at an old revision gets rows that fit it. Text is in several scripts, at the column's full length.
`snapshot` reads every row back for comparison.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine

ROWS_PER_TABLE = 2
# Latin with accents, Greek, Cyrillic, Chinese, Hebrew, Arabic; and a line break.
SAMPLES = [
    "Zoë Ångström-Łukasiewicz, São Tomé",
    "Ελένη Παπαδοπούλου",
    "Иван Петрович Сидоров",
    "王小明 颈部肌张力障碍",
    "שרה כהן",
    "نور الهدى\nسطر ثان",
]


def fill(engine: Engine) -> dict[str, int]:
    """Insert ROWS_PER_TABLE rows into every table but alembic_version; returns rows made per table.

    Row i of a table points at row i of each table it refers to.
    """
    metadata = sa.MetaData()
    metadata.reflect(engine)
    ids: dict[str, list[Any]] = {}
    with engine.begin() as connection:
        for table in metadata.sorted_tables:
            if table.name == "alembic_version":
                continue
            ids[table.name] = []
            for i in range(ROWS_PER_TABLE):
                values = {
                    column.name: _value(column, i, ids) for column in table.columns if not _generated(column, table)
                }
                result = connection.execute(table.insert().values(values))
                ids[table.name].append(result.inserted_primary_key[0])
    return {name: len(rows) for name, rows in ids.items()}


# What a migration recomputes from other columns, so its old value is not carried: the folded
# search keys (0008_search rewrites them by planner/search_key.py) and the exercise word index
# (rebuilt from the exercise's own text). Every other column must come through unchanged.
DERIVED = {"patients": {"name_search"}, "exercises": {"search_text", "name_key"}, "exercise_words": {"*"}}


def snapshot(engine: Engine, carried_only: bool = False) -> dict[str, dict[tuple, dict[str, Any]]]:
    """Every row of every table: {table: {primary key: {column: value}}}.

    carried_only: leave out what a migration derives again (DERIVED), to compare across an upgrade.
    """
    metadata = sa.MetaData()
    metadata.reflect(engine)
    rows: dict[str, dict[tuple, dict[str, Any]]] = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            key = [c.name for c in table.primary_key.columns] or [c.name for c in table.columns]
            derived = DERIVED.get(table.name, set()) if carried_only else set()
            if "*" in derived:
                continue
            rows[table.name] = {
                tuple(row[k] for k in key): {c: v for c, v in row.items() if c not in derived}
                for row in connection.execute(table.select()).mappings()
            }
    return rows


def _generated(column: sa.Column, table: sa.Table) -> bool:
    """An integer key of its own, numbered by the database."""
    return (
        column.primary_key
        and len(table.primary_key.columns) == 1
        and not column.foreign_keys
        and _is(column, sa.Integer)
    )


def _is(column: sa.Column, kind: type) -> bool:
    return isinstance(column.type, kind)


def _value(column: sa.Column, i: int, ids: dict[str, list[Any]]) -> Any:
    if column.foreign_keys:
        parent = next(iter(column.foreign_keys)).column.table.name
        return ids[parent][i] if parent in ids and len(ids[parent]) > i else None
    if column.name == "timezone":  # a clinic's zone is read by the services (a writer adds patients)
        return ("Europe/Athens", "Asia/Shanghai", "America/Los_Angeles")[i % 3]
    if column.name == "paper_size":  # a clinic's paper is read by the handouts: one chosen, one the site's
        return ("a4", None)[i % 2]
    sample = SAMPLES[(i + len(column.name)) % len(SAMPLES)]
    if _is(column, sa.Boolean):
        return i % 2 == 0
    if _is(column, sa.Integer):
        return 3 + i
    if _is(column, sa.Float | sa.Numeric):
        return 12.5 + i
    if _is(column, sa.DateTime):
        return datetime(2026, 3, 29, 1, 30, 15, 250000, tzinfo=UTC) + timedelta(days=i)  # a summer-time change
    if _is(column, sa.Date):
        return date(2024, 2, 29) + timedelta(days=i)  # a leap day
    if _is(column, sa.Time):
        return time(2, 30 + i)  # a local time that a spring clock change skips
    if _is(column, sa.JSON):
        return {"text": sample, "items": [i, "σ", None], "nested": {"ok": True}}
    if _is(column, sa.LargeBinary):
        return bytes(range(256)) * (i + 1)
    if _is(column, sa.String) and column.type.length:  # every VARCHAR, at its full length
        return (f"{i}·{sample} " * column.type.length)[: column.type.length]
    if _is(column, sa.String):  # TEXT
        return f"{i}·" + "\n".join(SAMPLES) * 20
    raise AssertionError(f"no sample value for {column.table.name}.{column.name} ({column.type!r})")
