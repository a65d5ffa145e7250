"""Plausible dates: one rule at every form and again in the services, and no stored date that can
take a page down.

A date of birth lies from 1900 to the clinic's today; a program, visit or re-evaluation date
inside [dates] past_years/future_years of today (5 and 1 in config.toml); visits and
re-evaluations never after today. The clinic here keeps Kiribati time (UTC+14), so its today is
often the server's tomorrow: the rule follows the clinic's calendar.
"""

from __future__ import annotations

import email
import email.policy
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from planner.dystonia.pattern import PatternEntry
from planner.models import (
    Clinic,
    DayReport,
    Evaluation,
    MeasureValue,
    OutboxMessage,
    OutcomePlan,
    Patient,
    Program,
    ProgramTemplate,
    User,
    Visit,
)
from planner.services import (
    DomainError,
    audit,
    calendar_feed,
    calendar_window,
    care,
    dashboard,
    evaluations,
    patient_links,
    patients,
    program_items,
    program_templates,
    programs,
    recorded_patterns,
    reevaluation,
    reminders,
)
from planner.services.calendar_window import Window
from planner.services.catalog import get_exercise
from planner.services.clinic_time import local_moment, local_today
from planner.services.evaluations import EvaluationData
from planner.services.patients import PatientData
from tests.conftest import build_app, clinic_clock, login
from tests.factories import make_clinic, make_patient, make_user, shipped_template
from tests.handout_world import pages_text

ZONE = "Pacific/Kiritimati"


def years(day: date, n: int) -> date:
    try:
        return day.replace(year=day.year + n)
    except ValueError:  # 29 February
        return day.replace(year=day.year + n, day=28)


def named_days(today: date) -> dict[str, date]:
    """The days the tables below name, around the clinic's today (5 years back, 1 ahead)."""
    earliest, latest = years(today, -5), years(today, 1)
    return {
        "1899-12-31": date(1899, 12, 31),
        "1900-01-01": date(1900, 1, 1),
        "today": today,
        "tomorrow": today + timedelta(days=1),
        "earliest - 1": earliest - timedelta(days=1),
        "earliest": earliest,
        "latest": latest,
        "latest + 1": latest + timedelta(days=1),
        "9999-12-01": date(9999, 12, 1),
        "0001-01-02": date(1, 1, 2),
    }


def written(day: date) -> str:
    return f"{day.day} {day:%b} {day.year}"  # "1 Dec 2021"


def field_messages(today: date) -> dict[str, str]:
    """What each date field says beyond its limits, on the clinic's today."""
    in_window = f"between {written(years(today, -5))} and {written(years(today, 1))}."
    up_to_today = f"between {written(years(today, -5))} and today."
    return {
        "date_of_birth": "Enter a date of birth between 1 Jan 1900 and today.",
        "start_date": f"Enter a start date {in_window}",
        "reeval_date": f"Enter a re-evaluation date {in_window}",
        "starts_on": f"Enter a first day {in_window}",
        "evaluated_on": f"Enter a re-evaluation date {up_to_today}",
        "visited_on": f"Enter a visit date {up_to_today}",
    }


PATIENT_FORM = {"language": "en", "primary_therapist_id": ""}


@dataclass
class World:
    app: Flask
    db: Session
    client: FlaskClient
    clinic: Clinic
    therapist: User
    now: datetime  # the clinic clock's noon (conftest.clinic_clock): the pages read the same clock

    @property
    def today(self) -> date:
        """The clinic's today in Kiribati time: the date the pages and services take as today."""
        return local_today(ZoneInfo(ZONE), self.now)

    @property
    def earliest(self) -> date:
        return years(self.today, -5)

    @property
    def named(self) -> dict[str, date]:
        return named_days(self.today)

    @property
    def messages(self) -> dict[str, str]:
        return field_messages(self.today)

    def patient(self, name: str = "Zoë Δημητρίου", **fields) -> Patient:  # noqa: ANN003
        return make_patient(self.db, self.clinic, name, primary_therapist_id=self.therapist.id, **fields)

    def program(self, start: date | None = None, **details) -> Program:  # noqa: ANN003
        wanted = programs.ProgramDetails("Шея и плечи", start or self.today, **details)
        program = programs.create_program(self.db, self.patient(), wanted, self.therapist.id, self.now)
        self.db.commit()
        return program

    def template(self) -> ProgramTemplate:
        return shipped_template(self.db, "cervical-dystonia")


