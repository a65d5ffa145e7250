"""One exercise a page in large print (18 pt): nothing alone on a page, the front page whole on
page 1 (issue #14: "nothing sits alone on a page").

trial 20, F1: "Consejos para su día y su casa" (three tips, a fifth of a page) printed alone on a
page before the tick sheet: they fit neither the front page, nor under the last exercise, nor
above the sheet, nor at an exercise page's foot as set (Lucía, blepharospasm, es Letter; Pedro,
writer's cramp with two notes, es Letter and A4). F3: with a long name and the QR code the front
page went on to page 2 ("Cuánto tiempo", with a tremor the stop rule too), the tips under it: the
facts read apart, a page more (es and en, Letter and A4). The templates as a clinic starts them
(a recorded pattern, a two-line clinic address), short and 120-character names in four scripts,
with and without the QR code, read back from the PDF.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import shutil
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from planner.db import make_engine
from planner.dystonia.pattern import PatternEntry
from planner.handouts import words
from planner.handouts.content import HandoutContent, handout_content
from planner.handouts.styles import HandoutOptions
from planner.models import ProgramTemplate
from planner.services import program_templates, recorded_patterns
from tests.factories import make_patient
from tests.handout_world import NOW, pages_text, rendered
from tests.test_handout_front_slack import NAMES, URL, san_rafael

# Each shipped template started for a patient with the pattern it is made for (a tremor in the
# cervical one: its stop rule is the front page's last line).
STARTS = {
    "cervical": ("cervical-dystonia", PatternEntry({"rotation": "left"}, {"rotation": 2}, trick="chin")),
    "cervical tremor": (
        "cervical-dystonia",
        PatternEntry(
            {"rotation": "left", "tilt": "right"},
            {"rotation": 2, "tilt": 3},
            tremor="no_no",
            tremor_severity=1,
            trick="cheek",
            trick_side="left",
        ),
    ),
    "blepharospasm": ("blepharospasm-face", PatternEntry(areas=["eyes_face"])),
    "writer's cramp": ("writers-cramp", PatternEntry(areas=["hand_arm_right"])),
    "posture": ("general-posture", PatternEntry()),
    "oromandibular": ("oromandibular-dystonia", PatternEntry()),
}
# Trial 20's Pedro: notes of 240 and 50 characters on exercises 1 and 5 (the 240 in the words of a
# therapist writing to a patient).
NOTES = {
    0: "Use un bolígrafo grueso con una almohadilla de goma. Escriba en la mesa de la cocina, con la "
    "luz de la ventana a su izquierda. Pare si la mano se cierra o le duele. Descanse un minuto y "
    "vuelva a empezar despacio, sin apretar.",
    4: "Haga esto antes de escribir la lista de la compra.",
}


@pytest.fixture(scope="module")
def started(catalog_file, tmp_path_factory) -> dict[tuple[str, str, bool], HandoutContent]:  # noqa: ANN001
    """{(template, language, noted): the template as started for a patient with its pattern, at a
    clinic whose address takes two lines on the front page, with trial 20's notes or none}."""
    copy = Path(tmp_path_factory.mktemp("one-a-page")) / "planner.sqlite3"
    shutil.copyfile(catalog_file, copy)
    engine = make_engine(f"sqlite:///{copy}")
    read = {}
    with sessionmaker(bind=engine, expire_on_commit=False)() as db:
        clinic, therapist_id, _ = san_rafael(db)
        for number, (name, (slug, entry)) in enumerate(STARTS.items()):
            template = db.scalars(select(ProgramTemplate).where(ProgramTemplate.slug == f"shipped-{slug}")).one()
            patient = make_patient(db, clinic, f"Paciente {number}", large_print=True)
            recorded_patterns.record_pattern(db, patient, entry, date(2026, 11, 20), None, NOW)
            report = program_templates.start_from_template(db, template, patient, therapist_id, date(2026, 11, 21), NOW)
            db.commit()
            for noted in (False, True):
                for index, item in enumerate(report.program.items):
                    item.note = NOTES.get(index, "") if noted else ""
                db.flush()
                for language in ("en", "es"):
                    content = handout_content(db, report.program, NOW, URL, language)
                    read[name, language, noted] = dataclasses.replace(content, layout="page")
            db.rollback()
    engine.dispose()
    return read


def check_nothing_alone(content: HandoutContent, paper: str) -> None:
    """The handout one a page at 18 pt: the tips printed once, on a page with something else on
    it (the front page, an exercise, the tick sheet, the QR code); the front page whole on page 1 (every fact
    and stop rule there, page 2 starting the exercises); no more than a page an exercise, the front
    page and the sheet's (and the tips' and the QR code's where they fit none of those)."""
    pdf = rendered(content, HandoutOptions(page_size=paper))
    pages = pages_text(pdf)
    said = words.of(content.language)
    tips = said.headings["day"]
    with_tips = [number for number, text in enumerate(pages) if tips in text]
    assert len(with_tips) == 1, with_tips
    page = pages[with_tips[0]]
    names = [f"{block.number}. {' '.join(block.name.split())}" for block in content.exercises]
    # Not alone: with the front page, an exercise, the tick sheet, or (where nothing made room for
    # them) the QR code, which then leaves the sheet's page for theirs.
    company = with_tips[0] == 0 or any(name in page for name in names) or said.headings["tick_sheet"] in page
    with_qr = not company and said.headings["online"] in page
    assert company or with_qr, f"page {with_tips[0] + 1} of {len(pages)} holds the tips alone: {page[:300]}"
    # The front page whole: how long (its last fact) and the patient's stop rules on page 1.
    for said_there in [said.headings["how_long"], *(" ".join(rule.split()) for rule in content.stop_rules)]:
        assert said_there in pages[0] and said_there not in pages[1], (said_there, pages[1][:300])
    # A page an exercise, the front page and the sheet's; one more where the tips and the QR code
    # fit no page of those (the sheet's page full with the QR code under it: main spilled the front page).
    assert len(pages) <= len(content.exercises) + 2 + with_qr


# Each template in both languages and papers, with a name and the QR code or not taken in turn.
CASES = [
    (template, language, paper, name, qr)
    for (template, language, paper), (name, qr) in zip(
        itertools.product(STARTS, ("en", "es"), ("letter", "a4")),
        itertools.cycle(itertools.product(("short", "spanish", "chinese", "arabic"), (True, False))),
        strict=False,
    )
]


@pytest.mark.parametrize(("template", "language", "paper", "name", "qr"), CASES)
def test_one_a_page_in_large_print_leaves_nothing_alone(started, template, language, paper, name, qr):
    """The templates as started, one a page, large print: the tips never alone on a page, the
    front page whole (F1, F3)."""
    content = dataclasses.replace(
        started[template, language, False], patient_name=NAMES[name], online_url=URL if qr else None
    )
    check_nothing_alone(content, paper)


# Trial 20's own: Lucía (blepharospasm), Pedro (writer's cramp, two notes), María (cervical, a
# 120-character Spanish name), the Arabic-named patient in English, the Chinese name with a tremor:
# each with the QR code, Letter and A4. All fail on main (the tips alone, or the front page on to
# page 2) but two A4 ones.
TRIAL = [
    ("blepharospasm", "es", False, "Lucía Martín"),
    ("writer's cramp", "es", True, "Pedro Gómez"),
    ("cervical", "es", False, NAMES["spanish"]),
    ("cervical", "en", False, NAMES["arabic"]),
    ("cervical tremor", "es", False, NAMES["chinese"]),
]


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize(("template", "language", "noted", "name"), TRIAL, ids=[case[0] for case in TRIAL])
def test_trial_20s_one_a_page_handouts_leave_nothing_alone(started, template, language, noted, name, paper):
    content = dataclasses.replace(started[template, language, noted], patient_name=name, online_url=URL)
    check_nothing_alone(content, paper)


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("layout", ["compact", "page"])
@pytest.mark.parametrize(
    ("language", "name"), [("es", "spanish"), ("en", "arabic"), ("es", "chinese"), ("es", "short")]
)
def test_the_address_follows_the_sentence_that_gives_it(started, language, name, layout, paper):
    """trial 20, F5: at 18 pt with a long name, "O escriba esta dirección:" was followed by the QR
    code's height of blank, then the heading "Véalo en su teléfono", and only then the address:
    it read as under a new heading. The address now comes right under its sentence (or beside
    it), the heading never between them. Read by position on the page that prints them."""
    content = dataclasses.replace(
        started["cervical", language, False], patient_name=NAMES[name], online_url=URL, layout=layout
    )
    said = words.of(language)
    last_word = said.online.split()[-1]  # "dirección:", "address:"
    heading = said.headings["online"].split()[0]  # "Véalo", "See"
    typed = URL.removeprefix("https://")
    with pdfplumber.open(io.BytesIO(rendered(content, HandoutOptions(page_size=paper)))) as pdf:
        for page in pdf.pages:
            found = page.extract_words()
            ends = [w for w in found if w["text"] == last_word]
            starts = [w for w in found if typed.startswith(w["text"]) and len(w["text"]) >= 10]
            if ends:
                break
        assert ends and starts, [w["text"] for w in found][:40]
        end, start = ends[0], starts[0]
        line = end["bottom"] - end["top"]
        # The address starts on the sentence's last line or the next one...
        assert end["top"] - 1 <= start["top"] <= end["bottom"] + line * 0.6, (end, start)
        # ...and no heading sits between them.
        between = [w for w in found if w["text"] == heading and end["bottom"] - 1 < w["top"] < start["top"]]
        assert not between, between
