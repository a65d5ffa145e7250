"""The progress panel of the patient and program pages: adherence per week, pain over time and
recent comments, with their charts. A web module of its own, so the patients and programs
pages do not import the link pages' routes (web/portal/links.py)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from planner.db import get_session
from planner.dystonia.direction import Direction
from planner.models import Patient, Program
from planner.services import UNREAD, Unread, home_reports, portal
from planner.services.given import Frozen, GivenItem
from planner.web.charts import bar_chart, figure_rows, line_chart

NONE_PLANNED = "–"  # the table's percent of a week with nothing planned (WeekAdherence.percent None)


def progress(
    patient: Patient,
    today: date,
    program: Program | None = None,
    directions: list[Direction] | None = None,
    newest: Frozen | None | Unread = UNREAD,
    newest_items: list[GivenItem] | None = None,
) -> dict[str, Any]:
    """Adherence per week, pain over time, and recent comments, for the patient and program pages.

    Adherence is for the given program (its `directions` and its last version given, `newest`,
    when the builder has read them), else the one the patient follows now.
    """
    db = get_session()
    program = program or portal.active_program(db, patient)
    weeks = (
        home_reports.adherence(db, program, today, directions=directions, newest=newest, newest_items=newest_items)
        if program
        else []
    )
    home = home_reports.home_reports(db, patient.clinic_id, patient.id, today - timedelta(days=56))
    pains = home.pains
    return {
        "program": program,
        "weeks": weeks,
        # The charts' tables: week, done, planned, percent; day, pain.
        # A week with nothing planned has no percent (WeekAdherence.percent): a dash, and no bar.
        "weeks_rows": figure_rows(
            (w.start, w.done, w.planned, NONE_PLANNED if w.percent is None else w.percent) for w in weeks
        ),
        "adherence_chart": bar_chart(
            [(w.start.strftime("%d %b"), w.percent) for w in weeks],
            100,
            "Exercise times done, percent of planned, per week",
            "adherence",
        )
        if weeks
        else None,
        "pains": pains,
        "pains_rows": figure_rows(pains),
        "pain_chart": line_chart(pains, 0, 10, "Pain from 0 to 10 as the patient rated it", "pain") if pains else None,
        "comments": home.comments,
        "alerts": home.alerts,
    }
