"""Retraining in stages: where a program is, and the next stage's exercises offered in one step.

Each catalog exercise carries its stage (planner/dystonia/movement.py STAGES): 1, control in a
calm position; 2, sitting and standing without the mirror or the trick; 3, daily tasks. A
program is at the stage most of its exercises are at (the later one on a tie): the therapist
sees where the work is, and moves it on by adding the next stage's exercises, and, in the same
step, by retiring the earlier exercises those replace (`replaced_by`), as the therapist ticks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.bidi import isolate
from planner.dystonia.direction import resolve
from planner.dystonia.movement import MOVEMENTS, STAGES, ExerciseSpec
from planner.dystonia.pattern import JAW, PatternData
from planner.dystonia.stage_words import condition_area, pattern_area, stage_label
from planner.models import Exercise, Program, ProgramItem
from planner.services import DomainError, patterns, program_items, programs
from planner.services.catalog import catalog_stamp
from planner.services.stage_candidates import Candidate, candidates, near_identical

# At most this many exercises are offered for the next stage: a home program stays short.
OFFER_MAX = 4


@dataclass(frozen=True)
class ProgramStage:
    stage: int  # 0 for a program without exercises
    counts: dict[int, int]  # exercises per stage
    # From stage 2 on (without the mirror or the trick): the names of the program's exercises
    # that still use one, so the label never claims what the program does not do.
    aids: tuple[str, ...] = ()
    # The focal area the program works on (stage_words.AREA_STAGES' keys), for the label's words.
    area: str = ""

    @property
    def label(self) -> str:
        """The stage in the words of the program's area: a hand program's stage 2 is hand and
        finger movement, not sitting and standing."""
        return stage_label(self.stage, self.area)

    @property
    def next(self) -> int | None:
        return self.stage + 1 if 0 < self.stage < max(STAGES) else None

    @property
    def next_label(self) -> str:
        """The next stage in the words of the program's area ("" after the last): the offer says
        what the stage asks (stage 2 of the neck: sitting and standing, without the mirror or the
        trick) before the therapist adds its exercises."""
        return stage_label(self.next, self.area) if self.next else ""


def program_stage(program: Program) -> ProgramStage:
    """The stage most of the program's exercises are at (the later one on a tie), with the counts,
    and the focal area it works on: the patient's recorded pattern's, else the condition tags'
    (several areas, or none known: "")."""
    counts = Counter(int(item.exercise.stage or 1) for item in program.items)
    if not counts:
        return ProgramStage(0, {})
    stage = max(counts, key=lambda s: (counts[s], s))
    aids = tuple(dict.fromkeys(i.exercise.name for i in program.items if uses_aid(i.exercise))) if stage >= 2 else ()
    area = pattern_area(patterns.patient_pattern(program.patient))
    if area is None:
        area = condition_area(program.patient.condition_tags or ())
    return ProgramStage(stage, dict(sorted(counts.items())), aids, area or "")


def uses_aid(exercise: Exercise) -> str:
    """ "mirror" or "trick" when the exercise needs a mirror or a sensory trick, "" otherwise."""
    approaches = set(exercise.approaches or ())
    if "mirror_feedback" in approaches or "mirror" in (exercise.equipment or ()):
        return "mirror"
    return "trick" if "sensory_trick" in approaches else ""


def against_pull(spec: ExerciseSpec, pattern: PatternData | None) -> str:
    """The recorded component whose pull the exercise works away from ("" when none)."""
    if pattern is None or not spec.directional or spec.relation != "away":
        return ""
    component = MOVEMENTS[spec.movement].component
    return component if pattern.pull(component) is not None else ""


# The body regions (catalog REGIONS) that fit each recorded part of a pattern: the next stage
# offers work there only, so a leg dystonia is not offered neck, posture or voice exercises.
NECK_REGIONS = frozenset({"neck", "head", "shoulders"})
AREA_REGIONS = {
    "eyes_face": frozenset({"face_jaw", "head"}),
    "jaw_mouth": frozenset({"face_jaw"}),
    "voice": frozenset({"face_jaw", "neck"}),
    "hand_arm_right": frozenset({"arms_hands"}),
    "hand_arm_left": frozenset({"arms_hands"}),
    "trunk": frozenset({"trunk"}),
    "leg_right": frozenset({"hips_legs"}),
    "leg_left": frozenset({"hips_legs"}),
    "legs": frozenset({"hips_legs"}),
}


def pattern_regions(pattern: PatternData | None) -> frozenset[str] | None:
    """The body regions the recorded pattern is in (AREA_REGIONS; a neck pull or head tremor: the
    neck, head and shoulders; a jaw type: the face and jaw); None when no pattern with a part is
    recorded, so the program's own regions decide."""
    if pattern is None:
        return None
    found: set[str] = set()
    for pull in pattern.pulls:
        found |= AREA_REGIONS["jaw_mouth"] if pull.component in JAW else NECK_REGIONS
    if pattern.tremor:
        found |= NECK_REGIONS
    for area in pattern.areas:
        found |= AREA_REGIONS.get(area, frozenset())
    return frozenset(found) or None


