"""The templates' url_for (planner/web/links.py) gives the address Flask's url_for gives, for
every route of ids, names and fixed words, under any address prefix, for any values."""

from __future__ import annotations

import itertools

import pytest
from werkzeug.routing import AnyConverter, UnicodeConverter

from planner.models.base import MAX_ID
from planner.web.ids import IdConverter
from planner.web.links import fast_url_for

NAMES = ["neck-stretch", "Müller", "γιώργος", "王", "a b", "x/y", "50%"]


def plain_routes(app) -> list[tuple[str, dict]]:  # noqa: ANN001
    """(endpoint, {argument: its converter}) of every route whose values the fast url_for writes."""
    plain = (IdConverter, UnicodeConverter, AnyConverter)
    return sorted(
        (rule.endpoint, dict(rule._converters))
        for rule in app.url_map.iter_rules()
        if all(type(c) in plain for c in rule._converters.values())
    )


def samples(converter) -> list:  # noqa: ANN001
    if isinstance(converter, IdConverter):
        return [1, 42, 10**12, MAX_ID]
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)
    return NAMES


def test_every_plain_route_gets_the_address_flask_builds(app):
    links = app.jinja_env.globals["url_for"]
    routes = plain_routes(app)
    assert len(routes) > 80  # the menu, the builder's, the patients', the catalog's, the API's ...
    # One app served under several prefixes in turn (behind proxies), the pieces kept between.
    for prefix in ("", "/planner", "/clinic/north", ""):
        with app.test_request_context("/", environ_overrides={"SCRIPT_NAME": prefix}):
            for endpoint, converters in routes:
                names = sorted(converters)
                choices = [samples(converters[name]) for name in names]
                for picked in itertools.islice(itertools.product(*choices), 12):
                    values = dict(zip(names, picked, strict=True))
                    assert links(endpoint, **values) == app.url_for(endpoint, **values), (prefix, endpoint, values)


def test_anything_else_goes_to_flask_as_before(app):
    links = fast_url_for(app)
    with app.test_request_context("/", environ_overrides={"SCRIPT_NAME": "/planner"}):
        for endpoint, values in [
            ("patients.index", {"q": "Müller", "status": "all", "after": 5}),  # a query string
            ("patients.show", {"patient_id": 5, "_anchor": "programs"}),
            ("patients.show", {"patient_id": 5, "_external": True}),
            ("patients.show", {"patient_id": "5"}),  # a text, as a form sends it
            ("static", {"filename": "style.css"}),
        ]:
            assert links(endpoint, **values) == app.url_for(endpoint, **values)
        for build in (links, app.url_for):  # an id that is no number: the same error both ways
            with pytest.raises(ValueError, match="invalid literal"):
                build("patients.show", patient_id="five")
