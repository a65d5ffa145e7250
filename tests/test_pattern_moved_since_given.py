"""A re-evaluation that moves the pull: what the patient's phone page shows of the paper they hold.

The phone page shows the version given (services/given.py), so it never names a side the paper
does not. Once the pattern recorded since would set a given exercise otherwise (another side of a
turn, a tilt, a shoulder, a hand, arm or leg, the trick's cheek; a picture that starts off to the
old pull) or flags it (now toward the pull), the phone says to wait for the therapist
(patterns.CHECK_FIRST) until a new version is given; an exercise the pull no longer gives a side
waits because its side is not set. A re-evaluation that moves nothing (a grade, a note) holds
nothing back. Told as a table: pattern before × pattern after × exercise kind, in English and
Spanish (trial 11, fault 1: "Work on your right shoulder" stayed after the shoulder moved left).
"""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime, timedelta
from html import unescape
from itertools import count
from types import SimpleNamespace

import pytest

from planner.bidi import isolate
from planner.dystonia.pattern import PatternEntry
from planner.services import (
    given,
    issuing,
    paper_differs,
    paper_state,
    patient_links,
    pattern_recording,
    patterns,
    program_items,
    programs,
    recorded_patterns,
    reevaluation,
    versions,
)
from planner.services.catalog import get_exercise
from tests.conftest import build_app, login
from tests.factories import give, make_clinic, make_patient, make_user

SHOWN, WAITS, UNSET = "shown", "waits", "unset"
# She has been doing it: she is told to stop until the new sheet (trial 13: "wait before you
# start" read as if she never had), whatever moved it, a side no longer given too.
WAIT = {
    "en": "Stop doing this exercise for now. Your therapist will give you a new sheet for it.",
    "es": "Deje de hacer este ejercicio por ahora. Su terapeuta le dará una hoja nueva.",
}
# A page says the new sheet once, where it is read first; every other moved card only says to stop.
STOP_NOW = {"en": "Stop doing this exercise for now.", "es": "Deje de hacer este ejercicio por ahora."}
NEW_SHEET = {"en": "Your therapist will give you a new sheet", "es": "Su terapeuta le dará una hoja nueva"}


def neck(**sides: str) -> PatternEntry:
    """A neck pattern: each component's side (flexion and extension: "" ), all graded moderate."""
    return PatternEntry(dict(sides), {c: 2 for c in sides})


# What the trial's patient had, and what the re-evaluation found (the pull to the other side).
TILT_L_SHOULDER_R = neck(rotation="left", tilt="left", shoulder="right")
TILT_R_SHOULDER_L = neck(rotation="right", tilt="right", shoulder="left")

