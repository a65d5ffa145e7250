"""Where a picture puts the hand on the head, the words say the same place (English and Spanish).

A patient copies the picture: "Rest your palm on the side of your face, by your eye" beside a palm
on the cheek, under a line that says "Put your right hand on your right cheek", leaves them to
choose between the eye and the cheek. Every exercise whose picture rests a hand on a place of the
head is read here beside the step that puts the hand there and the line above the steps."""

from __future__ import annotations

import re

import pytest

from planner.catalog.figure.spec import normalize
from planner.dystonia.sentences import DIRECTION_SENTENCES
from tests.test_catalog_pictures import EXERCISES, SPANISH

# The places of the head a step may name, as each language says them.
PLACE_WORDS = {
    "en": {
        "cheek": r"\bcheeks?\b",
        "chin": r"\bchin\b",
        "eye": r"\beyes?\b",
        "ear": r"\bears?\b",
        "temple": r"\btemples?\b",
        "forehead": r"\bforehead\b",
        "lip": r"\blips?\b",
        "back of the head": r"\bback of your head\b",
    },
    "es": {
        "cheek": r"\bmejillas?\b",
        "chin": r"\bbarbilla\b",
        "eye": r"\bojos?\b",
        "ear": r"\borejas?\b",
        "temple": r"\bsien(?:es)?\b",
        "forehead": r"\bfrente\b",
        "lip": r"\blabios?\b",
        "back of the head": r"\bparte de atrás de la cabeza\b",
    },
}
# A sentence that puts a hand somewhere.
HAND_WORDS = {
    "en": r"\b(?:palms?|fingertips?|fingers|hands?|fist)\b",
    "es": r"\b(?:palmas?|yemas?|dedos?|manos?|puño)\b",
}
# The places each drawn touch shows (front, face and profile views, docs/catalog-format.md).
TOUCH_SHOWS = {
    "cheek_r": {"cheek"},
    "chin_r": {"chin"},
    "chin": {"chin"},
    "chin_top": {"chin"},
    "chin_front": {"chin", "lip"},  # two fingertips on the chin, just below the lower lip
    "fist_chin": {"chin"},
    "temple_r": {"temple", "ear"},  # front view: the palm on the side of the head above the ear
    "forehead": {"forehead"},
    "back_of_head": {"back of the head"},
    "back_of_head_mid": {"back of the head"},
    "palms_eyes": {"eye"},
}


def _touches(e: dict) -> set[str]:
    pic = normalize(e["picture"])
    return {t for t in (pic.start.get("touch"), pic.end.get("touch")) if t in TOUCH_SHOWS}


def _named(text: str, language: str) -> set[str]:
    return {place for place, pattern in PLACE_WORDS[language].items() if re.search(pattern, text, re.IGNORECASE)}


def _hand_sentence(steps: list[str], language: str) -> str:
    """The first sentence of the steps that puts a hand on a place of the head."""
    for step in steps:
        for sentence in re.split(r"(?<=\.) ", step):
            if re.search(HAND_WORDS[language], sentence, re.IGNORECASE) and _named(sentence, language):
                return sentence
    return ""


TOUCHING_THE_HEAD = sorted(slug for slug, e in EXERCISES.items() if "picture" in e and _touches(e))


def test_the_exercises_that_put_a_hand_on_the_head_are_found():
    assert {"neck-turn-against-hand", "neck-press-turn", "neck-press-side", "jaw-open-stretch"} <= set(
        TOUCHING_THE_HEAD
    )
    assert len(TOUCHING_THE_HEAD) >= 15


@pytest.mark.parametrize("slug", TOUCHING_THE_HEAD)
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_step_that_puts_the_hand_names_the_place_the_picture_shows(slug, language):
    """neck-turn-against-hand and neck-press-turn said "by your eye" / "junto al ojo" beside a palm
    on the cheek (and "Put your right hand on your right cheek" above them)."""
    e = EXERCISES[slug]
    shown = set().union(*(TOUCH_SHOWS[t] for t in _touches(e)))
    steps = e["steps"] if language == "en" else SPANISH[slug]["steps"]
    sentence = _hand_sentence(steps, language)
    assert sentence, (slug, language, "no step puts the hand where the picture does")
    assert _named(sentence, language) <= shown, (slug, language, sentence, shown)


