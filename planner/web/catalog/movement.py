"""An exercise's movement for the pages: the moving picture and the still start and end panels.

The patient's phone page, the catalog's exercise page and the builder show the same pair
(`templates/catalog/_movement.html`). Both are drawn from the exercise's pose data and kept per
process as the still drawings are (web/catalog/pictures.py, whose key they share: the row's id,
source hash, update time and its name in the language, with the side, the width, the language
and the hold), so an edited exercise is never shown from a stale entry. Their names for a screen
reader are in the page's language (the patient's on the phone page).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from flask import current_app
from markupsafe import Markup

from planner.catalog import figure
from planner.catalog.figure.motion import Pace, render_motion_svg
from planner.i18n import ENGLISH, translator
from planner.models import Exercise
from planner.web.catalog.pictures import SIZE, Pose


def exercise_motion(
    exercise: Exercise,
    side: str | None = "right",
    dosage: Mapping[str, Any] | None = None,
    width: int = 360,
    language: str = ENGLISH,
    start: str = "",
) -> Markup | None:
    """The moving picture as inline SVG, paced by the dosage's hold (seconds); None without pose data.

    side: "left" mirrors it (a program item's side); width in CSS pixels; language: of its name
    for a screen reader; start: the posture a program item's picture starts in
    (Direction.start_posture). A drawing that fails is logged and left out, so one bad exercise
    never takes a page down.
    """
    if not exercise.picture:
        return None
    hold = (dosage or exercise.dosage or {}).get("hold_seconds")
    try:
        return _moving(Pose.of(exercise, language, start), side or "right", width, language, Pace.of(hold))
    except Exception:
        current_app.logger.exception("cannot draw the movement of %s", exercise.slug)
        return None


def exercise_stills(
    exercise: Exercise, side: str | None = "right", width: int = 360, language: str = ENGLISH, start: str = ""
) -> Markup | None:
    """The still start and end panels as inline SVG without their small "Start"/"End" words
    (the page captions them in its own type); None without pose data. language: of its name;
    start: the posture a program item's picture starts in (Direction.start_posture)."""
    if not exercise.picture:
        return None
    try:
        return _still(Pose.of(exercise, language, start), side or "right", width, language)
    except Exception:
        current_app.logger.exception("cannot draw the picture of %s", exercise.slug)
        return None


@functools.lru_cache(maxsize=SIZE)
def _moving(pose: Pose, side: str, width: int, language: str, pace: Pace) -> Markup:
    title = translator(language).gettext(
        "%(name)s: the movement, from the start position to the end position and back", name=pose.name
    )
    return Markup(render_motion_svg(pose.picture, side, width, pace, title))  # noqa: S704  (our own drawing)


@functools.lru_cache(maxsize=SIZE)
def _still(pose: Pose, side: str, width: int, language: str) -> Markup:
    # titled as the still picture is everywhere
    title = translator(language).gettext("%(name)s: start and end position", name=pose.name)
    return Markup(figure.render_svg(pose.picture, side, width, title, with_labels=False))  # noqa: S704
