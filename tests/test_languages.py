"""A patient reads everything in their own language: the handout, the phone page and the emails.

Spanish is the second language. A language is offered only when it is complete, so the world
here is a clinic whose catalog is the exercises that have a Spanish translation: there Spanish
is complete. The shipped catalog becomes complete when every exercise's translation is in
(the last test says what is still missing).
"""

from __future__ import annotations

import io
import re
import shutil
import tomllib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from flask import g
from flask_wtf import FlaskForm
from pypdf import PdfReader
from wtforms import IntegerField

from planner.catalog.loader import load_directory
from planner.catalog.readability import measure_spanish
from planner.config import ROOT
from planner.handouts import HandoutOptions, build_handout, not_in_language, written_by_you
from planner.handouts.content import handout_content
from planner.i18n import translator
from planner.languages import missing, offered
from planner.mail import Email
from planner.messages import compiled, extract, languages, po_path, read_catalog, read_template
from planner.models import OutboxMessage
from planner.services import accounts, patient_links, program_items, programs, reevaluation
from planner.services.advice import BUILT_IN
from planner.services.catalog import get_exercise
from planner.services.custom_exercises import CustomExerciseData, create_custom_exercise
from planner.services.emails import MailSettings, make_composer
from tests.conftest import build_app, login
from tests.factories import give, make_clinic, make_patient, make_user
from tests.handout_world import pages_text

NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)  # a Saturday
# The exercises that have their Spanish text in this branch (exercises/translations/es/).
TRANSLATED = ["wrist-bends-and-circles", "thumb-circles", "wrist-finger-stretch-table"]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def spanish_catalog(folder: Path, slugs: list[str] = TRANSLATED, translated: list[str] = TRANSLATED) -> Path:
    """A catalog folder of these exercises, with the Spanish text of `translated` beside them."""
    (folder / "translations" / "es").mkdir(parents=True)
    for slug in slugs:
        shutil.copy(ROOT / "exercises" / f"{slug}.toml", folder)
    for slug in translated:
        shutil.copy(ROOT / "exercises" / "translations" / "es" / f"{slug}.toml", folder / "translations" / "es")
    return folder


# ---- the catalogs --------------------------------------------------------------------------


def test_the_message_template_lists_every_marked_message():
    """translations/messages.pot is what the code marks today (`make translations` rewrites it)."""
    assert {m.id for m in extract() if m.id} == {m.id for m in read_template() if m.id}


@pytest.mark.parametrize("language", languages())
def test_every_message_is_translated_with_its_placeholders_and_plural_forms(language):
    catalog = read_catalog(language)
    problems = []
    for message in read_template():
        if not message.id:
            continue
        found = catalog.get(message.id)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = () if found is None else found.string if isinstance(found.string, tuple) else (found.string,)
        if found is None or found.fuzzy or not all(strings):
            problems.append(f"untranslated: {ids[0]!r}")
        elif any(set(PLACEHOLDER.findall(s)) != set(PLACEHOLDER.findall(ids[-1])) for s in strings):
            problems.append(f"placeholders differ: {ids[0]!r} → {strings!r}")
        elif len(strings) != catalog.num_plurals and len(ids) == 2:
            problems.append(f"{catalog.num_plurals} plural forms needed: {ids[0]!r}")
    assert problems == []


@pytest.mark.parametrize("language", languages())
def test_the_compiled_catalog_is_the_po_file(language):
    """The .mo the app loads is committed; it must be the .po as it is now (`make translations`)."""
    assert po_path(language).with_suffix(".mo").read_bytes() == compiled(language)


def spanish_texts() -> list[str]:
    """Every Spanish sentence a patient may read that is not an exercise's: messages (placeholders
    filled with one word), the advice list and the shipped templates' texts."""
    import tomllib

    texts = [
        PLACEHOLDER.sub("Ana", s)
        for m in read_catalog("es")
        if m.id
        for s in (m.string if isinstance(m.string, tuple) else (m.string,))
    ]
    for path in sorted((ROOT / "exercises" / "templates" / "translations" / "es").glob("*.toml")):
        for value in tomllib.loads(path.read_text(encoding="utf-8")).values():
            texts += [str(v) for v in value.values()] if isinstance(value, dict) else [str(value)]
    return texts


def test_spanish_fixed_text_reads_at_6th_grade_in_short_sentences():
    found = measure_spanish(spanish_texts())
    assert found.ease >= 70, f"Fernández-Huerta {found.ease}"
    assert found.longest_sentence_words <= 15, found.longest_sentence


