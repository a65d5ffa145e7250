"""The programs a clinic makes every day keep the 14 pt page goal (issue #14): each shipped template
started for a patient with its pattern, in English and Spanish, on Letter and A4, with two
ordinary notes or none, a QR code or none, a short name or one at the form's limit.

trial 20, F2: the writer's cramp template in Spanish on Letter with two notes (240 and 50
characters) and a QR code took 5 pages for 6 exercises (goal 4): page 4 half empty, the tick
sheet and the QR code alone on page 5. The way that saves the page (the sheet on the front page
under the tips, the QR code at the last exercise's foot) was weighed, but the how-to line that
then says where the sheet is took two lines in Spanish, and the first two exercises no longer
shared a page. And the first exercise did not follow the front page where the layout's measure
said it fits (page_ends.Early: the front page's space after was counted twice), so the tips took
its place, and the sheet a page of its own (the cervical program, English, A4, a long name).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from datetime import date

import pytest
from sqlalchemy import select

from planner.dystonia.pattern import PatternEntry
from planner.handouts import words
from planner.handouts.content import HandoutContent, handout_content
from planner.handouts.styles import HandoutOptions
from planner.models import Clinic, ProgramTemplate
from planner.services import program_templates, recorded_patterns
from tests.factories import catalog_session, make_patient
from tests.handout_world import (
    NOW,
    ends_with_the_sheet_alone,
    make_world,
    page_lines,
    pages_text,
    pictures,
    rendered,
)
from tests.test_handout_front_slack import LIMIT, URL

# Each template with the pattern a patient it is made for has recorded (trial 20's, the cervical
# one its F4: five parts, a tremor and a trick).
TEMPLATES = {
    "cervical": (
        "shipped-cervical-dystonia",
        PatternEntry(
            {"rotation": "left", "tilt": "right", "shoulder": "right"},
            {"rotation": 2, "tilt": 3, "shoulder": 1},
            tremor="no_no",
            tremor_severity=1,
            trick="cheek",
            trick_side="left",
        ),
    ),
    "writer's cramp": ("shipped-writers-cramp", PatternEntry(areas=["hand_arm_right"])),
    "blepharospasm": ("shipped-blepharospasm-face", PatternEntry(areas=["eyes_face"])),
    "oromandibular": ("shipped-oromandibular-dystonia", PatternEntry(areas=["jaw_mouth"])),
    "posture": ("shipped-general-posture", None),
    "generalized": ("shipped-generalized-dystonia", PatternEntry(areas=["trunk"])),
}
# trial 20's two notes (on the first and the fifth exercise), as a therapist writes them.
NOTES = {
    "es": {
        0: "Use un bolígrafo grueso con una almohadilla de goma. Escriba en la mesa de la cocina, que es más "
        "baja. Si la mano se cierra, pare, sacuda la mano y vuelva a empezar más despacio. No apriete el "
        "bolígrafo: debe poder quitárselo con dos dedos.",
        4: "Haga esto antes de escribir la lista de la compra.",
    },
    "en": {
        0: "Use a thick pen with a rubber grip. Write at the kitchen table, which is lower. If your hand "
        "closes, stop, shake it out and start again more slowly. Do not squeeze the pen: someone should be "
        "able to pull it out with two fingers.",
        4: "Do this before you write the shopping list.",
    },
}
NAMES = {"short": "Pedro Gómez", "long": ("王小明李华张伟刘洋陈静杨帆赵磊黄敏周杰吴芳徐丽孙强马超胡军朱" * 4)[:LIMIT]}


@pytest.fixture(scope="module")
def started(catalog_file, tmp_path_factory) -> dict[tuple[str, str], HandoutContent]:  # noqa: ANN001
    """{(template, language): the template as started for a patient with its pattern}, at trial
    20's clinic: its name on a line, its address on two."""
    read = {}
    with catalog_session(catalog_file, tmp_path_factory.mktemp("everyday")) as db:
        world = make_world(db, slugs=[], notes={}, clinic_name="Clínica San Rafael de Fisioterapia Neurológica")
        clinic = db.get_one(Clinic, world.clinic_id)
        clinic.address = "Avenida de la Constitución 123, 4º izquierda\n28001 Madrid, España"
        clinic.phone, clinic.email = "+34 912 345 678", "clinica@example.org"
        for number, (key, (slug, entry)) in enumerate(TEMPLATES.items()):
            template = db.scalars(select(ProgramTemplate).where(ProgramTemplate.slug == slug)).one()
            patient = make_patient(db, clinic, f"Paciente {number}")
            if entry is not None:
                recorded_patterns.record_pattern(db, patient, entry, date(2026, 11, 20), None, NOW)
            report = program_templates.start_from_template(
                db, template, patient, world.therapist_id, date(2026, 11, 21), NOW
            )
            db.commit()
            for language in ("en", "es"):
                read[key, language] = handout_content(db, report.program, NOW, URL, language)
    return read


