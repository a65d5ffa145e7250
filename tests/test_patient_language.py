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

from planner.services import issuing, reevaluation
from planner.services.file_names import content_disposition, file_name
from tests import test_languages
from tests.conftest import login
from tests.test_catalog_custom import jpeg
from tests.test_languages import NOW, compose, towel_squeeze

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
    response = client.post(f"/programs/{world['programs']['María López'].id}/handout.pdf")
    assert response.headers["Content-Disposition"] == f'inline; filename="{spanish}"'


def test_an_emailed_handout_with_an_accented_title_names_its_file_in_both_forms(world):
    from planner.mail import compose as compose_mail

    program = world["programs"]["María López"]
    program.title = "Ejercicios de Begoña: cuello"
    made = compose(world, "handout", world["maria"])  # rolls back: the title is as before
    assert program.title == "Your home program for writing"
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


def test_a_preview_from_the_cli_names_the_same_parts_before_anything_is_given(world, tmp_path):
    program = world["programs"]["María López"]
    result = (
        world["app"]
        .test_cli_runner()
        .invoke(args=["handout", str(program.id), "-o", str(tmp_path / "p.pdf"), "--preview"])
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        "Not in Spanish, no translation: Exercise 4: Towel squeeze (name, steps, tips and cautions): in English"
    )
    assert len(result.stderr.splitlines()) == 4


@pytest.fixture
def in_french(world):
    """Ann Lee, whose handout is English, with French as her language (no handout made in it)."""
    ann, db = world["ann"], world["db"]
    ann.language = "fr"
    db.commit()
    yield ann
    ann.language = "en"
    db.commit()


@pytest.mark.parametrize("preview", [False, True])
def test_for_a_language_with_no_handout_the_cli_says_the_whole_handout_is_in_english(
    world, in_french, tmp_path, preview
):
    program = world["programs"]["Ann Lee"]
    args = ["handout", str(program.id), "-o", str(tmp_path / "h.pdf"), *(["--preview"] if preview else [])]
    result = world["app"].test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "Not in French, the patient's language: no handout is made in it yet, so every part prints in English."
    ]


def test_for_a_language_with_no_handout_the_program_page_says_the_whole_handout_is_in_english(world, in_french):
    client = world["app"].test_client()
    login(client, "pt@sur.example", "x" * 20)
    html = client.get(f"/programs/{world['programs']['Ann Lee'].id}").get_data(as_text=True)
    notice = html[html.index('id="not-the-patients"') :]
    notice = re.sub(r"<[^>]+>", "", notice[: notice.index("</div>")])
    assert "The handout is in English, not in Français." in notice
    assert "every part prints in English, as do the phone page and the emails" in notice


@pytest.mark.parametrize("name", ["María López", "Ann Lee"])
def test_a_handout_in_the_patients_own_language_says_nothing_of_another(world, name):
    client = world["app"].test_client()
    login(client, "pt@sur.example", "x" * 20)
    html = client.get(f"/programs/{world['programs'][name].id}").get_data(as_text=True)
    assert 'id="not-the-patients"' not in html


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
    from planner.services import program_items, programs
    from planner.services.custom_exercises import create_custom_exercise

    db = world["db"]
    maria = world["maria"]
    own = create_custom_exercise(db, maria.clinic_id, towel_squeeze("es"), NOW)
    try:
        program = programs.create_program(
            db, maria, programs.ProgramDetails("Mis ejercicios", NOW.date(), goals="Escribir mi nombre."), None, NOW
        )
        program_items.add_item(db, program, own, None, NOW)
        content = handout_content(db, program, NOW, language="es")
        assert not_in_language(content) == []
        assert written_by_you(content) == [
            "Program title",
            "Goals",
            "Exercise 1: Apretar la toalla (your clinic's own exercise)",
        ]
    finally:
        db.rollback()


# ---- 3. tips reach the patient ---------------------------------------------------------------


def test_the_phone_page_shows_each_exercises_tips_under_its_steps_in_spanish(world):
    html = world["app"].test_client().get(f"/p/{world['tokens']['María López']}").get_data(as_text=True)
    first = html.split('<li id="exercise-')[1]
    steps, tips = first.index('class="steps"'), first.index('class="tips"')
    assert steps < tips < first.index('class="caution"')
    assert "<strong>Consejos:</strong>" in first
    assert "Ponga una toalla doblada bajo el antebrazo. Así estará más a gusto." in first[tips:]
    english = world["app"].test_client().get(f"/p/{world['tokens']['Ann Lee']}").get_data(as_text=True)
    assert "<strong>Tips:</strong>" in english and "Put a folded towel under your forearm" in english


