"""The patient and their care outside the programs, as FHIR: the Patient; a Condition when one is
recorded; an Encounter per visit and per re-evaluation; an Observation per outcome measure value
and per pain rating sent from the phone page; a QuestionnaireResponse per questionnaire answered
on the phone page (a group per part); a MedicationAdministration per muscle and side of each
botulinum toxin injection (the package's docstring says why).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from planner.catalog.vocabulary import condition_label
from planner.models import Clinic, DayReport, Evaluation, Patient, User, Visit
from planner.models.outcomes import Injection, Questionnaire, QuestionnaireAnswer
from planner.services.care import VISIT_KINDS
from planner.services.fhir.entries import Entries
from planner.services.measures import BUILT_IN, Measure, measures_for
from planner.services.questionnaires import PARTS

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"

# (code, display) of the LOINC codes we are sure of; every other measure has only our own code.
PAIN_NRS_LOINC = ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
MEASURE_LOINC = {"pain_nrs": PAIN_NRS_LOINC}
# Our units as UCUM codes; a clinic's own unit that is not here goes out as text only.
UCUM_UNITS = {"points": "{score}", "degrees": "deg"}
RANGE_OF_MOTION_GROUP = "Active range of motion"
REEVALUATION = ("reevaluation", "Re-evaluation")
BUILT_IN_KEYS = {m.key for m in BUILT_IN}


class Records:
    """Writes the patient's own resources into `out`."""

    def __init__(self, session: Session, patient: Patient, out: Entries) -> None:
        self.session, self.patient, self.out = session, patient, out
        self.measures = {m.key: m for m in measures_for(session, patient.clinic_id)}

    def patient_entry(self) -> dict[str, str]:
        """The Patient; returns a Reference to it."""
        return self.out.add("Patient", self.patient.id, self._patient_resource())

    def _patient_resource(self) -> dict[str, Any]:
        p = self.patient
        resource: dict[str, Any] = {
            "identifier": [{"system": f"{self.out.base}/fhir/sid/patient-id", "value": str(p.id)}],
            "active": not p.archived,
            "name": [{"text": p.name}],
        }
        telecom = [{"system": s, "value": v} for s, v in (("email", p.email), ("phone", p.phone)) if v]
        if telecom:
            resource["telecom"] = telecom
        if p.date_of_birth:
            resource["birthDate"] = p.date_of_birth.isoformat()
        if p.language:
            resource["communication"] = [
                {"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": p.language}]}, "preferred": True}
            ]
        if p.primary_therapist:
            resource["generalPractitioner"] = [{"display": p.primary_therapist.name}]
        clinic = self.session.get(Clinic, p.clinic_id)
        if clinic:
            resource["managingOrganization"] = {"display": clinic.name}
        return resource

    def condition(self, patient_ref: dict[str, str]) -> dict[str, str] | None:
        """The Condition, when the patient has one recorded (words or tags); a Reference to it, else None."""
        p = self.patient
        if not p.condition and not p.condition_tags:
            return None
        code: dict[str, Any] = {"text": p.condition or ", ".join(condition_label(t) for t in p.condition_tags)}
        if p.condition_tags:
            code["coding"] = [self.out.coding("condition-tags", t, condition_label(t)) for t in p.condition_tags]
        return self.out.add("Condition", p.id, {"code": code, "subject": patient_ref})

    # ---- visits, re-evaluations, measures -----------------------------------------------

    def _encounter(
        self, row_id: str, kind: tuple[str, str], on: date, therapist: str, patient_ref: dict[str, str]
    ) -> dict[str, str]:
        resource: dict[str, Any] = {
            "status": "finished",
            "class": {"system": ACT_CODE, "code": "AMB", "display": "ambulatory"},
            "type": [{"coding": [self.out.coding("visit-kinds", *kind)], "text": kind[1]}],
            "subject": patient_ref,
            "period": {"start": on.isoformat(), "end": on.isoformat()},
        }
        if therapist:
            resource["participant"] = [{"individual": {"display": therapist}}]
        return self.out.add("Encounter", row_id, resource)

    def visit(self, visit: Visit, patient_ref: dict[str, str]) -> None:
        """An Encounter for a visit, of its kind, with the therapist who saw the patient."""
        kind = (visit.kind, VISIT_KINDS.get(visit.kind, visit.kind))
        therapist = self._therapist_name(visit.therapist_id)
        self._encounter(f"visit-{visit.id}", kind, visit.visited_on, therapist, patient_ref)

    def evaluation(self, evaluation: Evaluation, patient_ref: dict[str, str]) -> None:
        """An Encounter for a re-evaluation, and an Observation for each measure value taken at it."""
        therapist = evaluation.therapist.name if evaluation.therapist else ""
        encounter = self._encounter(
            f"evaluation-{evaluation.id}", REEVALUATION, evaluation.evaluated_on, therapist, patient_ref
        )
        for value in evaluation.values:
            measure = self.measures.get(value.measure) or Measure(value.measure, value.measure, 0, 0)
            resource = self._observation(measure, value.value, evaluation.evaluated_on, patient_ref)
            resource["encounter"] = encounter
            if therapist:
                resource["performer"] = [{"display": therapist}]
            self.out.add("Observation", value.id, resource)

    def pain_report(self, report: DayReport, patient_ref: dict[str, str]) -> None:
        """An Observation of a pain rating the patient sent from the phone page (the patient performed it)."""
        measure = self.measures["pain_nrs"]
        resource = self._observation(measure, float(report.pain or 0), report.day, patient_ref)
        resource["performer"] = [patient_ref]  # the patient rated it on the phone page
        if report.comment:
            resource["note"] = [{"text": report.comment}]
        self.out.add("Observation", f"day-report-{report.id}", resource)

    def _observation(self, measure: Measure, value: float, on: date, patient_ref: dict[str, str]) -> dict[str, Any]:
        codings = [self.out.coding("outcome-measures", measure.key, measure.name)]
        if measure.key in MEASURE_LOINC:
            code, display = MEASURE_LOINC[measure.key]
            codings.insert(0, {"system": LOINC, "code": code, "display": display})
        # 18, not 18.0: the same value reads the same whether it came from the form or the database.
        number = int(value) if float(value).is_integer() else float(value)
        quantity: dict[str, Any] = {"value": number, "unit": measure.unit}
        if measure.unit in UCUM_UNITS:
            quantity.update({"system": UCUM, "code": UCUM_UNITS[measure.unit]})
        resource: dict[str, Any] = {
            "status": "final",
            "code": {"coding": codings, "text": measure.name},
            "subject": patient_ref,
            "effectiveDateTime": on.isoformat(),
            "valueQuantity": quantity,
        }
        if measure.key in BUILT_IN_KEYS:  # a clinic's own measure could be either: left without
            category = "exam" if measure.group == RANGE_OF_MOTION_GROUP else "survey"
            resource["category"] = [{"coding": [{"system": OBSERVATION_CATEGORY, "code": category}]}]
        return resource

    def _therapist_name(self, user_id: int | None) -> str:
        user = self.session.get(User, user_id) if user_id else None
        return user.name if user else ""

    # ---- between visits: the patient's answers, the toxin injections ---------------------

    def questionnaire_response(self, questionnaire: Questionnaire, patient_ref: dict[str, str]) -> None:
        """One QuestionnaireResponse: a group per part, an item per answer (linkId: our question key)."""
        groups: dict[str, list[dict[str, Any]]] = {part: [] for part in questionnaire.parts}
        for answer in sorted(questionnaire.answers, key=lambda a: a.id):
            part = _PART_OF.get(answer.question.split("_")[0])
            if part is None:  # "day": the day the patient says, given as `authored`
                continue
            item: dict[str, Any] = {"linkId": answer.question, "text": _question_text(answer)}
            if answer.rating is not None:
                item["answer"] = [{"valueInteger": answer.rating}]
            elif answer.text.strip():
                item["answer"] = [{"valueString": answer.text}]
            groups.setdefault(part, []).append(item)
        resource: dict[str, Any] = {
            "questionnaire": f"{self.out.base}/fhir/Questionnaire/between-visits",
            "status": "completed" if questionnaire.finished_at else "in-progress",
            "subject": patient_ref,
            "source": patient_ref,  # the patient answered, on the phone page
            "item": [
                {"linkId": part, "text": PARTS.get(part, part), "item": items}
                for part, items in groups.items()
                if items
            ],
        }
        if questionnaire.answered_on:
            resource["authored"] = questionnaire.answered_on.isoformat()
        self.out.add("QuestionnaireResponse", questionnaire.id, resource)

    def injection(self, injection: Injection, patient_ref: dict[str, str]) -> None:
        """A MedicationAdministration per muscle and side of a botulinum toxin injection, sharing its identifier."""
        identifier = [{"system": f"{self.out.base}/fhir/sid/injection-id", "value": str(injection.id)}]
        for dose in injection.doses:
            for side, units in (("left", dose.left_units), ("right", dose.right_units)):
                if units is None:
                    continue
                resource: dict[str, Any] = {
                    "identifier": identifier,
                    "status": "completed",
                    "medicationCodeableConcept": {"text": injection.product or "Botulinum toxin"},
                    "subject": patient_ref,
                    "effectiveDateTime": injection.injected_on.isoformat(),
                    "dosage": {
                        "site": {"text": f"{dose.muscle}, {side}"},
                        "route": {"text": "Intramuscular"},
                        "dose": {"value": units, "unit": "U"},
                    },
                }
                if injection.injected_by:
                    resource["performer"] = [{"actor": {"display": injection.injected_by}}]
                if injection.note:
                    resource["note"] = [{"text": injection.note}]
                self.out.add("MedicationAdministration", f"{dose.id}-{side}", resource)


# Which part of a questionnaire an answer belongs to, by its question key's first word.
_PART_OF = {
    "activity": "psfs",
    "psfs": "psfs",
    "pain": "pain",
    "symptom": "diary",
    "severity": "diary",
    "tricks": "diary",
    "triggers": "diary",
}
_QUESTIONS = {
    "pain_now": "Pain now (0 to 10)",
    "pain_week": "Worst pain this week (0 to 10)",
    "tricks": "Sensory tricks that helped",
    "triggers": "What set symptoms off",
}


def _question_text(answer: QuestionnaireAnswer) -> str:
    """What was asked, in the therapist's words: a rating names its activity or symptom."""
    kind = answer.question.split("_")[0]
    if kind in ("activity", "symptom"):
        return f"Name {kind} {answer.question.rsplit('_', 1)[-1]}"
    if answer.item is not None:
        return f"{answer.item.name} (0 to 10)"
    return _QUESTIONS.get(answer.question, answer.question)
