"""A patient's dystonia pattern applied to a program (the pattern as recorded: recorded_patterns.py).

Each program item's direction, picture and warnings come from
planner/dystonia/direction.py, called here with the patient's current pattern, so the builder,
the handout, the phone page and the frozen versions say the same thing.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, cast

from planner.bidi import isolate
from planner.catalog.figure.spec import both_hands
from planner.catalog.translations import ExerciseText
from planner.dosage import in_words
from planner.dosage import sentences as dosage_sentences
from planner.dystonia.direction import OTHER_SIDE, Direction, pattern_side, resolve, uncovered
from planner.dystonia.limbs import HAND_AREAS
from planner.dystonia.movement import MOVEMENTS, ExerciseSpec, spec_of
from planner.dystonia.pattern import COMPONENTS, PatternData
from planner.dystonia.sentences import ONE_SIDE_DRAWN, side_name
from planner.i18n import ENGLISH, N_, translator
from planner.models import Exercise, Patient
from planner.services import DomainError
from planner.services.recorded_patterns import current_pattern

if TYPE_CHECKING:
    from planner.models import Program, ProgramItem


def exercise_spec(exercise: Exercise) -> ExerciseSpec:
    """The exercise's ExerciseSpec (movement.spec_of its `[pattern]` table, and whether its
    `[picture]` draws both hands).

    Kept on the loaded exercise with the table it was read from, and read again once the exercise
    holds another table (an edit sets a new one, a refresh loads one): a builder view asks for
    each exercise's about four times (its side field, direction, second copy, what was given).
    """
    table, picture = exercise.pattern, exercise.picture
    kept = exercise.__dict__.get(_KEPT_SPEC)
    if kept is not None and kept[0] is table and kept[1] is picture:
        return cast(ExerciseSpec, kept[2])
    spec = tables_spec(table, picture)
    exercise.__dict__[_KEPT_SPEC] = (table, picture, spec)  # the tables held, so no other can take their ids
    return spec


def tables_spec(pattern: Mapping[str, Any] | None, picture: Mapping[str, Any] | None) -> ExerciseSpec:
    """The ExerciseSpec of an exercise's `[pattern]` and `[picture]` tables: a picture that draws
    both hands at once makes a symmetric exercise take no left or right side."""
    return spec_of(pattern, both_hands(picture))


_KEPT_SPEC = "_planner_kept_spec"  # not a mapped attribute: the ORM neither saves nor expires it


def patient_pattern(patient: Patient) -> PatternData | None:
    row = current_pattern(patient)
    return row.data if row is not None else None


def proposed_side(exercise: Exercise, patient: Patient) -> str:
    """The side a direction-specific exercise gets when added for this patient; "" when none."""
    return pattern_side(exercise_spec(exercise), patient_pattern(patient))


def resolve_for(exercise: Exercise, pattern: PatternData | None) -> Direction:
    """The Direction an exercise would have if added now for a patient with this pattern."""
    return resolve(exercise_spec(exercise), "", pattern)


def item_direction(item: ProgramItem, pattern: PatternData | None) -> Direction:
    """The item's direction, sentence, picture and warnings under the given pattern: the side set
    on the item, else the side the pattern gives (direction.resolve); `unset` when neither has one.
    The one rule every page, handout, email, the API and the versions read an item's side by."""
    return resolve(exercise_spec(item.exercise), item.side, pattern, item.side_to_confirm)


def program_directions(program: Program) -> list[Direction]:
    """item_direction of each item of the program, in order, under the patient's current pattern."""
    pattern = patient_pattern(program.patient)
    return [item_direction(item, pattern) for item in program.items]


def uncovered_pulls(program: Program) -> list[str]:
    """direction.uncovered for the program's items under the patient's current pattern: a line for
    each recorded neck pull no exercise of the program works against ([] when none)."""
    pattern = patient_pattern(program.patient)
    if pattern is None:
        return []
    directions = [item_direction(item, pattern) for item in program.items]
    return uncovered(pattern, [(exercise_spec(i.exercise), d) for i, d in zip(program.items, directions, strict=True)])


