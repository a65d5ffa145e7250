"""Program versions: a frozen copy of what the patient was given, and what changed between two."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import inspect, select
from sqlalchemy.orm import object_session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from planner.bidi import isolate
from planner.dosage import in_words
from planner.i18n import ENGLISH, translator
from planner.models import ProgramVersion
from planner.scoping import is_shared_row
from planner.services import NotFound
from planner.services.advice import RETIRED
from planner.services.coverage import Coverage, coverage
from planner.services.paper_differs import (
    NEWLY_FLAGGED,
    OTHER_PICTURE,
    OTHER_SIDE,
    OTHER_START,
    OTHER_TOUCH,
    OTHER_WORDS,
    differences,
    start_words,
    touch_words,
)
from planner.services.patterns import program_directions, unchecked_items
from planner.services.reevaluation import next_reevaluation

if TYPE_CHECKING:
    from planner.dystonia.direction import Direction
    from planner.models import Exercise, Program

DETAIL_LABELS = {
    "title": "Title",
    "goals": "Goals",
    "start_date": "Start date",
    "frequency": "How often",
    "visit_plan": "Visit plan",
    "reeval_interval_days": "Re-evaluation interval (days)",
    "next_reevaluation": "Next re-evaluation",
    "advice_text": "Other advice",
    "handout_layout": "Handout layout",
}


def snapshot(
    program: Program, next_reevaluation: date | None, directions: list[Direction] | None = None
) -> dict[str, Any]:
    """Everything a handout of this version shows, as plain JSON: what the patient's phone page,
    its PDF and the daily email show until the next version is given (services/given.py reads it).
    `directions`: program_directions(program), when the caller has them.

    Keys added after the first versions were frozen (older snapshots lack them; given.py says what
    stands in for each): "version_date", and on each item "exercise_id", "mirrored",
    "start_posture", "source", "flags", "held", "text" (a clinic's own exercise only: `written`).
    """
    directions = program_directions(program) if directions is None else directions
    held = {f.item.id for f in unchecked_items(program, directions)}
    return {
        "version": program.version,
        "version_date": program.version_date.isoformat(),
        "title": program.title,
        "goals": program.goals,
        "start_date": program.start_date.isoformat(),
        "frequency": program.frequency,
        "visit_plan": program.visit_plan,
        "reeval_interval_days": program.reeval_interval_days,
        "next_reevaluation": next_reevaluation.isoformat() if next_reevaluation else None,
        "advice": list(program.advice),
        "advice_text": program.advice_text,
        "handout_layout": program.handout_layout,
        "items": [
            {
                "exercise": i.exercise.slug,
                "exercise_id": i.exercise_id,  # what the phone page's ticks are kept by
                "name": i.exercise.name,
                "category": i.exercise.category,
                "dosage": dict(i.dosage),
                "side": direction.side,  # as printed: the item's own, else the pattern's
                "sided": direction.sided,  # a direction-specific exercise: its side is a direction
                # The sentence naming the direction, as the handout printed it under the pattern of the day.
                "direction": direction.sentence,
                "mirrored": direction.mirrored,  # the picture as the handout drew it
                "start_posture": direction.start_posture,  # and the posture its start was drawn in
                "source": direction.source,  # "pattern": its side followed the pattern of the day
                # What the pattern flagged (contraindicated, toward the pull) when it was given, and
                # whether the therapist had not checked it then (the phone waits): given.py.
                "flags": list(direction.flags),
                "held": i.id in held,
                "note": i.note,
                "retired": i.exercise.retired,
                **({"text": text} if (text := written(i.exercise)) is not None else {}),
                # A side the paper did not say (Direction.says_side: a "both" stored on a symmetric
                # exercise naming no part); kept only then, so older versions read as they printed.
                **({"side_said": False} if not direction.says_side else {}),
            }
            for i, direction in zip(program.items, directions, strict=True)
        ],
    }


def written(exercise: Exercise) -> dict[str, Any] | None:
    """A clinic's own exercise's words as a handout prints them now (name, summary, steps, tips,
    cautions), kept on each version as its item's "text"; None for a catalog exercise.

    The clinic may edit its own exercise at any time, so the phone page shows the words of the
    paper from this copy (services/given.py), and a print after an edit gives a new version
    (issuing.renew_if_paper_changed). The catalog's words change only with a release of the
    planner, translated with it, and are read from the catalog.
    """
    if is_shared_row(exercise):
        return None
    return {
        "name": exercise.name,
        "summary": exercise.summary or "",
        "steps": list(exercise.steps),
        "tips": list(exercise.tips or []),
        "cautions": list(exercise.cautions),
    }


# Snapshots made before a detail existed hold what it then was.
_BEFORE = {"handout_layout": "compact"}
_VALUE_WORDS: dict[str, dict[Any, str]] = {"handout_layout": {"compact": "compact", "page": "one exercise a page"}}


def item_words(item: dict[str, Any]) -> str:
    """A frozen item as the patient read it: the direction's sentence, then the dosage in words.

    Versions frozen before directions were kept have no "direction": their side is said as before,
    but where the paper said none ("side_said": Direction.says_side).
    """
    direction = item.get("direction") or ""
    said = in_words(item["dosage"], None if direction or item.get("side_said") is False else item["side"])
    return f"{direction} {said}".strip() if direction else said


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What changed from one snapshot to another, one plain sentence per change."""
    changes = []
    for key, label in DETAIL_LABELS.items():
        before, after = old.get(key, _BEFORE.get(key)), new.get(key, _BEFORE.get(key))
        if before != after:
            words = _VALUE_WORDS.get(key, {})
            before, after = words.get(before, before), words.get(after, after)
            changes.append(_sentence(f"{label} changed from “{_show(before)}” to “{_show(after)}”."))
    before, after = old.get("advice", []), new.get("advice", [])
    # A built-in line said more shortly since (advice.RETIRED, migration 0033) is one change, not
    # a line removed and another added.
    reworded = {line: RETIRED[line] for line in before if RETIRED.get(line) in after and line not in after}
    for line in after:
        if line not in before and line not in reworded.values():
            changes.append(f"Advice added: “{isolate(line)}”")
    for line in before:
        if line in reworded:
            changes.append(f"Advice reworded, shorter: “{isolate(line)}” is now “{isolate(reworded[line])}”")
        elif line not in after:
            changes.append(f"Advice removed: “{isolate(line)}”")
    changes.extend(_item_changes(old.get("items", []), new.get("items", [])))
    return changes


# One full stop after a quoted goal, note or dosage that ends with its own ("… to “Walk daily.”").
_sentence = translator(ENGLISH).sentence


def _show(value: Any) -> str:
    """A value in a change sentence, in its own direction (a Hebrew or Arabic note or title)."""
    return "—" if value in (None, "") else isolate(str(value))


# How a limb's side reads in a change ("side changed from “left” to “both”").
SIDE_WORDS = {"": "no side", "left": "left", "right": "right", "both": "both"}


def _keyed(items: list[dict[str, Any]]) -> dict[tuple[str, int], tuple[int, dict[str, Any]]]:
    """The items by (exercise, which time it appears), so an exercise added twice is two items."""
    seen: dict[str, int] = {}
    keyed = {}
    for n, item in enumerate(items, start=1):
        seen[item["exercise"]] = seen.get(item["exercise"], 0) + 1
        keyed[(item["exercise"], seen[item["exercise"]])] = (n, item)
    return keyed


def _way_changes(name: str, before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """A change of direction (a direction-specific exercise) or side (a limb), said as such, and a
    change of dosage apart: never a new direction called a dosage change."""
    changes = []
    if before.get("sided") or after.get("sided"):
        if (before.get("direction") or "", before["side"]) != (after.get("direction") or "", after["side"]):
            was = before.get("direction") or SIDE_WORDS.get(before["side"], before["side"])
            now = after.get("direction") or SIDE_WORDS.get(after["side"], after["side"])
            changes.append(_sentence(f"{name}: direction changed from “{was}” to “{now}”."))
    elif before["side"] == after["side"] and (before.get("direction") or "") != (after.get("direction") or ""):
        # The side only in the words (the chin trick's "Touch your chin on the left side"): say them.
        was, now = before.get("direction") or "", after.get("direction") or ""
        changes.append(_sentence(f"{name}: direction changed from “{_show(was)}” to “{_show(now)}”."))
    elif before["side"] != after["side"]:
        was = SIDE_WORDS.get(before["side"], before["side"])
        now = SIDE_WORDS.get(after["side"], after["side"])
        changes.append(_sentence(f"{name}: side changed from “{was}” to “{now}”."))
    changes += _picture_changes(name, before, after)
    if before["dosage"] != after["dosage"]:
        was, now = in_words(before["dosage"], None), in_words(after["dosage"], None)
        changes.append(_sentence(f"{name}: dosage changed from “{was}” to “{now}”."))
    return changes


def _picture_changes(name: str, before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What else of an exercise's way differs, by the rule the phone page holds an exercise back
    by (paper_differs.differences): its picture mirrored or started in another posture, and a flag it did
    not have, each said when its side and words stayed (a new side mirrors the picture with it,
    and its words say "toward the pull"). Only keys both versions kept are compared (an earlier
    release froze fewer)."""
    kept = {key: value for key, value in before.items() if key in after}
    reasons = differences(kept, after)
    if OTHER_SIDE in reasons or OTHER_WORDS in reasons:
        return []
    changes = []
    if OTHER_PICTURE in reasons:
        changes.append(f"{name}: picture now drawn the other way round, for a pull to the other side.")
    if OTHER_START in reasons:
        was, now = start_words(before["start_posture"]), start_words(after["start_posture"])
        changes.append(f"{name}: picture's start changed from “{was}” to “{now}”.")
    if OTHER_TOUCH in reasons:
        changes.append(f"{name}: picture's hand moved from {touch_words(before)} to {touch_words(after)}.")
    if NEWLY_FLAGGED in reasons:
        flags = [flag for flag in after["flags"] if flag not in before["flags"]]
        changes.append(f"{name}: now flagged: {' '.join(flags)}")
    return changes


# The words of a clinic's own exercise, as a change names them.
_TEXT_LABELS = {"summary": "summary", "steps": "steps", "tips": "tips", "cautions": "cautions"}


def _text_changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """An exercise renamed, and a clinic's own exercise whose other words were edited between the
    two versions (both keep its "text"), said apart from its dosage and direction."""
    changes = []
    if before["name"] != after["name"]:
        changes.append(_sentence(f"Exercise renamed from “{isolate(before['name'])}” to “{isolate(after['name'])}”."))
    was, now = before.get("text"), after.get("text")
    if was is not None and now is not None:
        edited = [label for key, label in _TEXT_LABELS.items() if was.get(key) != now.get(key)]
        if edited:
            changes.append(f"{isolate(after['name'])}: its {_and(edited)} changed.")
    return changes


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _item_changes(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[str]:
    changes = []
    old_by = _keyed(old)
    new_by = _keyed(new)
    for slug, (_, item) in new_by.items():
        if slug not in old_by:
            changes.append(f"Added: {isolate(item['name'])} ({item_words(item)})")
    for slug, (_, item) in old_by.items():
        if slug not in new_by:
            changes.append(f"Removed: {isolate(item['name'])}")
    kept_old = [s for s in old_by if s in new_by]
    kept_new = [s for s in new_by if s in old_by]
    for slug in kept_new:
        before, after = old_by[slug][1], new_by[slug][1]
        name = isolate(after["name"])
        changes += _text_changes(before, after)
        changes += _way_changes(name, before, after)
        if before["note"] != after["note"]:
            changes.append(
                _sentence(f"{name}: note changed from “{_show(before['note'])}” to “{_show(after['note'])}”.")
            )
    if kept_old != kept_new:
        changes.append("Order changed: " + ", ".join(isolate(new_by[s][1]["name"]) for s in kept_new) + ".")
    return changes


# The program as it is now among the Versions page's choices: what a handout made now would say.
NOW = "now"


class Comparison(NamedTuple):
    """Two versions of a program compared (compare): what the Versions page shows."""

    choices: list[tuple[str, str]]  # (key: a version's number or NOW, label), oldest first
    a: str  # the key compared from
    b: str  # the key compared to
    changes: list[str]  # diff(a, b)
    # Every version given, oldest first, read with its givings (read_with_givings): the page lists them.
    versions: list[ProgramVersion] = []


def offers_now(program: Program, last_given: dict[str, Any] | None, now: dict[str, Any]) -> bool:
    """Whether the Versions page offers "Now (not given yet)" beside the versions given: the program
    was never given, was edited since (not issued), or a handout made now (`now`: its snapshot)
    would differ from the last given (`last_given`: its snapshot), as a re-evaluation that moves a
    side, words, a picture, a start or a flag makes it (diff)."""
    return last_given is None or not program.issued or bool(diff(last_given, now))


def compare(program: Program, from_key: str | None, to_key: str | None) -> Comparison:
    """The Versions page's comparison of `program`: from `from_key` to `to_key` (a version's number
    or NOW; None or "" for the default: the last given against "Now" when offered, else the last
    two versions; the draft's own number is read as NOW, as the page named it before).

    :raise NotFound: for a key that is not among the choices.
    """
    versions = read_with_givings(program)
    current = snapshot(program, next_reevaluation(program))
    snapshots: dict[str, dict[str, Any]] = {str(v.number): v.snapshot for v in versions}
    last = str(versions[-1].number) if versions else None
    if offers_now(program, snapshots[last] if last is not None else None, current):
        snapshots[NOW] = current
    keys = list(snapshots)

    def chosen(value: str) -> str:
        if value == str(program.version) and not program.issued:
            value = NOW
        if value not in snapshots:
            raise NotFound("That version")
        return value

    b = chosen(to_key or keys[-1])
    a = chosen(from_key or (last if last is not None and b == NOW else keys[-2] if len(keys) > 1 else keys[-1]))
    choices = [(key, key if key != NOW else "Now (not given yet)") for key in keys]
    return Comparison(choices, a, b, diff(snapshots[a], snapshots[b]), versions)


def read_with_givings(program: Program) -> list[ProgramVersion]:
    """`program.versions`, oldest first, read with each version's givings (the Versions page lists
    every time a version went out): two statements however many versions there are, where the
    page reading each version's givings as it met them ran one a version. Versions already read
    keep their list and get their givings."""
    session = object_session(program)
    if session is None:  # a program never added to a session has its versions in hand
        return program.versions
    found = session.scalars(
        select(ProgramVersion)
        .where(ProgramVersion.program_id == program.id)
        .order_by(ProgramVersion.number)
        .options(selectinload(ProgramVersion.givings))
    ).all()
    if "versions" in inspect(program).unloaded:
        set_committed_value(program, "versions", list(found))
    return program.versions


def snapshot_coverage(snap: dict[str, Any]) -> Coverage:
    """How often and how long of a frozen version, worked out from its items' dosages as the
    builder and the handout work them out for the program (services.coverage): the version's
    note on when to exercise is only said beside them. Snapshots of any age hold each item's
    category and dosage, so old versions are computed the same way."""
    return coverage((i.get("category", ""), [], i.get("dosage") or {}) for i in snap.get("items", []))
