"""The handout page: the program's PDF, opened in the browser to print (which gives it), or to preview."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user, login_required

from planner.db import get_session
from planner.handouts import HandoutOptions, build_given_handout, build_handout, build_preview
from planner.languages import handout_language
from planner.models import Program
from planner.services import given, issuing, programs
from planner.services.file_names import handout_file_name
from planner.services.patterns import DirectionsNotSet
from planner.settings import current as app_settings
from planner.web import log_patient
from planner.web.check_first import unchecked
from planner.web.handouts.response import pdf_response
from planner.web.phone_link import patient_url

bp = Blueprint("handouts", __name__)


def options() -> HandoutOptions:
    """The app's [handouts] settings (checked when the app was built)."""
    return app_settings().handouts


# One rule for both methods: two rules on one path would answer 405, not 404, to an impossible id.
@bp.route("/programs/<int:program_id>/handout.pdf", methods=["GET", "POST"])
@login_required
def pdf(program_id: int) -> Any:
    """Print and give to patient (POST): issues (freezes) the current version and answers with
    its PDF, shown inline. Only a POST with the form's CSRF token gives: opening the address, a
    reload or a browser's prefetch (GET) serves the paper already given (given_pdf).

    While an exercise's direction has no side, no PDF: back to the builder with the reason. With
    exercises the pattern flags (contraindicated, toward the pull), the check page first: the
    therapist ticks "I have checked these exercises" once, and the audit entry names them.
    :raise 404: for a program of another clinic.
    :raise HandoutNotMade: when the PDF could not be made (web/errors.py shows a page that says so).
    """
    if request.method == "GET":
        return given_pdf(program_id)
    db = get_session()
    program = programs.get_program(db, current_user.clinic_id, program_id, whole=True)
    now = datetime.now(UTC)
    if not program.items:  # nothing to do on paper, and given it would take the phone page
        flash(f"No handout was printed. {issuing.EMPTY}", "error")
        return redirect(url_for("programs.edit", program_id=program.id))
    # Directions or a clinic's own exercise changed since the version given: the paper shows the
    # next version, frozen below.
    issuing.renew_if_paper_changed(db, program, now)
    check_page, checked = unchecked(program, "print", url_for("handouts.pdf", program_id=program.id), request.form)
    if check_page is not None:
        db.commit()  # a renewed version is kept; nothing is printed or issued yet
        return check_page
    try:
        data = build_handout(db, program, now, online_url=patient_url(program.patient), options=options(), reuse=True)
    except DirectionsNotSet:
        # Back to the builder, whose header names the exercises and how to set their direction.
        flash("No handout was printed: see why just below.", "error")
        return redirect(url_for("programs.edit", program_id=program.id) + "#directions-not-set")
    issuing.issue(db, program, current_user.id, "print", now)
    return _send_handout(program, data, "print", f"handout, version {program.version}{checked}", program.title)


def given_pdf(program_id: int) -> Any:
    """The paper of the version last given to the patient, as the phone page's PDF: nothing is
    given here (a reload of the printed handout, a saved bookmark, a browser's prefetch). Never
    given yet: back to the builder, which has "Print and give to patient".
    :raise 404: for a program of another clinic.
    :raise HandoutNotMade: when the PDF could not be made (web/errors.py shows a page that says so).
    """
    db = get_session()
    program = programs.get_program(db, current_user.clinic_id, program_id, whole=True)
    handed = given.given_version(db, program)
    if handed is None:
        flash("Not given to the patient yet: no handout was printed. Use “Print and give to patient”.", "error")
        return redirect(url_for("programs.edit", program_id=program.id), 303)
    data = build_given_handout(
        db, handed, datetime.now(UTC), online_url=patient_url(program.patient), options=options()
    )
    return _send_handout(program, data, "view", f"handout, version {handed.version} (given before)", handed.title)


def patient_language(program: Program) -> str:
    """The language the program's handout is in (the patient's, when the clinic prints it)."""
    return handout_language(program.patient.language, options().languages)


def _send_handout(program: Program, data: bytes, action: str, detail: str, title: str, preview: bool = False) -> Any:
    """Audit the handout (`action`, "print" or "view", and `detail`: the version, never the
    patient's link), commit, and answer with the PDF named from `title` in the patient's
    language ("-preview" added for a `preview`)."""
    log_patient(action, program.patient_id, detail=detail, subject_type="program", subject_id=program.id)
    get_session().commit()
    name = handout_file_name(title, patient_language(program))
    return pdf_response(data, name.removesuffix(".pdf") + "-preview.pdf" if preview else name)


@bp.get("/programs/<int:program_id>/handout-preview.pdf")
@login_required
def preview(program_id: int) -> Any:
    """The handout as the program is now, to look at before giving it: every page says "Preview
    only", and nothing is given (no version frozen; a framed box where the QR code prints), so the patient's phone page keeps
    the version given. While an exercise's direction has no side, back to the builder as print does.
    :raise 404: for a program of another clinic.
    :raise HandoutNotMade: when the PDF could not be made (web/errors.py shows a page that says so).
    """
    db = get_session()
    program = programs.get_program(db, current_user.clinic_id, program_id, whole=True)
    if not program.items:
        flash(f"No preview. {issuing.EMPTY}", "error")
        return redirect(url_for("programs.edit", program_id=program.id))
    try:
        data = build_preview(db, program, datetime.now(UTC), options=options(), online_url=patient_url(program.patient))
    except DirectionsNotSet:
        flash("No preview: see why just below.", "error")
        return redirect(url_for("programs.edit", program_id=program.id) + "#directions-not-set")
    return _send_handout(program, data, "view", "handout preview", program.title, preview=True)
