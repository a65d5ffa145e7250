"""An exercise given twice, once for each side, is told apart by its side wherever its name shows.

note15 ("Noticed"): a left and a right copy of one exercise (program_items.second_copy_side) printed
the same name on two tick-sheet rows and two exercise headings; the phone page and the daily email
listed it twice alike. The patient could not tell which row was which hand. Now each copy's name
ends with its side, in the patient's language, by one rule (patterns.told_apart: the words of
sentences.side_name for the side the direction rules give the item): the handout's heading and
tick sheet (a name cut short keeps them whole), its preview, the phone page, the phone's PDF, the
daily email and the FHIR export. An exercise in once keeps its name as it was.

Told on a real program of the catalog's exercises: SQLite file, the builder's print and preview
routes, the PDF read back, the phone link, aiosmtpd for the email.
"""

from __future__ import annotations

import email
import email.policy
import re
from datetime import UTC, date, datetime, time, timedelta
from html import unescape
from types import SimpleNamespace

import pytest
from sqlalchemy import update

from planner.catalog.loader import read_directory
from planner.catalog.translations import in_language
from planner.dystonia.sentences import SIDE_NAME_PARTS, side_name
from planner.handouts import words
from planner.handouts.content import handout_content
from planner.handouts.styles import register_fonts, styles_for
from planner.handouts.ticksheet import ELLIPSIS, LABEL_EM, LITTLE_WORDS, short_names, tick_sheet
from planner.i18n import translator
from planner.mail import SMTPMailer
from planner.models.portal import ExerciseLog
from planner.services import exercise_reminder_days, exercise_reminders, fhir, patient_links, program_items, programs
from planner.services.catalog import get_exercise
from planner.services.emails import MailSettings, make_composer
from planner.services.outbox import DispatchSettings, dispatch_all
from planner.services.patterns import tables_spec
from tests.conftest import CATALOG, login
from tests.factories import make_clinic, make_patient, make_user
from tests.handout_world import pages_text
from tests.outbox_world import SMTPSink

START = date(2026, 3, 2)  # a Monday
# (slug, the side the therapist sets on its first copy): a hand exercise and a neck turn, each added
# a second time for the other side, and one exercise given once.
TWICE = [("finger-spread", "left"), ("neck-turn-stretch-hold", "left")]
ONCE = "chin-tuck-sitting"
SIDE_WORDS = {
    "en": ["(left hand)", "(right hand)", "(to the left)", "(to the right)"],
    "es": ["(mano izquierda)", "(mano derecha)", "(hacia la izquierda)", "(hacia la derecha)"],
}


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def make_world(app, db, language: str) -> SimpleNamespace:
    """A patient reading `language` with an email and a phone link; a program of finger spread
    left, finger spread right, neck turn left, neck turn right, chin tuck; a signed-in therapist."""
    clinic = make_clinic(db, "Clínica Dos Lados", timezone="UTC")
    therapist = make_user(db, clinic, email="ana@dos-lados.example", name="Ana Ruiz")
    patient = make_patient(
        db, clinic, "Inés Moreau", email="ines@example.org", language=language, primary_therapist_id=therapist.id
    )
    program = programs.create_program(
        db, patient, programs.ProgramDetails("Manos y cuello", START), therapist.id, at(START)
    )
    for slug, side in TWICE:
        exercise = get_exercise(db, clinic.id, slug)
        program_items.add_item(db, program, exercise, None, at(START), side=side)
        program_items.add_item(db, program, exercise, None, at(START))  # the other side: second_copy_side
    program_items.add_item(db, program, get_exercise(db, clinic.id, ONCE), None, at(START))
    token = patient_links.create_link(db, patient, app.secret_key, at(START))[1]
    db.commit()
    client = app.test_client()
    login(client, therapist.email)
    names = [in_language(item.exercise, language).name for item in program.items]
    sides = [*SIDE_WORDS[language], ""]
    expected = [f"{name} {side}".strip() for name, side in zip(names, sides, strict=True)]
    return SimpleNamespace(db=db, client=client, program=program, patient=patient, token=token, names=expected)


