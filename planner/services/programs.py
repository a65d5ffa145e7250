"""Home programs: create, change item by item, issue, version, copy — one clinic at a time."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import CursorResult, Select, bindparam, insert, literal, null, or_, select, tuple_, update
from sqlalchemy.orm import Session, aliased, configure_mappers, joinedload, selectinload

from planner.bidi import isolate
from planner.dosage import SIDES, dosage_problems
from planner.dystonia.movement import ExerciseSpec
from planner.dystonia.pattern import NECK
from planner.i18n import ENGLISH, translator
from planner.models import DystoniaPattern, Exercise, Patient, Program, ProgramItem, ProgramVersion, VersionGiving
from planner.models.base import MAX_ID, UTCDateTime
from planner.models.program import COMPACT, GIVEN_WAYS, HANDOUT_LAYOUTS
from planner.schedule import frequency_stated
from planner.scoping import CLINIC_SCOPED, belongs_to, get_scoped, is_shared, scoped, visible_to
from planner.services import DomainError, NotFound, day_counts, reminders
from planner.services.calendar_window import Window, beyond_window, check_in_window
from planner.services.clinic_time import clinic_zone, local_today
from planner.services.coverage import GOALS, Coverage, coverage, goals_for, own_work_words
from planner.services.given import (
    last_frozen,
)
from planner.services.paper_state import reads_otherwise
from planner.services.patient_links import link_works, newest_link_columns
from planner.services.patterns import (
    exercise_spec,
    item_direction,
    patient_pattern,
    proposed_side,
    refuse_unset_directions,
)
from planner.services.reevaluation import (  # next_reevaluation: also read as programs.next_reevaluation
    latest_evaluation,
    next_reevaluation,
)
from planner.services.reminders import Schedule
from planner.services.versions import snapshot

TITLE_MAX = 120
NOTE_MAX = 1000
REEVAL_MAX_DAYS = 365
# More than a patient can do in a day, and the tick sheet stays a few pages; every handout is
# tested with this many exercises at the longest text the forms allow.
ITEMS_MAX = 40
# Above this many exercises the builder warns, and a template start or the next stage keeps to it
# (short programs are followed better): config.toml's [programs] max_exercises as shipped, the
# value a service uses when called without the site's (tests/test_settings.py holds them equal).
MAX_EXERCISES = 6


class Conflict(DomainError):
    """The program changed since the page was loaded; saving would overwrite someone's work."""

    def __init__(self) -> None:
        super().__init__(
            "This program was changed by someone else since you opened it. "
            "Your change was not saved: look at the program as it is now, then make it again."
        )


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
    re-evaluation date reads it), one row each, joined; and its items with their exercises in
    one more statement (not one for the items and another for their exercises). Made at first
    use: `outcome_plan` is a backref, which exists once the mappers are configured."""
    configure_mappers()
    return (
        joinedload(Program.patient).joinedload(Patient.outcome_plan),  # type: ignore[attr-defined]
        selectinload(Program.items).joinedload(ProgramItem.exercise),
    )


def get_program(session: Session, clinic_id: int, program_id: int, whole: bool = False) -> Program:
    """The program; `whole`: with its patient and the patient's outcome plan in the same
    statement, and its items with their exercises (the builder and the handout read them).

    :raise NotFound: when the program is not in this clinic.
    """
    return get_scoped(session, Program, clinic_id, program_id, _whole() if whole else ())


class BuilderProgram(NamedTuple):
    """get_program_for_builder's answer."""

    program: Program  # with its patient, outcome plan, items and their exercises (get_program's `whole`)
    phone_link: bool  # whether the patient has a working phone link (patient_links.current_link)
    latest_evaluation: date | None  # the day of its latest re-evaluation: next_reevaluation's `latest`
    other_active: bool  # whether the patient has another program not archived (active_programs names them)


