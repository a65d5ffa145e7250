"""Reminders follow the next re-evaluation date: lead times at a local hour, recipients, cancellation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from planner.models import OutboxMessage
from planner.services import evaluations, programs, reevaluation
from planner.services.emails import MailSettings, make_composer
from planner.services.evaluations import EvaluationData
from planner.services.outbox import DispatchSettings, dispatch_due
from planner.services.reminders import Schedule, sync_program
from tests.factories import make_clinic, make_patient, make_user
from tests.outbox_world import Kept, RecordingMailer
from tests.reminder_factories import make_program, pending

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def world(db):
    clinic = make_clinic(db, "Reminder Clinic", timezone="Europe/Berlin")
    therapist = make_user(db, clinic, email="t@rem.org", name="Dr. Ruiz")
    patient = make_patient(db, clinic, "Ines Moreau", primary_therapist_id=therapist.id)
    return clinic, therapist, patient


def test_lead_times_go_out_at_the_local_hour_across_a_clock_change(db, world):
    _clinic, therapist, patient = world
    # Berlin moves to summer time on 2026-03-29: 08:00 is 07:00 UTC before, 06:00 UTC from that day.
    program = make_program(db, patient, therapist.id, NOW, start=date(2026, 3, 1), on=date(2026, 3, 30))
    assert pending(db, program) == [
        (date(2026, 3, 30), 7, "therapist", utc(2026, 3, 23, 7)),
        (date(2026, 3, 30), 1, "therapist", utc(2026, 3, 29, 6)),
        (date(2026, 3, 30), 0, "therapist", utc(2026, 3, 30, 6)),
    ]
    program = make_program(db, patient, therapist.id, NOW, start=date(2026, 3, 1), on=date(2026, 3, 16))
    assert [r[3] for r in pending(db, program)] == [utc(2026, 3, 9, 7), utc(2026, 3, 15, 7), utc(2026, 3, 16, 7)]


def test_configured_lead_days_and_hour(db, world):
    _clinic, therapist, patient = world
    program = make_program(db, patient, therapist.id, NOW, start=date(2026, 3, 1), on=date(2026, 3, 20))
    sync_program(db, program, NOW, Schedule(lead_days=(3,), send_hour=17))
    assert pending(db, program) == [(date(2026, 3, 20), 3, "therapist", utc(2026, 3, 17, 16))]


def test_times_already_past_are_not_added(db, world):
    _clinic, therapist, patient = world
    program = make_program(db, patient, therapist.id, NOW, start=date(2026, 2, 1), on=date(2026, 3, 3))
    assert [r[1] for r in pending(db, program)] == [1, 0]


@pytest.mark.parametrize(
    "email, consent, recipients",
    [
        ("", False, ["therapist"]),
        ("ines@example.org", False, ["therapist"]),
        ("", True, ["therapist"]),
        ("ines@example.org", True, ["patient", "therapist"]),
    ],
)
def test_the_patient_is_reminded_only_with_an_email_and_consent(db, world, email, consent, recipients):
    _clinic, therapist, patient = world
    patient.email, patient.reminder_consent = email, consent
    db.commit()
    program = make_program(db, patient, therapist.id, NOW, start=date(2026, 3, 1), on=date(2026, 3, 20))
    assert sorted({r[2] for r in pending(db, program)}) == recipients


def test_new_date_cancels_the_old_reminders_and_schedules_new_ones(db, world):
    _clinic, therapist, patient = world
    program = make_program(db, patient, therapist.id, NOW, start=date(2026, 3, 1), on=date(2026, 3, 20))
    details = programs.ProgramDetails("Neck program", date(2026, 3, 1), reeval_date=date(2026, 4, 10))
    programs.update_details(db, program, details, None, NOW + timedelta(days=1))
    db.commit()
    assert {r[0] for r in pending(db, program)} == {date(2026, 4, 10)}
    cancelled = db.scalars(select(OutboxMessage).where(OutboxMessage.status == "cancelled")).all()
    assert {c.due_on for c in cancelled} == {date(2026, 3, 20)} and len(cancelled) == 3


def test_archiving_cancels_and_restoring_reschedules(db, world):
    _clinic, therapist, patient = world
    program = make_program(db, patient, therapist.id, NOW, start=date(2026, 3, 1), on=date(2026, 3, 20))
    programs.set_archived(db, program, True, NOW)
    db.commit()
    assert pending(db, program) == []
    programs.set_archived(db, program, False, NOW + timedelta(days=13))  # 14 March: the 7-day one is past
    db.commit()
    assert [r[1] for r in pending(db, program)] == [1, 0]


def test_recording_the_reevaluation_moves_the_date_and_cancels_pending_reminders(db, world):
    _clinic, therapist, patient = world
    program = make_program(db, patient, therapist.id, NOW, start=date(2026, 2, 1), interval=42)
    assert reevaluation.next_reevaluation(program) == date(2026, 3, 15)
    evaluations.record_evaluation(db, program, EvaluationData(date(2026, 3, 12)), therapist.id, utc(2026, 3, 12, 15))
    db.commit()
    assert reevaluation.next_reevaluation(program) == date(2026, 4, 23)  # 42 days from the evaluation
    assert {r[0] for r in pending(db, program)} == {date(2026, 4, 23)}
    old = db.scalars(select(OutboxMessage).where(OutboxMessage.due_on == date(2026, 3, 15))).all()
    assert {o.status for o in old} == {"cancelled"}


def test_an_overdue_pending_reminder_survives_resync_and_goes_out_once(db, world):
    _clinic, therapist, patient = world
    program = make_program(db, patient, therapist.id, NOW, start=date(2026, 3, 1), on=date(2026, 3, 20))
    after_downtime = utc(2026, 3, 19, 12)  # the 7-day and 1-day reminders came due while nothing ran
    sync_program(db, program, after_downtime)
    db.commit()
    assert len(pending(db, program)) == 3
    mailer = RecordingMailer()
    compose = make_composer(MailSettings(domain="planner.test"))
    assert dispatch_due(db, mailer, compose, after_downtime, DispatchSettings()).sent == 2
    sync_program(db, program, after_downtime)  # sent ones are not recreated
    db.commit()
    assert dispatch_due(db, mailer, compose, after_downtime + timedelta(hours=1), DispatchSettings()).sent == 0
    assert len(set(mailer.sent)) == 2


def test_a_reminder_no_longer_wanted_at_send_time_is_cancelled_not_sent(db, world):
    _clinic, therapist, patient = world
    patient.email, patient.reminder_consent = "ines@example.org", True
    db.commit()
    make_program(db, patient, therapist.id, NOW, start=date(2026, 3, 1), on=date(2026, 3, 20))
    patient.reminder_consent = False  # withdrawn, and nothing re-synced yet
    db.commit()
    kept = Kept()
    report = dispatch_due(
        db, kept, make_composer(MailSettings(domain="planner.test")), utc(2026, 3, 13, 7), DispatchSettings()
    )
    assert (report.sent, report.cancelled) == (1, 1)
    assert [e.to for e in kept.sent] == ["t@rem.org"]


def test_patient_email_says_only_that_it_is_due_and_to_call(db, world):
    clinic, therapist, patient = world
    patient.email, patient.reminder_consent, patient.notes = "ines@example.org", True, "private note"
    db.commit()
    make_program(
        db, patient, therapist.id, NOW, start=date(2026, 3, 1), on=date(2026, 3, 20), title="Secret diagnosis plan"
    )
    kept = Kept()
    dispatch_due(db, kept, make_composer(MailSettings(domain="planner.test")), utc(2026, 3, 13, 7), DispatchSettings())
    [to_patient] = [e for e in kept.sent if e.to == "ines@example.org"]
    assert to_patient.subject == f"Your re-evaluation at {clinic.name} is due in 7 days"
    assert "call us on 555-0100" in to_patient.text and "Friday, 20 March 2026" in to_patient.text
    assert "Secret diagnosis" not in to_patient.text + to_patient.html and "private" not in to_patient.text
    assert to_patient.message_id.startswith("<reminder-") and "<p>Dear Ines Moreau,</p>" in to_patient.html


# A date set after the day's send hour (08:00 in the clinic), in clinics where the clinic's day
# differs from UTC's: Los Angeles is still on the 1st when UTC is on the 2nd, Auckland already on it.
LATE_IN_THE_DAY = [
    ("Europe/Berlin", utc(2026, 3, 1, 12)),  # 13:00 in Berlin, 1 March
    ("America/Los_Angeles", utc(2026, 3, 2, 3)),  # 19:00 on 1 March in Los Angeles
    ("Pacific/Auckland", utc(2026, 2, 28, 22)),  # 11:00 on 1 March in Auckland
]


def program_set_at(db, world, zone: str, now: datetime, on: date):  # noqa: ANN001, ANN201
    clinic, therapist, patient = world
    clinic.timezone = zone
    patient.email, patient.reminder_consent = "ines@example.org", True
    db.commit()
    return make_program(db, patient, therapist.id, now, start=date(2026, 2, 1), on=on)


@pytest.mark.parametrize("zone, now", LATE_IN_THE_DAY)
def test_a_date_set_to_today_after_the_send_hour_is_reminded_at_once(db, world, zone, now):
    program = program_set_at(db, world, zone, now, on=date(2026, 3, 1))  # the clinic's today
    assert pending(db, program) == [
        (date(2026, 3, 1), 0, "patient", now),
        (date(2026, 3, 1), 0, "therapist", now),
    ]
    kept = Kept()
    compose = make_composer(MailSettings(domain="planner.test"))
    assert dispatch_due(db, kept, compose, now, DispatchSettings()).sent == 2
    assert {e.subject for e in kept.sent} >= {"Your re-evaluation at Reminder Clinic is due today"}
    sync_program(db, program, now + timedelta(hours=2))  # saved again later that day: not sent twice
    db.commit()
    assert pending(db, program) == []


@pytest.mark.parametrize("zone, now", LATE_IN_THE_DAY)
@pytest.mark.parametrize(
    "days_ahead, at_once, later",
    [
        (7, [7], [1, 0]),  # "due in 7 days": still true today, and the patient's week of notice
        (1, [1], [0]),  # "due tomorrow"
        (3, [], [1, 0]),  # the 7-day reminder's day was 4 days ago: its words would be wrong
    ],
)
def test_a_reminder_whose_hour_passed_earlier_today_goes_out_at_once(db, world, zone, now, days_ahead, at_once, later):
    program = program_set_at(db, world, zone, now, on=date(2026, 3, 1) + timedelta(days=days_ahead))
    rows = [r for r in pending(db, program) if r[2] == "therapist"]
    assert [lead for _due, lead, _who, send_at in rows if send_at == now] == at_once
    assert [lead for _due, lead, _who, send_at in rows if send_at > now] == later


def test_before_the_send_hour_todays_reminder_waits_for_the_hour(db, world):
    early = utc(2026, 3, 1, 6)  # 07:00 in Berlin
    program = program_set_at(db, world, "Europe/Berlin", early, on=date(2026, 3, 1))
    assert {r[3] for r in pending(db, program)} == {utc(2026, 3, 1, 7)}  # 08:00 in Berlin


def test_a_date_already_past_gets_no_reminder(db, world):
    program = program_set_at(db, world, "Europe/Berlin", NOW, on=date(2026, 2, 28))  # yesterday: overdue
    assert pending(db, program) == []
