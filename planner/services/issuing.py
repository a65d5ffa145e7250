"""Giving a program to its patient: the version frozen and marked as given (print, email, share,
export), one at a time (issue) or many at once (issue_printed), and the next version started first
when the paper would read otherwise now with no edit (a re-evaluation moved the pattern or the
next re-evaluation's date): one rule (renew_if_paper_changed) for printing, the command line and the export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, func, insert, literal, null, or_, select, tuple_, update
from sqlalchemy.orm import Session

from planner.models import DystoniaPattern, Exercise, Patient, Program, ProgramItem, ProgramVersion, VersionGiving
from planner.models.base import UTCDateTime
from planner.models.program import GIVEN_WAYS
from planner.scoping import is_shared
from planner.services import DomainError, day_counts
from planner.services.given import last_frozen
from planner.services.paper_state import reads_otherwise
from planner.services.patterns import refuse_unset_directions
from planner.services.reevaluation import next_reevaluation
from planner.services.versions import snapshot


def renew_if_paper_changed(session: Session, program: Program, now: datetime) -> bool:
    """Start the next version (not yet given) of a program given to the patient whose paper would
    read otherwise now, with no edit of the program (paper_changed). Call before making a handout,
    so the paper carries the number and date of the version that will be frozen with it. True
    when one was started; nothing changes otherwise."""
    if not paper_changed(session, program):
        return False
    program.version += 1
    program.issued = False
    program.version_date = now
    return True


def paper_changed(session: Session, program: Program) -> bool:
    """Whether a program given to the patient, not edited since, would print otherwise now: its
    directions changed since (a re-evaluation moved the pattern) or a clinic's own exercise of it
    was edited since (paper_state.reads_otherwise). Then the next handout is a new version (renew_if_paper_changed).
    Reads only; False for a program not given as it is (its next handout is its current version)."""
    return program.issued and reads_otherwise(session, program)


# Programs holding a clinic's own exercise saved after the program's version was started: one of
# them may read otherwise than the version given (_written_otherwise says).
_EDITED_SINCE = (
    select(ProgramItem.program_id)
    .join(Exercise, Exercise.id == ProgramItem.exercise_id)
    .where(ProgramItem.program_id == Program.id, ~is_shared(Exercise))
    .where(Exercise.updated_at > Program.version_date)
    .exists()
)


# Given programs whose next re-evaluation's date now (programs.reeval_due_on, kept by
# reevaluation.py) is not the date their version given printed (versions.snapshot's
# "next_reevaluation"; a version frozen before the date was kept counts too): a re-evaluation
# recorded or the toxin cycle may have moved it (paper_state.check_up_moved says).
_DATE_MOVED = (
    select(ProgramVersion.id)
    .where(ProgramVersion.program_id == Program.id, ProgramVersion.number == Program.version)
    .where(
        func.coalesce(ProgramVersion.snapshot["next_reevaluation"].as_string(), "")
        != func.coalesce(cast(Program.reeval_due_on, String), "")
    )
    .exists()
)


def renew_changed_papers(session: Session, now: datetime) -> int:
    """renew_if_paper_changed (the rule "Print and give" applies) for every active program given to
    the patient whose paper may read otherwise with no edit of the program (an edit starts a new
    version already): its patient has a recorded dystonia pattern, a clinic's own exercise of it was
    saved since its version was started, or its next re-evaluation's date is not the one the
    version given printed. Only these can (paper_state.reads_otherwise names the causes; a new
    cause needs its candidates here). Called before an export of them all; returns how many new
    versions were started."""
    candidates = session.scalars(
        select(Program)
        .join(Patient, Patient.id == Program.patient_id)
        .where(
            Program.archived_at.is_(None),
            Patient.archived_at.is_(None),
            Program.issued.is_(True),
            or_(Program.patient_id.in_(select(DystoniaPattern.patient_id)), _EDITED_SINCE, _DATE_MOVED),
        )
        .order_by(Program.id)
    ).all()
    return sum(renew_if_paper_changed(session, program, now) for program in candidates)


# A program with no exercise gives the patient nothing to do; given, it would take the phone page
# ("Today is a rest day") from the program the patient holds.
EMPTY = "This program has no exercises yet. Add at least one before you print, email or share it."


def refuse_empty(program: Program) -> None:
    """:raise DomainError: (EMPTY) when the program has no exercise: nothing empty is given."""
    if not program.items:
        raise DomainError(EMPTY)


def issue(session: Session, program: Program, user_id: int | None, how: str, now: datetime) -> ProgramVersion:
    """Mark the current version as given to the patient (print, email, share) and freeze a copy of it.

    Every call records a giving (`how`, `now`, `user_id`) on the version, so the Versions page
    lists each time the same paper went out. Issuing the same version again returns the copy
    already frozen, unless a direction it printed
    from the pattern has changed since (a re-evaluation) or a clinic's own exercise of it was edited
    since: then a new version is started and frozen, so the copy always says what the new paper says. Sides the pattern gives are not stored on the
    items: they keep following the pattern, and the builder says when the paper differs
    (`changed_directions`).
    :raise DirectionsNotSet: (a DomainError) while a direction-specific exercise has no side.
    :raise DomainError: (EMPTY) for a program with no exercise.
    :raise ValueError: for a `how` not in models.program.GIVEN_WAYS (the Versions pages name each).
    """
    if how not in GIVEN_WAYS:
        raise ValueError(f"not a way to give a version: {how!r}")
    refuse_empty(program)
    refuse_unset_directions(program)
    renew_if_paper_changed(session, program, now)
    if program.issued:
        existing = session.scalars(
            select(ProgramVersion).where(
                ProgramVersion.program_id == program.id, ProgramVersion.number == program.version
            )
        ).first()
        if existing is not None:
            existing.givings.append(VersionGiving(how=how, given_at=now, given_by_id=user_id))
            return existing
    frozen = snapshot(program, next_reevaluation(program))
    # Today's ticks of an exercise whose way to move changes now were for the paper before.
    day_counts.note_ticked_before(session, program, frozen, last_frozen(session, program.id), now)
    version = ProgramVersion(
        program=program, number=program.version, created_at=now, issued_by_id=user_id, how=how, snapshot=frozen
    )
    version.givings.append(VersionGiving(how=how, given_at=now, given_by_id=user_id))
    session.add(version)
    program.issued = True
    program.paper_moved_on = None  # the paper given now follows the pattern
    session.flush()
    return version


@dataclass(frozen=True)
class Printed:
    """A handout made from a program as it was read: which version it shows, and what it says."""

    program_id: int
    version: int
    lock_version: int
    snapshot: dict[str, Any]
    clinic_id: int  # for the clinic's day of the ticks already made (day_counts.note_ticked_before)

    @property
    def id(self) -> int:
        """The program's id (day_counts.ProgramKey)."""
        return self.program_id


