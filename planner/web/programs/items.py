"""The builder's exercise actions: add, change dosage, move, step up or down, remove."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from planner.db import get_session
from planner.dystonia.direction import NEEDS_PATTERN, NEEDS_SIDE
from planner.models import Program, ProgramItem
from planner.services import DomainError, NotFound, program_changes, program_items, program_templates, stages
from planner.services.catalog import get_exercise
from planner.services.patterns import exercise_spec, item_direction, patient_pattern, proposed_side
from planner.web import isolate, log_patient, patient_viewed
from planner.web.forms import show_error
from planner.web.programs.forms import STALE_PAGE, AddItemForm, ItemForm, Locked, fit_side_field
from planner.web.programs.routes import bp, limit, load, now, render_builder


def back(program: Program, anchor: str = "") -> Any:
    """Back to the builder, keeping the add panel's search."""
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k in ("q", "category", "region")}
    return redirect(url_for("programs.edit", program_id=program.id, **args) + anchor)


def audit(program: Program, detail: str) -> None:
    log_patient("update", program.patient_id, detail=detail, subject_type="program", subject_id=program.id)


def refused(program: Program, error: DomainError) -> Any:
    """The change undone and its reason flashed; an exercise that cannot be added opens the page
    at the add panel, where the exercise's row says why in place of its button."""
    get_session().rollback()
    flash(error.message, "error")
    return back(program, "#add" if error.field == "exercise" else "")


@dataclass(frozen=True)
class Done:
    """What the builder says after a change: where the page opens (an anchor such as "#item-3")
    and the lines flashed as success (none for a move: the list shows it)."""

    anchor: str = ""
    said: list[str] = field(default_factory=list)
    warned: list[str] = field(default_factory=list)  # flashed as warnings, after `said`


def change(
    program: Program,
    act: Callable[[int], Done],
    form: Locked | None = None,
    invalid: Callable[[], str] = lambda: STALE_PAGE,
) -> Any:
    """The answer to one of the builder's small forms (a `Locked` one, the default, or a form of
    that kind): when it validates, `act(lock_version)` calls the service and audits what it did;
    then the change is committed, `Done.said` flashed and the builder shown at `Done.anchor`.
    When it does not validate: `invalid()` flashed (called after validation, so it may read the
    form's errors), nothing changed.

    :raise NotFound: (a 404) as `act` raised it; any other DomainError is rolled back and flashed.
    """
    form = Locked() if form is None else form
    if not form.validate_on_submit():
        flash(invalid(), "error")
        return back(program)
    try:
        done = act(int(form.lock_version.data))
        get_session().commit()
    except NotFound:
        raise
    except DomainError as e:
        return refused(program, e)
    for line in done.said:
        flash(line, "success")
    for line in done.warned:
        flash(line, "warning")
    return back(program, done.anchor)


def added_warnings(program: Program, item: ProgramItem) -> list[str]:
    """What the therapist should know at once about an exercise just added: that the recorded
    pattern gives it no way to move (a turning exercise for a head pulled forward), with what the
    builder will say at it."""
    direction = item_direction(item, patient_pattern(program.patient))
    return [w.message for w in direction.warnings if w.kind in (NEEDS_PATTERN, NEEDS_SIDE)]


def added_words(program: Program, item: ProgramItem) -> str:
    """ "Added “Wrist bends”." or, for a second copy (set to the other side): which side, and why."""
    name = isolate(item.exercise.name)
    first = next((other for other in program.items if other.exercise_id == item.exercise_id), item)
    if first is item:
        return f"Added “{name}”."
    return (
        f"Added “{name}” again, for the {item.side} side: exercise {first.position} is for the "
        f"{program_items.OTHER_SIDE[item.side]} side."
    )


