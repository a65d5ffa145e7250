"""Upgrading keeps every row: a database of the previous release (revision 0001) with rows in every
table is migrated to the newest revision, whatever migrations have been added since."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from planner.db import make_engine
from planner.handouts.styles import HandoutOptions
from planner.migrate import current_revision, head_revision, upgrade
from planner.models import Base, Clinic, DystoniaPattern, Patient
from planner.search_key import name_key
from tests import every_table

PREVIOUS_RELEASE = "0001"


@pytest.fixture
def engine(empty_database: Engine) -> Engine:
    """An empty database, on SQLite and on the test PostgreSQL (conftest's empty_database)."""
    return empty_database


@pytest.fixture
def sqlite_engine(tmp_path) -> Iterator[Engine]:  # noqa: ANN001
    """An empty database in a SQLite file."""
    engine = make_engine(f"sqlite:///{tmp_path / 'before.sqlite3'}")
    yield engine
    engine.dispose()


def filled_at(engine: Engine, revision: str) -> dict[str, int]:
    """Build the database at `revision` with alembic, as that release's init-db did, then put rows
    in every table; returns how many rows each table got."""
    upgrade(engine, revision)
    return every_table.fill(engine)


def test_a_database_of_the_previous_release_keeps_every_row(engine):
    made = filled_at(engine, PREVIOUS_RELEASE)
    assert len(made) >= 23 and all(count == every_table.ROWS_PER_TABLE for count in made.values())
    before = every_table.snapshot(engine, carried_only=True)

    upgrade(engine)

    assert current_revision(engine) == head_revision() != PREVIOUS_RELEASE
    after = every_table.snapshot(engine, carried_only=True)
    del before["alembic_version"]
    for table, rows in before.items():
        assert table in after, f"table {table} is gone"
        for key, row in rows.items():
            assert key in after[table], f"{table} row {key} is gone"
            kept = after[table][key]
            assert {c: v for c, v in row.items() if c in kept} == {c: kept[c] for c in row if c in kept}, table
    # The models read every migrated row.
    with Session(engine) as session:
        for mapper in Base.registry.mappers:
            table = mapper.local_table.name
            if table in before:
                assert session.scalar(select(func.count()).select_from(mapper.class_)) == len(before[table])
                assert len(session.scalars(select(mapper.class_)).all()) == len(before[table])


def test_the_newest_migration_builds_what_the_models_describe(engine):
    upgrade(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_the_dystonia_migration_reads_what_was_there_as_before(sqlite_engine):
    """0018_dystonia_pattern, on a database at 0017_layout with rows in every table: a tick made
    before counts as the exercise done once that day, an exercise has no direction (symmetric,
    stage 1) until the next catalog load, and no patient has a pattern yet."""
    engine = sqlite_engine
    made = filled_at(engine, "0017_layout")
    assert made["exercise_logs"] == made["exercises"] == every_table.ROWS_PER_TABLE

    upgrade(engine)

    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT DISTINCT times FROM exercise_logs").scalars().all() == [1]
        assert connection.exec_driver_sql("SELECT DISTINCT pattern, stage FROM exercises").all() == [("{}", 1)]
        assert connection.exec_driver_sql("SELECT count(*) FROM dystonia_patterns").scalar() == 0


def test_the_review_migration_marks_every_stored_side_to_confirm(sqlite_engine):
    """0019_review_stored_sides, on a database at 0018_dystonia_pattern with rows in every table:
    an item with a side saved by the previous release is marked to confirm (it may be the
    pattern's side stored as if chosen); an item without one is not."""
    engine = sqlite_engine
    made = filled_at(engine, "0018_dystonia_pattern")
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE program_items SET side = '' WHERE id = (SELECT min(id) FROM program_items)")
    before = every_table.snapshot(engine, carried_only=True)["program_items"]

    upgrade(engine)

    after = every_table.snapshot(engine, carried_only=True)["program_items"]
    assert len(after) == made["program_items"] and set(after) == set(before)
    for key, row in before.items():
        assert {c: after[key][c] for c in row} == row
        assert after[key]["side_to_confirm"] == (row["side"] != "")


def test_the_check_migration_carries_every_program_unchecked(sqlite_engine):
    """0020_issued_program_only, on a database at 0019_review_stored_sides with rows in every
    table: every program is carried as it was, with no check confirmed yet ("")."""
    engine = sqlite_engine
    made = filled_at(engine, "0019_review_stored_sides")
    before = every_table.snapshot(engine, carried_only=True)["programs"]

    upgrade(engine)

    after = every_table.snapshot(engine, carried_only=True)["programs"]
    assert len(after) == made["programs"] == every_table.ROWS_PER_TABLE and set(after) == set(before)
    for key, row in before.items():
        assert {c: after[key][c] for c in row} == row
        assert after[key]["checked_key"] == ""


# What a pattern's note said before the trick had its own field, and the trick 0021 carries from it:
# the cheek the previous release read from such a note (one cheek named, English or Spanish), or none.
NOTES_TO_TRICKS = [
    ("Sensory trick: hand on LEFT  cheek", ("cheek", "left")),
    ("Truco sensitivo: mano en la mejilla derecha", ("cheek", "right")),
    ("Left cheek or right cheek, both help", ("", "")),
    ("A hand on the back of the head helps", ("", "")),
    ("", ("", "")),
]


def test_the_trick_migration_carries_every_pattern_and_the_cheek_its_note_named(sqlite_engine):
    """0021_sensory_trick, on a database at 0020_issued_program_only with rows in every table and a
    pattern for each kind of note: every row is found with what it held, its note kept; a note that
    named one cheek gives that cheek as the trick (so the cheek-touch exercise keeps the cheek its
    last handout named), any other note none."""
    engine = sqlite_engine
    made = filled_at(engine, "0020_issued_program_only")
    table = sa.Table("dystonia_patterns", sa.MetaData(), autoload_with=engine)
    with engine.begin() as connection:
        model = dict(connection.execute(table.select().limit(1)).mappings().one())
        del model["id"]
        for note, _ in NOTES_TO_TRICKS:
            connection.execute(table.insert().values({**model, "note": note}))
    before = every_table.snapshot(engine, carried_only=True)["dystonia_patterns"]
    assert len(before) == made["dystonia_patterns"] + len(NOTES_TO_TRICKS)

    upgrade(engine)

    after = every_table.snapshot(engine, carried_only=True)["dystonia_patterns"]
    assert set(after) == set(before)
    for key, row in before.items():
        assert {c: after[key][c] for c in row} == row
    carried = {row["note"]: (row["trick"], row["trick_side"]) for row in after.values()}
    assert all(carried[note] == trick for note, trick in NOTES_TO_TRICKS)
    assert {carried[row["note"]] for row in before.values() if row["note"] not in dict(NOTES_TO_TRICKS)} == {("", "")}
    with Session(engine) as session:  # and the model reads each one
        read = {row.note: (row.data.trick, row.data.trick_side) for row in session.scalars(select(DystoniaPattern))}
    assert read == carried


def test_the_preferred_name_migration_carries_every_patient_called_as_before(sqlite_engine):
    """0022_preferred_name, on a database at 0021_sensory_trick with rows in every table: every
    patient is found with what it held, no preferred name recorded, so the phone page and emails
    call none by a guessed first name (the phone page says "Hello", the emails the whole name)."""
    engine = sqlite_engine
    made = filled_at(engine, "0021_sensory_trick")
    before = every_table.snapshot(engine, carried_only=True)["patients"]

    upgrade(engine)

    after = every_table.snapshot(engine, carried_only=True)["patients"]
    assert len(after) == made["patients"] == every_table.ROWS_PER_TABLE and set(after) == set(before)
    for key, row in before.items():
        assert {c: after[key][c] for c in row} == row
        assert after[key]["preferred_name"] == ""
    with Session(engine) as session:
        called = {p.name: p.called_name for p in session.scalars(select(Patient))}
    assert called == {row["name"]: row["name"] for row in before.values()}


def test_the_paper_size_migration_carries_every_clinic_on_the_sites_paper(sqlite_engine):
    """0023_clinic_paper_size, on a database at 0022_preferred_name with rows in every table: every
    clinic is found with what it held and no paper chosen (NULL), so each prints on the site's
    [handouts] page_size as before the upgrade, and follows that setting if it changes later."""
    engine = sqlite_engine
    made = filled_at(engine, "0022_preferred_name")
    before = every_table.snapshot(engine, carried_only=True)["clinics"]

    upgrade(engine)

    after = every_table.snapshot(engine, carried_only=True)["clinics"]
    assert len(after) == made["clinics"] == every_table.ROWS_PER_TABLE and set(after) == set(before)
    for key, row in before.items():
        assert {c: after[key][c] for c in row} == row
        assert after[key]["paper_size"] is None
    with Session(engine) as session:
        for site, page in [(HandoutOptions(page_size="a4"), (595, 842)), (HandoutOptions(), (612, 792))]:
            assert {tuple(round(v) for v in site.page_for(c.paper_size)) for c in session.scalars(select(Clinic))} == {
                page
            }


def test_the_paper_moved_migration_carries_every_program_with_no_paper_marked(sqlite_engine):
    """0024_paper_moved, on a database at 0023_clinic_paper_size with rows in every table: every
    program is found with what it held, no paper marked as moved by a pattern (NULL: the next
    pattern recorded marks it), and the dashboard's index on that date is there."""
    engine = sqlite_engine
    made = filled_at(engine, "0023_clinic_paper_size")
    before = every_table.snapshot(engine, carried_only=True)["programs"]

    upgrade(engine)

    after = every_table.snapshot(engine, carried_only=True)["programs"]
    assert len(after) == made["programs"] == every_table.ROWS_PER_TABLE and set(after) == set(before)
    for key, row in before.items():
        assert {c: after[key][c] for c in row} == row
        assert after[key]["paper_moved_on"] is None
    indexes = {i["name"]: i["column_names"] for i in sa.inspect(engine).get_indexes("programs")}
    assert indexes["ix_programs_therapist_moved"] == ["therapist_id", "archived_at", "paper_moved_on", "id"]


def test_the_migration_gives_each_version_the_giving_it_recorded(sqlite_engine):
    """0025_version_givings, on a database at 0024_paper_moved with rows in every table: each
    version is found as it was, with one giving: its own way, time and therapist."""
    made = filled_at(sqlite_engine, "0024_paper_moved")
    before = every_table.snapshot(sqlite_engine, carried_only=True)["program_versions"]

    upgrade(sqlite_engine)

    after = every_table.snapshot(sqlite_engine, carried_only=True)
    assert after["program_versions"] == before and len(before) == made["program_versions"]
    givings = after["version_givings"].values()
    assert sorted((g["version_id"], g["how"], g["given_at"], g["given_by_id"]) for g in givings) == sorted(
        (v["id"], v["how"], v["created_at"], v["issued_by_id"]) for v in before.values()
    )


def test_the_one_leg_stand_keeps_the_leg_the_therapist_chose(sqlite_engine):
    """0026_standing_leg, on a database at 0025_version_givings with rows in every table: the
    one-leg stand's saved side named the foot lifted and now names the leg stood on, so a saved
    left or right is turned over (the same instruction), "both" and "" stay; an active program with
    a given version and such an item is listed to print again; every other row is as it was."""
    filled_at(sqlite_engine, "0025_version_givings")
    with sqlite_engine.begin() as db:
        stand = db.scalar(sa.text("SELECT min(id) FROM exercises"))
        db.execute(sa.text("UPDATE exercises SET slug = 'single-leg-stand-chair' WHERE id = :id"), {"id": stand})
        items = db.execute(sa.text("SELECT id, program_id FROM program_items ORDER BY id")).all()
        sides = ["left", "right", "both", ""]
        for (item, _program), side in zip(items, sides, strict=False):
            db.execute(
                sa.text("UPDATE program_items SET exercise_id = :e, side = :s WHERE id = :id"),
                {"e": stand, "s": side, "id": item},
            )
        db.execute(sa.text("UPDATE programs SET paper_moved_on = NULL, archived_at = NULL"))
    before = every_table.snapshot(sqlite_engine, carried_only=True)

    upgrade(sqlite_engine)

    after = every_table.snapshot(sqlite_engine, carried_only=True)
    turned = {"left": "right", "right": "left", "both": "both", "": ""}
    for key, row in before["program_items"].items():
        expected = turned[row["side"]] if row["exercise_id"] == stand else row["side"]
        assert after["program_items"][key] == {**row, "side": expected}
    with sqlite_engine.connect() as db:
        given = set(db.scalars(sa.text("SELECT DISTINCT program_id FROM program_versions")))
    sided = {p for (i, p), s in zip(items, sides, strict=False) if s in ("left", "right")}
    assert sided & given, "the filled rows give a program with such an item a version"
    for key, row in before["programs"].items():
        marked = after["programs"][key]["paper_moved_on"] is not None
        assert marked == (row["id"] in sided and row["id"] in given)
        assert {c: v for c, v in after["programs"][key].items() if c != "paper_moved_on"} == {
            c: v for c, v in row.items() if c != "paper_moved_on"
        }


def test_the_name_key_migration_lets_the_search_find_every_patient_already_there(engine):
    """0027_patient_name_keys, on a database at 0026_standing_leg with rows in every table: each
    patient's name gets its keys, so the search through the new index finds the patients already
    there as the scan did (anywhere in the name, across its spaces); every other row is kept."""
    filled_at(engine, "0026_standing_leg")
    names = {"siobhan mary ann obrien": "Siobhán Mary-Ann O'Brien", "王小明": "王小明"}
    with engine.begin() as db:
        ids = list(db.scalars(sa.text("SELECT id FROM patients ORDER BY id")))[: len(names)]
        for patient_id, (key, name) in zip(ids, names.items(), strict=True):
            db.execute(
                sa.text("UPDATE patients SET name = :n, name_search = :k WHERE id = :id"),
                {"n": name, "k": key, "id": patient_id},
            )
    before = every_table.snapshot(engine, carried_only=True)

    upgrade(engine)

    after = every_table.snapshot(engine, carried_only=True)
    for table, rows in before.items():
        if table != "alembic_version":  # every row, each column it had (later migrations add some)
            assert after[table].keys() == rows.keys(), table
            assert {k: {c: after[table][k][c] for c in row} for k, row in rows.items()} == rows, table
    from planner.services import patients

    with Session(engine) as session:
        clinic_of = dict(session.execute(sa.text("SELECT id, clinic_id FROM patients")).all())
        for typed, expected in [("obrien", 0), ("maryann", 0), ("ÁNN O'BRI", 0), ("小明", 1), ("nobody", None)]:
            clinic = clinic_of[ids[expected if expected is not None else 0]]
            found = [p.id for p in patients.list_patients(session, clinic, search=typed, status="all").patients]
            assert found == ([ids[expected]] if expected is not None else []), typed
        stored = session.scalar(sa.text("SELECT count(*) FROM patient_name_keys"))
        every = session.execute(sa.text("SELECT name_search FROM patients")).scalars()
        assert stored == sum(len(n.replace(" ", "")) for n in every)


def test_the_name_key_index_migration_finds_the_same_patients_and_keeps_every_row(engine):
    """0028_name_keys_by_patient, on a database at 0027_patient_name_keys with rows in every table:
    an index only, so every row is kept, and the search finds what it found before it."""
    filled_at(engine, "0026_standing_leg")
    names = ["Mary-Ann O'Berg", "Ana Bergström"]
    with engine.begin() as db:
        ids = list(db.scalars(sa.text("SELECT id FROM patients ORDER BY id")))[: len(names)]
        clinic = db.scalar(sa.text("SELECT clinic_id FROM patients WHERE id = :id"), {"id": ids[0]})
        for patient_id, name in zip(ids, names, strict=True):
            db.execute(
                sa.text("UPDATE patients SET name = :n, name_search = :k, clinic_id = :c WHERE id = :id"),
                {"n": name, "k": name_key(name, 120), "c": clinic, "id": patient_id},
            )
    upgrade(engine, "0027_patient_name_keys")
    from planner.services import patients

    typed = ["berg", "mary", "maryann oberg", "a", "nobody"]

    def found() -> dict[str, list[int]]:
        with Session(engine) as session:
            return {
                word: [p.id for p in patients.list_patients(session, clinic, search=word, status="all").patients]
                for word in typed
            }

    before_rows, before_found = every_table.snapshot(engine, carried_only=True), found()

    upgrade(engine, "0028_name_keys_by_patient")
    after = every_table.snapshot(engine, carried_only=True)
    for table, rows in before_rows.items():
        if table != "alembic_version":
            assert after[table] == rows, table
    assert found() == before_found
    assert before_found["berg"] == [ids[1], ids[0]]  # Ana Bergström, Mary-Ann O'Berg
    assert before_found["maryann oberg"] == [ids[0]]
    indexes = {ix["name"]: ix["column_names"] for ix in sa.inspect(engine).get_indexes("patient_name_keys")}
    assert indexes["ix_patient_name_keys_patient_key"] == ["patient_id", "key"]
    assert "ix_patient_name_keys_patient_id" not in indexes  # covered by the new one


def test_the_audit_action_index_migration_keeps_every_entry_found_by_its_action(engine):
    """0029_audit_by_action, on a database at 0028_name_keys_by_patient with rows in every table:
    an index only, so every row is kept and the log filtered by an action shows the same entries."""
    filled_at(engine, "0028_name_keys_by_patient")
    from planner.services import audit

    def by_action() -> dict[str, list[int]]:
        with Session(engine) as session:
            clinics = session.scalars(sa.text("SELECT DISTINCT clinic_id FROM audit_entries")).all()
            actions = session.scalars(sa.text("SELECT DISTINCT action FROM audit_entries")).all()
            return {
                f"{clinic} {action}": [
                    e.id for e in audit.entries(session, clinic, audit.AuditFilter(action=action), "UTC").rows
                ]
                for clinic in clinics
                for action in actions
            }

    before, found = every_table.snapshot(engine, carried_only=True), by_action()

    upgrade(engine, "0029_audit_by_action")

    assert current_revision(engine) == "0029_audit_by_action"
    after = every_table.snapshot(engine, carried_only=True)
    for table, rows in before.items():
        if table != "alembic_version":
            assert after[table] == rows, table
    assert by_action() == found and any(found.values())
    indexes = {ix["name"]: ix["column_names"] for ix in sa.inspect(engine).get_indexes("audit_entries")}
    assert indexes["ix_audit_action_at"] == ["clinic_id", "action", "at"]


def test_the_change_entries_of_the_previous_release_are_found_by_the_update_filter(engine):
    """0030_audit_change_as_update, on a database at 0029_audit_by_action holding the entries the
    previous release's exercise-reminders page wrote (action "change", which no filter offered):
    they are found under "update", detail and all, as the page records them now; other rows kept."""
    filled_at(engine, "0029_audit_by_action")
    with engine.begin() as db:
        clinic, user = db.execute(sa.text("SELECT clinic_id, id FROM users ORDER BY id")).first()
        patient = db.scalar(sa.text("SELECT id FROM patients WHERE clinic_id = :c"), {"c": clinic})
        for minute, detail in enumerate(["exercise reminders on at 07:30", "exercise reminders off"]):
            db.execute(
                sa.text(
                    "INSERT INTO audit_entries (clinic_id, user_id, at, action, subject_type, subject_id, "
                    "patient_id, detail, address) VALUES (:c, :u, :at, 'change', 'patient', :p, :p, :d, '10.0.0.9')"
                ),
                {"c": clinic, "u": user, "p": patient, "d": detail, "at": f"2026-03-0{minute + 1} 08:00:00"},
            )
    before = every_table.snapshot(engine, carried_only=True)
    from planner.services import audit

    def details(action: str) -> list[str]:
        with Session(engine) as session:
            page = audit.entries(session, clinic, audit.AuditFilter(action=action), "UTC")
            return [e.detail for e in page.rows]

    assert "exercise reminders off" not in details("update")  # before: no filter finds them

    upgrade(engine, "0030_audit_change_as_update")

    assert current_revision(engine) == "0030_audit_change_as_update"
    after = every_table.snapshot(engine, carried_only=True)
    for table, rows in before.items():
        if table not in ("alembic_version", "audit_entries"):
            assert after[table] == rows, table
    for key, row in before["audit_entries"].items():
        kept = after["audit_entries"][key]
        assert kept == ({**row, "action": "update"} if row["action"] == "change" else row)
    found = details("update")
    assert "exercise reminders on at 07:30" in found and "exercise reminders off" in found
    with Session(engine) as session:
        stored = set(session.scalars(sa.text("SELECT DISTINCT action FROM audit_entries")))
    assert "change" not in stored
