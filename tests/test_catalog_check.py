"""`catalog check`: every kind of bad exercise file is named as `file: field: what is wrong`."""

from __future__ import annotations

import pytest

from planner.catalog.loader import check_directory
from planner.catalog.schema import validate_exercise
from tests import exercise_files as ef

# A picture whose head stays where it is (the steps may still move it: `moves_head = true`).
STILL_HEAD = {"view": "side", "props": ["chair"], "start": {"base": "sitting"}, "end": {"base": "sitting"}}


def problems_of(folder) -> list[str]:  # noqa: ANN001
    return [str(p) for p in check_directory(folder)]


def test_a_good_folder_has_no_problems(tmp_path):
    ef.write(tmp_path, "chin-tuck", progression=["chin-tuck-hard"])
    ef.write(tmp_path, "chin-tuck-hard", regression=["chin-tuck"], difficulty=2)
    assert problems_of(tmp_path) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"category": "cardio"}, "bad.toml: category: unknown value 'cardio'; use one of range_of_motion"),
        ({"steps": ef.DROP}, "bad.toml: steps: is missing"),
        ({"steps": []}, "bad.toml: steps: list at least one"),
        ({"steps": ["Sit tall.", "  "]}, "bad.toml: steps[2]: must be some text"),
        ({"cautions": []}, "bad.toml: cautions: list at least one"),
        ({"difficulty": 4}, "bad.toml: difficulty: must be 1 (easy), 2 (moderate) or 3 (hard), not 4"),
        ({"regions": ["elbow"]}, "bad.toml: regions: unknown value 'elbow'"),
        ({"position": "upside_down"}, "bad.toml: position: unknown value 'upside_down'"),
        ({"equipment": ["none", "chair"]}, "bad.toml: equipment: “none” cannot be listed with other equipment"),
        ({"conditions": []}, "bad.toml: conditions: list at least one"),
        ({"dosage": {"sets": 11, "repetitions": 10}}, "bad.toml: dosage.sets: 11 is out of range: use 1 to 10"),
        ({"dosage": {"sets": 2}}, "bad.toml: dosage: give at least one of repetitions, hold_seconds or minutes"),
        ({"caution": ["Stop if it hurts."]}, "bad.toml: caution: unknown field"),
        ({"picture": {"view": "sideways", "start": {}, "end": {}}}, "bad.toml: picture.view:"),
        ({"picture": ef.DROP}, "bad.toml: picture: is missing"),
        # Arrows the drawing cannot show: named, where drawing them once raised KeyError.
        (
            {"picture": {"view": "face", "arrow": "gaze", "start": {"gaze": "center"}, "end": {}}},
            "bad.toml: picture.arrow: 'gaze' has no way to point: the start and end poses both have gaze 'center'",
        ),
        (
            {"picture": {"view": "side", "arrow": "leg_lift", "start": {"base": "standing"}, "end": {}}},
            "bad.toml: picture.arrow: 'leg_lift' is only drawn with base side_lying; the start pose has base 'standing'",
        ),
        (
            {
                "picture": {
                    "view": "side",
                    "arrow": "knee_open",
                    "start": {"base": "side_lying"},
                    "end": {"base": "lying"},
                }
            },
            "bad.toml: picture.arrow: 'knee_open' is only drawn with base side_lying; the end pose has base 'lying'",
        ),
        (
            {"picture": {"view": "side", "arrow": ["knee_r"], "start": {}, "end": {}}},
            "bad.toml: picture.arrow: ['knee_r']",
        ),
        ({"progression": ["no-such-exercise"]}, "bad.toml: progression: no exercise has the id “no-such-exercise”"),
        ({"regression": ["bad"]}, "bad.toml: regression: an exercise cannot point to itself"),
        ({"synonyms": "shrug"}, "bad.toml: synonyms: must be a list of other names in quotes"),
        ({"synonyms": ["shrug", "  "]}, "bad.toml: synonyms[2]: must be some text"),
        ({"synonyms": ["Shrug", "shrug"]}, "bad.toml: synonyms[2]: “shrug” is listed twice"),
        ({"synonyms": ["Épaule", "epaule"]}, "bad.toml: synonyms[2]: “epaule” is listed twice"),
        ({"synonyms": ["s" * 61]}, "bad.toml: synonyms[1]: is too long: at most 60 characters"),
        ({"synonyms": ["--"]}, "bad.toml: synonyms[1]: needs a letter or a digit"),
        ({"synonyms": [f"name {n}" for n in range(21)]}, "bad.toml: synonyms: has 21 entries: at most 20"),
        # The dizziness stop rule follows what the exercise moves (planner/catalog/safety.py).
        ({"moves_head": False}, "bad.toml: moves_head: give moves_head = true when the steps move the head"),
        ({"moves_head": "yes"}, "bad.toml: moves_head: give moves_head = true when the steps move the head"),
        (
            {"cautions": ["Stop if it hurts."]},  # the picture slides the chin back
            "bad.toml: cautions: the exercise moves the head: add the caution “Stop if you feel dizzy.”",
        ),
        (
            {"cautions": ["Stop if it hurts."], "picture": STILL_HEAD, "moves_head": True},
            "bad.toml: cautions: the exercise moves the head: add the caution “Stop if you feel dizzy.”",
        ),
        (
            {"picture": STILL_HEAD, "cautions": ["Stop and sit down if you feel dizzy."]},
            "bad.toml: cautions[1]: “Stop and sit down if you feel dizzy.” is the stop rule for an exercise that "
            "moves the head, and nothing here moves it",
        ),
    ],
)
def test_each_bad_field_is_named(tmp_path, changes, expected):
    ef.write(tmp_path, "good")
    ef.write(tmp_path, "bad", **changes)
    found = problems_of(tmp_path)
    assert any(p.startswith(expected) for p in found), found
    assert not any(p.startswith("good.toml") for p in found)


