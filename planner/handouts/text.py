"""The one place user text is made safe for reportlab.

Paragraph parses its text as markup: an unescaped `<font size=80>` in a therapist's note would
render, `<b>` would turn bold, and a lone `<` or an unknown tag raises and stops the build.
Every value that reaches a Paragraph goes through `para_text`; values drawn straight onto the
canvas (which does not parse markup) go through `plain_text`.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

# C0 and C1 control characters other than tab and newline: they have no glyph, and some
# (form feed, vertical tab) confuse text extraction. A tab reads as a space.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plain_text(value: object) -> str:
    """The value as one line of plain text: control characters and runs of spaces made single spaces."""
    text = "" if value is None else str(value)
    return " ".join(_CONTROL.sub(" ", text).split())


def para_text(value: object) -> str:
    """The value as Paragraph markup that prints literally: escaped, with line breaks kept.

    `<b>`, `&`, `<font size=80>`, `]]>` and a lone `<` all print as typed. Line breaks
    (\\n, \\r\\n, \\r) become `<br/>`; blank lines at either end are dropped, and a run of
    blank lines prints as one (a note of 900 empty lines is not 30 empty pages).
    """
    text = "" if value is None else str(value)
    lines: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = " ".join(_CONTROL.sub(" ", line).split())
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "<br/>".join(escape(line) for line in lines)


def bold(markup: str) -> str:
    """Already-escaped markup wrapped in bold."""
    return f"<b>{markup}</b>"
