"""Which languages a patient can read everything in, and the shipped texts in each.

THE one place that decides whether a language is complete. A language is complete when the
gettext catalog translates every message (planner/messages.py), every exercise of the shipped
catalog has a valid translation (catalog/translations.py), and every shipped program template
has its texts translated (exercises/templates/translations/<language>/<template>.toml). Only
a complete language is a handout language: a patient whose preferred language is not complete
gets English, and the patient form says so (it never promises what the handout does not do).

The built-in advice lines (services/advice.py) are gettext messages; a template's title,
goals, frequency, visit plan and advice text are copied into a program when it starts from
the template, so `shipped_text` finds a field still as shipped and gives its translation.
A field changed since (or typed by the therapist) prints as written: `handouts.untranslated`
lists those for the therapist before printing.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from planner.catalog.translations import TEMPLATE_TEXTS
from planner.i18n import ENGLISH, translator

# (One list with catalog check, which holds the files to the same fields.)
TEMPLATE_FIELDS = TEMPLATE_TEXTS


def handout_language(preferred: str | None, offered: Iterable[str]) -> str:
    """The language a patient reads: their preferred one when it is complete, else English."""
    return preferred if preferred and preferred in set(offered) else ENGLISH


def offered(languages: Iterable[str], catalog: Path) -> tuple[str, ...]:
    """The complete languages among `languages` (codes), for the catalog folder `catalog`."""
    return tuple(code for code in languages if not missing(code, catalog))


def missing(language: str, catalog: Path) -> list[str]:
    """What keeps `language` from being complete, one line each; [] when it is complete.

    Read from the files once per process (the catalog and the translations ship with the code).
    """
    return list(_missing(language, _resolved(Path(catalog))))


@functools.cache
def _resolved(folder: Path) -> Path:
    # Asked on every page that shows a patient's language: resolving walks the disk each time.
    return folder.resolve()


@functools.cache
def _missing(language: str, catalog: Path) -> tuple[str, ...]:
    if language == ENGLISH:
        return ()
    from planner.messages import read_catalog, read_template

    lines: list[str] = []
    try:
        messages = read_catalog(language)
    except FileNotFoundError:
        lines.append(f"messages: no catalog translations/{language}/LC_MESSAGES/messages.po")
    else:
        # The template (messages.pot) lists every marked message; a test holds it to the code.
        for message in read_template():
            if not message.id:
                continue
            found = messages.get(message.id)
            strings = found.string if found is not None else None
            done = found is not None and not found.fuzzy and all(strings if isinstance(strings, tuple) else [strings])
            if not done:
                lines.append(f"message: {message.id if isinstance(message.id, str) else message.id[0]!r}")
    exercises, problems = _catalog(catalog)
    lines += [f"exercise translation: {p}" for p in problems if p.file.startswith(f"translations/{language}/")]
    lines += [
        f"exercise {exercise_id}: no translation in translations/{language}/{exercise_id}.toml"
        for exercise_id, data in exercises.items()
        if language not in data.get("translations", {})
    ]
    templates = catalog / "templates"
    for path in sorted(templates.glob("*.toml")):
        english = tomllib.loads(path.read_text(encoding="utf-8"))
        translated = _template_translation(templates, language, path.stem)
        if translated is None:
            lines.append(f"template {path.stem}: no translation in templates/translations/{language}/{path.name}")
            continue
        for key in TEMPLATE_FIELDS:
            if english.get(key) and not str(translated.get(key, "")).strip():
                lines.append(f"template {path.stem}: {key}: missing")
        goals_when = translated.get("goals_when") or {}
        for component in english.get("goals_when") or {}:
            if not str(goals_when.get(component, "")).strip():
                lines.append(f"template {path.stem}: goals_when.{component}: missing")
    return tuple(lines)


@functools.cache
def _catalog(catalog: Path) -> tuple[dict, list]:
    """The catalog folder read once for every language (it is the same files for each)."""
    from planner.catalog.loader import read_directory

    return read_directory(catalog)


def _template_translation(templates: Path, language: str, stem: str) -> dict[str, Any] | None:
    path = templates / "translations" / language / f"{stem}.toml"
    if not path.is_file():
        return None
    return tomllib.loads(path.read_text(encoding="utf-8"))


@functools.cache
def _shipped_texts(language: str, templates: Path) -> dict[str, str]:
    """English → `language` for every shipped text a program copies: the built-in advice (and
    its retired lines) and the templates' fields."""
    from planner.services.advice import BUILT_IN, RETIRED

    t = translator(language)
    # The retired lines too: a version given before the list was shortened prints its own words.
    texts = {line: t.gettext(line) for line in (*BUILT_IN, *RETIRED)}
    for path in sorted(templates.glob("*.toml")):
        english = tomllib.loads(path.read_text(encoding="utf-8"))
        translated = _template_translation(templates, language, path.stem) or {}
        for key in TEMPLATE_FIELDS:
            if english.get(key) and translated.get(key):
                texts[english[key].strip()] = translated[key]
        goals_when = translated.get("goals_when") or {}
        for component, goal in (english.get("goals_when") or {}).items():
            if goals_when.get(component):
                texts[goal.strip()] = goals_when[component]
    return {k: v for k, v in texts.items() if v != k}


def shipped_text(text: str, language: str, templates: Path | None = None) -> str | None:
    """The translation of a text as the planner ships it (an advice line, a template's title…),
    or None when `text` is not a shipped text or has no translation in `language`. A text of
    several lines, each a shipped text (a template's goals with the goal of each recorded pull),
    is translated line by line; one line written by hand leaves the whole as written."""
    if language == ENGLISH or not text.strip():
        return None
    from planner.services.program_templates import SHIPPED

    texts = _shipped_texts(language, _resolved(templates or SHIPPED))
    found = texts.get(text.strip())
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if found is not None or len(lines) < 2 or any(line not in texts for line in lines):
        return found
    return "\n".join(texts[line] for line in lines)


def offered_in(settings: Mapping[str, Any]) -> tuple[str, ...]:
    """The handout languages of a site: the complete ones among [patients] languages, for the
    catalog in [catalog] directory (the configuration as planner.config reads it)."""
    from planner.config import ROOT

    catalog = ROOT / settings.get("catalog", {}).get("directory", "exercises")
    return offered(settings.get("patients", {}).get("languages", {ENGLISH: "English"}), catalog)
