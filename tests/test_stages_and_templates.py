"""The cervical dystonia template fitted to the patient's pattern, and retraining in stages."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from planner.dystonia.pattern import PatternEntry
from planner.models import Exercise, ProgramTemplate
from planner.services import patterns, program_templates, programs, stages
from tests.conftest import login
from tests.factories import make_clinic, make_patient, make_user

NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)
TORTICOLLIS = PatternEntry({"rotation": "left"}, {"rotation": 2})
ANTEROCOLLIS = PatternEntry(severities={"flexion": 2})
CERVICAL = [
    "Neck turn lying down",
    "Find the middle in a mirror",
    "Chin nod with a small head lift, lying",
    "Shoulder blade squeeze",
    "Light touch on the chin",
    "Belly breathing lying down",
]


@pytest.fixture
def clinic(catalog_db):
    return make_clinic(catalog_db, "Stage Clinic")


def patient_with(db, clinic, entry):
    patient = make_patient(db, clinic, "Maria Lopez", condition_tags=["cervical_dystonia"])
    if entry is not None:
        patterns.record_pattern(db, patient, entry, date(2026, 11, 1), None, NOW)
    db.commit()
    return patient


def start_cervical(db, patient):
    template = db.scalars(select(ProgramTemplate).where(ProgramTemplate.slug == "shipped-cervical-dystonia")).one()
    report = program_templates.start_from_template(db, template, patient, None, date(2026, 11, 1), NOW)
    db.commit()
    return report


@pytest.mark.parametrize(
    "entry, names, left_out, directed, undirected",
    [
        (
            TORTICOLLIS,
            CERVICAL,
            [],
            [("Find the middle in a mirror", "Turn your head to the right, away from the pull.")],
            [],
        ),
        (
            PatternEntry({"rotation": "right"}, {"rotation": 1}),
            CERVICAL,
            [],
            [("Find the middle in a mirror", "Turn your head to the left, away from the pull.")],
            [],
        ),
        (
            ANTEROCOLLIS,
            [n for n in CERVICAL if not n.startswith(("Chin nod", "Find the middle"))],
            [
                # A turning exercise has no way to turn away from a pull that is not there.
                ("Find the middle in a mirror", "No rotation (torticollis) in the recorded pattern."),
                (
                    "Chin nod with a small head lift, lying",
                    "Not for flexion (anterocollis): It strengthens the muscles that bend the head forward, "
                    "the ones that pull in anterocollis.",
                ),
            ],
            [],
            [],
        ),
        (
            PatternEntry({"tilt": "left"}, {"tilt": 1}),
            [n for n in CERVICAL if not n.startswith("Find the middle")],
            [("Find the middle in a mirror", "No rotation (torticollis) in the recorded pattern.")],
            [],
            [],
        ),
        (None, CERVICAL, [], [], ["Find the middle in a mirror"]),
    ],
    ids=["left torticollis", "right torticollis", "anterocollis", "left laterocollis", "no pattern"],
)
def test_the_cervical_template_fits_the_pattern(catalog_db, clinic, entry, names, left_out, directed, undirected):
    report = start_cervical(catalog_db, patient_with(catalog_db, clinic, entry))
    assert [i.exercise.name for i in report.program.items] == names
    assert report.left_out == left_out
    assert report.directed == directed
    assert report.undirected == undirected
    # The pattern's side is not stored on the items: they follow it after any re-evaluation.
    assert all(not i.side for i in report.program.items if patterns.exercise_spec(i.exercise).directional)
    for direction in patterns.program_directions(report.program):
        assert not [w for w in direction.warnings if w.kind == "contraindicated"]


def test_starting_the_template_says_what_was_left_out_and_why(catalog_app, catalog_db, clinic):
    make_user(catalog_db, clinic, email="st@stage.org")
    patient = patient_with(catalog_db, clinic, ANTEROCOLLIS)
    template = catalog_db.scalars(
        select(ProgramTemplate).where(ProgramTemplate.slug == "shipped-cervical-dystonia")
    ).one()
    client = catalog_app.test_client()
    login(client, "st@stage.org")
    response = client.post(
        f"/patients/{patient.id}/programs/from-template",
        data={"template": template.id, "start_date": "2026-11-20"},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert (
        "Left out for this patient&#39;s pattern: “Chin nod with a small head lift, lying”. Not for flexion "
        "(anterocollis): It strengthens the muscles that bend the head forward" in html
    )
    assert (
        "Left out for this patient&#39;s pattern: “Find the middle in a mirror”. "
        "No rotation (torticollis) in the recorded pattern." in html
    )
    assert 'id="directions-not-set"' not in html  # nothing left without a side blocks the handout


@pytest.mark.parametrize(
    "item_stages, stage, following",
    [
        ([1, 1, 1], 1, 2),
        ([1, 1, 2], 1, 2),
        ([1, 2], 2, 3),  # a tie goes to the later stage
        ([2, 2, 3, 3, 3], 3, None),  # the last stage has none after it
        ([], 0, None),
    ],
)
def test_a_programs_stage_is_where_most_of_its_exercises_are(catalog_db, clinic, item_stages, stage, following):
    patient = patient_with(catalog_db, clinic, None)
    program = programs.create_program(
        catalog_db, patient, programs.ProgramDetails("Stages", date(2026, 11, 1)), None, NOW
    )
    for n, level in enumerate(item_stages):
        exercise = catalog_db.scalars(
            select(Exercise)
            .where(Exercise.stage == level, Exercise.clinic_id.is_(None))
            .order_by(Exercise.slug)
            .offset(n)
        ).first()
        programs.add_item(catalog_db, program, exercise, None, NOW)
    where = stages.program_stage(program)
    assert (where.stage, where.next) == (stage, following)
    assert sum(where.counts.values()) == len(item_stages)


def test_the_next_stage_leaves_out_what_the_pattern_rules_out(catalog_db, clinic):
    turning = start_cervical(catalog_db, patient_with(catalog_db, clinic, TORTICOLLIS)).program
    forward = start_cervical(catalog_db, patient_with(catalog_db, clinic, ANTEROCOLLIS)).program
    offered_turning = [e.slug for e in stages.next_stage_exercises(catalog_db, turning, limit=100)]
    offered_forward = [e.slug for e in stages.next_stage_exercises(catalog_db, forward, limit=100)]
    assert all(e.stage == 2 for e in stages.next_stage_exercises(catalog_db, turning, limit=100))
    assert offered_turning[:2] == ["neck-turn-sitting", "head-midline-eyes-closed"]  # the harder versions first
    assert "neck-press-forward" in offered_turning and "neck-press-forward" not in offered_forward
    assert not {i.exercise.slug for i in turning.items} & set(offered_turning)


def test_the_builder_shows_the_stage_and_adds_the_next_in_one_step(catalog_app, catalog_db, clinic):
    make_user(catalog_db, clinic, email="nx@stage.org")
    program = start_cervical(catalog_db, patient_with(catalog_db, clinic, TORTICOLLIS)).program
    programs.issue(catalog_db, program, None, "print", NOW)
    catalog_db.commit()
    client = catalog_app.test_client()
    login(client, "nx@stage.org")
    html = client.get(f"/programs/{program.id}").get_data(as_text=True)
    panel = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split('id="stage-h"')[1].split("</section>")[0]))
    assert "Stage 1: control in a calm position" in panel and "Stage 1: 5 exercises · Stage 2: 1 exercise" in panel
    assert "Next, stage 2: Neck turn sitting Find the middle with eyes closed" in panel
    assert "Add these 4 stage 2 exercises" in panel

    response = client.post(f"/programs/{program.id}/next-stage", data={"lock_version": program.lock_version})
    assert response.status_code == 302
    catalog_db.expire_all()
    assert len(program.items) == 10
    assert program.version == 2  # one new version for the one step, however many were added
    html = client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert "Added for the next stage: “Neck turn sitting”, “Find the middle with eyes closed”" in html