def prescription_words(direction: Direction, dosage: dict, language: str = ENGLISH) -> str:
    """What the patient reads for one exercise, in `language` (the patient's handout language on
    the handout and the phone page, English on the therapist's pages): the direction's sentence,
    then the dosage in words; set for both sides beside a picture of one, the sentence saying the
    picture shows one side between them (Direction.one_side_drawn). An exercise with no side reads
    why to wait instead (Direction.waiting_words: the way to move, or for a one-sided exercise the
    side to use, is not set), never a dosage without its direction."""
    t = translator(language)
    if direction.unset:
        return t.gettext(direction.waiting_words)  # not to be done yet
    if direction.one_side_drawn:  # right after the words that name both sides (sentences.ONE_SIDE_DRAWN)
        named = (
            [t.gettext(direction.sentence)] if direction.sentence else dosage_sentences({}, direction.side, language)
        )
        return " ".join([*named, t.gettext(ONE_SIDE_DRAWN), in_words(dosage, None, language)]).strip()
    said = in_words(dosage, direction.limb_side, language)
    if not direction.sentence:
        return said
    return f"{t.gettext(direction.sentence)} {said}".strip()


def twice(exercise_ids: Iterable[int]) -> frozenset[int]:
    """The exercises in this list (a program's or a given version's items, in order) more than
    once: each copy for one side (program_items.second_copy_side), named apart by told_apart."""
    return frozenset(exercise_id for exercise_id, n in Counter(exercise_ids).items() if n > 1)


# What a tick is kept by: (exercise id, copy), copy as `copies` counts it.
TickKey = tuple[int, int]


def copies(exercise_ids: Iterable[int | None]) -> list[int]:
    """Which copy of its exercise each of these is (a program's or a given version's items, in
    order): 0 for the first (or only) one, 1 for the second. A tick is kept per exercise and copy
    (ExerciseLog.copy), so each copy of an exercise given for each side is ticked on its own."""
    seen: Counter[int | None] = Counter()
    found = []
    for exercise_id in exercise_ids:
        found.append(seen[exercise_id])
        seen[exercise_id] += 1
    return found


def told_apart(text: ExerciseText, exercise: Exercise, side: str, language: str = ENGLISH) -> ExerciseText:
    """`text` (an exercise's words in `language`) of one copy of an exercise the program holds
    twice (`twice`), its name ending with the words of its side, as the direction rules set it
    (Direction.side): "Wrist stretch (left hand)", "Estiramiento de muñeca (mano izquierda)"
    (sentences.side_name), kept apart in `side_words` too. The one rule every place a patient
    reads the name follows (the handout's headings and tick sheet, the phone page, the emails, the
    FHIR export). A copy with no one side (unset, or both) keeps its name: it waits, or is the only one."""
    words = translator(language).gettext(said) if (said := side_name(exercise_spec(exercise).wording, side)) else ""
    if not words:
        return text
    return replace(text, name=f"{text.name} {words}", side_words=words)


# With the safety rule, on the handout's front page and the phone page, when the pattern records a
# head tremor: exercise does not treat it, and one that makes it worse is stopped (the builder
# tells the therapist the same: template_fit.tremor_note).
TREMOR_STOP = N_("Stop any exercise that makes the shaking worse.")
# The one safety rule for every exercise, said wherever the patient reads the program: at the foot
# of every handout page (handouts/words.py) and at the top of the phone page (safety_lines). One
# line even at large print on A4.
SAFETY = N_("Stop and call us if your pain or symptoms get worse.")


def stop_rules(patient: Patient, language: str) -> tuple[str, ...]:
    """The patient's own stop rules from their current recorded pattern, in `language`, said with
    the safety rule by the handout's front page and the phone page alike: TREMOR_STOP for a
    recorded head tremor; () for none."""
    pattern = patient_pattern(patient)
    if pattern is None or not pattern.tremor:
        return ()
    return (translator(language).gettext(TREMOR_STOP),)


