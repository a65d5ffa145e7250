"""Record a patient's dystonia pattern; every recording is kept and dated."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from planner.bidi import isolate
from planner.db import get_session
from planner.dystonia.pattern import JAW, NECK, PatternEntry
from planner.models import Program
from planner.services import DomainError, DomainErrors, given, patients, patterns
from planner.services.clinic_time import clinic_zone, local_today
from planner.web import log_patient
from planner.web.forms import show_error
from planner.web.patterns.forms import PatternFields, PatternForm

bp = Blueprint("patterns", __name__)
# The patient page and the evaluations list read the pattern at a date through these.
bp.add_app_template_global(patterns.pattern_at_evaluation, "pattern_at_evaluation")
# Flask annotates the value as a callable, but any value becomes a template global (a dict here).
bp.add_app_template_global(NECK, "pattern_components")  # type: ignore[arg-type]
bp.add_app_template_global(JAW, "jaw_components")  # type: ignore[arg-type]


def show_problems(form: Any, fields: PatternFields, errors: Iterable[DomainError]) -> None:
    """Put each service error next to its field: a pattern field of `fields`, else a field of
    `form` (or above it). A field that already shows an error (the form's own check) keeps
    just that one, so every wrong field says one thing, all at once."""
    for error in errors:
        owner = fields if error.field and error.field in fields else form
        target = getattr(owner, error.field, None) if error.field else None
        if target is not None and getattr(target, "errors", None):
            continue
        show_error(owner, error.field, error.message)


def marks_nothing(entry: PatternEntry) -> bool:
    """Nothing marked on the pattern's fields: no part graded, no tremor, no area (a note alone
    marks nothing; a sensory trick does). Saving it records "No dystonia seen", so the page asks first: a blank form is
    more often a slip than a finding."""
    return not any(entry.severities.values()) and not entry.tremor and not entry.areas and not entry.trick


def nothing_confirmed() -> bool:
    """The therapist answered the page's question: yes, no dystonia is seen (the button of
    patterns/_confirm_empty.html, a plain form field, so it works without JavaScript)."""
    return request.form.get("confirm_empty") == "1"


def errors_of(error: DomainError) -> list[DomainError]:
    """The errors a service raised: several at once (DomainErrors), or the one."""
    return error.errors if isinstance(error, DomainErrors) else [error]


@bp.route("/patients/<int:patient_id>/pattern", methods=["GET", "POST"])
@login_required
def record(patient_id: int) -> Any:
    """Record the pattern as it is today (or on another date up to today); the form starts from the current one.

    :raise 404: for a patient of another clinic.
    """
    db = get_session()
    patient = patients.get_patient(db, current_user.clinic_id, patient_id)
    current = patterns.current_pattern(patient)
    if request.method == "GET":
        form = PatternForm(
            formdata=None,
            data={"pattern": PatternFields.data_of(patterns.entry_of(current.data if current else None, note=False))},
        )
        form.recorded_on.data = local_today(clinic_zone(db, patient.clinic_id), datetime.now(UTC))
        log_patient("view", patient.id, detail="dystonia pattern form")
        db.commit()
    else:
        form = PatternForm()
    form.born = patient.date_of_birth
    valid = form.validate_on_submit()
    if request.method == "POST" and not valid:
        # The date or the note is wrong: say what else is, too, so nothing needs a second try.
        show_problems(form, form.pattern.form, patterns.pattern_problems(form.pattern.form.entry()))
    # Nothing marked: ask before "No dystonia seen" is recorded; nothing is saved until confirmed.
    ask_empty = valid and marks_nothing(form.pattern.form.entry()) and not nothing_confirmed()
    if valid and not ask_empty and patterns.no_change(patient, form.pattern.form.entry(), form.recorded_on.data):
        # Saved again as it stands (a second click, a page reloaded): no identical history entry.
        flash("No change to the pattern: nothing new was recorded.", "info")
        return redirect(url_for("patients.show", patient_id=patient.id) + "#pattern-h")
    if valid and not ask_empty:
        try:
            row = patterns.record_pattern(
                db,
                patient,
                form.pattern.form.entry(),
                form.recorded_on.data,
                current_user.id,
                datetime.now(UTC),
            )
            log_patient(
                "update", patient.id, detail="dystonia pattern", subject_type="dystonia_pattern", subject_id=row.id
            )
            moved = given.note_moved_papers(db, patient)
            db.commit()
        except DomainError as e:
            db.rollback()
            show_problems(form, form.pattern.form, errors_of(e))
        else:
            said = Markup("The pattern is recorded. Earlier ones stay in its history.") + moved_papers_words(moved)
            flash(said, "warning" if moved else "success")
            return redirect(url_for("patients.show", patient_id=patient.id) + "#pattern-h")
    return render_template("patterns/form.html", form=form, patient=patient, current=current, ask_empty=ask_empty), (
        422 if form.errors else 200
    )


def moved_papers_words(moved: list[Program]) -> Markup:
    """What the therapist reads, after recording a pattern, of each program whose paper it moved
    (given.note_moved_papers): the paper now differs, with a link to the builder's "Print the new
    version". Markup: the titles escaped and isolated; empty for none."""
    said = Markup("")
    for program in moved:
        said += Markup(
            ' The paper handout of “{}” now differs from the pattern: <a href="{}">print the new version</a>.'
        ).format(isolate(program.title), url_for("programs.edit", program_id=program.id) + "#paper-differs")
    return said
