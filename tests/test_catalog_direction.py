"""`catalog check` of each exercise's relation to a dystonia pattern ([pattern]) and stage ([retraining]),
and the shipped catalog held to them."""

from __future__ import annotations

import re
import tomllib

import pytest

from planner.catalog.loader import check_directory
from planner.catalog.schema import validate_exercise
from planner.dystonia.direction import resolve
from planner.dystonia.movement import spec_of
from planner.dystonia.pattern import PatternData, Pull
from planner.dystonia.sentences import DIRECTION_SENTENCES, IN_TURN, LIMB_SENTENCES
from planner.i18n import translator
from tests import exercise_files as ef
from tests.conftest import CATALOG

ROTATION = {"relation": "away", "movement": "rotation", "drawn": "right", "wording": "turn"}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"pattern": ef.DROP}, "bad.toml: pattern: is missing"),
        ({"retraining": ef.DROP}, "bad.toml: retraining: is missing"),
        ({"pattern": {"relation": "sideways"}}, "bad.toml: pattern.relation: unknown value 'sideways'"),
        ({"pattern": {"relation": "away"}}, "bad.toml: pattern.movement: unknown value None"),
        ({"pattern": {"relation": "toward", "movement": "twist"}}, "bad.toml: pattern.movement: unknown value 'twist'"),
        ({"pattern": {"relation": "away", "movement": "rotation"}}, "bad.toml: pattern.drawn: say which way"),
        ({"pattern": {**ROTATION, "drawn": "up"}}, "bad.toml: pattern.drawn: say which way"),
        ({"pattern": {**ROTATION, "wording": "tip"}}, "bad.toml: pattern.wording: unknown value 'tip'; for rotation"),
        (
            {"pattern": {"relation": "away", "movement": "flexion", "drawn": "right"}},
            "bad.toml: pattern.drawn: flexion has one way only",
        ),
        ({"pattern": {"relation": "symmetric", "movement": "tilt"}}, "bad.toml: pattern.movement: only for relation"),
        ({"pattern": {"relation": "limb", "wording": "turn"}}, "bad.toml: pattern.wording: a limb exercise takes no"),
        ({"pattern": {"relation": "symmetric", "side": "left"}}, "bad.toml: pattern.side: unknown key"),
        (
            {"pattern": {"relation": "symmetric", "avoid": [{"with": "torticollis", "reason": "x"}]}},
            "bad.toml: pattern.avoid[1].with: unknown value 'torticollis'",
        ),
        (
            {"pattern": {"relation": "symmetric", "avoid": [{"with": "flexion", "reason": " "}]}},
            "bad.toml: pattern.avoid[1].reason: say why",
        ),
        (
            {"pattern": {"relation": "symmetric", "avoid": [{"with": "flexion", "reason": "x" * 201}]}},
            "bad.toml: pattern.avoid[1].reason: is too long",
        ),
        (
            {"pattern": {"relation": "symmetric", "avoid": [{"with": "tremor"}]}},
            "bad.toml: pattern.avoid[1]: give `with` (a pattern component) and `reason`",
        ),
        (
            {
                "pattern": {
                    "relation": "symmetric",
                    "avoid": [{"with": "tilt", "reason": "One."}, {"with": "tilt", "reason": "Two."}],
                }
            },
            "bad.toml: pattern.avoid[2].with: “tilt” is listed twice",
        ),
        # `also`: the other head movements the steps make, relative to the exercise's side
        ({"pattern": {**ROTATION, "also": {"movement": "tilt"}}}, "bad.toml: pattern.also: must be a list"),
        ({"pattern": {**ROTATION, "also": [{"movement": "shrug"}]}}, "bad.toml: pattern.also[1].movement: unknown"),
        (
            {"pattern": {**ROTATION, "also": [{"movement": "rotation", "to": "other"}]}},
            "bad.toml: pattern.also[1].movement: “rotation” is the main",
        ),
        ({"pattern": {**ROTATION, "also": [{"movement": "tilt"}]}}, "bad.toml: pattern.also[1].to: say which side"),
        ({"pattern": {**ROTATION, "also": [{"movement": "tilt", "to": "left"}]}}, "bad.toml: pattern.also[1].to: say"),
        (
            {"pattern": {**ROTATION, "also": [{"movement": "flexion", "to": "same"}]}},
            "bad.toml: pattern.also[1].to: flexion",
        ),
        ({"pattern": {**ROTATION, "also": [{"movement": "tilt", "side": "same"}]}}, "bad.toml: pattern.also[1]: give"),
        (
            {"pattern": {"relation": "symmetric", "also": [{"movement": "tilt", "to": "same"}]}},
            "bad.toml: pattern.also[1].movement: tilt needs a side",
        ),
        (
            {"pattern": {**ROTATION, "also": [{"movement": "flexion"}, {"movement": "flexion"}]}},
            "bad.toml: pattern.also[2].movement: “flexion” is listed twice",
        ),
        ({"pattern": {"relation": "symmetric", "start": "up"}}, "bad.toml: pattern.start: say which side"),
        ({"pattern": {**ROTATION, "start": "left"}}, "bad.toml: pattern.start: only for a symmetric"),
        ({"retraining": {"stage": 4}}, "bad.toml: retraining.stage: must be 1, 2 or 3"),
        ({"retraining": {"stage": True}}, "bad.toml: retraining.stage: must be 1, 2 or 3"),
        ({"retraining": {"stage": 1, "level": 2}}, "bad.toml: retraining.level: unknown key"),
    ],
)
def test_each_bad_direction_field_is_named(tmp_path, changes, expected):
    ef.write(tmp_path, "good", pattern=ROTATION)
    ef.write(tmp_path, "bad", **changes)
    found = [str(p) for p in check_directory(tmp_path)]
    assert any(p.startswith(expected) for p in found), found
    assert not any(p.startswith("good.toml") for p in found)


