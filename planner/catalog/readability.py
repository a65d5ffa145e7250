"""Readability of patient-facing text: Flesch-Kincaid grade and sentence length.

Written here rather than taken from a package so the syllable rules are ours to read and the
catalog test does not depend on a dictionary download.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|\d+")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")

# Words the vowel-group rule miscounts, with their syllables.
_EXCEPTIONS = {
    "every": 2,
    "evenly": 3,
    "area": 3,
    "idea": 3,
    "being": 2,
    "doing": 2,
    "going": 2,
    "towel": 2,
    "towels": 2,
    "quiet": 2,
    "quietly": 3,
    "create": 2,
    "lion": 2,
    "ear": 1,
    "ears": 1,
    "eye": 1,
    "eyes": 1,
    "the": 1,
    "people": 2,
    "business": 2,
    "whole": 1,
    "once": 1,
    "one": 1,
    "some": 1,
    "come": 1,
    "done": 1,
    "gone": 1,
    "there": 1,
    "where": 1,
    "here": 1,
    "were": 1,
    "more": 1,
    "before": 2,
    "sure": 1,
    "breathe": 1,
    "breathes": 1,
    "use": 1,
    "uses": 2,
    "used": 1,
}


def syllables(word: str) -> int:
    """Estimate the syllables in one English word (at least 1)."""
    w = word.lower().replace("’", "'").split("'")[0]
    if not w:
        return 1
    if w.isdigit():
        return max(1, len(w))  # "10" is "ten": a rough but conservative count
    if w in _EXCEPTIONS:
        return _EXCEPTIONS[w]
    count = len(_VOWEL_GROUPS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1  # silent final e: "slide", "make"
    elif (
        w.endswith(("es", "ed"))
        and count > 1
        and not w.endswith(("ted", "ded", "ses", "zes", "ces", "ges", "ches", "shes", "xes", "les"))
    ):
        count -= 1  # "slides", "turned" keep one syllable
    if w.endswith("le") and len(w) > 2 and w[-3] not in "aeiouy" and count == 0:
        count = 1
    return max(1, count)


def sentences(text: str) -> list[str]:
    """Split text into sentences (on . ! ? and line breaks)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if _WORD.search(s)]


def words(text: str) -> list[str]:
    return _WORD.findall(text)


@dataclass(frozen=True)
class Readability:
    grade: float
    longest_sentence_words: int
    longest_sentence: str


def measure(texts: list[str]) -> Readability:
    """Flesch-Kincaid grade over all texts, and the longest sentence in words."""
    all_sentences = [s for t in texts for s in sentences(t)]
    all_words = [w for s in all_sentences for w in words(s)]
    if not all_sentences or not all_words:
        return Readability(0.0, 0, "")
    total_syllables = sum(syllables(w) for w in all_words)
    grade = 0.39 * len(all_words) / len(all_sentences) + 11.8 * total_syllables / len(all_words) - 15.59
    longest = max(all_sentences, key=lambda s: len(words(s)))
    return Readability(round(grade, 1), len(words(longest)), longest)
