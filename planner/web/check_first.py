"""Check first: a handout with exercises the recorded pattern flags goes out (printed, emailed,
or shared through the patient's link) once the therapist has confirmed them for this program.

One web helper for the three ways of giving (web/handouts, web/reminders, web/portal/links), so
none of them imports another's routes.
"""

from __future__ import annotations

from typing import Any

from flask import make_response, render_template

from planner.models import Program
from planner.services import patterns

CONFIRM_FIRST = "Tick the box to confirm you have checked these exercises for this patient."


def unchecked(program: Program, how: str, action: str, sent: Any) -> tuple[Any, str]:
    """Whether a handout with exercises the pattern flags may go out (print, email, share) yet.

    `sent`: the request's values (`checked`, the key of the page the therapist confirmed on, and
    `confirm`, the box). Returns (the check page to answer with, "") until the therapist has
    ticked the box for the program as it is now (on this page, or on an earlier print, email or
    share: `program.checked_key`); then (None, what to add to the audit entry), the check kept.
    Without flagged exercises: (None, ""). Never blocks for good: the box is the therapist's call.
    """
    flagged = patterns.flagged_items(program)
    if not flagged or patterns.unset_items(program):
        return None, ""  # nothing to check, or no handout at all (the caller says why)
    key = patterns.check_key(program, flagged)
    confirmed_now = sent.get("checked") == key and sent.get("confirm") == "yes"
    if confirmed_now or program.checked_key == key:  # now, or before for the program as it is
        return None, patterns.confirm_checked(program, flagged)
    # Sent from this very page without the box: say so at the box. From an older page: ask afresh.
    error = CONFIRM_FIRST if sent.get("checked") == key else ""
    page = render_template(
        "handouts/check.html", program=program, flagged=flagged, key=key, how=how, action=action, error=error
    )
    return make_response(page, 422 if error else 200), ""
