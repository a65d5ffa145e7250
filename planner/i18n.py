"""What a patient reads, in the patient's language: gettext messages, numbers and dates.

No Flask here: the handout, the emails and the dosage wording take a `language` and call
`translator(language)`. The phone page gets the same catalogs through Flask-Babel
(planner/web/languages.py), so a sentence reads the same on paper, in an email and on the phone.

The catalogs are `translations/<language>/LC_MESSAGES/messages.po`, compiled to the `.mo`
beside it (committed, so a site needs no build step; `make translations` rewrites both, and
tests/test_languages.py fails when a `.mo` is older than its `.po`).

Marking rules, so the next language is translation work only: every message is a whole
sentence (or a whole label); numbers go in as placeholders (`%(num)s`), and a sentence with a
number goes through `ngettext` for its plural forms.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date

from babel import Locale
from babel.dates import format_date, get_day_names, match_skeleton
from babel.lists import format_list
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from planner.config import ROOT

TRANSLATIONS = ROOT / "translations"
ENGLISH = "en"

# The locale whose writing of dates and lists a language follows. English handouts have always
# said "21 November 2026" (day, month as a word, year: no reader can misread it) and "a, b and c",
# which is how British English writes them; American ("November 21") would change what patients know.
_DATE_LOCALES = {"en": "en_GB"}


def N_(message: str) -> str:  # noqa: N802  (the gettext convention, which Babel's extractor knows)
    """Mark a message for the catalogs where it is defined; it is translated where it is used."""
    return message


@functools.cache
def translations(language: str) -> NullTranslations:
    """The compiled catalog of a language (English: the messages themselves), loaded once per process."""
    if language == ENGLISH:
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS), [language], domain="messages")


@functools.lru_cache(maxsize=4096, typed=True)
def _number(value: int | float, language: str) -> str:
    # The dosage words of every exercise on every page: the same few numbers, so kept per process.
    return format_decimal(value, locale=_locale(language))


@dataclass(frozen=True)
class Translator:
    """The messages, numbers and dates of one language (a BCP 47 code such as "es")."""

    language: str

    @property
    def _catalog(self) -> NullTranslations:
        return translations(self.language)

    def gettext(self, message: str, **values: object) -> str:
        """The message in this language, with `%(name)s` placeholders filled from `values`."""
        text = self._catalog.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, num: int, **values: object) -> str:
        """The plural form this language uses for `num`; `%(num)s` is the number as the language writes it."""
        return self._catalog.ngettext(singular, plural, num) % {"num": self.number(num), **values}

    def number(self, value: int | float) -> str:
        """A number as this language writes it ("1,500" in English, "1500" or "1.500" in Spanish)."""
        return _number(value, self.language)

    @property
    def locale(self) -> Locale:
        return _locale(self.language)

    @property
    def date_locale(self) -> Locale:
        return _locale(_DATE_LOCALES.get(self.language, self.language))

    def listed(self, parts: list[str]) -> str:
        """Items as the language lists them: "a, b and c", "a, b y c" (CLDR's list patterns)."""
        return format_list(parts, locale=self.date_locale)

    def long_date(self, day: date) -> str:
        """A date with the month as a word: "21 November 2026", "21 de noviembre de 2026"."""
        return _formatted(day, "long", self.date_locale)

    def weekday_date(self, day: date) -> str:
        """Weekday, day and month: "Saturday 21 November", "sábado, 21 de noviembre"."""
        return _formatted(day, _weekday_pattern(self.date_locale), self.date_locale)

    def full_date(self, day: date) -> str:
        """Weekday and the whole date: "Friday, 20 March 2026", "viernes, 20 de marzo de 2026"."""
        return format_date(day, "full", locale=self.date_locale)

    def line_start(self, text: str) -> str:
        """`text` as it starts a line or a sentence, its first letter a capital: a date Spanish
        writes in lower case mid-sentence heads a page as "Sábado, 28 de noviembre"."""
        return _capitalised(text)

    def short_weekday_date(self, day: date) -> str:
        """A short weekday and the day of the month: "Sat 21", "sáb 21"."""
        return f"{self.short_days()[day.weekday()]} {self.number(day.day)}"

    def quote(self, text: str) -> str:
        """Someone's own words in quotation marks, to set inside a sentence: "“It hurts at night.”".

        Spanish puts a sentence's full stop after the closing mark (RAE), so the words' own
        final "." goes ("“Me duele por la tarde”."); a "?" or "!" stays. In English the words
        keep their stop, and `sentence` takes the doubled one away.
        """
        text = text.strip()
        if self.language != ENGLISH and text.endswith(".") and not text.endswith(".."):
            text = text[:-1]
        return f"“{text}”"

    def sentence(self, text: str) -> str:
        """A sentence that may end with a `quote`, with one full stop: English drops the sentence's
        "." after a quotation that ends in ".", "?", "!" or "…" ("Saved: “It hurts.”"); Spanish
        keeps it (RAE: "“¿Puedo correr?”.")."""
        return _STOP_AFTER_QUOTE.sub(r"\1”", text) if self.language == ENGLISH else text

    def short_days(self) -> tuple[str, ...]:
        """Monday to Sunday, abbreviated as the language does it, capitalised for a table's header."""
        return _short_days(self.date_locale)


# Babel works a date's words out afresh on each call (some 25-40 us): the phone page writes a
# week of days on every view, the handouts and emails their dates. The words of a day in a
# language never change, so the latest are kept per process (a few KB).
@functools.lru_cache(maxsize=2048)
def _formatted(day: date, pattern: str, locale: Locale) -> str:
    return format_date(day, pattern, locale=locale)


@functools.cache
def _short_days(locale: Locale) -> tuple[str, ...]:
    names = get_day_names("abbreviated", context="stand-alone", locale=locale)
    return tuple(_capitalised(names[i].rstrip(".")) for i in range(7))


# A full stop right after a quotation that ends with its own: “Walk more.”. (English only).
_STOP_AFTER_QUOTE = re.compile(r"([.?!…])”\.")


@functools.cache
def _weekday_pattern(locale: Locale) -> str:
    """The locale's pattern for weekday, day and month, the weekday written out in full.

    CLDR gives some languages only a short-weekday form ("E, d 'de' MMMM" in Spanish) and Babel,
    unlike ICU, does not widen it to the skeleton asked for, so the weekday is widened here.
    """
    skeleton = match_skeleton("MMMMEEEEd", locale.datetime_skeletons)
    pattern = locale.datetime_skeletons[skeleton].pattern if skeleton else "EEEE d MMMM"
    return re.sub(r"(?<!E)E{1,3}(?!E)", "EEEE", pattern)


def _capitalised(word: str) -> str:
    return word[:1].upper() + word[1:]


@functools.cache
def _locale(code: str) -> Locale:
    return Locale.parse(code.replace("-", "_"))


@functools.cache
def translator(language: str) -> Translator:
    """The translator of a language code; English when the code is empty.

    :raise babel.UnknownLocaleError: for a code CLDR does not know (config.toml lists only known ones).
    """
    language = language or ENGLISH
    _locale(language)  # fail here, not halfway through a handout
    return Translator(language)
