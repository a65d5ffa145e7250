"""A clinic's own exercise reaches the patient's phone in the words of their paper.

A clinic may edit its own exercise at any time, also after giving a program that holds it. The
paper in the patient's hands keeps the words it printed, so the phone page, its PDF and the daily
email show those words (the version keeps them: versions.written, given.GivenItem.text) until the
therapist prints, emails or shares again; the builder says the phone shows the older version. The
edits are written in several scripts, each a clinic's own words.
"""

from __future__ import annotations

import dataclasses
import html
import re
import unicodedata
from datetime import time, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from planner.models import ProgramVersion
from planner.services import (
    custom_exercises,
    exercise_reminder_days,
    exercise_reminders,
    given,
    issuing,
    paper_state,
    patient_links,
    program_items,
)
from planner.services.emails import MailSettings, make_composer
from planner.services.outbox import DispatchSettings, dispatch_all
from tests.conftest import login
from tests.factories import make_clinic, make_patient, make_user
from tests.handout_world import pages_text
from tests.outbox_world import Kept
from tests.reminder_factories import make_program

GIVEN_NAME = "Neck glide at the wall"
GIVEN_STEPS = ["Stand with your back to a wall.", "Slide the back of your head up the wall."]
# (script, the new name, a new step): what the clinic writes after the program was given.
EDITS = [
    ("Latin, accents", "Glissement du cou à l'écran", "Rentrez le menton doucement, sans forcer."),
    ("Greek", "Ολίσθηση αυχένα", "Τραβήξτε το πηγούνι πίσω αργά."),
    ("Cyrillic", "Скольжение шеи", "Медленно уведите подбородок назад."),
    ("Chinese", "颈部滑动练习", "慢慢把下巴向后收。"),
    ("Hebrew", "החלקת צוואר", "משכי את הסנטר לאחור לאט."),
    ("Arabic", "انزلاق الرقبة", "اسحبي الذقن إلى الخلف ببطء."),
]


@pytest.fixture
def clinic(app, db, now):
    """A clinic's own exercise in a program printed for its patient (English, email reminders on),
    a phone link, the therapist signed in."""
    place = make_clinic(db, "Own Words Clinic", timezone="UTC")
    therapist = make_user(db, place, email="pt@ownwords.org")
    patient = make_patient(db, place, "Rosa Diaz", email="rosa@example.org", reminder_consent=True)
    own = custom_exercises.create_custom_exercise(db, place.id, words(GIVEN_NAME, GIVEN_STEPS), now)
    program = make_program(db, patient, therapist.id, now, start=now.date())
    program_items.add_item(db, program, own, None, now)
    exercise_reminders.turn_on(db, patient, time(7, 30), "therapist", now, app.secret_key, therapist)
    token = patient_links.create_link(db, patient, app.secret_key, now)[1]
    db.commit()
    client = app.test_client()
    login(client, "pt@ownwords.org")
    world = SimpleNamespace(app=app, db=db, now=now, client=client, place=place, program=program, own=own, token=token)
    print_handout(world)
    return world


def words(name: str, steps: list[str]) -> custom_exercises.CustomExerciseData:
    return custom_exercises.CustomExerciseData(
        name=name,
        category="posture",
        regions=["neck"],
        position="standing",
        equipment=["none"],
        difficulty=1,
        conditions=["general"],
        summary="Lengthen the back of your neck against a wall.",
        steps=steps,
        cautions=["Stop if you feel dizzy."],
        dosage={"repetitions": 5, "times_per_day": 1},
    )


def edit(world, name: str, steps: list[str]) -> None:
    """The clinic saves its exercise with a new name and steps (what its edit page does)."""
    data = dataclasses.replace(custom_exercises.CustomExerciseData.from_exercise(world.own), name=name, steps=steps)
    custom_exercises.update_custom_exercise(world.db, world.own, data, world.now + timedelta(minutes=5))
    world.db.commit()


def print_handout(world) -> str:
    """The therapist prints the handout from the builder; its text."""
    answer = world.client.post(f"/programs/{world.program.id}/handout.pdf")
    assert answer.mimetype == "application/pdf"
    world.db.expire_all()
    return " ".join(pages_text(answer.data))


