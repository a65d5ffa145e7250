"""The tick sheet's rows stay telling apart where names are cut short (trial19 F3).

Where the sheet must be low (under the last exercise), each name goes on one line, cut after a
whole word. Spanish names often start alike: "4. Mantener la cabeza…" / "5. Mantener la cabeza…"
(the turn hold and the tilt hold) left only the number to tell the two rows apart, for a patient
with dystonia ticking after each set. Names that would read the same keep their words on to where
they differ. Exercise names are cut short only here: the phone page, the emails, the running
header (the patient's name and the title) and the calendar print them whole or are not theirs.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from planner.catalog.loader import read_directory
from planner.handouts import words
from planner.handouts.content import handout_content
from planner.handouts.styles import REGULAR, register_fonts, styles_for
from planner.handouts.ticksheet import ELLIPSIS, LABEL_EM, LITTLE_WORDS, one_line, short_names, tick_sheet
from tests.conftest import CATALOG
from tests.handout_world import BALANCE, NOW, make_world

# trial19's program for a turn to the right and a tilt to the left, from the cervical template.
TRIAL19 = [
    "neck-turn-lying",
    "chin-nod-head-lift",
    "sensory-trick-cheek-touch",
    "neck-turn-lying-hold",
    "neck-tilt-lying-hold",
    "shoulders-level-mirror",
]


def read(row: str) -> str:
    """What tells a row apart: its words after the number, without the "…"."""
    return row.split(" ", 1)[1].removesuffix(ELLIPSIS).rstrip(",;:.").casefold()


def plain_words(row: str) -> list[str]:
    return [word.strip(",;:.") for word in read(row).split()]


def catalog_names(language: str) -> dict[str, str]:
    found, problems = read_directory(CATALOG)
    assert not problems
    return {slug: (e["name"] if language == "en" else e["translations"][language]["name"]) for slug, e in found.items()}


def programs_of_the_templates() -> list[list[str]]:
    """Each shipped template's exercises (all of them: the pattern picks among them)."""
    return [
        [item["exercise"] for item in tomllib.loads(path.read_text())["items"]]
        for path in sorted((Path(CATALOG) / "templates").glob("*.toml"))
    ]


@pytest.fixture(scope="module", autouse=True)
def fonts():
    register_fonts()


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("size", [14, 18])
def test_no_two_rows_of_a_sheet_read_the_same_however_narrow_the_names_column(language, size):
    """Over the whole catalog as one sheet and each template's exercises, at every width the
    names' column takes (from its least, LABEL_EM): no two rows read the same after their numbers,
    and a name is cut as before (one line) unless that would read like another row's: then it
    goes on to where they differ, or ends with its last words after its first ones and "…"."""
    names = catalog_names(language)
    little = LITTLE_WORDS[language]
    sheets = [list(names), *programs_of_the_templates()]
    for width in range(int(size * LABEL_EM), 341, 20):
        for slugs in sheets:
            numbered = [f"{n}. {names[slug]}" for n, slug in enumerate(slugs, 1)]
            rows = short_names(numbered, size, width, little)
            shown = [read(row) for row in rows]
            assert len(set(shown)) == len(shown), [r for r in rows if shown.count(read(r)) > 1]
            whole = [plain_words(name) for name in numbered]
            for n, (name, row) in enumerate(zip(numbered, rows, strict=True)):
                cut = one_line(name, size, width, little)
                # Whole words, in order: its first ones, and where it ends otherwise than "…" its last ones.
                first, _, last = row.partition(ELLIPSIS + " ")
                assert name.startswith(first.removesuffix(ELLIPSIS).rstrip(",;:.")), row
                assert not last or (name.endswith(f" {last}") and len(row) < len(name)), row
                if row != cut:  # longer only where another name starts with the words it was cut to
                    start = read(cut).split()
                    assert any(w[: len(start)] == start for m, w in enumerate(whole) if m != n and w != whole[n]), row


