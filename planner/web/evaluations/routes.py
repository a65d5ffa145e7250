"""Re-evaluation pages: record one (then edit the program), visits and plan of care, clinic measures."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from planner.db import get_session
from planner.models import Program
from planner.services import (
    DomainError,
    care,
    evaluations,
    measures,
    pattern_recording,
    programs,
    recorded_patterns,
    reevaluation,
)
from planner.services.clinic_time import clinic_zone, local_today
from planner.services.evaluations import EvaluationData
from planner.settings import current as app_settings
from planner.web import admin_required, isolate, log_patient, patient_viewed
from planner.web.evaluations.chart import trend_svg
from planner.web.evaluations.forms import ClinicMeasureForm, ProfileForm, VisitForm, evaluation_form
from planner.web.forms import choices, show_error
from planner.web.patterns.forms import PatternFields, errors_of, marks_nothing, nothing_confirmed, show_problems
from planner.web.patterns.moved import moved_papers_words

bp = Blueprint("evaluations", __name__)
bp.add_app_template_global(trend_svg, "trend_svg")
bp.add_app_template_global(measures.number, "measure_number")


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return local_today(clinic_zone(get_session(), current_user.clinic_id), now())


def load(program_id: int) -> Program:
    """:raise NotFound: for a program of another clinic."""
    return programs.get_program(get_session(), current_user.clinic_id, program_id)


@bp.route("/programs/<int:program_id>/evaluations/new", methods=["GET", "POST"])
@login_required
def new(program_id: int) -> Any:
    """Record a re-evaluation; "Save and edit the program" goes straight to the builder.

    :raise 404: for a program of another clinic.
    """
    db = get_session()
    program = load(program_id)
    all_measures = measures.measures_for(db, current_user.clinic_id)
    form = evaluation_form(all_measures)
    # The pattern seen at this re-evaluation, starting from the current one; a change is recorded
    # as a new dated pattern, linked to the evaluation.
    current = recorded_patterns.current_pattern(program.patient)
    pattern_form = PatternFields(
        request.form if request.method == "POST" else None,
        prefix="pattern",
        data=PatternFields.data_of(recorded_patterns.entry_of(current.data if current else None, note=False)),
    )
    if request.method == "GET":
        form.evaluated_on.data = today()
    valid = form.validate_on_submit()
    if request.method == "POST":
        valid = pattern_form.validate() and valid  # both forms' errors show at once
        # and what is wrong with the pattern as entered (a grade without its side…), every field
        problems = recorded_patterns.pattern_problems(pattern_form.entry())
        show_problems(form, pattern_form, problems)
        valid = valid and not problems
    # The recorded pattern cleared to nothing: ask before "No dystonia seen" is recorded with the
    # re-evaluation; nothing (the evaluation neither) is saved until confirmed.
    ask_empty = (
        valid
        and current is not None
        and not marks_nothing(recorded_patterns.entry_of(current.data))
        and marks_nothing(pattern_form.entry())
        and not nothing_confirmed()
    )
    if valid and not ask_empty:
        data = EvaluationData(
            form.evaluated_on.data,
            form.findings.data or "",
            form.plan_changes.data or "",
            {m.key: form[m.key].data for m in all_measures if form[m.key].data is not None},
        )
        try:
            evaluation = evaluations.record_evaluation(
                db,
                program,
                data,
                current_user.id,
                now(),
                window=app_settings().window,
                schedule=app_settings().schedule,
            )
            log_patient("create", program.patient_id, subject_type="evaluation", subject_id=evaluation.id)
            # Papers the pattern now moves are marked, and said here, where the therapist lands.
            recorded = pattern_recording.record_at_evaluation(
                db,
                program.patient,
                pattern_form.entry(),
                evaluation,
                current_user.id,
                now(),
            )
            if recorded is not None:
                log_patient(
                    "update",
                    program.patient_id,
                    detail="dystonia pattern at re-evaluation",
                    subject_type="dystonia_pattern",
                    subject_id=recorded.pattern.id,
                )
            moved = recorded.moved if recorded is not None else []
            db.commit()
        except DomainError as e:
            db.rollback()
            show_problems(form, pattern_form, errors_of(e))
        else:
            following = reevaluation.next_reevaluation(program)
            said = "The re-evaluation is recorded. " + (
                f"Next re-evaluation: {following}."
                if following
                else "The program has no interval: set the next date in the program."
            )
            flash(Markup.escape(said) + moved_papers_words(moved), "warning" if moved else "success")
            if "edit_program" in request.form:
                return redirect(url_for("programs.edit", program_id=program.id) + "#details")
            # A paper the pattern moved: the top of the page, where the message says so, not below it.
            return redirect(url_for("patients.show", patient_id=program.patient_id) + ("" if moved else "#evals-h"))
    groups: dict[str, list] = {}
    for m in all_measures:
        groups.setdefault(m.group, []).append(m)
    patient_viewed(program.patient_id, "new re-evaluation form", "program", program.id)
    return render_template(
        "evaluations/new.html",
        form=form,
        pattern_form=pattern_form,
        current_pattern=current,
        ask_empty=ask_empty,
        program=program,
        groups=groups,
        next_reeval=reevaluation.next_reevaluation(program),
    ), 422 if form.errors or pattern_form.errors else 200


def _profile_choices() -> tuple[dict[str, care.Profile], str]:
    settings = app_settings()
    return dict(settings.payer_profiles), settings.default_profile


@bp.route("/programs/<int:program_id>/visits", methods=["GET", "POST"])
@login_required
def visits(program_id: int) -> Any:
    """The program's visits, a form to record one, and the plan-of-care due dates when configured.

    :raise 404: for a program of another clinic.
    """
    db = get_session()
    program = load(program_id)
    form = VisitForm()
    if request.method == "GET":
        form.visited_on.data = today()
        log_patient("view", program.patient_id, detail="visits", subject_type="program", subject_id=program.id)
        db.commit()
    if form.validate_on_submit():
        try:
            care.record_visit(
                db,
                program,
                form.visited_on.data,
                form.kind.data,
                form.note.data or "",
                current_user.id,
                now(),
                app_settings().window,
            )
            log_patient("create", program.patient_id, subject_type="visit", subject_id=program.id)
            db.commit()
        except DomainError as e:
            db.rollback()
            show_error(form, e.field, e.message)
        else:
            flash("The visit is recorded.", "success")
            return redirect(url_for("evaluations.visits", program_id=program.id))
    available, default = _profile_choices()
    profile_form = ProfileForm(formdata=None, profile=care.chosen_profile(db, program, available, default))
    profile_form.profile.choices = choices([("", "None")] + [(k, p.label) for k, p in available.items()])
    return render_template(
        "evaluations/visits.html",
        program=program,
        form=form,
        profile_form=profile_form,
        visits=care.visits_of(db, program),
        kinds=care.VISIT_KINDS,
        today=today(),
        status=care.status(db, program, available, default),
        care_enabled=bool(available),
        next_reeval=reevaluation.next_reevaluation(program),
    ), 422 if form.errors else 200


@bp.post("/programs/<int:program_id>/care-profile")
@login_required
def care_profile(program_id: int) -> Any:
    """:raise 404: for a program of another clinic."""
    db = get_session()
    program = load(program_id)
    available, _default = _profile_choices()
    form = ProfileForm()
    form.profile.choices = choices([("", "None")] + [(k, p.label) for k, p in available.items()])
    if form.validate_on_submit():
        care.set_profile(db, program, form.profile.data, available)
        log_patient("update", program.patient_id, detail="payer profile", subject_type="program", subject_id=program.id)
        db.commit()
        flash("The payer profile is saved.", "success")
    else:
        flash("Choose one of the payer profiles.", "error")
    return redirect(url_for("evaluations.visits", program_id=program.id))


@bp.route("/measures", methods=["GET", "POST"])
@admin_required
def clinic_measures() -> Any:
    """The built-in outcome measures and the clinic's own; an administrator adds more."""
    db = get_session()
    form = ClinicMeasureForm()
    if form.validate_on_submit():
        try:
            measure = measures.add_clinic_measure(
                db,
                current_user.clinic_id,
                form.name.data,
                form.unit.data or "",
                form.low.data,
                form.high.data,
                form.better.data,
            )
            db.commit()
        except DomainError as e:
            db.rollback()
            show_error(form, e.field, e.message)
        else:
            flash(f"“{isolate(measure.name)}” can now be recorded in evaluations.", "success")
            return redirect(url_for("evaluations.clinic_measures"))
    return render_template(
        "evaluations/measures.html", form=form, measures=measures.measures_for(db, current_user.clinic_id)
    )