def safety_lines(patient: Patient | None, language: str) -> tuple[str, ...]:
    """What the phone page says at its top, a line each, in `language`: the safety rule (SAFETY),
    then the patient's own stop rules (stop_rules; none for `patient` None, when no program was
    given). The handout says the same: SAFETY at the foot of every page, the stop rules on its
    front page."""
    rules = stop_rules(patient, language) if patient is not None else ()
    return (translator(language).gettext(SAFETY), *rules)


# What the patient reads on the phone page for an exercise the pattern flags that the therapist
# has not confirmed for this program yet (unchecked_items), instead of how to do it.
CHECK_FIRST = N_("Please wait before you start this exercise. Your therapist will check it first.")


@dataclass(frozen=True)
class Prescribed:
    """One item as the pages show it: its direction, the words the patient reads, and whether the
    patient is to wait (no side set yet, or not checked yet: no picture, steps or tick).

    to_check: the recorded pattern flags it (Direction.flagged) and the therapist has not confirmed
    it for the program as it is now (unchecked_items): the builder says it is held back, printing,
    emailing and sharing ask first, and the phone page says CHECK_FIRST. A flagged item with
    to_check False has been checked: it goes out as it is."""

    direction: Direction
    words: str
    waiting: bool = False
    to_check: bool = False


def prescribed(
    program: Program,
    language: str = ENGLISH,
    directions: list[Direction] | None = None,
    *,
    for_patient: bool = False,
) -> dict[int, Prescribed]:
    """Each item's Prescribed, by item id (for the builder and the phone page), its words in `language`.

    `directions`: program_directions(program), when the caller has worked them out already.
    for_patient: as the patient's phone page shows it, where an exercise the pattern flags waits
    (CHECK_FIRST) until the therapist has confirmed it (unchecked_items)."""
    directions = program_directions(program) if directions is None else directions
    unchecked = {f.item.id for f in unchecked_items(program, directions)}
    found = {}
    for item, direction in zip(program.items, directions, strict=True):
        to_check = item.id in unchecked
        if to_check and for_patient:
            found[item.id] = Prescribed(direction, translator(language).gettext(CHECK_FIRST), True, True)
        else:
            words = prescription_words(direction, item.dosage, language)
            found[item.id] = Prescribed(direction, words, direction.unset, to_check)
    return found


# ---- no handout with a direction left unset ------------------------------------------------


class DirectionsNotSet(DomainError):
    """The program has direction-specific exercises without a side: no handout may be made of it."""

    def __init__(self, message: str, exercises: list[str]) -> None:
        super().__init__(message, "side")
        self.exercises = exercises


def unset_items(program: Program, directions: list[Direction] | None = None) -> list[ProgramItem]:
    """The items whose direction has no side (Direction.unset), in order.

    `directions`: program_directions(program), when the caller has worked them out already."""
    directions = program_directions(program) if directions is None else directions
    return [item for item, direction in zip(program.items, directions, strict=True) if direction.unset]


def _named(items: list[ProgramItem]) -> str:
    """The items' exercise names, quoted and joined ("“A”, “B” and “C”): each name once, with the
    exercise numbers when the program holds it more than once ("“A” (exercises 2 and 5)")."""
    numbers: dict[str, list[int]] = {}
    for item in items:
        numbers.setdefault(item.exercise.name, []).append(item.position)
    names = []
    for name, at in numbers.items():
        listed = ", ".join(map(str, at[:-1])) + " and " + str(at[-1]) if len(at) > 1 else ""
        names.append(f"“{isolate(name)}” (exercises {listed})" if listed else f"“{isolate(name)}”")
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def unset_message(items: list[ProgramItem]) -> str:
    """What the therapist is told, naming the exercises and the ways to fix it; "" for none.

    Items with a side saved by an earlier release (ProgramItem.side_to_confirm) are named apart:
    their side is to be confirmed, not recorded.
    """
    if not items:
        return ""
    held = [item for item in items if _held(item)]
    # A one-sided limb exercise needs its side, not a pull (direction rule 9).
    limbs = [item for item in items if exercise_spec(item.exercise).relation == "limb"]
    unheld = [item for item in items if not _held(item) and item not in limbs]
    pattern = patient_pattern(items[0].program.patient)
    # A pattern recorded without the movement: recording it gives no side; the advice is to remove.
    absent = [item for item in unheld if pattern is not None]
    missing = [item for item in unheld if pattern is None]
    said = ["The handout cannot be printed, emailed or shared yet:"]
    if missing:
        have = "has" if len(missing) == 1 else "have"
        said.append(
            f"{_named(missing)} {have} no direction. Record the {_movements(missing)} in the patient's "
            "dystonia pattern, or choose a direction at each exercise below."
        )
    if absent:
        said.append(
            f"{_named(absent)} {'is' if len(absent) == 1 else 'are'} made for a pull of {_movements(absent)}, "
            f"which the recorded pattern does not have. Remove {'it' if len(absent) == 1 else 'them'}, "
            "or record that pull if the patient has it."
        )
    if limbs:
        use = "uses" if len(limbs) == 1 else "use"
        said.append(
            f"{_named(limbs)} {use} one side in {'its' if len(limbs) == 1 else 'their'} steps, and none is set. "
            "Choose left, right or both at each exercise below."
        )
    if held:
        have = "has" if len(held) == 1 else "have"
        said.append(
            f"{_named(held)} {have} a side saved before this release, which may be an old pattern's. "
            "Confirm the side at each exercise below, or let the pattern decide."
        )
    return " ".join(said)


