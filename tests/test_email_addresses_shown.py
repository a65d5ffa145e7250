"""An email address reads as the person typed it wherever a person reads it, and goes out as mail
needs it.

A therapist types mariajose@clínica-ejemplo.es; the browser's email field sends (and an account
keeps) mariajose@xn--clnica-ejemplo-1lb.es. Every page, message, handout and command output shows
the domain in Unicode (planner.mail.shown_address); the SMTP envelope and the To header carry it
in IDNA form, with SMTPUTF8 where letters outside ASCII come before the @ (tests/test_mail_smtp.py
has the folding and file names). Scripts: Spanish, German (ß), Chinese, Arabic, Greek.
"""

from __future__ import annotations

import email
import email.policy
import re
from datetime import timedelta
from io import BytesIO

import idna
import pytest
from flask import Flask, url_for
from pypdf import PdfReader
from sqlalchemy import select

from planner.mail import SMTPMailer, shown_address, shown_in
from planner.models import Program, User
from planner.services import calendar_feed, outbox, toxin_cycle
from planner.services.emails import MailSettings, make_composer
from planner.services.outbox import DispatchSettings, dispatch_due
from planner.services.toxin_cycle import Dose, InjectionData
from tests.conftest import login
from tests.factories import PASSWORD, give, make_clinic, make_patient, make_user, with_exercise
from tests.outbox_world import SMTPSink

# Per script: the address as typed (the domain, and for some the part before the @, in that
# script), and the domain as it goes out and as a browser's email field sends it (IDNA 2008).
TYPED = {
    "Spanish": ("mariajose@clínica-ejemplo.es", "xn--clnica-ejemplo-1lb.es"),
    "German": ("grüße@straße.de", "xn--strae-oqa.de"),
    "Chinese": ("李娜@例子.中国", "xn--fsqu00a.xn--fiqs8s"),
    "Arabic": ("علي@مثال.مصر", "xn--mgbh0fb.xn--wgbh1c"),
    "Greek": ("νίκος@παράδειγμα.ελ", "xn--hxajbheg2az3al.xn--qxam"),
}
MAIL = MailSettings("Clinic Planner <planner@clinic.example>", "planner.local-host", "https://planner.clinic.example")
# Ids a walked route may carry (tests/test_audit_every_page.py walks the same way).
KNOWN = {"patient_id", "program_id", "item_id", "number", "injection_id", "user_id", "slug", "template_id", "token"}
ASCII_FORM = re.compile(r"xn--", re.IGNORECASE)


def as_sent(typed: str) -> str:
    """What a browser's email field sends for `typed`: the domain in IDNA form."""
    local, domain = typed.rsplit("@", 1)
    return f"{local}@{idna.encode(domain, uts46=True).decode()}"


@pytest.mark.parametrize("script", TYPED)
def test_the_ascii_form_a_browser_sends_reads_back_as_typed(script):
    typed, ascii_domain = TYPED[script]
    assert as_sent(typed) == f"{typed.split('@')[0]}@{ascii_domain}"
    assert shown_address(as_sent(typed)) == typed
    assert shown_address(typed) == typed  # typed in Unicode (a browser that sends it so): as it is
    refused = f"SMTPRecipientsRefused: {{'{as_sent(typed)}': (550, b'5.1.1 <{as_sent(typed)}>: unknown')}}"
    assert shown_in(refused) == f"SMTPRecipientsRefused: {{'{typed}': (550, b'5.1.1 <{typed}>: unknown')}}"


