"""The patient's phone shows the version they were given, never an edit the therapist has not given.

After a program is given (printed, emailed, shared), the therapist may change it: a dosage, an
exercise added, removed or moved, a re-evaluation that moves a direction. The paper in the
patient's hands still says the old version, so the phone page, its PDF, the daily email and the
ticks it takes stay with that version (services/given.py) until the therapist prints, emails or
shares again; the builder says which version the phone shows. Told on the demo's Maria Lopez
(Spanish, left torticollis) and Aiko Tanaka (English, writer's cramp of the right hand).
"""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, select

from planner.dosage import in_words
from planner.dystonia.pattern import PatternEntry
from planner.models import Patient, ProgramVersion
from planner.models.portal import ExerciseLog
from planner.services import (
    exercise_reminder_days,
    given,
    home_reports,
    paper_state,
    patient_links,
    patterns,
    portal,
    program_items,
    programs,
    recorded_patterns,
)
from planner.services.catalog import get_exercise
from planner.services.emails import MailSettings, make_composer
from planner.services.outbox import DispatchSettings, dispatch_all
from tests.conftest import CATALOG, login
from tests.handout_world import pages_text
from tests.outbox_world import Kept

WAIT_FOR_CHECK_ES = "Deje de hacer este ejercicio por ahora. Su terapeuta le dará una hoja nueva."
STOP_NOW_ES = "Deje de hacer este ejercicio por ahora."
TURN_RIGHT_ES = "Gire la cabeza a la derecha, en sentido contrario al tirón."
TURN_LEFT_ES = "Gire la cabeza a la izquierda, en sentido contrario al tirón."


@pytest.fixture
def demo(catalog_app, catalog_db, now):
    """The demo clinic, loaded today, with a phone link for each patient and a signed-in therapist."""
    from planner.demo import load_demo

    db = catalog_db
    signed = load_demo(db, now.date(), now, CATALOG, secret_key=catalog_app.secret_key)
    links = {
        p.name: patient_links.create_link(db, p, catalog_app.secret_key, now)[1] for p in db.scalars(select(Patient))
    }
    db.commit()
    client = catalog_app.test_client()
    login(client, signed.email, signed.password)
    return SimpleNamespace(app=catalog_app, db=db, now=now, links=links, client=client)


def program_of(demo, name):
    patient = demo.db.scalars(select(Patient).where(Patient.name == name)).one()
    return programs.programs_of_patient(demo.db, patient.clinic_id, patient.id)[0]


def phone(demo, name) -> str:
    return demo.app.test_client().get(f"/p/{demo.links[name]}").get_data(as_text=True)


def phone_pdf(demo, name) -> str:
    """The phone page's PDF as one line of text ("" when it is refused)."""
    answer = demo.app.test_client().get(f"/p/{demo.links[name]}/handout.pdf")
    return " ".join(" ".join(pages_text(answer.data)).split()) if answer.status_code == 200 else ""


def daily_email(demo, days_on: int) -> str:
    """The text of Maria's daily exercise email (on for her in the demo from tomorrow), `days_on` days from today."""
    mailer = Kept()
    moment = demo.now + timedelta(days=days_on)
    exercise_reminder_days.create_due(demo.db, moment)
    settings = MailSettings(public_url="https://planner.example", secret_key="test", languages=("en", "es"))
    dispatch_all(demo.db, mailer, make_composer(settings), lambda: moment, DispatchSettings(batch_size=10))
    [sent] = [m for m in mailer.sent if m.subject.startswith("Sus ejercicios de hoy")]
    return " ".join(sent.text.split())


def item_named(program, slug):
    return next(i for i in program.items if i.exercise.slug == slug)


def card(page: str, exercise_id: int) -> str:
    """One exercise's card on the phone page."""
    return page.split(f'<li id="exercise-{exercise_id}"')[1].split('<li id="exercise-')[0].split("</ol>\n\n<section")[0]


