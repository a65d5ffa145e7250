"""The real catalog in exercises/: valid, broad enough, and readable by a patient at home."""

from __future__ import annotations

import tomllib
from collections import Counter

import pytest

from planner.catalog.loader import check_directory
from planner.catalog.readability import SPANISH_EASE_6TH_GRADE, measure, measure_spanish, spanish_syllables
from planner.catalog.vocabulary import APPROACHES, REGIONS
from planner.config import ROOT

FOLDER = ROOT / "exercises"
EXERCISES = {p.stem: tomllib.loads(p.read_text(encoding="utf-8")) for p in sorted(FOLDER.glob("*.toml"))}


def test_every_file_passes_catalog_check():
    assert [str(p) for p in check_directory(FOLDER)] == []


def test_the_catalog_is_large_enough_for_the_three_goals():
    assert len(EXERCISES) >= 120
    categories = Counter(e["category"] for e in EXERCISES.values())
    for goal in ("range_of_motion", "strengthening", "posture"):
        assert categories[goal] >= 25, f"only {categories[goal]} {goal} exercises"


def test_every_region_and_approach_is_covered():
    regions = {r for e in EXERCISES.values() for r in e["regions"]}
    approaches = {a for e in EXERCISES.values() for a in e["approaches"]}
    assert set(REGIONS) - regions == set()
    assert set(APPROACHES) - approaches == set()


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_steps_read_at_grade_6_in_short_sentences(exercise_id):
    found = measure(EXERCISES[exercise_id]["steps"])
    assert found.grade <= 6, f"grade {found.grade}"
    assert found.longest_sentence_words <= 15, f"{found.longest_sentence_words} words: {found.longest_sentence!r}"


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_every_field_a_patient_reads_keeps_to_15_words_a_sentence(exercise_id):
    """The name, summary, tips and cautions too, not only the steps (13 sentences were over)."""
    text = EXERCISES[exercise_id]
    every = measure([text["name"], text.get("summary", ""), *text.get("tips", []), *text["cautions"]])
    assert every.longest_sentence_words <= 15, f"{every.longest_sentence_words} words: {every.longest_sentence!r}"


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_a_caution_says_when_to_stop(exercise_id):
    assert any(c.startswith("Stop if") for c in EXERCISES[exercise_id]["cautions"])


SPANISH = {
    p.stem: tomllib.loads(p.read_text(encoding="utf-8"))
    for p in sorted((FOLDER / "translations" / "es").glob("*.toml"))
}


@pytest.mark.parametrize("exercise_id", sorted(SPANISH))
def test_spanish_steps_read_at_grade_6_in_short_sentences(exercise_id):
    """Fernández-Huerta at 70 or more (his 6th grade), and at most 15 words a sentence in every field."""
    text = SPANISH[exercise_id]
    found = measure_spanish(text["steps"])
    assert found.ease >= SPANISH_EASE_6TH_GRADE, f"Fernández-Huerta {found.ease}"
    every = measure_spanish(
        [text["name"], text.get("summary", ""), *text["steps"], *text.get("tips", []), *text["cautions"]]
    )
    assert every.longest_sentence_words <= 15, f"{every.longest_sentence_words} words: {every.longest_sentence!r}"


@pytest.mark.parametrize("exercise_id", sorted(SPANISH))
def test_a_spanish_caution_says_when_to_stop(exercise_id):
    assert any(c.startswith("Pare si") for c in SPANISH[exercise_id]["cautions"])


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("bien", 1),  # diphthong
        ("cuello", 2),
        ("ciudad", 2),  # two weak vowels: one syllable
        ("poema", 3),  # two open vowels: hiatus
        ("leer", 2),
        ("día", 2),  # stressed í: hiatus
        ("baúl", 2),
        ("que", 1),  # the u of que, qui, gue, gui is silent
        ("guitarra", 3),
        ("pingüino", 3),  # but not in güi
        ("hoy", 1),  # final y joins the vowel
        ("muy", 1),
        ("Uruguay", 3),  # a triphthong is one syllable
        ("acuéstese", 4),
        ("respiración", 4),
        ("y", 1),
    ],
)
def test_spanish_syllables(word, count):
    assert spanish_syllables(word) == count


def test_the_spanish_measure_tells_easy_from_hard_text():
    easy = measure_spanish(["Siéntese en la silla. Suba el brazo. Baje el brazo despacio."])
    hard = measure_spanish(
        ["La rehabilitación neuromuscular contribuye significativamente a la normalización postural cervical."]
    )
    assert easy.ease >= SPANISH_EASE_6TH_GRADE > hard.ease


def _mirror_words(exercise_id):
    """Where an exercise (English and Spanish) names or shows a mirror: its fields, as the patient
    and the therapist read them (name, summary, steps, tips, cautions, equipment, approaches,
    the reasons it is not for a pattern), and its picture's props."""
    english, spanish = EXERCISES[exercise_id], SPANISH.get(exercise_id, {})
    fields = {
        "equipment": " ".join(english["equipment"]),
        "approaches": " ".join(english["approaches"]),
        "avoid": " ".join(a["reason"] for a in english.get("pattern", {}).get("avoid", [])),
        "picture": " ".join(english["picture"].get("props", [])),  # a mirror drawn beside the steps
    }
    for language, text in (("en", english), ("es", spanish)):
        for key in ("name", "summary", "steps", "tips", "cautions"):
            value = text.get(key, "")
            fields[f"{language} {key}"] = " ".join(value) if isinstance(value, list) else value
    return sorted(k for k, v in fields.items() if "mirror" in v.lower() or "espejo" in v.lower())


UPRIGHT = sorted(s for s, e in EXERCISES.items() if e["retraining"]["stage"] >= 2)


@pytest.mark.parametrize("exercise_id", UPRIGHT)
def test_no_exercise_after_stage_1_uses_a_mirror(exercise_id):
    """Stage 2 is "sitting and standing, without the mirror or the trick", and stage 3 the tasks of
    the day: a trial found stage 2 exercises that began "Sit tall … in front of a mirror". Mirror
    work is stage 1; an exercise after it says how to check without one."""
    assert _mirror_words(exercise_id) == []


def test_the_mirror_check_reads_the_mirror_work_of_stage_1():
    """The check above finds a mirror where one is named (it would pass on an empty reading)."""
    assert {"en steps", "es steps", "equipment", "approaches", "picture"} <= set(_mirror_words("head-midline-mirror"))
