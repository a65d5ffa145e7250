"""Patient pages: list, create, view, edit, archive and restore — all within the user's clinic."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from planner.catalog.vocabulary import condition_label
from planner.db import get_session
from planner.services import DomainError, accounts, audit, evaluations, patients, programs, reevaluation, reminders
from planner.services.clinic_time import clinic_zone, local_today
from planner.services.patients import PatientData
from planner.settings import current as app_settings
from planner.web import client_address, isolate, log_patient, patient_viewed
from planner.web.admin.forms import ConfirmForm
from planner.web.confirm import ask_then_act
from planner.web.forms import show_error
from planner.web.ids import whole_number
from planner.web.languages import language_choices, patient_language
from planner.web.patients.forms import PatientForm
from planner.web.progress import progress

bp = Blueprint("patients", __name__, url_prefix="/patients")
# Condition tags are shown by their proper names ("Writer's cramp"), on every page.
bp.add_app_template_filter(condition_label, "condition_label")


def _form(**kwargs: Any) -> PatientForm:
    return PatientForm(
        languages=language_choices(),
        tags=list(app_settings().patients.condition_tags),
        therapists=accounts.therapists(get_session(), current_user.clinic_id, active_only=True),
        **kwargs,
    )


def _data(form: PatientForm) -> PatientData:
    return PatientData(
        name=form.name.data,
        preferred_name=form.preferred_name.data or "",
        date_of_birth=form.date_of_birth.data,
        email=form.email.data or "",
        phone=form.phone.data or "",
        language=form.language.data,
        large_print=form.large_print.data,
        reminder_consent=form.reminder_consent.data,
        condition=form.condition.data or "",
        condition_tags=form.condition_tags.data or [],
        primary_therapist_id=int(form.primary_therapist_id.data) if form.primary_therapist_id.data else None,
        notes=form.notes.data or "",
    )


@bp.get("")
@login_required
def index() -> Any:
    db = get_session()
    search = request.args.get("q", "").strip()[:120]
    status = request.args.get("status", "active")
    if status not in ("active", "archived", "all"):
        status = "active"
    after, before = request.args.get("after", type=whole_number), request.args.get("before", type=whole_number)
    result = patients.list_patients(
        db,
        current_user.clinic_id,
        search=search,
        status=status,
        after=after,
        before=before,
        page_size=app_settings().patients.page_size,
        last=request.args.get("page") == "last",
    )
    where = f" after={after}" if after is not None else f" before={before}" if before is not None else ""
    where += " last page" if request.args.get("page") == "last" and not where else ""
    audit.record(
        db,
        current_user,
        "list",
        "patients",
        None,
        detail=f"search={search!r} status={status}{where}",
        address=client_address(),
    )
    db.commit()
    return render_template("patients/index.html", result=result, search=search, status=status)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    form = _form()
    if request.method == "GET":
        form.primary_therapist_id.data = str(current_user.id)
    if form.validate_on_submit():
        db = get_session()
        try:
            patient = patients.create_patient(db, current_user.clinic_id, _data(form), datetime.now(UTC))
            log_patient("create", patient.id)
            db.commit()
        except DomainError as e:
            db.rollback()
            show_error(form, e.field, e.message)
        else:
            flash(f"{isolate(patient.name)} is added.", "success")
            return redirect(url_for("patients.show", patient_id=patient.id))
    return render_template("patients/form.html", form=form, patient=None)


@bp.get("/<int:patient_id>")
@login_required
def show(patient_id: int) -> Any:
    """:raise 404: for a patient of another clinic."""
    db = get_session()
    patient = patients.get_patient(db, current_user.clinic_id, patient_id)
    log_patient("view", patient.id)
    db.commit()
    languages = dict(app_settings().patients.languages)
    return render_template(
        "patients/show.html",
        patient=patient,
        languages=languages,
        handout_language=patient_language(patient),
        form=ConfirmForm(),
        programs=programs.programs_of_patient(db, current_user.clinic_id, patient.id),
        next_reevaluation=reevaluation.next_reevaluation,
        evaluations=evaluations.evaluations_of_patient(db, current_user.clinic_id, patient.id),
        trends=evaluations.trends(db, current_user.clinic_id, patient.id),
        outbox=reminders.reminders_of_patient(db, current_user.clinic_id, patient.id),
        progress=progress(patient, local_today(clinic_zone(db, patient.clinic_id), datetime.now(UTC))),
    )


@bp.route("/<int:patient_id>/edit", methods=["GET", "POST"])
@login_required
def edit(patient_id: int) -> Any:
    """:raise 404: for a patient of another clinic."""
    db = get_session()
    patient = patients.get_patient(db, current_user.clinic_id, patient_id)
    form = _form(obj=patient)
    if request.method == "GET":
        form.primary_therapist_id.data = str(patient.primary_therapist_id or "")
        log_patient("view", patient.id, detail="edit form")
        db.commit()
    if form.validate_on_submit():
        try:
            changed = patients.update_patient(db, patient, _data(form), datetime.now(UTC))
            reminders.sync_patient(
                db, patient, datetime.now(UTC), app_settings().schedule
            )  # email or consent may have changed
            log_patient("update", patient.id, detail="changed: " + (", ".join(changed) or "nothing"))
            db.commit()
        except DomainError as e:
            db.rollback()
            show_error(form, e.field, e.message)
        else:
            flash(f"{isolate(patient.name)} is saved.", "success")
            return redirect(url_for("patients.show", patient_id=patient.id))
    return render_template("patients/form.html", form=form, patient=patient)


@bp.route("/<int:patient_id>/archive", methods=["GET", "POST"])
@login_required
def archive(patient_id: int) -> Any:
    """Ask first (GET), then archive (POST). Nothing is deleted.

    :raise 404: for a patient of another clinic.
    """
    db = get_session()
    patient = patients.get_patient(db, current_user.clinic_id, patient_id)

    def archive() -> Any:
        patients.archive_patient(db, patient, datetime.now(UTC))
        log_patient("archive", patient.id)
        db.commit()
        flash(f"{isolate(patient.name)} is archived. You can restore them from the archived list.", "success")
        return redirect(url_for("patients.index"))

    return ask_then_act(
        "patients/archive.html", archive, lambda: patient_viewed(patient.id, "archive form"), patient=patient
    )


@bp.post("/<int:patient_id>/restore")
@login_required
def restore(patient_id: int) -> Any:
    """:raise 404: for a patient of another clinic."""
    db = get_session()
    patient = patients.get_patient(db, current_user.clinic_id, patient_id)
    if ConfirmForm().validate_on_submit():
        patients.restore_patient(db, patient)
        log_patient("restore", patient.id)
        db.commit()
        flash(f"{isolate(patient.name)} is active again.", "success")
    return redirect(url_for("patients.show", patient_id=patient.id))
