"""A therapist's private iCal feed of due re-evaluations: a token URL, revocable, stored as a hash.

The feed covers a bounded window (PAST_DAYS back to AHEAD_DAYS ahead, at most MAX_EVENTS events,
today and the days ahead first), so it costs the same at any caseload; the dashboard lists the
rest. It lists whole days only, and says what it leaves out in all-day notes: how many
re-evaluations are overdue, and up to which day it lists when the cap falls inside the window. Its ETag is a hash of its events and its Last-Modified the moment they last changed, both
kept on the feed's row, so a calendar app that asks "changed since?" gets 304 Not Modified, and
the text made for an ETag is kept per process (`feed_text`), so one that asks without gets it unmade.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from planner.counted import counted
from planner.i18n import ENGLISH, translator
from planner.models import CalendarFeed, User
from planner.services import NotFound
from planner.services.calendar_window import shift
from planner.services.dashboard import COUNT_LIMIT, Due, count, dues, group_range

PAST_DAYS = 7  # re-evaluations of the last week stay in the calendar when there is room
AHEAD_DAYS = 56  # eight weeks ahead
MAX_EVENTS = 100


def _hash(token: str) -> str:
    # A 256-bit random token needs no slow hash: SHA-256 cannot be reversed to a usable token.
    return hashlib.sha256(token.encode()).hexdigest()


def create_feed(session: Session, user: User, now: datetime) -> str:
    """A new secret token for the user's feed; any older link stops working. Shown once, never stored."""
    revoke_feed(session, user)
    token = secrets.token_urlsafe(32)
    session.add(CalendarFeed(clinic_id=user.clinic_id, user_id=user.id, token_hash=_hash(token), created_at=now))
    session.flush()
    return token


def revoke_feed(session: Session, user: User) -> None:
    session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    session.flush()


def feed_of(session: Session, user: User) -> CalendarFeed | None:
    return session.scalars(select(CalendarFeed).where(CalendarFeed.user_id == user.id)).first()


def feed_for_token(session: Session, token: str) -> CalendarFeed:
    """:raise NotFound: for an unknown or revoked token, or a deactivated user (the same answer)."""
    feed = session.scalars(select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token))).first()
    if feed is None or not feed.user.active:
        raise NotFound("That calendar")
    return feed


def user_for_token(session: Session, token: str) -> User:
    """:raise NotFound: as feed_for_token."""
    return feed_for_token(session, token).user


class Note(NamedTuple):
    """An all-day event that says what the feed leaves out: on `on`, with its words."""

    on: date
    key: str  # for its UID: one note of a kind a day
    summary: str
    description: str


class Contents(NamedTuple):
    """What the feed shows: the due re-evaluations by date, and the notes on what it leaves out."""

    events: list[Due]
    notes: list[Note]


def _whole_days(rows: list[Due], room: int) -> tuple[list[Due], date | None]:
    """The first `room` of `rows` (at most room + 1, by date one way), without the day the cap
    falls in, and that day (None: nothing left out)."""
    if len(rows) <= room:
        return rows, None
    cut = rows[room].due_on
    return [d for d in rows[:room] if d.due_on != cut], cut


def _overdue_count(n: int) -> str:
    return (
        f"More than {COUNT_LIMIT} re-evaluations" if n > COUNT_LIMIT else counted(n, "re-evaluation", "re-evaluations")
    )


