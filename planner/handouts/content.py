"""What a handout says, read from the program as plain values (no layout, no reportlab).

The same Program, coverage and dosage wording as the builder page, so nothing is typed twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from planner.catalog.figure.pattern_start import start_in
from planner.catalog.translations import in_language
from planner.dystonia.direction import Direction
from planner.handouts import words
from planner.i18n import ENGLISH
from planner.languages import shipped_text
from planner.models import Clinic, Program
from planner.models.program import COMPACT
from planner.schedule import patient_note
from planner.services.coverage import due_days
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
    language: str = ENGLISH  # the handout's: the fixed words of the block (the caution's lead)
    translated: bool = True  # False: name, steps, tips and cautions print as written (no translation)
    # The language its text is in (catalog.translations.ExerciseText.language): None when no one
    # knows (a clinic's own exercise that does not read as English).
    text_language: str | None = ENGLISH
    tips: tuple[str, ...] = ()


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
    goals_text: str  # the program's Goals field as written; "" prints no goals
    how_often: str
    how_long: str
    exercises: list[ExerciseBlock]
    advice: list[str]
    advice_text: str
    visit_plan: str
    online_url: str | None
    layout: str = "compact"  # or "page": each exercise on a page of its own (Program.handout_layout)
    language: str = ENGLISH  # the patient's handout language (planner/languages.py)
    # The program's own texts that print as written, not in `language` ("Program title", …):
    # typed by the therapist, or changed since the template or advice list gave them.
    as_written: tuple[str, ...] = ()


def _local(moment: datetime, zone: str) -> datetime:
    try:
        return moment.astimezone(ZoneInfo(zone))
    except (KeyError, ValueError):  # an unknown zone name: the date in UTC is still right to a day
        return moment


def handout_content(
    session: Session,
    program: Program,
    now: datetime,
    online_url: str | None = None,
    language: str = ENGLISH,
    directions: list[Direction] | None = None,
) -> HandoutContent:
    """Everything the handout shows, from the program as it is now, in `language`.

    `language` is the patient's handout language (planner.languages.handout_language): the
    fixed words, the dosage, dates, the catalog's exercises and the shipped texts follow it;
    what has no translation prints as written (and is named in `as_written` and on each block).
    `now` only decides whether the next check-up date has passed (then the patient is asked to
    book one); the output does not otherwise depend on the clock. `directions`:
    program_directions(program), when the caller (the builder) has worked them out already.
    """
    patient = program.patient
    clinic = session.get(Clinic, program.clinic_id)
    zone = clinic.timezone if clinic else "UTC"
    cover = program_coverage(program)
    therapist = program.therapist or patient.primary_therapist
    said = words.of(language)
    as_written: list[str] = []

    def shipped(label: str, text: str) -> str:
        """A program's own text in the handout's language when it is as shipped, else as written."""
        if language == ENGLISH or not text.strip():
            return text
        found = shipped_text(text, language)
        if found is None:
            as_written.append(label)
        return found or text

    exercises = []
    directions = program_directions(program) if directions is None else directions
    for number, (item, direction) in enumerate(zip(program.items, directions, strict=True), start=1):
        exercise = item.exercise
        text = in_language(exercise, language)
        exercises.append(
            ExerciseBlock(
                number=number,
                slug=exercise.slug,
                name=text.name,
                side="left" if direction.mirrored else "right",
                picture=start_in(dict(exercise.picture or {}), direction.start_posture),
                photo=exercise.photo if exercise.photo_mime else None,
                dosage=prescription_words(direction, item.dosage, language),
                steps=text.steps,
                note=item.note,
                cautions=text.cautions,
                times_per_day=item.dosage.get("times_per_day"),
                due_days=due_days(item.dosage.get("days_per_week")),
                language=language,
                translated=text.translated,
                text_language=text.language,
                tips=tuple(text.tips),
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
        title=shipped("Program title", program.title),
        version=program.version,
        version_date=version_moment.date(),
        version_moment=version_moment,
        check_up=said.check_up(next_reevaluation(program), _local(now, zone).date()),
        goals_text=shipped("Goals", program.goals),
        how_often=said.how_often(cover.frequencies, shipped("How often", patient_note(program.frequency))),
        how_long=said.how_long(cover),
        exercises=exercises,
        advice=[shipped(f"Advice: “{line}”", line) for line in program.advice],
        advice_text=shipped("Other advice", program.advice_text),
        visit_plan=shipped("Visit plan", program.visit_plan),
        online_url=online_url,
        layout=program.handout_layout or COMPACT,
        language=language,
        as_written=tuple(as_written),
    )
