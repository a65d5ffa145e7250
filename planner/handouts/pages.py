"""What every page carries: the safety line, "Page 2 of 4", and (after page 1) whose handout it is.

A loose page found on the kitchen table still says who it belongs to, whom to call, and that
pain or worse symptoms mean stop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from planner.handouts import words
from planner.handouts.flowables import Para as Paragraph
from planner.handouts.replay import draw_recorded, prepare
from planner.handouts.shaping import draw_line
from planner.handouts.streams import contents
from planner.handouts.styles import BOLD, INK, REGULAR, RULE, Styles
from planner.handouts.text import para_text, plain_text


@dataclass(frozen=True)
class PageDecor:
    styles: Styles
    left: float
    width: float
    bottom: float
    top: float
    owner: str
    phone: str
    moment: datetime
    words: words.Words

    @property
    def font_size(self) -> float:
        return self.styles.small.fontSize

    def footer_height(self) -> float:
        """Room the footer needs above the page's bottom edge (margin included)."""
        return (
            self.bottom
            + self._contact_height()
            + self._safety().wrap(self.width, 1000)[1]
            + self.styles.small.leading * 1.6
        )

    def header_height(self) -> float:
        return self.styles.small.leading * 1.6

    def _safety(self) -> Paragraph:
        return Paragraph(para_text(self.words.safety), self.styles.small_strong)

    def _contact(self) -> str:
        return f"{self.words.questions}: {self.phone}" if self.phone else ""

    def _beside_width(self) -> float:
        """The room left of the page number (any number up to 999) for the contact line."""
        return self.width - stringWidth("Page 999 of 999", BOLD, self.font_size) - self.font_size

    def _contact_height(self) -> float:
        """0 when the contact line fits beside the page number (any number up to 999); else the
        height of the contact as a paragraph of its own, above the page number (a long phone
        number in large print would run into it, or off the page)."""
        if stringWidth(plain_text(self._contact()), REGULAR, self.font_size) <= self._beside_width():
            return 0.0
        return Paragraph(para_text(self._contact()), self.styles.small).wrap(self.width, 1000)[1]

    def draw(self, canvas: Canvas, page: int, total: int, drawn: dict[bool, str] | None = None) -> None:
        """Decorate one page. `drawn` keeps, for one document, the operators of what is the
        same on every page (all but the page number), so the other pages repeat them."""
        with_owner = page > 1
        known = drawn.get(with_owner) if drawn is not None else None
        if known is None:
            start = len(canvas._code)
            self._draw_fixed(canvas, with_owner)
            known = "\n".join(canvas._code[start:])
            canvas._code[start:] = [known]
            if drawn is not None:
                drawn[with_owner] = known
        else:
            canvas._code.append(known)
        canvas.saveState()
        canvas.setFillColor(INK)
        canvas.setFont(BOLD, self.font_size)
        canvas.drawRightString(self.left + self.width, self.bottom, self.words.page_of(page, total))
        canvas.restoreState()

    def _draw_fixed(self, canvas: Canvas, with_owner: bool) -> None:
        size = self.font_size
        leading = self.styles.small.leading
        canvas.saveState()
        canvas.setFillColor(INK)
        # Footer, bottom up: contact (the page number goes beside it, or under a long one), the
        # safety line, a rule. The contact and the header are user text: in fallback fonts where
        # needed (shaping.py).
        canvas.setFont(REGULAR, size)
        above = self._contact_height()
        if above:
            contact = Paragraph(para_text(self._contact()), self.styles.small)
            contact.wrap(self.width, 1000)
            contact.drawOn(canvas, self.left, self.bottom + leading * 1.1)
        elif self.phone:
            draw_line(canvas, self.left, self.bottom, plain_text(self._contact()), REGULAR, size, self._beside_width())
        safety = self._safety()
        _, height = safety.wrap(self.width, 1000)
        canvas.translate(self.left, self.bottom + leading * 1.1 + above)
        draw_recorded(
            canvas, ("safety", safety.text, self.styles.size, self.width), lambda: safety.drawOn(canvas, 0, 0)
        )
        canvas.translate(-self.left, -(self.bottom + leading * 1.1 + above))
        rule = self.bottom + leading * 1.1 + above + height + 4
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(1)
        canvas.line(self.left, rule, self.left + self.width, rule)
        if with_owner:
            canvas.setFont(REGULAR, size)
            draw_line(canvas, self.left, self.top - size, plain_text(self.owner), REGULAR, size, self.width)
        canvas.restoreState()


