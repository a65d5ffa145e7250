"""What a printed handout promises a patient who follows it alone, read back from the real PDF."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader
from reportlab.platypus import Paragraph

from planner.dosage import in_words
from planner.handouts import HandoutOptions, block, build_handout, forget_drawings, para_text, replay, words
from planner.handouts.pictures import picture
from planner.handouts.styles import styles_for
from planner.models.portal import PatientLink
from planner.services import patient_links
from planner.services.programs import program_coverage
from planner.services.reevaluation import next_reevaluation
from tests.handout_world import NOW, TWELVE, font_names, glyphs, make_world, pages_text

LETTER = HandoutOptions(page_size="letter")
SECRET = "server secret"


@pytest.fixture
def program(catalog_db):
    return make_world(catalog_db)


def build(db, program, options=LETTER, **kw):
    return build_handout(db, program, NOW, options=options, **kw)


def test_handout_holds_everything_a_patient_needs(catalog_db, program):
    pdf = build(catalog_db, program)
    pages = pages_text(pdf)
    text = " ".join(pages)
    cover = program_coverage(program)
    for expected in [
        "Handout Clinic",
        "1 Test Street",
        "555-0100",
        "Rosa Handout",
        "Neck and posture program",
        "Dana Ortiz",
        "21 November 2026 (version 1)",
        "Next check-up: 2 January 2027",
        "Turn your head to check traffic when you drive.",
        "Morning and evening, after you wash.",
        # its exercises are not all done as often in a day: the later times are shorter
        f"About {cover.shortest_session_minutes} to {cover.session_minutes} minutes each time.",
        "Set your screen straight ahead",
        "Ask your family to help you set up your desk.",
        "Every two weeks for three months.",
        words.HEADINGS["tick_sheet"],
        "Mon Tue Wed Thu Fri Sat Sun",
    ]:
        assert expected in text, expected
    assert next_reevaluation(program).isoformat() == "2027-01-02"
    for n, item in enumerate(program.items, start=1):
        assert f"{n}. {item.exercise.name}" in text
        assert " ".join(in_words(item.dosage).split()) in text  # its side sentence: tests/test_limb_wording.py
        for step in item.exercise.steps:
            assert " ".join(step.split()) in text
        for caution in item.exercise.cautions:
            assert " ".join(caution.split()) in text
    assert "Do the left side only: that is where the pull is." in text
    assert "Use the blue pillow under your knees. If you fall asleep, that is fine." in text


def test_every_page_numbers_itself_and_says_when_to_stop(catalog_db, program):
    pages = pages_text(build(catalog_db, program))
    total = len(pages)
    assert total == len(PdfReader(io.BytesIO(build(catalog_db, program))).pages) > 2
    assert f"Page 1 of {total}" in pages[0]
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in page
        assert words.SAFETY in page
        if number > 1:
            assert "Rosa Handout" in page  # a loose page still says whose it is


def test_the_same_program_gives_the_same_bytes(catalog_db, program):
    first = build(catalog_db, program)
    assert build(catalog_db, program) == first
    assert build_handout(catalog_db, program, NOW + timedelta(days=3), options=LETTER) == first
    created = PdfReader(io.BytesIO(first)).metadata.creation_date
    assert created.date().isoformat() == program.version_date.date().isoformat()


@pytest.mark.parametrize(
    "name, other_name",
    [("Rosa Handout", "Other Patient"), ("Γιώργος Παπαδόπουλος", "Other Patient"), ("Rosa Handout", "José Ñúñez")],
)
def test_blocks_replayed_from_another_handout_give_the_bytes_drawn_fresh(catalog_db, name, other_name):
    program = make_world(catalog_db, patient_name=name, slugs=TWELVE[:6])
    other = make_world(catalog_db, patient_name=other_name, clinic_name="Other Clinic", slugs=TWELVE[:6])
    forget_drawings()
    fresh = build(catalog_db, program)
    forget_drawings()
    build(catalog_db, other)  # the same six exercises: each block is recorded here...
    assert len(replay._RECORDED) >= 6
    replayed = build(catalog_db, program)  # ...and written as it is into this handout
    assert replayed == fresh
    text = " ".join(pages_text(replayed))
    assert name in text
    for item in program.items:
        assert " ".join(item.exercise.steps[-1].split()) in text
        assert " ".join(item.exercise.cautions[0].split()) in text


def test_spanish_blocks_are_replayed_and_give_the_bytes_drawn_fresh(catalog_db):
    """Spanish letters (á, ñ, ¿) are among the preset characters: a Spanish handout is as quick."""
    program = make_world(catalog_db, patient_name="María", slugs=TWELVE[:6])
    other = make_world(catalog_db, patient_name="Other", clinic_name="Other Clinic", slugs=TWELVE[:6])
    forget_drawings()
    fresh = build(catalog_db, program, language="es")
    forget_drawings()
    build(catalog_db, other, language="es")
    kept = [key for key in replay._RECORDED if "es" in repr(key)]
    # Every block, Spanish dosage and all; a block whose note is set inside it (beside the picture,
    # under its cautions) is drawn each time, as a note is.
    noted = sum(1 for item in program.items if item.note)
    assert sum("'exercise', 'es'" in repr(key) for key in kept) >= 6 - noted
    assert build(catalog_db, program, language="es") == fresh
    assert "Repítalo 10 veces." in " ".join(pages_text(fresh))


def test_a_note_shaped_like_one_before_is_set_the_same_way_without_trying_again(catalog_db, monkeypatch):
    """A note on every exercise is laid out each time (a note is the patient's own), in each of
    the ways it may sit: a note of the same shape as one before (as many lines at every width)
    is set the way that one was, not tried again, and gives the bytes laid out fresh."""
    notes = {name: {i: f"Note {i} for {name}: go slowly, then rest." for i in range(6)} for name in ("Ann", "Bea")}
    first = make_world(catalog_db, patient_name="Ann", slugs=TWELVE[:6], notes=notes["Ann"])
    second = make_world(
        catalog_db, patient_name="Bea", clinic_name="Other Clinic", slugs=TWELVE[:6], notes=notes["Bea"]
    )
    tried = []
    real = block._drawings
    monkeypatch.setattr(block, "_drawings", lambda *a, **kw: tried.append(1) or real(*a, **kw))
    forget_drawings()
    fresh = build(catalog_db, second)
    tried_fresh = len(tried)
    forget_drawings()
    build(catalog_db, first)
    tried.clear()
    again = build(catalog_db, second)
    assert again == fresh
    assert len(tried) < tried_fresh / 2, (len(tried), tried_fresh)  # drawn, not tried again
    text = " ".join(pages_text(again))
    assert all(" ".join(note.split()) in text for note in notes["Bea"].values())


# Each language, type size, paper, layout and QR code or none, in four handouts.
REPLAYED_NOTED = {
    "en 14 Letter compact QR": ("en", False, "letter", "compact", True),
    "es 18 A4 compact": ("es", True, "a4", "compact", False),
    "es 14 A4 one a page QR": ("es", False, "a4", "page", True),
    "en 18 Letter one a page": ("en", True, "letter", "page", False),
}


@pytest.mark.parametrize("case", REPLAYED_NOTED, ids=list(REPLAYED_NOTED))
def test_an_exercise_around_a_note_is_replayed_and_gives_the_bytes_drawn_fresh(catalog_db, case):
    """Each patient's note is drawn afresh, the exercise around it replayed from another
    patient's handout with notes of the same shape: the pages are the ones drawn fresh."""
    language, large_print, paper, layout, qr = REPLAYED_NOTED[case]
    handouts = {}
    for name in ("Ann", "Bea"):
        notes = {i: f"Note {i} for {name}: go slowly, then rest a while." for i in range(6)}
        program = make_world(
            catalog_db,
            patient_name=name,
            clinic_name=f"{name} Clinic",
            slugs=TWELVE[:6],
            notes=notes,
            large_print=large_print,
        )
        program.handout_layout = layout
        catalog_db.commit()
        handouts[name] = (program, notes)
    options = HandoutOptions(page_size=paper, languages=("en", "es"))
    url = "https://planner.example/p/abcDEF123" if qr else None
    program, notes = handouts["Bea"]
    forget_drawings()
    fresh = build(catalog_db, program, options, online_url=url, language=language)
    forget_drawings()
    build(catalog_db, handouts["Ann"][0], options, online_url=url, language=language)
    around_notes = [key for key, (pieces, _) in replay._RECORDED.items() if len(pieces) > 1]
    replayed = build(catalog_db, program, options, online_url=url, language=language)
    assert replayed == fresh
    text = " ".join(pages_text(replayed))
    assert all(" ".join(note.split()) in text for note in notes.values())
    assert "Ann" not in text
    if layout == "compact" and not large_print:
        assert around_notes  # notes set inside their blocks here: those blocks were replayed


def test_a_block_with_text_beyond_the_preset_characters_is_drawn_each_time(catalog_db):
    greek = make_world(catalog_db, patient_name="Eleni", slugs=TWELVE[:1], notes={0: "Για την Ελένη: αργά."})
    forget_drawings()
    first = build(catalog_db, greek)
    kept = repr(list(replay._RECORDED))
    assert "Ελένη" not in kept  # the note's Greek letters have codes of this handout only
    # The plain drawings around it are kept: the exercise, and its cautions (a drawing of their
    # own, or drawn with the picture when the block sets them under it).
    assert "exercise" in kept and repr(greek.items[0].exercise.cautions[0])[1:-1] in kept
    assert "Για την Ελένη: αργά." in " ".join(pages_text(first))
    assert build(catalog_db, greek) == first


def test_goals_and_advice_longer_than_a_page_flow_on_without_losing_a_word(catalog_db):
    program = make_world(catalog_db, slugs=TWELVE[:2])
    program.goals = " ".join(f"Goal sentence {n} is here." for n in range(1, 121))
    program.advice_text = " ".join(f"Advice sentence {n} is here." for n in range(1, 121))
    catalog_db.commit()
    pages = pages_text(build(catalog_db, program))
    furniture = [words.SAFETY, "Questions? Call us: 555-0100", "Rosa Handout · Neck and posture program"]
    body = []
    for number, page in enumerate(pages, start=1):
        for line in [*furniture, f"Page {number} of {len(pages)}"]:
            page = page.replace(line, "")
        body.append(page)
    packed = "".join(body).replace(" ", "")  # line ends read back with or without a space
    for n in range(1, 121):
        assert f"Goalsentence{n}ishere." in packed and f"Advicesentence{n}ishere." in packed, n
    first = f"1.{program.items[0].exercise.name}".replace(" ", "")
    assert packed.index("Goalsentence120ishere.") < packed.index(first) < packed.index("Advicesentence1is")
    assert len([page for page in pages if "Goal sentence" in page]) >= 2  # broken across pages, at a line
    how_often = [page for page in pages if words.HEADINGS["how_often"] in page]
    assert how_often and "Morning and evening, after you wash." in how_often[0]  # a heading keeps its text
    # The visits are a fact of the front page, with the clinic's address at its top.
    assert f"{words.HEADINGS['visits']}: Every two weeks for three months." in pages[0]
    assert "desk@handout.example" in pages[0]


def test_a_past_check_up_asks_the_patient_to_book_one(catalog_db, program):
    text = " ".join(pages_text(build_handout(catalog_db, program, NOW + timedelta(days=60), options=LETTER)))
    assert "It was due on 2 January 2027. Please call us to book it." in text


MARKUP = [
    "<b>bold</b>",
    "Tom & Jerry",
    "<font size=80>huge</font>",
    "end ]]> here",
    "a < b",
    "<img src='x'/>",
    "<para>x</para>",
    "&amp; &#60; &nbsp;",
    "</b>",
]


@pytest.mark.parametrize("value", MARKUP)
def test_markup_in_names_and_notes_prints_literally_and_changes_nothing(catalog_db, value):
    # The same text with each markup character swapped for one as wide that is none (DejaVu Sans:
    # < > # as + = ~, / ; as : |), so the lines break alike: a note may sit in a narrow column,
    # where a few points decide a line. An ampersand has no twin: an x.
    plain = value.translate(str.maketrans("<>#/;&", "+=~:|x"))
    with_markup = make_world(
        catalog_db,
        patient_name=f"Ann {value}",
        clinic_name="Markup Clinic",
        slugs=TWELVE[:3],
        notes={0: f"Note {value} end", 1: value},
        title=f"Plan {value}",
    )
    with_plain = make_world(
        catalog_db,
        patient_name=f"Ann {plain}",
        clinic_name="Plain Clinic",
        slugs=TWELVE[:3],
        notes={0: f"Note {plain} end", 1: plain},
        title=f"Plan {plain}",
    )
    marked, unmarked = build(catalog_db, with_markup), build(catalog_db, with_plain)
    text = " ".join(pages_text(marked))
    for expected in (f"Ann {value}", f"Note {value} end", f"Plan {value}"):
        assert " ".join(expected.split()) in text
    assert len(pages_text(marked)) == len(pages_text(unmarked))
    sizes = {round(c["size"], 1) for c in glyphs(marked)}
    assert sizes == {round(c["size"], 1) for c in glyphs(unmarked)}  # no <font size=80>, no new style
    assert {c["fontname"].split("+")[-1] for c in glyphs(marked)} <= {"DejaVuSansCondensed", "DejaVuSansCondensed-Bold"}


@pytest.mark.parametrize(
    "value, markup",
    [
        ("<b>", "&lt;b&gt;"),
        ("Tom & Jerry", "Tom &amp; Jerry"),
        ("<font size=80>", "&lt;font size=80&gt;"),
        ("]]>", "]]&gt;"),
        ("a < b", "a &lt; b"),
        ("one\ntwo\r\nthree\rfour", "one<br/>two<br/>three<br/>four"),
        ("\n\nfirst\n\n", "first"),
        ("one\n\n\n\n \n\t\ntwo", "one<br/><br/>two"),  # a run of blank lines is one blank line
        ("\n" * 900 + "note" + "\r\n" * 90, "note"),
        ("tab\there\x00\x0bgone", "tab here gone"),
        (None, ""),
    ],
)
def test_para_text_escapes_for_reportlab(value, markup):
    assert para_text(value) == markup
    Paragraph(para_text(value), styles_for(14).body)  # parses without error


UNICODE = ["Γιώργος Παπαδόπουλος", "Анна Кузнецова", "Zoë Ångström-Nuñez", "Łukasz Żółć", "Nguyễn Thị Hà"]


@pytest.mark.parametrize("name", UNICODE)
def test_unicode_names_and_notes_print_in_dejavu(catalog_db, name):
    program = make_world(catalog_db, patient_name=name, slugs=TWELVE[:2], notes={0: f"Για {name}: Хорошо."})
    pdf = build(catalog_db, program)
    text = " ".join(pages_text(pdf))
    assert name in text
    assert f"Για {name}: Хорошо." in text
    drawn = [c for c in glyphs(pdf) if c["text"] in set(name.replace(" ", ""))]
    assert drawn and all(c["fontname"].split("+")[-1].startswith("DejaVuSans") for c in drawn)
    # No Helvetica anywhere, not even in pictures.
    assert font_names(pdf) == {"DejaVuSansCondensed", "DejaVuSansCondensed-Bold"}


def body_sizes(pdf: bytes, text: str) -> set[float]:
    """Sizes of the characters where `text` (written without spaces) is first drawn."""
    found = [c for c in glyphs(pdf) if not c["text"].isspace()]
    joined = "".join(c["text"] for c in found)
    start = joined.index(text)
    return {round(c["size"], 1) for c in found[start : start + len(text)]}


@pytest.mark.parametrize("large, size", [(False, 14.0), (True, 18.0)])
def test_body_text_is_14_pt_or_18_pt_for_large_print(catalog_db, large, size):
    program = make_world(catalog_db, large_print=large, slugs=TWELVE[:2])
    pdf = build(catalog_db, program)
    first_step = program.items[0].exercise.steps[0].replace(" ", "")
    assert body_sizes(pdf, first_step[:20]) == {size}
    assert body_sizes(pdf, "Turnyourheadtocheck") == {size}
    assert min(round(c["size"], 1) for c in glyphs(pdf) if c["fontname"].endswith("DejaVuSansCondensed")) >= 12
    # The stop rule at every page's foot is a safety line: at body size on each page, not in the
    # small type of the running header and the page number (therapist trial 16).
    rule = words.of("en").safety.replace(" ", "")
    drawn = [c for c in glyphs(pdf) if not c["text"].isspace()]
    pages = sorted({c["page"] for c in drawn})
    assert len(pages) >= 2
    for page in pages:
        on_page = [c for c in drawn if c["page"] == page]
        start = "".join(c["text"] for c in on_page).index(rule)
        assert {round(c["size"], 1) for c in on_page[start : start + len(rule)]} == {size}, page


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("page_size", ["letter", "a4"])
def test_an_exercise_block_never_breaks_across_pages(catalog_db, large, page_size):
    program = make_world(catalog_db, large_print=large)
    pages = pages_text(build(catalog_db, program, HandoutOptions(page_size=page_size)))
    for n, item in enumerate(program.items, start=1):
        exercise = item.exercise
        first_step = " ".join(exercise.steps[0].split())
        where = [i for i, page in enumerate(pages) if first_step in page and f"{n}. {exercise.name}" in page]
        assert where, f"exercise {n} is not on one page with its steps"
        page = pages[where[0]]
        assert " ".join(in_words(item.dosage).split()) in page
        assert " ".join(exercise.steps[-1].split()) in page
        assert " ".join(exercise.cautions[-1].split()) in page
        assert words.CAUTION in page


def test_page_size_comes_from_the_options(catalog_db, program):
    for options, (width, height) in [(HandoutOptions(page_size="a4"), (595, 842)), (LETTER, (612, 792))]:
        box = PdfReader(io.BytesIO(build(catalog_db, program, options))).pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (width, height)


@pytest.mark.parametrize(
    "section, message",
    [
        ({"page_size": "legal"}, "page_size"),
        ({"body_size": 9}, "at least 12"),
    ],
)
def test_bad_handout_settings_are_refused(section, message):
    with pytest.raises(ValueError, match=message):
        HandoutOptions.from_settings(section)


def test_qr_code_and_short_address_only_with_an_online_link(catalog_db, program):
    without = build(catalog_db, program)
    with_link = build(catalog_db, program, online_url="https://planner.example.org/p/Ab3dE9xQ")
    # On the front page, beside the facts: the patient opens the program on the phone from there;
    # where the tick sheet on the front page saves a page (12 exercises here), at the end, with
    # the tips (compact.fewer_pages), never alone.
    texts = pages_text(with_link)
    (qr_page,) = [n for n, text in enumerate(texts) if "planner.example.org/p/Ab3dE9xQ" in text]
    assert qr_page == 0 or (qr_page == len(texts) - 1 and words.HEADINGS["day"] in texts[-1])
    assert words.HEADINGS["online"] in texts[qr_page]
    assert words.HEADINGS["online"] not in " ".join(pages_text(without))
    # The address in DejaVu Sans Mono Bold: test_the_typed_address_reads_back_as_the_link.
    assert font_names(with_link) == {"DejaVuSansCondensed", "DejaVuSansCondensed-Bold", "DejaVuSansMono-Bold"}
    assert font_names(without) == {"DejaVuSansCondensed", "DejaVuSansCondensed-Bold"}
    import pdfplumber

    with pdfplumber.open(io.BytesIO(with_link)) as a, pdfplumber.open(io.BytesIO(without)) as b:
        assert sum(len(p.rects) for p in a.pages) > sum(len(p.rects) for p in b.pages) + 50  # the QR code's modules
        assert len(a.pages) == len(b.pages)  # and it costs no page
        if qr_page:
            return
        page = a.pages[0]
        patient = next(w for w in page.extract_words() if w["text"] == words.HEADINGS["for"] + ":")
        modules = [r for r in page.rects if r["width"] < 12 and r["height"] < 12]
        # The code on the right, the facts on the left; its caption leads the sentence on how to use it.
        assert min(r["x0"] for r in modules) > page.width / 2 > patient["x1"]
        assert f"{words.HEADINGS['online']}. " in texts[0]


# Signs a reader takes for another in a sans serif: capital I, lowercase l and 1; O and 0.
LOOK_ALIKE = set("Il1O0")


@pytest.mark.parametrize(("language", "large_print"), [("en", False), ("es", True)])
@pytest.mark.parametrize("made", ["now", "before"])
def test_the_typed_address_reads_back_as_the_link(catalog_db, program, language, large_print, made):
    """The address a patient types from the handout, read back from the PDF's text as they would
    read it, opens their phone page: set in a typewriter face where I, l and 1 (O and 0) differ,
    and a new link's token holds none of them, all lowercase (no shift key). A link made before
    keeps its printed token, which keeps working."""
    program.patient.large_print = large_print
    if made == "now":
        link, token = patient_links.create_link(catalog_db, program.patient, SECRET, NOW)
        assert len(token) == patient_links.TYPABLE_CHARS and set(token) <= set(patient_links.TYPABLE)
        assert not set(token) & LOOK_ALIKE and token == token.lower()
    else:
        # As links were made before: the base64 token (look-alikes and capitals allowed).
        nonce = "f" * 64
        token = patient_links.derive_token(SECRET, nonce)
        link = PatientLink(
            clinic_id=program.patient.clinic_id,
            patient_id=program.patient.id,
            nonce=nonce,
            token_hash=patient_links.hash_token(token),
            created_at=NOW,
        )
        catalog_db.add(link)
        catalog_db.flush()
    assert patient_links.link_token(link, SECRET) == token  # printed again as it was made
    url = f"https://planner.example.org/p/{patient_links.link_token(link, SECRET)}"
    options = HandoutOptions(page_size="a4", languages=("en", "es"))
    pdf = build(catalog_db, program, options=options, online_url=url, language=language)
    typed = [c for c in glyphs(pdf) if "DejaVuSansMono" in c["fontname"]]
    address = "".join(c["text"] for c in typed)
    assert address == f"planner.example.org/p/{token}"
    assert len({c["page"] for c in typed}) == 1 and min(c["size"] for c in typed) >= (18 if large_print else 14)
    read = address.rsplit("/", 1)[1]
    assert patient_links.resolve(catalog_db, read, NOW).id == link.id
    if made == "now":
        # A phone that starts the word with a capital: the same link.
        assert patient_links.resolve(catalog_db, read.capitalize(), NOW).id == link.id


def test_the_qr_code_stays_on_a_full_front_page_that_leaves_no_room_for_an_exercise(catalog_db):
    program = make_world(catalog_db, large_print=True)
    # Two lines of goals fill the front page: "How often" says each exercise's days and times.
    program.goals = " ".join(["Walk to the shop and back without stopping to rest my neck."] * 2)
    catalog_db.commit()
    pages = pages_text(build(catalog_db, program, online_url="https://planner.example.org/p/Ab3dE9xQ"))
    # (the address to type may take two lines beside the QR code: "planner.example.org/p/" over "Ab3dE9xQ")
    where = [n for n, page in enumerate(pages) if "Ab3dE9xQ" in page]
    # Once, on the front page: no exercise would fit under it anyway (with the QR code after the
    # last exercise instead, the first would still start page 2); the front page stays one page.
    assert where == [0]
    assert "1. Chin tuck" in pages[1] and "1. Chin tuck" not in pages[0]


def test_pictures_are_recorded_once_and_mirrored_for_the_left_side(catalog_db, program):
    exercise = program.items[0].exercise
    right = picture(exercise.slug, exercise.picture, "right", 200)
    again = picture(exercise.slug, exercise.picture, "right", 200)
    left = picture(exercise.slug, exercise.picture, "left", 200)
    assert right is not again and right.recording is again.recording  # new flowable, shared recording
    assert left.recording.ops != right.recording.ops
    assert picture(exercise.slug, {}, "right", 200) is None


def test_the_tick_sheet_has_a_big_box_per_exercise_and_day(catalog_db, program):
    import pdfplumber

    pdf = build(catalog_db, program)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        # Twelve exercises, some twice a day (a box for each time): the sheet goes on over two
        # pages, its header row repeated.
        sheet = [page for page in doc.pages if "Exercise Mon Tue Wed Thu Fri Sat Sun" in page.extract_text()]
        text = " ".join(page.extract_text() for page in sheet)
        assert words.HEADINGS["tick_sheet"] in text and sheet[-1] is doc.pages[-1]
        for n, item in enumerate(program.items, start=1):
            assert re.search(rf"{n}\. {re.escape(item.exercise.name.split()[0])}", text)
        for page in sheet:
            # The grid's lines, under its header row (an exercise's picture may share the page).
            head = next(w for w in page.extract_words() if w["text"] == "Exercise")
            xs = sorted({round(e["x0"]) for e in page.lines if e["x0"] == e["x1"] and e["top"] >= head["top"] - 10})
            assert len(xs) == 9  # the name column and seven day columns
            # Boxes 6.9 mm (19.6 pt) each way at least: room for a tick made with a tremor.
            boxes = [r for r in page.rects if r["stroke"] and r["width"] > 15 and abs(r["width"] - r["height"]) < 0.5]
            assert boxes and min(r["width"] for r in boxes) >= 19.5


def test_the_mailer_seam_builds_with_the_configured_options(catalog_db, program):
    """planner.services.emails calls build_handout(session, program, now): options from config.toml."""
    pdf = build_handout(catalog_db, program, NOW)
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # [handouts] page_size = "letter"
    assert pdf == build(catalog_db, program)


def test_a_clinic_photo_replaces_the_drawing_and_keeps_the_block_short():
    from PIL import Image as PILImage

    tall = io.BytesIO()
    PILImage.new("RGB", (300, 900), "white").save(tall, "PNG")
    photo = picture("custom-1-x", {"view": "side"}, "left", 200, tall.getvalue())
    width, height = photo.wrap(500, 500)
    assert height == pytest.approx(150) and width == pytest.approx(50)  # capped at 3/4 of the width, shape kept


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_handout_prints_only_goals_someone_wrote(catalog_db, language):
    """The trial: "Your goals: Make weak muscles stronger." printed with the Goals field left empty.
    Goals come from the program's Goals field only (a template's, once put there, shows in the
    builder and can be changed there)."""
    program = make_world(catalog_db, slugs=TWELVE[:3], patient_name="Олга Петрова")
    program.goals = ""
    catalog_db.commit()
    front = pages_text(build_handout(catalog_db, program, NOW, options=LETTER, language=language))[0]
    said = words.of(language)
    assert said.headings["goals"] not in front
    for made_up in ("Make weak muscles stronger", "Move more freely", "Sit and stand", "Fortalecer", "Moverse"):
        assert made_up not in front
    program.goals = "Κρατώ το κεφάλι ίσιο όταν γράφω."  # written by the therapist, in any script
    catalog_db.commit()
    front = pages_text(build_handout(catalog_db, program, NOW, options=LETTER, language=language))[0]
    assert f"{said.headings['goals']}: Κρατώ το κεφάλι ίσιο όταν γράφω." in front
