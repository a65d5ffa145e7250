"""Each clinic prints on its own paper: Letter or A4, chosen by its administrator.

The site's `[handouts] page_size` is the paper of a clinic that has not chosen. Every way a handout
leaves the planner follows the clinic's choice: print and give, the paper given (opened again), the
preview, the phone page's PDF, the emailed PDF, `flask handout`, `flask handouts export` (with and
without --preview) and the patient's data export. Two clinics on one server at the same time, one on
A4 and one on the site's Letter, each get their own paper from every one of them.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from planner.handouts import HandoutOptions, build_given_handout, build_handout
from planner.handouts.build import render
from planner.handouts.content import handout_content
from planner.models import Clinic
from planner.paper import PAPERS
from planner.services import accounts, given, patient_links
from planner.services.emails import make_composer
from planner.services.outbox import DispatchSettings, dispatch_all
from tests.conftest import csrf_token, login
from tests.factories import make_clinic, make_user
from tests.handout_world import TWELVE, make_world
from tests.outbox_world import Kept

A4, LETTER = (595, 842), (612, 792)  # points: 210 × 297 mm, 8.5 × 11 in


def page_sizes(pdf: bytes) -> set[tuple[int, int]]:
    """The (width, height) of every page's MediaBox, in whole points."""
    return {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in PdfReader(io.BytesIO(pdf)).pages}


@pytest.fixture
def clinics(catalog_app, catalog_db):
    """Two clinics on one server whose site prints on Letter (config.toml's default): "Paris" chose
    A4, "Boston" chose nothing. Each has a patient with an email and a phone link, a program of
    three exercises, and its therapist and administrator signed in on their own browsers."""
    worlds = {}
    for name, paper in [("Paris", "a4"), ("Boston", None)]:
        program = make_world(catalog_db, patient_name=f"{name} Patient", clinic_name=name, slugs=TWELVE[:3])
        clinic = catalog_db.get(Clinic, program.clinic_id)
        if paper:
            accounts.update_clinic(catalog_db, clinic, paper_size=paper)
        program.patient.email = f"patient@{name.lower()}.example"
        token = patient_links.create_link(catalog_db, program.patient, catalog_app.secret_key, datetime.now(UTC))[1]
        admin = make_user(catalog_db, clinic, role="admin", email=f"admin@{name.lower()}.example")
        catalog_db.commit()
        therapist, administrator = catalog_app.test_client(), catalog_app.test_client()
        login(therapist, program.therapist.email, "a long test password")
        login(administrator, admin.email)
        worlds[name] = SimpleNamespace(
            clinic=clinic, program=program, token=token, client=therapist, admin=administrator
        )
    assert catalog_app.extensions["settings"].handouts.page_size == "letter"
    return SimpleNamespace(app=catalog_app, db=catalog_db, **worlds)


def _give(world) -> bytes:  # noqa: ANN001
    answer = world.client.post(f"/programs/{world.program.id}/handout.pdf")
    assert answer.mimetype == "application/pdf"
    return answer.data


def print_and_give(both, world):  # noqa: ANN001, ANN201
    return _give(world)


def paper_given(both, world):  # noqa: ANN001, ANN201
    _give(world)
    return world.client.get(f"/programs/{world.program.id}/handout.pdf").data


def preview(both, world):  # noqa: ANN001, ANN201
    return world.client.get(f"/programs/{world.program.id}/handout-preview.pdf").data


def phone_page_pdf(both, world):  # noqa: ANN001, ANN201
    _give(world)
    answer = both.app.test_client().get(f"/p/{world.token}/handout.pdf")
    assert answer.mimetype == "application/pdf"
    return answer.data


def emailed(both, world):  # noqa: ANN001, ANN201
    assert world.client.post(f"/programs/{world.program.id}/email-handout").status_code == 302
    mailer, moment = Kept(), datetime.now(UTC)
    compose = make_composer(both.app.extensions["settings"].mail)  # the app's own: the site's Letter
    dispatch_all(both.db, mailer, compose, lambda: moment, DispatchSettings(batch_size=10))
    [email] = [e for e in mailer.sent if e.to == world.program.patient.email]
    [attached] = email.attachments
    return attached.content


