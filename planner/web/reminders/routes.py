"""The therapist's dashboard, failed emails sent again, "Email handout", and the private iCal feed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.http import is_resource_modified

from planner.db import get_session
from planner.mail import default_domain, shown_address
from planner.services import (
    DomainError,
    NotFound,
    audit,
    calendar_feed,
    dashboard,
    issuing,
    outbox,
    programs,
    reminders,
)
from planner.services.alerts import comment_preview
from planner.services.clinic_time import clinic_zone, local_today
from planner.services.patterns import DirectionsNotSet
from planner.settings import current as app_settings
from planner.web import back_to_referrer, client_address, isolate, log_patient
from planner.web.admin.forms import ConfirmForm
from planner.web.check_first import unchecked
from planner.web.forms import csrf_field
from planner.web.ids import whole_number

bp = Blueprint("reminders", __name__)


def now() -> datetime:
    return datetime.now(UTC)


@bp.get("/dashboard")
@login_required
def home() -> Any:
    """Re-evaluations overdue, due this week and later; emails that failed, with "Send again"."""
    db = get_session()
    today = local_today(clinic_zone(db, current_user.clinic_id), now())
    board = dashboard.therapist_dashboard(db, current_user, today)
    # The dashboard lists patients' names and dates: a view of patient data, like the patient list.
    audit.record(db, current_user, "list", "dashboard", None, address=client_address())
    db.commit()
    return render_template(
        "reminders/dashboard.html",
        board=board,
        today=today,
        # The hidden CSRF field of every small form on the page: the same on each, so made once
        # (a ConfirmForm made for it cost more than the field).
        csrf_field=csrf_field(),
        due_this_far=reminders.due_this_far,
        alerts=board.alerts,
        comment_preview=comment_preview,
    )


ATTENTION = {  # the dashboard's two lists of things to act on, each with a page of its own
    "alerts": ("Pain alerts from home", dashboard.alerts_page),
    "failed": ("Emails that could not be sent", dashboard.failed_page),
}


def attention_list(kind: str) -> Any:
    """All of the therapist's unseen pain alerts or failed emails, newest first, a page at a time
    (?after=, the last row of the page before).

    :raise 404: for a page after an alert of another clinic, or a number that is not one.
    """
    title, page_of = ATTENTION[kind]
    db = get_session()
    after = request.args.get("after", type=whole_number)
    if "after" in request.args and after is None:
        abort(404)
    rows = page_of(db, current_user, after)
    # Names, dates and what patients wrote: a view of patient data, like the dashboard.
    audit.record(db, current_user, "list", "dashboard", None, detail=kind, address=client_address())
    db.commit()
    return render_template(
        "reminders/attention_list.html",
        kind=kind,
        title=title,
        page=rows,
        csrf_field=csrf_field(),  # each small form's hidden field, made once, as on the dashboard
        comment_preview=comment_preview,
        first_page=after is None,
    )


@bp.get("/dashboard/alerts")
@login_required
def alerts() -> Any:
    """Every unseen pain alert of the therapist's patients, a page at a time. :raise 404: see attention_list."""
    return attention_list("alerts")


@bp.get("/dashboard/failed")
@login_required
def failed() -> Any:
    """Every email that failed for the therapist, a page at a time. :raise 404: see attention_list."""
    return attention_list("failed")


GROUP_TITLES = {
    "overdue": "Overdue re-evaluations",
    "week": "Re-evaluations due this week",
    "later": "Later re-evaluations",
}


@bp.get("/dashboard/due")
@login_required
def due_list() -> Any:
    """All of one list of the dashboard (?group= overdue, week, later), a page at a time (?after=).

    :raise 404: for another list name, or a page that starts after a program the user may not see.
    """
    group = request.args.get("group", "")
    if group not in GROUP_TITLES:
        abort(404)
    db = get_session()
    today = local_today(clinic_zone(db, current_user.clinic_id), now())
    rows = dashboard.due_page(db, current_user, today, group, after=request.args.get("after", type=whole_number))
    audit.record(db, current_user, "list", "dashboard", None, detail=group, address=client_address())
    db.commit()
    return render_template(
        "reminders/due_list.html",
        group=group,
        title=GROUP_TITLES[group],
        rows=rows,
        today=today,
        due_this_far=reminders.due_this_far,
        first_page="after" not in request.args,
    )


@bp.post("/outbox/<int:outbox_id>/resend")
@login_required
def resend(outbox_id: int) -> Any:
    """Put a failed email back in the queue. :raise 404: for another clinic's email."""
    db = get_session()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        row = outbox.resend(db, current_user.clinic_id, outbox_id, now())
    except NotFound:
        raise  # the same 404 as for a missing email
    except DomainError as e:
        flash(e.message, "warning")
    else:
        log_patient("email", row.patient_id, detail=f"send again: {row.kind}", subject_type="outbox", subject_id=row.id)
        db.commit()
        flash("The email will be sent again within a minute.", "success")
    return redirect(back_to_referrer(url_for("reminders.home")))


