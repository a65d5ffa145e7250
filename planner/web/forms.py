"""Field rules shared by the forms of several features."""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from email_validator import EmailNotValidError, validate_email
from wtforms import DateField, Field, SelectChoice, SelectMultipleField, widgets
from wtforms.validators import ValidationError

from planner.mail import INVALID_ADDRESS, address_problem


def choices(pairs: list[tuple[str, str]] | dict[str, str]) -> list[SelectChoice]:
    """Options for a SelectField from (value, label) pairs (WTForms 3.3 wants SelectChoice)."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [SelectChoice(value, label) for value, label in items]


class KnownTimezone:
    def __call__(self, form, field: Field) -> None:  # noqa: ANN001
        if field.data not in available_timezones():
            raise ValidationError(f"Unknown time zone “{field.data}”. Use a name such as Europe/Paris.")


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
    return value.strip() if isinstance(value, str) else value


def show_error(form: Any, field: str | None, message: str) -> None:
    """Put a domain error next to its field, or above the form when it names none."""
    target = getattr(form, field, None) if field else None
    if target is not None and hasattr(target, "errors"):
        target.errors = [*target.errors, message]
    else:
        form.form_errors.append(message)


class PlainDateField(DateField):
    """A date field whose error says how to write the date."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Enter the date as year-month-day, for example 1956-03-21.") from None


class CheckboxList(SelectMultipleField):
    """Several choices as a list of checkboxes (usable without JavaScript, unlike a multi-select)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()
