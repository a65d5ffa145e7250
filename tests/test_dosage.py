"""How a dosage reads: the one sentence a patient sees on the page, the handout and the phone."""

import pytest

from planner.dosage import LIMITS, dosage_problems, in_words


@pytest.mark.parametrize(
    ("dosage", "side", "words"),
    [
        (
            {"sets": 2, "repetitions": 10, "hold_seconds": 5, "times_per_day": 2},
            None,
            "Hold for 5 seconds. Repeat 10 times. Do 2 sets. Do this 2 times a day.",
        ),
        (
            {"repetitions": 10, "hold_seconds": 5, "times_per_day": 2},
            None,
            "Hold for 5 seconds. Repeat 10 times. Do this 2 times a day.",
        ),
        ({"hold_seconds": 1, "repetitions": 1}, None, "Hold for 1 second. Do it once."),
        ({"sets": 1, "repetitions": 5}, None, "Repeat 5 times. Do 1 set."),
        ({"hold_seconds": 60}, None, "Hold for 1 minute."),
        ({"hold_seconds": 120}, None, "Hold for 2 minutes."),
        ({"hold_seconds": 90}, None, "Hold for 90 seconds."),
        ({"minutes": 1}, None, "Keep going for 1 minute."),
        (
            {"minutes": 5, "times_per_day": 1, "days_per_week": 7},
            None,
            "Keep going for 5 minutes. Do this once a day, every day.",
        ),
        (
            {"sets": 2, "repetitions": 8, "rest_seconds": 30},
            None,
            "Repeat 8 times. Do 2 sets. Rest for 30 seconds between sets.",
        ),
        (
            {"sets": 3, "repetitions": 8, "rest_seconds": 60},
            None,
            "Repeat 8 times. Do 3 sets. Rest for 1 minute between sets.",
        ),
        ({"sets": 2, "repetitions": 8, "rest_seconds": 0}, None, "Repeat 8 times. Do 2 sets."),
        (
            {"sets": 2, "repetitions": 8, "rest_seconds": 1},
            None,
            "Repeat 8 times. Do 2 sets. Rest for 1 second between sets.",
        ),
        # One set: no rest between sets to speak of (and none counted in the session's time).
        ({"sets": 1, "repetitions": 8, "rest_seconds": 30}, None, "Repeat 8 times. Do 1 set."),
        ({"repetitions": 8, "rest_seconds": 30}, None, "Repeat 8 times."),
        ({"repetitions": 10, "days_per_week": 3}, None, "Repeat 10 times. Do this 3 days a week."),
        ({"repetitions": 10, "days_per_week": 1}, None, "Repeat 10 times. Do this 1 day a week."),
        (
            {"sets": 3, "repetitions": 12, "times_per_day": 1, "days_per_week": 5},
            None,
            "Repeat 12 times. Do 3 sets. Do this once a day, 5 days a week.",
        ),
        ({"repetitions": 10}, "left", "Do this with your left side. Repeat 10 times."),
        ({"repetitions": 10}, "right", "Do this with your right side. Repeat 10 times."),
        ({"repetitions": 10}, "both", "Do this with both sides. Repeat 10 times."),
        ({"repetitions": 10}, "sideways", "Repeat 10 times."),
        ({}, None, ""),
        (None, "left", "Do this with your left side."),
    ],
)
def test_dosage_in_words(dosage, side, words):
    assert in_words(dosage, side) == words


# How often, in every pair of times a day and days a week: one sentence each, the same shape the
# catalog's defaults read in (a therapist's changed dosage used to read "Do this 2 times a day.
# Do it 3 days a week." beside "Do this once a day, 3 days a week.").
@pytest.mark.parametrize(
    ("per_day", "per_week", "english", "spanish"),
    [
        (None, None, "", ""),
        (None, 1, "Do this 1 day a week.", "Hágalo 1 día a la semana."),
        (None, 3, "Do this 3 days a week.", "Hágalo 3 días a la semana."),
        (None, 7, "Do this every day.", "Hágalo todos los días."),
        (1, None, "Do this once a day.", "Hágalo una vez al día."),
        (1, 1, "Do this once a day, 1 day a week.", "Hágalo una vez al día, 1 día a la semana."),
        (1, 3, "Do this once a day, 3 days a week.", "Hágalo una vez al día, 3 días a la semana."),
        (1, 7, "Do this once a day, every day.", "Hágalo una vez al día, todos los días."),
        (2, None, "Do this 2 times a day.", "Hágalo 2 veces al día."),
        (2, 1, "Do this 2 times a day, 1 day a week.", "Hágalo 2 veces al día, 1 día a la semana."),
        (2, 3, "Do this 2 times a day, 3 days a week.", "Hágalo 2 veces al día, 3 días a la semana."),
        (4, 5, "Do this 4 times a day, 5 days a week.", "Hágalo 4 veces al día, 5 días a la semana."),
        (6, 6, "Do this 6 times a day, 6 days a week.", "Hágalo 6 veces al día, 6 días a la semana."),
        (2, 7, "Do this 2 times a day, every day.", "Hágalo 2 veces al día, todos los días."),
    ],
)
def test_how_often_is_one_sentence_for_every_pair(per_day, per_week, english, spanish):
    dosage = {"repetitions": 10, "times_per_day": per_day, "days_per_week": per_week}
    dosage = {k: v for k, v in dosage.items() if v is not None}
    for language, expected in (("en", english), ("es", spanish)):
        said = in_words(dosage, None, language)
        how_often = said.split(". ", 1)[1] if ". " in said else ""
        assert how_often == expected, language
        assert how_often.count(".") <= 1, language  # never two sentences


