"""The next re-evaluation date kept in each program's row (programs.reeval_due_on) is always the
one the rule gives, so the dashboard and the calendar feed can find due programs by an index;
migration 0012_indexes sets it for the rows already there and adds the indexes the lists read."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import inspect, select, text, update

from planner.migrate import upgrade
from planner.models import Program
from planner.services import evaluations, programs, reevaluation
from planner.services.evaluations import EvaluationData
from tests.factories import make_clinic, make_patient, make_user


def stored(db, program: Program) -> date | None:  # noqa: ANN001
    db.expire_all()
    return db.scalar(select(Program.reeval_due_on).where(Program.id == program.id))


def test_the_stored_date_follows_every_change_on_both_databases(service_db, now, today):
    db = service_db
    clinic = make_clinic(db)
    therapist = make_user(db, clinic)
    patient = make_patient(db, clinic, "Ñandú Øster", primary_therapist_id=therapist.id)
    start = today - timedelta(days=60)
    program = programs.create_program(
        db, patient, programs.ProgramDetails("Neck", start, reeval_interval_days=42), therapist.id, now
    )
    db.commit()
    assert stored(db, program) == start + timedelta(days=42)

    evaluations.record_evaluation(db, program, EvaluationData(today - timedelta(days=5)), therapist.id, now)
    db.commit()
    assert stored(db, program) == today - timedelta(days=5) + timedelta(days=42)

    details = programs.ProgramDetails("Neck", start, reeval_interval_days=28, reeval_date=today + timedelta(days=3))
    programs.update_details(db, program, details, None, now)
    db.commit()
    assert stored(db, program) == today + timedelta(days=3)  # a date set by hand wins

    details.reeval_date, details.reeval_interval_days = None, None
    programs.update_details(db, program, details, None, now)
    db.commit()
    assert stored(db, program) is None  # no date, no place on the dashboard
    assert reevaluation.next_reevaluation(db.get(Program, program.id)) is None


def test_rows_written_past_the_orm_are_set_right_when_asked(service_db, now, today):
    db = service_db
    clinic = make_clinic(db)
    patient = make_patient(db, clinic)
    program = programs.create_program(db, patient, programs.ProgramDetails("Neck", today), None, now)
    db.commit()
    db.execute(
        update(Program).where(Program.id == program.id).values(start_date=date(9999, 12, 1), reeval_interval_days=56)
    )
    db.commit()
    assert reevaluation.store_due_dates(db, [program.id]) == 0  # none: the sum is past 9999-12-31
    db.execute(update(Program).where(Program.id == program.id).values(start_date=today, reeval_interval_days=14))
    assert reevaluation.store_due_dates(db) == 1
    db.commit()
    assert stored(db, program) == today + timedelta(days=14)


# ---- migration 0012 ------------------------------------------------------------------------------

INDEXES = {
    "programs": {"ix_programs_therapist_due"},
    "patients": {"ix_patients_list"},
    "audit_entries": {"ix_audit_patient_at", "ix_audit_user_at"},
    "outbox": {"ix_outbox_user_status"},
    "pain_alerts": {"ix_pain_alerts_open"},
}


@pytest.fixture
def old_database(empty_database):
    """An engine on a database at revision 0001, the schema every clinic's data starts from."""
    upgrade(empty_database, "0001")
    return empty_database


def test_migration_0012_sets_the_date_of_the_rows_there_and_adds_the_indexes(old_database, now):
    engine = old_database
    rows = [
        # (start, interval, date set by hand, evaluations) → the date 0012 must store
        (date(2026, 1, 5), 42, None, [], date(2026, 2, 16)),
        (date(2026, 1, 5), 42, None, [date(2026, 2, 1), date(2026, 3, 1)], date(2026, 4, 12)),
        (date(2026, 1, 5), 42, date(2026, 6, 30), [date(2026, 3, 1)], date(2026, 6, 30)),
        (date(2026, 1, 5), None, None, [date(2026, 3, 1)], None),
        (date(9999, 12, 1), 56, None, [], None),
    ]
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO clinics (id, name, address, phone, email, timezone, created_at) "
                          "VALUES (1, 'Old Clinic', '', '', '', 'UTC', :at)"), {"at": now})  # fmt: skip
        conn.execute(text("INSERT INTO patients (id, clinic_id, name, name_search, email, phone, language, large_print, "
                          "reminder_consent, condition, condition_tags, notes, created_at, updated_at) VALUES "
                          "(1, 1, 'Ülkü Öz', 'ülkü öz', '', '', 'tr', false, false, '', '[]', '', :at, :at)"), {"at": now})  # fmt: skip
        for n, (start, interval, on, evaluated, _expected) in enumerate(rows, start=1):
            conn.execute(
                text(
                    "INSERT INTO programs (id, clinic_id, patient_id, title, goals, start_date, frequency, visit_plan, "
                    "reeval_interval_days, reeval_date, advice, advice_text, version, issued, version_date, "
                    "lock_version, created_at, updated_at) VALUES (:id, 1, 1, 'Old', '', :start, '', '', :interval, "
                    ":on, '[]', '', 1, false, :at, 1, :at, :at)"
                ),
                {"id": n, "start": start, "interval": interval, "on": on, "at": now},
            )
            for day in evaluated:
                conn.execute(
                    text("INSERT INTO evaluations (clinic_id, patient_id, program_id, evaluated_on, findings, "
                         "plan_changes, created_at) VALUES (1, 1, :p, :day, '', '', :at)"),
                    {"p": n, "day": day, "at": now},
                )  # fmt: skip
    upgrade(engine)
    with engine.connect() as conn:
        got = dict(conn.execute(text("SELECT id, reeval_due_on FROM programs ORDER BY id")).all())
    expected = {n: row[-1] for n, row in enumerate(rows, start=1)}
    assert {n: (date.fromisoformat(v) if isinstance(v, str) else v) for n, v in got.items()} == expected
    inspector = inspect(engine)
    for table, names in INDEXES.items():
        assert names <= {i["name"] for i in inspector.get_indexes(table)}, table
    assert {"content_hash", "changed_at"} <= {c["name"] for c in inspector.get_columns("calendar_feeds")}