@pytest.fixture(scope="module", autouse=True)
def fonts():
    register_fonts()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_paper_its_preview_and_the_phone_s_pdf_name_each_copy_by_its_side(catalog_app, catalog_db, language):
    w = make_world(catalog_app, catalog_db, language)
    assert [item.side for item in w.program.items] == ["left", "right", "left", "right", ""]
    preview = w.client.get(f"/programs/{w.program.id}/handout-preview.pdf")
    printed = w.client.post(f"/programs/{w.program.id}/handout.pdf")  # gives version 1
    phone_pdf = catalog_app.test_client().get(f"/p/{w.token}/handout.pdf")
    for answer in (preview, printed, phone_pdf):
        assert answer.status_code == 200 and answer.mimetype == "application/pdf"
        text = " ".join(pages_text(answer.data))
        for number, name in enumerate(w.names, start=1):
            # The exercise's heading and its tick-sheet row: each copy named with its side, twice.
            assert text.count(f"{number}. {name}") == 2, (number, name, text[:3000])
        assert re.search(rf"\d\. {re.escape(w.names[-1])} \(", text) is None  # the one given once: no side
        for side in SIDE_WORDS[language]:
            assert text.count(side) == 2  # on no other row or heading


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("size", [14, 18])
def test_a_tick_sheet_row_cut_short_keeps_its_side_whole(catalog_app, catalog_db, language, size):
    """Where the sheet is as low as it goes (a name on one line, cut after a whole word), the cut
    falls in the exercise's name, never in its side: "3. Estiramiento girando… (hacia la izquierda)"."""
    w = make_world(catalog_app, catalog_db, language)
    content = handout_content(catalog_db, w.program, at(START), None, language)
    numbered = [f"{n}. {name}" for n, name in enumerate(w.names, 1)]
    kept = [*SIDE_WORDS[language], ""]
    assert [f"{block.number}. {block.name}" for block in content.exercises] == numbered
    assert [block.side_words for block in content.exercises] == kept
    flow = tick_sheet(content.exercises, styles_for(size), 7.5 * 72 - 2 * 0.6 * 72, words.of(language), short=True)
    cut = read_apart([row[0].text for row in flow[-1].rows[1:]], numbered, kept)
    # However narrow the names' column (from its least, LABEL_EM), as the sheet's rows cut them.
    for width in range(int(size * LABEL_EM), 341, 20):
        cut |= read_apart(short_names(numbered, size, width, LITTLE_WORDS[language], kept), numbered, kept)
    assert any(side in row for row in cut for side in kept if side), cut  # names cut, their sides kept


def read_apart(rows: list[str], names: list[str], sides: list[str]) -> set[str]:
    """Each row ends with its side whole and starts with its name's first words, whole, and no two
    rows read the same; returns the rows cut short."""
    for row, name, side in zip(rows, names, sides, strict=True):
        assert row.endswith(f" {side}" if side else ""), row
        assert name.startswith(row.removesuffix(side).rstrip().removesuffix(ELLIPSIS)), row
    assert len(set(rows)) == len(rows), rows
    return {row for row in rows if ELLIPSIS in row}


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_phone_page_and_the_daily_email_name_each_copy_by_its_side(catalog_app, catalog_db, language):
    w = make_world(catalog_app, catalog_db, language)
    assert w.client.post(f"/programs/{w.program.id}/handout.pdf").mimetype == "application/pdf"  # given
    page = catalog_app.test_client().get(f"/p/{w.token}").get_data(as_text=True)
    headings = [
        " ".join(unescape(re.sub(r"<[^>]+>", " ", h)).split()[1:])  # after the number
        for h in re.findall(r"<h2>(.*?)</h2>", page)
        if 'class="num"' in h
    ]
    assert headings == w.names

    exercise_reminders.turn_on(catalog_db, w.patient, time(8, 0), "therapist", at(START), catalog_app.secret_key)
    catalog_db.commit()
    moment = at(START + timedelta(days=1), 12)
    exercise_reminder_days.create_due(catalog_db, moment)
    settings = MailSettings(
        public_url="https://planner.example", secret_key=catalog_app.secret_key, languages=("en", "es")
    )
    with SMTPSink(strict=True) as sink:
        mailer = SMTPMailer("127.0.0.1", sink.port, security="none")
        dispatch_all(catalog_db, mailer, make_composer(settings), lambda: moment, DispatchSettings(batch_size=10))
        mailer.close()
    [sent] = [email.message_from_bytes(m.as_bytes(), policy=email.policy.default) for m in sink.messages]
    listed = [
        line[2:].split(":")[0] for line in sent.get_body(("plain",)).get_content().splitlines() if line.startswith("- ")
    ]
    assert listed == w.names
    html = sent.get_body(("html",)).get_content()
    assert [
        " ".join(unescape(re.sub(r"<[^>]+>", "", li)).split(":")[0].split())
        for li in re.findall(r'<li dir="auto">(.*?)</li>', html)
    ] == w.names


