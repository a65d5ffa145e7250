"""Forms of the program builder: details, one exercise's dosage, and the small action buttons."""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import HiddenField, SelectChoice, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from planner.dosage import LIMITS
from planner.dystonia.direction import OTHER_SIDE
from planner.dystonia.limbs import side_means
from planner.dystonia.movement import ExerciseSpec
from planner.models.program import COMPACT, ONE_PER_PAGE
from planner.services.program_items import NOTE_MAX
from planner.web.forms import (
    WHOLE_PATTERN,
    CheckboxList,
    ChoiceField,
    HiddenIdField,
    IdField,
    InWindow,
    MaxLength,
    PlainDateField,
    WholeNumberField,
    choices,
    strip,
)

SIDE_CHOICES = choices([("", "No side"), ("both", "Both sides"), ("left", "Left side"), ("right", "Right side")])
SIDE_WORDS = {"left": "Left side", "right": "Right side", "both": "Both sides"}
SYMMETRIC_CHOICES = choices([("", "No side"), ("both", "Both sides")])
NO_SIDE_CHOICES = choices([("", "No side")])
DOSAGE_LABELS = {
    "sets": "Sets",
    "repetitions": "Repetitions",
    "hold_seconds": "Hold (seconds)",
    "rest_seconds": "Rest between sets (seconds)",
    "times_per_day": "Times a day",
    "days_per_week": "Days a week",
    "minutes": "Minutes",
}


def _dosage_field(key: str) -> WholeNumberField:
    low, high = LIMITS[key]
    label = DOSAGE_LABELS[key]
    return WholeNumberField(
        label,
        validators=[Optional(), NumberRange(low, high, message=f"{label}: use a whole number from {low} to {high}.")],
    )


STALE_PAGE = "This page was out of date. Reload it, then make your change again."


class Locked(FlaskForm):
    """Carries the version of the program the page showed, so a stale save is refused."""

    lock_version = HiddenIdField(validators=[InputRequired(STALE_PAGE)], message=STALE_PAGE)

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001
        valid = super().validate(extra_validators)
        if self.lock_version.errors:  # a hidden field's error shows above the form
            self.form_errors.append(STALE_PAGE)
        return valid


class ProgramForm(Locked):
    title = StringField(
        "Title",
        validators=[
            DataRequired("Enter a title for the program."),
            MaxLength(120),
        ],
        filters=[strip],
    )
    goals = TextAreaField("Goals, in the patient's words", validators=[Optional(), MaxLength(2000)], filters=[strip])
    start_date = PlainDateField(
        "Start date", validators=[DataRequired("Enter the start date."), InWindow("start date")]
    )
    frequency = StringField(
        "Note on when to exercise",
        validators=[Optional(), MaxLength(200)],
        filters=[strip],
        description="How often and how long are worked out from each exercise's dosage. "
        "Add only a note beside them, for example: before you write.",
    )
    visit_plan = StringField(
        "Visit plan",
        validators=[Optional(), MaxLength(200)],
        filters=[strip],
        description="For example: weekly visits for 6 weeks.",
    )
    reeval_interval_days = WholeNumberField(
        "Re-evaluate every (days)",
        validators=[Optional(), NumberRange(1, 365, message="Re-evaluate every 1 to 365 days.")],
    )
    reeval_date = PlainDateField(
        "Or on this date",
        validators=[Optional(), InWindow("re-evaluation date")],
        description="A date set here wins over the interval.",
    )
    advice = CheckboxList("Schedule and surroundings advice")
    advice_text = TextAreaField("Other advice", validators=[Optional(), MaxLength(2000)], filters=[strip])
    handout_layout = ChoiceField(
        "Handout layout",
        choices=choices([(COMPACT, "Compact: two or more exercises a page"), (ONE_PER_PAGE, "One exercise a page")]),
        default=COMPACT,
        description="One exercise a page takes more paper, and prints the exercises' tips too; "
        "some patients find it easier to follow. The phone page always shows the tips.",
    )

    def __init__(self, *args, advice_options: list[str], saved: Any = None, **kwargs) -> None:  # noqa: ANN002, ANN003
        """`saved`: the program being edited, whose own dates may stay (InWindow)."""
        super().__init__(*args, **kwargs)
        self.saved = saved
        self.advice.choices = choices([(a, a) for a in advice_options])


