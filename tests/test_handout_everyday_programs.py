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
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from planner.db import make_engine
from planner.dystonia.pattern import PatternEntry
from planner.handouts import words
from planner.handouts.content import HandoutContent, handout_content
from planner.handouts.styles import HandoutOptions
from planner.models import Clinic, ProgramTemplate
from planner.services import program_templates, recorded_patterns
from tests.factories import make_patient
from tests.handout_world import NOW, make_world, pages_text, rendered
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
    copy = Path(tmp_path_factory.mktemp("everyday")) / "planner.sqlite3"
    shutil.copyfile(catalog_file, copy)
    engine = make_engine(f"sqlite:///{copy}")
    read = {}
    with sessionmaker(bind=engine, expire_on_commit=False)() as db:
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
    engine.dispose()
    return read


# Per paper, half of the (notes, QR code, name) ways, the other half on the other paper: every
# template in both languages meets all eight, 96 handouts in all.
WAYS = {
    "letter": [(False, False, "short"), (True, True, "short"), (False, True, "long"), (True, False, "long")],
    "a4": [(False, False, "long"), (True, True, "long"), (False, True, "short"), (True, False, "short")],
}
# Missed today (strict: reaching the goal shows), all Spanish on Letter with six exercises, each a
# few points a page short (the most the pages lack where the way closest to the goal is taken):
# the front page with the tick sheet is over its page, or the tips fit no page's foot.
MISSED = {
    # trial 20 F4: the front page (the name on four lines, five goals, the tremor's stop rule)
    # with the sheet is 8 pt over a page, and the tips' panel 12 pt over the room an exercise
    # page leaves: 5 pages, the tick sheet alone on the last.
    ("cervical", "es", "letter", False, True, "long"): "front page and sheet 8 pt over, tips 12 pt over",
    ("cervical", "es", "letter", True, False, "long"): "22 pt a page short",
    ("cervical", "es", "letter", True, True, "short"): "18 pt a page short",
    ("writer's cramp", "es", "letter", True, False, "long"): "8 pt a page short",
    ("generalized", "es", "letter", True, False, "long"): "3 pt a page short",
}
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


@pytest.mark.parametrize(("template", "language", "paper", "notes", "qr", "name"), CASES)
def test_a_program_a_clinic_makes_every_day_keeps_the_page_goal(started, template, language, paper, notes, qr, name):
    """n exercises on at most ceil((n + 2) / 2) pages at 14 pt, compact, read back from the PDF."""
    base = started[template, language]
    exercises = [
        dataclasses.replace(block, note=NOTES[language].get(index, "") if notes else "")
        for index, block in enumerate(base.exercises)
    ]
    content = dataclasses.replace(
        base, exercises=exercises, paper_size=paper, online_url=URL if qr else None, patient_name=NAMES[name]
    )
    read = pages_text(rendered(content, HandoutOptions(languages=("en", "es"))))
    n = len(exercises)
    assert len(read) <= math.ceil((n + 2) / 2), (len(read), n)
    # Every exercise and the tick sheet are in it, each once.
    text = " ".join(read)
    assert text.count(words.of(language).headings["tick_sheet"]) == 1
    assert all(f"{block.number}. {block.name}" in text for block in exercises)
