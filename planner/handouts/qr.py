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
from xml.sax.saxutils import escape

import zxingcpp
from reportlab.graphics.barcode.qrencoder import QRErrorCorrectLevel, QRRSBlock
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from planner.handouts.styles import REGULAR as STAND_IN_FONT

# The quiet zone around the symbol, in modules: the four the standard asks for.
QUIET = 4

_DARK = re.compile(rb"\x00+")  # a run of dark modules in a row of the symbol's image (0 black, 255 white)


def _symbol(value: str, level: str, version: int | None = None) -> tuple[int, bytes]:
    """(modules per side, the symbol's modules row by row, a byte each) at error correction `level`,
    the smallest version that holds `value` or `version` exactly.

    :raise ValueError: (zxing's error) when `value` does not fit `version` at `level`.
    """
    sized = {} if version is None else {"version": version}
    code = zxingcpp.create_barcode(value, zxingcpp.BarcodeFormat.QRCode, ec_level=level, **sized)
    image: Any = code.to_image(scale=1, add_quiet_zones=False)  # a buffer; its stub does not say so
    view = memoryview(image)
    return len(view), view.tobytes()  # rows, each a module per byte


# Error correction levels, weakest first: each holds fewer data codewords at a version.
LEVELS = ("M", "Q", "H")
_LEVEL_CODE = {"M": QRErrorCorrectLevel.M, "Q": QRErrorCorrectLevel.Q, "H": QRErrorCorrectLevel.H}
# The data codewords a symbol holds, per level, per version 1-40 (ISO/IEC 18004, the table
# reportlab's encoder carries): DATA_CODEWORDS[level][version - 1].
DATA_CODEWORDS = {
    level: tuple(sum(b.dataCount for b in QRRSBlock.getRSBlocks(v, code)) for v in range(1, 41))
    for level, code in _LEVEL_CODE.items()
}
_ALPHANUMERIC = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


def _data_bits(value: str, version: int) -> int:
    """The bits `value` takes in one segment of the mode that fits it (numeric, alphanumeric or
    bytes), with its mode and count, at `version` (the count's width grows at 10 and 27)."""
    band = 0 if version <= 9 else 1 if version <= 26 else 2
    if value.isdigit() and value.isascii():
        return 4 + (10, 12, 14)[band] + len(value) // 3 * 10 + (0, 4, 7)[len(value) % 3]
    if all(c in _ALPHANUMERIC for c in value):
        return 4 + (9, 11, 13)[band] + len(value) // 2 * 11 + len(value) % 2 * 6
    return 4 + (8, 16, 16)[band] + 8 * len(value.encode())


def _planned(value: str) -> tuple[int, str] | None:
    """(version, level) as `runs` chooses them, from the capacity tables: the smallest version
    at M, then the strongest level that keeps it. None beyond version 40."""
    for version in range(1, 41):
        needed = -(-_data_bits(value, version) // 8)
        if needed <= DATA_CODEWORDS["M"][version - 1]:
            strongest = [level for level in LEVELS if needed <= DATA_CODEWORDS[level][version - 1]][-1]
            return version, strongest
    return None


def _fits(value: str, level: str, version: int) -> bool:
    """Whether zxing puts `value` in a symbol of `version` at `level` (it refuses quickly when not)."""
    try:
        zxingcpp.create_barcode(value, zxingcpp.BarcodeFormat.QRCode, ec_level=level, version=version)
    except ValueError:
        return False
    return True


def _chosen(value: str) -> tuple[int, bytes]:
    """The symbol `runs` draws: error correction M, or the highest level (Q, H) that keeps the
    same size. Encoded once, at the version and level the capacity tables give, where zxing
    agrees with them: M does not fit a version smaller, the next stronger level does not fit
    this one (a refusal costs a tenth of an encoding). Else (zxing packs the text otherwise
    than one segment) as the definition says: M, then H and Q, each encoded (1.1 ms a code)."""
    planned = _planned(value)
    if planned is not None:
        version, level = planned
        try:
            side, modules = _symbol(value, level, version)
        except ValueError:
            side = 0
        stronger = LEVELS[LEVELS.index(level) + 1 :]
        if (
            side == 17 + 4 * version
            and (version == 1 or not _fits(value, "M", version - 1))
            and not (stronger and _fits(value, stronger[0], version))
        ):
            return side, modules
    side, modules = _symbol(value, "M")
    for level in ("H", "Q"):
        stronger_symbol = _symbol(value, level)
        if stronger_symbol[0] == side:
            return stronger_symbol
    return side, modules


@functools.lru_cache(maxsize=1024)
def runs(value: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """(modules per side, the dark runs as (row, first column, length)) of the QR code of `value`:
    error correction M, or the highest level (Q, H) that keeps the same size, so a creased or
    smudged paper still reads."""
    side, modules = _chosen(value)
    found = []
    for r in range(side):
        for run in _DARK.finditer(modules, r * side, (r + 1) * side):
            found.append((r, run.start() - r * side, run.end() - run.start()))
    return side, tuple(found)


class QrSquare(Flowable):
    """A QR code `size` points square, quiet zone included, black on white. With `stand_in`
    (a preview's words), a framed box of the same size saying them instead: no code."""

    def __init__(self, value: str, size: float, stand_in: str = "") -> None:
        super().__init__()
        self.value, self.width, self.height, self.stand_in = value, size, size, stand_in

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def draw(self) -> None:
        if self.stand_in:
            self._draw_stand_in()
            return
        count, dark = runs(self.value)
        xs, ys, lengths, box = _grid(count, self.width, self.height)
        rects = [f"{xs[c]} {ys[r]} {lengths[n]} {box} re" for r, c, n in dark]
        self.canv.addLiteral("q 0 0 0 rg " + " ".join(rects) + " f Q")

    def _draw_stand_in(self) -> None:
        """A grey dashed frame round the code's whole room, `stand_in` centred in it, as large as fits."""
        inset = 1.0  # the frame's line inside the room
        side = self.width - 2 * inset
        self.canv.saveState()
        self.canv.setStrokeGray(0.45)
        self.canv.setLineWidth(1)
        self.canv.setDash(3, 2)
        self.canv.rect(inset, inset, side, side)
        self.canv.restoreState()
        pad = side * 0.08
        for size in (12, 11, 10, 9, 8, 7):
            style = ParagraphStyle("qr-stand-in", fontName=STAND_IN_FONT, fontSize=size, leading=size * 1.2)
            style.alignment = TA_CENTER
            text = Paragraph(escape(self.stand_in), style)
            height = text.wrap(side - 2 * pad, 1e6)[1]
            if height <= side - 2 * pad:
                break
        text.drawOn(self.canv, inset + pad, inset + (side - height) / 2)


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
