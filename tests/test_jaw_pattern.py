"""Oromandibular (jaw) dystonia is recorded by its types, as the neck's components are: jaw
opening, jaw closing, a deviation to one side with its side, protrusion, each graded. The
catalog names them as contraindications, and the builder warns at the exercise."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from planner.bidi import isolate
from planner.dystonia.direction import CONTRAINDICATED
from planner.dystonia.movement import pattern_problems
from planner.dystonia.pattern import PatternEntry, from_stored
from planner.services import patterns, program_items, programs, recorded_patterns
from planner.services.catalog import get_exercise
from tests.conftest import login
from tests.factories import make_clinic, make_patient, make_user
from tests.reminder_factories import make_program

NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)

JAW_OPENING = PatternEntry(severities={"jaw_opening": 2})
JAW_CLOSING = PatternEntry(severities={"jaw_closing": 3})
JAW_LEFT = PatternEntry({"jaw_deviation": "left"}, {"jaw_deviation": 1})
JAW_AREA_ONLY = PatternEntry(areas=["jaw_mouth"])  # as recorded before the types could be


def test_jaw_types_are_recorded_graded_with_their_side_and_kept_in_the_history(service_db):
    clinic = make_clinic(service_db, "Jaw Clinic")
    patient = make_patient(service_db, clinic, "Ana Jaw")
    recorded_patterns.record_pattern(service_db, patient, JAW_AREA_ONLY, date(2026, 9, 1), None, NOW)
    entry = PatternEntry({"jaw_deviation": "left"}, {"jaw_deviation": 2, "jaw_opening": 1})
    recorded_patterns.record_pattern(service_db, patient, entry, date(2026, 11, 2), None, NOW)
    service_db.commit()

    history = recorded_patterns.pattern_history(service_db, clinic.id, patient.id)
    assert [row.data.describe() for row in history] == [
        [
            # Grading a type records the area: the jaw's types follow it.
            "Jaw and mouth (oromandibular dystonia)",
            "Jaw opening (jaw-opening dystonia), mild",
            "Jaw to one side (lateral deviation) to the left, moderate",
        ],
        ["Jaw and mouth (oromandibular dystonia)"],  # the earlier tick stays as it was
    ]
    assert history[0].components == {
        "jaw_opening": {"side": "", "severity": 1},
        "jaw_deviation": {"side": "left", "severity": 2},
    }


def test_a_row_stored_before_the_jaw_types_reads_as_it_was():
    """No migration: the types live in the same JSON as the neck's; an old tick stays recorded."""
    data = from_stored({"rotation": {"side": "left", "severity": 2}}, "", 0, ["jaw_mouth"], "")
    assert data.describe() == ["Rotation (torticollis) to the left, moderate", "Jaw and mouth (oromandibular dystonia)"]
    assert data.pull("jaw_opening") is None


# pattern, exercise, the builder's contraindication (None: no warning)
WARNINGS = [
    (JAW_OPENING, "jaw-opening-against-hand", "Not for jaw opening (jaw-opening dystonia): It strengthens the muscles"),
    (JAW_OPENING, "jaw-open-stretch", "Not for jaw opening (jaw-opening dystonia): It opens the mouth wide"),
    (JAW_CLOSING, "jaw-opening-against-hand", None),  # opening work is what a closing jaw needs
    (JAW_CLOSING, "face-jaw-tense-and-release", "Not for jaw closing (jaw-closing dystonia): Clenching the teeth"),
    (JAW_LEFT, "jaw-side-glide", "Not for jaw to one side (lateral deviation): It slides the jaw toward the pull"),
    (JAW_LEFT, "jaw-midline-mirror", None),
    (JAW_AREA_ONLY, "jaw-opening-against-hand", None),  # the type is not recorded: nothing to warn of
]


