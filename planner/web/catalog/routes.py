"""Catalog pages: search and browse, one exercise, and a clinic's own exercises (create, edit, retire)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from planner import dosage
from planner.bidi import isolate
from planner.catalog import vocabulary
from planner.db import get_session
from planner.models import Exercise
from planner.scoping import belongs_to
from planner.services import DomainError, catalog, custom_exercises
from planner.services.custom_exercises import CustomExerciseData, InvalidExercise
from planner.web.admin.forms import ConfirmForm
from planner.web.catalog import pictures
from planner.web.catalog.forms import CustomExerciseForm, SearchForm
from planner.web.catalog.results import catalog_results
from planner.web.confirm import ask_then_act
from planner.web.forms import show_error

bp = Blueprint("catalog", __name__, url_prefix="/exercises")


@bp.app_template_filter("dosage_words")
def dosage_words(value: dict[str, Any] | None, side: str | None = None, language: str = "en") -> str:
    """The dosage in words (planner.dosage), in `language`: the patient's on the phone page."""
    return dosage.in_words(value, side, language)


bp.add_app_template_global(pictures.exercise_svg, "exercise_svg")


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {"vocab": vocabulary, "label": vocabulary.label}


@bp.get("")
@login_required
def index() -> Any:
    form = SearchForm(formdata=request.args)
    difficulty = request.args.get("difficulty", type=int)
    filters = catalog.Filters(
        category=_known(form.category.data, vocabulary.CATEGORIES),
        region=_known(form.region.data, vocabulary.REGIONS),
        position=_known(form.position.data, vocabulary.POSITIONS),
        equipment=_known(form.equipment.data, vocabulary.EQUIPMENT),
        difficulty=difficulty if difficulty in vocabulary.DIFFICULTIES else None,
        condition=_known(form.condition.data, vocabulary.CONDITIONS),
        approach=_known(form.approach.data, vocabulary.APPROACHES),
        source=form.source.data if form.source.data in catalog.SOURCES else "",
        include_retired=bool(form.retired.data),
    )
    text = (form.q.data or "")[: catalog.QUERY_MAX]
    # Kept per process while the clinic's catalog stays as it is (web/catalog/results.py).
    result = catalog_results(
        get_session(), current_user.clinic_id, text, filters, page=request.args.get("page", 1, type=int)
    )
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "catalog/index.html",
        form=form,
        result=result,
        text=text,
        args=args,
        filtered=bool(text) or filters != catalog.Filters(),
        narrowed=filters != catalog.Filters(),
    )


@bp.get("/<slug>")
@login_required
def show(slug: str) -> Any:
    """:raise 404: for an exercise that does not exist or is another clinic's."""
    db = get_session()
    exercise = catalog.get_exercise(db, current_user.clinic_id, slug)
    return render_template(
        "catalog/show.html",
        exercise=exercise,
        form=ConfirmForm(),
        harder=catalog.exercises_by_slug(db, current_user.clinic_id, exercise.progression),
        easier=catalog.exercises_by_slug(db, current_user.clinic_id, exercise.regression),
        own=belongs_to(exercise, current_user.clinic_id),
    )


@bp.get("/<slug>/photo")
@login_required
def photo(slug: str) -> Any:
    """The custom exercise's photo, re-encoded on upload.

    :raise 404: for an exercise without a photo, or another clinic's.
    """
    exercise = catalog.get_exercise(get_session(), current_user.clinic_id, slug)
    if not exercise.photo_mime or exercise.photo is None:
        abort(404)
    response = Response(exercise.photo, mimetype=exercise.photo_mime)
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    form = CustomExerciseForm()
    if request.method == "GET":
        form.equipment.data = ["none"]
        form.conditions.data = ["general"]
        form.times_per_day.data, form.days_per_week.data = 1, 7
    if form.validate_on_submit():
        db = get_session()
        try:
            exercise = custom_exercises.create_custom_exercise(
                db, current_user.clinic_id, _data(form), datetime.now(UTC), photo=_upload(form)
            )
            db.commit()
        except DomainError as e:
            db.rollback()
            _show_problems(form, e)
        else:
            flash(f"“{isolate(exercise.name)}” is added to your clinic's exercises.", "success")
            return redirect(url_for("catalog.show", slug=exercise.slug))
    return render_template("catalog/form.html", form=form, exercise=None)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str) -> Any:
    """:raise 404: for a catalog exercise or another clinic's."""
    db = get_session()
    exercise = custom_exercises.get_custom_exercise(db, current_user.clinic_id, slug)
    form = CustomExerciseForm()
    if request.method == "GET":
        _fill_form(form, exercise)
    if form.validate_on_submit():
        try:
            custom_exercises.update_custom_exercise(
                db,
                exercise,
                _data(form),
                datetime.now(UTC),
                photo=_upload(form),
                remove_photo=bool(form.remove_photo.data),
            )
            db.commit()
        except DomainError as e:
            db.rollback()
            _show_problems(form, e)
        else:
            flash(f"“{isolate(exercise.name)}” is saved.", "success")
            return redirect(url_for("catalog.show", slug=exercise.slug))
    return render_template("catalog/form.html", form=form, exercise=exercise)


