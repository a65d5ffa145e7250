"""A handout with exercises the patient's pattern flags goes out once the therapist has checked them.

The builder warns at an exercise that is contraindicated for the recorded pattern or trains
toward the pull. Printing, emailing, sharing the phone link and `flask handout` then ask the
therapist to confirm once, naming those exercises; the program keeps the confirmation and the
audit log records it on every path. Until then the patient's own paths (the phone page, its PDF,
the reminder email, `handouts export`) hold those exercises back. Nothing is blocked for good:
the therapist's clinical judgement decides; the step only makes it deliberate.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from html import unescape
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from planner.dystonia.pattern import PatternEntry
from planner.models import AuditEntry, OutboxMessage, ProgramVersion
from planner.services import issuing, patient_links, patterns, program_items, programs, recorded_patterns
from planner.services.catalog import get_exercise
from tests.conftest import login
from tests.factories import make_clinic, make_patient, make_user

NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)
CHIN_NOD = "Chin nod with a small head lift, lying"
TURN = "Slow head turn and hold"

# (pattern, exercises, the side the therapist chose for the first one, what the check page names)
CASES = {
    "contraindicated": (
        PatternEntry(severities={"flexion": 2}),
        ("chin-nod-head-lift", "belly-breathing-lying"),
        "",
        f"{CHIN_NOD}: Not for flexion (anterocollis)",
    ),
    "toward the pull": (
        PatternEntry({"rotation": "left"}, {"rotation": 2}),
        ("head-midline-away-from-pull", "belly-breathing-lying"),
        "left",
        f"{TURN}: Trains toward the pull: the pattern gives right.",
    ),
}


def world_for(app, db, case):
    entry, slugs, side, _ = CASES[case]
    clinic = make_clinic(db, "Clínica Ñandú")
    user = make_user(db, clinic)
    patient = make_patient(db, clinic, "Zoë Ἀλεξάνδρα", email="zoe@example.org")
    recorded_patterns.record_pattern(db, patient, entry, date(2026, 11, 1), user.id, NOW)
    program = programs.create_program(
        db, patient, programs.ProgramDetails("颈部 · الرقبة", date(2026, 11, 1)), user.id, NOW
    )
    for n, slug in enumerate(slugs):
        program_items.add_item(db, program, get_exercise(db, clinic.id, slug), None, NOW, side=side if n == 0 else "")
    db.commit()
    client = app.test_client()
    login(client, user.email)
    return SimpleNamespace(db=db, client=client, program=program, patient=patient)


def text(response):
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", response.get_data(as_text=True))))


def key_of(response):
    return re.search(r'name="checked" value="([0-9a-f]{16})"', response.get_data(as_text=True))[1]


def audit_details(db, action):
    return db.scalars(select(AuditEntry.detail).where(AuditEntry.action == action)).all()


@pytest.mark.parametrize("case", CASES)
def test_print_asks_once_naming_the_flagged_exercises_and_the_audit_says_they_were_checked(
    catalog_app, catalog_db, case
):
    w = world_for(catalog_app, catalog_db, case)
    # Trial 10: the builder says before printing that the flagged exercise will be held back.
    builder = w.client.get(f"/programs/{w.program.id}").get_data(as_text=True)
    assert builder.count("Held back: printing, emailing or sharing asks you to confirm this exercise first") == 1
    url = f"/programs/{w.program.id}/handout.pdf"
    asked = w.client.post(url)
    assert asked.status_code == 200 and asked.mimetype == "text/html"
    said = text(asked)
    assert CASES[case][3] in said and "Belly breathing" not in said
    assert "I have checked this exercise for this patient." in said
    assert '<form method="post" action="' + url + '"' in asked.get_data(as_text=True)  # no JavaScript needed
    assert w.db.scalar(select(func.count()).select_from(ProgramVersion)) == 0  # nothing given yet

    key = key_of(asked)
    unticked = w.client.post(url, data={"checked": key})
    assert unticked.status_code == 422
    assert "Tick the box to confirm you have checked these exercises for this patient." in text(unticked)

    printed = w.client.post(url, data={"checked": key, "confirm": "yes"})
    assert printed.status_code == 200 and printed.mimetype == "application/pdf"
    name = CASES[case][3].split(":")[0]
    assert audit_details(w.db, "print") == [f"handout, version 1; checked for this patient: “{name}”"]


def test_a_change_after_the_check_asks_again(catalog_app, catalog_db):
    w = world_for(catalog_app, catalog_db, "contraindicated")
    url = f"/programs/{w.program.id}/handout.pdf"
    key = key_of(w.client.post(url))
    program_items.add_item(w.db, w.program, get_exercise(w.db, w.program.clinic_id, "head-curl-lying"), None, NOW)
    w.db.commit()
    again = w.client.post(url, data={"checked": key, "confirm": "yes"})
    assert again.mimetype == "text/html" and again.status_code == 200  # asked afresh, no error shown
    assert "Head curl lying down" in text(again) and "Tick the box" not in text(again)


def test_a_program_nothing_flags_prints_at_once(catalog_app, catalog_db):
    w = world_for(catalog_app, catalog_db, "contraindicated")
    program_items.remove_item(w.db, w.program, w.program.items[0].id, None, NOW)
    w.db.commit()
    printed = w.client.post(f"/programs/{w.program.id}/handout.pdf")
    assert printed.mimetype == "application/pdf"
    assert audit_details(w.db, "print") == ["handout, version 1"]


def test_email_asks_once_then_sends(catalog_app, catalog_db):
    w = world_for(catalog_app, catalog_db, "toward the pull")
    url = f"/programs/{w.program.id}/email-handout"
    asked = w.client.post(url)
    assert asked.status_code == 200 and f"{TURN}: Trains toward the pull" in text(asked)
    assert f'<form method="post" action="{url}"' in asked.get_data(as_text=True)
    assert w.db.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    w.client.post(url, data={"checked": key_of(asked), "confirm": "yes"})
    assert w.db.scalar(select(func.count()).select_from(OutboxMessage)) == 1
    assert audit_details(w.db, "email") == [f"handout; checked for this patient: “{TURN}”"]


def test_the_command_line_needs_checked(catalog_app, catalog_db, tmp_path):
    w = world_for(catalog_app, catalog_db, "contraindicated")
    out = tmp_path / "handout.pdf"
    runner = catalog_app.test_cli_runner()
    refused = runner.invoke(args=["handout", str(w.program.id), "-o", str(out)])
    assert refused.exit_code != 0 and not out.exists()
    assert f"flags “{CHIN_NOD}”" in refused.output and "run again with --checked" in refused.output
    written = runner.invoke(args=["handout", str(w.program.id), "-o", str(out), "--checked"])
    assert written.exit_code == 0 and out.read_bytes().startswith(b"%PDF")
    # The check is kept, and the audit says it was given on the command line.
    assert audit_details(w.db, "print") == [f"command line: handout, version 1; checked for this patient: “{CHIN_NOD}”"]
    w.db.expire_all()  # the command saved it in its own session
    assert patterns.unchecked_items(w.program) == []
    exported = runner.invoke(args=["handouts", "export", str(tmp_path / "all")])
    assert exported.exit_code == 0 and "no handout written" not in exported.stderr
    assert (tmp_path / "all" / f"program-{w.program.id}-v1.pdf").exists()


def test_the_export_holds_back_a_program_not_checked(catalog_app, catalog_db, tmp_path):
    """`handouts export` has no one to ask: a program with unchecked flagged exercises is left out,
    and the command says how to write it once checked."""
    w = world_for(catalog_app, catalog_db, "contraindicated")
    exported = catalog_app.test_cli_runner().invoke(args=["handouts", "export", str(tmp_path / "all")])
    assert exported.exit_code == 0 and list((tmp_path / "all").iterdir()) == []
    assert (
        f"Program {w.program.id}: no handout written. The patient's dystonia pattern flags “{CHIN_NOD}”. "
        f"Check them, then write it with: flask handout {w.program.id} -o FILE --checked"
    ) in exported.stderr
    assert w.db.scalar(select(func.count()).select_from(ProgramVersion)) == 0  # not given


def test_the_export_names_a_flagged_program_once_even_where_its_handout_cannot_be_made(
    catalog_app, catalog_db, tmp_path, monkeypatch
):
    """A flagged program is left out for the therapist's check before its handout is made: a
    handout that could not be made as well is not named a second time as a fault (note15)."""
    from planner.handouts import build

    w = world_for(catalog_app, catalog_db, "contraindicated")
    monkeypatch.setattr(build, "render", lambda content, options: [][0])  # every layout fails
    exported = catalog_app.test_cli_runner().invoke(
        args=["handouts", "export", str(tmp_path / "all"), "--workers", "1"]
    )
    named = [line for line in exported.stderr.splitlines() if line.startswith(f"Program {w.program.id}:")]
    assert named == [
        f"Program {w.program.id}: no handout written. The patient's dystonia pattern flags “{CHIN_NOD}”. "
        f"Check them, then write it with: flask handout {w.program.id} -o FILE --checked"
    ], exported.stderr
    assert exported.exit_code == 0 and "could not be made" not in exported.output


# ---- the patient's own paths: the phone link shared, the phone page, its PDF -------------------

WAIT_FOR_CHECK = "Please wait before you start this exercise. Your therapist will check it first."


def given_unchecked(app, db, case):
    """A program given to the patient before any check was kept (as every program given before
    this release), with its phone link: the patient's paths must hold the flagged exercise back."""

    w = world_for(app, db, case)
    issuing.issue(db, w.program, None, "print", NOW)
    _, w.token = patient_links.create_link(db, w.patient, app.secret_key, NOW)
    db.commit()
    return w


