"""What the builder makes from the catalog alone (the add panel's results and cards, the next
stage's offer) is kept per process, and never outlives the catalog it was made from: a catalog
load or an edit of a clinic's own exercise shows on the very next view, one clinic never sees
another's own exercises, and each page language has its own cards. Each exercise's part of the
builder is kept too, and an edit, a new pattern or a move shows on the very next view; one
clinic's parts never show in another's builder, and the buttons of a kept part still work
(each view writes the request's own CSRF token in it)."""

from __future__ import annotations

import re
import shutil
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from planner.catalog.loader import load_directory
from planner.dystonia.movement import spec_of
from planner.dystonia.pattern import PatternEntry
from planner.models import Exercise, ProgramTemplate
from planner.services import custom_exercises, patterns, program_templates, recorded_patterns
from planner.services.catalog import Filters, catalog_stamp
from planner.web.programs.panels import add_panel
from tests import exercise_files as ef
from tests.conftest import CATALOG, PASSWORD, build_app, login
from tests.factories import make_clinic, make_patient, make_user
from tests.test_stages_and_templates import TORTICOLLIS


def own(name: str, **changes) -> custom_exercises.CustomExerciseData:  # noqa: ANN003
    fields = {k: v for k, v in ef.VALID.items() if k in custom_exercises.CustomExerciseData.__dataclass_fields__}
    return custom_exercises.CustomExerciseData(**{**fields, "name": name, **changes})


