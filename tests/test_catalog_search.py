"""Finding exercises: words in the name, steps or tags, filters, pages, typos, and clinic isolation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from planner.catalog.loader import load_directory
from planner.services import NotFound, catalog, custom_exercises
from planner.services.catalog import Filters, search_exercises
from tests import exercise_files as ef
from tests.factories import make_clinic

NOW = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.fixture
def loaded(service_db, tmp_path):
    ef.write(tmp_path, "chin-tuck", name="Chin tuck")
    ef.write(
        tmp_path,
        "shoulder-rolls",
        name="Shoulder rolls",
        category="range_of_motion",
        regions=["shoulders"],
        equipment=["none"],
        steps=["Sit tall.", "Roll your shoulders up, back and down."],
        approaches=[],
    )
    ef.write(
        tmp_path,
        "bridge",
        name="Bridge",
        category="strengthening",
        regions=["hips_legs", "trunk"],
        position="lying",
        equipment=["mat"],
        difficulty=2,
        conditions=["general"],
        steps=["Lie on your back with your knees bent.", "Lift your hips off the mat."],
        approaches=["calm_position_start"],
    )
    ef.write(
        tmp_path,
        "pen-grip",
        name="Relaxed pen grip",
        category="task_practice",
        regions=["arms_hands"],
        equipment=["pen_paper"],
        conditions=["writers_cramp"],
        approaches=["handwriting_grip"],
        steps=["Sit at a table.", "Hold the pen loosely between thumb and finger."],
        difficulty=3,
    )
    for n in range(25):
        ef.write(
            tmp_path,
            f"filler-{n:02d}",
            name=f"Filler exercise {n:02d}",
            category="relaxation",
            regions=["trunk"],
            approaches=[],
            steps=["Sit and breathe slowly."],
        )
    load_directory(service_db, tmp_path, NOW)
    service_db.commit()
    return make_clinic(service_db)


def slugs(result) -> list[str]:  # noqa: ANN001
    return [e.slug for e in result.exercises]


def test_by_name(service_db, loaded):
    assert slugs(search_exercises(service_db, loaded.id, "bridge")) == ["bridge"]
    assert slugs(search_exercises(service_db, loaded.id, "SHOULDER Rolls")) == ["shoulder-rolls"]


def test_by_a_word_in_the_steps(service_db, loaded):
    assert slugs(search_exercises(service_db, loaded.id, "loosely")) == ["pen-grip"]
    assert slugs(search_exercises(service_db, loaded.id, "hips mat")) == ["bridge"]


def test_by_a_tag(service_db, loaded):
    assert slugs(search_exercises(service_db, loaded.id, "writers cramp")) == ["pen-grip"]
    assert slugs(search_exercises(service_db, loaded.id, "strengthening")) == ["bridge"]
    assert "bridge" in slugs(search_exercises(service_db, loaded.id, "calm position"))


def test_a_word_part_matches(service_db, loaded):
    assert slugs(search_exercises(service_db, loaded.id, "loose")) == ["pen-grip"]
    assert slugs(search_exercises(service_db, loaded.id, "shoul"))[0] == "shoulder-rolls"


def test_names_come_before_mentions(service_db, loaded):
    # "Chin tuck" is named so; others only mention "chin" in their shared summary.
    assert slugs(search_exercises(service_db, loaded.id, "chin"))[0] == "chin-tuck"


@pytest.mark.parametrize(
    ("typed", "corrected", "found"),
    [
        ("brdige", "bridge", "bridge"),
        ("sholder rols", "shoulder rolls", "shoulder-rolls"),
        ("loosly", "loosely", "pen-grip"),
    ],
)
def test_with_a_typo(service_db, loaded, typed, corrected, found):
    result = search_exercises(service_db, loaded.id, typed)
    assert slugs(result) == [found]
    assert result.corrected == corrected


def test_nonsense_finds_nothing(service_db, loaded):
    result = search_exercises(service_db, loaded.id, "xylophone")
    assert result.total == 0 and result.corrected is None


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(category="strengthening"), ["bridge"]),
        (Filters(region="arms_hands"), ["pen-grip"]),
        (Filters(position="lying"), ["bridge"]),
        (Filters(equipment="mat"), ["bridge"]),
        (Filters(difficulty=3), ["pen-grip"]),
        (Filters(condition="writers_cramp"), ["pen-grip"]),
        (Filters(approach="handwriting_grip"), ["pen-grip"]),
        (Filters(region="trunk", category="strengthening"), ["bridge"]),
        (Filters(region="hips"), []),  # a whole tag, never part of one
    ],
)
def test_filters(service_db, loaded, filters, expected):
    assert slugs(search_exercises(service_db, loaded.id, "", filters)) == expected


def test_pages(service_db, loaded):
    first = search_exercises(service_db, loaded.id, "filler", page=1, page_size=10)
    third = search_exercises(service_db, loaded.id, "filler", page=3, page_size=10)
    assert (first.total, first.pages, len(first.exercises), len(third.exercises)) == (25, 3, 10, 5)
    assert slugs(first)[0] == "filler-00" and slugs(third)[-1] == "filler-24"
    # A page past the end shows the last one, also a number past what the database's integers hold.
    for past_the_end in (4, 99, 10**30):
        last = search_exercises(service_db, loaded.id, "filler", page=past_the_end, page_size=10)
        assert (last.page, last.total, slugs(last)[-1]) == (3, 25, "filler-24")
    nothing = search_exercises(service_db, loaded.id, "no-such-word-anywhere", page=5, page_size=10)
    assert (nothing.page, nothing.pages, nothing.total, nothing.exercises) == (1, 1, 0, [])


def test_retired_exercises_are_left_out_unless_asked(service_db, loaded, tmp_path):
    (tmp_path / "bridge.toml").unlink()
    load_directory(service_db, tmp_path, NOW)
    service_db.commit()
    assert slugs(search_exercises(service_db, loaded.id, "bridge")) == []
    assert slugs(search_exercises(service_db, loaded.id, "bridge", Filters(include_retired=True))) == ["bridge"]
    assert catalog.get_exercise(service_db, loaded.id, "bridge").retired


def _custom(db, clinic, name: str):  # noqa: ANN001, ANN202
    fields = {k: v for k, v in ef.VALID.items() if k in custom_exercises.CustomExerciseData.__dataclass_fields__}
    data = custom_exercises.CustomExerciseData(**{**fields, "name": name})
    exercise = custom_exercises.create_custom_exercise(db, clinic.id, data, NOW)
    db.commit()
    return exercise


def test_custom_exercises_are_seen_only_by_their_clinic(service_db, loaded):
    other = make_clinic(service_db)
    ours = _custom(service_db, loaded, "Towel neck glide")
    theirs = _custom(service_db, other, "Towel neck glide")
    assert ours.slug == f"custom-{loaded.id}-towel-neck-glide"
    assert slugs(search_exercises(service_db, loaded.id, "towel neck")) == [ours.slug]
    assert slugs(search_exercises(service_db, other.id, "towel neck")) == [theirs.slug]
    assert slugs(search_exercises(service_db, loaded.id, "", Filters(source="clinic"))) == [ours.slug]
    assert ours.slug not in slugs(search_exercises(service_db, loaded.id, "towel", Filters(source="catalog")))
    assert catalog.get_exercise(service_db, loaded.id, ours.slug) == ours
    with pytest.raises(NotFound):
        catalog.get_exercise(service_db, loaded.id, theirs.slug)
    with pytest.raises(NotFound):
        custom_exercises.get_custom_exercise(service_db, loaded.id, theirs.slug)
    with pytest.raises(NotFound):
        custom_exercises.get_custom_exercise(service_db, loaded.id, "bridge")  # the shared catalog is not editable
    assert catalog.exercises_by_slug(service_db, loaded.id, [theirs.slug, "bridge", ours.slug]) == [
        catalog.get_exercise(service_db, loaded.id, "bridge"),
        ours,
    ]


def test_the_typo_vocabulary_is_per_clinic(service_db, loaded):
    other = make_clinic(service_db)
    _custom(service_db, other, "Zygomatic stretch")
    assert search_exercises(service_db, loaded.id, "zygomatik").total == 0
    assert search_exercises(service_db, other.id, "zygomatik").corrected == "zygomatic"


def test_a_correction_that_finds_nothing_is_not_offered(service_db, loaded):
    # "brdige" would be "bridge", but no relaxation exercise is a bridge: nothing found, nothing "corrected".
    result = search_exercises(service_db, loaded.id, "brdige", Filters(category="relaxation"))
    assert (result.total, result.corrected) == (0, None)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("shrug", {"shoulder-tense-and-release", "shoulder-rolls"}),
        ("chin retraction", {"chin-tuck-sitting", "chin-tuck-lying", "chin-tuck-wall"}),
        ("cervical retraction", {"chin-tuck-sitting", "chin-tuck-lying", "chin-tuck-wall"}),
        ("calf raise", {"heel-raise"}),
        ("glute bridge", {"bridge"}),
        ("SLR", {"straight-leg-raise"}),
        ("codman", {"pendulum-swing"}),
        (
            "geste antagoniste",
            {f"sensory-trick-{p}" for p in ("back-of-head", "cheek-touch", "chin-touch", "temple-touch")},
        ),
        ("diaphragmatic breathing", {"belly-breathing-lying"}),
        ("levator scapulae", {"neck-shoulder-blade-stretch"}),
    ],
)
def test_clinicians_words_find_the_catalog_exercise(catalog_db, typed, expected):
    clinic = make_clinic(catalog_db)
    found = {e.slug for e in search_exercises(catalog_db, clinic.id, typed, page_size=50).exercises}
    assert expected <= found


def test_other_names_are_checked_and_searched(service_db, tmp_path):
    ef.write(tmp_path, "rolls", name="Shoulder rolls", synonyms=["Shrug", "shoulder circles"])
    load_directory(service_db, tmp_path, NOW)
    service_db.commit()
    clinic = make_clinic(service_db)
    assert slugs(search_exercises(service_db, clinic.id, "SHRUG")) == ["rolls"]
    assert slugs(search_exercises(service_db, clinic.id, "circles")) == ["rolls"]
    # A custom exercise is found by its other names too.
    custom = custom_exercises.create_custom_exercise(
        service_db,
        clinic.id,
        custom_exercises.CustomExerciseData(
            **{k: v for k, v in ef.exercise("x").items() if k not in ("id", "picture")}, synonyms=["scapular setting"]
        ),
        NOW,
    )
    assert slugs(search_exercises(service_db, clinic.id, "scapular")) == [custom.slug]


@pytest.fixture(scope="module")
def scripts(module_db, tmp_path_factory):
    """Shared exercises named in several scripts, on SQLite and on PostgreSQL."""
    folder = tmp_path_factory.mktemp("scripts")
    for slug, name, step in [
        ("fr", "Élévation de l'épaule", "Haussez les épaules vers les oreilles."),
        ("de", "Schulterkreisen für Müller", "Kreisen Sie die Schultern über die Straße."),
        ("el", "ΑΝΥΨΩΣΗ ΩΜΩΝ", "Σηκώστε τους ώμους αργά."),
        ("ru", "Подъём плеч", "Поднимите ПЛЕЧИ к ушам."),
        ("zh", "放松肩膀", "慢慢抬起肩膀。"),
        ("he", "הרמת כתפיים", "הָרֵם אֶת הַכְּתֵפַיִם לְאַט."),
        ("ar", "رفع الكتفين", "اِرْفَعْ كَتِفَيْكَ بِبُطْءٍ."),
        ("ja", "肩のストレッチ", "ゆっくり肩をまわします。"),
    ]:
        ef.write(folder, slug, name=name, steps=[step], summary=name)
    load_directory(module_db, folder, NOW)
    module_db.commit()
    return module_db, make_clinic(module_db)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("elevation epaule", ["fr"]),  # accents and an apostrophe ignored
        ("ÉLÉVATION", ["fr"]),
        ("l'epaule", ["fr"]),
        ("muller strasse", ["de"]),  # ü and ß
        ("schulter", ["de"]),  # the start of a word
        ("ανυψωση", ["el"]),  # Greek capitals and tonos; final sigma
        ("ΣΗΚΩΣΤΕ ΩΜΟΥΣ", ["el"]),
        ("ωμους αργα", ["el"]),
        ("подъем", ["ru"]),  # ё typed as е
        ("ПОДЪЁМ ПЛЕЧ", ["ru"]),
        ("肩膀", ["zh"]),  # a Chinese word inside a longer phrase
        ("抬起", ["zh"]),
        ("כתפיים", ["he"]),  # Hebrew without vowel points finds the pointed text
        ("הרם", ["he"]),
        ("ارفع", ["ar"]),  # Arabic without vowel marks
        ("الكتفين", ["ar"]),
        ("ストレッチ", ["ja"]),
        ("肩", ["ja", "zh"]),
    ],
)
def test_search_ignores_case_and_accents_in_every_script_on_both_databases(scripts, typed, expected):
    db, clinic = scripts
    assert sorted(slugs(search_exercises(db, clinic.id, typed))) == expected
