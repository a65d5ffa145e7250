"""Profile pages in-process: CPU per request, SQL statements per request, and where the time goes.

    .venv/bin/python bench/profile_page.py /dashboard /patients [--clinic big|demo] [--runs 60]
        [--profile 20] [--sort tottime] [--page builder]

The app is built on a working copy of the clinic bench/pages.py serves (bench/clinic.py; the big
one has 20,000 patients, the file is cached), the heavy therapist signs in through the login
form, and each path is requested `--runs` times through Flask's test client with that cookie,
as the bench's client sends it (so the fixed cost of a signed-in page is in the figures). A path
may name the bench's tokens: `{program}`, `{link}` (a patient's private link), `{feed}`
(the calendar feed), or `--page NAME` takes a page of bench/pages.py by name ("phone page").
The phone page and the calendar feed (paths under /p/ and /calendar/) go without the cookie,
as the bench sends them.
For each path it prints the median CPU milliseconds of a request (time.process_time, after 10
unmeasured requests; on a busy machine the minimum and lower quartile move less), the statements sent to the database per request, the answer's status and
size, and with `--profile N` the N most expensive functions of a cProfile over all runs. After the
unmeasured requests the process freezes what it holds (gc.freeze), as a warm gunicorn worker does
(gunicorn.conf.py): else the garbage collector's walks over the caches fall on the measured requests,
which the server never pays.
No gunicorn and no HTTP parsing: the figure is the app's own work, and less load-sensitive than
wall time on a busy machine.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import clinic as clinics  # noqa: E402
import idle  # noqa: E402
from sqlalchemy import event  # noqa: E402

from planner import create_app  # noqa: E402

PAGES = {
    "builder": "/programs/{program}",
    "patient list": "/patients",
    "dashboard": "/dashboard",
    "catalog search": "/exercises?q=neck",
    "phone page": "/p/{link}",
    "handout": "/programs/{program}/handout.pdf",
    "calendar feed": "/calendar/{feed}.ics",
}
# Asked for without a session, as a patient's phone and a calendar app ask.
ANONYMOUS = ("/p/", "/calendar/")


def app_on(clinic: clinics.Clinic):  # noqa: ANN201
    """The app as gunicorn would build it for the bench's clinic (same settings and secret key)."""
    os.environ["PLANNER_SECRET_KEY"] = clinics.SECRET
    return create_app(
        {
            "PLANNER": {
                "database": {"url": f"sqlite:///{clinic.path}"},
                "portal": {"requests_per_minute": 1_000_000_000},
                "reminders": {"embedded": False},
            }
        },
        instance_path=str(Path(clinic.path).parent / "instance"),
    )


def sign_in(client, clinic: clinics.Clinic) -> str:  # noqa: ANN001
    """The session cookie ("planner_session=...") of the clinic's therapist, through the form."""
    page = client.get("/login")
    cookie = _cookie(page)
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    answer = client.post(
        "/login",
        data={"csrf_token": token, "email": clinic.email, "password": clinic.password},
        headers={"Cookie": cookie},
    )
    if answer.status_code != 302:
        raise RuntimeError(f"sign-in refused ({answer.status_code})")
    return _cookie(answer)


def _cookie(answer) -> str:  # noqa: ANN001
    for header in answer.headers.getlist("Set-Cookie"):
        if header.startswith("planner_session="):
            return header.split(";", 1)[0]
    raise RuntimeError("no session cookie")


def measure(client, path: str, cookie: str, runs: int, engine, profile: int, sort: str, sql: bool) -> None:  # noqa: ANN001, PLR0913
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda _c, _r, sql, *_args: statements.append(sql))
    headers = {} if path.startswith(ANONYMOUS) else {"Cookie": cookie}
    for _ in range(10):
        statements.clear()
        answer = client.get(path, headers=headers)
    gc.freeze()  # as gunicorn.conf.py does in a warm worker: what the caches hold is never collected
    if sql:
        print(f"the statements of one request of {path}:")
        for statement in statements:
            print("  " + " ".join(statement.split())[:600])
    statements.clear()
    times = []
    profiler = cProfile.Profile() if profile else None
    for _ in range(runs):
        started = time.process_time()
        if profiler:
            profiler.enable()
        answer = client.get(path, headers=headers)
        if profiler:
            profiler.disable()
        times.append(1000 * (time.process_time() - started))
    print(
        f"{path:<40} {statistics.median(times):6.2f} ms cpu (min {min(times):.2f}, "
        f"lower quartile {statistics.quantiles(times, n=4)[0]:.2f}) "
        f"{len(statements) / runs:5.1f} statements  {answer.status_code} {len(answer.get_data()) / 1024:.1f} KiB"
    )
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(profile)
        if os.environ.get("PROFILE_DUMP"):
            profiler.dump_stats(os.environ["PROFILE_DUMP"])
        print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--page", action="append", default=[], choices=sorted(PAGES), help="a page of bench/pages.py")
    parser.add_argument("--clinic", choices=("big", "demo"), default="big")
    parser.add_argument("--patients", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions")
    parser.add_argument("--sql", action="store_true", help="print the statements of one request")
    parser.add_argument("--sort", default="tottime", help="pstats sort key (tottime, cumulative)")
    args = parser.parse_args()
    if args.clinic == "demo":
        cached = clinics.cached("demo", clinics.build_demo)
    else:
        cached = clinics.cached(f"hospital{args.patients}", lambda p: clinics.build_hospital(p, args.patients))
    print(f"the machine: {idle.measure().said()}")
    with tempfile.TemporaryDirectory(prefix="planner-profile-") as tmp:
        clinic = clinics.working_copy(cached, Path(tmp))
        app = app_on(clinic)
        client = app.test_client(use_cookies=False)
        cookie = sign_in(client, clinic)
        tokens = {"program": clinic.program_id, "link": clinic.link_token, "feed": clinic.feed_token}
        for path in [PAGES[name] for name in args.page] + args.paths:
            measure(
                client,
                path.format(**tokens),
                cookie,
                args.runs,
                app.extensions["db_engine"],
                args.profile,
                args.sort,
                args.sql,
            )
        app.extensions["db_engine"].dispose()


if __name__ == "__main__":
    main()
