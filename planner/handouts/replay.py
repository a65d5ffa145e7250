"""Drawing replayed: what a flowable wrote on the page, kept per process and written again.

An export prints the same exercise at the same dosage, side and type size in handout after
handout, and drawing an exercise block is most of a handout's time. Its PDF operators are the
same in every handout except where they name the embedded font: the font's name in the
document and the codes of its glyphs. So every handout names its two fonts first, in one
order, and gives the common characters beyond ASCII their codes first (`prepare`). ASCII
has fixed codes already. A drawing that shows only those characters then writes the same
operators in any handout, whatever else the handout shows (a patient called José or Γιώργος):
`draw_recorded` keeps them, and the next handout writes them as they are (`addLiteral`), byte
for byte what drawing again would write.

A drawing with any other character, a photo or transparency is drawn as usual, never kept.
reportlab has no public way to read what was drawn, nor to name the document a font subset
belongs to: `operators_of` reads the canvas' operator list (`Canvas._code`) and `prepare` its
document (`Canvas._doc`), the only two private names here. tests/test_handout_reportlab.py
holds the result to plain reportlab's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence
from typing import Any, Protocol

from reportlab.lib.colors import black
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.canvas import Canvas

from planner.handouts.styles import BOLD, REGULAR

# Given their codes first in every handout, in this order: bullets, the name separator, the
# ellipsis of a shortened line, the dashes and quotes a phone or word processor types, and the
# letters and marks of Spanish (a handout language), so a Spanish block is replayed as an English
# one is. At most 31: the codes stay below ASCII's (32-126).
PRESET = "•·…–—‘’“”«»áéíóúüñÁÉÍÓÚÜÑ¿¡"
_FONTS = (REGULAR, BOLD)
# A named resource other than a font (an image, a transparency state, a pattern) belongs to one document.
_FOREIGN = re.compile(r"/[A-Za-z][\w.+-]*\s+(?:gs|Do|sh|cs|CS|scn|SCN)\b")
_FONT_NAME = re.compile(r"/F\d+\+\d+")
# In a PDF string: an octal escape (a glyph code below 32 or above 126), or an escaped \ ( ).
_ESCAPE = re.compile(r"\\([0-7]{3}|.)", re.S)
# Per key: the operators, cut where each live part was drawn (one piece more than live parts),
# and the width each live part was drawn at.
_RECORDED: dict[Hashable, tuple[tuple[str, ...], tuple[float, ...]]] = {}
_RECORDED_MAX = 4096


class Drawable(Protocol):
    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None: ...  # noqa: N802, N803


class LivePart(Protocol):
    """A part drawn afresh each time inside a drawing that is replayed (stacking.Live): its
    `shape` names the layout around it; `part` is what it draws, with drawn_live."""

    shape: Hashable
    part: Drawable

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]: ...  # noqa: N803


def operators_of(canvas: Canvas, draw: Callable[[], Any]) -> str:
    """The PDF operators `draw()` writes on `canvas`, as one string, taken back off the page.

    Written again with `canvas.addLiteral`, they give the page the bytes `draw()` would have.
    """
    code = canvas._code  # reportlab's list of the current page's operators
    start = len(code)
    draw()
    ops = "\n".join(code[start:])
    del code[start:]
    return ops


def prepare(canvas: Canvas) -> None:
    """Name the two fonts and code the preset characters, before anything is drawn on `canvas`.

    Sets `canvas.replay_fonts`, the fonts' names in this document, when every preset character
    got its code in order (a font lacking one would shift the rest); else nothing is replayed.
    """
    doc = canvas._doc  # the document the font subsets belong to
    names = []
    for name in _FONTS:
        font = getFont(name)
        coded = font.splitString(PRESET, doc)
        if coded != [(0, bytes(range(1, len(PRESET) + 1)))]:
            return
        names.append(font.getSubsetInternalName(0, doc))
    canvas.replay_fonts = tuple(names)


def _portable(ops: str, names: tuple[str, ...]) -> bool:
    """True when these operators mean the same in any prepared handout: they name only the two
    fonts as every handout names them, show only ASCII and preset characters (codes 32-126 and
    1-25: any other glyph's code depends on what the handout showed before) and use no other
    named resource."""
    if _FOREIGN.search(ops) or any(font not in names for font in _FONT_NAME.findall(ops)):
        return False
    return all(len(code) == 1 or 1 <= int(code, 8) <= len(PRESET) for code in _ESCAPE.findall(ops))


def draw_recorded(canvas: Canvas, key: Hashable | None, draw: Callable[[], Any], live: Sequence[LivePart] = ()) -> None:
    """`draw()` at the canvas' current origin, or what the same call wrote under `key` before.

    `key` must name everything the drawing depends on (text, sizes, widths, colours); None
    just draws. A drawing with a key runs inside saveState/restoreState and starts from a
    known font, colours and line width, so it never leans on what was drawn before it. It must
    add no link or other annotation (a handout has none: para_text escapes every user value).

    `live`: the parts `draw()` draws with `drawn_live` (a patient's note inside an exercise
    block), in the order it draws them. They are drawn afresh each time, where the recording
    drew them, at the width they had; the drawing around them is replayed for every set of
    live parts of the same shapes (their heights at the widths they were asked: all the layout
    around them depends on), so `key` need not name them.
    """
    names = getattr(canvas, "replay_fonts", None)
    if key is None or names is None:
        draw()
        return
    full_key = (names, key, tuple(part.shape for part in live))
    known = _RECORDED.get(full_key)
    if known is not None:
        pieces, widths = known
        _write(canvas, pieces[0])
        for part, width, piece in zip(live, widths, pieces[1:], strict=True):
            part.wrap(width, 1e6)
            drawn_live(canvas, part.part, width)
            _write(canvas, piece)
        return
    code = canvas._code  # reportlab's list of the current page's operators
    start = len(code)
    recordings = canvas.__dict__.setdefault("replay_recordings", [])
    marks: list[tuple[int, int, float] | None] = []
    recordings.append(marks)
    try:
        _draw_from_known_state(canvas, draw)
    finally:
        recordings.pop()
    if len(marks) != len(live) or None in marks:
        return  # drawn as it is, not kept: its live parts are not the ones named
    bounds = [start, *(at for mark in marks if mark is not None for at in mark[:2]), len(code)]
    pieces = tuple("\n".join(code[bounds[2 * n] : bounds[2 * n + 1]]) for n in range(len(marks) + 1))
    if all(_portable(piece, names) for piece in pieces):
        if len(_RECORDED) >= _RECORDED_MAX:
            del _RECORDED[next(iter(_RECORDED))]  # the oldest goes
        _RECORDED[full_key] = (pieces, tuple(mark[2] for mark in marks if mark is not None))


def drawn_live(canvas: Canvas, part: Drawable, width: float) -> None:
    """Draw `part` (wrapped `width` wide) at the canvas' current origin from a known state, so
    it writes the same operators inside a drawing as drawn or as replayed; a recording under way
    (draw_recorded) keeps what is around it, and any recording around that one keeps nothing."""
    recordings = getattr(canvas, "replay_recordings", [])
    start = len(canvas._code)
    _draw_from_known_state(canvas, lambda: part.drawOn(canvas, 0, 0))
    for n, marks in enumerate(recordings):
        marks.append((start, len(canvas._code), width) if n == len(recordings) - 1 else None)


def _write(canvas: Canvas, ops: str) -> None:
    if ops:  # an empty piece wrote no operator (a live part first or last)
        canvas.addLiteral(ops)


def _draw_from_known_state(canvas: Canvas, draw: Callable[[], Any]) -> None:
    canvas.saveState()
    canvas.setFont(REGULAR, 12)
    canvas.setFillColor(black)
    canvas.setStrokeColor(black)
    canvas.setLineWidth(1)
    draw()
    canvas.restoreState()
