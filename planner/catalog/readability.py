"""Readability of patient-facing text: Flesch-Kincaid grade (English), Fernández-Huerta
reading ease (Spanish), and sentence length.

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


# Plain language for a patient (STYLE.md): at most 15 words a sentence, in every field.
SENTENCE_WORDS = 15
_ANY_WORD = re.compile(r"[^\W_]+")  # letters or digits, in any script


def long_sentences(text: str) -> list[tuple[int, str]]:
    """(words, sentence) for each sentence of `text` over SENTENCE_WORDS words, in order;
    words are runs of letters or digits in any script (English, Spanish, a therapist's Greek)."""
    return [(n, s) for s in sentences(text) if (n := len(_ANY_WORD.findall(s))) > SENTENCE_WORDS]


def too_long(count: int, sentence: str) -> str:
    """The message for a sentence of `count` words over SENTENCE_WORDS (catalog check)."""
    return f"has a sentence of {count} words, at most {SENTENCE_WORDS}: “{sentence}”"


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


# Spanish: Fernández-Huerta's reading ease, with syllables counted by the rules of Spanish
# spelling (which, unlike English, say exactly how a written word divides).

_ES_WORD = re.compile(r"[A-Za-zÁÉÍÓÚÜÑáéíóúüñ]+|\d+")
_ES_STRONG = frozenset("aeoáéóíú")  # open vowels, and a stressed i or u: each its own syllable
_ES_VOWELS = frozenset("aeiouáéíóúü")
# The Fernández-Huerta score from which a text reads at about 6th grade (the scale below).
SPANISH_EASE_6TH_GRADE = 70.0


def spanish_syllables(word: str) -> int:
    """The syllables of one Spanish word (at least 1), counted from its vowel groups.

    Two vowels side by side share a syllable (a diphthong: "bien", "cuello", "ciudad") unless
    both are open (a, e, o: "le-er", "po-e-ma") or one is a stressed í/ú ("dí-a", "ba-úl").
    The u of "que", "qui", "gue", "gui" is silent; "y" at the end of a word after a vowel
    ("hoy", "muy") is part of that vowel's syllable.
    """
    w = word.lower()
    if w.isdigit():
        return max(1, len(w))  # as in English: rough, but never too kind
    w = re.sub(r"([qg])u([eéií])", r"\1\2", w)
    count = 0
    previous = ""
    for c in w:
        if c in _ES_VOWELS:
            if not previous or (previous in _ES_STRONG and c in _ES_STRONG):
                count += 1  # a new vowel group, or a hiatus inside one
            previous = c
        else:
            previous = ""
    return max(1, count)


@dataclass(frozen=True)
class SpanishReadability:
    ease: float  # Fernández-Huerta, 0 (very hard) to 100 (very easy); 70 and above: 6th grade
    longest_sentence_words: int
    longest_sentence: str


def measure_spanish(texts: list[str]) -> SpanishReadability:
    """Fernández-Huerta reading ease of Spanish text, and its longest sentence in words.

    L = 206.84 − 0.60 P − 1.02 F, with P the syllables per 100 words and F the words per
    sentence (J. Fernández Huerta, "Medidas sencillas de lecturabilidad", Consigna 214, 1959,
    an adaptation of Flesch's reading ease). Some later copies read F as "sentences per 100
    words", which would make short sentences score worse; Flesch's formula, which Fernández
    Huerta adapted, uses the sentence length, as here (the correction G. Law published in 2011).
    His scale: 90-100 4th grade, 80-90 5th, 70-80 6th, 60-70 7th-8th, 50-60 secondary school.
    So SPANISH_EASE_6TH_GRADE is 70: the same 6th grade the English text is held to.
    """
    all_sentences = [s for t in texts for s in sentences(t)]
    all_words = [w for s in all_sentences for w in _ES_WORD.findall(s)]
    if not all_sentences or not all_words:
        return SpanishReadability(100.0, 0, "")
    per_100_words = 100 * sum(spanish_syllables(w) for w in all_words) / len(all_words)
    words_per_sentence = len(all_words) / len(all_sentences)
    ease = 206.84 - 0.60 * per_100_words - 1.02 * words_per_sentence
    longest = max(all_sentences, key=lambda s: len(_ES_WORD.findall(s)))
    return SpanishReadability(round(ease, 1), len(_ES_WORD.findall(longest)), longest)
