"""Signing in and out, passwords, throttling, and accounts an administrator manages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from planner.models import SignIn, User
from planner.services import accounts, sign_ins
from tests.conftest import login
from tests.factories import PASSWORD, make_clinic, make_user
from tests.test_setup import SETUP


@pytest.fixture
def clinic(db):
    return make_clinic(db, "North Clinic")


@pytest.fixture
def admin(db, clinic):
    return make_user(db, clinic, role="admin", email="admin@north.org", name="Ada Admin")


@pytest.fixture
def therapist(db, clinic):
    return make_user(db, clinic, email="tess@north.org", name="Tess Therapist")


def test_sign_in_and_out(client, therapist):
    response = login(client, "TESS@north.org ", PASSWORD)
    assert response.status_code == 302
    assert "Tess Therapist" in client.get("/patients").get_data(as_text=True)
    client.post("/logout")
    response = client.get("/patients")
    assert response.status_code == 302 and "/login" in response.location


def test_wrong_password_is_refused_with_a_message(client, therapist):
    html = login(client, "tess@north.org", "wrong password!").get_data(as_text=True)
    assert "The email or password is not right." in html
    assert client.get("/patients").status_code == 302


def test_next_parameter_only_redirects_within_the_site(client, therapist):
    response = client.post("/login?next=https://evil.example/x", data={"email": "tess@north.org", "password": PASSWORD})
    assert response.location == "/"
    client.post("/logout")
    response = client.post("/login?next=/patients/new", data={"email": "tess@north.org", "password": PASSWORD})
    assert response.location == "/patients/new"


def test_failures_are_throttled_per_account(client, therapist):
    for _ in range(5):
        login(client, "tess@north.org", "wrong password!")
    html = login(client, "tess@north.org", PASSWORD).get_data(as_text=True)
    assert "Too many failed sign-ins. Wait 15 minutes" in html
    assert client.get("/patients").status_code == 302


def test_throttle_per_address_and_window(service_db):
    clinic = make_clinic(service_db)
    user = make_user(service_db, clinic)
    now = datetime(2026, 11, 21, 12, tzinfo=UTC)
    throttle = accounts.Throttle(max_per_account=5, max_per_address=3)
    for n in range(3):  # three different accounts from one address
        with pytest.raises(accounts.SignInRefused):
            accounts.authenticate(service_db, f"nobody{n}@x.org", "bad", "10.0.0.9", now, throttle)
    with pytest.raises(accounts.SignInRefused, match="Too many"):
        accounts.authenticate(service_db, user.email, PASSWORD, "10.0.0.9", now, throttle)
    # Another address is not affected, and the first one is free again after the window.
    assert accounts.authenticate(service_db, user.email, PASSWORD, "10.0.0.10", now, throttle).id == user.id
    later = now + timedelta(minutes=16)
    assert accounts.authenticate(service_db, user.email, PASSWORD, "10.0.0.9", later, throttle).id == user.id


def test_change_password_ends_other_sessions(app, therapist):
    first, second = app.test_client(), app.test_client()
    login(first, "tess@north.org")
    login(second, "tess@north.org")
    response = first.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "a brand new secret", "confirm": "a brand new secret"},
    )
    assert response.status_code == 302
    assert first.get("/patients").status_code == 200  # this session carries on
    assert second.get("/patients").status_code == 302  # the other one is signed out
    client = app.test_client()
    assert "not right" in login(client, "tess@north.org", PASSWORD).get_data(as_text=True)
    assert login(client, "tess@north.org", "a brand new secret").status_code == 302


def test_change_password_needs_the_current_one(client, therapist):
    login(client, "tess@north.org")
    html = client.post(
        "/account/password",
        data={"current_password": "guess guess", "new_password": "a brand new secret", "confirm": "a brand new secret"},
    ).get_data(as_text=True)
    assert "The current password is not right." in html
    html = client.post(
        "/account/password", data={"current_password": PASSWORD, "new_password": "short", "confirm": "short"}
    ).get_data(as_text=True)
    assert "Use a password of 10 to 200 characters." in html


@pytest.mark.parametrize("password", ["x" * 9, "x" * 201])
def test_every_form_that_sets_a_password_holds_it_to_10_to_200_characters(client, db, password):
    """The first-run set-up, an administrator's new account and a password change: one rule."""
    setup = {**SETUP, "password": password, "confirm": password}
    assert "Use a password of 10 to 200 characters." in client.post("/setup", data=setup).get_data(as_text=True)
    assert db.scalars(select(User)).all() == []
    make_user(db, make_clinic(db), role="admin", email="admin@north.org")
    login(client, "admin@north.org")
    new = {"name": "Nia New", "email": "nia@north.org", "role": "therapist", "password": password}
    assert "Use a password of 10 to 200 characters." in client.post("/admin/users/new", data=new).get_data(as_text=True)
    change = {"current_password": PASSWORD, "new_password": password, "confirm": password}
    assert "Use a password of 10 to 200 characters." in client.post("/account/password", data=change).get_data(
        as_text=True
    )
    db.expire_all()
    assert [u.email for u in db.scalars(select(User))] == ["admin@north.org"]
    assert login(client.application.test_client(), "admin@north.org", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("name", "said"), [("", "Enter the name."), ("Ζ" * 121, "Name is too long: at most 120 characters. It has 121.")]
)
def test_a_new_account_and_an_edited_one_ask_the_name_alike(client, db, admin, therapist, name, said):
    login(client, "admin@north.org")
    new = {"name": name, "email": "nia@north.org", "role": "therapist", "password": "a long enough secret"}
    assert said in client.post("/admin/users/new", data=new).get_data(as_text=True)
    edited = {"name": name, "role": "therapist"}
    assert said in client.post(f"/admin/users/{therapist.id}/edit", data=edited).get_data(as_text=True)
    db.expire_all()
    assert sorted(u.name for u in db.scalars(select(User))) == ["Ada Admin", "Tess Therapist"]
    longest = {"name": "Ζ" * 120, "role": "therapist"}
    assert client.post(f"/admin/users/{therapist.id}/edit", data=longest).status_code == 302


