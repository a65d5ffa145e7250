"""The database engine and the per-request session. SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

import orjson
from flask import Flask, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str) -> Engine:
    """An engine for the URL; SQLite gets WAL and foreign keys, as a shared file wants."""
    if url.startswith("sqlite"):
        # JSON columns (an item's dosage, an exercise's lists, a version's snapshot) come back as
        # text from SQLite: orjson reads them about five times as fast as json.loads, and a builder
        # view, the handout and the phone page each read some 80 of them. (PostgreSQL's driver
        # decodes them itself.) Written with json.dumps, which orjson reads alike.
        engine = create_engine(
            url, connect_args={"timeout": 30, "check_same_thread": False}, json_deserializer=orjson.loads
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
