"""What the day's exercise reminder says: today's exercises in words, the private link, the stop link.

In the patient's handout language, each sentence one gettext message. Every one carries the
stop link in its text and as one-click unsubscribe headers (RFC 2369 List-Unsubscribe, RFC 8058
List-Unsubscribe-Post), so a mail program's "Unsubscribe" button stops them with one POST.
"""

from __future__ import annotations

import functools
from datetime import datetime
from html import escape
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy.orm import Session

from planner.i18n import translator
from planner.languages import handout_language
from planner.mail import Email, ascii_domain
from planner.models import Clinic, OutboxMessage
from planner.services import DomainError, exercise_reminder_days, exercise_reminders, patient_links, portal

STOP_PATH = f"{portal.PATH}/stop"  # the stop link: /p/stop/<token>, served by web/portal/reminders.py


def ascii_url(url: str) -> str:
    """The URL with its host in ASCII (IDNA), as a header must carry it: https://xn--bungen-… for übungen."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host.isascii():
        return url
    ascii_host = ascii_domain(host)
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(host, ascii_host)))


@functools.lru_cache(maxsize=8)
def _ascii_site(public_url: str) -> str:
    return ascii_url(public_url.rstrip("/"))


def stop_url(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}{STOP_PATH}/{token}"


def exercise_email(
    session: Session,
    row: OutboxMessage,
    clinic: Clinic,
    now: datetime,
    common: dict[str, Any],
    public_url: str,
    secret_key: str,
    languages: tuple[str, ...],
    found: exercise_reminder_days.Found | None = None,
) -> Email:
    """The day's reminder for an outbox row of kind "exercise"; `found`: the patient's reminder
    setting and link, read ahead with other rows' (exercise_reminder_days.settings_and_links).

    :raise Skip: when it is no longer wanted (exercise_reminder_days.still_wanted).
    :raise DomainError: without [server] public_url or a secret key: the email could carry no
        link and no stop link, so it fails where the therapist sees it.
    """
    wanted = exercise_reminder_days.still_wanted(session, row, now, found)
    if not public_url or not secret_key:
        raise DomainError("Set [server] public_url: exercise reminders must carry the patient's link and a stop link.")
    patient = row.patient
    language = handout_language(patient.language, languages)
    t = translator(language)
    assert row.due_on is not None
    site = _ascii_site(public_url)  # the tokens are URL-safe ASCII: only the site's host needs IDNA
    page = f"{site}{portal.PATH}/{patient_links.link_token(wanted.link, secret_key)}"
    stop = stop_url(site, exercise_reminders.stop_token(wanted.reminder, secret_key))
    # Held for the session (the dispatcher's run): the identity map keeps only weak references, so
    # without this every email of the day loaded the same few exercises again.
    held = session.info.setdefault("exercise_emails.exercises", {})
    exercises, exercises_html = [], []
    # The words of the phone page: the direction's sentence (never a side-less one: a direction
    # not set reads "please wait"; so does an exercise the pattern flags, until it is checked), then the dosage.
    for item in wanted.items:  # the version given (exercise_reminder_days.still_wanted)
        held[item.exercise_id] = item.exercise
        words = item.prescribed(language).words
        named = item.text(language)  # a clinic's own exercise named as its paper names it
        name, dosage = named.name, words
        exercises.append(t.gettext("%(exercise)s: %(dosage)s", exercise=name, dosage=dosage) if dosage else name)
        # A name of known other language (a catalog exercise without a translation) is marked for a
        # screen reader's voice; "\0" holds its place while the line is escaped.
        other = named.lang_on(language)
        own = named.own_name  # in its own language; the side's words (a copy given for one side) in the email's
        marked = f'<span lang="{escape(other)}">{escape(own)}</span>' if other else escape(own)
        marked += f" {escape(named.side_words)}" if named.side_words else ""
        line = t.gettext("%(exercise)s: %(dosage)s", exercise="\0", dosage=dosage) if dosage else "\0"
        exercises_html.append(escape(line).replace("\0", marked))
    opening = [
        t.gettext("Dear %(name)s,", name=patient.called_name),
        t.gettext("Here is your exercise for today, %(day)s.", day=t.weekday_date(row.due_on))
        if len(exercises) == 1
        else t.gettext("Here are your exercises for today, %(day)s.", day=t.weekday_date(row.due_on)),
    ]
    page_words = t.gettext("Open your exercise page to see how to do them and tick what you did:")
    why = t.gettext("You get this email on each day you have exercises.")
    stop_words = t.gettext("To stop these emails, open this link:")
    text = "\n\n".join(
        [*opening, "\n".join(f"- {e}" for e in exercises), f"{page_words}\n{page}", f"{why} {stop_words}\n{stop}"]
    )
    html = (
        f'<!doctype html><html lang="{escape(language)}"><body style="font-family: sans-serif; font-size: 18px">'
        + "".join(f"<p>{escape(p)}</p>" for p in opening)
        + "<ul>"
        # An exercise's name may be the clinic's own, typed in Hebrew or Arabic: its own direction.
        + "".join(f'<li dir="auto">{e}</li>' for e in exercises_html)
        + "</ul>"
        + f'<p>{escape(page_words)}<br><a href="{escape(page)}">{escape(page)}</a></p>'
        + f'<p>{escape(why)} <a href="{escape(stop)}">{escape(stop_words.rstrip(":"))}</a></p>'
        + f"<p>{escape(clinic.name)}</p></body></html>"
    )
    return Email(
        to=patient.email,
        to_name=patient.name,
        subject=t.gettext("Your exercises for today, %(day)s", day=t.weekday_date(row.due_on)),
        text=f"{text}\n\n{clinic.name}\n",
        html=html,
        language=language,
        headers=(("List-Unsubscribe", f"<{stop}>"), ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")),
        **common,
    )
