"""The QR code to a patient's online copy, drawn as one filled path.

reportlab's QrCodeWidget draws each run of dark modules as a shape of its own through its
graphics renderer: about 55 ms a handout, five times the rest of the page. Here every run of
dark modules is one rectangle of a single path. The symbol comes from zxing-cpp's encoder (C++):
error correction M or better at the same size, the mask the standard's penalty rules choose. It
encodes a patient's address in about 0.2 ms; segno, pure Python, took about 4 ms, most of it
scoring the eight masks, and every handout of an export with private links carries a code of
its own (the QR-code export: 93 handouts a second on 2 cores, under the 100 asked).
"""

from __future__ import annotations

import functools
import re
from typing import Any

import zxingcpp
from reportlab.lib.rl_accel import fp_str
from reportlab.platypus import Flowable

# The quiet zone around the symbol, in modules: the four the standard asks for.
QUIET = 4

_DARK = re.compile(rb"\x00+")  # a run of dark modules in a row of the symbol's image (0 black, 255 white)


def _symbol(value: str, level: str) -> tuple[int, bytes]:
    """(modules per side, the symbol's modules row by row, a byte each) at error correction `level`."""
    code = zxingcpp.create_barcode(value, zxingcpp.BarcodeFormat.QRCode, ec_level=level)
    image: Any = code.to_image(scale=1, add_quiet_zones=False)  # a buffer; its stub does not say so
    view = memoryview(image)
    return len(view), view.tobytes()  # rows, each a module per byte


@functools.lru_cache(maxsize=1024)
def runs(value: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """(modules per side, the dark runs as (row, first column, length)) of the QR code of `value`:
    error correction M, or the highest level (Q, H) that keeps the same size, so a creased or
    smudged paper still reads."""
    side, modules = _symbol(value, "M")
    for level in ("H", "Q"):
        stronger = _symbol(value, level)
        if stronger[0] == side:
            modules = stronger[1]
            break
    found = []
    for r in range(side):
        for run in _DARK.finditer(modules, r * side, (r + 1) * side):
            found.append((r, run.start() - r * side, run.end() - run.start()))
    return side, tuple(found)


class QrSquare(Flowable):
    """A QR code `size` points square, quiet zone included, black on white."""

    def __init__(self, value: str, size: float) -> None:
        super().__init__()
        self.value, self.width, self.height = value, size, size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def draw(self) -> None:
        count, dark = runs(self.value)
        xs, ys, lengths, box = _grid(count, self.width, self.height)
        rects = [f"{xs[c]} {ys[r]} {lengths[n]} {box} re" for r, c, n in dark]
        self.canv.addLiteral("q 0 0 0 rg " + " ".join(rects) + " f Q")


@functools.lru_cache(maxsize=64)
def _grid(count: int, width: float, height: float) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str]:
    """The numbers a symbol of `count` modules a side drawn `width` x `height` points writes, as
    fp_str writes them: each column's x, each row's y, each run length's width, and the module's
    size. A code of some 500 runs wrote 2,000 numbers a handout (1.8 ms); every QR code of one
    size and version shares these (fp_str formats each number on its own: the same bytes)."""
    box = width / (count + 2 * QUIET)
    top = height - QUIET * box
    return (
        tuple(fp_str((QUIET + c) * box) for c in range(count)),
        tuple(fp_str(top - (r + 1) * box) for r in range(count)),
        tuple(fp_str(n * box) for n in range(count + 1)),
        fp_str(box),
    )


class Captioned(Flowable):
    """A QR code `size` points square centred over its caption (a paragraph), `width` points wide."""

    def __init__(self, square: QrSquare, caption: Flowable, width: float, gap: float) -> None:
        super().__init__()
        self.square, self.caption, self.width, self.gap = square, caption, width, gap

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._caption_height = self.caption.wrap(self.width, 1e6)[1]
        self.height = self.square.height + self.gap + self._caption_height
        return self.width, self.height

    def draw(self) -> None:
        self.square.drawOn(self.canv, (self.width - self.square.width) / 2, self.height - self.square.height)
        self.caption.drawOn(self.canv, 0, 0)
