"""The pattern's fields: per cervical component a side and a grade; tremor; other focal areas; the
sensory trick's place and side; and what the two pages that record a pattern (the pattern page,
the re-evaluation) share in checking it: show_problems, marks_nothing, nothing_confirmed, errors_of.

`PatternFields` has no CSRF of its own, so the re-evaluation form can carry it beside its
measures (prefix "pattern"); `PatternForm` is the patient page's own form around it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from flask import request
from flask_wtf import FlaskForm
from wtforms import Form, FormField, TextAreaField
from wtforms.validators import DataRequired, Optional

from planner.dystonia.pattern import (
    AREAS,
    COMPONENTS,
    NOTE_MAX,
    SEVERITIES,
    TREMORS,
    TRICK_PLACES,
    TRICK_SIDES,
    PatternEntry,
)
from planner.services import DomainError, DomainErrors
from planner.web.forms import (
    CheckboxList,
    ChoiceField,
    MaxLength,
    PlainDateField,
    SinceBirth,
    choices,
    show_error,
    strip,
)

GRADES = choices([("0", "Not present")] + [(str(n), word.capitalize()) for n, word in SEVERITIES.items()])


class PatternFields(Form):
    """The pattern's fields; a side and a grade per component are added below, from COMPONENTS."""

    tremor = ChoiceField("Head tremor", choices=choices([("", "No head tremor"), *TREMORS.items()]), default="")
    tremor_severity = ChoiceField("Tremor grade", choices=GRADES, coerce=int, default=0)
    areas = CheckboxList("Other focal areas", choices=choices(AREAS))
    # Plain selects, checked together by the service (pattern.problems): a wrong pair is told at its field.
    trick = ChoiceField(
        "Where the trick touches",
        choices=choices([("", "No trick recorded"), *((key, place.label) for key, place in TRICK_PLACES.items())]),
        default="",
    )
    trick_side = ChoiceField(
        "Side of the trick",
        choices=choices(TRICK_SIDES),
        default="",
        description="The patient's own side: their left cheek is “Left side”.",
    )
    note = TextAreaField(
        "Note on the pattern",
        validators=[Optional(), MaxLength(NOTE_MAX)],
        filters=[strip],
        description="For example what makes it worse, or how the sensory trick is done.",
    )

    def entry(self) -> PatternEntry:
        """What was entered, for planner.services.recorded_patterns.record_pattern (which checks it)."""
        return PatternEntry(
            sides={key: self[f"{key}_side"].data or "" for key in COMPONENTS if f"{key}_side" in self},
            severities={key: int(self[f"{key}_severity"].data or 0) for key in COMPONENTS},
            tremor=self.tremor.data or "",
            tremor_severity=int(self.tremor_severity.data or 0),
            areas=list(self.areas.data or []),
            note=self.note.data or "",
            trick=self.trick.data or "",
            trick_side=self.trick_side.data or "",
        )

    @staticmethod
    def data_of(entry: PatternEntry) -> dict:
        """Form data that shows a recorded pattern (PatternEntry) in these fields."""
        data: dict = {"tremor": entry.tremor, "tremor_severity": entry.tremor_severity, "areas": entry.areas}
        data["note"] = entry.note
        data["trick"], data["trick_side"] = entry.trick, entry.trick_side
        for key, part in COMPONENTS.items():
            if part.sides:
                data[f"{key}_side"] = entry.sides.get(key, "")
            data[f"{key}_severity"] = entry.severities.get(key, 0)
        return data


for _key, _part in COMPONENTS.items():
    setattr(
        PatternFields, f"{_key}_severity", ChoiceField(f"{_part.label}: grade", choices=GRADES, coerce=int, default=0)
    )
    if _part.sides:
        _sides = choices([("", "Choose the side")] + [(s, words.capitalize()) for s, words in _part.sides.items()])
        setattr(PatternFields, f"{_key}_side", ChoiceField(f"{_part.label}: side", choices=_sides, default=""))


class PatternForm(FlaskForm):
    recorded_on = PlainDateField(
        "Date of the pattern",
        validators=[DataRequired("Enter the date."), SinceBirth("date of the pattern")],
        description="The day you saw it, up to today. An older one from the history may be entered too. An earlier pattern stays in the history.",
    )
    pattern = FormField(PatternFields)
    born: date | None = None  # the patient's date of birth: the earliest date of a pattern (SinceBirth)


def show_problems(form: Any, fields: PatternFields, errors: Iterable[DomainError]) -> None:
    """Put each service error next to its field: a pattern field of `fields`, else a field of
    `form` (or above it). A field that already shows an error (the form's own check) keeps
    just that one, so every wrong field says one thing, all at once."""
    for error in errors:
        owner = fields if error.field and error.field in fields else form
        target = getattr(owner, error.field, None) if error.field else None
        if target is not None and getattr(target, "errors", None):
            continue
        show_error(owner, error.field, error.message)


def marks_nothing(entry: PatternEntry) -> bool:
    """Nothing marked on the pattern's fields: no part graded, no tremor, no area (a note alone
    marks nothing; a sensory trick does). Saving it records "No dystonia seen", so the page asks first: a blank form is
    more often a slip than a finding."""
    return not any(entry.severities.values()) and not entry.tremor and not entry.areas and not entry.trick


def nothing_confirmed() -> bool:
    """The therapist answered the page's question: yes, no dystonia is seen (the button of
    patterns/_confirm_empty.html, a plain form field, so it works without JavaScript)."""
    return request.form.get("confirm_empty") == "1"


def errors_of(error: DomainError) -> list[DomainError]:
    """The errors a service raised: several at once (DomainErrors), or the one."""
    return error.errors if isinstance(error, DomainErrors) else [error]
