"""Advice on adjusting the daily schedule and the surroundings: a built-in list the clinic extends."""

from __future__ import annotations

from sqlalchemy import bindparam
from sqlalchemy.orm import Session

from planner.i18n import N_
from planner.models import ClinicAdvice
from planner.scoping import get_scoped, scoped
from planner.services import DomainError

# Plain, short, in our own words; a therapist ticks what fits the patient. Gettext messages:
# a program keeps the English line, and the handout prints it in the patient's language. Each
# takes one line of a handout in English and Spanish, at 14 and 18 pt (issue #14: all twelve
# ticked took a page of their own; tests/test_tips_one_line.py).
BUILT_IN = (
    N_("Set your screen straight ahead, at eye level."),
    N_("Every 20 to 30 minutes, stand up and move."),
    N_("Exercise when you feel rested, for example in the morning."),
    N_("Sit in a chair with a high back and armrests."),
    N_("When your muscles feel tired, rest on your back."),
    N_("Use a headset or speaker for phone calls."),
    N_("Keep things you use often within easy reach."),
    N_("Sit facing the person you talk to."),
    N_("Use a book stand or slanted board to read and write."),
    N_("Wear sunglasses or a hat if light makes your eyes close."),
    N_("Plan hard tasks for when your symptoms are calmest."),
    N_("Before a hard task, take a few slow breaths."),
)

# The lines BUILT_IN held until session 23, each beside the line that took its place: a version
# given before keeps its words (ProgramVersion.snapshot) and still prints them in the patient's
# language; migration 0033_shorter_advice moved programs, templates and clinics' lists to the new.
RETIRED = {
    N_("Set your screen straight ahead, at eye level, so you do not turn or tilt your head."): BUILT_IN[0],
    N_("Take a short break every 20 to 30 minutes. Stand up, move, and relax your shoulders."): BUILT_IN[1],
    N_("Do your exercises when you feel rested, for example after a short rest or in the morning."): BUILT_IN[2],
    N_("Use a chair with a high back and arm rests. Let it support your head and arms."): BUILT_IN[3],
    N_("Rest lying down on your back for a few minutes when your muscles feel tired or pulled."): BUILT_IN[4],
    N_("Hold the phone with a headset or speaker, not between your ear and shoulder."): BUILT_IN[5],
    N_("Put things you use often within easy reach, so you do not twist or stretch far."): BUILT_IN[6],
    N_("Sit so that the person you talk to is in front of you, not to one side."): BUILT_IN[7],
    N_("Use a book stand or slanted board for reading and writing."): BUILT_IN[8],
    N_("Wear sunglasses or a hat with a brim in bright light if light makes your eyes close."): BUILT_IN[9],
    N_("Plan hard tasks for the time of day when your symptoms are calmest."): BUILT_IN[10],
    N_("Stress can make spasms worse. Use your breathing exercise before a hard task."): BUILT_IN[11],
}


# The clinic's own lines, by a statement built once (the builder reads them on every view).
_OWN = scoped(ClinicAdvice, bindparam("clinic_id")).with_only_columns(ClinicAdvice.text).order_by(ClinicAdvice.id)


def options(session: Session, clinic_id: int) -> list[str]:
    """The advice a therapist can pick: the built-in lines, then the clinic's own."""
    return [*BUILT_IN, *session.scalars(_OWN, {"clinic_id": clinic_id})]


def clinic_advice(session: Session, clinic_id: int) -> list[ClinicAdvice]:
    return list(session.scalars(scoped(ClinicAdvice, clinic_id).order_by(ClinicAdvice.id)))


def add(session: Session, clinic_id: int, text: str) -> ClinicAdvice:
    """:raise DomainError: for empty, too long or duplicate advice."""
    text = " ".join(text.split())
    if not text:
        raise DomainError("Enter the advice.", "text")
    if len(text) > 300:
        raise DomainError("The advice is too long: at most 300 characters.", "text")
    if text in options(session, clinic_id):
        raise DomainError("That advice is already on the list.", "text")
    row = ClinicAdvice(clinic_id=clinic_id, text=text)
    session.add(row)
    session.flush()
    return row


def remove(session: Session, clinic_id: int, advice_id: int) -> None:
    """Remove a clinic's own line; programs that use it keep their copy of the text.

    :raise NotFound: for a line of another clinic.
    """
    row = get_scoped(session, ClinicAdvice, clinic_id, advice_id)
    session.delete(row)
    session.flush()
