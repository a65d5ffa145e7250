"""What the therapist reads after recording a pattern (the pattern page, the re-evaluation) of the papers it moved."""

from __future__ import annotations

from flask import url_for
from markupsafe import Markup

from planner.bidi import isolate
from planner.models import Program


def moved_papers_words(moved: list[Program]) -> Markup:
    """What the therapist reads, after recording a pattern, of each program whose paper it moved
    (pattern_recording.note_moved_papers): the paper now differs, with a link to the builder's "Print the new
    version". Markup: the titles escaped and isolated; empty for none."""
    said = Markup("")
    for program in moved:
        said += Markup(
            ' The paper handout of “{}” now differs from the pattern: <a href="{}">print the new version</a>.'
        ).format(isolate(program.title), url_for("programs.edit", program_id=program.id) + "#paper-differs")
    return said
