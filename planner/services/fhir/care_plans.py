"""A program as FHIR: a CarePlan of what the patient was given (its last given version) and, while
the program differs from it, one of the program as it is now (a draft); a Goal for the
therapist's goals and one per goal covered; a ServiceRequest per exercise (how often as a
Timing, the dosage's numbers as an extension, the direction and dosage in words from
planner/dosage.py as the patient reads them).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from planner.catalog.translations import in_language
from planner.catalog.vocabulary import CATEGORIES, REGIONS
from planner.dosage import LIMITS
from planner.dystonia.sentences import NOT_SET, SIDE_NOT_SET, STOP_FOR_NEW_SHEET
from planner.i18n import ENGLISH
from planner.models import Exercise, Program
from planner.services.coverage import GOALS
from planner.services.fhir.entries import Entries, instant
from planner.services.given import Given, GivenItem, given_version
from planner.services.paper_state import last_given
from planner.services.patterns import (
    CHECK_FIRST,
    item_direction,
    patient_pattern,
    prescription_words,
    told_apart,
    twice,
)
from planner.services.programs import program_coverage
from planner.services.reevaluation import next_reevaluation
from planner.services.versions import snapshot_coverage

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


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


class CarePlans:
    """Writes each program's CarePlans, Goals and ServiceRequests into `out`."""

    def __init__(self, session: Session, out: Entries) -> None:
        self.session, self.out = session, out

    def care_plan(self, program: Program, patient_ref: dict[str, str], condition_ref: dict[str, str] | None) -> None:
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
            period["end"] = instant(program.archived_at)
        resource: dict[str, Any] = {
            "identifier": said["identifier"],
            "status": status,
            "intent": "plan",
            "category": [{"text": "Home exercise program"}],
            "title": said["title"],
            "subject": patient_ref,
            "period": period,
            "created": instant(program.created_at),
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
        return {"system": f"{self.out.base}/fhir/sid/program-id", "value": str(program.id)}

    def _given_plan(
        self, program: Program, handed: Given, patient_ref: dict[str, str], condition_ref: dict[str, str] | None
    ) -> dict[str, str]:
        """The CarePlan of the version given (its snapshot: given.py): its words, goals and exercises
        as the patient's paper says them. Returns a Reference to it."""
        frozen = handed.snapshot
        status = "completed" if program.archived else "active"
        plan_ref = self.out.ref("CarePlan", program.id)
        start = frozen.get("start_date") or program.start_date.isoformat()
        covered = snapshot_coverage(frozen).goals_covered
        goal_refs = self._goals(program.id, frozen.get("goals", ""), covered, status, start, patient_ref)
        activity_refs = [self._given_request(program, handed, item, plan_ref, patient_ref) for item in handed.items]
        given_on = (handed.given_at or program.version_date).date().isoformat()
        version_id = {"system": f"{self.out.base}/fhir/sid/program-version", "value": f"{program.id}-{handed.version}"}
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
        return self.out.add("CarePlan", program.id, resource)

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
        plan_ref = self.out.ref("CarePlan", key)
        start = program.start_date.isoformat()
        covered = program_coverage(program).goals_covered
        goal_refs = self._goals(key, program.goals, covered, status, start, patient_ref)
        pattern = patient_pattern(program.patient)
        activity_refs = []
        twins = twice(item.exercise_id for item in program.items)
        for item in program.items:
            direction = item_direction(item, pattern)
            words = prescription_words(direction, item.dosage)
            name = in_language(item.exercise, ENGLISH)  # its side in its name where it is in twice
            activity_refs.append(
                self._request(
                    item.id,
                    status,
                    item.exercise,
                    told_apart(name, item.exercise, direction.side).name if item.exercise_id in twins else name.name,
                    item.dosage,
                    words,
                    [item.note],
                    instant(program.version_date),
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
        self.out.add("CarePlan", key, resource)

    def _goals(
        self, key: Any, goals: str, covered: list[str], status: str, start: str, patient_ref: dict[str, str]
    ) -> list[dict[str, str]]:
        """A Goal for the therapist's goals and one for each of the three goals covered (`status`: a
        plan's status; Goal.lifecycleStatus from it)."""
        lifecycle = {"completed": "completed", "revoked": "cancelled", "draft": "proposed"}.get(status, status)
        common = {"lifecycleStatus": lifecycle, "subject": patient_ref, "startDate": start}
        refs = []
        if goals:
            refs.append(self.out.add("Goal", f"program-{key}", {**common, "description": {"text": goals}}))
        for goal in covered:
            description = {"coding": [self.out.coding("program-goals", goal, GOALS[goal])], "text": GOALS[goal]}
            refs.append(self.out.add("Goal", f"program-{key}-{goal}", {**common, "description": description}))
        return refs

    def _given_request(
        self, program: Program, handed: Given, item: GivenItem, plan_ref: dict[str, str], patient_ref: dict[str, str]
    ) -> dict[str, str]:
        """A ServiceRequest of the given version: its name (a clinic's own exercise as given), dosage,
        direction and note as the paper printed them. On hold while the phone page tells the patient
        to wait for the therapist (given.moved_since: a re-evaluation since made its way to move wrong)."""
        status = "completed" if program.archived else "on-hold" if item.wait else "active"
        notes = [item.note, _ON_HOLD.get(item.wait, "") if status == "on-hold" else ""]
        given_at = instant(handed.given_at or program.version_date)
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
        category = self.out.coding("exercise-categories", exercise.category, CATEGORIES.get(exercise.category, ""))
        resource: dict[str, Any] = {
            "status": status,
            "intent": "plan",
            "category": [{"coding": [category]}],
            "code": {"coding": [self.out.coding("exercises", exercise.slug, name)], "text": name},
            "basedOn": [plan_ref],
            "subject": patient_ref,
            "authoredOn": authored,
        }
        if dosage:
            resource["extension"] = [dosage_extension(self.out.base, dosage)]
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
        return self.out.add("ServiceRequest", row_id, resource)


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