# (pattern before, pattern after, {exercise slug: (side the therapist set, "" for the pattern's; shown or waits)})
CASES = {
    "every pull to the other side": (
        TILT_L_SHOULDER_R,
        TILT_R_SHOULDER_L,
        {
            "neck-turn-lying-hold": ("", WAITS),  # rotation: "turn right" is now toward the pull
            "neck-tilt-lying-hold": ("", WAITS),  # tilt
            "shoulders-level-mirror": ("", WAITS),  # the shoulder to keep down is now the left one
            "head-midline-mirror": ("", WAITS),  # its picture starts off to the old pull
            "cup-grip-and-release": ("right", SHOWN),  # a hand exercise the pattern does not set
            "arm-swing-sitting": ("", SHOWN),  # symmetric, no picture off the middle
        },
    ),
    "only the grades change": (
        TILT_L_SHOULDER_R,
        PatternEntry(
            {"rotation": "left", "tilt": "left", "shoulder": "right"}, {"rotation": 3, "tilt": 1, "shoulder": 3}
        ),
        {
            "neck-turn-lying-hold": ("", SHOWN),
            "neck-tilt-lying-hold": ("", SHOWN),
            "shoulders-level-mirror": ("", SHOWN),
            "head-midline-mirror": ("", SHOWN),
        },
    ),
    "shoulder to both sides": (
        neck(shoulder="right"),
        neck(shoulder="both"),
        {"shoulders-level-mirror": ("", WAITS), "shoulder-push-down-one-side": ("", WAITS)},
    ),
    "turn no longer recorded": (
        neck(rotation="right"),
        neck(tilt="left"),
        {"neck-turn-lying-hold": ("", UNSET), "head-midline-mirror": ("", WAITS)},
    ),
    "the therapist's side, away from the new pull": (
        neck(rotation="right"),
        neck(rotation="left"),
        # set "right" against the pattern's "left" (toward the old pull, checked): away from the new
        # one, yet the paper's words "to the right, toward the pull" are no longer true: it waits
        {"neck-turn-lying-hold": ("right", WAITS), "neck-turn-stretch-hold": ("", WAITS)},
    ),
    "the therapist's side, toward the new pull": (
        neck(rotation="right"),
        neck(rotation="left"),
        {"neck-turn-against-hand": ("left", WAITS)},  # set as the pattern gave it, now toward the pull
    ),
    "forward to back": (
        neck(flexion=""),
        neck(extension=""),
        # works the neck's back muscles: now the way the head is pulled; the picture starts chin down
        {"head-lift-face-down": ("", WAITS), "head-midline-mirror": ("", WAITS), "arm-swing-sitting": ("", SHOWN)},
    ),
    "writer's cramp to the other hand": (
        PatternEntry(areas=["hand_arm_right"]),
        PatternEntry(areas=["hand_arm_left"]),
        {"cup-grip-and-release": ("", WAITS), "mirror-hand-open-close": ("", WAITS), "ankle-pumps": ("", SHOWN)},
    ),
    "writer's cramp in both hands": (
        PatternEntry(areas=["hand_arm_right"]),
        PatternEntry(areas=["hand_arm_left", "hand_arm_right"]),
        {"cup-grip-and-release": ("", WAITS), "mirror-hand-open-close": ("", UNSET)},
    ),
    "a leg to the other side": (
        PatternEntry(areas=["leg_left"]),
        PatternEntry(areas=["leg_right"]),
        {"single-leg-stand-chair": ("", WAITS), "step-up": ("left", SHOWN)},
    ),
    "the trick to the other cheek": (
        PatternEntry({"rotation": "left"}, {"rotation": 2}, trick="cheek", trick_side="left"),
        PatternEntry({"rotation": "left"}, {"rotation": 2}, trick="cheek", trick_side="right"),
        {"sensory-trick-cheek-touch": ("", WAITS), "neck-turn-lying-hold": ("", SHOWN)},
    ),
    "the trick now on the chin": (
        PatternEntry({"rotation": "left"}, {"rotation": 2}, trick="cheek", trick_side="left"),
        PatternEntry({"rotation": "left"}, {"rotation": 2}, trick="chin"),
        {"sensory-trick-cheek-touch": ("", UNSET), "head-midline-mirror": ("", SHOWN)},
    ),
    "the chin trick to the other side": (  # its side is only in the words: "Touch your chin on the left side"
        PatternEntry({"rotation": "left"}, {"rotation": 2}, trick="chin", trick_side="left"),
        PatternEntry({"rotation": "left"}, {"rotation": 2}, trick="chin", trick_side="right"),
        {"sensory-trick-chin-touch": ("", WAITS), "neck-turn-lying-hold": ("", SHOWN)},
    ),
}

