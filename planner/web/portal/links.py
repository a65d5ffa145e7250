"""The therapist's side of patient access: create, show, revoke and replace the link; see progress."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from planner.db import get_session
from planner.services import alerts, issuing, patient_links, patients, patterns, portal
from planner.settings import current as app_settings
from planner.web import back_to_referrer, log_patient, patient_viewed, secret_key
from planner.web.admin.forms import ConfirmForm
from planner.web.check_first import unchecked
from planner.web.confirm import ask_then_act
from planner.web.phone_link import patient_url

bp = Blueprint("links", __name__)


def now() -> datetime:
    return datetime.now(UTC)


# Templates write the patient's link as phone_link(patient) (the builder, the link page).
bp.app_template_global("phone_link")(patient_url)


def qr_svg(url: str, size: int = 220) -> Markup:
    """The address as a QR code in SVG, encoded by reportlab's QR encoder.

    Drawn as plain rects with presentation attributes: reportlab's own SVG renderer writes
    style="" attributes, which the Content-Security-Policy (no inline style) would ignore.
    """
    from reportlab.graphics.barcode.qr import QrCodeWidget

    code = QrCodeWidget(url, barLevel="M").qr
    code.make()
    count = code.getModuleCount()
    quiet = 4  # the blank margin scanners need
    cells = count + 2 * quiet
    dark = "".join(
        f'<rect x="{c + quiet}" y="{r + quiet}" width="1" height="1"/>'
        for r in range(count)
        for c in range(count)
        if code.isDark(r, c)
    )
    return Markup(  # noqa: S704  (numbers only; the URL is not written into the SVG)
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {cells} {cells}" width="{size}" height="{size}" '
        f'role="img" aria-label="QR code of the patient\'s link" shape-rendering="crispEdges">'
        f'<rect width="{cells}" height="{cells}" fill="#fff"/><g fill="#000">{dark}</g></svg>'
    )


@bp.route("/patients/<int:patient_id>/link", methods=["GET", "POST"])
@login_required
def link(patient_id: int) -> Any:
    """Show the patient's link and QR code (GET); create or replace it (POST, asked first when one exists).

    :raise 404: for a patient of another clinic.
    """
    db = get_session()
    patient = patients.get_patient(db, current_user.clinic_id, patient_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        # The phone page shows the program given to the patient: exercises of it that the pattern
        # flags are checked first, as for print and email (web/check_first.unchecked).
        given = portal.active_program(db, patient)
        checked = ""
        if given is not None and patterns.unset_items(given):
            # As print and email: nothing is shared while an exercise's direction has no side;
            # the builder's header names the exercises and how to set them.
            flash("No link was made: see why just below.", "error")
            return redirect(url_for("programs.edit", program_id=given.id) + "#directions-not-set")
        if given is not None:
            check_page, checked = unchecked(given, "share", url_for("links.link", patient_id=patient.id), request.form)
            if check_page is not None:
                return check_page
        replaced = patient_links.current_link(db, patient.id, now()) is not None
        days = app_settings().portal.link_expiry_days
        patient_links.create_link(db, patient, secret_key(), now(), days)
        if given is not None:  # sharing gives the program as it is now: the phone shows this version
            issuing.issue(db, given, current_user.id, "share", now())
        log_patient(
            "share",
            patient.id,
            detail=("link replaced" if replaced else "link created")
            + (f"; program {given.id}, version {given.version}{checked}" if checked and given else ""),
            subject_type="patient_link",
        )
        db.commit()
        flash(
            "The new link is ready. The old one no longer works."
            if replaced
            else "The link is ready. Give it to the patient, or print the handout with its QR code.",
            "success",
        )
        if given is None:
            # A draft never reaches the phone (portal.active_program): say what the patient will see.
            flash(
                "The phone page shows no exercises yet: no program has been given to this patient. "
                "It shows one once you print, email or export it.",
                "warning",
            )
        return redirect(url_for("links.link", patient_id=patient.id))
    url = patient_url(patient)
    patient_viewed(patient.id, "link shown" if url else "link page", "patient_link", patient.id)
    current = patient_links.current_link(db, patient.id, now())
    return render_template(
        "portal/link.html",
        patient=patient,
        url=url,
        qr=qr_svg(url) if url else None,
        link=current,
        form=form,
        replace=request.args.get("replace"),
    )


@bp.route("/patients/<int:patient_id>/link/revoke", methods=["GET", "POST"])
@login_required
def revoke(patient_id: int) -> Any:
    """Ask first, then stop the link. :raise 404: for a patient of another clinic."""
    db = get_session()
    patient = patients.get_patient(db, current_user.clinic_id, patient_id)

    def stop_link() -> Any:
        if patient_links.revoke_link(db, patient, now()):
            log_patient("revoke", patient.id, subject_type="patient_link")
        db.commit()
        flash("The link no longer works. You can create a new one at any time.", "success")
        return redirect(url_for("patients.show", patient_id=patient.id))

    return ask_then_act(
        "portal/revoke.html",
        stop_link,
        lambda: patient_viewed(patient.id, "stop link form", "patient_link", patient.id),
        patient=patient,
    )


@bp.post("/alerts/<int:alert_id>/seen")
@login_required
def alert_seen(alert_id: int) -> Any:
    """Take a pain alert off the dashboard. :raise 404: for an alert of another clinic."""
    db = get_session()
    if ConfirmForm().validate_on_submit():
        alert = alerts.mark_alert_seen(db, current_user.clinic_id, alert_id)
        log_patient("view", alert.patient_id, detail="pain alert seen", subject_type="pain_alert", subject_id=alert.id)
        db.commit()
    return redirect(back_to_referrer(url_for("reminders.home")))
