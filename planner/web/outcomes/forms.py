"""Forms for the questionnaire schedule, the toxin cycle and injections (the services check again)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, Form, FormField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, NumberRange, Optional

from planner.services import questionnaires, toxin_cycle
from planner.web.forms import (
    CheckboxList,
    ChoiceField,
    DecimalNumberField,
    InWindow,
    MaxLength,
    PlainDateField,
    WholeNumberField,
    choices,
    strip,
)

DOSE_ROWS = 8  # empty rows on the form; more muscles are added by saving and editing


class ScheduleForm(FlaskForm):
    parts = CheckboxList("Questions to send", choices=choices(questionnaires.PARTS))
    every_days = WholeNumberField(
        "Every how many days",
        validators=[Optional(), NumberRange(1, questionnaires.EVERY_DAYS_MAX, "Enter 1 to 365 days.")],
        description="For example 14: the questions come every two weeks.",
    )
    starts_on = PlainDateField("First questions on", validators=[Optional(), InWindow("first day")])


class CycleForm(FlaskForm):
    follow_cycle = BooleanField("Re-evaluations follow the injection cycle")
    peak_weeks = WholeNumberField(
        "Check at the expected peak, weeks after an injection",
        validators=[DataRequired("Enter the weeks."), NumberRange(1, toxin_cycle.WEEKS_MAX, "Enter 1 to 52 weeks.")],
        default=5,
    )
    before_weeks = WholeNumberField(
        "Check before the next injection, weeks after an injection",
        validators=[DataRequired("Enter the weeks."), NumberRange(1, toxin_cycle.WEEKS_MAX, "Enter 1 to 52 weeks.")],
        default=11,
    )


def _muscle_choices() -> list[SelectChoice]:
    """The usual muscles in groups (<optgroup>), then "Other", whose name is typed in."""
    listed = [SelectChoice(m, m, optgroup=group) for group, muscles in toxin_cycle.MUSCLES.items() for m in muscles]
    return [SelectChoice("", "Choose a muscle"), *listed, SelectChoice("other", "Other (type it in)")]


class DoseForm(Form):
    """One muscle: from the list or typed in, with units on each side."""

    muscle = ChoiceField("Muscle", choices=_muscle_choices(), validate_choice=False)
    other = StringField("Other muscle", validators=[Optional(), MaxLength(120)], filters=[strip])
    left_units = DecimalNumberField(
        "Left (units)", validators=[Optional(), NumberRange(0, toxin_cycle.UNITS_MAX, "0 to 1000 units.")]
    )
    right_units = DecimalNumberField(
        "Right (units)", validators=[Optional(), NumberRange(0, toxin_cycle.UNITS_MAX, "0 to 1000 units.")]
    )

    @property
    def muscle_name(self) -> str:
        """The muscle as saved: the typed name wins over the list's "Other"."""
        return self.other.data or ("" if self.muscle.data in ("", "other") else self.muscle.data or "")


class InjectionForm(FlaskForm):
    injected_on = PlainDateField(
        "Date of the injection",
        validators=[DataRequired("Enter the date."), InWindow("date of the injection", up_to_today=True)],
    )
    product = StringField(
        "Product",
        validators=[Optional(), MaxLength(80)],
        filters=[strip],
        description="For example onabotulinumtoxinA (Botox) or abobotulinumtoxinA (Dysport): units differ.",
    )
    injected_by = StringField("Injected by", validators=[Optional(), MaxLength(120)], filters=[strip])
    doses = FieldList(FormField(DoseForm), min_entries=DOSE_ROWS)
    note = TextAreaField("Note", validators=[Optional(), MaxLength(toxin_cycle.TEXT_MAX)], filters=[strip])
