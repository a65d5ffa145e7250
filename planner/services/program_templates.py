"""Program templates: shipped as data files (exercises/templates/), or saved by a clinic, and a
program started from one (how each item fits the patient's pattern: template_fit.py)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.bidi import isolate
from planner.config import ROOT
from planner.counted import counted
from planner.dystonia.direction import untargeted
from planner.dystonia.pattern import COMPONENTS, TRICK_PLACES
from planner.models import Exercise, Patient, Program, ProgramItem, ProgramTemplate
from planner.schedule import frequency_stated
from planner.scoping import get_scoped, is_shared, shared, visible, visible_to
from planner.services import DomainError, NotFound, patterns, program_items, programs
from planner.services.calendar_window import Window
from planner.services.program_items import ITEMS_MAX
from planner.services.programs import ProgramDetails, create_program
from planner.services.reminders import Schedule
from planner.services.template_fit import fit_template, goals_for, jaw_note, template_side, tremor_note

SHIPPED = ROOT / "exercises" / "templates"
# What a template item's `when` (and a `goals_when` key) may name: a pattern component, or a head tremor.
WHEN = (*COMPONENTS, "tremor")
# What a template item's `trick` may list: where a recorded sensory trick touches, "" for none recorded.
TRICK_FOR = ("", *TRICK_PLACES)
CONTENT_KEYS = ("title", "goals", "frequency", "visit_plan", "reeval_interval_days", "advice", "advice_text")


@dataclass(frozen=True)
class StartReport:
    program: Program
    skipped: list[str]  # names or ids of exercises that are retired or missing
    # Left out because the patient's recorded pattern rules them out: (name, why) pairs.
    left_out: list[tuple[str, str]] = field(default_factory=list)
    # Direction-specific exercises and the sentence the pattern gave them: (name, sentence) pairs.
    directed: list[tuple[str, str]] = field(default_factory=list)
    # Direction-specific exercises whose movement the pattern does not record: their names.
    undirected: list[str] = field(default_factory=list)
    # The template's note on when to exercise, left out as it says how often or how long (a
    # template saved before notes were checked): the dosages say that now.
    note_left_out: str = ""
    # Added because the recorded pattern has the component the template names for them: (name, why).
    added: list[tuple[str, str]] = field(default_factory=list)
    # What the program does, and does not do, about a recorded head tremor ("" without one).
    tremor: str = ""
    # Recorded pulls no catalog exercise is made for (a lateral or sagittal shift), said plainly.
    untargeted: list[str] = field(default_factory=list)
    # Fitting exercises not added, so the program keeps to the advised length: (place, name) pairs,
    # the place an index into the template's items, in its order, to add in one step (add_not_added).
    not_added: list[tuple[int, str]] = field(default_factory=list)
    # Of `left_out`, the work for a pull (or a head tremor) the pattern does not record, or for
    # any pull when none is recorded: name -> that pull's words (pull_words), for left_out_sentences.
    for_pulls: dict[str, str] = field(default_factory=dict)
    pattern_recorded: bool = False
    # Why the template's work against a jaw pull is not added when the jaw pulls both open and
    # shut, and what in the program is safe for both ("" otherwise: jaw_note).
    jaw: str = ""


def list_templates(session: Session, clinic_id: int) -> list[ProgramTemplate]:
    """The shipped templates, then the clinic's own, by name."""
    return list(
        session.scalars(visible(ProgramTemplate, clinic_id).order_by(~is_shared(ProgramTemplate), ProgramTemplate.name))
    )


def get_template(session: Session, clinic_id: int, template_id: int) -> ProgramTemplate:
    """:raise NotFound: for another clinic's template."""
    row = session.scalars(visible(ProgramTemplate, clinic_id).where(ProgramTemplate.id == template_id)).first()
    if row is None:
        raise NotFound("That template")
    return row


def own_template(session: Session, clinic_id: int, template_id: int) -> ProgramTemplate:
    """One of the clinic's own templates.

    :raise NotFound: for a shipped template, another clinic's, or none (the same answer).
    """
    return get_scoped(session, ProgramTemplate, clinic_id, template_id)


