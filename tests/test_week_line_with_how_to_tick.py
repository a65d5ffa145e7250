"""Large print, compact: the line for the week's date never starts a page apart from how to tick.

trial 24: the Spanish cervical program at 18 pt on Letter, every tip ticked, a 226-character note on
every exercise and a 120-character Chinese name: "Semana que empieza el: ____" stood atop page 2,
over the tips, and what it dates ("Hágalos en orden, despacio. Cada vez que haga uno, marque una
casilla debajo.") atop page 3. The line goes under the front page's facts only where it ends
page 1 with them; else it goes with how to tick, over the first exercise and its boxes. A sweep of
1,344 handouts (templates × notes × names × languages × papers) found six such; with these notes
three of them fail on the code before (the cervical tremor and the two posture ones).
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
from tests.test_handout_front_slack import NAMES, URL, san_rafael
from tests.test_handout_one_a_page_large import start

# A therapist's note as long as trial 24's (226 characters), in each language.
NOTES = {
    "es": "Hágalo despacio y sin prisa, con la espalda apoyada en la silla. Si nota que el cuello tira, pare "
    "y respire hondo. Mejor pocas veces bien hechas que muchas con tensión. Apunte en la hoja cómo se sintió.",
    "en": "Do this slowly, with your back against the chair. If your neck pulls, stop and breathe deeply. A few "
    "good ones are better than many tense ones. Write on the sheet how you felt that day and bring it to your "
    "next visit, please.",
}
# (template, language, noted: "all" exercises or the "first", name, paper): the six the sweep found
# on main, then two that held.
CASES = [
    ("cervical", "es", "all", "chinese", "letter"),
    ("cervical tremor", "es", "all", "spanish", "letter"),
    ("cervical tremor", "en", "all", "chinese", "letter"),
    ("posture", "es", "first", "chinese", "letter"),
    ("posture", "es", "all", "chinese", "letter"),
    ("cervical five", "en", "all", "chinese", "letter"),
    ("cervical", "es", "all", "short", "a4"),
    ("blepharospasm", "es", "all", "spanish", "letter"),
]


@pytest.fixture(scope="module")
def started(catalog_file, tmp_path_factory) -> dict[tuple[str, str, str], HandoutContent]:  # noqa: ANN001
    """{(template, language, noted): the template as started for a large-print patient with its
    pattern, every tip ticked, the note on every exercise or on the first}."""
    read = {}
    with catalog_session(catalog_file, tmp_path_factory.mktemp("week-line")) as db:
        clinic, therapist_id, _ = san_rafael(db)
        for number, name in enumerate(sorted({case[0] for case in CASES})):
            program = start(db, clinic, therapist_id, name, f"Paciente {number}")
            program.advice = list(advice.BUILT_IN)
            db.commit()
            for language in ("es", "en"):
                for noted in ("all", "first"):
                    for index, item in enumerate(program.items):
                        item.note = NOTES[language] if noted == "all" or index == 0 else ""
                    db.flush()
                    read[name, language, noted] = handout_content(db, program, NOW, URL, language)
    return read


@pytest.mark.parametrize(("template", "language", "noted", "name", "paper"), CASES)
def test_the_weeks_line_is_on_page_one_or_with_how_to_tick(started, template, language, noted, name, paper):
    content = dataclasses.replace(started[template, language, noted], patient_name=NAMES[name])
    assert content.large_print and content.layout != "page"
    said = words.of(language)
    pages = [" ".join(page.split()) for page in pages_text(rendered(content, HandoutOptions(page_size=paper)))]
    week = " ".join(said.headings["week_of"].split())
    how = " ".join(said.how_to_use_below.split())
    [at] = [number for number, page in enumerate(pages) if week in page]
    assert [number for number, page in enumerate(pages) if how in page] == [at] or at == 0, (at + 1, pages[at][:200])
