"""The program builder's promises: dosage checks, coverage, versions, templates, copies, conflicts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from planner.dystonia.pattern import PatternEntry
from planner.models import Exercise, ProgramTemplate, ProgramVersion
from planner.services import (
    DomainError,
    NotFound,
    issuing,
    patterns,
    program_changes,
    program_items,
    program_templates,
    programs,
    recorded_patterns,
    reevaluation,
)
from planner.services.catalog import get_exercise
from planner.services.coverage import coverage, exercise_seconds
from planner.services.versions import diff, snapshot
from tests.conftest import load_catalog
from tests.factories import make_clinic, make_patient, shipped_template

NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)


def new_program(db, patient, *slugs, title="Neck program"):
    program = programs.create_program(
        db,
        patient,
        programs.ProgramDetails(title=title, start_date=date(2026, 11, 21), reeval_interval_days=42),
        None,
        NOW,
    )
    for slug in slugs:
        program_items.add_item(db, program, get_exercise(db, patient.clinic_id, slug), None, NOW)
    db.commit()
    return program


@pytest.fixture
def clinic(catalog_db):
    return make_clinic(catalog_db, "Builder Clinic")


@pytest.fixture
def patient(catalog_db, clinic):
    return make_patient(catalog_db, clinic, "Pat Program")


@pytest.mark.parametrize(
    "dosage, seconds",
    [
        ({"repetitions": 10}, 10 * 4 + 20),
        ({"sets": 2, "repetitions": 10, "hold_seconds": 5}, 2 * 10 * 9 + 20),
        ({"sets": 3, "repetitions": 5, "rest_seconds": 30}, 3 * 5 * 4 + 2 * 30 + 20),
        ({"minutes": 5, "times_per_day": 3}, 5 * 60 + 20),
        ({"hold_seconds": 30, "repetitions": 3}, 3 * 34 + 20),
    ],
)
def test_minutes_come_from_the_dosage(dosage, seconds):
    assert exercise_seconds(dosage) == seconds


def test_coverage_names_missing_goals_regions_and_time():
    result = coverage(
        [
            ("range_of_motion", ["neck"], {"repetitions": 10, "times_per_day": 2}),  # 60 s, twice a day
            ("strengthening", ["shoulders", "neck"], {"minutes": 4}),  # 260 s
        ],
        limit=6,
    )
    assert result.goals_covered == ["range_of_motion", "strengthening"]
    assert result.goals_missing == ["posture"]
    assert result.regions == ["neck", "shoulders"]
    assert (result.session_minutes, result.day_minutes) == (round(320 / 60), round(380 / 60))
    assert not result.over_limit
    assert coverage([("posture", [], {"repetitions": 1})] * 7, limit=6).over_limit


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("sets", 0, "out of range"),
        ("repetitions", -5, "out of range"),
        ("sets", 1000, "out of range"),
        ("hold_seconds", 7200, "out of range"),
        ("minutes", 0, "out of range"),
    ],
)
def test_absurd_dosage_is_refused_by_the_service(catalog_db, patient, field, value, message):
    program = new_program(catalog_db, patient, "chin-tuck-sitting")
    item = program.items[0]
    with pytest.raises(DomainError, match=message) as refused:
        program_items.update_item(catalog_db, program, item.id, {**item.dosage, field: value}, "both", "", None, NOW)
    assert refused.value.field == field


def test_retired_exercise_stays_but_cannot_be_added(catalog_db, patient):
    program = new_program(catalog_db, patient, "chin-tuck-sitting")
    exercise = catalog_db.scalars(select(Exercise).where(Exercise.slug == "chin-tuck-sitting")).one()
    exercise.retired_at = NOW
    catalog_db.commit()
    catalog_db.expire_all()
    assert programs.get_program(catalog_db, patient.clinic_id, program.id).items[0].exercise.retired
    with pytest.raises(DomainError, match="retired"):
        program_items.add_item(catalog_db, program, exercise, None, NOW)


def test_a_template_file_of_more_exercises_than_a_program_holds_is_refused(tmp_path):
    items = "".join('[[items]]\nexercise = "bridge"\n' for _ in range(program_items.ITEMS_MAX + 1))
    path = tmp_path / "long.toml"
    path.write_text(f'name = "Long"\ntitle = "Long"\n{items}', encoding="utf-8")
    with pytest.raises(DomainError, match="long.toml: items: 41 exercises, at most 40"):
        program_templates.read_template_file(path)


def test_stale_save_is_refused_not_overwritten(catalog_db, patient):
    program = new_program(catalog_db, patient, "chin-tuck-sitting")
    seen = program.lock_version
    item = program.items[0]
    program_items.update_item(catalog_db, program, item.id, {"repetitions": 12}, "both", "", seen, NOW)
    catalog_db.commit()
    with pytest.raises(program_changes.Conflict):
        program_items.update_item(catalog_db, program, item.id, {"repetitions": 3}, "both", "", seen, NOW)
    catalog_db.expire_all()
    assert programs.get_program(catalog_db, patient.clinic_id, program.id).items[0].dosage == {"repetitions": 12}


def test_changes_after_issue_make_a_new_version_and_the_old_stays_readable(catalog_db, patient):
    program = new_program(catalog_db, patient, "chin-tuck-sitting", "band-row")
    first = issuing.issue(catalog_db, program, None, "print", NOW)
    catalog_db.commit()
    assert (first.number, program.issued) == (1, True)
    assert issuing.issue(catalog_db, program, None, "email", NOW).id == first.id  # same version, same copy

    row = program.items[1]
    program_items.update_item(catalog_db, program, row.id, {"sets": 3, "repetitions": 12}, "both", "Slowly.", None, NOW)
    program_items.move_item(catalog_db, program, row.id, -1, None, NOW)
    program_items.add_item(catalog_db, program, get_exercise(catalog_db, patient.clinic_id, "wall-angels"), None, NOW)
    catalog_db.commit()
    assert (program.version, program.issued) == (2, False)  # one new version for the whole edit session
    assert [i["exercise"] for i in first.snapshot["items"]] == ["chin-tuck-sitting", "band-row"]

    second = issuing.issue(catalog_db, program, None, "print", NOW + timedelta(days=1))
    catalog_db.commit()
    changes = diff(first.snapshot, second.snapshot)
    assert any(c.startswith("Added: Wall angels") for c in changes), changes
    assert any("Row with a band" in c and "dosage changed" in c and "Repeat 12 times" in c for c in changes), changes
    assert any("note changed" in c and "Slowly." in c for c in changes)
    assert any(c.startswith("Order changed") for c in changes)
    assert diff(second.snapshot, snapshot(program, reevaluation.next_reevaluation(program))) == []


def test_an_export_issues_what_it_printed_and_skips_a_program_changed_meanwhile(service_db):
    catalog_db = service_db  # SQLite and PostgreSQL: the claim is one UPDATE ... RETURNING
    load_catalog(catalog_db)
    patient = make_patient(catalog_db, make_clinic(catalog_db, "Export Clinic"), "Pat Export")
    kept = new_program(catalog_db, patient, "chin-tuck-sitting", title="Kept as printed")
    changed = new_program(catalog_db, patient, "band-row", title="Changed while printing")
    done = new_program(catalog_db, patient, "wall-angels", title="Issued before")
    first = issuing.issue(catalog_db, done, None, "print", NOW)
    catalog_db.commit()
    handouts = [issuing.printed(p) for p in (kept, changed, done)]
    programs.update_details(
        catalog_db, changed, programs.ProgramDetails(title="Renamed", start_date=date(2026, 11, 21)), None, NOW
    )
    catalog_db.commit()

    assert issuing.issue_printed(catalog_db, handouts, "export", NOW) == 1
    catalog_db.commit()
    catalog_db.expire_all()
    assert (kept.issued, changed.issued) == (True, False)
    frozen = catalog_db.scalars(select(ProgramVersion).where(ProgramVersion.program_id == kept.id)).one()
    assert (frozen.how, frozen.snapshot["title"], frozen.snapshot["next_reevaluation"]) == (
        "export",
        "Kept as printed",
        "2027-01-02",
    )
    assert catalog_db.scalars(select(ProgramVersion).where(ProgramVersion.program_id == changed.id)).all() == []
    assert catalog_db.scalars(select(ProgramVersion).where(ProgramVersion.program_id == done.id)).all() == [first]
    # The export gave the printed paper to both whose program still held it: the new and the given one.
    assert [(g.how, g.given_at) for g in frozen.givings] == [("export", NOW)]
    assert [g.how for g in first.givings] == ["print", "export"]


def test_every_shipped_template_covers_the_three_goals(catalog_db):
    shipped = catalog_db.scalars(select(ProgramTemplate).where(ProgramTemplate.clinic_id.is_(None))).all()
    names = {t.name for t in shipped}
    assert len(shipped) >= 5
    for wanted in ["Cervical", "Blepharospasm", "Writer", "Generalized", "posture"]:
        assert any(wanted in n for n in names), wanted
    for template in shipped:
        items = template.content["items"]
        # What a patient gets: the common part (of the sensory trick's choices, the one for no trick
        # recorded), with the work for one recorded pull (`when`) if any.
        for pull in ["", *{i.get("when") for i in items if i.get("when")}]:
            exercises = [
                catalog_db.scalars(select(Exercise).where(Exercise.slug == i["exercise"])).one()
                for i in items
                if i.get("when", "") in ("", pull) and (not i.get("trick") or "" in i["trick"])
            ]
            result = coverage((e.category, e.regions, e.dosage) for e in exercises)
            assert result.goals_missing == [], (template.name, pull, result.goals_missing)
            assert not result.over_limit, (template.name, pull)


def test_template_round_trip(catalog_db, clinic, patient):
    template = shipped_template(catalog_db, "writers-cramp")
    report = program_templates.start_from_template(catalog_db, template, patient, None, date(2026, 12, 1), NOW)
    program = report.program
    assert report.skipped == []
    assert [i.exercise.slug for i in program.items] == [i["exercise"] for i in template.content["items"]]
    assert program.reeval_interval_days == 42 and program.start_date == date(2026, 12, 1)
    program_items.update_item(
        catalog_db, program, program.items[0].id, {"repetitions": 7}, "right", "Go slow.", None, NOW
    )
    saved = program_templates.save_as_template(catalog_db, program, "Our writer's cramp", "Edited", NOW)
    other = make_patient(catalog_db, clinic, "Second Patient")
    again = program_templates.start_from_template(catalog_db, saved, other, None, date(2026, 12, 2), NOW).program
    catalog_db.commit()
    assert [(i.exercise.slug, i.dosage, i.note) for i in again.items] == [
        (i.exercise.slug, i.dosage, i.note) for i in program.items
    ]
    assert again.items[0].side == ""  # the first patient's hand is not the next one's
    assert again.advice == program.advice and again.goals == program.goals


@pytest.mark.parametrize(
    ("slug", "side", "kept"),
    [
        ("sensory-trick-cheek-touch", "left", ""),  # Ana's trick cheek: "Touch your left cheek."
        ("arm-raise-weight", "right", ""),  # her arm
        ("head-midline-away-from-pull", "right", ""),  # a direction chosen against her pull
        ("neck-side-stretch", "left", ""),
        ("shoulder-rolls", "both", "both"),  # fixed by the exercise: both sides the same way
    ],
)
def test_a_template_saved_from_a_program_keeps_no_side_of_the_patient(catalog_db, clinic, patient, slug, side, kept):
    """Trial 8: "Touch your left cheek." went from Ana's program into Ivan's through a template,
    though the save page says patient details are not saved. Only what the exercise fixes is."""
    from planner.dystonia.pattern import PatternEntry
    from planner.services import recorded_patterns

    program = new_program(catalog_db, patient, slug)
    item = program.items[0]
    program_items.update_item(catalog_db, program, item.id, dict(item.dosage), side, "Slowly.", None, NOW)
    saved = program_templates.save_as_template(catalog_db, program, "Ana's · Ανα · 安娜", "", NOW)
    assert [(i["side"], i["note"]) for i in saved.content["items"]] == [(kept, "Slowly.")]
    ivan = make_patient(catalog_db, clinic, "Іван Новак")
    recorded_patterns.record_pattern(
        catalog_db,
        ivan,
        PatternEntry({"rotation": "left", "tilt": "right"}, {"rotation": 2, "tilt": 1}),
        date(2026, 11, 20),
        None,
        NOW,
    )
    started = program_templates.start_from_template(catalog_db, saved, ivan, None, date(2026, 12, 2), NOW).program
    assert [i.side for i in started.items] == [kept]
    # A clinic template saved before this rule still holding her side: the start drops it too.
    saved.content = {**saved.content, "items": [{**saved.content["items"][0], "side": side}]}
    started = program_templates.start_from_template(catalog_db, saved, ivan, None, date(2026, 12, 3), NOW).program
    assert [i.side for i in started.items] == [kept]


def changes_after(db, program, edit):
    """What the version history lists after `edit(program)`, between the version given before and after."""
    first = issuing.issue(db, program, None, "print", NOW)
    db.commit()
    edit(program)
    db.commit()
    second = issuing.issue(db, program, None, "print", NOW + timedelta(days=1))
    db.commit()
    return diff(first.snapshot, second.snapshot)


@pytest.mark.parametrize(
    ("slug", "side", "dosage", "said"),
    [
        (
            "head-midline-away-from-pull",
            "left",
            None,
            [
                "Slow head turn and hold: direction changed from “Turn your head to the right, away from "
                "the pull.” to “Turn your head to the left, toward the pull.”"
            ],
        ),
        ("wrist-bends-and-circles", "both", None, ["Wrist bends and circles: side changed from “right” to “both”."]),
        (
            "wrist-bends-and-circles",
            "left",
            {"repetitions": 4},
            [
                "Wrist bends and circles: side changed from “right” to “left”.",
                "Wrist bends and circles: dosage changed from “Repeat 10 times. Do 1 set. Do this 2 times a day, every day.” "
                "to “Repeat 4 times.”",  # one full stop after a quote that ends a sentence
            ],
        ),
    ],
    ids=["direction", "side", "side and dosage"],
)
def test_the_version_history_names_a_change_of_direction_or_side_as_such(catalog_db, patient, slug, side, dosage, said):
    """The trial: turning the other way was listed as "dosage changed"."""
    from planner.dystonia.pattern import PatternEntry
    from planner.services import recorded_patterns

    # A one-sided exercise is given with a side (here the right hand's writer's cramp gives it).
    entry = PatternEntry({"rotation": "left"}, {"rotation": 2}, areas=["hand_arm_right"])
    recorded_patterns.record_pattern(catalog_db, patient, entry, date(2026, 11, 1), None, NOW)
    program = new_program(catalog_db, patient, slug)
    item = program.items[0]

    def edit(program):
        program_items.update_item(catalog_db, program, item.id, dosage or dict(item.dosage), side, "", None, NOW)

    assert changes_after(catalog_db, program, edit) == said


def test_an_exercise_given_twice_has_each_change_listed(catalog_db, patient):
    program = new_program(catalog_db, patient, "grip-squeeze-ball")
    first = program.items[0]
    program_items.update_item(catalog_db, program, first.id, first.dosage, "right", "", None, NOW)
    program_items.add_item(catalog_db, program, first.exercise, None, NOW)  # again: for the left hand

    def edit(program):
        program_items.update_item(catalog_db, program, first.id, {"repetitions": 3}, "right", "", None, NOW)

    changes = changes_after(catalog_db, program, edit)
    assert len(changes) == 1 and changes[0].startswith("Grip squeeze with a soft ball: dosage changed from"), changes
    assert changes[0].endswith("to “Repeat 3 times.”")


# ---- an exercise added a second time ----------------------------------------------------------

TORTICOLLIS = PatternEntry({"rotation": "left"}, {"rotation": 2})
SAME_BOTH_WAYS = "It has no left and right, so it is not added twice. Change its dosage there instead."
SET_FIRST = "Set it to left or right first. Then add it again for the other side."


@pytest.mark.parametrize(
    ("slug", "pattern", "sides", "added", "refused"),
    [
        # Symmetric (both ways in turn) or one way only: a second copy is the same exercise twice.
        (
            "neck-turn-lying",
            None,
            [""],
            None,
            f"“Neck turn lying down” is already in the program (exercise 1). {SAME_BOTH_WAYS}",
        ),
        (
            "neck-press-back",
            None,
            [""],
            None,
            f"“Neck press back into your hands” is already in the program (exercise 1). {SAME_BOTH_WAYS}",
        ),
        # A limb exercise: again only for the other side of its one copy.
        ("grip-squeeze-ball", None, ["right"], "left", None),
        ("grip-squeeze-ball", None, ["left"], "right", None),
        (
            "grip-squeeze-ball",
            None,
            [""],
            None,
            f"“Grip squeeze with a soft ball” is already in the program (exercise 1), with no side set. {SET_FIRST}",
        ),
        (
            "grip-squeeze-ball",
            None,
            ["both"],
            None,
            f"“Grip squeeze with a soft ball” is already in the program (exercise 1), for both sides. {SET_FIRST}",
        ),
        (
            "grip-squeeze-ball",
            None,
            ["right", "left"],
            None,
            "“Grip squeeze with a soft ball” is already in the program for both sides (exercises 1 and 2).",
        ),
        # A direction-specific exercise: the first follows the pattern (right, away from a left turn);
        # the second is the other way, which the builder then warns trains toward the pull.
        ("neck-turn-lying-hold", TORTICOLLIS, [""], "left", None),
        (
            "neck-turn-lying-hold",
            None,
            [""],
            None,
            f"“Neck turn hold lying down” is already in the program (exercise 1), with no side set. {SET_FIRST}",
        ),
    ],
    ids=[
        "symmetric",
        "one way",
        "limb right",
        "limb left",
        "limb no side",
        "limb both",
        "limb twice",
        "pattern's side",
        "no pattern",
    ],
)
def test_an_exercise_is_added_again_only_for_the_other_side(catalog_db, patient, slug, pattern, sides, added, refused):
    """The trial read "Add again" as no warning and got the same exercise twice. A second copy is
    the other side of a sided exercise, set on it; anything else is refused, and nothing changes."""
    if pattern is not None:
        recorded_patterns.record_pattern(catalog_db, patient, pattern, date(2026, 11, 1), None, NOW)
    exercise = get_exercise(catalog_db, patient.clinic_id, slug)
    program = new_program(catalog_db, patient)
    program_items.add_item(catalog_db, program, exercise, None, NOW, side=sides[0])
    if len(sides) > 1:
        program_items.add_item(catalog_db, program, exercise, None, NOW)  # the other side, set by itself
    catalog_db.commit()
    before = [(i.exercise_id, i.side, i.dosage) for i in program.items]
    if refused:
        with pytest.raises(DomainError) as error:
            program_items.add_item(catalog_db, program, exercise, None, NOW)
        assert (error.value.message, error.value.field) == (refused, "exercise")
        catalog_db.rollback()
        assert [(i.exercise_id, i.side, i.dosage) for i in program.items] == before  # nothing lost
    else:
        item = program_items.add_item(catalog_db, program, exercise, None, NOW)
        assert item.side == added and len(program.items) == len(before) + 1
        if pattern is not None:
            warned = [w.kind for w in patterns.item_direction(item, patterns.patient_pattern(patient)).warnings]
            assert warned == ["toward_pull"]


@pytest.mark.parametrize("side", ["left", "both"])
def test_a_second_copy_cannot_be_set_to_the_first_ones_side(catalog_db, patient, side):
    program = new_program(catalog_db, patient, "grip-squeeze-ball")
    first = program.items[0]
    program_items.update_item(catalog_db, program, first.id, first.dosage, "right", "", None, NOW)
    second = program_items.add_item(catalog_db, program, first.exercise, None, NOW)
    catalog_db.commit()
    with pytest.raises(DomainError) as error:
        program_items.update_item(catalog_db, program, first.id, first.dosage, side, "", None, NOW)
    assert error.value.field == "side"
    assert error.value.message == (
        "Exercise 2 is “Grip squeeze with a soft ball” for the left side already. Choose the other side, or remove one of the two."
    )
    catalog_db.rollback()
    assert (first.side, second.side) == ("right", "left")


def test_copy_to_another_patient_is_independent(catalog_db, clinic, patient):
    program = new_program(catalog_db, patient, "chin-tuck-sitting", "band-row")
    other = make_patient(catalog_db, clinic, "Copy Target")
    copy = programs.copy_to_patient(catalog_db, program, other, None, NOW)
    catalog_db.commit()
    assert copy.patient_id == other.id and copy.id != program.id
    assert [i.exercise.slug for i in copy.items] == ["chin-tuck-sitting", "band-row"]
    program_items.update_item(catalog_db, copy, copy.items[0].id, {"repetitions": 3}, "both", "", None, NOW)
    catalog_db.commit()
    catalog_db.expire_all()
    assert programs.get_program(catalog_db, clinic.id, program.id).items[0].dosage != {"repetitions": 3}
    stranger = make_patient(catalog_db, make_clinic(catalog_db), "Stranger")
    with pytest.raises(NotFound):
        programs.copy_to_patient(catalog_db, program, stranger, None, NOW)


def test_programs_and_templates_stay_in_their_clinic(catalog_db, clinic, patient):
    program = new_program(catalog_db, patient, "chin-tuck-sitting")
    own = program_templates.save_as_template(catalog_db, program, "Private template", "", NOW)
    other = make_clinic(catalog_db, "Other Clinic")
    catalog_db.commit()
    with pytest.raises(NotFound):
        programs.get_program(catalog_db, other.id, program.id)
    with pytest.raises(NotFound):
        program_templates.get_template(catalog_db, other.id, own.id)
    assert own.id not in {t.id for t in program_templates.list_templates(catalog_db, other.id)}
    with pytest.raises(NotFound):
        program_templates.start_from_template(catalog_db, own, make_patient(catalog_db, other), None, date.today(), NOW)


def test_versions_and_locking_on_both_databases(service_db):
    load_catalog(service_db)
    clinic = make_clinic(service_db)
    patient = make_patient(service_db, clinic)
    program = new_program(service_db, patient, "chin-tuck-sitting")
    issuing.issue(service_db, program, None, "print", NOW)
    service_db.commit()
    program_items.update_item(service_db, program, program.items[0].id, {"repetitions": 4}, "both", "", 2, NOW)
    service_db.commit()
    assert program.version == 2
    with pytest.raises(program_changes.Conflict):
        program_items.remove_item(service_db, program, program.items[0].id, 2, NOW)


def test_demo_loads_once(catalog_db):
    from planner.demo import load_demo
    from tests.conftest import CATALOG

    login = load_demo(catalog_db, date(2026, 11, 21), NOW, CATALOG)
    assert login.email and len(login.password) >= 12
    assert login.catalog is None  # the catalog and templates were there: nothing loaded again
    with pytest.raises(DomainError, match="already holds clinic data"):
        load_demo(catalog_db, date(2026, 11, 21), NOW, CATALOG)


def test_a_change_line_sets_each_hebrew_or_arabic_name_and_note_in_its_own_direction():
    """A change line is an English sentence around the therapist's words: a right-to-left name or
    note inside it is isolated (U+2068 … U+2069), as flashes and field errors are, so "Added:" and
    the quotes stay where they belong."""
    hebrew, arabic, note = "מתיחת צוואר", "تمرين الرقبة", "ببطء"
    item = {"exercise": "neck-a", "name": hebrew, "side": "", "dosage": {"repetitions": 5}, "note": "", "sided": False}
    added = {**item, "exercise": "neck-b", "name": arabic}
    changes = diff({"items": [item]}, {"items": [{**item, "note": note}, added]})
    assert f"Added: \u2068{arabic}\u2069 (Repeat 5 times.)" in changes
    assert f"\u2068{hebrew}\u2069: note changed from “—” to “\u2068{note}\u2069”." in changes
    assert diff({"items": [item]}, {"items": [{**item, "name": "Neck stretch"}]}) == [
        f"Exercise renamed from “\u2068{hebrew}\u2069” to “Neck stretch”."
    ]
