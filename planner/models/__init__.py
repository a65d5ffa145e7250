"""The models, one idea per module; importing this package registers them all."""

from planner.models.api_token import ApiToken
from planner.models.audit import AuditEntry, LoginAttempt
from planner.models.base import Base, utcnow
from planner.models.clinic import ROLES, Clinic, User
from planner.models.dispatcher import DispatcherRun
from planner.models.dystonia import DystoniaPattern
from planner.models.evaluation import CarePlan, ClinicMeasure, Evaluation, MeasureValue, Visit
from planner.models.exercise import Exercise
from planner.models.exercise_reminder import ExerciseReminder
from planner.models.outbox import CalendarFeed, OutboxMessage
from planner.models.outcomes import (
    Injection,
    InjectionDose,
    OutcomeItem,
    OutcomePlan,
    Questionnaire,
    QuestionnaireAnswer,
)
from planner.models.patient import Patient, PatientNameKey
from planner.models.portal import DayReport, ExerciseLog, PainAlert, PatientLink
from planner.models.program import ClinicAdvice, Program, ProgramItem, ProgramTemplate, ProgramVersion, VersionGiving
from planner.models.sign_in import SignIn
from planner.models.two_factor import RecoveryCode, TwoFactor

__all__ = [
    "DayReport",
    "ExerciseLog",
    "PainAlert",
    "PatientLink",
    "ROLES",
    "ApiToken",
    "AuditEntry",
    "Base",
    "CalendarFeed",
    "CarePlan",
    "ClinicAdvice",
    "Clinic",
    "ClinicMeasure",
    "DispatcherRun",
    "DystoniaPattern",
    "Evaluation",
    "Exercise",
    "ExerciseReminder",
    "Injection",
    "InjectionDose",
    "OutcomeItem",
    "OutcomePlan",
    "Questionnaire",
    "QuestionnaireAnswer",
    "LoginAttempt",
    "MeasureValue",
    "OutboxMessage",
    "Patient",
    "PatientNameKey",
    "Program",
    "ProgramItem",
    "ProgramTemplate",
    "ProgramVersion",
    "VersionGiving",
    "SignIn",
    "RecoveryCode",
    "TwoFactor",
    "User",
    "Visit",
    "utcnow",
]
