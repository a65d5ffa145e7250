"""`flask --app planner serve`: waitress (or the development server), with the reminder clock."""

from __future__ import annotations

import click
from flask import current_app

from planner.counted import counted
from planner.db import get_session
from planner.settings import ServerSettings
from planner.settings import of as settings_of


@click.command("serve")
@click.option("--host", default=None, help="Default: [server] host in config.toml.")
@click.option("--port", default=None, type=int, help="Default: [server] port in config.toml.")
def serve(host: str | None, port: int | None) -> None:
    """Serve the app with waitress on the configured host and port (the development server when
    [server] debug = true), and print the address to open last.

    With [reminders] embedded = true (the default) this process also dispatches reminders, and
    takes the nightly backup when [backup] nightly = true.
    """
    import os

    from planner.scheduler import embedded_wanted, make_scheduler

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    settings = settings_of(app)
    server = settings.server
    debug = server.debug
    app.debug = debug
    host = host or server.host
    port = server.port if port is None else port
    if debug:
        from werkzeug.serving import run_simple

        if embedded_wanted(settings.clock.embedded, use_reloader=True, environ=os.environ):
            make_scheduler(app).start()
        # run_simple, not app.run: Flask ignores app.run() inside a `flask` command.
        run_simple(host, port, app, use_reloader=True, use_debugger=True, threaded=True)
        return

    from waitress import create_server

    # waitress: a production server in pure Python, so the same command serves on Windows and macOS.
    wsgi = create_server(app, host=host, port=port, threads=server.threads)
    embedded = embedded_wanted(settings.clock.embedded, use_reloader=False, environ=os.environ)
    if embedded:
        make_scheduler(app).start()
    click.echo(
        f"Serving with waitress ({counted(server.threads, 'thread', 'threads')}); "
        + ("this process also sends reminders. " if embedded else "reminders are sent by another process. ")
        + "Stop with Ctrl+C."
    )
    # A server on several sockets (a name with IPv4 and IPv6 addresses) names none of them.
    address = local_address(getattr(wsgi, "effective_host", host), getattr(wsgi, "effective_port", port))
    click.echo(open_hint(address, _has_users()))
    try:
        wsgi.run()
    except KeyboardInterrupt:
        click.echo("Stopped.")


def local_address(host: str, port: int) -> str:
    """The address to open on this machine: a server on every interface answers at 127.0.0.1."""
    if host in ("", "0.0.0.0"):  # noqa: S104 (naming it, not binding to it)
        host = "127.0.0.1"
    elif host == "::":
        host = "[::1]"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def open_hint(address: str, has_users: bool) -> str:
    """The last line `make run` prints: where to go and what to do there."""
    return f"Open {address} to sign in." if has_users else f"Open {address} to set up your clinic."


def _has_users() -> bool:
    from planner.services import accounts

    return accounts.any_user_exists(get_session())


def served_address(server: ServerSettings) -> str:
    """Where `flask serve` (and so `make run`) answers: [server] public_url, else http://host:port.

    A server listening on every address (0.0.0.0, ::) is reached on this machine at 127.0.0.1.
    """
    if server.public_url:
        return server.public_url.rstrip("/")
    host = server.host or "127.0.0.1"
    host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # noqa: S104 (compared, not bound)
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{server.port}"
