"""The gettext catalogs: which messages there are, and keeping translations/ up to date.

`make translations` (python -m planner.messages) extracts every marked message from the code
and the phone page's templates into translations/messages.pot, merges it into each
language's messages.po (new messages arrive untranslated, for a translator to fill in), and
compiles each .po into the .mo the app loads. tests/test_languages.py extracts the same way
and fails for a message a complete language lacks, or a .mo that is not the compiled .po.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from planner.config import ROOT
from planner.i18n import TRANSLATIONS

# Only what a patient reads is marked: the code everywhere, the templates of the phone page
# (with the exercise's movement, which the catalog and the builder show too).
METHOD_MAP = [
    ("planner/**.py", "python"),
    ("templates/portal/**.html", "jinja2"),
    ("templates/catalog/_movement.html", "jinja2"),
]
OPTIONS_MAP = {"templates/portal/**.html": {"trimmed": "true"}, "templates/catalog/_movement.html": {"trimmed": "true"}}
# A fixed date in the headers, so `make translations` changes the files only when a message does.
_CREATED = datetime(2026, 1, 1, tzinfo=UTC)
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "lazy_gettext": None, "_l": None}


def extract(root: Path = ROOT) -> Catalog:
    """Every marked message, with where it is used (file:line) and its translator comment."""
    catalog = Catalog(project="Home Exercise Planner", fuzzy=False, creation_date=_CREATED)
    for filename, lineno, message, comments, context in extract_from_dir(
        root, METHOD_MAP, OPTIONS_MAP, keywords=KEYWORDS, comment_tags=("Translators:",)
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def read_catalog(language: str) -> Catalog:
    with po_path(language).open("rb") as f:
        return read_po(f, locale=language)


def read_template() -> Catalog:
    """translations/messages.pot: every message the code marks, as last extracted."""
    with (TRANSLATIONS / "messages.pot").open("rb") as f:
        return read_po(f)


def compiled(language: str) -> bytes:
    """The .mo the app should load for a language: its .po compiled (fuzzy entries left out)."""
    out = io.BytesIO()
    write_mo(out, read_catalog(language))
    return out.getvalue()


def languages() -> list[str]:
    """The languages that have a catalog, by code."""
    return sorted(p.parent.parent.name for p in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))


def update() -> None:
    """Write messages.pot, merge it into every .po, compile every .mo."""
    template = extract()
    with (TRANSLATIONS / "messages.pot").open("wb") as f:
        write_po(f, template, width=100, omit_header=False)
    for language in languages():
        catalog = read_catalog(language)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.fuzzy = False
        with po_path(language).open("wb") as f:
            write_po(f, catalog, width=100, ignore_obsolete=True)
        po_path(language).with_suffix(".mo").write_bytes(compiled(language))


if __name__ == "__main__":
    update()
    print(f"{TRANSLATIONS}: messages.pot, {', '.join(languages())} updated and compiled.")
