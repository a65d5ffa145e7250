"""`flask --app planner patients export ID -o FILE.zip`: one patient's data, whole, for the patient or the next provider."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from planner.db import get_session

# An AppGroup, so each command runs inside the app context (database, config).
patients = AppGroup("patients", help="A patient's data: export it whole.")


@patients.command("export")
@click.argument("patient_id", type=int)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="The ZIP file to write; - writes to standard output.",
)
def export(patient_id: int, output: str) -> None:
    """Write a ZIP of everything about the patient: patient.json, fhir-bundle.json and the current handout."""
    from planner.handouts.export import write_atomically
    from planner.models import Patient
    from planner.services import audit
    from planner.services.patient_export import export_zip

    db = get_session()
    # The server's operator works across clinics, as `flask shell` would: no clinic scope here.
    patient = db.get(Patient, patient_id)
    if patient is None:
        raise click.ClickException(f"There is no patient with the id {patient_id}.")
    settings = current_app.extensions["settings"]
    data = export_zip(db, patient, datetime.now(UTC), settings.handouts, settings.public_url)
    if output == "-":
        sys.stdout.buffer.write(data)
    else:
        write_atomically(Path(output), data)
    audit.record_command(db, patient.clinic_id, "export", "patient", patient.id, patient_id=patient.id)
    db.commit()
    if output != "-":
        click.echo(f"Wrote the data of patient {patient.id} to {output} ({len(data) // 1024 + 1} KB).")
