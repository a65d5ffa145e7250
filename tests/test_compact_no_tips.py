"""Compact, 14 pt: a program with no tips never takes a page more than the same with one (trial
32, F2: Spanish, six exercises, two notes at the form's 1,000 characters, a 120-character name,
A4: 6 pages with no tip, 5 with one). The ways that set the front page's facts tighter (front_top
`tight`) and the sheet on the front page with its heading closer were tried only with tips."""

from __future__ import annotations

import dataclasses

import pytest

from planner.handouts.content import handout_content
from tests.factories import catalog_session
from tests.handout_world import NOW, make_world, pages_by_tips
from tests.test_handout_large_pictures import COMPACT  # trial 31's case C: the same six


def _long(text: str, length: int) -> str:
    """`text` repeated to exactly `length` characters (the form's limit)."""
    return (text * (length // len(text) + 1))[: length - 1].rstrip() + "."


# A therapist's note at the form's limit, in plain Spanish.
NOTE = _long(
    "Hágalo por la mañana, después de una ducha caliente, cuando el cuello está más suelto. Si nota "
    "un dolor fuerte, pare y descanse unos minutos. Muévase despacio y sin forzar. Respire con calma "
    "y no aguante el aire. Si el temblor sube, apoye la cabeza en la almohada. Apunte en la hoja "
    "cuántas veces lo hizo. ",
    1000,
)
NAME = _long("María José Fernández-Muñoz de la Peña Ibáñez Núñez Güemes Ávila Ortúzar Carreño ", 119)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_no_tips_take_no_page_more_than_one(catalog_file, tmp_path, paper):  # noqa: ANN001
    with catalog_session(catalog_file, tmp_path) as db:
        program = make_world(
            db, slugs=COMPACT, patient_name=NAME, clinic_name="Demo Physio Clinic", notes={0: NOTE, 4: NOTE}
        )
        content = handout_content(db, program, NOW, "https://exercises.example.org/p/xyz", "es")
    content = dataclasses.replace(
        content,
        clinic_contact=["12 Harbour Road, Springfield", "555-0142", "front-desk@demo-physio.example"],
        title="Cuello y postura",
        goals_text="",
        visit_plan="",
        advice_text="",
        paper_size=paper,
    )
    pages = pages_by_tips(content, "es")
    assert pages[0] <= min(pages[1], pages[3]), pages
