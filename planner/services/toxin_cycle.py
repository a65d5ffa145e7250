"""The botulinum toxin cycle: injections the therapist records, and re-evaluations that follow them.

Many people with cervical dystonia or blepharospasm are injected about every three months. The
effect peaks some weeks after an injection and wears off before the next one, which changes what
a measurement means. A patient whose re-evaluations follow the cycle is checked at the expected
peak and again before the next injection (both in weeks after the latest injection, set per
patient). The rule itself is `reevaluation.cycle_check`, a step of the one re-evaluation rule, so
those dates are stored and reminded like any re-evaluation date; every change here stores the
patient's dates again and re-derives their reminders (`_moved`).

No Flask here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from planner.models import Patient
from planner.models.outcomes import Injection, InjectionDose, OutcomePlan
from planner.scoping import get_scoped, scoped
from planner.services import DomainError, reevaluation, reminders
from planner.services.calendar_window import Window, check_in_window
from planner.services.questionnaires import plan_of
from planner.services.reminders import Schedule

# The usual muscles, grouped as the injection form offers them; any other is typed in.
MUSCLES: dict[str, tuple[str, ...]] = {
    "Neck and shoulder": (
        "Sternocleidomastoid",
        "Splenius capitis",
        "Semispinalis capitis",
        "Upper trapezius",
        "Levator scapulae",
        "Scalenes",
        "Longissimus capitis",
        "Obliquus capitis inferior",
    ),
    "Face and jaw": (
        "Orbicularis oculi, pretarsal",
        "Orbicularis oculi, preseptal",
        "Orbicularis oculi, orbital",
        "Corrugator",
        "Procerus",
        "Frontalis",
        "Nasalis",
        "Orbicularis oris",
        "Mentalis",
        "Platysma",
        "Masseter",
        "Temporalis",
        "Lateral pterygoid",
    ),
    "Arm and hand": (
        "Biceps brachii",
        "Brachioradialis",
        "Pronator teres",
        "Flexor carpi radialis",
        "Flexor carpi ulnaris",
        "Flexor digitorum superficialis",
        "Flexor digitorum profundus",
        "Flexor pollicis longus",
        "Extensor carpi radialis",
        "Extensor digitorum",
        "Adductor pollicis",
        "First dorsal interosseous",
    ),
}
UNITS_MAX = 1000.0  # per muscle and side; abobotulinumtoxinA doses for the neck reach several hundred
DOSES_MAX = 20
TEXT_MAX = 2000
WEEKS_MAX = 52


@dataclass(frozen=True)
class Dose:
    """Units into one muscle: left and right (None: that side not injected)."""

    muscle: str
    left_units: float | None = None
    right_units: float | None = None


@dataclass
class InjectionData:
    injected_on: date | None
    doses: list[Dose]
    product: str = ""
    injected_by: str = ""
    note: str = ""


# ---- the rule for the next re-evaluation -------------------------------------------------


def follow_cycle(
    session: Session,
    patient: Patient,
    follow: bool,
    peak_weeks: int,
    before_weeks: int,
    now: datetime,
    *,
    schedule: Schedule = Schedule(),
) -> OutcomePlan:
    """Whether the patient's re-evaluations follow the cycle, and when its two checks are.

    :raise DomainError: on "peak_weeks" or "before_weeks" (1 to 52, the peak first).
    """
    for field, weeks in (("peak_weeks", peak_weeks), ("before_weeks", before_weeks)):
        if not 1 <= weeks <= WEEKS_MAX:
            raise DomainError(f"Enter 1 to {WEEKS_MAX} weeks.", field)
    if before_weeks <= peak_weeks:
        raise DomainError("The check before the next injection comes after the peak.", "before_weeks")
    plan = plan_of(session, patient)
    plan.follow_cycle, plan.peak_weeks, plan.before_weeks = follow, peak_weeks, before_weeks
    plan.updated_at = now
    _moved(session, patient, now, schedule)
    return plan


# ---- injections --------------------------------------------------------------------------


def injections_of_patient(session: Session, clinic_id: int, patient_id: int) -> list[Injection]:
    """The patient's injections, oldest first."""
    return list(
        session.scalars(
            scoped(Injection, clinic_id)
            .where(Injection.patient_id == patient_id)
            .order_by(Injection.injected_on, Injection.id)
        )
    )


def get_injection(session: Session, clinic_id: int, injection_id: int) -> Injection:
    """:raise NotFound: for an injection of another clinic (or none)."""
    return get_scoped(session, Injection, clinic_id, injection_id)


