"""A handout at the limits the forms allow: an exercise too long for a page goes on over the
next pages, and every field at its longest still prints, whole, in normal and large print."""

from __future__ import annotations

import email
import io
import itertools
import re
import string
from datetime import date

import pdfplumber
import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from planner.catalog.schema import LIST_MAX, NAME_MAX, TEXT_MAX
from planner.dosage import LIMITS, in_words
from planner.handouts import HandoutOptions, build_handout, forget_drawings, words
from planner.handouts.export import export_all
from planner.handouts.styles import styles_for
from planner.models import Clinic, Exercise
from planner.scheduler import dispatch_once
from planner.services import accounts, advice, program_items, programs
from planner.services import custom_exercises as ce
from planner.services.catalog import get_exercise
from planner.services.patterns import exercise_spec
from tests import exercise_files as ef
from tests.conftest import login
from tests.factories import make_patient
from tests.handout_world import NOW, TWELVE, make_world, page_lines

# The note of the bug report: 37 one-letter lines, 73 characters, far under the 1,000 allowed.
NOTE_37 = "\n".join(string.ascii_letters[:37])

# The longest each form allows (planner/web/*/forms.py, planner/catalog/schema.py).
NAME = 120  # patient, therapist, clinic, program title
ADDRESS, PHONE, EMAIL = 300, 40, 254
GOALS = ADVICE_TEXT = 2000
FREQUENCY = VISIT_PLAN = 200
ADVICE_LINE = 300
NOTE = program_items.NOTE_MAX

# Text a therapist may type, in several scripts. DejaVu Sans has no Chinese glyphs and the
# handout does not shape Hebrew or Arabic yet: those are laid out here, not read back.
READABLE = [
    "Lift your arms slowly, then breathe out.",
    "Détendez les épaules; Zoë Ångström-Nuñez, Łukasz Żółć.",
    "Χαλαρώστε τους ώμους και αναπνεύστε αργά.",
    "Расслабьте плечи и дышите медленно.",
]
UNREAD = ["放松肩膀，慢慢呼吸，每天做两次。", "הרפו את הכתפיים ונשמו לאט.", "أرخِ كتفيك وتنفس ببطء."]
SHAPES = ("prose", "one word", "many lines")


def text(tag: str, length: int, shape: str) -> str:
    """Exactly `length` characters, opening with `<tag:` and closing with `:tag>`.

    prose: sentences in every script; one word: no space or line break at all (a pasted
    address); many lines: one character a line, the most lines the length allows.
    """
    start, end = f"<{tag}:", f":{tag}>"
    room = length - len(start) - len(end)
    if shape == "prose":
        # Ends in a Latin word: next to a right-to-left one, the end mark would read back reversed.
        body = " ".join(itertools.islice(itertools.cycle(READABLE + UNREAD), 200))[: room - 4] + " end"
    elif shape == "one word":
        body = "https://example.org/" + "".join(itertools.islice(itertools.cycle(string.ascii_letters), room))
    else:
        body = "\n" + "\n".join(itertools.islice(itertools.cycle(string.ascii_letters), room)) + "\n"
    body = body[:room]
    if shape == "many lines" and body.endswith("\n"):
        body = body[:-1] + "z"
    return start + body + end


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 400), (40, 90, 160)).save(out, "JPEG")
    return out.getvalue()


def custom_exercise(db, clinic, n: int, shape: str, with_photo: bool):  # noqa: ANN001, ANN201
    """A clinic's own exercise with the longest name and the most, longest steps and cautions."""
    fields = {k: v for k, v in ef.VALID.items() if k in ce.CustomExerciseData.__dataclass_fields__}
    name = f"Own {n} " + text(f"name{n}", NAME_MAX - len(f"Own {n} "), shape).replace("\n", " ")
    data = ce.CustomExerciseData(
        **{
            **fields,
            "name": name,
            "steps": [text(f"step{n}.{s}", TEXT_MAX, shape).replace("\n", " ") for s in range(LIST_MAX)],
            "cautions": [text(f"caution{n}.{s}", TEXT_MAX, shape).replace("\n", " ") for s in range(LIST_MAX)],
        }
    )
    return ce.create_custom_exercise(db, clinic.id, data, NOW, photo=photo() if with_photo else None)