def test_the_fhir_export_names_each_copy_by_its_side(catalog_app, catalog_db):
    """The therapist's export (FHIR ServiceRequests of the program as it is and as given): English names."""
    w = make_world(catalog_app, catalog_db, "es")
    assert w.client.post(f"/programs/{w.program.id}/handout.pdf").mimetype == "application/pdf"  # given
    bundle = fhir.bundle(catalog_db, w.patient, at(START), "https://planner.example")
    requests = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "ServiceRequest"]
    english = [
        f"{name} {side}".strip()
        for name, side in zip(
            [in_language(i.exercise, "en").name for i in w.program.items], [*SIDE_WORDS["en"], ""], strict=True
        )
    ]
    texts = [r["code"]["text"] for r in requests]
    assert texts.count(english[0]) >= 1 and set(texts) == set(english)


def test_every_exercise_that_may_be_given_twice_names_its_part_in_english_and_spanish():
    """Each catalog exercise that takes left and right (so may be given once for each side) has
    words for each side, translated; "side" only where its sentences name no part (a plain limb)."""
    found, problems = read_directory(CATALOG)
    assert not problems
    es = translator("es")
    for slug, data in found.items():
        spec = tables_spec(data.get("pattern"), data.get("picture"))
        if not {"left", "right"} <= set(spec.sides):
            continue
        for side in ("left", "right"):
            english = side_name(spec.wording, side)
            assert english.startswith("(") and side in english, slug
            assert es.gettext(english) != english, (slug, english)
            assert (english == f"({side} side)") == (SIDE_NAME_PARTS.get(spec.wording) is None), slug


def test_a_clinic_s_own_exercise_named_in_hebrew_keeps_its_side_s_words_outside_its_own_direction(
    catalog_app, catalog_db
):
    """A clinic's own exercise (no [pattern]: it may take left and right) typed in Hebrew, given for
    each side: the phone page isolates the Hebrew name in its <bdi> and writes the side's words after
    it, in the page's language and direction, so "(lado izquierdo)" reads after the name, not inside
    the right-to-left run; the paper prints them too."""
    from planner.models import Exercise, Program

    clinic = make_clinic(catalog_db, "Clínica Propia", timezone="UTC")
    therapist = make_user(catalog_db, clinic, email="own@propia.example")
    patient = make_patient(catalog_db, clinic, "Noa Levi", language="es", primary_therapist_id=therapist.id)
    program = Program(clinic_id=clinic.id, patient_id=patient.id, title="Manos", start_date=START)
    own = Exercise(
        slug="own-hebrew",
        clinic_id=clinic.id,
        name="מתיחת יד",
        category="stretching",
        position="sitting",
        dosage={"repetitions": 5},
        steps=["Estire la mano despacio."],
    )
    catalog_db.add_all([program, own])
    catalog_db.flush()
    program_items.add_item(catalog_db, program, own, None, at(START), side="left")
    program_items.add_item(catalog_db, program, own, None, at(START))
    token = patient_links.create_link(catalog_db, patient, catalog_app.secret_key, at(START))[1]
    catalog_db.commit()
    client = catalog_app.test_client()
    login(client, therapist.email)
    printed = client.post(f"/programs/{program.id}/handout.pdf")
    assert printed.mimetype == "application/pdf"
    text = " ".join(pages_text(printed.data))
    assert text.count("(lado izquierdo)") == 2 and text.count("(lado derecho)") == 2  # heading and sheet row
    page = catalog_app.test_client().get(f"/p/{token}").get_data(as_text=True)
    headings = [h for h in re.findall(r"<h2>(.*?)</h2>", page) if 'class="num"' in h]
    assert [h.split("</span> ", 1)[1] for h in headings] == [
        "<bdi>מתיחת יד</bdi> (lado izquierdo)",
        "<bdi>מתיחת יד</bdi> (lado derecho)",
    ]


