"""`catalog load`: all-or-nothing, idempotent, updates what changed, retires what is gone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from planner.catalog.loader import CatalogInvalid, load_directory
from planner.models import Exercise
from planner.services import custom_exercises
from tests import exercise_files as ef
from tests.factories import make_clinic

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def rows(db) -> dict[str, Exercise]:  # noqa: ANN001
    db.expire_all()
    return {e.slug: e for e in db.scalars(select(Exercise))}


def test_load_adds_every_file(service_db, tmp_path):
    ef.write(tmp_path, "chin-tuck", progression=["bridge"])
    ef.write(tmp_path, "bridge", category="strengthening", regions=["hips_legs"])
    report = load_directory(service_db, tmp_path, NOW)
    service_db.commit()
    assert (report.added, report.updated, report.unchanged, report.retired) == (2, 0, 0, 0)
    bridge = rows(service_db)["bridge"]
    assert bridge.clinic_id is None and bridge.category == "strengthening"
    assert bridge.steps == ef.VALID["steps"] and bridge.dosage == ef.VALID["dosage"]
    assert "chin tuck" in rows(service_db)["chin-tuck"].search_text
    assert " regions:hips_legs " in bridge.facets


def test_load_twice_changes_nothing(service_db, tmp_path):
    ef.write(tmp_path, "chin-tuck")
    ef.write(tmp_path, "bridge")
    load_directory(service_db, tmp_path, NOW)
    service_db.commit()
    before = {s: (e.id, e.source_hash, e.updated_at) for s, e in rows(service_db).items()}
    report = load_directory(service_db, tmp_path, NOW + timedelta(days=1))
    service_db.commit()
    assert (report.added, report.updated, report.unchanged, report.retired) == (0, 0, 2, 0)
    assert {s: (e.id, e.source_hash, e.updated_at) for s, e in rows(service_db).items()} == before


def test_a_changed_file_updates_its_row(service_db, tmp_path):
    ef.write(tmp_path, "chin-tuck")
    ef.write(tmp_path, "bridge")
    load_directory(service_db, tmp_path, NOW)
    service_db.commit()
    old_id = rows(service_db)["chin-tuck"].id
    ef.write(tmp_path, "chin-tuck", name="Chin tuck sitting", steps=["Sit tall.", "Tuck your chin."])
    report = load_directory(service_db, tmp_path, NOW + timedelta(days=1))
    service_db.commit()
    assert (report.updated, report.unchanged) == (1, 1)
    row = rows(service_db)["chin-tuck"]
    assert row.id == old_id, "the row is updated in place: programs keep pointing at it"
    assert row.name == "Chin tuck sitting" and row.steps == ["Sit tall.", "Tuck your chin."]
    assert "tuck your chin" in row.search_text
    assert row.updated_at == NOW + timedelta(days=1)


def test_a_removed_file_retires_its_row_and_a_returning_file_restores_it(service_db, tmp_path):
    ef.write(tmp_path, "chin-tuck")
    bridge = ef.write(tmp_path, "bridge")
    load_directory(service_db, tmp_path, NOW)
    service_db.commit()
    saved = bridge.read_text()
    bridge.unlink()
    report = load_directory(service_db, tmp_path, NOW + timedelta(days=1))
    service_db.commit()
    assert report.retired == 1
    row = rows(service_db)["bridge"]
    assert row.retired_at == NOW + timedelta(days=1), "kept, only marked retired"
    assert load_directory(service_db, tmp_path, NOW + timedelta(days=2)).retired == 0, "retired once"
    bridge.write_text(saved)
    report = load_directory(service_db, tmp_path, NOW + timedelta(days=3))
    service_db.commit()
    assert report.restored == 1
    assert rows(service_db)["bridge"].retired_at is None


def test_nothing_is_loaded_when_any_file_is_bad(service_db, tmp_path):
    ef.write(tmp_path, "chin-tuck")
    ef.write(tmp_path, "bridge")
    load_directory(service_db, tmp_path, NOW)
    service_db.commit()
    ef.write(tmp_path, "chin-tuck", name="Changed")
    ef.write(tmp_path, "new-one")
    (tmp_path / "bridge.toml").unlink()
    ef.write(tmp_path, "broken", steps=[])
    with pytest.raises(CatalogInvalid) as caught:
        load_directory(service_db, tmp_path, NOW + timedelta(days=1))
    service_db.rollback()
    assert [str(p) for p in caught.value.problems] == ["broken.toml: steps: list at least one"]
    now_rows = rows(service_db)
    assert set(now_rows) == {"chin-tuck", "bridge"}
    assert now_rows["chin-tuck"].name == "Chin tuck"
    assert now_rows["bridge"].retired_at is None


def test_custom_exercises_are_never_touched(service_db, tmp_path):
    clinic = make_clinic(service_db)
    ef.write(tmp_path, "bridge")
    data = custom_exercises.CustomExerciseData(
        **{k: v for k, v in ef.VALID.items() if k in custom_exercises.CustomExerciseData.__dataclass_fields__}
    )
    own = custom_exercises.create_custom_exercise(service_db, clinic.id, data, NOW)
    service_db.commit()
    report = load_directory(service_db, tmp_path, NOW)
    service_db.commit()
    assert report.retired == 0
    assert rows(service_db)[own.slug].retired_at is None
    assert service_db.scalar(select(func.count()).select_from(Exercise)) == 2


def test_load_command_reports_and_is_all_or_nothing(app, db, tmp_path):
    folder = tmp_path / "ex"
    ef.write(folder, "chin-tuck")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["catalog", "load", str(folder)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Catalog {folder}: 1 added, 0 updated, 0 unchanged, 0 retired, 0 restored.\n"
    ef.write(folder, "bad", difficulty=9)
    result = runner.invoke(args=["catalog", "load", str(folder)])
    assert result.exit_code == 1
    assert "bad.toml: difficulty: must be 1 (easy), 2 (moderate) or 3 (hard), not 9" in result.output
    assert "nothing was loaded" in result.output
    assert db.scalar(select(func.count()).select_from(Exercise)) == 1


def test_load_command_defaults_to_the_configured_folder(app, db):
    result = app.test_cli_runner().invoke(args=["catalog", "load"])
    assert result.exit_code == 0, result.output
    assert "/exercises:" in result.output
    assert db.scalar(select(func.count()).select_from(Exercise)) >= 120