def test_every_page_shows_each_address_with_its_domain_as_typed(app: Flask, db, now):  # noqa: ANN001
    """Patients, a therapist, an administrator and the clinic with addresses in five scripts, saved
    as a browser sends them, and an email that failed for good naming its address: no page the
    staff open shows an address in its ASCII form, and the patient page, the edit forms, the
    administrator's list, the dashboard's failed emails and the builder's "on its way" say each
    one as typed."""
    es, de, zh, ar, el = (TYPED[s][0] for s in ("Spanish", "German", "Chinese", "Arabic", "Greek"))
    clinic = make_clinic(db, "Clínica Ejemplo", timezone="UTC")
    clinic.email = as_sent("recepcion@" + de.split("@")[1])
    therapist = make_user(db, clinic, email=as_sent("li@" + zh.split("@")[1]), name="Li Na")
    make_user(db, clinic, role="admin", email=as_sent("admin@" + el.split("@")[1]), name="Ada Admin")
    patient = make_patient(db, clinic, "María José Peña", email=as_sent(es), primary_therapist_id=therapist.id)
    other = make_patient(db, clinic, "Ali Hassan", email=as_sent("ali@" + ar.split("@")[1]))
    program = Program(clinic_id=clinic.id, patient_id=patient.id, title="Cuello", start_date=now.date())
    db.add(program)
    db.flush()
    with_exercise(db, program, now)
    give(db, program, now)
    injection = toxin_cycle.record_injection(
        db,
        patient,
        InjectionData(injected_on=now.date(), doses=[Dose("sternocleidomastoid", 50, None)]),
        now.date(),
        now,
    )
    feed_token = calendar_feed.create_feed(db, therapist, now)
    # A handout to a patient saved before the forms refused letters outside ASCII before the @,
    # sent to a server without SMTPUTF8: it fails for good, and the dashboard says why.
    greek = make_patient(db, clinic, "Νίκος Παπαδόπουλος", primary_therapist_id=therapist.id)
    greek.email = as_sent(el)
    greek_program = Program(clinic_id=clinic.id, patient_id=greek.id, title="Λαιμός", start_date=now.date())
    db.add(greek_program)
    db.flush()
    row = outbox.queue_handout_email(db, with_exercise(db, greek_program, now), therapist, now)
    db.commit()
    with SMTPSink(strict=True) as sink:
        mailer = SMTPMailer("127.0.0.1", sink.port, security="none")
        settings = DispatchSettings(max_attempts=1, retry_base_seconds=60, retry_max_seconds=60)
        assert dispatch_due(db, mailer, make_composer(MAIL), now + timedelta(seconds=1), settings).failed == 1
        mailer.close()
    db.refresh(row)
    assert row.status == "failed" and el in row.last_error and "xn--" not in row.last_error
    # One that failed before errors were written so, the server's reply naming the ASCII form.
    other_program = Program(clinic_id=clinic.id, patient_id=other.id, title="Neck", start_date=now.date())
    db.add(other_program)
    db.flush()
    old = outbox.queue_handout_email(db, with_exercise(db, other_program, now), therapist, now)
    old.status, old.attempts = "failed", 5
    old.last_error = f"SMTPRecipientsRefused: {{'{other.email}': (550, b'5.1.1 <{other.email}>: unknown user')}}"
    db.commit()

    ids = {
        "patient_id": patient.id,
        "program_id": program.id,
        "item_id": program.items[0].id,
        "number": 1,
        "injection_id": injection.id,
        "user_id": therapist.id,
        "template_id": 0,
        "slug": "no-such-exercise",
        "token": feed_token,
    }
    staff, administrator = app.test_client(), app.test_client()
    login(staff, therapist.email)
    login(administrator, as_sent("admin@" + el.split("@")[1]))
    pages: dict[str, str] = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.rule.startswith(("/static/", "/p/")):
            continue
        assert set(rule.arguments) <= KNOWN, f"{rule.rule}: a new kind of id; give it one of the walk's records"
        with app.test_request_context():
            url = url_for(rule.endpoint, **{a: ids[a] for a in rule.arguments})
        for who, client in (("staff", staff), ("admin", administrator)):
            answer = client.get(url)
            if answer.status_code == 200 and answer.mimetype in ("text/html", "application/json", "text/plain"):
                pages[f"{who} {url}"] = answer.get_data(as_text=True)
    ascii_shown = sorted(url for url, body in pages.items() if ASCII_FORM.search(body))
    assert ascii_shown == [], "pages showing an address in its ASCII form: " + ", ".join(ascii_shown)
    assert len(pages) > 60  # the walk reached the app's pages

    def page(who: str, path: str) -> str:
        return pages[f"{who} {path}"]

    assert es in page("staff", f"/patients/{patient.id}")
    assert f'value="{es}"' in page("staff", f"/patients/{patient.id}/edit")  # the field, as typed
    other_edit = staff.get(f"/patients/{other.id}/edit").get_data(as_text=True)
    assert f'value="ali@{ar.split("@")[1]}"' in other_edit and "xn--" not in other_edit
    admin_users = page("admin", "/admin/users")
    assert f"li@{zh.split('@')[1]}" in admin_users and f"admin@{el.split('@')[1]}" in admin_users
    assert f'value="recepcion@{de.split("@")[1]}"' in page("admin", "/admin/clinic")
    assert el in page("staff", "/dashboard/failed") and el in page("staff", "/dashboard")
    assert f"&lt;ali@{ar.split('@')[1]}&gt;: unknown user" in page("staff", "/dashboard/failed")
    assert f"li@{zh.split('@')[1]}" in page("staff", "/account/password")

    sent = staff.post(f"/programs/{program.id}/email-handout", follow_redirects=True).get_data(as_text=True)
    assert f"The handout is on its way to \u2068{es}\u2069." in sent or f"The handout is on its way to {es}." in sent


