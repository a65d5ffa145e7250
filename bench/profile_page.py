"""Profile one page in-process: CPU per request, SQL statements per request, and where the time goes.

    .venv/bin/python bench/profile_page.py [URL] [--clinic hospital|demo] [--runs 40] [--top 25]
                                           [--sort cumulative|tottime] [--no-profile] [--sql]

URL defaults to the builder of the bench clinic's program (`/programs/<id>`); `{program}`,
`{link}` and `{feed}` in URL are replaced by that clinic's program id, patient link token and
calendar feed token (e.g. `/programs/{program}/handout.pdf`, `/p/{link}`).

The app is built as gunicorn builds it (`create_app()` with CSRF on, on a working copy of
bench/clinic.py's cached clinic: the 20,000-patient hospital, or the demo), signed in as the
clinic's therapist through the login form, and the page is fetched a few times to warm the
per-process caches. Then, without the profiler: the median and 90th percentile of the process
CPU time per request (`time.process_time`, milliseconds; a loaded machine inflates it less than
wall time, but still up to twice on this 2-core machine) and the SQL statements each request
sends (counted on the engine); the Python function calls of one request (under cProfile, hardly
changed by load: weigh a change by it when the machine is busy). Then the same requests under
cProfile, printing the `--top` functions. The load average is printed first: on
a loaded machine compare CPU figures, not wall times. What the test client adds over gunicorn
(building the WSGI environ) is well under a millisecond.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import clinic as clinics  # noqa: E402
from sqlalchemy import event  # noqa: E402

from planner import create_app  # noqa: E402


def signed_in_client(clinic: clinics.Clinic, folder: Path):  # noqa: ANN201
    """A test client of an app on a copy of `clinic`, signed in as its therapist."""
    config = folder / "profile.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{clinic.path}"\n[reminders]\nembedded = false\n')
    os.environ["PLANNER_CONFIG"] = str(config)
    os.environ["PLANNER_SECRET_KEY"] = clinics.SECRET
    app = create_app(instance_path=str(folder / "instance"))
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    answer = client.post(
        "/login",
        data={"email": clinic.email, "password": clinic.password, "csrf_token": token.group(1) if token else ""},
    )
    if answer.status_code != 302:
        raise SystemExit(f"sign-in failed: {answer.status_code}")
    return app, client


def calls_per_request(client, url: str) -> float:  # noqa: ANN001
    """Python function calls of one request (under cProfile): unlike CPU time, hardly changed
    by what else the machine does, so a change can be weighed on a loaded machine."""
    profile = cProfile.Profile()
    profile.enable()
    client.get(url)
    profile.disable()
    return pstats.Stats(profile).total_calls  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", default="/programs/{program}")
    parser.add_argument("--clinic", choices=["hospital", "demo"], default="hospital")
    parser.add_argument("--patients", type=int, default=20_000, help="the hospital's size")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", choices=["cumulative", "tottime"], default="cumulative")
    parser.add_argument("--no-profile", action="store_true", help="the figures only, not the functions")
    parser.add_argument("--sql", action="store_true", help="print the statements of one request")
    args = parser.parse_args()

    print(f"load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())} ({os.cpu_count()} cores)")
    if args.clinic == "demo":
        clinic = clinics.cached("demo", clinics.build_demo)
    else:
        clinic = clinics.cached(f"hospital{args.patients}", lambda p: clinics.build_hospital(p, args.patients))
    url = args.url.format(program=clinic.program_id, link=clinic.link_token, feed=clinic.feed_token)
    with tempfile.TemporaryDirectory(prefix="planner-profile-") as tmp:
        folder = Path(tmp)
        app, client = signed_in_client(clinics.working_copy(clinic, folder), folder)
        statements = []
        event.listen(
            app.extensions["db_engine"], "before_cursor_execute", lambda *a: statements.append(a[2].split()[0])
        )
        for _ in range(5):
            answer = client.get(url)
        if answer.status_code != 200:
            raise SystemExit(f"{url} answered {answer.status_code}")
        if args.sql:
            shown = []
            listener = lambda *a: shown.append(" ".join(a[2].split())[:300])  # noqa: E731
            event.listen(app.extensions["db_engine"], "before_cursor_execute", listener)
            client.get(url)
            event.remove(app.extensions["db_engine"], "before_cursor_execute", listener)
            print("\n".join(f"{n}. {line}" for n, line in enumerate(shown, 1)))
        cpu, counts = [], []
        for _ in range(args.runs):
            statements.clear()
            started = time.process_time()
            client.get(url)
            cpu.append((time.process_time() - started) * 1000)
            counts.append(len(statements))
        deciles = statistics.quantiles(cpu, n=10)
        print(
            f"{url}: {len(answer.data) / 1024:.1f} KiB; CPU per request: median {statistics.median(cpu):.2f} ms, "
            f"least {min(cpu):.2f}, p90 {deciles[-1]:.2f} over {args.runs} runs; SQL statements per request: "
            f"{statistics.median(counts):.0f} ({', '.join(sorted(set(statements)))})"
        )
        print(f"Python function calls per request: {calls_per_request(client, url):,.0f}")
        if args.no_profile:
            return
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.runs):
            client.get(url)
        profile.disable()
        stats = pstats.Stats(profile)
        stats.strip_dirs().sort_stats(args.sort).print_stats(args.top)
        app.extensions["db_engine"].dispose()


if __name__ == "__main__":
    main()
