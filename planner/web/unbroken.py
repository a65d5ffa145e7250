"""A value a person copies or types character by character (an API token, a key, a code, an
address) as HTML that wraps only where no line can end or start with a "-", "_" or ".".

A browser breaks a long token after its hyphens, and `main { overflow-wrap: anywhere }` breaks it
anywhere, so "…rG_" / "2QFn…" or "…ia-" / "7Uv…" reads as a word broken at a hyphen: the reader
drops the mark, or stops copying at the line's end (trial of session 17's API token page). The
value may wrap only between two letters or digits, or after a "/"; a run holding any other mark
stays on one line. The <wbr> and the spans add no character: what is selected and copied is the
value itself.
"""

from __future__ import annotations

from markupsafe import Markup

_WBR = Markup("<wbr>")
_KEPT = Markup('<span class="nowrap">{}</span>')


def _may_break(before: str, after: str) -> bool:
    return (before.isalnum() and after.isalnum()) or before == "/"


def unbroken(value: str) -> Markup:
    """`value` escaped, with a break opportunity (<wbr>) only between two letters or digits or after
    a "/"; each run with another mark kept on one line (span.nowrap)."""
    pieces: list[str] = []
    run = ""
    for ch in value:
        if run and _may_break(run[-1], ch):
            pieces.append(run)
            run = ""
        run += ch
    if run:
        pieces.append(run)
    return _WBR.join(_KEPT.format(p) if len(p) > 1 else p for p in pieces)


def phone_number(value: str) -> Markup:
    """A telephone number as typed, escaped, each of its space-separated groups on one line: a break
    inside "600-123" reads as two numbers. Empty for an empty value."""
    return Markup(" ").join(_KEPT.format(group) for group in value.split())
