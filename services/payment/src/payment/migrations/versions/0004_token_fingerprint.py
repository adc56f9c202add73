"""Payment keeps a fingerprint of the payment token, never the token itself.

`token_last` held the raw token; it becomes `token_fingerprint`, the SHA-256 of the token in
hex (adapters/repository.py `fingerprint`): enough to tell whether two attempts used the same
token, useless to charge anything. Existing rows are hashed in place. The downgrade keeps the
fingerprints (the raw tokens are gone, by design).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.alter_column("authorizations", "token_last", new_column_name="token_fingerprint")
    op.execute(
        "UPDATE authorizations"
        " SET token_fingerprint = encode(sha256(convert_to(token_fingerprint, 'UTF8')), 'hex')"
    )
    op.alter_column("authorizations", "token_fingerprint", type_=sa.String(64))


def downgrade() -> None:
    op.alter_column("authorizations", "token_fingerprint", new_column_name="token_last")
