"""The patient's private link as a full address, for every page and handout that shows it.

One web helper for the link page (web/portal/links.py, which also gives templates `phone_link`),
the phone page's own PDF (web/portal/routes.py) and the printed handout's QR code
(web/handouts/routes.py), so none of them imports another's routes.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import request

from planner.db import get_session
from planner.models import Patient
from planner.services import portal
from planner.settings import current as app_settings
from planner.web import secret_key


def patient_url(patient: Patient) -> str | None:
    """The patient's working link as a full address, or None; for the page, the QR code and handouts
    (and the builder, which says a handout printed without one has no QR code)."""
    base = app_settings().server.public_url or request.url_root
    return portal.link_url(get_session(), patient.id, secret_key(), base, datetime.now(UTC))
