"""preferred name: what the phone page and the patient's emails call the patient

The previous release greeted a patient by the first word of the name: "María José Fernández" was
"Hola, María", and a name written family name first ("Nagy Ilona", "Wang Xiaoming") was greeted
by the family name. The therapist can now record the name the patient goes by.

Every row is carried: a plain ADD COLUMN with a server default of "" (none recorded). No preferred
name is guessed from the name (its first word was wrong for exactly the patients above): until a
therapist records one, the phone page says only "Hello" and the emails use the whole name.

Revision ID: 0022_preferred_name
Revises: 0021_sensory_trick
"""

import sqlalchemy as sa
from alembic import op

revision = "0022_preferred_name"
down_revision = "0021_sensory_trick"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("patients", sa.Column("preferred_name", sa.String(length=120), nullable=False, server_default=""))


def downgrade() -> None:
    op.drop_column("patients", "preferred_name")
