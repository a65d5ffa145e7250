"""The exercise catalog as a clinic sees it: search, filter, page, and open one exercise.

Every query starts from `scoping.visible_exercises`, so a clinic never sees another's
custom exercises.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, case, func, select, text
from sqlalchemy.orm import Session

from planner.catalog import record
from planner.catalog.spelling import Vocabulary
from planner.models import Exercise
from planner.models.exercise import ExerciseWord
from planner.scoping import is_own, is_shared, visible_exercises
from planner.search_key import following
from planner.services import NotFound

PAGE_SIZE = 20
QUERY_MAX = 200
SOURCES = ("", "catalog", "clinic")


@dataclass(frozen=True)
class Filters:
    """What the list is narrowed to; an empty value does not filter."""

    category: str = ""
    region: str = ""
    position: str = ""
    equipment: str = ""
    difficulty: int | None = None
    condition: str = ""
    approach: str = ""
    source: str = ""  # "catalog": the shared files only; "clinic": the clinic's own only
    include_retired: bool = False


@dataclass(frozen=True)
class SearchResult:
    exercises: list[Exercise]
    total: int
    page: int
    pages: int
    # The words searched for instead, when the words typed found nothing (a typo).
    corrected: str | None = None


def search_words(text: str) -> list[str]:
    """The words of a search as the word index holds them: folded, without punctuation."""
    return record.words(text[:QUERY_MAX])


def search_exercises(
    session: Session,
    clinic_id: int,
    text: str = "",
    filters: Filters | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> SearchResult:
    """A page of the exercises matching every word of the text and every filter, best first.

    A word matches any word of the name, other names, summary, steps or tags that starts with it
    ("shoul" finds "shoulder"), ignoring case, accents and punctuation (planner/search_key.py).
    When the words find nothing, misspelt words are corrected once and the search runs again;
    `corrected` is set only when the corrected words found something.
    """
    filters = filters or Filters()
    words = search_words(text)
    result = _search(session, clinic_id, words, filters, page, page_size)
    if result.total == 0 and words:
        fixed = vocabulary(session, clinic_id).correct(words)
        if fixed != words:
            found = _search(session, clinic_id, fixed, filters, page, page_size)
            if found.total:
                return SearchResult(found.exercises, found.total, found.page, found.pages, " ".join(fixed))
    return result


def get_exercise(session: Session, clinic_id: int, slug: str) -> Exercise:
    """The exercise with that id, retired or not, when the clinic may see it.

    :raise NotFound: when there is none, or it is another clinic's custom exercise.
    """
    exercise = session.scalars(visible_exercises(clinic_id).where(Exercise.slug == slug)).first()
    if exercise is None:
        raise NotFound("That exercise")
    return exercise


def exercises_by_slug(session: Session, clinic_id: int, slugs: list[str]) -> list[Exercise]:
    """The visible exercises among the ids, in the order given (for progression and regression links)."""
    if not slugs:
        return []
    found = {e.slug: e for e in session.scalars(visible_exercises(clinic_id).where(Exercise.slug.in_(slugs)))}
    return [found[s] for s in slugs if s in found]


def refresh_statistics(session: Session) -> None:
    """Let the database measure the word index after a bulk change.

    With fresh statistics SQLite looks a rare word up in the word index first (3 ms at 10,000
    exercises) instead of testing every exercise against it (10-17 ms). ANALYZE is the same
    statement on PostgreSQL, which also runs it by itself in the background.
    """
    for table in ("exercises", "exercise_words"):
        session.execute(text(f"ANALYZE {table}"))


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _starting_with(word: str) -> Select[int]:
    """Ids of the exercises with a word that starts with this one: a range on the word index.

    The column compares by code point on both databases (models/exercise.py), so the range
    from "jos" up to "jot" holds every word that starts with "jos", in any script.
    """
    query = select(ExerciseWord.exercise_id).where(ExerciseWord.word >= word)
    after = following(word)
    return query.where(ExerciseWord.word < after) if after else query


def _matching_ids(clinic_id: int, words: list[str], filters: Filters) -> Select[int]:
    # Only columns of ix_exercises_listing: SQLite answers from that index, never the wide rows.
    query = visible_exercises(clinic_id).with_only_columns(Exercise.id)
    if not filters.include_retired:
        query = query.where(Exercise.retired_at.is_(None))
    if filters.source == "catalog":
        query = query.where(is_shared(Exercise))
    elif filters.source == "clinic":
        query = query.where(is_own(Exercise, clinic_id))
    if filters.category:
        query = query.where(Exercise.category == filters.category)
    if filters.position:
        query = query.where(Exercise.position == filters.position)
    if filters.difficulty:
        query = query.where(Exercise.difficulty == filters.difficulty)
    for key, value in (
        ("regions", filters.region),
        ("equipment", filters.equipment),
        ("conditions", filters.condition),
        ("approaches", filters.approach),
    ):
        if value:
            query = query.where(Exercise.facets.like(_like(f" {key}:{value} "), escape="\\"))
    for word in words:
        query = query.where(Exercise.id.in_(_starting_with(word)))
    return query


def _search(
    session: Session, clinic_id: int, words: list[str], filters: Filters, page: int, page_size: int
) -> SearchResult:
    ids = _matching_ids(clinic_id, words, filters)
    order: list[Any] = [Exercise.name_key, Exercise.id]
    if words:
        # Exercises named by the first word come first: "bridge" lists "Bridge" before
        # every exercise that mentions a bridge in a step.
        order.insert(0, case((Exercise.name_key.like(_like(words[0]), escape="\\"), 0), else_=1))
    counted = ids.add_columns(func.count().over()).order_by(*order).limit(page_size)

    def page_of(number: int) -> list[Any]:
        """(id, count of all matches) of each exercise on that page: the count as a window, so
        the page and the total are one statement."""
        return list(session.execute(counted.offset((number - 1) * page_size)).all())

    # No catalog holds 2**31 exercises: a larger page number is past the end (and its offset
    # would overflow the database's integer).
    page = min(max(1, page), 2**31 // page_size + 1)
    found = page_of(page)
    if found:
        total = found[0][1]
    else:  # a page past the end has no row to carry the count: counted, and the last page shown
        total = session.scalar(select(func.count()).select_from(ids.subquery())) or 0
        page = max(1, -(-total // page_size))
        found = page_of(page) if total else []
    pages = max(1, -(-total // page_size))
    page_ids = [row[0] for row in found]
    rows = {e.id: e for e in session.scalars(select(Exercise).where(Exercise.id.in_(page_ids)))} if page_ids else {}
    return SearchResult([rows[i] for i in page_ids], total, page, pages)


def catalog_stamp(session: Session, clinic_id: int) -> tuple[Any, ...]:
    """What the clinic's catalog is now, as a key for anything made from it alone and kept per
    process (the builder's add panel and next-stage offer): the database, the clinic, and over
    every exercise it sees, retired ones too, their count, newest change and the sum of their
    change times. One aggregate statement over the narrow listing index.

    Every change of an exercise sets its `updated_at` (a catalog load, an edit, retiring and
    restoring; the column's onupdate for any other ORM or Core update), and adding or removing
    one changes the count, so a kept panel is never shown after its catalog changed. The sum
    catches an edit that sets a time earlier than the newest (a clock moved back, a restored
    backup): the newest alone would not move. Times are summed in days on SQLite (julianday,
    about 40 microseconds apart at today's dates) and in seconds on PostgreSQL.
    """
    bind = session.get_bind()
    found = session.execute(stamp_statement(bind.dialect.name), {"clinic_id": clinic_id}).one()
    return stamp_of(session, clinic_id, tuple(found))


def stamp_of(session: Session, clinic_id: int, found: tuple[Any, ...]) -> tuple[Any, ...]:
    """catalog_stamp's answer from the row of stamp_statement (count, newest, summed) read by the
    caller, in a statement of its own or beside other columns (the builder's: get_program_for_builder)."""
    return (str(session.get_bind().engine.url), clinic_id, *found)


@functools.cache
def stamp_statement(dialect: str) -> Select[Any]:
    """catalog_stamp's statement for a database dialect, built once (the clinic bound at each run
    as "clinic_id"): one row, its count, newest change and sum of change times."""
    times = (
        func.total(func.julianday(Exercise.updated_at))
        if dialect == "sqlite"
        else func.sum(func.extract("epoch", Exercise.updated_at))
    )
    return visible_exercises(bindparam("clinic_id")).with_only_columns(
        func.count(Exercise.id).label("count"), func.max(Exercise.updated_at).label("newest"), times.label("summed")
    )


# One vocabulary per database and clinic, rebuilt when its exercises change. Built only when
# a search finds nothing, and cached because reading every text costs far more than a search.
_VOCABULARIES: OrderedDict[tuple, Vocabulary] = OrderedDict()
_VOCABULARIES_MAX = 16
_LOCK = threading.Lock()


def vocabulary(session: Session, clinic_id: int) -> Vocabulary:
    """The words of every exercise the clinic sees (not retired), cached until one changes."""
    visible = visible_exercises(clinic_id).where(Exercise.retired_at.is_(None))
    count, newest = session.execute(
        visible.with_only_columns(func.count(Exercise.id), func.max(Exercise.updated_at))
    ).one()
    key = (str(session.get_bind().engine.url), clinic_id, count, newest)
    with _LOCK:
        if key in _VOCABULARIES:
            _VOCABULARIES.move_to_end(key)
            return _VOCABULARIES[key]
    counts = session.execute(
        select(ExerciseWord.word, func.count())
        .where(ExerciseWord.exercise_id.in_(visible.with_only_columns(Exercise.id)))
        .group_by(ExerciseWord.word)
    )
    built = Vocabulary({word: n for word, n in counts})
    with _LOCK:
        _VOCABULARIES[key] = built
        while len(_VOCABULARIES) > _VOCABULARIES_MAX:
            _VOCABULARIES.popitem(last=False)
    return built
