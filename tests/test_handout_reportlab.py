"""The handout's speed layer held to plain reportlab: each trick prints what reportlab would.

The handout keeps the few tricks that pay for themselves (docs/architecture.md gives their
figures): drawings recorded once and replayed, the page footer written once a document, font
objects formatted once, paragraphs parsed and broken once, pages held for "Page N of M", page
streams without ASCII85. Each test turns one off and compares: the same bytes, or where the
bytes cannot match (glyphs given their codes in another order), the same pixels on every page.
A trick that drifts from reportlab (a new reportlab version, a change here) fails one of these.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader
from reportlab import rl_config, rl_settings
from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from planner.handouts import HandoutOptions, build, build_handout, fontcache, forget_drawings, pages, pictures
from planner.handouts.para import Para
from tests.handout_world import NOW, TWELVE, make_world, pages_text

LETTER = HandoutOptions(page_size="letter")
SIX = TWELVE[:6]

needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed")


def handout(db, program, **kw) -> bytes:  # noqa: ANN001
    return build_handout(db, program, NOW, options=LETTER, **kw)


def pixels(pdf: bytes, folder: Path, name: str) -> list[Image.Image]:
    """Every page as rendered by poppler at 50 dpi."""
    (folder / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(folder / f"{name}.pdf"), str(folder / name)], check=True)
    return [Image.open(png).convert("RGB") for png in sorted(folder.glob(f"{name}-*.png"))]


def same_pixels(quick: bytes, plain: bytes, folder: Path) -> None:
    ours, theirs = pixels(quick, folder, "quick"), pixels(plain, folder, "plain")
    assert len(ours) == len(theirs) > 1
    for number, (a, b) in enumerate(zip(ours, theirs, strict=True), start=1):
        assert ImageChops.difference(a, b).getbbox() is None, f"page {number} differs"


def page_objects(pdf: bytes) -> list[bytes]:
    """Each page dictionary as written in the file: MediaBox, Resources, Contents and the rest."""
    return re.findall(rb"\d+ 0 obj\n(<<\n/Contents .*?/Type /Page\n>>)", pdf, re.S)


# A name and a note in each script, where reportlab's own font objects and ours must agree.
SCRIPTS = [
    ("latin", "José Ñúñez-Çelik", "Gardez le dos droit, s'il vous plaît."),
    ("greek", "Γιώργος Παπαδόπουλος", "Για την Ελένη: αργά."),
    ("cyrillic", "Иван Петров", "Медленно, без боли."),
    ("chinese", "王秀英", "慢慢做，不要痛。"),
    ("hebrew", "שרה כהן", "לאט ובלי כאב."),
    ("arabic", "سارة أحمد", "ببطء ومن غير ألم."),
]


@pytest.mark.parametrize("name, note", [s[1:] for s in SCRIPTS], ids=[s[0] for s in SCRIPTS])
def test_font_objects_made_once_are_the_bytes_reportlab_writes(catalog_db, monkeypatch, name, note):
    program = make_world(catalog_db, patient_name=name, slugs=TWELVE[:2], notes={0: note})
    quick = handout(catalog_db, program)
    monkeypatch.setattr(fontcache.SubsetCachingTTFont, "addObjects", TTFont.addObjects)
    # reportlab writes a character beyond U+FFFF (a shaped glyph's code) as five hex digits,
    # which readers reject; ours as PDF asks (fontcache.to_unicode_cmap). All else is reportlab's.
    monkeypatch.setattr(ttfonts, "makeToUnicodeCMap", fontcache.to_unicode_cmap)
    assert handout(catalog_db, program) == quick


def test_page_streams_are_reportlabs_with_ascii85_off(catalog_db, monkeypatch):
    program = make_world(catalog_db, slugs=SIX)
    quick = handout(catalog_db, program)
    assert b"/ASCII85Decode" not in quick
    monkeypatch.setattr(pages, "_flate_only", lambda page: None)
    monkeypatch.setattr(rl_config, "useA85", 0)
    assert handout(catalog_db, program) == quick


def test_every_page_dictionary_is_reportlabs_and_draws_the_same(catalog_db, monkeypatch):
    program = make_world(catalog_db, slugs=SIX)
    quick = handout(catalog_db, program)
    monkeypatch.setattr(pages, "_flate_only", lambda page: None)
    plain = handout(catalog_db, program)  # reportlab's defaults: ASCII85 text, then compressed
    assert b"/ASCII85Decode" in plain
    assert page_objects(quick) == page_objects(plain)
    assert len(page_objects(quick)) == len(PdfReader(io.BytesIO(quick)).pages) > 1
    for ours, theirs in zip(PdfReader(io.BytesIO(quick)).pages, PdfReader(io.BytesIO(plain)).pages, strict=True):
        assert ours.get_contents().get_data() == theirs.get_contents().get_data()


def test_making_a_handout_leaves_every_reportlab_setting_at_its_default(catalog_db):
    """A process that makes other PDFs (a report, an invoice) gets reportlab as shipped."""
    program = make_world(catalog_db, slugs=TWELVE[:1])
    handout(catalog_db, program)
    settings = (
        "from reportlab import rl_config, rl_settings; print({n: getattr(rl_config, n) for n in rl_settings.__all__})"
    )
    shipped = subprocess.run([sys.executable, "-c", settings], capture_output=True, text=True, check=True).stdout
    assert repr({name: getattr(rl_config, name) for name in rl_settings.__all__}) == shipped.strip()
    out = io.BytesIO()
    other = Canvas(out)
    other.drawString(72, 72, "Another PDF of the same process")
    other.save()
    assert b"/ASCII85Decode" in out.getvalue()


@needs_poppler
@pytest.mark.parametrize("name", ["Rosa Handout", "Γιώργος Παπαδόπουλος"])
def test_replayed_drawings_print_what_plain_reportlab_prints(catalog_db, monkeypatch, tmp_path, name):
    program = make_world(catalog_db, patient_name=name, slugs=SIX)
    other = make_world(catalog_db, patient_name="Other Patient", clinic_name="Other Clinic", slugs=SIX)
    forget_drawings()
    handout(catalog_db, other)  # its blocks are recorded...
    quick = handout(catalog_db, program)  # ...and replayed here
    # Plain: no fonts named first, so nothing is recorded; every flowable draws itself.
    monkeypatch.setattr(pages, "prepare", lambda canvas: None)
    plain = handout(catalog_db, program)
    assert plain != quick  # glyph codes in another order: the pixels must agree
    assert pages_text(quick) == pages_text(plain)
    same_pixels(quick, plain, tmp_path)


@needs_poppler
def test_pictures_recorded_once_print_what_reportlab_draws(catalog_db, monkeypatch, tmp_path):
    program = make_world(catalog_db, slugs=SIX, large_print=True)  # labels enlarged, too
    forget_drawings()
    quick = handout(catalog_db, program)
    monkeypatch.setattr(pictures, "_recording", lambda *args: None)  # each picture a Drawing, drawn by reportlab
    forget_drawings()  # no block replayed: every picture drawn
    plain = handout(catalog_db, program)
    assert plain != quick
    same_pixels(quick, plain, tmp_path)


def test_the_footer_written_once_a_document_is_the_bytes_drawn_on_each_page(catalog_db, monkeypatch):
    program = make_world(catalog_db, slugs=SIX)
    quick = handout(catalog_db, program)
    draw = pages.PageDecor.draw
    monkeypatch.setattr(
        pages.PageDecor, "draw", lambda decor, canvas, page, total, drawn=None: draw(decor, canvas, page, total)
    )
    assert handout(catalog_db, program) == quick


class KnownTotal(Canvas):
    """Plain reportlab's other way to "Page N of M": lay out twice, the second time with M
    known, and decorate each page as it ends."""

    def __init__(self, *args, decor: pages.PageDecor, total: int, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        stamp = pages._pdf_date(decor.moment)
        self.setDateFormatter(lambda *_: stamp)
        pages.prepare(self)
        self.decor, self.total = decor, total

    def showPage(self) -> None:  # noqa: N802
        self.decor.draw(self, self.getPageNumber(), self.total)
        super().showPage()

    def save(self) -> None:
        for page in self._doc.Pages.pages:
            pages._flate_only(page)
        super().save()


def test_pages_held_for_the_page_count_are_the_bytes_of_a_second_pass(catalog_db, monkeypatch):
    program = make_world(catalog_db, slugs=TWELVE)
    quick = handout(catalog_db, program)
    total = len(PdfReader(io.BytesIO(quick)).pages)
    monkeypatch.setattr(build, "canvas_maker", lambda decor: partial(KnownTotal, decor=decor, total=total))
    assert handout(catalog_db, program) == quick


def test_paragraphs_parsed_and_broken_once_are_the_bytes_of_plain_paragraphs(catalog_db, monkeypatch):
    long_note = "\n".join(f"Line {n} of a long note: go slowly, stop if it hurts." for n in range(18))
    program = make_world(catalog_db, slugs=SIX, notes={1: long_note, 2: "Keep it slow and small."})
    forget_drawings()
    quick = handout(catalog_db, program)
    monkeypatch.setattr("planner.handouts.para._parsed", lambda text, style: Paragraph(text, style).frags)
    monkeypatch.setattr(Para, "wrap", Paragraph.wrap)
    forget_drawings()
    assert handout(catalog_db, program) == quick


def _line_limits(markup: str, style) -> list[float]:  # noqa: ANN001
    """The widths at which `markup` in `style` just fits on one line, and where its spaces
    shrink to fit: where a count of lines would go wrong first."""
    one = Paragraph(markup, style)
    one.wrap(1e5, 1e6)
    natural = one.blPara.lines[0].maxWidth - one.blPara.lines[0].extraSpace
    edge = natural + style.leftIndent + style.firstLineIndent + style.rightIndent
    shrunk = edge - markup.count(" ") * 0.2 * style.spaceShrinkage * style.fontSize
    return [w + d for w in (edge, shrunk) for d in (-1e-7, 0.0, 1e-7, -0.01, 0.01)]


def test_lines_counted_without_breaking_them_are_the_lines_reportlab_breaks():
    """A note's height at the widths its block is weighed at (Para.height_at, block's shape of a
    note) is counted, not broken: at every width, the height reportlab's own Paragraph wraps to."""
    from planner.handouts import para
    from planner.handouts.styles import styles_for
    from planner.handouts.text import bold, para_text

    words = re.split(
        " ",
        "Hágalo despacio y sin dolor. Si siente un tirón en el cuello, pare, descanse un minuto y vuelva a "
        "empezar con un movimiento más pequeño. Keep your shoulders low and your chin level while you do "
        "this; breathe out as you move. W MMMMMMMMMMMM iiiiii supercalifragilisticexpialidocious 12 × 3",
    )
    counted = compared = 0
    for size in (14.0, 18.0):
        styles = styles_for(size)
        for style in (styles.body, styles.step):
            for n in (1, 2, 3, 5, 8, 13, 21, 34, 55):
                text = " ".join(words[(n * k) % len(words)] for k in range(n))
                for label in ("Nota de su terapeuta:", "Note from your therapist:"):
                    markup = f"{bold(para_text(label))} {para_text(text)}"
                    widths = [30 + 3.7 * k for k in range(160)] + _line_limits(markup, style)
                    for width in widths:
                        expected = Paragraph(markup, style).wrap(width, 1e6)[1]
                        assert Para(markup, style).height_at(width) == expected, (markup, style.name, width)
                        counted += para._counted_lines(Para(markup, style), width) is not None
                        compared += 1
    # Counted, not left to reportlab, at most widths (else the count saves nothing).
    assert counted > compared * 0.8


