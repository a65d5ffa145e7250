"""Hands read beside their steps: a hand the steps lay on a table lies on it; a hand the steps
put on the belly is drawn there.

A therapist reads "Rest your hand flat on it, palm down" beside the picture. The hand view draws
the hand from the palm side (or its back), fingers up; with the table drawn edge-on under the
wrist, a hand meant to lie flat read as a hand standing up on the table's edge. Seen from above,
the table top lies behind the whole hand and the forearm, with no edge for the hand to stand on."""

from __future__ import annotations

import re

import pytest

from planner.catalog.figure import hand
from planner.catalog.figure.props import WOOD
from planner.catalog.figure.shapes import INK, shape_points
from planner.catalog.figure.spec import normalize
from tests.test_catalog_pictures import EXERCISES

# The start position puts the palm, or the back of the hand, on the table (the first three steps
# set the start; "Rest your hand flat on the table before the next one" at the end is a rest).
ON_THE_TABLE = r"\b(?:palm (?:down|up)|palm facing (?:down|up) on the table|with the palm up|flat on it)\b"
LYING_HANDS = sorted(
    slug
    for slug, e in EXERCISES.items()
    if e.get("picture", {}).get("view") == "hand"
    and "table" in e["picture"].get("props", [])
    and not e["picture"]["start"].get("wrist")  # a bent wrist is drawn from the thumb side (its own test)
    and re.search(ON_THE_TABLE, " ".join(e["steps"][:3]))
)


def _table_and_hand(pose: dict, props: list[str]) -> tuple[list, list]:
    """What is drawn under the hand that is the table, and the hand's outlined shapes."""
    under, shapes, _ = hand._draw_parts(hand.values(pose), False, props)
    tables = [s for s in under if s.kind == "rect" and s.fill in (WOOD, hand.TABLE_TOP)]
    return tables, [s for s in shapes if s.stroke == INK]


def test_the_hands_laid_on_a_table_are_found():
    assert {"finger-spread", "forearm-turns", "letters-on-palm", "one-or-two-points", "thumb-forearm-stretch"} <= set(
        LYING_HANDS
    )


@pytest.mark.parametrize("slug", LYING_HANDS)
def test_a_hand_the_steps_lay_on_the_table_lies_on_it_seen_from_above(slug):
    """finger-spread ("Rest your hand flat on it, palm down"), forearm-turns ("Start with your palm
    facing down on the table") and the palm-up rests (letters-on-palm, one-or-two-points,
    thumb-forearm-stretch) drew the hand fingers up over a strip of table under the wrist: a hand
    standing on the table's edge. In both panels the table top now lies under the whole hand and
    forearm, and nothing is drawn below the wrist for the hand to stand on."""
    e = EXERCISES[slug]
    steps = " ".join(e["steps"][:3])
    pic = normalize(e["picture"])
    said = "palm_down" if re.search(r"\bpalm (?:facing )?down\b", steps) else "palm_up"
    assert pic.start["forearm_turn"] == said, (slug, pic.start)  # the picture turns the hand as the steps do
    for pose in (pic.start, pic.end):
        tables, outline = _table_and_hand(pose, pic.props)
        assert tables, slug
        hand_pts = [p for s in outline for p in shape_points(s)]
        lowest = min(p[1] for p in hand_pts)
        for table in tables:
            (x0, y0), (x1, y1) = table.points
            assert min(y0, y1) <= lowest and max(y0, y1) >= max(p[1] for p in hand_pts), (slug, table.points)
            assert min(x0, x1) <= min(p[0] for p in hand_pts) and max(x0, x1) >= max(p[0] for p in hand_pts)


BELLY_WORDS = r"\b(?:hand on your belly|hand on your lower tummy)\b"
HAND_ON_BELLY = sorted(slug for slug, e in EXERCISES.items() if re.search(BELLY_WORDS, " ".join(e["steps"][:3])))