def phone(world) -> str:
    return html.unescape(world.app.test_client().get(f"/p/{world.token}").get_data(as_text=True))


def phone_pdf(world) -> str:
    answer = world.app.test_client().get(f"/p/{world.token}/handout.pdf")
    assert answer.status_code == 200
    return " ".join(pages_text(answer.data))


def daily_email(world, days_on: int = 1) -> str:
    """The text of the exercise email `days_on` days from today (one a day)."""
    mailer, moment = Kept(), world.now + timedelta(days=days_on)
    exercise_reminder_days.create_due(world.db, moment)
    settings = MailSettings(public_url="https://planner.example", secret_key="test", languages=("en",))
    dispatch_all(world.db, mailer, make_composer(settings), lambda: moment, DispatchSettings(batch_size=10))
    return " ".join(mailer.sent[-1].text.split())


def letters(text: str) -> str:
    """The letters of `text`, joined forms back to plain letters, spaces and marks dropped."""
    return "".join(c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c)[0] == "L")


def printed(pdf_text: str, words: str) -> bool:
    """Whether the PDF's text holds each word of `words` (right-to-left lines are read back in
    the order they were drawn: the words from the right)."""
    found = letters(pdf_text)
    return all(letters(word) in found for word in words.split() if letters(word))


@pytest.mark.parametrize("script, name, step", EDITS, ids=[e[0] for e in EDITS])
def test_an_edit_of_the_clinics_exercise_reaches_the_phone_only_once_printed(clinic, script, name, step):
    """Edited after the program was printed, the phone page, its PDF and the daily email keep the
    paper's name and steps; the builder says the phone shows version 1; printing again shows the
    new words everywhere, as version 2."""
    edit(clinic, name, [step])

    page, pdf, email = phone(clinic), phone_pdf(clinic), daily_email(clinic)
    assert GIVEN_NAME in page and all(s in page for s in GIVEN_STEPS)
    assert name not in page and step not in page
    assert printed(pdf, GIVEN_NAME) and printed(pdf, GIVEN_STEPS[1])
    assert not printed(pdf, name) and not printed(pdf, step)
    assert GIVEN_NAME in email and name not in email
    builder = clinic.client.get(f"/programs/{clinic.program.id}").get_data(as_text=True)
    assert "The patient's phone shows version 1</strong>" in builder

    paper = print_handout(clinic)
    assert printed(paper, name) and printed(paper, step)
    page, pdf = phone(clinic), phone_pdf(clinic)
    assert name in page and step in page and GIVEN_NAME not in page and GIVEN_STEPS[1] not in page
    assert printed(pdf, name) and printed(pdf, step) and not printed(pdf, GIVEN_NAME)
    assert name in daily_email(clinic, days_on=2)
    assert given.given_version(clinic.db, clinic.program).version == 2
    builder = clinic.client.get(f"/programs/{clinic.program.id}").get_data(as_text=True)
    assert "The patient's phone shows version" not in builder


def test_printing_again_without_an_edit_gives_no_new_version(clinic):
    """A print with nothing changed returns the version given; the phone page reads it unchanged."""
    page = phone(clinic)
    print_handout(clinic)
    assert given.given_version(clinic.db, clinic.program).version == 1
    assert phone(clinic) == page


def test_the_version_page_says_what_the_clinic_changed(clinic):
    """Version 2 lists the exercise's new name and that its steps changed, beside any other change."""
    edit(clinic, "Neck glide", ["Slide your head up the wall, slowly."])
    print_handout(clinic)
    answer = clinic.client.get(f"/programs/{clinic.program.id}/versions?from=1&to=2")
    page = html.unescape(answer.get_data(as_text=True))
    assert f"Exercise renamed from “{GIVEN_NAME}” to “Neck glide”." in page
    assert "Neck glide: its steps changed." in page
    first = html.unescape(clinic.client.get(f"/programs/{clinic.program.id}/versions/1").get_data(as_text=True))
    assert "Your clinic's words, as given" in first and GIVEN_STEPS[1] in first  # what version 1's paper said
    assert "Slide your head up the wall, slowly." not in first


