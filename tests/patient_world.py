"""A clinic, and a patient with a row in every table about patients: the export and erasure tests' world."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import JSON, String, Text, select
from sqlalchemy.orm import Session

from planner.dystonia.pattern import PatternEntry
from planner.models import Base, Clinic, ClinicMeasure, Exercise, Patient, Program, User
from planner.services import (
    alerts,
    audit,
    care,
    evaluations,
    exercise_reminders,
    issuing,
    measures,
    outbox,
    patient_links,
    portal,
    program_items,
    programs,
    questionnaires,
    recorded_patterns,
    toxin_cycle,
)
from planner.services.evaluations import EvaluationData
from tests.conftest import csrf_token
from tests.factories import PASSWORD, make_clinic, make_patient, make_user

NOW = datetime(2026, 3, 2, 10, tzinfo=UTC)
TODAY = NOW.date()
SECRET_KEY = "world secret key"


@dataclass
class ClinicWorld:
    clinic: Clinic
    admin: User
    therapist: User
    exercises: list[Exercise]
    measure: ClinicMeasure


@dataclass
class PatientWorld:
    patient: Patient
    program: Program
    archived_program: Program


def make_clinic_world(db: Session, name: str = "Export Clinic") -> ClinicWorld:
    clinic = make_clinic(db, name)
    admin = make_user(db, clinic, role="admin", name="Ada Admin")
    therapist = make_user(db, clinic, name="Dana Ortiz")
    exercises = [
        Exercise(
            slug=f"{name.lower().replace(' ', '-')}-{slug}",
            clinic_id=clinic.id,
            name=title,
            category=category,
            regions=regions,
            position="sitting",
            steps=["Sit tall.", "Move slowly."],
            cautions=["Stop if it hurts."],
            dosage={"repetitions": 10},
        )
        for slug, title, category, regions in (
            ("chin-tuck", "Chin tuck", "posture", ["neck"]),
            ("neck-turn", "Neck turn", "range_of_motion", ["neck", "head"]),
            ("shoulder-press", "Shoulder press", "strengthening", ["shoulders"]),
        )
    ]
    db.add_all(exercises)
    measure = measures.add_clinic_measure(db, clinic.id, "Head tremor minutes", "minutes", 0, 600)
    db.commit()
    return ClinicWorld(clinic, admin, therapist, exercises, measure)


def give_everything(db: Session, world: ClinicWorld, name: str, email: str) -> PatientWorld:
    """A patient with a row in every table about patients, through the services a therapist uses."""
    patient = make_patient(
        db,
        world.clinic,
        name,
        date_of_birth=date(1956, 3, 21),
        email=email,
        phone="+30 210 555 0199",
        language="el",
        large_print=True,
        reminder_consent=True,
        condition="Head pulls to the left when tired.",
        condition_tags=["cervical_dystonia"],
        primary_therapist_id=world.therapist.id,
        notes="Prefers mornings.",
    )
    details = programs.ProgramDetails(
        title="Neck program",
        start_date=date(2026, 2, 2),
        goals="Turn the head to check traffic when driving.",
        frequency="Every morning.",
        visit_plan="Every two weeks.",
        reeval_interval_days=42,
        advice=["Rest your head against a high chair back when you read."],
        advice_text="Warm shower first.",
    )
    program = programs.create_program(db, patient, details, world.therapist.id, NOW)
    chin, turn, press = world.exercises
    program_items.add_item(
        db, program, chin, None, NOW, {"sets": 2, "repetitions": 10, "hold_seconds": 5, "times_per_day": 2}
    )
    program_items.add_item(
        db, program, turn, None, NOW, {"repetitions": 5, "days_per_week": 3}, side="right", note="Slowly."
    )
    program_items.add_item(db, program, press, None, NOW, {"minutes": 5, "days_per_week": 7})
    issuing.issue(db, program, world.therapist.id, "print", NOW)
    outbox.queue_handout_email(db, program, world.therapist, NOW)
    evaluation = evaluations.record_evaluation(
        db,
        program,
        EvaluationData(
            date(2026, 3, 1),
            findings="Rotation better.",
            plan_changes="More holds.",
            values={
                "twstrs_severity": 18,
                "pain_nrs": 4,
                "arom_cervical_rotation_left": 55,
                measures.clinic_key(world.measure.id): 30,
            },
        ),
        world.therapist.id,
        NOW,
    )
    # The dystonia pattern seen at that re-evaluation (linked to it), with a note in the patient's language.
    seen = PatternEntry(
        {"rotation": "left"}, {"rotation": 2}, "no_no", 1, ["voice"], "Χειρότερα όταν είναι κουρασμένη."
    )
    recorded_patterns.record_change_at_evaluation(db, patient, seen, evaluation, world.therapist.id, NOW)
    profiles = {"private": care.Profile("private", "Private insurance", 12, 60, 180)}
    care.set_profile(db, program, "private", profiles)
    care.record_visit(db, program, date(2026, 2, 16), "treatment", "Went well.", world.therapist.id, NOW)
    patient_links.create_link(db, patient, SECRET_KEY, NOW)
    exercise_reminders.turn_on(db, patient, time(7, 30), "therapist", NOW, SECRET_KEY, world.therapist)
    portal.tick(db, program, chin.id, TODAY, TODAY)
    alert = portal.report_day(db, program, TODAY, TODAY, 8, "hard", "Neck sore after gardening.", NOW)
    assert alert is not None
    alerts.queue_pain_alert(db, alert, program, NOW)
    questionnaires.schedule(db, patient, ["psfs", "pain"], 14, TODAY, TODAY, NOW)
    asked = questionnaires.current_questionnaire(db, patient, TODAY, NOW)
    for question, value in [("activity_1", "Οδήγηση"), ("activity_2", ""), ("psfs_", "4"), ("pain_now", "3")]:
        step = questionnaires.next_step(db, asked, TODAY)[0]
        assert step.key.startswith(question)
        questionnaires.answer(db, asked, step.key, value, TODAY, NOW)
    injection = toxin_cycle.InjectionData(
        date(2026, 2, 9), [toxin_cycle.Dose("Splenius capitis", 50, 25)], "onabotulinumtoxinA", "Dr. Νικολάου"
    )
    toxin_cycle.record_injection(db, patient, injection, TODAY, NOW)
    archived = programs.create_program(db, patient, programs.ProgramDetails("Old program", date(2025, 6, 2)), None, NOW)
    program_items.add_item(db, archived, chin, None, NOW)
    programs.set_archived(db, archived, True, NOW)
    audit.record(db, world.therapist, "view", "patient", patient.id, patient_id=patient.id, detail="edit form")
    # The patient list logs what was searched, with no patient id: it can name the patient too.
    audit.record(db, world.therapist, "list", "patients", None, detail=f"search={name.lower()!r} status=all page=1")
    db.commit()
    return PatientWorld(patient, program, archived)


# ---- what the foreign keys alone say is about a patient --------------------------------------


def tables_about_patients() -> set[str]:
    """Every table whose rows point at a patient, directly or through such rows, by the models' foreign keys."""
    found = {"patients"}
    grew = True
    while grew:
        grew = False
        for table in Base.metadata.sorted_tables:
            if table.name not in found and any(fk.column.table.name in found for fk in table.foreign_keys):
                found.add(table.name)
                grew = True
    return found