def test_id_must_equal_the_file_name(tmp_path):
    ef.write(tmp_path, "chin-tuck", file_stem="chin-tuk")
    assert problems_of(tmp_path) == ["chin-tuk.toml: id: “chin-tuck” must equal the file name “chin-tuk”"]


@pytest.mark.parametrize("bad_id", ["Chin-Tuck", "chin_tuck", "chin--tuck", "-chin", ""])
def test_id_must_be_a_slug(bad_id):
    assert (
        "id",
        f"{bad_id!r} is not a valid id: use lowercase letters, digits and single hyphens",
    ) in validate_exercise(ef.exercise(bad_id))


def test_a_file_may_not_take_a_custom_id(tmp_path):
    ef.write(tmp_path, "custom-1-neck")
    assert any("kept for clinics' own exercises" in p for p in problems_of(tmp_path))


def test_a_duplicate_id_is_named_with_both_files(tmp_path):
    ef.write(tmp_path, "bridge")
    ef.write(tmp_path, "bridge", file_stem="bridge-copy")
    assert "bridge.toml: id: “bridge” is also the id in bridge-copy.toml" in problems_of(tmp_path)


def test_bad_toml_gives_its_line_number(tmp_path):
    ef.write(tmp_path, "good")
    (tmp_path / "broken.toml").write_text('id = "broken"\nname = "Broken"\nsteps = ["one",\ncategory = \n')
    found = problems_of(tmp_path)
    assert len(found) == 1
    assert found[0].startswith("broken.toml: file: is not valid TOML:")
    assert "line 4" in found[0]


def test_a_file_that_is_not_utf8(tmp_path):
    (tmp_path / "latin.toml").write_bytes('name = "Épaule"\n'.encode("latin-1"))
    assert problems_of(tmp_path) == ["latin.toml: file: is not UTF-8 text (byte 8)"]


def test_an_empty_or_missing_folder_is_a_problem(tmp_path):
    assert problems_of(tmp_path) == [f"{tmp_path}: folder: has no exercise files (*.toml)"]
    assert problems_of(tmp_path / "nope") == [f"{tmp_path / 'nope'}: folder: does not exist or is not a folder"]


def test_other_files_are_ignored(tmp_path):
    ef.write(tmp_path, "bridge")
    (tmp_path / "README.md").write_text("notes")
    assert problems_of(tmp_path) == []


