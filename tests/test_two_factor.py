"""Two-factor sign-in: codes from an authenticator app (RFC 6238), recovery codes, throttling, and
the administrator's requirement. The service tests move the clock; the page tests use the real one."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select, text

from planner.db import make_engine
from planner.migrate import upgrade
from planner.models import Clinic, LoginAttempt, RecoveryCode, TwoFactor, User
from planner.services import DomainError, accounts
from planner.services import two_factor as service
from planner.services.accounts import SignInRefused
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, make_clinic, make_user

NOW = datetime(2026, 11, 21, 9, 0, 10, tzinfo=UTC)  # 10 seconds into a 30-second step
KEY = "the server's secret key"
THROTTLE = accounts.Throttle(max_per_account=5, max_per_address=20, window=timedelta(minutes=15))


def enrol(db, user, now=NOW, key=KEY):  # noqa: ANN001, ANN201
    """Set up two-factor sign-in for the user as the pages do; returns (secret, recovery codes)."""
    enrolment = service.start_enrolment(db, user, key, now)
    codes = service.confirm_enrolment(db, user, service.code_at(enrolment.secret, now), key, now)
    db.commit()
    return enrolment.secret, codes


def second_step(db, user, code, now, key=KEY, address="10.0.0.1"):  # noqa: ANN001, ANN201
    return service.check_sign_in_code(db, user, code, key, address, now, THROTTLE)


def answered(db, user, code: str, accepted: bool) -> None:  # noqa: ANN001
    """The second step signs in with `code` as the app's code, or refuses it as not right."""
    if accepted:
        assert second_step(db, user, code, NOW).kind == "app"
    else:
        with pytest.raises(SignInRefused, match="not right"):
            second_step(db, user, code, NOW)


# ---- the service ---------------------------------------------------------------------------


def test_enrolment_needs_a_code_from_the_key_and_gives_ten_recovery_codes(service_db):
    db = service_db
    user = make_user(db, make_clinic(db))
    enrolment = service.start_enrolment(db, user, KEY, NOW)
    assert enrolment.uri.startswith("otpauth://totp/Home%20Exercise%20Planner:")
    assert pyotp.parse_uri(enrolment.uri).secret == enrolment.secret
    # A reload of the page shows the same key, and nothing is on until a code matches.
    assert service.start_enrolment(db, user, KEY, NOW + timedelta(minutes=3)).secret == enrolment.secret
    assert not service.enrolled(db, user)
    with pytest.raises(DomainError, match="does not match") as refused:
        service.confirm_enrolment(db, user, "123456", KEY, NOW)
    assert refused.value.field == "code"
    codes = service.confirm_enrolment(db, user, service.code_at(enrolment.secret, NOW), KEY, NOW)
    db.commit()
    assert service.enrolled(db, user) and service.enrolled_since(db, user) == NOW
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(len(code) == 19 and code.count("-") == 3 for code in codes)
    with pytest.raises(DomainError, match="already set up"):
        service.start_enrolment(db, user, KEY, NOW)


@pytest.mark.parametrize(
    ("code_made", "accepted"),
    [
        (NOW - timedelta(seconds=60), False),  # two steps old
        (NOW - timedelta(seconds=30), True),  # one step old: the phone's clock is a little behind
        (NOW, True),
        (NOW + timedelta(seconds=30), True),  # one step ahead
        (NOW + timedelta(seconds=60), False),
    ],
)
def test_a_code_is_accepted_from_one_step_before_to_one_step_after(db, code_made, accepted):
    user = make_user(db, make_clinic(db))
    secret, _ = enrol(db, user, now=NOW - timedelta(minutes=5))
    code = service.code_at(secret, code_made)
    answered(db, user, code, accepted)


def test_a_code_works_once_and_an_older_one_never_after_it(db):
    user = make_user(db, make_clinic(db))
    secret, _ = enrol(db, user, now=NOW - timedelta(minutes=5))
    code = service.code_at(secret, NOW)
    second_step(db, user, code, NOW)
    with pytest.raises(SignInRefused, match="used already"):
        second_step(db, user, code, NOW + timedelta(seconds=5))  # seen over a shoulder, replayed
    # The next step's code is used; the previous step's, still inside the window, is then refused.
    later = NOW + timedelta(seconds=30)
    second_step(db, user, service.code_at(secret, later), later)
    with pytest.raises(SignInRefused):
        second_step(db, user, service.code_at(secret, NOW), later)
    assert db.scalars(select(TwoFactor.last_step).where(TwoFactor.user_id == user.id)).one() == int(
        later.timestamp() // 30
    )