# Per paper, half of the (notes, QR code, name) ways, the other half on the other paper: every
# template in both languages meets all eight, 96 handouts in all.
WAYS = {
    "letter": [(False, False, "short"), (True, True, "short"), (False, True, "long"), (True, False, "long")],
    "a4": [(False, False, "long"), (True, True, "long"), (False, True, "short"), (True, False, "short")],
}
# Missed until session 19 (strict xfails): the three Spanish cervical programs of six on Letter
# below, each a few points a page short. Measured (tight23, Letter: 698 pt on page 1, 674 on the
# others) where the goal's 4 pages come closest: the front page's facts full width (front_top
# `tight`) and the tick sheet on page 1, the exercises two a page after it, the tips set closest
# (119.7 pt and 3.5 above their heading) at the foot of a page with room for them: 119.8 under
# exercises 3 and 4 at most, 3.4 pt short. Two of the cervical template's three tips each ended
# on a line of one word in Spanish ("brazos.", "tirantes."): said more plainly in fewer words,
# each takes one line, and the tips fit the foot of page 3 in all three (looked at). A case
# missed again fails here: MISSED keeps the table's shape for it.
MISSED: dict[tuple[str, str, str, bool, bool, str], str] = {}
CASES = [
    pytest.param(
        *case,
        marks=[pytest.mark.xfail(strict=True, reason=MISSED[case])] if case in MISSED else [],
        id="-".join(map(str, case)),
    )
    for case in (
        (template, language, paper, *way)
        for template, language, paper in itertools.product(TEMPLATES, ("en", "es"), WAYS)
        for way in WAYS[paper]
    )
]


def _made(started, template, language, paper, notes, qr, name) -> tuple[HandoutContent, bytes]:  # noqa: ANN001
    """The content of one case and its PDF (laid out once in this file: rendered)."""
    base = started[template, language]
    exercises = [
        dataclasses.replace(block, note=NOTES[language].get(index, "") if notes else "")
        for index, block in enumerate(base.exercises)
    ]
    content = dataclasses.replace(
        base, exercises=exercises, paper_size=paper, online_url=URL if qr else None, patient_name=NAMES[name]
    )
    return content, rendered(content, HandoutOptions(languages=("en", "es")))


@pytest.mark.parametrize(("template", "language", "paper", "notes", "qr", "name"), CASES)
def test_a_program_a_clinic_makes_every_day_keeps_the_page_goal(started, template, language, paper, notes, qr, name):
    """n exercises on at most ceil((n + 2) / 2) pages at 14 pt, compact, read back from the PDF."""
    content, pdf = _made(started, template, language, paper, notes, qr, name)
    read = pages_text(pdf)
    exercises = content.exercises
    n = len(exercises)
    assert len(read) <= math.ceil((n + 2) / 2), (len(read), n)
    # Every exercise and the tick sheet are in it, each once.
    text = " ".join(read)
    assert text.count(words.of(language).headings["tick_sheet"]) == 1
    assert all(f"{block.number}. {block.name}" in text for block in exercises)
    _tips_whole_on_one_page(pdf, content)
    _sheet_where_it_says(pdf, content)