class ItemForm(Locked):
    sets = _dosage_field("sets")
    repetitions = _dosage_field("repetitions")
    hold_seconds = _dosage_field("hold_seconds")
    rest_seconds = _dosage_field("rest_seconds")
    times_per_day = _dosage_field("times_per_day")
    days_per_week = _dosage_field("days_per_week")
    minutes = _dosage_field("minutes")
    side = ChoiceField("Side", choices=SIDE_CHOICES)
    note = TextAreaField("Note to the patient", validators=[Optional(), MaxLength(NOTE_MAX)], filters=[strip])

    def dosage(self) -> dict[str, int]:
        return {key: getattr(self, key).data for key in LIMITS if getattr(self, key).data is not None}


ONE_WAY = choices([("", "One way only")])


@dataclass(frozen=True)
class SideShape:
    """How an exercise's side field is shown: its label, its choices and the hint below it ("" none)."""

    label: str
    choices: list[SelectChoice]
    hint: str


# Where a limb exercise's side comes from, by its wording (limbs.LIMB_BASIS): the choice that
# follows it, and the hint that says it.
LIMB_SOURCES = {
    "cheek": ("Sensory trick", "The recorded sensory trick gives “{side}”."),
    "easy_hand": ("Easy hand", "The pattern records the {other} hand, so the easy hand is “{side}”."),
    "": ("Pattern", "The recorded pattern gives “{side}”."),
}


def side_shape(spec: ExerciseSpec | None, proposed: str) -> SideShape:
    """The side field as the exercise needs it.

    A direction-specific exercise shows "Direction" with the sides the head can go, and says
    what the recorded pattern gives (`proposed`, "" when it gives none); flexion and extension
    go one way only; a symmetric exercise offers no side / both where it names its part ("Use
    both hands."), no side alone where it names none; mirror work no side / left / right; the rest
    (and `spec` None) keep no side / both / left / right.
    """
    if spec is not None and spec.relation == "limb" and proposed:
        # A one-sided focal dystonia of this limb is recorded (or, for a cheek touch, the sensory
        # trick's cheek; for mirror work, the hand it does not name): the item follows it unless set.
        words = SIDE_WORDS
        source, gives = LIMB_SOURCES.get(spec.wording, LIMB_SOURCES[""])
        return SideShape(
            f"Side: {side_means(spec)}",
            choices(
                [("", f"{source}: {words[proposed]}")]
                + [(s, words[s]) for s in ("both", "left", "right") if s in spec.offered_sides]
            ),
            f"{gives.format(side=proposed, other=OTHER_SIDE.get(proposed, ''))} "
            "You may choose another side: the page then says so.",
        )
    if spec is not None and spec.relation == "limb":
        # Its steps use one side ("in one hand", "the cheek named above"): none set holds the handout.
        return SideShape(
            f"Side: {side_means(spec)}",
            choices(
                [("", "Not set")] + [(s, SIDE_WORDS[s]) for s in ("both", "left", "right") if s in spec.offered_sides]
            ),
            "Its steps use one side: choose it here. The handout waits until you do.",
        )
    if spec is not None and not spec.directional and not spec.offered_sides:
        # Symmetric, naming no part: its steps work both sides, so no side means anything more
        # ("Do this with both sides." beside a doorway stretch read as doing it twice).
        return SideShape("Side", NO_SIDE_CHOICES, "Its steps work both sides: no side to choose.")
    if spec is not None and not spec.directional and "left" not in spec.sides:
        # Symmetric: both sides the same way, so no left or right side to offer (direction rule 10).
        return SideShape("Side", SYMMETRIC_CHOICES, "Works both sides the same way: no left or right side.")
    if spec is None or not spec.directional:
        return SideShape("Side", SIDE_CHOICES, "")
    if not spec.sided:
        return SideShape("Direction", ONE_WAY, "This exercise goes one way only.")
    words = {"left": "Left", "right": "Right", "both": "Both shoulders"}
    return SideShape(
        "Direction",
        # No side of its own: the item follows the pattern (patterns.item_direction), else has none.
        choices(
            [("", f"Pattern: {words[proposed]}" if proposed else "Not set")]
            + [(side, words[side]) for side in spec.sides]
        ),
        f"The recorded pattern gives “{proposed}”. You may choose another side: the page then says so."
        if proposed
        # No side from the pattern: a side chosen here for a pull the patient does not have (a turn
        # for a head pulled forward) trains nothing, so recording the pull or removing comes first.
        else "The recorded pattern gives no side: record this pull, or remove the exercise. "
        "Choose a side only to train this way anyway.",
    )


