"""The paper goal (#14) on programs as clinicians make them, found missed by a fresh reviewer
(trial 16): a note from the therapist on every exercise (F3: each block was just over half a page,
so compact printed one exercise a page), and an English program of 12 built in the app from the
"General posture" template and seven catalog exercises (F4: a page over the goal on Letter).

At most ceil((n + 2) / 2) pages at 14 pt, read back from the PDF; where it is still missed, an
expected failure that says why (strict: reaching it shows), and today's pages as a ceiling.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import re
from collections.abc import Callable
from contextlib import contextmanager

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from planner.handouts.build import render
from planner.handouts.content import HandoutContent, handout_content
from planner.handouts.styles import HandoutOptions
from planner.handouts.words import of as words_of
from planner.models import ProgramTemplate
from planner.services import accounts, program_items, program_templates, programs
from planner.services.catalog import get_exercise
from tests.factories import catalog_session, make_clinic, make_patient
from tests.handout_world import NOW, make_world, pages_text, picture_widths, rendered
from tests.test_handout_layout import TODAY_14PT, URL, goal

# The trial's "notes" programs: the first n of these catalog exercises (its random draw), each
# with the same three-sentence note (155 characters, in Spanish as the trial wrote it).
NOTED = [
    "gentle-voice-onset",
    "thumb-forearm-stretch",
    "jaw-opening",
    "calf-stretch-wall",
    "pick-up-coins-or-beans",
    "band-row",
    "calm-position-head-rest",
    "shoulder-blade-slide-wall",
    "elbow-bend",
    "head-midline-mirror",
    "neck-side-stretch",
    "forward-reach-standing",
]
NOTE = (
    "Hágalo solo con el lado izquierdo, que es donde tira. Si nota mareo, siéntese y descanse. "
    "Use la almohada azul detrás de la cabeza."
)
SIZES = (4, 6, 8, 10, 12)
LANGUAGES = ("en", "es")
PAPERS = ("letter", "a4")

# The pages they take today at 14 pt, n = 4, 6, 8, 10, 12 (before: en Letter 4, 5, 7, 8, 9; en
# A4 3, 4, 5, 6, 8; es Letter 4, 6, 8, 10, 12; es A4 4, 6, 8, 9, 11). The note sits under the
# cautions in the picture's column, or beside them under the steps, where that makes the block
# lower; its label leads its first line, its box holds it closer, and the dosage is a little
# closer to the steps beside it: two noted blocks share a page where together they take at most
# a page (en Letter 3, 4, 5, 6, 8; es Letter 4, 6, 7, 8, 10; es A4 3, 4, 5, 6, 8). Then each
# noted block tries its note in both forms' ways, and a block's parts stand a little closer (the
# space under the name, over the cautions and the note, between the picture's row and the steps
# under it, the gutter beside the picture, the steps' indent): a Spanish noted block 12-35 pt
# lower, and two share a Letter page (es Letter n = 4 to 12: 4, 5, 6, 6, 7, 7, 8, 9, 10 -> 3, 4,
# 4, 5, 5, 6, 7, 7, 8). Then the tick sheet's heading, week's line and header row stand closer
# (12 pt lower): es Letter 10 fits the goal (7 -> 6).
NOTED_TODAY = {
    ("en", "letter"): [3, 4, 5, 6, 7],
    ("en", "a4"): [3, 4, 5, 6, 7],
    ("es", "letter"): [3, 4, 5, 6, 8],
    ("es", "a4"): [3, 4, 5, 6, 7],
}
# Why the goal is still missed there (Spanish, Letter: 673 pt a page at 14 pt). Its noted blocks
# take 257-347 pt (the first, led by "Sus ejercicios" and how to do them, 383), two a page, and
# the front page holds the first. The last (324-330 pt) and the tick sheet (10 rows, names cut
# to a line: 350 pt; 12 rows 401) take more than a page; on the front page (261 pt without the
# QR code) the sheet leaves the first, led by how to tick (373 pt), and the second (334) to take
# more than a page together. (With the sheet 12 pt lower, 10 fits; 12 is 338 + 7 + 390 = 735 of 673,
# and 338 + 7 + 366 = 711 with the short sheet's rows 2 pt lower. The sheet on the front page with
# the tips right under it takes 261 + 7 + 366 + 69 = 704 of 698, and the first two exercises
# without "Sus ejercicios" 358 + 336 = 694 of 673: a noted block some 20 pt lower would do.
# Measured again in session 20: even with both the tips' heading right under the sheet and the
# sheet's heading closer under the front page (each now taken where only it saves a page), the
# front page, the short sheet and the tips take 700.7 of 697.7; as a frame places them the first
# two exercises, led by how to tick on page 1, 697.5 of 673, the third and fourth 680.8; the
# twelfth and the short sheet 338 + 7 + 366 = 711. A note's box padding and the space over it
# are 10.5 pt a block at most: still a page over. Session 21: with every gap inside a block at
# zero, the note's, the parts', the caution's and the dosage's, the first two take 673.9 of 673.7
# and the twelfth with the sheet is still 18 pt over: no tightening inside the blocks saves this
# page; the pictures, the margins or the tick rows would, and each changes every handout.)
NOTED_MISSED = "the last noted exercise and the tick sheet take more than a page, and the first two do"


@pytest.fixture(scope="module")
def noted_read(catalog_file, tmp_path_factory) -> dict[tuple[str, int], HandoutContent]:  # noqa: ANN001
    """{(language, n): content} of the programs of the first n of NOTED, a note on each."""
    read = {}
    with catalog_session(catalog_file, tmp_path_factory.mktemp("noted")) as db:
        for n in SIZES:
            notes = dict.fromkeys(range(n), NOTE)
            program = make_world(db, slugs=NOTED[:n], notes=notes, clinic_name=f"Noted Clinic {n}")
            read |= {(language, n): handout_content(db, program, NOW, URL, language) for language in LANGUAGES}
    return read


def _pdf(content: HandoutContent, page_size: str, size: int = 14) -> bytes:
    return rendered(dataclasses.replace(content, large_print=size == 18), HandoutOptions(page_size=page_size))


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture(scope="module")
def noted_pages(noted_read) -> Callable[[str, str, int], int]:  # noqa: ANN001
    """The pages of the noted program of n exercises, in a language, on a paper, at 14 pt."""

    @functools.cache
    def pages(language: str, page_size: str, n: int) -> int:
        return _pages(_pdf(noted_read[language, n], page_size))

    return pages


@pytest.mark.parametrize(("language", "page_size"), [(lang, paper) for lang in LANGUAGES for paper in PAPERS])
def test_a_note_on_every_exercise_takes_no_more_pages_than_today(noted_read, noted_pages, language, page_size):
    """Today's pages as a ceiling (the notes made compact print one exercise a page), each block
    whole: its name, its note and its last step on one page, in order; pictures as wide as before."""
    got = [noted_pages(language, page_size, n) for n in SIZES]
    assert all(a <= b for a, b in zip(got, NOTED_TODAY[language, page_size], strict=True)), got
    content = noted_read[language, 12]
    pdf = _pdf(content, page_size)
    _blocks_whole_in_order(content, pdf, NOTE)
    assert min(picture_widths(pdf)) >= TODAY_14PT[page_size] - 0.5


def _blocks_whole_in_order(content: HandoutContent, pdf: bytes, note: str = "") -> None:
    """Each exercise's name, its last step and its `note` on one page, the name first (the tick
    sheet may name it before, on the front page), the exercises in order."""
    texts = [_packed(text) for text in pages_text(pdf)]
    at = []
    for block in content.exercises:
        name, last = _packed(f"{block.number}. {block.name}"), _packed(block.steps[-1])
        # The first page with the last step under the name (another exercise may end the same way).
        found = [(n, text.rfind(name, 0, text.rfind(last))) for n, text in enumerate(texts) if last in text]
        page, start = next(((n, start) for n, start in found if start >= 0), (None, -1))
        assert page is not None, block.number
        text = texts[page]
        if note:
            following = [b for b in content.exercises if b.number == block.number + 1]
            end = text.find(_packed(f"{following[0].number}. {following[0].name}"), start) if following else -1
            assert _packed(note) in text[start : end if end > 0 else len(text)], (block.number, page)
        at.append((page, start))
    assert at == sorted(at), at


def _packed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(
    ("language", "page_size", "n"),
    [
        pytest.param(
            language,
            page_size,
            n,
            marks=[pytest.mark.xfail(strict=True, reason=NOTED_MISSED)]
            if NOTED_TODAY[language, page_size][SIZES.index(n)] > goal(n, 14)
            else [],
        )
        for language in LANGUAGES
        for page_size in PAPERS
        for n in SIZES
    ],
)
def test_a_program_with_a_note_on_every_exercise_fits_the_goal(noted_pages, language, page_size, n):
    """#14: ceil((n + 2) / 2) pages at 14 pt, whether or not the therapist writes notes."""
    assert noted_pages(language, page_size, n) <= goal(n, 14)


