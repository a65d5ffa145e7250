"""How the handout uses the paper: compact by default (several exercises a page, blocks whole,
nothing alone on a page, pictures no smaller than before), one exercise a page on request.

The goal (issue #14): a program of n exercises on at most ceil((n + 2) / 2) pages at 14 pt and
n + 1 at 18 pt, Letter and A4, front page and tick sheet included. It is checked on real
programs: each shipped template as a therapist starts it, and programs of 1 to 12 of the
templates' exercises with the most to read (longest steps and cautions first).
"""

from __future__ import annotations

import dataclasses
import functools
import io
import math
import tomllib
from collections.abc import Callable
from datetime import date

import pdfplumber
import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, LETTER
from sqlalchemy import select

from planner.catalog.figure.compose import labels_in
from planner.config import ROOT
from planner.handouts.build import render
from planner.handouts.content import HandoutContent, handout_content
from planner.handouts.styles import HandoutOptions
from planner.handouts.words import of as words_of
from planner.models import Clinic, Exercise, Program, ProgramTemplate
from planner.services import program_templates, programs
from planner.services.versions import diff, snapshot
from tests.factories import catalog_session, make_patient
from tests.handout_world import (
    BALANCE,
    NOW,
    ends_with_the_sheet_alone,
    flowing_words,
    make_world,
    pages_text,
    picture_widths,
    rects,
    rendered,
    tops_of,
)

# The width of today's pictures (before the compact layout), measured from the code it replaced:
# at 14 pt every picture was 0.42 of the line, 226.8 pt on Letter and 219.8 pt on A4.
TODAY_14PT = {"letter": 226.8, "a4": 219.8}
URL = "https://exercises.example.org/p/a-long-private-token"
LANGUAGES = ("en", "es")
CASES = [(language, size, page) for language in LANGUAGES for size in (14, 18) for page in ("letter", "a4")]


def goal(n: int, size: int) -> int:
    """The most pages a program of n exercises should take (#14)."""
    return math.ceil((n + 2) / 2) if size == 14 else n + 1


def _template_exercises() -> list[str]:
    slugs: list[str] = []
    for path in sorted((ROOT / "exercises" / "templates").glob("*.toml")):
        for item in tomllib.loads(path.read_text())["items"]:
            if item["exercise"] not in slugs:
                slugs.append(item["exercise"])
    return slugs


@dataclasses.dataclass(frozen=True)
class Read:
    longest: dict[tuple[str, int], HandoutContent]  # (language, n): the n longest exercises
    templates: dict[tuple[str, str], HandoutContent]  # (language, template title): as started


@pytest.fixture(scope="module")
def read(catalog_file, tmp_path_factory) -> Read:  # noqa: ANN001
    """Handout content in English and Spanish (whose text is longer) of programs of 1 to 12 of
    the templates' exercises with the most to read, and of each shipped template as started."""
    with catalog_session(catalog_file, tmp_path_factory.mktemp("layout")) as db:
        slugs = _template_exercises()
        found = db.scalars(select(Exercise).where(Exercise.slug.in_(slugs), Exercise.clinic_id.is_(None)))
        length = {e.slug: sum(map(len, e.steps)) + sum(map(len, e.cautions)) for e in found}
        slugs.sort(key=lambda s: -length[s])
        longest = {}
        for n in range(1, 13):
            program = make_world(db, slugs=slugs[:n], notes={}, clinic_name=f"Layout Clinic {n}")
            longest |= {(language, n): handout_content(db, program, NOW, URL, language) for language in LANGUAGES}
        started = make_world(db, slugs=[], notes={}, clinic_name="Template Clinic")
        templates = {}
        for template in db.scalars(select(ProgramTemplate).order_by(ProgramTemplate.id)):
            patient = make_patient(db, db.get(Clinic, started.clinic_id), f"Ana {template.id}")
            report = program_templates.start_from_template(
                db, template, patient, started.therapist_id, date(2026, 11, 21), NOW
            )
            db.commit()
            for language in LANGUAGES:
                templates[language, template.content["title"]] = handout_content(db, report.program, NOW, URL, language)
    return Read(longest, templates)


@pytest.fixture(scope="module")
def programs_read(read) -> dict[str, HandoutContent]:  # noqa: ANN001
    """The 12-exercise program: {language: content}."""
    return {language: read.longest[language, 12] for language in LANGUAGES}


def _pdf(content: HandoutContent, size: int, page_size: str, layout: str = "compact", n: int | None = None) -> bytes:
    trimmed = dataclasses.replace(
        content, exercises=content.exercises[:n] if n else content.exercises, large_print=size == 18, layout=layout
    )
    return rendered(trimmed, HandoutOptions(page_size=page_size))  # each laid out once in this file


def _page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)  # the pages alone: their text is not read