PRESSES = [slug for slug in TOUCHING_THE_HEAD if EXERCISES[slug]["pattern"].get("wording") in DIRECTION_SENTENCES]


@pytest.mark.parametrize("slug", PRESSES)
def test_the_line_above_the_steps_names_the_place_the_picture_shows(slug):
    """The direction's sentence of a press ("Put your right hand on your right cheek.") names the
    place the picture's hand is on, for every side and relation."""
    assert {"neck-turn-against-hand", "neck-press-turn", "neck-press-side", "neck-tilt-against-hand"} <= set(PRESSES)
    e = EXERCISES[slug]
    wording = e["pattern"]["wording"]
    shown = set().union(*(TOUCH_SHOWS[t] for t in _touches(e)))
    for sentence in DIRECTION_SENTENCES[wording].values():
        assert _named(sentence, "en") <= shown, (slug, sentence, shown)


# How many fingertips each fingertip touch of the face and profile views draws.
FINGERTIPS = {"chin_front": 2, "chin_r": 1, "cheek_r": 1, "temple_r": 1, "lip_r": 1, "forehead": 1, "chin": 1}
COUNT_WORDS = {
    "en": {r"\btwo fingertips\b": 2, r"\b(?:one|a) fingertip\b": 1},
    "es": {r"\bdos dedos\b": 2, r"\bun dedo\b": 1},
}
FINGERTIP_PICTURES = sorted(
    slug
    for slug, e in EXERCISES.items()
    if e.get("picture", {}).get("view") in ("face", "profile") and _touches(e) & set(FINGERTIPS)
)


@pytest.mark.parametrize("slug", FINGERTIP_PICTURES)
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_fingertips_the_steps_count_are_the_ones_drawn(slug, language):
    """jaw-open-stretch: "Put two fingertips on your chin" beside one fingertip drawn."""
    assert "jaw-open-stretch" in FINGERTIP_PICTURES
    e = EXERCISES[slug]
    steps = " ".join(e["steps"] if language == "en" else SPANISH[slug]["steps"])
    said = {n for pattern, n in COUNT_WORDS[language].items() if re.search(pattern, steps, re.IGNORECASE)}
    drawn = {FINGERTIPS[t] for t in _touches(e)}
    assert said <= drawn, (slug, language, said, drawn)


def test_the_jaw_stretch_rests_two_fingertips_mid_chin_below_the_lower_lip_as_the_jaw_opens():
    """ "Put two fingertips on your chin, just below your lower lip. … Let your fingertips add a light
    push down." The picture had one fingertip at the lower edge of the chin, on the right side, where
    a push would close the jaw. Both panels: the two tips either side of the face's middle, below the
    mouth and above the chin's lowest point, lower at the end as the jaw opens."""
    from planner.catalog.figure import face

    pic = normalize(EXERCISES["jaw-open-stretch"]["picture"])
    lows = []
    for pose in (pic.start, {**pic.start, **pic.end}):
        v = face.values(pose)
        assert v.touch == "chin_front", pose
        f = face.Face(v)
        tips = face.chin_front_tips(f)
        mouth_bottom = min(y for s in face._mouth(f) for _, y in s.points)
        chin_bottom = min(y for _, y in f.outline())
        for x, y in tips:
            assert abs(x) <= 0.2 * face.RX, (pose, tips)  # the middle of the chin, not one side
            assert chin_bottom + 5 < y < mouth_bottom - 2, (pose, tips, mouth_bottom, chin_bottom)
        assert tips[0][0] < 0 < tips[1][0]
        lows.append(tips[0][1])
    assert lows[1] < lows[0] - 5  # the fingertips go down with the chin


