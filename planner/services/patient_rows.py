"""Every table that holds rows about a patient, and how to find those rows.

The one list that a patient's export (all of it leaves) and erasure (all of it goes) read.
tests/test_patient_export.py walks the foreign keys of every model and fails for a table about
patients that is missing here, so a new table cannot be left out of either.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, or_, select

from planner.models import (
    AuditEntry,
    CarePlan,
    DayReport,
    DystoniaPattern,
    Evaluation,
    ExerciseLog,
    ExerciseReminder,
    Injection,
    InjectionDose,
    MeasureValue,
    OutboxMessage,
    OutcomeItem,
    OutcomePlan,
    PainAlert,
    Patient,
    PatientLink,
    PatientNameKey,
    Program,
    ProgramItem,
    ProgramVersion,
    Questionnaire,
    QuestionnaireAnswer,
    VersionGiving,
    Visit,
)


@dataclass(frozen=True)
class PatientTable:
    """A model and the WHERE clause that picks its rows about one patient (given the patient's id)."""

    model: type
    rows: Callable[[int], ColumnElement[bool]]

    @property
    def name(self) -> str:
        return self.model.__tablename__  # type: ignore[attr-defined]


def _program_ids(patient_id: int) -> Select[int]:
    return select(Program.id).where(Program.patient_id == patient_id)


def _of_evaluation(patient_id: int) -> ColumnElement[bool]:
    return or_(Evaluation.patient_id == patient_id, Evaluation.program_id.in_(_program_ids(patient_id)))


def _evaluation_ids(patient_id: int) -> Select[int]:
    return select(Evaluation.id).where(_of_evaluation(patient_id))


# Parents before children: the export lists them in this order, the erasure deletes them in reverse.
# Rows that carry both a patient and a program are found by either, so a row whose two ids
# disagree still goes with the patient.
PATIENT_TABLES: tuple[PatientTable, ...] = (
    PatientTable(Patient, lambda p: Patient.id == p),
    PatientTable(PatientNameKey, lambda p: PatientNameKey.patient_id == p),  # the name, for the search
    PatientTable(Program, lambda p: Program.patient_id == p),
    PatientTable(ProgramItem, lambda p: ProgramItem.program_id.in_(_program_ids(p))),
    PatientTable(ProgramVersion, lambda p: ProgramVersion.program_id.in_(_program_ids(p))),
    PatientTable(
        VersionGiving,
        lambda p: VersionGiving.version_id.in_(
            select(ProgramVersion.id).where(ProgramVersion.program_id.in_(_program_ids(p)))
        ),
    ),
    PatientTable(CarePlan, lambda p: CarePlan.program_id.in_(_program_ids(p))),
    PatientTable(Visit, lambda p: Visit.program_id.in_(_program_ids(p))),
    PatientTable(Evaluation, _of_evaluation),
    PatientTable(MeasureValue, lambda p: MeasureValue.evaluation_id.in_(_evaluation_ids(p))),
    PatientTable(
        DystoniaPattern,
        lambda p: or_(DystoniaPattern.patient_id == p, DystoniaPattern.evaluation_id.in_(_evaluation_ids(p))),
    ),
    PatientTable(PatientLink, lambda p: PatientLink.patient_id == p),
    PatientTable(ExerciseLog, lambda p: or_(ExerciseLog.patient_id == p, ExerciseLog.program_id.in_(_program_ids(p)))),
    PatientTable(DayReport, lambda p: or_(DayReport.patient_id == p, DayReport.program_id.in_(_program_ids(p)))),
    PatientTable(PainAlert, lambda p: PainAlert.patient_id == p),
    PatientTable(ExerciseReminder, lambda p: ExerciseReminder.patient_id == p),
    PatientTable(OutcomePlan, lambda p: OutcomePlan.patient_id == p),
    PatientTable(Questionnaire, lambda p: Questionnaire.patient_id == p),
    PatientTable(OutcomeItem, lambda p: OutcomeItem.patient_id == p),
    PatientTable(QuestionnaireAnswer, lambda p: QuestionnaireAnswer.patient_id == p),
    PatientTable(Injection, lambda p: Injection.patient_id == p),
    PatientTable(
        InjectionDose, lambda p: InjectionDose.injection_id.in_(select(Injection.id).where(Injection.patient_id == p))
    ),
    PatientTable(
        OutboxMessage, lambda p: or_(OutboxMessage.patient_id == p, OutboxMessage.program_id.in_(_program_ids(p)))
    ),
)

# Who saw or changed the patient's data. Exported with the rest; an erasure keeps these rows
# (the clinic must be able to show who did what) but strips what ties them to the patient.
AUDIT = PatientTable(AuditEntry, lambda p: AuditEntry.patient_id == p)


def table_of(model: type) -> PatientTable:
    """The entry of PATIENT_TABLES for a model. :raise KeyError: for a model not about patients."""
    for table in PATIENT_TABLES:
        if table.model is model:
            return table
    raise KeyError(model.__name__)