def test_the_code_that_switched_it_on_does_not_also_sign_in(db):
    user = make_user(db, make_clinic(db))
    secret, _ = enrol(db, user, now=NOW)
    with pytest.raises(SignInRefused):
        second_step(db, user, service.code_at(secret, NOW), NOW + timedelta(seconds=10))


def test_wrong_codes_count_as_failed_sign_ins(service_db):
    db = service_db
    user = make_user(db, make_clinic(db))
    secret, _ = enrol(db, user, now=NOW - timedelta(minutes=5))
    for n in range(5):
        with pytest.raises(SignInRefused, match="not right"):
            second_step(db, user, f"00000{n}", NOW)
    assert db.scalar(select(LoginAttempt.success).where(LoginAttempt.email == user.email)) is False
    # The right code is refused now, and so is the right password: one limit for both steps.
    with pytest.raises(SignInRefused, match="Too many failed sign-ins"):
        second_step(db, user, service.code_at(secret, NOW), NOW)
    with pytest.raises(SignInRefused, match="Too many failed sign-ins"):
        accounts.authenticate(db, user.email, PASSWORD, "10.0.0.1", NOW, THROTTLE)
    after = NOW + timedelta(minutes=16)
    assert second_step(db, user, service.code_at(secret, after), after).kind == "app"


def test_wrong_codes_from_one_address_are_limited_across_accounts(db):
    clinic = make_clinic(db)
    users = [make_user(db, clinic) for _ in range(4)]
    for user in users:
        enrol(db, user, now=NOW - timedelta(minutes=5))
    tight = accounts.Throttle(max_per_account=5, max_per_address=3)
    for user in users[:3]:
        with pytest.raises(SignInRefused, match="not right"):
            service.check_sign_in_code(db, user, "999999", KEY, "10.9.9.9", NOW, tight)
    with pytest.raises(SignInRefused, match="Too many"):
        service.check_sign_in_code(db, users[3], "999999", KEY, "10.9.9.9", NOW, tight)


DIGIT_SCRIPTS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")  # Arabic-Indic
WIDE = str.maketrans("0123456789", "０１２３４５６７８９")  # full-width, from an East Asian keyboard


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [
        (lambda c: c, True),
        (lambda c: f" {c[:3]} {c[3:]} ", True),  # as many apps show it
        (lambda c: c.translate(DIGIT_SCRIPTS), True),
        (lambda c: c.translate(WIDE), True),
        (lambda c: c[:5], False),
        (lambda c: c + "0", False),
        (lambda c: "", False),
        (lambda c: "x" * 40, False),
        (lambda c: "ΑΒΓΔ-ЖЗИЙ-中文字符-שלום", False),
        (lambda c: "²³⁴⁵⁶⁷", False),  # digits, but not decimal ones
    ],
)
def test_codes_as_typed_on_any_keyboard(db, typed, accepted):
    user = make_user(db, make_clinic(db))
    secret, _ = enrol(db, user, now=NOW - timedelta(minutes=5))
    code = typed(service.code_at(secret, NOW))
    answered(db, user, code, accepted)


def test_recovery_codes_are_stored_hashed_and_each_works_once(db):
    user = make_user(db, make_clinic(db))
    _, codes = enrol(db, user)
    stored = set(db.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)))
    assert stored == {hashlib.sha256(code.replace("-", "").encode()).hexdigest() for code in codes}
    # Typed as people type them: capitals, spaces for dashes, an O for a zero.
    typed = codes[0].upper().replace("-", " ").replace("0", "O")
    used = second_step(db, user, typed, NOW)
    assert (used.kind, used.recovery_left) == ("recovery", 9)
    with pytest.raises(SignInRefused, match="used already"):
        second_step(db, user, codes[0], NOW + timedelta(seconds=1))
    assert second_step(db, user, codes[1].replace("-", ""), NOW + timedelta(seconds=2)).recovery_left == 8
    other = make_user(db, user.clinic)
    enrol(db, other)
    with pytest.raises(SignInRefused):  # one person's code opens nobody else's account
        second_step(db, other, codes[2], NOW + timedelta(seconds=3))


