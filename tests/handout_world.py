"""A clinic, a therapist, a patient and a 12-exercise program, and ways to read a handout back."""

from __future__ import annotations

import ctypes
import dataclasses
import functools
import io
import unicodedata
from datetime import UTC, date, datetime

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pypdf import PdfReader

from planner.catalog.figure.compose import END, PANELS, START, WIDTH, labels_in
from planner.handouts import pdf_cache, words
from planner.handouts.build import render
from planner.handouts.content import HandoutContent
from planner.handouts.styles import HandoutOptions
from planner.i18n import translations
from planner.services import accounts, advice, program_items, programs
from planner.services.catalog import get_exercise
from planner.services.patterns import exercise_spec
from tests.factories import make_clinic, make_patient

NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)
# The complete languages (planner/languages.py), the ones a handout is printed in.
HANDOUT_LANGUAGES = ("en", "es")

# Twelve real catalog exercises, the longest ones among them (seven steps, three cautions, a
# two-line name), so a block that could break across pages is in the program.
TWELVE = [
    "chin-tuck-sitting",
    "neck-turn-sitting",
    "shoulder-rolls",
    "body-scan-lying",
    "effortful-swallow",
    "long-easy-ah",
    "prone-arm-lift-sides",
    "ankle-circles",
    "wall-angels",
    "bridge",
    "heel-raise",
    "finger-spread",
]
# Trial 18's balance program (a fresh reviewer's, as a clinic would make it): standing work at a
# counter, from sitting down and up to stepping up.
BALANCE = [
    "sit-to-stand",
    "heel-raise",
    "weight-shift-standing",
    "feet-together-stand-counter",
    "tandem-stance-counter",
    "single-leg-stand-chair",
    "heel-toe-walk-counter",
    "step-over-line",
    "mini-squat-counter",
    "walking-tall",
    "arm-swing-walking",
    "step-up",
]
NOTES = {
    0: "Do the left side only: that is where the pull is.",
    3: "Use the blue pillow under your knees.\nIf you fall asleep, that is fine.",
}


def make_world(
    db,
    patient_name="Rosa Handout",
    large_print=False,
    clinic_name="Handout Clinic",
    slugs=TWELVE,
    notes=None,
    title="Neck and posture program",
):  # noqa: ANN001, ANN201
    """A program of the given exercises for a new patient, with goals, advice and a therapist."""
    clinic = make_clinic(db, clinic_name)
    clinic.email = "desk@handout.example"
    therapist = accounts.create_user(
        db, clinic, email=f"pt@{clinic.id}.example", name="Dana Ortiz", password="a long test password"
    )
    patient = make_patient(db, clinic, patient_name, large_print=large_print)
    details = programs.ProgramDetails(
        title=title,
        start_date=date(2026, 11, 21),
        reeval_interval_days=42,
        goals="Turn your head to check traffic when you drive.",
        frequency="Morning and evening, after you wash.",
        visit_plan="Every two weeks for three months.",
        advice=["Set your screen straight ahead, at eye level."],
        advice_text="Ask your family to help you set up your desk.",
    )
    program = programs.create_program(db, patient, details, therapist.id, NOW)
    notes = NOTES if notes is None else notes
    for n, slug in enumerate(slugs):
        exercise = get_exercise(db, clinic.id, slug)
        wanted = "left" if n == 0 else "both"
        spec = exercise_spec(exercise)
        program_items.add_item(
            db,
            program,
            exercise,
            None,
            NOW,
            # an exercise takes only the sides it has: a direction-specific one its movement's (none:
            # one way only), a symmetric one both or none
            side=wanted if wanted in spec.sides else "both" if "both" in spec.sides else "",
            note=notes.get(n, ""),
        )
    db.commit()
    return program


def made_in_the_app(db, patient_name, title, slugs, side, note="", large_print=False, **details):  # noqa: ANN001, ANN003, ANN201
    """A program as a reviewer made it in the app at the demo clinic (its address, phone and
    email): a new patient, the program's title alone (no goals, visits or advice) or with the
    other `details` given (ProgramDetails' fields: goals, visit_plan…), the exercises `slugs` in
    order, each set to `side` where it takes that side (else no side), each with `note`."""
    clinic = make_clinic(db, "Demo Physio Clinic")
    clinic.address, clinic.phone = "12 Harbour Road, Springfield", "555-0142"
    clinic.email = "front-desk@demo-physio.example"
    therapist = accounts.create_user(
        db, clinic, email=f"pt@{clinic.id}.demo-physio.example", name="Dana Ortiz", password="a long test password"
    )
    patient = make_patient(db, clinic, patient_name, large_print=large_print)
    program_details = programs.ProgramDetails(title=title, start_date=date(2026, 11, 21), **details)
    program = programs.create_program(db, patient, program_details, therapist.id, NOW)
    for slug in slugs:
        exercise = get_exercise(db, clinic.id, slug)
        taken = side if side in exercise_spec(exercise).sides else ""
        program_items.add_item(db, program, exercise, None, NOW, side=taken, note=note)
    db.commit()
    return program


