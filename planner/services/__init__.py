"""The domain: plain functions over a session, no Flask. Pages, CLI, API and tests call them."""

from enum import Enum


class Unread(Enum):
    """A value the caller has not read (UNREAD): the service reads it itself. The builder reads
    some values with the program and hands them on, instead of a statement each."""

    UNREAD = "unread"


UNREAD = Unread.UNREAD


class DomainError(Exception):
    """A rule of the domain was broken; the message is for the user."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class DomainErrors(DomainError):
    """Several fields are wrong at once, so a form can show every one at its field; `message`
    and `field` are the first's, for a caller that shows one."""

    def __init__(self, errors: list[DomainError]) -> None:
        super().__init__(errors[0].message, errors[0].field)
        self.errors = errors


class NotFound(DomainError):
    """The thing does not exist, or is not visible to this clinic (the same answer on purpose)."""

    def __init__(self, what: str = "That page") -> None:
        super().__init__(f"{what} was not found.")