# Why the builder's "paper differs" box says each held-back exercise differs (the start of its line):
# what the paper shows against what the pattern now gives, in plain words for the therapist.
WHY = {
    "every pull to the other side": {
        "neck-turn-lying-hold": "the paper says right; the pattern now gives left",
        "neck-tilt-lying-hold": "the paper says right; the pattern now gives left",
        "shoulders-level-mirror": "the paper says right; the pattern now gives left",
        "head-midline-mirror": "its picture is drawn the other way round from the way the pattern now draws it",
    },
    "only the grades change": {},
    "shoulder to both sides": {
        "shoulders-level-mirror": "the paper says right; the pattern now gives both",
        "shoulder-push-down-one-side": "the paper says right; the pattern now gives both",
    },
    "turn no longer recorded": {
        "neck-turn-lying-hold": "the paper says left; the pattern now gives no side",
        "head-midline-mirror": "its picture is drawn the other way round from the way the pattern now draws it",
    },
    "the therapist's side, away from the new pull": {
        "neck-turn-lying-hold": "the paper says “Turn your head to the right, toward the pull.”; "
        "the pattern now gives “Turn your head to the right, away from the pull.”",
        "neck-turn-stretch-hold": "the paper says left; the pattern now gives right",
    },
    "the therapist's side, toward the new pull": {
        "neck-turn-against-hand": "the paper says “Put your left hand on your left cheek. Press to turn left, away "
        "from the pull.”; the pattern now gives “Put your left hand on your left cheek. Press to turn left, toward "
        "the pull.”",
    },
    "forward to back": {
        "head-lift-face-down": "the pattern now flags it: Not for extension (retrocollis):",
        "head-midline-mirror": "its picture starts with the chin down; the pattern now starts it with the head tipped back",
    },
    "writer's cramp to the other hand": {
        "cup-grip-and-release": "the paper says right; the pattern now gives left",
        "mirror-hand-open-close": "the paper says left; the pattern now gives right",
    },
    "writer's cramp in both hands": {
        "cup-grip-and-release": "the paper says right; the pattern now gives both",
        "mirror-hand-open-close": "the paper says left; the pattern now gives no side",
    },
    "a leg to the other side": {"single-leg-stand-chair": "the paper says left; the pattern now gives right"},
    "the trick to the other cheek": {"sensory-trick-cheek-touch": "the paper says left; the pattern now gives right"},
    "the trick now on the chin": {"sensory-trick-cheek-touch": "the paper says left; the pattern now gives no side"},
    "the chin trick to the other side": {
        "sensory-trick-chin-touch": "the paper says “Touch your chin on the left side, where your touch helps.”; "
        "the pattern now gives “Touch your chin on the right side, where your touch helps.”"
    },
}

UNSET_WORDS = {language: (words,) for language, words in WAIT.items()}


@pytest.fixture(scope="module")
def clinic(tmp_path_factory, catalog_file):  # noqa: ANN001, ANN201
    """One app for the module, with the catalog; a clinic and its therapist."""
    folder = tmp_path_factory.mktemp("moved")
    shutil.copyfile(catalog_file, folder / "planner.sqlite3")
    app = build_app(folder, url=f"sqlite:///{folder / 'planner.sqlite3'}")
    db = app.extensions["db_sessionmaker"]()
    place = make_clinic(db, "Moved Clinic", timezone="UTC")
    therapist = make_user(db, place, email="t@moved.org")
    yield SimpleNamespace(app=app, db=db, clinic=place, therapist=therapist, seq=count(1))
    db.close()
    app.extensions["db_engine"].dispose()


def given_then_moved(clinic, before: PatternEntry, after: PatternEntry, items: dict, language: str):  # noqa: ANN001, ANN201
    """A patient with the pattern `before`, given a program of `items` (checked where the pattern
    flags one), then re-evaluated with the pattern `after`: (program, the phone page's address)."""
    db, start = clinic.db, datetime(2026, 11, 2, 9, tzinfo=UTC)
    patient = make_patient(
        db, clinic.clinic, f"Patient {next(clinic.seq)}", language=language, primary_therapist_id=clinic.therapist.id
    )
    recorded_patterns.record_pattern(db, patient, before, start.date(), clinic.therapist.id, start)
    program = programs.create_program(
        db, patient, programs.ProgramDetails("Neck", start.date()), clinic.therapist.id, start
    )
    for slug, (side, _) in items.items():
        program_items.add_item(db, program, get_exercise(db, clinic.clinic.id, slug), None, start, side=side)
    patterns.confirm_checked(program, patterns.flagged_items(program))  # the therapist's check of what is flagged
    give(db, program, start + timedelta(minutes=5))
    later = start + timedelta(days=21)
    recorded_patterns.record_pattern(db, patient, after, later.date(), clinic.therapist.id, later)
    _, token = patient_links.create_link(db, patient, clinic.app.secret_key, later)
    db.commit()
    return program, f"/p/{token}"


def card(page: str, exercise_id: int) -> str:
    return page.split(f'<li id="exercise-{exercise_id}"')[1].split("</li>")[0]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("case", CASES)
