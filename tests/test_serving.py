"""Serving: `make run`'s waitress with its embedded reminder clock, the README's gunicorn deployment
(several workers and a separate `reminders run`), and GET /healthz for the proxy and monitoring."""

from __future__ import annotations

import gc
import importlib.util
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from gunicorn.config import ControlSocket

from planner.cli.server import local_address, open_hint
from planner.db import get_session
from planner.handouts.styles import register_fonts
from planner.migrate import alembic_config, head_revision
from planner.models import Patient
from planner.scheduler import dispatch_once
from planner.services import dispatcher_runs
from tests.conftest import build_app
from tests.factories import make_clinic, make_patient
from tests.outbox_world import free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
README = ROOT / "README.md"
FAST_HASHING = "[security]\nargon2_memory_kib = 1024\nargon2_time_cost = 1\n"


def get(url: str) -> tuple[int, dict[str, str], str]:
    """Status, headers and body of a GET, 4xx and 5xx included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (a local server)
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


def wait_for(url: str, processes: list[subprocess.Popen], until=lambda status: True, seconds: float = 30):  # noqa: ANN001, ANN201
    """GET `url` until it answers with a status `until` accepts; fails when a process dies or time runs out."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            answer = get(url)
            if until(answer[0]):
                return answer
        except OSError:
            pass
        for process in processes:
            assert process.poll() is None, f"{process.args} stopped: {process.communicate()[0]}"
        assert time.monotonic() < deadline, f"{url} gave no fitting answer within {seconds} s"
        time.sleep(0.2)


def stop(process: subprocess.Popen) -> str:
    process.terminate()
    try:
        output, _ = process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def site(tmp_path: Path, config: str) -> dict[str, str]:
    (tmp_path / "site.toml").write_text(config + FAST_HASHING)
    return {**os.environ, "PLANNER_CONFIG": str(tmp_path / "site.toml"), "PLANNER_SECRET_KEY": "serving-test"}


# -- make run / flask serve ------------------------------------------------------------------------


def test_make_run_serves_with_waitress_sends_reminders_and_ends_with_the_address(tmp_path):
    """`make run` ends in `flask serve`: a production server, its own reminder clock, and last of
    all the address to open and what to do there."""
    env = site(tmp_path, f'[database]\nurl = "sqlite:///{tmp_path / "planner.sqlite3"}"\n')
    assert (
        subprocess.run([BIN / "flask", "--app", "planner", "init-db"], cwd=ROOT, env=env, check=False).returncode == 0
    )
    port = free_port()
    server = start([str(BIN / "flask"), "--app", "planner", "serve", "--port", str(port)], env)
    try:
        # 200 only once a dispatcher has run: the embedded clock of this very process.
        status, headers, body = wait_for(f"http://127.0.0.1:{port}/healthz", [server], until=lambda s: s == 200)
        assert json.loads(body)["dispatcher"]["ok"] is True
        assert headers["Server"] == "waitress"
        status, _, body = get(f"http://127.0.0.1:{port}/")
        assert status == 200 and "Set up your clinic" in body
    finally:
        output = stop(server)
    assert "development server" not in output.lower() and "warning" not in output.lower(), output
    assert output.strip().splitlines()[-1] == f"Open http://127.0.0.1:{port} to set up your clinic."


@pytest.mark.parametrize(
    "host, has_users, line",
    [
        ("127.0.0.1", False, "Open http://127.0.0.1:5000 to set up your clinic."),
        ("127.0.0.1", True, "Open http://127.0.0.1:5000 to sign in."),
        ("0.0.0.0", True, "Open http://127.0.0.1:5000 to sign in."),  # noqa: S104 (every interface)
        ("::", False, "Open http://[::1]:5000 to set up your clinic."),
        ("::1", True, "Open http://[::1]:5000 to sign in."),
        ("192.0.2.7", True, "Open http://192.0.2.7:5000 to sign in."),
    ],
)
def test_the_last_line_names_an_address_that_opens_on_this_machine(host, has_users, line):
    assert open_hint(local_address(host, 5000), has_users) == line


