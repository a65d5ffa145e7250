"""Changing a program: the right to change it (one conditional UPDATE on its lock version), and
the next version started when the current one was given. Every edit (details, items) starts here."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlalchemy.orm import Session

from planner.models import Program
from planner.services import DomainError


class Conflict(DomainError):
    """The program changed since the page was loaded; saving would overwrite someone's work."""

    def __init__(self) -> None:
        super().__init__(
            "This program was changed by someone else since you opened it. "
            "Your change was not saved: look at the program as it is now, then make it again."
        )


def begin_change(session: Session, program: Program, lock_version: int | None, now: datetime) -> None:
    """Claim the right to change the program, and start a new version if the current one was issued.

    The lock is one conditional UPDATE, so of two saves made from the same page only the
    first wins, whichever worker serves them.
    :raise Conflict: when the program changed since lock_version was read.
    """
    expected = program.lock_version if lock_version is None else lock_version
    claimed = session.execute(
        update(Program)
        .where(Program.id == program.id, Program.lock_version == expected)
        .values(lock_version=expected + 1)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], claimed).rowcount != 1:
        session.rollback()
        raise Conflict()
    program.lock_version = expected + 1
    if program.issued:
        program.version += 1
        program.issued = False
        program.version_date = now
    program.updated_at = now