def test_admin_adds_a_therapist_who_can_sign_in(app, client, db, admin):
    login(client, "admin@north.org")
    response = client.post(
        "/admin/users/new",
        data={"name": "Nia New", "email": "nia@north.org", "role": "therapist", "password": "nia's first pass"},
    )
    assert response.status_code == 302
    assert "Nia New" in client.get("/admin/users").get_data(as_text=True)
    assert login(app.test_client(), "nia@north.org", "nia's first pass").status_code == 302


def test_duplicate_email_gets_its_own_message(client, admin, therapist):
    login(client, "admin@north.org")
    html = client.post(
        "/admin/users/new",
        data={"name": "Dup", "email": "Tess@North.org", "role": "therapist", "password": "0123456789ab"},
    ).get_data(as_text=True)
    assert "An account with the email tess@north.org already exists." in html
    assert 'value="Dup"' in html


def test_deactivated_user_is_signed_out_and_cannot_sign_in(app, db, admin, therapist):
    tess = app.test_client()
    login(tess, "tess@north.org")
    assert tess.get("/patients").status_code == 200
    boss = app.test_client()
    login(boss, "admin@north.org")
    page = boss.get(f"/admin/users/{therapist.id}/deactivate")
    assert "Deactivate Tess Therapist?" in page.get_data(as_text=True)  # asks first
    assert boss.post(f"/admin/users/{therapist.id}/deactivate").status_code == 302
    assert tess.get("/patients").status_code == 302  # the open session ended
    html = login(app.test_client(), "tess@north.org").get_data(as_text=True)
    assert "This account has been deactivated." in html
    boss.post(f"/admin/users/{therapist.id}/activate")
    assert login(app.test_client(), "tess@north.org").status_code == 302


def test_admin_cannot_deactivate_themself(client, db, admin):
    login(client, "admin@north.org")
    client.post(f"/admin/users/{admin.id}/deactivate")
    db.expire_all()
    assert db.get(User, admin.id).active


def test_therapist_cannot_open_admin_pages(client, therapist, admin):
    login(client, "tess@north.org")
    for path in [
        "/admin/users",
        "/admin/users/new",
        "/admin/clinic",
        "/admin/audit",
        f"/admin/users/{admin.id}/edit",
        f"/admin/users/{admin.id}/deactivate",
    ]:
        assert client.get(path).status_code == 403, path


def test_admin_edits_clinic_details(client, db, admin, clinic):
    login(client, "admin@north.org")
    response = client.post(
        "/admin/clinic",
        data={
            "name": "North Clinic & Rehab",
            "address": "2 Side Road",
            "phone": "555-0199",
            "email": "",
            "timezone": "America/New_York",
        },
    )
    assert response.status_code == 302
    db.expire_all()
    saved = db.get(type(clinic), clinic.id)
    assert (saved.name, saved.phone, saved.timezone) == ("North Clinic & Rehab", "555-0199", "America/New_York")
    html = client.post("/admin/clinic", data={"name": "N", "timezone": "Nowhere/Land"}).get_data(as_text=True)
    assert "Unknown time zone" in html


