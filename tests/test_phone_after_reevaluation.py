"""Ticks across a re-evaluation and the new sheet (trial 13, F4).

The trial's patient ticked the cheek touch twice and the tilt once ("3 of 12"). A re-evaluation
then moved her turn, tilt and trick to the other side: the phone said "0 of 5" (her ticks gone)
and told her to "wait before you start" exercises she had done for weeks; once version 2 was
printed, the ticks made for "tilt left" counted as done for the new "tilt right".

What she did stays shown and counted as done (and planned: she did what her sheet said); what
moved says to stop until the new sheet; the new sheet's count of that day starts from 0 for an
exercise whose way to move changed, and the therapist's adherence counts the day as the phone does.
"""

from __future__ import annotations

import shutil
from datetime import timedelta
from types import SimpleNamespace

import pytest

from planner.dystonia.pattern import PatternEntry
from planner.services import (
    day_counts,
    given,
    home_reports,
    patient_links,
    pattern_recording,
    portal,
    program_items,
    programs,
)
from planner.services.catalog import get_exercise
from tests.conftest import build_app
from tests.factories import give, make_clinic, make_patient, make_user

# Her pattern before and after the re-evaluation: the turn, the tilt and the cheek trick change sides.
BEFORE = PatternEntry(
    {"rotation": "right", "tilt": "right"}, {"rotation": 2, "tilt": 2}, trick="cheek", trick_side="left"
)
AFTER = PatternEntry(
    {"rotation": "left", "tilt": "left"}, {"rotation": 2, "tilt": 2}, trick="cheek", trick_side="right"
)
DAILY = {"repetitions": 5, "hold_seconds": 5, "days_per_week": 7}
# slug: times a day (all every day)
ITEMS = {"sensory-trick-cheek-touch": 3, "neck-tilt-lying-hold": 1, "ankle-pumps": 3}

SAID = {
    "en": {
        "stop": "Stop doing this exercise for now. Your therapist will give you a new sheet for it.",
        "stop now": "Stop doing this exercise for now.",
        "new sheet": "Your therapist will give you a new sheet",
        "two before": "You did this 2 times today before the change.",
        "one before": "You did this 1 time today before the change.",
        "count": "%(done)s of %(times)s times done today.",
    },
    "es": {
        "stop": "Deje de hacer este ejercicio por ahora. Su terapeuta le dará una hoja nueva.",
        "stop now": "Deje de hacer este ejercicio por ahora.",
        "new sheet": "Su terapeuta le dará una hoja nueva",
        "two before": "Hoy lo hizo 2 veces antes del cambio.",
        "one before": "Hoy lo hizo 1 vez antes del cambio.",
        "count": "Hoy ha hecho %(done)s de %(times)s veces.",
    },
}


@pytest.fixture(scope="module")
def place(tmp_path_factory, catalog_file):  # noqa: ANN001, ANN201
    folder = tmp_path_factory.mktemp("reeval")
    shutil.copyfile(catalog_file, folder / "planner.sqlite3")
    app = build_app(folder, url=f"sqlite:///{folder / 'planner.sqlite3'}")
    db = app.extensions["db_sessionmaker"]()
    clinic = make_clinic(db, "Re-evaluation Clinic", timezone="UTC")
    yield SimpleNamespace(app=app, db=db, clinic=clinic, therapist=make_user(db, clinic, email="t@reeval.org"))
    db.close()
    app.extensions["db_engine"].dispose()


def card(page: str, exercise_id: int) -> str:
    """The exercise's card, up to the next one (a card holds lists of its own: steps, ticks)."""
    part = page.split(f'<li id="exercise-{exercise_id}"')[1].split('<li id="exercise-')[0]
    return " ".join(part.split('<section id="how"')[0].split())


