"""Field rules shared by the forms of several features."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape
from wtforms import (
    DateField,
    EmailField,
    Field,
    FloatField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    widgets,
)
from wtforms.validators import Length, ValidationError

from planner.bidi import isolate
from planner.mail import INVALID_ADDRESS, address_problem, shown_address
from planner.services import DomainError
from planner.services.calendar_window import check_birth_date, check_in_window, check_since_birth
from planner.services.clinic_time import local_today
from planner.settings import current as app_settings
from planner.web.ids import whole_number

# A number as a person types it: digits of any script, a decimal point or comma (or the Arabic
# decimal separator), an optional sign. The browser is given the same rule (the pattern attribute,
# which JavaScript reads with the v flag), so it accepts exactly what the server accepts.
_DECIMAL = r"[+\-]?(?:\p{Nd}+(?:[.,٫]\p{Nd}*)?|[.,٫]\p{Nd}+)"
DECIMAL_PATTERN = rf"\s*{_DECIMAL}\s*"
_DECIMAL_RE = re.compile(_DECIMAL.replace(r"\p{Nd}", r"\d"))  # Python's \d is every script's digits
WHOLE_PATTERN = r"\s*[+\-]?\p{Nd}+\s*"
_WHOLE_RE = re.compile(r"[+\-]?\d+")


def csrf_field() -> Markup:
    """The hidden CSRF field of a form of this site (`{{ form.csrf_token }}`), as WTForms writes
    it, without making a form: empty when CSRF is off, as a form writes nothing then. For a page
    whose small forms carry nothing else (the phone page's ticks, the dashboard's buttons)."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return Markup("")
    return Markup(f'<input id="csrf_token" name="csrf_token" type="hidden" value="{escape(generate_csrf())}">')  # noqa: S704  (escaped)


