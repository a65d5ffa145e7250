"""A therapist's dashboard: re-evaluations overdue, due this week, later; pain alerts; emails that
failed; handouts to print again, whose paper a re-evaluation's pattern has moved.

Every list is bounded: the dashboard shows the first PAGE of each list, read through the index on
(therapist, archived, next date) (programs.reeval_due_on, kept by services/reevaluation), and says
when there are more; a list's own pages (`due_page`) hold LIST_PAGE rows and a count that stops
at COUNT_LIMIT. So the dashboard reads the same few rows for a therapist of 50 patients and of 5,000.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import Date, Select, bindparam, func, literal_column, select, tuple_, union_all
from sqlalchemy.orm import Session

from planner.models import PainAlert, Patient, Program, User
from planner.scoping import scoped
from planner.services import NotFound
from planner.services.alerts import ShownAlert, count_open_alerts, therapist_alerts
from planner.services.calendar_window import shift
from planner.services.outbox import FailedEmail, count_failed, failed_for
from planner.services.reminders import WEEK_NOTICE

PAGE = 10  # rows of each list on the dashboard: what a glance takes in
LIST_PAGE = 25  # rows of a page of one list
COUNT_LIMIT = 100  # a list longer than this is counted as "more than 100"
GROUPS = ("overdue", "week", "later")
NOTHING = (date.max, date.min)  # a range no date is in (a group past either end of the calendar)


# Plain tuples: a list reads no ORM objects, and a feed of 100 events makes 300 of these.
class ProgramRef(NamedTuple):
    id: int
    title: str


class PatientRef(NamedTuple):
    id: int
    name: str
    phone: str


class Due(NamedTuple):
    """One program's next re-evaluation, with what a list shows of its patient."""

    program: ProgramRef
    patient: PatientRef
    due_on: date
    days: int  # from today; negative when overdue


class DueList(list[Due]):
    """A page of dues, soonest first; whether rows follow it (`more`); and the whole list's size,
    `total`, counted up to `limit` + 1 only."""

    def __init__(self, rows: list[Due], more: bool, count: int, limit: int) -> None:
        super().__init__(rows)
        # `total`, not `count`: an int named `count` hid list.count.
        self.more, self.total, self.limit = more, count, limit

    @property
    def count_text(self) -> str:
        """E.g. "7", or "more than 100"."""
        return f"more than {self.limit}" if self.total > self.limit else str(self.total)


class Moved(NamedTuple):
    """A program whose patient holds a paper the recorded pattern has moved (Program.paper_moved_on)."""

    program: ProgramRef
    patient: PatientRef
    since: date  # the date of the pattern that made the paper differ


def _active_programs(dated: Any) -> Select:
    """The clinic's active programs of active patients whose `dated` column is set, as the
    dashboard's lists show them (program id, title, that date, patient id, name, phone)."""
    return (
        scoped(Program, bindparam("clinic_id"))
        .join(Patient, Patient.id == Program.patient_id)
        .with_only_columns(
            Program.id.label("program_id"),
            Program.title,
            dated,
            Patient.id.label("patient_id"),
            Patient.name,
            Patient.phone,
        )
        .where(Program.archived_at.is_(None), Patient.archived_at.is_(None), dated.is_not(None))
    )


def _responsible(base: Select) -> list[Select]:
    """`base` in one branch per rule of responsibility: the program's therapist, or the patient's
    primary therapist when the program has none (bound "user_id"); each an index range, merged by
    the caller."""
    return [
        base.where(Program.therapist_id == bindparam("user_id")),
        base.where(Program.therapist_id.is_(None), Patient.primary_therapist_id == bindparam("user_id")),
    ]


def _soonest(dated: Any, base: Select, limit: Any, newest_first: bool = False) -> Select:
    """The first `limit` rows of `base` by (`dated`, program id), latest first with `newest_first`:
    one branch per rule of responsibility (_responsible), each an index range, limited, then merged
    and limited again."""
    order = (dated.desc(), Program.id.desc()) if newest_first else (dated, Program.id)
    merged = union_all(*(b.order_by(*order).limit(limit).subquery().select() for b in _responsible(base))).subquery()
    by = (merged.c[dated.key], merged.c.program_id)
    return select(merged).order_by(*((c.desc() for c in by) if newest_first else by)).limit(limit)


# The dashboard's four lists in one statement, built once: overdue, this week and later (each
# group's first and last dates bound: "first_0", "last_0", ...) and the papers a pattern moved,
# oldest mark first; told apart by `part`. Each part is ordered and limited in its own subquery; a
# UNION ALL keeps no order, so therapist_dashboard sorts each part again.
MOVED_PART = len(GROUPS)


def _board_part(part: int, dated: Any, base: Select) -> Select:
    rows = _soonest(dated, base, bindparam("limit")).subquery()
    return select(literal_column(str(part)).label("part"), *rows.c)


