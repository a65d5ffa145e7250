"""Forms for two-factor sign-in and personal API tokens."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired

from planner.services.api_tokens import NAME_MAX
from planner.web.forms import MaxLength, strip

# The browser may offer a code from the phone's keychain; no spelling help on a code.
_CODE_INPUT = {"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}


class EnrolForm(FlaskForm):
    code = StringField(
        "Code from the app",
        validators=[DataRequired("Type the 6-digit code your app shows."), MaxLength(20)],
        filters=[strip],
        render_kw={**_CODE_INPUT, "inputmode": "numeric"},
        description="6 digits. A new code shows every 30 seconds.",
    )


class SignInCodeForm(FlaskForm):
    code = StringField(
        "Code",
        validators=[DataRequired("Type the code from your app, or a recovery code."), MaxLength(40)],
        filters=[strip],
        render_kw=_CODE_INPUT,
        description="The 6 digits your authenticator app shows now. Lost your phone? Type a recovery code.",
    )


class PasswordCheckForm(FlaskForm):
    password = PasswordField("Your password", validators=[DataRequired("Type your password.")])


class RequirementForm(FlaskForm):
    required = BooleanField("Require two-factor sign-in for everyone in this clinic")


class TokenForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[
            DataRequired("Give the token a name, such as the script that will use it."),
            MaxLength(NAME_MAX),
        ],
        filters=[strip],
        description="Say what will use it, for example “Nightly export”.",
    )