def exercise_part(page, item):
    return page.split(f'id="exercise-{item.exercise_id}"')[1].split("</li>")[0]


@pytest.mark.parametrize("case", CASES)
def test_the_phone_page_and_its_pdf_hold_an_unchecked_exercise_back(catalog_app, catalog_db, case):
    w = given_unchecked(catalog_app, catalog_db, case)
    flagged, other = w.program.items
    page = w.client.get(f"/p/{w.token}").get_data(as_text=True)
    assert WAIT_FOR_CHECK in exercise_part(page, flagged)
    assert "<svg" not in exercise_part(page, flagged) and 'name="exercise"' not in exercise_part(page, flagged)
    assert "<svg" in exercise_part(page, other)  # the rest is there to do
    assert "Download my handout" not in page
    pdf = w.client.get(f"/p/{w.token}/handout.pdf")
    assert pdf.status_code == 409 and "Your handout is not ready yet" in text(pdf)


@pytest.mark.parametrize("case", CASES)
def test_sharing_the_link_asks_once_then_the_patient_sees_it_all(catalog_app, catalog_db, case):
    from planner.models import PatientLink

    w = given_unchecked(catalog_app, catalog_db, case)
    links = w.db.scalar(select(func.count()).select_from(PatientLink))
    url = f"/patients/{w.patient.id}/link"
    asked = w.client.post(url)
    assert asked.status_code == 200 and CASES[case][3] in text(asked)
    assert f'<form method="post" action="{url}"' in asked.get_data(as_text=True) and "Make the link" in text(asked)
    assert w.db.scalar(select(func.count()).select_from(PatientLink)) == links  # no new link yet
    unticked = w.client.post(url, data={"checked": key_of(asked)})
    assert unticked.status_code == 422 and "Tick the box" in text(unticked)

    made = w.client.post(url, data={"checked": key_of(asked), "confirm": "yes"})
    assert made.status_code == 302
    name = CASES[case][3].split(":")[0]
    assert audit_details(w.db, "share") == [
        f"link replaced; program {w.program.id}, version 1; checked for this patient: “{name}”"
    ]
    token = made_token(w)
    page = w.client.get(f"/p/{token}").get_data(as_text=True)
    assert WAIT_FOR_CHECK not in page and "Download my handout" in page
    assert "<svg" in exercise_part(page, w.program.items[0])
    assert w.client.get(f"/p/{token}/handout.pdf").mimetype == "application/pdf"
    # Printing the program as it is asks no more: the check is on record, and the audit says so.
    printed = w.client.post(f"/programs/{w.program.id}/handout.pdf")
    assert printed.mimetype == "application/pdf"
    assert audit_details(w.db, "print") == [f"handout, version 1; checked for this patient: “{name}”"]


