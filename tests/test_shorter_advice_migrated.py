"""Programs and templates of the previous release hold the shorter advice lines after the upgrade
(migration 0033_shorter_advice); a version already given keeps its words.

Until 0033 the built-in advice lines were 11 to 17 words (planner/services/advice.py RETIRED). A
program keeps the English line it was given, and the builder ticks a line only where it is on the
list: an old line left on a program would be unticked, and dropped at the next save.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from sqlalchemy import Engine

from planner.migrate import alembic_config, current_revision, head_revision, upgrade
from planner.services import advice
from tests import every_table

BEFORE = "0032_ticks_per_copy"
OLD = list(advice.RETIRED)
NEW = list(advice.BUILT_IN)
OWN = "Use the blue pen. 用蓝色的笔。"


def _tables(engine: Engine) -> dict[str, sa.Table]:
    metadata = sa.MetaData()
    metadata.reflect(engine)
    return metadata.tables  # type: ignore[return-value]


def test_every_old_line_moves_to_its_shorter_line_and_nothing_else_changes(empty_database: Engine):
    """On SQLite and PostgreSQL: a database at the previous revision, rows in every table; two
    programs, a template and a given version with old lines among a clinic's own; a clinic's own
    line that says a new built-in line word for word. After the upgrade each old line is its new
    line, in its place, the clinic's own kept; the version's snapshot as it was; the duplicate
    clinic line gone, the other kept; each program moved changed as an edit changes it; every
    other row of every table as it was. Downgrading puts the old lines back."""
    engine = empty_database
    upgrade(engine, BEFORE)
    every_table.fill(engine)
    tables = _tables(engine)
    programs, templates = tables["programs"], tables["program_templates"]
    versions, clinic_advice = tables["program_versions"], tables["clinic_advice"]
    with engine.begin() as db:
        program_ids = db.scalars(sa.select(programs.c.id).order_by(programs.c.id)).all()
        given, edited = program_ids[0], program_ids[1]
        db.execute(programs.update().where(programs.c.id == given).values(advice=[OLD[0], OWN, OLD[5]], issued=True))
        db.execute(programs.update().where(programs.c.id == edited).values(advice=[*OLD], issued=False))
        template_id = db.scalars(sa.select(templates.c.id).order_by(templates.c.id)).first()
        template = {"title": "Neck", "advice": [OLD[3], OLD[4]], "advice_text": "", "items": []}
        db.execute(templates.update().where(templates.c.id == template_id).values(content=template))
        version_id = db.scalars(sa.select(versions.c.id).order_by(versions.c.id)).first()
        snapshot = {"title": "Neck", "advice": [OLD[0], OWN], "items": []}
        db.execute(versions.update().where(versions.c.id == version_id).values(snapshot=snapshot))
        own_ids = db.scalars(sa.select(clinic_advice.c.id).order_by(clinic_advice.c.id)).all()
        db.execute(clinic_advice.update().where(clinic_advice.c.id == own_ids[0]).values(text=NEW[7]))
        db.execute(clinic_advice.update().where(clinic_advice.c.id == own_ids[1]).values(text=OWN))
    before = every_table.snapshot(engine, carried_only=True)

    upgrade(engine)

    assert current_revision(engine) == head_revision()
    after = every_table.snapshot(engine, carried_only=True)
    for table, rows in before.items():
        if table not in ("alembic_version", "programs", "program_templates", "clinic_advice"):
            assert after[table] == rows, table
    assert after["program_versions"][(version_id,)]["snapshot"] == snapshot
    read = {key[0]: row for key, row in after["programs"].items()}
    assert read[given]["advice"] == [NEW[0], OWN, NEW[5]]
    assert read[edited]["advice"] == NEW
    # Each changed as an edit changes it: the given one's next version started, not given yet (a
    # reprint under the given number would not say what that version froze); the other's kept.
    was = {key[0]: row for key, row in before["programs"].items()}
    assert (read[given]["version"], read[given]["issued"]) == (was[given]["version"] + 1, False)
    assert read[given]["version_date"] > was[given]["version_date"]
    assert (read[edited]["version"], read[edited]["issued"]) == (was[edited]["version"], False)
    for key in (given, edited):
        assert read[key]["lock_version"] == was[key]["lock_version"] + 1
    moved = ("advice", "version", "issued", "version_date", "lock_version", "updated_at")
    for key, row in was.items():
        kept = moved if key in (given, edited) else ()
        assert {c: v for c, v in read[key].items() if c not in kept} == {c: v for c, v in row.items() if c not in kept}
    assert after["program_templates"][(template_id,)]["content"] == {**template, "advice": [NEW[3], NEW[4]]}
    assert [row["text"] for row in after["clinic_advice"].values()] == [OWN]

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, BEFORE)
    back = every_table.snapshot(engine, carried_only=True)
    assert {key: row["advice"] for key, row in back["programs"].items()} == {
        key: row["advice"] for key, row in before["programs"].items()
    }
    assert back["program_templates"] == before["program_templates"]