def give_again(demo, program, how: str) -> None:
    """The therapist gives the program as it is now, by the builder's print or email, or by sharing the link."""
    client = demo.client
    if how == "print":
        assert client.post(f"/programs/{program.id}/handout.pdf").mimetype == "application/pdf"
    elif how == "email":
        assert client.post(f"/programs/{program.id}/email-handout").status_code == 302
    else:
        assert client.post(f"/patients/{program.patient_id}/link").status_code == 302
        shown = client.get(f"/patients/{program.patient_id}/link").get_data(as_text=True)
        demo.links[program.patient.name] = re.search(r"/p/([A-Za-z0-9_\-]+)", shown)[1]  # a new link
    demo.db.expire_all()


def test_an_unchanged_program_reads_the_same_from_its_given_version(demo):
    """For every given demo program, the version the phone reads says what the program says now."""
    for name in ("Maria Lopez", "Aiko Tanaka", "Olga Ivanova"):
        program = program_of(demo, name)
        language = program.patient.language if program.patient.language in ("en", "es") else "en"
        handed = given.given_version(demo.db, program)
        live = patterns.prescribed(program, language, for_patient=True)
        directions = patterns.program_directions(program)
        assert handed is not None and handed.version == program.version
        assert [(i.exercise_id, i.dosage, i.note) for i in handed.items] == [
            (i.exercise_id, i.dosage, i.note) for i in program.items
        ]
        assert [i.prescribed(language).words for i in handed.items] == [live[i.id].words for i in program.items]
        assert [i.direction.mirrored for i in handed.items] == [d.mirrored for d in directions]
        assert paper_state.phone_version(demo.db, program) is None  # the builder has nothing to say


def edit_dosage(demo, program):
    item = program.items[0]
    old = in_words(item.dosage, None, "es")
    program_items.update_item(
        demo.db, program, item.id, {**item.dosage, "repetitions": 12}, "", item.note, None, demo.now
    )
    return old, in_words(item.dosage, None, "es")


def edit_add(demo, program):
    program_items.add_item(demo.db, program, get_exercise(demo.db, program.clinic_id, "shoulder-rolls"), None, demo.now)
    return None, "Círculos con los hombros"


def edit_remove(demo, program):
    item = item_named(program, "belly-breathing-lying")
    program_items.remove_item(demo.db, program, item.id, None, demo.now)
    return "Respiración abdominal boca arriba", None


def edit_reorder(demo, program):
    last = program.items[-1]
    program_items.move_item(demo.db, program, last.id, -5, None, demo.now)  # the last exercise first
    return "order", "order"


# (the edit, how the therapist then gives it); each way of giving is tried once.
EDITS = {
    "dosage": (edit_dosage, "print"),
    "add": (edit_add, "email"),
    "remove": (edit_remove, "share"),
    "reorder": (edit_reorder, "print"),
}


def names_in_order(page: str) -> list[str]:
    return re.findall(r'<span class="num">\d+</span> <bdi[^>]*>([^<]+)</bdi>', page)


def listed(email: str) -> list[str]:
    """The exercises an email lists, in order ("- Name: dosage"): a dash that starts a word, not
    the end of a link's random token ("…/p/x7Q- Recibe este correo…: https://…")."""
    return re.findall(r"(?<!\S)- ([^:]+?): ", email)


