"""Pain alerts: when a pain rating the patient gives calls for one (the day report's and the
questionnaire's alike), at most one a day; the unseen ones the dashboard and the patient's page list,
marked seen by the therapist; each reaches the therapist by email through the outbox (retried,
visible when it fails)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import (
    Select,
    and_,
    bindparam,
    func,
    or_,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from planner.models import OutboxMessage, Patient, Program
from planner.models.outcomes import Questionnaire, QuestionnaireAnswer
from planner.models.portal import DayReport, PainAlert
from planner.scoping import get_scoped, scoped


def queue_pain_alert(session: Session, alert: PainAlert, program: Program, now: datetime) -> OutboxMessage | None:
    """Queue the alert email to the patient's primary therapist (or the program's author).

    None when the patient has no therapist to tell; the alert still shows on the pages.
    """
    patient = program.patient
    therapist_id = patient.primary_therapist_id or program.therapist_id
    if therapist_id is None:
        return None
    row = OutboxMessage(
        clinic_id=program.clinic_id,
        kind="pain_alert",
        program_id=program.id,
        patient_id=patient.id,
        user_id=therapist_id,
        recipient="therapist",
        due_on=alert.day,
        send_at=now,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


# A patient's comment in a pain alert on the dashboard or in the email; the patient's page shows it whole.
ALERT_COMMENT_PREVIEW = 160


@dataclass(frozen=True)
class AlertRules:
    threshold: int = 7  # a rating at or above this alerts
    rise: int = 3  # or a rise of this much over the average of the week before


def raise_pain_alert(
    session: Session,
    clinic_id: int,
    patient_id: int,
    day: date,
    pain: int,
    today: date,
    now: datetime,
    rules: AlertRules = AlertRules(),
    day_report_id: int | None = None,
) -> PainAlert | None:
    """A new pain alert when a pain rating (0–10) about `day` calls for one; None otherwise.

    The one rule for every pain rating a patient gives: the day report's and the questionnaire's.
    At most one alert per patient and (clinic) day.
    """
    reason = alert_reason(session, patient_id, day, pain, rules)
    if reason is None:
        return None
    if session.scalars(select(PainAlert).where(PainAlert.patient_id == patient_id, PainAlert.day == today)).first():
        return None  # once a day at most
    alert = PainAlert(
        clinic_id=clinic_id,
        patient_id=patient_id,
        day=today,
        pain=pain,
        reason=reason,
        day_report_id=day_report_id,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(alert)
    except IntegrityError:
        return None
    return alert


def alert_reason(session: Session, patient_id: int, day: date, pain: int, rules: AlertRules) -> str | None:
    """Why this pain rating should alert the therapist, or None.

    The week before counts the day reports' pain and the questionnaires' "pain now" alike.
    """
    if pain >= rules.threshold:
        return f"Pain {pain}/10 is at or above {rules.threshold}."
    week_before = (day - timedelta(days=7), day)
    before = [
        *session.scalars(
            select(DayReport.pain).where(
                DayReport.patient_id == patient_id,
                DayReport.pain.is_not(None),
                DayReport.day >= week_before[0],
                DayReport.day < week_before[1],
            )
        ),
        # The pain the patient rated "now" in a questionnaire counts as that day's pain too.
        *session.scalars(
            select(QuestionnaireAnswer.rating)
            .join(Questionnaire, Questionnaire.id == QuestionnaireAnswer.questionnaire_id)
            .where(
                QuestionnaireAnswer.patient_id == patient_id,
                QuestionnaireAnswer.question == "pain_now",
                Questionnaire.answered_on >= week_before[0],
                Questionnaire.answered_on < week_before[1],
            )
        ),
    ]
    if before:
        average = sum(before) / len(before)
        if pain - average >= rules.rise:
            return f"Pain rose to {pain}/10 from an average of {average:.1f} over the week before."
    return None


def comment_preview(comment: str, limit: int = ALERT_COMMENT_PREVIEW) -> tuple[str, bool]:
    """A comment on one line, cut at a word boundary to at most `limit` characters with "…" at the end.

    Returns (text, shortened); shortened is True when something was left out, so the reader is
    told where the whole comment is.
    """
    text = " ".join(comment.split())
    if len(text) <= limit:
        return text, False
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:  # a long word (or a script without spaces) is cut where it stands
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…", True


def open_alerts(
    session: Session,
    clinic_id: int,
    therapist_id: int | None = None,
    *,
    patient_id: int | None = None,
    limit: int | None = None,
    before: tuple[datetime, int] | None = None,
) -> list[PainAlert]:
    """Unseen pain alerts of the clinic, newest first: of one therapist's patients, or of one
    patient, when given; at most `limit` of them when given; older than the alert whose
    (created_at, id) is `before` when given (a page after the page that ended with it)."""
    statement = _alerts_statement(
        therapist_id is not None, patient_id is not None, limit is not None, before is not None
    )
    values: dict[str, Any] = {"clinic_id": clinic_id, "therapist_id": therapist_id, "patient_id": patient_id}
    values["limit"] = limit
    if before is not None:
        values["before_at"], values["before_id"] = before
    return list(session.scalars(statement, {k: v for k, v in values.items() if v is not None}))


class ShownAlert(NamedTuple):
    """An unseen pain alert as the therapist's lists show it: plain values, the comment and the
    patient's name read with it."""

    id: int
    patient_id: int
    patient_name: str
    day: date
    reason: str
    comment: str  # the patient's comment on the day that raised it ("" when none): PainAlert.comment


