"""What each outbox email says: a re-evaluation reminder (therapist or patient) or a handout.

Composed at send time from the rows as they are then, so a changed date or withdrawn consent
is respected; the Message-ID comes from the outbox row, so every attempt carries the same one.
What goes to a patient is in the patient's handout language (planner/languages.py), each
sentence one gettext message; what goes to a therapist is in English, as the therapist's pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from planner.handouts.styles import HandoutOptions
from planner.i18n import ENGLISH, Translator, translator
from planner.languages import handout_language, offered_in
from planner.mail import Attachment, Email, MailError, default_domain, message_id, sender_mailbox
from planner.models import Clinic, OutboxMessage
from planner.services import exercise_reminder_days
from planner.services.alerts import comment_preview
from planner.services.clinic_time import local_today
from planner.services.exercise_emails import exercise_email
from planner.services.file_names import handout_file_name
from planner.services.outbox import Composer, Skip
from planner.services.paper_state import check_up_since_given
from planner.services.reevaluation import next_reevaluation
from planner.services.reminders import due_this_far, patient_wants_reminders, responsible_therapist

MESSAGE_ID_KIND = {"reevaluation": "reminder", "handout": "handout", "pain_alert": "pain-alert", "exercise": "exercise"}


@dataclass(frozen=True)
class MailSettings:
    sender: str = "Home Exercise Planner <planner@localhost>"
    domain: str = "planner.localhost"
    public_url: str = ""
    # The app's secret key, so an emailed handout can carry the patient's link as a QR code.
    secret_key: str = field(default="", repr=False)
    # The site's handout languages (planner.languages.offered_in): a patient reads their emails in
    # their preferred language when it is one of these, else in English.
    languages: tuple[str, ...] = (ENGLISH,)
    # How an emailed handout is laid out: the same [handouts] settings as a printed one.
    handouts: HandoutOptions = HandoutOptions()

    @classmethod
    def from_settings(
        cls, settings: dict[str, Any], secret_key: str = "", handouts: HandoutOptions | None = None
    ) -> MailSettings:
        """From the configuration's [mail] and [server] public_url; `handouts` default to the site's
        [handouts] settings.

        :raise ValueError: when [mail] sender is not an address (every email would fail).
        """
        mail = settings.get("mail", {})
        try:
            sender_mailbox(mail.get("sender", cls.sender))
        except MailError as e:
            raise ValueError(str(e)) from None
        return cls(
            mail.get("sender", cls.sender),
            default_domain(mail.get("message_id_domain", "")),
            settings.get("server", {}).get("public_url", "").rstrip("/"),
            secret_key,
            offered_in(settings),
            handouts or HandoutOptions.from_settings(settings.get("handouts"), offered_in(settings)),
        )


def outbox_message_id(row: OutboxMessage, domain: str) -> str:
    return message_id(MESSAGE_ID_KIND[row.kind], row.id, domain)


def _long_date(day: Any) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


class Quote(str):
    """A paragraph in the patient's own words: quoted, and set in its own direction (Hebrew, Arabic)."""


def _text(paragraphs: list[str]) -> str:
    return "\n\n".join(f"“{p}”" if isinstance(p, Quote) else p for p in paragraphs)


def _html(paragraphs: list[str], link: tuple[str, str] | None = None, language: str = ENGLISH) -> str:
    body = "".join(
        f'<blockquote dir="auto">{escape(p)}</blockquote>' if isinstance(p, Quote) else f"<p>{escape(p)}</p>"
        for p in paragraphs
    )
    if link:
        body += f'<p><a href="{escape(link[1])}">{escape(link[0])}</a></p>'
    return f'<!doctype html><html lang="{escape(language)}"><body style="font-family: sans-serif; font-size: 18px">{body}</body></html>'


def make_composer(settings: MailSettings) -> Composer:
    """The composer the dispatcher calls for each row it claimed."""
    return _Composer(settings)


