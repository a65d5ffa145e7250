"""Benchmark: the therapist's pages at hospital scale, served by gunicorn beside a bare Flask app.

    .venv/bin/python bench/pages.py [--quick] [--seconds 10] [--soak-minutes 10] [--patients 20000]

In one run, on this machine:
- a clinic of `--patients` patients (bench/clinic.py; built with bulk inserts and kept in the
  temporary folder, keyed by the migration head) and the demo clinic, each served by gunicorn
  with `--workers` sync workers, and a bare Flask "hello" app (bench/hello_app.py) served the
  same way;
- one request at a time on the idle servers: for each page the first request to a new worker
  (a fresh one-worker gunicorn that has answered only its login page), the median warm time,
  and the workers' CPU time per warm request (read from /proc, so a loaded machine inflates it
  far less than the wall time); and the dashboard and
  the calendar feed on the demo and on the big clinic (their growth);
- `--connections` connections on each page of the big clinic in turn, and on the hello app:
  requests per second, p50 and p99, and the ratio of requests per second to the hello app's.
  The load comes from bench/load.py (pure Python); what it sends to a server that does nothing,
  and its own CPU use with the hello app, are printed to show whether the client or the app was
  the limit;
- a mixed soak of every page for `--soak-minutes` on the big clinic: errors, and worker deaths
  read from gunicorn's log, each counted once. Workers run with PYTHONFAULTHANDLER=1 and their
  stderr is kept in a file the bench names (gunicorn-NAME.stderr), so a crash leaves its Python
  stack there; the bench prints the file's end after a death.

Whether the machine was idle is measured, at the start, before the single requests and at the
end (bench/idle.py: what a short spin on each core gets as CPU time, and the kernel's CPU
pressure; not the load average, which a sleeping kernel thread can hold at 2 or 3 on an idle
machine), and said with the figures.

The last line: `builder_vs_hello=R builder_p99_ms=P dashboard_growth=G feed_growth=F`
(G and F: the single-request time on the big clinic over the time on the demo). Goals:
R >= 0.05, P <= 250, every page <= 10 ms one at a time, G <= 2, F <= 2, and a soak with no
error and no worker death.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import clinic as clinics  # noqa: E402
import idle  # noqa: E402
import load  # noqa: E402

from planner.config import ROOT  # noqa: E402

BIN = Path(sys.executable).parent


@dataclass
class Server:
    """A gunicorn serving one app on a free port, its log and its workers' stderr in the run's folder."""

    name: str
    port: int
    process: subprocess.Popen
    log: Path
    workers: int
    stderr: Path

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()  # reaped: left running, its Popen warned "still running" (an error in the tests)

    def worker_trouble(self) -> list[str]:
        """Lines of the log that tell of a worker that died, timed out or was replaced."""
        text = self.log.read_text(errors="replace")
        return [line for line in text.splitlines() if TROUBLE.search(line)]

    def worker_deaths(self) -> int:
        """How many workers died or were killed: each once, however many lines tell of it.

        A worker gunicorn saw end badly is named by its pid in the log (sent a signal, exited with
        a code, timed out); one that ended unseen still had a new worker booted in its place.
        """
        text = self.log.read_text(errors="replace")
        named = {m.group(1) for line in text.splitlines() if TROUBLE.search(line) for m in PID.finditer(line)}
        replaced = len(re.findall(r"Booting worker", text)) - self.workers
        return max(len(named), replaced, 0)

    def stderr_tail(self, size: int = 6000) -> str:
        """The end of the workers' stderr: a crashed worker's Python stack (faulthandler)."""
        return self.stderr.read_text(errors="replace")[-size:]

    def cpu_seconds(self) -> float:
        """CPU time (user and system) the server's workers have used so far, from /proc."""
        ticks = 0
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:  # a process that ended meanwhile
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[1]) == self.process.pid:  # a worker: a child of the gunicorn master
                ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")


