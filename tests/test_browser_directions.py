"""In a real browser: a patient whose head turns to the left. The therapist starts the cervical
dystonia program, sees each direction set from the recorded pattern, overrides one (the page says
so, and warns), and sets it back from the pattern in one step."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import expect

from planner.catalog.figure import render_svg
from planner.dystonia.pattern import PatternEntry
from planner.services import program_items, programs, recorded_patterns
from planner.services.catalog import get_exercise
from tests.browser import page_on, screenshot, served, sign_in
from tests.factories import make_clinic, make_patient, make_user

pytestmark = pytest.mark.browser


def shapes(svg: str) -> list[tuple[str, str]]:
    """The drawing's attributes in order (a browser writes <rect/> as <rect></rect>)."""
    return re.findall(r'([a-z][\w:-]*)="([^"]*)"', svg)


def svg_of(page, item) -> list[tuple[str, str]]:  # noqa: ANN001
    return shapes(item.locator(".item-picture .stills svg").evaluate("e => e.outerHTML"))


def test_the_builder_sets_and_explains_each_direction_from_the_pattern(chromium, catalog_app, catalog_db):
    clinic = make_clinic(catalog_db, "Direction Browser Clinic")
    make_user(catalog_db, clinic, email="d@browser.org", name="Dana Ortiz")
    patient = make_patient(catalog_db, clinic, "Maria Lopez", condition_tags=["cervical_dystonia"])
    recorded_patterns.record_pattern(
        catalog_db,
        patient,
        PatternEntry({"rotation": "left"}, {"rotation": 2}),
        date(2026, 11, 2),
        None,
        datetime.now(UTC),
    )
    catalog_db.commit()
    mirror = get_exercise(catalog_db, clinic.id, "neck-turn-lying-hold")
    catalog_app.config["WTF_CSRF_ENABLED"] = True
    with served(catalog_app) as base, page_on(chromium, {"width": 1400, "height": 1000}) as page:
        sign_in(page, base, "d@browser.org")
        page.goto(f"{base}/patients/{patient.id}")
        expect(page.locator("section.pattern")).to_contain_text("Rotation (torticollis) to the left, moderate")
        page.get_by_role("link", name="New program").click()
        card = page.locator("ul.templates li").filter(has_text="Cervical dystonia: starting program")
        card.get_by_role("button", name=re.compile("^Start from this template")).click()

        expect(page.locator(".flash").filter(has_text="Directions set")).to_have_text(
            "Directions set from the recorded pattern: “Neck turn hold lying down”: "
            "Turn your head to the right, away from the pull."
        )
        expect(page.locator(".pattern-summary")).to_contain_text("Rotation (torticollis) to the left, moderate")
        item = page.locator("li.item").filter(has_text="Neck turn hold lying down")
        expect(item.locator(".dosage-words")).to_contain_text("Turn your head to the right, away from the pull.")
        expect(item.locator(".direction-source")).to_have_text("Direction from the recorded pattern.")
        expect(item.locator(".item-warnings")).to_have_count(0)
        # Drawn turning to the right: shown as drawn.
        title = f"{mirror.name}: start and end position"
        assert svg_of(page, item) == shapes(render_svg(mirror.picture, "right", 240, title, with_labels=False))

        item.get_by_text("Change dosage, direction or note").click()
        direction = item.get_by_label("Direction")
        expect(item.get_by_text("The recorded pattern gives “right”. You may choose another side")).to_be_visible()
        direction.select_option("left")
        item.get_by_role("button", name=re.compile("^Save")).click()

        item = page.locator("li.item").filter(has_text="Neck turn hold lying down")
        expect(item.locator(".dosage-words")).to_contain_text("Turn your head to the left, toward the pull.")
        expect(item.locator(".direction-source")).to_have_text(
            "Direction set by you: left. The recorded pattern gives right."
        )
        expect(item.locator(".item-warnings")).to_contain_text("Trains toward the pull: the pattern gives right.")
        assert svg_of(page, item) == shapes(
            render_svg(mirror.picture, "left", 240, title, with_labels=False)
        )  # mirrored to match
        item.scroll_into_view_if_needed()
        shot = screenshot(page, "builder-direction-override.png")
        assert shot.exists()

        page.get_by_role("button", name="Make 1 direction set by you follow the pattern").click()
        item = page.locator("li.item").filter(has_text="Neck turn hold lying down")
        expect(item.locator(".dosage-words")).to_contain_text("Turn your head to the right, away from the pull.")
        expect(item.locator(".item-warnings")).to_have_count(0)
        expect(item.locator(".direction-source")).to_have_text("Direction from the recorded pattern.")
        expect(page.get_by_role("button", name=re.compile("follow the pattern"))).to_have_count(0)
        screenshot(page, "builder-direction-from-pattern.png")


