"""Recording a pattern is one step with marking the papers it moves (services/pattern_recording.py).

Both pages that record a pattern (the pattern page, the re-evaluation) go through it, so neither
can record a pattern that moves a given paper without marking it to print again; the views do not
reach into another blueprint's routes for the pattern form's checks.
"""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

from planner.dystonia.pattern import PatternEntry
from planner.services import evaluations, pattern_recording, program_items, programs, recorded_patterns
from planner.services.catalog import get_exercise
from planner.services.evaluations import EvaluationData
from tests.factories import give, make_clinic, make_patient, make_user

WEB = Path(__file__).resolve().parent.parent / "planner" / "web"


def turn(side: str) -> PatternEntry:
    return PatternEntry({"rotation": side}, {"rotation": 2})


def test_recording_marks_the_paper_it_moves_and_clears_the_mark_when_moved_back(catalog_db, now):
    db = catalog_db
    clinic = make_clinic(db, "Recording", timezone="UTC")
    therapist = make_user(db, clinic)
    patient = make_patient(db, clinic, "Rosa Díaz", primary_therapist_id=therapist.id)
    weeks_ago = now - timedelta(days=21)
    pattern_recording.record(db, patient, turn("left"), weeks_ago.date(), therapist.id, weeks_ago)
    program = programs.create_program(db, patient, programs.ProgramDetails("Neck", weeks_ago.date()), None, weeks_ago)
    program_items.add_item(db, program, get_exercise(db, clinic.id, "neck-turn-lying-hold"), None, weeks_ago)
    give(db, program, weeks_ago)

    week_ago = now - timedelta(days=7)
    recorded = pattern_recording.record(db, patient, turn("right"), week_ago.date(), therapist.id, week_ago)
    assert recorded.pattern is recorded_patterns.current_pattern(patient) and recorded.moved == [program]
    assert program.paper_moved_on == week_ago.date() and pattern_recording.moved_papers(db, patient) == [program]

    # At a re-evaluation: the same pattern records nothing and leaves the mark; moved back clears it.
    evaluation = evaluations.record_evaluation(db, program, EvaluationData(now.date(), "", "", {}), therapist.id, now)
    assert pattern_recording.record_at_evaluation(db, patient, turn("right"), evaluation, therapist.id, now) is None
    assert program.paper_moved_on == week_ago.date()
    back = pattern_recording.record_at_evaluation(db, patient, turn("left"), evaluation, therapist.id, now)
    assert back is not None and back.pattern.evaluation_id == evaluation.id and back.moved == []
    assert program.paper_moved_on is None and pattern_recording.moved_papers(db, patient) == []


# What only the recording service calls: recording without marking leaves a moved paper unmarked.
RECORDED_ONLY_THROUGH_THE_SERVICE = {"record_pattern", "record_change_at_evaluation", "note_moved_papers"}


def test_the_pages_record_a_pattern_only_through_the_recording_service():
    calls = []
    for path in sorted(WEB.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in RECORDED_ONLY_THROUGH_THE_SERVICE:
                calls.append(f"{path.relative_to(WEB)}: {node.attr}")
            # The pattern form's checks are the form's (web/patterns/forms.py), not another page's routes.
            if (
                isinstance(node, ast.ImportFrom)
                and node.module == "planner.web.patterns.routes"
                and path != WEB / "__init__.py"
            ):
                calls.append(f"{path.relative_to(WEB)}: imports planner.web.patterns.routes")
    assert calls == []
