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
import shutil
import tomllib
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from planner.catalog.figure.compose import labels_in
from planner.config import ROOT
from planner.db import make_engine
from planner.handouts.build import render
from planner.handouts.content import HandoutContent, handout_content
from planner.handouts.styles import HandoutOptions
from planner.handouts.words import of as words_of
from planner.models import Clinic, Exercise, ProgramTemplate
from planner.services import program_templates, programs
from planner.services.versions import diff, snapshot
from tests.factories import make_patient
from tests.handout_world import NOW, make_world, pages_text

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
    copy = Path(tmp_path_factory.mktemp("layout")) / "planner.sqlite3"
    shutil.copyfile(catalog_file, copy)
    engine = make_engine(f"sqlite:///{copy}")
    with sessionmaker(bind=engine, expire_on_commit=False)() as db:
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
    engine.dispose()
    return Read(longest, templates)


@pytest.fixture(scope="module")
def programs_read(read) -> dict[str, HandoutContent]:  # noqa: ANN001
    """The 12-exercise program: {language: content}."""
    return {language: read.longest[language, 12] for language in LANGUAGES}


@pytest.fixture(scope="module")
def longest(programs_read) -> HandoutContent:  # noqa: ANN001
    return programs_read["en"]


def _pdf(content: HandoutContent, size: int, page_size: str, layout: str = "compact", n: int | None = None) -> bytes:
    trimmed = dataclasses.replace(
        content, exercises=content.exercises[:n] if n else content.exercises, large_print=size == 18, layout=layout
    )
    return render(trimmed, HandoutOptions(page_size=page_size))


def _page_count(pdf: bytes) -> int:
    return len(pages_text(pdf))


# The pages the programs of the n longest exercises take today (n = 1 to 12): more paper fails
# here, goal or not. (en 18 Letter and es 14 Letter grew by a page at some n when the cervical
# template gained its work for each pull: longer exercises joined the templates' longest; the
# other six cases did not move.)
TODAY = {
    ("en", 14, "letter"): [2, 2, 3, 3, 4, 5, 5, 6, 6, 7, 7, 8],
    ("en", 14, "a4"): [2, 2, 3, 3, 4, 5, 5, 6, 6, 7, 8, 8],
    ("en", 18, "letter"): [3, 4, 5, 6, 7, 9, 10, 11, 11, 13, 14, 15],
    ("en", 18, "a4"): [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15],
    # One page less at n = 5, 7, 8, 9 and 12 since the Spanish "how long" lines lost their
    # repeated "más o menos" (the front page is shorter).
    ("es", 14, "letter"): [2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 8, 8],
    ("es", 14, "a4"): [2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 8, 8],
    ("es", 18, "letter"): [3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15],
    ("es", 18, "a4"): [3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15],
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
    # One exercise a page: the front page, a page per exercise, the tick sheet; more than compact.
    for n in (3, 6, 12):
        one_a_page = _page_count(_pdf(read.longest[language, n], size, page_size, layout="page"))
        assert one_a_page >= max(n + 2, pages[n - 1])
        assert size == 18 or n < 6 or one_a_page > pages[n - 1]  # at 14 pt, paper saved


# Why the goal is missed where it is (Letter: 673 pt a page at 14 pt, 650 at 18; A4 a little
# more height, less width). Blocks stay whole, so a page holds whole exercises only.
# At 14 pt an exercise takes 225-330 pt: two a page, never three. An even number of exercises
# leaves the last one to share the last page with the tips (115-150 pt), the tick sheet's heading
# (70 pt), its header and rows (25 pt, and 40-60 pt an exercise) and the QR code (100 pt).
MISSED_14 = "14 pt: the last exercise, the tips, the tick sheet and the QR code do not fit one page"
# At 18 pt the front page takes 500-640 pt and an exercise 310-500 pt of 650: no two share a
# page, so the front page, a page an exercise and the tick sheet's page make n + 2 at the least;
# from 6 or 7 exercises the sheet (boxes 28.8 pt, one a line: 70-145 pt a row) takes two pages.
MISSED_18 = "18 pt: the front page and each exercise take a page of their own, the tick sheet one more"


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
    ("en", 14): {5: 4, 6: 5},
    ("es", 14): {5: 5, 6: 5},  # the 5-exercise program in Spanish: 5 on Letter, 4 on A4
    ("en", 18): {5: 7, 6: 9},
    # The cervical template as started without a pattern: five exercises (the shoulder blade
    # squeeze left it; the work for each recorded pull is added to it) on 8 pages; as six it took 9.
    ("es", 18): {5: 8, 6: 9},
}