def text_of(html: str, start: str) -> str:
    """The words of the section that starts at `start`, without tags."""
    section = html.split(start, 1)[1].split("</section>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section))


def add_panel_text(client, program_id: int, query: str = "") -> str:  # noqa: ANN001
    html = client.get(f"/programs/{program_id}", query_string={"q": query} if query else None).get_data(as_text=True)
    return text_of(html, 'id="add-h"')


def offer_text(client, program_id: int) -> str:  # noqa: ANN001
    return text_of(client.get(f"/programs/{program_id}").get_data(as_text=True), 'id="stage-h"')


def therapist_with_program(catalog_app, db, name: str, now):  # noqa: ANN001, ANN201
    """A clinic, its therapist signed in, and a patient turning to the left on the cervical template."""
    clinic = make_clinic(db, name)
    email = f"t@{name.lower().replace(' ', '-')}.org"
    make_user(db, clinic, email=email)
    patient = make_patient(db, clinic, "Maria Lopez", condition_tags=["cervical_dystonia"])
    recorded_patterns.record_pattern(db, patient, TORTICOLLIS, date(2026, 11, 1), None, now)
    template = db.scalars(select(ProgramTemplate).where(ProgramTemplate.slug == "shipped-cervical-dystonia")).one()
    program = program_templates.start_from_template(db, template, patient, None, date(2026, 11, 1), now).program
    db.commit()
    client = catalog_app.test_client()
    login(client, email)
    return clinic, program, client


@pytest.fixture
def builder(catalog_app, catalog_db, now):  # noqa: ANN001, ANN201
    return therapist_with_program(catalog_app, catalog_db, "Cache Clinic", now)


def test_an_edit_of_the_clinics_own_exercise_shows_on_the_next_view(builder, catalog_db, now):
    clinic, program, client = builder
    glide = custom_exercises.create_custom_exercise(catalog_db, clinic.id, own("Towel neck glide"), now)
    catalog_db.commit()
    assert "Towel neck glide" in add_panel_text(client, program.id, "towel")
    assert "Towel neck glide" in add_panel_text(client, program.id, "towel")  # the kept panel

    custom_exercises.update_custom_exercise(
        catalog_db, glide, own("Towel chin glide", dosage={"sets": 3, "repetitions": 12}), now + timedelta(seconds=1)
    )
    catalog_db.commit()
    shown = add_panel_text(client, program.id, "towel")
    assert "Towel chin glide" in shown and "Towel neck glide" not in shown
    assert "Repeat 12 times. Do 3 sets." in shown  # the card's dosage words too, not only the name

    custom_exercises.retire_custom_exercise(catalog_db, glide, now + timedelta(seconds=2))
    catalog_db.commit()
    assert "Towel chin glide" not in add_panel_text(client, program.id, "towel")


def test_an_edit_stamped_earlier_than_the_newest_change_still_shows(builder, catalog_db, now):
    """A clock set back (or a restored backup) must not hide an edit behind a kept panel."""
    clinic, program, client = builder
    later = custom_exercises.create_custom_exercise(catalog_db, clinic.id, own("Wall slide"), now + timedelta(days=1))
    glide = custom_exercises.create_custom_exercise(catalog_db, clinic.id, own("Towel neck glide"), now)
    catalog_db.commit()
    assert "Towel neck glide" in add_panel_text(client, program.id, "towel")
    custom_exercises.update_custom_exercise(catalog_db, glide, own("Towel chin glide"), now + timedelta(hours=1))
    catalog_db.commit()
    assert later.updated_at > glide.updated_at  # the newest change did not move
    assert "Towel chin glide" in add_panel_text(client, program.id, "towel")


def test_a_catalog_load_shows_on_the_next_view(builder, catalog_db, tmp_path, now):
    clinic, program, client = builder
    assert "<title>Neck turn lying down: the movement" in client.get(f"/programs/{program.id}").get_data(as_text=True)
    offered = offer_text(client, program.id)
    assert "Neck turn against your hand" in offered  # the harder version of the program's neck turn hold
    assert "Ankle circles" in add_panel_text(client, program.id)  # first of the catalog by name

    folder = tmp_path / "exercises"
    shutil.copytree(CATALOG, folder)
    renamed = (
        ("neck-turn-against-hand", "Neck turn against your hand"),
        ("ankle-circles", "Ankle circles"),
        ("neck-turn-lying", "Neck turn lying down"),
    )
    for slug, name in renamed:
        file = folder / f"{slug}.toml"
        file.write_text(file.read_text().replace(f'name = "{name}"', f'name = "{name}, slowly"'))
    load_directory(catalog_db, folder, now + timedelta(seconds=1))
    catalog_db.commit()

    assert "Neck turn against your hand, slowly" in offer_text(client, program.id)
    assert "Ankle circles, slowly" in add_panel_text(client, program.id)
    # an item's picture, kept per exercise version, is drawn again (its titles name the exercise)
    html = client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert "<title>Neck turn lying down, slowly: the movement" in html
    assert "<title>Neck turn lying down: the movement" not in html


def test_two_clinics_never_see_each_others_own_exercises(catalog_app, catalog_db, builder, now):
    clinic, program, client = builder
    other, other_program, other_client = therapist_with_program(catalog_app, catalog_db, "Other Clinic", now)
    custom_exercises.create_custom_exercise(catalog_db, clinic.id, own("Towel glide Zoë"), now)
    custom_exercises.create_custom_exercise(catalog_db, other.id, own("Towel glide Ωμέγα"), now)
    catalog_db.commit()
    for _ in range(2):  # each view after the other's, the second from the kept panels
        ours, theirs = (
            add_panel_text(client, program.id, "towel"),
            add_panel_text(other_client, other_program.id, "towel"),
        )
        assert "Towel glide Zoë" in ours and "Ωμέγα" not in ours
        assert "Towel glide Ωμέγα" in theirs and "Zoë" not in theirs


def test_each_page_language_has_its_own_cards(catalog_app, catalog_db, builder):
    clinic, _program, _client = builder
    with catalog_app.test_request_context():
        stamp = catalog_stamp(catalog_db, clinic.id)
        english = add_panel(catalog_db, clinic.id, "ankle circles", Filters(), stamp, "en")
        spanish = add_panel(catalog_db, clinic.id, "ankle circles", Filters(), stamp, "es")
        again = add_panel(catalog_db, clinic.id, "ankle circles", Filters(), stamp, "en")
    assert "Ankle circles: start and end position" in english.found[0].card
    assert "posición inicial y final" in spanish.found[0].card
    assert again.found[0].card == english.found[0].card


def test_the_stamp_moves_with_every_change_of_what_a_clinic_sees(service_db, now):
    clinic, other = make_clinic(service_db), make_clinic(service_db)
    stamp = catalog_stamp(service_db, clinic.id)
    assert catalog_stamp(service_db, clinic.id) == stamp
    glide = custom_exercises.create_custom_exercise(service_db, clinic.id, own("Towel neck glide"), now)
    service_db.commit()
    seen = [stamp, catalog_stamp(service_db, clinic.id)]
    custom_exercises.create_custom_exercise(service_db, other.id, own("Wall slide"), now)  # another clinic's
    service_db.commit()
    assert catalog_stamp(service_db, clinic.id) == seen[-1]
    for change in (
        lambda: custom_exercises.update_custom_exercise(
            service_db, glide, own("Towel chin glide"), now - timedelta(days=1)
        ),
        lambda: custom_exercises.retire_custom_exercise(service_db, glide, now + timedelta(seconds=3)),
        lambda: custom_exercises.restore_custom_exercise(service_db, glide, now + timedelta(seconds=4)),
    ):
        change()
        service_db.commit()
        seen.append(catalog_stamp(service_db, clinic.id))
    assert len(set(seen)) == len(seen)
    assert service_db.scalar(select(Exercise.name).where(Exercise.id == glide.id)) == "Towel chin glide"


def item_text(client, program_id: int, item_id: int) -> str:  # noqa: ANN001
    """The words of one exercise's part of the builder, without its pictures and tags."""
    html = client.get(f"/programs/{program_id}").get_data(as_text=True)
    part = html.split(f'<li id="item-{item_id}"', 1)[1].split(">", 1)[1]
    part = part.split('<li id="item-', 1)[0].split("</ol>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", re.sub(r"<svg.*?</svg>", "", part, flags=re.S)).split())