def next_stage_exercises(
    session: Session, program: Program, limit: int = OFFER_MAX, stamp: tuple[Any, ...] | None = None
) -> list[Candidate]:
    """The next stage's exercises for this patient: for each recorded pull, one that works away
    from it; then the harder versions of the program's own exercises; then others for the same
    conditions and body regions, never outside the recorded pattern's regions when one is recorded. None already in the program, none retired, none the recorded
    pattern rules out or leaves without a side, none toward the pull. Listed by that rank.
    Never two that train the same movement in near-identical positions (near_identical), nor one
    near-identical to an exercise the program has: of such a pair the easier is offered.

    stamp: the clinic's catalog_stamp when the caller has read it already (read here otherwise).
    The catalog part is kept per stamp; the patient's pattern and program are read on every call.
    """
    eligible, pattern = _eligible(session, program, stamp)
    return _chosen(eligible, pattern, limit)


def _eligible(
    session: Session, program: Program, stamp: tuple[Any, ...] | None, where: ProgramStage | None = None
) -> tuple[list[Candidate], PatternData | None]:
    """next_stage_exercises before its limit: every exercise it may offer, by rank, and the
    patient's pattern (its pulls come first). ([], ...) when the program is at its last stage.
    `where`: program_stage(program), when the caller has it."""
    pattern = patterns.patient_pattern(program.patient)
    stage = (where or program_stage(program)).next
    if stage is None:
        return [], pattern
    in_program = {item.exercise_id for item in program.items}
    conditions = set(program.patient.condition_tags or []) or {
        c for item in program.items for c in item.exercise.conditions
    }
    # Where the pattern is, when one is recorded: the program may hold general work elsewhere
    # (posture for a leg dystonia), which is no reason to offer more of it.
    recorded = pattern_regions(pattern)
    regions = {r for item in program.items for r in item.exercise.regions}
    progressions = [slug for item in program.items for slug in item.exercise.progression]
    if stamp is None:
        stamp = catalog_stamp(session, program.clinic_id)

    def rank(candidate: Candidate) -> tuple[int, int, str]:
        step = progressions.index(candidate.slug) if candidate.slug in progressions else len(progressions)
        return (step, -len(regions & candidate.regions), candidate.name)

    eligible = []
    for candidate in sorted(candidates(session, program.clinic_id, stage, stamp), key=rank):
        if candidate.id in in_program:
            continue
        progression = candidate.slug in progressions
        if not (progression or (conditions & candidate.conditions and regions & candidate.regions)):
            continue
        if recorded is not None and not recorded & candidate.regions:
            continue  # a harder version too: only where the recorded pattern is
        direction = resolve(candidate.spec, "", pattern)
        if direction.flagged:
            continue  # it would be held back for the therapist's check
        if direction.unset:
            continue  # no pull of this movement recorded: no side, so no handout could be made of it
        eligible.append(candidate)
    # Of exercises that do the same work in near-identical positions, the easier one (the
    # patient starts the stage there), and none the program already does. Grouped first by what
    # near_identical compares one to one: few candidates share a drawn movement and position.
    alike: dict[tuple[str, ...], list[Candidate]] = {}
    for c in [Candidate.of(item.exercise) for item in program.items] + eligible:
        if c.drawn:
            alike.setdefault(c.work, []).append(c)
    offered = set(map(id, eligible))

    def surpassed(c: Candidate) -> bool:
        """A near-identical exercise is in the program, or is offered and easier (or ranks first)."""
        return any(
            near_identical(c, other)
            and (id(other) not in offered or (other.difficulty, rank(other)) < (c.difficulty, rank(c)))
            for other in alike.get(c.work, ())
        )

    return [c for c in eligible if not (c.drawn and surpassed(c))], pattern


def _chosen(eligible: list[Candidate], pattern: PatternData | None, limit: int) -> list[Candidate]:
    """At most `limit` of the `eligible` exercises (_eligible), in their order: for each recorded
    pull its first exercise that works away from it, then the others by rank."""
    # Training away from the pull is the core of the work: each recorded pull gets its exercise
    # first, however the name sorts; otherwise the harder versions of the program's own fill the
    # offer and the direction-specific work of the stage is never offered.
    chosen: list[Candidate] = []
    for pull in pattern.pulls if pattern is not None else ():
        first = next((c for c in eligible if against_pull(c.spec, pattern) == pull.component and c not in chosen), None)
        if first is not None and len(chosen) < limit:
            chosen.append(first)
    chosen += [c for c in eligible if c not in chosen][: limit - len(chosen)]
    return sorted(chosen, key=eligible.index)