def _sheet_where_it_says(pdf: bytes, content: HandoutContent) -> None:
    """Where how to tick says the boxes are on page 1, the tick sheet starts on page 1 (trial 23
    F1: a front page that went on to page 2 took the sheet with it)."""
    said = words.of(content.language)
    read = [_packed(page) for page in pages_text(pdf)]
    if any(_packed(said.how_to_use_sheet_first) in page for page in read):
        assert _packed(said.headings["tick_sheet"]) in read[0], [page[:60] for page in read[:2]]


def _tips_whole_on_one_page(pdf: bytes, content: HandoutContent) -> None:
    """The tips' heading once, on the page that holds every tip, with a tip after it there
    (a heading never ends a page): set in a panel, close or closest, they stay a list."""
    heading = words.of(content.language).headings["day"]
    lines = page_lines(pdf)
    holding = [page for page in lines if heading in page]
    assert len(holding) == 1, [page[:2] for page in holding]
    page = holding[0]
    joined = _packed(" ".join(page[page.index(heading) + 1 :]))
    assert all(_packed(tip)[:40] in joined for tip in content.advice), (content.advice, page)


def _packed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize(
    ("template", "language", "paper", "notes", "qr", "name"), [pytest.param(*case.values, id=case.id) for case in CASES]
)
def test_the_tick_sheet_never_stands_alone_on_the_last_page(started, template, language, paper, notes, qr, name):
    """Nothing alone on a page: the last page holds more than the tick sheet (and the QR code
    under it). paper21 found 28 five-exercise handouts of the goal's pages ending on a page of
    the sheet alone, most of it empty, the tips on the front page or under the last exercise."""
    content, pdf = _made(started, template, language, paper, notes, qr, name)
    assert not ends_with_the_sheet_alone(pdf, language), [line[:40] for line in page_lines(pdf)[-1][:3]]


# trial 21, F4: the cervical template for a pull of rotation left, tilt right and flexion with a
# cheek trick on both sides, a Chinese name at the form's limit in parts apart, two short notes
# (126 and 88 characters, on the first and the third exercise), a QR code, the preview: 5 pages
# on A4 for 6 exercises (goal 4), the tick sheet alone on the last, as on Letter.
TRIAL21 = PatternEntry(
    {"rotation": "left", "tilt": "right", "flexion": ""},
    {"rotation": 2, "tilt": 2, "flexion": 1},
    trick="cheek",
    trick_side="both",
)
TRIAL21_NAME = ("欧阳娜娜·司马相如·诸葛亮 " * 10)[:LIMIT]
TRIAL21_NOTES = {
    0: "Hágalo después de la ducha caliente, cuando el cuello está más suelto. Si le tira el lado derecho, pare y "
    "descanse dos minutos.",
    2: "No lo haga justo después de comer. Use la almohada baja de la clínica, no la suya alta.",
}


@pytest.fixture(scope="module")
def trial21(catalog_file, tmp_path_factory) -> HandoutContent:  # noqa: ANN001
    """trial 21's second patient's program as started from the cervical template, in Spanish."""
    with catalog_session(catalog_file, tmp_path_factory.mktemp("trial21")) as db:
        world = make_world(db, slugs=[], notes={}, clinic_name="Clínica de Movimiento Santa Lucía")
        clinic = db.get_one(Clinic, world.clinic_id)
        clinic.address = "Calle Mayor 12, 2º\n28013 Madrid"
        clinic.phone, clinic.email = "+34 915 555 012", "recepcion@clinica.example"
        template = db.scalars(select(ProgramTemplate).where(ProgramTemplate.slug == TEMPLATES["cervical"][0])).one()
        patient = make_patient(db, clinic, TRIAL21_NAME)
        recorded_patterns.record_pattern(db, patient, TRIAL21, date(2026, 11, 20), None, NOW)
        report = program_templates.start_from_template(
            db, template, patient, world.therapist_id, date(2026, 11, 21), NOW
        )
        db.commit()
        content = handout_content(db, report.program, NOW, URL, "es")
    exercises = [dataclasses.replace(b, note=TRIAL21_NOTES.get(i, "")) for i, b in enumerate(content.exercises)]
    return dataclasses.replace(content, exercises=exercises, preview=True)