_RENDERED: dict[bytes, bytes] = {}


def rendered(content: HandoutContent, options: HandoutOptions) -> bytes:
    """render(content, options), laid out once per test process for equal inputs.

    render is reproducible (same content and options, same bytes; pdf_cache.key digests them
    both), so a test that reads one handout in several ways, or a table of cases that meets the
    same handout again, asks for it as often as it likes. Not the product's pdf_cache: tests of
    that cache count and clear it.
    """
    digest = pdf_cache.key(content, options)
    if digest not in _RENDERED:
        _RENDERED[digest] = render(content, options)
    return _RENDERED[digest]


def pages_text(pdf: bytes) -> list[str]:
    """Each page's text with all runs of white space made single spaces."""
    return list(_pages_joined(pdf))


@functools.lru_cache(maxsize=512)
def _pages_joined(pdf: bytes) -> tuple[str, ...]:
    return tuple(" ".join(text.split()) for text in _page_texts(pdf))


def page_count(pdf: bytes) -> int:
    """How many pages the PDF has (PDFium): no page's text is read."""
    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def pages_by_tips(content: HandoutContent, language: str, counts: tuple[int, ...] = (0, 1, 3)) -> dict[int, int]:
    """The pages `content` takes with the first `count` built-in tips in `language`, by count:
    to weigh a program with no tips against the same with some."""
    tips = [translations(language).gettext(line) for line in advice.BUILT_IN]
    options = HandoutOptions(languages=HANDOUT_LANGUAGES)
    return {count: page_count(rendered(dataclasses.replace(content, advice=tips[:count]), options)) for count in counts}


def ends_with_the_sheet_alone(pdf: bytes, language: str) -> bool:
    """Whether the last page holds the tick sheet alone (with the QR code under it or not): its
    heading, or the heading of its rows carried on, is the page's first line, and nothing but
    the sheet follows it. A page more than the sheet needed, nearly empty, nothing to read on it.
    """
    # The heading may wrap (large print: "Marque una casilla cada vez que haga un" / "ejercicio").
    lines = " ".join(" ".join(page_lines(pdf)[-1]).split())
    return lines.startswith(words.of(language).headings["tick_sheet"])


def page_lines(pdf: bytes) -> list[list[str]]:
    """Each page's lines of text, in the order drawn (blank lines left out).

    PDFium's lines: what shares a baseline (a label and its value, the tick sheet's day names)
    is one line, where pypdf reads one line a drawn run; page by page the same characters in
    the same order. A page with right-to-left text is read by pypdf (see _page_texts).
    """
    return [[line for line in text.splitlines() if line.strip()] for text in _page_texts(pdf)]


@functools.lru_cache(maxsize=512)
def _page_texts(pdf: bytes) -> tuple[str, ...]:
    # Read once per PDF; each caller gets a list of its own. PDFium (pdfplumber's own renderer)
    # reads a page's text in the order it is drawn, as pypdf's extract_text does, in a twelfth of
    # pypdf's time (a handout's pictures and QR code are thousands of drawing operators, which
    # pypdf parses in Python); once white space is made single spaces the two read the 677
    # handouts the tests make alike, but for right-to-left text, which PDFium puts back in its
    # logical order (and Arabic joined forms back to plain letters): a page with any is read by
    # pypdf, so the tests read such text as drawn.
    doc, reader = pdfium.PdfDocument(pdf), None
    try:
        texts = []
        for number, page in enumerate(doc):
            text_page = page.get_textpage()
            text = text_page.get_text_range()
            text_page.close()
            page.close()
            if any(unicodedata.bidirectional(c) in ("R", "AL") for c in text):
                reader = reader or PdfReader(io.BytesIO(pdf))
                text = reader.pages[number].extract_text() or ""
            texts.append(text)
        return tuple(texts)
    finally:
        doc.close()


def flowing_words(pdf: bytes) -> tuple[tuple[dict, ...], ...]:
    """Each page's words, in the order drawn (a paragraph's words in their order, whatever is
    beside it), each with its text, font size, left and right edges ("x0", "x1": the loose
    character boxes, the advance as pdfplumber's) and top (pt from the page's top), read once
    per PDF with PDFium (the same words as pdfplumber's text flow, in a twelfth of the time; the
    pictures' widths from their labels the same to 0.05 pt over 192 pictures in 40 handouts,
    session 19)."""
    return _flowing_words(pdf)


