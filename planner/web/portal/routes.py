"""The patient's page behind the private link: today's exercises, ticks, pain and comments.

No account and no password: the link is the key. A wrong, revoked or expired link gets the same
plain 404; requests are limited per address; the page loads nothing from elsewhere and is not indexed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from planner.db import get_session
from planner.handouts import words
from planner.handouts.content import given_tips
from planner.i18n import N_, translator
from planner.models import Clinic, Program
from planner.models.portal import DayReport, PatientLink
from planner.services import (
    DomainError,
    NotFound,
    alerts,
    file_names,
    given,
    home_reports,
    paper_state,
    patient_links,
    patterns,
    portal,
)
from planner.services.faults import HandoutNotMade
from planner.services.patterns import TickKey
from planner.services.reevaluation import kept_next_reevaluation
from planner.settings import PortalSettings
from planner.settings import current as app_settings
from planner.web.handouts.response import pdf_response
from planner.web.languages import patient_language
from planner.web.phone_link import patient_url
from planner.web.portal.forms import DayForm, TickForm, UndoForm, day_fields, radio_options, tick_token
from planner.web.portal.limiter import SlidingWindow
from planner.web.portal.steps import steps_html
from planner.web.programs.panels import item_movement

bp = Blueprint("portal", __name__, url_prefix=portal.PATH)


def settings() -> PortalSettings:
    return app_settings().portal


def limiter() -> SlidingWindow:
    if "portal_limiter" not in current_app.extensions:
        current_app.extensions["portal_limiter"] = SlidingWindow(settings().requests_per_minute)
    return current_app.extensions["portal_limiter"]


@bp.before_request
def _limit() -> Any:
    if not limiter().allow(request.remote_addr or ""):
        return render_template(
            "portal/plain.html", title=_("Too many requests"), message=_("Please wait a minute, then try again.")
        ), 429
    return None


@bp.after_request
def _private(response: Response) -> Response:
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"  # the token never leaves in a Referer header
    # The language the patient reads here (the page, its messages, the handout PDF), as the
    # page's html lang says: for a screen reader's voice, a browser's offer to translate.
    response.headers["Content-Language"] = str(get_locale() or "en")
    return response


@bp.errorhandler(NotFound)
def _not_found(_error: NotFound) -> Any:
    return render_template(
        "portal/plain.html",
        title=_("Page not found"),
        message=_("This link does not work. Please ask your therapist for a new one."),
    ), 404


def now() -> datetime:
    return datetime.now(UTC)


def open_link(token: str) -> tuple[PatientLink, Program | None, date]:
    """The link, the program the patient follows, and today in the clinic's time zone; read once
    per request (the page's questions link asks again while the page is drawn).

    :raise NotFound: for a wrong, revoked or expired token alike.
    """
    opened = g.get("portal_opened")
    if opened is not None and opened[0] == token:
        return opened[1]
    db = get_session()
    link = patient_links.resolve(db, token, now())
    patient = link.patient
    # The rest of the request (the page, its form's labels) is in the patient's language.
    g.patient_language = patient_language(patient)
    clinic = db.get(Clinic, patient.clinic_id)
    assert clinic is not None  # the patient's clinic (a foreign key)
    zone = ZoneInfo(clinic.timezone)
    today = now().astimezone(zone).date()
    found = link, portal.active_program(db, patient, items=True), today
    # The clinic held with them for the request: the session keeps only rows something refers to,
    # and the day's plan reads the clinic's time zone again (day_plan: one statement fewer).
    g.portal_opened = (token, found, clinic)
    return found


def chosen_day(today: date, program: Program | None) -> date:
    """The day asked for, when the patient may add what they did for it (portal.log_days); else today."""
    try:
        day = date.fromisoformat(request.values.get("day", ""))
    except ValueError:
        return today
    return day if day in portal.log_days(today, program.start_date if program else None) else today


@bp.get("/<secret:token>")
def page(token: str) -> Any:
    """:raise 404: for a wrong, revoked or expired link."""
    link, program, today = open_link(token)
    day = chosen_day(today, program)
    db = get_session()
    report = next(
        (r for r in home_reports.pain_history(db, link.clinic_id, link.patient_id, day) if r.day == day), None
    )
    return render_page(token, link, program, today, day, None, saved=request.args.get("saved", ""), report=report)


@dataclass(frozen=True)
class Saved:
    """The confirmation shown beside the control the patient used: which section, and what was saved."""

    section: str  # "exercise-<id>" or "how", the id of the section that holds the control
    words: str  # "Saved: pain 4 out of 10."


def saved_message(
    saved: str,
    day: date,
    today: date,
    report: DayReport | None,
    done: set[TickKey],
    language: str = "en",
    plan: dict[TickKey, portal.PlannedExercise] | None = None,
) -> Saved | None:
    """What the page confirms after a save, read back from what is stored (so it says what really was saved).

    saved: "how" after the day's report, "exercise-<anchor>" after a tick (GivenItem.anchor: the
    exercise's id, "-1" after it for its second copy; done: the (exercise id, copy) ticked that
    day; plan: portal.day_plan, so an exercise done several times a day says how many of them),
    "too-soon-<anchor>" after a tap that did not count (portal.a_moment_ago); anything else shows nothing. In `language`, the patient's.
    """
    t = translator(language)
    on_day = {"day": t.weekday_date(day)}
    if saved == "how":
        parts = []
        if report is not None and report.pain is not None:
            parts.append(t.gettext("pain %(pain)s out of 10", pain=t.number(report.pain)))
        if report is not None and report.difficulty in _DIFFICULTY_SAID:
            parts.append(t.gettext(_DIFFICULTY_SAID[report.difficulty]))
        if report is not None and report.comment:
            parts.append(t.gettext("your note"))
        if not parts:
            if day == today:
                return Saved("how", t.gettext("Saved. You left every answer empty."))
            return Saved("how", t.gettext("Saved for %(day)s. You left every answer empty.", **on_day))
        # "a, b and c" as the language lists things (CLDR's list patterns), not glued with English "and".
        listed = t.listed(parts)
        if day == today:
            return Saved("how", t.gettext("Saved: %(list)s.", list=listed))
        return Saved("how", t.gettext("Saved for %(day)s: %(list)s.", list=listed, **on_day))
    too_soon = saved.removeprefix("too-soon-")
    if saved.startswith("too-soon-") and _anchored(too_soon) is not None:
        seconds = {"seconds": t.number(portal.REPEAT_SECONDS)}
        return Saved(
            f"exercise-{too_soon}",
            t.gettext(
                "We did not count that tap. It came within %(seconds)s seconds of the last one. "
                "If you did this exercise again, wait a moment and tap again.",
                **seconds,
            ),
        )
    key = _anchored(saved.removeprefix("exercise-"))
    if saved.startswith("exercise-") and key is not None:
        is_done = key in done
        planned = (plan or {}).get(key)
        if is_done and planned is not None and planned.times > 1:
            counted = {"done": t.number(planned.done), "times": t.number(planned.times)}
            if day == today:
                return Saved(saved, t.gettext("Saved: %(done)s of %(times)s times done today.", **counted))
            return Saved(saved, t.gettext("Saved: %(done)s of %(times)s times done on %(day)s.", **counted, **on_day))
        if day == today:
            said = t.gettext("Saved: done today.") if is_done else t.gettext("Saved: not done today.")
        elif is_done:
            said = t.gettext("Saved: done on %(day)s.", **on_day)
        else:
            said = t.gettext("Saved: not done on %(day)s.", **on_day)
        return Saved(saved, said)
    return None


def _anchored(anchor: str) -> TickKey | None:
    """The (exercise id, copy) of a card's anchor (GivenItem.anchor: "12", "12-1"); None for anything else."""
    exercise_id, _, copy = anchor.partition("-")
    if not (exercise_id.isascii() and exercise_id.isdigit() and (not copy or (copy.isascii() and copy.isdigit()))):
        return None
    return int(exercise_id), int(copy or 0)


