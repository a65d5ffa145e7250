"""The Versions page lists every time a version went to the patient, not only the first.

Trial 13 printed version 1, then emailed the same version: the page said "print" only. Printing,
emailing, making the phone link, `flask handout` and `flask handouts export` each give the paper;
the same version given again is listed again with its date, while the version itself (what the
phone shows, when it was first given) stays as it was.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from html import unescape

from sqlalchemy import event, select

from planner.models import ProgramVersion
from planner.services import program_items, programs
from planner.services.catalog import get_exercise
from tests.conftest import login
from tests.factories import give, make_clinic, make_patient, make_user, with_exercise

NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)
WHEN = r"\d{4}-\d\d-\d\d \d\d:\d\d"


def givings_shown(client, program_id: int, number: int) -> list[str]:
    """The Versions page's list for one version, as words: ["Printed 2026-12-01 18:56", …]."""
    html = client.get(f"/programs/{program_id}/versions").get_data(as_text=True)
    row = re.search(rf"<tr><td>{number}</td><td>(.*?)</td>", html, re.S)
    assert row, html
    return [
        re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", li))).strip()
        for li in re.findall(r"<li>(.*?)</li>", row[1])
    ]


def test_every_way_the_same_version_was_given_is_listed_with_its_date(catalog_app, catalog_db, tmp_path):
    db = catalog_db
    clinic = make_clinic(db, "Clínica Ñandú")
    user = make_user(db, clinic)
    patient = make_patient(db, clinic, "María José Núñez-Peña", email="mj@example.org")
    program = programs.create_program(db, patient, programs.ProgramDetails("Cuello", date(2026, 11, 1)), user.id, NOW)
    program_items.add_item(db, program, get_exercise(db, clinic.id, "belly-breathing-lying"), None, NOW)
    db.commit()
    client = catalog_app.test_client()
    login(client, user.email)
    runner = catalog_app.test_cli_runner()

    assert client.post(f"/programs/{program.id}/handout.pdf").mimetype == "application/pdf"
    assert client.post(f"/programs/{program.id}/email-handout").status_code == 302
    assert client.post(f"/patients/{patient.id}/link").status_code == 302
    assert runner.invoke(args=["handout", str(program.id), "-o", str(tmp_path / "h.pdf")]).exit_code == 0
    assert runner.invoke(args=["handouts", "export", str(tmp_path / "all")]).exit_code == 0

    shown = givings_shown(client, program.id, 1)
    ways = [re.sub(WHEN, "", s).strip() for s in shown]
    assert ways == ["Printed", "Emailed", "Phone link made", "Exported (command line)", "Exported (command line)"]
    assert all(re.search(WHEN + "$", s) for s in shown)
    # Still one version, first given by print: what "given" means elsewhere is unchanged.
    db.expire_all()
    versions = db.scalars(select(ProgramVersion)).all()
    assert [(v.number, v.how) for v in versions] == [(1, "print")]
    page = client.get(f"/programs/{program.id}/versions/1").get_data(as_text=True)
    assert "Emailed" in page and "Phone link made" in page
    assert client.get(f"/api/v1/programs/{program.id}").get_json()["last_given"]["version"] == 1

    # A change, then a print: version 2 has its own list, version 1 keeps its own.
    program_items.add_item(db, program, get_exercise(db, clinic.id, "chin-nod-head-lift"), None, NOW)
    db.commit()
    client.post(f"/programs/{program.id}/handout.pdf", data={"confirm": "yes"})
    assert [re.sub(WHEN, "", s).strip() for s in givings_shown(client, program.id, 2)] == ["Printed"]
    assert len(givings_shown(client, program.id, 1)) == 5


def versions_page_statements(app, db, versions: int) -> tuple[int, list[str]]:
    """(statements the Versions page runs, its givings as words) for a program given `versions`
    times, each version printed and then emailed, its title changed in between."""
    clinic = make_clinic(db)
    user = make_user(db, clinic)
    patient = make_patient(db, clinic, email="p@example.org")
    program = programs.create_program(db, patient, programs.ProgramDetails("Neck 1", date(2026, 11, 1)), user.id, NOW)
    with_exercise(db, program, NOW)
    for number in range(1, versions + 1):
        if number > 1:
            details = programs.ProgramDetails(f"Neck {number}", date(2026, 11, 1))
            programs.update_details(db, program, details, None, NOW + timedelta(days=number))
        give(db, program, NOW + timedelta(days=number, hours=1), "print")
        give(db, program, NOW + timedelta(days=number, hours=2), "email")
    client = app.test_client()
    login(client, user.email)
    statements: list[str] = []
    engine = app.extensions["db_engine"]

    def note(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", note)
    try:
        html = client.get(f"/programs/{program.id}/versions").get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    shown = [
        re.sub(WHEN, "", unescape(re.sub(r"<[^>]+>", "", li))).strip() for li in re.findall(r"<li>(.*?)</li>", html)
    ]
    return len(statements), shown


def test_the_versions_page_reads_every_versions_givings_at_once(app, db):
    """The page lists each version's givings: read together, so a program given many times (a
    year of re-evaluations) costs the page no more statements than one given twice."""
    two, shown_two = versions_page_statements(app, db, 2)
    eight, shown_eight = versions_page_statements(app, db, 8)
    assert shown_two.count("Printed") == 2 and shown_two.count("Emailed") == 2
    assert shown_eight.count("Printed") == 8 and shown_eight.count("Emailed") == 8
    assert eight == two
