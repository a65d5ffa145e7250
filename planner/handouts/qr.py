"""The QR code to a patient's online copy, drawn as one filled path.

reportlab's QrCodeWidget draws each run of dark modules as a shape of its own through its
graphics renderer: about 55 ms a handout, five times the rest of the page. Here every run of
dark modules is one rectangle of a single path. The symbol comes from segno (error
correction M or better at the same size, the best of the eight masks), which encodes a
patient's address in about 10 ms where reportlab's own encoder takes about 16.
"""

from __future__ import annotations

import functools
import itertools

import segno
from reportlab.lib.rl_accel import fp_str
from reportlab.platypus import Flowable

# The quiet zone around the symbol, in modules: the four the standard asks for.
QUIET = 4


@functools.lru_cache(maxsize=1024)
def runs(value: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """(modules per side, the dark runs as (row, first column, length)) of the QR code of `value`."""
    code = segno.make(value, error="m", micro=False)
    found = []
    for r, row in enumerate(code.matrix):
        c = 0
        for dark, run in itertools.groupby(row):
            n = len(list(run))
            if dark:
                found.append((r, c, n))
            c += n
    return len(code.matrix), tuple(found)


class QrSquare(Flowable):
    """A QR code `size` points square, quiet zone included, black on white."""

    def __init__(self, value: str, size: float) -> None:
        super().__init__()
        self.value, self.width, self.height = value, size, size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def draw(self) -> None:
        count, dark = runs(self.value)
        box = self.width / (count + 2 * QUIET)
        top = self.height - QUIET * box
        rects = [f"{fp_str((QUIET + c) * box, top - (r + 1) * box, n * box, box)} re" for r, c, n in dark]
        self.canv.addLiteral("q 0 0 0 rg " + " ".join(rects) + " f Q")


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
