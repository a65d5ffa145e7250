"""A program's exercises, item by item: read them (load_items), add (a second copy only for the other side), change the
dosage, side and note, confirm a side an earlier release saved, follow the pattern again, move,
remove, swap for a progression or regression. Each edit claims the program first
(program_changes.begin_change)."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from planner.bidi import isolate
from planner.dosage import SIDES, dosage_problems
from planner.dystonia.movement import ExerciseSpec
from planner.models import Exercise, Program, ProgramItem
from planner.scoping import visible_to
from planner.services import DomainError, NotFound
from planner.services.patterns import exercise_spec, item_direction, patient_pattern, proposed_side
from planner.services.program_changes import begin_change


@functools.cache
def _items_of() -> Select[Any]:
    """load_items' statement, built once: a program's items in order (as Program.items lists
    them) with their exercises joined."""
    return (
        select(ProgramItem)
        .options(joinedload(ProgramItem.exercise))
        .where(ProgramItem.program_id == bindparam("program_id"))
        .order_by(ProgramItem.position)
    )


def load_items(session: Session, program: Program) -> Program:
    """`program` with its items and their exercises loaded (Program.items), in one statement built
    once; a program whose items are loaded already keeps them. Not a selectinload: that builds its
    IN statement on every load, which cost the builder and the phone page more than reading the
    items did; nor a join beside the program's row, which would repeat the row per item (and per
    recorded pattern, where those are joined too)."""
    if "items" not in program.__dict__:
        set_committed_value(program, "items", list(session.scalars(_items_of(), {"program_id": program.id})))
    return program


NOTE_MAX = 1000
# More than a patient can do in a day, and the tick sheet stays a few pages; every handout is
# tested with this many exercises at the longest text the forms allow.
ITEMS_MAX = 40


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
    if spec is not None and spec.wording == "easy_hand" and side and side not in spec.sides:
        raise DomainError("Mirror work moves one hand, the easy one: choose left or right.", "side")
    if spec is not None and not spec.directional and side and side not in spec.sides:
        choose = "choose no side or both sides" if spec.offered_sides else "choose no side"
        raise DomainError(
            f"“{isolate(exercise.name)}” works both sides the same way: {choose}.",  # type: ignore[union-attr]
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
    begin_change(session, program, lock_version, now)
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
    begin_change(session, program, lock_version, now)
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
    begin_change(session, program, lock_version, now)
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
    begin_change(session, program, lock_version, now)
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
    begin_change(session, program, lock_version, now)
    if target != index:
        items.insert(target, items.pop(index))
        program.items[:] = items  # keeps the rows; the relationship order follows position
        _renumber(program)
    session.flush()


def remove_item(session: Session, program: Program, item_id: int, lock_version: int | None, now: datetime) -> None:
    item = _item(program, item_id)
    begin_change(session, program, lock_version, now)
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
    begin_change(session, program, lock_version, now)
    item.exercise = options[0]
    item.dosage = dict(options[0].dosage)
    if exercise_spec(options[0]).sided and item.side not in exercise_spec(options[0]).sides:
        item.side = ""  # follows the pattern
    elif exercise_spec(options[0]).directional and not exercise_spec(options[0]).sided:
        item.side = ""
    session.flush()
    return item
