"""The real catalog in exercises/: valid, broad enough, and readable by a patient at home."""

from __future__ import annotations

import tomllib
from collections import Counter

import pytest

from planner.catalog.loader import check_directory
from planner.catalog.readability import measure
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
def test_a_caution_says_when_to_stop(exercise_id):
    assert any(c.startswith("Stop if") for c in EXERCISES[exercise_id]["cautions"])
