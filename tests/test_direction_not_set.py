"""A direction-specific exercise reaches the patient with its side, or not at all.

An exercise added before the patient's pattern for its movement was recorded takes the side the
pattern gives once it is recorded, with no further step. Until a side can be known, nothing tells
the patient a way to move without its side: the builder says why no handout can be made and how
to fix it; printing, emailing, the phone page's PDF, the command line, the export and the
patient's data export make none; the phone page and the API say to wait.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from planner.dystonia.pattern import PatternEntry
from planner.handouts.styles import HandoutOptions
from planner.models import OutboxMessage, ProgramVersion
from planner.services import (
    api_tokens,
    patient_export,
    patient_links,
    patterns,
    program_items,
    programs,
    recorded_patterns,
)
from planner.services.catalog import get_exercise
from tests.conftest import login
from tests.factories import give, make_clinic, make_patient, make_user
from tests.handout_world import pages_text
from tests.outbox_world import Kept

NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)
WAIT = "Please wait before you start this exercise. The way to move is not set yet."
WAIT_ES = "Espere antes de empezar este ejercicio. Aún no está indicado hacia qué lado moverse."
# On the sheet she holds, a way to move the pattern no longer gives: she has been doing it, so the
# phone tells her to stop until the new sheet (trial 13), not to wait before she starts.
STOP_ES = "Deje de hacer este ejercicio por ahora. Su terapeuta le dará una hoja nueva."
STOP_NOW_ES = "Deje de hacer este ejercicio por ahora."  # once the page has said the new sheet
# Names from several scripts: the patient, and a title typed in Chinese and Arabic.
TITLE = "颈部练习 · تمارين الرقبة"


@pytest.fixture
def world(catalog_app, catalog_db):
    """Olga has no pattern recorded yet; her program turns and tips the head, and tucks the chin."""
    db = catalog_db
    clinic = make_clinic(db, "Κλινική Αθηνών")
    user = make_user(db, clinic)
    patient = make_patient(db, clinic, "Ольга Петрова", email="olga@example.org", language="es")
    program = programs.create_program(db, patient, programs.ProgramDetails(TITLE, date(2026, 11, 1)), user.id, NOW)
    for slug in ("head-midline-away-from-pull", "neck-side-stretch", "chin-tuck-sitting"):
        program_items.add_item(db, program, get_exercise(db, clinic.id, slug), None, NOW)
    _, link = patient_links.create_link(db, patient, catalog_app.secret_key, NOW)
    db.commit()
    client = catalog_app.test_client()
    login(client, user.email)
    return SimpleNamespace(
        db=db, app=catalog_app, clinic=clinic, user=user, patient=patient, program=program, link=link, client=client
    )


def record(world, entry: PatternEntry, day: date = date(2026, 11, 20)) -> None:
    recorded_patterns.record_pattern(world.db, world.patient, entry, day, world.user.id, NOW)
    world.db.commit()


LEFT_TURN_AND_TILT = PatternEntry({"rotation": "left", "tilt": "left"}, {"rotation": 2, "tilt": 1})


def test_without_a_side_no_handout_leaves_and_the_builder_says_how_to_fix_it(world, tmp_path):
    db, client, program = world.db, world.client, world.program
    builder = client.get(f"/programs/{program.id}").get_data(as_text=True)
    note = builder.split('id="directions-not-set"')[1].split("</div>")[0]
    assert "“Slow head turn and hold” and “Side of neck stretch” have no direction" in note
    assert "Record the rotation (torticollis) and tilt (laterocollis) in the patient&#39;s dystonia pattern" in note
    assert "choose a direction at each exercise" in note and "Chin tuck" not in note
    assert f'href="/patients/{world.patient.id}/pattern' in note

    # Print: back to the builder, no PDF and no version given.
    printed = client.post(f"/programs/{program.id}/handout.pdf")
    assert printed.status_code == 302 and printed.location.endswith(f"/programs/{program.id}#directions-not-set")
    assert "No handout was printed: see why just below." in client.get(printed.location).get_data(as_text=True)
    # Email: refused at the builder, nothing queued.
    emailed = client.post(f"/programs/{program.id}/email-handout", follow_redirects=True)
    assert "No email was sent: see why just below." in emailed.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    db.expire_all()
    assert not program.issued
    assert db.scalar(select(func.count()).select_from(ProgramVersion)) == 0

    # The command line: an error naming the exercises, no file.
    out = tmp_path / "handout.pdf"
    result = world.app.test_cli_runner().invoke(args=["handout", str(program.id), "-o", str(out)])
    assert result.exit_code != 0 and "“Slow head turn and hold” and “Side of neck stretch”" in result.output
    assert not out.exists()
    # The export of every program: this one left out, and named.
    exported = world.app.test_cli_runner().invoke(args=["handouts", "export", str(tmp_path / "all")])
    assert exported.exit_code == 0 and "Wrote 0 handouts" in exported.stdout
    assert f"Program {program.id}: no handout written." in exported.stderr
    assert not list((tmp_path / "all").iterdir())
    # The patient's own data export: no handout of it, and the README says why (never given: the
    # export holds only what the patient was given, docs/what-was-given.md).
    assert f"No handout yet for “{TITLE}”: your therapist has not given it to you yet." in exported_readme(world)
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(ProgramVersion)) == 0


def exported_readme(world) -> str:
    """The README of the patient's data export, which holds no handout."""
    data = patient_export.export_zip(world.db, world.patient, NOW, HandoutOptions())
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert not [n for n in z.namelist() if n.endswith(".pdf")]
        return z.read("README.txt").decode()