@pytest.mark.parametrize("language", ["en", "es"])
def test_ticks_before_a_re_evaluation_stay_and_the_new_sheet_starts_its_own_count(place, now, today, language):
    db, said = place.db, SAID[language]
    weeks_ago = now - timedelta(days=30)
    patient = make_patient(db, place.clinic, f"María José {language}", language=language)
    pattern_recording.record(db, patient, BEFORE, weeks_ago.date(), place.therapist.id, weeks_ago)
    program = programs.create_program(db, patient, programs.ProgramDetails("Cuello", weeks_ago.date()), None, weeks_ago)
    ids = {}
    for slug, times in ITEMS.items():
        item = program_items.add_item(
            db, program, get_exercise(db, place.clinic.id, slug), None, weeks_ago, {**DAILY, "times_per_day": times}
        )
        ids[slug] = item.exercise_id
    give(db, program, weeks_ago)
    _, token = patient_links.create_link(db, patient, place.app.secret_key, weeks_ago)
    db.commit()
    client = place.app.test_client()
    cheek, tilt, ankle = ids.values()

    def phone() -> str:
        db.expire_all()
        return client.get(f"/p/{token}").get_data(as_text=True)

    def count(done: int, times: int) -> str:
        return said["count"] % {"done": done, "times": times}

    def adherence_today() -> tuple[int, int]:
        """Adherence's count of today: this week's figures less the days before (none ticked)."""
        week = home_reports.adherence(db, program, today)[-1]
        before = today.weekday() * sum(ITEMS.values())  # each earlier day of the week planned in full
        return week.done, week.planned - before

    # 1. Before the re-evaluation: the cheek touch twice, the tilt once, hours apart.
    portal.tick(db, program, cheek, today, today, now=now - timedelta(hours=5), time=1)
    portal.tick(db, program, cheek, today, today, now=now - timedelta(hours=4), time=2)
    portal.tick(db, program, tilt, today, today, now=now - timedelta(hours=4))
    db.commit()
    assert count(3, 7) in phone()
    assert adherence_today() == (3, 7)

    # 2. Re-evaluated today: the cheek and the tilt moved. She stops them; her ticks stay, counted.
    pattern_recording.record(db, patient, AFTER, today, place.therapist.id, now - timedelta(hours=2))
    db.commit()
    page = phone()
    # The new sheet is said once, on the first moved card (the count line counts the ankle's times).
    assert {e: said["stop now"] in card(page, e) for e in (cheek, tilt, ankle)} == {
        cheek: True,
        tilt: True,
        ankle: False,
    }
    assert said["stop"] in card(page, cheek) and page.count(said["new sheet"]) == 1
    assert said["two before"] in card(page, cheek) and said["one before"] in card(page, tilt)
    assert "Please wait before you start" not in page and "Espere antes de empezar" not in page
    assert count(3, 6) in page  # the ankle's 3 to do, and the 3 done before the change
    assert adherence_today() == (3, 6)

    # 3. Version 2 given today: the moved exercises start again from 0; the ticks before stay apart.
    give(db, program, now - timedelta(hours=1))
    page = phone()
    assert said["stop"] not in page
    plan = portal.day_plan(db, program, today)
    assert [(plan[e, 0].done, plan[e, 0].earlier) for e in (cheek, tilt, ankle)] == [(0, 2), (0, 1), (0, 0)]
    assert said["two before"] in card(page, cheek) and said["one before"] in card(page, tilt)
    assert "✓ Done today" not in card(page, tilt) and "✓ Hecho hoy" not in card(page, tilt)  # the new tilt: not done
    assert count(3, 10) in page
    assert adherence_today() == (3, 10)

    # The new cheek touch, once: time 1 of the new sheet, after the 2 before it.
    assert portal.tick(db, program, cheek, today, today, now=now, time=1)
    db.commit()
    plan = portal.day_plan(db, program, today)
    assert (plan[cheek, 0].done, plan[cheek, 0].earlier) == (1, 2)
    assert count(4, 10) in phone() and adherence_today() == (4, 10)
    # Taken back, it leaves the ticks before the change; nothing more to take back then.
    assert portal.untick(db, program, cheek, today, today, now + timedelta(minutes=5), time=1)
    assert not portal.untick(db, program, cheek, today, today, now + timedelta(minutes=10))
    db.commit()
    plan = portal.day_plan(db, program, today)
    assert (plan[cheek, 0].done, plan[cheek, 0].earlier) == (0, 2)
    # The version holds what was ticked for the paper before, for the moved exercises only.
    handed = given.given_version(db, program)
    assert {i.exercise_id: i.ticked_before for i in handed.items} == {cheek: 2, tilt: 1, ankle: 0}
    assert day_counts.earlier_today(db, program, cheek, today - timedelta(days=1)) == 0  # that day only