def printed(program: Program) -> Printed:
    """What a handout built from `program` just now shows (read it with its items and evaluations).

    :raise DirectionsNotSet: while a direction-specific exercise has no side (no handout is made).
    """
    refuse_unset_directions(program)
    frozen = snapshot(program, next_reevaluation(program))
    return Printed(program.id, program.version, program.lock_version, frozen, program.clinic_id)


def issue_printed(session: Session, handouts: list[Printed], how: str, now: datetime) -> int:
    """Issue many printed versions at once (the export); returns how many were newly issued.

    Each program is claimed by a conditional UPDATE: one changed since its handout was read
    (another lock_version), or already issued, is left as it is, so a frozen copy always says
    what the handout printed. Each handout whose program still holds that version, issued now or
    before, gets a giving `how` at `now` (by no one: a command).
    """
    if not handouts:
        return 0
    printed_as = {(h.program_id, h.version, h.lock_version): h for h in handouts}
    # One statement for the lot: only rows still as they were read, and not yet issued, change.
    changed = session.execute(
        update(Program)
        .where(tuple_(Program.id, Program.version, Program.lock_version).in_(list(printed_as)))
        .where(Program.issued.is_(False))
        .values(issued=True, paper_moved_on=None)
        .returning(Program.id, Program.version, Program.lock_version)
        .execution_options(synchronize_session=False)
    )
    claimed = [printed_as[(row[0], row[1], row[2])] for row in changed]
    for h in claimed:  # as issue does: today's ticks of what moves now were for the paper before
        day_counts.note_ticked_before(session, h, h.snapshot, last_frozen(session, h.program_id), now)
    if claimed:
        session.execute(
            insert(ProgramVersion),
            [
                {
                    "program_id": h.program_id,
                    "number": h.version,
                    "created_at": now,
                    "issued_by_id": None,
                    "how": how,
                    "snapshot": h.snapshot,
                }
                for h in claimed
            ],
        )
    # The versions these handouts show, now all issued (claimed above or given before): one row each.
    session.execute(
        insert(VersionGiving).from_select(
            ["version_id", "how", "given_at", "given_by_id"],
            select(ProgramVersion.id, literal(how), literal(now, UTCDateTime()), null())
            .join(Program, Program.id == ProgramVersion.program_id)
            .where(ProgramVersion.number == Program.version, Program.issued.is_(True))
            .where(tuple_(Program.id, Program.version, Program.lock_version).in_(list(printed_as))),
        )
    )
    return len(claimed)
