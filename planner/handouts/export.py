"""Every active program's handout written into a folder, on several cores at once.

Each worker process opens its own engine from the database URL (a connection must never be
shared across a fork) and registers the fonts once. Workers build a chunk of handouts and hand
back what each one shows; the parent issues a chunk's versions in one short write (bulk
statements, no objects), so it takes little of the two cores and no worker waits on a lock.

A handout that cannot be made (HandoutNotMade: a fault on our side, logged once with its traceback
where it was made) leaves out that program only: the worker hands the fault back as a value, with
its reference, and the export goes on with the others; export_all returns them for the report.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from planner.handouts.build import build_handout, build_preview
from planner.handouts.styles import HandoutOptions, register_fonts
from planner.models import Clinic, DystoniaPattern, Patient, Program, ProgramItem
from planner.services.faults import HandoutNotMade
from planner.services.issuing import EMPTY, Printed, issue_printed, printed, renew_changed_papers
from planner.services.patterns import DirectionsNotSet, flagged_names, unchecked_items, unset_items, unset_message
from planner.services.portal import link_urls

CHUNK = 20

_worker: dict[str, Any] = {}


class Exported(NamedTuple):
    """What export_all did: `written`, how many handouts it wrote, and `not_made`, those it could
    not make, by program id (each names its program, patient and the log's reference)."""

    written: int
    not_made: list[HandoutNotMade]


class Chunk(NamedTuple):
    """What a worker hands back for a chunk: what each written handout shows, and the faults."""

    built: list[Printed]
    not_made: list[HandoutNotMade]


def active_program_ids(session: Session) -> list[int]:
    """Programs not archived, of patients not archived, oldest first."""
    return list(
        session.scalars(
            select(Program.id)
            .join(Patient, Patient.id == Program.patient_id)
            .where(Program.archived_at.is_(None), Patient.archived_at.is_(None))
            .order_by(Program.id)
        )
    )


def file_name(program: Program) -> str:
    """`program-12-v3.pdf`: ids only, so no patient name ends up in a file listing."""
    return f"program-{program.id}-v{program.version}.pdf"


def write_atomically(path: Path, data: bytes) -> None:
    """Write next to the target and rename, so a reader never finds half a PDF."""
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(data)
    os.replace(partial, path)


def export_all(
    database_url: str,
    folder: str | os.PathLike[str],
    options: HandoutOptions,
    now: datetime,
    workers: int = 2,
    progress: Callable[[int], None] | None = None,
    chunk: int = CHUNK,
    links: tuple[str, str] | None = None,
    preview: bool = False,
) -> Exported:
    """Write the handout of every active program into `folder` and issue each version ("export").

    `preview`: write each marked "Preview only" (build_preview, program-ID-preview.pdf) and give
    nothing: no version is frozen or issued, so no phone page changes.

    `links` is (secret key, public address): with it, patients who have a private link get its
    QR code on their handout.
    `progress` is called with the number of handouts each finished chunk wrote.
    Returns how many were written (`Exported.written`): a program with an exercise whose direction has no side is
    left out (patterns.refuse_unset_directions; `unwritten` names them), and so is one with
    exercises the pattern flags that the therapist has not checked (`flagged_programs`), and one
    whose handout could not be made (`Exported.not_made`; the others are still written).
    :raise OSError: when the folder cannot be created or written.
    """
    from planner.db import make_engine

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    engine = make_engine(database_url)
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    report = progress or (lambda _n: None)
    try:
        with sessions() as session:
            # As printing does (issuing.renew_if_paper_changed): a given program whose paper would
            # read otherwise now with no edit (a direction or the next re-evaluation's date moved,
            # a clinic's own exercise edited) gets its next version first, so its file, its paper
            # and the frozen copy agree.
            if not preview:
                renew_changed_papers(session, now)
                session.commit()
            ids = active_program_ids(session)
        chunks = [ids[i : i + chunk] for i in range(0, len(ids), chunk)]
        if workers <= 1 or len(chunks) <= 1:
            _start_worker(database_url, str(folder), options, now, links, preview)
            written, not_made = 0, []
            try:
                for part in chunks:
                    done = build_chunk(part)
                    count = _issue(sessions, done.built, now, preview)
                    written += count
                    not_made += done.not_made
                    report(count)
            finally:
                _worker.pop("engine").dispose()
            return Exported(written, not_made)
        engine.dispose()  # nothing open is inherited across the fork
        return _in_pool(sessions, database_url, folder, options, now, workers, chunks, report, links, preview)
    finally:
        engine.dispose()


def _in_pool(
    sessions: sessionmaker,
    database_url: str,
    folder: Path,
    options: HandoutOptions,
    now: datetime,
    workers: int,
    chunks: list[list[int]],
    report: Callable[[int], None],
    links: tuple[str, str] | None,
    preview: bool,
) -> Exported:
    methods = multiprocessing.get_all_start_methods()
    # fork starts a worker in milliseconds; spawn (other systems) imports everything again.
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    written, not_made = 0, []
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(database_url, str(folder), options, now, links, preview),
    ) as pool:
        futures = [pool.submit(build_chunk, part) for part in chunks]
        for future in as_completed(futures):
            done = future.result()
            count = _issue(sessions, done.built, now, preview)
            written += count
            not_made += done.not_made
            report(count)
    return Exported(written, sorted(not_made, key=lambda e: e.program_id))


