"""The program builder's pages: create, the builder itself, details, versions, copy, templates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy.orm import Session

from planner.catalog.vocabulary import CATEGORIES, REGIONS
from planner.db import get_session
from planner.dystonia.direction import Direction, pattern_side
from planner.handouts import STAND_IN, not_in_language, not_the_patients, unprintable_fields, written_by_you
from planner.handouts.content import handout_content
from planner.models import Clinic, Patient, Program
from planner.models.program import COMPACT, GIVEN_WAYS
from planner.services import (
    UNREAD,
    DomainError,
    NotFound,
    Unread,
    advice,
    paper_state,
    patients,
    program_items,
    program_templates,
    programs,
    reevaluation,
    stages,
)
from planner.services.catalog import Filters, catalog_stamp
from planner.services.clinic_time import clinic_zone, local_today
from planner.services.coverage import GOALS
from planner.services.patterns import (
    exercise_spec,
    mirror_clashes,
    patient_pattern,
    prescribed,
    program_directions,
    unset_items,
    unset_message,
)
from planner.services.versions import compare, snapshot_coverage
from planner.settings import current as app_settings
from planner.web import isolate, log_patient, patient_viewed
from planner.web.admin.forms import ConfirmForm
from planner.web.confirm import ask_then_act
from planner.web.forms import show_error
from planner.web.languages import language_name, patient_language
from planner.web.programs.forms import (
    CopyForm,
    FromTemplateForm,
    ItemForm,
    ProgramForm,
    TemplateForm,
    details_fields,
    fit_side_field,
    locked_fields,
)
from planner.web.programs.item_views import item_views
from planner.web.programs.panels import add_panel, filter_options, found_items
from planner.web.progress import progress

bp = Blueprint("programs", __name__)


def now() -> datetime:
    return datetime.now(UTC)


def load(program_id: int) -> Program:
    """:raise NotFound: for a program of another clinic."""
    return programs.get_program(get_session(), current_user.clinic_id, program_id)


def program_form(program: Program | None = None, **kwargs: Any) -> ProgramForm:
    form = ProgramForm(obj=program, advice_options=advice.options(get_session(), current_user.clinic_id), **kwargs)
    return form


def details_from(form: ProgramForm) -> programs.ProgramDetails:
    return programs.ProgramDetails(
        title=form.title.data,
        start_date=form.start_date.data,
        goals=form.goals.data or "",
        frequency=form.frequency.data or "",
        visit_plan=form.visit_plan.data or "",
        reeval_interval_days=form.reeval_interval_days.data,
        reeval_date=form.reeval_date.data,
        advice=form.advice.data or [],
        advice_text=form.advice_text.data or "",
        handout_layout=form.handout_layout.data or COMPACT,
    )


def limit() -> int:
    return app_settings().max_exercises


@bp.route("/patients/<int:patient_id>/programs/new", methods=["GET", "POST"])
@login_required
def new(patient_id: int) -> Any:
    """Start a blank program, or pick a template.

    :raise 404: for a patient of another clinic.
    """
    db = get_session()
    patient = patients.get_patient(db, current_user.clinic_id, patient_id)
    form = program_form()
    if request.method == "GET":
        form.start_date.data = date.today()
        form.lock_version.data = 0  # an IntegerField: shown as "0" all the same
    if form.validate_on_submit():
        try:
            program = programs.create_program(
                db,
                patient,
                details_from(form),
                current_user.id,
                now(),
                window=app_settings().window,
                schedule=app_settings().schedule,
            )
            log_patient("create", patient.id, subject_type="program", subject_id=program.id)
            db.commit()
        except DomainError as e:
            db.rollback()
            show_error(form, e.field, e.message)
        else:
            flash("The program is created. Now add exercises.", "success")
            return redirect(url_for("programs.edit", program_id=program.id))
    start = FromTemplateForm(start_date=date.today())
    templates = program_templates.list_templates(db, current_user.clinic_id)
    patient_viewed(patient.id, "new program form")  # it names the patient's active program
    return render_template(
        "programs/new.html",
        form=form,
        patient=patient,
        start=start,
        templates=templates,
        summaries={t.id: program_templates.summary(t, limit()) for t in templates},
    )


@bp.post("/patients/<int:patient_id>/programs/from-template")
@login_required
def from_template(patient_id: int) -> Any:
    """:raise 404: for a patient or template of another clinic."""
    db = get_session()
    patient = patients.get_patient(db, current_user.clinic_id, patient_id)
    form = FromTemplateForm()
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("programs.new", patient_id=patient.id))
    template = program_templates.get_template(db, current_user.clinic_id, int(form.template.data))
    try:
        report = program_templates.start_from_template(
            db,
            template,
            patient,
            current_user.id,
            form.start_date.data,
            now(),
            window=app_settings().window,
            schedule=app_settings().schedule,
            max_exercises=limit(),
        )
    except DomainError as e:
        db.rollback()
        flash(e.message, "error")
        return redirect(url_for("programs.new", patient_id=patient.id))
    log_patient(
        "create",
        patient.id,
        detail=f"from template {template.name}",
        subject_type="program",
        subject_id=report.program.id,
    )
    db.commit()
    flash(f"The program is started from “{isolate(template.name)}”. Adjust it to the patient.", "success")
    if report.note_left_out:
        flash(
            f"The template's note “{isolate(report.note_left_out)}” is left out: it says how often or how long. "
            "The handout works that out from each exercise's dosage.",
            "warning",
        )
    if report.skipped:
        flash("Left out, retired from the catalog: " + ", ".join(map(isolate, report.skipped)) + ".", "warning")
    for line in program_templates.left_out_sentences(report):  # one sentence per reason
        flash(line, "warning")
    for name, why in report.added:
        flash(f"Added for this patient's pattern: “{isolate(name)}”. {why}", "success")
    if report.not_added:
        # With the button that adds them in one step: an autoescaped template, so safe to mark up.
        flash(
            Markup(  # noqa: S704
                render_template(
                    "programs/_not_added.html",
                    program=report.program,
                    template=template,
                    not_added=report.not_added,
                    most=limit(),
                    lock_fields=locked_fields(
                        report.program.lock_version,
                        generate_csrf() if current_app.config.get("WTF_CSRF_ENABLED", True) else None,
                    ),
                )
            ),
            "warning",
        )
    if report.tremor:
        flash(report.tremor, "warning")
    if report.jaw:
        flash(report.jaw, "warning")
    for line in report.untargeted:
        flash(line, "warning")
    if report.directed:
        flash(
            "Directions set from the recorded pattern: "
            # Each sentence ends in its own full stop: joined by a space, never ".;".
            + " ".join(f"“{isolate(name)}”: {sentence}" for name, sentence in report.directed),
            "success",
        )
    if report.undirected:
        flash(
            "No direction set, as the pattern does not record that movement: "
            + ", ".join(f"“{isolate(name)}”" for name in report.undirected)
            + ". Choose the side at each one.",
            "warning",
        )
    return redirect(url_for("programs.edit", program_id=report.program.id))


@bp.get("/programs/<int:program_id>")
@login_required
def edit(program_id: int) -> Any:
    """The builder: details, exercises with dosage, the coverage panel, and the add panel.

    :raise 404: for a program of another clinic.
    """
    db = get_session()
    program, phone_link, latest, other_active, catalog = programs.get_program_for_builder(
        db, current_user.clinic_id, program_id, now()
    )
    log_patient("view", program.patient_id, subject_type="program", subject_id=program.id)
    db.commit()
    # A date saved further ahead than dates can be now says so at its field as the page opens.
    beyond = programs.dates_beyond_window(db, program, now(), app_settings().window)
    details = program_form(program, saved=program) if beyond else None
    for field, said in beyond.items():
        show_error(details, field, said)
    return render_builder(
        program,
        details=details,
        phone_link=phone_link,
        latest_evaluation=latest,
        other_active=other_active,
        stamp=catalog,
    )


def second_copies(program: Program, directions: list[Direction]) -> dict[int, tuple[str, str]]:
    """Per exercise id in the program, what its add button would do: (the side a second copy
    takes, "") or ("", why it is not added again), as program_items.add_item decides it."""
    copies: dict[int, list[tuple[int, str]]] = {}
    for item, direction in zip(program.items, directions, strict=True):
        copies.setdefault(item.exercise_id, []).append((item.position, direction.side))
    found = {}
    for item in program.items:
        if item.exercise_id in found:
            continue
        try:
            # The name set in the sentence in its own direction (a Hebrew or Arabic name in English).
            side = program_items.second_copy_side(
                isolate(item.exercise.name), exercise_spec(item.exercise), copies[item.exercise_id]
            )
        except DomainError as e:
            found[item.exercise_id] = ("", e.message)
        else:
            found[item.exercise_id] = (side, "")
    return found


def render_builder(
    program: Program,
    item_forms: dict[int, ItemForm] | None = None,
    details: ProgramForm | None = None,
    status: int = 200,
    phone_link: bool | None = None,
    latest_evaluation: date | None | Unread = UNREAD,
    other_active: bool | None = None,
    stamp: tuple[Any, ...] | None = None,
) -> Any:
    """The builder page. `phone_link`: whether the patient has a working phone link,
    `latest_evaluation`: the day of the program's latest re-evaluation, `other_active`: whether
    the patient has another active program, and `stamp`: the clinic's catalog_stamp, when read
    with the program (get_program_for_builder); else the header asks, next_reevaluation and
    catalog_stamp read them."""
    db = get_session()
    csrf_on = current_app.config.get("WTF_CSRF_ENABLED", True)
    # Each exercise's side field: a direction from the recorded pattern, or left / right / both.
    pattern = patient_pattern(program.patient)
    # Each item's direction, worked out once for the page, its handout check and its progress panel.
    directions = program_directions(program)
    side_fields = {}
    for item in program.items:
        spec = exercise_spec(item.exercise)
        side_fields[item.id] = (spec, pattern_side(spec, pattern))
    for item_id, form in (item_forms or {}).items():
        fit_side_field(form, *side_fields[item_id])
    query = request.args.get("q", "")
    category = request.args.get("category", "")
    region = request.args.get("region", "")
    # What is made from the catalog alone is kept per process while the catalog stays as it is.
    if stamp is None:
        stamp = catalog_stamp(db, program.clinic_id)
    panel = add_panel(
        db,
        program.clinic_id,
        query,
        Filters(category=category if category in CATEGORIES else "", region=region if region in REGIONS else ""),
        stamp,
        str(get_locale()),
    )
    # Held while the page is made, so the handout check reads the clinic from the session, not
    # the database again (the session keeps only rows something still refers to).
    clinic = db.get(Clinic, program.clinic_id)
    today = local_today(clinic_zone(db, program.clinic_id), now())
    next_reeval = reevaluation.next_reevaluation(program, latest_evaluation)
    cover = programs.program_coverage(program, limit())  # the page's panel and the handout check's
    content = handout_content(
        db,
        program,
        now(),
        language=patient_language(program.patient),
        directions=directions,
        check_up=next_reeval,
        cover=cover,
    )
    del clinic
    offer = stages.stage_offer(db, program, limit(), stamp=stamp)
    paper = paper_state.paper_state(db, program, directions, next_reeval)  # the last given version, read once
    csrf = generate_csrf() if csrf_on else None
    shown = prescribed(program, directions=directions)
    # Mirror work set to move the hand the other hand exercises work: said at the item and before printing.
    clashes = mirror_clashes(program, directions)
    # The hidden fields of every small action form (a Locked form's): the same on each, so made once.
    lock_fields = locked_fields(program.lock_version, csrf)
    return render_template(
        "programs/edit.html",
        program=program,
        patient=program.patient,
        # Each exercise's part, kept per process while all it shows is unchanged (item_views).
        # Only a form sent back with errors is a form; the others are written from the saved values.
        item_views=item_views(
            program,
            shown,
            side_fields,
            item_forms or {},
            csrf,
            stamp,
            str(get_locale()),
            # At the item unless its own warnings already say it (the recorded hand: direction.OTHER_HAND).
            {clash.item.id: clash.message for clash in clashes if not clash.recorded_only},
        ),
        # The saved details are written without a ProgramForm; one sent back with errors is shown as typed.
        details=details,
        details_fields=None
        if details is not None
        else details_fields(program, advice.options(db, program.clinic_id), csrf),
        coverage=cover,
        next_reeval=next_reeval,
        panel=panel,
        # The next stage's exercises, and the earlier ones they replace: ticked to retire in the
        # same step (the therapist may untick); `offer.then`: how many the program then has.
        offer=offer,
        query=query,
        category=category,
        region=region,
        lock_fields=lock_fields,
        # The results, each with its Add form: for an exercise in the program already, the side
        # adding it again gives, or why it cannot be (second_copies).
        found_items=found_items(
            panel.found,
            second_copies(program, directions),
            url_for(
                "programs.add_item",
                program_id=program.id,
                q=query or None,
                category=category or None,
                region=region or None,
            ),
            lock_fields,
        ),
        # The filters' choices, the one asked for selected (an unknown one selects none).
        category_options=filter_options("category", category if category in CATEGORIES else ""),
        region_options=filter_options("region", region if region in REGIONS else ""),
        goals=GOALS,
        regions=REGIONS,
        progress=progress(program.patient, today, program, directions, paper.last, paper.last_items),
        prescribed=shown,
        not_set=unset_message(unset_items(program, directions)),
        mirror_clashes=[clash.message for clash in clashes],
        # Said before printing: what the handout's fonts cannot show prints as STAND_IN, and
        # what prints as written in a handout in the patient's language.
        unprintable=unprintable_fields(content),
        stand_in=STAND_IN,
        not_in_language=not_in_language(content),
        written_by_you=written_by_you(content),
        handout_language=language_name(content.language),
        # The patient's own language when no handout is made in it: the whole handout is in another.
        patients_language=language_name(code)
        if (code := not_the_patients(content, program.patient.language))
        else None,
        # Sides the therapist set since the paper handout was given (the pattern's moves are held_back).
        paper_differs=[change for change in paper.changed if change.chosen],
        # What of the paper given the phone page holds back, and why (the pattern recorded since moved it).
        paper_held_back=paper.held_back,
        # The next re-evaluation's date on the paper given, when it has moved since (paper_state.check_up_moved).
        paper_check_up=paper.check_up,
        # The version the patient's phone shows while the program differs from it.
        on_phone=paper.on_phone,
        has_phone_link=phone_link,
        other_active=other_active,
    ), status


@bp.post("/programs/<int:program_id>/details")
@login_required
def save_details(program_id: int) -> Any:
    """:raise 404: for a program of another clinic."""
    db = get_session()
    program = load(program_id)
    form = program_form(saved=program)
    if form.validate_on_submit():
        try:
            programs.update_details(
                db,
                program,
                details_from(form),
                int(form.lock_version.data),
                now(),
                window=app_settings().window,
                schedule=app_settings().schedule,
            )
            log_patient("update", program.patient_id, detail="details", subject_type="program", subject_id=program.id)
            db.commit()
        except DomainError as e:
            db.rollback()
            show_error(form, e.field, e.message)
        else:
            flash("The program details are saved.", "success")
            return redirect(url_for("programs.edit", program_id=program.id) + "#details")
    return render_builder(program, details=form, status=422)


@bp.get("/programs/<int:program_id>/versions")
@login_required
def versions(program_id: int) -> Any:
    """Every issued version, and what changed between any two; "Now (not given yet)" beside them
    while the program as it is now differs from the last given (versions.compare decides). ?from=
    and ?to= take a version's number or "now" (the draft's own number too, as before).

    :raise 404: for a program of another clinic, or a version that is not there.
    """
    program = load(program_id)
    compared = compare(program, request.args.get("from"), request.args.get("to"))
    log_patient("view", program.patient_id, detail="versions", subject_type="program", subject_id=program.id)
    get_session().commit()
    return render_template(
        "programs/versions.html",
        program=program,
        versions=compared.versions,  # read with their givings, in one statement (versions.read_with_givings)
        given_ways=GIVEN_WAYS,
        choices=compared.choices,
        a=compared.a,
        b=compared.b,
        label=dict(compared.choices),
        changes=compared.changes,
    )


@bp.get("/programs/<int:program_id>/versions/<int:number>")
@login_required
def version(program_id: int, number: int) -> Any:
    """One issued version, read-only, as the patient was given it.

    :raise 404: for a program of another clinic or a version that does not exist.
    """
    program = load(program_id)
    frozen = next((v for v in program.versions if v.number == number), None)
    if frozen is None:
        abort(404)
    log_patient("view", program.patient_id, detail=f"version {number}", subject_type="program", subject_id=program.id)
    get_session().commit()
    return render_template(
        "programs/version.html",
        program=program,
        version=frozen,
        given_ways=GIVEN_WAYS,
        snap=frozen.snapshot,
        coverage=snapshot_coverage(frozen.snapshot),
    )


@bp.route("/programs/<int:program_id>/copy", methods=["GET", "POST"])
@login_required
def copy(program_id: int) -> Any:
    """:raise 404: for a program or patient of another clinic."""
    db = get_session()
    program = load(program_id)
    form = CopyForm()
    target = _copy_target(db, program, form) if form.validate_on_submit() else None
    if target is not None:
        new_program = programs.copy_to_patient(
            db, program, target, current_user.id, now(), window=app_settings().window, schedule=app_settings().schedule
        )
        log_patient(
            "create",
            target.id,
            detail=f"copied from program {program.id}",
            subject_type="program",
            subject_id=new_program.id,
        )
        db.commit()
        flash(f"The program is copied to {isolate(target.name)}. Adjust it to them.", "success")
        read, reads = patient_language(program.patient), patient_language(target)
        if read != reads:
            was, now_in = isolate(language_name(read)), isolate(language_name(reads))
            # Typed words are copied as they are: the new patient's handout is in another language.
            flash(
                f"{isolate(program.patient.name)}'s handout is in {was}, and {isolate(target.name)}'s is in "
                f"{now_in}. What you or your clinic wrote (the title, goals, notes, other advice and your own "
                f"exercises) is copied as written: check that each one is in {now_in}.",
                "warning",
            )
        return redirect(url_for("programs.edit", program_id=new_program.id))
    # The therapist finds the patient by name (a GET form: no script needed), among the whole
    # clinic's active patients, a page of them at a time.
    search = (request.values.get("q") or "").strip()[:MAX_SEARCH]
    matches: list[Patient] = []
    more = False
    if search:
        found = patients.list_patients(db, current_user.clinic_id, search=search, page_size=COPY_MATCHES + 1)
        matches = [p for p in found.patients if p.id != program.patient_id]
        more = found.more_after or len(matches) > COPY_MATCHES
        matches = matches[:COPY_MATCHES]
    patient_viewed(
        program.patient_id, f"copy form, search={search!r}" if search else "copy form", "program", program.id
    )
    return render_template("programs/copy.html", form=form, program=program, search=search, matches=matches, more=more)


COPY_MATCHES = 20  # patients listed for a search on the copy page: type more of the name for others
MAX_SEARCH = 120  # as the patient list's search


def _copy_target(db: Session, program: Program, form: CopyForm) -> Patient | None:
    """The patient the form names, or None with the reason at the field: not of this clinic,
    archived, or the program's own patient."""
    try:
        target = patients.get_patient(db, current_user.clinic_id, form.patient.data)
    except NotFound:
        show_error(form, "patient", "That patient is not one of your clinic's patients. Find the patient by name.")
        return None
    if target.archived_at is not None:
        show_error(form, "patient", f"{target.name} is archived. Restore them first, or choose another patient.")
        return None
    if target.id == program.patient_id:
        show_error(form, "patient", "The program is already this patient's. Choose another patient.")
        return None
    return target