def test_an_exercise_s_pattern_rule_follows_its_table_at_once(catalog_db):
    """exercise_spec is kept on the loaded exercise with the table it read: a new table (an edit)
    and a table read again from the database (a refresh) give their own rule at once."""
    exercise = catalog_db.scalars(select(Exercise).where(Exercise.slug == "chin-tuck-sitting")).one()
    stored = patterns.exercise_spec(exercise)
    assert patterns.exercise_spec(exercise) == stored
    exercise.pattern = {"relation": "away", "movement": "rotation"}
    assert (patterns.exercise_spec(exercise).relation, patterns.exercise_spec(exercise).movement) == (
        "away",
        "rotation",
    )
    catalog_db.refresh(exercise)
    assert patterns.exercise_spec(exercise) == stored != spec_of({"relation": "away", "movement": "rotation"})
    # spec_of keeps its specs per process by the table written out: a table changed in place reads anew.
    table = {"relation": "away", "movement": "rotation"}
    assert spec_of(table).movement == "rotation"
    table["movement"] = "tilt"
    assert spec_of(table).movement == "tilt"


def test_an_edit_of_an_exercise_shows_on_the_next_view(builder):
    _clinic, program, client = builder
    item = program.items[0]
    for _ in range(2):  # the second from the kept part
        assert "Repeat 8 times. Do 1 set." in item_text(client, program.id, item.id)
    fields = {**item.dosage, "sets": 2, "repetitions": 11, "side": item.side, "note": "Slowly, Zoë"}  # as typed
    data = {f"item{item.id}-{name}": value for name, value in fields.items()}
    data[f"item{item.id}-lock_version"] = program.lock_version
    assert client.post(f"/programs/{program.id}/items/{item.id}", data=data).status_code == 302
    shown = item_text(client, program.id, item.id)
    assert "Repeat 11 times. Do 2 sets." in shown and "Repeat 8 times" not in shown
    assert "Note: Slowly, Zoë" in shown