@pytest.mark.parametrize("size", [14, 18])
def test_the_turn_hold_and_the_tilt_hold_read_apart_on_a_low_sheet(catalog_db, size):
    """trial19's Spanish program, on the sheet as low as it goes (one line a name where it can): the
    rows of the two holds say which way ("girada", "inclinada"); the others are cut as before."""
    program = make_world(catalog_db, slugs=TRIAL19, clinic_name=f"Holds {size}")
    content = handout_content(catalog_db, program, NOW, None, "es")
    width = 7.5 * 72 - 2 * 0.6 * 72  # a page's frame at least as narrow as the handout's
    flow = tick_sheet(content.exercises, styles_for(size), width, words.of("es"), short=True)
    rows = [row[0].text for row in flow[-1].rows[1:]]
    assert rows[3].startswith("4. Mantener la cabeza girada") and rows[4].startswith("5. Mantener la cabeza inclinada")
    assert len({read(row) for row in rows}) == len(rows)
    assert rows[0].endswith(ELLIPSIS) or size == 14  # the others still cut where they are long


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("width", [7.5 * 72, 595.28 - 72])  # a Letter and an A4 page's frame at 14 pt
def test_two_names_alike_past_a_line_end_with_their_own_words_on_one_line(catalog_db, language, width):
    """The program built in the app (trial 16): rows 10 and 11 ("Levantar los brazos boca abajo,
    brazos a los lados" / "…, en forma de Y") kept their words on to where they differ on a
    second line, 28 pt more, and the last exercise and the sheet took a page more. Each now
    ends with its own last words after its first ones, on one line: "10. Levantar… a los lados"."""
    program = make_world(
        catalog_db,
        slugs=[*BALANCE[:9], "prone-arm-lift-sides", "prone-y-lift"],
        clinic_name=f"Arms {language} {width:g}",
    )
    content = handout_content(catalog_db, program, NOW, None, language)
    styles = styles_for(14)
    flow = tick_sheet(content.exercises, styles, width, words.of(language), short=True)
    cells = [row[0] for row in flow[-1].rows[1:]]
    label = flow[-1].widths[0] - 6
    ten, eleven = (cell.text for cell in cells[9:11])
    for cell, block in zip(cells[9:11], content.exercises[9:11], strict=True):
        assert cell.wrap(label, 10_000)[1] <= styles.cell.leading + 0.01, cell.text  # one line
        first, _, last = cell.text.partition(ELLIPSIS + " ")
        name = f"{block.number}. {block.name}"
        assert last and name.endswith(f" {last}") and name.startswith(first), cell.text
    assert read(ten) != read(eleven)


WRITING = [
    "wrist-bends-and-circles",
    "tendon-glides",
    "finger-spread-band",
    "writing-stable-shoulders",
    "big-loops-and-lines",
    "hand-shake-out",
]


@pytest.mark.parametrize("size", [14, 18])
@pytest.mark.parametrize("language", ["en", "es"])
def test_a_name_cut_to_its_first_word_ends_with_its_last_words(catalog_db, language, size):
    """trial 38, F6: on a low sheet the writer's cramp program's second row read "2.
    Deslizamiento…", one word that told a patient nothing of which exercise it was. A name cut to
    its first word ends with its last words after "…" where they fit the line and no other row's
    name starts as it does and has them too ("2. Deslizamiento… dedos"), at every width the
    sheet takes on a page, Letter or A4, and wider."""
    program = make_world(catalog_db, slugs=WRITING, clinic_name=f"Writing {language} {size}")
    content = handout_content(catalog_db, program, NOW, None, language)
    styles, said = styles_for(size), words.of(language)
    names = [f"{block.number}. {block.name}" for block in content.exercises]
    ended = 0
    for width in range(450, 560, 5):  # the table: a page frame, Letter or A4, and wider
        flow = tick_sheet(content.exercises, styles, width, said, short=True)
        label = flow[-1].widths[0] - 6
        for cell, name in zip((row[0] for row in flow[-1].rows[1:]), names, strict=True):
            first, cut, last = cell.text.partition(ELLIPSIS)
            alike = [other for other in names if other != name and other.split()[1] == first.split()[-1]]
            if cut and len(first.split()) == 2 and not last and not alike:
                # One word alone: only where its first word and last word do not fit the line.
                shortest = f"{first}{ELLIPSIS} {name.split()[-1]}"
                assert stringWidth(shortest, REGULAR, size) > label, (width, cell.text)
            if last:
                assert name.startswith(first) and name.endswith(last.strip()), cell.text
                ended += len(first.split()) == 2
    # Some name is cut to its first word, then ends with its last (English at 18 pt: none is cut so).
    assert ended or (language, size) == ("en", 18)