def test_the_advice_list_and_every_template_have_their_spanish():
    catalog = read_catalog("es")
    assert all(catalog.get(line) is not None and catalog.get(line).string for line in BUILT_IN)
    assert [line for line in missing("es", ROOT / "exercises") if line.startswith(("template", "message"))] == []


# ---- which languages are offered -------------------------------------------------------------


def test_a_language_is_offered_exactly_when_it_is_complete(tmp_path):
    folder = spanish_catalog(tmp_path, slugs=[*TRANSLATED, "thumb-forearm-stretch"])
    assert missing("es", folder) == [
        "exercise thumb-forearm-stretch: no translation in translations/es/thumb-forearm-stretch.toml"
    ]
    assert offered(["en", "es", "fr"], folder) == ("en",)
    complete = spanish_catalog(tmp_path / "complete")
    assert missing("es", complete) == []
    assert offered(["en", "es", "fr"], complete) == ("en", "es")
    assert missing("fr", complete)[0] == "messages: no catalog translations/fr/LC_MESSAGES/messages.po"


def test_a_translation_with_a_problem_keeps_its_language_incomplete(tmp_path):
    folder = spanish_catalog(tmp_path)
    bad = folder / "translations" / "es" / "thumb-circles.toml"
    text = bad.read_text(encoding="utf-8")
    *_, last = tomllib.loads(text)["cautions"]
    at = len(tomllib.loads(text)["cautions"])  # counted from 1, as the message says
    bad.write_text(text.replace(f'"{last}"', '""'), "utf-8")
    assert missing("es", folder) == [
        f"exercise translation: translations/es/thumb-circles.toml: cautions[{at}]: is empty",
        "exercise thumb-circles: no translation in translations/es/thumb-circles.toml",
    ]


def test_the_shipped_catalog_is_complete_in_spanish():
    """Spanish is offered only while this holds: it names whatever goes missing."""
    assert missing("es", ROOT / "exercises") == []


# ---- the world: a clinic whose catalog is complete in Spanish --------------------------------


# A clinic's own exercise for writer's cramp, as its therapist writes it in each language.
TOWEL_SQUEEZE = {
    "en": {
        "name": "Towel squeeze",
        "summary": "Squeeze a rolled towel.",
        "steps": ["Roll a towel.", "Squeeze it for a slow count of three."],
        "cautions": ["Stop if your hand cramps."],
    },
    "es": {
        "name": "Apretar la toalla",
        "summary": "Apriete una toalla enrollada.",
        "steps": ["Enrolle una toalla.", "Apriétela mientras cuenta hasta tres."],
        "cautions": ["Pare si la mano se le agarrota."],
    },
}


def towel_squeeze(language: str) -> CustomExerciseData:
    """The clinic's own towel squeeze written in `language` ("en" or "es"), for create_custom_exercise."""
    return CustomExerciseData(
        category="strengthening",
        regions=["arms_hands"],
        position="sitting",
        equipment=["towel"],
        difficulty=1,
        conditions=["writers_cramp"],
        dosage={"repetitions": 8},
        **TOWEL_SQUEEZE[language],
    )


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """An app whose catalog is the translated exercises (so it offers Spanish), María López
    (Spanish) with a program of them, a clinic's own exercise and a note, and her private link."""
    base = tmp_path_factory.mktemp("spanish")
    folder = spanish_catalog(base / "catalog")
    app = build_app(base, catalog={"directory": str(folder)})
    db = app.extensions["db_sessionmaker"]()
    load_directory(db, folder, NOW)
    clinic = make_clinic(db, "Clínica Sur", timezone="UTC")
    clinic.email = "recepcion@clinica.example"
    therapist = accounts.create_user(db, clinic, email="pt@sur.example", name="Dana Ortiz", password="x" * 20)
    own = create_custom_exercise(db, clinic.id, towel_squeeze("en"), NOW)
    maria = make_patient(
        db,
        clinic,
        "María López",
        preferred_name="María",
        language="es",
        email="maria@example.org",
        reminder_consent=True,
    )
    ann = make_patient(db, clinic, "Ann Lee", language="en", email="ann@example.org", reminder_consent=True)
    details = programs.ProgramDetails(
        title="Your home program for writing",  # as the writer's cramp template ships it
        start_date=date(2026, 11, 21),
        reeval_interval_days=42,
        goals="Write my name on a check.",  # the therapist's own words: printed as written
        frequency="Before you write.",  # the template's note, as shipped
        advice=[BUILT_IN[1], "Use the blue pen."],
    )
    made = {}
    for patient in (maria, ann):
        program = programs.create_program(db, patient, details, therapist.id, NOW)
        for n, slug in enumerate([*TRANSLATED, own.slug]):
            exercise = own if slug == own.slug else get_exercise(db, clinic.id, slug)
            note = "Despacio y sin dolor." if n == 1 else ""  # the therapist's own words: printed as written
            program_items.add_item(db, program, exercise, None, NOW, side="left" if n == 0 else "both", note=note)
        made[patient.name] = give(db, program, NOW)
    tokens = {p.name: patient_links.create_link(db, p, app.secret_key, NOW)[1] for p in (maria, ann)}
    db.commit()
    yield {"app": app, "db": db, "maria": maria, "ann": ann, "programs": made, "tokens": tokens, "own": own}
    db.close()


