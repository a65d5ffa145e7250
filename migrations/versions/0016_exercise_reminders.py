"""Daily exercise reminders to the patient (opt-in), and a unique key on outbox rows.

Revision ID: 0016_exercise_reminders
Revises: 0015_outcomes
"""

from alembic import op
import sqlalchemy as sa
import planner.models.base


revision = "0016_exercise_reminders"
down_revision = "0015_outcomes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exercise_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("send_time", sa.Time(), nullable=False),
        sa.Column("changed_by", sa.String(length=20), nullable=False),
        sa.Column("changed_by_user_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", planner.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("consent_at", planner.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("consent_by", sa.String(length=20), nullable=False),
        sa.Column("consent_user_id", sa.Integer(), nullable=True),
        sa.Column("handled_on", sa.Date(), nullable=True),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by_user_id"], ["users.id"], name=op.f("fk_exercise_reminders_changed_by_user_id_users")
        ),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinics.id"], name=op.f("fk_exercise_reminders_clinic_id_clinics")),
        sa.ForeignKeyConstraint(
            ["consent_user_id"], ["users.id"], name=op.f("fk_exercise_reminders_consent_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_exercise_reminders_patient_id_patients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercise_reminders")),
        sa.UniqueConstraint("patient_id", name=op.f("uq_exercise_reminders_patient_id")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_exercise_reminders_token_hash")),
    )
    op.create_index(op.f("ix_exercise_reminders_clinic_id"), "exercise_reminders", ["clinic_id"], unique=False)
    # Plain ALTER TABLE, never a batch copy of the outbox: the rows already there keep everything
    # and get no key (NULL), which the unique index allows any number of times.
    op.add_column("outbox", sa.Column("unique_key", sa.String(length=80), nullable=True))
    op.create_index("uq_outbox_unique_key", "outbox", ["unique_key"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_outbox_unique_key", table_name="outbox")
    op.drop_column("outbox", "unique_key")
    op.drop_index(op.f("ix_exercise_reminders_clinic_id"), table_name="exercise_reminders")
    op.drop_table("exercise_reminders")
