"""When a program's exercises are done, in words: the handout's "How often" and the builder's panel.

The numbers come from planner.services.coverage (frequencies, due_days); each exercise's own
dosage is worded by planner.dosage.
"""

from __future__ import annotations

from typing import Any

# Spelled out here rather than by strftime, whose day names follow the server's locale.
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _listed(words: list[str]) -> str:
    """ "Monday, Wednesday and Friday"."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _times(times_per_day: int) -> str:
    return "once a day" if times_per_day == 1 else f"{times_per_day} times a day"


def _days(days: tuple[int, ...]) -> str:
    """ "every day", "3 days a week (Monday, Wednesday and Friday)", "5 days a week (Monday to Friday)"."""
    if len(days) == 7:
        return "every day"
    count = "1 day a week" if len(days) == 1 else f"{len(days)} days a week"
    return f"{count} ({_weekdays(days)})"


def weekdays_words(days: tuple[int, ...]) -> str:
    """ "Monday, Wednesday and Friday", or a run as "Monday to Friday" (0 is Monday)."""
    return _weekdays(days)


def _weekdays(days: tuple[int, ...]) -> str:
    if len(days) >= 3 and days == tuple(range(days[0], days[-1] + 1)):  # a run: "Monday to Friday"
        return f"{WEEKDAYS[days[0]]} to {WEEKDAYS[days[-1]]}"
    return _listed([WEEKDAYS[d] for d in days])


def _exercises(numbers: list[int]) -> str:
    return ("Exercise " if len(numbers) == 1 else "Exercises ") + _listed([str(n) for n in numbers])


def schedule_sentences(frequencies: list[Any]) -> list[str]:
    """How often the program is done, for the handout's front page; each exercise says its own.

    `frequencies` are planner.services.coverage.Frequency values (times_per_day, days, items).
    All alike: "Every day, 2 times a day." Otherwise the days most exercises are done with the
    times a day from least to most ("Every day, once to 3 times a day, as each exercise says."),
    then the exceptions by number ("Exercises 7 and 10: Monday to Friday only.").
    """
    if not frequencies:
        return []
    days_of: dict[tuple[int, ...], list[int]] = {}
    for group in frequencies:
        days_of.setdefault(group.days, []).extend(group.items)
    usual = max(days_of, key=lambda days: (len(days_of[days]), len(days)))
    times = sorted({group.times_per_day for group in frequencies})
    if len(times) == 1:
        said = f"{_days(usual)}, {_times(times[0])}."
    else:
        low = "once" if times[0] == 1 else str(times[0])
        said = f"{_days(usual)}, {low} to {times[-1]} times a day, as each exercise says."
    sentences = [said[0].upper() + said[1:]]
    for days, numbers in days_of.items():
        if days != usual:
            sentences.append(f"{_exercises(sorted(numbers))}: {_weekdays(days)} only.")
    return sentences