# The trial's English program, as the therapist built it in the app: "General posture" started
# for a patient with a long name, then seven catalog exercises added with their usual dosage, the
# sides chosen as the trial chose them.
ADDED = [
    ("ankle-circles", "both"),
    ("ankle-pumps", ""),
    ("arm-lift-forward-sitting", "both"),
    ("arm-lift-side-sitting", "both"),
    ("prone-arm-lift-sides", ""),
    ("prone-y-lift", ""),
    ("pendulum-swing", "both"),
]
# Spanish on Letter took 8: the exercises go two a page and the twelfth, 281 pt, and the tick
# sheet, 394 pt with the names cut to a line each (rows 10 and 11 on two lines, below), took 682
# pt together, 9 over a page; 7 (the goal) once rows 10 and 11 each end with their own last words
# on one line ("10. Levantar… a los lados", "11. Levantar… en forma de Y"): 366 pt.
# English on Letter took 7, then 6 once the tick sheet stood closer (its heading, week line and
# header row 12 pt lower), then 7 again (the goal for 12: ceil(14 / 2)) since rows 10 and 11, "Arm
# lifts on your stomach, arms at sides" and "…, Y shape", no longer both read "Arm lifts…" on the
# sheet: each keeps its words on to where they differ, on a second line (trial 19, F3); then 6
# again once the sheet with its names cut short had its rows 2 pt lower. (Now "10. Arm lifts…
# arms at sides" and "11. Arm lifts… Y shape", a line each.)
BUILT_TODAY = {("en", "letter"): 6, ("en", "a4"): 6, ("es", "letter"): 7, ("es", "a4"): 7}


