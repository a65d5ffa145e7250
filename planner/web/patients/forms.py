"""The patient form: every field a therapist keeps about a patient."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from planner.catalog.vocabulary import condition_label
from planner.web.forms import (
    AddressField,
    BirthDate,
    CheckboxList,
    ChoiceField,
    EmailAddress,
    MaxLength,
    PlainDateField,
    choices,
    strip,
)


class PatientForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[
            DataRequired("Enter the patient's name."),
            MaxLength(120),
        ],
        filters=[strip],
    )
    preferred_name = StringField(
        "Preferred name (optional)",
        validators=[Optional(), MaxLength(120)],
        filters=[strip],
        description="What the phone page and emails call the patient, such as María José. "
        "Left empty: the phone page says only “Hello” and emails use the whole name.",
    )
    date_of_birth = PlainDateField(
        "Date of birth (optional)",
        validators=[Optional(), BirthDate()],
        description="As year-month-day, for example 1956-03-21.",
    )
    email = AddressField(
        "Email (optional)",
        validators=[Optional(), EmailAddress(), MaxLength(254)],
        filters=[strip],
    )
    phone = StringField(
        "Phone (optional)",
        validators=[Optional(), MaxLength(40)],
        filters=[strip],
    )
    language = ChoiceField("Preferred language")
    large_print = BooleanField("Large print on handouts")
    reminder_consent = BooleanField(
        "Agrees to email reminders when a re-evaluation is due",
        description="Needs an email address. The email only says the re-evaluation "
        "is due and asks them to call to book.",
    )
    condition = TextAreaField(
        "Condition",
        validators=[Optional(), MaxLength(2000)],
        filters=[strip],
        description="In your words; the tags below help find patients and exercises.",
    )
    condition_tags = CheckboxList("Condition tags")
    primary_therapist_id = ChoiceField("Primary therapist", coerce=str)
    notes = TextAreaField("Notes", validators=[Optional(), MaxLength(10000)], filters=[strip])

    def __init__(self, *args, languages: dict[str, str], tags: list[str], therapists: list, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.language.choices = choices(languages)
        self.condition_tags.choices = choices([(t, condition_label(t)) for t in tags])
        self.primary_therapist_id.choices = choices(
            [("", "Not assigned")] + [(str(t.id), t.name) for t in therapists], typed=True
        )


class EraseForm(FlaskForm):
    """The administrator types the patient's full name to confirm an erasure."""

    name = StringField(
        "Type the patient's full name",
        validators=[DataRequired("Type the patient's full name to confirm."), MaxLength(200)],
    )