# How the day's difficulty is confirmed, one whole phrase each (portal.DIFFICULTIES are the choices).
_DIFFICULTY_SAID = {
    "easy": N_("exercises easy"),
    "right": N_("exercises about right"),
    "hard": N_("exercises hard"),
}


def handed_out(program: Program | None) -> given.Given | None:
    """The version of `program` the patient was given (given.given_version), read once per request;
    None without a program. The page, its ticks and its PDF show this, never a later edit."""
    if program is None:
        return None
    cached = g.get("portal_given")
    if cached is not None and cached[0] == program.id:
        return cached[1]
    found = given.given_version(get_session(), program)
    g.portal_given = (program.id, found)
    return found


def render_page(
    token: str,
    link: PatientLink,
    program: Program | None,
    today: date,
    day: date,
    day_form: DayForm | None,
    saved: str = "",
    report: DayReport | None = None,
) -> str:
    """The patient's page for one day, with that day's ticks and the how-did-it-go form: the
    program's last given version (handed_out), as the patient's paper says it.

    saved: the section just saved ("how" or "exercise-<id>"), confirmed inside that section.
    day_form: a DayForm sent back with errors; None: the day's report as saved (`report`), its
    fields written without a form (forms.day_fields).
    """
    handed = handed_out(program)
    items = handed.items if handed else []
    # Per exercise: due that day or resting, its times a day and how many were ticked.
    plan = portal.day_plan(get_session(), handed.program, day, handed) if handed else {}
    done = {key for key, planned in plan.items() if planned.done}
    days = portal.log_days(today, program.start_date if program else None)
    language = patient_language(link.patient)
    # Each item's direction and words; an exercise whose way to move is not set, or not checked, waits (not counted).
    # A new sheet to come is said once, where read first: the count line, else the first moved card.
    count = portal.day_count(plan)
    prescribed = given.prescribed_once(items, language, portal.count_tells_new_sheet(count, day == today))
    return render_template(
        "portal/page.html",
        token=token,
        language=language,
        t=translator(language),
        # Each exercise's name, steps and cautions in the patient's language (as written when
        # untranslated), a clinic's own exercise as given, by its number: an exercise given once
        # for each side has its side in each copy's name (GivenItem.text).
        texts={item.number: item.text(language) for item in items},
        # Only the preferred name: the link can be seen by others, and no first name is guessed.
        called_name=link.patient.preferred_name,
        program=handed,
        # The tips of the version given, as its handout prints them, under the handout's heading.
        tips=given_tips(handed, language) if handed else [],
        tips_heading=words.of(language).headings["day"],
        day=day,
        today=today,
        days=days,
        done=done,
        plan=plan,
        prescribed=prescribed,
        count_words=portal.count_sentence(count, day == today, language),
        tick_token=tick_token(),  # each tick button's hidden CSRF field, as a TickForm writes it
        item_movement=item_movement,
        steps_html=steps_html,
        radio_options=radio_options,
        # The page's and the tick's addresses, made once for the page's day links and tick forms.
        page_url=url_for("portal.page", token=token),
        tick_url=url_for("portal.tick", token=token),
        day_form=day_form,
        day_fields=None
        if day_form is not None
        else day_fields(
            day,
            report.pain if report else None,
            report.difficulty if report else None,
            report.comment if report else "",
            language,
        ),
        saved=saved_message(saved, day, today, report, done, language, plan),
        # The safety rule, and a recorded tremor's stop rule beside it, as the handout says them
        # (the pattern is read with the program's items).
        safety_lines=patterns.safety_lines(link.patient if handed else None, language),
        # The next re-evaluation's date when it has moved since the paper was given: the page gives the
        # new one and the paper's, as the PDF and the reminder email do (paper_state.check_up_moved).
        check_up=paper_state.check_up_moved(handed.snapshot, kept_next_reevaluation(handed.program))
        if handed
        else None,
    )


