"""An exercise's drawing as inline SVG, made once per process for each version of the exercise.

Drawing the SVG from the pose on every request was half of the builder's time (bench/pages.py).
A drawing depends only on the exercise row, the side, the width and the language of its title
and labels, so it is kept in a bounded LRU per process. The key holds the row's id, its source
hash (the catalog file's, changed by a `catalog load` that changes the file) and its updated_at
(set by that load and by every edit of a custom exercise), and the name that titles the drawing
in that language: an edited exercise is never drawn from a stale entry, and the old entry falls
out of the LRU.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from flask import current_app
from markupsafe import Markup

from planner.catalog import figure
from planner.catalog.figure.pattern_start import start_in
from planner.catalog.translations import in_language
from planner.i18n import translator
from planner.models import Exercise

# 180 shipped exercises drawn at the builder's, the search's and the catalog's widths (both sides
# in the builder), and on the phone page in each patient language: about 1,100 drawings of about
# 9 KB each, so at most about 18 MB per process.
SIZE = 2048


class Pose:
    """An exercise's picture with the key it is cached by (the picture dict itself is not hashable).

    Also the key of the moving picture (web/catalog/movement.py), so both are kept alike.
    """

    __slots__ = ("key", "name", "picture")

    def __init__(self, key: tuple[int, str, datetime | None, str, str], name: str, picture: dict[str, Any]) -> None:
        self.key, self.name, self.picture = key, name, picture

    @classmethod
    def of(cls, exercise: Exercise, language: str, start: str = "") -> Pose:
        """The exercise's picture, keyed with the name that titles it in `language`; `start`: the
        posture a program item's picture starts in (Direction.start_posture, "" as drawn)."""
        name = in_language(exercise, language).name
        key = (exercise.id, exercise.source_hash, exercise.updated_at, name, start)
        return cls(key, name, start_in(exercise.picture, start))

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pose) and other.key == self.key


def exercise_svg(exercise: Exercise, width: int = 360, side: str = "right", language: str = "en") -> Markup | None:
    """The exercise's drawing as inline SVG (built by our code, so safe to mark up); None without one.

    `width` in CSS pixels; `side` "left" mirrors the drawing; `language`: the labels' and the
    title's (the patient's on the phone page). A drawing that fails is logged and shown as no
    picture, so one bad exercise never takes a page down.
    """
    if not exercise.picture:
        return None
    try:
        return _drawn(Pose.of(exercise, language), side, width, language)
    except Exception:
        current_app.logger.exception("cannot draw the picture of %s", exercise.slug)
        return None


@functools.lru_cache(maxsize=SIZE)
def _drawn(pose: Pose, side: str, width: int, language: str) -> Markup:
    title = translator(language).gettext("%(name)s: start and end position", name=pose.name)
    svg = figure.render_svg(pose.picture, side=side, width=width, title=title, labels=figure.labels_in(language))
    return Markup(svg)  # noqa: S704
