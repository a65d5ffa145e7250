"""Secrets in URLs (a patient's link, a calendar feed): declared in the route, hidden in every log.

A route writes a secret as `<secret:token>`. Whoever holds the URL holds the data behind it, so
no log line may show one: the request logs of the development server (werkzeug) and of gunicorn
(access and error), waitress's, and Flask's own "Exception on /p/… [GET]" all pass one filter,
built from the URL map, that writes "[token]" in its place. A wrong or revoked token is hidden
too (it may be a real one mistyped), as is any path under a secret's prefix that is not one
of the app's fixed pages, such as /calendar/new.
"""

from __future__ import annotations

import logging
import re

from flask import Flask
from werkzeug.routing import BaseConverter, Map

PLACEHOLDER = "[token]"
# The loggers that write request paths: dev server, gunicorn, waitress. Flask's app.logger is added.
REQUEST_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error", "waitress")
# What a path segment is made of in a log line: it ends at a slash, a space, a query or a quote.
_SEGMENT = r"""[^/\s?#"']+"""
_VARIABLE = re.compile(r"<(?:([a-zA-Z_][\w]*)(?:\([^)]*\))?:)?([a-zA-Z_]\w*)>")


class SecretConverter(BaseConverter):
    """`<secret:token>`: one path segment, like the default converter, that the logs never show."""


def _prefix_pattern(text: str) -> str:
    """A rule's text before a secret as a regex: fixed parts as they are, variables as one segment."""
    parts, end = [], 0
    for match in _VARIABLE.finditer(text):
        parts += [re.escape(text[end : match.start()]), _SEGMENT]
        end = match.end()
    return "".join([*parts, re.escape(text[end:])])


def secret_pattern(url_map: Map) -> re.Pattern[str] | None:
    """What the filter hides: the segment after the fixed text before each `<secret:…>` of the map.

    A fixed page under the same prefix (/calendar/new beside /calendar/<secret:token>.ics) stays
    readable. None when no route has a secret.
    """
    prefixes: set[str] = set()
    for rule in url_map.iter_rules():
        for match in _VARIABLE.finditer(rule.rule):
            if match.group(1) == "secret":
                prefixes.add(rule.rule[: match.start()])
    if not prefixes:
        return None
    choices = []
    for prefix in sorted(prefixes):
        fixed = sorted(
            {
                rule.rule[len(prefix) :].split("/")[0]
                for rule in url_map.iter_rules()
                if rule.rule.startswith(prefix) and rule.rule[len(prefix) :][:1] not in ("", "<")
            }
        )
        fixed = [page for page in fixed if "<" not in page]
        keep = f"(?!(?:{'|'.join(map(re.escape, fixed))})(?![^/\\s?#\"']))" if fixed else ""
        choices.append(_prefix_pattern(prefix) + keep)
    return re.compile(f"({'|'.join(choices)}){_SEGMENT}")


class RedactSecrets(logging.Filter):
    """Rewrites a record whose message shows a secret; the record itself is always let through."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        super().__init__()
        self.pattern = pattern

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = self.pattern.sub(lambda m: m.group(1) + PLACEHOLDER, message)
        if hidden != message:
            record.msg, record.args = hidden, ()
        return True


def register(app: Flask) -> None:
    """Offer `<secret:…>` to the routes; call before any route is added."""
    app.url_map.converters["secret"] = SecretConverter


def hide_in_logs(app: Flask) -> None:
    """Put the filter of this app's secrets on every logger that writes request paths (replacing an older one)."""
    pattern = secret_pattern(app.url_map)
    if pattern is None:
        return
    for logger in [logging.getLogger(name) for name in REQUEST_LOGGERS] + [app.logger]:
        for old in [f for f in logger.filters if isinstance(f, RedactSecrets)]:
            logger.removeFilter(old)
        logger.addFilter(RedactSecrets(pattern))
