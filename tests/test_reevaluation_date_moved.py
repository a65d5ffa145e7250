"""A re-evaluation date moved after the paper was given: nobody is left with two dates and no word.

trial19 F6: the therapist moved the program's date ("Or on this date") after printing; the patient
got an email "your re-evaluation is tomorrow" while her paper and her phone page's PDF still gave a
date six weeks later, and the builder said nothing about the date. Now the builder says the paper
shows another date and offers a new version, the phone page and its PDF give the date as it is now
(the page saying the paper's is old), and the reminder email says the date has changed. Told on the
demo's Maria Lopez (Spanish), through the builder's form, the phone link and a real SMTP server.
"""

from __future__ import annotations

import email.policy
from datetime import timedelta
from html.parser import HTMLParser

from babel.dates import format_date
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from planner.i18n import translator
from planner.mail import SMTPMailer
from planner.models import OutboxMessage, ProgramVersion
from planner.services import custom_exercises, evaluations, issuing, program_items
from planner.services.emails import MailSettings, make_composer
from planner.services.evaluations import EvaluationData
from planner.services.outbox import DispatchSettings, dispatch_due
from planner.services.reevaluation import next_reevaluation
from tests.factories import make_clinic, make_patient
from tests.outbox_world import SMTPSink
from tests.reminder_factories import make_program
from tests.test_given_words import GIVEN_NAME, GIVEN_STEPS, words
from tests.test_pattern_moved_since_given import first_paragraph
from tests.test_phone_given_version import demo, phone, phone_pdf, program_of  # noqa: F401  (demo: the fixture)


class _DetailsForm(HTMLParser):
    """The fields of the builder's "Program details" form as the page fills them in."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.fields: dict[str, str] = {}
        self.advice: list[str] = []  # the ticked advice (checkboxes of one name)
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("action", "").endswith("/details")
        if not self.inside:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.fields[a["name"]] = a.get("value", "")
                if a["name"] == "advice":
                    self.advice.append(a.get("value", ""))
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select and "selected" in a:
            self.fields[self.select] = a.get("value", "")
        elif tag == "textarea":
            self.textarea = a.get("name")
            self.fields[self.textarea or ""] = ""

    def handle_data(self, data: str) -> None:
        if self.inside and self.textarea:
            self.fields[self.textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def details_fields(html: str) -> dict[str, str]:
    form = _DetailsForm()
    form.feed(html)
    assert "reeval_date" in form.fields and "lock_version" in form.fields
    return form.fields


def save_details(demo, program, html: str, **changed: str) -> str:  # noqa: F811  (demo: the fixture)
    """The builder's "Program details" form as `html` fills it in, every ticked advice kept, sent
    with `changed`: the builder page after saving."""
    form = _DetailsForm()
    form.feed(html)
    fields = [(k, v) for k, v in (form.fields | changed).items() if k != "advice"]
    fields += [("advice", line) for line in form.advice]
    answer = demo.client.post(f"/programs/{program.id}/details", data=MultiDict(fields), follow_redirects=True)
    saved = answer.get_data(as_text=True)
    assert "The program details are saved." in saved
    return saved


def reminder_to_the_patient(demo, program) -> str:  # noqa: F811  (demo: the fixture)
    """The patient's re-evaluation reminder for `program`, sent through a real SMTP server at its hour: its text."""
    row = demo.db.scalars(
        select(OutboxMessage).where(
            OutboxMessage.program_id == program.id,
            OutboxMessage.kind == "reevaluation",
            OutboxMessage.recipient == "patient",
            OutboxMessage.status == "pending",
        )
    ).first()
    assert row is not None, "the moved date queues a reminder to the patient"
    settings = MailSettings(public_url="https://planner.example", secret_key="test", languages=("en", "es"))
    with SMTPSink(strict=True) as sink:
        mailer = SMTPMailer("127.0.0.1", sink.port, security="none")
        moment = max(row.send_at, demo.now) + timedelta(seconds=30)
        assert dispatch_due(demo.db, mailer, make_composer(settings), moment, DispatchSettings(batch_size=10)).sent >= 1
        mailer.close()
    mails = [email.message_from_bytes(m.as_bytes(), policy=email.policy.default) for m in sink.messages]
    [reminder] = [
        m for m in mails if m["To"].addresses[0].addr_spec == program.patient.email and "revisión" in m["Subject"]
    ]
    return " ".join(reminder.get_body(("plain",)).get_content().split())


