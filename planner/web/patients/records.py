"""A patient's data leaving the clinic (export) or the planner (erasure).

Administrators only: these act on everything the clinic keeps about a patient. The list of old
archived records to review is the administrator's page (web/admin/archived.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import current_app, flash, make_response, redirect, render_template, url_for
from flask_login import current_user

from planner.db import get_session
from planner.services import DomainError, erasure, patients
from planner.services.patient_export import export_zip
from planner.settings import current as app_settings
from planner.web import admin_required, client_address, log_patient
from planner.web.forms import show_error
from planner.web.patients.forms import EraseForm
from planner.web.patients.routes import bp


@bp.post("/<int:patient_id>/export")
@admin_required
def export(patient_id: int) -> Any:
    """The ZIP of the patient's data, as a download (a POST: it is logged, and CSRF-checked like every form).

    :raise 404: for a patient of another clinic.
    """
    db = get_session()
    patient = patients.get_patient(db, current_user.clinic_id, patient_id)
    now = datetime.now(UTC)
    public_url = app_settings().server.public_url
    data = export_zip(db, patient, now, app_settings().handouts, public_url)
    log_patient("export", patient.id, detail="data export (ZIP)")
    db.commit()
    response = make_response(data)
    response.mimetype = "application/zip"
    name = f"patient-{patient.id}-{now.date().isoformat()}.zip"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"  # patient data: never kept by a proxy or a shared browser
    return response


@bp.route("/<int:patient_id>/erase", methods=["GET", "POST"])
@admin_required
def erase(patient_id: int) -> Any:
    """Ask for the patient's full name (GET), then erase everything about them (POST).

    A name that does not match erases nothing and says so at the field.
    :raise 404: for a patient of another clinic.
    """
    db = get_session()
    patient = patients.get_patient(db, current_user.clinic_id, patient_id)
    form = EraseForm()
    if form.validate_on_submit():
        try:
            erased = erasure.erase_patient(
                db, patient, form.name.data, current_user, datetime.now(UTC), client_address()
            )
            db.commit()
        except DomainError as e:
            db.rollback()
            show_error(form, e.field, e.message)
        else:
            # Copies of sent emails go only once the rows are gone for good.
            erasure.remove_email_files(_email_folder(), erased.email_ids)
            flash("The patient's record is erased. The audit log keeps that you did it.", "success")
            return redirect(url_for("patients.index"))
    return render_template("patients/erase.html", form=form, patient=patient)


def _email_folder() -> Path:
    """Where the file mail backend writes its .eml copies ([mail] outbox_folder in the instance folder)."""
    return Path(current_app.instance_path) / app_settings().outbox_folder
