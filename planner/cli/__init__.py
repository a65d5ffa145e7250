"""The `flask --app planner …` commands, a module per group:

- `init-db` (database.py), `users create` (users.py), `serve` (server.py), `demo` (demo.py);
- `catalog check | load`, `templates load` (catalog.py);
- `reminders run | dispatch` (reminders.py);
- `handout`, `handouts export` (handouts.py);
- `patients export` (patients.py), `tokens create` (tokens.py), `backup`, `restore` (backup.py).

Each command reads the app's settings (planner.settings.current()) and calls the services;
none of the domain packages (services, catalog, handouts) knows about Flask or click.
"""

from __future__ import annotations

from flask import Flask

from planner.cli.backup import backup, restore
from planner.cli.catalog import catalog, templates
from planner.cli.database import init_db
from planner.cli.demo import demo
from planner.cli.handouts import handout, handouts
from planner.cli.patients import patients
from planner.cli.reminders import reminders
from planner.cli.server import serve
from planner.cli.tokens import tokens
from planner.cli.users import users

COMMANDS = (
    init_db,
    users,
    serve,
    templates,
    demo,
    catalog,
    reminders,
    handout,
    handouts,
    patients,
    tokens,
    backup,
    restore,
)


def init_app(app: Flask) -> None:
    """Register every command on the app's `flask` group."""
    for command in COMMANDS:
        app.cli.add_command(command)