TROUBLE = re.compile(r"SIGSEGV|SIGABRT|SIGKILL|SIGBUS|exited with code|WORKER TIMEOUT|Fatal Python error")
PID = re.compile(r"pid:? ?(\d+)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(
    name: str, app: str, folder: Path, workers: int, config: Path | None = None, pythonpath: Path = ROOT / "bench"
) -> Server:
    """gunicorn serving `app` (module:name, found on `pythonpath`) with `workers` workers.

    Its log is folder/gunicorn-NAME.log; its workers' stdout and stderr (where faulthandler
    writes a crashed worker's stack) folder/gunicorn-NAME.stderr.
    """
    port = free_port()
    log = folder / f"gunicorn-{name}.log"
    stderr = folder / f"gunicorn-{name}.stderr"
    env = {**os.environ, "PYTHONFAULTHANDLER": "1", "PLANNER_SECRET_KEY": clinics.SECRET}
    if config is not None:
        env["PLANNER_CONFIG"] = str(config)
    with stderr.open("ab") as output:  # the workers inherit it: a crash's stack stays in the file
        process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "-w",
                str(workers),
                "-b",
                f"127.0.0.1:{port}",
                "--error-logfile",
                str(log),
                "--pythonpath",
                str(pythonpath),
                # gunicornc's control socket is one path per user (~/.gunicorn/gunicorn.ctl): a bench
                # opening it would take it from a deployment or another bench of the same user.
                "--no-control-socket",
                app,
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = Server(name, port, process, log, workers, stderr)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            answer = load.one_at_a_time(port, load.request("/" if config is None else "/login"), runs=1, warmup=0)
            if answer:
                return server
        except (OSError, RuntimeError):
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"gunicorn for {name} did not start; see {log}")


