"""A re-evaluation that moves the patient's paper is said where the therapist lands, not only in the builder.

Trial 11, fault 2: after a re-evaluation moved the pull to the other side, the paper at home
trained toward the new pull, but the re-evaluation's message, the patient's page and the
dashboard said nothing; only the builder did. Now the re-evaluation's message (and the pattern
page's) names each program whose paper differs, with a link to print the new version; the
patient's program row says so; the dashboard lists it under "Handouts to print again", read
through an index from a mark kept at the time the pattern is recorded (Program.paper_moved_on),
and giving the new version clears all three.
"""

from __future__ import annotations

from datetime import timedelta
from html import unescape
from types import SimpleNamespace

import pytest
from sqlalchemy import event

from planner.dystonia.pattern import PatternEntry
from planner.services import program_items, programs, recorded_patterns
from planner.services.catalog import get_exercise
from tests.conftest import login
from tests.factories import give, make_clinic, make_patient, make_user

TITLE = "Cuello · צוואר"  # a Hebrew title reads in its own direction in the message
MOVED = "The paper handout of “\u2068" + TITLE + "\u2069” now differs from the pattern: "


@pytest.fixture
def world(catalog_app, catalog_db, now):
    """The trial's patient: left laterocollis and right shoulder elevation, her program given a
    week ago (tilt, shoulder, a hand exercise set to the right by the therapist), her therapist signed in."""
    db = catalog_db
    clinic = make_clinic(db, "Movimiento Libre", timezone="UTC")
    therapist = make_user(db, clinic, email="pt@libre.org", name="Ana Ruiz")
    patient = make_patient(db, clinic, "Αικατερίνη Παπαδοπούλου", primary_therapist_id=therapist.id)
    week_ago = now - timedelta(days=7)
    before = PatternEntry({"tilt": "left", "shoulder": "right"}, {"tilt": 2, "shoulder": 2}, "no_no", 1)
    recorded_patterns.record_pattern(db, patient, before, week_ago.date(), therapist.id, week_ago)
    program = programs.create_program(
        db, patient, programs.ProgramDetails(TITLE, week_ago.date(), reeval_interval_days=42), therapist.id, week_ago
    )
    for slug, side in (("neck-tilt-lying-hold", ""), ("shoulders-level-mirror", ""), ("cup-grip-and-release", "right")):
        program_items.add_item(db, program, get_exercise(db, clinic.id, slug), None, week_ago, side=side)
    give(db, program, week_ago)
    client = catalog_app.test_client()
    login(client, "pt@libre.org")
    return SimpleNamespace(app=catalog_app, db=db, client=client, patient=patient, program=program, today=now.date())


def re_evaluate(world, **pattern: str):  # noqa: ANN001, ANN003, ANN201
    """Record a re-evaluation today with the pattern's fields ("tilt_side": "right", …): the page the therapist lands on."""
    form = {"evaluated_on": world.today.isoformat(), "pattern-tremor": "no_no", "pattern-tremor_severity": "1"}
    form |= {f"pattern-{k}": v for k, v in pattern.items()}
    answer = world.client.post(f"/programs/{world.program.id}/evaluations/new", data=form)
    assert answer.status_code == 302
    world.landed_at = answer.location  # the patient's page: its top when a paper moved (the message is there)
    return page(world, answer.location)


def page(world, path: str) -> str:  # noqa: ANN001
    return " ".join(unescape(world.client.get(path).get_data(as_text=True)).split())


def test_a_re_evaluation_that_moves_the_pull_says_the_paper_differs_where_the_therapist_lands(world):
    landed = re_evaluate(
        world, tilt_side="right", tilt_severity="2", shoulder_side="left", shoulder_severity="2"
    )  # the pull to the other side
    builder = f'href="/programs/{world.program.id}#paper-differs"'
    assert "The re-evaluation is recorded. Next re-evaluation:" in landed
    assert f"{MOVED}<a {builder}>print the new version</a>." in landed
    assert 'class="flash flash-warning"' in landed  # on the patient's page, where "Save" lands
    assert world.landed_at == f"/patients/{world.patient.id}"  # at its top, where the message is
    row = landed.split("Programs, newest first")[1].split("</table>")[0]
    assert f"The paper handout differs from the pattern of {world.today}:</strong> <a {builder}>" in row
    dashboard = page(world, "/dashboard")
    moved = dashboard.split('id="moved-h"')[1].split("</section>")[0]
    assert "Handouts to print again (1)" in moved and "Αικατερίνη Παπαδοπούλου" in moved and TITLE in moved
    assert f"since the pattern of {world.today}" in moved and builder in moved
    # The builder says which exercises, the hand exercise (the therapist's side) is not among them.
    differs = page(world, f"/programs/{world.program.id}").split('id="paper-differs"')[1].split("</div>")[0]
    assert "Side tilt hold lying down" in differs and "Level shoulders in a mirror" in differs
    assert "grip" not in differs.lower()

    assert world.client.post(f"/programs/{world.program.id}/handout.pdf").mimetype == "application/pdf"
    assert 'id="moved-h"' not in page(world, "/dashboard")
    assert "differs from the pattern" not in page(world, f"/patients/{world.patient.id}")