@functools.cache
def _for_builder() -> Select[Any]:
    """get_program_for_builder's statement, built once: get_program's `whole` statement with the
    newest link of the patient, the day of the latest re-evaluation and whether the patient has
    another active program beside the program's row, and the patient's recorded patterns joined (the page reads the current one for every item: a
    lazy load of its own cost a statement and more work than the join)."""
    configure_mappers()  # Patient.dystonia_patterns is a backref
    link_id, link_expires = newest_link_columns(Program.patient_id)
    other = aliased(Program)
    other_active = (
        select(other.id)
        .where(other.patient_id == Program.patient_id, other.archived_at.is_(None), other.id != Program.id)
        .exists()
    )
    return (
        scoped(Program, bindparam("clinic_id"))
        .where(Program.id == bindparam("program_id"))
        .add_columns(
            link_id.label("link_id"),
            link_expires.label("link_expires"),
            latest_evaluation(Program.id).label("latest_evaluation"),
            other_active.label("other_active"),
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
    active program (the header then names them: active_programs), in one statement.

    :raise NotFound: when the program is not in this clinic.
    """
    if not 1 <= program_id <= MAX_ID:
        raise NotFound(CLINIC_SCOPED[Program])
    # One row per recorded pattern (the join), every one read so the list is whole; unique() folds
    # them into the program's one.
    rows = session.execute(_for_builder(), {"clinic_id": clinic_id, "program_id": program_id}).unique().all()
    if not rows:
        raise NotFound(CLINIC_SCOPED[Program])
    row = rows[0]
    latest = row.latest_evaluation
    return BuilderProgram(
        row.Program,
        row.link_id is not None and link_works(row.link_expires, now),
        date.fromisoformat(latest) if isinstance(latest, str) else latest,  # max() of a date is text on SQLite
        bool(row.other_active),
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


def _begin_change(session: Session, program: Program, lock_version: int | None, now: datetime) -> None:
    """Claim the right to change the program, and start a new version if the current one was issued.

    The lock is one conditional UPDATE, so of two saves made from the same page only the
    first wins, whichever worker serves them.
    :raise Conflict: when the program changed since lock_version was read.
    """
    expected = program.lock_version if lock_version is None else lock_version
    claimed = session.execute(
        update(Program)
        .where(Program.id == program.id, Program.lock_version == expected)
        .values(lock_version=expected + 1)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], claimed).rowcount != 1:
        session.rollback()
        raise Conflict()
    program.lock_version = expected + 1
    if program.issued:
        program.version += 1
        program.issued = False
        program.version_date = now
    program.updated_at = now


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
    _begin_change(session, program, lock_version, now)
    _apply_details(program, details)
    session.flush()
    reminders.sync_program(session, program, now, schedule)


def _check_item(dosage: dict[str, Any], side: str, note: str, exercise: Exercise | None = None) -> dict[str, Any]:
    dosage = {k: v for k, v in dosage.items() if v not in (None, "")}
    problems = dosage_problems(dosage)
    if problems:
        where, message = problems[0]
        raise DomainError(f"{where.split('.')[-1].replace('_', ' ').capitalize()}: {message}.", where.split(".")[-1])
    if side not in ("", *SIDES):
        raise DomainError("Choose no side, left, right or both.", "side")
    spec = exercise_spec(exercise) if exercise is not None else None
    if spec is not None and spec.directional and side and side not in spec.sides:
        if not spec.sides:
            raise DomainError(f"“{isolate(exercise.name)}” goes one way only: it takes no side.", "side")  # type: ignore[union-attr]
        raise DomainError("Choose the side the head goes: " + " or ".join(spec.sides) + ".", "side")
    if spec is not None and not spec.directional and side and side not in spec.sides:
        raise DomainError(
            f"“{isolate(exercise.name)}” works both sides the same way: choose no side or both sides.",  # type: ignore[union-attr]
            "side",
        )
    if len(note) > NOTE_MAX:
        raise DomainError(f"The note is too long: at most {NOTE_MAX} characters.", "note")
    return dosage


def _item(program: Program, item_id: int) -> ProgramItem:
    for item in program.items:
        if item.id == item_id:
            return item
    raise NotFound("That exercise of the program")


def _renumber(program: Program) -> None:
    for position, item in enumerate(program.items, start=1):
        item.position = position


OTHER_SIDE = {"left": "right", "right": "left"}


def _numbered(positions: list[int]) -> str:
    """ "exercise 3" or "exercises 2 and 5"."""
    if len(positions) == 1:
        return f"exercise {positions[0]}"
    return "exercises " + ", ".join(map(str, positions[:-1])) + f" and {positions[-1]}"


def second_copy_side(name: str, spec: ExerciseSpec, copies: list[tuple[int, str]]) -> str:
    """The side an exercise already in the program takes when it is added again: the other side
    of its one copy, so the patient reads two different exercises ("" when it is not in yet).

    name: the exercise's name as the sentence shows it (planner.bidi.isolate: a Hebrew or Arabic
    name in its own direction); spec: its [pattern] table; copies: (position, side as printed:
    the side set, else the pattern's) of each copy already in the program.
    Only an exercise that may take left or right (a limb, a side of the head) is added twice,
    as the other side: a second copy of anything else is the same exercise twice, which the
    patient would read as a mistake, or do twice as often as meant.
    :raise DomainError: (field "exercise") when it takes no left and right, when it is in twice
        already, or when its copy has no one side (both, or none set) to take the other of.
    """
    if not copies:
        return ""
    where = _numbered([position for position, _ in copies])
    if not {"left", "right"} <= set(spec.sides):
        raise DomainError(
            f"“{name}” is already in the program ({where}). It has no left and right, so it is not "
            "added twice. Change its dosage there instead.",
            "exercise",
        )
    if len(copies) > 1:
        raise DomainError(f"“{name}” is already in the program for both sides ({where}).", "exercise")
    side = copies[0][1]
    if side not in OTHER_SIDE:
        setting = "for both sides" if side == "both" else "with no side set"
        raise DomainError(
            f"“{name}” is already in the program ({where}), {setting}. Set it to left or right first. "
            "Then add it again for the other side.",
            "exercise",
        )
    return OTHER_SIDE[side]


def add_item(
    session: Session,
    program: Program,
    exercise: Exercise,
    lock_version: int | None,
    now: datetime,
    dosage: dict[str, Any] | None = None,
    side: str = "",
    note: str = "",
) -> ProgramItem:
    """Add an exercise at the end, with the catalog's default dosage unless one is given.

    Without a side, a direction-specific exercise keeps none of its own: it follows the patient's
    pattern as it is now and after every re-evaluation (patterns.item_direction). Only a side the
    therapist chose is stored, so a pattern's side never passes for the therapist's.
    An exercise already in the program is added again only for the other side of its copy, set
    on the new item (second_copy_side); `side` is then ignored.
    :raise DomainError: for a retired exercise, a bad dosage, a program that already holds
        ITEMS_MAX exercises, or a copy second_copy_side refuses; :raise Conflict: for a stale page.
    """
    if exercise.retired:
        raise DomainError(f"“{isolate(exercise.name)}” is retired from the catalog and cannot be added.", "exercise")
    if len(program.items) >= ITEMS_MAX:
        raise DomainError(
            f"This program has {ITEMS_MAX} exercises, the most it can hold. Remove one to add another.", "exercise"
        )
    if not visible_to(exercise, program.clinic_id):
        raise NotFound("That exercise")
    same = [item for item in program.items if item.exercise_id == exercise.id]
    if same:
        pattern = patient_pattern(program.patient)
        copies = [(item.position, item_direction(item, pattern).side) for item in same]
        side = second_copy_side(isolate(exercise.name), exercise_spec(exercise), copies)
    checked = _check_item(dict(exercise.dosage if dosage is None else dosage), side, note, exercise)
    _begin_change(session, program, lock_version, now)
    item = ProgramItem(exercise=exercise, dosage=checked, side=side, note=note.strip(), position=len(program.items) + 1)
    program.items.append(item)
    session.flush()
    return item


def update_item(
    session: Session,
    program: Program,
    item_id: int,
    dosage: dict[str, Any],
    side: str,
    note: str,
    lock_version: int | None,
    now: datetime,
) -> None:
    """Save one exercise's dosage, side and note. The side sent is the therapist's: a side saved
    by an earlier release (side_to_confirm) counts as confirmed once saved through the form,
    which showed it beside the pattern's.

    :raise DomainError: for a bad dosage, naming its field; :raise Conflict: for a stale page.
    """
    item = _item(program, item_id)
    checked = _check_item(dosage, side, note, item.exercise)
    _refuse_same_side(program, item, side)
    _begin_change(session, program, lock_version, now)
    item.dosage, item.side, item.note = checked, side, note.strip()
    item.side_to_confirm = False
    session.flush()


def _refuse_same_side(program: Program, item: ProgramItem, side: str) -> None:
    """A second copy of an exercise is for the other side (second_copy_side): a side set on one
    copy may not be the side of the other, or both sides.

    :raise DomainError: (field "side") naming the other copy and its side.
    """
    others = [other for other in program.items if other.exercise_id == item.exercise_id and other.id != item.id]
    if not side or not others:
        return
    pattern = patient_pattern(program.patient)
    for other in others:
        taken = item_direction(other, pattern).side
        if taken and (taken == side or "both" in (taken, side)):
            raise DomainError(
                f"Exercise {other.position} is “{isolate(item.exercise.name)}” for {SIDE_WORDS[taken]} already. "
                "Choose the other side, or remove one of the two.",
                "side",
            )


SIDE_WORDS = {"left": "the left side", "right": "the right side", "both": "both sides"}


def confirm_side(
    session: Session, program: Program, item_id: int, keep: bool, lock_version: int | None, now: datetime
) -> ProgramItem:
    """Settle a side saved by an earlier release (ProgramItem.side_to_confirm): keep it as the
    therapist's choice, or clear it so the item follows the patient's pattern.

    :raise NotFound: for an item not in the program; :raise Conflict: for a stale page.
    """
    item = _item(program, item_id)
    _begin_change(session, program, lock_version, now)
    if not keep:
        item.side = ""
    item.side_to_confirm = False
    session.flush()
    return item


def set_directions_from_pattern(
    session: Session, program: Program, lock_version: int | None, now: datetime
) -> list[ProgramItem]:
    """Make every direction-specific exercise whose side the therapist set follow the patient's
    pattern again, where the pattern gives a side: its own side is cleared (not copied from the
    pattern), so it follows later re-evaluations too.

    Returns the items that changed (none: nothing is saved, no new version is started).
    :raise Conflict: for a stale page.
    """
    changes = [
        item
        for item in program.items
        if item.side and exercise_spec(item.exercise).sided and proposed_side(item.exercise, program.patient)
    ]
    if not changes:
        return []
    _begin_change(session, program, lock_version, now)
    for item in changes:
        item.side = ""
        item.side_to_confirm = False
    session.flush()
    return changes


def move_item(
    session: Session, program: Program, item_id: int, offset: int, lock_version: int | None, now: datetime
) -> None:
    """Move an exercise up (offset −1) or down (+1); at either end it stays."""
    item = _item(program, item_id)
    items = list(program.items)
    index = items.index(item)
    target = min(max(index + offset, 0), len(items) - 1)
    _begin_change(session, program, lock_version, now)
    if target != index:
        items.insert(target, items.pop(index))
        program.items[:] = items  # keeps the rows; the relationship order follows position
        _renumber(program)
    session.flush()


def remove_item(session: Session, program: Program, item_id: int, lock_version: int | None, now: datetime) -> None:
    item = _item(program, item_id)
    _begin_change(session, program, lock_version, now)
    program.items.remove(item)
    _renumber(program)
    session.flush()


def step_options(session: Session, program: Program, item_id: int, which: str) -> list[Exercise]:
    """The exercises an item can be replaced with: its progressions or regressions, not retired."""
    from planner.services.catalog import exercises_by_slug

    item = _item(program, item_id)
    slugs = item.exercise.progression if which == "progression" else item.exercise.regression
    return [e for e in exercises_by_slug(session, program.clinic_id, list(slugs)) if not e.retired]


def replace_item(
    session: Session, program: Program, item_id: int, which: str, lock_version: int | None, now: datetime
) -> ProgramItem:
    """Swap an exercise for its first progression or regression in one step, keeping side and note.

    :raise DomainError: when the exercise has none.
    """
    options = step_options(session, program, item_id, which)
    item = _item(program, item_id)
    if not options:
        word = "harder" if which == "progression" else "easier"
        raise DomainError(f"“{isolate(item.exercise.name)}” has no {word} version in the catalog.")
    _begin_change(session, program, lock_version, now)
    item.exercise = options[0]
    item.dosage = dict(options[0].dosage)
    if exercise_spec(options[0]).sided and item.side not in exercise_spec(options[0]).sides:
        item.side = ""  # follows the pattern
    elif exercise_spec(options[0]).directional and not exercise_spec(options[0]).sided:
        item.side = ""
    session.flush()
    return item


def set_archived(
    session: Session, program: Program, archived: bool, now: datetime, schedule: Schedule = Schedule()
) -> None:
    """Archive the program (its reminders stop) or bring it back (they follow `schedule` again)."""
    program.archived_at = now if archived else None
    session.flush()
    reminders.sync_program(session, program, now, schedule)


def renew_if_paper_changed(session: Session, program: Program, now: datetime) -> bool:
    """Start the next version (not yet given) of a program given to the patient whose paper would
    read otherwise now, with no edit of the program (paper_changed). Call before making a handout,
    so the paper carries the number and date of the version that will be frozen with it. True
    when one was started; nothing changes otherwise."""
    if not paper_changed(session, program):
        return False
    program.version += 1
    program.issued = False
    program.version_date = now
    return True


def paper_changed(session: Session, program: Program) -> bool:
    """Whether a program given to the patient, not edited since, would print otherwise now: its
    directions changed since (a re-evaluation moved the pattern) or a clinic's own exercise of it
    was edited since (paper_state.reads_otherwise). Then the next handout is a new version (renew_if_paper_changed).
    Reads only; False for a program not given as it is (its next handout is its current version)."""
    return program.issued and reads_otherwise(session, program)


# Programs holding a clinic's own exercise saved after the program's version was started: one of
# them may read otherwise than the version given (_written_otherwise says).
_EDITED_SINCE = (
    select(ProgramItem.program_id)
    .join(Exercise, Exercise.id == ProgramItem.exercise_id)
    .where(ProgramItem.program_id == Program.id, ~is_shared(Exercise))
    .where(Exercise.updated_at > Program.version_date)
    .exists()
)


def renew_changed_papers(session: Session, now: datetime) -> int:
    """renew_if_paper_changed for every active program given to a patient with a recorded dystonia
    pattern, or holding a clinic's own exercise saved since its version was started (only a pattern
    or such an edit changes the paper without an edit of the program, and an edit starts a new
    version already), before an export of them all; returns how many new versions were started."""
    candidates = session.scalars(
        select(Program)
        .join(Patient, Patient.id == Program.patient_id)
        .where(
            Program.archived_at.is_(None),
            Patient.archived_at.is_(None),
            Program.issued.is_(True),
            or_(Program.patient_id.in_(select(DystoniaPattern.patient_id)), _EDITED_SINCE),
        )
        .order_by(Program.id)
    ).all()
    return sum(renew_if_paper_changed(session, program, now) for program in candidates)


# A program with no exercise gives the patient nothing to do; given, it would take the phone page
# ("Today is a rest day") from the program the patient holds.
EMPTY = "This program has no exercises yet. Add at least one before you print, email or share it."


def refuse_empty(program: Program) -> None:
    """:raise DomainError: (EMPTY) when the program has no exercise: nothing empty is given."""
    if not program.items:
        raise DomainError(EMPTY)


def issue(session: Session, program: Program, user_id: int | None, how: str, now: datetime) -> ProgramVersion:
    """Mark the current version as given to the patient (print, email, share) and freeze a copy of it.

    Every call records a giving (`how`, `now`, `user_id`) on the version, so the Versions page
    lists each time the same paper went out. Issuing the same version again returns the copy
    already frozen, unless a direction it printed
    from the pattern has changed since (a re-evaluation) or a clinic's own exercise of it was edited
    since: then a new version is started and frozen, so the copy always says what the new paper says. Sides the pattern gives are not stored on the
    items: they keep following the pattern, and the builder says when the paper differs
    (`changed_directions`).
    :raise DirectionsNotSet: (a DomainError) while a direction-specific exercise has no side.
    :raise DomainError: (EMPTY) for a program with no exercise.
    :raise ValueError: for a `how` not in models.program.GIVEN_WAYS (the Versions pages name each).
    """
    if how not in GIVEN_WAYS:
        raise ValueError(f"not a way to give a version: {how!r}")
    refuse_empty(program)
    refuse_unset_directions(program)
    renew_if_paper_changed(session, program, now)
    if program.issued:
        existing = session.scalars(
            select(ProgramVersion).where(
                ProgramVersion.program_id == program.id, ProgramVersion.number == program.version
            )
        ).first()
        if existing is not None:
            existing.givings.append(VersionGiving(how=how, given_at=now, given_by_id=user_id))
            return existing
    frozen = snapshot(program, next_reevaluation(program))
    # Today's ticks of an exercise whose way to move changes now were for the paper before.
    day_counts.note_ticked_before(session, program, frozen, last_frozen(session, program.id), now)
    version = ProgramVersion(
        program=program, number=program.version, created_at=now, issued_by_id=user_id, how=how, snapshot=frozen
    )
    version.givings.append(VersionGiving(how=how, given_at=now, given_by_id=user_id))
    session.add(version)
    program.issued = True
    program.paper_moved_on = None  # the paper given now follows the pattern
    session.flush()
    return version


@dataclass(frozen=True)
class Printed:
    """A handout made from a program as it was read: which version it shows, and what it says."""

    program_id: int
    version: int
    lock_version: int
    snapshot: dict[str, Any]
    clinic_id: int  # for the clinic's day of the ticks already made (day_counts.note_ticked_before)

    @property
    def id(self) -> int:
        """The program's id (day_counts.ProgramKey)."""
        return self.program_id


def printed(program: Program) -> Printed:
    """What a handout built from `program` just now shows (read it with its items and evaluations).

    :raise DirectionsNotSet: while a direction-specific exercise has no side (no handout is made).
    """
    refuse_unset_directions(program)
    frozen = snapshot(program, next_reevaluation(program))
    return Printed(program.id, program.version, program.lock_version, frozen, program.clinic_id)


def issue_printed(session: Session, handouts: list[Printed], how: str, now: datetime) -> int:
    """Issue many printed versions at once (the export); returns how many were newly issued.

    Each program is claimed by a conditional UPDATE: one changed since its handout was read
    (another lock_version), or already issued, is left as it is, so a frozen copy always says
    what the handout printed. Each handout whose program still holds that version, issued now or
    before, gets a giving `how` at `now` (by no one: a command).
    """
    if not handouts:
        return 0
    printed_as = {(h.program_id, h.version, h.lock_version): h for h in handouts}
    # One statement for the lot: only rows still as they were read, and not yet issued, change.
    changed = session.execute(
        update(Program)
        .where(tuple_(Program.id, Program.version, Program.lock_version).in_(list(printed_as)))
        .where(Program.issued.is_(False))
        .values(issued=True, paper_moved_on=None)
        .returning(Program.id, Program.version, Program.lock_version)
        .execution_options(synchronize_session=False)
    )
    claimed = [printed_as[(row[0], row[1], row[2])] for row in changed]
    for h in claimed:  # as programs.issue does: today's ticks of what moves now were for the paper before
        day_counts.note_ticked_before(session, h, h.snapshot, last_frozen(session, h.program_id), now)
    if claimed:
        session.execute(
            insert(ProgramVersion),
            [
                {
                    "program_id": h.program_id,
                    "number": h.version,
                    "created_at": now,
                    "issued_by_id": None,
                    "how": how,
                    "snapshot": h.snapshot,
                }
                for h in claimed
            ],
        )
    # The versions these handouts show, now all issued (claimed above or given before): one row each.
    session.execute(
        insert(VersionGiving).from_select(
            ["version_id", "how", "given_at", "given_by_id"],
            select(ProgramVersion.id, literal(how), literal(now, UTCDateTime()), null())
            .join(Program, Program.id == ProgramVersion.program_id)
            .where(ProgramVersion.number == Program.version, Program.issued.is_(True))
            .where(tuple_(Program.id, Program.version, Program.lock_version).in_(list(printed_as))),
        )
    )
    return len(claimed)


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
