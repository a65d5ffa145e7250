"""The patient's dystonia pattern: recorded dated, changed at any re-evaluation, its history kept,
and each evaluation showing the pattern as it was on its date."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from planner.dystonia.pattern import COMPONENTS, PatternEntry, Pull
from planner.models import Evaluation
from planner.services import DomainError, evaluations, programs, recorded_patterns
from tests.factories import make_clinic, make_patient
from tests.reminder_factories import make_program

NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)
LEFT_TORTICOLLIS = PatternEntry(sides={"rotation": "left"}, severities={"rotation": 2})


def test_each_recording_is_kept_and_the_newest_by_date_is_current(service_db):
    db = service_db
    clinic = make_clinic(db, "Pattern Clinic")
    patient = make_patient(db, clinic, "Maria Lopez")
    first = recorded_patterns.record_pattern(db, patient, LEFT_TORTICOLLIS, date(2026, 9, 1), None, NOW)
    later = PatternEntry(
        sides={"rotation": "left", "tilt": "right", "shoulder": "both"},
        severities={"rotation": 1, "tilt": 2, "flexion": 1, "shoulder": 3},
        tremor="no_no",
        tremor_severity=1,
        areas=["voice", "hand_arm_right"],
        note="Worse when tired.",
    )
    second = recorded_patterns.record_pattern(db, patient, later, date(2026, 11, 2), None, NOW)
    # Recorded afterwards but dated between the two: history follows the dates, not the typing.
    between = recorded_patterns.record_pattern(db, patient, PatternEntry(), date(2026, 10, 1), None, NOW)
    db.commit()

    assert recorded_patterns.current_pattern(patient).id == second.id
    assert [r.id for r in recorded_patterns.pattern_history(db, clinic.id, patient.id)] == [
        second.id,
        between.id,
        first.id,
    ]
    assert recorded_patterns.pattern_on(patient, date(2026, 8, 31)) is None
    assert recorded_patterns.pattern_on(patient, date(2026, 9, 30)).id == first.id
    assert recorded_patterns.pattern_on(patient, date(2026, 10, 15)).id == between.id
    data = recorded_patterns.current_pattern(patient).data
    assert data.pull("rotation") == Pull("rotation", "left", 1)
    assert data.pull("flexion") == Pull("flexion", "", 1)
    assert data.pull("extension") is None
    assert data.describe() == [
        "Rotation (torticollis) to the left, mild",
        "Tilt (laterocollis) to the right, moderate",
        "Flexion (anterocollis), mild",
        "Shoulder elevation on both sides, severe",
        "Head tremor side to side (“no-no”), mild",
        "Voice (laryngeal dystonia, spasmodic dysphonia)",
        "Right hand and arm (writer's cramp, focal hand dystonia)",
    ]
    assert first.data.describe() == ["Rotation (torticollis) to the left, moderate"]  # unchanged by later ones


@pytest.mark.parametrize(
    "entry, field, message",
    [
        (PatternEntry(severities={"rotation": 2}), "rotation_side", "choose the side"),
        (PatternEntry(sides={"tilt": "left"}), "tilt_severity", "how strong"),
        (PatternEntry(sides={"flexion": "left"}, severities={"flexion": 1}), "flexion_side", "has no side"),
        (PatternEntry(sides={"rotation": "up"}, severities={"rotation": 1}), "rotation_side", "choose the side"),
        (
            PatternEntry(sides={"sagittal_shift": "left"}, severities={"sagittal_shift": 1}),
            "sagittal_shift_side",
            "side",
        ),
        (PatternEntry(sides={"rotation": "both"}, severities={"rotation": 1}), "rotation_side", "side"),
        (PatternEntry(severities={"tilt": 4}, sides={"tilt": "left"}), "tilt_severity", "mild, moderate or severe"),
        (PatternEntry(tremor="wobble", tremor_severity=1), "tremor", "kind of tremor"),
        (PatternEntry(tremor="no_no"), "tremor_severity", "mild, moderate or severe"),
        (PatternEntry(tremor_severity=2), "tremor", "its kind"),
        (PatternEntry(areas=["elbow"]), "areas", "Unknown area"),
        (PatternEntry(note="x" * 1001), "note", "too long"),
    ],
)
def test_a_wrong_pattern_is_refused_at_its_field_and_nothing_is_saved(app, db, entry, field, message):
    clinic = make_clinic(db)
    patient = make_patient(db, clinic)
    with pytest.raises(DomainError) as refused:
        recorded_patterns.record_pattern(db, patient, entry, NOW.date(), None, NOW)
    assert refused.value.field == field and message in refused.value.message
    db.rollback()
    assert recorded_patterns.current_pattern(patient) is None


def test_a_date_after_today_is_refused(app, db):
    patient = make_patient(db, make_clinic(db))
    with pytest.raises(DomainError) as refused:
        recorded_patterns.record_pattern(db, patient, LEFT_TORTICOLLIS, date(2026, 11, 22), None, NOW)
    assert refused.value.field == "recorded_on"


NOTES = [
    "Peor cuando está cansada; ayuda tocar la mejilla.",
    "Χειρότερα όταν είναι κουρασμένη.",
    "Хуже к вечеру <b>не жирный</b>",
    "下午更严重",
    "גרוע יותר בערב",
    "أسوأ في المساء & عند التعب",
]


def text_of(html: str, start: str, length: int = 2000) -> str:
    i = html.index(start)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[i : i + length]))


@pytest.mark.parametrize("note", NOTES)
def test_recording_on_the_patient_page_keeps_the_earlier_pattern(dystonia_patient, note):
    client, patient = dystonia_patient
    form = client.get(f"/patients/{patient.id}/pattern").get_data(as_text=True)
    assert "Rotation (torticollis)" in form and "The head turns to one side." in form  # term and plain words
    first = {"recorded_on": "2026-10-01", "pattern-rotation_side": "left", "pattern-rotation_severity": "2"}
    assert client.post(f"/patients/{patient.id}/pattern", data=first).status_code == 302
    second = {
        "recorded_on": "2026-11-01",
        "pattern-rotation_side": "left",
        "pattern-rotation_severity": "1",
        "pattern-shoulder_side": "left",
        "pattern-shoulder_severity": "2",
        "pattern-note": note,
    }
    assert client.post(f"/patients/{patient.id}/pattern", data=second).status_code == 302

    html = client.get(f"/patients/{patient.id}").get_data(as_text=True)
    section = text_of(html, 'id="pattern-h"')
    assert "Recorded on 2026-11-01 by Dana Ortiz" in section
    assert "Rotation (torticollis) to the left, mild" in section
    assert "Shoulder elevation on the left, moderate" in section
    assert "Earlier patterns (1)" in section and "Rotation (torticollis) to the left, moderate" in section
    escaped = note.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert escaped in html and "<b>не" not in html
    # The next form starts from the current pattern.
    again = client.get(f"/patients/{patient.id}/pattern").get_data(as_text=True)
    shoulder_grade = again.split('<select id="pattern-shoulder_severity"')[1].split("</select>")[0]
    assert re.search(r'<option selected value="2">Moderate</option>', shoulder_grade)


def test_a_grade_without_a_side_is_shown_at_the_field_and_nothing_is_saved(dystonia_patient):
    client, patient = dystonia_patient
    response = client.post(
        f"/patients/{patient.id}/pattern",
        data={"recorded_on": "2026-11-01", "pattern-tilt_severity": "2", "pattern-note": "Keep me"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    row = html.split('id="pattern-tilt_side"')[1].split("</tr>")[0]
    assert "Tilt (laterocollis): choose the side it pulls to." in row
    assert "Keep me" in html  # what was typed stays
    assert "Not recorded" in client.get(f"/patients/{patient.id}").get_data(as_text=True)


def error_at(html: str, field_id: str) -> str:
    """The error shown with a field: in its row of the pattern table, or in its own field box."""
    after = html.split(f'id="{field_id}"', 1)[1]
    part = after.split("</tr>")[0] if field_id.endswith(("_side", "_severity")) and "-tremor" not in field_id else after
    part = part.split('<div class="field')[0]
    found = re.findall(r'<p class="error"[^>]*>([^<]*)</p>', part)
    return " ".join(found)


# Everything wrong at once, on the patient page's form: a date after today, a turn graded
# without its side, a tilt with a side but no grade, a tremor grade without its kind, a note too long.
EVERYTHING_WRONG = {
    "recorded_on": "2099-01-01",
    "pattern-rotation_severity": "2",
    "pattern-tilt_side": "left",
    "pattern-tremor_severity": "1",
    "pattern-shoulder_side": "right",
    "pattern-shoulder_severity": "3",
    "pattern-areas": ["voice"],
    "pattern-note": "Πιο δύσκολα το βράδυ — " + "x" * 2000,
}
EXPECTED_ERRORS = {
    "pattern-rotation_side": "Rotation (torticollis): choose the side it pulls to.",
    "pattern-tilt_severity": "Tilt (laterocollis): choose how strong it is, or no side.",
    "pattern-tremor": "Tremor: choose its kind, or no grade.",
}


def test_every_wrong_field_of_the_pattern_shows_at_once_and_nothing_typed_is_lost(dystonia_patient):
    client, patient = dystonia_patient
    response = client.post(f"/patients/{patient.id}/pattern", data=EVERYTHING_WRONG)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field_id, message in EXPECTED_ERRORS.items():
        assert error_at(html, field_id) == message, field_id
    assert "date of the pattern" in error_at(html, "recorded_on").lower()
    assert "at most" in error_at(html, "pattern-note")
    assert error_at(html, "pattern-shoulder_side") == ""  # right as entered: no error
    # What was typed and chosen is still there, to correct in one go.
    assert 'value="2099-01-01"' in html
    shoulder = html.split('id="pattern-shoulder_severity"')[1].split("</select>")[0]
    assert '<option selected value="3">' in shoulder
    assert re.search(r'<option selected value="left">', html.split('id="pattern-tilt_side"')[1].split("</select>")[0])
    assert re.search(r'<input checked id="pattern-areas-\d" name="pattern-areas" type="checkbox" value="voice">', html)
    assert "Πιο δύσκολα το βράδυ" in html
    assert "Not recorded" in client.get(f"/patients/{patient.id}").get_data(as_text=True)


def test_a_re_evaluation_shows_its_own_errors_and_every_pattern_error_at_once(dystonia_patient, db):
    client, patient = dystonia_patient
    program = make_program(db, patient, None, NOW, start=date(2026, 9, 1), title="Neck")
    wrong = {k: v for k, v in EVERYTHING_WRONG.items() if k not in ("recorded_on", "pattern-note")}
    response = client.post(f"/programs/{program.id}/evaluations/new", data={**wrong, "evaluated_on": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field_id, message in EXPECTED_ERRORS.items():
        assert error_at(html, field_id) == message, field_id
    assert error_at(html, "evaluated_on")  # the evaluation's own field, in the same answer
    assert recorded_patterns.pattern_history(db, patient.clinic_id, patient.id) == []


def test_a_re_evaluation_records_a_changed_pattern_dated_as_the_evaluation(dystonia_patient, app, db):
    client, patient = dystonia_patient
    recorded_patterns.record_pattern(db, db.merge(patient), LEFT_TORTICOLLIS, date(2026, 9, 1), None, NOW)
    program = make_program(db, patient, None, NOW, start=date(2026, 9, 1), interval=42, title="Neck")
    page = client.get(f"/programs/{program.id}/evaluations/new").get_data(as_text=True)
    assert "Dystonia pattern at this re-evaluation" in page and "As recorded on 2026-09-01" in page

    same = {"evaluated_on": "2026-10-01", "pattern-rotation_side": "left", "pattern-rotation_severity": "2"}
    assert client.post(f"/programs/{program.id}/evaluations/new", data=same).status_code == 302
    changed = {
        "evaluated_on": "2026-11-02",
        "pattern-rotation_side": "left",
        "pattern-rotation_severity": "1",
        "pattern-extension_severity": "1",
    }
    assert client.post(f"/programs/{program.id}/evaluations/new", data=changed).status_code == 302

    db.expire_all()
    history = recorded_patterns.pattern_history(db, patient.clinic_id, patient.id)
    assert [(r.recorded_on, r.evaluation_id is not None) for r in history] == [
        (date(2026, 11, 2), True),
        (date(2026, 9, 1), False),
    ]  # the unchanged pattern at the first re-evaluation added nothing
    html = client.get(f"/patients/{patient.id}").get_data(as_text=True)
    listed = text_of(html, "Recorded re-evaluations", 3000)
    assert (
        "2026-11-02 · Neck by Dana Ortiz Dystonia pattern at this re-evaluation (saved with it) : "
        "Rotation (torticollis) to the left, mild; Extension (retrocollis), mild" in listed
    )
    assert (
        "2026-10-01 · Neck by Dana Ortiz Dystonia pattern at this re-evaluation (recorded 2026-09-01, saved 2026-11-21 10:00) : "
        "Rotation (torticollis) to the left, moderate" in listed
    )


def test_each_re_evaluation_shows_the_pattern_saved_with_it_and_the_history_has_times(now, dystonia_patient, app, db):
    """Two re-evaluations on one day, each changing the pattern, and a pattern recorded on the
    patient page later that day: each evaluation shows what it saw, not the day's newest."""
    client, patient = dystonia_patient
    recorded_patterns.record_pattern(db, db.merge(patient), LEFT_TORTICOLLIS, date(2026, 9, 1), None, NOW)
    program = make_program(db, patient, None, NOW, start=date(2026, 9, 1), title="Neck")
    day = {"evaluated_on": "2026-11-02", "recorded_on": "2026-11-02", "pattern-rotation_side": "left"}
    morning = {**day, "pattern-rotation_severity": "1", "findings": "morning"}
    afternoon = {**day, "pattern-rotation_severity": "3", "findings": "afternoon"}
    for form in (morning, afternoon):
        assert client.post(f"/programs/{program.id}/evaluations/new", data=form).status_code == 302
    evening = {"recorded_on": "2026-11-02", "pattern-tilt_side": "right", "pattern-tilt_severity": "2"}
    assert client.post(f"/patients/{patient.id}/pattern", data=evening).status_code == 302
    unchanged = {**evening, "evaluated_on": "2026-11-02", "findings": "night"}
    assert client.post(f"/programs/{program.id}/evaluations/new", data=unchanged).status_code == 302

    html = client.get(f"/patients/{patient.id}").get_data(as_text=True)
    seen = {
        text_of(part, "Dystonia pattern at this re-evaluation", 300).split(" Findings")[0]: findings
        for part in html.split('<article class="evaluation">')[1:]
        for findings in re.findall(r"<bdi>(morning|afternoon|night)</bdi>", part)
    }
    db.expire_all()
    rows = recorded_patterns.pattern_history(db, patient.clinic_id, patient.id)
    tilt = rows[0]
    local = tilt.created_at.astimezone(ZoneInfo("Europe/Berlin")).strftime("%Y-%m-%d %H:%M")
    assert seen == {
        "Dystonia pattern at this re-evaluation (saved with it) : Rotation (torticollis) to the left, mild": "morning",
        "Dystonia pattern at this re-evaluation (saved with it) : Rotation (torticollis) to the left, severe": "afternoon",
        f"Dystonia pattern at this re-evaluation (recorded 2026-11-02, saved {local}) : "
        "Tilt (laterocollis) to the right, moderate": "night",
    }
    section = text_of(html, 'id="pattern-h"', 4000)
    assert f"Saved {local}." in section
    assert "Earlier patterns (3)" in section
    for row in rows[1:]:  # each earlier recording with the time it was saved, in the clinic's zone
        at = row.created_at.astimezone(ZoneInfo("Europe/Berlin")).strftime("%Y-%m-%d %H:%M")
        assert f"{row.recorded_on} saved {at}" in section