def made_token(w):
    """The new link's token, as the link page shows it."""
    shown = w.client.get(f"/patients/{w.patient.id}/link").get_data(as_text=True)
    return re.search(r"/p/([A-Za-z0-9_\-]+)", shown)[1]


def test_a_change_after_the_check_holds_it_back_again(catalog_app, catalog_db):
    """The check is for the program as it was: a change (here to another exercise's dosage)
    holds the flagged exercises back until the therapist checks again."""
    w = given_unchecked(catalog_app, catalog_db, "contraindicated")
    key = key_of(w.client.post(f"/patients/{w.patient.id}/link"))
    w.client.post(f"/patients/{w.patient.id}/link", data={"checked": key, "confirm": "yes"})
    w.db.expire_all()  # saved by the request's own session
    assert patterns.unchecked_items(w.program) == []
    other = w.program.items[1]
    more = {**other.dosage, "times_per_day": 1 + (other.dosage.get("times_per_day") or 1) % 2}  # 1 <-> 2
    program_items.update_item(w.db, w.program, other.id, more, "", "", None, NOW)
    w.db.commit()
    assert [f.item.exercise.name for f in patterns.unchecked_items(w.program)] == [CHIN_NOD]


def test_the_api_says_which_exercise_waits_for_the_check(catalog_app, catalog_db):
    w = given_unchecked(catalog_app, catalog_db, "toward the pull")
    items = w.client.get(f"/api/v1/programs/{w.program.id}").get_json()["items"]
    assert [i["checked"] for i in items] == [False, True]
    key = key_of(w.client.post(f"/patients/{w.patient.id}/link"))
    w.client.post(f"/patients/{w.patient.id}/link", data={"checked": key, "confirm": "yes"})
    assert [i["checked"] for i in w.client.get(f"/api/v1/programs/{w.program.id}").get_json()["items"]] == [True, True]


