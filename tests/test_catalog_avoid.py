"""Every catalog exercise that moves or strengthens toward a pull the pattern can record says so.

A therapist trial found "Shoulder rolls" (shoulders up toward the ears) with no warning for a
shoulder that lifts, while "Tighten and let go: shoulders" had one; and "Cat and camel" (the
head hangs down, then lifts) with none for a head pulled forward or back. The rule here reads
each exercise's English steps, sentence by sentence, for a movement of a recordable part, and
asks that the builder has a way to warn of it: an `avoid` entry, an `also` movement, or the
exercise's own direction (an exercise away from a turning pull is checked against the pull).
Only a symmetric exercise that moves the head or the trunk both ways in turn on purpose may
instead say why it is kept for every pattern (`both_ways`: range both ways, lying, where the
pull is calmest; the trunk turns of the generalized dystonia work).
A sentence that says not to move ("Do not look up.") asks nothing.
"""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, date, datetime

import pytest

from planner.config import ROOT
from planner.dystonia.direction import CONTRAINDICATED, KEPT, TOWARD_PULL, resolve
from planner.dystonia.movement import AREA_AVOIDS, MOVEMENTS, pattern_problems, spec_of
from planner.dystonia.pattern import PatternData, Pull

FOLDER = ROOT / "exercises"
EXERCISES = {p.stem: tomllib.loads(p.read_text(encoding="utf-8")) for p in sorted(FOLDER.glob("*.toml"))}

# What a step says, and the pattern part that movement goes toward (or strengthens). Each is
# read in a sentence of the steps, case aside.
MOVES = [
    (r"\b(lift|raise|shrug)\w* (both |your )?shoulders (up )?toward your ears|\broll your shoulders", "shoulder"),
    # an arm raised to shoulder height or over the head lifts its shoulder blade with it
    (
        r"\bto shoulder height\b|\bover your head\b|\bup the wall\b|\bup past your head\b"
        r"|\bhands on the back of your head\b"
        r"|\b(lift|raise)\w* (your|one|both|the|that|your free) arms? (up|out to the sides?|forward)",
        "shoulder",
    ),
    # a chin tuck slides the head back: toward a backward sagittal shift
    (
        r"\bslide your chin (straight )?back|\bdouble chin\b|\btuck (in )?your chin\b|\btuck your chin"
        r"|\bkeep your head\b[^.]*\b(on|near) the wall",
        "sagittal_shift",
    ),
    # ... and works the deep muscles that bend the head forward, which pull in anterocollis (a
    # trial found the chin nod flagged for it and the chin tucks offered with no word). Held
    # tucked while leaning back, they hold the head up. An exercise that works the back of the
    # neck against that pull (relation away, movement flexion) keeps a small tuck only to keep
    # the neck long: its own direction names flexion, so it passes as warned of.
    (
        r"\bslide your chin (straight )?back|\bdouble chin\b|\btuck (in )?your chin\b|\btuck your chin"
        r"|\bchin (gently )?tucked\b",
        "flexion",
    ),
    (
        r"\blook(ing)? up\b(?! at the ceiling)|\btip (your )?(chin|head) up\b|\blift your head to look ahead",
        "extension",
    ),
    (r"\bhead back\b(?! (up )?to the middle| up\b)|\bhead rest back\b", "extension"),
    (r"\bhead hangs? down|\bchin (drop|down)|\bchin\w* down\b|\b(chin|head)\b[^.]*toward your chest", "flexion"),
    (r"\bturn (your )?(chest and )?head\b|\bhead turn|\blook over (one|the other|that) shoulder", "rotation"),
    (r"\broll your head to one side|\blet your head turn", "rotation"),
    (r"\bear (toward|to) (your|the|that|the other) shoulder|\btip (one|that|the other) ear\b", "tilt"),
    (r"\bslide (one|your) ear\b", "tilt"),
    (r"\bopen your mouth (slowly|as far|wide)|\bslowly open your mouth\b", "jaw_opening"),
    (r"\bclose your teeth|\bclench|\bchew", "jaw_closing"),
    (r"\bslide your (lower )?jaw to one side", "jaw_deviation"),
    (r"\bwrinkle your nose|\bsqueeze your eyes", "eyes_face"),
    (r"\bswallow hard|\bsqueeze your tongue and throat", "voice"),
    (r"\bsqueeze the ball|\bpinch the putty", "hand_arm"),
    (r"\bturn your chest|\blet your chest turn|\blean to one side", "trunk"),
    (r"\brise up onto your toes|\bpoint your toes away|\bwalk\b", "leg"),
]
# "Do not look up." and "If your jaw has moved to one side, slide it back" name no movement to make.
NOT = re.compile(r"\b(not|never|don't)\b|^if\b", re.IGNORECASE)


