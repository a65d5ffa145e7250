"""Home programs, one clinic at a time: read them (the builder's in one statement), create, change
their details, archive, copy to another patient. Their exercises item by item: program_items.py;
giving a version to the patient: issuing.py; the edit lock both take: program_changes.py.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Select, bindparam, select, true
from sqlalchemy.orm import Session, aliased, configure_mappers, joinedload

from planner.bidi import isolate
from planner.dystonia.pattern import NECK
from planner.i18n import ENGLISH, translator
from planner.models import Patient, Program, ProgramItem
from planner.models.base import MAX_ID
from planner.models.program import COMPACT, HANDOUT_LAYOUTS
from planner.schedule import frequency_stated
from planner.scoping import CLINIC_SCOPED, belongs_to, get_scoped, scoped
from planner.services import DomainError, NotFound, reminders
from planner.services.calendar_window import Window, beyond_window, check_in_window
from planner.services.catalog import stamp_of, stamp_statement
from planner.services.clinic_time import clinic_zone, local_today
from planner.services.coverage import GOALS, Coverage, coverage, goals_for, own_work_words
from planner.services.patient_links import link_works, newest_link_columns
from planner.services.patterns import exercise_spec, patient_pattern
from planner.services.program_changes import begin_change
from planner.services.program_items import load_items
from planner.services.reevaluation import latest_evaluation
from planner.services.reminders import Schedule

TITLE_MAX = 120
REEVAL_MAX_DAYS = 365
# Above this many exercises the builder warns, and a template start or the next stage keeps to it
# (short programs are followed better): config.toml's [programs] max_exercises as shipped, the
# value a service uses when called without the site's (tests/test_settings.py holds them equal).
MAX_EXERCISES = 6


@dataclass
class ProgramDetails:
    title: str
    start_date: date
    goals: str = ""
    frequency: str = ""
    visit_plan: str = ""
    reeval_interval_days: int | None = None
    reeval_date: date | None = None
    advice: list[str] = field(default_factory=list)
    advice_text: str = ""
    handout_layout: str = COMPACT  # or ONE_PER_PAGE (planner.models.program)


def programs_of_patient(session: Session, clinic_id: int, patient_id: int) -> list[Program]:
    return list(
        session.scalars(
            scoped(Program, clinic_id)
            .where(Program.patient_id == patient_id)
            .order_by(Program.archived_at.is_not(None), Program.created_at.desc())
        )
    )


class ActiveProgram(NamedTuple):
    """What the pages name of another active program: a row, not a loaded Program."""

    id: int
    title: str
    start_date: date
    issued: bool
    version: int


# Read on every builder view: a statement built once, its values bound per call.
_ACTIVE = (
    scoped(Program, bindparam("clinic_id"))
    .with_only_columns(Program.id, Program.title, Program.start_date, Program.issued, Program.version)
    .where(Program.patient_id == bindparam("patient_id"), Program.archived_at.is_(None))
    .order_by(Program.created_at.desc(), Program.id.desc())
)


def active_programs(session: Session, patient: Patient, but: int | None = None) -> list[ActiveProgram]:
    """The patient's programs not archived, newest first, leaving out the program `but` (an id).

    More than one is a slip to be told of (a template started twice, a copy, a clinic template):
    the patient follows one program; the others stay until the therapist archives them, which
    keeps their versions, ticks and reports."""
    rows = session.execute(_ACTIVE, {"clinic_id": patient.clinic_id, "patient_id": patient.id})
    return [ActiveProgram(*row) for row in rows if row.id != but]


@functools.cache
def _whole() -> tuple[Any, ...]:
    """Loader options: the program's patient, and the patient's outcome plan (the next
    re-evaluation date reads it), one row each, joined (the items follow: load_items). Made at
    first use: `outcome_plan` is a backref, which exists once the mappers are configured."""
    configure_mappers()
    return (joinedload(Program.patient).joinedload(Patient.outcome_plan),)  # type: ignore[attr-defined]


def get_program(session: Session, clinic_id: int, program_id: int, whole: bool = False) -> Program:
    """The program; `whole`: with its patient and the patient's outcome plan in the same
    statement, and its items with their exercises in one more (program_items.load_items; the
    builder and the handout read them).

    :raise NotFound: when the program is not in this clinic.
    """
    if not whole:
        return get_scoped(session, Program, clinic_id, program_id)
    return load_items(session, get_scoped(session, Program, clinic_id, program_id, _whole()))


class BuilderProgram(NamedTuple):
    """get_program_for_builder's answer."""

    program: Program  # with its patient, outcome plan, items and their exercises (get_program's `whole`)
    phone_link: bool  # whether the patient has a working phone link (patient_links.current_link)
    latest_evaluation: date | None  # the day of its latest re-evaluation: next_reevaluation's `latest`
    other_active: bool  # whether the patient has another program not archived (active_programs names them)
    catalog: tuple[Any, ...]  # the clinic's catalog_stamp, read in the same statement


