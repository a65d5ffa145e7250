"""Compare two checkouts in-process: CPU per request of the bench's pages, and whether they show the same.

    .venv/bin/python bench/compare.py OLD_CHECKOUT [NEW_CHECKOUT] [--rounds 4] [--runs 30]
        [--page builder --page "phone page" ...] [--clinic big|demo]

For a change meant to make pages cheaper without changing them (NEW defaults to this checkout;
OLD is, say, `git worktree add --detach ../base main`). Each round runs every page in OLD, then
in NEW, each in a fresh process of its own checkout (its planner; this script's
bench/profile_page.py and the same cached clinic of this script's bench/clinic.py): `--runs` requests after 5 unmeasured, their median CPU
milliseconds (time.process_time) kept, the process frozen (gc.freeze) after the unmeasured ones as
a warm gunicorn worker is. Rounds alternate OLD and NEW, so a change in the machine's
load falls on both; the figure printed is the median over rounds, with the lower quartile of the
requests beside it (it moves less on a busy machine). On a busy machine use more rounds. Beside
them, what no load moves: the statements sent and the Python function calls made (cProfile) by
one request of each page, in each checkout's last round.

Then the last answers of each page are compared: HTML byte for byte once the CSRF tokens and the
calendar's DTSTAMP (both made per request) are set aside, the handout by its PDF bytes and, when
those differ, by its text. A page that differs is named; its two versions are left in the run's
folder to diff.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event

HERE = Path(__file__).resolve()

# Made per request, so two runs of the same code differ there: a signed CSRF token (its time in
# it) and an event's DTSTAMP (the moment the feed's events last changed).
_PER_REQUEST = (
    (re.compile(rb'"I[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{20,}"'), b'"CSRF"'),
    (re.compile(rb"DTSTAMP:\d+T\d+Z"), b"DTSTAMP:X"),
)


def worker(out: Path, names: list[str], runs: int, clinic_name: str) -> None:
    """In the checkout this process runs in (cwd): each page's answer into `out`, and its figures as JSON.

    The app is the checkout's; the clinic and the sign-in are this script's own (bench/clinic.py
    beside it), so both checkouts serve the very same cached clinic file, whatever their
    bench/clinic.py says.
    """
    tree = Path.cwd()
    sys.path.insert(0, str(tree))
    import planner  # the checkout's, imported first: clinic.py puts its own checkout first on the path

    sys.path.insert(1, str(HERE.parent))
    import clinic as clinics
    import profile_page

    if not Path(planner.__file__).resolve().is_relative_to(tree.resolve()):
        raise RuntimeError(f"{tree}: measured {planner.__file__} instead")

    if clinic_name == "demo":
        cached = clinics.cached("demo", clinics.build_demo)
    else:
        cached = clinics.cached("hospital20000", lambda p: clinics.build_hospital(p, 20_000))
    figures = {}
    with tempfile.TemporaryDirectory(prefix="planner-compare-") as tmp:
        clinic = clinics.working_copy(cached, Path(tmp))
        app = profile_page.app_on(clinic)
        client = app.test_client(use_cookies=False)
        cookie = profile_page.sign_in(client, clinic)
        tokens = {"program": clinic.program_id, "link": clinic.link_token, "feed": clinic.feed_token}
        for name in names:
            path = profile_page.PAGES[name].format(**tokens)
            headers = {} if path.startswith(profile_page.ANONYMOUS) else {"Cookie": cookie}
            for _ in range(5):
                client.get(path, headers=headers)
            gc.freeze()  # as a warm gunicorn worker does (gunicorn.conf.py; bench/profile_page.py says why)
            times = []
            for _ in range(runs):
                started = time.process_time()
                answer = client.get(path, headers=headers)
                times.append(1000 * (time.process_time() - started))
            statements, calls = _counted(client, path, headers, app.extensions["db_engine"])
            figures[name] = (statistics.median(times), statistics.quantiles(times, n=4)[0], statements, calls)
            (out / name.replace(" ", "_")).write_bytes(answer.get_data())
        app.extensions["db_engine"].dispose()
    print(json.dumps(figures))


def _counted(client, path: str, headers: dict, engine) -> tuple[int, int]:  # noqa: ANN001
    """The statements sent and the Python function calls made by one more request of `path`:
    figures the machine's load does not move (cProfile's count of calls, its own cost aside)."""
    statements = []

    def count(*_args: object) -> None:
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(path, headers=headers)
    profiler.disable()
    event.remove(engine, "before_cursor_execute", count)
    return len(statements), pstats.Stats(profiler).total_calls  # type: ignore[attr-defined]


def run_in(tree: Path, out: Path, names: list[str], runs: int, clinic: str) -> dict[str, list]:
    out.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, str(HERE), "--worker", str(out), "--runs", str(runs), "--clinic", clinic]
    for name in names:
        command += ["--page", name]
    done = subprocess.run(command, cwd=tree, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{tree}: {done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def same(old: bytes, new: bytes) -> bool:
    for pattern, stand_in in _PER_REQUEST:
        old, new = pattern.sub(stand_in, old), pattern.sub(stand_in, new)
    if old == new or not old.startswith(b"%PDF"):
        return old == new
    from pypdf import PdfReader

    def text(data: bytes) -> str:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)

    return text(old) == text(new)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", nargs="?", type=Path)
    parser.add_argument("new", nargs="?", type=Path, default=HERE.parent.parent)
    parser.add_argument("--page", action="append", default=[], help="a page of bench/profile_page.py (all by default)")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--clinic", choices=("big", "demo"), default="big")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.page, args.runs, args.clinic)
        return
    if args.old is None:
        parser.error("name the checkout to compare with")
    sys.path.insert(0, str(HERE.parent))
    import profile_page

    names = args.page or list(profile_page.PAGES)
    rounds: dict[str, list[dict]] = {"old": [], "new": []}
    with tempfile.TemporaryDirectory(prefix="planner-compare-") as tmp:
        folder = Path(tmp)
        for _ in range(args.rounds):
            for side, tree in (("old", args.old), ("new", args.new)):
                rounds[side].append(run_in(tree.resolve(), folder / side, names, args.runs, args.clinic))
        print(f"median CPU ms per request over {args.rounds} rounds of {args.runs} ({args.clinic} clinic)")
        print(
            f"  {'page':<16} {'old':>8} {'new':>8} {'new/old':>8}   lower quartile old / new"
            "   statements old / new   Python calls old / new"
        )
        differs = []
        for name in names:
            old, new = ([r[name] for r in rounds[side]] for side in ("old", "new"))
            o, n = statistics.median(x[0] for x in old), statistics.median(x[0] for x in new)
            q_old, q_new = statistics.median(x[1] for x in old), statistics.median(x[1] for x in new)
            counts = f"{old[-1][2]:>10} / {new[-1][2]:<10} {old[-1][3]:>10} / {new[-1][3]}"
            print(f"  {name:<16} {o:8.2f} {n:8.2f} {n / o:8.0%}   {q_old:6.2f} / {q_new:<6.2f}   {counts}")
            file = name.replace(" ", "_")
            if not same((folder / "old" / file).read_bytes(), (folder / "new" / file).read_bytes()):
                differs.append(name)
        print("answers: " + (f"DIFFER: {', '.join(differs)}" if differs else "the same on every page"))
        if differs:
            kept = Path(tempfile.mkdtemp(prefix="planner-compare-kept-"))
            for side in ("old", "new"):
                subprocess.run(["cp", "-r", str(folder / side), str(kept / side)], check=True)
            print(f"  both versions kept in {kept}")


if __name__ == "__main__":
    main()
