"""What a `[picture]` table may hold (docs/catalog-format.md, "The picture") and its checks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

# A pose as the catalog writes it: pose key -> a number (degrees, or a fraction for a slide) or a
# word (the base, a touch, a hand shape). docs/catalog-format.md lists the keys of every view.
Pose = dict[str, Any]


@dataclass(frozen=True)
class Picture:
    """A picture table read forgivingly (`normalize`): only known keys and words, numbers clamped.

    view: side, front, face, profile or hand; props: the props drawn; arrow: the pose key whose change the
    arrow shows (None: the biggest change); symbol: hold, breathe, voice, swallow or count; press:
    the direction of an isometric push; start, end: the two poses (end holds every start key it
    does not set); both_sides: the steps go to one side, then the other (front and face views:
    the arrow is drawn to each side); both_ways: the steps go one way, then back past the start
    the other way (side view: the arrow is drawn each way, as chin down, then look up);
    both_hands: the steps use both hands at once (hand view: the left hand drawn beside the
    right as its mirror).
    """

    view: str
    props: list[str]
    arrow: str | None
    symbol: str | None
    press: str | None
    start: Pose
    end: Pose
    both_sides: bool = False
    both_ways: bool = False
    both_hands: bool = False


VIEWS = ("side", "front", "face", "profile", "hand")
PROPS = (
    "chair", "wall", "band", "towel", "mirror", "ball", "table", "pillow", "step", "mat",
    "cup", "pen_paper", "weight", "bed", "tape", "slant_board", "headrest", "book", "screen",
    "keyboard", "doorway", "folded_towel", "towel_spine",
)  # fmt: skip
SYMBOLS = ("hold", "breathe", "voice", "swallow", "count", "sway", "eyes_closed")
PICTURE_KEYS = (
    "view", "props", "arrow", "symbol", "press", "both_sides", "both_ways", "both_hands", "start", "end",
)  # fmt: skip
BOTH_SIDES_VIEWS = ("front", "face")  # the views that show the patient's left and right
# press: the direction the body pushes against a still hand (an isometric hold), per view
PRESS = {
    "side": ("forward", "back", "up", "down"),
    "front": ("right", "left", "turn_right", "turn_left", "up", "down"),
    "face": ("up", "down", "right", "left"),
    "profile": ("forward", "back", "up", "down"),
}

# The hand view's wrist bends back 80 degrees at most, but a forearm over a hand flat on the table
# (object flat_on_table) may lean past upright, toward the fingers: "Turn it so your fingers
# point toward you ... lean back" puts the shoulder behind the wrist, on the fingers' side.
WRIST_BACK, WRIST_OVER_THE_HAND = 80, 110

SIDE_BASES = ("standing", "sitting", "lying", "prone", "side_lying", "hands_knees", "kneeling")
FRONT_BASES = ("standing", "sitting", "lying", "lying_from_feet")
FRONT_LYING = ("lying", "lying_from_feet")


def _pair(name: str, rng: tuple[float, float]) -> dict[str, tuple[float, float]]:
    return {f"{name}_r": rng, f"{name}_l": rng}


# Per view: key -> (low, high) for numbers, or a tuple of allowed words.
KEYS: dict[str, dict[str, Any]] = {
    "side": {
        "base": SIDE_BASES,
        "head_nod": (-60, 60),
        "head_forward": (-1, 1),
        "trunk_lean": (-40, 90),
        **_pair("shoulder", (-40, 180)),
        **_pair("elbow", (0, 150)),
        **_pair("wrist", (-80, 80)),
        **_pair("hip", (-30, 150)),
        **_pair("knee", (0, 150)),
        **_pair("ankle", (-45, 30)),
        "shrug": (0, 1),
        "pelvis_lift": (0, 1),
        "spine_curve": (-1, 1),
        "belly": (0, 1),
        "leg_lift": (0, 70),
        "knee_open": (0, 60),
        "touch": (
            "none",
            "forehead",
            "back_of_head",
            "chair_back",
            "chair_side",
            "belly",
            "belly_chest",
            "upper_chest",
            "door_frame",
        ),  # fmt: skip
    },
    "front": {
        "base": FRONT_BASES,
        "head_tilt": (-45, 45),
        "head_turn": (-90, 90),
        "trunk_bend": (-40, 40),
        "trunk_turn": (-60, 60),
        **_pair("shoulder", (0, 180)),
        **_pair("elbow", (0, 150)),
        **_pair("hip", (0, 60)),
        **_pair("knee", (0, 120)),
        **_pair("arm_turn", (-30, 90)),
        **_pair("reach", (0, 90)),
        **_pair("across", (0, 60)),
        "knee_roll": (-60, 60),
        "weight_shift": (-1, 1),
        "head_nod": (-45, 45),
        "shrug": (0, 1),
        **_pair("shrug", (0, 1)),
        "touch": (
            "none",
            "chin_r",
            "cheek_r",
            "temple_r",
            "forehead",
            "back_of_head",
            "back_of_head_mid",
            "chest",
            "chair_back",
            "counter_r",
            "seat_r",
            "chair_back_r",
        ),  # fmt: skip
    },
    "face": {
        "eyes": ("open", "closed", "squeeze", "wide"),
        "brows": ("neutral", "raised", "frown"),
        "mouth": (
            "closed",
            "part",
            "open",
            "wide",
            "smile",
            "pucker",
            "tongue_out",
            "puff",
            "ee",
            "oo",
            "tongue_left",
            "tongue_right",
            "tongue_up",
        ),  # fmt: skip
        "jaw_shift": (-1, 1),
        "gaze": ("center", "left", "right", "up", "down"),
        "head_tilt": (-45, 45),
        "head_turn": (-90, 90),
        "touch": (
            "none",
            "chin_r",
            "cheek_r",
            "forehead",
            "temple_r",
            "lip_r",
            "chin_front",
            "fist_chin",
            "palms_eyes",
            "lip_object",
            "spoon",
        ),
    },
    "profile": {
        "eyes": ("open", "closed"),
        "mouth": ("closed", "part", "open", "wide", "tongue_out"),
        "jaw_forward": (-1, 1),
        "touch": ("none", "chin", "chin_top", "spoon"),
    },
    "hand": {
        "hand": (
            "open",
            "fist",
            "spread",
            "pinch",
            "thumb_touch",
            "pen_grip",
            "flat",
            "hook",
            "cup_grip",
            "thumb_across",
            "pen_between",
            "key_pinch",
        ),  # fmt: skip
        "thumb_touch": (1, 4),
        "wrist": (-80, WRIST_OVER_THE_HAND),
        "forearm_turn": ("palm_up", "palm_down", "thumb_up", "hanging"),
        "object": (
            "none",
            "pen",
            "ball",
            "cup",
            "putty",
            "towel",
            "paper",
            "coin",
            "jar",
            "rubber_band",
            "key",
            "pen_ball",
            "letter",
            "thumb_hold",
            "textures",
            "textures_match",
            "trace",
            "trace_done",
            "button",
            "button_through",
            "coins",
            "coins_in_cup",
            "pen_thick",
            "one_point",
            "two_points",
            "flat_on_table",
        ),
    },
}

# Keys whose motion is a slide rather than a turn (drawn with a straight arrow).
TRANSLATIONS = (
    "head_forward",
    "shrug",
    "shrug_r",
    "shrug_l",
    "pelvis_lift",
    "jaw_shift",
    "jaw_forward",
    "spine_curve",
    "belly",
)
INTEGER_KEYS = ("thumb_touch",)


def is_number(v: Any) -> TypeGuard[float]:
    """True for an int or float that is not a bool (TOML numbers)."""
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def validate_picture(picture: Any) -> list[tuple[str, str]]:
    """Every problem in a picture table, as (field path, message). Empty when it is fine."""
    problems: list[tuple[str, str]] = []

    def bad(path: str, msg: str) -> None:
        problems.append((path, msg))

    if not isinstance(picture, dict):
        return [("picture", "must be a table")]
    for k in picture:
        if k not in PICTURE_KEYS:
            bad(f"picture.{k}", f"unknown key; allowed: {', '.join(PICTURE_KEYS)}")
    view = picture.get("view")
    if view is None:
        bad("picture.view", f"missing; one of {', '.join(VIEWS)}")
    elif view not in VIEWS:
        bad("picture.view", f"unknown view {view!r}; one of {', '.join(VIEWS)}")
    keys = KEYS.get(view) if isinstance(view, str) else None

    props = picture.get("props", [])
    if not isinstance(props, list):
        bad("picture.props", "must be a list")
    else:
        for i, p in enumerate(props):
            if p not in PROPS:
                bad(f"picture.props[{i}]", f"unknown prop {p!r}; one of {', '.join(PROPS)}")
    symbol = picture.get("symbol")
    if symbol is not None and symbol not in SYMBOLS:
        bad("picture.symbol", f"unknown symbol {symbol!r}; one of {', '.join(SYMBOLS)}")
    arrow = picture.get("arrow")
    if arrow is not None and keys is not None and (not isinstance(arrow, str) or arrow not in keys or arrow == "base"):
        bad("picture.arrow", f"{arrow!r} is not a pose key of the {view} view")
    press = picture.get("press")
    if press is not None and isinstance(view, str) and view in PRESS and press not in PRESS[view]:
        bad("picture.press", f"unknown press {press!r} for the {view} view; one of {', '.join(PRESS[view])}")

    both = picture.get("both_sides")
    if both is not None and not isinstance(both, bool):
        bad("picture.both_sides", "must be true or false")
    elif both and view not in BOTH_SIDES_VIEWS:
        bad("picture.both_sides", f"only the {' and '.join(BOTH_SIDES_VIEWS)} views show both sides")
    ways = picture.get("both_ways")
    if ways is not None and not isinstance(ways, bool):
        bad("picture.both_ways", "must be true or false")
    elif ways and (view != "side" or not is_number(KEYS["side"].get(str(picture.get("arrow")), ("",))[0])):
        bad("picture.both_ways", "only in the side view, with an `arrow` that names an angle")

    hands = picture.get("both_hands")
    if hands is not None and not isinstance(hands, bool):
        bad("picture.both_hands", "must be true or false")
    elif hands and view != "hand":
        bad("picture.both_hands", "only the hand view draws both hands")

    for part in ("start", "end"):
        pose = picture.get(part)
        path = f"picture.{part}"
        if pose is None:
            bad(path, "missing")
            continue
        if not isinstance(pose, dict):
            bad(path, "must be a table")
            continue
        if keys is None:
            continue
        for k, v in pose.items():
            kp = f"{path}.{k}"
            if k not in keys:
                bad(kp, f"unknown key for the {view} view")
                continue
            allowed = keys[k]
            if isinstance(allowed[0], str):
                if v not in allowed:
                    bad(kp, f"unknown value {v!r}; one of {', '.join(allowed)}")
            elif not is_number(v):
                bad(kp, "must be a number")
            elif not allowed[0] <= v <= allowed[1]:
                bad(kp, f"{v} is out of range {allowed[0]}..{allowed[1]}")
            elif k in INTEGER_KEYS and v != int(v):
                bad(kp, "must be a whole number")
    if keys is not None and isinstance(view, str):
        problems += _base_rules(view, picture.get("start"), picture.get("end"))
        start, end = picture.get("start"), picture.get("end")
        if isinstance(arrow, str) and arrow in keys and isinstance(start, dict) and isinstance(end, dict):
            why = arrow_problem(view, arrow, start, end)
            if why:
                bad("picture.arrow", why)
    return problems


# pose keys that only some bases can draw: view -> key -> bases
BASE_ONLY: dict[str, dict[str, tuple[str, ...]]] = {
    "side": {"leg_lift": ("side_lying",), "knee_open": ("side_lying",)},
    "front": {"knee_roll": FRONT_LYING},
}


def _base_rules(view: str, start: Any, end: Any) -> list[tuple[str, str]]:
    """Keys drawn by one base only, front-view lying in both panels or in neither, and a hand's
    wrist past WRIST_BACK only over a hand flat on the table."""
    start = start if isinstance(start, dict) else {}
    end = end if isinstance(end, dict) else {}
    b0 = start.get("base", "standing")
    b1 = end.get("base", b0)
    out: list[tuple[str, str]] = []
    for part, pose, base in (("start", start, b0), ("end", end, b1)):
        for k, need in BASE_ONLY.get(view, {}).items():
            if k in pose and base not in need:
                out.append((f"picture.{part}.{k}", f"only drawn with base {' or '.join(need)}"))
    if view == "front" and (b0 in FRONT_LYING or b1 in FRONT_LYING) and b0 != b1:
        out.append(("picture.end.base", "front view: a lying base must be the same in start and end"))
    if view == "hand":
        for part, pose in (("start", start), ("end", {**start, **end})):
            wrist = pose.get("wrist", 0)
            if is_number(wrist) and wrist > WRIST_BACK and pose.get("object") != "flat_on_table":
                out.append((f"picture.{part}.wrist", f"over {WRIST_BACK} only with object flat_on_table"))
    return out


def arrow_problem(view: str, arrow: str, start: Pose, end: Pose) -> str | None:
    """Why the arrow cannot show the pose key `arrow` from `start` to `end` (`end` takes what it
    does not set from `start`), naming the pose and the key; None when it can.

    A key one base draws needs that base in both poses; the gaze arrow points where the eyes look,
    so one pose must look left, right, up or down.
    """
    end = {**start, **end}
    need = BASE_ONLY.get(view, {}).get(arrow)
    if need:
        for part, pose in (("start", start), ("end", end)):
            base = pose.get("base", "standing")
            if base not in need:
                return f"{arrow!r} is only drawn with base {' or '.join(need)}; the {part} pose has base {base!r}"
    if view == "face" and arrow == "gaze" and start.get("gaze", "center") == end.get("gaze", "center") == "center":
        return "'gaze' has no way to point: the start and end poses both have gaze 'center'"
    return None


def _drawn(view: str, start: Pose, end: Pose) -> tuple[Pose, Pose]:
    """Both poses without the keys that one base draws where the two bases do not both draw them
    (a leg lift drawn in side_lying, given in a standing picture)."""
    b0 = start.get("base", "standing")
    b1 = end.get("base", b0)
    gone = {k for k, need in BASE_ONLY.get(view, {}).items() if b0 not in need or b1 not in need}
    return {k: v for k, v in start.items() if k not in gone}, {k: v for k, v in end.items() if k not in gone}


def clean_pose(view: str, pose: Any) -> dict[str, Any]:
    """Only the valid keys of a pose, numbers clamped into range (drawing never fails)."""
    out: dict[str, Any] = {}
    if not isinstance(pose, dict):
        return out
    keys = KEYS[view]
    for k, v in pose.items():
        allowed = keys.get(k)
        if allowed is None:
            continue
        if isinstance(allowed[0], str):
            if v in allowed:
                out[k] = v
        elif is_number(v):
            out[k] = float(min(max(v, allowed[0]), allowed[1]))
    return out


def normalize(picture: Any) -> Picture:
    """A forgiving reading of a picture table (a TOML table, or anything else: then a default)."""
    picture = picture if isinstance(picture, dict) else {}
    view = picture.get("view")
    view = view if view in VIEWS else "side"
    props = picture.get("props") or []
    props = [p for p in props if p in PROPS] if isinstance(props, list) else []
    start, end = _drawn(view, clean_pose(view, picture.get("start")), clean_pose(view, picture.get("end")))
    end = {**start, **end}
    arrow = picture.get("arrow")
    symbol = picture.get("symbol")
    press = picture.get("press")
    drawable = (
        isinstance(arrow, str)
        and arrow in KEYS[view]
        and arrow != "base"
        and arrow_problem(view, arrow, start, end) is None
    )
    return Picture(
        view=view,
        props=props,
        arrow=arrow if drawable else None,
        symbol=symbol if symbol in SYMBOLS else None,
        press=press if press in PRESS.get(view, ()) else None,
        start=start,
        end=end,
        both_sides=picture.get("both_sides") is True and view in BOTH_SIDES_VIEWS,
        both_ways=picture.get("both_ways") is True and view == "side" and drawable and is_number(end.get(arrow)),
        both_hands=both_hands(picture),
    )


def both_hands(picture: Mapping[str, Any] | None) -> bool:
    """Whether a picture table draws both hands at once (`both_hands`, in the hand view): its steps
    use both hands together, so the exercise takes no left or right side (dystonia.movement)."""
    return picture is not None and picture.get("both_hands") is True and picture.get("view") == "hand"
