"""Ids and other whole numbers from outside (a URL, a query string, a form field).

A row id is at most MAX_ID (a signed 64-bit integer). A larger number must never reach a query:
SQLite's driver raises OverflowError there, a 500. So a URL with one is no page (404), and a
form field or query string with one is a field error, or the page's default.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

from planner.models.base import MAX_ID


def whole_number(text: str) -> int:
    """The whole number 0 to MAX_ID written in `text` with ASCII digits only, e.g. "42" → 42.

    Usable as `request.args.get(name, default, type=whole_number)`: then anything else gives the default.

    :raise ValueError: for a sign, spaces, other digits (such as "١٢"), an empty text or a number past MAX_ID.
    """
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f"not a whole number: {text[:40]!r}")
    value = int(text)
    if value > MAX_ID:
        raise ValueError("the number is too large")
    return value


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: ASCII digits up to MAX_ID; anything else matches no route (404).

    Registered as the map's `int` converter (planner.web.register_blueprints), so no route can
    forget it; tests/test_isolation.py requests every route with ids past the limit.
    """

    regex = r"[0-9]+"  # werkzeug's \d+ also matches other scripts' digits, such as "١٢"

    def __init__(
        self,
        map: Map,  # noqa: A002 (werkzeug's names)
        fixed_digits: int = 0,
        min: int | None = None,  # noqa: A002
        max: int = MAX_ID,  # noqa: A002
        signed: bool = False,
    ) -> None:
        lowest = -MAX_ID - 1 if signed and min is None else min
        super().__init__(map, fixed_digits, lowest, max, signed)