def test_a_wrong_pattern_at_a_re_evaluation_saves_neither(dystonia_patient, db):
    client, patient = dystonia_patient
    program = make_program(db, patient, None, NOW, start=date(2026, 9, 1), title="Neck")
    response = client.post(
        f"/programs/{program.id}/evaluations/new",
        data={"evaluated_on": "2026-11-02", "findings": "Turns less", "pattern-rotation_severity": "2"},
    )
    assert response.status_code == 422
    assert "Rotation (torticollis): choose the side it pulls to." in response.get_data(as_text=True)
    db.expire_all()
    assert evaluations.evaluations_of_patient(db, patient.clinic_id, patient.id) == []
    assert recorded_patterns.pattern_history(db, patient.clinic_id, patient.id) == []


# ---- an older baseline: from the date of birth to today ------------------------------------

BORN = date(1961, 3, 3)


@pytest.mark.parametrize(
    ("born", "day", "refused"),
    [
        (BORN, date(2010, 5, 1), None),  # the pattern at the first visit, 16 years ago
        (BORN, BORN, None),
        (BORN, date(1961, 3, 2), "Enter a date of the pattern between 3 Mar 1961 (the date of birth) and today."),
        (BORN, date(2026, 11, 22), "Enter a date of the pattern between 3 Mar 1961 (the date of birth) and today."),
        (None, date(1900, 1, 1), None),
        (None, date(1899, 12, 31), "Enter a date of the pattern between 1 Jan 1900 and today."),
    ],
)
def test_a_pattern_may_be_dated_back_to_the_date_of_birth_never_after_today(service_db, born, day, refused):
    """The trial: a baseline from 2019 could not be entered ("between 1 Dec 2021 and today")."""
    patient = make_patient(service_db, make_clinic(service_db), date_of_birth=born)
    if refused is None:
        row = recorded_patterns.record_pattern(service_db, patient, LEFT_TORTICOLLIS, day, None, NOW)
        assert row.recorded_on == day
    else:
        with pytest.raises(DomainError) as error:
            recorded_patterns.record_pattern(service_db, patient, LEFT_TORTICOLLIS, day, None, NOW)
        assert [(e.field, e.message) for e in error.value.errors] == [("recorded_on", refused)]


