"""When a program's exercises are done, in words: the handout's "How often" and "How long", the
phone page's rest days and the builder's panel.

The numbers come from planner.services.coverage (frequencies, due_days); each exercise's own
dosage is worded by planner.dosage. As there, every sentence is one gettext message
(planner/i18n.py) with its numbers and lists as placeholders, never words glued together: the
day names and "a, b and c" come from CLDR in the reader's language.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from babel.dates import get_day_names

from planner.i18n import ENGLISH, Translator, translator


def weekday_names(t: Translator) -> tuple[str, ...]:
    """Monday to Sunday written out, as the language writes them inside a sentence (CLDR)."""
    return _weekday_names(t.language)


@functools.cache
def _weekday_names(language: str) -> tuple[str, ...]:
    # Read from CLDR once per language: the builder's "How often" names days on every view.
    names = get_day_names("wide", context="format", locale=translator(language).date_locale)
    return tuple(names[i] for i in range(7))


def weekdays_words(days: tuple[int, ...], language: str = ENGLISH) -> str:
    """ "Monday, Wednesday and Friday", or a run of 3 or more as "Monday to Friday" (0 is Monday)."""
    t = translator(language)
    names = weekday_names(t)
    if len(days) >= 3 and days == tuple(range(days[0], days[-1] + 1)):
        # Translators: a run of weekdays, e.g. "Monday to Friday".
        return t.gettext("%(first)s to %(last)s", first=names[days[0]], last=names[days[-1]])
    return t.listed([names[d] for d in days])


def _every_day(t: Translator, low: int, high: int) -> str:
    if low == high == 1:
        return t.gettext("Every day, once a day.")
    if low == high:
        return t.ngettext("Every day, %(num)s time a day.", "Every day, %(num)s times a day.", high)
    # As a person says a range: "1 or 2 times a day", "1 to 3 times a day" (not "once to 2 times").
    if high == low + 1:
        return t.ngettext(
            "Every day, %(low)s or %(num)s time a day, as each exercise says.",
            "Every day, %(low)s or %(num)s times a day, as each exercise says.",
            high,
            low=t.number(low),
        )
    return t.ngettext(
        "Every day, %(low)s to %(num)s time a day, as each exercise says.",
        "Every day, %(low)s to %(num)s times a day, as each exercise says.",
        high,
        low=t.number(low),
    )


def _some_days(t: Translator, days: tuple[int, ...], low: int, high: int) -> str:
    """Two sentences, one number each: which days, then how many times on each of them."""
    named = weekdays_words(days, t.language)
    which = t.ngettext("%(num)s day a week: %(days)s.", "%(num)s days a week: %(days)s.", len(days), days=named)
    if low == high == 1:
        times = t.gettext("Once a day.")
    elif low == high:
        times = t.ngettext("%(num)s time a day.", "%(num)s times a day.", high)
    elif high == low + 1:
        times = t.ngettext(
            "%(low)s or %(num)s time a day, as each exercise says.",
            "%(low)s or %(num)s times a day, as each exercise says.",
            high,
            low=t.number(low),
        )
    else:
        times = t.ngettext(
            "%(low)s to %(num)s time a day, as each exercise says.",
            "%(low)s to %(num)s times a day, as each exercise says.",
            high,
            low=t.number(low),
        )
    return f"{which} {times}"


def schedule_sentences(frequencies: list[Any], language: str = ENGLISH) -> list[str]:
    """How often the program is done, for the handout's front page; each exercise says its own.

    `frequencies` are planner.services.coverage.Frequency values (times_per_day, days, items);
    `language` is the reader's. The first sentence names every day the program has any exercise
    (the union of the exercises' days), with the times a day from least to most: "Every day,
    1 to 3 times a day, as each exercise says." ("1 or 2 times a day" for two in a row) or "6 days a week: Monday to Saturday. Once a
    day." Then each exercise done on fewer of those days, by number ("Exercises 7 and 10: Monday
    to Friday only."), so the heading never leaves out a day some exercise is done.
    """
    if not frequencies:
        return []
    t = translator(language)
    days_of: dict[tuple[int, ...], list[int]] = {}
    for group in frequencies:
        days_of.setdefault(group.days, []).extend(group.items)
    program_days = tuple(sorted({day for group in frequencies for day in group.days}))
    low = min(group.times_per_day for group in frequencies)
    high = max(group.times_per_day for group in frequencies)
    sentences = [_every_day(t, low, high) if len(program_days) == 7 else _some_days(t, program_days, low, high)]
    for days, numbers in days_of.items():  # the exceptions, in the order the exercises come
        if days != program_days:
            listed = t.listed([t.number(n) for n in sorted(numbers)])
            sentences.append(
                t.ngettext(
                    "Exercise %(numbers)s: %(days)s only.",
                    "Exercises %(numbers)s: %(days)s only.",
                    len(numbers),
                    numbers=listed,
                    days=weekdays_words(days, language),
                )
            )
    return sentences


def how_long_sentences(cover: Any, language: str = ENGLISH) -> str:
    """The handout's and the builder's "How long", from a planner.services.coverage.Coverage:
    the minutes each time (the shortest and the longest time when they differ, as when some
    exercises are done more often in a day), then the day's total when it is more (on the
    busiest days, when days differ). "" without exercises.

    E.g. "About 2 to 19 minutes each time. In all, about 32 minutes a day." (the total opens
    with "In all", so two sentences never start with the same word).
    """
    longest, shortest = cover.session_minutes, cover.shortest_session_minutes or cover.session_minutes
    if not longest:
        return ""
    t = translator(language)
    if shortest < longest:
        # Translators: the shortest and the longest time the exercises take at one time of the day.
        said = t.ngettext(
            "About %(low)s to %(num)s minute each time.",
            "About %(low)s to %(num)s minutes each time.",
            longest,
            low=t.number(shortest),
        )
    else:
        said = t.ngettext("About %(num)s minute each time.", "About %(num)s minutes each time.", longest)
    busy = [m for m in cover.minutes_by_day if m]
    if busy and min(busy) != max(busy):
        said += " " + t.ngettext(
            "In all, about %(num)s minute a day on the busiest days.",
            "In all, about %(num)s minutes a day on the busiest days.",
            cover.day_minutes,
        )
    elif cover.day_minutes > longest:
        said += " " + t.ngettext(
            "In all, about %(num)s minute a day.", "In all, about %(num)s minutes a day.", cover.day_minutes
        )
    return said


# ---- a note that would be a second number ------------------------------------------------------

# Numbers as digits (any script) or words, English and Spanish, as a note on when to exercise
# would write them ("3", "three", "tres").
_NUMBER = (
    r"(?:\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|sixty|a few|several|many|un|una|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|quince|"
    r"veinte|treinta|cuarenta|sesenta|unas|unos|varias|algunas|pocas|muchas)"
)
_PER = r"(?:a|an|per|each|every|in a|/|al|a la|por|cada|en el|en la|diari[oa]s?|semanal(?:es)?)"
_DAY_OR_WEEK = r"(?:day|days|week|weeks|dia|dias|semana|semanas)"
# Accents are taken off before matching (planner.schedule.frequency_stated): "días" reads "dias".
_STATES_FREQUENCY = re.compile(
    "|".join(
        [
            # times a day or a week: "twice a day", "3x daily", "4 times per week", "dos veces al día"
            rf"\b(?:{_NUMBER}\s*(?:x|times?|veces|vez)|once|twice|thrice)\s*(?:{_PER}\s*)?"
            r"(?:day|days|week|weeks|dia|dias|semana|semanas|daily|weekly|diari[oa]s?|semanal(?:es)?)\b",
            rf"\b{_NUMBER}\s*(?:x|times|veces)\b",
            rf"\b(?:times?|veces|vez)\s+{_PER}\s*{_DAY_OR_WEEK}\b",
            # days a week: "5 days a week", "días por semana"
            rf"\b(?:{_NUMBER}\s*)?(?:days?|dias?)\s+{_PER}\s*(?:week|semana)\b",
            # every day: "daily", "every other day", "todos los días", "a diario"
            r"\b(?:every|each)\s+(?:other\s+|single\s+)?(?:day|week)\b",
            r"\b(?:daily|weekly|twice|thrice|diariamente|a diario|semanalmente|dia por medio)\b",
            r"\b(?:todos|todas)\s+(?:los|las)\s+(?:dias|semanas)\b",
            r"\bcada\s+(?:dia|semana)\b",
            # how long: "45 minutes", "10 min", "1 hour", "half an hour", "media hora", "2h"
            rf"\b{_NUMBER}\s*(?:-\s*)?(?:minutes?|mins?|minutos?|hours?|hrs?|horas?|seconds?|secs?|segundos?|h)\b(?!\s+del?\b)",
            # ("una hora del día" is a time of day, not how long)
            r"\b(?:half an|an|media|una|un)\s+(?:hour|hora|minuto)s?\b(?!\s+del?\b)",
        ]
    )
)


# A pure function of the text, asked up to three times per builder view (the page, its "How
# often" panel, the handout check): kept per process, bounded. A note maps only to words of itself.
@functools.lru_cache(maxsize=1024)
def frequency_stated(note: str) -> str:
    """The words of a program's note on when to exercise that say how often or how long ("twice
    a day", "5 días a la semana", "45 minutes"), as typed; "" when it says neither.

    How often and how long are worked out from each exercise's dosage (coverage); the note is
    only said beside them, so it may never be a second number. English and Spanish phrasings,
    numbers as digits in any script or as words; accents and case do not matter.
    """
    # Accents off and lower case, one character for one, so a match maps back to what was typed.
    plain = "".join(unicodedata.normalize("NFKD", ch)[:1].lower()[:1] or ch for ch in note)
    found = _STATES_FREQUENCY.search(plain)
    return note[found.start() : found.end()].strip() if found else ""


def patient_note(note: str) -> str:
    """The program's note on when to exercise as the patient reads it (the handout's "How often"):
    the note as written, or "" when it says how often or how long (frequency_stated).

    The form refuses such a note, but one stored before that rule would print a second frequency
    beside the one worked out from the dosages ("Note: every day twice" under "3 times a day").
    It is left out whole, not cut: what remains of a sentence with its number taken out may read
    as something else. The builder asks the therapist to edit it (templates/programs/edit.html).
    """
    return "" if frequency_stated(note) else note.strip()