def fit_side_field(form: ItemForm, spec: ExerciseSpec, proposed: str) -> None:
    """Shape the form's side field by `side_shape` (call before validating or showing the form)."""
    shape = side_shape(spec, proposed)
    form.side.choices = shape.choices
    # A side the field does not offer is refused by the service, which says why at the field.
    form.side.validate_choice = False
    form.side.label.text = shape.label
    form.side.description = shape.hint


def item_fields(
    item_id: int,
    dosage: Mapping[str, Any],
    side: str,
    note: str,
    lock_version: int,
    csrf: str | None,
    spec: ExerciseSpec | None = None,
    proposed: str = "",
) -> Markup:
    """An exercise's ItemForm fields, written straight from its saved values.

    The builder shows every exercise's form; making and rendering an ItemForm for each was a
    fifth of the page's time. This writes the HTML that templates/programs/edit.html writes from
    an ItemForm (hidden fields, the dosage grid, the side or direction, the note) for the same
    values, without one; `spec` and `proposed` shape the side field as `fit_side_field` does. A
    form sent back with errors is still shown from the ItemForm. tests/test_attributes.py
    holds the two to the same HTML. `csrf`: the request's token, None when CSRF is off.
    """
    prefix = f"item{item_id}-"
    out = []
    if csrf is not None:
        out.append(f'<input id="{prefix}csrf_token" name="{prefix}csrf_token" type="hidden" value="{escape(csrf)}">')
    out.append(
        f'<input id="{prefix}lock_version" name="{prefix}lock_version" type="hidden" value="{escape(lock_version)}">'
    )
    out.append('<div class="dosage-grid">')
    for key, label in DOSAGE_LABELS.items():
        value = dosage.get(key)
        out.append(
            f'<div class="field "><label for="{prefix}{key}">{label}</label><input autocomplete="off" '
            f'id="{prefix}{key}" inputmode="numeric" name="{prefix}{key}" pattern="{escape(WHOLE_PATTERN)}" '
            f'type="text" value="{"" if value is None else escape(value)}"></div>'
        )
    shape = side_shape(spec, proposed)
    options = "".join(
        f'<option {"selected " if choice.value == side else ""}value="{escape(choice.value)}">{escape(choice.label)}</option>'
        for choice in shape.choices
    )
    described = f' aria-describedby="{prefix}side-hint" aria-invalid="false"' if shape.hint else ""
    hint = f'<p class="hint" id="{prefix}side-hint">{escape(shape.hint)}</p>' if shape.hint else ""
    out.append(
        f'<div class="field side-field"><label for="{prefix}side">{escape(shape.label)}</label>'
        f'<select{described} id="{prefix}side" name="{prefix}side">{options}</select>{hint}</div></div>'
    )
    out.append(
        f'<div class="field "><label for="{prefix}note">Note to the patient</label><textarea dir="auto" id="{prefix}note" '
        f'maxlength="{NOTE_MAX}" name="{prefix}note">\r\n{escape(note)}</textarea></div>'
    )
    return Markup("".join(out))  # noqa: S704  (every value escaped above)


