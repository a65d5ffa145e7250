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
