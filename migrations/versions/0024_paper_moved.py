"""paper moved: the day a recorded pattern made a patient's given paper differ from it

Trial 11 recorded a re-evaluation that moved the pull to the other side. The paper at home then
trained toward the new pull, but only the builder said so: the re-evaluation's message, the
patient's page and the dashboard did not. A program now keeps the date of the pattern that made
its last given version differ (services/given.note_moved_papers, at each recording of a pattern),
cleared when a version is given, so the dashboard finds such programs through an index on
(therapist, archived, that date, id), as it finds due re-evaluations, with no pattern applied
while it is shown (it is measured at 20,000 patients).

Every row is carried: a plain ADD COLUMN, NULL for every program. A paper a pattern recorded
before the upgrade already moved is not marked (the rule that decides it is the application's and
changes with it; a migration keeps the rule of its own release only): the builder still says the
paper differs, the phone still holds those exercises back, and the next pattern recorded for the
patient marks it.

Revision ID: 0024_paper_moved
Revises: 0023_clinic_paper_size
"""

import sqlalchemy as sa
from alembic import op

revision = "0024_paper_moved"
down_revision = "0023_clinic_paper_size"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("programs", sa.Column("paper_moved_on", sa.Date(), nullable=True))
    op.create_index(
        "ix_programs_therapist_moved", "programs", ["therapist_id", "archived_at", "paper_moved_on", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_programs_therapist_moved", table_name="programs")
    # SQLite has DROP COLUMN since 3.35: no copy of the table (a copy's DROP TABLE would take the
    # program's items with it, or fail on their foreign keys).
    op.drop_column("programs", "paper_moved_on")