def movements_named(steps: list[str]) -> dict[str, str]:
    """The pattern parts the steps move toward, each with the sentence that says so."""
    found: dict[str, str] = {}
    for sentence in (s for step in steps for s in re.split(r"(?<=[.!?])\s+", step)):
        if NOT.search(sentence):
            continue
        for said, part in MOVES:
            if re.search(said, sentence, re.IGNORECASE):
                found.setdefault(part, sentence)
    return found


# What `both_ways` may excuse: the head's movements and the trunk's, both ways in turn.
BOTH_WAYS = {"rotation", "tilt", "flexion", "extension", "trunk"}


def warned_of(table: dict) -> set[str]:
    """The pattern parts the builder can warn of for this exercise: `avoid`, `also`, and the
    movement it is about (flexion and extension: either way, as one is away from the other);
    or, marked `both_ways` with its reason, the head's and the trunk's movements."""
    spec = spec_of(table)
    parts = {a.component for a in spec.avoid} | {a.movement for a in spec.also}
    if spec.both_ways:
        parts |= BOTH_WAYS
    if spec.directional:
        parts.add(spec.movement)
        if MOVEMENTS[spec.movement].opposite:
            parts.add(MOVEMENTS[spec.movement].opposite)
    return parts


@pytest.mark.parametrize(
    ("steps", "named"),
    [
        # the trial's two exercises
        (["Lift both shoulders up toward your ears."], {"shoulder"}),
        (["Round your back. Let your head hang down.", "Lift your head to look ahead."], {"flexion", "extension"}),
        (["Slowly turn your head to look to one side."], {"rotation"}),
        (["Slowly tip one ear toward the shoulder on that side."], {"tilt"}),
        (["Bring your chin down toward your chest."], {"flexion"}),
        (["Keep your eyes on the floor. Do not look up."], set()),  # a warning, not a movement
        (["Are your shoulders up near your ears? Let them drop."], set()),
        (["Let your shoulders slide down, away from your ears."], set()),
        (["Look up at the ceiling. Slowly bring your head back up to the middle."], set()),  # lying, neutral
        (["Gently pull the knee up toward your chest."], set()),
        (["If you lean to one side, bring your body back to the middle."], set()),
        (["Rise up onto your toes."], {"leg"}),
        (["Slide your chin straight back. Keep your eyes level."], {"sagittal_shift", "flexion"}),
        (["Gently tuck your chin in, as if to make a double chin."], {"sagittal_shift", "flexion"}),
        (["Keep your chin gently tucked. Lean back a little."], {"flexion"}),
        (["Relax and let your chin come forward a little."], set()),
        (["Keep your head, upper back and bottom on or near the wall."], {"sagittal_shift"}),
        (["Keep your elbow straight. Slowly lift your arm up in front of you."], {"shoulder"}),
        (["Lift your free arm forward to shoulder height."], {"shoulder"}),
        (["Slowly raise your arms up and over your head, as far as is easy."], {"shoulder"}),
        (["Lift your arms straight out in front of you, at chest height."], set()),  # band pull-apart
        (["Lift both arms a little off the bed. Keep looking down at the towel."], set()),  # lying face down
        (["Shake out your hands and roll your shoulders."], {"shoulder"}),
        # both arms up past the head, or both hands behind it (prone Y lift, neck press back)
        (["Reach your arms up past your head, like the letter Y."], {"shoulder"}),
        (["Lace your fingers together and rest your hands on the back of your head."], {"shoulder"}),
        (["Rest the back of your hand on the back of your head."], set()),  # one hand, the trick
        (["Now gently wrinkle your nose and brow."], {"eyes_face"}),
    ],
)
def test_the_steps_reader_finds_the_movement_a_step_names(steps, named):
    assert set(movements_named(steps)) == named


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_an_exercise_that_moves_toward_a_recordable_pull_carries_its_warning(exercise_id):
    exercise = EXERCISES[exercise_id]
    named = movements_named(exercise["steps"])
    missing = {part: sentence for part, sentence in named.items() if part not in warned_of(exercise["pattern"])}
    assert missing == {}, f"{exercise['name']}: give `avoid` (with the reason) for {sorted(missing)}"


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_every_avoid_reason_is_plain(exercise_id):
    """The reason is for the therapist, read at the exercise: short sentences, each ending."""
    table = EXERCISES[exercise_id]["pattern"]
    for reason in [a["reason"] for a in table.get("avoid", [])] + [table.get("both_ways", "")] * ("both_ways" in table):
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", reason.strip()) if s]
        assert sentences and all(s[-1] in ".!?" and len(s.split()) <= 15 for s in sentences), reason