@pytest.mark.parametrize(("language", "size", "page_size"), CASES)
def test_each_template_program_fits_its_pages(read, language, size, page_size):
    said = words_of(language)
    started = [content for (lang, _), content in read.templates.items() if lang == language]
    assert len(started) >= 4
    for content in started:
        texts = pages_text(_pdf(content, size, page_size))
        n = len(content.exercises)
        assert len(texts) <= max(goal(n, size), TEMPLATES_TODAY[language, size][n]), (content.title, len(texts))
        # The front page's facts a row each: "How often" with its note on the front page, never
        # a heading pushed on alone (Maria's Spanish large print had "Nota" alone on page 2).
        assert said.headings["how_often"] in texts[0] and content.how_often.split("\n")[-1][:30] in texts[0]
        if size == 14 and language == "en":
            # The front page is short: the first exercise follows on it (the Spanish front page,
            # a line or two longer, leaves too little room for some templates' first exercise).
            assert f"1. {content.exercises[0].name}"[:20] in texts[0], content.title
        # At 14 pt in English the tick sheet shares its first page with the tips or the last
        # exercise (Maria's longer Spanish leaves too little room for two rows on page 5).
        sheet = next(i for i, text in enumerate(texts) if said.headings["tick_sheet"] in text)
        shares = said.headings["day"] in texts[sheet] or content.exercises[-1].name[:20] in texts[sheet]
        assert shares or size == 18 or language == "es", content.title
        # The QR code once: on the front page, beside the facts, or under the sheet's last rows
        # where on the front page it would push the first exercise to page 2; never alone.
        (qr_page,) = [n for n, text in enumerate(texts) if URL.split("://")[1] in text.replace(" ", "")]
        assert qr_page == 0 or (qr_page == len(texts) - 1 and said.headings["exercise"] in texts[-1]), content.title


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
        page = where[block.number] = _pages_with(pdf, _words(f"{block.number}. {block.name}"))[0]  # then the sheet
        # The name, the dosage and the last step on one page (the picture is checked below).
        assert _words(block.dosage) in texts[page], block.name
        assert _words(block.steps[-1]) in texts[page], block.name
    start = labels_in(language)["Start"]
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages):
            words = page.extract_words(extra_attrs=["size"])
            labels = [w for w in words if w["text"] == start and w["size"] < size - 0.5]
            names = [n for n, at in where.items() if at == number]
            assert len(labels) == len(names), f"page {number + 1}: a picture apart from its exercise"
            # Header and footer are 3 lines; a page holds more than one line besides them, and
            # the QR code's page has something else on it too (the front page, the tips or the sheet).
            lines = page.extract_text().splitlines()
            assert len(lines) > 3 + 2, f"page {number + 1} holds almost nothing: {lines}"
    said = words_of(language)
    # The tips whole on one page, after an exercise (compact: at the foot of the first page an
    # exercise leaves room on that the next one does not fit; else after the last exercise).
    assert content.advice
    (tips,) = _pages_with(pdf, said.headings["day"])
    assert all(_words(line)[:30] in " ".join(texts[tips].split()) for line in content.advice)
    assert tips >= where[1] and (layout == "compact" or tips >= where[len(content.exercises)])
    (qr_page,) = [n for n, t in enumerate(texts) if URL.split("://")[1] in t.replace(" ", "")]
    assert any(text in texts[qr_page] for text in (content.title, said.headings["tick_sheet"], said.headings["day"]))
    if layout == "page":
        assert sorted(where.values()) == list(range(1, 13)), where


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_tick_sheet_broken_across_pages_never_leaves_one_row_alone(programs_read, language):
    """12 exercises in large print without a QR code: the sheet is taller than a page."""
    content = dataclasses.replace(programs_read[language], online_url=None, large_print=True)
    texts = pages_text(render(content, HandoutOptions(page_size="letter")))
    sheet = [n for n, t in enumerate(texts) if words_of(language).headings["exercise"] + " " in t]
    assert len(sheet) >= 2, sheet  # the header row is repeated on each next page
    last, before = (f"{b.number}. {_words(b.name)[:12]}" for b in content.exercises[:-3:-1])
    assert last in texts[sheet[-1]] and before in texts[sheet[-1]]


def _picture_widths(pdf: bytes, body: int) -> list[float]:
    """Each picture's width in points, from its "Start" and "End" labels (12 pt, under the body
    size), whose centres are 0.5 of the picture's width apart in the figure's own units."""
    from planner.catalog.figure.compose import PANELS, WIDTH

    share = ((PANELS[1][0] + PANELS[1][2]) / 2 - (PANELS[0][0] + PANELS[0][2]) / 2) / WIDTH
    found = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            labels = [w for w in page.extract_words(extra_attrs=["size"]) if w["size"] < body - 0.5]
            for start in (w for w in labels if w["text"] == "Start"):
                end = min(
                    (w for w in labels if w["text"] == "End" and w["x0"] > start["x1"]),
                    key=lambda w: abs(w["top"] - start["top"]) + w["x0"] - start["x1"],
                )
                found.append(((end["x0"] + end["x1"]) / 2 - (start["x0"] + start["x1"]) / 2) / share)
    return found


@pytest.mark.parametrize("page_size", ["letter", "a4"])
def test_pictures_no_smaller_than_before_at_14_pt_and_larger_at_18_pt(longest, page_size):
    at_14 = _picture_widths(_pdf(longest, 14, page_size), 14)
    at_18 = _picture_widths(_pdf(longest, 18, page_size), 18)
    assert len(at_14) == len(at_18) == 12
    assert min(at_14) >= TODAY_14PT[page_size] - 0.5, at_14
    assert min(at_18) > max(at_14) * 1.1, (at_14, at_18)


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
    assert "3. Bridge" in texts[3] and "Tick a box" not in texts[3]
    assert "Tick a box" in texts[4]
    assert "Handout layout changed from “compact” to “one exercise a page”." in diff(before, snapshot(program, None))
    details.handout_layout = "poster"
    with pytest.raises(programs.DomainError):
        programs.update_details(catalog_db, program, details, program.lock_version, NOW)
