"""The patient's questionnaire behind the private link: one question a screen, saved as answered.

Plain forms, no JavaScript: a rating is eleven big buttons (0–10), each one a submit, so one tap
answers; text and dates have a Save button. Each answer is saved at once and never changed, so a
patient who stops half way comes back to the next question. Added to the portal blueprint, so the
link's rate limit, private headers, plain 404 and the patient's language apply here too.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField

from planner.db import get_session
from planner.i18n import N_, Translator, translator
from planner.models import Patient
from planner.models.outcomes import Questionnaire
from planner.services import DomainError, NotFound, alerts, portal
from planner.services import questionnaires as q
from planner.web.languages import patient_language
from planner.web.portal.routes import bp, now, open_link, settings

# What each question asks, one whole sentence each (the activity's or symptom's name goes in as typed).
ASKED = {
    "day": N_("These questions came on %(day)s. Which day are your answers about?"),
    "activity_1": N_("Name an activity that is hard for you because of your condition."),
    "activity": N_("Name another hard activity. Or leave it empty and go on."),
    "psfs": N_("How well can you do this activity now: %(name)s?"),
    "pain_now": N_("How strong is your pain right now?"),
    "pain_week": N_("How strong was your worst pain in the last 7 days?"),
    "symptom_1": N_("Name the symptom that bothers you most."),
    "symptom": N_("Name another symptom that bothers you. Or leave it empty and go on."),
    "symptom_rating": N_("How strong is this symptom now: %(name)s?"),
    "tricks": N_("Did a trick ease your symptoms lately? Write what helped."),
    "triggers": N_("What made your symptoms worse lately?"),
}
HINTS = {
    "activity": N_("For example: reading, driving, or holding a cup."),
    "symptom": N_("For example: my head pulls to the right, or my eyes close."),
    "tricks": N_("For example: a light touch on your chin. Leave it empty if nothing helped."),
    "triggers": N_("For example: stress, being tired, or a busy room."),
}
# The two ends of each 0–10 scale.
ENDS = {
    "psfs": (N_("0 means you cannot do it at all."), N_("10 means you can do it as well as before.")),
    "pain": (N_("0 means no pain."), N_("10 means the worst pain you can imagine.")),
    "diary": (N_("0 means not at all."), N_("10 means as strong as it has ever been.")),
}


class AnswerForm(FlaskForm):
    """One answer: which question it is for, and the value (checked by the service)."""

    question = HiddenField()
    value = StringField()


def question_text(step: q.Step, questionnaire: Questionnaire, t: Translator) -> str:
    """The question on the screen, in the patient's language."""
    if step.kind == "date":
        return t.gettext(ASKED["day"], day=t.weekday_date(questionnaire.due_on))
    if step.kind == "name":
        kind, n = step.key.rsplit("_", 1)
        first = n == "1"
        return t.gettext(ASKED[step.key if first else kind])
    if step.item is not None:
        return t.gettext(ASKED["psfs" if step.part == "psfs" else "symptom_rating"], name=step.item.name)
    return t.gettext(ASKED[step.key])


def hint(step: q.Step, t: Translator) -> str:
    key = step.key.rsplit("_", 1)[0] if step.kind == "name" else step.key
    return t.gettext(HINTS[key]) if key in HINTS else ""


def saved_words(questionnaire: Questionnaire, question: str, t: Translator) -> str | None:
    """The saved answer read back in words ("Saved: 4 out of 10."), so the patient sees what is kept."""
    found = next((a for a in questionnaire.answers if a.question == question), None)
    if found is None:
        return None
    if found.rating is not None:
        said = t.gettext("%(num)s out of 10", num=t.number(found.rating))
    elif question == "day":
        said = t.gettext("your answers are about %(day)s", day=t.weekday_date(date.fromisoformat(found.text)))
    elif found.text:
        said = t.quote(found.text)
    elif not question.endswith("_1") and question.split("_")[0] in ("activity", "symptom"):
        said = t.gettext("nothing more to add")
    else:
        said = t.gettext("no answer")
    return t.sentence(t.gettext("Saved: %(answer)s.", answer=said))


def patient_today(token: str) -> tuple[Patient, date, Questionnaire | None]:
    """The patient, the clinic's today and the questionnaire due now. :raise NotFound: for a wrong link."""
    link, _program, today = open_link(token)
    return link.patient, today, q.current_questionnaire(get_session(), link.patient, today, now())


