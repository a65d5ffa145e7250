"""No secret token in any log line: every `<secret:…>` route, real servers, real log output."""

from __future__ import annotations

import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from planner.services import calendar_feed, patient_links
from tests.browser import served
from tests.factories import make_clinic, make_patient, make_user
from tests.outbox_world import free_port

FAKE = "Zq7fakeButCouldBeReal0123456789"  # a mistyped or revoked token is hidden too
SECRET_NAMES = re.compile(r"token|secret|key|nonce", re.IGNORECASE)


def secret_routes(app):  # noqa: ANN001, ANN201
    return [r for r in app.url_map.iter_rules() if "<secret:" in r.rule]


def url_with(rule, token: str) -> str:  # noqa: ANN001
    return re.sub(r"<secret:\w+>", token, rule.rule)


def fetch(url: str, method: str = "GET") -> int:
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)  # noqa: S310
    try:
        with urllib.request.urlopen(request) as response:  # noqa: S310 (a local test server)
            return response.status
    except urllib.error.HTTPError as e:
        return e.code


def test_every_secret_argument_of_a_url_is_declared_secret(app):
    """A route whose argument is named like a secret must say <secret:…>, or the logs would show it."""
    undeclared = [
        (r.rule, name)
        for r in app.url_map.iter_rules()
        for name in r.arguments
        # A name ending in _id is a row's number (an API token's, say), which the logs may show.
        if SECRET_NAMES.search(name) and not name.endswith("_id") and f"<secret:{name}>" not in r.rule
    ]
    assert not undeclared
    assert {r.endpoint for r in secret_routes(app)} >= {"portal.page", "portal.tick", "reminders.feed"}


def test_no_secret_reaches_the_development_servers_request_log(catalog_app, catalog_db, caplog, now):
    clinic = make_clinic(catalog_db, "Log Clinic", timezone="UTC")
    therapist = make_user(catalog_db, clinic, email="t@log.org")
    patient = make_patient(catalog_db, clinic, "Lena Log")
    _link, link_token = patient_links.create_link(catalog_db, patient, catalog_app.config["SECRET_KEY"], now)
    feed_token = calendar_feed.create_feed(catalog_db, therapist, now)
    catalog_db.commit()
    caplog.set_level(logging.INFO, logger="werkzeug")
    answers = set()
    with served(catalog_app) as base:
        for rule in secret_routes(catalog_app):
            for token in (link_token, feed_token, FAKE):
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    answers.add(fetch(base + url_with(rule, token), method))
        # A fixed page beside a secret one stays readable in the log.
        fetch(base + "/calendar/new", "POST")
        answers.add(fetch(f"{base}/p/{link_token}/not-a-page"))  # no route, still the patient's secret
    assert {200, 404} <= answers  # real tokens opened their pages; wrong ones did not
    for token in (link_token, feed_token, FAKE):
        assert token not in caplog.text
    assert "GET /p/[token] HTTP/1.1" in caplog.text and "GET /calendar/[token] HTTP/1.1" in caplog.text
    assert "GET /p/[token]/not-a-page HTTP/1.1" in caplog.text
    assert "POST /calendar/new HTTP/1.1" in caplog.text


@pytest.mark.skipif(shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None, reason="no gunicorn")
def test_no_secret_reaches_gunicorns_access_or_error_log_even_when_a_request_fails(tmp_path):
    """gunicorn with its access log on; the database has no tables, so each request fails and is logged
    by Flask as "Exception on <path>" into gunicorn's error log."""
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "empty.sqlite3"}"\n', encoding="utf-8")
    access, errors, port = tmp_path / "access.log", tmp_path / "error.log", free_port()
    env = {**os.environ, "PLANNER_CONFIG": str(config), "PLANNER_SECRET_KEY": "gunicorn-test"}
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--access-logfile",
            str(access),
            "--error-logfile",
            str(errors),
            "--graceful-timeout",
            "2",
            # gunicornc's control socket is one path per user account: this server's would replace
            # (and on stopping, remove) a deployment's, or test_serving's check that it stays put.
            "--no-control-socket",
            # the usual atoms, and the path and query on their own
            "--access-logformat",
            '%(h)s "%(r)s" %(s)s path=%(U)s query=%(q)s',
            f"planner:create_app(instance_path={str(tmp_path / 'instance')!r})",
        ],
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        # Until gunicorn listens (then a request waits for its worker), as long as it runs: a fixed
        # number of tries gave up on a gunicorn slow to start on a loaded machine. The time only guards a hang.
        deadline = time.monotonic() + 600
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=5).close()
                break
            except OSError:
                assert server.poll() is None, "gunicorn stopped"
                assert time.monotonic() < deadline, "gunicorn never listened"
                time.sleep(0.1)
        codes = [fetch(f"{base}/p/{FAKE}?day=2026-01-05"), fetch(f"{base}/calendar/{FAKE}.ics")]
    finally:
        server.terminate()
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:  # a gunicorn slow to stop on a loaded machine
            server.kill()
            server.wait()
    assert codes == [500, 500]
    access_log, error_log = access.read_text(encoding="utf-8"), errors.read_text(encoding="utf-8")
    assert FAKE not in access_log and FAKE not in error_log
    assert '"GET /p/[token]?day=2026-01-05 HTTP/1.1" 500 path=/p/[token]' in access_log
    assert "path=/calendar/[token]" in access_log
    assert "Exception on /p/[token] [GET]" in error_log
    assert "Exception on /calendar/[token] [GET]" in error_log