def test_a_both_ways_exercise_goes_both_ways_and_excuses_only_the_head_or_trunk():
    """`both_ways` is for range to each side in turn: its steps name a movement of the head or
    trunk and the other side (or the other way); it excuses nothing else (the legs, a hand, the jaw)."""
    marked = {i: e for i, e in EXERCISES.items() if "both_ways" in e["pattern"]}
    assert marked  # the lying range work of the cervical template
    for exercise_id, exercise in marked.items():
        steps = " ".join(exercise["steps"]).lower()
        avoided = {a.component for a in spec_of(exercise["pattern"]).avoid}  # warned of on their own
        assert set(movements_named(exercise["steps"])) - avoided <= BOTH_WAYS, exercise_id
        assert movements_named(exercise["steps"]) and ("other side" in steps or " up " in steps), exercise_id


@pytest.mark.parametrize(
    ("table", "field"),
    [
        ({"relation": "symmetric", "both_ways": "Lying, the range is kept both ways."}, None),
        ({"relation": "symmetric", "both_ways": " "}, "pattern.both_ways"),
        ({"relation": "symmetric", "both_ways": "x" * 201}, "pattern.both_ways"),
        ({"relation": "away", "movement": "flexion", "both_ways": "It goes both ways."}, "pattern.both_ways"),
    ],
)
def test_catalog_check_wants_a_reason_for_both_ways_and_only_on_a_symmetric_exercise(table, field):
    assert [f for f, _ in pattern_problems(table)] == ([field] if field else [])


# ---- the other focal areas: eyes and face, jaw and mouth, voice, hand, trunk, leg -------------

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
AREAS = [
    # avoid entry, recorded areas, warned
    ("eyes_face", ("eyes_face",), True),
    ("eyes_face", ("voice",), False),
    ("jaw_mouth", ("jaw_mouth",), True),
    ("voice", ("voice",), True),
    ("hand_arm", ("hand_arm_left",), True),
    ("hand_arm", ("hand_arm_right",), True),
    ("hand_arm", ("leg_left",), False),
    ("trunk", ("trunk",), True),
    ("leg", ("leg_left",), True),  # one foot: calf work is not for it, whichever foot
    ("leg", ("leg_right",), True),
    ("leg", ("legs",), True),
    ("leg", (), False),
]


@pytest.mark.parametrize(("area", "recorded", "warned"), AREAS)
def test_an_exercise_may_rule_itself_out_for_each_focal_area_the_pattern_records(area, recorded, warned):
    table = {"relation": "symmetric", "avoid": [{"with": area, "reason": "It works the muscles that pull."}]}
    assert pattern_problems(table) == []
    direction = resolve(spec_of(table), "", PatternData(areas=recorded))
    said = [w.message for w in direction.warnings if w.kind == CONTRAINDICATED]
    label = AREA_AVOIDS[area][0].lower()
    assert said == ([f"Not for {label}: It works the muscles that pull."] if warned else [])


