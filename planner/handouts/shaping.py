"""Right-to-left and shaped text on the page: Hebrew, Arabic, Devanagari and emoji sequences.

reportlab draws text left to right, one glyph per character. Its own answers need extras: bidi
needs `rlbidi` (not on the package index this project installs from) and its HarfBuzz shaping
shapes a word in the font of the word's first character (wrong glyphs for "(سارة)"). So
reportlab still breaks the lines, and each line of such a paragraph is drawn here:
- the Unicode bidi algorithm (python-bidi) orders the line's runs for the eye, the paragraph's
  direction taken from its first strong letter, as a browser does with dir="auto";
- HarfBuzz (uharfbuzz) shapes each run in its direction: Arabic letters joined, Devanagari
  vowel signs reordered and conjuncts formed, brackets mirrored, emoji sequences made one glyph;
- the glyphs are written through reportlab's own shaped-text path (ShapedStr), so the font
  subsets, widths and offsets are reportlab's. A glyph with no character of its own (a joined
  form, a conjunct) gets a private-use code from its glyph number, so the same text gives the
  same bytes in every process.
A paragraph of several lines whose first strong letter is right-to-left is set flush right,
so every line starts at the same edge for its reader.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import uharfbuzz
from bidi import algorithm as uba
from bidi import get_base_level
from reportlab import rl_config
from reportlab.lib.colors import black
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr
from reportlab.pdfgen.canvas import Canvas

from planner.handouts.fallback import _IGNORABLE, BIDI_CONTROLS, font_runs, shaped_fonts

# Strong right-to-left letters (Hebrew, Arabic, Syriac, Thaana, N'Ko, ... and their presentation
# forms) and the bidi controls: text without any is left to right throughout.
_RTL = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff"
    + "".join(sorted(BIDI_CONTROLS))
    + "]"
)
# Supplementary private use area A: glyph n without a character of its own is written as U+F0000 + n.
_GLYPH_CODES = 0xF0000
_FEATURES = {"kern": True, "liga": True}


@dataclass(frozen=True)
class Piece:
    """Text of one look, in logical order: one font, size and colour."""

    text: str
    font: str
    size: float
    color: Any


@dataclass(frozen=True)
class Run:
    """A piece of a line, as drawn: glyphs left to right and their width (points)."""

    piece: Piece
    glyphs: str
    width: float


def needs_shaping(pieces: Sequence[Piece]) -> bool:
    """True when some text is right-to-left or set in a font HarfBuzz must shape."""
    shaped = shaped_fonts()
    return any(p.font in shaped or (not p.text.isascii() and _RTL.search(p.text)) for p in pieces)


def is_rtl(text: str) -> bool:
    """True when the first strong letter of `text` is right-to-left (Unicode's rule P2-P3)."""
    return not text.isascii() and bool(_RTL.search(text)) and get_base_level(text) == 1


def line_runs(pieces: Sequence[Piece], rtl: bool) -> list[Run]:
    """One line's pieces (logical order) as runs in the order they are drawn, left to right.

    `rtl` is the paragraph's direction. White space at the end of the line is dropped.
    """
    text = "".join(p.text for p in pieces).rstrip(" ")
    if not text:
        return []
    owner = [n for n, p in enumerate(pieces) for _ in p.text][: len(text)]
    runs: list[Run] = []
    for n, start, end, backwards in _visual_spans(text, owner, rtl):
        piece = pieces[n]
        glyphs, width = _glyphs(text[start:end], piece.font, piece.size, backwards)
        if glyphs:
            runs.append(Run(piece, glyphs, width))
    return runs


def _visual_spans(text: str, owner: list[int], rtl: bool) -> list[tuple[int, int, int, bool]]:
    """(piece, start, end, right-to-left) of each run, in visual order, from the bidi levels."""
    spans: list[tuple[int, int, int, bool]] = []
    if not _RTL.search(text):
        start = 0
        for end in range(1, len(text) + 1):
            if end == len(text) or owner[end] != owner[start]:
                spans.append((owner[start], start, end, False))
                start = end
        return spans
    storage = uba.get_empty_storage()
    storage["base_level"], storage["base_dir"] = (1, "R") if rtl else (0, "L")
    uba.get_embedding_levels(text, storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    uba.explicit_embed_and_overrides(storage)
    uba.resolve_weak_types(storage)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    uba.reorder_resolved_levels(storage, False)  # rules L1 (line-end white space) and L2 (reversal)
    # Rule X9 took out the controls and joiners; a joiner must still reach HarfBuzz with the
    # characters around it (👨‍👩‍👧 is one glyph), so a span takes in what X9 took out of it.
    kept = sorted(char["index"] for char in storage["chars"])
    after = dict(zip(kept, kept[1:], strict=False))
    before = {b: a for a, b in after.items()}
    for char in storage["chars"]:  # visual order
        index, backwards = char["index"], char["level"] % 2 == 1
        if spans:
            n, start, end, was_backwards = spans[-1]
            if n == owner[index] and was_backwards == backwards:
                if not backwards and after.get(end - 1) == index:
                    spans[-1] = (n, start, index + 1, backwards)
                    continue
                if backwards and before.get(start) == index:
                    spans[-1] = (n, index, end, backwards)
                    continue
        spans.append((owner[index], index, index + 1, backwards))
    return spans


@functools.lru_cache(maxsize=4096)
def _glyphs(text: str, font_name: str, size: float, rtl: bool) -> tuple[str, float]:
    """A run's glyphs as reportlab draws them (a ShapedStr when shaped) and its width in points."""
    if rtl or font_name in shaped_fonts():
        return _shaped(text, font_name, size, rtl)
    plain = _IGNORABLE.sub("", text)
    return plain, stringWidth(plain, font_name, size)


def _shaped(text: str, font_name: str, size: float, rtl: bool) -> tuple[ShapedStr, float]:
    font = getFont(font_name)
    face = font.face
    hb_font = font.hbFont(size)
    buffer = uharfbuzz.Buffer()
    buffer.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
    buffer.add_str(text)
    buffer.direction = "rtl" if rtl else "ltr"
    buffer.guess_segment_properties()  # script and language; the direction stays as set
    uharfbuzz.shape(hb_font, buffer, _FEATURES)
    chars: list[str] = []
    data: list[ShapeData] = []
    advance = 0.0
    for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
        gid = info.codepoint
        code = _code_for(face, hb_font, gid)
        chars.append(chr(code))
        x_advance = font.pdfScale(pos.x_advance)
        data.append(
            ShapeData(
                info.cluster,
                x_advance,
                font.pdfScale(pos.y_advance),
                font.pdfScale(pos.x_offset),
                font.pdfScale(pos.y_offset),
                face.charWidths[code],
            )
        )
        advance += x_advance
    return ShapedStr("".join(chars), shapeData=data), advance * size / 1000


def _code_for(face: Any, hb_font: Any, gid: int) -> int:
    """The character that names glyph `gid` in reportlab's subsets: one the font maps to it, or
    U+F0000 + gid, added to the face's map once (its width from the font's own metrics)."""
    chars = face.glyphToChar.get(gid)
    if chars:
        return chars[0]
    code = _GLYPH_CODES + gid
    face.charToGlyph[code] = gid
    face.glyphToChar[gid] = [code]
    face.charWidths[code] = hb_font.get_glyph_h_advance(gid) * 1000 / face.unitsPerEm
    return code


def draw_runs(canvas: Canvas, runs: Sequence[Run], x: float, y: float) -> None:
    """Draw runs side by side from (x, y) on the baseline, as one text object."""
    text = canvas.beginText()
    for run in runs:
        text.setTextOrigin(x, y)
        text.setFont(run.piece.font, run.piece.size)
        text.setFillColor(run.piece.color)
        text.textOut(run.glyphs)
        x += run.width
    canvas.drawText(text)


def draw_paragraph(paragraph: Any) -> None:
    """Draw a wrapped platypus Paragraph whose text `needs_shaping`, at its canvas' origin, where
    Paragraph.draw would put each line."""
    canvas, style, para = paragraph.canv, paragraph.style, paragraph.blPara
    lines = [_pieces(para, line) for line in para.lines]
    first_size = para.fontSize if para.kind == 0 else para.lines[0].fontSize
    top = paragraph.height - (first_size if rl_config.paraFontSizeHeightOffset else para.ascent)
    # A part of a paragraph split across pages, or a line of one set line by line, keeps the
    # direction of the whole (Para.split, para.line_by_line) and is set as its lines are.
    rtl = getattr(paragraph, "rtl", None)
    if rtl is None:
        rtl = is_rtl("".join(p.text for line in lines for p in line))
    offset = _draw_bullet(paragraph, top) if paragraph.bulletText else 0.0
    room = paragraph.width - style.leftIndent - style.rightIndent
    canvas.saveState()
    for n, pieces in enumerate(lines):
        runs = line_runs(pieces, rtl)
        width = sum(r.width for r in runs)
        x = style.leftIndent + (offset if n == 0 else 0)
        if style.alignment == TA_RIGHT or (rtl and (len(lines) > 1 or getattr(paragraph, "several", False))):
            x = style.leftIndent + room - width
        elif style.alignment == TA_CENTER:
            x += (room - width) / 2
        draw_runs(canvas, runs, x, top - n * style.leading)
    canvas.restoreState()


def _pieces(para: Any, line: Any) -> list[Piece]:
    if para.kind == 0:
        _, words = line
        return [Piece(" ".join(words), para.fontName, para.fontSize, para.textColor)]
    return [Piece(f.text, f.fontName, f.fontSize, f.textColor) for f in line.words if f.text]


def _draw_bullet(paragraph: Any, top: float) -> float:
    """The bullet (a step number, a dot) as platypus draws it; returns how far the first line moves right."""
    style, bullet = paragraph.style, paragraph.bulletText
    canvas = paragraph.canv
    canvas.saveState()
    canvas.setFillColor(style.textColor)
    canvas.setFont(style.bulletFontName, style.bulletFontSize)
    canvas.drawString(style.bulletIndent, top, bullet)
    canvas.restoreState()
    end = (
        style.bulletIndent
        + stringWidth(bullet, style.bulletFontName, style.bulletFontSize)
        + style.bulletFontSize * 0.6
    )
    return max(0.0, end - style.leftIndent)


def line_width(text: str, font: str, size: float) -> float:
    """The width, in points, of one line of plain text as `draw_line` sets it uncut: in fallback
    fonts where `font` lacks a letter, shaped, at `size` points."""
    pieces = [Piece(t, name or font, size, black) for name, t in font_runs(text)]
    return sum(r.width for r in line_runs(pieces, rtl=False))


def draw_line(
    canvas: Canvas, x: float, y: float, text: str, font: str, size: float, width: float, color: Any = black
) -> None:
    """One line of plain text (not markup) in fallback fonts where needed, ordered and shaped,
    from (x, y) on the baseline, shortened with "…" to fit `width` points, in `color`: after its
    last whole word that fits ("…para moverse…", not "…para moverse c…"), cut between two
    letters only where its first word alone is wider. Left to right overall: the line is ours
    ("name · title"), whatever its parts are. The "…" stands where the cut is in reading order:
    after a right-to-left name cut short, at the left end of its words, where an Arabic or Hebrew
    reader ends (_cut_mark)."""
    pieces = [Piece(t, name or font, size, color) for name, t in font_runs(text)]
    runs = line_runs(pieces, rtl=False)
    if sum(r.width for r in runs) > width:
        words = text.split(" ")
        while len(words) > 1 and sum(r.width for r in runs) > width:
            words.pop()
            text = " ".join(words).rstrip(" ·,;:-–—")
            pieces = [Piece(t, name or font, size, color) for name, t in font_runs(text + _cut_mark(text))]
            runs = line_runs(pieces, rtl=False)
        while text and sum(r.width for r in runs) > width:
            text = text[:-1].rstrip()
            pieces = [Piece(t, name or font, size, color) for name, t in font_runs(text + _cut_mark(text))]
            runs = line_runs(pieces, rtl=False)
    draw_runs(canvas, runs, x, y)


def _cut_mark(text: str) -> str:
    """The "…" that ends `text` cut short, in the direction of its last strong letter: after a
    right-to-left one it is followed by a right-to-left mark, so the bidi algorithm sets it with
    those words, at their left end (a neutral between them and the line's left-to-right end would
    go to the right, beside the name's first word, where its reader starts)."""
    for char in reversed(text):
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "\u2026\u200f"
        if kind == "L":
            break
    return "\u2026"
