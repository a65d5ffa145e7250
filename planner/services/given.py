"""What the patient was given: a program's last given version, read from its frozen snapshot.

The phone page, its PDF, the daily exercise email, the ticks the page takes and the therapist's
adherence read this, never the program as the therapist is editing it. After an edit, or a
re-evaluation that moves a direction, the phone shows what the paper in the patient's hands says
until the therapist prints, emails or shares the program again (issuing.issue freezes the next
version; versions.snapshot says what a version holds). The paper's way to move is never replaced
by a newer one on the phone, but an exercise a re-evaluation has made wrong waits (`moved_since`).

Snapshots frozen before the phone read them lack some keys; what stands in for each is chosen so
that nothing the paper did not say reaches the phone (rather than reading the live program when
it seems to match: an edit or a re-evaluation since would then show):
- "exercise_id": the exercise with the snapshot's slug (slugs are unique and never reused);
- "mirrored", "start_posture": the picture worked out again from the snapshot's own side and the
  patient's pattern as it was on the day the version was given, so it shows the side the paper names;
- "source": "therapist" when the item has a side, so a later pattern never moves it;
- "flags": what the pattern of the day it was given flagged, so only a newer flag asks to wait;
- "held": the program's flagged exercises the therapist has not checked as it stands now
  (patterns.unchecked_items): the phone waits for them, as it did before versions were read;
- "version_date": the day the version was given.
- "text" (a clinic's own exercise's words as printed: name, summary, steps, tips, cautions): the
  name the paper printed (every snapshot holds "name"; a clinic's own exercise prints as written
  in every language) with the summary, steps, tips and cautions as the exercise has them now. The
  words printed then were not kept, and this is the only copy there is; keeping the paper's name
  lets the patient find the exercise of their paper. Printing again freezes the words
  (issuing.renew_if_paper_changed sees an edit since the version was given).
A catalog exercise's words are read from the catalog, in the patient's language: they change only
with a release of the planner (reviewed, translated with it, like the page's own words), where a
clinic may edit its own exercise at any time. Pictures and a clinic's photo are the exercise's as
it is now: a version keeps the side and mirroring it drew, not the drawing.
A program never given (no version frozen) has no given version: the phone page never shows it
(portal.active_program); the services read such a program's own items (tests, the builder).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session

from planner.catalog.translations import ExerciseText, in_language
from planner.dystonia.direction import Direction, resolve
from planner.dystonia.movement import ExerciseSpec
from planner.dystonia.pattern import PatternData
from planner.dystonia.sentences import STOP_FOR_NEW_SHEET, STOP_NOW
from planner.i18n import ENGLISH, translator
from planner.models import DystoniaPattern, Exercise, Program, ProgramVersion
from planner.scoping import is_shared_row
from planner.services import UNREAD, Unread
from planner.services.clinic_time import clinic_zone
from planner.services.paper_differs import NO_SIDE_NOW, as_row, difference_words, paper_differs
from planner.services.patterns import (
    CHECK_FIRST,
    Prescribed,
    TickKey,
    copies,
    exercise_spec,
    prescription_words,
    program_directions,
    told_apart,
    twice,
    unchecked_items,
)
from planner.services.recorded_patterns import current_pattern, pattern_on


@dataclass(frozen=True)
class Written:
    """A clinic's own exercise's words as the paper printed them (the snapshot item's "text"),
    read as its row is read (catalog.translations.in_language): it has no translation, so it
    prints as written in every language."""

    name: str
    summary: str
    steps: tuple[str, ...]
    tips: tuple[str, ...]
    cautions: tuple[str, ...]
    clinic_id: int  # whose exercise it is (in_language says such words are in an unknown language)


@dataclass(frozen=True)
class GivenItem:
    """One exercise of the given version, as the paper shows it."""

    number: int  # its place in the version, 1 first
    exercise: Exercise  # the catalog's exercise: its name, steps, cautions and picture
    dosage: dict[str, Any]  # as given: the times a day and days a week the ticks follow
    note: str
    direction: Direction  # its side, the direction's sentence (an English gettext message), the picture's mirroring
    # Why the patient waits instead ("" when they do not): CHECK_FIRST, or NOT_SET or SIDE_NOT_SET
    # (Direction.waiting_words: its side is not named now), or `moved_since`.
    wait: str = ""
    # A clinic's own exercise: its words as given (None: a catalog exercise, read from the catalog).
    written: Written | None = None
    # Why the pattern recorded since it was given sets it otherwise, or flags it (a reason of
    # paper_differs, or NO_SIDE_NOW; "" when the paper agrees): the patient waits until the
    # therapist gives a new version.
    why_moved: str = ""
    # The direction a handout made now would give it, when it moved (None when it did not).
    moved_to: Direction | None = None
    # On the day this version was given: the times already ticked that day for the paper before,
    # when this exercise's way to move changed with it (the snapshot's "ticked_before": day_counts).
    ticked_before: int = 0
    # The version holds its exercise twice, once for each side: its name says its side (patterns.told_apart).
    twin: bool = False
    # Which copy of its exercise this is: 0 the first (or only), 1 the second (patterns.copies).
    copy: int = 0

    @property
    def key(self) -> TickKey:
        """What its ticks are kept by: (exercise id, copy) (ExerciseLog)."""
        return (self.exercise.id, self.copy)

    @property
    def anchor(self) -> str:
        """Its card's part of the phone page's ids and addresses ("exercise-12", the second copy
        "exercise-12-1"): one card each, the first copy's as before copies were told apart."""
        return f"{self.exercise.id}-{self.copy}" if self.copy else str(self.exercise.id)

    @property
    def moved(self) -> bool:
        """Whether the pattern recorded since moved it (`why_moved`): the phone holds it back."""
        return bool(self.why_moved)

    @property
    def exercise_id(self) -> int:
        return self.exercise.id

    def text(self, language: str = ENGLISH) -> ExerciseText:
        """Its name, summary, steps, tips and cautions in `language`, as the paper printed them: a
        clinic's own exercise as it was when given (`written`), never an edit made since; a catalog
        exercise from the catalog (translated, else as written). A copy of an exercise the version
        holds twice has its side's words at the end of its name (`twin`: patterns.told_apart)."""
        text = in_language(self.written or self.exercise, language)
        return told_apart(text, self.exercise, self.direction.side, language) if self.twin else text

    @property
    def waiting(self) -> bool:
        """Whether the patient waits instead (`wait`, or no side set): prescribed().waiting, without its words."""
        return bool(self.wait) or self.direction.unset

    def prescribed(self, language: str = ENGLISH, new_sheet_said: bool = False) -> Prescribed:
        """What the patient reads for it in `language`: the direction's sentence and the dosage in
        words (patterns.prescription_words, the one wording), or why to wait. `new_sheet_said`: the
        page has already told the patient a new sheet comes, so a moved exercise only says to stop
        (STOP_NOW, not STOP_FOR_NEW_SHEET again)."""
        if self.wait:
            wait = STOP_NOW if new_sheet_said and self.wait == STOP_FOR_NEW_SHEET else self.wait
            said = translator(language).gettext(wait)
            return Prescribed(self.direction, said, True, to_check=self.wait == CHECK_FIRST)
        return Prescribed(self.direction, prescription_words(self.direction, self.dosage, language), self.waiting)


def prescribed_once(items: list[GivenItem], language: str, new_sheet_said: bool) -> dict[int, Prescribed]:
    """What the phone page shows for each item (by its number, in the page's order), saying that the
    therapist gives a new sheet once, where the patient reads it first: in the day's count line
    when that says it (`new_sheet_said`: portal.count_tells_new_sheet), else on the first moved
    exercise's card; every other moved card only says to stop (GivenItem.prescribed)."""
    shown = {}
    for item in items:
        shown[item.number] = item.prescribed(language, new_sheet_said)
        new_sheet_said = new_sheet_said or item.wait == STOP_FOR_NEW_SHEET
    return shown


@dataclass(frozen=True)
class Given:
    """A program's last given version (number `version`), with the live row it belongs to."""

    program: Program  # the program's row: its id, clinic, patient and therapist
    version: int
    snapshot: dict[str, Any]
    items: list[GivenItem]
    given_at: datetime | None  # when it was given; None for a program read as it stands (never given)

    @property
    def start_date(self) -> date:
        return date.fromisoformat(self.snapshot["start_date"])

    @property
    def title(self) -> str:
        """The title its paper prints (versions frozen before titles were kept: the program's)."""
        return str(self.snapshot.get("title", self.program.title))


# The newest frozen version of a program (read on every phone page view): a statement built once.
_LAST = (
    select(ProgramVersion)
    .where(ProgramVersion.program_id == bindparam("program_id"))
    .order_by(ProgramVersion.number.desc())
    .limit(1)
)


class Frozen(NamedTuple):
    """A frozen version as the builder reads it: a row, not a loaded ProgramVersion."""

    number: int
    created_at: datetime  # when it was given (aware, UTC)
    snapshot: dict[str, Any]


# A program's frozen versions newest first, the newest alone, and those older than a number (the
# builder's adherence reads them on each view): statements built once.
_NEWEST_FIRST = (
    select(ProgramVersion.number, ProgramVersion.created_at, ProgramVersion.snapshot)
    .where(ProgramVersion.program_id == bindparam("program_id"))
    .order_by(ProgramVersion.number.desc())
)
_NEWEST = _NEWEST_FIRST.limit(1)
_OLDER = _NEWEST_FIRST.where(ProgramVersion.number < bindparam("below"))


def last_frozen(session: Session, program_id: int) -> Frozen | None:
    """The program's newest frozen version (the last one given) as a row; None when none was given."""
    row = session.execute(_NEWEST, {"program_id": program_id}).first()
    return Frozen(*row) if row is not None else None


def _newest_first(session: Session, program_id: int, newest: Frozen | None | Unread) -> Iterator[Frozen]:
    """The program's frozen versions, newest first; the newest is `newest` when already read (the
    older ones are read only when asked for)."""
    if newest is UNREAD:
        rows = session.execute(_NEWEST_FIRST, {"program_id": program_id})
    elif newest is None:
        return
    else:
        yield newest
        if newest.number <= 1:  # numbers start at 1: none is older
            return
        rows = session.execute(_OLDER, {"program_id": program_id, "below": newest.number})
    for row in rows:
        yield Frozen(*row)


def last_version(session: Session, program: Program) -> ProgramVersion | None:
    """The program's newest frozen version (the last one given); None when none was given."""
    return session.scalars(_LAST, {"program_id": program.id}).first()


def given_version(session: Session, program: Program) -> Given | None:
    """What the patient holds of `program`: its last given version; None when it was never given."""
    version = last_version(session, program)
    if version is None:
        return None
    return from_version(session, program, version)


def _own_items(program: Program, directions: list[Direction] | None = None) -> list[GivenItem]:
    """The program's own items as GivenItems (a program never given): its directions under the
    pattern as it is now. `directions`: program_directions(program), when the caller has them."""
    directions = program_directions(program) if directions is None else directions
    held = {f.item.id for f in unchecked_items(program)}
    twins = twice(item.exercise_id for item in program.items)
    copy = copies(item.exercise_id for item in program.items)
    return [
        GivenItem(
            n,
            item.exercise,
            dict(item.dosage),
            item.note,
            direction,
            CHECK_FIRST if item.id in held else "",
            twin=item.exercise_id in twins,
            copy=copy[n - 1],
        )
        for n, (item, direction) in enumerate(zip(program.items, directions, strict=True), start=1)
    ]


def tickable(session: Session, program: Program) -> list[tuple[TickKey, dict[str, Any]]]:
    """((exercise id, copy), dosage) of each exercise the patient may tick (copy: patterns.copies,
    so each copy of an exercise given for each side is ticked on its own): the last given version's,
    else (never given) the program's own. An exercise removed since the version was given stays
    tickable until the next version is given; one added since is not tickable until then."""
    version = last_version(session, program)
    if version is None:
        ids = [item.exercise_id for item in program.items]
        return [((i, c), item.dosage) for i, c, item in zip(ids, copies(ids), program.items, strict=True)]
    rows = version.snapshot.get("items", [])
    slugs = {row["exercise"] for row in rows if row.get("exercise_id") is None}
    by_slug = (
        dict(session.execute(select(Exercise.slug, Exercise.id).where(Exercise.slug.in_(slugs))).all()) if slugs else {}
    )
    named = [(row.get("exercise_id") or by_slug.get(row["exercise"]), row["dosage"]) for row in rows]
    found: list[tuple[int, dict[str, Any]]] = [(i, dosage) for i, dosage in named if i is not None]
    copy = copies(exercise_id for exercise_id, _ in found)
    return [((exercise_id, c), dosage) for (exercise_id, dosage), c in zip(found, copy, strict=True)]


def in_force(
    session: Session,
    program: Program,
    since: date,
    directions: list[Direction] | None = None,
    newest: Frozen | None | Unread = UNREAD,
    newest_items: list[GivenItem] | None = None,
) -> list[tuple[date, list[GivenItem]]]:
    """The versions the patient followed from `since` on, oldest first: (the clinic's day it was
    given, its items). The one given before `since` comes first (in force from then); the first
    one given holds for the days before it too. A program never given: its own items, from
    date.min. `directions`: program_directions(program) when the caller has them (for a program
    never given, and for a version the program has not changed since). `newest`: last_frozen's
    answer, when the caller has read it (the builder), and `newest_items` its from_version items
    with these `directions`, when read too (paper_state.paper_state)."""
    found: list[tuple[date, list[GivenItem]]] = []
    zone = clinic_zone(session, program.clinic_id)
    for version in _newest_first(session, program.id, newest):
        day = version.created_at.astimezone(zone).date()
        if newest_items is not None and version is newest:
            found.append((day, newest_items))
        else:
            found.append((day, from_version(session, program, version, directions).items))
        if day <= since:
            break
    if not found:
        return [(date.min, _own_items(program, directions))]
    found.reverse()
    return [(date.min, found[0][1]), *found[1:]]


def from_version(
    session: Session, program: Program, version: ProgramVersion | Frozen, directions: list[Direction] | None = None
) -> Given:
    """The Given of one frozen version of `program` (the fallbacks for older snapshots: the module's
    docstring), each item's `wait` decided under the patient's pattern as it is now (`moved_since`).
    `directions`: program_directions(program), when the caller has them (the builder)."""
    frozen = version.snapshot
    rows = frozen.get("items", [])
    then = _Lazy(lambda: _pattern_data(pattern_on(program.patient, version.created_at.date())))
    now = _Lazy(lambda: _pattern_data(current_pattern(program.patient)))
    # Per row: its exercise, held for the therapist's check, why it waits with its side unnamed
    # now ("" when named: Direction.waiting_words), and its direction as a handout made now would
    # print it (None: worked out from the row by `moved_since`).
    found: list[tuple[Exercise | None, bool, str, Direction | None]]
    if program.issued and program.version == version.number and len(program.items) == len(rows):
        # Not changed since given: the program's items are the version's, in order (their
        # exercises read with them), and the live check is this version's (a share may check it
        # after it was given); a side the program cannot name now (saved by an earlier release,
        # to confirm: direction.py rule 6) waits too.
        directions = program_directions(program) if directions is None else directions
        held_now = {f.item.id for f in unchecked_items(program, directions)}
        found = [
            (i.exercise, i.id in held_now, d.waiting_words if d.unset else "", d)
            for i, d in zip(program.items, directions, strict=True)
        ]
    else:  # changed since: the exercises by the snapshot's ids (or slugs), the check as when given
        exercises = _exercises(session, rows)
        checked_now = _Lazy(lambda: {f.item.exercise_id for f in unchecked_items(program)})
        found = []
        for row in rows:
            exercise = exercises.get(row.get("exercise_id")) or exercises.get(row["exercise"])
            # Frozen before "held" was kept: as the program's check stands now.
            held = bool(row["held"]) if "held" in row else exercise is not None and exercise.id in checked_now()
            found.append((exercise, held, "", None))
    items = []
    for number, (row, (exercise, held, unset, as_now)) in enumerate(zip(rows, found, strict=True), start=1):
        if exercise is None:  # never happens with exercises kept forever; nothing is shown that cannot be drawn
            continue
        drawn_then = _drawn_on(row, exercise, then)  # resolved once, for the picture and the flags alike
        direction = _direction(row, drawn_then, exercise_spec(exercise))
        why, moved_to = (
            (NO_SIDE_NOW, as_now) if unset else moved_since(row, exercise, direction, drawn_then, now(), as_now)
        )
        # Held when it was given: never started, so the patient waits for the check; else moved
        # since: they have been doing it, so they stop it until the new sheet.
        never_started = held and bool(row.get("held"))
        wait = CHECK_FIRST if never_started else _wait_words(why, moved_to) or (CHECK_FIRST if held else "")
        if (
            unset and as_now is not None and as_now.to_confirm
        ):  # a side an earlier release saved: the therapist confirms it
            wait = unset
        note = row.get("note") or ""
        written = _written(row, exercise)
        items.append(
            GivenItem(
                number,
                exercise,
                dict(row["dosage"]),
                note,
                direction,
                wait,
                written,
                why,
                moved_to if why else None,
                int(row.get("ticked_before", 0)),
            )
        )
    twins = twice(item.exercise_id for item in items)
    if twins:
        copy = copies(item.exercise_id for item in items)
        items = [replace(item, twin=item.exercise_id in twins, copy=c) for item, c in zip(items, copy, strict=True)]
    return Given(program, version.number, frozen, items, version.created_at)


def moved_since(
    row: dict[str, Any],
    exercise: Exercise,
    direction: Direction,
    drawn_then: Callable[[], Direction],
    pattern: PatternData | None,
    now: Direction | None = None,
) -> tuple[str, Direction]:
    """Why a given exercise moved since it was given ("" when it did not), with its direction as
    a handout made now would give it: the paper's way is kept, but a re-evaluation since may make
    it wrong, and only the therapist gives another (the phone holds it back: GivenItem.wait).

    `direction` is the paper's (the row's side, sentence and picture); `drawn_then` gives its side
    resolved under the pattern of the day it was given (_drawn_on: what an older snapshot did not
    keep is read there); `now` the item's direction
    as a handout made now would print it under `pattern` (the program's own, when it has not
    changed since given), else worked out from the row: the paper's side where the therapist chose
    it, the pattern's where it followed the pattern.

    NO_SIDE_NOW: its side followed the pattern, and the pattern now gives none (the pull, the hand
    or the trick is no longer recorded). Else a reason of paper_differs:
    - the pattern now sets it otherwise than the paper: another side (a turn, a tilt, a shoulder,
      a hand, arm or leg, the trick's cheek), other words, or another picture (a symmetric
      exercise's start drawn off to the side of the pull, or in the posture of a pull forward or
      back): the patient would copy a movement toward the new pull. A release that redraws a
      picture moves it too, as the builder then says the paper differs (paper_state.phone_version);
    - under the pattern now, its side as given is flagged (contraindicated, toward the pull: a
      flexion exercise once a pull forward is recorded) in a way it was not when given, so the
      therapist did not check it: a pull that turned to the other side makes "away" on the paper
      "toward" now."""
    spec = exercise_spec(exercise)
    if now is None:
        now = resolve(spec, "" if direction.source == "pattern" else direction.side, pattern)
    if direction.source == "pattern" and now.unset:
        return NO_SIDE_NOW, now
    # The paper as printed, with what older snapshots did not keep worked out (_direction; flags:
    # as the pattern of the day it was given flagged it).
    paper = as_row(direction)
    paper["flags"] = row["flags"] if "flags" in row else list(drawn_then().flags)
    return paper_differs(paper, now), now


def _wait_words(why: str, now: Direction | None) -> str:
    """What the patient reads instead of an exercise that moved for the reason `why` ("": none):
    to stop it until the new sheet (they were doing it as the paper says), whatever moved it."""
    return STOP_FOR_NEW_SHEET if why else ""


def moved_words(item: GivenItem) -> str:
    """Why the phone holds back `item` (GivenItem.why_moved) in plain words for the therapist, as
    the builder's "paper differs" box says it (difference_words). "" when it did not move."""
    if not item.why_moved or item.moved_to is None:
        return ""
    return difference_words(item.why_moved, as_row(item.direction), as_row(item.moved_to))


class _Lazy:
    """A value worked out the first time it is asked for (the patterns, when an item needs them)."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make, self._made, self._value = make, False, None

    def __call__(self) -> Any:
        if not self._made:
            self._value, self._made = self._make(), True
        return self._value


def _pattern_data(row: DystoniaPattern | None) -> PatternData | None:
    return row.data if row is not None else None


def _exercises(session: Session, rows: list[dict[str, Any]]) -> dict[Any, Exercise]:
    """The exercises of the snapshot's items, by id and by slug (older snapshots name only the slug)."""
    ids = {row["exercise_id"] for row in rows if row.get("exercise_id") is not None}
    slugs = {row["exercise"] for row in rows if row.get("exercise_id") is None}
    found: dict[Any, Exercise] = {}
    if ids or slugs:  # one statement for them all
        for exercise in session.scalars(select(Exercise).where(or_(Exercise.id.in_(ids), Exercise.slug.in_(slugs)))):
            found[exercise.id] = found[exercise.slug] = exercise
    return found


def _written(row: dict[str, Any], exercise: Exercise) -> Written | None:
    """The words the paper printed for a clinic's own exercise (None for a catalog exercise): the
    snapshot's "text", else (frozen before it was kept) the paper's name with the rest as now."""
    if is_shared_row(exercise):
        return None
    text = row.get("text")
    if text is None:
        text = {"name": row.get("name") or exercise.name, "summary": exercise.summary or ""}
        text |= {"steps": exercise.steps, "tips": exercise.tips or [], "cautions": exercise.cautions}
    return Written(
        text["name"],
        text.get("summary") or "",
        tuple(text.get("steps") or ()),
        tuple(text.get("tips") or ()),
        tuple(text.get("cautions") or ()),
        cast(int, exercise.clinic_id),  # a clinic's own: is_shared_row said so
    )


def _drawn_on(row: dict[str, Any], exercise: Exercise, then: _Lazy) -> _Lazy:
    """The snapshot item's side resolved under the pattern of the day it was given (`then`), worked
    out only when asked for: what an older snapshot did not keep (the picture, the flags) is read
    from it, once per item."""
    return _Lazy(lambda: resolve(exercise_spec(exercise), row.get("side") or "", then()))


def _direction(row: dict[str, Any], drawn_then: Callable[[], Direction], spec: ExerciseSpec) -> Direction:
    """The item's Direction as the paper printed it: its side and sentence from the snapshot; the
    picture's mirroring and start from the snapshot, else from that side as it was drawn on the day
    it was given (`drawn_then`: _drawn_on); whether a side is said at all from the exercise's
    `spec` (ExerciseSpec.says_side), as every paper reads it now."""
    side = row.get("side") or ""
    drawn = None if "mirrored" in row and "start_posture" in row else drawn_then()
    return Direction(
        side=side,
        sentence=row.get("direction") or "",
        mirrored=bool(row["mirrored"]) if drawn is None else drawn.mirrored,
        source=row.get("source", "therapist" if side else ""),
        pattern_side="",
        sided=bool(row.get("sided")),
        start_posture=row["start_posture"] if drawn is None else drawn.start_posture,
        says_side=spec.says_side,
    )
