"""A count with its noun, in English: "1 exercise", "3 exercises".

The therapist's pages, the commands' output and the catalog checks are in English only; there a
count's noun is written whole for one and for many, never an "s" glued on by a condition (the
kind behind "1 minutes", "1 templates" and "on the both cheeks"). What a patient reads counts
through gettext's ngettext instead, in the patient's language (planner/i18n.py).
"""

from __future__ import annotations


def counted(num: int, one: str, many: str) -> str:
    """`num` and the noun for it: counted(1, "exercise", "exercises") is "1 exercise", 0 and 2 or
    more take `many`."""
    return f"{num} {one if num == 1 else many}"
