"""The counted paragraph: a reportlab Paragraph that parses each (markup, style) once per process,
remembers its line breaks per width, and counts its lines without breaking them where the count
is sure; and a paragraph of several lines set as a column of one paragraph a line.

Steps, cautions and headings repeat across every handout a process builds: parsing and breaking
them once is most of why a handout builds in tens of milliseconds.
"""

from __future__ import annotations

import copy
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer
from reportlab.platypus.paragraph import _getFragWords, _HSFrag
from reportlab.platypus.paraparser import ParaFrag

from planner.handouts import shaping
from planner.handouts.stacking import Column


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