@pytest.mark.parametrize(
    "pattern",
    [
        {"relation": "symmetric"},
        {"relation": "limb"},
        {"relation": "limb", "wording": "cheek"},
        ROTATION,
        {"relation": "toward", "movement": "tilt", "drawn": "left", "wording": "stretch_tip"},
        {"relation": "away", "movement": "shoulder", "drawn": "right"},
        {"relation": "away", "movement": "extension", "avoid": [{"with": "flexion", "reason": "It pulls forward."}]},
        {**ROTATION, "also": [{"movement": "tilt", "to": "other"}, {"movement": "extension"}]},
        {"relation": "symmetric", "also": [{"movement": "flexion"}]},
        {"relation": "symmetric", "start": "right"},
    ],
)
def test_every_kind_of_relation_passes(tmp_path, pattern):
    ef.write(tmp_path, "fine", pattern=pattern)
    assert [str(p) for p in check_directory(tmp_path)] == []


def test_a_clinics_own_exercise_may_leave_both_tables_out():
    data = ef.exercise("mine")  # no [pattern], no [retraining]
    assert validate_exercise(data, picture_required=False) == []


# ---- the shipped catalog --------------------------------------------------------------------


def catalog():
    for path in sorted(CATALOG.glob("*.toml")):
        yield path.stem, tomllib.loads(path.read_text(encoding="utf-8"))


# The ways the catalog used to leave the side (or whether the exercise fits the pull) to the
# therapist, with the handout never naming it, in English and in Spanish.
LEAVES_THE_SIDE = re.compile(
    r"side your therapist|therapist picked this direction|will show you which|side you found|"
    r"which side to (stretch|press)|which way to press|your therapist will (tell|show) you|"
    r"lado que (eligió|indicó|le indicó) su terapeuta|su terapeuta le (dirá|mostrará|indicará)|"
    r"le (mostrará|dirá) hacia qué lado|qué lado (estirar|presionar|empujar)|"
    # A spot or a choice left to what was found together, never named on paper (trial 8).
    r"spot you found|only if your therapist chose|punto que encontró|solo si su terapeuta lo eligió|"
    # A spot, an object or a time left to a note or a choice the handout never names (trial 9).
    r"therapist's note|your therapist (chose|set|picked|named)\b(?! this exercise)|nota de su terapeuta|"
    r"que (eligió|le indicó|indicó) su terapeuta",
    re.I,
)


