"""Every fixed line a patient reads on a handout, in one place.

Short sentences, everyday words, about a 6th-grade reading level: the reader may be alone,
tired, and reading with poor eyesight. The dosage itself is worded by planner.dosage.
"""

from __future__ import annotations

from datetime import date

# One line even at large print on A4: it is printed at the foot of every page.
SAFETY = "Stop and call us if your pain or symptoms get worse."
HOW_TO_USE = "Do the exercises in this order. Go slowly. Each day, tick a box on the sheet at the end."

# The three goals of a home program (planner.services.coverage.GOALS), said to the patient.
GOALS = {
    "range_of_motion": "Move more freely and easily.",
    "strengthening": "Make weak muscles stronger.",
    "posture": "Sit and stand in a good, easy position.",
}

HEADINGS = {
    "for": "For",
    "therapist": "Your therapist",
    "date": "Date",
    "check_up": "Next check-up",
    "goals": "Your goals",
    "how_often": "How often",
    "how_long": "How long",
    "online": "See this on your phone",
    "exercises": "Your exercises",
    "note": "Note from your therapist",
    "day": "Tips for your day and your home",
    "visits": "Your visits",
    "tick_sheet": "Tick a box each time you do an exercise",
    "week_of": "Week starting on:",
    "exercise": "Exercise",
}

CAUTION = "Stop and call us if it hurts more or you feel unwell."
# Under the tick sheet's heading, when an exercise is not done every day.
REST_DAY = "A grey square means a rest day for that exercise."
# At the top of a page where an exercise too long for one page goes on, e.g. "3. Bridge (continued)".
CONTINUED = "{number}. {name} (continued)"
ONLINE = "Point your phone's camera at the square. Or type this address:"
QUESTIONS = "Questions? Call us"
WRITE = "Or write to us"
GOALS_LEAD = "These exercises help you:"

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Spelled out here rather than by strftime, whose month names follow the server's locale.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: date) -> str:
    """A date no reader can misread, e.g. "21 November 2026" (the month as a word)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def dated_version(day: date, version: int) -> str:
    """The date of the version the patient holds, e.g. "21 November 2026 (version 2)"."""
    return f"{long_date(day)} (version {version})"


def how_long(session_minutes: int, day_minutes: int, minutes_by_day: tuple[int, ...] = ()) -> str:
    """About how long the exercises take, from planner.services.coverage.

    `minutes_by_day` (Monday first): when some days are shorter (an exercise done 3 days a
    week), the day's total is said for the busiest days.
    """
    if not session_minutes:
        return ""
    said = f"About {session_minutes} {'minute' if session_minutes == 1 else 'minutes'} each time."
    busy = [m for m in minutes_by_day if m]
    if day_minutes > session_minutes or (busy and min(busy) != max(busy)):
        if busy and min(busy) != max(busy):
            said += f" About {day_minutes} minutes a day in all on the busiest days."
        else:
            said += f" About {day_minutes} minutes a day in all."
    return said


def how_often(schedule: list[str], note: str) -> str:
    """The front page's "How often": the sentences worked out from the dosages, one a line,
    then the therapist's note (the program's free text) beside them, never instead of them."""
    lines = list(schedule)
    if note.strip():
        lines.append(f"{NOTE}: {note.strip()}")
    return "\n".join(lines)


NOTE = "Note"


def check_up(when: date | None, today: date) -> str:
    """The next re-evaluation as the patient reads it; a past date asks them to book a new one."""
    if when is None:
        return "We will tell you at your next visit."
    if when < today:
        return f"It was due on {long_date(when)}. Please call us to book it."
    return long_date(when)


def continued(number: int, name: str) -> str:
    """The line that heads each page an exercise goes on to, e.g. "3. Bridge (continued)"."""
    return CONTINUED.format(number=number, name=name)


def times_a_day(times: int | None) -> str:
    """The tick sheet's reminder of how often in a day, e.g. "2 times a day"; empty for once."""
    if not times or times == 1:
        return ""
    return f"{times} times a day"