def feed_contents(session: Session, user: User, today: date) -> Contents:
    """The feed's events: due from PAST_DAYS ago to AHEAD_DAYS ahead, at most MAX_EVENTS, by date,
    whole days only; and its notes: the overdue count (today), the first day not listed.

    Today and the days ahead come first; the past week fills what room is left. A day the cap falls
    in is left out whole, never cut, and a note on it says the dashboard lists the rest.
    """
    end = shift(today, AHEAD_DAYS)
    ahead, cut = _whole_days(dues(session, user, today, today, end, MAX_EVENTS + 1), MAX_EVENTS)
    notes = []
    overdue = count(session, user, *group_range("overdue", today))
    if overdue:
        notes.append(
            Note(
                today,
                "overdue",
                _overdue_count(overdue) + " overdue: see your dashboard",
                "Your dashboard lists every overdue re-evaluation, the oldest first.",
            )
        )
    if cut is not None:
        last = shift(cut, -1)
        upto = (
            f"up to {last:%A} {last.day} {last:%B %Y}" if last is not None and last >= today else "none from today on"
        )
        notes.append(
            Note(
                cut,
                "more",
                "More re-evaluations: see your dashboard",
                f"There are too many to list here. This calendar lists them {upto}. Your dashboard lists them all.",
            )
        )
    room = MAX_EVENTS - len(ahead)
    before = shift(today, -1)
    past: list[Due] = []
    if cut is None and room and before is not None:  # the past week, only when the weeks ahead fit
        rows = dues(session, user, today, shift(today, -PAST_DAYS), before, room + 1, newest_first=True)
        past, _ = _whole_days(rows, room)
    return Contents([*reversed(past), *ahead], notes)


def freshness(feed: CalendarFeed, contents: Contents, options: tuple, now: datetime) -> tuple[str, datetime]:
    """The feed's ETag (a hash of its events, its notes and `options`, whatever else shapes the
    text) and since when it holds these: `now` when they differ from what it held last (kept on the
    row; the caller commits)."""
    events = [(d.program.id, d.program.title, d.patient.id, d.patient.name, d.due_on) for d in contents.events]
    content = repr((options, events, contents.notes))
    digest = hashlib.sha256(content.encode()).hexdigest()
    if feed.content_hash != digest or feed.changed_at is None:
        feed.content_hash, feed.changed_at = digest, now
    return digest, feed.changed_at


# A date is a weak validator (RFC 9110 §8.8.2.2, §13.1.3): Last-Modified has whole seconds, and
# two changes can fall in one. A calendar app that sends only If-Modified-Since, with the date of
# the events it holds, hears "not modified" only when the feed's events last changed strictly
# before that date: a change in the same second as the date it holds is sent again, never hidden.
# The date sent is the change's second rounded up once that second is over (so the next ask with
# it is a 304), and rounded down before (a date may not be later than the answer, §8.8.2.1).


def last_modified(changed_at: datetime, now: datetime) -> datetime:
    """The Last-Modified to send for events changed at `changed_at` (aware, with microseconds),
    answering at `now`: whole seconds, never after `now`."""
    down = changed_at.replace(microsecond=0)
    up = down if down == changed_at else down + timedelta(seconds=1)
    return up if up <= now else down


def unchanged_since(changed_at: datetime, if_modified_since: datetime) -> bool:
    """Whether a client holding the events as of `if_modified_since` (a date it was sent, whole
    seconds) holds the current ones: only when they changed strictly before that date."""
    return changed_at < if_modified_since


# The last text of each feed (by feed id) with the ETag and Last-Modified it was made for. The ETag
# hashes every value the text shows (freshness) and Last-Modified is its DTSTAMP, so the text is a
# function of the two: an edit changes the ETag and the text is made again. At most KEPT_TEXTS
# feeds, the least recently asked for dropped first (a feed of 100 events is about 30 KiB).
KEPT_TEXTS = 256
_texts: OrderedDict[int, tuple[str, datetime, str]] = OrderedDict()
_texts_lock = threading.Lock()  # a threaded server may answer two feeds at once


