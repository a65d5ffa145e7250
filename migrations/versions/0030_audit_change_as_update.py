"""audit change as update: old entries recorded as "change" are found by the log's filter

Until 754fa19 the daily exercise reminders page recorded turning the emails on or off with the
action "change" (detail "exercise reminders on at HH:MM" or "exercise reminders off"), an action
the log's filter never offered: no filter found those entries. The page records "update" since;
every release's code was searched, and no other page ever recorded "change". So every "change"
entry was a change to a patient's reminder setting, and becomes "update", as it is recorded now;
the detail says what changed, as before. Every row is carried; nothing else changes.

Revision ID: 0030_audit_change_as_update
Revises: 0029_audit_by_action
"""

import sqlalchemy as sa
from alembic import op

revision = "0030_audit_change_as_update"
down_revision = "0029_audit_by_action"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(sa.text("UPDATE audit_entries SET action = 'update' WHERE action = 'change'"))


def downgrade() -> None:
    # Which "update" entries were "change" is told by the detail the reminders page wrote.
    op.execute(
        sa.text(
            "UPDATE audit_entries SET action = 'change' WHERE action = 'update' "
            "AND (detail = 'exercise reminders off' OR detail LIKE 'exercise reminders on at %')"
        )
    )
