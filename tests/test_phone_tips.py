"""The phone page lists the program's tips for the day and the home, as the handout prints them.

A patient who opens the program on the phone read the exercises but not the advice the therapist
ticked ("Sit in a chair with a high back…"): only the PDF had it. Now the page lists the tips of
the version the patient was given, under the handout's heading, in the patient's language (the
therapist's own advice as written), each line once and in the handout's order. Told on the
demo's Maria Lopez (Spanish).
"""

from __future__ import annotations

import dataclasses
import html
import re

import pytest
from playwright.sync_api import expect

from planner.handouts import words
from planner.i18n import translations
from planner.services import advice, programs
from planner.services.programs import ProgramDetails
from tests.browser import ARTIFACTS, served
from tests.test_phone_given_version import demo, give_again, phone, phone_pdf, program_of  # noqa: F401

# The therapist's own advice: a line in Arabic, one in Chinese, one with markup that must print as typed.
OWN = "اشرب الماء قبل التمارين.\n\n请在安静的房间里练习。\n<b>Bring</b> your diary & pen."


def tips_on(page: str) -> tuple[str, list[str]]:
    """The tips section's heading and its lines, as the page's HTML writes them (unescaped)."""
    section = re.search(r'<section id="tips"[^>]*>(.*?)</section>', page, re.S)
    assert section is not None, "no tips on the page"
    heading = re.search(r"<h2[^>]*>(.*?)</h2>", section[1], re.S)[1]
    return html.unescape(heading), [
        html.unescape(line) for line in re.findall(r"<li[^>]*>(.*?)</li>", section[1], re.S)
    ]


def packed(text: str) -> str:
    return "".join(text.split())


def test_every_tip_ticked_reaches_the_phone_in_spanish_once_given(demo):  # noqa: F811
    program = program_of(demo, "Maria Lopez")
    before = phone(demo, "Maria Lopez")
    heading, lines = tips_on(before)
    spanish = translations("es").gettext
    assert heading == words.of("es").headings["day"] == "Consejos para su día y su casa"
    assert lines and lines == [spanish(line) for line in program.advice]  # her template's, in Spanish

    # Every built-in tip ticked and the therapist's own advice: the phone keeps the paper's until given.
    details = ProgramDetails(**{name: getattr(program, name) for name in ProgramDetails.__dataclass_fields__})
    details = dataclasses.replace(details, advice=list(advice.BUILT_IN), advice_text=OWN)
    programs.update_details(demo.db, program, details, program.lock_version, demo.now)
    demo.db.commit()
    assert tips_on(phone(demo, "Maria Lopez"))[1] == lines

    give_again(demo, program, "print")
    page = phone(demo, "Maria Lopez")
    _, lines = tips_on(page)
    own = [line for line in OWN.splitlines() if line.strip()]
    assert lines == [*(spanish(line) for line in advice.BUILT_IN), *own]
    assert all(spanish(line) != line for line in advice.BUILT_IN)  # Spanish, not English left
    assert "&lt;b&gt;Bring&lt;/b&gt; your diary &amp; pen." in page and "<b>Bring</b>" not in page
    # The same lines, in the same order, as the PDF the page links prints them.
    pdf = packed(phone_pdf(demo, "Maria Lopez"))
    # (the Arabic line is shaped on paper: its letters read back in another order)
    at = [pdf.index(packed(line)) for line in lines if not re.search(r"[\u0600-\u06ff]", line)]
    assert at == sorted(at)


def test_no_tips_no_section(demo):  # noqa: F811
    program = program_of(demo, "Aiko Tanaka")
    details = ProgramDetails(**{name: getattr(program, name) for name in ProgramDetails.__dataclass_fields__})
    details = dataclasses.replace(details, advice=[], advice_text="  \n ")
    programs.update_details(demo.db, program, details, program.lock_version, demo.now)
    demo.db.commit()
    give_again(demo, program, "share")
    page = phone(demo, "Aiko Tanaka")
    assert 'id="tips"' not in page and words.of("en").headings["day"] not in page


@pytest.mark.browser
def test_a_right_to_left_tip_keeps_its_bullet_on_the_screen(chromium, demo):  # noqa: F811
    """Trial 31, F4: the Arabic line (dir="auto": right to left) has its bullet at the right,
    where the list had no room: the bullet was cut at the screen's edge. The list has room on
    both sides now; at 390 x 844 the line and its bullet's room are on the screen."""
    program = program_of(demo, "Maria Lopez")
    details = ProgramDetails(**{name: getattr(program, name) for name in ProgramDetails.__dataclass_fields__})
    programs.update_details(
        demo.db, program, dataclasses.replace(details, advice_text=OWN), program.lock_version, demo.now
    )
    demo.db.commit()
    give_again(demo, program, "print")
    with served(demo.app) as base:
        context = chromium.new_context(viewport={"width": 390, "height": 844})
        try:
            page = context.new_page()
            page.goto(f"{base}/p/{demo.links['Maria Lopez']}")
            line = page.locator("#tips li").filter(has_text="اشرب الماء")
            expect(line).to_be_visible()
            assert line.evaluate("li => getComputedStyle(li).direction") == "rtl"
            room = page.locator("#tips ul").evaluate("ul => parseFloat(getComputedStyle(ul).paddingRight)")
            box = line.bounding_box()
            assert room >= 16 and box["x"] + box["width"] + room <= 390, (room, box)  # the bullet's room on screen
            line.scroll_into_view_if_needed()
            ARTIFACTS.mkdir(exist_ok=True)
            page.locator("#tips").screenshot(path=str(ARTIFACTS / "phone-es-tips-rtl.png"))
        finally:
            context.close()