@pytest.mark.parametrize("large_print", [False, True])
def test_blocks_around_a_note_measured_once_per_shape_print_what_laying_them_out_prints(
    catalog_db, monkeypatch, large_print
):
    """An exercise with its note inside is laid out once per shape of note (block._live_drawing):
    the next patient's note of that shape takes its size, and its block is drawn from the
    recording around the note. The bytes are those of the block laid out for that note."""
    from planner.handouts import block
    from planner.handouts.stacking import Kept

    short = {n: f"Go slowly, patient {n}." for n in range(6)}
    longer = {n: "Stop if it hurts. " * (n + 2) for n in range(6)}
    first = make_world(catalog_db, slugs=SIX, notes=short, large_print=large_print)
    second = make_world(catalog_db, "Ana Handout", large_print, "Clinic Two", SIX, short)
    third = make_world(catalog_db, "Eva Handout", large_print, "Clinic Three", SIX, longer)
    forget_drawings()
    handout(catalog_db, first)  # its noted blocks are laid out...
    laid_out = []
    head = block._head
    monkeypatch.setattr(block, "_head", lambda *a, **kw: laid_out.append(a[0].slug) or head(*a, **kw))
    quick = [handout(catalog_db, second)]  # ...and measured by shape here
    assert laid_out == []  # the second's notes have the first's shapes: no block laid out again
    quick.append(handout(catalog_db, third))  # notes of other shapes: laid out
    assert laid_out
    # Each noted block laid out for its own note, as before block._live_drawing.
    monkeypatch.setattr(
        block, "_live_drawing", lambda key, width, page_room, make, live: Kept(make(), page_room, key, live=[live])
    )
    forget_drawings()
    assert [handout(catalog_db, second), handout(catalog_db, third)] == quick
