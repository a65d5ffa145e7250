"""Visits and payer plan-of-care rules: when a progress report and a recertification are due.

A progress report is due after N visits or M days since the last report, whichever comes first
([plan_of_care.profiles.*] in config.toml). What resets the count: a progress-report visit, a
recertification visit, or a recorded re-evaluation. Recertification counts from the program's
start or the last recertification visit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.models import CarePlan, Program, Visit
from planner.scoping import scoped
from planner.services import DomainError
from planner.services.calendar_window import Window, check_in_window, shift
from planner.services.clinic_time import clinic_zone, local_today

VISIT_KINDS = {
    "treatment": "Treatment visit",
    "progress_report": "Progress report written",
    "recertification": "Recertification",
}
NOTE_MAX = 300


@dataclass(frozen=True)
class Profile:
    key: str
    label: str
    progress_report_visits: int = 0
    progress_report_days: int = 0
    recertification_days: int = 0


def profiles(settings: Mapping[str, Any]) -> dict[str, Profile]:
    """The configured payer profiles; empty when plan-of-care rules are off."""
    section = settings.get("plan_of_care", {})
    if not section.get("enabled", False):
        return {}
    return {
        key: Profile(
            key,
            p.get("label", key),
            int(p.get("progress_report_visits", 0)),
            int(p.get("progress_report_days", 0)),
            int(p.get("recertification_days", 0)),
        )
        for key, p in section.get("profiles", {}).items()
    }


@dataclass(frozen=True)
class ProgressDue:
    since: date
    visits_since: int
    visits_left: int | None  # None: the rule counts no visits
    due_on: date | None  # None: only the visit count decides, and it is not reached
    reason: str  # "visits", "days" or ""


def progress_report_due(since: date, visit_dates: list[date], every_visits: int, every_days: int) -> ProgressDue:
    """When the next progress report is due: at the Nth visit after `since`, or `since` + M days,
    whichever comes first. 0 turns that half of the rule off."""
    counted = sorted(d for d in visit_dates if d > since)
    by_days = shift(since, every_days) if every_days else None  # None past 9999: the visits alone decide
    by_visits = counted[every_visits - 1] if every_visits and len(counted) >= every_visits else None
    left = max(every_visits - len(counted), 0) if every_visits else None
    candidates = [(d, r) for d, r in ((by_visits, "visits"), (by_days, "days")) if d is not None]
    due, reason = min(candidates, key=lambda c: c[0]) if candidates else (None, "")  # a tie: the visits
    return ProgressDue(since, len(counted), left, due, reason)


@dataclass(frozen=True)
class CareStatus:
    profile: Profile
    progress: ProgressDue
    recertification_due: date | None


def visits_of(session: Session, program: Program) -> list[Visit]:
    return list(
        session.scalars(
            scoped(Visit, program.clinic_id)
            .where(Visit.program_id == program.id)
            .order_by(Visit.visited_on.desc(), Visit.id.desc())
        )
    )


def chosen_profile(session: Session, program: Program, available: dict[str, Profile], default: str = "") -> str:
    plan = session.scalars(select(CarePlan).where(CarePlan.program_id == program.id)).first()
    key = plan.profile if plan else default
    return key if key in available else ""


def status(session: Session, program: Program, available: dict[str, Profile], default: str = "") -> CareStatus | None:
    """The program's plan-of-care dates, or None when the rules are off or no profile applies."""
    key = chosen_profile(session, program, available, default)
    if not key:
        return None
    profile = available[key]
    visits = visits_of(session, program)
    resets = [v.visited_on for v in visits if v.kind in ("progress_report", "recertification")]
    resets += [e.evaluated_on for e in program.evaluations]  # type: ignore[attr-defined]
    since = max([program.start_date, *resets])
    progress = progress_report_due(
        since, [v.visited_on for v in visits], profile.progress_report_visits, profile.progress_report_days
    )
    certified = max([program.start_date, *(v.visited_on for v in visits if v.kind == "recertification")])
    # None when not required, or when a start date saved before dates were checked puts it past 9999.
    recert = shift(certified, profile.recertification_days) if profile.recertification_days else None
    return CareStatus(profile, progress, recert)


def set_profile(session: Session, program: Program, key: str, available: dict[str, Profile]) -> None:
    """:raise DomainError: for a profile that is not configured."""
    if key and key not in available:
        raise DomainError("Choose one of the payer profiles.", "profile")
    plan = session.scalars(select(CarePlan).where(CarePlan.program_id == program.id)).first()
    if plan is None:
        plan = CarePlan(clinic_id=program.clinic_id, program_id=program.id)
        session.add(plan)
    plan.profile = key
    session.flush()


def record_visit(
    session: Session,
    program: Program,
    visited_on: date,
    kind: str,
    note: str,
    therapist_id: int | None,
    now: datetime,
    window: Window = Window(),
) -> Visit:
    """Record a visit; its date is checked against `window` (the app's [dates]).

    :raise DomainError: naming the field: unknown kind, a date after today, before the window
        (calendar_window) or before the start, a long note.
    """
    if kind not in VISIT_KINDS:
        raise DomainError("Choose the kind of visit.", "kind")
    today = local_today(clinic_zone(session, program.clinic_id), now)
    check_in_window(visited_on, today, "visited_on", "visit date", up_to_today=True, window=window)
    if visited_on < program.start_date:
        raise DomainError(f"The program started on {program.start_date}; the visit is before that.", "visited_on")
    if len(note) > NOTE_MAX:
        raise DomainError(f"The note is too long: at most {NOTE_MAX} characters.", "note")
    visit = Visit(
        clinic_id=program.clinic_id,
        program_id=program.id,
        visited_on=visited_on,
        kind=kind,
        note=note.strip(),
        therapist_id=therapist_id,
        created_at=now,
    )
    session.add(visit)
    session.flush()
    return visit