@pytest.mark.parametrize(("entry", "slug", "warned"), WARNINGS, ids=[f"{w[1]}-{i}" for i, w in enumerate(WARNINGS)])
def test_the_builder_warns_at_a_jaw_exercise_the_recorded_type_rules_out(catalog_db, entry, slug, warned):
    clinic = make_clinic(catalog_db, "Jaw Clinic")
    patient = make_patient(catalog_db, clinic, "Ana Jaw")
    recorded_patterns.record_pattern(catalog_db, patient, entry, date(2026, 11, 1), None, NOW)
    program = programs.create_program(catalog_db, patient, programs.ProgramDetails("Jaw", date(2026, 11, 1)), None, NOW)
    item = program_items.add_item(catalog_db, program, get_exercise(catalog_db, clinic.id, slug), None, NOW)
    catalog_db.commit()
    said = [w.message for w in patterns.prescribed(program)[item.id].direction.warnings if w.kind == CONTRAINDICATED]
    if warned is None:
        assert said == []
    else:
        assert len(said) == 1 and said[0].startswith(warned)
        assert [f.item.id for f in patterns.flagged_items(program)] == [item.id]  # checked before print


@pytest.mark.parametrize(
    ("avoid", "problems"),
    [
        ([{"with": "jaw_opening", "reason": "It strengthens the muscles that pull the mouth open."}], []),
        ([{"with": "jaw_deviation", "reason": "It slides toward the pull."}], []),
        ([{"with": "jaw_sideways", "reason": "Slides."}], ["pattern.avoid[1].with"]),
    ],
)
def test_catalog_check_accepts_the_jaw_types_as_contraindications(avoid, problems):
    assert [field for field, _ in pattern_problems({"relation": "symmetric", "avoid": avoid})] == problems


def error_at(html: str, field_id: str) -> str:
    row = html.split(f'id="{field_id}"', 1)[1].split("</tr>")[0]
    return " ".join(re.findall(r'<p class="error"[^>]*>([^<]*)</p>', row))


def test_the_jaw_form_shows_every_error_at_its_field_and_keeps_what_was_typed(dystonia_patient):
    client, patient = dystonia_patient
    page = client.get(f"/patients/{patient.id}/pattern").get_data(as_text=True)
    assert "Oromandibular dystonia (jaw and mouth): which way the jaw is pulled" in page
    assert "Jaw to one side (lateral deviation)" in page and "The jaw is pulled to one side." in page

    wrong = {
        "recorded_on": "2099-01-01",
        "pattern-jaw_deviation_severity": "2",  # no side
        "pattern-jaw_opening_severity": "3",
        "pattern-note": "Ζ" * 1001,
    }
    response = client.post(f"/patients/{patient.id}/pattern", data=wrong)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert (
        error_at(html, "pattern-jaw_deviation_side")
        == "Jaw to one side (lateral deviation): choose the side it pulls to."
    )
    assert error_at(html, "pattern-jaw_opening_severity") == ""
    assert '<option selected value="3">' in html.split('id="pattern-jaw_opening_severity"')[1].split("</select>")[0]
    assert "Not recorded" in client.get(f"/patients/{patient.id}").get_data(as_text=True)


def test_a_re_evaluation_records_the_jaw_types_and_shows_them(dystonia_patient, db):
    client, patient = dystonia_patient
    program = make_program(db, patient, None, NOW, start=date(2026, 9, 1), title="Jaw")
    form = {"evaluated_on": "2026-11-02", "pattern-jaw_deviation_side": "right", "pattern-jaw_deviation_severity": "2"}
    assert client.post(f"/programs/{program.id}/evaluations/new", data=form).status_code == 302
    html = client.get(f"/patients/{patient.id}").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert (
        "Dystonia pattern at this re-evaluation (saved with it) : Jaw and mouth (oromandibular dystonia); "
        "Jaw to one side (lateral deviation) to the right, moderate" in text
    )