def test_the_patients_data_export_holds_the_unchecked_handout_back_and_says_why(catalog_app, catalog_db):
    import io
    import zipfile

    from planner.handouts.styles import HandoutOptions
    from planner.services import patient_export

    w = given_unchecked(catalog_app, catalog_db, "contraindicated")

    def exported() -> tuple[list[str], str]:
        data = patient_export.export_zip(w.db, w.patient, NOW, HandoutOptions())
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return [n for n in z.namelist() if n.endswith(".pdf")], z.read("README.txt").decode()

    pdfs, readme = exported()
    assert pdfs == [] and "an exercise waits for your therapist to check it." in readme
    patterns.confirm_checked(w.program, patterns.flagged_items(w.program))
    w.db.commit()
    pdfs, readme = exported()
    assert len(pdfs) == 1 and "check it" not in readme


# ---- one rule: the builder's line, the check before printing and the phone's "wait" agree ------

GIVEN_ON = datetime(2026, 11, 10, 9, tzinfo=UTC)
ROTATION_LEFT = PatternEntry({"rotation": "left"}, {"rotation": 2})
RIGHT_HAND = PatternEntry(areas=("hand_arm_right",))
NO_ROTATION = PatternEntry(severities={"flexion": 2})

# Each kind of warning at an exercise, as a therapist meets it:
# (the pattern the program was given under, the pattern recorded since (None: the same),
#  the exercise, the side set on it, saved by an earlier release to confirm, checked already,
#  whether the pattern flags it: held back in the builder, asked about before printing, "wait"
#  on the phone page).
KINDS = {
    "contraindicated": (NO_ROTATION, None, "chin-nod-head-lift", "", False, False, True),
    "contraindicated, checked": (NO_ROTATION, None, "chin-nod-head-lift", "", False, True, True),
    "toward_pull": (ROTATION_LEFT, None, "head-midline-away-from-pull", "left", False, False, True),
    "toward_pull, checked": (ROTATION_LEFT, None, "head-midline-away-from-pull", "left", False, True, True),
    # a re-evaluation since takes away the pull the exercise's side followed
    "needs_pattern": (ROTATION_LEFT, NO_ROTATION, "head-midline-away-from-pull", "", False, False, False),
    # a re-evaluation since no longer records the hand the exercise's side followed
    "needs_side": (RIGHT_HAND, ROTATION_LEFT, "finger-spread", "", False, False, False),
    "confirm_side": (ROTATION_LEFT, None, "head-midline-away-from-pull", "right", True, False, False),
    "other_hand": (RIGHT_HAND, None, "finger-spread", "left", False, False, False),
    "kept": (ROTATION_LEFT, None, "head-nod-lying", "", False, False, False),
}


