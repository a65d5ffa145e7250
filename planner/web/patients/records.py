"""A patient's data leaving the clinic (export).

Administrators only: these act on everything the clinic keeps about a patient.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import current_app, make_response
from flask_login import current_user

from planner.db import get_session
from planner.services import patients
from planner.services.patient_export import export_zip
from planner.web import admin_required, log_patient
from planner.web.handouts.routes import options
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
    public_url = current_app.config["PLANNER"]["server"].get("public_url", "")
    data = export_zip(db, patient, now, options(), public_url)
    log_patient("export", patient.id, detail="data export (ZIP)")
    db.commit()
    response = make_response(data)
    response.mimetype = "application/zip"
    name = f"patient-{patient.id}-{now.date().isoformat()}.zip"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"  # patient data: never kept by a proxy or a shared browser
    return response
