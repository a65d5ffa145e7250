"""Daily exercise reminders: opt-in only, one email on each due day at the patient's local time
(across daylight-saving changes), in the patient's language, with a stop link and one-click
unsubscribe headers, never after the program is archived, the link stopped or the patient erased,
and exactly once whatever the number of dispatchers."""

from __future__ import annotations

import email
import email.policy
import threading
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from planner.db import make_engine
from planner.mail import SMTPMailer
from planner.models import ExerciseReminder, OutboxMessage
from planner.services import (
    DomainError,
    NotFound,
    erasure,
    exercise_reminder_days,
    exercise_reminders,
    patient_links,
    patients,
    program_items,
    programs,
)
from planner.services.catalog import get_exercise
from planner.services.coverage import due_days
from planner.services.emails import MailSettings, make_composer
from planner.services.exercise_days import due_on
from planner.services.outbox import DispatchSettings, dispatch_all, dispatcher_session
from tests.factories import give, make_clinic, make_patient, make_user, with_exercise
from tests.outbox_world import Kept, SMTPSink

SECRET = "test"  # the test app's secret key, so pages and emails agree on tokens
PUBLIC = "https://planner.example"
START = date(2026, 3, 2)  # a Monday
SETTINGS = DispatchSettings(batch_size=100, max_attempts=2, retry_base_seconds=60)


def composer(public_url: str = PUBLIC):  # noqa: ANN201
    return make_composer(MailSettings(public_url=public_url, secret_key=SECRET, languages=("en", "es")))


def run(db, now: datetime, mailer=None) -> Kept:  # noqa: ANN001
    """One dispatcher run at `now`: make the day's reminders whose time has come, send what is due."""
    mailer = mailer or Kept()
    exercise_reminder_days.create_due(db, now)
    dispatch_all(db, mailer, composer(), lambda: now, SETTINGS)
    return mailer


def rows(db) -> list[OutboxMessage]:  # noqa: ANN001
    db.expire_all()
    return list(db.scalars(select(OutboxMessage).where(OutboxMessage.kind == "exercise").order_by(OutboxMessage.id)))


def make_world(db, zone: str = "Europe/Berlin", language: str = "en", start: date = START):  # noqa: ANN001, ANN201
    """A patient with an email, a working link and a program: chin tucks daily, ankle pumps 3 days a week."""
    clinic = make_clinic(db, "Reminder Clinic", timezone=zone)
    therapist = make_user(db, clinic, email="ana@clinic.example", name="Ana Ruiz")
    patient = make_patient(
        db, clinic, "Inés Moreau", email="ines@example.org", language=language, primary_therapist_id=therapist.id
    )
    program = programs.create_program(db, patient, programs.ProgramDetails("Neck", start), therapist.id, _utc(start))
    program_items.add_item(db, program, get_exercise(db, clinic.id, "chin-tuck-sitting"), None, _utc(start))
    program_items.add_item(
        db,
        program,
        get_exercise(db, clinic.id, "ankle-pumps"),
        None,
        _utc(start),
        {"repetitions": 10, "days_per_week": 3},
    )
    give(db, program, _utc(start))  # only a program given is reminded of
    patient_links.create_link(db, patient, SECRET, _utc(start))
    db.commit()
    return clinic, therapist, patient, program