@bp.post("/programs/<int:program_id>/email-handout")
@login_required
def email_handout(program_id: int) -> Any:
    """Queue the handout PDF to the patient's email; with exercises the pattern flags, once the
    therapist has confirmed them on the check page (web/check_first.unchecked).

    :raise 404: for a program of another clinic.
    """
    db = get_session()
    program = programs.get_program(db, current_user.clinic_id, program_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    # As printing does: the version the email gives is started first when directions (or a
    # clinic's own exercise) changed since the one given, so the check below is for the program
    # as the patient will get it.
    issuing.renew_if_paper_changed(db, program, now())
    check_page, checked = unchecked(
        program, "email", url_for("reminders.email_handout", program_id=program.id), request.form
    )
    if check_page is not None:
        db.commit()  # a renewed version is kept; nothing is sent or issued yet
        return check_page  # exercises the pattern flags: the therapist confirms first
    try:
        outbox.queue_handout_email(db, program, current_user, now())
        log_patient(
            "email", program.patient_id, detail=f"handout{checked}", subject_type="program", subject_id=program.id
        )
        db.commit()
    except DirectionsNotSet:
        db.rollback()
        flash("No email was sent: see why just below.", "error")  # the builder's header names the exercises
    except DomainError as e:
        db.rollback()
        flash(e.message, "error")
    else:
        flash(
            f"The handout is on its way to {isolate(shown_address(program.patient.email))}. If it cannot be sent, it shows on your dashboard.",
            "success",
        )
    return redirect(url_for("programs.edit", program_id=program.id))


def calendar_page(token: str | None) -> str:
    """The Calendar link page, which says what the feed holds (calendar_feed's window and cap)."""
    window = {
        "past_days": calendar_feed.PAST_DAYS,
        "ahead_days": calendar_feed.AHEAD_DAYS,
        "max_events": calendar_feed.MAX_EVENTS,
    }
    feed = calendar_feed.feed_of(get_session(), current_user)
    return render_template("reminders/calendar.html", form=ConfirmForm(), token=token, feed=feed, feed_window=window)


@bp.get("/calendar")
@login_required
def calendar() -> Any:
    return calendar_page(None)


@bp.post("/calendar/new")
@login_required
def calendar_new() -> Any:
    """A new private link (the old one stops working); shown once, only its hash is kept."""
    db = get_session()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    token = calendar_feed.create_feed(db, current_user, now())
    db.commit()
    return calendar_page(token)


@bp.post("/calendar/revoke")
@login_required
def calendar_revoke() -> Any:
    db = get_session()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    calendar_feed.revoke_feed(db, current_user)
    db.commit()
    flash("The calendar link is turned off. Calendars that used it stop updating.", "success")
    return redirect(url_for("reminders.calendar"))


@bp.get("/calendar/<secret:token>.ics")
def feed(token: str) -> Any:
    """The feed itself, for calendar apps (no sign-in: the token is the key).

    :raise 404: for an unknown or revoked token.
    """
    db = get_session()
    feed = calendar_feed.feed_for_token(db, token)
    user = feed.user
    settings = app_settings()
    moment = now()
    contents = calendar_feed.feed_contents(db, user, local_today(clinic_zone(db, user.clinic_id), moment))
    domain = default_domain(settings.message_id_domain)
    full_names = settings.calendar_patient_names
    base_url = settings.public_url
    etag, changed_at = calendar_feed.freshness(feed, contents, (domain, full_names, base_url), moment)
    # A 304 shows no names, but it tells the app that the names it holds are still current.
    audit.record(
        db, user, "list", "calendar_feed", None, detail=f"{len(contents.events)} due", address=client_address()
    )
    db.commit()
    if request.if_none_match:  # it takes precedence over the date (RFC 9110 §13.2.2)
        unmodified = not is_resource_modified(request.environ, etag=etag)
    else:
        since = request.if_modified_since
        unmodified = since is not None and calendar_feed.unchanged_since(changed_at, since)
    if unmodified:
        response = Response(status=304)
    else:
        response = Response(
            calendar_feed.feed_text(feed, etag, changed_at, contents, domain, full_names=full_names, base_url=base_url),
            mimetype="text/calendar",
        )
    response.set_etag(etag)
    response.last_modified = calendar_feed.last_modified(changed_at, moment)
    # Patient names: kept by the therapist's own calendar app at most, never by a shared cache,
    # and asked for again each time (with If-None-Match, so the answer is a short 304).
    response.headers["Cache-Control"] = "private, no-cache"
    return response
