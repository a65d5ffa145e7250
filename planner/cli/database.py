"""`flask --app planner init-db`: create the database or migrate it to the newest schema."""

from __future__ import annotations

import click
from flask import current_app


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
