"""Account emails with a domain outside ASCII are kept in its ASCII (IDNA) form

Browsers send "ana@xn--bcher-kva.example" from an email field where "ana@bücher.example" was
typed, so an account saved in the other form could not sign in. Accounts are now stored and
looked up with the ASCII domain (planner.services.accounts.normalise_email); this brings the
accounts already saved to that form. An address whose ASCII form another account already has,
or whose domain cannot be converted, is left as it is.

Revision ID: 0007_mail_ascii_domains
Revises: 0006_sign_ins
"""

import idna
import sqlalchemy as sa
from alembic import op

revision = "0007_mail_ascii_domains"
down_revision = "0006_sign_ins"
branch_labels = None
depends_on = None


def _ascii(address: str) -> str:
    local, at, domain = address.rpartition("@")
    if not at or domain.isascii():
        return address
    try:
        return f"{local}@{idna.encode(domain, uts46=True).decode('ascii')}"
    except (idna.IDNAError, UnicodeError):
        return address


def upgrade() -> None:
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("email", sa.String))
    connection = op.get_bind()
    rows = connection.execute(sa.select(users.c.id, users.c.email)).all()
    taken = {email for _id, email in rows}
    for user_id, email in rows:
        converted = _ascii(email)
        if converted != email and converted not in taken:
            connection.execute(users.update().where(users.c.id == user_id).values(email=converted))
            taken.add(converted)


def downgrade() -> None:
    pass  # the ASCII form is the same address: nothing to undo