def _pdf_date(moment: datetime) -> str:
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    return f"D:{moment:%Y%m%d%H%M%S}{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"


class DecoratedCanvas(Canvas):
    """Holds each page until the end, so every page can say "of N" (one layout pass, not two)."""

    def __init__(self, *args: Any, decor: PageDecor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decor = decor
        self._held: list[dict[str, Any]] = []
        # Creation date = the version's date, so the same version gives the same bytes.
        stamp = _pdf_date(decor.moment)
        self.setDateFormatter(lambda *_: stamp)
        prepare(self)

    def showPage(self) -> None:  # noqa: N802  (reportlab's name)
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        drawn: dict[bool, str] = {}
        for state in self._held:
            self.__dict__.update(state)
            self._decor.draw(self, self._pageNumber, total, drawn)
            # The page's operators as reportlab puts them together (it adds a last " " to code).
            code, before, after = self._code, self._psCommandsBeforePage, self._psCommandsAfterPage
            super().showPage()
            _write_contents(self._doc.Pages.pages[-1], [*before, self._preamble, *code, *after])
        super().save()


def _write_contents(page: Any, parts: list[str]) -> None:
    """A plain page gets its content streams here (blocks in streams of their own, see
    streams.py); any other page, reportlab's one stream."""
    if page.stream is None or page.Contents or not page.compression or not _plain(page):
        return
    page.Contents = contents(parts)
    page.__class__ = _PlainPage


def _plain(page: Any) -> bool:
    """A page of text and lines only (every handout page but one with a clinic's photo)."""
    trans = page.Trans
    return (
        type(page) is pdfdoc.PDFPage
        and not (page.Resources or page.Annots or page.XObjects or page.ExtGState or page.Rotate or page.Dur)
        and not (page._colorsUsed or page._shadingUsed)
        and all(getattr(page, box) is None for box in ("CropBox", "ArtBox", "BleedBox", "TrimBox"))
        and isinstance(trans, pdfdoc.PDFDictionary)
        and not trans.dict
    )


class _PlainPage(pdfdoc.PDFPage):
    """Writes the same bytes as reportlab's PDFPage for a plain page, without building and
    formatting a dozen small objects for each of a handout's pages."""

    def format(self, document: Any) -> bytes:
        parent = document.Reference(document.Pages).format(document)  # first, as reportlab numbers them
        streams = [document.Reference(s).format(document) for s in self.Contents]
        contents = streams[0] if len(streams) == 1 else b"[ " + b" ".join(streams) + b" ]"
        fonts = pdfdoc.PDFObjectReference(pdfdoc.BasicFonts).format(document)
        procs = b"/PDF /Text /ImageB /ImageC /ImageI" if self.hasImages else b"/PDF /Text"
        size = fp_str(self.pagewidth, self.pageheight).encode("ascii")
        return (
            b"<<\n/Contents %s /MediaBox [ 0 0 %s ] /Parent %s /Resources <<\n/Font %s /ProcSet [ %s ]\n>> "
            b"/Rotate 0 /Trans <<\n\n>> \n  /Type /Page\n>>" % (contents, size, parent, fonts, procs)
        )


def canvas_maker(decor: PageDecor) -> Any:
    return partial(DecoratedCanvas, decor=decor)
