"""A therapist's Two-factor sign-in page: set up the phone, make new recovery codes, turn it off."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required, logout_user

from planner.db import get_session
from planner.services import DomainError
from planner.services import two_factor as service
from planner.web import secret_key
from planner.web.account import bp
from planner.web.account.forms import EnrolForm, PasswordCheckForm
from planner.web.account.qr import qr_data_uri
from planner.web.auth import sign_out
from planner.web.forms import show_error


def _forms() -> tuple[PasswordCheckForm, PasswordCheckForm]:
    # Two password forms on one page: the prefixes keep their fields apart.
    return PasswordCheckForm(prefix="codes"), PasswordCheckForm(prefix="off")


def _page(codes_form: PasswordCheckForm, off_form: PasswordCheckForm) -> Any:
    db = get_session()
    return render_template(
        "account/two_factor.html",
        since=service.enrolled_since(db, current_user),
        codes_left=service.recovery_codes_left(db, current_user),
        required=current_user.clinic.require_two_factor,
        codes_form=codes_form,
        off_form=off_form,
    )


@bp.get("/two-factor")
@login_required
def two_factor() -> Any:
    return _page(*_forms())


@bp.route("/two-factor/enrol", methods=["GET", "POST"])
@login_required
def enrol() -> Any:
    """Show the key as a QR code and as text; a code from the app switches it on."""
    db = get_session()
    if service.enrolled(db, current_user):
        return redirect(url_for("account.two_factor"))
    enrolment = service.start_enrolment(db, current_user, secret_key(), datetime.now(UTC))
    db.commit()
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            codes = service.confirm_enrolment(db, current_user, form.code.data, secret_key(), datetime.now(UTC))
            db.commit()
        except DomainError as e:
            db.rollback()
            show_error(form, e.field, e.message)
        else:
            return render_template("account/recovery_codes.html", codes=codes, next_url=url_for("account.two_factor"))
    return render_template(
        "account/enrol.html", form=form, enrolment=enrolment, qr=qr_data_uri(enrolment.uri), required=False
    )


@bp.post("/two-factor/recovery-codes")
@login_required
def new_recovery_codes() -> Any:
    """Ten new recovery codes after the password; the old ones stop working."""
    codes_form, off_form = _forms()
    if codes_form.validate_on_submit():
        db = get_session()
        try:
            codes = service.new_recovery_codes(db, current_user, codes_form.password.data, datetime.now(UTC))
            db.commit()
        except DomainError as e:
            db.rollback()
            show_error(codes_form, e.field, e.message)
        else:
            return render_template("account/recovery_codes.html", codes=codes, next_url=url_for("account.two_factor"))
    return _page(codes_form, off_form)


@bp.post("/two-factor/turn-off")
@login_required
def turn_off() -> Any:
    """Turn two-factor sign-in off after the password. Where the clinic requires it, this signs
    the user out, to set up a new phone at the next sign-in."""
    codes_form, off_form = _forms()
    if off_form.validate_on_submit():
        db = get_session()
        try:
            signed_out = service.turn_off(db, current_user, off_form.password.data)
            db.commit()
        except DomainError as e:
            db.rollback()
            show_error(off_form, e.field, e.message)
        else:
            if signed_out:
                sign_out()
                logout_user()
                flash("Two-factor sign-in is off. Your clinic requires it: sign in to set up your phone.", "info")
                return redirect(url_for("auth.login"))
            flash("Two-factor sign-in is off. You sign in with your password alone.", "success")
            return redirect(url_for("account.two_factor"))
    return _page(codes_form, off_form)
