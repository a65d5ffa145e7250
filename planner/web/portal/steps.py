"""Each exercise's steps, tips and when to stop as the phone page shows them, kept per process.

They depend only on the exercise's words in the patient's language (catalog.translations.ExerciseText)
and the page's language, never on the patient, the day or the ticks: the same HTML on every view
of every patient who has the exercise, so it is made once (templates/portal/_steps.html, autoescaped
like any page) and kept by those words.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import render_template
from markupsafe import Markup

from planner.catalog.translations import ExerciseText

KEPT_MAX = 1024  # exercises' steps kept (each 1-2 KB)

_kept: OrderedDict[tuple[object, ...], Markup] = OrderedDict()
_lock = threading.Lock()


def steps_html(text: ExerciseText, page_language: str) -> Markup:
    """The steps, tips and cautions of `text` as templates/portal/_steps.html writes them on a page
    in `page_language` (its headings, and the `lang` of words in another language)."""
    key = (tuple(text.steps), tuple(text.tips), tuple(text.cautions), text.language, page_language)
    with _lock:
        kept = _kept.get(key)
        if kept is not None:
            _kept.move_to_end(key)
            return kept
    made = Markup(render_template("portal/_steps.html", text=text, page_language=page_language))  # noqa: S704  (autoescaped)
    with _lock:
        _kept[key] = made
        while len(_kept) > KEPT_MAX:
            _kept.popitem(last=False)
    return made