@bp.route("/<slug>/retire", methods=["GET", "POST"])
@login_required
def retire(slug: str) -> Any:
    """Ask first (GET), then retire (POST). Nothing is deleted.

    :raise 404: for a catalog exercise or another clinic's.
    """
    db = get_session()
    exercise = custom_exercises.get_custom_exercise(db, current_user.clinic_id, slug)

    def retire() -> Any:
        custom_exercises.retire_custom_exercise(db, exercise, datetime.now(UTC))
        db.commit()
        flash(f"“{isolate(exercise.name)}” is retired. Programs that use it keep it; you can restore it.", "success")
        return redirect(url_for("catalog.show", slug=exercise.slug))

    return ask_then_act("catalog/retire.html", retire, exercise=exercise)


@bp.post("/<slug>/restore")
@login_required
def restore(slug: str) -> Any:
    """:raise 404: for a catalog exercise or another clinic's."""
    db = get_session()
    exercise = custom_exercises.get_custom_exercise(db, current_user.clinic_id, slug)
    if ConfirmForm().validate_on_submit():
        custom_exercises.restore_custom_exercise(db, exercise, datetime.now(UTC))
        db.commit()
        flash(f"“{isolate(exercise.name)}” is back in the list.", "success")
    return redirect(url_for("catalog.show", slug=exercise.slug))


def _known(value: str | None, allowed: dict) -> str:
    return value if value is not None and value in allowed else ""


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _ids(text: str | None) -> list[str]:
    return [part.strip().lower() for part in (text or "").replace(";", ",").split(",") if part.strip()]


def _phrases(text: str | None) -> list[str]:
    return [" ".join(part.split()) for part in (text or "").replace(";", ",").split(",") if part.strip()]


def _data(form: CustomExerciseForm) -> CustomExerciseData:
    return CustomExerciseData(
        name=form.name.data or "",
        synonyms=_phrases(form.synonyms.data),
        category=form.category.data,
        regions=form.regions.data or [],
        position=form.position.data,
        equipment=_equipment(form.equipment.data or []),
        difficulty=int(form.difficulty.data),
        conditions=form.conditions.data or [],
        approaches=form.approaches.data or [],
        summary=form.summary.data or "",
        steps=_lines(form.steps.data),
        tips=_lines(form.tips.data),
        cautions=_lines(form.cautions.data),
        progression=_ids(form.progression.data),
        regression=_ids(form.regression.data),
        dosage={key: getattr(form, key).data for key in form.DOSAGE_FIELDS if getattr(form, key).data is not None},
    )


def _equipment(ticked: list[str]) -> list[str]:
    """The equipment ticked, without "none" when a piece of equipment is ticked beside it: the
    form ticks "Nothing" for a new exercise, and a therapist who ticks a towel means the towel
    (a catalog file that lists both is still an error, catalog/schema.py)."""
    return [tag for tag in ticked if tag != "none"] if len(ticked) > 1 else ticked


def _fill_form(form: CustomExerciseForm, exercise: Exercise) -> None:
    data = CustomExerciseData.from_exercise(exercise)
    for key in ("name", "category", "regions", "position", "equipment", "conditions", "approaches", "summary"):
        getattr(form, key).data = getattr(data, key)
    form.difficulty.data = str(data.difficulty)
    for key in ("steps", "tips", "cautions"):
        getattr(form, key).data = "\n".join(getattr(data, key))
    form.progression.data = ", ".join(data.progression)
    form.regression.data = ", ".join(data.regression)
    form.synonyms.data = ", ".join(data.synonyms)
    for key in form.DOSAGE_FIELDS:
        getattr(form, key).data = data.dosage.get(key)


def _upload(form: CustomExerciseForm) -> bytes | None:
    file = form.photo.data
    if file is None or not getattr(file, "filename", ""):
        return None
    return file.read()


def _show_problems(form: CustomExerciseForm, error: DomainError) -> None:
    """Each problem next to its field: "steps[2]" on Steps, "dosage.sets" on Sets, "id" on Name."""
    if not isinstance(error, InvalidExercise):
        show_error(form, error.field, error.message)
        return
    for path, message in error.problems:
        part = path.split("[")[0].removeprefix("dosage.")
        name = {"id": "name", "dosage": None}.get(part, part)
        where = path.replace("[", " ").replace("]", "").removeprefix("dosage.").replace("_", " ")
        show_error(form, name, f"{where.capitalize()}: {message}.")
