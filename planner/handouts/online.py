"""The handout's phone link: the QR code to the patient's online copy, its caption, the sentence on
how to use it and the address typed out (broken only where a reader types on), under the tick
sheet or at a page's foot; in a preview, words in the QR code's room instead.
"""

from __future__ import annotations

import functools

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer

from planner.handouts import words
from planner.handouts.boxes import Beside
from planner.handouts.content import HandoutContent
from planner.handouts.para import Para as Paragraph
from planner.handouts.qr import QrSquare
from planner.handouts.stacking import Kept
from planner.handouts.styles import TYPED, Styles
from planner.handouts.text import bold, para_text
from planner.i18n import N_, translator

QR_SIZE = 1.3 * inch


# In a preview, in the QR code's room (same size, same place), so the preview pages as the paper.
QR_ON_PAPER = N_("The QR code prints here on the paper you are given.")


def stand_in(content: HandoutContent) -> str:
    """What a preview draws in the QR code's room (QR_ON_PAPER, in the handout's language); ""
    for a paper, which draws the code."""
    return translator(content.language).gettext(QR_ON_PAPER) if content.preview else ""


def sentence(url: str, styles: Styles, said: words.Words, width: float, style: ParagraphStyle) -> Paragraph:
    """The QR code's caption in bold leading how to use it, then the address to type (in a
    column `width` pt wide): on the sentence's last line where the whole address fits a line,
    else from a line of its own, a line where a reader types on (_typed_lines)."""
    lines = _typed_lines(url, styles, width)
    if len(lines) == 1:
        return Paragraph(f"{led(said)} {_typed(lines[0])}", style)
    return Paragraph("<br/>".join([led(said), *(_typed(line) for line in lines)]), style)


def led(said: words.Words) -> str:
    """How to use the QR code (markup), led by its caption in bold: "See this on your phone.
    Point your phone's camera…". On the front page the caption is read there, beside the code or
    right above it, not under the square: there it was a column as wide as the caption beside
    the facts, which broke a patient's name in large print ("Rocío Martín / Sáez", #14 F5)."""
    return f"{bold(para_text(said.headings['online'] + '.'))} {para_text(said.online)}"


def _short(url: str) -> str:
    """The address as a patient types it: without "https://" and a last slash."""
    return url.split("://", 1)[-1].rstrip("/")


def typed_address(url: str, styles: Styles, width: float) -> Paragraph:
    """The address alone on its line(s), in TYPED, broken where a reader can type it on
    (_typed_lines) in a column `width` pt wide."""
    return Paragraph("<br/>".join(_typed(line) for line in _typed_lines(url, styles, width)), styles.body)


def _typed(text: str) -> str:
    """`text` (an address, or a line of it) as markup in TYPED (DejaVu Sans Mono Bold), where no
    two letters or digits look alike: a patient who reads "l" for "I" would type a link that does
    not work."""
    return f'<font name="{TYPED}">{para_text(text)}</font>'


# Where an address may break, so that the line reads as the address going on: after a slash,
# else after a dot, or before a "-" or "_", which then opens the next line. A line cut inside a
# word ("…bcr8d / nf3gpj6a") was read as two words, or as a word that ends early (large print,
# ~50 characters and more); one that ends with "-" reads as a word broken in two, and a patient
# types the parts together without it (a link made before the typable tokens is base64, with
# "-" and "_" anywhere in it: note16).
_AFTER = ".", "/"
_BEFORE = "-", "_"


@functools.lru_cache(maxsize=256)
def _typed_lines(url: str, styles: Styles, width: float) -> tuple[str, ...]:
    """The short address (_short) as lines of at most `width` pt in TYPED at the body's size:
    each line as long as it can be up to a slash, else up to a dot or a "-" or "_" (_AFTER,
    _BEFORE). The token (after the last slash) is never broken where it fits a line whole: every
    token the app makes (26 signs, 22 for a link made before) fits a full line in large print.
    A part with no such place that is wider than `width` stays whole on its line, where
    reportlab cuts it; the type never shrinks."""
    short = _short(url)
    token = short.rfind("/") + 1  # where the token starts
    fits = int(width / stringWidth("0", TYPED, styles.size) + 1e-6)  # a monospaced face: characters a line
    whole = len(short) - token <= fits  # the token fits a line: no break inside it
    lines, start = [], 0
    while len(short) - start > fits:
        # The places to break at, as (end of this line, how well): after a slash best, then after
        # a dot or before a mark; never at the line's first sign, nor inside a token that fits a line.
        places = [
            (i + 1, 2 if c == "/" else 1) if c in _AFTER else (i, 1)
            for i, c in enumerate(short[start : start + fits + 1], start)
            if c in _AFTER + _BEFORE
        ]
        ends = [(rank, end) for end, rank in places if start < end <= start + fits and (end <= token or not whole)]
        if ends:
            end = max(ends)[1]
        else:  # no place to break in the line's width: the part on to its next place
            end = next(
                (
                    i + 1 if c in _AFTER else i
                    for i, c in enumerate(short[start + 1 :], start + 1)
                    if c in _AFTER + _BEFORE
                ),
                len(short),
            )
        lines.append(short[start:end])
        start = end
    return (*lines, short[start:]) if start < len(short) else tuple(lines)


def typed_fits(url: str, styles: Styles, width: float) -> bool:
    """Whether the address's lines (_typed_lines) each fit `width` pt: no line cut inside a word."""
    return all(stringWidth(line, TYPED, styles.size) <= width + 0.01 for line in _typed_lines(url, styles, width))


def _online_below(
    url: str, styles: Styles, said: words.Words, width: float, low: bool = False, stand_in: str = ""
) -> Flowable:
    """A QR code to the patient's online copy under the tick sheet, with the address in text for
    typing (where the front page has no room for it): beside the QR code, or under it and the
    text beside it where the address's lines (_typed_lines) are wider than that column
    (`width`: the page's, pt).
    `low`: its heading in bold body type, so the text beside the QR code is about as high as the
    square (for the foot of an exercise's page: at_page_feet). `stand_in`: a preview's words in the QR code's room (stand_in)."""
    text = [
        Paragraph(para_text(said.headings["online"]), _tight_strong(styles) if low else _online_heading(styles)),
        Paragraph(para_text(said.online), styles.body),
    ]
    column = width - QR_SIZE - styles.size
    fits = typed_fits(url, styles, column)
    address = typed_address(url, styles, column if fits else width)
    beside = Beside(
        QrSquare(url, QR_SIZE, stand_in), [*text, address] if fits else text, left_width=QR_SIZE, gap=styles.size
    )
    parts = [Spacer(1, styles.size * 0.6), beside] if fits else [Spacer(1, styles.size * 0.6), beside, address]
    return Kept(parts, page_room=float("inf"))  # a few lines: always fits a page


def online_below_for(
    content: HandoutContent, styles: Styles, said: words.Words, width: float, low: bool = False
) -> Flowable | None:
    """_online_below for the content's phone link (None where it has none), with a preview's
    words in the QR code's room (stand_in)."""
    if not content.online_url:
        return None
    return _online_below(content.online_url, styles, said, width, low=low, stand_in=stand_in(content))


@functools.cache
def _tight_strong(styles: Styles) -> ParagraphStyle:
    return styles.strong.clone(f"tight-strong-{styles.size:g}", spaceAfter=0)


@functools.cache
def _online_heading(styles: Styles) -> ParagraphStyle:
    return styles.heading.clone(f"online-heading-{styles.size:g}", spaceBefore=0)
