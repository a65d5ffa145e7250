"""The handout page: the program's PDF, opened in the browser to print."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, flash, make_response, redirect, url_for
from flask_login import current_user, login_required

from planner.db import get_session
from planner.handouts import HandoutOptions, build_handout
from planner.services import programs
from planner.services.patterns import DirectionsNotSet
from planner.settings import current as app_settings
from planner.web import log_patient
from planner.web.portal.links import patient_url

bp = Blueprint("handouts", __name__)


def options() -> HandoutOptions:
    """The app's [handouts] settings (checked when the app was built)."""
    return app_settings().handouts


@bp.get("/programs/<int:program_id>/handout.pdf")
@login_required
def pdf(program_id: int) -> Any:
    """The handout as a PDF shown inline; printing it issues (freezes) the current version.

    While an exercise's direction has no side, no PDF: back to the builder with the reason.
    :raise 404: for a program of another clinic.
    """
    db = get_session()
    program = programs.get_program(db, current_user.clinic_id, program_id)
    now = datetime.now(UTC)
    # Directions changed since the version given: the paper shows the next version, frozen below.
    programs.renew_if_directions_changed(db, program, now)
    try:
        data = build_handout(db, program, now, online_url=patient_url(program.patient), options=options(), reuse=True)
    except DirectionsNotSet:
        # Back to the builder, whose header names the exercises and how to set their direction.
        flash("No handout was printed: see why just below.", "error")
        return redirect(url_for("programs.edit", program_id=program.id) + "#directions-not-set")
    programs.issue(db, program, current_user.id, "print", now)
    log_patient(
        "print",
        program.patient_id,
        detail=f"handout, version {program.version}",
        subject_type="program",
        subject_id=program.id,
    )
    db.commit()
    response = make_response(data)
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="handout-{program.id}-v{program.version}.pdf"'
    # Patient data: never kept by a shared browser or a proxy.
    response.headers["Cache-Control"] = "no-store"
    return response
