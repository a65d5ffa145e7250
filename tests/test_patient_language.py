"""What a Spanish patient receives follows Spanish to the last detail: the names of the files,
the language each part is marked in, the tips under each exercise, and the wording itself.

The world is test_languages.py's: María López (Spanish) and Ann Lee (English) with the same
program of three translated exercises and a clinic's own one, from the writer's cramp template.
"""

from __future__ import annotations

import email
import email.policy
import re

import pytest
from werkzeug.http import parse_options_header

from planner.services.file_names import content_disposition, file_name
from tests import test_languages
from tests.conftest import login
from tests.test_languages import NOW, compose

world = test_languages.world  # the same world, built once for this module

# ---- 1. file names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title, name, plain",
    [
        ("Ejercicios de José Peña", "ejercicios-de-josé-peña.pdf", "ejercicios-de-jose-pena.pdf"),
        ("Ασκήσεις αυχένα", "ασκήσεις-αυχένα.pdf", "handout.pdf"),
        ("Упражнения для шеи", "упражнения-для-шеи.pdf", "handout.pdf"),
        ("颈部康复练习", "颈部康复练习.pdf", "handout.pdf"),
        ("تمارين الرقبة", "تمارين-الرقبة.pdf", "handout.pdf"),
        ('Neck "A"; filename=evil.exe', "neck-a-filename-evil-exe.pdf", "neck-a-filename-evil-exe.pdf"),
        ("Week 1/2\r\nSet-Cookie: x=1", "week-1-2-set-cookie-x-1.pdf", "week-1-2-set-cookie-x-1.pdf"),
        ("../../etc/passwd", "etc-passwd.pdf", "etc-passwd.pdf"),
    ],
)
def test_a_downloaded_file_keeps_the_titles_letters_in_any_script_and_nothing_else(title, name, plain):
    """RFC 6266: `filename` in ASCII for old programs, `filename*` in UTF-8 for every script; no
    quote, CR, LF or slash of a title reaches the header."""
    assert file_name(title) == name
    header = content_disposition(name)
    assert "\r" not in header and "\n" not in header and "/" not in header.split("filename*")[0]
    disposition, options = parse_options_header(header)  # Werkzeug decodes filename* as browsers do
    assert disposition == "inline" and options["filename"] == name
    assert header.startswith(f'inline; filename="{plain}"')
    assert ("filename*=UTF-8''" in header) == (plain != name)


def test_the_spanish_patients_files_are_named_from_the_title_the_handout_prints(world):
    """The template's title "Your home program for writing" prints as "Su programa en casa para
    escribir": the emailed PDF, the phone page's download and the therapist's printout say so too."""
    spanish, english = "su-programa-en-casa-para-escribir.pdf", "your-home-program-for-writing.pdf"
    [attached] = compose(world, "handout", world["maria"]).attachments
    assert attached.filename == spanish
    [attached] = compose(world, "handout", world["ann"]).attachments
    assert attached.filename == english
    client = world["app"].test_client()
    for patient, name in (("María López", spanish), ("Ann Lee", english)):
        response = client.get(f"/p/{world['tokens'][patient]}/handout.pdf")
        assert response.headers["Content-Disposition"] == f'inline; filename="{name}"'
    login(client, "pt@sur.example", "x" * 20)
    response = client.get(f"/programs/{world['programs']['María López'].id}/handout.pdf")
    assert response.headers["Content-Disposition"] == f'inline; filename="{spanish}"'


def test_an_emailed_handout_with_an_accented_title_names_its_file_in_both_forms(world):
    from planner.mail import compose as compose_mail

    program = world["programs"]["María López"]
    title = program.title
    program.title = "Ejercicios de Begoña: cuello"
    try:
        made = compose(world, "handout", world["maria"])
    finally:
        program.title = title
    raw = compose_mail(made).data
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    [pdf] = list(parsed.iter_attachments())
    assert pdf.get_filename() == "ejercicios-de-begoña-cuello.pdf"
    assert re.search(rb"filename\*=utf-8''ejercicios-de-bego%C3%B1a-cuello\.pdf", raw)


@pytest.mark.parametrize("language, name", [("en", "my-exercises.pdf"), ("es", "mis-ejercicios.pdf")])
def test_a_title_without_letters_gives_the_patients_word_for_the_file(language, name):
    assert file_name("?!", language) == name