def given_then_no_pull(world):
    """Given while the pattern set both sides; then a re-evaluation finds no head pull: the items
    that followed the pattern have no side now, on a program the patient holds."""
    record(world, LEFT_TURN_AND_TILT, date(2026, 11, 10))
    give(world.db, world.program, NOW)
    record(world, PatternEntry(note="No head pull today."), date(2026, 11, 20))


def test_the_phone_page_and_the_api_say_to_wait_never_a_way_without_its_side(world):
    program, db = world.program, world.db
    given_then_no_pull(world)
    page = world.app.test_client().get(f"/p/{world.link}").get_data(as_text=True)
    turn, stretch, tuck = (i.exercise_id for i in program.items)
    for exercise_id, said in ((turn, STOP_ES), (stretch, STOP_NOW_ES)):  # the new sheet said once, first
        part = page.split(f'id="exercise-{exercise_id}"')[1].split('<li id="exercise-')[0]
        assert f'<p class="dosage waiting">{said}</p>' in part  # in her Spanish
        assert "<svg" not in part and "<form" not in part  # no picture of a way, nothing to tick
    assert "en sentido contrario al tirón" not in page  # no "away from the pull" without its side
    # only the chin tuck is to be done, 2 times a day
    assert 'id="count" role="status">Hoy ha hecho 0 de 2 veces.' in page
    assert "handout.pdf" not in page
    # Asked for all the same: a page that says why, never a PDF without the exercise.
    refused = world.app.test_client().get(f"/p/{world.link}/handout.pdf")
    assert refused.status_code == 409 and refused.mimetype == "text/html"
    said = refused.get_data(as_text=True)
    assert "Su hoja de ejercicios aún no está lista" in said and f'href="/p/{world.link}"' in said

    _, token = api_tokens.create_token(db, world.user, "Directions", NOW)
    db.commit()
    answer = world.client.get(f"/api/v1/programs/{program.id}", headers={"Authorization": f"Bearer {token}"}).json
    said = [(i["side"], i["direction_set"], i["dosage_words"]) for i in answer["items"]]
    assert said[:2] == [("", False, WAIT), ("", False, WAIT)]
    assert said[2][1] is True and said[2][2].startswith("Hold for")
    # Her data export: the paper she was given names a way the pattern no longer gives, so none.
    assert f"No handout yet for “{TITLE}”: the clinic has not set which way to move" in exported_readme(world)