def test_passwords_are_hashed_with_argon2(db, therapist):
    stored = db.scalars(select(User.password_hash).where(User.id == therapist.id)).one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


COOKIE = "planner_session"


def copy_of(app, client):  # noqa: ANN001, ANN201
    """Another browser holding a copy of the client's session cookie."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return thief


def test_signing_out_ends_the_session_on_the_server_so_a_copied_cookie_stops_working(app, client, therapist):
    login(client, "tess@north.org")
    thief = copy_of(app, client)
    assert thief.get("/patients").status_code == 200  # the copy works while the therapist is signed in
    client.post("/logout")
    replay = thief.get("/patients")
    assert replay.status_code == 302 and replay.location.startswith("/login")


def test_signing_out_in_one_browser_keeps_the_others_signed_in(app, therapist):
    desk, laptop = app.test_client(), app.test_client()
    login(desk, "tess@north.org")
    login(laptop, "tess@north.org")
    desk.post("/logout")
    assert desk.get("/patients").status_code == 302
    assert laptop.get("/patients").status_code == 200


def test_a_session_the_server_has_no_sign_in_for_is_asked_to_sign_in(app, db, therapist):
    """As a browser signed in before sign-ins were recorded: a valid user id and version, no key."""
    browser = app.test_client()
    with browser.session_transaction() as session:
        session["_user_id"] = therapist.get_id()
        session["_fresh"] = True
    response = browser.get("/patients")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_a_sign_in_lasts_while_used_and_ends_when_idle_past_the_session_hours(service_db):
    """The server's side of the session cookie: same rules on SQLite and PostgreSQL, `now` given."""
    user = make_user(service_db, make_clinic(service_db))
    idle = timedelta(hours=12)
    start = datetime(2026, 11, 21, 8, tzinfo=UTC)
    key = sign_ins.open_sign_in(service_db, user, start, idle)
    service_db.commit()

    def who(at: datetime, key: str | None = key, user_id: int = user.id, version: int = user.session_version):
        found = sign_ins.signed_in_user(service_db, user_id, version, key, at, idle)
        service_db.commit()
        return found

    assert who(start) == user
    # Used every 11 hours for two days: still signed in (each use moves last_seen_at on).
    for hours in (11, 22, 33, 44):
        assert who(start + timedelta(hours=hours)) == user
    assert who(start + timedelta(hours=44 + 13)) is None  # then idle for 13 hours
    assert who(start, key=None) is None and who(start, key="not-a-key") is None
    assert who(start + timedelta(hours=44), user_id=user.id + 1) is None  # the key is this user's only
    assert who(start + timedelta(hours=44), version=user.session_version + 1) is None


def _at(client, moment: datetime):  # noqa: ANN001, ANN202
    """The patient list asked for at `moment` (the clock stopped there for the app)."""
    with time_machine.travel(moment, tick=False):
        return client.get("/patients")


def test_the_session_cookie_is_renewed_every_few_minutes_of_use_not_on_every_page(now, app, therapist):
    browser = app.test_client()
    login(browser, "tess@north.org")
    start = datetime.now(UTC) + timedelta(seconds=1)  # the clock ticks on from `now`
    first = _at(browser, start)
    assert first.status_code == 200 and "Set-Cookie" not in first.headers  # the sign-in's cookie is new
    quiet = _at(browser, start + timedelta(minutes=2))
    assert quiet.status_code == 200 and "Set-Cookie" not in quiet.headers  # nothing new to say
    renewed = _at(browser, start + timedelta(minutes=2) + sign_ins.SEEN_EVERY)
    assert renewed.status_code == 200 and "planner_session=" in renewed.headers["Set-Cookie"]


@pytest.mark.parametrize(
    "idle, signed_in",
    [(timedelta(hours=11, minutes=50), True), (timedelta(hours=12, seconds=1), False), (timedelta(days=3), False)],
)
def test_a_session_in_use_lasts_and_ends_when_idle_for_the_session_hours(now, app, therapist, idle, signed_in):
    """12 hours (config.toml's session_hours) after the last page, whenever the cookie was renewed."""
    browser = app.test_client()
    login(browser, "tess@north.org")
    last = datetime.now(UTC)  # the clock ticks on from `now`
    # In use for a day and a half, a page every 3 to 7 minutes: never asked to sign in again.
    for step in range(1, 400):
        last += timedelta(minutes=3 + step % 5)  # the clock only goes forward
        assert _at(browser, last).status_code == 200
    later = _at(browser, last + idle)
    assert (later.status_code == 200) is signed_in
    if not signed_in:
        assert later.location.startswith("/login")