@bp.post("/<secret:token>/tick")
def tick(token: str) -> Any:
    """Tick one exercise for a day. It only ever ticks: a second tap counts once and undoes nothing.

    :raise 404: for a wrong link or an exercise not in the program.
    """
    link, program, today = open_link(token)
    form = TickForm()
    if program is None or not form.validate_on_submit():
        raise NotFound()
    try:
        day = date.fromisoformat(form.day.data)
        copy = form.copy_number()
        counted = portal.tick(
            get_session(), program, int(form.exercise.data), day, today, now=now(), time=form.time_number(), copy=copy
        )
        get_session().commit()
    except NotFound:
        raise
    except (ValueError, DomainError):
        get_session().rollback()
        return redirect(url_for("portal.page", token=token))
    return back_to_tick(token, _anchor(int(form.exercise.data), copy), day, "exercise" if counted else "too-soon")


def _asked_a_moment_ago(asked_at: str | None, moment: datetime) -> bool:
    """True when the undo question was shown a moment before `moment` (aware UTC; portal.a_moment_ago).

    A missing or unreadable time (an old page) is no reason to refuse: the question was asked.
    """
    try:
        asked = datetime.fromisoformat(asked_at or "")
    except ValueError:
        return False
    return asked.tzinfo is not None and portal.a_moment_ago(asked, moment)