def test_the_handout_prints_the_clinic_s_address_as_typed(app: Flask, db, now):  # noqa: ANN001
    """The patient's paper names the clinic's email with its domain in Unicode."""
    typed = "recepcion@" + TYPED["German"][0].split("@")[1]
    clinic = make_clinic(db, "Praxis Straße", timezone="UTC")
    clinic.email = as_sent(typed)
    make_user(db, clinic, email="pt@praxis.example")
    patient = make_patient(db, clinic, "Jürgen Groß")
    program = Program(clinic_id=clinic.id, patient_id=patient.id, title="Nacken", start_date=now.date())
    db.add(program)
    db.flush()
    give(db, with_exercise(db, program, now), now)
    client = app.test_client()
    login(client, "pt@praxis.example")
    pdf = PdfReader(BytesIO(client.get(f"/programs/{program.id}/handout-preview.pdf").data))
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert typed in text and "xn--" not in text


def test_the_commands_say_an_account_s_address_as_typed(app: Flask, db):  # noqa: ANN001
    """`users create` and `tokens create` print the address with its domain in Unicode, whichever
    form was typed; the account keeps the ASCII form it signs in with."""
    typed = "ana@" + TYPED["Spanish"][0].split("@")[1]
    runner = app.test_cli_runner()
    with app.app_context():
        made = runner.invoke(
            args=["users", "create", as_sent(typed), "--name", "Ana", "--clinic", "Clínica Ejemplo"],
            input=PASSWORD + "\n",
        )
        token = runner.invoke(args=["tokens", "create", typed, "--name", "laptop"])
        missing = runner.invoke(args=["tokens", "create", as_sent("nadie@" + typed.split("@")[1]), "--name", "x"])
    assert made.exit_code == 0 and f"Created therapist {typed} in “Clínica Ejemplo”." in made.output
    assert token.exit_code == 0 and f"made for {typed}." in token.output
    assert missing.exit_code != 0 and f"no account with the email nadie@{typed.split('@')[1]}." in missing.output
    assert db.scalars(select(User.email)).one() == as_sent(typed)


@pytest.mark.parametrize("script", TYPED)
@pytest.mark.parametrize("form", ["as typed", "as a browser sends it"])
def test_a_handout_reaches_an_address_in_any_script_through_a_real_server(db, now, script, form):  # noqa: ANN001
    """Envelope and To header carry the domain in IDNA form, letters outside ASCII before the @
    only with SMTPUTF8 (offered here, as by a server that takes them); read back by the email
    package, the address is the one typed. A part before the @ in ASCII goes with no SMTPUTF8."""
    typed, ascii_domain = TYPED[script]
    local = typed.split("@")[0]
    for address, needs_utf8 in ((typed, not local.isascii()), ("plain@" + typed.split("@")[1], False)):
        clinic = make_clinic(db, f"Clinic {script} {address}", timezone="UTC")
        therapist = make_user(db, clinic)
        patient = make_patient(db, clinic, "Pat", primary_therapist_id=therapist.id)
        patient.email = address if form == "as typed" else as_sent(address)  # saved as either form
        program = Program(clinic_id=clinic.id, patient_id=patient.id, title="Neck", start_date=now.date())
        db.add(program)
        db.flush()
        row = outbox.queue_handout_email(db, with_exercise(db, program, now), therapist, now)
        db.commit()
        with SMTPSink(strict=True, enable_SMTPUTF8=True) as sink:
            mailer = SMTPMailer("127.0.0.1", sink.port, security="none")
            settings = DispatchSettings(max_attempts=1, retry_base_seconds=60, retry_max_seconds=60)
            assert dispatch_due(db, mailer, make_composer(MAIL), now + timedelta(seconds=1), settings).sent == 1
            mailer.close()
        [(_sender, rcpt, options)] = sink.envelopes
        going = f"{address.split('@')[0]}@{ascii_domain}"
        assert rcpt == [going] and ("SMTPUTF8" in options) is needs_utf8, (rcpt, options)
        # UTF-8 headers where SMTPUTF8 allows them: read as text, as a mail program does.
        parsed = email.message_from_string(sink.raw[0].decode("utf-8"), policy=email.policy.SMTPUTF8)
        [to] = parsed["To"].addresses
        assert (to.username, to.domain) == (address.split("@")[0], ascii_domain)
        assert shown_address(to.addr_spec) == address
        db.refresh(row)
        assert row.status == "sent"
