"""Commands: `flask --app planner handout PROGRAM_ID -o FILE` and `flask --app planner handouts export DIR`."""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from planner.counted import counted
from planner.db import get_session
from planner.handouts.styles import HandoutOptions
from planner.models.base import MAX_ID
from planner.services import DomainError
from planner.settings import current as app_settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from planner.models import Program


def _options() -> HandoutOptions:
    """The app's [handouts] settings (checked when the app was built)."""
    return current_app.extensions["settings"].handouts


@click.command("handout")
@with_appcontext
@click.argument("program_id", type=click.IntRange(1, MAX_ID))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="The PDF file to write; - writes to standard output.",
)
@click.option(
    "--checked",
    is_flag=True,
    help="Confirm you have checked the exercises the patient's dystonia pattern flags "
    "(contraindicated, or toward the pull). Without it such a handout is not written.",
)
@click.option(
    "--preview",
    is_flag=True,
    help="Write a preview marked 'Preview only' (a box where the QR code prints) and give nothing: the phone page keeps its version.",
)
def handout(program_id: int, output: str, checked: bool, preview: bool) -> None:
    """Write one program's handout as a PDF and give that version to the patient: their phone page
    shows it (as "Print and give to patient" does). With --preview, a marked preview that gives nothing."""
    from planner.handouts.build import build_handout
    from planner.handouts.export import write_atomically
    from planner.models import Program
    from planner.services.issuing import issue, renew_if_paper_changed

    db = get_session()
    # The server's operator works across clinics, as `flask shell` would: no clinic scope here.
    program = db.get(Program, program_id)
    if program is None:
        raise click.ClickException(f"There is no program with the id {program_id}.")
    now = datetime.now(UTC)
    if not program.items:
        from planner.services.issuing import EMPTY

        raise click.ClickException(f"No handout written. {EMPTY}")
    if preview:
        _write_preview(db, program, output, now)
        return
    from planner.services.portal import link_url

    links = _links()
    online = link_url(db, program.patient_id, *links, now) if links else None

    renew_if_paper_changed(db, program, now)  # the paper names the version frozen with it
    from planner.services.audit import record_command
    from planner.services.patterns import confirm_checked, flagged_names, unchecked_items, unset_items

    flagged = unchecked_items(program)  # none when checked already for the program as it is
    if flagged and not checked and not unset_items(program):
        db.commit()  # a renewed version is kept; nothing is written or issued
        raise click.ClickException(
            f"No handout written. The patient's dystonia pattern flags {flagged_names(flagged)}: "
            + " ".join(f"{f.item.exercise.name}: {f.why}" for f in flagged)
            + " Check them, then run again with --checked."
        )
    try:
        data = build_handout(db, program, now, online_url=online, options=_options())
    except DomainError as e:  # no side yet, or not made (HandoutNotMade: the fault is in the log)
        db.rollback()
        raise click.ClickException(f"No handout written. {_told(e)}") from None
    if output == "-":
        sys.stdout.buffer.write(data)
    else:
        from pathlib import Path

        write_atomically(Path(output), data)
    said = confirm_checked(program, flagged) if flagged else ""  # --checked: kept, and in the audit
    had = program.issued  # this very version was given before: nothing new reaches the phone
    issue(db, program, None, "export", now)
    record_command(
        db,
        program.clinic_id,
        "print",
        "program",
        program.id,
        patient_id=program.patient_id,
        detail=f"command line: handout, version {program.version}{said}",
    )
    db.commit()
    if output != "-":
        click.echo(f"Wrote the handout of “{program.title}” (version {program.version}) to {output}.")
    # Said on standard error, so `-o -` still writes only the PDF to standard output.
    click.echo(_given_sentence(program.id, program.version, had), err=output == "-")
    _say_what_to_check(db, program, now)


def _say_what_to_check(db: Session, program: Program, now: datetime) -> None:
    """On standard error, what the therapist checks before the handout reaches the patient (as the
    program page lists it): characters no font has, the patient's language when no handout is made
    in it, parts with no translation, and parts printed as written."""
    from planner.handouts import STAND_IN, not_in_language, not_the_patients, unprintable_fields, written_by_you
    from planner.handouts.content import handout_content
    from planner.handouts.printable import english_name
    from planner.languages import handout_language

    content = handout_content(
        db, program, now, language=handout_language(program.patient.language, _options().languages)
    )
    for field in unprintable_fields(content):
        click.echo(
            f"Warning: {field.field} prints {field.described} as “{STAND_IN}”: no handout font has it.", err=True
        )
    # One label per line, so no sentence has to agree with a part's name ("Goals", "Exercise 2: your note").
    language = english_name(content.language)
    if preferred := not_the_patients(content, program.patient.language):
        click.echo(
            f"Not in {english_name(preferred)}, the patient's language: no handout is made in it yet, "
            f"so every part prints in {language}.",
            err=True,
        )
    for part in not_in_language(content):
        click.echo(f"Not in {language}, no translation: {part}", err=True)
    for part in written_by_you(content):
        click.echo(f"Written by you, printed as written (check it is in {language}): {part}", err=True)


def _told(error: DomainError) -> str:
    """What the person at the command line reads for a handout not made: what to try from there (a
    preview of that one program, which gives nothing and shows the fault, as the log has it, on
    standard error), not the pages' "Open the program's preview"; any other DomainError's message."""
    from planner.services.faults import HandoutNotMade

    if not isinstance(error, HandoutNotMade) or error.preview:
        return error.message
    return (
        f"{error.what} Try its preview alone, which gives nothing: "
        f"flask handout {error.program_id} -o program-{error.program_id}-preview.pdf --preview. "
        f"If that fails too, contact support and give them reference {error.reference}."
    )