def test_no_link_is_shared_while_the_program_on_the_phone_has_a_direction_unset(world):
    """As print and email: the builder says it cannot be shared yet, so making the link says why."""
    from planner.models import PatientLink

    given_then_no_pull(world)
    links = world.db.scalar(select(func.count()).select_from(PatientLink))
    made = world.client.post(f"/patients/{world.patient.id}/link")
    assert made.status_code == 302 and made.location.endswith(f"/programs/{world.program.id}#directions-not-set")
    builder = world.client.get(made.location).get_data(as_text=True)
    assert "No link was made: see why just below." in builder and 'id="directions-not-set"' in builder
    assert world.db.scalar(select(func.count()).select_from(PatientLink)) == links


def test_when_the_only_exercise_waits_the_phone_page_says_so_not_0_of_0(world):
    program, db = world.program, world.db
    for item in list(program.items)[1:]:  # only "Slow head turn and hold" is given, then has no side
        program_items.remove_item(db, program, item.id, None, NOW)
    db.commit()
    given_then_no_pull(world)
    page = world.app.test_client().get(f"/p/{world.link}").get_data(as_text=True)
    count = page.split('id="count" role="status">')[1].split("</p>")[0]
    # In her Spanish: nothing to do, and the new sheet said there, where she reads first; the card only says to stop.
    assert count == "Por ahora no hay nada que hacer. Su terapeuta le dará una hoja nueva."
    assert "0 de 0" not in page and f'<p class="dosage waiting">{STOP_NOW_ES}</p>' in page


