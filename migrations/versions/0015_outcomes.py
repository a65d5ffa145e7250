"""Between visits: questionnaires through the private link (plans, questionnaires, named items,
answers) and botulinum toxin injections with their doses. New tables only: every row already
there is left as it is.

Revision ID: 0015_outcomes
Revises: 0012_indexes
"""

from alembic import op
import sqlalchemy as sa
import planner.models.base


revision = "0015_outcomes"
down_revision = "0012_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "injections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("injected_on", sa.Date(), nullable=False),
        sa.Column("product", sa.String(length=80), nullable=False),
        sa.Column("injected_by", sa.String(length=120), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", planner.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", planner.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinics.id"], name=op.f("fk_injections_clinic_id_clinics")),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name=op.f("fk_injections_patient_id_patients")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_injections")),
    )
    op.create_index(op.f("ix_injections_clinic_id"), "injections", ["clinic_id"], unique=False)
    op.create_index(op.f("ix_injections_patient_id"), "injections", ["patient_id"], unique=False)

    op.create_table(
        "outcome_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("parts", sa.JSON(), nullable=False),
        sa.Column("every_days", sa.Integer(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("follow_cycle", sa.Boolean(), nullable=False),
        sa.Column("peak_weeks", sa.Integer(), nullable=False),
        sa.Column("before_weeks", sa.Integer(), nullable=False),
        sa.Column("updated_at", planner.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinics.id"], name=op.f("fk_outcome_plans_clinic_id_clinics")),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name=op.f("fk_outcome_plans_patient_id_patients")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_plans")),
        sa.UniqueConstraint("patient_id", name=op.f("uq_outcome_plans_patient_id")),
    )
    op.create_index(op.f("ix_outcome_plans_clinic_id"), "outcome_plans", ["clinic_id"], unique=False)

    op.create_table(
        "questionnaires",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("parts", sa.JSON(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("created_at", planner.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", planner.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinics.id"], name=op.f("fk_questionnaires_clinic_id_clinics")),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name=op.f("fk_questionnaires_patient_id_patients")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaires")),
        sa.UniqueConstraint("patient_id", "due_on", name="uq_questionnaires_due"),
    )
    op.create_index(op.f("ix_questionnaires_clinic_id"), "questionnaires", ["clinic_id"], unique=False)
    op.create_index(op.f("ix_questionnaires_patient_id"), "questionnaires", ["patient_id"], unique=False)

    op.create_table(
        "injection_doses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("injection_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("muscle", sa.String(length=120), nullable=False),
        sa.Column("left_units", sa.Float(), nullable=True),
        sa.Column("right_units", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["injection_id"],
            ["injections.id"],
            name=op.f("fk_injection_doses_injection_id_injections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_injection_doses")),
    )
    op.create_index(op.f("ix_injection_doses_injection_id"), "injection_doses", ["injection_id"], unique=False)

    op.create_table(
        "outcome_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("created_at", planner.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinics.id"], name=op.f("fk_outcome_items_clinic_id_clinics")),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name=op.f("fk_outcome_items_patient_id_patients")),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"],
            ["questionnaires.id"],
            name=op.f("fk_outcome_items_questionnaire_id_questionnaires"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_items")),
    )
    op.create_index(op.f("ix_outcome_items_clinic_id"), "outcome_items", ["clinic_id"], unique=False)
    op.create_index(op.f("ix_outcome_items_patient_id"), "outcome_items", ["patient_id"], unique=False)
    op.create_index(op.f("ix_outcome_items_questionnaire_id"), "outcome_items", ["questionnaire_id"], unique=False)

    op.create_table(
        "questionnaire_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=40), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("saved_at", planner.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinics.id"], name=op.f("fk_questionnaire_answers_clinic_id_clinics")),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["outcome_items.id"],
            name=op.f("fk_questionnaire_answers_item_id_outcome_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_questionnaire_answers_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"],
            ["questionnaires.id"],
            name=op.f("fk_questionnaire_answers_questionnaire_id_questionnaires"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_answers")),
        sa.UniqueConstraint("questionnaire_id", "question", name="uq_questionnaire_answers_question"),
    )
    op.create_index(op.f("ix_questionnaire_answers_clinic_id"), "questionnaire_answers", ["clinic_id"], unique=False)
    op.create_index(op.f("ix_questionnaire_answers_patient_id"), "questionnaire_answers", ["patient_id"], unique=False)
    op.create_index(
        op.f("ix_questionnaire_answers_questionnaire_id"), "questionnaire_answers", ["questionnaire_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_questionnaire_answers_questionnaire_id"), table_name="questionnaire_answers")
    op.drop_index(op.f("ix_questionnaire_answers_patient_id"), table_name="questionnaire_answers")
    op.drop_index(op.f("ix_questionnaire_answers_clinic_id"), table_name="questionnaire_answers")

    op.drop_table("questionnaire_answers")
    op.drop_index(op.f("ix_outcome_items_questionnaire_id"), table_name="outcome_items")
    op.drop_index(op.f("ix_outcome_items_patient_id"), table_name="outcome_items")
    op.drop_index(op.f("ix_outcome_items_clinic_id"), table_name="outcome_items")

    op.drop_table("outcome_items")
    op.drop_index(op.f("ix_injection_doses_injection_id"), table_name="injection_doses")

    op.drop_table("injection_doses")
    op.drop_index(op.f("ix_questionnaires_patient_id"), table_name="questionnaires")
    op.drop_index(op.f("ix_questionnaires_clinic_id"), table_name="questionnaires")

    op.drop_table("questionnaires")
    op.drop_index(op.f("ix_outcome_plans_clinic_id"), table_name="outcome_plans")

    op.drop_table("outcome_plans")
    op.drop_index(op.f("ix_injections_patient_id"), table_name="injections")
    op.drop_index(op.f("ix_injections_clinic_id"), table_name="injections")

    op.drop_table("injections")
