"""A count of one reads in the singular wherever a therapist or the person who runs the planner
reads it: "Wait 1 minute", "1 injection", "1 exercise file", "1 of them was given before",
"More than 1 exercise". Each said "1 minutes", "1 injections", … before (the same kind as the
builder's "these 1 stage 3 exercise" and the templates page's "1 templates", fixed before).
"""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from pathlib import Path

import pytest

from planner.services import issuing, program_items, programs
from planner.services.catalog import get_exercise
from tests import exercise_files as ef
from tests.conftest import FAST, PASSWORD, build_app, load_catalog, login
from tests.factories import make_clinic, make_patient, make_user
from tests.test_outcomes_pages import dose_rows, world  # noqa: F401  (world: the fixture)


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.parametrize(
    ("minutes", "said"), [(1, "Wait 1 minute,"), (0.5, "Wait 1 minute,"), (15, "Wait 15 minutes,")]
)
def test_the_sign_in_throttle_says_its_wait_in_whole_minutes(tmp_path, minutes, said):
    """[security] failure_window_minutes = 1 said "Wait 1 minutes"; half a minute "Wait 0 minutes"."""
    security = {**FAST["security"], "failure_window_minutes": minutes, "max_failures_per_account": 1}
    app = build_app(tmp_path, security=security)
    db = app.extensions["db_sessionmaker"]()
    make_user(db, make_clinic(db, "Throttle Clinic"), email="tess@throttle.org")
    db.commit()
    client = app.test_client()
    login(client, "tess@throttle.org", "wrong password!")
    html = login(client, "tess@throttle.org", PASSWORD).get_data(as_text=True)
    assert f"Too many failed sign-ins. {said} then try again." in _text(html)
    db.close()
    app.extensions["db_engine"].dispose()


def test_the_timeline_counts_one_injection_in_the_singular(world, today):  # noqa: F811
    """The timeline's title (what a screen reader says of it) read "1 injections"."""
    staff, patient = world["staff"], world["patient"]
    on = (today - timedelta(days=10)).isoformat()
    answer = staff.post(
        f"/patients/{patient.id}/injections/new", data={"injected_on": on, **dose_rows(("Masseter", "", "10", ""))}
    )
    assert answer.status_code == 302
    html = staff.get(f"/patients/{patient.id}").get_data(as_text=True)
    title = re.search(r'<title id="timeline-title">(.*?)</title>', html)
    assert title is not None, "the timeline is drawn"
    said = unescape(title[1])
    assert re.search(r": 1 injection, \d+ rows? of values\.$", said), said
    assert not re.search(r"\b1 rows\b", said), said


def test_catalog_check_counts_one_file_in_the_singular(app, tmp_path):
    ef.write(tmp_path / "ex", "good")
    result = app.test_cli_runner().invoke(args=["catalog", "check", str(tmp_path / "ex")])
    assert result.exit_code == 0
    assert result.output == "1 exercise file, no problems.\n"


def test_the_export_says_how_many_were_given_before_in_the_singular(catalog_app, catalog_db, now, tmp_path):
    """Two programs given before the export, one edited since: the export gives that one, and says
    "1 of them was given before" (was: "1 of them the patients had been given before: their phone
    pages are unchanged")."""
    db = catalog_db
    clinic = make_clinic(db, "Export Clinic")
    user = make_user(db, clinic)
    made = []
    for name in ("Ana Gil", "Eva Paz"):
        patient = make_patient(db, clinic, name)
        program = programs.create_program(db, patient, programs.ProgramDetails("Cuello", now.date()), user.id, now)
        program_items.add_item(db, program, get_exercise(db, clinic.id, "belly-breathing-lying"), None, now)
        issuing.issue(db, program, user.id, "print", now)
        made.append(program)
    db.commit()
    runner = catalog_app.test_cli_runner()
    result = runner.invoke(args=["handouts", "export", str(tmp_path / "first"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "2 of them were given before: those patients' phone pages are unchanged." in result.output

    program_items.add_item(db, made[0], get_exercise(db, clinic.id, "shoulder-rolls"), None, now)
    db.commit()
    result = runner.invoke(args=["handouts", "export", str(tmp_path / "second"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert f"Gave version 2 of program {made[0].id} to the patient" in result.output
    assert "1 of them was given before: that patient's phone page is unchanged." in result.output


def test_the_builder_warns_past_one_exercise_in_the_singular(tmp_path, now):
    """A clinic's [programs] max_exercises = 1: the builder's warning read "More than 1 exercises"."""
    app = build_app(tmp_path, programs={"max_exercises": 1})
    db = app.extensions["db_sessionmaker"]()
    load_catalog(db)
    clinic = make_clinic(db, "Short Programs Clinic")
    user = make_user(db, clinic)
    patient = make_patient(db, clinic, "Ana Gil")
    program = programs.create_program(db, patient, programs.ProgramDetails("Cuello", now.date()), user.id, now)
    for slug in ("belly-breathing-lying", "shoulder-rolls"):
        program_items.add_item(db, program, get_exercise(db, clinic.id, slug), None, now)
    db.commit()
    client = app.test_client()
    login(client, user.email)
    html = _text(client.get(f"/programs/{program.id}").get_data(as_text=True))
    assert "More than 1 exercise. Patients follow short programs better" in html
    db.close()
    app.extensions["db_engine"].dispose()


# An "s" glued on by a condition: `exercise{{ '' if n == 1 else 's' }}`, `direction{{ 's' if n > 1 }}`,
# `cheek{% if side == 'both' %}s{% endif %}` (which read "on the both cheeks").
GLUED_PLURAL = re.compile(
    r"""\w(\{\{-? ?(''|"") if [^}]* else ('s'|"s") ?-?\}\}|\{\{-? ?('s'|"s") if [^}]*\}\}|\{%-? if [^%]*%\}s\{%-? endif)"""
)


# The same in Python: f"{n} problem{'s' if n != 1 else ''}", ("handout") + ("" if n == 1 else "s").
GLUED_PLURAL_PY = re.compile(
    r"""\w\{(''|"") if [^}]* else ('s'|"s")\}|\w\{('s'|"s") if [^}]*\}|\(("s"|'s') if [^)]*\)|else ("s"|'s')\)"""
)


def test_no_page_glues_a_plural_s_onto_a_word():
    """A count's noun comes whole from ngettext or planner.counted (or a choice of two whole words),
    never an "s" added on a condition: the kind behind "1 minutes", "1 templates", "these 1 stage 3 exercise"."""
    root = Path(__file__).resolve().parent.parent
    files = [(path, GLUED_PLURAL) for path in sorted((root / "templates").rglob("*.html"))]
    files += [(path, GLUED_PLURAL_PY) for path in sorted((root / "planner").rglob("*.py"))]
    glued = [
        f"{path.relative_to(root)}:{n}: {m.group(0)}"
        for path, glue in files
        for n, line in enumerate(path.read_text().splitlines(), 1)
        for m in glue.finditer(line)
    ]
    assert glued == []