@bp.route("/programs/<int:program_id>/save-template", methods=["GET", "POST"])
@login_required
def save_template(program_id: int) -> Any:
    """:raise 404: for a program of another clinic."""
    db = get_session()
    program = load(program_id)
    form = TemplateForm(name=program.title) if request.method == "GET" else TemplateForm()
    if form.validate_on_submit():
        try:
            template = program_templates.save_as_template(
                db, program, form.name.data, form.description.data or "", now()
            )
            db.commit()
        except DomainError as e:
            db.rollback()
            show_error(form, e.field, e.message)
        else:
            flash(f"Saved as the clinic template “{isolate(template.name)}”.", "success")
            return redirect(url_for("programs.edit", program_id=program.id))
    patient_viewed(program.patient_id, "save as template form", "program", program.id)
    return render_template("programs/save_template.html", form=form, program=program)


@bp.route("/programs/<int:program_id>/archive", methods=["GET", "POST"])
@login_required
def archive(program_id: int) -> Any:
    """Ask first, then archive; nothing is deleted. :raise 404: for another clinic's program."""
    db = get_session()
    program = load(program_id)

    def archive_or_restore() -> Any:
        archived = not program.archived
        programs.set_archived(db, program, archived, now(), app_settings().schedule)
        log_patient(
            "archive" if archived else "restore", program.patient_id, subject_type="program", subject_id=program.id
        )
        db.commit()
        flash("The program is archived." if archived else "The program is active again.", "success")
        return redirect(url_for("patients.show", patient_id=program.patient_id))

    return ask_then_act(
        "programs/archive.html",
        archive_or_restore,
        lambda: patient_viewed(program.patient_id, "archive form", "program", program.id),
        program=program,
    )


@bp.get("/templates")
@login_required
def templates() -> Any:
    return render_template(
        "programs/templates.html",
        form=ConfirmForm(),
        templates=program_templates.list_templates(get_session(), current_user.clinic_id),
    )


@bp.route("/templates/<int:template_id>/delete", methods=["GET", "POST"])
@login_required
def delete_template(template_id: int) -> Any:
    """:raise 404: for a shipped template or another clinic's."""
    db = get_session()
    template = program_templates.own_template(db, current_user.clinic_id, template_id)

    def delete() -> Any:
        program_templates.delete_template(db, current_user.clinic_id, template_id)
        db.commit()
        flash(f"The template “{isolate(template.name)}” is deleted. Programs made from it are unchanged.", "success")
        return redirect(url_for("programs.templates"))

    return ask_then_act("programs/template_delete.html", delete, template=template)
