"""patient name keys by patient: a search for a common word stops at a page

The patient search found its patients through the range of the word on (clinic, key) and sorted
them all by name: 21 ms for "a" at 20,000 patients, reading every key that starts with it. The
index (patient_id, key) tells in one probe whether a patient's name holds a word, so a search that
many names match walks the names in order and stops when the page is full
(services/patients._search). It replaces the index on patient_id alone, which it covers (the
cascade from a deleted patient and the keys written again on a new name).

No row changes: an index only.

Revision ID: 0028_name_keys_by_patient
Revises: 0027_patient_name_keys
"""

from alembic import op

revision = "0028_name_keys_by_patient"
down_revision = "0027_patient_name_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_patient_name_keys_patient_key", "patient_name_keys", ["patient_id", "key"])
    op.drop_index("ix_patient_name_keys_patient_id", table_name="patient_name_keys")


def downgrade() -> None:
    op.create_index("ix_patient_name_keys_patient_id", "patient_name_keys", ["patient_id"])
    op.drop_index("ix_patient_name_keys_patient_key", table_name="patient_name_keys")
