"""The builder's exercise actions: add, change dosage, move, step up or down, remove."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from planner.db import get_session
from planner.models import Program
from planner.services import DomainError, NotFound, programs, stages
from planner.services.catalog import get_exercise
from planner.services.patterns import exercise_spec, proposed_side
from planner.web import log_patient
from planner.web.forms import show_error
from planner.web.programs.forms import AddItemForm, ItemForm, Locked, fit_side_field
from planner.web.programs.routes import bp, load, now, render_builder


def back(program: Program, anchor: str = "") -> Any:
    """Back to the builder, keeping the add panel's search."""
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k in ("q", "category", "region")}
    return redirect(url_for("programs.edit", program_id=program.id, **args) + anchor)


def audit(program: Program, detail: str) -> None:
    log_patient("update", program.patient_id, detail=detail, subject_type="program", subject_id=program.id)


def refused(program: Program, error: DomainError) -> Any:
    get_session().rollback()
    flash(error.message, "error")
    return back(program)


@bp.post("/programs/<int:program_id>/items")
@login_required
def add_item(program_id: int) -> Any:
    """:raise 404: for a program or custom exercise of another clinic."""
    db = get_session()
    program = load(program_id)
    form = AddItemForm()
    if not form.validate_on_submit():
        flash(" ".join(form.form_errors) or "Choose an exercise to add.", "error")
        return back(program)
    try:
        exercise = get_exercise(db, current_user.clinic_id, form.exercise.data)
        item = programs.add_item(db, program, exercise, int(form.lock_version.data), now())
        audit(program, f"added {exercise.slug}")
        db.commit()
    except NotFound:
        raise
    except DomainError as e:
        return refused(program, e)
    flash(f"Added “{exercise.name}”.", "success")
    return back(program, f"#item-{item.id}")


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
            programs.update_item(
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
        except programs.Conflict as e:
            return refused(program, e)
        except DomainError as e:
            db.rollback()
            show_error(form, e.field, e.message)
        else:
            flash(f"Saved “{item.exercise.name}”.", "success")
            return back(program, f"#item-{item.id}")
    db.refresh(program)
    return render_builder(program, item_forms={item.id: form}, status=422)


def _simple(program_id: int, item_id: int, action: str) -> Any:
    db = get_session()
    program = load(program_id)
    form = Locked()
    if not form.validate_on_submit():
        flash("The page was out of date. Try again.", "error")
        return back(program)
    lock = int(form.lock_version.data)
    try:
        if action == "up" or action == "down":
            programs.move_item(db, program, item_id, -1 if action == "up" else 1, lock, now())
            audit(program, f"moved item {item_id} {action}")
        elif action in ("progression", "regression"):
            item = programs.replace_item(db, program, item_id, action, lock, now())
            audit(program, f"replaced item {item_id} with its {action} {item.exercise.slug}")
            flash(f"Replaced with “{item.exercise.name}”, at its usual dosage.", "success")
        db.commit()
    except NotFound:
        raise
    except DomainError as e:
        return refused(program, e)
    return back(program, f"#item-{item_id}")


@bp.post("/programs/<int:program_id>/items/<int:item_id>/move/<direction>")
@login_required
def move_item(program_id: int, item_id: int, direction: str) -> Any:
    """:raise 404: for a program of another clinic, an item not in it, or an unknown direction."""
    if direction not in ("up", "down"):
        raise NotFound()
    return _simple(program_id, item_id, direction)


@bp.post("/programs/<int:program_id>/items/<int:item_id>/replace/<which>")
@login_required
def replace_item(program_id: int, item_id: int, which: str) -> Any:
    """Step to the progression (harder) or regression (easier) in one click.

    :raise 404: for a program of another clinic, an item not in it, or an unknown step.
    """
    if which not in ("progression", "regression"):
        raise NotFound()
    return _simple(program_id, item_id, which)


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
    elif form.validate_on_submit():
        name = item.exercise.name
        try:
            programs.remove_item(db, program, item.id, int(form.lock_version.data), now())
            audit(program, f"removed {item.exercise.slug}")
            db.commit()
        except DomainError as e:
            return refused(program, e)
        flash(f"Removed “{name}”.", "success")
        return back(program)
    return render_template("programs/remove_item.html", program=program, item=item, form=form)


@bp.post("/programs/<int:program_id>/directions")
@login_required
def set_directions(program_id: int) -> Any:
    """Make the directions the therapist chose follow the patient's recorded pattern again.

    :raise 404: for a program of another clinic.
    """
    db = get_session()
    program = load(program_id)
    form = Locked()
    if not form.validate_on_submit():
        flash("The page was out of date. Try again.", "error")
        return back(program)
    try:
        changed = programs.set_directions_from_pattern(db, program, int(form.lock_version.data), now())
        if changed:
            audit(program, "directions follow the pattern: " + ", ".join(i.exercise.slug for i in changed))
        db.commit()
    except DomainError as e:
        return refused(program, e)
    if changed:
        flash("These now follow the pattern: " + ", ".join(f"“{i.exercise.name}”" for i in changed) + ".", "success")
    else:
        flash("Every direction already follows the pattern.", "success")
    return back(program, "#exercises")


@bp.post("/programs/<int:program_id>/items/<int:item_id>/side/<choice>")
@login_required
def confirm_side(program_id: int, item_id: int, choice: str) -> Any:
    """Settle a side saved by an earlier release: "keep" it as the therapist's, or let the
    "pattern" decide (services.programs.confirm_side).

    :raise 404: for a program of another clinic, an item not in it, or another choice.
    """
    if choice not in ("keep", "pattern"):
        raise NotFound()
    db = get_session()
    program = load(program_id)
    form = Locked()
    if not form.validate_on_submit():
        flash("The page was out of date. Try again.", "error")
        return back(program)
    try:
        item = programs.confirm_side(db, program, item_id, choice == "keep", int(form.lock_version.data), now())
        kept = item.side or "the pattern's side"
        audit(program, f"side of {item.exercise.slug} confirmed: {item.side or 'follows the pattern'}")
        db.commit()
    except NotFound:
        raise
    except DomainError as e:
        return refused(program, e)
    flash(f"“{item.exercise.name}” now uses {kept}.", "success")
    return back(program, f"#item-{item.id}")


@bp.post("/programs/<int:program_id>/next-stage")
@login_required
def add_next_stage(program_id: int) -> Any:
    """Add the next retraining stage's exercises offered for this patient, in one step, and retire
    the earlier ones the therapist ticked (form field `retire`, item ids; none when unticked).

    :raise 404: for a program of another clinic.
    """
    db = get_session()
    program = load(program_id)
    form = Locked()
    if not form.validate_on_submit():
        flash("The page was out of date. Try again.", "error")
        return back(program)
    retire = [int(n) for n in request.form.getlist("retire") if n.isdigit()]
    try:
        added, retired = stages.add_next_stage(db, program, int(form.lock_version.data), now(), retire)
        audit(
            program,
            "next stage: "
            + ", ".join(i.exercise.slug for i in added)
            + (f"; retired: {', '.join(retired)}" if retired else ""),
        )
        db.commit()
    except DomainError as e:
        return refused(program, e)
    flash("Added for the next stage: " + ", ".join(f"“{i.exercise.name}”" for i in added) + ".", "success")
    if retired:
        flash("Retired from the program: " + ", ".join(f"“{name}”" for name in retired) + ".", "success")
    return back(program, f"#item-{added[0].id}")
