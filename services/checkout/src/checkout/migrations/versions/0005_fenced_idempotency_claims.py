"""Fenced idempotency claims: each claim names its owner, and the order id is fixed at claim.

`owner` is the fencing token of the request that holds the claim now: a takeover of a
lapsed claim writes a new one, and completing or releasing the key checks it in the
UPDATE's WHERE, so a stalled first request can no longer finish a key taken over from it.
`order_id` (already there, written at completion until now) is now written at claim time,
so a takeover continues the same order instead of minting a second one. Keys left
IN_PROGRESS by an older release have neither; the first takeover fills both.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("idempotency_keys", sa.Column("owner", sa.String(40)))


def downgrade() -> None:
    op.drop_column("idempotency_keys", "owner")
