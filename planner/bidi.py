"""Text typed in either direction, put into a sentence of ours.

A Hebrew or Arabic name inside an English (or Spanish) sentence is read by the browser's bidi
algorithm together with the words around it: the quote marks, a full stop or a number next to
it may jump to its other end. Set apart with Unicode's isolates, it reads in its own direction
and leaves the sentence's alone, as <bdi> does in markup. No Flask here: a service message that
names a patient or an exercise (shown as a flash message or at a field) isolates it the same way.
"""

from __future__ import annotations

import unicodedata


def isolate(text: str) -> str:
    """`text` between Unicode's first-strong isolate and its end (U+2068, U+2069) when it holds a
    right-to-left letter: a name put into a sentence (a translated one) then reads in its own
    direction, as <bdi> does in markup. Left-to-right text in our left-to-right pages is left as it is."""
    return f"\u2068{text}\u2069" if right_to_left_in(text) else text


def right_to_left_in(text: str) -> bool:
    """Whether `text` holds a right-to-left letter (Hebrew, Arabic, ...: bidi class R or AL)."""
    # ASCII holds no right-to-left letter: most names are told at once, not letter by letter.
    return not text.isascii() and any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)
