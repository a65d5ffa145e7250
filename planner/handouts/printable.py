"""What a handout cannot print, found before it is printed: the program page lists it by field.

The handout prints every character that DejaVu Sans or a fallback font has (fallback.py). Any
other character prints as fallback.STAND_IN; the therapist is told which field holds it, so
it can be changed (or knowingly left) before the patient gets the page.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError

from planner.handouts.content import HandoutContent
from planner.handouts.fallback import unprintable


@dataclass(frozen=True)
class Unprintable:
    """A field of the handout and the characters in it that would print as STAND_IN."""

    field: str
    characters: str

    @property
    def described(self) -> str:
        """The characters with their code points ("𓀀 U+13000"), for a browser that cannot show them either."""
        return ", ".join(f"{c} U+{ord(c):04X} ({unicodedata.name(c, 'unnamed').lower()})" for c in self.characters)


def unprintable_fields(content: HandoutContent) -> list[Unprintable]:
    """Each field of the handout that holds characters no handout font has, in the handout's order
    ([] when everything prints). Dosages and headings are ours, and print."""
    fields: list[tuple[str, str]] = [
        ("Clinic name", content.clinic_name),
        *[(_contact_label(content, value), value) for value in content.clinic_contact],
        ("Program title", content.title),
        ("Patient name", content.patient_name),
        ("Therapist name", content.therapist_name),
        ("Goals", content.goals_text),
        ("How often", content.how_often),
    ]
    for block in content.exercises:
        where = f"Exercise {block.number}"
        fields += [(f"{where}: name", block.name)]
        fields += [(f"{where}: step {n}", step) for n, step in enumerate(block.steps, 1)]
        fields += [(f"{where}: note", block.note)]
        fields += [(f"{where}: caution", caution) for caution in block.cautions]
    fields += [("Advice", line) for line in content.advice]
    fields += [("Advice", content.advice_text), ("Visit plan", content.visit_plan)]
    return [Unprintable(field, missing) for field, value in fields if (missing := unprintable(value or ""))]


def _contact_label(content: HandoutContent, value: str) -> str:
    if value == content.clinic_phone:
        return "Clinic phone"
    if value == content.clinic_email:
        return "Clinic email"
    return "Clinic address"


def not_the_patients(content: HandoutContent, preferred: str | None) -> str | None:
    """The patient's preferred language (a code, "fr") when the handout is in another: no handout
    is made in it yet (planner/languages.py: only a complete language is a handout language), so
    every part prints in `content.language`. None when the handout is in the preferred language
    or the patient has none."""
    return preferred if preferred and preferred != content.language else None


def not_in_language(content: HandoutContent) -> list[str]:
    """The parts of the handout known to be in another language than its own, each with that
    language ("Exercise 4: Towel squeeze (name, steps, tips and cautions): in English"); [] for
    an English handout and when everything has a translation.

    A catalog exercise without a translation is in English, and so is a clinic's own exercise
    that reads as English. What the therapist typed is in no known language: `written_by_you`.
    """
    if content.language == "en":
        return []
    return [
        f"Exercise {block.number}: {block.name} (name, steps, tips and cautions): in {english_name(block.text_language)}"
        for block in content.exercises
        if not block.translated and block.text_language is not None and block.text_language != content.language
    ]


def written_by_you(content: HandoutContent) -> list[str]:
    """The parts of the handout the therapist or the clinic wrote, which print exactly as written
    and whose language nothing knows: a program text typed or changed since the template gave it
    ("Goals"), a note on an exercise, a clinic's own exercise that does not read as English. []
    for an English handout. The therapist checks each is in the patient's language.
    """
    if content.language == "en":
        return []
    parts = list(content.as_written)
    for block in content.exercises:
        if not block.translated and block.text_language is None:
            parts.append(f"Exercise {block.number}: {block.name} (your clinic's own exercise)")
        if block.note.strip():
            parts.append(f"Exercise {block.number}: your note")
    return parts


def english_name(code: str) -> str:
    """ "en" → "English", for the therapist's pages (in English)."""
    try:
        return Locale.parse(code).get_display_name("en") or code
    except (ValueError, UnknownLocaleError):
        return code
