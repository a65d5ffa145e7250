"""Every fixed line a patient reads on a handout, in one place, in the patient's language.

Short sentences, everyday words, about a 6th-grade reading level: the reader may be alone,
tired, and reading with poor eyesight. The dosage itself is worded by planner.dosage.
Each line is a gettext message (planner/i18n.py); `of(language)` gives them all in one language.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from planner.i18n import N_, Translator, translator
from planner.schedule import how_long_sentences, schedule_sentences
from planner.services.coverage import Coverage, Frequency
from planner.services.patterns import SAFETY  # printed at the foot of every page; the phone page says it too

# Under the heading "Your exercises", before the first: one line at 14 pt on Letter and A4.
HOW_TO_USE = N_("Do them in order, slowly. Each time, tick its box on the sheet at the end.")
# Where the tick sheet is on the front page (compact.fewer_pages), before the exercises: one line
# at 14 pt as HOW_TO_USE is ("…on the sheet on the first page" took two in Spanish, a line that
# cost the page the sheet on the front page saves: trial 20, F2), and the page's number, as its
# foot says it.
HOW_TO_USE_SHEET_FIRST = N_("Do them in order, slowly. Each time, tick its box on page 1.")
# The same, where each exercise has its week of boxes right under it (large print).
HOW_TO_USE_BELOW = N_("Do them in order, slowly. Each time you do one, tick a box under it.")
# The same three for a program of one exercise, which "Do them in order" misread (trial 30, F7).
HOW_TO_USE_ONE = N_("Do it slowly. Each time, tick a box on the sheet at the end.")
HOW_TO_USE_SHEET_FIRST_ONE = N_("Do it slowly. Each time, tick a box on page 1.")
HOW_TO_USE_BELOW_ONE = N_("Do it slowly. Each time you do it, tick a box under it.")

HEADINGS = {
    "for": N_("For"),
    "therapist": N_("Your therapist"),
    "date": N_("Date"),
    "check_up": N_("Next check-up"),
    "goals": N_("Your goals"),
    "how_often": N_("How often"),
    "how_long": N_("How long"),
    "online": N_("See this on your phone"),
    "exercises": N_("Your exercises"),
    "exercise_one": N_("Your exercise"),  # over a program of one
    "note": N_("Note from your therapist"),
    # An exercise's tips, e.g. "Tips: Keep your shoulders down."
    "tips": N_("Tips"),
    "day": N_("Tips for your day and your home"),
    # Heads the next page of tips that go on over two pages (too many for one).
    "day_continued": N_("Tips for your day and your home (continued)"),
    "visits": N_("Your visits"),
    "tick_sheet": N_("Tick a box each time you do an exercise"),
    "week_of": N_("Week starting on:"),
    # Heads the next page of a tick sheet that goes on over two pages.
    "tick_sheet_continued": N_("Tick a box each time you do an exercise (continued)"),
    "exercise": N_("Exercise"),
}

# The lead-in of an exercise's cautions ("Be careful: Stop if ..."). They say when to stop, and
# the front page and every page's foot say to stop and call when pain or symptoms get worse (SAFETY).
CAUTION = N_("Be careful")
# Under the tick sheet's heading (on the line of the week's date where it fits), and under how
# to use the exercises in large print, when an exercise is not done every day.
REST_DAY = N_("A grey square is a rest day.")
ONLINE = N_("Point your phone's camera at the square. Or type this address:")
QUESTIONS = N_("Questions? Call us")
# At the top of a page where an exercise too long for one page goes on, e.g. "3. Bridge (continued)".
CONTINUED = N_("{number}. {name} (continued)")


@dataclass(frozen=True)
class Words:
    """The handout's fixed lines in one language (`of(language)`), and its dates and counts."""

    language: str
    safety: str
    how_to_use: str
    how_to_use_sheet_first: str
    how_to_use_below: str
    how_to_use_one: str
    how_to_use_sheet_first_one: str
    how_to_use_below_one: str
    headings: dict[str, str]
    caution: str
    online: str
    questions: str
    days: tuple[str, ...]  # Monday to Sunday, short, for the tick sheet's header
    rest_day: str

    def lead(self, count: int, where: str = "end") -> tuple[str, str]:
        """(heading, how to do them) over a program of `count` exercises, its boxes `where`:
        "end" (the tick sheet after them), "front" (the sheet on page 1) or "below" (each
        exercise's week under it, large print). One exercise reads "Your exercise", "Do it…"."""
        one = count == 1
        how = {
            "end": self.how_to_use_one if one else self.how_to_use,
            "front": self.how_to_use_sheet_first_one if one else self.how_to_use_sheet_first,
            "below": self.how_to_use_below_one if one else self.how_to_use_below,
        }[where]
        return self.headings["exercise_one" if one else "exercises"], how

    @property
    def _t(self) -> Translator:
        return translator(self.language)

    def continued(self, number: int, name: str) -> str:
        """The line that heads each page an exercise goes on to, e.g. "3. Bridge (continued)"."""
        return self._t.gettext(CONTINUED).format(number=number, name=name)

    def long_date(self, day: date) -> str:
        """A date no reader can misread, the month as a word: "21 November 2026", "21 de noviembre de 2026"."""
        return self._t.long_date(day)

    def dated_version(self, day: date, version: int) -> str:
        """The date of the version the patient holds, e.g. "21 November 2026 (version 2)": the
        date and what follows it are each never broken inside (their spaces are no-break
        spaces), so the line breaks, if at all, between the two: "30 de septiembre de 2026" over
        "(versión 12)", never "(version" without its number nor a date over three lines beside
        the QR code ("30 de / septiembre de / 2026", large print). A column too narrow for the
        date takes the row under the QR code (front._beside_online). A preview says the same
        (the version a print would give): its every page is marked "Preview only", so its date
        line takes no more lines than the paper's and the preview pages as the paper does (trial
        19, F4: "(preview of version 1)" wrapped at 18 pt and put the tips alone on a page the
        print did not have)."""
        number = self._t.number(version)
        said = self._t.gettext("%(date)s (version %(version)s)", date="\0", version=number)
        before, after = said.split("\0")
        whole = self.long_date(day).replace(" ", "\u00a0")
        return before + whole + after[:1] + after[1:].replace(" ", "\u00a0")

    def how_long(self, cover: Coverage) -> str:
        """About how long the exercises take, from planner.services.coverage, worded by
        planner.schedule.how_long_sentences (the builder's panel says the same)."""
        return how_long_sentences(cover, self.language)

    def how_often(self, frequencies: list[Frequency], note: str) -> str:
        """The front page's "How often": the sentences worked out from the dosages
        (planner.schedule), one a line, then the therapist's note (the program's free text)
        beside them, never instead of them."""
        lines = schedule_sentences(frequencies, self.language)
        if note.strip():
            lines.append(self._t.gettext("Note: %(note)s", note=note.strip()))
        return "\n".join(lines)

    def check_up(self, when: date | None, today: date) -> str:
        """The next re-evaluation as the patient reads it; a past date asks them to book a new one."""
        if when is None:
            return self._t.gettext("We will tell you at your next visit.")
        if when < today:
            return self._t.gettext("It was due on %(date)s. Please call us to book it.", date=self.long_date(when))
        return self.long_date(when)

    def page_of(self, page: int, total: int) -> str:
        """The page number at the foot of every page: "Page 2 of 4"."""
        return self._t.gettext("Page %(page)s of %(total)s", page=self._t.number(page), total=self._t.number(total))


@functools.cache
def of(language: str) -> Words:
    """The handout's words in `language` (a code such as "es"), made once per process."""
    t = translator(language)
    return Words(
        language=t.language,
        safety=t.gettext(SAFETY),
        how_to_use=t.gettext(HOW_TO_USE),
        how_to_use_sheet_first=t.gettext(HOW_TO_USE_SHEET_FIRST),
        how_to_use_below=t.gettext(HOW_TO_USE_BELOW),
        how_to_use_one=t.gettext(HOW_TO_USE_ONE),
        how_to_use_sheet_first_one=t.gettext(HOW_TO_USE_SHEET_FIRST_ONE),
        how_to_use_below_one=t.gettext(HOW_TO_USE_BELOW_ONE),
        headings={k: t.gettext(v) for k, v in HEADINGS.items()},
        caution=t.gettext(CAUTION),
        online=t.gettext(ONLINE),
        questions=t.gettext(QUESTIONS),
        days=t.short_days(),
        rest_day=t.gettext(REST_DAY),
    )
