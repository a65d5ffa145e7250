"""Whether the paper a patient holds still agrees with the program as it is now: the last version
given against the program, its directions, a clinic's own exercises' words and the next
re-evaluation's date (paper_state, last_given, phone_version, changed_directions, check_up_moved), and the start of a new version when the paper
would read otherwise with no edit of the program (reads_otherwise; issuing.renew_if_paper_changed
starts that version).

The rule that compares one exercise (paper_differs) lives in services/paper_differs.py; this module
applies it to a program. Builder, printing, exports, FHIR and the Versions page read it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy.orm import Session

from planner.dystonia.direction import TOWARD_PULL, Direction
from planner.models import Program
from planner.scoping import is_shared_row
from planner.services import UNREAD, Unread
from planner.services.clinic_time import clinic_zone, local_today
from planner.services.given import Frozen, GivenItem, from_version, last_frozen, moved_words
from planner.services.paper_differs import NEWLY_FLAGGED, paper_differs
from planner.services.patterns import program_directions
from planner.services.portal import active_program
from planner.services.reevaluation import next_reevaluation
from planner.services.versions import snapshot, written


class ChangedDirection(NamedTuple):
    """An exercise whose side differs from the last handout given (changed_directions)."""

    name: str  # the exercise's name
    paper: str  # the side on the paper: "", left, right or both
    now: str  # the side the patient would read now
    chosen: bool  # True: the therapist set `now` (an override); False: the pattern gives it (a re-evaluation)
    toward_pull: bool  # the side now trains toward the recorded pull


class OnThePhone(NamedTuple):
    """The version the patient holds, when the program as it is now differs from it (phone_version)."""

    number: int
    given_on: date  # the clinic's day it was given
    # Among the changes made since, the next re-evaluation's date (moved or taken away), which the
    # phone page's PDF already gives as it is now, and the page too when there is one
    # (check_up_moved): the builder says so, not that the phone shows none of the changes.
    new_date: bool = False


class HeldBack(NamedTuple):
    """An exercise of the version given that the patient's phone page holds back, and why."""

    name: str  # the exercise's name
    why: str  # given.moved_words: what the paper shows against what the pattern now gives


class CheckUpMoved(NamedTuple):
    """The next re-evaluation the paper given prints, and the one set now, when they differ (check_up_moved)."""

    paper: date | None  # "Next re-evaluation" on the paper; None: the paper printed no date
    now: date | None  # next_reevaluation now; None: no date now


def check_up_moved(snapshot: dict, now: date | None) -> CheckUpMoved | None:
    """Whether the next re-evaluation's date has moved since a version was given: its `snapshot`
    (the date it printed, versions.snapshot's "next_reevaluation") against `now`
    (next_reevaluation(program) as it is now: a date set by hand, a re-evaluation recorded, the toxin
    cycle). None when they agree, or the version was frozen before the date was kept. The builder
    says it beside the sides that moved, the phone page and the patient's reminder email say it to
    the patient, and the next handout given freezes a new version (reads_otherwise)."""
    if "next_reevaluation" not in snapshot:
        return None
    printed = snapshot["next_reevaluation"]
    paper = date.fromisoformat(printed) if printed else None
    return None if paper == now else CheckUpMoved(paper, now)


def check_up_since_given(session: Session, program: Program) -> CheckUpMoved | None:
    """check_up_moved for the last version of `program` given to the patient; None when none was."""
    last = last_frozen(session, program.id)
    return None if last is None else check_up_moved(last.snapshot, next_reevaluation(program))


class PaperState(NamedTuple):
    """How the program as it is now stands against the last version given (paper_state)."""

    changed: list[ChangedDirection]  # changed_directions
    on_phone: OnThePhone | None  # phone_version
    last: Frozen | None  # the last version given, as read (adherence reads it too: given.in_force)
    # The exercises of the version given that the pattern recorded since moved (given.GivenItem.moved:
    # the phone holds them back, and the paper is marked to print again), in the version's order.
    held_back: tuple[HeldBack, ...] = ()
    # The items of `last` as given.from_version reads them (held_back's source; adherence counts by
    # them too: given.in_force); None when not read (none given, or an archived program).
    last_items: list[GivenItem] | None = None
    # The next re-evaluation's date on the paper given, when it differs from the date now (check_up_moved).
    check_up: CheckUpMoved | None = None


