"""A read-only JSON API under /api/v1, for the same facts the pages show (dosage in words included).

A signed-in session or a personal token (`Authorization: Bearer`, bearer.py); every lookup goes
through the same clinic-scoped services as the pages. Described by openapi.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from functools import wraps
from typing import Any

from flask import Blueprint, jsonify, request
from flask_login import current_user

from planner.db import get_session
from planner.dosage import in_words
from planner.models import Exercise, Program
from planner.services import NotFound, catalog, paper_state, patients, programs, reevaluation
from planner.services.patterns import prescription_words, program_directions, unchecked_items
from planner.web import log_patient
from planner.web.api import bearer

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def signed_in(view: Callable[..., Any]) -> Callable[..., Any]:
    """JSON 401 instead of the sign-in page's redirect, saying whether a token was refused."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            if bearer.bearer_token(request.headers.get("Authorization")) is not None:
                message = "The token does not work: it may be revoked, or its account deactivated."
                challenge = 'Bearer error="invalid_token"'
            else:
                message = "Sign in first, or send a personal API token as Authorization: Bearer."
                challenge = "Bearer"
            return jsonify(error=message), 401, {"WWW-Authenticate": challenge}
        return view(*args, **kwargs)

    return wrapped


@bp.errorhandler(NotFound)
def _not_found(error: NotFound) -> Any:
    return jsonify(error=error.message), 404


def exercise_json(exercise: Exercise) -> dict[str, Any]:
    return {
        "id": exercise.slug,
        "name": exercise.name,
        "category": exercise.category,
        "regions": exercise.regions,
        "position": exercise.position,
        "equipment": exercise.equipment,
        "difficulty": exercise.difficulty,
        "dosage": exercise.dosage,
        "dosage_words": in_words(exercise.dosage),
        "retired": exercise.retired,
    }


def program_json(program: Program) -> dict[str, Any]:
    """The program as it is now (the therapist's draft included), with the version last given to
    the patient (what their paper, phone page, FHIR's active CarePlan and data export show) and
    whether the program differs from it (paper_state.last_given)."""
    cov = programs.program_coverage(program)
    unchecked = {f.item.id for f in unchecked_items(program)}
    next_date = reevaluation.next_reevaluation(program)
    directions = program_directions(program)
    last = paper_state.last_given(get_session(), program, directions)
    return {
        "id": program.id,
        "patient_id": program.patient_id,
        "title": program.title,
        "goals": program.goals,
        "version": program.version,
        "issued": program.issued,
        "start_date": program.start_date.isoformat(),
        "frequency": program.frequency,
        "visit_plan": program.visit_plan,
        "next_reevaluation": next_date.isoformat() if next_date else None,
        "advice": program.advice,
        "advice_text": program.advice_text,
        "archived": program.archived,
        "last_given": {
            "version": last.number,
            "given_at": last.given_at.astimezone(UTC).isoformat(),
            "program_differs": last.differs,
        }
        if last is not None
        else None,
        "coverage": {
            "goals_covered": cov.goals_covered,
            "goals_missing": cov.goals_missing,
            "regions": cov.regions,
            "session_minutes": cov.session_minutes,
            "day_minutes": cov.day_minutes,
        },
        "items": [
            {
                "position": i.position,
                "exercise": exercise_json(i.exercise),
                "dosage": i.dosage,
                "side": direction.side,  # the item's own, else the one the patient's pattern gives
                # False: a direction-specific exercise with no side; no handout is made until one is set.
                "direction_set": not direction.unset,
                "checked": i.id not in unchecked,
                "note": i.note,
                "dosage_words": prescription_words(direction, i.dosage),
            }
            for i, direction in zip(program.items, directions, strict=True)
        ],
    }


@bp.get("/programs/<int:program_id>")
@signed_in
def program(program_id: int) -> Any:
    """:raise 404: for a program of another clinic."""
    found = programs.get_program(get_session(), current_user.clinic_id, program_id)
    log_patient("view", found.patient_id, detail="api", subject_type="program", subject_id=found.id)
    get_session().commit()
    return jsonify(program_json(found))


@bp.get("/patients/<int:patient_id>/programs")
@signed_in
def patient_programs(patient_id: int) -> Any:
    """:raise 404: for a patient of another clinic."""
    db = get_session()
    patient = patients.get_patient(db, current_user.clinic_id, patient_id)
    log_patient("view", patient.id, detail="api programs")
    db.commit()
    return jsonify([program_json(p) for p in programs.programs_of_patient(db, current_user.clinic_id, patient.id)])


@bp.get("/exercises")
@signed_in
def exercises() -> Any:
    result = catalog.search_exercises(
        get_session(),
        current_user.clinic_id,
        request.args.get("q", ""),
        catalog.Filters(category=request.args.get("category", "")),
        page=request.args.get("page", 1, type=int),
    )
    return jsonify(
        {
            "total": result.total,
            "page": result.page,
            "pages": result.pages,
            "corrected": result.corrected,
            "exercises": [exercise_json(e) for e in result.exercises],
        }
    )


@bp.get("/openapi.json")
def openapi() -> Any:
    """The OpenAPI description of this API."""
    from planner.web.api.openapi import DOCUMENT

    return jsonify(DOCUMENT)
