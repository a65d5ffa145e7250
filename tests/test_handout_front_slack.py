"""The front page has slack: the cervical program a clinic really makes (the template started
with a recorded pattern, so a third goal line; a clinic address on two lines; a long name; a
QR code) keeps the page goal (issue #14), and its preview pages as the paper does.

trial 19, F1: Spanish large print took n + 2 pages for these programs (4 exercises on 6, 6 on
8, 7 on 9), Letter and A4: the front page had no room for one or two more lines, and the tips
(or the QR code) took a page of their own. F4: the preview's longer date line took a page the
print did not. The template tests start the templates with no pattern, so they missed both.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.dystonia.pattern import PatternEntry
from planner.handouts.content import HandoutContent, handout_content
from planner.handouts.styles import HandoutOptions
from planner.models import Clinic, ProgramTemplate
from planner.services import program_templates, recorded_patterns
from tests.factories import catalog_session, make_patient
from tests.handout_world import NOW, flowing_words, glyphs, make_world, page_count, rendered

URL = "https://exercises.example.org/p/k7hw2mqx9vtz4bcr8dnf3gpj6a"
# The pulls a cervical program is made for: each gives the template's work away from it.
PATTERNS = {
    "torticollis left": PatternEntry({"rotation": "left"}, {"rotation": 3}),
    "torticollis right": PatternEntry({"rotation": "right"}, {"rotation": 2}),
    "laterocollis left": PatternEntry({"tilt": "left"}, {"tilt": 2}),
    "antecollis": PatternEntry(severities={"flexion": 2}),
    "combined": PatternEntry({"rotation": "right", "tilt": "left"}, {"rotation": 2, "tilt": 2}),
}
LIMIT = 120  # the patient form's longest name (planner/web/patients/forms.py)


def _at_limit(words: str) -> str:
    """A name of `words` repeated to the form's limit, ending at a whole word."""
    name = words
    while len(name) + 1 + len(words) <= LIMIT:
        name += " " + words
    return name


NAMES = {
    "short": "Ana Gil",
    "spanish": _at_limit("María de los Ángeles Fernández-Villanueva"),
    "chinese": "欧阳慧琳诸葛云飞上官婉儿慕容雪晴" * 7,
    "arabic": _at_limit("محمد عبد الرحمن القاهري"),
    "greek": _at_limit("Αικατερίνη Παπαδοπούλου-Χατζηγεωργίου"),
}


def san_rafael(db: Session) -> tuple[Clinic, int, ProgramTemplate]:
    """(clinic, its therapist's id, the shipped cervical dystonia template) of trial 19's clinic,
    whose address, telephone and email take two lines on the front page."""
    world = make_world(db, slugs=[], notes={}, clinic_name="Clínica de Movimiento San Rafael")
    clinic = db.get_one(Clinic, world.clinic_id)
    clinic.address, clinic.phone = "Calle Mayor 12, 28013 Madrid", "+34 912 345 678"
    clinic.email = "recepcion@clinica.example"
    template = db.scalars(select(ProgramTemplate).where(ProgramTemplate.slug == "shipped-cervical-dystonia")).one()
    return clinic, world.therapist_id, template


@pytest.fixture(scope="module")
def started(catalog_file, tmp_path_factory) -> dict[tuple[str, str], HandoutContent]:  # noqa: ANN001
    """{(pattern, language): the cervical template as started for a patient with that pattern}, at
    a clinic whose address takes two lines on the front page."""
    read = {}
    with catalog_session(catalog_file, tmp_path_factory.mktemp("slack")) as db:
        clinic, therapist_id, template = san_rafael(db)
        for number, (pattern, entry) in enumerate(PATTERNS.items()):
            patient = make_patient(db, clinic, f"Paciente {number}", large_print=True)
            recorded_patterns.record_pattern(db, patient, entry, date(2026, 11, 20), None, NOW)
            report = program_templates.start_from_template(db, template, patient, therapist_id, date(2026, 11, 21), NOW)
            db.commit()
            for language in ("en", "es"):
                read[pattern, language] = handout_content(db, report.program, NOW, URL, language)
    return read


def goal(n: int, size: int) -> int:
    """The most pages n exercises take (#14): ceil((n + 2) / 2) at 14 pt, n + 1 at 18."""
    return math.ceil((n + 2) / 2) if size == 14 else n + 1


def _pages(content: HandoutContent, paper: str) -> int:
    return page_count(rendered(content, HandoutOptions(page_size=paper)))


# Each pattern in both languages, sizes and papers, with a name and the QR code or not taken in
# turn: 40 handouts, each laid out once, and the preview of each (with the QR code's room, a
# box where the code prints: test_preview_qr_room). A Chinese name at the limit takes six lines
# of the facts' value column in large print: the front page with the QR code and its address
# under it went on to page 2 (705 pt of 684, es 18 Letter, torticollis right): the address now
# goes beside the QR code, on two lines where a reader types on (test_handout_online_address).
CASES = [
    (pattern, language, size, paper, name, qr)
    for (pattern, language, size, paper), (name, qr) in zip(
        itertools.product(PATTERNS, ("en", "es"), (14, 18), ("letter", "a4")),
        itertools.cycle(itertools.product(NAMES, (True, False))),
        strict=False,
    )
] + [
    # With the address under the QR code, full width, these took a page over the goal too.
    ("combined", "es", 18, "letter", "chinese", True),
    ("combined", "es", 18, "letter", "arabic", True),
    ("laterocollis left", "es", 18, "letter", "chinese", True),
]