@pytest.mark.parametrize("edit", EDITS)
def test_an_edit_reaches_the_phone_its_pdf_and_the_email_only_once_given(demo, edit):
    """In Maria's Spanish: until the therapist gives the edited program, the phone page, its PDF
    and the daily email show the version she holds; once given, the new one."""
    program = program_of(demo, "Maria Lopez")
    page_before = phone(demo, "Maria Lopez")
    change, give = EDITS[edit]
    old, new = change(demo, program)
    demo.db.commit()
    builder = demo.client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert "The patient's phone shows version 1</strong>" in builder  # and why, and until when
    assert "It shows them once you print or email the handout, or share a new link." in builder

    page, pdf, email = phone(demo, "Maria Lopez"), phone_pdf(demo, "Maria Lopez"), daily_email(demo, 1)
    assert page == page_before  # nothing of the edit on the phone
    assert "(versión 1)" in pdf and "(versión 2)" not in pdf
    if edit == "reorder":
        assert names_in_order(page) == names_in_order(page_before)
    for words in [old] if old and old != "order" else []:
        assert words in page and words in pdf and words in email
    for words in [new] if new and new != "order" else []:
        assert words not in page and words not in pdf and words not in email
    assert listed(email) == [n for n in names_in_order(page) if n in listed(email)]  # in the paper's order

    give_again(demo, program, give)
    page, pdf = phone(demo, "Maria Lopez"), phone_pdf(demo, "Maria Lopez")
    assert "(versión 2)" in pdf
    assert given.given_version(demo.db, program).version == 2
    if edit == "dosage":
        assert new in page and new in pdf and old not in card(page, program.items[0].exercise_id)
    if edit == "add":
        assert new in page and new in pdf and new in daily_email(demo, 3)
    if edit == "remove":
        assert old not in page and old not in pdf and old not in daily_email(demo, 3)
    if edit == "reorder":
        assert names_in_order(page) == [*names_in_order(page_before)[-1:], *names_in_order(page_before)[:-1]]
        later = listed(daily_email(demo, 3))  # the days due may differ from day 1's: compare its own list
        assert later and later == [n for n in names_in_order(page) if n in later]
    builder = demo.client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert 'id="phone-version"' not in builder


def test_ticks_follow_the_given_version_and_count_after_the_program_changes(demo):
    """An exercise removed after the paper was given is still ticked and counted until a new
    version is given; one added is not tickable until then. Ticks stay with the days they were
    made: a week's adherence counts each day by the version given by then."""
    db, client = demo.db, demo.app.test_client()
    program = program_of(demo, "Maria Lopez")
    db.execute(delete(ExerciseLog).where(ExerciseLog.program_id == program.id))  # the demo's own ticks
    removed = item_named(program, "belly-breathing-lying")
    removed_id = removed.exercise_id
    program_items.remove_item(db, program, removed.id, None, demo.now)
    added = program_items.add_item(db, program, get_exercise(db, program.clinic_id, "shoulder-rolls"), None, demo.now)
    added_id = added.exercise_id
    db.commit()
    today = demo.now.date()
    link = demo.links["Maria Lopez"]

    def tick(exercise_id: int, day=today):
        return client.post(f"/p/{link}/tick", data={"exercise": exercise_id, "day": day.isoformat(), "time": 1})

    yesterday = today - timedelta(days=1)
    assert tick(removed_id).status_code == 302
    assert tick(removed_id, day=yesterday).status_code == 302
    assert tick(added_id).status_code == 404  # not on her paper: nothing to tick
    page = phone(demo, "Maria Lopez")
    assert "Hoy lo ha hecho 1 de 2 veces." in card(page, removed_id)  # ticked, 2 times a day as given
    assert re.search(r">Hoy ha hecho 1 de \d+ veces\.<", page)  # counted in the day's count
    before = home_reports.adherence(db, program, today)
    assert sum(w.done for w in before) == 2

    give_again(demo, program, "print")  # version 2: no belly breathing, shoulder rolls added
    assert tick(removed_id).status_code == 404 and tick(added_id).status_code == 302
    assert (removed_id, 0) not in portal.day_plan(db, program, today)
    after = home_reports.adherence(db, program, today)
    # Yesterday still counts as version 1 planned it; today is version 2's: its shoulder rolls
    # are ticked, the belly breathing (kept in the log) no longer planned.
    assert sum(w.done for w in after) == 2
    assert sum(w.planned for w in after) == sum(w.planned for w in before)  # today: 2 times out, 2 in