@functools.lru_cache(maxsize=64)
def _flowing_words(pdf: bytes) -> tuple[tuple[dict, ...], ...]:
    doc = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for page in doc:
            height, text_page = page.get_height(), page.get_textpage()
            words: list[dict] = []
            word: dict | None = None
            text = text_page.get_text_range()
            assert len(text) == text_page.count_chars()  # a character for each index
            for i, char in enumerate(text):
                if char.isspace():
                    word = None
                    continue
                if word is None:
                    left, _, _, top = text_page.get_charbox(i, loose=True)
                    size = pdfium_c.FPDFText_GetFontSize(text_page.raw, i)
                    word = {"text": "", "x0": left, "top": height - top, "size": size}
                    words.append(word)
                word["text"] += char
                word["x1"] = text_page.get_charbox(i, loose=True)[2]
            text_page.close()
            page.close()
            pages.append(tuple(words))
        return tuple(pages)
    finally:
        doc.close()


def pictures(pdf: bytes) -> list[tuple[float, float]]:
    """(width in points, label size in points) of every picture, page by page: found by its
    start and end labels, in any language a handout is offered in ("Start"/"End",
    "Inicio"/"Final"), on one line, the end label the nearest to the right; their centres stand a
    fixed share of the picture's width apart (the figure's PANELS)."""
    share = ((PANELS[1][0] + PANELS[1][2]) / 2 - (PANELS[0][0] + PANELS[0][2]) / 2) / WIDTH
    said = [labels_in(language) for language in HANDOUT_LANGUAGES]
    starts_said, ends_said = {s[START] for s in said}, {s[END] for s in said}
    found = []
    for on_page in flowing_words(pdf):
        ends = [w for w in on_page if w["text"] in ends_said]
        for start in (w for w in on_page if w["text"] in starts_said):
            # A picture's labels stand on one line: not a "Start" in a step or a tip.
            beside = [e for e in ends if abs(e["top"] - start["top"]) < 1 and e["x0"] > start["x1"]]
            if beside:
                end = min(beside, key=lambda e: e["x0"] - start["x1"])
                gap = (end["x0"] + end["x1"]) / 2 - (start["x0"] + start["x1"]) / 2
                found.append((gap / share, min(start["size"], end["size"])))
    return found


def picture_widths(pdf: bytes) -> list[float]:
    """Each picture's width in points (pictures), page by page."""
    return [width for width, _ in pictures(pdf)]


def chars(pdf: bytes) -> list[dict]:
    """Every character drawn, with its page number, font name and size (pdfplumber: its text as
    drawn, which test_handout_scripts reads for right-to-left and joined scripts)."""
    return list(_chars(pdf))


@functools.lru_cache(maxsize=32)
def _chars(pdf: bytes) -> tuple[dict, ...]:
    # Read once per PDF: a test reads one handout's characters for their sizes, fonts and text.
    found = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages, start=1):
            found += [{**c, "page": number} for c in page.chars]
    return tuple(found)


def glyphs(pdf: bytes) -> list[dict]:
    """Every character drawn, in the order drawn, with its page number, font name, size and place
    (PDFium), in a tenth of pdfplumber's time.

    Each a dict with "text", "fontname" (without pdfplumber's subset prefix "AAAAAA+"), "size",
    "page" (from 1), "x0" (where the character starts, pt from the page's left) and "top" (pt
    from the page's top, as pdfplumber's: the font's descent and size above the baseline). Over
    the 39 handouts test_handouts and test_preview_qr_room read, the same characters as
    pdfplumber's in the same order, page by page (but for a few spaces between runs, which PDFium
    leaves out), in the same fonts, at the same sizes but in the preview's slanted notice
    (pdfplumber gives each rotated letter's height there, PDFium the font's size). Over the
    287,522 upright characters of 40 handouts (session 20) "top" is pdfplumber's to 0.007 pt and
    "x0" to 0.62 pt (0.001 pt but in spaced-out bold). Left-to-right scripts: PDFium gives
    right-to-left letters in their logical order, not as drawn.
    """
    return list(_glyphs(pdf))


@functools.lru_cache(maxsize=32)
def _glyphs(pdf: bytes) -> tuple[dict, ...]:
    return tuple(g for number in range(page_count(pdf)) for g in _glyphs_on(pdf, number))


