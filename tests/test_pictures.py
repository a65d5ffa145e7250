"""Exercise drawings on the pages are made once per process for each version of an exercise, and a
catalog load that changes an exercise shows its new drawing at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from planner.catalog import figure
from planner.catalog.loader import load_directory
from planner.models import Exercise
from planner.web.catalog.pictures import exercise_svg
from tests import exercise_files as ef

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def loaded(db, folder, when, **changes) -> Exercise:  # noqa: ANN001, ANN003
    ef.write(folder, "chin-tuck", **changes)
    load_directory(db, folder, when)
    db.commit()
    db.expire_all()
    return db.scalars(select(Exercise).where(Exercise.slug == "chin-tuck")).one()


def test_a_drawing_is_made_once_for_each_side_and_width(service_db, tmp_path):
    exercise = loaded(service_db, tmp_path, NOW)
    right = exercise_svg(exercise, 240, "right")
    assert right is exercise_svg(exercise, 240, "right")  # kept, not drawn again
    assert str(right) == figure.render_svg(exercise.picture, "right", 240, "Chin tuck: start and end position")
    assert exercise_svg(exercise, 240, "left") != right  # mirrored
    assert 'width="140"' in exercise_svg(exercise, 140, "right")


def test_a_catalog_load_that_changes_the_exercise_shows_the_new_drawing(service_db, tmp_path):
    before = exercise_svg(loaded(service_db, tmp_path, NOW), 240, "right")
    pose = {**ef.VALID["picture"], "end": {"base": "sitting", "head_forward": 0.6}}
    after = loaded(service_db, tmp_path, NOW + timedelta(days=1), picture=pose, name="Chin glide")
    drawn = exercise_svg(after, 240, "right")
    assert drawn != before
    assert str(drawn) == figure.render_svg(pose, "right", 240, "Chin glide: start and end position")
