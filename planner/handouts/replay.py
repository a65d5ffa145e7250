"""Drawing replayed: what a flowable wrote on the page, kept per process and written again.

An export prints the same exercise at the same dosage, side and type size in handout after
handout, and drawing an exercise block is most of a handout's time. Its PDF operators are the
same in every handout except where they name the embedded font: the font's name in the
document and the codes of its glyphs. So every handout names its two fonts first, in one
order, and gives a few common characters beyond ASCII their codes first (`prepare`). ASCII
has fixed codes already. A drawing that uses only those characters then writes the same
operators in any handout: `draw_recorded` keeps them, and the next handout writes them as
they are, byte for byte what drawing again would write.

Anything else (a Greek name, a photo, transparency) is drawn as usual, never recorded.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from typing import Any

from reportlab.lib.colors import black
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.canvas import Canvas

from planner.handouts.streams import Segment
from planner.handouts.styles import BOLD, REGULAR

# Given their codes first in every handout, in this order: bullets, the name separator, the
# ellipsis of a shortened line, and the dashes and quotes a phone or word processor types.
PRESET = "•·…–—‘’“”"
_FONTS = (REGULAR, BOLD)
# A named resource other than a font (an image, a transparency state, a pattern) belongs to one document.
_FOREIGN = re.compile(r"/[A-Za-z][\w.+-]*\s+(?:gs|Do|sh|cs|CS|scn|SCN)\b")
_RECORDED: dict[Hashable, Segment] = {}
_RECORDED_MAX = 4096


def prepare(canvas: Canvas) -> None:
    """Name the two fonts and code the preset characters, before anything is drawn on `canvas`."""
    doc = canvas._doc
    names = []
    for name in _FONTS:
        font = getFont(name)
        font.splitString(PRESET, doc)
        names.append(font.getSubsetInternalName(0, doc))
    canvas._replay_names = tuple(names)


def _only_preset_codes(canvas: Canvas) -> bool:
    """True while this document has coded no character beyond ASCII and the preset."""
    doc = canvas._doc
    return all(getFont(name).state[doc].nextCode == 1 + len(PRESET) for name in _FONTS)


def draw_recorded(canvas: Canvas, key: Hashable | None, draw: Callable[[], Any]) -> None:
    """`draw()` at the canvas' current origin, or what the same call wrote under `key` before.

    `key` must name everything the drawing depends on (text, sizes, widths, colours); None
    just draws. A drawing with a key runs inside saveState/restoreState and starts from a
    known font, colours and line width, so it never leans on what was drawn before it.
    """
    names = getattr(canvas, "_replay_names", None)
    full_key = (names, key)
    if key is None or names is None:
        draw()
        return
    ops = _RECORDED.get(full_key)
    if ops is not None:
        canvas._code.append(ops)
        return
    recordable = _only_preset_codes(canvas)
    start = len(canvas._code)
    annotations = len(getattr(canvas, "_annotationrefs", ()))
    _draw_from_known_state(canvas, draw)
    # Recorded or not, the drawing is one Segment (a content stream of its own), so a handout
    # is the same bytes whether its blocks were drawn here or replayed.
    ops = Segment("\n".join(canvas._code[start:]))
    canvas._code[start:] = [ops]
    if not recordable or not _only_preset_codes(canvas) or _FOREIGN.search(ops):
        return
    if len(getattr(canvas, "_annotationrefs", ())) != annotations:
        return
    if len(_RECORDED) >= _RECORDED_MAX:
        _RECORDED.clear()
    _RECORDED[full_key] = ops


def _draw_from_known_state(canvas: Canvas, draw: Callable[[], Any]) -> None:
    canvas.saveState()
    canvas.setFont(REGULAR, 12)
    canvas.setFillColor(black)
    canvas.setStrokeColor(black)
    canvas.setLineWidth(1)
    draw()
    canvas.restoreState()