@contextmanager
def _demo_clinic(catalog_file, tmp_path_factory, tag):  # noqa: ANN001, ANN202
    """(session, clinic, therapist) of the trials' demo clinic, on a copy of the loaded catalog;
    the engine is closed after."""
    with catalog_session(catalog_file, tmp_path_factory.mktemp(tag)) as db:
        clinic = make_clinic(db, "Demo Physio Clinic")
        clinic.address, clinic.phone = "12 Harbour Road, Springfield", "555-0142"
        clinic.email = "front-desk@demo-physio.example"
        therapist = accounts.create_user(
            db, clinic, email="sam@demo-physio.example", name="Dr. Sam Rivera", password="a long test password"
        )
        yield db, clinic, therapist


@pytest.fixture(scope="module")
def built_read(catalog_file, tmp_path_factory) -> dict[str, HandoutContent]:  # noqa: ANN001
    """{language: content} of the trial's 12-exercise English program (Beth's)."""
    with _demo_clinic(catalog_file, tmp_path_factory, "built") as (db, clinic, therapist):
        patient = make_patient(db, clinic, "Elizabeth Anne Worthington-Smythe" + " Harrington" * 7)
        [template] = [
            t
            for t in db.scalars(select(ProgramTemplate))
            if t.content["title"] == "Your home program for better posture"
        ]
        program = program_templates.start_from_template(db, template, patient, therapist.id, NOW.date(), NOW).program
        for slug, side in ADDED:
            program_items.add_item(db, program, get_exercise(db, clinic.id, slug), None, NOW, side=side)
        db.commit()
        return {language: handout_content(db, program, NOW, URL, language) for language in LANGUAGES}


