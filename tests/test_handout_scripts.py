"""Every script the pages show prints on the handout: in a font that has it, in order, shaped.

Read back from the real PDF: pdfplumber gives each drawn character with its font and its
position, so right-to-left order is the order of x positions.
"""

from __future__ import annotations

import subprocess
import sys
import unicodedata

import pytest
from bidi import get_display
from reportlab.pdfbase import pdfmetrics

from planner.config import ROOT
from planner.handouts import STAND_IN, forget_drawings, replay, unprintable_fields
from planner.handouts.content import handout_content
from planner.handouts.fallback import FALLBACKS, _characters
from planner.handouts.shaping import _visual_spans
from planner.handouts.styles import FILES, HandoutOptions, register_fonts
from planner.models import Clinic
from planner.services.catalog import get_exercise
from tests.conftest import login
from tests.factories import make_user
from tests.handout_world import NOW, TWELVE, chars, font_names, make_world, pages_text
from tests.test_handouts import build

# (script, a patient's name, a note, the font that prints it, left to right as printed?)
SCRIPTS = [
    ("Chinese", "李伟 (Li Wei)", "每天做两次，慢慢来。", "WenQuanYiMicroHei", True),
    # U+7000 and up are in the face's second file (fonts/README.md): 黄 and 静 there, 怡 in the first.
    ("Chinese, both files", "黄静怡", "慢慢地转头。", "WenQuanYiMicroHei", True),
    ("Japanese", "さくら ヤマダ", "ゆっくり動かしてください。", "WenQuanYiMicroHei", True),
    ("Korean", "김민지", "하루에 두 번 천천히 하세요.", "WenQuanYiMicroHei", True),
    ("Hebrew", "שרה כהן", "עשי את התרגיל בבוקר ובערב.", "NotoSansHebrew", False),
    ("Arabic", "سارة أحمد", "كرري هذا التمرين كل يوم.", "NotoSansArabic", False),
    ("Devanagari", "मीना यादव", "यह व्यायाम हर दिन करें।", "NotoSansDevanagari", True),
    ("Greek", "Γιώργος Παπαδόπουλος", "Αργά και ήρεμα.", "DejaVuSansCondensed", True),
    ("Cyrillic", "Анна Кузнецова", "Медленно и спокойно.", "DejaVuSansCondensed", True),
    ("emoji", "Rosa 🧘", "Well done 💪 👍🏽", "NotoEmoji", True),
]


def letters(text: str) -> list[str]:
    """The letters of `text` as their own characters (Arabic joined forms back to plain letters)."""
    return [c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c)[0] in "LS"]


def drawn_in(drawn: list[dict], font: str, page: int | None = None) -> list[dict]:
    """Of the characters `drawn` (tests.handout_world.chars), those in `font` (either weight),
    left to right on each line, page by page."""
    found = [c for c in drawn if c["fontname"].split("+")[-1].startswith(font)]
    found = [c for c in found if page is None or c["page"] == page]
    return sorted(found, key=lambda c: (c["page"], -baseline(c), c["x0"]))


def baseline(char: dict) -> float:
    return round(char["matrix"][5], 1)


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large print"])
@pytest.mark.parametrize("script, name, note, font, ltr", SCRIPTS, ids=[s[0] for s in SCRIPTS])
def test_each_script_prints_in_a_font_that_has_it_on_every_page(catalog_db, script, name, note, font, ltr, large):
    program = make_world(catalog_db, patient_name=name, slugs=TWELVE[:2], notes={1: note}, large_print=large)
    pdf = build(catalog_db, program)
    assert any(name.startswith(font) for name in font_names(pdf))
    assert unprintable_fields(handout_content(catalog_db, program, NOW)) == []
    # No character is left to a font that lacks it: every one drawn in our fonts, no stand-in.
    assert STAND_IN not in " ".join(pages_text(pdf)).replace("Questions?", "")
    every = chars(pdf)
    for page in range(1, max(c["page"] for c in every) + 1):  # the front page, and every page's header
        drawn = [c["text"] for c in drawn_in(every, font, page)]
        expected = [c for c in letters(name) if not c.isascii()]  # "(Li Wei)", "Rosa" are DejaVu's
        found = [c for c in letters("".join(drawn)) if c in expected]
        if ltr:
            assert "".join(expected) in "".join(found), (page, found)
        else:  # right to left: the first letter is drawn rightmost
            assert "".join(reversed(expected)) in "".join(found), (page, found)


