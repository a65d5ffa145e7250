"""A patient follows one program: a second active one is named, with which one the phone shows.

Trial 8: starting a template twice, copying a program to a patient or starting from a clinic
template each left one more "Active" program, with no word. Before a new program (the new
program page) and after it is made (its builder), every other active program is named, with
whether it is on the phone page and a button to end it (archive: asked first, nothing deleted).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from planner.dystonia.pattern import PatternEntry
from planner.models import Program, ProgramTemplate
from planner.services import portal, programs, recorded_patterns
from tests.conftest import login
from tests.factories import give, make_clinic, make_patient, make_user

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


@pytest.fixture
def world(catalog_app, catalog_db):
    db = catalog_db
    clinic = make_clinic(db, "Κλινική")
    user = make_user(db, clinic)
    maria = make_patient(db, clinic, "María José Núñez")
    other = make_patient(db, clinic, "王小明")
    for patient in (maria, other):
        recorded_patterns.record_pattern(
            db, patient, PatternEntry({"rotation": "left"}, {"rotation": 2}), date(2026, 11, 1), None, NOW
        )
    db.commit()
    client = catalog_app.test_client()
    login(client, user.email)
    template = db.scalars(select(ProgramTemplate).where(ProgramTemplate.slug == "shipped-cervical-dystonia")).one()
    return db, client, maria, other, template


def start(client, patient, template, day="2026-12-01") -> int:
    made = client.post(
        f"/patients/{patient.id}/programs/from-template", data={"template": template.id, "start_date": day}
    )
    assert made.status_code == 302
    return int(made.location.rsplit("/", 1)[1])


def warning(html: str) -> str:
    """The other-active warning's text, tags but links taken out."""
    part = html.split('id="other-active"')[1].split("</div>")[0]
    return " ".join(re.sub(r"<(?!a )[^>]+>", "", part).split())


def test_a_template_started_twice_names_the_first_and_offers_to_end_it(world):
    db, client, maria, _, template = world
    assert 'id="other-active"' not in client.get(f"/patients/{maria.id}/programs/new").get_data(as_text=True)
    first = start(client, maria, template)
    asked = warning(client.get(f"/patients/{maria.id}/programs/new").get_data(as_text=True))
    assert "María José Núñez already has an active program:" in asked
    assert "Your home program for neck control" in asked and "not yet given" in asked
    assert f'href="/programs/{first}/archive"' in asked and "A new program will be one more." in asked

    second = start(client, maria, template)
    said = warning(client.get(f"/programs/{second}").get_data(as_text=True))
    assert "María José Núñez also has an active program:" in said and f'href="/programs/{first}"' in said
    # Ending it: asked first, then archived; nothing is deleted, and no warning is left.
    client.post(f"/programs/{first}/archive", data={})
    db.expire_all()
    assert db.get(Program, first).archived_at is not None
    assert 'id="other-active"' not in client.get(f"/programs/{second}").get_data(as_text=True)


def test_a_copy_to_a_patient_with_an_active_program_names_it(world):
    db, client, maria, other, template = world
    theirs = start(client, other, template)
    mine = start(client, maria, template)
    copied = client.post(f"/programs/{mine}/copy", data={"patient": other.id})
    assert copied.status_code == 302
    said = warning(client.get(copied.location).get_data(as_text=True))
    assert "王小明 also has an active program:" in said and f'href="/programs/{theirs}/archive"' in said


def test_with_two_given_the_phone_shows_the_newest_given_and_both_pages_say_so(world):
    db, client, maria, _, template = world
    older = start(client, maria, template, "2026-11-20")
    newer = start(client, maria, template, "2026-11-28")
    for program_id in (older, newer):
        give(db, db.get(Program, program_id), NOW - timedelta(hours=1))
    db.commit()
    assert portal.active_program(db, maria).id == newer
    page = client.get(f"/patients/{maria.id}").get_data(as_text=True)
    note = " ".join(page.split('id="several-active"')[1].split("</p>")[0].split())
    assert "2 programs are active." in note and "the phone page shows “" in note
    row = page.split(f'href="/programs/{newer}"')[1].split("</tr>")[0]
    assert "Active · on the phone page" in row
    assert "on the phone page" not in page.split(f'href="/programs/{older}"')[1].split("</tr>")[0]
    said = warning(client.get(f"/programs/{older}").get_data(as_text=True))
    assert "given and on the patient's phone page" in said  # the newer one, named from the older
    assert programs.active_programs(db, maria, but=older)[0].id == newer


@pytest.mark.parametrize(
    "entry, said",
    [
        (
            PatternEntry({"flexion": "", "lateral_shift": "right"}, {"flexion": 2, "lateral_shift": 1}),
            [
                "No exercise in the catalog targets the recorded lateral shift: add your own exercise for it if the patient needs one."
            ],
        ),
        (
            PatternEntry({"sagittal_shift": "forward"}, {"sagittal_shift": 2}),
            [
                "No exercise in the catalog targets the recorded sagittal shift: add your own exercise for it if the patient needs one."
            ],
        ),
        (PatternEntry({"rotation": "left"}, {"rotation": 2}), []),
    ],
    ids=["lateral shift", "sagittal shift", "no shift"],
)
def test_a_recorded_shift_is_said_to_have_no_catalog_exercise(world, entry, said):
    """Trial 8: a recorded lateral or sagittal shift was silently ignored by the template start
    and the builder. Both say plainly that the catalog has nothing for it (no promise)."""
    db, client, maria, _, template = world
    recorded_patterns.record_pattern(db, maria, entry, date(2026, 11, 30), None, NOW)
    db.commit()
    made = client.post(
        f"/patients/{maria.id}/programs/from-template",
        data={"template": template.id, "start_date": "2026-12-01"},
        follow_redirects=True,
    )
    page = made.get_data(as_text=True)
    for line in said:
        assert page.count(line) == 2  # the start message, and the builder's pattern summary
    if not said:
        assert "No exercise in the catalog targets" not in page