def test_a_moved_re_evaluation_date_is_said_on_the_builder_the_phone_and_in_the_reminder(demo):  # noqa: F811
    program = program_of(demo, "Maria Lopez")
    paper_day = next_reevaluation(program)
    new_day = demo.now.date() + timedelta(days=1)
    assert paper_day is not None and paper_day != new_day
    es = translator("es")
    on_paper, moved_to = format_date(paper_day, "long", locale="es"), format_date(new_day, "long", locale="es")
    assert f"Próxima revisión: {on_paper}" in phone_pdf(demo, "Maria Lopez")
    builder = demo.client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert 'id="paper-check-up"' not in builder and 'id="check-up"' not in phone(demo, "Maria Lopez")

    # The therapist moves the date in the builder ("Or on this date") and saves.
    fields = details_fields(builder) | {"reeval_date": new_day.isoformat()}
    html = demo.client.post(f"/programs/{program.id}/details", data=fields, follow_redirects=True)
    html = html.get_data(as_text=True)
    assert "The program details are saved." in html
    # Right after saving, the builder says the paper given shows another date, and offers a new version.
    said = html.split('id="paper-differs"')[1].split("</div>")[0]
    assert f"The paper says the next re-evaluation is on {paper_day}; it is now on {new_day}." in said
    assert "Print the new version" in said
    # Its heading reads on into what changed: no heading alone on its line with nothing after the colon.
    assert first_paragraph(said) == (
        f"The patient's paper handout now differs from this program: The paper says the next re-evaluation "
        f"is on {paper_day}; it is now on {new_day}. The phone page and the reminder email give the new date "
        "and say it changed."
    )

    # The phone page gives the new date and says the paper's is old; its PDF prints the new one.
    page = phone(demo, "Maria Lopez")
    assert (
        f"Su próxima revisión es ahora el {es.full_date(new_day)}. "
        f"Su hoja de ejercicios en papel todavía dice {es.full_date(paper_day)}." in page
    )
    pdf = phone_pdf(demo, "Maria Lopez")
    assert f"Próxima revisión: {moved_to}" in pdf and on_paper not in pdf

    # The reminder email gives the new date and says it changed, with the paper's date.
    demo.db.expire_all()
    text = reminder_to_the_patient(demo, program)
    assert f"es mañana, {es.full_date(new_day)}." in text
    assert f"Esta fecha ha cambiado. Su hoja de ejercicios en papel todavía dice {es.full_date(paper_day)}." in text

    # Once a new version is printed, the paper and the date agree again: nothing more is said.
    assert demo.client.post(f"/programs/{program.id}/handout.pdf").mimetype == "application/pdf"
    demo.db.expire_all()
    builder = demo.client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert 'id="paper-check-up"' not in builder and 'id="check-up"' not in phone(demo, "Maria Lopez")
    assert f"Próxima revisión: {moved_to}" in phone_pdf(demo, "Maria Lopez")


