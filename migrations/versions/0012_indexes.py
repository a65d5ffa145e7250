"""Pages flat in caseload: the stored next re-evaluation date, and the indexes lists read

Revision ID: 0012_indexes
Revises: 0010_language
Create Date: 2026-11-30

- programs.reeval_due_on: the next re-evaluation date, filled here for every program already
  there by the rule of services/programs.next_reevaluation at this revision (the date set by
  hand, else the later of the start and the latest evaluation plus the interval; none past
  9999-12-31);
- calendar_feeds.content_hash and changed_at: the feed's ETag and Last-Modified;
- indexes: a therapist's programs by next date, the patient list by name, the audit log by
  patient and by user, a therapist's failed emails, a clinic's unseen pain alerts.
"""

from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

import planner.models.base

revision = "0012_indexes"
down_revision = "0010_language"
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade() -> None:
    with op.batch_alter_table("programs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reeval_due_on", sa.Date(), nullable=True))
    _fill_due_dates()
    with op.batch_alter_table("programs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_programs_therapist_due", ["therapist_id", "archived_at", "reeval_due_on", "id"], unique=False
        )
    with op.batch_alter_table("calendar_feeds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content_hash", sa.String(length=64), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("changed_at", planner.models.base.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.create_index("ix_patients_list", ["clinic_id", "name_search", "id", "archived_at"], unique=False)
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index("ix_audit_patient_at", ["clinic_id", "patient_id", "at"], unique=False)
        batch_op.create_index("ix_audit_user_at", ["clinic_id", "user_id", "at"], unique=False)
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_user_status", ["user_id", "status"], unique=False)
    with op.batch_alter_table("pain_alerts", schema=None) as batch_op:
        batch_op.create_index("ix_pain_alerts_open", ["clinic_id", "seen", "created_at", "id"], unique=False)


def _due(on: date | None, interval: int | None, start: date, latest: date | None) -> date | None:
    if on is not None:
        return on
    if not interval:
        return None
    try:
        return max(latest or start, start) + timedelta(days=interval)
    except OverflowError:
        return None


def _fill_due_dates() -> None:
    connection = op.get_bind()
    programs = sa.table(
        "programs",
        sa.column("id", sa.Integer),
        sa.column("reeval_date", sa.Date),
        sa.column("reeval_interval_days", sa.Integer),
        sa.column("start_date", sa.Date),
        sa.column("reeval_due_on", sa.Date),
    )
    evaluations = sa.table("evaluations", sa.column("program_id", sa.Integer), sa.column("evaluated_on", sa.Date))
    latest = (
        sa.select(evaluations.c.program_id, sa.func.max(evaluations.c.evaluated_on).label("latest"))
        .group_by(evaluations.c.program_id)
        .subquery()
    )
    rows = connection.execute(
        sa.select(
            programs.c.id,
            programs.c.reeval_date,
            programs.c.reeval_interval_days,
            programs.c.start_date,
            sa.type_coerce(latest.c.latest, sa.Date),
        ).outerjoin(latest, latest.c.program_id == programs.c.id)
    ).all()
    update = sa.update(programs).where(programs.c.id == sa.bindparam("pid")).values(reeval_due_on=sa.bindparam("due"))
    values = [{"pid": row[0], "due": _due(*row[1:])} for row in rows]
    values = [v for v in values if v["due"] is not None]
    for start in range(0, len(values), BATCH):
        connection.execute(update, values[start : start + BATCH])


def downgrade() -> None:
    with op.batch_alter_table("pain_alerts", schema=None) as batch_op:
        batch_op.drop_index("ix_pain_alerts_open")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_user_status")
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_user_at")
        batch_op.drop_index("ix_audit_patient_at")
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.drop_index("ix_patients_list")
    with op.batch_alter_table("calendar_feeds", schema=None) as batch_op:
        batch_op.drop_column("changed_at")
        batch_op.drop_column("content_hash")
    with op.batch_alter_table("programs", schema=None) as batch_op:
        batch_op.drop_index("ix_programs_therapist_due")
        batch_op.drop_column("reeval_due_on")