def _trick_directions(slug: str):
    """(recorded place, side, Direction) for every place and side the pattern form allows for the
    exercise's trick (a cheek touch: the cheek), none recorded, and one recorded elsewhere."""
    from planner.dystonia.direction import resolve
    from planner.dystonia.movement import spec_of
    from planner.dystonia.pattern import TRICK_PLACES, PatternData, Pull

    spec = spec_of(EXERCISES[slug]["pattern"])
    place = spec.trick or "cheek"
    recorded = [(place, side) for side in TRICK_PLACES[place].sides] + [("", ""), ("mouth", "")]
    for trick, side in recorded:
        pattern = PatternData(pulls=(Pull("rotation", "left", 2),), trick=trick, trick_side=side)
        yield trick, side, resolve(spec, "", pattern)


TRICKS = sorted(
    slug
    for slug, e in EXERCISES.items()
    if e.get("pattern", {}).get("trick") or e.get("pattern", {}).get("wording") == "cheek"
)


@pytest.mark.parametrize("slug", TRICKS)
@pytest.mark.parametrize("language", ["en", "es"])
def test_a_trick_refers_to_a_place_named_above_only_if_one_is(slug, language):
    """The cheek touch said "on the cheek named above" and "Use the one named above" where the line
    above may name none (no cheek recorded yet) or both ("Try each cheek"). Words that refer to the
    line above say what to do when it names nothing ("unless …", "If a cheek is named above …")."""
    assert {"sensory-trick-cheek-touch", "sensory-trick-temple-touch"} <= set(TRICKS)
    text = EXERCISES[slug] if language == "en" else SPANISH[slug]
    above = r"named above" if language == "en" else r"indica arriba"
    for line in [*text["steps"], *text.get("tips", [])]:
        for sentence in re.split(r"(?<=\.) ", line):
            if re.search(above, sentence):
                assert re.search(r"\b(?:if|unless|si|salvo)\b", sentence, re.IGNORECASE), (slug, language, sentence)
    sentences = {direction.sentence for _, _, direction in _trick_directions(slug)}
    assert "" in sentences  # the line above can be empty: the words must read right then too


@pytest.mark.parametrize("slug", TRICKS)
def test_a_trick_tried_on_each_side_says_the_picture_shows_one(slug):
    """ "Try each temple" / "Try each cheek" beside a hand drawn on one side: the patient copies the
    one side unless told that the picture shows one of the two."""
    from planner.catalog.figure.pattern_start import start_in
    from tests.test_catalog_pictures import _touch_shown

    for _, side, direction in _trick_directions(slug):
        if side != "both":
            continue
        pic = start_in(EXERCISES[slug]["picture"], direction.start_posture)
        _, hand, across = _touch_shown(pic, direction.mirrored)
        assert abs(across) > 0.3, (slug, across)  # drawn on one side
        assert direction.sentence.startswith("Try each ") and direction.sentence.endswith(
            " The picture shows one side."
        ), (slug, direction.sentence)


@pytest.mark.parametrize("place", ["temple", "cheek"])
def test_a_paper_given_before_the_picture_note_still_agrees(place):
    """A sheet given with "Try each cheek, and use the one that helps more." reads as it does now,
    only without the note on the picture: the phone page does not hold it back, and an old version
    still reads in Spanish."""
    from planner.i18n import translator
    from planner.services.paper_differs import differences

    old = f"Try each {place}, and use the one that helps more."
    now = f"{old} The picture shows one side."
    row = {"side": "both", "direction": old, "mirrored": False, "start_posture": "", "flags": []}
    assert differences(row, {**row, "direction": now}) == []
    assert differences({**row, "direction": "Touch your left cheek."}, {**row, "direction": now}) == ["words"]
    assert translator("es").gettext(old).startswith("Pruebe con cada ")