@pytest.fixture(scope="module")
def world(tmp_path_factory, catalog_file) -> World:  # noqa: ANN001
    """One app for the whole file (plan-of-care rules on), its catalog loaded, a therapist signed in,
    all on one clinic clock (conftest.clinic_clock) while the file's tests run."""
    folder = tmp_path_factory.mktemp("dates")
    shutil.copyfile(catalog_file, folder / "planner.sqlite3")
    with clinic_clock() as now:
        app = build_app(
            folder,
            url=f"sqlite:///{folder / 'planner.sqlite3'}",
            plan_of_care={"enabled": True, "default_profile": "us_medicare"},
            server={"public_url": "https://exercises.example.org"},
        )
        db = app.extensions["db_sessionmaker"]()
        clinic = make_clinic(db, "Clínica Fecha", timezone=ZONE)
        therapist = make_user(db, clinic, role="admin", email="t@dates.example", name="Dr. José Núñez")
        client = app.test_client()
        login(client, "t@dates.example")
        yield World(app, db, client, clinic, therapist, now)
        db.close()
        app.extensions["db_engine"].dispose()


def field_error(html: str, field: str) -> str:
    """The message shown next to the field, or "" (templates/_forms.html writes it under the input)."""
    match = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', html)
    return match.group(1).replace("&#39;", "'") if match else ""


# ---- the example ---------------------------------------------------------------------