def spanish_pdf(world) -> bytes:
    program = world["programs"]["María López"]
    return build_handout(world["db"], program, NOW, options=HandoutOptions(languages=("en", "es")))


# ---- the handout -----------------------------------------------------------------------------


def test_the_spanish_handout_is_spanish_throughout(world):
    pdf = spanish_pdf(world)
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "es"
    pages = pages_text(pdf)
    text = " ".join(pages)
    for expected in [
        "Su programa en casa para escribir",  # the template's title, as shipped
        "Fecha: 21 de noviembre de 2026 (versión 1)",
        "Próxima revisión: 2 de enero de 2027",
        "Todos los días, 1 o 2 veces al día, según cada ejercicio.",  # from the dosages
        "Nota: Antes de escribir.",  # the template's note beside it
        "1. Flexión y círculos de muñeca",
        "Hágalo con la mano izquierda. Repítalo 10 veces. Haga 1 serie. Hágalo 2 veces al día, todos los días.",
        "Siéntese a una mesa. Apoye el antebrazo con la mano fuera del borde.",
        "Pare si le duele la base del pulgar.",
        "Nota de su terapeuta: Despacio y sin dolor.",
        "Cada 20 o 30 minutos, levántese y muévase.",  # a tip from the template's advice list
        "Marque una casilla cada vez que haga un ejercicio",
        "Lun Mar Mié Jue Vie Sáb Dom",
        "Inicio",
    ]:
        assert expected in text, expected
    assert all(f"Página {n} de {len(pages)}" in page for n, page in enumerate(pages, 1))
    for english in ["Hello", "Your exercises", "Repeat", "Page 1", "Start", "November", "Mon Tue"]:
        assert english not in text, english


def test_what_has_no_translation_prints_as_written_and_is_named_first(world):
    text = " ".join(pages_text(spanish_pdf(world)))
    assert "4. Towel squeeze" in text and "Squeeze it for a slow count of three." in text
    assert "Write my name on a check." in text and "Use the blue pen." in text
    content = handout_content(world["db"], world["programs"]["María López"], NOW, language="es")
    # Named apart: what is known to be English, and what the therapist typed in any language.
    assert not_in_language(content) == ["Exercise 4: Towel squeeze (name, steps, tips and cautions): in English"]
    assert written_by_you(content) == ["Goals", "Advice: “Use the blue pen.”", "Exercise 2: your note"]
    english = handout_content(world["db"], world["programs"]["Ann Lee"], NOW, language="en")
    assert not_in_language(english) == [] and written_by_you(english) == []


def test_an_english_patient_keeps_the_english_handout(world):
    pdf = build_handout(world["db"], world["programs"]["Ann Lee"], NOW, options=HandoutOptions(languages=("en", "es")))
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "en"
    assert "Repeat 10 times." in " ".join(pages_text(pdf))


def test_a_language_the_site_does_not_offer_gives_the_english_handout(world):
    pdf = build_handout(world["db"], world["programs"]["María López"], NOW, options=HandoutOptions(languages=("en",)))
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "en"


# ---- the pages -------------------------------------------------------------------------------


