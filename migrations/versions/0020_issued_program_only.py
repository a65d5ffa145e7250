"""issued program only: the therapist's check of flagged exercises is kept on the program

A program whose exercises the patient's dystonia pattern flags (contraindicated, or toward the
pull) reaches the patient only once the therapist has confirmed them for the program as it is
(services/patterns.check_key). Print and email asked on the page and kept the answer only in the
audit trail, so the patient's own paths (the phone page, its PDF, a link shared) could not know
it. `checked_key` keeps the key last confirmed; "" (every row carried here) means none yet, so a
flagged exercise of a program given before this release waits on the phone page until the
therapist confirms it once (print, email or share).

A plain ADD COLUMN with a server default: every row is carried.

Revision ID: 0020_issued_program_only
Revises: 0019_review_stored_sides
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_issued_program_only"
down_revision = "0019_review_stored_sides"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("programs", sa.Column("checked_key", sa.String(length=16), nullable=False, server_default=""))


def downgrade() -> None:
    # SQLite has DROP COLUMN since 3.35; no copy of the table.
    op.drop_column("programs", "checked_key")
