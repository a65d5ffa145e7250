"""The next stage is offered where the patient's dystonia is, and the stage label says what is in it.

Trial 8: Hugo, with a left-leg dystonia only, was offered stage 3 neck, posture and voice
exercises (his walking program held one posture exercise). And a program labelled "Stage 2 …
without the mirror or the trick" still held a trick exercise with no word.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from planner.dystonia.pattern import PatternEntry
from planner.services import program_items, programs, recorded_patterns, stages
from planner.services.catalog import get_exercise
from tests.conftest import login
from tests.factories import make_clinic, make_patient, make_user

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
WALKING = ("calf-stretch-wall", "ankle-circles", "heel-raise", "hamstring-stretch-seated", "chin-tuck-wall")


def program_of(db, entry: PatternEntry | None, slugs, sides=None, clinic="Клиника"):
    clinic = make_clinic(db, clinic)
    patient = make_patient(db, clinic, "Hugo Bergström")
    if entry is not None:
        recorded_patterns.record_pattern(db, patient, entry, date(2026, 11, 30), None, NOW)
    program = programs.create_program(
        db, patient, programs.ProgramDetails("Gehen · 步行", date(2026, 12, 1)), None, NOW
    )
    for slug in slugs:
        program_items.add_item(
            db, program, get_exercise(db, clinic.id, slug), None, NOW, side=(sides or {}).get(slug, "")
        )
    db.commit()
    return program


@pytest.mark.parametrize(
    ("areas", "fit"),
    [
        (["leg_left"], {"hips_legs"}),
        (["hand_arm_right"], {"arms_hands"}),
        (["voice"], {"face_jaw", "neck"}),
    ],
)
def test_the_next_stage_offers_only_work_where_the_pattern_is(catalog_db, areas, fit):
    program = program_of(catalog_db, PatternEntry(areas=areas), WALKING)
    offered = stages.next_stage_exercises(catalog_db, program)
    assert all(set(c.regions) & fit for c in offered), [(c.slug, c.regions) for c in offered]
    if areas == ["leg_left"]:
        assert offered  # leg work exists at stage 3
        assert not any({"neck", "face_jaw"} & set(c.regions) and not set(c.regions) & fit for c in offered)


def test_without_a_pattern_the_programs_own_regions_decide(catalog_db):
    program = program_of(catalog_db, None, WALKING)
    regions = {r for item in program.items for r in item.exercise.regions}
    assert all(set(c.regions) & regions for c in stages.next_stage_exercises(catalog_db, program))


def test_a_stage_2_program_that_still_uses_the_trick_says_so(catalog_db, catalog_app):
    slugs = ("chin-tuck-sitting", "head-nod-sitting", "look-up-stretch-sitting", "sensory-trick-cheek-touch")
    entry = PatternEntry({"flexion": ""}, {"flexion": 1})
    program = program_of(catalog_db, entry, slugs, sides={"sensory-trick-cheek-touch": "left"})
    where = stages.program_stage(program)
    assert where.stage == 2 and where.aids == ("Light touch on the cheek",)
    from planner.models import Clinic

    user = make_user(catalog_db, catalog_db.get(Clinic, program.clinic_id))
    client = catalog_app.test_client()
    login(client, user.email)
    html = client.get(f"/programs/{program.id}").get_data(as_text=True)
    said = re.sub(r"<[^>]+>", "", html.split('id="stage-aids">')[1].split("</p>")[0])
    assert said == (
        "This program still uses a mirror or a sensory trick: “Light touch on the cheek”. "
        "Stage 2 works without them: remove them, or keep them on purpose."
    )
    without = program_of(catalog_db, entry, slugs[:3], clinic="Clínica 2")
    assert stages.program_stage(without).aids == ()


HAND_STAGE_2 = ("wrist-bends-and-circles", "tendon-glides", "finger-spread-band")


@pytest.mark.parametrize(
    ("entry", "tags", "label"),
    [
        (PatternEntry(areas=["hand_arm_left"]), [], "Stage 2: hand and finger movement, without the mirror or a pen"),
        (None, ["writers_cramp"], "Stage 2: hand and finger movement, without the mirror or a pen"),
        (PatternEntry(areas=["eyes_face"]), [], "Stage 2: eye and face control, without the mirror or the trick"),
        (
            PatternEntry(areas=["jaw_mouth"]),
            [],
            "Stage 2: lips, tongue and jaw control, without the mirror or the trick",
        ),
        (PatternEntry(areas=["voice"]), [], "Stage 2: an easy voice, in single sounds"),
        (PatternEntry(areas=["leg_right"]), [], "Stage 2: standing and balance, without the mirror"),
        (PatternEntry(areas=["trunk"]), [], "Stage 2: sitting and standing, without the mirror"),
        (
            PatternEntry({"rotation": "left"}, {"rotation": 2}),
            ["writers_cramp"],  # the recorded pattern decides over the tags
            "Stage 2: sitting and standing, without the mirror or the trick",
        ),
        (
            PatternEntry({"rotation": "left"}, {"rotation": 2}, areas=["hand_arm_right"]),
            [],
            "Stage 2: control without the mirror or the trick",
        ),
        (None, [], "Stage 2: control without the mirror or the trick"),
    ],
    ids=["hand", "hand tag", "eyes", "jaw", "voice", "leg", "trunk", "neck", "neck and hand", "nothing known"],
)
def test_the_stage_is_said_in_the_words_of_the_area_the_program_works_on(catalog_db, entry, tags, label):
    """Trial 9: a writer's cramp program read "Stage 2: sitting and standing, without the mirror
    or the trick", the neck's words."""
    program = program_of(catalog_db, entry, HAND_STAGE_2)
    program.patient.condition_tags = tags
    assert stages.program_stage(program).label == label


def test_the_builder_and_catalog_page_say_a_hand_stage_in_hand_words(catalog_db, catalog_app):
    program = program_of(catalog_db, PatternEntry(areas=["hand_arm_left"]), HAND_STAGE_2)
    from planner.models import Clinic

    user = make_user(catalog_db, catalog_db.get(Clinic, program.clinic_id))
    client = catalog_app.test_client()
    login(client, user.email)
    html = client.get(f"/programs/{program.id}").get_data(as_text=True)
    panel = html.split('id="stage-h"')[1].split("</section>")[0]
    assert "<strong>Stage 2: hand and finger movement, without the mirror or a pen</strong>" in panel
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get("/exercises/tendon-glides").get_data(as_text=True)))
    assert "Retraining stage Stage 2: hand and finger movement, without the mirror or a pen" in page
