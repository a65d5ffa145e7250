"""Recording a patient's dystonia pattern, and marking the papers it moves: one step.

A pattern recorded on the pattern page or within a re-evaluation may move what the patient's
given paper says (another side, picture, start or flag: given.paper_differs); the programs whose
paper it moves are marked to print again (given.note_moved_papers: the dashboard, the patient's
page), and the therapist is told where they land. Both pages record through here, so neither can
record without marking. It sits above patterns and given: patterns cannot call given, which
reads it (tests/test_layout.py refuses the cycle).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy.orm import Session

from planner.dystonia.pattern import PatternEntry
from planner.models import DystoniaPattern, Evaluation, Patient, Program
from planner.services import given, patterns


class Recorded(NamedTuple):
    """What recording a pattern did."""

    pattern: DystoniaPattern  # the row recorded
    moved: list[Program]  # the patient's programs whose paper now differs, newest first (note_moved_papers)


def record(
    session: Session,
    patient: Patient,
    entry: PatternEntry,
    recorded_on: date,
    therapist_id: int | None,
    now: datetime,
) -> Recorded:
    """Record the patient's pattern as it is on `recorded_on` (patterns.record_pattern) and mark the
    programs whose given paper it moves (given.note_moved_papers; a mark the pattern no longer
    needs is cleared).

    :raise DomainErrors: as patterns.record_pattern, naming each wrong field.
    """
    row = patterns.record_pattern(session, patient, entry, recorded_on, therapist_id, now)
    return Recorded(row, given.note_moved_papers(session, patient))


def record_at_evaluation(
    session: Session,
    patient: Patient,
    entry: PatternEntry,
    evaluation: Evaluation,
    therapist_id: int | None,
    now: datetime,
) -> Recorded | None:
    """Record the pattern seen at a re-evaluation when it differs from the current one
    (patterns.record_change_at_evaluation) and mark the papers it moves; None when it is the same
    (nothing is recorded, and the marks stay as they are).

    :raise DomainErrors: as patterns.record_pattern, naming each wrong field.
    """
    row = patterns.record_change_at_evaluation(session, patient, entry, evaluation, therapist_id, now)
    return Recorded(row, given.note_moved_papers(session, patient)) if row is not None else None
