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

import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planner.catalog.vocabulary import CATEGORIES, REGIONS, condition_label
from planner.dosage import LIMITS
from planner.dystonia.sentences import NOT_SET, SIDE_NOT_SET, STOP_FOR_NEW_SHEET
from planner.models import Clinic, DayReport, Evaluation, Exercise, Patient, Program, ProgramItem, User, Visit
from planner.models.outcomes import Injection, Questionnaire, QuestionnaireAnswer
from planner.scoping import scoped
from planner.services.care import VISIT_KINDS
from planner.services.coverage import GOALS
from planner.services.given import Given, GivenItem, given_version
from planner.services.measures import BUILT_IN, Measure, measures_for
from planner.services.patterns import CHECK_FIRST, item_direction, patient_pattern, prescription_words
from planner.services.programs import last_given, next_reevaluation, program_coverage
from planner.services.questionnaires import PARTS
from planner.services.versions import snapshot_coverage

LOCAL_BASE = "https://planner.local"
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
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _instant(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def base_url(public_url: str) -> str:
    """Where our code systems are named: [server] public_url without its last slash, else LOCAL_BASE."""
    return public_url.rstrip("/") or LOCAL_BASE


def code_system(base: str, name: str) -> str:
    """The URL of one of our code systems, e.g. https://planner.local/fhir/CodeSystem/outcome-measures."""
    return f"{base}/fhir/CodeSystem/{name}"


def timing(dosage: Mapping[str, Any]) -> dict[str, Any] | None:
    """How often an exercise is done, as a FHIR Timing; None when the dosage does not say.

    Times a day give frequency per day. Days a week without times a day give frequency per
    week. Every day also lists all seven days. Both (2 times a day, 3 days a week) give times
    per week (6 a week): the dosage says how many days, not which, and dayOfWeek would name days.
    Minutes give the duration of each time.
    """
    per_day = dosage.get("times_per_day")
    per_week = dosage.get("days_per_week")
    repeat: dict[str, Any] = {}
    if per_week and per_week < 7:
        repeat = {"frequency": per_week * (per_day or 1), "period": 1, "periodUnit": "wk"}
    elif per_day or per_week == 7:
        repeat = {"frequency": per_day or 1, "period": 1, "periodUnit": "d"}
        if per_week == 7:
            repeat["dayOfWeek"] = list(DAYS)
    if dosage.get("minutes"):
        repeat.update({"duration": dosage["minutes"], "durationUnit": "min"})
    return {"repeat": repeat} if repeat else None


def dosage_extension(base: str, dosage: Mapping[str, Any]) -> dict[str, Any]:
    """The dosage's numbers (sets, repetitions, hold seconds…) as one complex extension, so a
    receiving system can read them; R4's ServiceRequest has no element for them."""
    return {
        "url": f"{base}/fhir/StructureDefinition/exercise-dosage",
        "extension": [{"url": key, "valueInteger": int(dosage[key])} for key in LIMITS if dosage.get(key)],
    }


def bundle(session: Session, patient: Patient, now: datetime, public_url: str = "") -> dict[str, Any]:
    """Everything clinical about the patient as a FHIR R4 Bundle of type collection (a plain dict).

    Each resource's id is a UUID derived from BASE and our row id, so the same data gives the
    same bundle, and the bundle refers to its resources by urn:uuid.
    """
    return _Builder(session, patient, base_url(public_url)).build(now)


class _Builder:
    def __init__(self, session: Session, patient: Patient, base: str) -> None:
        self.session, self.patient, self.base = session, patient, base
        self.entries: list[dict[str, Any]] = []
        self.measures = {m.key: m for m in measures_for(session, patient.clinic_id)}

    def build(self, now: datetime) -> dict[str, Any]:
        patient_ref = self._add("Patient", self.patient.id, self._patient())
        condition_ref = self._condition(patient_ref)
        programs = self.session.scalars(
            scoped(Program, self.patient.clinic_id)
            .where(Program.patient_id == self.patient.id)
            .options(selectinload(Program.items).selectinload(ProgramItem.exercise))
            .order_by(Program.id)
        ).all()
        for program in programs:
            self._care_plan(program, patient_ref, condition_ref)
        for program in programs:
            for visit in self.session.scalars(
                select(Visit).where(Visit.program_id == program.id).order_by(Visit.visited_on, Visit.id)
            ):
                self._visit(visit, patient_ref)
        evaluations = self.session.scalars(
            scoped(Evaluation, self.patient.clinic_id)
            .where(Evaluation.patient_id == self.patient.id)
            .options(selectinload(Evaluation.values))
            .order_by(Evaluation.evaluated_on, Evaluation.id)
        )
        for evaluation in evaluations:
            self._evaluation(evaluation, patient_ref)
        reports = self.session.scalars(
            select(DayReport)
            .where(DayReport.patient_id == self.patient.id, DayReport.pain.is_not(None))
            .order_by(DayReport.day)
        )
        for report in reports:
            self._pain_report(report, patient_ref)
        for questionnaire in self.session.scalars(
            scoped(Questionnaire, self.patient.clinic_id)
            .where(Questionnaire.patient_id == self.patient.id)
            .options(selectinload(Questionnaire.answers).selectinload(QuestionnaireAnswer.item))
            .order_by(Questionnaire.due_on, Questionnaire.id)
        ):
            if questionnaire.answers:
                self._questionnaire_response(questionnaire, patient_ref)
        for injection in self.session.scalars(
            scoped(Injection, self.patient.clinic_id)
            .where(Injection.patient_id == self.patient.id)
            .options(selectinload(Injection.doses))
            .order_by(Injection.injected_on, Injection.id)
        ):
            self._injection(injection, patient_ref)
        return {"resourceType": "Bundle", "type": "collection", "timestamp": _instant(now), "entry": self.entries}

    # ---- plumbing -----------------------------------------------------------------------

    def _id(self, resource_type: str, row_id: Any) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.base}/{resource_type}/{row_id}"))

    def _ref(self, resource_type: str, row_id: Any) -> dict[str, str]:
        """A Reference to the resource made from that row, whether it is in the bundle yet or not."""
        return {"reference": f"urn:uuid:{self._id(resource_type, row_id)}"}

    def _add(self, resource_type: str, row_id: Any, resource: dict[str, Any]) -> dict[str, str]:
        """Put the resource into the bundle; returns a Reference to it."""
        ref = self._ref(resource_type, row_id)
        resource = {"resourceType": resource_type, "id": self._id(resource_type, row_id), **resource}
        self.entries.append({"fullUrl": ref["reference"], "resource": resource})
        return ref

    def _coding(self, system: str, code: str, display: str) -> dict[str, str]:
        return {"system": code_system(self.base, system), "code": code, "display": display}

    # ---- the patient --------------------------------------------------------------------

    def _patient(self) -> dict[str, Any]:
        p = self.patient
        resource: dict[str, Any] = {
            "identifier": [{"system": f"{self.base}/fhir/sid/patient-id", "value": str(p.id)}],
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

    def _condition(self, patient_ref: dict[str, str]) -> dict[str, str] | None:
        p = self.patient
        if not p.condition and not p.condition_tags:
            return None
        code: dict[str, Any] = {"text": p.condition or ", ".join(condition_label(t) for t in p.condition_tags)}
        if p.condition_tags:
            code["coding"] = [self._coding("condition-tags", t, condition_label(t)) for t in p.condition_tags]
        return self._add("Condition", p.id, {"code": code, "subject": patient_ref})

    # ---- programs -----------------------------------------------------------------------

    def _care_plan(self, program: Program, patient_ref: dict[str, str], condition_ref: dict[str, str] | None) -> None:
        """The program's CarePlans: what the patient was given (its last given version: active, or
        completed once archived) and, while the program differs from it (an edit not given yet, a
        direction a re-evaluation moved, a clinic's own exercise edited), the program as it is now
        as a draft that would replace it. A program never given is one plan as it is now: a draft
        (revoked once archived: it never reached the patient). An archived program's edits never
        given are left out (its rows are in patient.json)."""
        handed = given_version(self.session, program)
        if handed is None:
            # Issued with no frozen copy (before versions were kept): given as it stands.
            given_status = "completed" if program.archived else "active"
            never = "revoked" if program.archived else "draft"
            self._live_plan(program, given_status if program.issued else never, program.id, patient_ref, condition_ref)
            return
        plan_ref = self._given_plan(program, handed, patient_ref, condition_ref)
        last = last_given(self.session, program)
        if last is not None and last.differs and not program.archived:
            key = f"{program.id}-draft"
            self._live_plan(program, "draft", key, patient_ref, condition_ref, replaces=plan_ref)

    def _plan(
        self,
        program: Program,
        status: str,
        said: Mapping[str, Any],
        patient_ref: dict[str, str],
        condition_ref: dict[str, str] | None,
        goal_refs: list[dict[str, str]],
        activity_refs: list[dict[str, str]],
    ) -> dict[str, Any]:
        """One CarePlan from the program's words `said` (title, start_date,
        frequency, visit_plan, advice, advice_text, next_reevaluation, identifier, notes first)."""
        period = {"start": said["start_date"]}
        if program.archived_at:
            period["end"] = _instant(program.archived_at)
        resource: dict[str, Any] = {
            "identifier": said["identifier"],
            "status": status,
            "intent": "plan",
            "category": [{"text": "Home exercise program"}],
            "title": said["title"],
            "subject": patient_ref,
            "period": period,
            "created": _instant(program.created_at),
        }
        if program.therapist:
            resource["author"] = {"display": program.therapist.name}
        if condition_ref:
            resource["addresses"] = [condition_ref]
        if goal_refs:
            resource["goal"] = goal_refs
        if activity_refs:
            resource["activity"] = [{"reference": ref} for ref in activity_refs]
        notes = [
            *(("Version", line) for line in said.get("notes", [])),
            ("How often", said["frequency"]),
            ("Visit plan", said["visit_plan"]),
            *(("Advice", line) for line in said["advice"]),
            ("Other advice", said["advice_text"]),
            ("Next re-evaluation", said["next_reevaluation"] or ""),
        ]
        annotations = [{"text": f"{label}: {text}"} for label, text in notes if text]
        if annotations:
            resource["note"] = annotations
        return resource

    def _program_id(self, program: Program) -> dict[str, str]:
        return {"system": f"{self.base}/fhir/sid/program-id", "value": str(program.id)}

    def _given_plan(
        self, program: Program, handed: Given, patient_ref: dict[str, str], condition_ref: dict[str, str] | None
    ) -> dict[str, str]:
        """The CarePlan of the version given (its snapshot: given.py): its words, goals and exercises
        as the patient's paper says them. Returns a Reference to it."""
        frozen = handed.snapshot
        status = "completed" if program.archived else "active"
        plan_ref = self._ref("CarePlan", program.id)
        start = frozen.get("start_date") or program.start_date.isoformat()
        covered = snapshot_coverage(frozen).goals_covered
        goal_refs = self._goals(program.id, frozen.get("goals", ""), covered, status, start, patient_ref)
        activity_refs = [self._given_request(program, handed, item, plan_ref, patient_ref) for item in handed.items]
        given_on = (handed.given_at or program.version_date).date().isoformat()
        version_id = {"system": f"{self.base}/fhir/sid/program-version", "value": f"{program.id}-{handed.version}"}
        said = {
            "identifier": [self._program_id(program), version_id],
            "notes": [f"{handed.version}, given to the patient on {given_on}"],
            "title": frozen.get("title", program.title),
            "start_date": start,
            "frequency": frozen.get("frequency", ""),
            "visit_plan": frozen.get("visit_plan", ""),
            "advice": frozen.get("advice", []),
            "advice_text": frozen.get("advice_text", ""),
            "next_reevaluation": frozen.get("next_reevaluation"),
        }
        resource = self._plan(program, status, said, patient_ref, condition_ref, goal_refs, activity_refs)
        return self._add("CarePlan", program.id, resource)

    def _live_plan(
        self,
        program: Program,
        status: str,
        key: Any,
        patient_ref: dict[str, str],
        condition_ref: dict[str, str] | None,
        replaces: dict[str, str] | None = None,
    ) -> None:
        """The CarePlan of the program as it is now (row id `key`), its exercises with `status`;
        `replaces`: the given version's plan it would replace (a draft)."""
        plan_ref = self._ref("CarePlan", key)
        start = program.start_date.isoformat()
        covered = program_coverage(program).goals_covered
        goal_refs = self._goals(key, program.goals, covered, status, start, patient_ref)
        pattern = patient_pattern(program.patient)
        activity_refs = []
        for item in program.items:
            words = prescription_words(item_direction(item, pattern), item.dosage)
            activity_refs.append(
                self._request(
                    item.id,
                    status,
                    item.exercise,
                    item.exercise.name,
                    item.dosage,
                    words,
                    [item.note],
                    _instant(program.version_date),
                    program,
                    plan_ref,
                    patient_ref,
                )
            )
        next_date = next_reevaluation(program)
        said = {
            "identifier": [self._program_id(program)],
            "notes": [f"{program.version}, not given to the patient yet"] if status == "draft" else [],
            "title": program.title,
            "start_date": start,
            "frequency": program.frequency,
            "visit_plan": program.visit_plan,
            "advice": program.advice,
            "advice_text": program.advice_text,
            "next_reevaluation": next_date.isoformat() if next_date else None,
        }
        resource = self._plan(program, status, said, patient_ref, condition_ref, goal_refs, activity_refs)
        if replaces is not None:
            resource["replaces"] = [replaces]
        self._add("CarePlan", key, resource)

    def _goals(
        self, key: Any, goals: str, covered: list[str], status: str, start: str, patient_ref: dict[str, str]
    ) -> list[dict[str, str]]:
        """A Goal for the therapist's goals and one for each of the three goals covered (`status`: a
        plan's status; Goal.lifecycleStatus from it)."""
        lifecycle = {"completed": "completed", "revoked": "cancelled", "draft": "proposed"}.get(status, status)
        common = {"lifecycleStatus": lifecycle, "subject": patient_ref, "startDate": start}
        refs = []
        if goals:
            refs.append(self._add("Goal", f"program-{key}", {**common, "description": {"text": goals}}))
        for goal in covered:
            description = {"coding": [self._coding("program-goals", goal, GOALS[goal])], "text": GOALS[goal]}
            refs.append(self._add("Goal", f"program-{key}-{goal}", {**common, "description": description}))
        return refs

    def _given_request(
        self, program: Program, handed: Given, item: GivenItem, plan_ref: dict[str, str], patient_ref: dict[str, str]
    ) -> dict[str, str]:
        """A ServiceRequest of the given version: its name (a clinic's own exercise as given), dosage,
        direction and note as the paper printed them. On hold while the phone page tells the patient
        to wait for the therapist (given.moved_since: a re-evaluation since made its way to move wrong)."""
        status = "completed" if program.archived else "on-hold" if item.wait else "active"
        notes = [item.note, _ON_HOLD.get(item.wait, "") if status == "on-hold" else ""]
        given_at = _instant(handed.given_at or program.version_date)
        row_id = f"program-{program.id}-version-{handed.version}-item-{item.number}"
        words = prescription_words(item.direction, item.dosage)
        name = item.text().name
        return self._request(
            row_id, status, item.exercise, name, item.dosage, words, notes, given_at, program, plan_ref, patient_ref
        )

    def _request(
        self,
        row_id: Any,
        status: str,
        exercise: Exercise,
        name: str,
        dosage: Mapping[str, Any],
        words: str,
        notes: list[str],
        authored: str,
        program: Program,
        plan_ref: dict[str, str],
        patient_ref: dict[str, str],
    ) -> dict[str, str]:
        """One ServiceRequest: the exercise (`name` as the patient reads it), how often as a Timing,
        the dosage's numbers, `words` (the direction, then the dosage) as patientInstruction."""
        category = self._coding("exercise-categories", exercise.category, CATEGORIES.get(exercise.category, ""))
        resource: dict[str, Any] = {
            "status": status,
            "intent": "plan",
            "category": [{"coding": [category]}],
            "code": {"coding": [self._coding("exercises", exercise.slug, name)], "text": name},
            "basedOn": [plan_ref],
            "subject": patient_ref,
            "authoredOn": authored,
        }
        if dosage:
            resource["extension"] = [dosage_extension(self.base, dosage)]
        when = timing(dosage)
        if when:
            resource["occurrenceTiming"] = when
        if program.therapist:
            resource["requester"] = {"display": program.therapist.name}
        if exercise.regions:
            resource["bodySite"] = [{"text": REGIONS.get(r, r)} for r in exercise.regions]
        if words:
            resource["patientInstruction"] = words
        if any(notes):
            resource["note"] = [{"text": note} for note in notes if note]
        return self._add("ServiceRequest", row_id, resource)

    # ---- visits, re-evaluations, measures -----------------------------------------------

    def _encounter(
        self, row_id: str, kind: tuple[str, str], on: date, therapist: str, patient_ref: dict[str, str]
    ) -> dict[str, str]:
        resource: dict[str, Any] = {
            "status": "finished",
            "class": {"system": ACT_CODE, "code": "AMB", "display": "ambulatory"},
            "type": [{"coding": [self._coding("visit-kinds", *kind)], "text": kind[1]}],
            "subject": patient_ref,
            "period": {"start": on.isoformat(), "end": on.isoformat()},
        }
        if therapist:
            resource["participant"] = [{"individual": {"display": therapist}}]
        return self._add("Encounter", row_id, resource)

    def _visit(self, visit: Visit, patient_ref: dict[str, str]) -> None:
        kind = (visit.kind, VISIT_KINDS.get(visit.kind, visit.kind))
        therapist = self._therapist_name(visit.therapist_id)
        self._encounter(f"visit-{visit.id}", kind, visit.visited_on, therapist, patient_ref)

    def _evaluation(self, evaluation: Evaluation, patient_ref: dict[str, str]) -> None:
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
            self._add("Observation", value.id, resource)

    def _pain_report(self, report: DayReport, patient_ref: dict[str, str]) -> None:
        measure = self.measures["pain_nrs"]
        resource = self._observation(measure, float(report.pain or 0), report.day, patient_ref)
        resource["performer"] = [patient_ref]  # the patient rated it on the phone page
        if report.comment:
            resource["note"] = [{"text": report.comment}]
        self._add("Observation", f"day-report-{report.id}", resource)

    def _observation(self, measure: Measure, value: float, on: date, patient_ref: dict[str, str]) -> dict[str, Any]:
        codings = [self._coding("outcome-measures", measure.key, measure.name)]
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

    def _questionnaire_response(self, questionnaire: Questionnaire, patient_ref: dict[str, str]) -> None:
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
            "questionnaire": f"{self.base}/fhir/Questionnaire/between-visits",
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
        self._add("QuestionnaireResponse", questionnaire.id, resource)

    def _injection(self, injection: Injection, patient_ref: dict[str, str]) -> None:
        identifier = [{"system": f"{self.base}/fhir/sid/injection-id", "value": str(injection.id)}]
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
                self._add("MedicationAdministration", f"{dose.id}-{side}", resource)


# Why an exercise given is on hold (given.moved_since), for the clinician who reads the bundle.
_ON_HOLD = {
    CHECK_FIRST: "On hold: the patient's dystonia pattern, recorded since it was given, flags this way to move. "
    "The patient waits for the therapist's check.",
    STOP_FOR_NEW_SHEET: "On hold: the patient's dystonia pattern, recorded since it was given, changes this way "
    "to move. The patient stops it until the therapist gives the new sheet.",
    NOT_SET: "On hold: the way to move is not set for the patient as recorded now. The patient waits for the therapist.",
    SIDE_NOT_SET: "On hold: the side to use is not set for the patient as recorded now. "
    "The patient waits for the therapist.",
}

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