def test_a_new_pattern_moves_the_direction_on_the_next_view(builder, catalog_db, now):
    _clinic, program, client = builder
    hold = next(i for i in program.items if i.exercise.slug == "neck-turn-lying-hold")
    for _ in range(2):
        assert "Turn your head to the right, away from the pull." in item_text(client, program.id, hold.id)
    # A re-evaluation finds the head now turns to the right: nothing of the program itself changed.
    recorded_patterns.record_pattern(
        catalog_db, program.patient, PatternEntry({"rotation": "right"}, {"rotation": 2}), date(2026, 11, 20), None, now
    )
    catalog_db.commit()
    shown = item_text(client, program.id, hold.id)
    assert "Turn your head to the left, away from the pull." in shown and "to the right" not in shown


def test_a_move_renumbers_the_kept_parts(builder):
    _clinic, program, client = builder
    first, second = program.items[0], program.items[1]
    assert item_text(client, program.id, first.id).startswith("1 Neck turn lying down")
    client.post(f"/programs/{program.id}/items/{first.id}/move/down", data={"lock_version": program.lock_version})
    assert item_text(client, program.id, first.id).startswith("2 Neck turn lying down")
    assert item_text(client, program.id, second.id).startswith("1 ")


def test_one_clinics_exercises_never_show_in_anothers_builder(catalog_app, catalog_db, builder, now):
    clinic, program, client = builder
    other, other_program, other_client = therapist_with_program(catalog_app, catalog_db, "Other Clinic", now)
    ours, theirs = program.items[0], other_program.items[0]
    ours.note, theirs.note = "Zoë's note", "Ωμέγα"
    catalog_db.commit()
    for _ in range(2):  # each view after the other's, the second from the kept parts
        mine = client.get(f"/programs/{program.id}").get_data(as_text=True)
        others = other_client.get(f"/programs/{other_program.id}").get_data(as_text=True)
        assert "Zoë&#39;s note" in mine and "Ωμέγα" not in mine and not re.search(f'/items/{theirs.id}["/]', mine)
        assert "Ωμέγα" in others and "Zoë" not in others and not re.search(f'/items/{ours.id}["/]', others)
    assert client.get(f"/programs/{other_program.id}").status_code == 404


def test_the_buttons_of_a_kept_part_carry_the_pages_own_token(tmp_path, catalog_file, now):
    """With CSRF on, as in production: the second view writes its parts from the kept ones."""
    copy = tmp_path / "planner.sqlite3"
    shutil.copyfile(catalog_file, copy)
    app = build_app(tmp_path, url=f"sqlite:///{copy}", csrf=True)
    db = app.extensions["db_sessionmaker"]()
    try:
        clinic = make_clinic(db, "Token Clinic")
        make_user(db, clinic, email="t@token.org")
        patient = make_patient(db, clinic, "Maria Lopez")
        template = db.scalars(select(ProgramTemplate).where(ProgramTemplate.slug == "shipped-cervical-dystonia")).one()
        program = program_templates.start_from_template(db, template, patient, None, date(2026, 11, 1), now).program
        db.commit()
        client = app.test_client()
        login_page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
        client.post("/login", data={"email": "t@token.org", "password": PASSWORD, "csrf_token": token})
        first = program.items[0]
        for _ in range(2):
            html = client.get(f"/programs/{program.id}").get_data(as_text=True)
            tokens = set(re.findall(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html))
            assert len(tokens) == 1  # the page's own, in every form of every part
        moved = client.post(
            f"/programs/{program.id}/items/{first.id}/move/down",
            data={"lock_version": program.lock_version, "csrf_token": tokens.pop()},
        )
        assert moved.status_code == 302
        assert item_text(client, program.id, first.id).startswith("2 ")
    finally:
        db.close()
        app.extensions["db_engine"].dispose()