def _check(data: InjectionData, today: date, saved: Injection | None, window: Window) -> list[Dose]:
    if data.injected_on is None:
        raise DomainError("Enter the date of the injection.", "injected_on")
    check_in_window(
        data.injected_on,
        today,
        "injected_on",
        "date of the injection",
        up_to_today=True,
        saved=saved.injected_on if saved else None,
        window=window,
    )
    for field, text, limit in (
        ("product", data.product, 80),
        ("injected_by", data.injected_by, 120),
        ("note", data.note, TEXT_MAX),
    ):
        if len(text.strip()) > limit:
            raise DomainError(f"Too long: at most {limit} characters.", field)
    doses = []
    for n, dose in enumerate(data.doses):
        muscle = " ".join(dose.muscle.split())
        if not muscle and dose.left_units is None and dose.right_units is None:
            continue  # an empty row of the form
        if not muscle:
            raise DomainError("Name the muscle.", f"doses-{n}-muscle")
        if len(muscle) > 120:
            raise DomainError("The muscle's name is too long: at most 120 characters.", f"doses-{n}-muscle")
        if dose.left_units is None and dose.right_units is None:
            raise DomainError("Enter the units on the left, the right or both.", f"doses-{n}-left_units")
        for side, units in (("left_units", dose.left_units), ("right_units", dose.right_units)):
            if units is not None and not 0 < units <= UNITS_MAX:
                raise DomainError(f"Units are more than 0 and at most {UNITS_MAX:g}.", f"doses-{n}-{side}")
        doses.append(Dose(muscle, dose.left_units, dose.right_units))
    if len(doses) > DOSES_MAX:
        raise DomainError(f"At most {DOSES_MAX} muscles per injection.", "doses")
    return doses


def record_injection(
    session: Session,
    patient: Patient,
    data: InjectionData,
    today: date,
    now: datetime,
    *,
    window: Window = Window(),
    schedule: Schedule = Schedule(),
) -> Injection:
    """Record an injection; the patient's cycle checks and their reminders move with it.

    :raise DomainError: naming the field ("injected_on", "doses-N-muscle", "doses-N-left_units"…).
    """
    doses = _check(data, today, None, window)
    injection = Injection(clinic_id=patient.clinic_id, patient_id=patient.id, created_at=now)
    session.add(injection)
    _fill(injection, data, doses, now)
    _moved(session, patient, now, schedule)
    return injection


def update_injection(
    session: Session,
    injection: Injection,
    data: InjectionData,
    today: date,
    now: datetime,
    *,
    window: Window = Window(),
    schedule: Schedule = Schedule(),
) -> Injection:
    """Change an injection (a corrected date moves the cycle checks and their reminders).

    :raise DomainError: naming the field.
    """
    doses = _check(data, today, injection, window)
    injection.doses.clear()
    session.flush()
    _fill(injection, data, doses, now)
    _moved(session, injection.patient, now, schedule)
    return injection


def delete_injection(session: Session, injection: Injection, now: datetime, *, schedule: Schedule = Schedule()) -> None:
    """Remove an injection recorded by mistake; the checks fall back to the one before."""
    patient = injection.patient
    session.delete(injection)
    _moved(session, patient, now, schedule)


def _moved(session: Session, patient: Patient, now: datetime, schedule: Schedule) -> None:
    """The patient's injections or cycle choice changed: store each program's next date again
    and re-derive its reminders."""
    for program in reevaluation.refresh_patient(session, patient):
        reminders.sync_program(session, program, now, schedule)


def _fill(injection: Injection, data: InjectionData, doses: Iterable[Dose], now: datetime) -> None:
    assert data.injected_on is not None
    injection.injected_on = data.injected_on
    injection.product = data.product.strip()
    injection.injected_by = data.injected_by.strip()
    injection.note = data.note.strip()
    injection.updated_at = now
    injection.doses.extend(
        InjectionDose(position=n, muscle=d.muscle, left_units=d.left_units, right_units=d.right_units)
        for n, d in enumerate(doses)
    )


def dose_words(dose: InjectionDose) -> str:
    """ "Sternocleidomastoid: left 40 U, right 20 U" (the timeline's and the export's words)."""
    return f"{dose.muscle}: {dose_sides(dose)}"


def dose_sides(dose: InjectionDose) -> str:
    """ "left 40 U, right 20 U": the units per side, for a page that sets the muscle apart."""
    return ", ".join(
        f"{side} {units:g} U"
        for side, units in (("left", dose.left_units), ("right", dose.right_units))
        if units is not None
    )
