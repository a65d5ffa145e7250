"""Record a patient's dystonia pattern; every recording is kept and dated."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from planner.db import get_session
from planner.dystonia.pattern import COMPONENTS
from planner.services import DomainError, patients, patterns
from planner.services.clinic_time import clinic_zone, local_today
from planner.settings import current as app_settings
from planner.web import log_patient
from planner.web.forms import show_error
from planner.web.patterns.forms import PatternFields, PatternForm

bp = Blueprint("patterns", __name__)
# The patient page and the evaluations list read the pattern at a date through these.
bp.add_app_template_global(patterns.pattern_at_evaluation, "pattern_at_evaluation")
# Flask annotates the value as a callable, but any value becomes a template global (a dict here).
bp.add_app_template_global(COMPONENTS, "pattern_components")  # type: ignore[arg-type]


def show_problem(fields: PatternFields, error: DomainError) -> bool:
    """Put a pattern service error next to its field; False when the field is not a pattern field."""
    if error.field and error.field in fields:
        show_error(fields, error.field, error.message)
        return True
    return False


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
            data={"pattern": PatternFields.data_of(patterns.entry_of(current.data if current else None))},
        )
        form.recorded_on.data = local_today(clinic_zone(db, patient.clinic_id), datetime.now(UTC))
        log_patient("view", patient.id, detail="dystonia pattern form")
        db.commit()
    else:
        form = PatternForm()
    if form.validate_on_submit():
        try:
            row = patterns.record_pattern(
                db,
                patient,
                form.pattern.form.entry(),
                form.recorded_on.data,
                current_user.id,
                datetime.now(UTC),
                window=app_settings().window,
            )
            log_patient(
                "update", patient.id, detail="dystonia pattern", subject_type="dystonia_pattern", subject_id=row.id
            )
            db.commit()
        except DomainError as e:
            db.rollback()
            if not show_problem(form.pattern.form, e):
                show_error(form, e.field, e.message)
        else:
            flash("The pattern is recorded. Earlier ones stay in its history.", "success")
            return redirect(url_for("patients.show", patient_id=patient.id) + "#pattern-h")
    return render_template("patterns/form.html", form=form, patient=patient, current=current), (
        422 if form.errors else 200
    )