def test_catalog_check_names_the_focal_areas_it_accepts():
    problems = pattern_problems({"relation": "symmetric", "avoid": [{"with": "foot", "reason": "It pulls."}]})
    assert [field for field, _ in problems] == ["pattern.avoid[1].with"]
    assert all(area in problems[0][1] for area in AREA_AVOIDS)


# The trial's patients: each exercise warns for the part it moves or works, as the neck's do.
TRIAL = [
    (PatternData(pulls=(Pull("shoulder", "right", 2),)), "shoulder-rolls", "shoulder elevation"),
    (PatternData(pulls=(Pull("extension", "", 2),)), "cat-camel", "extension (retrocollis)"),
    (PatternData(pulls=(Pull("flexion", "", 2),)), "cat-camel", "flexion (anterocollis)"),
    (PatternData(areas=("leg_left",)), "heel-raise", "leg and foot (lower limb dystonia)"),
    (PatternData(areas=("leg_left",)), "walking-tall", "leg and foot (lower limb dystonia)"),
    (PatternData(areas=("leg_left",)), "heel-toe-walk-counter", "leg and foot (lower limb dystonia)"),
    (PatternData(areas=("eyes_face",)), "face-jaw-tense-and-release", "eyes and face (blepharospasm)"),
]


@pytest.mark.parametrize(("pattern", "exercise_id", "said"), TRIAL)
def test_the_trial_patients_exercises_warn_for_their_pull(pattern, exercise_id, said):
    spec = spec_of(EXERCISES[exercise_id]["pattern"])
    warnings = resolve(spec, "", pattern).warnings
    assert [w.kind for w in warnings] == [CONTRAINDICATED]
    assert warnings[0].message.startswith(f"Not for {said}: ")


def test_the_print_check_holds_an_area_warning_as_it_holds_a_neck_one(catalog_db):
    """Hugo's left foot: a program with Heel raise is flagged before print, email or share."""
    from planner.dystonia.pattern import PatternEntry
    from planner.services import patterns, program_items, programs, recorded_patterns
    from planner.services.catalog import get_exercise
    from tests.factories import make_clinic, make_patient

    clinic = make_clinic(catalog_db, "Foot Clinic")
    patient = make_patient(catalog_db, clinic, "Hugo Pie")
    recorded_patterns.record_pattern(
        catalog_db, patient, PatternEntry(areas=["leg_left"]), date(2026, 11, 1), None, NOW
    )
    program = programs.create_program(
        catalog_db, patient, programs.ProgramDetails("Feet", date(2026, 11, 1)), None, NOW
    )
    heel = program_items.add_item(catalog_db, program, get_exercise(catalog_db, clinic.id, "heel-raise"), None, NOW)
    program_items.add_item(catalog_db, program, get_exercise(catalog_db, clinic.id, "calf-stretch-wall"), None, NOW)
    catalog_db.commit()
    assert [f.item.id for f in patterns.flagged_items(program)] == [heel.id]
    # and a neck pull alone does not flag it
    neck = PatternData(pulls=(Pull("rotation", "left", 2),))
    assert resolve(spec_of(EXERCISES["heel-raise"]["pattern"]), "", neck).warnings == ()


def test_the_builder_shows_an_area_warning_at_the_exercise(catalog_app, catalog_db):
    """Eva's blepharospasm: the face and jaw tighten-and-let-go is flagged where the therapist looks."""
    from planner.dystonia.pattern import PatternEntry
    from planner.services import program_items, programs, recorded_patterns
    from planner.services.catalog import get_exercise
    from tests.conftest import login
    from tests.factories import make_clinic, make_patient, make_user

    clinic = make_clinic(catalog_db, "Eye Clinic")
    make_user(catalog_db, clinic, email="t@eyes.org")
    patient = make_patient(catalog_db, clinic, "Eva Ojos")
    recorded_patterns.record_pattern(
        catalog_db, patient, PatternEntry(areas=["eyes_face"]), date(2026, 11, 1), None, NOW
    )
    program = programs.create_program(
        catalog_db, patient, programs.ProgramDetails("Eyes", date(2026, 11, 1)), None, NOW
    )
    item = program_items.add_item(
        catalog_db, program, get_exercise(catalog_db, clinic.id, "face-jaw-tense-and-release"), None, NOW
    )
    catalog_db.commit()
    client = catalog_app.test_client()
    login(client, "t@eyes.org")
    html = client.get(f"/programs/{program.id}").get_data(as_text=True)
    at_item = html.split(f'id="item-{item.id}"', 1)[1].split('<li id="item-')[0]
    assert (
        "Not for eyes and face (blepharospasm): Wrinkling the nose and brow tightens the muscles "
        "that squeeze the eyes shut." in at_item
    )


