"""How a program template's exercises fit one patient's recorded dystonia pattern.

A template is for any patient: each of its items is weighed against the patient's pattern
(`fit_template`) before anything is added. An item for a pull or a head tremor (`when`) fits only
when the pattern has it; one the catalog rules out for the pattern is left out with why; of the
sensory trick choices only the patient's own trick fits; the pattern sets each side, never the
template (`template_side`). The fitting items are ranked (`priority`) so a long template keeps
to the advised length with the pattern's work first. The therapist's lines about the pattern
(`goals_for`, `tremor_note`, `jaw_note`) are said here too. program_templates.start_from_template
and add_not_added add what fits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from planner.bidi import isolate
from planner.dystonia.direction import CONTRAINDICATED, resolve
from planner.dystonia.movement import MOVEMENTS, ExerciseSpec
from planner.dystonia.pattern import COMPONENTS, SEVERITIES, TREMORS, PatternData
from planner.models import Exercise, Program, ProgramItem
from planner.services import patterns, stages
from planner.services.catalog import exercises_by_slug

# What a template adds first when it has more fitting exercises than a short program holds
# (`max_exercises`): the work away from the patient's own recorded pulls (and the supported rest
# for a head tremor) and the exercise for their own recorded sensory trick, then control in the
# calmest position, then the rest, each in the template's order. A recorded trick is one that
# works for this patient, so its exercise is kept with the pattern's work, not cut first.
# Control in the calmest position: a catalog exercise that starts in a calm position and holds
# the middle (approaches calm_position_start and midline_holding), the first stage's core.
PATTERN_WORK, CALM_CONTROL, REST = 0, 1, 2
CALM_CONTROL_APPROACHES = frozenset({"calm_position_start", "midline_holding"})


def priority(exercise: Exercise, when: str, against: str, trick: bool = False) -> int:
    """PATTERN_WORK for an item the template adds for a recorded component (`when`), one that
    works away from a recorded pull (`against`: the component, "" when none) or the exercise for
    the patient's recorded sensory trick (`trick`); CALM_CONTROL for control in the calmest
    position; REST otherwise."""
    if when or against or trick:
        return PATTERN_WORK
    return CALM_CONTROL if set(exercise.approaches or ()) >= CALM_CONTROL_APPROACHES else REST


def template_side(spec: ExerciseSpec, side: str) -> str:
    """The side a template keeps for an item: only one the exercise itself fixes ("both" for an
    exercise that works both sides the same way). A direction, a hand, an arm, a leg or a cheek
    is the patient's (their pull, their cramped hand, their sensory trick): "" for those, so the
    next patient's pattern or therapist sets it."""
    return side if side == "both" and spec.relation == "symmetric" else ""


def recorded(when: str, pattern: PatternData | None) -> bool:
    """The pattern has what a template item's `when` names: that component's pull, or a head tremor."""
    if pattern is None:
        return False
    return bool(pattern.tremor) if when == "tremor" else pattern.pull(when) is not None


def pull_words(component: str) -> str:
    """A pull (a component of COMPONENTS) or "tremor" as the template's report names it."""
    return "a head tremor" if component == "tremor" else f"a pull of {COMPONENTS[component].label.lower()}"


def pull_missing(component: str, pattern: PatternData | None) -> str:
    """Why a template's exercise for one pull (or a head tremor) is left out: no pattern recorded,
    or not this pull."""
    what = pull_words(component)
    if pattern is None:
        return f"It is for {what}, and no dystonia pattern is recorded."
    return f"It is for {what}, which the recorded pattern does not have."


def tremor_note(pattern: PatternData | None) -> str:
    """What a program started from a template does about a recorded head tremor, for the therapist
    ("" without one). Exercise does not treat a dystonic tremor; what it can do is keep the work
    slow and supported, where the tremor is often least, and stop what makes it worse."""
    if pattern is None or not pattern.tremor:
        return ""
    grade = SEVERITIES.get(pattern.tremor_severity, "")
    return (
        f"Recorded: {TREMORS[pattern.tremor].lower()}{', ' + grade if grade else ''}. "
        "These exercises do not treat the tremor itself. "
        "Keep the work slow and supported, where a tremor is often least. "
        "The handout and the phone page tell the patient to stop any exercise that makes the shaking worse."
    )


# The jaw pulls that oppose each other: the work against one is the other's own movement.
OPPOSED_JAW = ("jaw_opening", "jaw_closing")
# Everyone's jaw work that is safe for both: it holds the jaw still at rest, neither open nor shut.
JAW_REST = "jaw-rest-position"


def jaw_note(content: dict[str, Any], pattern: PatternData | None, program: Program) -> str:
    """For a jaw that pulls both open and shut (mixed oromandibular dystonia), when the template
    has work for either: why neither is added (each strengthens or stretches the way the other
    pulls, so the catalog rules it out) and what is safe for both (the resting position, lips
    together and teeth apart, when the program has it); "" otherwise. For the therapist."""
    if pattern is None or not all(pattern.pull(c) is not None for c in OPPOSED_JAW):
        return ""
    if not any(item.get("when") in OPPOSED_JAW for item in content.get("items", [])):
        return ""
    said = "The jaw pulls both open and shut. The work against one pull trains the other one, so neither is added."
    rest = next((i.exercise.name for i in program.items if i.exercise.slug == JAW_REST), "")
    if rest:
        said += f" “{isolate(rest)}” holds the jaw still, neither open nor shut: it is safe for both."
    return said + " Add other jaw work only if the jaw stays calm with it."