def test_check_command_prints_each_problem_and_fails(app, tmp_path):
    folder = tmp_path / "ex"
    ef.write(folder, "good")
    ef.write(folder, "bad", category="cardio", steps=[])
    result = app.test_cli_runner().invoke(args=["catalog", "check", str(folder)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("bad.toml: category: unknown value 'cardio'")
    assert lines[1] == "bad.toml: steps: list at least one"
    assert lines[-1] == "2 problems in 1 file."


def test_check_command_counts_a_clean_folder(app, tmp_path):
    ef.write(tmp_path / "ex", "good")
    ef.write(tmp_path / "ex", "better")
    result = app.test_cli_runner().invoke(args=["catalog", "check", str(tmp_path / "ex")])
    assert result.exit_code == 0
    assert result.output == "2 exercise files, no problems.\n"


# ---- translations: translations/<language>/<id>.toml beside the exercise files ----------------

SPANISH = {
    "id": "good",
    "name": "Retracción del mentón",
    "summary": "Lleve el mentón hacia atrás para alinear la cabeza sobre los hombros.",
    "steps": ["Siéntese derecho en una silla firme.", "Lleve el mentón recto hacia atrás.", "Mantenga y relaje."],
    "tips": ["Piense en hacer papada."],
    "cautions": ["Pare si se marea."],
}


def write_spanish(folder, file_stem: str = "good", **changes) -> None:  # noqa: ANN001, ANN003
    data = {k: v for k, v in {**SPANISH, **changes}.items() if v is not ef.DROP}
    (folder / "translations" / "es").mkdir(parents=True, exist_ok=True)
    (folder / "translations" / "es" / f"{file_stem}.toml").write_text(ef.to_toml(data), encoding="utf-8")


def test_a_good_translation_has_no_problems(tmp_path):
    ef.write(tmp_path, "good")
    write_spanish(tmp_path)
    assert problems_of(tmp_path) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"steps": SPANISH["steps"][:2]}, "steps: has 2 items; the English has 3"),
        ({"cautions": [*SPANISH["cautions"], "Pare si le duele."]}, "cautions: has 2 items; the English has 1"),
        ({"tips": ef.DROP}, "tips: missing"),
        ({"name": "  "}, "name: is empty"),
        ({"steps": ["Siéntese derecho.", "", "Relaje."]}, "steps[2]: is empty"),
        (
            {"steps": ["Siéntese derecho.", "Slide your chin straight back.", "Relaje."]},
            "steps[2]: is still in English",
        ),
        ({"name": "Chin tuck"}, "name: is still in English"),  # the same as the English
        ({"summary": "Lleve el mentón back to line up your head."}, "summary: is still in English"),
        ({"cautions": "Pare si se marea."}, "cautions: must be a list of texts"),
        # Each sentence at most 15 words, and the steps at a 6th grade (trial 26: "no problems" before).
        (
            {"tips": ["Piense en hacer papada con calma y sin prisa cada vez que se siente en la silla del comedor."]},
            "tips[1]: has a sentence of 19 words, at most 15:",
        ),
        (
            {
                "steps": [
                    "Manténgase perpendicularmente inmovilizado.",
                    "Contraiga simultáneamente la musculatura paravertebral cervical.",
                    "Relájese.",
                ]
            },
            "steps: read above a 6th grade: Fernández-Huerta ease",
        ),
        ({"sinonimos": ["papada"]}, "sinonimos: unknown field"),
        ({"id": "other"}, "id: must be “good”"),
    ],
)
def test_each_bad_translation_field_is_named(tmp_path, changes, expected):
    ef.write(tmp_path, "good")
    write_spanish(tmp_path, **changes)
    assert f"translations/es/good.toml: {expected}" in "\n".join(problems_of(tmp_path))


def test_a_translation_has_only_the_fields_its_exercise_has(tmp_path):
    ef.write(tmp_path, "good", tips=[])
    write_spanish(tmp_path)
    assert problems_of(tmp_path) == ["translations/es/good.toml: tips: the English exercise has none: leave it out"]


def test_a_translation_of_no_exercise_is_named(tmp_path):
    ef.write(tmp_path, "good")
    write_spanish(tmp_path, file_stem="gone", id="gone")
    assert problems_of(tmp_path) == [
        "translations/es/gone.toml: id: no exercise file is gone.toml",
        "translations/es/good.toml: file: missing: es is not offered without it",
    ]


def test_a_bad_translation_loads_nothing(tmp_path, db):
    from datetime import UTC, datetime

    from planner.catalog.loader import CatalogInvalid, load_directory

    ef.write(tmp_path, "good")
    write_spanish(tmp_path, steps=["Uno."])
    with pytest.raises(CatalogInvalid):
        load_directory(db, tmp_path, datetime.now(UTC))