# ---- one side of a pull: a head shifted back, a shoulder pulled up on the side worked ----------

SHIFT_BACK = PatternData(pulls=(Pull("sagittal_shift", "back", 2),))
SHIFT_FORWARD = PatternData(pulls=(Pull("sagittal_shift", "forward", 2),))
TUCK = "Not for sagittal shift back: Sliding the chin back moves the head backward, the way a backward shift pulls."
ARM = "Lifting the arm up high lifts its shoulder toward the ear."


def shoulder(side: str) -> PatternData:
    return PatternData(pulls=(Pull("shoulder", side, 2),))


def latero_right_with_shoulder(side: str) -> PatternData:
    """Right laterocollis, with a shoulder pulled up on `side`."""
    return PatternData(pulls=(Pull("tilt", "right", 2), Pull("shoulder", side, 2)))


# Why a tilt worked against the hand is not for a shoulder pulled up on that side (the hand is
# raised beside the head on that side). The lying hold, arms resting and light, stays.
TILT_WORK = {
    "neck-tilt-against-hand": "The hand rests above that ear. Tipping against it works the muscles that lift that shoulder.",
    "neck-press-side": "The hand rests above that ear. Pressing into it works the muscles that lift that shoulder.",
}


@pytest.mark.parametrize(
    ("exercise_id", "side", "pattern", "said"),
    [
        # A chin tuck trains toward a head shifted back, and is the work for one shifted forward.
        ("chin-tuck-sitting", "", SHIFT_BACK, [TUCK]),
        ("chin-tuck-sitting", "", SHIFT_FORWARD, []),
        ("standing-tall-wall", "", SHIFT_BACK, [TUCK]),
        ("chin-tuck-lying", "", SHIFT_FORWARD, []),
        (
            "head-curl-lying",
            "",
            SHIFT_BACK,
            [f"Not for sagittal shift back: {EXERCISES['head-curl-lying']['pattern']['avoid'][1]['reason']}"],
        ),
        # An arm raise lifts the shoulder of the arm it is set for: only that side's pull counts.
        (
            "arm-lift-side-sitting",
            "right",
            shoulder("right"),
            [f"Not for shoulder elevation on the right, where it works: {ARM}"],
        ),
        ("arm-lift-side-sitting", "left", shoulder("right"), []),
        (
            "arm-lift-forward-sitting",
            "both",
            shoulder("right"),
            [f"Not for shoulder elevation on the right, where it works: {ARM}"],
        ),
        (
            "arm-lift-forward-sitting",
            "left",
            shoulder("both"),
            [f"Not for shoulder elevation on the left, where it works: {ARM}"],
        ),
        (
            "arm-lift-forward-sitting",
            "both",
            shoulder("both"),
            [f"Not for shoulder elevation on both sides, where it works: {ARM}"],
        ),
        ("arm-raise-weight", "", shoulder("left"), []),  # no arm set: it waits for its side first
        # A head tipped to one side against the hand works the muscles that lift that side's
        # shoulder: the side the head tips to, from the pattern or set by hand.
        *(
            (slug, "", latero_right_with_shoulder(lifted), said)
            for slug in TILT_WORK
            for lifted, said in (
                ("left", [f"Not for shoulder elevation on the left, the side it tips the head to: {TILT_WORK[slug]}"]),
                ("right", []),  # it tips to the left, away from the right laterocollis
            )
        ),
        (
            "neck-press-side",
            "right",
            shoulder("right"),
            [f"Not for shoulder elevation on the right, the side it tips the head to: {TILT_WORK['neck-press-side']}"],
        ),
        ("neck-press-side", "", shoulder("left"), []),  # no tilt recorded: no side, it waits
        ("neck-tilt-lying-hold", "", latero_right_with_shoulder("left"), []),  # lying, arms resting: light
        (
            "prone-y-lift",
            "",
            shoulder("right"),
            ["Not for shoulder elevation: Both arms reach up past the head. Both shoulders rise toward the ears."],
        ),
        (
            "neck-press-back",
            "",
            shoulder("left"),
            [
                "Not for shoulder elevation: Both hands rest behind the head. Raising the arms there lifts both shoulders."
            ],
        ),
        # Both arms up at once: either shoulder.
        (
            "wall-angels",
            "",
            shoulder("left"),
            ["Not for shoulder elevation: Sliding the arms up the wall lifts both shoulders toward the ears."],
        ),
        (
            "towel-arm-lift-lying",
            "left",
            shoulder("right"),
            [
                "Not for shoulder elevation: Both arms go back over the head together. Both shoulders rise toward the ears."
            ],
        ),
    ],
)
def test_an_avoid_entry_for_one_side_warns_for_that_side_only(exercise_id, side, pattern, said):
    direction = resolve(spec_of(EXERCISES[exercise_id]["pattern"]), side, pattern)
    assert [w.message for w in direction.warnings if w.kind == CONTRAINDICATED] == said


