"""Templates' url_for, fast for the common case: a route of ids, names and fixed words.

A page links to many rows (the builder's ~60 item forms and links, the patient list's and the
dashboard's rows, the menu of every page), and Flask's url_for costs about as much per link as
a small template. A route whose values are ids (`<int:…>`, planner/web/ids.py), path segments
(`<slug>`) or one of fixed words (`<any(up, down):…>`) writes each value with its converter in
a fixed place, so its address is built once per route, values and served-under prefix with
stand-in values, and later ones are the pieces around them with the values written in by the
same converters. Anything else (a blueprint-relative name, a query value, an anchor, an
external address, a secret, a path) goes to Flask's url_for as before. tests/test_links.py
holds both ways equal for every route.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.globals import _cv_request
from werkzeug.routing import AnyConverter, BaseConverter, BuildError, UnicodeConverter

from planner.web.ids import IdConverter

# Stand-in values: as many digits (or letters) as no real value of a page has, so each is found
# once in the address.
_STAND_IN = 7_350_000_000_000_001
_PLAIN = (IdConverter, UnicodeConverter, AnyConverter)


def install(app: Flask) -> None:
    """Make the templates' url_for the fast one (Python code keeps flask.url_for)."""
    app.jinja_env.globals["url_for"] = fast_url_for(app)


def fast_url_for(app: Flask) -> Callable[..., str]:
    """app.url_for, with routes of plain values built from kept pieces."""
    pieces: dict[tuple[Any, ...], tuple[str, ...] | None] = {}
    missing: tuple[str, ...] = ()  # not yet built (None: cannot be split)
    lock = threading.Lock()
    rules = Counter(rule.endpoint for rule in app.url_map.iter_rules())
    # One rule per endpoint (else Flask picks among them), every value written by a plain converter.
    converters: dict[str, dict[str, BaseConverter]] = {
        rule.endpoint: dict(rule._converters)
        for rule in app.url_map.iter_rules()
        if rules[rule.endpoint] == 1
        and not rule.defaults
        and all(type(rule._converters[a]) in _PLAIN for a in rule.arguments)
    }

    # Routes of one id and nothing else to write (most links of a list's rows): an int is written
    # as IdConverter writes it, str(int(value)), so it goes between the pieces without the converter.
    one_id = {
        endpoint
        for endpoint, writers in converters.items()
        if len(writers) == 1 and all(type(w) is IdConverter and not w.fixed_digits for w in writers.values())
    }

    def url_for(endpoint: str, /, **values: Any) -> str:
        request_context = _cv_request.get(None)
        adapter = request_context.url_adapter if request_context is not None else None
        writers = converters.get(endpoint)
        if writers is None or adapter is None or values.keys() != writers.keys():
            return app.url_for(endpoint, **values)
        key = (endpoint, adapter.script_name, adapter.server_name, adapter.subdomain)
        kept = pieces.get(key, missing)
        if kept is missing:
            kept = _pieces(app, endpoint, writers)
            with lock:
                pieces[key] = kept
        if kept is None:
            return app.url_for(endpoint, **values)
        if endpoint in one_id and type(value := values[kept[1]]) is int:
            return f"{kept[0]}{value}{kept[2]}"
        # kept: text, then (name, text) pairs flattened: "/programs/", "program_id", "/items/", ...
        parts = [kept[0]]
        try:
            for i in range(1, len(kept), 2):
                parts += [writers[kept[i]].to_url(values[kept[i]]), kept[i + 1]]
        except (TypeError, ValueError):  # a value its converter cannot write: Flask says what is wrong
            return app.url_for(endpoint, **values)
        return "".join(parts)

    return url_for


def _pieces(app: Flask, endpoint: str, writers: dict[str, BaseConverter]) -> tuple[str, ...] | None:
    """The address of the endpoint around its values, in this request; None when it cannot be split."""
    stand_ins: dict[str, Any] = {
        name: _STAND_IN + n
        if isinstance(writer, IdConverter)
        else min(writer.items)  # one of its words: it writes no other
        if isinstance(writer, AnyConverter)
        else f"zq{_STAND_IN + n}"
        for n, (name, writer) in enumerate(sorted(writers.items()))
    }
    try:
        built = app.url_for(endpoint, **stand_ins)
    except (BuildError, ValueError):
        return None
    written = {name: writers[name].to_url(value) for name, value in stand_ins.items()}
    if any(built.count(text) != 1 for text in written.values()):
        return None
    result, start = [], 0
    for at, name in sorted((built.find(text), name) for name, text in written.items()):
        result += [built[start:at], name]
        start = at + len(written[name])
    result.append(built[start:])
    return tuple(result)
