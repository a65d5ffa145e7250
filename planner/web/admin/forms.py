"""Forms for the administrator: therapists, the clinic's details, the audit log filter."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from planner.paper import PAPERS
from planner.web.auth.forms import new_password_field
from planner.web.forms import (
    AddressField,
    ChoiceField,
    EmailAddress,
    IdField,
    KnownTimezone,
    MaxLength,
    PlainDateField,
    choices,
    strip,
)

ROLE_CHOICES = choices([("therapist", "Therapist"), ("admin", "Administrator")])
# The papers of planner.paper.PAPERS as the clinic page offers them, after the site's setting.
PAPER_CHOICES = [("", "The site's setting"), *((key, f"{p.name} ({p.measures})") for key, p in PAPERS.items())]


def name_field() -> Any:
    """The name of a therapist's account, as the new-account and the edit forms ask it."""
    return StringField(
        "Name",
        validators=[
            DataRequired("Enter the name."),
            MaxLength(120),
        ],
        filters=[strip],
    )


class NewUserForm(FlaskForm):
    name = name_field()
    email = AddressField(
        "Email",
        validators=[DataRequired("Enter the email."), EmailAddress(), MaxLength(254)],
        filters=[strip],
    )
    role = ChoiceField("Role", choices=ROLE_CHOICES, default="therapist")
    password = new_password_field("First password", "Give it to the person; they can change it after signing in.")


class EditUserForm(FlaskForm):
    name = name_field()
    role = ChoiceField("Role", choices=ROLE_CHOICES)


class ClinicForm(FlaskForm):
    name = StringField(
        "Clinic name",
        validators=[
            DataRequired("Enter the clinic's name."),
            MaxLength(120),
        ],
        filters=[strip],
    )
    address = TextAreaField("Address", validators=[Optional(), MaxLength(300)], filters=[strip])
    phone = StringField("Phone", validators=[Optional(), MaxLength(40)], filters=[strip])
    email = AddressField("Email", validators=[Optional(), EmailAddress(), MaxLength(254)], filters=[strip])
    timezone = StringField(
        "Time zone",
        validators=[DataRequired("Choose the clinic's time zone."), KnownTimezone()],
        filters=[strip],
        description="For example Europe/London or America/New_York.",
    )
    # Checked by accounts.check_paper_size, whose message names the choices (not WTForms' "Not a
    # valid choice"); the first option's label names the site's setting (the page sets it).
    paper_size = ChoiceField(
        "Handout paper size",
        choices=choices(PAPER_CHOICES),
        default="",
        validate_choice=False,
        description="The paper your printer holds. Handouts, previews, emailed and exported handouts use it.",
    )


class ConfirmForm(FlaskForm):
    """An empty form: a button with its CSRF token."""


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    user = ChoiceField("Who", coerce=str, validators=[Optional()])
    patient = IdField(
        "Patient number", validators=[Optional()], message="Enter the patient's number as digits, for example 12."
    )
    action = ChoiceField("What", coerce=str, validators=[Optional()])
    date_from = PlainDateField("From", validators=[Optional()])
    date_to = PlainDateField("To", validators=[Optional()])


class AdviceForm(FlaskForm):
    text = StringField(
        "New advice",
        validators=[
            DataRequired("Enter the advice."),
            MaxLength(300),
        ],
        filters=[strip],
        description="One short sentence in plain words, as the patient will read it.",
    )