@pytest.mark.parametrize("slug", TRICKS)
def test_a_trick_recorded_in_the_middle_draws_the_hand_in_the_middle(slug):
    """A back-of-head trick recorded in the middle ("Middle, or no side") was drawn with the hand on
    the right side of the back of the head; the chin's and the forehead's are drawn mid-face. For
    every exercise whose trick's place has a middle, the hand as the handout draws it for a trick
    recorded there in the middle is within the middle of the head, for each way the head starts."""
    from planner.catalog.figure import build_shapes
    from planner.catalog.figure.pattern_start import start_in
    from planner.dystonia.direction import resolve
    from planner.dystonia.movement import spec_of
    from planner.dystonia.pattern import TRICK_PLACES, PatternData, Pull
    from tests.test_catalog_pictures import MIDDLE_ROOM, _touch_shown

    spec = spec_of(EXERCISES[slug]["pattern"])
    if not spec.trick or "" not in TRICK_PLACES[spec.trick].sides:
        assert slug == "sensory-trick-cheek-touch"  # a cheek has no middle
        return
    for turn, tilt in (("left", "left"), ("left", "right"), ("right", "left"), ("right", "right")):
        pattern = PatternData(pulls=(Pull("rotation", turn, 2), Pull("tilt", tilt, 1)), trick=spec.trick)
        direction = resolve(spec, "", pattern)
        pic = start_in(EXERCISES[slug]["picture"], direction.start_posture)
        _, _, across = _touch_shown(pic, direction.mirrored)
        assert abs(across) <= MIDDLE_ROOM, (slug, turn, tilt, direction.start_posture, across)
        build_shapes(pic, "left" if direction.mirrored else "right")


# A start position whose steps rest both hands in the lap or on the thighs.
LAP_WORDS = r"\b(?:Rest your hands in your lap|Let your arms rest in your lap|Rest your hands on your thighs)\b"
HANDS_IN_LAP = sorted(
    slug
    for slug, e in EXERCISES.items()
    if e.get("picture", {}).get("view") in ("front", "side") and re.search(LAP_WORDS, " ".join(e["steps"][:2]))
)


@pytest.mark.parametrize("slug", HANDS_IN_LAP)
def test_hands_the_start_rests_in_the_lap_are_on_the_thighs_in_both_panels(slug):
    """neck-side-tilt-sitting and shoulder-tense-and-release ("Rest your hands in your lap") and
    chin-tuck-sitting ("Rest your hands on your thighs") drew both arms hanging beside the seat."""
    from tests.test_catalog_pictures import _posed

    assert {"neck-side-tilt-sitting", "shoulder-tense-and-release", "chin-tuck-sitting"} <= set(HANDS_IN_LAP)
    pic = EXERCISES[slug]["picture"]
    for j in _posed(pic)[0]:
        for s in "rl":
            x, y = j[f"hand_{s}"]
            if pic["view"] == "front":  # the fist forward over its own thigh, at the lap
                hip_x, hip_y = j[f"hip_{s}"]
                assert abs(x - hip_x) <= 6 and 0 <= y - hip_y <= 12, (slug, s, (x, y), (hip_x, hip_y))
            else:  # the hand on the thigh, between the hip and the knee, just above it
                knee_x, knee_y = j[f"knee_{s}"]
                assert j["hip"][0] < x <= knee_x + 3 and 0 <= y - knee_y <= 18, (slug, s, (x, y), (knee_x, knee_y))


# How the steps lay a towel under a lying body, and the prop that draws it so.
TOWEL_WORDS = {
    r"\bfolded towel\b": "folded_towel",  # flat under the head, or under the forehead face down
    r"\brolled (?:hand )?towel under the curve of your neck\b": "towel",
    r"\brolled towel runs along your spine\b": "towel_spine",
}
LYING_ON_A_TOWEL = sorted(
    slug
    for slug, e in EXERCISES.items()
    if e["position"] in ("lying", "prone") and any(re.search(w, " ".join(e["steps"])) for w in TOWEL_WORDS)
)


