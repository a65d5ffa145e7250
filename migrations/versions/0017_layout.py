"""Programs choose their handout's layout: several exercises a page (compact), or one a page

A plain ADD COLUMN with a server default, so every program already saved gets the compact
layout and keeps its rows. No batch mode: SQLite's batch copy of a table with children
(program items, versions) could delete those children through their ON DELETE CASCADE.

Revision ID: 0017_layout
Revises: 0016_exercise_reminders
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_layout"
down_revision = "0016_exercise_reminders"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("programs", sa.Column("handout_layout", sa.String(10), nullable=False, server_default="compact"))


def downgrade() -> None:
    # SQLite has DROP COLUMN since 3.35; no copy of the table, so its children stay.
    op.drop_column("programs", "handout_layout")
