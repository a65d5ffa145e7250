"""Mirror work moves the easy hand, the one without cramps, while the cramped hand hides behind
the mirror. A therapist who sets every side by hand to the left (no pattern recorded) made the
handout say "Do this with your left hand" at the writing and "Move your left hand, the easy one"
at the mirror (trial 23, F3). The builder now says so at the mirror exercise and in the checks
before printing; it changes no side the therapist set."""

from __future__ import annotations

import html as markup
import re
from datetime import date, datetime

from planner.dystonia.pattern import PatternEntry
from planner.services import program_items, programs, recorded_patterns
from planner.services.catalog import get_exercise
from tests.conftest import login
from tests.factories import make_clinic, make_patient, make_user

MIRROR = "mirror-hand-open-close"
PEN = "pen-grip-thick-and-loose"
SAID = "moves the left hand, the easy one, but"


def _builder(app, db, now: datetime, sides: list[tuple[str, str]], pattern: PatternEntry | None = None) -> str:  # noqa: ANN001
    """The builder page of a program with these (exercise, side) items, as the therapist reads it."""
    clinic = make_clinic(db, "Mirror Clinic")
    make_user(db, clinic, email="hands@clinic.org")
    patient = make_patient(db, clinic, "Carmen Ruiz")
    if pattern is not None:
        recorded_patterns.record_pattern(db, patient, pattern, now.date(), None, now)
    program = programs.create_program(db, patient, programs.ProgramDetails("Writing", date(2026, 11, 1)), None, now)
    for slug, side in sides:
        program_items.add_item(db, program, get_exercise(db, clinic.id, slug), None, now, side=side)
    db.commit()
    client = app.test_client()
    login(client, "hands@clinic.org")
    return client.get(f"/programs/{program.id}").get_data(as_text=True)


def _box(html: str) -> str:
    """The 'before you print' box about the hands, "" when the page has none."""
    found = re.search(r'<div[^>]*id="mirror-clash".*?</div>', html, re.S)
    return markup.unescape(found.group(0)) if found else ""


def test_mirror_work_set_to_the_writing_hand_is_warned_at_the_item_and_before_printing(catalog_app, catalog_db, now):
    html = _builder(catalog_app, catalog_db, now, [(PEN, "left"), (MIRROR, "left"), ("putty-pinch", "left")])
    box = _box(html)
    assert "Check the hands before you print." in box
    assert SAID in box
    # Both hand exercises set for the left hand are named, so the therapist knows what to check.
    assert "Thick pen with a loose grip" in box and "Pinch with putty" in box and "are set for the left hand" in box
    assert "Set mirror work to the right hand" in box
    # At the mirror exercise itself, beside its side field; the other exercises carry no such note.
    assert html.count("-mirror-clash") == 1 and SAID in html.split("-mirror-clash", 1)[1][:800]
    # Nothing was changed: the mirror exercise still reads the hand the therapist set.
    assert "Move your left hand, the easy one." in html


def test_mirror_work_on_the_other_hand_is_not_warned(catalog_app, catalog_db, now):
    html = _builder(catalog_app, catalog_db, now, [(PEN, "right"), (MIRROR, "left")])
    assert not _box(html) and "-mirror-clash" not in html


def test_mirror_work_alone_is_not_warned(catalog_app, catalog_db, now):
    """With no other hand exercise (and no pattern) nothing says which hand cramps."""
    html = _builder(catalog_app, catalog_db, now, [(MIRROR, "left"), ("chin-tuck-lying", "")])
    assert not _box(html) and "-mirror-clash" not in html


def test_mirror_work_on_the_recorded_hand_is_warned_before_printing(catalog_app, catalog_db, now):
    html = _builder(catalog_app, catalog_db, now, [(MIRROR, "left")], PatternEntry(areas=["hand_arm_left"]))
    assert "the recorded pattern has the left hand and arm (writer's cramp)" in _box(html)
    # At the item, its own warning about the recorded hand says it (once, not twice).
    assert "-mirror-clash" not in html
    assert "mirror work moves the easy hand, and this is set for the left hand." in markup.unescape(html)


def test_the_pattern_s_own_sides_are_not_warned(catalog_app, catalog_db, now):
    """With the right hand recorded, the builder sets the writing right and the mirror left."""
    html = _builder(catalog_app, catalog_db, now, [(PEN, ""), (MIRROR, "")], PatternEntry(areas=["hand_arm_right"]))
    assert "Move your left hand, the easy one." in html
    assert not _box(html) and "-mirror-clash" not in html


def test_two_mirror_exercises_on_different_hands_are_warned(catalog_app, catalog_db, now):
    """Each calls its moving hand the easy one, so the handout said both hands cramp and neither
    does (trial 24): both mirror exercises are named, at each and before printing."""
    other = "mirror-finger-taps"
    html = _builder(catalog_app, catalog_db, now, [(MIRROR, "left"), (PEN, ""), (other, "right")])
    box = _box(html)
    assert "Check the hands before you print." in box
    assert SAID in box and "moves the right hand as the easy one" in box
    assert "moves the right hand, the easy one, but" in box and "moves the left hand as the easy one" in box
    assert html.count("-mirror-clash") == 2