def test_the_phone_page_is_in_the_patients_language(world):
    response = world["app"].test_client().get(f"/p/{world['tokens']['María López']}")
    html = response.get_data(as_text=True)
    assert '<html lang="es">' in html and response.headers["Content-Language"] == "es"
    for expected in [
        "Hola, María",
        "Pare y llámenos si el dolor o los síntomas empeoran.",  # the handout's safety rule
        "Flexión y círculos de muñeca",
        "Hágalo con la mano izquierda. Repítalo 10 veces.",
        "Siéntese a una mesa.",
        "Lo hice",
        "Dolor, de 0 (sin dolor) a 10 (el peor imaginable)",
        "¿Cómo le resultaron los ejercicios?",
        "Normales",
        "Descargar mi hoja de ejercicios (PDF)",
        "Hoy ha hecho 0 de 7 veces.",  # 4 exercises, some done 2 times a day
        "Cuándo parar:",
        # the movement: its button, the stills' captions and both pictures' names for a screen reader
        "Parar la imagen en movimiento",
        "<span>Inicio</span><span>Final</span>",
        'aria-label="Flexión y círculos de muñeca: el movimiento, de la posición inicial a la final y de vuelta"',
        'aria-label="Flexión y círculos de muñeca: posición inicial y final"',
    ]:
        assert expected in html, expected
    for english in ["Hello", "I did this", "How to do it", "Pain, from", "Start<", "moving picture", "position"]:
        assert english not in html, english


def test_a_tick_and_taking_it_back_are_said_in_the_patients_language(world, now):
    """The done mark, the control that takes a tick back, its question naming exercise, day and
    time of the day, and the answer to a second tap a moment later: all Spanish."""
    from planner.i18n import translator

    patient = world["app"].test_client()
    token = world["tokens"]["María López"]
    program = world["programs"]["María López"]
    exercise_id = program.items[0].exercise_id
    yesterday = now.date() - timedelta(days=1)  # the page reads the same clock
    on_day = translator("es").weekday_date(yesterday)  # "viernes, 20 de noviembre"
    answer = patient.post(f"/p/{token}/tick", data={"exercise": exercise_id, "day": yesterday.isoformat()})
    page = patient.get(answer.headers["Location"]).get_data(as_text=True)
    # Done 2 times a day: the first time is marked, and taking it back names it.
    assert "Vez 1 de 2: hecha" in page and "Quitar la vez 1 de 2" in page
    asked = patient.get(f"/p/{token}/undo?exercise={exercise_id}&day={yesterday.isoformat()}").get_data(as_text=True)
    assert "<title>¿Quitar la marca?</title>" in asked
    assert (
        f"Marcó la vez 1 de 2 de <strong><bdi>Flexión y círculos de muñeca</bdi></strong> como hecha el {on_day}."
        in asked
    )
    assert "Sí, quitar la marca" in asked and "No, dejar la marca" in asked
    refused = patient.post(f"/p/{token}/undo", data={"exercise": exercise_id, "day": yesterday.isoformat()})
    assert refused.status_code == 422
    assert "Lo marcó hace un momento, así que la marca se queda." in refused.get_data(as_text=True)
    for english in ["Done", "Take back", "You ticked", "moment ago", "Time "]:
        assert english not in page + asked + refused.get_data(as_text=True), english


def test_the_phone_page_confirms_a_save_in_the_patients_language(world, now):
    patient = world["app"].test_client()
    token = world["tokens"]["María López"]
    day = (now.date() - timedelta(days=1)).isoformat()  # the page reads the same clock
    response = patient.post(f"/p/{token}/day", data={"day": day, "pain": "4", "difficulty": "right", "comment": "Bien"})
    html = patient.get(response.headers["Location"]).get_data(as_text=True)
    assert "Guardado para el " in html and ": dolor 4 de 10, ejercicios normales y su nota.</p>" in html


def test_another_days_page_is_headed_by_its_date_with_a_capital_and_asks_of_no_today(world, now):
    """Trial 27, F6: a past day's page said "sábado, 28 de noviembre" at its head (Spanish writes
    a date in lower case mid-sentence, not at a line's start) and asked "Dolor hoy"."""
    day = now.date() - timedelta(days=3)
    page = world["app"].test_client().get(f"/p/{world['tokens']['María López']}?day={day.isoformat()}")
    html = page.get_data(as_text=True)
    said = translator("es").weekday_date(day)
    assert said[0].islower()  # as Spanish writes it inside a sentence
    assert f'<p class="when">{said[0].upper()}{said[1:]}</p>' in html
    assert "Dolor, de 0 (sin dolor) a 10" in html and "Dolor hoy" not in html


def test_an_english_patients_phone_page_stays_english(world):
    response = world["app"].test_client().get(f"/p/{world['tokens']['Ann Lee']}")
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html and "I did this" in html and "Wrist bends and circles" in html
    assert response.headers["Content-Language"] == "en"