def test_the_builder_page_shows_the_jaw_warning_at_the_exercise(catalog_app, catalog_db):
    clinic = make_clinic(catalog_db, "Jaw Page Clinic")
    make_user(catalog_db, clinic, email="j@jaw.org")
    patient = make_patient(catalog_db, clinic, "Ana Jaw")
    recorded_patterns.record_pattern(catalog_db, patient, JAW_OPENING, date(2026, 11, 1), None, NOW)
    program = programs.create_program(catalog_db, patient, programs.ProgramDetails("Jaw", date(2026, 11, 1)), None, NOW)
    item = program_items.add_item(
        catalog_db, program, get_exercise(catalog_db, clinic.id, "jaw-opening-against-hand"), None, NOW
    )
    catalog_db.commit()
    client = catalog_app.test_client()
    login(client, "j@jaw.org")
    html = client.get(f"/programs/{program.id}").get_data(as_text=True)
    at_item = html.split(f'id="item-{item.id}"', 1)[1].split('<li id="item-')[0]
    assert "Not for jaw opening (jaw-opening dystonia): It strengthens the muscles that pull the mouth open." in at_item


# ---- a picture that starts with the jaw off the middle shows the patient's own deviation ------


def jaw_start_off_middle(picture: dict) -> str:
    """The side a face picture's start puts the jaw off the middle to ("" in the middle, or when
    it goes on to the other side); + jaw_shift is toward the patient's right."""
    if picture.get("view") != "face":
        return ""
    off = picture["start"].get("jaw_shift", 0)
    then = {**picture["start"], **picture["end"]}.get("jaw_shift", 0)
    if not off or off * then < 0:
        return ""
    return "right" if off > 0 else "left"


