"""ticks per copy: an exercise given twice (once for each side) is ticked for each copy

An exercise a program holds twice, once for the left and once for the right ("Separate the fingers
(left hand)", "(right hand)"), kept one set of ticks: exercise_logs was keyed by program, exercise
and day, so ticking the left card showed on the right card too, and the day's count and the
therapist's adherence counted the pair once. A tick now names its copy too: "copy" is 0 for the
first (or only) item of that exercise in the program's order, 1 for the second, and the unique key
becomes (program, exercise, copy, day).

Every old row is carried with copy 0: it was the one tick the page had for the exercise, and the
first copy is the one an only copy always was. No row is split or guessed onto the second copy: no
one can tell which card the patient meant. Downgrading keeps the first copies' rows and drops the
second copies' (the old key holds one row per exercise and day).

Revision ID: 0032_ticks_per_copy
Revises: 0031_mail_failures_in_words
"""

import sqlalchemy as sa
from alembic import op

revision = "0032_ticks_per_copy"
down_revision = "0031_mail_failures_in_words"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("exercise_logs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("copy", sa.Integer(), nullable=False, server_default="0"))
        batch_op.drop_constraint("uq_exercise_logs_day", type_="unique")
        batch_op.create_unique_constraint("uq_exercise_logs_day", ["program_id", "exercise_id", "copy", "day"])


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM exercise_logs WHERE copy <> 0"))
    with op.batch_alter_table("exercise_logs", schema=None) as batch_op:
        batch_op.drop_constraint("uq_exercise_logs_day", type_="unique")
        batch_op.create_unique_constraint("uq_exercise_logs_day", ["program_id", "exercise_id", "day"])
        batch_op.drop_column("copy")
