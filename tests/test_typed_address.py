"""The phone address printed for a patient to type never ends a line with a "-" or "_".

A line that ends in a hyphen reads as a word broken across lines: a patient types the two parts
together and drops the "-" (note16: a link made before the typable tokens is URL-safe base64,
with "-" and "_" anywhere in it). The address breaks after a slash or a dot, or before a "-" or
"_" (which then starts the next line, where it cannot read as a word broken in two); the token
stays whole on a line wherever it fits one (every token the app makes fits a full line at 18 pt).
Checked on the handout (14/18 pt, Letter/A4, es/en), its preview, the phone page's PDF and the
daily email (its plain text keeps the link whole on one line; its HTML link is one whole).
"""

from __future__ import annotations

import dataclasses
import email
import email.policy
import re
from datetime import time

import pytest

from planner.handouts.styles import HandoutOptions
from planner.mail import SMTPMailer
from planner.models.portal import PatientLink
from planner.services import exercise_reminder_days, patient_links
from planner.services.outbox import dispatch_all
from planner.services.patient_links import derive_token, hash_token
from tests.handout_world import glyphs, rendered
from tests.outbox_world import SMTPSink
from tests.test_exercise_reminders import PUBLIC, SECRET, SETTINGS, START, _utc, composer, make_world, turn_on
from tests.test_handout_front_slack import NAMES, started  # noqa: F401  (started: the fixture)


def _marked(token: str, marks: dict[int, str]) -> str:
    return "".join(marks.get(n, c) for n, c in enumerate(token))


BASE = "Ab3dE9xQzz7K2mP4nR5sT6"  # 22 signs, as derive_token writes a link made before typable tokens
# Base64 tokens with "-" and "_" at many places: the first and last sign, either side of the middle.
TOKENS = [_marked(BASE, {k: "-", (k + 9) % 22: "_"}) for k in (0, 3, 7, 11, 14, 18, 21)]
# Longer than a large-print line beside the QR code (an address pasted into [server] public_url
# may hold one; no setting limits it): it must break, before a mark.
LONG = [
    "Ab3dE9xQzz7K2mP4nR5sT6-uV8wX_yZ1aB2cD3eF4gH5iJ",
    "k7hw2mqx9vtz_4bcr8dnf3gp-j6ak7hw2mqx9v-tz4bcr8dnf3_gpj6a",
]
HOSTS = [
    "https://exercises.example.org/p/",
    # A hospital's host whose first part is longer than a line: it breaks at its own hyphens.
    "https://fisioterapia-y-rehabilitacion-neurologica-del-hospital-universitario.example.org/planner/p/",
]


def typed_lines(pdf: bytes) -> list[str]:
    """The address as printed: its lines (DejaVu Sans Mono, the handout's TYPED face), top to bottom."""
    lines: dict[tuple[int, float], list[dict]] = {}
    for c in glyphs(pdf):
        if "DejaVuSansMono" in c["fontname"]:
            lines.setdefault((c["page"], round(c["top"])), []).append(c)
    return ["".join(c["text"] for c in sorted(lines[key], key=lambda c: c["x0"])) for key in sorted(lines)]


def read_as_typed(lines: list[str], url: str) -> None:
    """The lines rejoined are the link; no line ends with "-" or "_"; each break is after "/" or
    ".", or before "-" or "_"; a token of 26 signs or fewer is whole on one line."""
    short = url.split("://", 1)[1].rstrip("/")
    assert "".join(lines) == short, lines
    for line, after in zip(lines, lines[1:], strict=False):
        assert line[-1] not in "-_", lines
        assert line[-1] in "/." or after[0] in "-_", lines
    token = short.rsplit("/", 1)[1]
    if len(token) <= patient_links.TYPABLE_CHARS:
        assert any(token in line for line in lines), lines


CASES = [
    (size, paper, language)
    for size in (14, 18)
    for paper in ("letter", "a4")
    for language in ("es", "en")
    if not (size == 14 and language == "en" and paper == "a4")  # 7 of 8: the sheet's language changes no break
]