def test_a_pattern_recorded_later_gives_the_side_with_no_further_step(world):
    program, client = world.program, world.client
    record(world, LEFT_TURN_AND_TILT)

    builder = client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert 'id="directions-not-set"' not in builder
    assert (
        "direction from the pattern</button>" not in builder and "directions from the pattern</button>" not in builder
    )
    assert '<option selected value="">Pattern: Right</option>' in builder
    assert "Turn your head to the right, away from the pull." in builder

    pdf = client.post(f"/programs/{program.id}/handout.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = " ".join(pages_text(pdf.data))
    assert "Gire la cabeza a la derecha, en sentido contrario al tirón." in text
    assert "Incline la cabeza hacia el hombro derecho, en sentido contrario al tirón." in text
    page = world.app.test_client().get(f"/p/{world.link}").get_data(as_text=True)
    assert "Gire la cabeza a la derecha, en sentido contrario al tirón." in page and WAIT_ES not in page

    # Given to the patient: the frozen version keeps the side printed; the items keep none of
    # their own, so a re-evaluation moves them, and the builder says the paper now differs.
    world.db.expire_all()
    assert [i.side for i in program.items] == ["", "", ""]
    version = world.db.scalars(select(ProgramVersion)).one()
    assert [i["side"] for i in version.snapshot["items"]] == ["right", "right", ""]
    right = PatternEntry({"rotation": "right", "tilt": "right"}, {"rotation": 2, "tilt": 2})
    record(world, right, date(2026, 11, 21))
    turn = patterns.program_directions(program)[0]
    assert (turn.side, turn.source, [w.kind for w in turn.warnings]) == ("left", "pattern", [])
    # The phone keeps the paper's side until a new paper is given; that side now trains toward the
    # pull, so the patient is told to stop it until the new sheet, never given the new side first.
    page = world.app.test_client().get(f"/p/{world.link}").get_data(as_text=True)
    assert "Gire la cabeza a la izquierda" not in page and "hacia el tirón" not in page
    assert STOP_ES in page
    builder = client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert 'id="paper-differs"' in builder
    assert "the paper says right; the pattern now gives left" in builder
    assert "Direction set by you" not in builder
    # Printing again gives a new version with the new side, not the old frozen copy.
    assert client.post(f"/programs/{program.id}/handout.pdf").status_code == 200
    world.db.expire_all()
    versions = world.db.scalars(select(ProgramVersion).order_by(ProgramVersion.number)).all()
    assert [(v.number, v.snapshot["items"][0]["side"]) for v in versions] == [(1, "right"), (2, "left")]
    page = world.app.test_client().get(f"/p/{world.link}").get_data(as_text=True)
    assert "Gire la cabeza a la izquierda, en sentido contrario al tirón." in page and "hacia el tirón" not in page
    assert versions[1].snapshot["items"][1]["side"] == "left"
    builder = client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert 'id="paper-differs"' not in builder


def test_the_export_freezes_the_side_it_printed_in_the_version_only(world, tmp_path):
    program = world.program
    record(world, LEFT_TURN_AND_TILT)
    result = world.app.test_cli_runner().invoke(args=["handouts", "export", str(tmp_path), "--workers", "1"])
    assert result.exit_code == 0 and f"Wrote 1 handout to {tmp_path} in " in result.output, result.output
    world.db.expire_all()
    assert [i.side for i in program.items] == ["", "", ""]  # they go on following the pattern
    version = world.db.scalars(select(ProgramVersion)).one()
    assert [i["side"] for i in version.snapshot["items"]] == ["right", "right", ""]


def test_a_queued_handout_email_waits_while_a_direction_is_unset(world):
    """Queued with every side known; then a head tilt is added before its pattern is recorded. At
    send time no PDF is made: the row is retried with the reason, and goes once the pattern is in."""
    from planner.services import outbox
    from planner.services.emails import MailSettings, make_composer
    from planner.services.outbox import DispatchSettings, dispatch_due

    db, program = world.db, world.program
    program_items.remove_item(db, program, program.items[1].id, None, NOW)  # the tilt goes for now
    record(world, PatternEntry({"rotation": "left"}, {"rotation": 2}))
    row = outbox.queue_handout_email(db, program, world.user, NOW)
    program_items.add_item(db, program, get_exercise(db, program.clinic_id, "neck-side-stretch"), None, NOW)
    db.commit()
    mail = MailSettings("Clinic <planner@clinic.example>", "planner.local", "https://planner.example")
    settings = DispatchSettings(max_attempts=3, retry_base_seconds=60, retry_max_seconds=3600)
    kept = Kept()
    dispatch_due(db, kept, make_composer(mail), NOW, settings)
    db.refresh(row)
    assert not kept.sent and row.status == "pending"
    assert "“Side of neck stretch” is made for a pull of tilt (laterocollis)" in row.last_error

    record(world, LEFT_TURN_AND_TILT, date(2026, 11, 21))
    dispatch_due(db, kept, make_composer(mail), NOW + timedelta(hours=2), settings)
    db.refresh(row)
    assert row.status == "sent" and len(kept.sent) == 1


@pytest.mark.parametrize(
    "chosen, label",
    [
        ("", "Direction from the recorded pattern."),
        # The same side as the pattern's, chosen: still the therapist's, and it stays if the pattern changes.
        ("right", "Direction set by you: right, as the recorded pattern gives now. It stays right if the pattern"),
        ("left", "Direction set by you: left. The recorded pattern gives right."),
    ],
    ids=["following the pattern", "chosen, same as the pattern", "chosen, other side"],
)
def test_the_builder_says_who_chose_the_side_not_whether_the_sides_agree(world, chosen, label):
    program, client = world.program, world.client
    record(world, LEFT_TURN_AND_TILT)
    item = program.items[0]  # Slow head turn and hold: the pattern gives right
    program_items.update_item(world.db, program, item.id, dict(item.dosage), chosen, "", None, NOW)
    world.db.commit()
    builder = client.get(f"/programs/{program.id}").get_data(as_text=True)
    shown = builder.split(f'id="item-{item.id}"')[1].split('class="direction-source">')[1].split("</p>")[0]
    assert " ".join(shown.split()) == label or " ".join(shown.split()).startswith(label)
    # Only sides chosen where the pattern gives one are offered to follow it again.
    offered = "direction set by you follow the pattern</button>" in builder
    assert offered is bool(chosen)


@pytest.mark.parametrize(
    "entry, message",
    [
        (
            None,
            "Needs the tilt (laterocollis) of the pattern, which is not recorded: record the pattern or choose the side.",
        ),
        # Recorded without a tilt: no side to choose; remove it, or record the tilt the pattern misses.
        (
            PatternEntry({"rotation": "left"}, {"rotation": 2}),
            "Made for a pull of tilt (laterocollis), which the recorded pattern does not have. "
            "Remove it, or record that pull.",
        ),
    ],
    ids=["no pattern", "tilt not present"],
)
def test_a_movement_missing_from_the_pattern_is_named_with_the_right_advice(world, entry, message):
    if entry is not None:
        record(world, entry)
    tilt = patterns.program_directions(world.program)[1]  # Side of neck stretch
    assert [w.message for w in tilt.warnings] == [message]
    builder = world.client.get(f"/programs/{world.program.id}").get_data(as_text=True)
    assert message in builder


def test_a_copy_follows_the_other_patients_pattern(world):
    """A direction chosen for one patient's pattern is not the other's: the copy follows theirs;
    a limb exercise keeps its side."""
    db, program = world.db, world.program
    record(world, LEFT_TURN_AND_TILT)
    mirror = program.items[0]
    program_items.update_item(db, program, mirror.id, dict(mirror.dosage), "right", "", None, NOW)
    program_items.add_item(
        db, program, get_exercise(db, world.patient.clinic_id, "arm-lift-side-sitting"), None, NOW, side="left"
    )
    other = make_patient(db, world.clinic, "محمد الأحمد")
    recorded_patterns.record_pattern(
        db,
        other,
        PatternEntry({"rotation": "right", "tilt": "right"}, {"rotation": 1, "tilt": 1}),
        date(2026, 11, 20),
        None,
        NOW,
    )
    copy = programs.copy_to_patient(db, program, other, None, NOW)
    db.commit()
    assert [i.side for i in copy.items] == ["", "", "", "left"]
    assert [d.side for d in patterns.program_directions(copy)] == ["left", "left", "", "left"]
    assert [d.source for d in patterns.program_directions(copy)][:2] == ["pattern", "pattern"]


@pytest.mark.parametrize("way", ["print", "handout command", "handouts export"])
def test_a_given_program_whose_directions_changed_is_given_again_as_a_new_version(world, tmp_path, way):
    """Printed with the head turning left; re-evaluated turning right. Every way a handout leaves
    (the builder's print, `flask handout`, `flask handouts export`) records version 2 with the
    new side, and the paper names version 2; nothing changed since, no third version."""
    program, client = world.program, world.client
    record(world, LEFT_TURN_AND_TILT)
    assert client.post(f"/programs/{program.id}/handout.pdf").status_code == 200  # version 1, given
    record(world, PatternEntry({"rotation": "right", "tilt": "right"}, {"rotation": 2, "tilt": 2}), date(2026, 11, 21))

    def give() -> str:
        if way == "print":
            return " ".join(pages_text(client.post(f"/programs/{program.id}/handout.pdf").data))
        runner = world.app.test_cli_runner()
        if way == "handout command":
            out = tmp_path / "one.pdf"
            result = runner.invoke(args=["handout", str(program.id), "-o", str(out)])
        else:
            result = runner.invoke(args=["handouts", "export", str(tmp_path / "all"), "--workers", "1"])
            out = max((tmp_path / "all").glob(f"program-{program.id}-v*.pdf"))
        assert result.exit_code == 0, result.output
        return out.name + " " + " ".join(pages_text(out.read_bytes()))

    paper = give()
    world.db.expire_all()
    versions = world.db.scalars(select(ProgramVersion).order_by(ProgramVersion.number)).all()
    assert [(v.number, v.snapshot["items"][0]["side"]) for v in versions] == [(1, "right"), (2, "left")]
    assert "(versión 2)" in paper and "Gire la cabeza a la izquierda, en sentido contrario al tirón." in paper
    if way == "handouts export":
        assert paper.startswith(f"program-{program.id}-v2.pdf")
    give()  # nothing changed since: the same version 2
    world.db.expire_all()
    assert world.db.scalar(select(func.count()).select_from(ProgramVersion)) == 2