def paper_state(
    session: Session,
    program: Program,
    directions: list[Direction] | None = None,
    check_up: date | None | Unread = UNREAD,
) -> PaperState:
    """changed_directions and phone_version of `program` from one read of its last given version,
    and what of that version the phone holds back (PaperState.held_back: read from the version by
    given.from_version, the rule the phone page and the moved-paper mark share; none for an
    archived program, which the phone never shows). `directions`: program_directions(program), and
    `check_up`: next_reevaluation(program), when the caller (the builder) has them."""
    directions = program_directions(program) if directions is None else directions
    last = last_frozen(session, program.id)
    on_paper = last.snapshot.get("items", []) if last is not None else None
    changed = _changed(program, on_paper, directions)
    held_back: tuple[HeldBack, ...] = ()
    handed = None
    moved = None
    next_day: date | None = None
    if last is not None and program.archived_at is None:
        handed = from_version(session, program, last, directions).items
        held_back = tuple(HeldBack(item.exercise.name, moved_words(item)) for item in handed if item.moved)
        next_day = next_reevaluation(program) if isinstance(check_up, Unread) else check_up
        moved = check_up_moved(last.snapshot, next_day)
    on_phone = None
    never_given = program.version == 1 and not program.issued  # nothing of it reaches the patient
    if last is not None and _differs(program, last, directions, changed) and not never_given:
        shown = active_program(session, program.patient)
        if shown is not None and shown.id == program.id:  # not archived: `moved` and `next_day` were read
            # The phone gives the date as it is now (check_up_moved; its PDF "We will tell you at
            # your next visit." for a date taken away).
            new_date = moved is not None
            # Saved since it was given with nothing changed but that date (or nothing at all): the
            # phone shows the program as it is, so the builder says nothing of what it does not show.
            if program.issued or not _shown_alike(last.snapshot, snapshot(program, next_day, directions)):
                given_on = local_today(clinic_zone(session, program.clinic_id), last.created_at)
                on_phone = OnThePhone(last.number, given_on, new_date)
    return PaperState(changed, on_phone, last, held_back, handed, moved)


# What a version's frozen copy holds beside what a handout shows: its number and day, the next
# re-evaluation's date (the phone gives it as it is now: check_up_moved) and the interval that
# sets it (no handout or phone page prints it) and, on an item, the times ticked before that
# version was given (day_counts.note_ticked_before).
_NOT_SHOWN = ("version", "version_date", "next_reevaluation", "reeval_interval_days")


def _shown_alike(given: dict, now: dict) -> bool:
    """Whether two snapshots (versions.snapshot) show the patient the same program, the next
    re-evaluation's date apart. A snapshot frozen before a key was kept differs from one made now."""

    def shown(snap: dict) -> dict:
        items = [{k: v for k, v in item.items() if k != "ticked_before"} for item in snap.get("items", [])]
        return {**{k: v for k, v in snap.items() if k not in _NOT_SHOWN}, "items": items}

    return shown(given) == shown(now)


class LastGiven(NamedTuple):
    """The last version of a program given to the patient, and whether the program differs from it (last_given)."""

    number: int
    given_at: datetime  # when it was printed, emailed, shared or exported (aware, UTC)
    # A handout made now would say or show otherwise: an edit not given yet, a direction a
    # re-evaluation moved, a clinic's own exercise edited since (_differs).
    differs: bool


def last_given(session: Session, program: Program, directions: list[Direction] | None = None) -> LastGiven | None:
    """The last version of `program` given to the patient (what their paper, phone page, FHIR's
    active CarePlan and their data export show) and whether the program as it is now differs from
    it; None when no version was given. `directions`: program_directions(program), when known."""
    last = last_frozen(session, program.id)
    if last is None:
        return None
    directions = program_directions(program) if directions is None else directions
    changed = _changed(program, last.snapshot.get("items", []), directions)
    return LastGiven(last.number, last.created_at, _differs(program, last, directions, changed))


def _differs(program: Program, last: Frozen, directions: list[Direction], changed: list[ChangedDirection]) -> bool:
    """Whether a handout made now would differ from the last given version (`last`: its number,
    moment and snapshot): the program changed since (not issued), a direction changed
    (`changed`: _changed), a limb's side or picture (_drawn_otherwise), a clinic's own exercise's
    words (_written_otherwise)."""
    on_paper = last.snapshot.get("items", [])
    return (
        not program.issued
        or bool(changed)
        or _drawn_otherwise(program, on_paper, directions)
        or _written_otherwise(program, on_paper, last.created_at)
    )


def changed_directions(session: Session, program: Program) -> list[ChangedDirection]:
    """The exercises whose direction differs from the last handout given, in order; [] when none
    was given or all agree. A side changes when the patient's pattern changes after the handout
    was given (an item without its own side follows the pattern), or when the therapist sets
    another side on the item (`chosen`)."""
    last = last_frozen(session, program.id)
    return _changed(program, last.snapshot.get("items", []) if last is not None else None, program_directions(program))


