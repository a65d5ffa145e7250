"""A clinic upgrading in place: sides the previous release saved are held until the therapist confirms them.

The previous release stored the pattern's side on an item as if the therapist had chosen it,
and its edit form offered that same side as a choice of its own, so the database cannot tell
the two apart (migrations/versions/0019_review_stored_sides.py). After the upgrade every such
side of a direction-specific exercise waits for the therapist: the builder shows it beside the
pattern's side with a button for each, and no handout or phone page names it until then.
A limb's left or right, which the pattern never set, is left as it was.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from alembic import command
from sqlalchemy import select, update

from planner.db import make_engine
from planner.dystonia.pattern import PatternEntry
from planner.migrate import alembic_config, current_revision, head_revision
from planner.models import Program, ProgramItem
from planner.services import advice, patient_links, program_items, programs, recorded_patterns
from planner.services.catalog import get_exercise
from tests import every_table
from tests.conftest import build_app, login
from tests.factories import give, make_clinic, make_patient, make_user
from tests.handout_world import pages_text

NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)
PREVIOUS_RELEASE = "0018_dystonia_pattern"
WAIT = "Please wait before you start this exercise. The way to move is not set yet."
# What the previous release saved on each item, and why (its add_item stored the pattern's side).
SAVED = {
    # Added while the head turned left: the pattern's "right" was stored; the pattern still gives it.
    "head-midline-away-from-pull": "right",
    # Added while the head tipped right: "left" was stored. The re-evaluation found a left tilt,
    # so "left" now trains toward the pull.
    "neck-side-stretch": "left",
    # A limb: the therapist's own left arm, never the pattern's.
    "arm-lift-side-sitting": "left",
    # Added before the rotation was recorded: no side stored, it follows the pattern.
    "neck-turn-against-hand": "",
}


@pytest.fixture
def upgraded(catalog_app, catalog_db, tmp_path):
    """Maria's clinic as the previous release left it (schema 0018, sides as it stored them),
    then upgraded in place by the app starting on it."""
    db = catalog_db
    clinic = make_clinic(db, "Clínica Señora")
    user = make_user(db, clinic)
    patient = make_patient(db, clinic, "María López", email="maria@example.org")
    first = PatternEntry({"rotation": "left", "tilt": "right"}, {"rotation": 2, "tilt": 1})
    recorded_patterns.record_pattern(db, patient, first, date(2026, 10, 1), user.id, NOW)
    program = programs.create_program(db, patient, programs.ProgramDetails("Neck", date(2026, 11, 1)), user.id, NOW)
    for slug in SAVED:
        program_items.add_item(db, program, get_exercise(db, clinic.id, slug), None, NOW)
    for item in program.items:
        db.execute(update(ProgramItem).where(ProgramItem.id == item.id).values(side=SAVED[item.exercise.slug]))
    db.expire_all()
    give(db, program, NOW)  # she holds its paper
    again = PatternEntry({"rotation": "left", "tilt": "left"}, {"rotation": 2, "tilt": 1})
    recorded_patterns.record_pattern(db, patient, again, date(2026, 11, 20), user.id, NOW)
    _, link = patient_links.create_link(db, patient, catalog_app.secret_key, NOW)
    db.commit()
    ids = {item.exercise.slug: item.id for item in program.items}
    url = str(catalog_app.extensions["db_engine"].url)
    db.close()
    catalog_app.extensions["db_engine"].dispose()

    engine = make_engine(url)
    config = alembic_config()
    with engine.begin() as connection:  # back to the previous release's schema, the rows kept
        config.attributes["connection"] = connection
        command.downgrade(config, PREVIOUS_RELEASE)
    assert current_revision(engine) == PREVIOUS_RELEASE
    before = every_table.snapshot(engine, carried_only=True)
    engine.dispose()

    app = build_app(tmp_path, url=url)  # starting the new release migrates the database
    yield app, program.id, ids, link, user.email, before
    app.extensions["db_engine"].dispose()


def test_every_row_is_carried_and_each_stored_side_is_kept_and_marked(upgraded):
    app, _, ids, _, _, before = upgraded
    engine = app.extensions["db_engine"]
    assert current_revision(engine) == head_revision()
    after = every_table.snapshot(engine, carried_only=True)
    del before["alembic_version"]
    # 0033 moves each old advice line to its shorter line (tests/test_shorter_advice_migrated.py).
    shorter = advice.RETIRED
    for row in before["programs"].values():
        row["advice"] = [shorter.get(line, line) for line in row["advice"]]
    for row in before["program_templates"].values():
        row["content"] = {**row["content"], "advice": [shorter.get(line, line) for line in row["content"]["advice"]]}
    for table, rows in before.items():
        assert set(after[table]) == set(rows), table
        for key, row in rows.items():
            assert {c: after[table][key][c] for c in row} == row, (table, key)
    marked = {row["id"]: (row["side"], row["side_to_confirm"]) for row in after["program_items"].values()}
    assert marked == {ids[slug]: (side, bool(side)) for slug, side in SAVED.items()}


def _item(page: str, item_id: int) -> str:
    return page.split(f'id="item-{item_id}"')[1].split('<li id="item-')[0]


def test_the_builder_asks_about_each_saved_side_and_holds_back_the_one_that_differs(upgraded):
    app, program_id, ids, link, email, _ = upgraded
    client = app.test_client()
    login(client, email)
    builder = client.get(f"/programs/{program_id}").get_data(as_text=True)

    # Saved "right", and the pattern gives right now: the patient reads it as before, the
    # therapist is still asked.
    mirror = _item(builder, ids["head-midline-away-from-pull"])
    assert "Side to confirm: right was saved before this release." in mirror
    assert "The recorded pattern gives right now too, so the patient reads right." in mirror
    assert ">Keep right<" in mirror and ">Follow the pattern: right<" in mirror
    assert "Turn your head to the right, away from the pull." in mirror
    # Saved "left", and the pattern now gives right: it may train toward the pull, so it waits.
    stretch = _item(builder, ids["neck-side-stretch"])
    assert "Side to confirm: left was saved before this release. The patient waits until you choose." in stretch
    assert "the recorded pattern gives right now" in stretch and ">Follow the pattern: right<" in stretch
    assert "Tip your head" not in stretch  # no way to move named while it waits
    arm = _item(builder, ids["arm-lift-side-sitting"])
    assert "to confirm" not in arm and "Keep " not in arm and "left" in arm
    follows = _item(builder, ids["neck-turn-against-hand"])
    assert "Direction from the recorded pattern." in follows and "to confirm" not in follows

    note = builder.split('id="directions-not-set"')[1].split("</div>")[0]
    assert "“Side of neck stretch” has a side saved before this release" in note
    assert "mirror" not in note and "no direction" not in note
    printed = client.post(f"/programs/{program_id}/handout.pdf")
    assert printed.status_code == 302 and printed.location.endswith("#directions-not-set")

    phone = app.test_client().get(f"/p/{link}").get_data(as_text=True)
    assert phone.count(f'<p class="dosage waiting">{WAIT}</p>') == 1
    assert "Turn your head to the right, away from the pull." in phone
    assert "Tip your head toward your left shoulder" not in phone and "handout.pdf" not in phone


def _choose(client, program_id: int, item_id: int, choice: str, page: str) -> str:
    """Press "Keep …" (`choice` "keep") or "Follow the pattern" ("pattern") at one exercise of
    the builder `page` showed; returns the builder page it leads to."""
    lock = page.split('name="lock_version" type="hidden" value="')[1].split('"')[0]
    return client.post(
        f"/programs/{program_id}/items/{item_id}/side/{choice}", data={"lock_version": lock}, follow_redirects=True
    ).get_data(as_text=True)


def test_a_saved_side_that_agrees_is_given_until_a_re_evaluation_makes_it_differ(upgraded):
    app, program_id, ids, link, email, _ = upgraded
    client = app.test_client()
    login(client, email)
    page = client.get(f"/programs/{program_id}").get_data(as_text=True)
    _choose(client, program_id, ids["neck-side-stretch"], "pattern", page)
    # Only the agreeing side is left to confirm: the handout is made, with its side.
    pdf = client.post(f"/programs/{program_id}/handout.pdf")
    assert pdf.status_code == 200
    assert "Turn your head to the right, away from the pull." in " ".join(pages_text(pdf.data))
    assert "Side to confirm: right" in client.get(f"/programs/{program_id}").get_data(as_text=True)

    # The head now turns right: the pattern gives left, and the saved right would train toward the pull.
    with app.extensions["db_sessionmaker"]() as db:
        patient = db.get(Program, program_id).patient
        turn = PatternEntry({"rotation": "right", "tilt": "left"}, {"rotation": 2, "tilt": 1})
        recorded_patterns.record_pattern(db, patient, turn, date(2026, 11, 21), None, NOW)
        db.commit()
    builder = client.get(f"/programs/{program_id}").get_data(as_text=True)
    mirror = _item(builder, ids["head-midline-away-from-pull"])
    assert "Side to confirm: right was saved before this release. The patient waits until you choose." in mirror
    assert ">Keep right<" in mirror and ">Follow the pattern: left<" in mirror
    note = builder.split('id="directions-not-set"')[1].split("</div>")[0]
    assert "“Slow head turn and hold” has a side saved before this release" in note
    differs = builder.split('id="paper-differs"')[1].split("</div>")[0]
    assert "“Neck turn against your hand”: the paper says right; the pattern now gives left" in differs  # it follows
    assert "mirror" not in differs  # held, not changed: asked at the exercise
    assert client.post(f"/programs/{program_id}/handout.pdf").status_code == 302
    phone = app.test_client().get(f"/p/{link}").get_data(as_text=True)
    assert phone.count(f'<p class="dosage waiting">{WAIT}</p>') == 1
    assert "Turn your head to the right" not in phone


def test_the_therapist_keeps_one_side_and_lets_the_pattern_decide_the_other(upgraded):
    app, program_id, ids, link, email, _ = upgraded
    client = app.test_client()
    login(client, email)
    page = client.get(f"/programs/{program_id}").get_data(as_text=True)

    kept = _choose(client, program_id, ids["head-midline-away-from-pull"], "keep", page)
    assert "“Slow head turn and hold” now uses right." in kept
    assert "Direction set by you: right, as the recorded pattern gives now." in _item(
        kept, ids["head-midline-away-from-pull"]
    )
    followed = _choose(client, program_id, ids["neck-side-stretch"], "pattern", kept)
    assert "Direction from the recorded pattern." in _item(followed, ids["neck-side-stretch"])
    assert 'id="directions-not-set"' not in followed

    pdf = client.post(f"/programs/{program_id}/handout.pdf")
    assert pdf.status_code == 200
    text = " ".join(pages_text(pdf.data))
    assert "Turn your head to the right, away from the pull." in text
    assert "Tip your head toward your right shoulder, away from the pull." in text  # not the old left, toward it
    phone = app.test_client().get(f"/p/{link}").get_data(as_text=True)
    assert WAIT not in phone
    with app.extensions["db_sessionmaker"]() as db:
        saved = {i.id: (i.side, i.side_to_confirm) for i in db.scalars(select(ProgramItem))}
    assert saved[ids["head-midline-away-from-pull"]] == ("right", False)  # now the therapist's choice
    assert saved[ids["neck-side-stretch"]] == ("", False)  # follows the pattern, now and later
    assert saved[ids["arm-lift-side-sitting"]][0] == "left"  # a limb's side is never held
