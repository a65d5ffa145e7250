"""The therapist's pages between visits: the questionnaire schedule, the toxin cycle, injections,
and the patient page's section (answers as trends, the timeline)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from planner.db import get_session
from planner.models import Patient
from planner.models.outcomes import Injection
from planner.services import DomainError, evaluations, home_reports, patients, portal, reevaluation, toxin_cycle
from planner.services import questionnaires as q
from planner.services.clinic_time import clinic_zone, local_today
from planner.services.toxin_cycle import Dose, InjectionData
from planner.settings import current as app_settings
from planner.web import log_patient, patient_viewed
from planner.web.admin.forms import ConfirmForm
from planner.web.charts import line_chart
from planner.web.forms import show_error
from planner.web.outcomes.forms import DOSE_ROWS, CycleForm, InjectionForm, ScheduleForm
from planner.web.outcomes.timeline import Row, Timeline, draw

bp = Blueprint("outcomes", __name__)
MEASURE_ROWS = 4  # the clinician's measures on the timeline: the most often recorded


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return local_today(clinic_zone(get_session(), current_user.clinic_id), now())


def load_patient(patient_id: int) -> Patient:
    """:raise NotFound: for a patient of another clinic."""
    return patients.get_patient(get_session(), current_user.clinic_id, patient_id)


# ---- the patient page's section ----------------------------------------------------------


def between_visits(patient: Patient) -> dict[str, Any]:
    """What the patient page shows between visits: plan, answers as trends, injections, timeline."""
    db = get_session()
    clinic_id = current_user.clinic_id
    on = today()
    series = q.series(db, clinic_id, patient.id)
    injections = toxin_cycle.injections_of_patient(db, clinic_id, patient.id)
    plan = patient.outcome_plan  # type: ignore[attr-defined]
    return {
        "plan": plan,
        "parts_text": ", ".join(q.PARTS[p] for p in plan.parts) if plan is not None else "",
        "next_questions": q.next_due_date(plan, on),
        "series": series,
        "series_svg": {
            s.key: line_chart(s.points, s.low, s.high, f"{s.name} ({s.better} is better)", f"answers-{s.key}")
            for s in series
        },
        "injections": injections,
        "dose_words": toxin_cycle.dose_words,
        "dose_sides": toxin_cycle.dose_sides,
        "timeline": draw(timeline(patient, series, injections, on)),
        "timeline_empty": not injections and not series,
    }


def timeline(patient: Patient, series: list[q.Series], injections: list[Injection], on: date) -> Timeline:
    """The plain values of the patient's timeline (hashable, so the drawing is cached)."""
    db = get_session()
    trends = evaluations.trends(db, current_user.clinic_id, patient.id)
    trends = sorted(trends, key=lambda t: -len(t.points))[:MEASURE_ROWS]
    rows = [Row(f"{t.measure.name} (clinician)", t.measure.low, t.measure.high, tuple(t.points)) for t in trends]
    rows += [Row(f"{s.name}", s.low, s.high, tuple(s.points)) for s in series]
    program = portal.active_program(db, patient)
    if program is not None:
        first = min([i.injected_on for i in injections] + [program.start_date, on])
        weeks = min(52, (on - first).days // 7 + 1)
        adherence = home_reports.adherence(db, program, on, weeks=weeks)
        rows.append(
            Row(
                "Exercise times done (%)",
                0,
                100,
                # a week with nothing planned has no bar (WeekAdherence.percent)
                tuple((w.start, float(w.percent)) for w in adherence if w.percent is not None),
                bars=True,
            )
        )
    plan = patient.outcome_plan  # type: ignore[attr-defined]
    checks: tuple[date, ...] = ()
    if plan is not None and plan.follow_cycle:
        checks = tuple(c for i in injections for c in reevaluation.cycle_checks(i.injected_on, plan))
    return Timeline(
        injections=tuple((i.injected_on, _units_label(i)) for i in injections),
        checks=checks,
        rows=tuple(rows),
        today=on,
    )


def _units_label(injection: Injection) -> str:
    total = sum((d.left_units or 0) + (d.right_units or 0) for d in injection.doses)
    return f"{total:g} U" if total else "injection"


@bp.app_context_processor
def _section() -> dict[str, Any]:
    return {"between_visits": between_visits}


# ---- the questionnaire schedule and the cycle ---------------------------------------------


@bp.get("/patients/<int:patient_id>/between-visits")
@login_required
def plan(patient_id: int) -> Any:
    """The questionnaire schedule and whether re-evaluations follow the cycle. :raise 404: another clinic's patient."""
    patient = load_patient(patient_id)
    current = patient.outcome_plan  # type: ignore[attr-defined]
    return render_plan(patient, ScheduleForm(obj=current), CycleForm(obj=current))


def render_plan(patient: Patient, schedule: ScheduleForm, cycle: CycleForm) -> str:
    patient_viewed(patient.id, "between visits")
    return render_template("outcomes/plan.html", patient=patient, schedule=schedule, cycle=cycle)


@bp.post("/patients/<int:patient_id>/between-visits/questions")
@login_required
def save_schedule(patient_id: int) -> Any:
    """Save which questions come, how often, from when. :raise 404: for a patient of another clinic."""
    db = get_session()
    patient = load_patient(patient_id)
    form = ScheduleForm()
    form.saved = patient.outcome_plan  # type: ignore[attr-defined]  # its first day may stay (InWindow)
    if form.validate_on_submit():
        try:
            plan = q.schedule(
                db,
                patient,
                form.parts.data or [],
                form.every_days.data,
                form.starts_on.data,
                today(),
                now(),
                window=app_settings().window,
            )
            log_patient(
                "update", patient.id, detail="questionnaire schedule", subject_type="outcome_plan", subject_id=plan.id
            )
            db.commit()
        except DomainError as e:
            db.rollback()
            show_error(form, e.field, e.message)
        else:
            flash("The questionnaire schedule is saved.", "success")
            return redirect(url_for("patients.show", patient_id=patient.id) + "#between-h")
    return render_plan(patient, form, CycleForm(obj=patient.outcome_plan)), 422  # type: ignore[attr-defined]


@bp.post("/patients/<int:patient_id>/between-visits/cycle")
@login_required
def save_cycle(patient_id: int) -> Any:
    """Save whether re-evaluations follow the injection cycle. :raise 404: for a patient of another clinic."""
    db = get_session()
    patient = load_patient(patient_id)
    form = CycleForm()
    if form.validate_on_submit():
        try:
            plan = toxin_cycle.follow_cycle(
                db,
                patient,
                form.follow_cycle.data,
                form.peak_weeks.data,
                form.before_weeks.data,
                now(),
                schedule=app_settings().schedule,
            )
            log_patient("update", patient.id, detail="injection cycle", subject_type="outcome_plan", subject_id=plan.id)
            db.commit()
        except DomainError as e:
            db.rollback()
            show_error(form, e.field, e.message)
        else:
            flash("The re-evaluation plan is saved.", "success")
            return redirect(url_for("patients.show", patient_id=patient.id) + "#between-h")
    return render_plan(patient, ScheduleForm(obj=patient.outcome_plan), form), 422  # type: ignore[attr-defined]


# ---- injections ----------------------------------------------------------------------------


def _data(form: InjectionForm) -> InjectionData:
    doses = [Dose(row.form.muscle_name, row.form.left_units.data, row.form.right_units.data) for row in form.doses]
    return InjectionData(
        form.injected_on.data, doses, form.product.data or "", form.injected_by.data or "", form.note.data or ""
    )


def _show_error(form: InjectionForm, e: DomainError) -> None:
    field = e.field or ""
    if field.startswith("doses-"):  # "doses-2-left_units": that row's field
        _, n, name = field.split("-", 2)
        row = form.doses[int(n)].form
        target = row.other if name == "muscle" else row[name]
        target.errors = [*target.errors, e.message]
        return
    show_error(form, field, e.message)


@bp.route("/patients/<int:patient_id>/injections/new", methods=["GET", "POST"])
@login_required
def new_injection(patient_id: int) -> Any:
    """Record an injection. :raise 404: for a patient of another clinic."""
    db = get_session()
    patient = load_patient(patient_id)
    form = InjectionForm()
    if form.validate_on_submit():
        try:
            injection = toxin_cycle.record_injection(
                db, patient, _data(form), today(), now(), window=app_settings().window, schedule=app_settings().schedule
            )
            log_patient("create", patient.id, subject_type="injection", subject_id=injection.id)
            db.commit()
        except DomainError as e:
            db.rollback()
            _show_error(form, e)
        else:
            flash(f"The injection of {injection.injected_on} is saved.", "success")
            return redirect(url_for("patients.show", patient_id=patient.id) + "#between-h")
    patient_viewed(patient.id, "new injection form")
    return render_template("outcomes/injection.html", patient=patient, form=form, injection=None, confirm=ConfirmForm())


@bp.route("/injections/<int:injection_id>/edit", methods=["GET", "POST"])
@login_required
def edit_injection(injection_id: int) -> Any:
    """Correct an injection; a changed date moves the re-evaluations that follow the cycle.

    :raise 404: for an injection of another clinic.
    """
    db = get_session()
    injection = toxin_cycle.get_injection(db, current_user.clinic_id, injection_id)
    patient = load_patient(injection.patient_id)
    form = InjectionForm(obj=injection)
    form.saved = injection  # a date the window has since left behind still saves unchanged (InWindow)
    if not form.is_submitted():
        form.doses.entries = []
        for dose in injection.doses:
            listed = any(dose.muscle in muscles for muscles in toxin_cycle.MUSCLES.values())
            form.doses.append_entry(
                {
                    "muscle": dose.muscle if listed else "other",
                    "other": "" if listed else dose.muscle,
                    "left_units": dose.left_units,
                    "right_units": dose.right_units,
                }
            )
        while len(form.doses) < max(DOSE_ROWS, len(injection.doses) + 2):
            form.doses.append_entry()
    if form.validate_on_submit():
        try:
            toxin_cycle.update_injection(
                db,
                injection,
                _data(form),
                today(),
                now(),
                window=app_settings().window,
                schedule=app_settings().schedule,
            )
            log_patient("update", patient.id, subject_type="injection", subject_id=injection.id)
            db.commit()
        except DomainError as e:
            db.rollback()
            _show_error(form, e)
        else:
            flash(f"The injection of {injection.injected_on} is saved.", "success")
            return redirect(url_for("patients.show", patient_id=patient.id) + "#between-h")
    patient_viewed(patient.id, "injection form", "injection", injection.id)
    return render_template(
        "outcomes/injection.html", patient=patient, form=form, injection=injection, confirm=ConfirmForm()
    )


@bp.post("/injections/<int:injection_id>/delete")
@login_required
def delete_injection(injection_id: int) -> Any:
    """Remove an injection recorded by mistake. :raise 404: for an injection of another clinic."""
    db = get_session()
    injection = toxin_cycle.get_injection(db, current_user.clinic_id, injection_id)
    patient_id = injection.patient_id
    if ConfirmForm().validate_on_submit():
        log_patient(
            "delete",
            patient_id,
            detail=f"injection of {injection.injected_on}",
            subject_type="injection",
            subject_id=injection.id,
        )
        toxin_cycle.delete_injection(db, injection, now(), schedule=app_settings().schedule)
        db.commit()
        flash("The injection is removed.", "success")
    return redirect(url_for("patients.show", patient_id=patient_id) + "#between-h")
