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
from planner.catalog.translations import ExerciseText, in_language
from planner.dystonia.direction import Direction
from planner.handouts import words
from planner.i18n import ENGLISH
from planner.languages import shipped_text
from planner.mail import shown_address
from planner.models import Clinic, Exercise, Program
from planner.models.program import COMPACT
from planner.schedule import patient_note
from planner.services import UNREAD, Unread
from planner.services.coverage import Coverage, coverage, due_days, times_a_day
from planner.services.given import Given
from planner.services.patterns import prescription_words, program_directions, stop_rules, told_apart, twice
from planner.services.reevaluation import kept_next_reevaluation, next_reevaluation


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
    # How many times a day (1 or more), worked out once from the dosage by coverage.times_a_day,
    # as the phone page's ticks are: the boxes a day and "(2 times a day)" on the tick sheet.
    times_per_day: int | None
    due_days: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)  # weekdays it is done, Monday 0 (coverage.due_days)
    language: str = ENGLISH  # the handout's: the fixed words of the block (the caution's lead)
    translated: bool = True  # False: name, steps, tips and cautions print as written (no translation)
    # The language its text is in (catalog.translations.ExerciseText.language): None when no one
    # knows (a clinic's own exercise that does not read as English).
    text_language: str | None = ENGLISH
    tips: tuple[str, ...] = ()
    # The words `name` ends with that tell it from the other copy of its exercise, by side ("(left
    # hand)": ExerciseText.side_words); "" for an exercise in once. The tick sheet never cuts them.
    side_words: str = ""


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
    # A preview (build.build_preview): not given to the patient, and every page says so.
    preview: bool = False
    # The clinic's paper (Clinic.paper_size: "letter" or "a4"), read as it is now for a given
    # version too, like the clinic's address: None, the site's [handouts] page_size.
    paper_size: str | None = None
    # The patient's own stop rules (patterns.stop_rules: a recorded head tremor's), printed with the
    # safety rule; from the pattern as it is now for a given version too: a rule to stop, never a
    # way to move, so one recorded since the paper was given is said at once.
    stop_rules: tuple[str, ...] = ()


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
    next_version: bool = False,
    check_up: date | None | Unread = UNREAD,
    cover: Coverage | None = None,
) -> HandoutContent:
    """Everything the handout shows, from the program as it is now, in `language`.

    `language` is the patient's handout language (planner.languages.handout_language): the
    fixed words, the dosage, dates, the catalog's exercises and the shipped texts follow it;
    what has no translation prints as written (and is named in `as_written` and on each block).
    `now` only decides whether the next check-up date has passed (then the patient is asked to
    book one); the output does not otherwise depend on the clock. `directions`:
    program_directions(program), and `check_up`: next_reevaluation(program), when the caller (the
    builder) has worked them out already. `next_version`: number and date the paper as the version
    a print would start now (issuing.renew_if_paper_changed: the program's number + 1, dated
    `now`), for a preview. `cover`: the coverage of the program's items as they are now
    (programs.program_coverage), when the caller has it: its frequencies and minutes do not
    depend on the limit or the goals checked.
    """
    directions = program_directions(program) if directions is None else directions
    twins = twice(item.exercise_id for item in program.items)
    rows = []
    for item, direction in zip(program.items, directions, strict=True):
        text = in_language(item.exercise, language)
        if item.exercise_id in twins:  # given once for each side: the name says which (as GivenItem.text does)
            text = told_apart(text, item.exercise, direction.side, language)
        rows.append((item.exercise, text, item.dosage, item.note, direction))
    said = Said(
        title=program.title,
        goals=program.goals,
        frequency=program.frequency,
        visit_plan=program.visit_plan,
        advice=list(program.advice),
        advice_text=program.advice_text,
        layout=program.handout_layout or COMPACT,
        version=program.version + 1 if next_version else program.version,
        version_date=now if next_version else program.version_date,
        check_up=next_reevaluation(program) if check_up is UNREAD else check_up,
    )
    return _content(session, program, said, rows, now, online_url, language, cover)


@dataclass(frozen=True)
class Said:
    """The program's own words and dates a handout prints: as they are now, or as a version froze them."""

    title: str
    goals: str
    frequency: str  # the note on when to exercise
    visit_plan: str
    advice: list[str]
    advice_text: str
    layout: str
    version: int
    version_date: datetime
    check_up: date | None  # the next re-evaluation


def tip_lines(advice: list[str], advice_text: str) -> list[str]:
    """The tips a patient reads, a line each: the ticked advice lines, then the therapist's own
    advice a tip a line (its blank lines dropped). Both as the caller gives them (already in
    the patient's language where they are shipped so). The handout's tips (closing.tips_parts)
    and the phone page's list (given_tips) read them here."""
    return [*advice, *(line for line in advice_text.splitlines() if line.strip())]


