"""A dosage: its limits, its checks, and THE one place it is written in words.

Pages, handouts and the API all call `in_words`, so a patient reads the same sentence on
paper and on screen. Numbers stay digits: they are easier to find again mid-exercise.
Every sentence is one gettext message (planner/i18n.py) with its number as a placeholder and
its plural forms, so another language is translation work only, never words glued together.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.i18n import ENGLISH, N_, Translator, translator

# Inclusive limits of each dosage key, as in docs/catalog-format.md. The program builder
# checks a therapist's changes against the same table.
LIMITS: dict[str, tuple[int, int]] = {
    "sets": (1, 10),
    "repetitions": (1, 50),
    "hold_seconds": (1, 120),
    "rest_seconds": (0, 300),
    "times_per_day": (1, 6),
    "days_per_week": (1, 7),
    "minutes": (1, 60),
}

# A dosage needs at least one of these to say how much to do.
AMOUNT_KEYS = ("repetitions", "hold_seconds", "minutes")

SIDES = ("left", "right", "both")

_SIDE_WORDS = {
    "left": N_("Do this with your left side."),
    "right": N_("Do this with your right side."),
    "both": N_("Do this with both sides."),
}


def dosage_problems(dosage: Any, field: str = "dosage") -> list[tuple[str, str]]:
    """What is wrong with a dosage table, as (field, message) pairs; empty when it is fine."""
    if not isinstance(dosage, Mapping):
        return [(field, "must be a table of numbers, such as sets and repetitions")]
    problems = []
    for key, value in dosage.items():
        if key not in LIMITS:
            problems.append((f"{field}.{key}", f"unknown key; use {', '.join(LIMITS)}"))
            continue
        low, high = LIMITS[key]
        if _whole(value) is None:
            problems.append((f"{field}.{key}", f"must be a whole number from {low} to {high}"))
        elif not low <= value <= high:
            problems.append((f"{field}.{key}", f"{value} is out of range: use {low} to {high}"))
    if not any(k in dosage for k in AMOUNT_KEYS):
        problems.append((field, "give at least one of repetitions, hold_seconds or minutes"))
    if dosage.get("minutes") and (dosage.get("repetitions") or _whole(dosage.get("sets")) not in (None, 1)):
        # "Repeat 6 times. Keep going for 10 minutes. Do 2 sets." leaves the patient to guess
        # which number counts: a time is one round of going on (a hold inside it is each
        # squeeze of tense-and-release), so it takes neither repetitions nor sets.
        problems.append(
            (f"{field}.minutes", "give minutes, or repetitions and sets, not both (minutes means keep going that long)")
        )
    return problems


def _whole(value: Any) -> int | None:
    """`value` when it is a whole number (not a bool), else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _hold(t: Translator, seconds: int) -> str:
    # Whole minutes read better as minutes ("Hold for 2 minutes"); anything else stays seconds.
    if seconds >= 60 and seconds % 60 == 0:
        return t.ngettext("Hold for %(num)s minute.", "Hold for %(num)s minutes.", seconds // 60)
    return t.ngettext("Hold for %(num)s second.", "Hold for %(num)s seconds.", seconds)


def _rest(t: Translator, seconds: int) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        return t.ngettext(
            "Rest for %(num)s minute between sets.", "Rest for %(num)s minutes between sets.", seconds // 60
        )
    return t.ngettext("Rest for %(num)s second between sets.", "Rest for %(num)s seconds between sets.", seconds)


def _how_often(t: Translator, dosage: Mapping[str, Any]) -> list[str]:
    """How many sets, then how often: times a day and days a week in ONE sentence whatever the
    pair ("Do this 2 times a day, 3 days a week."), so a changed dosage reads like the catalog's.

    Each sentence carries its plural by one number: the days a week where both are given (the
    times a day there are 2 or more, whose plural no shipped language changes), else its own.
    """
    said = []
    sets = dosage.get("sets")
    # A time is one round of going on: "Keep going for 5 minutes. Do 1 set." says nothing more.
    if sets and not dosage.get("minutes"):
        said.append(t.ngettext("Do %(num)s set.", "Do %(num)s sets.", sets))
    per_day, per_week = dosage.get("times_per_day"), dosage.get("days_per_week")
    if not per_day and not per_week:
        return said
    if per_week == 7:
        if per_day == 1:
            said.append(t.gettext("Do this once a day, every day."))
        elif per_day:
            said.append(
                t.ngettext("Do this %(num)s time a day, every day.", "Do this %(num)s times a day, every day.", per_day)
            )
        else:
            said.append(t.gettext("Do this every day."))
    elif per_week:
        if per_day == 1:
            said.append(
                t.ngettext(
                    "Do this once a day, %(num)s day a week.", "Do this once a day, %(num)s days a week.", per_week
                )
            )
        elif per_day:
            said.append(
                t.ngettext(
                    "Do this %(times)s times a day, %(num)s day a week.",
                    "Do this %(times)s times a day, %(num)s days a week.",
                    per_week,
                    times=t.number(per_day),
                )
            )
        else:
            said.append(t.ngettext("Do this %(num)s day a week.", "Do this %(num)s days a week.", per_week))
    elif per_day == 1:
        said.append(t.gettext("Do this once a day."))
    elif per_day:  # always, by the early return above; says so to the type checker
        said.append(t.ngettext("Do this %(num)s time a day.", "Do this %(num)s times a day.", per_day))
    return said


def sentences(dosage: Mapping[str, Any] | None, side: str | None = None, language: str = ENGLISH) -> list[str]:
    """The dosage as short sentences in `language` (a code such as "es"), in the order a patient does them."""
    t = translator(language)
    dosage = dosage or {}
    said = []
    if side in _SIDE_WORDS:
        said.append(t.gettext(_SIDE_WORDS[side]))
    if dosage.get("hold_seconds"):
        said.append(_hold(t, dosage["hold_seconds"]))
    reps = dosage.get("repetitions")
    if reps == 1:
        said.append(t.gettext("Do it once."))
    elif reps:
        said.append(t.ngettext("Repeat %(num)s time.", "Repeat %(num)s times.", reps))
    if dosage.get("minutes"):
        said.append(t.ngettext("Keep going for %(num)s minute.", "Keep going for %(num)s minutes.", dosage["minutes"]))
    said += _how_often(t, dosage)
    # The rest is between sets (as the session time counts it): with one set there is none to say.
    if dosage.get("rest_seconds") and int(dosage.get("sets") or 1) > 1:
        said.append(_rest(t, dosage["rest_seconds"]))
    return said


def in_words(dosage: Mapping[str, Any] | None, side: str | None = None, language: str = ENGLISH) -> str:
    """The dosage in plain words, e.g. "Hold for 5 seconds. Repeat 10 times. Do 2 sets. Do this 2 times a day."

    `language` is the reader's (the patient's handout language on the handout, phone page and
    emails; English on the therapist's pages and the API). An empty dosage gives an empty
    string; an unknown side is left out rather than guessed.
    :raise babel.UnknownLocaleError: for a language code CLDR does not know.
    """
    # Kept per process by what the dosage holds, written out (repr tells 1 from 1.0 and True, as
    # the words do): the builder, the phone page and the handout say the same few dosages on
    # every view, some 40 Python calls each, and their words change only with the code.
    key = (repr(sorted((dosage or {}).items())), side, language)
    said = _SAID.get(key)
    if said is None:
        said = " ".join(sentences(dosage, side, language))
        if len(_SAID) < _SAID_MAX:
            _SAID[key] = said
    return said


# in_words' answers (a dosage's words are well under 200 bytes: at most about 1 MB a process).
_SAID: dict[tuple[str, str | None, str], str] = {}
_SAID_MAX = 4096
