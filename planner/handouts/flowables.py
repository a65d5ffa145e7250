"""Small flowables that keep the handout fast: a paragraph that wraps once per width, a kept
block (Kept) and a column (Column) that the frame places as one, label-and-value rows, a box,
two columns side by side, and a picture replayed from PDF operators drawn once per process.

Tables would do the box and the columns too, but they wrap every cell several times; these
wrap each paragraph once and are most of why a handout builds in tens of milliseconds.
"""

from __future__ import annotations

import copy
import io
import math
import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer
from reportlab.platypus.paragraph import _getFragWords, _HSFrag
from reportlab.platypus.paraparser import ParaFrag

from planner.handouts import shaping
from planner.handouts.replay import draw_recorded, drawn_live, operators_of


class Para(Paragraph):
    """A Paragraph that parses each (markup, style) once per process and remembers its last wrap.

    Steps, cautions and headings repeat across every handout a process builds, and KeepTogether,
    frames and boxes ask a paragraph its height again and again.
    """

    _wrapped_at: tuple[float, float] | None = None
    width: float
    height: float
    # The direction of the whole paragraph, kept by its parts when it is split across pages:
    # a part that starts with an Arabic word is still a left-to-right paragraph's lines.
    rtl: bool | None = None
    # A line, or a part, of a paragraph of several lines (line_by_line, split): set as that
    # paragraph's lines are, flush right where it is right-to-left, even where it is one line.
    several = False

    def __init__(
        self,
        text: str | None,
        style: ParagraphStyle,
        bulletText: str | None = None,  # noqa: N803
        frags: list[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        # Paragraph.split makes the two halves of a paragraph from fragments, with no text.
        if frags is None:
            frags = [_copied(f) for f in _parsed(text or "", style)]
        super().__init__(text, style, bulletText=bulletText, frags=frags, **kwargs)
        self.text = text
        # Right-to-left or shaped text (Hebrew, Arabic, Devanagari, emoji) is drawn line by line
        # by shaping.py; reportlab still breaks the lines.
        self._shaped = (text is None or not text.isascii()) and shaping.needs_shaping(list(_pieces(frags)))

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        # Paragraph.split drops blPara when the paragraph moves on whole: then wrap again.
        if self._wrapped_at is not None and self._wrapped_at[0] == availWidth and "blPara" in self.__dict__:
            return self.width, self.height
        # The same step in the same style and width breaks into the same lines in every handout:
        # reuse the line breaks (read-only when drawn) instead of measuring every word again.
        # They are what Paragraph.wrap leaves: blPara and _wrapWidths (not public; the bytes
        # are held to plain Paragraph's by tests/test_handout_reportlab.py).
        if self.text is None:  # half of a split paragraph: its own lines, not a cached whole
            self.width, self.height = super().wrap(availWidth, availHeight)
            self._wrapped_at = (availWidth, self.height)
            return self.width, self.height
        key = (self.text, self.style.name, id(self.style), availWidth, self.bulletText)
        known = _BROKEN.get(key)
        self._shared = known is not None
        if known is not None:
            self.width, self._wrapWidths, self.blPara, self.height = known
        else:
            super().wrap(availWidth, availHeight)
            if len(_BROKEN) >= _PARSED_MAX:
                _BROKEN.clear()
            _BROKEN[key] = (self.width, self._wrapWidths, self.blPara, self.height)
        self._wrapped_at = (availWidth, self.height)
        return self.width, self.height

    def height_at(self, availWidth: float) -> float:  # noqa: N803
        """The height wrap(availWidth, …) gives, counted without breaking the lines where the
        count is sure (_counted_lines): a therapist's note is weighed at three or four widths
        for each handout (block.exercise_block's shape of note), and breaking a paragraph of
        two styles is reportlab's slowest path. Else, and for lines known already, wrap's."""
        if self._wrapped_at is not None and self._wrapped_at[0] == availWidth and "blPara" in self.__dict__:
            return self.height
        if self.text is not None:
            known = _BROKEN.get((self.text, self.style.name, id(self.style), availWidth, self.bulletText))
            if known is not None:
                return known[3]
            lines = _counted_lines(self, availWidth)
            if lines is not None:
                return lines * self.style.leading
        return self.wrap(availWidth, 1e6)[1]

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        # Paragraph.split cuts and edits the words of the lines it breaks, and reads them from
        # the fragments that breaking them left behind: so a paragraph whose lines came from
        # another of the same text breaks them again itself, rather than edit those shared
        # lines (a second note split the same way lost its line breaks).
        if getattr(self, "_shared", False):
            Paragraph.wrap(self, availWidth, availHeight)
            self._shared = False
        whole = self.rtl
        if whole is None and self._shaped:
            whole = shaping.is_rtl("".join(piece.text for piece in _pieces(self.frags)))
        halves = super().split(availWidth, availHeight)
        for half in halves:
            half.rtl, half.several = whole, True
        if len(halves) == 2 and _starts_with_break(halves[1].frags):
            # The line break that ended the first half would open the second with an empty line.
            halves[1].frags = halves[1].frags[1:]
        return halves

    def draw(self) -> None:
        if self._shaped:
            shaping.draw_paragraph(self)
        else:
            super().draw()


def _pieces(frags: list[Any]) -> Any:
    """The text runs of a paragraph's fragments, as shaping.Piece. A split paragraph of several
    styles is made of broken words instead ([width, (fragment, text), ...] per item)."""
    for frag in frags:
        if isinstance(frag, list):
            for fragment, text in frag[1:]:
                yield shaping.Piece(text, fragment.fontName, fragment.fontSize, None)
        else:
            yield shaping.Piece(_frag_text(frag), frag.fontName, frag.fontSize, None)


def _frag_text(frag: Any) -> str:
    """A fragment's text; the top half of a split paragraph of one style holds words instead."""
    text = getattr(frag, "text", None)
    return text if text is not None else " ".join(getattr(frag, "words", ()))


def _starts_with_break(frags: list[Any]) -> bool:
    """True when broken words (Paragraph.breakLines' [width, (fragment, text), ...]) start with a <br/>."""
    try:
        (_, (fragment, text)), *_ = frags
    except (TypeError, ValueError):
        return False
    return text == "" and getattr(fragment, "lineBreak", False) is True


_PARSED: dict[tuple[str, str, int], list[Any]] = {}
_BROKEN: dict[tuple[Any, ...], tuple[float, list[float], Any, float]] = {}
_PARSED_MAX = 20_000


# Per (markup, style): the words of a paragraph as Paragraph.breakLines weighs them, for counting
# its lines (_counted_lines): (width, the space after it, whether it has text); None where the
# count is not made here.
_WORDS: dict[tuple[str, str, int], list[tuple[float, float, bool]] | None] = {}
# How close (pt) a line's width may come to its limit before the count is left to reportlab:
# the limit here adds the spaces' shrinkage in another order (a rounding apart), and a space
# after a word with no text is counted or not as reportlab's own joins decide.
_SURE = 1e-6


def _counted_lines(para: Para, avail_width: float) -> int | None:
    """The lines Paragraph.breakLines breaks `para` into at this width, counted as it breaks them
    (the same words, widths and sums, reportlab 4's multi-style path, paragraph.py), without
    making the lines; None where that is not sure: one style (another path), a line break, a
    soft hyphen, an image, hyphenation, a word wider than a line (split), a bullet, leading
    by the lines' type, a width within _SURE of a line's limit. The height is then the lines
    times the leading, as Paragraph.wrap makes it. Checked against wrap in
    tests/test_handout_reportlab.py."""
    style = para.style
    if (
        para.bulletText is not None
        or avail_width < 1e-8
        or getattr(para, "autoLeading", getattr(style, "autoLeading", "")) not in ("", "off")
    ):
        return None
    key = (para.text or "", style.name, id(style))
    if key not in _WORDS:
        if len(_WORDS) >= _PARSED_MAX:
            _WORDS.clear()
        _WORDS[key] = _words(key[0], style)
    words = _WORDS[key]
    if words is None:
        return None
    first = avail_width - (style.leftIndent + style.firstLineIndent) - style.rightIndent
    later = avail_width - style.leftIndent - style.rightIndent
    shrinkage = style.spaceShrinkage
    lines, max_width = 0, first
    started = False
    current = space = spaces_least = spaces_most = 0.0
    counted = 0
    for width, space_after, has_text in words:
        new = current + space + width if width > 0 else current
        # The limit with the line's spaces shrunk (reportlab: its words' spaces and the next one).
        least = max_width + (space + spaces_least) * shrinkage
        most = max_width + (space + spaces_most) * shrinkage
        if abs(new - least) <= _SURE or abs(new - most) <= _SURE or (least < new < most):
            return None
        over = new > most
        if over and width > (first if lines == 0 else later) - _SURE:
            return None  # a word wider than the line: reportlab splits it
        if not over or counted == 0 or not started:
            if started and space:
                spaces_most += space
                if has_text:
                    spaces_least += space
            counted += has_text
            current, started = new, True
        else:
            lines += 1
            max_width = later
            current, counted, spaces_least, spaces_most = width, 1, 0.0, 0.0
        space = space_after
    return lines + started


def _words(text: str, style: ParagraphStyle) -> list[tuple[float, float, bool]] | None:
    """The words of markup `text` in `style` as _counted_lines counts them, or None where it
    does not count them."""
    if (
        style.wordWrap
        or getattr(style, "shaping", 0)
        or style.hyphenationLang
        or style.uriWasteReduce
        or style.embeddedHyphenation
    ):
        return None
    frags = [_copied(f) for f in _parsed(text, style)]
    if len(frags) < 2:
        return None  # one style: breakLines' other path
    for frag in frags:
        chars = getattr(frag, "text", None)
        if not chars or hasattr(frag, "cbDefn") or hasattr(frag, "lineBreak") or hasattr(frag, "backColor"):
            return None
        if "\xad" in chars or any(c != " " and c.isspace() for c in chars):
            return None
    out = []
    for word in _getFragWords(frags):
        if type(word) not in (list, _HSFrag) or not isinstance(word[0], (int, float)):
            return None
        last = word[-1][0]
        space = stringWidth(" ", last.fontName, last.fontSize) if isinstance(word, _HSFrag) else 0
        out.append((word[0], space, any(piece[1] for piece in word[1:])))
    return out


def _copied(frag: Any) -> Any:
    """copy.copy of a parsed fragment: a ParaFrag (an attribute bag, no __copy__, no slots) is a
    new object with its attributes, made directly (copy.copy's generic path took 6 % of an
    export's handout, some 150 fragments each); any other kind through copy.copy."""
    if type(frag) is not ParaFrag:
        return copy.copy(frag)
    new = object.__new__(ParaFrag)
    new.__dict__.update(frag.__dict__)
    return new


def _parsed(text: str, style: ParagraphStyle) -> list[Any]:
    """The fragments of markup in a style: parsed by reportlab once, then copied (a dict read
    and a few shallow copies instead of an HTML parse)."""
    key = (text, style.name, id(style))
    frags = _PARSED.get(key)
    if frags is None:
        frags = Paragraph(text, style).frags
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[key] = frags
    return frags


def line_by_line(markup: str, style: ParagraphStyle) -> Flowable:
    """Markup of text.para_text with several lines (<br/>) as a column of one paragraph a line,
    placed as the one paragraph would place them (the style's spaces around the whole).

    A frame breaks a paragraph of hundreds of lines (a note of one word a line) by breaking all
    its lines again at every page it fills; a column of lines breaks between them, at no cost.
    Each line keeps the whole paragraph's direction (its first strong letter's) and is set as its
    lines are: right-to-left ones flush right. Each line taking its own put the Arabic goals
    under "Your goals:" (left to right, its label first) now at the left, now at the right.
    """
    lines = markup.split("<br/>")
    if len(lines) < 2:
        return Para(markup, style)
    tight = _TIGHT.get((style.name, id(style)))
    if tight is None:
        tight = _TIGHT[style.name, id(style)] = style.clone(f"{style.name}-line", spaceBefore=0, spaceAfter=0)
    rtl = None
    if not markup.isascii():
        pieces = list(_pieces(_parsed(markup, style)))
        if shaping.needs_shaping(pieces):
            rtl = shaping.is_rtl("".join(piece.text for piece in pieces))
    parts: list[Flowable] = []
    for line in lines:
        if not line:
            parts.append(Spacer(1, style.leading))
            continue
        part = Para(line, tight)
        if rtl is not None:
            part.rtl, part.several = rtl, True
        parts.append(part)
    column = Column(parts)
    column.spaceBefore, column.spaceAfter = style.spaceBefore, style.spaceAfter
    return column


_TIGHT: dict[tuple[str, int], ParagraphStyle] = {}


def stack_height(parts: Sequence[Flowable], width: float) -> float:
    """The height of flowables stacked in a column, with the spaces between them."""
    height = 0.0
    for i, part in enumerate(parts):
        height += part.wrap(width, 1e6)[1]
        if i:
            height += part.getSpaceBefore()
        if i < len(parts) - 1:
            height += part.getSpaceAfter()
    return height


def _stacked(parts: Sequence[Flowable], heights: Sequence[float]) -> float:
    """stack_height of `parts` of these heights (the same sums in the same order)."""
    height = 0.0
    for i, part in enumerate(parts):
        height += heights[i]
        if i:
            height += part.getSpaceBefore()
        if i < len(parts) - 1:
            height += part.getSpaceAfter()
    return height


def frame_height(parts: Sequence[Flowable], width: float) -> float:
    """The height of flowables a frame places one by one from the top of a page: between two,
    the larger of the one's space after and the next's space before (stack_height adds both)."""
    height = 0.0
    for i, part in enumerate(parts):
        height += part.wrap(width, 1e6)[1]
        if i:
            height += max(parts[i - 1].getSpaceAfter(), part.getSpaceBefore())
    return height


def _draw_stack(canvas: Canvas, parts: Sequence[Flowable], x: float, top: float, width: float) -> None:
    y = top
    for i, part in enumerate(parts):
        if i:
            y -= part.getSpaceBefore()
        _, height = part.wrap(width, 1e6)
        y -= height
        part.drawOn(canvas, x, y)
        y -= part.getSpaceAfter()


class Kept(Flowable):
    """Flowables that stay together on one page, drawn as one (and replayed, given a `key`).

    Like platypus' KeepTogether: a block that does not fit the rest of the page moves to the
    next. Only a block taller than a whole page (`page_room`: a heading and the longest goals)
    breaks where the page ends, its first part never alone there (a heading stays with the
    start of what it heads). One flowable instead of a dozen is also less work for the frame.
    `parts` may be a function that makes them, with `known` = size(width) of the same parts
    measured before: then they are made only if they must be drawn.
    `key` names everything the parts show (see replay.draw_recorded); None: never replayed.
    `live`: the Live parts among them, drawn afresh each time (not named by `key`).
    """

    def __init__(
        self,
        parts: Sequence[Flowable] | Callable[[], list[Flowable]],
        page_room: float,
        key: Hashable | None = None,
        known: tuple[float, float, float, float] | None = None,
        live: Sequence[Live] = (),
    ) -> None:
        super().__init__()
        self._parts = parts if callable(parts) else list(parts)
        self.page_room, self.key, self._known, self.live = page_room, key, known, list(live)
        if known is None:
            self.spaceBefore = self.parts[0].getSpaceBefore() if self.parts else 0
            self.spaceAfter = self.parts[-1].getSpaceAfter() if self.parts else 0
        else:
            self.spaceBefore, self.spaceAfter = known[2], known[3]

    @property
    def parts(self) -> list[Flowable]:
        if callable(self._parts):
            self._parts = self._parts()
        return self._parts

    def size(self, width: float) -> tuple[float, float, float, float]:
        """(width, height, space before, space after): what `known` takes."""
        return width, self.wrap(width, 1e6)[1], self.spaceBefore, self.spaceAfter

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if self._known is None or self._known[0] != availWidth:
            # The parts never change: measured once per width (the ways of setting a story
            # that build weighs ask the same tips and QR code their height again and again).
            self._known = (availWidth, stack_height(self.parts, availWidth), self.spaceBefore, self.spaceAfter)
        self.width, self.height = availWidth, self._known[1]
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        # Nothing here: the whole block goes to the next page, unless no page could hold it.
        if self.height <= self.page_room + 1e-6:
            return []
        if availHeight >= self.page_room - 1e-6:
            return self.parts  # at a page top, the frame places the parts one by one (closer: frame_height)
        if frame_height(self.parts, availWidth) <= self.page_room + 1e-6:
            return []  # a page holds it that way: it moves on whole
        fitted, rest = fit(self.parts, availWidth, availHeight)
        if len(fitted) < min(2, len(self.parts)):
            return []
        return [Column(fitted), Column(rest)] if rest else [Column(fitted)]

    def draw(self) -> None:
        canvas, key = self.canv, (self.key, self.width, self.height) if self.key is not None else None
        draw_recorded(canvas, key, lambda: _draw_stack(canvas, self.parts, 0, self.height, self.width), self.live)


class Live(Flowable):
    """A part drawn afresh every time inside a drawing that is replayed (Kept's `live`): a
    patient's note inside an exercise block. Its `shape`, its heights at the widths it was
    asked, is all the layout around it depends on: the exercise around a note is drawn once per
    shape of note (replay.draw_recorded), and only the note is drawn for each patient."""

    def __init__(self, part: Flowable) -> None:
        super().__init__()
        self.part = part
        self._answers: dict[float, float] = {}

    @property
    def shape(self) -> tuple[tuple[float, float], ...]:
        return tuple(sorted(self._answers.items()))

    def answers(self) -> list[tuple[float, float]]:
        """The widths it was asked at and its heights there, in the order first asked."""
        return list(self._answers.items())

    def forget(self) -> None:
        """Forget the widths it was asked at (asked before its parts lay it out)."""
        self._answers.clear()

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width, self.height = self.part.wrap(availWidth, availHeight)
        self._answers[availWidth] = self.height
        return self.width, self.height

    def getSpaceBefore(self) -> float:  # noqa: N802
        return self.part.getSpaceBefore()

    def getSpaceAfter(self) -> float:  # noqa: N802
        return self.part.getSpaceAfter()

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return []  # inside a kept block: never split

    def draw(self) -> None:
        drawn_live(self.canv, self.part, self.width)


class Column(Flowable):
    """Flowables one under another, handed to the frame as one.

    A frame places each flowable with a good deal of bookkeeping; a handout's front page and
    closing advice are a dozen short paragraphs. At a page end the column splits as the frame
    would: between parts, inside a paragraph, or before a Kept block (which moves on whole).
    """

    def __init__(self, parts: Sequence[Flowable]) -> None:
        super().__init__()
        self.parts = list(parts)
        self.spaceBefore = self.parts[0].getSpaceBefore() if self.parts else 0
        self.spaceAfter = self.parts[-1].getSpaceAfter() if self.parts else 0
        self._measured: tuple[float, float] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        # The parts never change: measured once per width (a frame asks again and again, and a
        # note of hundreds of lines is hundreds of parts).
        if self._measured is None or self._measured[0] != availWidth:
            self._measured = (availWidth, stack_height(self.parts, availWidth))
        self.width, self.height = self._measured
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        fitted, rest = fit(self.parts, availWidth, availHeight)
        if not fitted:
            return []
        return [Column(fitted), Column(rest)] if rest else [Column(fitted)]

    def draw(self) -> None:
        _draw_stack(self.canv, self.parts, 0, self.height, self.width)


class Headed(Column):
    """A part (a tick sheet's grid) with `lead` flowables that go with its start (a heading and
    its lines) and `tail` ones that go with its end (the QR code), kept whole on one page: it
    moves on to the next page when it does not fit the rest of this one. Only when it is taller
    than `page_room` (the height a page holds, pt) it breaks where a page ends: the lead never
    ends a page without some of the part, the tail never starts a page alone. The part itself
    must split as it likes (Grid: between rows, the header repeated). `again` makes the heading
    that starts each next page ("... (continued)").
    """

    def __init__(
        self,
        lead: Sequence[Flowable],
        part: Flowable,
        tail: Sequence[Flowable] = (),
        page_room: float = 0.0,
        again: Callable[[], Flowable] | None = None,
    ) -> None:
        super().__init__([*lead, part, *tail])
        self.lead, self.tail, self.page_room, self.again = len(lead), list(tail), page_room, again

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        if self.wrap(availWidth, availHeight)[1] <= self.page_room + 1e-6:
            return []  # whole, on the next page
        part = self.parts[self.lead]
        if availHeight < self.page_room - 1e-6 and hasattr(part, "pages_from"):
            # Under something else on this page: it starts here only where that takes a page
            # less than starting the next page (a few rows here, the rest on as many pages, is
            # a sheet in more parts for nothing).
            room = availHeight - stack_height(self.parts[: self.lead], availWidth) - part.getSpaceBefore()
            rows = part.rows_in(room)
            if rows < 2 or part.pages_from(rows) >= part.pages_from(0):
                return []
            # Nor where the rows here would be fewer than half of each page's after (2 + 9).
            if rows * 2 < math.ceil((len(part.boxes) - rows) / part.pages_from(rows)):
                return []
        fitted, rest = fit(self.parts, availWidth, availHeight)
        if rest and all(any(r is t for t in self.tail) for r in rest):
            # Only the tail left over: break the part earlier, so some of it goes on with the tail.
            tail = stack_height(self.tail, availWidth) + self.tail[0].getSpaceBefore()
            fitted, rest = fit(self.parts, availWidth, availHeight - tail)
        if len(fitted) <= self.lead:
            return []  # none of the part here: all of it on the next page
        if not rest:
            return [Column(fitted)]
        heading = [self.again()] if self.again is not None else []
        if getattr(rest[0], "moves_on", False):
            rest[0].moves_on = False  # on the next page, under its heading again
        return [Column(fitted), Headed(heading, rest[0], rest[1:], self.page_room, self.again)]


class Flowing(Column):
    """A column too tall for any page (an exercise with a very long note), broken where pages
    end. It starts where it is, unless starting on the next page would spare a page turn. Its
    first part (the exercise's name, picture and dosage) never ends a page alone; each page it
    goes on to starts with `again()`, a "continued" line, and more than that line.
    """

    def __init__(
        self, parts: Sequence[Flowable], page_room: float, again: Callable[[], Flowable], going_on: bool = False
    ) -> None:
        super().__init__(parts)
        self.page_room, self.again, self.going_on = page_room, again, going_on

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        if availHeight < self.page_room - 1e-6 and (
            self.going_on or self._pages(availWidth, availHeight) > self._pages(availWidth, self.page_room)
        ):
            return []  # on the next page: what goes on (under its "continued" line), or all of it
        fitted, rest = fit(self.parts, availWidth, availHeight)
        if len(fitted) < 2:
            return []  # the start alone: it goes on the next page, with what follows it
        if not rest:
            return [Column(fitted)]
        return [Column(fitted), Flowing([self.again(), *rest], self.page_room, self.again, going_on=True)]

    def _pages(self, width: float, first: float) -> int:
        """About how many pages it takes from a page with `first` points left: that page as
        laid out, the pages after it by the height of what is left."""
        fitted, rest = fit(self.parts, width, first)
        if len(fitted) < 2:  # its start does not fit here: all of it on the next page
            return 1 + self._pages(width, self.page_room) if first < self.page_room - 1e-6 else 1_000_000
        if not rest:
            return 1
        again = self.again()
        each = self.page_room - again.wrap(width, self.page_room)[1] - again.getSpaceAfter()
        return 1 + math.ceil(stack_height(rest, width) / each)


def fit(parts: Sequence[Flowable], width: float, height: float) -> tuple[list[Flowable], list[Flowable]]:
    """The parts that fit `height` and the rest, broken as a frame would: between parts, inside a
    paragraph or a box (at a line), or before a Kept block (which moves on whole)."""
    fitted: list[Flowable] = []
    rest = list(parts)
    used = 0.0
    while rest:
        part = rest[0]
        gap = part.getSpaceBefore() if fitted else 0.0
        room = height - used - gap
        part_height = part.wrap(width, room)[1]
        if part_height <= room + 1e-6:
            fitted.append(rest.pop(0))
            used += gap + part_height + part.getSpaceAfter()
            continue
        pieces = part.split(width, room) if room > 0 else []
        if not pieces or pieces == [part]:
            break  # the part starts the next page
        rest[0:1] = pieces  # the lines that fit, then the rest (or a too-tall block's parts)
    return fitted, rest


class Rows(Flowable):
    """Paragraphs in two columns, a label and its value on each row, top aligned: laid out
    as a Table with no padding but 6 pt on the right of each cell would, measured once. Where
    they do not fit the rest of a page they break between two rows (the front page's facts, under
    a long name: the front page held only its title and QR code, the facts all on page 2)."""

    PAD = 6.0

    def __init__(self, rows: Sequence[tuple[Flowable, Flowable]], label_width: float) -> None:
        super().__init__()
        self.rows, self.label_width = list(rows), label_width
        # Per width: the rows' heights (the front page's ways ask one table its height often).
        self._measured: dict[float, list[float]] = {}

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        heights = self._measured.get(availWidth)
        if heights is None:
            heights = self._measured[availWidth] = [
                max(
                    label.wrap(self.label_width - self.PAD, 1e6)[1],
                    value.wrap(availWidth - self.label_width - self.PAD, 1e6)[1],
                )
                for label, value in self.rows
            ]
        self._heights = heights
        self.height = sum(heights)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        # Between rows, never inside one: a label stays beside all of its value (a long name on
        # the front page's "For:" row is read whole). No row fits: all of them on the next page.
        self.wrap(availWidth, availHeight)
        used, count = 0.0, 0
        for height in self._heights:
            if used + height > availHeight + 1e-6:
                break
            used, count = used + height, count + 1
        if count == 0 or count == len(self.rows):
            return [] if count == 0 else [self]
        return [Rows(self.rows[:count], self.label_width), Rows(self.rows[count:], self.label_width)]

    def draw(self) -> None:
        top = self.height
        for (label, value), height in zip(self.rows, self._heights, strict=True):
            # Wrapped again at this table's widths: another table of the same cells, weighed
            # and not drawn, may have wrapped them at another.
            label.wrap(self.label_width - self.PAD, 1e6)
            value.wrap(self.width - self.label_width - self.PAD, 1e6)
            label.drawOn(self.canv, 0, top - label.height)
            value.drawOn(self.canv, self.label_width, top - value.height)
            top -= height


class Box(Flowable):
    """Paragraphs in a tinted box, with an optional border.

    Inside a kept block it is never split. A box taller than the rest of a page (a long note
    in a block too tall for any page) splits at a line into two boxes; its first line (the
    label, or the warning) never ends a page alone.
    """

    def __init__(
        self,
        parts: Sequence[Flowable],
        tint: Color,
        edge: Color | None = None,
        edge_width: float = 2.5,
        padding: float = 8,
        space_before: float = 6,
    ) -> None:
        super().__init__()
        self.parts, self.tint, self.edge, self.edge_width, self.padding = list(parts), tint, edge, edge_width, padding
        self.spaceBefore = space_before
        self._measured: tuple[float, float] | None = None
        # The widths it was measured at, where a caller wants to know (block: a note's shape).
        self.asked: set[float] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if self.asked is not None:
            self.asked.add(availWidth)
        if self._measured is None or self._measured[0] != availWidth:
            self._measured = (availWidth, stack_height(self.parts, availWidth - 2 * self.padding) + 2 * self.padding)
        self.width, self.height = self._measured
        return self.width, self.height

    def height_at(self, availWidth: float) -> float:  # noqa: N803
        """The height wrap(availWidth, …) gives, its paragraphs measured by Para.height_at."""
        inside = availWidth - 2 * self.padding
        heights = [
            part.height_at(inside) if isinstance(part, Para) else part.wrap(inside, 1e6)[1] for part in self.parts
        ]
        return _stacked(self.parts, heights) + 2 * self.padding

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        inside = 2 * self.padding
        fitted, rest = fit(self.parts, availWidth - inside, availHeight - inside)
        if not rest:
            return [self]
        if len(fitted) < min(2, len(self.parts)):
            return []
        halves = [copy.copy(self), copy.copy(self)]
        for half, parts in zip(halves, (fitted, rest), strict=True):
            half.parts, half._measured = parts, None
        halves[1].spaceBefore = 0
        return halves

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(self.tint)
        if self.edge is not None:
            canvas.setStrokeColor(self.edge)
            canvas.setLineWidth(self.edge_width)
        inset = self.edge_width / 2 if self.edge is not None else 0
        canvas.rect(
            inset,
            inset,
            self.width - 2 * inset,
            self.height - 2 * inset,
            fill=1,
            stroke=1 if self.edge is not None else 0,
        )
        canvas.restoreState()
        _draw_stack(canvas, self.parts, self.padding, self.height - self.padding, self.width - 2 * self.padding)


class Marked(Flowable):
    """A paragraph with a coloured bar down its left, `inset` from the edge and `bar` wide, in
    the room the paragraph's own left indent leaves (a caution in the steps' flow).

    Split at a line like its paragraph (only in a block too tall for any page), each part marked.
    """

    def __init__(self, paragraph: Paragraph, colour: Color, bar: float, inset: float, space_before: float = 4) -> None:
        super().__init__()
        self.paragraph, self.colour, self.bar, self.inset = paragraph, colour, bar, inset
        self.spaceBefore, self.spaceAfter = space_before, paragraph.getSpaceAfter()

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width, self.height = availWidth, self.paragraph.wrap(availWidth, availHeight)[1]
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        halves = self.paragraph.split(availWidth, availHeight)
        if len(halves) < 2:
            return []
        marked = [Marked(half, self.colour, self.bar, self.inset, self.spaceBefore) for half in halves]
        marked[1].spaceBefore = 0
        return marked

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(self.colour)
        canvas.rect(self.inset, 0, self.bar, self.height, stroke=0, fill=1)
        canvas.restoreState()
        self.paragraph.drawOn(canvas, 0, 0)


class Beside(Flowable):
    """A fixed-width flowable on the left and a stack of paragraphs beside it, centred on each
    other, or (`top`) both from the top, as text set around a picture reads. `flipped`: the
    fixed-width flowable on the right (the front page's QR code beside its title and facts)."""

    def __init__(
        self,
        left: Flowable,
        right: Sequence[Flowable],
        left_width: float,
        gap: float,
        top: bool = False,
        flipped: bool = False,
    ) -> None:
        super().__init__()
        self.left, self.right, self.left_width, self.gap, self.top = left, list(right), left_width, gap, top
        self.flipped = flipped

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self._left_height = self.left.wrap(self.left_width, availHeight)[1]
        self._right_height = stack_height(self.right, self._right_width())
        self.height = max(self._left_height, self._right_height)
        return self.width, self.height

    def _right_width(self) -> float:
        return self.width - self.left_width - self.gap

    def draw(self) -> None:
        fixed_x, stack_x = (self._right_width() + self.gap, 0.0) if self.flipped else (0.0, self.left_width + self.gap)
        if self.top:
            self.left.drawOn(self.canv, fixed_x, self.height - self._left_height)
            top = self.height
        else:
            self.left.drawOn(self.canv, fixed_x, (self.height - self._left_height) / 2)
            top = self.height - (self.height - self._right_height) / 2
        _draw_stack(self.canv, self.right, stack_x, top, self._right_width())


_FONT_ONLY = re.compile(r"BT /F\d+ [\d.]+ Tf [\d.]+ TL ET")
_NAMED = re.compile(r"/[A-Za-z]\w*\s+(?:[\d.]+\s+Tf|gs|Do|sh|cs|CS|scn|SCN)\b")


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    font: str
    size: float
    anchor: str
    color: Any


@dataclass(frozen=True)
class Recording:
    """A Drawing's shapes as PDF operators, captured once; immutable, so shared between threads."""

    width: float
    height: float
    ops: str
    labels: tuple[Label, ...]

    @classmethod
    def of(cls, drawing: Drawing) -> Recording | None:
        """The recording, or None for a drawing that cannot be replayed (groups, images, transparency)."""
        from reportlab.graphics.shapes import Group, Image

        if any(
            isinstance(n, Group | Image)
            or getattr(n, "fillOpacity", None) not in (None, 1)
            or getattr(n, "strokeOpacity", None) not in (None, 1)
            for n in drawing.contents
        ):
            return None
        shapes = Drawing(drawing.width, drawing.height)
        for node in drawing.contents:
            if not isinstance(node, String):
                shapes.add(node)
        scratch = Canvas(io.BytesIO())
        drawn = operators_of(scratch, lambda: renderPDF.draw(shapes, scratch, 0, 0, showBoundary=False))
        # The renderer sets its default font on the scratch document (a name that means nothing in
        # another document); with no text left it is a no-op, so it goes.
        ops = [op for op in drawn.split("\n") if not _FONT_ONLY.fullmatch(op)]
        if any(_NAMED.search(op) for op in ops):  # anything else named in the scratch document
            return None
        labels = tuple(
            Label(n.x, n.y, n.text, n.fontName, n.fontSize, n.textAnchor, n.fillColor)
            for n in drawing.contents
            if isinstance(n, String)
        )
        return cls(drawing.width, drawing.height, "\n".join(ops), labels)


class ReplayedDrawing(Flowable):
    """A recorded drawing, replayed into one document; the labels are drawn as ordinary text
    each time, because an embedded font's glyph codes belong to one document."""

    def __init__(
        self, recording: Recording, label_size: float | None = None, texts: dict[str, str] | None = None
    ) -> None:
        super().__init__()
        # texts: each label's words in the handout's language ("Start" → "Inicio").
        self.recording, self.label_size, self.texts = recording, label_size, texts or {}
        self.width, self.height = recording.width, recording.height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.addLiteral(self.recording.ops)
        canvas.restoreState()
        for label in self.recording.labels:
            canvas.setFillColor(label.color)
            canvas.setFont(label.font, max(label.size, self.label_size or 0))
            said = self.texts.get(label.text, label.text)
            if label.anchor == "middle":
                canvas.drawCentredString(label.x, label.y, said)
            elif label.anchor == "end":
                canvas.drawRightString(label.x, label.y, said)
            else:
                canvas.drawString(label.x, label.y, said)


class Early(Flowable):
    """A part (the tips) that may go at the foot of an earlier page, in room that page leaves
    empty anyway: where the part fits and the `following` block (a Kept) does not, so that
    block moves on to the next page with or without it. `went` is shared by
    every Early of one part and its Late, which draws the part where it stands unless it went."""

    def __init__(self, part: Flowable, following: Flowable, went: list[bool]) -> None:
        super().__init__()
        self.part, self.following, self.went = part, following, went
        self.spaceBefore = self.spaceAfter = 0
        self._here = False

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        height = 0.0
        if not self.went[0]:
            need = self.part.wrap(availWidth, 1e6)[1] + self.part.getSpaceBefore()
            following = self.following.wrap(availWidth, 1e6)[1] + self.following.getSpaceBefore()
            # Only before a block that moves on whole (a Kept a page holds): a block that breaks
            # across pages would start in that room.
            moves_on = isinstance(self.following, Kept) and self.following.height <= self.following.page_room + 1e-6
            if moves_on and need <= availHeight < following:
                height = need
        self._here = height > 0
        self.width, self.height = availWidth, height
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return []  # it takes only room it has: there is nothing to split

    def draw(self) -> None:
        if self._here:
            self.part.wrap(self.width, 1e6)
            self.part.drawOn(self.canv, 0, 0)
            self.went[0] = True


class Late(Flowable):
    """The part of some Early flowables where it stands in the story, unless it went earlier."""

    def __init__(self, part: Flowable, went: list[bool]) -> None:
        super().__init__()
        self.part, self.went = part, went

    def getSpaceBefore(self) -> float:  # noqa: N802
        return 0.0 if self.went[0] else self.part.getSpaceBefore()

    def getSpaceAfter(self) -> float:  # noqa: N802
        return 0.0 if self.went[0] else self.part.getSpaceAfter()

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if self.went[0]:
            self.width, self.height = availWidth, 0.0
        else:
            self.width, self.height = self.part.wrap(availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return [] if self.went[0] else self.part.split(availWidth, availHeight)

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        if not self.went[0]:
            self.part.drawOn(canvas, x, y, _sW)


class LeadApart(Flowable):
    """A first exercise block that a page holds, but not with the `lead` that heads the exercises
    (the heading and how to use them): the lead ends the page it fits on, the block then starts
    the next whole (on a page of its own with `new_page`: one exercise a page). Where the lead
    would start a page, no page holds the two: `fallback` (the block flowing with its lead, over
    two pages) then goes there instead, so the lead is never alone on a page.
    """

    def __init__(self, lead: Flowable, block: Flowable, fallback: Flowable, page_room: float, new_page: bool) -> None:
        super().__init__()
        self.lead, self.block, self.fallback = lead, block, fallback
        self.page_room, self.new_page = page_room, new_page
        self.spaceBefore, self.spaceAfter = lead.getSpaceBefore(), block.getSpaceAfter()

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width, self.height = availWidth, stack_height([self.lead, self.block], availWidth)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        if availHeight >= self.page_room - 1e-6:
            # A page top: the fallback, whole where it fits (the block with a smaller picture),
            # else flowing over pages.
            if self.fallback.wrap(availWidth, availHeight)[1] <= availHeight + 1e-6:
                return [self.fallback]
            return self.fallback.split(availWidth, availHeight)
        if self.lead.wrap(availWidth, availHeight)[1] <= availHeight + 1e-6:
            return [self.lead, PageBreak(), self.block] if self.new_page else [self.lead, self.block]
        return []  # on the next page

    def draw(self) -> None:
        _draw_stack(self.canv, [self.lead, self.block], 0, self.height, self.width)
