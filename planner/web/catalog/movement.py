"""An exercise's movement for the pages: the moving picture and the still start and end panels.

The patient's phone page, the catalog's exercise page and the builder show the same pair
(`templates/catalog/_movement.html`). Both are drawn from the exercise's pose data and kept per
process: the key holds what the drawing depends on (the row's id, source hash, update time,
language and name, the side, the width and the hold), so an edited exercise is never shown from
a stale entry. Their names for a screen reader are in the page's language (the patient's on the
phone page).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from flask import current_app
from markupsafe import Markup

from planner.catalog import figure
from planner.catalog.figure.motion import Pace, render_motion_svg
from planner.catalog.translations import in_language
from planner.i18n import ENGLISH, translator
from planner.models import Exercise

SIZE = 512  # drawings kept per process, each kind; a moving picture is about 12 KB on average


class _Drawing:
    """An exercise's picture and name in a language, with the key it is kept by (the picture dict
    itself is not hashable)."""

    __slots__ = ("key", "language", "name", "picture")

    def __init__(self, exercise: Exercise, language: str) -> None:
        self.language, self.name = language, in_language(exercise, language).name
        self.key = (exercise.id, exercise.source_hash, exercise.updated_at, language, self.name)
        self.picture = exercise.picture

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Drawing) and other.key == self.key


def exercise_motion(
    exercise: Exercise,
    side: str | None = "right",
    dosage: Mapping[str, Any] | None = None,
    width: int = 360,
    language: str = ENGLISH,
) -> Markup | None:
    """The moving picture as inline SVG, paced by the dosage's hold (seconds); None without pose data.

    side: "left" mirrors it (a program item's side); width in CSS pixels; language: of its name
    for a screen reader. A drawing that fails is logged and left out, so one bad exercise never
    takes a page down.
    """
    if not exercise.picture:
        return None
    hold = (dosage or exercise.dosage or {}).get("hold_seconds")
    try:
        return _moving(_Drawing(exercise, language), side or "right", width, Pace.of(hold))
    except Exception:
        current_app.logger.exception("cannot draw the movement of %s", exercise.slug)
        return None


def exercise_stills(
    exercise: Exercise, side: str | None = "right", width: int = 360, language: str = ENGLISH
) -> Markup | None:
    """The still start and end panels as inline SVG without their small "Start"/"End" words
    (the page captions them in its own type); None without pose data. language: of its name."""
    if not exercise.picture:
        return None
    try:
        return _still(_Drawing(exercise, language), side or "right", width)
    except Exception:
        current_app.logger.exception("cannot draw the picture of %s", exercise.slug)
        return None


@functools.lru_cache(maxsize=SIZE)
def _moving(drawing: _Drawing, side: str, width: int, pace: Pace) -> Markup:
    title = translator(drawing.language).gettext(
        "%(name)s: the movement, from the start position to the end position and back", name=drawing.name
    )
    return Markup(render_motion_svg(drawing.picture, side, width, pace, title))  # noqa: S704  (our own drawing)


@functools.lru_cache(maxsize=SIZE)
def _still(drawing: _Drawing, side: str, width: int) -> Markup:
    # titled as the still picture is everywhere
    title = translator(drawing.language).gettext("%(name)s: start and end position", name=drawing.name)
    return Markup(figure.render_svg(drawing.picture, side, width, title, with_labels=False))  # noqa: S704


def forget() -> None:
    """Empty both caches (tests that count drawings)."""
    _moving.cache_clear()
    _still.cache_clear()
