"""Patient-reported outcomes: questionnaires the therapist schedules and the patient answers
through the private link, one question at a time.

A questionnaire comes due every `every_days` days from the plan's start. Its questions are
worked out from its parts and what the patient has named so far (`steps`); each answer is its
own row, saved as it is given and never changed (the unique key refuses a second one), so a
patient who stops half way finds the next unanswered question when they come back.

No Flask here: question and error texts are marked with N_ and translated where they are shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from planner.i18n import N_
from planner.models import Patient
from planner.models.outcomes import OutcomeItem, OutcomePlan, Questionnaire, QuestionnaireAnswer
from planner.models.portal import PainAlert
from planner.scoping import scoped
from planner.services import DomainError, alerts
from planner.services.calendar_window import Window, check_in_window, shift

# The parts a questionnaire can hold, in the order they are asked (the therapist's words).
PARTS = {
    "psfs": "Patient-Specific Functional Scale",
    "pain": "Pain now and worst this week",
    "diary": "Symptom diary",
}
EVERY_DAYS_MAX = 365
NAMED_MAX = 3  # up to three activities (PSFS) and three top symptoms (diary)
NAME_MAX = 120
TEXT_MAX = 500
PAIN_QUESTIONS = ("pain_now", "pain_week")


@dataclass(frozen=True)
class Step:
    """One question on one screen.

    key: stored as QuestionnaireAnswer.question: "day", "activity_<n>" and "symptom_<n>" (naming,
    n = 1 to 3), "psfs_<item id>", "pain_now", "pain_week", "severity_<item id>", "tricks", "triggers";
    kind: "date", "rating" (0–10), "name" (names an activity or symptom) or "text";
    item: the named activity or symptom a rating is about.
    """

    key: str
    kind: str
    part: str
    item: OutcomeItem | None = None


# ---- the therapist's plan ----------------------------------------------------------------


def plan_of(session: Session, patient: Patient) -> OutcomePlan:
    """The patient's plan, made (empty, nothing scheduled) the first time it is asked for."""
    plan = session.scalars(scoped(OutcomePlan, patient.clinic_id).where(OutcomePlan.patient_id == patient.id)).first()
    if plan is None:
        # Through the relationship, so patient.outcome_plan (read by next_reevaluation) sees it at once.
        plan = OutcomePlan(clinic_id=patient.clinic_id, patient=patient, parts=[])
        session.add(plan)
        session.flush()
    return plan


def schedule(
    session: Session,
    patient: Patient,
    parts: list[str],
    every_days: int | None,
    starts_on: date | None,
    today: date,
    now: datetime,
    *,
    window: Window = Window(),
) -> OutcomePlan:
    """Set which questionnaire parts come, every how many days, from which day.

    No parts or no interval stops the questionnaires (answers already given stay).
    :raise DomainError: on "parts", "every_days" or "starts_on".
    """
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        raise DomainError("Choose parts from the list.", "parts")
    if every_days is not None and not 1 <= every_days <= EVERY_DAYS_MAX:
        raise DomainError(f"Send questions every 1 to {EVERY_DAYS_MAX} days.", "every_days")
    if parts and every_days and starts_on is None:
        raise DomainError("Enter the day of the first questions.", "starts_on")
    plan = plan_of(session, patient)
    # A first day the window has since left behind (or one saved before it narrowed) is as for
    # a program's dates (calendar_window.check_in_window's `saved`).
    check_in_window(starts_on, today, "starts_on", "first day", saved=plan.starts_on, window=window)
    plan.parts = [p for p in PARTS if p in parts]
    plan.every_days = every_days
    plan.starts_on = starts_on
    plan.updated_at = now
    session.flush()
    return plan


def due_date(plan: OutcomePlan | None, today: date) -> date | None:
    """The due day of the newest questionnaire on or before today; None when none is due yet."""
    if plan is None or not plan.parts or not plan.every_days or plan.starts_on is None or today < plan.starts_on:
        return None
    rounds = (today - plan.starts_on).days // plan.every_days
    return plan.starts_on + timedelta(days=rounds * plan.every_days)


