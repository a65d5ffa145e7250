"""Migration 0008_search carries the rows already there: names and exercises found the new way, alerts keep their report."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from planner.migrate import upgrade
from planner.models import Exercise, Patient, ProgramItem
from planner.models.portal import PainAlert
from planner.services import catalog, patients

ROWS_FROM_BEFORE = [
    "INSERT INTO clinics (id, name, address, phone, email, timezone, created_at) "
    "VALUES (1, 'Old Clinic', '', '', '', 'UTC', '2026-01-01 00:00:00')",
    "INSERT INTO patients (id, clinic_id, name, name_search, email, phone, language, large_print, reminder_consent, "
    "condition, condition_tags, notes, created_at, updated_at) VALUES (1, 1, 'Siobhán O''Brien', 'siobhán o''brien', "
    "'', '', 'en', false, false, '', '[]', '', '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
    "INSERT INTO exercises (id, slug, name, category, regions, position, equipment, difficulty, conditions, "
    "approaches, summary, steps, tips, cautions, progression, regression, dosage, picture, photo_mime, search_text, "
    "facets, source_hash, updated_at) VALUES (1, 'custom-1-epaule', 'Élévation de l''épaule', 'range_of_motion', "
    "'[\"shoulders\"]', 'sitting', '[\"none\"]', 1, '[\"general\"]', '[]', 'Haussez les épaules.', "
    "'[\"Levez les épaules.\"]', '[]', '[\"Stop if it hurts.\"]', '[]', '[]', '{\"repetitions\": 5}', '{}', '', "
    "'élévation de l''épaule', ' regions:shoulders ', '', '2026-01-01 00:00:00')",
    "INSERT INTO exercise_words (exercise_id, word) VALUES (1, 'l'), (1, 'vation'), (1, 'paule')",
    "INSERT INTO programs (id, clinic_id, patient_id, title, goals, start_date, frequency, visit_plan, advice, "
    "advice_text, version, issued, version_date, lock_version, created_at, updated_at) VALUES (1, 1, 1, 'Neck', '', "
    "'2026-01-01', '', '', '[]', '', 1, false, '2026-01-01 00:00:00', 1, '2026-01-01 00:00:00', "
    "'2026-01-01 00:00:00')",
    "INSERT INTO program_items (id, program_id, position, exercise_id, dosage, side, note) "
    "VALUES (1, 1, 1, 1, '{\"repetitions\": 5}', '', 'Slowly')",
    "INSERT INTO day_reports (id, clinic_id, patient_id, program_id, day, pain, difficulty, comment, updated_at) "
    "VALUES (1, 1, 1, 1, '2026-01-05', 8, 'hard', 'Sharp pain at night', '2026-01-05 10:00:00')",
    "INSERT INTO pain_alerts (id, clinic_id, patient_id, day, pain, reason, created_at, seen) "
    "VALUES (1, 1, 1, '2026-01-05', 8, 'Pain 8/10.', '2026-01-05 10:00:00', false)",
]


@pytest.fixture
def old_database(empty_database):
    """A database at the first revision, holding a clinic's rows as they were stored then."""
    upgrade(empty_database, "0001")
    with empty_database.begin() as connection:
        for statement in ROWS_FROM_BEFORE:
            connection.execute(text(statement))
    return empty_database


def test_rows_from_before_are_found_the_new_way(old_database):
    upgrade(old_database)
    with sessionmaker(bind=old_database)() as db:
        assert db.get(Patient, 1).name_search == "siobhan obrien"
        assert [p.id for p in patients.list_patients(db, 1, search="obrien").patients] == [1]
        exercise = db.get(Exercise, 1)
        assert (exercise.synonyms, exercise.name_key) == ([], "elevation de lepaule")
        for typed in ("epaule", "élévation", "levez"):
            assert [e.id for e in catalog.search_exercises(db, 1, typed).exercises] == [1], typed
        assert db.get(ProgramItem, 1).exercise_id == 1  # the program still holds its exercise
        alert = db.get(PainAlert, 1)
        assert alert.day_report.comment == "Sharp pain at night"
