"""The catalog's exercises of a stage as the next-stage offer weighs them (services/stages.py).

A `Candidate` holds what the offer reads of an exercise: what the builder links to (slug,
name) and what the choice reads (regions, conditions, how it relates to a pattern, and what
tells two exercises of the same work apart: `near_identical`). `candidates` reads a stage's
exercises for a clinic and keeps them per process by the catalog's stamp.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from sqlalchemy.orm import Session

from planner.dystonia.movement import ExerciseSpec
from planner.models import Exercise
from planner.services import patterns
from planner.services.catalog import visible_exercises

# The positions (catalog POSITIONS) that load the neck and body alike: lying on the back, the
# stomach or the side; sitting or standing upright; on the floor on hands and knees or kneeling.
POSITION_FAMILY = {
    "lying": "lying",
    "prone": "lying",
    "side_lying": "lying",
    "sitting": "upright",
    "standing": "upright",
    "hands_knees": "floor",
    "kneeling": "floor",
}


@dataclass(frozen=True)
class Candidate:
    """A catalog exercise as the next-stage offer weighs it: what the builder links to (slug, name)
    and what the choice reads (regions, conditions, how it relates to a pattern, and what tells
    two exercises of the same work apart: position, category, drawn movement, other names)."""

    id: int
    slug: str
    name: str
    stage: int
    regions: frozenset[str]
    conditions: frozenset[str]
    spec: ExerciseSpec
    position: str = ""
    category: str = ""
    drawn: str = ""  # the movement its picture's arrow shows ([picture] arrow), "" for none
    synonyms: frozenset[str] = frozenset()  # its other names, lower case
    difficulty: int = 1

    @property
    def work(self) -> tuple[str, ...]:
        """What near_identical compares but the other names: stage, position family, category,
        drawn movement."""
        return (str(self.stage), POSITION_FAMILY.get(self.position, self.position), self.category, self.drawn)

    @classmethod
    def of(cls, exercise: Exercise) -> Candidate:
        """The candidate of a loaded catalog exercise (one already in a program, say), its spec the
        one kept on the exercise (patterns.exercise_spec)."""
        return cls.read(*_candidate_values(exercise), spec=patterns.exercise_spec(exercise))

    @classmethod
    def read(
        cls,
        id_: int,
        slug: str,
        name: str,
        stage: int | None,
        regions: list[str] | None,
        conditions: list[str] | None,
        pattern: dict[str, Any] | None,
        position: str,
        category: str,
        picture: dict[str, Any] | None,
        synonyms: list[str] | None,
        difficulty: int | None,
        *,
        spec: ExerciseSpec | None = None,
    ) -> Candidate:
        """The candidate of an exercise's CANDIDATE_COLUMNS, in their order: the one place a
        candidate is made, for a row the offer reads and for a loaded exercise (`of`) alike. `spec`:
        the exercise's ExerciseSpec when the caller has it, else read from `pattern` and `picture` (patterns.tables_spec)."""
        return cls(
            id_,
            slug,
            name,
            int(stage or 1),
            frozenset(regions or ()),
            frozenset(conditions or ()),
            spec if spec is not None else patterns.tables_spec(pattern, picture),
            position,
            category,
            str((picture or {}).get("arrow") or ""),
            frozenset(s.lower() for s in synonyms or ()),
            int(difficulty or 1),
        )


# What a candidate is made of (Candidate.read's arguments, in order): the columns the offer reads.
CANDIDATE_COLUMNS = (
    Exercise.id,
    Exercise.slug,
    Exercise.name,
    Exercise.stage,
    Exercise.regions,
    Exercise.conditions,
    Exercise.pattern,
    Exercise.position,
    Exercise.category,
    Exercise.picture,
    Exercise.synonyms,
    Exercise.difficulty,
)
# The same values of a loaded exercise, in that order, read in one call.
_candidate_values = attrgetter(*(column.key for column in CANDIDATE_COLUMNS))


def near_identical(a: Candidate, b: Candidate) -> bool:
    """Two exercises that train the same movement in near-identical positions, as the catalog
    describes them: the same stage, the same position family (POSITION_FAMILY: sitting and
    standing are both upright), the same category, the same movement drawn, and an other name in
    common (the catalog calls both a "chin retraction"). A patient doing both does the same work
    twice: "Chin tuck sitting" and "Chin tuck against a wall". A turn and a tilt against the hand
    share "neck isometrics" but not their drawn movement, so both may be offered."""
    return a.id != b.id and bool(a.drawn) and a.work == b.work and bool(a.synonyms & b.synonyms)


# The candidates of each stage per clinic and catalog (services/catalog.catalog_stamp), kept per
# process: the builder asks on every view, and reading and decoding a stage's rows cost more
# than the rest of the offer. A changed catalog has another stamp, so it is read afresh.
_CANDIDATES: OrderedDict[tuple[Any, ...], list[Candidate]] = OrderedDict()
_CANDIDATES_MAX = 64
_LOCK = threading.Lock()


def candidates(session: Session, clinic_id: int, stage: int, stamp: tuple[Any, ...]) -> list[Candidate]:
    """The exercises of `stage` the clinic sees and may still add (not retired), by name."""
    key = (stamp, clinic_id, stage)
    with _LOCK:
        if key in _CANDIDATES:
            _CANDIDATES.move_to_end(key)
            return _CANDIDATES[key]
    rows = session.execute(
        visible_exercises(clinic_id)
        .where(Exercise.stage == stage, Exercise.retired_at.is_(None))
        .with_only_columns(*CANDIDATE_COLUMNS)
        .order_by(Exercise.name, Exercise.id)
    )
    found = [Candidate.read(*row) for row in rows]
    with _LOCK:
        _CANDIDATES[key] = found
        while len(_CANDIDATES) > _CANDIDATES_MAX:
            _CANDIDATES.popitem(last=False)
    return found