def test_a_version_frozen_before_the_words_were_kept_keeps_the_papers_name(clinic):
    """A snapshot of an earlier release holds the exercise's name, not its steps: the phone shows
    the paper's name with the steps as they are now (the only copy there is), and printing again
    gives a version that keeps the new words."""
    db = clinic.db
    version = db.scalars(select(ProgramVersion).where(ProgramVersion.program_id == clinic.program.id)).one()
    version.snapshot = {
        **version.snapshot,
        "items": [{k: v for k, v in i.items() if k != "text"} for i in version.snapshot["items"]],
    }
    db.commit()
    edit(clinic, "Wall glide", ["Slide your head up the wall, slowly."])

    page = phone(clinic)
    assert GIVEN_NAME in page and "Wall glide" not in page and "Slide your head up the wall, slowly." in page
    assert paper_state.phone_version(db, clinic.program) is not None

    print_handout(clinic)
    assert given.given_version(db, clinic.program).version == 2
    assert "Wall glide" in phone(clinic)


def test_an_export_of_every_handout_gives_a_new_version_for_an_edited_exercise(clinic):
    """The export renews, before writing, the programs whose own exercise was edited since given;
    a program of the same clinic without that exercise, and one not edited, stay as given."""
    db, now = clinic.db, clinic.now
    other_patient = make_patient(db, clinic.place, "Ben Ode")
    other_exercise = custom_exercises.create_custom_exercise(
        db, other_patient.clinic_id, words("Calm breath", ["Breathe out slowly."]), now
    )
    other = make_program(db, other_patient, None, now, start=now.date())
    program_items.add_item(db, other, other_exercise, None, now)
    issuing.issue(db, other, None, "print", now)
    db.commit()
    assert issuing.renew_changed_papers(db, now) == 0
    edit(clinic, "Wall glide", GIVEN_STEPS)
    assert issuing.renew_changed_papers(db, now) == 1
    assert clinic.program.version == 2 and not clinic.program.issued
    assert other.version == 1 and other.issued


@pytest.mark.parametrize("how", ["email", "share"])
def test_emailing_or_sharing_after_an_edit_gives_the_new_words_too(clinic, how):
    """As printing: the email of the handout or a new phone link gives version 2, in the new words."""
    edit(clinic, "Wall glide", ["Slide your head up the wall, slowly."])
    client = clinic.client
    if how == "email":
        assert client.post(f"/programs/{clinic.program.id}/email-handout").status_code == 302
    else:
        patient_id = clinic.program.patient_id
        assert client.post(f"/patients/{patient_id}/link").status_code == 302
        shown = client.get(f"/patients/{patient_id}/link").get_data(as_text=True)
        clinic.token = re.search(r"/p/([A-Za-z0-9_\-]+)", shown)[1]  # the new link
    clinic.db.expire_all()
    assert given.given_version(clinic.db, clinic.program).version == 2
    page = phone(clinic)
    assert "Wall glide" in page and "Slide your head up the wall, slowly." in page and GIVEN_NAME not in page


def test_an_edit_since_given_is_found_on_either_database(service_db, now):
    """The export's search for programs whose clinic's own exercise was saved since their version
    was started (issuing.renew_changed_papers), and the API's last_given, on SQLite and PostgreSQL."""
    db = service_db
    place = make_clinic(db, "Either Database Clinic")
    patient = make_patient(db, place, "Ana Ruiz")
    own = custom_exercises.create_custom_exercise(db, place.id, words(GIVEN_NAME, GIVEN_STEPS), now)
    program = make_program(db, patient, None, now, start=now.date())
    program_items.add_item(db, program, own, None, now)
    issuing.issue(db, program, None, "print", now)
    db.commit()
    assert paper_state.last_given(db, program) == (1, now, False)
    assert issuing.renew_changed_papers(db, now) == 0
    data = dataclasses.replace(custom_exercises.CustomExerciseData.from_exercise(own), steps=["Slide up slowly."])
    custom_exercises.update_custom_exercise(db, own, data, now + timedelta(hours=1))
    db.commit()
    assert paper_state.last_given(db, program).differs
    assert issuing.renew_changed_papers(db, now + timedelta(hours=1)) == 1
    assert (program.version, program.issued) == (2, False)