def goals_for(content: dict[str, Any], pattern: PatternData | None) -> str:
    """The template's goals for this patient: the goals for everyone, then one line for each
    recorded component the template has a goal for (`goals_when`), in the pattern's order. Each
    line is a shipped text, so the handout prints it in the patient's language."""
    lines = [str(content.get("goals") or "").strip()]
    goals_when = content.get("goals_when") or {}
    if pattern is not None:
        lines += [goals_when[p.component].strip() for p in pattern.pulls if p.component in goals_when]
        if pattern.tremor and "tremor" in goals_when:
            lines.append(goals_when["tremor"].strip())
    return "\n".join(line for line in lines if line)


# A template item that fits the patient (fit_template): (priority, place in the template, the item to add,
# the line saying it was added for the pattern, the direction line, added without a side).
Fitting = tuple[int, int, ProgramItem, tuple[str, str] | None, tuple[str, str] | None, bool]


@dataclass(frozen=True)
class Fit:
    """What a template's items come to for one patient's pattern (fit_template), before any is added."""

    skipped: list[str]  # retired or missing
    left_out: list[tuple[str, str]]  # (name, why) the pattern rules out, or work for a pull not recorded
    tricks_passed: list[str]  # trick exercises for another trick than the recorded one
    fitting: list[Fitting]  # in the template's order
    names: dict[int, str]  # each place's exercise name, of those found in the catalog
    for_pulls: dict[str, str]  # of left_out, the work for a pull not recorded: name -> pull_words

    def kept(self, max_exercises: int) -> set[int]:
        """The places a start adds: a short program is followed better (the builder warns above
        `max_exercises`), so the template keeps to it, by priority; the other fitting places are
        what it names as not added (and add_not_added may add)."""
        return {f[1] for f in sorted(self.fitting, key=lambda f: f[0])[:max_exercises]}


def fit_template(session: Session, content: dict[str, Any], clinic_id: int, pattern: PatternData | None) -> Fit:
    """The template content's items for a patient of `clinic_id` with `pattern`, as
    start_from_template weighs them: skipped, left out (with why), a trick passed, or fitting
    (with its priority and the words the start says of it). Nothing is added to any program."""
    slugs = [i["exercise"] for i in content["items"]]
    found = {e.slug: e for e in exercises_by_slug(session, clinic_id, slugs)}
    skipped: list[str] = []
    left_out: list[tuple[str, str]] = []
    for_pulls: dict[str, str] = {}
    tricks_passed: list[str] = []  # trick exercises for another trick than the recorded one
    fitting: list[Fitting] = []  # in the template's order
    for place, entry in enumerate(content["items"]):
        when = entry.get("when") or ""
        exercise = found.get(entry["exercise"])
        if exercise is None or exercise.retired:
            skipped.append(exercise.name if exercise else entry["exercise"])
            continue
        if when and not recorded(when, pattern):
            left_out.append((exercise.name, pull_missing(when, pattern)))  # work for a pull not recorded
            for_pulls[exercise.name] = pull_words(when)
            continue
        trick_for = entry.get("trick") or []
        if trick_for and (pattern.trick if pattern is not None else "") not in trick_for:
            tricks_passed.append(exercise.name)
            continue  # the exercise of another sensory trick than the patient's recorded one
        spec = patterns.exercise_spec(exercise)
        # A template is for any patient: the patient's pattern decides, now and later (a clinic
        # template saved before sides were dropped may still hold one patient's side).
        side = template_side(spec, entry.get("side") or "")
        direction = resolve(spec, side, pattern)
        ruled_out = [w.message for w in direction.warnings if w.kind == CONTRAINDICATED]
        if ruled_out:
            left_out.append((exercise.name, " ".join(ruled_out)))
            continue
        if spec.sided and pattern is not None and not direction.side:
            # The pattern is recorded without this movement: there is no side to train away from.
            left_out.append((exercise.name, pull_missing(MOVEMENTS[spec.movement].component, pattern)))
            for_pulls[exercise.name] = pull_words(MOVEMENTS[spec.movement].component)
            continue
        said: tuple[str, str] | None = None
        if when:
            what = "head tremor" if when == "tremor" else COMPONENTS[when].label.lower()
            said = (exercise.name, f"For the recorded {what}.")
        elif trick_for and pattern is not None and pattern.trick:
            said = (exercise.name, f"For the recorded {pattern.trick_words().lower()}.")
        sentence: tuple[str, str] | None = None
        if direction.side and (spec.sided or (direction.source == "pattern" and direction.sentence)):
            sentence = (exercise.name, direction.sentence)  # a limb's side from a focal dystonia too
        item = ProgramItem(
            exercise=exercise,
            dosage=dict(entry.get("dosage") or exercise.dosage),
            # The template's own side only: otherwise the item follows the pattern, now and later.
            side=side,
            note=entry.get("note") or "",
        )
        rank = priority(exercise, when, stages.against_pull(spec, pattern), trick=bool(trick_for))
        fitting.append((rank, place, item, said, sentence, spec.sided and not direction.side))
    names = {place: found[e["exercise"]].name for place, e in enumerate(content["items"]) if e["exercise"] in found}
    return Fit(skipped, left_out, tricks_passed, fitting, names, for_pulls)