def test_a_re_evaluation_that_moves_nothing_says_nothing_of_the_paper(world):
    """Only the grades change: the paper still follows the pattern; nothing is marked."""
    landed = re_evaluate(world, tilt_side="left", tilt_severity="3", shoulder_side="right", shoulder_severity="1")
    assert "The re-evaluation is recorded." in landed and "differs from the pattern" not in landed
    assert 'class="flash flash-success"' in landed and world.landed_at.endswith("#evals-h")
    assert 'id="moved-h"' not in page(world, "/dashboard")
    assert world.program.paper_moved_on is None


def test_the_pattern_page_says_it_too_and_a_pattern_moved_back_clears_it(world):
    """Recorded on the patient's pattern page: the same sentence. A later recording that puts the
    pull back where the paper has it clears the mark: the dashboard no longer lists the program."""
    form = {"recorded_on": world.today.isoformat(), "pattern-tilt_side": "right", "pattern-tilt_severity": "2"}
    landed = world.client.post(f"/patients/{world.patient.id}/pattern", data=form, follow_redirects=True)
    said = " ".join(unescape(landed.get_data(as_text=True)).split())
    assert "The pattern is recorded. Earlier ones stay in its history. " + MOVED in said
    assert 'id="moved-h"' in page(world, "/dashboard")
    back = {
        "recorded_on": world.today.isoformat(),
        "pattern-tilt_side": "left",
        "pattern-tilt_severity": "2",
        "pattern-shoulder_side": "right",
        "pattern-shoulder_severity": "2",
        "pattern-tremor": "no_no",
        "pattern-tremor_severity": "1",
    }
    said = page_after_post(world, f"/patients/{world.patient.id}/pattern", back)
    assert "differs from the pattern" not in said
    assert 'id="moved-h"' not in page(world, "/dashboard")


def page_after_post(world, path: str, form: dict) -> str:  # noqa: ANN001
    answer = world.client.post(path, data=form, follow_redirects=True)
    return " ".join(unescape(answer.get_data(as_text=True)).split())


def test_the_dashboard_reads_the_papers_to_print_again_in_one_statement_through_its_index(world):
    """However many papers are marked, the dashboard runs the same statements, one of them for
    this list, and SQLite reads it through the index on (therapist, archived, paper_moved_on, id)."""
    statements: list[tuple[str, tuple]] = []
    engine = world.app.extensions["db_engine"]

    def counted() -> int:
        statements.clear()
        listener = lambda *args: statements.append((args[2], args[3]))  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert world.client.get("/dashboard").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    none = counted()
    re_evaluate(world, tilt_side="right", tilt_severity="2", shoulder_side="left", shoulder_severity="2")
    assert counted() == none
    [(moved, values)] = [(s, p) for s, p in statements if "paper_moved_on IS NOT NULL" in s]
    with engine.connect() as connection:
        plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {moved}", values).all()
    assert str(plan).count("ix_programs_therapist_moved") == 2  # both branches: the program's therapist, the patient's


def test_the_versions_page_compares_the_paper_with_the_program_now(world):
    """Trial 11, fault 3: with one version given, the Versions page offered only "From version 1
    To version 1". After the re-evaluation it compares version 1 with the program as it is now,
    by default, and says which exercises changed direction; once given, version 2 replaces "Now"."""
    versions = f"/programs/{world.program.id}/versions"
    assert 'value="now"' not in page(world, versions)  # nothing differs yet: no "Now" to offer
    re_evaluate(world, tilt_side="right", tilt_severity="2", shoulder_side="left", shoulder_severity="2")
    shown = page(world, versions)
    assert '<option value="1" selected>1</option>' in shown
    assert '<option value="now" selected>Now (not given yet)</option>' in shown
    changes = shown.split('class="changes"')[1].split("</ul>")[0]
    assert (
        "Side tilt hold lying down: direction changed from “Tip your head toward your right shoulder, away from the"
        " pull.” to “Tip your head toward your left shoulder, away from the pull.”</li>" in changes
    )
    assert "Level shoulders in a mirror: direction changed from “Work on your right shoulder." in changes
    assert "grip" not in changes.lower()  # the therapist's own side did not move
    assert (
        page(world, f"{versions}?from=now&to=now").count("No change between the program now and the program now") == 1
    )

    assert world.client.post(f"/programs/{world.program.id}/handout.pdf").mimetype == "application/pdf"
    shown = page(world, versions)
    assert 'value="now"' not in shown and '<option value="2" selected>2</option>' in shown
    assert world.client.get(f"{versions}?to=now").status_code == 404  # given: the program now is version 2
