"""A patient's care as a FHIR R4 Bundle: plain dicts built here, checked against R4 in the tests.

What goes in: the Patient; a Condition when one is recorded; per program a CarePlan (period,
activities, goals), a Goal for the therapist's goals and one for each of the three goals the
program covers, and a ServiceRequest per exercise (how often as a Timing, the dosage in words
from planner/dosage.py); an Encounter per visit and per re-evaluation; an Observation per
outcome measure value and per pain rating the patient sent from the phone page; a
QuestionnaireResponse per questionnaire the patient answered on the phone page (PSFS, pain,
symptom diary; one group each); a MedicationAdministration per muscle and side of each
botulinum toxin injection. An injection is a medicine given, with a dose at a site: that is
MedicationAdministration's shape (dosage.site, .route, .dose), where a Procedure carries no dose.
R4 allows one dosage per resource, so each muscle and side is one, sharing the injection's
identifier.

Codes: LOINC only where the code is certain (pain 0-10, 72514-3). The other scales (TWSTRS,
range of motion, BSDI, WCRS, a clinic's own measures), the exercises, goals and visit kinds use
code systems named under BASE/fhir/CodeSystem/, BASE being [server] public_url, else
LOCAL_BASE. Such a URL names the code system; nothing has to be served there.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planner.models import DayReport, Evaluation, Patient, Program, ProgramItem, Visit
from planner.models.outcomes import Injection, Questionnaire, QuestionnaireAnswer
from planner.scoping import scoped
from planner.services.fhir.care_plans import CarePlans
from planner.services.fhir.entries import Entries, base_url, instant
from planner.services.fhir.records import Records


def bundle(session: Session, patient: Patient, now: datetime, public_url: str = "") -> dict[str, Any]:
    """Everything clinical about the patient as a FHIR R4 Bundle of type collection (a plain dict),
    in this order: the Patient and Condition, each program's plans, the visits, the
    re-evaluations, the pain ratings, the questionnaires answered, the injections.

    Each resource's id is a UUID derived from BASE and our row id (entries.py), so the same data
    gives the same bundle, and the bundle refers to its resources by urn:uuid.
    """
    out = Entries(base_url(public_url))
    records = Records(session, patient, out)
    patient_ref = records.patient_entry()
    condition_ref = records.condition(patient_ref)
    programs = session.scalars(
        scoped(Program, patient.clinic_id)
        .where(Program.patient_id == patient.id)
        .options(selectinload(Program.items).selectinload(ProgramItem.exercise))
        .order_by(Program.id)
    ).all()
    plans = CarePlans(session, out)
    for program in programs:
        plans.care_plan(program, patient_ref, condition_ref)
    for program in programs:
        for visit in session.scalars(
            select(Visit).where(Visit.program_id == program.id).order_by(Visit.visited_on, Visit.id)
        ):
            records.visit(visit, patient_ref)
    evaluations = session.scalars(
        scoped(Evaluation, patient.clinic_id)
        .where(Evaluation.patient_id == patient.id)
        .options(selectinload(Evaluation.values))
        .order_by(Evaluation.evaluated_on, Evaluation.id)
    )
    for evaluation in evaluations:
        records.evaluation(evaluation, patient_ref)
    reports = session.scalars(
        select(DayReport).where(DayReport.patient_id == patient.id, DayReport.pain.is_not(None)).order_by(DayReport.day)
    )
    for report in reports:
        records.pain_report(report, patient_ref)
    for questionnaire in session.scalars(
        scoped(Questionnaire, patient.clinic_id)
        .where(Questionnaire.patient_id == patient.id)
        .options(selectinload(Questionnaire.answers).selectinload(QuestionnaireAnswer.item))
        .order_by(Questionnaire.due_on, Questionnaire.id)
    ):
        if questionnaire.answers:
            records.questionnaire_response(questionnaire, patient_ref)
    for injection in session.scalars(
        scoped(Injection, patient.clinic_id)
        .where(Injection.patient_id == patient.id)
        .options(selectinload(Injection.doses))
        .order_by(Injection.injected_on, Injection.id)
    ):
        records.injection(injection, patient_ref)
    return {"resourceType": "Bundle", "type": "collection", "timestamp": instant(now), "entry": out.entries}
