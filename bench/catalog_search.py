"""Benchmark: the exercise search over 10,000 exercises in a fresh SQLite database.

    .venv/bin/python bench/catalog_search.py [--exercises 10000] [--runs 200]

Prints p50 and p95 in milliseconds for each typical search and overall. Goal: p50 <= 10 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy.orm import sessionmaker  # noqa: E402

from planner.catalog import record, vocabulary  # noqa: E402
from planner.db import make_engine  # noqa: E402
from planner.migrate import upgrade  # noqa: E402
from planner.models import Clinic, Exercise  # noqa: E402
from planner.services.catalog import Filters, refresh_statistics, search_exercises  # noqa: E402

MOVES = [
    "tuck",
    "lift",
    "turn",
    "tilt",
    "roll",
    "press",
    "glide",
    "reach",
    "squeeze",
    "stretch",
    "bend",
    "slide",
    "hold",
    "circle",
    "march",
    "bridge",
    "nod",
    "shrug",
    "swing",
    "step",
]
PARTS = [
    "chin",
    "neck",
    "shoulder",
    "arm",
    "wrist",
    "finger",
    "hip",
    "knee",
    "ankle",
    "jaw",
    "lip",
    "tongue",
    "eye",
    "trunk",
    "back",
    "head",
    "thumb",
    "elbow",
    "foot",
    "heel",
]
HOWS = ["sitting", "lying", "standing", "with a band", "with a towel", "at the wall", "slow", "gentle", "small", "big"]
STEP_TEXT = (
    "sit tall on a firm chair with your feet flat . lie on your back with knees bent . slowly move "
    "your head back to the middle and hold for a count of five . breathe out as you lift and breathe "
    "in as you lower . keep your shoulders down and relaxed . press gently into the towel . let go "
    "and rest . look straight ahead at the mirror . turn away from the pull . stop when you feel a "
    "stretch but no pain"
)
STEP_WORDS = STEP_TEXT.split(" ")


def fake_exercise(rng: random.Random, n: int) -> dict:
    name = f"{rng.choice(PARTS).capitalize()} {rng.choice(MOVES)} {rng.choice(HOWS)} {n}"
    steps = [
        " ".join(rng.choices(STEP_WORDS, k=rng.randint(8, 14))).capitalize() + "." for _ in range(rng.randint(4, 7))
    ]
    return {
        "name": name,
        "category": rng.choice(list(vocabulary.CATEGORIES)),
        "regions": rng.sample(list(vocabulary.REGIONS), rng.randint(1, 2)),
        "position": rng.choice(list(vocabulary.POSITIONS)),
        "equipment": rng.sample(list(vocabulary.EQUIPMENT)[1:], rng.randint(1, 2)),
        "difficulty": rng.randint(1, 3),
        "conditions": rng.sample(list(vocabulary.CONDITIONS), rng.randint(1, 3)),
        "approaches": rng.sample(list(vocabulary.APPROACHES), rng.randint(0, 2)),
        "summary": f"{name} to keep moving well.",
        "steps": steps,
        "tips": ["Go slowly."],
        "cautions": ["Stop if it hurts."],
        "progression": [],
        "regression": [],
        "dosage": {"repetitions": 10, "times_per_day": 2},
        "picture": {"view": "side", "start": {"base": "sitting"}, "end": {"base": "sitting"}},
    }


def build(url: str, count: int) -> tuple[sessionmaker, int]:
    engine = make_engine(url)
    upgrade(engine)
    make = sessionmaker(bind=engine, expire_on_commit=False)
    rng = random.Random(7)
    now = datetime.now(UTC)
    with make() as db:
        ours, theirs = Clinic(name="Ours"), Clinic(name="Theirs")
        db.add_all([ours, theirs])
        db.flush()
        for n in range(count):
            # Most are shared; a few hundred belong to each clinic, as custom exercises would.
            clinic_id = ours.id if n % 50 == 1 else theirs.id if n % 50 == 2 else None
            row = Exercise(
                slug=f"bench-{n}" if clinic_id is None else f"custom-{clinic_id}-bench-{n}",
                clinic_id=clinic_id,
                updated_at=now,
                retired_at=now if n % 97 == 0 else None,
            )
            record.fill(row, fake_exercise(rng, n))
            db.add(row)
        db.flush()
        refresh_statistics(db)  # as `catalog load` does
        db.commit()
        return make, ours.id


SEARCHES = [
    ("browse, first page", "", Filters(), 1),
    ("browse, page 40", "", Filters(), 40),
    ("category", "", Filters(category="posture"), 1),
    ("region + difficulty", "", Filters(region="neck", difficulty=1), 1),
    ("condition + approach", "", Filters(condition="cervical_dystonia", approach="midline_holding"), 1),
    ("one word", "shoulder", Filters(), 1),
    ("two words", "chin tuck", Filters(), 1),
    ("word in the steps", "mirror", Filters(), 1),
    ("word + filters", "towel", Filters(category="stretching", position="sitting"), 1),
    ("rare word (few hits)", "tongue glide", Filters(), 1),
    ("typo", "sholder shrgu", Filters(), 1),
    ("nothing found", "xylophone", Filters(), 1),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exercises", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        make, clinic_id = build(f"sqlite:///{Path(folder) / 'bench.sqlite3'}", args.exercises)
        print(f"{args.exercises} exercises generated in {time.perf_counter() - started:.1f} s; {args.runs} runs each\n")
        everything: list[float] = []
        print(f"{'search':<26} {'hits':>6} {'p50 ms':>8} {'p95 ms':>8}")
        with make() as db:
            for label, text, filters, page in SEARCHES:
                search_exercises(db, clinic_id, text, filters, page=page)  # warm the caches once
                times = []
                for _ in range(args.runs):
                    t0 = time.perf_counter()
                    result = search_exercises(db, clinic_id, text, filters, page=page)
                    times.append((time.perf_counter() - t0) * 1000)
                    db.expunge_all()  # each request starts with an empty session
                everything += times
                print(f"{label:<26} {result.total:>6} {_p(times, 50):>8.2f} {_p(times, 95):>8.2f}")
        print(f"{'overall':<26} {'':>6} {_p(everything, 50):>8.2f} {_p(everything, 95):>8.2f}")


def _p(values: list[float], percent: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


if __name__ == "__main__":
    main()
