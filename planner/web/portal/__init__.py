"""The patient's phone pages behind a private link, and the therapist's link and progress views."""

from __future__ import annotations

import logging
import re

# A token in a request line becomes "[token]" before any log handler sees it.
_TOKEN_PATH = re.compile(r"/p/[A-Za-z0-9_\-]{8,}")


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/p/" in message:
            record.msg = _TOKEN_PATH.sub("/p/[token]", message)
            record.args = ()
        return True


def install_log_redaction() -> None:
    """Tokens never reach the logs: the dev server's and gunicorn's request logs are filtered."""
    for name in ("werkzeug", "gunicorn.access", "gunicorn.error"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
