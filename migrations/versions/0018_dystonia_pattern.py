"""dystonia pattern: the patient's dated patterns; each exercise's relation to a pattern and its stage

Revision ID: 0018_dystonia_pattern
Revises: 0017_layout
"""

from alembic import op
import sqlalchemy as sa
import planner.models.base


revision = "0018_dystonia_pattern"
down_revision = "0017_layout"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing exercises read as symmetric, stage 1, until the next `catalog load` fills them;
    # a clinic's own exercises keep that (the builder then never guesses a direction for them).
    # Plain ADD COLUMN (no table copy: other tables point at these rows), with a default for them.
    op.add_column("exercises", sa.Column("pattern", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
    op.add_column("exercises", sa.Column("stage", sa.Integer(), nullable=False, server_default=sa.text("1")))
    # Exercise logs count how many times the exercise was done that day (the phone page's boxes).
    op.add_column("exercise_logs", sa.Column("times", sa.Integer(), nullable=False, server_default=sa.text("1")))
    op.create_table(
        "dystonia_patterns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=True),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("components", sa.JSON(), nullable=False),
        sa.Column("tremor", sa.String(length=20), nullable=False),
        sa.Column("tremor_severity", sa.Integer(), nullable=False),
        sa.Column("areas", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", planner.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinics.id"], name=op.f("fk_dystonia_patterns_clinic_id_clinics")),
        sa.ForeignKeyConstraint(
            ["evaluation_id"], ["evaluations.id"], name=op.f("fk_dystonia_patterns_evaluation_id_evaluations")
        ),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name=op.f("fk_dystonia_patterns_patient_id_patients")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_dystonia_patterns_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dystonia_patterns")),
    )
    with op.batch_alter_table("dystonia_patterns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dystonia_patterns_clinic_id"), ["clinic_id"], unique=False)
        batch_op.create_index("ix_dystonia_patterns_patient_on", ["patient_id", "recorded_on"], unique=False)


def downgrade() -> None:
    op.drop_table("dystonia_patterns")
    with op.batch_alter_table("exercise_logs", schema=None) as batch_op:
        batch_op.drop_column("times")
    with op.batch_alter_table("exercises", schema=None) as batch_op:
        batch_op.drop_column("stage")
        batch_op.drop_column("pattern")
