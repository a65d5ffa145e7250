"""The catalog page's results are kept per process (planner/web/catalog/results.py) and never
outlive the catalog they were made from: an edit, a retirement or a restore shows on the very
next search, each search, filter and page has its own results, one clinic never sees another's
own exercises, and the links follow the address the app is served under."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from planner.services import custom_exercises
from tests.conftest import login
from tests.factories import make_clinic, make_user
from tests.test_builder_cache import own


def results(client, **query) -> str:  # noqa: ANN001, ANN003
    """The words of the catalog page's heading and result cards, without tags."""
    html = client.get("/exercises", query_string=query).get_data(as_text=True)
    shown = html.split('id="results-h"', 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", shown))


@pytest.fixture
def therapist(catalog_app, catalog_db, now):  # noqa: ANN001, ANN201
    """A clinic with a therapist signed in: (clinic, client). Signed in on the clinic's clock
    (`now`): a sign-in before the clock travels to noon is one from the future after noon."""
    clinic = make_clinic(catalog_db, "Results Clinic")
    make_user(catalog_db, clinic, email="t@results.org")
    catalog_db.commit()
    client = catalog_app.test_client()
    login(client, "t@results.org")
    return clinic, client


def test_an_edit_retirement_and_restore_show_on_the_next_search(therapist, catalog_db, now):
    clinic, client = therapist
    glide = custom_exercises.create_custom_exercise(catalog_db, clinic.id, own("Towel neck glide"), now)
    catalog_db.commit()
    assert "Towel neck glide" in results(client, q="towel")
    assert "Towel neck glide" in results(client, q="towel")  # the kept results

    custom_exercises.update_custom_exercise(
        catalog_db, glide, own("Towel chin glide", summary="Glide the chin back."), now + timedelta(seconds=1)
    )
    catalog_db.commit()
    shown = results(client, q="towel")
    assert "Towel chin glide" in shown and "Glide the chin back." in shown and "Towel neck glide" not in shown

    custom_exercises.retire_custom_exercise(catalog_db, glide, now + timedelta(seconds=2))
    catalog_db.commit()
    assert "Towel chin glide" not in results(client, q="towel")
    custom_exercises.restore_custom_exercise(catalog_db, glide, now + timedelta(seconds=3))
    catalog_db.commit()
    assert "Towel chin glide" in results(client, q="towel")


def test_each_search_filter_and_page_has_its_own_results(therapist):
    _clinic, client = therapist
    neck, shoulder = results(client, q="neck"), results(client, q="shoulder")
    assert neck != shoulder and "matching “neck”" in neck and "matching “shoulder”" in shoulder
    assert results(client, q="neck", difficulty=3) != neck
    first, second = results(client, page=1), results(client, page=2)
    assert "Page 1 of" in first and "Page 2 of" in second and first != second


def test_two_clinics_never_see_each_others_own_exercises(catalog_app, catalog_db, therapist, now):
    clinic, client = therapist
    custom_exercises.create_custom_exercise(catalog_db, clinic.id, own("Towel neck glide"), now)
    other = make_clinic(catalog_db, "Other Clinic")
    make_user(catalog_db, other, email="t@other.org")
    catalog_db.commit()
    assert "Towel neck glide" in results(client, q="towel")
    neighbour = catalog_app.test_client()
    login(neighbour, "t@other.org")
    assert "Towel neck glide" not in results(neighbour, q="towel")


def test_the_links_follow_the_address_the_app_is_served_under(catalog_app, therapist):
    _clinic, client = therapist
    plain = client.get("/exercises", query_string={"q": "neck"}).get_data(as_text=True)
    assert 'href="/exercises/' in plain
    # The same app behind a proxy under /planner (SCRIPT_NAME), same cookie, same search.
    cookie = client.get_cookie("planner_session")
    assert cookie is not None
    proxied = catalog_app.test_client()
    proxied.set_cookie("planner_session", cookie.value, path="/")
    html = proxied.get(
        "/exercises", query_string={"q": "neck"}, environ_overrides={"SCRIPT_NAME": "/planner"}
    ).get_data(as_text=True)
    cards = html.split('id="results-h"', 1)[1]
    assert 'href="/planner/exercises/' in cards and 'href="/exercises/' not in cards