def test_the_phone_pages_handout_says_its_language(world):
    response = world["app"].test_client().get(f"/p/{world['tokens']['María López']}/handout.pdf")
    assert response.headers["Content-Language"] == "es"
    assert PdfReader(io.BytesIO(response.data)).trailer["/Root"]["/Lang"] == "es"


def test_a_wrong_link_answers_in_the_browsers_language(world):
    client = world["app"].test_client()
    response = client.get("/p/" + "x" * 22, headers={"Accept-Language": "es-MX,es;q=0.9"})
    html = response.get_data(as_text=True)
    assert '<html lang="es">' in html and "Este enlace no funciona." in html
    assert response.headers["Content-Language"] == "es"


def test_the_therapist_is_told_before_printing_what_is_not_in_spanish(world):
    client = world["app"].test_client()
    login(client, "pt@sur.example", "x" * 20)
    html = client.get(f"/programs/{world['programs']['María López'].id}").get_data(as_text=True)
    notice = html[html.index('id="not-in-language"') :]
    assert "The handout is in Español" in notice
    known, typed = notice.split('id="written-by-you"')
    assert (
        "Not in Español:" in known and "Exercise 4: Towel squeeze (name, steps, tips and cautions): in English" in known
    )
    assert "Goals" not in known and "Exercise 2: your note" not in known
    assert "Written by you or your clinic:" in typed and "Check that each one is in Español." in typed
    assert "<li>Goals</li>" in typed and "<li>Exercise 2: your note</li>" in typed
    assert 'id="not-in-language"' not in client.get(f"/programs/{world['programs']['Ann Lee'].id}").get_data(
        as_text=True
    )


def test_the_patient_form_offers_only_what_the_handout_does(world):
    client = world["app"].test_client()
    login(client, "pt@sur.example", "x" * 20)
    form = client.get("/patients/new").get_data(as_text=True)
    assert re.search(r'<option[^>]*value="es"[^>]*>Español</option>', form)
    assert "Français (handouts, phone page and emails in English for now)" in form


# ---- the emails --------------------------------------------------------------------------------


def compose(world, kind: str, patient, due_on: date | None = None, recipient: str = "patient", **mail) -> Email:  # noqa: ANN003
    """The email of `kind` about `patient`'s program, as the dispatcher would make it for
    `recipient`; `mail` are further MailSettings fields. Nothing of it stays in the database."""
    db = world["db"]
    program = world["programs"][patient.name]
    row = OutboxMessage(
        clinic_id=patient.clinic_id,
        program_id=program.id,
        patient_id=patient.id,
        kind=kind,
        recipient=recipient,
        due_on=due_on or NOW.date(),
        send_at=NOW,
        next_attempt_at=NOW,
    )
    db.add(row)
    db.flush()
    settings = MailSettings(domain="planner.test", languages=("en", "es"), **mail)
    try:
        return make_composer(settings)(db, row, NOW)
    finally:
        db.rollback()


def test_the_handout_email_is_in_the_patients_language(world):
    email = compose(world, "handout", world["maria"])
    assert email.subject == "Su programa de ejercicios de Clínica Sur"
    assert email.text.startswith("Hola, María:\n\nLe enviamos su programa de ejercicios en un PDF que puede imprimir.")
    assert "Si tiene alguna duda, llámenos al 555-0100." in email.text
    assert email.html.startswith('<!doctype html><html lang="es">')
    pdf = email.attachments[0].content
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "es"


@pytest.mark.parametrize("kind", ["handout", "reevaluation"])
def test_every_email_to_the_patient_calls_them_by_their_preferred_name(world, kind):
    """Trial 9: "María José Fernández" was "Hola, María:" in both emails (the daily email:
    test_exercise_reminders)."""
    maria = world["maria"]
    before, maria.preferred_name = maria.preferred_name, "María José"
    try:
        program = world["programs"][maria.name]
        due = reevaluation.next_reevaluation(program) if kind == "reevaluation" else None
        email = compose(world, kind, maria, due)
    finally:
        maria.preferred_name = before
    assert "María José" in email.text.split("\n")[0] and "María José" in email.html


def test_the_reminder_to_the_patient_is_in_their_language(world):
    program = world["programs"]["María López"]
    due = reevaluation.next_reevaluation(program)
    email = compose(world, "reevaluation", world["maria"], due)
    days = (due - NOW.date()).days
    assert email.subject == f"Su revisión en Clínica Sur será dentro de {days} días"
    assert "Su revisión en Clínica Sur será dentro de 42 días, el sábado, 2 de enero de 2027." in email.text
    assert "Llámenos al 555-0100 para pedir una cita." in email.text
    assert '<html lang="es">' in email.html
    english = compose(world, "reevaluation", world["ann"], due)
    assert english.subject == "Your re-evaluation at Clínica Sur is due in 42 days"


