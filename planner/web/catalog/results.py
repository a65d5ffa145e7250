"""The catalog page's results, kept per process while the clinic's catalog stays as it is.

A search's results (which exercises, how many, the page, a corrected misspelling) and each
result's card (its picture, link, badges, summary, goal, regions and difficulty) are the same
for every therapist of a clinic until its catalog changes. So both are kept, keyed by
services/catalog.catalog_stamp (the database, the clinic, and its exercises' count and change
times: a catalog load, an edit, retiring or restoring one gives a new stamp), the clinic, the
address the app is served under, and for a search its words, filters and page. A card holds
nothing of a patient; it is made by the template `catalog/_card.html` with autoescaping like
any page. The builder's add panel keeps its own (web/programs/panels.py).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from flask import render_template, request
from markupsafe import Markup
from sqlalchemy.orm import Session

from planner.services.catalog import Filters, catalog_stamp, search_exercises

# Searches kept (each a page of ids), cards kept (each about 7 KB, most of it the picture).
SEARCHES_MAX = 256
CARDS_MAX = 512


@dataclass(frozen=True)
class CatalogResults:
    """A page of results as the catalog page shows them: the cards, in order, and the counts."""

    cards: list[Markup]
    total: int
    page: int
    pages: int
    corrected: str | None  # the words searched instead of a misspelling


_searches: OrderedDict[tuple[Any, ...], tuple[list[int], int, int, int, str | None]] = OrderedDict()
_cards: OrderedDict[tuple[Any, ...], Markup] = OrderedDict()
_lock = threading.Lock()


def catalog_results(session: Session, clinic_id: int, text: str, filters: Filters, page: int) -> CatalogResults:
    """The page of results of services/catalog.search_exercises, each as its card."""
    where = (catalog_stamp(session, clinic_id), clinic_id, request.script_root)
    search_key = (*where, text, filters, page)
    with _lock:
        kept = _searches.get(search_key)
        if kept is not None:
            _searches.move_to_end(search_key)
            cards = [_cards.get((*where, i)) for i in kept[0]]
            if all(card is not None for card in cards):
                return CatalogResults([c for c in cards if c is not None], *kept[1:])
    result = search_exercises(session, clinic_id, text, filters, page=page)
    # The card: an autoescaped template, so safe to mark up.
    made = [(e.id, Markup(render_template("catalog/_card.html", e=e))) for e in result.exercises]  # noqa: S704
    with _lock:
        _searches[search_key] = ([i for i, _ in made], result.total, result.page, result.pages, result.corrected)
        _trim(_searches, SEARCHES_MAX)
        for exercise_id, card in made:
            _cards[(*where, exercise_id)] = card
        _trim(_cards, CARDS_MAX)
    return CatalogResults([card for _, card in made], result.total, result.page, result.pages, result.corrected)


def _trim(kept: OrderedDict[Any, Any], size: int) -> None:
    while len(kept) > size:
        kept.popitem(last=False)