@pytest.mark.parametrize("slug", HAND_ON_BELLY)
def test_a_hand_the_steps_put_on_the_belly_rests_on_it_in_both_panels(slug):
    """long-easy-ah ("Put one hand on your belly. Breathe in slowly … Feel your belly move out")
    drew the face only, with no hand. Every exercise whose steps put a hand on the belly draws the
    body from the side with the near hand on the belly's front in both panels."""
    from planner.catalog.figure.side_pose import TRUNK
    from tests.test_catalog_pictures import _posed

    assert {"long-easy-ah", "belly-breathing-lying", "tummy-tightening-lying"} <= set(HAND_ON_BELLY)
    pic = EXERCISES[slug]["picture"]
    assert pic["view"] == "side", slug
    for j in _posed(pic)[0]:
        hand_at, belly = j["hand_r"], j["belly"]
        assert abs(hand_at[0] - belly[0]) + abs(hand_at[1] - belly[1]) < 0.25 * TRUNK, (slug, hand_at, belly)


# Steps that work both hands together (not one hand helped by the other, which its own tests read).
BOTH_HANDS_WORDS = r"\b(?:shake your hands|Let your hands go heavy|Rest your forearms on (?:your thighs|the table))\b"
BOTH_HANDS = sorted(
    slug
    for slug, e in EXERCISES.items()
    if e.get("picture", {}).get("view") == "hand" and re.search(BOTH_HANDS_WORDS, " ".join(e["steps"]))
)


def _palms(shapes: list) -> list[tuple[float, float]]:
    """The middle of every palm drawn: from the palm side (7 corners) or the thumb side (5)."""
    from planner.catalog.figure.shapes import SKIN

    palms = [s.points for s in shapes if s.kind == "poly" and s.fill == SKIN and len(s.points) in (5, 7)]
    return [(sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)) for pts in palms]


@pytest.mark.parametrize("slug", BOTH_HANDS)
def test_steps_that_work_both_hands_draw_both(slug):
    """hand-shake-out ("Gently shake your hands … let your hands hang still") and
    hand-tense-and-release ("Rest your forearms on your thighs … Let your hands go heavy") drew
    one hand. Both hands are drawn in both panels: buttoning's two (one holds the cloth), and two
    side by side where both do the same, the right on the picture's left, the left its mirror."""
    assert {"hand-shake-out", "hand-tense-and-release", "buttoning-practice"} <= set(BOTH_HANDS)
    pic = normalize(EXERCISES[slug]["picture"])
    drawn = hand.build(pic)
    for shapes in (drawn.start, drawn.end):
        palms = _palms(shapes)
        assert len(palms) == 2, (slug, palms)
        if pic.both_hands:
            (ax, ay), (bx, by) = palms
            assert ax < 0 < bx and ax == pytest.approx(-bx) and ay == pytest.approx(by), (slug, palms)


AT_A_TABLE = sorted(
    slug
    for slug, e in EXERCISES.items()
    if re.search(r"\b(?:at a table|to the table|next to a sturdy table|close to a firm table)\b", e["steps"][0])
)


@pytest.mark.parametrize("slug", AT_A_TABLE)
def test_an_exercise_that_starts_at_a_table_draws_the_table(slug):
    """shoulder-low-sip-cup ("Sit tall at a table with a cup of water in front of you") drew the
    chair and the cup and no table: every picture whose first step puts the patient at a table,
    in any view, draws it."""
    assert {"shoulder-low-sip-cup", "reading-midline-hold", "finger-spread"} <= set(AT_A_TABLE)
    assert "table" in EXERCISES[slug]["picture"]["props"], slug


def test_the_sip_at_the_table_holds_the_cup_up_by_the_mouth_over_the_table():
    """With the table drawn, the front view stood the cup on it; "Bring the cup to your mouth and
    take a sip. Keep that shoulder low" holds it up by the mouth in both panels, the table below."""
    from planner.catalog.figure import front, front_pose
    from planner.catalog.figure.props import PROP

    e = EXERCISES["shoulder-low-sip-cup"]
    assert "Bring the cup to your mouth" in " ".join(e["steps"])
    pic = normalize(e["picture"])
    poses = [front_pose.place(pic.start), front_pose.place(pic.end)]
    scene = front.scene_props(pic.props, poses)
    table_top = max(p[1] for s in scene["mid"] if s.fill == WOOD for p in s.points)
    assert not [s for part in scene.values() for s in part if s.fill == PROP and s.kind == "poly"]  # none on the table
    for placed in poses:
        cups = [s for s in front.draw(placed, pic.props, scene) if s.fill == PROP and s.kind == "poly"]
        assert len(cups) == 1, cups
        middle = (sum(p[0] for p in cups[0].points) / 4, sum(p[1] for p in cups[0].points) / 4)
        hand_at, head = placed.joints["hand_r"], placed.joints["head"]
        assert abs(middle[0] - hand_at[0]) < 3 and 0 < middle[1] - hand_at[1] < 8  # in the hand
        assert middle[1] > table_top + 20 and head[1] - middle[1] < 40  # up by the face, off the table


