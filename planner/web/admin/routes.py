"""The administrator's pages: therapists of the clinic, the clinic's details, the audit log."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from planner.db import get_session
from planner.mail import shown_address
from planner.paper import PAPERS
from planner.services import DomainError, accounts, advice, audit
from planner.settings import current as app_settings
from planner.web import admin_required, isolate
from planner.web.admin.forms import (
    PAPER_CHOICES,
    AdviceForm,
    AuditFilterForm,
    ClinicForm,
    ConfirmForm,
    EditUserForm,
    NewUserForm,
)
from planner.web.confirm import ask_then_act
from planner.web.forms import choices, show_error
from planner.web.ids import whole_number

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@admin_required
def users() -> Any:
    return render_template(
        "admin/users.html", users=accounts.therapists(get_session(), current_user.clinic_id), form=ConfirmForm()
    )


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def new_user() -> Any:
    form = NewUserForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            user = accounts.create_user(
                db,
                current_user.clinic,
                email=form.email.data,
                name=form.name.data,
                password=form.password.data,
                role=form.role.data,
                cost=app_settings().password_cost,
            )
            db.commit()
        except DomainError as e:
            db.rollback()
            show_error(form, e.field, e.message)
        else:
            flash(f"{isolate(user.name)} can now sign in with {isolate(shown_address(user.email))}.", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_new.html", form=form)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@admin_required
def edit_user(user_id: int) -> Any:
    """:raise 404: for a user of another clinic."""
    db = get_session()
    user = accounts.get_user(db, current_user.clinic_id, user_id)
    form = EditUserForm(obj=user)
    if form.validate_on_submit():
        try:
            user.name = form.name.data
            accounts.set_role(db, current_user, user, form.role.data)
            db.commit()
        except DomainError as e:
            db.rollback()
            show_error(form, e.field, e.message)
        else:
            flash(f"{isolate(user.name)} is saved.", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_edit.html", form=form, user=user)


@bp.route("/users/<int:user_id>/deactivate", methods=["GET", "POST"])
@admin_required
def deactivate_user(user_id: int) -> Any:
    """Ask first (GET), then deactivate (POST).

    :raise 404: for a user of another clinic.
    """
    db = get_session()
    user = accounts.get_user(db, current_user.clinic_id, user_id)

    def deactivate() -> Any:
        try:
            accounts.set_active(db, current_user, user, False)
            db.commit()
        except DomainError as e:
            db.rollback()
            flash(e.message, "error")
        else:
            flash(f"{isolate(user.name)} can no longer sign in; their open sessions have ended.", "success")
        return redirect(url_for("admin.users"))

    return ask_then_act("admin/user_deactivate.html", deactivate, user=user)


@bp.post("/users/<int:user_id>/activate")
@admin_required
def activate_user(user_id: int) -> Any:
    """:raise 404: for a user of another clinic."""
    db = get_session()
    user = accounts.get_user(db, current_user.clinic_id, user_id)
    if ConfirmForm().validate_on_submit():
        accounts.set_active(db, current_user, user, True)
        db.commit()
        flash(f"{isolate(user.name)} can sign in again.", "success")
    return redirect(url_for("admin.users"))


@bp.route("/clinic", methods=["GET", "POST"])
@admin_required
def clinic() -> Any:
    db = get_session()
    clinic = current_user.clinic
    form = ClinicForm(obj=clinic)
    if request.method == "GET":
        form.paper_size.data = clinic.paper_size or ""  # None: the site's setting, the first option
    site = PAPERS[app_settings().handouts.page_size].name
    form.paper_size.choices = choices([("", f"The site's setting ({site})"), *PAPER_CHOICES[1:]])
    if form.validate_on_submit():
        try:
            accounts.update_clinic(
                db,
                clinic,
                name=form.name.data,
                address=form.address.data or "",
                phone=form.phone.data or "",
                email=form.email.data or "",
                timezone=form.timezone.data,
                paper_size=form.paper_size.data or "",
            )
            db.commit()
        except DomainError as e:
            db.rollback()
            show_error(form, e.field, e.message)
        else:
            flash("The clinic's details are saved. They appear on new handouts.", "success")
            return redirect(url_for("admin.clinic"))
    return render_template("admin/clinic.html", form=form)


@bp.get("/audit")
@admin_required
def audit_log() -> Any:
    db = get_session()
    clinic_id = current_user.clinic_id
    form = AuditFilterForm(request.args)
    people = accounts.therapists(db, clinic_id)
    form.user.choices = choices([("", "Anyone")] + [(str(u.id), u.name) for u in people], typed=True)
    form.action.choices = choices([("", "Anything")] + [(a, a) for a in audit.ACTIONS])
    flt = audit.AuditFilter()
    if form.validate():
        flt = audit.AuditFilter(
            user_id=int(form.user.data) if form.user.data else None,
            patient_id=form.patient.data,
            action=form.action.data or "",
            date_from=form.date_from.data,
            date_to=form.date_to.data,
        )
    older = request.args.get("older", type=whole_number)
    newer = request.args.get("newer", type=whole_number)
    page = audit.entries(
        db,
        clinic_id,
        flt,
        current_user.clinic.timezone,
        older_than=older,
        newer_than=newer,
        page_size=app_settings().audit_page_size,
    )
    args = {k: v for k, v in request.args.items() if k not in ("older", "newer", "page")}
    return render_template("admin/audit.html", form=form, page=page, args=args)


@bp.route("/advice", methods=["GET", "POST"])
@admin_required
def advice_list() -> Any:
    """The schedule and surroundings advice therapists pick from: built-in lines and the clinic's own."""
    db = get_session()
    form = AdviceForm()
    if form.validate_on_submit():
        try:
            advice.add(db, current_user.clinic_id, form.text.data)
            db.commit()
        except DomainError as e:
            db.rollback()
            show_error(form, e.field, e.message)
        else:
            flash("The advice is added to your clinic's list.", "success")
            return redirect(url_for("admin.advice_list"))
    return render_template(
        "admin/advice.html",
        form=form,
        built_in=advice.BUILT_IN,
        own=advice.clinic_advice(db, current_user.clinic_id),
        confirm=ConfirmForm(),
    )


@bp.post("/advice/<int:advice_id>/delete")
@admin_required
def delete_advice(advice_id: int) -> Any:
    """Remove one of the clinic's lines; programs keep their copy. :raise 404: for another clinic's line."""
    db = get_session()
    if ConfirmForm().validate_on_submit():
        advice.remove(db, current_user.clinic_id, advice_id)
        db.commit()
        flash("The advice is removed from the list. Programs that use it keep it.", "success")
    return redirect(url_for("admin.advice_list"))
