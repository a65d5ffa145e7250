"""The how-to line names the page the tick sheet is on (trial 23, F1).

A handout whose tick sheet sits on the front page says so: "Each time, tick its box on page 1."
With a long name the front page filled page 1 and the sheet went on to page 2, under that same
line: the patient looked for boxes on page 1 and found none. trial 23's program: thirteen hand
exercises, each side set to the left hand, a 120-character Chinese name, the phone link's QR code,
14 pt compact, the demo clinic's front page, in Spanish and English, on Letter (and A4, where the
sheet fits page 1)."""

from __future__ import annotations

import pytest

from planner.handouts.content import HandoutContent, handout_content
from planner.handouts.styles import HandoutOptions
from planner.handouts.words import of as words_of
from tests.factories import catalog_session
from tests.handout_world import NOW, made_in_the_app, pages_text, rendered

URL = "https://planner.example.org/p/Xq7mT2vLc9RkW4yHb8NfZ3sJdA6uEe5GhP1tKoVi"
HAND = [
    *("pen-grip-thick-and-loose", "mirror-hand-open-close", "letters-on-palm", "thumb-circles", "putty-pinch"),
    *("turn-key-and-lid", "typing-with-relaxed-hands", "wrist-finger-stretch-table", "forearm-turns"),
    *("shape-in-hand-eyes-closed", "one-or-two-points", "writing-on-slanted-board", "whole-arm-writing-on-wall"),
]
NAME = ("欧阳" + "明慧晓雯思琪嘉怡佳颖紫涵梓萱诗涵雨桐" * 12)[:120]


@pytest.fixture(scope="module")
def hands(catalog_file, tmp_path_factory) -> dict[str, HandoutContent]:  # noqa: ANN001
    """{language: trial 23's hand program}: its title alone, no goals or advice, as made in the app."""
    with catalog_session(catalog_file, tmp_path_factory.mktemp("ticks-page")) as db:
        program = made_in_the_app(db, NAME, "Ejercicios para la mano", HAND, "left")
        read = {language: handout_content(db, program, NOW, URL, language) for language in ("en", "es")}
    return read


@pytest.mark.parametrize("page_size", ["letter", "a4"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_how_to_line_names_the_page_the_tick_sheet_is_on(hands, language, page_size):
    said = words_of(language)
    assert len(hands[language].exercises) == len(HAND)
    pdf = rendered(hands[language], HandoutOptions(page_size=page_size))
    pages = [" ".join(text.split()) for text in pages_text(pdf)]
    sheet = " ".join(said.headings["tick_sheet"].split())
    on = [number for number, text in enumerate(pages, start=1) if sheet in text]
    assert on, "no tick sheet"
    first_sheet_page = on[0]
    page_one = " ".join(said.how_to_use_sheet_first.split())
    at_end = " ".join(said.how_to_use.split())
    said_page_one = any(page_one in text for text in pages)
    assert said_page_one or any(at_end in text for text in pages), "no how-to line"
    if said_page_one:
        assert first_sheet_page == 1, f"the how-to line says page 1; the sheet starts on page {first_sheet_page}"
    else:
        # "the sheet at the end": after every exercise
        last_exercise = max(n for n, text in enumerate(pages, start=1) if hands[language].exercises[-1].name in text)
        assert first_sheet_page >= last_exercise > 1, (first_sheet_page, last_exercise)