@pytest.mark.parametrize(("language", "page_size"), [(lang, paper) for lang in LANGUAGES for paper in PAPERS])
def test_the_program_built_in_the_app_takes_no_more_pages_than_today(built_read, language, page_size):
    """Today's pages as a ceiling; every exercise once, in order, its pictures as wide as before."""
    content = built_read[language]
    assert len(content.exercises) == 12
    pdf = _pdf(content, page_size)
    assert _pages(pdf) <= BUILT_TODAY[language, page_size]
    _blocks_whole_in_order(content, pdf)
    assert min(picture_widths(pdf)) >= TODAY_14PT[page_size] - 0.5


@pytest.mark.parametrize(
    ("language", "page_size"),
    [
        pytest.param(
            language,
            page_size,
            marks=[pytest.mark.xfail(strict=True, reason="the twelfth exercise and the tick sheet take over a page")]
            if BUILT_TODAY[language, page_size] > goal(12, 14)
            else [],
        )
        for language in LANGUAGES
        for page_size in PAPERS
    ],
)
def test_the_english_program_built_in_the_app_fits_the_goal(built_read, language, page_size):
    """12 exercises on 7 pages at 14 pt (it took 8 on Letter: pages of two exercises a third
    empty, three a few points too tall for one): the front page with the first, three exercises
    on a page where they fit, the tick sheet whole."""
    assert _pages(_pdf(built_read[language], page_size)) <= goal(12, 14)


# Trial 17, F2 (b): a Spanish program of 12 as a therapist built it, a note of ~800 characters on
# the first exercise (taller than a page in large print: it breaks) and short notes on eight more.
LONG_NOTED = [
    "head-midline-mirror",
    "neck-turn-lying",
    "chin-tuck-lying",
    "sensory-trick-chin-touch",
    "belly-breathing-lying",
    "neck-turn-lying-hold",
    "shoulder-blade-squeeze",
    "neck-side-stretch",
    "trunk-turn-sitting",
    "sit-to-stand",
    "wall-angels",
    "head-rest-high-chair",
]
LONG_NOTE = (
    "Este ejercicio es el más importante de su programa, así que hágalo cada día aunque no tenga tiempo "
    "para los demás. Colóquese frente al espejo del baño con buena luz. Mire primero cómo está su cabeza "
    "sin corregirla. Después lleve la cabeza despacio hacia el centro, sin tirones, y quédese ahí mientras "
    "respira tres veces. Si el temblor aumenta, no luche contra él: pare, apoye la nuca en la pared y "
    "empiece otra vez. Si nota hormigueo en el brazo, mareo o un dolor nuevo, deje el ejercicio y llámenos "
    "al centro. La segunda semana puede probarlo sin espejo, con los ojos cerrados, y luego comprobar en el "
    "espejo si acertó. Anote en la hoja de la última página los días que lo hizo, para comentarlo en la "
    "próxima visita. Su hija puede ayudarle a colocar la almohada y a contar el tiempo si se lo pide."
)
SHORT_NOTES = {
    1: "Use la almohada azul detrás de la cabeza. Respire despacio mientras lo hace.",
    2: "Empiece con la mitad de las repeticiones la primera semana. Si le duele más de 3 sobre 10, pare.",
    4: "Hágalo delante del espejo del baño. Fíjese en que la barbilla quede en el centro.",
    5: "Hágalo solo con el lado izquierdo, que es donde tira. Si se marea, siéntese y descanse.",
    6: "Use la almohada azul detrás de la cabeza. Respire despacio mientras lo hace.",
    8: "Mejor después de la ducha caliente, cuando el cuello está más suelto. No fuerce el final del movimiento.",
    9: "Hágalo delante del espejo del baño. Fíjese en que la barbilla quede en el centro.",
    10: "Hágalo solo con el lado izquierdo, que es donde tira. Si se marea, siéntese y descanse.",
}
LONG_NAME = (
    "María del Carmen Fernández-Villanueva de los Ángeles Ibáñez Peñalosa y Güell-Olábarri Núñez de Castro Sáenz Muñoz"
)


