"""An exercise's movement for the pages: the moving picture and the still start and end panels.

The patient's phone page, the catalog's exercise page and the builder show the same pair
(`templates/catalog/_movement.html`). Both are drawn from the exercise's pose data and kept per
process: the key holds what the drawing depends on (the row's id, source hash, update time and
name, the side, the width and the hold), so an edited exercise is never shown from a stale entry.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from flask import current_app
from markupsafe import Markup

from planner.catalog import figure
from planner.catalog.figure.motion import Pace, render_motion_svg
from planner.models import Exercise

SIZE = 512  # drawings kept per process, each kind; a moving picture is about 12 KB on average


class _Drawing:
    """An exercise's picture with the key it is kept by (the picture dict itself is not hashable)."""

    __slots__ = ("key", "name", "picture")

    def __init__(self, exercise: Exercise) -> None:
        self.key = (exercise.id, exercise.source_hash, exercise.updated_at, exercise.name)
        self.name, self.picture = exercise.name, exercise.picture

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Drawing) and other.key == self.key


def exercise_motion(
    exercise: Exercise, side: str | None = "right", dosage: Mapping[str, Any] | None = None, width: int = 360
) -> Markup | None:
    """The moving picture as inline SVG, paced by the dosage's hold (seconds); None without pose data.

    side: "left" mirrors it (a program item's side); width in CSS pixels. A drawing that fails is
    logged and left out, so one bad exercise never takes a page down.
    """
    if not exercise.picture:
        return None
    hold = (dosage or exercise.dosage or {}).get("hold_seconds")
    try:
        return _moving(_Drawing(exercise), side or "right", width, Pace.of(hold))
    except Exception:
        current_app.logger.exception("cannot draw the movement of %s", exercise.slug)
        return None


def exercise_stills(exercise: Exercise, side: str | None = "right", width: int = 360) -> Markup | None:
    """The still start and end panels as inline SVG without their small "Start"/"End" words
    (the page captions them in its own type); None without pose data."""
    if not exercise.picture:
        return None
    try:
        return _still(_Drawing(exercise), side or "right", width)
    except Exception:
        current_app.logger.exception("cannot draw the picture of %s", exercise.slug)
        return None


@functools.lru_cache(maxsize=SIZE)
def _moving(drawing: _Drawing, side: str, width: int, pace: Pace) -> Markup:
    title = f"{drawing.name}: the movement, from the start position to the end position and back"
    return Markup(render_motion_svg(drawing.picture, side, width, pace, title))  # noqa: S704  (our own drawing)


@functools.lru_cache(maxsize=SIZE)
def _still(drawing: _Drawing, side: str, width: int) -> Markup:
    title = f"{drawing.name}: start and end position"  # as the still picture is titled everywhere
    return Markup(figure.render_svg(drawing.picture, side, width, title, labels=False))  # noqa: S704


def forget() -> None:
    """Empty both caches (tests that count drawings)."""
    _moving.cache_clear()
    _still.cache_clear()