def test_arabic_letters_are_joined_and_hebrew_reads_right_to_left(catalog_db):
    program = make_world(catalog_db, patient_name="سارة", slugs=TWELVE[:1], notes={0: "שלום עולם, 12 פעמים."})
    every = chars(build(catalog_db, program))
    arabic = [c["text"] for c in drawn_in(every, "NotoSansArabic", page=1)]
    # سارة: seen joins the alef after it; the isolated letters would be U+0633 U+0627 U+0631 U+0629.
    forms = [unicodedata.name(c) for c in arabic]
    assert any("INITIAL FORM" in f for f in forms) and any("FINAL FORM" in f for f in forms), forms
    assert "".join(letters("".join(arabic))) == "ةراس"  # drawn right to left: read from the right
    first = drawn_in(every, "NotoSansHebrew")[0]
    on_line, page = baseline(first), first["page"]
    line = [c for c in every if c["page"] == page and baseline(c) == on_line and not c["text"].isspace()]
    shown = "".join(c["text"] for c in sorted(line, key=lambda c: c["x0"]))
    assert shown == ".םימעפ12,םלועםולש"  # read from the right; the number stays left to right


def test_devanagari_vowel_signs_are_reordered_and_conjuncts_formed(catalog_db):
    program = make_world(catalog_db, patient_name="Rosa", slugs=TWELVE[:1], notes={0: "कि क्ष"})
    texts = [c["text"] for c in drawn_in(chars(build(catalog_db, program)), "NotoSansDevanagari")]
    # कि: the vowel sign ि (typed after क) is drawn first, left of क (in a form sized to it).
    assert texts[0] != "क" and texts[1] == "क", texts
    # क्ष: three characters, one conjunct glyph (no virama drawn on its own).
    assert "\u094d" not in texts and "ष" not in texts


@pytest.mark.parametrize(
    "text",
    [
        "abc שלום עולם 12 def",
        "שלום abc עולם",
        "مرحبا 123 سارة",
        "Rosa سارة أحمد and שרה",
        "עשי 3 פעמים ביום, 10 דקות",
    ],
)
@pytest.mark.parametrize("rtl", [False, True])
def test_line_order_is_the_unicode_bidi_algorithms(text, rtl):
    """Runs in the order python-bidi's reference implementation displays the line."""
    spans = _visual_spans(text, [0] * len(text), rtl)
    shown = "".join(text[s:e][::-1] if back else text[s:e] for _, s, e, back in spans)
    assert shown == get_display(text, base_dir="R" if rtl else "L")


def test_a_drawing_in_a_fallback_font_is_drawn_each_time_and_bytes_stay_the_same(catalog_db):
    # A clinic's own exercise may have a name and steps in any script (here: a catalog row renamed).
    for slug in TWELVE[:2]:
        exercise = get_exercise(catalog_db, None, slug)
        exercise.name, exercise.steps = f"颈部 {exercise.name} تمرين", ["慢慢转头。", "ابق هادئا."]
    catalog_db.commit()
    program = make_world(catalog_db, patient_name="李伟", slugs=TWELVE[:3])
    other = make_world(catalog_db, patient_name="Other Patient", clinic_name="Other Clinic", slugs=TWELVE[:3])
    forget_drawings()
    fresh = build(catalog_db, program)
    forget_drawings()
    build(catalog_db, other)
    kept = repr(list(replay._RECORDED))
    assert "颈部" not in kept and "慢慢" not in kept  # named another font: never kept
    assert build(catalog_db, program) == fresh
    text = " ".join(pages_text(fresh))
    assert "1. 颈部" in text and "慢慢转头。" in text
    every = chars(fresh)
    sheet = [c["text"] for c in drawn_in(every, "WenQuanYiMicroHei", page=max(c["page"] for c in every))]
    assert "颈部" in "".join(sheet)  # the tick sheet names the exercise too


def test_a_latin_handout_loads_no_fallback_font(catalog_db):
    pdf = build(catalog_db, make_world(catalog_db, patient_name="Zoë Ångström", slugs=TWELVE[:2]))
    assert font_names(pdf) == {"DejaVuSansCondensed", "DejaVuSansCondensed-Bold"}


