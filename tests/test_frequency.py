"""One frequency, from the exercises: how often and how long come from the items' dosages, and the
tick sheet and the phone page follow each exercise's own times a day and days."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import UTC, date, datetime, timedelta

import pdfplumber
import pytest

from planner.handouts import HandoutOptions, words
from planner.handouts.build import render
from planner.handouts.content import handout_content
from planner.models.portal import ExerciseLog
from planner.schedule import frequency_stated, how_long_sentences, schedule_sentences
from planner.services import DomainError, patient_links, program_items, programs
from planner.services.catalog import get_exercise
from planner.services.coverage import coverage, due_days, exercise_seconds, frequencies
from tests.factories import give, make_clinic, make_patient
from tests.handout_world import pages_text

NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)  # a Saturday


@pytest.mark.parametrize(
    "days_per_week, days",
    [
        (None, (0, 1, 2, 3, 4, 5, 6)),
        (7, (0, 1, 2, 3, 4, 5, 6)),
        (6, (0, 1, 2, 3, 4, 5)),
        (5, (0, 1, 2, 3, 4)),
        (4, (0, 1, 3, 5)),
        (3, (0, 2, 4)),  # Monday, Wednesday, Friday: a rest day between strengthening days
        (2, (0, 3)),
        (1, (0,)),
        (0, (0,)),  # held to 1..7
        (9, (0, 1, 2, 3, 4, 5, 6)),
    ],
)
def test_which_weekdays_an_exercise_is_due(days_per_week, days):
    assert due_days(days_per_week) == days


FOUR_A_DAY = {"repetitions": 10, "times_per_day": 4}  # 60 s a time
THREE_DAYS = {"sets": 2, "repetitions": 5, "hold_seconds": 2, "rest_seconds": 30, "days_per_week": 3}  # 110 s
TWICE = {"minutes": 5, "times_per_day": 2}  # 320 s a time
FOUR_DAYS = {"repetitions": 8, "days_per_week": 4}  # Monday, Tuesday, Thursday, Saturday


@pytest.mark.parametrize(
    "dosages, session, shortest, day, by_day",
    [
        # one exercise, 4 times a day: 1 minute a time, 4 a day, every day
        ([FOUR_A_DAY], 1, 1, 4, (4,) * 7),
        # 3 days a week: nothing on the other days
        ([THREE_DAYS], 2, 2, 2, (2, 0, 2, 0, 2, 0, 0)),
        # together: a longer round and a longer day on Monday, Wednesday and Friday; the second to
        # fourth times of a day hold only the 4-times exercise
        ([FOUR_A_DAY, THREE_DAYS], 3, 1, 6, (6, 4, 6, 4, 6, 4, 4)),
        # the busiest day counts each exercise as many times as it is done: 4×60 + 110 + 2×320 s
        ([FOUR_A_DAY, THREE_DAYS, TWICE], 8, 1, 16, (16, 14, 16, 14, 16, 14, 14)),
        ([TWICE, TWICE], 11, 11, 22, (22,) * 7),  # both twice a day: every time the same, 11 + 11
        ([], 0, 0, 0, (0,) * 7),
    ],
)
def test_how_long_comes_from_the_dosages(dosages, session, shortest, day, by_day):
    assert [exercise_seconds(d) for d in (FOUR_A_DAY, THREE_DAYS, TWICE)] == [60, 110, 320]
    result = coverage([("posture", ["neck"], d) for d in dosages])
    assert (result.session_minutes, result.shortest_session_minutes) == (session, shortest)
    assert (result.day_minutes, result.minutes_by_day) == (day, by_day)


# The issue's program: times of 19, 11 and 1.5 minutes, which the front page called "about 19
# minutes each time". 90 s four times a day, 560 s twice, 500 s once: 1,150 / 650 / 90 / 90 s.
SHORT_FOUR = {"repetitions": 7, "hold_seconds": 6, "times_per_day": 4}
NINE_TWICE = {"minutes": 9, "times_per_day": 2}
EIGHT_ONCE = {"minutes": 8}


@pytest.mark.parametrize(
    "language, dosages, said",
    [
        (
            "en",
            [EIGHT_ONCE, NINE_TWICE, SHORT_FOUR],
            "About 2 to 19 minutes each time. In all, about 34 minutes a day.",
        ),
        (
            "es",
            [EIGHT_ONCE, NINE_TWICE, SHORT_FOUR],
            "Cada vez, entre 2 y 19 minutos. En total, unos 34 minutos al día.",
        ),
        ("en", [EIGHT_ONCE], "About 8 minutes each time."),
        ("en", [{"repetitions": 10}], "About 1 minute each time."),
        ("es", [{"repetitions": 10}], "Cerca de 1 minuto cada vez."),
        ("en", [TWICE, TWICE], "About 11 minutes each time. In all, about 22 minutes a day."),
        ("en", [FOUR_A_DAY], "About 1 minute each time. In all, about 4 minutes a day."),
        ("en", [THREE_DAYS], "About 2 minutes each time."),
        (
            "en",
            [FOUR_A_DAY, THREE_DAYS],
            "About 1 to 3 minutes each time. In all, about 6 minutes a day on the busiest days.",
        ),
        (
            "es",
            [FOUR_A_DAY, THREE_DAYS],
            "Cada vez, entre 1 y 3 minutos. En total, unos 6 minutos al día los días con más ejercicios.",
        ),
        ("en", [], ""),
    ],
)
def test_how_long_says_the_shortest_and_longest_time_when_they_differ(language, dosages, said):
    cover = coverage([("posture", ["neck"], d) for d in dosages])
    assert how_long_sentences(cover, language) == said
    assert words.of(language).how_long(cover) == said  # the handout's front page says the same


@pytest.mark.parametrize(
    "language, dosages, said",
    [
        ("en", [{"repetitions": 5}], ["Every day, once a day."]),
        ("en", [FOUR_A_DAY, FOUR_A_DAY], ["Every day, 4 times a day."]),
        ("en", [THREE_DAYS], ["3 days a week: Monday, Wednesday and Friday. Once a day."]),
        (
            "en",
            [{"repetitions": 5, "days_per_week": 5, "times_per_day": 2}],
            ["5 days a week: Monday to Friday. 2 times a day."],
        ),
        ("en", [{"repetitions": 5, "days_per_week": 1}], ["1 day a week: Monday. Once a day."]),
        (
            "en",
            [THREE_DAYS, {**THREE_DAYS, "times_per_day": 3}],
            ["3 days a week: Monday, Wednesday and Friday. 1 to 3 times a day, as each exercise says."],
        ),
        (
            "en",
            [FOUR_A_DAY, THREE_DAYS, TWICE],
            [
                "Every day, 1 to 4 times a day, as each exercise says.",
                "Exercise 2: Monday, Wednesday and Friday only.",
            ],
        ),
        (
            "en",
            [TWICE, FOUR_A_DAY, {**TWICE, "days_per_week": 6}, {**THREE_DAYS, "times_per_day": 2}],
            [
                "Every day, 2 to 4 times a day, as each exercise says.",
                "Exercise 3: Monday to Saturday only.",
                "Exercise 4: Monday, Wednesday and Friday only.",
            ],
        ),
        (
            "en",
            [FOUR_A_DAY, THREE_DAYS, TWICE, {**THREE_DAYS, "times_per_day": 2}, {**THREE_DAYS, "days_per_week": 2}],
            [
                "Every day, 1 to 4 times a day, as each exercise says.",
                "Exercises 2 and 4: Monday, Wednesday and Friday only.",
                "Exercise 5: Monday and Thursday only.",
            ],
        ),
        # Two in a row as a person says them: "1 or 2 times a day", not "once to 2 times a day"
        # (therapist trial 18); the same in Spanish.
        ("en", [{"repetitions": 5}, TWICE], ["Every day, 1 or 2 times a day, as each exercise says."]),
        (
            "en",
            [{**THREE_DAYS, "times_per_day": 2}, {**THREE_DAYS, "times_per_day": 3}],
            ["3 days a week: Monday, Wednesday and Friday. 2 or 3 times a day, as each exercise says."],
        ),
        ("es", [{"repetitions": 5}, TWICE], ["Todos los días, 1 o 2 veces al día, según cada ejercicio."]),
        (
            "es",
            [{**THREE_DAYS, "times_per_day": 2}, {**THREE_DAYS, "times_per_day": 3}],
            ["3 días a la semana: lunes, miércoles y viernes. 2 o 3 veces al día, según cada ejercicio."],
        ),
        # Spanish: whole sentences from the catalog, the day names and "y" from CLDR.
        ("es", [{"repetitions": 5}], ["Todos los días, una vez al día."]),
        ("es", [FOUR_A_DAY, FOUR_A_DAY], ["Todos los días, 4 veces al día."]),
        ("es", [THREE_DAYS], ["3 días a la semana: lunes, miércoles y viernes. Una vez al día."]),
        ("es", [{"repetitions": 5, "days_per_week": 1}], ["1 día a la semana: lunes. Una vez al día."]),
        (
            "es",
            [{"repetitions": 5, "days_per_week": 5, "times_per_day": 2}],
            ["5 días a la semana: de lunes a viernes. 2 veces al día."],
        ),
        (
            "es",
            [FOUR_A_DAY, THREE_DAYS, TWICE],
            [
                "Todos los días, de 1 a 4 veces al día, según cada ejercicio.",
                "Ejercicio 2: solo lunes, miércoles y viernes.",
            ],
        ),
        (
            "es",
            [TWICE, FOUR_A_DAY, {**TWICE, "days_per_week": 6}, {**THREE_DAYS, "times_per_day": 2}],
            [
                "Todos los días, de 2 a 4 veces al día, según cada ejercicio.",
                "Ejercicio 3: solo de lunes a sábado.",
                "Ejercicio 4: solo lunes, miércoles y viernes.",
            ],
        ),
        # No exercise every day: the heading names every day any exercise is done (the union),
        # then each exercise done on fewer of them (the trial: 3 and 4 days a week).
        (
            "en",
            [THREE_DAYS, FOUR_DAYS],
            [
                "6 days a week: Monday to Saturday. Once a day.",
                "Exercise 1: Monday, Wednesday and Friday only.",
                "Exercise 2: Monday, Tuesday, Thursday and Saturday only.",
            ],
        ),
        (
            "es",
            [THREE_DAYS, FOUR_DAYS],
            [
                "6 días a la semana: de lunes a sábado. Una vez al día.",
                "Ejercicio 1: solo lunes, miércoles y viernes.",
                "Ejercicio 2: solo lunes, martes, jueves y sábado.",
            ],
        ),
        (
            "en",
            [
                {**THREE_DAYS, "times_per_day": 4},
                {**THREE_DAYS, "days_per_week": 2},
                {**THREE_DAYS, "days_per_week": 2},
            ],
            [
                "4 days a week: Monday, Wednesday, Thursday and Friday. 1 to 4 times a day, as each exercise says.",
                "Exercise 1: Monday, Wednesday and Friday only.",
                "Exercises 2 and 3: Monday and Thursday only.",
            ],
        ),
        # 3 and 4 days a week with a daily one: every day, the two others as exceptions.
        (
            "es",
            [FOUR_DAYS, THREE_DAYS, FOUR_A_DAY],
            [
                "Todos los días, de 1 a 4 veces al día, según cada ejercicio.",
                "Ejercicio 1: solo lunes, martes, jueves y sábado.",
                "Ejercicio 2: solo lunes, miércoles y viernes.",
            ],
        ),
        ("en", [], []),
    ],
)
def test_how_often_is_said_from_the_dosages(language, dosages, said):
    assert schedule_sentences(frequencies(dosages), language) == said


@pytest.fixture
def clinic(catalog_db):
    return make_clinic(catalog_db, "Frequency Clinic", timezone="UTC")


def program_of(db, clinic, dosages, note=""):
    patient = make_patient(db, clinic, "Tomasz Wiśniewski")
    details = programs.ProgramDetails("Every day a little", date(2026, 11, 16), frequency=note)
    program = programs.create_program(db, patient, details, None, NOW)
    for slug, dosage in dosages:
        program_items.add_item(db, program, get_exercise(db, clinic.id, slug), None, NOW, dosage)
    db.commit()
    return program


MIXED = [
    ("chin-tuck-sitting", {"repetitions": 10, "hold_seconds": 5, "times_per_day": 4}),
    ("wall-push-up", {"sets": 2, "repetitions": 8, "days_per_week": 3}),
    ("belly-breathing-lying", {"minutes": 5}),
]


@pytest.mark.parametrize(
    "language, note, printed",
    [
        ("en", "Before you write, after breakfast.", "Note: Before you write, after breakfast."),
        ("es", "Antes de escribir, después del desayuno.", "Nota: Antes de escribir, después del desayuno."),
        # saved before notes were checked: each says a second frequency, so the note is left out
        ("en", "Every day, once a day", None),
        ("en", "every day twice", None),
        ("es", "Dos veces al día, 30 minutos", None),
        ("es", "Todos los días, después de comer", None),
        ("en", "Μία φορά την ημέρα: 2 times a day", None),
    ],
)
def test_the_handout_front_page_says_how_often_from_the_dosages_and_the_note_beside(
    catalog_db, clinic, language, note, printed
):
    program = program_of(catalog_db, clinic, MIXED)
    program.frequency = note  # stored as is, as an older release may have saved it
    content = handout_content(catalog_db, program, NOW, language=language)
    computed = handout_content(catalog_db, program_of(catalog_db, clinic, MIXED), NOW, language=language)
    lines = content.how_often.split("\n")
    assert lines == computed.how_often.split("\n") + ([printed] if printed else [])
    if language == "en":
        assert lines[:2] == [
            "Every day, 1 to 4 times a day, as each exercise says.",
            "Exercise 2: Monday, Wednesday and Friday only.",
        ]


def test_how_long_says_the_shortest_and_longest_time_of_a_mixed_program(catalog_db, clinic):
    program = program_of(catalog_db, clinic, MIXED)
    content = handout_content(catalog_db, program, NOW)
    cover = programs.program_coverage(program)
    assert content.how_long == (
        # the chin tuck alone on its 2nd to 4th time: the shortest time is said with the longest
        f"About {cover.shortest_session_minutes} to {cover.session_minutes} minutes each time. "
        f"In all, about {cover.day_minutes} minutes a day on the busiest days."
    )


@pytest.mark.parametrize("limit", [1, 6])  # over the limit, and within it
def test_the_builder_s_coverage_gives_the_handout_it_checks_the_same_words(catalog_db, clinic, limit):
    """The builder hands its coverage panel's figures to the handout check (`cover`): whatever
    limit and goals the panel counts against, the handout says the same how often and how long."""
    program = program_of(catalog_db, clinic, MIXED, note="Before you write.")
    for language in ("en", "es"):
        own = handout_content(catalog_db, program, NOW, language=language)
        given = handout_content(
            catalog_db, program, NOW, language=language, cover=programs.program_coverage(program, limit)
        )
        assert given == own


def test_the_front_page_heading_names_every_day_of_a_program_with_no_daily_exercise(catalog_db, clinic):
    """The trial: band-row 3 days a week and neck-press-side 4 printed "4 days a week" only."""
    program = program_of(
        catalog_db,
        clinic,
        [
            ("band-row", {"repetitions": 10, "days_per_week": 3}),
            ("neck-press-side", {"repetitions": 5, "days_per_week": 4}),
        ],
    )
    expected = [
        "6 days a week: Monday to Saturday. Once a day.",
        "Exercise 1: Monday, Wednesday and Friday only.",
        "Exercise 2: Monday, Tuesday, Thursday and Saturday only.",
    ]
    assert handout_content(catalog_db, program, NOW).how_often.split("\n") == expected
    # The builder's panel reads the same sentences from the same coverage.
    assert schedule_sentences(programs.program_coverage(program).frequencies) == expected


def test_the_shipped_templates_no_longer_contradict_their_exercises(catalog_db, clinic):
    """The issue found "Every day, once a day" above exercises done 2 and 4 times a day."""
    from planner.services import program_templates

    for template in program_templates.list_templates(catalog_db, clinic.id):
        patient = make_patient(catalog_db, clinic)
        program = program_templates.start_from_template(catalog_db, template, patient, None, NOW.date(), NOW).program
        how_often = handout_content(catalog_db, program, NOW).how_often
        times = {int(i.dosage.get("times_per_day") or 1) for i in program.items}
        assert not any(ch.isdigit() for ch in template.content["frequency"]), template.name  # a note, no number
        first = how_often.split("\n")[0]
        if len(times) == 1:
            (only,) = times
            assert ("once a day" if only == 1 else f"{only} times a day") in first, template.name
        else:
            between = "or" if max(times) == min(times) + 1 else "to"
            assert f"{min(times)} {between} {max(times)} times a day" in first, template.name


def sheet_boxes(pdf: bytes, language: str):
    """The tick sheet read back from its page (the last, or the front page where it saves a
    page): {exercise number: {weekday (0 Monday): the boxes drawn in that day's cell}}, each box
    as (x, top, side) in points; and the rest days shaded grey, as {exercise number: weekdays}."""
    header = " ".join(words.of(language).days)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = [page for page in doc.pages if header in " ".join((page.extract_text() or "").split())][-1]
        found = page.extract_words()
        days = [w for w in found if w["text"] in words.of(language).days][:7]
        assert [w["text"] for w in days] == list(words.of(language).days)
        # The grid's lines (not the boxes' edges): the day columns around the day names, the rows around the labels.
        xs = sorted({round(e["x0"], 1) for e in page.lines if e["x0"] == e["x1"]})
        columns = [next((a, b) for a, b in zip(xs, xs[1:], strict=False) if a < d["x0"] < b) for d in days]
        labels: dict = {}
        for w in found:  # the sheet's rows: the first numbers under the day names (steps may follow the sheet)
            if w["text"] in ("1.", "2.", "3.") and w["x0"] < columns[0][0] and w["top"] > days[0]["top"]:
                labels.setdefault(int(w["text"][:-1]), w)
        ys = sorted({round(e["top"], 1) for e in page.lines if e["top"] == e["bottom"]})
        rows = {
            n: next((a, b) for a, b in zip(ys, ys[1:], strict=False) if a < w["top"] < b) for n, w in labels.items()
        }

        def cell(x, y):
            day = next((d for d, (a, b) in enumerate(columns) if a < x < b), None)
            row = next((n for n, (a, b) in rows.items() if a < y < b), None)
            return row, day

        boxes: dict[int, dict[int, list]] = {n: {d: [] for d in range(7)} for n in rows}
        rest: dict[int, list[int]] = {n: [] for n in rows}
        for r in page.rects:
            row, day = cell((r["x0"] + r["x1"]) / 2, (r["top"] + r["bottom"]) / 2)
            if row is None or day is None:
                continue
            if r["stroke"] and abs(r["width"] - r["height"]) < 0.5 and r["width"] > 15:
                boxes[row][day].append((r["x0"], r["top"], r["width"]))
            elif r["fill"] and round(r["non_stroking_color"][0], 2) == 0.79:  # ticksheet.REST, #C9C9C9
                rest[row].append(day)
        return boxes, rest


def week_rows(pdf: bytes, language: str):
    """Large print: each exercise's week of boxes read back from under it, in the order the
    exercises come: [{weekday (0 Monday): the boxes drawn in that day's cell}], each box as (x,
    top, side) in points; and the rest days shaded grey, [weekdays]. Also the page each is on."""
    said = words.of(language)
    found_boxes, found_rest, pages = [], [], []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages):
            found = page.extract_words()
            days = [w for w in found if w["text"] in said.days]
            for start in range(0, len(days) - 6, 7):
                week = days[start : start + 7]
                if [w["text"] for w in week] != list(said.days):
                    continue
                # The grid's own lines: those that cross the day names (a picture has lines too).
                middle = (week[0]["top"] + week[0]["bottom"]) / 2
                xs = sorted(
                    {round(e["x0"], 1) for e in page.lines if e["x0"] == e["x1"] and e["top"] < middle < e["bottom"]}
                )
                columns = [next((a, b) for a, b in zip(xs, xs[1:], strict=False) if a < d["x0"] < b) for d in week]
                ys = sorted(
                    {round(e["top"], 1) for e in page.lines if e["top"] == e["bottom"] and e["top"] > week[0]["top"]}
                )
                top, bottom = ys[0], ys[1]  # the row under the day names
                boxes: dict[int, list] = {d: [] for d in range(7)}
                rest: list[int] = []
                for r in page.rects:
                    x, y = (r["x0"] + r["x1"]) / 2, (r["top"] + r["bottom"]) / 2
                    day = next((d for d, (a, b) in enumerate(columns) if a < x < b), None)
                    if day is None or not top < y < bottom:
                        continue
                    if r["stroke"] and abs(r["width"] - r["height"]) < 0.5 and r["width"] > 15:
                        boxes[day].append((r["x0"], r["top"], r["width"]))
                    elif r["fill"] and round(r["non_stroking_color"][0], 2) == 0.79:  # ticksheet.REST, #C9C9C9
                        rest.append(day)
                found_boxes.append(boxes)
                found_rest.append(rest)
                pages.append(number)
    return found_boxes, found_rest, pages


@pytest.mark.parametrize(
    ("language", "size", "page_size", "side", "layout"),
    [
        ("en", 14, "letter", 19.5, "compact"),
        ("es", 14, "a4", 19.5, "compact"),
        ("en", 18, "letter", 25.1, "page"),
        ("es", 18, "a4", 25.1, "page"),
        ("en", 18, "letter", 25.1, "compact"),
        ("es", 18, "a4", 25.1, "compact"),
    ],
)
def test_the_tick_boxes_are_one_per_time_and_none_on_rest_days(
    catalog_db, clinic, language, size, page_size, side, layout
):
    """Exercise 1 is done 4 times a day, exercise 2 on 3 days a week, exercise 3 once a day: on
    the tick sheet, and in large print (compact) in each exercise's week of boxes under it."""
    program = program_of(catalog_db, clinic, MIXED)
    content = dataclasses.replace(
        handout_content(catalog_db, program, NOW, language=language), large_print=size == 18, layout=layout
    )
    pdf = render(content, HandoutOptions(page_size=page_size))
    if size == 18 and layout == "compact":
        rows, rests, pages = week_rows(pdf, language)
        boxes, rest = dict(enumerate(rows, start=1)), dict(enumerate(rests, start=1))
        # Each under its own exercise: on the page whose exercise it is, one week an exercise.
        texts = pages_text(pdf)
        assert len(pages) == 3
        for n, page in enumerate(pages, start=1):
            assert f"{n}. {content.exercises[n - 1].name}"[:20] in texts[page]
        assert not any(words.of(language).headings["tick_sheet"] in text for text in texts)
    else:
        boxes, rest = sheet_boxes(pdf, language)
        # One rule on every row: the boxes say how many times, a box each time; no row says
        # "(4 times a day)" while another row done as often does not (the trial saw both).
        said = words.of(language)
        sheet = [text for text in pages_text(pdf) if " ".join(said.days) in text][-1]
        rows = sheet.split(" ".join(said.days), 1)[1].split(said.questions)[0].split(said.headings["exercises"])[0]
        assert "3. " in rows and not any(label in rows for label in ("times a day", "veces al día")), rows
    counts = {n: [len(boxes[n][day]) for day in range(7)] for n in boxes}
    assert counts == {1: [4] * 7, 2: [1, 0, 1, 0, 1, 0, 0], 3: [1] * 7}
    # A day it rests is shaded, with no box; no other day is.
    assert rest == {1: [], 2: [1, 3, 5, 6], 3: []}
    # Each box big enough for a tick made with a tremor: a third of an inch at 14 pt, more at 18.
    sides = [b[2] for row in boxes.values() for day in row.values() for b in day]
    assert min(sides) >= side
    monday = sorted(boxes[1][0], key=lambda b: (round(b[1]), b[0]))
    lines = sorted({round(b[1]) for b in monday})
    if size == 14 or layout == "compact":
        # The boxes of one day side by side, two a line: 4 times a day is two lines of two.
        assert len(lines) == 2 and [sum(1 for b in monday if round(b[1]) == y) for y in lines] == [2, 2]
    # No two boxes touch: each can be ticked on its own (2.8 pt, 1 mm, apart at 14 pt).
    for a, b in zip(monday, monday[1:], strict=False):
        assert b[0] >= a[0] + a[2] + 2.5 or b[1] >= a[1] + a[2] + 2.5


def test_the_phone_page_ticks_each_time_and_shows_no_box_on_a_rest_day(catalog_app, catalog_db, clinic, now):
    program = give(catalog_db, program_of(catalog_db, clinic, MIXED), NOW)
    _, token = patient_links.create_link(catalog_db, program.patient, catalog_app.secret_key, NOW)
    catalog_db.commit()
    phone = catalog_app.test_client()
    today = now.date()  # the page reads the same clock
    # The newest Tuesday within the week a patient may fill in: a rest day for exercise 2.
    tuesday = next(today - timedelta(days=n) for n in range(7) if (today - timedelta(days=n)).weekday() == 1)
    chin, push_up = program.items[0].exercise_id, program.items[1].exercise_id

    page = phone.get(f"/p/{token}?day={tuesday}").get_data(as_text=True)
    push_up_part = page.split(f'id="exercise-{push_up}"')[1].split('<li id="exercise-')[0]
    assert "a rest day for this exercise. Its days are Monday, Wednesday and Friday." in push_up_part
    assert "I did" not in push_up_part and "<form" not in push_up_part
    assert "0 of 5 times done" in page  # the chin tuck 4 times and the breathing once: not what rests

    def tap(time: int) -> int:
        phone.post(f"/p/{token}/tick", data={"exercise": chin, "day": tuesday.isoformat(), "done": "1", "time": time})
        catalog_db.expire_all()
        return catalog_db.query(ExerciseLog).filter_by(exercise_id=chin, day=tuesday).one().times

    # A shaky second tap on the first box, then on the next box within seconds: one time done.
    assert [tap(1), tap(1), tap(2)] == [1, 1, 1]
    log = catalog_db.query(ExerciseLog).filter_by(exercise_id=chin, day=tuesday).one()
    log.created_at = now - timedelta(hours=1)  # hours later, the next time is done
    catalog_db.commit()
    assert tap(9) == 4  # a number past 4 is held to 4
    page = phone.get(f"/p/{token}?day={tuesday}").get_data(as_text=True)
    assert "Done 4 of 4 times" in page and "4 of 5 times done" in page  # the breathing not yet
    # The tick only ticks: an old page's "not done" takes back nothing. Taking back is asked
    # first, on its own page, and takes back the latest time only.
    phone.post(f"/p/{token}/tick", data={"exercise": chin, "day": tuesday.isoformat(), "done": "0"})
    catalog_db.expire_all()
    assert catalog_db.query(ExerciseLog).filter_by(exercise_id=chin, day=tuesday).one().times == 4
    assert "Take back time 4 of 4" in page
    log.created_at = now - timedelta(hours=1)
    catalog_db.commit()
    phone.post(f"/p/{token}/undo", data={"exercise": chin, "day": tuesday.isoformat(), "time": "4"})
    catalog_db.expire_all()
    assert catalog_db.query(ExerciseLog).filter_by(exercise_id=chin, day=tuesday).one().times == 3

    # In Spanish, the same page says it in whole Spanish sentences, the days named as Spanish writes them.
    program.patient.language = "es"
    catalog_db.commit()
    page = phone.get(f"/p/{token}?day={tuesday}").get_data(as_text=True)
    push_up_part = page.split(f'id="exercise-{push_up}"')[1].split('<li id="exercise-')[0]
    assert "es un día de descanso para este ejercicio. Sus días son: lunes, miércoles y viernes." in push_up_part
    assert "3 de 4 veces." in page.split(f'id="exercise-{chin}"')[1]


@pytest.mark.parametrize(
    "note, said",
    [
        # The trial's note, and how often or how long said other ways, in English and Spanish.
        ("Twice a day, 7 days a week, 45 minutes", "Twice a day"),
        ("Do them 3x daily", "3x daily"),
        ("4 times per week, after lunch", "4 times per week"),
        ("A few times a day", "A few times a day"),
        ("5 days a week", "5 days a week"),
        ("Every day, once a day", "Every day"),
        ("Every other day", "Every other day"),
        ("Daily, before bed", "Daily"),
        ("Once a week on Sunday", "Once a week"),
        ("For 20 min", "20 min"),
        ("About half an hour", "half an hour"),
        ("1.5 hours in all", "1.5 hours"),
        ("Dos veces al día", "Dos veces al día"),
        ("3 VECES POR SEMANA", "3 VECES POR SEMANA"),
        ("5 días a la semana, después de comer", "5 días a la semana"),
        ("Todos los días", "Todos los días"),
        ("Antes de dormir, a diario", "a diario"),
        ("Durante 20 minutos", "20 minutos"),
        ("Media hora", "Media hora"),
        ("Cada día", "Cada día"),
        ("Sans accents: 3 dias por semana", "3 dias por semana"),
        # Notes on when or where pass: words that only look like a number here.
        ("Once you wake up, stretch gently.", ""),
        ("Every morning, after you wash.", ""),  # when, not how often: the dosages say that
        ("Cada mañana, al levantarse.", ""),
        ("Una vez que te levantes, empieza tumbado.", ""),
        ("Pick a time of day when you feel loose and rested.", ""),
        ("Elija una hora del día en que tenga el cuerpo suelto.", ""),
        ("After breakfast, in a quiet room.", ""),
        ("Después del desayuno, en un lugar tranquilo.", ""),
        ("Перед сном, в тихой комнате.", ""),
        ("早饭以后", ""),
        ("", ""),
    ],
)
def test_a_note_on_when_to_exercise_never_says_how_often_or_how_long(note, said):
    assert frequency_stated(note) == said


def test_the_shipped_templates_notes_pass_in_every_language():
    """The templates' own notes (and their translations) are notes beside the numbers, never a number."""
    import tomllib
    from pathlib import Path

    folder = Path(__file__).resolve().parent.parent / "exercises" / "templates"
    files = sorted(folder.glob("*.toml")) + sorted((folder / "translations").glob("*/*.toml"))
    notes = {str(f): tomllib.loads(f.read_text(encoding="utf-8")).get("frequency", "") for f in files}
    assert len([n for n in notes.values() if n]) >= 10
    assert {f: frequency_stated(n) for f, n in notes.items() if frequency_stated(n)} == {}


def test_the_builder_refuses_a_note_that_says_how_often_at_the_field_and_keeps_what_was_typed(
    catalog_app, catalog_db, clinic
):
    from tests.conftest import login
    from tests.factories import make_user

    make_user(catalog_db, clinic, email="note@frequency.org")
    program = program_of(catalog_db, clinic, MIXED, note="Before you write.")
    client = catalog_app.test_client()
    login(client, "note@frequency.org")
    typed = {
        "title": "Hands, week 2 — Ελένη",
        "start_date": "2026-11-16",
        "goals": "Write a card to my grandson",
        "frequency": "Dos veces al día, 30 minutos",
        "visit_plan": "Weekly visits for 6 weeks",
        "lock_version": program.lock_version,
    }
    response = client.post(f"/programs/{program.id}/details", data=typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    error = re.search(r'<p class="error" id="frequency-error">(.*?)</p>', html).group(1)
    assert "“Dos veces al día”" in error and "each exercise&#39;s dosage" in error
    for value in ("Hands, week 2 — Ελένη", "Write a card to my grandson", "Dos veces al día, 30 minutos"):
        assert value in html  # nothing typed is lost
    catalog_db.expire_all()
    assert catalog_db.get(type(program), program.id).frequency == "Before you write."  # the saved note stays
    # Through the service (the CLI, the API and the template start call the same check).
    with pytest.raises(DomainError) as refused:
        programs.update_details(
            catalog_db,
            program,
            programs.ProgramDetails("Hands", date(2026, 11, 16), frequency="45 minutes a day"),
            program.lock_version,
            NOW,
        )
    assert refused.value.field == "frequency"


def test_the_builder_asks_to_edit_a_stored_note_that_says_how_often(catalog_app, catalog_db, clinic):
    """Saved before the form refused it: the builder says so at the note, and that the handout
    leaves it out; a note on when or where is shown as it is, with no warning."""
    from tests.conftest import login
    from tests.factories import make_user

    make_user(catalog_db, clinic, email="old@frequency.org")
    program = program_of(catalog_db, clinic, MIXED)
    program.frequency = "Every day twice, before you write"
    catalog_db.commit()
    client = catalog_app.test_client()
    login(client, "old@frequency.org")
    html = client.get(f"/programs/{program.id}").get_data(as_text=True)
    warning = re.search(r'<p class="flash flash-warning" role="status" id="note-states-frequency">(.*?)</p>', html)
    assert "“<bdi>Every day</bdi>”" in warning.group(1) and "The handout leaves the note out" in warning.group(1)
    assert '<a href="#frequency">Edit the note</a>' in warning.group(1) and 'id="frequency"' in html
    assert "Your note, left out of the handout: <bdi>Every day twice, before you write</bdi>" in html
    program.frequency = "Before you write."
    catalog_db.commit()
    html = client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert "note-states-frequency" not in html and "Your note: <bdi>Before you write.</bdi>" in html


def test_a_clinic_template_saved_with_such_a_note_starts_without_it_and_says_so(catalog_db, clinic):
    from planner.services import program_templates

    program = program_of(catalog_db, clinic, MIXED)
    program.frequency = "3 times a day"  # saved before notes were checked
    template = program_templates.save_as_template(catalog_db, program, "Old hands", "", NOW)
    patient = make_patient(catalog_db, clinic, "Ελένη Παπαδοπούλου")
    report = program_templates.start_from_template(catalog_db, template, patient, None, NOW.date(), NOW)
    assert report.note_left_out == "3 times a day" and report.program.frequency == ""
    assert len(report.program.items) == len(MIXED)  # the rest of the template is started as ever
