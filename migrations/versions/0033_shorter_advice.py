"""shorter advice: each built-in advice line takes one line of the handout

The twelve built-in lines of schedule and surroundings advice were 11 to 17 words, most two lines
of a handout; all twelve ticked took most of a page (issue #14). Each is now said in one short
sentence (planner/services/advice.py BUILT_IN, the old ones in RETIRED). Programs and templates
keep the English line they were given, so each old line on a program (programs.advice) and in a
template (program_templates.content["advice"]) is moved to the line that took its place, in its
place in the list; a line that is not an old one (a clinic's own) is kept as it is. A clinic's
own line that now says what a built-in line says word for word is dropped from the clinic's list
(clinic_advice): the builder would offer it twice; the programs that use it keep their copy.

A version already given (program_versions.snapshot) keeps its words: it is what the patient was
handed, and the handout prints the old lines in the patient's language still (RETIRED). A program
whose lines move changes as an edit changes it (program_changes.begin_change): its lock version
goes on, and where its version was given, the next one starts, not given yet, so the next paper
carries a new number (a reprint under the given number would not say what that version froze),
and the Versions page lists the reworded tips.

Downgrading moves programs and templates back to the old lines; a clinic's dropped line is not
made again (the built-in list of the older release says the same, in more words), and a version
started by the upgrade stays started.

Revision ID: 0033_shorter_advice
Revises: 0032_ticks_per_copy
"""

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0033_shorter_advice"
down_revision = "0032_ticks_per_copy"
branch_labels = None
depends_on = None

# Old line -> new line, as written in this release (a migration keeps its own copy: the app's
# list may change again).
SHORTER = {
    "Set your screen straight ahead, at eye level, so you do not turn or tilt your head.": (
        "Set your screen straight ahead, at eye level."
    ),
    "Take a short break every 20 to 30 minutes. Stand up, move, and relax your shoulders.": (
        "Every 20 to 30 minutes, stand up and move."
    ),
    "Do your exercises when you feel rested, for example after a short rest or in the morning.": (
        "Exercise when you feel rested, for example in the morning."
    ),
    "Use a chair with a high back and arm rests. Let it support your head and arms.": (
        "Sit in a chair with a high back and armrests."
    ),
    "Rest lying down on your back for a few minutes when your muscles feel tired or pulled.": (
        "When your muscles feel tired, rest on your back."
    ),
    "Hold the phone with a headset or speaker, not between your ear and shoulder.": (
        "Use a headset or speaker for phone calls."
    ),
    "Put things you use often within easy reach, so you do not twist or stretch far.": (
        "Keep things you use often within easy reach."
    ),
    "Sit so that the person you talk to is in front of you, not to one side.": "Sit facing the person you talk to.",
    "Use a book stand or slanted board for reading and writing.": (
        "Use a book stand or slanted board to read and write."
    ),
    "Wear sunglasses or a hat with a brim in bright light if light makes your eyes close.": (
        "Wear sunglasses or a hat if light makes your eyes close."
    ),
    "Plan hard tasks for the time of day when your symptoms are calmest.": (
        "Plan hard tasks for when your symptoms are calmest."
    ),
    "Stress can make spasms worse. Use your breathing exercise before a hard task.": (
        "Before a hard task, take a few slow breaths."
    ),
}

programs = sa.table(
    "programs",
    sa.column("id", sa.Integer),
    sa.column("advice", sa.JSON),
    sa.column("issued", sa.Boolean),
    sa.column("version", sa.Integer),
    sa.column("version_date", sa.DateTime(timezone=True)),
    sa.column("lock_version", sa.Integer),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
templates = sa.table("program_templates", sa.column("id", sa.Integer), sa.column("content", sa.JSON))
clinic_advice = sa.table("clinic_advice", sa.column("id", sa.Integer), sa.column("text", sa.Text))


def _moved(lines: Any, mapping: dict[str, str]) -> Any:
    """`lines` with each line `mapping` names replaced in its place, a line met twice kept once;
    anything but a list of lines as it is."""
    if not isinstance(lines, list):
        return lines
    moved: list[Any] = []
    for line in lines:
        line = mapping.get(line, line) if isinstance(line, str) else line
        if line not in moved:
            moved.append(line)
    return moved


def _move(mapping: dict[str, str], now: datetime | None = None) -> None:
    """Move the lines `mapping` names on programs and templates; with `now`, each program moved
    changes as an edit changes it (program_changes.begin_change): its lock version on, and where
    its version was given, the next version started (not given yet), dated `now`."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(programs.c.id, programs.c.advice, programs.c.issued, programs.c.version, programs.c.lock_version)
    ).all()
    for row_id, advice, issued, version, lock_version in rows:
        moved = _moved(advice, mapping)
        if moved == advice:
            continue
        values: dict[str, Any] = {"advice": moved}
        if now is not None:
            values.update(lock_version=(lock_version or 0) + 1, updated_at=now)
            if issued:
                values.update(version=version + 1, issued=False, version_date=now)
        connection.execute(programs.update().where(programs.c.id == row_id).values(**values))
    for row_id, content in connection.execute(sa.select(templates.c.id, templates.c.content)).all():
        if isinstance(content, dict) and "advice" in content:
            moved = _moved(content["advice"], mapping)
            if moved != content["advice"]:
                connection.execute(
                    templates.update().where(templates.c.id == row_id).values(content={**content, "advice": moved})
                )


def upgrade() -> None:
    _move(SHORTER, datetime.now(UTC))
    op.execute(clinic_advice.delete().where(clinic_advice.c.text.in_(list(SHORTER.values()))))


def downgrade() -> None:
    _move({new: old for old, new in SHORTER.items()})
