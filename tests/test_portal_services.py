"""Patient access, the service layer: token lifecycle, idempotent ticks, adherence, pain alerts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from planner.dystonia.pattern import PatternEntry
from planner.models import DayReport, Evaluation, ExerciseReminder, OutboxMessage
from planner.models.portal import ExerciseLog, PainAlert, PatientLink
from planner.services import (
    DomainError,
    NotFound,
    day_counts,
    exercise_reminders,
    given,
    home_reports,
    issuing,
    patient_links,
    patterns,
    portal,
    program_items,
    programs,
    recorded_patterns,
)
from planner.services.alerts import AlertRules, open_alerts
from planner.services.catalog import get_exercise
from tests.conftest import load_catalog
from tests.factories import make_clinic, make_patient

SECRET = "server secret"
NOW = datetime(2026, 11, 18, 10, tzinfo=UTC)  # a Wednesday
TODAY = NOW.date()


def program_for(db, patient, *slugs, start=date(2026, 11, 2), days_per_week=7):
    program = programs.create_program(db, patient, programs.ProgramDetails("Plan", start), None, NOW)
    for slug in slugs:
        exercise = get_exercise(db, patient.clinic_id, slug)
        program_items.add_item(
            db, program, exercise, None, NOW, dosage={**exercise.dosage, "days_per_week": days_per_week}
        )
    db.commit()
    return program


@pytest.fixture
def patient(catalog_db):
    return make_patient(catalog_db, make_clinic(catalog_db), "Nora Link")


def test_link_lifecycle_create_use_replace_revoke_expire(catalog_db, patient):
    link, token = patient_links.create_link(catalog_db, patient, SECRET, NOW)
    stored = catalog_db.scalars(select(PatientLink)).one()
    assert (
        token not in (stored.token_hash, stored.nonce) and len(token) == patient_links.TYPABLE_CHARS
    )  # only a hash is kept
    assert patient_links.resolve(catalog_db, token, NOW).patient_id == patient.id
    assert patient_links.link_token(link, SECRET) == token  # the app can print it again for the QR code

    new_link, new_token = patient_links.create_link(catalog_db, patient, SECRET, NOW)  # replace
    assert new_token != token
    with pytest.raises(NotFound):
        patient_links.resolve(catalog_db, token, NOW)
    assert patient_links.resolve(catalog_db, new_token, NOW).id == new_link.id

    patient_links.revoke_link(catalog_db, patient, NOW)
    with pytest.raises(NotFound):
        patient_links.resolve(catalog_db, new_token, NOW)

    _, short_lived = patient_links.create_link(catalog_db, patient, SECRET, NOW, expiry_days=30)
    assert patient_links.resolve(catalog_db, short_lived, NOW + timedelta(days=29)).patient_id == patient.id
    with pytest.raises(NotFound):
        patient_links.resolve(catalog_db, short_lived, NOW + timedelta(days=30))
    with pytest.raises(NotFound):
        patient_links.resolve(catalog_db, "not-a-token", NOW)


def test_link_survives_program_edits_and_versions(catalog_db, patient):
    program = program_for(catalog_db, patient, "chin-tuck-sitting")
    _, token = patient_links.create_link(catalog_db, patient, SECRET, NOW)
    issuing.issue(catalog_db, program, None, "share", NOW)
    program_items.add_item(catalog_db, program, get_exercise(catalog_db, patient.clinic_id, "band-row"), None, NOW)
    catalog_db.commit()
    link = patient_links.resolve(catalog_db, token, NOW)
    assert [i.exercise.slug for i in portal.active_program(catalog_db, link.patient).items] == [
        "chin-tuck-sitting",
        "band-row",
    ]


def test_ticks_are_idempotent_and_limited_to_the_last_week(catalog_db, patient):
    program = program_for(catalog_db, patient, "chin-tuck-sitting", "band-row")
    exercise_id = program.items[0].exercise_id
    portal.tick(catalog_db, program, exercise_id, TODAY, TODAY)
    portal.tick(catalog_db, program, exercise_id, TODAY, TODAY)
    catalog_db.commit()
    assert catalog_db.scalars(select(ExerciseLog)).all().__len__() == 1
    portal.tick(catalog_db, program, exercise_id, TODAY - timedelta(days=7), TODAY)
    with pytest.raises(DomainError, match="7 days back"):
        portal.tick(catalog_db, program, exercise_id, TODAY - timedelta(days=8), TODAY)
    with pytest.raises(DomainError, match="not come yet"):
        portal.tick(catalog_db, program, exercise_id, TODAY + timedelta(days=1), TODAY)
    other = get_exercise(catalog_db, patient.clinic_id, "wall-angels")
    with pytest.raises(NotFound):
        portal.tick(catalog_db, program, other.id, TODAY, TODAY)
    portal.tick(catalog_db, program, exercise_id, TODAY, TODAY, done=False)
    assert portal.ticked(catalog_db, program, TODAY) == set()


@pytest.mark.parametrize(
    "seconds_later, taken_back",
    [(0, False), (1, False), (portal.REPEAT_SECONDS - 1, False), (portal.REPEAT_SECONDS, True), (600, True)],
)
def test_a_tick_is_taken_back_only_when_it_is_not_a_second_shaky_tap(catalog_db, patient, seconds_later, taken_back):
    program = program_for(catalog_db, patient, "chin-tuck-sitting")
    exercise_id = program.items[0].exercise_id
    portal.tick(catalog_db, program, exercise_id, TODAY, TODAY, now=NOW)
    catalog_db.commit()
    later = NOW + timedelta(seconds=seconds_later)
    if taken_back:
        assert portal.untick(catalog_db, program, exercise_id, TODAY, TODAY, later) is True
    else:
        with pytest.raises(DomainError, match="the tick stays"):
            portal.untick(catalog_db, program, exercise_id, TODAY, TODAY, later)
    catalog_db.commit()
    assert portal.ticked(catalog_db, program, TODAY) == (set() if taken_back else {(exercise_id, 0)})


def test_taking_back_a_tick_that_is_not_there_changes_nothing(catalog_db, patient):
    program = program_for(catalog_db, patient, "chin-tuck-sitting")
    exercise_id = program.items[0].exercise_id
    assert portal.untick(catalog_db, program, exercise_id, TODAY, TODAY, NOW) is False
    other = get_exercise(catalog_db, patient.clinic_id, "wall-angels")
    with pytest.raises(NotFound):
        portal.untick(catalog_db, program, other.id, TODAY, TODAY, NOW)
    with pytest.raises(DomainError, match="7 days back"):
        portal.untick(catalog_db, program, exercise_id, TODAY - timedelta(days=8), TODAY, NOW)


@pytest.mark.parametrize(
    "dosage, planned",
    [
        # Started Monday 16 Nov, today Wednesday 18 Nov: three days of the week so far.
        ({}, 3),  # once a day, every day
        ({"times_per_day": 2}, 6),  # each time of the day counts, as on the phone page
        ({"days_per_week": 3}, 2),  # Monday and Wednesday are due, Tuesday rests
        ({"days_per_week": 3, "times_per_day": 4}, 8),
        ({"days_per_week": 1}, 1),
        ({"days_per_week": 4, "times_per_day": 3}, 6),  # Monday and Tuesday
    ],
)
def test_a_week_plans_the_times_of_each_due_day(catalog_db, patient, dosage, planned):
    program = program_for(catalog_db, patient, "chin-tuck-sitting", start=date(2026, 11, 16))
    program.items[0].dosage = {"repetitions": 10, **dosage}
    catalog_db.commit()
    assert [(w.done, w.planned) for w in home_reports.adherence(catalog_db, program, TODAY)] == [(0, planned)]


def test_a_week_with_nothing_planned_has_no_percent_and_no_bar(catalog_app, catalog_db, patient):
    """A program begun on Saturday 7 Nov with Monday-Wednesday-Friday work planned nothing its first
    week: the therapist's panel read "0 of 0, 0 %" with an empty bar, as if the patient had done
    nothing (the phone's "0 of 0" for a day, kept for a week). No percent, a dash, and no bar; a
    week whose every exercise due was held back for a new sheet counts the same (day_counts)."""
    from planner.web.progress import NONE_PLANNED, progress

    program = program_for(catalog_db, patient, "chin-tuck-sitting", start=date(2026, 11, 7), days_per_week=3)
    weeks = home_reports.adherence(catalog_db, program, TODAY)
    assert [(w.start, w.planned, w.percent) for w in weeks] == [
        (date(2026, 11, 2), 0, None),
        (date(2026, 11, 9), 6, 0),  # twice a day on three days
        (date(2026, 11, 16), 4, 0),
    ]
    with catalog_app.test_request_context():
        shown = progress(patient, TODAY, program)
    assert f"<tr><td>2026-11-02</td><td>0</td><td>0</td><td>{NONE_PLANNED}</td></tr>" in shown["weeks_rows"]
    bars = str(shown["adherence_chart"]).count("<rect") - 1  # less the plot's frame
    assert bars == 2 and "02 Nov" in str(shown["adherence_chart"])  # its label stays, with no bar


def test_adherence_per_week(catalog_db, patient):
    # Started Monday 2 Nov; today is Wednesday 18 Nov: two full weeks and three days.
    program = program_for(catalog_db, patient, "chin-tuck-sitting", "band-row", days_per_week=7)
    for item in program.items:
        item.dosage = {"repetitions": 10}  # once a day each
    first, second = (i.exercise_id for i in program.items)
    for day in range(7):  # week 1: both exercises every day → 14 of 14
        for exercise_id in (first, second):
            catalog_db.add(
                ExerciseLog(
                    clinic_id=program.clinic_id,
                    patient_id=patient.id,
                    program_id=program.id,
                    exercise_id=exercise_id,
                    day=date(2026, 11, 2) + timedelta(days=day),
                )
            )
    for day in range(7):  # week 2: only the first exercise → 7 of 14
        catalog_db.add(
            ExerciseLog(
                clinic_id=program.clinic_id,
                patient_id=patient.id,
                program_id=program.id,
                exercise_id=first,
                day=date(2026, 11, 9) + timedelta(days=day),
            )
        )
    catalog_db.commit()
    portal.tick(catalog_db, program, first, TODAY, TODAY)  # week 3, three days in: 1 of 6
    weeks = home_reports.adherence(catalog_db, program, TODAY)
    assert [(w.start, w.done, w.planned, w.percent) for w in weeks] == [
        (date(2026, 11, 2), 14, 14, 100),
        (date(2026, 11, 9), 7, 14, 50),
        (date(2026, 11, 16), 1, 6, 17),
    ]


@pytest.mark.parametrize(
    "history, pain, alerts",
    [
        ([], 7, True),  # at the threshold
        ([], 6, False),
        ([2, 2, 3], 6, True),  # rose by 3.67 over last week's average
        ([4, 4], 6, False),  # rose by 2 only
        ([1, 1, 9], 5, False),  # average 3.67: a rise of 1.33
    ],
)
def test_pain_alert_rules(catalog_db, patient, history, pain, alerts):
    program = program_for(catalog_db, patient, "chin-tuck-sitting")
    for n, value in enumerate(history, start=1):
        portal.report_day(
            catalog_db, program, TODAY - timedelta(days=n), TODAY, value, "", "", NOW, AlertRules(threshold=100)
        )  # history itself raises nothing
    alert = portal.report_day(catalog_db, program, TODAY, TODAY, pain, "hard", "Sore today", NOW)
    assert (alert is not None) == alerts


def test_pain_alert_at_most_once_a_day(catalog_db, patient):
    program = program_for(catalog_db, patient, "chin-tuck-sitting")
    assert portal.report_day(catalog_db, program, TODAY, TODAY, 8, "", "", NOW) is not None
    assert portal.report_day(catalog_db, program, TODAY, TODAY, 9, "", "", NOW) is None
    assert portal.report_day(catalog_db, program, TODAY - timedelta(days=1), TODAY, 9, "", "", NOW) is None
    catalog_db.commit()
    assert len(catalog_db.scalars(select(PainAlert)).all()) == 1
    tomorrow = TODAY + timedelta(days=1)
    assert portal.report_day(catalog_db, program, tomorrow, tomorrow, 8, "", "", NOW + timedelta(days=1)) is not None


def test_bad_day_report_is_refused(catalog_db, patient):
    program = program_for(catalog_db, patient, "chin-tuck-sitting")
    with pytest.raises(DomainError, match="0 \\(none\\) to 10"):
        portal.report_day(catalog_db, program, TODAY, TODAY, 11, "", "", NOW)
    with pytest.raises(DomainError, match="easy, about right or hard"):
        portal.report_day(catalog_db, program, TODAY, TODAY, 3, "terrible", "", NOW)


def test_link_and_ticks_on_both_databases(service_db):
    load_catalog(service_db)
    patient = make_patient(service_db, make_clinic(service_db))
    program = program_for(service_db, patient, "chin-tuck-sitting")
    _, token = patient_links.create_link(service_db, patient, SECRET, NOW)
    service_db.commit()
    assert patient_links.resolve(service_db, token, NOW).patient_id == patient.id
    portal.tick(service_db, program, program.items[0].exercise_id, TODAY, TODAY)
    portal.tick(service_db, program, program.items[0].exercise_id, TODAY, TODAY)
    service_db.commit()
    assert home_reports.adherence(service_db, program, TODAY)[-1].done == 1


def test_what_the_builder_reads_with_few_statements_on_both_databases(service_db):
    """The builder's reads of rows (the link and latest re-evaluation beside the program, the At
    home panel's three lists in one statement, the last given version once) on SQLite and PostgreSQL."""
    load_catalog(service_db)
    patient = make_patient(service_db, make_clinic(service_db))
    program = program_for(service_db, patient, "chin-tuck-sitting")
    day = TODAY - timedelta(days=2)
    service_db.add(
        Evaluation(clinic_id=patient.clinic_id, patient_id=patient.id, program_id=program.id, evaluated_on=day)
    )
    portal.report_day(service_db, program, day, TODAY, 8, "hard", "Stiff in the morning.", NOW)
    service_db.commit()
    read = programs.get_program_for_builder(service_db, patient.clinic_id, program.id, NOW)
    assert (read.program.id, read.phone_link, read.latest_evaluation) == (program.id, False, day)
    patient_links.create_link(service_db, patient, SECRET, NOW, expiry_days=30)
    service_db.commit()
    assert programs.get_program_for_builder(service_db, patient.clinic_id, program.id, NOW).phone_link
    assert not programs.get_program_for_builder(
        service_db, patient.clinic_id, program.id, NOW + timedelta(days=31)
    ).phone_link

    home = home_reports.home_reports(service_db, patient.clinic_id, patient.id, TODAY - timedelta(days=56))
    assert home.pains == [(day, 8)]
    assert home.comments == [home_reports.DayNote(day, 8, "hard", "Stiff in the morning.")]
    alerts = open_alerts(service_db, patient.clinic_id, patient_id=patient.id)  # as the dashboard reads them
    assert [(a.day, a.reason, a.comment) for a in home.alerts] == [(a.day, a.reason, a.comment) for a in alerts]
    assert [a.comment for a in home.alerts] == ["Stiff in the morning."]

    assert given.last_frozen(service_db, program.id) is None
    issuing.issue(service_db, program, None, "print", NOW)
    service_db.commit()
    newest = given.last_frozen(service_db, program.id)
    assert (newest.number, newest.created_at) == (1, NOW)
    assert home_reports.adherence(service_db, program, TODAY, newest=newest) == home_reports.adherence(
        service_db, program, TODAY
    )


def test_the_builder_reads_every_recorded_pattern_with_the_program_on_both_databases(service_db):
    """The patient's recorded patterns come joined to the program's row: every one, oldest by date
    first (one dated back sorts before), so the current pattern is the newest by date, as a read
    of its own gives it, and only this patient's."""
    load_catalog(service_db)
    clinic = make_clinic(service_db)
    patient = make_patient(service_db, clinic)
    other = make_patient(service_db, clinic)
    program = program_for(service_db, patient, "chin-tuck-sitting")
    for recorded_on, note in (
        (TODAY - timedelta(days=3), "second"),
        (TODAY - timedelta(days=9), "first"),
        (TODAY, "third"),
    ):
        recorded_patterns.record_pattern(service_db, patient, PatternEntry(note=note), recorded_on, None, NOW)
    recorded_patterns.record_pattern(service_db, other, PatternEntry(note="other"), TODAY, None, NOW)
    service_db.commit()
    service_db.expire_all()
    read = programs.get_program_for_builder(service_db, clinic.id, program.id, NOW).program
    assert [p.note for p in read.patient.dystonia_patterns] == ["first", "second", "third"]
    assert patterns.patient_pattern(read.patient).note == "third"
    assert [p.note for p in recorded_patterns.pattern_history(service_db, clinic.id, patient.id)] == [
        "third",
        "second",
        "first",
    ]


def _planned(times: int, done: int = 0, due: bool = True) -> portal.PlannedExercise:
    return portal.PlannedExercise(due=due, times=times, done=done, days=tuple(range(7)))


WAIT_EN = "Nothing to do yet: 1 exercise waits for your therapist to set the way to move."


@pytest.mark.parametrize(
    "done, expected",
    [
        ({}, (0, 4)),  # nothing ticked
        ({1: 1, 2: 2, 3: 1}, (4, 4)),  # everything ticked
        ({1: 1}, (1, 4)),  # one of them
        ({2: 1}, (1, 4)),  # time 1 of 2 counts as 1
        ({1: 5, 2: 9}, (3, 4)),  # ticked more than prescribed now (the dosage went down since)
        ({4: 1}, (0, 4)),  # an exercise no longer in the program
        ({5: 1}, (1, 5)),  # ticked before a re-evaluation stopped it: done, and planned, nothing more
        ({6: 1}, (0, 4)),  # waiting from the start (no side): counts in neither
    ],
)
def test_adherence_counts_each_day_as_the_phone_page_does(done, expected):
    """What adherence counts of a day (times ticked, times planned: day_counts.totals) is the phone
    page's count of it (day_count), on a day exercise 3 is due."""
    day = date(2026, 11, 16)
    found = [
        day_counts.Schedule(1, tuple(range(7)), 1),
        day_counts.Schedule(2, tuple(range(7)), 2),
        day_counts.Schedule(3, (0, 2, 4), 1),
        day_counts.Schedule(5, tuple(range(7)), 3, stopped_on=day),
        day_counts.Schedule(6, tuple(range(7)), 1, stopped_on=date.min),
    ]
    done = {(e, 0): n for e, n in done.items()}  # each the only copy of its exercise
    plan = day_counts.plan_of(found, day, done)
    count = portal.day_count(plan)
    assert day_counts.totals(plan) == (count.done, count.times) == expected
    # Adherence counts by day_totals: the same numbers, without a PlannedExercise each.
    assert day_counts.day_totals(found, day, done) == expected
    # And on a day exercise 3 rests, the day before the stop, and the day a new sheet was given
    # after 1 time of each exercise was ticked for the paper before: as the phone page counts them.
    for other_day, given_on in ((day + timedelta(days=1), None), (day - timedelta(days=1), None), (day, day)):
        changed = [s._replace(given_on=given_on, ticked_before=1) for s in found]
        count = portal.day_count(day_counts.plan_of(changed, other_day, done))
        assert day_counts.day_totals(changed, other_day, done) == (count.done, count.times)


@pytest.mark.parametrize(
    "plan, waiting, is_today, language, said",
    [
        # once a day each: exercises and times are one count
        ({1: _planned(1, 1), 2: _planned(1)}, set(), True, "en", "1 of 2 done today."),
        ({1: _planned(1, 1), 2: _planned(1)}, set(), False, "es", "Ha hecho 1 de 2."),
        # a first tick of two counts: it used to read "0 of 2 done today"
        ({1: _planned(2, 1), 2: _planned(1)}, set(), True, "en", "1 of 3 times done today."),
        ({1: _planned(4, 3), 2: _planned(2, 2)}, set(), True, "es", "Hoy ha hecho 5 de 6 veces."),
        ({1: _planned(2, 1), 2: _planned(1)}, set(), False, "en", "1 of 3 times done."),
        # the only exercise waits for its direction: it used to read "0 of 0 done today"
        ({1: _planned(1)}, {1}, True, "en", WAIT_EN),
        (
            {1: _planned(2), 2: _planned(1)},
            {1, 2},
            True,
            "es",
            "Aún no hay nada que hacer. 2 ejercicios esperan a que su terapeuta indique hacia qué lado moverse.",
        ),
        # one waits, one is ready: the ready one is counted, the waiting one says so at itself
        ({1: _planned(1), 2: _planned(1, 1)}, {1}, True, "en", "1 of 1 done today."),
        # a rest day for every exercise
        ({1: _planned(1, due=False)}, set(), True, "en", "Today is a rest day. Nothing is due."),
        ({1: _planned(1, due=False)}, set(), False, "en", "A rest day: nothing was due."),
        ({1: _planned(1, due=False)}, set(), True, "es", "Hoy es día de descanso. No toca ningún ejercicio."),
        # waiting on a day it is not due: a rest day all the same
        ({1: _planned(1, due=False)}, {1}, True, "en", "Today is a rest day. Nothing is due."),
    ],
)
def test_the_phone_page_count_counts_every_tick_and_never_says_0_of_0(plan, waiting, is_today, language, said):
    assert portal.count_sentence(portal.day_count(plan, waiting), is_today, language) == said


STOPPED_EN = "Your therapist will give you a new sheet."


@pytest.mark.parametrize(
    "ticked, ready, is_today, language, said",
    [
        # every exercise due stopped by a re-evaluation, ticked before it: said, never "0 of 0"
        ({5: 2, 6: 1}, False, True, "en", f"Done today before the change: 3 times. {STOPPED_EN}"),
        ({5: 1}, False, True, "en", f"Done today before the change: 1 time. {STOPPED_EN}"),
        (
            {5: 2, 6: 1},
            False,
            True,
            "es",
            "Hecho hoy antes del cambio: 3 veces. Su terapeuta le dará una hoja nueva.",
        ),
        ({}, False, True, "en", f"Nothing to do for now. {STOPPED_EN}"),
        ({}, False, True, "es", "Por ahora no hay nada que hacer. Su terapeuta le dará una hoja nueva."),
        ({5: 1}, False, False, "en", "Done that day before the change: 1 time."),
        ({5: 2, 6: 1}, False, False, "es", "Hecho ese día antes del cambio: 3 veces."),
        ({}, False, False, "en", "Nothing was due that day. Your exercises waited for a new sheet."),
        ({}, False, False, "es", "Ese día no tocaba nada. Sus ejercicios esperaban una hoja nueva."),
        # one still to do: the usual count, the ticks before the change among it
        ({5: 2, 1: 1}, True, True, "en", "3 of 3 times done today."),
    ],
)
def test_the_count_when_every_exercise_due_waits_for_a_new_sheet(ticked, ready, is_today, language, said):
    """Session 11: when a re-evaluation stopped every exercise due, the count line said they
    "wait for your therapist to set the way to move" (set, and done, before) and left out the
    times ticked before the change. Read through the day count's own path (Schedule, plan_of)."""
    day = date(2026, 11, 16)
    found = [
        day_counts.Schedule(5, tuple(range(7)), 3, stopped_on=day),  # moved by the re-evaluation
        day_counts.Schedule(6, tuple(range(7)), 1, stopped_on=day),
        day_counts.Schedule(7, tuple(range(7)), 1, stopped_on=date.min),  # waits from the start
        day_counts.Schedule(8, (6,), 1, stopped_on=day),  # not due that day (a Monday)
    ]
    if ready:
        found.append(day_counts.Schedule(1, tuple(range(7)), 1))
    count = portal.day_count(day_counts.plan_of(found, day, {(e, 0): n for e, n in ticked.items()}))
    assert portal.count_sentence(count, is_today, language) == said
    assert len(said.split(". ")[0].split()) <= 15


def test_another_clinic_s_rows_for_the_same_patient_id_never_appear(catalog_db):
    """Patient data is read only inside its clinic: day reports and a daily email that carry this
    patient's id but another clinic's (a row gone astray, an import) show on no page of this
    patient: not in the pains or comments of the patient page, not on the phone's day, and they
    do not count as today's reminder made."""
    load_catalog(catalog_db)
    patient = make_patient(catalog_db, make_clinic(catalog_db), email="p@example.org")
    program = program_for(catalog_db, patient, "chin-tuck-sitting")
    other = make_clinic(catalog_db)
    mine, astray = TODAY - timedelta(days=2), TODAY - timedelta(days=1)
    portal.report_day(catalog_db, program, mine, TODAY, 3, "easy", "Mine.", NOW)
    catalog_db.add(
        DayReport(
            clinic_id=other.id, patient_id=patient.id, program_id=program.id, day=astray, pain=9, comment="Astray."
        )
    )
    catalog_db.flush()

    home = home_reports.home_reports(catalog_db, patient.clinic_id, patient.id, TODAY - timedelta(days=56))
    assert home.pains == [(mine, 3)]
    assert [note.comment for note in home.comments] == ["Mine."]
    assert [r.day for r in home_reports.pain_history(catalog_db, patient.clinic_id, patient.id, mine)] == [mine]

    # Turned on after today's time: today's email waits for the next day, whatever another clinic holds.
    reminder = exercise_reminders.turn_on(catalog_db, patient, time(9, 0), "therapist", NOW, SECRET)
    catalog_db.add(
        OutboxMessage(
            clinic_id=other.id,
            kind=exercise_reminders.KIND,
            program_id=program.id,
            patient_id=patient.id,
            recipient="patient",
            due_on=TODAY,
            send_at=NOW,
            next_attempt_at=NOW,
        )
    )
    catalog_db.flush()
    assert exercise_reminders.waits_for_next_day(catalog_db, reminder, NOW)


def test_another_clinic_s_reminder_setting_for_the_same_patient_id_is_not_theirs(catalog_db):
    """A reminder setting that carries this patient's id but another clinic's is not read as
    theirs (their reminders are off, as the pages say), nor turned off in that clinic."""
    patient = make_patient(catalog_db, make_clinic(catalog_db))
    astray = ExerciseReminder(
        clinic_id=make_clinic(catalog_db).id,
        patient_id=patient.id,
        enabled=True,
        send_time=time(9, 0),
        changed_by="therapist",
        nonce="n",
        token_hash="astray",
    )
    catalog_db.add(astray)
    catalog_db.flush()
    assert exercise_reminders.reminder_of(catalog_db, patient) is None
    exercise_reminders.turn_off(catalog_db, patient, "therapist", NOW)
    assert astray.enabled