def test_the_pattern_form_takes_an_older_baseline_and_says_the_limits_at_the_field(now, dystonia_patient, db):
    client, patient = dystonia_patient
    db.merge(patient).date_of_birth = BORN
    db.commit()
    before_birth = {"recorded_on": "1960-12-31", "pattern-rotation_side": "left", "pattern-rotation_severity": "2"}
    response = client.post(f"/patients/{patient.id}/pattern", data=before_birth)
    assert response.status_code == 422
    assert error_at(response.get_data(as_text=True), "recorded_on") == (
        "Enter a date of the pattern between 3 Mar 1961 (the date of birth) and today."
    )
    baseline = {**before_birth, "recorded_on": "2019-06-14"}
    assert client.post(f"/patients/{patient.id}/pattern", data=baseline).status_code == 302
    assert [r.recorded_on for r in recorded_patterns.pattern_history(db, patient.clinic_id, patient.id)] == [
        date(2019, 6, 14)
    ]


# ---- a blank form: asked before "No dystonia seen" is recorded ---------------------------------

ASKED = "Nothing is marked in the pattern.</strong> Saving records “No dystonia seen”. Nothing is saved yet."


@pytest.mark.parametrize(
    "blank",
    [
        {"recorded_on": "2026-11-01"},
        {"recorded_on": "2026-11-01", "pattern-note": "Worse in the evening"},  # a note alone marks nothing
    ],
    ids=["nothing", "a note only"],
)
def test_a_blank_pattern_is_asked_about_and_saved_only_when_confirmed(dystonia_patient, db, blank):
    """The trial: a pattern form sent with nothing marked recorded "No dystonia seen" at once.
    The page asks, with a plain button of the same form (no JavaScript), and saves only on yes."""
    client, patient = dystonia_patient
    response = client.post(f"/patients/{patient.id}/pattern", data=blank)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and ASKED in html
    assert '<button type="submit" name="confirm_empty" value="1">Yes, record no dystonia seen</button>' in html
    form = html.split('<form method="post" novalidate')[1].split("</form>")[0]
    assert 'id="confirm-empty"' in form and 'name="pattern-note"' in form  # one form: it sends the fields again
    assert recorded_patterns.pattern_history(db, patient.clinic_id, patient.id) == []  # nothing saved yet
    if "pattern-note" in blank:
        assert "Worse in the evening" in html  # what was typed stays

    response = client.post(f"/patients/{patient.id}/pattern", data={**blank, "confirm_empty": "1"})
    assert response.status_code == 302
    db.expire_all()
    (row,) = recorded_patterns.pattern_history(db, patient.clinic_id, patient.id)
    assert row.data.describe() == [] and row.recorded_on == date(2026, 11, 1)
    assert "No dystonia seen." in client.get(f"/patients/{patient.id}").get_data(as_text=True)


