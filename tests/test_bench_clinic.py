"""bench/pages.py's clinic is made at today's schema: a small one serves the pages the bench loads.

The bench itself is not run here (it takes minutes); this only keeps its generator from drifting
behind the models (a new column, a changed search key) unnoticed until someone benchmarks.
"""

from __future__ import annotations

import importlib.util
import sys

from sqlalchemy import func, select

from planner.config import ROOT
from planner.models import Patient, Program, User
from tests.conftest import build_app, login


def bench_clinic():  # noqa: ANN201
    spec = importlib.util.spec_from_file_location("bench_clinic", ROOT / "bench" / "clinic.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_clinic", module)
    spec.loader.exec_module(module)
    return module


def test_a_small_bench_clinic_serves_every_page_the_bench_loads(tmp_path):
    clinics = bench_clinic()
    made = clinics.build_hospital(tmp_path / "hospital.sqlite3", patients=40)
    app = build_app(tmp_path, url=f"sqlite:///{made.path}")
    db = app.extensions["db_sessionmaker"]()
    heavy = db.scalars(select(User).where(User.email == made.email)).one()
    assert db.scalar(select(func.count(Patient.id)).where(Patient.primary_therapist_id == heavy.id)) == 10
    assert db.scalar(select(func.count(Program.id))) == 80
    db.close()
    client = app.test_client()
    login(client, made.email, made.password)
    paths = [
        f"/programs/{made.program_id}",
        "/patients",
        "/dashboard",
        "/exercises?q=neck",
        f"/calendar/{made.feed_token}.ics",
    ]
    for path in paths:
        assert client.get(path).status_code == 200, path
    assert client.post(f"/programs/{made.program_id}/handout.pdf").status_code == 200  # print and give
    assert "Dana Ortiz" in client.get("/dashboard").get_data(as_text=True)
    app.extensions["db_engine"].dispose()
