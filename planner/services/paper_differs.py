"""Whether a given paper still agrees: the rule that compares an exercise as a version gave it
with the way a handout made now would give it, and its words for the therapist.

One rule, shared by the builder (issuing.paper_changed, phone_version and its "paper differs"
box, worded by given.moved_words), the phone page (given.moved_since: the exercise waits for the
new sheet), the mark of a moved paper (pattern_recording.note_moved_papers) and the Versions page
(versions.diff). It reads plain rows: a version's item (versions.snapshot) against another version's item, or against
`as_row` of a direction worked out now. No database.
"""

from __future__ import annotations

from typing import Any

from planner.catalog.figure.pattern_start import OPPOSITE, split_touch
from planner.dystonia.direction import Direction
from planner.dystonia.sentences import REWORDED

# Why a given paper differs from what the pattern gives now (paper_differs).
OTHER_SIDE = "side"
OTHER_WORDS = "words"
OTHER_PICTURE = "mirrored"
OTHER_START = "start posture"
OTHER_TOUCH = "touch"
NEWLY_FLAGGED = "flagged"
# Not of paper_differs: its side followed the pattern, which now gives none (given.GivenItem.why_moved).
NO_SIDE_NOW = "no side"


def paper_differs(given_row: dict[str, Any], direction_now: Direction) -> str:
    """Why an exercise of a given version (`given_row`: one item of its snapshot, with "side",
    "direction" (the sentence), "mirrored", "start_posture", "flags") differs from the way a
    handout made now would give it (`direction_now`), "" when the patient's paper still agrees:
    the first of `differences` (the one rule every reader shares: the module's docstring)."""
    found = differences(given_row, as_row(direction_now))
    return found[0] if found else ""


def differences(given_row: dict[str, Any], row_now: dict[str, Any]) -> list[str]:
    """Every way an exercise of a given version (`given_row`) differs from the same exercise as
    `row_now` gives it (a later version's item, or as_row of a direction worked out now), in this
    order: OTHER_SIDE (a turn, a tilt, a shoulder, a limb), OTHER_WORDS (the sentence the patient
    reads: the chin trick's side lives only there), OTHER_PICTURE (mirrored to a pull that changed
    sides), OTHER_START (drawn in another posture), OTHER_TOUCH (the hand of a sensory trick drawn at
    another place: pattern_start.TOUCH), NEWLY_FLAGGED (the pattern flags it in a way it
    did not, so nobody checked it). [] when the paper agrees. A key the given version did not keep
    (frozen by an earlier release) is not compared."""
    found = []
    if given_row.get("side", "") != row_now.get("side", ""):
        found.append(OTHER_SIDE)
    given_words = given_row.get("direction") or ""
    if (row_now.get("direction") or "") not in (given_words, REWORDED.get(given_words)):
        found.append(OTHER_WORDS)
    if "mirrored" in given_row and bool(given_row["mirrored"]) != bool(row_now.get("mirrored")):
        found.append(OTHER_PICTURE)
    if "start_posture" in given_row and not _same_start(given_row["start_posture"], row_now.get("start_posture", "")):
        found.append(OTHER_START)
    if "start_posture" in given_row and touch_of(given_row) != touch_of(row_now):
        found.append(OTHER_TOUCH)
    if "flags" in given_row and not set(row_now.get("flags", ())) <= set(given_row["flags"]):
        found.append(NEWLY_FLAGGED)
    return found


# A head start drawn turned and tipped ("", as the catalog draws it, mirrored to the pull) holds a
# start that shows only the recorded turn or tilt ("turned", "tipped": since release 11 a head
# pulled one way only starts that way only). Its way back to the middle is the same, so papers
# given before that release, or before a re-evaluation dropped one of the two pulls on the same
# side, are not held back on the phone for it. A start that gains a part, or moves to another
# posture, still differs: so does a start drawn tipped to the side of its turn ("") where the pulls
# now go to opposite sides ("crossed"), as a picture mirrored to a pull that changed sides does.
# A crossed start that drops one of its pulls holds the one left, as "" does. A start drawn to the
# other side of a sensory trick's picture (OPPOSITE, as the trick's hand is on the other side of the
# pull) holds the same way among its own: one that gains or loses OPPOSITE is drawn to the other
# side of the hand, so the head or the hand is on another side on paper than now.
_HELD_STARTS = {"": frozenset({"", "turned", "tipped"}), "crossed": frozenset({"turned", "tipped"})}