def test_a_translation_is_loaded_onto_its_exercise_and_a_change_to_it_reloads_the_row(tmp_path, db):
    from datetime import UTC, datetime

    from planner.catalog.loader import load_directory
    from planner.catalog.translations import in_language
    from planner.services.catalog import get_exercise

    ef.write(tmp_path, "good")
    write_spanish(tmp_path)
    load_directory(db, tmp_path, datetime.now(UTC))
    assert in_language(get_exercise(db, 0, "good"), "es").name == "Retracción del mentón"
    write_spanish(tmp_path, name="Mentón hacia atrás")
    report = load_directory(db, tmp_path, datetime.now(UTC))
    assert report.updated == 1
    text = in_language(get_exercise(db, 0, "good"), "es")
    assert (text.name, text.steps[0], text.translated) == ("Mentón hacia atrás", SPANISH["steps"][0], True)
    assert in_language(get_exercise(db, 0, "good"), "fr").translated is False  # no French: as written


@pytest.mark.parametrize(
    "changes",
    [
        {"picture": STILL_HEAD, "cautions": ["Stop if you feel dizzy or unsteady. Hold the counter."]},
        {"picture": STILL_HEAD, "cautions": ["Stop if you feel dizzy. Breathe normally and rest."]},
        {"picture": STILL_HEAD, "cautions": ["Stop if it hurts."], "moves_head": ef.DROP},
        {"picture": STILL_HEAD, "moves_head": True},  # the steps move it: the rule stays
    ],
)
def test_a_dizziness_caution_with_its_own_reason_or_a_head_the_steps_move_is_accepted(tmp_path, changes):
    ef.write(tmp_path, "good", **changes)
    assert problems_of(tmp_path) == []


# ---- the real catalog, copied: a missing or half-English translation is named ----------------


def real_catalog(folder):  # noqa: ANN001, ANN201
    """A copy of the shipped exercises/ (exercise files and their translations) in `folder`."""
    import shutil

    from planner.config import ROOT

    shutil.copytree(ROOT / "exercises", folder, ignore=shutil.ignore_patterns("templates"))
    return folder


def test_a_missing_translation_fails_the_check_and_names_its_file(app, tmp_path):
    from planner.languages import offered

    folder = real_catalog(tmp_path / "ex")
    runner = app.test_cli_runner()
    whole = runner.invoke(args=["catalog", "check", str(folder)])
    assert (whole.exit_code, whole.output.splitlines()[-1].endswith("no problems.")) == (0, True)
    (folder / "translations" / "es" / "arm-swing-standing.toml").unlink()
    result = runner.invoke(args=["catalog", "check", str(folder)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "translations/es/arm-swing-standing.toml: file: missing: es is not offered without it",
        "1 problem in 1 file.",
    ]
    assert offered(["en", "es"], folder) == ("en",)  # what the check warns of


def test_a_short_english_step_is_found_and_no_spanish_text_is_taken_for_english(tmp_path):
    import tomllib

    folder = real_catalog(tmp_path / "ex")
    assert problems_of(folder) == []  # 184 Spanish files: no false alarm
    path = folder / "translations" / "es" / "ankle-circles.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    steps = ["Sit tall.", *data["steps"][1:]]
    path.write_text(ef.to_toml({**data, "steps": steps}), encoding="utf-8")
    assert problems_of(folder) == ["translations/es/ankle-circles.toml: steps[1]: is still in English"]
    # Two English words after a Spanish sentence, words of the English catalog (trial 26).
    cautions = ["Pare si le duele. Then rest.", *data["cautions"][1:]]
    path.write_text(ef.to_toml({**data, "cautions": cautions}), encoding="utf-8")
    assert problems_of(folder) == [
        "translations/es/ankle-circles.toml: cautions[1]: is still in English in part: “Then rest.”"
    ]
    # The same two words inside a Spanish sentence are not English left in.
    steps = ["Siéntese alto (sit tall) en una silla firme.", *data["steps"][1:]]
    path.write_text(ef.to_toml({**data, "steps": steps}), encoding="utf-8")
    assert problems_of(folder) == []


def test_check_without_a_folder_checks_the_catalog_load_reads(app):
    """As `catalog load` does (it said "Missing argument 'DIRECTORY'" and exited 2; trial 26)."""
    result = app.test_cli_runner().invoke(args=["catalog", "check"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "184 exercise files, no problems."


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"summary": "Sitting on the front of a chair, swing your arms in turn, one forward and one back."},
            "summary: has a sentence of 17 words, at most 15:",
        ),
        (
            {
                "cautions": [
                    "Stop if it hurts.",
                    "Stop if the pull in your neck gets stronger, or if any shaking starts or grows.",
                ]
            },
            "cautions[2]: has a sentence of 16 words, at most 15:",
        ),
        (
            {
                "steps": [
                    "Sit tall.",
                    "Slide your chin back as far as it goes and hold it there for a slow count.",
                    "Relax.",
                ]
            },
            "steps[2]: has a sentence of 17 words, at most 15:",
        ),
    ],
)
def test_an_english_sentence_over_15_words_is_named_as_a_translations_is(tmp_path, changes, expected):
    """The exercise files are held to what their translations are: 13 such sentences passed before."""
    ef.write(tmp_path, "good", **changes)
    assert f"good.toml: {expected}" in "\n".join(problems_of(tmp_path))


