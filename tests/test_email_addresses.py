"""Every place an email address is typed follows one rule: what mail can be sent to.

A domain in any script is accepted and goes out in its ASCII form. Letters outside ASCII before
the @ are refused at the field, saying why: many mail servers cannot deliver to them (browsers'
email fields refuse them too). Accounts sign in with either form of their domain.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import create_engine, select, text

from planner.bidi import isolate
from planner.migrate import upgrade
from planner.models import Clinic, Patient, User
from planner.models.base import Base
from tests.conftest import build_app, login
from tests.factories import PASSWORD, make_clinic, make_user

# (address, the character the reason names)
REFUSED = [
    ("josé@café.example", "é"),
    ("jürgen@example.de", "ü"),
    ("γιώργος@example.gr", "γ"),
    ("иван@example.ru", "и"),
    ("用户@例子.广告", "用"),
    ("דוד@example.co.il", "ד"),
]
# (address as typed, as it goes out and as an account keeps it)
ACCEPTED = [
    ("ana@bücher.example", "ana@xn--bcher-kva.example"),
    ("ana@xn--bcher-kva.example", "ana@xn--bcher-kva.example"),  # what a browser sends for the line above
    ("nikos@ελληνικά.gr", "nikos@xn--hxargifdar.gr"),
    ("ivan@пример.рф", "ivan@xn--e1afmkfd.xn--p1ai"),
    ("li@例子.广告", "li@xn--fsqu00a.xn--4rr70v"),
]
PATIENT = {"name": "Maria Lopez", "language": "en", "primary_therapist_id": "", "notes": "Prefers mornings."}


def reason(char: str) -> str:
    """The error at the field; a Hebrew or Arabic letter in its own direction (planner.bidi)."""
    return f"Use only plain letters, digits and . - _ + before the @, not “{isolate(char)}”."


def patient_form(app, address: str) -> tuple[str, str | None]:  # noqa: ANN001
    db = app.extensions["db_sessionmaker"]()
    clinic = db.scalars(select(Clinic)).first() or make_clinic(db, "Field Clinic")
    if not db.scalars(select(User)).first():
        make_user(db, clinic, email="tom@field.example")
    client = app.test_client()
    login(client, "tom@field.example")
    page = client.post("/patients/new", data={**PATIENT, "email": address}).get_data(as_text=True)
    saved = db.scalars(select(Patient.email).where(Patient.email == address)).first()
    db.close()
    return page, saved


def therapist_form(app, address: str) -> tuple[str, str | None]:  # noqa: ANN001
    db = app.extensions["db_sessionmaker"]()
    clinic = db.scalars(select(Clinic)).first() or make_clinic(db, "Field Clinic")
    if not db.scalars(select(User)).first():
        make_user(db, clinic, role="admin", email="ada@field.example")
    client = app.test_client()
    login(client, "ada@field.example")
    data = {"name": "Nia New", "email": address, "role": "therapist", "password": "nia's first pass"}
    page = client.post("/admin/users/new", data=data).get_data(as_text=True)
    saved = db.scalars(select(User.email).where(User.name == "Nia New")).first()
    if saved:  # the account signs in as typed, and as a browser's email field sends it (ASCII domain)
        for form in (address, saved):
            assert login(app.test_client(), form, "nia's first pass").status_code == 302, form
        db.execute(User.__table__.delete().where(User.name == "Nia New"))
        db.commit()
    db.close()
    return page, saved


def clinic_form(app, address: str) -> tuple[str, str | None]:  # noqa: ANN001
    db = app.extensions["db_sessionmaker"]()
    clinic = db.scalars(select(Clinic)).first() or make_clinic(db, "Field Clinic")
    if not db.scalars(select(User)).first():
        make_user(db, clinic, role="admin", email="ada@field.example")
        clinic.email = ""
        db.commit()
    client = app.test_client()
    login(client, "ada@field.example")
    data = {"name": "Field Clinic", "timezone": "UTC", "email": address}
    page = client.post("/admin/clinic", data=data).get_data(as_text=True)
    db.expire_all()
    saved = db.scalars(select(Clinic.email)).first() or None
    db.execute(Clinic.__table__.update().values(email=""))
    db.commit()
    db.close()
    return page, saved


def first_run_setup(app, address: str) -> tuple[str, str | None]:  # noqa: ANN001
    data = {
        "clinic_name": "Field Clinic",
        "timezone": "UTC",
        "clinic_email": address,
        "admin_name": "Ann Admin",
        "admin_email": address,
        "password": PASSWORD,
        "confirm": PASSWORD,
    }
    page = app.test_client().post("/setup", data=data).get_data(as_text=True)
    db = app.extensions["db_sessionmaker"]()
    saved = db.scalars(select(User.email)).first()
    if saved:  # set-up works once: undo it for the next address
        assert db.scalars(select(Clinic.email)).one() == address
        for table in reversed(Base.metadata.sorted_tables):
            db.execute(table.delete())
        db.commit()
    db.close()
    return page, saved


def users_create_command(app, address: str) -> tuple[str, str | None]:  # noqa: ANN001
    with app.app_context():  # as `flask` gives the command (users is a plain click group)
        result = app.test_cli_runner().invoke(
            args=["users", "create", address, "--name", "Cli User", "--clinic", "Field Clinic"], input=PASSWORD + "\n"
        )
    db = app.extensions["db_sessionmaker"]()
    saved = db.scalars(select(User.email).where(User.name == "Cli User")).first()
    assert (result.exit_code == 0) == bool(saved), result.output
    if saved:
        db.execute(User.__table__.delete().where(User.name == "Cli User"))
        db.commit()
    db.close()
    return result.output, saved


ENTRY_POINTS: dict[str, Callable[..., tuple[str, str | None]]] = {
    "patient form": patient_form,
    "therapist account form": therapist_form,
    "clinic form": clinic_form,
    "first-run set-up": first_run_setup,
    "users create command": users_create_command,
}
ACCOUNTS = {"therapist account form", "first-run set-up", "users create command"}


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_letters_outside_ascii_before_the_at_are_refused_saying_why_and_any_domain_is_accepted(app, entry):
    """Refused: nothing saved, the reason at the field. Accepted: saved (accounts in ASCII form)."""
    submit = ENTRY_POINTS[entry]
    for address, char in REFUSED:
        page, saved = submit(app, address)
        assert saved is None, address
        assert reason(char) in page and "Many mail servers cannot deliver to such an address." in page, address
    page, saved = submit(app, "maria-at-example")
    assert saved is None and "Enter a valid email address." in page
    for typed, ascii_form in ACCEPTED:
        page, saved = submit(app, typed)
        assert saved == (ascii_form if entry in ACCOUNTS else typed), page


def test_accounts_saved_before_with_a_domain_outside_ascii_are_brought_to_its_ascii_form(tmp_path):
    url = f"sqlite:///{tmp_path / 'older.sqlite3'}"
    engine = create_engine(url)
    upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO clinics (id, name, address, phone, email, timezone, created_at) "
                "VALUES (1, 'Old Clinic', '', '', 'desk@bücher.example', 'UTC', '2026-01-01 00:00:00')"
            )
        )
        for user_id, email in [(1, "ana@bücher.example"), (2, "bo@xn--bcher-kva.example"), (3, "bo@bücher.example")]:
            connection.execute(
                text(
                    "INSERT INTO users (id, clinic_id, email, name, role, password_hash, active, session_version, "
                    "created_at) VALUES (:id, 1, :email, 'U', 'therapist', 'x', 1, 1, '2026-01-01 00:00:00')"
                ),
                {"id": user_id, "email": email},
            )
    app = build_app(tmp_path, url=url)  # migrates to the newest revision
    with engine.connect() as connection:
        emails = dict(connection.execute(text("SELECT id, email FROM users")).all())
        clinic_email = connection.execute(text("SELECT email FROM clinics")).scalar_one()
    # The second "bo" is left as it was: its ASCII form belongs to another account already.
    assert emails == {1: "ana@xn--bcher-kva.example", 2: "bo@xn--bcher-kva.example", 3: "bo@bücher.example"}
    assert clinic_email == "desk@bücher.example"  # not an account: it goes out in ASCII when mail is sent
    app.extensions["db_engine"].dispose()
    engine.dispose()
