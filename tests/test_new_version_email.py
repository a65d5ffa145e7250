"""The email of a new version says that it replaces the paper the patient has (trial 21 F5).

Versions 2 and 3 came with version 1's subject and words ("Your home exercise program is
attached…"): only the PDF differed. An older patient with two printed handouts may keep following
the old dosage and side. Now the subject says "new" and the first lines say the program changed,
which version is attached and that it replaces the one they have: through a real SMTP server, in
English and Spanish.
"""

from __future__ import annotations

import email
import email.policy
from datetime import timedelta

import pytest

from planner.mail import SMTPMailer
from planner.services import outbox, program_items, programs
from planner.services.emails import MailSettings, make_composer
from planner.services.outbox import DispatchSettings, dispatch_due
from tests.factories import make_clinic, make_patient, make_user, with_exercise
from tests.handout_world import pages_text
from tests.outbox_world import SMTPSink

MAIL = MailSettings("Clinic Planner <planner@clinic.example>", "planner.local-host", languages=("en", "es"))
SETTINGS = DispatchSettings(max_attempts=3, retry_base_seconds=60, retry_max_seconds=3600)

SAID = {
    "en": {
        "first": ("Your home exercise program from Clínica Norte", "Your home exercise program is attached"),
        "new": (
            "Your new home exercise program from Clínica Norte",
            [
                "Dear Ana,",
                "Your home exercise program has changed.",
                "The new version (version 2) is attached as a PDF you can print.",
                "It replaces the handout you have now. Please follow only the new one.",
            ],
        ),
        "version": "(version 2)",
    },
    "es": {
        "first": ("Su programa de ejercicios de Clínica Norte", "Le enviamos su programa de ejercicios en un PDF"),
        "new": (
            "Su nuevo programa de ejercicios de Clínica Norte",
            [
                "Hola, Ana:",
                "Su programa de ejercicios ha cambiado.",
                "Le enviamos la nueva versión (versión 2) en un PDF que puede imprimir.",
                "Sustituye a la hoja de ejercicios que tiene ahora. Siga solo la nueva.",
            ],
        ),
        "version": "(versión 2)",
    },
}


def _send(db, now) -> email.message.EmailMessage:  # noqa: ANN001
    """What the outbox's due handout email delivers to a real (strict) SMTP server, parsed."""
    with SMTPSink(strict=True) as sink:
        mailer = SMTPMailer("127.0.0.1", sink.port, security="none")
        assert dispatch_due(db, mailer, make_composer(MAIL), now, SETTINGS).sent == 1
        mailer.close()
    [message] = sink.messages
    return email.message_from_bytes(message.as_bytes(), policy=email.policy.default)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_email_of_a_new_version_says_it_replaces_the_one_the_patient_has(db, now, language):
    clinic = make_clinic(db, "Clínica Norte", timezone="UTC")
    therapist = make_user(db, clinic, email="pt@norte.example")
    patient = make_patient(
        db, clinic, "Ana Gil", email="ana@example.org", language=language, primary_therapist_id=therapist.id
    )
    patient.preferred_name = "Ana"
    program = programs.create_program(db, patient, programs.ProgramDetails("Cuello", now.date()), None, now)
    with_exercise(db, program, now)
    outbox.queue_handout_email(db, program, therapist, now)
    db.commit()
    said = SAID[language]

    first = _send(db, now)
    subject, words = said["first"]
    assert first["Subject"] == subject
    assert words in first.get_body(("plain",)).get_content()

    # The therapist changes the dosage and emails again: version 2.
    later = now + timedelta(hours=1)
    item = program.items[0]
    program_items.update_item(db, program, item.id, {"repetitions": 10}, item.side, "", None, later)
    outbox.queue_handout_email(db, program, therapist, later)
    db.commit()
    assert program.version == 2
    second = _send(db, later)
    subject, lines = said["new"]
    assert second["Subject"] == subject
    text = [line for line in second.get_body(("plain",)).get_content().splitlines() if line]
    assert text[: len(lines)] == lines
    html = second.get_body(("html",)).get_content()
    assert all(f"<p>{line}</p>" in html for line in lines[1:])
    [pdf] = list(second.iter_attachments())
    assert said["version"] in " ".join(pages_text(pdf.get_content())[0].split())
