"""Serve the app from a thread and drive Debian's chromium with Playwright."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.factories import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); browser tests skipped")


@contextmanager
def served(app) -> Iterator[str]:  # noqa: ANN001
    """The app on a free local port; pytest-flask's live_server breaks on newer Pythons."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


@contextmanager
def launched() -> Iterator:
    """Debian's chromium, started once for as many pages and contexts as the caller opens."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def page_on(browser, viewport: dict | None = None, javascript: bool = True) -> Iterator:  # noqa: ANN001
    """A page in a context of its own on `browser` (conftest's `chromium`, one a module): its own
    cookies, storage, screen size and JavaScript setting, closed after. A chromium costs about
    1.5 s of CPU to start; a context a few hundredths."""
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900}, java_script_enabled=javascript)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@contextmanager
def browser_page(viewport: dict | None = None, javascript: bool = True) -> Iterator:
    """page_on a chromium started for this page alone: for a module with one browser test
    among others (conftest's `chromium` keeps Playwright's loop running to the module's end)."""
    with launched() as browser, page_on(browser, viewport, javascript) as page:
        yield page


def sign_in(page, base: str, email: str, password: str = PASSWORD) -> None:  # noqa: ANN001
    """Sign in at `base` through the real form, as a therapist does (factories' users share PASSWORD)."""
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def screenshot(page, name: str) -> Path:  # noqa: ANN001
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path