@pytest.mark.parametrize(
    ("relation", "entry", "problem"),
    [
        ("symmetric", {"with": "sagittal_shift", "side": "back"}, None),
        ("limb", {"with": "shoulder", "side": "same"}, None),
        ("symmetric", {"with": "shoulder", "side": "left"}, None),
        ("symmetric", {"with": "flexion", "side": "back"}, "“flexion” has no side: leave out `side`"),
        (
            "symmetric",
            {"with": "sagittal_shift", "side": "left"},
            "use one of forward, back, or “same” on a limb exercise or a turn, tilt or shoulder exercise",
        ),
        (
            "symmetric",
            {"with": "shoulder", "side": "same"},
            "“same” is for a limb exercise or a turn, tilt or shoulder exercise and a pull to the left or right",
        ),
        (
            "limb",
            {"with": "sagittal_shift", "side": "same"},
            "“same” is for a limb exercise or a turn, tilt or shoulder exercise and a pull to the left or right",
        ),
        ("symmetric", {"with": "voice", "side": "left"}, "“voice” has no side: leave out `side`"),
        # a direction-specific exercise with a side of its own: the side the head tips or turns to
        ("away tilt", {"with": "shoulder", "side": "same"}, None),
        ("away rotation", {"with": "shoulder", "side": "same"}, None),
        (
            "away flexion",
            {"with": "shoulder", "side": "same"},
            "“same” is for a limb exercise or a turn, tilt or shoulder exercise and a pull to the left or right",
        ),
    ],
)
def test_catalog_check_reads_the_side_of_an_avoid_entry(relation, entry, problem):
    relation, _, movement = relation.partition(" ")
    table = {"relation": relation, "avoid": [{**entry, "reason": "It goes the way the pull goes."}]}
    if relation == "limb":
        table["part"] = "arm"
    if movement:
        table["movement"] = movement
        if MOVEMENTS[movement].sided:
            table["drawn"] = "right"
    assert pattern_problems(table) == ([("pattern.avoid[1].side", problem)] if problem else [])


def test_the_catalog_page_names_the_side_an_exercise_is_not_for(catalog_app, catalog_db):
    from tests.conftest import login
    from tests.factories import make_clinic, make_user

    make_user(catalog_db, make_clinic(catalog_db, "Side Page Clinic"), email="side@page.org")
    client = catalog_app.test_client()
    login(client, "side@page.org")
    for slug, said in [
        ("chin-tuck-sitting", "Not for Flexion (anterocollis) : Its chin tuck strengthens"),
        ("chin-tuck-sitting", "Sagittal shift back : Sliding the chin back"),
        ("arm-lift-side-sitting", "Not for Shoulder elevation on the side it works : Lifting the arm up high"),
    ]:
        html = client.get(f"/exercises/{slug}").get_data(as_text=True)
        assert said in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)), slug


