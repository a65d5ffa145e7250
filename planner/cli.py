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

    from planner.backup_cli import backup, restore

    app.cli.add_command(backup)
    app.cli.add_command(restore)


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
    """Serve the app with waitress on the configured host and port (the development server when
    [server] debug = true), and print the address to open last.

    With [reminders] embedded = true (the default) this process also dispatches reminders, and
    takes the nightly backup when [backup] nightly = true.
    """
    import os

    from planner.scheduler import embedded_wanted, make_scheduler

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    server = app.config["PLANNER"]["server"]
    debug = bool(server.get("debug", False))
    app.debug = debug
    host = host or server["host"]
    port = server["port"] if port is None else port
    if debug:
        from werkzeug.serving import run_simple

        if embedded_wanted(app.config["PLANNER"], use_reloader=True, environ=os.environ):
            make_scheduler(app).start()
        # run_simple, not app.run: Flask ignores app.run() inside a `flask` command.
        run_simple(host, port, app, use_reloader=True, use_debugger=True, threaded=True)
        return

    from waitress import create_server

    # waitress: a production server in pure Python, so the same command serves on Windows and macOS.
    wsgi = create_server(app, host=host, port=port, threads=int(server.get("threads", 8)))
    embedded = embedded_wanted(app.config["PLANNER"], use_reloader=False, environ=os.environ)
    if embedded:
        make_scheduler(app).start()
    click.echo(
        f"Serving with waitress ({int(server.get('threads', 8))} threads); "
        + ("this process also sends reminders. " if embedded else "reminders are sent by another process. ")
        + "Stop with Ctrl+C."
    )
    # A server on several sockets (a name with IPv4 and IPv6 addresses) names none of them.
    address = local_address(getattr(wsgi, "effective_host", host), getattr(wsgi, "effective_port", port))
    click.echo(open_hint(address, _has_users()))
    try:
        wsgi.run()
    except KeyboardInterrupt:
        click.echo("Stopped.")


def local_address(host: str, port: int) -> str:
    """The address to open on this machine: a server on every interface answers at 127.0.0.1."""
    if host in ("", "0.0.0.0"):  # noqa: S104 (naming it, not binding to it)
        host = "127.0.0.1"
    elif host == "::":
        host = "[::1]"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def open_hint(address: str, has_users: bool) -> str:
    """The last line `make run` prints: where to go and what to do there."""
    return f"Open {address} to sign in." if has_users else f"Open {address} to set up your clinic."


def _has_users() -> bool:
    from planner.services import accounts

    return accounts.any_user_exists(get_session())


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

    from planner.catalog.cli import print_problems
    from planner.catalog.loader import CatalogInvalid
    from planner.config import ROOT
    from planner.demo import load_demo
    from planner.services import DomainError

    settings = current_app.config["PLANNER"]
    db = get_session()
    try:
        login = load_demo(db, date.today(), datetime.now(UTC), ROOT / settings["catalog"]["directory"])
    except CatalogInvalid as e:
        db.rollback()
        print_problems(e.problems)
        raise click.ClickException(e.message) from None
    except DomainError as e:
        db.rollback()
        raise click.ClickException(e.message) from None
    if login.catalog is not None:
        click.echo(f"Loaded the exercise catalog ({login.catalog}) and {login.templates} program templates.")
    click.echo(f"Demo clinic “{login.clinic}” is ready.")
    click.echo(f"Sign in at {served_address(settings)}/login with {login.email} and the password {login.password}")


def served_address(settings: dict) -> str:
    """Where `flask serve` (and so `make run`) answers: [server] public_url, else http://host:port.

    A server listening on every address (0.0.0.0, ::) is reached on this machine at 127.0.0.1.
    """
    server = settings["server"]
    if server.get("public_url"):
        return str(server["public_url"]).rstrip("/")
    host = str(server.get("host") or "127.0.0.1")
    host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # noqa: S104 (compared, not bound)
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{server['port']}"