# -- the README's deployment -------------------------------------------------------------------------


def readme_deployment() -> list[list[str]]:
    """The command lines of the README's deployment block, as a shell would split them."""
    text = README.read_text()
    block = text.split("<!-- deployment: run by tests/test_serving.py -->", 1)[1]
    block = block.split("```sh\n", 1)[1].split("```", 1)[0]
    return [shlex.split(line) for line in block.splitlines() if line.strip().startswith(("flask ", "gunicorn "))]


def on_this_machine(args: list[str], port: int, control: Path) -> list[str]:
    """A README command with the venv's programs, 2 workers (2 cores here) and a free port; gunicorn
    with its control socket at `control`: its default is one path per user account, and a second
    gunicorn there replaces a deployment's socket and deletes it when it stops."""
    args = [str(BIN / args[0]), *args[1:]]
    for option, value in (("--workers", "2"), ("--bind", f"127.0.0.1:{port}")):
        if option in args:
            args[args.index(option) + 1] = value
    if args[0].endswith("gunicorn"):
        args += ["--control-socket", str(control)]
    return args


def socket_state(path: Path) -> tuple[int, int] | None:
    """The file at `path` (device, inode), or None: a socket replaced is another inode."""
    return (path.stat().st_dev, path.stat().st_ino) if path.exists() else None


@pytest.mark.postgres
def test_the_readme_deployment_serves_from_gunicorn_workers_with_a_separate_dispatcher(postgres, tmp_path):
    commands = readme_deployment()
    assert [args[:4] for args in commands if args[0] == "gunicorn"] == [["gunicorn", "--workers", "4", "--bind"]]
    assert ["flask", "--app", "planner", "reminders", "run"] in commands
    url = postgres.create_database(f"d_{uuid.uuid4().hex[:12]}")
    env = site(tmp_path, f'[database]\nurl = "{url}"\n[reminders]\nembedded = false\n')
    port = free_port()
    health = f"http://127.0.0.1:{port}/healthz"
    running: list[subprocess.Popen] = []
    # Short: a Unix socket's path holds 107 bytes at most, more than a pytest tmp_path may take.
    own = Path(tempfile.mkdtemp(prefix="gunicorn-"))
    control, users = own / "gunicorn.ctl", Path(ControlSocket.default)
    before = socket_state(users)
    try:
        for args in commands:
            args = on_this_machine(args, port, control)
            if args[0].endswith("gunicorn"):
                running.append(start(args, env))
                # The workers send nothing: until the dispatcher has run, the site is not healthy.
                status, _, body = wait_for(health, running)
                # Its own socket; the account's (a deployment's, perhaps) neither made nor replaced.
                assert control.is_socket() and socket_state(users) == before
                report = json.loads(body)
                assert status == 503 and report["status"] == "failing"
                assert report["database"]["ok"] and report["schema"]["ok"] and not report["dispatcher"]["ok"]
            elif args[-2:] == ["reminders", "run"]:
                running.append(start(args, env))
            else:
                done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
                assert done.returncode == 0, done.stderr
        status, _, body = wait_for(health, running, until=lambda s: s == 200)
        assert json.loads(body)["status"] == "ok"
        status, _, body = get(f"http://127.0.0.1:{port}/")
        assert status == 200 and "Set up your clinic" in body
    finally:
        outputs = [stop(process) for process in running]
        shutil.rmtree(own, ignore_errors=True)
    assert outputs[0].count("Booting worker") == 2, outputs[0]
    assert socket_state(users) == before  # the account's control socket: neither made, replaced nor removed


# -- GET /healthz ------------------------------------------------------------------------------------


def healthz(app) -> tuple[int, dict]:  # noqa: ANN001
    response = app.test_client().get("/healthz")
    assert "Set-Cookie" not in response.headers  # no session made or needed
    return response.status_code, response.get_json()


