"""Every page against WCAG 2.2 A and AA, audited by axe-core in chromium.

The therapist's pages are found from the app's own routes, so a new page is audited without being
listed here (and a new kind of URL argument fails until it is added to ARGUMENTS). The patient's
phone page is audited in each of its states, and so are pages showing form errors.
"""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from planner.models import Exercise, Injection
from planner.services import catalog, patient_links, program_items, program_templates
from tests.browser import served
from tests.conftest import build_app
from tests.factories import PASSWORD, give, make_patient
from tests.patient_world import give_everything, make_clinic_world

pytestmark = pytest.mark.browser

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE = Axe()  # axe-core as shipped in the axe-playwright-python wheel (requirements-dev.txt)
# The whole page but the inside of drawings: an <svg role="img"> is one image to a screen reader
# (axe still checks that it has a name), and walking its shapes is most of axe's time.
PAGE = {"include": [["html"]], "exclude": [["svg *"]]}

# How to fill each URL argument of a therapist's page.
ARGUMENTS = {
    "patient_id": lambda w: w["patient"].id,
    "user_id": lambda w: w["therapist"].id,
    "slug": lambda w: w["own_exercise"].slug,  # edit and retire exist for the clinic's own only
    "program_id": lambda w: w["program"].id,
    "item_id": lambda w: w["program"].items[0].id,
    "number": lambda w: 1,
    "template_id": lambda w: w["template"].id,
    "injection_id": lambda w: (
        w["db"].scalars(select(Injection).where(Injection.patient_id == w["patient"].id)).first().id
    ),
}
# Routes that answer with no page: files, feeds, JSON, redirects for a form's POST.
NOT_PAGES = ("static", "api.", "handouts.", "catalog.photo", "reminders.feed", "health.", "portal.")
# Pages in a state the bare route does not show: questions asked first, other filters, errors.
MORE = [
    "/patients?status=archived",
    "/patients/{patient_id}/link?replace=1",
    "/exercises?q=neck&category=range_of_motion",
    "/exercises/bridge",
    "/no-such-page",
]


@pytest.fixture(scope="module")
def world(tmp_path_factory, catalog_file):  # noqa: ANN001, ANN201
    """A clinic with a patient who has a row in every table, a program with catalog exercises,
    her private link, and a clinic's own exercise; a Spanish-speaking patient on the same program
    (her phone page is in Spanish) and her link; the app served once for the module."""
    folder = tmp_path_factory.mktemp("accessibility")
    shutil.copyfile(catalog_file, folder / "planner.sqlite3")
    app = build_app(folder, url=f"sqlite:///{folder / 'planner.sqlite3'}", csrf=True)
    db = app.extensions["db_sessionmaker"]()
    clinic_world = make_clinic_world(db, "Audit Clinic")
    patient_world = give_everything(db, clinic_world, "Ελένη Παπαδοπούλου", "eleni@example.org")
    program = patient_world.program
    now = datetime.now(UTC)
    for slug in ("neck-turn-sitting", "sit-to-stand", "slow-eye-closing"):
        program_items.add_item(db, program, catalog.get_exercise(db, clinic_world.clinic.id, slug), None, now)
    _, token = patient_links.create_link(db, patient_world.patient, app.secret_key, now)
    template = programs_template(db, program, now)
    own = db.scalars(select(Exercise).where(Exercise.clinic_id == clinic_world.clinic.id)).first()
    maria = make_patient(db, clinic_world.clinic, "María López", language="es")
    give(
        db,
        program_templates.start_from_template(db, template, maria, clinic_world.therapist.id, now.date(), now).program,
        now,
    )
    _, token_es = patient_links.create_link(db, maria, app.secret_key, now)
    db.commit()
    with served(app) as base:
        yield {
            "base": base,
            "app": app,
            "db": db,
            "token": token,
            "token_es": token_es,
            "patient": patient_world.patient,
            "program": program,
            "therapist": clinic_world.therapist,
            "admin": clinic_world.admin,
            "template": template,
            "own_exercise": own,
        }
    db.close()
    app.extensions["db_engine"].dispose()


def programs_template(db, program, now):  # noqa: ANN001, ANN201
    return program_templates.save_as_template(db, program, "Audit template", "", now)


