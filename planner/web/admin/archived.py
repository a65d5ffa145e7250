"""Archived patients to review: erase or keep (administrators only; the erasure itself is
web/patients/records.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import render_template
from flask_login import current_user

from planner.db import get_session
from planner.services import audit, erasure
from planner.settings import current as app_settings
from planner.web import admin_required, client_address
from planner.web.admin.routes import bp


@bp.get("/archived")
@admin_required
def archived() -> Any:
    """Archived patients with no activity for [patients] review_archived_after_years years: erase or keep."""
    db = get_session()
    years = app_settings().patients.review_archived_after_years
    rows = erasure.archived_for_review(db, current_user.clinic_id, years, datetime.now(UTC))
    audit.record(db, current_user, "list", "archived_review", None, detail=f"{len(rows)} due", address=client_address())
    db.commit()
    return render_template("admin/archived.html", rows=rows, years=years)