def _given_sentence(program_id: int, version: int, had: bool) -> str:
    """What writing the handout did to the patient's phone page, in one sentence."""
    if had:
        return f"Version {version} of program {program_id} was given before: the phone page already shows it."
    return f"Gave version {version} of program {program_id} to the patient (the phone page now shows it)."


def _write_preview(db: Session, program: Program, output: str, now: datetime) -> None:
    """Write the program's handout marked "Preview only" (handouts.build_preview): nothing given."""
    from planner.handouts.build import build_preview
    from planner.handouts.export import write_atomically
    from planner.services.portal import link_url

    links = _links()
    online = link_url(db, program.patient_id, *links, now) if links else None
    try:
        data = build_preview(db, program, now, options=_options(), online_url=online)
    except DomainError as e:  # no side yet, or not made (HandoutNotMade: the fault is in the log)
        raise click.ClickException(f"No preview written. {e.message}") from None
    if output == "-":
        sys.stdout.buffer.write(data)
    else:
        from pathlib import Path

        write_atomically(Path(output), data)
    where = "standard output" if output == "-" else output
    click.echo(
        f"Wrote a preview of “{program.title}” to {where}. Nothing was given: the phone page is unchanged.",
        err=output == "-",
    )
    _say_what_to_check(db, program, now)


# An AppGroup, so each command runs inside the app context (database, config).
handouts = AppGroup("handouts", help="Handouts of many programs at once.")


@handouts.command("export")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Processes building at once. Default: [handouts] export_workers in config.toml.",
)
@click.option(
    "--preview",
    is_flag=True,
    help="Write previews marked 'Preview only' (program-ID-preview.pdf) and give nothing to any patient.",
)
def export(folder: str, workers: int | None, preview: bool) -> None:
    """Write the handout of every active program into FOLDER, one PDF each (program-ID-vVERSION.pdf),
    and give each version to its patient: their phone pages show it. With --preview, marked previews
    that give nothing. A handout that cannot be made (a fault on our side, in the log under a
    reference) leaves out its program only: the others are written, the command ends naming each
    one left out with its reference, and exits with status 1."""
    from sqlalchemy import func, select

    from planner.handouts.export import active_program_ids, export_all
    from planner.models import ProgramVersion

    options = _options()
    total = len(active_program_ids(get_session()))
    # The versions frozen from here on are the ones this export gives (named after).
    before = get_session().scalar(select(func.coalesce(func.max(ProgramVersion.id), 0)))
    get_session().close()
    current_app.extensions["db_engine"].dispose()  # the workers open their own connections
    started = time.perf_counter()
    try:
        with click.progressbar(length=total, label="Writing handouts", file=sys.stderr) as bar:
            exported = export_all(
                current_app.config["DATABASE_URL"],
                folder,
                options,
                datetime.now(UTC),
                workers=workers or options.export_workers,
                progress=bar.update,
                links=_links(),
                preview=preview,
            )
    except OSError as e:
        raise click.ClickException(f"Could not write into {folder} ({e.strerror or e}).") from None
    except Exception as e:  # a fault outside any one handout (the database, a lost worker): the log keeps it
        from planner.services.faults import logged

        reference = logged(e, "flask handouts export stopped")
        raise click.ClickException(
            "The export stopped because of a fault on our side. "
            "The handouts written before it are in the folder. "
            f"Contact support and give them reference {reference}."
        ) from None
    written = exported.written
    seconds = time.perf_counter() - started
    rate = f" ({written / seconds:.0f} per second)" if written and seconds > 0 else ""
    kind = counted(written, "preview", "previews") if preview else counted(written, "handout", "handouts")
    click.echo(f"Wrote {kind} to {folder} in {seconds:.1f} s{rate}.")
    if preview:
        click.echo("Nothing was given: the patients' phone pages are unchanged.")
    else:
        gave = get_session().execute(
            select(ProgramVersion.program_id, ProgramVersion.number)
            .where(ProgramVersion.id > before, ProgramVersion.how == "export")
            .order_by(ProgramVersion.program_id)
        )
        count = 0
        for program_id, number in gave:
            click.echo(_given_sentence(program_id, number, False))
            count += 1
        if count < written:
            before = written - count
            click.echo(
                "1 of them was given before: that patient's phone page is unchanged."
                if before == 1
                else f"{before} of them were given before: those patients' phone pages are unchanged."
            )
    if written < total:
        from planner.handouts.export import unwritten

        for program_id, why in unwritten(get_session()):
            click.echo(f"Program {program_id}: no handout written. {why}", err=True)
    from planner.handouts.export import flagged_programs

    for program_id, names in [] if preview else flagged_programs(get_session()):
        click.echo(
            f"Program {program_id}: no handout written. The patient's dystonia pattern flags {names}. "
            f"Check them, then write it with: flask handout {program_id} -o FILE --checked",
            err=True,
        )
    # Last, so the end of the output says what is missing and whom to tell (status 1).
    what = "preview" if preview else "handout"
    for fault in exported.not_made:
        click.echo(f"Program {fault.program_id}: no {what} written. {_told(fault)}", err=True)
    if exported.not_made:
        missing = len(exported.not_made)
        raise click.ClickException(
            f"{missing} {what}{'' if missing == 1 else 's'} could not be made because of a fault on our side, "
            "listed above with a reference each. The others were written."
        )


def _links() -> tuple[str, str] | None:
    """(secret key, public address) when [server] public_url is set, so handouts carry the patient's QR code."""
    public_url = app_settings().server.public_url
    return (str(current_app.secret_key), public_url) if public_url else None
