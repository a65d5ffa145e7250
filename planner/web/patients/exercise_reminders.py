"""The therapist's side of daily exercise reminders: record the patient's consent and the time, or stop them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField

from planner.db import get_session
from planner.models import ExerciseReminder, Patient
from planner.services import DomainError, exercise_reminders, patient_links, patients
from planner.web import isolate, log_patient, patient_viewed, secret_key
from planner.web.forms import show_error, strip
from planner.web.patients.routes import bp


class ExerciseReminderForm(FlaskForm):
    consent = BooleanField("The patient agreed to a daily exercise email")
    send_time = StringField("Time of day", filters=[strip], description="In the clinic's time zone, such as 07:30.")
    turn_on = SubmitField("Save and turn on")
    turn_off = SubmitField("Turn off")


@bp.app_context_processor
def _exercise_reminder_of() -> dict[str, Any]:
    """`exercise_reminder_of(patient)` for the patient page's section (None: never turned on)."""

    def exercise_reminder_of(patient: Patient) -> ExerciseReminder | None:
        return exercise_reminders.reminder_of(get_session(), patient)

    def has_working_link(patient: Patient) -> bool:
        """Whether the patient has a private link that works: the email carries it, so none goes without."""
        return patient_links.current_link(get_session(), patient.id, datetime.now(UTC)) is not None

    return {"exercise_reminder_of": exercise_reminder_of, "has_working_link": has_working_link}


@bp.route("/<int:patient_id>/exercise-reminders", methods=["GET", "POST"])
@login_required
def exercise_reminder(patient_id: int) -> Any:
    """Turn the daily email on (with the patient's consent, recorded with the date and who) or off.

    :raise 404: for a patient of another clinic.
    """
    db = get_session()
    patient = patients.get_patient(db, current_user.clinic_id, patient_id)
    reminder = exercise_reminders.reminder_of(db, patient)
    chosen = reminder.send_time if reminder else exercise_reminders.DEFAULT_TIME
    form = ExerciseReminderForm(send_time=f"{chosen.hour:02d}:{chosen.minute:02d}")
    if form.validate_on_submit():
        now = datetime.now(UTC)
        if form.turn_off.data:
            exercise_reminders.turn_off(db, patient, "therapist", now, current_user)
            log_patient("update", patient.id, "exercise reminders off")
            db.commit()
            flash(f"Daily exercise emails to {isolate(patient.name)} are off.", "success")
            return redirect(url_for("patients.show", patient_id=patient.id))
        if not form.consent.data and not (reminder and reminder.enabled):  # a new time needs no new consent
            show_error(form, "consent", "Tick this only when the patient agreed.")
        else:
            try:
                send_time = exercise_reminders.parse_time(form.send_time.data or "")
                reminder = exercise_reminders.turn_on(
                    db, patient, send_time, "therapist", now, secret_key(), current_user
                )
            except DomainError as e:
                db.rollback()
                show_error(form, e.field, str(e))
            else:
                log_patient("update", patient.id, f"exercise reminders on at {send_time:%H:%M}")
                db.commit()
                waits = exercise_reminders.waits_for_next_day(db, reminder, now)
                begins = " from the next exercise day" if waits else ""
                flash(f"{isolate(patient.name)} gets a daily exercise email at {send_time:%H:%M}{begins}.", "success")
                return redirect(url_for("patients.show", patient_id=patient.id))
    patient_viewed(patient.id, "exercise reminders form")
    return render_template("exercise_reminders/therapist.html", form=form, patient=patient, reminder=reminder)