def rows_about(db: Session, patient_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row that points at the patient, directly or through other such rows, table by table.

    Found by walking the foreign keys of every model, not by the export's own list.
    """
    found: dict[str, dict[Any, dict[str, Any]]] = {}
    patients = Base.metadata.tables["patients"]
    found["patients"] = {
        (r["id"],): dict(r) for r in db.execute(select(patients).where(patients.c.id == patient_id)).mappings()
    }
    grew = True
    while grew:
        grew = False
        for table in Base.metadata.sorted_tables:
            for fk in table.foreign_keys:
                parents = found.get(fk.column.table.name)
                if not parents:
                    continue
                keys = {row[fk.column.name] for row in parents.values()}
                for row in db.execute(select(table).where(fk.parent.in_(keys))).mappings():
                    mine = found.setdefault(table.name, {})
                    key = tuple(row[c.name] for c in table.primary_key.columns)
                    if key not in mine:
                        mine[key] = dict(row)
                        grew = True
    return {name: list(rows.values()) for name, rows in found.items()}


def all_text(db: Session) -> list[tuple[str, Any, str]]:
    """(table, primary key, text) for every text or JSON value in the database."""
    texts = []
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
        for row in db.execute(select(table)).mappings():
            key = tuple(row[c.name] for c in table.primary_key.columns)
            texts.extend((table.name, key, str(row[c.name])) for c in columns if row[c.name] not in (None, ""))
    return texts


def sign_in(client, email: str) -> None:  # noqa: ANN001
    """Sign in through the login form, CSRF token and all (for apps built with csrf=True)."""
    data = {"email": email, "password": PASSWORD, "csrf_token": csrf_token(client, "/login")}
    assert client.post("/login", data=data).status_code == 302
