"""Recording a patient's dystonia pattern, and marking the papers it moves: one step.

A pattern recorded on the pattern page or within a re-evaluation may move what the patient's
given paper says (another side, picture, start or flag: paper_differs.py); the programs whose
paper it moves are marked to print again (note_moved_papers: the dashboard, the patient's
page), and the therapist is told where they land. Both pages record through here, so neither can
record without marking. It sits above recorded_patterns and given: recorded_patterns cannot
call given, which reads it (tests/test_layout.py refuses the cycle).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy.orm import Session

from planner.dystonia.pattern import PatternEntry
from planner.models import DystoniaPattern, Evaluation, Patient, Program
from planner.scoping import scoped
from planner.services import recorded_patterns
from planner.services.given import given_version


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
    """Record the patient's pattern as it is on `recorded_on` (recorded_patterns.record_pattern)
    and mark the programs whose given paper it moves (note_moved_papers; a mark the pattern no
    longer needs is cleared).

    :raise DomainErrors: as recorded_patterns.record_pattern, naming each wrong field.
    """
    row = recorded_patterns.record_pattern(session, patient, entry, recorded_on, therapist_id, now)
    return Recorded(row, note_moved_papers(session, patient))


def record_at_evaluation(
    session: Session,
    patient: Patient,
    entry: PatternEntry,
    evaluation: Evaluation,
    therapist_id: int | None,
    now: datetime,
) -> Recorded | None:
    """Record the pattern seen at a re-evaluation when it differs from the current one
    (recorded_patterns.record_change_at_evaluation) and mark the papers it moves; None when it is
    the same (nothing is recorded, and the marks stay as they are).

    :raise DomainErrors: as recorded_patterns.record_pattern, naming each wrong field.
    """
    row = recorded_patterns.record_change_at_evaluation(session, patient, entry, evaluation, therapist_id, now)
    return Recorded(row, note_moved_papers(session, patient)) if row is not None else None


def note_moved_papers(session: Session, patient: Patient) -> list[Program]:
    """After a pattern is recorded for `patient` (a re-evaluation, the pattern page): mark each of
    their active programs whose last given version the pattern now sets otherwise or flags
    (GivenItem.moved: the phone holds those exercises back) with the current pattern's date
    (Program.paper_moved_on; an earlier mark is kept: the paper differs since then), and clear the
    mark of one whose paper agrees again. Returns the programs marked, newest first, for the
    therapist's message; the dashboard and the patient's page read the mark."""
    row = recorded_patterns.current_pattern(patient)
    marked = []
    active = (
        scoped(Program, patient.clinic_id)
        .where(Program.patient_id == patient.id, Program.archived_at.is_(None))
        .order_by(Program.created_at.desc(), Program.id.desc())
    )
    for program in session.scalars(active):
        handed = given_version(session, program)
        if row is not None and handed is not None and any(item.moved for item in handed.items):
            program.paper_moved_on = program.paper_moved_on or row.recorded_on
            marked.append(program)
        else:
            program.paper_moved_on = None
    session.flush()
    return marked


def moved_papers(session: Session, patient: Patient) -> list[Program]:
    """The active programs of `patient` marked as holding a paper the recorded pattern has moved
    (Program.paper_moved_on, set by note_moved_papers when a pattern is recorded), newest first:
    what the therapist is told after recording a pattern. [] when none."""
    return list(
        session.scalars(
            scoped(Program, patient.clinic_id)
            .where(Program.patient_id == patient.id, Program.archived_at.is_(None))
            .where(Program.paper_moved_on.is_not(None))
            .order_by(Program.created_at.desc(), Program.id.desc())
        )
    )