def _same_start(given: str, now: str) -> bool:
    """Whether a paper whose picture starts in `given` still shows the start worked out `now`."""
    given_opposite, given_start = _opposite(split_touch(given)[0])
    now_opposite, now_start = _opposite(split_touch(now)[0])
    if given_opposite != now_opposite:
        return False
    return given_start == now_start or now_start in _HELD_STARTS.get(given_start, ())


def _opposite(start: str) -> tuple[bool, str]:
    """(drawn to the other side of the catalog's start, the posture): "opposite turned" -> (True, "turned")."""
    if start.split(" ")[0] == OPPOSITE:
        return True, start.removeprefix(OPPOSITE).strip()
    return False, start


def touch_of(row: dict[str, Any]) -> str:
    """Where a row's picture puts a sensory trick's hand other than the catalog draws it (the place
    "touch <place>" names in its start posture: pattern_start.TOUCH); "" as drawn."""
    return split_touch(row.get("start_posture", ""))[1]


def as_row(direction: Direction) -> dict[str, Any]:
    """The keys of a version's item (versions.snapshot) that `differences` compares, for a direction."""
    return {
        "side": direction.side,
        "direction": direction.sentence,
        "mirrored": direction.mirrored,
        "start_posture": direction.start_posture,
        "flags": list(direction.flags),
    }


# How a picture's start reads for the therapist (Direction.start_posture; "" as the catalog draws it).
START_WORDS = {
    "": "off to the side of a pull",
    "turned": "turned to the side of a pull",
    "tipped": "tipped to the side of a pull",
    "crossed": "turned one way and tipped the other, as the pulls go",
    # A sensory trick's start off to the side of a pull, across from the hand on the trick's side.
    OPPOSITE: "off to the side of a pull, the hand on the other side",
    f"{OPPOSITE} turned": "turned to the side of a pull, the hand on the other side",
    f"{OPPOSITE} tipped": "tipped to the side of a pull, the hand on the other side",
    f"{OPPOSITE} crossed": "turned one way and tipped the other, as the pulls go; the hand across from the turn",
    "middle": "in the middle",
    "flexion": "with the chin down",
    "extension": "with the head tipped back",
    "jaw_open": "with the mouth a little open",
}


# Where a sensory trick's hand is drawn, for the therapist (touch_of; "" where the catalog draws it).
TOUCH_WORDS = {
    "": "the place the exercise draws",
    "forehead": "the forehead",
    "temple_r": "the temple",
    "chin_r": "the chin",
    "cheek_r": "the cheek",
    "back_of_head": "the back of the head",
    "back_of_head_mid": "the middle of the back of the head",
}


def start_words(posture: str) -> str:
    """How a picture's start reads (START_WORDS), whatever TOUCH place the posture also names."""
    return START_WORDS.get(split_touch(posture)[0], "")


def touch_words(row: dict[str, Any]) -> str:
    """Where a row's picture puts the trick's hand, in words (TOUCH_WORDS): "the forehead"."""
    touch = touch_of(row)
    return TOUCH_WORDS.get(touch, f"the {touch.removesuffix('_r').replace('_', ' ')}")


def difference_words(why: str, given_row: dict[str, Any], row_now: dict[str, Any]) -> str:
    """One reason of `differences` (or NO_SIDE_NOW) in plain words for the therapist: what the
    given version shows against what `row_now` gives (the builder's box, the Versions page)."""
    if why in (OTHER_SIDE, NO_SIDE_NOW):
        return (
            f"the paper says {given_row.get('side') or 'no side'}; the pattern now gives {row_now['side'] or 'no side'}"
        )
    if why == OTHER_WORDS:
        was, now = given_row.get("direction") or "no side", row_now.get("direction") or "no side"
        return f"the paper says “{was}”; the pattern now gives “{now}”"
    if why == OTHER_PICTURE:
        return "its picture is drawn the other way round from the way the pattern now draws it"
    if why == OTHER_START:
        was, now = start_words(given_row.get("start_posture", "")), start_words(row_now["start_posture"])
        return f"its picture starts {was}; the pattern now starts it {now}"
    if why == OTHER_TOUCH:
        return (
            f"its picture has the hand at {touch_words(given_row)}; the pattern now puts it at {touch_words(row_now)}"
        )
    if why == NEWLY_FLAGGED:
        new = [flag for flag in row_now["flags"] if flag not in given_row.get("flags", ())]
        return "the pattern now flags it: " + " ".join(new).rstrip(".")  # the box ends the line
    return ""
