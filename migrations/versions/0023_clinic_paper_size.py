"""clinic paper size: the paper a clinic's handouts print on, chosen by its administrator

The previous release printed every handout on the site's `[handouts] page_size`: a server serving
clinics in the United States and in Europe could not give each its own paper, and a therapist trial
had to write a second configuration file to print on A4. A clinic now records its paper size
("letter" or "a4"); none recorded means the site's setting, as before.

Every row is carried: a plain ADD COLUMN, NULL for every clinic (none chosen). The site's value is
not copied in: a migration cannot know which configuration file the server reads, and a copied
value would freeze today's site setting as if each clinic had chosen it, so a later change of the
site's setting would no longer reach them. With NULL, every clinic prints on exactly the paper it
printed on before the upgrade.

Revision ID: 0023_clinic_paper_size
Revises: 0022_preferred_name
"""

import sqlalchemy as sa
from alembic import op

revision = "0023_clinic_paper_size"
down_revision = "0022_preferred_name"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("clinics", sa.Column("paper_size", sa.String(length=10), nullable=True))


def downgrade() -> None:
    op.drop_column("clinics", "paper_size")
