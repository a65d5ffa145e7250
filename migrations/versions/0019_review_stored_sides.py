"""review stored sides: a side saved by an earlier release waits for the therapist to confirm it

Before this release, adding an exercise (and replacing it, starting a template, printing and the
"Set directions" button) stored the side the patient's pattern gave on the item, exactly as if
the therapist had chosen it; the edit form also offered that same side as a choice of its own,
and the audit trail noted "dosage of …" for any save, never the side. So a stored side is the
pattern's of some date or the therapist's, and nothing in the database tells which. Clearing the
ones equal to today's pattern could undo a therapist's deliberate choice; keeping them all would
leave the others training toward the pull after a re-evaluation. Every stored side is therefore
marked to confirm. The app reads the mark only for direction-specific exercises (the pattern
never set a limb's left or right): the builder asks the therapist to keep the side or let the
pattern decide, and where the saved side differs from what the pattern gives now (it may train
toward the pull) the item is held back (no handout, the phone page says to wait) until then.

A plain ADD COLUMN with a server default, then one UPDATE: every row is carried (no batch copy of
a table whose parent cascades).

Revision ID: 0019_review_stored_sides
Revises: 0018_dystonia_pattern
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_review_stored_sides"
down_revision = "0018_dystonia_pattern"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "program_items", sa.Column("side_to_confirm", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    items = sa.table("program_items", sa.column("side", sa.String), sa.column("side_to_confirm", sa.Boolean))
    op.execute(items.update().where(items.c.side != "").values(side_to_confirm=True))


def downgrade() -> None:
    # SQLite has DROP COLUMN since 3.35; no copy of the table.
    op.drop_column("program_items", "side_to_confirm")