def _start_worker(
    database_url: str,
    folder: str,
    options: HandoutOptions,
    now: datetime,
    links: tuple[str, str] | None = None,
    preview: bool = False,
) -> None:
    from planner.db import make_engine

    register_fonts()
    engine = make_engine(database_url)
    _worker.update(
        engine=engine,
        sessions=sessionmaker(bind=engine, expire_on_commit=False),
        folder=Path(folder),
        options=options,
        now=now,
        links=links,
        preview=preview,
    )


def _load(session: Session, program_ids: list[int]) -> list[Program]:
    return list(
        session.scalars(
            select(Program)
            .where(Program.id.in_(program_ids))
            .order_by(Program.id)
            .options(
                selectinload(Program.items).selectinload(ProgramItem.exercise),
                selectinload(Program.patient).selectinload(Patient.primary_therapist),
                selectinload(Program.therapist),
                selectinload(Program.evaluations),  # type: ignore[attr-defined]  # a backref of Evaluation.program
            )
        )
    )


def build_chunk(program_ids: list[int]) -> Chunk:
    """Build and write these programs' handouts (in a worker); returns what each one shows, and
    the handouts that could not be made (each logged here once; the rest of the chunk goes on).

    Workers only read: the one process that issues is the parent, so no two processes ever wait
    on each other's write lock (SQLite's busy wait would eat the second core).
    """
    now, folder, options = _worker["now"], _worker["folder"], _worker["options"]
    with _worker["sessions"]() as session:
        rows = _load(session, program_ids)
        # The clinics in the session once, so each handout finds its clinic without a query.
        clinics = session.scalars(select(Clinic).where(Clinic.id.in_({p.clinic_id for p in rows}))).all()  # noqa: F841
        links = _worker["links"]
        online = {}
        if links:
            secret_key, public_url = links
            online = link_urls(session, [p.patient_id for p in rows], secret_key, public_url, now)
        built, not_made = [], []
        for program in rows:
            if not program.items:
                continue  # nothing to give (issuing.refuse_empty): the command lists these (`unwritten`)
            try:
                if _worker["preview"]:  # marked, a box for the QR code, nothing given: no check needed
                    data = build_preview(
                        session, program, now, options=options, online_url=online.get(program.patient_id)
                    )
                    write_atomically(folder / f"program-{program.id}-preview.pdf", data)
                    built.append(printed(program))
                    continue
                if unchecked_items(program):
                    # Flagged exercises wait for the therapist's check (the command names the
                    # program once, by `flagged_programs`): nothing is made, so no fault names it again.
                    continue
                data = build_handout(session, program, now, online_url=online.get(program.patient_id), options=options)
            except DirectionsNotSet:
                continue  # no handout names no side: the command lists these (`unwritten`)
            except HandoutNotMade as e:  # logged with its reference; the parent's report names it
                not_made.append(e)
                continue
            write_atomically(folder / file_name(program), data)
            built.append(printed(program))
        return Chunk(built, not_made)


def unwritten(session: Session) -> list[tuple[int, str]]:
    """(program id, why) of each active program export_all leaves out: no exercise, or exercises
    without a side."""
    left_out = []
    for program in _load(session, active_program_ids(session)):
        items = unset_items(program)
        if not program.items:
            left_out.append((program.id, EMPTY))
        elif items:
            left_out.append((program.id, unset_message(items)))
    return left_out


def flagged_programs(session: Session) -> list[tuple[int, str]]:
    """(program id, exercise names) of each active program export_all leaves out because the
    patient's pattern flags exercises of it (contraindicated, toward the pull) that the therapist
    has not checked for it as it is (patterns.unchecked_items): the command names them after."""
    # Only a recorded pattern flags anything: the programs of patients without one are not read.
    with_pattern = select(DystoniaPattern.patient_id)
    ids = session.scalars(
        select(Program.id)
        .join(Patient, Patient.id == Program.patient_id)
        .where(Program.archived_at.is_(None), Patient.archived_at.is_(None), Program.patient_id.in_(with_pattern))
        .order_by(Program.id)
    ).all()
    found = []
    for program in _load(session, list(ids)):
        flagged = unchecked_items(program)
        if flagged and not unset_items(program):
            found.append((program.id, flagged_names(flagged)))
    return found


def _issue(sessions: sessionmaker, built: list[Printed], now: datetime, preview: bool = False) -> int:
    """Issue the versions that were written, in one transaction; a program changed meanwhile
    is left for its next print. Previews issue nothing. Returns how many handouts the chunk wrote."""
    if preview:
        return len(built)
    with sessions() as session:
        issue_printed(session, built, "export", now)
        session.commit()
    return len(built)