@pytest.mark.parametrize(("pattern", "language", "size", "paper", "name", "qr"), CASES)
def test_a_real_cervical_program_keeps_the_goal_and_its_preview_pages_as_the_paper(
    started, pattern, language, size, paper, name, qr
):
    """n exercises on at most the goal's pages, and the preview on as many as the paper: the
    front page's parts make room (its longer facts full width, the tips or the QR code at the
    foot of an exercise's page, a middle picture at its least) rather than cost a page."""
    content = dataclasses.replace(
        started[pattern, language],
        patient_name=NAMES[name],
        large_print=size == 18,
        online_url=URL if qr else None,
    )
    n = len(content.exercises)
    assert n >= 4
    given = _pages(content, paper)
    assert given <= goal(n, size), (given, goal(n, size))
    # The preview (build_preview: every page marked, a box in the QR code's room) pages as the paper.
    assert _pages(dataclasses.replace(content, preview=True), paper) == given


def _page_words(pdf: bytes, page: int = 0) -> list[dict]:
    return list(flowing_words(pdf)[page])


def _lines_of(words: list[dict], said: list[str]) -> list[list[str]]:
    """The words `said` (in this order, each one word) as found on the page, by the line each is
    on (top to bottom): the first run of page words that holds them in order, from a word
    equal to said[0], at most a dozen words apart (a caption beside them may come between)."""
    texts = [w["text"] for w in words]
    for start in (n for n, text in enumerate(texts) if text == said[0]):
        found, at = [start], start
        for word in said[1:]:
            at = next((n for n in range(at + 1, min(at + 13, len(texts))) if texts[n] == word), -1)
            if at < 0:
                break
            found.append(at)
        if len(found) == len(said):
            tops: dict[float, list[str]] = {}
            for n in found:
                tops.setdefault(round(words[n]["top"]), []).append(texts[n])
            return [tops[top] for top in sorted(tops)]
    raise AssertionError(f"{' '.join(said)} not on the page")


# The longest date line of a year (September, a version of two digits), as each language says it.
LONG_DATE = {
    "es": (["30", "de", "septiembre", "de", "2026"], ["(versión", "12)"]),
    "en": (["30", "September", "2026"], ["(version", "12)"]),
}


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize(
    "url",
    [URL, "https://hep.example/p/k7hw2mqx9vtz4bcr8dnf3gpj6a", "https://p.example/p/x"],
    ids=["address of 50", "address of 40", "short address"],
)
@pytest.mark.parametrize("language", ["es", "en"])
def test_the_version_s_date_reads_on_one_line_or_two(started, language, url, paper):
    """The date of the paper the patient holds, in large print beside the QR code, took three
    lines (four on A4): "30 de / septiembre de / 2026 / (versión 12)". It reads on one line, or
    on two: the date whole, then "(versión 12)"; where the column beside the QR code is too
    narrow for the date, its row goes under the QR code, full width."""
    content = dataclasses.replace(
        started["torticollis left", language],
        patient_name=NAMES["short"],
        large_print=True,
        online_url=url,
        version_date=date(2026, 9, 30),
        version=12,
    )
    day, version = LONG_DATE[language]
    lines = _lines_of(_page_words(rendered(content, HandoutOptions(page_size=paper))), day + version)
    assert lines in ([day + version], [day, version]), lines


# An older link's token: base64, 43 characters, with the "-" and "_" it may hold.
OLDER = "https://planner.example.org/p/Ab3dE9xQzz7K2mP4nR5sT6-uV8wX_yZ1aB2cD3eF4gH5iJ"
ADDRESSES = {
    # As the app makes it: 50 characters, a hair over a large-print Letter line.
    "app": URL,
    "older link": OLDER,
    # No setting limits [server] public_url: a hospital's long host name and a path.
    "hospital": "https://fisioterapia-y-rehabilitacion.hospital-universitario-san-rafael.example.org"
    "/planner/p/k7hw2mqx9vtz4bcr8dnf3gpj6a",
}


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("size", [14, 18])
@pytest.mark.parametrize("address", ADDRESSES)
def test_the_typed_address_breaks_only_where_a_reader_types_on(started, address, size, paper):
    """The address to type under the QR code, longer than its column, broke inside its token
    ("…k7hw2mqx9vtz4bcr8d" over "nf3gpj6a", large print): read as two words, or as an address
    that ends early. It breaks only after a slash or a dot, or before a "-" or "_" (a line that
    ended with one read as a word broken in two: test_typed_address), each line a run of the
    address in order, in type as large as the handout's (on one page)."""
    url = ADDRESSES[address]
    content = dataclasses.replace(
        started["torticollis left", "es"], patient_name=NAMES["short"], large_print=size == 18, online_url=url
    )
    pdf = rendered(content, HandoutOptions(page_size=paper))
    typed = [c for c in glyphs(pdf) if "DejaVuSansMono" in c["fontname"]]
    lines: dict[tuple[int, float], list[dict]] = {}
    for c in typed:
        lines.setdefault((c["page"], round(c["top"])), []).append(c)
    read = ["".join(c["text"] for c in sorted(lines[key], key=lambda c: c["x0"])) for key in sorted(lines)]
    assert "".join(read) == url.split("://", 1)[1], read
    assert all(line[-1] in "/." or after[0] in "-_" for line, after in zip(read, read[1:], strict=False)), read
    assert len({page for page, _ in lines}) == 1 and min(c["size"] for c in typed) >= size - 0.01