def test_a_program_starting_9999_12_01_is_a_field_error_not_a_500(world):
    patient = world.patient("Ирина Петрова")
    response = world.client.post(
        f"/patients/{patient.id}/programs/new",
        data={"title": "Cuello", "start_date": "9999-12-01", "reeval_interval_days": "56", "lock_version": "0"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_error(html, "start_date") == world.messages["start_date"]
    assert 'value="Cuello"' in html  # what was typed stays
    assert world.db.scalars(select(Program).where(Program.patient_id == patient.id)).first() is None


# ---- every form, at the limits ---------------------------------------------------------------


def post_form(world: World, form: str, field: str, value: date) -> tuple[int, str, date | None]:
    """Post one date through a form; returns the status, the field's message and what was saved."""
    client, db, day = world.client, world.db, value.isoformat()
    if form == "new patient":
        name = f"李小龙 {day}"
        response = client.post("/patients/new", data={**PATIENT_FORM, "name": name, field: day})
        saved = db.scalars(select(Patient).where(Patient.name == name)).first()
        return response.status_code, field_error(response.get_data(as_text=True), field), saved and saved.date_of_birth
    if form == "patient edit":
        patient = world.patient("Ana Inês", date_of_birth=date(1956, 3, 21))
        response = client.post(f"/patients/{patient.id}/edit", data={**PATIENT_FORM, "name": "Ana Inês", field: day})
        db.expire_all()
        return response.status_code, field_error(response.get_data(as_text=True), field), patient.date_of_birth
    if form in ("new program", "program details"):
        data = {"title": "עבודה על הצוואר", "start_date": world.today.isoformat(), "lock_version": "0", field: day}
        if form == "new program":
            patient = world.patient()
            response = client.post(f"/patients/{patient.id}/programs/new", data=data)
            program = db.scalars(select(Program).where(Program.patient_id == patient.id)).first()
        else:
            program = world.program()
            response = client.post(f"/programs/{program.id}/details", data={**data, "lock_version": "1"})
            db.expire_all()
        html = response.get_data(as_text=True)
        return response.status_code, field_error(html, field), program and getattr(program, field)
    if form == "from template":
        patient = world.patient()
        response = client.post(
            f"/patients/{patient.id}/programs/from-template", data={"template": world.template().id, field: day}
        )
        program = db.scalars(select(Program).where(Program.patient_id == patient.id)).first()
        page = client.get(response.location).get_data(as_text=True)  # the flash message, shown once
        message = world.messages[field] if world.messages[field] in page else ""
        return 200 if message else response.status_code, message, program and program.start_date
    if form == "questions":
        patient = world.patient()
        data = {"parts": ["pain"], "every_days": "14", field: day}
        response = client.post(f"/patients/{patient.id}/between-visits/questions", data=data)
        db.expire_all()
        plan = patient.outcome_plan
        return response.status_code, field_error(response.get_data(as_text=True), field), plan and plan.starts_on
    program = world.program(start=world.earliest)
    if form == "visit":
        response = client.post(f"/programs/{program.id}/visits", data={field: day, "kind": "treatment"})
        row = db.scalars(select(Visit).where(Visit.program_id == program.id)).first()
        return response.status_code, field_error(response.get_data(as_text=True), field), row and row.visited_on
    response = client.post(f"/programs/{program.id}/evaluations/new", data={field: day})
    row = db.scalars(select(Evaluation).where(Evaluation.program_id == program.id)).first()
    return response.status_code, field_error(response.get_data(as_text=True), field), row and row.evaluated_on


@pytest.mark.parametrize(
    "form, field, day, accepted",
    [
        ("new patient", "date_of_birth", "1899-12-31", False),
        ("new patient", "date_of_birth", "1900-01-01", True),
        ("new patient", "date_of_birth", "today", True),
        ("new patient", "date_of_birth", "tomorrow", False),
        ("patient edit", "date_of_birth", "1899-12-31", False),
        ("patient edit", "date_of_birth", "1900-01-01", True),
        ("patient edit", "date_of_birth", "today", True),
        ("patient edit", "date_of_birth", "tomorrow", False),
        ("new program", "start_date", "earliest - 1", False),
        ("new program", "start_date", "earliest", True),
        ("new program", "start_date", "latest", True),
        ("new program", "start_date", "latest + 1", False),
        ("new program", "start_date", "0001-01-02", False),
        ("new program", "reeval_date", "latest", True),
        ("new program", "reeval_date", "latest + 1", False),
        ("program details", "start_date", "earliest - 1", False),
        ("program details", "start_date", "earliest", True),
        ("program details", "start_date", "latest", True),
        ("program details", "start_date", "latest + 1", False),
        ("program details", "reeval_date", "earliest - 1", False),
        ("program details", "reeval_date", "latest", True),
        ("program details", "reeval_date", "9999-12-01", False),
        ("from template", "start_date", "earliest - 1", False),
        ("from template", "start_date", "earliest", True),
        ("from template", "start_date", "latest", True),
        ("from template", "start_date", "latest + 1", False),
        ("questions", "starts_on", "earliest - 1", False),
        ("questions", "starts_on", "latest", True),
        ("questions", "starts_on", "latest + 1", False),
        ("visit", "visited_on", "earliest - 1", False),
        ("visit", "visited_on", "earliest", True),
        ("visit", "visited_on", "today", True),
        ("visit", "visited_on", "tomorrow", False),
        ("evaluation", "evaluated_on", "earliest - 1", False),
        ("evaluation", "evaluated_on", "earliest", True),
        ("evaluation", "evaluated_on", "today", True),
        ("evaluation", "evaluated_on", "tomorrow", False),
    ],
)
def test_each_form_takes_dates_up_to_its_limits_and_names_the_field_beyond(world, form, field, day, accepted):
    status, message, saved = post_form(world, form, field, world.named[day])
    if accepted:
        assert (status, message, saved) == (302, "", world.named[day])
    else:
        assert status in (200, 422) and message == world.messages[field]
        assert saved != world.named[day]  # nothing saved; an edited record keeps its date
        if form == "patient edit":
            assert saved == date(1956, 3, 21)


# ---- the services check again ----------------------------------------------------------------


def _details(w: World, **changes) -> programs.ProgramDetails:  # noqa: ANN003
    return programs.ProgramDetails(**{"title": "Neck", "start_date": w.today, **changes})


SERVICE_CASES = {
    "create_patient, born 1899": (
        "date_of_birth",
        lambda w: patients.create_patient(w.db, w.clinic.id, PatientData("Ola", date(1899, 12, 31)), w.now),
    ),
    "update_patient, born tomorrow": (
        "date_of_birth",
        lambda w: patients.update_patient(w.db, w.patient(), PatientData("Ola", w.named["tomorrow"]), w.now),
    ),
    "create_program, start 9999-12-01 and 56 days": (
        "start_date",
        lambda w: programs.create_program(
            w.db, w.patient(), _details(w, start_date=date(9999, 12, 1), reeval_interval_days=56), None, w.now
        ),
    ),
    "create_program, re-evaluation after the window": (
        "reeval_date",
        lambda w: programs.create_program(
            w.db, w.patient(), _details(w, reeval_date=w.named["latest + 1"]), None, w.now
        ),
    ),
    "update_details, start before the window": (
        "start_date",
        lambda w: programs.update_details(
            w.db, w.program(), _details(w, start_date=w.named["earliest - 1"]), None, w.now
        ),
    ),
    "start_from_template, start 0001-01-02": (
        "start_date",
        lambda w: program_templates.start_from_template(w.db, w.template(), w.patient(), None, date(1, 1, 2), w.now),
    ),
    "record_evaluation, tomorrow": (
        "evaluated_on",
        lambda w: evaluations.record_evaluation(w.db, w.program(), EvaluationData(w.named["tomorrow"]), None, w.now),
    ),
    "record_evaluation, before the window": (
        "evaluated_on",
        lambda w: evaluations.record_evaluation(
            w.db, w.program(start=w.earliest), EvaluationData(w.named["earliest - 1"]), None, w.now
        ),
    ),
    "record_visit, before the window": (
        "visited_on",
        lambda w: care.record_visit(
            w.db, w.program(start=w.earliest), w.named["earliest - 1"], "treatment", "", None, w.now
        ),
    ),
    "record_visit, tomorrow": (
        "visited_on",
        lambda w: care.record_visit(w.db, w.program(), w.named["tomorrow"], "treatment", "", None, w.now),
    ),
}


@pytest.mark.parametrize("case", list(SERVICE_CASES))
def test_the_services_refuse_the_same_dates_naming_the_field(world, case):
    field, call = SERVICE_CASES[case]
    with pytest.raises(DomainError) as refused:
        call(world)
    world.db.rollback()
    assert (refused.value.field, refused.value.message) == (field, world.messages[field])


def test_a_saved_start_date_the_window_has_left_behind_still_saves_unchanged(world):
    """A program begun six years ago keeps its start date when its title changes; a new date is checked."""
    program = world.program()
    long_ago = years(world.today, -6)
    world.db.execute(update(Program).where(Program.id == program.id).values(start_date=long_ago))
    world.db.commit()
    form = {"title": "Renamed", "start_date": long_ago.isoformat(), "reeval_interval_days": "42"}
    assert world.client.post(f"/programs/{program.id}/details", data={**form, "lock_version": "1"}).status_code == 302
    world.db.expire_all()
    assert (program.title, program.start_date) == ("Renamed", long_ago)
    moved = {**form, "start_date": (long_ago + timedelta(days=1)).isoformat(), "lock_version": "2"}
    html = world.client.post(f"/programs/{program.id}/details", data=moved).get_data(as_text=True)
    assert field_error(html, "start_date") == world.messages["start_date"]
    # A saved date after the window never was plausible: it is asked again, even unchanged.
    world.db.execute(update(Program).where(Program.id == program.id).values(start_date=date(9999, 12, 1)))
    world.db.commit()
    unchanged = {**form, "start_date": "9999-12-01", "lock_version": "2"}
    html = world.client.post(f"/programs/{program.id}/details", data=unchanged).get_data(as_text=True)
    assert field_error(html, "start_date") == (
        f"The saved start date, 1 Dec 9999, is further ahead than dates can be now. {world.messages['start_date']}"
    )


def test_a_program_saved_before_the_window_narrowed_opens_prints_and_says_why_its_date_is_asked(world):
    """[dates] future_years went from 5 to 1 (trial 13, F8): a program saved before with a start
    3 years ahead and a re-evaluation 2 years ahead still opens and prints as saved. The builder
    says at each date's field, as it opens, that the saved date is further ahead than dates can be
    now (a save had answered as if the therapist had just typed it); saving the details asks for
    dates inside the window, what was typed stays in the form, the program keeps its dates until
    new ones are saved, and the rest of the builder (an exercise's dosage) saves as before."""
    db, client = world.db, world.client
    program = world.program()
    item = program_items.add_item(db, program, get_exercise(db, world.clinic.id, "ankle-pumps"), None, world.now)
    db.commit()
    start, reeval = years(world.today, 3), years(world.today, 2)
    db.execute(update(Program).where(Program.id == program.id).values(start_date=start, reeval_date=reeval))
    db.commit()
    db.expire_all()
    builder = client.get(f"/programs/{program.id}")
    page = builder.get_data(as_text=True)
    assert builder.status_code == 200 and f'value="{start.isoformat()}"' in page
    said = {
        field: f"The saved {what}, {written(saved)}, is further ahead than dates can be now. {world.messages[field]}"
        for field, what, saved in (("start_date", "start date", start), ("reeval_date", "re-evaluation date", reeval))
    }
    # Said at each field as the builder opens, before anything is typed.
    assert {field: field_error(page, field) for field in said} == said
    handout = client.post(f"/programs/{program.id}/handout.pdf")
    printed = " ".join(pages_text(handout.data))
    assert handout.mimetype == "application/pdf" and f"Next check-up: {reeval.day} {reeval:%B} {reeval.year}" in printed

    form = {"title": "Renamed", "start_date": start.isoformat(), "reeval_date": reeval.isoformat()}
    sent = client.post(f"/programs/{program.id}/details", data={**form, "lock_version": str(program.lock_version)})
    html = sent.get_data(as_text=True)
    assert sent.status_code == 422 and 'value="Renamed"' in html  # what was typed stays
    assert {field: field_error(html, field) for field in said} == said
    db.expire_all()
    assert (program.title, program.start_date, program.reeval_date) == ("Шея и плечи", start, reeval)  # nothing lost

    program_items.update_item(db, program, item.id, {"repetitions": 12}, "", "", program.lock_version, world.now)
    db.commit()
    db.expire_all()
    assert program.items[0].dosage["repetitions"] == 12 and program.start_date == start
    fixed = {
        **form,
        "start_date": world.today.isoformat(),
        "reeval_date": "",
        "lock_version": str(program.lock_version),
    }
    assert client.post(f"/programs/{program.id}/details", data=fixed).status_code == 302
    db.expire_all()
    assert (program.title, program.start_date) == ("Renamed", world.today)
    assert field_error(client.get(f"/programs/{program.id}").get_data(as_text=True), "start_date") == ""


def test_a_first_questions_day_saved_before_the_window_narrowed_says_why_and_an_old_one_stays(world):
    """The questionnaire schedule's first day, as a program's dates: one the window has since left
    behind saves unchanged (it was asked again), one saved further ahead than dates can be now is
    asked again, saying so at the field."""
    db, client = world.db, world.client
    patient = world.patient("Lía Preguntas")
    data = {"parts": ["pain"], "every_days": "14", "starts_on": world.today.isoformat()}
    assert client.post(f"/patients/{patient.id}/between-visits/questions", data=data).status_code == 302
    long_ago, ahead = years(world.today, -6), years(world.today, 3)
    for saved, saves, every in ((long_ago, True, 7), (ahead, False, 21)):
        db.execute(update(OutcomePlan).where(OutcomePlan.patient_id == patient.id).values(starts_on=saved))
        db.commit()
        sent = client.post(
            f"/patients/{patient.id}/between-visits/questions",
            data={**data, "every_days": str(every), "starts_on": saved},
        )
        db.expire_all()
        plan = db.scalars(select(OutcomePlan).where(OutcomePlan.patient_id == patient.id)).one()
        assert (sent.status_code == 302, plan.every_days == every, plan.starts_on) == (saves, saves, saved)
        if not saves:
            assert field_error(sent.get_data(as_text=True), "starts_on") == (
                f"The saved first day, {written(ahead)}, is further ahead than dates can be now. "
                f"{world.messages['starts_on']}"
            )


# ---- arithmetic at the ends of the calendar ------------------------------------------------------


@pytest.mark.parametrize(
    "day, days, expected",
    [
        (date(2026, 11, 21), 56, date(2027, 1, 16)),
        (date(9999, 12, 1), 30, date(9999, 12, 31)),
        (date(9999, 12, 1), 31, None),
        (date(9999, 12, 31), 1, None),
        (date(1, 1, 2), -1, date(1, 1, 1)),
        (date(1, 1, 2), -7, None),
    ],
)
def test_shift_answers_none_past_either_end(day, days, expected):
    assert calendar_window.shift(day, days) == expected


@pytest.mark.parametrize(
    "day, years_later, expected",
    [
        (date(2028, 2, 29), -5, date(2023, 2, 28)),
        (date(2028, 2, 29), 4, date(2032, 2, 29)),
        (date(2026, 11, 30), -5, date(2021, 11, 30)),
        (date(9990, 6, 1), 20, date(9999, 12, 31)),
        (date(10, 6, 1), -20, date(1, 1, 1)),
    ],
)
def test_years_from_keeps_the_day_and_holds_at_the_ends(day, years_later, expected):
    assert calendar_window.years_from(day, years_later) == expected


@pytest.mark.parametrize(
    "zone, day, hour, expected",
    [
        ("Europe/Berlin", date(2026, 3, 30), 8, datetime(2026, 3, 30, 6, tzinfo=UTC)),
        ("America/Los_Angeles", date(9999, 12, 31), 15, datetime(9999, 12, 31, 23, tzinfo=UTC)),
        ("America/Los_Angeles", date(9999, 12, 31), 16, None),
        ("Asia/Tokyo", date(1, 1, 1), 8, None),  # Tokyo's mean time then: UTC+9:18:59
        ("Asia/Tokyo", date(1, 1, 1), 10, datetime(1, 1, 1, 0, 41, 1, tzinfo=UTC)),
    ],
)
def test_a_local_hour_beyond_what_utc_can_hold_is_none(zone, day, hour, expected):
    assert local_moment(ZoneInfo(zone), day, hour) == expected


# ---- config.toml sets the window ---------------------------------------------------------------


def test_config_toml_sets_the_window_and_refuses_a_bad_one(tmp_path, world):
    app = build_app(tmp_path, dates={"past_years": 1, "future_years": 2})
    try:
        db = app.extensions["db_sessionmaker"]()
        clinic = make_clinic(db, timezone=ZONE)
        make_user(db, clinic, email="w@dates.example")
        patient = make_patient(db, clinic)
        client = app.test_client()
        login(client, "w@dates.example")
        data = {"title": "Neck", "start_date": years(world.today, 3).isoformat(), "lock_version": "0"}
        html = client.post(f"/patients/{patient.id}/programs/new", data=data).get_data(as_text=True)
        assert field_error(html, "start_date") == (
            f"Enter a start date between {written(years(world.today, -1))} and {written(years(world.today, 2))}."
        )
        db.close()
    finally:
        app.extensions["db_engine"].dispose()
    for bad in (-1, 101, "5", 2.5, True):
        with pytest.raises(ValueError, match=r"\[dates\] past_years must be a whole number from 0 to 100"):
            Window.from_settings({"dates": {"past_years": bad}})


# ---- rows saved before the rule ---------------------------------------------------------------


@pytest.fixture(scope="module")
def stored(world) -> dict[str, Program]:
    """Programs, visits, evaluations, reports and reminders with dates at the ends of the calendar,
    written straight into the database as a row saved before the rule would be."""
    db = world.db
    patient = world.patient("Ντίνα Ολίβερ", email="dina@example.org", reminder_consent=True)
    db.execute(update(Patient).where(Patient.id == patient.id).values(date_of_birth=date(1, 1, 1)))
    # Her pattern gives the template's turning exercises their side, so each handout can print.
    recorded_patterns.record_pattern(
        db, patient, PatternEntry({"rotation": "left"}, {"rotation": 2}), world.today, None, world.now
    )
    made = {}
    for key, start, interval, on in [
        ("far start", date(9999, 12, 1), 56, None),  # the row
        ("year one", date(1, 1, 2), None, date(1, 1, 2)),
        ("last day", date(9999, 12, 31), None, date(9999, 12, 31)),
        ("evaluated at the end", date(1, 1, 1), 365, None),
    ]:
        program = program_templates.start_from_template(
            db, world.template(), patient, world.therapist.id, world.today, world.now
        )
        db.execute(
            update(Program)
            .where(Program.id == program.program.id)
            .values(start_date=start, reeval_interval_days=interval, reeval_date=on)
        )
        made[key] = program.program
    last = made["evaluated at the end"]
    for on in (date(1, 1, 1), date(9999, 12, 31)):
        evaluation = db.execute(
            insert(Evaluation).values(
                clinic_id=world.clinic.id, patient_id=patient.id, program_id=last.id, evaluated_on=on
            )
        ).inserted_primary_key[0]
        db.execute(insert(MeasureValue).values(evaluation_id=evaluation, measure="pain_nrs", value=on.year % 10))
    for on, kind in [(date(1, 1, 1), "progress_report"), (date(9999, 12, 31), "recertification")]:
        db.execute(insert(Visit).values(clinic_id=world.clinic.id, program_id=last.id, visited_on=on, kind=kind))
    for day in (date(1, 1, 1), date(9999, 12, 31)):
        db.execute(
            insert(DayReport).values(
                clinic_id=world.clinic.id, patient_id=patient.id, program_id=last.id, day=day, pain=8, comment="Ай"
            )
        )
    overdue = world.now - timedelta(minutes=5)
    for program, due in [(made["year one"], date(1, 1, 2)), (made["last day"], date(9999, 12, 31))]:
        db.execute(
            insert(OutboxMessage).values(
                clinic_id=world.clinic.id,
                kind="reevaluation",
                program_id=program.id,
                patient_id=patient.id,
                user_id=world.therapist.id,
                recipient="patient",
                due_on=due,
                lead_days=0,
                send_at=overdue,
                next_attempt_at=overdue,
            )
        )
    # Rows written past the ORM keep their stored next date only when told, as migration
    # 0012_indexes told the rows saved before it.
    reevaluation.store_due_dates(db, [p.id for p in made.values()])
    db.commit()
    db.expire_all()
    return made


def test_no_page_falls_over_on_a_stored_date_at_the_ends_of_the_calendar(world, stored):
    client, patient_id = world.client, stored["far start"].patient_id
    urls = ["/dashboard", "/patients", f"/patients/{patient_id}", f"/patients/{patient_id}/edit"]
    for program in stored.values():
        urls += [
            f"/programs/{program.id}",
            f"/programs/{program.id}/versions",
            f"/programs/{program.id}/visits",
            f"/programs/{program.id}/evaluations/new",
            f"/api/v1/programs/{program.id}",
        ]
    urls += [f"/api/v1/patients/{patient_id}/programs", "/admin/audit?date_from=0001-01-01&date_to=9999-12-31"]
    for url in urls:
        assert client.get(url).status_code == 200, url

    far, last = stored["far start"], stored["last day"]
    builder = client.get(f"/programs/{far.id}").get_data(as_text=True)
    assert "started 9999-12-01 · no re-evaluation date: check the start date" in builder
    assert client.get(f"/api/v1/programs/{far.id}").get_json()["next_reevaluation"] is None
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "9999-12-31" in dashboard and "0001-01-02" in dashboard  # later, and overdue
    visits = client.get(f"/programs/{stored['evaluated at the end'].id}/visits").get_data(as_text=True)
    assert "after 10 more visits" in visits  # the report counts visits from 9999-12-31 on
    assert visits.count("No date: check the start date") == 1  # the recertification 90 days on
    audit = client.get("/admin/audit?date_from=0001-01-01&date_to=9999-12-31").get_data(as_text=True)
    assert "Dr. José Núñez" in audit  # an open-ended filter lists everything

    handout = client.post(f"/programs/{far.id}/handout.pdf")
    assert handout.status_code == 200 and handout.mimetype == "application/pdf"
    assert "We will tell you at your next visit." in " ".join(pages_text(handout.data))
    assert "31 December 9999" in " ".join(pages_text(client.post(f"/programs/{last.id}/handout.pdf").data))


def test_the_calendar_feed_ends_an_event_on_the_last_day_without_overflowing(world, stored):
    html = world.client.post("/calendar/new").get_data(as_text=True)
    url = re.search(r'value="http://localhost(/calendar/[^"]+\.ics)"', html).group(1)
    response = world.client.get(url)
    assert response.status_code == 200
    feed = response.get_data(as_text=True).replace("\r\n ", "")
    # The feed covers weeks around today (calendar_feed.PAST_DAYS, AHEAD_DAYS): these dates are
    # listed on the dashboard, not in the calendar.
    assert "99991231" not in feed and "00010102" not in feed
    assert f"reevaluation-{stored['far start'].id}-" not in feed  # no date, no event
    # The event text itself, on the last day of the calendar and on its first days.
    board = dashboard.therapist_dashboard(world.db, world.therapist, world.today)
    text = calendar_feed.ical(board.overdue + board.later, world.now, "planner.example").replace("\r\n ", "")
    last = text[text.index(f"UID:reevaluation-{stored['last day'].id}-99991231") :].split("END:VEVENT")[0]
    assert "DTSTART;VALUE=DATE:99991231" in last and "DTEND" not in last  # one day long by RFC 5545
    first = text[text.index(f"UID:reevaluation-{stored['year one'].id}-00010102") :].split("END:VEVENT")[0]
    assert "DTEND;VALUE=DATE:00010103" in first


def test_the_patient_page_the_reminder_sync_and_the_dispatcher_run_past_such_rows(world, stored):
    db = world.db
    patient = db.get(Patient, stored["far start"].patient_id)
    link, token = patient_links.create_link(db, patient, "test", world.now)
    db.commit()
    assert world.app.test_client().get(f"/p/{token}").status_code == 200

    reminders.sync_patient(db, patient, world.now)
    db.commit()
    waiting = db.scalars(
        select(OutboxMessage).where(OutboxMessage.patient_id == patient.id, OutboxMessage.status == "pending")
    ).all()
    # The rows already waiting stay (they go out once); the last day gets its reminders; none is
    # made for 56 days after 9999-12-01, nor 7 days before 0001-01-02.
    last, first = stored["last day"].id, stored["year one"].id
    assert {(r.program_id, r.due_on, r.lead_days, r.recipient) for r in waiting} == {
        (first, date(1, 1, 2), 0, "patient"),
        *((last, date(9999, 12, 31), lead, who) for lead in (7, 1, 0) for who in ("therapist", "patient")),
    }

    result = world.app.test_cli_runner().invoke(args=["reminders", "dispatch"])
    assert result.exit_code == 0, result.output
    db.expire_all()
    sent = db.scalars(select(OutboxMessage).where(OutboxMessage.status == "sent")).all()
    assert {r.due_on for r in sent} >= {date(1, 1, 2), date(9999, 12, 31)}
    bodies = [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default).get_body(("plain",)).get_content()
        for p in (Path(world.app.instance_path) / "outbox").glob("*.eml")
    ]
    # The patient's reminders (written in the patient's language by CLDR: en_GB for English).
    assert any("on Friday, 31 December 9999." in b for b in bodies), bodies
    assert any("on Tuesday, 2 January 1." in b for b in bodies), bodies


def test_the_patient_form_asks_again_for_a_date_of_birth_saved_before_the_rule(world, stored):
    patient_id = stored["far start"].patient_id
    html = world.client.post(
        f"/patients/{patient_id}/edit", data={**PATIENT_FORM, "name": "Ντίνα Ολίβερ", "date_of_birth": "0001-01-01"}
    ).get_data(as_text=True)
    assert field_error(html, "date_of_birth") == world.messages["date_of_birth"]
    world.db.expire_all()
    assert world.db.get(Patient, patient_id).date_of_birth == date(1, 1, 1)  # nothing changed until corrected


def test_the_services_read_such_rows_on_sqlite_and_postgresql(service_db, now):
    """The same rows through the services alone, in a clinic whose year-1 midnight lies before UTC's."""
    db = service_db
    clinic = make_clinic(db, timezone="Asia/Tokyo")
    today = local_today(ZoneInfo(clinic.timezone), now)
    therapist = make_user(db, clinic, name="Dr. Ōta")
    patient = make_patient(db, clinic, "Ünal Çelik", primary_therapist_id=therapist.id)
    rows = {}
    for key, start, interval, on in [
        ("far start", date(9999, 12, 1), 56, None),
        ("year one", date(1, 1, 1), None, date(1, 1, 1)),
        ("last day", date(9999, 12, 31), 90, date(9999, 12, 31)),
    ]:
        program = programs.create_program(db, patient, programs.ProgramDetails(key, today), therapist.id, now)
        db.execute(
            update(Program)
            .where(Program.id == program.id)
            .values(start_date=start, reeval_interval_days=interval, reeval_date=on)
        )
        rows[key] = program.id
    reevaluation.store_due_dates(db, rows.values())  # as for the rows of the module's fixture
    db.commit()
    db.expire_all()
    loaded = {key: db.get(Program, program_id) for key, program_id in rows.items()}
    for program in loaded.values():
        reminders.sync_program(db, program, now)
    db.commit()
    assert [reevaluation.next_reevaluation(p) for p in loaded.values()] == [None, date(1, 1, 1), date(9999, 12, 31)]

    board = dashboard.therapist_dashboard(db, therapist, today)
    assert [d.program.title for d in board.overdue + board.later] == ["year one", "last day"]
    feed = calendar_feed.ical(board.overdue + board.later, now, "planner.example")
    assert "DTSTART;VALUE=DATE:00010101\r\nDTEND;VALUE=DATE:00010102" in feed

    rules = care.profiles({"plan_of_care": {"enabled": True, "profiles": {"p": {"recertification_days": 90}}}})
    assert care.status(db, loaded["last day"], rules, "p").recertification_due is None
    assert care.status(db, loaded["year one"], rules, "p").recertification_due == date(1, 4, 1)

    audit.record(db, therapist, "view", "patient", patient.id, patient_id=patient.id)
    db.commit()
    everything = audit.AuditFilter(date_from=date(1, 1, 1), date_to=date(9999, 12, 31))
    assert audit.entries(db, clinic.id, everything, clinic.timezone).total == 1

    # West of UTC, a late send hour on 9999-12-31 is past what UTC holds: that one reminder is left out.
    west = make_clinic(db, timezone="America/Los_Angeles")
    west_therapist = make_user(db, west)
    west_patient = make_patient(db, west, "Nguyễn Văn An", primary_therapist_id=west_therapist.id)
    program = programs.create_program(db, west_patient, programs.ProgramDetails("West", today), None, now)
    db.execute(update(Program).where(Program.id == program.id).values(reeval_date=date(9999, 12, 31)))
    db.commit()
    db.expire_all()
    reminders.sync_program(db, db.get(Program, program.id), now, reminders.Schedule((7, 1, 0), send_hour=16))
    db.commit()
    leads = db.scalars(select(OutboxMessage.lead_days).where(OutboxMessage.program_id == program.id)).all()
    assert sorted(leads) == [1, 7]
