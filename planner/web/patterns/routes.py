"""Record a patient's dystonia pattern; every recording is kept and dated."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from planner.db import get_session
from planner.dystonia.pattern import JAW, NECK
from planner.services import DomainError, patients, pattern_recording, recorded_patterns
from planner.services.clinic_time import clinic_zone, local_today
from planner.web import log_patient
from planner.web.patterns.forms import (
    PatternFields,
    PatternForm,
    errors_of,
    marks_nothing,
    nothing_confirmed,
    show_problems,
)
from planner.web.patterns.moved import moved_papers_words

bp = Blueprint("patterns", __name__)
# The patient page and the evaluations list read the pattern at a date through these.
bp.add_app_template_global(recorded_patterns.pattern_at_evaluation, "pattern_at_evaluation")
# Flask annotates the value as a callable, but any value becomes a template global (a dict here).
bp.add_app_template_global(NECK, "pattern_components")  # type: ignore[arg-type]
bp.add_app_template_global(JAW, "jaw_components")  # type: ignore[arg-type]


@bp.route("/patients/<int:patient_id>/pattern", methods=["GET", "POST"])
@login_required
def record(patient_id: int) -> Any:
    """Record the pattern as it is today (or on another date up to today); the form starts from the current one.

    :raise 404: for a patient of another clinic.
    """
    db = get_session()
    patient = patients.get_patient(db, current_user.clinic_id, patient_id)
    current = recorded_patterns.current_pattern(patient)
    if request.method == "GET":
        form = PatternForm(
            formdata=None,
            data={
                "pattern": PatternFields.data_of(
                    recorded_patterns.entry_of(current.data if current else None, note=False)
                )
            },
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
        show_problems(form, form.pattern.form, recorded_patterns.pattern_problems(form.pattern.form.entry()))
    # Nothing marked: ask before "No dystonia seen" is recorded; nothing is saved until confirmed.
    ask_empty = valid and marks_nothing(form.pattern.form.entry()) and not nothing_confirmed()
    if (
        valid
        and not ask_empty
        and recorded_patterns.no_change(patient, form.pattern.form.entry(), form.recorded_on.data)
    ):
        # Saved again as it stands (a second click, a page reloaded): no identical history entry.
        flash("No change to the pattern: nothing new was recorded.", "info")
        return redirect(url_for("patients.show", patient_id=patient.id) + "#pattern-h")
    if valid and not ask_empty:
        try:
            row, moved = pattern_recording.record(
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
