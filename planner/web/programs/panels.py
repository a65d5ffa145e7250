"""The builder's parts made from the catalog alone, kept per process: the add panel and each
exercise's movement picture.

The panel's search results and each result's card (picture, link, goal, dosage in words) are
the same for every program of a clinic until its catalog changes, so both are kept, keyed by
services/catalog.catalog_stamp (the database, the clinic, and its exercises' count and change
times: a catalog load, or an edit of one of the clinic's own exercises, gives a new stamp), the
search, the page's language and the address the app is served under. What depends on the
program (its id in the forms, the lock version, the CSRF token, "Add" or "Add again for the left
side", or why it adds nothing) is
written around the cards on every view; a card holds nothing of a patient or program, and is
made by the template `programs/_found.html` with autoescaping like any page.

Each program item's picture (templates/catalog/_movement.html: the moving picture and the start
and end panels with their captions) depends only on the exercise, the side, the hold and the
page's language, and is kept by the key the drawings themselves are kept by
(web/catalog/pictures.Pose: the row's id, source hash, update time and name).
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from flask import get_template_attribute, render_template, request
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from planner.catalog.vocabulary import CATEGORIES, REGIONS
from planner.models import Exercise
from planner.services.catalog import Filters, search_exercises
from planner.web.catalog.pictures import Pose

# Searches kept (each a few ids), cards kept (each about 6 KB of picture), item pictures kept
# (each about 25 KB: the moving picture and the stills).
SEARCHES_MAX = 256
CARDS_MAX = 512
MOVEMENTS_MAX = 512
PAGE_SIZE = 8  # results shown in the builder; the catalog's own page lists the rest


@dataclass(frozen=True)
class Found:
    """One result as the add panel shows it: its card, and what its Add form needs."""

    id: int
    slug: str
    name: str
    card: Markup


@dataclass(frozen=True)
class AddPanel:
    found: list[Found]
    total: int  # every match; the panel shows the first PAGE_SIZE
    corrected: str | None  # the words searched instead of a misspelling


_searches: OrderedDict[tuple[Any, ...], tuple[list[int], int, str | None]] = OrderedDict()
_cards: OrderedDict[tuple[Any, ...], Found] = OrderedDict()
_movements: OrderedDict[tuple[Any, ...], Markup] = OrderedDict()
_lock = threading.Lock()


def add_panel(
    session: Session, clinic_id: int, query: str, filters: Filters, stamp: tuple[Any, ...], language: str
) -> AddPanel:
    """The first results of the search in the clinic's catalog, each with its card.

    stamp: catalog_stamp(session, clinic_id) read for this view; language: the page's, for the
    pictures' titles and labels.
    """
    where = (stamp, clinic_id, language, request.script_root)
    search_key = (*where, query, filters)
    with _lock:
        kept = _searches.get(search_key)
        if kept is not None:
            _searches.move_to_end(search_key)
            cards = [_cards.get((*where, i)) for i in kept[0]]
            if all(cards):
                return AddPanel([c for c in cards if c], kept[1], kept[2])
    result = search_exercises(session, clinic_id, query, filters, page_size=PAGE_SIZE)
    found = [  # the card: an autoescaped template, so safe to mark up
        Found(
            e.id,
            e.slug,
            e.name,
            Markup(render_template("programs/_found.html", e=e, categories=CATEGORIES, language=language)),  # noqa: S704
        )
        for e in result.exercises
    ]
    with _lock:
        _searches[search_key] = ([f.id for f in found], result.total, result.corrected)
        _trim(_searches, SEARCHES_MAX)
        for card in found:
            _cards[(*where, card.id)] = card
        _trim(_cards, CARDS_MAX)
    return AddPanel(found, result.total, result.corrected)


def found_items(found: list[Found], again: dict[int, tuple[str, str]], action: str, lock_fields: Markup) -> Markup:
    """The add panel's results as edit.html lists them, each card with its Add form, whitespace and
    all (the template's loop wrote them; bench/compare.py holds the bytes the same).

    again: routes.second_copies (per exercise id in the program: the side adding it again gives,
    or why it is not added again, said where the button would be); action: the add_item address
    with the search's filters; lock_fields: the program's forms.locked_fields. About 70 Python
    calls a result in the template's loop, some 15 here.
    """
    action = escape(action)
    out = []
    for e in found:
        slug = escape(e.slug)
        side, why = again.get(e.id, ("", ""))
        if why:  # in the program already, and not to be added twice
            tail = f'<p class="muted add-why" id="add-{slug}-why">{escape(why)}</p>'
        else:
            label = f"Add again for the {escape(side)} side" if side else "Add"
            tail = (
                f'<form method="post" action="{action}">\n        {lock_fields}\n'
                f'        <input type="hidden" name="exercise" value="{slug}">\n'
                f'        <button type="submit" class="small">{label}<span class="sr-only"> <bdi>{escape(e.name)}</bdi>'
                "</span></button>\n      </form>"
            )
        out.append(f'\n    <li id="add-{slug}">\n      {e.card}\n      \n      \n      {tail}\n      \n    </li>\n  ')
    return Markup("".join(out))  # noqa: S704  (every value escaped, the card an autoescaped template's)


# The add panel's filters: the goal and the body region to search in (edit.html's selects).
_FILTERS = {"category": CATEGORIES, "region": REGIONS}


@functools.lru_cache(maxsize=64)
def filter_options(which: str, chosen: str) -> Markup:
    """The <option>s of the add panel's `which` filter ("category": the goals, "region": the body
    regions), `chosen` selected (none when it is none of them): the same on every view, so
    written once per process, as the template wrote them."""
    return Markup(  # noqa: S704  (escaped)
        "".join(
            f'<option value="{escape(key)}"{" selected" if key == chosen else ""}>{escape(name)}</option>'
            for key, name in _FILTERS[which].items()
        )
    )


def item_movement(
    exercise: Exercise, side: str, dosage: dict[str, Any] | None, width: int, language: str, start: str = ""
) -> Markup:
    """An item's movement as templates/catalog/_movement.html's `movement` draws it (empty for an
    exercise without pose data). side: "left" mirrors it; dosage: its hold paces the movement;
    width in CSS pixels; language: the page's (its captions and the pictures' names); start: the
    posture its picture starts in (Direction.start_posture)."""
    hold = (dosage or exercise.dosage or {}).get("hold_seconds")
    key = (Pose.of(exercise, language, start).key, side, width, hold, language)
    with _lock:
        kept = _movements.get(key)
        if kept is not None:
            _movements.move_to_end(key)
            return kept
    # A macro of an autoescaped template returns Markup.
    drawn: Markup = get_template_attribute("catalog/_movement.html", "movement")(
        exercise, side, dosage, width, language, start
    )
    with _lock:
        _movements[key] = drawn
        _trim(_movements, MOVEMENTS_MAX)
    return drawn


def _trim(kept: OrderedDict[Any, Any], size: int) -> None:
    while len(kept) > size:
        kept.popitem(last=False)