def test_the_export_gives_a_new_version_when_only_the_re_evaluation_date_moved(demo, tmp_path):  # noqa: F811
    """`flask handouts export` gives as "Print and give" does (issuing.renew_if_paper_changed). Olga
    Ivanova (no dystonia pattern recorded) was given her program; a re-evaluation recorded today moves
    its next date, with no edit of the program. The export writes and gives a new version whose
    frozen copy prints the new date, and her phone page no longer says her paper gives another date.
    On main the export wrote the new date on a file named after the old version and recorded the
    giving against that version, whose frozen copy still had the old date."""
    program = program_of(demo, "Olga Ivanova")
    assert program.issued, "the demo gave Olga's program"
    given, paper_day = program.version, next_reevaluation(program)
    evaluations.record_evaluation(demo.db, program, EvaluationData(demo.now.date()), None, demo.now)
    demo.db.commit()
    new_day = next_reevaluation(program)
    assert paper_day is not None and new_day is not None and new_day > paper_day
    assert program.issued and program.version == given, "recording a re-evaluation is no edit of the program"
    assert 'id="check-up"' in phone(demo, "Olga Ivanova"), "her phone page says the paper's date is old"

    out = tmp_path / "out"
    result = demo.app.test_cli_runner().invoke(args=["handouts", "export", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert f"Gave version {given + 1} of program {program.id} to the patient" in result.output
    assert (out / f"program-{program.id}-v{given + 1}.pdf").exists()
    assert not (out / f"program-{program.id}-v{given}.pdf").exists()

    demo.db.expire_all()
    frozen = demo.db.scalars(
        select(ProgramVersion).where(ProgramVersion.program_id == program.id).order_by(ProgramVersion.number.desc())
    ).first()
    assert frozen is not None and frozen.number == given + 1 and frozen.how == "export"
    assert frozen.snapshot["next_reevaluation"] == new_day.isoformat(), "what was given prints the new date"
    assert 'id="check-up"' not in phone(demo, "Olga Ivanova")
    builder = demo.client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert 'id="paper-check-up"' not in builder


def test_the_export_finds_a_moved_date_on_either_database(service_db, now):
    """The export's search for given programs whose next re-evaluation moved since (issuing.
    renew_changed_papers reads the date kept on the program against the one the version given
    printed), on SQLite and PostgreSQL: none before, the one program after a re-evaluation."""
    db = service_db
    place = make_clinic(db, "Moved Date Clinic")
    patient = make_patient(db, place, "Olga Ivanova")  # no dystonia pattern recorded
    own = custom_exercises.create_custom_exercise(db, place.id, words(GIVEN_NAME, GIVEN_STEPS), now)
    start = now.date() - timedelta(days=14)
    program = make_program(db, patient, None, now, start=start, interval=28)
    program_items.add_item(db, program, own, None, now)
    issuing.issue(db, program, None, "print", now)
    db.commit()
    assert issuing.renew_changed_papers(db, now) == 0
    evaluations.record_evaluation(db, program, EvaluationData(now.date() - timedelta(days=1)), None, now)
    db.commit()
    assert (program.version, program.issued) == (1, True), "recording a re-evaluation is no edit of the program"
    assert issuing.renew_changed_papers(db, now) == 1
    assert (program.version, program.issued) == (2, False)


def _phone_box(html: str) -> str:
    """The builder's box on what the patient's phone shows ("" when there is none), as one line."""
    if 'id="phone-version"' not in html:
        return ""
    return " ".join(first_paragraph(html.split('id="phone-version"')[1].split("</div>")[0]).split())


def test_the_builder_says_only_what_the_phone_does_not_show(demo):  # noqa: F811  (demo: the fixture)
    """small20 noticed: with only the re-evaluation date moved (saved in the builder's details form),
    the builder said "The patient's phone shows version 1 … not the changes made since", while the
    phone page gives the new date and its PDF prints it: the one change made. Now no such box; with
    the title changed too, the box names the date as shown already."""
    program = program_of(demo, "Maria Lopez")
    paper_day = next_reevaluation(program)
    assert paper_day is not None
    builder = demo.client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert _phone_box(builder) == ""

    # Saved with nothing changed: a new version starts, and the phone shows all of it.
    html = save_details(demo, program, builder)
    assert _phone_box(html) == ""

    # Only the date moved: the phone page gives it, and its PDF prints it.
    new_day = demo.now.date() + timedelta(days=3)
    html = save_details(demo, program, html, reeval_date=new_day.isoformat())
    assert f"it is now on {new_day}" in html  # the paper-differs box says the date moved
    assert _phone_box(html) == "", "the phone shows every change made: the new date"
    assert 'id="check-up"' in phone(demo, "Maria Lopez")
    assert f"Próxima revisión: {format_date(new_day, 'long', locale='es')}" in phone_pdf(demo, "Maria Lopez")

    # The title changed too: the phone shows the old title, with the new date.
    html = save_details(demo, program, html, title="Cuello: nueva etapa")
    box = _phone_box(html)
    assert box.startswith("The patient's phone shows version 1, given on "), box
    assert box.endswith(
        "as on their paper: not the changes made since, except the next re-evaluation's date. "
        "It shows them once you print or email the handout, or share a new link."
    ), box
    assert "Cuello: nueva etapa" not in phone(demo, "Maria Lopez")


def test_a_date_taken_away_is_said_as_the_phone_shows_it(demo):  # noqa: F811  (demo: the fixture)
    """The date and the interval emptied in the builder: the box said "it is now not set. The
    phone page and the reminder email give the new date", though there is none to give. The
    phone page's PDF says the clinic will tell the patient at the next visit, and the builder
    says that; the phone shows every change made, so no "phone shows version 1" box."""
    program = program_of(demo, "Olga Ivanova")  # no toxin cycle: nothing else gives a date
    paper_day = next_reevaluation(program)
    builder = demo.client.get(f"/programs/{program.id}").get_data(as_text=True)
    html = save_details(demo, program, builder, reeval_date="", reeval_interval_days="")
    demo.db.expire_all()
    assert next_reevaluation(program) is None
    said = first_paragraph(html.split('id="paper-differs"')[1].split("</div>")[0])
    assert said.endswith(
        f"The paper says the next re-evaluation is on {paper_day}; it is now not set. "
        "The handout on the phone page says you will tell the patient at their next visit."
    ), said
    told = translator(program.patient.language or "en").gettext("We will tell you at your next visit.")
    assert told in phone_pdf(demo, "Olga Ivanova")
    assert _phone_box(html) == ""