def test_large_print_with_a_note_longer_than_a_page_weighs_where_the_tips_go(catalog_db):
    """Trial 17, F2 (b): the first exercise's note made its block taller than a page, so no way of
    setting the story could be measured (pages_taken gave up on a part that breaks): the first was
    taken, the front page kept half a page empty and the last page held only the tips and the QR
    code (15 pages on Letter). Measured as the frame breaks the block, the tips or the QR code go
    on the front page: 14 (goal 13: the note alone takes most of a page more)."""
    program = make_world(
        catalog_db, patient_name=LONG_NAME, slugs=LONG_NOTED, notes={0: LONG_NOTE, **SHORT_NOTES}, title="Cuello"
    )
    content = dataclasses.replace(handout_content(catalog_db, program, NOW, URL, "es"), large_print=True)
    said = words_of("es")
    for paper, most in (("letter", 14), ("a4", 14)):
        texts = pages_text(render(dataclasses.replace(content, paper_size=paper), HandoutOptions(page_size=paper)))
        assert len(texts) <= most, (paper, len(texts))
        # The front page's room taken: by the tips, or by the QR code (the address beside it,
        # broken after its "/p/": then the tips go with the last exercise).
        assert said.headings["day"] in texts[0] or said.headings["online"] in texts[0], paper
        # no page of the tips (and the QR code) alone: the last holds the last exercise too
        assert "12. " in texts[-1], (paper, texts[-1][:200])


# Trial 17, F3: the trial's Spanish program at 14 pt as its therapist built it in the app (no goals,
# visit plan or "other advice", three tips from the list, its own dosages and sides), a short note
# (76-104 characters) on nine of its twelve exercises, and its first n exercises. The first six
# took 5 Letter pages (goal 4): page 4 held the sixth exercise and the tips, page 5 the tick sheet
# alone; the first eight took 6 (goal 5). 10 and 12 exercises on Letter missed it longer, the last
# exercise and the tick sheet more than a page (NOTED_MISSED): both meet it now (below).
WRITTEN = [  # (exercise, its dosage, its side)
    ("head-midline-mirror", {"repetitions": 5, "hold_seconds": 10, "rest_seconds": 10, "times_per_day": 3}, ""),
    ("neck-turn-lying", {"sets": 1, "repetitions": 8, "hold_seconds": 3, "rest_seconds": 30, "times_per_day": 2}, ""),
    ("chin-tuck-lying", {"repetitions": 5, "hold_seconds": 10, "rest_seconds": 10, "times_per_day": 2}, ""),
    ("sensory-trick-chin-touch", {"repetitions": 5, "hold_seconds": 10, "rest_seconds": 20, "times_per_day": 3}, ""),
    ("belly-breathing-lying", {"minutes": 5, "times_per_day": 2}, ""),
    (
        "neck-turn-lying-hold",
        {"sets": 2, "repetitions": 6, "hold_seconds": 5, "rest_seconds": 60, "times_per_day": 1, "days_per_week": 5},
        "left",
    ),
    (
        "shoulder-blade-squeeze",
        {"sets": 1, "repetitions": 10, "hold_seconds": 5, "rest_seconds": 5, "times_per_day": 2},
        "",
    ),
    ("neck-side-stretch", {"repetitions": 3, "hold_seconds": 30, "rest_seconds": 10, "times_per_day": 2}, "left"),
    (
        "trunk-turn-sitting",
        {"sets": 1, "repetitions": 8, "hold_seconds": 2, "rest_seconds": 30, "times_per_day": 2},
        "",
    ),
    ("sit-to-stand", {"sets": 2, "repetitions": 8, "rest_seconds": 60, "times_per_day": 1, "days_per_week": 5}, ""),
    ("wall-angels", {"sets": 2, "repetitions": 8, "rest_seconds": 30, "times_per_day": 1}, ""),
    ("head-rest-high-chair", {"repetitions": 5, "hold_seconds": 10, "rest_seconds": 20, "times_per_day": 3}, ""),
]
WRITTEN_NOTES = {0: SHORT_NOTES[5], **SHORT_NOTES}
# On A4 it took 7 and 8 at 10 and 12 until the tick sheet stood closer (12 pt lower): 6 and 7.
# On Letter, with the short sheet's rows 2 pt lower, the tenth and the sheet take 338 + 7 + 341 =
# 686 of 673 (and the tips' panel, 128 pt, fits under no two exercises: 553-622 pt), the twelfth
# and the sheet 281 + 7 + 411 = 699. 10 took 7 (goal 6) until the tips could go right under the
# sheet on the front page, as their panel sets them without its frame: 228 + 7 + 341 + 120 = 696
# of 698 (the panel's frame 707), the QR code at the fourth page's foot. 12 took 8 (goal 7): its
# sheet's three rows of 3 boxes a day (46 pt each) make it 411 pt (names cut short), and the
# front page with the QR code beside its facts (282.2) and that sheet took 282.2 + 7 + 410.8 =
# 700.0 of 697.7; the exercises two a page after it leave 100.6 pt at most, under the sixth, for
# the tips' panel (94.5). Now the sheet on the front page may have its heading closer under the
# front page's last line (no space but its leading, not 7 pt: ticksheet.CLOSER_SPACE) where only
# that saves a page: 693.0 of 697.7, 7 pages.
WRITTEN_TODAY = {"letter": {4: 3, 6: 4, 8: 5, 10: 6, 12: 7}, "a4": {4: 3, 6: 4, 8: 5, 10: 6, 12: 7}}