@pytest.mark.parametrize("how", ["print", "handouts export"])
def test_the_new_sheet_keeps_the_ticks_before_it_however_it_is_given(tmp_path, catalog_file, now, today, how):
    """Session 11: version 2 given by `flask handouts export` (issuing.issue_printed) kept no
    "ticked_before", so its new paper counted the ticks made for the paper before ("5 of 10" where
    printing said "3 of 10"), and the patient export, which copies the snapshot, could not give the
    same count. Every way of giving the new sheet stores the same snapshot and the same counts."""
    from planner.handouts import HandoutOptions
    from planner.handouts.export import export_all
    from planner.services import patient_export

    url = f"sqlite:///{tmp_path / 'planner.sqlite3'}"
    shutil.copyfile(catalog_file, tmp_path / "planner.sqlite3")
    app = build_app(tmp_path, url=url)
    db = app.extensions["db_sessionmaker"]()
    try:
        clinic = make_clinic(db, "Export Clinic", timezone="UTC")
        therapist = make_user(db, clinic, email="t@export.org")
        weeks_ago = now - timedelta(days=30)
        patient = make_patient(db, clinic, "Inés Export")
        pattern_recording.record(db, patient, BEFORE, weeks_ago.date(), therapist.id, weeks_ago)
        program = programs.create_program(
            db, patient, programs.ProgramDetails("Cuello", weeks_ago.date()), None, weeks_ago
        )
        ids = [
            program_items.add_item(
                db, program, get_exercise(db, clinic.id, slug), None, weeks_ago, {**DAILY, "times_per_day": t}
            ).exercise_id
            for slug, t in ITEMS.items()
        ]
        cheek, tilt, ankle = ids
        give(db, program, weeks_ago)
        portal.tick(db, program, cheek, today, today, now=now - timedelta(hours=5), time=1)
        portal.tick(db, program, cheek, today, today, now=now - timedelta(hours=4), time=2)
        portal.tick(db, program, tilt, today, today, now=now - timedelta(hours=4))
        pattern_recording.record(db, patient, AFTER, today, therapist.id, now - timedelta(hours=2))
        db.commit()

        if how == "print":
            give(db, program, now - timedelta(hours=1))
        else:
            assert export_all(url, tmp_path / "out", HandoutOptions(), now - timedelta(hours=1), workers=1).written == 1
        db.expire_all()

        handed = given.given_version(db, program)
        assert handed is not None and handed.version == 2
        assert {i.exercise_id: i.ticked_before for i in handed.items} == {cheek: 2, tilt: 1, ankle: 0}
        plan = portal.day_plan(db, program, today)
        assert [(plan[e, 0].done, plan[e, 0].earlier) for e in ids] == [(0, 2), (0, 1), (0, 0)]
        week = home_reports.adherence(db, program, today)[-1]
        assert (week.done, week.planned - today.weekday() * sum(ITEMS.values())) == (3, 10)
        # What leaves in the patient's export carries it, so an audit counts the day the same.
        data = patient_export.patient_data(db, patient, now)
        (row,) = [v for v in data["tables"]["program_versions"] if v["number"] == 2]
        kept = {i["exercise_id"]: i.get("ticked_before", 0) for i in row["snapshot"]["items"]}
        assert kept == {cheek: 2, tilt: 1, ankle: 0}
    finally:
        db.close()
        app.extensions["db_engine"].dispose()


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "Done today before the change: 3 times. Your therapist will give you a new sheet."),
        ("es", "Hecho hoy antes del cambio: 3 veces. Su terapeuta le dará una hoja nueva."),
    ],
)
def test_when_every_exercise_due_moved_the_count_says_what_was_done_and_what_comes(place, now, today, language, said):
    """Session 11: a re-evaluation moved every exercise of the sheet; the count line said they
    "wait for your therapist to set the way to move" and left out the 3 times done before."""
    db = place.db
    weeks_ago = now - timedelta(days=30)
    patient = make_patient(db, place.clinic, f"Todo movido {language}", language=language)
    pattern_recording.record(db, patient, BEFORE, weeks_ago.date(), place.therapist.id, weeks_ago)
    program = programs.create_program(db, patient, programs.ProgramDetails("Cuello", weeks_ago.date()), None, weeks_ago)
    cheek, tilt = (
        program_items.add_item(
            db, program, get_exercise(db, place.clinic.id, slug), None, weeks_ago, {**DAILY, "times_per_day": 3}
        ).exercise_id
        for slug in ("sensory-trick-cheek-touch", "neck-tilt-lying-hold")
    )
    give(db, program, weeks_ago)
    _, token = patient_links.create_link(db, patient, place.app.secret_key, weeks_ago)
    portal.tick(db, program, cheek, today, today, now=now - timedelta(hours=5), time=1)
    portal.tick(db, program, cheek, today, today, now=now - timedelta(hours=4), time=2)
    portal.tick(db, program, tilt, today, today, now=now - timedelta(hours=4))
    pattern_recording.record(db, patient, AFTER, today, place.therapist.id, now - timedelta(hours=2))
    db.commit()
    page = place.app.test_client().get(f"/p/{token}").get_data(as_text=True)
    line = " ".join(page.split('id="count" role="status">')[1].split("</p>")[0].split())
    assert line == said
    # Said once, where she reads it first: the count line; each moved card only says to stop.
    stop_now, new_sheet = SAID[language]["stop now"], SAID[language]["new sheet"]
    assert page.count(new_sheet) == 1
    for exercise_id in (cheek, tilt):
        assert f'<p class="dosage waiting">{stop_now}</p>' in card(page, exercise_id)
