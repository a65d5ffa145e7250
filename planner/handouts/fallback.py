"""Which font prints each character: DejaVu Sans, else a fallback font from fonts/ (see its README).

DejaVu Sans prints Latin, Greek, Cyrillic and many symbols. Hebrew, Arabic, Devanagari, Chinese,
Japanese, Korean and emoji go to a fallback font, registered with reportlab the first time a
handout shows one of its characters: a Latin-only handout never loads or embeds one, and a
handout embeds only the glyphs it shows (reportlab subsets every TrueType font).
Hebrew and Arabic letters go to their Noto fonts even where DejaVu has the letter: those fonts
carry the joining and mark rules that shaping (shaping.py) needs.

A character that no font has prints as STAND_IN and is reported by `unprintable`, so the program
page warns the therapist before printing. A handout never shows an empty box in silence.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from dataclasses import dataclass

import uharfbuzz
from reportlab.pdfbase import pdfmetrics

from planner.handouts.fontcache import SubsetCachingTTFont
from planner.handouts.styles import BOLD, FILES, FONTS, REGULAR, register_fonts

# What prints in place of a character no font has: plain, and visibly not a letter.
STAND_IN = "?"


@dataclass(frozen=True)
class Fallback:
    """A font for what DejaVu Sans cannot print. `bold` None: bold text prints in the regular
    weight. `shaped`: its text goes through HarfBuzz (joined letters, reordered vowel signs,
    emoji sequences). `claims`: code point ranges it prints even where DejaVu has a glyph."""

    name: str
    regular: str
    bold: str | None
    shaped: bool
    claims: tuple[tuple[int, int], ...] = ()

    @property
    def bold_name(self) -> str:
        return f"{self.name}-Bold" if self.bold else self.name


HEBREW = ((0x0590, 0x05FF), (0xFB1D, 0xFB4F))
ARABIC = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))

FALLBACKS = (
    Fallback("NotoSansHebrew", "NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf", shaped=True, claims=HEBREW),
    Fallback("NotoSansArabic", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf", shaped=True, claims=ARABIC),
    Fallback("NotoSansDevanagari", "NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf", shaped=True),
    # One face in two files, each under 2 MiB for the repository (fonts/README.md says how cut).
    Fallback("WenQuanYiMicroHei", "WenQuanYiMicroHei-CJK1.ttf", None, shaped=False),
    Fallback("WenQuanYiMicroHeiCJK2", "WenQuanYiMicroHei-CJK2.ttf", None, shaped=False),
    Fallback("NotoEmoji", "NotoEmoji-Regular.ttf", None, shaped=True),
)

# Bidi formatting characters: invisible, but they steer the order of right-to-left text.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Unicode's default-ignorable code points (joiners, variation selectors, soft hyphen, tags, ...):
# no glyph of their own. Kept where HarfBuzz reads them (a shaped font, bidi), else dropped.
_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)

_DEJAVU = 0  # _font_of: printed by DejaVu Sans (the style's own font)
_NONE = -1  # _font_of: no font has it
_LOCK = threading.Lock()
_FONT_OF: dict[str, int] = {}  # a character -> _DEJAVU, _NONE or 1 + its index in FALLBACKS
_COVERS: list[frozenset[int]] = []  # per loaded fallback, in order: the code points it prints
_DEJAVU_COVERS: frozenset[int] = frozenset()


def _load(upto: int) -> None:
    """Register the fallback fonts up to index `upto` (once per process) and note what they cover."""
    global _DEJAVU_COVERS
    with _LOCK:
        if not _DEJAVU_COVERS:
            # A character counts as DejaVu's only if both weights have it: markup may make any text bold.
            _DEJAVU_COVERS = _characters(FILES[REGULAR]) & _characters(FILES[BOLD])
        if upto >= 0:
            register_fonts()
        while len(_COVERS) <= upto:
            fallback = FALLBACKS[len(_COVERS)]
            font = SubsetCachingTTFont(fallback.name, str(FONTS / fallback.regular))
            pdfmetrics.registerFont(font)
            # Taken before shaping adds glyphs without a character of their own (shaping.py).
            covers = frozenset(font.face.charToGlyph)
            if fallback.bold:
                bold_font = SubsetCachingTTFont(fallback.bold_name, str(FONTS / fallback.bold))
                pdfmetrics.registerFont(bold_font)
                covers &= frozenset(bold_font.face.charToGlyph)
            bold = fallback.bold_name
            pdfmetrics.registerFontFamily(
                fallback.name, normal=fallback.name, bold=bold, italic=fallback.name, boldItalic=bold
            )
            _COVERS.append(covers)


def _characters(file: str) -> frozenset[int]:
    """The code points a font file of FONTS has a glyph for, read from its character map alone.

    HarfBuzz reads it in about 2 ms; registering the font with reportlab reads the whole font
    (about 80 ms for DejaVu's two weights), which the builder's check (`unprintable`) does not
    need: it prints nothing. Both give the same code points for DejaVu Sans Condensed.
    """
    return frozenset(uharfbuzz.Face(uharfbuzz.Blob((FONTS / file).read_bytes())).unicodes)


def _font_of(char: str) -> int:
    found = _FONT_OF.get(char)
    if found is not None:
        return found
    code = ord(char)
    if not _DEJAVU_COVERS:
        _load(-1)
    found = _NONE
    if unicodedata.category(char) in ("Co", "Cs", "Cn"):  # private use, surrogate, unassigned: no meaning to print
        pass
    elif any(lo <= code <= hi for f in FALLBACKS for lo, hi in f.claims):
        index = next(i for i, f in enumerate(FALLBACKS) if any(lo <= code <= hi for lo, hi in f.claims))
        _load(index)
        found = index + 1 if code in _COVERS[index] else _NONE
    elif code in _DEJAVU_COVERS:
        found = _DEJAVU
    else:
        for index in range(len(FALLBACKS)):
            _load(index)
            if code in _COVERS[index]:
                found = index + 1
                break
    _FONT_OF[char] = found
    return found


def font_runs(text: str) -> list[tuple[str | None, str]]:
    """`text` cut into runs by the font that prints them: (None, text) for DejaVu Sans, the
    style's own font; (font name, text) for a fallback, registered by now. A character no font
    has becomes STAND_IN; a default-ignorable one joins the run before it, or is dropped where
    it would only print as a box."""
    if text.isascii():
        return [(None, text)] if text else []
    runs: list[tuple[int, list[str]]] = []
    for char in text:
        if _IGNORABLE.match(char):
            if char in BIDI_CONTROLS and not runs:
                runs.append((_DEJAVU, [char]))
            elif runs and (char in BIDI_CONTROLS or _shaped_index(runs[-1][0])):
                runs[-1][1].append(char)
            continue
        font = _font_of(char)
        if font == _NONE:
            font, char = _DEJAVU, STAND_IN
        if runs and runs[-1][0] == font:
            runs[-1][1].append(char)
        else:
            runs.append((font, [char]))
    return [(FALLBACKS[font - 1].name if font else None, "".join(chars)) for font, chars in runs]


def _shaped_index(font: int) -> bool:
    return font > 0 and FALLBACKS[font - 1].shaped


# The builder checks every text of the handout on each view: the same texts, so kept per process.
@functools.lru_cache(maxsize=4096)
def unprintable(text: str) -> str:
    """The characters of `text` that no handout font has, each once, in order ("" when all print)."""
    if text.isascii():
        return ""
    # Spaces and control characters are never reported, so never looked up: a line break in a
    # step is in no font, and looking it up loaded every fallback font (140 ms of a builder
    # worker's first page, for a Latin-only program).
    missing = dict.fromkeys(
        char
        for char in unicodedata.normalize("NFC", text)
        if not (_IGNORABLE.match(char) or char.isspace() or unicodedata.category(char) == "Cc")
        and _font_of(char) == _NONE
    )
    return "".join(missing)


def shaped_fonts() -> frozenset[str]:
    """The names (both weights) of the fonts whose text HarfBuzz shapes."""
    return _SHAPED


_SHAPED = frozenset(name for f in FALLBACKS if f.shaped for name in (f.name, f.bold_name))