def test_healthz_is_200_once_a_dispatcher_ran_and_needs_no_account(app):
    status, report = healthz(app)  # a fresh site: no account yet, no dispatch yet
    assert status == 503
    assert report == {
        "status": "failing",
        "database": {"ok": True},
        "schema": {"ok": True, "revision": head_revision(), "newest": head_revision()},
        "dispatcher": {"ok": False, "last_run_age_seconds": None, "max_age_seconds": 600},
    }
    dispatch_once(app)
    status, report = healthz(app)
    assert status == 200 and report["status"] == "ok"
    assert report["dispatcher"]["ok"] and 0 <= report["dispatcher"]["last_run_age_seconds"] < 60


def test_healthz_shows_no_patient_data(app):
    with app.app_context():
        db = get_session()
        clinic = make_clinic(db, "Ελληνική Κλινική")
        make_patient(db, clinic, name="Ζωή Παπαδοπούλου", email="zoe@example.org")
        assert db.query(Patient).count() == 1
    dispatch_once(app)
    response = app.test_client().get("/healthz")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    for private in ("Ζωή", "zoe@", "Κλινική", "Zo\\u0", "\\u0396"):
        assert private not in body


def test_healthz_is_503_when_reminders_have_stopped(app):
    with app.app_context():
        now = datetime.now(UTC)
        dispatcher_runs.record(get_session(), "gone:1", now - timedelta(minutes=12), now - timedelta(minutes=11), 3, 0)
    status, report = healthz(app)
    assert status == 503 and not report["dispatcher"]["ok"]
    assert 660 <= report["dispatcher"]["last_run_age_seconds"] < 700
    assert report["database"]["ok"] and report["schema"]["ok"]


def test_healthz_is_503_when_the_schema_is_behind(tmp_path):
    app = build_app(tmp_path)  # migrated to the newest, then taken back to the previous release
    with app.extensions["db_engine"].begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    status, report = healthz(app)
    app.extensions["db_engine"].dispose()
    assert status == 503
    assert report["schema"] == {"ok": False, "revision": "0001", "newest": head_revision()}
    assert report["database"]["ok"] and not report["dispatcher"]["ok"]


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path):
    from planner import create_app

    app = create_app(
        {"TESTING": True, "SECRET_KEY": "test", "PLANNER": {"database": {"url": f"sqlite:///{tmp_path}/missing/x.db"}}},
        instance_path=str(tmp_path / "instance"),
    )
    status, report = healthz(app)
    assert status == 503
    assert report["database"] == {"ok": False} and report["schema"]["ok"] is False
    assert report["dispatcher"]["ok"] is False


def test_a_gunicorn_worker_has_every_template_compiled_before_its_first_request(app, client, monkeypatch):
    """gunicorn.conf.py's post_worker_init warms the worker (planner/web/warm.py): after it, the
    first page (here the first-run setup form) renders without reading or compiling a template, and
    the handout's fonts are registered."""
    from flask import Flask

    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "gunicorn.conf.py")
    assert spec is not None and spec.loader is not None
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)

    class Worker:
        wsgi: Flask = app

    register_fonts.cache_clear()  # as in a new worker, whatever this test process drew before
    conf.post_worker_init(Worker())
    gc.unfreeze()  # the hook froze the test process's objects; give them back to the collector
    loader = app.jinja_env.loader
    assert loader is not None
    assert len(app.jinja_env.cache or {}) == len(loader.list_templates()) > 90

    def no_source(*_args: object) -> None:
        raise AssertionError("a template was read after the worker was warmed")

    assert register_fonts.cache_info().currsize == 1
    monkeypatch.setattr(loader, "get_source", no_source)
    monkeypatch.setattr(loader, "load", no_source)
    page = client.get("/login", follow_redirects=True)
    assert page.status_code == 200 and "<form" in page.get_data(as_text=True)
