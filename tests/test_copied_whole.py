"""A token, key, code or phone number is shown so that it is read and copied whole.

Session 17: the API token page broke a new token wherever the line ended (`word-break: break-all`),
so a line could end "…rG_" or "…ia-" (read as a word broken at a hyphen, the mark dropped), and
the recovery codes broke after their "-" ("2jk0-wn0v-" / "fzrq-f5nd") on a phone. At a phone's
390 px and at 1280 px: a token wraps only between two letters or digits, so no line of it ends or
starts with "-" or "_", and what is selected on the page is the token that works; a key's groups,
a recovery code and a phone number's groups each stay on one line.
"""

from __future__ import annotations

import string
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pyotp
import pytest
from playwright.sync_api import expect

from planner.services import api_tokens, program_items, programs
from planner.services.catalog import get_exercise
from planner.web.unbroken import phone_number, unbroken
from tests.browser import screenshot, served, sign_in
from tests.conftest import build_app, load_catalog
from tests.factories import make_clinic, make_patient, make_user

pytestmark = pytest.mark.browser

# The text of each line the element is drawn on, as a reader sees it.
LINES = """(element) => {
  const lines = []; let line = ''; let top = null;
  const range = document.createRange();
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    for (let i = 0; i < node.data.length; i++) {
      range.setStart(node, i); range.setEnd(node, i + 1);
      const box = [...range.getClientRects()].find(r => r.width > 0);
      if (!box) continue;
      const at = Math.round(box.top);
      if (top !== null && at !== top) { lines.push(line); line = ''; }
      top = at; line += node.data[i];
    }
  }
  lines.push(line);
  return lines.map(l => l.trim()).filter(l => l);
}"""
# What the reader copies: the element's text selected.
SELECTED = """(element) => {
  const selection = window.getSelection(); selection.removeAllRanges();
  const range = document.createRange(); range.selectNodeContents(element); selection.addRange(range);
  return selection.toString();
}"""
RANDOM_PART = 43
PHONE = "+34 600-123-456 / 91-555-0199"


def crafted_tokens(start: int = 0) -> list[str]:
    """Random parts with a "-" (and a "_" after it) at every place a line could end or start;
    another `start` (below 62) gives other tokens."""
    letters = (string.ascii_letters + string.digits) * 3
    parts = []
    for at in range(RANDOM_PART - 1):
        part = list(letters[start + at : start + at + RANDOM_PART])
        part[at] = "-"
        part[(at + 9) % RANDOM_PART] = "_"
        parts.append("".join(part))
    return parts


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    app = build_app(tmp_path_factory.mktemp("copied"))
    db = app.extensions["db_sessionmaker"]()
    load_catalog(db)
    clinic = make_clinic(db, "Lakeside")
    me = make_user(db, clinic, email="dana@lakeside.example", name="Dana Okafor")
    make_user(db, clinic, email="lee@lakeside.example", name="Lee Park")
    now = datetime.now(UTC)
    patient = make_patient(
        db, clinic, "Maximiliano Fernández-Villavicencio", date_of_birth=date(1968, 4, 12), primary_therapist_id=me.id
    )
    patient.phone = PHONE
    details = programs.ProgramDetails(
        "Neck", now.date() - timedelta(days=30), reeval_date=now.date() + timedelta(days=2)
    )
    program = programs.create_program(db, patient, details, me.id, now)
    program_items.add_item(db, program, get_exercise(db, clinic.id, "belly-breathing-lying"), None, now)
    db.commit()
    with served(app) as base:
        yield base, patient.id
    db.close()
    app.extensions["db_engine"].dispose()


def test_the_filters_keep_the_value_as_it_is():
    for token in ["hep_" + part for part in crafted_tokens()] + ["a<b>&-_c"]:
        assert unbroken(token).striptags() == token
    assert str(unbroken("ab<c-d")) == 'a<wbr><span class="nowrap">b&lt;c-d</span>'
    assert str(unbroken("x.org/p/ab")) == (
        '<span class="nowrap">x.o</span><wbr>r<wbr><span class="nowrap">g/</span><wbr>'
        '<span class="nowrap">p/</span><wbr>a<wbr>b'
    )
    assert str(phone_number(" 555-0100  ext 2 ")) == (
        '<span class="nowrap">555-0100</span> <span class="nowrap">ext</span> <span class="nowrap">2</span>'
    )
    assert str(phone_number("")) == ""


@pytest.mark.parametrize("width", [390, 1280])
def test_a_new_token_never_breaks_next_to_a_mark_and_copies_whole(chromium, site, width, monkeypatch):
    base, _ = site
    parts = iter(crafted_tokens(start=width % 61))
    monkeypatch.setattr(api_tokens, "secrets", SimpleNamespace(token_urlsafe=lambda _n: next(parts)))
    context = chromium.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    try:
        sign_in(page, base, "lee@lakeside.example")
        broken = []
        for n in range(RANDOM_PART - 1):
            page.goto(base + "/account/tokens")
            page.locator("#name").fill(f"Script {width} {n}")
            page.get_by_role("button", name="Make a token").click()
            shown = page.locator("#new-token")
            lines = shown.evaluate(LINES)
            copied = shown.evaluate(SELECTED)
            assert copied.startswith("hep_") and len(copied) == 4 + RANDOM_PART, copied
            assert "".join(lines) == copied
            broken += [line for line in lines[:-1] if line[-1] in "-_"] + [
                line for line in lines[1:] if line[0] in "-_"
            ]
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            if n == 0:
                screenshot(page, f"copied-token-{width}.png")
                answer = page.request.get(
                    base + "/api/v1/exercises?q=chin", headers={"Authorization": f"Bearer {copied}"}
                )
                assert answer.status == 200, "the token copied off the page works"
        assert broken == [], f"lines ending or starting with a mark at {width} px"
        if width == 390:
            assert len(lines) > 1  # it wraps on a phone: the test saw line ends
    finally:
        context.close()


def test_a_key_group_a_recovery_code_and_a_phone_number_stay_on_one_line(chromium, site):
    base, patient_id = site
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        sign_in(page, base, "dana@lakeside.example")
        for path in [f"/patients/{patient_id}", "/dashboard"]:
            page.goto(base + path)
            numbers = page.locator("main span.nowrap", has_text="600-123-456").locator("xpath=..")
            assert numbers.count() >= 1, path
            for i in range(numbers.count()):
                lines = numbers.nth(i).evaluate(LINES)
                assert " ".join(lines) == PHONE and all(set(line.split()) <= set(PHONE.split()) for line in lines), (
                    path,
                    lines,
                )
        page.goto(base + "/account/two-factor/enrol")
        key = page.locator("#totp-key")
        groups = key.inner_text().split()
        assert all(len(g) == 4 for g in groups[:-1])
        for line in key.evaluate(LINES):
            assert all(len(g) == 4 for g in line.split()[:-1]) and set(line.split()) <= set(groups), line
        page.get_by_label("Code from the app").fill(pyotp.TOTP("".join(groups)).now())
        page.get_by_role("button", name="Turn on two-factor sign-in").click()
        codes = page.locator("ol.recovery-codes code")
        # (the page after the click: count() does not wait for it; on a loaded machine it came late)
        expect(codes).to_have_count(10, timeout=60_000)
        for i in range(10):
            assert len(codes.nth(i).evaluate(LINES)) == 1, codes.nth(i).inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "copied-recovery-codes-390.png")
    finally:
        context.close()
