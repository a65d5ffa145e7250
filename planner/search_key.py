"""How every search compares text: the one place that decides when two spellings are the same.

A therapist types "obrien", "jose" or "mary ann" and expects "O'Brien", "José" and "Mary-Ann".
So stored keys and typed searches both go through `fold` and `words` in Python, never through
the database's LOWER() (ASCII-only on SQLite, locale-bound on PostgreSQL), and both databases
compare the same plain strings:

- case in every script (casefold: "ΟΔΥΣΣΕΑΣ" and "οδυσσέας", final sigma included; "Straße" = "strasse");
- accents and other marks ("Müller" = "muller", "Nguyễn" = "nguyen", Arabic and Hebrew vowel marks);
- compatibility forms (full-width letters, ligatures such as "ﬁ");
- a few Latin letters that carry no separate mark ("Søren" = "soren", "Łukasz" = "lukasz");
- apostrophes join ("O'Brien", "O’Brien" and "OʼBrien" are "obrien"); any other punctuation,
  hyphens included, separates words ("Mary-Ann" is "mary ann").
"""

from __future__ import annotations

import unicodedata

# Removed before anything else, so the letters either side stay one word.
_JOINERS = dict.fromkeys(
    map(
        ord,
        "'’‘ʼʻ`´"  # apostrophes as typed on any keyboard
        "׳״"  # Hebrew geresh and gershayim (abbreviations)
        "\u0640",  # Arabic tatweel, a stretching stroke inside a word
    )
)
_SEPARATE = dict.fromkeys(_JOINERS, " ")
# Latin letters with a stroke or joined letters: Unicode gives them no mark to take off.
_LETTERS = str.maketrans({"ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h", "ŧ": "t", "ı": "i", "æ": "ae", "œ": "oe"})
# Marks (accents, vowel points) and invisible format characters (soft hyphen, zero-width joiners).
_DROPPED = frozenset({"Mn", "Cf"})


def fold(text: str) -> str:
    """The text without case, marks or compatibility forms; punctuation and spaces are kept.

    >>> fold("José Müller-Ωμέγας")
    'jose muller-ωμεγασ'
    """
    text = unicodedata.normalize("NFKD", text.translate(_JOINERS)).casefold()
    text = unicodedata.normalize("NFKD", text)  # casefold can give back a letter with a mark ("İ")
    text = "".join(c for c in text if unicodedata.category(c) not in _DROPPED)
    return unicodedata.normalize("NFKC", text.translate(_LETTERS))


def words(text: str, *, apostrophe_parts: bool = False) -> list[str]:
    """The folded words of a text, in order: runs of letters, digits and spacing marks.

    apostrophe_parts: also give the parts of a word joined by an apostrophe, after the whole
    word, for an index that matches the start of a word: "l'épaule" is found by "epaule"
    (French, Italian) as "O'Brien" is by "obrien".

    >>> words("O'Brien, Mary-Ann")
    ['obrien', 'mary', 'ann']
    >>> words("l'épaule", apostrophe_parts=True)
    ['lepaule', 'l', 'epaule']
    """
    found = _split(fold(text))
    if apostrophe_parts and text != text.translate(_JOINERS):
        found += [w for w in _split(fold(text.translate(_SEPARATE))) if w not in found]
    return found


def _split(folded: str) -> list[str]:
    return "".join(c if unicodedata.category(c)[0] in "LNM" else " " for c in folded).split()


def caseless(text: str) -> str:
    """The text with case ignored in every script, spaces collapsed, accents kept: for telling
    names apart ("ΠΌΝΟΣ" and "Πόνος" are one measure name; "Clinique" and "Cliniqué" are two).
    """
    return " ".join(unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold()).split())


def name_key(name: str, limit: int) -> str:
    """A name as the searches store it: its folded words, one space apart, at most `limit` characters.

    A few characters grow when folded ("ß" is "ss"), so the limit is the column's, not the name's.
    """
    return " ".join(words(name))[:limit]


def following(word: str) -> str | None:
    """The first string after every string that starts with word (by code point); None when
    there is none. A prefix search is the range word <= key < following(word)."""
    for i in range(len(word) - 1, -1, -1):
        code = ord(word[i]) + 1
        if 0xD800 <= code <= 0xDFFF:  # surrogates cannot be stored: skip to the next character
            code = 0xE000
        if code <= 0x10FFFF:
            return word[:i] + chr(code)
    return None
