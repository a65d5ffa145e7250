"""Every tip ticked, 14 pt, compact: the tips break between whole tips over the pages' feet where
they fit no one place (issue #14: n exercises on at most ceil((n + 2) / 2) pages).

With all twelve built-in tips and the template's own advice (13 lines), six exercises took five
pages on Letter (the tips and the sheet on page 5, pages 1 and 4 a third empty; session 23's
sweep: 14 of 576 handouts over the goal, all with every tip). Where no way with the tips whole saves
the page, they now go at the feet of the pages in order from the front page on, two at least a
part, each further part under "(continued)", above the tick sheet where it ends a page.
"""

from __future__ import annotations

import dataclasses
import math

import pytest

from planner.handouts import words
from planner.handouts.block import PICTURE_SHARE, least_picture_share
from planner.handouts.content import handout_content
from planner.handouts.styles import HandoutOptions
from planner.i18n import translations
from planner.services import advice
from tests.factories import catalog_session
from tests.handout_world import BALANCE, NOW, TWELVE, make_world, page_lines, picture_widths, rendered
from tests.test_handout_everyday_programs import _made, started  # noqa: F401  (the fixture)
from tests.test_handout_front_slack import URL
from tests.test_handout_layout import TODAY_14PT

# (template, language, paper, notes): a page over the goal before, every one.
CASES = [
    ("cervical", "en", "letter", False),
    ("cervical", "en", "letter", True),
    ("cervical", "es", "letter", False),
    ("cervical", "es", "a4", False),
    ("cervical", "es", "a4", True),
    ("writer's cramp", "en", "letter", False),
    ("writer's cramp", "en", "letter", True),
    ("writer's cramp", "es", "letter", False),
    ("writer's cramp", "es", "letter", True),
    ("oromandibular", "es", "letter", False),
    ("oromandibular", "es", "letter", True),
    ("generalized", "es", "letter", False),
    ("generalized", "es", "letter", True),
]


@pytest.mark.parametrize(("template", "language", "paper", "notes"), CASES)
def test_every_tip_ticked_keeps_the_page_goal(started, template, language, paper, notes):  # noqa: F811
    content, _ = _made(started, template, language, paper, notes, True, "short")
    tips = [translations(language).gettext(line) for line in advice.BUILT_IN]
    content = dataclasses.replace(content, advice=tips)
    lines = page_lines(rendered(content, HandoutOptions(languages=("en", "es"))))
    n = len(content.exercises)
    assert len(lines) <= math.ceil((n + 2) / 2), (len(lines), n)
    said = words.of(language)
    heading, again = said.headings["day"], said.headings["day_continued"]
    read = [_packed(line) for page in lines for line in page]
    # Every tip once, in order, each a line (the therapist's own advice starting one); the
    # heading once, "(continued)" over each further part.
    own = [line for line in content.advice_text.splitlines() if line.strip()]
    _in_order_under_one_heading(read, tips, own, heading, again)
    # No part alone on its page: each page with tips holds an exercise or the tick sheet too.
    for page in lines:
        packed = _packed(" ".join(page))
        if _packed(heading) in packed:
            assert (
                any(f"{b.number}." in " ".join(page) for b in content.exercises)
                or _packed(said.headings["tick_sheet"]) in packed
            ), page[:3]


def test_large_print_breaks_every_tip_over_the_pages_feet_where_the_front_page_holds_too_few(catalog_file, tmp_path):  # noqa: ANN001
    """18 pt: trial 18's balance program of 12, Spanish, Letter, every tip ticked: the front page
    holds too few for a part of its own there (ticks_under._tips_split), so the tips took a page
    of their own, n + 2. They go over the exercises' page feet, headed, in order: n + 1."""
    with catalog_session(catalog_file, tmp_path) as db:
        program = make_world(db, slugs=BALANCE, patient_name="Ana Gil", large_print=True)
        content = handout_content(db, program, NOW, URL, "es")
    tips = [translations("es").gettext(line) for line in advice.BUILT_IN]
    content = dataclasses.replace(content, advice=tips, paper_size="letter")
    lines = page_lines(rendered(content, HandoutOptions(languages=("en", "es"))))
    assert len(lines) <= len(content.exercises) + 1, len(lines)
    said = words.of("es")
    read = [_packed(line) for page in lines for line in page]
    own = [line for line in content.advice_text.splitlines() if line.strip()]
    _in_order_under_one_heading(read, tips, own, said.headings["day"], said.headings["day_continued"])


