"""Personal API tokens: made and named by a therapist, shown once, stored as a hash, revoked; the
API takes them as `Authorization: Bearer` inside the owner's clinic; the CLI makes them too."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import urllib.request
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from planner.models import ApiToken, Clinic, User
from planner.services import DomainError, accounts, api_tokens, program_items, programs
from planner.services import two_factor as two_factor_service
from planner.services.catalog import get_exercise
from tests.browser import served
from tests.conftest import build_app, csrf_token, login, migrated_copy
from tests.factories import make_clinic, make_patient, make_user
from tests.test_cli import flask

NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)

# Names in several scripts, at the length limit, and with markup that must stay text.
NAMES = [
    "Nightly export",
    "Exportación diaria — Señora Núñez",
    "Εξαγωγή για τη φυσικοθεραπεία",
    "Ежедневный экспорт программ",
    "每日导出康复计划",
    "ייצוא לילי של תוכניות",
    "تصدير البرامج الليلي",
    "<script>alert('x')</script> & co",
    "é" * 80,
]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def world(catalog_app, catalog_db):
    """Two clinics; North has a therapist with a patient and an issued program."""
    db = catalog_db
    north = make_clinic(db, "North Clinic")
    tess = make_user(db, north, email="tess@north.org", name="Tess Therapist")
    patient = make_patient(db, north, "Petra Patient")
    program = programs.create_program(db, patient, programs.ProgramDetails("Neck plan", date(2026, 11, 21)), None, NOW)
    program_items.add_item(db, program, get_exercise(db, north.id, "chin-tuck-sitting"), None, NOW)
    db.commit()
    south = make_clinic(db, "South Clinic")
    sam = make_user(db, south, email="sam@south.org")
    return {"tess": tess, "patient": patient, "program": program, "sam": sam}


# ---- the service ---------------------------------------------------------------------------


def test_only_a_hash_and_a_short_prefix_are_stored(service_db):
    db = service_db
    user = make_user(db, make_clinic(db))
    row, token = api_tokens.create_token(db, user, "Nightly export", NOW)
    db.commit()
    assert token.startswith("hep_") and len(token) == 47
    stored = db.execute(select(ApiToken.token_hash, ApiToken.prefix).where(ApiToken.id == row.id)).one()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert stored.prefix == token[:8]
    assert api_tokens.user_for_token(db, token, NOW).id == user.id
    assert api_tokens.user_for_token(db, token[:-1] + ("A" if token[-1] != "A" else "B"), NOW) is None


def test_last_use_is_noted_at_most_once_a_minute(service_db):
    db = service_db
    user = make_user(db, make_clinic(db))
    row, token = api_tokens.create_token(db, user, "Loop", NOW)
    assert row.last_used_at is None
    api_tokens.user_for_token(db, token, NOW)
    db.commit()
    for seconds, expected in [(30, NOW), (59, NOW), (61, NOW + timedelta(seconds=61))]:
        api_tokens.user_for_token(db, token, NOW + timedelta(seconds=seconds))
        db.commit()
        db.expire_all()
        assert db.get(ApiToken, row.id).last_used_at == expected, seconds


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Give the token a name"),
        ("   ", "Give the token a name"),
        ("x" * 81, "at most 80 characters"),
        ("two\nlines", "cannot hold line breaks"),
        ("tab\there", "cannot hold line breaks"),
    ],
)
def test_a_bad_name_is_refused_at_the_field(db, name, message):
    user = make_user(db, make_clinic(db))
    with pytest.raises(DomainError, match=message) as refused:
        api_tokens.create_token(db, user, name, NOW)
    assert refused.value.field == "name"


def test_revoked_deactivated_and_unenrolled_where_required_tokens_stop(db):
    clinic = make_clinic(db)
    admin = make_user(db, clinic, role="admin")
    user = make_user(db, clinic)
    first, first_token = api_tokens.create_token(db, user, "First", NOW)
    _, second_token = api_tokens.create_token(db, user, "Second", NOW)
    api_tokens.revoke_token(db, user, first.id, NOW)
    assert api_tokens.user_for_token(db, first_token, NOW) is None
    assert [t.name for t in api_tokens.tokens_of(db, user)] == ["Second"]
    with pytest.raises(Exception, match="A token"):
        api_tokens.revoke_token(db, admin, first.id, NOW)  # nobody else's, and not twice
    accounts.set_active(db, admin, user, False)
    assert api_tokens.user_for_token(db, second_token, NOW) is None
    accounts.set_active(db, admin, user, True)
    assert api_tokens.user_for_token(db, second_token, NOW).id == user.id
    # Where the clinic requires two-factor sign-in, a token works only once its owner has it.
    secret = two_factor_service.start_enrolment(db, admin, "k", NOW).secret
    two_factor_service.confirm_enrolment(db, admin, two_factor_service.code_at(secret, NOW), "k", NOW)
    two_factor_service.set_requirement(db, admin, clinic, True)
    assert api_tokens.user_for_token(db, second_token, NOW) is None


# ---- the pages and the API -----------------------------------------------------------------


def test_therapist_makes_lists_and_revokes_a_token_and_the_api_takes_it(catalog_app, catalog_db, world):
    client = catalog_app.test_client()
    login(client, "tess@north.org")
    html = client.post("/account/tokens", data={"name": "Nightly export"}).get_data(as_text=True)
    shown = html.split('<code id="new-token" class="key">')[1].split("</code>")[0]
    token = re.sub(r"<[^>]+>", "", shown)  # as copied: the line-break points add no character
    assert token.startswith("hep_") and len(token) == 47 and "Copy it now" in html
    listing = client.get("/account/tokens").get_data(as_text=True)
    assert token not in listing  # shown once only
    assert "Nightly export" in listing and f"<code>{token[:8]}…</code>" in listing and "Never" in listing

    api = catalog_app.test_client()  # a script: no cookie at all
    program = world["program"]
    response = api.get(f"/api/v1/programs/{program.id}", headers=bearer(token))
    assert response.status_code == 200 and response.get_json()["title"] == "Neck plan"
    assert "Set-Cookie" not in response.headers  # a token call opens no session
    assert api.get(f"/api/v1/patients/{world['patient'].id}/programs", headers=bearer(token)).status_code == 200
    assert api.get("/api/v1/exercises?q=chin", headers=bearer(token)).get_json()["total"] >= 1
    assert "Never" not in client.get("/account/tokens").get_data(as_text=True)  # last use shown
    # The token opens no page, only the API.
    assert api.get("/patients", headers=bearer(token)).status_code == 302

    row_id = catalog_db.scalars(select(ApiToken.id).where(ApiToken.name == "Nightly export")).one()
    assert client.post(f"/account/tokens/{row_id}/revoke").status_code == 302
    response = api.get(f"/api/v1/programs/{program.id}", headers=bearer(token))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert "revoked" in response.get_json()["error"]
    assert "You have no tokens." in client.get("/account/tokens").get_data(as_text=True)


def test_a_token_sees_only_its_own_clinic(catalog_app, catalog_db, world):
    _, token = api_tokens.create_token(catalog_db, world["sam"], "South script", NOW)
    catalog_db.commit()
    api = catalog_app.test_client()
    assert api.get(f"/api/v1/programs/{world['program'].id}", headers=bearer(token)).status_code == 404
    assert api.get(f"/api/v1/patients/{world['patient'].id}/programs", headers=bearer(token)).status_code == 404
    found = api.get("/api/v1/exercises?q=chin", headers=bearer(token)).get_json()
    assert found["total"] >= 1  # the shared catalog is everyone's


def test_a_deactivated_therapists_token_stops_at_once(catalog_app, catalog_db, world):
    _, token = api_tokens.create_token(catalog_db, world["tess"], "Script", NOW)
    make_user(catalog_db, catalog_db.get(Clinic, world["tess"].clinic_id), role="admin", email="b@north.org")
    catalog_db.commit()
    api = catalog_app.test_client()
    assert api.get("/api/v1/exercises", headers=bearer(token)).status_code == 200
    admin = catalog_app.test_client()
    login(admin, "b@north.org")
    admin.post(f"/admin/users/{world['tess'].id}/deactivate")
    assert api.get("/api/v1/exercises", headers=bearer(token)).status_code == 401


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer ", "Basic dGVzczpwdw==", "hep_notevenbearer", "Bearer hep_" + "x" * 43, "Bearer " + "y" * 500],
)
def test_anything_but_a_working_token_is_a_401(client, db, header):
    make_user(db, make_clinic(db))  # past the first-run set-up
    response = client.get("/api/v1/exercises", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("name", NAMES)
def test_token_names_in_any_script_are_kept_and_shown_as_text(client, db, name):
    make_user(db, make_clinic(db), email="n@n.org")
    login(client, "n@n.org")
    client.post("/account/tokens", data={"name": f"  {name}  "})
    assert [r.name for r in db.scalars(select(ApiToken))] == [name]
    html = client.get("/account/tokens").get_data(as_text=True)
    assert "<script>alert" not in html
    escaped = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;")
    assert f"<td><bdi>{escaped}</bdi></td>" in html


def test_a_bad_name_on_the_page_is_told_at_the_field_and_kept(client, db):
    make_user(db, make_clinic(db), email="n@n.org")
    login(client, "n@n.org")
    html = client.post("/account/tokens", data={"name": "ж" * 81}).get_data(as_text=True)
    assert 'id="name-error">Name is too long: at most 80 characters. It has 81.' in html
    assert "ж" * 81 in html  # what was typed stays in the field
    assert db.scalars(select(ApiToken)).all() == []


def test_the_token_form_and_revoke_need_their_csrf_token(tmp_path):
    app = build_app(tmp_path, csrf=True)
    db = app.extensions["db_sessionmaker"]()
    user = make_user(db, make_clinic(db), email="c@c.org")
    row, token = api_tokens.create_token(db, user, "Old", NOW)
    db.commit()
    client = app.test_client()
    client.post(
        "/login",
        data={"email": "c@c.org", "password": "a long test password", "csrf_token": csrf_token(client, "/login")},
    )
    assert client.post("/account/tokens", data={"name": "Forged"}).status_code == 400
    assert client.post(f"/account/tokens/{row.id}/revoke").status_code == 400
    assert (
        client.post(
            "/account/tokens", data={"name": "Real", "csrf_token": csrf_token(client, "/account/tokens")}
        ).status_code
        == 200
    )
    assert sorted(r.name for r in db.scalars(select(ApiToken))) == ["Old", "Real"]
    # A Bearer call needs no CSRF token: it carries no cookie.
    assert app.test_client().get("/api/v1/exercises", headers=bearer(token)).status_code == 200
    db.close()
    app.extensions["db_engine"].dispose()


def test_tokens_never_reach_the_request_logs(catalog_app, catalog_db, world, caplog):
    """Through the real development server, whose request lines go to the werkzeug logger."""
    _, token = api_tokens.create_token(catalog_db, world["tess"], "Logged?", NOW)
    catalog_db.commit()
    caplog.set_level(logging.DEBUG)
    with served(catalog_app) as base:
        for path in ["/api/v1/exercises?q=chin", f"/api/v1/programs/{world['program'].id}", "/api/v1/programs/999999"]:
            request = urllib.request.Request(base + path, headers=bearer(token))  # noqa: S310 (our own local server)
            try:
                urllib.request.urlopen(request, timeout=10).read()  # noqa: S310 (our own local server)
            except urllib.error.HTTPError as e:
                assert e.code == 404
    lines = [record.getMessage() for record in caplog.records]
    assert any("/api/v1/exercises" in line for line in lines)  # the requests were logged…
    assert not any(token in line or token[4:] in line for line in lines)  # …without the token


# ---- the command ---------------------------------------------------------------------------


def test_cli_prints_a_working_token_for_a_script(tmp_path):
    # The account made in this process (init-db and users create run as commands in test_cli);
    # the command under test runs as a script would run it, in a process of its own.
    migrated_copy(tmp_path / "cli.sqlite3")
    app = build_app(tmp_path, url=f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    db = app.extensions["db_sessionmaker"]()
    make_user(db, make_clinic(db, "North"), email="ana@north.org", name="Ana")
    result = flask(tmp_path, "tokens", "create", "ANA@north.org ", "--name", "Εξαγωγή — nightly")
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    assert token.startswith("hep_") and "\n" not in token  # alone on standard output
    assert "not shown again" in result.stderr
    response = app.test_client().get("/api/v1/exercises", headers=bearer(token))
    assert response.status_code == 200 and json.loads(response.data)["total"] == 0
    row = db.scalars(select(ApiToken)).one()
    assert row.name == "Εξαγωγή — nightly" and row.user_id == db.scalars(select(User.id)).one()
    db.close()

    # Refused: the same command through Flask's runner (its own standard output and error),
    # without a process each.
    for args, message in [
        (("nobody@north.org", "--name", "x"), "There is no account with the email nobody@north.org."),
        (("ana@north.org", "--name", " "), "Give the token a name"),
        (("ana@north.org", "--name", "x" * 81), "at most 80 characters"),
    ]:
        refused = app.test_cli_runner().invoke(args=["tokens", "create", *args])
        assert refused.exit_code != 0 and message in refused.stderr and "hep_" not in refused.stdout
    app.extensions["db_engine"].dispose()
