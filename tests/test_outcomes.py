"""Between visits, the service layer: questionnaires scheduled, answered one question at a time,
scored and kept unchanged; pain answers under the pain alert rules; injections moving the
re-evaluations that follow the toxin cycle; and all of it only inside its clinic."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from planner.models import QuestionnaireAnswer
from planner.scoping import CLINIC_SCOPED, get_scoped, scoped
from planner.services import DomainError, NotFound, reevaluation, toxin_cycle
from planner.services import questionnaires as q
from planner.services.toxin_cycle import Dose, InjectionData
from tests.factories import make_clinic, make_patient, make_user
from tests.reminder_factories import make_program, pending

TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def patient(service_db):
    clinic = make_clinic(service_db)
    return make_patient(service_db, clinic, "Ana Núñez")


def scheduled(db, patient, parts=("psfs", "pain", "diary"), every=14, start=TODAY):
    q.schedule(db, patient, list(parts), every, start, TODAY, NOW)
    db.commit()
    return q.current_questionnaire(db, patient, start, NOW)


def answer_all(db, questionnaire, today, values):
    """Answer the next questions in order with `values`; returns the keys answered."""
    keys = []
    for value in values:
        step, _n, _total = q.next_step(db, questionnaire, today)
        q.answer(db, questionnaire, step.key, value, today, NOW)
        keys.append(step.key)
    db.commit()
    return keys


@pytest.mark.parametrize(
    "start, every, today, due",
    [
        (TODAY, 14, TODAY - timedelta(days=1), None),  # not begun yet
        (TODAY, 14, TODAY, TODAY),
        (TODAY, 14, TODAY + timedelta(days=13), TODAY),  # still the first one
        (TODAY, 14, TODAY + timedelta(days=14), TODAY + timedelta(days=14)),
        (TODAY, 7, TODAY + timedelta(days=50), TODAY + timedelta(days=49)),
        (TODAY, 1, TODAY + timedelta(days=3), TODAY + timedelta(days=3)),
    ],
)
def test_a_questionnaire_comes_due_every_n_days_from_the_first_day(start, every, today, due):
    plan = q.OutcomePlan(parts=["pain"], every_days=every, starts_on=start)
    assert q.due_date(plan, today) == due
    assert q.next_due_date(plan, today) == (due + timedelta(days=every) if due else start)


@pytest.mark.parametrize(
    "parts, every, start, field",
    [
        (["psfs", "x-ray"], 14, TODAY, "parts"),
        (["pain"], 0, TODAY, "every_days"),
        (["pain"], 366, TODAY, "every_days"),
        (["pain"], 14, None, "starts_on"),
        (["pain"], 14, date(1900, 1, 1), "starts_on"),
    ],
)
def test_a_bad_schedule_is_refused_at_its_field(service_db, patient, parts, every, start, field):
    with pytest.raises(DomainError) as e:
        q.schedule(service_db, patient, parts, every, start, TODAY, NOW)
    assert e.value.field == field


@pytest.mark.parametrize(
    "ratings, score",
    [([], None), ([5], 5), ([2, 4, 9], 5), ([0, 0, 1], 1 / 3), ([10, 10, 10], 10)],
)
def test_the_psfs_score_is_the_mean_of_the_activity_ratings(ratings, score):
    assert q.psfs_score(ratings) == (pytest.approx(score) if score is not None else None)


def test_the_questions_follow_the_parts_and_the_named_activities(service_db, patient):
    first = scheduled(service_db, patient)
    # Two activities named, the third left empty: naming ends, ratings follow, in the patient's words.
    answer_all(service_db, first, TODAY, ["Leer el periódico", "Κρατώ ένα φλιτζάνι", ""])
    keys = [s.key for s in q.steps(service_db, first, TODAY)]
    activities = q.named_items(service_db, patient.id, "activity")
    assert [a.name for a in activities] == ["Leer el periódico", "Κρατώ ένα φλιτζάνι"]
    assert keys[:5] == [
        "activity_1",
        "activity_2",
        "activity_3",
        f"psfs_{activities[0].id}",
        f"psfs_{activities[1].id}",
    ]
    assert keys[5:8] == ["pain_now", "pain_week", "symptom_1"]
    answer_all(service_db, first, TODAY, ["7"])
    # One of two activities rated: no PSFS score yet (a mean of part of them would mislead).
    assert "psfs" not in {s.key for s in q.series(service_db, patient.clinic_id, patient.id)}
    answer_all(service_db, first, TODAY, ["3", "6", "8", "Шея тянет вправо", "", "6", "手放在下巴上", "Stress"])
    assert first.finished_at is not None
    assert q.next_step(service_db, first, TODAY)[0] is None

    # The next questionnaire asks for ratings only: the activities and symptom were named once.
    later = TODAY + timedelta(days=14)
    second = q.current_questionnaire(service_db, patient, later, NOW)
    assert second.id != first.id
    kinds = [s.kind for s in q.steps(service_db, second, later)]
    assert kinds == ["rating", "rating", "rating", "rating", "rating", "text", "text"]
    answer_all(service_db, second, later, ["5", "9", "2", "4", "3", "", ""])
    series = {s.key: s.points for s in q.series(service_db, patient.clinic_id, patient.id)}
    assert series["psfs"] == [(TODAY, 5.0), (later, 7.0)]  # (7 + 3) / 2, then (5 + 9) / 2
    assert series["pain_now"] == [(TODAY, 6.0), (later, 2.0)]
    assert series["pain_week"] == [(TODAY, 8.0), (later, 4.0)]


def test_a_half_answered_questionnaire_is_kept_and_resumed_where_the_patient_stopped(service_db, patient):
    first = scheduled(service_db, patient, parts=("pain", "diary"))
    answer_all(service_db, first, TODAY, ["4"])
    service_db.close()  # the patient puts the phone away

    resumed = q.current_questionnaire(service_db, patient, TODAY + timedelta(days=3), NOW)
    assert resumed.id == first.id and resumed.finished_at is None
    step, number, _total = q.next_step(service_db, resumed, TODAY + timedelta(days=3))
    assert (step.key, number) == ("pain_week", 2)
    assert [(a.question, a.rating) for a in resumed.answers] == [("pain_now", 4)]


def test_an_answer_is_never_changed_after_it_is_saved(service_db, patient):
    first = scheduled(service_db, patient, parts=("pain",))
    answer_all(service_db, first, TODAY, ["4"])
    with pytest.raises(q.AlreadyAnswered):
        q.answer(service_db, first, "pain_now", "9", TODAY, NOW)
    with pytest.raises(DomainError):  # not the question on the screen
        q.answer(service_db, first, "tricks", "a hand on the chin", TODAY, NOW)
    service_db.rollback()
    ratings = service_db.scalars(select(QuestionnaireAnswer.rating).where(QuestionnaireAnswer.patient_id == patient.id))
    assert list(ratings) == [4]


@pytest.mark.parametrize("value", ["11", "-1", "", "seven", "4.5", "١٠٠"])
def test_a_rating_outside_0_to_10_is_refused_and_nothing_is_saved(service_db, patient, value):
    first = scheduled(service_db, patient, parts=("pain",))
    with pytest.raises(DomainError) as e:
        q.answer(service_db, first, "pain_now", value, TODAY, NOW)
    assert e.value.field == "value"
    service_db.rollback()
    assert q.next_step(service_db, first, TODAY)[0].key == "pain_now"


def test_a_late_questionnaire_is_dated_as_the_patient_says(service_db, patient):
    first = scheduled(service_db, patient, parts=("pain",))
    late = TODAY + timedelta(days=5)
    step, _n, total = q.next_step(service_db, first, late)
    assert (step.key, step.kind, total) == ("day", "date", 3)
    for day, message in [
        (late + timedelta(days=1), "That day has not come yet."),
        (TODAY - timedelta(days=1), "Choose the day the questions came, or a later day."),
    ]:
        with pytest.raises(DomainError, match=message):
            q.answer(service_db, first, "day", day.isoformat(), late, NOW)
    with pytest.raises(DomainError, match="Choose a day"):
        q.answer(service_db, first, "day", "2026-02-30", late, NOW)
    said = TODAY + timedelta(days=2)
    answer_all(service_db, first, late, [said.isoformat(), "3", "5"])
    assert first.answered_on == said
    assert {s.key: s.points for s in q.series(service_db, patient.clinic_id, patient.id)}["pain_now"] == [(said, 3.0)]


def test_a_questionnaire_on_time_is_dated_the_day_it_is_answered(service_db, patient):
    first = scheduled(service_db, patient, parts=("pain",))
    assert q.next_step(service_db, first, TODAY)[0].key == "pain_now"  # no day question
    answer_all(service_db, first, TODAY, ["2", "3"])
    assert first.answered_on == TODAY


@pytest.mark.parametrize(
    "before, question, value, alerts",
    [
        ([], "pain_now", "7", True),  # at the threshold
        ([], "pain_now", "6", False),
        ([], "pain_week", "8", True),  # worst this week counts too
        (["2", "2"], "pain_now", "5", True),  # a rise of 3 over the week before
        (["4", "3"], "pain_now", "5", False),
    ],
)
def test_the_pain_alert_rules_apply_to_pain_answers(service_db, patient, before, question, value, alerts):
    q.schedule(service_db, patient, ["pain"], 2, TODAY - timedelta(days=2 * len(before)), TODAY, NOW)
    for n, rating in enumerate(before):  # earlier questionnaires' "pain now", the week before
        day = TODAY - timedelta(days=2 * (len(before) - n))
        earlier = q.current_questionnaire(service_db, patient, day, NOW)
        q.answer(service_db, earlier, "pain_now", rating, day, NOW)
    today = q.current_questionnaire(service_db, patient, TODAY, NOW)
    if question == "pain_week":
        q.answer(service_db, today, "pain_now", "1", TODAY, NOW)
    _row, alert = q.answer(service_db, today, question, value, TODAY, NOW)
    assert (alert is not None) == alerts
    if alert is not None:
        assert alert.pain == int(value) and alert.day == TODAY


# ---- the botulinum toxin cycle -----------------------------------------------------------


def neck(on: date, *doses: Dose) -> InjectionData:
    return InjectionData(on, list(doses) or [Dose("Sternocleidomastoid", 40, None)], "onabotulinumtoxinA", "Dr. Ruiz")


def test_injection_dates_move_the_re_evaluations_that_follow_the_cycle(service_db, patient):
    therapist = make_user(service_db, _clinic(service_db, patient))
    program = make_program(service_db, patient, therapist.id, NOW, start=TODAY - timedelta(days=30), interval=42)
    interval_date = reevaluation.next_reevaluation(program)
    assert interval_date == TODAY + timedelta(days=12)

    toxin_cycle.follow_cycle(service_db, patient, True, 4, 11, NOW)
    assert reevaluation.next_reevaluation(program) == interval_date  # no injection yet: the interval holds

    injection = toxin_cycle.record_injection(service_db, patient, neck(TODAY - timedelta(days=7)), TODAY, NOW)
    service_db.commit()
    peak = TODAY + timedelta(days=21)  # 4 weeks after the injection
    assert reevaluation.next_reevaluation(program) == peak
    assert {row[0] for row in pending(service_db, program)} == {peak}

    # The injection was really two days later: the checks and their reminders move with it.
    toxin_cycle.update_injection(service_db, injection, neck(TODAY - timedelta(days=5)), TODAY, NOW)
    service_db.commit()
    assert reevaluation.next_reevaluation(program) == peak + timedelta(days=2)
    assert {row[0] for row in pending(service_db, program)} == {peak + timedelta(days=2)}
    assert program.reeval_due_on == peak + timedelta(days=2)  # stored, as the dashboard and feed read it

    # A re-evaluation near the peak counts for it; the next check is before the next injection.
    from planner.services import evaluations
    from planner.services.evaluations import EvaluationData

    evaluations.record_evaluation(
        service_db,
        program,
        EvaluationData(TODAY + timedelta(days=20), "", "", {}),
        therapist.id,
        NOW + timedelta(days=20),
    )
    service_db.commit()
    assert reevaluation.next_reevaluation(program) == TODAY - timedelta(days=5) + timedelta(weeks=11)

    # Deleted by mistake-correction: no injection, the interval from the re-evaluation applies again.
    toxin_cycle.delete_injection(service_db, injection, NOW)
    service_db.commit()
    assert reevaluation.next_reevaluation(program) == TODAY + timedelta(days=20 + 42)
    assert program.reeval_due_on == TODAY + timedelta(days=20 + 42)

    # Not following the cycle: the interval, whatever the injections.
    toxin_cycle.record_injection(service_db, patient, neck(TODAY), TODAY, NOW)
    toxin_cycle.follow_cycle(service_db, patient, False, 4, 11, NOW)
    service_db.commit()
    assert reevaluation.next_reevaluation(program) == TODAY + timedelta(days=20 + 42)


def _clinic(db, patient):
    from planner.models import Clinic

    return db.get(Clinic, patient.clinic_id)


@pytest.mark.parametrize(
    "data, field",
    [
        (InjectionData(None, []), "injected_on"),
        (neck(TODAY + timedelta(days=1)), "injected_on"),
        (neck(TODAY, Dose("", 10, None)), "doses-0-muscle"),
        (neck(TODAY, Dose("Masseter", None, None)), "doses-0-left_units"),
        (neck(TODAY, Dose("Masseter", 10, 0)), "doses-0-right_units"),
        (neck(TODAY, Dose("Masseter", 1001, None)), "doses-0-left_units"),
        (neck(TODAY, Dose("Masseter", 5, None), Dose("ä" * 121, 5, None)), "doses-1-muscle"),
    ],
)
def test_a_bad_injection_is_refused_at_its_field(service_db, patient, data, field):
    with pytest.raises(DomainError) as e:
        toxin_cycle.record_injection(service_db, patient, data, TODAY, NOW)
    assert e.value.field == field


@pytest.mark.parametrize(
    "peak, before, field", [(0, 11, "peak_weeks"), (4, 53, "before_weeks"), (8, 8, "before_weeks")]
)
def test_cycle_weeks_are_checked(service_db, patient, peak, before, field):
    with pytest.raises(DomainError) as e:
        toxin_cycle.follow_cycle(service_db, patient, True, peak, before, NOW)
    assert e.value.field == field


def test_injections_and_answers_stay_inside_their_clinic(service_db, patient):
    scheduled(service_db, patient, parts=("psfs", "pain"))
    answer_all(service_db, q.current_questionnaire(service_db, patient, TODAY, NOW), TODAY, ["Writing", "", "4", "6"])
    injection = toxin_cycle.record_injection(service_db, patient, neck(TODAY), TODAY, NOW)
    service_db.commit()
    other = make_clinic(service_db)
    for model in [m for m in CLINIC_SCOPED if m.__module__ == "planner.models.outcomes"]:
        assert service_db.scalars(scoped(model, patient.clinic_id)).first() is not None, model
        assert service_db.scalars(scoped(model, other.id)).all() == [], model
    with pytest.raises(NotFound):
        toxin_cycle.get_injection(service_db, other.id, injection.id)
    assert get_scoped(service_db, type(injection), patient.clinic_id, injection.id) is injection
    assert q.series(service_db, other.id, patient.id) == []
    assert toxin_cycle.injections_of_patient(service_db, other.id, patient.id) == []