def test_an_exercise_the_new_pattern_sets_otherwise_waits_on_the_phone(clinic, case, language):
    """Each exercise of the given paper is shown as the paper says it, or waits for the therapist."""
    before, after, items = CASES[case]
    program, page_url = given_then_moved(clinic, before, after, items, language)
    handed = given.given_version(clinic.db, program)
    page = clinic.app.test_client().get(page_url).get_data(as_text=True)
    for item in handed.items:
        expected = items[item.exercise.slug][1]
        shown = card(page, item.exercise_id)
        paper = item.prescribed(language) if not item.wait else None
        if expected == SHOWN:
            assert not item.wait and "<svg" in shown and WAIT[language] not in shown, item.exercise.slug
            assert paper is not None and paper.words in " ".join(shown.split()), item.exercise.slug
        else:
            waits = WAIT[language] if expected == WAITS else UNSET_WORDS[language]
            assert item.wait and "<svg" not in shown, item.exercise.slug
            said = [waits, STOP_NOW[language]] if expected == WAITS else [*waits, STOP_NOW[language]]
            assert any(words in shown for words in said), item.exercise.slug
        assert item.moved == (expected != SHOWN)
    if any(expected != SHOWN for _, expected in items.values()):
        assert page.count(NEW_SHEET[language]) == 1


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_trial_s_shoulder_names_no_side_once_the_shoulder_moved(clinic, language):
    """Trial 11: the shoulder to keep down moved from the right to the left. The phone no longer
    says the right shoulder (nor the left: the paper never said it) and its PDF waits too."""
    items = {"shoulders-level-mirror": ("", WAITS)}
    program, page_url = given_then_moved(clinic, TILT_L_SHOULDER_R, TILT_R_SHOULDER_L, items, language)
    client = clinic.app.test_client()
    page = " ".join(client.get(page_url).get_data(as_text=True).split())
    right, left = {"en": ("right shoulder", "left shoulder"), "es": ("hombro derecho", "hombro izquierdo")}[language]
    assert right not in page and left not in page and STOP_NOW[language] in page and NEW_SHEET[language] in page
    assert client.get(f"{page_url}/handout.pdf").status_code == 409


def test_an_exercise_newly_flagged_shows_again_once_checked_and_given(clinic):
    """A pull forward recorded since makes the chin nod on the paper train toward it (its side and
    picture unchanged): it waits. Once the therapist checks it and gives the program, a new version
    is frozen with that check, and the phone shows it again (it never kept waiting on the old one)."""
    items = {"chin-nod-head-lift": ("", WAITS), "neck-turn-lying-hold": ("", SHOWN)}
    program, page_url = given_then_moved(clinic, neck(rotation="left"), neck(rotation="left", flexion=""), items, "en")
    nod = next(i for i in program.items if i.exercise.slug == "chin-nod-head-lift")
    assert WAIT["en"] in card(clinic.app.test_client().get(page_url).get_data(as_text=True), nod.exercise_id)
    printed_at = datetime(2026, 11, 24, 9, tzinfo=UTC)
    issuing.renew_if_paper_changed(clinic.db, program, printed_at)  # as printing does, before the check page
    patterns.confirm_checked(program, patterns.flagged_items(program))
    give(clinic.db, program, printed_at)
    assert given.given_version(clinic.db, program).version == 2
    shown = card(clinic.app.test_client().get(page_url).get_data(as_text=True), nod.exercise_id)
    assert WAIT["en"] not in shown and "<svg" in shown


@pytest.mark.parametrize("case", CASES)
def test_the_builder_the_phone_and_the_mark_agree_on_a_moved_paper(clinic, case):
    """One answer to "does the paper given differ from what the pattern gives now": the builder
    says the paper differs (and the next handout is a new version) exactly when the phone holds an
    exercise back, and marking the moved papers after recording the pattern (as the pattern and
    re-evaluation pages do) marks the program for printing again (the dashboard, the patient's
    page) exactly then too."""
    before, after, items = CASES[case]
    program, page_url = given_then_moved(clinic, before, after, items, "en")
    phone_waits = any(item.moved for item in given.given_version(clinic.db, program).items)
    assert phone_waits == any(expected != SHOWN for _, expected in items.values())
    assert issuing.paper_changed(clinic.db, program) == phone_waits
    assert (paper_state.phone_version(clinic.db, program) is not None) == phone_waits
    assert (program in pattern_recording.note_moved_papers(clinic.db, program.patient)) == phone_waits
    assert (program.paper_moved_on is not None) == phone_waits
    assert pattern_recording.moved_papers(clinic.db, program.patient) == ([program] if phone_waits else [])
    # The builder's box: shown exactly then, naming exactly the exercises the phone page holds back.
    clinic.db.commit()
    client = clinic.app.test_client()
    login(client, "t@moved.org")
    phone = client.get(page_url).get_data(as_text=True)
    waiting = [
        i.exercise.name
        for i in program.items
        if "<svg" not in card(phone, i.exercise_id)  # a card held back shows words, no picture
    ]
    builder = unescape(client.get(f"/programs/{program.id}").get_data(as_text=True))
    assert ('id="paper-differs"' in builder) == phone_waits == bool(waiting)
    box = builder.split('id="paper-differs"')[1].split("</div>")[0] if phone_waits else ""
    assert re.findall(r"<li>“([^”]+)”: ", box) == waiting
    if waiting:  # its heading reads on into what it lists: never alone on its line, nothing after the colon
        one = "this exercise" if len(waiting) == 1 else "these exercises"
        assert first_paragraph(box) == (
            "The patient's paper handout now differs from the recorded pattern: "
            f"The phone page holds {one} back until you give a new version:"
        )


