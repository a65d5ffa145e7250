"""The handout's look: fonts, page size, type sizes and paragraph styles, made once per process.

DejaVu Sans Condensed ships in planner/handouts/fonts/ (its licence beside it): the base PDF
fonts cover only Western European text, and a Greek or Cyrillic name must never print as empty
boxes. The condensed cut has DejaVu Sans' letters at the same height (the same x-height, the
same glyph list) a tenth narrower: more words a line at the same type size, so fewer lines and
fewer pages, and letters no smaller. There is no italic on purpose: slanted type is harder to
read with poor eyesight.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.colors import HexColor, black
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics

from planner.handouts.fontcache import SubsetCachingTTFont
from planner.paper import PAPERS

FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR = "DejaVuSansCondensed"
BOLD = "DejaVuSansCondensed-Bold"
FILES = {REGULAR: "DejaVuSansCondensed.ttf", BOLD: "DejaVuSansCondensed-Bold.ttf"}  # in FONTS
# The address a patient types from the handout: in a sans serif capital I, lowercase l and the
# digit 1 (and O and 0) look alike; in DejaVu Sans Mono each has its own shape (l with a tail,
# I and 1 with serifs, 0 with a dot). Cut to printable ASCII (fonts/README.md).
TYPED = "DejaVuSansMono-Bold"

# The PDF page of each paper (planner.paper.PAPERS), by its key.
PAGE_SIZES = {key: paper.points for key, paper in PAPERS.items()}

INK = black
# Quiet colours for lines and boxes only; text is always black on white or on a pale tint.
RULE = HexColor("#4A4A4A")
TINT = HexColor("#EFEFEF")
CAUTION_EDGE = HexColor("#9A1B1B")
CAUTION_TINT = HexColor("#FFF4D6")


@dataclass(frozen=True)
class HandoutOptions:
    """The [handouts] settings of config.toml."""

    page_size: str = "letter"
    body_size: float = 14
    large_print_size: float = 18
    export_workers: int = 2
    # The site's handout languages (planner.languages.offered_in): a patient whose preferred
    # language is one of them reads the handout in it; anyone else reads English.
    languages: tuple[str, ...] = ("en",)

    @classmethod
    def from_settings(cls, section: dict[str, Any] | None, languages: tuple[str, ...] = ("en",)) -> HandoutOptions:
        """:raise ValueError: for a page size other than letter or a4, or type smaller than 12 pt."""
        section = section or {}
        options = cls(
            page_size=str(section.get("page_size", cls.page_size)).lower(),
            body_size=float(section.get("body_size", cls.body_size)),
            large_print_size=float(section.get("large_print_size", cls.large_print_size)),
            export_workers=int(section.get("export_workers", cls.export_workers)),
            languages=tuple(languages),
        )
        if options.page_size not in PAGE_SIZES:
            raise ValueError(f"[handouts] page_size must be one of {', '.join(PAGE_SIZES)}, not {options.page_size!r}")
        if min(options.body_size, options.large_print_size) < 12:
            raise ValueError("[handouts] body_size and large_print_size must be at least 12 (points)")
        return options

    def size_for(self, large_print: bool) -> float:
        return self.large_print_size if large_print else self.body_size

    def page_for(self, paper_size: str | None) -> tuple[float, float]:
        """The page's (width, height) in points: the clinic's paper (Clinic.paper_size, "letter"
        or "a4") when it chose one, else the site's `page_size`.

        :raise KeyError: for another paper name.
        """
        return PAGE_SIZES[paper_size or self.page_size]


@functools.cache
def register_fonts() -> None:
    """Register DejaVu Sans Condensed and its bold once per process, as one family (bold by <b>, no italic),
    and the typed address's DejaVu Sans Mono Bold (TYPED).

    Their subsets are made once per process (fontcache), not once per handout.
    """
    pdfmetrics.registerFont(SubsetCachingTTFont(REGULAR, str(FONTS / FILES[REGULAR])))
    pdfmetrics.registerFont(SubsetCachingTTFont(BOLD, str(FONTS / FILES[BOLD])))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
    pdfmetrics.registerFont(SubsetCachingTTFont(TYPED, str(FONTS / "DejaVuSansMono-Bold.ttf")))


@dataclass(frozen=True)
class Styles:
    size: float
    body: ParagraphStyle
    strong: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle
    exercise: ParagraphStyle
    step: ParagraphStyle
    bullet: ParagraphStyle
    label: ParagraphStyle
    small: ParagraphStyle
    small_strong: ParagraphStyle
    cell: ParagraphStyle
    day: ParagraphStyle

    @property
    def leading(self) -> float:
        return self.body.leading


LEADING = 1.2  # the body's line height, as a multiple of the type size


@functools.cache
def styles_for(size: float) -> Styles:
    """The paragraph styles for one body size, built once per process and size."""
    register_fonts()
    # 1.2 times the size: DejaVu's letters take 1.16 of it, so lines never touch, and the eye
    # still finds the next line; the space between paragraphs and steps marks where one ends.
    leading = round(size * LEADING, 1)

    def style(name: str, **kw: Any) -> ParagraphStyle:
        base = {
            "fontName": REGULAR,
            "fontSize": size,
            "leading": leading,
            "textColor": INK,
            "alignment": TA_LEFT,
            "allowWidows": 0,
            "allowOrphans": 0,
        }
        return ParagraphStyle(f"{name}-{size:g}", **{**base, **kw})

    indent = round(size * 1.7, 1)
    # Page headers and footers: a little smaller than the body, never below 12 pt.
    small = max(12.0, size - 2)
    return Styles(
        size=size,
        body=style("body", spaceAfter=size * 0.3),
        strong=style("strong", fontName=BOLD, spaceAfter=size * 0.3),
        title=style(
            "title", fontName=BOLD, fontSize=round(size * 1.6, 1), leading=round(size * 1.95, 1), spaceAfter=size * 0.3
        ),
        heading=style(
            "heading",
            fontName=BOLD,
            fontSize=round(size * 1.3, 1),
            leading=round(size * 1.6, 1),
            spaceBefore=size * 0.9,
            spaceAfter=size * 0.35,
            keepWithNext=1,
        ),
        exercise=style(
            "exercise",
            fontName=BOLD,
            fontSize=round(size * 1.3, 1),
            leading=round(size * 1.6, 1),
            # Its line's leading already holds room under the name (0.3 made every block 1.4 pt
            # taller: handouts/block.py PART_GAP).
            spaceAfter=size * 0.2,
        ),
        step=style(
            "step", leftIndent=indent, bulletIndent=0, bulletFontName=BOLD, bulletFontSize=size, spaceAfter=size * 0.12
        ),
        bullet=style(
            "bullet",
            leftIndent=round(size * 1.1, 1),
            bulletIndent=0,
            bulletFontName=BOLD,
            bulletFontSize=size,
            spaceAfter=size * 0.2,
        ),
        label=style("label", fontName=BOLD),
        small=style("small", fontSize=small, leading=round(small * 1.25, 1)),
        small_strong=style("small-strong", fontName=BOLD, fontSize=small, leading=round(small * 1.25, 1)),
        cell=style("cell", leading=round(size * 1.2, 1)),
        day=style("day", leading=round(size * 1.2, 1), alignment=TA_CENTER),
    )


@functools.cache
def exercises_heading(styles: Styles) -> ParagraphStyle:
    """The exercises' heading, under the front page's last line: the heading's own size and
    weight set it apart, with less space above than a heading after a block."""
    return styles.heading.clone(f"exercises-heading-{styles.size:g}", spaceBefore=styles.size * 0.5)


@functools.cache
def close_bullet(styles: Styles) -> ParagraphStyle:
    """A tip with no space under it but the line's own: the bullets still mark each tip."""
    return styles.bullet.clone(f"close-bullet-{styles.size:g}", spaceAfter=0)
