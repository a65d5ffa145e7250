"""`flask --app planner reminders run | dispatch`: the outbox dispatcher as its own process, or once (cron)."""

from __future__ import annotations

import contextlib

import click
from flask import current_app
from flask.cli import AppGroup

# An AppGroup, so each command runs inside the app context (also under the test runner).
reminders = AppGroup("reminders", help="Send re-evaluation reminders and handout emails from the outbox.")


@reminders.command("run")
def run() -> None:
    """Dispatch every [reminders] interval_seconds until stopped (for larger sites; set embedded = false)."""
    from planner.scheduler import make_scheduler

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    click.echo("Dispatching reminders; stop with Ctrl+C.")
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        make_scheduler(app, blocking=True).start()


@reminders.command("dispatch")
def dispatch() -> None:
    """Send what is due now, once, and exit (for cron).

    Exits 0 when emails fail: each failure is kept on its row (retried, or shown on the dashboard)
    and logged. Exits 1 only when nothing could be tried, such as for a wrong [mail] setting.
    """
    from planner.scheduler import dispatch_once

    try:
        report = dispatch_once(current_app._get_current_object())  # type: ignore[attr-defined]
    except ValueError as e:  # a setting the mailer cannot use
        raise click.ClickException(str(e)) from None
    click.echo(f"Sent {report.sent}, to retry {report.retried}, failed {report.failed}, cancelled {report.cancelled}.")
