"""Forms for signing in, the first-run set-up and changing a password."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from planner.passwords import MIN_LENGTH
from planner.web.forms import AddressField, EmailAddress, KnownTimezone, MaxLength, strip


def new_password_field(label: str, description: str) -> Any:
    """A field for a password being set (first run, a new account, a change): required, MIN_LENGTH
    to 200 characters, and the message says so. Returns wtforms' unbound PasswordField."""
    return PasswordField(
        label,
        validators=[
            DataRequired("Enter a password."),
            Length(min=MIN_LENGTH, max=200, message=f"Use a password of {MIN_LENGTH} to 200 characters."),
        ],
        description=description,
    )


class LoginForm(FlaskForm):
    email = AddressField("Email", validators=[DataRequired("Enter your email."), MaxLength(254)], filters=[strip])
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])


class ClinicFields(FlaskForm):
    clinic_name = StringField(
        "Clinic name",
        validators=[
            DataRequired("Enter the clinic's name."),
            MaxLength(120),
        ],
        filters=[strip],
    )
    address = TextAreaField("Address", validators=[Optional(), MaxLength(300)], filters=[strip])
    phone = StringField("Phone", validators=[Optional(), MaxLength(40)], filters=[strip])
    clinic_email = AddressField(
        "Clinic email (optional)",
        validators=[Optional(), EmailAddress(), MaxLength(254)],
        filters=[strip],
    )
    timezone = StringField(
        "Time zone",
        default="UTC",
        validators=[DataRequired("Choose the clinic's time zone."), KnownTimezone()],
        filters=[strip],
        description="For example Europe/London or America/New_York.",
    )


class SetupForm(ClinicFields):
    admin_name = StringField(
        "Your name",
        validators=[
            DataRequired("Enter your name."),
            MaxLength(120),
        ],
        filters=[strip],
    )
    admin_email = AddressField(
        "Your email",
        validators=[DataRequired("Enter your email."), EmailAddress(), MaxLength(254)],
        filters=[strip],
    )
    password = new_password_field("Password", f"At least {MIN_LENGTH} characters.")
    confirm = PasswordField("Password again", validators=[EqualTo("password", "The two passwords differ.")])


class PasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired("Enter your current password.")])
    new_password = new_password_field("New password", f"At least {MIN_LENGTH} characters.")
    confirm = PasswordField("New password again", validators=[EqualTo("new_password", "The two passwords differ.")])