def _movements(items: list[ProgramItem]) -> str:
    """The movements the items need, each once: "rotation (torticollis) and tilt (laterocollis)"."""
    labels: list[str] = []
    for item in items:
        label = COMPONENTS[MOVEMENTS[exercise_spec(item.exercise).movement].component].label.lower()
        if label not in labels:
            labels.append(label)
    return " and ".join(labels)


def _held(item: ProgramItem) -> bool:
    """A side saved by an earlier release that holds a direction-specific item back (direction rule 6)."""
    # Called for items already unset: a saved side to confirm is what holds such an item back.
    return item.side_to_confirm and bool(item.side) and bool(item_direction(item, None).to_confirm)


# ---- mirror work moves the easy hand: not the hand the program's other hand exercises work ----

# The one-sided hand or arm exercises that work the affected hand (limbs.SIDE_MEANS): the hand
# that works (writing, pen grip, putty), the thumb stretched, the arm swung or helped.
AFFECTED_HAND_PARTS = frozenset({"hand", "arm", "stretch_thumb", "swing_arm", "helped_arm"})


@dataclass(frozen=True)
class MirrorClash:
    """Mirror work set to move the hand the rest of the program treats as the affected one: the
    handout would say the same hand cramps ("Do this with your left hand" at the writing) and
    does not ("Move your left hand, the easy one"). `message` is the therapist's (English)."""

    item: ProgramItem
    message: str
    # Only the recorded pattern names that hand: the item's own OTHER_HAND warning says it already.
    recorded_only: bool = False


def mirror_clashes(program: Program, directions: list[Direction] | None = None) -> list[MirrorClash]:
    """Each mirror-work item (wording "easy_hand") whose moving hand, as printed, is the hand that
    one-sided hand or arm exercises of the program are set for, or that another mirror-work item
    calls the cramped one (it moves the other hand as the easy one: trial 24), or the one hand the
    recorded pattern has (writer's cramp). Mirror therapy moves the easy hand while the affected
    one rests hidden (direction.py, rule 9). The sides stay as the therapist set them: this only
    says so.

    `directions`: program_directions(program), when the caller has worked them out already.
    """
    directions = program_directions(program) if directions is None else directions
    pattern = patient_pattern(program.patient)
    pairs = list(zip(program.items, directions, strict=True))
    worked: dict[str, list[ProgramItem]] = {"left": [], "right": []}
    easy: dict[str, list[ProgramItem]] = {"left": [], "right": []}  # mirror work by its moving hand
    for item, direction in pairs:
        wording = exercise_spec(item.exercise).wording
        if direction.side in worked and (wording in AFFECTED_HAND_PARTS or wording == "easy_hand"):
            (worked if wording != "easy_hand" else easy)[direction.side].append(item)
    found = []
    for item, direction in pairs:
        side = direction.side
        if exercise_spec(item.exercise).wording != "easy_hand" or side not in worked:
            continue
        reasons = []
        if worked[side]:
            reasons.append(
                f"{_named(worked[side])} {'is' if len(worked[side]) == 1 else 'are'} set for the {side} hand"
            )
        other_easy = easy[OTHER_SIDE[side]]
        if other_easy:
            moves = "moves" if len(other_easy) == 1 else "move"
            reasons.append(f"{_named(other_easy)} {moves} the {OTHER_SIDE[side]} hand as the easy one")
        if (
            pattern is not None
            and HAND_AREAS[side] in pattern.areas
            and HAND_AREAS[OTHER_SIDE[side]] not in pattern.areas
        ):
            reasons.append(f"the recorded pattern has the {side} hand and arm (writer's cramp)")
        if reasons:
            found.append(
                MirrorClash(
                    item,
                    f"{_named([item])} (exercise {item.position}) moves the {side} hand, "
                    f"the easy one, but "
                    f"{' and '.join(reasons)}. The handout will say the {side} hand cramps and does not. "
                    f"Set mirror work to the {OTHER_SIDE[side]} hand, or check the other sides.",
                    recorded_only=not (worked[side] or other_easy),
                )
            )
    return found


