"""`flask --app planner users create EMAIL --name … --clinic …`: an account, the password from standard input."""

from __future__ import annotations

import sys

import click

from planner.db import get_session
from planner.settings import current as app_settings


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
    from planner.mail import shown_address
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
        user = accounts.create_user(
            db, clinic, email=email, name=name, password=password, role=role, cost=app_settings().password_cost
        )
        db.commit()
    except DomainError as e:
        db.rollback()
        raise click.ClickException(e.message) from None
    if created:
        click.echo(f"Created clinic “{clinic.name}”.")
    click.echo(f"Created {role} {shown_address(user.email)} in “{clinic.name}”.")
