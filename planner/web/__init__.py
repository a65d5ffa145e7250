"""The pages: one folder per feature, each with its routes and forms."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any, cast
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user, login_required

from planner.bidi import isolate
from planner.db import get_session
from planner.mail import shown_address, shown_in
from planner.services import audit
from planner.web import links, secret_urls
from planner.web.ids import IdConverter
from planner.web.unbroken import phone_number, unbroken


def register_blueprints(app: Flask) -> None:
    from planner.web import attributes
    from planner.web.account import bp as account_bp
    from planner.web.account import tokens, two_factor  # noqa: F401  (add their routes to the blueprint)
    from planner.web.admin import archived  # noqa: F401  (adds the archived records to review)
    from planner.web.admin import two_factor as admin_two_factor  # noqa: F401  (adds the clinic's two-factor page)
    from planner.web.admin.routes import bp as admin_bp
    from planner.web.api.routes import bp as api_bp
    from planner.web.auth.routes import bp as auth_bp
    from planner.web.auth.two_factor import bp as two_factor_bp
    from planner.web.catalog import movement
    from planner.web.catalog.routes import bp as catalog_bp
    from planner.web.evaluations.routes import bp as evaluations_bp
    from planner.web.handouts.routes import bp as handouts_bp
    from planner.web.health import bp as health_bp
    from planner.web.outcomes.routes import bp as outcomes_bp
    from planner.web.patients import exercise_reminders, records  # noqa: F401  (add their routes to the blueprint)
    from planner.web.patients.routes import bp as patients_bp
    from planner.web.patterns.routes import bp as patterns_bp
    from planner.web.portal import (
        questions,  # noqa: F401  (adds the questionnaire to the phone page)
        reminders,  # noqa: F401  (adds the daily email and stop-link routes)
    )
    from planner.web.portal.links import bp as links_bp
    from planner.web.portal.routes import bp as portal_bp
    from planner.web.prescribing import bp as prescribing_bp
    from planner.web.programs import items  # noqa: F401  (adds the item routes to the blueprint)
    from planner.web.programs.routes import bp as programs_bp
    from planner.web.reminders.routes import bp as reminders_bp

    # Before any route is added: every <int:…> is then an id the database can hold (else 404),
    # and <secret:…> marks a secret the logs never show.
    app.url_map.converters["int"] = IdConverter
    secret_urls.register(app)
    attributes.install()  # every form's fields, the same HTML, written faster
    app.register_blueprint(auth_bp)
    app.register_blueprint(two_factor_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(patients_bp)
    app.register_blueprint(portal_bp)
    app.register_blueprint(links_bp)
    app.register_blueprint(programs_bp)
    app.register_blueprint(catalog_bp)
    app.register_blueprint(evaluations_bp)
    app.register_blueprint(reminders_bp)
    app.register_blueprint(outcomes_bp)
    app.register_blueprint(handouts_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(patterns_bp)
    app.register_blueprint(prescribing_bp)
    secret_urls.hide_in_logs(app)
    links.install(app)  # the templates' url_for, fast for routes of ids only

    @app.context_processor
    def _endpoints() -> dict[str, Any]:
        return {"has_endpoint": lambda name: name in app.view_functions}

    app.add_template_filter(local_time)
    app.add_template_filter(isolate)
    # An email address as a person reads it (its domain in Unicode): every page that shows one.
    app.add_template_filter(shown_address, "address")
    # An email's error as kept (rows from before errors were written so too): its addresses so.
    app.add_template_filter(shown_in, "addresses_shown")
    # A token, key or link to copy: wraps only between letters or digits, never at a "-" or "_".
    app.add_template_filter(unbroken)
    app.add_template_filter(phone_number)
    # The moving picture and the captioned stills, on the phone page, the catalog and the builder.
    app.add_template_global(movement.exercise_motion, "exercise_motion")
    app.add_template_global(movement.exercise_stills, "exercise_stills")

    @app.get("/")
    @login_required
    def home() -> Any:
        return redirect(url_for("reminders.home"))


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Only an administrator of the clinic may open the view.

    :raise 403: for a therapist.
    """

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def client_address() -> str:
    return request.remote_addr or ""


def back_to_referrer(default: str) -> str:
    """Where a small form (Mark as seen, Send again) returns to: the page of this app it was posted
    from, as a path and query, so the therapist stays on the list they were working through; else
    `default`. Only a page of this app: a Referer naming another site (or a `//host` path, which a
    browser would read as another site) gives `default`, so the form cannot be an open redirect."""
    referrer = request.referrer
    if not referrer:
        return default
    came_from, here = urlsplit(referrer), urlsplit(request.host_url)
    path = came_from.path
    if (came_from.scheme, came_from.netloc) != (here.scheme, here.netloc) or not path.startswith(here.path):
        return default
    if path.startswith("//") or "\\" in path:
        return default
    return path + (f"?{came_from.query}" if came_from.query else "")


def secret_key() -> str:
    """The app's secret key, typed: Flask's says str | bytes | None, planner.settings always sets a str."""
    return cast(str, current_app.secret_key)


def log_patient(
    action: str, patient_id: int, detail: str = "", subject_type: str = "patient", subject_id: int | None = None
) -> None:
    """Audit one view of or change to a patient's data by the signed-in user."""
    audit.record(
        get_session(),
        current_user,
        action,
        subject_type,
        subject_id if subject_id is not None else patient_id,
        patient_id=patient_id,
        detail=detail,
        address=client_address(),
    )


def patient_viewed(
    patient_id: int, detail: str = "", subject_type: str = "patient", subject_id: int | None = None
) -> None:
    """Record and commit one view of a patient's data by the signed-in user: for a page about to show
    it, the form of a change as much as the record (who saw what is the audit's question)."""
    log_patient("view", patient_id, detail, subject_type, subject_id)
    get_session().commit()


def local_time(moment: datetime | None) -> str:
    """A UTC time shown in the clinic's time zone, e.g. "2026-11-21 14:05"."""
    if moment is None:
        return ""
    zone = current_user.clinic.timezone if current_user.is_authenticated else "UTC"
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")
