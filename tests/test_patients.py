"""Patients: the list, search, create, edit, archive and restore, and the audit log of each."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from planner.models import AuditEntry, Patient
from planner.services import NotFound, patients
from tests.conftest import login
from tests.factories import make_clinic, make_patient, make_user

FORM = {
    "name": "Maria Lopez",
    "date_of_birth": "1956-03-21",
    "email": "maria@example.org",
    "phone": "555-0111",
    "language": "es",
    "large_print": "y",
    "condition": "Head pulls to the left when tired.",
    "condition_tags": ["cervical_dystonia"],
    "primary_therapist_id": "",
    "notes": "Prefers mornings.",
}


@pytest.fixture
def clinic(db):
    return make_clinic(db, "East Clinic")


@pytest.fixture
def therapist(db, clinic):
    return make_user(db, clinic, email="tom@east.org", name="Tom Therapist")


@pytest.fixture
def signed_in(client, therapist):
    login(client, "tom@east.org")
    return client


def test_create_patient_with_every_field(signed_in, db, therapist):
    response = signed_in.post("/patients/new", data={**FORM, "primary_therapist_id": str(therapist.id)})
    assert response.status_code == 302
    patient = db.scalars(select(Patient)).one()
    assert response.location == f"/patients/{patient.id}"
    assert (patient.name, str(patient.date_of_birth), patient.language, patient.large_print) == (
        "Maria Lopez",
        "1956-03-21",
        "es",
        True,
    )
    assert patient.condition_tags == ["cervical_dystonia"]
    assert patient.primary_therapist_id == therapist.id
    html = signed_in.get(response.location).get_data(as_text=True)
    for shown in [
        "Maria Lopez",
        "1956-03-21",
        "maria@example.org",
        "Español",
        "Large print",
        "Cervical dystonia",
        "Tom Therapist",
        "Prefers mornings.",
    ]:
        assert shown in html


def test_the_patient_list_names_each_patients_own_therapist(signed_in, db, clinic, therapist):
    colleague = make_user(db, clinic, email="ana@east.org", name="Ana Ólafsdóttir")
    make_patient(db, clinic, "Amir Haddad", primary_therapist_id=therapist.id)
    make_patient(db, clinic, "Bea Brown", primary_therapist_id=colleague.id)
    make_patient(db, clinic, "Cai Chen")  # no therapist yet
    html = signed_in.get("/patients").get_data(as_text=True)
    rows = re.findall(r"<bdi>([^<]+)</bdi></a></td>.*?<td><bdi>([^<]*)</bdi></td>", html, re.S)
    assert rows == [("Amir Haddad", "Tom Therapist"), ("Bea Brown", "Ana Ólafsdóttir"), ("Cai Chen", "")]


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("name", "", "Enter the patient&#39;s name."),
        ("name", "x" * 121, "Name is too long: at most 120 characters. It has 121."),
        ("date_of_birth", "21/03/1956", "Enter the date as year-month-day, for example 1956-03-21."),
        ("date_of_birth", "2999-01-01", "Enter a date of birth between 1 Jan 1900 and today."),
        ("email", "maria-at-example", "Enter a valid email address."),
        ("preferred_name", "x" * 121, "Preferred name is too long: at most 120 characters. It has 121."),
    ],
)
def test_bad_input_is_named_and_what_was_typed_is_kept(signed_in, db, field, value, message):
    html = signed_in.post("/patients/new", data={**FORM, field: value}).get_data(as_text=True)
    assert message in html
    assert "Prefers mornings." in html  # nothing typed is lost
    assert db.scalars(select(Patient)).first() is None


def test_edit_keeps_saved_data_when_input_is_bad(signed_in, db, clinic):
    patient = make_patient(db, clinic, "Ken Adams", notes="Original note")
    html = signed_in.post(f"/patients/{patient.id}/edit", data={**FORM, "name": "", "notes": "New note"}).get_data(
        as_text=True
    )
    assert "Enter the patient&#39;s name." in html and "New note" in html
    db.expire_all()
    assert db.get(Patient, patient.id).notes == "Original note"
    assert signed_in.post(f"/patients/{patient.id}/edit", data={**FORM, "name": "Ken Adams"}).status_code == 302
    db.expire_all()
    assert db.get(Patient, patient.id).notes == "Prefers mornings."


def test_archive_asks_first_then_restore(signed_in, db, clinic):
    patient = make_patient(db, clinic, "Ann Archive")
    assert "Archive Ann Archive?" in signed_in.get(f"/patients/{patient.id}/archive").get_data(as_text=True)
    signed_in.post(f"/patients/{patient.id}/archive")
    listed = ">Ann Archive</bdi></a>"
    assert listed not in signed_in.get("/patients").get_data(as_text=True)
    assert listed in signed_in.get("/patients?status=archived").get_data(as_text=True)
    signed_in.post(f"/patients/{patient.id}/restore")
    assert listed in signed_in.get("/patients").get_data(as_text=True)


def test_list_searches_by_name_and_paginates(signed_in, db, clinic):
    for n in range(30):
        make_patient(db, clinic, f"Person {n:02d} Smith")
    make_patient(db, clinic, "Zoë Élan")
    first = signed_in.get("/patients").get_data(as_text=True)
    assert "31 patients" in first and "Person 00 Smith" in first and "Zoë Élan" not in first
    assert 'rel="prev"' not in first
    following = re.search(r'href="(/patients\?[^"]*after=\d+)" rel="next"', first).group(1)
    second = signed_in.get(following.replace("&amp;", "&")).get_data(as_text=True)
    assert "Zoë Élan" in second and "Person 00 Smith" not in second and 'rel="next"' not in second
    back = re.search(r'href="(/patients\?[^"]*before=\d+)" rel="prev"', second).group(1)
    assert signed_in.get(back.replace("&amp;", "&")).get_data(as_text=True).count("Smith</bdi></a>") == 25
    found = signed_in.get("/patients?q=élan").get_data(as_text=True)
    assert "Zoë Élan" in found and "Smith" not in found
    assert "1 patient matching" in found
    none = signed_in.get("/patients?q=100%25").get_data(as_text=True)  # a literal % matches nothing
    assert "No patients match" in none


def test_every_view_and_change_is_audited(signed_in, db, clinic, therapist):
    signed_in.post("/patients/new", data=FORM)
    patient = db.scalars(select(Patient)).one()
    signed_in.get(f"/patients/{patient.id}")
    signed_in.post(f"/patients/{patient.id}/edit", data={**FORM, "phone": "555-0999"})
    signed_in.post(f"/patients/{patient.id}/archive")
    signed_in.post(f"/patients/{patient.id}/restore")
    rows = db.scalars(select(AuditEntry).where(AuditEntry.patient_id == patient.id).order_by(AuditEntry.id)).all()
    assert [r.action for r in rows] == ["create", "view", "update", "archive", "restore"]
    assert all(r.user_id == therapist.id and r.address == "127.0.0.1" for r in rows)
    assert "phone" in rows[2].detail


def test_admin_reads_and_filters_the_audit_log(app, db, clinic, therapist):
    admin = make_user(db, clinic, role="admin", email="boss@east.org")
    patient = make_patient(db, clinic, "Audit Subject")
    tom = app.test_client()
    login(tom, "tom@east.org")
    tom.get(f"/patients/{patient.id}")
    boss = app.test_client()
    login(boss, "boss@east.org")
    html = boss.get(f"/admin/audit?action=view&user={therapist.id}").get_data(as_text=True)
    assert "Tom Therapist" in html and "1 entry" in html
    html = boss.get(f"/admin/audit?patient={patient.id}&action=create").get_data(as_text=True)
    assert "0 entries" in html
    assert boss.get("/admin/audit?date_from=2026-13-01").status_code == 200
    assert admin.id


def test_patient_search_and_scoping_on_both_databases(service_db):
    a, b = make_clinic(service_db), make_clinic(service_db)
    make_patient(service_db, a, "Olga Ivanova")
    make_patient(service_db, a, "Oliver Twist")
    make_patient(service_db, b, "Olga Other-Clinic")
    page = patients.list_patients(service_db, a.id, search="olg")
    assert [p.name for p in page.patients] == ["Olga Ivanova"]
    assert patients.list_patients(service_db, b.id).total == 1
    with pytest.raises(NotFound):
        patients.get_patient(service_db, b.id, page.patients[0].id)


def test_dashboard_views_are_audited(signed_in, db, therapist):
    signed_in.get("/dashboard")
    entry = db.scalars(select(AuditEntry).where(AuditEntry.subject_type == "dashboard")).one()
    assert (entry.action, entry.user_id) == ("list", therapist.id)


@pytest.fixture(scope="module")
def named_patients(module_db):
    """One clinic with a patient of each name, on SQLite and on PostgreSQL."""
    clinic = make_clinic(module_db)
    for name in NAMES:
        make_patient(module_db, clinic, name)
    return module_db, clinic


NAMES = [
    "Siobhán O'Brien",
    "Mary-Ann Smith",
    "José Müller",
    "Οδυσσέας Παπαδόπουλος",
    "Наталья Ёлкина",
    "王小明",
    "Yael Ben-David (יעל בן דוד)",
    "محمد عبد الله",
    "Søren Łukasiewicz",
    "Nguyễn Thị Ánh",
    "Jürgen Straße",
]


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("obrien", "Siobhán O'Brien"),  # punctuation inside a name
        ("O’Brien", "Siobhán O'Brien"),  # a typographic apostrophe
        ("siobhan", "Siobhán O'Brien"),  # without the accent
        ("mary ann", "Mary-Ann Smith"),  # a space for the hyphen
        ("maryann", "Mary-Ann Smith"),  # nothing for the hyphen
        ("mary-ann", "Mary-Ann Smith"),
        ("smith mary", "Mary-Ann Smith"),  # the words in another order
        ("jose", "José Müller"),
        ("JOSÉ", "José Müller"),
        ("muller", "José Müller"),
        ("ΟΔΥΣΣΕΑΣ", "Οδυσσέας Παπαδόπουλος"),  # Greek capitals, final sigma and accents
        ("οδυσσεας", "Οδυσσέας Παπαδόπουλος"),
        ("παπαδοπουλοσ", "Οδυσσέας Παπαδόπουλος"),  # a medial sigma typed at the end
        ("НАТАЛЬЯ", "Наталья Ёлкина"),  # Cyrillic capitals
        ("елкина", "Наталья Ёлкина"),  # е for ё
        ("小明", "王小明"),  # part of a Chinese name
        ("בן דוד", "Yael Ben-David (יעל בן דוד)"),  # Hebrew
        ("ben david", "Yael Ben-David (יעל בן דוד)"),
        ("مُحَمَّد", "محمد عبد الله"),  # Arabic typed with vowel marks
        ("soren lukasiewicz", "Søren Łukasiewicz"),  # letters with a stroke
        ("nguyen thi anh", "Nguyễn Thị Ánh"),  # Vietnamese stacked marks
        ("strasse", "Jürgen Straße"),
        ("JÜRGEN STRASSE", "Jürgen Straße"),
    ],
)
def test_search_ignores_case_accents_and_punctuation_on_both_databases(named_patients, typed, found):
    db, clinic = named_patients
    assert [p.name for p in patients.list_patients(db, clinic.id, search=typed).patients] == [found]


def test_search_that_finds_nothing_says_what_to_try(signed_in, db, clinic):
    make_patient(db, clinic, "Siobhán O'Brien")
    assert "Siobhán O&#39;Brien" in signed_in.get("/patients?q=obrien").get_data(as_text=True)
    html = signed_in.get("/patients?q=obryan").get_data(as_text=True)
    assert "No patients match “obryan”" in html and "Try part of the name" in html
    assert 'href="/patients?q=obryan&amp;status=all"' in html  # archived patients are one click away


# (name, preferred name typed, what the emails call the patient): a given name of two words, a
# name written family name first, names in other scripts; left empty, the whole name, never a guess.
CALLED = [
    ("María José Fernández", "María José", "María José"),
    ("José Luis Ramírez", "", "José Luis Ramírez"),
    ("Nagy Ilona", "Ilona", "Ilona"),
    ("王小明", "小明", "小明"),
    ("Γιώργος Παπαδόπουλος", "  Γιώργος   ", "Γιώργος"),
    ("Αλεξάνδρα Νικολάου", "", "Αλεξάνδρα Νικολάου"),
    ("דוד כהן", "דוד", "דוד"),
    ("محمد علي", "", "محمد علي"),
    ("Ken Adams", "x" * 120, "x" * 120),
]


@pytest.mark.parametrize("name, typed, called", CALLED)
def test_the_preferred_name_is_what_the_patient_is_called(signed_in, db, name, typed, called):
    response = signed_in.post("/patients/new", data={**FORM, "name": name, "preferred_name": typed})
    assert response.status_code == 302
    patient = db.scalars(select(Patient)).one()
    assert patient.called_name == called
    page = signed_in.get(response.location).get_data(as_text=True)
    if typed.strip():
        assert f"<dt>Called</dt><dd><bdi>{called}</bdi>" in page
    else:
        assert "<dt>Called</dt><dd>No preferred name" in page and "the phone page says only" in page
    edit = signed_in.get(f"/patients/{patient.id}/edit").get_data(as_text=True)
    assert re.search(r'name="preferred_name"[^>]*value="' + re.escape(typed.strip()) + '"', edit) or not typed.strip()


def test_condition_tags_show_by_their_proper_names_wherever_they_are_shown(signed_in, db, clinic):
    """Trial 9: the patient form's tag read "Writers cramp", the patient page "writers cramp"."""
    from html import unescape

    from planner.services import fhir

    form = unescape(signed_in.get("/patients/new").get_data(as_text=True))
    assert "Writer's cramp" in form and "Writers cramp" not in form
    response = signed_in.post("/patients/new", data={**FORM, "condition_tags": ["writers_cramp", "cervical_dystonia"]})
    patient = db.scalars(select(Patient)).one()
    page = unescape(signed_in.get(response.location).get_data(as_text=True))
    assert re.findall(r'<span class="tag">([^<]*)</span>', page) == ["Cervical dystonia", "Writer's cramp"]
    listed = unescape(signed_in.get("/patients").get_data(as_text=True))
    assert "Cervical dystonia, Writer's cramp" in listed
    bundle = fhir.bundle(db, patient, patient.created_at, "https://pt.example.org")
    condition = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Condition")
    assert [c["display"] for c in condition["code"]["coding"]] == ["Cervical dystonia", "Writer's cramp"]
