"""The front page says whom the handout is for, whatever the name: a name as long as the form
allows (120 characters), in any script, is printed whole, in its row of the facts, on page 1.

Therapist trial 16 (F2): a 107-character name in large print left page 1 with the clinic, the
title and the QR code only; the facts (one table that could not break) went to page 2, whose
lower half stayed empty, a page more than the same handout with a short name.
"""

from __future__ import annotations

import dataclasses
import io
import re
import unicodedata

import pdfplumber
import pytest

from planner.handouts.content import HandoutContent, handout_content
from planner.handouts.styles import HandoutOptions, styles_for
from planner.handouts.words import of as words_of
from planner.models import Clinic
from planner.services import advice
from tests.factories import catalog_session
from tests.handout_world import NOW, make_world, page_count, pages_text, rendered

URL = "https://exercises.example.org/p/a-long-private-token"
# Names to cut at each length: Spanish compound surnames, and the trial's Chinese, Arabic and
# Greek patients' names, each longer than the form's 120 characters.
NAMES = {
    "latin": "María José Fernández-Núñez de la Peña Ibáñez-Güemes Sánchez-Villalobos de Castro y Olmedo "
    "Rodríguez-Zapatero Echeverría de Ayala",
    "chinese": "欧阳明轩司马慧琳诸葛云飞上官婉儿慕容雪晴东方明月令狐子涵皇甫思远" * 4,
    "arabic": "محمد عبد الرحمن الهاشمي بن عبد الله بن إبراهيم آل سعود الفلاني من مدينة جدة في الحجاز "
    "عبد العزيز بن فهد القحطاني الشمري العتيبي",
    "greek": "Γεώργιος Παπαδόπουλος-Κωνσταντινίδης του Αλεξάνδρου και της Ελένης Χατζηδημητρίου "
    "από τη Θεσσαλονίκη και τα Ιωάννινα της Ηπείρου",
}
LENGTHS = (1, 20, 60, 80, 107, 120)
SHORT = 20  # the length the others are held to


def name_of(script: str, length: int) -> str:
    """The script's name cut to `length` characters (a space or hyphen at the cut made a letter)."""
    name = NAMES[script]
    assert len(name) >= 120, script
    cut = name[:length]
    return cut if cut[-1] not in " -" else cut[:-1] + "a"


@pytest.fixture(scope="module")
def trial(catalog_file, tmp_path_factory) -> HandoutContent:  # noqa: ANN001
    """The trial's twelve exercises in Spanish (the clinic's own one made a catalog one), the
    272-character note on the first, and the trial's front page: the clinic's address, phone
    and email, two goals, a visit a week, two exercises on weekdays only."""
    with catalog_session(catalog_file, tmp_path_factory.mktemp("front")) as db:
        note = (
            "Hágalo por la mañana, después de la ducha caliente, cuando los músculos están más sueltos. " * 3
        ).strip()
        slugs = [
            *("knee-rolls-lying", "trunk-turn-sitting", "bridge", "sit-to-stand", "sitting-tall-firm-chair"),
            *("belly-breathing-lying", "ankle-circles", "ankle-pumps", "arm-lift-forward-sitting"),
            *("arm-lift-side-sitting", "prone-arm-lift-sides", "chin-tuck-sitting"),
        ]
        program = make_world(db, slugs=slugs, notes={0: note}, clinic_name="Demo Physio Clinic")
        clinic = db.get(Clinic, program.clinic_id)
        clinic.address, clinic.phone = "12 Harbour Road, Springfield", "555-0142"
        clinic.email = "front-desk@demo-physio.example"
        program.title = "Su programa en casa para moverse con más facilidad"
        program.goals = "Levantarme de la silla con más facilidad. Sentarme con la espalda recta a la hora de comer."
        program.visit_plan = "Una visita por semana durante 8 semanas"
        program.frequency = "Elija una hora del día en que tenga el cuerpo suelto y descansado."
        db.commit()
        content = handout_content(db, program, NOW, URL, "es")
    return content


def letters(text: str) -> str:
    """The letters of `text` as typed (Arabic joined forms back to plain letters), no spaces."""
    return "".join(c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c)[0] in "LS")


@dataclasses.dataclass(frozen=True)
class Row:
    """The "For:" row as printed: its page (0 = the front page), the letters of its value, each
    line read in its direction, and its lines."""

    page: int
    letters: str
    lines: int