def test_a_marked_pattern_is_saved_without_the_question(dystonia_patient, db):
    client, patient = dystonia_patient
    marked = {"recorded_on": "2026-11-01", "pattern-areas": "voice"}
    response = client.post(f"/patients/{patient.id}/pattern", data=marked)
    assert response.status_code == 302
    assert len(recorded_patterns.pattern_history(db, patient.clinic_id, patient.id)) == 1


def test_clearing_the_pattern_at_a_re_evaluation_is_asked_about_and_saves_nothing_until_confirmed(dystonia_patient, db):
    """The same slip at a re-evaluation: a recorded pattern cleared to nothing. Neither the
    re-evaluation nor the pattern is saved until the therapist says yes."""
    client, patient = dystonia_patient
    recorded_patterns.record_pattern(db, db.merge(patient), LEFT_TORTICOLLIS, date(2026, 9, 1), None, NOW)
    program = programs.create_program(
        db, db.merge(patient), programs.ProgramDetails("Neck", date(2026, 9, 1), reeval_interval_days=42), None, NOW
    )
    db.commit()
    # What a browser sends for a pattern set back to nothing: every grade "Not present", no side.
    cleared = {f"pattern-{key}_severity": "0" for key in COMPONENTS} | {f"pattern-{key}_side": "" for key in COMPONENTS}
    cleared |= {
        "pattern-tremor": "",
        "pattern-tremor_severity": "0",
        "evaluated_on": "2026-11-02",
        "findings": "Much calmer",
    }
    response = client.post(f"/programs/{program.id}/evaluations/new", data=cleared)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and ASKED in html and "Much calmer" in html
    db.expire_all()
    assert len(recorded_patterns.pattern_history(db, patient.clinic_id, patient.id)) == 1
    assert db.scalars(select(Evaluation)).all() == []

    assert (
        client.post(f"/programs/{program.id}/evaluations/new", data={**cleared, "confirm_empty": "1"}).status_code
        == 302
    )
    db.expire_all()
    newest = recorded_patterns.pattern_history(db, patient.clinic_id, patient.id)[0]
    assert newest.recorded_on == date(2026, 11, 2) and newest.data.describe() == []