# The pages the programs of the n longest exercises take today (n = 1 to 12): more paper fails
# here, goal or not. (en 18 Letter and es 14 Letter grew by a page at some n when the cervical
# template gained its work for each pull: longer exercises joined the templates' longest; the
# other six cases did not move. Most fell by a page at some n when the front page got the
# running header's room, less space between its lines and the QR code set the shortest way; 6
# exercises at 14 pt in English went back to 5 pages when the tick sheet was kept whole and the
# tips were no longer put between two exercises. At 18 pt each fell to n + 1, Spanish to n + 1
# or n + 2, when each exercise got its week of tick boxes under it instead of a sheet at the end.
# The jaw template's sensory trick, "Gum or a small object in the mouth", became the longest of
# the templates' exercises: every Spanish set from 1 to 12 changed, and es 14 Letter took a page
# more at 2, 9 and 11, es 18 at 6 (Letter also 8) and a page less at 12 (Letter also 7, A4 5).
# The layout did not change; the sets measured did. English did not move. The tick sheet got
# shorter (the week's date and the key to grey days on one line, 3 pt inside its cells instead
# of 4, which leaves the names more width, no "(2 times a day)" under some names) and the story
# is set another way where that saves a page (the tips on the front page, the QR code under the
# sheet, the first exercise without the heading "Your exercises"; compact.fewer_pages): 6
# exercises in English went to 4 pages (A4 also 8 to 5), Spanish 14 pt fell a page at 2, 4, 9
# and 11 (A4 2, 4 and 11), Spanish 18 pt on A4 a page at 6. Then the Spanish a clinician would
# say ("en sentido contrario al tirón", "Mantenga la posición durante 5 segundos") and the
# sensory tricks' dizziness rule made the longest Spanish exercises longer: es 14 Letter took a
# page more at 11; es 18 Letter moved by one page at six sizes, one more in all (6, 8 a page
# less; 7, 9, 10 a page more). The layout did not change; English did not move. Then the tick
# boxes went from 22.4 to 19.6 pt (the names get more width, so fewer lines a row) and the
# sheet may go on the front page, the exercises two a page after it (compact.fewer_pages): 14 pt
# fell a page at en Letter 8, en A4 10, es Letter 11, es A4 6 and 8. The front page no longer
# says the stop-and-call rule above the footer that says it: es 18 Letter fell a page at 7, 9
# and 10 (the tips fit the front page). Then the chin trick's steps came to name the recorded
# side and it became the fourth longest: es 14 A4 took a page more at 8 (the sets measured
# changed; the layout did not). Then the tick sheet's names may be cut short to a line each
# where that saves a page (a row as low as its boxes, compact.fewer_pages): 14 pt fell a page at
# en Letter 10, en A4 3 and 12, es Letter 6, es A4 8 and 10. Then the tips may go in a framed
# panel, and the QR code, at the foot of a page two exercises leave room on, where they fit
# nowhere else without a page more (filling.at_page_feet): 12 at 14 pt fell a page in English on
# Letter and in Spanish on A4. Then a step beside the picture's foot may go on under it, full
# width, as text set around a picture does (block._steps_beside), where the picture is alone on
# its side: es 14 Letter fell a page at 8 (the tips' panel fits under two exercises). Then a
# step was never cut in two there again (trial 18 F4: the eye lost the line): no count moved.)
# Then the tick sheet's heading, its week's line and its header row stood closer (12 pt lower in
# all; its rows and boxes unchanged): one exercise in English on A4 fits one page. Then the sheet
# with its names cut short (set only where that saves a page) got its rows 2 pt lower (the
# boxes 2 pt from the lines above and below them, not 3): Spanish 14 pt Letter fell a page at 10
# and 12, the last exercise and the sheet sharing a page (the goal at every n, both languages),
# and English 14 pt Letter a page at 3. Then the sheet on the front page may have its heading
# closer under the front page's last line where only that saves a page (ticksheet.CLOSER_SPACE):
# English 14 pt A4 fell a page at 5.
TODAY = {
    ("en", 14, "letter"): [2, 2, 2, 3, 4, 4, 5, 5, 6, 6, 7, 7],
    ("en", 14, "a4"): [1, 2, 2, 3, 3, 4, 5, 5, 6, 6, 7, 7],
    ("en", 18, "letter"): [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
    ("en", 18, "a4"): [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
    ("es", 14, "letter"): [2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7],
    ("es", 14, "a4"): [2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7],
    ("es", 18, "letter"): [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
    ("es", 18, "a4"): [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
}


@pytest.fixture(scope="module")
def counted(read) -> Callable[[str, int, str], list[int]]:  # noqa: ANN001
    """The pages of the programs of the 1 to 12 longest exercises in one language, type size and
    page size, counted once for the tests below."""

    @functools.cache
    def pages(language: str, size: int, page_size: str) -> list[int]:
        return [_page_count(_pdf(read.longest[language, n], size, page_size)) for n in range(1, 13)]

    return pages


@pytest.mark.parametrize(("language", "size", "page_size"), CASES)
def test_pages_for_one_to_twelve_of_the_longest_exercises_never_grow(read, counted, language, size, page_size):
    pages = counted(language, size, page_size)
    most = TODAY[language, size, page_size]
    assert all(got <= at_most for got, at_most in zip(pages, most, strict=True)), f"{pages}, at most {most}"
    # One exercise a page: the front page, a page per exercise, the tick sheet (under the last
    # exercise where it fits there, else on a page of its own); more than compact.
    for n in (3, 6, 12):
        one_a_page = _page_count(_pdf(read.longest[language, n], size, page_size, layout="page"))
        assert one_a_page >= max(n + 1, pages[n - 1])
        assert size == 18 or n < 6 or one_a_page > pages[n - 1]  # at 14 pt, paper saved


# Why the goal is missed where it is, or was (Letter: 673 pt a page at 14 pt, 650 at 18; A4 a little
# more height, less width). Blocks stay whole, so a page holds whole exercises only.
# At 14 pt an exercise takes 250-370 pt: two a page, never three (the Spanish ones 260-375 pt
# with six or seven steps, their cautions and a picture of 227 pt beside the dosage: three
# would need 224 pt each); the front page (267-340 pt with the QR code, of 697: it has no
# running header) takes the first. The tips (64-93 pt) come after the last exercise, on the
# front page above the first, or, where neither leaves room and that saves a page, in a framed
# panel at the foot of the last page two exercises leave room on (78 pt with its frame, 4 above
# it); the QR code there too where it is not on the front page (102 pt). The tick sheet, whole,
# after the last exercise or on the front page: its heading and its line for the week 52 pt,
# its header 23 and a row 26-48 pt (boxes in two lines, or a name of two lines; where that
# saves a page, each name cut short to one line, so a row is as low as its boxes, 26 pt, unless
# they take two lines). With an even number of exercises the last one shares its page with the
# sheet, or the sheet goes on the front page and the exercises two a page after it. Where the
# goal is still missed neither fits: 10 in Spanish, Letter: the first two exercises (373 + 341
# of 673, 362 + 341 without the heading "Sus ejercicios") never share a page, so the first
# takes the front page's room (316 + 8 + 373 = 697 of 697), and the last exercise and the
# sheet alone take 318 + 13 + 372 = 703 of 673 (with 8 they fit, 319 + 13 + 321 = 653, and
# the tips' panel, 81 pt with its space, fits under the sixth and seventh, 280 + 4 + 303 of
# 673). 12 exercises: the front page and the first,
# five pages of two, and the last with the sheet (a row a line: 423 pt), 271 + 13 + 423 = 707
# of 673; the sheet on the front page (261 + 13 + 423 = 697 of 697) leaves the first two
# exercises to share a page. The QR code is never set alone on a last page. Then the sheet's
# heading, its week's line and its header row stood 12 pt closer (rows and boxes unchanged):
# 318 + 7 + 361 = 686 and 271 + 7 + 412 = 690 of 673, still 13 and 17 pt over. Then the sheet
# with its names cut short got its rows 2 pt lower (boxes unchanged): 312 + 7 + 341 = 660 and
# 267 + 7 + 388 = 662 of 673, the tips in their panel under the eighth and ninth exercises:
# no program here misses the goal at 14 pt. Where one would, this says why:
MISSED_14 = (
    "14 pt: the tick sheet fits neither with the last exercise nor on the front page, or the tips fit no page's foot"
)
# At 18 pt an exercise with its week of boxes takes 380-600 pt of 650 (Letter): a page each, the
# front page (with the QR code and the line for the week's date) the first. In Spanish the tips
# (104 pt with their space) fit neither under the last exercise and its boxes (543-589 pt of
# 650-700) nor on the front page (500-630 pt of 682-732 with the QR code) together with how to
# tick (80 pt; it goes there when the first exercise, 592-603 pt with its boxes, leaves too little
# room for it, and never at the cost of a smaller picture). None is missed today: the tips go on
# the front page set closer (no space between two), or in a framed panel at the foot of an
# exercise's page with room for it, and the QR code (126 pt) there too, never alone on a page;
# an exercise alone on its page gives up its larger picture (1.5 times the 14 pt one) for them,
# keeping large print's (1.35 times). Where that fails a program would take a page more:
MISSED_18 = "18 pt, Spanish: the tips fit neither on the front page nor under the last exercise"


def _missed(language: str, size: int, page_size: str) -> dict[int, str]:
    """{n: why} for the programs that take more pages than the goal today."""
    return {
        n: MISSED_14 if size == 14 else MISSED_18
        for n, pages in enumerate(TODAY[language, size, page_size], start=1)
        if pages > goal(n, size)
    }


@pytest.mark.parametrize(
    ("language", "size", "page_size", "n"),
    [
        pytest.param(
            *case,
            n,
            marks=[pytest.mark.xfail(strict=True, reason=_missed(*case)[n])] if n in _missed(*case) else [],
        )
        for case in CASES
        for n in range(1, 13)
    ],
)
def test_a_program_of_n_exercises_fits_the_goal(counted, language, size, page_size, n):
    """#14: at most ceil((n + 2) / 2) pages at 14 pt and n + 1 at 18 pt, front page and tick
    sheet included. Where it is missed today the case is an expected failure that says why
    (strict: reaching the goal shows as a pass to be recorded here)."""
    assert counted(language, size, page_size)[n - 1] <= goal(n, size)


# Each shipped template as started (5 or 6 exercises), where the goal is not reached yet: the
# pages it takes today, by language, type size and number of exercises, Letter and A4.
TEMPLATES_TODAY = {
    # All at the goal (the writing program on Letter took 5 pages at 14 pt in English until the
    # tick sheet's names could be cut to a line; the one for moving with more ease 8 in Spanish
    # large print on Letter until the week's line could go with how to tick; the posture program
    # 7 in Spanish large print on Letter until the tips could go in a panel under an exercise
    # with room for them: with the QR code beside the facts they fit neither the front page nor
    # under the last exercise).
    ("en", 14): {},
    ("es", 14): {},
    ("en", 18): {},
    ("es", 18): {},
}


@pytest.mark.parametrize(("language", "size", "page_size"), CASES)
def test_each_template_program_fits_its_pages(read, language, size, page_size):
    said = words_of(language)
    started = [content for (lang, _), content in read.templates.items() if lang == language]
    assert len(started) >= 4
    for content in started:
        texts = pages_text(_pdf(content, size, page_size))
        n = len(content.exercises)
        # A size the table does not hold meets the goal (the cervical template as started with no
        # pattern: 4 exercises, as no sensory trick is taught without a recorded one).
        assert len(texts) <= max(goal(n, size), TEMPLATES_TODAY[language, size].get(n, 0)), (content.title, len(texts))
        # The front page's facts a row each: "How often" with its note on the front page, never
        # a heading pushed on alone (Maria's Spanish large print had "Nota" alone on page 2).
        assert said.headings["how_often"] in texts[0] and content.how_often.split("\n")[-1][:30] in texts[0]
        if size == 14 and language == "en":
            # The front page is short: the first exercise follows on it (the Spanish front page,
            # a line or two longer, leaves too little room for some templates' first exercise).
            assert f"1. {content.exercises[0].name}"[:20] in texts[0], content.title
        (qr_page,) = [n for n, text in enumerate(texts) if URL.split("://")[1] in text.replace(" ", "")]
        if size == 18:
            # Large print: no sheet; each exercise's page has its week of boxes (the days' names),
            # the line for the week's date once: on the front page, or with how to tick over the
            # first exercise (where the front page needs its room for the tips).
            assert not _pages_with(_pdf(content, size, page_size), said.headings["tick_sheet"]), content.title
            (week_line,) = [n for n, text in enumerate(texts) if said.headings["week_of"] in text]
            (first,) = _pages_with(_pdf(content, size, page_size), f"1. {_words(content.exercises[0].name)[:15]}")
            assert week_line == 0 or (week_line == first and said.how_to_use_below in texts[first]), content.title
            week = " ".join(said.days)
            for block in content.exercises:
                (page,) = _pages_with(_pdf(content, size, page_size), f"{block.number}. {_words(block.name)[:15]}")
                assert week in texts[page], (content.title, block.number)
            # The QR code once: on the front page, or after the last exercise (and the tips).
            assert qr_page in (0, len(texts) - 1), content.title
            continue
        # The tick sheet whole on one page at 14 pt: its header row once, every exercise's row on it.
        (sheet,) = _pages_with(_pdf(content, size, page_size), f"{said.headings['exercise']} {said.days[0]}")
        assert all(f"{b.number}. {_words(b.name)[:10]}" in texts[sheet] for b in content.exercises), content.title
        # The QR code once: on the front page, beside the facts, or under the sheet's last rows
        # where on the front page it would push the first exercise to page 2; never alone.
        # Or, where the sheet is on the front page, at the foot of a later page under its
        # exercises (the foot of one line leaves them room: the Spanish eyes-and-face and posture
        # programs on A4), never alone.
        assert (
            qr_page == 0
            or (qr_page == len(texts) - 1 and said.headings["exercise"] in texts[-1])
            or (sheet == 0 and len(texts[qr_page]) > 400)
        ), content.title


def _line_count(words: tuple[dict, ...]) -> int:
    """How many lines of text a page's words (flowing_words) stand on: words whose tops are
    within 3 pt of the one above are one line, however far apart across the page, as
    pdfplumber's extract_text groups them (the same count on every page of the ten handouts of
    test_blocks_stay_whole_and_nothing_is_alone_on_a_page, 123 pages)."""
    count, last = 0, None
    for top in sorted(w["top"] for w in words):
        if last is None or top > last + 3:
            count += 1
        last = top
    return count


def _pages_with(pdf: bytes, text: str) -> list[int]:
    return [i for i, page in enumerate(pages_text(pdf)) if text in page]


def _words(text: str) -> str:
    return " ".join(text.split())[:40]


WHOLE = [("en", size, page, layout) for layout in ("compact", "page") for size in (14, 18) for page in ("letter", "a4")]


@pytest.mark.parametrize(
    ("language", "size", "page_size", "layout"), [*WHOLE, ("es", 14, "letter", "compact"), ("es", 18, "a4", "compact")]
)
def test_blocks_stay_whole_and_nothing_is_alone_on_a_page(programs_read, language, size, page_size, layout):
    content = programs_read[language]
    pdf = _pdf(content, size, page_size, layout)
    texts = pages_text(pdf)
    where = {}
    for block in content.exercises:
        # The name, the dosage and the last step on one page (the picture is checked below); the
        # name is on the tick sheet's page too, which may be the front page.
        named = _pages_with(pdf, _words(f"{block.number}. {block.name}"))
        # Its dosage and last step with it: the tick sheet's page names it too, and may hold
        # another exercise of the same dosage ("Keep going for 5 minutes…").
        here = [n for n in named if _words(block.dosage) in texts[n] and _words(block.steps[-1]) in texts[n]]
        (page,) = here or named[:1]
        where[block.number] = page
        assert _words(block.dosage) in texts[page], block.name
        assert _words(block.steps[-1]) in texts[page], block.name
    start = labels_in(language)["Start"]
    # Read with PDFium: a label's text and type size, and where lines stand, are all this needs
    # (pdfplumber's positions to a tenth of a point are not); pdfplumber took 9 in 10 of the time.
    for number, words in enumerate(flowing_words(pdf)):
        labels = [w for w in words if w["text"] == start and abs(w["size"] - size) > 0.5]
        names = [n for n, at in where.items() if at == number]
        assert len(labels) == len(names), f"page {number + 1}: a picture apart from its exercise"
        # Header and footer are 3 lines; a page holds more than one line besides them, and
        # the QR code's page has something else on it too (the front page, the tips or the sheet).
        lines = _line_count(words)
        assert lines > 3 + 2, f"page {number + 1} holds almost nothing: {lines} lines, {texts[number]}"
    said = words_of(language)
    # The tips whole on one page, after the last exercise, at the foot of the front page the
    # first exercise leaves, or (a framed panel) at the foot of a page, after its last exercise:
    # never between two exercises of one page (the patient does them in order).
    assert content.advice
    (tips,) = _pages_with(pdf, said.headings["day"])
    text = " ".join(texts[tips].split())
    assert all(_words(line)[:30] in text for line in content.advice)
    if tips == 0 and where[1] == 0:  # above the first exercise, on the front page
        assert texts[0].index(said.headings["day"]) < texts[0].index(_words(f"1. {content.exercises[0].name}"))
    else:
        assert all(
            text.index(said.headings["day"]) > text.index(_words(f"{n}. {b.name}"))
            for n, b in enumerate(content.exercises, 1)
            if where[n] == tips
        ), tips
    (qr_page,) = [n for n, t in enumerate(texts) if URL.split("://")[1] in t.replace(" ", "")]
    # Never alone: with the front page, the sheet, the tips or an exercise.
    assert (
        any(text in texts[qr_page] for text in (content.title, said.headings["tick_sheet"], said.headings["day"]))
        or qr_page in where.values()
    )
    if layout == "page":
        assert sorted(where.values()) == list(range(1, 13)), where


@pytest.fixture(scope="module")
def demo_read(catalog_file, tmp_path_factory) -> dict[tuple[str, str], HandoutContent]:  # noqa: ANN001
    """{(patient, language): content} of the demo's five programs (`flask demo`), as printed
    from the builder: no private link yet, so no QR code."""
    from planner.demo import load_demo
    from tests.conftest import CATALOG

    read = {}
    with catalog_session(catalog_file, tmp_path_factory.mktemp("demo")) as db:
        load_demo(db, NOW.date(), NOW, CATALOG)
        db.commit()
        for program in db.scalars(select(Program).where(Program.archived_at.is_(None))):
            read |= {
                (program.patient.name, language): handout_content(db, program, NOW, None, language)
                for language in LANGUAGES
            }
    return read


# The demo's handouts that miss the goal today, and why: none. Maria's six exercises in
# Spanish at 14 pt on Letter took 5 pages: the front page and the first, two a page after it,
# and the last shared its page with the tips (3 of two lines: 134 pt) and the sheet (a row a
# line: 270 pt), 285 + 13 + 134 + 13 + 270 = 714 of 673; with the sheet on the front page the
# last two exercises and the tips took 252 + 4 + 285 + 13 + 134 = 687 of 673. Now the tips go
# in a framed panel (128 pt and 4 above it) at the foot of that page: 537 + 4 + 128 of 673.
DEMO_MISSED: dict[tuple[str, int, str], str] = {}


@pytest.mark.parametrize(
    ("language", "size", "page_size"),
    [
        pytest.param(
            *case, marks=[pytest.mark.xfail(strict=True, reason=DEMO_MISSED[case])] if case in DEMO_MISSED else []
        )
        for case in CASES
    ],
)
def test_the_demos_handouts_fit_the_goal(demo_read, language, size, page_size):
    """The five demo patients' handouts, in English and Spanish, on the goal's pages. Maria's and
    Olga's Spanish large print took a page more for the tips alone (8 and 7 pages on Letter):
    the line for the week's date now goes with how to tick where the front page needs its room."""
    said = words_of(language)
    for (patient, lang), content in demo_read.items():
        if lang != language:
            continue
        texts = pages_text(_pdf(content, size, page_size))
        assert len(texts) <= goal(len(content.exercises), size), (patient, len(texts))
        if size == 18:
            (week_line,) = [n for n, text in enumerate(texts) if said.headings["week_of"] in text]
            assert said.how_to_use_below in texts[week_line] or week_line == 0, patient
            # The tips never alone on the last page.
            assert said.headings["day"] not in texts[-1] or f"{len(content.exercises)}. " in texts[-1], patient


@pytest.mark.parametrize("online", [True, False], ids=["qr", "no-link"])
@pytest.mark.parametrize(("language", "size", "page_size"), CASES)
def test_no_page_holds_only_a_short_block(read, language, size, page_size, online):
    """Nothing alone on a page: every page after the front page holds an exercise or the tick
    sheet, never only the tips, the QR code, how to tick or a heading, with the patient's link
    (the QR code) or without it (a preview, a patient with no link). Maria's Spanish large print
    ended on a page of three tips; then on a page of four (the preview) or of the tips and the
    QR code (emailed): short blocks both."""
    said = words_of(language)
    for n in range(1, 13):
        content = read.longest[language, n]
        content = content if online else dataclasses.replace(content, online_url=None)
        for number, text in enumerate(pages_text(_pdf(content, size, page_size))[1:], start=2):
            names = [f"{b.number}. {_words(b.name)[:12]}" for b in content.exercises]
            assert said.headings["tick_sheet"] in text or any(name in text for name in names), (n, number, text)


@pytest.mark.parametrize(
    ("language", "page_size"), [(language, page) for language in LANGUAGES for page in ("letter", "a4")]
)
def test_the_tick_sheet_never_stands_alone_on_the_last_page(read, demo_read, balance_read, language, page_size):
    """Nothing alone on a page, at 14 pt, compact: the last page holds more than the tick sheet
    (and the QR code under it), for the programs of the 1 to 12 longest exercises with the
    patient's link and without it, each template as started, the demo's five and trial 18's
    balance program (each laid out once in this file, by the tests above and below). An odd
    number of exercises, two a page after the first on the front page, ended on a page of the
    sheet alone, most of it empty (paper21: 28 of five exercises), the tips on an earlier page."""
    programs = [
        *(read.longest[language, n] for n in range(1, 13)),
        *(dataclasses.replace(read.longest[language, n], online_url=None) for n in range(1, 13)),
        *(content for (lang, _), content in read.templates.items() if lang == language),
        *(content for (_, lang), content in demo_read.items() if lang == language),
        balance_read[language],
    ]
    alone = [
        (content.title[:30], len(content.exercises), content.online_url is not None)
        for content in programs
        if ends_with_the_sheet_alone(_pdf(content, 14, page_size), language)
    ]
    assert not alone


@pytest.mark.parametrize(("language", "size", "page_size"), [case for case in CASES if case[1] == 14])
def test_a_tick_sheet_a_page_holds_is_never_broken(read, language, size, page_size):
    """Six exercises: the sheet, its heading and lines, and the QR code under it stay on one page
    (moved on whole to the next page where the last exercise leaves too little room)."""
    content = read.longest[language, 6]
    said = words_of(language)
    texts = pages_text(_pdf(content, size, page_size))
    (sheet,) = _pages_with(_pdf(content, size, page_size), f"{said.headings['exercise']} {said.days[0]}")
    assert said.headings["tick_sheet"] in texts[sheet] and said.headings["week_of"] in texts[sheet]
    assert all(f"{b.number}. {_words(b.name)[:10]}" in texts[sheet] for b in content.exercises)
    assert URL.split("://")[1] in texts[sheet].replace(" ", "") or URL.split("://")[1] in texts[0].replace(" ", "")


# Trial 18's balance program as its Arabic patient had it (the first ten): a name of 120 Arabic
# letters, the sit-to-stand first with a note, notes on two more; one a page at 18 pt its first
# step was cut beside the picture.
BALANCE_NOTES = {
    0: "Hold the kitchen counter with both hands the whole time.",
    3: "Only on good days. Skip it if your balance feels off this morning.",
    6: "Ask your husband to stand next to you the first week.",
}


@pytest.fixture(scope="module")
def balance_read(catalog_file, tmp_path_factory) -> dict[str, HandoutContent]:  # noqa: ANN001
    """{language: content} of trial 18's balance program."""
    name = "فاطمة الزهراء بنت عبد الله بن أحمد بن يوسف الأنصاري التلمساني المغربي"
    with catalog_session(catalog_file, tmp_path_factory.mktemp("balance")) as db:
        program = make_world(
            db, patient_name=f"{name} {name}"[:120], slugs=BALANCE[:10], notes=BALANCE_NOTES, title="Balance at home"
        )
        read = {language: handout_content(db, program, NOW, URL, language) for language in LANGUAGES}
    return read


@pytest.mark.parametrize("layout", ["compact", "page"])
@pytest.mark.parametrize(("language", "size", "page_size"), CASES)
def test_a_step_is_read_whole_beside_the_picture_or_under_it_in_order(
    read, demo_read, balance_read, language, size, page_size, layout
):
    """A step that starts in the column beside the picture ends there: it never goes on under the
    picture at the left margin, mid-sentence, where a patient with low vision or a head tremor
    loses the line (trial 18 F4: the demo's Maria handout, 18 pt, "1. Acuéstese boca arriba"
    beside the picture, "en la cama. Apoye la cabeza..." under it). A step that cannot end
    beside the picture starts under it, full width; the steps are read in their order, each
    starting below the one before. Over the longest exercises' programs (12, and 8 compact),
    trial 18's balance program and the demo's five (compact), as printed."""
    compact = layout == "compact"
    programs = [read.longest[language, 12], balance_read[language]]
    if compact:
        programs += [read.longest[language, 8], *(c for (_, lang), c in demo_read.items() if lang == language)]
    beside, width = 0, {"letter": LETTER, "a4": A4}[page_size][0]
    for content in programs:
        read_on: dict[int, int] = {}  # {exercise: the page its steps were read on}
        for page, words in enumerate(flowing_words(_pdf(content, size, page_size, layout)), start=1):
            texts = [w["text"] for w in words]
            for block in content.exercises:
                # From the exercise's name (in the heading's type, not the tick sheet's), its
                # steps in the order drawn, each in the body's type, on one line or several.
                heading = [f"{block.number}.", *block.name.split()[:3]]
                at = [
                    i
                    for i in range(len(texts))
                    if texts[i : i + len(heading)] == heading and words[i]["size"] == pytest.approx(size * 1.3, abs=0.2)
                ]
                if not at:
                    continue
                read_on[block.number], after, tops = page, at[0], []
                for n, step in enumerate(block.steps, 1):
                    wanted = [f"{n}.", *step.split()]
                    start = next(
                        (
                            i
                            for i in range(after, len(texts))
                            if texts[i : i + len(wanted)] == wanted
                            and all(w["size"] == pytest.approx(size, abs=0.2) for w in words[i : i + len(wanted)])
                        ),
                        None,
                    )
                    assert start is not None, (content.title, page, block.number, n, "not read whole")
                    first, *rest = words[start : start + len(wanted)]
                    after = start + len(wanted)
                    tops.append(first["top"])
                    if first["x0"] > width / 3:  # it starts in the column beside the picture
                        beside += 1
                        # and ends there: all its words right of its number, none at the margin.
                        margin = [w["text"] for w in rest if w["x0"] < first["x0"] - 1]
                        assert not margin, (content.title, page, block.number, n, margin)
                # Read in order: each step starts below the one before (beside it, then under it).
                assert tops == sorted(tops) and len(set(tops)) == len(tops), (content.title, page, block.number)
        assert sorted(read_on) == [b.number for b in content.exercises], (content.title, read_on)
    # Steps that end beside the picture stay there: the compact layout sets some beside it.
    assert beside or not compact


# (es Letter at 6 cut its names until the sheet's heading and lines stood closer; now at 8.)
@pytest.mark.parametrize(
    ("language", "page_size", "n"), [("en", "letter", 10), ("en", "a4", 12), ("es", "letter", 8), ("es", "a4", 10)]
)
def test_the_tick_sheet_cuts_names_to_a_line_only_where_that_saves_a_page(read, counted, language, page_size, n):
    """Where the whole names (two lines a row) would take a page more, each row of the sheet is
    one line, as low as its boxes: the exercise's number and its name, cut after a whole word
    with "…" where it is longer, never after a little word ("on the", "en la"). A program one
    exercise shorter, which the goal allows a page less for anyway, keeps the whole names."""
    said = words_of(language)
    little = {"en": {"a", "on", "the", "with", "of"}, "es": {"a", "con", "de", "el", "en", "la", "un", "y"}}[language]
    content = read.longest[language, n]
    assert counted(language, 14, page_size)[n - 1] <= goal(n, 14)
    pdf = _pdf(content, 14, page_size)
    (sheet,) = _pages_with(pdf, said.headings["tick_sheet"])
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        lines = [" ".join(line.split()) for line in doc.pages[sheet].extract_text().splitlines()]
    header = f"{said.headings['exercise']} {said.days[0]}"
    lines = lines[[n for n, line in enumerate(lines) if line.startswith(header)][-1] + 1 :]  # the rows
    cut = 0
    for block in content.exercises:
        (at,) = [n for n, line in enumerate(lines) if line.startswith(f"{block.number}. ")]
        name = " ".join(block.name.split())
        shown = lines[at].removeprefix(f"{block.number}. ").strip()
        # A row of two lines of boxes (3 times a day) holds two lines of its name, and a name
        # kept whole where the room under the sheet holds it (closing.names_whole): its next line.
        rest = lines[at + 1] if at + 1 < len(lines) else ""
        if not shown.endswith("…") and shown != name and rest and not rest.split()[0].rstrip(".").isdigit():
            shown = f"{shown} {rest}"
        if shown.endswith("…"):
            cut += 1
            kept = shown.removesuffix("…")
            assert name.startswith(kept) and len(kept.split()) >= 2, (shown, name)
            assert kept.split()[-1].strip(",").casefold() not in little, shown
        else:
            assert shown == name, (shown, name)  # whole, on its line (or the two its boxes take)
    assert cut >= 2
    # One exercise fewer: a page fewer is the goal anyway; the names stay whole.
    fewer = " ".join(
        next(
            t
            for t in pages_text(_pdf(read.longest[language, n - 1], 14, page_size))
            if said.headings["tick_sheet"] in t
        ).split()
    )
    assert "…" not in fewer
    assert all(f"{b.number}. {' '.join(b.name.split())}" in fewer for b in read.longest[language, n - 1].exercises)


@pytest.mark.parametrize(("language", "page_size"), [("en", "letter"), ("es", "a4")])
def test_a_tick_sheet_taller_than_a_page_breaks_between_whole_rows(programs_read, language, page_size):
    """12 exercises, one a page, in large print (where a sheet of 12 rows of 37-145 pt is taller
    than a page): the sheet breaks between rows, never inside one; the next page starts with the
    heading "(continued)" and the header row again; never fewer than two rows on either side."""
    content = dataclasses.replace(programs_read[language], large_print=True, layout="page")
    said = words_of(language)
    pdf = render(content, HandoutOptions(page_size=page_size))
    texts = pages_text(pdf)
    header = f"{said.headings['exercise']} {' '.join(said.days)}"
    sheet = _pages_with(pdf, header)  # the header row on each page of the sheet
    assert len(sheet) == 2 and sheet[1] == sheet[0] + 1 == len(texts) - 1, sheet
    assert said.headings["tick_sheet"] in texts[sheet[0]]
    assert said.headings["tick_sheet_continued"] in texts[sheet[1]].replace("\n", " ")
    on = {page: [b for b in content.exercises if f"{b.number}. {_words(b.name)[:12]}" in texts[page]] for page in sheet}
    assert sorted(b.number for rows in on.values() for b in rows) == list(range(1, 13))
    assert min(len(rows) for rows in on.values()) >= 2, {page: [b.number for b in rows] for page, rows in on.items()}
    # Each row whole: all the boxes of the exercises named on a page are on that page.
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in sheet:
            boxes = [
                r
                for r in doc.pages[page].rects
                if r["stroke"] and abs(r["width"] - r["height"]) < 0.5 and r["width"] > 25
            ]
            assert len(boxes) == sum(max(1, b.times_per_day or 1) * len(b.due_days) for b in on[page]), page


# Three exercises whose middle one, in large print, has a page of its own with room to spare
# (therapist trial 12: the chin trick's finger was a few millimetres, 35-45 % of its page empty).
ALONE_PROGRAMS = {
    "chin trick": ["head-midline-mirror", "sensory-trick-chin-touch", "belly-breathing-lying"],
    "mirror": ["chin-nod-head-lift", "head-midline-mirror", "belly-breathing-lying"],
}


@pytest.fixture(scope="module")
def alone_read(catalog_file, tmp_path_factory) -> dict[tuple[str, str], HandoutContent]:  # noqa: ANN001
    """{(program, language): content} of ALONE_PROGRAMS."""
    read = {}
    with catalog_session(catalog_file, tmp_path_factory.mktemp("alone")) as db:
        for name, slugs in ALONE_PROGRAMS.items():
            program = make_world(db, slugs=slugs, notes={}, clinic_name=f"Alone Clinic {name}")
            read |= {(name, language): handout_content(db, program, NOW, URL, language) for language in LANGUAGES}
    return read


@pytest.mark.parametrize(
    ("program", "language", "page_size", "layout"),
    [
        (program, language, page, layout)
        for program in ALONE_PROGRAMS
        for language in LANGUAGES
        for page in ("letter", "a4")
        for layout in ("compact", "page")
    ],
)
def test_an_exercise_alone_on_its_page_in_large_print_takes_a_larger_picture(
    alone_read, program, language, page_size, layout
):
    """In large print an exercise with a page of its own lets its picture use the page: at least
    1.5 times the 14 pt picture's width (it was 1.35 times, over a third of the page empty), in
    the compact layout and one exercise a page alike, on no more pages than before; 14 pt keeps
    its pictures."""
    content = alone_read[program, language]
    large = _pdf(content, 18, page_size, layout)
    at_14 = picture_widths(_pdf(content, 14, page_size, layout))
    at_18 = picture_widths(large)
    assert len(at_14) == len(at_18) == 3
    assert at_18[1] >= 1.5 * TODAY_14PT[page_size] - 0.5, at_18
    assert at_18[1] >= 1.5 * at_14[1] - 0.5, (at_14, at_18)
    assert min(at_14) >= TODAY_14PT[page_size] - 0.5, at_14
    texts = pages_text(large)
    sheet = words_of(language).headings["tick_sheet"]
    pages = [
        n
        for n, text in enumerate(texts)
        if f"2. {_words(content.exercises[1].name)[:12]}" in text and sheet not in text
    ]
    assert len(pages) == 1 and not any(
        f"{b.number}. {_words(b.name)[:12]}" in texts[pages[0]] for b in (content.exercises[0], content.exercises[2])
    ), texts
    if layout == "compact":
        assert len(texts) <= goal(3, 18), len(texts)


@pytest.mark.parametrize(
    ("language", "page_size"), [(language, page) for language in LANGUAGES for page in ("letter", "a4")]
)
def test_pictures_no_smaller_than_before_at_14_pt_and_larger_at_18_pt(programs_read, language, page_size):
    """Large print's pictures 1.35 times as wide as 14 pt's (a therapist trial found 1.13 times
    too little to see better). Only the first and the last exercise, whose pages hold how to
    tick, the tips or the QR code too, may take a picture 1.13 times as wide where that saves a
    page (the Spanish programs of 12 here), never less: also where room is short, in Spanish."""
    longest = programs_read[language]
    at_14 = picture_widths(_pdf(longest, 14, page_size))
    at_18 = picture_widths(_pdf(longest, 18, page_size))
    assert len(at_14) == len(at_18) == 12
    assert min(at_14) >= TODAY_14PT[page_size] - 0.5, at_14
    # Exercise by exercise (a lying figure, drawn wide, is placed wider at both sizes).
    grown = [large / body for body, large in zip(at_14, at_18, strict=True)]
    assert min(grown) >= 1.13 and min(grown[1:-1]) >= 1.35, (at_14, at_18)
    # Their "Start" labels: never under 12 pt, and larger in large print.
    labels_14, labels_18 = (
        _label_sizes(_pdf(longest, 14, page_size), 14, language),
        _label_sizes(_pdf(longest, 18, page_size), 18, language),
    )
    assert len(labels_14) == len(labels_18) == 12
    assert min(labels_14) >= 12 - 0.05, labels_14
    assert all(large >= body + 1 for body, large in zip(labels_14, labels_18, strict=True)), (labels_14, labels_18)


def _label_sizes(pdf: bytes, body: int, language: str = "en") -> list[float]:
    start = labels_in(language)["Start"]
    return [
        w["size"] for words in flowing_words(pdf) for w in words if w["text"] == start and abs(w["size"] - body) > 0.5
    ]


def test_the_therapist_picks_one_exercise_a_page_and_the_version_says_so(catalog_db):
    program = make_world(catalog_db, slugs=["chin-tuck-sitting", "shoulder-rolls", "bridge"], notes={})
    assert program.handout_layout == "compact"
    before = snapshot(program, None)
    details = programs.ProgramDetails(
        **{name: getattr(program, name) for name in programs.ProgramDetails.__dataclass_fields__}
    )
    details.handout_layout = "page"
    programs.update_details(catalog_db, program, details, program.lock_version, NOW)
    catalog_db.commit()
    content = handout_content(catalog_db, program, NOW)
    assert content.layout == "page"
    texts = pages_text(render(content, HandoutOptions()))
    assert "1. Chin tuck" in texts[1] and "2. Shoulder" not in texts[1]
    assert "2. Shoulder rolls" in texts[2] and "3. Bridge" not in texts[2]
    # The tick sheet of three rows fits under the last exercise: there, not on a page alone.
    assert len(texts) == 4 and "3. Bridge" in texts[3] and "Tick a box" in texts[3]
    assert texts[3].index("3. Bridge") < texts[3].index("Tick a box")
    assert "Handout layout changed from “compact” to “one exercise a page”." in diff(before, snapshot(program, None))
    details.handout_layout = "poster"
    with pytest.raises(programs.DomainError):
        programs.update_details(catalog_db, program, details, program.lock_version, NOW)


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_one_a_page_puts_a_short_tick_sheet_under_the_last_exercise_not_on_a_page_alone(
    catalog_db, programs_read, paper
):
    """Trial 17, F4: one exercise, one exercise a page, 14 pt: page 3 held only the tick sheet's
    heading and a one-row table (15 % of the page); it fits under the exercise on page 2. Twelve
    rows fit under the twelfth exercise, whole (on Letter since the sheet with names cut short
    has its rows 2 pt lower; on A4, 50 pt taller, before). A sheet that does not fit there (the
    twelve longest exercises on Letter) still starts a page of its own; on A4 it fits under the
    last since the foot takes one line (session 23)."""
    program = make_world(catalog_db, slugs=["chin-tuck-sitting"], notes={0: "Use the blue pillow."})
    content = dataclasses.replace(
        handout_content(catalog_db, program, NOW, URL), layout="page", paper_size=paper, large_print=False
    )
    texts = pages_text(render(content, HandoutOptions(page_size=paper)))
    assert len(texts) == 2, texts
    assert "Tick a box" not in texts[0] and "1. Chin tuck" not in texts[0]
    assert texts[1].index("1. Chin tuck") < texts[1].index("Tick a box") < texts[1].rindex("Chin tuck")
    # Twelve: a page each, the sheet under the last; the twelve longest: the sheet on its own page
    # on Letter (it fits under no exercise), under the last on A4.
    program = make_world(catalog_db, clinic_name="Twelve Clinic")
    twelve = handout_content(catalog_db, program, NOW, URL)
    for content, under_last in ((twelve, True), (programs_read["en"], paper == "a4")):
        content = dataclasses.replace(content, layout="page", paper_size=paper, large_print=False)
        texts = pages_text(render(content, HandoutOptions(page_size=paper)))
        sheet = [n for n, text in enumerate(texts) if "Tick a box" in text]
        assert sheet == [len(texts) - 1] and len(texts) == 14 - under_last, [t[:40] for t in texts]
        above = texts[-1].split("Tick a box")[0]
        named = [f"{b.number}. {b.name.split()[0]}" for b in content.exercises]
        assert [name for name in named if name in above] == (named[-1:] if under_last else [])
        assert all(name in texts[-1].split("Tick a box")[1] for name in named)  # the sheet whole


def _photo_of(width: int, height: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (90, 140, 200)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize("page_size", ["letter", "a4"])
def test_a_wide_picture_is_placed_wider_not_padded(programs_read, page_size):
    """A picture wider than the figures' 2 : 1 (a lying figure drawn wide, a clinic's wide photo)
    is placed wider, so what it shows is larger; the dosage and the steps stay beside it."""
    content = programs_read["en"]
    first, second = content.exercises[:2]
    shaped = [
        dataclasses.replace(first, photo=_photo_of(600, 300)),
        dataclasses.replace(second, photo=_photo_of(900, 300)),
    ]
    pdf = _pdf(dataclasses.replace(content, exercises=shaped), 14, page_size)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        images = [(i, page.extract_words()) for page in doc.pages for i in page.images]
    (usual, _), (wide, words) = images
    width, height = (lambda i: i["x1"] - i["x0"]), (lambda i: i["bottom"] - i["top"])
    assert width(usual) == pytest.approx(TODAY_14PT[page_size], abs=0.5)
    # At 14 pt 1.18 times as wide (block.WIDE_AT_BODY), so large print's stays larger.
    assert width(wide) == pytest.approx(width(usual) * 1.18, abs=0.5)
    assert height(wide) == pytest.approx(height(usual) * 1.18 * 2 / 3, abs=0.5)
    # The dosage's first words beside it, right of the picture, at its top.
    beside = [w["text"] for w in words if w["x0"] > wide["x1"] and wide["top"] - 2 <= w["top"] < wide["top"] + 20]
    assert " ".join(beside).startswith(" ".join(second.dosage.split()[:2])), beside


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_front_page_says_the_stop_rule_once_and_every_tip_has_its_bullet(programs_read, language):
    """Trial 11: page 1 said "Stop and call us ..." twice (above the footer that says it on
    every page), and the therapist's own advice printed as a paragraph under the bulleted tips."""
    content = programs_read[language]
    said = words_of(language)
    texts = pages_text(_pdf(content, 14, "letter"))
    assert all(" ".join(text.split()).count(said.safety) == 1 for text in texts)
    (tips,) = [" ".join(text.split()) for text in texts if said.headings["day"] in text]
    for line in [*content.advice, *content.advice_text.splitlines()]:
        assert f"• {_words(line)[:30]}" in tips, line


# Maria's large print (therapist trial 13): how often had the days of two exercises and the
# program's note, too long for a row at 18 pt; it went under the rows with a heading of its own,
# after how long, with the line for the week's date between the two.
LONG_OFTEN = "\nExercise 1: only Monday, Wednesday and Friday.\nNote: Start lying down: your neck is calmer there."


@pytest.mark.parametrize("layout", ["compact", "page"])
@pytest.mark.parametrize(("language", "size", "page_size"), CASES)
def test_the_front_page_says_how_often_before_how_long_and_the_week_dates_the_boxes(
    read, language, size, page_size, layout
):
    """How often, then how long, on every layout, however long how often is; in large print
    (the boxes under each exercise) the line for the week's date goes with how to tick, above
    the first exercise, or after the facts on the front page, never among them."""
    said = words_of(language)
    for n in (1, 7):
        content = read.longest[language, n]
        for often in (content.how_often, content.how_often + LONG_OFTEN):
            texts = pages_text(_pdf(dataclasses.replace(content, how_often=often), size, page_size, layout))
            front = texts[0]
            assert front.index(said.headings["how_often"]) < front.index(said.headings["how_long"]), (n, often)
            weeks = _pages_with_text(texts, said.headings["week_of"])
            if size == 14 or layout == "page":
                continue  # on the tick sheet (test_a_tick_sheet_a_page_holds_is_never_broken)
            (week,) = weeks
            if week == 0:
                # On the front page after every fact (how long is the last), where how to tick and
                # the week's date do not fit a page with the first exercise's large picture.
                assert front.index(said.headings["how_long"]) < front.index(said.headings["week_of"]), front
            else:
                # With how to tick, above the first exercise and its boxes.
                first = _words(f"1. {content.exercises[0].name}")
                assert week == _pages_with_text(texts, first)[0], (n, week)
                text = texts[week]
                how = said.lead(n, "below")[1]  # (one exercise: "Do it slowly…")
                assert text.index(how[:30]) < text.index(said.headings["week_of"]) < text.index(first)


def _pages_with_text(texts: list[str], text: str) -> list[int]:
    return [i for i, page in enumerate(texts) if text in page]


@pytest.mark.parametrize(("size", "page_size"), [(14, "letter"), (14, "a4"), (18, "letter"), (18, "a4")])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_qr_code_hint_stays_beside_it_and_the_facts_stay_one_table(read, language, size, page_size):
    """The sentence on how to use the QR code ("Point your phone's camera at the square…") is
    read with the QR code, never between two fact rows (therapist trial 13: between "Your goals"
    and "Your visits"), on every template's front page that holds the QR code."""
    said = words_of(language)
    hint = " ".join(said.online.split()[:4])
    checked = 0
    for (lang, title), content in read.templates.items():
        if lang != language:
            continue
        pdf = _pdf(content, size, page_size)
        width, drawn = rects(pdf, 0)
        # The QR code: its modules are the small black squares on the right half of the page.
        modules = [r for r in drawn if r["width"] < 12 and r["height"] < 12 and r["x0"] > width / 2]
        if not modules:
            continue  # the QR code went under the last exercise or the tick sheet
        checked += 1
        qr_top, qr_bottom = min(r["top"] for r in modules), max(r["bottom"] for r in modules)
        (found,) = tops_of(pdf, 0, hint)
        line = size * 1.2
        # Beside the QR code, or right above it (a line or two, full width).
        assert qr_top - 3.5 * line <= found <= qr_bottom + line, (title, found, qr_top, qr_bottom)
        labels = [said.headings[key] + ":" for key in ("for", "therapist", "date", "check_up", "how_long")]
        rows = [tops[0] for label in labels if (tops := tops_of(pdf, 0, label))]
        # Not inside the table: above its first row or under its last.
        assert found < min(rows) or found > max(rows), (title, found, rows)
    assert checked >= 2


# Maria's program (therapist trial 13): seven exercises for a neck that turns and tilts to the
# right with a tremor, a clinic address of three lines, four tips. Her Spanish large print on A4
# took 9 pages, the last holding only the tips (the preview) or the tips and the QR code
# (emailed): the tips fit neither on the front page nor under the last exercise, and the QR
# code's page starts were measured against an ordinary page's room, not the front page's.
MARIA = [
    "neck-turn-lying",
    "sensory-trick-cheek-touch",
    "neck-turn-lying-hold",
    "neck-tilt-lying-hold",
    "shoulders-level-mirror",
    "head-rest-high-chair",
    "belly-breathing-lying",
]
MARIA_ADVICE = [
    "Set your screen straight ahead, at eye level, so you do not turn or tilt your head.",
    "Use a chair with a high back and arm rests. Let it support your head and arms.",
    "Rest lying down on your back for a few minutes when your muscles feel tired or pulled.",
    "Stress can make spasms worse. Use your breathing exercise before a hard task.",
]


@pytest.fixture(scope="module")
def maria_read(catalog_file, tmp_path_factory) -> HandoutContent:  # noqa: ANN001
    with catalog_session(catalog_file, tmp_path_factory.mktemp("maria")) as db:
        program = make_world(db, patient_name="María José Núñez-Peña", large_print=True, slugs=MARIA, notes={})
        program.advice, program.advice_text = MARIA_ADVICE, ""
        program.goals = "Poder caminar al mercado con la cabeza recta.\nLeer 20 minutos sin dolor."
        program.frequency = "Start lying down, where the neck is calmest."
        clinic = db.get(Clinic, program.clinic_id)
        clinic.address, clinic.phone = "12 Harbour Road\nSuite 3\nPortland, OR 97201", "+1 503 555 0142"
        db.commit()
        content = handout_content(db, program, NOW, URL, "es")
    return content


@pytest.mark.parametrize("page_size", ["a4", "letter"])
@pytest.mark.parametrize("online", [True, False], ids=["qr", "no-link"])
def test_marias_large_print_fits_n_plus_one_pages_with_no_page_of_tips_alone(maria_read, online, page_size):
    """On Letter it took 9 pages until the tips could go on the front page set closer (no space
    between two) and the QR code at the foot of an exercise's page with room for it."""
    content = maria_read if online else dataclasses.replace(maria_read, online_url=None)
    said = words_of("es")
    texts = pages_text(_pdf(content, 18, page_size))
    assert len(texts) <= goal(len(MARIA), 18), len(texts)
    for number, text in enumerate(texts[1:], start=2):
        assert any(f"{b.number}. {_words(b.name)[:12]}" in text for b in content.exercises), (number, text)
    (tips,) = _pages_with_text(texts, said.headings["day"])
    assert all(_words(line)[:30] in texts[tips] for line in content.advice)


# The trial's note (therapist trial 16, F1): three sentences, 272 characters, on the first exercise.
LONG_NOTE = ("Hágalo por la mañana, después de la ducha caliente, cuando los músculos están más sueltos. " * 3).strip()


TRIAL_16 = ["knee-rolls-lying", "trunk-turn-sitting", "bridge", "sit-to-stand", "sitting-tall-firm-chair"]
# The rest of the trial's twelve (its clinic's own towel roll exercise, in English, as the last).
TRIAL_16_MORE = [
    "belly-breathing-lying",
    "ankle-circles",
    "ankle-pumps",
    "arm-lift-forward-sitting",
    "arm-lift-side-sitting",
    "prone-arm-lift-sides",
    "chin-tuck-sitting",
]


@pytest.fixture(scope="module")
def noted(catalog_file, tmp_path_factory) -> dict[str, HandoutContent]:  # noqa: ANN001
    """The trial's program in Spanish, the note on its first exercise, for a short and a long name."""
    found = {}
    with catalog_session(catalog_file, tmp_path_factory.mktemp("noted")) as db:
        for key, name in (
            ("short", "Ana Ruiz"),
            ("long", ("María José Fernández-Núñez de la Peña " * 4)[:120]),
            ("trial", "María José Fernández"),
            ("trial-12", "María José Fernández"),
        ):
            slugs = [*TRIAL_16, *TRIAL_16_MORE] if key == "trial-12" else TRIAL_16
            program = make_world(db, patient_name=name, slugs=slugs, notes={0: LONG_NOTE}, clinic_name=key)
            if key.startswith("trial"):
                # The trial's front page as printed: the clinic's address, phone and email, two
                # goals, a visit a week, a note on when: with the QR code beside the facts it left
                # room for how to do the exercises, not for them and the first one (F1, short name).
                clinic = db.get(Clinic, program.clinic_id)
                clinic.address, clinic.phone = "12 Harbour Road, Springfield", "555-0142"
                clinic.email = "front-desk@demo-physio.example"
                program.goals = (
                    "Levantarme de la silla con más facilidad. Sentarme con la espalda recta a la hora de comer."
                )
                program.visit_plan = "Una visita por semana durante 8 semanas"
                program.title = "Su programa en casa para moverse con más facilidad"
                program.frequency = "Elija una hora del día en que tenga el cuerpo suelto y descansado."
                db.commit()
            found[key] = handout_content(db, program, NOW, URL, "es")
    return found


@pytest.mark.parametrize("layout", ["compact", "page"])
@pytest.mark.parametrize("page_size", ["letter", "a4"])
@pytest.mark.parametrize("name", ["short", "long", "trial", "trial-12"])
def test_a_first_exercise_with_a_long_note_stays_whole_in_large_print(noted, name, page_size, layout):
    """At 18 pt the first exercise with the trial's note is shorter than a page, but not with the
    exercises' heading and how to use them above it: it broke, and the next page held its last
    line and its tick boxes under "1. … (continued)". The block must stay whole: its lead at the
    foot of the front page (the QR code then at the end, where the front page has no room for
    both), the block whole on the next."""
    content = noted[name]
    first = content.exercises[0]
    pdf = _pdf(content, 18, page_size, layout)
    texts = pages_text(pdf)
    continued = words_of("es").continued(1, first.name)
    assert not [n + 1 for n, text in enumerate(texts) if _words(continued) in " ".join(text.split())]
    (page,) = _pages_with(pdf, _words(f"1. {first.name}"))[:1]
    assert _words(LONG_NOTE[-60:]) in " ".join(texts[page].split())
    if layout == "compact" and name == "trial-12":
        # The trial's twelve in 13 pages (14 when the first broke): n + 1 at 18 pt.
        assert len(texts) <= goal(len(content.exercises), 18), len(texts)