def item_part(page, item):
    return page.split(f'id="item-{item.id}"')[1].split('<li id="item-')[0]  # up to the next exercise


@pytest.mark.parametrize("case", KINDS)
def test_the_builder_the_check_before_printing_and_the_phone_page_agree_for_each_kind_of_warning(
    catalog_app, catalog_db, case
):
    """Whether an exercise is held for the therapist's check is decided once
    (direction.FLAGGING): the builder says "Held back" exactly where printing asks first and the
    phone page tells the patient to wait; once checked, the builder says so and neither asks."""

    given_under, since, slug, side, to_confirm, checked, flagged = KINDS[case]
    db = catalog_db
    clinic = make_clinic(db, "Clínica Ñandú")
    user = make_user(db, clinic)
    patient = make_patient(db, clinic, "Zoë Ἀλεξάνδρα", email="zoe@example.org")
    recorded_patterns.record_pattern(db, patient, given_under, date(2026, 11, 1), user.id, NOW)
    program = programs.create_program(db, patient, programs.ProgramDetails("颈部", date(2026, 11, 1)), user.id, NOW)
    item = program_items.add_item(db, program, get_exercise(db, clinic.id, slug), None, NOW, side=side)
    program_items.add_item(db, program, get_exercise(db, clinic.id, "belly-breathing-lying"), None, NOW)
    item.side_to_confirm = to_confirm
    issuing.issue(db, program, None, "print", GIVEN_ON)  # given before any check was kept
    _, token = patient_links.create_link(db, patient, catalog_app.secret_key, GIVEN_ON)
    if since is not None:
        recorded_patterns.record_pattern(db, patient, since, date(2026, 11, 15), user.id, NOW)
    if checked:
        patterns.confirm_checked(program, patterns.flagged_items(program))
    db.commit()
    kinds = [w.kind for w in patterns.item_direction(item, patterns.patient_pattern(patient)).warnings]
    assert case.split(",")[0] in kinds  # the table holds the kind it names
    client = catalog_app.test_client()
    login(client, user.email)

    builder = item_part(client.get(f"/programs/{program.id}").get_data(as_text=True), item)
    assert ("Held back: printing, emailing or sharing asks you" in builder) == (flagged and not checked)
    assert ("Checked by you for this patient" in builder) == (flagged and checked)
    printing = client.post(f"/programs/{program.id}/handout.pdf")
    asks = printing.mimetype == "text/html" and "I have checked this exercise for this patient." in text(printing)
    assert asks == (flagged and not checked)
    phone = client.get(f"/p/{token}").get_data(as_text=True)
    assert (WAIT_FOR_CHECK in exercise_part(phone, item)) == (flagged and not checked)


def test_every_kind_of_warning_is_in_the_agreement_table():
    """A new kind of warning is placed in the table above, flagging or not."""
    from planner.dystonia.direction import WARNING_KINDS

    assert {case.split(",")[0] for case in KINDS} == set(WARNING_KINDS)