def first_paragraph(box: str) -> str:
    """The words of the first paragraph of the builder's "paper differs" box (its HTML from the
    box's id on), as a person reads them."""
    paragraph = box.split("<p>", 1)[1].split("</p>", 1)[0]
    return " ".join(unescape(re.sub(r"<[^>]+>", "", paragraph)).split())


@pytest.mark.parametrize("case", CASES)
def test_the_builder_s_box_says_why_the_phone_holds_each_exercise_back(clinic, case):
    """Trial 12 F5: the box named only the side changes, while the phone also held back an
    exercise whose picture is mirrored, whose start posture moved or which is newly flagged. Each
    exercise held back has its line, saying what the paper shows and what the pattern now gives."""
    before, after, items = CASES[case]
    program, _ = given_then_moved(clinic, before, after, items, "en")
    clinic.db.commit()
    client = clinic.app.test_client()
    login(client, "t@moved.org")
    builder = " ".join(unescape(client.get(f"/programs/{program.id}").get_data(as_text=True)).split())
    box = builder.split('id="paper-differs"')[1].split("</div>")[0] if WHY[case] else ""
    lines = dict(re.findall(r"<li>“([^”]+)”: (.*?)</li>", box))
    names = {i.exercise.slug: i.exercise.name for i in program.items}
    assert set(lines) == {names[slug] for slug in WHY[case]}
    for slug, why in WHY[case].items():
        assert lines[names[slug]].startswith(why), slug
        assert lines[names[slug]].endswith(".") and not lines[names[slug]].endswith(".."), slug  # one full stop
    if WHY[case]:
        held = "this exercise" if len(WHY[case]) == 1 else "these exercises"
        assert f"The phone page holds {held} back until you give a new version:" in box


def test_the_versions_page_says_the_chin_trick_s_new_words(clinic):
    """The chin trick moved to the right side changes only its words: the Versions page says them
    (never "side changed from no side to no side")."""
    before, after, items = CASES["the chin trick to the other side"]
    program, _ = given_then_moved(clinic, before, after, items, "en")
    last = given.last_frozen(clinic.db, program.id)
    changes = versions.diff(last.snapshot, versions.snapshot(program, reevaluation.next_reevaluation(program)))
    assert changes == [
        f"{isolate('Light touch on the chin')}: direction changed from "
        "“Touch your chin on the left side, where your touch helps.” "
        "to “Touch your chin on the right side, where your touch helps.”"
    ]