def _in_order_under_one_heading(read: list[str], tips: list[str], own: list[str], heading: str, again: str) -> None:
    """Every tip once, in order, each a line (the therapist's own advice starting one, after
    them); the heading once, "(continued)" over each further part (`read`: the lines, packed)."""
    at = [read.index("•" + _packed(tip)) for tip in tips]
    at += [next(n for n, line in enumerate(read) if line.startswith("•" + _packed(tip)[:30])) for tip in own]
    assert at == sorted(at) and len(set(at)) == len(at)
    assert sum(line.startswith(_packed(heading)) and _packed(again) not in line for line in read) == 1


def _packed(text: str) -> str:
    return "".join(text.split())


# Where giving up middle pictures is not enough on Letter (shorter than A4) with the notes: the
# QR code leaves the front page for how to do the exercises, and the tips and it need more room
# than the pages' feet leave. Only a first picture smaller than at 14 pt would save the page, and
# the picture wins (issue #14: "pictures no smaller than today at 14 pt").
STILL_OVER = pytest.mark.xfail(strict=True, reason="Letter, notes: only a first picture below 14 pt's saves the page")
# (template, paper, notes): Spanish, 18 pt, every tip ticked, a page over n + 1 before, every one
# (session 23's sweep: 9 of 576 handouts, the tips filling the feet of the pages the exercises'
# pictures left them, or a page of their own).
LARGE_CASES = [
    ("cervical", "letter", False),
    pytest.param("cervical", "letter", True, marks=STILL_OVER),
    ("cervical", "a4", True),
    ("writer's cramp", "letter", True),
    ("oromandibular", "letter", True),
    ("oromandibular", "a4", True),
    pytest.param("posture", "letter", True, marks=STILL_OVER),
    ("posture", "a4", True),
    ("generalized", "letter", True),
]


@pytest.mark.parametrize(("template", "paper", "notes"), LARGE_CASES)
def test_large_print_every_tip_ticked_middle_exercises_give_up_their_larger_pictures(
    started,  # noqa: F811
    template,
    paper,
    notes,
):
    """18 pt: where the tips fit the pages' feet in no other way, a middle exercise alone on its
    page gives up the larger picture it has there (then its picture at its least): n + 1 pages,
    every picture still larger than at 14 pt, every tip once, in order, under one heading."""
    content, _ = _made(started, template, "es", paper, notes, True, "short")
    tips = [translations("es").gettext(line) for line in advice.BUILT_IN]
    content = dataclasses.replace(content, advice=tips, large_print=True)
    pdf = rendered(content, HandoutOptions(languages=("en", "es")))
    lines = page_lines(pdf)
    assert len(lines) <= len(content.exercises) + 1, len(lines)
    said = words.of("es")
    read = [_packed(line) for page in lines for line in page]
    own = [line for line in content.advice_text.splitlines() if line.strip()]
    _in_order_under_one_heading(read, tips, own, said.headings["day"], said.headings["day_continued"])
    assert min(picture_widths(pdf)) > TODAY_14PT[paper] + 1, picture_widths(pdf)
    for page in lines[1:]:  # no part of the tips alone on a page: an exercise's name over it
        if any(_packed(said.headings["day"]) in _packed(line) for line in page):
            assert any(f"{b.number}. {b.name}" in " ".join(page) for b in content.exercises), page[:3]