def read_template_file(path: Path) -> dict[str, Any]:
    """:raise DomainError: naming the file and what is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise DomainError(f"{path.name}: {e}") from None
    for key in ("name", "title", "items"):
        if not data.get(key):
            raise DomainError(f"{path.name}: {key}: missing")
    for n, item in enumerate(data["items"], start=1):
        if not isinstance(item, dict) or not item.get("exercise"):
            raise DomainError(f"{path.name}: items[{n}]: needs an exercise id")
        if "when" in item and item["when"] not in WHEN:
            raise DomainError(f"{path.name}: items[{n}]: when: {item['when']!r} is not a pattern component or tremor")
        trick = item.get("trick", [])
        if not isinstance(trick, list) or any(place not in TRICK_FOR for place in trick):
            raise DomainError(
                f"{path.name}: items[{n}]: trick: a list of where a sensory trick touches "
                f'({", ".join(TRICK_PLACES)}, or "" for none recorded)'
            )
    goals_when = data.get("goals_when", {})
    if not isinstance(goals_when, dict) or any(k not in WHEN or not str(v).strip() for k, v in goals_when.items()):
        raise DomainError(f"{path.name}: goals_when: a table of pattern components (or tremor), each with a goal")
    if len(data["items"]) > ITEMS_MAX:
        raise DomainError(f"{path.name}: items: {len(data['items'])} exercises, at most {ITEMS_MAX}")
    return data


def load_shipped(session: Session, folder: Path = SHIPPED) -> int:
    """Create or update the shipped templates from their files; returns how many.

    :raise DomainError: for a bad file or an exercise id the catalog does not have.
    """
    known = set(session.scalars(shared(Exercise).with_only_columns(Exercise.slug)))
    count = 0
    for path in sorted(folder.glob("*.toml")):
        data = read_template_file(path)
        missing = [i["exercise"] for i in data["items"] if i["exercise"] not in known]
        if missing:
            raise DomainError(f"{path.name}: items: unknown exercise id {', '.join(missing)}")
        content = {k: data.get(k) for k in CONTENT_KEYS} | {
            "items": [
                {
                    "exercise": i["exercise"],
                    "dosage": i.get("dosage"),
                    "side": i.get("side", ""),
                    "note": i.get("note", ""),
                    "when": i.get("when", ""),
                    "trick": list(i.get("trick", [])),
                }
                for i in data["items"]
            ],
            # A goal per pattern component, added to `goals` when the patient's pattern has it.
            "goals_when": dict(data.get("goals_when", {})),
        }
        slug = f"shipped-{path.stem}"
        row = session.scalars(select(ProgramTemplate).where(ProgramTemplate.slug == slug)).first()
        if row is None:
            row = ProgramTemplate(slug=slug, clinic_id=None)
            session.add(row)
        row.name, row.description, row.content = data["name"], data.get("description", ""), content
        count += 1
    session.flush()
    return count


def save_as_template(session: Session, program: Program, name: str, description: str, now: datetime) -> ProgramTemplate:
    """:raise DomainError: for an empty or too long name."""
    name = " ".join(name.split())
    if not name:
        raise DomainError("Enter a name for the template.", "name")
    if len(name) > 120:
        raise DomainError("The name is too long: at most 120 characters.", "name")
    content = {k: getattr(program, k) for k in CONTENT_KEYS} | {
        "items": [
            {
                "exercise": i.exercise.slug,
                "dosage": dict(i.dosage),
                "side": template_side(patterns.exercise_spec(i.exercise), i.side),
                "note": i.note,
            }
            for i in program.items
        ]
    }
    content["advice"] = list(program.advice)
    template = ProgramTemplate(
        clinic_id=program.clinic_id,
        slug=f"clinic-{program.clinic_id}-{now.timestamp():.6f}",
        name=name,
        description=description.strip(),
        content=content,
        created_at=now,
    )
    session.add(template)
    session.flush()
    return template


def delete_template(session: Session, clinic_id: int, template_id: int) -> None:
    """Delete one of the clinic's own templates; programs made from it keep their exercises.

    :raise NotFound: for a shipped template or another clinic's.
    """
    template = own_template(session, clinic_id, template_id)
    session.delete(template)
    session.flush()


def summary(template: ProgramTemplate, most: int = programs.MAX_EXERCISES) -> str:
    """What a start from the template adds (start_from_template), in a line for the therapist
    choosing one: the exercises every patient gets, one for a recorded sensory trick (of its
    `trick` choices), one for each recorded pull or tremor it has work for (its `when` items), and
    that it keeps to `most` (the site's [programs] max_exercises) when it has more. For example
    "4 exercises for every patient, one for a recorded sensory trick, and one for each pull or
    tremor the recorded dystonia pattern has (up to 6). At most 6 in all: the work for the pattern first"."""
    items = template.content["items"]
    by_pattern = sum(1 for item in items if item.get("when"))
    tricks = sum(1 for item in items if item.get("trick") and not item.get("when"))
    common = len(items) - by_pattern - tricks
    said = counted(common, "exercise", "exercises")
    if by_pattern or tricks:
        said += " for every patient"
        if tricks:
            said += ", one for a recorded sensory trick"
        if by_pattern:
            said += f", and one for each pull or tremor the recorded dystonia pattern has (up to {by_pattern})"
    if len(items) > most:
        said += f". At most {most} in all: the work for the pattern first"
    return said


def start_from_template(
    session: Session,
    template: ProgramTemplate,
    patient: Patient,
    therapist_id: int | None,
    start_date: date,
    now: datetime,
    *,
    window: Window = Window(),
    schedule: Schedule = Schedule(),
    max_exercises: int = programs.MAX_EXERCISES,
) -> StartReport:
    """A new program for the patient with the template's content, fitted to the patient's pattern.
    `window` and `schedule` as for programs.create_program; `max_exercises`: the program-length
    advice (the site's `[programs] max_exercises`, above which the builder warns).

    Retired exercises are left out and named. With a recorded dystonia pattern, an exercise
    the catalog says must not be used for it is left out, with the reason, and so is a
    direction-specific exercise whose movement the pattern does not have; the others follow the
    pattern's side without storing it (planner/dystonia/direction.py). A template item with
    `when` (a pattern component, or "tremor") is added only when the recorded pattern has it,
    and named in `added`: a tilt gets the tilt work, a lifted shoulder the shoulder work, a head
    tremor a supported rest. An item with `trick` (the places of a recorded sensory trick it is
    for) is one of the template's choices of sensory trick exercise: only the one for the
    patient's recorded trick is added (named in `added`), the others are not offered as left out,
    since the patient has one trick exercise either way; with no trick recorded none is added,
    and `left_out` says so once. Of more than `max_exercises` fitting exercises, the first by
    `priority` are added, in the template's order, and the others named in `not_added`.
    `tremor` says what the program does about a recorded head tremor.
    :raise NotFound: when the template is another clinic's.
    """
    if not visible_to(template, patient.clinic_id):
        raise NotFound("That template")
    content = template.content
    note = content.get("frequency") or ""
    note_left_out = note if frequency_stated(note) else ""
    pattern = patterns.patient_pattern(patient)
    details = ProgramDetails(
        title=content["title"],
        start_date=start_date,
        goals=goals_for(content, pattern),
        frequency="" if note_left_out else note,
        visit_plan=content.get("visit_plan") or "",
        reeval_interval_days=content.get("reeval_interval_days"),
        advice=list(content.get("advice") or []),
        advice_text=content.get("advice_text") or "",
    )
    program = create_program(session, patient, details, therapist_id, now, window=window, schedule=schedule)
    fit = fit_template(session, content, patient.clinic_id, pattern)
    skipped, left_out, tricks_passed, fitting = fit.skipped, fit.left_out, fit.tricks_passed, fit.fitting
    directed: list[tuple[str, str]] = []
    undirected: list[str] = []
    added: list[tuple[str, str]] = []
    keep = fit.kept(max_exercises)
    not_added = []
    for _, place, item, said, sentence, unset in fitting:
        if place not in keep:
            not_added.append((place, item.exercise.name))
            continue
        item.position = len(program.items) + 1
        program.items.append(item)
        added += [said] if said else []
        directed += [sentence] if sentence else []
        undirected += [item.exercise.name] if unset else []
    trick_items = [e for e in content["items"] if e.get("trick")]
    if tricks_passed and len(tricks_passed) == len(trick_items):
        # The recorded trick has no exercise among the template's, or none is recorded: said once,
        # not per choice. A trick is the patient's own: teaching one the patient does not use
        # helps little, and a trick found later is recorded on the pattern.
        if pattern is not None and pattern.trick:
            where = TRICK_PLACES[pattern.trick].label.lower()
            why = f"The recorded sensory trick is another one ({where}): add your own exercise for it if needed."
        else:
            why = (
                "No sensory trick is recorded: a trick is the patient's own, and one they do not use "
                "helps little. If the patient has one, record it on the pattern and add its exercise."
            )
        left_out.append((tricks_passed[0], why))
    session.flush()
    return StartReport(
        program,
        skipped,
        left_out,
        directed,
        undirected,
        note_left_out,
        added,
        tremor_note(pattern),
        untargeted(pattern) + patterns.uncovered_pulls(program),
        not_added,
        fit.for_pulls,
        pattern is not None,
        jaw_note(content, pattern, program),
    )


def left_out_sentences(report: StartReport) -> list[str]:
    """What the start left out (StartReport.left_out), for the therapist: one sentence per reason,
    never one line per exercise. The work for pulls the pattern does not record (or for every pull,
    none being recorded) in one sentence, naming the pull of each ("“Neck turn hold” and “Turn
    against your hand”, for a pull of rotation (torticollis); …"); the others grouped by their
    reason ("Left out: “A” and “B”. Not for …"), in the order first met. Names are isolated."""
    pulls: dict[str, list[str]] = {}
    others: dict[str, list[str]] = {}
    for name, why in report.left_out:
        if name in report.for_pulls:
            pulls.setdefault(report.for_pulls[name], []).append(name)
        else:
            others.setdefault(why, []).append(name)
    said = []
    if pulls:
        why = "for pulls the recorded pattern does not have" if report.pattern_recorded else "as no pattern is recorded"
        each = "; ".join(f"{_quoted(names)}, for {what}" for what, names in pulls.items())
        said.append(f"Left out, {why}: {each}.")
    said += [f"Left out: {_quoted(names)}. {why}" for why, names in others.items()]
    return said


def _quoted(names: list[str]) -> str:
    """Names quoted and isolated, joined with commas and a last "and"."""
    quoted = [f"“{isolate(name)}”" for name in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def add_not_added(
    session: Session,
    template: ProgramTemplate,
    program: Program,
    places: list[int],
    lock_version: int | None,
    now: datetime,
    max_exercises: int = programs.MAX_EXERCISES,
) -> list[ProgramItem]:
    """Add, in one change of the program, the template's exercises a start leaves out to keep the
    program short (StartReport.not_added's places: indexes into the template's items), each with
    the template's dosage and note, at the end in the template's order. The pattern decides their
    directions as at the start. Which places those are is worked out again under the patient's
    pattern as recorded now (`max_exercises` as for start_from_template): a place the start would
    add, or would leave out for the pattern (a pattern recorded since the start may rule it out),
    is refused, and nothing is added.

    Returns the items added.
    :raise NotFound: for another clinic's template or program; :raise DomainError: when a place is
        not one of the template's items (or none is given), or not one the start leaves out to keep
        the program short under the pattern recorded now, or program_items.add_item refuses one
        (retired, a full program, one already in it); :raise Conflict: for a stale page.
    """
    if not visible_to(template, program.clinic_id):
        raise NotFound("That template")
    content = template.content
    entries = content["items"]
    if not places or any(not 0 <= place < len(entries) for place in places):
        raise DomainError("Those exercises are not the template's. Reload the page.")
    fit = fit_template(session, content, program.clinic_id, patterns.patient_pattern(program.patient))
    keep = fit.kept(max_exercises)
    left = {place: item for _, place, item, *_ in fit.fitting if place not in keep}
    wrong = [place for place in sorted(set(places)) if place not in left]
    if wrong:
        names = ", ".join(f"“{isolate(fit.names.get(place, entries[place]['exercise']))}”" for place in wrong)
        raise DomainError(
            f"Nothing was added: the template no longer leaves out {names} to keep the program short, "
            "for the pattern recorded now. Add exercises from the catalog instead."
        )
    added: list[ProgramItem] = []
    for place in sorted(set(places)):
        entry, exercise = entries[place], left[place].exercise
        side = template_side(patterns.exercise_spec(exercise), entry.get("side") or "")
        # The first change claims the program (a new version if it was given); the rest follow it.
        lock = lock_version if not added else None
        added.append(
            program_items.add_item(
                session, program, exercise, lock, now, entry.get("dosage") or None, side, entry.get("note") or ""
            )
        )
    return added
