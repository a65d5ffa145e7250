"""version givings: every time an issued version went to the patient, not only the first

Trial 13 printed version 1 and then emailed the same version: the Versions page said "print" only,
since a version is frozen once and kept the way it was first given. Each giving (print, email,
share, export) is now a row of its own, so the page lists them all with their dates. What "given"
means elsewhere is unchanged: the version's own `created_at` and `how` stay the first giving.

Every row is carried, and each existing version gets the one giving it recorded (its `how`,
`created_at` and `issued_by_id`); later givings before the upgrade were never stored, so none is
made up.

Revision ID: 0025_version_givings
Revises: 0024_paper_moved
"""

import sqlalchemy as sa
from alembic import op

from planner.models.base import UTCDateTime

revision = "0025_version_givings"
down_revision = "0024_paper_moved"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "version_givings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("how", sa.String(length=20), nullable=False),
        sa.Column("given_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("given_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["version_id"], ["program_versions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["given_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_version_givings_version_id", "version_givings", ["version_id"])
    op.execute(
        "INSERT INTO version_givings (version_id, how, given_at, given_by_id) "
        "SELECT id, how, created_at, issued_by_id FROM program_versions ORDER BY id"
    )


def downgrade() -> None:
    op.drop_index("ix_version_givings_version_id", table_name="version_givings")
    op.drop_table("version_givings")
