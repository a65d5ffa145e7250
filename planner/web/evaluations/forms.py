"""Forms for re-evaluations (one field per outcome measure, range-checked), visits and clinic measures."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from planner.services.care import VISIT_KINDS
from planner.services.measures import Measure, number
from planner.web.forms import ChoiceField, DecimalNumberField, InWindow, MaxLength, PlainDateField, choices, strip


class EvaluationBase(FlaskForm):
    evaluated_on = PlainDateField(
        "Date of the re-evaluation",
        validators=[DataRequired("Enter the date."), InWindow("re-evaluation date", up_to_today=True)],
    )
    findings = TextAreaField(
        "Findings",
        validators=[Optional(), MaxLength(5000)],
        filters=[strip],
        description="What you saw and what the patient reports.",
    )
    plan_changes = TextAreaField(
        "Plan changes",
        validators=[Optional(), MaxLength(5000)],
        filters=[strip],
        description="What changes in the program; edit the program itself after saving.",
    )


def evaluation_form(measures: list[Measure], **kwargs) -> EvaluationBase:  # noqa: ANN003
    """The evaluation form with an optional field per measure, refusing a value outside its range."""

    class EvaluationForm(EvaluationBase):
        pass

    for m in measures:
        message = f"{m.name}: enter a value from {m.range_text}."
        setattr(
            EvaluationForm,
            m.key,
            DecimalNumberField(
                f"{m.name} ({m.unit})",
                validators=[Optional(), NumberRange(m.low, m.high, message=message)],
                description=f"{number(m.low)}–{number(m.high)}",
            ),
        )
    return EvaluationForm(**kwargs)


class VisitForm(FlaskForm):
    visited_on = PlainDateField(
        "Date of the visit", validators=[DataRequired("Enter the date."), InWindow("visit date", up_to_today=True)]
    )
    kind = ChoiceField("Kind", choices=choices(VISIT_KINDS))
    note = StringField("Short note (optional)", validators=[Optional(), MaxLength(300)], filters=[strip])


class ProfileForm(FlaskForm):
    profile = ChoiceField("Payer profile")


class ClinicMeasureForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired("Enter the measure's name."), MaxLength(120)], filters=[strip])
    unit = StringField(
        "Unit",
        validators=[Optional(), MaxLength(30)],
        filters=[strip],
        default="points",
        description="For example points, degrees, seconds, metres.",
    )
    low = DecimalNumberField("Lowest valid value", validators=[InputRequired("Enter the lowest valid value.")])
    high = DecimalNumberField("Highest valid value", validators=[InputRequired("Enter the highest valid value.")])
    better = ChoiceField("Improvement is", choices=choices([("lower", "a lower value"), ("higher", "a higher value")]))