def test_the_handout_in_the_patients_data_export_is_named_as_she_gets_it(world):
    """The ZIP a patient asks for holds her handout under the name the email gives it; a second
    program of the same title keeps its own file."""
    import io
    import zipfile

    from planner.handouts import HandoutOptions
    from planner.services import patient_export

    maria = world["maria"]
    data = patient_export.export_zip(world["db"], maria, NOW, HandoutOptions(languages=("en", "es")))
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert names[3:] == ["su-programa-en-casa-para-escribir.pdf"]
    assert (
        "- su-programa-en-casa-para-escribir.pdf: la hoja de ejercicios"
        in zipfile.ZipFile(io.BytesIO(data)).read("README.txt").decode()
    )
    program = world["programs"]["María López"]
    assert patient_export.handout_name(program, "es", ["su-programa-en-casa-para-escribir.pdf"]) == (
        f"su-programa-en-casa-para-escribir-{program.id}.pdf"
    )


# ---- 2. the list before printing: what is not in Spanish, and what the therapist wrote ----------


def test_before_printing_the_cli_names_what_is_english_apart_from_what_you_wrote(world, tmp_path):
    """One label per line, so no sentence has to agree with a part's name ("Goals prints…")."""
    program = world["programs"]["María López"]
    result = world["app"].test_cli_runner().invoke(args=["handout", str(program.id), "-o", str(tmp_path / "h.pdf")])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "Not in Spanish, no translation: Exercise 4: Towel squeeze (name, steps, tips and cautions): in English",
        "Written by you, printed as written (check it is in Spanish): Goals",
        "Written by you, printed as written (check it is in Spanish): Advice: “Use the blue pen.”",
        "Written by you, printed as written (check it is in Spanish): Exercise 2: your note",
    ]


@pytest.mark.parametrize(
    "clinic_own, steps, language",
    [
        (False, ["Lie on your back.", "Hold it for a count of five."], "en"),  # the catalog, untranslated
        (True, ["Roll a towel.", "Squeeze it for a slow count of three."], "en"),  # a clinic's own, in English
        (True, ["Enrolle una toalla.", "Apriétela mientras cuenta hasta tres."], None),  # in Spanish: unknown
        (True, ["Сверните полотенце.", "Сожмите его на счёт три."], None),
        (True, ["把毛巾卷起来。", "用力握住，数到三。"], None),
    ],
)
def test_an_exercise_without_a_translation_says_which_language_it_is_in_when_that_is_known(clinic_own, steps, language):
    from types import SimpleNamespace

    from planner.catalog.translations import in_language

    exercise = SimpleNamespace(
        name="x", summary="", steps=steps, tips=[], cautions=[], translations={}, clinic_id=7 if clinic_own else None
    )
    text = in_language(exercise, "es")
    assert (text.translated, text.language) == (False, language)
    assert in_language(exercise, "en").translated


def test_a_clinics_own_exercise_in_spanish_is_listed_as_yours_to_check_not_as_english(world):
    from planner.handouts import not_in_language, written_by_you
    from planner.handouts.content import handout_content
    from planner.services import programs
    from planner.services.custom_exercises import CustomExerciseData, create_custom_exercise

    db = world["db"]
    maria = world["maria"]
    own = create_custom_exercise(
        db,
        maria.clinic_id,
        CustomExerciseData(
            name="Apretar la toalla",
            category="strengthening",
            regions=["arms_hands"],
            position="sitting",
            equipment=["towel"],
            difficulty=1,
            conditions=["writers_cramp"],
            summary="Apriete una toalla enrollada.",
            steps=["Enrolle una toalla.", "Apriétela mientras cuenta hasta tres."],
            cautions=["Pare si la mano se le agarrota."],
            dosage={"repetitions": 8},
        ),
        NOW,
    )
    try:
        program = programs.create_program(
            db, maria, programs.ProgramDetails("Mis ejercicios", NOW.date(), goals="Escribir mi nombre."), None, NOW
        )
        programs.add_item(db, program, own, None, NOW)
        content = handout_content(db, program, NOW, language="es")
        assert not_in_language(content) == []
        assert written_by_you(content) == [
            "Program title",
            "Goals",
            "Exercise 1: Apretar la toalla (your clinic's own exercise)",
        ]
    finally:
        db.rollback()
