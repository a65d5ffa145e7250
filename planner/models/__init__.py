"""The models, one idea per module; importing this package registers them all."""

from planner.models.audit import AuditEntry, LoginAttempt
from planner.models.base import Base, utcnow
from planner.models.clinic import ROLES, Clinic, User
from planner.models.exercise import Exercise
from planner.models.patient import Patient
from planner.models.program import ClinicAdvice, Program, ProgramItem, ProgramTemplate, ProgramVersion

__all__ = [
    "ROLES",
    "AuditEntry",
    "Base",
    "ClinicAdvice",
    "Clinic",
    "Exercise",
    "LoginAttempt",
    "Patient",
    "Program",
    "ProgramItem",
    "ProgramTemplate",
    "ProgramVersion",
    "User",
    "utcnow",
]