def name_row(pdf: bytes, said_for: str, rtl: bool, caption: str) -> Row | None:
    """The "For:" row: the characters right of its label and, where the facts are set full width
    (a long name wraps under its label), the lines under it, above the next row's label (bold),
    left of the QR code and its `caption` where they are beside them. None where no page holds
    the label."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return _name_row(doc, said_for, rtl, caption)


def _name_row(doc: pdfplumber.PDF, said_for: str, rtl: bool, caption: str) -> Row | None:
    for number, page in enumerate(doc.pages):
        found = page.search(said_for + ":")
        if not found:
            continue
        label = found[0]
        labels = [
            w
            for w in page.extract_words(extra_attrs=["fontname"])
            if w["x0"] <= label["x0"] + 1 and w["top"] > label["top"] + 1 and "Bold" in w["fontname"]
        ]
        bottom = min((w["top"] for w in labels), default=page.height)
        modules = [r for r in page.rects if r["width"] < 12 and r["height"] < 12 and r["x0"] > page.width / 2]
        online = [*modules, *page.search(caption)]
        beside = [r for r in online if r["top"] < bottom and r["bottom"] > label["top"]]
        right = min((r["x0"] for r in beside), default=page.width)
        chars = [
            c
            for c in page.chars
            if (c["x0"] > label["x1"] or c["top"] > label["bottom"] - 1)
            and label["top"] - 2 <= c["top"] < bottom - 2
            and c["x1"] < right - 1
        ]
        lines: dict[float, list[dict]] = {}
        for c in chars:
            lines.setdefault(round(c["matrix"][5]), []).append(c)
        text = "".join(
            "".join(c["text"] for c in sorted(line, key=lambda c: c["x0"], reverse=rtl))
            for _, line in sorted(lines.items(), reverse=True)
        )
        return Row(number, letters(text), len(lines))
    return None


def row_and_room(pdf: bytes, said_for: str, rtl: bool, caption: str, safety: str) -> tuple[Row | None, float]:
    """name_row, and the height left empty at the foot of page 1, above the footer's safety line
    (pt): page 1 read once for both."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        footer = page.search(" ".join(safety.split()[:3]))[0]["top"]
        room = footer - max(c["bottom"] for c in page.chars if c["bottom"] < footer - 6)
        return _name_row(doc, said_for, rtl, caption), room


def _pdf(content: HandoutContent, name: str, size: int, page_size: str) -> bytes:
    named = dataclasses.replace(content, patient_name=name, large_print=size == 18)
    return rendered(named, HandoutOptions(page_size=page_size))


@pytest.mark.parametrize("page_size", ["letter", "a4"])
@pytest.mark.parametrize("size", [14, 18])
@pytest.mark.parametrize("script", list(NAMES))
def test_a_name_of_any_length_is_printed_whole_on_the_front_page(trial, script, size, page_size):
    """For each length the form allows (1 to 120 characters): the "For:" row, with the whole
    name read back from the PDF, is on page 1 (never a page 1 of the title and the QR code
    alone). The handout takes no more pages than with a 20-character name in that script, but
    where the lines the longer name takes more (and one line's worth besides) are more than the
    20-character name's page 1 leaves empty at its foot: then one page more at the most."""
    said = words_of("es")
    leading = styles_for(size).leading
    short = _pdf(trial, name_of(script, SHORT), size, page_size)
    short_row, slack = row_and_room(
        short, said.headings["for"], script == "arabic", said.headings["online"], said.safety
    )
    assert short_row is not None
    short_pages = page_count(short)  # the pages alone: their text is not read
    for length in LENGTHS:
        name = name_of(script, length)
        assert len(name) == length
        pdf = _pdf(trial, name, size, page_size)
        row = (
            short_row
            if pdf == short
            else name_row(pdf, said.headings["for"], script == "arabic", said.headings["online"])
        )
        assert row is not None, (length, "no For: row")
        assert row.page == 0, (length, f"the For: row is on page {row.page + 1}")
        assert row.letters == letters(name), (length, row.letters)
        more = (row.lines - short_row.lines + 1) * leading > slack
        assert page_count(pdf) <= short_pages + more, (length, row.lines, short_row.lines, slack)