def _anchor(exercise_id: int, copy: int) -> str:
    """GivenItem.anchor of (exercise id, copy): the card's part of the page's ids."""
    return f"{exercise_id}-{copy}" if copy else str(exercise_id)


def back_to_tick(token: str, anchor: str, day: date, said: str = "exercise") -> Any:
    """Back to the tick itself (the card is taller than a phone's screen), with the confirmation
    there; `anchor`: the card's (GivenItem.anchor); `said`: "too-soon" for a tap that did not
    count (portal.a_moment_ago)."""
    section = f"exercise-{anchor}"
    return redirect(
        url_for("portal.page", token=token, day=day.isoformat(), saved=f"{said}-{anchor}") + f"#{section}-tick"
    )


@bp.route("/<secret:token>/undo", methods=["GET", "POST"])
def undo(token: str) -> Any:
    """Ask, naming the exercise, the day and (done several times a day) which time, then take that tick back.

    A tick under portal.REPEAT_SECONDS old stays (said on the page): that is a second shaky tap.
    :raise 404: for a wrong link or an exercise not in the program.
    """
    link, program, today = open_link(token)
    if program is None:
        raise NotFound()
    form = UndoForm() if request.method == "POST" else UndoForm(formdata=request.args)
    handed = handed_out(program)
    key = (form.exercise.data, form.copy_number())
    item = next((i for i in handed.items if i.key == key), None) if handed else None
    try:  # the day asked about, never another: an old page must not take back today's tick
        day = portal.check_day(date.fromisoformat(form.day.data or ""), today)
    except (ValueError, DomainError):
        day = None
    if item is None or day is None:
        raise NotFound()
    db = get_session()
    error = None
    if request.method == "POST" and form.validate_on_submit():
        try:
            if _asked_a_moment_ago(form.asked_at.data, now()):
                raise DomainError(
                    _("You opened this a moment ago, so the tick stays. To take it away, tap the button again.")
                )
            portal.untick(db, program, item.exercise_id, day, today, now(), form.time_number(), item.copy)
            db.commit()
        except DomainError as problem:
            db.rollback()
            error = _(problem.message)  # the service's messages to a patient are marked for translation
        else:
            return back_to_tick(token, item.anchor, day)
    elif item.key not in portal.ticked(db, program, day):
        return back_to_tick(token, item.anchor, day)  # nothing to take back
    else:
        form.asked_at.data = now().isoformat()
    form.day.data = day.isoformat()
    # Done several times a day, the latest time is what goes: the page names it (time 2 of 3).
    planned = portal.day_plan(db, program, day, handed)[item.key]
    form.copy.data = str(item.copy)
    form.time.data = str(planned.done)
    language = patient_language(link.patient)
    page = render_template(
        "portal/undo.html",
        token=token,
        exercise=item.exercise,
        anchor=item.anchor,
        planned=planned,
        text=item.text(language),
        t=translator(language),
        day=day,
        today=today,
        form=form,
        error=error,
    )
    return page, 422 if error else 200


