"""`flask --app planner demo`: a demo clinic with patients and programs (planner/demo.py)."""

from __future__ import annotations

import click
from flask import current_app

from planner.cli.catalog import print_problems
from planner.cli.server import served_address
from planner.counted import counted
from planner.db import get_session
from planner.settings import current as app_settings


def _database_ready() -> None:
    """Create or migrate the database first, as `init-db` does (safe: it never drops a row), so the
    demo runs on a fresh clone without `init-db`. :raise click.ClickException: for a database made
    by a newer version of the planner, which this code must not touch."""
    from planner.migrate import current_revision, head_revision, known_revisions, upgrade

    engine = current_app.extensions["db_engine"]
    before = current_revision(engine)
    if before == head_revision():
        return
    if before is not None and before not in known_revisions():
        raise click.ClickException(
            f"The database is at revision {before}, made by a newer version of the planner. Update the code first."
        )
    upgrade(engine)
    url = engine.url.render_as_string(hide_password=True)
    click.echo(f"Database {url} {'created' if before is None else 'migrated'} (revision {head_revision()}).")


@click.command("demo")
def demo() -> None:
    """Load a demo clinic with patients and programs; refuses a database with other clinics' data."""
    from datetime import UTC, date, datetime

    from planner.catalog.loader import CatalogInvalid
    from planner.config import ROOT
    from planner.demo import load_demo
    from planner.services import DomainError

    config = app_settings()
    _database_ready()
    db = get_session()
    try:
        login = load_demo(
            db,
            date.today(),
            datetime.now(UTC),
            ROOT / config.catalog_directory,
            cost=config.password_cost,
            window=config.window,
            schedule=config.schedule,
            secret_key=current_app.config["SECRET_KEY"],
        )
    except CatalogInvalid as e:
        db.rollback()
        print_problems(e.problems)
        raise click.ClickException(e.message) from None
    except DomainError as e:
        db.rollback()
        raise click.ClickException(e.message) from None
    if login.catalog is not None:
        templates = counted(login.templates, "program template", "program templates")
        click.echo(f"Loaded the exercise catalog ({login.catalog}) and {templates}.")
    click.echo(f"Demo clinic “{login.clinic}” is ready.")
    click.echo(f"Sign in at {served_address(config.server)}/login with {login.email} and the password {login.password}")