def test_a_clinics_own_tips_show_on_the_phone_page_as_written(world):
    """Once given: the phone shows the words of the version given (tests/test_given_words.py)."""
    own, db, program = world["own"], world["db"], world["programs"]["María López"]
    own.tips = ["Use a soft towel."]
    issuing.issue(db, program, None, "print", NOW)
    db.commit()
    try:
        html = world["app"].test_client().get(f"/p/{world['tokens']['María López']}").get_data(as_text=True)
    finally:
        own.tips = []
        issuing.issue(db, program, None, "print", NOW)
        db.commit()
    mine = html[html.index(f'id="exercise-{own.id}"') :]
    assert "Use a soft towel." in mine[mine.index('class="tips"') :]


@pytest.mark.parametrize("layout, shown", [("page", True), ("compact", False)])
def test_the_handout_prints_the_tips_when_each_exercise_has_a_page(world, layout, shown):
    """One exercise a page has the room; the compact layout keeps its page counts (the phone page
    and the layout's hint say where the tips are)."""
    from tests.handout_world import pages_text
    from tests.test_languages import spanish_pdf

    program = world["programs"]["María López"]
    program.handout_layout = layout
    try:
        text = " ".join(pages_text(spanish_pdf(world)))
    finally:
        world["db"].rollback()  # the layout as saved
    assert ("Consejos: Ponga una toalla doblada bajo el antebrazo." in text) is shown
    assert ("Mueva solo la muñeca." in text) is shown


# ---- 4. the language of each part, marked for a screen reader ----------------------------------


def test_the_spanish_phone_page_marks_the_english_exercise_and_leaves_the_therapists_note_unmarked(world):
    """A screen reader reads a part in the page's Spanish voice unless the part says otherwise:
    the clinic's own exercise in English says lang="en" (name, steps, cautions, the tick's
    name), the translated ones say nothing, and the therapist's note (any language) says nothing."""
    html = world["app"].test_client().get(f"/p/{world['tokens']['María López']}").get_data(as_text=True)
    program = world["programs"]["María López"]
    own = html[html.index(f'<li id="exercise-{world["own"].id}"') :]
    own = own[: own.index("</li>\n  \n</ol>") if "</li>\n  \n</ol>" in own else own.index('<section id="how"')]
    assert '<bdi lang="en">Towel squeeze</bdi></h2>' in own
    assert '<ol class="steps" lang="en"><li dir="auto">Roll a towel.</li>' in own
    assert '<ul lang="en"><li dir="auto">Stop if your hand cramps.</li>' in own
    assert ': <bdi lang="en">Towel squeeze</bdi></span>' in own  # the tick button's name
    translated = html[: html.index(f'<li id="exercise-{world["own"].id}"')]
    assert 'lang="en"' not in translated
    note_item = program.items[1]
    assert "<bdi>Despacio y sin dolor.</bdi>" in html and note_item.note == "Despacio y sin dolor."
    english = world["app"].test_client().get(f"/p/{world['tokens']['Ann Lee']}").get_data(as_text=True)
    assert 'lang="en"' not in english.replace('<html lang="en">', "")


def test_the_daily_email_marks_an_english_exercise_name_in_a_spanish_list(world):
    from planner.services import exercise_reminders

    db, maria, key = world["db"], world["maria"], world["app"].secret_key
    try:
        exercise_reminders.turn_on(db, maria, parse_time("08:00"), "patient", NOW, key)
        made = compose(world, "exercise", maria, public_url="https://p.example", secret_key=key)
    finally:
        db.rollback()
    assert '<li dir="auto"><span lang="en">Towel squeeze</span>: Hágalo de los dos lados. Repítalo 8 veces.</li>' in (
        made.html
    )
    assert '<li dir="auto">Flexión y círculos de muñeca: ' in made.html


def parse_time(text: str):  # noqa: ANN201
    from planner.services.exercise_reminders import parse_time as parse

    return parse(text)


# ---- 5. wording: one full stop after a quotation, a language on every email --------------------


