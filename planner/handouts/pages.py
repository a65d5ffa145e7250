"""What every page carries: the safety line, "Page 2 of 4", and (after page 1) whose handout it is.

A loose page found on the kitchen table still says who it belongs to, whom to call, and that
pain or worse symptoms mean stop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property, partial
from typing import Any

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from planner.handouts import words
from planner.handouts.para import Para as Paragraph
from planner.handouts.replay import draw_recorded, operators_of, prepare
from planner.handouts.shaping import draw_line, line_width
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
    # A preview's words ("" on a handout given): on every page, so one printed and handed over by
    # mistake still says it was not given (build.build_preview).
    mark: str = ""
    # The same words in English, the therapist's language (the app's pages are in English), when the
    # handout is in another: a therapist reads the mark of a Spanish preview too ("" otherwise).
    mark_english: str = ""

    @property
    def font_size(self) -> float:
        return self.styles.small.fontSize

    @cached_property
    def one_line(self) -> bool:
        """True where the footer is one line: the stop rule at the left and "Page 999 of 999" at
        the right share it (any number up to 999), and the contact ("Questions? Call us: …") fits
        in the right half of the running header of pages 2 and on (the front page gives it among
        the clinic's lines). Else two lines: the stop rule, and under it the contact beside the
        page number (or the contact above the page number where it is long)."""
        size = self.font_size
        safety = line_width(plain_text(self.words.safety), BOLD, self.styles.strong.fontSize)
        number = stringWidth(self.words.page_of(999, 999), BOLD, size)
        contact = line_width(plain_text(self._contact()), REGULAR, size)
        return safety + size + number <= self.width and contact <= self.width / 2 - size

    def footer_height(self) -> float:
        """Room the footer needs above the page's bottom edge (margin included), in points."""
        if self.one_line:
            return (
                self.bottom
                - self._safety_drop()
                + self._safety().wrap(self.width, 1000)[1]
                + (self.styles.small.leading * 0.5)
            )
        return (
            self.bottom
            + self._contact_height()
            + self._safety().wrap(self.width, 1000)[1]
            + self.styles.small.leading * 1.6
        )

    def _safety_drop(self) -> float:
        """How far the one-line stop rule's paragraph box reaches under its baseline, in points."""
        _, height = self._safety().wrap(self.width, 1000)
        return height - self.styles.strong.fontSize

    def header_height(self) -> float:
        return self.styles.small.leading * 1.6

    def _safety(self) -> Paragraph:
        # The stop rule at body size, bold (14 pt, 18 in large print): a patient who reads the
        # handout's text reads it too (it was the small type of the header and the page number).
        return Paragraph(para_text(self.words.safety), self.styles.strong)

    def _contact(self) -> str:
        return f"{self.words.questions}: {self.phone}" if self.phone else ""

    def _beside_width(self) -> float:
        """The room left of the page number (any number up to 999) for the contact line."""
        return self.width - stringWidth(self.words.page_of(999, 999), BOLD, self.font_size) - self.font_size

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
            known = operators_of(canvas, lambda: self._draw_fixed(canvas, with_owner))
            if drawn is not None:
                drawn[with_owner] = known
        canvas.addLiteral(known)
        canvas.saveState()
        canvas.setFillColor(INK)
        canvas.setFont(BOLD, self.font_size)
        canvas.drawRightString(self.left + self.width, self.bottom, self.words.page_of(page, total))
        canvas.restoreState()
        if self.mark:
            self._draw_mark(canvas)

    def _draw_mark(self, canvas: Canvas) -> None:
        """The preview's words in the top margin, and again large and pale across the page; with
        the English beside them (the top line, smaller if need be to fit) and below them (across)."""
        lines = [self.mark, self.mark_english] if self.mark_english else [self.mark]
        top_line = " · ".join(lines)
        size = min(self.font_size, self.width / stringWidth(top_line, BOLD, 1))
        canvas.saveState()
        canvas.setFillColor(INK)
        canvas.setFont(BOLD, size)
        canvas.drawCentredString(self.left + self.width / 2, self.top + self.font_size * 0.4, top_line)
        canvas.setFillColor(RULE)
        canvas.setFillAlpha(0.25)
        canvas.translate(self.left + self.width / 2, (self.top + self.bottom) / 2)
        canvas.rotate(40)
        big = self.width * 0.95 / max(stringWidth(line, BOLD, 1) for line in lines)
        canvas.setFont(BOLD, big)
        for n, line in enumerate(lines):  # one line, or two centred on the page's middle
            canvas.drawCentredString(0, -big / 3 + big * 1.2 * ((len(lines) - 1) / 2 - n), line)
        canvas.restoreState()

    def _draw_fixed(self, canvas: Canvas, with_owner: bool) -> None:
        canvas.saveState()
        canvas.setFillColor(INK)
        if self.one_line:
            self._draw_one_line(canvas, with_owner)
        else:
            self._draw_two_lines(canvas, with_owner)
        canvas.restoreState()

    def _draw_one_line(self, canvas: Canvas, with_owner: bool) -> None:
        """The stop rule on the page number's baseline (draw puts the number at the right), a rule
        over both; after page 1, whose handout it is at the top left and the contact at the top
        right. The owner and the contact are user text: in fallback fonts where needed
        (shaping.py); the owner gives way, shortened with "…", to a contact that takes room."""
        size = self.font_size
        safety = self._safety()
        _, height = safety.wrap(self.width, 1000)
        y = self.bottom - self._safety_drop()
        canvas.translate(self.left, y)
        draw_recorded(
            canvas, ("safety", safety.text, self.styles.size, self.width), lambda: safety.drawOn(canvas, 0, 0)
        )
        canvas.translate(-self.left, -y)
        self._draw_rule(canvas, y + height + 4)
        if not with_owner:
            return
        contact = plain_text(self._contact())
        room = self.width
        if contact:
            wide = line_width(contact, REGULAR, size)
            draw_line(canvas, self.left + self.width - wide, self.top - size, contact, REGULAR, size, wide, INK)
            room -= wide + size
        draw_line(canvas, self.left, self.top - size, plain_text(self.owner), REGULAR, size, room, INK)

    def _draw_two_lines(self, canvas: Canvas, with_owner: bool) -> None:
        size = self.font_size
        leading = self.styles.small.leading
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
            draw_line(
                canvas, self.left, self.bottom, plain_text(self._contact()), REGULAR, size, self._beside_width(), INK
            )
        safety = self._safety()
        _, height = safety.wrap(self.width, 1000)
        canvas.translate(self.left, self.bottom + leading * 1.1 + above)
        draw_recorded(
            canvas, ("safety", safety.text, self.styles.size, self.width), lambda: safety.drawOn(canvas, 0, 0)
        )
        canvas.translate(-self.left, -(self.bottom + leading * 1.1 + above))
        self._draw_rule(canvas, self.bottom + leading * 1.1 + above + height + 4)
        if with_owner:
            canvas.setFont(REGULAR, size)
            draw_line(canvas, self.left, self.top - size, plain_text(self.owner), REGULAR, size, self.width, INK)

    def _draw_rule(self, canvas: Canvas, y: float) -> None:
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(1)
        canvas.line(self.left, y, self.left + self.width, y)


def _pdf_date(moment: datetime) -> str:
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    return f"D:{moment:%Y%m%d%H%M%S}{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"


class DecoratedCanvas(Canvas):
    """Holds each page until the end, so every page can say "of N" (one layout pass, not two).

    The held pages are reportlab's well-known "page X of Y" recipe: each page's state kept at
    showPage (`dict(self.__dict__)`, then `Canvas._startPage`, private), every page finished
    in save. Page streams are compressed, without reportlab's ASCII85 text on top (`_flate_only`).
    """

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
            self._decor.draw(self, self.getPageNumber(), total, drawn)
            super().showPage()
        for page in self._doc.Pages.pages:
            _flate_only(page)
        super().save()


def _flate_only(page: pdfdoc.PDFPage) -> None:
    """The page's operators as reportlab writes them with rl_config.useA85 = 0: compressed,
    not also turned into ASCII85 text (reportlab's default, for 7-bit mail of the last
    century; a tenth more bytes and time). Set per page, so that every other PDF the process
    makes keeps reportlab's defaults. A page reportlab writes in another way (uncompressed,
    or with Contents set) is left alone."""
    if page.compression and page.stream is not None and not page.Contents:
        stream = pdfdoc.PDFStream(content=page.stream, filters=[pdfdoc.PDFZCompress])
        stream.__Comment__ = "page stream"
        page.Contents = stream


def canvas_maker(decor: PageDecor) -> Any:
    return partial(DecoratedCanvas, decor=decor)
