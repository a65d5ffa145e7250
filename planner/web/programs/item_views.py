"""The builder's exercises, each written by templates/programs/_item.html and kept per process
while everything it shows is unchanged.

An item's part (its name, picture, dosage and direction in words, the direction's notes and
warnings, its fields and its action buttons) is made only from the values passed to the
template, and each of them is in the key it is kept by: the item's own saved values (dosage,
side, note), its mirror-work note (patterns.mirror_clashes: it reads the other items' sides), its Prescribed (the direction worked out on this view from the patient's pattern
as it is now, with the words), its side field, its place in the list, the program's id and
lock version (every change to a program moves it), the catalog's stamp (services/catalog:
the database, the clinic, and any change to an exercise it sees), the page's language and the
address the app is served under. So an edit, a re-evaluation that moves a direction, or a
catalog change shows on the very next view, and one clinic's part can never be another's (the
stamp names the clinic and the database). An item sent back with errors is written afresh.

The CSRF token, made per request, is written into a kept part as a stand-in that only this
process knows (a random value, never sent), and the request's token is put in its place on
every view.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from types import SimpleNamespace
from typing import Any

from flask import render_template, request
from markupsafe import Markup

from planner.catalog.vocabulary import CATEGORIES
from planner.models import Program
from planner.services.patterns import Prescribed
from planner.web.programs.forms import TOKEN_STAND_IN, ItemForm, item_fields, locked_fields
from planner.web.programs.panels import item_movement

# Each part is about 25-30 KB (most of it the moving picture): 256 of them, some 7 MB a process.
ITEMS_MAX = 256


_kept: OrderedDict[tuple[Any, ...], str] = OrderedDict()
_lock = threading.Lock()


def item_views(
    program: Program,
    prescribed: dict[int, Prescribed],
    side_fields: dict[int, tuple[Any, str]],
    forms: dict[int, ItemForm],
    csrf: str | None,
    stamp: tuple[Any, ...],
    language: str,
    mirror_clashes: dict[int, str] | None = None,
) -> list[Markup]:
    """Each item's part of the builder, in order: templates/programs/_item.html.

    prescribed, side_fields: per item id, as render_builder worked them out for this view;
    forms: the item forms sent back with errors (those items are written afresh, never kept);
    csrf: the request's token (None when CSRF is off); stamp: catalog_stamp of this view;
    language: the page's; mirror_clashes: per item id, why mirror work's moving hand is the hand
    the other hand exercises work (patterns.mirror_clashes), said beside its side.
    """
    shown = SimpleNamespace(id=program.id, lock_version=program.lock_version)
    count = len(program.items)
    views = []
    for index, item in enumerate(program.items, start=1):
        values = {
            "item": item,
            "ex": item.exercise,
            "rx": prescribed[item.id],
            "side_field": side_fields[item.id],
            "index": index,
            "first": index == 1,
            "last": index == count,
            "program": shown,
            "mirror_clash": (mirror_clashes or {}).get(item.id, ""),
        }
        form = forms.get(item.id)
        if form is not None:  # what was typed, and what is wrong: never kept
            views.append(Markup(_render(values, form, csrf, language)))  # noqa: S704  (an autoescaped template)
            continue
        key = (
            stamp,
            request.script_root,
            language,
            program.id,
            program.lock_version,
            csrf is None,
            item.id,
            item.exercise_id,
            json.dumps(item.dosage, sort_keys=True),
            item.side,
            item.side_to_confirm,
            item.note,
            index,
            count,
            values["rx"],
            values["side_field"],
            values["mirror_clash"],
        )
        with _lock:
            kept = _kept.get(key)
            if kept is not None:
                _kept.move_to_end(key)
        if kept is None:
            kept = _render(values, None, None if csrf is None else TOKEN_STAND_IN, language)
            with _lock:
                _kept[key] = kept
                while len(_kept) > ITEMS_MAX:
                    _kept.popitem(last=False)
        # The token is URL-safe base64 and dots: it needs no escaping where the stand-in stood.
        views.append(Markup(kept if csrf is None else kept.replace(TOKEN_STAND_IN, csrf)))  # noqa: S704
    return views


def _render(values: dict[str, Any], form: ItemForm | None, csrf: str | None, language: str) -> str:
    return render_template(
        "programs/_item.html",
        **values,
        f=form,
        csrf=csrf,
        lock_fields=locked_fields(values["program"].lock_version, csrf),
        categories=CATEGORIES,
        page_language=language,
        item_fields=item_fields,
        item_movement=item_movement,
    )