def test_a_re_evaluation_never_shows_the_new_side_before_the_paper(demo):
    """Maria's head now turns to the right. Her paper says to turn right, away from the old pull,
    which is toward the new one: the phone names no new side before a new paper, and asks her to
    wait for her therapist at that exercise. The chin touch's picture starts off to the old pull and
    turns back to the middle, now a turn toward the new pull: it waits too, and shows no picture."""
    from planner.web.catalog.movement import exercise_stills

    db = demo.db
    program = program_of(demo, "Maria Lopez")
    turn = item_named(program, "neck-turn-lying-hold")
    touch = item_named(program, "sensory-trick-chin-touch")
    with demo.app.test_request_context():
        as_given, other = (
            str(exercise_stills(touch.exercise, side, 340, "es", "turned")) for side in ("left", "right")
        )
    page = phone(demo, "Maria Lopez")
    assert TURN_RIGHT_ES in card(page, turn.exercise_id) and as_given in card(page, touch.exercise_id)

    recorded_patterns.record_pattern(
        db, program.patient, PatternEntry({"rotation": "right"}, {"rotation": 2}), demo.now.date(), None, demo.now
    )
    db.commit()
    page, pdf, email = phone(demo, "Maria Lopez"), phone_pdf(demo, "Maria Lopez"), daily_email(demo, 1)
    for said in (page, email):
        assert TURN_LEFT_ES not in said and TURN_RIGHT_ES not in said and WAIT_FOR_CHECK_ES in said
    assert "<svg" not in card(page, turn.exercise_id) and "<form" not in card(page, turn.exercise_id)
    # Both say to stop; the page says the new sheet once, where she reads it first.
    assert page.count("Su terapeuta le dará una hoja nueva") == 1
    assert all(STOP_NOW_ES in card(page, i.exercise_id) for i in (touch, turn))
    assert "<svg" not in card(page, touch.exercise_id)
    assert pdf == ""  # refused (409), as for any exercise that waits; nothing new given
    assert [v.number for v in db.scalars(select(ProgramVersion).where(ProgramVersion.program_id == program.id))] == [1]
    builder = demo.client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert 'id="phone-version"' in builder and 'id="paper-differs"' in builder

    give_again(demo, program, "print")
    page = phone(demo, "Maria Lopez")
    assert TURN_LEFT_ES in card(page, turn.exercise_id) and WAIT_FOR_CHECK_ES not in page
    assert other in card(page, touch.exercise_id)  # the start now off to the right, her new pull
    assert TURN_LEFT_ES in phone_pdf(demo, "Maria Lopez")


def test_a_hand_moved_by_a_re_evaluation_waits_until_printed(demo):
    """Aiko's writer's cramp is now in the left hand: her paper says the right hand. Her phone names
    neither hand for those exercises and asks her to wait for her therapist (its PDF too, refused
    until then); once the therapist prints the new handout, the phone says the left hand."""
    db = demo.db
    program = program_of(demo, "Aiko Tanaka")
    recorded_patterns.record_pattern(
        db, program.patient, PatternEntry(areas=["hand_arm_left"]), demo.now.date(), None, demo.now
    )
    db.commit()
    sided = sum(1 for d in patterns.program_directions(program) if d.side == "left")  # the new hand's exercises
    assert sided >= 3
    page = phone(demo, "Aiko Tanaka")
    assert "right hand" not in page and "left hand" not in page
    # Each of them says to stop; that a new sheet comes is said once, where she reads it first.
    assert page.count("Stop doing this exercise for now.") == sided
    assert page.count("Your therapist will give you a new sheet") == 1
    assert phone_pdf(demo, "Aiko Tanaka") == ""  # refused (409) while an exercise waits
    builder = demo.client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert "The patient's phone shows version 1</strong>" in builder
    give_again(demo, program, "print")
    page, pdf = phone(demo, "Aiko Tanaka"), phone_pdf(demo, "Aiko Tanaka")
    for said in (page, pdf):
        assert said.count("with your left hand") == sided and "right hand" not in said
    assert "(version 2)" in pdf and "Stop doing this exercise" not in page
    assert 'id="phone-version"' not in demo.client.get(f"/programs/{program.id}").get_data(as_text=True)


def test_a_version_frozen_before_the_phone_read_versions_shows_what_it_said(demo):
    """A snapshot frozen by an earlier release lacks the exercise ids, the picture's mirroring, the
    check and the version's date: the page and its PDF come out as from a new one, and an edit
    after it still does not reach the phone."""
    db = demo.db
    program = program_of(demo, "Maria Lopez")
    page, pdf = phone(demo, "Maria Lopez"), demo.app.test_client().get(f"/p/{demo.links['Maria Lopez']}/handout.pdf")
    version = db.scalars(select(ProgramVersion).where(ProgramVersion.program_id == program.id)).one()
    old = {k: v for k, v in version.snapshot.items() if k != "version_date"}
    new_keys = ("exercise_id", "mirrored", "start_posture", "source", "flags", "held")
    old["items"] = [{k: v for k, v in item.items() if k not in new_keys} for item in version.snapshot["items"]]
    version.snapshot = old
    db.commit()
    assert phone(demo, "Maria Lopez") == page
    assert demo.app.test_client().get(f"/p/{demo.links['Maria Lopez']}/handout.pdf").data == pdf.data

    edit_dosage(demo, program)
    db.commit()
    assert phone(demo, "Maria Lopez") == page


