"""What a handout says, read from the program as plain values (no layout, no reportlab).

The same Program, coverage and dosage wording as the builder page, so nothing is typed twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from planner.handouts import words
from planner.models import Clinic, Program
from planner.schedule import schedule_sentences
from planner.services.coverage import GOALS, due_days
from planner.services.patterns import prescription_words, program_directions
from planner.services.programs import next_reevaluation, program_coverage


@dataclass(frozen=True)
class ExerciseBlock:
    number: int
    slug: str
    name: str
    side: str  # the side the picture is drawn for: "left" mirrors it (planner/dystonia/direction.py)
    picture: dict[str, Any]
    photo: bytes | None
    dosage: str
    steps: list[str]
    note: str
    cautions: list[str]
    times_per_day: int | None
    due_days: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)  # weekdays it is done, Monday 0 (coverage.due_days)


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
    directions = program_directions(program)
    for number, (item, direction) in enumerate(zip(program.items, directions, strict=True), start=1):
        exercise = item.exercise
        exercises.append(
            ExerciseBlock(
                number=number,
                slug=exercise.slug,
                name=exercise.name,
                side="left" if direction.mirrored else "right",
                picture=dict(exercise.picture or {}),
                photo=exercise.photo if exercise.photo_mime else None,
                dosage=prescription_words(direction, item.dosage),
                steps=list(exercise.steps),
                note=item.note,
                cautions=list(exercise.cautions),
                times_per_day=item.dosage.get("times_per_day"),
                due_days=due_days(item.dosage.get("days_per_week")),
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
        how_often=words.how_often(schedule_sentences(cover.frequencies), program.frequency),
        how_long=words.how_long(cover.session_minutes, cover.day_minutes, cover.minutes_by_day),
        exercises=exercises,
        advice=list(program.advice),
        advice_text=program.advice_text,
        visit_plan=program.visit_plan,
        online_url=online_url,
    )
