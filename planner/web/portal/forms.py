"""Forms of the patient's page: a tick, and how the day went (labels in the patient's language)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from planner.services.portal import COMMENT_MAX, DIFFICULTIES
from planner.web.forms import HiddenIdField, choices, strip


class TickForm(FlaskForm):
    exercise = HiddenIdField(validators=[DataRequired()])
    day = HiddenField(validators=[DataRequired()])
    done = HiddenField(default="1")
    # Which time of the day the tick is for (1, 2, …): the same box tapped twice counts once.
    time = HiddenField(default="1")

    def time_number(self) -> int:
        """The time of the day as a number; 1 for anything that is not a small whole number."""
        value = (self.time.data or "1").strip()
        return int(value) if value.isascii() and value.isdigit() and len(value) <= 2 else 1


class DayForm(FlaskForm):
    day = HiddenField(validators=[DataRequired()])
    pain = RadioField(
        _l("Pain today, from 0 (none) to 10 (worst)"),
        coerce=int,
        validators=[Optional()],
        choices=choices([(str(n), str(n)) for n in range(11)]),
    )
    difficulty = RadioField(
        _l("How hard were the exercises?"),
        validators=[Optional()],
        choices=choices([(key, _l(label)) for key, label in DIFFICULTIES.items()]),
    )
    comment = TextAreaField(
        _l("Anything to tell your therapist? (optional)"),
        filters=[strip],
        validators=[Optional(), Length(max=COMMENT_MAX, message=_l("At most %(num)s characters.", num=COMMENT_MAX))],
    )