@bp.post("/<secret:token>/day")
def report(token: str) -> Any:
    """Save pain, difficulty and a comment for a day; may alert the therapist.

    :raise 404: for a wrong link.
    """
    link, program, today = open_link(token)
    if program is None:
        raise NotFound()
    form = DayForm()
    db = get_session()
    if form.validate_on_submit():
        try:
            day = date.fromisoformat(form.day.data)
            rules = alerts.AlertRules(settings().pain_alert_threshold, settings().pain_alert_rise)
            alert = portal.report_day(
                db,
                program,
                day,
                today,
                form.pain.data,
                form.difficulty.data or "",
                form.comment.data or "",
                now(),
                rules,
            )
            if alert is not None:
                alerts.queue_pain_alert(db, alert, program, now())
            db.commit()
        except (ValueError, DomainError):
            db.rollback()
        else:
            # To the confirmation itself: the form is taller than a phone's screen, and the Save
            # button the patient used sits right below it.
            return redirect(url_for("portal.page", token=token, day=day.isoformat(), saved="how") + "#how-saved")
    return render_page(token, link, program, today, chosen_day(today, program), form), 422


def not_ready(token: str) -> Any:
    """The answer to a handout asked for while an exercise waits (no side set yet, or not checked
    by the therapist yet): a page that says so, 409, never a PDF that leaves the exercise out."""
    return _plain_page(
        token,
        _("Your handout is not ready yet"),
        _("An exercise waits for your therapist. Your exercise page says which one."),
        409,
    )


def _plain_page(token: str, title: str, message: str, status: int) -> Any:
    """A short page in the patient's words with a link back to their exercise page, and `status`."""
    return render_template(
        "portal/plain.html", title=title, message=message, back=url_for("portal.page", token=token)
    ), status


@bp.get("/<secret:token>/handout.pdf")
def handout(token: str) -> Any:
    """The handout of the version given to the patient (handed_out), as its paper said it: never an
    edit or a re-evaluation's new direction the therapist has not printed, emailed or shared yet,
    so nothing is given here. While an exercise of it waits (no side, or the pattern flags it and
    the therapist had not checked it), a page that says so (409: not_ready); one that could not be
    made, a page that says so (500: not_made).
    :raise 404: for a wrong link."""
    link, program, _today = open_link(token)
    handed = handed_out(program)
    if handed is None:
        raise NotFound()
    if any(item.waiting for item in handed.items):
        return not_ready(token)
    from planner.handouts import build_given_handout

    language = patient_language(link.patient)
    try:
        pdf = build_given_handout(
            get_session(),
            handed,
            now(),
            online_url=patient_url(link.patient),
            options=current_app.extensions["settings"].handouts,
            language=language,
        )
    except HandoutNotMade:  # the fault is in the log; the patient reads what to do instead
        return not_made(token)
    # Named from the title the handout prints, in the patient's language.
    return pdf_response(pdf, file_names.handout_file_name(handed.title, language))


@bp.get("/<secret:token>/photo/<int:number>")
def photo(token: str, number: int) -> Any:
    """The photo of exercise `number` of the version given to the patient (a clinic's own exercise
    with a photo, as its handout prints it), for the phone page.
    :raise 404: for a wrong link, or a number with no exercise or no photo in that version."""
    _link, program, _today = open_link(token)
    handed = handed_out(program)
    exercise = next((item.exercise for item in handed.items if item.number == number), None) if handed else None
    if exercise is None or not exercise.photo_mime or exercise.photo is None:
        raise NotFound()
    response = Response(exercise.photo, mimetype=exercise.photo_mime)
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


def not_made(token: str) -> Any:
    """The answer to a handout that could not be made (a fault on our side, logged with its
    reference): a page that says so in the patient's words, 500, never a Python error."""
    return _plain_page(
        token,
        _("Your handout could not be opened"),
        _("Something went wrong on our side. Your exercise page still works. Please tell your clinic."),
        500,
    )
