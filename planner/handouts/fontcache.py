"""An embedded TrueType font whose subsets are built once per process, not once per handout.

Every handout embeds a subset of DejaVu Sans and of its bold: the glyphs of ASCII plus the few
others it uses (·, •, a Greek name). Handouts of one export use the same few subsets, yet
reportlab cuts the font program, compresses it and formats its widths and Unicode map again
for each document: about a tenth of a handout's time. Here those parts are kept per (font,
subset) as finished bytes and written as they are, so the PDF is byte for byte the same.
"""

from __future__ import annotations

import functools
import zlib
from typing import Any

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC, SUBSETN, TTFont, makeToUnicodeCMap

_FLATE = pdfdoc.PDFArray([pdfdoc.PDFName(pdfdoc.PDFZCompress.pdfname)])


class SubsetCachingTTFont(TTFont):
    """A TTFont whose per-document objects are assembled from parts made once per subset."""

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        # One cache per font object: a subset is a list of character codes, the same for any font.
        self._parts = functools.lru_cache(maxsize=256)(self._make_parts)

    def addObjects(self, doc: Any) -> None:  # noqa: N802  (reportlab's name)
        """As TTFont.addObjects (same objects, same bytes), from cached parts."""
        if not doc.compression or not isinstance(doc.encrypt, pdfdoc.NoEncryption) or doc not in self.state:
            super().addObjects(doc)
            return
        state = self.state[doc]
        state.frozen = 1
        for n, subset in enumerate(state.subsets):
            internal = self.getSubsetInternalName(n, doc)[1:]
            base = (b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX))).decode("pdfdoc")
            widths, cmap, program, length = self._parts(base, tuple(subset))
            font = pdfdoc.PDFTrueTypeFont()
            font.__Comment__ = f"Font {self.fontName} subset {n}"
            font.Name = internal
            font.BaseFont = base
            font.FirstChar = 0
            font.LastChar = len(subset) - 1
            font.Widths = widths  # bytes are written as they are
            font.ToUnicode = doc.Reference(compressed_stream(cmap), "toUnicodeCMap:" + base)
            font.FontDescriptor = self._descriptor(doc, base, compressed_stream(program, Length1=length))
            doc.Reference(font, internal)
            doc.idToObject["BasicFonts"].dict[internal] = font
        del self.state[doc]

    def _make_parts(self, base: str, subset: tuple[int, ...]) -> tuple[bytes, bytes, bytes, int]:
        """The widths array as PDF, the compressed Unicode map, the compressed font program and
        its length before compression."""
        widths = pdfdoc.PDFArray(list(map(self.face.getCharWidth, subset))).format(None)
        cmap = makeToUnicodeCMap(base, list(subset))
        program = self.face.makeSubset(list(subset))
        return widths, zlib.compress(_utf8(cmap)), zlib.compress(program), len(program)

    def _descriptor(self, doc: Any, base: str, program: pdfdoc.PDFStream) -> Any:
        """As TTFontFile.addSubsetObjects, with the font program already made."""
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
                "FontFile2": doc.Reference(program, f"fontFile:{face.filename}({base})"),
                "MissingWidth": face.defaultWidth,
            }
        )
        return doc.Reference(descriptor, "fontDescriptor:" + base)


def compressed_stream(content: bytes, **entries: Any) -> pdfdoc.PDFStream:
    """A stream already compressed (zlib): with /Filter set, reportlab writes the content as it is."""
    return pdfdoc.PDFStream(pdfdoc.PDFDictionary({**entries, "Filter": _FLATE}), content)


def _utf8(text: str | bytes) -> bytes:
    return text.encode("utf8") if isinstance(text, str) else text
