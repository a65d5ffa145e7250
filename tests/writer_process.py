"""A process that keeps writing while a backup is taken: `python -m tests.writer_process URL SECONDS`.

Each transaction adds a patient and the audit entry of its creation, so a consistent copy holds
both or neither. It stops by itself after SECONDS (or when terminated).
"""

from __future__ import annotations

import sys
import time

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from planner.db import make_engine
from planner.models import AuditEntry, Clinic, User
from planner.services import patients
from planner.services.patients import PatientData

NAME = "Writer {} Ζωή Иванова 王"


def main(url: str, seconds: float) -> None:
    engine = make_engine(url)
    session_for = sessionmaker(bind=engine)
    with session_for() as session:
        clinic_id = session.scalar(select(func.min(Clinic.id)))
        user_id = session.scalar(select(func.min(User.id)).where(User.clinic_id == clinic_id))
    deadline = time.monotonic() + seconds
    number = 0
    while time.monotonic() < deadline:
        with session_for() as session:
            patient = patients.create_patient(session, clinic_id, PatientData(name=NAME.format(number)))
            session.add(
                AuditEntry(
                    clinic_id=clinic_id,
                    user_id=user_id,
                    action="patient.create",
                    subject_type="patient",
                    subject_id=patient.id,
                    patient_id=patient.id,
                    detail=f"writer {number}",
                )
            )
            session.commit()
        number += 1
        time.sleep(0.002)
    engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]))