def test_a_clinics_own_exercise_may_keep_a_long_sentence(tmp_path):
    """The rule is the catalog's: a therapist's own exercise is theirs to word (no file, no check)."""
    long = "Slide your chin back as far as it goes and hold it there for a slow count of five."
    data = ef.exercise("own", steps=[long])
    assert validate_exercise(data, picture_required=False) == []


# ---- the shipped templates' translations: templates/translations/<language>/<template>.toml ----

TEMPLATE = {
    "title": "Your home program for a calmer neck",
    "goals": "Keep your head straight for longer when you read.",
    "frequency": "Start lying down, where the neck is calmest.",
    "visit_plan": "One visit a week for 6 weeks",
    "goals_when": {"rotation": "Turn your head both ways more easily."},
}
TEMPLATE_ES = {
    "title": "Su programa en casa para controlar el cuello",
    "goals": "Mantener la cabeza recta más tiempo cuando leo.",
    "frequency": "Empiece boca arriba: así el cuello está más tranquilo.",
    "visit_plan": "Una visita por semana durante 6 semanas",
    "goals_when": {"rotation": "Girar la cabeza a los dos lados con más facilidad."},
}


def write_templates(folder, **changes) -> None:  # noqa: ANN001, ANN003
    """The exercise "good", its Spanish, and one template "neck" with its Spanish (with `changes`)."""
    ef.write(folder, "good")
    write_spanish(folder)
    (folder / "templates" / "translations" / "es").mkdir(parents=True, exist_ok=True)
    (folder / "templates" / "neck.toml").write_text(ef.to_toml(TEMPLATE), encoding="utf-8")
    spanish = {k: v for k, v in {**TEMPLATE_ES, **changes}.items() if v is not ef.DROP}
    (folder / "templates" / "translations" / "es" / "neck.toml").write_text(ef.to_toml(spanish), encoding="utf-8")


def test_a_good_template_translation_has_no_problems(tmp_path):
    write_templates(tmp_path)
    assert problems_of(tmp_path) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        # Trial 27, F4: each passed catalog check and reached the patient's handout.
        ({"frequency": "Start lying down, where the neck is calmest."}, "frequency: is still in English"),
        ({"visit_plan": ""}, "visit_plan: is missing or empty"),
        ({"visit_plan": ef.DROP}, "visit_plan: is missing or empty"),
        (
            {
                "goals": "Mantener la cabeza recta y quieta durante mucho más tiempo cuando leo el periódico "
                "o cuando veo la tele por la noche con mi familia."
            },
            "goals: has a sentence of 25 words, at most 15:",
        ),
        ({"goals_when": {}}, "goals_when.rotation: is missing or empty"),
        (
            {"goals_when": {"rotation": "Turn your head both ways more easily."}},
            "goals_when.rotation: is still in English",
        ),
        ({"notas": "Hola."}, "notas: unknown field"),
    ],
)
def test_each_bad_template_translation_field_is_named(tmp_path, changes, expected):
    write_templates(tmp_path, **changes)
    assert f"templates/translations/es/neck.toml: {expected}" in "\n".join(problems_of(tmp_path))


def test_a_missing_template_translation_is_named(tmp_path):
    write_templates(tmp_path)
    (tmp_path / "templates" / "translations" / "es" / "neck.toml").unlink()
    assert problems_of(tmp_path) == ["templates/translations/es/neck.toml: file: missing: es is not offered without it"]


def test_the_check_command_fails_on_a_template_translation_left_in_english(app, tmp_path):
    write_templates(tmp_path, frequency="Start lying down, where the neck is calmest.")
    result = app.test_cli_runner().invoke(args=["catalog", "check", str(tmp_path)])
    assert result.exit_code == 1
    assert "templates/translations/es/neck.toml: frequency: is still in English" in result.output