def therapist_alerts(
    session: Session, clinic_id: int, therapist_id: int, limit: int, before: tuple[datetime, int] | None = None
) -> list[ShownAlert]:
    """open_alerts of one therapist's patients (at most `limit`, older than `before` when given), as
    the dashboard and its list of alerts show them: one statement, the day report's comment and the
    patient's name joined (no ORM rows, no lazy load of a day report per alert)."""
    values: dict[str, Any] = {"clinic_id": clinic_id, "therapist_id": therapist_id, "limit": limit}
    if before is not None:
        values["before_at"], values["before_id"] = before
    return [ShownAlert(*row) for row in session.execute(_shown_statement(before is not None), values)]


@functools.cache
def _shown_statement(paged: bool) -> Select[*tuple[Any, ...]]:
    """therapist_alerts' statement, built once per shape: open_alerts' own, with the shown columns."""
    return (
        _alerts_statement(True, False, True, paged)
        .outerjoin(DayReport, DayReport.id == PainAlert.day_report_id)
        .with_only_columns(
            PainAlert.id,
            PainAlert.patient_id,
            Patient.name,
            PainAlert.day,
            PainAlert.reason,
            func.coalesce(DayReport.comment, ""),
        )
    )


def count_open_alerts(session: Session, clinic_id: int, therapist_id: int, limit: int) -> int:
    """How many unseen pain alerts the therapist's patients have, counted up to `limit` only."""
    statement = _alerts_statement(True, False, True, False)
    counted = select(func.count()).select_from(statement.with_only_columns(PainAlert.id).subquery())
    return session.scalar(counted, {"clinic_id": clinic_id, "therapist_id": therapist_id, "limit": limit}) or 0


@functools.cache
def _alerts_statement(by_therapist: bool, by_patient: bool, limited: bool, paged: bool = False) -> Select[PainAlert]:
    """open_alerts' statement for each way it is asked, built once (the values bound at each call)."""
    query = (
        scoped(PainAlert, bindparam("clinic_id"))
        .join(Patient, Patient.id == PainAlert.patient_id)
        .where(PainAlert.seen.is_(False))
    )
    if by_therapist:
        query = query.where(Patient.primary_therapist_id == bindparam("therapist_id"))
    if by_patient:
        query = query.where(PainAlert.patient_id == bindparam("patient_id"))
    if paged:  # along the index (clinic, seen, created_at, id), from where the page before ended
        at = bindparam("before_at", type_=PainAlert.created_at.type)
        before_id = bindparam("before_id", type_=PainAlert.id.type)
        query = query.where(or_(PainAlert.created_at < at, and_(PainAlert.created_at == at, PainAlert.id < before_id)))
    query = query.order_by(PainAlert.created_at.desc(), PainAlert.id.desc())
    return query.limit(bindparam("limit")) if limited else query


def mark_alert_seen(session: Session, clinic_id: int, alert_id: int) -> PainAlert:
    """:raise NotFound: for an alert of another clinic."""
    alert = get_scoped(session, PainAlert, clinic_id, alert_id)
    alert.seen = True
    session.flush()
    return alert