def config_for(clinic: clinics.Clinic, folder: Path, name: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(
        f"""[database]
url = "sqlite:///{clinic.path}"
[portal]
# One address sends every request of the bench: the per-address limit would answer 429.
requests_per_minute = 1000000000
[reminders]
embedded = false
"""
    )
    return path


def pages(clinic: clinics.Clinic, cookie: str) -> dict[str, bytes]:
    """The requests of each page named in the report, for the clinic's heavy therapist."""
    return {
        "builder": load.request(f"/programs/{clinic.program_id}", cookie),
        "patient list": load.request("/patients", cookie),
        "dashboard": load.request("/dashboard", cookie),
        "catalog search": load.request("/exercises?q=neck", cookie),
        "phone page": load.request(f"/p/{clinic.link_token}"),
        "handout": load.request(f"/programs/{clinic.program_id}/handout.pdf", cookie),
        "calendar feed": load.request(f"/calendar/{clinic.feed_token}.ics"),
    }


def cold_requests(clinic: clinics.Clinic, requests: dict[str, bytes], folder: Path) -> dict[str, float]:
    """Milliseconds of the first request of each page to a new worker: a fresh one-worker gunicorn
    per page, so no cache a page fills (pictures, fonts, compiled templates) is warm yet."""
    times = {}
    for name, raw in requests.items():
        fresh = serve("first", "planner:create_app()", folder, 1, folder / "big.toml")
        try:
            times[name], _answer = load.one_at_a_time(fresh.port, raw, runs=1, warmup=0)
        finally:
            fresh.stop()
    return times


def main() -> None:  # noqa: PLR0915
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 s per page, a 1-minute soak")
    parser.add_argument("--seconds", type=float, default=10, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--patients", type=int, default=20_000)
    parser.add_argument("--soak-minutes", type=float, default=10, help="0: no soak")
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.soak_minutes = 3, min(args.soak_minutes, 1)

    started = time.perf_counter()
    print(f"at the start: {idle.measure().said()}")
    demo = clinics.cached("demo", clinics.build_demo)
    big = clinics.cached(f"hospital{args.patients}", lambda p: clinics.build_hospital(p, args.patients))
    print(f"clinics ready in {time.perf_counter() - started:.0f} s (cached in {clinics.cache_folder()})")
    with tempfile.TemporaryDirectory(prefix="planner-bench-") as tmp:
        folder = Path(tmp)
        demo, big = clinics.working_copy(demo, folder), clinics.working_copy(big, folder)
        servers = [serve("hello", "hello_app:app", folder, args.workers)]
        try:
            servers.append(serve("big", "planner:create_app()", folder, args.workers, config_for(big, folder, "big")))
            servers.append(
                serve("demo", "planner:create_app()", folder, args.workers, config_for(demo, folder, "demo"))
            )
            run(args, servers, big, demo)
        finally:
            for server in servers:
                server.stop()


def run(args: argparse.Namespace, servers: list[Server], big: clinics.Clinic, demo: clinics.Clinic) -> None:
    hello, server, demo_server = servers
    big_pages = pages(big, load.sign_in(server.port, big.email, big.password))
    demo_pages = pages(demo, load.sign_in(demo_server.port, demo.email, demo.password))

    print(f"\none request at a time ({big.patients} patients; goal: at most 10 ms each on an idle machine)")
    print(f"  the machine now: {idle.measure().said()}")
    print("  first: the first request of that page to a new worker (a fresh gunicorn, one worker);")
    print("  warm: median of 30 after 25 unmeasured; cpu: the workers' CPU time per warm request")
    print(f"  {'page':<16} {'first':>9} {'warm':>9} {'cpu':>9} {'size':>10}")
    single, answers, first = {}, {}, cold_requests(big, big_pages, server.log.parent)
    for name, raw in big_pages.items():
        # Both workers warm first: a worker's first request of a page (the "first" column) is
        # not counted in the warm CPU.
        load.one_at_a_time(server.port, raw, runs=20, warmup=0)
        cpu = server.cpu_seconds()
        single[name], answers[name] = load.one_at_a_time(server.port, raw)
        cpu = 1000 * (server.cpu_seconds() - cpu) / 35  # 5 unmeasured + 30 measured requests
        print(
            f"  {name:<16} {first[name]:6.1f} ms {single[name]:6.1f} ms {cpu:6.1f} ms "
            f"{len(answers[name].body) / 1024:6.1f} KiB"
        )
    etag = re.search(rb"\r\netag: *([^\r]+)", answers["calendar feed"].headers, re.IGNORECASE)
    if etag:  # a calendar app asking again with the ETag it holds
        feed = big_pages["calendar feed"].replace(b"\r\n\r\n", b"\r\nIf-None-Match: " + etag.group(1) + b"\r\n\r\n")
        again, reply = load.one_at_a_time(server.port, feed)
        print(f"  {'feed, unchanged':<16} {again:7.1f} ms  ({reply.status}, {len(reply.body)} bytes)")
    growth = {}
    print("  the same two pages on the demo (5 patients) and again on the big clinic, one after the other,")
    print("  so a change in the machine's load between them does not pass for growth:")
    for name in ("dashboard", "calendar feed"):
        load.one_at_a_time(demo_server.port, demo_pages[name], runs=20, warmup=0)
        cpu = demo_server.cpu_seconds()
        small, answer = load.one_at_a_time(demo_server.port, demo_pages[name])
        small_cpu = 1000 * (demo_server.cpu_seconds() - cpu) / 35
        cpu = server.cpu_seconds()
        large, _answer = load.one_at_a_time(server.port, big_pages[name])
        large_cpu = 1000 * (server.cpu_seconds() - cpu) / 35
        growth[name] = large / small
        print(
            f"  {name:<16} demo {small:6.1f} ms (cpu {small_cpu:5.1f} ms, {len(answer.body) / 1024:.1f} KiB), "
            f"{big.patients} patients {large:6.1f} ms (cpu {large_cpu:5.1f} ms): {growth[name]:.2f} times as long, "
            f"{large_cpu / small_cpu if small_cpu else float('nan'):.2f} times the CPU"
        )

    print(f"\n{args.connections} connections, {args.workers} gunicorn workers, {args.seconds:g} s each:")
    alone = load.client_capacity(args.connections, min(args.seconds, 5))
    print(
        f"  {'(client alone)':<16} {alone.per_second:8.1f} req/s  against a server that does nothing "
        f"(the client used {alone.client_share:.0%} of a core)"
    )
    base = load.load(hello.port, [load.request("/")], args.connections, args.seconds)
    print(
        f"  {'bare Flask hello':<16} {base.per_second:8.1f} req/s  p50 {base.percentile(50):7.1f} ms  "
        f"p99 {base.percentile(99):7.1f} ms  (the client used {base.client_share:.0%} of a core)"
    )
    results = {}
    for name, raw in big_pages.items():
        result = results[name] = load.load(server.port, [raw], args.connections, args.seconds)
        errors = f"  errors: {result.failures}" if result.errors else ""
        print(
            f"  {name:<16} {result.per_second:8.1f} req/s  p50 {result.percentile(50):7.1f} ms  "
            f"p99 {result.percentile(99):7.1f} ms  {result.per_second / base.per_second:7.2%} of hello{errors}"
        )

    if args.soak_minutes:
        print(f"\nmixed soak, every page in turn, {args.soak_minutes:g} min:")
        soak = load.load(server.port, list(big_pages.values()), args.connections, args.soak_minutes * 60, warmup=0)
        trouble = server.worker_trouble()
        deaths = server.worker_deaths()
        print(
            f"  {soak.count} answers, {soak.per_second:.1f} req/s, p99 {soak.percentile(99):.0f} ms, "
            f"errors: {soak.failures or 0}, worker deaths: {deaths}"
        )
        for line in trouble:
            print(f"    {line}")
        if deaths or trouble:
            print(f"  the log: {server.log}")
            print(f"  the workers' stderr (a crash's Python stack): {server.stderr}; its end:")
            print(server.stderr_tail())

    builder = results["builder"]
    print(f"at the end: {idle.measure().said()}")
    print(
        f"builder_vs_hello={builder.per_second / base.per_second:.3f} builder_p99_ms={builder.percentile(99):.0f} "
        f"dashboard_growth={growth['dashboard']:.2f} feed_growth={growth['calendar feed']:.2f}"
    )


if __name__ == "__main__":
    main()
