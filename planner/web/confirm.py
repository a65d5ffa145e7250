"""Ask, then act: a GET shows a page that asks; the POST from its button does the thing.

For what no one should do by a slip of the finger: deactivating an account, archiving a patient
or a program, retiring an exercise, deleting a template, stopping a patient's link.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import render_template

from planner.web.admin.forms import ConfirmForm


def ask_then_act(page: str, act: Callable[[], Any], shown: Callable[[], None] | None = None, **context: Any) -> Any:
    """The answer to the request: on a POST whose CSRF token is good, whatever `act()` returns
    (it commits, flashes and redirects); otherwise `page` rendered with `context` and `form`,
    the ConfirmForm its button posts, after `shown()` (a page that names a patient records its view).
    """
    form = ConfirmForm()
    if form.validate_on_submit():
        return act()
    if shown is not None:
        shown()
    return render_template(page, form=form, **context)