def audit_page(page) -> list[str]:  # noqa: ANN001
    """The page's WCAG 2.2 A/AA violations, one line each: rule, impact, where.

    Audited once the page and its style sheet have loaded: an unstyled page has small targets."""
    page.wait_for_load_state("load")
    results = AXE.run(
        page, context=PAGE, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}
    )
    return [
        f"{page.url}: {v['id']} ({v['impact']}) {v['help']}: "
        + "; ".join(f"{n['target']} {n.get('failureSummary', '')[:160]!r}" for n in v["nodes"][:4])
        for v in results.response["violations"]
    ]


def therapist_pages(world) -> list[str]:  # noqa: ANN001
    app = world["app"]
    unknown = sorted(
        {
            (rule.rule, a)
            for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and not rule.endpoint.startswith(NOT_PAGES)
            for a in rule.arguments
            if a not in ARGUMENTS
        }
    )
    assert not unknown, f"add these URL arguments to ARGUMENTS in {__file__}: {unknown}"
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint.startswith(NOT_PAGES) or rule.rule.endswith(".ics"):
            continue
        path = rule.rule
        for name in rule.arguments:
            value = str(ARGUMENTS[name](world))
            path = path.replace(f"<int:{name}>", value).replace(f"<{name}>", value)
        paths.append(path)
    ids = {"patient_id": world["patient"].id, "program_id": world["program"].id}
    more = [p.format(**ids) for p in MORE]
    assert not set(paths) & set(more), "a page of MORE is a route's page already: audited twice"
    return sorted(set(paths)) + more


def sign_in(page, base: str, email: str, password: str = PASSWORD) -> None:  # noqa: ANN001
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_every_therapist_page_meets_wcag_22_aa(chromium, world):
    base, found = world["base"], []
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, base, "nobody@example.org", "wrong password")  # the sign-in page with its error
        found += audit_page(page)
        sign_in(page, base, world["admin"].email)  # an administrator sees every page
        audited = 0
        for path in therapist_pages(world):
            response = page.goto(base + path)
            if "text/html" not in (response.headers.get("content-type") or ""):
                continue
            found += audit_page(page)
            audited += 1
        assert audited >= 35
        page.goto(f"{base}/patients/new")  # a form sent back with its errors
        page.get_by_role("button", name="Add patient").click()
        found += audit_page(page)
    finally:
        context.close()
    assert not found, "\n".join(found)


def test_setup_page_meets_wcag_22_aa(chromium, tmp_path):
    """The first page of a new install, shown only while there is no account."""
    app = build_app(tmp_path, csrf=True)
    context = chromium.new_context()
    try:
        with served(app) as base:
            page = context.new_page()
            page.goto(f"{base}/setup")
            found = audit_page(page)
            with page.expect_navigation():  # the answer page, not the form still on screen
                page.get_by_role("button").last.click()  # sent empty: every field says what it needs
            found += audit_page(page)
    finally:
        context.close()
        app.extensions["db_engine"].dispose()
    assert not found, "\n".join(found)


@pytest.mark.parametrize("reduced_motion", ["no-preference", "reduce"])
def test_the_phone_page_meets_wcag_22_aa_in_every_state(chromium, world, reduced_motion):
    base, token, found = world["base"], world["token"], []
    context = chromium.new_context(viewport={"width": 320, "height": 640}, reduced_motion=reduced_motion)
    page = context.new_page()
    try:
        page.goto(f"{base}/p/{token}")
        found += audit_page(page)
        card = page.locator(f"#{page.locator('li.exercise:not(.done)').first.get_attribute('id')}")
        card.get_by_role("button").click()  # a tick, confirmed in words
        card.locator(".done-mark").wait_for()
        found += audit_page(page)
        card.get_by_role("link", name=re.compile("^Take back")).click()
        found += audit_page(page)  # the question before a tick is taken back
        page.goto(f"{base}/p/{token}")
        page.locator(".scale label").filter(has_text=re.compile("^3$")).click()
        page.get_by_role("button", name="Save").click()  # the report echoed in words beside the button
        page.locator("#how .saved").wait_for()
        found += audit_page(page)
        page.goto(f"{base}/p/{token}/questions")  # one question a screen
        page.locator("#question").wait_for()
        found += audit_page(page)
        page.goto(f"{base}/p/{world['token_es']}")  # the page in Spanish
        assert page.evaluate("document.documentElement.lang") == "es"
        found += audit_page(page)
        page.goto(f"{base}/p/not-a-working-link")
        found += audit_page(page)
    finally:
        context.close()
    assert not found, "\n".join(found)
