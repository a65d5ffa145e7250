"""The patient's own exercise reminders on the phone page, and the stop link of every reminder email.

/p/<token>/reminders: the patient turns daily emails on (choosing the time) or off.
/p/stop/<token>: the email's stop link. GET only asks (mail scanners open links; nothing changes);
POST stops, with no session and no CSRF token: the secret in the path is the authority, and a
mail program's one-click unsubscribe (RFC 8058) posts "List-Unsubscribe=One-Click" there.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from flask import g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from planner.db import get_session
from planner.security import csrf
from planner.services import DomainError, exercise_reminders
from planner.web import secret_key
from planner.web.languages import patient_language
from planner.web.portal.forms import ReminderForm
from planner.web.portal.routes import bp, now, open_link


def _time_text(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


@bp.route("/<secret:token>/reminders", methods=["GET", "POST"])
def reminders(token: str) -> Any:
    """The patient turns daily exercise emails on or off. :raise 404: for a wrong, revoked or expired link."""
    link, _program, _today = open_link(token)
    db = get_session()
    patient = link.patient
    reminder = exercise_reminders.reminder_of(db, patient)
    chosen = reminder.send_time if reminder else exercise_reminders.DEFAULT_TIME
    form = ReminderForm(send_time=_time_text(chosen))
    saved = ""
    if form.validate_on_submit():
        if form.turn_off.data:
            exercise_reminders.turn_off(db, patient, "patient", now())
            db.commit()
            return redirect(url_for("portal.reminders", token=token, saved="off"))
        if not patient.email:
            form.send_time.errors.append(_("We have no email address for you. Ask your therapist to add one."))
        else:
            try:
                send_time = exercise_reminders.parse_time(form.send_time.data or "")
            except DomainError:
                form.send_time.errors.append(_("Enter a time such as 07:30."))
            else:
                exercise_reminders.turn_on(db, patient, send_time, "patient", now(), secret_key())
                db.commit()
                return redirect(url_for("portal.reminders", token=token, saved="on"))
    saved = request.args.get("saved", "")
    reminder = exercise_reminders.reminder_of(db, patient)
    return render_template(
        "portal/reminders.html",
        token=token,
        form=form,
        on=bool(reminder and reminder.enabled),
        send_time=_time_text(reminder.send_time) if reminder else "",
        has_email=bool(patient.email),
        saved=saved,
        # Just saved a time already past today: say no email comes today (trial 11).
        not_today=saved == "on" and reminder is not None and exercise_reminders.waits_for_next_day(db, reminder, now()),
    )


@bp.get("/stop/<secret:token>")
def stop_confirm(token: str) -> Any:
    """Asks before stopping: a GET never changes anything. :raise 404: for a wrong token."""
    reminder = exercise_reminders.by_stop_token(get_session(), token)
    g.patient_language = patient_language(reminder.patient)
    return render_template("portal/stop.html", token=token, on=reminder.enabled, stopped=False)


@bp.post("/stop/<secret:token>")
@csrf.exempt
def stop(token: str) -> Any:
    """Stops the reminders: the confirm page's button, or a mail program's one-click unsubscribe.

    :raise 404: for a wrong token.
    """
    db = get_session()
    reminder = exercise_reminders.stop(db, token, now())
    db.commit()
    g.patient_language = patient_language(reminder.patient)
    return render_template("portal/stop.html", token=token, on=False, stopped=True)
