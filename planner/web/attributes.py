"""The HTML attributes of every form field, written the way WTForms writes them, only faster.

WTForms (3.3) builds each attribute with Markup.format, Python's string.Formatter with escaping
on every piece: for the program builder's 150 fields that was a fifth of the page's time
(bench/pages.py). `html_params` writes the same text with one f-string per attribute and
markupsafe's C escape; `install()` puts it where WTForms' widgets and labels look for theirs.
tests/test_attributes.py holds it to the library's own output, so an upgrade that changes
WTForms' rendering fails there first.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from markupsafe import Markup, escape
from wtforms import widgets
from wtforms.widgets import core

LIBRARY = core.html_params


def html_params(**kwargs: Any) -> Markup:
    """`name="value"` pairs sorted by name, as wtforms.widgets.html_params.

    `class_` and `for_` lose their underscore, `data_`/`aria_` names get hyphens; True writes the
    bare name, False writes nothing; every value (and name) is escaped, quotes as &quot;.
    """
    params = []
    for key, value in sorted(kwargs.items()):
        if value is True:
            params.append(_name(key))
        elif value is not False:
            params.append(f'{_name(key)}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(params))  # noqa: S704  (every value and name escaped above)


@functools.lru_cache(maxsize=1024)
def _name(key: str) -> str:
    """An attribute's name as WTForms writes it (clean_key), escaped as its Markup.join does: the
    same few names in every form, so worked out once each."""
    return str(escape(core.clean_key(key)))


def install(function: Callable[..., Markup] = html_params) -> None:
    """Make WTForms' widgets and labels use `function` (ours unless told; idempotent, process-wide)."""
    core.html_params = function  # the widgets that call the module's function
    widgets.html_params = function  # Label, through `widgets.html_params`
    for widget in (core.Input, core.Button):  # the ones that hold it as a static method
        widget.html_params = staticmethod(function)