def test_each_copy_is_ticked_on_its_own_on_the_phone_page(catalog_app, catalog_db, today):
    """Found while naming the copies apart: ticking the left hand's copy once showed "Time 1 of 2:
    done" on the right hand's card too, and the day's count left the second copies out ("1 of 6
    times" for five exercises done twice a day). Each copy is now ticked on its own, through the
    page's own tick form (a plain POST: no JavaScript needed)."""
    from planner.services import portal

    w = make_world(catalog_app, catalog_db, "en")
    assert w.client.post(f"/programs/{w.program.id}/handout.pdf").mimetype == "application/pdf"  # given
    phone = catalog_app.test_client()

    def cards(address: str = f"/p/{w.token}") -> tuple[str, list[str]]:
        page = phone.get(address).get_data(as_text=True)
        found = page.split('<li id="exercise-')[1:]
        assert len(found) == 5
        return page, found

    def tick(card: str) -> str:
        form = re.search(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', card, re.S)
        assert form is not None
        fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form[2]))
        answer = phone.post(form[1], data=fields)
        assert answer.status_code == 302
        return answer.location

    page, found = cards()
    ids = [card.split('"', 1)[0] for card in found]
    assert len(set(ids)) == 5  # each card its own id
    assert "0 of 10 times done today." in page
    tick(found[0])  # the left hand's copy
    page, found = cards()
    assert "Time 1 of 2: done" in found[0] and "Time 1 of 2: done" not in found[1]
    assert "1 of 10 times done today." in page
    back = tick(found[1])  # the right hand's copy
    assert back.endswith(f"#exercise-{w.program.items[0].exercise_id}-1-tick")  # back to its own card
    page, found = cards(back)
    assert "Time 1 of 2: done" in found[0] and "Time 1 of 2: done" in found[1]
    assert "Time 2 of 2: done" not in found[0] + found[1]
    assert "2 of 10 times done today." in page
    assert "Saved: 1 of 2 times done today." in found[1] and "Saved:" not in found[0]  # where it was tapped
    first = w.program.items[0].exercise_id
    assert portal.ticked(catalog_db, w.program, today) == {(first, 0), (first, 1)}
    # Taking back the right hand's tick (an old tick: not a shaky second tap) leaves the left hand's.
    catalog_db.execute(update(ExerciseLog).values(created_at=datetime.now(UTC) - timedelta(hours=1)))
    catalog_db.commit()
    undo = re.search(r'<p class="undo"><a class="button quiet" href="([^"]+)"', found[1])
    assert undo is not None
    question = phone.get(unescape(undo[1])).get_data(as_text=True)
    assert "(right hand)" in question
    fields = dict(re.findall(r'name="(\w+)" type="hidden" value="([^"]*)"', question))
    fields["asked_at"] = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    answer = phone.post(f"/p/{w.token}/undo", data=fields)
    assert answer.status_code == 302 and answer.location.endswith(f"#exercise-{first}-1-tick")
    catalog_db.expire_all()
    assert portal.ticked(catalog_db, w.program, today) == {(first, 0)}
    page, found = cards()
    assert "Time 1 of 2: done" in found[0] and "Time 1 of 2: done" not in found[1]
    assert "1 of 10 times done today." in page


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_a_phone_ticks_the_left_copy_and_the_right_copy_stays_as_it_was(chromium, catalog_app, catalog_db, javascript):
    """On a 390×844 phone (Spanish), with and without JavaScript: the patient ticks the first time
    of "(mano izquierda)"; that card says it is done, the "(mano derecha)" card still offers its
    first time, and the day's count is of every copy (5 exercises, 2 times a day: 10)."""
    from playwright.sync_api import expect

    from tests.browser import page_on, screenshot, served

    w = make_world(catalog_app, catalog_db, "es")
    assert w.client.post(f"/programs/{w.program.id}/handout.pdf").mimetype == "application/pdf"  # given
    with served(catalog_app) as base, page_on(chromium, {"width": 390, "height": 844}, javascript=javascript) as page:
        page.goto(f"{base}/p/{w.token}")
        cards = page.locator("li.exercise")
        expect(cards).to_have_count(5)
        left, right = cards.nth(0), cards.nth(1)
        expect(left.locator("h2")).to_contain_text("(mano izquierda)")
        expect(right.locator("h2")).to_contain_text("(mano derecha)")
        expect(page.locator("#count")).to_have_text("Hoy ha hecho 0 de 10 veces.")
        left.get_by_role("button", name=re.compile("vez 1 de 2", re.I)).click()
        expect(left.locator(".done-mark")).to_contain_text("Vez 1 de 2: hecha")
        expect(right.locator(".done-mark")).to_have_count(0)
        expect(right.get_by_role("button", name=re.compile("vez 1 de 2", re.I))).to_be_visible()
        expect(page.locator("#count")).to_have_text("Hoy ha hecho 1 de 10 veces.")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shot = screenshot(page, f"twins-ticked-left-{'script' if javascript else 'no-script'}.png")
        for name, card in (("left", left), ("right", right)):  # each card's tick, to look at
            card.locator(".tick-area").screenshot(path=str(shot.with_name(f"{shot.stem}-{name}.png")))
