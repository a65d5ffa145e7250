"""Search that ignores case, accents and punctuation; exercises' other names; a pain alert's report.

- patients.name_search and the exercise word index are rewritten folded (planner/search_key.py),
  so "obrien" finds "O'Brien" and "jose" finds "José" in the rows already there;
- exercises.synonyms (other names clinicians use) and exercises.name_key (the folded name, which
  the list sorts on and ranks by; it replaces the name in ix_exercises_listing);
- exercise_words.word compares by code point on PostgreSQL too (COLLATE "C"), so the search's
  prefix range holds in every script whatever the server's locale;
- pain_alerts.day_report_id: the report (with the patient's comment) that raised the alert,
  filled for existing alerts from the patient's report of the alert's day.

Revision ID: 0008_search
Revises: 0007_mail_ascii_domains
"""

from alembic import op
import sqlalchemy as sa

revision = "0008_search"
down_revision = "0007_mail_ascii_domains"
branch_labels = None
depends_on = None

LISTING = ["retired_at", "clinic_id", "category", "position", "difficulty", "name", "facets", "updated_at"]
PATIENT_KEY_MAX = 120
NAME_KEY_MAX = 200


def upgrade() -> None:
    # Plain ALTER TABLE, never a batch copy of exercises: on SQLite a copy drops the old table, and
    # that deletes every exercise word (ON DELETE CASCADE) and fails on the program items pointing
    # at it. So the two server defaults that carried the rows already there stay.
    op.add_column("exercises", sa.Column("synonyms", sa.JSON(), nullable=False, server_default="[]"))
    op.add_column("exercises", sa.Column("name_key", sa.String(length=NAME_KEY_MAX), nullable=False, server_default=""))
    op.drop_index("ix_exercises_listing", table_name="exercises")
    with op.batch_alter_table("pain_alerts", schema=None) as batch_op:  # no table points at pain_alerts
        batch_op.add_column(sa.Column("day_report_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_pain_alerts_day_report_id_day_reports"),
            "day_reports",
            ["day_report_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(batch_op.f("ix_pain_alerts_day_report_id"), ["day_report_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(
            "exercise_words",
            "word",
            type_=sa.String(length=60, collation="C"),
            existing_type=sa.String(length=60),
            existing_nullable=False,
        )
    _refold_rows()
    op.create_index("ix_exercises_listing", "exercises", [c if c != "name" else "name_key" for c in LISTING])


def _refold_rows() -> None:
    """Rewrite every stored search key as the code of this revision folds it."""
    # The app's own folding, so the rows match what the searches look up from now on.
    from planner.catalog import record
    from planner.search_key import name_key

    bind = op.get_bind()
    patients = sa.table("patients", sa.column("id", sa.Integer), sa.column("name", sa.String), sa.column("name_search"))
    for patient_id, name in bind.execute(sa.select(patients.c.id, patients.c.name)).all():
        bind.execute(
            patients.update().where(patients.c.id == patient_id).values(name_search=name_key(name, PATIENT_KEY_MAX))
        )

    read = ["name", "summary", "category", "position", "steps", "regions", "equipment", "conditions", "approaches"]
    exercises = sa.table(
        "exercises",
        sa.column("id", sa.Integer),
        *(sa.column(c, sa.JSON if c not in ("name", "summary", "category", "position") else sa.String) for c in read),
        sa.column("name_key", sa.String),
        sa.column("search_text", sa.Text),
    )
    words = sa.table("exercise_words", sa.column("exercise_id", sa.Integer), sa.column("word", sa.String))
    for row in bind.execute(sa.select(exercises.c.id, *(exercises.c[c] for c in read))).mappings().all():
        data = {c: row[c] for c in read}
        text = record.search_text(data)
        bind.execute(
            exercises.update()
            .where(exercises.c.id == row["id"])
            .values(name_key=name_key(row["name"], NAME_KEY_MAX), search_text=text)
        )
        bind.execute(words.delete().where(words.c.exercise_id == row["id"]))
        wanted = sorted(set(record.words(text)))
        if wanted:
            bind.execute(words.insert(), [{"exercise_id": row["id"], "word": w} for w in wanted])

    bind.execute(
        sa.text(
            "UPDATE pain_alerts SET day_report_id = (SELECT d.id FROM day_reports d "
            "WHERE d.patient_id = pain_alerts.patient_id AND d.day = pain_alerts.day)"
        )
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(
            "exercise_words",
            "word",
            type_=sa.String(length=60),
            existing_type=sa.String(length=60, collation="C"),
            existing_nullable=False,
        )
    with op.batch_alter_table("pain_alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pain_alerts_day_report_id"))
        batch_op.drop_constraint(batch_op.f("fk_pain_alerts_day_report_id_day_reports"), type_="foreignkey")
        batch_op.drop_column("day_report_id")
    op.drop_index("ix_exercises_listing", table_name="exercises")
    op.create_index("ix_exercises_listing", "exercises", LISTING)
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later): again no copy of the exercises table.
    op.drop_column("exercises", "name_key")
    op.drop_column("exercises", "synonyms")
