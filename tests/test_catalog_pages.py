"""The catalog pages: browse, search, one exercise, a clinic's own exercises and their photos."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from planner.catalog.loader import load_directory
from planner.models import Exercise
from planner.services import custom_exercises as ce
from tests import exercise_files as ef
from tests.conftest import build_app, csrf_token, login
from tests.factories import make_clinic, make_user
from tests.test_catalog_custom import data, jpeg

NOW = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.fixture
def catalog(db, tmp_path):
    folder = tmp_path / "exercises"
    ef.write(folder, "chin-tuck", progression=["bridge"])
    ef.write(
        folder,
        "bridge",
        name="Bridge",
        category="strengthening",
        regions=["hips_legs"],
        position="lying",
        regression=["chin-tuck"],
        cautions=["Stop if your back hurts."],  # the head stays on the mat: no dizziness rule
        picture={
            "view": "side",
            "props": ["mat"],
            "start": {"base": "lying"},
            "end": {"base": "lying", "pelvis_lift": 1},
        },
    )
    load_directory(db, folder, NOW)
    db.commit()
    return folder


@pytest.fixture
def therapist(db, client, catalog):
    user = make_user(db, make_clinic(db))
    login(client, user.email)
    return user


def form_fields(**changes) -> dict:  # noqa: ANN003
    fields = {
        "name": "Towel neck glide",
        "category": "posture",
        "regions": ["neck"],
        "position": "sitting",
        "equipment": ["towel"],
        "difficulty": "1",
        "conditions": ["cervical_dystonia"],
        "approaches": [],
        "summary": "Glide your head back against a towel.",
        "steps": "Sit tall on a firm chair.\nHold a towel behind your neck.\nPress back into the towel.",
        "tips": "Keep your eyes level.",
        "cautions": "Stop if you feel dizzy.",
        "progression": "",
        "regression": "",
        "repetitions": "10",
        "hold_seconds": "5",
        "times_per_day": "2",
    }
    fields.update(changes)
    return fields


def exercises_count(db) -> int:  # noqa: ANN001
    db.expire_all()
    return db.scalar(select(func.count()).select_from(Exercise))


def test_pages_need_sign_in(client, catalog):
    for path in ("/exercises", "/exercises/bridge", "/exercises/new"):
        response = client.get(path)
        assert response.status_code == 302 and "/exercises" not in response.headers["Location"]


def test_the_list_shows_picture_name_category_regions_difficulty(client, therapist):
    html = client.get("/exercises").get_data(as_text=True)
    assert "2 exercises" in html
    assert '<a href="/exercises/bridge"><bdi>Bridge</bdi></a>' in html
    assert "Strengthening" in html and "Hips and legs" in html and "Easy" in html
    assert "<svg" in html and "<title>Bridge: start and end position</title>" in html
    assert "style=" not in html and "<style" not in html and "<script" not in html


def test_search_and_filters_work_as_a_plain_get_form(client, therapist):
    html = client.get("/exercises?q=brige&category=&region=hips_legs").get_data(as_text=True)
    assert "1 exercise for “bridge”" in html
    assert "Nothing matched “brige”" in html
    assert re.search(r'<option selected value="hips_legs">', html)
    html = client.get("/exercises?category=posture&difficulty=1").get_data(as_text=True)
    assert "Chin tuck" in html and "Bridge</bdi></a>" not in html
    assert client.get("/exercises?difficulty=nine&category=cardio&page=x").status_code == 200


@pytest.mark.parametrize(
    ("query", "says", "offers"),
    [
        # The typo would be "bridge", but no posture exercise is one: no "results for" over an empty list.
        (
            "q=brige&category=posture",
            "Nothing found for “brige” with these filters",
            "search again without the filters",
        ),
        ("q=xylophone", "Nothing found for “xylophone”", "another word for the movement"),
        ("category=balance", "No exercise has all of these filters", "Clear the filters"),
    ],
)
def test_a_search_that_finds_nothing_says_so_and_what_to_try(client, therapist, query, says, offers):
    html = client.get(f"/exercises?{query}").get_data(as_text=True)
    assert "0 exercises" in html and says in html and offers in html
    assert "results for" not in html and "Nothing matched" not in html


def test_the_exercise_page(client, therapist):
    html = client.get("/exercises/chin-tuck").get_data(as_text=True)
    assert "<h1><bdi>Chin tuck" in html
    assert "Hold for 5 seconds. Repeat 10 times. Do 2 sets. Do this 2 times a day." in html
    assert '<ol class="steps"><li dir="auto">Sit tall on a firm chair with your feet flat.</li>' in html
    assert 'class="cautions"' in html and "Stop if you feel dizzy." in html
    assert '<strong>Harder:</strong> <a href="/exercises/bridge"><bdi>Bridge</bdi></a>' in html
    assert "Midline holding" in html and "Cervical dystonia" in html
    assert "<title>Chin tuck: start and end position</title>" in html
    assert "retired" not in html.lower()
    assert ">Edit<" not in html, "the shared catalog is not edited from the page"
    assert client.get("/exercises/no-such").status_code == 404


def test_a_retired_exercise_says_so(client, therapist, db, catalog):
    (catalog / "bridge.toml").unlink()
    ef.write(catalog, "chin-tuck")  # without its link to the bridge
    load_directory(db, catalog, NOW)
    db.commit()
    html = client.get("/exercises/bridge").get_data(as_text=True)
    assert "This exercise is retired" in html
    assert "Bridge</bdi></a>" not in client.get("/exercises").get_data(as_text=True)
    assert "Bridge</bdi></a>" in client.get("/exercises?retired=y").get_data(as_text=True)


def test_a_clinics_exercise_has_other_names_that_the_search_finds(client, therapist, db):
    fields = form_fields(synonyms="Shrug;  shoulder   lift , Épaule")
    assert client.post("/exercises/new", data=fields, content_type="multipart/form-data").status_code == 302
    slug = f"custom-{therapist.clinic_id}-towel-neck-glide"
    assert "Also called: Shrug, shoulder lift, Épaule" in client.get(f"/exercises/{slug}").get_data(as_text=True)
    for typed in ("shrug", "EPAULE", "shoulder lift"):
        assert f'href="/exercises/{slug}"' in client.get(f"/exercises?q={typed}").get_data(as_text=True), typed
    edit = client.get(f"/exercises/{slug}/edit").get_data(as_text=True)
    assert 'value="Shrug, shoulder lift, Épaule"' in edit
    twice = client.post(
        f"/exercises/{slug}/edit", data=form_fields(synonyms="shrug, SHRUG"), content_type="multipart/form-data"
    )
    assert "“SHRUG” is listed twice" in twice.get_data(as_text=True)  # at the field, nothing saved


def test_create_edit_retire_and_restore(client, therapist, db):
    response = client.post("/exercises/new", data=form_fields(), content_type="multipart/form-data")
    slug = f"custom-{therapist.clinic_id}-towel-neck-glide"
    assert response.status_code == 302 and response.headers["Location"] == f"/exercises/{slug}"
    html = client.get(f"/exercises/{slug}").get_data(as_text=True)
    assert "Our own" in html and "No picture" in html and "Press back into the towel." in html
    assert client.get(f"/exercises/{slug}/edit").get_data(as_text=True).count("Hold a towel behind your neck.") == 1
    response = client.post(
        f"/exercises/{slug}/edit", data=form_fields(name="Towel glide"), content_type="multipart/form-data"
    )
    assert response.status_code == 302
    assert "<h1><bdi>Towel glide" in client.get(f"/exercises/{slug}").get_data(as_text=True)
    assert "Retire “<bdi>Towel glide</bdi>”?" in client.get(f"/exercises/{slug}/retire").get_data(as_text=True)
    assert client.post(f"/exercises/{slug}/retire").status_code == 302
    assert "This exercise is retired" in client.get(f"/exercises/{slug}").get_data(as_text=True)
    assert client.post(f"/exercises/{slug}/restore").status_code == 302
    db.expire_all()
    assert db.scalars(select(Exercise).where(Exercise.slug == slug)).one().retired_at is None


def test_ticking_equipment_beside_the_nothing_the_new_form_ticks_saves_the_equipment(client, therapist, db):
    """The new-exercise form ticks "Nothing"; a therapist who ticks a towel too means the towel (it
    said "“none” cannot be listed with other equipment" and saved nothing)."""
    assert re.search(
        r'<input[^>]*checked[^>]*value="none"|<input[^>]*value="none"[^>]*checked',
        client.get("/exercises/new").get_data(as_text=True),
    )
    response = client.post(
        "/exercises/new", data=form_fields(equipment=["none", "towel"]), content_type="multipart/form-data"
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.expire_all()
    exercise = db.scalars(
        select(Exercise).where(Exercise.slug == f"custom-{therapist.clinic_id}-towel-neck-glide")
    ).one()
    assert exercise.equipment == ["towel"]
    # On the edit form too: an exercise with nothing, a chair ticked beside it.
    slug = exercise.slug
    assert (
        client.post(
            f"/exercises/{slug}/edit", data=form_fields(equipment=["none"]), content_type="multipart/form-data"
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/exercises/{slug}/edit", data=form_fields(equipment=["none", "chair"]), content_type="multipart/form-data"
        ).status_code
        == 302
    )
    db.expire_all()
    assert db.get(Exercise, exercise.id).equipment == ["chair"]


def test_form_problems_are_shown_next_to_the_fields(client, therapist, db):
    html = client.post(
        "/exercises/new",
        data=form_fields(steps="", repetitions="99", hold_seconds="", regions=[]),
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "Write at least one step." in html
    assert "Use a number from 1 to 50." in html
    assert exercises_count(db) == 2
    html = client.post(
        "/exercises/new", data=form_fields(regions=[], progression="nowhere"), content_type="multipart/form-data"
    ).get_data(as_text=True)
    assert "Regions: list at least one." in html
    assert "Progression: no exercise has the id “nowhere”." in html
    assert exercises_count(db) == 2


def upload(client, photo: bytes, filename: str = "photo.jpg"):  # noqa: ANN001, ANN201
    # Encoded in memory: the test client would spool a large body to a file it never closes.
    fields = MultiDict(
        [(k, v) for k, values in form_fields().items() for v in (values if isinstance(values, list) else [values])]
    )
    fields.add("photo", FileStorage(io.BytesIO(photo), filename, content_type="image/jpeg"))
    boundary, body = encode_multipart(fields)
    return client.post("/exercises/new", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_a_good_jpeg_is_stored_without_exif_and_served_to_the_clinic(client, therapist, db):
    response = upload(client, jpeg(size=(64, 32), exif_orientation=6))
    assert response.status_code == 302
    slug = response.headers["Location"].rsplit("/", 1)[1]
    assert f'src="/exercises/{slug}/photo" alt="Photo of Towel neck glide"' in client.get(
        f"/exercises/{slug}"
    ).get_data(as_text=True)
    photo = client.get(f"/exercises/{slug}/photo")
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    image = Image.open(io.BytesIO(photo.data))
    assert image.size == (32, 64) and not image.getexif()
    assert b"Example camera maker" not in photo.data
    assert client.get("/exercises/bridge/photo").status_code == 404


@pytest.mark.parametrize(
    ("photo", "message"),
    [
        (b"%PDF-1.4\nnot an image at all", "This file is not a JPEG or PNG picture."),
        (jpeg(size=(400, 400))[:-500], "The picture is damaged or incomplete."),
        (b"\xff\xd8\xff" + b"\0" * (5 * 1024 * 1024 + 10), "the limit is 5 MB"),
    ],
)
def test_a_bad_upload_is_refused_with_a_clear_message_and_nothing_stored(client, therapist, db, photo, message):
    response = upload(client, photo)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html and 'id="photo-error"' in html
    assert exercises_count(db) == 2


def test_a_50_mb_upload_is_refused_with_the_too_large_page(client, therapist, db):
    response = upload(client, b"\xff\xd8\xff" + b"\0" * (50 * 1024 * 1024))
    assert response.status_code == 413
    assert "The file is too large" in response.get_data(as_text=True)
    assert exercises_count(db) == 2


def test_another_clinics_exercise_is_404_on_every_route(client, therapist, db):
    other = make_clinic(db)
    theirs = ce.create_custom_exercise(db, other.id, data(name="Their glide"), NOW, photo=jpeg())
    db.commit()
    slug = theirs.slug
    for method, path in [
        ("get", f"/exercises/{slug}"),
        ("get", f"/exercises/{slug}/photo"),
        ("get", f"/exercises/{slug}/edit"),
        ("post", f"/exercises/{slug}/edit"),
        ("get", f"/exercises/{slug}/retire"),
        ("post", f"/exercises/{slug}/retire"),
        ("post", f"/exercises/{slug}/restore"),
    ]:
        assert getattr(client, method)(path).status_code == 404, (method, path)
    assert "Their glide" not in client.get("/exercises?q=glide").get_data(as_text=True)
    for method, path in [
        ("get", "/exercises/bridge/edit"),
        ("post", "/exercises/bridge/retire"),
        ("post", "/exercises/bridge/restore"),
    ]:
        assert getattr(client, method)(path).status_code == 404, (method, path)
    db.expire_all()
    assert db.get(Exercise, theirs.id).retired_at is None


def test_forms_need_the_csrf_token(tmp_path):
    app = build_app(tmp_path, csrf=True)
    db = app.extensions["db_sessionmaker"]()
    user = make_user(db, make_clinic(db))
    client = app.test_client()
    client.post(
        "/login",
        data={"email": user.email, "password": "a long test password", "csrf_token": csrf_token(client, "/login")},
    )
    assert client.post("/exercises/new", data=form_fields(), content_type="multipart/form-data").status_code == 400
    token = csrf_token(client, "/exercises/new")
    response = client.post(
        "/exercises/new", data={**form_fields(), "csrf_token": token}, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    db.close()
    app.extensions["db_engine"].dispose()
