"""A patient's recorded dystonia patterns: record one (dated; earlier recordings stay as they
were), and read the one in force now, on a day, or at a re-evaluation.

services/patterns.py applies the pattern in force to a program; pages record through
services/pattern_recording.py, which also marks the papers a new pattern moves.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from planner.dystonia.pattern import PatternData, PatternEntry, checked, problems
from planner.models import DystoniaPattern, Patient
from planner.scoping import scoped
from planner.services import DomainError, DomainErrors
from planner.services.calendar_window import check_since_birth
from planner.services.clinic_time import clinic_zone, local_today

if TYPE_CHECKING:
    from planner.models import Evaluation


def record_pattern(
    session: Session,
    patient: Patient,
    entry: PatternEntry,
    recorded_on: date,
    therapist_id: int | None,
    now: datetime,
    evaluation: Evaluation | None = None,
) -> DystoniaPattern:
    """Record the patient's pattern as it is on `recorded_on`; earlier recordings stay as they were.

    :raise DomainErrors: (a DomainError) listing every wrong field at once, each named: a date
        after today or before the patient's date of birth (1900 when not known: a baseline from
        years ago may be entered), a component graded without its side (or a side without a
        grade), an unknown tremor or area, a sensory trick placed or sided wrongly, a note too long.

    Pages record through services/pattern_recording.py, which then marks the programs whose given
    paper the pattern now moves (pattern_recording.note_moved_papers: given reads this module, so
    it cannot be called from here).
    """

    today = local_today(clinic_zone(session, patient.clinic_id), now)
    found = pattern_problems(entry)
    try:
        check_since_birth(recorded_on, today, patient.date_of_birth, "recorded_on", "date of the pattern")
    except DomainError as e:
        found.insert(0, e)
    if found:
        raise DomainErrors(found)
    data = checked(entry)
    row = DystoniaPattern(
        clinic_id=patient.clinic_id,
        patient_id=patient.id,
        evaluation_id=evaluation.id if evaluation is not None else None,
        recorded_on=recorded_on,
        recorded_by_id=therapist_id,
        components=data.components_json(),
        tremor=data.tremor,
        tremor_severity=data.tremor_severity,
        areas=list(data.areas),
        note=data.note,
        trick=data.trick,
        trick_side=data.trick_side,
        created_at=now,
    )
    session.add(row)
    session.flush()
    session.expire(patient, ["dystonia_patterns"])  # the backref list is read-only: read it again
    return row


def record_change_at_evaluation(
    session: Session,
    patient: Patient,
    entry: PatternEntry,
    evaluation: Evaluation,
    therapist_id: int | None,
    now: datetime,
) -> DystoniaPattern | None:
    """Record the pattern seen at a re-evaluation, dated as the evaluation, when it differs from
    the current one (or is the first); None when nothing changed. Pages record it through
    pattern_recording.record_at_evaluation, which marks the papers it moves.

    :raise DomainErrors: as record_pattern, naming each wrong field of the pattern.
    """
    found = pattern_problems(entry)
    if found:
        raise DomainErrors(found)
    first = pattern_on(patient, evaluation.evaluated_on) is None
    if (first and checked(entry).empty) or no_change(patient, entry, evaluation.evaluated_on):
        return None
    return record_pattern(session, patient, entry, evaluation.evaluated_on, therapist_id, now, evaluation)


def no_change(patient: Patient, entry: PatternEntry, day: date) -> bool:
    """True when `entry` is the pattern already in force on `day` (pattern_on), so
    recording it would add an identical entry to the history (False when none is in force: a
    first "No dystonia seen" is a finding). The form starts with an empty note (entry_of): the same pattern
    with no new note is no change, and the recording in force keeps its note."""
    current = pattern_on(patient, day)
    if current is None or problems(entry):  # a wrong entry is refused, with its fields, elsewhere
        return False
    seen = checked(entry)
    if current.data == seen:
        return True
    return not seen.note.strip() and replace(current.data, note="") == seen


def pattern_problems(entry: PatternEntry) -> list[DomainError]:
    """Every wrong field of a pattern as entered, each a DomainError naming its field ([] when
    right): a form shows them all at once, with its own errors (planner/dystonia/pattern.problems)."""
    return [DomainError(p.message, p.field) for p in problems(entry)]


def current_pattern(patient: Patient) -> DystoniaPattern | None:
    """The newest recording by date (then by order of recording); None when none was made."""
    rows = patient.dystonia_patterns  # type: ignore[attr-defined]
    return rows[-1] if rows else None


def pattern_on(patient: Patient, day: date) -> DystoniaPattern | None:
    """The pattern as it was recorded on or before `day` (what an evaluation of that day saw)."""
    found = None
    for row in patient.dystonia_patterns:  # type: ignore[attr-defined]
        if row.recorded_on <= day:
            found = row
    return found


def pattern_at_evaluation(patient: Patient, evaluation: Evaluation) -> DystoniaPattern | None:
    """The pattern a re-evaluation saw: the one saved with it, else (it found no change) the one
    that was current when it was saved, among those dated on or before it; None when none was.

    Not simply the newest pattern of its date: a pattern recorded later the same day, or dated
    back to before it, was not what that evaluation saw.
    """
    rows = patient.dystonia_patterns  # type: ignore[attr-defined]
    saved_with = [row for row in rows if row.evaluation_id == evaluation.id]
    if saved_with:
        return saved_with[-1]
    found = None
    for row in rows:  # oldest first, by date then by order of recording
        if row.recorded_on <= evaluation.evaluated_on and row.created_at <= evaluation.created_at:
            found = row
    return found


def pattern_history(session: Session, clinic_id: int, patient_id: int) -> list[DystoniaPattern]:
    """Every recording of the patient's pattern in the clinic, newest first."""
    return list(
        session.scalars(
            scoped(DystoniaPattern, clinic_id)
            .where(DystoniaPattern.patient_id == patient_id)
            .order_by(DystoniaPattern.recorded_on.desc(), DystoniaPattern.id.desc())
        )
    )


def entry_of(data: PatternData | None, *, note: bool = True) -> PatternEntry:
    """A PatternEntry that fills a form with a recorded pattern (empty without one).

    `note=False` for a new recording (the pattern form, a re-evaluation): the components and the
    sensory trick start from the earlier pattern, the note starts empty. The earlier note belongs to its own date;
    the form shows it beside the field for reference, so it never carries over unread.
    """
    if data is None:
        return PatternEntry()
    return PatternEntry(
        sides={p.component: p.side for p in data.pulls},
        severities={p.component: p.severity for p in data.pulls},
        tremor=data.tremor,
        tremor_severity=data.tremor_severity,
        areas=list(data.areas),
        note=data.note if note else "",
        trick=data.trick,
        trick_side=data.trick_side,
    )
