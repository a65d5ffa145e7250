"""Bring a database to the newest schema with Alembic; safe to run again."""

from __future__ import annotations

import functools

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from planner.config import ROOT


def alembic_config(engine: Engine | None = None) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate to `revision` (the newest unless named: the tests build older schemas with it).
    Never drops or recreates: an existing database keeps its rows. A database already at the
    newest is left as it is without loading Alembic's environment and every migration file (what
    the upgrade would do anyway: nothing; the app and each test's fresh copy of a migrated file
    ask for it on every start)."""
    if revision == "head" and current_revision(engine) == head_revision():
        return
    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@functools.cache
def head_revision() -> str | None:
    """The newest revision this code knows (read once per process: the files do not change)."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


@functools.cache
def known_revisions() -> frozenset[str]:
    """Every revision this code can migrate from; a database at any other was made by newer code."""
    return frozenset(script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions())