@pytest.mark.parametrize("page_size", ["letter", "a4"])
@pytest.mark.parametrize("script", list(NAMES))
def test_with_one_exercise_a_page_a_long_name_leaves_the_first_exercise_whole(trial, script, page_size):
    """One exercise a page, large print: how to use the exercises ends the page the front page
    ends on, the first exercise (shorter than a page, not with them) whole on the next. With a
    120-character Chinese name the front page fills page 1 even without the QR code: the first
    exercise broke, "1. … (continuación)" over a page with the rest of its note."""
    said = words_of("es")
    first = trial.exercises[0]
    continued = " ".join(said.continued(1, first.name).split())
    for length in (SHORT, 120):
        name = name_of(script, length)
        one_a_page = dataclasses.replace(trial, patient_name=name, large_print=True, layout="page")
        pdf = rendered(one_a_page, HandoutOptions(page_size=page_size))
        texts = pages_text(pdf)
        assert not [n + 1 for n, text in enumerate(texts) if continued in text], length
        row = name_row(pdf, said.headings["for"], script == "arabic", said.headings["online"])
        assert row is not None and row.page == 0 and row.letters == letters(name), length
        # The name, picture, steps and the whole note on one page (the first with its name:
        # the tick sheet's page has it too).
        page = next(n for n, text in enumerate(texts) if f"1. {first.name}" in text)
        assert " ".join(first.note.split())[-60:] in texts[page], length


@pytest.mark.parametrize("page_size", ["letter", "a4"])
def test_one_a_page_the_tips_share_the_page_a_long_front_page_ends_on(trial, page_size):
    """One exercise a page, large print, a 120-character Chinese name: the front page goes on to
    page 2, which held only its last rows and how to use the exercises, its lower half empty,
    while the tips went to the tick sheet's page. The tips go under the front page's last rows,
    before how to use the exercises, where they fit there."""
    said = words_of("es")
    content = dataclasses.replace(trial, patient_name=name_of("chinese", 120), large_print=True, layout="page")
    texts = pages_text(rendered(content, HandoutOptions(page_size=page_size)))
    tips = [n for n, text in enumerate(texts) if said.headings["day"] in text]
    assert tips == [1], tips
    assert said.headings["how_long"] in texts[1] and _flat(said.how_to_use) in texts[1]
    assert texts[1].index(said.headings["day"]) < texts[1].index(_flat(said.how_to_use))
    assert _flat(content.exercises[0].name) not in texts[1]


def _flat(text: str) -> str:
    return " ".join(text.split())


# The trial's Greek patient's posture program (therapist trial 16, program 9): its five exercises
# and dosages, its three tips, its front page, printed in Spanish.
POSTURE = {
    "chin-tuck-sitting": {"sets": 2, "repetitions": 10, "hold_seconds": 5, "rest_seconds": 10, "times_per_day": 2},
    "shoulder-rolls": {"sets": 1, "repetitions": 10, "rest_seconds": 30, "times_per_day": 2},
    "trunk-turn-sitting": {"sets": 1, "repetitions": 8, "hold_seconds": 2, "rest_seconds": 30, "times_per_day": 2},
    "band-row": {"sets": 2, "repetitions": 10, "hold_seconds": 2, "rest_seconds": 60, "times_per_day": 1},
    "wall-angels": {"sets": 2, "repetitions": 8, "rest_seconds": 30, "times_per_day": 1},
}
POSTURE_DAYS = {"band-row": 3}
POSTURE_TIPS = [
    "Set your screen straight ahead, at eye level, so you do not turn or tilt your head.",
    "Take a short break every 20 to 30 minutes. Stand up, move, and relax your shoulders.",
    "Hold the phone with a headset or speaker, not between your ear and shoulder.",
]


@pytest.fixture(scope="module")
def posture(catalog_file, tmp_path_factory) -> HandoutContent:  # noqa: ANN001
    """The trial's five-exercise posture program in Spanish for a 120-character Chinese name."""
    with catalog_session(catalog_file, tmp_path_factory.mktemp("posture")) as db:
        program = make_world(
            db,
            patient_name=name_of("chinese", 120),
            slugs=list(POSTURE),
            notes={},
            clinic_name="Demo Physio Clinic",
            title="Su programa en casa para mejorar la postura",
        )
        for item in program.items:
            slug = item.exercise.slug
            item.dosage = {**POSTURE[slug], "days_per_week": POSTURE_DAYS.get(slug, 7)}
        clinic = db.get(Clinic, program.clinic_id)
        clinic.address, clinic.phone = "12 Harbour Road, Springfield", "555-0142"
        program.goals = "Sit and stand taller. Less neck and shoulder strain at the computer."
        program.visit_plan = "Visits every 2 weeks for 6 weeks"
        program.frequency = "A break from sitting is a good time."
        program.advice, program.advice_text = POSTURE_TIPS, ""
        db.commit()
        content = handout_content(db, program, NOW, URL, "es")
    return content