def cli_handout(both, world, tmp_path):  # noqa: ANN001, ANN201
    out = tmp_path / f"{world.program.id}.pdf"
    result = both.app.test_cli_runner().invoke(args=["handout", str(world.program.id), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def cli_preview(both, world, tmp_path):  # noqa: ANN001, ANN201
    out = tmp_path / f"{world.program.id}-preview.pdf"
    result = both.app.test_cli_runner().invoke(args=["handout", str(world.program.id), "-o", str(out), "--preview"])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def data_export(both, world):  # noqa: ANN001, ANN201
    _give(world)
    patient_id = world.program.patient_id
    answer = world.admin.post(f"/patients/{patient_id}/export")
    assert answer.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(answer.data)) as archive:
        [name] = [n for n in archive.namelist() if n.endswith(".pdf")]
        return archive.read(name)


ONE_BY_ONE = [print_and_give, paper_given, preview, phone_page_pdf, emailed, data_export]
BY_COMMAND = [cli_handout, cli_preview]


@pytest.mark.parametrize("output", ONE_BY_ONE + BY_COMMAND, ids=lambda f: f.__name__)
def test_each_output_prints_on_the_clinics_paper(clinics, output, tmp_path):
    extra = (tmp_path,) if output in BY_COMMAND else ()
    assert page_sizes(output(clinics, clinics.Paris, *extra)) == {A4}
    assert page_sizes(output(clinics, clinics.Boston, *extra)) == {LETTER}  # the site's, at the same time


@pytest.mark.parametrize("preview_flag", [[], ["--preview"]], ids=["export", "export --preview"])
def test_one_export_writes_each_clinics_handouts_on_its_paper(clinics, tmp_path, preview_flag):
    folder = tmp_path / "out"
    result = clinics.app.test_cli_runner().invoke(
        args=["handouts", "export", str(folder), "--workers", "1", *preview_flag]
    )
    assert result.exit_code == 0, result.output
    for world, paper in [(clinics.Paris, A4), (clinics.Boston, LETTER)]:
        [pdf] = folder.glob(f"program-{world.program.id}-*.pdf")
        assert page_sizes(pdf.read_bytes()) == {paper}


def test_a_clinic_on_a4_gets_the_sites_a4_layout_page_for_page(clinics):
    """Only the paper is the clinic's: a clinic that chose A4 on a Letter site gets the very
    handout an A4 site prints (the layout the page-count goals are measured on), byte for byte."""
    db, program, now = clinics.db, clinics.Paris.program, datetime(2026, 11, 21, 9, tzinfo=UTC)
    chosen = build_handout(db, program, now)  # the site's options: Letter
    content = handout_content(db, program, now)
    assert content.paper_size == "a4"
    assert chosen == render(dataclasses.replace(content, paper_size=None), HandoutOptions(page_size="a4"))


@pytest.mark.parametrize(
    ("site", "chosen", "paper"),
    [("letter", None, LETTER), ("a4", None, A4), ("letter", "a4", A4), ("a4", "letter", LETTER)],
)
def test_the_clinics_choice_wins_over_the_site_and_none_follows_the_site(clinics, site, chosen, paper):
    db, program, now = clinics.db, clinics.Boston.program, datetime(2026, 11, 21, 9, tzinfo=UTC)
    accounts.update_clinic(db, clinics.Boston.clinic, paper_size=chosen or "")
    db.commit()
    options = HandoutOptions(page_size=site)
    assert page_sizes(build_handout(db, program, now, options=options)) == {paper}
    _give(clinics.Boston)
    handed = given.given_version(db, program)
    assert page_sizes(build_given_handout(db, handed, now, options=options)) == {paper}


def test_a_paper_given_on_letter_reprints_on_the_clinics_paper_of_today(clinics):
    """The paper size is the clinic's printer, not what the patient was told: like the clinic's
    address, a version given before is printed again (and shown on the phone page) on the paper the
    clinic uses now; its words stay the version's."""
    world = clinics.Boston
    assert page_sizes(_give(world)) == {LETTER}
    accounts.update_clinic(clinics.db, world.clinic, paper_size="a4")
    clinics.db.commit()
    assert page_sizes(world.client.get(f"/programs/{world.program.id}/handout.pdf").data) == {A4}
    assert page_sizes(clinics.app.test_client().get(f"/p/{world.token}/handout.pdf").data) == {A4}


@pytest.mark.parametrize("key", list(PAPERS))
def test_every_paper_of_the_one_table_is_offered_kept_and_printed_alike(clinics, key):
    """planner.paper.PAPERS is the one list of papers: each is an option on the clinic page (its
    name and measures), a choice the service keeps, a site setting the start-up check takes, and
    the size of every page of the handout printed on it."""
    paper, world, now = PAPERS[key], clinics.Boston, datetime(2026, 11, 21, 9, tzinfo=UTC)
    page = world.admin.get("/admin/clinic").get_data(as_text=True)
    assert f'<option value="{key}">{paper.name} ({paper.measures})</option>' in page
    assert accounts.check_paper_size(f" {paper.name} ") == key
    assert HandoutOptions.from_settings({"page_size": paper.name}).page_size == key
    accounts.update_clinic(clinics.db, world.clinic, paper_size=key)
    clinics.db.commit()
    printed = page_sizes(build_handout(clinics.db, world.program, now, options=HandoutOptions()))
    assert printed == {(round(paper.points[0]), round(paper.points[1]))}


# ---- the clinic's settings page ------------------------------------------------------------------


def _clinic_form(clinic, **changes):  # noqa: ANN001, ANN003, ANN201
    return {
        "name": clinic.name,
        "address": clinic.address,
        "phone": clinic.phone,
        "email": clinic.email,
        "timezone": clinic.timezone,
        "paper_size": clinic.paper_size or "",
        **changes,
    }


def test_an_administrator_chooses_the_paper_on_the_clinics_page(clinics):
    clinic = clinics.Boston.clinic
    page = clinics.Boston.admin.get("/admin/clinic").get_data(as_text=True)
    assert (
        'id="paper_size" name="paper_size"><option selected value="">The site&#39;s setting (Letter)</option>' in page
    )
    assert '<option value="a4">A4 (210 × 297 mm)</option>' in page

    answer = clinics.Boston.admin.post("/admin/clinic", data=_clinic_form(clinic, paper_size="a4"))
    assert answer.status_code == 302
    clinics.db.expire_all()
    assert clinic.paper_size == "a4"
    assert page_sizes(_give(clinics.Boston)) == {A4}
    page = clinics.Boston.admin.get("/admin/clinic").get_data(as_text=True)
    assert '<option selected value="a4">A4 (210 × 297 mm)</option>' in page

    assert clinics.Boston.admin.post("/admin/clinic", data=_clinic_form(clinic, paper_size="")).status_code == 302
    clinics.db.expire_all()
    assert clinic.paper_size is None  # the site's again
    assert clinics.Paris.clinic.paper_size == "a4"  # another clinic's choice is its own
    # A therapist of the clinic cannot change it.
    assert clinics.Boston.client.post("/admin/clinic", data=_clinic_form(clinic, paper_size="a4")).status_code == 403


@pytest.mark.parametrize("typed", ["legal", "A5", "a4; DROP TABLE clinics", "Α4"])
def test_a_paper_size_not_offered_is_refused_at_the_field_and_nothing_is_lost(app, db, typed):
    clinic = make_clinic(db, "Paper Clinic")
    accounts.update_clinic(db, clinic, paper_size="a4")
    make_user(db, clinic, role="admin", email="admin@paper.example")
    admin = app.test_client()
    login(admin, "admin@paper.example")
    answer = admin.post("/admin/clinic", data=_clinic_form(clinic, paper_size=typed, phone="+33 1 23 45 67 89"))
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert '<p class="error" id="paper_size-error">Choose Letter or A4, or the site&#39;s setting.</p>' in page
    assert 'value="+33 1 23 45 67 89"' in page  # what was typed is still there to save again
    db.expire_all()
    assert (clinic.paper_size, clinic.phone) == ("a4", "555-0100")  # nothing saved


def test_the_paper_changes_only_with_the_forms_csrf_token(csrf_app):
    from tests.factories import PASSWORD

    with csrf_app.extensions["db_sessionmaker"]() as db:
        clinic = make_clinic(db, "Token Clinic")
        make_user(db, clinic, role="admin", email="admin@token.example")
        form = _clinic_form(clinic, paper_size="a4")
        admin = csrf_app.test_client()
        token = csrf_token(admin, "/login")
        admin.post("/login", data={"email": "admin@token.example", "password": PASSWORD, "csrf_token": token})
        assert admin.post("/admin/clinic", data=form).status_code == 400
        db.expire_all()
        assert clinic.paper_size is None
        token = csrf_token(admin, "/admin/clinic")
        assert admin.post("/admin/clinic", data={**form, "csrf_token": token}).status_code == 302
        db.expire_all()
        assert clinic.paper_size == "a4"
