"""What every view (side, front, face, hand, lying) builds from a picture, for compose to fit."""

from __future__ import annotations

from dataclasses import dataclass

from .shapes import Point, Shape


@dataclass(frozen=True)
class Anchors:
    """Where breathing, voice and swallowing marks go (model units, y up; directions are unit vectors)."""

    mouth: Point
    face_dir: Point  # the way the face looks
    throat: Point
    throat_dir: Point  # out of the front of the throat
    down: Point  # down the neck
    scale: float = 1.0  # the marks' size, for a view drawn larger than the whole body


@dataclass(frozen=True)
class ViewDrawing:
    """Both poses of a picture drawn by its view, in model units (y up), before fitting.

    start, end: the shapes of each pose with its props; arrow: the motion arrow (or the push of
    a press), drawn over the end pose; floor: the height the figure stands or lies on, None when
    nothing is stood on; floor_line: whether a floor line is drawn under it; box: a fixed
    (x0, y0, x1, y1) to fit instead of the shapes' own bounds; anchors: None for a view without
    a face (the hand).
    """

    start: list[Shape]
    end: list[Shape]
    arrow: list[Shape]
    floor: float | None = None
    floor_line: bool = True
    box: tuple[float, float, float, float] | None = None
    anchors: Anchors | None = None