def test_new_recovery_codes_replace_the_old_ones_after_the_password(db):
    user = make_user(db, make_clinic(db))
    _, old = enrol(db, user)
    with pytest.raises(DomainError, match="password is not right"):
        service.new_recovery_codes(db, user, "not my password", NOW)
    new = service.new_recovery_codes(db, user, PASSWORD, NOW)
    db.commit()
    assert not set(new) & set(old)
    with pytest.raises(SignInRefused):
        second_step(db, user, old[0], NOW)
    assert second_step(db, user, new[0], NOW + timedelta(seconds=1)).recovery_left == 9


def test_the_key_is_stored_encrypted_and_a_new_secret_key_leaves_the_recovery_codes(db):
    user = make_user(db, make_clinic(db))
    secret, codes = enrol(db, user, now=NOW - timedelta(minutes=5))
    stored = db.scalars(select(TwoFactor.secret_encrypted).where(TwoFactor.user_id == user.id)).one()
    assert secret not in stored and secret.lower() not in stored.lower()
    # The operator changes PLANNER_SECRET_KEY: the app's codes can no longer be checked…
    with pytest.raises(SignInRefused, match="secret key changed"):
        second_step(db, user, service.code_at(secret, NOW), NOW, key="a new secret key")
    # …but a recovery code signs in, and the user sets up the app again under the new key.
    assert second_step(db, user, codes[0], NOW, key="a new secret key").kind == "recovery"
    service.turn_off(db, user, PASSWORD)
    new_secret, _ = enrol(db, user, now=NOW + timedelta(minutes=1), key="a new secret key")
    later = NOW + timedelta(minutes=2)
    assert second_step(db, user, service.code_at(new_secret, later), later, key="a new secret key").kind == "app"


def test_turning_off_needs_the_password_and_signs_out_where_required(db):
    clinic = make_clinic(db)
    user = make_user(db, clinic)
    enrol(db, user)
    with pytest.raises(DomainError, match="password is not right"):
        service.turn_off(db, user, "wrong")
    version = user.session_version
    assert service.turn_off(db, user, PASSWORD) is False
    assert not service.enrolled(db, user) and user.session_version == version
    assert db.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all() == []
    enrol(db, user)
    clinic.require_two_factor = True
    assert service.turn_off(db, user, PASSWORD) is True
    assert user.session_version == version + 1


def test_requiring_it_signs_out_everyone_without_it_and_needs_the_admin_first(db):
    clinic = make_clinic(db)
    admin = make_user(db, clinic, role="admin")
    with_it, without = make_user(db, clinic), make_user(db, clinic)
    with pytest.raises(DomainError, match="for yourself first"):
        service.set_requirement(db, admin, clinic, True)
    enrol(db, admin)
    enrol(db, with_it)
    versions = {u.id: u.session_version for u in (admin, with_it, without)}
    assert service.set_requirement(db, admin, clinic, True) == [without]
    assert [u.session_version - versions[u.id] for u in (admin, with_it, without)] == [0, 0, 1]
    assert service.needs_enrolment(db, without) and not service.needs_enrolment(db, with_it)
    assert service.set_requirement(db, admin, clinic, False) == []
    assert not service.needs_enrolment(db, without)