def refuse_unset_directions(program: Program) -> None:
    """Stop a handout being made (printed, emailed, exported, opened by the patient) while a
    direction-specific exercise has no side, so no patient reads a way to move without its side.

    :raise DirectionsNotSet: naming the exercises and how to fix it.
    """
    items = unset_items(program)
    if items:
        raise DirectionsNotSet(unset_message(items), [item.exercise.name for item in items])


# ---- a handout with flagged exercises goes out only once the therapist has checked them ------


@dataclass(frozen=True)
class Flagged:
    """An item the recorded pattern flags (contraindicated, or training toward the pull), and the
    builder's warnings for it, for the therapist to check before the handout goes out."""

    item: ProgramItem
    why: str


def flagged_items(program: Program, directions: list[Direction] | None = None) -> list[Flagged]:
    """The items the recorded pattern flags (Direction.flagged), in order, with their warnings.

    `directions`: program_directions(program), when the caller has worked them out already."""
    directions = program_directions(program) if directions is None else directions
    found = []
    for item, direction in zip(program.items, directions, strict=True):
        if direction.flagged:
            found.append(Flagged(item, " ".join(direction.flags)))
    return found


def check_key(program: Program, flagged: list[Flagged]) -> str:
    """What the therapist's "I have checked these exercises" is given for: 16 hex digits of the
    program's state (id, version, lock_version) and of the flagged items with their warnings. Any
    change to the program or to what is flagged (a re-evaluation) asks again. Not a secret."""
    said = [str(program.id), str(program.version), str(program.lock_version)]
    said += [f"{f.item.id}:{f.why}" for f in flagged]
    return hashlib.sha256("\n".join(said).encode()).hexdigest()[:16]


def flagged_names(flagged: list[Flagged]) -> str:
    """The flagged exercises' names, quoted, for a message or the audit log ("" for none)."""
    return _named([f.item for f in flagged]) if flagged else ""


def unchecked_items(program: Program, directions: list[Direction] | None = None) -> list[Flagged]:
    """The flagged items (flagged_items) when the therapist has not confirmed them for the program
    as it is now (`program.checked_key`); [] when nothing is flagged or it was confirmed. While it
    is not empty, nothing of the program with those exercises reaches the patient: print, email and
    share ask first; the phone page and its PDF hold them back; the export leaves the program out.
    `directions` as for flagged_items."""
    flagged = flagged_items(program, directions)
    if flagged and program.checked_key != check_key(program, flagged):
        return flagged
    return []


def confirm_checked(program: Program, flagged: list[Flagged]) -> str:
    """Keep the therapist's "I have checked these exercises" for the program as it is now, so the
    patient's phone page and its PDF show them too; returns the words for the audit entry
    ("; checked for this patient: “…”"). Call it only once the therapist has confirmed."""
    program.checked_key = check_key(program, flagged)
    return "; checked for this patient: " + flagged_names(flagged)