@functools.lru_cache(maxsize=64)
def _glyphs_on(pdf: bytes, number: int) -> tuple[dict, ...]:
    found = []
    name, flags = ctypes.create_string_buffer(256), ctypes.c_int()
    x, y, descent = ctypes.c_double(), ctypes.c_double(), ctypes.c_float()
    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[number]
        height, text_page = page.get_height(), page.get_textpage()
        handle = text_page.raw
        for index in range(pdfium_c.FPDFText_CountChars(handle)):
            if pdfium_c.FPDFText_IsGenerated(handle, index):  # a space or line end PDFium adds
                continue
            code = pdfium_c.FPDFText_GetUnicode(handle, index)
            pdfium_c.FPDFText_GetFontInfo(handle, index, name, len(name), ctypes.byref(flags))
            size = pdfium_c.FPDFText_GetFontSize(handle, index)
            pdfium_c.FPDFText_GetCharOrigin(handle, index, x, y)
            font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(handle, index))
            pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(size), descent)
            found.append(
                {
                    # PDFium marks a hyphen that ends a line as U+0002: the "-" drawn.
                    "text": "-" if code == 2 else chr(code),
                    "fontname": name.value.decode(),
                    "size": size,
                    "page": number + 1,
                    "x0": x.value,
                    "top": height - y.value - descent.value - size,
                }
            )
        text_page.close()
        page.close()
    finally:
        doc.close()
    return tuple(found)


def tops_of(pdf: bytes, page: int, said: str) -> list[float]:
    """The top (pt from the page's top, as pdfplumber's) of each place `said` is drawn on `page`
    (from 0), in the order drawn: its characters in a row (glyphs), the highest one's top."""
    on_page = _glyphs_on(pdf, page)
    text = "".join(g["text"] for g in on_page)
    found, at = [], text.find(said)
    while at >= 0:
        found.append(min(g["top"] for g in on_page[at : at + len(said)]))
        at = text.find(said, at + 1)
    return found


def rects(pdf: bytes, page: int) -> tuple[float, list[dict]]:
    """The width of `page` (from 0) and its rectangles drawn (PDFium: each closed path of four
    corners at right angles), with "x0", "x1", "top", "bottom" (pt from the page's top), "width"
    and "height".

    The QR code's modules are one path of many rectangles, which PDFium's page objects bound as
    one: read here one by one, as pdfplumber's rects. Over the 285 handouts test_handout_front_page,
    test_handout_front_slack and test_handout_sheet_breaks make (140 with a QR code on page 1),
    the same modules as pdfplumber's on page 1, their count and outer edges to 0.001 pt, in a
    third of its time (session 20)."""
    width, found = _rects(pdf, page)
    return width, list(found)


@functools.lru_cache(maxsize=32)
def _rects(pdf: bytes, number: int) -> tuple[float, tuple[dict, ...]]:
    x, y = ctypes.c_float(), ctypes.c_float()
    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[number]
        width, height = page.get_size()
        found: list[dict] = []
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=15):
            m = obj.get_matrix()
            corners: list[tuple[float, float]] = []
            for index in range(pdfium_c.FPDFPath_CountSegments(obj.raw) + 1):
                segment = pdfium_c.FPDFPath_GetPathSegment(obj.raw, index)  # None past the end
                if not segment or pdfium_c.FPDFPathSegment_GetType(segment) == pdfium_c.FPDF_SEGMENT_MOVETO:
                    found += _rectangle(corners, height)
                    corners = []
                if segment:
                    pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
                    corners.append((m.a * x.value + m.c * y.value + m.e, m.b * x.value + m.d * y.value + m.f))
        page.close()
        return width, tuple(found)
    finally:
        doc.close()


def _rectangle(corners: list[tuple[float, float]], height: float) -> list[dict]:
    """The rectangle four corners (a fifth back at the first) make, where their sides are upright."""
    if len(corners) == 5 and corners[4] == corners[0]:
        corners = corners[:4]
    xs, ys = [round(c[0], 3) for c in corners], [round(c[1], 3) for c in corners]
    if len(corners) != 4 or len(set(xs)) != 2 or len(set(ys)) != 2:
        return []
    left, right = min(c[0] for c in corners), max(c[0] for c in corners)
    low, high = min(c[1] for c in corners), max(c[1] for c in corners)
    return [
        {
            "x0": left,
            "x1": right,
            "top": height - high,
            "bottom": height - low,
            "width": right - left,
            "height": high - low,
        }
    ]


def font_names(pdf: bytes) -> set[str]:
    """The base names of every font the PDF's pages use (subset prefixes removed)."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
    return names