@pytest.mark.parametrize(
    "language, words, said",
    [
        ("en", "It hurts more at night.", "Saved: “It hurts more at night.”"),
        ("en", "Can I run?", "Saved: “Can I run?”"),
        ("en", "Reading the paper", "Saved: “Reading the paper”."),
        # Spanish puts the sentence's stop after the closing mark (RAE), and only there.
        ("es", "Me duele más por la tarde.", "Guardado: “Me duele más por la tarde”."),
        ("es", "¿Puedo correr?", "Guardado: “¿Puedo correr?”."),
        ("es", "Leer el periódico", "Guardado: “Leer el periódico”."),
        ("es", "Esperaré...", "Guardado: “Esperaré...”."),
    ],
)
def test_a_saved_answer_in_the_patients_words_ends_with_one_full_stop(language, words, said):
    from types import SimpleNamespace

    from planner.i18n import translator
    from planner.web.portal.questions import saved_words

    answers = SimpleNamespace(answers=[SimpleNamespace(question="triggers", rating=None, text=words)])
    assert saved_words(answers, "triggers", translator(language)) == said


def test_the_version_history_quotes_a_goal_or_note_with_one_full_stop():
    from planner.services.versions import diff

    item = {"exercise": "x", "name": "Chin tuck", "dosage": {"repetitions": 5}, "side": None}
    old = {"goals": "Walk more.", "items": [{**item, "note": "Go slowly."}]}
    new = {"goals": "Walk to the shop?", "items": [{**item, "note": ""}]}
    assert diff(old, new) == [
        "Goals changed from “Walk more.” to “Walk to the shop?”",
        "Chin tuck: note changed from “Go slowly.” to “—”.",
    ]


def test_every_email_says_its_language(world):
    """Content-Language (RFC 3282): the patient's language on what goes to the patient; the
    therapist's emails are English, as the therapist's pages."""
    from planner.mail import compose as compose_mail
    from planner.services import reevaluation

    due = reevaluation.next_reevaluation(world["programs"]["María López"])
    for kind, patient, language in [
        ("handout", world["maria"], "es"),
        ("reevaluation", world["maria"], "es"),
        ("handout", world["ann"], "en"),
    ]:
        made = compose(world, kind, patient, due if kind == "reevaluation" else None)
        parsed = email.message_from_bytes(compose_mail(made).data, policy=email.policy.default)
        assert parsed["Content-Language"] == language, kind
    made = compose(world, "reevaluation", world["maria"], due, recipient="therapist")
    parsed = email.message_from_bytes(compose_mail(made).data, policy=email.policy.default)
    assert parsed["Content-Language"] == "en" and parsed["Subject"].startswith("Re-evaluation due")


def test_the_spanish_patient_reads_plain_wording(world):
    """The trial's slips: a number written two ways, "más o menos" twice in a row, "Ahí ve"."""
    from planner.i18n import translator

    text = " ".join(pages_text_of(world))
    assert "Todos los días, 1 o 2 veces al día, según cada ejercicio." in text
    assert "Cuánto tiempo: Cada vez, entre 4 y 5 minutos. En total, unos 9 minutos al día." in text
    assert "de una a" not in text and "más o menos" not in text.lower()
    t = translator("es")
    assert t.gettext("Open your exercise page to see how to do them and tick what you did:") == (
        "Abra su página de ejercicios. Allí verá cómo hacerlos y podrá marcar lo que hizo:"
    )
    assert t.gettext("10 means as strong as it has ever been.") == "10 significa tan fuerte como en su peor momento."


def pages_text_of(world) -> list[str]:
    from tests.handout_world import pages_text
    from tests.test_languages import spanish_pdf

    return pages_text(spanish_pdf(world))


# The clinic's name as its administrator may write it: Latin with accents, Greek, Cyrillic, Chinese,
# Hebrew, Arabic, and the signs an address header must quote.
CLINIC_NAMES = [
    "Clínica Movimiento Libre",
    "Κλινική Φυσικοθεραπείας",
    "Клиника «Движение»",
    "康复诊所",
    "מרפאת תנועה",
    "عيادة الحركة",
    'Smith, Jones & "Co" <Rehab>',
]


def _from(made) -> tuple[str, str]:  # noqa: ANN001
    """The From header's name and address, as a mail program reads them back."""
    from planner.mail import compose as compose_mail

    parsed = email.message_from_bytes(compose_mail(made).data, policy=email.policy.default)
    [sender] = parsed["From"].addresses
    return sender.display_name, sender.addr_spec


@pytest.mark.parametrize("name", CLINIC_NAMES)
def test_an_email_to_a_patient_comes_from_the_clinics_name_at_the_sites_address(world, name):
    """The trial's Spanish email came from "Home Exercise Planner": a patient reads the name of
    the clinic, as its administrator wrote it, in any script; the address is the site's [mail]
    sender, so the mail server's sender rules hold."""
    from planner.models import Clinic

    maria = world["maria"]
    world["db"].get(Clinic, maria.clinic_id).name = name  # compose rolls it back
    assert _from(compose(world, "handout", maria)) == (name, "planner@localhost")


