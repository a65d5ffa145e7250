"""Sign in, sign out, change the password, and the first-run set-up."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from planner.db import get_session
from planner.services import DomainError, accounts
from planner.settings import current as app_settings
from planner.web import client_address, isolate
from planner.web.auth import sign_in, sign_in_throttle, sign_out, two_factor, users_exist
from planner.web.auth.forms import LoginForm, PasswordForm, SetupForm
from planner.web.forms import show_error

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only a path on this site; anything else goes home (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("home")


@bp.route("/setup", methods=["GET", "POST"])
def setup() -> Any:
    """Create the clinic and its first administrator.

    :raise 404: once any account exists.
    """
    db = get_session()
    if users_exist(db):
        abort(404)
    form = SetupForm()
    if form.validate_on_submit():
        try:
            clinic = accounts.create_clinic(
                db,
                name=form.clinic_name.data,
                address=form.address.data or "",
                phone=form.phone.data or "",
                email=form.clinic_email.data or "",
                timezone=form.timezone.data,
            )
            user = accounts.create_user(
                db,
                clinic,
                email=form.admin_email.data,
                name=form.admin_name.data,
                password=form.password.data,
                role="admin",
                cost=app_settings().password_cost,
            )
            db.commit()
        except DomainError as e:
            db.rollback()
            show_error(form, {"name": "clinic_name", "email": "admin_email"}.get(e.field or "", e.field), e.message)
        else:
            sign_in(user)
            flash(f"Welcome. {isolate(clinic.name)} is ready. Add your first patient.", "success")
            return redirect(url_for("patients.index"))
    return render_template("auth/setup.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("home"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(
                get_session(),
                form.email.data,
                form.password.data,
                client_address(),
                datetime.now(UTC),
                sign_in_throttle(),
                app_settings().password_cost,
            )
        except accounts.SignInRefused as e:
            form.form_errors.append(e.message)
        else:
            # Signed in now, or first asked for a code from the phone (auth/two_factor.py).
            return two_factor.after_password(user, _safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Any:
    """Sign out: the session ends on the server too, so a copied cookie stops working."""
    sign_out()
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> Any:
    form = PasswordForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            accounts.change_password(
                db,
                current_user,
                form.current_password.data,
                form.new_password.data,
                app_settings().password_cost,
            )
            db.commit()
        except DomainError as e:
            db.rollback()
            show_error(form, e.field, e.message)
        else:
            login_user(current_user)  # this session carries the new session version; others end
            flash("Your password is changed. Other sessions of your account are signed out.", "success")
            return redirect(url_for("home"))
    return render_template("auth/password.html", form=form)
