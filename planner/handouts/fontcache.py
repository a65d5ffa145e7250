"""An embedded TrueType font whose subsets are built once per process, not once per handout.

Every handout embeds a subset of DejaVu Sans and of its bold: the glyphs of ASCII plus the few
others it uses (·, •, a Greek name). Handouts of one export use the same few subsets, yet
reportlab cuts the font program, compresses it and formats its widths and Unicode map again
for each document: about a tenth of a handout's time. Here the four objects of a subset (font,
descriptor, Unicode map, font program) are formatted once per (font, subset) and written as
they are, only the numbers of the objects they refer to filled in per document.
It overrides TTFont.addObjects and reads the font's per-document state (`TTFont.state`, not
public): tests/test_handout_reportlab.py holds the objects to reportlab's own, byte for byte.
"""

from __future__ import annotations

import functools
import re
import zlib
from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC, SUBSETN, TTFont, makeToUnicodeCMap

_FLATE = pdfdoc.PDFArray([pdfdoc.PDFName(pdfdoc.PDFZCompress.pdfname)])


class SubsetCachingTTFont(TTFont):
    """A TTFont whose per-document objects are assembled from parts made once per subset."""

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        # One cache per font object: a subset is a list of character codes, the same for any font.
        self._objects = functools.lru_cache(maxsize=256)(self._make_objects)

    def addObjects(self, doc: Any) -> None:  # noqa: N802  (reportlab's name)
        """As TTFont.addObjects (the same objects), from objects formatted once per process."""
        if not doc.compression or not isinstance(doc.encrypt, pdfdoc.NoEncryption) or doc not in self.state:
            super().addObjects(doc)
            return
        state = self.state[doc]
        state.frozen = 1
        for n, subset in enumerate(state.subsets):
            internal = self.getSubsetInternalName(n, doc)[1:]
            base = (b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX))).decode("pdfdoc")
            made = self._objects(base, internal, tuple(subset))
            # Registered in reportlab's order, so the objects are numbered as it would number them.
            cmap = doc.Reference(Formatted(made.cmap), "toUnicodeCMap:" + base)
            program = doc.Reference(Formatted(made.program), f"fontFile:{self.face.filename}({base})")
            descriptor = doc.Reference(Formatted(made.descriptor, program), "fontDescriptor:" + base)
            font = Formatted(made.font, descriptor, cmap)
            doc.Reference(font, internal)
            doc.idToObject["BasicFonts"].dict[internal] = font
        del self.state[doc]

    def _make_objects(self, base: str, internal: str, subset: tuple[int, ...]) -> _SubsetObjects:
        """The four PDF objects of one subset, formatted, with slots for their references."""
        codes = list(subset)
        program = self.face.makeSubset(codes)
        face = self.face
        descriptor = pdfdoc.PDFDictionary(
            {
                "Type": "/FontDescriptor",
                "Ascent": face.ascent,
                "CapHeight": face.capHeight,
                "Descent": face.descent,
                "Flags": (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
                "FontBBox": pdfdoc.PDFArray(face.bbox),
                "FontName": pdfdoc.PDFName(base),
                "ItalicAngle": face.italicAngle,
                "StemV": face.stemV,
                "FontFile2": _SLOT,
                "MissingWidth": face.defaultWidth,
            }
        )
        font = pdfdoc.PDFDictionary(
            {
                "Type": "/Font",
                "Subtype": "/TrueType",
                "Name": pdfdoc.PDFName(internal),
                "BaseFont": pdfdoc.PDFName(base),
                "FirstChar": 0,
                "LastChar": len(codes) - 1,
                "Widths": pdfdoc.PDFArray(list(map(face.getCharWidth, codes))),
                "FontDescriptor": _SLOT,
                "ToUnicode": _SLOT,
            }
        )
        return _SubsetObjects(
            font=_template(font),
            descriptor=_template(descriptor),
            cmap=(stream_object(zlib.compress(_utf8(to_unicode_cmap(base, codes)))),),
            program=(stream_object(zlib.compress(program), Length1=len(program)),),
        )


@dataclass(frozen=True)
class _SubsetObjects:
    font: tuple[bytes, ...]
    descriptor: tuple[bytes, ...]
    cmap: tuple[bytes, ...]
    program: tuple[bytes, ...]


class Formatted(pdfdoc.PDFObject):
    """An object formatted once per process: its bytes, cut where references to other objects
    of the document go; only those are filled in per document."""

    __RefOnly__ = 1

    def __init__(self, pieces: tuple[bytes, ...], *refs: Any) -> None:
        self.pieces, self.refs = pieces, refs

    def format(self, document: Any) -> bytes:
        out = [self.pieces[0]]
        for ref, piece in zip(self.refs, self.pieces[1:], strict=True):
            out += [document.Reference(ref).format(document), piece]
        return b"".join(out)


class _Slot(pdfdoc.PDFObject):
    def format(self, document: Any) -> bytes:
        return _MARK


_MARK = b"\x00slot\x00"
_SLOT = _Slot()


def _template(dictionary: pdfdoc.PDFDictionary) -> tuple[bytes, ...]:
    return tuple(dictionary.format(None).split(_MARK))


def stream_object(content: bytes, **entries: Any) -> bytes:
    """A compressed stream object as reportlab writes one."""
    head = pdfdoc.PDFDictionary({**entries, "Filter": _FLATE, "Length": len(content)}).format(None)
    return head + b"\nstream\n" + content + b"endstream\n"


def to_unicode_cmap(base: str, codes: list[int]) -> str:
    """reportlab's ToUnicode map, with a character beyond U+FFFF (an emoji, a glyph code of
    shaping.py) written as UTF-16 (a surrogate pair), as PDF asks: reportlab writes its code
    point as five hex digits, which readers reject. The same bytes as reportlab's otherwise."""
    cmap = makeToUnicodeCMap(base, codes)
    if all(code <= 0xFFFF for code in codes):
        return cmap
    return re.sub(r"^(<[0-9A-F]{2}> )<([0-9A-F]{5,6})>$", _utf16, cmap, flags=re.M)


def _utf16(match: re.Match[str]) -> str:
    return f"{match[1]}<{chr(int(match[2], 16)).encode('utf-16-be').hex().upper()}>"


def _utf8(text: str | bytes) -> bytes:
    return text.encode("utf8") if isinstance(text, str) else text
