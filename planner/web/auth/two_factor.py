"""The second step of signing in: a code from the phone, or setting the phone up where the clinic
requires it.

After the right password the browser holds only a note of who is half-way (user id, session
version, time, where to go next), never a signed-in session: every other page still sends it
to sign in. The note lasts PENDING_MINUTES and dies with a password change or deactivation.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, flash, redirect, render_template, session, url_for
from werkzeug.wrappers import Response

from planner.db import get_session
from planner.models import User
from planner.services import DomainError
from planner.services import two_factor as service
from planner.services.accounts import SignInRefused
from planner.web import client_address, secret_key
from planner.web.account.forms import EnrolForm, SignInCodeForm
from planner.web.account.qr import qr_data_uri
from planner.web.auth import sign_in, sign_in_throttle
from planner.web.forms import show_error

bp = Blueprint("two_factor", __name__, url_prefix="/login")

PENDING = "two_factor_pending"
PENDING_MINUTES = 10


def after_password(user: User, next_url: str) -> Response:
    """Where a right password leads: the code page, the set-up page (required, not set up yet),
    or straight in. `next_url` must already be a safe path on this site."""
    db = get_session()
    if service.enrolled(db, user):
        _remember_half_way(user, next_url)
        return redirect(url_for("two_factor.code"))
    if service.needs_enrolment(db, user):
        _remember_half_way(user, next_url)
        return redirect(url_for("two_factor.enrol"))
    sign_in(user)
    return redirect(next_url)


def _remember_half_way(user: User, next_url: str) -> None:
    session.clear()  # nothing from before carries over (no fixation)
    session[PENDING] = {
        "user": user.id,
        "version": user.session_version,
        "at": datetime.now(UTC).timestamp(),
        "next": next_url,
    }


def _half_way_user() -> User | None:
    """The user who gave the right password in this browser a moment ago, or None."""
    note = session.get(PENDING)
    if not isinstance(note, dict):
        return None
    if datetime.now(UTC).timestamp() - note.get("at", 0) > PENDING_MINUTES * 60:
        session.pop(PENDING, None)
        return None
    user = get_session().get(User, note.get("user"))
    if user is None or not user.active or user.session_version != note.get("version"):
        return None
    return user


def _finish(user: User) -> str:
    """Sign the user in; returns where they were going."""
    target = session[PENDING]["next"]
    sign_in(user)
    return target


def _start_again() -> Response:
    flash("Please sign in again.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/code", methods=["GET", "POST"])
def code() -> Any:
    """Ask for the code from the phone, or a recovery code; wrong ones count as failed sign-ins."""
    user = _half_way_user()
    if user is None:
        return _start_again()
    form = SignInCodeForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            used = service.check_sign_in_code(
                db,
                user,
                form.code.data,
                secret_key(),
                client_address(),
                datetime.now(UTC),
                sign_in_throttle(),
            )
        except SignInRefused as e:
            show_error(form, "code", e.message)
        else:
            target = _finish(user)
            if used.kind == "recovery":
                flash(
                    f"You used a recovery code. {used.recovery_left} are left. "
                    "Make new ones on your Two-factor sign-in page if you are running out.",
                    "warning",
                )
            return redirect(target)
    return render_template("auth/code.html", form=form)


@bp.route("/enrol", methods=["GET", "POST"])
def enrol() -> Any:
    """Set up the phone before signing in, where the clinic requires two-factor sign-in."""
    user = _half_way_user()
    db = get_session()
    if user is None or not service.needs_enrolment(db, user):
        return _start_again()
    enrolment = service.start_enrolment(db, user, secret_key(), datetime.now(UTC))
    db.commit()
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            codes = service.confirm_enrolment(db, user, form.code.data, secret_key(), datetime.now(UTC))
            db.commit()
        except DomainError as e:
            db.rollback()
            show_error(form, e.field, e.message)
        else:
            target = _finish(user)
            return render_template("account/recovery_codes.html", codes=codes, next_url=target)
    return render_template(
        "account/enrol.html", form=form, enrolment=enrolment, qr=qr_data_uri(enrolment.uri), required=True
    )