@bp.post("/programs/<int:program_id>/items")
@login_required
def add_item(program_id: int) -> Any:
    """:raise 404: for a program or custom exercise of another clinic."""
    db = get_session()
    program = load(program_id)
    form = AddItemForm()

    def add(lock: int) -> Done:
        exercise = get_exercise(db, current_user.clinic_id, form.exercise.data)
        item = program_items.add_item(db, program, exercise, lock, now())
        audit(program, f"added {exercise.slug}")
        return Done(f"#item-{item.id}", [added_words(program, item)], added_warnings(program, item))

    return change(program, add, form, invalid=lambda: " ".join(form.form_errors) or "Choose an exercise to add.")


@bp.post("/programs/<int:program_id>/items/<int:item_id>")
@login_required
def update_item(program_id: int, item_id: int) -> Any:
    """Save one exercise's dosage, side and note; errors show at the field.

    :raise 404: for a program of another clinic or an item not in it.
    """
    db = get_session()
    program = load(program_id)
    item = next((i for i in program.items if i.id == item_id), None)
    if item is None:
        raise NotFound("That exercise of the program")
    form = ItemForm(prefix=f"item{item.id}")
    fit_side_field(form, exercise_spec(item.exercise), proposed_side(item.exercise, program.patient))
    if form.validate_on_submit():
        try:
            program_items.update_item(
                db,
                program,
                item.id,
                form.dosage(),
                form.side.data,
                form.note.data or "",
                int(form.lock_version.data),
                now(),
            )
            audit(program, f"dosage of {item.exercise.slug}")
            db.commit()
        except program_changes.Conflict as e:
            return refused(program, e)
        except DomainError as e:
            db.rollback()
            show_error(form, e.field, e.message)
        else:
            flash(f"Saved “{isolate(item.exercise.name)}”.", "success")
            return back(program, f"#item-{item.id}")
    db.refresh(program)
    return render_builder(program, item_forms={item.id: form}, status=422)


@bp.post("/programs/<int:program_id>/items/<int:item_id>/move/<direction>")
@login_required
def move_item(program_id: int, item_id: int, direction: str) -> Any:
    """:raise 404: for a program of another clinic, an item not in it, or an unknown direction."""
    if direction not in ("up", "down"):
        raise NotFound()
    db = get_session()
    program = load(program_id)

    def move(lock: int) -> Done:
        program_items.move_item(db, program, item_id, -1 if direction == "up" else 1, lock, now())
        audit(program, f"moved item {item_id} {direction}")
        return Done(f"#item-{item_id}")

    return change(program, move)


@bp.post("/programs/<int:program_id>/items/<int:item_id>/replace/<which>")
@login_required
def replace_item(program_id: int, item_id: int, which: str) -> Any:
    """Step to the progression (harder) or regression (easier) in one click.

    :raise 404: for a program of another clinic, an item not in it, or an unknown step.
    """
    if which not in ("progression", "regression"):
        raise NotFound()
    db = get_session()
    program = load(program_id)

    def replace(lock: int) -> Done:
        item = program_items.replace_item(db, program, item_id, which, lock, now())
        audit(program, f"replaced item {item_id} with its {which} {item.exercise.slug}")
        return Done(f"#item-{item_id}", [f"Replaced with “{isolate(item.exercise.name)}”, at its usual dosage."])

    return change(program, replace)


@bp.route("/programs/<int:program_id>/items/<int:item_id>/remove", methods=["GET", "POST"])
@login_required
def remove_item(program_id: int, item_id: int) -> Any:
    """Ask first, then remove the exercise from the program.

    :raise 404: for a program of another clinic or an item not in it.
    """
    db = get_session()
    program = load(program_id)
    item = next((i for i in program.items if i.id == item_id), None)
    if item is None:
        raise NotFound("That exercise of the program")
    form = Locked()
    if request.method == "GET":
        form.lock_version.data = program.lock_version
    elif form.validate_on_submit():  # else the page asks again, with what was wrong

        def remove(lock: int) -> Done:
            program_items.remove_item(db, program, item.id, lock, now())
            audit(program, f"removed {item.exercise.slug}")
            return Done(said=[f"Removed “{isolate(item.exercise.name)}”."])

        return change(program, remove, form)  # validates it again: the same answer
    patient_viewed(program.patient_id, "remove exercise form", "program", program.id)
    return render_template("programs/remove_item.html", program=program, item=item, form=form)