# Side views whose steps rest both forearms on the table (the far arm is drawn behind the near one).
BOTH_FOREARMS = (
    r"\b(?:Rest both forearms on the table|Rest your forearms(?: lightly)? on the table|other hand on the paper)\b"
)
BOTH_ON_THE_TABLE = sorted(
    slug
    for slug, e in EXERCISES.items()
    if e["picture"]["view"] == "side" and re.search(BOTH_FOREARMS, " ".join(e["steps"]))
)


@pytest.mark.parametrize("slug", BOTH_ON_THE_TABLE)
def test_both_forearms_the_steps_rest_on_the_table_rest_there(slug):
    """writing-stable-shoulders ("Rest both forearms on the table … Put your other hand on the
    paper"), typing-with-relaxed-hands and table-posture-check ("Rest your forearms … on the
    table") drew the far arm hanging by the side, its hand showing below the seat. The far forearm
    now lies on the table top (its middle a limb's half thickness above it, past the table's near
    edge) in the start, and in the end unless both arms hang ("Let your arms hang loose")."""
    from planner.catalog.figure.props import LIMB_R_TABLE
    from tests.test_catalog_pictures import _posed

    assert {"writing-stable-shoulders", "typing-with-relaxed-hands", "table-posture-check"} <= set(BOTH_ON_THE_TABLE)
    (start, end), shapes = _posed(EXERCISES[slug]["picture"])
    wood = [p for s in shapes if s.fill == WOOD for p in s.points]
    top, edge = max(p[1] for p in wood), min(p[0] for p in wood)
    both_hang = all(j[f"hand_{s}"][1] < j["hip"][1] for j in (end,) for s in "rl")
    for j in (start,) if both_hang else (start, end):
        x, y = j["wrist_l"]
        assert x > edge and abs(y - (top + LIMB_R_TABLE)) < 3, (slug, j["wrist_l"], top, edge)


ARMS_CROSSED = sorted(
    slug
    for slug, e in EXERCISES.items()
    if e["picture"]["view"] == "side"
    and re.search(r"\bCross your (?:arms over your chest|hands on your upper chest)\b", " ".join(e["steps"]))
    and "opposite shoulders" not in " ".join(e["steps"])  # a hug holds the shoulders themselves
)


@pytest.mark.parametrize("slug", ARMS_CROSSED)
def test_arms_the_steps_cross_over_the_chest_lie_on_it(slug):
    """sit-back ("Cross your arms over your chest. Sit tall …") and sit-to-stand drew both hands
    held up in front of the chin, forearms upright: a therapist read a hand raised to the face.
    Crossed arms lie on the chest in both panels, leaning or not: along the trunk each hand is
    between the chest's middle and the shoulders, and no farther from its line than its front
    (as look-up-stretch-sitting already drew them)."""
    from planner.catalog.figure.shapes import dot, sub, unit
    from planner.catalog.figure.side_pose import TRUNK_RADIUS
    from tests.test_catalog_pictures import _posed

    assert {"sit-back", "sit-to-stand", "look-up-stretch-sitting"} <= set(ARMS_CROSSED)
    for j in _posed(EXERCISES[slug]["picture"])[0]:
        hip, shoulder = j["hip"], j["shoulder"]
        up = unit(sub(shoulder, hip))
        across = (-up[1], up[0])
        top, chest = dot(sub(shoulder, hip), up), dot(sub(j["chest"], hip), up)
        for s in "rl":
            along, off = dot(sub(j[f"hand_{s}"], hip), up), dot(sub(j[f"hand_{s}"], hip), across)
            assert chest - 2 < along < top + 2, (slug, s, along, chest, top)  # below the collarbones
            assert abs(off) < TRUNK_RADIUS + 5, (slug, s, off)  # on the trunk's front, not out in the air