@pytest.mark.parametrize(
    ("pattern", "shown"),
    [
        (PatternEntry({"jaw_deviation": "right"}, {"jaw_deviation": 2}), "right"),
        (PatternEntry({"jaw_deviation": "left"}, {"jaw_deviation": 2}), "left"),
        # the neck's pull says nothing of the jaw: as drawn
        (PatternEntry({"rotation": "right"}, {"rotation": 2}), None),
    ],
    ids=["jaw to the right", "jaw to the left", "head turns right"],
)
def test_a_jaw_picture_that_starts_off_the_middle_shows_the_patients_own_deviation(pattern, shown):
    import tomllib

    from planner.dystonia.direction import resolve
    from planner.dystonia.movement import spec_of
    from planner.dystonia.pattern import checked
    from tests.conftest import CATALOG

    found = []
    for path in sorted(CATALOG.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        drawn = jaw_start_off_middle(data["picture"])
        if data["pattern"]["relation"] != "symmetric" or not drawn:
            continue
        spec = spec_of(data["pattern"])
        assert (spec.start, spec.start_part) == (drawn, "jaw"), path.stem
        mirrored = resolve(spec, "", checked(pattern)).mirrored
        assert ({"left": "right", "right": "left"}[drawn] if mirrored else drawn) == (shown or drawn), path.stem
        found.append(path.stem)
    assert "jaw-midline-mirror" in found


def test_catalog_check_wants_start_part_only_with_start():
    assert [f for f, _ in pattern_problems({"relation": "symmetric", "start_part": "jaw"})] == ["pattern.start_part"]
    assert [f for f, _ in pattern_problems({"relation": "symmetric", "start": "left", "start_part": "arm"})] == [
        "pattern.start_part"
    ]
    assert pattern_problems({"relation": "symmetric", "start": "left", "start_part": "jaw"}) == []


# ---- the jaw template, fitted to the recorded types ---------------------------------------------

# Trial 12 F2: the gum (a sensory trick held in the mouth, with a choking caution) is not in the
# common part: it is added only for a recorded trick in the mouth (tests/test_sensory_trick.py).
JAW_COMMON = [
    "Resting jaw with lips together",
    "Gentle jaw opening",
    "Lip press",
    "Slow breathing with counting",
]
GENTLE_OPENING, GUM = "Gentle jaw opening", "Gum or a small object in the mouth"
NO_TRICK = (
    GUM,
    "No sensory trick is recorded: a trick is the patient's own, and one they do not use helps little. "
    "If the patient has one, record it on the pattern and add its exercise.",
)
# The catalog's avoid rules take these out of the common part for the type they work toward:
NOT_FOR_OPENING = (
    GENTLE_OPENING,
    "Not for jaw opening (jaw-opening dystonia): It opens the mouth, the way jaw-opening dystonia pulls.",
)
OPEN_AGAINST_HAND, MIDDLE, JAW_BACK = (
    "Jaw opening against your hand",
    "Jaw in the middle in a mirror",
    "Jaw back, with a light touch on the chin",
)
CLOSING_HOLD = "Jaw closing hold, against a light press"
NOT_HOLD_FOR_CLOSING = (
    CLOSING_HOLD,
    "Not for jaw closing (jaw-closing dystonia): It strengthens the muscles that clench the jaw shut.",
)
# Trial 11 F10: the goal for every jaw pattern names no direction ("in the middle" is a sideways
# pull's goal, said only for it).
EVERYONE = "Keep my jaw relaxed when I talk and eat."


def for_type(term, pattern=True):
    why = "which the recorded pattern does not have" if pattern else "and no dystonia pattern is recorded"
    return f"It is for a pull of {term}, {why}."


CLOSING, OPENING, DEVIATION, PROTRUSION = (
    "jaw closing (jaw-closing dystonia)",
    "jaw opening (jaw-opening dystonia)",
    "jaw to one side (lateral deviation)",
    "jaw forward (jaw protrusion)",
)


def start_jaw(db, entry, language="en"):
    from sqlalchemy import select

    from planner.models import ProgramTemplate
    from planner.services.program_templates import start_from_template

    clinic = make_clinic(db, "Jaw Template Clinic")
    patient = make_patient(db, clinic, "Ana Mandíbula", condition_tags=["oromandibular_dystonia"], language=language)
    if entry is not None:
        recorded_patterns.record_pattern(db, patient, entry, date(2026, 11, 1), None, NOW)
    template = db.scalars(select(ProgramTemplate).where(ProgramTemplate.slug == "shipped-oromandibular-dystonia")).one()
    report = start_from_template(db, template, patient, None, date(2026, 11, 23), NOW)
    db.commit()
    return report


@pytest.mark.parametrize(
    ("entry", "names", "left_out", "added", "goals"),
    [
        (
            JAW_CLOSING,
            [*JAW_COMMON, OPEN_AGAINST_HAND],
            [
                (CLOSING_HOLD, for_type(OPENING)),
                (MIDDLE, for_type(DEVIATION)),
                (JAW_BACK, for_type(PROTRUSION)),
                NO_TRICK,
            ],
            [(OPEN_AGAINST_HAND, f"For the recorded {CLOSING}.")],
            [EVERYONE, "Open my mouth more easily to eat and to talk."],
        ),
        (
            JAW_OPENING,
            [*[n for n in JAW_COMMON if n != GENTLE_OPENING], CLOSING_HOLD],
            [
                NOT_FOR_OPENING,
                (OPEN_AGAINST_HAND, for_type(CLOSING)),
                (MIDDLE, for_type(DEVIATION)),
                (JAW_BACK, for_type(PROTRUSION)),
                NO_TRICK,
            ],
            [(CLOSING_HOLD, f"For the recorded {OPENING}.")],
            [EVERYONE, "Keep my mouth closed when I rest and when I walk."],
        ),
        (
            # Both ways at once: the opening against the hand strengthens the muscles that pull
            # the mouth open, so the catalog's `avoid` leaves it out though its `when` is recorded.
            PatternEntry(severities={"jaw_opening": 1, "jaw_closing": 2}),
            [*[n for n in JAW_COMMON if n != GENTLE_OPENING]],
            [
                NOT_FOR_OPENING,
                (
                    OPEN_AGAINST_HAND,
                    "Not for jaw opening (jaw-opening dystonia): It strengthens the muscles that pull the mouth open.",
                ),
                NOT_HOLD_FOR_CLOSING,
                (MIDDLE, for_type(DEVIATION)),
                (JAW_BACK, for_type(PROTRUSION)),
                NO_TRICK,
            ],
            [],
            [
                EVERYONE,
                "Keep my mouth closed when I rest and when I walk.",
                "Open my mouth more easily to eat and to talk.",
            ],
        ),
        (
            # Six fit, as many as a short program holds (no trick recorded, so no gum).
            PatternEntry({"jaw_deviation": "left"}, {"jaw_deviation": 1, "jaw_protrusion": 2}),
            [*JAW_COMMON, MIDDLE, JAW_BACK],
            [(OPEN_AGAINST_HAND, for_type(CLOSING)), (CLOSING_HOLD, for_type(OPENING)), NO_TRICK],
            [(MIDDLE, f"For the recorded {DEVIATION}."), (JAW_BACK, f"For the recorded {PROTRUSION}.")],
            [EVERYONE, "Keep my jaw in the middle when I talk.", "Keep my jaw back in its resting place."],
        ),
        (
            None,
            JAW_COMMON,
            [
                (OPEN_AGAINST_HAND, for_type(CLOSING, False)),
                (CLOSING_HOLD, for_type(OPENING, False)),
                (MIDDLE, for_type(DEVIATION, False)),
                (JAW_BACK, for_type(PROTRUSION, False)),
                NO_TRICK,
            ],
            [],
            [EVERYONE],
        ),
    ],
    ids=["jaw closing", "jaw opening", "opening + closing", "deviation + protrusion", "no pattern"],
)
def test_the_jaw_template_fits_the_recorded_types(catalog_db, entry, names, left_out, added, goals):
    """The trial found no template for oromandibular dystonia. Like the cervical one, it keeps a
    common part for every jaw pattern, adds the work for each recorded type, leaves out what the
    pattern rules out (strengthening the opening for a jaw that also pulls open), and says why."""
    report = start_jaw(catalog_db, entry)
    assert [i.exercise.name for i in report.program.items] == names
    assert report.left_out == left_out
    assert report.added == added
    assert report.program.goals.splitlines() == goals
    for direction in patterns.program_directions(report.program):
        assert not [w for w in direction.warnings if w.kind == CONTRAINDICATED]


def test_the_jaw_templates_picture_starts_at_the_recorded_deviation_and_its_text_is_in_spanish(catalog_db):
    from planner.handouts.content import handout_content

    # The picture is drawn starting off to the left: a jaw pulled to the right shows it mirrored.
    report = start_jaw(catalog_db, PatternEntry({"jaw_deviation": "right"}, {"jaw_deviation": 2}), language="es")
    midline = next(i for i in report.program.items if i.exercise.slug == "jaw-midline-mirror")
    assert patterns.item_direction(midline, patterns.patient_pattern(report.program.patient)).mirrored
    content = handout_content(catalog_db, report.program, NOW, language="es")
    assert content.goals_text.splitlines() == [
        "Mantener la mandíbula relajada al hablar y al comer.",
        "Mantener la mandíbula en el centro al hablar.",
    ]
    assert content.title == "Su programa en casa para controlar la mandíbula"


@pytest.mark.parametrize(
    "entry",
    [JAW_OPENING, JAW_CLOSING, JAW_LEFT, PatternEntry(severities={"jaw_protrusion": 1})],
    ids=["jaw opening", "jaw closing", "deviation", "protrusion"],
)
def test_every_jaw_type_has_work_in_the_next_stage(catalog_db, entry):
    """A jaw program started from the template moves on: stage 2 offers jaw work for each type,
    none of it ruled out by the type (the mirror work stays in stage 1)."""
    from planner.services import stages

    program = start_jaw(catalog_db, entry).program
    offered = stages.next_stage_exercises(catalog_db, program)
    assert offered and all(c.stage == 2 and "face_jaw" in c.regions for c in offered), [c.slug for c in offered]
    pattern = patterns.patient_pattern(program.patient)
    for candidate in offered:
        assert not patterns.resolve_for(get_exercise(catalog_db, program.clinic_id, candidate.slug), pattern).warnings


# Trial 11 F10: "Rest and let it hang loose" told a jaw that pulls open to drop open; trial 12 F7:
# "your jaw loose" / "la mandíbula suelta" reads the same way. Said of the jaw or the mouth, in
# English or Spanish, these go the way a jaw-opening dystonia pulls.
JAW_DROPS = {
    "en": re.compile(
        r"\blet (it|your (jaw|mouth|chin))( \w+)? (hang|drop|fall|sag)\b|\b(jaw|mouth) (hang|drop|fall|sag)s?\b"
        r"|\bjaw (stay )?loose\b",
        re.I,
    ),
    "es": re.compile(
        r"\bdéjela (caer|colgar)\b|\bcolgar suelta\b|\b(caer|colgar) (un poco )?la (mandíbula|boca)\b|\bmandíbula suelta\b",
        re.I,
    ),
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_jaw_exercise_open_to_a_jaw_opening_dystonia_tells_the_jaw_to_drop(language):
    import tomllib

    from planner.config import ROOT
    from planner.dystonia.movement import spec_of

    found = []
    for path in sorted((ROOT / "exercises").glob("*.toml")):
        english = tomllib.loads(path.read_text(encoding="utf-8"))
        if "face_jaw" not in english["regions"]:
            continue
        if any(a.component == "jaw_opening" for a in spec_of(english["pattern"]).avoid):
            continue  # left out for a jaw that pulls open, with its reason
        data = english
        if language == "es":
            data = tomllib.loads((ROOT / "exercises/translations/es" / path.name).read_text(encoding="utf-8"))
        texts = [data["summary"], *data["steps"], *data.get("tips", []), *data.get("cautions", [])]
        found += [(path.stem, t) for t in texts if JAW_DROPS[language].search(t)]
    assert found == []


def test_the_jaw_opening_template_has_a_closing_hold_in_the_patients_language(catalog_db):
    """For a jaw that pulls open, the program works the closing muscles: the hold against a light
    press on the chin, its steps in Spanish for a Spanish-speaking patient."""
    from planner.handouts.content import handout_content

    report = start_jaw(catalog_db, JAW_OPENING, language="es")
    content = handout_content(catalog_db, report.program, NOW, language="es")
    names = [block.name for block in content.exercises]
    assert "Mantener la boca cerrada contra una presión suave" in names
    assert content.goals_text.splitlines() == [
        "Mantener la mandíbula relajada al hablar y al comer.",
        "Mantener la boca cerrada al descansar y al caminar.",
    ]


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        (
            PatternEntry(severities={"jaw_opening": 1, "jaw_closing": 2}),
            "The jaw pulls both open and shut. The work against one pull trains the other one, so neither is "
            f"added. “{isolate('Resting jaw with lips together')}” holds the jaw still, neither open nor shut: it is "
            "safe for both. Add other jaw work only if the jaw stays calm with it.",
        ),
        (JAW_OPENING, ""),
        (JAW_CLOSING, ""),
        (None, ""),
    ],
    ids=["opening + closing", "opening", "closing", "no pattern"],
)
def test_a_jaw_pulled_both_ways_is_told_why_no_jaw_work_is_added_and_what_is_safe(catalog_db, entry, said):
    """Trial 12: a jaw that pulls both open and shut got none of the template's work for either
    pull, and nothing said why beside two "Left out" lines. The start says it once, and names the
    work in the program that is safe for both: the resting position."""
    report = start_jaw(catalog_db, entry)
    assert report.jaw == said
    if said:
        assert "jaw-rest-position" in [i.exercise.slug for i in report.program.items]