def next_due_date(plan: OutcomePlan | None, today: date) -> date | None:
    """The due day of the next questionnaire after today (None when none is scheduled)."""
    if plan is None or not plan.parts or not plan.every_days or plan.starts_on is None:
        return None
    if today < plan.starts_on:
        return plan.starts_on
    current = due_date(plan, today)
    return shift(current, plan.every_days) if current else None


def current_questionnaire(session: Session, patient: Patient, today: date, now: datetime) -> Questionnaire | None:
    """The questionnaire due now (made when first asked for), finished or not; None when none is due.

    Only the newest one is offered: an older one left half done keeps its answers.
    """
    due = due_date(patient.outcome_plan, today)  # type: ignore[attr-defined]
    if due is None:
        return None
    query = select(Questionnaire).where(Questionnaire.patient_id == patient.id, Questionnaire.due_on == due)
    found = session.scalars(query).first()
    if found is not None:
        return found
    try:
        with session.begin_nested():  # two pages opened at once: the unique key keeps one row
            found = Questionnaire(
                clinic_id=patient.clinic_id,
                patient_id=patient.id,
                due_on=due,
                parts=list(patient.outcome_plan.parts),  # type: ignore[attr-defined]
                created_at=now,
            )
            session.add(found)
    except IntegrityError:
        found = session.scalars(query).one()
    return found


# ---- the questions -----------------------------------------------------------------------


def named_items(session: Session, patient_id: int, kind: str) -> list[OutcomeItem]:
    """The patient's named activities ("activity") or symptoms ("symptom"), in the order named."""
    return list(
        session.scalars(
            select(OutcomeItem)
            .where(OutcomeItem.patient_id == patient_id, OutcomeItem.kind == kind)
            .order_by(OutcomeItem.position, OutcomeItem.id)
        )
    )


def _naming_steps(questionnaire: Questionnaire, items: list[OutcomeItem], kind: str, part: str) -> list[Step]:
    """The "name an activity" screens, asked in the questionnaire that names them (the first one)."""
    if any(i.questionnaire_id != questionnaire.id for i in items):
        return []  # named before: this questionnaire only rates them
    answers = {a.question: a for a in questionnaire.answers}
    steps = []
    for n in range(1, NAMED_MAX + 1):
        key = f"{kind}_{n}"
        steps.append(Step(key, "name", part))
        if key in answers and not answers[key].text:
            break  # an empty name ends the list
        if key not in answers:
            break  # the next one is asked once this one is answered
    return steps


def steps(session: Session, questionnaire: Questionnaire, today: date) -> list[Step]:
    """Every question of the questionnaire, in order, as far as they are known yet.

    A late questionnaire starts by asking which day the answers are about. Naming screens end at
    the first empty name, so the list grows as the patient answers.
    """
    result: list[Step] = []
    answered = {a.question for a in questionnaire.answers}
    if "day" in answered or (questionnaire.answered_on is None and today > questionnaire.due_on):
        result.append(Step("day", "date", "day"))
    if "psfs" in questionnaire.parts:
        activities = named_items(session, questionnaire.patient_id, "activity")
        result += _naming_steps(questionnaire, activities, "activity", "psfs")
        result += [Step(f"psfs_{i.id}", "rating", "psfs", i) for i in activities]
    if "pain" in questionnaire.parts:
        result += [Step(key, "rating", "pain") for key in PAIN_QUESTIONS]
    if "diary" in questionnaire.parts:
        symptoms = named_items(session, questionnaire.patient_id, "symptom")
        result += _naming_steps(questionnaire, symptoms, "symptom", "diary")
        # "severity_<id>", never "symptom_<id>": that would be a naming question's key ("symptom_1").
        result += [Step(f"severity_{i.id}", "rating", "diary", i) for i in symptoms]
        result += [Step("tricks", "text", "diary"), Step("triggers", "text", "diary")]
    return result