def _texts(data: dict) -> list[str]:
    """Everything the patient reads of an exercise: its name (the handout's title) first."""
    return [
        data.get("name", ""),
        data.get("summary", ""),
        *data.get("steps", []),
        *data.get("tips", []),
        *data.get("cautions", []),
    ]


# A direction said again in the exercise's own text, where the direction line above the steps
# may say the other: "away from the pull" under "Tip your head to the right, toward the pull."
# (the therapist chose the side), or a side the patient is left to pick by the pull.
RESTATES_THE_WAY = re.compile(
    r"(away from|towards?|against|into|with) the pull|the other way more|(one|a) way by itself|"
    r"more (to|toward) the other side|"
    r"(lejos|en contra|contrario|a favor) (del|al) tirón|(contra|hacia) el tirón|alej\w* .{0,30}del tirón|"
    r"más hacia el otro|más en sentido contrario",
    re.I,
)


@pytest.mark.parametrize("folder", [CATALOG, CATALOG / "translations" / "es"], ids=["en", "es"])
@pytest.mark.parametrize("wording", [LEAVES_THE_SIDE, RESTATES_THE_WAY], ids=["leaves-the-side", "restates-the-way"])
def test_no_exercise_text_leaves_the_side_to_the_therapist_or_restates_the_way(wording, folder):
    """No text leaves the side to the therapist (the handout names it), and none says the way to
    move again: the one direction is the line above the steps, which the text refers to ("the
    way shown above")."""
    found = [
        (path.stem, text)
        for path in sorted(folder.glob("*.toml"))
        for text in _texts(tomllib.loads(path.read_text(encoding="utf-8")))
        if wording.search(text)
    ]
    assert found == []


@pytest.mark.parametrize(
    "text",
    [
        "Slide one ear a little toward your shoulder, away from the pull.",
        "Turn toward the pull.",
        "If your head tips one way by itself, tip it the other way more.",
        "If your jaw pulls to one side, slide it more toward the other side.",
        "Si el cuerpo gira solo hacia un lado, gire más hacia el otro.",
        "Deslice una oreja un poco hacia el hombro, en sentido contrario al tirón.",
        "Aleje despacio la cabeza del tirón, de vuelta hacia el centro.",
        "Gire hacia el tirón.",
        "Hold the middle against the pull",
        "Mantener el centro contra el tirón",
    ],
)
def test_the_check_catches_each_way_a_text_restated_the_way(text):
    assert RESTATES_THE_WAY.search(text)


# Where a direction-specific exercise moves the head "back toward the middle", it presumes the
# head starts at the pull and moves away from it: under "Turn your head to the left, toward the
# pull." (the therapist's choice) it would say the opposite. Its text says "the way shown above".
PRESUMES_AWAY = re.compile(r"toward the middle|back to the middle, the way|hacia el centro|de vuelta al centro,", re.I)


@pytest.mark.parametrize("folder", [CATALOG, CATALOG / "translations" / "es"], ids=["en", "es"])
def test_a_direction_specific_exercise_never_presumes_which_way_from_the_pull(folder):
    """Its name, summary and steps hold whichever side the item takes, away from the pull or toward it."""
    found = []
    for path in sorted(folder.glob("*.toml")):
        english = tomllib.loads((CATALOG / path.name).read_text(encoding="utf-8"))
        if spec_of(english["pattern"]).directional:
            texts = _texts(tomllib.loads(path.read_text(encoding="utf-8")))
            found += [(path.stem, text) for text in texts if PRESUMES_AWAY.search(text)]
    assert found == []