def _due_between(part: int) -> Select:
    return _active_programs(Program.reeval_due_on).where(
        Program.reeval_due_on >= bindparam(f"first_{part}", type_=Date),
        Program.reeval_due_on <= bindparam(f"last_{part}", type_=Date),
    )


_BOARD = union_all(
    *(_board_part(part, Program.reeval_due_on, _due_between(part)) for part in range(len(GROUPS))),
    _board_part(MOVED_PART, Program.paper_moved_on, _active_programs(Program.paper_moved_on)),
)


@dataclass
class Dashboard:
    overdue: DueList
    this_week: DueList
    later: DueList
    alerts: list[ShownAlert] = field(default_factory=list)  # the newest PAGE unseen ones
    more_alerts: bool = False
    failed: list[FailedEmail] = field(default_factory=list)  # the newest PAGE failed emails
    more_failed: bool = False
    moved: list[Moved] = field(default_factory=list)  # the first PAGE papers a pattern moved, oldest mark first
    more_moved: bool = False

    # The headings count what the page read, as the lists of re-evaluations do: "3", or "more
    # than 10" (the See all pages count further). A count of its own cost each view two
    # statements more, and throughput 313 -> 228 requests a second at the bench.
    @property
    def alert_count_text(self) -> str:
        """E.g. "3", or "more than 10"."""
        return f"more than {PAGE}" if self.more_alerts else str(len(self.alerts))

    @property
    def failed_count_text(self) -> str:
        """E.g. "3", or "more than 10"."""
        return f"more than {PAGE}" if self.more_failed else str(len(self.failed))


def group_range(group: str, today: date) -> tuple[date | None, date | None]:
    """The first and last due date of a group (None: open): overdue, week (today and the next
    WEEK_NOTICE days: what the first reminder calls "in 7 days" is due this week), later.

    :raise NotFound: for another name.
    """
    yesterday, week_end = shift(today, -1), shift(today, WEEK_NOTICE)
    later = shift(week_end, 1) if week_end is not None else None
    if group == "overdue":
        return (None, yesterday) if yesterday is not None else NOTHING
    if group == "week":
        return today, week_end
    if group == "later":
        return (later, None) if later is not None else NOTHING
    raise NotFound("That list")


@functools.cache
def _statement(counting: bool, first: bool, last: bool, after: bool, newest_first: bool) -> Select:
    """The SELECT of `dues` (or `count`), built once per shape and process, values bound at run time.

    The programs are the active ones of active patients that the user is responsible for: the
    program's therapist, or the patient's primary therapist when it has none. One branch per rule,
    each an index range on (therapist, archived, next date), limited, then merged.
    """
    base = _active_programs(Program.reeval_due_on)
    if first:
        base = base.where(Program.reeval_due_on >= bindparam("first", type_=Date))
    if last:
        base = base.where(Program.reeval_due_on <= bindparam("last", type_=Date))
    if after:
        key, cursor = (
            tuple_(Program.reeval_due_on, Program.id),
            tuple_(bindparam("after_on", type_=Date), bindparam("after_id")),
        )
        base = base.where(key < cursor if newest_first else key > cursor)
    if counting:
        branches = _responsible(base)
        limited = [b.with_only_columns(Program.id).limit(bindparam("limit")).subquery().select() for b in branches]
        return select(func.count()).select_from(union_all(*limited).subquery())
    return _soonest(Program.reeval_due_on, base, bindparam("limit"), newest_first)


def _values(user: User, first: date | None, last: date | None, limit: int, after: tuple | None = None) -> dict:
    values = {"clinic_id": user.clinic_id, "user_id": user.id, "first": first, "last": last, "limit": limit}
    if after is not None:
        values["after_on"], values["after_id"] = after
    return values


def dues(
    session: Session,
    user: User,
    today: date,
    first: date | None,
    last: date | None,
    limit: int,
    after: tuple[date, int] | None = None,
    newest_first: bool = False,
) -> list[Due]:
    """At most `limit` programs due from `first` to `last` (None: open), by date then program id;
    after the (date, program id) `after` when given; latest first with `newest_first`."""
    statement = _statement(False, first is not None, last is not None, after is not None, newest_first)
    rows = session.execute(statement, _values(user, first, last, limit, after)).all()
    return [
        Due(ProgramRef(program_id, title), PatientRef(patient_id, name, phone), on, (on - today).days)
        for program_id, title, on, patient_id, name, phone in rows
    ]


def count(session: Session, user: User, first: date | None, last: date | None) -> int:
    """How many programs are due from `first` to `last`, counted up to COUNT_LIMIT + 1."""
    statement = _statement(True, first is not None, last is not None, False, False)
    return min(session.scalar(statement, _values(user, first, last, COUNT_LIMIT + 1)), COUNT_LIMIT + 1)