@pytest.fixture(scope="module")
def written_read(catalog_file, tmp_path_factory) -> HandoutContent:  # noqa: ANN001
    """The trial's Spanish program of 12, short notes on nine, as its therapist built it."""
    with _demo_clinic(catalog_file, tmp_path_factory, "written") as (db, clinic, therapist):
        details = programs.ProgramDetails(
            title="Ejercicios para el cuello",
            start_date=NOW.date(),
            reeval_interval_days=42,
            advice=[
                "Set your screen straight ahead, at eye level, so you do not turn or tilt your head.",
                "Take a short break every 20 to 30 minutes. Stand up, move, and relax your shoulders.",
                "Do your exercises when you feel rested, for example after a short rest or in the morning.",
            ],
        )
        program = programs.create_program(db, make_patient(db, clinic, LONG_NAME), details, therapist.id, NOW)
        for n, (slug, dosage, side) in enumerate(WRITTEN):
            exercise = get_exercise(db, clinic.id, slug)
            program_items.add_item(db, program, exercise, None, NOW, dosage, side=side, note=WRITTEN_NOTES.get(n, ""))
        db.commit()
        return handout_content(db, program, NOW, URL, "es")


@pytest.mark.parametrize(
    ("page_size", "n"),
    [
        pytest.param(
            page_size,
            n,
            marks=[pytest.mark.xfail(strict=True, reason=NOTED_MISSED)]
            if WRITTEN_TODAY[page_size][n] > goal(n, 14)
            else [],
        )
        for page_size in PAPERS
        for n in WRITTEN_TODAY[page_size]
    ],
)
def test_a_program_with_short_notes_on_most_exercises_fits_the_goal(written_read, page_size, n):
    """#14 at 14 pt with the notes a therapist writes: each noted block low enough that two share
    a page, each whole; the tick sheet never on a page of its own."""
    content = dataclasses.replace(written_read, exercises=written_read.exercises[:n])
    pdf = _pdf(content, page_size)
    texts = pages_text(pdf)
    assert len(texts) <= WRITTEN_TODAY[page_size][n]
    _blocks_whole_in_order(content, pdf)
    # The tick sheet under an exercise (or on the front page), never on a page of its own.
    heading = _packed(words_of("es").headings["tick_sheet"])
    [(page, before)] = [(k, text.split(heading)[0]) for k, text in enumerate(map(_packed, texts)) if heading in text]
    assert page == 0 or any(_packed(f"{b.number}. {b.name}") in before for b in content.exercises), page
    # The tips with the sheet (under it on the front page) or under an exercise, never alone.
    tips = _packed(words_of("es").headings["day"])
    [with_tips] = [text for text in map(_packed, texts) if tips in text]
    assert heading in with_tips or any(_packed(f"{b.number}. {b.name}") in with_tips for b in content.exercises)
    assert len(texts) <= goal(n, 14)
