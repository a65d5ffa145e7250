"""Commands: `flask --app planner init-db | users create | serve | catalog …`."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app

from planner.db import get_session


def init_app(app: Flask) -> None:
    app.cli.add_command(init_db)
    app.cli.add_command(users)
    app.cli.add_command(serve)
    app.cli.add_command(templates)
    app.cli.add_command(demo)
    from planner.catalog.cli import catalog

    app.cli.add_command(catalog)
    from planner.reminders_cli import reminders

    app.cli.add_command(reminders)
    from planner.handouts.cli import handout, handouts

    app.cli.add_command(handout)
    app.cli.add_command(handouts)
    from planner.patients_cli import patients

    app.cli.add_command(patients)
    from planner.tokens_cli import tokens

    app.cli.add_command(tokens)


@click.command("init-db")
def init_db() -> None:
    """Create the database or migrate it to the newest schema (safe to run again)."""
    from planner.migrate import current_revision, head_revision, upgrade

    engine = current_app.extensions["db_engine"]
    before = current_revision(engine)
    upgrade(engine)
    after = current_revision(engine)
    url = engine.url.render_as_string(hide_password=True)
    if before == after:
        click.echo(f"Database {url} is up to date (revision {after}).")
    elif before is None:
        click.echo(f"Database {url} created (revision {after}).")
    else:
        click.echo(f"Database {url} migrated from {before} to {head_revision()}.")


@click.group()
def users() -> None:
    """Manage accounts."""


@users.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The person's name.")
@click.option("--role", type=click.Choice(["admin", "therapist"]), default="therapist", show_default=True)
@click.option("--clinic", "clinic_name", required=True, help="Clinic name; created when no clinic has it.")
@click.option("--timezone", default="UTC", show_default=True, help="Time zone of a new clinic.")
def create_user(email: str, name: str, role: str, clinic_name: str, timezone: str) -> None:
    """Create an account; the password is read from standard input."""
    from planner.services import DomainError, accounts

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    db = get_session()
    try:
        clinic = accounts.clinic_by_name(db, clinic_name)
        created = clinic is None
        if clinic is None:
            clinic = accounts.create_clinic(db, name=clinic_name, timezone=timezone)
        user = accounts.create_user(db, clinic, email=email, name=name, password=password, role=role)
        db.commit()
    except DomainError as e:
        db.rollback()
        raise click.ClickException(e.message) from None
    if created:
        click.echo(f"Created clinic “{clinic.name}”.")
    click.echo(f"Created {role} {user.email} in “{clinic.name}”.")


@click.command("serve")
@click.option("--host", default=None, help="Default: [server] host in config.toml.")
@click.option("--port", default=None, type=int, help="Default: [server] port in config.toml.")
def serve(host: str | None, port: int | None) -> None:
    """Serve the app with the configured host, port and debug setting (off by default).

    With [reminders] embedded = true (the default) this process also dispatches reminders.
    """
    import os

    from werkzeug.serving import run_simple

    from planner.scheduler import embedded_wanted, make_scheduler

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    server = app.config["PLANNER"]["server"]
    debug = bool(server.get("debug", False))
    app.debug = debug
    if embedded_wanted(app.config["PLANNER"], use_reloader=debug, environ=os.environ):
        make_scheduler(app).start()
    # run_simple, not app.run: Flask ignores app.run() inside a `flask` command.
    run_simple(
        host or server["host"], port or server["port"], app, use_reloader=debug, use_debugger=debug, threaded=True
    )


@click.group()
def templates() -> None:
    """Program templates shipped in exercises/templates/."""


@templates.command("load")
def load_templates() -> None:
    """Create or update the shipped program templates (after `catalog load`)."""
    from planner.services import DomainError, program_templates

    db = get_session()
    try:
        count = program_templates.load_shipped(db)
        db.commit()
    except DomainError as e:
        db.rollback()
        raise click.ClickException(e.message) from None
    click.echo(f"Loaded {count} program templates.")


@click.command("demo")
def demo() -> None:
    """Load a demo clinic with patients and programs; refuses a database with other clinics' data."""
    from datetime import UTC, date, datetime

    from planner.demo import load_demo
    from planner.services import DomainError

    db = get_session()
    try:
        login = load_demo(db, date.today(), datetime.now(UTC))
    except DomainError as e:
        db.rollback()
        raise click.ClickException(e.message) from None
    click.echo(f"Demo clinic “{login.clinic}” is ready.")
    click.echo(f"Sign in at http://127.0.0.1:5000/login with {login.email} and the password {login.password}")
