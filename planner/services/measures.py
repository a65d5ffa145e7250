"""Outcome measures: the built-in list with valid ranges, and each clinic's own.

The ranges are the scales' own: a value outside one is a typing mistake, refused at the field.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from planner.bidi import isolate
from planner.models import ClinicMeasure
from planner.scoping import scoped
from planner.search_key import caseless
from planner.services import DomainError


@dataclass(frozen=True)
class Measure:
    key: str
    name: str
    low: float
    high: float
    unit: str = "points"
    better: str = "lower"  # which direction is improvement
    group: str = ""

    @property
    def range_text(self) -> str:
        return f"{number(self.low)} to {number(self.high)} {self.unit}"


BUILT_IN: tuple[Measure, ...] = (
    Measure("twstrs_severity", "TWSTRS severity", 0, 35, group="TWSTRS (cervical dystonia)"),
    Measure("twstrs_disability", "TWSTRS disability", 0, 30, group="TWSTRS (cervical dystonia)"),
    Measure("twstrs_pain", "TWSTRS pain", 0, 20, group="TWSTRS (cervical dystonia)"),
    Measure("pain_nrs", "Pain, numeric rating", 0, 10, group="Pain"),
    Measure(
        "arom_cervical_rotation_left", "Cervical rotation, left", 0, 90, "degrees", "higher", "Active range of motion"
    ),
    Measure(
        "arom_cervical_rotation_right", "Cervical rotation, right", 0, 90, "degrees", "higher", "Active range of motion"
    ),
    Measure(
        "arom_cervical_lateral_flexion_left",
        "Cervical side bend, left",
        0,
        45,
        "degrees",
        "higher",
        "Active range of motion",
    ),
    Measure(
        "arom_cervical_lateral_flexion_right",
        "Cervical side bend, right",
        0,
        45,
        "degrees",
        "higher",
        "Active range of motion",
    ),
    Measure("arom_cervical_flexion", "Cervical flexion", 0, 60, "degrees", "higher", "Active range of motion"),
    Measure("arom_cervical_extension", "Cervical extension", 0, 75, "degrees", "higher", "Active range of motion"),
    Measure("bsdi", "Blepharospasm Disability Index", 0, 30, group="Other dystonia scales"),
    Measure("wcrs", "Writer's Cramp Rating Scale", 0, 30, group="Other dystonia scales"),
)
BETTER = ("lower", "higher")


def number(value: float) -> str:
    """A measure value as a therapist writes it: 12, 12.5 (never 12.0)."""
    return f"{value:g}"


def clinic_key(measure_id: int) -> str:
    return f"clinic_{measure_id}"


def measures_for(session: Session, clinic_id: int) -> list[Measure]:
    """The built-in measures, then the clinic's own ones."""
    own = session.scalars(scoped(ClinicMeasure, clinic_id).order_by(ClinicMeasure.name))
    return [
        *BUILT_IN,
        *(Measure(clinic_key(m.id), m.name, m.low, m.high, m.unit, m.better, "This clinic's measures") for m in own),
    ]


def check_value(measure: Measure, value: float) -> None:
    """:raise DomainError: naming the measure's field, for a value outside its range."""
    if not measure.low <= value <= measure.high:
        raise DomainError(f"{isolate(measure.name)}: enter a value from {measure.range_text}.", measure.key)


def add_clinic_measure(
    session: Session, clinic_id: int, name: str, unit: str, low: float, high: float, better: str = "lower"
) -> ClinicMeasure:
    """:raise DomainError: for an empty or duplicate name, or a range whose low end is not below its high end."""
    name = " ".join(name.split())
    if not name:
        raise DomainError("Enter the measure's name.", "name")
    taken = {caseless(m.name) for m in measures_for(session, clinic_id)}
    if caseless(name) in taken:
        raise DomainError(f"“{isolate(name)}” is already a measure.", "name")
    if low >= high:
        raise DomainError("The lowest value must be below the highest.", "high")
    if better not in BETTER:
        raise DomainError("Choose whether lower or higher is better.", "better")
    measure = ClinicMeasure(
        clinic_id=clinic_id, name=name, unit=unit.strip() or "points", low=low, high=high, better=better
    )
    session.add(measure)
    session.flush()
    return measure