def _utc(day: date, hour: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def at(zone: str, day: date, hour: int, minute: int = 0, fold: int = 0) -> datetime:
    """A wall-clock time of the zone, as UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(zone), fold=fold).astimezone(UTC)


def turn_on(db, patient, send_time: time, now: datetime, therapist=None) -> ExerciseReminder:  # noqa: ANN001
    reminder = exercise_reminders.turn_on(
        db, patient, send_time, "therapist" if therapist else "patient", now, SECRET, therapist
    )
    db.commit()
    return reminder


# ---- opt-in ----------------------------------------------------------------------------


def test_nobody_is_reminded_until_the_therapist_or_the_patient_turns_it_on(catalog_db):
    db = catalog_db
    _, therapist, patient, _ = make_world(db)
    assert run(db, _utc(START, 12)).sent == [] and rows(db) == []

    reminder = turn_on(db, patient, time(7, 30), _utc(START, 0), therapist)
    assert (reminder.consent_by, reminder.consent_user_id, reminder.consent_at) == (
        "therapist",
        therapist.id,
        _utc(START, 0),
    )
    assert len(run(db, _utc(START, 12)).sent) == 1

    exercise_reminders.turn_off(db, patient, "patient", _utc(START, 13))
    db.commit()
    assert run(db, _utc(START + timedelta(days=1), 12)).sent == []
    assert (reminder.enabled, reminder.changed_by, reminder.changed_by_user_id) == (False, "patient", None)

    # The patient turns them on again from the phone page: their own consent, on record.
    turn_on(db, patient, time(7, 30), _utc(START + timedelta(days=1), 14))
    assert (reminder.consent_by, reminder.consent_user_id) == ("patient", None)
    assert len(run(db, _utc(START + timedelta(days=2), 12)).sent) == 1


def test_turning_on_after_todays_time_starts_tomorrow_not_at_once(catalog_db):
    db = catalog_db
    _, _, patient, _ = make_world(db, zone="UTC")
    turn_on(db, patient, time(7, 30), _utc(START, 9))
    assert run(db, _utc(START, 9)).sent == [] and run(db, _utc(START, 23)).sent == []
    assert len(run(db, _utc(START + timedelta(days=1), 8)).sent) == 1


def test_reminders_need_an_email_address_and_a_valid_time(catalog_db):
    db = catalog_db
    clinic = make_clinic(db)
    patient = make_patient(db, clinic, "Sin Correo")
    with pytest.raises(DomainError) as e:
        exercise_reminders.turn_on(db, patient, time(8), "patient", _utc(START), SECRET)
    assert e.value.field == "email"
    for typed in ["24:00", "7", "07:60", "٠٧:٣٠", "07:30:00", ""]:
        with pytest.raises(DomainError):
            exercise_reminders.parse_time(typed)
    assert exercise_reminders.parse_time(" 7:05 ") == time(7, 5)


# ---- the local time, across daylight-saving changes ----------------------------------------


@pytest.mark.parametrize(
    ("zone", "day", "send_time", "wall"),
    [
        # Europe: clocks go forward on 29 March 2026 and back on 25 October 2026.
        ("Europe/Berlin", date(2026, 3, 28), time(7, 30), (7, 30, 0)),
        ("Europe/Berlin", date(2026, 3, 29), time(7, 30), (7, 30, 0)),
        ("Europe/Berlin", date(2026, 10, 24), time(7, 30), (7, 30, 0)),
        ("Europe/Berlin", date(2026, 10, 25), time(7, 30), (7, 30, 0)),
        # 02:30 does not exist on 29 March in Berlin: it comes at 03:30, the hour after.
        ("Europe/Berlin", date(2026, 3, 29), time(2, 30), (3, 30, 0)),
        # 02:30 happens twice on 25 October: the email goes at the first.
        ("Europe/Berlin", date(2026, 10, 25), time(2, 30), (2, 30, 0)),
        # The United States change on other days (8 March, 1 November 2026).
        ("America/New_York", date(2026, 3, 8), time(2, 30), (3, 30, 0)),
        ("America/New_York", date(2026, 3, 8), time(7, 30), (7, 30, 0)),
        ("America/New_York", date(2026, 11, 1), time(1, 30), (1, 30, 0)),
        ("America/New_York", date(2026, 11, 1), time(7, 30), (7, 30, 0)),
    ],
)
def test_the_email_goes_at_the_chosen_wall_clock_time_once_a_day(catalog_db, zone, day, send_time, wall):
    db = catalog_db
    _, _, patient, _ = make_world(db, zone=zone)
    turn_on(db, patient, send_time, _utc(START))
    moment = at(zone, day, *wall)
    # Dispatchers ran all day long before; the day's email comes at its moment, not a minute before.
    assert run(db, moment - timedelta(minutes=1)).sent == []
    [sent] = run(db, moment).sent
    assert sent.date == moment and rows(db)[-1].send_at == moment
    # Later runs the same day (the second 02:30 of an autumn night too) send nothing more.
    for later in (timedelta(hours=1), timedelta(hours=2), timedelta(hours=12)):
        if (moment + later).astimezone(ZoneInfo(zone)).date() == day:
            assert run(db, moment + later).sent == []
    assert len([r for r in rows(db) if r.due_on == day]) == 1


# ---- which days, and what the email says -----------------------------------------------


@pytest.mark.parametrize(
    ("days_per_week", "pattern"),
    [(None, "xxxxxxxxxxxxxx"), (7, "xxxxxxxxxxxxxx"), (3, "x.x.x..x.x.x.."), (1, "x......x......")],
)
def test_days_a_week_fall_on_the_weekdays_the_tick_sheet_shows(days_per_week, pattern):
    """From a Monday: 3 days a week is Monday, Wednesday and Friday, as the tick sheet shades it."""
    dosage = {"repetitions": 5, "days_per_week": days_per_week} if days_per_week else {"repetitions": 5}
    assert due_on(dosage, START, START - timedelta(days=1)) is False
    assert "".join("x" if due_on(dosage, START, START + timedelta(days=n)) else "." for n in range(14)) == pattern
    days = due_days(days_per_week)
    assert all(due_on(dosage, START, START + timedelta(days=n)) == (n % 7 in days) for n in range(28))


def test_the_email_lists_todays_exercises_in_words_with_the_link_and_the_stop_link(catalog_db):
    db = catalog_db
    _, _, patient, program = make_world(db, zone="UTC")
    turn_on(db, patient, time(7, 30), _utc(START))
    link = patient_links.current_link(db, patient.id, _utc(START))
    token = exercise_reminders.stop_token(exercise_reminders.reminder_of(db, patient), SECRET)
    with SMTPSink(strict=True) as sink:
        mailer = SMTPMailer("127.0.0.1", sink.port, security="none")
        run(db, _utc(START, 8), mailer)  # day 1: both exercises
        run(db, _utc(START + timedelta(days=1), 8), mailer)  # day 2: ankle pumps rest
        mailer.close()
    first, second = (email.message_from_bytes(raw, policy=email.policy.default) for raw in sink.raw)
    stop = f"{PUBLIC}/p/stop/{token}"
    assert first["Subject"] == "Your exercises for today, Monday 2 March"
    assert first["List-Unsubscribe"] == f"<{stop}>"
    assert first["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = first.get_body(("plain",)).get_content()
    assert "Here are your exercises for today, Monday 2 March." in body
    assert "- Chin tuck sitting: " in body and "- Ankle pumps: Repeat 10 times. Do this 3 days a week." in body
    assert f"{PUBLIC}/p/{patient_links.link_token(link, SECRET)}" in body and stop in body
    html = first.get_body(("html",)).get_content()
    assert f'<a href="{stop}">' in html and '<li dir="auto">Chin tuck sitting: ' in html
    body = second.get_body(("plain",)).get_content()
    assert "Here is your exercise for today, Tuesday 3 March." in body and "Ankle pumps" not in body
    assert second["List-Unsubscribe"] == f"<{stop}>" and program.title not in second["Subject"]


def test_a_rest_day_gets_no_email(catalog_db):
    db = catalog_db
    _, _, patient, program = make_world(db, zone="UTC")
    program_items.remove_item(db, program, program.items[0].id, None, _utc(START))  # only the 3-days-a-week one stays
    give(db, program, _utc(START))
    turn_on(db, patient, time(7, 30), _utc(START))
    sent = [len(run(db, _utc(START + timedelta(days=n), 8)).sent) for n in range(7)]
    assert sent == [1, 0, 1, 0, 1, 0, 0]  # Monday, Wednesday and Friday, the tick sheet's days


def test_spanish_patients_read_a_spanish_email(catalog_db):
    db = catalog_db
    _, _, patient, _ = make_world(db, zone="Europe/Madrid", language="es")
    patient.preferred_name = "María José"  # trial 9: a given name of two words was cut to "María"
    turn_on(db, patient, time(7, 30), _utc(START))
    [sent] = run(db, at("Europe/Madrid", START, 7, 30)).sent
    assert sent.text.startswith("Hola, María José:")
    assert sent.subject == "Sus ejercicios de hoy, lunes, 2 de marzo"
    assert "Estos son sus ejercicios de hoy, lunes, 2 de marzo." in sent.text
    assert "- Meter la barbilla en una silla: Mantenga" in sent.text
    assert "- Bombeo de tobillos: Repítalo 10 veces. Hágalo 3 días a la semana." in sent.text
    assert "Para dejar de recibir estos correos, abra este enlace:" in sent.text
    assert "exercise" not in sent.text.lower() and 'lang="es"' in sent.html


def test_the_email_says_which_way_to_move_as_the_handout_does_or_to_wait(catalog_db):
    """A head turn given with the pattern's side: the handout's own sentence, never a side-less
    "away from the pull", never "your right side"; once a re-evaluation records no turn, "stop it"
    (the paper's side has no pull to go away from) until the therapist gives a new version."""
    from planner.dystonia.pattern import PatternEntry
    from planner.services import recorded_patterns

    db = catalog_db
    clinic, therapist, patient, program = make_world(db, zone="UTC", language="es")
    recorded_patterns.record_pattern(
        db, patient, PatternEntry({"rotation": "left"}, {"rotation": 2}), START, therapist.id, _utc(START)
    )
    program_items.add_item(db, program, get_exercise(db, clinic.id, "head-midline-away-from-pull"), None, _utc(START))
    give(db, program, _utc(START))
    turn_on(db, patient, time(7, 30), _utc(START))
    [told] = run(db, _utc(START, 8)).sent
    assert (
        "- Giro lento de la cabeza con pausa: Gire la cabeza a la derecha, en sentido contrario al tirón. " in told.text
    )
    assert "lado derecho" not in told.text
    recorded_patterns.record_pattern(
        db, patient, PatternEntry(note="No head turn today."), START, therapist.id, _utc(START, 9)
    )
    db.commit()
    [waiting] = run(db, _utc(START + timedelta(days=1), 8)).sent
    assert (
        "- Giro lento de la cabeza con pausa: Deje de hacer este ejercicio por ahora. "
        "Su terapeuta le dará una hoja nueva." in waiting.text
    )


def test_an_exercise_the_pattern_flags_waits_in_the_email_until_the_therapist_checks_it(catalog_db):
    """The email is a path to the patient too: a contraindicated exercise the therapist has not
    confirmed for this program reads "wait", as on the phone page."""
    from planner.dystonia.pattern import PatternEntry
    from planner.services import patterns, recorded_patterns

    db = catalog_db
    clinic, therapist, patient, program = make_world(db, zone="UTC", language="es")
    recorded_patterns.record_pattern(
        db, patient, PatternEntry(severities={"flexion": 2}), START, therapist.id, _utc(START)
    )
    program_items.add_item(db, program, get_exercise(db, clinic.id, "chin-nod-head-lift"), None, _utc(START))
    give(db, program, _utc(START))  # given without the check (as no print or email gives it)
    turn_on(db, patient, time(7, 30), _utc(START))
    [waiting] = run(db, _utc(START, 8)).sent
    wait = "Espere antes de empezar este ejercicio. Su terapeuta lo revisará primero."
    # The chin nod, and the chin tuck already there (its tuck works the muscles that pull forward);
    # the ankle pumps between them are told as usual.
    parts = waiting.text.split("- ")
    assert waiting.text.count(wait) == 2 and wait in parts[1] and wait not in parts[2] and wait in parts[3]
    patterns.confirm_checked(program, patterns.flagged_items(program))
    db.commit()
    [told] = run(db, _utc(START + timedelta(days=1), 8)).sent
    assert wait not in told.text


def test_a_day_whose_every_exercise_due_waits_gets_no_email(catalog_db):
    """Session 11: when every exercise due that day was held back (flagged, or moved by a
    re-evaluation) the email still said "Here is your exercise for today" above a "wait" line.
    A day with nothing to do sends nothing (the phone page says why); a day with one to do sends."""
    from planner.dystonia.pattern import PatternEntry
    from planner.services import recorded_patterns

    db = catalog_db
    clinic, therapist, patient, program = make_world(db, zone="UTC")
    recorded_patterns.record_pattern(
        db, patient, PatternEntry(severities={"flexion": 2}), START, therapist.id, _utc(START)
    )
    give(db, program, _utc(START))  # the chin tuck, flagged for the pull forward, not checked
    turn_on(db, patient, time(7, 30), _utc(START))
    [monday] = run(db, _utc(START, 8)).sent  # the ankle pumps are due too
    assert "Ankle" in monday.text
    tuesday = START + timedelta(days=1)  # the chin tuck alone is due, and waits
    assert run(db, _utc(tuesday, 8)).sent == []
    (row,) = [r for r in rows(db) if r.due_on == tuesday]
    assert (row.status, row.last_error) == (
        "cancelled",
        "Every exercise due that day waits for the therapist: nothing to do.",
    )


def test_a_draft_is_never_reminded_of(catalog_db):
    """A program the therapist is still making is not the patient's: no email lists it; once it
    is given, it is."""
    db = catalog_db
    clinic, _, given_patient, program = make_world(db, zone="UTC")
    patient = make_patient(db, clinic, "Ольга Петрова", email="olga@example.org")
    draft = programs.create_program(db, patient, programs.ProgramDetails("Neck", START), None, _utc(START))
    program_items.add_item(db, draft, program.items[0].exercise, None, _utc(START))
    patient_links.create_link(db, patient, SECRET, _utc(START))
    for who in (given_patient, patient):
        turn_on(db, who, time(7, 30), _utc(START))
    assert [m.to for m in run(db, _utc(START, 8)).sent] == [given_patient.email]
    give(db, draft, _utc(START, 9))
    sent = run(db, _utc(START + timedelta(days=1), 8)).sent
    assert sorted(m.to for m in sent) == sorted([given_patient.email, patient.email])


# ---- never after archive, revoke, erase ------------------------------------------------


@pytest.mark.parametrize(
    "change",
    ["archive the program", "archive the patient", "stop the link", "turn reminders off", "remove the email"],
)
def test_no_reminder_after_the_program_or_patient_or_link_or_consent_ends(catalog_db, change):
    db = catalog_db
    _, therapist, patient, program = make_world(db, zone="UTC")
    turn_on(db, patient, time(7, 30), _utc(START))
    # The day's row is made at 07:30, then the change comes before a dispatcher sends it.
    exercise_reminder_days.create_due(db, _utc(START, 8))
    when = _utc(START, 8)
    if change == "archive the program":
        programs.set_archived(db, program, True, when)
    elif change == "archive the patient":
        patients.archive_patient(db, patient, when)
    elif change == "stop the link":
        patient_links.revoke_link(db, patient, when)
    elif change == "turn reminders off":
        exercise_reminders.turn_off(db, patient, "therapist", when, therapist)
    else:
        patient.email = ""
    db.commit()
    assert run(db, _utc(START, 8)).sent == []
    assert [r.status for r in rows(db)] == ["cancelled"]
    assert run(db, _utc(START + timedelta(days=1), 8)).sent == []
    assert len(rows(db)) == 1


def test_no_reminder_after_the_patient_is_erased_and_the_stop_link_then_finds_nothing(catalog_db):
    db = catalog_db
    _, therapist, patient, _ = make_world(db, zone="UTC")
    reminder = turn_on(db, patient, time(7, 30), _utc(START))
    token = exercise_reminders.stop_token(reminder, SECRET)
    assert len(run(db, _utc(START, 8)).sent) == 1
    patients.archive_patient(db, patient, _utc(START, 9))
    erasure.erase_patient(db, patient, patient.name, therapist, _utc(START, 9))
    db.commit()
    assert run(db, _utc(START + timedelta(days=1), 8)).sent == [] and rows(db) == []
    assert db.scalar(select(func.count()).select_from(ExerciseReminder)) == 0
    with pytest.raises(NotFound):
        exercise_reminders.stop(db, token, _utc(START, 10))


def test_the_stop_link_turns_reminders_off_and_a_second_use_changes_nothing(catalog_db):
    db = catalog_db
    _, _, patient, _ = make_world(db, zone="UTC")
    reminder = turn_on(db, patient, time(7, 30), _utc(START))
    token = exercise_reminders.stop_token(reminder, SECRET)
    for when in (_utc(START, 9), _utc(START, 10)):
        assert exercise_reminders.stop(db, token, when) is reminder
        db.commit()
    assert (reminder.enabled, reminder.changed_by, reminder.changed_at) == (False, "stop_link", _utc(START, 9))
    for wrong in ["", token[:-1], "x" * 101, token.upper()]:
        with pytest.raises(NotFound):
            exercise_reminders.stop(db, wrong, _utc(START, 11))


# ---- exactly once ------------------------------------------------------------------------


def test_four_dispatchers_make_and_send_each_patients_reminder_once(catalog_file, tmp_path):
    """Four threads, each with its own connection to one SQLite file, all at the same moment."""
    path = tmp_path / "planner.sqlite3"
    path.write_bytes(catalog_file.read_bytes())
    engine = make_engine(f"sqlite:///{path}")
    db = sessionmaker(bind=engine, expire_on_commit=False)()
    clinic, _, first, program = make_world(db, zone="UTC")
    patients_ = [first]
    for n in range(59):
        patient = make_patient(db, clinic, f"Patient {n}", email=f"p{n}@example.org")
        copy = programs.create_program(db, patient, programs.ProgramDetails("Neck", START), None, _utc(START))
        program_items.add_item(db, copy, program.items[0].exercise, None, _utc(START))
        give(db, copy, _utc(START))
        patient_links.create_link(db, patient, SECRET, _utc(START))
        patients_.append(patient)
    for patient in patients_:
        exercise_reminders.turn_on(db, patient, time(7, 30), "patient", _utc(START), SECRET)
    db.commit()
    now = _utc(START, 8)
    errors: list[BaseException] = []

    def dispatcher(sink_port: int) -> None:
        try:
            mailer = SMTPMailer("127.0.0.1", sink_port, security="none")
            with dispatcher_session(engine) as session:
                exercise_reminder_days.create_due(session, now)
                dispatch_all(session, mailer, composer(), lambda: now, SETTINGS)
            mailer.close()
        except BaseException as e:  # noqa: BLE001  (reported below)
            errors.append(e)

    with SMTPSink() as sink:
        threads = [threading.Thread(target=dispatcher, args=(sink.port,)) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert len(sink.messages) == 60 and sink.duplicates() == {}
    assert sorted(m["To"].split("<")[-1].rstrip(">") for m in sink.messages) == sorted(p.email for p in patients_)
    assert len(rows(db)) == 60 and {r.status for r in rows(db)} == {"sent"}
    db.close()
    engine.dispose()


def test_a_day_made_again_by_a_dispatcher_that_read_too_early_adds_no_row(service_db):
    """On SQLite and PostgreSQL: the unique key holds when a second dispatcher read the reminder
    before the first one marked its day decided."""
    db = service_db
    clinic = make_clinic(db, timezone="UTC")
    patient = make_patient(db, clinic, "Ελένη Παπαδοπούλου", email="eleni@example.org")
    program = programs.create_program(db, patient, programs.ProgramDetails("Neck", START), None, _utc(START))
    give(db, with_exercise(db, program, _utc(START)), _utc(START))
    patient_links.create_link(db, patient, SECRET, _utc(START))
    reminder = turn_on(db, patient, time(7, 30), _utc(START))
    assert exercise_reminder_days.create_due(db, _utc(START, 8)) == 1
    reminder.handled_on = None  # as the second dispatcher saw it
    db.commit()
    assert exercise_reminder_days.create_due(db, _utc(START, 8)) == 0
    assert [r.unique_key for r in rows(db)] == [f"exercise:{patient.id}:{program.id}:{START.isoformat()}"]