def locked_fields(lock_version: int, csrf: str | None) -> Markup:
    """A Locked form's hidden fields (the CSRF token, the lock version) as WTForms writes them,
    for the builder's small action forms; tests/test_attributes.py holds the two the same.
    `csrf`: the request's token, None when CSRF is off."""
    token = (
        f'<input id="csrf_token" name="csrf_token" type="hidden" value="{escape(csrf)}">' if csrf is not None else ""
    )
    return Markup(f'{token}<input id="lock_version" name="lock_version" type="hidden" value="{escape(lock_version)}">')  # noqa: S704  (escaped)


def _field(name: str, label: str, control: str, hint: str = "") -> str:
    """One field as templates/_forms.html's `field` macro writes it (no error: saved values)."""
    hinted = f'<p class="hint" id="{name}-hint">{escape(hint)}</p>' if hint else ""
    return f'<div class="field "><label for="{name}">{escape(label)}</label>{control}{hinted}</div>'


def _described(name: str, hint: str) -> str:
    return f'aria-describedby="{name}-hint" aria-invalid="false" ' if hint else ""


# Where a part kept per process holds the request's CSRF token (details_fields, item_views):
# random per process, so no text a user types can be it, and never sent (each view puts the
# request's token in its place).
TOKEN_STAND_IN = "csrf-" + secrets.token_hex(16)

# details_fields' parts, each some 5 KB: 256 of them, about a megabyte a process.
DETAILS_MAX = 256
_details: OrderedDict[tuple[Any, ...], str] = OrderedDict()
_details_lock = threading.Lock()


def details_fields(program: Any, advice_options: list[str], csrf: str | None) -> Markup:
    """The program details form's fields, written straight from the saved program, as
    templates/programs/edit.html writes them from a ProgramForm with `field` (labels and hints
    taken from ProgramForm itself).

    Making and rendering a ProgramForm for every builder view cost more Python than any other
    part of the page; a form sent back with errors is still shown from the ProgramForm.
    tests/test_attributes.py holds the two to the same HTML. `program`: anything with the
    Program's detail attributes and lock_version; `advice_options`: advice.options for the
    clinic; `csrf`: the request's token, None when CSRF is off.

    Kept per process by every value it writes (the program's details and lock version, the
    clinic's advice options), so a save shows on the very next view and no program's fields are
    another's; the request's CSRF token takes the place of TOKEN_STAND_IN on every view.
    """
    key = (
        program.lock_version,
        program.title,
        program.goals,
        program.start_date,
        program.frequency,
        program.visit_plan,
        program.reeval_interval_days,
        program.reeval_date,
        tuple(program.advice or ()),
        program.advice_text,
        program.handout_layout,
        tuple(advice_options),
        csrf is None,
    )
    with _details_lock:
        kept = _details.get(key)
        if kept is not None:
            _details.move_to_end(key)
    if kept is None:
        kept = _details_written(program, advice_options, None if csrf is None else TOKEN_STAND_IN)
        with _details_lock:
            _details[key] = kept
            while len(_details) > DETAILS_MAX:
                _details.popitem(last=False)
    # The token is URL-safe base64 and dots: it needs no escaping where the stand-in stood.
    return Markup(kept if csrf is None else kept.replace(TOKEN_STAND_IN, csrf))  # noqa: S704


