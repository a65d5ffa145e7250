"""Retraining in stages: where a program is, and the next stage's exercises offered in one step.

Each catalog exercise carries its stage (planner/dystonia/movement.py STAGES): 1, control in a
calm position; 2, sitting and standing without the mirror or the trick; 3, daily tasks. A
program is at the stage most of its exercises are at (the later one on a tie): the therapist
sees where the work is, and moves it on by adding the next stage's exercises.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.dystonia.direction import CONTRAINDICATED, resolve
from planner.dystonia.movement import STAGES, ExerciseSpec, spec_of
from planner.models import Exercise, Program, ProgramItem
from planner.services import DomainError, patterns, programs
from planner.services.catalog import catalog_stamp, visible_exercises

# At most this many exercises are offered for the next stage: a home program stays short.
OFFER_MAX = 4


@dataclass(frozen=True)
class ProgramStage:
    stage: int  # 0 for a program without exercises
    counts: dict[int, int]  # exercises per stage

    @property
    def label(self) -> str:
        return STAGES.get(self.stage, "")

    @property
    def next(self) -> int | None:
        return self.stage + 1 if 0 < self.stage < max(STAGES) else None


def program_stage(program: Program) -> ProgramStage:
    """The stage most of the program's exercises are at (the later one on a tie), with the counts."""
    counts = Counter(int(item.exercise.stage or 1) for item in program.items)
    if not counts:
        return ProgramStage(0, {})
    stage = max(counts, key=lambda s: (counts[s], s))
    return ProgramStage(stage, dict(sorted(counts.items())))


@dataclass(frozen=True)
class Candidate:
    """A catalog exercise as the next-stage offer weighs it: what the builder links to (slug, name)
    and what the choice reads (regions, conditions, how it relates to a pattern)."""

    id: int
    slug: str
    name: str
    stage: int
    regions: frozenset[str]
    conditions: frozenset[str]
    spec: ExerciseSpec


# The candidates of each stage per clinic and catalog (services/catalog.catalog_stamp), kept per
# process: the builder asks on every view, and reading and decoding a stage's rows cost more
# than the rest of the offer. A changed catalog has another stamp, so it is read afresh.
_CANDIDATES: OrderedDict[tuple[Any, ...], list[Candidate]] = OrderedDict()
_CANDIDATES_MAX = 64
_LOCK = threading.Lock()


def _candidates(session: Session, clinic_id: int, stage: int, stamp: tuple[Any, ...]) -> list[Candidate]:
    """The exercises of `stage` the clinic sees and may still add (not retired), by name."""
    key = (stamp, clinic_id, stage)
    with _LOCK:
        if key in _CANDIDATES:
            _CANDIDATES.move_to_end(key)
            return _CANDIDATES[key]
    rows = session.execute(
        visible_exercises(clinic_id)
        .where(Exercise.stage == stage, Exercise.retired_at.is_(None))
        .with_only_columns(
            Exercise.id, Exercise.slug, Exercise.name, Exercise.regions, Exercise.conditions, Exercise.pattern
        )
        .order_by(Exercise.name, Exercise.id)
    )
    found = [
        Candidate(id_, slug, name, stage, frozenset(regions or ()), frozenset(conditions or ()), spec_of(pattern))
        for id_, slug, name, regions, conditions, pattern in rows
    ]
    with _LOCK:
        _CANDIDATES[key] = found
        while len(_CANDIDATES) > _CANDIDATES_MAX:
            _CANDIDATES.popitem(last=False)
    return found


def next_stage_exercises(
    session: Session, program: Program, limit: int = OFFER_MAX, stamp: tuple[Any, ...] | None = None
) -> list[Candidate]:
    """The next stage's exercises for this patient: first the harder versions of the program's own
    exercises, then others for the same conditions and body regions; none already in the program,
    none retired, none the recorded pattern rules out.

    stamp: the clinic's catalog_stamp when the caller has read it already (read here otherwise).
    """
    stage = program_stage(program).next
    if stage is None:
        return []
    in_program = {item.exercise_id for item in program.items}
    conditions = set(program.patient.condition_tags or []) or {
        c for item in program.items for c in item.exercise.conditions
    }
    regions = {r for item in program.items for r in item.exercise.regions}
    pattern = patterns.patient_pattern(program.patient)
    progressions = [slug for item in program.items for slug in item.exercise.progression]
    if stamp is None:
        stamp = catalog_stamp(session, program.clinic_id)

    def rank(candidate: Candidate) -> tuple[int, int, str]:
        step = progressions.index(candidate.slug) if candidate.slug in progressions else len(progressions)
        return (step, -len(regions & candidate.regions), candidate.name)

    offered = []
    for candidate in sorted(_candidates(session, program.clinic_id, stage, stamp), key=rank):
        if candidate.id in in_program:
            continue
        progression = candidate.slug in progressions
        if not (progression or (conditions & candidate.conditions and regions & candidate.regions)):
            continue
        if any(w.kind == CONTRAINDICATED for w in resolve(candidate.spec, "", pattern).warnings):
            continue
        offered.append(candidate)
        if len(offered) == limit:
            break
    return offered


def add_next_stage(session: Session, program: Program, lock_version: int | None, now: datetime) -> list[ProgramItem]:
    """Add the next stage's offered exercises in one step (one change of the program, one version).

    :raise DomainError: when there is nothing to offer; :raise Conflict: for a stale page.
    """
    offered = next_stage_exercises(session, program)
    if not offered:
        raise DomainError("There are no exercises of the next stage to add for this patient.")
    rows = {e.id: e for e in session.scalars(select(Exercise).where(Exercise.id.in_([c.id for c in offered])))}
    added = []
    for n, exercise in enumerate(rows[c.id] for c in offered):
        # The first claims the program (and starts a new version if it was issued); the rest follow it.
        added.append(programs.add_item(session, program, exercise, lock_version if n == 0 else None, now))
    return added
