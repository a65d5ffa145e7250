"""An exercise's picture for the handout: the catalog drawing (recorded once) or the clinic's photo."""

from __future__ import annotations

import functools
import io
import json

from reportlab.graphics.shapes import Drawing, String
from reportlab.platypus import Flowable, Image

from planner.catalog.figure import labels_in, render_drawing
from planner.handouts.flowables import Recording, ReplayedDrawing
from planner.handouts.styles import BOLD, REGULAR, register_fonts


def picture(
    slug: str,
    picture_data: dict,
    side: str,
    width: float,
    photo: bytes | None = None,
    label_size: float | None = None,
    language: str = "en",
) -> Flowable | None:
    """The start → end picture, mirrored for side="left"; the photo instead when the clinic gave one.

    `label_size` enlarges the picture's "Start" and "End" labels (never shrinks them); `language`
    is the handout's, which they are written in.
    A new flowable each call (flowables hold their canvas while drawing, so two requests must
    never share one); what is expensive to make is cached. None when there is no picture.
    """
    if photo:
        return _photo(photo, width)
    if not picture_data:
        return None
    key = json.dumps(picture_data, sort_keys=True, separators=(",", ":"))
    width = round(width, 1)  # recorded per tenth of a point; drawn or replayed, the same size
    recording = _recording(slug, side if side in ("left", "right") else "right", width, key)
    labels = labels_in(language)
    if recording is None:
        drawing = _drawing(picture_data, side, width)
        for node in drawing.contents:
            if isinstance(node, String):  # as ReplayedDrawing draws them: in the language, large enough
                node.text = labels.get(node.text, node.text)
                node.fontSize = max(node.fontSize, label_size or 0)
        return drawing
    return ReplayedDrawing(recording, label_size, labels)


@functools.lru_cache(maxsize=2048)
def _recording(slug: str, side: str, width: float, picture_json: str) -> Recording | None:
    """One recording per (slug, side, width) and picture, reused by every handout this process builds.

    The picture's JSON is part of the key, so a catalog reload or an edited custom exercise is
    never drawn from a stale cache.
    """
    return Recording.of(_drawing(json.loads(picture_json), side, width))


def _drawing(picture_data: dict, side: str, width: float) -> Drawing:
    register_fonts()
    drawing = render_drawing(picture_data, side, width)
    # The figure labels its panels in Helvetica; the handout embeds one font family only.
    for node in drawing.contents:
        if isinstance(node, String):
            node.fontName = BOLD if "Bold" in node.fontName else REGULAR
    return drawing


def _photo(data: bytes, width: float) -> Image:
    from reportlab.lib.utils import ImageReader

    w, h = ImageReader(io.BytesIO(data)).getSize()
    height = width * h / w if w else width
    # A tall photo would push the block off the page: cap its height, keep its shape.
    if height > width * 0.75:
        width, height = width * 0.75 * w / h, width * 0.75
    return Image(io.BytesIO(data), width=width, height=height)
