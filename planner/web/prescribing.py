"""What a program prescribes, as the pages show it: template globals shared by the builder,
the version page and the phone page, so each says what the handout says.

- prescribed_items(program): each item's direction (planner/dystonia/direction.py) and the words
  the patient reads (the direction's sentence, then the dosage);
- snapshot_item_words(item): the same for an item of a frozen version;
- schedule_sentences(frequencies), how_long_sentences(coverage): how often and how long, from the
  dosages (planner/schedule.py); frequency_stated(note): the words of a stored note that state one
  too (left out of the handout; the builder asks to edit it);
- side_meaning(exercise): what a one-sided limb exercise's side names ("the standing leg");
- handout_refusal(program): why no handout can be made yet (exercises whose direction has no side);
- phone_version(program): the version the patient's paper and phone show when the program now
  differs from it (paper_state.phone_version).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from planner.db import get_session
from planner.dystonia.direction import untargeted
from planner.dystonia.limbs import side_means
from planner.dystonia.movement import avoid_words, describe
from planner.dystonia.stage_words import condition_area, stage_label
from planner.models import Program
from planner.schedule import frequency_stated, how_long_sentences, schedule_sentences, weekdays_words
from planner.services import paper_state, patterns, programs
from planner.services.versions import item_words

bp = Blueprint("prescribing", __name__)
bp.add_app_template_global(patterns.prescribed, "prescribed_items")
bp.add_app_template_global(item_words, "snapshot_item_words")
bp.add_app_template_global(schedule_sentences, "schedule_sentences")
bp.add_app_template_global(how_long_sentences, "how_long_sentences")
bp.add_app_template_global(weekdays_words, "weekdays_words")
bp.add_app_template_global(frequency_stated, "frequency_stated")


bp.add_app_template_global(untargeted, "untargeted_pulls")
bp.add_app_template_global(patterns.uncovered_pulls, "uncovered_pulls")


@bp.app_template_global("phone_version")
def phone_version(program: Program) -> paper_state.OnThePhone | None:
    """paper_state.phone_version for a page that has not read it (the version page's header)."""
    return paper_state.phone_version(get_session(), program)


@bp.app_template_global("handout_refusal")
def handout_refusal(program: Program) -> str:
    """Why no handout can be made of the program yet (exercises without a side), "" when it can."""
    return patterns.unset_message(patterns.unset_items(program))


@bp.app_template_global("exercise_relation")
def exercise_relation(exercise: Any) -> dict[str, Any]:
    """The catalog page's lines about an exercise and dystonia: its relation to a pattern, what
    it must not be used for (with the reason), and its retraining stage."""
    spec = patterns.exercise_spec(exercise)
    avoid = [(avoid_words(a), a.reason) for a in spec.avoid]
    stage = stage_label(exercise.stage or 1, condition_area(exercise.conditions or ()) or "")
    return {"relation": describe(spec), "avoid": avoid, "stage": stage}


@bp.app_template_global("side_meaning")
def side_meaning(exercise: Any) -> str:
    """What a one-sided limb exercise's side names ("the standing leg": limbs.side_means), ""
    for any other exercise: the builder says it beside the side the pattern gives."""
    return side_means(patterns.exercise_spec(exercise))


@bp.app_template_global("active_programs")
def active_programs(patient: Any, but: int | None = None) -> list[programs.ActiveProgram]:
    """The patient's programs not archived, leaving out `but` (programs.active_programs)."""
    return programs.active_programs(get_session(), patient, but)


@bp.app_template_global("phone_program_id")
def phone_program_id(patient: Any) -> int | None:
    """The id of the program the patient's phone page shows (portal.active_program), None for none."""
    from planner.services import portal

    shown = portal.active_program(get_session(), patient)
    return shown.id if shown is not None else None
