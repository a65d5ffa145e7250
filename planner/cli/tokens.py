"""`flask --app planner tokens create EMAIL --name NAME`: a personal API token for scripted set-ups."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask.cli import AppGroup
from sqlalchemy import select

from planner.db import get_session

# An AppGroup, so each command runs inside the app context (database, config).
tokens = AppGroup("tokens", help="Personal API tokens for /api/v1.")


@tokens.command("create")
@click.argument("email")
@click.option("--name", required=True, help="What will use the token, e.g. “Nightly export”.")
def create(email: str, name: str) -> None:
    """Make a token for the account with this email and print it, alone on standard output
    (so `TOKEN=$(flask --app planner tokens create …)` works); it is not shown again."""
    from planner.mail import shown_address
    from planner.models import User
    from planner.services import DomainError, accounts, api_tokens

    db = get_session()
    user = db.scalars(select(User).where(User.email == accounts.normalise_email(email))).first()
    if user is None:
        raise click.ClickException(f"There is no account with the email {shown_address(email.strip())}.")
    try:
        row, token = api_tokens.create_token(db, user, name, datetime.now(UTC))
        db.commit()
    except DomainError as e:
        db.rollback()
        raise click.ClickException(e.message) from None
    click.echo(f"Token “{row.name}” made for {shown_address(user.email)}. It is not shown again.", err=True)
    click.echo(token)
