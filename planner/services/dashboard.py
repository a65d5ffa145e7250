"""A therapist's dashboard: re-evaluations overdue, due this week, later; pain alerts; emails that failed.

Every list is bounded: a page of rows read through the index on (therapist, archived, next date)
(programs.reeval_due_on, kept by services/programs), with a count that stops at COUNT_LIMIT. So
the dashboard reads the same few rows for a therapist of 50 patients and of 5,000; the rest of a
long list is a page further (`due_page`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, func, select, tuple_, union_all
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from planner.models import OutboxMessage, PainAlert, Patient, Program, User
from planner.scoping import scoped
from planner.services import NotFound, portal
from planner.services.calendar_window import shift
from planner.services.outbox import failed_for

PAGE = 20  # rows of each list on the dashboard, and on a page of one list
COUNT_LIMIT = 100  # a list longer than this is counted as "more than 100"
GROUPS = ("overdue", "week", "later")
NOTHING = (date.max, date.min)  # a range no date is in (a group past either end of the calendar)


@dataclass(frozen=True)
class ProgramRef:
    id: int
    title: str


@dataclass(frozen=True)
class PatientRef:
    id: int
    name: str
    phone: str


@dataclass(frozen=True)
class Due:
    """One program's next re-evaluation, with what a list shows of its patient."""

    program: ProgramRef
    patient: PatientRef
    due_on: date
    days: int  # from today; negative when overdue


class DueList(list[Due]):
    """A page of dues, soonest first; `count` of the whole list up to COUNT_LIMIT + 1, and whether
    rows follow this page (`more`)."""

    def __init__(self, rows: list[Due], count: int, more: bool) -> None:
        super().__init__(rows)
        self.count, self.more = count, more

    @property
    def count_text(self) -> str:
        """E.g. "7", or "more than 100"."""
        return f"more than {COUNT_LIMIT}" if self.count > COUNT_LIMIT else str(self.count)


@dataclass
class Dashboard:
    overdue: DueList
    this_week: DueList
    later: DueList
    alerts: list[PainAlert] = field(default_factory=list)  # the newest PAGE unseen ones
    more_alerts: bool = False
    failed: list[OutboxMessage] = field(default_factory=list)  # the newest PAGE failed emails
    more_failed: bool = False


def group_range(group: str, today: date) -> tuple[date | None, date | None]:
    """The first and last due date of a group (None: open): overdue, week (today and 6 more), later.

    :raise NotFound: for another name.
    """
    yesterday, week_end = shift(today, -1), shift(today, 6)
    later = shift(week_end, 1) if week_end is not None else None
    if group == "overdue":
        return (None, yesterday) if yesterday is not None else NOTHING
    if group == "week":
        return today, week_end
    if group == "later":
        return (later, None) if later is not None else NOTHING
    raise NotFound("That list")


def _responsible(user: User, first: date | None, last: date | None) -> list[Select]:
    """The active programs of active patients the user is responsible for, due from `first` to
    `last`: the program's therapist, or the patient's primary therapist when it has none.

    Two SELECTs (one per rule), each an index range on (therapist, archived, next date).
    """
    base = (
        scoped(Program, user.clinic_id)
        .join(Patient, Patient.id == Program.patient_id)
        .with_only_columns(
            Program.id.label("program_id"),
            Program.title,
            Program.reeval_due_on,
            Patient.id.label("patient_id"),
            Patient.name,
            Patient.phone,
        )
        .where(Program.archived_at.is_(None), Patient.archived_at.is_(None), Program.reeval_due_on.is_not(None))
    )
    if first is not None:
        base = base.where(Program.reeval_due_on >= first)
    if last is not None:
        base = base.where(Program.reeval_due_on <= last)
    return [
        base.where(Program.therapist_id == user.id),
        base.where(Program.therapist_id.is_(None), Patient.primary_therapist_id == user.id),
    ]


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
    order = (Program.reeval_due_on.desc(), Program.id.desc()) if newest_first else (Program.reeval_due_on, Program.id)
    branches = []
    for branch in _responsible(user, first, last):
        if after is not None:
            key = tuple_(Program.reeval_due_on, Program.id)
            branch = branch.where(key < tuple_(*after) if newest_first else key > tuple_(*after))
        branches.append(branch.order_by(*order).limit(limit).subquery().select())
    merged = union_all(*branches).subquery()
    by = (merged.c.reeval_due_on, merged.c.program_id)
    rows = session.execute(
        select(merged).order_by(*((c.desc() for c in by) if newest_first else by)).limit(limit)
    ).all()
    return [
        Due(ProgramRef(program_id, title), PatientRef(patient_id, name, phone), on, (on - today).days)
        for program_id, title, on, patient_id, name, phone in rows
    ]


def count(session: Session, user: User, first: date | None, last: date | None) -> int:
    """How many programs are due from `first` to `last`, counted up to COUNT_LIMIT + 1."""
    branches = [
        b.with_only_columns(Program.id).limit(COUNT_LIMIT + 1).subquery().select()
        for b in _responsible(user, first, last)
    ]
    return min(session.scalar(select(func.count()).select_from(union_all(*branches).subquery())), COUNT_LIMIT + 1)


def due_page(
    session: Session, user: User, today: date, group: str, after: int | None = None, size: int | None = None
) -> DueList:
    """A page of one group (PAGE rows unless `size`), after the program `after` (an id from the page before).

    :raise NotFound: for an unknown group, or an `after` that is not a program the user may see.
    """
    first, last = group_range(group, today)
    key = None
    if after is not None:
        program = session.scalars(scoped(Program, user.clinic_id).where(Program.id == after)).first()
        if program is None or program.reeval_due_on is None:
            raise NotFound("That page")
        key = (program.reeval_due_on, program.id)
    size = size or PAGE
    rows = dues(session, user, today, first, last, size + 1, after=key)
    return DueList(rows[:size], count(session, user, first, last), len(rows) > size)


def therapist_dashboard(session: Session, user: User, today: date) -> Dashboard:
    """Overdue (before today), this week (today and the next 6 days), later: a page of each;
    the therapist's unseen pain alerts and failed emails, newest first, a page of each."""
    lists = [due_page(session, user, today, group) for group in GROUPS]
    alerts = portal.open_alerts(session, user.clinic_id, therapist_id=user.id, limit=PAGE + 1)
    failed = failed_for(session, user, limit=PAGE + 1)
    # The page names each row's patient: one query for all, not one per row.
    wanted = {row.patient_id for row in (*alerts, *failed)}
    found = {p.id: p for p in session.scalars(scoped(Patient, user.clinic_id).where(Patient.id.in_(wanted)))}
    for row in (*alerts, *failed):
        set_committed_value(row, "patient", found.get(row.patient_id))
    return Dashboard(
        *lists,
        alerts=alerts[:PAGE],
        more_alerts=len(alerts) > PAGE,
        failed=failed[:PAGE],
        more_failed=len(failed) > PAGE,
    )
