"""bench/pages.py's soak names a crash and counts each worker death once (trial 15 F4: the workers'
stderr went to /dev/null, so faulthandler's stack was lost, and one death counted as two).

A tiny app, served by the bench's own serve() with gunicorn, segfaults in a worker for real."""

from __future__ import annotations

import contextlib
import importlib.util
import socket
import subprocess
import sys
import time
import urllib.request

from planner.config import ROOT

CRASHING_APP = """
import ctypes
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello"


@app.get("/crash")
def read_address_zero():
    return ctypes.string_at(0)  # a segmentation fault in the worker
"""


def bench_pages():  # noqa: ANN201
    spec = importlib.util.spec_from_file_location("bench_pages", ROOT / "bench" / "pages.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_pages", module)
    spec.loader.exec_module(module)
    return module


def test_a_worker_that_segfaults_is_one_death_with_its_python_stack_kept(tmp_path):
    pages = bench_pages()
    (tmp_path / "crashing_app.py").write_text(CRASHING_APP)
    server = pages.serve("crashing", "crashing_app:app", tmp_path, workers=1, pythonpath=tmp_path)
    try:
        assert server.worker_deaths() == 0
        with contextlib.suppress(OSError):  # the worker dies under the request
            urllib.request.urlopen(f"http://127.0.0.1:{server.port}/crash", timeout=20)
        deadline = time.time() + 600  # a guard against a hang only: the condition ends the wait
        while time.time() < deadline and server.log.read_text().count("Booting worker") < 2:
            time.sleep(0.2)  # until gunicorn has seen the death and booted a worker in its place
        assert "SIGSEGV" in server.log.read_text()
        assert server.worker_deaths() == 1  # its signal line and its replacement: one death
        assert len(server.worker_trouble()) >= 1
        stack = server.stderr_tail()
        assert "Fatal Python error: Segmentation fault" in stack
        assert "in read_address_zero" in stack  # the crash is named down to the function
        assert server.stderr.name == "gunicorn-crashing.stderr"
    finally:
        server.stop()


def test_the_bench_leaves_the_control_socket_of_a_gunicorn_beside_it_alone(tmp_path, monkeypatch):
    """gunicorn (25.1+) opens a control socket for gunicornc at one path per user
    (~/.gunicorn/gunicorn.ctl without XDG_RUNTIME_DIR). A second gunicorn of the same user replaces
    the first's socket and deletes it when it stops: gunicornc would then reach the bench, or
    nothing, instead of the deployment. The bench's servers open none."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    control = home / ".gunicorn" / "gunicorn.ctl"
    pages = bench_pages()
    deployment = subprocess.Popen(
        [str(pages.BIN / "gunicorn"), "-w", "1", "-b", f"127.0.0.1:{pages.free_port()}", "hello_app:app"],
        cwd=ROOT / "bench",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 600  # a guard against a hang only: the condition ends the wait
        while time.time() < deadline and not control.exists():
            time.sleep(0.1)
        assert control.exists(), "the deployment opened no control socket: has gunicorn's default moved?"
        theirs = control.stat().st_ino
        bench = pages.serve("hello", "hello_app:app", tmp_path, workers=1)
        try:
            assert control.stat().st_ino == theirs  # still the deployment's socket
        finally:
            bench.stop()
        assert control.exists() and control.stat().st_ino == theirs
        with socket.socket(socket.AF_UNIX) as client:
            client.connect(str(control))  # gunicornc still reaches the deployment
    finally:
        deployment.terminate()
        try:
            deployment.wait(60)
        except subprocess.TimeoutExpired:  # a gunicorn slow to stop on a loaded machine
            deployment.kill()
            deployment.wait()
