"""A picture that starts in the patient's own posture when the pattern records no sided pull.

Finding the middle and the sensory tricks are drawn starting off the middle to one side, where a
pull puts the head or jaw (`[pattern] start`); the direction rules mirror that start to the
patient's own pull (planner/dystonia/direction.py, rule 8). A patient whose recorded pattern has
no sided pull, a head pulled forward only, must never see the start turned: it starts in the
pattern's own posture instead (the chin down), or in the middle.
"""

from __future__ import annotations

from typing import Any

# A posture -> per view, the start keys that draw it and the arrow key that shows the way back.
# A posture a view cannot draw (the face view has no nod) starts in the middle there.
POSTURES: dict[str, dict[str, tuple[dict[str, Any], str]]] = {
    "middle": {},
    "flexion": {"front": ({"head_nod": 30}, "head_nod")},  # the head pulled forward and down
    "extension": {"front": ({"head_nod": -25}, "head_nod")},  # the head pulled back, the chin up
    # the mouth pulled open, drawn only a little open: a patient copies a picture, and a jaw that
    # pulls open must not be shown a wide opening (a trial saw one where the words said "part a little")
    "jaw_open": {"face": ({"mouth": "part"}, "mouth")},
}
# What the catalog's start sets off to one side: a start in the posture keeps none of it.
SIDED_KEYS = ("head_turn", "head_tilt", "jaw_shift", "trunk_bend")
# A start that shows only the sided pull recorded (a head pulled only to turn, or only to tip):
# the posture -> the one sided key of the catalog's start it keeps (the others come back to 0).
ONLY = {"turned": "head_turn", "tipped": "head_tilt"}
# A head turned to one side and tipped to the other (turned right, the left ear down): the catalog
# draws its start turned and tipped to the same side, and the picture is mirrored to the turn, so
# the tilt is drawn to the other side of the turn instead (the posture "crossed").
CROSSED = ("head_turn", "head_tilt")
# A sensory trick's picture is mirrored to the hand that touches (the side of the recorded trick),
# which may be the other side from the pull the start shows: "opposite" before a posture ("",
# "turned", "tipped", "crossed") draws that start off to the other side of the catalog's start, so
# mirrored to the hand it still shows the patient's own pull (direction.py, rule 11).
OPPOSITE = "opposite"
# A sensory trick recorded at a place its exercise's picture does not draw (`[pattern] trick_touch`:
# a forehead-or-temple trick recorded in the middle is the forehead, which its sentence names, while
# the catalog draws the temple): "touch <place>" after the posture ("touch forehead", "opposite
# turned touch chin_r") puts the hand at that place of the view's `touch` values in every panel
# where it touches, so the picture shows what the text says (direction.py, rule 11).
TOUCH = "touch"
# What the end comes back to where it does not set a key the posture sets.
MIDDLE = {"head_nod": 0, "mouth": "closed"}


def start_in(picture: dict[str, Any], posture: str) -> dict[str, Any]:
    """`picture` (a catalog `[picture]` table) started in `posture` (a key of POSTURES; "" keeps it
    as drawn): no key of the start sets the head, jaw or trunk off to one side, the posture's keys
    are set, and the end comes back to the middle. Returns a new table. An arrow that showed the
    way back to the middle shows the way back from the posture (none from the middle itself); a
    picture whose arrow shows something else (the hand of a sensory trick) keeps it.

    A posture of ONLY keeps that one sided key of the start and nothing else off the middle (a
    head that only tips is never drawn turned too); the arrow shows the way back along it.
    "crossed" keeps the start turned and tips it to the other side of the turn (_crossed).
    OPPOSITE before one of those ("opposite turned"; "opposite" alone for as drawn) draws that start
    off to the other side (_opposite). TOUCH and a place after it all ("touch forehead") moves the
    touching hand there (_touching).

    :raise KeyError: for a posture not in POSTURES, ONLY or "crossed" (after OPPOSITE).
    """
    if not posture or not picture:
        return picture
    rest, touch = split_touch(posture)
    if touch:
        return _touching(start_in(picture, rest), touch)
    if posture.split(" ")[0] == OPPOSITE:
        return _opposite(start_in(picture, posture.removeprefix(OPPOSITE).strip()))
    if posture in ONLY:
        return _only(picture, ONLY[posture])
    if posture == "crossed":
        return _crossed(picture)
    drawn, arrow = POSTURES[posture].get(picture.get("view", ""), ({}, ""))
    start, end = dict(picture.get("start", {})), dict(picture.get("end", {}))
    for key in SIDED_KEYS:
        if key in start or key in end:
            start[key] = end[key] = 0
    for key, value in drawn.items():
        end.setdefault(key, MIDDLE[key])
        start[key] = value
    out = {**picture, "start": start, "end": end}
    if out.get("arrow") in SIDED_KEYS:  # it showed the way back to the middle: now from the posture
        if arrow:
            out["arrow"] = arrow
        else:
            del out["arrow"]  # nothing moves that way now: the biggest change, if any
    return out


def _only(picture: dict[str, Any], keep: str) -> dict[str, Any]:
    """`picture` started off the middle by its `keep` key alone (start_in's ONLY); unchanged when
    its start does not set that key (nothing would be left off the middle)."""
    start, end = dict(picture.get("start", {})), dict(picture.get("end", {}))
    if not start.get(keep):
        return picture
    for key in SIDED_KEYS:
        if key != keep and (key in start or key in end):
            start[key] = end[key] = 0
    out = {**picture, "start": start, "end": end}
    if out.get("arrow") in SIDED_KEYS:
        out["arrow"] = keep
    return out


def _crossed(picture: dict[str, Any]) -> dict[str, Any]:
    """`picture` started turned one way and tipped the other (start_in's "crossed"): its start's
    tilt goes to the side opposite its turn, the same number of degrees; the rest as drawn.
    Unchanged when its start does not both turn and tip (nothing to put on the other side)."""
    turn_key, tilt_key = CROSSED
    start = dict(picture.get("start", {}))
    turn, tilt = start.get(turn_key, 0), start.get(tilt_key, 0)
    if not turn or not tilt:
        return picture
    start[tilt_key] = -abs(tilt) if turn > 0 else abs(tilt)
    return {**picture, "start": start}


def _opposite(picture: dict[str, Any]) -> dict[str, Any]:
    """`picture` with its start off the middle to the other side (start_in's OPPOSITE): each sided
    key of its start (SIDED_KEYS) the same size the other way; the end, the touch, as drawn."""
    start = dict(picture.get("start", {}))
    for key in SIDED_KEYS:
        if start.get(key):
            start[key] = -start[key]
    return {**picture, "start": start}


def split_touch(posture: str) -> tuple[str, str]:
    """A start posture and the place TOUCH names in it: "opposite turned touch chin_r" ->
    ("opposite turned", "chin_r"); (posture, "") when it names none."""
    before, found, place = f" {posture}".rpartition(f" {TOUCH} ")
    return (before.strip(), place.strip()) if found else (posture, "")


def _touching(picture: dict[str, Any], touch: str) -> dict[str, Any]:
    """`picture` with the hand at `touch` (a `touch` value of its view) in each panel where a hand
    touches (a panel with no touch keeps none: the hand comes to the place in the end)."""
    out = dict(picture)
    for panel in ("start", "end"):
        pose = picture.get(panel)
        if isinstance(pose, dict) and pose.get("touch", "none") != "none":
            out[panel] = {**pose, "touch": touch}
    return out