@pytest.mark.parametrize("page_size", ["letter", "a4"])
def test_a_long_name_in_large_print_keeps_n_plus_one_pages(posture, page_size):
    """Five exercises at 18 pt, a front page that holds the facts only without the QR code: the
    tips and the QR code fit under no exercise with its larger picture, so they took a last page
    together (Letter: 7 pages, goal 6). The middle exercises, alone on their pages, give up the
    larger picture (never below large print's usual) where that lets both go at page feet:
    n + 1 pages, the tips and the QR code each on the front page or an exercise's, every exercise
    whole."""
    said = words_of("es")
    content = dataclasses.replace(posture, large_print=True)
    texts = pages_text(rendered(content, HandoutOptions(page_size=page_size)))
    assert len(texts) <= len(content.exercises) + 1, len(texts)
    for heading in (said.headings["day"], said.headings["online"]):
        (page,) = [n for n, text in enumerate(texts) if heading in text]
        assert page == 0 or any(f"{b.number}. {_flat(b.name)}" in texts[page] for b in content.exercises), (
            heading,
            page,
        )
    continued = [
        n for n, text in enumerate(texts) for b in content.exercises if _flat(said.continued(b.number, b.name)) in text
    ]
    assert not continued


# Nine exercises (a random draw from the catalog) whose tick sheet fills its page in large print.
NINE = [
    *("jaw-open-stretch", "head-midline-eyes-closed", "head-curl-lying", "shoulder-push-down-one-side"),
    *("trunk-turn-reach-sitting", "shape-in-hand-eyes-closed", "jaw-throat-relax-before-speaking"),
    *("head-lift-hands-knees", "calm-position-head-rest"),
]


@pytest.fixture(scope="module")
def nine(catalog_file, tmp_path_factory) -> HandoutContent:  # noqa: ANN001
    """NINE in English, one exercise a page, large print, for a 120-character Chinese name."""
    with catalog_session(catalog_file, tmp_path_factory.mktemp("nine")) as db:
        program = make_world(db, patient_name=name_of("chinese", 120), slugs=NINE, notes={})
        content = handout_content(db, program, NOW, URL, "en")
    return dataclasses.replace(content, large_print=True, layout="page")


def test_one_a_page_the_tips_never_take_a_page_of_their_own(nine):
    """One exercise a page: the tips fit neither the front page nor under the last exercise,
    and not over a tick sheet that fills its page, so they took a page of their own between the
    last exercise and the sheet. They go in their framed panel at the foot of the last exercise's
    page with room for them, and the handout is a page shorter. (The tip as it was before 0033,
    as a version given then holds it: today's shorter line lets the tips end the front page.)"""
    said = words_of("en")
    for tip, front in ((next(iter(advice.RETIRED)), False), (advice.BUILT_IN[0], True)):
        content = dataclasses.replace(nine, advice=[tip])
        texts = pages_text(rendered(content, HandoutOptions(page_size="letter")))
        (page,) = [n for n, text in enumerate(texts) if said.headings["day"] in text]
        if front:
            assert page == 0, texts[page]
        else:
            assert any(f"{b.number}. {_flat(b.name)}" in texts[page] for b in nine.exercises), texts[page]
        # the front page (on to page 2 for this name, the first exercise under its end), a page an
        # exercise, the tick sheet's page
        assert len(texts) <= 1 + len(nine.exercises) + 1, len(texts)


# Therapist trial 18 (F1): in large print the "For:" row beside the QR code is some 1.6 in wide,
# and a surname wider than that was cut between two letters ("María José Fernán / dez-Villanueva",
# "Margaret O'Sulliv / an-Whitfield"), the therapist's name too. Ordinary names, every script:
# a line breaks at a space or a hyphen, or between two Chinese characters.
WHOLE_NAMES = {
    "spanish": "María José Fernández-Villanueva",
    "irish": "Margaret O'Sullivan-Whitfield",
    "basque": "Maximiliano Castañeda-Echeverría",
    "greek": "Χριστίνα Παπαγεωργοπούλου-Οικονομίδου",
    "arabic": "عبد الرحمن بن عبد العزيز الإسكندرانية",
    "chinese": "欧阳明轩司马慧琳诸葛云飞上官婉儿慕容雪晴",
}
THERAPIST = "Dra. María Fernanda Echeverría-Santisteban"
WORD = re.compile(r"[^\W\d_]+")
CJK = re.compile(r"^[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]+$")


def _words_in(value: object, found: set[str]) -> set[str]:
    """Every word of the strings in `value` (a dataclass, list, dict or string), as NFKC."""
    if isinstance(value, str):
        found.update(WORD.findall(unicodedata.normalize("NFKC", value)))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            _words_in(getattr(value, field.name), found)
    elif isinstance(value, list | tuple | set):
        for item in value:
            _words_in(item, found)
    elif isinstance(value, dict):
        for item in value.values():
            _words_in(item, found)
    return found