@functools.cache
def _for_builder(dialect: str) -> Select[Any]:
    """get_program_for_builder's statement, built once: the program with its patient and the
    patient's outcome plan (as get_program's `whole`; the items come by program_items.load_items), the
    newest link of the patient, the day of the latest re-evaluation and whether the patient has
    another active program beside the program's row, and the patient's recorded patterns joined (the page reads the current one for every item: a
    lazy load of its own cost a statement and more work than the join), and the clinic's catalog
    stamp (for the database `dialect`)."""
    configure_mappers()  # Patient.dystonia_patterns is a backref
    link_id, link_expires = newest_link_columns(Program.patient_id)
    other = aliased(Program)
    other_active = (
        select(other.id)
        .where(other.patient_id == Program.patient_id, other.archived_at.is_(None), other.id != Program.id)
        .exists()
    )
    # The clinic's catalog stamp (catalog.catalog_stamp), a one-row aggregate joined beside: the
    # page keys what it keeps per process by it, and a statement of its own cost more than its sum.
    catalog = stamp_statement(dialect).subquery("catalog")
    return (
        scoped(Program, bindparam("clinic_id"))
        .join(catalog, true())
        .where(Program.id == bindparam("program_id"))
        .add_columns(
            link_id.label("link_id"),
            link_expires.label("link_expires"),
            latest_evaluation(Program.id).label("latest_evaluation"),
            other_active.label("other_active"),
            catalog.c.count.label("catalog_count"),
            catalog.c.newest.label("catalog_newest"),
            catalog.c.summed.label("catalog_summed"),
        )
        .options(
            *_whole(),
            joinedload(Program.patient).joinedload(Patient.dystonia_patterns),  # type: ignore[attr-defined]
        )
    )


def get_program_for_builder(session: Session, clinic_id: int, program_id: int, now: datetime) -> BuilderProgram:
    """get_program(whole=True), whether the patient has a working phone link at `now` (the
    builder's header says when a handout would print without its QR code), the day of the
    program's latest re-evaluation (for next_reevaluation) and whether the patient has another
    active program (the header then names them: active_programs), in one statement, and the
    items with their exercises in a second (program_items.load_items).

    :raise NotFound: when the program is not in this clinic.
    """
    if not 1 <= program_id <= MAX_ID:
        raise NotFound(CLINIC_SCOPED[Program])
    # One row per recorded pattern (the join), every one read so the list is whole; unique() folds
    # them into the program's one.
    statement = _for_builder(session.get_bind().dialect.name)
    rows = session.execute(statement, {"clinic_id": clinic_id, "program_id": program_id}).unique().all()
    if not rows:
        raise NotFound(CLINIC_SCOPED[Program])
    row = rows[0]
    program = load_items(session, row.Program)
    latest = row.latest_evaluation
    return BuilderProgram(
        program,
        row.link_id is not None and link_works(row.link_expires, now),
        date.fromisoformat(latest) if isinstance(latest, str) else latest,  # max() of a date is text on SQLite
        bool(row.other_active),
        stamp_of(session, clinic_id, (row.catalog_count, row.catalog_newest, row.catalog_summed)),
    )


def program_coverage(program: Program, limit: int = 6) -> Coverage:
    pattern = patient_pattern(program.patient)
    goals = (
        goals_for(any(p.component in NECK for p in pattern.pulls), bool(pattern.tremor), pattern.areas)
        if pattern is not None
        else tuple(GOALS)
    )
    found = coverage(((i.exercise.category, i.exercise.regions, i.dosage) for i in program.items), limit, goals)
    if goals or pattern is None:
        return found
    return replace(found, goals_not_checked_for=own_work_words(pattern.areas))


def note_states_frequency(said: str) -> str:
    """The error at the note on when to exercise when it says how often or how long (`said`, the
    words found by planner.schedule.frequency_stated)."""
    return translator(ENGLISH).sentence(
        f"This note says how often or how long: “{isolate(said)}”. Set that in each exercise's dosage "
        "(times a day, days a week, minutes); the handout works it out from them. "
        "Keep the note for when or where, for example: before you write."
    )


# A program's dates inside the window ([dates]), by field, with the words a message names them by.
DATES = {"start_date": "start date", "reeval_date": "re-evaluation date"}


def dates_beyond_window(session: Session, program: Program, now: datetime, window: Window = Window()) -> dict[str, str]:
    """What each of the program's saved dates that lies after the window says at its field (saved
    before the window narrowed, or typed before there was one): field -> message
    (calendar_window.beyond_window); {} when none does. The builder shows them as it opens, the
    program keeps the dates until new ones are saved."""
    today = local_today(clinic_zone(session, program.clinic_id), now)
    found = {name: beyond_window(getattr(program, name), today, what, window=window) for name, what in DATES.items()}
    return {name: said for name, said in found.items() if said}