def test_the_program_page_s_check_of_latin_text_with_line_breaks_loads_no_fallback_font():
    """The builder checks every text of the handout (unprintable) on its first view: a line
    break in a Latin step is in no font, and looking it up loaded and registered every fallback
    font. In a fresh process, as a worker's first view of a program."""
    script = (
        "from reportlab.pdfbase import pdfmetrics\n"
        "from planner.handouts.fallback import FALLBACKS, unprintable\n"
        "assert unprintable('Zoë sits tall.\\nSlowly turn.\\r\\n\\tBreathe.\\x0b') == ''\n"
        "assert unprintable('Ra \\U00013000\\n') == '\\U00013000'\n"
        "print(sorted(f.name for f in FALLBACKS if f.name in pdfmetrics.getRegisteredFontNames()))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    # The hieroglyph is looked for in every fallback font, so those are registered; before it, none.
    assert done.stdout.strip() == str(sorted(f.name for f in FALLBACKS))
    latin = script.replace("assert unprintable('Ra \\U00013000\\n') == '\\U00013000'\n", "")
    done = subprocess.run([sys.executable, "-c", latin], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == "[]"


def test_the_check_reads_the_characters_the_printing_font_has():
    """unprintable reads DejaVu's character map with HarfBuzz, not through reportlab: the same
    characters as the registered fonts have, in both weights."""
    register_fonts()
    for name, file in FILES.items():
        assert _characters(file) == frozenset(pdfmetrics.getFont(name).face.charToGlyph)


UNPRINTABLE = "𓀀"  # an Egyptian hieroglyph: no handout font has it


def test_a_character_no_font_has_is_named_on_the_program_page_and_prints_as_a_stand_in(catalog_app, catalog_db):
    program = make_world(
        catalog_db, patient_name=f"Ra {UNPRINTABLE}", slugs=TWELVE[:2], notes={1: f"Draw {UNPRINTABLE}{UNPRINTABLE}"}
    )
    assert [(u.field, u.characters) for u in unprintable_fields(handout_content(catalog_db, program, NOW))] == [
        ("Patient name", UNPRINTABLE),
        ("Exercise 2: note", UNPRINTABLE),
    ]
    make_user(catalog_db, catalog_db.get(Clinic, program.clinic_id), email="warn@page.org")
    client = catalog_app.test_client()
    login(client, "warn@page.org")
    page = client.get(f"/programs/{program.id}").get_data(as_text=True)
    warning = page[page.index('id="unprintable"') :]
    assert "The handout cannot print some characters" in warning
    assert f"Patient name: {UNPRINTABLE} U+13000 (egyptian hieroglyph a001)" in warning
    assert "Exercise 2: note:" in warning
    text = " ".join(pages_text(build(catalog_db, program)))
    assert f"Ra {STAND_IN}" in text and f"Draw {STAND_IN}{STAND_IN}" in text
    assert UNPRINTABLE not in text


def test_a_program_that_prints_whole_shows_no_warning(catalog_app, catalog_db):
    program = make_world(catalog_db, patient_name="李伟 שרה 🧘", slugs=TWELVE[:1])
    make_user(catalog_db, catalog_db.get(Clinic, program.clinic_id), email="calm@page.org")
    client = catalog_app.test_client()
    login(client, "calm@page.org")
    assert 'id="unprintable"' not in client.get(f"/programs/{program.id}").get_data(as_text=True)


ARABIC_LONG = "محمد عبد الرحمن بن خالد بن عبد الله بن إبراهيم الحسيني العلوي القاهري الأزهري المصري الشريف الدمشقي"
HEBREW_LONG = "שרה רבקה כהן לוי בת אברהם יצחק יעקב משה אהרן מירושלים העתיקה ומתל אביב יפו ומחיפה ומבאר שבע"
SPANISH_LONG = "María de los Ángeles Fernández-Villanueva de la Santísima Trinidad y Ibáñez de Zúñiga y Montenegro"


@pytest.mark.parametrize(
    ("name", "title", "rtl_cut"),
    [
        (ARABIC_LONG, "Neck", True),
        (HEBREW_LONG, "Neck", True),
        (SPANISH_LONG, "Neck", False),
        # A right-to-left name whole, the English title after it cut: the cut is in the title.
        (
            "سارة أحمد",
            "Your home program for neck control and posture, with the exercises we chose together at the clinic on Tuesday",
            False,
        ),
    ],
    ids=["Arabic name cut", "Hebrew name cut", "Spanish name cut", "Arabic name, English title cut"],
)
def test_the_running_header_s_ellipsis_stands_where_the_cut_is_in_reading_order(catalog_db, name, title, rtl_cut):
    """trial19 F5: a long Arabic name cut short in the running header had its "…" at the right end,
    beside its first word, where an Arabic reader starts. The "…" goes where the reader ends: left
    of a right-to-left name cut short, right of a left-to-right one (read back by position: the
    header line's characters on page 2, left to right)."""
    program = make_world(catalog_db, patient_name=name, slugs=TWELVE[:4], title=title)
    drawn = [c for c in chars(build(catalog_db, program)) if c["page"] == 2 and not c["text"].isspace()]
    top = max(baseline(c) for c in drawn)  # the running header: the page's highest line
    line = sorted((c for c in drawn if baseline(c) == top), key=lambda c: c["x0"])
    texts = [c["text"] for c in line]
    # The contact ends the header line, whole (the foot takes one line at 14 pt): the owner's part
    # is what comes before it.
    contact = [*"Questions?Callus:555-0100"]
    assert texts[-len(contact) :] == contact, "".join(texts)
    texts = texts[: -len(contact)]
    assert texts.count("…") == 1, "".join(texts)
    assert texts.index("…") == (0 if rtl_cut else len(texts) - 1), "".join(texts)


# Goals a therapist typed in Arabic for an Arabic-speaking patient of an English handout: the
# second runs over a line even full width, in large print.
GOALS_AR = [
    "أن أقرأ الجريدة كل صباح ورأسي مستقيم",
    "أريد أن أمشي إلى السوق وأعود دون أن أتوقف لأريح رقبتي وأن أقرأ الجريدة كل صباح ورأسي مستقيم",
]


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_arabic_facts_read_in_one_direction_and_the_clinic_s_telephone_left_to_right(catalog_db, paper):
    """Front page facts in Arabic, as a patient reads them: goals longer than the facts' value
    column holds are set full width under the rows, led by "Your goals:", a paragraph a line
    (para.line_by_line). Each line took its own direction: the goals stood now at the left
    margin, now flush right, so a reader could not tell which line went on from which. They now
    read as the one paragraph: its label first, every line from the left margin, each goal's
    words right to left in order. And the clinic's address in Arabic made the letterhead right to
    left, which printed its telephone number "+962 6 555 1234" as "1234 555 6 962+"."""
    program = make_world(catalog_db, patient_name="سارة أحمد", slugs=TWELVE[:2], large_print=True)
    program.goals = "\n".join(GOALS_AR * 2)
    clinic = catalog_db.get_one(Clinic, program.patient.clinic_id)
    clinic.address, clinic.phone = "شارع الملك فيصل ١٢، عمّان", "+962 6 555 1234"
    catalog_db.commit()
    drawn = [c for c in chars(build(catalog_db, program, HandoutOptions(page_size=paper))) if c["page"] == 1]
    lines: dict[float, list[dict]] = {}
    for c in drawn:
        if not c["text"].isspace():
            lines.setdefault(baseline(c), []).append(c)
    rows = [sorted(lines[top], key=lambda c: c["x0"]) for top in sorted(lines, reverse=True)]

    def text(row: list[dict]) -> str:
        return "".join(c["text"] for c in row)

    label = next(n for n, row in enumerate(rows) if text(row).startswith("Yourgoals:"))
    margin = rows[label][0]["x0"]

    def arabic(row: list[dict]) -> list[dict]:
        return [c for c in row if c["fontname"].split("+")[-1].startswith("NotoSansArabic")]

    # The goals' lines: the label's and the lines in Arabic after it.
    goals = [row for row in rows[label + 1 :] if arabic(row)]
    assert len(goals) >= 5, [text(row) for row in goals]  # four goals, two of them over two lines
    assert [round(row[0]["x0"] - margin, 1) for row in goals] == [0.0] * len(goals)
    # In reading order (each line's letters read right to left, the lines top down): as typed.
    read = [letter for row in [rows[label], *goals] for letter in letters("".join(reversed(text(arabic(row)))))]
    assert read == letters("".join(GOALS_AR * 2))
    # The letterhead: the telephone number may go on to the next line, in its order.
    at = next(n for n, row in enumerate(rows) if "+962" in text(row))
    contact = text(rows[at]) + text(rows[at + 1])
    assert "+96265551234" in contact, contact