@pytest.mark.parametrize(
    ("dosage", "side", "words"),
    [
        (
            {"sets": 2, "repetitions": 10, "hold_seconds": 5, "times_per_day": 2},
            "left",
            "Hágalo del lado izquierdo. Mantenga la posición durante 5 segundos. Repítalo 10 veces. Haga 2 series. "
            "Hágalo 2 veces al día.",
        ),
        (
            {"hold_seconds": 1, "repetitions": 1},
            "both",
            "Hágalo de los dos lados. Mantenga la posición durante 1 segundo. Hágalo una vez.",
        ),
        ({"hold_seconds": 120, "sets": 1}, None, "Mantenga la posición durante 2 minutos. Haga 1 serie."),
        (
            {"minutes": 1, "times_per_day": 1, "days_per_week": 7},
            None,
            "Siga durante 1 minuto. Hágalo una vez al día, todos los días.",
        ),
        (
            {"repetitions": 8, "times_per_day": 3, "days_per_week": 5},
            None,
            "Repítalo 8 veces. Hágalo 3 veces al día, 5 días a la semana.",
        ),
        (
            {"repetitions": 8, "times_per_day": 1, "days_per_week": 1},
            None,
            "Repítalo 8 veces. Hágalo una vez al día, 1 día a la semana.",
        ),
        (
            {"repetitions": 8, "times_per_day": 2, "days_per_week": 7},
            "right",
            "Hágalo del lado derecho. Repítalo 8 veces. Hágalo 2 veces al día, todos los días.",
        ),
        (
            {"sets": 3, "repetitions": 8, "rest_seconds": 60},
            None,
            "Repítalo 8 veces. Haga 3 series. Descanse 1 minuto entre series.",
        ),
        (
            {"sets": 3, "repetitions": 8, "rest_seconds": 45},
            None,
            "Repítalo 8 veces. Haga 3 series. Descanse 45 segundos entre series.",
        ),
    ],
)
def test_dosage_in_spanish_is_whole_sentences_with_spanish_plurals(dosage, side, words):
    assert in_words(dosage, side, "es") == words


@pytest.mark.parametrize(
    ("dosage", "problem"),
    [
        ({"repetitions": 0}, ("dosage.repetitions", "0 is out of range: use 1 to 50")),
        ({"repetitions": 51}, ("dosage.repetitions", "51 is out of range: use 1 to 50")),
        ({"repetitions": 2.5}, ("dosage.repetitions", "must be a whole number from 1 to 50")),
        ({"repetitions": True}, ("dosage.repetitions", "must be a whole number from 1 to 50")),
        ({"repetitions": 5, "reps": 5}, ("dosage.reps", "unknown key; use " + ", ".join(LIMITS))),
        ({"sets": 2, "times_per_day": 2}, ("dosage", "give at least one of repetitions, hold_seconds or minutes")),
        ("ten", ("dosage", "must be a table of numbers, such as sets and repetitions")),
    ],
)
def test_dosage_problems(dosage, problem):
    assert problem in dosage_problems(dosage)


TIME_OR_COUNT = (
    "dosage.minutes",
    "give minutes, or repetitions and sets, not both (minutes means keep going that long)",
)


@pytest.mark.parametrize(
    ("dosage", "refused"),
    [
        # The trial's dosage: it printed "Hold for 5 seconds. Repeat 6 times. Keep going for 10 minutes. Do 2 sets."
        ({"minutes": 10, "hold_seconds": 5, "repetitions": 6, "sets": 2}, True),
        ({"minutes": 10, "repetitions": 1}, True),
        ({"minutes": 1, "sets": 2}, True),
        ({"minutes": 60, "sets": 10, "times_per_day": 2}, True),
        # A time alone, or tense-and-release (hold, let go, keep going for the time), says one thing.
        ({"minutes": 10}, False),
        ({"minutes": 3, "hold_seconds": 5, "times_per_day": 3}, False),
        ({"minutes": 5, "sets": 1}, False),
        ({"repetitions": 10, "sets": 3, "hold_seconds": 5}, False),
    ],
)
def test_a_time_takes_no_count_of_repetitions_or_sets(dosage, refused):
    assert (TIME_OR_COUNT in dosage_problems(dosage)) is refused
    if not refused:
        assert dosage_problems(dosage) == []


def test_one_set_of_a_time_is_not_said():
    """Trial 10: "Siga durante 5 minutos. Haga 1 serie." A time is one round: no set is said."""
    assert in_words({"minutes": 5, "sets": 1, "times_per_day": 2}) == "Keep going for 5 minutes. Do this 2 times a day."
    assert in_words({"minutes": 5, "sets": 1}, None, "es") == "Siga durante 5 minutos."


def test_every_limit_edge_is_accepted():
    for key, (low, high) in LIMITS.items():
        for value in (low, high):
            amount = {"repetitions": 1} if key not in ("repetitions", "minutes", "sets") else {"hold_seconds": 5}
            assert dosage_problems({**amount, key: value}) == [], (key, value)


def test_the_words_follow_the_dosage_as_it_is_now_though_kept_per_process():
    """in_words keeps its answers per process by what the dosage holds: a dosage changed in place
    (an edit saved to the same dict) reads in its new words at once; the side, the language and
    each value as written are part of what the words are kept by."""
    dosage = {"repetitions": 10, "sets": 1}
    assert in_words(dosage) == "Repeat 10 times. Do 1 set."
    dosage["repetitions"] = 12
    assert in_words(dosage) == "Repeat 12 times. Do 1 set."
    assert in_words(dosage, "left") == "Do this with your left side. Repeat 12 times. Do 1 set."
    assert in_words({"repetitions": 1}) == "Do it once."
    assert in_words({"repetitions": 1.5}) != in_words({"repetitions": 1})
    assert in_words(dosage, language="es") != in_words(dosage)