@bp.get("/<secret:token>/questions")
def questions(token: str) -> Any:
    """The next unanswered question, or a thank-you. :raise 404: for a wrong, revoked or expired link."""
    patient, today, questionnaire = patient_today(token)
    get_session().commit()  # the questionnaire row, made when it is first opened
    return render_question(token, patient, today, questionnaire, AnswerForm(formdata=None))


def render_question(
    token: str, patient: Patient, today: date, questionnaire: Questionnaire | None, form: AnswerForm, error: str = ""
) -> str:
    db = get_session()
    language = patient_language(patient)
    t = translator(language)
    step, number, total = q.next_step(db, questionnaire, today) if questionnaire else (None, 0, 0)
    saved = request.args.get("saved", "")
    following = q.next_due_date(patient.outcome_plan, today)  # type: ignore[attr-defined]
    return render_template(
        "portal/questions.html",
        token=token,
        t=t,
        form=form,
        questionnaire=questionnaire,
        step=step,
        number=number,
        total=total,
        asked=question_text(step, questionnaire, t) if step and questionnaire else "",
        hint=hint(step, t) if step else "",
        ends=[t.gettext(e) for e in ENDS[step.part]] if step and step.kind == "rating" else [],
        saved=saved_words(questionnaire, saved, t) if questionnaire and saved else None,
        error=error,
        today=today,
        following=following,
        recent_days=_recent_days(questionnaire, today) if step and step.kind == "date" else [],
    )


RECENT_DAYS = 14  # days offered as buttons for a late questionnaire; an older day is typed


def _recent_days(questionnaire: Questionnaire | None, today: date) -> list[date]:
    """The days a late questionnaire's answers may be about, newest first, as big buttons: from
    today back to the day it came, at most RECENT_DAYS of them (a tap, not a date picker)."""
    if questionnaire is None:
        return []
    count = min(RECENT_DAYS, (today - questionnaire.due_on).days + 1)
    return [today - timedelta(days=n) for n in range(max(count, 0))]


@bp.post("/<secret:token>/questions")
def answer(token: str) -> Any:
    """Save one answer, then on to the next question; a pain answer may alert the therapist.

    :raise 404: for a wrong link, or when no questionnaire is due.
    """
    patient, today, questionnaire = patient_today(token)
    if questionnaire is None:
        raise NotFound()
    form = AnswerForm()
    db = get_session()
    db.commit()  # the questionnaire row stays, whatever happens to the answer
    if not form.validate_on_submit():  # the CSRF token is missing or old
        return render_question(
            token, patient, today, questionnaire, form, _("Please try again. Your page was too old.")
        ), 400
    question = form.question.data or ""
    try:
        rules = alerts.AlertRules(settings().pain_alert_threshold, settings().pain_alert_rise)
        _row, alert = q.answer(db, questionnaire, question, form.value.data or "", today, now(), rules)
        program = portal.program_for_alerts(db, patient)
        if alert is not None and program is not None:
            alerts.queue_pain_alert(db, alert, program, now())
        db.commit()
    except q.AlreadyAnswered:
        db.rollback()  # a second tap or another tab: show what was kept, never change it
    except DomainError as e:
        db.rollback()
        db.refresh(questionnaire)
        return render_question(
            token, patient, today, questionnaire, form, translator(patient_language(patient)).gettext(e.message)
        ), 422
    return redirect(url_for("portal.questions", token=token, saved=question) + "#question")


def waiting(patient: Patient, today: date) -> Questionnaire | None:
    """The questionnaire due now when it still has questions (for the link on the patient's page)."""
    questionnaire = q.current_questionnaire(get_session(), patient, today, now())
    if questionnaire is None or questionnaire.finished_at is not None:
        return None
    return questionnaire


@bp.app_context_processor
def _questions_waiting() -> dict[str, Any]:
    def questions_waiting(token: str) -> Questionnaire | None:
        """For the portal page's include: the questionnaire waiting behind this link, if any."""
        try:
            link, _program, today = open_link(token)
        except NotFound:
            return None
        return waiting(link.patient, today)

    return {"questions_waiting": questions_waiting}