@pytest.mark.parametrize("note", ["", NOTES[0], NOTES[4]])
def test_saving_the_same_pattern_again_records_nothing_new_and_says_so(dystonia_patient, db, note):
    """Trial 8: three identical recordings the same day. Sent again as it stands (the form starts
    from the current pattern with an empty note), on that day or later, nothing is added; a
    changed grade, side, note or area is recorded."""
    client, patient = dystonia_patient
    first = {
        "recorded_on": "2026-11-01",
        "pattern-rotation_side": "left",
        "pattern-rotation_severity": "2",
        "pattern-note": note,
    }
    assert client.post(f"/patients/{patient.id}/pattern", data=first).status_code == 302
    for again in (first, {**first, "pattern-note": ""}, {**first, "recorded_on": "2026-11-20"}):
        response = client.post(f"/patients/{patient.id}/pattern", data=again, follow_redirects=True)
        assert "No change to the pattern: nothing new was recorded." in response.get_data(as_text=True)
        db.expire_all()
        assert len(recorded_patterns.pattern_history(db, patient.clinic_id, patient.id)) == 1
    changed = {**first, "pattern-rotation_severity": "1"}
    response = client.post(f"/patients/{patient.id}/pattern", data=changed, follow_redirects=True)
    assert "The pattern is recorded." in response.get_data(as_text=True)
    db.expire_all()
    assert len(recorded_patterns.pattern_history(db, patient.clinic_id, patient.id)) == 2