@bp.post("/programs/<int:program_id>/directions")
@login_required
def set_directions(program_id: int) -> Any:
    """Make the directions the therapist chose follow the patient's recorded pattern again.

    :raise 404: for a program of another clinic.
    """
    db = get_session()
    program = load(program_id)

    def follow(lock: int) -> Done:
        changed = program_items.set_directions_from_pattern(db, program, lock, now())
        if not changed:
            return Done("#exercises", ["Every direction already follows the pattern."])
        audit(program, "directions follow the pattern: " + ", ".join(i.exercise.slug for i in changed))
        names = ", ".join(f"“{isolate(i.exercise.name)}”" for i in changed)
        return Done("#exercises", [f"These now follow the pattern: {names}."])

    return change(program, follow)


@bp.post("/programs/<int:program_id>/items/<int:item_id>/side/<choice>")
@login_required
def confirm_side(program_id: int, item_id: int, choice: str) -> Any:
    """Settle a side saved by an earlier release: "keep" it as the therapist's, or let the
    "pattern" decide (services.program_items.confirm_side).

    :raise 404: for a program of another clinic, an item not in it, or another choice.
    """
    if choice not in ("keep", "pattern"):
        raise NotFound()
    db = get_session()
    program = load(program_id)

    def confirm(lock: int) -> Done:
        item = program_items.confirm_side(db, program, item_id, choice == "keep", lock, now())
        side = item.side or "the pattern's side"
        audit(program, f"side of {item.exercise.slug} confirmed: {side}")
        return Done(f"#item-{item.id}", [f"“{isolate(item.exercise.name)}” now uses {side}."])

    return change(program, confirm)


@bp.post("/programs/<int:program_id>/next-stage")
@login_required
def add_next_stage(program_id: int) -> Any:
    """Add the next retraining stage's exercises offered for this patient, in one step, and retire
    the earlier ones the therapist ticked (form field `retire`, item ids; none when unticked).

    :raise 404: for a program of another clinic.
    """
    db = get_session()
    program = load(program_id)
    retire = [int(n) for n in request.form.getlist("retire") if n.isdigit()]

    def add_stage(lock: int) -> Done:
        added, retired = stages.add_next_stage(db, program, lock, now(), retire, limit())
        audit(
            program,
            "next stage: "
            + ", ".join(i.exercise.slug for i in added)
            + (f"; retired: {', '.join(retired)}" if retired else ""),
        )
        said = ["Added for the next stage: " + ", ".join(f"“{isolate(i.exercise.name)}”" for i in added) + "."]
        if retired:
            said.append("Retired from the program: " + ", ".join(f"“{isolate(name)}”" for name in retired) + ".")
        return Done(f"#item-{added[0].id}", said)

    return change(program, add_stage)


@bp.post("/programs/<int:program_id>/from-template/<int:template_id>/not-added")
@login_required
def add_not_added(program_id: int, template_id: int) -> Any:
    """Add, in one step, the template's exercises the start did not add to keep the program short
    (form field `items`: their places in the template's items, space-separated; one short field,
    as the form travels in the flashed message, in the session cookie).

    :raise 404: for a program or template of another clinic.
    """
    db = get_session()
    program = load(program_id)
    template = program_templates.get_template(db, current_user.clinic_id, template_id)
    places = [int(n) for n in request.form.get("items", "").split() if n.isdigit()]

    def add(lock: int) -> Done:
        added = program_templates.add_not_added(db, template, program, places, lock, now(), limit())
        audit(program, "added from the template: " + ", ".join(i.exercise.slug for i in added))
        warned = [line for item in added for line in added_warnings(program, item)]
        return Done(f"#item-{added[0].id}", [" ".join(added_words(program, item) for item in added)], warned)

    return change(program, add)
