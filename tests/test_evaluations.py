"""Re-evaluations: measures with valid ranges, the next date, trends; visits and plan-of-care due dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from planner.services import DomainError, care, evaluations, measures, programs, reevaluation
from planner.services.care import progress_report_due
from planner.services.evaluations import EvaluationData
from planner.web.evaluations.chart import describe, trend_svg
from tests.factories import make_clinic, make_patient, make_user
from tests.reminder_factories import make_program

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
D = date


@pytest.fixture
def world(service_db):
    db = service_db
    clinic = make_clinic(db, "Evaluation Clinic", timezone="America/New_York")
    therapist = make_user(db, clinic, email=f"t{clinic.id}@eval.org")
    patient = make_patient(db, clinic, "Hana Kovac", primary_therapist_id=therapist.id)
    program = make_program(db, patient, therapist.id, NOW, start=D(2026, 3, 1), interval=30)
    return db, therapist, patient, program


@pytest.mark.parametrize(
    "key, low, high",
    [
        ("twstrs_severity", 0, 35),
        ("twstrs_disability", 0, 30),
        ("twstrs_pain", 0, 20),
        ("pain_nrs", 0, 10),
        ("arom_cervical_rotation_left", 0, 90),
        ("arom_cervical_rotation_right", 0, 90),
        ("bsdi", 0, 30),
        ("wcrs", 0, 30),
    ],
)
def test_built_in_measures_and_their_ranges(key, low, high):
    measure = {m.key: m for m in measures.BUILT_IN}[key]
    assert (measure.low, measure.high) == (low, high)
    measures.check_value(measure, low)
    measures.check_value(measure, high)
    for wrong in (low - 1, high + 0.5):
        with pytest.raises(DomainError) as refused:
            measures.check_value(measure, wrong)
        assert refused.value.field == key


def test_next_date_is_by_hand_else_interval_from_the_latest_evaluation(world):
    db, therapist, _patient, program = world
    assert reevaluation.next_reevaluation(program) == D(2026, 3, 31)
    evaluations.record_evaluation(db, program, EvaluationData(D(2026, 4, 2), values={"pain_nrs": 6}), therapist.id, NOW)
    assert reevaluation.next_reevaluation(program) == D(2026, 5, 2)
    evaluations.record_evaluation(db, program, EvaluationData(D(2026, 3, 20)), therapist.id, NOW)  # late entry
    assert reevaluation.next_reevaluation(program) == D(2026, 5, 2)  # the latest evaluation counts
    details = programs.ProgramDetails("Neck program", D(2026, 3, 1), reeval_interval_days=30, reeval_date=D(2026, 7, 1))
    programs.update_details(db, program, details, None, NOW)
    assert reevaluation.next_reevaluation(program) == D(2026, 7, 1)  # set by hand wins
    evaluations.record_evaluation(db, program, EvaluationData(D(2026, 5, 30)), therapist.id, NOW)
    assert program.reeval_date is None and reevaluation.next_reevaluation(program) == D(2026, 6, 29)
    db.commit()


@pytest.mark.parametrize(
    "data, field",
    [
        (EvaluationData(D(2026, 6, 2)), "evaluated_on"),  # tomorrow in New York
        (EvaluationData(D(2026, 2, 28)), "evaluated_on"),  # before the program started
        (EvaluationData(D(2026, 5, 1), values={"twstrs_severity": 36}), "twstrs_severity"),
        (EvaluationData(D(2026, 5, 1), values={"pain_nrs": -1}), "pain_nrs"),
        (EvaluationData(D(2026, 5, 1), values={"no_such_scale": 3}), "no_such_scale"),
    ],
)
def test_bad_evaluations_are_refused_naming_the_field(world, data, field):
    db, therapist, _patient, program = world
    with pytest.raises(DomainError) as refused:
        evaluations.record_evaluation(db, program, data, therapist.id, NOW)
    assert refused.value.field == field


def test_clinic_measures_join_the_list_with_their_range_and_stay_in_their_clinic(world):
    db, therapist, patient, program = world
    grip = measures.add_clinic_measure(db, patient.clinic_id, "Grip strength", "kg", 0, 80, "higher")
    other = make_clinic(db, "Other Evaluation Clinic")
    assert measures.clinic_key(grip.id) in {m.key for m in measures.measures_for(db, patient.clinic_id)}
    assert measures.clinic_key(grip.id) not in {m.key for m in measures.measures_for(db, other.id)}
    with pytest.raises(DomainError, match="already"):
        measures.add_clinic_measure(db, patient.clinic_id, "grip strength", "kg", 0, 80)
    with pytest.raises(DomainError) as refused:
        measures.add_clinic_measure(db, patient.clinic_id, "Reach", "cm", 10, 10)
    assert refused.value.field == "high"
    key = measures.clinic_key(grip.id)
    with pytest.raises(DomainError) as refused:
        evaluations.record_evaluation(db, program, EvaluationData(D(2026, 5, 1), values={key: 81}), therapist.id, NOW)
    assert refused.value.field == key
    evaluations.record_evaluation(db, program, EvaluationData(D(2026, 5, 1), values={key: 22.5}), therapist.id, NOW)
    [trend] = evaluations.trends(db, patient.clinic_id, patient.id)
    assert trend.measure.name == "Grip strength" and trend.points == [(D(2026, 5, 1), 22.5)]


def test_trends_and_their_chart(world):
    db, therapist, patient, program = world
    for day, severity, rotation in [(D(2026, 3, 5), 28, 40), (D(2026, 4, 2), 24, 55), (D(2026, 5, 7), 19.5, 70)]:
        evaluations.record_evaluation(
            db,
            program,
            EvaluationData(day, values={"twstrs_severity": severity, "arom_cervical_rotation_left": rotation}),
            therapist.id,
            NOW,
        )
    db.commit()
    severity, rotation = evaluations.trends(db, patient.clinic_id, patient.id)
    assert severity.measure.key == "twstrs_severity" and severity.change == -8.5
    assert rotation.points[-1] == (D(2026, 5, 7), 70)
    svg = str(trend_svg(severity, "t1"))
    assert svg.startswith("<svg") and 'role="img"' in svg and svg.count("<circle") == 3
    assert "<polyline" in svg and "2026-03-05" in svg and "2026-05-07" in svg
    assert describe(severity) == (
        "TWSTRS severity: from 28 on 2026-03-05 to 19.5 points on 2026-05-07, 3 measurements (lower is better)."
    )


# The rule "a progress report every N visits or M days, whichever comes first".
@pytest.mark.parametrize(
    "visits, n, m, due, reason, left",
    [
        ([], 10, 30, D(2026, 1, 31), "days", 10),  # no visit yet: 30 days after the start
        ([D(2026, 1, d) for d in range(2, 11)], 10, 30, D(2026, 1, 31), "days", 1),  # 9 visits: still the days
        ([D(2026, 1, d) for d in range(2, 12)], 10, 30, D(2026, 1, 11), "visits", 0),  # 10th visit on the 11th
        # Every 4 days: the 10th visit is on 10 February, so the 30 days come first.
        ([D(2026, 1, 1) + timedelta(days=4 * i) for i in range(1, 11)], 10, 30, D(2026, 1, 31), "days", 0),
        (
            [D(2026, 1, 1)] + [D(2026, 1, d) for d in range(2, 11)],
            10,
            30,
            D(2026, 1, 31),
            "days",
            1,
        ),  # same day not counted
        ([D(2026, 1, d) for d in range(2, 12)], 10, 0, D(2026, 1, 11), "visits", 0),  # days off
        ([D(2026, 1, d) for d in range(2, 5)], 10, 0, None, "", 7),  # days off, visits not reached
        ([D(2026, 1, d) for d in range(2, 30)], 0, 30, D(2026, 1, 31), "days", None),  # visits off
        ([D(2026, 1, d) for d in range(2, 12)], 10, 10, D(2026, 1, 11), "visits", 0),  # both on the same day
    ],
)
def test_progress_report_every_n_visits_or_m_days_whichever_first(visits, n, m, due, reason, left):
    result = progress_report_due(D(2026, 1, 1), visits, n, m)
    assert (result.due_on, result.reason, result.visits_left) == (due, reason, left)


PROFILES = {"us_medicare": care.Profile("us_medicare", "US Medicare", 10, 30, 90)}


def test_visits_count_and_reports_reset_the_plan_of_care(world):
    db, therapist, _patient, program = world
    assert care.status(db, program, PROFILES) is None  # no profile chosen, none by default
    care.set_profile(db, program, "us_medicare", PROFILES)
    status = care.status(db, program, PROFILES)
    assert status.progress.due_on == D(2026, 3, 31) and status.recertification_due == D(2026, 5, 30)
    for day in range(2, 12):
        care.record_visit(db, program, D(2026, 3, day), "treatment", "", therapist.id, NOW)
    assert care.status(db, program, PROFILES).progress.due_on == D(2026, 3, 11)  # the 10th visit
    care.record_visit(db, program, D(2026, 3, 12), "progress_report", "Report sent to the physician", therapist.id, NOW)
    status = care.status(db, program, PROFILES)
    assert (status.progress.since, status.progress.due_on, status.progress.visits_since) == (
        D(2026, 3, 12),
        D(2026, 4, 11),
        0,
    )
    evaluations.record_evaluation(db, program, EvaluationData(D(2026, 3, 20)), therapist.id, NOW)
    assert care.status(db, program, PROFILES).progress.since == D(2026, 3, 20)  # a re-evaluation resets it
    care.record_visit(db, program, D(2026, 5, 28), "recertification", "", therapist.id, NOW)
    status = care.status(db, program, PROFILES)
    assert status.recertification_due == D(2026, 8, 26) and status.progress.since == D(2026, 5, 28)
    with pytest.raises(DomainError) as refused:
        care.record_visit(db, program, D(2026, 6, 2), "treatment", "", therapist.id, NOW)
    assert refused.value.field == "visited_on"
    with pytest.raises(DomainError):
        care.set_profile(db, program, "no_such_payer", PROFILES)
    db.commit()


def test_plan_of_care_is_off_by_default_and_profiles_come_from_config():
    from planner.config import read_settings

    settings = read_settings()
    assert care.profiles(settings) == {}
    settings["plan_of_care"]["enabled"] = True
    medicare = care.profiles(settings)["us_medicare"]
    assert (medicare.progress_report_visits, medicare.progress_report_days, medicare.recertification_days) == (
        10,
        30,
        90,
    )


@pytest.mark.parametrize(
    ("first", "again"),
    [("Πόνος αυχένα", "ΠΌΝΟΣ ΑΥΧΈΝΑ"), ("Боль в шее", "БОЛЬ В ШЕЕ"), ("Kraft  Straße", "KRAFT STRASSE")],
)
def test_a_measure_name_is_taken_whatever_its_case_in_any_script(service_db, first, again):
    clinic = make_clinic(service_db)
    measures.add_clinic_measure(service_db, clinic.id, first, "points", 0, 10)
    with pytest.raises(DomainError, match="already"):
        measures.add_clinic_measure(service_db, clinic.id, again, "points", 0, 10)
