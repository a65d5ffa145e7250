"""Re-evaluation pages as a therapist uses them: the form, the trend chart, visits and plan of care."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from planner.models import Evaluation, Visit
from planner.services import evaluations
from planner.services.evaluations import EvaluationData
from tests.conftest import build_app, login
from tests.factories import make_clinic, make_patient, make_user
from tests.reminder_factories import make_program

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


@pytest.fixture
def setup(app, db):
    clinic = make_clinic(db, "Eval Page Clinic")
    therapist = make_user(db, clinic, email="t@evalpage.org")
    patient = make_patient(db, clinic, "Lena Brandt", primary_therapist_id=therapist.id)
    program = make_program(db, patient, therapist.id, NOW, start=date(2026, 1, 5), interval=42)
    client = app.test_client()
    login(client, "t@evalpage.org")
    return client, patient, program


def test_value_outside_its_range_is_refused_at_the_field_and_what_was_typed_stays(setup, db):
    client, _patient, program = setup
    response = client.post(
        f"/programs/{program.id}/evaluations/new",
        data={
            "evaluated_on": "2026-02-10",
            "findings": "Head turns less",
            "twstrs_severity": "41",
            "pain_nrs": "4,5",
            "arom_cervical_rotation_left": "sixty",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="twstrs_severity-error">TWSTRS severity: enter a value from 0 to 35 points.' in html
    assert re.search(r'id="twstrs_severity"[^>]*value="41"', html)
    assert re.search(r'id="arom_cervical_rotation_left"[^>]*value="sixty"', html)
    assert "Enter a number, such as 12, 12.5 or 12,5." in html
    assert 'value="4,5"' in html and "pain_nrs-error" not in html  # a decimal comma is fine
    assert "Head turns less" in html
    assert db.scalars(select(Evaluation)).first() is None


def test_recording_goes_to_the_patient_or_straight_to_the_program(setup, db):
    client, patient, program = setup
    response = client.post(
        f"/programs/{program.id}/evaluations/new",
        data={
            "evaluated_on": "2026-02-10",
            "twstrs_severity": "22",
            "plan_changes": "Add chin tucks",
            "edit_program": "1",
        },
    )
    assert response.status_code == 302 and response.location.endswith(f"/programs/{program.id}#details")
    page = client.get(response.location).get_data(as_text=True)
    assert "Next re-evaluation: 2026-03-24." in page
    response = client.post(f"/programs/{program.id}/evaluations/new", data={"evaluated_on": "2026-02-20"})
    assert response.location.endswith(f"/patients/{patient.id}#evals-h")
    assert [e.evaluated_on for e in db.scalars(select(Evaluation))] == [date(2026, 2, 10), date(2026, 2, 20)]


def test_patient_page_shows_each_measures_trend_as_svg_with_the_numbers_in_a_table(setup, db):
    client, patient, program = setup
    for day, severity in [(date(2026, 1, 20), 30), (date(2026, 2, 17), 25), (date(2026, 2, 27), 21.5)]:
        evaluations.record_evaluation(
            db,
            program,
            EvaluationData(day, "Findings " + str(day), values={"twstrs_severity": severity, "pain_nrs": 3}),
            None,
            NOW,
        )
    db.commit()
    html = client.get(f"/patients/{patient.id}").get_data(as_text=True)
    section = html[html.index('id="evals-h"') : html.index('id="reminders-h"')]
    assert section.count("<svg") == 2 and section.count('role="img"') == 2
    assert "TWSTRS severity: from 30 on 2026-01-20 to 21.5 points on 2026-02-27" in section
    table = section[section.index('<table class="trend-table">') :]
    table = table[: table.index("</table>")]
    assert [c for c in re.findall(r"<td[^>]*>([^<]*)</td>", table)] == [
        "2026-01-20",
        "30",
        "2026-02-17",
        "25",
        "2026-02-27",
        "21.5",
    ]
    assert "Findings 2026-02-17" in section and f'href="/programs/{program.id}/evaluations/new"' in section
    assert "<script" not in html


def test_visits_are_recorded_and_plan_of_care_dates_shown_when_configured(tmp_path):
    app = build_app(tmp_path, plan_of_care={"enabled": True, "default_profile": "us_medicare"})
    db = app.extensions["db_sessionmaker"]()
    clinic = make_clinic(db, "Care Clinic")
    make_user(db, clinic, email="t@care.org")
    patient = make_patient(db, clinic, "Omar Haddad")
    program = make_program(db, patient, None, NOW, start=date(2026, 2, 1))
    client = app.test_client()
    login(client, "t@care.org")
    html = client.get(f"/programs/{program.id}/visits").get_data(as_text=True)
    assert "Progress report due" in html and "2026-03-03" in html and "Recertification due" in html
    for day in range(2, 12):
        client.post(
            f"/programs/{program.id}/visits",
            data={"visited_on": f"2026-02-{day:02d}", "kind": "treatment", "note": "Neck stretches reviewed"},
        )
    html = client.get(f"/programs/{program.id}/visits").get_data(as_text=True)
    assert "<strong>2026-02-11</strong>" in html and "visit limit reached" in html
    assert "10 of 10" in html and "2026-05-02" in html  # recertification after 90 days
    response = client.post(f"/programs/{program.id}/visits", data={"visited_on": "2026-01-20", "kind": "treatment"})
    assert response.status_code == 422 and "the visit is before that" in response.get_data(as_text=True)
    client.post(f"/programs/{program.id}/care-profile", data={"profile": "private"})
    html = client.get(f"/programs/{program.id}/visits").get_data(as_text=True)
    assert "2026-04-02" in html  # the private profile: 60 days
    assert db.query(Visit).count() == 10
    db.close()
    app.extensions["db_engine"].dispose()


def test_plan_of_care_is_hidden_when_off(setup):
    client, _patient, program = setup
    html = client.get(f"/programs/{program.id}/visits").get_data(as_text=True)
    assert "Record a visit" in html and "Plan of care" not in html


def test_an_administrator_adds_a_clinic_measure_used_in_the_form(app, db):
    clinic = make_clinic(db, "Measure Clinic")
    make_user(db, clinic, role="admin", email="boss@measure.org")
    patient = make_patient(db, clinic, "Pia Lund")
    program = make_program(db, patient, None, NOW, start=date(2026, 1, 5))
    client = app.test_client()
    login(client, "boss@measure.org")
    response = client.post(
        "/measures", data={"name": "Ten-metre walk", "unit": "seconds", "low": "0", "high": "120", "better": "lower"}
    )
    assert response.status_code == 302
    html = client.get(f"/programs/{program.id}/evaluations/new").get_data(as_text=True)
    assert "Ten-metre walk (seconds)" in html and "This clinic&#39;s measures" in html


DECIMALS = [
    ("12,5", 12.5),
    ("12.5", 12.5),
    (" 12,5 ", 12.5),
    ("0,25", 0.25),
    (",5", 0.5),
    ("١٢٫٥", 12.5),  # Arabic-Indic digits and decimal separator
    ("35", 35.0),
    ("1e1", None),  # refused by the browser's pattern and the server alike
    ("nan", None),
    ("1.000,5", None),
    ("12,5,1", None),
    ("twelve", None),
]


@pytest.mark.parametrize(("typed", "saved"), DECIMALS)
def test_every_decimal_field_takes_a_point_or_a_comma(setup, db, typed, saved):
    from planner.models import MeasureValue

    client, _patient, program = setup
    response = client.post(
        f"/programs/{program.id}/evaluations/new", data={"evaluated_on": "2026-02-10", "twstrs_severity": typed}
    )
    if saved is None:
        assert response.status_code == 422
        assert "Enter a number, such as 12, 12.5 or 12,5." in response.get_data(as_text=True)
        assert db.scalars(select(MeasureValue)).first() is None
    else:
        assert response.status_code == 302
        assert db.scalars(select(MeasureValue.value)).one() == saved


@pytest.mark.parametrize(
    ("low", "high", "range_text"), [("0,5", "10,5", "0.5 to 10.5"), ("-2.5", "2,5", "-2.5 to 2.5")]
)
def test_a_clinic_measures_range_takes_a_point_or_a_comma(app, db, low, high, range_text):
    clinic = make_clinic(db, "Comma Clinic")
    make_user(db, clinic, role="admin", email="boss@comma.org")
    client = app.test_client()
    login(client, "boss@comma.org")
    data = {"name": "Grip", "unit": "kg", "low": low, "high": high, "better": "higher"}
    assert client.post("/measures", data=data).status_code == 302
    assert f"{range_text} kg" in client.get("/measures").get_data(as_text=True)