def cut_words(doc: pdfplumber.PDF, content: HandoutContent, facts: list[str]) -> list[str]:
    """The pieces of the front page's facts' words printed on the first two pages (the front
    page goes on to page 2 at the most): a printed word that is part of a fact's word (read
    either way, for Arabic) and no word the handout was made of. Empty where every line breaks
    at a space or a hyphen, or between two CJK characters."""
    known = _words_in([content, words_of(content.language), facts], set())
    parts = _words_in(facts, set())
    cut = []
    for page in doc.pages[:2]:
        for word in WORD.findall(unicodedata.normalize("NFKC", page.extract_text() or "")):
            if CJK.match(word) or word in known or word[::-1] in known:
                continue
            if any(piece in part for part in parts for piece in (word, word[::-1])):
                cut.append(word)
    return cut


@pytest.mark.parametrize("layout", ["compact", "page"])
@pytest.mark.parametrize("page_size", ["letter", "a4"])
@pytest.mark.parametrize("size", [14, 18])
@pytest.mark.parametrize("who", list(WHOLE_NAMES))
def test_no_word_of_the_front_page_facts_is_cut_inside(trial, who, size, page_size, layout):
    """The patient's and the therapist's names, the date and the title: every line of them breaks
    at a space or a hyphen (or between two Chinese characters), read back from the PDF, in
    every script, 14 and 18 pt, Letter and A4, compact and one exercise a page. The QR code
    makes room (its rows go under it, full width) rather than the type shrinks: the same
    pages as before."""
    said = words_of("es")
    content = dataclasses.replace(
        trial, patient_name=WHOLE_NAMES[who], therapist_name=THERAPIST, large_print=size == 18, layout=layout
    )
    pdf = rendered(content, HandoutOptions(page_size=page_size))
    date = said.dated_version(content.version_date, content.version)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:  # page 1 read once for both
        assert cut_words(doc, content, [content.patient_name, THERAPIST, date, content.title]) == []
        row = _name_row(doc, said.headings["for"], who == "arabic", said.headings["online"])
    assert row is not None and row.page == 0 and row.letters == letters(content.patient_name)


# Names that fit a line of the facts' value column beside the QR code in large print, once the
# code's caption no longer stands under it (#14 F5: "Rocío Martín / Sáez", Spanish 18 pt Letter).
ONE_LINE_NAMES = {
    "latin": "Rocío Martín Sáez",
    "greek": "Γεώργιος Παπαδόπουλος",
    "chinese": "欧阳明轩司马慧琳",
    "arabic": "محمد عبد الرحمن الهاشمي",
}


@pytest.mark.parametrize("page_size", ["letter", "a4"])
@pytest.mark.parametrize("who", list(ONE_LINE_NAMES))
def test_beside_the_qr_code_a_name_that_fits_a_line_takes_one_line_in_large_print(trial, who, page_size):
    """18 pt, the QR code on the front page: the patient's name on one line of its row, and the
    code's caption ("Véalo en su teléfono", bold, on one line) leads the sentence on how to use
    the code, beside the code or right above it (full width, the address its last line), clear of it. Under the code the caption was a
    column as wide as itself, beside the first rows: a name of 17 letters broke in two."""
    said = words_of("es")
    pdf = _pdf(trial, ONE_LINE_NAMES[who], 18, page_size)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        row = _name_row(doc, said.headings["for"], who == "arabic", said.headings["online"])
        page = doc.pages[0]
        modules = [r for r in page.rects if r["width"] < 12 and r["height"] < 12 and r["x0"] > page.width / 2]
        captions = page.search(said.headings["online"])
        bold_caption = [c for c in page.chars if c["top"] >= captions[0]["top"] - 1 and c["x0"] >= captions[0]["x0"]]
    assert row is not None and row.page == 0 and row.letters == letters(ONE_LINE_NAMES[who])
    assert row.lines == 1, row
    assert modules, "the QR code is on the front page"
    code = {"x0": min(r["x0"] for r in modules), "top": min(r["top"] for r in modules)}
    code["bottom"] = max(r["bottom"] for r in modules)
    assert len(captions) == 1, "the caption on one line"
    caption = captions[0]
    assert "Bold" in bold_caption[0]["fontname"]
    assert caption["x1"] < code["x0"] or caption["bottom"] <= code["top"], "clear of the code"
    # Beside the code, or leading the sentence (its three lines and the address) right above it.
    leading = styles_for(18).leading
    assert code["top"] - 4 * leading <= caption["bottom"] and caption["top"] <= code["bottom"], "next to the code"