def choices(pairs: list[tuple[str, str]] | dict[str, str], typed: bool = False) -> list[SelectChoice]:
    """Options for a SelectField from (value, label) pairs (WTForms 3.3 wants SelectChoice);
    `typed`: the labels are names people typed, each read in its own direction (Hebrew, Arabic)."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    render_kw = {"dir": "auto"} if typed else {}
    return [SelectChoice(value, label, render_kw=dict(render_kw)) for value, label in items]


class KnownTimezone:
    def __call__(self, form, field: Field) -> None:  # noqa: ANN001
        if field.data not in available_timezones():
            raise ValidationError(f"Unknown time zone “{isolate(field.data)}”. Use a name such as Europe/Paris.")


class AddressField(EmailField):
    """An email field that shows a saved address as a person reads it, its domain in Unicode
    (planner.mail.shown_address): a browser sends ana@xn--bcher-kva.example for ana@bücher.example,
    and the field shows the second again. What it takes is as sent; mail writes either form out."""

    def _value(self) -> str:
        return shown_address(super()._value())


class EmailAddress:
    """An address the planner can email: well formed (email-validator, as WTForms' Email checks),
    a domain in any script, and only ASCII before the @ (see planner.mail.address_problem)."""

    def __call__(self, form, field: Field) -> None:  # noqa: ANN001
        if not field.data:
            return
        problem = address_problem(field.data)
        if problem:
            raise ValidationError(problem)
        try:
            validate_email(field.data, check_deliverability=False)
        except EmailNotValidError:
            raise ValidationError(INVALID_ADDRESS) from None


def strip(value: str | None) -> str | None:
    """Spaces trimmed at both ends, and line ends as one character ("\\n").

    Browsers send each line break of a textarea as CR LF but count it as one character against
    maxlength, so a note the browser allowed would be refused at the server for being too long.
    """
    if not isinstance(value, str):
        return value
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def show_error(form: Any, field: str | None, message: str) -> None:
    """Put a domain error next to its field, or above the form when it names none."""
    target = getattr(form, field, None) if field else None
    if target is not None and hasattr(target, "errors"):
        target.errors = [*target.errors, message]
    else:
        form.form_errors.append(message)


def field_name(field: Field) -> str:
    """The field's label as a message names it: "Condition", "Phone" (without "(optional)")."""
    label = str(field.label.text)
    return label.removesuffix("(optional)").strip() or field.name


class MaxLength(Length):
    """At most `max` characters, with a message that names the field and says how much was typed
    ("Condition is too long: at most 2000 characters. It has 2150."), so an error never reads as
    WTForms' "Field cannot be longer than 2000 characters." (trial 13). Keeps Length's `max`, so
    the field still renders its maxlength."""

    def __init__(self, max: int) -> None:  # noqa: A002 (wtforms' own name)
        super().__init__(max=max)

    def __call__(self, form, field: Field) -> None:  # noqa: ANN001
        length = len(field.data or "")
        if length > self.max:
            raise ValidationError(f"{field_name(field)} is too long: at most {self.max} characters. It has {length}.")


class PlainDateField(DateField):
    """A date field whose error says how to write the date."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Enter the date as year-month-day, for example 1956-03-21.") from None


def clinic_today() -> date:
    """Today on the signed-in user's clinic calendar (the day the services check dates against)."""
    return local_today(ZoneInfo(current_user.clinic.timezone), datetime.now(UTC))


class BirthDate:
    """A date of birth from 1900 to today, by the rule in services/calendar_window."""

    def __call__(self, form, field: Field) -> None:  # noqa: ANN001
        try:
            check_birth_date(field.data, clinic_today())
        except DomainError as e:
            raise ValidationError(e.message) from None


class SinceBirth:
    """A date from the patient's date of birth (the form's `born`; 1900 when not known) to today,
    by the rule in services/calendar_window. `what` names the date in the message."""

    def __init__(self, what: str) -> None:
        self.what = what

    def __call__(self, form, field: Field) -> None:  # noqa: ANN001
        try:
            check_since_birth(field.data, clinic_today(), getattr(form, "born", None), field.name, self.what)
        except DomainError as e:
            raise ValidationError(e.message) from None


class InWindow:
    """A program, visit or re-evaluation date inside the window of services/calendar_window.

    `what` names the date in the message. A form with a `saved` record (the program being
    edited) lets that record's own date stay, as the service does.
    """

    def __init__(self, what: str, up_to_today: bool = False) -> None:
        self.what, self.up_to_today = what, up_to_today

    def __call__(self, form, field: Field) -> None:  # noqa: ANN001
        saved = getattr(getattr(form, "saved", None), field.name, None)
        try:
            check_in_window(
                field.data,
                clinic_today(),
                field.name,
                self.what,
                up_to_today=self.up_to_today,
                saved=saved,
                window=app_settings().window,
            )
        except DomainError as e:
            raise ValidationError(e.message) from None


def parse_decimal(text: str) -> float:
    """A typed number as a float: "12,5", "12.5", " 12,5 " and "١٢٫٥" are all 12.5.

    :raise ValueError: for anything else ("1e3", "nan", "1.000,5", "12,5,1"), with a message for the field.
    """
    text = text.strip()
    if not _DECIMAL_RE.fullmatch(text):
        raise ValueError("Enter a number, such as 12, 12.5 or 12,5.")
    return float(text.replace(",", ".").replace("٫", "."))


class DecimalNumberField(FloatField):
    """A number that may have decimals, typed with a point or a comma; what was typed stays on error.

    A text box with inputmode="decimal", not <input type="number">: a browser set to English drops
    "12,5" from a number box and sends nothing, so the value was lost without a word.
    """

    widget = widgets.TextInput()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        render_kw = {"inputmode": "decimal", "pattern": DECIMAL_PATTERN, "autocomplete": "off"}
        super().__init__(*args, render_kw={**render_kw, **(kwargs.pop("render_kw", None) or {})}, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist and valuelist[0].strip():
            self.raw_data = valuelist
            self.data = parse_decimal(valuelist[0])
        elif valuelist:
            self.data = None  # type: ignore[assignment]  # wtforms-stubs type data without None; WTForms itself uses None for "no value"


class WholeNumberField(IntegerField):
    """A whole number (sets, seconds, days), in a text box with inputmode="numeric".

    Not <input type=number>: Chromium drops a comma typed into one, so "2,5" seconds reached
    the server as 25 and was saved without a word. Here "2,5" reaches the server and is refused
    at the field.
    """

    widget = widgets.TextInput()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        render_kw = {"inputmode": "numeric", "pattern": WHOLE_PATTERN, "autocomplete": "off"}
        super().__init__(*args, render_kw={**render_kw, **(kwargs.pop("render_kw", None) or {})}, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist and valuelist[0].strip():
            self.raw_data = valuelist
            if not _WHOLE_RE.fullmatch(valuelist[0].strip()):
                raise ValueError("Use a whole number, such as 5.")
            self.data = int(valuelist[0].strip())
        elif valuelist:
            self.data = None  # type: ignore[assignment]  # as above: the stubs leave out None


def _not_listed(field: Field) -> str:
    return f"{field_name(field)}: choose from the options listed."


class _NamesTheField:
    """Mixed into a choice field before WTForms' own: a value not among its choices is an error
    that names the field ("Primary therapist: choose from the options listed.") where WTForms
    says "Not a valid choice." (a choice gone since the page was opened, such as a therapist
    deactivated meanwhile)."""

    def pre_validate(self, form) -> None:  # noqa: ANN001
        try:
            super().pre_validate(form)  # type: ignore[misc]
        except ValidationError:
            raise ValidationError(_not_listed(self)) from None

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)  # type: ignore[misc]
        except ValueError:
            raise ValueError(_not_listed(self)) from None


class ChoiceField(_NamesTheField, SelectField):
    """A drop-down whose error names the field (_NamesTheField)."""


class CheckboxList(_NamesTheField, SelectMultipleField):
    """Several choices as a list of checkboxes (usable without JavaScript, unlike a multi-select);
    a choice not listed is named by the field, as in ChoiceField."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class IdField(IntegerField):
    """An id or a counter: ASCII digits, 0 to the largest id a row can hold (planner/web/ids.py).

    Anything else ("-1", "1e3", a 30-digit number) is an error at the field, so it never reaches a query.
    """

    def __init__(self, *args, message: str = "Enter a whole number, for example 12.", **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.message = message

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            return
        try:
            self.data = whole_number(valuelist[0])
        except ValueError:
            self.data = None  # type: ignore[assignment]  # as above: the stubs leave out None
            raise ValueError(self.message) from None


class HiddenIdField(IdField):
    """An IdField the page carries unseen: a program's lock version, the id of the row it shows."""

    widget = widgets.HiddenInput()
