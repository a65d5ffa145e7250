"""An exercise's text in another language, kept beside its data and checked against it.

`exercises/translations/<language>/<id>.toml` holds `id` and the patient's text of exercise
`<id>` in that language: `name`, `summary`, `steps`, `tips`, `cautions` (those the English
file has, and as many items in each list). The loader stores them on the row
(`Exercise.translations`, by language); handouts and the phone page read them through
`in_language`, and fall back to the exercise as written (a clinic's own exercise, say).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.catalog.readability import (
    SPANISH_EASE_6TH_GRADE,
    long_sentences,
    measure_spanish,
    sentences,
    too_long,
)
from planner.catalog.schema import NAME_MAX, SUMMARY_MAX, TEXT_MAX
from planner.counted import counted

FIELDS = ("name", "summary", "steps", "tips", "cautions")
LISTS = ("steps", "tips", "cautions")
FOLDER = "translations"

# Words of English grammar that no Spanish (or other Latin-script) sentence needs: two of them
# in one field mean English was left in (a step copied and not translated, half a sentence).
_ENGLISH_ONLY = frozenset(
    {
        *("the", "your", "you", "and", "with", "of", "to", "is", "it", "this", "that", "for", "on", "in", "up"),
        *("then", "until", "while", "when", "each", "at", "if", "or", "into", "from", "will", "can", "should"),
        *("does", "are", "keep", "hold", "slowly"),
    }
)
_LETTERS = re.compile(r"[^\W\d_]+")


def english_left(text: str, english: str, vocabulary: frozenset[str] = frozenset()) -> bool:
    """Whether a translated field still reads as English: the same as the English, with two or
    more words only English uses ("the", "your", "with", …), or of two or more words that are
    all words of the English catalog (`vocabulary`, from english_words): a short English step
    such as "Sit tall." has no grammar word to give it away. Over the shipped Spanish catalog
    (2,188 texts) no Spanish text is made of English catalog words only."""
    if _LETTERS.search(text) and text.strip().casefold() == english.strip().casefold():
        return True
    words = _LETTERS.findall(text.casefold())
    if len(words) >= 2 and all(w in vocabulary for w in words):
        return True
    return len({w for w in words if w in _ENGLISH_ONLY}) >= 2


def english_words(exercises: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    """Every word (casefolded letters) of the patient's text of these English exercises."""
    found: set[str] = set()
    for exercise in exercises:
        for key in FIELDS:
            value = exercise.get(key)
            for text in value if isinstance(value, list) else [value]:
                if isinstance(text, str):
                    found.update(_LETTERS.findall(text.casefold()))
    return frozenset(found)


def reads_as_english(texts: list[str]) -> bool:
    """Whether a clinic's own exercise, written in no stated language, reads as English: by the
    same rule that finds English left in a translation (english_left), over all its text."""
    return english_left(" ".join(texts), "")