# Missed until session 20 (strict xfails) on Letter: 5 pages. Measured (Letter: 697.7 pt on page
# 1, 673 on the others) where the goal's 4 pages come closest: the front page's facts full width
# (front_top `tight`, 357.8 pt) and the sheet (names cut short, 246.8) on page 1, the tips right
# under it (86.1 pt) 2.1 pt over: the space over their heading. The exercises two a page after it
# leave 54.7, 58.2 and 117.4 pt, and the QR code (102) fits only the last, the tips (86.1 set
# closest, 94.5 in their panel) only there too. Now the tips' heading goes right under the sheet's
# last line where only that puts them on the front page (compact._tips_under_front_sheet): 697.7
# of 697.7, the QR code at the foot of page 4. On A4 the QR code (102 pt) went at the foot of
# page 3 and the tips' panel under the sheet: 4 pages (tight23). A paper missed again fails here:
# TRIAL21_MISSED keeps the table's shape for it.
TRIAL21_MISSED: dict[str, str] = {}


@pytest.mark.parametrize(
    "paper",
    [
        pytest.param(
            paper,
            marks=[pytest.mark.xfail(strict=True, reason=TRIAL21_MISSED[paper])] if paper in TRIAL21_MISSED else [],
        )
        for paper in ("a4", "letter")
    ],
)
def test_trial_21s_cervical_program_in_spanish_keeps_the_page_goal(trial21, paper):
    """6 exercises on at most 4 pages, the tick sheet never alone on the last."""
    pdf = rendered(dataclasses.replace(trial21, paper_size=paper), HandoutOptions(languages=("en", "es")))
    assert not ends_with_the_sheet_alone(pdf, "es"), [line[:40] for line in page_lines(pdf)[-1][:3]]
    assert len(trial21.exercises) == 6
    assert len(pages_text(pdf)) <= 4
    _tips_whole_on_one_page(pdf, trial21)


# Large print, compact: the first exercise with a long note (trial 20's 240 characters) took 0.31
# of the line under how to do them, 0.73 times its 14 pt picture (5.8 cm, against 8.0 at 14 pt).
LARGE_FIRST = [
    ("cervical", "letter", "short"),
    ("posture", "letter", "short"),
    ("generalized", "a4", "long"),
    ("oromandibular", "a4", "long"),
]


@pytest.mark.parametrize(("template", "paper", "name"), LARGE_FIRST, ids=["-".join(c) for c in LARGE_FIRST])
def test_large_print_pictures_are_larger_than_at_14_pt_also_under_how_to_do_them(started, template, paper, name):
    """Issue #14: every picture larger at 18 pt than at 14 pt, the first exercise's too, where
    keeping it so costs no page (its lead then ends the page before); pages as many as its goal."""
    content, at_14 = _made(started, template, "es", paper, True, True, name)
    at_18 = rendered(dataclasses.replace(content, large_print=True), HandoutOptions(languages=("en", "es")))
    widths = [[width for width, _ in pictures(pdf)] for pdf in (at_14, at_18)]
    assert len(widths[0]) == len(widths[1]) == len(content.exercises), widths
    smaller = [(n, round(a), round(b)) for n, (a, b) in enumerate(zip(*widths, strict=True), 1) if b < a * 1.1]
    assert not smaller, widths
    assert len(pages_text(at_18)) <= len(content.exercises) + 1
