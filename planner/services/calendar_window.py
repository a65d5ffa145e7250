"""Plausible dates: the one rule for which dates the planner accepts, and day arithmetic that never overflows.

Python's dates run from year 1 to 9999. A typo such as 9999-12-01 used to be saved, and adding
a 56-day interval to it then raised OverflowError on every page that showed the program. So:

- every form (planner/web/forms.py) and every service that takes a date checks it here:
  a date of birth from 1900 to today; a dystonia pattern from the date of birth to today (an
  older baseline from the history); a program, visit or re-evaluation date inside a window
  of years around today ([dates] in config.toml);
- every place that adds days to a stored date calls `shift`, which answers None past the ends
  of the calendar (clinic_time.local_moment does the same for a local hour), so a row saved
  before this rule, or written straight into the database, shows "no date" instead of taking
  a page down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from planner.services import DomainError

BIRTH_EARLIEST = date(1900, 1, 1)
MAX_YEARS = 100  # a wider window would let typos of the century through again
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def shift(day: date, days: int) -> date | None:
    """`day` plus `days` (negative: before), or None when that falls outside year 1 to 9999."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return None


def years_from(day: date, years: int) -> date:
    """The same day `years` later (negative: earlier); 29 February becomes the 28th, the ends of
    the calendar hold."""
    year = day.year + years
    if year < date.min.year:
        return date.min
    if year > date.max.year:
        return date.max
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=year, day=28)


def short_date(day: date) -> str:
    """A date for a message, e.g. "1 Dec 2021" (the month as a word, so no one misreads it)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Window:
    """How far from today a program, visit or re-evaluation date may lie ([dates] in config.toml)."""

    past_years: int = 5
    future_years: int = 1  # a start or re-evaluation more than a year ahead is a mistyped year

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> Window:
        """:raise ValueError: for a number of years that is not a whole number from 0 to 100."""
        section = settings.get("dates", {})
        values = {}
        for name in ("past_years", "future_years"):
            value = section.get(name, getattr(cls, name))
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_YEARS:
                raise ValueError(f"[dates] {name} must be a whole number from 0 to {MAX_YEARS}, not {value!r}")
            values[name] = value
        return cls(**values)

    def earliest(self, today: date) -> date:
        return years_from(today, -self.past_years)

    def latest(self, today: date) -> date:
        return years_from(today, self.future_years)


def check_birth_date(day: date | None, today: date) -> None:
    """A date of birth from 1 January 1900 to today (the clinic's today); None (not given) passes.

    :raise DomainError: on the field "date_of_birth".
    """
    if day is not None and not BIRTH_EARLIEST <= day <= today:
        raise DomainError(f"Enter a date of birth between {short_date(BIRTH_EARLIEST)} and today.", "date_of_birth")


def check_since_birth(day: date | None, today: date, born: date | None, field: str, what: str) -> None:
    """A date of something seen in the patient's life, dated from their history (a dystonia pattern
    at the first visit years ago): from the date of birth, or 1 January 1900 when it is not known,
    to today; None passes. Never in the future.

    :raise DomainError: on `field`, saying which dates are accepted.
    """
    earliest = born if born is not None and BIRTH_EARLIEST <= born <= today else BIRTH_EARLIEST
    if day is not None and not earliest <= day <= today:
        since = f"{short_date(earliest)} (the date of birth)" if earliest == born else short_date(earliest)
        raise DomainError(f"Enter a {what} between {since} and today.", field)


def check_in_window(
    day: date | None,
    today: date,
    field: str,
    what: str,
    *,
    up_to_today: bool = False,
    saved: date | None = None,
    window: Window = Window(),
) -> None:
    """A program, visit or re-evaluation date inside the window around today; None passes.

    `what` names the date in the message ("start date"); `up_to_today` ends the window today
    (what has happened: a visit, a re-evaluation). `saved` is the date the record holds now:
    the window moves on with today, so a saved date it has since left behind still saves
    unchanged (a program begun six years ago keeps its start date). A saved date after the
    window is asked again, most likely a mistyped year: one saved before the window was
    narrowed ([dates] future_years 5 -> 1) or typed before there was one. Its message says so
    at the field, naming the saved date, so the therapist sees why a date they did not touch
    is asked for; the record keeps it until a date inside the window is saved. `window` is the
    app's ([dates]; the default is config.toml's as shipped).
    :raise DomainError: on `field`, saying which dates are accepted.
    """
    if day is None:
        return
    earliest = window.earliest(today)
    latest = today if up_to_today else window.latest(today)
    if earliest <= day <= latest or (day == saved and day < earliest):
        return
    if day == saved and day > latest:
        raise DomainError(beyond_window(day, today, what, window=window), field)
    until = "today" if up_to_today else short_date(latest)
    raise DomainError(f"Enter a {what} between {short_date(earliest)} and {until}.", field)


def beyond_window(day: date | None, today: date, what: str, *, window: Window = Window()) -> str:
    """What the field of a saved `day` after the window says (check_in_window asks for it again,
    and the builder says it at the field as it opens): "The saved start date, 2 Dec 2029, is
    further ahead than dates can be now. Enter a start date between ...". "" for None or a day
    not after the window."""
    if day is None or day <= window.latest(today):
        return ""
    accepted = f"Enter a {what} between {short_date(window.earliest(today))} and {short_date(window.latest(today))}."
    return f"The saved {what}, {short_date(day)}, is further ahead than dates can be now. {accepted}"