def test_an_exercise_added_before_the_pattern_waits_then_takes_its_side_from_it(chromium, catalog_app, catalog_db):
    """The therapist's trial: a head turn added before the pattern was recorded. Printing is
    stopped with the reason at the builder; the pattern form (every box the same size, however its
    label wraps) records a left torticollis; the builder then turns right with no further step."""
    from planner.services import program_items, programs

    clinic = make_clinic(catalog_db, "Waiting Clinic")
    make_user(catalog_db, clinic, email="w@browser.org")
    patient = make_patient(catalog_db, clinic, "Maria Lopez")
    program = programs.create_program(
        catalog_db, patient, programs.ProgramDetails("Neck", date(2026, 11, 2)), None, datetime.now(UTC)
    )
    program_items.add_item(
        catalog_db, program, get_exercise(catalog_db, clinic.id, "head-midline-away-from-pull"), None, datetime.now(UTC)
    )
    catalog_db.commit()
    catalog_app.config["WTF_CSRF_ENABLED"] = True
    with served(catalog_app) as base, page_on(chromium, {"width": 1280, "height": 1000}) as page:
        sign_in(page, base, "w@browser.org")
        page.goto(f"{base}/programs/{program.id}")
        refused = page.locator("#directions-not-set")
        expect(refused).to_contain_text("“Slow head turn and hold” has no direction.")
        expect(refused).to_contain_text("Record the rotation (torticollis) in the patient's dystonia pattern")
        page.get_by_role("button", name="Print and give to patient").click()
        expect(page.locator(".flash").first).to_have_text("No handout was printed: see why just below.")
        expect(page.locator(".dosage-words")).to_have_text(
            "Please wait before you start this exercise. The way to move is not set yet."
        )
        screenshot(page, "builder-direction-not-set.png")

        refused.get_by_role("link", name="Record or change the pattern").click()
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 1000})
            boxes = page.locator("input[type=checkbox]").evaluate_all(
                "els => els.map(e => [e.getBoundingClientRect().width, e.getBoundingClientRect().height])"
            )
            rows = page.locator("ul.checks li").evaluate_all("els => els.map(e => e.getBoundingClientRect().height)")
            assert max(rows) >= 1.5 * min(rows), rows  # some labels wrap to more lines at this width
            assert len(boxes) == 9 and len({tuple(b) for b in boxes}) == 1, (width, boxes)  # every box the same size
            screenshot(page, f"pattern-form-{width}.png")
        page.set_viewport_size({"width": 1280, "height": 1000})
        page.select_option("select[name='pattern-rotation_side']", "left")
        page.select_option("select[name='pattern-rotation_severity']", "2")
        page.get_by_role("button", name="Save the pattern").click()

        page.goto(f"{base}/programs/{program.id}")
        expect(page.locator("#directions-not-set")).to_have_count(0)
        item = page.locator("li.item").filter(has_text="Slow head turn and hold")
        expect(item.locator(".dosage-words")).to_contain_text("Turn your head to the right, away from the pull.")
        expect(item.locator(".direction-source")).to_have_text("Direction from the recorded pattern.")
        expect(item.locator(".direction-source")).to_have_text("Direction from the recorded pattern.")
        expect(page.get_by_role("button", name=re.compile("follow the pattern"))).to_have_count(0)


# The widest option's text and the room inside the select for it: its width less padding and
# Chromium's arrow (measured at 1.1em; 1em allowed, so a choice cut by a letter still fails). A
# cut-off choice read "From the pa…" in the trial.
SELECT_ROOM = """e => {
  const s = getComputedStyle(e), c = document.createElement('canvas').getContext('2d');
  c.font = s.font;
  const widest = Math.max(...[...e.options].map(o => c.measureText(o.text).width));
  const room = e.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) - parseFloat(s.fontSize);
  return [widest, room];
}"""


@pytest.mark.parametrize("width", [1400, 1024, 390])
def test_the_direction_and_side_choices_are_read_whole(chromium, catalog_app, catalog_db, width):
    """The trial: the builder's Direction select showed "From the pa…". Each side or direction
    select is wide enough for its longest choice, on a wide screen, a laptop and a phone."""
    clinic = make_clinic(catalog_db, f"Select Clinic {width}")
    make_user(catalog_db, clinic, email=f"s{width}@browser.org")
    patient = make_patient(catalog_db, clinic, "Maria Lopez", condition_tags=["cervical_dystonia"])
    entry = PatternEntry(
        {"rotation": "left", "shoulder": "both"}, {"rotation": 2, "shoulder": 1}, areas=["hand_arm_right"]
    )
    recorded_patterns.record_pattern(catalog_db, patient, entry, date(2026, 11, 2), None, datetime.now(UTC))
    now = datetime.now(UTC)
    program = programs.create_program(catalog_db, patient, programs.ProgramDetails("Neck", now.date()), None, now)
    for slug in ("neck-turn-lying-hold", "shoulders-level-mirror", "wrist-bends-and-circles"):
        program_items.add_item(catalog_db, program, get_exercise(catalog_db, clinic.id, slug), None, now)
    catalog_db.commit()
    with served(catalog_app) as base, page_on(chromium, {"width": width, "height": 900}) as page:
        sign_in(page, base, f"s{width}@browser.org")
        page.goto(f"{base}/programs/{program.id}")
        for item in page.locator("li.item").all():
            item.get_by_text(re.compile("^Change dosage")).click()
            select = item.locator("select[id$='-side']")
            widest, room = select.evaluate(SELECT_ROOM)
            assert widest <= room, (item.locator("h3").inner_text(), widest, room)
        first = page.locator("li.item").first
        first.scroll_into_view_if_needed()
        screenshot(page, f"builder-direction-select-{width}.png")
