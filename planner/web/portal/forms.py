"""Forms of the patient's page: a tick, taking a tick back, and how the day went (labels in the patient's language)."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import HiddenField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from planner.i18n import N_, translator
from planner.services.portal import COMMENT_MAX, DIFFICULTIES
from planner.web.forms import HiddenIdField, choices, csrf_field, strip


class TickForm(FlaskForm):
    """Ticks only: the same tap twice still means done (taking a tick back is UndoForm)."""

    exercise = HiddenIdField(validators=[DataRequired()])
    day = HiddenField(validators=[DataRequired()])
    # Which time of the day the tick is for (1, 2, …): each time has its own box, so the same
    # box tapped twice counts once.
    time = HiddenField(default="1")
    # Which copy of the exercise (GivenItem.copy): 0 the first or only, 1 the second of an
    # exercise given for each side, ticked on its own. Missing (a page from before): the first.
    copy = HiddenField(default="0")

    def time_number(self) -> int:
        """The time of the day as a number; 1 for anything that is not a small whole number."""
        return _time_number(self.time.data) or 1

    def copy_number(self) -> int:
        """The copy as a number; 0 for anything that is not a small whole number."""
        return _copy_number(self.copy.data)


def tick_token() -> Markup:
    """The hidden CSRF field of a TickForm (`{{ tick.csrf_token }}`), written without making the
    form for each of the page's tick buttons (forms.csrf_field). tests/test_attributes.py holds
    the two the same."""
    return csrf_field()


class UndoForm(FlaskForm):
    """Take back the tick of one exercise on one day, after the patient was asked."""

    exercise = HiddenIdField(validators=[DataRequired()])
    day = HiddenField(validators=[DataRequired()])
    # When the question was shown (UTC, ISO): a "yes" within portal.REPEAT_SECONDS of it is the
    # second tap of the one that opened the page (its button lies where the link was), not a choice.
    asked_at = HiddenField()
    # Done several times a day: the time the page named (2 of 3), so a second tap of "Yes"
    # cannot take back time 1 as well.
    time = HiddenField()
    copy = HiddenField(default="0")  # which copy of the exercise, as TickForm's

    def time_number(self) -> int | None:
        """The time named, as a number; None when none was sent or it is not a small whole number."""
        return _time_number(self.time.data)

    def copy_number(self) -> int:
        """The copy as a number; 0 for anything that is not a small whole number."""
        return _copy_number(self.copy.data)


def _copy_number(value: str | None) -> int:
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 2 else 0


def _time_number(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and 0 < len(value) <= 2 else None


# The day form's labels: the form's, and day_fields' (the same words, without a form).
# (No "today": the form is for the day the page shows, a past one too; its heading names it.)
PAIN_LABEL = N_("Pain, from 0 (none) to 10 (worst)")
DIFFICULTY_LABEL = N_("How hard were the exercises?")
COMMENT_LABEL = N_("Anything to tell your therapist? (optional)")


class DayForm(FlaskForm):
    day = HiddenField(validators=[DataRequired()])
    pain = RadioField(
        _l(PAIN_LABEL),
        coerce=int,
        validators=[Optional()],
        choices=choices([(str(n), str(n)) for n in range(11)]),
    )
    difficulty = RadioField(
        _l(DIFFICULTY_LABEL),
        validators=[Optional()],
        choices=choices([(key, _l(label)) for key, label in DIFFICULTIES.items()]),
    )
    comment = TextAreaField(
        _l(COMMENT_LABEL),
        filters=[strip],
        validators=[Optional(), Length(max=COMMENT_MAX, message=_l("At most %(num)s characters.", num=COMMENT_MAX))],
    )


class ReminderForm(FlaskForm):
    """Daily exercise emails: the time of day, and on or off (the button pressed)."""

    send_time = StringField(_l("Time of day"), filters=[strip])
    turn_on = SubmitField(_l("Send me a daily email"))
    turn_off = SubmitField(_l("Stop the emails"))


# The phone page's radio buttons, per field, value and language: the choices never change.
_options: dict[tuple[Any, ...], Markup] = {}
_options_lock = threading.Lock()


def radio_options(field: RadioField, spanned: bool, language: str | None = None) -> Markup:
    """Each option of `field` as the phone page writes it: `<label>`, the radio button, then its
    text (in a `<span>` when `spanned`, else after a space), `</label>`; the very markup the
    template's loop over the field wrote. Kept per process by the field's name and id, its value
    and the page's language (the choices are fixed, their words in that language); a field with
    an error is written afresh (it is shown beside it). `language`: the page's, when the caller
    has it (Flask-Babel's locale otherwise)."""
    key = (field.name, field.id, repr(field.data), language or str(get_locale()), spanned)
    if not field.errors:
        with _options_lock:
            kept = _options.get(key)
        if kept is not None:
            return kept
    shape = "<label>{}<span>{}</span></label>" if spanned else "<label>{} {}</label>"
    written = Markup("".join(shape.format(option(), escape(option.label.text)) for option in field))  # noqa: S704
    if not field.errors:
        with _options_lock:
            _options[key] = written
    return written


def day_fields(day: date, pain: int | None, difficulty: str | None, comment: str, language: str) -> Markup:
    """The how-did-it-go form's fields for a day as saved (nothing typed, no error), as
    portal/page.html writes them from a DayForm: the CSRF token, the day, the pain and difficulty
    radio buttons under their legends, the comment under its label. Making and writing the form
    cost some 600 Python calls a phone page view; one sent back with errors is still written from
    the DayForm. tests/test_phone_page.py holds the two the same.

    pain, difficulty, comment: the day's report's (None, None, "" without one); language: the page's.
    """
    t = translator(language)
    return Markup(  # noqa: S704  (every value escaped; the radio buttons as radio_options wrote them)
        f'{tick_token()}<input id="day" name="day" type="hidden" value="{day.isoformat()}">\n'
        f'    <fieldset class="pain">\n      <legend>{escape(t.gettext(PAIN_LABEL))}</legend>\n'
        f'      <div class="scale">{_radios("pain", pain, True, language)}</div>\n      \n    </fieldset>\n'
        f'    <fieldset class="difficulty">\n      <legend>{escape(t.gettext(DIFFICULTY_LABEL))}</legend>\n'
        f"      {_radios('difficulty', difficulty, False, language)}\n    </fieldset>\n"
        f'    <label for="comment">{escape(t.gettext(COMMENT_LABEL))}</label>\n'
        f'    <textarea dir="auto" id="comment" maxlength="{COMMENT_MAX}" name="comment" rows="3">\r\n'
        f"{escape(comment)}</textarea>\n    "
    )


def _radios(name: str, value: Any, spanned: bool, language: str) -> Markup:
    """radio_options of the DayForm's field `name` holding `value`, kept by the key it keeps them
    by (the form is made only the first time)."""
    with _options_lock:
        kept = _options.get((name, name, repr(value), language, spanned))
    if kept is not None:
        return kept
    return radio_options(DayForm(formdata=None, **{name: value})[name], spanned, language)