def test_a_program_never_given_shows_nothing(demo):
    """Jonas's program was never printed, emailed or shared: his phone shows no exercise, no PDF."""
    program = program_of(demo, "Jonas Berg")
    assert not program.issued and given.given_version(demo.db, program) is None
    page = phone(demo, "Jonas Berg")
    assert "Your therapist has not set up your exercises yet." in page and 'class="exercise' not in page
    assert demo.app.test_client().get(f"/p/{demo.links['Jonas Berg']}/handout.pdf").status_code == 404
    exercise_id = program.items[0].exercise_id
    ticked = demo.app.test_client().post(
        f"/p/{demo.links['Jonas Berg']}/tick", data={"exercise": exercise_id, "day": demo.now.date().isoformat()}
    )
    assert ticked.status_code == 404


def test_fhir_and_the_api_keep_the_given_way_to_move_after_a_re_evaluation(demo):
    """Maria's pull turns to the right. FHIR's active CarePlan keeps her paper's "turn right", on
    hold (her phone asks her to wait); the way the program would now give is a draft beside it;
    the therapist's API shows the new side and says the program differs from version 1."""
    from planner.services import fhir

    db = demo.db
    program = program_of(demo, "Maria Lopez")
    turn = item_named(program, "neck-turn-lying-hold")
    recorded_patterns.record_pattern(
        db, program.patient, PatternEntry({"rotation": "right"}, {"rotation": 2}), demo.now.date(), None, demo.now
    )
    db.commit()
    bundle = fhir.bundle(db, program.patient, demo.now)
    found = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    plans = {r["status"]: r for r in found.values() if r["resourceType"] == "CarePlan"}
    requests = {
        status: next(
            found[a["reference"]["reference"]]
            for a in plan["activity"]
            if turn.exercise.name in str(found[a["reference"]["reference"]]["code"])
        )
        for status, plan in plans.items()
    }
    assert set(plans) == {"active", "draft"}
    assert requests["active"]["patientInstruction"].startswith("Turn your head to the right, away from the pull.")
    assert requests["active"]["status"] == "on-hold" and "until the therapist gives the new sheet" in str(
        requests["active"]["note"]
    )
    assert requests["draft"]["patientInstruction"].startswith("Turn your head to the left, away from the pull.")

    body = demo.client.get(f"/api/v1/programs/{program.id}").get_json()
    [item] = [i for i in body["items"] if i["exercise"]["id"] == "neck-turn-lying-hold"]
    assert item["dosage_words"].startswith("Turn your head to the left")
    assert body["last_given"]["version"] == 1 and body["last_given"]["program_differs"] is True


def test_a_hand_no_longer_recorded_says_the_side_is_not_set_on_the_phone(demo):
    """Aiko's writer's cramp is no longer recorded (a trunk dystonia instead): her hand exercises,
    whose hand followed the pattern, are held back on the phone page: she has been doing them, so
    she is told to stop until the new sheet (trial 13), not to wait before she starts."""
    db = demo.db
    program = program_of(demo, "Aiko Tanaka")
    recorded_patterns.record_pattern(
        db, program.patient, PatternEntry(areas=["trunk"]), demo.now.date(), None, demo.now
    )
    db.commit()
    handed = given.given_version(db, program)
    waiting = [i for i in handed.items if i.wait]
    assert waiting and {i.prescribed().words for i in waiting} == {
        "Stop doing this exercise for now. Your therapist will give you a new sheet for it."
    }
    page = phone(demo, "Aiko Tanaka")
    assert "Your therapist will give you a new sheet for it." in page and "Please wait before you start" not in page
