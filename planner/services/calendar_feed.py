"""A therapist's private iCal feed of due re-evaluations: a token URL, revocable, stored as a hash."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from planner.models import CalendarFeed, User
from planner.services import NotFound
from planner.services.calendar_window import shift
from planner.services.dashboard import Due


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


def user_for_token(session: Session, token: str) -> User:
    """:raise NotFound: for an unknown or revoked token, or a deactivated user (the same answer)."""
    feed = session.scalars(select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token))).first()
    if feed is None or not feed.user.active:
        raise NotFound("That calendar")
    return feed.user


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
    return "".join(" " if unicodedata.category(c) == "Cc" and c != "\t" else c for c in value)


def fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 5545 §3.1), never inside a UTF-8 character."""
    out, current = [], ""
    for char in line:
        limit = 75 if not out else 74  # continuation lines start with one space
        if len((current + char).encode()) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return "\r\n ".join(out)


def initials(name: str) -> str:
    return "".join(part[0] + "." for part in name.split() if part)


def ical_date(day: date) -> str:
    """A DATE value, e.g. "20261121"; strftime would drop the zeros of a year before 1000."""
    return day.isoformat().replace("-", "")


def ical(dues: Iterable[Due], now: datetime, domain: str, full_names: bool = True, base_url: str = "") -> str:
    """The VCALENDAR text: one all-day event per due re-evaluation."""
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Home Exercise Planner//Re-evaluations//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Re-evaluations",
    ]
    for due in dues:
        name = due.patient.name if full_names else initials(due.patient.name)
        lines += [
            "BEGIN:VEVENT",
            f"UID:reevaluation-{due.program.id}-{ical_date(due.due_on)}@{domain}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{ical_date(due.due_on)}",
        ]
        end = shift(due.due_on, 1)
        if end is not None:  # without DTEND an all-day event lasts the one day (RFC 5545 §3.6.1)
            lines.append(f"DTEND;VALUE=DATE:{ical_date(end)}")
        lines += [
            "SUMMARY:" + escape_text(f"Re-evaluation: {name}"),
            "DESCRIPTION:" + escape_text(f"{name}, program “{due.program.title}”."),
            "TRANSP:TRANSPARENT",
        ]
        if base_url:
            lines.append(f"URL:{base_url}/patients/{due.patient.id}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
