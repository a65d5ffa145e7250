"""Exercises in the patient's language: exercises.translations (by language, from exercises/translations/).

Revision ID: 0010_language
Revises: 0009_totp_tokens
"""

from alembic import op
import sqlalchemy as sa

revision = "0010_language"
down_revision = "0009_totp_tokens"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE, never a batch copy of exercises: on SQLite a copy drops the old table,
    # which deletes every exercise word (ON DELETE CASCADE). The server default fills the rows
    # already there; the next `catalog load` writes their translations (the row format changed).
    op.add_column("exercises", sa.Column("translations", sa.JSON(), nullable=False, server_default="{}"))


def downgrade() -> None:
    op.drop_column("exercises", "translations")