def next_step(session: Session, questionnaire: Questionnaire, today: date) -> tuple[Step | None, int, int]:
    """(the first unanswered question or None when all are answered, its number, how many there are).

    The count is 0 while the patient is still naming activities or symptoms: each name adds its
    rating, so a count shown then would grow under the patient ("1 of 6", then "2 of 8").
    """
    answered = {a.question for a in questionnaire.answers}
    all_steps = steps(session, questionnaire, today)
    naming = any(s.kind == "name" and s.key not in answered for s in all_steps)
    total = 0 if naming else len(all_steps)
    for n, step in enumerate(all_steps, start=1):
        if step.key not in answered:
            return step, n, total
    return None, len(all_steps), total


class AlreadyAnswered(DomainError):
    """The question has its answer already; answers are never changed."""

    def __init__(self) -> None:
        super().__init__(N_("This answer was saved before. It stays as it was."), "value")


def answer(
    session: Session,
    questionnaire: Questionnaire,
    question: str,
    value: str,
    today: date,
    now: datetime,
    rules: alerts.AlertRules = alerts.AlertRules(),
) -> tuple[QuestionnaireAnswer, PainAlert | None]:
    """Save the answer to the questionnaire's next question; returns it and a new pain alert, if any.

    value: "0"–"10" for a rating, an ISO date for the day, free text otherwise ("" skips a text
    or ends the naming). `today` is the clinic's. Pain answers go through the pain alert rules.
    :raise AlreadyAnswered: when that question has its answer (a second tap, another tab).
    :raise DomainError: on "value" when the answer is not valid, or when it is not the question asked now.
    """
    if question in {a.question for a in questionnaire.answers}:
        raise AlreadyAnswered()
    step, _n, _total = next_step(session, questionnaire, today)
    if step is None or step.key != question:
        raise DomainError(N_("Please answer the question on the screen."), "value")
    row = QuestionnaireAnswer(
        clinic_id=questionnaire.clinic_id,
        patient_id=questionnaire.patient_id,
        questionnaire_id=questionnaire.id,
        question=question,
        item_id=step.item.id if step.item else None,
        saved_at=now,
    )
    if step.kind == "rating":
        row.rating = _rating(value)
    elif step.kind == "date":
        day = _answer_day(value, questionnaire.due_on, today)
        row.text = day.isoformat()
        questionnaire.answered_on = day
    else:
        row.text = " ".join(value.split()) if step.kind == "name" else value.strip()
        limit = NAME_MAX if step.kind == "name" else TEXT_MAX
        if len(row.text) > limit:
            raise DomainError(N_("That is too long. Please write it shorter."), "value")
    if questionnaire.answered_on is None:
        questionnaire.answered_on = today  # begun on time: the answers are about today
    try:
        with session.begin_nested():  # two taps racing: the unique key keeps the first
            session.add(row)
            if step.kind == "name" and row.text:
                item = OutcomeItem(
                    clinic_id=questionnaire.clinic_id,
                    patient_id=questionnaire.patient_id,
                    kind=question.split("_")[0],
                    position=int(question.rsplit("_", 1)[1]),
                    name=row.text,
                    questionnaire_id=questionnaire.id,
                    created_at=now,
                )
                session.add(item)
    except IntegrityError:
        raise AlreadyAnswered() from None
    session.refresh(questionnaire, ["answers"])
    if next_step(session, questionnaire, today)[0] is None:
        questionnaire.finished_at = now
    session.flush()
    alert = None
    if question in PAIN_QUESTIONS and row.rating is not None:
        alert = alerts.raise_pain_alert(
            session,
            questionnaire.clinic_id,
            questionnaire.patient_id,
            questionnaire.answered_on,
            row.rating,
            today,
            now,
            rules,
        )
    return row, alert


def _rating(value: str) -> int:
    """:raise DomainError: unless a whole number from 0 to 10."""
    text = value.strip()
    if not text.isdigit() or not 0 <= int(text) <= 10:
        raise DomainError(N_("Choose a number from 0 to 10."), "value")
    return int(text)


