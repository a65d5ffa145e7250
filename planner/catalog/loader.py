"""Check a folder of exercise files (and their translations), and load it into the shared catalog all-or-nothing."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from planner.catalog import record, translations
from planner.catalog.schema import validate_exercise
from planner.counted import counted
from planner.models import Exercise
from planner.scoping import shared
from planner.services import DomainError

# Part of every file's hash: bump it when `record.fill` derives rows differently, so the
# next load rewrites every row even though no file changed.
ROW_FORMAT = b"exercise-row-4\n"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file; prints as `file: field: what is wrong`."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"


@dataclass
class LoadReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    restored: int = 0  # files that came back: un-retired (and counted here, not as updated)

    def __str__(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.retired} retired, {self.restored} restored"
        )


class CatalogInvalid(DomainError):
    """The folder has problems; nothing was loaded."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"The catalog has {counted(len(problems), 'problem', 'problems')}; nothing was loaded.")
        self.problems = problems


@dataclass
class _Folder:
    exercises: dict[str, dict[str, Any]] = field(default_factory=dict)  # by id
    hashes: dict[str, str] = field(default_factory=dict)  # by id
    problems: list[Problem] = field(default_factory=list)


def check_directory(path: str | Path) -> list[Problem]:
    """Every problem of every exercise file in the folder, in file order; empty when all is well.

    A language folder (translations/<language>/) without some exercise's file is a problem
    here too: that language is then not offered (planner/languages.py), every patient who
    reads it gets English. Loading such a folder still works (a language may be half done).
    """
    folder = _read(Path(path))
    missing = [
        Problem(
            f"{translations.FOLDER}/{language}/{exercise_id}.toml",
            "file",
            f"missing: {language} is not offered without it",
        )
        for language, exercise_id in translations.missing_files(Path(path), folder.exercises)
    ]
    templates = [
        Problem(file, field, message)
        for file, field, message in translations.template_problems(
            Path(path), translations.english_words(folder.exercises.values())
        )
    ]
    return sorted(folder.problems + missing + templates, key=lambda p: p.file)


def read_directory(path: str | Path) -> tuple[dict[str, dict[str, Any]], list[Problem]]:
    """The folder's valid exercises by id (each with its valid "translations", by language),
    and every problem (a translation's file is named "translations/<language>/<id>.toml")."""
    folder = _read(Path(path))
    return folder.exercises, folder.problems


def load_directory(session: Session, path: str | Path, now: datetime) -> LoadReport:
    """Make the shared catalog match the folder: add, update, retire and restore rows.

    Runs twice with the same files, it changes nothing. A file that is gone retires its row
    (programs still point at it); it is never deleted. Clinics' custom exercises are not touched.
    Flushes; the caller commits.

    :raise CatalogInvalid: when any file has a problem; then nothing is changed.
    """
    folder = _read(Path(path))
    if folder.problems:
        raise CatalogInvalid(folder.problems)
    report = LoadReport()
    rows = {e.slug: e for e in session.scalars(shared(Exercise))}
    for slug, data in folder.exercises.items():
        row = rows.get(slug)
        if row is None:
            row = Exercise(slug=slug, clinic_id=None)
            session.add(row)
            report.added += 1
        elif row.source_hash == folder.hashes[slug] and row.retired_at is None:
            report.unchanged += 1
            continue
        elif row.retired_at is not None:
            row.retired_at = None
            report.restored += 1
        else:
            report.updated += 1
        record.fill(row, data)
        row.source_hash = folder.hashes[slug]
        row.updated_at = now
    for slug, row in rows.items():
        if slug not in folder.exercises and row.retired_at is None:
            row.retired_at = now
            report.retired += 1
    session.flush()
    if report.added or report.updated or report.retired or report.restored:
        from planner.services.catalog import refresh_statistics

        refresh_statistics(session)
    return report


def _read(folder_path: Path) -> _Folder:
    folder = _Folder()
    if not folder_path.is_dir():
        folder.problems.append(Problem(str(folder_path), "folder", "does not exist or is not a folder"))
        return folder
    files = sorted(p for p in folder_path.iterdir() if p.suffix == ".toml" and p.is_file())
    if not files:
        # An empty folder is almost always a wrong path; loading it would retire the whole catalog.
        folder.problems.append(Problem(str(folder_path), "folder", "has no exercise files (*.toml)"))
        return folder
    owner: dict[str, str] = {}  # id -> file name, to find an id used twice
    for file in files:
        raw = file.read_bytes()
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as e:
            folder.problems.append(Problem(file.name, "file", f"is not UTF-8 text (byte {e.start})"))
            continue
        except tomllib.TOMLDecodeError as e:
            # The message ends with "(at line N, column M)".
            folder.problems.append(Problem(file.name, "file", f"is not valid TOML: {e}"))
            continue
        own = [Problem(file.name, f, m) for f, m in validate_exercise(data, file_stem=file.stem)]
        exercise_id = data.get("id")
        if isinstance(exercise_id, str):
            if exercise_id in owner:
                own.append(Problem(file.name, "id", f"“{exercise_id}” is also the id in {owner[exercise_id]}"))
            else:
                owner[exercise_id] = file.name
        folder.problems += own
        if not own and isinstance(exercise_id, str):  # a file without problems has its id
            folder.exercises[exercise_id] = data
            folder.hashes[exercise_id] = hashlib.sha256(ROW_FORMAT + raw).hexdigest()
    # Translations (translations/<language>/<id>.toml) are checked against their exercise; a
    # changed translation changes the exercise's hash, so the next load rewrites its row.
    by_exercise, translation_problems = translations.read_folder(folder_path, folder.exercises)
    folder.problems += [Problem(*p) for p in translation_problems]
    for exercise_id, texts in by_exercise.items():
        folder.exercises[exercise_id] = {**folder.exercises[exercise_id], "translations": texts}
    for exercise_id in folder.exercises:
        extra = translations.file_bytes(folder_path, exercise_id)
        if extra:
            folder.hashes[exercise_id] = hashlib.sha256(bytes.fromhex(folder.hashes[exercise_id]) + extra).hexdigest()
    # References are checked against every id in the folder, after all files are read.
    for exercise_id, data in folder.exercises.items():
        for key in ("progression", "regression"):
            for target in data.get(key, []):
                if target not in owner:
                    folder.problems.append(Problem(owner[exercise_id], key, f"no exercise has the id “{target}”"))
    folder.problems.sort(key=lambda p: p.file)
    return folder