def test_migration_keeps_clinics_and_requires_nothing_of_them(tmp_path):
    """A database of the release before (0001) with a clinic in it: after 0009 the clinic is there, not requiring it."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")  # foreign keys on, as the app runs it
    upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO clinics (name, address, phone, email, timezone, created_at) "
                "VALUES ('Kept Clinic', '', '', '', 'UTC', '2026-01-01 00:00:00')"
            )
        )
        # A user points at the clinic: the column must be added in place, never by copying the table.
        connection.execute(
            text(
                "INSERT INTO users (clinic_id, email, name, role, password_hash, active, session_version, created_at) "
                "VALUES (1, 'kept@clinic.org', 'Kept', 'admin', 'x', 1, 1, '2026-01-01 00:00:00')"
            )
        )
    upgrade(engine)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT name, require_two_factor FROM clinics")).all()
        users = connection.execute(text("SELECT email, clinic_id FROM users")).all()
    assert [tuple(r) for r in rows] == [("Kept Clinic", 0)]
    assert [tuple(u) for u in users] == [("kept@clinic.org", 1)]
    engine.dispose()


# ---- the pages -----------------------------------------------------------------------------


def now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def people(app, db):
    clinic = make_clinic(db, "North Clinic")
    admin = make_user(db, clinic, role="admin", email="admin@north.org", name="Ada Admin")
    tess = make_user(db, clinic, email="tess@north.org", name="Tess Therapist")
    return clinic, admin, tess


def enrol_now(app, db, user):  # noqa: ANN001, ANN201
    """Enrol with the app's own secret key at the real time; the enrolment's code is then spent."""
    return enrol(db, user, now=now(), key=app.secret_key)


def test_sign_in_asks_for_the_code_and_is_not_signed_in_before_it(app, client, db, people):
    _, _, tess = people
    secret, _ = enrol_now(app, db, tess)
    response = client.post("/login?next=/patients/new", data={"email": "tess@north.org", "password": PASSWORD})
    assert response.status_code == 302 and response.location == "/login/code"
    # Half-way is not signed in: no page, no API, no account page.
    for path in ["/patients", "/account/two-factor", "/account/tokens", "/"]:
        assert client.get(path).status_code == 302, path
    assert client.get("/api/v1/exercises").status_code == 401
    assert "Code from your phone" in client.get("/login/code").get_data(as_text=True)

    html = client.post("/login/code", data={"code": "000000"}).get_data(as_text=True)
    assert "That code is not right" in html
    assert client.get("/patients").status_code == 302
    response = client.post("/login/code", data={"code": service.code_at(secret, now() + timedelta(seconds=30))})
    assert response.status_code == 302 and response.location == "/patients/new"
    assert client.get("/patients").status_code == 200
    assert client.get("/login/code").status_code == 302  # nothing half-way any more


def test_a_half_way_sign_in_ends_after_ten_minutes_or_a_password_change(app, client, db, people):
    _, _, tess = people
    secret, _ = enrol_now(app, db, tess)
    login(client, "tess@north.org")
    with client.session_transaction() as browser:
        note = browser["two_factor_pending"]
        browser["two_factor_pending"] = {**note, "at": note["at"] - 11 * 60}
    response = client.post("/login/code", data={"code": service.code_at(secret, now() + timedelta(seconds=30))})
    assert response.location == "/login" and client.get("/patients").status_code == 302

    login(client, "tess@north.org")
    accounts.change_password(db, db.get(User, tess.id), PASSWORD, "another long password")
    db.commit()
    response = client.post("/login/code", data={"code": service.code_at(secret, now() + timedelta(seconds=30))})
    assert response.location == "/login" and client.get("/patients").status_code == 302


def test_wrong_codes_on_the_page_lock_the_account_like_wrong_passwords(app, client, db, people):
    _, _, tess = people
    secret, _ = enrol_now(app, db, tess)
    login(client, "tess@north.org")
    for _ in range(5):
        client.post("/login/code", data={"code": "123456"})
    html = client.post("/login/code", data={"code": service.code_at(secret, now() + timedelta(seconds=30))}).get_data(
        as_text=True
    )
    assert "Too many failed sign-ins. Wait 15 minutes" in html
    assert client.get("/patients").status_code == 302
    assert "Too many failed sign-ins" in login(app.test_client(), "tess@north.org").get_data(as_text=True)


def test_a_recovery_code_signs_in_and_says_how_many_are_left(app, client, db, people):
    _, _, tess = people
    _, codes = enrol_now(app, db, tess)
    login(client, "tess@north.org")
    response = client.post("/login/code", data={"code": codes[3]}, follow_redirects=True)
    assert "You used a recovery code. 9 are left." in response.get_data(as_text=True)
    assert client.get("/patients").status_code == 200


def test_therapist_sets_it_up_from_the_account_page(app, client, db, people):
    _, _, tess = people
    login(client, "tess@north.org")
    assert "Set up two-factor sign-in" in client.get("/account/two-factor").get_data(as_text=True)
    html = client.get("/account/two-factor/enrol").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in html and "QR code for your authenticator app" in html
    secret = db.scalars(select(TwoFactor).where(TwoFactor.user_id == tess.id)).one()
    key = service._decrypt(secret, app.secret_key)
    assert " ".join(key[i : i + 4] for i in range(0, 32, 4)) in html  # the text beside the QR code
    assert "does not match" in client.post("/account/two-factor/enrol", data={"code": "12"}).get_data(as_text=True)
    html = client.post("/account/two-factor/enrol", data={"code": service.code_at(key, now())}).get_data(as_text=True)
    assert "Your recovery codes" in html and "not shown again" in html
    assert html.count("<li><code>") == 10
    assert "10 of your recovery codes are unused" in client.get("/account/two-factor").get_data(as_text=True)
    assert client.get("/account/two-factor/enrol").status_code == 302  # no second set-up over the first

    # New codes and turning off both ask for the password, with the message at the field.
    html = client.post("/account/two-factor/recovery-codes", data={"codes-password": "wrong"}).get_data(as_text=True)
    assert 'id="codes-password-error">The password is not right.' in html
    html = client.post("/account/two-factor/recovery-codes", data={"codes-password": PASSWORD}).get_data(as_text=True)
    assert html.count("<li><code>") == 10
    response = client.post("/account/two-factor/turn-off", data={"off-password": PASSWORD})
    assert response.location == "/account/two-factor"
    assert login(app.test_client(), "tess@north.org").location == "/"  # the password alone again


def test_the_clinic_requirement_sends_people_to_set_up_and_nowhere_else(app, db, people):
    clinic, admin, tess = people
    boss, therapist = app.test_client(), app.test_client()
    login(therapist, "tess@north.org")
    login(boss, "admin@north.org")
    html = boss.post("/admin/two-factor", data={"required": "y"}).get_data(as_text=True)
    assert "Set up two-factor sign-in for yourself first." in html
    enrol_now(app, db, db.get(User, admin.id))
    assert boss.post("/admin/two-factor", data={"required": "y"}).status_code == 302
    assert "set it up at their next sign-in: Tess Therapist." in boss.get("/admin/two-factor").get_data(as_text=True)
    db.expire_all()
    assert db.get(Clinic, clinic.id).require_two_factor
    assert therapist.get("/patients").status_code == 302  # Tess's open session ended

    # Her next sign-in leads to the set-up page, and nothing else opens before it is done.
    response = login(therapist, "tess@north.org")
    assert response.location == "/login/enrol"
    assert "Your clinic requires a code" in therapist.get("/login/enrol").get_data(as_text=True)
    for path in ["/patients", "/account/tokens", "/account/two-factor", "/admin/users"]:
        assert therapist.get(path).status_code == 302, path
    key = service._decrypt(db.scalars(select(TwoFactor).where(TwoFactor.user_id == tess.id)).one(), app.secret_key)
    html = therapist.post("/login/enrol", data={"code": service.code_at(key, now())}).get_data(as_text=True)
    assert "Your recovery codes" in html
    assert therapist.get("/patients").status_code == 200

    # Turning it off where it is required signs her out, to set up a new phone.
    response = therapist.post("/account/two-factor/turn-off", data={"off-password": PASSWORD})
    assert response.location == "/login"
    assert login(therapist, "tess@north.org").location == "/login/enrol"


def test_admin_resets_a_lost_phone(app, db, people):
    _, admin, tess = people
    enrol_now(app, db, tess)
    therapist = app.test_client()
    login(therapist, "tess@north.org")
    boss = app.test_client()
    login(boss, "admin@north.org")
    assert "On since" in boss.get("/admin/two-factor").get_data(as_text=True)
    assert boss.post(f"/admin/users/{tess.id}/two-factor/reset").status_code == 302
    assert "Not set up" in boss.get("/admin/two-factor").get_data(as_text=True)
    assert therapist.get("/login/code").status_code == 302  # the half-way sign-in ended with her sessions
    assert login(app.test_client(), "tess@north.org").location == "/"  # the password alone, until she sets it up
    boss.post(f"/admin/users/{admin.id}/two-factor/reset")
    assert "Use your own Two-factor sign-in page" in boss.get("/admin/two-factor").get_data(as_text=True)


def test_therapists_cannot_open_the_clinic_two_factor_page(client, people):
    _, admin, _ = people
    login(client, "tess@north.org")
    assert client.get("/admin/two-factor").status_code == 403
    assert client.post("/admin/two-factor", data={"required": "y"}).status_code == 403
    assert client.post(f"/admin/users/{admin.id}/two-factor/reset").status_code == 403


def test_the_code_forms_need_their_csrf_token(csrf_app):
    db = csrf_app.extensions["db_sessionmaker"]()
    user = make_user(db, make_clinic(db), email="c@c.org")
    enrol(db, user, now=now(), key=csrf_app.secret_key)
    client = csrf_app.test_client()
    token = csrf_token(client, "/login")
    client.post("/login", data={"email": "c@c.org", "password": PASSWORD, "csrf_token": token})
    assert client.post("/login/code", data={"code": "123456"}).status_code == 400
    db.close()
