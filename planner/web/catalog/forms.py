"""The catalog's forms: the search (GET, no CSRF) and a clinic's custom exercise."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, NumberRange, Optional

from planner.catalog.schema import NAME_MAX, SUMMARY_MAX
from planner.catalog.vocabulary import APPROACHES, CATEGORIES, CONDITIONS, DIFFICULTIES, EQUIPMENT, POSITIONS, REGIONS
from planner.dosage import LIMITS
from planner.web.forms import CheckboxList, ChoiceField, MaxLength, WholeNumberField, choices, strip


def _any(values: dict, any_label: str) -> list:
    return choices([("", any_label), *((str(k), v) for k, v in values.items())])


class SearchForm(FlaskForm):
    """The filters of the exercise list, read from the query string so a search is a link."""

    class Meta:
        csrf = False

    q = StringField(
        "Search",
        validators=[Optional(), MaxLength(200)],
        filters=[strip],
        description="Words from the name, the steps or the tags, for example “chin” or “band”.",
    )
    category = ChoiceField("Goal", choices=_any(CATEGORIES, "Any goal"), validate_choice=False)
    region = ChoiceField("Body region", choices=_any(REGIONS, "Any region"), validate_choice=False)
    position = ChoiceField("Position", choices=_any(POSITIONS, "Any position"), validate_choice=False)
    equipment = ChoiceField("Equipment", choices=_any(EQUIPMENT, "Any equipment"), validate_choice=False)
    difficulty = ChoiceField("Difficulty", choices=_any(DIFFICULTIES, "Any difficulty"), validate_choice=False)
    condition = ChoiceField("Condition", choices=_any(CONDITIONS, "Any condition"), validate_choice=False)
    approach = ChoiceField("Approach", choices=_any(APPROACHES, "Any approach"), validate_choice=False)
    source = ChoiceField(
        "Source",
        choices=choices(
            [("", "Catalog and our own"), ("catalog", "Catalog only"), ("clinic", "Our own exercises only")]
        ),
        validate_choice=False,
    )
    retired = BooleanField("Include retired exercises")


def _dosage_field(key: str, label: str) -> WholeNumberField:
    low, high = LIMITS[key]
    return WholeNumberField(
        label,
        validators=[Optional(), NumberRange(low, high, f"Use a number from {low} to {high}.")],
        description=f"{low} to {high}.",
    )


class CustomExerciseForm(FlaskForm):
    """A clinic's own exercise: the fields of an exercise file, and a photo instead of a drawing."""

    name = StringField(
        "Name",
        validators=[DataRequired("Enter the exercise's name."), MaxLength(NAME_MAX)],
        filters=[strip],
        description="Short and plain, for example “Chin tuck against a towel”.",
    )
    category = ChoiceField("Goal", choices=choices(CATEGORIES))
    regions = CheckboxList("Body regions", choices=choices(REGIONS))
    position = ChoiceField("Starting position", choices=choices(POSITIONS))
    equipment = CheckboxList("Equipment", choices=choices(EQUIPMENT))
    difficulty = ChoiceField("Difficulty", choices=choices([(str(k), v) for k, v in DIFFICULTIES.items()]))
    conditions = CheckboxList("Conditions", choices=choices(CONDITIONS))
    approaches = CheckboxList("Dystonia-aware approaches (optional)", choices=choices(APPROACHES))
    synonyms = StringField(
        "Other names (optional)",
        filters=[strip],
        description="Words colleagues search for, separated by commas, for example “shrug, shoulder lift”.",
    )
    summary = TextAreaField(
        "Summary",
        validators=[DataRequired("Say in one sentence what the exercise does."), MaxLength(SUMMARY_MAX)],
        filters=[strip],
        description="One sentence, in the patient's words.",
    )
    steps = TextAreaField(
        "Steps",
        validators=[DataRequired("Write at least one step.")],
        description="One step per line. The first step is the starting position.",
    )
    tips = TextAreaField(
        "Tips (optional)",
        # Where the patient reads them: the compact handout keeps to its page counts without them.
        description="One tip per line. The patient sees them on the phone page, and on the handout "
        "when it has one exercise a page.",
    )
    cautions = TextAreaField(
        "Cautions",
        validators=[DataRequired("Write at least one caution.")],
        description="One per line, written as “Stop if …”.",
    )
    progression = StringField(
        "Harder versions (optional)",
        filters=[strip],
        description="Exercise ids separated by commas, for example “bridge, heel-raise”.",
    )
    regression = StringField(
        "Easier versions (optional)", filters=[strip], description="Exercise ids separated by commas."
    )
    sets = _dosage_field("sets", "Sets")
    repetitions = _dosage_field("repetitions", "Repetitions")
    hold_seconds = _dosage_field("hold_seconds", "Hold (seconds)")
    rest_seconds = _dosage_field("rest_seconds", "Rest between sets (seconds)")
    times_per_day = _dosage_field("times_per_day", "Times a day")
    days_per_week = _dosage_field("days_per_week", "Days a week")
    minutes = _dosage_field("minutes", "Minutes")
    photo = FileField(
        "Photo (optional)",
        render_kw={"accept": "image/jpeg,image/png"},
        description="A JPEG or PNG photo of the movement, up to 5 MB. "
        "Details such as the place it was taken are removed.",
    )
    remove_photo = BooleanField("Remove the current photo")

    DOSAGE_FIELDS = tuple(LIMITS)
