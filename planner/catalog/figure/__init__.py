"""Exercise pictures drawn from data: one list of primitives, rendered as SVG or reportlab.

See docs/catalog-format.md, "The picture". Public API:

- build_shapes(picture, side="right", with_labels=True) -> Figure
- render_svg(picture, side="right", width=360, title=None, labels=None, with_labels=True) -> str
- labels_in(language) -> {"Start": …, "End": …}, the panels' labels in a language
- render_drawing(picture, side="right", width=300) -> reportlab Drawing
- validate_picture(picture) -> list of (field path, message)
"""

from __future__ import annotations

from .compose import build_shapes, labels_in
from .render import render_drawing, render_svg
from .shapes import Figure, Shape
from .spec import validate_picture

__all__ = ["Figure", "Shape", "build_shapes", "labels_in", "render_drawing", "render_svg", "validate_picture"]
