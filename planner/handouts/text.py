"""The one place user text is made safe for reportlab.

Paragraph parses its text as markup: an unescaped `<font size=80>` in a therapist's note would
render, `<b>` would turn bold, and a lone `<` or an unknown tag raises and stops the build.
Every value that reaches a Paragraph goes through `para_text`; values drawn straight onto the
canvas (which does not parse markup) go through `plain_text`.

`para_text` also names the font of each run of text that DejaVu Sans cannot print (Chinese,
Hebrew, emoji: see fallback.py), with a `<font face>` tag of our own: the escaping above it
keeps a user's own tags from ever being read as markup.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from xml.sax.saxutils import escape

from planner.handouts.fallback import font_runs

# C0 and C1 control characters other than tab and newline: they have no glyph, and some
# (form feed, vertical tab) confuse text extraction. A tab reads as a space.
_SPACES = re.compile(r"[^\S\u00a0]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plain_text(value: object) -> str:
    """The value as one line of plain text: control characters and runs of spaces made single spaces."""
    text = _composed("" if value is None else str(value))
    return " ".join(_CONTROL.sub(" ", text).split())


def para_text(value: object) -> str:
    """The value as Paragraph markup that prints literally: escaped, with line breaks kept.

    `<b>`, `&`, `<font size=80>`, `]]>` and a lone `<` all print as typed. Line breaks
    (\\n, \\r\\n, \\r) become `<br/>`; blank lines at either end are dropped, and a run of
    blank lines prints as one (a note of 900 empty lines is not 30 empty pages). Runs that
    DejaVu Sans cannot print are set in a fallback font; a character no font has becomes
    fallback.STAND_IN (the program page lists those: fallback.unprintable).
    """
    return _para_text("" if value is None else str(value))


# A handout's texts come again in handout after handout (an exercise's steps, the headings), and
# cutting a non-ASCII line into font runs goes character by character: kept per process.
@functools.lru_cache(maxsize=16384)
def _para_text(value: str) -> str:
    text = _composed(value)
    lines: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _CONTROL.sub(" ", line)
        # Runs of spaces as one; a no-break space (a date's "(version 2)") stays one.
        line = " ".join(_SPACES.split(line.strip()) if "\u00a0" in line else line.split())
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "<br/>".join(_with_fonts(line) for line in lines)


def _composed(text: str) -> str:
    """Letters and their accents as one character where Unicode has one (NFC): "e" + U+0301
    prints as "é", not as an "e" with a mark the font may place badly."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _with_fonts(line: str) -> str:
    if line.isascii():
        return escape(line)
    return "".join(
        escape(run) if font is None else f'<font face="{font}">{escape(run)}</font>' for font, run in font_runs(line)
    )


def bold(markup: str) -> str:
    """Already-escaped markup wrapped in bold."""
    return f"<b>{markup}</b>"
