"""patient name keys: the patient search through an index, not a scan of every name

The patient search looked for each typed word anywhere in every name of the clinic
(replace(name_search, ' ', '') LIKE '%word%'): 17 ms at 20,000 patients for a word no one has,
growing with the clinic (trial 15 F7). patient_name_keys holds, for each patient, the stored name
key without its spaces from each character on (at most 20 characters), so a word is in a name
exactly when it starts one of these keys: a range on the index (clinic, key).

Every patient already there gets its keys, made from its name_search as the app makes them
(services/patients.name_keys; the rule is restated here, as a migration must not change when the
code does). Every row is carried.

Revision ID: 0027_patient_name_keys
Revises: 0026_standing_leg
"""

import sqlalchemy as sa
from alembic import op

revision = "0027_patient_name_keys"
down_revision = "0026_standing_leg"
branch_labels = None
depends_on = None

KEY_LENGTH = 20
BATCH = 5000  # patients read and keyed at a time


def keys(name_search: str) -> list[str]:
    joined = name_search.replace(" ", "")
    return [joined[i : i + KEY_LENGTH] for i in range(len(joined))]


def upgrade() -> None:
    op.create_table(
        "patient_name_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), sa.ForeignKey("patients.id", ondelete="CASCADE"), nullable=False),
        sa.Column("clinic_id", sa.Integer(), sa.ForeignKey("clinics.id"), nullable=False),
        sa.Column("key", sa.String(KEY_LENGTH).with_variant(sa.String(KEY_LENGTH, collation="C"), "postgresql"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    bind = op.get_bind()
    table = sa.table(
        "patient_name_keys",
        sa.column("patient_id", sa.Integer),
        sa.column("clinic_id", sa.Integer),
        sa.column("key", sa.String),
    )
    last = 0
    while True:
        patients = bind.execute(
            sa.text("SELECT id, clinic_id, name_search FROM patients WHERE id > :last ORDER BY id LIMIT :size"),
            {"last": last, "size": BATCH},
        ).all()
        if not patients:
            break
        rows = [
            {"patient_id": pid, "clinic_id": clinic_id, "key": key}
            for pid, clinic_id, name_search in patients
            for key in keys(name_search or "")
        ]
        if rows:
            bind.execute(table.insert(), rows)
        last = patients[-1][0]
    op.create_index("ix_patient_name_keys_search", "patient_name_keys", ["clinic_id", "key", "patient_id"])
    op.create_index("ix_patient_name_keys_patient_id", "patient_name_keys", ["patient_id"])


def downgrade() -> None:
    op.drop_index("ix_patient_name_keys_patient_id", table_name="patient_name_keys")
    op.drop_index("ix_patient_name_keys_search", table_name="patient_name_keys")
    op.drop_table("patient_name_keys")
