"""The database engine and the per-request session. SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str) -> Engine:
    """An engine for the URL; SQLite gets WAL and foreign keys, as a shared file wants."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": 30, "check_same_thread": False}, json_deserializer=json_column
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # noqa: ANN001
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


# json.loads without its Python layers (loads, decode, raw_decode and their checks): the scanner they
# end in, called straight. A builder view reads some 80 JSON values (its exercises' lists), the
# handout and the phone page as many; each costs a third of json.loads' time this way. (The
# decoder sets scan_once in its __init__, with json.scanner.make_scanner; typeshed omits it.)
_SCAN = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def json_column(text: str) -> Any:
    """A JSON column's value as json.loads reads it (SQLite gives the text as stored by json.dumps).

    What the scanner alone does not read whole (leading or trailing space, not JSON at all) goes
    to json.loads, which reads it or raises json.JSONDecodeError as before.
    """
    try:
        value, end = _SCAN(text, 0)
    except (StopIteration, TypeError):
        return json.loads(text)
    return value if end == len(text) else json.loads(text)


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["db_engine"] = engine
    app.extensions["db_sessionmaker"] = sessionmaker(bind=engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def get_session() -> Session:
    """The session of the current request (or app context), opened on first use."""
    from flask import current_app

    if "db_session" not in g:
        g.db_session = current_app.extensions["db_sessionmaker"]()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
