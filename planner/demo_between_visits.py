"""The demo's between-visit story: one patient with cervical dystonia on a toxin cycle, six weeks
of weekly questionnaires, re-evaluations at the peak and at wearing off, and exercise ticks.

The answers rise and fall with the cycle (worse as the first injection wears off, better after
the second), so the timeline on the patient page shows what the feature is for.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from planner.models import ExerciseLog, Patient, Program
from planner.services import evaluations, questionnaires, toxin_cycle
from planner.services.calendar_window import Window
from planner.services.evaluations import EvaluationData
from planner.services.patterns import copies
from planner.services.reminders import Schedule
from planner.services.toxin_cycle import Dose, InjectionData

WEEKS = 6
# Week by week, oldest first: pain now, worst pain in the week, the two activities (PSFS),
# the symptom. The first injection wears off around week 4; the second comes in week 5.
ANSWERS = [
    (4, 5, 6, 5, 4),
    (5, 6, 5, 4, 5),
    (6, 7, 4, 3, 6),
    (7, 8, 3, 2, 7),
    (6, 7, 4, 3, 6),
    (4, 5, 6, 5, 4),
]
# (days before today, TWSTRS severity, pain 0-10, active rotation to the left in degrees)
MEASURES = [(91, 22, 6, 40), (63, 15, 3, 60), (21, 21, 6, 45)]
DONE_SHARE = [0.9, 0.85, 0.7, 0.5, 0.65, 0.9]  # share of planned days ticked, week by week


def add_between_visits(
    session: Session,
    patient: Patient,
    program: Program,
    therapist_id: int,
    today: date,
    now: datetime,
    *,
    window: Window = Window(),
    schedule: Schedule = Schedule(),
) -> None:
    """Give the patient injections, measures, six weeks of answers and ticks (program started 14 weeks ago)."""
    toxin_cycle.follow_cycle(session, patient, True, 5, 11, now, schedule=schedule)
    for days_ago, splenius in ((98, 80), (14, 90)):
        toxin_cycle.record_injection(
            session,
            patient,
            InjectionData(
                today - timedelta(days=days_ago),
                [
                    Dose("Sternocleidomastoid", None, 40),
                    Dose("Splenius capitis", splenius, None),
                    Dose("Levator scapulae", 30, None),
                ],
                "onabotulinumtoxinA",
                "Dr. Elena Ruiz, neurology",
            ),
            today,
            now,
            window=window,
            schedule=schedule,
        )
    for days_ago, severity, pain, rotation in MEASURES:
        on = today - timedelta(days=days_ago)
        data = EvaluationData(
            on,
            "Head turns to the left less at the peak of the injection." if days_ago == 63 else "",
            "",
            {"twstrs_severity": severity, "pain_nrs": pain, "arom_cervical_rotation_left": rotation},
        )
        evaluations.record_evaluation(session, program, data, therapist_id, now, window=window, schedule=schedule)
    first = today - timedelta(weeks=WEEKS)
    questionnaires.schedule(session, patient, ["psfs", "pain", "diary"], 7, first, today, now, window=window)
    for week, (pain, worst, reading, driving, pull) in enumerate(ANSWERS):
        due = first + timedelta(weeks=week)
        asked = questionnaires.current_questionnaire(session, patient, due, now)
        assert asked is not None
        # Maria writes in Spanish: what a patient types is kept as typed.
        named = ["Leer un libro", "Conducir y mirar por encima del hombro", ""] if week == 0 else []
        symptom = ["La cabeza se gira a la izquierda", ""] if week == 0 else []
        values = [*named, str(reading), str(driving), str(pain), str(worst), *symptom, str(pull)]
        values += ["Apoyar la mano en la nuca", "El estrés y el cansancio" if pain >= 6 else ""]
        for value in values:
            step = questionnaires.next_step(session, asked, due)[0]
            assert step is not None
            questionnaires.answer(session, asked, step.key, value, due, now)
    # Today's questions: begun, not finished, so the phone page offers to go on.
    asked = questionnaires.current_questionnaire(session, patient, today, now)
    if asked is not None:
        step = questionnaires.next_step(session, asked, today)[0]
        if step is not None:
            questionnaires.answer(session, asked, step.key, "7", today, now)
    _ticks(session, program, today)


def _ticks(session: Session, program: Program, today: date) -> None:
    """Exercise ticks for the last six weeks, fewer while the injection wears off."""
    for week, share in enumerate(DONE_SHARE):
        monday = today - timedelta(weeks=WEEKS - week)
        for day_n in range(7):
            day = monday + timedelta(days=day_n)
            if day > today or (day_n * 10) % 7 >= round(share * 7):
                continue
            session.add_all(
                ExerciseLog(
                    clinic_id=program.clinic_id,
                    patient_id=program.patient_id,
                    program_id=program.id,
                    exercise_id=item.exercise_id,
                    copy=copy,  # an exercise given for each side: each copy ticked
                    day=day,
                )
                for item, copy in zip(program.items, copies(i.exercise_id for i in program.items), strict=True)
            )
    session.flush()