@pytest.mark.parametrize(
    ("before", "after", "slug", "said"),
    [
        (  # the picture only: mirrored for the pull now to the right (no side in its words)
            neck(rotation="left"),
            neck(rotation="right"),
            "head-midline-mirror",
            "Find the middle in a mirror: picture now drawn the other way round, for a pull to the other side.",
        ),
        (  # the start only: from the chin down to the head tipped back
            neck(flexion=""),
            neck(extension=""),
            "head-midline-mirror",
            "Find the middle in a mirror: picture's start changed from “with the chin down” to "
            "“with the head tipped back”.",
        ),
        (  # a flag only: a pull forward recorded since makes the chin nod train toward it
            neck(rotation="left"),
            neck(rotation="left", flexion=""),
            "chin-nod-head-lift",
            "Chin nod with a small head lift, lying: now flagged: Not for flexion (anterocollis):",
        ),
    ],
    ids=["mirrored", "start posture", "flagged"],
)
def test_the_versions_page_lists_a_moved_picture_start_or_flag(clinic, before, after, slug, said):
    """A re-evaluation that only mirrors a picture, moves its start or flags an exercise holds it
    back on the phone: the Versions page offers "Now (not given yet)" and says what changed,
    where it said "No change" and offered only the version given."""
    program, _ = given_then_moved(clinic, before, after, {slug: ("", WAITS)}, "en")
    assert any(item.moved for item in given.given_version(clinic.db, program).items)
    clinic.db.commit()
    client = clinic.app.test_client()
    login(client, "t@moved.org")
    shown = " ".join(unescape(client.get(f"/programs/{program.id}/versions").get_data(as_text=True)).split())
    assert '<option value="now" selected>Now (not given yet)</option>' in shown
    changes = re.findall(r"<li>(.*?)</li>", shown.split('class="changes"')[1].split("</ul>")[0])
    assert len(changes) == 1 and said in changes[0]


@pytest.mark.parametrize(
    ("given_start", "start_now", "held_back"),
    [
        ("", "", False),
        # A head pulled one way only now starts that way only; the paper drawn turned and tipped
        # (before that release, or before a re-evaluation dropped the other pull) still reads.
        ("", "tipped", False),
        ("", "turned", False),
        # The paper showed one part; the start now needs the other, or both, or another posture.
        ("tipped", "turned", True),
        ("tipped", "", True),
        ("turned", "middle", True),
        ("", "flexion", True),
        ("middle", "extension", True),
        # Turned one way and tipped the other: a paper drawn tipped to the side of the turn shows the
        # tilt on the wrong side (the pull changed sides, as a mirrored picture does); one that
        # drops a part of the crossed start still reads.
        ("", "crossed", True),
        ("crossed", "", True),
        ("turned", "crossed", True),
        ("crossed", "turned", False),
        ("crossed", "tipped", False),
        # A sensory trick's start drawn across from the hand (the trick on the other side of the
        # pull): it holds among its own as the others do; gaining or losing it moves the head or hand.
        ("opposite", "opposite turned", False),
        ("opposite crossed", "opposite tipped", False),
        ("opposite turned", "turned", True),
        ("turned", "opposite turned", True),
        ("opposite", "opposite crossed", True),
    ],
)
def test_a_start_that_shows_part_of_the_paper_s_is_not_held_back(given_start, start_now, held_back):
    paper = {"side": "left", "direction": "", "mirrored": True, "start_posture": given_start, "flags": []}
    now = {"side": "left", "direction": "", "mirrored": True, "start_posture": start_now, "flags": []}
    assert (paper_differs.OTHER_START in paper_differs.differences(paper, now)) is held_back


def test_every_start_a_direction_gives_has_words_for_the_therapist():
    """The builder's box and the Versions page name a moved start in words (paper_differs.START_WORDS):
    each posture the direction rules give, and "" (as drawn), has them."""
    from planner.catalog.figure.pattern_start import ONLY, OPPOSITE, POSTURES

    sided = {"", "crossed", *ONLY}
    assert set(paper_differs.START_WORDS) == sided | {*POSTURES} | {f"{OPPOSITE} {s}".strip() for s in sided}
    paper, now = {"start_posture": ""}, {"start_posture": "crossed"}
    assert paper_differs.difference_words(paper_differs.OTHER_START, paper, now) == (
        "its picture starts off to the side of a pull; the pattern now starts it "
        "turned one way and tipped the other, as the pulls go"
    )


