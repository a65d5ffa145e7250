"""A fault in our own code, as a person reads it: what could not be done, in plain words, what to
do, and a reference; the exception and its traceback go to the log only, under that reference.

Why: when a handout could not be laid out (a long note in large print), the therapist read
"Could not prepare the email: IndexError: list index out of range" on the dashboard, and print and
preview answered a bare error page. The handout's three builders (handouts.build: build_handout,
build_given_handout, build_preview) each run inside `making_handout`, so every caller (the pages,
the phone page, the email, the commands, both exports) gets HandoutNotMade and only chooses how to
show it; the outbox words any other unexpected exception with `unexpected`.
"""

from __future__ import annotations

import logging
import re
import secrets
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

from planner.bidi import isolate
from planner.services import DomainError

log = logging.getLogger(__name__)

# Secret links that an error text could quote (a patient's page, a calendar feed): never stored or logged.
_SECRET_PATH = re.compile(r"/(p/stop|p|calendar)/[A-Za-z0-9_\-]{8,}")


def scrubbed(text: str, limit: int = 2000) -> str:
    """An error text as it is kept or logged: secret links hidden, no control characters, at most
    `limit` characters."""
    text = _SECRET_PATH.sub(r"/\1/[token]", text)
    return "".join(c if c.isprintable() or c == "\n" else " " for c in text)[:limit]


def new_reference() -> str:
    """8 letters and digits a person can read out to support, to find the log entry by."""
    return secrets.token_hex(4)


def traceback_text(error: BaseException) -> str:
    """The exception with its traceback, as the log keeps it (scrubbed)."""
    return scrubbed("".join(traceback.format_exception(error)), 20000)


def logged(error: BaseException, what: str) -> str:
    """Log `error` with its traceback as `what` (ids only, no patient data) under a new reference,
    and return the reference."""
    reference = new_reference()
    log.error("%s (reference %s): %s", what, reference, traceback_text(error))
    return reference


def unexpected(what: str, reference: str) -> str:
    """The sentence a person reads for an exception no one wrote a message for: `what` could not
    be done ("Could not prepare the email"), because of a fault on our side, and the reference the
    log keeps the exception under."""
    return (
        f"{what} because of a fault on our side. "
        f"If this keeps happening, contact support and give them reference {reference}."
    )


class HandoutNotMade(DomainError):
    """A handout or a preview could not be laid out or written: a fault in the handout code, or
    content it cannot place. `message` names the program and the patient and says what to do;
    `program_id`, `title`, `patient`, `preview` and `reference` are for the page or the report that
    shows it. It pickles with them (an export worker hands it to the parent process as a value)."""

    def __init__(self, program_id: int, title: str, patient: str, reference: str, preview: bool = False) -> None:
        self.program_id, self.title, self.patient = program_id, title, patient
        self.preview, self.reference = preview, reference
        if preview:
            todo = f"Nothing was given to the patient. Contact support and give them reference {reference}."
        else:  # the pages' words; a command says what to try from the command line (cli/handouts.py)
            todo = f"Open the program's preview: if it fails too, contact support and give them reference {reference}."
        super().__init__(f"{self.what} {todo}")

    @property
    def what(self) -> str:
        """What could not be made, for whom, and that the fault is ours: the sentence every telling starts with."""
        kind = "preview" if self.preview else "handout"
        return (
            f"The {kind} of “{isolate(self.title)}” for {isolate(self.patient)} could not be made "
            "because of a fault on our side."
        )

    def __reduce__(self) -> tuple[type[HandoutNotMade], tuple[int, str, str, str, bool]]:
        return HandoutNotMade, (self.program_id, self.title, self.patient, self.reference, self.preview)


@contextmanager
def making_handout(program_id: int, title: str, patient: str, preview: bool = False) -> Iterator[None]:
    """Around building one handout (`title` as it prints, `patient`'s name): a DomainError (an
    exercise with no side yet) passes as it is; any other exception is logged with its traceback
    and raised again as HandoutNotMade.

    :raise HandoutNotMade: when the handout could not be made.
    """
    try:
        yield
    except DomainError:
        raise
    except Exception as e:
        what = "preview" if preview else "handout"
        reference = logged(e, f"the {what} of program {program_id} could not be made")
        raise HandoutNotMade(program_id, title, patient, reference, preview) from e
