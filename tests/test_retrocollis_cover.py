"""Trial 11 F4: retrocollis with a backward sagittal shift. The head curl starts with a double-chin
tuck, which slides the head backward the way the shift pulls, so it is left out; the chin nod with
a small head lift nods in place (the back of the head stays on the towel, not slid back) and is
the deep neck flexor work kept against the retrocollis. The reasons say so, and a recorded neck
pull that no exercise of the program works against is said plainly, at the start and in the builder."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from planner.dystonia.pattern import PatternEntry
from planner.services import program_items, recorded_patterns
from planner.services.program_templates import start_from_template
from tests.conftest import login
from tests.factories import make_clinic, make_patient, make_user, shipped_template

NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)
NOD, CURL = "Chin nod with a small head lift, lying", "Head curl lying down"
SHIFT = "No exercise in the catalog targets the recorded sagittal shift: add your own exercise for it if the patient needs one."
UNCOVERED_EXTENSION = "Nothing in the program works against the recorded extension (retrocollis): add an exercise for it, or note why not."
UNCOVERED_FLEXION = (
    "Nothing in the program works against the recorded flexion (anterocollis): add an exercise for it, or note why not."
)
CURL_FOR_SHIFT = (
    "Not for sagittal shift back: Its double-chin tuck slides the head backward, the way a backward shift pulls. "
    "A chin nod in place does not."
)


def start(db, entry):
    clinic = make_clinic(db, "Retro Clinic")
    make_user(db, clinic, email="pt@retro.org")
    patient = make_patient(db, clinic, "Дмитрий Соколов")
    recorded_patterns.record_pattern(db, patient, entry, date(2026, 11, 1), None, NOW)
    report = start_from_template(db, shipped_template(db, "cervical-dystonia"), patient, None, NOW.date(), NOW)
    db.commit()
    return report


@pytest.mark.parametrize(
    ("entry", "kept", "curl_left_out", "said"),
    [
        # Дмитрий: the nod is the retrocollis work; only the shift has no exercise
        (
            PatternEntry({"sagittal_shift": "back"}, {"extension": 2, "sagittal_shift": 1}),
            True,
            CURL_FOR_SHIFT,
            [SHIFT],
        ),
        # retrocollis alone: the head curl is added for it, the nod kept
        (PatternEntry(severities={"extension": 2}), True, None, []),
        # a head pulled both ways (antero- and retrocollis): flexor and extensor work both ruled out
        (
            PatternEntry(severities={"extension": 1, "flexion": 1}),
            False,
            "Not for flexion (anterocollis): It strengthens the muscles that bend the head forward, "
            "the ones that pull in anterocollis.",
            [UNCOVERED_FLEXION, UNCOVERED_EXTENSION],
        ),
    ],
    ids=["retrocollis + backward shift", "retrocollis", "antero- and retrocollis"],
)
def test_the_template_keeps_work_against_the_retrocollis_or_says_it_has_none(
    catalog_db, entry, kept, curl_left_out, said
):
    report = start(catalog_db, entry)
    names = [i.exercise.name for i in report.program.items]
    assert (NOD in names) is kept
    assert dict(report.left_out).get(CURL) == curl_left_out
    assert sorted(report.untargeted) == sorted(said)


def test_the_builder_says_when_the_retrocollis_work_is_taken_out(catalog_app, catalog_db):
    """Дмитрий's therapist removes the chin nod: nothing works against the retrocollis any more,
    and the builder says so above the exercises."""
    db = catalog_db
    report = start(db, PatternEntry({"sagittal_shift": "back"}, {"extension": 2, "sagittal_shift": 1}))
    program = report.program
    client = catalog_app.test_client()
    login(client, "pt@retro.org")
    assert UNCOVERED_EXTENSION not in client.get(f"/programs/{program.id}").get_data(as_text=True)
    nod = next(i for i in program.items if i.exercise.name == NOD)
    program_items.remove_item(db, program, nod.id, None, NOW)
    db.commit()
    html = client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert UNCOVERED_EXTENSION in html