def longest_world(db, large_print: bool, shift: int, count: int = program_items.ITEMS_MAX):  # noqa: ANN001, ANN201
    """A program with every field at the longest the forms allow and `count` exercises (by
    default the most it may hold). Field number i (and note number i) is in SHAPES[(i + shift)
    % 3]: over three shifts, every field is prose, one unbroken word and one character a line."""

    def shaped(tag: str, i: int, length: int, one_line: bool = False) -> str:
        value = text(tag, length, SHAPES[(i + shift) % len(SHAPES)])
        return value.replace("\n", " ") if one_line else value  # a name or a step has no line breaks

    clinic = accounts.create_clinic(
        db,
        name=shaped("clinic", 0, NAME, one_line=True),
        address=shaped("address", 1, ADDRESS),
        phone="+1 (555) 010-0199 ext. 12345 / 555-0100"[:PHONE],
        email=("desk." + "x" * EMAIL)[: EMAIL - len("@example.org")] + "@example.org",
    )
    therapist = accounts.create_user(
        db,
        clinic,
        email=f"pt@{clinic.id}.example",
        name=shaped("therapist", 2, NAME, one_line=True),
        password="a long test password",
    )
    patient = make_patient(db, clinic, shaped("patient", 3, NAME, one_line=True), large_print=large_print)
    patient.email = "rosa@example.org"
    own_advice = [advice.add(db, clinic.id, shaped(f"tip{n}", 9, ADVICE_LINE)).text for n in range(8)]
    details = programs.ProgramDetails(
        title=shaped("title", 4, NAME, one_line=True),
        start_date=date(2026, 11, 21),
        reeval_interval_days=42,
        goals=shaped("goals", 5, GOALS),
        frequency=shaped("often", 6, FREQUENCY),
        visit_plan=shaped("visits", 7, VISIT_PLAN),
        advice=[*advice.BUILT_IN, *own_advice],
        advice_text=shaped("advice", 8, ADVICE_TEXT),
    )
    program = programs.create_program(db, patient, details, therapist.id, NOW)
    # Each exercise once (a second copy of one is refused unless it is the other side): six of
    # the clinic's own at their longest, the twelve, then more of the catalog up to the most.
    own = [custom_exercise(db, clinic, k, SHAPES[(9 + k + shift) % 3], with_photo=k % 2 == 1) for k in range(1, 7)]
    shipped = [get_exercise(db, clinic.id, slug) for slug in TWELVE]
    more = db.scalars(
        select(Exercise).where(Exercise.clinic_id.is_(None), Exercise.slug.not_in(TWELVE)).order_by(Exercise.slug)
    )
    exercises = [*own, *shipped, *more][:count]
    assert len(exercises) == count
    most = {key: high for key, (_, high) in LIMITS.items()}
    # A time takes no count of repetitions or sets (dosage_problems): every other item is timed.
    counted = {key: value for key, value in most.items() if key != "minutes"}
    timed = {key: value for key, value in most.items() if key not in ("repetitions", "sets")}
    for n, exercise in enumerate(exercises):
        # Left where the exercise takes one, else both sides, else none (one way only).
        sides = exercise_spec(exercise).sides
        side = "left" if "left" in sides else "both" if "both" in sides else ""
        dosage = timed if n % 2 else counted
        program_items.add_item(
            db, program, exercise, None, NOW, dosage=dosage, side=side, note=shaped(f"note{n}", n, NOTE)
        )
    db.commit()
    return program


def packed(value: str) -> str:
    """Text with every space and line break taken out: a PDF's text says where lines end, not the form."""
    return "".join(value.split())


def body_lines(pdf: bytes) -> list[list[str]]:
    """Each page's lines of text above its footer and without its header, in the order drawn
    (tests.handout_world.page_lines: PDFium's, by pypdf where a page has right-to-left text).

    On the four longest handouts below (252-442 pages) the pages read the same characters in
    the same order as pypdf's lines, each exercise starts on the same page and the same pages
    end in a heading: PDFium makes one line of a label and its value, which pypdf reads as two.
    """
    pages = []
    for lines in page_lines(pdf):
        # Each page's header and footer are drawn after its body: the contact (where the foot
        # takes two lines), the safety line (where it takes one, the page number on its line),
        # the owner and contact (after page 1), the page number.
        safety = max(i for i, line in enumerate(lines) if line.startswith(words.SAFETY))
        contact = [i for i, line in enumerate(lines[:safety]) if line.startswith(words.QUESTIONS)]
        pages.append(lines[: contact[-1] if contact else safety])
    return pages