@pytest.mark.parametrize(("size", "paper", "language"), CASES)
def test_the_typed_address_never_ends_a_line_with_a_hyphen(started, size, paper, language):  # noqa: F811
    at = CASES.index((size, paper, language))
    # Each handout a different token, host and mark place: 7 cases x 3 addresses, every token met.
    urls = [HOSTS[0] + TOKENS[at], HOSTS[1] + TOKENS[(at + 3) % 7], HOSTS[at % 2] + LONG[at % 2]]
    for url in urls:
        content = dataclasses.replace(
            started["torticollis left", language], patient_name=NAMES["short"], large_print=size == 18, online_url=url
        )
        pdf = rendered(content, HandoutOptions(page_size=paper))
        read_as_typed(typed_lines(pdf), url)


def test_the_preview_prints_the_address_as_the_handout_does(started):  # noqa: F811
    url = HOSTS[1] + TOKENS[2]
    content = dataclasses.replace(
        started["torticollis left", "es"], patient_name=NAMES["short"], large_print=True, online_url=url
    )
    given = typed_lines(rendered(content, HandoutOptions(page_size="a4")))
    read_as_typed(given, url)
    assert typed_lines(rendered(dataclasses.replace(content, preview=True), HandoutOptions(page_size="a4"))) == given


def _made_before(db, patient, marks: str = "-_") -> str:  # noqa: ANN001
    """The patient's link turned into one made before typable tokens, whose base64 token has a "-"
    and a "_" inside it (link_token prints it again so): the token."""
    link = db.query(PatientLink).filter_by(patient_id=patient.id, revoked_at=None).one()
    nonce = next(
        f"before-{n}" for n in range(10_000) if all(m in derive_token(SECRET, f"before-{n}")[2:-2] for m in marks)
    )
    link.nonce, link.token_hash = nonce, hash_token(derive_token(SECRET, nonce))
    db.commit()
    token = patient_links.link_token(link, SECRET)
    assert token == derive_token(SECRET, nonce) and "-" in token and "_" in token
    return token


def test_the_phone_page_s_pdf_prints_an_older_token_as_typed(tmp_path, now):
    """The phone page's PDF of a link made before typable tokens, large print, on a long address."""
    from planner.services import issuing, program_items, programs
    from planner.services.catalog import get_exercise
    from tests.conftest import build_app, load_catalog
    from tests.factories import make_clinic, make_patient, make_user

    site = HOSTS[1].rsplit("/p/", 1)[0]
    app = build_app(tmp_path, server={"public_url": site})
    db = app.extensions["db_sessionmaker"]()
    load_catalog(db)
    clinic = make_clinic(db, "Typed Clinic")
    user = make_user(db, clinic)
    patient = make_patient(db, clinic, "Ana Gil", language="es", large_print=True)
    program = programs.create_program(db, patient, programs.ProgramDetails("Cuello", now.date()), user.id, now)
    program_items.add_item(db, program, get_exercise(db, clinic.id, "belly-breathing-lying"), None, now)
    issuing.issue(db, program, user.id, "print", now)
    patient_links.create_link(db, patient, SECRET, now)
    db.commit()
    token = _made_before(db, patient)
    answer = app.test_client().get(f"/p/{token}/handout.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    read_as_typed(typed_lines(answer.data), f"{site}/p/{token}")
    db.close()
    app.extensions["db_engine"].dispose()


def test_the_daily_email_keeps_an_older_link_whole(catalog_db):
    """The daily email of a link made before typable tokens, on a long address: its plain text
    has the link whole on a line of its own (no wrap, no mark added), its HTML one link whose
    address and words are the link."""
    db = catalog_db
    _, _, patient, _ = make_world(db, zone="UTC", language="es")
    token = _made_before(db, patient)
    site = HOSTS[1].rsplit("/p/", 1)[0]
    turn_on(db, patient, time(7, 30), _utc(START))
    with SMTPSink(strict=True) as sink:
        mailer = SMTPMailer("127.0.0.1", sink.port, security="none")
        exercise_reminder_days.create_due(db, _utc(START, 8))
        dispatch_all(db, mailer, composer(site), lambda: _utc(START, 8), SETTINGS)
        mailer.close()
    [raw] = sink.raw
    message = email.message_from_bytes(raw, policy=email.policy.default)
    url = f"{site}/p/{token}"
    text = message.get_body(("plain",))
    assert text.get_param("format") is None  # not format=flowed: no reader joins or wraps its lines
    assert url in text.get_content().splitlines()
    html = message.get_body(("html",)).get_content()
    links = re.findall(r'<a href="([^"]*)">([^<]*)</a>', html)
    assert (url, url) in links
    assert PUBLIC not in raw.decode()
