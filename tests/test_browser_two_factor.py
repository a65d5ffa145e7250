"""In a real browser: set up two-factor sign-in from the key written beside the QR code, sign out,
and sign in again with the password and a code from the app."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from playwright.sync_api import expect

from tests.browser import browser_page, screenshot, served, sign_in
from tests.conftest import build_app
from tests.factories import PASSWORD, make_clinic, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbar-tools (zbarimg) is not installed: cannot scan"),
]


def test_enrol_then_sign_in_with_a_code(tmp_path):
    app = build_app(tmp_path, csrf=True)  # CSRF on, as in production
    db = app.extensions["db_sessionmaker"]()
    make_user(db, make_clinic(db, "Lakeside Physio"), email="dana@lakeside.org", name="Dana Okafor")
    db.close()
    with served(app) as base, browser_page() as page:
        sign_in(page, base, "dana@lakeside.org")

        page.get_by_role("link", name="Dana Okafor").click()
        page.get_by_role("link", name="Two-factor sign-in").click()
        page.get_by_role("link", name="Set up two-factor sign-in").click()
        qr = page.get_by_role("img", name="QR code for your authenticator app")
        expect(qr).to_be_visible()  # waits for the page the click opened
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
        key = page.locator("#totp-key").inner_text().replace(" ", "")
        # The QR code, scanned off the screen, carries the same key as the text beside it.
        qr.screenshot(path=str(tmp_path / "qr.png"))
        scanned = subprocess.run(["zbarimg", "-q", "--raw", str(tmp_path / "qr.png")], capture_output=True, text=True)
        assert pyotp.parse_uri(scanned.stdout.strip()).secret == key
        app_on_phone = pyotp.TOTP(key)
        screenshot(page, "two-factor-enrol.png")
        page.get_by_label("Code from the app").fill(app_on_phone.now())
        page.get_by_role("button", name="Turn on two-factor sign-in").click()
        expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
        expect(page.locator("ol.recovery-codes li")).to_have_count(10)
        screenshot(page, "two-factor-recovery-codes.png")
        page.get_by_role("link", name="I have kept my codes: continue").click()
        expect(page.get_by_text("On since")).to_be_visible()

        page.get_by_role("button", name="Sign out").click()
        page.get_by_label("Email").fill("dana@lakeside.org")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Code from your phone")).to_be_visible()
        expect(page.get_by_role("button", name="Sign out")).to_be_hidden()  # not signed in yet
        # The code that turned it on is spent; the app's next one is what a person would type.
        page.get_by_label("Code", exact=True).fill(app_on_phone.at(datetime.now(UTC) + timedelta(seconds=30)))
        screenshot(page, "two-factor-code.png")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        page.goto(base + "/patients")
        expect(page.get_by_role("heading", name="Patients")).to_be_visible()
    app.extensions["db_engine"].dispose()