@pytest.mark.parametrize("slug", LYING_ON_A_TOWEL)
def test_a_towel_under_a_lying_body_is_drawn_as_the_steps_lay_it(slug):
    """chin-nod-head-lift ("Rest your head on a folded towel"), the face-down lifts ("Rest your
    forehead on a folded towel") and the chest opener ("A rolled towel runs along your spine") all
    drew the neck roll of neck-towel-roll-rest: under the chin, face down. A folded towel is a flat
    pad under the head in both panels (face down: toward the forehead, the top of the head's side)."""
    from planner.catalog.figure import side
    from planner.catalog.figure.body import HEAD_RADIUS_PROFILE
    from planner.catalog.figure.props import TOWEL
    from planner.catalog.figure.shapes import SKIN

    assert {"chin-nod-head-lift", "head-lift-face-down", "prone-y-lift", "chest-opener-towel-roll"} <= set(
        LYING_ON_A_TOWEL
    )
    e = EXERCISES[slug]
    props = e["picture"]["props"]
    said = {prop for words, prop in TOWEL_WORDS.items() if re.search(words, " ".join(e["steps"]))}
    assert said == {p for p in props if "towel" in p}, (slug, said, props)
    if said != {"folded_towel"}:
        return
    pic = normalize(e["picture"])
    drawn = side.build(pic)
    for shapes in (drawn.start, drawn.end):
        (head,) = [s.points[0] for s in shapes if s.kind == "circle" and s.fill == SKIN and s.rx == HEAD_RADIUS_PROFILE]
        (pad,) = [s for s in shapes if s.kind == "rect" and s.fill == TOWEL]
        (x0, _), (x1, _) = pad.points
        assert x0 < head[0] < x1, (slug, pad.points, head)
        if pic.start["base"] == "prone":  # the head lies to the picture's left: the forehead's side
            assert head[0] - x0 > x1 - head[0], (slug, pad.points, head)


AT_A_TABLE = sorted(
    slug
    for slug, e in EXERCISES.items()
    if e.get("picture", {}).get("view") == "hand" and re.search(r"\bSit (?:tall )?at a table\b", e["steps"][0])
)


@pytest.mark.parametrize("slug", AT_A_TABLE)
def test_a_hand_at_a_table_is_drawn_at_the_table(slug):
    """grip-squeeze-ball, putty-pinch and relaxed-pen-grip-check ("Sit at a table. Rest your
    forearm on the table."), shape-in-hand-eyes-closed and turn-key-and-lid ("Sit at a table …")
    drew the hand in the air, where every other hand view that starts at a table draws it."""
    assert {"grip-squeeze-ball", "putty-pinch", "relaxed-pen-grip-check", "turn-key-and-lid"} <= set(AT_A_TABLE)
    assert len(AT_A_TABLE) >= 20
    assert "table" in EXERCISES[slug]["picture"]["props"]


HEELS_OFF_THE_WALL = sorted(
    slug
    for slug, e in EXERCISES.items()
    if e.get("picture", {}).get("view") == "side" and re.search(r"\bheels a small step away\b", " ".join(e["steps"]))
)


@pytest.mark.parametrize("slug", HEELS_OFF_THE_WALL)
def test_heels_the_steps_put_a_small_step_from_the_wall_are_out_from_it(slug):
    """ "Stand with your back to a wall. Put your heels a small step away from it. Let your bottom and
    shoulder blades touch the wall." The side view stood the heels against the wall, under the hips.
    In both panels the heels are a small step (at least 5 units, about cm) in front of the hips and
    shoulders, which stay at the wall (no farther from it than the heels), and the feet are flat."""
    from tests.test_catalog_pictures import _posed

    assert {"chin-tuck-wall", "standing-tall-wall", "shoulder-blade-slide-wall"} <= set(HEELS_OFF_THE_WALL)
    for j in _posed(EXERCISES[slug]["picture"])[0]:
        for s in "rl":
            heel, toe = j[f"heel_{s}"], j[f"toe_{s}"]
            assert heel[0] - j["hip"][0] >= 5 and heel[0] - j["shoulder"][0] >= 5, (slug, heel, j["hip"], j["shoulder"])
            assert abs(toe[1] - heel[1]) <= 1.5, (slug, heel, toe)  # the foot flat on the floor
