"""Where handouts come from: the 'Print and give to patient' button, `flask handout`, and `flask handouts export`."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from planner.handouts import HandoutOptions, build_handout, words
from planner.models import AuditEntry, Clinic, ProgramVersion
from planner.services import patient_links, portal, programs
from tests.conftest import login
from tests.factories import make_clinic, make_patient, make_user
from tests.handout_world import NOW, TWELVE, make_world, pages_text


@pytest.fixture
def world(catalog_app, catalog_db):
    program = make_world(catalog_db, slugs=TWELVE[:4])
    client = catalog_app.test_client()
    login(client, program.therapist.email)
    return client, program


def test_print_handout_opens_the_pdf_and_issues_the_version(world, catalog_db):
    client, program = world
    html = client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert f'<form method="post" action="/programs/{program.id}/handout.pdf"' in html
    assert "Print and give to patient" in html and f'href="/programs/{program.id}/handout.pdf"' not in html
    response = client.post(f"/programs/{program.id}/handout.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline;")
    assert response.headers["Cache-Control"] == "no-store"
    assert "Rosa Handout" in pages_text(response.data)[0]
    catalog_db.expire_all()
    version = catalog_db.scalars(select(ProgramVersion).where(ProgramVersion.program_id == program.id)).one()
    assert (version.number, version.how) == (1, "print")
    audit = catalog_db.scalars(select(AuditEntry).where(AuditEntry.action == "print")).one()
    assert (audit.patient_id, audit.subject_type, audit.subject_id) == (program.patient_id, "program", program.id)


def test_printing_twice_gives_the_same_pdf_and_one_frozen_version(world, catalog_db):
    client, program = world
    first = client.post(f"/programs/{program.id}/handout.pdf").data
    assert client.post(f"/programs/{program.id}/handout.pdf").data == first
    catalog_db.expire_all()
    assert len(catalog_db.scalars(select(ProgramVersion).where(ProgramVersion.program_id == program.id)).all()) == 1


def versions_of(db, program):  # noqa: ANN001, ANN201
    db.expire_all()
    return db.scalars(select(ProgramVersion.number).where(ProgramVersion.program_id == program.id)).all()


def test_opening_the_print_address_gives_nothing(world, catalog_db):
    """A GET (a link opened, a browser's prefetch, a reload) never gives a version: before any
    print it sends the therapist back to the builder; after one it shows the paper already given."""
    client, program = world
    opened = client.get(f"/programs/{program.id}/handout.pdf")
    assert opened.status_code == 303 and opened.headers["Location"].endswith(f"/programs/{program.id}")
    assert "Not given to the patient yet" in client.get(opened.headers["Location"]).get_data(as_text=True)
    assert versions_of(catalog_db, program) == []

    given = client.post(f"/programs/{program.id}/handout.pdf")
    assert given.mimetype == "application/pdf" and versions_of(catalog_db, program) == [1]
    programs.update_details(
        catalog_db, program, programs.ProgramDetails("Changed after printing", program.start_date), None, NOW
    )
    catalog_db.commit()
    again = client.get(f"/programs/{program.id}/handout.pdf")
    assert again.mimetype == "application/pdf" and again.headers["Cache-Control"] == "no-store"
    text = " ".join(pages_text(again.data))
    assert "Neck and posture program" in text and "Changed after printing" not in text  # the paper given
    assert versions_of(catalog_db, program) == [1]


def test_print_and_give_needs_the_forms_csrf_token(tmp_path, catalog_file):
    from tests.conftest import build_app, csrf_token

    copy = tmp_path / "csrf.sqlite3"
    shutil.copyfile(catalog_file, copy)
    app = build_app(tmp_path, url=f"sqlite:///{copy}", csrf=True)
    with app.extensions["db_sessionmaker"]() as db:
        program = make_world(db, slugs=TWELVE[:1])
        client = app.test_client()
        token = csrf_token(client, "/login")
        client.post(
            "/login", data={"email": program.therapist.email, "password": "a long test password", "csrf_token": token}
        )
        refused = client.post(f"/programs/{program.id}/handout.pdf")
        assert refused.status_code == 400 and versions_of(db, program) == []
        token = csrf_token(client, f"/programs/{program.id}")
        given = client.post(f"/programs/{program.id}/handout.pdf", data={"csrf_token": token})
        assert given.mimetype == "application/pdf" and versions_of(db, program) == [1]
    app.extensions["db_engine"].dispose()


NO_LINK = "No phone link yet: this handout will have no QR code."


def test_the_builder_says_a_handout_without_a_phone_link_has_no_qr_code(world, catalog_db):
    """Printing still works without a link (the therapist's choice), but the builder says so at
    the buttons, with a way to make the link first; once the link exists the notice goes."""
    client, program = world
    page = client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert NO_LINK in page and f'href="/patients/{program.patient_id}/link">Make the link first</a>' in page
    without = " ".join(pages_text(client.post(f"/programs/{program.id}/handout.pdf").data))
    assert "/p/" not in without  # printed, with no address
    assert client.post(f"/patients/{program.patient_id}/link").status_code in (200, 302)
    page = client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert NO_LINK not in page and "Print and give to patient" in page
    assert "/p/" in " ".join(pages_text(client.post(f"/programs/{program.id}/handout.pdf").data))


def test_the_no_link_notice_follows_the_patients_link_as_it_stands_now(world, catalog_db):
    """The builder reads the link with the program: the notice goes while the patient's link
    works, and comes back once it expires or is stopped; another patient's link never counts."""
    client, program = world
    patient = program.patient

    def notice() -> bool:
        catalog_db.commit()
        return NO_LINK in client.get(f"/programs/{program.id}").get_data(as_text=True)

    patient_links.create_link(
        catalog_db,
        make_patient(catalog_db, catalog_db.get(Clinic, patient.clinic_id), "Other Patient"),
        "key",
        datetime.now(UTC),
    )
    assert notice()
    link, _token = patient_links.create_link(catalog_db, patient, "key", datetime.now(UTC), expiry_days=30)
    assert not notice()
    link.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    assert notice()
    patient_links.create_link(catalog_db, patient, "key", datetime.now(UTC))  # never expires
    assert not notice()
    patient_links.revoke_link(catalog_db, patient, datetime.now(UTC))
    assert notice()


def test_another_clinic_gets_404_and_a_stranger_signs_in_first(world, catalog_app, catalog_db):
    _, program = world
    other = make_clinic(catalog_db, "Other Clinic")
    make_user(catalog_db, other, email="t@other.org")
    client = catalog_app.test_client()
    assert client.post(f"/programs/{program.id}/handout.pdf").status_code == 302  # to the sign-in page
    login(client, "t@other.org")
    assert client.post(f"/programs/{program.id}/handout.pdf").status_code == 404
    assert client.get("/programs/999999/handout.pdf").status_code == 404


def test_page_size_follows_the_configuration(tmp_path, catalog_file):
    from tests.conftest import build_app

    copy = tmp_path / "a4.sqlite3"
    shutil.copyfile(catalog_file, copy)
    app = build_app(tmp_path, url=f"sqlite:///{copy}", handouts={"page_size": "a4"})
    with app.extensions["db_sessionmaker"]() as db:
        program = make_world(db, slugs=TWELVE[:1])
        program_id, email = program.id, program.therapist.email
    client = app.test_client()
    login(client, email)
    box = PdfReader(io.BytesIO(client.post(f"/programs/{program_id}/handout.pdf").data)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    app.extensions["db_engine"].dispose()


def test_cli_writes_one_handout(catalog_app, catalog_db, tmp_path):
    program = make_world(catalog_db, slugs=TWELVE[:2])
    out = tmp_path / "handout.pdf"
    result = catalog_app.test_cli_runner().invoke(args=["handout", str(program.id), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Rosa Handout" in pages_text(out.read_bytes())[0]
    # It says what it did: the patient's phone page now shows this version.
    assert f"Gave version 1 of program {program.id} to the patient (the phone page now shows it)." in result.output
    catalog_db.expire_all()
    assert (
        catalog_db.scalars(select(ProgramVersion.how).where(ProgramVersion.program_id == program.id)).one() == "export"
    )
    again = catalog_app.test_cli_runner().invoke(args=["handout", str(program.id), "-o", "-"])
    assert again.stdout_bytes.startswith(b"%PDF") and b"given before" not in again.stdout_bytes  # the PDF alone
    assert f"Version 1 of program {program.id} was given before: the phone page already shows it." in again.stderr
    missing = catalog_app.test_cli_runner().invoke(args=["handout", "999999", "-o", str(out)])
    assert missing.exit_code != 0 and "no program with the id 999999" in missing.output


@pytest.mark.parametrize("workers", [1, 2])
def test_cli_exports_every_active_program_on_both_cores(catalog_app, catalog_db, tmp_path, workers):
    made = [
        make_world(
            catalog_db, patient_name=f"Patient {n}", clinic_name=f"Export Clinic {n}", slugs=TWELVE[n % 6 : n % 6 + 3]
        )
        for n in range(5)
    ]
    programs.set_archived(catalog_db, made[0], True, NOW)
    catalog_db.commit()
    folder = tmp_path / "out"
    result = catalog_app.test_cli_runner().invoke(args=["handouts", "export", str(folder), "--workers", str(workers)])
    assert result.exit_code == 0, result.output
    assert "Wrote 4 handouts" in result.output
    written = sorted(p.name for p in folder.iterdir())
    assert written == sorted(f"program-{p.id}-v1.pdf" for p in made[1:])
    for program in made[1:]:
        pdf = (folder / f"program-{program.id}-v1.pdf").read_bytes()
        assert program.patient.name in pages_text(pdf)[0]
    for program in made[1:]:
        assert f"Gave version 1 of program {program.id} to the patient (the phone page now shows it)." in result.output
    assert f"of program {made[0].id} " not in result.output  # archived: not written, not given
    catalog_db.expire_all()
    hows = catalog_db.scalars(select(ProgramVersion.how).where(ProgramVersion.program_id.in_([p.id for p in made])))
    assert sorted(hows) == ["export"] * 4


PREVIEW_MARK = "Preview only. Not given to the patient yet."


def test_cli_preview_writes_a_marked_handout_and_gives_nothing(catalog_app, catalog_db, tmp_path):
    program = make_world(catalog_db, slugs=TWELVE[:2])
    out = tmp_path / "preview.pdf"
    runner = catalog_app.test_cli_runner()
    result = runner.invoke(args=["handout", str(program.id), "-o", str(out), "--preview"])
    assert result.exit_code == 0, result.output
    assert "Nothing was given: the phone page is unchanged." in result.output and "Gave" not in result.output
    assert all(PREVIEW_MARK in page for page in pages_text(out.read_bytes()))
    assert versions_of(catalog_db, program) == []

    folder = tmp_path / "previews"
    result = runner.invoke(args=["handouts", "export", str(folder), "--preview", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert f"Wrote 1 preview to {folder} in " in result.output and "Gave" not in result.output
    assert [p.name for p in folder.iterdir()] == [f"program-{program.id}-preview.pdf"]
    assert PREVIEW_MARK in pages_text((folder / f"program-{program.id}-preview.pdf").read_bytes())[0]
    assert versions_of(catalog_db, program) == []


def test_export_shows_a_progress_bar(catalog_app, catalog_db, tmp_path):
    make_world(catalog_db, slugs=TWELVE[:1])
    result = catalog_app.test_cli_runner().invoke(args=["handouts", "export", str(tmp_path / "o")])
    assert result.exit_code == 0
    assert "Writing handouts" in result.output


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed")
def test_poppler_renders_the_handout_without_complaint(world, tmp_path):
    client, program = world
    pdf = tmp_path / "h.pdf"
    pdf.write_bytes(client.post(f"/programs/{program.id}/handout.pdf").data)
    run = subprocess.run(
        ["pdftoppm", "-png", "-r", "20", str(pdf), str(tmp_path / "page")], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0 and run.stderr == ""
    assert len(list(tmp_path.glob("page-*.png"))) == len(pages_text(pdf.read_bytes()))


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("zbarimg") is None,
    reason="poppler-utils (pdftoppm) or zbar-tools (zbarimg) is not installed: cannot scan the QR code",
)
@pytest.mark.parametrize("large_print", [False, True])
def test_a_phone_reads_the_qr_code_on_the_printed_page(catalog_db, tmp_path, large_print):
    program = make_world(catalog_db, large_print=large_print, slugs=TWELVE)
    url = "https://planner.example.org/p/Ab3dE9xQzz7K2mP4nR5sT6"
    pdf = tmp_path / "h.pdf"
    pdf.write_bytes(build_handout(catalog_db, program, NOW, online_url=url, options=HandoutOptions()))
    subprocess.run(["pdftoppm", "-png", "-r", "100", str(pdf), str(tmp_path / "page")], check=True)
    scans = [
        subprocess.run(["zbarimg", "-q", "--raw", str(page)], capture_output=True, text=True, check=False).stdout
        for page in sorted(tmp_path.glob("page-*.png"))
    ]
    assert [scan.strip() for scan in scans if scan.strip()] == [url]  # on one page, read exactly


ADDRESSES = [
    "https://planner.example.org/p/Ab3dE9xQzz7K2mP4nR5sT6",  # a private link as the app makes it
    "https://p.example/p/x",  # short: error correction raised at the same size
    "http://clinica-fernandez.example:8443/planner/p/h6c9txnagbphftr8s8ay3duanz",  # a port and a path
    "https://hospital.example.org/physiotherapy/home-exercise-planner/p/" + "Zy9" * 30,  # a larger symbol
]


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("zbarimg") is None,
    reason="poppler-utils (pdftoppm) or zbar-tools (zbarimg) is not installed: cannot scan the QR code",
)
def test_each_address_reads_back_exactly_from_its_printed_qr_code(tmp_path):
    """The QR code as the handout draws it (QrSquare, 1.3 inch), one address a page, printed at
    100 dpi and scanned: every address back exactly, whatever its length."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    from planner.handouts.online import QR_SIZE
    from planner.handouts.qr import QrSquare

    pdf = tmp_path / "codes.pdf"
    sheet = canvas.Canvas(str(pdf), pagesize=letter)
    for address in ADDRESSES:
        QrSquare(address, QR_SIZE).drawOn(sheet, 72, 500)
        sheet.showPage()
    sheet.save()
    subprocess.run(["pdftoppm", "-png", "-r", "100", str(pdf), str(tmp_path / "page")], check=True)
    scans = [
        subprocess.run(["zbarimg", "-q", "--raw", str(page)], capture_output=True, text=True, check=False).stdout
        for page in sorted(tmp_path.glob("page-*.png"))
    ]
    assert [scan.strip() for scan in scans] == ADDRESSES


def test_export_puts_a_qr_code_only_on_handouts_of_patients_with_a_working_link(catalog_app, catalog_db, tmp_path):
    from planner.handouts.export import export_all

    made = [
        make_world(catalog_db, patient_name=f"Linked {n}", clinic_name=f"Link Clinic {n}", slugs=TWELVE[:1])
        for n in range(4)
    ]
    secret = "a test secret"
    patient_links.create_link(catalog_db, made[0].patient, secret, NOW)  # working
    patient_links.create_link(catalog_db, made[1].patient, secret, NOW)
    patient_links.revoke_link(catalog_db, made[1].patient, NOW)  # revoked
    patient_links.create_link(catalog_db, made[2].patient, secret, NOW - timedelta(days=10), expiry_days=5)  # expired
    catalog_db.commit()  # made[3]: never had one
    export_all(
        catalog_app.config["DATABASE_URL"],
        tmp_path,
        HandoutOptions(),
        NOW,
        workers=1,
        links=(secret, "https://pt.example"),
    )
    shown = [
        words.HEADINGS["online"] in " ".join(pages_text((tmp_path / f"program-{p.id}-v1.pdf").read_bytes()))
        for p in made
    ]
    assert shown == [True, False, False, False]
    url = portal.link_url(catalog_db, made[0].patient_id, secret, "https://pt.example", NOW)
    assert url.split("://")[1] in " ".join(pages_text((tmp_path / f"program-{made[0].id}-v1.pdf").read_bytes()))


def test_every_handout_answer_is_named_kept_private_and_audited_without_the_patients_link(world, catalog_db, caplog):
    """Print and give, the paper given, the preview and the phone page's PDF answer alike: a PDF
    shown inline under the title's file name, never stored by a browser or proxy; each of the
    therapist's writes one audit entry (the phone page none: the patient is not signed in); and
    no log line or audit entry holds the patient's private link."""
    import logging

    client, program = world
    assert client.post(f"/patients/{program.patient_id}/link").status_code in (200, 302)
    caplog.set_level(logging.DEBUG)
    answers = [
        ("print", client.post(f"/programs/{program.id}/handout.pdf"), "neck-and-posture-program.pdf"),
        ("view", client.get(f"/programs/{program.id}/handout.pdf"), "neck-and-posture-program.pdf"),
        ("view", client.get(f"/programs/{program.id}/handout-preview.pdf"), "neck-and-posture-program-preview.pdf"),
    ]
    details = ["handout, version 1", "handout, version 1 (given before)", "handout preview"]
    link = re.search(r"/p/([a-z0-9]+)", " ".join(pages_text(answers[0][1].data)))
    assert link, "the printed handout carries the phone link"
    token = link[1]
    answers.append((None, client.application.test_client().get(f"/p/{token}/handout.pdf"), None))
    for _, answer, name in answers:
        assert answer.status_code == 200 and answer.mimetype == "application/pdf"
        assert answer.headers["Cache-Control"] == "no-store"
        assert answer.headers["Content-Disposition"] == f'inline; filename="{name or "neck-and-posture-program.pdf"}"'
    entries = catalog_db.scalars(
        select(AuditEntry).where(AuditEntry.subject_type == "program").order_by(AuditEntry.id)
    ).all()
    assert [(e.action, e.detail, e.subject_id) for e in entries] == [
        (action, detail, program.id) for (action, _, _), detail in zip(answers, details, strict=False)
    ]
    assert all(token not in (e.detail or "") for e in catalog_db.scalars(select(AuditEntry)))
    assert not any(token in record.getMessage() for record in caplog.records)


def test_each_qr_code_has_the_strongest_error_correction_of_its_size():
    """Every address reads back from the modules the handout draws, at error correction M or the
    strongest level (Q, H) whose symbol is no larger, as zxing makes each: a longer address, one
    with capitals only, digits only or letters beyond ASCII, whatever the version."""
    import random
    import string

    import zxingcpp
    from PIL import Image

    from planner.handouts.qr import runs

    def symbol_size(value, level):
        code = zxingcpp.create_barcode(value, zxingcpp.BarcodeFormat.QRCode, ec_level=level)
        return len(memoryview(code.to_image(scale=1, add_quiet_zones=False)))

    rnd = random.Random(18)
    token = string.ascii_letters + string.digits + "-_"
    values = [*ADDRESSES, "https://planner.example.org/p/José-Núñez", "0123456789" * 7, "HTTPS://P.EXAMPLE/P/AB12"]
    values += ["https://p.example/p/" + "".join(rnd.choice(token) for _ in range(n)) for n in range(0, 200, 7)]
    for value in values:
        side, dark = runs(value)
        scale, quiet = 4, 4
        image = Image.new("L", ((side + 2 * quiet) * scale,) * 2, 255)
        for row, column, length in dark:
            box = (
                (quiet + column) * scale,
                (quiet + row) * scale,
                (quiet + column + length) * scale,
                (quiet + row + 1) * scale,
            )
            image.paste(0, box)
        read = zxingcpp.read_barcode(image)
        assert read is not None and read.text == value
        sizes = {level: symbol_size(value, level) for level in ("M", "Q", "H")}
        strongest = [level for level in ("M", "Q", "H") if sizes[level] == sizes["M"]][-1]
        assert side == sizes["M"] and read.ec_level == strongest, value
