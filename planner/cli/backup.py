"""`flask --app planner backup FILE | restore FILE [--force]`: the commands around planner/backup.py."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import current_app

from planner.backup import BackupError, find_pg_tools, restore_backup, write_backup
from planner.settings import current as app_settings


def _pg_bin() -> Path | None:
    return find_pg_tools(app_settings().backup.pg_bin)


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup(file: Path) -> None:
    """Write a consistent copy of the database to FILE, also while the app serves and writes."""
    engine = current_app.extensions["db_engine"]
    started = time.monotonic()
    try:
        revision = write_backup(engine.url, file, _pg_bin())
    except BackupError as e:
        raise click.ClickException(e.message) from None
    size = file.stat().st_size / 1e6
    click.echo(
        f"Backed up the database (schema {revision}) to {file}: {size:.1f} MB in {time.monotonic() - started:.1f} s."
    )


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
def restore(file: Path, force: bool) -> None:
    """Bring back the backup in FILE and migrate it to the newest schema.

    Stop the app first. Refuses a database that holds data unless --force is given, and a
    backup made by a newer version of the planner.
    """
    engine = current_app.extensions["db_engine"]
    try:
        restored = restore_backup(engine, file, force=force, pg_bin=_pg_bin())
    except BackupError as e:
        raise click.ClickException(e.message) from None
    if restored.backup_revision == restored.revision:
        click.echo(f"Restored {file} (schema {restored.revision}).")
    else:
        click.echo(f"Restored {file} and migrated it from schema {restored.backup_revision} to {restored.revision}.")
