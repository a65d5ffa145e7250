"""One a page, large print: a long note reads whole on one page, never torn mid-sentence.

trial 24: the Spanish cervical program one exercise a page at 18 pt on Letter, a 454-character
note on every exercise. Each exercise was taller than its page and flowed on: its note's first
lines under the steps, the rest under "N. ... (continuación)" on the next page, mid-sentence.
The next exercise starts a page of its own either way, so the note now goes whole to the page the
exercise goes on to, wherever it fits there: as many pages, each note read in one piece. A note
taller than a page still breaks at a line (tests/test_handout_limits.py).
"""

from __future__ import annotations

import dataclasses

import pytest

from planner.handouts.content import HandoutContent, handout_content
from planner.handouts.styles import HandoutOptions
from planner.models.program import ONE_PER_PAGE
from tests.factories import catalog_session
from tests.handout_world import NOW, page_count, pages_text, rendered
from tests.test_handout_front_slack import URL, san_rafael
from tests.test_handout_one_a_page_large import start

# Trial 24's length (454 characters), in each language: a therapist's own words to the patient.
NOTES = {
    "es": "Hágalo despacio y sin prisa, con la espalda apoyada en la silla. Si nota que el cuello tira, pare "
    "y respire hondo. Mejor pocas veces bien hechas que muchas con tensión. Apunte en la hoja cómo se sintió "
    "ese día y tráigala a la próxima cita. Si un día le duele más, haga solo la mitad. No se preocupe si "
    "tiembla un poco al principio: es normal. Pida a alguien de su casa que le mire mientras lo hace, así "
    "sabrá si lo hace bien.",
    "en": "Do this slowly, with your back against the chair. If your neck pulls, stop and breathe deeply. A few "
    "good ones are better than many tense ones. Write on the sheet how you felt that day and bring it to your "
    "next visit. On a day with more pain, do half of them. Do not worry if you shake a little at first: that "
    "is normal. Ask someone at home to watch you while you do it, so you know you are doing it well, and "
    "tell us what they saw.",
}


@pytest.fixture(scope="module")
def noted(catalog_file, tmp_path_factory) -> dict[str, HandoutContent]:  # noqa: ANN001
    """{language: the cervical template as started, one a page, large print, the note on every exercise}."""
    read = {}
    with catalog_session(catalog_file, tmp_path_factory.mktemp("note-whole")) as db:
        clinic, therapist_id, _ = san_rafael(db)
        program = start(db, clinic, therapist_id, "cervical", "Ana Gil")
        program.handout_layout = ONE_PER_PAGE
        db.commit()
        for language in ("es", "en"):
            for item in program.items:
                item.note = NOTES[language]
            db.flush()
            read[language] = handout_content(db, program, NOW, URL, language)
    return read


def _packed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("language", ["es", "en"])
def test_each_long_note_reads_whole_on_one_page(noted, language, paper):
    content = noted[language]
    assert content.large_print and content.layout == ONE_PER_PAGE
    pdf = rendered(content, HandoutOptions(page_size=paper))
    pages = [_packed(page) for page in pages_text(pdf)]
    note = _packed(NOTES[language])
    whole = [number for number, page in enumerate(pages) if note in page]
    # every exercise's note, each whole on a page (the same text: as many pages as exercises)
    assert len(whole) == len(content.exercises), (len(whole), len(content.exercises))
    # no page holds the first or the last words of a note without the rest
    for page in pages:
        if note not in page:
            assert note[:60] not in page and note[-60:] not in page
    # a page an exercise at most, and its note's page where it goes on, the front page, the tips, the sheet
    assert page_count(pdf) <= 2 * len(content.exercises) + 3


def test_a_note_taller_than_a_page_still_breaks(noted):
    """Twice as long as a page holds at 18 pt: it still goes on over the pages at a line."""
    long = (NOTES["es"] + " ") * 5
    content = dataclasses.replace(
        noted["es"], exercises=[dataclasses.replace(block, note=long) for block in noted["es"].exercises[:1]]
    )
    pages = [_packed(page) for page in pages_text(rendered(content, HandoutOptions(page_size="letter")))]
    first = [n for n, page in enumerate(pages) if _packed(long)[:60] in page]
    last = [n for n, page in enumerate(pages) if _packed(long)[-60:] in page]
    assert first and last and first[0] < last[-1]  # its start and its end on different pages
    assert not any(_packed(long) in page for page in pages)