def build(db, program, large_print: bool = False, page_size: str = "letter") -> bytes:  # noqa: ANN001
    return build_handout(db, program, NOW, options=HandoutOptions(page_size=page_size))


OPTIONS = [(False, "letter"), (False, "a4"), (True, "letter"), (True, "a4")]


def where(pdf: bytes, page: int, value: str) -> list[float]:
    """The top (points from the page's top) of each line of `page` (from 1) that starts with `value`."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        lines = doc.pages[page - 1].extract_text_lines()
    return [line["top"] for line in lines if line["text"].startswith(value)]


@pytest.mark.parametrize("large_print, page_size", OPTIONS)
def test_a_note_longer_than_a_page_goes_on_over_the_next_page(catalog_db, large_print, page_size):
    program = make_world(catalog_db, large_print=large_print, slugs=TWELVE[:3], notes={1: NOTE_37})
    item = program.items[1]
    name, dosage = f"2. {item.exercise.name}", in_words(item.dosage)
    pdf = build_handout(catalog_db, program, NOW, options=HandoutOptions(page_size=page_size))
    pages = body_lines(pdf)
    # Every line of the note, in order, each on a line of its own.
    assert [line for page in pages for line in page if len(line) == 1] == list(string.ascii_letters[:37])
    # The page the block starts on: the one before its first "continued" page (the tick sheet
    # names it too, on the front page where that saves a page).
    continued = words.of("en").continued(2, item.exercise.name)
    start = next(n for n, page in enumerate(pages, start=1) if page[0] == continued) - 1
    assert name in pages[start - 1]
    # The name, the picture and the dosage together at the block's start, the picture between the two.
    assert packed(dosage) in packed(" ".join(pages[start - 1]))
    [top] = where(pdf, start, name)
    first_step = min(y for y in where(pdf, start, "1. " + item.exercise.steps[0][:20]) if y > top)
    assert any(top < y < first_step for y in where(pdf, start, "Start"))  # the picture's label
    # Where it goes on: the "continued" line opens each next page, until the block's end.
    assert continued == f"2. {item.exercise.name} (continued)"
    going_on = [n for n, page in enumerate(pages, start=1) if page[0] == continued]
    assert going_on and going_on == list(range(start + 1, start + 1 + len(going_on)))
    # The cautions follow the steps, before the note: on the block's first page or the next.
    first = packed(" ".join(pages[start - 1] + pages[start]))
    assert packed(words.CAUTION) in first and packed(item.exercise.cautions[-1]) in first
    assert len(going_on) <= (2 if large_print else 1)  # no more page turns than the note needs


def test_an_address_split_across_pages_prints_whole_in_every_handout_of_a_process(catalog_db):
    """Paragraphs of the same text share their line breaks: splitting one must not spoil the next."""
    first = make_world(catalog_db, large_print=True, slugs=TWELVE[:1])
    clinic = catalog_db.get(Clinic, first.clinic_id)
    clinic.address = text("address", ADDRESS, "many lines")  # 150 lines: over several pages
    second = programs.copy_to_patient(catalog_db, first, make_patient(catalog_db, clinic, large_print=True), None, NOW)
    catalog_db.commit()
    forget_drawings()
    alone = build(catalog_db, first)
    for pdf in (build(catalog_db, second), build(catalog_db, first)):
        pages = body_lines(pdf)
        lines = [line for page in pages for line in page if len(line) == 1]
        assert lines == [line for line in clinic.address.splitlines() if len(line) == 1]
        # Page 2 goes on with the address at the top, as page 1 starts (under page 2's running
        # header, which the front page does not have): no empty line first.
        header = styles_for(18).small.leading * 1.6
        assert where(pdf, 2, pages[1][0])[0] == pytest.approx(where(pdf, 1, pages[0][0])[0] + header, abs=1)
    assert build(catalog_db, first) == alone


HEADINGS = {
    words.HEADINGS[key] for key in ("goals", "how_often", "how_long", "exercises", "day", "visits", "tick_sheet")
} | {words.HEADINGS["note"] + ":", words.CAUTION}


# Both prints, both papers; the program's fields in each of their shapes over the three shifts.
# The shift-0 cases hold the most exercises a program may (40: 319 and 442 pages); shifts 1 and 2
# put the program's own fields in their other shapes, which 12 exercises carry as 40 do: all six
# of the clinic's own at their longest (steps, cautions, name; three with a photo), notes in
# every shape on both timed and counted exercises, two-digit numbers: 115 and 195 pages (with
# 40 the large-print one was 425 pages to lay out and read, for the same fields in the same shapes).
LONGEST = [(False, "letter", 0, program_items.ITEMS_MAX), (True, "a4", 0, program_items.ITEMS_MAX)]
LONGEST += [(False, "a4", 1, 12), (True, "letter", 2, 12)]


@pytest.mark.parametrize("large_print, page_size, shift, count", LONGEST)
def test_every_field_at_its_longest_prints_whole(catalog_db, large_print, page_size, shift, count):
    program = longest_world(catalog_db, large_print, shift, count)
    pdf = build_handout(catalog_db, program, NOW, options=HandoutOptions(page_size=page_size))
    pages = body_lines(pdf)
    items = program.items
    assert len(items) == count
    # Where each exercise starts: the first page with a line "12. Name".
    starts = [
        next(
            n
            for n, page in enumerate(pages, start=1)
            if any(line.startswith(f"{i}. {item.exercise.name[:12]}") for line in page)
        )
        for i, item in enumerate(items, start=1)
    ]
    assert starts == sorted(starts)
    closing = next(n for n, page in enumerate(pages, start=1) if n >= starts[-1] and words.HEADINGS["day"] in page)
    for i, item in enumerate(items, start=1):
        start, page = starts[i - 1], packed(" ".join(pages[starts[i - 1] - 1]))
        # The name, the picture and the dosage start the block, on one page.
        head = page.index(packed(f"{i}. {item.exercise.name}"))
        dosage = page.index(packed(in_words(item.dosage)), head)
        if item.exercise.picture:
            assert head < page.index("StartEnd", head) < dosage  # the drawing's labels
        elif item.exercise.photo:
            assert PdfReader(io.BytesIO(pdf)).pages[start - 1].images
        # Each page it goes on to opens with its "continued" line, up to where what follows starts.
        end, follows = (
            (starts[i], f"{i + 1}. {items[i].exercise.name}") if i < len(items) else (closing, words.HEADINGS["day"])
        )
        continued = packed(words.of("en").continued(i, item.exercise.name))
        for n in range(start + 1, end + 1):
            opening = packed(" ".join(pages[n - 1]))
            assert opening.startswith(continued) or (n == end and opening.startswith(packed(follows)[:8])), (i, n)
    # Nothing lost: every field, from its first character to its last, and every note line.
    # The therapist's own advice prints a line a bullet ("•"): the words read back without them.
    text = packed(" ".join(line for page in pages for line in page)).replace("•", "")
    for i, item in enumerate(items, start=1):
        text = text.replace(packed(words.of("en").continued(i, item.exercise.name)), "")
    # Tips that go on to a page open it with their heading again, between two whole tips.
    text = text.replace(packed(words.of("en").headings["day_continued"]), "")
    fields = [program.patient.name, program.therapist.name, program.title, program.goals, program.frequency]
    fields += [program.visit_plan, program.advice_text, *program.advice, *(item.note for item in items)]
    fields += [step for item in items[:2] for step in (*item.exercise.steps, *item.exercise.cautions)]
    clinic = catalog_db.get(Clinic, program.clinic_id)
    fields += [clinic.name, clinic.address, clinic.email]
    for field in fields:
        value = packed(field)
        if any(sentence[:4] in field for sentence in UNREAD):  # prose: its readable sentences, and both ends
            [tag] = re.findall(r"<([\w.]+):", field)
            assert f"<{tag}:" in text and f":{tag}>" in text, tag
            for sentence in READABLE:
                assert packed(sentence) in text
        else:
            assert value in text, field[:20]
    # Nothing alone on a page: no page is only a "continued" line, or ends with a heading.
    for number, page in enumerate(pages, start=1):
        assert page and page[-1] not in HEADINGS, number
        assert not any(packed(" ".join(page)) == packed(words.of("en").continued(i, "")) for i in range(41))


def test_the_page_the_email_and_the_export_all_carry_a_block_taller_than_a_page(catalog_app, catalog_db, tmp_path):
    program = make_world(catalog_db, large_print=True, slugs=TWELVE[:3], notes={1: NOTE_37})
    program.patient.email = "rosa@example.org"
    catalog_db.commit()
    client = catalog_app.test_client()
    login(client, program.therapist.email)
    printed = client.post(f"/programs/{program.id}/handout.pdf")
    assert printed.status_code == 200 and printed.mimetype == "application/pdf"

    client.post(f"/programs/{program.id}/email-handout")
    assert dispatch_once(catalog_app).sent == 1
    [eml] = (tmp_path / "instance" / "outbox").glob("*handout*.eml")
    [emailed] = [
        part.get_payload(decode=True)
        for part in email.message_from_bytes(eml.read_bytes()).walk()
        if part.get_content_type() == "application/pdf"
    ]

    done = export_all(catalog_app.config["DATABASE_URL"], tmp_path / "export", HandoutOptions(), NOW, workers=1)
    assert done.written == 1 and not done.not_made
    exported = (tmp_path / "export" / f"program-{program.id}-v{program.version}.pdf").read_bytes()
    for pdf in (printed.data, emailed, exported):
        lines = [line for page in body_lines(pdf) for line in page]
        assert [line for line in lines if len(line) == 1] == list(string.ascii_letters[:37])
        assert words.of("en").continued(2, program.items[1].exercise.name) in lines


@pytest.mark.parametrize("large_print, page_size", OPTIONS)
def test_the_longest_phone_number_and_the_page_number_never_overlap(catalog_db, large_print, page_size):
    program = make_world(catalog_db, large_print=large_print, slugs=TWELVE[:1])
    clinic = catalog_db.get(Clinic, program.clinic_id)
    clinic.phone = "+1 (555) 010-0199 ext. 12345 / 555-0100"[:PHONE]
    catalog_db.commit()
    pdf = build_handout(catalog_db, program, NOW, options=HandoutOptions(page_size=page_size))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages, start=1):
            footer = [w for w in page.extract_words() if w["top"] > page.height * 0.85]
            at = next(i for i, w in enumerate(footer) if w["text"] == "Page")
            page_number, rest = footer[at : at + 4], footer[:at] + footer[at + 4 :]
            assert " ".join(w["text"] for w in page_number) == f"Page {number} of {len(doc.pages)}"
            assert f"{words.QUESTIONS}: {clinic.phone}" in " ".join(w["text"] for w in rest)
            for word in rest:
                assert word["x0"] > 0 and word["x1"] < page.width  # on the page
                beside = abs(word["top"] - page_number[0]["top"]) < 2
                assert not (beside and word["x1"] > page_number[0]["x0"]), word["text"]


# A note's words in Spanish (a long word or two, accents): any length from a few lines to the
# form's limit, cut where it falls, as a therapist might stop typing anywhere.
NOTE_WORDS = (
    "Colóquese frente al espejo del baño con buena luz. Mire cómo está su cabeza sin corregirla. "
    "Después llévela despacio hacia el centro, sin tirones, y respire tres veces. "
)


@pytest.mark.parametrize("layout", ["compact", "page"])
@pytest.mark.parametrize("large_print, page_size", OPTIONS)
def test_a_note_of_any_length_on_the_last_exercise_prints_whole(catalog_db, large_print, page_size, layout):
    """Trial 17: at 18 pt a note of about 360-520 characters on the last exercise stopped the
    handout (IndexError while placing the tips): the preview and print pages answered 500 and the
    email failed five times. Every note length from 250 characters to the form's limit, in steps of
    50, on the last exercise of a program of one and of two: the handout is made, and the note
    reads back whole, in order."""
    import dataclasses

    from planner.handouts.build import render
    from planner.handouts.content import handout_content

    program = make_world(catalog_db, large_print=large_print, slugs=TWELVE[:2], notes={1: "x"})
    content = handout_content(catalog_db, program, NOW, "https://x.example/p/a-private-token", "en")
    options = HandoutOptions(page_size=page_size)
    text = NOTE_WORDS * (NOTE // len(NOTE_WORDS) + 1)
    for count, length in itertools.product((1, 2), range(250, NOTE + 1, 50)):
        note = text[:length].strip()
        last = dataclasses.replace(content.exercises[count - 1], note=note)
        one = dataclasses.replace(
            content, exercises=(*content.exercises[: count - 1], last), large_print=large_print, layout=layout
        )
        pdf = render(one, options)
        # The body of every page, in order, without the header and footer a page turn puts inside
        # the note, nor the heading that says the exercise goes on ("… (continuación)"). On all 256
        # of these handouts PDFium reads the same words in the same order as pypdf's lines.
        lines = [line for page in body_lines(pdf) for line in page if not re.search(r"\(continued\)$", line)]
        assert packed(note) in packed("".join(lines)), (count, length)
