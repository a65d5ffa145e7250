"""A paragraph's lines written straight into the page as one PDF text object.

Most handout paragraphs are one font, size and colour, left-aligned (steps, cautions, body
text). For those, platypus' per-line machinery (a text object per paragraph, cursor moves,
glyph mapping character by character) is most of the cost of drawing a handout. Here each
line is one `Tj`; a line of plain ASCII, whose glyph codes are the same in every document
(reportlab reserves codes 32-127 of an embedded font's first subset for ASCII), is encoded
once per process. Any other line is mapped by the font for this document, as reportlab does.
"""

from __future__ import annotations

from typing import Any

from reportlab import rl_config
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

_ASCII_OPS: dict[str, str] = {}
_ASCII_MAX = 50_000


def can_draw(paragraph: Any) -> bool:
    """True for a paragraph this module draws the same way platypus would: one style, left
    aligned, lines that fit (no stretched word spacing), no links, underlines or backgrounds."""
    style, para = paragraph.style, paragraph.blPara
    if para.kind != 0 or style.alignment != TA_LEFT or style.backColor or style.borderWidth:
        return False
    if para.us_lines or para.link or getattr(paragraph, "_offsets", None):
        return False
    if style.firstLineIndent or style.wordWrap or getattr(style, "autoLeading", ""):
        return False
    bullet = paragraph.bulletText
    if bullet is not None and not (isinstance(bullet, str) and _plain_bullet(style)):
        return False
    if not getattr(getFont(para.fontName), "_dynamicFont", False):
        return False
    return all(space > -1e-8 for space, _ in para.lines)


def _plain_bullet(style: Any) -> bool:
    colour = getattr(style, "bulletColor", None)
    return (
        style.bulletAnchor == "start"
        and not getattr(style, "bulletOffsetY", 0)
        and (colour is None or colour == style.textColor)
    )


def draw_lines(paragraph: Any) -> None:
    """Draw a paragraph that passed `can_draw` at the origin of its canvas."""
    canvas, style, para = paragraph.canv, paragraph.style, paragraph.blPara
    top = paragraph.height - (para.fontSize if rl_config.paraFontSizeHeightOffset else para.ascent)
    ops: list[str] = []
    offset = 0.0
    if paragraph.bulletText:
        # As platypus' _drawBullet: at the bullet indent, text pushed right if the bullet is wider.
        bullet, indent = paragraph.bulletText, style.bulletIndent
        ops.append(f"BT 1 0 0 1 {fp_str(indent, top)} Tm")
        _show(ops, bullet, style.bulletFontName, style.bulletFontSize, style.leading, canvas._doc, newline=False)
        ops.append("ET")
        end = indent + stringWidth(bullet, style.bulletFontName, style.bulletFontSize) + style.bulletFontSize * 0.6
        offset = max(offset, end - style.leftIndent)
    canvas.setFillColor(para.textColor)
    ops.append(f"BT 1 0 0 1 {fp_str(style.leftIndent, top)} Tm")
    current = -1
    for n, (_, words) in enumerate(para.lines):
        if n == 0 and offset:
            ops.append(f"{fp_str(offset)} 0 Td")
        elif n == 1 and offset:
            ops.append(f"{fp_str(-offset)} 0 Td")
        current = _show(ops, " ".join(words), para.fontName, para.fontSize, style.leading, canvas._doc, current)
    ops.append("ET")
    canvas._code.append(" ".join(ops))


def _show(
    ops: list[str],
    text: str,
    font_name: str,
    size: float,
    leading: float,
    doc: Any,
    current: int = -1,
    newline: bool = True,
) -> int:
    """Append the operators that show `text` (and go to the next line); returns the subset in use.

    The font operator names this document's subset; the glyph codes after it may be shared.
    """
    font = getFont(font_name)
    shown = _ASCII_OPS.get(text) if font._asciiReadable else None
    if shown is None and font._asciiReadable and text.isascii() and text.isprintable():
        shown = _ascii_ops(text)
    runs = [(0, shown)] if shown is not None else [(s, f"({escapePDF(c)}) Tj") for s, c in font.splitString(text, doc)]
    for subset, op in runs:
        if subset != current:
            ops.append(f"{font.getSubsetInternalName(subset, doc)} {fp_str(size)} Tf {fp_str(leading)} TL")
            current = subset
        ops.append(op)
    if newline:
        ops.append("T*")
    return current


def _ascii_ops(text: str) -> str:
    if len(_ASCII_OPS) >= _ASCII_MAX:
        _ASCII_OPS.clear()
    ops = _ASCII_OPS[text] = f"({escapePDF(text.encode('ascii'))}) Tj"
    return ops
