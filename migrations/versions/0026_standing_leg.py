"""standing leg: "Stand on one leg with a chair" keeps the side the therapist chose

Trial 13 recorded a left-leg dystonia and added the one-leg stand: the side meant the foot lifted,
so the balance work went to the other leg. Since this release the side names the leg stood on
(the leg trained, as for every one-sided limb exercise). A side a therapist saved before meant the
foot lifted, so it is turned over here: a saved "left" (lift the left foot, stand on the right leg)
becomes "right" (stand on the right leg, lift the left foot), the same instruction. "both" and ""
mean what they meant.

The paper given before says it in the old words ("Lift your left foot. Stand on your right
leg."), so the phone page holds it back until the next print, as for any sentence that changed
(services/given.py). Every active program that has such an item and a given version is marked
as of today (`paper_moved_on`), so the dashboard lists it under "Handouts to print again"; an item
whose side follows the pattern is caught by the builder and the phone page, as migration 0024 says.
Every row is carried.

Revision ID: 0026_standing_leg
Revises: 0025_version_givings
"""

import sqlalchemy as sa
from alembic import op

revision = "0026_standing_leg"
down_revision = "0025_version_givings"
branch_labels = None
depends_on = None

# The catalog exercise whose side changed meaning (exercises/single-leg-stand-chair.toml).
SLUG = "single-leg-stand-chair"
# Turns a saved left or right of the one-leg stand over.
_TURN_OVER = (
    "UPDATE program_items SET side = CASE side WHEN 'left' THEN 'right' ELSE 'left' END "
    "WHERE exercise_id IN (SELECT id FROM exercises WHERE slug = :slug) AND side IN ('left', 'right')"
)


def upgrade() -> None:
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "UPDATE programs SET paper_moved_on = CURRENT_DATE WHERE paper_moved_on IS NULL "
            "AND archived_at IS NULL "
            "AND id IN (SELECT program_id FROM program_items WHERE exercise_id IN "
            "(SELECT id FROM exercises WHERE slug = :slug) AND side IN ('left', 'right')) "
            "AND EXISTS (SELECT 1 FROM program_versions v WHERE v.program_id = programs.id)"
        ),
        {"slug": SLUG},
    )
    bind.execute(
        sa.text(_TURN_OVER),
        {"slug": SLUG},
    )


def downgrade() -> None:
    # Turning the sides over again gives back what was saved; the marks are left (a later print
    # clears them).
    op.get_bind().execute(
        sa.text(_TURN_OVER),
        {"slug": SLUG},
    )
