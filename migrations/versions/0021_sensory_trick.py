"""sensory trick: where a patient's sensory trick touches, and its side, recorded on the pattern

Until this release the cheek of a sensory trick was read from the pattern's free-text note ("Sensory
trick: hand on left cheek"), each time a page needed it: the cheek-touch exercise took that cheek.
The pattern now records the trick in two columns, dated with the rest of it: `trick` (where it
touches: chin, cheek, back of the head, …; "" for none recorded) and `trick_side` ("" for the middle
or no side).

Every row is carried: a plain ADD COLUMN with a server default of "" (no trick recorded). A row whose
note names exactly one cheek, in the words the previous release read (English or Spanish), gets that
cheek as its trick, so a cheek-touch exercise names the same cheek on the next handout as on the
last one. Every row of a patient's history is read the same way: each note gave its own date's
cheek. A note naming no cheek, or both, records no trick (as that release decided nothing from it).
The note itself is kept as it was.

Revision ID: 0021_sensory_trick
Revises: 0020_issued_program_only
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_sensory_trick"
down_revision = "0020_issued_program_only"
branch_labels = None
depends_on = None

# The previous release's rule (planner/dystonia/direction.trick_cheek), frozen here: the words a note
# names each cheek by, case and spacing aside.
CHEEK_WORDS = {
    "left": ("left cheek", "mejilla izquierda"),
    "right": ("right cheek", "mejilla derecha"),
}


def cheek_named(note: str | None) -> str:
    """ "left" or "right" when the note names that cheek only; "" otherwise."""
    folded = " ".join((note or "").casefold().split())
    named = [side for side, words in CHEEK_WORDS.items() if any(w in folded for w in words)]
    return named[0] if len(named) == 1 else ""


def upgrade() -> None:
    op.add_column("dystonia_patterns", sa.Column("trick", sa.String(length=20), nullable=False, server_default=""))
    op.add_column("dystonia_patterns", sa.Column("trick_side", sa.String(length=10), nullable=False, server_default=""))
    patterns = sa.table(
        "dystonia_patterns",
        sa.column("id", sa.Integer),
        sa.column("note", sa.Text),
        sa.column("trick", sa.String),
        sa.column("trick_side", sa.String),
    )
    connection = op.get_bind()
    named = [(row.id, cheek_named(row.note)) for row in connection.execute(sa.select(patterns.c.id, patterns.c.note))]
    for side in ("left", "right"):
        ids = [row_id for row_id, cheek in named if cheek == side]
        for start in range(0, len(ids), 500):  # well under any database's limit of bound values
            chunk = ids[start : start + 500]
            connection.execute(patterns.update().where(patterns.c.id.in_(chunk)).values(trick="cheek", trick_side=side))


def downgrade() -> None:
    # SQLite has DROP COLUMN since 3.35; no copy of the table.
    op.drop_column("dystonia_patterns", "trick_side")
    op.drop_column("dystonia_patterns", "trick")
