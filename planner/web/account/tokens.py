"""A therapist's personal API tokens: make one (shown once), see when each was last used, revoke."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from planner.bidi import isolate
from planner.db import get_session
from planner.services import DomainError, api_tokens
from planner.web.account import bp
from planner.web.account.forms import TokenForm
from planner.web.admin.forms import ConfirmForm
from planner.web.forms import show_error


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def tokens() -> Any:
    """The list and the form for a new token; a new token is on this one answer and never again."""
    db = get_session()
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        try:
            row, new_token = api_tokens.create_token(db, current_user, form.name.data, datetime.now(UTC))
            db.commit()
        except DomainError as e:
            db.rollback()
            show_error(form, e.field, e.message)
        else:
            form = TokenForm(formdata=None)
            flash(f"The token “{isolate(row.name)}” is made. Copy it now: it is not shown again.", "success")
    return render_template(
        "account/tokens.html",
        form=form,
        rows=api_tokens.tokens_of(db, current_user),
        new_token=new_token,
        confirm=ConfirmForm(),
    )


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> Any:
    """:raise 404: for a token of someone else, or one already revoked."""
    db = get_session()
    if ConfirmForm().validate_on_submit():
        row = api_tokens.revoke_token(db, current_user, token_id, datetime.now(UTC))
        db.commit()
        flash(f"The token “{isolate(row.name)}” no longer works.", "success")
    return redirect(url_for("account.tokens"))
