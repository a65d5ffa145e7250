"""CSRF, security headers, cookies and friendly error pages."""

from __future__ import annotations

from tests.conftest import build_app, csrf_token, login
from tests.factories import make_clinic, make_user


def test_post_without_csrf_token_is_refused(csrf_app):
    session = csrf_app.extensions["db_sessionmaker"]()
    clinic = make_clinic(session)
    make_user(session, clinic, email="t@c.org")
    client = csrf_app.test_client()
    response = client.post("/login", data={"email": "t@c.org", "password": "a long test password"})
    assert response.status_code == 400
    assert "The form had expired or came from elsewhere" in response.get_data(as_text=True)
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"email": "t@c.org", "password": "a long test password", "csrf_token": token})
    assert response.status_code == 302
    assert client.post("/patients/new", data={"name": "No Token", "language": "en"}).status_code == 400
    assert client.post("/logout").status_code == 400


def test_setup_form_needs_csrf_too(csrf_app):
    assert csrf_app.test_client().post("/setup", data={"clinic_name": "X"}).status_code == 400


def test_security_headers_on_every_page(client, db):
    make_user(db, make_clinic(db), email="t@c.org")
    for path in ["/login", "/nope"]:
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"


def test_session_cookie_is_secure_httponly_samesite(client, db):
    make_user(db, make_clinic(db), email="t@c.org")
    response = login(client, "t@c.org")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_error_pages_are_friendly(tmp_path):
    app = build_app(tmp_path)

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    db = app.extensions["db_sessionmaker"]()
    make_user(db, make_clinic(db), email="t@c.org")
    client = app.test_client()
    html = client.get("/no/such/page").get_data(as_text=True)
    assert "Page not found" in html and "Traceback" not in html
    login(client, "t@c.org")
    response = client.get("/boom")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)
    assert "kaboom" not in response.get_data(as_text=True)


def test_debug_is_off_by_default(app):
    assert app.debug is False
