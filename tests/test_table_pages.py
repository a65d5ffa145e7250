"""Lists and tables keep their words whole, whatever the length of a name.

Trial 13: on the patients list at 1280 px a 100-character name squeezed the other columns until
words broke mid-word ("Stat/us", "Activ/e", "1968-04-/12"). On every page that lists names or
titles in a table, at 1280 and at 390 px (a phone): no heading, word or date breaks inside itself
(a long name wraps between its words, in its own column; a hyphenated word may break at its
hyphen, a date never), and the page never scrolls sideways (a wide table scrolls in its own box).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from planner.services import issuing, program_items, program_templates, programs
from planner.services.catalog import get_exercise
from tests.browser import screenshot, served, sign_in
from tests.conftest import build_app, load_catalog
from tests.factories import make_clinic, make_patient, make_user

LONG_NAME = "Maximiliano Alejandro de la Santísima Trinidad Fernández-Villavicencio y Gutiérrez de Castro Ruiz"
THERAPIST = "Dana Okafor-Featherstonehaugh, PT, DPT, Board-Certified Neurologic Clinical Specialist"
TITLE = "Programa en casa para controlar el cuello, los hombros y la mandíbula durante las actividades diarias"

# Every word of every table cell as the reader sees it: a date whole, other words split at their
# hyphens (a line may end after one); a word longer than 24 letters may break (no column is wider).
BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll('main th, main td')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const re = /\\S+/g; let m;
      while ((m = re.exec(node.data))) {
        const isDate = /^\\(?\\d{4}-\\d\\d-\\d\\d/.test(m[0]);
        const pieces = [];
        if (isDate) pieces.push([m.index, m[0]]);
        else { let off = 0; for (const part of m[0].split('-')) { pieces.push([m.index + off, part]); off += part.length + 1; } }
        for (const [at, word] of pieces) {
          if (!word || word.length > 24) continue;
          const r = document.createRange(); r.setStart(node, at); r.setEnd(node, at + word.length);
          const lines = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
          if (lines.size > 1) broken.push(word);
        }
      }
    }
  }
  return broken;
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    app = build_app(tmp_path_factory.mktemp("tables"))
    db = app.extensions["db_sessionmaker"]()
    load_catalog(db)
    clinic = make_clinic(db, "Clínica de Rehabilitación Neurológica del Hospital Universitario de la Trinidad")
    admin = make_user(db, clinic, role="admin", email="a@tables.example", name=THERAPIST)
    now = datetime.now(UTC)
    long = make_patient(db, clinic, LONG_NAME, date_of_birth=date(1968, 4, 12), primary_therapist_id=admin.id)
    short = make_patient(db, clinic, "Ana Núñez", date_of_birth=date(1950, 1, 2), primary_therapist_id=admin.id)
    details = programs.ProgramDetails(
        TITLE, now.date() - timedelta(days=60), reeval_date=now.date() + timedelta(days=3)
    )
    program = programs.create_program(db, long, details, admin.id, now)
    program_items.add_item(db, program, get_exercise(db, clinic.id, "belly-breathing-lying"), None, now)
    issuing.issue(db, program, admin.id, "print", now)
    issuing.issue(db, program, admin.id, "email", now)
    overdue = programs.ProgramDetails(
        "Neck", now.date() - timedelta(days=90), reeval_date=now.date() - timedelta(days=2)
    )
    other = programs.create_program(db, short, overdue, admin.id, now)
    program_items.add_item(db, other, get_exercise(db, clinic.id, "belly-breathing-lying"), None, now)
    issuing.issue(db, other, admin.id, "print", now)
    program_templates.save_as_template(
        db, program, "Plantilla para distonía cervical con temblor y truco sensorial", "", now
    )
    db.commit()
    pages = [
        "/patients",
        f"/patients/{long.id}",
        "/dashboard",
        "/dashboard/due",
        "/admin/audit",
        "/admin/users",
        "/templates",
        f"/programs/{program.id}/versions",
        f"/programs/{program.id}/visits",
        "/account/tokens",
    ]
    with served(app) as base:
        yield base, pages
    db.close()
    app.extensions["db_engine"].dispose()


@pytest.mark.parametrize("width", [1280, 390])
def test_no_word_or_date_breaks_inside_itself_and_no_page_scrolls_sideways(chromium, site, width):
    base, pages = site
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, base, "a@tables.example")
        for path in pages:
            page.goto(base + path)
            assert page.evaluate(BROKEN_WORDS) == [], f"{path} at {width} px"
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, f"{path} is {scroll} px wide at {width} px"
        page.goto(base + "/patients")
        assert LONG_NAME in page.inner_text("main table")
        screenshot(page, f"tables-patients-{width}.png")
    finally:
        context.close()