def feed_text(
    feed: CalendarFeed,
    etag: str,
    changed_at: datetime,
    contents: Contents,
    domain: str,
    full_names: bool = True,
    base_url: str = "",
) -> str:
    """The feed's VCALENDAR text (`ical`), made once per process for its ETag and Last-Modified.

    `etag` and `changed_at`: what `freshness` gave for these `contents` and these options.
    """
    with _texts_lock:
        kept = _texts.get(feed.id)
        if kept is not None and kept[0] == etag and kept[1] == changed_at:
            _texts.move_to_end(feed.id)
            return kept[2]
    text = ical(contents.events, changed_at, domain, full_names=full_names, base_url=base_url, notes=contents.notes)
    with _texts_lock:
        _texts[feed.id] = (etag, changed_at, text)
        _texts.move_to_end(feed.id)
        while len(_texts) > KEPT_TEXTS:
            _texts.popitem(last=False)
    return text


# Unicode's control characters (category Cc: U+0000-U+001F and U+007F-U+009F) but the tab, each
# made a space: one translate call per value instead of a look-up per character.
_CONTROLS = {c: " " for c in range(0xA0) if unicodedata.category(chr(c)) == "Cc" and chr(c) != "\t"}


def _all_day_event(key: str, on: date, summary: str, description: str, url: str, domain: str, stamp: str) -> list[str]:
    """The lines of one all-day VEVENT on `on`: its UID `key`-date@`domain`, the summary and
    description escaped, the URL when given (""); lines that can pass 75 octets folded."""
    start = ical_date(on)
    lines = [
        "BEGIN:VEVENT",
        fold(f"UID:{key}-{start}@{domain}"),
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{start}",
    ]
    end = shift(on, 1)
    if end is not None:  # without DTEND an all-day event lasts the one day (RFC 5545 §3.6.1)
        lines.append(f"DTEND;VALUE=DATE:{ical_date(end)}")
    lines += [
        fold("SUMMARY:" + escape_text(summary)),
        fold("DESCRIPTION:" + escape_text(description)),
        "TRANSP:TRANSPARENT",
    ]
    if url:
        lines.append(fold(f"URL:{url}"))
    lines.append("END:VEVENT")
    return lines


def escape_text(value: str) -> str:
    """A TEXT value per RFC 5545 §3.3.11: backslash, semicolon, comma and newline escaped; other
    control characters, which a TEXT value may not hold, become spaces (a tab stays)."""
    value = (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )
    return value.translate(_CONTROLS)


def fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 5545 §3.1), never inside a UTF-8 character."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, start, limit = [], 0, 75  # continuation lines start with one space: 74 octets after it
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: the character starts before it
            end -= 1
        parts.append(data[start:end])
        start, limit = end, 74
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode()


def initials(name: str) -> str:
    return "".join(part[0] + "." for part in name.split() if part)


def ical_date(day: date) -> str:
    """A DATE value, e.g. "20261121"; strftime would drop the zeros of a year before 1000."""
    return day.isoformat().replace("-", "")


def ical(
    events: Iterable[Due],
    stamp_at: datetime,
    domain: str,
    full_names: bool = True,
    base_url: str = "",
    notes: Iterable[Note] = (),
) -> str:
    """The VCALENDAR text: one all-day event per due re-evaluation, and one per note.

    `stamp_at` (UTC) is every event's DTSTAMP: the moment the feed's events last changed
    (freshness), so the same events give the same text.
    """
    stamp = stamp_at.strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Home Exercise Planner//Re-evaluations//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Re-evaluations",
    ]
    # Only the lines with a name, a title, the domain or an address can pass 75 octets: fold those.
    for due in events:
        name = due.patient.name if full_names else initials(due.patient.name)
        description = translator(ENGLISH).sentence(f"{name}, program “{due.program.title}”.")
        lines += _all_day_event(
            f"reevaluation-{due.program.id}",
            due.due_on,
            f"Re-evaluation: {name}",
            description,
            f"{base_url}/patients/{due.patient.id}" if base_url else "",
            domain,
            stamp,
        )
    for note in notes:
        url = f"{base_url}/dashboard" if base_url else ""
        lines += _all_day_event(note.key, note.on, note.summary, note.description, url, domain, stamp)
    lines.append("END:VCALENDAR\r\n")
    return "\r\n".join(lines)