def test_pages_that_save_nothing_keep_the_session_in_use_too(now, app, db, therapist):
    """The catalog writes nothing of its own: reading it every few minutes still counts as use,
    so the sign-in's last use moves on and the session lasts past the session hours."""
    browser = app.test_client()
    login(browser, "tess@north.org")
    start = datetime.now(UTC)

    def catalog(moment: datetime):  # noqa: ANN202
        with time_machine.travel(moment, tick=False):
            return browser.get("/exercises")

    for step in range(1, 100):  # 13 hours of reading the catalog, a page every 8 minutes
        assert catalog(start + timedelta(minutes=8 * step)).status_code == 200
    db.expire_all()
    seen = db.scalars(select(SignIn.last_seen_at)).one()
    assert seen >= start + timedelta(minutes=8 * 99) - sign_ins.SEEN_EVERY
    assert catalog(start + timedelta(minutes=8 * 99 + 30)).status_code == 200


def test_signing_out_deletes_only_that_sign_in_and_idle_ones_are_cleared_away(service_db):
    clinic = make_clinic(service_db)
    tess, uma = make_user(service_db, clinic), make_user(service_db, clinic)
    idle, now = timedelta(hours=12), datetime(2026, 11, 21, 8, tzinfo=UTC)
    desk = sign_ins.open_sign_in(service_db, tess, now, idle)
    laptop = sign_ins.open_sign_in(service_db, tess, now, idle)
    sign_ins.end_sign_in(service_db, desk)
    service_db.commit()
    assert sign_ins.signed_in_user(service_db, tess.id, tess.session_version, desk, now, idle) is None
    assert sign_ins.signed_in_user(service_db, tess.id, tess.session_version, laptop, now, idle) == tess
    # A day later Uma signs in: Tess's laptop, idle since, is deleted on the way.
    sign_ins.open_sign_in(service_db, uma, now + timedelta(days=1), idle)
    service_db.commit()
    assert service_db.scalars(select(SignIn.user_id)).all() == [uma.id]


def test_the_sign_ins_migration_keeps_every_account(tmp_path):
    from sqlalchemy import text

    from planner.db import make_engine
    from planner.migrate import upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    upgrade(engine, "0001")  # the database as it was before sign-ins were recorded
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO clinics (name, address, phone, email, timezone, created_at) VALUES ('Old', '', '', '', 'UTC', '2026-01-01')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO users (clinic_id, email, name, role, password_hash, active, session_version, created_at) VALUES (1, 'old@x.org', 'Olga Old', 'admin', 'x', 1, 3, '2026-01-01')"
            )
        )
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT email, session_version FROM users")).all() == [("old@x.org", 3)]
        assert connection.execute(text("SELECT count(*) FROM sign_ins")).scalar_one() == 0
    engine.dispose()


@pytest.mark.parametrize("again", ["ΚΛΙΝΙΚΉ ΑΘΗΝΏΝ", "κλινική αθηνών", "  Κλινική   Αθηνών "])
def test_a_clinic_name_is_taken_whatever_its_case_on_both_databases(service_db, again):
    from planner.services import DomainError

    first = accounts.create_clinic(service_db, name="Κλινική Αθηνών")
    assert accounts.clinic_by_name(service_db, again).id == first.id  # `users create --clinic` finds it
    with pytest.raises(DomainError, match="already exists"):
        accounts.create_clinic(service_db, name=again)


@pytest.mark.parametrize("typed", ["Κλινική\nΑθηνών", "Κλινική \r\n\t Αθηνών", "  Κλινική Αθηνών  "])
def test_a_clinic_or_user_name_is_kept_on_one_line_whatever_was_typed(service_db, typed):
    """A name prints in the handout's header and inside an email's sentences: never split over lines."""
    clinic = accounts.create_clinic(service_db, name=typed)
    user = accounts.create_user(
        service_db, clinic, email="one@line.example", name=typed, password="a long enough password 1"
    )
    assert clinic.name == user.name == "Κλινική Αθηνών"
    accounts.update_clinic(service_db, clinic, name="North\nClinic")
    assert clinic.name == "North Clinic"
