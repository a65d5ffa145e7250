"""One exercise a page in large print, a note on every exercise: the end shares a page (trial 23, F2).

trial 23's own three-exercise Spanish program (two eye exercises and a pen grip set for the right
hand), a 120-character Spanish name, one exercise a page at 18 pt on Letter, the same 200-character
note on each exercise: the third exercise's note went on over a page of its own, and the tick sheet
took a sixth page alone, though the two fit one page together."""

from __future__ import annotations

import pytest

from planner.handouts.content import HandoutContent, handout_content
from planner.handouts.styles import HandoutOptions
from planner.models.program import ONE_PER_PAGE
from tests.factories import catalog_session
from tests.handout_world import NOW, ends_with_the_sheet_alone, made_in_the_app, page_count, rendered

URL = "https://planner.example.org/p/Xq7mT2vLc9RkW4yHb8NfZ3sJdA6uEe5GhP1tKoVi"
NAME = (
    "María de los Ángeles Fernández-Castañeda y Villaseñor, conocida en el barrio como la señora Mariángeles"
    " del quinto piso"
)[:120]
NOTE = (
    "Hágalo despacio y sin prisa. Si nota que la mano o los párpados se cansan, pare un momento y respire."
    " Mejor pocas veces bien hechas que muchas con tensión. Apunte en la hoja cómo se sintió ese día."
)


@pytest.fixture(scope="module")
def own_three(catalog_file, tmp_path_factory) -> HandoutContent:  # noqa: ANN001
    """trial 23's program as made in the app: its title alone, each side set to the right."""
    with catalog_session(catalog_file, tmp_path_factory.mktemp("noted-ending")) as db:
        slugs = ("slow-eye-closing", "pen-grip-thick-and-loose", "humming-eye-opening")
        program = made_in_the_app(db, NAME, "Mi programa de 3 ejercicios", slugs, "right", NOTE, large_print=True)
        program.handout_layout = ONE_PER_PAGE
        db.commit()
        content = handout_content(db, program, NOW, URL, "es")
    return content


def test_the_last_exercises_note_and_the_tick_sheet_share_a_page(own_three):
    assert (own_three.large_print, own_three.layout, len(own_three.exercises)) == (True, ONE_PER_PAGE, 3)
    pdf = rendered(own_three, HandoutOptions(page_size="letter"))
    assert not ends_with_the_sheet_alone(pdf, "es")
    assert page_count(pdf) <= 5  # front page, three exercises, the end of the third with the sheet (6 before)