def _changed(program: Program, on_paper: list[dict] | None, directions: list[Direction]) -> list[ChangedDirection]:
    """changed_directions against the given version's items (`on_paper`; None: never given)."""
    if on_paper is None:
        return []
    changed = []
    for item, direction in zip(program.items, directions, strict=True):
        paper = next((p for p in on_paper if p.get("exercise") == item.exercise.slug), None)
        # A side to confirm that is held back has not changed: the builder asks about it at the exercise.
        # A limb's side too (a hand dystonia moved to the other hand, the trick to the other cheek).
        sided = direction.sided or direction.one_sided
        if sided and not direction.held and paper is not None and paper.get("side", "") != direction.side:
            toward = direction.side != direction.pattern_side and any(w.kind == TOWARD_PULL for w in direction.warnings)
            chosen = direction.source == "therapist"
            changed.append(ChangedDirection(item.exercise.name, paper.get("side", ""), direction.side, chosen, toward))
    return changed


def phone_version(session: Session, program: Program) -> OnThePhone | None:
    """The version the patient's paper and phone page show (the last given: services/given.py)
    when the program as it is now differs from it: changed since (not issued), directions a
    re-evaluation moved (changed_directions; a limb's side or a picture too, _drawn_otherwise), or
    a clinic's own exercise edited since (_written_otherwise).
    None when they show the program as it is, when it was never given, or when the phone shows
    another program (portal.active_program: a newer one given, or this one archived)."""
    return paper_state(session, program).on_phone


def _drawn_otherwise(program: Program, on_paper: list[dict] | None, directions: list[Direction]) -> bool:
    """Whether a handout made now would say, draw or flag an exercise otherwise than the version
    given (`on_paper`, its items), by the rule the phone page shares (paper_differs.paper_differs): a
    limb's side the pattern gives (rule 9), the sentence (a trick's side: rule 11), a picture
    mirrored to a pull that changed sides (rule 8), or a flag the pattern sets now that it did not
    (a pull forward recorded since, for a chin nod: the phone holds it back until a version is
    given, so giving one must freeze a new version that keeps the therapist's check). A held
    direction is asked about at the exercise, so only a new flag counts for it. Called for a
    program not changed since given, so its items are the version's, in order."""
    if on_paper is None or len(on_paper) != len(program.items):
        return False
    for paper, direction in zip(on_paper, directions, strict=True):
        reason = paper_differs(paper, direction)
        if reason and (not direction.held or reason == NEWLY_FLAGGED):
            return True
    return False


def _written_otherwise(program: Program, on_paper: list[dict] | None, given_at: datetime) -> bool:
    """Whether a clinic's own exercise of the program reads otherwise now than on the version given
    (`on_paper`, its items; `given_at`, when it was given): its name, summary, steps, tips or
    cautions edited since (versions.written). A version frozen before the words were kept: its
    name changed, or the exercise was saved since it was given. Called for a program not changed
    since given, so its items are the version's, in order."""
    if on_paper is None or len(on_paper) != len(program.items):
        return False
    for paper, item in zip(on_paper, program.items, strict=True):
        exercise = item.exercise
        if is_shared_row(exercise):  # the catalog's words: read from the catalog (versions.written)
            continue
        if "text" in paper:
            if paper["text"] != written(exercise):
                return True
        elif paper.get("name") != exercise.name or exercise.updated_at > given_at:
            return True
    return False


def reads_otherwise(session: Session, program: Program, directions: list[Direction] | None = None) -> bool:
    """Whether a handout of `program` made now would read or draw otherwise than its last given
    version, with no edit of the program: a direction a re-evaluation moved (changed_directions), a
    limb's side, sentence, picture or new flag (_drawn_otherwise), a clinic's own exercise edited
    since (_written_otherwise), or the next re-evaluation's date moved (check_up_moved: a
    re-evaluation recorded, the toxin cycle). False when none was given. Reads only
    (issuing.paper_changed). The export reads it only for the programs issuing.renew_changed_papers
    finds in SQL: a new cause here needs its programs found there too."""
    last = last_frozen(session, program.id)
    if last is None:
        return False
    on_paper = last.snapshot.get("items", [])
    directions = program_directions(program) if directions is None else directions
    return bool(
        _changed(program, on_paper, directions)
        or _drawn_otherwise(program, on_paper, directions)
        or _written_otherwise(program, on_paper, last.created_at)
        or check_up_moved(last.snapshot, next_reevaluation(program)) is not None
    )