def test_an_exercise_that_refers_to_the_side_named_above_has_one():
    """ "Named above" is only written where the handout prints a sentence naming it: a sided
    exercise, a cheek touch, or one using the sensory trick at its place (its side when recorded)."""
    above = ("named above", "words above the steps", "shown above")
    for slug, data in catalog():
        texts = [data["summary"], *data["steps"], *data.get("tips", [])]
        if any(a in t for t in texts for a in above):
            spec = spec_of(data["pattern"])
            assert spec.sided or spec.wording == "cheek" or spec.trick, slug
    for path in sorted((CATALOG / "translations" / "es").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        if any(re.search(r"indicado arriba|se indica arriba|arriba se indica", t) for t in _texts(data)):
            english = tomllib.loads((CATALOG / path.name).read_text(encoding="utf-8"))
            spec = spec_of(english["pattern"])
            assert spec.sided or spec.wording == "cheek" or spec.trick, path.stem


def motion_side(picture: dict, wording: str) -> str:
    """Which way the picture's motion goes, read from the drawing's own data."""
    if picture.get("press") in ("right", "turn_right"):
        return "right"
    if picture.get("press") in ("left", "turn_left"):
        return "left"
    start, end = picture["start"], {**picture["start"], **picture["end"]}
    if wording in ("shoulder_down", "shoulder_down_in_turn"):  # the shoulder lifted higher at the start
        return "right" if start.get("shrug_r", 0) > start.get("shrug_l", 0) else "left"
    turning = ("turn", "press_turn", "stretch_shoulder")
    key = "head_turn" if wording in turning else "head_tilt"  # tip, press_tip, stretch_tip
    change = end.get(key, 0) - start.get(key, 0)
    if wording == "stretch_shoulder":  # the head turns away from the shoulder that is stretched
        change = -change
    return "right" if change > 0 else "left"


def test_each_direction_specific_picture_moves_the_way_it_says():
    """So mirroring by `drawn` shows the side the handout names."""
    checked = 0
    for slug, data in catalog():
        spec = spec_of(data["pattern"])
        if spec.sided:
            assert motion_side(data["picture"], spec.wording) == spec.drawn, slug
            checked += 1
    assert checked >= 6


def start_off_middle(picture: dict) -> str:
    """The side a picture's start puts the head off the middle to, where a pull would ("" when the
    start is in the middle, or the movement goes on to the other side: turns to each side in
    turn). A trunk that leans is not a pull the neck pattern records a side for: the head there
    only follows the trunk."""
    if picture.get("view") not in ("front", "face") or picture["start"].get("trunk_bend"):
        return ""
    start, end = picture["start"], {**picture["start"], **picture["end"]}
    key = "head_turn" if start.get("head_turn") else "head_tilt"
    off, then = start.get(key, 0), end.get(key, 0)
    if not off or off * then < 0:
        return ""
    return "right" if off > 0 else "left"


PULLS = {
    "turns left": PatternData(pulls=(Pull("rotation", "left", 2),)),
    "turns right": PatternData(pulls=(Pull("rotation", "right", 2),)),
    "tips left": PatternData(pulls=(Pull("tilt", "left", 2),)),
    "tips right": PatternData(pulls=(Pull("tilt", "right", 2),)),
    "slides right": PatternData(pulls=(Pull("lateral_shift", "right", 1),)),
    "turns right, tips left": PatternData(pulls=(Pull("rotation", "right", 2), Pull("tilt", "left", 1))),
}


@pytest.mark.parametrize("pull", PULLS)
def test_a_symmetric_picture_that_starts_off_the_middle_shows_the_patients_own_pull(pull):
    """Finding the middle (and the sensory tricks) start with the head where a pull puts it: for a
    head pulled to the right that start is drawn to the right, never off to the left."""
    pattern = PULLS[pull]
    expected = pattern.pulls[0].side  # rotation first, then tilt, then a lateral shift
    checked = []
    for slug, data in catalog():
        drawn = start_off_middle(data["picture"])
        if data["pattern"]["relation"] != "symmetric" or not drawn:
            continue
        spec = spec_of(data["pattern"])
        assert spec.start == drawn, f"{slug}: its [pattern] start must say the picture starts off to the {drawn}"
        direction = resolve(spec, "", pattern)
        shown = {"left": "right", "right": "left"}[drawn] if direction.mirrored else drawn
        assert shown == expected, slug
        checked.append(slug)
    assert {"head-midline-mirror", "reading-midline-hold", "sensory-trick-chin-touch"} <= set(checked)


@pytest.mark.parametrize(("side", "shown"), [("", "left"), ("left", "left"), ("right", "right")])
def test_without_a_recorded_side_the_start_is_off_to_the_items_side_or_as_drawn(side, shown):
    spec = spec_of({"relation": "symmetric", "start": "left"})
    for pattern in (None, PatternData(pulls=(Pull("flexion", "", 2),))):
        assert ("right" if resolve(spec, side, pattern).mirrored else "left") == shown


def test_the_catalog_has_every_relation_and_stage():
    specs = {slug: spec_of(data["pattern"]) for slug, data in catalog()}
    stages = {data["retraining"]["stage"] for _, data in catalog()}
    assert {s.relation for s in specs.values()} >= {"symmetric", "away", "limb"}
    assert stages == {1, 2, 3}
    # Finding the middle is the same work for every pattern (the format's own definition of symmetric).
    assert {specs[s].relation for s in ("head-midline-mirror", "head-midline-eyes-closed", "reading-midline-hold")} == {
        "symmetric"
    }
    assert specs["head-midline-away-from-pull"].movement == "rotation"
    assert specs["head-midline-away-from-pull"].relation == "away"
    assert {a.component for a in specs["neck-press-forward"].avoid} == {"flexion"}  # the issue's own example


def words(sentence: str) -> list[list[str]]:
    return [s.split() for s in re.split(r"(?<=[.!?])\s+", sentence) if s]


def test_every_direction_sentence_is_whole_and_short():
    """Each sentence at most 15 words; every side has a sentence without the pull, for any pattern;
    none names a way without its side ("Turn your head away from the pull." left the side to a guess)."""
    for wording, table in DIRECTION_SENTENCES.items():
        for (side, _relation), sentence in table.items():
            assert all(len(s) <= 15 for s in words(sentence)), sentence
            assert sentence.endswith("."), sentence
            if side:
                assert side in sentence, (wording, side, sentence)
        sides = {side for side, _ in table if side}
        assert all((side, "") in table and (side, "away") in table for side in sides), wording
        assert not [key for key in table if not key[0]], wording
    for table in LIMB_SENTENCES.values():
        assert set(table) == {"left", "right", "both"}


SPANISH_SIDE = {"right": "derech", "left": "izquierd"}  # derecha/derecho, izquierda/izquierdo


def test_every_direction_sentence_has_its_spanish_whole_and_short():
    """A Spanish patient reads each direction in Spanish: a translation of its own, at most 15 words
    a sentence, naming the same side and the same relation to the pull."""
    t = translator("es")
    sentences = [s for table in DIRECTION_SENTENCES.values() for s in table.values()]
    sentences += [s for table in LIMB_SENTENCES.values() for s in table.values()]
    sentences += list(IN_TURN.values())
    for sentence in sentences:
        spanish = t.gettext(sentence)
        assert spanish != sentence and spanish.endswith("."), sentence
        assert all(len(s) <= 15 for s in words(spanish)), spanish
        for side, stem in SPANISH_SIDE.items():
            assert (side in sentence) == (stem in spanish), (sentence, spanish)
        away = "contrario al tirón" in spanish
        assert ("away from the pull" in sentence) == away, (sentence, spanish)
        toward = "toward the pull" in sentence or "side of the pull" in sentence
        assert toward == ("lado del tirón" in spanish), (sentence, spanish)


def test_the_catalog_page_says_how_an_exercise_relates_to_a_pattern(catalog_app, catalog_db):
    from tests.conftest import login
    from tests.factories import make_clinic, make_user

    make_user(catalog_db, make_clinic(catalog_db, "Catalog Page Clinic"), email="cat@page.org")
    client = catalog_app.test_client()
    login(client, "cat@page.org")
    text = re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get("/exercises/neck-press-forward").get_data(as_text=True))
    )
    assert "Dystonia pattern Moves away from the pull of extension (retrocollis), one way only." in text
    assert "Not for Flexion (anterocollis) : It strengthens the muscles that bend the head forward" in text
    assert "Retraining stage Stage 2: sitting and standing, without the mirror or the trick" in text
    text = re.sub(
        r"\s+",
        " ",
        re.sub(r"<[^>]+>", " ", client.get("/exercises/head-midline-away-from-pull").get_data(as_text=True)),
    )
    assert "Moves away from the pull of rotation (torticollis): the side comes from the patient&#39;s pattern." in text