def problems(
    translated: Mapping[str, Any], english: Mapping[str, Any], file_stem: str, vocabulary: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """What is wrong with one translation of the exercise `english`, as (field, message) pairs;
    `vocabulary` is the English catalog's words (english_words), to find English left in."""
    found: list[tuple[str, str]] = []
    if translated.get("id") != file_stem:
        found.append(("id", f"must be “{file_stem}”, the file's name without .toml"))
    for key in translated:
        if key != "id" and key not in FIELDS:
            found.append((key, f"unknown field; a translation has {', '.join(FIELDS)}"))
        elif key in FIELDS and not english.get(key):
            found.append((key, "the English exercise has none: leave it out"))
    for key in FIELDS:
        theirs, ours = english.get(key), translated.get(key)
        if not theirs:
            continue
        if ours is None:
            found.append((key, "missing"))
        elif key in LISTS:
            if not isinstance(ours, list) or not all(isinstance(v, str) for v in ours):
                found.append((key, "must be a list of texts"))
                continue
            if len(ours) != len(theirs):
                items = counted(len(ours), "item", "items")
                found.append((key, f"has {items}; the English has {len(theirs)}"))
            for n, (text, source) in enumerate(zip(ours, theirs, strict=False), start=1):
                found += _text_problems(f"{key}[{n}]", text, source, TEXT_MAX, vocabulary)
        elif not isinstance(ours, str):
            found.append((key, "must be a text"))
        else:
            found += _text_problems(key, ours, theirs, NAME_MAX if key == "name" else SUMMARY_MAX, vocabulary)
    return found


def _text_problems(
    field: str, text: str, english: str, limit: int, vocabulary: frozenset[str]
) -> list[tuple[str, str]]:
    if not text.strip():
        return [(field, "is empty")]
    if len(text) > limit:
        return [(field, f"is too long: at most {limit} characters")]
    if english_left(text, english, vocabulary):
        return [(field, "is still in English")]
    found = []
    for sentence in sentences(text):
        if english_left(sentence, "", vocabulary):
            found.append((field, f"is still in English in part: “{sentence}”"))
    found += [(field, too_long(count, sentence)) for count, sentence in long_sentences(text)]
    return found


def read_folder(
    folder: Path, english: Mapping[str, Mapping[str, Any]]
) -> tuple[dict[str, dict[str, Any]], list[tuple[str, str, str]]]:
    """The translations under `folder/translations/`, by exercise id then language, and every
    problem as (file, field, message); `english` is the folder's valid exercises by id.

    A translation with a problem is left out (and named in the problems).
    """
    by_exercise: dict[str, dict[str, Any]] = {}
    found: list[tuple[str, str, str]] = []
    root = folder / FOLDER
    if not root.is_dir():
        return by_exercise, found
    vocabulary = english_words(english.values())
    for language_folder in sorted(p for p in root.iterdir() if p.is_dir()):
        language = language_folder.name
        for file in sorted(language_folder.glob("*.toml")):
            name = f"{FOLDER}/{language}/{file.name}"
            try:
                data = tomllib.loads(file.read_text(encoding="utf-8"))
            except UnicodeDecodeError as e:
                found.append((name, "file", f"is not UTF-8 text (byte {e.start})"))
                continue
            except tomllib.TOMLDecodeError as e:
                found.append((name, "file", f"is not valid TOML: {e}"))
                continue
            source = english.get(file.stem)
            if source is None:
                found.append((name, "id", f"no exercise file is {file.stem}.toml"))
                continue
            own = problems(data, source, file.stem, vocabulary)
            if not own and language == "es" and (ease := measure_spanish(data["steps"]).ease) < SPANISH_EASE_6TH_GRADE:
                # The Spanish measure of a 6th grade, as the English steps are held to (readability.py).
                own = [
                    (
                        "steps",
                        f"read above a 6th grade: Fernández-Huerta ease {ease}, at least {SPANISH_EASE_6TH_GRADE:g}",
                    )
                ]
            found += [(name, field, message) for field, message in own]
            if not own:
                by_exercise.setdefault(file.stem, {})[language] = {k: data[k] for k in FIELDS if k in data}
    return by_exercise, found


def missing_files(folder: Path, english: Iterable[str]) -> list[tuple[str, str]]:
    """(language, exercise id) for each exercise id in `english` that a language folder under
    `folder/translations/` has no file for, by language then id."""
    root = folder / FOLDER
    if not root.is_dir():
        return []
    return [
        (language.name, exercise_id)
        for language in sorted(p for p in root.iterdir() if p.is_dir())
        for exercise_id in sorted(english)
        if not (language / f"{exercise_id}.toml").is_file()
    ]


def file_bytes(folder: Path, exercise_id: str) -> bytes:
    """The bytes of every translation of one exercise, for the loader's change hash."""
    root = folder / FOLDER
    if not root.is_dir():
        return b""
    files = sorted(root.glob(f"*/{exercise_id}.toml"))
    return b"".join(f.parent.name.encode() + b"\n" + f.read_bytes() for f in files)


@dataclass(frozen=True)
class ExerciseText:
    """What a patient reads of an exercise, in their language when it has a translation."""

    name: str
    summary: str
    steps: list[str]
    tips: list[str]
    cautions: list[str]
    translated: bool  # False: printed as written (no translation in the language asked for)
    # The language the text is in: the one asked for when translated, "en" for the catalog as
    # written (and a clinic's own exercise that reads as English), None when no one knows (a
    # clinic's own exercise in any other words).
    language: str | None = "en"
    # The words `name` ends with that tell it from the same exercise's other copy in the program,
    # by its side ("(left hand)", in the page's language: services.patterns.told_apart); "" for an
    # exercise in the program once. A name cut short keeps them (handouts.ticksheet.short_names).
    side_words: str = ""

    @property
    def own_name(self) -> str:
        """`name` without its side's words: what is in the exercise's own language (and direction,
        for a clinic's own Hebrew or Arabic name), for a page to mark apart from the side's words."""
        return self.name.removesuffix(f" {self.side_words}") if self.side_words else self.name

    def lang_on(self, page_language: str) -> str | None:
        """The `lang` to mark this text with on a page in `page_language` (HTML): its own language
        when that is known and differs, else None (the page's language, or no one knows)."""
        return self.language if self.language and self.language != page_language else None


def in_language(exercise: Any, language: str) -> ExerciseText:
    """The exercise's text in `language`, or as written when it has no translation in it.

    `exercise` is an Exercise row (or anything with its fields and a `translations` dict).
    English is as written: the catalog is written in English; a clinic's own exercise is in
    whatever words the clinic wrote (`ExerciseText.language` says which, when known).
    """
    text = (getattr(exercise, "translations", None) or {}).get(language) if language != "en" else None
    steps, tips, cautions = list(exercise.steps), list(exercise.tips or []), list(exercise.cautions)
    written_in: str | None = "en"
    if getattr(exercise, "clinic_id", None) is not None:
        english = reads_as_english([exercise.name, exercise.summary or "", *steps, *tips, *cautions])
        written_in = "en" if english else None
    if not text:
        return ExerciseText(exercise.name, exercise.summary or "", steps, tips, cautions, language == "en", written_in)
    return ExerciseText(
        text.get("name", exercise.name),
        text.get("summary", exercise.summary or ""),
        list(text.get("steps", steps)),
        list(text.get("tips", tips)),
        list(text.get("cautions", cautions)),
        True,
        language,
    )


# A shipped program template's texts a patient reads (languages.TEMPLATE_FIELDS, and a goal for
# each pull it names), in templates/translations/<language>/<template>.toml.
TEMPLATE_TEXTS = ("title", "goals", "frequency", "visit_plan", "advice_text")


def template_problems(folder: Path, vocabulary: frozenset[str] = frozenset()) -> list[tuple[str, str, str]]:
    """Every problem of the templates' translations under `folder/templates/translations/`, as
    (file, field, message), by file: a template with no file in a language that has a folder, a
    field the English has left out or empty, English left in, a sentence over 15 words, a field
    the English has not. `vocabulary`: the English catalog's words (english_words)."""
    templates = folder / "templates"
    root = templates / FOLDER
    if not root.is_dir():
        return []
    english = {p.stem: p for p in sorted(templates.glob("*.toml"))}
    found: list[tuple[str, str, str]] = []
    for language_folder in sorted(p for p in root.iterdir() if p.is_dir()):
        for stem in english:
            name = f"templates/{FOLDER}/{language_folder.name}/{stem}.toml"
            path = language_folder / f"{stem}.toml"
            if not path.is_file():
                found.append((name, "file", f"missing: {language_folder.name} is not offered without it"))
                continue
            try:
                ours = tomllib.loads(path.read_text(encoding="utf-8"))
                theirs = tomllib.loads(english[stem].read_text(encoding="utf-8"))
            except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
                found.append((name, "file", f"cannot be read: {e}"))
                continue
            found += [(name, field, message) for field, message in _template_text_problems(ours, theirs, vocabulary)]
    return found


def _template_text_problems(
    ours: Mapping[str, Any], theirs: Mapping[str, Any], vocabulary: frozenset[str]
) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for key in ours:
        if key not in (*TEMPLATE_TEXTS, "goals_when"):
            found.append((key, f"unknown field; a template's translation has {', '.join(TEMPLATE_TEXTS)}, goals_when"))
    pairs = [(key, ours.get(key), theirs.get(key)) for key in TEMPLATE_TEXTS]
    goals_when, english_goals = ours.get("goals_when") or {}, theirs.get("goals_when") or {}
    pairs += [(f"goals_when.{pull}", goals_when.get(pull), goal) for pull, goal in english_goals.items()]
    for field, text, english in pairs:
        if not english:
            continue
        if not isinstance(text, str) or not text.strip():
            found.append((field, "is missing or empty: the language is not offered without it"))
        else:
            found += _text_problems(field, text, english, TEXT_MAX, vocabulary)
    return found
