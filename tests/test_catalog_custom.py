"""A clinic's own exercises: same rules as the files, a checked photo, retire and restore."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from planner.catalog.photo import MAX_BYTES, PhotoRejected, prepare_photo
from planner.models import Exercise
from planner.services import custom_exercises as ce
from tests import exercise_files as ef
from tests.factories import make_clinic

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def data(**changes) -> ce.CustomExerciseData:  # noqa: ANN003
    fields = {k: v for k, v in ef.VALID.items() if k in ce.CustomExerciseData.__dataclass_fields__}
    return ce.CustomExerciseData(**{**fields, **changes})


def jpeg(size=(64, 32), exif_orientation: int | None = None) -> bytes:  # noqa: ANN001
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Example camera maker"
    if exif_orientation:
        exif[0x0112] = exif_orientation
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def png(size=(40, 20), mode="RGBA") -> bytes:  # noqa: ANN001
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG")
    return out.getvalue()


def count(db) -> int:  # noqa: ANN001
    return db.scalar(select(func.count()).select_from(Exercise))


def test_create_fills_every_field_and_the_search_text(service_db):
    clinic = make_clinic(service_db)
    exercise = ce.create_custom_exercise(service_db, clinic.id, data(name="  Towel   neck glide "), NOW)
    service_db.commit()
    assert exercise.slug == f"custom-{clinic.id}-towel-neck-glide"
    assert exercise.clinic_id == clinic.id and exercise.name == "Towel neck glide"
    assert exercise.steps == ef.VALID["steps"] and exercise.dosage == ef.VALID["dosage"]
    assert exercise.picture == {} and exercise.photo is None
    assert "towel neck glide" in exercise.search_text and " regions:neck " in exercise.facets


def test_the_same_name_twice_gets_a_new_id(service_db):
    clinic = make_clinic(service_db)
    first = ce.create_custom_exercise(service_db, clinic.id, data(name="Neck glide"), NOW)
    second = ce.create_custom_exercise(service_db, clinic.id, data(name="Neck glide"), NOW)
    assert (first.slug, second.slug) == (f"custom-{clinic.id}-neck-glide", f"custom-{clinic.id}-neck-glide-2")


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"steps": []}, ("steps", "list at least one")),
        ({"cautions": ["  "]}, ("cautions", "list at least one")),
        ({"difficulty": 5}, ("difficulty", "must be 1 (easy), 2 (moderate) or 3 (hard), not 5")),
        (
            {"category": "cardio"},
            (
                "category",
                "unknown value 'cardio'; use one of range_of_motion, strengthening, "
                "posture, stretching, sensory_trick, relaxation, balance, task_practice, "
                "speech_swallow",
            ),
        ),
        ({"dosage": {"sets": 2}}, ("dosage", "give at least one of repetitions, hold_seconds or minutes")),
        ({"dosage": {"repetitions": 99}}, ("dosage.repetitions", "99 is out of range: use 1 to 50")),
        ({"progression": ["no-such"]}, ("progression", "no exercise has the id “no-such”")),
    ],
)
def test_the_schema_rules_apply(service_db, changes, problem):
    clinic = make_clinic(service_db)
    with pytest.raises(ce.InvalidExercise) as caught:
        ce.create_custom_exercise(service_db, clinic.id, data(**changes), NOW)
    assert problem in caught.value.problems
    service_db.rollback()
    assert count(service_db) == 0


def test_links_only_to_exercises_the_clinic_sees(service_db):
    ours, other = make_clinic(service_db), make_clinic(service_db)
    theirs = ce.create_custom_exercise(service_db, other.id, data(name="Their glide"), NOW)
    mine = ce.create_custom_exercise(service_db, ours.id, data(name="My glide"), NOW)
    with pytest.raises(ce.InvalidExercise):
        ce.create_custom_exercise(service_db, ours.id, data(name="Next", progression=[theirs.slug]), NOW)
    linked = ce.create_custom_exercise(service_db, ours.id, data(name="Easier glide", progression=[mine.slug]), NOW)
    assert linked.progression == [mine.slug]


def test_edit_keeps_the_id_and_says_what_changed(service_db):
    clinic = make_clinic(service_db)
    exercise = ce.create_custom_exercise(service_db, clinic.id, data(name="Neck glide"), NOW)
    changed = ce.update_custom_exercise(
        service_db, exercise, data(name="Neck glide lying", difficulty=2), NOW + timedelta(days=1)
    )
    assert changed == ["name", "difficulty"]
    assert exercise.slug == f"custom-{clinic.id}-neck-glide"
    assert "neck glide lying" in exercise.search_text
    assert exercise.updated_at == NOW + timedelta(days=1)


def test_retire_and_restore(service_db):
    clinic = make_clinic(service_db)
    exercise = ce.create_custom_exercise(service_db, clinic.id, data(name="Neck glide"), NOW)
    ce.retire_custom_exercise(service_db, exercise, NOW)
    service_db.commit()
    assert exercise.retired_at == NOW and count(service_db) == 1
    ce.restore_custom_exercise(service_db, exercise, NOW)
    assert exercise.retired_at is None


def test_a_photo_is_stored_re_encoded(service_db):
    clinic = make_clinic(service_db)
    exercise = ce.create_custom_exercise(service_db, clinic.id, data(), NOW, photo=jpeg())
    service_db.commit()
    service_db.expire_all()
    stored = service_db.get(Exercise, exercise.id)
    assert stored.photo_mime == "image/jpeg"
    assert Image.open(io.BytesIO(stored.photo)).size == (64, 32)
    assert ce.update_custom_exercise(service_db, stored, data(), NOW, remove_photo=True) == ["photo"]
    assert stored.photo is None and stored.photo_mime == ""


def test_a_refused_photo_stores_nothing(service_db):
    clinic = make_clinic(service_db)
    with pytest.raises(PhotoRejected):
        ce.create_custom_exercise(service_db, clinic.id, data(), NOW, photo=b"%PDF-1.4 not a picture")
    service_db.rollback()
    assert count(service_db) == 0
    exercise = ce.create_custom_exercise(service_db, clinic.id, data(), NOW, photo=png())
    service_db.commit()
    with pytest.raises(PhotoRejected):
        ce.update_custom_exercise(service_db, exercise, data(name="Changed"), NOW, photo=b"GIF89a")
    service_db.rollback()
    service_db.expire_all()
    again = service_db.get(Exercise, exercise.id)
    assert again.name == ef.VALID["name"] and again.photo_mime == "image/png"


def test_exif_is_removed_after_turning_the_photo_upright():
    # Orientation 6: the camera was turned; the picture must be shown rotated a quarter turn.
    original = jpeg(size=(64, 32), exif_orientation=6)
    assert b"Example camera maker" in original
    stored, mime = prepare_photo(original)
    image = Image.open(io.BytesIO(stored))
    assert mime == "image/jpeg" and image.format == "JPEG"
    assert image.size == (32, 64)
    assert not image.getexif() and b"Exif" not in stored and b"Example camera maker" not in stored


def test_png_stays_png_with_its_transparency():
    stored, mime = prepare_photo(png(mode="RGBA"))
    assert mime == "image/png" and Image.open(io.BytesIO(stored)).mode == "RGBA"


def test_a_large_photo_is_made_smaller():
    stored, _ = prepare_photo(jpeg(size=(4000, 1000)))
    assert Image.open(io.BytesIO(stored)).size == (1600, 400)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (b"", "The file is empty"),
        (b"%PDF-1.4\n" + b"x" * 100, "not a JPEG or PNG"),
        (b"GIF89a" + b"\0" * 100, "not a JPEG or PNG"),
        (b"\0" * (MAX_BYTES + 1), "the limit is 5 MB"),
        (jpeg(size=(300, 300))[:-400], "damaged or incomplete"),
        (png(size=(300, 300), mode="RGB")[:-30], "damaged or incomplete"),
    ],
)
def test_refused_uploads(upload, message):
    with pytest.raises(PhotoRejected) as caught:
        prepare_photo(upload)
    assert message in caught.value.message
    assert caught.value.field == "photo"


def test_a_decompression_bomb_is_refused_before_decoding():
    bomb = io.BytesIO()
    Image.new("1", (9000, 9000)).save(bomb, "PNG")  # 81 million pixels in a few kilobytes
    assert len(bomb.getvalue()) < 100_000
    with pytest.raises(PhotoRejected, match="million pixels"):
        prepare_photo(bomb.getvalue())


def test_pillows_own_bomb_limit_is_a_refusal_not_a_warning():
    bomb = io.BytesIO()
    Image.new("1", (10000, 10000)).save(bomb, "PNG")  # past Pillow's warning threshold
    with pytest.raises(PhotoRejected, match="pixels"):
        prepare_photo(bomb.getvalue())