@pytest.mark.parametrize(("turn", "trick"), [(t, s) for t in ("left", "right") for s in ("left", "right")])
def test_a_chin_touch_paper_drawn_with_the_hand_at_the_turn_differs_where_the_trick_is_the_other_side(turn, trick):
    """Session 12: the chin touch's picture put the hand on the side of the head's turn, while its
    sentence named the side of the recorded trick. A paper given so (mirrored to the turn, the start
    as drawn then) differs from the picture drawn now exactly when the two sides differ: the hand
    is on a side its own words do not name, so the phone holds it until it is given again
    (paper_differs' one rule, as a picture mirrored to a pull that changed sides); where they agree
    the paper reads as before and nothing is held."""
    import tomllib

    from planner.config import ROOT
    from planner.dystonia.direction import resolve
    from planner.dystonia.movement import spec_of
    from planner.dystonia.pattern import PatternData, Pull

    chin = tomllib.loads((ROOT / "exercises" / "sensory-trick-chin-touch.toml").read_text(encoding="utf-8"))
    spec = spec_of(chin["pattern"])
    now = resolve(spec, "", PatternData(pulls=(Pull("rotation", turn, 2),), trick="chin", trick_side=trick))
    given_then = {**paper_differs.as_row(now), "mirrored": turn == "left", "start_posture": "turned"}
    expected = [] if turn == trick else [paper_differs.OTHER_PICTURE, paper_differs.OTHER_START]
    assert paper_differs.differences(given_then, paper_differs.as_row(now)) == expected


@pytest.mark.parametrize("trick", ["", "left", "right", "both"])
def test_a_temple_paper_drawn_at_the_temple_differs_where_the_middle_now_draws_the_forehead(trick):
    """Session 13: a forehead-or-temple trick recorded in the middle reads "Use the middle of your
    forehead", and its picture now has the fingertip there (pattern_start.TOUCH). A paper given
    with the temple drawn (its start posture as drawn, "") differs for the middle only: the hand
    moved, so the phone holds it until it is given again, and the therapist reads where it moved;
    a temple on a side reads and draws as before."""
    import tomllib

    from planner.config import ROOT
    from planner.dystonia.direction import resolve
    from planner.dystonia.movement import spec_of
    from planner.dystonia.pattern import PatternData, Pull

    temple = tomllib.loads((ROOT / "exercises" / "sensory-trick-temple-touch.toml").read_text(encoding="utf-8"))
    pattern = PatternData(pulls=(Pull("rotation", "left", 2),), trick="forehead_temple", trick_side=trick)
    now = paper_differs.as_row(resolve(spec_of(temple["pattern"]), "", pattern))
    given_then = {**now, "start_posture": ""}
    expected = [paper_differs.OTHER_TOUCH] if trick == "" else []
    assert paper_differs.differences(given_then, now) == expected
    if trick == "":
        assert paper_differs.difference_words(paper_differs.OTHER_TOUCH, given_then, now) == (
            "its picture has the hand at the place the exercise draws; the pattern now puts it at the forehead"
        )


def test_a_temple_paper_given_before_the_forehead_was_drawn_waits_and_the_therapist_reads_why(clinic):
    """A forehead-or-temple trick recorded in the middle, given before its picture moved the hand
    to the forehead (the snapshot's start posture as drawn, ""): the paper reads "Use the middle of
    your forehead" beside a hand at the temple. The phone holds it until it is given again, the
    builder's box and the Versions page say where the hand moved."""
    from sqlalchemy import select

    from planner.models import ProgramVersion

    middle = PatternEntry({"rotation": "left"}, {"rotation": 2}, trick="forehead_temple", trick_side="")
    items = {"sensory-trick-temple-touch": ("", WAITS)}
    program, page_url = given_then_moved(clinic, middle, middle, items, "en")
    number = given.last_frozen(clinic.db, program.id).number
    version = clinic.db.scalars(
        select(ProgramVersion).where(ProgramVersion.program_id == program.id, ProgramVersion.number == number)
    ).one()
    snapshot = dict(version.snapshot)
    assert [item["start_posture"] for item in snapshot["items"]] == ["touch forehead"]  # as given now
    snapshot["items"] = [{**item, "start_posture": ""} for item in snapshot["items"]]  # as given then
    version.snapshot = snapshot
    clinic.db.commit()
    (item,) = given.given_version(clinic.db, program).items
    assert item.wait and item.moved
    client = clinic.app.test_client()
    login(client, "t@moved.org")
    builder = " ".join(unescape(client.get(f"/programs/{program.id}").get_data(as_text=True)).split())
    assert (
        "“Fingertip at the temple for eye closing”: its picture has the hand at the place the exercise draws; "
        "the pattern now puts it at the forehead." in builder
    )
    shown = " ".join(unescape(client.get(f"/programs/{program.id}/versions").get_data(as_text=True)).split())
    assert (
        "Fingertip at the temple for eye closing: picture's hand moved from the place the exercise draws to the forehead."
        in shown
    )
