"""A picture recorded once per process and replayed: a reportlab Drawing's shapes as PDF operators
(Recording), written again into each handout with its labels drawn as text (ReplayedDrawing).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, String
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from planner.handouts.replay import operators_of

_FONT_ONLY = re.compile(r"BT /F\d+ [\d.]+ Tf [\d.]+ TL ET")


_NAMED = re.compile(r"/[A-Za-z]\w*\s+(?:[\d.]+\s+Tf|gs|Do|sh|cs|CS|scn|SCN)\b")


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    font: str
    size: float
    anchor: str
    color: Any


@dataclass(frozen=True)
class Recording:
    """A Drawing's shapes as PDF operators, captured once; immutable, so shared between threads."""

    width: float
    height: float
    ops: str
    labels: tuple[Label, ...]

    @classmethod
    def of(cls, drawing: Drawing) -> Recording | None:
        """The recording, or None for a drawing that cannot be replayed (groups, images, transparency)."""
        from reportlab.graphics.shapes import Group, Image

        if any(
            isinstance(n, Group | Image)
            or getattr(n, "fillOpacity", None) not in (None, 1)
            or getattr(n, "strokeOpacity", None) not in (None, 1)
            for n in drawing.contents
        ):
            return None
        shapes = Drawing(drawing.width, drawing.height)
        for node in drawing.contents:
            if not isinstance(node, String):
                shapes.add(node)
        scratch = Canvas(io.BytesIO())
        drawn = operators_of(scratch, lambda: renderPDF.draw(shapes, scratch, 0, 0, showBoundary=False))
        # The renderer sets its default font on the scratch document (a name that means nothing in
        # another document); with no text left it is a no-op, so it goes.
        ops = [op for op in drawn.split("\n") if not _FONT_ONLY.fullmatch(op)]
        if any(_NAMED.search(op) for op in ops):  # anything else named in the scratch document
            return None
        labels = tuple(
            Label(n.x, n.y, n.text, n.fontName, n.fontSize, n.textAnchor, n.fillColor)
            for n in drawing.contents
            if isinstance(n, String)
        )
        return cls(drawing.width, drawing.height, "\n".join(ops), labels)


class ReplayedDrawing(Flowable):
    """A recorded drawing, replayed into one document; the labels are drawn as ordinary text
    each time, because an embedded font's glyph codes belong to one document."""

    def __init__(
        self, recording: Recording, label_size: float | None = None, texts: dict[str, str] | None = None
    ) -> None:
        super().__init__()
        # texts: each label's words in the handout's language ("Start" → "Inicio").
        self.recording, self.label_size, self.texts = recording, label_size, texts or {}
        self.width, self.height = recording.width, recording.height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.addLiteral(self.recording.ops)
        canvas.restoreState()
        for label in self.recording.labels:
            canvas.setFillColor(label.color)
            canvas.setFont(label.font, max(label.size, self.label_size or 0))
            said = self.texts.get(label.text, label.text)
            if label.anchor == "middle":
                canvas.drawCentredString(label.x, label.y, said)
            elif label.anchor == "end":
                canvas.drawRightString(label.x, label.y, said)
            else:
                canvas.drawString(label.x, label.y, said)
