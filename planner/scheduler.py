"""APScheduler as the clock only: one interval job that dispatches what the outbox holds.

The truth is the outbox table, so the scheduler keeps no job store of its own: several processes
may each run one, a restart loses nothing, and after downtime the first run sends what came due
(once each: the rows are claimed, not the ticks). Started by `flask serve` (embedded) or
`flask reminders run`, never by create_app, so tests and one-off commands never start it.
The same clock takes the nightly backup when [backup] nightly = true.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from planner.mail import mailer_from_settings
from planner.services import dispatcher_runs, exercise_reminder_days
from planner.services.emails import make_composer
from planner.services.outbox import DispatchReport, dispatch_all, dispatcher_session
from planner.settings import BackupSettings
from planner.settings import of as settings_of

log = logging.getLogger(__name__)


def dispatch_once(app: Flask) -> DispatchReport:
    """Send everything due now through the configured mailer; returns what happened."""
    settings = app.extensions["settings"]
    mailer = mailer_from_settings(settings.raw, app.instance_path)  # the [mail] backend's own options
    started = datetime.now(UTC)
    try:
        with dispatcher_session(app.extensions["db_engine"]) as session:
            try:  # the day's exercise reminders whose time has come: made once, whoever runs first
                exercise_reminder_days.create_due(session, datetime.now(UTC))
            except Exception:  # the outbox still goes out; the next run tries again
                session.rollback()
                log.exception("making the day's exercise reminders failed")
            report = dispatch_all(
                session,
                mailer,
                make_composer(settings.mail),
                lambda: datetime.now(UTC),
                settings.dispatch,
            )
            # Only a run that got this far counts for /healthz.
            dispatcher_runs.record(
                session, dispatcher_runs.this_process(), started, datetime.now(UTC), report.sent, report.failed
            )
    finally:
        mailer.close()
    if report.sent or report.failed or report.retried:
        log.info("outbox: %s", report)
    return report


def _tick(app: Flask) -> None:
    try:
        dispatch_once(app)
    except Exception:  # the next tick tries again; the rows keep their state
        log.exception("dispatching reminders failed")


def backup_folder(backup: BackupSettings, instance_path: str) -> Path:
    """[backup] folder; a relative one is inside the instance folder."""
    return Path(instance_path) / backup.folder


def nightly_backup_once(app: Flask, now: datetime, zone: tzinfo | None = None) -> Path | None:
    """Take the night's backup if one is due at `now` (see planner.backup.nightly_due), with
    [backup] hour in `zone` (this server's when None); the new file or None."""
    from planner.backup import find_pg_tools, nightly_backup

    backup = settings_of(app).backup
    return nightly_backup(
        app.extensions["db_engine"].url,
        backup_folder(backup, app.instance_path),
        keep=backup.keep,
        hour=backup.hour,
        now=now,
        zone=zone,
        pg_bin=find_pg_tools(backup.pg_bin),
    )


def _nightly_tick(app: Flask) -> None:
    try:
        path = nightly_backup_once(app, datetime.now(UTC))
    except Exception:  # the next check tries again
        log.exception("the nightly backup failed")
        return
    if path is not None:
        log.info("nightly backup written to %s", path)


def make_scheduler(app: Flask, blocking: bool = False) -> BaseScheduler:
    """A scheduler with the dispatch job, first run at once (overdue emails go out on start), and,
    with [backup] nightly = true, a check every quarter hour for the night's backup (a night
    missed while the machine was off is caught up at the first check)."""
    interval = settings_of(app).clock.interval_seconds
    job_defaults = {
        "coalesce": True,  # ticks missed while busy or asleep become one run, not a burst
        "max_instances": 1,  # a slow run is never overlapped by the next tick
        "misfire_grace_time": None,  # a late tick still runs (the default of 1 s silently drops it)
    }
    scheduler: BaseScheduler = (BlockingScheduler if blocking else BackgroundScheduler)(
        timezone=UTC, job_defaults=job_defaults
    )
    scheduler.add_job(
        _tick, "interval", seconds=interval, args=[app], id="dispatch-outbox", next_run_time=datetime.now(UTC)
    )
    if settings_of(app).backup.nightly:
        scheduler.add_job(
            _nightly_tick, "interval", minutes=15, args=[app], id="backup-nightly", next_run_time=datetime.now(UTC)
        )
    return scheduler


def embedded_wanted(embedded: bool, use_reloader: bool, environ: Mapping[str, str]) -> bool:
    """Whether `flask serve` should dispatch in its own process.

    With the reloader on, Werkzeug runs the app in a child process (WERKZEUG_RUN_MAIN=true) and
    keeps a watching parent: only the child dispatches, or every email would have two senders.
    """
    if not embedded:  # [reminders] embedded
        return False
    return not use_reloader or environ.get("WERKZEUG_RUN_MAIN") == "true"
