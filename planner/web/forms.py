"""Field rules shared by the forms of several features."""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import available_timezones

from wtforms import DateField, Field, FloatField, IntegerField, SelectChoice, SelectMultipleField, widgets
from wtforms.validators import ValidationError

# A number as a person types it: digits of any script, a decimal point or comma (or the Arabic
# decimal separator), an optional sign. The browser is given the same rule (the pattern attribute,
# which JavaScript reads with the v flag), so it accepts exactly what the server accepts.
_DECIMAL = r"[+\-]?(?:\p{Nd}+(?:[.,٫]\p{Nd}*)?|[.,٫]\p{Nd}+)"
DECIMAL_PATTERN = rf"\s*{_DECIMAL}\s*"
_DECIMAL_RE = re.compile(_DECIMAL.replace(r"\p{Nd}", r"\d"))  # Python's \d is every script's digits
WHOLE_PATTERN = r"\s*[+\-]?\p{Nd}+\s*"
_WHOLE_RE = re.compile(r"[+\-]?\d+")


def choices(pairs: list[tuple[str, str]] | dict[str, str]) -> list[SelectChoice]:
    """Options for a SelectField from (value, label) pairs (WTForms 3.3 wants SelectChoice)."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [SelectChoice(value, label) for value, label in items]


class KnownTimezone:
    def __call__(self, form, field: Field) -> None:  # noqa: ANN001
        if field.data not in available_timezones():
            raise ValidationError(f"Unknown time zone “{field.data}”. Use a name such as Europe/Paris.")


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
            self.data = None


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
            self.data = None


class CheckboxList(SelectMultipleField):
    """Several choices as a list of checkboxes (usable without JavaScript, unlike a multi-select)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()
