"""Retraining in stages: where a program is, and the next stage's exercises offered in one step.

Each catalog exercise carries its stage (planner/dystonia/movement.py STAGES): 1, control in a
calm position; 2, sitting and standing without the mirror or the trick; 3, daily tasks. A
program is at the stage most of its exercises are at (the later one on a tie): the therapist
sees where the work is, and moves it on by adding the next stage's exercises.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.dystonia.direction import CONTRAINDICATED
from planner.dystonia.movement import STAGES
from planner.models import Exercise, Program, ProgramItem
from planner.services import DomainError, patterns, programs
from planner.services.catalog import visible_exercises

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


def next_stage_exercises(session: Session, program: Program, limit: int = OFFER_MAX) -> list[Exercise]:
    """The next stage's exercises for this patient: first the harder versions of the program's own
    exercises, then others for the same conditions and body regions; none already in the program,
    none retired, none the recorded pattern rules out."""
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
    # The builder asks on every view: the stage's exercises are chosen from five narrow columns,
    # and only those that fit are loaded whole (a whole row decodes a dozen JSON columns).
    candidates = session.execute(
        visible_exercises(program.clinic_id)
        .where(Exercise.stage == stage, Exercise.retired_at.is_(None))
        .with_only_columns(Exercise.id, Exercise.slug, Exercise.name, Exercise.regions, Exercise.conditions)
        .order_by(Exercise.name)
    ).all()

    def rank(exercise: Any) -> tuple[int, int, str]:
        step = progressions.index(exercise.slug) if exercise.slug in progressions else len(progressions)
        shared = len(regions & set(exercise.regions))
        return (step, -shared, exercise.name)

    fitting = [
        candidate.id
        for candidate in sorted(candidates, key=rank)
        if candidate.id not in in_program
        and (conditions & set(candidate.conditions) or candidate.slug in progressions)
        and (regions & set(candidate.regions) or candidate.slug in progressions)
    ]
    loaded = {e.id: e for e in session.scalars(select(Exercise).where(Exercise.id.in_(fitting)))} if fitting else {}
    offered = []
    for exercise in (loaded[i] for i in fitting):
        ruled_out = patterns.resolve_for(exercise, pattern).warnings
        if any(w.kind == CONTRAINDICATED for w in ruled_out):
            continue
        offered.append(exercise)
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
    added = []
    for n, exercise in enumerate(offered):
        # The first claims the program (and starts a new version if it was issued); the rest follow it.
        added.append(programs.add_item(session, program, exercise, lock_version if n == 0 else None, now))
    return added