def _answer_day(value: str, due_on: date, today: date) -> date:
    """The day a late questionnaire's answers are about: from its due day to today.

    :raise DomainError: for no date, a future day or a day before it was due.
    """
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise DomainError(N_("Choose a day."), "value") from None
    if day > today:
        raise DomainError(N_("That day has not come yet."), "value")
    if day < due_on:
        raise DomainError(N_("Choose the day the questions came, or a later day."), "value")
    return day


# ---- scores and trends -------------------------------------------------------------------


def psfs_score(ratings: list[int]) -> float | None:
    """The Patient-Specific Functional Scale score: the mean of the activity ratings (0–10, higher is better).

    Source: Stratford P, Gill C, Westaway M, Binkley J. Assessing disability and change on
    individual patients: a report of a patient specific measure. Physiotherapy Canada 1995;
    47(4):258–263. Each activity is rated 0 ("unable to perform") to 10 ("able to perform at the
    same level as before"); the total score is their average. None without a rating.
    """
    return sum(ratings) / len(ratings) if ratings else None


@dataclass(frozen=True)
class Series:
    """A patient-reported value over time, for a trend chart and its table."""

    key: str  # "psfs", "pain_now", "pain_week" or "severity_<item id>"
    name: str
    better: str  # "higher" or "lower"
    points: list[tuple[date, float]]  # oldest first, by the day the answers are about
    low: float = 0
    high: float = 10
    unit: str = "points"

    @property
    def range_text(self) -> str:
        return "0 to 10"


def series(session: Session, clinic_id: int, patient_id: int) -> list[Series]:
    """The patient's answers as series: PSFS score, pain now, worst pain this week, each symptom."""
    rows = session.execute(
        scoped(QuestionnaireAnswer, clinic_id)
        .add_columns(Questionnaire.answered_on)
        .join(Questionnaire, Questionnaire.id == QuestionnaireAnswer.questionnaire_id)
        .where(QuestionnaireAnswer.patient_id == patient_id, QuestionnaireAnswer.rating.is_not(None))
        .order_by(Questionnaire.answered_on, QuestionnaireAnswer.id)
    ).all()
    activities = named_items(session, patient_id, "activity")
    psfs: dict[int, tuple[date, list[int]]] = {}
    by_key: dict[str, list[tuple[date, float]]] = {}
    for row, on in rows:
        if row.question.startswith("psfs_"):
            psfs.setdefault(row.questionnaire_id, (on, []))[1].append(row.rating)
        else:
            by_key.setdefault(row.question, []).append((on, float(row.rating)))
    # A PSFS score needs every activity named so far rated: the mean of a half-answered one would mislead.
    named_by = {qid: sum(1 for a in activities if a.questionnaire_id <= qid) for qid in psfs}
    psfs_points = sorted(
        (on, score)
        for qid, (on, ratings) in psfs.items()
        if len(ratings) == named_by[qid] and (score := psfs_score(ratings)) is not None
    )
    result = []
    if psfs_points:
        result.append(Series("psfs", "PSFS (mean of the activities)", "higher", psfs_points))
    if "pain_now" in by_key:
        result.append(Series("pain_now", "Pain now (patient's rating)", "lower", by_key["pain_now"]))
    if "pain_week" in by_key:
        result.append(Series("pain_week", "Worst pain in the week", "lower", by_key["pain_week"]))
    for item in named_items(session, patient_id, "symptom"):
        if f"severity_{item.id}" in by_key:
            result.append(
                Series(f"severity_{item.id}", f"Symptom: {item.name}", "lower", by_key[f"severity_{item.id}"])
            )
    return result


def answered_questionnaires(session: Session, clinic_id: int, patient_id: int, limit: int = 12) -> list[Questionnaire]:
    """The patient's questionnaires with at least one answer, newest first."""
    return list(
        session.scalars(
            scoped(Questionnaire, clinic_id)
            .where(Questionnaire.patient_id == patient_id, Questionnaire.answered_on.is_not(None))
            .order_by(Questionnaire.due_on.desc())
            .limit(limit)
        )
    )
