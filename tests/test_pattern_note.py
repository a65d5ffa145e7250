"""A pattern's note belongs to its own date. A re-evaluation (or a new recording on the patient's
page) starts the note empty and shows the earlier one beside it, for reference: the note written
about an anterocollis never lands on a pattern that no longer has one."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from planner.dystonia.pattern import PatternEntry
from planner.services import recorded_patterns
from tests.reminder_factories import make_program

NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)

# The trial's note, and notes in other scripts (each shown escaped, never carried over).
NOTES = [
    "Antecollis worse when walking & carrying bags <b>.",
    "Anterocolis peor al caminar; mejora al tocar la nuca.",
    "Χειρότερα στο περπάτημα.",
    "Хуже при ходьбе.",
    "走路时更严重",
    "גרוע יותר בהליכה",
    "أسوأ عند المشي",
]


# with_note's pattern (rotation to the left and flexion, both moderate) as the re-evaluation form
# sends it back unchanged.
AS_RECORDED = {"pattern-rotation_side": "left", "pattern-rotation_severity": "2", "pattern-flexion_severity": "2"}


def with_note(db, patient, note):
    entry = PatternEntry({"rotation": "left"}, {"rotation": 2, "flexion": 2}, note=note)
    recorded_patterns.record_pattern(db, db.merge(patient), entry, date(2026, 9, 1), None, NOW)
    return make_program(db, patient, None, NOW, start=date(2026, 9, 1), interval=42, title="Neck")


def note_field(html: str) -> str:
    return html.split('id="pattern-note"')[1].split("</textarea>")[0].split(">", 1)[1]


def escaped(note: str) -> str:
    return note.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@pytest.mark.parametrize("note", NOTES)
def test_the_re_evaluation_form_shows_the_earlier_note_and_starts_a_new_one_empty(dystonia_patient, db, note):
    client, patient = dystonia_patient
    program = with_note(db, patient, note)
    for path in (f"/programs/{program.id}/evaluations/new", f"/patients/{patient.id}/pattern"):
        page = client.get(path).get_data(as_text=True)
        assert note_field(page).strip() == ""
        earlier = page.split('class="earlier-note"')[1].split("</div>")[0]
        assert "with the pattern of 2026-09-01" in earlier and escaped(note) in earlier
        assert "<b>." not in page


def test_removing_the_anterocollis_leaves_its_note_with_the_old_pattern(dystonia_patient, db):
    client, patient = dystonia_patient
    program = with_note(db, patient, NOTES[0])
    # Re-evaluated: the anterocollis is gone; the note field is left as the form gave it (empty).
    # As a browser sends the form: every field, the note as the form gave it (empty).
    changed = {
        **AS_RECORDED,
        "evaluated_on": "2026-11-02",
        "pattern-flexion_severity": "0",
        "pattern-note": note_field(client.get(f"/programs/{program.id}/evaluations/new").get_data(as_text=True)),
    }
    assert client.post(f"/programs/{program.id}/evaluations/new", data=changed).status_code == 302
    db.expire_all()
    new, old = recorded_patterns.pattern_history(db, patient.clinic_id, patient.id)
    assert (new.recorded_on, new.note, old.note) == (date(2026, 11, 2), "", NOTES[0])
    section = client.get(f"/patients/{patient.id}").get_data(as_text=True).split('id="pattern-h"')[1]
    current = section.split("Earlier patterns")[0]
    assert "Flexion" not in current and "Antecollis" not in current  # the note stays with its pattern
    assert escaped(NOTES[0]) in section  # ... in the history


def test_the_same_pattern_without_a_new_note_is_no_change(dystonia_patient, db):
    """An unchanged pattern saved from a form whose note starts empty records nothing: the current
    recording keeps its note. A new note alone is a change, recorded as written."""
    client, patient = dystonia_patient
    program = with_note(db, patient, NOTES[1])
    same = {**AS_RECORDED, "evaluated_on": "2026-10-01", "pattern-note": ""}
    assert client.post(f"/programs/{program.id}/evaluations/new", data=same).status_code == 302
    db.expire_all()
    assert [r.note for r in recorded_patterns.pattern_history(db, patient.clinic_id, patient.id)] == [NOTES[1]]
    renoted = {**same, "evaluated_on": "2026-11-01", "pattern-note": NOTES[2]}
    assert client.post(f"/programs/{program.id}/evaluations/new", data=renoted).status_code == 302
    db.expire_all()
    assert [r.note for r in recorded_patterns.pattern_history(db, patient.clinic_id, patient.id)] == [
        NOTES[2],
        NOTES[1],
    ]
    page = client.get(f"/programs/{program.id}/evaluations/new").get_data(as_text=True)
    assert re.search(r"with the pattern of 2026-11-01", page)