def given_tips(handed: Given, language: str) -> list[str]:
    """The tips of a given version (its snapshot's advice and the therapist's own), as that
    version's handout prints them in `language` (given_content): each line in the language
    where the planner ships it so, else as the therapist wrote it. [] without advice."""
    frozen = handed.snapshot
    advice = [shipped_text(line, language) or line for line in frozen.get("advice", [])]
    advice_text = frozen.get("advice_text", "")
    return tip_lines(advice, shipped_text(advice_text, language) or advice_text)


def given_content(
    session: Session,
    handed: Given,
    now: datetime,
    online_url: str | None = None,
    language: str = ENGLISH,
) -> HandoutContent:
    """What the handout of a given version shows (the phone page's PDF), from its snapshot: the
    exercises, dosages, directions, notes and the program's own words as the paper said them, never
    the therapist's edits since, and a clinic's own exercise in its words as given (GivenItem.text).
    The clinic, therapist and patient are read as they are now, and the next re-evaluation's date;
    the catalog's steps, cautions and pictures too (handout_content's other rules hold)."""
    frozen = handed.snapshot
    program = handed.program
    given_at = handed.given_at or program.version_date
    said = Said(
        title=frozen.get("title", program.title),
        goals=frozen.get("goals", ""),
        frequency=frozen.get("frequency", ""),
        visit_plan=frozen.get("visit_plan", ""),
        advice=list(frozen.get("advice", [])),
        advice_text=frozen.get("advice_text", ""),
        layout=frozen.get("handout_layout") or COMPACT,
        version=handed.version,
        # Frozen before the version's date was kept: the day it was given.
        version_date=datetime.fromisoformat(frozen["version_date"]) if frozen.get("version_date") else given_at,
        # The date as it is now, not as the paper printed it: a moved date is an appointment, not a way
        # to move, and the phone page says it changed (paper_state.check_up_moved). As the row keeps
        # it: the phone's PDF reads no evaluations.
        check_up=kept_next_reevaluation(program),
    )
    rows = [(item.exercise, item.text(language), item.dosage, item.note, item.direction) for item in handed.items]
    return _content(session, program, said, rows, now, online_url, language)


def _content(
    session: Session,
    program: Program,
    program_said: Said,
    rows: list[tuple[Exercise, ExerciseText, dict[str, Any], str, Direction]],
    now: datetime,
    online_url: str | None,
    language: str,
    cover: Coverage | None = None,
) -> HandoutContent:
    """handout_content from plain values: the program's words and each exercise with its words in
    the handout's language, dosage, note and direction (`cover`: the coverage of those rows, when
    the caller has it)."""
    patient = program.patient
    clinic = session.get(Clinic, program.clinic_id)
    zone = clinic.timezone if clinic else "UTC"
    if cover is None:
        cover = coverage((exercise.category, exercise.regions, dosage) for exercise, _, dosage, _, _ in rows)
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
    for number, (exercise, text, dosage, note, direction) in enumerate(rows, start=1):
        exercises.append(
            ExerciseBlock(
                number=number,
                slug=exercise.slug,
                name=text.name,
                side="left" if direction.mirrored else "right",
                picture=start_in(dict(exercise.picture or {}), direction.start_posture),
                photo=exercise.photo if exercise.photo_mime else None,
                dosage=prescription_words(direction, dosage, language),
                steps=text.steps,
                note=note,
                cautions=text.cautions,
                times_per_day=times_a_day(dosage),
                due_days=due_days(dosage.get("days_per_week")),
                language=language,
                translated=text.translated,
                text_language=text.language,
                tips=tuple(text.tips),
                side_words=text.side_words,
            )
        )
    version_moment = _local(program_said.version_date, zone)
    clinic_email = shown_address(clinic.email) if clinic else ""  # the patient reads its domain in Unicode
    return HandoutContent(
        clinic_name=clinic.name if clinic else "",
        clinic_contact=[v for v in ((clinic.address, clinic.phone, clinic_email) if clinic else ()) if v],
        clinic_phone=clinic.phone if clinic else "",
        clinic_email=clinic_email,
        patient_name=patient.name,
        large_print=bool(patient.large_print),
        therapist_name=therapist.name if therapist else "",
        title=shipped("Program title", program_said.title),
        version=program_said.version,
        version_date=version_moment.date(),
        version_moment=version_moment,
        check_up=said.check_up(program_said.check_up, _local(now, zone).date()),
        goals_text=shipped("Goals", program_said.goals),
        how_often=said.how_often(cover.frequencies, shipped("How often", patient_note(program_said.frequency))),
        how_long=said.how_long(cover),
        exercises=exercises,
        advice=[shipped(f"Advice: “{line}”", line) for line in program_said.advice],
        advice_text=shipped("Other advice", program_said.advice_text),
        visit_plan=shipped("Visit plan", program_said.visit_plan),
        online_url=online_url,
        layout=program_said.layout,
        language=language,
        as_written=tuple(as_written),
        paper_size=clinic.paper_size if clinic else None,
        stop_rules=stop_rules(patient, language),
    )