def test_every_email_to_the_patient_and_none_to_the_therapist_takes_the_clinics_name(world):
    from planner.services import exercise_reminders

    db, maria, key = world["db"], world["maria"], world["app"].secret_key
    due = reevaluation.next_reevaluation(world["programs"]["María López"])
    assert _from(compose(world, "reevaluation", maria, due)) == ("Clínica Sur", "planner@localhost")
    try:
        exercise_reminders.turn_on(db, maria, parse_time("08:00"), "patient", NOW, key)
        made = compose(world, "exercise", maria, public_url="https://p.example", secret_key=key)
    finally:
        db.rollback()
    assert _from(made) == ("Clínica Sur", "planner@localhost")
    # The therapist's email is the planner's own, in the site's name.
    therapist = compose(world, "reevaluation", maria, due, recipient="therapist")
    assert _from(therapist) == ("Home Exercise Planner", "planner@localhost")


# ---- 5. a clinic's own photo on the phone page -------------------------------------------------


@pytest.fixture
def with_photo(world):
    """The clinic's own Towel squeeze (exercise 4 of both programs) with a photo, as its handout prints it."""
    own, db = world["own"], world["db"]
    own.photo, own.photo_mime = jpeg((300, 200)), "image/jpeg"
    db.commit()
    yield own
    own.photo, own.photo_mime = None, ""
    db.commit()


@pytest.mark.parametrize(("name", "alt"), [("María López", "Foto: Towel squeeze"), ("Ann Lee", "Photo: Towel squeeze")])
def test_the_phone_page_shows_a_clinics_own_photo_as_the_handout_does(world, with_photo, name, alt):
    """The handout printed the photo beside the steps; the phone page showed no picture at all (trial 26)."""
    client = world["app"].test_client()
    token = world["tokens"][name]
    page = client.get(f"/p/{token}")
    # The page's address holds the token: no Referer carries it anywhere (the app's same-origin
    # had replaced the phone page's no-referrer).
    assert page.headers["Referrer-Policy"] == "no-referrer"
    html = page.get_data(as_text=True)
    item = html[html.index("4</span>") :]
    item = item[: item.index("</li>")]
    assert f'<img src="/p/{token}/photo/4" alt="{alt}"' in item
    assert html.count(f"/p/{token}/photo/") == 1  # the drawn exercises keep their drawings
    response = client.get(f"/p/{token}/photo/4")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert response.data == with_photo.photo
    assert "private" in response.headers["Cache-Control"]
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_a_photo_is_served_only_for_an_exercise_of_the_patients_own_program_that_has_one(world, with_photo):
    client = world["app"].test_client()
    token = world["tokens"]["María López"]
    assert client.get(f"/p/{token}/photo/1").status_code == 404  # a drawn exercise: no photo
    assert client.get(f"/p/{token}/photo/99").status_code == 404  # no such exercise
    assert client.get(f"/p/{'x' * len(token)}/photo/4").status_code == 404  # a wrong link


# ---- 6. a program copied to a patient who reads another language ------------------------------


@pytest.mark.parametrize(("language", "warned"), [("en", True), ("fr", True), ("es", False)])
def test_copying_to_a_patient_who_reads_another_language_says_what_is_copied_as_written(world, language, warned):
    """Trial 26: María's program copied to an English patient printed her Spanish title, goals and
    notes under English labels, and nothing said so. French reads the English handout too."""
    from planner.models import Clinic
    from tests.factories import make_patient

    db = world["db"]
    clinic = db.get(Clinic, world["maria"].clinic_id)
    target = make_patient(db, clinic, f"Copy Target {language}", language=language)
    db.commit()
    client = world["app"].test_client()
    login(client, "pt@sur.example", "x" * 20)
    copied = client.post(
        f"/programs/{world['programs']['María López'].id}/copy", data={"patient": target.id}, follow_redirects=True
    )
    html = re.sub(r"<[^>]+>", "", copied.get_data(as_text=True))
    said = (
        f"María López's handout is in Español, and Copy Target {language}'s is in English. What you or your "
        "clinic wrote (the title, goals, notes, other advice and your own exercises) is copied as written: "
        "check that each one is in English."
    )
    assert (said in html.replace("&#39;", "'")) is warned
    assert "The program is copied to Copy Target" in html
