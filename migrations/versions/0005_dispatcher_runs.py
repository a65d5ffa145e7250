"""dispatcher runs: the last run of each reminder dispatcher, for /healthz

Revision ID: 0005_dispatcher_runs
Revises: 0001
"""

from alembic import op
import sqlalchemy as sa
import planner.models.base


revision = "0005_dispatcher_runs"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A new table only: every existing row stays as it is.
    op.create_table(
        "dispatcher_runs",
        sa.Column("dispatcher", sa.String(length=120), nullable=False),
        sa.Column("started_at", planner.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", planner.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("dispatcher", name=op.f("pk_dispatcher_runs")),
    )


def downgrade() -> None:
    op.drop_table("dispatcher_runs")