class _Composer:
    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self.clinics: dict[int, Clinic] = {}  # held for the run: a dispatch run is minutes at most
        self.wanted: dict[int, exercise_reminder_days.Found] = {}

    def prepare(self, session: Session, rows: list[OutboxMessage], now: datetime) -> None:
        """Read what the rows about to be sent need, together (outbox.read_ahead calls this)."""
        self.wanted = exercise_reminder_days.settings_and_links(
            session, [r.patient_id for r in rows if r.kind == "exercise"]
        )

    def __call__(self, session: Session, row: OutboxMessage, now: datetime) -> Email:
        """:raise Skip: when the email is no longer wanted."""
        settings, clinics = self.settings, self.clinics
        program, patient = row.program, row.patient
        clinic = clinics.get(row.clinic_id) or session.get(Clinic, row.clinic_id)
        assert clinic is not None
        clinics[row.clinic_id] = clinic
        common: dict[str, Any] = {
            "message_id": outbox_message_id(row, settings.domain),
            "date": now,
            "sender": settings.sender,
            # A patient reads who writes in the clinic's name, not the software's ([mail] sender's
            # name, English and the same for every clinic): only its address is the site's.
            "sender_name": clinic.name if row.recipient == "patient" else "",
            "reply_to": clinic.email,
            "reply_to_name": clinic.name if clinic.email else "",
        }
        if row.kind == "handout":
            return _handout(session, row, clinic, now, common, settings)
        if row.kind == "pain_alert":
            return _pain_alert(session, row, settings, common)
        if row.kind == "exercise":
            return exercise_email(
                session,
                row,
                clinic,
                now,
                common,
                settings.public_url,
                settings.secret_key,
                settings.languages,
                self.wanted.get(row.patient_id),
            )
        if program.archived or patient.archived:
            raise Skip("The program or the patient is archived.")
        if next_reevaluation(program) != row.due_on:
            raise Skip("The re-evaluation date changed.")
        assert row.due_on is not None  # a re-evaluation row is queued with its due date
        if row.recipient == "patient":
            if not patient_wants_reminders(patient):
                raise Skip("The patient has no email or no longer agrees to reminders.")
            t = translator(handout_language(patient.language, settings.languages))
            days = (row.due_on - local_today(ZoneInfo(clinic.timezone), now)).days
            # A date moved since the paper was given: said, so the two dates do not contradict silently.
            moved = check_up_since_given(session, program)
            lines = [
                t.gettext("Dear %(name)s,", name=patient.called_name),
                _due(t, days, clinic.name, t.full_date(row.due_on)),
                *(
                    [
                        t.gettext("This date has changed.")
                        + " "
                        + t.gettext("Your paper handout still says %(day)s.", day=t.full_date(moved.paper))
                    ]
                    if moved is not None and moved.paper is not None
                    else []
                ),
                t.gettext("Please call us on %(phone)s to book a time.", phone=clinic.phone)
                if clinic.phone
                else t.gettext("Please call us to book a time."),
                t.gettext("Keep doing your exercises until then."),
                clinic.name,
            ]
            return Email(
                to=patient.email,
                to_name=patient.name,
                subject=_due(t, days, clinic.name),
                text="\n\n".join(lines) + "\n",
                html=_html(lines, language=t.language),
                language=t.language,
                **common,
            )
        therapist = responsible_therapist(program)
        if therapist is None:
            raise Skip("No active therapist is responsible for this program.")
        link = f"{settings.public_url}/patients/{patient.id}" if settings.public_url else ""
        when = due_this_far(row.due_on, local_today(ZoneInfo(clinic.timezone), now))
        lines = [f"The re-evaluation of {patient.name} ({program.title}) is due {when}, on {_long_date(row.due_on)}."]
        if patient.phone:
            lines.append(f"Phone: {patient.phone}")
        text = "\n\n".join(lines + ([f"Open the patient: {link}"] if link else [])) + "\n"
        return Email(
            to=therapist.email,
            to_name=therapist.name,
            subject=f"Re-evaluation due {when}: {patient.name}",
            text=text,
            html=_html(lines, ("Open the patient", link) if link else None),
            **common,
        )