@dataclass(frozen=True)
class Replaced:
    """An earlier-stage item the next stage replaces, and why, for the therapist to retire or keep."""

    item: ProgramItem
    why: str


def replaced_by(program: Program, offered: list[Candidate], where: ProgramStage | None = None) -> list[Replaced]:
    """The program's earlier-stage items that the next stage replaces: one whose next step is
    offered, and at stage 2 (sitting and standing without the mirror or the trick) one that needs
    a mirror or a sensory trick. The builder ticks them to retire; the therapist decides.
    `where`: program_stage(program), when the caller has it.
    """
    stage = (where or program_stage(program)).next
    if stage is None:
        return []
    names = {c.slug: c.name for c in offered}
    found = []
    for item in program.items:
        exercise = item.exercise
        if int(exercise.stage or 1) >= stage:
            continue
        step = next((names[slug] for slug in exercise.progression if slug in names), None)
        aid = uses_aid(exercise)
        if step is not None:
            found.append(Replaced(item, f"Its next step, “{isolate(step)}”, is added."))
        elif stage == 2 and aid == "mirror":
            found.append(Replaced(item, "Stage 2 works without the mirror."))
        elif stage == 2 and aid == "trick":
            # Stage 2 trains holding the head without the trick; the trick itself is the patient's
            # and stays useful when the pull is strong, so the therapist may keep it on purpose.
            found.append(
                Replaced(
                    item,
                    "Stage 2 works without the sensory trick. "
                    "The patient may still use the trick in daily life; untick to keep practising it.",
                )
            )
    return found


@dataclass(frozen=True)
class Offer:
    """The next stage's exercises offered in one step, the earlier items they replace, and how many
    exercises the program then has with every replaced one retired."""

    exercises: list[Candidate]
    replaced: list[Replaced]
    then: int
    where: ProgramStage  # the program's stage now (program_stage), read once for the offer and the page


def stage_offer(session: Session, program: Program, max_exercises: int, stamp: tuple[Any, ...] | None = None) -> Offer:
    """The next-stage offer as the builder shows it and add_next_stage adds it: at most OFFER_MAX
    exercises, and fewer when the program would then pass the program-length advice
    (`max_exercises`, the site's [programs] max_exercises) with the replaced ones retired; one at
    least, the work away from a recorded pull first (next_stage_exercises). stamp: as for
    next_stage_exercises."""
    where = program_stage(program)
    eligible, pattern = _eligible(session, program, stamp, where)  # worked out once for both limits
    offered = _chosen(eligible, pattern, OFFER_MAX)
    replaced = replaced_by(program, offered, where)
    room = max(1, max_exercises - len(program.items) + len(replaced))
    if room < len(offered):
        offered = _chosen(eligible, pattern, room)
        replaced = replaced_by(program, offered, where)
    return Offer(offered, replaced, len(program.items) - len(replaced) + len(offered), where)


def add_next_stage(
    session: Session,
    program: Program,
    lock_version: int | None,
    now: datetime,
    retire: Sequence[int] = (),
    max_exercises: int = programs.MAX_EXERCISES,
) -> tuple[list[ProgramItem], list[str]]:
    """Add the next stage's offered exercises in one step (one change of the program, one version),
    and retire the program's items whose ids are in `retire` (the therapist ticked them). The
    exercises are stage_offer's for `max_exercises`, as the builder showed them.

    Returns the items added and the names of the exercises retired.
    :raise DomainError: when there is nothing to offer, or `retire` names an item that is not an
        earlier-stage item of this program; :raise Conflict: for a stale page.
    """
    offered = stage_offer(session, program, max_exercises).exercises
    if not offered:
        raise DomainError("There are no exercises of the next stage to add for this patient.")
    stage = program_stage(program).next or 0
    earlier = {item.id: item for item in program.items if int(item.exercise.stage or 1) < stage}
    unknown = [n for n in retire if n not in earlier]
    if unknown:
        raise DomainError("An exercise to retire is not an earlier-stage exercise of this program. Reload the page.")
    rows = {e.id: e for e in session.scalars(select(Exercise).where(Exercise.id.in_([c.id for c in offered])))}
    retired = []
    claimed = False
    for item_id in dict.fromkeys(retire):
        retired.append(earlier[item_id].exercise.name)
        # The first change claims the program (and starts a new version if it was issued); the rest follow it.
        program_items.remove_item(session, program, item_id, None if claimed else lock_version, now)
        claimed = True
    added = []
    for exercise in (rows[c.id] for c in offered):
        added.append(program_items.add_item(session, program, exercise, None if claimed else lock_version, now))
        claimed = True
    return added, retired