def _check_details(
    details: ProgramDetails, today: date, window: Window, saved: Program | None = None
) -> ProgramDetails:
    """`today` is the clinic's; `saved` is the program as stored, whose dates may stay as they are."""
    title = " ".join(details.title.split())
    if not title:
        raise DomainError("Enter a title for the program.", "title")
    if len(title) > TITLE_MAX:
        raise DomainError(f"The title is too long: at most {TITLE_MAX} characters.", "title")
    if details.start_date is None:
        raise DomainError("Enter the start date.", "start_date")
    for name, what in DATES.items():
        check_in_window(
            getattr(details, name), today, name, what, saved=getattr(saved, name) if saved else None, window=window
        )
    days = details.reeval_interval_days
    if days is not None and not 1 <= days <= REEVAL_MAX_DAYS:
        raise DomainError(f"Re-evaluate every 1 to {REEVAL_MAX_DAYS} days.", "reeval_interval_days")
    if details.reeval_date and details.reeval_date < details.start_date:
        raise DomainError("The re-evaluation date is before the start date.", "reeval_date")
    if details.handout_layout not in HANDOUT_LAYOUTS:
        raise DomainError("Choose how the handout sets out the exercises.", "handout_layout")
    said = frequency_stated(details.frequency)
    if said:  # the handout would print it beside the numbers the dosages give: a second number
        raise DomainError(note_states_frequency(said), "frequency")
    details.title = title
    details.advice = [a for a in dict.fromkeys(details.advice) if a.strip()]
    return details


def _apply_details(program: Program, details: ProgramDetails) -> None:
    for name in ProgramDetails.__dataclass_fields__:
        setattr(program, name, getattr(details, name))


def create_program(
    session: Session,
    patient: Patient,
    details: ProgramDetails,
    therapist_id: int | None,
    now: datetime,
    *,
    window: Window = Window(),
    schedule: Schedule = Schedule(),
) -> Program:
    """A new program; its dates are checked against `window` ([dates]) and its reminders follow
    `schedule` ([reminders]), both the app's settings.

    :raise DomainError: naming the field that is wrong (a date outside calendar_window's window
        too; a note on when to exercise that says how often or how long, note_states_frequency).
    """
    today = local_today(clinic_zone(session, patient.clinic_id), now)
    program = Program(
        clinic_id=patient.clinic_id, patient_id=patient.id, therapist_id=therapist_id, version_date=now, created_at=now
    )
    _apply_details(program, _check_details(details, today, window))
    session.add(program)
    session.flush()
    reminders.sync_program(session, program, now, schedule)
    return program


def update_details(
    session: Session,
    program: Program,
    details: ProgramDetails,
    lock_version: int | None,
    now: datetime,
    *,
    window: Window = Window(),
    schedule: Schedule = Schedule(),
) -> None:
    """Save the details; `window` and `schedule` as for create_program.

    :raise DomainError: for a bad field; :raise Conflict: for a stale page.

    A start or re-evaluation date the program already holds may stay, even when the window
    has since moved past it.
    """
    today = local_today(clinic_zone(session, program.clinic_id), now)
    details = _check_details(details, today, window, saved=program)
    begin_change(session, program, lock_version, now)
    _apply_details(program, details)
    session.flush()
    reminders.sync_program(session, program, now, schedule)


def set_archived(
    session: Session, program: Program, archived: bool, now: datetime, schedule: Schedule = Schedule()
) -> None:
    """Archive the program (its reminders stop) or bring it back (they follow `schedule` again)."""
    program.archived_at = now if archived else None
    session.flush()
    reminders.sync_program(session, program, now, schedule)


def copy_to_patient(
    session: Session,
    program: Program,
    patient: Patient,
    therapist_id: int | None,
    now: datetime,
    *,
    window: Window = Window(),
    schedule: Schedule = Schedule(),
) -> Program:
    """A new program for another patient of the same clinic, with the same content, not yet issued.

    :raise NotFound: for a patient of another clinic.
    """
    if not belongs_to(patient, program.clinic_id):
        raise NotFound("A patient")
    details = ProgramDetails(**{name: getattr(program, name) for name in ProgramDetails.__dataclass_fields__})
    details.advice = list(program.advice)
    details.start_date = now.date()
    details.reeval_date = None
    copy = create_program(session, patient, details, therapist_id, now, window=window, schedule=schedule)
    for item in program.items:
        copy.items.append(
            ProgramItem(
                exercise_id=item.exercise_id,
                dosage=dict(item.dosage),
                # A direction set for one patient's pattern is not the other's: it follows theirs.
                side="" if exercise_spec(item.exercise).directional else item.side,
                note=item.note,
                position=item.position,
            )
        )
    session.flush()
    return copy
