"""A handout PDF as the browser gets it: the therapist's pages and the patient's phone page alike."""

from __future__ import annotations

from flask import Response

from planner.services.file_names import content_disposition


def pdf_response(data: bytes, name: str) -> Response:
    """A handout PDF shown inline, saved or forwarded under `name` (the title it prints)."""
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = content_disposition(name)
    # Patient data: never kept by a shared browser or a proxy.
    response.headers["Cache-Control"] = "no-store"
    return response
