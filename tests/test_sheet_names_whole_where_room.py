"""One a page: the tick sheet cuts a name short only where its page has no room for it whole.

trial 24: one exercise a page at 18 pt, the tick sheet's names cut with "…" to a line each (the
way the sheet fits under the last exercise, or with the tips on its page) while 42 pt stayed free
under the sheet. The sheet now keeps as many names whole, in order, as that room holds. A sweep of
288 one-a-page handouts (6 templates × en/es × notes of 0, 200 and 454 characters × 14/18 pt ×
Letter/A4 × every tip or none): names cut 79 → 35, pages 2,109 = 2,109.
"""

from __future__ import annotations

import dataclasses

import pytest

from planner.handouts import words
from planner.handouts.content import HandoutContent, handout_content
from planner.handouts.styles import HandoutOptions
from planner.services import advice
from tests.factories import catalog_session
from tests.handout_world import NOW, pages_text, rendered
from tests.test_handout_front_slack import URL, san_rafael
from tests.test_handout_one_a_page_large import start

NOTE = (
    "Hágalo despacio y sin prisa, con la espalda apoyada en la silla. Si nota que el cuello tira, pare y respire "
    "hondo. Mejor pocas veces bien hechas que muchas con tensión. Apunte en la hoja cómo se"
)
# (template, every tip ticked, note length, large print, paper, pages): sheets that cut 4 and 2 names on 240c034.
# Writer's cramp took 11 pages until trial 31, F1: exercise 5 kept whole on its page with a picture
# of 2.03 in, smaller than at 14 pt (3.15 in); it now goes on over two pages as 2 to 4 do, 3.57 in.
CASES = [
    ("cervical", True, 200, False, "a4", 7),
    ("writer's cramp", False, 454, True, "letter", 12),
]


@pytest.fixture(scope="module")
def started(catalog_file, tmp_path_factory) -> dict[tuple[str, bool, int], HandoutContent]:  # noqa: ANN001
    """{(template, every tip, note length): the template as started, Spanish, the note on every exercise}."""
    read = {}
    with catalog_session(catalog_file, tmp_path_factory.mktemp("sheet-room")) as db:
        clinic, therapist_id, _ = san_rafael(db)
        for number, (name, tips, length, _, _, _) in enumerate(CASES):
            program = start(db, clinic, therapist_id, name, f"Paciente {number}")
            program.advice = list(advice.BUILT_IN) if tips else []
            note = (NOTE * 3)[:length].rsplit(" ", 1)[0]
            for item in program.items:
                item.note = note
            db.commit()
            read[name, tips, length] = handout_content(db, program, NOW, URL, "es")
    return read


@pytest.mark.parametrize(("template", "tips", "length", "large_print", "paper", "pages"), CASES)
def test_the_sheet_keeps_names_whole_where_its_page_has_room(
    started, template, tips, length, large_print, paper, pages
):
    content = dataclasses.replace(started[template, tips, length], layout="page", large_print=large_print)
    read = pages_text(rendered(content, HandoutOptions(page_size=paper)))
    heading = words.of("es").headings["tick_sheet"]
    [sheet] = [page for page in read if heading in page]
    rows = sheet[sheet.index(heading) : sheet.index(words.of("es").safety)]  # the foot and header drawn after
    assert "\u2026" not in rows, rows
    packed = "".join(rows.split())
    assert all("".join(f"{block.number}. {block.name}".split()) in packed for block in content.exercises)
    assert len(read) == pages  # as many pages as with the names cut
