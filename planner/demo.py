"""A demo clinic with a few patients and programs built from the templates, to try everything at once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.catalog.loader import LoadReport, load_directory
from planner.demo_between_visits import add_between_visits
from planner.dystonia.pattern import PatternEntry
from planner.models import Clinic, ProgramTemplate
from planner.passwords import PasswordCost
from planner.services import (
    DomainError,
    accounts,
    exercise_reminders,
    issuing,
    patients,
    program_templates,
    recorded_patterns,
)
from planner.services.calendar_window import Window
from planner.services.outbox import queue_handout_email
from planner.services.patients import PatientData
from planner.services.reminders import Schedule

DEMO_CLINIC = "Demo Physio Clinic"
# Who shows questionnaires, injections and the timeline (planner/demo_between_visits.py).
BETWEEN_VISITS = "Maria Lopez"

# Each patient's dystonia pattern, recorded before the program is built so the builder sets
# every direction from it: Maria's head turns to the left, so she turns to the right.
DEMO_PATTERNS = {
    # Her sensory trick, a light touch on the chin, is recorded: the template teaches a trick only
    # to a patient who has one.
    "Maria Lopez": PatternEntry({"rotation": "left"}, {"rotation": 2}, note="Worse when tired.", trick="chin"),
    "Jonas Berg": PatternEntry(areas=["eyes_face"]),
    "Aiko Tanaka": PatternEntry(areas=["hand_arm_right"]),
    "Dimitris Papadopoulos": PatternEntry(areas=["trunk", "legs"]),
}
PATIENTS = [
    (
        "Maria Lopez",
        date(1956, 3, 21),
        "es",
        True,
        "Head turns to the left, worse when tired.",
        ["cervical_dystonia"],
        "shipped-cervical-dystonia",
    ),
    (
        "Jonas Berg",
        date(1948, 11, 2),
        "en",
        True,
        "Eyes close on their own in bright light.",
        ["blepharospasm"],
        "shipped-blepharospasm-face",
    ),
    (
        "Aiko Tanaka",
        date(1979, 6, 14),
        "en",
        False,
        "Hand cramps after a few lines of writing.",
        ["writers_cramp"],
        "shipped-writers-cramp",
    ),
    (
        "Dimitris Papadopoulos",
        date(1990, 1, 30),
        "el",
        False,
        "Twisting of trunk and legs when walking.",
        ["generalized_dystonia"],
        "shipped-generalized-dystonia",
    ),
    (
        "Olga Ivanova",
        date(1962, 8, 8),
        "ru",
        False,
        "Office worker with neck and shoulder strain.",
        [],
        "shipped-general-posture",
    ),
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    clinic: str
    catalog: LoadReport | None = None  # what the demo loaded of the catalog itself; None: it was there
    templates: int = 0  # shipped program templates the demo loaded itself


def load_demo(
    session: Session,
    today: date,
    now: datetime,
    catalog_folder: Path,
    *,
    cost: PasswordCost = PasswordCost(),
    window: Window = Window(),
    schedule: Schedule = Schedule(),
    secret_key: str | None = None,
) -> DemoLogin:
    """Create the demo clinic, an administrator, patients and programs.

    With the app's secret_key, the between-visits patient also has her daily exercise emails on
    (consent recorded by the administrator, 07:30 clinic time); without it (a bench) they stay off.

    Right after `init-db` the database has no exercises and no templates: the demo loads the
    catalog from catalog_folder and the shipped templates itself (safe: the database holds no
    clinic, so no program or custom exercise can be touched).

    :raise DomainError: when the database already holds another clinic's data, or the demo exists;
        CatalogInvalid when the catalog folder has a problem.
    """
    others = session.scalar(select(func.count(Clinic.id)))
    if others:
        raise DomainError(
            "This database already holds clinic data. Load the demo into an empty database, "
            "for example with PLANNER_CONFIG pointing at a demo database."
        )
    catalog, shipped = None, 0
    if not session.scalar(select(func.count(ProgramTemplate.id))):
        catalog = load_directory(session, catalog_folder, now)
        shipped = program_templates.load_shipped(session)
    clinic = accounts.create_clinic(
        session,
        name=DEMO_CLINIC,
        address="12 Harbour Road, Springfield",
        phone="555-0142",
        email="front-desk@demo-physio.example",
        timezone="Europe/London",
    )
    password = secrets.token_urlsafe(12)
    admin = accounts.create_user(
        session,
        clinic,
        email="demo@demo-physio.example",
        name="Dr. Sam Rivera",
        password=password,
        role="admin",
        cost=cost,
    )
    accounts.create_user(
        session,
        clinic,
        email="therapist@demo-physio.example",
        name="Alex Kim",
        password=secrets.token_urlsafe(16),
        cost=cost,
    )
    templates = {t.slug: t for t in session.scalars(select(ProgramTemplate))}
    # Maria Lopez reads Spanish: her handout, phone page and emails show the patient's language
    # (English until Spanish is complete, planner/languages.py). Her address is a reserved
    # example domain: with the default file mailer the emails land in instance/outbox.
    emailed = {"Maria Lopez": "maria.lopez@example.org"}
    for n, (name, born, language, large, condition, tags, template_slug) in enumerate(PATIENTS):
        patient = patients.create_patient(
            session,
            clinic.id,
            PatientData(
                name=name,
                date_of_birth=born,
                language=language,
                large_print=large,
                email=emailed.get(name, ""),
                reminder_consent=name in emailed,
                condition=condition,
                condition_tags=tags,
                primary_therapist_id=admin.id,
            ),
            now,
        )
        # The between-visits patient began 14 weeks ago, before her first injection on the timeline.
        start = today - timedelta(weeks=14) if name == BETWEEN_VISITS else today - timedelta(days=7 * n)
        if name in DEMO_PATTERNS:
            recorded_patterns.record_pattern(session, patient, DEMO_PATTERNS[name], start, admin.id, now)
        template = templates.get(template_slug)
        if template is not None:
            report = program_templates.start_from_template(
                session, template, patient, admin.id, start, now, window=window, schedule=schedule
            )
            if name == BETWEEN_VISITS:
                add_between_visits(
                    session, patient, report.program, admin.id, today, now, window=window, schedule=schedule
                )
            if name in emailed:
                queue_handout_email(session, report.program, admin, now)
            if name == BETWEEN_VISITS and secret_key:
                exercise_reminders.turn_on(session, patient, time(7, 30), "therapist", now, secret_key, admin)
            elif n % 2 == 0:
                issuing.issue(session, report.program, admin.id, "print", now)
    session.commit()
    return DemoLogin(admin.email, password, clinic.name, catalog, shipped)