# Steps that rest the hand itself on the table or paper, not only the forearm.
HAND_RESTS_WORDS = r"\b(?:Rest your hand on the table|Rest the side of your hand on the paper)\b"
HAND_RESTS = sorted(
    slug
    for slug, e in EXERCISES.items()
    if e.get("picture", {}).get("view") == "hand" and re.search(HAND_RESTS_WORDS, " ".join(e["steps"]))
)


@pytest.mark.parametrize("slug", HAND_RESTS)
def test_a_hand_the_steps_rest_on_the_table_rests_on_it(slug):
    """relaxed-pen-grip-check ("Rest your hand on the table. Let your fingers go soft. Pick up the
    pen") drew the hand from the palm side, fingers to the ceiling, its forearm standing on the
    table's edge: a hand held up. As pen-grip-thick-and-loose draws it, seen from the thumb side the
    hand now lies on the table with the side of it on the paper, in both panels: the table under the
    whole hand, the hand's lowest edge just above its top (a few units: the outline's middle line),
    and nothing of the hand standing higher than a resting hand with a pen in it."""
    assert {"relaxed-pen-grip-check", "pen-grip-thick-and-loose"} <= set(HAND_RESTS)
    pic = normalize(EXERCISES[slug]["picture"])
    side = hand._side_needed(hand.values(pic.start), hand.values(pic.end))
    for pose in (pic.start, pic.end):
        under, shapes, _ = hand._draw_parts(hand.values(pose), side, pic.props)
        tables = [s for s in under + shapes if s.kind == "rect" and s.fill in (WOOD, hand.TABLE_TOP, "#ffffff")]
        assert tables, slug
        top = max(p[1] for s in tables for p in s.points)
        outline = [p for s in shapes if s.stroke == INK for p in shape_points(s)]
        low, high = min(p[1] for p in outline), max(p[1] for p in outline)
        assert 0 <= low - top <= 8, (slug, low, top)  # resting on it, not standing on its edge
        assert high - top < 45, (slug, high, top)  # lying there, not fingers up
        x0, x1 = min(p[0] for s in tables for p in s.points), max(p[0] for s in tables for p in s.points)
        assert x0 <= min(p[0] for p in outline) and max(p[0] for p in outline) <= x1, (slug, x0, x1)


def test_the_cup_stands_on_the_table_and_the_hand_lifts_it_a_little():
    """cup-grip-and-release ("Rest your forearm on the table … Open your hand and wrap it around the
    cup … Lift the cup a little"): from the palm side the cup floated over an upright hand, 40 units
    above the table, and never moved. From the thumb side now: in the start the cup stands on the
    table and the forearm rests there; in the end the fingers are round the cup and it is lifted a
    little (5 to 15 units) off the table."""
    from planner.catalog.figure.shapes import PROP

    e = EXERCISES["cup-grip-and-release"]
    steps = " ".join(e["steps"])
    assert "Rest your forearm on the table." in steps and "Lift the cup a little." in steps
    pic = normalize(e["picture"])
    side = hand._side_needed(hand.values(pic.start), hand.values(pic.end))
    feet = []
    for pose in (pic.start, pic.end):
        under, shapes, tips = hand._draw_parts(hand.values(pose), side, pic.props)
        drawn = under + shapes
        top = max(p[1] for s in drawn if s.kind == "rect" and s.fill == WOOD for p in s.points)
        (cup,) = [s for s in drawn if s.kind == "poly" and s.fill == PROP]
        feet.append(min(p[1] for p in cup.points) - top)
        forearm = next(s for s in shapes if s.kind == "line" and s.stroke == INK)
        assert min(p[1] for p in forearm.points) - forearm.width / 2 == pytest.approx(top, abs=1)  # it rests there
    assert abs(feet[0]) <= 1, feet  # the cup stands on the table
    assert 5 <= feet[1] <= 15, feet  # lifted a little
    xs = [p[0] for p in cup.points]
    assert min(xs) <= tips["fingers"][0] <= max(xs) + 8  # the fingers round it
