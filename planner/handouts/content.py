"""What a handout says, read from the program as plain values (no layout, no reportlab).

The same Program, coverage and dosage wording as the builder page, so nothing is typed twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from planner.dosage import in_words
from planner.handouts import words
from planner.models import Clinic, Program
from planner.models.program import COMPACT
from planner.services.coverage import GOALS
from planner.services.programs import next_reevaluation, program_coverage


@dataclass(frozen=True)
class ExerciseBlock:
    number: int
    slug: str
    name: str
    side: str
    picture: dict[str, Any]
    photo: bytes | None
    dosage: str
    steps: list[str]
    note: str
    cautions: list[str]
    times_per_day: int | None


@dataclass(frozen=True)
class HandoutContent:
    clinic_name: str
    clinic_contact: list[str]
    clinic_phone: str
    clinic_email: str
    patient_name: str
    large_print: bool
    therapist_name: str
    title: str
    version: int
    version_date: date
    version_moment: datetime
    check_up: str
    goals_text: str
    goals: list[str]
    how_often: str
    how_long: str
    exercises: list[ExerciseBlock]
    advice: list[str]
    advice_text: str
    visit_plan: str
    online_url: str | None
    layout: str = "compact"  # or "page": each exercise on a page of its own (Program.handout_layout)


def _local(moment: datetime, zone: str) -> datetime:
    try:
        return moment.astimezone(ZoneInfo(zone))
    except (KeyError, ValueError):  # an unknown zone name: the date in UTC is still right to a day
        return moment


def handout_content(session: Session, program: Program, now: datetime, online_url: str | None = None) -> HandoutContent:
    """Everything the handout shows, from the program as it is now.

    `now` only decides whether the next check-up date has passed (then the patient is asked to
    book one); the output does not otherwise depend on the clock.
    """
    patient = program.patient
    clinic = session.get(Clinic, program.clinic_id)
    zone = clinic.timezone if clinic else "UTC"
    cover = program_coverage(program)
    therapist = program.therapist or patient.primary_therapist
    exercises = []
    for number, item in enumerate(program.items, start=1):
        exercise = item.exercise
        exercises.append(
            ExerciseBlock(
                number=number,
                slug=exercise.slug,
                name=exercise.name,
                side=item.side,
                picture=dict(exercise.picture or {}),
                photo=exercise.photo if exercise.photo_mime else None,
                dosage=in_words(item.dosage, item.side),
                steps=list(exercise.steps),
                note=item.note,
                cautions=list(exercise.cautions),
                times_per_day=item.dosage.get("times_per_day"),
            )
        )
    version_moment = _local(program.version_date, zone)
    return HandoutContent(
        clinic_name=clinic.name if clinic else "",
        clinic_contact=[v for v in ((clinic.address, clinic.phone, clinic.email) if clinic else ()) if v],
        clinic_phone=clinic.phone if clinic else "",
        clinic_email=clinic.email if clinic else "",
        patient_name=patient.name,
        large_print=bool(patient.large_print),
        therapist_name=therapist.name if therapist else "",
        title=program.title,
        version=program.version,
        version_date=version_moment.date(),
        version_moment=version_moment,
        check_up=words.check_up(next_reevaluation(program), _local(now, zone).date()),
        goals_text=program.goals,
        goals=[words.GOALS[g] for g in GOALS if g in cover.goals_covered],
        how_often=program.frequency,
        how_long=words.how_long(cover.session_minutes, cover.day_minutes),
        exercises=exercises,
        advice=list(program.advice),
        advice_text=program.advice_text,
        visit_plan=program.visit_plan,
        online_url=online_url,
        layout=program.handout_layout or COMPACT,
    )
