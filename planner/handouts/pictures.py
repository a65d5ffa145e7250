"""An exercise's picture for the handout: the catalog drawing (recorded once) or the clinic's photo."""

from __future__ import annotations

import functools
import io
import json

from reportlab.graphics.shapes import Drawing, String
from reportlab.platypus import Flowable, Image

from planner.catalog.figure import Figure, build_shapes, labels_in, render_drawing
from planner.handouts.recording import Recording, ReplayedDrawing
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
    return Picture(slug, side, width, key, label_size, labels_in(language))


class Picture(Flowable):
    """A catalog picture `width` points wide, its size known without drawing it: a handout
    weighs its blocks with the picture at several widths and draws one (an export's first 20
    handouts recorded 135 pictures and drew 71). Drawn, it is recorded once per process and
    replayed (ReplayedDrawing), or, where it cannot be replayed, drawn as the figure's Drawing,
    its labels in the handout's language and at least `label_size`."""

    def __init__(
        self, slug: str, side: str, width: float, key: str, label_size: float | None, labels: dict[str, str]
    ) -> None:
        super().__init__()
        self.slug, self.side, self.key, self.label_size, self.labels = slug, side, key, label_size, labels
        self.width, self.height = _size(key, _mirrored(side), width)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    @property
    def recording(self) -> Recording | None:
        """The picture's recording, made the first time any handout of this process asks."""
        return _recording(self.slug, _mirrored(self.side), self.width, self.key)

    def draw(self) -> None:
        recording = self.recording
        shown: Flowable
        if recording is None:
            shown = _drawing(self.key, self.side, self.width)
            for node in shown.contents:
                if isinstance(node, String):  # as ReplayedDrawing draws them: in the language, large enough
                    node.text = self.labels.get(node.text, node.text)
                    node.fontSize = max(node.fontSize, self.label_size or 0)
        else:
            shown = ReplayedDrawing(recording, self.label_size, self.labels)
        shown._drawOn(self.canv)  # here, as if it were the flowable: no state saved or moved twice


def _mirrored(side: str) -> str:
    """The side a picture is drawn for: left mirrors it, any other (both, none) as right."""
    return side if side in ("left", "right") else "right"


@functools.lru_cache(maxsize=512)
def _figure(picture_json: str, side: str) -> Figure:
    """The picture's shapes (build_shapes), made once per picture and side: drawn at any width."""
    return build_shapes(json.loads(picture_json), side)


@functools.lru_cache(maxsize=4096)
def _size(picture_json: str, side: str, width: float) -> tuple[float, float]:
    """(width, height) in points of the picture drawn `width` wide, as render_drawing sizes it."""
    figure = _figure(picture_json, side)
    return round(width, 2), round(figure.height * (width / figure.width), 2)


@functools.lru_cache(maxsize=2048)
def _recording(slug: str, side: str, width: float, picture_json: str) -> Recording | None:
    """One recording per (slug, side, width) and picture, reused by every handout this process builds.

    The picture's JSON is part of the key, so a catalog reload or an edited custom exercise is
    never drawn from a stale cache.
    """
    return Recording.of(_drawing(picture_json, side, width))


def _drawing(picture_json: str, side: str, width: float) -> Drawing:
    register_fonts()
    drawing = render_drawing(json.loads(picture_json), side, width, _figure(picture_json, _mirrored(side)))
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