# A fist closed on the hand a patient may cramp: a squeeze (held, or on a ball) works the muscles
# that cramp in writer's cramp; a fist only passed through, loose, does not (trial 9: the tendon
# glides said "make a soft, full fist" while "Tighten and let go: hands" was left out because
# "Making a fist works the muscles that cramp").
FIST = re.compile(r"\bfist\b|\bsqueeze\b", re.IGNORECASE)
NO_SQUEEZE = re.compile(r"\bdo not squeeze\b|\bdon't squeeze\b", re.IGNORECASE)


@pytest.mark.parametrize(
    "exercise_id",
    sorted(i for i, e in EXERCISES.items() if e["pattern"].get("part") == "hand" and FIST.search(" ".join(e["steps"]))),
)
def test_a_fist_on_the_hand_is_flagged_for_writers_cramp_or_says_not_to_squeeze(exercise_id):
    exercise = EXERCISES[exercise_id]
    flagged = [a["reason"] for a in exercise["pattern"].get("avoid", []) if a["with"] == "hand_arm"]
    if flagged:
        return
    for step in exercise["steps"]:
        if FIST.search(step):
            assert NO_SQUEEZE.search(step), f"{exercise['name']}: {step}"


def test_the_tendon_glides_fist_and_the_hand_squeeze_read_as_one_reason_for_writers_cramp():
    pattern = PatternData(areas=("hand_arm_left",))
    glides = resolve(spec_of(EXERCISES["tendon-glides"]["pattern"]), "", pattern)
    squeeze = resolve(spec_of(EXERCISES["hand-tense-and-release"]["pattern"]), "", pattern)
    assert [w.kind for w in glides.warnings] == []
    assert "Do not squeeze." in " ".join(EXERCISES["tendon-glides"]["steps"])
    assert [w.message for w in squeeze.warnings if w.kind == CONTRAINDICATED] == [
        "Not for hand and arm (writer's cramp, focal hand dystonia): Squeezing a fist and holding it works the "
        "muscles that cramp in writer's cramp. Shaking out the hands lets go without it."
    ]


@pytest.mark.parametrize(
    ("exercise_id", "pattern", "noted"),
    [
        ("neck-turn-lying", PatternData(pulls=(Pull("rotation", "left", 2),)), True),
        ("head-nod-lying", PatternData(pulls=(Pull("flexion", "", 2),)), True),
        ("neck-side-tilt-lying", PatternData(pulls=(Pull("tilt", "right", 1),)), True),
        ("trunk-turn-sitting", PatternData(areas=("trunk",)), True),
        ("neck-turn-lying", PatternData(areas=("hand_arm_left",)), False),  # no pull it could go with
        ("neck-turn-lying", None, False),
        ("chin-tuck-lying", PatternData(pulls=(Pull("rotation", "left", 2),)), False),  # one way, not both
        # ruled out for the pattern (the head turns with the chest): said so, and not "kept" as well
        ("trunk-turn-sitting", PatternData(pulls=(Pull("rotation", "left", 2),)), False),
    ],
)
def test_an_exercise_kept_both_ways_says_why_at_the_exercise(exercise_id, pattern, noted):
    """Trial 9: the therapist should see why an exercise that goes with the pull is kept, as one
    left out says why. The lying range work goes both ways in turn: the builder notes its reason,
    a note that holds nothing back."""
    table = EXERCISES[exercise_id]["pattern"]
    direction = resolve(spec_of(table), "", pattern)
    kept = [w.message for w in direction.warnings if w.kind == KEPT]
    assert kept == ([f"Moves both ways in turn; kept for every pattern: {table['both_ways']}"] if noted else [])
    assert not [w for w in direction.warnings if w.kind in (CONTRAINDICATED, TOWARD_PULL)] or not noted
    if exercise_id == "trunk-turn-sitting" and pattern is not None and pattern.pulls:
        assert [w.kind for w in direction.warnings] == [CONTRAINDICATED]