@pytest.mark.parametrize(
    ("template", "paper", "notes"),
    [("cervical", "letter", False), ("writer's cramp", "letter", False), ("writer's cramp", "letter", True)],
)
def test_the_tips_break_into_as_few_parts_as_the_pages_room_allows(started, template, paper, notes):  # noqa: F811
    """Trial 30, F3: every tip ticked, the tips read in three parts over three pages (each page's
    foot filled in turn from the front page on), where two pages' feet held them all. Now two
    parts, the handout as long: a patient finds the list in fewer places."""
    content, _ = _made(started, template, "en", paper, notes, True, "short")
    content = dataclasses.replace(content, advice=list(advice.BUILT_IN))
    lines = page_lines(rendered(content, HandoutOptions(languages=("en", "es"))))
    assert len(lines) <= math.ceil((len(content.exercises) + 2) / 2)
    heading = _packed(words.of("en").headings["day"])  # "(continued)" starts with it too
    with_tips = [
        number for number, page in enumerate(lines, 1) if any(_packed(line).startswith(heading) for line in page)
    ]
    assert len(with_tips) == 2, with_tips


@pytest.mark.parametrize(
    ("template", "language", "paper"),
    [("posture", "en", "letter"), ("posture", "es", "letter"), ("generalized", "es", "a4")],
)
def test_large_print_keeps_the_tips_in_two_parts_where_the_room_allows(started, template, language, paper):  # noqa: F811
    """Trial 30, F3 in large print: every tip ticked, the tips were in four parts (the front
    page's, then each exercise page's foot filled in turn); two pages' feet hold them, or the
    front page and one: two parts, n + 1 pages, no picture smaller than 14 pt's."""
    content, _ = _made(started, template, language, paper, False, True, "short")
    tips = [translations(language).gettext(line) for line in advice.BUILT_IN]
    content = dataclasses.replace(content, advice=tips, large_print=True)
    pdf = rendered(content, HandoutOptions(languages=("en", "es")))
    lines = page_lines(pdf)
    assert len(lines) <= len(content.exercises) + 1
    heading = _packed(words.of(language).headings["day"])  # "(continued)" starts with it too
    with_tips = [
        number for number, page in enumerate(lines, 1) if any(_packed(line).startswith(heading) for line in page)
    ]
    assert len(with_tips) == 2, with_tips
    assert min(picture_widths(pdf)) > TODAY_14PT[paper] + 1


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("slugs", [TWELVE, BALANCE], ids=["twelve", "balance"])
def test_large_print_exercises_alone_give_up_their_largest_pictures_for_fewer_parts(
    catalog_file, tmp_path, slugs, paper
):  # noqa: ANN001
    """Trial 31, F3: Spanish, 12 exercises, 18 pt, every tip ticked and the therapist's own line:
    the tips came in four parts over four pages (Letter; A4 for the balance program), while the
    exercises alone on their pages kept pictures 7.5 in wide. They give up those (never their
    picture's least) where the tips then take fewer parts: two, n + 1 pages."""
    with catalog_session(catalog_file, tmp_path) as db:
        program = make_world(db, slugs=slugs, patient_name="Lucía Gómez", large_print=True)
        content = handout_content(db, program, NOW, URL, "es")
    tips = [translations("es").gettext(line) for line in advice.BUILT_IN]
    content = dataclasses.replace(content, advice=tips, paper_size=paper)
    pdf = rendered(content, HandoutOptions(languages=("en", "es")))
    lines = page_lines(pdf)
    assert len(lines) <= len(content.exercises) + 1
    said = words.of("es")
    read = [_packed(line) for page in lines for line in page]
    own = [line for line in content.advice_text.splitlines() if line.strip()]
    _in_order_under_one_heading(read, tips, own, said.headings["day"], said.headings["day_continued"])
    parts = [page for page in lines if any(_packed(said.headings["day"]) in _packed(line) for line in page)]
    assert len(parts) <= 2, len(parts)
    least = least_picture_share(18) * (TODAY_14PT[paper] / PICTURE_SHARE)  # the line's width times its share
    assert min(picture_widths(pdf)) >= least - 0.5, picture_widths(pdf)
