"""Ticks kept by the previous release are carried to ticks per copy (migration 0032_ticks_per_copy).

Until 0032 a tick was kept per program, exercise and day, so an exercise given twice (once for
each side) had one set of ticks for both cards. After the upgrade every old tick is still there,
on the first copy, and the second copy can be ticked on the same day without touching it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from planner.migrate import alembic_config, current_revision, head_revision, upgrade
from tests import every_table

BEFORE = "0031_mail_failures_in_words"


def test_every_tick_of_the_previous_release_is_kept_on_the_first_copy(empty_database: Engine):
    """On SQLite and PostgreSQL: a database at the previous revision with rows in every table and
    ticks on several days; after the upgrade every row of every table is as it was, each tick now
    on copy 0, and a second copy's tick for the same exercise and day can be kept beside it (a
    second tick of the same copy still cannot). Downgrading keeps the first copies' ticks."""
    engine = empty_database
    upgrade(engine, BEFORE)
    every_table.fill(engine)
    logs = sa.Table("exercise_logs", sa.MetaData(), autoload_with=engine)
    with engine.begin() as db:
        first = dict(db.execute(logs.select().order_by(logs.c.id)).mappings().first())
        del first["id"]
        for days in (1, 2, 3):
            db.execute(logs.insert().values({**first, "day": first["day"] - timedelta(days=days), "times": days}))
    before = every_table.snapshot(engine, carried_only=True)
    assert len(before["exercise_logs"]) == 5

    upgrade(engine)

    assert current_revision(engine) == head_revision()
    after = every_table.snapshot(engine, carried_only=True)
    for table, rows in before.items():
        if table not in ("alembic_version", "exercise_logs"):
            assert after[table] == rows, table
    assert after["exercise_logs"] == {key: {**row, "copy": 0} for key, row in before["exercise_logs"].items()}

    logs = sa.Table("exercise_logs", sa.MetaData(), autoload_with=engine)
    with engine.begin() as db:
        second = db.execute(logs.insert().values({**first, "copy": 1, "times": 2}).returning(logs.c.id)).scalar_one()
    with pytest.raises(IntegrityError), engine.begin() as db:
        db.execute(logs.insert().values({**first, "copy": 0}))

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, BEFORE)
    kept = every_table.snapshot(engine, carried_only=True)["exercise_logs"]
    assert (second,) not in kept
    assert kept == before["exercise_logs"]
