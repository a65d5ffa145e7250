"""An exercise's drawing as inline SVG, made once per process for each version of the exercise.

Drawing the SVG from the pose on every request was half of the builder's time (bench/pages.py).
A drawing depends only on the exercise row, the side and the width, so it is kept in a bounded
LRU per process. The key holds the row's id, its source hash (the catalog file's, changed by a
`catalog load` that changes the file) and its updated_at (set by that load and by every edit of
a custom exercise), and the name that titles the drawing: an edited exercise is never drawn from
a stale entry, and the old entry falls out of the LRU.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from flask import current_app
from markupsafe import Markup

from planner.catalog import figure
from planner.models import Exercise

# 148 shipped exercises x 2 sides x 3 widths is under 900 drawings of about 9 KB each.
SIZE = 1024


class _Pose:
    """An exercise's picture with the key it is cached by (the picture dict itself is not hashable)."""

    __slots__ = ("key", "name", "picture")

    def __init__(self, key: tuple[int, str, datetime | None, str], name: str, picture: dict[str, Any]) -> None:
        self.key, self.name, self.picture = key, name, picture

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Pose) and other.key == self.key


def exercise_svg(exercise: Exercise, width: int = 360, side: str = "right") -> Markup | None:
    """The exercise's drawing as inline SVG (built by our code, so safe to mark up); None without one.

    `width` in CSS pixels; `side` "left" mirrors the drawing. A drawing that fails is logged and
    shown as no picture, so one bad exercise never takes a page down.
    """
    if not exercise.picture:
        return None
    pose = _Pose(
        (exercise.id, exercise.source_hash, exercise.updated_at, exercise.name), exercise.name, exercise.picture
    )
    try:
        return _drawn(pose, side, width)
    except Exception:
        current_app.logger.exception("cannot draw the picture of %s", exercise.slug)
        return None


@functools.lru_cache(maxsize=SIZE)
def _drawn(pose: _Pose, side: str, width: int) -> Markup:
    svg = figure.render_svg(pose.picture, side=side, width=width, title=f"{pose.name}: start and end position")
    return Markup(svg)  # noqa: S704