@pytest.mark.browser
def test_the_spanish_phone_page_on_a_phone(world):
    """At 390 × 844: Spanish throughout, nothing wider than the screen, a tick confirmed in Spanish."""
    from playwright.sync_api import expect

    from tests.browser import browser_page, screenshot, served

    world["app"].config["WTF_CSRF_ENABLED"] = True
    try:
        with served(world["app"]) as base, browser_page({"width": 390, "height": 844}) as page:
            page.goto(f"{base}/p/{world['tokens']['María López']}")
            assert page.evaluate("document.documentElement.lang") == "es"
            expect(page.get_by_role("heading", name="Hola, María")).to_be_visible()
            assert (
                page.evaluate("document.documentElement.scrollWidth") <= 390
            )  # Spanish runs longer: no sideways scroll
            first = page.locator("li.exercise").nth(0)
            expect(first.get_by_role("heading", level=2)).to_have_text("1 Flexión y círculos de muñeca")
            # the steps show without a tap
            expect(first.get_by_text("Ponga la palma hacia abajo. Deje los dedos sueltos.")).to_be_visible()
            button = first.get_by_role("button", name=re.compile("^Lo hice"))
            assert button.bounding_box()["height"] >= 48
            button.click()
            # Done 2 times a day: the first tick is one of two, and the day's count counts it.
            expect(first.locator(".saved")).to_have_text("Guardado: hoy lo ha hecho 1 de 2 veces.")
            expect(first.locator(".times")).to_have_text("Hoy lo ha hecho 1 de 2 veces.")
            expect(first.locator(".done-mark")).to_have_text("✓ Vez 1 de 2: hecha")
            expect(first.get_by_role("button", name=re.compile("^Lo hice: vez 2 de 2"))).to_be_visible()
            expect(
                first.get_by_role("link", name=re.compile(r"^Quitar la vez 1 de 2\s*: Flexión y círculos"))
            ).to_be_visible()
            expect(page.get_by_text("Hoy ha hecho 1 de 7 veces.")).to_be_attached()
            last = page.locator("li.exercise").nth(3)  # once a day: one tick and it is done
            last.get_by_role("button", name=re.compile("^Lo hice")).click()
            expect(last.locator(".saved")).to_have_text("Guardado: lo hizo hoy.")
            expect(last.locator(".done-mark")).to_have_text("✓ Hecho hoy")
            expect(last.get_by_role("link", name=re.compile(r"^Quitar esta marca\s*:"))).to_be_visible()
            expect(page.get_by_text("Hoy ha hecho 2 de 7 veces.")).to_be_attached()
            screenshot(page, "phone-page-spanish-390x844.png")
    finally:
        world["app"].config["WTF_CSRF_ENABLED"] = False


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "21\u00a0November\u00a02026 (version\u00a012)"),
        ("es", "21\u00a0de\u00a0noviembre\u00a0de\u00a02026 (versión\u00a012)"),
    ],
)
def test_the_version_is_never_broken_from_its_number(language, said):
    """A narrow column beside the QR code broke "(versión" from "1)", and the date over three
    lines in large print ("30 de / septiembre de / 2026"): no-break spaces hold each whole, so the
    line breaks only between the date and the version."""
    from planner.handouts import words
    from planner.handouts.text import para_text

    assert words.of(language).dated_version(date(2026, 11, 21), 12) == said
    assert para_text(said) == said  # as the handout's markup: still one word


class _Times(FlaskForm):
    times = IntegerField()


def test_wtforms_own_messages_follow_each_pages_language_in_one_process(app, db):
    """WTForms' messages ("Not a valid integer value.") come in the page's language. Each
    language's catalog is read once per process (web/languages.py), never shared across languages."""
    make_user(db, make_clinic(db))  # past the first-run set-up, so each request runs every hook
    for language, said in [
        ("es", "No es un valor entero válido."),
        ("en", "Not a valid integer value."),
        ("es", "No es un valor entero válido."),
    ]:
        with app.test_request_context("/", method="POST", data={"times": "dos"}):
            app.preprocess_request()
            g.patient_language = language  # as the phone page sets it for its patient
            form = _Times(meta={"csrf": False})
            assert not form.validate() and form.times.errors == [said]