def _details_written(program: Any, advice_options: list[str], csrf: str | None) -> str:

    def label(name: str) -> str:
        return getattr(ProgramForm, name).args[0]

    def hint(name: str) -> str:
        return getattr(ProgramForm, name).kwargs.get("description", "")

    def line(name: str, kind: str, value: str, maxlength: int = 0, required: bool = False) -> str:
        """A one-line input, its attributes in WTForms' (alphabetical) order."""
        attributes = (
            _described(name, hint(name))
            + ('dir="auto" ' if kind == "text" else "")
            + f'id="{name}" '
            + (f'maxlength="{maxlength}" ' if maxlength else "")
            + f'name="{name}"'
            + (" required" if required else "")
        )
        return _field(name, label(name), f'<input {attributes} type="{kind}" value="{_quoted(value)}">', hint(name))

    def area(name: str) -> str:
        control = (
            f'<textarea dir="auto" id="{name}" maxlength="2000" name="{name}">\r\n{escape(getattr(program, name) or "")}'
            "</textarea>"
        )
        return _field(name, label(name), control, hint(name))

    def day(value: date | None) -> str:
        return value.strftime("%Y-%m-%d") if value else ""  # as WTForms writes it (year 1: "1-01-01")

    chosen = set(program.advice or [])
    checks = "".join(
        f'<li><input {"checked " if option in chosen else ""}id="advice-{n}" name="advice" type="checkbox" '
        f'value="{_quoted(option)}"> <label for="advice-{n}">{escape(option)}</label></li>'
        for n, option in enumerate(advice_options)
    )
    interval = program.reeval_interval_days
    layout = program.handout_layout
    options = "".join(
        f'<option {"selected " if choice.value == layout else ""}value="{escape(choice.value)}">{escape(choice.label)}</option>'
        for choice in ProgramForm.handout_layout.kwargs["choices"]
    )
    out = [
        locked_fields(program.lock_version, csrf),
        line("title", "text", program.title or "", 120, required=True),
        area("goals"),
        line("start_date", "date", day(program.start_date), required=True),
        line("frequency", "text", program.frequency or "", 200),
        line("visit_plan", "text", program.visit_plan or "", 200),
        _field(
            "reeval_interval_days",
            label("reeval_interval_days"),
            '<input autocomplete="off" id="reeval_interval_days" inputmode="numeric" name="reeval_interval_days" '
            f'pattern="{escape(WHOLE_PATTERN)}" type="text" value="{"" if interval is None else escape(interval)}">',
        ),
        line("reeval_date", "date", day(program.reeval_date)),
        f'<div class="field "><fieldset><legend>{escape(label("advice"))}</legend>'
        f'<ul class="checks" id="advice">{checks}</ul></fieldset></div>',
        area("advice_text"),
        _field(
            "handout_layout",
            label("handout_layout"),
            f'<select {_described("handout_layout", hint("handout_layout"))}id="handout_layout" name="handout_layout">'
            f"{options}</select>",
            hint("handout_layout"),
        ),
    ]
    return "".join(out)  # every value escaped


def _quoted(value: Any) -> str:
    """An attribute value escaped as WTForms writes it (quotes as &quot;)."""
    return str(escape(value)).replace(chr(34), "&quot;")


class AddItemForm(Locked):
    exercise = HiddenField(validators=[DataRequired("Choose an exercise to add.")])


class CopyForm(FlaskForm):
    """The patient to copy to: an id from the page's search results (any patient of the clinic)."""

    patient = IdField("Copy to patient", validators=[InputRequired("Find the patient by name, then choose them.")])


class TemplateForm(FlaskForm):
    name = StringField(
        "Template name",
        validators=[
            DataRequired("Enter a name for the template."),
            MaxLength(120),
        ],
        filters=[strip],
    )
    description = TextAreaField("What it is for", validators=[Optional(), MaxLength(1000)], filters=[strip])


class FromTemplateForm(FlaskForm):
    template = HiddenIdField(validators=[DataRequired("Choose a template.")], message="Choose a template.")
    start_date = PlainDateField(
        "Start date", validators=[DataRequired("Enter the start date."), InWindow("start date")]
    )
