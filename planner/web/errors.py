"""Friendly error pages, and domain errors turned into HTTP answers."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError

from planner.services import NotFound
from planner.services.faults import HandoutNotMade

MESSAGES = {
    400: ("The request could not be understood", "Go back, reload the page and try again."),
    403: ("You may not open this page", "Ask your clinic's administrator if you need it."),
    404: ("Page not found", "The page may have moved, or the link may be wrong."),
    405: ("That cannot be done at this address", "Go back and use the buttons on the page."),
    413: ("The file is too large", "Choose a smaller file and try again."),
    429: ("Too many requests", "Wait a minute, then try again."),
    500: ("Something went wrong on our side", "Nothing you typed is lost that was saved. Try again in a moment."),
}


def init_app(app: Flask) -> None:
    for code in MESSAGES:
        app.register_error_handler(code, _page(code))
    app.register_error_handler(NotFound, lambda _e: _render(404))
    app.register_error_handler(CSRFError, _csrf)
    app.register_error_handler(HandoutNotMade, _handout_not_made)


def _render(code: int, detail: str | None = None) -> Any:
    title, hint = MESSAGES[code]
    if request.path.startswith("/api/"):  # the API answers JSON, even for a URL that matches no route
        return jsonify(error=detail or f"{title}."), code
    return render_template("errors/error.html", code=code, title=title, hint=detail or hint), code


def _page(code: int) -> Any:
    return lambda _e: _render(code)


def _csrf(_e: CSRFError) -> Any:
    return _render(400, "The form had expired or came from elsewhere. Reload the page and send it again.")


def _handout_not_made(e: HandoutNotMade) -> Any:
    """A handout, a given paper or a preview that could not be made: what happened, which program
    and patient, what to do, and the reference the log keeps the fault under (no Python error)."""
    what = "preview" if e.preview else "handout"
    return render_template("errors/handout.html", error=e, title=f"The {what} could not be made"), 500