def _handout(
    session: Session, row: OutboxMessage, clinic: Clinic, now: datetime, common: dict[str, Any], settings: MailSettings
) -> Email:
    patient = row.patient
    if not patient.email:
        raise Skip("The patient has no email address any more.")
    # Imported here: the handout package is built beside this one, and only sending needs it.
    from planner.handouts import build_handout
    from planner.services.portal import link_url

    online = (
        link_url(session, patient.id, settings.secret_key, settings.public_url, now) if settings.secret_key else None
    )
    language = handout_language(patient.language, settings.languages)
    t = translator(language)
    program = row.program
    # A handout that cannot be made raises HandoutNotMade: the outbox keeps its words on the row.
    pdf = build_handout(session, program, now, online_url=online, options=settings.handouts, language=language)
    name = handout_file_name(row.program.title, language)  # from the title the handout prints
    # A version after the first: an earlier paper was given (a version is only counted on after
    # one was given). Said first, so an older patient does not keep following the old paper
    # (trial 21 F5: versions 2 and 3 came with the first one's subject and words).
    new = program.version > 1
    lines = [
        t.gettext("Dear %(name)s,", name=patient.called_name),
        *(
            [
                t.gettext("Your home exercise program has changed."),
                t.gettext(
                    "The new version (version %(version)s) is attached as a PDF you can print.",
                    version=t.number(program.version),
                ),
                t.gettext("It replaces the handout you have now. Please follow only the new one."),
            ]
            if new
            else [t.gettext("Your home exercise program is attached as a PDF you can print.")]
        ),
        t.gettext("If anything is unclear, call us on %(phone)s.", phone=clinic.phone)
        if clinic.phone
        else t.gettext("If anything is unclear, call us."),
        clinic.name,
    ]
    subject = (
        t.gettext("Your new home exercise program from %(clinic)s", clinic=clinic.name)
        if new
        else t.gettext("Your home exercise program from %(clinic)s", clinic=clinic.name)
    )
    return Email(
        to=patient.email,
        to_name=patient.name,
        subject=subject,
        text="\n\n".join(lines) + "\n",
        html=_html(lines, language=language),
        attachments=[Attachment(name, pdf)],
        language=language,
        **common,
    )


def _due(t: Translator, days: int, clinic: str, day: str | None = None) -> str:
    """When a patient's re-evaluation is due, as one whole sentence (with the date: the email's
    line) or a subject (without it); `days` from the clinic's today, negative when past."""
    if day is None:
        if days == 0:
            return t.gettext("Your re-evaluation at %(clinic)s is due today", clinic=clinic)
        if days == 1:
            return t.gettext("Your re-evaluation at %(clinic)s is due tomorrow", clinic=clinic)
        if days > 1:
            return t.ngettext(
                "Your re-evaluation at %(clinic)s is due in %(num)s day",
                "Your re-evaluation at %(clinic)s is due in %(num)s days",
                days,
                clinic=clinic,
            )
        return t.ngettext(
            "Your re-evaluation at %(clinic)s was due %(num)s day ago",
            "Your re-evaluation at %(clinic)s was due %(num)s days ago",
            -days,
            clinic=clinic,
        )
    if days == 0:
        return t.gettext("Your re-evaluation at %(clinic)s is due today, %(day)s.", clinic=clinic, day=day)
    if days == 1:
        return t.gettext("Your re-evaluation at %(clinic)s is due tomorrow, %(day)s.", clinic=clinic, day=day)
    if days > 1:
        return t.ngettext(
            "Your re-evaluation at %(clinic)s is due in %(num)s day, on %(day)s.",
            "Your re-evaluation at %(clinic)s is due in %(num)s days, on %(day)s.",
            days,
            clinic=clinic,
            day=day,
        )
    return t.ngettext(
        "Your re-evaluation at %(clinic)s was due %(num)s day ago, on %(day)s.",
        "Your re-evaluation at %(clinic)s was due %(num)s days ago, on %(day)s.",
        -days,
        clinic=clinic,
        day=day,
    )


def _pain_alert(session: Session, row: OutboxMessage, settings: MailSettings, common: dict[str, Any]) -> Email:
    """:raise Skip: when nobody active is left to tell."""
    from sqlalchemy import select

    from planner.models import User
    from planner.models.portal import PainAlert

    patient = row.patient
    therapist = session.get(User, row.user_id) if row.user_id else None
    if therapist is None or not therapist.active:
        raise Skip("The therapist to tell is no longer active.")
    alert = session.scalars(
        select(PainAlert).where(PainAlert.patient_id == patient.id, PainAlert.day == row.due_on)
    ).first()
    reason = alert.reason if alert else "A high pain rating was logged."
    link = f"{settings.public_url}/patients/{patient.id}" if settings.public_url else ""
    lines: list[str] = [f"{patient.name} logged pain at home on {_long_date(row.due_on)}.", reason]
    if alert is not None and alert.comment:
        comment, shortened = comment_preview(alert.comment)
        lines += ["They wrote:", Quote(comment)]
        if shortened:
            lines.append("This is the start of the comment. The whole comment is on the patient's page.")
    lines.append("You may want to call the patient or change the program.")
    text = _text(lines + ([f"Open the patient: {link}"] if link else [])) + "\n"
    return Email(
        to=therapist.email,
        to_name=therapist.name,
        subject=f"Pain alert: {patient.name}",
        text=text,
        html=_html(lines, ("Open the patient", link) if link else None),
        **common,
    )
