"""Erasing a patient (the right to erasure), and the archived records listed for review.

An administrator types the patient's full name; then every row about the patient goes, the
audit log keeps its entries without the patient, and records who erased a patient and when.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from planner.mail import Email, FileMailer
from planner.models import AuditEntry, Base, OutboxMessage, Patient, Program
from planner.services import DomainError, erasure, evaluations, programs
from planner.services.emails import MESSAGE_ID_KIND, outbox_message_id
from planner.services.evaluations import EvaluationData
from tests.conftest import csrf_token, login
from tests.factories import make_patient
from tests.patient_world import NOW, all_text, give_everything, make_clinic_world, rows_about, sign_in


@pytest.mark.parametrize(
    "name, typed, matches",
    [
        ("José Núñez", "José Núñez", True),
        ("José Núñez", unicodedata.normalize("NFD", "José Núñez"), True),  # é typed as e + accent
        ("José Núñez", "  José   Núñez ", True),
        ("José Núñez", "Jose Nunez", False),
        ("José Núñez", "José", False),
        ("Ελένη Παπαδάκη", "Ελένη Παπαδάκη", True),
        ("Ελένη Παπαδάκη", "ελένη παπαδάκη", False),  # case counts: the name exactly as shown
        ("Анна Кузнецова", "Анна Кузнецова", True),
        ("Анна Кузнецова", "Анна Кузнецов", False),
        ("王秀英", "王秀英", True),
        ("王秀英", "王秀", False),
        ("דוד לוי", "דוד לוי", True),
        ("محمد علي", "محمد", False),
        ("Ana Li", "Ana Lima", False),
        ("Ana Li", "", False),
    ],
)
def test_the_typed_name_must_be_the_patients_full_name(name, typed, matches):
    assert erasure.name_matches(Patient(name=name), typed) is matches


def references_to_patients(db, patient_id: int) -> list[str]:  # noqa: ANN001
    """Every column, in any table, whose foreign key points at patients and holds this id."""
    found = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == "patients":
                count = db.scalar(select(func.count()).select_from(table).where(fk.parent == patient_id))
                if count:
                    found.append(f"{table.name}.{fk.parent.name}")
    return found


def test_erasure_leaves_no_row_about_the_patient_and_no_trace_of_their_name(service_db):
    db = service_db
    clinic = make_clinic_world(db)
    eleni = give_everything(db, clinic, "Ελένη Παπαδάκη", "eleni@example.org")
    jose = give_everything(db, clinic, "José Núñez", "jose@example.org")
    eleni_id = eleni.patient.id
    before, jose_before = rows_about(db, eleni_id), rows_about(db, jose.patient.id)
    entries_before = db.scalar(select(func.count()).select_from(AuditEntry))

    with pytest.raises(DomainError) as refused:
        erasure.erase_patient(db, eleni.patient, "Ελένη", clinic.admin, NOW)
    assert refused.value.field == "name" and "Nothing was erased" in refused.value.message
    db.rollback()
    assert rows_about(db, eleni_id) == before

    outbox_ids = {row["id"]: row["kind"] for row in before["outbox"]}
    erased = erasure.erase_patient(db, eleni.patient, "Ελένη  Παπαδάκη", clinic.admin, NOW, "203.0.113.9")
    db.commit()
    db.expire_all()

    assert references_to_patients(db, eleni_id) == []
    for table, rows in before.items():
        if table == "audit_entries":
            continue
        model = Base.metadata.tables[table]
        keys = [row["id"] for row in rows]
        assert db.scalar(select(func.count()).select_from(model).where(model.c.id.in_(keys))) == 0, table
    assert erased.deleted["patients"] == 1 and erased.deleted["outbox"] == len(outbox_ids)
    assert erased.email_ids == {f"{MESSAGE_ID_KIND[kind]}-{i}" for i, kind in outbox_ids.items()}

    # The audit log keeps what was done and by whom, not to whom.
    for row in before["audit_entries"]:
        kept = db.get(AuditEntry, row["id"])
        assert (kept.action, kept.user_id, kept.at) == (row["action"], row["user_id"], row["at"])
        assert (kept.patient_id, kept.subject_id, kept.detail) == (None, None, "")
    erase = db.scalars(select(AuditEntry).where(AuditEntry.action == "erase")).one()
    assert (erase.user_id, erase.patient_id, erase.address) == (clinic.admin.id, None, "203.0.113.9")
    assert erase.detail.startswith("rows deleted: ") and "patients 1" in erase.detail
    assert db.scalar(select(func.count()).select_from(AuditEntry)) == entries_before + 1

    # No text anywhere names the patient: not a searched name in the log, not an email address.
    for table, key, text in all_text(db):
        assert "ελένη παπαδάκη" not in text.casefold() and "eleni@example.org" not in text.casefold(), (table, key)
    assert rows_about(db, jose.patient.id) == jose_before  # the other patient keeps every row


@pytest.mark.parametrize(
    "moment, years, expected",
    [
        (datetime(2026, 3, 2, 10, tzinfo=UTC), 7, datetime(2019, 3, 2, 10, tzinfo=UTC)),
        (datetime(2028, 2, 29, 10, tzinfo=UTC), 7, datetime(2021, 2, 28, 10, tzinfo=UTC)),
        (datetime(2028, 2, 29, 10, tzinfo=UTC), 4, datetime(2024, 2, 29, 10, tzinfo=UTC)),
    ],
)
def test_years_before(moment, years, expected):
    assert erasure.years_before(moment, years) == expected


def set_times(db, model, row_id: int, **moments: datetime) -> None:  # noqa: ANN001
    """Move a row's times into the past (updated_at would otherwise take today's clock)."""
    db.execute(update(model).where(model.id == row_id).values(**moments))
    db.commit()


def test_archived_patients_quiet_for_years_are_listed_for_review(service_db):
    db = service_db
    clinic = make_clinic_world(db)
    elsewhere = make_clinic_world(db, "Other Clinic")
    long_ago, two_years_ago, last_year = (
        NOW - timedelta(days=9 * 365),
        NOW - timedelta(days=730),
        NOW - timedelta(days=365),
    )
    quiet = make_patient(db, clinic.clinic, "Quiet Archived")
    set_times(db, Patient, quiet.id, archived_at=long_ago, updated_at=long_ago - timedelta(days=1))
    seen = make_patient(db, clinic.clinic, "Evaluated Two Years Ago")
    program = programs.create_program(db, seen, programs.ProgramDetails("Old plan", long_ago.date()), None, long_ago)
    evaluations.record_evaluation(db, program, EvaluationData(two_years_ago.date()), None, two_years_ago)
    db.commit()
    set_times(db, Program, program.id, updated_at=long_ago)
    set_times(db, Patient, seen.id, archived_at=long_ago, updated_at=long_ago)
    recent = make_patient(db, clinic.clinic, "Archived Last Year")
    set_times(db, Patient, recent.id, archived_at=last_year, updated_at=last_year)
    active = make_patient(db, clinic.clinic, "Still Active")
    set_times(db, Patient, active.id, updated_at=long_ago)
    other = make_patient(db, elsewhere.clinic, "Other Clinic Quiet")
    set_times(db, Patient, other.id, archived_at=long_ago, updated_at=long_ago)

    listed = erasure.archived_for_review(db, clinic.clinic.id, 7, NOW)
    assert [(r.patient.name, r.last_activity) for r in listed] == [("Quiet Archived", long_ago)]
    assert [r.patient.name for r in erasure.archived_for_review(db, clinic.clinic.id, 1, NOW)] == [
        "Quiet Archived",
        "Evaluated Two Years Ago",
    ]


# ---- the pages ---------------------------------------------------------------------------------


def write_email_copy(folder: Path, row: OutboxMessage) -> None:
    """The .eml file the file mail backend writes when it sends the row."""
    FileMailer(folder).send(
        Email(
            to="someone@example.org",
            subject="Your exercises",
            text="See the attachment.",
            html="<p>See the attachment.</p>",
            message_id=outbox_message_id(row, "planner.test"),
            date=NOW,
            sender="planner@example.org",
        )
    )


def test_only_an_administrator_erases_and_only_with_the_full_name(csrf_app):
    db = csrf_app.extensions["db_sessionmaker"]()
    clinic = make_clinic_world(db)
    eleni = give_everything(db, clinic, "Ελένη Παπαδάκη", "eleni@example.org")
    jose = give_everything(db, clinic, "José Núñez", "jose@example.org")
    folder = Path(csrf_app.instance_path) / "outbox"
    emails = [
        db.scalars(select(OutboxMessage).where(OutboxMessage.patient_id == p.id, OutboxMessage.kind == "handout")).one()
        for p in (eleni.patient, jose.patient)
    ]
    for row in emails:
        write_email_copy(folder, row)
    eleni_id = eleni.patient.id
    page = f"/patients/{eleni_id}/erase"
    client = csrf_app.test_client()

    sign_in(client, clinic.therapist.email)
    assert client.get(page).status_code == 403
    assert (
        client.post(page, data={"name": "Ελένη Παπαδάκη", "csrf_token": csrf_token(client, "/patients")}).status_code
        == 403
    )
    assert client.get("/admin/archived").status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, "/patients")})

    sign_in(client, clinic.admin.email)
    assert f'href="/patients/{eleni_id}/erase"' in client.get(f"/patients/{eleni_id}").get_data(as_text=True)
    html = client.get(page).get_data(as_text=True)
    assert "Erase Ελένη Παπαδάκη?" in html and "Type the patient&#39;s full name" in html
    assert client.post(page, data={"name": "Ελένη Παπαδάκη"}).status_code == 400  # no CSRF token
    wrong = client.post(page, data={"name": "Ελένη", "csrf_token": csrf_token(client, page)})
    assert wrong.status_code == 200
    assert (
        'id="name-error">The name you typed is not this patient&#39;s full name. Nothing was erased.'
        in wrong.get_data(as_text=True)
    )
    db.expire_all()
    assert db.get(Patient, eleni_id) is not None and len(list(folder.glob("*.eml"))) == 2

    done = client.post(page, data={"name": "Ελένη Παπαδάκη", "csrf_token": csrf_token(client, page)})
    assert done.status_code == 302 and done.location == "/patients"
    listing = client.get("/patients").get_data(as_text=True)
    assert "The patient&#39;s record is erased." in listing and "Ελένη" not in listing
    db.expire_all()
    assert db.get(Patient, eleni_id) is None
    assert client.get(f"/patients/{eleni_id}").status_code == 404
    left = [f.read_bytes() for f in folder.glob("*.eml")]  # the copy of Eleni's email is gone, José's stays
    assert len(left) == 1 and f"Message-ID: <handout-{emails[1].id}@".encode() in left[0]
    assert db.get(OutboxMessage, emails[1].id) is not None
    db.close()


def test_the_review_page_lists_old_archived_records(client, db):
    clinic = make_clinic_world(db)
    old = NOW.replace(year=2010)
    quiet = make_patient(db, clinic.clinic, "Ζωή Quiet")
    set_times(db, Patient, quiet.id, archived_at=old, updated_at=old)
    make_patient(db, clinic.clinic, "Not Archived")
    login(client, clinic.admin.email)
    html = client.get("/admin/archived").get_data(as_text=True)
    assert "Archived records to review" in html and "no activity for 7 years" in html
    assert "Ζωή Quiet" in html and "Not Archived" not in html
    assert f'href="/patients/{quiet.id}/erase"' in html
    assert db.scalars(select(AuditEntry).where(AuditEntry.subject_type == "archived_review")).one().detail == "1 due"
