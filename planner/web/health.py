"""GET /healthz for the proxy and monitoring: JSON, 200 when all is well, 503 when not.

Open without an account or a session (the first-run guard lets it through), and it shows no
patient data: only whether the database answers, its schema revision and the age of the last
reminder dispatch.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Blueprint, current_app, jsonify

from planner.settings import current as app_settings

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Any:
    """The checks of planner.health as JSON; 503 when any of them fails."""
    from planner import health  # imports Alembic: only when asked, not at every start of every command

    seconds = app_settings().clock.stale_after_seconds
    result = health.check(current_app.extensions["db_engine"], datetime.now(UTC), timedelta(seconds=seconds))
    return jsonify(result.as_json()), 200 if result.ok else 503
