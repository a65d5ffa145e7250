"""The administrator's Two-factor page: who has it set up, the clinic's requirement, and a reset
for someone who lost both their phone and their recovery codes."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from planner.db import get_session
from planner.services import DomainError, accounts
from planner.services import two_factor as service
from planner.web import admin_required, isolate
from planner.web.account.forms import RequirementForm
from planner.web.admin.forms import ConfirmForm
from planner.web.admin.routes import bp
from planner.web.forms import show_error


@bp.route("/two-factor", methods=["GET", "POST"])
@admin_required
def two_factor() -> Any:
    db = get_session()
    clinic = current_user.clinic
    form = RequirementForm(data={"required": clinic.require_two_factor})
    if form.validate_on_submit():
        try:
            signed_out = service.set_requirement(db, current_user, clinic, form.required.data)
            db.commit()
        except DomainError as e:
            db.rollback()
            show_error(form, e.field, e.message)
        else:
            if clinic.require_two_factor:
                names = ", ".join(isolate(user.name) for user in signed_out) or "nobody"
                flash(
                    f"Two-factor sign-in is now required. Signed out until they set it up at their next sign-in: {names}.",
                    "success",
                )
            else:
                flash("Two-factor sign-in is no longer required. Those who set it up keep it.", "success")
            return redirect(url_for("admin.two_factor"))
    people = [(user, service.enrolled_since(db, user)) for user in accounts.therapists(db, clinic.id)]
    return render_template("admin/two_factor.html", form=form, people=people, confirm=ConfirmForm())


@bp.post("/users/<int:user_id>/two-factor/reset")
@admin_required
def reset_two_factor(user_id: int) -> Any:
    """:raise 404: for a user of another clinic."""
    db = get_session()
    user = accounts.get_user(db, current_user.clinic_id, user_id)
    if ConfirmForm().validate_on_submit():
        try:
            service.reset(db, current_user, user)
            db.commit()
        except DomainError as e:
            db.rollback()
            flash(e.message, "error")
        else:
            flash(f"{isolate(user.name)}'s two-factor sign-in is reset and their sessions have ended.", "success")
    return redirect(url_for("admin.two_factor"))
