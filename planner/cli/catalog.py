"""`flask --app planner catalog check [DIR] | load [DIR]` and `templates load`: the shared catalog."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from flask.cli import AppGroup

from planner.catalog.loader import CatalogInvalid, check_directory, load_directory
from planner.config import ROOT
from planner.counted import counted
from planner.db import get_session
from planner.settings import current as app_settings

# An AppGroup, so each command runs inside the app context (database, config).
catalog = AppGroup("catalog", help="Check and load the exercise catalog.")


@catalog.command("check")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
def check(directory: Path | None) -> None:
    """Check every exercise file in DIRECTORY (default: [catalog] directory in config.toml, as
    `load` reads) and its translations; print each problem as `file: field: what is wrong`."""
    if directory is None:
        directory = ROOT / app_settings().catalog_directory
    problems = check_directory(directory)
    if problems:
        print_problems(problems)
        sys.exit(1)
    count = sum(1 for p in directory.iterdir() if p.suffix == ".toml")
    click.echo(f"{counted(count, 'exercise file', 'exercise files')}, no problems.")


@catalog.command("load")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
def load(directory: Path | None) -> None:
    """Load DIRECTORY (default: [catalog] directory in config.toml) into the shared catalog.

    Nothing is loaded when any file has a problem.
    """
    if directory is None:
        directory = ROOT / app_settings().catalog_directory
    db = get_session()
    try:
        report = load_directory(db, directory, datetime.now(UTC))
        db.commit()
    except CatalogInvalid as e:
        db.rollback()
        print_problems(e.problems)
        click.echo(e.message)
        sys.exit(1)
    click.echo(f"Catalog {directory}: {report}.")


def print_problems(problems: list) -> None:
    for problem in problems:
        click.echo(str(problem))
    files = len({p.file for p in problems})
    click.echo(f"{counted(len(problems), 'problem', 'problems')} in {counted(files, 'file', 'files')}.")


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
    click.echo(f"Loaded {counted(count, 'program template', 'program templates')}.")