def due_page(
    session: Session, user: User, today: date, group: str, after: int | None = None, size: int | None = None
) -> DueList:
    """A page of one group (LIST_PAGE rows unless `size`), after the program `after` (an id from the page before).

    :raise NotFound: for an unknown group, or an `after` that is not a program the user may see.
    """
    first, last = group_range(group, today)
    key = None
    if after is not None:
        program = session.scalars(scoped(Program, user.clinic_id).where(Program.id == after)).first()
        if program is None or program.reeval_due_on is None:
            raise NotFound("That page")
        key = (program.reeval_due_on, program.id)
    size = size or LIST_PAGE
    rows = dues(session, user, today, first, last, size + 1, after=key)
    return DueList(rows[:size], len(rows) > size, count(session, user, first, last), COUNT_LIMIT)


def therapist_dashboard(session: Session, user: User, today: date) -> Dashboard:
    """Overdue (before today), this week (today and the next 7 days: group_range), later, and the
    papers a pattern moved: a page of each, in one statement (_BOARD); the therapist's unseen pain
    alerts and failed emails, newest first, a page of each. Three statements in all."""
    # A glance: the first PAGE of each list, counted no further (a list's own page counts more).
    values: dict[str, Any] = {"clinic_id": user.clinic_id, "user_id": user.id, "limit": PAGE + 1}
    for part, group in enumerate(GROUPS):
        first, last = group_range(group, today)  # an open end: the calendar's own
        values[f"first_{part}"], values[f"last_{part}"] = first or date.min, last or date.max
    parts: list[list[Any]] = [[] for _ in range(MOVED_PART + 1)]  # rows: part, program id, title, date, patient ...
    for row in session.execute(_BOARD, values):
        parts[row.part].append(row)
    lists = []
    for rows in parts[:MOVED_PART]:
        due = [
            Due(ProgramRef(r.program_id, r.title), PatientRef(r.patient_id, r.name, r.phone), r[3], (r[3] - today).days)
            for r in sorted(rows, key=lambda r: (r[3], r.program_id))
        ]
        lists.append(DueList(due[:PAGE], len(due) > PAGE, len(due), PAGE))
    moved = [
        Moved(ProgramRef(r.program_id, r.title), PatientRef(r.patient_id, r.name, r.phone), r[3])
        for r in sorted(parts[MOVED_PART], key=lambda r: (r[3], r.program_id))
    ]
    # Each row with its patient's name (and an alert with its comment), read in the same statement.
    alerts = therapist_alerts(session, user.clinic_id, user.id, limit=PAGE + 1)
    failed = failed_for(session, user, limit=PAGE + 1)
    overdue, this_week, later = lists
    return Dashboard(
        overdue,
        this_week,
        later,
        alerts=alerts[:PAGE],
        more_alerts=len(alerts) > PAGE,
        failed=failed[:PAGE],
        more_failed=len(failed) > PAGE,
        moved=moved[:PAGE],
        more_moved=len(moved) > PAGE,
    )


def counted(total: int) -> str:
    """A count as a list's heading says it: "7", or "more than 100"."""
    return f"more than {COUNT_LIMIT}" if total > COUNT_LIMIT else str(total)


@dataclass
class AttentionPage:
    """A page of the therapist's pain alerts or failed emails, newest first: its rows, whether
    more follow, the whole list's size (counted up to COUNT_LIMIT + 1); each row names its patient."""

    rows: list[ShownAlert] | list[FailedEmail]
    more: bool
    total: int

    @property
    def count_text(self) -> str:
        return counted(self.total)


def alerts_page(session: Session, user: User, after: int | None = None, size: int = LIST_PAGE) -> AttentionPage:
    """A page of the unseen pain alerts of the therapist's patients, after the alert `after`
    (the last of the page before; it may have been marked seen since).

    :raise NotFound: for an `after` that is not an alert of the user's clinic.
    """
    before = None
    if after is not None:
        key = session.execute(
            scoped(PainAlert, user.clinic_id)
            .with_only_columns(PainAlert.created_at, PainAlert.id)
            .where(PainAlert.id == after)
        ).first()
        if key is None:
            raise NotFound("That page")
        before = (key[0], key[1])
    rows = therapist_alerts(session, user.clinic_id, user.id, limit=size + 1, before=before)
    total = count_open_alerts(session, user.clinic_id, user.id, COUNT_LIMIT + 1)
    return AttentionPage(rows[:size], len(rows) > size, total)


def failed_page(session: Session, user: User, after: int | None = None, size: int = LIST_PAGE) -> AttentionPage:
    """A page of the emails that failed for the therapist, after the email `after` (an id)."""
    rows = failed_for(session, user, limit=size + 1, before_id=after)
    total = count_failed(session, user, COUNT_LIMIT + 1)
    return AttentionPage(rows[:size], len(rows) > size, total)
